//! HTML building: escaping and the page frame. Every value that is not a literal of this
//! module or of `strings` goes through [`esc`], attributes included.

use super::strings as s;
use super::Session;

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The stylesheet (served from `/console/static/console.css`; the CSP allows no inline style).
pub const CSS: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font-family: system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #fff; line-height: 1.5; font-size: 1rem; }
a { color: #0b4fa0; }
a:focus, button:focus, input:focus, select:focus, textarea:focus, summary:focus { outline: 3px solid #b35900; outline-offset: 2px; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 0.5rem; top: 0.5rem; background: #fff; padding: 0.5rem; z-index: 2; }
header { background: #12355b; color: #fff; padding: 0.5rem 1rem; }
header a, header button.link { color: #fff; }
header nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
header .who { font-size: 0.9rem; }
main { padding: 1rem; max-width: 60rem; margin: 0 auto; }
h1 { font-size: 1.5rem; }
label { display: block; font-weight: 600; margin-top: 0.75rem; }
input[type=text], input[type=password], input[type=search], select, textarea { width: 100%; max-width: 40rem; padding: 0.5rem; font-size: 1rem; border: 2px solid #555; border-radius: 4px; }
input[aria-invalid=true], textarea[aria-invalid=true] { border-color: #b00020; }
textarea { min-height: 5rem; }
button, .button { display: inline-block; margin-top: 1rem; padding: 0.6rem 1rem; font-size: 1rem; background: #12355b; color: #fff; border: 0; border-radius: 4px; text-decoration: none; cursor: pointer; }
button.danger { background: #9b1c1c; }
button.link { background: none; padding: 0; margin: 0; text-decoration: underline; }
fieldset { border: 1px solid #888; margin-top: 1rem; max-width: 42rem; }
fieldset label { font-weight: normal; display: inline-block; margin-right: 1rem; }
.phone-row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: flex-end; }
.phone-row label { display: block; }
.error { color: #b00020; font-weight: 600; }
.notice { border-left: 6px solid #1d6b2f; background: #eef7ef; padding: 0.5rem 1rem; }
.alert { border-left: 6px solid #b00020; background: #fdeeee; padding: 0.5rem 1rem; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; border-bottom: 1px solid #ccc; padding: 0.4rem; vertical-align: top; }
.phone { max-width: 24rem; border: 2px solid #444; border-radius: 1.5rem; padding: 1rem; }
.phone a.dial { display: block; margin: 0.5rem 0; padding: 0.75rem; background: #1d6b2f; color: #fff; border-radius: 0.5rem; text-decoration: none; font-weight: 600; }
.muted { color: #555; }
code { background: #f2f2f2; padding: 0 0.2rem; }
@media (max-width: 40rem) { main { padding: 0.5rem; } th, td { padding: 0.3rem; font-size: 0.95rem; } }
"#;

/// A full page. `body` is already-escaped HTML.
pub fn page(title: &str, session: Option<&Session>, body: &str) -> String {
    let nav = match session {
        Some(sess) => format!(
            r#"<nav aria-label="Console"><ul>
<li><a href="/console/resources">{}</a></li>
<li><a href="/console/import">{}</a></li>
<li><a href="/console/diff">{}</a></li>
<li><a href="/console/guides">{}</a></li>
<li><a href="/console/publish">{}</a></li>
<li><a href="/console/audit">{}</a></li>
<li><form method="post" action="/console/logout">{}<button class="link" type="submit">{}</button></form></li>
</ul></nav><p class="who">{} {} ({})</p>"#,
            s::NAV_RESOURCES,
            s::NAV_IMPORT,
            s::NAV_DIFF,
            s::NAV_GUIDES,
            s::NAV_PUBLISH,
            s::NAV_AUDIT,
            csrf_field(sess),
            s::SIGN_OUT,
            s::SIGNED_IN_AS,
            esc(&sess.advocate.name),
            sess.advocate.role.as_str(),
        ),
        None => String::new(),
    };
    format!(
        r##"<!doctype html>
<html lang="{lang}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} - {app}</title><link rel="stylesheet" href="/console/static/console.css"></head>
<body><a class="skip" href="#main">{skip}</a>
<header><p><strong>{app}</strong></p>{nav}</header>
<main id="main"><h1>{title}</h1>
{body}
</main></body></html>"##,
        lang = s::LANG,
        title = esc(title),
        app = s::TITLE,
        skip = s::SKIP,
    )
}

/// The hidden CSRF input every form carries.
pub fn csrf_field(sess: &Session) -> String {
    format!(
        r#"<input type="hidden" name="csrf" value="{}">"#,
        esc(&sess.csrf)
    )
}

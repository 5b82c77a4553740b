//! The console's pages and form handlers.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use serde_json::{json, Map, Value};

use super::html::{csrf_field, esc, page};
use super::strings as s;
use super::{
    cookie_value, field, html, random_hex, same, session, session_for_post, FormData, Refusal,
    Session,
};
use crate::advocates::Role;
use crate::http::{blocking, now_ms, AppState};
use crate::publish::{self, PublishError};

type Params = Query<HashMap<String, String>>;

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

impl From<PublishError> for Refusal {
    fn from(e: PublishError) -> Self {
        crate::http::ApiError::from(e).into()
    }
}

pub async fn css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        super::html::CSS,
    )
        .into_response()
}

pub async fn home(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match session(&state, &headers, Role::Editor).await {
        Ok(_) => see_other("/console/resources"),
        Err(e) => e.into_response(),
    }
}

// ---- sign in ---------------------------------------------------------------------------------

fn login_page(state: &AppState, status: StatusCode, message: Option<&str>) -> Response {
    let pre = random_hex();
    let msg = message
        .map(|m| format!(r#"<p class="alert" role="alert">{}</p>"#, esc(m)))
        .unwrap_or_default();
    let body = format!(
        r#"{msg}<form method="post" action="/console/login">
<input type="hidden" name="csrf" value="{pre}">
<label for="token">{label}</label>
<p id="token-hint" class="muted">{hint}</p>
<input type="password" id="token" name="token" autocomplete="current-password" required aria-describedby="token-hint">
<button type="submit">{button}</button>
</form>"#,
        label = s::LOGIN_TOKEN,
        hint = esc(s::LOGIN_HINT),
        button = s::LOGIN_BUTTON,
    );
    let mut r = html(status, page(s::LOGIN_TITLE, None, &body));
    r.headers_mut().append(
        header::SET_COOKIE,
        state.console.cookie(super::LOGIN_COOKIE, &pre, 3600),
    );
    r
}

pub async fn login_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if session(&state, &headers, Role::Editor).await.is_ok() {
        return see_other("/console/resources");
    }
    login_page(&state, StatusCode::OK, None)
}

pub async fn login(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<FormData>,
) -> Response {
    if super::check_origin(&headers).is_err() {
        return Refusal::BadForm.into_response();
    }
    let pre = cookie_value(&headers, super::LOGIN_COOKIE);
    let ok = matches!((pre.as_deref(), field(&form, "csrf")), (Some(a), Some(b)) if same(a, b));
    if !ok {
        return Refusal::BadForm.into_response();
    }
    let token = field(&form, "token").unwrap_or("").trim().to_owned();
    match crate::http::authenticate(&state, token, Role::Editor).await {
        Ok(advocate) => {
            let Some((id, _)) = state.console.create(advocate) else {
                return Refusal::Internal.into_response();
            };
            let mut r = see_other("/console/resources");
            let h = r.headers_mut();
            h.append(
                header::SET_COOKIE,
                state
                    .console
                    .cookie(super::COOKIE, &id, super::SESSION_LIFETIME.as_secs()),
            );
            h.append(
                header::SET_COOKIE,
                state.console.cookie(super::LOGIN_COOKIE, "", 0),
            );
            r
        }
        Err(crate::http::ApiError::TooManyAttempts) => {
            login_page(&state, StatusCode::TOO_MANY_REQUESTS, Some(s::LOGIN_LOCKED))
        }
        Err(crate::http::ApiError::Unavailable) => Refusal::Unavailable.into_response(),
        Err(_) => login_page(&state, StatusCode::UNAUTHORIZED, Some(s::LOGIN_FAILED)),
    }
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<FormData>,
) -> Response {
    if let Err(e) = session_for_post(&state, &headers, field(&form, "csrf"), Role::Editor).await {
        return e.into_response();
    }
    if let Some(id) = cookie_value(&headers, super::COOKIE) {
        state.console.end(&id);
    }
    let mut r = see_other("/console/login");
    r.headers_mut().append(
        header::SET_COOKIE,
        state.console.cookie(super::COOKIE, "", 0),
    );
    r
}

// ---- resources -------------------------------------------------------------------------------

/// The language whose text the form edits: `en` when the record has it, else its first.
fn main_lang(v: &Value) -> String {
    let name = v.get("name").and_then(|n| n.as_object());
    match name {
        Some(m) if !m.contains_key("en") && !m.is_empty() => {
            m.keys().next().cloned().unwrap_or_default()
        }
        _ => "en".to_owned(),
    }
}

fn text_of(v: &Value, key: &str, lang: &str) -> String {
    v.get(key)
        .and_then(|t| t.get(lang))
        .and_then(|t| t.as_str())
        .unwrap_or("")
        .to_owned()
}

fn any_text(v: &Value, key: &str) -> String {
    let lang = main_lang(v);
    let t = text_of(v, key, &lang);
    if t.is_empty() {
        v.get(key)
            .and_then(|m| m.as_object())
            .and_then(|m| m.values().next())
            .and_then(|x| x.as_str())
            .unwrap_or("")
            .to_owned()
    } else {
        t
    }
}

fn notice(params: &HashMap<String, String>) -> String {
    let msg = match params.get("done").map(String::as_str) {
        Some("saved") => s::SAVED,
        Some("deleted") => s::DELETED,
        _ => return String::new(),
    };
    format!(r#"<p class="notice" role="status">{msg}</p>"#)
}

pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Params,
) -> Result<Response, Refusal> {
    let sess = session(&state, &headers, Role::Editor).await?;
    let db = state.db().clone();
    let all = blocking(move || Ok(publish::draft_list(&db)?)).await?;
    let q = params
        .get("q")
        .map(|q| q.trim().to_lowercase())
        .unwrap_or_default();
    let cat = params.get("category").cloned().unwrap_or_default();
    let shown: Vec<&Value> = all
        .iter()
        .filter(|v| {
            cat.is_empty()
                || v["categories"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|c| c.as_str() == Some(cat.as_str())))
        })
        .filter(|v| q.is_empty() || text_blob(v).contains(&q))
        .collect();
    let mut options = format!(r#"<option value="">{}</option>"#, s::ALL_CATEGORIES);
    for c in waypoint_format::record::Category::ALL {
        let sel = if c.as_str() == cat { " selected" } else { "" };
        let _ = write!(
            options,
            r#"<option value="{0}"{sel}>{0}</option>"#,
            c.as_str()
        );
    }
    let mut rows = String::new();
    for v in shown.iter().take(500) {
        let id = v["id"].as_str().unwrap_or("");
        let cats: Vec<&str> = v["categories"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|c| c.as_str())
            .collect();
        let _ = write!(
            rows,
            r#"<tr><td>{id}</td><td>{name}</td><td>{org}</td><td>{cats}</td><td><a href="/console/resources/{id}">{edit}<span class="skip"> {name}</span></a> · <a href="/console/resources/{id}/preview">{preview}<span class="skip"> {name}</span></a></td></tr>"#,
            id = esc(id),
            name = esc(&any_text(v, "name")),
            org = esc(&any_text(v, "organization")),
            cats = esc(&cats.join(", ")),
            edit = s::EDIT,
            preview = s::PREVIEW,
        );
    }
    let table = if shown.is_empty() {
        format!("<p>{}</p>", s::NONE_FOUND)
    } else {
        format!(
            r#"<p>{n} {showing}</p><div class="table-wrap"><table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{rows}</tbody></table></div>"#,
            s::COL_ID,
            s::COL_NAME,
            s::COL_ORG,
            s::COL_CATEGORIES,
            s::COL_ACTIONS,
            n = shown.len(),
            showing = s::SHOWING,
        )
    };
    let body = format!(
        r#"{notice}<form method="get" action="/console/resources" role="search">
<label for="q">{search}</label><input type="search" id="q" name="q" value="{qv}">
<label for="category">{fc}</label><select id="category" name="category">{options}</select>
<button type="submit">{sb}</button></form>
<p><a class="button" href="/console/resources/new">{add}</a></p>
{table}"#,
        notice = notice(&params),
        search = s::SEARCH,
        qv = esc(params.get("q").map(String::as_str).unwrap_or("")),
        fc = s::FILTER_CATEGORY,
        sb = s::SEARCH_BUTTON,
        add = s::ADD,
    );
    Ok(html(
        StatusCode::OK,
        page(s::LIST_TITLE, Some(&sess), &body),
    ))
}

/// Every text value of a record, lower-cased, for search (field names are not searched).
fn text_blob(v: &Value) -> String {
    fn walk(v: &Value, out: &mut String) {
        match v {
            Value::String(s) => {
                out.push_str(&s.to_lowercase());
                out.push('\n');
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            Value::Object(o) => o.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    walk(v, &mut out);
    out
}

type Errors = BTreeMap<String, Vec<String>>;

fn err_html(errors: &Errors, key: &str) -> (String, String) {
    match errors.get(key) {
        Some(list) => (
            format!(
                r#"<p class="error" id="err-{k}">{}</p>"#,
                list.iter().map(|e| esc(e)).collect::<Vec<_>>().join("<br>"),
                k = esc(&key.replace(['[', ']', '.'], "-"))
            ),
            format!(
                r#" aria-invalid="true" aria-describedby="err-{}""#,
                esc(&key.replace(['[', ']', '.'], "-"))
            ),
        ),
        None => (String::new(), String::new()),
    }
}

fn input(id: &str, label: &str, value: &str, errors: &Errors, key: &str) -> String {
    let (e, attrs) = err_html(errors, key);
    format!(
        r#"<label for="{id}">{label}</label>{e}<input type="text" id="{id}" name="{id}" value="{v}"{attrs}>"#,
        label = esc(label),
        v = esc(value)
    )
}

fn textarea(id: &str, label: &str, value: &str, errors: &Errors, key: &str) -> String {
    let (e, attrs) = err_html(errors, key);
    format!(
        r#"<label for="{id}">{label}</label>{e}<textarea id="{id}" name="{id}"{attrs}>{v}</textarea>"#,
        label = esc(label),
        v = esc(value)
    )
}

fn lines(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(|a| a.as_array())
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A schedule as the hours field shows it: `24/7` or `Mo 09:00-17:00; Tu 09:00-17:00`.
fn hours_text(sc: &Value) -> String {
    if sc.is_null() {
        return String::new();
    }
    if sc["always_open"].as_bool() == Some(true) {
        return "24/7".to_owned();
    }
    const DAYS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];
    sc["weekly"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|o| {
            let d = o["weekday"].as_u64().unwrap_or(1).clamp(1, 7) as usize;
            format!(
                "{} {}-{}",
                DAYS[d - 1],
                o["opens"].as_str().unwrap_or(""),
                o["closes"].as_str().unwrap_or("")
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn resource_form(
    sess: &Session,
    v: &Value,
    errors: &Errors,
    is_new: bool,
    submitted: Option<&FormData>,
) -> String {
    let lang = main_lang(v);
    let id = v["id"].as_str().unwrap_or("");
    let mut out = String::new();
    if !errors.is_empty() {
        let _ = write!(
            out,
            r#"<div class="alert" role="alert"><p>{}</p><ul>"#,
            s::FIX_ERRORS
        );
        for (k, list) in errors {
            for e in list {
                let _ = write!(out, "<li>{}: {}</li>", esc(k), esc(e));
            }
        }
        out.push_str("</ul></div>");
    }
    let action = if is_new {
        "/console/resources/new".to_owned()
    } else {
        format!("/console/resources/{}", esc(id))
    };
    let _ = write!(
        out,
        r#"<form method="post" action="{action}" novalidate>{}"#,
        csrf_field(sess)
    );
    if is_new {
        out.push_str(&input("id", s::F_ID, id, errors, "id"));
    }
    let _ = write!(
        out,
        r#"<input type="hidden" name="lang" value="{l}"><p class="muted">{tl}: <code>{l}</code></p>"#,
        l = esc(&lang),
        tl = s::F_TEXT_LANG
    );
    out.push_str(&input(
        "name",
        s::F_NAME,
        &text_of(v, "name", &lang),
        errors,
        "name",
    ));
    out.push_str(&input(
        "organization",
        s::F_ORG,
        &text_of(v, "organization", &lang),
        errors,
        "organization",
    ));
    out.push_str(&textarea(
        "description",
        s::F_DESCRIPTION,
        &text_of(v, "description", &lang),
        errors,
        "description",
    ));
    let (ce, _) = err_html(errors, "categories");
    let _ = write!(out, r#"<fieldset><legend>{}</legend>{ce}"#, s::F_CATEGORIES);
    for c in waypoint_format::record::Category::ALL {
        let checked = v["categories"]
            .as_array()
            .is_some_and(|a| a.iter().any(|x| x.as_str() == Some(c.as_str())));
        let _ = write!(
            out,
            r#"<label><input type="checkbox" name="categories" value="{c}"{ch}> {c}</label>"#,
            c = c.as_str(),
            ch = if checked { " checked" } else { "" }
        );
    }
    out.push_str("</fieldset>");
    let loc = &v["locations"][0];
    out.push_str(&input(
        "country",
        s::F_COUNTRY,
        loc["country"].as_str().unwrap_or(""),
        errors,
        "country",
    ));
    out.push_str(&input(
        "region",
        s::F_REGION,
        loc["region"].as_str().unwrap_or(""),
        errors,
        "region",
    ));
    out.push_str(&input(
        "address",
        s::F_ADDRESS,
        loc["address"].as_str().unwrap_or(""),
        errors,
        "address",
    ));
    let phones: Vec<Value> = v["phones"].as_array().cloned().unwrap_or_default();
    let (pe, _) = err_html(errors, "phones");
    let _ = write!(
        out,
        r#"<fieldset><legend>{}</legend>{pe}<input type="hidden" name="phone_count" value="{}">"#,
        s::F_PHONES,
        phones.len()
    );
    let default_country = loc["country"].as_str().unwrap_or("");
    for i in 0..=phones.len() {
        let p = phones.get(i).cloned().unwrap_or(Value::Null);
        let key = format!("phones[{i}]");
        let (e, attrs) = err_html(errors, &key);
        let kind = p["kind"].as_str().unwrap_or("voice");
        let mut kinds = String::new();
        for k in ["voice", "sms", "tty", "whatsapp"] {
            let _ = write!(
                kinds,
                r#"<option value="{k}"{}>{k}</option>"#,
                if k == kind { " selected" } else { "" }
            );
        }
        let legend = if i == phones.len() {
            s::F_NEW_PHONE.to_owned()
        } else {
            format!("{} {}", s::F_PHONES, i + 1)
        };
        let _ = write!(
            out,
            r#"<div class="phone-row" role="group" aria-label="{legend}">{e}
<div><label for="phone_number_{i}">{ln} ({legend})</label><input type="text" inputmode="tel" id="phone_number_{i}" name="phone_number_{i}" value="{num}"{attrs}></div>
<div><label for="phone_country_{i}">{lc}</label><input type="text" id="phone_country_{i}" name="phone_country_{i}" size="3" value="{cc}"></div>
<div><label for="phone_kind_{i}">{lk}</label><select id="phone_kind_{i}" name="phone_kind_{i}">{kinds}</select></div></div>"#,
            legend = esc(&legend),
            ln = s::F_PHONE_NUMBER,
            lc = s::F_PHONE_COUNTRY,
            lk = s::F_PHONE_KIND,
            num = esc(p["number"].as_str().unwrap_or("")),
            cc = esc(p["country"].as_str().unwrap_or(default_country)),
        );
    }
    out.push_str("</fieldset>");
    out.push_str(&textarea(
        "websites",
        s::F_WEBSITES,
        &lines(v, "websites"),
        errors,
        "websites",
    ));
    out.push_str(&textarea(
        "emails",
        s::F_EMAILS,
        &lines(v, "emails"),
        errors,
        "emails",
    ));
    let langs: Vec<&str> = v["languages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str())
        .collect();
    out.push_str(&input(
        "languages",
        s::F_LANGUAGES,
        &langs.join(", "),
        errors,
        "languages",
    ));
    let (hours, tz) = match submitted {
        Some(f) => (
            field(f, "hours").unwrap_or("").to_owned(),
            field(f, "timezone").unwrap_or("").to_owned(),
        ),
        None => (
            hours_text(&v["schedule"]),
            v["schedule"]["timezone"].as_str().unwrap_or("").to_owned(),
        ),
    };
    out.push_str(&input("hours", s::F_HOURS, &hours, errors, "hours"));
    out.push_str(&input("timezone", s::F_TIMEZONE, &tz, errors, "timezone"));
    out.push_str(&input(
        "last_verified",
        s::F_VERIFIED,
        v["last_verified"].as_str().unwrap_or(""),
        errors,
        "last_verified",
    ));
    out.push_str(&input(
        "source",
        s::F_SOURCE,
        v["source"].as_str().unwrap_or(""),
        errors,
        "source",
    ));
    let _ = write!(
        out,
        r#"<p class="muted">{}</p><button type="submit">{}</button></form>"#,
        s::KEPT_NOTE,
        s::SAVE
    );
    if !is_new {
        let _ = write!(
            out,
            r#"<form method="post" action="/console/resources/{id}/delete">{}<button class="danger" type="submit">{}</button></form>"#,
            csrf_field(sess),
            s::DELETE,
            id = esc(id)
        );
    }
    out
}

fn set_text(obj: &mut Map<String, Value>, key: &str, lang: &str, value: &str, required: bool) {
    let mut t = obj
        .get(key)
        .and_then(|t| t.as_object())
        .cloned()
        .unwrap_or_default();
    if value.trim().is_empty() && !required {
        t.remove(lang);
    } else {
        t.insert(lang.to_owned(), json!(value.trim()));
    }
    if t.is_empty() && !required {
        obj.remove(key);
    } else {
        obj.insert(key.to_owned(), Value::Object(t));
    }
}

fn list_of(raw: &str, sep: &[char]) -> Vec<String> {
    raw.split(sep)
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_owned)
        .collect()
}

fn set_list(obj: &mut Map<String, Value>, key: &str, list: Vec<String>) {
    if list.is_empty() {
        obj.remove(key);
    } else {
        obj.insert(key.to_owned(), json!(list));
    }
}

/// Applies the form to the stored resource (fields the form does not show are kept).
fn apply_form(base: Value, form: &FormData) -> (Value, Errors) {
    let mut errors = Errors::new();
    let mut obj = match base {
        Value::Object(o) => o,
        _ => Map::new(),
    };
    let lang = field(form, "lang")
        .filter(|l| !l.is_empty())
        .unwrap_or("en")
        .to_owned();
    set_text(
        &mut obj,
        "name",
        &lang,
        field(form, "name").unwrap_or(""),
        true,
    );
    set_text(
        &mut obj,
        "organization",
        &lang,
        field(form, "organization").unwrap_or(""),
        true,
    );
    set_text(
        &mut obj,
        "description",
        &lang,
        field(form, "description").unwrap_or(""),
        false,
    );
    let cats: Vec<String> = form
        .iter()
        .filter(|(k, _)| k == "categories")
        .map(|(_, v)| v.clone())
        .collect();
    obj.insert("categories".into(), json!(cats));
    let mut locs = obj
        .get("locations")
        .and_then(|l| l.as_array())
        .cloned()
        .unwrap_or_default();
    if locs.is_empty() {
        locs.push(json!({}));
    }
    if let Some(Value::Object(l)) = locs.get_mut(0) {
        l.insert(
            "country".into(),
            json!(field(form, "country")
                .unwrap_or("")
                .trim()
                .to_ascii_uppercase()),
        );
        for k in ["region", "address"] {
            match field(form, k).map(str::trim).filter(|x| !x.is_empty()) {
                Some(x) => {
                    l.insert(k.into(), json!(x));
                }
                None => {
                    l.remove(k);
                }
            }
        }
    }
    obj.insert("locations".into(), Value::Array(locs));
    let old: Vec<Value> = obj
        .get("phones")
        .and_then(|p| p.as_array())
        .cloned()
        .unwrap_or_default();
    let n: usize = field(form, "phone_count")
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
        .min(64);
    let mut phones = Vec::new();
    for i in 0..=n {
        let number = field(form, &format!("phone_number_{i}"))
            .unwrap_or("")
            .trim();
        if number.is_empty() {
            continue;
        }
        let mut p = old
            .get(i)
            .and_then(|p| p.as_object())
            .cloned()
            .unwrap_or_default();
        p.insert("number".into(), json!(number));
        p.insert(
            "country".into(),
            json!(field(form, &format!("phone_country_{i}"))
                .unwrap_or("")
                .trim()
                .to_ascii_uppercase()),
        );
        p.insert(
            "kind".into(),
            json!(field(form, &format!("phone_kind_{i}")).unwrap_or("voice")),
        );
        phones.push(Value::Object(p));
    }
    if phones.is_empty() {
        obj.remove("phones");
    } else {
        obj.insert("phones".into(), Value::Array(phones));
    }
    set_list(
        &mut obj,
        "websites",
        list_of(field(form, "websites").unwrap_or(""), &['\n']),
    );
    set_list(
        &mut obj,
        "emails",
        list_of(field(form, "emails").unwrap_or(""), &['\n']),
    );
    set_list(
        &mut obj,
        "languages",
        list_of(field(form, "languages").unwrap_or(""), &[',', ' ']),
    );
    obj.insert(
        "last_verified".into(),
        json!(field(form, "last_verified").unwrap_or("").trim()),
    );
    obj.insert(
        "source".into(),
        json!(field(form, "source").unwrap_or("").trim()),
    );
    let hours = field(form, "hours").unwrap_or("").trim();
    if hours.is_empty() {
        obj.remove("schedule");
    } else {
        match crate::csv_import::parse_hours(hours) {
            Ok((always_open, weekly)) => {
                let mut report = crate::import::Report::default();
                let tz = field(form, "timezone")
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(|t| json!(t));
                let opts = crate::import::Options::default();
                match crate::import::check_timezone(
                    tz.as_ref(),
                    &opts,
                    "form",
                    None,
                    "timezone",
                    &mut report,
                ) {
                    Some(tz) => {
                        obj.insert(
                            "schedule".into(),
                            json!({"timezone": tz, "always_open": always_open, "weekly": weekly}),
                        );
                    }
                    None => {
                        for e in report.errors {
                            errors.entry(e.field).or_default().push(e.message);
                        }
                    }
                }
            }
            Err(e) => {
                errors.entry("hours".into()).or_default().push(e.to_owned());
            }
        }
    }
    (Value::Object(obj), errors)
}

/// Field-level checks: each phone and link on its own field, then every rule of the format.
fn field_errors(v: &Value) -> Errors {
    let mut report = crate::import::Report::default();
    let id = v["id"].as_str();
    for (i, p) in v["phones"].as_array().into_iter().flatten().enumerate() {
        crate::import::check_phone(
            p["number"].as_str().unwrap_or(""),
            p["country"].as_str().unwrap_or(""),
            p.get("cost").is_some_and(|c| !c.is_null()),
            "form",
            id,
            &format!("phones[{i}]"),
            &mut report,
        );
    }
    for w in v["websites"].as_array().into_iter().flatten() {
        crate::import::check_link(
            w.as_str().unwrap_or(""),
            "form",
            id,
            "websites",
            &mut report,
        );
    }
    let mut errors = Errors::new();
    for e in report.errors {
        errors.entry(e.field).or_default().push(e.message);
    }
    if errors.is_empty() {
        for e in crate::records::validate(v) {
            let key = match e.field.as_str() {
                "website" => "websites",
                "email" => "emails",
                "phone" => "phones",
                "location" | "coordinates" => "country",
                "last_verified" | "source" | "name" | "organization" | "description"
                | "categories" | "id" | "languages" | "address" | "region" | "phones" => {
                    e.field.as_str()
                }
                _ => "(record)",
            };
            errors.entry(key.to_owned()).or_default().push(e.reason);
        }
    }
    errors
}

pub async fn new_form(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let sess = session(&state, &headers, Role::Editor).await?;
    let skeleton = json!({"id": "", "locations": [{"country": ""}], "categories": []});
    let body = resource_form(&sess, &skeleton, &Errors::new(), true, None);
    Ok(html(StatusCode::OK, page(s::NEW_TITLE, Some(&sess), &body)))
}

pub async fn edit_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(params): Params,
) -> Result<Response, Refusal> {
    let sess = session(&state, &headers, Role::Editor).await?;
    let db = state.db().clone();
    let v = blocking(move || Ok(publish::draft_get(&db, &id)?))
        .await?
        .ok_or(Refusal::NotFound)?;
    let body = format!(
        "{}{}",
        notice(&params),
        resource_form(&sess, &v, &Errors::new(), false, None)
    );
    Ok(html(
        StatusCode::OK,
        page(s::EDIT_TITLE, Some(&sess), &body),
    ))
}

async fn store(
    state: &AppState,
    sess: Session,
    id: String,
    value: Value,
    is_new: bool,
    form_errors: Errors,
    form: &FormData,
) -> Result<Response, Refusal> {
    let mut errors = form_errors;
    if errors.is_empty() {
        errors = field_errors(&value);
    }
    if errors.is_empty() {
        let db = state.db().clone();
        let who = sess.advocate.name.clone();
        let (id2, v2) = (id.clone(), value.clone());
        let stored =
            blocking(move || Ok(publish::draft_put(&db, &id2, v2, &who, now_ms()))).await?;
        match stored {
            Ok(_) => return Ok(see_other(&format!("/console/resources/{id}?done=saved"))),
            Err(PublishError::Invalid(fields)) => {
                for f in fields {
                    errors.entry(f.field).or_default().push(f.reason);
                }
            }
            Err(e) => return Err(e.into()),
        }
    }
    let title = if is_new { s::NEW_TITLE } else { s::EDIT_TITLE };
    let body = resource_form(&sess, &value, &errors, is_new, Some(form));
    Ok(html(
        StatusCode::UNPROCESSABLE_ENTITY,
        page(title, Some(&sess), &body),
    ))
}

pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<FormData>,
) -> Result<Response, Refusal> {
    let sess = session_for_post(&state, &headers, field(&form, "csrf"), Role::Editor).await?;
    let id = field(&form, "id").unwrap_or("").trim().to_owned();
    let (value, form_errors) = apply_form(json!({"id": id}), &form);
    let db = state.db().clone();
    let id2 = id.clone();
    let exists = !id.is_empty()
        && blocking(move || Ok(publish::draft_get(&db, &id2)?))
            .await?
            .is_some();
    if exists {
        let mut errors = Errors::new();
        errors.insert(
            "id".into(),
            vec!["a resource with this id already exists".into()],
        );
        let body = resource_form(&sess, &value, &errors, true, Some(&form));
        return Ok(html(
            StatusCode::CONFLICT,
            page(s::NEW_TITLE, Some(&sess), &body),
        ));
    }
    store(&state, sess, id, value, true, form_errors, &form).await
}

pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<FormData>,
) -> Result<Response, Refusal> {
    let sess = session_for_post(&state, &headers, field(&form, "csrf"), Role::Editor).await?;
    let db = state.db().clone();
    let id2 = id.clone();
    let base = blocking(move || Ok(publish::draft_get(&db, &id2)?))
        .await?
        .ok_or(Refusal::NotFound)?;
    let (value, form_errors) = apply_form(base, &form);
    store(&state, sess, id, value, false, form_errors, &form).await
}

pub async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<FormData>,
) -> Result<Response, Refusal> {
    let sess = session_for_post(&state, &headers, field(&form, "csrf"), Role::Editor).await?;
    let db = state.db().clone();
    blocking(move || {
        Ok(publish::draft_delete(
            &db,
            &id,
            &sess.advocate.name,
            now_ms(),
        )?)
    })
    .await?;
    Ok(see_other("/console/resources?done=deleted"))
}

// ---- preview ---------------------------------------------------------------------------------

/// The record as the phone shows it, with the dial links the phone would build.
pub fn preview_html(r: &waypoint_format::Record) -> String {
    use waypoint_format::record::{PhoneCost, PhoneKind};
    let lang = if r.name.contains_key("en") {
        "en".to_owned()
    } else {
        r.name.keys().next().cloned().unwrap_or_default()
    };
    let t = |m: &waypoint_format::record::Text| {
        m.get(&lang)
            .or_else(|| m.values().next())
            .cloned()
            .unwrap_or_default()
    };
    let mut out = format!(
        r#"<article class="phone" aria-label="{pt}"><h2>{name}</h2><p class="muted">{org}</p><p>{cats}</p><p>{desc}</p>"#,
        pt = s::PREVIEW_TITLE,
        name = esc(&t(&r.name)),
        org = esc(&t(&r.organization)),
        cats = esc(&r
            .categories
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", ")),
        desc = esc(&t(&r.description)),
    );
    for p in &r.phones {
        match waypoint_format::phone::target(
            &p.number,
            &p.country,
            p.cost == Some(PhoneCost::Premium),
        ) {
            Ok(target) => {
                let (href, verb) = match p.kind {
                    PhoneKind::Voice | PhoneKind::Tty => {
                        (format!("tel:{}", target.subscriber()), s::CALL)
                    }
                    PhoneKind::Sms => (format!("sms:{}", target.subscriber()), s::TEXT),
                    PhoneKind::Whatsapp => (
                        format!("https://wa.me/{}", target.number.trim_start_matches('+')),
                        s::WHATSAPP,
                    ),
                };
                let _ = write!(
                    out,
                    r#"<a class="dial" href="{}">{verb} {}</a>"#,
                    esc(&href),
                    esc(&p.number)
                );
                if let Some(k) = &p.keyword {
                    let _ = write!(out, "<p>{}</p>", esc(k));
                }
                if target.costly {
                    let _ = write!(
                        out,
                        r#"<p class="alert">{}</p>"#,
                        esc(waypoint_format::phone::COST_WARNING)
                    );
                }
            }
            Err(e) => {
                let _ = write!(
                    out,
                    r#"<p class="alert">{}: {}</p>"#,
                    s::NOT_DIALLABLE,
                    esc(e.0)
                );
            }
        }
    }
    for w in &r.websites {
        let _ = write!(
            out,
            r#"<p><a href="{0}" rel="noopener noreferrer">{0}</a></p>"#,
            esc(w)
        );
    }
    for e in &r.emails {
        if let Ok(uri) = waypoint_format::contact::mailto_uri(e) {
            let _ = write!(out, r#"<p><a href="{}">{}</a></p>"#, esc(&uri), esc(e));
        }
    }
    if let Some(sc) = &r.schedule {
        if sc.always_open {
            let _ = write!(out, "<p>{}</p>", s::OPEN_24_7);
        } else {
            let _ = write!(out, "<p>{} {}:</p><ul>", s::HOURS_IN, esc(&sc.timezone));
            for o in &sc.weekly {
                let day = s::WEEKDAYS
                    .get(usize::from(o.weekday).saturating_sub(1))
                    .unwrap_or(&"?");
                let _ = write!(out, "<li>{day} {}–{}</li>", esc(&o.opens), esc(&o.closes));
            }
            out.push_str("</ul>");
        }
    }
    for l in &r.locations {
        let place = [l.address.clone(), l.region.clone(), Some(l.country.clone())]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ");
        let _ = write!(out, "<p>{}</p>", esc(&place));
    }
    out.push_str("</article>");
    out
}

pub async fn preview(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, Refusal> {
    let sess = session(&state, &headers, Role::Editor).await?;
    let db = state.db().clone();
    let v = blocking(move || Ok(publish::draft_get(&db, &id)?))
        .await?
        .ok_or(Refusal::NotFound)?;
    let body = match serde_json::from_value::<waypoint_format::Record>(v.clone()) {
        Ok(r) => format!(
            r#"{}<p><a href="/console/resources/{}">{}</a></p>"#,
            preview_html(&r),
            esc(&r.id),
            s::EDIT
        ),
        Err(_) => format!(r#"<p class="alert">{}</p>"#, s::ERROR),
    };
    Ok(html(
        StatusCode::OK,
        page(s::PREVIEW_TITLE, Some(&sess), &body),
    ))
}

// ---- import ----------------------------------------------------------------------------------

fn import_form_html(sess: &Session) -> String {
    format!(
        r#"<p>{help}</p><form method="post" action="/console/import" enctype="multipart/form-data">{csrf}
<label for="file">{file}</label><input type="file" id="file" name="file" required accept=".json,.csv,application/json,text/csv">
<label for="mapping">{map}</label><textarea id="mapping" name="mapping"></textarea>
<label for="country">{country}</label><input type="text" id="country" name="country">
<label for="timezone">{tz}</label><input type="text" id="timezone" name="timezone">
<label for="last_verified">{lv}</label><input type="text" id="last_verified" name="last_verified">
<label><input type="checkbox" name="check_only" value="1"> {check}</label>
<label><input type="checkbox" name="replace" value="1"> {replace}</label>
<button type="submit">{button}</button></form>"#,
        help = esc(s::IMPORT_HELP),
        csrf = csrf_field(sess),
        file = s::IMPORT_FILE,
        map = s::IMPORT_MAPPING,
        country = s::IMPORT_COUNTRY,
        tz = s::IMPORT_TZ,
        lv = s::IMPORT_VERIFIED,
        check = s::IMPORT_CHECK_ONLY,
        replace = s::IMPORT_REPLACE,
        button = s::IMPORT_BUTTON,
    )
}

pub async fn import_form(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let sess = session(&state, &headers, Role::Editor).await?;
    Ok(html(
        StatusCode::OK,
        page(s::IMPORT_TITLE, Some(&sess), &import_form_html(&sess)),
    ))
}

/// Reads every part of a multipart form: text fields and file contents by name.
async fn read_multipart(mut m: Multipart) -> Result<Vec<(String, Vec<u8>)>, Refusal> {
    let mut out = Vec::new();
    while let Some(f) = m.next_field().await.map_err(|_| Refusal::BadForm)? {
        let name = f.name().unwrap_or("").to_owned();
        let bytes = f.bytes().await.map_err(|_| Refusal::BadForm)?;
        out.push((name, bytes.to_vec()));
    }
    Ok(out)
}

fn part<'a>(parts: &'a [(String, Vec<u8>)], k: &str) -> Option<&'a str> {
    parts
        .iter()
        .find(|(n, _)| n == k)
        .and_then(|(_, v)| std::str::from_utf8(v).ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

pub fn report_html(report: &crate::import::Report) -> String {
    let mut out = String::new();
    let status = if report.applied {
        format!(
            r#"<p class="notice" role="status">{} ({} records)</p>"#,
            s::REPORT_APPLIED,
            report.records_valid
        )
    } else if report.ok() {
        format!(
            r#"<p class="notice" role="status">{}</p>"#,
            s::REPORT_CHECKED
        )
    } else {
        format!(r#"<p class="alert" role="alert">{}</p>"#, s::REPORT_REFUSED)
    };
    out.push_str(&status);
    let _ = write!(
        out,
        "<p>{} records read, {} valid, {} errors, {} warnings.</p>",
        report.records_read,
        report.records_valid,
        report.errors.len(),
        report.warnings.len()
    );
    for (title, list) in [(s::ERRORS, &report.errors), (s::WARNINGS, &report.warnings)] {
        if list.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            r#"<h2>{title}</h2><div class="table-wrap"><table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
            s::COL_WHERE,
            s::COL_ID,
            s::COL_FIELD,
            s::COL_PROBLEM
        );
        for i in list.iter().take(crate::import::MAX_LISTED) {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&i.at),
                esc(i.id.as_deref().unwrap_or("")),
                esc(&i.field),
                esc(&i.message)
            );
        }
        out.push_str("</tbody></table></div>");
    }
    if !report.not_imported.is_empty() {
        let _ = write!(
            out,
            r#"<h2>{}</h2><div class="table-wrap"><table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
            s::NOT_IMPORTED,
            s::COL_FIELD,
            s::COL_COUNT,
            s::COL_WHERE
        );
        for n in &report.not_imported {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&n.field),
                n.count,
                esc(&n.first_at)
            );
        }
        out.push_str("</tbody></table></div>");
    }
    out
}

pub async fn import(
    State(state): State<AppState>,
    headers: HeaderMap,
    m: Multipart,
) -> Result<Response, Refusal> {
    let sess = super::session_before_body(&state, &headers, Role::Editor).await?;
    let parts = read_multipart(m).await?;
    super::check_csrf(&sess, part(&parts, "csrf"))?;
    let file = parts
        .iter()
        .find(|(n, _)| n == "file")
        .map(|(_, b)| b.clone())
        .unwrap_or_default();
    let flags: Vec<String> = part(&parts, "mapping")
        .map(|m| m.lines().map(str::to_owned).collect())
        .unwrap_or_default();
    let opts = crate::import::Options {
        language: None,
        country: part(&parts, "country").map(|c| c.to_ascii_uppercase()),
        timezone: part(&parts, "timezone").map(str::to_owned),
        last_verified: part(&parts, "last_verified").map(str::to_owned),
        source: None,
    };
    let check_only = part(&parts, "check_only").is_some();
    let replace = part(&parts, "replace").is_some();
    let db = state.db().clone();
    let who = sess.advocate.name.clone();
    let report = blocking(move || {
        let mut report = crate::import::Report::default();
        let mapping = match crate::csv_import::Mapping::default().with_flags(
            &flags
                .into_iter()
                .filter(|l| !l.trim().is_empty())
                .collect::<Vec<_>>(),
        ) {
            Ok(m) => m,
            Err(e) => {
                report.error("mapping", None, "(mapping)", e);
                return Ok(report);
            }
        };
        let inc = crate::import::read_bytes(
            &file,
            crate::import::Format::Auto,
            &mapping,
            &opts,
            &mut report,
        );
        let values = crate::import::check(inc, &mut report);
        if report.ok() && !check_only {
            crate::import::apply(&db, &values, replace, &who, now_ms())?;
            report.applied = true;
        }
        Ok(report)
    })
    .await?;
    let status = if report.ok() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = format!("{}{}", report_html(&report), import_form_html(&sess));
    Ok(html(status, page(s::REPORT_TITLE, Some(&sess), &body)))
}

// ---- diff ------------------------------------------------------------------------------------

fn flatten(prefix: &str, v: &Value, out: &mut BTreeMap<String, String>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&p, x, out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), x, out);
            }
        }
        Value::String(s) => {
            out.insert(prefix.to_owned(), s.clone());
        }
        other => {
            out.insert(prefix.to_owned(), other.to_string());
        }
    }
}

/// Field-by-field differences: (path, published, draft).
pub fn field_diff(old: &Value, new: &Value) -> Vec<(String, String, String)> {
    let (mut a, mut b) = (BTreeMap::new(), BTreeMap::new());
    flatten("", old, &mut a);
    flatten("", new, &mut b);
    let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| {
            (
                k.clone(),
                a.get(k).cloned().unwrap_or_default(),
                b.get(k).cloned().unwrap_or_default(),
            )
        })
        .collect()
}

pub async fn diff(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, Refusal> {
    let sess = session(&state, &headers, Role::Editor).await?;
    let db = state.db().clone();
    let (published, draft) = blocking(move || {
        let p = publish::published_records(&db).ok().flatten();
        Ok((p, publish::draft_list(&db)?))
    })
    .await?;
    let mut out = String::new();
    let old: BTreeMap<String, Value> = match &published {
        Some((v, recs)) => {
            let _ = write!(out, "<p>{} {v}</p>", esc(s::COL_BEFORE));
            recs.iter()
                .filter_map(|r| Some((r.id.clone(), serde_json::to_value(r).ok()?)))
                .collect()
        }
        None => {
            let _ = write!(out, "<p>{}</p>", s::DIFF_NOTHING_PUBLISHED);
            BTreeMap::new()
        }
    };
    let new: BTreeMap<String, Value> = draft
        .into_iter()
        .filter_map(|v| {
            let id = v["id"].as_str()?.to_owned();
            // Compare in the bundle's own form (defaults filled in).
            let norm = serde_json::from_value::<waypoint_format::Record>(v.clone())
                .ok()
                .and_then(|r| serde_json::to_value(r).ok())
                .unwrap_or(v);
            Some((id, norm))
        })
        .collect();
    let mut any = false;
    for (id, v) in &new {
        let (label, changes) = match old.get(id) {
            None => (s::ADDED, field_diff(&Value::Null, v)),
            Some(o) if o != v => (s::CHANGED, field_diff(o, v)),
            Some(_) => continue,
        };
        any = true;
        diff_section(&mut out, label, id, &changes);
    }
    for (id, o) in &old {
        if !new.contains_key(id) {
            any = true;
            diff_section(&mut out, s::REMOVED, id, &field_diff(o, &Value::Null));
        }
    }
    if !any {
        let _ = write!(out, r#"<p class="notice">{}</p>"#, s::DIFF_NONE);
    }
    Ok(html(StatusCode::OK, page(s::DIFF_TITLE, Some(&sess), &out)))
}

fn diff_section(out: &mut String, label: &str, id: &str, changes: &[(String, String, String)]) {
    let _ = write!(
        out,
        r#"<h2>{label}: {}</h2><div class="table-wrap"><table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        esc(id),
        s::COL_FIELD,
        s::COL_BEFORE,
        s::COL_AFTER
    );
    for (k, a, b) in changes {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(k),
            esc(a),
            esc(b)
        );
    }
    out.push_str("</tbody></table></div>");
}

// ---- publish ---------------------------------------------------------------------------------

pub async fn publish(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Params,
) -> Result<Response, Refusal> {
    let sess = session(&state, &headers, Role::Editor).await?;
    let db = state.db().clone();
    let cands = blocking(move || {
        let ids = publish::recent_candidates(&db, 5)?;
        let mut out = Vec::new();
        for id in ids {
            if let Ok(c) = publish::candidate(&db, id) {
                out.push(c);
            }
        }
        Ok(out)
    })
    .await?;
    let mut out = String::new();
    if let Some(m) = params.get("msg") {
        let text = match m.as_str() {
            "published" => s::PUBLISHED_NOW,
            "manifest" => s::NEXT_MANIFEST,
            "guides-manifest" => s::NEXT_GUIDES_MANIFEST,
            _ => "",
        };
        if !text.is_empty() {
            let _ = write!(out, r#"<p class="notice" role="status">{text}</p>"#);
        }
    }
    let _ = write!(out, "<p>{}</p>", esc(s::PUBLISH_HELP));
    if sess.advocate.role >= Role::Publisher {
        let _ = write!(
            out,
            r#"<form method="post" action="/console/publish/freeze">{}<button type="submit">{}</button></form>"#,
            csrf_field(&sess),
            s::FREEZE
        );
    }
    if cands.is_empty() {
        let _ = write!(out, "<p>{}</p>", s::NO_CANDIDATES);
    }
    for c in &cands {
        let _ = write!(
            out,
            r#"<section aria-labelledby="cand-{id}"><h2 id="cand-{id}">{cand} {id}: {kind} {ver} {v} ({state})</h2><div class="table-wrap"><table><thead><tr><th scope="col">{ci}</th><th scope="col">{cs}</th><th scope="col">{cst}</th></tr></thead><tbody>"#,
            id = c.candidate,
            cand = s::CANDIDATE,
            kind = esc(&c.kind),
            ver = s::VERSION,
            v = c.version,
            state = esc(&c.state),
            ci = s::COL_ITEM,
            cs = s::COL_SIGS,
            cst = s::COL_STATE,
        );
        for i in &c.items {
            let done = i.envelope.is_some();
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{} / {} {}</td><td>{}</td></tr>",
                esc(&i.name),
                i.signatures,
                c.threshold,
                s::THRESHOLD,
                if done { s::COMPLETE } else { s::WAITING }
            );
        }
        out.push_str("</tbody></table></div>");
        if c.state == "open" && sess.advocate.role >= Role::Publisher {
            let _ = write!(
                out,
                r#"<p><a class="button" href="/console/publish/{id}/candidate.json" download="candidate-{id}.json">{dl}</a></p>
<form method="post" action="/console/publish/{id}/signatures" enctype="multipart/form-data">{csrf}
<label for="sig-{id}">{sig}</label><input type="file" id="sig-{id}" name="file" multiple required accept=".json,application/json">
<button type="submit">{up}</button></form>"#,
                id = c.candidate,
                dl = s::DOWNLOAD,
                csrf = csrf_field(&sess),
                sig = s::UPLOAD_SIG,
                up = s::UPLOAD_BUTTON,
            );
        }
        out.push_str("</section>");
    }
    Ok(html(
        StatusCode::OK,
        page(s::PUBLISH_TITLE, Some(&sess), &out),
    ))
}

fn publish_error_page(sess: &Session, e: PublishError) -> Result<Response, Refusal> {
    let msg = match e {
        PublishError::Rejected(m) | PublishError::Conflict(m) => m,
        PublishError::Invalid(f) => f
            .into_iter()
            .map(|f| format!("{}: {}", f.field, f.reason))
            .collect::<Vec<_>>()
            .join("; "),
        other => return Err(other.into()),
    };
    let body = format!(
        r#"<p class="alert" role="alert">{}</p><p><a href="/console/publish">{}</a></p>"#,
        esc(&msg),
        s::PUBLISH_TITLE
    );
    Ok(html(
        StatusCode::BAD_REQUEST,
        page(s::PUBLISH_TITLE, Some(sess), &body),
    ))
}

pub async fn freeze(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<FormData>,
) -> Result<Response, Refusal> {
    let sess = session_for_post(&state, &headers, field(&form, "csrf"), Role::Publisher).await?;
    let db = state.db().clone();
    let who = sess.advocate.name.clone();
    match blocking(move || Ok(publish::freeze_draft(&db, &who, now_ms()))).await? {
        Ok(_) => Ok(see_other("/console/publish")),
        Err(e) => publish_error_page(&sess, e),
    }
}

pub async fn candidate_file(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Response, Refusal> {
    session(&state, &headers, Role::Publisher).await?;
    let db = state.db().clone();
    let c = blocking(move || Ok(publish::candidate(&db, id)?)).await?;
    let bytes = serde_json::to_vec_pretty(&c).map_err(|_| Refusal::Internal)?;
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"candidate-{id}.json\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(r)
}

pub async fn upload_signatures(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    m: Multipart,
) -> Result<Response, Refusal> {
    let sess = super::session_before_body(&state, &headers, Role::Publisher).await?;
    let parts = read_multipart(m).await?;
    super::check_csrf(&sess, part(&parts, "csrf"))?;
    let files: Vec<Vec<u8>> = parts
        .into_iter()
        .filter(|(n, _)| n == "file")
        .map(|(_, b)| b)
        .collect();
    let mut last = None;
    for f in files {
        let sig: publish::SignatureFile = match serde_json::from_slice(&f) {
            Ok(s) => s,
            Err(_) => {
                return publish_error_page(
                    &sess,
                    PublishError::Rejected(
                        "the file is not a signature file from waypoint-publish sign".into(),
                    ),
                )
            }
        };
        let db = state.db().clone();
        let who = sess.advocate.name.clone();
        match blocking(move || Ok(publish::add_signature(&db, id, &sig, &who, now_ms()))).await? {
            Ok(o) => last = Some(o),
            Err(e) => return publish_error_page(&sess, e),
        }
    }
    let msg = match &last {
        Some(o) if o.published => {
            state.reload_tree()?;
            tracing::info!(kind = %o.kind, version = o.version, "published");
            "published"
        }
        // Only the manifests are left: the directory's in format 1 and, when the content
        // has format 2 items, format 2 (docs/PROTOCOL.md §19).
        Some(o)
            if !o.pending.is_empty()
                && o.pending
                    .iter()
                    .all(|p| p == "manifest" || p == waypoint_format::candidate::V2_MANIFEST) =>
        {
            "manifest"
        }
        Some(o) if o.pending == ["guides-manifest"] => "guides-manifest",
        _ => "uploaded",
    };
    Ok(see_other(&format!("/console/publish?msg={msg}")))
}

// ---- audit -----------------------------------------------------------------------------------

pub async fn audit(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, Refusal> {
    let sess = session(&state, &headers, Role::Admin).await?;
    let db = state.db().clone();
    let log = blocking(move || Ok(crate::advocates::audit_log(&db, 500)?)).await?;
    let mut out = format!(
        r#"<div class="table-wrap"><table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
        s::COL_WHEN,
        s::COL_WHO,
        s::COL_WHAT,
        s::COL_SUBJECT
    );
    for e in log {
        let when = chrono::DateTime::from_timestamp_millis(e.at_ms)
            .map(|d| d.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default();
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&when),
            esc(&e.advocate),
            esc(&e.action),
            esc(&e.subject)
        );
    }
    out.push_str("</tbody></table></div>");
    Ok(html(
        StatusCode::OK,
        page(s::AUDIT_TITLE, Some(&sess), &out),
    ))
}

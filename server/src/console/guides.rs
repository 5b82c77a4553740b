//! The console's guides pages: advocates write and edit know-your-rights guides (title,
//! summary, sections and category links per language, sources, the day last reviewed, the
//! review state of each language); a publisher freezes them into a guides candidate, which
//! is then downloaded, signed with `waypoint-publish sign` and uploaded on the Publish page
//! like the directory's. Every save is checked with the phone's own rules
//! (`waypoint_format::guides`); a refused save keeps what was typed and names the rule.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Form;
use waypoint_format::guides::{parse_guide_text, Guide, GuideSource, ReviewState};
use waypoint_format::record::Category;

use super::html::{csrf_field, esc, page};
use super::strings as s;
use super::{field, html, session, session_for_post, FormData, Refusal, Session};
use crate::advocates::Role;
use crate::guides as g;
use crate::http::{blocking, now_ms, AppState};
use crate::publish::PublishError;

/// The languages offered as text boxes, in this order (the phone core's languages; any
/// other BCP 47 tag goes in the "other language" box).
const LANGS: [(&str, &str); 5] = [
    ("en", "English"),
    ("es", "Español"),
    ("ar", "العربية"),
    ("vi", "Tiếng Việt"),
    ("zh-Hans", "简体中文"),
];

/// A guide with `id` and nothing else: the new-guide form, and the form shown again
/// around a refused save.
fn blank_guide(id: &str) -> Guide {
    Guide {
        id: id.to_owned(),
        last_reviewed: String::new(),
        sources: vec![],
        texts: BTreeMap::new(),
        review: BTreeMap::new(),
    }
}

/// A guide's title in the first language that parses (for lists).
fn title_of(guide: &Guide) -> String {
    guide
        .texts
        .values()
        .find_map(|t| parse_guide_text(t).ok())
        .map(|p| p.title)
        .unwrap_or_default()
}

/// `GET /console/guides`: the guide drafts, and (for publishers) the freeze button.
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(params): Query<BTreeMap<String, String>>,
) -> Result<Response, Refusal> {
    let sess = session(&state, &headers, Role::Editor).await?;
    let db = state.db().clone();
    let drafts = blocking(move || Ok(g::draft_list(&db)?)).await?;
    let mut out = String::new();
    let notice = match params.get("done").map(String::as_str) {
        Some("saved") => s::GUIDE_SAVED,
        Some("deleted") => s::GUIDE_DELETED,
        _ => "",
    };
    if !notice.is_empty() {
        let _ = write!(out, r#"<p class="notice" role="status">{notice}</p>"#);
    }
    let _ = write!(
        out,
        r#"<p>{}</p><p><a class="button" href="/console/guides/new">{}</a></p>"#,
        esc(s::GUIDES_HELP),
        s::GUIDE_ADD
    );
    if drafts.is_empty() {
        let _ = write!(out, "<p>{}</p>", s::GUIDES_NONE);
    } else {
        let _ = write!(
            out,
            r#"<div class="table-wrap"><table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>"#,
            s::COL_ID,
            s::GUIDE_COL_TITLE,
            s::GUIDE_COL_LANGUAGES,
            s::GUIDE_COL_REVIEWED
        );
        for d in &drafts {
            let _ = write!(
                out,
                r#"<tr><td><a href="/console/guides/{id}">{id}</a></td><td>{t}</td><td>{l}</td><td>{r}</td></tr>"#,
                id = esc(&d.id),
                t = esc(&title_of(d)),
                l = esc(&d.texts.keys().cloned().collect::<Vec<_>>().join(", ")),
                r = esc(&d.last_reviewed),
            );
        }
        out.push_str("</tbody></table></div>");
    }
    if sess.advocate.role >= Role::Publisher {
        let _ = write!(
            out,
            r#"<form method="post" action="/console/guides/freeze">{}<button type="submit">{}</button></form>"#,
            csrf_field(&sess),
            s::GUIDES_FREEZE
        );
    }
    Ok(html(
        StatusCode::OK,
        page(s::GUIDES_TITLE, Some(&sess), &out),
    ))
}

/// The edit form. `typed` (after a refused save) wins over `guide`.
fn form_html(
    sess: &Session,
    guide: &Guide,
    is_new: bool,
    error: Option<&str>,
    typed: Option<&FormData>,
) -> String {
    let value = |k: &str, stored: String| -> String {
        typed
            .and_then(|f| field(f, k).map(str::to_owned))
            .unwrap_or(stored)
    };
    let mut out = String::new();
    if let Some(e) = error {
        let _ = write!(
            out,
            r#"<p class="alert" role="alert">{} {}</p>"#,
            s::GUIDE_REFUSED,
            esc(e)
        );
    }
    let action = if is_new {
        "/console/guides/new".to_owned()
    } else {
        format!("/console/guides/{}", esc(&guide.id))
    };
    let _ = write!(
        out,
        r#"<form method="post" action="{action}">{}"#,
        csrf_field(sess)
    );
    if is_new {
        let _ = write!(
            out,
            r#"<label for="id">{}</label><input type="text" id="id" name="id" required value="{}">"#,
            s::GUIDE_F_ID,
            esc(&value("id", guide.id.clone()))
        );
    }
    let sources = guide
        .sources
        .iter()
        .map(|s| format!("{} | {}", s.name, s.url))
        .collect::<Vec<_>>()
        .join("\n");
    let _ = write!(
        out,
        r#"<label for="last_reviewed">{}</label><input type="text" id="last_reviewed" name="last_reviewed" required value="{}">
<label for="sources">{}</label><textarea id="sources" name="sources" required>{}</textarea>
<p class="muted">{}</p><p class="muted">{} <code>{}</code></p>"#,
        s::GUIDE_F_REVIEWED,
        esc(&value("last_reviewed", guide.last_reviewed.clone())),
        s::GUIDE_F_SOURCES,
        esc(&value("sources", sources)),
        esc(s::GUIDE_FORMAT_HELP),
        s::GUIDE_CATEGORIES,
        Category::ALL
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(" "),
    );
    let mut blocks: Vec<(String, String)> = LANGS
        .iter()
        .map(|(tag, name)| ((*tag).to_owned(), (*name).to_owned()))
        .collect();
    let other = guide
        .texts
        .keys()
        .find(|t| !LANGS.iter().any(|(l, _)| l == t))
        .cloned();
    for (tag, name) in blocks.drain(..) {
        let text = value(
            &format!("text_{tag}"),
            guide.texts.get(&tag).cloned().unwrap_or_default(),
        );
        let review = value(
            &format!("review_{tag}"),
            match guide.review.get(&tag) {
                Some(ReviewState::Complete) => "complete".into(),
                _ => "needs_native_review".into(),
            },
        );
        write_language(&mut out, &tag, &name, &text, &review);
    }
    let other_tag = value("other_tag", other.clone().unwrap_or_default());
    let other_text = value(
        "text_other",
        other
            .as_ref()
            .and_then(|t| guide.texts.get(t))
            .cloned()
            .unwrap_or_default(),
    );
    let other_review = value(
        "review_other",
        match other.as_ref().and_then(|t| guide.review.get(t)) {
            Some(ReviewState::Complete) => "complete".into(),
            _ => "needs_native_review".into(),
        },
    );
    let _ = write!(
        out,
        r#"<fieldset><legend>{}</legend><label for="other_tag">{}</label><input type="text" id="other_tag" name="other_tag" value="{}">"#,
        s::GUIDE_OTHER_LANGUAGE,
        s::GUIDE_F_TAG,
        esc(&other_tag)
    );
    write_language_fields(&mut out, "other", &other_text, &other_review);
    out.push_str("</fieldset>");
    let _ = write!(
        out,
        r#"<button type="submit">{}</button></form>"#,
        s::GUIDE_SAVE
    );
    if !is_new {
        let _ = write!(
            out,
            r#"<form method="post" action="/console/guides/{}/delete">{}<button class="danger" type="submit">{}</button></form>"#,
            esc(&guide.id),
            csrf_field(sess),
            s::GUIDE_DELETE
        );
    }
    out
}

fn write_language(out: &mut String, tag: &str, name: &str, text: &str, review: &str) {
    let _ = write!(
        out,
        r#"<fieldset><legend>{} ({})</legend>"#,
        esc(name),
        esc(tag)
    );
    write_language_fields(out, tag, text, review);
    out.push_str("</fieldset>");
}

fn write_language_fields(out: &mut String, key: &str, text: &str, review: &str) {
    let k = esc(key);
    let _ = write!(
        out,
        r#"<label for="text_{k}">{}</label><textarea id="text_{k}" name="text_{k}" rows="14">{}</textarea>
<label for="review_{k}">{}</label><select id="review_{k}" name="review_{k}"><option value="complete"{}>{}</option><option value="needs_native_review"{}>{}</option></select>"#,
        s::GUIDE_F_TEXT,
        esc(text),
        s::GUIDE_F_REVIEW,
        if review == "complete" {
            " selected"
        } else {
            ""
        },
        s::GUIDE_REVIEW_COMPLETE,
        if review == "complete" {
            ""
        } else {
            " selected"
        },
        s::GUIDE_REVIEW_NEEDED,
    );
}

/// Builds a guide from the form (what the phone's rules then check).
fn from_form(id: &str, form: &FormData) -> Result<Guide, String> {
    let mut sources = Vec::new();
    for line in field(form, "sources").unwrap_or("").lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (name, url) = line
            .rsplit_once('|')
            .ok_or_else(|| s::GUIDE_SOURCE_FORMAT.to_owned())?;
        sources.push(GuideSource {
            name: name.trim().to_owned(),
            url: url.trim().to_owned(),
        });
    }
    let mut texts = BTreeMap::new();
    let mut review = BTreeMap::new();
    let mut add = |tag: &str, key: &str| {
        // Browsers send textarea line breaks as CR LF; the guide form uses LF.
        let text = field(form, &format!("text_{key}"))
            .unwrap_or("")
            .replace("\r\n", "\n");
        if !text.trim().is_empty() {
            let state = match field(form, &format!("review_{key}")) {
                Some("complete") => ReviewState::Complete,
                _ => ReviewState::NeedsNativeReview,
            };
            texts.insert(tag.to_owned(), text);
            review.insert(tag.to_owned(), state);
        }
    };
    for (tag, _) in LANGS {
        add(tag, tag);
    }
    let other = field(form, "other_tag").unwrap_or("").trim().to_owned();
    if !other.is_empty() {
        add(&other, "other");
    }
    Ok(Guide {
        id: id.to_owned(),
        last_reviewed: field(form, "last_reviewed").unwrap_or("").trim().to_owned(),
        sources,
        texts,
        review,
    })
}

async fn store(
    state: &AppState,
    sess: Session,
    id: String,
    is_new: bool,
    form: FormData,
) -> Result<Response, Refusal> {
    let title = if is_new {
        s::GUIDE_NEW_TITLE
    } else {
        s::GUIDE_EDIT_TITLE
    };
    let refused = |sess: &Session, base: &Guide, msg: &str| {
        html(
            StatusCode::UNPROCESSABLE_ENTITY,
            page(
                title,
                Some(sess),
                &form_html(sess, base, is_new, Some(msg), Some(&form)),
            ),
        )
    };
    let blank = blank_guide(&id);
    let guide = match from_form(&id, &form) {
        Ok(g) => g,
        Err(msg) => return Ok(refused(&sess, &blank, &msg)),
    };
    if is_new {
        let db = state.db().clone();
        let id2 = id.clone();
        if blocking(move || Ok(g::draft_get(&db, &id2)?))
            .await?
            .is_some()
        {
            return Ok(refused(&sess, &blank, s::GUIDE_EXISTS));
        }
    }
    let db = state.db().clone();
    let who = sess.advocate.name.clone();
    let g2 = guide.clone();
    match blocking(move || Ok(g::draft_put(&db, &g2, &who, now_ms()))).await? {
        Ok(()) => Ok(Redirect::to("/console/guides?done=saved").into_response()),
        Err(PublishError::Invalid(fields)) => {
            let msg = fields
                .into_iter()
                .map(|f| f.reason)
                .collect::<Vec<_>>()
                .join("; ");
            Ok(refused(&sess, &blank, &msg))
        }
        Err(e) => Err(e.into()),
    }
}

/// The stored draft `id`; a missing one is "not found".
async fn stored_draft(state: &AppState, id: String) -> Result<Guide, Refusal> {
    let db = state.db().clone();
    blocking(move || Ok(g::draft_get(&db, &id)?))
        .await?
        .ok_or(Refusal::NotFound)
}

/// The new-guide or edit form for `guide`, as first shown.
fn form_page(sess: &Session, guide: &Guide, is_new: bool) -> Response {
    let title = if is_new {
        s::GUIDE_NEW_TITLE
    } else {
        s::GUIDE_EDIT_TITLE
    };
    let body = form_html(sess, guide, is_new, None, None);
    html(StatusCode::OK, page(title, Some(sess), &body))
}

/// `GET /console/guides/new`.
pub async fn new_form(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let sess = session(&state, &headers, Role::Editor).await?;
    Ok(form_page(&sess, &blank_guide("pub-"), true))
}

/// `POST /console/guides/new`.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<FormData>,
) -> Result<Response, Refusal> {
    let sess = session_for_post(&state, &headers, field(&form, "csrf"), Role::Editor).await?;
    let id = field(&form, "id").unwrap_or("").trim().to_owned();
    store(&state, sess, id, true, form).await
}

/// `GET /console/guides/{id}`.
pub async fn edit_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, Refusal> {
    let sess = session(&state, &headers, Role::Editor).await?;
    let guide = stored_draft(&state, id).await?;
    Ok(form_page(&sess, &guide, false))
}

/// `POST /console/guides/{id}`.
pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<FormData>,
) -> Result<Response, Refusal> {
    let sess = session_for_post(&state, &headers, field(&form, "csrf"), Role::Editor).await?;
    stored_draft(&state, id.clone()).await?;
    store(&state, sess, id, false, form).await
}

/// `POST /console/guides/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(form): Form<FormData>,
) -> Result<Response, Refusal> {
    let sess = session_for_post(&state, &headers, field(&form, "csrf"), Role::Editor).await?;
    let db = state.db().clone();
    let who = sess.advocate.name.clone();
    blocking(move || Ok(g::draft_delete(&db, &id, &who, now_ms())?)).await?;
    Ok(Redirect::to("/console/guides?done=deleted").into_response())
}

/// `POST /console/guides/freeze` (publishers): the drafts become a guides candidate, shown
/// on the Publish page.
pub async fn freeze(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<FormData>,
) -> Result<Response, Refusal> {
    let sess = session_for_post(&state, &headers, field(&form, "csrf"), Role::Publisher).await?;
    let db = state.db().clone();
    let who = sess.advocate.name.clone();
    match blocking(move || Ok(g::freeze(&db, &who, now_ms()))).await? {
        Ok(_) => Ok(Redirect::to("/console/publish").into_response()),
        Err(PublishError::Conflict(m) | PublishError::Rejected(m)) => {
            let body = format!(
                r#"<p class="alert" role="alert">{}</p><p><a href="/console/guides">{}</a></p>"#,
                esc(&m),
                s::NAV_GUIDES
            );
            Ok(html(
                StatusCode::BAD_REQUEST,
                page(s::GUIDES_TITLE, Some(&sess), &body),
            ))
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests;

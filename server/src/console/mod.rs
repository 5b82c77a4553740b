//! The advocate console under `/console`: server-rendered HTML that works without
//! JavaScript, for advocates who are not engineers.
//!
//! - Sign-in takes an advocate token (the same tokens and login limiter as the API) and
//!   sets a session cookie scoped to `Path=/console`, `HttpOnly`, `SameSite=Strict`, and
//!   `Secure` when the server is reached over TLS (`serve --secure-cookies`). Public routes
//!   never read or set it.
//! - Every form carries a per-session CSRF token (the sign-in form a per-visit one) and every
//!   POST also refuses a foreign `Origin`.
//! - Every value shown is escaped ([`html::esc`]); a strict Content-Security-Policy allows
//!   no script at all, so stored HTML in a record can never run.
//! - Signing never happens here: publishers download a candidate file, sign it with their
//!   own `waypoint-publish sign`, and upload the signature file.

mod guides;
mod html;
mod pages;
pub mod strings;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use rand::RngCore;

use crate::advocates::{Advocate, Role};
use crate::http::AppState;

/// Name of the session cookie.
pub const COOKIE: &str = "wp_console";
/// Name of the sign-in form's CSRF cookie.
pub const LOGIN_COOKIE: &str = "wp_console_login";
/// Sessions end this long after sign-in.
pub const SESSION_LIFETIME: Duration = Duration::from_secs(8 * 3600);
/// Most sessions held at once; the oldest is dropped beyond it.
pub const MAX_SESSIONS: usize = 1000;
/// Largest import upload (read only after the session cookie is checked).
pub const MAX_UPLOAD: usize = 64 * 1024 * 1024;
/// Largest body of every other console form (signature files included).
pub const MAX_FORM: usize = 1024 * 1024;

/// A signed-in advocate.
#[derive(Debug, Clone)]
pub struct Session {
    /// Who.
    pub advocate: Advocate,
    /// The token every form of this session carries.
    pub csrf: String,
    started: Instant,
}

/// Console sessions (in memory: a restart signs everyone out) and settings.
#[derive(Debug, Clone, Default)]
pub struct ConsoleState {
    sessions: Arc<Mutex<HashMap<String, Session>>>,
    /// Whether cookies carry `Secure`.
    pub secure: bool,
}

fn random_hex() -> String {
    let mut b = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

/// Compares two secrets without an early exit.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl ConsoleState {
    fn create(&self, advocate: Advocate) -> Option<(String, Session)> {
        let id = random_hex();
        let sess = Session {
            advocate,
            csrf: random_hex(),
            started: Instant::now(),
        };
        let mut m = self.sessions.lock().ok()?;
        m.retain(|_, s| s.started.elapsed() < SESSION_LIFETIME);
        if m.len() >= MAX_SESSIONS {
            if let Some(oldest) = m
                .iter()
                .min_by_key(|(_, s)| s.started)
                .map(|(k, _)| k.clone())
            {
                m.remove(&oldest);
            }
        }
        m.insert(id.clone(), sess.clone());
        Some((id, sess))
    }

    fn get(&self, id: &str) -> Option<Session> {
        let m = self.sessions.lock().ok()?;
        m.get(id)
            .filter(|s| s.started.elapsed() < SESSION_LIFETIME)
            .cloned()
    }

    fn end(&self, id: &str) {
        if let Ok(mut m) = self.sessions.lock() {
            m.remove(id);
        }
    }

    fn cookie(&self, name: &str, value: &str, max_age: u64) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        HeaderValue::from_str(&format!(
            "{name}={value}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
        ))
        .unwrap_or_else(|_| HeaderValue::from_static("invalid=1; Max-Age=0"))
    }
}

/// The value of cookie `name` in the request.
fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// Why a console request was refused.
#[derive(Debug)]
pub enum Refusal {
    /// Not signed in: go to the sign-in page.
    SignIn,
    /// 403.
    Forbidden,
    /// 403: missing or wrong CSRF token, or a foreign origin.
    BadForm,
    /// 404.
    NotFound,
    /// 503.
    Unavailable,
    /// 500.
    Internal,
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let (status, msg) = match self {
            Refusal::SignIn => {
                return (
                    StatusCode::SEE_OTHER,
                    [(header::LOCATION, "/console/login")],
                )
                    .into_response()
            }
            Refusal::Forbidden => (StatusCode::FORBIDDEN, strings::FORBIDDEN),
            Refusal::BadForm => (StatusCode::FORBIDDEN, strings::BAD_FORM),
            Refusal::NotFound => (StatusCode::NOT_FOUND, strings::NOT_FOUND),
            Refusal::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, strings::UNAVAILABLE),
            Refusal::Internal => (StatusCode::INTERNAL_SERVER_ERROR, strings::ERROR),
        };
        let body = html::page(
            msg,
            None,
            &format!(
                r#"<p class="alert" role="alert">{msg}</p><p><a href="/console/resources">{}</a></p>"#,
                strings::NAV_RESOURCES
            ),
        );
        (status, axum::response::Html(body)).into_response()
    }
}

impl From<crate::http::ApiError> for Refusal {
    fn from(e: crate::http::ApiError) -> Self {
        use crate::http::ApiError as E;
        match e {
            E::Forbidden => Refusal::Forbidden,
            E::NotFound => Refusal::NotFound,
            E::Unavailable => Refusal::Unavailable,
            E::Unauthorized => Refusal::SignIn,
            _ => Refusal::Internal,
        }
    }
}

impl From<crate::db::DbError> for Refusal {
    fn from(e: crate::db::DbError) -> Self {
        crate::http::ApiError::from(e).into()
    }
}

/// A posted form's fields, in the order sent.
type FormData = Vec<(String, String)>;

/// The first value of form field `k`.
fn field<'a>(form: &'a FormData, k: &str) -> Option<&'a str> {
    form.iter()
        .find(|(key, _)| key == k)
        .map(|(_, v)| v.as_str())
}

/// A page with `status`.
fn html(status: StatusCode, body: String) -> Response {
    (status, axum::response::Html(body)).into_response()
}

/// The session of a request, re-checking that the advocate still exists unrevoked (a
/// revoked token ends its console sessions) and has `role`.
pub async fn session(
    state: &AppState,
    headers: &HeaderMap,
    role: Role,
) -> Result<Session, Refusal> {
    let id = cookie_value(headers, COOKIE).ok_or(Refusal::SignIn)?;
    let mut sess = state.console.get(&id).ok_or(Refusal::SignIn)?;
    let db = state.db().clone();
    let name = sess.advocate.name.clone();
    let current = crate::http::blocking(move || {
        Ok(crate::advocates::list(&db)?
            .into_iter()
            .find(|a| a.name == name && a.revoked_ms.is_none()))
    })
    .await?;
    let Some(current) = current else {
        state.console.end(&id);
        return Err(Refusal::SignIn);
    };
    sess.advocate.role = current.role;
    if sess.advocate.role < role {
        return Err(Refusal::Forbidden);
    }
    Ok(sess)
}

/// A POST's session after checking its CSRF token and origin.
pub async fn session_for_post(
    state: &AppState,
    headers: &HeaderMap,
    csrf: Option<&str>,
    role: Role,
) -> Result<Session, Refusal> {
    check_origin(headers)?;
    let sess = session(state, headers, role).await;
    let sess = match sess {
        Ok(s) => s,
        // Without a session a POST is refused as a bad form, never redirected and replayed.
        Err(Refusal::SignIn) => return Err(Refusal::BadForm),
        Err(e) => return Err(e),
    };
    match csrf {
        Some(t) if same(t, &sess.csrf) => Ok(sess),
        _ => Err(Refusal::BadForm),
    }
}

/// For a multipart POST: the session is checked from the cookie BEFORE the body is read
/// (so nobody without a session makes the server read an upload); the CSRF token inside
/// the body is checked afterwards with [`check_csrf`].
pub async fn session_before_body(
    state: &AppState,
    headers: &HeaderMap,
    role: Role,
) -> Result<Session, Refusal> {
    check_origin(headers)?;
    match session(state, headers, role).await {
        Ok(s) => Ok(s),
        Err(Refusal::SignIn) => Err(Refusal::BadForm),
        Err(e) => Err(e),
    }
}

/// Checks a form's CSRF token against the session's.
pub fn check_csrf(sess: &Session, csrf: Option<&str>) -> Result<(), Refusal> {
    match csrf {
        Some(t) if same(t, &sess.csrf) => Ok(()),
        _ => Err(Refusal::BadForm),
    }
}

/// Refuses a POST whose `Origin` names another site (browsers send it on form posts).
fn check_origin(headers: &HeaderMap) -> Result<(), Refusal> {
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .unwrap_or("");
    if !host.is_empty() && origin_host == host {
        Ok(())
    } else {
        Err(Refusal::BadForm)
    }
}

/// Headers on every console response: no caching, no framing, no referrer to other sites
/// (`same-origin`: with `no-referrer` browsers send `Origin: null` on our own forms), and a
/// Content-Security-Policy that allows no script.
async fn harden(req: Request, next: Next) -> Response {
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// The console's routes (mounted by `http::router`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/console", get(pages::home))
        .route("/console/", get(pages::home))
        .route("/console/static/console.css", get(pages::css))
        .route("/console/login", get(pages::login_form).post(pages::login))
        .route("/console/logout", post(pages::logout))
        .route("/console/resources", get(pages::list))
        .route(
            "/console/resources/new",
            get(pages::new_form).post(pages::create),
        )
        .route(
            "/console/resources/{id}",
            get(pages::edit_form).post(pages::save),
        )
        .route("/console/resources/{id}/delete", post(pages::delete))
        .route("/console/resources/{id}/preview", get(pages::preview))
        .route(
            "/console/import",
            get(pages::import_form)
                .post(pages::import)
                .layer(DefaultBodyLimit::max(MAX_UPLOAD)),
        )
        .route("/console/diff", get(pages::diff))
        .route("/console/publish", get(pages::publish))
        .route("/console/publish/freeze", post(pages::freeze))
        .route(
            "/console/publish/{id}/candidate.json",
            get(pages::candidate_file),
        )
        .route(
            "/console/publish/{id}/signatures",
            post(pages::upload_signatures),
        )
        .route("/console/audit", get(pages::audit))
        .route("/console/guides", get(guides::list))
        .route(
            "/console/guides/new",
            get(guides::new_form).post(guides::create),
        )
        .route("/console/guides/freeze", post(guides::freeze))
        .route(
            "/console/guides/{id}",
            get(guides::edit_form).post(guides::save),
        )
        .route("/console/guides/{id}/delete", post(guides::delete))
        .layer(DefaultBodyLimit::max(MAX_FORM))
        .layer(middleware::from_fn(harden))
}

#[cfg(test)]
mod tests;

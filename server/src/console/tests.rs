//! Security tests of the console: CSRF, roles, cookie flags, no cookie on public routes,
//! escaping of stored HTML.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use tower::ServiceExt;

use crate::advocates::{self, Role};
use crate::db::Db;
use crate::http::{router, AppState};

/// A console on a fresh demo database (the guides pages' tests use it too).
pub(super) struct T {
    _dir: tempfile::TempDir,
    pub(super) state: AppState,
}

impl T {
    pub(super) fn new(secure: bool) -> T {
        let dir = tempfile::tempdir().expect("tmp");
        let db = Db::open(dir.path()).expect("db");
        crate::demo::ensure(&db, dir.path(), 1_700_000_000_000).expect("demo");
        let state = AppState::new(db)
            .expect("state")
            .with_secure_cookies(secure);
        T { _dir: dir, state }
    }

    pub(super) fn token(&self, name: &str, role: Role) -> String {
        advocates::add(self.state.db(), name, role, 1, "test")
            .expect("add")
            .0
    }

    pub(super) async fn send(
        &self,
        req: Request<Body>,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let r = router(self.state.clone())
            .oneshot(req)
            .await
            .expect("response");
        let status = r.status();
        let headers = r.headers().clone();
        let body = axum::body::to_bytes(r.into_body(), 1 << 24)
            .await
            .expect("body");
        (status, headers, String::from_utf8_lossy(&body).into_owned())
    }

    pub(super) async fn get(
        &self,
        path: &str,
        cookie: &str,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        self.send(
            Request::get(path)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .expect("req"),
        )
        .await
    }

    pub(super) async fn post(
        &self,
        path: &str,
        cookie: &str,
        form: &str,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        self.send(
            Request::post(path)
                .header(header::COOKIE, cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form.to_owned()))
                .expect("req"),
        )
        .await
    }

    /// Signs in; returns (cookie header, csrf token).
    async fn sign_in(&self, token: &str) -> (String, String) {
        self.sign_in_at(token, "/console/resources").await
    }

    /// Signs in and reads the csrf token from the page at `page`; returns (cookie header,
    /// csrf token).
    pub(super) async fn sign_in_at(&self, token: &str, page: &str) -> (String, String) {
        let (_, h, body) = self.get("/console/login", "").await;
        let pre = set_cookie(&h, super::LOGIN_COOKIE).expect("login cookie");
        assert!(body.contains(&pre));
        let (status, h, _) = self
            .post(
                "/console/login",
                &format!("{}={pre}", super::LOGIN_COOKIE),
                &format!("csrf={pre}&token={token}"),
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let sid = set_cookie(&h, super::COOKIE).expect("session cookie");
        let cookie = format!("{}={sid}", super::COOKIE);
        let (_, _, page) = self.get(page, &cookie).await;
        let csrf = page
            .split(r#"name="csrf" value=""#)
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("csrf in page")
            .to_owned();
        (cookie, csrf)
    }
}

fn set_cookies(h: &axum::http::HeaderMap) -> Vec<String> {
    h.get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_owned)
        .collect()
}

fn set_cookie(h: &axum::http::HeaderMap, name: &str) -> Option<String> {
    set_cookies(h).into_iter().find_map(|c| {
        c.strip_prefix(&format!("{name}="))
            .map(|v| v.split(';').next().unwrap_or("").to_owned())
    })
}

fn edit_form(csrf: &str, phone: &str) -> String {
    format!(
        "csrf={csrf}&lang=en&name=Line&organization=Org&categories=hotline&country=US&phone_count=0&phone_number_0={}&phone_country_0=US&phone_kind_0=voice&last_verified=2026-11-01&source=test",
        phone.replace('+', "%2B").replace(' ', "+")
    )
}

#[tokio::test]
async fn session_cookie_is_scoped_httponly_strict_and_secure_when_asked() {
    for secure in [false, true] {
        let t = T::new(secure);
        let token = t.token("ana", Role::Editor);
        let (_, h, _) = t.get("/console/login", "").await;
        let pre = set_cookie(&h, super::LOGIN_COOKIE).expect("pre");
        let (_, h, _) = t
            .post(
                "/console/login",
                &format!("{}={pre}", super::LOGIN_COOKIE),
                &format!("csrf={pre}&token={token}"),
            )
            .await;
        let c = set_cookies(&h)
            .into_iter()
            .find(|c| c.starts_with("wp_console="))
            .expect("cookie");
        assert!(c.contains("; Path=/console;"), "{c}");
        assert!(c.contains("; HttpOnly"), "{c}");
        assert!(c.contains("; SameSite=Strict"), "{c}");
        assert_eq!(c.contains("; Secure"), secure, "{c}");
    }
}

#[tokio::test]
async fn wrong_token_and_missing_login_csrf_are_refused() {
    let t = T::new(false);
    let token = t.token("ana", Role::Editor);
    let (_, h, _) = t.get("/console/login", "").await;
    let pre = set_cookie(&h, super::LOGIN_COOKIE).expect("pre");
    let cookie = format!("{}={pre}", super::LOGIN_COOKIE);
    let (s, h, _) = t
        .post(
            "/console/login",
            &cookie,
            &format!("csrf={pre}&token={token}x"),
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(set_cookie(&h, super::COOKIE).is_none());
    let (s, h, _) = t
        .post(
            "/console/login",
            &cookie,
            &format!("csrf=other&token={token}"),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(set_cookie(&h, super::COOKIE).is_none());
}

#[tokio::test]
async fn posts_without_the_csrf_token_or_from_another_origin_are_refused() {
    let t = T::new(false);
    let token = t.token("ana", Role::Publisher);
    let (cookie, csrf) = t.sign_in(&token).await;
    let before = crate::publish::draft_get(t.state.db(), "us-988").expect("get");
    for form in [
        edit_form("", "+1 202 555 0100"),
        edit_form("wrong", "+1 202 555 0100"),
        edit_form(&csrf, "+1 202 555 0100").replace(&format!("csrf={csrf}&"), ""),
    ] {
        let (s, _, _) = t.post("/console/resources/us-988", &cookie, &form).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{form}");
    }
    let (s, _, _) = t
        .post("/console/publish/freeze", &cookie, "csrf=nope")
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = t
        .post("/console/resources/us-988/delete", &cookie, "")
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // The right token from a foreign page is refused too.
    let r = Request::post("/console/resources/us-988/delete")
        .header(header::COOKIE, &cookie)
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("csrf={csrf}")))
        .expect("req");
    assert_eq!(t.send(r).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        crate::publish::draft_get(t.state.db(), "us-988").expect("get"),
        before,
        "nothing changed"
    );
    // With the token it works.
    let (s, _, _) = t
        .post(
            "/console/resources/us-988",
            &cookie,
            &edit_form(&csrf, "+1 202 555 0100"),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn roles_are_enforced() {
    let t = T::new(false);
    let editor = t.token("ed", Role::Editor);
    let (cookie, csrf) = t.sign_in(&editor).await;
    let (s, _, _) = t
        .post("/console/publish/freeze", &cookie, &format!("csrf={csrf}"))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "an editor cannot freeze");
    let (s, _, _) = t.get("/console/audit", &cookie).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "only admins read the audit log");
    let (s, _, _) = t.get("/console/publish/1/candidate.json", &cookie).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    // Revoking the token ends the session.
    advocates::revoke(t.state.db(), "ed", 2, "test").expect("revoke");
    let (s, h, _) = t.get("/console/resources", &cookie).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        h.get(header::LOCATION).and_then(|v| v.to_str().ok()),
        Some("/console/login")
    );
    let admin = t.token("ad", Role::Admin);
    let (cookie, _) = t.sign_in(&admin).await;
    assert_eq!(t.get("/console/audit", &cookie).await.0, StatusCode::OK);
}

#[tokio::test]
async fn public_routes_never_set_or_read_a_cookie() {
    let t = T::new(true);
    let token = t.token("ana", Role::Admin);
    let (cookie, _) = t.sign_in(&token).await;
    for path in ["/v1/manifest", "/v1/bundles/1", "/healthz", "/v1/keysets/1"] {
        let (s, h, _) = t.get(path, &cookie).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert!(set_cookies(&h).is_empty(), "{path}");
        assert!(
            h.get(header::CONTENT_SECURITY_POLICY).is_none(),
            "{path} is untouched by the console"
        );
    }
    // The session cookie does not authenticate the API either.
    let (s, _, _) = t.get("/api/draft/resources", &cookie).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn stored_html_is_escaped_everywhere_and_no_script_may_run() {
    let t = T::new(false);
    let token = t.token("<b>ana</b>", Role::Admin);
    let mut r = crate::demo::resources().remove(0);
    let id = r["id"].as_str().expect("id").to_owned();
    let evil = r#"<script>alert(1)</script><img src=x onerror=alert(2)>"#;
    r["name"]["en"] = serde_json::json!(evil);
    r["description"] = serde_json::json!({"en": "\"><svg onload=alert(3)>"});
    crate::publish::draft_put(t.state.db(), &id, r, "test", 1).expect("put");
    let (cookie, _) = t.sign_in(&token).await;
    for path in [
        "/console/resources".to_owned(),
        format!("/console/resources/{id}"),
        format!("/console/resources/{id}/preview"),
        "/console/diff".to_owned(),
        "/console/audit".to_owned(),
        "/console/resources?q=%3Cscript%3E".to_owned(),
    ] {
        let (s, h, body) = t.get(&path, &cookie).await;
        assert_eq!(s, StatusCode::OK, "{path}");
        assert!(!body.contains("<script"), "{path}");
        assert!(!body.contains("<img"), "{path}");
        assert!(!body.contains("<svg"), "{path}");
        assert!(!body.contains("<b>ana"), "{path}");
        let csp = h
            .get(header::CONTENT_SECURITY_POLICY)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(
            csp.contains("default-src 'none'") && !csp.contains("script-src"),
            "{path}: {csp}"
        );
    }
    let (_, _, body) = t
        .get(&format!("/console/resources/{id}/preview"), &cookie)
        .await;
    assert!(
        body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "text is shown, escaped"
    );
}

#[tokio::test]
async fn a_bad_phone_gets_a_field_level_error_and_nothing_is_saved() {
    let t = T::new(false);
    let token = t.token("ana", Role::Editor);
    let (cookie, csrf) = t.sign_in(&token).await;
    let before = crate::publish::draft_get(t.state.db(), "us-988").expect("get");
    let (s, _, body) = t
        .post(
            "/console/resources/us-988",
            &cookie,
            &edit_form(&csrf, "+1 555 12"),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains(r#"id="err-phones-0-""#),
        "error next to the phone field"
    );
    assert!(body.contains(r#"aria-invalid="true" aria-describedby="err-phones-0-""#));
    assert_eq!(
        crate::publish::draft_get(t.state.db(), "us-988").expect("get"),
        before
    );
    let (s, _, _) = t
        .post(
            "/console/resources/us-988",
            &cookie,
            &edit_form(&csrf, "+1 202 555 0100"),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let after = crate::publish::draft_get(t.state.db(), "us-988")
        .expect("get")
        .expect("some");
    assert_eq!(after["phones"][0]["number"], "+1 202 555 0100");
}

#[test]
fn preview_builds_the_phones_dial_links() {
    let r: waypoint_format::Record =
        serde_json::from_value(crate::demo::resources().remove(0)).expect("record");
    let html = super::pages::preview_html(&r);
    assert!(html.contains("href=\"tel:"), "{html}");
}

#[tokio::test]
async fn without_a_session_an_upload_is_refused_before_its_body_is_read_and_other_forms_are_small()
{
    let t = T::new(false);
    // No session: refused (403), whatever the body.
    let r = Request::post("/console/import")
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
        .body(Body::from(
            "--x\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nz\r\n--x--\r\n",
        ))
        .expect("req");
    assert_eq!(t.send(r).await.0, StatusCode::FORBIDDEN);
    // A sign-in form larger than the form limit is refused without reaching a handler.
    let big = format!("csrf=a&token={}", "a".repeat(super::MAX_FORM + 10));
    let (s, _, _) = t.post("/console/login", "", &big).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn an_import_upload_shows_its_report_and_changes_nothing_on_error() {
    let t = T::new(false);
    let token = t.token("ana", Role::Editor);
    let (cookie, csrf) = t.sign_in(&token).await;
    let before = crate::publish::draft_list(t.state.db())
        .expect("list")
        .len();
    let csv = "name,categories,country,phones,last_verified\nA <b>line</b>,hotline,US,+1 555 12,2026-11-01\nB,astrology,US,,2026-11-01\n";
    let body = format!(
        "--x\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--x--\r\n"
    );
    let r = Request::post("/console/import")
        .header(header::COOKIE, &cookie)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=x")
        .body(Body::from(body))
        .expect("req");
    let (s, _, page) = t.send(r).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("<td>line 2</td>") && page.contains("<td>line 3</td>"),
        "{page}"
    );
    assert!(page.contains("unknown category"));
    assert!(!page.contains("<b>line"), "escaped");
    assert_eq!(
        crate::publish::draft_list(t.state.db())
            .expect("list")
            .len(),
        before
    );
}

#[tokio::test]
async fn search_matches_record_text_not_field_names() {
    let t = T::new(false);
    let token = t.token("ana", Role::Editor);
    let (cookie, _) = t.sign_in(&token).await;
    let (_, _, all) = t.get("/console/resources?q=organization", &cookie).await;
    assert!(
        all.contains("No resources match."),
        "field names are not searched"
    );
    let (_, _, hit) = t.get("/console/resources?q=988", &cookie).await;
    assert!(hit.contains("us-988"));
    let (_, _, filtered) = t
        .get("/console/resources?category=legal_aid&q=988", &cookie)
        .await;
    assert!(!filtered.contains("/console/resources/us-988\""));
}

#[tokio::test]
async fn hours_need_a_zone_name_and_are_saved_as_a_schedule() {
    let t = T::new(false);
    let token = t.token("ana", Role::Editor);
    let (cookie, csrf) = t.sign_in(&token).await;
    let base = edit_form(&csrf, "+1 202 555 0100");
    for (tz, want) in [
        ("", "without a time zone"),
        ("-05%3A00", "numeric UTC offset"),
    ] {
        let form = format!("{base}&hours=Mo-Fr+09%3A00-17%3A00&timezone={tz}");
        let (s, _, body) = t.post("/console/resources/us-988", &cookie, &form).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{tz}");
        assert!(
            body.contains(want) && body.contains(r#"id="err-timezone""#),
            "{tz}"
        );
        assert!(
            body.contains("Mo-Fr 09:00-17:00"),
            "the typed hours are kept in the form"
        );
    }
    let form = format!("{base}&hours=Mo-Fr+09%3A00-17%3A00&timezone=America%2FNew_York");
    let (s, _, _) = t.post("/console/resources/us-988", &cookie, &form).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let v = crate::publish::draft_get(t.state.db(), "us-988")
        .expect("get")
        .expect("some");
    assert_eq!(v["schedule"]["timezone"], "America/New_York");
    assert_eq!(v["schedule"]["weekly"].as_array().map(Vec::len), Some(5));
    let (_, _, page) = t.get("/console/resources/us-988", &cookie).await;
    assert!(page.contains("Mo 09:00-17:00; Tu 09:00-17:00"));
}

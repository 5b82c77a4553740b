//! The console's guides pages: write, refuse with the rule named (keeping what was typed),
//! escape, roles and CSRF, and freeze into a guides candidate.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use tower::ServiceExt;

use crate::advocates::{self, Role};
use crate::db::Db;
use crate::http::{router, AppState};

struct T {
    _dir: tempfile::TempDir,
    state: AppState,
}

fn enc(v: &str) -> String {
    v.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

impl T {
    fn new() -> T {
        let dir = tempfile::tempdir().expect("tmp");
        let db = Db::open(dir.path()).expect("db");
        crate::demo::ensure(&db, dir.path(), 1_700_000_000_000).expect("demo");
        let state = AppState::new(db).expect("state");
        T { _dir: dir, state }
    }

    async fn send(&self, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
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

    async fn get(&self, path: &str, cookie: &str) -> (StatusCode, axum::http::HeaderMap, String) {
        self.send(
            Request::get(path)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .expect("req"),
        )
        .await
    }

    async fn post(
        &self,
        path: &str,
        cookie: &str,
        body: &str,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        self.send(
            Request::post(path)
                .header(header::COOKIE, cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body.to_owned()))
                .expect("req"),
        )
        .await
    }

    /// Signs in an advocate with `role`; returns (cookie, csrf).
    async fn sign_in(&self, name: &str, role: Role) -> (String, String) {
        let token = advocates::add(self.state.db(), name, role, 1, "test")
            .expect("add")
            .0;
        let (_, h, _) = self.get("/console/login", "").await;
        let pre = cookie_of(&h, super::super::LOGIN_COOKIE);
        let (status, h, _) = self
            .post(
                "/console/login",
                &format!("{}={pre}", super::super::LOGIN_COOKIE),
                &format!("csrf={pre}&token={token}"),
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER);
        let cookie = format!(
            "{}={}",
            super::super::COOKIE,
            cookie_of(&h, super::super::COOKIE)
        );
        let (_, _, page) = self.get("/console/guides", &cookie).await;
        let csrf = page
            .split(r#"name="csrf" value=""#)
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("csrf in page")
            .to_owned();
        (cookie, csrf)
    }
}

fn cookie_of(h: &axum::http::HeaderMap, name: &str) -> String {
    h.get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| {
            c.strip_prefix(&format!("{name}="))
                .map(|v| v.split(';').next().unwrap_or("").to_owned())
        })
        .expect("cookie set")
}

const EN: &str = "# Unpaid wages\r\n\r\nYou have a right to be paid.\r\n\r\n## Ask for help\r\nA legal aid group can help.\r\n\r\n-> legal_aid\r\n";
const ES: &str = "# Salarios no pagados\r\n\r\nTienes derecho a tu pago.\r\n\r\n## Pide ayuda\r\nUn grupo de ayuda legal puede ayudarte.\r\n\r\n-> legal_aid\r\n";

fn guide_form(csrf: &str, source_url: &str, en: &str) -> String {
    form(&[
        ("csrf", csrf),
        ("id", "pub-wages"),
        ("last_reviewed", "2026-11-02"),
        (
            "sources",
            &format!("Example Workers' Center | {source_url}"),
        ),
        ("text_en", en),
        ("review_en", "complete"),
        ("text_es", ES),
        ("review_es", "needs_native_review"),
        ("text_ar", ""),
        ("other_tag", ""),
        ("text_other", ""),
    ])
}

#[tokio::test]
async fn an_advocate_writes_a_guide_in_two_languages_and_a_publisher_freezes_it() {
    let t = T::new();
    let (cookie, csrf) = t.sign_in("ana", Role::Editor).await;
    let (s, _, page) = t.get("/console/guides/new", &cookie).await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains(r#"name="text_zh-Hans""#),
        "a box per shipped language"
    );
    assert!(page.contains("legal_aid"), "the kinds of help are listed");
    let (s, h, _) = t
        .post(
            "/console/guides/new",
            &cookie,
            &guide_form(&csrf, "https://example.org", EN),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(
        h.get(header::LOCATION).expect("to"),
        "/console/guides?done=saved"
    );
    let (_, _, list) = t.get("/console/guides?done=saved", &cookie).await;
    assert!(
        list.contains("pub-wages") && list.contains("Unpaid wages") && list.contains("en, es"),
        "{list}"
    );
    assert!(
        !list.contains("/console/guides/freeze"),
        "editors do not freeze"
    );
    let stored = crate::guides::draft_get(t.state.db(), "pub-wages")
        .expect("db")
        .expect("saved");
    assert!(
        !stored.texts["en"].contains('\r'),
        "stored with plain line breaks"
    );
    let (s, _, edit) = t.get("/console/guides/pub-wages", &cookie).await;
    assert_eq!(s, StatusCode::OK);
    assert!(edit.contains("Salarios no pagados"));
    // An editor cannot freeze; a publisher can, and the candidate is on the Publish page.
    let (s, _, _) = t
        .post("/console/guides/freeze", &cookie, &form(&[("csrf", &csrf)]))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (pcookie, pcsrf) = t.sign_in("pia", Role::Publisher).await;
    let (s, h, _) = t
        .post(
            "/console/guides/freeze",
            &pcookie,
            &form(&[("csrf", &pcsrf)]),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{h:?}");
    let (_, _, publish) = t.get("/console/publish", &pcookie).await;
    assert!(publish.contains("guides version 1"), "{publish}");
}

#[tokio::test]
async fn a_guide_breaking_the_phones_rules_is_refused_keeping_what_was_typed() {
    let t = T::new();
    let (cookie, csrf) = t.sign_in("ana", Role::Editor).await;
    let (s, _, page) = t
        .post(
            "/console/guides/new",
            &cookie,
            &guide_form(&csrf, "http://example.org", EN),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Nothing was saved") && page.contains("https"),
        "{page}"
    );
    assert!(
        page.contains("Salarios no pagados"),
        "what was typed is kept"
    );
    let different = EN.replace("-> legal_aid", "-> hotline");
    let (s, _, page) = t
        .post(
            "/console/guides/new",
            &cookie,
            &guide_form(&csrf, "https://example.org", &different),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("differ in their sections or links"), "{page}");
    assert!(crate::guides::draft_list(t.state.db())
        .expect("list")
        .is_empty());
}

#[tokio::test]
async fn guide_text_is_escaped_and_a_post_without_the_forms_token_is_refused() {
    let t = T::new();
    let (cookie, csrf) = t.sign_in("ana", Role::Editor).await;
    let hostile = EN.replace(
        "You have a right",
        "<script>alert(1)</script> You have a right",
    );
    let (s, _, _) = t
        .post(
            "/console/guides/new",
            &cookie,
            &guide_form(&csrf, "https://example.org", &hostile),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, _, edit) = t.get("/console/guides/pub-wages", &cookie).await;
    assert!(!edit.contains("<script>alert"), "escaped");
    assert!(edit.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let (s, _, _) = t
        .post(
            "/console/guides/new",
            &cookie,
            &guide_form("forged", "https://example.org", EN),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = t
        .post(
            "/console/guides/pub-wages/delete",
            &cookie,
            &form(&[("csrf", &csrf)]),
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(crate::guides::draft_list(t.state.db())
        .expect("list")
        .is_empty());
}

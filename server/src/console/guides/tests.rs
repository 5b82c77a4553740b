//! The console's guides pages: write, refuse with the rule named (keeping what was typed),
//! escape, roles and CSRF, and freeze into a guides candidate.

use axum::http::{header, StatusCode};

use super::super::tests::T as Console;
use crate::advocates::Role;

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

/// The console tests' console, signing in by name and role and reading the csrf token
/// from the guides page.
struct T(Console);

impl std::ops::Deref for T {
    type Target = Console;
    fn deref(&self) -> &Console {
        &self.0
    }
}

impl T {
    fn new() -> T {
        T(Console::new(false))
    }

    /// Signs in an advocate with `role`; returns (cookie, csrf).
    async fn sign_in(&self, name: &str, role: Role) -> (String, String) {
        let token = self.token(name, role);
        self.sign_in_at(&token, "/console/guides").await
    }
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

#[tokio::test]
async fn editing_or_saving_a_guide_that_does_not_exist_is_not_found_and_stores_nothing() {
    let t = T::new();
    let (cookie, csrf) = t.sign_in("ana", Role::Editor).await;
    let (s, _, _) = t.get("/console/guides/pub-nope", &cookie).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _, _) = t
        .post(
            "/console/guides/pub-nope",
            &cookie,
            &guide_form(&csrf, "https://example.org", EN),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(crate::guides::draft_list(t.state.db())
        .expect("list")
        .is_empty());
}

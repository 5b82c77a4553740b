//! Guides publishing: candidate -> publisher signatures (reviewed by the publisher's own
//! tool code) -> threshold -> public, and the public routes.

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;
use waypoint_format::guides::{verify_guides, verify_guides_manifest, GuideSource, ReviewState};
use waypoint_format::guides_review::review_guides;
use waypoint_format::publish::PublisherKey;
use waypoint_format::review::Published;

use super::*;
use crate::http::router;

const NOW_MS: i64 = 1_800_000_000_000;

struct T {
    dir: tempfile::TempDir,
    state: AppState,
}

impl T {
    fn new() -> T {
        let dir = tempfile::tempdir().expect("tmp");
        let db = Db::open(dir.path()).expect("db");
        crate::demo::ensure(&db, dir.path(), NOW_MS).expect("demo");
        let state = AppState::new(db).expect("state");
        T { dir, state }
    }

    fn db(&self) -> &Db {
        self.state.db()
    }

    fn keys(&self) -> Vec<PublisherKey> {
        (1..=2)
            .map(|n| {
                PublisherKey::read_key_file(
                    &crate::demo::keys_dir(self.dir.path()).join(format!("publisher-{n}.key.json")),
                )
                .expect("demo key")
            })
            .collect()
    }

    fn pinned(&self) -> Vec<u8> {
        std::fs::read(crate::demo::keys_dir(self.dir.path()).join("keyset.json")).expect("keyset")
    }

    async fn get(&self, path: &str) -> (StatusCode, Vec<u8>) {
        let r = router(self.state.clone())
            .oneshot(Request::get(path).body(Body::empty()).expect("req"))
            .await
            .expect("response");
        let status = r.status();
        let body = axum::body::to_bytes(r.into_body(), 1 << 24)
            .await
            .expect("body");
        (status, body.to_vec())
    }

    /// Each demo publisher reviews the candidate with the tool's code and uploads.
    fn sign_round(&self, c: &CandidateFile) -> SignatureOutcome {
        let published =
            Published::from_keysets(&self.pinned(), &[], NOW_MS / 1000).expect("pinned");
        let mut last = None;
        for k in self.keys() {
            let r =
                review_guides(c, &published, None, &k.key_id(), NOW_MS / 1000).expect("reviewed");
            last = Some(
                crate::publish::add_signature(self.db(), c.candidate, &r.sign(&k), "pub", NOW_MS)
                    .expect("accepted"),
            );
        }
        self.state.reload_tree().expect("reload");
        last.expect("two keys")
    }
}

fn guide(id: &str, url: &str) -> Guide {
    let en = "# Your pay\n\nYou have a right to be paid.\n\n## Ask for help\nA legal aid group can help.\n\n-> legal_aid\n";
    let es = "# Tu salario\n\nTienes derecho a tu pago.\n\n## Pide ayuda\nUn grupo de ayuda legal puede ayudarte.\n\n-> legal_aid\n";
    Guide {
        id: id.into(),
        last_reviewed: "2026-11-30".into(),
        sources: vec![GuideSource {
            name: "Example Legal Aid".into(),
            url: url.into(),
        }],
        texts: BTreeMap::from([
            ("en".to_owned(), en.to_owned()),
            ("es".to_owned(), es.to_owned()),
        ]),
        review: BTreeMap::from([
            ("en".to_owned(), ReviewState::Complete),
            ("es".to_owned(), ReviewState::NeedsNativeReview),
        ]),
    }
}

/// A signature file carrying one signature `s` on the `guides` item of `candidate`.
fn guides_signature(
    candidate: i64,
    s: waypoint_format::envelope::Signature,
) -> waypoint_format::candidate::SignatureFile {
    waypoint_format::candidate::SignatureFile {
        candidate,
        signatures: vec![waypoint_format::candidate::ItemSignature {
            item: "guides".into(),
            keyid: s.keyid,
            sig: s.sig,
        }],
    }
}

impl T {
    /// Saves the guide `pub-pay` and freezes it into a guides candidate.
    fn freeze_one_guide(&self) -> waypoint_format::candidate::CandidateFile {
        draft_put(
            self.db(),
            &guide("pub-pay", "https://example.org"),
            "advocate",
            NOW_MS,
        )
        .expect("saved");
        freeze(self.db(), "publisher", NOW_MS).expect("frozen")
    }
}

#[tokio::test]
async fn guides_go_public_only_once_the_threshold_signed_the_guides_and_their_manifest() {
    let t = T::new();
    assert_eq!(t.get("/v1/guides/manifest").await.0, StatusCode::NOT_FOUND);
    assert_eq!(t.get("/v1/guides/1").await.0, StatusCode::NOT_FOUND);
    let c = t.freeze_one_guide();
    assert_eq!((c.kind.as_str(), c.version), ("guides", 1));
    let first = t.sign_round(&c);
    assert!(!first.published);
    assert_eq!(first.pending, vec!["guides-manifest"]);
    assert_eq!(t.get("/v1/guides/manifest").await.0, StatusCode::NOT_FOUND);
    let c = candidate(t.db(), c.candidate).expect("with manifest");
    let second = t.sign_round(&c);
    assert!(second.published, "{:?}", second.pending);
    let (s, manifest) = t.get("/v1/guides/manifest").await;
    assert_eq!(s, StatusCode::OK);
    let (s, file) = t.get("/v1/guides/1").await;
    assert_eq!(s, StatusCode::OK);
    // What is served verifies as a phone verifies it.
    let keyset = waypoint_format::verify_root_keyset(&t.pinned(), NOW_MS / 1000).expect("keyset");
    let policy = Policy::update(NOW_MS / 1000, None);
    let m = verify_guides_manifest(&manifest, &keyset, &policy).expect("manifest");
    assert!(m.names(&file));
    let g = verify_guides(&file, &keyset, &policy).expect("guides");
    assert_eq!(g.guides()[0].id(), "pub-pay");
    // The directory's own paths did not change.
    assert_eq!(t.get("/v1/manifest").await.0, StatusCode::OK);
    // The next freeze is version 2.
    assert_eq!(
        freeze(t.db(), "publisher", NOW_MS).expect("again").version,
        2
    );
}

#[test]
fn a_draft_that_breaks_the_phones_rules_is_refused_with_the_rule_named() {
    let t = T::new();
    match draft_put(
        t.db(),
        &guide("pub-pay", "http://example.org"),
        "advocate",
        NOW_MS,
    ) {
        Err(PublishError::Invalid(errors)) => {
            assert!(errors[0].reason.contains("https"), "{errors:?}")
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert!(draft_put(
        t.db(),
        &guide("rights", "https://example.org"),
        "advocate",
        NOW_MS
    )
    .is_err());
    assert!(draft_list(t.db()).expect("list").is_empty());
    assert!(matches!(
        freeze(t.db(), "publisher", NOW_MS),
        Err(PublishError::Conflict(_))
    ));
}

#[test]
fn a_signature_by_a_stranger_or_over_another_domain_is_refused() {
    let t = T::new();
    let c = t.freeze_one_guide();
    let payload = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD
            .decode(&c.items[0].payload)
            .expect("b64")
    };
    let stranger = PublisherKey::generate();
    let forged = guides_signature(c.candidate, stranger.sign(PayloadType::Guides, &payload));
    assert!(crate::publish::add_signature(t.db(), c.candidate, &forged, "x", NOW_MS).is_err());
    let k = &t.keys()[0];
    let wrong_domain = guides_signature(c.candidate, k.sign(PayloadType::Bundle, &payload));
    assert!(
        crate::publish::add_signature(t.db(), c.candidate, &wrong_domain, "x", NOW_MS).is_err()
    );
}

#[tokio::test]
async fn publishing_the_directory_leaves_an_open_guides_candidate_open() {
    use waypoint_format::review::{review, Mode};
    let t = T::new();
    let c = t.freeze_one_guide();
    // Directory version 2, signed in its two rounds.
    let mut published = Published::from_keysets(&t.pinned(), &[], NOW_MS / 1000).expect("pinned");
    published
        .set_bundle(&t.get("/v1/bundles/1").await.1, NOW_MS / 1000)
        .expect("v1");
    let mut d = crate::publish::freeze_draft(t.db(), "publisher", NOW_MS + 1000).expect("draft");
    let mut done = false;
    for _ in 0..2 {
        for k in t.keys() {
            let r =
                review(&d, &published, &k.key_id(), Mode::default(), NOW_MS / 1000).expect("ok");
            done =
                crate::publish::add_signature(t.db(), d.candidate, &r.sign(&k), "p", NOW_MS + 1000)
                    .expect("signed")
                    .published;
        }
        d = candidate(t.db(), d.candidate).expect("again");
    }
    assert!(done, "the directory was published");
    assert_eq!(
        candidate(t.db(), c.candidate).expect("still there").state,
        "open"
    );
}

use super::*;
use crate::publish::{build_keyset, sign_envelope, PublisherKey};

const NOW: i64 = 1_800_000_000;

fn text(title: &str, link2: &str) -> String {
    format!("# {title}\n\nA summary.\n\n## First\nSome words.\n\n-> legal_aid\n\n## Second\nMore words.\n\n-> {link2}\n")
}

fn guide(id: &str) -> Guide {
    Guide {
        id: id.into(),
        last_reviewed: "2026-11-30".into(),
        sources: vec![GuideSource {
            name: "Example Legal Aid".into(),
            url: "https://example.org".into(),
        }],
        texts: [
            ("en".to_owned(), text("Pay", "hotline")),
            ("es".to_owned(), text("Pago", "hotline")),
        ]
        .into_iter()
        .collect(),
        review: [
            ("en".to_owned(), ReviewState::Complete),
            ("es".to_owned(), ReviewState::NeedsNativeReview),
        ]
        .into_iter()
        .collect(),
    }
}

fn setup() -> (PublisherKey, Keyset) {
    let k = PublisherKey::generate();
    let ks = build_keyset(1, NOW + 10 * 365 * 86_400, 1, vec![k.public_entry()]);
    (k, ks)
}

fn signed(k: &PublisherKey, version: u64, guides: Vec<Guide>) -> Vec<u8> {
    let p = build_guides_payload(version, NOW - 60, NOW + 86_400, guides).expect("valid");
    sign_envelope(PayloadType::Guides, p, &[k]).to_bytes()
}

#[test]
fn a_signed_set_verifies_and_keeps_every_language_parsed() {
    let (k, ks) = setup();
    let v = verify_guides(
        &signed(&k, 2, vec![guide("pub-pay")]),
        &ks,
        &Policy::update(NOW, Some(1)),
    )
    .expect("verifies");
    assert_eq!(v.version(), 2);
    let g = &v.guides()[0];
    assert_eq!(g.parsed("es").expect("es").title, "Pago");
    assert_eq!(g.review("es"), Some(ReviewState::NeedsNativeReview));
    assert_eq!(
        g.parsed("en").expect("en").categories(),
        vec![Category::LegalAid, Category::Hotline]
    );
}

#[test]
fn a_lower_or_equal_version_is_a_rollback_and_the_floor_is_independent() {
    let (k, ks) = setup();
    let bytes = signed(&k, 2, vec![guide("pub-pay")]);
    for held in [2, 3] {
        assert!(matches!(
            verify_guides(&bytes, &ks, &Policy::update(NOW, Some(held))),
            Err(FormatError::Rollback { .. })
        ));
    }
}

#[test]
fn the_content_rules_reject_the_whole_payload() {
    type Change = Box<dyn Fn(&mut Guide)>;
    let cases: Vec<(&str, Change)> = vec![
        ("id", Box::new(|g: &mut Guide| g.id = "pub-".into())),
        ("id case", Box::new(|g: &mut Guide| g.id = "pub-Pay".into())),
        (
            "date",
            Box::new(|g: &mut Guide| g.last_reviewed = "2026-02-30".into()),
        ),
        ("no source", Box::new(|g: &mut Guide| g.sources.clear())),
        (
            "javascript url",
            Box::new(|g: &mut Guide| g.sources[0].url = "javascript:alert(1)".into()),
        ),
        (
            "control",
            Box::new(|g: &mut Guide| {
                g.texts.insert("en".into(), text("Pay\u{1b}[2J", "hotline"));
            }),
        ),
        (
            "review languages",
            Box::new(|g: &mut Guide| {
                g.review.remove("es");
            }),
        ),
        (
            "html heading",
            Box::new(|g: &mut Guide| {
                g.texts.insert(
                    "en".into(),
                    format!("{}### deeper\n", text("Pay", "hotline")),
                );
            }),
        ),
        (
            "bad tag",
            Box::new(|g: &mut Guide| {
                let t = g.texts.remove("es").expect("es");
                g.texts.insert("e s".into(), t);
                g.review.remove("es");
                g.review.insert("e s".into(), ReviewState::Complete);
            }),
        ),
    ];
    for (what, change) in cases {
        let mut g = guide("pub-pay");
        change(&mut g);
        let err = build_guides_payload(1, NOW, NOW + 1, vec![g]).expect_err(what);
        assert!(
            matches!(err, FormatError::Malformed { .. }),
            "{what}: {err}"
        );
    }
    let too_many: Vec<Guide> = (0..=MAX_GUIDES)
        .map(|i| guide(&format!("pub-g{i}")))
        .collect();
    assert!(build_guides_payload(1, NOW, NOW + 1, too_many).is_err());
    assert!(build_guides_payload(1, NOW, NOW + 1, vec![guide("pub-a"), guide("pub-a")]).is_err());
    let mut sections = guide("pub-long");
    let many: String = (0..=MAX_GUIDE_SECTIONS)
        .map(|i| format!("## S{i}\ntext\n\n"))
        .collect();
    sections.texts = [("en".to_owned(), format!("# T\n\nSummary.\n\n{many}"))]
        .into_iter()
        .collect();
    sections.review = [("en".to_owned(), ReviewState::Complete)]
        .into_iter()
        .collect();
    assert!(build_guides_payload(1, NOW, NOW + 1, vec![sections]).is_err());
}

#[test]
fn no_other_signed_document_passes_as_guides_and_guides_pass_as_nothing_else() {
    let (k, ks) = setup();
    let p = build_guides_payload(1, NOW - 60, NOW + 86_400, vec![guide("pub-pay")]).expect("valid");
    for other in [
        PayloadType::Bundle,
        PayloadType::Delta,
        PayloadType::Manifest,
        PayloadType::Keyset,
        PayloadType::Freshness,
        PayloadType::GuidesManifest,
    ] {
        let mut env = sign_envelope(other, p.clone(), &[&k]);
        env.payload_type = PayloadType::Guides;
        assert!(
            matches!(
                verify_guides(&env.to_bytes(), &ks, &Policy::update(NOW, None)),
                Err(FormatError::InvalidSignature(_))
            ),
            "{other:?}"
        );
    }
    let guides = sign_envelope(PayloadType::Guides, p, &[&k]).to_bytes();
    assert!(matches!(
        crate::verify_bundle(&guides, &ks, &Policy::update(NOW, None)),
        Err(FormatError::WrongPayloadType { .. })
    ));
}

#[test]
fn the_manifest_names_the_exact_file_and_its_own_rules_hold() {
    let (k, ks) = setup();
    let file = signed(&k, 4, vec![guide("pub-pay")]);
    let m = build_guides_manifest_payload(4, NOW - 60, NOW + 3600, &file);
    let env = sign_envelope(PayloadType::GuidesManifest, m, &[&k]).to_bytes();
    let v = verify_guides_manifest(&env, &ks, &Policy::update(NOW, Some(4)))
        .expect("same version is fine");
    assert!(v.names(&file));
    let mut other = file.clone();
    other.push(b' ');
    assert!(!v.names(&other));
    assert!(matches!(
        verify_guides_manifest(&env, &ks, &Policy::update(NOW, Some(5))),
        Err(FormatError::Rollback { .. })
    ));
    assert!(matches!(
        verify_guides_manifest(&env, &ks, &Policy::update(NOW + 3601, None)),
        Err(FormatError::Expired { .. })
    ));
    let big = vec![b' '; MAX_GUIDES_MANIFEST_BYTES + 1];
    assert!(matches!(
        verify_guides_manifest(&big, &ks, &Policy::update(NOW, None)),
        Err(FormatError::Oversize { .. })
    ));
}

#[test]
fn the_publisher_sees_every_language_with_hidden_characters_escaped() {
    let mut g = guide("pub-pay");
    g.texts
        .insert("en".into(), text("Pay \u{202e}evil", "hotline"));
    let p = build_guides_payload(1, NOW, NOW + 1, vec![g]).expect("bidi override is text");
    let shown = plain_text(&check_guides_payload(&p).expect("valid"));
    assert!(shown.contains("| # Pay \\u{202e}evil"), "{shown}");
    assert!(shown.contains("| # Pago"), "{shown}");
    assert!(
        shown.contains("language es (needs native review)"),
        "{shown}"
    );
    assert!(
        shown.contains("source: Example Legal Aid <https://example.org>"),
        "{shown}"
    );
}

mod prop {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Any byte flipped, cut or added in a signed guides file is refused (or, if the
        /// change lies outside the signed payload, accepted as the same set); nothing panics.
        #[test]
        fn a_changed_guides_file_never_panics_and_never_shows_other_text(
            at in 0usize..4096, byte in any::<u8>(), cut in any::<bool>()
        ) {
            let (k, ks) = setup();
            let file = signed(&k, 2, vec![guide("pub-pay")]);
            let original = verify_guides(&file, &ks, &Policy::update(NOW, None)).expect("valid");
            let mut changed = file.clone();
            let at = at % changed.len();
            if cut { changed.truncate(at) } else { changed[at] = byte }
            if let Ok(v) = verify_guides(&changed, &ks, &Policy::update(NOW, None)) {
                prop_assert_eq!(v.guides(), original.guides());
            }
            let _ = check_guides_payload(&changed);
            let _ = verify_guides_manifest(&changed, &ks, &Policy::update(NOW, None));
        }
    }
}

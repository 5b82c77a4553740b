use super::*;
use crate::bundle::sha256_hex;
use crate::candidate::CandidateItem;
use crate::guides::{
    build_guides_manifest_payload, build_guides_payload, Guide, GuideSource, ReviewState,
};
use crate::review::tests::{item, two_publishers};
use crate::review::{review, Mode};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;

const NOW: i64 = 1_800_000_000;
const DAY: i64 = 86_400;

struct World {
    keys: Vec<PublisherKey>,
    published: Published,
}

fn world() -> World {
    let (keys, pinned) = two_publishers(NOW);
    let published = Published::from_keysets(&pinned, &[], NOW).expect("pinned");
    World { keys, published }
}

fn guide(es_body: &str) -> Guide {
    let en = "# Your pay\n\nYou have a right to be paid.\n\n## Ask for help\nA legal aid group can help.\n\n-> legal_aid\n";
    let es = format!(
        "# Tu salario\n\nTienes derecho a tu pago.\n\n## Pide ayuda\n{es_body}\n\n-> legal_aid\n"
    );
    Guide {
        id: "pub-pay".into(),
        last_reviewed: "2026-11-30".into(),
        sources: vec![GuideSource {
            name: "Example Legal Aid".into(),
            url: "https://example.org".into(),
        }],
        texts: [("en".to_owned(), en.to_owned()), ("es".to_owned(), es)]
            .into_iter()
            .collect(),
        review: [
            ("en".to_owned(), ReviewState::Complete),
            ("es".to_owned(), ReviewState::Complete),
        ]
        .into_iter()
        .collect(),
    }
}

fn payload(version: u64, es_body: &str) -> Vec<u8> {
    build_guides_payload(version, NOW - 60, NOW + 90 * DAY, vec![guide(es_body)]).expect("valid")
}

fn candidate(version: u64, items: Vec<CandidateItem>) -> CandidateFile {
    CandidateFile {
        candidate: 9,
        kind: "guides".into(),
        version,
        state: "open".into(),
        threshold: 2,
        items,
    }
}

#[test]
fn the_tool_shows_every_language_in_full_and_signs_exactly_those_bytes() {
    let w = world();
    let p = payload(1, "Un grupo de ayuda legal puede ayudarte.");
    let c = candidate(1, vec![item("guides", PayloadType::Guides, &p)]);
    let r = review_guides(&c, &w.published, None, &w.keys[0].key_id(), NOW).expect("reviewed");
    for line in [
        "| # Your pay",
        "| A legal aid group can help.",
        "| # Tu salario",
        "| Un grupo de ayuda legal puede ayudarte.",
        "source: Example Legal Aid <https://example.org>",
    ] {
        assert!(r.text.contains(line), "missing {line:?} in\n{}", r.text);
    }
    assert_eq!(r.items(), vec!["guides"]);
    let sigs = r.sign(&w.keys[0]);
    let keys = w.published.keyset().decoded_keys().expect("keys");
    let check = |bytes: &[u8]| {
        Envelope {
            payload_type: PayloadType::Guides,
            payload: bytes.to_vec(),
            signatures: vec![crate::envelope::Signature {
                keyid: sigs.signatures[0].keyid.clone(),
                sig: sigs.signatures[0].sig.clone(),
            }],
        }
        .count_valid(&keys)
    };
    assert_eq!(check(&p).expect("verifies over what was shown"), 1);
    // Bytes other than the ones shown (the server swapping the Spanish text) do not verify.
    assert!(check(&payload(1, "Texto cambiado por el servidor.")).is_err());
}

#[test]
fn a_misreported_hash_a_wrong_label_or_a_stranger_item_refuses_the_whole_candidate() {
    let w = world();
    let p = payload(1, "Texto.");
    let kid = w.keys[0].key_id();
    let mut lying = item("guides", PayloadType::Guides, &p);
    lying.sha256 = sha256_hex(b"what the server claims");
    let err =
        review_guides(&candidate(1, vec![lying]), &w.published, None, &kid, NOW).expect_err("hash");
    assert!(err.0.contains("sha256"), "{err}");
    let relabelled = item("guides", PayloadType::Bundle, &p);
    assert!(review_guides(
        &candidate(1, vec![relabelled]),
        &w.published,
        None,
        &kid,
        NOW
    )
    .is_err());
    let stranger = candidate(
        1,
        vec![
            item("guides", PayloadType::Guides, &p),
            item("bundle", PayloadType::Bundle, b"{}"),
        ],
    );
    assert!(review_guides(&stranger, &w.published, None, &kid, NOW).is_err());
    // And a guides item slipped into a directory candidate is refused by the directory review.
    let mut slipped = candidate(1, vec![item("guides", PayloadType::Guides, &p)]);
    slipped.kind = "bundle".into();
    assert!(review(&slipped, &w.published, &kid, Mode::default(), NOW).is_err());
    // The version must be the candidate's and newer than the published one.
    assert!(review_guides(
        &candidate(2, vec![item("guides", PayloadType::Guides, &p)]),
        &w.published,
        None,
        &kid,
        NOW
    )
    .is_err());
}

#[test]
fn the_manifest_is_signed_only_if_it_names_the_signed_guides_that_were_shown() {
    let w = world();
    let kid = w.keys[1].key_id();
    let p = payload(2, "Texto.");
    let signed =
        sign_envelope(PayloadType::Guides, p.clone(), &[&w.keys[0], &w.keys[1]]).to_bytes();
    let mut g = item("guides", PayloadType::Guides, &p);
    g.envelope = Some(B64.encode(&signed));
    let good_m = build_guides_manifest_payload(2, NOW, NOW + 7 * DAY, &signed);
    let c = candidate(
        2,
        vec![
            g.clone(),
            item("guides-manifest", PayloadType::GuidesManifest, &good_m),
        ],
    );
    let r = review_guides(&c, &w.published, None, &kid, NOW).expect("reviewed");
    assert_eq!(r.items(), vec!["guides-manifest"]);
    assert!(r.text.contains("| # Tu salario"), "{}", r.text);
    // A manifest naming other bytes than the signed guides.
    let mut other = signed.clone();
    other.push(b' ');
    let bad_m = build_guides_manifest_payload(2, NOW, NOW + 7 * DAY, &other);
    let c = candidate(
        2,
        vec![
            g.clone(),
            item("guides-manifest", PayloadType::GuidesManifest, &bad_m),
        ],
    );
    assert!(review_guides(&c, &w.published, None, &kid, NOW).is_err());
    // A "signed" guides envelope carrying another payload than the item shown.
    let swapped = sign_envelope(
        PayloadType::Guides,
        payload(2, "Otro."),
        &[&w.keys[0], &w.keys[1]],
    )
    .to_bytes();
    let mut g2 = g.clone();
    g2.envelope = Some(B64.encode(&swapped));
    let c = candidate(
        2,
        vec![
            g2,
            item("guides-manifest", PayloadType::GuidesManifest, &good_m),
        ],
    );
    assert!(review_guides(&c, &w.published, None, &kid, NOW).is_err());
    // A signed envelope under the threshold is refused.
    let one = sign_envelope(PayloadType::Guides, p.clone(), &[&w.keys[0]]).to_bytes();
    let mut g3 = g;
    g3.envelope = Some(B64.encode(&one));
    let m3 = build_guides_manifest_payload(2, NOW, NOW + 7 * DAY, &one);
    let c = candidate(
        2,
        vec![
            g3,
            item("guides-manifest", PayloadType::GuidesManifest, &m3),
        ],
    );
    assert!(review_guides(&c, &w.published, None, &kid, NOW).is_err());
}

#[test]
fn a_version_not_newer_than_the_published_guides_is_refused() {
    let w = world();
    let published_bytes = sign_envelope(
        PayloadType::Guides,
        payload(3, "Texto."),
        &[&w.keys[0], &w.keys[1]],
    )
    .to_bytes();
    let m = build_guides_manifest_payload(3, NOW, NOW + 7 * DAY, &published_bytes);
    let m = sign_envelope(PayloadType::GuidesManifest, m, &[&w.keys[0], &w.keys[1]]).to_bytes();
    let current = published_guides(&w.published, Some(&m), Some(&published_bytes), NOW)
        .expect("verified")
        .expect("published");
    let c = candidate(
        3,
        vec![item("guides", PayloadType::Guides, &payload(3, "Texto."))],
    );
    let err =
        review_guides(&c, &w.published, Some(&current), &w.keys[0].key_id(), NOW).expect_err("old");
    assert!(err.0.contains("not newer"), "{err}");
    // The published file must be the one its manifest names.
    assert!(published_guides(&w.published, Some(&m), Some(b"{}"), NOW).is_err());
}

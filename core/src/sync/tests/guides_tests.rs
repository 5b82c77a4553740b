//! The guides round of a sync (docs/PROTOCOL.md §18), against the hostile test server.

use std::collections::BTreeMap;

use waypoint_format::envelope::PayloadType;
use waypoint_format::guides::{
    build_guides_manifest_payload, build_guides_payload, Guide, GuideSource, ReviewState,
};
use waypoint_format::publish::{sign_envelope, PublisherKey};

use super::{Fixture, T0};
use crate::guides::published;
use crate::sync::SyncReport;

fn guide(id: &str) -> Guide {
    let en = "# Your pay\n\nYou have a right to be paid.\n\n## Ask for help\nA legal aid group can help.\n\n-> legal_aid\n";
    Guide {
        id: id.into(),
        last_reviewed: "2026-11-30".into(),
        sources: vec![GuideSource {
            name: "Example Legal Aid".into(),
            url: "https://example.org".into(),
        }],
        texts: BTreeMap::from([("en".to_owned(), en.to_owned())]),
        review: BTreeMap::from([("en".to_owned(), ReviewState::Complete)]),
    }
}

impl Fixture {
    fn signers(&self) -> Vec<&PublisherKey> {
        self.keys.iter().collect()
    }

    /// Serves `file` (a guides envelope) as version `version` with a manifest signed by
    /// `signers` naming it.
    fn serve_guides(&self, version: u64, file: Vec<u8>, signers: &[&PublisherKey]) {
        let m = build_guides_manifest_payload(version, T0 - 10, T0 + 86_400, &file);
        let m = sign_envelope(PayloadType::GuidesManifest, m, signers).to_bytes();
        let mut f = self.files.lock().expect("files");
        f.insert(format!("/v1/guides/{version}"), file);
        f.insert("/v1/guides/manifest".into(), m);
    }

    /// Publishes guides `version` holding `ids`, properly signed.
    fn publish_guides(&self, version: u64, ids: &[&str], expires: i64) {
        let p = build_guides_payload(
            version,
            T0 - 10,
            expires,
            ids.iter().map(|i| guide(i)).collect(),
        )
        .expect("valid");
        let file = sign_envelope(PayloadType::Guides, p, &self.signers()).to_bytes();
        self.serve_guides(version, file, &self.signers());
    }

    fn held_set(&self) -> Option<waypoint_format::guides::VerifiedGuides> {
        let (keysets, _) =
            crate::directory::trusted_keysets(&self.store, &crate::directory::Trust::pinned(), T0)
                .expect("keysets");
        published::held(&self.store, &keysets).expect("held").set
    }

    fn held_ids(&self) -> Vec<String> {
        self.held_set()
            .map(|s| s.guides().iter().map(|g| g.id().to_owned()).collect())
            .unwrap_or_default()
    }
}

fn refused(r: &SyncReport) -> &str {
    let reason = r
        .guides_rejected
        .as_deref()
        .unwrap_or_else(|| panic!("not refused: {r:?}"));
    assert!(!reason.contains('\n'), "one line: {reason}");
    reason
}

#[test]
fn a_server_without_guides_leaves_only_the_packaged_guides() {
    let f = Fixture::new();
    f.publish(1, &["a"], T0 - 10, T0 + 100_000);
    let r = f.sync();
    assert_eq!(
        (r.guides_version, r.guides_rejected.as_deref()),
        (None, None)
    );
    assert!(f.held_ids().is_empty());
    let heads = f.heads.lock().expect("heads");
    assert!(heads
        .iter()
        .any(|h| h.starts_with("GET /v1/guides/manifest ")));
    assert!(
        !heads.iter().any(|h| h.starts_with("GET /v1/guides/1 ")),
        "no file without a manifest"
    );
}

#[test]
fn published_guides_are_kept_and_an_older_or_equal_version_is_a_rollback() {
    let f = Fixture::new();
    f.publish(1, &["a"], T0 - 10, T0 + 100_000);
    f.publish_guides(3, &["pub-pay"], T0 + 100_000);
    let r = f.sync();
    assert_eq!(
        (r.guides_version, r.guides_rejected.as_deref()),
        (Some(3), None)
    );
    assert_eq!(f.held_ids(), ["pub-pay"]);
    // The server replays version 2 (validly signed, older): refused, version 3 kept.
    f.publish_guides(2, &["pub-old"], T0 + 100_000);
    let r = f.sync();
    assert!(refused(&r).contains("rollback"), "{r:?}");
    assert_eq!(r.guides_version, Some(3));
    assert_eq!(f.held_ids(), ["pub-pay"]);
    // A manifest naming version 4 over a file that is version 3 again (equal to the floor).
    let p =
        build_guides_payload(3, T0 - 10, T0 + 100_000, vec![guide("pub-other")]).expect("valid");
    let file = sign_envelope(PayloadType::Guides, p, &f.signers()).to_bytes();
    f.serve_guides(4, file, &f.signers());
    let r = f.sync();
    assert!(refused(&r).contains("rollback"), "{r:?}");
    assert_eq!(f.held_ids(), ["pub-pay"]);
}

#[test]
fn the_floor_survives_losing_the_held_copy() {
    let f = Fixture::new();
    f.publish(1, &["a"], T0 - 10, T0 + 100_000);
    f.publish_guides(3, &["pub-pay"], T0 + 100_000);
    f.sync();
    f.store
        .with_conn(|c| Ok(c.execute("DELETE FROM guides_held WHERE key = 'signed'", [])?))
        .expect("damage");
    f.publish_guides(2, &["pub-old"], T0 + 100_000);
    let r = f.sync();
    assert!(refused(&r).contains("rollback"), "{r:?}");
    assert!(f.held_ids().is_empty());
    // The floor's own version repairs the lost copy; it is not a rollback.
    f.publish_guides(3, &["pub-pay"], T0 + 100_000);
    let r = f.sync();
    assert_eq!((r.guides_version, r.guides_rejected), (Some(3), None));
    assert_eq!(f.held_ids(), ["pub-pay"]);
}

#[test]
fn forged_wrong_domain_hostile_or_mismatched_guides_are_one_line_and_the_held_set_is_kept() {
    let f = Fixture::new();
    f.publish(1, &["a"], T0 - 10, T0 + 100_000);
    f.publish_guides(1, &["pub-pay"], T0 + 100_000);
    f.sync();
    let good =
        build_guides_payload(2, T0 - 10, T0 + 100_000, vec![guide("pub-new")]).expect("valid");
    let strangers = [PublisherKey::generate(), PublisherKey::generate()];
    // Signed by strangers (manifest too).
    let forged = sign_envelope(
        PayloadType::Guides,
        good.clone(),
        &[&strangers[0], &strangers[1]],
    )
    .to_bytes();
    f.serve_guides(2, forged.clone(), &[&strangers[0], &strangers[1]]);
    assert!(refused(&f.sync()).contains("unknown key"));
    // A forged file under a genuine manifest naming it.
    f.serve_guides(2, forged, &f.signers());
    assert!(refused(&f.sync()).contains("unknown key"));
    // The publishers' genuine signatures, but made over the bundle domain.
    let mut env = sign_envelope(PayloadType::Bundle, good.clone(), &f.signers());
    env.payload_type = PayloadType::Guides;
    f.serve_guides(2, env.to_bytes(), &f.signers());
    assert!(refused(&f.sync()).contains("invalid signature"));
    // Genuinely signed, but breaking a content rule (http source) written by hand.
    let hostile = String::from_utf8(good.clone())
        .expect("utf8")
        .replace("https://example.org", "http://example.org");
    let file = sign_envelope(PayloadType::Guides, hostile.into_bytes(), &f.signers()).to_bytes();
    f.serve_guides(2, file, &f.signers());
    assert!(refused(&f.sync()).contains("malformed guides"));
    // A file other than the one the manifest names.
    let real = sign_envelope(PayloadType::Guides, good, &f.signers()).to_bytes();
    f.serve_guides(2, real.clone(), &f.signers());
    let mut swapped = real.clone();
    let at = swapped.len() - 3;
    swapped[at] ^= 1;
    f.files
        .lock()
        .expect("files")
        .insert("/v1/guides/2".into(), swapped);
    assert!(refused(&f.sync()).contains("does not match its manifest"));
    let mut longer = real.clone();
    longer.push(b' ');
    f.files
        .lock()
        .expect("files")
        .insert("/v1/guides/2".into(), longer);
    refused(&f.sync());
    assert_eq!(f.held_ids(), ["pub-pay"], "every refusal kept the held set");
    // Then the genuine file: accepted.
    f.files
        .lock()
        .expect("files")
        .insert("/v1/guides/2".into(), real);
    let r = f.sync();
    assert_eq!((r.guides_version, r.guides_rejected), (Some(2), None));
}

#[test]
fn an_expired_set_is_kept_and_a_set_dated_ahead_is_refused() {
    let f = Fixture::new();
    f.publish(1, &["a"], T0 - 10, T0 + 10_000_000);
    f.publish_guides(1, &["pub-pay"], T0 + 1_000);
    f.sync();
    f.clock.set((T0 + 5_000) * 1000);
    // The held set expired: kept (the app shows it with its date), nothing refused.
    let r = f.sync();
    assert_eq!(
        (r.guides_version, r.guides_rejected.as_deref()),
        (Some(1), None)
    );
    let held = f.held_set().expect("kept");
    assert!(held.is_expired(T0 + 5_000));
    // An offer that itself expired is refused, and the held set stays.
    f.publish_guides(2, &["pub-new"], T0 + 2_000);
    let r = f.sync();
    assert!(refused(&r).contains("expired"), "{r:?}");
    assert_eq!(f.held_ids(), ["pub-pay"]);
    // Created two days ahead of the trusted time.
    let p = build_guides_payload(
        2,
        T0 + 5_000 + 2 * 86_400,
        T0 + 900_000,
        vec![guide("pub-x")],
    )
    .expect("valid");
    let file = sign_envelope(PayloadType::Guides, p, &f.signers()).to_bytes();
    let m = build_guides_manifest_payload(2, T0 + 4_000, T0 + 900_000, &file);
    let m = sign_envelope(PayloadType::GuidesManifest, m, &f.signers()).to_bytes();
    f.files
        .lock()
        .expect("files")
        .insert("/v1/guides/2".into(), file);
    f.files
        .lock()
        .expect("files")
        .insert("/v1/guides/manifest".into(), m);
    assert!(refused(&f.sync()).contains("created at"));
}

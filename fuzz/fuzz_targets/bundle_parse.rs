//! Feeds arbitrary bytes to every parser/verifier in `waypoint-format`. The property is
//! "never panics, never hangs"; the trusted keyset is a fixed 1-of-1 so inputs that happen
//! to be structurally valid exercise the later stages too (a real signature is out of
//! reach, so a fixed key also lets the corpus reach the signature check).
#![no_main]

use libfuzzer_sys::fuzz_target;
use waypoint_format::publish::{build_bundle, build_keyset, PublisherKey};
use waypoint_format::{verify_bundle, verify_delta, verify_delta_held, verify_keyset_rotation, verify_manifest, verify_root_keyset, HeldState, Policy};

fuzz_target!(|data: &[u8]| {
    let key = PublisherKey::from_secret_bytes(&[7; 32]);
    let keyset = build_keyset(1, i64::MAX, 1, vec![key.public_entry()]);
    let policy = Policy::update(1_800_000_000, None);
    let _ = verify_bundle(data, &keyset, &policy);
    let _ = verify_manifest(data, &keyset, &policy);
    let _ = verify_root_keyset(data, 1_800_000_000);
    let _ = verify_keyset_rotation(&keyset, data, 1_800_000_000);
    let _ = waypoint_format::guides::verify_guides(data, &keyset, &policy);
    let _ = waypoint_format::guides::verify_guides_manifest(data, &keyset, &policy);
    let _ = waypoint_format::guides::check_guides_payload(data);
    if let Ok(base_bytes) = build_bundle(1, 0, i64::MAX, &[], &[&key]) {
        if let Ok(base) = verify_bundle(&base_bytes, &keyset, &policy) {
            let _ = verify_delta(data, &keyset, &base, &policy);
            let held = HeldState {
                version: base.version(),
                content_hash: *base.content_hash(),
                digests: vec![("a".into(), [0; 32]), ("b".into(), [1; 32])],
            };
            let _ = verify_delta_held(data.to_vec(), &keyset, &held, &policy);
        }
    }
});

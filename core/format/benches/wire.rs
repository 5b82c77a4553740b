//! Wire size and verify time of directory format 2 (docs/PROTOCOL.md §19), next to the raw
//! primitives measured in the same run, at 10,000 and 50,000 synthetic resources
//! (`waypoint_format::synth`, seeds 1 and 2 as in `core/benches/directory.rs`; the
//! dictionary was trained on another seed):
//!
//! - full bundle: format 1 envelope raw and gzip (what `/v1/` serves), the format 2 canonical
//!   payload raw, the same canonical bytes zstd'd without a dictionary (same level), and the
//!   format 2 file (zstd + the shipped dictionary, signatures, header); target <= 1 MB at 10k;
//! - the delta for 10 changed resources, the same columns; target <= 5 KB;
//! - verify time: format 2 `verify_bundle` (decompress, SHA-256 once, two Ed25519 over 60
//!   bytes, decode, validate, canonical JSON, content hash) next to raw SHA-256 over the
//!   canonical payload, raw zstd decompression of the file's frame, and format 1
//!   `verify_bundle` of the same state;
//! - the packaged HSDS-aligned seed records (real records) in format 2 as a bundle, against
//!   their format 1 bundle, so the synthetic compression ratio can be judged.
//!
//! Run: `cargo bench -p waypoint-format --features synth --bench wire`. Prints figures;
//! asserts nothing.

use std::io::Write;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use waypoint_format::envelope::PayloadType;
use waypoint_format::publish::build_delta;
use waypoint_format::synth::{self, TestPublisher};
use waypoint_format::{v2, verify_bundle, verify_delta, verify_root_keyset, Policy};

/// 2026-11-23 15:00 UTC (as the directory bench).
const NOW: i64 = 1_795_446_000;
const YEAR: i64 = 365 * 86_400;
const SAMPLES: usize = 5;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn gzip(bytes: &[u8]) -> usize {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip").len()
}

fn zstd_dict(bytes: &[u8]) -> usize {
    zstd::bulk::Compressor::with_dictionary(v2::COMPRESSION_LEVEL, v2::DICTIONARY)
        .and_then(|mut c| c.compress(bytes))
        .expect("zstd")
        .len()
}

fn zstd_plain(bytes: &[u8]) -> usize {
    zstd::bulk::compress(bytes, v2::COMPRESSION_LEVEL)
        .expect("zstd")
        .len()
}

fn row(label: &str, n: usize) {
    println!("  {label:<52} {n:>12} B  ({:>9.1} KB)", n as f64 / 1024.0);
}

fn time<T>(mut f: impl FnMut() -> T) -> Duration {
    let mut v = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        let t = Instant::now();
        std::hint::black_box(f());
        v.push(t.elapsed());
    }
    median(v)
}

fn main() {
    let publisher = TestPublisher::new(NOW + 10 * YEAR);
    let keyset = verify_root_keyset(&publisher.keyset, NOW)
        .expect("keyset")
        .keyset()
        .clone();
    let policy = Policy::update(NOW, None);
    for (n, seed) in [(10_000usize, 1u64), (50_000, 2)] {
        let records = synth::records(n, seed);
        let v1 = publisher
            .bundle(1, NOW - 100, NOW + YEAR, &records)
            .expect("bundle");
        let state = verify_bundle(&v1, &keyset, &policy).expect("v1 verifies");
        let payload = v2::bundle_payload_of(&state).expect("v2 payload");
        let t = Instant::now();
        let file = v2::seal(PayloadType::Bundle, &payload, &publisher.signers()).expect("seal");
        let seal_time = t.elapsed();
        println!("== {n} resources: full bundle (target <= 1 MB on the wire at 10k)");
        row("format 1 envelope, raw (/v1/ today)", v1.len());
        row("format 1 envelope, gzip level 6", gzip(&v1));
        row("format 2 canonical payload, raw", payload.len());
        row(
            "  same canonical bytes, zstd level 19, no dictionary",
            zstd_plain(&payload),
        );
        row(
            "  same canonical bytes, zstd level 19, dictionary",
            zstd_dict(&payload),
        );
        row("  same canonical bytes, gzip level 6", gzip(&payload));
        row(
            "format 2 file (zstd 19; dictionary <= 1 MiB), ON THE WIRE",
            file.len(),
        );
        println!(
            "  format 2 sign + compress (publisher/server, once): {:.0} ms",
            ms(seal_time)
        );

        let v2_verify = time(|| verify_bundle(&file, &keyset, &policy).expect("v2 verifies"));
        let sha = time(|| Sha256::digest(&payload));
        let unzstd = time(|| v2::open(&file, PayloadType::Bundle).expect("open"));
        let v1_verify = time(|| verify_bundle(&v1, &keyset, &policy).expect("v1 verifies"));
        println!("== {n} resources: verify (median of {SAMPLES})");
        println!(
            "  format 2 verify_bundle                 {:>9.1} ms",
            ms(v2_verify)
        );
        println!(
            "  raw SHA-256 over the canonical payload {:>9.1} ms",
            ms(sha)
        );
        println!(
            "  raw zstd decompression (v2::open)      {:>9.1} ms",
            ms(unzstd)
        );
        println!(
            "  format 1 verify_bundle, same state     {:>9.1} ms",
            ms(v1_verify)
        );

        let mut edited = records.clone();
        let changed = synth::edit(&mut edited, 10, 3);
        let v1_next = publisher
            .bundle(2, NOW - 50, NOW + YEAR, &edited)
            .expect("bundle");
        let next = verify_bundle(&v1_next, &keyset, &policy).expect("next verifies");
        let v1_delta = build_delta(&state, &next, &publisher.signers()).expect("delta");
        let d_payload = v2::delta_payload_of(&state, &next).expect("v2 delta payload");
        let d_file =
            v2::seal(PayloadType::Delta, &d_payload, &publisher.signers()).expect("seal delta");
        let applied = verify_delta(&d_file, &keyset, &state, &policy).expect("v2 delta verifies");
        assert_eq!(applied.content_hash(), next.content_hash());
        println!(
            "== {n} resources: delta for {} changed (target <= 5 KB on the wire)",
            changed.len()
        );
        row("format 1 delta envelope, raw", v1_delta.len());
        row("format 1 delta envelope, gzip level 6", gzip(&v1_delta));
        row("format 2 canonical delta payload, raw", d_payload.len());
        row(
            "  same canonical bytes, zstd level 19, no dictionary",
            zstd_plain(&d_payload),
        );
        row(
            "  same canonical bytes, zstd level 19, dictionary",
            zstd_dict(&d_payload),
        );
        row(
            "format 2 delta file (zstd + dictionary), ON THE WIRE",
            d_file.len(),
        );
        println!(
            "  (a file is the frame plus {} B of header and two signatures)",
            d_file.len()
                - v2::compress(&d_payload, v2::COMPRESSION_LEVEL)
                    .expect("zstd")
                    .len()
        );
    }

    // Real records: the packaged HSDS-aligned seed bundle (signed by the seed's own keys;
    // its state is read without checking those keys, only to re-encode the same records).
    let seed_bundle = include_bytes!("../../src/directory/seed/bundle.json");
    let seed_payload = waypoint_format::Envelope::parse(
        seed_bundle,
        PayloadType::Bundle,
        waypoint_format::limits::MAX_BUNDLE_BYTES,
    )
    .expect("seed envelope")
    .payload;
    #[derive(serde::Deserialize)]
    struct SeedPayload {
        records: Vec<waypoint_format::Record>,
    }
    if let Ok(seed) = serde_json::from_slice::<SeedPayload>(&seed_payload).map(|p| p.records) {
        let v1 = publisher
            .bundle(1, NOW - 100, NOW + YEAR, &seed)
            .expect("seed bundle");
        let state = verify_bundle(&v1, &keyset, &policy).expect("seed verifies");
        let payload = v2::bundle_payload_of(&state).expect("payload");
        let file = v2::seal(PayloadType::Bundle, &payload, &publisher.signers()).expect("seal");
        println!("== packaged seed: {} real records", seed.len());
        row("format 1 envelope, raw", v1.len());
        row("format 1 envelope, gzip level 6", gzip(&v1));
        row("format 2 canonical payload, raw", payload.len());
        row(
            "  same canonical bytes, zstd level 19, no dictionary",
            zstd_plain(&payload),
        );
        row(
            "  same canonical bytes, zstd level 19, dictionary",
            zstd_dict(&payload),
        );
        row("format 2 file (zstd 19; dictionary <= 1 MiB)", file.len());
    }
}

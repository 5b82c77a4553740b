//! Directory figures next to the raw primitives, measured in the same run, on synthetic
//! directories (`waypoint_format::synth`: six languages, realistic field sizes, valid
//! phones, schedules in several zones):
//! - search over 50,000 resources, p50 and p99 over a mix of queries (one word, prefix,
//!   two words, filters, open now, distance sort); target p50 <= 2 ms, p99 <= 10 ms
//!   (DESIGN.md). Beside it, on the same database and match expression: the raw FTS5
//!   `MATCH ... ORDER BY bm25 LIMIT 50` (the former design's primitive), the raw static-rank
//!   read the app now does (names FTS then full FTS, rowid order, LIMIT 50, no filters),
//!   and a second design measured side by side: an in-memory inverted index (prefix
//!   postings intersected in Rust), with the memory each design holds;
//! - verify + apply (store + index) a signed 10,000-resource bundle; target <= 1 s. Beside
//!   it: raw Ed25519 verification of its signatures over the same bytes, and raw SHA-256
//!   of the whole file;
//! - bundle size for 10,000 and 50,000 resources, raw and gzip (zstd is not a dependency),
//!   and record sizes: synthetic against the real HSDS-aligned records of the packaged seed;
//! - the signed delta for 10 changed resources in a 10,000-resource directory; target
//!   <= 5 KB on the wire. Raw and gzip;
//! - applying such a delta on the 10k and 50k stores (five successive deltas); target
//!   <= 50 ms. Beside it: raw Ed25519 of the delta's signatures, a raw SQLite insert of the
//!   same records in one committed transaction, and raw SHA-256 over the held digests
//!   (the content hash); and once, the renumbering fallback and the open-time check.
//!
//! Run: `cargo bench -p waypoint-core --bench directory`. Prints figures; asserts nothing.

use std::io::Write;
use std::time::{Duration, Instant};

use ed25519_dalek::{Signature, VerifyingKey};
use waypoint_core::directory::{self, text, Query, Sort, Trust, Update};
use waypoint_core::store::{Store, META};
use waypoint_format::envelope::{signing_input, Envelope, PayloadType};
use waypoint_format::publish::build_delta;
use waypoint_format::record::Category;
use waypoint_format::synth::{self, TestPublisher};
use waypoint_format::{limits, verify_bundle, verify_root_keyset, Policy};

/// 2026-11-23 15:00 UTC.
const NOW: i64 = 1_795_446_000;
const YEAR: i64 = 365 * 86_400;
const INSTALL_SAMPLES: usize = 5;
const SEARCH_ROUNDS: usize = 30;
const DELTA_SAMPLES: usize = 5;

/// Successive deltas of 10 changed records applied on one store, and the raw primitives
/// measured on the same deltas in the same run.
struct DeltaRun {
    changed: usize,
    first_size: usize,
    first_gzip: usize,
    apply: Vec<Duration>,
    verify_held: Vec<Duration>,
    sync_base: Vec<Duration>,
    raw_sig: Vec<Duration>,
    raw_insert: Vec<Duration>,
    raw_digests: Vec<Duration>,
    signatures: usize,
    /// The last state published and its records (for a further delta).
    last: (
        waypoint_format::VerifiedBundle,
        Vec<waypoint_format::Record>,
    ),
}

impl DeltaRun {
    fn print(&self, label: &str, n: usize) {
        let med = |v: &[Duration]| ms(percentile(v, 0.5));
        println!(
            "apply a delta of {} changed on the {label} store, {} successive deltas (2 of the 10 renamed in all but the first), median; target <= 50 ms",
            self.changed,
            self.apply.len()
        );
        println!(
            "  apply_update (verify on the held digests + validate the changed + install their rows + commit): {:.1} ms  (min {:.1}, max {:.1})",
            med(&self.apply),
            ms(percentile(&self.apply, 0.0)),
            ms(percentile(&self.apply, 1.0))
        );
        println!(
            "    of which verify_delta_held alone (envelope, sigs, {} records, content hash): {:.2} ms",
            self.changed,
            med(&self.verify_held)
        );
        println!(
            "  raw Ed25519 verify_strict of the {} signatures over the delta payload: {:.2} ms",
            self.signatures,
            med(&self.raw_sig)
        );
        println!(
            "  raw SQLite: insert the {} changed records' bytes into a plain table, one committed transaction: {:.2} ms",
            self.changed,
            med(&self.raw_insert)
        );
        println!(
            "  raw SHA-256 over the {n} held digests (the content hash of the result): {:.2} ms",
            med(&self.raw_digests)
        );
        println!(
            "  (sync only, before downloading: sync_base checks every held record against its digest: {:.1} ms)",
            med(&self.sync_base)
        );
    }
}

/// Publishes and applies `samples` successive deltas of 10 edited records (the first one
/// as `synth::edit` makes it; in the others two of the ten are renamed, which moves them in
/// the search order) on `store`, which holds `base` (of `records`).
#[allow(clippy::too_many_arguments)]
fn delta_runs(
    publisher: &TestPublisher,
    keyset: &waypoint_format::VerifiedKeyset,
    keys: &[VerifyingKey],
    trust: &Trust<'_>,
    store: &Store,
    records: &[waypoint_format::Record],
    base: waypoint_format::VerifiedBundle,
    first_version: u64,
    samples: usize,
) -> DeltaRun {
    let policy = Policy {
        now: NOW,
        current_version: None,
        allow_expired: false,
    };
    store
        .transaction(|tx| {
            tx.execute_batch(
                "CREATE TABLE IF NOT EXISTS bench_raw (id TEXT PRIMARY KEY, raw TEXT NOT NULL)",
            )?;
            Ok(())
        })
        .expect("scratch table");
    let mut current = records.to_vec();
    let mut base = base;
    let mut run = DeltaRun {
        changed: 0,
        first_size: 0,
        first_gzip: 0,
        apply: Vec::new(),
        verify_held: Vec::new(),
        sync_base: Vec::new(),
        raw_sig: Vec::new(),
        raw_insert: Vec::new(),
        raw_digests: Vec::new(),
        signatures: 0,
        last: (base.clone(), Vec::new()),
    };
    for i in 0..samples {
        let version = first_version + i as u64;
        let mut edited = current.clone();
        let changed = synth::edit(&mut edited, 10, version);
        if i > 0 {
            for r in edited.iter_mut().filter(|r| changed[..2].contains(&r.id)) {
                let name = r.name.values().next().cloned().unwrap_or_default();
                r.name.insert(
                    "en".into(),
                    format!("{} {version}", name.chars().rev().collect::<String>()),
                );
            }
        }
        let next = publisher
            .bundle(version, NOW - 50 + version as i64, NOW + YEAR, &edited)
            .expect("edited bundle");
        let next = verify_bundle(&next, keyset, &policy).expect("next");
        let delta = build_delta(&base, &next, &publisher.signers()).expect("delta");
        if i == 0 {
            run.changed = changed.len();
            run.first_size = delta.len();
            run.first_gzip = gzip(&delta);
            run.signatures = Envelope::parse(&delta, PayloadType::Delta, limits::MAX_DELTA_BYTES)
                .expect("env")
                .signatures
                .len();
        }
        // The sync engine's side: held state read and checked, then the delta verified on it.
        let t = Instant::now();
        let held = directory::sync_base(store, trust, NOW).expect("sync base");
        run.sync_base.push(t.elapsed());
        let held = held.base.expect("held tables intact");
        let t = Instant::now();
        std::hint::black_box(
            waypoint_format::verify_delta_held(delta.clone(), keyset, &held, &policy)
                .expect("verifies"),
        );
        run.verify_held.push(t.elapsed());
        // The figure: a file import of the delta (held digests read, verify, validate,
        // install, commit).
        let t = Instant::now();
        directory::apply_update_with(store, trust, NOW, Update::Delta(&delta)).expect("delta");
        run.apply.push(t.elapsed());
        // Raw primitives on the same delta.
        run.raw_sig
            .push(raw_ed25519_of(&delta, PayloadType::Delta, keys));
        let raws: Vec<(String, String)> = next
            .records()
            .iter()
            .filter(|r| changed.contains(&r.id().to_owned()))
            .map(|r| (r.id().to_owned(), r.raw().to_owned()))
            .collect();
        let t = Instant::now();
        store
            .transaction(|tx| {
                let mut ins = tx.prepare("INSERT INTO bench_raw (id, raw) VALUES (?1, ?2)")?;
                for (id, raw) in &raws {
                    ins.execute([id, raw])?;
                }
                Ok(())
            })
            .expect("raw insert");
        run.raw_insert.push(t.elapsed());
        store
            .transaction(|tx| {
                tx.execute("DELETE FROM bench_raw", [])?;
                Ok(())
            })
            .expect("clear");
        let t = Instant::now();
        std::hint::black_box(waypoint_format::content_hash_of_digests(
            held.digests.iter().map(|(id, d)| (id.as_str(), d)),
        ));
        run.raw_digests.push(t.elapsed());
        current = edited;
        base = next;
    }
    run.last = (base, current);
    run
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(v: &[Duration], p: f64) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn gzip(bytes: &[u8]) -> usize {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("gzip");
    enc.finish().expect("gzip").len()
}

fn kb(n: usize) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MB", n as f64 / (1 << 20) as f64)
    } else {
        format!("{:.1} KB", n as f64 / 1024.0)
    }
}

/// A fresh store holding the small packaged bundle, ready for an update.
fn fresh_store(trust: &Trust<'_>) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_with(dir.path(), &[META, directory::DIRECTORY]).expect("store");
    directory::open_with(&store, trust, NOW).expect("open directory");
    (dir, store)
}

/// Raw Ed25519: the envelope's signatures checked over the same signing input, the keys and
/// signatures already decoded (what `verify_bundle` does before it parses anything).
fn raw_ed25519(bytes: &[u8], keys: &[VerifyingKey]) -> Duration {
    raw_ed25519_of(bytes, PayloadType::Bundle, keys)
}

fn raw_ed25519_of(bytes: &[u8], kind: PayloadType, keys: &[VerifyingKey]) -> Duration {
    let env = Envelope::parse(bytes, kind, limits::MAX_BUNDLE_BYTES).expect("env");
    let sigs: Vec<Signature> = env
        .signatures
        .iter()
        .map(|s| {
            use base64::Engine;
            let raw = base64::engine::general_purpose::STANDARD
                .decode(&s.sig)
                .expect("b64");
            Signature::from_slice(&raw).expect("sig")
        })
        .collect();
    let t = Instant::now();
    let input = signing_input(env.payload_type, &env.payload);
    for sig in &sigs {
        let ok = keys.iter().any(|k| k.verify_strict(&input, sig).is_ok());
        assert!(ok, "signature verifies");
    }
    t.elapsed()
}

fn raw_sha256(bytes: &[u8]) -> Duration {
    use sha2::Digest;
    let t = Instant::now();
    std::hint::black_box(sha2::Sha256::digest(bytes));
    t.elapsed()
}

struct Case {
    label: &'static str,
    query: Query,
}

fn q(text: &str) -> Query {
    Query {
        text: text.into(),
        user_language: "en".into(),
        ..Query::default()
    }
}

fn cases() -> Vec<Case> {
    let nyc = (40.71, -74.01);
    let la = (34.05, -118.24);
    vec![
        Case {
            label: "one word 'shelter'",
            query: q("shelter"),
        },
        Case {
            label: "one word 'refugio' (es)",
            query: Query {
                user_language: "es".into(),
                ..q("refugio")
            },
        },
        Case {
            label: "prefix 'immig'",
            query: q("immig"),
        },
        Case {
            label: "prefix 'traf'",
            query: q("traf"),
        },
        Case {
            label: "two words 'legal aid'",
            query: q("legal aid"),
        },
        Case {
            label: "two words 'ayuda vivienda'",
            query: q("ayuda vivienda"),
        },
        Case {
            label: "place 'chicago'",
            query: q("chicago"),
        },
        Case {
            label: "'help' + 2 categories, es, US",
            query: Query {
                categories: vec![Category::LegalAid, Category::Immigration],
                spoken_language: Some("es".into()),
                country: Some("US".into()),
                ..q("help")
            },
        },
        Case {
            label: "'support' + free + 24/7",
            query: Query {
                free: true,
                always_open: true,
                ..q("support")
            },
        },
        Case {
            label: "'crisis' + open now",
            query: Query {
                open_now: true,
                ..q("crisis")
            },
        },
        Case {
            label: "'shelter' US by distance",
            query: Query {
                near: Some(nyc),
                sort: Sort::Distance,
                country: Some("US".into()),
                ..q("shelter")
            },
        },
        Case {
            label: "'clinic' within 25 km by distance",
            query: Query {
                near: Some(la),
                max_km: Some(25.0),
                sort: Sort::Distance,
                ..q("clinic")
            },
        },
    ]
}

fn main() {
    let publisher = TestPublisher::new(NOW + 10 * YEAR);
    let keyset = verify_root_keyset(&publisher.keyset, NOW).expect("keyset");
    let keys: Vec<VerifyingKey> = keyset
        .decoded_keys()
        .expect("keys")
        .into_iter()
        .map(|(_, k)| k)
        .collect();
    let packaged = publisher
        .bundle(1, NOW - 100, NOW + YEAR, &synth::records(5, 99))
        .expect("packaged");
    let trust = Trust {
        root_keyset: &publisher.keyset,
        packaged_bundle: &packaged,
    };

    // --- Bundles: 10k and 50k, their sizes.
    let t = Instant::now();
    let records10 = synth::records(10_000, 1);
    let bundle10 = publisher
        .bundle(2, NOW - 50, NOW + YEAR, &records10)
        .expect("10k bundle");
    let records50 = synth::records(50_000, 2);
    let bundle50 = publisher
        .bundle(2, NOW - 50, NOW + YEAR, &records50)
        .expect("50k bundle");
    println!(
        "(generating and signing the 10k and 50k bundles took {:.1} s; not a figure)",
        t.elapsed().as_secs_f64()
    );
    println!();
    println!("bundle size             raw          gzip (level 6)   zstd");
    for (n, b) in [(10_000, &bundle10), (50_000, &bundle50)] {
        let gz = gzip(b);
        println!(
            "  {n:>6} resources   {:>10}   {:>10} ({:>4.1}%)   not a dependency",
            kb(b.len()),
            kb(gz),
            100.0 * gz as f64 / b.len() as f64
        );
    }

    // --- Record sizes: synthetic against real (the packaged seed's HSDS-aligned records).
    let sizes = |v: Vec<usize>| {
        let mut v = v;
        v.sort_unstable();
        let mean = v.iter().sum::<usize>() / v.len().max(1);
        (v.len(), v[0], v[v.len() / 2], mean, v[v.len() - 1])
    };
    let seed: Vec<serde_json::Value> =
        serde_json::from_str(include_str!("../src/directory/seed/records.json")).expect("seed");
    let real = sizes(
        seed.iter()
            .map(|r| serde_json::to_vec(r).expect("json").len())
            .collect(),
    );
    let synthetic = sizes(
        records10
            .iter()
            .map(|r| serde_json::to_vec(r).expect("json").len())
            .collect(),
    );
    println!();
    println!("record size (compact JSON bytes)    count    min  median   mean    max");
    for (label, (n, min, med, mean, max)) in [
        ("real: packaged seed (HSDS-aligned)", real),
        ("synthetic 10k", synthetic),
    ] {
        println!("  {label:<34} {n:>5} {min:>6} {med:>7} {mean:>6} {max:>6}");
    }

    // --- Verify + apply 10k, next to raw Ed25519 and SHA-256 of the same bytes.
    let mut apply = Vec::new();
    let mut verify_only = Vec::new();
    let mut raw_sig = Vec::new();
    let mut raw_hash = Vec::new();
    let mut kept = None;
    for _ in 0..INSTALL_SAMPLES {
        let (dir, store) = fresh_store(&trust);
        let t = Instant::now();
        let outcome = directory::apply_update_with(&store, &trust, NOW, Update::Bundle(&bundle10))
            .expect("apply 10k");
        apply.push(t.elapsed());
        std::hint::black_box(outcome);
        let t = Instant::now();
        std::hint::black_box(
            verify_bundle(&bundle10, &keyset, &Policy::update(NOW, Some(1))).expect("verify"),
        );
        verify_only.push(t.elapsed());
        raw_sig.push(raw_ed25519(&bundle10, &keys));
        raw_hash.push(raw_sha256(&bundle10));
        kept = Some((dir, store));
    }
    let signatures = Envelope::parse(&bundle10, PayloadType::Bundle, limits::MAX_BUNDLE_BYTES)
        .expect("env")
        .signatures
        .len();
    println!();
    println!(
        "apply 10k bundle ({}, {} signatures), median of {INSTALL_SAMPLES}; target <= 1000 ms",
        kb(bundle10.len()),
        signatures
    );
    println!(
        "  verify + validate + store + index (apply_update): {:8.1} ms  (min {:.1}, max {:.1})",
        ms(percentile(&apply, 0.5)),
        ms(percentile(&apply, 0.0)),
        ms(percentile(&apply, 1.0))
    );
    println!(
        "    of which verify_bundle alone (parse + sigs + hash): {:5.1} ms",
        ms(percentile(&verify_only, 0.5))
    );
    println!(
        "  raw Ed25519 verify_strict of the {signatures} signatures over the same bytes: {:6.2} ms",
        ms(percentile(&raw_sig, 0.5))
    );
    println!(
        "  raw SHA-256 of the whole file:                     {:8.2} ms",
        ms(percentile(&raw_hash, 0.5))
    );

    // --- Delta for 10 changed resources in the 10k directory: its size, then five
    // successive deltas applied on the 10k store, each next to the raw primitives.
    let policy = Policy {
        now: NOW,
        current_version: None,
        allow_expired: false,
    };
    let (_dir10, store10) = kept.expect("a 10k store");
    let t = Instant::now();
    directory::open_with(&store10, &trust, NOW).expect("open");
    let open_before = t.elapsed();
    let base10 = verify_bundle(&bundle10, &keyset, &policy).expect("base");
    let run10 = delta_runs(
        &publisher,
        &keyset,
        &keys,
        &trust,
        &store10,
        &records10,
        base10,
        3,
        DELTA_SAMPLES,
    );
    let t = Instant::now();
    directory::open_with(&store10, &trust, NOW).expect("open after deltas");
    let open_after = t.elapsed();
    println!();
    println!(
        "delta for {} changed resources in 10k ({signatures} signatures); target <= 5 KB on the wire",
        run10.changed
    );
    println!(
        "  raw {} ({} bytes), gzip {} ({} bytes)",
        kb(run10.first_size),
        run10.first_size,
        kb(run10.first_gzip),
        run10.first_gzip
    );
    run10.print("10k", 10_000);
    // The fallback: twenty new records tied with one name are more than the gap after it
    // holds, so every table is renumbered (in the same transaction).
    let (last, mut current) = run10.last;
    let anchor = current[0].clone();
    for k in 0..20 {
        let mut r = anchor.clone();
        r.id = format!("{}-tie-{k:02}", anchor.id);
        current.push(r);
    }
    let tied = publisher
        .bundle(last.version() + 1, NOW - 1, NOW + YEAR, &current)
        .expect("tied");
    let tied = verify_bundle(&tied, &keyset, &policy).expect("tied");
    let d = build_delta(&last, &tied, &publisher.signers()).expect("delta");
    let t = Instant::now();
    directory::apply_update_with(&store10, &trust, NOW, Update::Delta(&d)).expect("tied delta");
    println!(
        "  a delta of 20 records tied into one gap (renumbers every table): {:.1} ms (one run)",
        ms(t.elapsed())
    );
    println!(
        "  open (re-verifies the held chain, checks the tables): {:.1} ms before the deltas, {:.1} ms after {} deltas (one run each)",
        ms(open_before),
        ms(open_after),
        DELTA_SAMPLES
    );

    // --- Search over 50k.
    let (_dir50, store50) = fresh_store(&trust);
    let t = Instant::now();
    directory::apply_update_with(&store50, &trust, NOW, Update::Bundle(&bundle50))
        .expect("apply 50k");
    println!();
    println!(
        "(installing the 50k bundle took {:.0} ms, one run)",
        ms(t.elapsed())
    );
    let cases = cases();
    let mut per_case: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
    let mut per_case_raw: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
    let mut per_case_join: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
    let mut per_case_mem: Vec<Vec<Duration>> = vec![Vec::new(); cases.len()];
    let t = Instant::now();
    let memory_index = MemoryIndex::build(&store50);
    let memory_build = t.elapsed();
    let mut hits = vec![0usize; cases.len()];
    // One warm-up round (statement cache, page cache), not counted.
    for c in &cases {
        directory::search(&store50, &c.query, NOW).expect("search");
    }
    for _ in 0..SEARCH_ROUNDS {
        for (i, c) in cases.iter().enumerate() {
            let t = Instant::now();
            let found = directory::search(&store50, &c.query, NOW).expect("search");
            per_case[i].push(t.elapsed());
            hits[i] = found.len();

            let expr = text::match_expression(&c.query.text).expect("query has words");
            let t = Instant::now();
            let n = store50
                .with_conn(|conn| {
                    let mut st = conn.prepare_cached(
                        "SELECT rowid FROM directory_fts WHERE directory_fts MATCH ?1
                         ORDER BY bm25(directory_fts) LIMIT 50",
                    )?;
                    let rows = st.query_map([&expr], |r| r.get::<_, i64>(0))?;
                    Ok(rows.count())
                })
                .expect("raw fts");
            per_case_raw[i].push(t.elapsed());
            std::hint::black_box(n);

            // The static-rank primitive the app now reads (names, then every field; rowid
            // order; LIMIT 50), without its filters or any Rust work.
            let t = Instant::now();
            let n = store50
                .with_conn(|conn| {
                    let mut n = 0;
                    for table in ["directory_name_fts", "directory_fts"] {
                        let mut st = conn.prepare_cached(&format!(
                            "SELECT rowid FROM {table} WHERE {table} MATCH ?1
                             ORDER BY rowid LIMIT 50"
                        ))?;
                        n += st.query_map([&expr], |r| r.get::<_, i64>(0))?.count();
                    }
                    Ok(n)
                })
                .expect("static sql");
            per_case_join[i].push(t.elapsed());
            std::hint::black_box(n);

            // Design B: the in-memory inverted index, same words, same ranking rule.
            let t = Instant::now();
            std::hint::black_box(memory_index.search(&c.query.text, 50));
            per_case_mem[i].push(t.elapsed());
        }
    }
    let total_matches = |expr: &str| -> i64 {
        store50
            .with_conn(|conn| {
                Ok(conn.query_row(
                    "SELECT count(*) FROM directory_fts WHERE directory_fts MATCH ?1",
                    [expr],
                    |r| r.get(0),
                )?)
            })
            .expect("count")
    };
    println!(
        "search over 50,000 resources, {SEARCH_ROUNDS} rounds of {} queries; target p50 <= 2 ms, p99 <= 10 ms",
        cases.len()
    );
    println!(
        "  {:<36} {:>8} {:>7} {:>9} {:>9}   {:>13}   {:>14}   {:>13}",
        "query",
        "matches",
        "shown",
        "p50 ms",
        "p99 ms",
        "raw bm25 p50",
        "raw static p50",
        "in-memory p50"
    );
    for (i, c) in cases.iter().enumerate() {
        let expr = text::match_expression(&c.query.text).expect("words");
        println!(
            "  {:<36} {:>8} {:>7} {:>9.2} {:>9.2}   {:>10.2} ms   {:>11.2} ms   {:>10.2} ms",
            c.label,
            total_matches(&expr),
            hits[i],
            ms(percentile(&per_case[i], 0.5)),
            ms(percentile(&per_case[i], 0.99)),
            ms(percentile(&per_case_raw[i], 0.5)),
            ms(percentile(&per_case_join[i], 0.5)),
            ms(percentile(&per_case_mem[i], 0.5)),
        );
    }
    let all: Vec<Duration> = per_case.iter().flatten().copied().collect();
    let all_raw: Vec<Duration> = per_case_raw.iter().flatten().copied().collect();
    let all_join: Vec<Duration> = per_case_join.iter().flatten().copied().collect();
    println!(
        "  all {} searches:  p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        all.len(),
        ms(percentile(&all, 0.5)),
        ms(percentile(&all, 0.99)),
        ms(percentile(&all, 1.0))
    );
    println!(
        "  raw FTS5 MATCH ... ORDER BY bm25 LIMIT 50, same expressions: p50 {:.2} ms, p99 {:.2} ms (ratio p50 {:.1}x)",
        ms(percentile(&all_raw, 0.5)),
        ms(percentile(&all_raw, 0.99)),
        percentile(&all, 0.5).as_secs_f64() / percentile(&all_raw, 0.5).as_secs_f64()
    );
    println!(
        "  raw static rank (names FTS then FTS, rowid order, LIMIT 50, words only): p50 {:.2} ms, p99 {:.2} ms",
        ms(percentile(&all_join, 0.5)),
        ms(percentile(&all_join, 0.99)),
    );
    let all_mem: Vec<Duration> = per_case_mem.iter().flatten().copied().collect();
    println!(
        "  design B, in-memory inverted index (words only, same rule): p50 {:.2} ms, p99 {:.2} ms",
        ms(percentile(&all_mem, 0.5)),
        ms(percentile(&all_mem, 0.99)),
    );
    let (fts_bytes, name_bytes, cache_kib, page_size) = store50
        .with_conn(|c| {
            let sum = |t: &str| -> rusqlite::Result<i64> {
                c.query_row(&format!("SELECT SUM(LENGTH(block)) FROM {t}"), [], |r| {
                    r.get(0)
                })
            };
            let cache: i64 = c.query_row("PRAGMA cache_size", [], |r| r.get(0))?;
            let page: i64 = c.query_row("PRAGMA page_size", [], |r| r.get(0))?;
            Ok((
                sum("directory_fts_data")?,
                sum("directory_name_fts_data")?,
                cache,
                page,
            ))
        })
        .expect("sizes");
    let cache_bytes = if cache_kib < 0 {
        -cache_kib * 1024
    } else {
        cache_kib * page_size
    };
    println!();
    println!("memory over 50,000 resources (phone budget)");
    println!(
        "  A static rank + FTS5 (chosen): index on disk {} (full-text {} + names {}); RAM: SQLite page cache, at most {} per connection",
        kb((fts_bytes + name_bytes) as usize),
        kb(fts_bytes as usize),
        kb(name_bytes as usize),
        kb(cache_bytes as usize)
    );
    println!(
        "  B in-memory inverted index: {} resident ({} terms, {} postings; lower bound: term bytes + 4 B a posting + 48 B a term), built in {:.0} ms after every install",
        kb(memory_index.bytes()),
        memory_index.terms(),
        memory_index.postings(),
        ms(memory_build)
    );

    // --- Deltas on the 50k store (after the search figures, which it would change).
    let base50 = verify_bundle(
        &bundle50,
        &keyset,
        &Policy {
            now: NOW,
            current_version: None,
            allow_expired: false,
        },
    )
    .expect("base 50k");
    let run50 = delta_runs(
        &publisher,
        &keyset,
        &keys,
        &trust,
        &store50,
        &records50,
        base50,
        3,
        DELTA_SAMPLES,
    );
    println!();
    run50.print("50k", 50_000);
}

/// Design B for the side-by-side comparison (not shipped): every folded word of every
/// record in a sorted map of posting lists (rowids ascending), names in a second map;
/// a query word is a prefix (the union of the postings of every term it starts), the
/// words are intersected, and the same rule as the app ranks (name group first, then
/// rowid order). No filters. Built from the app's own full-text rows.
struct MemoryIndex {
    all: std::collections::BTreeMap<String, Vec<u32>>,
    names: std::collections::BTreeMap<String, Vec<u32>>,
}

impl MemoryIndex {
    fn build(store: &Store) -> Self {
        let rows: Vec<(i64, String, String, String, String)> = store
            .with_conn(|c| {
                let mut st = c.prepare(
                    "SELECT rowid, name, organization, description, extra FROM directory_fts ORDER BY rowid",
                )?;
                let rows = st.query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?;
                Ok(rows.collect::<rusqlite::Result<_>>()?)
            })
            .expect("rows");
        let mut all: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
        let mut names: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
        let add = |map: &mut std::collections::BTreeMap<String, Vec<u32>>, id: u32, t: &str| {
            for w in text::fold(t).split(|c: char| !c.is_alphanumeric()) {
                if w.is_empty() {
                    continue;
                }
                let list = map.entry(w.to_owned()).or_default();
                if list.last() != Some(&id) {
                    list.push(id);
                }
            }
        };
        for (rowid, name, org, desc, extra) in &rows {
            let id = *rowid as u32;
            add(&mut names, id, name);
            for t in [name, org, desc, extra] {
                add(&mut all, id, t);
            }
        }
        MemoryIndex { all, names }
    }

    fn matching(map: &std::collections::BTreeMap<String, Vec<u32>>, words: &[String]) -> Vec<u32> {
        let mut acc: Option<Vec<u32>> = None;
        for w in words {
            let mut ids: Vec<u32> = map
                .range(w.clone()..)
                .take_while(|(k, _)| k.starts_with(w.as_str()))
                .flat_map(|(_, v)| v.iter().copied())
                .collect();
            ids.sort_unstable();
            ids.dedup();
            acc = Some(match acc {
                None => ids,
                Some(prev) => {
                    let set: std::collections::HashSet<u32> = ids.into_iter().collect();
                    prev.into_iter().filter(|i| set.contains(i)).collect()
                }
            });
        }
        acc.unwrap_or_default()
    }

    fn search(&self, typed: &str, limit: usize) -> Vec<u32> {
        let words: Vec<String> = text::fold(typed)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect();
        let named = Self::matching(&self.names, &words);
        let mut out: Vec<u32> = named.iter().copied().take(limit).collect();
        if out.len() < limit {
            let named: std::collections::HashSet<u32> = named.into_iter().collect();
            out.extend(
                Self::matching(&self.all, &words)
                    .into_iter()
                    .filter(|i| !named.contains(i))
                    .take(limit - out.len()),
            );
        }
        out
    }

    fn terms(&self) -> usize {
        self.all.len() + self.names.len()
    }

    fn postings(&self) -> usize {
        self.all
            .values()
            .chain(self.names.values())
            .map(Vec::len)
            .sum()
    }

    fn bytes(&self) -> usize {
        self.all
            .iter()
            .chain(self.names.iter())
            .map(|(k, v)| k.len() + 4 * v.capacity() + 48)
            .sum()
    }
}

//! Journal figures next to the raw primitives, measured in the same run:
//! - open + unlock-free list + decrypt of 1,000 and 10,000 entries, next to raw
//!   XChaCha20-Poly1305 opens of the same number and sizes of ciphertexts (two per entry:
//!   the entry key row and the entry row), and the same for the first page of 50 only;
//! - one entry write (a durable SQLite transaction) and read, next to one raw seal/open;
//! - search over 10,000 entries (in-memory index), next to a linear scan of the same text.
//!
//! Run: `cargo bench -p waypoint-core --bench journal`. Prints figures; asserts nothing.
//! The vault uses the release work factor; unlock time is excluded here (see the vault bench).

mod common;
use common::raw_opens;

use std::sync::Arc;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use waypoint_core::crypto::{RecordSealer, SecretKey};
use waypoint_core::journal::{EntryDraft, EntryFilter};
use waypoint_core::platform::SystemClock;
use waypoint_core::vault::VaultConfig;
use waypoint_core::Core;

const WORDS: &[&str] = &[
    "boss", "passport", "money", "owed", "night", "shift", "kitchen", "farm", "phone", "door",
    "locked", "threat", "family", "visa", "debt", "wages", "hours", "sleep", "food", "cousin",
    "hotel", "car", "border", "papers", "lawyer", "hotline", "shelter", "doctor", "afraid", "safe",
];

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn text(rng: &mut impl Rng, words: usize) -> String {
    (0..words)
        .map(|_| WORDS[rng.gen_range(0..WORDS.len())])
        .collect::<Vec<_>>()
        .join(" ")
}

fn open(dir: &std::path::Path) -> Arc<Core> {
    Core::open_with_config(
        dir.to_string_lossy().into_owned(),
        Arc::new(SystemClock),
        None,
        VaultConfig::default(),
    )
    .expect("open")
}

fn padded_lengths(dir: &std::path::Path) -> Vec<usize> {
    let conn = rusqlite::Connection::open(dir.join("store.db")).expect("db");
    let mut st = conn
        .prepare("SELECT length(key_sealed), length(sealed) FROM journal_entries")
        .expect("prepare");
    let rows = st
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
        .expect("query");
    let mut out = Vec::new();
    for r in rows {
        let (a, b) = r.expect("row");
        // Minus version byte, nonce and tag: the padded plaintext length.
        out.push(a as usize - 41);
        out.push(b as usize - 41);
    }
    out
}

fn main() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let dir = tempfile::tempdir().expect("tempdir");
    let pass = "benchmark passphrase";
    let wp = open(dir.path());
    wp.setup(pass.into()).expect("setup");

    // Writes: one durable transaction per entry.
    let mut writes = Vec::new();
    let mut count = 0usize;
    for target in [1_000usize, 10_000] {
        while count < target {
            let body_words = rng.gen_range(20..300);
            let draft = EntryDraft {
                title: text(&mut rng, 5),
                body: text(&mut rng, body_words),
                tags: vec![WORDS[rng.gen_range(0..WORDS.len())].to_owned()],
                happened_at_ms: Some(1_600_000_000_000 + rng.gen_range(0..100_000_000_000i64)),
                ..EntryDraft::default()
            };
            let t = Instant::now();
            wp.journal_add(draft).expect("add");
            writes.push(t.elapsed());
            count += 1;
        }
        wp.lock();
        // Open + list + decrypt everything (the vault is unlocked first; its scrypt cost
        // is reported by the vault bench). Fresh `Waypoint` each run.
        let mut open_list = Vec::new();
        let mut listed = 0;
        for _ in 0..5 {
            let t0 = Instant::now();
            let w = open(dir.path());
            let opened = t0.elapsed();
            w.unlock(pass.into()).expect("unlock");
            let t1 = Instant::now();
            listed = w.journal_list(EntryFilter::default()).expect("list").len();
            open_list.push(opened + t1.elapsed());
        }
        // The same with the first page only (what the list screen shows first): every
        // entry is still opened to build the index, only the page is copied out.
        let mut open_page = Vec::new();
        for _ in 0..5 {
            let t0 = Instant::now();
            let w = open(dir.path());
            let opened = t0.elapsed();
            w.unlock(pass.into()).expect("unlock");
            let t1 = Instant::now();
            let page = w
                .journal_list(EntryFilter {
                    limit: Some(50),
                    ..EntryFilter::default()
                })
                .expect("page")
                .len();
            std::hint::black_box(page);
            open_page.push(opened + t1.elapsed());
        }
        let lengths = padded_lengths(dir.path());
        let raw = median((0..5).map(|_| raw_opens(&lengths)).collect());
        println!(
            "journal: open + list + decrypt {listed:>6} entries: {:8.1} ms   raw XChaCha20-Poly1305 open of the same {} ciphertext sizes: {:6.1} ms (ratio {:.1}x)",
            ms(median(open_list.clone())),
            lengths.len(),
            ms(raw),
            median(open_list).as_secs_f64() / raw.as_secs_f64()
        );
        println!(
            "journal: open + first page (50) of {listed:>6} entries, all opened: {:8.1} ms",
            ms(median(open_page))
        );
        wp.unlock(pass.into()).expect("unlock");
    }

    // One write and one read next to one raw seal / open of the same size.
    let sealer = RecordSealer::new(SecretKey::generate());
    let sample = vec![b'x'; 1500];
    let raw_seal = median(
        (0..200)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(sealer.seal("journal", "id", 1, &sample).expect("seal"));
                t.elapsed()
            })
            .collect(),
    );
    let sealed = sealer.seal("journal", "id", 1, &sample).expect("seal");
    let raw_open = median(
        (0..200)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(sealer.open("journal", "id", 1, &sealed).expect("open"));
                t.elapsed()
            })
            .collect(),
    );
    let ids: Vec<String> = wp
        .journal_list(EntryFilter {
            limit: Some(200),
            ..EntryFilter::default()
        })
        .expect("list")
        .into_iter()
        .map(|e| e.id)
        .collect();
    let reads = median(
        ids.iter()
            .map(|id| {
                let t = Instant::now();
                wp.journal_get(id.clone()).expect("get");
                t.elapsed()
            })
            .collect(),
    );
    println!(
        "journal: write one entry (durable transaction, fsync): {:8.3} ms   raw seal of 1.5 KB: {:.4} ms",
        ms(median(writes)),
        ms(raw_seal)
    );
    println!(
        "journal: read one entry from the store (authenticated): {:7.3} ms   raw open of 1.5 KB: {:.4} ms",
        ms(reads),
        ms(raw_open)
    );

    // Search over 10,000 entries, next to a linear scan of the same decrypted text.
    let all = wp.journal_list(EntryFilter::default()).expect("list");
    let queries = [
        "passport",
        "boss debt",
        "hot",
        "lawyer visa papers",
        "shelter",
    ];
    // The first search after unlock builds the in-memory index; reported on its own.
    let t = Instant::now();
    std::hint::black_box(wp.journal_search("warmup".into()).expect("search"));
    let first = t.elapsed();
    let mut search = Vec::new();
    let mut scan = Vec::new();
    let mut hits = 0;
    for _ in 0..20 {
        for q in queries {
            let t = Instant::now();
            hits = wp.journal_search(q.into()).expect("search").len();
            search.push(t.elapsed());
            let t = Instant::now();
            let words: Vec<&str> = q.split(' ').collect();
            let n = all
                .iter()
                .filter(|e| {
                    words
                        .iter()
                        .all(|w| e.body.contains(w) || e.title.contains(w))
                })
                .count();
            std::hint::black_box(n);
            scan.push(t.elapsed());
        }
    }
    let p99 = |mut v: Vec<Duration>| {
        v.sort();
        v[v.len() * 99 / 100]
    };
    println!(
        "journal: first search after unlock (builds the index over {} entries): {:.1} ms",
        all.len(),
        ms(first)
    );
    println!(
        "journal: search over {} entries, results cloned across the API: p50 {:.2} ms, p99 {:.2} ms (last query {hits} hits)   linear substring scan of the same text (count only): p50 {:.2} ms",
        all.len(),
        ms(median(search.clone())),
        ms(p99(search)),
        ms(median(scan))
    );
}

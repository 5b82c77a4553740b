//! Quick exit latency (target: under 1 ms), next to the raw primitive it is built on.
//!
//! Each sample unlocks the vault at the release work factor (not timed: about a second),
//! then times `Disguise::quick_exit()`: state machine, dropping the session (zeroising keys
//! and in-memory indexes), clearing the calculator. The raw primitive beside it is a mutex
//! lock plus zeroising a 32-byte key, the least any lock can cost.
//! Run: cargo bench -p waypoint-core --bench quick_exit

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use waypoint_core::vault::VaultConfig;
use waypoint_core::{Core, SystemClock};
use zeroize::Zeroize;

const SAMPLES: usize = 15;
const CODE: &str = "40571986";

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[idx]
}

fn main() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = Core::open_with_config(
        dir.path().to_string_lossy().into_owned(),
        Arc::new(SystemClock),
        None,
        VaultConfig::default(),
    )
    .expect("open");
    wp.setup(CODE.to_owned()).expect("setup");
    let disguise = wp.disguise_controller().expect("disguise");

    let mut exits = Vec::with_capacity(SAMPLES);
    for _ in 0..SAMPLES {
        disguise.submit_code(CODE.to_owned()).expect("unlock");
        let t = Instant::now();
        std::hint::black_box(disguise.quick_exit().expect("quick exit"));
        exits.push(t.elapsed());
    }
    exits.sort();

    let raw_iters = 200_000;
    let key = Mutex::new([0x5au8; 32]);
    let t = Instant::now();
    for _ in 0..raw_iters {
        let mut guard = key.lock().expect("lock");
        guard.zeroize();
        std::hint::black_box(&*guard);
    }
    let raw = t.elapsed() / raw_iters;

    println!(
        "quick_exit (scrypt log_n {}): median {:?}, p90 {:?}, max {:?} over {SAMPLES} samples",
        VaultConfig::default().scrypt_log_n,
        percentile(&exits, 0.5),
        percentile(&exits, 0.9),
        exits[exits.len() - 1]
    );
    println!("raw primitive (mutex lock + zeroize 32 B): {raw:?} per op over {raw_iters} ops");
}

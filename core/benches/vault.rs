//! Unlock at the release work factor next to the raw primitive it is built on (one
//! Argon2id derivation at the release cost), measured in the same run; and, for
//! comparison, what an unlock of the earlier scheme cost: one age scrypt decryption at
//! log_n 18, and two of them in parallel (the real and the duress slot, as every attempt
//! made before the one-derivation scheme).
//!
//! Run: `cargo bench -p waypoint-core --bench vault`. Prints figures; asserts nothing.

use std::io::{Read, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use age::secrecy::SecretString;
use waypoint_core::platform::SystemClock;
use waypoint_core::vault::{
    VaultConfig, KDF_LANES, RELEASE_KDF_MEMORY_KIB, RELEASE_KDF_PASSES, RELEASE_SCRYPT_LOG_N,
};
use waypoint_core::Core;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let runs = 5;
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = Core::open_with_config(
        dir.path().to_string_lossy().into_owned(),
        Arc::new(SystemClock),
        None,
        VaultConfig::default(),
    )
    .expect("open");
    assert_eq!(VaultConfig::default().scrypt_log_n, RELEASE_SCRYPT_LOG_N);
    let t = Instant::now();
    wp.setup("benchmark passphrase".into()).expect("setup");
    let setup = t.elapsed();
    // Raw primitive: one Argon2id derivation at the release cost.
    let argon = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(
            RELEASE_KDF_MEMORY_KIB,
            RELEASE_KDF_PASSES,
            KDF_LANES,
            Some(32),
        )
        .expect("params"),
    );
    let raw_once = || {
        let t = Instant::now();
        let mut out = [0u8; 32];
        argon
            .hash_password_into(b"raw", &[7u8; 16], &mut out)
            .expect("argon2id");
        t.elapsed()
    };
    // The earlier scheme: one age scrypt decryption at log_n 18 per passphrase slot.
    let mut recipient = age::scrypt::Recipient::new(SecretString::from("raw".to_owned()));
    recipient.set_work_factor(RELEASE_SCRYPT_LOG_N);
    let enc = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
        .expect("encryptor");
    let mut file = Vec::new();
    let mut w = enc.wrap_output(&mut file).expect("wrap");
    w.write_all(&[0u8; 128]).expect("write");
    w.finish().expect("finish");
    let scrypt_once = || {
        let t = Instant::now();
        let mut id = age::scrypt::Identity::new(SecretString::from("raw".to_owned()));
        id.set_max_work_factor(RELEASE_SCRYPT_LOG_N);
        let dec = age::Decryptor::new_buffered(file.as_slice()).expect("header");
        let mut out = Vec::new();
        dec.decrypt(std::iter::once(&id as &dyn age::Identity))
            .expect("decrypt")
            .read_to_end(&mut out)
            .expect("read");
        t.elapsed()
    };
    let scrypt_two = || {
        let t = Instant::now();
        std::thread::scope(|s| {
            let a = s.spawn(scrypt_once);
            scrypt_once();
            a.join().expect("scrypt thread");
        });
        t.elapsed()
    };

    // Interleaved, so load from other processes hits both alike.
    let mut unlock = Vec::new();
    let mut raw = Vec::new();
    let mut wrong = Vec::new();
    let mut lock = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        wp.lock();
        lock.push(t.elapsed());
        raw.push(raw_once());
        let t = Instant::now();
        wp.unlock("benchmark passphrase".into()).expect("unlock");
        unlock.push(t.elapsed());
    }
    wp.lock();
    for _ in 0..2 {
        let t = Instant::now();
        let _ = wp.unlock("not the passphrase".into());
        wrong.push(t.elapsed());
    }
    let mut scrypt1 = Vec::new();
    let mut scrypt2 = Vec::new();
    for _ in 0..3 {
        scrypt1.push(scrypt_once());
        scrypt2.push(scrypt_two());
    }
    println!(
        "vault, Argon2id m={} MiB t={RELEASE_KDF_PASSES} p={KDF_LANES} (release cost), median of {runs}:",
        RELEASE_KDF_MEMORY_KIB / 1024
    );
    println!(
        "  unlock (one derivation, every slot tried):       {:8.1} ms",
        ms(median(unlock.clone()))
    );
    println!(
        "  raw Argon2id derivation:                          {:8.1} ms   (ratio {:.2}x)",
        ms(median(raw.clone())),
        median(unlock).as_secs_f64() / median(raw).as_secs_f64()
    );
    println!(
        "  wrong passphrase (same work):                     {:8.1} ms",
        ms(median(wrong))
    );
    println!(
        "  setup (one derivation, three slots):              {:8.1} ms",
        ms(setup)
    );
    println!(
        "  lock (drop every key):                            {:8.4} ms",
        ms(median(lock))
    );
    println!("earlier scheme, age scrypt log_n {RELEASE_SCRYPT_LOG_N}, median of 3:");
    println!(
        "  one slot:                                         {:8.1} ms",
        ms(median(scrypt1))
    );
    println!(
        "  two slots in parallel (an earlier unlock):        {:8.1} ms",
        ms(median(scrypt2))
    );
}

//! Vault promises: set up, unlock, lock, back-off, wipe, duress, passphrase change.

use std::sync::Arc;

use super::*;
use crate::app::{Core, VaultState};
use crate::platform::FakeClock;

const LOG_N: u8 = 4;

fn open(dir: &std::path::Path, clock: &Arc<FakeClock>) -> Arc<Core> {
    Core::open_with_config(
        dir.to_string_lossy().into_owned(),
        clock.clone(),
        None,
        VaultConfig::for_tests(LOG_N),
    )
    .expect("open")
}

fn seal_probe(wp: &Core, id: &str) -> Vec<u8> {
    wp.with_session(|s| s.sealer.seal("probe", id, 1, b"probe"))
        .expect("seal")
}

fn opens_probe(wp: &Core, id: &str, sealed: &[u8]) -> bool {
    wp.with_session(|s| s.sealer.open("probe", id, 1, sealed))
        .is_ok()
}

fn wrong(e: crate::Error) -> u64 {
    match e {
        crate::Error::WrongPassphrase { retry_after_s } => retry_after_s,
        other => panic!("expected WrongPassphrase, got {other:?}"),
    }
}

#[test]
fn setup_unlock_lock_reports_each_state() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(1_000_000));
    let wp = open(dir.path(), &clock);
    assert_eq!(wp.vault_state().expect("state"), VaultState::Uninitialized);
    assert_eq!(
        wp.status().expect("status").vault,
        VaultState::Uninitialized
    );
    wp.setup("correct horse".into()).expect("setup");
    assert_eq!(wp.vault_state().expect("state"), VaultState::Unlocked);
    let sealed = seal_probe(&wp, "a");
    wp.lock();
    assert_eq!(wp.vault_state().expect("state"), VaultState::Locked);
    assert_eq!(wp.status().expect("status").vault, VaultState::Locked);
    assert!(matches!(wp.with_session(|_| Ok(())), Err(Error::Locked)));
    wp.unlock("correct horse".into()).expect("unlock");
    assert!(opens_probe(&wp, "a", &sealed), "same keys after unlock");
    // A second setup is refused and keeps the vault.
    assert!(matches!(
        wp.setup("other".into()),
        Err(crate::Error::InvalidInput { .. })
    ));
}

#[test]
fn unlock_before_setup_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = open(dir.path(), &Arc::new(FakeClock::new(0)));
    let err = wp.unlock("x".into()).expect_err("not set up");
    assert!(err.to_string().contains("not set up"), "{err}");
}

#[test]
fn empty_passphrase_is_rejected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = open(dir.path(), &Arc::new(FakeClock::new(0)));
    assert!(matches!(
        wp.setup(String::new()),
        Err(crate::Error::InvalidInput { ref field, .. }) if field == "passphrase"
    ));
}

#[test]
fn passphrase_is_normalised_to_nfc() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = open(dir.path(), &Arc::new(FakeClock::new(0)));
    wp.setup("caf\u{e9}".into()).expect("setup composed");
    wp.lock();
    wp.unlock("cafe\u{301}".into())
        .expect("decomposed form opens too");
}

#[test]
fn wrong_passphrase_backs_off_and_the_back_off_survives_reopen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(10_000_000));
    let wp = open(dir.path(), &clock);
    wp.setup("right".into()).expect("setup");
    wp.lock();
    for _ in 0..FREE_ATTEMPTS - 1 {
        assert_eq!(wrong(wp.unlock("wrong".into()).expect_err("wrong")), 0);
    }
    assert_eq!(wrong(wp.unlock("wrong".into()).expect_err("wrong")), 30);
    // During the back-off even the right passphrase is not tried.
    assert_eq!(wrong(wp.unlock("right".into()).expect_err("waiting")), 30);
    drop(wp);
    let wp = open(dir.path(), &clock);
    assert_eq!(wp.unlock_retry_after_s().expect("retry"), 30, "persisted");
    assert_eq!(
        wrong(wp.unlock("right".into()).expect_err("still waiting")),
        30
    );
    clock.advance(30_000);
    assert_eq!(
        wrong(wp.unlock("wrong".into()).expect_err("wrong")),
        60,
        "doubles"
    );
    clock.advance(60_000);
    wp.unlock("right".into())
        .expect("right passphrase after the wait");
    wp.lock();
    assert_eq!(
        wrong(wp.unlock("wrong".into()).expect_err("wrong")),
        0,
        "reset on success"
    );
}

#[test]
fn moving_the_clock_backwards_does_not_shorten_the_back_off() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(50_000_000));
    let wp = open(dir.path(), &clock);
    wp.setup("right".into()).expect("setup");
    wp.lock();
    for _ in 0..FREE_ATTEMPTS {
        let _ = wp.unlock("wrong".into());
    }
    assert_eq!(wp.unlock_retry_after_s().expect("retry"), 30);
    clock.advance(-3_600_000);
    assert_eq!(
        wp.unlock_retry_after_s().expect("retry"),
        30,
        "clock moved back an hour"
    );
    drop(wp);
    let wp = open(dir.path(), &clock);
    assert_eq!(
        wrong(wp.unlock("right".into()).expect_err("still waiting")),
        30
    );
    clock.advance(3_600_000);
    assert_eq!(
        wp.unlock_retry_after_s().expect("retry"),
        30,
        "back to real time: no credit"
    );
    clock.advance(30_000);
    wp.unlock("right".into()).expect("after the full wait");
}

#[test]
fn backoff_schedule_doubles_and_is_capped() {
    assert_eq!(backoff_ms(0), 0);
    assert_eq!(backoff_ms(FREE_ATTEMPTS - 1), 0);
    assert_eq!(backoff_ms(FREE_ATTEMPTS), FIRST_BACKOFF_MS);
    assert_eq!(backoff_ms(FREE_ATTEMPTS + 1), 2 * FIRST_BACKOFF_MS);
    assert_eq!(backoff_ms(u32::MAX), MAX_BACKOFF_MS);
}

#[test]
fn opt_in_wipe_after_n_failures_destroys_the_vault() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(0));
    let wp = open(dir.path(), &clock);
    wp.setup("right".into()).expect("setup");
    wp.set_wipe_after_failures(Some(2)).expect("opt in");
    wp.lock();
    let _ = wp.unlock("wrong".into());
    assert_eq!(wp.vault_state().expect("state"), VaultState::Locked);
    let err = wp.unlock("wrong".into()).expect_err("second failure wipes");
    assert!(matches!(err, crate::Error::WrongPassphrase { .. }));
    assert_eq!(wp.vault_state().expect("state"), VaultState::Uninitialized);
    assert!(wp.unlock("right".into()).is_err(), "nothing left to open");
    // A fresh vault can be set up afterwards.
    wp.setup("new".into()).expect("setup after wipe");
}

#[test]
fn without_opt_in_there_is_no_wipe() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(0));
    let wp = open(dir.path(), &clock);
    wp.setup("right".into()).expect("setup");
    wp.lock();
    for _ in 0..12 {
        let _ = wp.unlock("wrong".into());
        clock.advance(MAX_BACKOFF_MS);
    }
    wp.unlock("right".into()).expect("still there");
}

#[test]
fn change_passphrase_keeps_data_and_retires_the_old_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(0));
    let wp = open(dir.path(), &clock);
    wp.setup("old pass".into()).expect("setup");
    let sealed = seal_probe(&wp, "x");
    wp.change_passphrase("old pass".into(), "new pass".into())
        .expect("change");
    wp.lock();
    assert!(wp.unlock("old pass".into()).is_err());
    wp.unlock("new pass".into()).expect("new opens");
    assert!(opens_probe(&wp, "x", &sealed), "records still open");
    let err = wp
        .change_passphrase("not it".into(), "whatever".into())
        .expect_err("wrong old");
    assert!(matches!(err, crate::Error::WrongPassphrase { .. }));
}

#[test]
fn duress_passphrase_opens_a_separate_decoy_and_keeps_the_real_vault() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(0));
    let wp = open(dir.path(), &clock);
    wp.setup("real".into()).expect("setup");
    let real = seal_probe(&wp, "r");
    let real_tag = wp.with_session(|s| s.row_tag("probe", "r")).expect("tag");
    assert!(matches!(
        wp.set_duress_passphrase("real".into(), false),
        Err(crate::Error::InvalidInput { .. })
    ));
    wp.set_duress_passphrase("decoy".into(), false)
        .expect("duress");
    wp.lock();
    wp.unlock("decoy".into()).expect("decoy opens");
    assert_eq!(
        wp.vault_state().expect("state"),
        VaultState::Unlocked,
        "looks the same"
    );
    assert!(
        !opens_probe(&wp, "r", &real),
        "decoy cannot read the real vault"
    );
    let decoy_tag = wp.with_session(|s| s.row_tag("probe", "r")).expect("tag");
    assert_ne!(real_tag, decoy_tag);
    // The decoy's vault actions succeed as they would in a real vault, but change nothing
    // real: no slot is rewritten, the real vault's key and passphrase stay.
    let before = slots(&wp);
    wp.set_duress_passphrase("x".into(), true)
        .expect("decoy duress-set looks like it worked");
    wp.clear_duress_passphrase()
        .expect("decoy duress-clear looks like it worked");
    wp.set_wipe_after_failures(Some(1))
        .expect("decoy wipe-after looks like it worked");
    assert!(
        matches!(
            wp.set_duress_passphrase("decoy".into(), false),
            Err(crate::Error::InvalidInput { .. })
        ),
        "the same rule as the real vault: not its own passphrase"
    );
    assert!(
        matches!(
            wp.set_wipe_after_failures(Some(0)),
            Err(crate::Error::InvalidInput { .. })
        ),
        "the same rule as the real vault"
    );
    assert_eq!(slots(&wp), before, "no slot was touched");
    wp.lock();
    assert!(
        matches!(
            wp.unlock("x".into()),
            Err(crate::Error::WrongPassphrase { .. })
        ),
        "the decoy's duress passphrase was never stored"
    );
    assert!(matches!(
        wp.unlock("y".into()),
        Err(crate::Error::WrongPassphrase { .. })
    ));
    assert_eq!(
        wp.vault_state().expect("state"),
        VaultState::Locked,
        "wipe-after 1 was not armed"
    );
    wp.unlock("real".into()).expect("real still opens");
    assert!(opens_probe(&wp, "r", &real));
    wp.lock();
    wp.unlock("decoy".into())
        .expect("the duress passphrase still opens the decoy");
}

#[test]
fn duress_with_shred_destroys_the_real_vault_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(0));
    let wp = open(dir.path(), &clock);
    wp.setup("real".into()).expect("setup");
    wp.set_duress_passphrase("decoy".into(), true)
        .expect("duress");
    let before: Vec<Vec<u8>> = slots(&wp);
    wp.lock();
    wp.unlock("decoy".into()).expect("decoy opens");
    wp.lock();
    assert!(matches!(
        wp.unlock("real".into()),
        Err(crate::Error::WrongPassphrase { .. })
    ));
    let after = slots(&wp);
    assert_eq!(
        after.len(),
        before.len(),
        "same number of slots: nothing looks different"
    );
    assert_eq!(after.iter().map(Vec::len).collect::<Vec<_>>().len(), 3);
    wp.unlock("decoy".into()).expect("decoy still opens");
}

fn slots(wp: &Core) -> Vec<Vec<u8>> {
    wp.store
        .with_conn(|c| {
            let mut st = c.prepare("SELECT wrapped FROM vault_slot ORDER BY slot")?;
            let rows = st.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<Vec<Vec<u8>>>>()?)
        })
        .expect("slots")
}

#[test]
fn files_look_the_same_with_and_without_duress() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(0));
    let wp = open(dir.path(), &clock);
    wp.setup("real".into()).expect("setup");
    let without: Vec<usize> = slots(&wp).iter().map(Vec::len).collect();
    wp.set_duress_passphrase("decoy".into(), false)
        .expect("duress");
    let with: Vec<usize> = slots(&wp).iter().map(Vec::len).collect();
    assert_eq!(without.len(), 3);
    assert_eq!(
        without, with,
        "slot count and sizes do not reveal a duress passphrase"
    );
}

#[test]
fn key_store_adds_a_second_wrap_that_is_required_to_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(0));
    let ks_dir = tempfile::tempdir().expect("tempdir");
    let ks: Arc<dyn KeyStore> =
        crate::platform::FileKeyStore::new(ks_dir.path().to_string_lossy().into_owned());
    let wp = Core::open_with_config(
        dir.path().to_string_lossy().into_owned(),
        clock.clone(),
        Some(ks.clone()),
        VaultConfig::for_tests(LOG_N),
    )
    .expect("open");
    wp.setup("pass".into()).expect("setup");
    wp.lock();
    drop(wp);
    let without = open(dir.path(), &clock);
    let err = without
        .unlock("pass".into())
        .expect_err("needs the platform key");
    assert!(err.to_string().contains("platform key"), "{err}");
    drop(without);
    let other_ks: Arc<dyn KeyStore> = crate::platform::FileKeyStore::new(
        tempfile::tempdir()
            .expect("tempdir")
            .path()
            .to_string_lossy()
            .into_owned(),
    );
    let wrong_key = Core::open_with_config(
        dir.path().to_string_lossy().into_owned(),
        clock.clone(),
        Some(other_ks),
        VaultConfig::for_tests(LOG_N),
    )
    .expect("open");
    assert!(
        wrong_key.unlock("pass".into()).is_err(),
        "another device key cannot open"
    );
    drop(wrong_key);
    let with = Core::open_with_config(
        dir.path().to_string_lossy().into_owned(),
        clock,
        Some(ks),
        VaultConfig::for_tests(LOG_N),
    )
    .expect("open");
    with.unlock("pass".into())
        .expect("opens with its platform key");
}

#[test]
fn work_factor_is_pinned_and_validated() {
    assert_eq!(VaultConfig::default().scrypt_log_n, RELEASE_SCRYPT_LOG_N);
    assert!(VaultConfig::default().validate().is_ok());
    assert!(VaultConfig::for_tests(1).validate().is_err());
    assert!(VaultConfig::for_tests(MAX_SCRYPT_LOG_N + 1)
        .validate()
        .is_err());
    // A slot written at a higher factor than this build allows is refused, not ground on.
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(0));
    let wp = Core::open_with_config(
        dir.path().to_string_lossy().into_owned(),
        clock.clone(),
        None,
        VaultConfig::for_tests(8),
    )
    .expect("open");
    wp.setup("p".into()).expect("setup");
    wp.lock();
    drop(wp);
    let low = open(dir.path(), &clock);
    let err = low
        .unlock("p".into())
        .expect_err("factor above the pinned max");
    assert!(
        matches!(
            err,
            crate::Error::Corrupt(_)
                | crate::Error::Sqlite(_)
                | crate::Error::Io(_)
                | crate::Error::SchemaTooNew { .. }
        ),
        "{err:?}"
    );
}

#[test]
fn the_passphrase_and_identity_never_reach_the_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(0));
    let wp = open(dir.path(), &clock);
    let pass = "UniquePassphraseMarker7731";
    wp.setup(pass.into()).expect("setup");
    let identity = wp
        .with_session(|s| Ok(s.keys()?.identity().to_string().expose_secret().to_owned()))
        .expect("identity");
    wp.change_passphrase(pass.into(), "SecondMarker99182".into())
        .expect("change");
    for entry in std::fs::read_dir(dir.path()).expect("read dir").flatten() {
        if !entry.path().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).expect("read");
        for marker in [pass, "SecondMarker99182", identity.as_str()] {
            assert!(
                !bytes.windows(marker.len()).any(|w| w == marker.as_bytes()),
                "secret found in {}",
                entry.path().display()
            );
        }
    }
}

#[test]
fn debug_output_of_keys_and_sessions_is_redacted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = open(dir.path(), &Arc::new(FakeClock::new(0)));
    wp.setup("p".into()).expect("setup");
    let shown = wp.with_session(|s| Ok(format!("{s:?}"))).expect("debug");
    assert!(!shown.contains("AGE-SECRET-KEY"), "{shown}");
    assert!(shown.contains("redacted"));
}

#[test]
fn lock_drops_every_key() {
    use crate::crypto::key_probe::Scope;
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = open(dir.path(), &Arc::new(FakeClock::new(0)));
    let keys = Scope::begin();
    wp.setup("p".into()).expect("setup");
    // Use everything that derives or caches keys: records, journal entries (per-entry
    // keys in the index), attachments, search, export.
    let sealed = seal_probe(&wp, "a");
    let e = wp
        .journal_add(crate::journal::EntryDraft {
            title: "t".into(),
            body: "b".into(),
            ..Default::default()
        })
        .expect("add");
    wp.journal_attach_bytes(e.id.clone(), vec![1; 10], "f".into(), "text/plain".into())
        .expect("attach");
    wp.journal_search("b".into()).expect("search");
    assert!(keys.live_keys() > 0, "the probe sees the session's keys");
    wp.lock();
    assert_eq!(keys.live_keys(), 0, "a key outlived the lock");
    assert!(matches!(wp.with_session(|_| Ok(())), Err(Error::Locked)));
    // The same after a wrong attempt, an unlock and a passphrase change.
    let _ = wp.unlock("wrong".into());
    wp.unlock("p".into()).expect("unlock");
    assert!(opens_probe(&wp, "a", &sealed));
    wp.journal_get(e.id).expect("get");
    wp.change_passphrase("p".into(), "q".into())
        .expect("change");
    assert!(keys.live_keys() > 0);
    wp.lock();
    assert_eq!(keys.live_keys(), 0, "a key outlived the second lock");
}

#[test]
fn wrong_old_passphrase_in_a_change_counts_toward_wipe_after() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(0));
    let wp = open(dir.path(), &clock);
    wp.setup("right".into()).expect("setup");
    wp.set_wipe_after_failures(Some(3)).expect("opt in");
    // Unlocked, as a person holding the phone would find it: the change prompt is one
    // more place to guess.
    for _ in 0..2 {
        let err = wp
            .change_passphrase("guess".into(), "mine now".into())
            .expect_err("wrong old");
        assert!(matches!(err, crate::Error::WrongPassphrase { .. }));
        clock.advance(MAX_BACKOFF_MS);
    }
    assert_eq!(wp.vault_state().expect("state"), VaultState::Unlocked);
    let err = wp
        .change_passphrase("guess".into(), "mine now".into())
        .expect_err("third wrong old wipes");
    assert!(matches!(err, crate::Error::WrongPassphrase { .. }));
    assert_eq!(
        wp.vault_state().expect("state"),
        VaultState::Uninitialized,
        "wiped, and the session opened before is gone too"
    );
    assert!(matches!(wp.with_session(|_| Ok(())), Err(Error::Locked)));
    assert!(wp.unlock("right".into()).is_err(), "nothing left to open");
}

#[test]
fn unlock_and_change_failures_share_one_counter() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(0));
    let wp = open(dir.path(), &clock);
    wp.setup("right".into()).expect("setup");
    wp.set_wipe_after_failures(Some(4)).expect("opt in");
    wp.lock();
    assert_eq!(wrong(wp.unlock("a".into()).expect_err("wrong")), 0);
    assert_eq!(
        wrong(
            wp.change_passphrase("b".into(), "c".into())
                .expect_err("wrong")
        ),
        0
    );
    assert_eq!(
        wrong(wp.unlock("d".into()).expect_err("wrong")),
        30,
        "third failure of either kind starts the back-off"
    );
    assert_eq!(
        wrong(
            wp.change_passphrase("right".into(), "c".into())
                .expect_err("waiting")
        ),
        30,
        "a change is not tried during the back-off either"
    );
    clock.advance(30_000);
    let _ = wp.change_passphrase("e".into(), "f".into());
    assert_eq!(
        wp.vault_state().expect("state"),
        VaultState::Uninitialized,
        "fourth failure wiped"
    );
}

fn lockout_row(wp: &Core) -> Option<Vec<u8>> {
    wp.store
        .with_conn(|c| {
            use rusqlite::OptionalExtension;
            Ok(
                c.query_row("SELECT sealed FROM vault_lockout WHERE id = 0", [], |r| {
                    r.get(0)
                })
                .optional()?,
            )
        })
        .expect("lockout row")
}

fn put_lockout_row(wp: &Core, row: Option<&[u8]>) {
    wp.store
        .with_conn(|c| {
            c.execute("DELETE FROM vault_lockout", [])?;
            if let Some(row) = row {
                c.execute(
                    "INSERT INTO vault_lockout (id, sealed) VALUES (0, ?1)",
                    [row],
                )?;
            }
            Ok(())
        })
        .expect("write lockout row");
}

#[test]
fn an_unsealed_or_missing_lockout_row_is_refused_when_the_platform_key_is_in_use() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(5_000_000));
    let ks: Arc<dyn KeyStore> =
        crate::platform::FileKeyStore::new(dir.path().to_string_lossy().into_owned());
    let wp = Core::open_with_config(
        dir.path().to_string_lossy().into_owned(),
        clock.clone(),
        Some(ks),
        VaultConfig::for_tests(LOG_N),
    )
    .expect("open");
    wp.setup("right".into()).expect("setup");
    wp.set_wipe_after_failures(Some(10)).expect("opt in");
    wp.lock();
    for _ in 0..FREE_ATTEMPTS {
        let _ = wp.unlock("wrong".into());
    }
    assert_eq!(wp.unlock_retry_after_s().expect("retry"), 30);
    let sealed = lockout_row(&wp).expect("row exists");
    assert_eq!(sealed.first(), Some(&WRAP_KEYSTORE));

    // Someone with the files writes a fresh, unwrapped counter: no failures, no wait,
    // wipe-after off.
    let reset = serde_json::to_vec(&Lockout::default()).expect("json");
    let mut plain = vec![WRAP_PLAIN];
    plain.extend(reset);
    for tampered in [Some(plain.as_slice()), None] {
        put_lockout_row(&wp, tampered);
        let err = wp.unlock("right".into()).expect_err("downgrade refused");
        assert!(
            matches!(
                err,
                crate::Error::Corrupt(_)
                    | crate::Error::Sqlite(_)
                    | crate::Error::Io(_)
                    | crate::Error::SchemaTooNew { .. }
            ),
            "{err:?} for {}",
            if tampered.is_some() {
                "an unsealed row"
            } else {
                "a deleted row"
            }
        );
        assert!(err.to_string().contains("attempt counter"), "{err}");
        assert!(wp.unlock_retry_after_s().is_err());
        assert_eq!(wp.vault_state().expect("state"), VaultState::Locked);
        assert_eq!(
            lockout_row(&wp).as_deref(),
            tampered,
            "the refused row is not adopted or rewritten"
        );
    }
    // Put the sealed row back: the back-off was not reset by any of this.
    put_lockout_row(&wp, Some(&sealed));
    assert_eq!(wrong(wp.unlock("right".into()).expect_err("waiting")), 30);
    clock.advance(30_000);
    wp.unlock("right".into()).expect("after the real wait");
}

/// Guesses made at the same moment (threads here; separate `waypoint` processes on a
/// desktop share the database the same way).
fn guess_at_once(wp: &Arc<Core>, n: usize) {
    let start = Arc::new(std::sync::Barrier::new(n));
    let guesses: Vec<_> = (0..n)
        .map(|i| {
            let wp = wp.clone();
            let start = start.clone();
            std::thread::spawn(move || {
                start.wait();
                if i % 2 == 0 {
                    let _ = wp.unlock(format!("guess {i}"));
                } else {
                    let _ = wp.change_passphrase(format!("guess {i}"), "mine now".into());
                }
            })
        })
        .collect();
    for g in guesses {
        g.join().expect("guess thread");
    }
}

#[test]
fn simultaneous_guesses_are_each_counted() {
    // A work factor high enough that every guess is still grinding scrypt when the others
    // start: each must have been counted before it was tried.
    let config = VaultConfig::for_tests(13);
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(0));
    let wp = Core::open_with_config(
        dir.path().to_string_lossy().into_owned(),
        clock.clone(),
        None,
        config.clone(),
    )
    .expect("open");
    wp.setup("right".into()).expect("setup");
    wp.lock();
    guess_at_once(&wp, FREE_ATTEMPTS as usize);
    assert_eq!(
        wp.unlock_retry_after_s().expect("retry"),
        30,
        "{FREE_ATTEMPTS} guesses at once count as {FREE_ATTEMPTS}"
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let wp = Core::open_with_config(
        dir.path().to_string_lossy().into_owned(),
        clock,
        None,
        config,
    )
    .expect("open");
    wp.setup("right".into()).expect("setup");
    wp.set_wipe_after_failures(Some(FREE_ATTEMPTS))
        .expect("opt in");
    wp.lock();
    guess_at_once(&wp, 6);
    assert_eq!(
        wp.vault_state().expect("state"),
        VaultState::Uninitialized,
        "six guesses at once reached the wipe-after count"
    );
}

/// Per slot: whether it is in the one-derivation scheme (platform wrap removed).
fn slot_kinds(wp: &Core) -> Vec<bool> {
    let ctx = wp.vault_ctx();
    let ks = wp.vault.key_store().expect("key store");
    let rows = ctx.load_slots().expect("slots");
    ctx.open_rows(&rows, &ks)
        .expect("open rows")
        .iter()
        .map(|(_, b)| is_v2(b))
        .collect()
}

/// A vault as builds before the one-derivation scheme wrote it: three age scrypt slots
/// (real at 0, `other` at 1: a duress passphrase or the random filler, chaff at 2).
fn legacy_vault(wp: &Core, real: &str, duress: Option<&str>) {
    let plain = |age: Vec<u8>| {
        let mut v = vec![WRAP_PLAIN];
        v.extend(age);
        v
    };
    let pass = |p: &str| SecretString::from(p.to_owned());
    let primary =
        age_wrap(&Payload::fresh(Role::Primary, false), &pass(real), LOG_N).expect("wrap");
    let other = match duress {
        Some(d) => age_wrap(&Payload::fresh(Role::Duress, false), &pass(d), LOG_N),
        None => age_wrap(
            &Payload::fresh(Role::Chaff, false),
            &random_passphrase(),
            LOG_N,
        ),
    }
    .expect("wrap");
    let chaff = age_wrap(
        &Payload::fresh(Role::Chaff, false),
        &random_passphrase(),
        LOG_N,
    )
    .expect("wrap");
    let lockout = VaultCtx::wrap_lockout(&Lockout::default(), &None).expect("lockout");
    wp.store
        .with_conn(|c| {
            for (i, w) in [primary, other, chaff].into_iter().enumerate() {
                c.execute(
                    "INSERT INTO vault_slot (slot, wrapped) VALUES (?1, ?2)",
                    rusqlite::params![i as i64, plain(w)],
                )?;
            }
            c.execute(
                "INSERT INTO vault_lockout (id, sealed) VALUES (0, ?1)",
                [lockout],
            )?;
            Ok(())
        })
        .expect("legacy rows");
}

fn kdf_runs_of<T>(f: impl FnOnce() -> T) -> (u32, T) {
    KDF_RUNS.with(|c| c.set(0));
    let out = f();
    (KDF_RUNS.with(|c| c.get()), out)
}

#[test]
fn one_derivation_per_attempt_whether_duress_is_set_or_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(0));
    let wp = open(dir.path(), &clock);
    let (n, r) = kdf_runs_of(|| wp.setup("real".into()));
    r.expect("setup");
    assert_eq!(n, 1, "setup derives once");
    wp.lock();
    for duress in [false, true] {
        if duress {
            wp.unlock("real".into()).expect("unlock");
            wp.set_duress_passphrase("decoy".into(), false)
                .expect("duress");
            wp.lock();
        }
        let (n, r) = kdf_runs_of(|| wp.unlock("wrong".into()));
        assert!(r.is_err());
        assert_eq!(
            n, 1,
            "a wrong passphrase: one derivation (duress set: {duress})"
        );
        let (n, r) = kdf_runs_of(|| wp.unlock("real".into()));
        r.expect("real opens");
        assert_eq!(
            n, 1,
            "the real passphrase: one derivation (duress set: {duress})"
        );
        wp.lock();
    }
    let (n, r) = kdf_runs_of(|| wp.unlock("decoy".into()));
    r.expect("decoy opens");
    assert_eq!(n, 1, "the duress passphrase: one derivation");
}

#[test]
fn a_legacy_scrypt_vault_opens_and_each_slot_is_rewrapped_when_opened() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(0));
    let wp = open(dir.path(), &clock);
    legacy_vault(&wp, "real", Some("decoy"));
    assert_eq!(slot_kinds(&wp), [false, false, false]);
    wp.unlock("real".into()).expect("legacy real slot opens");
    let probe = seal_probe(&wp, "p");
    // The real slot and the chaff slot are rewrapped; the duress slot cannot be (its
    // passphrase was not typed) and stays a scrypt slot until it is opened.
    assert_eq!(slot_kinds(&wp), [true, false, true]);
    wp.lock();
    let (n, r) = kdf_runs_of(|| wp.unlock("real".into()));
    r.expect("rewrapped real slot opens");
    assert_eq!(n, 1);
    assert!(
        opens_probe(&wp, "p", &probe),
        "same identity after the rewrap"
    );
    wp.lock();
    wp.unlock("decoy".into()).expect("legacy duress slot opens");
    assert!(!opens_probe(&wp, "p", &probe), "the decoy is another vault");
    assert_eq!(slot_kinds(&wp), [true, true, true]);
    let sizes: Vec<usize> = slots(&wp).iter().map(Vec::len).collect();
    assert!(sizes.iter().all(|s| *s == sizes[0]), "{sizes:?}");
    wp.lock();
    wp.unlock("decoy".into())
        .expect("rewrapped duress slot opens");
    wp.lock();
    let (n, r) = kdf_runs_of(|| wp.unlock("real".into()));
    r.expect("real still opens");
    assert_eq!(n, 1, "no scrypt slot left: one derivation");
    assert!(opens_probe(&wp, "p", &probe));

    // Without a duress passphrase the files after the upgrade look the same.
    let dir = tempfile::tempdir().expect("tempdir");
    let plain = open(dir.path(), &clock);
    legacy_vault(&plain, "real", None);
    plain.unlock("real".into()).expect("legacy opens");
    assert_eq!(slot_kinds(&plain), [true, false, true]);
    plain.lock();
    plain.unlock("real".into()).expect("opens again");
    // clear_duress replaces the filler: the last scrypt slot is gone.
    plain.clear_duress_passphrase().expect("clear");
    assert_eq!(slot_kinds(&plain), [true, true, true]);
}

#[test]
fn a_passphrase_change_on_a_legacy_vault_rewraps_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(0));
    let wp = open(dir.path(), &clock);
    legacy_vault(&wp, "real", Some("decoy"));
    assert!(matches!(
        wp.change_passphrase("real".into(), "decoy".into()),
        Err(crate::Error::InvalidInput { .. })
    ));
    wp.change_passphrase("real".into(), "new".into())
        .expect("change");
    assert_eq!(slot_kinds(&wp), [true, false, true]);
    wp.unlock("new".into()).expect("new opens");
    wp.lock();
    wp.unlock("decoy".into()).expect("decoy opens");
}

#[test]
fn a_duress_guess_from_inside_a_session_is_counted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(0));
    let wp = open(dir.path(), &clock);
    wp.setup("real".into()).expect("setup");
    wp.set_wipe_after_failures(Some(1)).expect("wipe after");
    // Someone holding the unlocked phone tests guesses at the real passphrase through the
    // "must differ" check: each is counted, so the back-off stops them.
    for i in 0..FREE_PROBES {
        wp.set_duress_passphrase(format!("guess {i}"), false)
            .expect("a free guess");
    }
    let err = wp
        .set_duress_passphrase("real".into(), false)
        .expect_err("backed off");
    assert!(wrong(err) > 0);
    assert_eq!(
        wp.vault_state().expect("state"),
        VaultState::Unlocked,
        "probes never wipe"
    );
    clock.advance(FIRST_BACKOFF_MS);
    // A passphrase change does not clear the count of its own check.
    wp.change_passphrase("real".into(), "other".into())
        .expect("change");
    assert!(wp.unlock_retry_after_s().expect("retry") > 0);
    clock.advance(MAX_BACKOFF_MS);
    wp.lock();
    wp.unlock("other".into()).expect("unlock clears the probes");
    assert_eq!(wp.unlock_retry_after_s().expect("retry"), 0);
}

#[test]
fn set_wipe_after_does_not_undo_a_failure_counted_meanwhile() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(0));
    let wp = open(dir.path(), &clock);
    wp.setup("real".into()).expect("setup");
    let ctx = wp.vault_ctx();
    let ks = wp.vault.key_store().expect("key store");
    let hook_ks = ks.clone();
    let keys = wp
        .with_session(|s| Ok(s.keys()?.clone_for_vault()))
        .expect("keys");
    // A failure counted by another process between set_wipe_after's read and write.
    WIPE_AFTER_RACE.with(|h| {
        *h.borrow_mut() = Some(Box::new(move |ctx: &VaultCtx<'_>| {
            let ks = hook_ks;
            let (stored, mut l) = ctx.load_lockout_row(&ks).expect("row");
            l.failures += 5;
            let row = VaultCtx::wrap_lockout(&l, &ks).expect("wrap");
            assert!(ctx.swap_lockout_row(stored.as_deref(), &row).expect("swap"));
        }))
    });
    ctx.set_wipe_after(&keys, Some(9)).expect("set");
    let l = ctx.load_lockout(&ks).expect("row");
    assert_eq!(l.failures, 5, "the failure counted meanwhile survives");
    assert_eq!(l.wipe_after, Some(9));
}

#[test]
fn a_guess_at_the_other_passphrase_in_a_change_is_counted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(0));
    let wp = open(dir.path(), &clock);
    wp.setup("real".into()).expect("setup");
    wp.set_duress_passphrase("decoy".into(), false)
        .expect("duress");
    // Knowing the real passphrase, each change tests one guess at the duress passphrase
    // ("must differ from the other passphrase"): counted, so the back-off stops them.
    let mut current = "real".to_owned();
    for i in 1..FREE_PROBES {
        let next = format!("guess {i}");
        wp.change_passphrase(current.clone(), next.clone())
            .expect("a free guess");
        current = next;
    }
    let err = wp
        .change_passphrase(current, "decoy".into())
        .expect_err("backed off");
    assert!(wrong(err) > 0);
}

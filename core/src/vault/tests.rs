//! Vault promises: set up, unlock, lock, back-off, wipe, duress, passphrase change.

use std::sync::Arc;

use super::*;
use crate::clock::FakeClock;
use crate::ffi::{VaultState, Waypoint, WaypointApiError};

const LOG_N: u8 = 4;

fn open(dir: &std::path::Path, clock: &Arc<FakeClock>) -> Arc<Waypoint> {
    Waypoint::open_with_config(
        dir.to_string_lossy().into_owned(),
        clock.clone(),
        None,
        VaultConfig::for_tests(LOG_N),
    )
    .expect("open")
}

fn seal_probe(wp: &Waypoint, id: &str) -> Vec<u8> {
    wp.with_session(|s| s.sealer.seal("probe", id, 1, b"probe"))
        .expect("seal")
}

fn opens_probe(wp: &Waypoint, id: &str, sealed: &[u8]) -> bool {
    wp.with_session(|s| s.sealer.open("probe", id, 1, sealed))
        .is_ok()
}

fn wrong(e: WaypointApiError) -> u64 {
    match e {
        WaypointApiError::WrongPassphrase { retry_after_s } => retry_after_s,
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
        Err(WaypointApiError::InvalidInput { .. })
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
        Err(WaypointApiError::InvalidInput { ref field, .. }) if field == "passphrase"
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
    assert!(matches!(err, WaypointApiError::WrongPassphrase { .. }));
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
    assert!(matches!(err, WaypointApiError::WrongPassphrase { .. }));
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
        Err(WaypointApiError::InvalidInput { .. })
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
            Err(WaypointApiError::InvalidInput { .. })
        ),
        "the same rule as the real vault: not its own passphrase"
    );
    assert!(
        matches!(
            wp.set_wipe_after_failures(Some(0)),
            Err(WaypointApiError::InvalidInput { .. })
        ),
        "the same rule as the real vault"
    );
    assert_eq!(slots(&wp), before, "no slot was touched");
    wp.lock();
    assert!(
        matches!(
            wp.unlock("x".into()),
            Err(WaypointApiError::WrongPassphrase { .. })
        ),
        "the decoy's duress passphrase was never stored"
    );
    assert!(matches!(
        wp.unlock("y".into()),
        Err(WaypointApiError::WrongPassphrase { .. })
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
        Err(WaypointApiError::WrongPassphrase { .. })
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

fn slots(wp: &Waypoint) -> Vec<Vec<u8>> {
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
        crate::crypto::FileKeyStore::new(ks_dir.path().to_string_lossy().into_owned());
    let wp = Waypoint::open_with_config(
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
    let other_ks: Arc<dyn KeyStore> = crate::crypto::FileKeyStore::new(
        tempfile::tempdir()
            .expect("tempdir")
            .path()
            .to_string_lossy()
            .into_owned(),
    );
    let wrong_key = Waypoint::open_with_config(
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
    let with = Waypoint::open_with_config(
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
    let wp = Waypoint::open_with_config(
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
    assert!(matches!(err, WaypointApiError::Storage { .. }), "{err:?}");
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
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = open(dir.path(), &Arc::new(FakeClock::new(0)));
    wp.setup("p".into()).expect("setup");
    wp.lock();
    assert!(wp.session.lock().expect("lock").is_none());
}

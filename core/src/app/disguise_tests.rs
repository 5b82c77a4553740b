//! The disguise end to end through the core: calculator code unlocks the real vault, wrong
//! codes are arithmetic, quick exit and auto-lock drop every key, settings are sealed.

use std::sync::Arc;

use super::disguise::{calculator_evaluate, disguise_launcher_aliases};
use super::*;
use crate::app::VaultState;
use crate::disguise::{Decoy, Settings};
use crate::platform::FakeClock;
use crate::vault::VaultConfig;
use waypoint_disguise::calculator::Key;

const CODE: &str = "40571986";

fn open(dir: &std::path::Path, clock: &Arc<FakeClock>) -> Arc<Core> {
    Core::open_with_config(
        dir.to_string_lossy().into_owned(),
        clock.clone(),
        None,
        VaultConfig::for_tests(4),
    )
    .expect("open")
}

fn set_up(dir: &std::path::Path, clock: &Arc<FakeClock>) -> Arc<Core> {
    let wp = open(dir, clock);
    wp.setup(CODE.to_owned()).expect("setup");
    wp.lock();
    wp
}

fn type_keys(d: &DisguiseController, keys: &str) -> CalcOutput {
    let mut last = None;
    for k in Key::parse_all(keys).expect("keys") {
        let key = match k {
            Key::Digit(value) => CalcKey::Digit { value },
            Key::Point => CalcKey::Point,
            Key::Add => CalcKey::Add,
            Key::Subtract => CalcKey::Subtract,
            Key::Multiply => CalcKey::Multiply,
            Key::Divide => CalcKey::Divide,
            Key::Equals => CalcKey::Equals,
            Key::Percent => CalcKey::Percent,
            Key::Negate => CalcKey::Negate,
            Key::Clear => CalcKey::Clear,
            Key::Backspace => CalcKey::Backspace,
        };
        last = Some(d.press(key).expect("press"));
    }
    last.expect("at least one key")
}

fn session_exists(wp: &Core) -> bool {
    wp.session.lock().expect("lock").is_some()
}

#[test]
fn secret_code_then_equals_opens_the_vault_and_clears_the_display() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(1_000_000));
    let wp = set_up(dir.path(), &clock);
    let d = wp.clone().disguise_controller().expect("disguise");
    assert_eq!(d.screen().expect("screen"), Screen::Decoy);

    let out = type_keys(&d, &format!("{CODE}="));
    assert_eq!(out.display, CODE, "the code shows like any number");
    assert!(out.unlock_pending);
    assert!(!session_exists(&wp), "press() never touches the vault");

    assert_eq!(d.attempt_unlock().expect("attempt"), Screen::App);
    assert_eq!(wp.vault_state().expect("state"), VaultState::Unlocked);
    assert_eq!(
        d.display().expect("display"),
        "0",
        "the code does not linger"
    );
}

#[test]
fn wrong_codes_are_just_arithmetic() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(1_000_000));
    let wp = set_up(dir.path(), &clock);
    let d = wp.clone().disguise_controller().expect("disguise");

    let out = type_keys(&d, "12+3=");
    assert_eq!((out.display.as_str(), out.unlock_pending), ("15", false));

    let out = type_keys(&d, "C123456=");
    assert_eq!(out.display, "123456");
    assert!(out.unlock_pending);
    assert_eq!(
        d.attempt_unlock().expect("no error, never 'wrong'"),
        Screen::Decoy
    );
    assert_eq!(wp.vault_state().expect("state"), VaultState::Locked);
    // The calculator keeps working after a rejected code.
    assert_eq!(type_keys(&d, "+4=").display, "123460");
}

#[test]
fn fiddling_during_back_off_does_not_lengthen_the_wait() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(1_000_000));
    let wp = set_up(dir.path(), &clock);
    let d = wp.clone().disguise_controller().expect("disguise");
    // Burn the free attempts, until the vault imposes a wait.
    let mut tries = 0;
    while wp.unlock_retry_after_s().expect("retry") == 0 {
        type_keys(&d, "C111111=");
        d.attempt_unlock().expect("attempt");
        tries += 1;
        assert!(tries < 50, "the vault never backed off");
    }
    let wait = wp.unlock_retry_after_s().expect("retry");
    for _ in 0..10 {
        type_keys(&d, "C222222=");
        assert_eq!(d.attempt_unlock().expect("attempt"), Screen::Decoy);
    }
    assert!(
        wp.unlock_retry_after_s().expect("retry") <= wait,
        "skipped attempts are not counted"
    );
    // Once the wait is over, the owner's code works.
    clock.advance(i64::try_from(wait).expect("wait") * 1000 + 1);
    type_keys(&d, &format!("C{CODE}="));
    assert_eq!(d.attempt_unlock().expect("attempt"), Screen::App);
}

#[test]
fn quick_exit_drops_every_key_and_the_vault_refuses_reads() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(1_000_000));
    let wp = set_up(dir.path(), &clock);
    let d = wp.clone().disguise_controller().expect("disguise");
    type_keys(&d, &format!("{CODE}="));
    assert_eq!(d.attempt_unlock().expect("attempt"), Screen::App);
    let sealed = wp
        .with_session(|s| s.sealer.seal("probe", "id", 1, b"secret"))
        .expect("seal");

    let outcome = d.quick_exit().expect("quick exit");
    assert_eq!(outcome.decoy, Decoy::Calculator);
    assert!(outcome.leave_recents);
    assert!(!session_exists(&wp), "session (keys, indexes) dropped");
    assert_eq!(d.screen().expect("screen"), Screen::Decoy);
    assert_eq!(wp.vault_state().expect("state"), VaultState::Locked);
    let err = wp
        .with_session(|s| s.sealer.open("probe", "id", 1, &sealed).map(|p| p.to_vec()))
        .expect_err("locked");
    assert!(matches!(err, Error::Locked));
    assert!(matches!(
        wp.set_wipe_after_failures(Some(5)),
        Err(crate::Error::Locked)
    ));
}

#[test]
fn quick_exit_and_auto_lock_leave_no_key_alive() {
    use crate::crypto::key_probe::Scope;
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(1_000_000));
    let wp = set_up(dir.path(), &clock);
    let d = wp.clone().disguise_controller().expect("disguise");
    // Every key made on this thread from here on is accounted for until it is wiped.
    let keys = Scope::begin();
    let use_the_app = || {
        type_keys(&d, &format!("C{CODE}="));
        assert_eq!(d.attempt_unlock().expect("attempt"), Screen::App);
        wp.journal_add(crate::journal::EntryDraft {
            title: "t".into(),
            body: "b".into(),
            ..Default::default()
        })
        .expect("add");
        wp.journal_list(crate::journal::EntryFilter::default())
            .expect("list");
        assert!(keys.live_keys() > 0, "the probe sees the session's keys");
    };
    use_the_app();
    d.quick_exit().expect("quick exit");
    assert_eq!(keys.live_keys(), 0, "a key outlived the quick exit");
    use_the_app();
    clock.advance(61_000);
    assert_eq!(d.app_event(AppEvent::Tick).expect("tick"), Screen::Decoy);
    assert_eq!(keys.live_keys(), 0, "a key outlived the idle lock");
    use_the_app();
    assert_eq!(
        d.app_event(AppEvent::Background).expect("bg"),
        Screen::Decoy
    );
    assert_eq!(keys.live_keys(), 0, "a key outlived the background lock");
}

#[test]
fn idle_and_background_lock_to_the_decoy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(1_000_000));
    let wp = set_up(dir.path(), &clock);
    let d = wp.clone().disguise_controller().expect("disguise");
    assert_eq!(d.submit_code(CODE.to_owned()).expect("submit"), Screen::App);

    clock.advance(59_000);
    assert_eq!(d.app_event(AppEvent::Tick).expect("tick"), Screen::App);
    d.app_event(AppEvent::Activity).expect("activity");
    clock.advance(59_000);
    assert_eq!(
        d.app_event(AppEvent::Tick).expect("tick"),
        Screen::App,
        "activity restarted the timer"
    );
    clock.advance(1_000);
    assert_eq!(d.app_event(AppEvent::Tick).expect("tick"), Screen::Decoy);
    assert!(!session_exists(&wp));

    assert_eq!(d.submit_code(CODE.to_owned()).expect("submit"), Screen::App);
    assert_eq!(
        d.app_event(AppEvent::Background).expect("bg"),
        Screen::Decoy
    );
    assert!(!session_exists(&wp));

    assert_eq!(d.submit_code(CODE.to_owned()).expect("submit"), Screen::App);
    clock.advance(-5_000);
    assert_eq!(
        d.app_event(AppEvent::Tick).expect("tick"),
        Screen::Decoy,
        "a clock moved back locks"
    );
}

#[test]
fn lock_screen_option_and_settings_round_trip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(1_000_000));
    let wp = set_up(dir.path(), &clock);
    let defaults = wp.disguise_settings().expect("settings while locked");
    assert!(defaults.screenshot_blocking, "on by default");
    assert_eq!(defaults.notification_voice, "Reminder");

    let mut s = defaults.clone();
    s.lock_to_decoy = false;
    s.notification_voice = "Time to stretch".to_owned();
    assert!(matches!(
        wp.set_disguise_settings(&s),
        Err(crate::Error::Locked)
    ));

    wp.unlock(CODE.to_owned()).expect("unlock");
    wp.set_disguise_settings(&s).expect("save");
    wp.lock();
    assert_eq!(wp.disguise_settings().expect("read while locked"), s);
    assert_eq!(wp.notification_voice(), "Time to stretch");

    let d = wp.clone().disguise_controller().expect("disguise");
    d.submit_code(CODE.to_owned()).expect("submit");
    assert_eq!(d.lock().expect("lock"), Screen::LockScreen);
}

#[test]
fn invalid_settings_name_the_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(1_000_000));
    let wp = set_up(dir.path(), &clock);
    wp.unlock(CODE.to_owned()).expect("unlock");
    let base = wp.disguise_settings().expect("settings");
    let cases: Vec<(&str, Settings)> = vec![
        (
            "launcher_alias",
            Settings {
                launcher_alias: "waypoint".into(),
                ..base.clone()
            },
        ),
        (
            "auto_lock_s",
            Settings {
                auto_lock_s: 90_000,
                ..base.clone()
            },
        ),
        (
            "notification_voice",
            Settings {
                notification_voice: " ".into(),
                ..base.clone()
            },
        ),
        (
            "notification_voice",
            Settings {
                notification_voice: "x".repeat(41),
                ..base.clone()
            },
        ),
        (
            "exit_url",
            Settings {
                exit_url: Some("http://example.org".into()),
                ..base.clone()
            },
        ),
    ];
    for (field, s) in cases {
        match wp.set_disguise_settings(&s) {
            Err(crate::Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: {other:?}"),
        }
    }
}

#[test]
fn exactly_one_launcher_alias_is_enabled() {
    for alias in ["calculator", "notes", "weather", "unknown"] {
        let s = Settings {
            launcher_alias: alias.to_owned(),
            ..Settings::default()
        };
        let enabled = disguise_launcher_aliases(&s, "en")
            .iter()
            .filter(|a| a.enabled)
            .count();
        assert_eq!(enabled, 1, "{alias}");
    }
}

#[test]
fn opt_in_wipe_on_quick_exit_keeps_the_disguise() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(1_000_000));
    let wp = set_up(dir.path(), &clock);
    wp.unlock(CODE.to_owned()).expect("unlock");
    let s = Settings {
        quick_exit_wipes: true,
        decoy: Decoy::Notes,
        ..wp.disguise_settings().expect("settings")
    };
    wp.set_disguise_settings(&s).expect("save");
    let d = wp.clone().disguise_controller().expect("disguise");
    let outcome = d.quick_exit().expect("quick exit");
    assert_eq!(outcome.decoy, Decoy::Notes);
    assert_eq!(
        wp.vault_state().expect("state"),
        VaultState::Uninitialized,
        "vault shredded"
    );
    assert!(matches!(
        wp.unlock(CODE.to_owned()),
        Err(crate::Error::InvalidInput { .. } | crate::Error::WrongPassphrase { .. })
    ));
    assert_eq!(
        wp.disguise_settings().expect("settings survive").decoy,
        Decoy::Notes,
        "a wiped app still looks like its decoy"
    );
}

#[test]
fn settings_are_sealed_at_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(1_000_000));
    let wp = set_up(dir.path(), &clock);
    wp.unlock(CODE.to_owned()).expect("unlock");
    let marker = "MarkerVoiceQ7Z";
    let s = Settings {
        notification_voice: marker.to_owned(),
        exit_url: Some("https://markerexit.example/q7z".to_owned()),
        ..wp.disguise_settings().expect("settings")
    };
    wp.set_disguise_settings(&s).expect("save");
    for entry in std::fs::read_dir(dir.path()).expect("dir").flatten() {
        if entry.path().is_file() {
            let bytes = std::fs::read(entry.path()).expect("read");
            for needle in [marker.as_bytes(), b"markerexit"] {
                assert!(
                    !bytes.windows(needle.len()).any(|w| w == needle),
                    "plaintext setting in {:?}",
                    entry.file_name()
                );
            }
        }
    }
}

#[test]
fn calculator_evaluate_is_pure_arithmetic() {
    assert_eq!(calculator_evaluate("12+3=".into()).expect("calc"), "15");
    assert_eq!(calculator_evaluate("9/0=".into()).expect("calc"), "Error");
    assert!(matches!(
        calculator_evaluate("1+q".into()),
        Err(crate::Error::InvalidInput { .. })
    ));
}

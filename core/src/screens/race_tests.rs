//! A quick exit or a lock (`Lock`, the app going to the background) that comes while a code
//! is being checked (the key derivation takes about a second, and the shells dispatch off
//! their UI thread, so two intents can overlap) wins: the unlock that finishes after it
//! never shows home and leaves no key open.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::*;
use crate::platform::{FakeClock, FileKeyStore, KeyStore, PlatformError};
use crate::vault::VaultConfig;

const CODE: &str = "40571986";

/// The desktop key store, which, once armed, stops in its next call until the test has
/// done what it must do "during the unlock".
struct PausingKeyStore {
    inner: Arc<FileKeyStore>,
    armed: AtomicBool,
    paused: Mutex<mpsc::Sender<()>>,
    resume: Mutex<mpsc::Receiver<()>>,
}

impl PausingKeyStore {
    fn pause_if_armed(&self) {
        if self.armed.swap(false, Ordering::SeqCst) {
            let _ = self.paused.lock().expect("sender").send(());
            let _ = self
                .resume
                .lock()
                .expect("receiver")
                .recv_timeout(Duration::from_secs(60));
        }
    }
}

impl KeyStore for PausingKeyStore {
    fn seal(&self, label: String, plaintext: Vec<u8>) -> Result<Vec<u8>, PlatformError> {
        self.pause_if_armed();
        self.inner.seal(label, plaintext)
    }

    fn unseal(&self, label: String, sealed: Vec<u8>) -> Result<Vec<u8>, PlatformError> {
        self.pause_if_armed();
        self.inner.unseal(label, sealed)
    }
}

/// A set-up model on the calculator with the code typed (not yet `=`), its key store, and
/// the channels that pause and resume the key store.
fn on_the_calculator_with_the_code_typed(
    dir: &std::path::Path,
) -> (
    Arc<ScreenModel>,
    Arc<PausingKeyStore>,
    mpsc::Receiver<()>,
    mpsc::Sender<()>,
) {
    let (paused_tx, paused) = mpsc::channel();
    let (resume, resume_rx) = mpsc::channel();
    let ks = Arc::new(PausingKeyStore {
        inner: FileKeyStore::new(dir.to_string_lossy().into_owned()),
        armed: AtomicBool::new(false),
        paused: Mutex::new(paused_tx),
        resume: Mutex::new(resume_rx),
    });
    let core = Core::open_with_config(
        dir.to_string_lossy().into_owned(),
        Arc::new(FakeClock::new(1_768_000_000_000)),
        Some(ks.clone() as Arc<dyn KeyStore>),
        VaultConfig::for_tests(4),
    )
    .expect("open");
    let m = Arc::new(ScreenModel::new(core, "UTC", "en").expect("model"));
    m.dispatch(Intent::Next);
    m.dispatch(Intent::Next);
    let s = m.dispatch(Intent::ChooseCode {
        code: CODE.into(),
        confirm: CODE.into(),
    });
    assert_eq!(s.view.name(), "home");
    assert_eq!(m.dispatch(Intent::QuickExit).view.name(), "calculator");
    for c in CODE.chars() {
        let value = c.to_digit(10).expect("digit") as u8;
        m.dispatch(Intent::Calc {
            key: CalcKey::Digit { value },
        });
    }
    (m, ks, paused, resume)
}

#[test]
fn a_quick_exit_during_the_code_check_wins_over_the_unlock() {
    // The code check is under way (in the platform key): the person quick-exits now.
    let (_dir, m, after) = unlock_interrupted_by(Some(Intent::QuickExit));
    assert_eq!(
        after.view.name(),
        "calculator",
        "the unlock finishing after the quick exit must not show home"
    );
    assert_eq!(m.state().view.name(), "calculator");
    assert!(!m.state().can_go_back);
    assert!(!m.core.is_unlocked().expect("state"), "no key stays open");
    // The code still works afterwards.
    assert_eq!(type_code_and_equals(&m).view.name(), "home");
}

#[test]
fn without_a_quick_exit_the_same_paused_unlock_opens_home() {
    // The pause itself changes nothing: the tests here fail for the interruption only.
    let (_dir, _m, after) = unlock_interrupted_by(None);
    assert_eq!(after.view.name(), "home");
}

/// Types the code and `=` on the calculator.
fn type_code_and_equals(m: &ScreenModel) -> AppState {
    for c in CODE.chars() {
        let value = c.to_digit(10).expect("digit") as u8;
        m.dispatch(Intent::Calc {
            key: CalcKey::Digit { value },
        });
    }
    m.dispatch(Intent::Calc {
        key: CalcKey::Equals,
    })
}

/// Types `=` on the calculator with the code typed, dispatches `interruption` (if any) while
/// the code is being checked, and returns the model and the state the unlock answered with.
fn unlock_interrupted_by(
    interruption: Option<Intent>,
) -> (tempfile::TempDir, Arc<ScreenModel>, AppState) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (m, ks, paused, resume) = on_the_calculator_with_the_code_typed(dir.path());
    ks.armed.store(true, Ordering::SeqCst);
    let unlocking = {
        let m = Arc::clone(&m);
        std::thread::spawn(move || {
            m.dispatch(Intent::Calc {
                key: CalcKey::Equals,
            })
        })
    };
    paused
        .recv_timeout(Duration::from_secs(60))
        .expect("the unlock reached the platform key");
    if let Some(intent) = interruption {
        let exited = m.dispatch(intent);
        assert_eq!(exited.view.name(), "calculator");
    }
    resume.send(()).expect("resume");
    let after = unlocking.join().expect("the unlock thread");
    (dir, m, after)
}

#[test]
fn a_lock_during_the_code_check_wins_over_the_unlock() {
    let (_dir, m, after) = unlock_interrupted_by(Some(Intent::Lock));
    assert_eq!(
        after.view.name(),
        "calculator",
        "a lock that came first wins"
    );
    assert_eq!(m.state().view.name(), "calculator");
    assert!(!m.core.is_unlocked().expect("state"), "no key stays open");
    assert_ne!(
        m.core.vault_state().expect("state"),
        VaultState::Uninitialized,
        "a lock never wipes"
    );
}

#[test]
fn going_to_the_background_during_the_code_check_keeps_the_app_locked() {
    let (_dir, m, after) = unlock_interrupted_by(Some(Intent::Lifecycle {
        event: AppEvent::Background,
    }));
    assert_eq!(after.view.name(), "calculator");
    assert!(!m.core.is_unlocked().expect("state"), "no key stays open");
    // Back in the foreground, the code still opens the app.
    m.dispatch(Intent::Lifecycle {
        event: AppEvent::Foreground,
    });
    assert_eq!(type_code_and_equals(&m).view.name(), "home");
}

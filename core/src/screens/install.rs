//! What the screens remember per install, not per process: whether this install was ever
//! set up (so a cold start after a wipe shows the decoy, never the first-run onboarding that
//! would tell someone holding the phone that the app was set up and wiped), and whether the
//! person has read the warning that calls and texts stay in the phone's logs.
//!
//! One row in the store's `meta` table (kept by a wipe, like the disguise settings), sealed
//! under the platform key as the disguise settings are, so it is readable while the vault is
//! locked (the cold start needs it before any code is typed). What it reveals:
//!
//! - The row is written on the very first start, before anything is set up, with a fixed
//!   length whatever it says. Someone who copies the data directory without the platform
//!   key sees the same opaque row on a new install, a set-up one and a wiped one: its
//!   presence and size say nothing, and its content is not readable.
//! - "Warning read" is forgotten as soon as the vault is found gone (the quick exit that
//!   wiped, or the next start after a wipe), so after a wipe the row no longer says that
//!   a call or text was ever taken from the app.
//! - Known limit: with the platform key (the desktop stand-in key file sits in the data
//!   directory) the row says whether the install was set up and whether a call was taken
//!   since the last setup; the sealed disguise settings say as much already.

use crate::app::{Core, VaultState};
use crate::error::{Error, Result};
use crate::platform::{open_row, seal_row};

const ROW_KEY: &str = "screens.install";
const ROW_LABEL: &str = "screens/install";
const MAGIC: &[u8; 8] = b"wp-inst1";
/// Every encoding is this long (padded), so the sealed row's size never varies.
const ENCODED_LEN: usize = 32;

/// What the screens keep per install.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct InstallMarker {
    /// The first run was completed (or a vault existed) at some time on this install.
    pub(crate) set_up: bool,
    /// The call-log warning was read since the vault was last set up.
    pub(crate) call_warning_seen: bool,
}

impl InstallMarker {
    fn encode(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(ENCODED_LEN);
        out.extend_from_slice(MAGIC);
        out.push(u8::from(self.set_up));
        out.push(u8::from(self.call_warning_seen));
        out.resize(ENCODED_LEN, 0);
        out
    }

    fn decode(bytes: &[u8]) -> Result<Self> {
        let bad = Error::Corrupt("install marker");
        if bytes.len() != ENCODED_LEN || !bytes.starts_with(MAGIC) {
            return Err(bad);
        }
        let flag = |b: u8| match b {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(Error::Corrupt("install marker")),
        };
        Ok(Self {
            set_up: flag(bytes[MAGIC.len()])?,
            call_warning_seen: flag(bytes[MAGIC.len() + 1])?,
        })
    }
}

/// The stored marker; `None` when this install never wrote one.
pub(crate) fn load(core: &Core) -> Result<Option<InstallMarker>> {
    let sealed: Option<Vec<u8>> = core.store.with_conn(|c| {
        use rusqlite::OptionalExtension;
        Ok(
            c.query_row("SELECT value FROM meta WHERE key = ?1", [ROW_KEY], |r| {
                r.get(0)
            })
            .optional()?,
        )
    })?;
    let Some(sealed) = sealed else {
        return Ok(None);
    };
    let plain = open_row(core.key_store()?.as_ref(), ROW_LABEL, &sealed)?;
    InstallMarker::decode(&plain).map(Some)
}

/// Seals and stores `marker` (sealed first: no platform call runs under the store's lock).
pub(crate) fn save(core: &Core, marker: InstallMarker) -> Result<()> {
    let sealed = seal_row(core.key_store()?.as_ref(), ROW_LABEL, marker.encode())?;
    core.store.with_conn(|c| {
        c.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            rusqlite::params![ROW_KEY, sealed],
        )?;
        Ok(())
    })
}

/// The marker at a start (or after a quick exit), brought in line with the vault and
/// stored when it changed or was missing:
/// - a vault exists (set up by another shell, or by a build before the marker) -> set up;
/// - no vault -> the warning is to be read again after the next setup.
///
/// A marker that cannot be read counts as set up: showing the decoy to a new install costs
/// nothing, showing the onboarding to a set-up one gives it away.
pub(crate) fn reconcile(core: &Core) -> InstallMarker {
    let vault_exists = !matches!(core.vault_state(), Ok(VaultState::Uninitialized));
    let (stored, mut marker) = match load(core) {
        Ok(Some(m)) => (Some(m), m),
        Ok(None) => (None, InstallMarker::default()),
        Err(_) => {
            return InstallMarker {
                set_up: true,
                call_warning_seen: false,
            }
        }
    };
    if vault_exists {
        marker.set_up = true;
    } else {
        marker.call_warning_seen = false;
    }
    if stored != Some(marker) {
        // Best effort: the screens work on without it (the next start tries again).
        let _ = save(core, marker);
    }
    marker
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;
    use crate::app::CalcKey;
    use crate::platform::FakeClock;
    use crate::screens::{Destination, DirectoryFilters, Intent, SafetyForm, ScreenModel, View};
    use crate::vault::VaultConfig;

    const CODE: &str = "40571986";
    const NOW_MS: i64 = 1_768_000_000_000;

    fn open(dir: &Path) -> ScreenModel {
        let core = Core::open_with_config(
            dir.to_string_lossy().into_owned(),
            Arc::new(FakeClock::new(NOW_MS)),
            None,
            VaultConfig::for_tests(4),
        )
        .expect("open");
        ScreenModel::new(core, "UTC", "en").expect("model")
    }

    fn first_run(m: &ScreenModel) {
        m.dispatch(Intent::Next);
        m.dispatch(Intent::Next);
        let s = m.dispatch(Intent::ChooseCode {
            code: CODE.into(),
            confirm: CODE.into(),
        });
        assert_eq!(s.view.name(), "home");
    }

    fn unlock(m: &ScreenModel) {
        for c in CODE.chars() {
            let value = c.to_digit(10).expect("digit") as u8;
            m.dispatch(Intent::Calc {
                key: CalcKey::Digit { value },
            });
        }
        let s = m.dispatch(Intent::Calc {
            key: CalcKey::Equals,
        });
        assert_eq!(s.view.name(), "home");
    }

    /// Opens the hotline and presses its call action; the state after it.
    fn call_hotline(m: &ScreenModel) -> crate::screens::AppState {
        m.dispatch(Intent::Open {
            destination: Destination::Directory,
        });
        let s = m.dispatch(Intent::SearchDirectory {
            filters: DirectoryFilters {
                text: "trafficking".into(),
                ..DirectoryFilters::default()
            },
        });
        let View::DirectorySearch { rows, .. } = &s.view else {
            panic!("search");
        };
        let id = rows.first().expect("the packaged hotline").id.clone();
        let s = m.dispatch(Intent::OpenResource { id });
        let View::ResourceDetail { detail } = &s.view else {
            panic!("detail");
        };
        let call = detail
            .actions
            .iter()
            .find(|a| a.label == "Call")
            .expect("a call action")
            .index;
        m.dispatch(Intent::TakeAction { index: call })
    }

    fn wipe_by_quick_exit(m: &ScreenModel) {
        let s = m.dispatch(Intent::Open {
            destination: Destination::SafetySettings,
        });
        let View::SafetySettings { form, .. } = s.view else {
            panic!("settings");
        };
        m.dispatch(Intent::EditSafety {
            form: SafetyForm {
                quick_exit_wipes: true,
                ..form
            },
        });
        m.dispatch(Intent::SaveSafety);
        m.dispatch(Intent::QuickExit);
        assert_eq!(
            m.core.vault_state().expect("state"),
            VaultState::Uninitialized
        );
    }

    fn marker_row(dir: &Path) -> Vec<u8> {
        let conn = rusqlite::Connection::open(dir.join(crate::store::DB_FILE)).expect("db");
        conn.query_row("SELECT value FROM meta WHERE key = ?1", [ROW_KEY], |r| {
            r.get(0)
        })
        .expect("the marker row")
    }

    #[test]
    fn the_call_log_warning_is_shown_once_per_install_not_once_per_process() {
        let dir = tempfile::tempdir().expect("tempdir");
        let m = open(dir.path());
        first_run(&m);
        let s = call_hotline(&m);
        assert_eq!(s.view.name(), "call_warning");
        let s = m.dispatch(Intent::ConfirmCallWarning);
        assert!(s.launch.is_some());
        drop(m);
        // A new process: the warning was read on this install.
        let m = open(dir.path());
        unlock(&m);
        let s = call_hotline(&m);
        assert_eq!(s.view.name(), "resource_detail", "no second warning");
        assert!(s.launch.as_deref().is_some_and(|u| u.starts_with("tel:")));
    }

    #[test]
    fn a_wipe_forgets_that_the_call_log_warning_was_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let m = open(dir.path());
        first_run(&m);
        call_hotline(&m);
        m.dispatch(Intent::ConfirmCallWarning);
        wipe_by_quick_exit(&m);
        assert_eq!(
            load(&m.core).expect("marker"),
            Some(InstallMarker {
                set_up: true,
                call_warning_seen: false
            })
        );
    }

    #[test]
    fn cold_start_after_a_wipe_shows_the_decoy_not_the_first_run() {
        let dir = tempfile::tempdir().expect("tempdir");
        let m = open(dir.path());
        assert_eq!(m.state().view.name(), "first_run_quick_exit");
        first_run(&m);
        wipe_by_quick_exit(&m);
        drop(m);
        let m = open(dir.path());
        assert_eq!(
            m.state().view,
            View::Calculator {
                display: "0".into()
            },
            "a wiped install starts on its decoy"
        );
        // Nothing of the first run is reachable from it.
        for intent in [Intent::Next, Intent::Back] {
            assert_eq!(m.dispatch(intent).view.name(), "calculator");
        }
        // A new install still starts with the first run.
        let fresh = tempfile::tempdir().expect("tempdir");
        assert_eq!(
            open(fresh.path()).state().view.name(),
            "first_run_quick_exit"
        );
    }

    #[test]
    fn a_vault_set_up_by_another_shell_starts_on_the_decoy_even_after_a_wipe() {
        let dir = tempfile::tempdir().expect("tempdir");
        let core = Core::open_with_config(
            dir.path().to_string_lossy().into_owned(),
            Arc::new(FakeClock::new(NOW_MS)),
            None,
            VaultConfig::for_tests(4),
        )
        .expect("open");
        core.setup(CODE.into()).expect("setup");
        core.lock();
        // The first model start sees the vault and records the install as set up.
        let m = ScreenModel::new(Arc::clone(&core), "UTC", "en").expect("model");
        assert_eq!(m.state().view.name(), "calculator");
        drop(m);
        core.vault_ctx().wipe().expect("wipe");
        let m = ScreenModel::new(core, "UTC", "en").expect("model");
        assert_eq!(m.state().view.name(), "calculator");
    }

    #[test]
    fn the_marker_row_is_the_same_size_and_unreadable_in_every_state() {
        let dir = tempfile::tempdir().expect("tempdir");
        let m = open(dir.path());
        // Written at the first start, before anything is set up.
        let fresh = marker_row(dir.path());
        first_run(&m);
        call_hotline(&m);
        m.dispatch(Intent::ConfirmCallWarning);
        let used = marker_row(dir.path());
        wipe_by_quick_exit(&m);
        let wiped = marker_row(dir.path());
        assert_eq!(fresh.len(), used.len());
        assert_eq!(fresh.len(), wiped.len());
        for row in [&fresh, &used, &wiped] {
            assert!(
                !row.windows(MAGIC.len()).any(|w| w == MAGIC),
                "the marker is sealed, never plain"
            );
        }
        // An unreadable row counts as set up: the decoy, never the onboarding.
        let conn = rusqlite::Connection::open(dir.path().join(crate::store::DB_FILE)).expect("db");
        conn.execute(
            "UPDATE meta SET value = ?1 WHERE key = ?2",
            rusqlite::params![vec![1u8; fresh.len()], ROW_KEY],
        )
        .expect("damage");
        drop(conn);
        drop(m);
        assert_eq!(open(dir.path()).state().view.name(), "calculator");
    }

    #[test]
    fn the_marker_decodes_only_what_it_encodes() {
        for m in [
            InstallMarker::default(),
            InstallMarker {
                set_up: true,
                call_warning_seen: true,
            },
        ] {
            assert_eq!(m.encode().len(), ENCODED_LEN);
            assert_eq!(InstallMarker::decode(&m.encode()).expect("decode"), m);
        }
        let mut bad = InstallMarker::default().encode();
        bad[MAGIC.len()] = 7;
        assert!(InstallMarker::decode(&bad).is_err());
        assert!(InstallMarker::decode(&bad[..10]).is_err());
    }
}

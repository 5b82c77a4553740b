//! The disguise inside the core: settings, and the glue between the pure decoy calculator /
//! lock state machine (`waypoint-disguise`) and the vault.
//!
//! Settings are sealed under the platform key ([`KeyStore`], label `disguise/settings`), not
//! the vault key, because they must be readable while the vault is locked: the decoy must
//! render before anyone unlocks, and reminders rescheduled after a reboot speak in the
//! notification voice. They hold no personal data, only how the app looks and behaves. They
//! live in the `meta` table, outside everything a vault wipe destroys, so a wiped app still
//! looks exactly like the calculator it was. Changing them requires the vault unlocked.

use serde::{Deserialize, Serialize};

pub use waypoint_disguise::{calculator, decoys, machine};

use crate::error::{Error, Result};
use crate::platform::{open_row, seal_row, KeyStore};
use crate::store::Store;
use waypoint_disguise::decoys::DecoyKind;
use waypoint_disguise::machine::{LockScreen, MachineConfig};

const SETTINGS_KEY: &str = "disguise.settings";
const SETTINGS_LABEL: &str = "disguise/settings";
/// What reminders say when the person has not chosen other words.
pub const DEFAULT_NOTIFICATION_VOICE: &str = "Reminder";
/// Longest notification voice text accepted.
pub const MAX_VOICE_CHARS: usize = 40;
/// Longest neutral exit URL accepted.
pub const MAX_EXIT_URL_CHARS: usize = 200;
/// Longest idle time before auto-lock (one day).
pub const MAX_AUTO_LOCK_S: u32 = 86_400;

/// How the disguise looks and behaves. Holds nothing personal. Exported as
/// `DisguiseSettings`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "uniffi",
    derive(uniffi::Record),
    uniffi(name = "DisguiseSettings")
)]
pub struct Settings {
    /// Which decoy shows while locked.
    pub decoy: Decoy,
    /// Id of the one launcher alias (icon + name) enabled, from [`decoys::LAUNCHER_ALIASES`].
    pub launcher_alias: String,
    /// Lock after this many seconds without activity; 0 = never by idleness.
    pub auto_lock_s: u32,
    /// Lock when the app goes to the background.
    pub lock_on_background: bool,
    /// Idle/background locks lead to the decoy (`true`) or a passphrase prompt (`false`).
    pub lock_to_decoy: bool,
    /// The words reminders use, in the decoy's voice.
    pub notification_voice: String,
    /// Block screenshots and the recent-apps thumbnail (on by default).
    pub screenshot_blocking: bool,
    /// Opt-in: quick exit also crypto-shreds the vault. No dialog either way.
    pub quick_exit_wipes: bool,
    /// Optional neutral page to open on quick exit (https only).
    pub exit_url: Option<String>,
}

/// The decoy, as stored. Exported as `DecoyChoice`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum), uniffi(name = "DecoyChoice"))]
#[serde(rename_all = "snake_case")]
pub enum Decoy {
    /// Working calculator.
    Calculator,
    /// Notes page.
    Notes,
    /// Weather-like page.
    Weather,
}

impl From<Decoy> for DecoyKind {
    fn from(d: Decoy) -> Self {
        match d {
            Decoy::Calculator => DecoyKind::Calculator,
            Decoy::Notes => DecoyKind::Notes,
            Decoy::Weather => DecoyKind::Weather,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            decoy: Decoy::Calculator,
            launcher_alias: decoys::LAUNCHER_ALIASES[0].id.to_owned(),
            auto_lock_s: 60,
            lock_on_background: true,
            lock_to_decoy: true,
            notification_voice: DEFAULT_NOTIFICATION_VOICE.to_owned(),
            screenshot_blocking: true,
            quick_exit_wipes: false,
            exit_url: None,
        }
    }
}

impl Settings {
    /// Checks every field; the error names the field and the rule.
    pub fn validate(&self) -> Result<()> {
        if decoys::launcher_alias(&self.launcher_alias).is_none() {
            return Err(Error::invalid(
                "launcher_alias",
                "not one of the aliases the app ships",
            ));
        }
        if self.auto_lock_s > MAX_AUTO_LOCK_S {
            return Err(Error::invalid("auto_lock_s", "at most 86400 (one day)"));
        }
        let voice = self.notification_voice.trim();
        if voice.is_empty() || voice.chars().count() > MAX_VOICE_CHARS {
            return Err(Error::invalid(
                "notification_voice",
                "must be 1 to 40 characters",
            ));
        }
        if voice.chars().any(char::is_control) {
            return Err(Error::invalid(
                "notification_voice",
                "must not contain control characters",
            ));
        }
        if let Some(url) = &self.exit_url {
            if !url.starts_with("https://")
                || url.len() > MAX_EXIT_URL_CHARS
                || url.chars().any(|c| c.is_whitespace() || c.is_control())
            {
                return Err(Error::invalid(
                    "exit_url",
                    "must be an https:// address of at most 200 characters",
                ));
            }
        }
        Ok(())
    }

    /// The state machine's view of these settings.
    pub fn machine_config(&self) -> MachineConfig {
        MachineConfig {
            idle_lock_ms: (self.auto_lock_s > 0).then(|| i64::from(self.auto_lock_s) * 1000),
            lock_on_background: self.lock_on_background,
            lock_screen: if self.lock_to_decoy {
                LockScreen::Decoy
            } else {
                LockScreen::Passphrase
            },
            quick_exit_wipes: self.quick_exit_wipes,
        }
    }
}

/// The stored settings, or the defaults if none were saved. Readable while locked: they
/// are sealed under the platform key `ks`, not the vault key.
pub fn load(store: &Store, ks: &dyn KeyStore) -> Result<Settings> {
    let sealed: Option<Vec<u8>> = store.with_conn(|c| {
        use rusqlite::OptionalExtension;
        Ok(c.query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [SETTINGS_KEY],
            |r| r.get(0),
        )
        .optional()?)
    })?;
    let Some(sealed) = sealed else {
        return Ok(Settings::default());
    };
    let plain = open_row(ks, SETTINGS_LABEL, &sealed)?;
    serde_json::from_slice(&plain).map_err(|_| Error::Corrupt("disguise settings are damaged"))
}

/// Seals and saves settings. The caller (the application) checks the vault is unlocked
/// first, so whoever holds a locked phone cannot change how the app exits or what
/// reminders say.
pub fn save(store: &Store, ks: &dyn KeyStore, settings: &Settings) -> Result<()> {
    settings.validate()?;
    let plain = serde_json::to_vec(settings).map_err(|_| Error::Corrupt("settings encoding"))?;
    let sealed = seal_row(ks, SETTINGS_LABEL, plain)?;
    store.with_conn(|c| {
        c.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            rusqlite::params![SETTINGS_KEY, sealed],
        )?;
        Ok(())
    })
}

/// The neutral words reminders use (readable while locked, for rescheduling after reboot).
/// Falls back to the default if the settings cannot be read: a reminder must never fail
/// into saying more.
pub fn notification_voice(store: &Store, ks: &dyn KeyStore) -> String {
    load(store, ks)
        .map(|s| s.notification_voice)
        .unwrap_or_else(|_| DEFAULT_NOTIFICATION_VOICE.to_owned())
}

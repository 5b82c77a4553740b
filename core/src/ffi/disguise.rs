//! Exported disguise: the decoy calculator, quick exit, auto-lock, settings.
//!
//! The platforms hold one [`Disguise`] per app process. Key presses return at once with the
//! display; when the keys formed an unlock candidate the platform calls
//! [`Disguise::attempt_unlock`] off the UI thread (scrypt takes most of a second), so the
//! display of an ordinary sum and of the secret code update the same way. A rejected code
//! changes nothing visible.

use std::sync::{Arc, Mutex};

use zeroize::Zeroizing;

use super::{ApiResult, Waypoint};
use crate::disguise::{self as core_disguise, Decoy, Settings};
use crate::error::Error;
use waypoint_disguise::calculator::{Calculator, Key};
use waypoint_disguise::decoys::{self, DecoyKind};
use waypoint_disguise::machine::{Effect, Event, Machine, State};
use waypoint_disguise::onboarding::HOW_TO_LEAVE_QUICKLY;

/// A key on the decoy calculator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum CalcKey {
    /// 0–9.
    Digit {
        /// The digit (values above 9 count as 9).
        value: u8,
    },
    /// `.`
    Point,
    /// `+`
    Add,
    /// `−`
    Subtract,
    /// `×`
    Multiply,
    /// `÷`
    Divide,
    /// `=`
    Equals,
    /// `%`
    Percent,
    /// `±`
    Negate,
    /// `C`
    Clear,
    /// `⌫`
    Backspace,
}

impl From<CalcKey> for Key {
    fn from(k: CalcKey) -> Self {
        match k {
            CalcKey::Digit { value } => Key::Digit(value),
            CalcKey::Point => Key::Point,
            CalcKey::Add => Key::Add,
            CalcKey::Subtract => Key::Subtract,
            CalcKey::Multiply => Key::Multiply,
            CalcKey::Divide => Key::Divide,
            CalcKey::Equals => Key::Equals,
            CalcKey::Percent => Key::Percent,
            CalcKey::Negate => Key::Negate,
            CalcKey::Clear => Key::Clear,
            CalcKey::Backspace => Key::Backspace,
        }
    }
}

/// What the calculator shows after a key press.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct CalcOutput {
    /// The display text.
    pub display: String,
    /// The keys formed an unlock candidate: call `attempt_unlock()` off the UI thread.
    /// Nothing on screen may change because of this flag.
    pub unlock_pending: bool,
}

/// Which screen the app shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Screen {
    /// The decoy.
    Decoy,
    /// The passphrase lock screen.
    LockScreen,
    /// The real app.
    App,
}

impl From<State> for Screen {
    fn from(s: State) -> Self {
        match s {
            State::Disguised => Screen::Decoy,
            State::Locked => Screen::LockScreen,
            State::Unlocked => Screen::App,
        }
    }
}

/// Platform lifecycle events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum AppEvent {
    /// The app went to the background (Android `onStop`, iOS `willResignActive`).
    Background,
    /// The app came back.
    Foreground,
    /// The person touched the app.
    Activity,
    /// A periodic timer (every few seconds while unlocked).
    Tick,
}

/// The decoys the app ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum DecoyChoice {
    /// Working calculator.
    Calculator,
    /// Notes page.
    Notes,
    /// Weather-like page.
    Weather,
}

impl From<Decoy> for DecoyChoice {
    fn from(d: Decoy) -> Self {
        match d {
            Decoy::Calculator => DecoyChoice::Calculator,
            Decoy::Notes => DecoyChoice::Notes,
            Decoy::Weather => DecoyChoice::Weather,
        }
    }
}

impl From<DecoyChoice> for Decoy {
    fn from(d: DecoyChoice) -> Self {
        match d {
            DecoyChoice::Calculator => Decoy::Calculator,
            DecoyChoice::Notes => Decoy::Notes,
            DecoyChoice::Weather => Decoy::Weather,
        }
    }
}

/// How a decoy is drawn and unlocked.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DecoyInfo {
    /// Which decoy.
    pub kind: DecoyChoice,
    /// Title it shows.
    pub title: String,
    /// The unlock gesture, for the settings screen only.
    pub unlock_gesture: String,
    /// Static content lines (notes, forecast).
    pub content: Vec<String>,
}

/// A launcher alias (icon + name) the app ships.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LauncherAliasInfo {
    /// Stable id stored in settings.
    pub id: String,
    /// Name under the icon.
    pub label: String,
    /// Android `activity-alias` name.
    pub android_alias: String,
    /// iOS alternate icon name (`None` = primary icon).
    pub ios_icon: Option<String>,
    /// Whether this is the one enabled now.
    pub enabled: bool,
}

/// One first-run step of "how to leave quickly".
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct OnboardingStep {
    /// Heading.
    pub title: String,
    /// Text.
    pub body: String,
}

/// Disguise settings as the platforms see them.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct DisguiseSettings {
    /// Decoy shown while locked.
    pub decoy: DecoyChoice,
    /// The one enabled launcher alias id.
    pub launcher_alias: String,
    /// Auto-lock after this many idle seconds (0 = never).
    pub auto_lock_s: u32,
    /// Lock when the app goes to the background.
    pub lock_on_background: bool,
    /// Idle/background locks show the decoy (`true`) or a passphrase prompt (`false`).
    pub lock_to_decoy: bool,
    /// Neutral words reminders use.
    pub notification_voice: String,
    /// Block screenshots and the recents thumbnail.
    pub screenshot_blocking: bool,
    /// Quick exit also crypto-shreds the vault (opt-in).
    pub quick_exit_wipes: bool,
    /// Neutral https page to open on quick exit.
    pub exit_url: Option<String>,
}

impl From<Settings> for DisguiseSettings {
    fn from(s: Settings) -> Self {
        DisguiseSettings {
            decoy: s.decoy.into(),
            launcher_alias: s.launcher_alias,
            auto_lock_s: s.auto_lock_s,
            lock_on_background: s.lock_on_background,
            lock_to_decoy: s.lock_to_decoy,
            notification_voice: s.notification_voice,
            screenshot_blocking: s.screenshot_blocking,
            quick_exit_wipes: s.quick_exit_wipes,
            exit_url: s.exit_url,
        }
    }
}

impl From<DisguiseSettings> for Settings {
    fn from(s: DisguiseSettings) -> Self {
        Settings {
            decoy: s.decoy.into(),
            launcher_alias: s.launcher_alias,
            auto_lock_s: s.auto_lock_s,
            lock_on_background: s.lock_on_background,
            lock_to_decoy: s.lock_to_decoy,
            notification_voice: s.notification_voice,
            screenshot_blocking: s.screenshot_blocking,
            quick_exit_wipes: s.quick_exit_wipes,
            exit_url: s.exit_url,
        }
    }
}

/// What the platform must do after a quick exit. It never shows a dialog or toast.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct QuickExitOutcome {
    /// The decoy to show now.
    pub decoy: DecoyChoice,
    /// Open this neutral page instead, if set.
    pub exit_url: Option<String>,
    /// Remove the app from recents (Android `finishAndRemoveTask`).
    pub leave_recents: bool,
}

struct Inner {
    calculator: Calculator,
    machine: Machine,
    pending: Option<Zeroizing<String>>,
    settings: Settings,
}

/// The disguise controller for one app process.
#[derive(uniffi::Object)]
pub struct Disguise {
    wp: Arc<Waypoint>,
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for Disguise {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Disguise").finish_non_exhaustive()
    }
}

#[uniffi::export]
impl Waypoint {
    /// The disguise controller. Reads the settings (readable while locked).
    pub fn disguise(self: Arc<Self>) -> ApiResult<Arc<Disguise>> {
        let settings = core_disguise::load(&self)?;
        let mut machine = Machine::new(settings.machine_config());
        if self.session.lock().map_err(Error::from)?.is_some() {
            machine.handle(Event::UnlockVerified {
                now_ms: self.clock.now_unix_ms(),
            });
        }
        Ok(Arc::new(Disguise {
            wp: self,
            inner: Mutex::new(Inner {
                calculator: Calculator::new(),
                machine,
                pending: None,
                settings,
            }),
        }))
    }

    /// The disguise settings (defaults if never saved). Readable while locked.
    pub fn disguise_settings(&self) -> ApiResult<DisguiseSettings> {
        Ok(core_disguise::load(self)?.into())
    }

    /// Saves disguise settings; requires the vault unlocked. Exactly one launcher alias is
    /// enabled afterwards: the one named here.
    pub fn set_disguise_settings(&self, settings: DisguiseSettings) -> ApiResult<()> {
        Ok(core_disguise::save(self, &settings.into())?)
    }

    /// Locks at once from anywhere, without a controller (CLI `panic`, platform gestures
    /// before the UI exists): drops every key; wipes too if the person opted in.
    pub fn quick_exit(&self) -> ApiResult<QuickExitOutcome> {
        self.drop_session();
        let settings = core_disguise::load(self).unwrap_or_default();
        if settings.quick_exit_wipes {
            self.vault_ctx().wipe()?;
        }
        Ok(QuickExitOutcome {
            decoy: settings.decoy.into(),
            exit_url: settings.exit_url,
            leave_recents: true,
        })
    }
}

/// Every decoy the app ships.
#[uniffi::export]
pub fn disguise_decoys() -> Vec<DecoyInfo> {
    decoys::DECOYS
        .iter()
        .map(|d| DecoyInfo {
            kind: match d.kind {
                DecoyKind::Calculator => DecoyChoice::Calculator,
                DecoyKind::Notes => DecoyChoice::Notes,
                DecoyKind::Weather => DecoyChoice::Weather,
            },
            title: d.title.to_owned(),
            unlock_gesture: d.unlock_gesture.to_owned(),
            content: d.content.iter().map(|s| (*s).to_owned()).collect(),
        })
        .collect()
}

/// The "how to leave quickly" steps for first run.
#[uniffi::export]
pub fn disguise_onboarding() -> Vec<OnboardingStep> {
    HOW_TO_LEAVE_QUICKLY
        .iter()
        .map(|s| OnboardingStep {
            title: s.title.to_owned(),
            body: s.body.to_owned(),
        })
        .collect()
}

/// The launcher aliases; exactly one has `enabled` set: the one in `settings`.
#[uniffi::export]
pub fn disguise_launcher_aliases(settings: &DisguiseSettings) -> Vec<LauncherAliasInfo> {
    let active = decoys::launcher_alias(&settings.launcher_alias)
        .unwrap_or(&decoys::LAUNCHER_ALIASES[0])
        .id;
    decoys::LAUNCHER_ALIASES
        .iter()
        .map(|a| LauncherAliasInfo {
            id: a.id.to_owned(),
            label: a.label.to_owned(),
            android_alias: a.android_alias.to_owned(),
            ios_icon: a.ios_icon.map(str::to_owned),
            enabled: a.id == active,
        })
        .collect()
}

/// What the calculator shows after `keys` (CLI `waypoint calc`, tests). Pure arithmetic:
/// never unlocks anything.
#[uniffi::export]
pub fn calculator_evaluate(keys: String) -> ApiResult<String> {
    let keys = Key::parse_all(&keys).map_err(|reason| Error::InvalidInput {
        field: "keys".to_owned(),
        reason,
    })?;
    Ok(Calculator::new().press_all(&keys).display)
}

#[uniffi::export]
impl Disguise {
    /// Presses one calculator key. Fast: never touches the disk or the vault.
    pub fn press(&self, key: CalcKey) -> ApiResult<CalcOutput> {
        let mut inner = self.inner.lock().map_err(Error::from)?;
        let press = inner.calculator.press(key.into());
        let unlock_pending = press.unlock_candidate.is_some();
        if let Some(code) = press.unlock_candidate {
            inner.pending = Some(Zeroizing::new(code));
        }
        Ok(CalcOutput {
            display: press.display,
            unlock_pending,
        })
    }

    /// The calculator display now.
    pub fn display(&self) -> ApiResult<String> {
        Ok(self.inner.lock().map_err(Error::from)?.calculator.display())
    }

    /// Tries the pending calculator code against the vault. Blocking (scrypt): call it off
    /// the UI thread. A wrong code, or any code during the vault's back-off, changes
    /// nothing visible and never says "wrong"; the calculator keeps calculating.
    pub fn attempt_unlock(&self) -> ApiResult<Screen> {
        let code = self.inner.lock().map_err(Error::from)?.pending.take();
        match code {
            Some(code) => self.try_code(&code),
            None => self.screen(),
        }
    }

    /// Submits a code typed into another decoy's gesture or the passphrase lock screen.
    pub fn submit_code(&self, code: String) -> ApiResult<Screen> {
        let code = Zeroizing::new(code);
        self.try_code(&code)
    }

    /// Quick exit: drops every key and in-memory index, clears the calculator, and says
    /// which decoy (or neutral page) to show. No dialog, no confirmation.
    pub fn quick_exit(&self) -> ApiResult<QuickExitOutcome> {
        let mut inner = match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let effects = inner.machine.handle(Event::QuickExit);
        inner.calculator = Calculator::new();
        inner.pending = None;
        let outcome = QuickExitOutcome {
            decoy: inner.settings.decoy.into(),
            exit_url: inner.settings.exit_url.clone(),
            leave_recents: effects.contains(&Effect::LeaveRecents),
        };
        drop(inner);
        self.apply(&effects)?;
        Ok(outcome)
    }

    /// Feeds a platform lifecycle event; may lock. Returns the screen to show.
    pub fn app_event(&self, event: AppEvent) -> ApiResult<Screen> {
        let now_ms = self.wp.clock.now_unix_ms();
        let event = match event {
            AppEvent::Background => Event::Background { now_ms },
            AppEvent::Foreground => Event::Foreground { now_ms },
            AppEvent::Activity => Event::Activity { now_ms },
            AppEvent::Tick => Event::Tick { now_ms },
        };
        self.handle(event)
    }

    /// The person pressed "lock".
    pub fn lock(&self) -> ApiResult<Screen> {
        self.handle(Event::Lock)
    }

    /// The screen to show now (reconciled with the vault: a vault locked elsewhere is never
    /// shown as the app).
    pub fn screen(&self) -> ApiResult<Screen> {
        let unlocked = self.wp.session.lock().map_err(Error::from)?.is_some();
        let mut inner = self.inner.lock().map_err(Error::from)?;
        if inner.machine.state() == State::Unlocked && !unlocked {
            inner.machine.handle(Event::Lock);
        }
        Ok(inner.machine.state().into())
    }

    /// Re-reads the settings after they changed (auto-lock time, exit behaviour).
    pub fn reload_settings(&self) -> ApiResult<()> {
        let settings = core_disguise::load(&self.wp)?;
        let mut inner = self.inner.lock().map_err(Error::from)?;
        inner.machine.set_config(settings.machine_config());
        inner.settings = settings;
        Ok(())
    }
}

impl Disguise {
    fn try_code(&self, code: &str) -> ApiResult<Screen> {
        // During back-off the vault would refuse anyway; not trying keeps a child playing
        // with the calculator from extending the owner's wait.
        let event = if self.wp.vault_ctx().retry_after_s()? > 0 {
            Event::UnlockRejected
        } else {
            match self.wp.unlock(code.to_owned()) {
                Ok(()) => Event::UnlockVerified {
                    now_ms: self.wp.clock.now_unix_ms(),
                },
                Err(super::WaypointApiError::WrongPassphrase { .. }) => Event::UnlockRejected,
                Err(super::WaypointApiError::InvalidInput { .. }) => Event::UnlockRejected,
                Err(e) => return Err(e),
            }
        };
        let screen = {
            let mut inner = self.inner.lock().map_err(Error::from)?;
            let effects = inner.machine.handle(event);
            if effects.contains(&Effect::ShowApp) {
                // The code must not stay on the display behind the app.
                inner.calculator = Calculator::new();
            }
            inner.machine.state().into()
        };
        Ok(screen)
    }

    fn handle(&self, event: Event) -> ApiResult<Screen> {
        let (effects, state) = {
            let mut inner = self.inner.lock().map_err(Error::from)?;
            let effects = inner.machine.handle(event);
            if effects.contains(&Effect::DropKeys) {
                inner.calculator = Calculator::new();
                inner.pending = None;
            }
            (effects, inner.machine.state())
        };
        self.apply(&effects)?;
        Ok(state.into())
    }

    fn apply(&self, effects: &[Effect]) -> ApiResult<()> {
        for effect in effects {
            match effect {
                Effect::DropKeys => self.wp.drop_session(),
                Effect::Wipe => self.wp.vault_ctx().wipe()?,
                Effect::ShowDecoy
                | Effect::ShowLockScreen
                | Effect::ShowApp
                | Effect::LeaveRecents => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "disguise_tests.rs"]
mod tests;

//! The disguise of the application: the decoy calculator and lock state controller, quick
//! exit, auto-lock, and the settings sealed under the platform key.
//!
//! The platforms hold one [`DisguiseController`] per app process (exported as `Disguise`). Key presses return at once with the
//! display; when the keys formed an unlock candidate the platform calls
//! [`DisguiseController::attempt_unlock`] off the UI thread (scrypt takes most of a second), so the
//! display of an ordinary sum and of the secret code update the same way. A rejected code
//! changes nothing visible.

use std::sync::{Arc, Mutex};

use zeroize::Zeroizing;

use super::Core;
use crate::disguise::{self as core_disguise, Decoy, Settings};
use crate::error::{Error, Result};
use crate::i18n::mid;
use crate::i18n::Messages;
use waypoint_disguise::calculator::{Calculator, Key};
use waypoint_disguise::decoys::{self, DecoyKind};
use waypoint_disguise::machine::{Effect, Event, Machine, State};

/// A key on the decoy calculator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
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
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CalcOutput {
    /// The display text.
    pub display: String,
    /// The keys formed an unlock candidate: call `attempt_unlock()` off the UI thread.
    /// Nothing on screen may change because of this flag.
    pub unlock_pending: bool,
}

/// Which screen the app shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
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

/// How a decoy is drawn and unlocked.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DecoyInfo {
    /// Which decoy.
    pub kind: Decoy,
    /// Title it shows.
    pub title: String,
    /// The unlock gesture, for the settings screen only.
    pub unlock_gesture: String,
    /// Static content lines (notes, forecast).
    pub content: Vec<String>,
}

/// A launcher alias (icon + name) the app ships.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
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
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct OnboardingStep {
    /// Heading.
    pub title: String,
    /// Text.
    pub body: String,
}

/// What the platform must do after a quick exit. It never shows a dialog or toast.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QuickExitOutcome {
    /// The decoy to show now.
    pub decoy: Decoy,
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

/// The disguise controller for one app process: calculator, lock state machine, settings.
pub struct DisguiseController {
    core: Arc<Core>,
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for DisguiseController {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DisguiseController").finish_non_exhaustive()
    }
}

impl Core {
    /// A new disguise controller. Reads the settings (readable while locked).
    pub fn disguise_controller(self: &Arc<Self>) -> Result<DisguiseController> {
        let settings = self.disguise_settings()?;
        let mut machine = Machine::new(settings.machine_config());
        if self.is_unlocked()? {
            machine.handle(Event::UnlockVerified {
                now_ms: self.now_ms(),
            });
        }
        Ok(DisguiseController {
            core: Arc::clone(self),
            inner: Mutex::new(Inner {
                calculator: Calculator::new(),
                machine,
                pending: None,
                settings,
            }),
        })
    }

    /// The disguise settings (defaults if never saved). Readable while locked.
    pub fn disguise_settings(&self) -> Result<Settings> {
        core_disguise::load(&self.store, self.key_store()?.as_ref())
    }

    /// Saves disguise settings; requires the vault unlocked. Exactly one launcher alias is
    /// enabled afterwards: the one named here.
    pub fn set_disguise_settings(&self, settings: &Settings) -> Result<()> {
        settings.validate()?;
        self.with_session(|_| Ok(()))?;
        core_disguise::save(&self.store, self.key_store()?.as_ref(), settings)
    }

    /// The neutral words reminders use; the default if the settings cannot be read.
    pub fn notification_voice(&self) -> String {
        self.disguise_settings()
            .map(|s| s.notification_voice)
            .unwrap_or_else(|_| core_disguise::DEFAULT_NOTIFICATION_VOICE.to_owned())
    }

    /// Locks at once from anywhere, without a controller (CLI `panic`, platform gestures
    /// before the UI exists): drops every key; wipes too if the person opted in.
    pub fn quick_exit(&self) -> Result<QuickExitOutcome> {
        self.drop_session();
        let settings = self.disguise_settings().unwrap_or_default();
        if settings.quick_exit_wipes {
            self.vault_ctx().wipe()?;
        }
        Ok(QuickExitOutcome {
            decoy: settings.decoy,
            exit_url: settings.exit_url,
            leave_recents: true,
        })
    }
}

/// The words of one decoy: message ids of its title, unlock gesture and content lines.
struct DecoyWords {
    kind: Decoy,
    title: &'static str,
    gesture: &'static str,
    lines: &'static [&'static str],
}

/// Every decoy's words (core/locales/*/decoy.ftl), in the order of the disguise crate's
/// `DECOYS`. The decoy speaks the phone's language: an English calculator on a phone set
/// to Spanish would give the disguise away.
const DECOY_WORDS: &[DecoyWords] = &[
    DecoyWords {
        kind: Decoy::Calculator,
        title: mid!("decoy-calculator-title"),
        gesture: mid!("decoy-calculator-gesture"),
        lines: &[],
    },
    DecoyWords {
        kind: Decoy::Notes,
        title: mid!("decoy-notes-title"),
        gesture: mid!("decoy-notes-gesture"),
        lines: &[
            mid!("decoy-notes-line-1"),
            mid!("decoy-notes-line-2"),
            mid!("decoy-notes-line-3"),
        ],
    },
    DecoyWords {
        kind: Decoy::Weather,
        title: mid!("decoy-weather-title"),
        gesture: mid!("decoy-weather-gesture"),
        lines: &[
            mid!("decoy-weather-line-1"),
            mid!("decoy-weather-line-2"),
            mid!("decoy-weather-line-3"),
        ],
    },
];

/// The message id of a decoy's title (also the name of its launcher alias).
pub(crate) fn decoy_title_id(kind: Decoy) -> &'static str {
    DECOY_WORDS
        .iter()
        .find(|w| w.kind == kind)
        .map_or(DECOY_WORDS[0].title, |w| w.title)
}

/// Every decoy the app ships, in the language of `messages`.
pub(crate) fn decoys_in(messages: &Messages) -> Vec<DecoyInfo> {
    decoys::DECOYS
        .iter()
        .map(|d| {
            let kind = match d.kind {
                DecoyKind::Calculator => Decoy::Calculator,
                DecoyKind::Notes => Decoy::Notes,
                DecoyKind::Weather => Decoy::Weather,
            };
            let words = DECOY_WORDS
                .iter()
                .find(|w| w.kind == kind)
                .unwrap_or(&DECOY_WORDS[0]);
            DecoyInfo {
                kind,
                title: messages.tr(words.title),
                unlock_gesture: messages.tr(words.gesture),
                content: words.lines.iter().map(|id| messages.tr(id)).collect(),
            }
        })
        .collect()
}

/// Every decoy the app ships, in the phone's `language` (BCP 47; English if not shipped).
pub fn disguise_decoys(language: &str) -> Vec<DecoyInfo> {
    decoys_in(&Messages::for_tag(language))
}

/// The "how to leave quickly" steps (core/locales/*/onboarding.ftl), in order.
const ONBOARDING_STEPS: &[(&str, &str)] = &[
    (
        mid!("onboarding-disguise-title"),
        mid!("onboarding-disguise-body"),
    ),
    (mid!("onboarding-open-title"), mid!("onboarding-open-body")),
    (mid!("onboarding-exit-title"), mid!("onboarding-exit-body")),
    (
        mid!("onboarding-autolock-title"),
        mid!("onboarding-autolock-body"),
    ),
    (
        mid!("onboarding-traces-title"),
        mid!("onboarding-traces-body"),
    ),
    (
        mid!("onboarding-practise-title"),
        mid!("onboarding-practise-body"),
    ),
];

/// The "how to leave quickly" steps for first run, in the language of `messages`.
pub(crate) fn onboarding_in(messages: &Messages) -> Vec<OnboardingStep> {
    ONBOARDING_STEPS
        .iter()
        .map(|(title, body)| OnboardingStep {
            title: messages.tr(title),
            body: messages.tr(body),
        })
        .collect()
}

/// The "how to leave quickly" steps for first run, in the phone's `language`.
pub fn disguise_onboarding(language: &str) -> Vec<OnboardingStep> {
    onboarding_in(&Messages::for_tag(language))
}

/// The launcher aliases; exactly one has `enabled` set: the one in `settings`. Labels in
/// the phone's `language` (each alias is named like the decoy it matches).
pub fn disguise_launcher_aliases(settings: &Settings, language: &str) -> Vec<LauncherAliasInfo> {
    let messages = Messages::for_tag(language);
    let active = decoys::launcher_alias(&settings.launcher_alias)
        .unwrap_or(&decoys::LAUNCHER_ALIASES[0])
        .id;
    decoys::LAUNCHER_ALIASES
        .iter()
        .map(|a| LauncherAliasInfo {
            id: a.id.to_owned(),
            label: messages.tr(alias_label_id(a.id)),
            android_alias: a.android_alias.to_owned(),
            ios_icon: a.ios_icon.map(str::to_owned),
            enabled: a.id == active,
        })
        .collect()
}

/// The message id of a launcher alias's name.
pub(crate) fn alias_label_id(alias_id: &str) -> &'static str {
    match alias_id {
        "notes" => decoy_title_id(Decoy::Notes),
        "weather" => decoy_title_id(Decoy::Weather),
        _ => decoy_title_id(Decoy::Calculator),
    }
}

/// What the calculator shows after `keys` (CLI `waypoint calc`, tests). Pure arithmetic:
/// never unlocks anything.
pub fn calculator_evaluate(keys: String) -> Result<String> {
    let keys = Key::parse_all(&keys).map_err(|reason| Error::InvalidInput {
        field: "keys".to_owned(),
        reason,
    })?;
    Ok(Calculator::new().press_all(&keys).display)
}

impl DisguiseController {
    /// Presses one calculator key. Fast: never touches the disk or the vault.
    pub fn press(&self, key: CalcKey) -> Result<CalcOutput> {
        let mut inner = self.inner.lock()?;
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
    pub fn display(&self) -> Result<String> {
        Ok(self.inner.lock()?.calculator.display())
    }

    /// Tries the pending calculator code against the vault. Blocking (scrypt): call it off
    /// the UI thread. A wrong code, or any code during the vault's back-off, changes
    /// nothing visible and never says "wrong"; the calculator keeps calculating.
    pub fn attempt_unlock(&self) -> Result<Screen> {
        let code = self.inner.lock()?.pending.take();
        match code {
            Some(code) => self.try_code(&code),
            None => self.screen(),
        }
    }

    /// Submits a code typed into another decoy's gesture or the passphrase lock screen.
    pub fn submit_code(&self, code: String) -> Result<Screen> {
        let code = Zeroizing::new(code);
        self.try_code(&code)
    }

    /// Quick exit: drops every key and in-memory index, clears the calculator, and says
    /// which decoy (or neutral page) to show. No dialog, no confirmation.
    pub fn quick_exit(&self) -> Result<QuickExitOutcome> {
        let mut inner = match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let effects = inner.machine.handle(Event::QuickExit);
        inner.calculator = Calculator::new();
        inner.pending = None;
        let outcome = QuickExitOutcome {
            decoy: inner.settings.decoy,
            exit_url: inner.settings.exit_url.clone(),
            leave_recents: effects.contains(&Effect::LeaveRecents),
        };
        drop(inner);
        self.apply(&effects)?;
        Ok(outcome)
    }

    /// Feeds a platform lifecycle event; may lock. Returns the screen to show.
    pub fn app_event(&self, event: AppEvent) -> Result<Screen> {
        let now_ms = self.core.now_ms();
        let event = match event {
            AppEvent::Background => Event::Background { now_ms },
            AppEvent::Foreground => Event::Foreground { now_ms },
            AppEvent::Activity => Event::Activity { now_ms },
            AppEvent::Tick => Event::Tick { now_ms },
        };
        self.handle(event)
    }

    /// The person pressed "lock".
    pub fn lock(&self) -> Result<Screen> {
        self.handle(Event::Lock)
    }

    /// The screen to show now (reconciled with the vault: a vault locked elsewhere is never
    /// shown as the app).
    pub fn screen(&self) -> Result<Screen> {
        let unlocked = self.core.is_unlocked()?;
        let mut inner = self.inner.lock()?;
        if inner.machine.state() == State::Unlocked && !unlocked {
            inner.machine.handle(Event::Lock);
        }
        Ok(inner.machine.state().into())
    }

    /// Re-reads the settings after they changed (auto-lock time, exit behaviour).
    pub fn reload_settings(&self) -> Result<()> {
        let settings = self.core.disguise_settings()?;
        let mut inner = self.inner.lock()?;
        inner.machine.set_config(settings.machine_config());
        inner.settings = settings;
        Ok(())
    }
}

impl DisguiseController {
    fn try_code(&self, code: &str) -> Result<Screen> {
        // During back-off the vault would refuse anyway; not trying keeps a child playing
        // with the calculator from extending the owner's wait.
        let event = if self.core.vault_ctx().retry_after_s()? > 0 {
            Event::UnlockRejected
        } else {
            match self.core.unlock(code.to_owned()) {
                Ok(()) => Event::UnlockVerified {
                    now_ms: self.core.now_ms(),
                },
                Err(Error::WrongPassphrase { .. }) => Event::UnlockRejected,
                Err(Error::InvalidInput { .. }) => Event::UnlockRejected,
                Err(e) => return Err(e),
            }
        };
        let screen = {
            let mut inner = self.inner.lock()?;
            let effects = inner.machine.handle(event);
            if effects.contains(&Effect::ShowApp) {
                // The code must not stay on the display behind the app.
                inner.calculator = Calculator::new();
            }
            inner.machine.state().into()
        };
        Ok(screen)
    }

    fn handle(&self, event: Event) -> Result<Screen> {
        let (effects, state) = {
            let mut inner = self.inner.lock()?;
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

    fn apply(&self, effects: &[Effect]) -> Result<()> {
        for effect in effects {
            match effect {
                Effect::DropKeys => self.core.drop_session(),
                Effect::Wipe => self.core.vault_ctx().wipe()?,
                Effect::ShowDecoy
                | Effect::ShowLockScreen
                | Effect::ShowApp
                | Effect::LeaveRecents => {}
            }
        }
        Ok(())
    }
}

impl DisguiseController {
    /// The settings as stored (defaults if never saved). Readable while locked.
    pub fn settings(&self) -> Result<Settings> {
        self.core.disguise_settings()
    }

    /// Saves settings (vault unlocked) and applies them to this controller.
    pub fn set_settings(&self, settings: &Settings) -> Result<()> {
        self.core.set_disguise_settings(settings)?;
        self.reload_settings()
    }
}

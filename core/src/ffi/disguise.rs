//! The exported disguise: one-line delegations to the application's
//! [`DisguiseController`]. The platforms hold one per app process.

use super::ApiResult;
use crate::app::disguise::{self as app_disguise, DisguiseController};
use crate::app::{
    AppEvent, CalcKey, CalcOutput, DecoyInfo, LauncherAliasInfo, OnboardingStep, QuickExitOutcome,
    Screen,
};
use crate::disguise::Settings;

/// The disguise controller: decoy calculator, lock state, quick exit, settings.
#[derive(Debug, uniffi::Object)]
pub struct Disguise {
    inner: DisguiseController,
}

impl Disguise {
    pub(crate) fn new(inner: DisguiseController) -> Self {
        Self { inner }
    }
}

/// Every decoy the app ships, its words in the phone's `language` (BCP 47 tag as the
/// phone gives it; English when the core does not ship that language).
#[uniffi::export]
pub fn disguise_decoys(language: String) -> Vec<DecoyInfo> {
    app_disguise::disguise_decoys(&language)
}

/// The "how to leave quickly" steps for first run, in the phone's `language`.
#[uniffi::export]
pub fn disguise_onboarding(language: String) -> Vec<OnboardingStep> {
    app_disguise::disguise_onboarding(&language)
}

/// The launcher aliases; exactly one has `enabled` set: the one in `settings`. Names in
/// the phone's `language`.
#[uniffi::export]
pub fn disguise_launcher_aliases(settings: &Settings, language: String) -> Vec<LauncherAliasInfo> {
    app_disguise::disguise_launcher_aliases(settings, &language)
}

/// What the calculator shows after `keys` (CLI `waypoint calc`, tests). Pure arithmetic:
/// never unlocks anything.
#[uniffi::export]
pub fn calculator_evaluate(keys: String) -> ApiResult<String> {
    Ok(app_disguise::calculator_evaluate(keys)?)
}

#[uniffi::export]
impl Disguise {
    /// Presses one calculator key. Fast: never touches the disk or the vault.
    pub fn press(&self, key: CalcKey) -> ApiResult<CalcOutput> {
        Ok(self.inner.press(key)?)
    }

    /// The calculator display now.
    pub fn display(&self) -> ApiResult<String> {
        Ok(self.inner.display()?)
    }

    /// Tries the pending calculator code against the vault. Blocking (scrypt): call it off
    /// the UI thread. A wrong code changes nothing visible and never says "wrong".
    pub fn attempt_unlock(&self) -> ApiResult<Screen> {
        Ok(self.inner.attempt_unlock()?)
    }

    /// Submits a code typed into another decoy's gesture or the passphrase lock screen.
    pub fn submit_code(&self, code: String) -> ApiResult<Screen> {
        Ok(self.inner.submit_code(code)?)
    }

    /// Quick exit: drops every key and in-memory index, clears the calculator, and says
    /// which decoy (or neutral page) to show. No dialog, no confirmation.
    pub fn quick_exit(&self) -> ApiResult<QuickExitOutcome> {
        Ok(self.inner.quick_exit()?)
    }

    /// Feeds a platform lifecycle event; may lock. Returns the screen to show.
    pub fn app_event(&self, event: AppEvent) -> ApiResult<Screen> {
        Ok(self.inner.app_event(event)?)
    }

    /// The person pressed "lock".
    pub fn lock(&self) -> ApiResult<Screen> {
        Ok(self.inner.lock()?)
    }

    /// The screen to show now (a vault locked elsewhere is never shown as the app).
    pub fn screen(&self) -> ApiResult<Screen> {
        Ok(self.inner.screen()?)
    }

    /// Re-reads the settings after they changed (auto-lock time, exit behaviour).
    pub fn reload_settings(&self) -> ApiResult<()> {
        Ok(self.inner.reload_settings()?)
    }

    /// The disguise settings (defaults if never saved). Readable while locked.
    pub fn settings(&self) -> ApiResult<Settings> {
        Ok(self.inner.settings()?)
    }

    /// Saves disguise settings (vault unlocked) and applies them to this controller.
    pub fn set_settings(&self, settings: Settings) -> ApiResult<()> {
        Ok(self.inner.set_settings(&settings)?)
    }
}

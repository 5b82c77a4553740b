//! The exported screen model: one object the shells render and forward intents to.
//!
//! Updates reach a shell two ways, both usable from Compose (`StateFlow`) and SwiftUI
//! (`@Observable`): poll `state()` (its `version` grows by one per change), or register
//! ONE [`StateObserver`] which is called with every new state. The observer is never
//! called while the model holds a lock, so it may call back into the model.

use std::sync::{Arc, Mutex};

use super::{ApiResult, Waypoint};
use crate::screens::{AppState, Intent, ScreenModel};

/// The shell's one callback for new states.
#[uniffi::export(with_foreign)]
pub trait StateObserver: Send + Sync {
    /// A new state to draw.
    fn on_state(&self, state: AppState);
}

/// The app's screens: a state to draw and intents to forward.
#[derive(uniffi::Object)]
pub struct AppModel {
    inner: ScreenModel,
    observer: Mutex<Option<Arc<dyn StateObserver>>>,
}

impl std::fmt::Debug for AppModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppModel").finish_non_exhaustive()
    }
}

#[uniffi::export]
impl AppModel {
    /// The screen model over an opened data directory. `time_zone` is the phone's IANA
    /// zone (dates are shown in it), `language` its BCP 47 language (directory text).
    #[uniffi::constructor]
    pub fn new(waypoint: &Waypoint, time_zone: String, language: String) -> ApiResult<Arc<Self>> {
        Ok(Arc::new(Self {
            inner: ScreenModel::new(waypoint.core(), &time_zone, &language)?,
            observer: Mutex::new(None),
        }))
    }

    /// The state now.
    pub fn state(&self) -> AppState {
        self.inner.state()
    }

    /// The version of the state now (grows by one per change).
    pub fn version(&self) -> u64 {
        self.inner.version()
    }

    /// Handles one intent and returns the new state (also sent to the observer). May block
    /// on a key derivation (unlock, first-run code): call it off the UI thread.
    pub fn dispatch(&self, intent: Intent) -> AppState {
        let state = self.inner.dispatch(intent);
        let observer = match self.observer.lock() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        };
        // Called with no lock held.
        if let Some(o) = observer {
            o.on_state(state.clone());
        }
        state
    }

    /// Sets the one observer (replacing any previous one); `None` removes it.
    pub fn set_observer(&self, observer: Option<Arc<dyn StateObserver>>) {
        match self.observer.lock() {
            Ok(mut g) => *g = observer,
            Err(p) => *p.into_inner() = observer,
        }
    }
}

//! The exported appointments and reminders: one-line delegations to [`Core`].

use std::sync::Arc;

use super::ApiResult;
use crate::app::AppointmentChange;
use crate::app::Core;
use crate::appointments::reminders::{ReminderPlan, ReminderVoice};
use crate::appointments::{Appointment, AppointmentDraft, Occurrence};
use crate::platform::{NotificationScheduler, PlannedReminder};

/// The default neutral voice in English: "Reminder" / "You have an event".
#[uniffi::export]
pub fn default_reminder_voice() -> ReminderVoice {
    ReminderVoice::default()
}

/// The neutral voice in the phone's `language` (BCP 47 as the phone gives it; English if
/// the core does not ship it). The phones pass this, so a reminder on the lock screen
/// reads like any calendar's in that language.
#[uniffi::export]
pub fn reminder_voice(language: String) -> ReminderVoice {
    ReminderVoice::for_language(&language)
}

/// Appointments and reminders of one opened data directory.
#[derive(Debug, uniffi::Object)]
pub struct Appointments {
    inner: Arc<Core>,
}

impl Appointments {
    pub(crate) fn new(inner: &Arc<Core>) -> Self {
        Self {
            inner: Arc::clone(inner),
        }
    }
}

#[uniffi::export]
impl Appointments {
    /// Stores a new appointment.
    pub fn add(&self, draft: AppointmentDraft) -> ApiResult<Appointment> {
        Ok(self.inner.appointment_add(draft)?)
    }

    /// One appointment.
    pub fn get(&self, id: String) -> ApiResult<Appointment> {
        Ok(self.inner.appointment_get(id)?)
    }

    /// Every appointment, by start.
    pub fn list(&self) -> ApiResult<Vec<Appointment>> {
        Ok(self.inner.appointment_list()?)
    }

    /// Replaces an appointment; returns it with the notification ids to cancel.
    pub fn edit(&self, id: String, draft: AppointmentDraft) -> ApiResult<AppointmentChange> {
        Ok(self.inner.appointment_edit(id, draft)?)
    }

    /// Deletes an appointment; returns the notification ids to cancel.
    pub fn delete(&self, id: String) -> ApiResult<Vec<String>> {
        Ok(self.inner.appointment_delete(id)?)
    }

    /// Occurrences of every appointment overlapping `[from_ms, to_ms)`, by start.
    pub fn occurrences(&self, from_ms: i64, to_ms: i64) -> ApiResult<Vec<Occurrence>> {
        Ok(self.inner.appointment_occurrences(from_ms, to_ms)?)
    }

    /// The reminder plan for the next `horizon_days`: what to schedule (neutral text in
    /// `voice`), what to cancel, what was missed. Updates the sealed schedule.
    pub fn reminder_plan(
        &self,
        horizon_days: u32,
        voice: ReminderVoice,
    ) -> ApiResult<ReminderPlan> {
        Ok(self.inner.reminder_plan(horizon_days, voice)?)
    }

    /// Plans and applies the plan to `scheduler` (cancel, then schedule).
    pub fn sync_reminders(
        &self,
        scheduler: Arc<dyn NotificationScheduler>,
        horizon_days: u32,
        voice: ReminderVoice,
    ) -> ApiResult<ReminderPlan> {
        Ok(self.inner.reminders_sync(scheduler, horizon_days, voice)?)
    }

    /// While locked (after a reboot): every vault's stored reminders still ahead and the ones
    /// missed since the last report. Needs no passphrase.
    pub fn locked_reminder_plan(&self, voice: ReminderVoice) -> ApiResult<ReminderPlan> {
        Ok(self.inner.reminders_locked_plan(voice)?)
    }

    /// `locked_reminder_plan` applied to `scheduler`.
    pub fn reschedule_locked_reminders(
        &self,
        scheduler: Arc<dyn NotificationScheduler>,
        voice: ReminderVoice,
    ) -> ApiResult<ReminderPlan> {
        Ok(self.inner.reminders_reschedule_locked(scheduler, voice)?)
    }

    /// The platform showed notification `id` (so it is not reported missed). Works locked.
    pub fn reminder_delivered(&self, notification_id: String) -> ApiResult<()> {
        Ok(self.inner.reminder_delivered(notification_id)?)
    }

    /// The person dismissed notification `id`: it is not shown or reported again. Works locked.
    pub fn reminder_dismiss(&self, notification_id: String) -> ApiResult<()> {
        Ok(self.inner.reminder_dismiss(notification_id)?)
    }

    /// Snoozes notification `id` for `minutes`; returns the reminder to schedule (same id).
    pub fn reminder_snooze(
        &self,
        notification_id: String,
        minutes: u32,
        voice: ReminderVoice,
    ) -> ApiResult<PlannedReminder> {
        Ok(self
            .inner
            .reminder_snooze(notification_id, minutes, voice)?)
    }

    /// Exports the appointments `ids` (all when empty) as an age-encrypted `.ics` file at
    /// `out_path`, to be opened with `passphrase`. Returns how many.
    pub fn export_ics_to_passphrase(
        &self,
        ids: Vec<String>,
        passphrase: String,
        out_path: String,
    ) -> ApiResult<u32> {
        Ok(self
            .inner
            .appointments_export_ics_to_passphrase(ids, passphrase, out_path)?)
    }

    /// Exports as an age-encrypted `.ics` file to an age recipient (`age1...`).
    pub fn export_ics_to_recipient(
        &self,
        ids: Vec<String>,
        recipient: String,
        out_path: String,
    ) -> ApiResult<u32> {
        Ok(self
            .inner
            .appointments_export_ics_to_recipient(ids, recipient, out_path)?)
    }
}

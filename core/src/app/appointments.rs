//! Appointment and reminder operations of the application.
//!
//! The clock and the platform key are foreign callbacks: the clock is read before the
//! session lock is taken, and the platform key (which seals the schedule) is only called
//! after the session lock is released. Read-modify-write of the sealed schedule is
//! serialised by `Core::schedule_lock`, a lock of this data directory that no callback can take,
//! so a callback that re-entered the core could not deadlock on it unless it re-entered a
//! reminder call itself (platform key stores do not).
//!
//! Each vault keeps its own sealed schedule ([`reminders::StoredSchedule`]): an unlocked
//! plan reads and writes only the open vault's, so the ids it tells the platform to cancel
//! are always ids that vault created. Locked calls (reboot, delivered, dismiss, snooze)
//! work on every vault's schedule, since no vault is known then.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;

use age::secrecy::SecretString;

use super::Core;
use crate::appointments::reminders::{
    self, EntryState, IdKey, NotificationScheduler, PlannedReminder, ReminderPlan, ReminderVoice,
    Schedule,
};
use crate::appointments::{
    ics, Appointment, AppointmentDraft, AppointmentsCtx, Occurrence, Parsed,
};
use crate::error::{Error, Result};
use crate::journal::export::{self, ExportTo};
use crate::platform::KeyStore;

/// The result of changing an appointment: the new version and the notification ids the
/// platform must cancel before scheduling the next plan.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AppointmentChange {
    /// The appointment as it is now.
    pub appointment: Appointment,
    /// Ids of notifications scheduled for the old version.
    pub cancel_notification_ids: Vec<String>,
}

impl Core {
    /// Stores a new appointment.
    pub fn appointment_add(&self, draft: AppointmentDraft) -> Result<Appointment> {
        let now = self.now_ms();
        let ctx = self.appointments_ctx();
        self.with_session(|s| ctx.add(s, &draft, now))
    }

    /// One appointment.
    pub fn appointment_get(&self, id: String) -> Result<Appointment> {
        let ctx = self.appointments_ctx();
        self.with_session(|s| ctx.get(s, &id))
    }

    /// Every appointment, by start.
    pub fn appointment_list(&self) -> Result<Vec<Appointment>> {
        let ctx = self.appointments_ctx();
        Ok(self.with_session(|s| ctx.list(s))?.0)
    }

    /// Replaces an appointment; returns it with the notification ids to cancel.
    pub fn appointment_edit(
        &self,
        id: String,
        draft: AppointmentDraft,
    ) -> Result<AppointmentChange> {
        let now = self.now_ms();
        let ctx = self.appointments_ctx();
        let (new, old_ids) = self.with_session(|s| {
            let (old, new) = ctx.edit(s, &id, &draft, now)?;
            Ok((new, old_reminder_ids(s, old, now)))
        })?;
        let cancel = self.forget_reminders(&old_ids, now)?;
        Ok(AppointmentChange {
            appointment: new,
            cancel_notification_ids: cancel,
        })
    }

    /// Deletes an appointment; returns the notification ids to cancel.
    pub fn appointment_delete(&self, id: String) -> Result<Vec<String>> {
        let now = self.now_ms();
        let ctx = self.appointments_ctx();
        let old_ids = self.with_session(|s| {
            let old = ctx.delete(s, &id)?;
            Ok(old_reminder_ids(s, old, now))
        })?;
        self.forget_reminders(&old_ids, now)
    }

    /// Occurrences of every appointment overlapping `[from_ms, to_ms)`, by start.
    pub fn appointment_occurrences(&self, from_ms: i64, to_ms: i64) -> Result<Vec<Occurrence>> {
        let ctx = self.appointments_ctx();
        self.with_session(|s| ctx.occurrences(s, from_ms, to_ms))
    }

    /// The reminder plan for the next `horizon_days`: what to schedule (neutral text in
    /// `voice`), what to cancel, what was missed. Updates the sealed schedule.
    pub fn reminder_plan(&self, horizon_days: u32, voice: ReminderVoice) -> Result<ReminderPlan> {
        let now = self.now_ms();
        self.plan_reminders(now, horizon_days, &voice)
    }

    /// Plans and applies the plan to `scheduler` (cancel, then schedule).
    pub fn reminders_sync(
        &self,
        scheduler: Arc<dyn NotificationScheduler>,
        horizon_days: u32,
        voice: ReminderVoice,
    ) -> Result<ReminderPlan> {
        let plan = self.reminder_plan(horizon_days, voice)?;
        reminders::apply(&plan, scheduler.as_ref())?;
        Ok(plan)
    }

    /// While locked (after a reboot): every vault's stored reminders still ahead and the
    /// ones missed since the last report. Needs no passphrase.
    pub fn reminders_locked_plan(&self, voice: ReminderVoice) -> Result<ReminderPlan> {
        let now = self.now_ms();
        self.locked_plan_all(now, &voice)
    }

    /// [`Waypoint::reminders_locked_plan`] applied to `scheduler`.
    pub fn reminders_reschedule_locked(
        &self,
        scheduler: Arc<dyn NotificationScheduler>,
        voice: ReminderVoice,
    ) -> Result<ReminderPlan> {
        let plan = self.reminders_locked_plan(voice)?;
        reminders::apply(&plan, scheduler.as_ref())?;
        Ok(plan)
    }

    /// The platform showed notification `id` (so it is not reported missed). Works locked.
    pub fn reminder_delivered(&self, notification_id: String) -> Result<()> {
        self.with_schedule_holding(&notification_id, |s| {
            reminders::mark(s, &notification_id, EntryState::Delivered)
        })
    }

    /// The person dismissed notification `id`: it is not shown or reported again. If it
    /// was dismissed before it fired, the platform cancels it itself. Works locked.
    pub fn reminder_dismiss(&self, notification_id: String) -> Result<()> {
        self.with_schedule_holding(&notification_id, |s| {
            reminders::mark(s, &notification_id, EntryState::Dismissed)
        })
    }

    /// Snoozes notification `id` for `minutes`; returns the reminder to schedule (same id).
    /// Works locked.
    pub fn reminder_snooze(
        &self,
        notification_id: String,
        minutes: u32,
        voice: ReminderVoice,
    ) -> Result<PlannedReminder> {
        let now = self.now_ms();
        self.with_schedule_holding(&notification_id, |s| {
            reminders::snooze(s, &notification_id, minutes, now, &voice)
        })
    }

    /// Exports the appointments with ids `ids` (all when empty) as an age-encrypted `.ics`
    /// file at `out_path`, to be opened with `passphrase`. Returns how many.
    pub fn appointments_export_ics_to_passphrase(
        &self,
        ids: Vec<String>,
        passphrase: String,
        out_path: String,
    ) -> Result<u32> {
        if passphrase.is_empty() {
            return Err(Error::invalid("passphrase", "must not be empty"));
        }
        let log_n = self.vault.config()?.scrypt_log_n;
        self.export_ics(
            &ids,
            ExportTo::Passphrase(SecretString::from(passphrase), log_n),
            &out_path,
        )
    }

    /// Exports as an age-encrypted `.ics` file to an age recipient (`age1...`).
    pub fn appointments_export_ics_to_recipient(
        &self,
        ids: Vec<String>,
        recipient: String,
        out_path: String,
    ) -> Result<u32> {
        let to = ExportTo::Recipient(export::parse_recipient(&recipient)?);
        self.export_ics(&ids, to, &out_path)
    }
}

fn old_reminder_ids(s: &crate::session::Session, old: Appointment, now: i64) -> HashSet<String> {
    // An appointment that no longer parses (e.g. a zone renamed) had no reminders we can
    // name; nothing to cancel.
    match Parsed::new(old) {
        Ok(p) => reminders::ids_of(&IdKey::of(s), &p, now).unwrap_or_default(),
        Err(_) => HashSet::new(),
    }
}

impl Core {
    pub(crate) fn appointments_ctx(&self) -> AppointmentsCtx<'_> {
        AppointmentsCtx { store: &self.store }
    }

    fn key_store_for_reminders(&self) -> Result<Arc<dyn KeyStore>> {
        self.key_store()
    }

    /// Load, change and store the one vault schedule that holds notification `id`,
    /// serialised by `schedule_lock`. Works locked: notification ids are keyed per vault,
    /// so only the vault that created `id` has it. No schedule holds it: [`Error::NotFound`].
    fn with_schedule_holding<T>(
        &self,
        id: &str,
        f: impl FnOnce(&mut Schedule) -> Result<T>,
    ) -> Result<T> {
        let ks = self.key_store_for_reminders()?;
        let _guard = self.schedule_lock.lock()?;
        let rows = reminders::load_schedules(&self.store, ks.as_ref())?;
        let mut row = rows
            .into_iter()
            .find(|r| r.schedule.entries.iter().any(|e| e.id == id))
            .ok_or(Error::NotFound)?;
        let out = f(&mut row.schedule)?;
        reminders::save_schedule(&self.store, ks.as_ref(), &row)?;
        Ok(out)
    }

    /// The locked plan over every vault's schedule, merged.
    fn locked_plan_all(&self, now: i64, voice: &ReminderVoice) -> Result<ReminderPlan> {
        let ks = self.key_store_for_reminders()?;
        let _guard = self.schedule_lock.lock()?;
        let rows = reminders::load_schedules(&self.store, ks.as_ref())?;
        let mut merged = ReminderPlan {
            generated_at_ms: now,
            horizon_end_ms: now,
            schedule: Vec::new(),
            cancel: Vec::new(),
            missed: Vec::new(),
        };
        if rows.is_empty() {
            // Nothing planned yet: the same answer the locked plan always gave.
            let (plan, _) = reminders::locked_plan(&reminders::empty_schedule(), now, voice)?;
            return Ok(plan);
        }
        for mut row in rows {
            let (plan, new) = reminders::locked_plan(&row.schedule, now, voice)?;
            row.schedule = new;
            reminders::save_schedule(&self.store, ks.as_ref(), &row)?;
            merged.horizon_end_ms = merged.horizon_end_ms.max(plan.horizon_end_ms);
            merged.schedule.extend(plan.schedule);
            merged.missed.extend(plan.missed);
        }
        let by_time = |a: &PlannedReminder, b: &PlannedReminder| {
            (a.fire_at_ms, &a.notification_id).cmp(&(b.fire_at_ms, &b.notification_id))
        };
        merged.schedule.sort_by(by_time);
        merged.missed.sort_by(by_time);
        Ok(merged)
    }

    /// Plans the open vault's reminders against its own schedule only; the other vault's
    /// schedule is neither read into the plan nor changed, so nothing it scheduled is
    /// cancelled.
    pub(crate) fn plan_reminders(
        &self,
        now: i64,
        horizon_days: u32,
        voice: &ReminderVoice,
    ) -> Result<ReminderPlan> {
        let ks = self.key_store_for_reminders()?;
        let ctx = self.appointments_ctx();
        let _guard = self.schedule_lock.lock()?;
        let rows = reminders::load_schedules(&self.store, ks.as_ref())?;
        let (plan, own, legacy) = self.with_session(|s| {
            let (all, _) = ctx.list(s)?;
            // One appointment that no longer parses must not stop everyone's reminders.
            let mut parsed: Vec<Parsed> = all
                .into_iter()
                .filter_map(|a| Parsed::new(a).ok())
                .collect();
            // Documents' expiry reminders are planned the same way (see `app::documents`).
            parsed.extend(self.document_expiry_events(s)?);
            let key = IdKey::of(s);
            let mut own = None;
            let mut legacy = Vec::new();
            for row in rows {
                if row.tag.is_none() {
                    legacy.push(row);
                } else if own.is_none() && row.is_of(s)? {
                    own = Some(row);
                }
            }
            let mut own = match own {
                Some(row) => row,
                None => reminders::StoredSchedule::fresh(s)?,
            };
            let mut changed_legacy = Vec::new();
            if !legacy.is_empty() {
                let mut mine = HashSet::new();
                for p in &parsed {
                    mine.extend(reminders::ids_of(&key, p, now)?);
                }
                for mut row in legacy {
                    if reminders::adopt_recognised(&mut own.schedule, &mut row.schedule, &mine) {
                        changed_legacy.push(row);
                    }
                }
            }
            let (plan, new) =
                reminders::plan(&key, &parsed, &own.schedule, now, horizon_days, voice)?;
            own.schedule = new;
            Ok((plan, own, changed_legacy))
        })?;
        reminders::save_schedule(&self.store, ks.as_ref(), &own)?;
        for row in &legacy {
            reminders::save_schedule(&self.store, ks.as_ref(), row)?;
        }
        Ok(plan)
    }

    /// Removes the reminders `ids` (computed with the open vault's own id key, so only
    /// ever ids it created) from whichever schedule holds them; returns those to cancel.
    pub(super) fn forget_reminders(&self, ids: &HashSet<String>, now: i64) -> Result<Vec<String>> {
        let ks = self.key_store_for_reminders()?;
        let _guard = self.schedule_lock.lock()?;
        let mut cancel = Vec::new();
        for mut row in reminders::load_schedules(&self.store, ks.as_ref())? {
            if row.schedule.entries.iter().any(|e| ids.contains(&e.id)) {
                cancel.extend(reminders::forget(&mut row.schedule, ids, now));
                reminders::save_schedule(&self.store, ks.as_ref(), &row)?;
            }
        }
        cancel.sort();
        Ok(cancel)
    }

    fn export_ics(&self, ids: &[String], to: ExportTo, out_path: &str) -> Result<u32> {
        if out_path.is_empty() {
            return Err(Error::invalid("out", "must not be empty"));
        }
        let now = self.now_ms();
        let ctx = self.appointments_ctx();
        let chosen = self.with_session(|s| {
            if ids.is_empty() {
                Ok(ctx.list(s)?.0)
            } else {
                ids.iter().map(|id| ctx.get(s, id)).collect()
            }
        })?;
        ics::export(&chosen, to, Path::new(out_path), now)
    }
}

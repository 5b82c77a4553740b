//! Reminder planning: what the platform must schedule, and nothing that gives a person away.
//!
//! # The plan
//! [`plan`] turns the appointments into [`PlannedReminder`]s: a fire instant (UTC), a
//! stable opaque notification id, and **neutral text in the disguise's voice**
//! ([`ReminderVoice`], default "Reminder" / "You have an event"). The text is the voice
//! and only the voice: it is never built from the title, kind, place, resource or notes.
//!
//! # Fire times
//! - Offsets of whole days (multiples of 1440 minutes) are *calendar days at the same wall
//!   time* in the appointment's zone: "1 day before 09:00 Monday" is 09:00 Sunday, even when
//!   the clocks change overnight. Other offsets are elapsed time ("1 hour before").
//! - All-day appointments count back from 09:00 local on the day ([`ALL_DAY_ANCHOR`]).
//! - Wall times are turned into instants with [`resolve_local`] (skipped hour: forward by
//!   the gap; repeated hour: the first), always in the appointment's own zone.
//!
//! # Notification ids
//! `HMAC-SHA256(K, appointment id | occurrence local start | offset)` truncated to 128 bits,
//! hex, where `K = HKDF(vault master, "appointments/notification-ids")`. Stable across
//! plans (so re-planning replaces rather than duplicates), unguessable without the vault
//! key, and unlinkable to the appointment's content. `platform_id` is the first 31 bits, for
//! APIs that want an integer (Android's `NotificationManager.notify`).
//!
//! # The sealed schedule
//! After a reboot the platform must reschedule without the passphrase. Each plan writes a
//! [`Schedule`] (ids, fire times, delivery states, the time up to which missed reminders
//! were reported; nothing else) sealed with the platform key ([`KeyStore`], label
//! [`SCHEDULE_LABEL`]) into `appointment_schedule`. While locked, [`locked_plan`] reads it.
//!
//! There is one schedule per vault: the real vault and the duress decoy each keep their own
//! row, marked by the vault's keyed row tag ([`SCHEDULE_KIND`]). An unlocked plan reads and
//! writes only its own vault's row, so its `cancel` list only ever names ids that vault
//! created, and a duress session never re-plans or cancels the real vault's reminders.
//! While locked (after a reboot) every row is rescheduled: the platform has no way to
//! know which vault will be opened next, and a court reminder must not vanish. A row from
//! before schedules were per vault has no tag; each vault takes from it the reminders it
//! recognises as its own ([`adopt_recognised`]).
//!
//! # Missed, snooze, dismiss
//! A reminder whose fire time passed since the last plan, and that the platform did not
//! report as delivered (or the person dismissed), is reported once in `missed` on the next
//! plan (locked or unlocked), then never again. Snooze moves one reminder to later;
//! dismiss stops it. Both work while locked.

use std::collections::{HashMap, HashSet};

use chrono::Duration;
use hkdf::Hkdf;
use sha2::Sha256;

use super::occurrences::{format_local, resolve_local, to_local, ALL_DAY_ANCHOR};
use super::{ms_to_utc, Parsed};
use crate::crypto::SecretKey;
use crate::error::{Error, Result};
use crate::platform::KeyStore;
pub use crate::platform::{NotificationScheduler, PlannedReminder};
use crate::session::Session;
use crate::store::Store;

/// KeyStore label of the sealed schedule.
pub const SCHEDULE_LABEL: &str = "appointments/schedule";
/// Row-tag kind of a vault's schedule row.
pub const SCHEDULE_KIND: &str = "appointment-schedule";
/// Longest planning horizon, in days.
pub const MAX_HORIZON_DAYS: u32 = 400;
/// Most reminders handed to the platform at once (Android allows ~500 alarms per app);
/// later ones are picked up by the next plan, and `horizon_end_ms` says where this one ends.
pub const MAX_SCHEDULED: usize = 400;
/// How far back a missed reminder is still worth reporting.
pub const MISSED_LOOKBACK_MS: i64 = 7 * 86_400_000;
/// Longest snooze, in minutes (one day).
pub const MAX_SNOOZE_MINUTES: u32 = 24 * 60;
const DAY_MINUTES: u32 = 24 * 60;
const SCHEDULE_VERSION: u32 = 1;

/// The words a notification uses. Set by the disguise (a calculator's reminders should not
/// look like a calendar's); never derived from an appointment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReminderVoice {
    /// Notification title.
    pub title: String,
    /// Notification body.
    pub body: String,
}

impl Default for ReminderVoice {
    /// The neutral voice in English.
    fn default() -> Self {
        Self::for_language("en")
    }
}

impl ReminderVoice {
    /// The neutral voice in the phone's `language` (core/locales/*/reminders.ftl): the
    /// notification shows on a locked phone, so it speaks the phone's language like any
    /// calendar's would, and never says what the appointment is.
    pub fn for_language(language: &str) -> Self {
        let messages = crate::i18n::Messages::for_tag(language);
        Self {
            title: messages.tr("reminder-voice-title"),
            body: messages.tr("reminder-voice-body"),
        }
    }

    /// Checks the voice is short and non-empty.
    pub fn validate(&self) -> Result<()> {
        for (field, v) in [("voice.title", &self.title), ("voice.body", &self.body)] {
            if v.trim().is_empty() || v.chars().count() > 100 {
                return Err(Error::invalid(field, "must be 1-100 characters"));
            }
        }
        Ok(())
    }
}

/// What the platform must do now.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReminderPlan {
    /// When this plan was made (Unix ms).
    pub generated_at_ms: i64,
    /// The plan covers fire times up to here (Unix ms); plan again before then.
    pub horizon_end_ms: i64,
    /// Everything that should be scheduled, by fire time. Idempotent: scheduling an id
    /// that is already scheduled replaces it.
    pub schedule: Vec<PlannedReminder>,
    /// Ids scheduled by an earlier plan that must be cancelled.
    pub cancel: Vec<String>,
    /// Reminders whose time passed without being delivered (phone off): show them now.
    /// Reported once.
    pub missed: Vec<PlannedReminder>,
}

/// The key for notification ids (derived from the vault master; gone on lock).
pub struct IdKey(SecretKey);

impl IdKey {
    /// The id key of the unlocked session.
    pub fn of(session: &Session) -> Self {
        Self(
            session
                .sealer
                .master()
                .derive("appointments/notification-ids"),
        )
    }

    /// A key for tests and benchmarks.
    pub fn from_secret(key: SecretKey) -> Self {
        Self(key)
    }

    /// The notification id of reminder `offset_minutes` before occurrence `local_start`
    /// of appointment `appointment_id`.
    pub fn id(
        &self,
        appointment_id: &str,
        local_start: &str,
        offset_minutes: u32,
    ) -> (String, i32) {
        let hk = Hkdf::<Sha256>::from_prk(self.0.expose()).expect("a 32-byte PRK is valid");
        let info = format!("{appointment_id}\u{0}{local_start}\u{0}{offset_minutes}");
        let mut out = [0u8; 16];
        hk.expand(info.as_bytes(), &mut out)
            .expect("16 bytes is a valid HKDF output length");
        let platform = i32::from_be_bytes([out[0] & 0x7f, out[1], out[2], out[3]]);
        (hex::encode(out), platform)
    }
}

/// A reminder due at some instant (before any voice is attached).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    /// Notification id.
    pub id: String,
    /// Integer id.
    pub platform_id: i32,
    /// Fire instant (Unix ms).
    pub fire_at_ms: i64,
}

/// Every reminder of `appointments` firing in `(from_ms, to_ms]`, by fire time.
pub fn reminders_between(
    key: &IdKey,
    appointments: &[Parsed],
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<Due>> {
    let mut out = Vec::new();
    if to_ms <= from_ms {
        return Ok(out);
    }
    let from = ms_to_utc(from_ms)?;
    let to = ms_to_utc(to_ms)?;
    for p in appointments {
        reminders_of(key, p, from_ms, to_ms, from, to, &mut out)?;
    }
    out.sort_by(|a, b| (a.fire_at_ms, &a.id).cmp(&(b.fire_at_ms, &b.id)));
    Ok(out)
}

fn reminders_of(
    key: &IdKey,
    p: &Parsed,
    from_ms: i64,
    to_ms: i64,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
    out: &mut Vec<Due>,
) -> Result<()> {
    let d = &p.appointment.draft;
    let Some(max_offset) = d.reminder_offsets_minutes.iter().max().copied() else {
        return Ok(());
    };
    // Occurrences whose reminders can fire in the window: starts from `from` (minus slack
    // for offsets of zero and DST) up to `to` plus the longest offset and slack.
    let lo = to_local(p.tz, from) - Duration::days(2);
    let hi = to_local(p.tz, to) + Duration::minutes(i64::from(max_offset)) + Duration::days(2);
    for local in p.local_starts(lo, hi)? {
        let anchor = if d.all_day {
            local.date().and_time(ALL_DAY_ANCHOR)
        } else {
            local
        };
        let occurrence = format_local(local, d.all_day);
        for &offset in &d.reminder_offsets_minutes {
            let fire = if offset > 0 && offset % DAY_MINUTES == 0 {
                resolve_local(
                    p.tz,
                    anchor - Duration::days(i64::from(offset / DAY_MINUTES)),
                )
            } else {
                resolve_local(p.tz, anchor) - Duration::minutes(i64::from(offset))
            };
            let fire_ms = fire.timestamp_millis();
            if fire_ms > from_ms && fire_ms <= to_ms {
                let (id, platform_id) = key.id(&p.appointment.id, &occurrence, offset);
                out.push(Due {
                    id,
                    platform_id,
                    fire_at_ms: fire_ms,
                });
            }
        }
    }
    Ok(())
}

/// Whether the platform delivered a reminder or the person dismissed it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    /// Scheduled, not yet delivered.
    Pending,
    /// Shown by the platform.
    Delivered,
    /// Dismissed by the person: not shown again.
    Dismissed,
}

/// One scheduled reminder in the sealed schedule: an id and times, nothing else.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    /// Notification id.
    pub id: String,
    /// Integer id.
    pub p: i32,
    /// When it fires now (after a snooze, later than `orig`).
    pub at: i64,
    /// When it was planned to fire.
    pub orig: i64,
    /// Delivery state.
    pub state: EntryState,
}

/// What the platform may read while locked: fire times, ids, states. Nothing else.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Schedule {
    /// Format version.
    pub v: u32,
    /// Missed reminders up to this instant have been reported (None before the first plan).
    pub reported_through_ms: Option<i64>,
    /// Scheduled and remembered reminders.
    pub entries: Vec<Entry>,
}

fn planned(e: &Entry, voice: &ReminderVoice) -> PlannedReminder {
    PlannedReminder {
        notification_id: e.id.clone(),
        platform_id: e.p,
        fire_at_ms: e.at,
        title: voice.title.clone(),
        body: voice.body.clone(),
    }
}

/// Plans reminders for `(now, now + horizon]` over `appointments`, given the previous
/// schedule `old`. Returns the plan and the schedule to store.
pub fn plan(
    key: &IdKey,
    appointments: &[Parsed],
    old: &Schedule,
    now_ms: i64,
    horizon_days: u32,
    voice: &ReminderVoice,
) -> Result<(ReminderPlan, Schedule)> {
    voice.validate()?;
    if horizon_days == 0 || horizon_days > MAX_HORIZON_DAYS {
        return Err(Error::invalid("horizon_days", "must be 1-400"));
    }
    let horizon_end = now_ms + i64::from(horizon_days) * 86_400_000;
    let old_by_id: HashMap<&str, &Entry> = old.entries.iter().map(|e| (e.id.as_str(), e)).collect();

    // Missed: fired since the last report, neither delivered nor dismissed.
    let mut missed: Vec<Entry> = Vec::new();
    let mut missed_ids = HashSet::new();
    if let Some(last) = old.reported_through_ms {
        let from = last.max(now_ms - MISSED_LOOKBACK_MS);
        for due in reminders_between(key, appointments, from, now_ms)? {
            match old_by_id.get(due.id.as_str()) {
                Some(e) if e.state != EntryState::Pending || e.at > now_ms => continue,
                _ => {}
            }
            if missed_ids.insert(due.id.clone()) {
                missed.push(Entry {
                    id: due.id,
                    p: due.platform_id,
                    at: due.fire_at_ms,
                    orig: due.fire_at_ms,
                    state: EntryState::Pending,
                });
            }
        }
        for e in &old.entries {
            if e.state == EntryState::Pending
                && e.at > from
                && e.at <= now_ms
                && missed_ids.insert(e.id.clone())
            {
                missed.push(e.clone());
            }
        }
    }
    missed.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));

    // Upcoming.
    let mut upcoming: Vec<Entry> = Vec::new();
    let mut remembered: Vec<Entry> = Vec::new();
    let mut seen = HashSet::new();
    for due in reminders_between(key, appointments, now_ms, horizon_end)? {
        seen.insert(due.id.clone());
        match old_by_id.get(due.id.as_str()) {
            Some(e) if e.state != EntryState::Pending => remembered.push((*e).clone()),
            Some(e) if e.at != e.orig && e.orig == due.fire_at_ms => upcoming.push((*e).clone()),
            _ => upcoming.push(Entry {
                id: due.id,
                p: due.platform_id,
                at: due.fire_at_ms,
                orig: due.fire_at_ms,
                state: EntryState::Pending,
            }),
        }
    }
    // Snoozed reminders whose original time has passed stay scheduled.
    for e in &old.entries {
        if e.state == EntryState::Pending
            && e.at > now_ms
            && e.orig <= now_ms
            && !seen.contains(&e.id)
        {
            seen.insert(e.id.clone());
            upcoming.push(e.clone());
        }
    }
    upcoming.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    let mut end = horizon_end;
    if upcoming.len() > MAX_SCHEDULED {
        upcoming.truncate(MAX_SCHEDULED);
        end = upcoming.last().map_or(horizon_end, |e| e.at);
    }
    let scheduled: HashSet<&str> = upcoming.iter().map(|e| e.id.as_str()).collect();
    let cancel: Vec<String> = old
        .entries
        .iter()
        .filter(|e| {
            e.state == EntryState::Pending && e.at > now_ms && !scheduled.contains(e.id.as_str())
        })
        .map(|e| e.id.clone())
        .collect();
    // Dismissed / delivered states are remembered while their reminder is recent or ahead.
    for e in &old.entries {
        if e.state != EntryState::Pending
            && e.orig.max(e.at) > now_ms - MISSED_LOOKBACK_MS
            && !remembered.iter().any(|r| r.id == e.id)
        {
            remembered.push(e.clone());
        }
    }
    let plan = ReminderPlan {
        generated_at_ms: now_ms,
        horizon_end_ms: end,
        schedule: upcoming.iter().map(|e| planned(e, voice)).collect(),
        cancel,
        missed: missed.iter().map(|e| planned(e, voice)).collect(),
    };
    let mut entries = upcoming;
    entries.extend(remembered);
    let new = Schedule {
        v: SCHEDULE_VERSION,
        reported_through_ms: Some(old.reported_through_ms.map_or(now_ms, |l| l.max(now_ms))),
        entries,
    };
    Ok((plan, new))
}

/// The plan while locked (after a reboot): the stored schedule's future reminders, and the
/// ones missed since the last report (reported once).
pub fn locked_plan(
    old: &Schedule,
    now_ms: i64,
    voice: &ReminderVoice,
) -> Result<(ReminderPlan, Schedule)> {
    voice.validate()?;
    let mut missed = Vec::new();
    let mut upcoming = Vec::new();
    let mut kept = Vec::new();
    let from = old
        .reported_through_ms
        .map(|l| l.max(now_ms - MISSED_LOOKBACK_MS));
    for e in &old.entries {
        if e.state != EntryState::Pending {
            kept.push(e.clone());
        } else if e.at > now_ms {
            upcoming.push(e.clone());
        } else if from.is_some_and(|f| e.at > f) {
            missed.push(e.clone());
        }
    }
    upcoming.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    missed.sort_by(|a, b| (a.at, &a.id).cmp(&(b.at, &b.id)));
    let horizon_end = upcoming.last().map_or(now_ms, |e| e.at);
    let plan = ReminderPlan {
        generated_at_ms: now_ms,
        horizon_end_ms: horizon_end,
        schedule: upcoming.iter().map(|e| planned(e, voice)).collect(),
        cancel: Vec::new(),
        missed: missed.iter().map(|e| planned(e, voice)).collect(),
    };
    let mut entries = upcoming;
    entries.extend(kept);
    let new = Schedule {
        v: SCHEDULE_VERSION,
        reported_through_ms: Some(old.reported_through_ms.map_or(now_ms, |l| l.max(now_ms))),
        entries,
    };
    Ok((plan, new))
}

/// Marks reminder `id` delivered or dismissed.
pub fn mark(schedule: &mut Schedule, id: &str, state: EntryState) -> Result<()> {
    let e = schedule
        .entries
        .iter_mut()
        .find(|e| e.id == id)
        .ok_or(Error::NotFound)?;
    e.state = state;
    Ok(())
}

/// Snoozes reminder `id` to `now + minutes`.
pub fn snooze(
    schedule: &mut Schedule,
    id: &str,
    minutes: u32,
    now_ms: i64,
    voice: &ReminderVoice,
) -> Result<PlannedReminder> {
    voice.validate()?;
    if minutes == 0 || minutes > MAX_SNOOZE_MINUTES {
        return Err(Error::invalid("minutes", "snooze 1 minute to 1 day"));
    }
    let e = schedule
        .entries
        .iter_mut()
        .find(|e| e.id == id)
        .ok_or(Error::NotFound)?;
    e.at = now_ms + i64::from(minutes) * 60_000;
    e.state = EntryState::Pending;
    Ok(planned(e, voice))
}

/// Removes the reminders of a changed or deleted appointment from the schedule; returns
/// the ids the platform must cancel (those still pending and ahead).
pub fn forget(schedule: &mut Schedule, ids: &HashSet<String>, now_ms: i64) -> Vec<String> {
    let cancel = schedule
        .entries
        .iter()
        .filter(|e| ids.contains(&e.id) && e.state == EntryState::Pending && e.at > now_ms)
        .map(|e| e.id.clone())
        .collect();
    schedule.entries.retain(|e| !ids.contains(&e.id));
    cancel
}

/// Every id appointment `p` could have in a schedule around `now` (for cancelling).
pub fn ids_of(key: &IdKey, p: &Parsed, now_ms: i64) -> Result<HashSet<String>> {
    let from = now_ms - MISSED_LOOKBACK_MS - 2 * 86_400_000;
    let to = now_ms + i64::from(MAX_HORIZON_DAYS) * 86_400_000 + 86_400_000;
    Ok(reminders_between(key, std::slice::from_ref(p), from, to)?
        .into_iter()
        .map(|d| d.id)
        .collect())
}

/// An empty schedule (what a vault that never planned has).
pub fn empty_schedule() -> Schedule {
    Schedule {
        v: SCHEDULE_VERSION,
        ..Schedule::default()
    }
}

/// One vault's schedule row as stored: a random row id, the vault's keyed tag (`None`:
/// written before schedules were per vault) and the schedule.
#[derive(Debug, Clone)]
pub struct StoredSchedule {
    /// Random row id.
    pub id: String,
    /// `row_tag(SCHEDULE_KIND, id)` of the vault that owns the row.
    pub tag: Option<Vec<u8>>,
    /// The schedule (opened with the platform key).
    pub schedule: Schedule,
}

impl StoredSchedule {
    /// A new, empty row for the vault of `session`.
    pub fn fresh(session: &Session) -> Result<Self> {
        let mut raw = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut raw);
        let id = hex::encode(raw);
        Ok(Self {
            tag: Some(session.row_tag(SCHEDULE_KIND, &id)?),
            id,
            schedule: empty_schedule(),
        })
    }

    /// Whether the row is the vault of `session`'s.
    pub fn is_of(&self, session: &Session) -> Result<bool> {
        Ok(self.tag.as_deref() == Some(session.row_tag(SCHEDULE_KIND, &self.id)?.as_slice()))
    }
}

/// Reads every vault's sealed schedule row. Calls the platform key with no lock held.
pub fn load_schedules(store: &Store, ks: &dyn KeyStore) -> Result<Vec<StoredSchedule>> {
    type Row = (String, Option<Vec<u8>>, Vec<u8>);
    let rows: Vec<Row> = store.with_conn(|c| {
        let mut st = c.prepare("SELECT id, tag, sealed FROM appointment_schedule ORDER BY id")?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, tag, sealed) in rows {
        let plain = crate::platform::open_row(ks, SCHEDULE_LABEL, &sealed)?;
        let schedule: Schedule =
            serde_json::from_slice(&plain).map_err(|_| Error::Corrupt("reminder schedule"))?;
        if schedule.v != SCHEDULE_VERSION {
            return Err(Error::Corrupt("reminder schedule version"));
        }
        out.push(StoredSchedule { id, tag, schedule });
    }
    Ok(out)
}

/// Seals and stores one schedule row (inserted or replaced by id); a row from before
/// schedules were per vault that has nothing left in it is deleted instead.
pub fn save_schedule(store: &Store, ks: &dyn KeyStore, row: &StoredSchedule) -> Result<()> {
    if row.tag.is_none() && row.schedule.entries.is_empty() {
        return store.with_conn(|c| {
            c.execute("DELETE FROM appointment_schedule WHERE id = ?1", [&row.id])?;
            Ok(())
        });
    }
    let plain =
        serde_json::to_vec(&row.schedule).map_err(|_| Error::Crypto("schedule encoding"))?;
    let sealed = crate::platform::seal_row(ks, SCHEDULE_LABEL, plain)?;
    store.with_conn(|c| {
        c.execute(
            "INSERT INTO appointment_schedule (id, tag, sealed) VALUES (?1, ?2, ?3)
             ON CONFLICT(id) DO UPDATE SET tag = excluded.tag, sealed = excluded.sealed",
            rusqlite::params![row.id, row.tag, sealed],
        )?;
        Ok(())
    })
}

/// Moves from `legacy` (a schedule from before schedules were per vault, owner unknown)
/// into `own` every entry whose id is in `mine` (ids the vault's own key gives its own
/// appointments). Returns whether anything moved. Entries of the other vault stay.
pub fn adopt_recognised(own: &mut Schedule, legacy: &mut Schedule, mine: &HashSet<String>) -> bool {
    let (taken, left): (Vec<Entry>, Vec<Entry>) = std::mem::take(&mut legacy.entries)
        .into_iter()
        .partition(|e| mine.contains(&e.id));
    legacy.entries = left;
    if taken.is_empty() {
        return false;
    }
    if own.reported_through_ms.is_none() {
        own.reported_through_ms = legacy.reported_through_ms;
    }
    for e in taken {
        if !own.entries.iter().any(|o| o.id == e.id) {
            own.entries.push(e);
        }
    }
    true
}

/// Applies a plan to a scheduler: cancel first, then schedule.
pub fn apply(plan: &ReminderPlan, scheduler: &dyn NotificationScheduler) -> Result<()> {
    for id in &plan.cancel {
        scheduler.cancel(id.clone())?;
    }
    for r in &plan.schedule {
        scheduler.schedule(r.clone())?;
    }
    Ok(())
}

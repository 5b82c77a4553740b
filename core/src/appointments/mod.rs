//! Appointments and private reminders.
//!
//! Survivors keep court dates, T-visa interviews, clinic visits, counselling, case-worker
//! meetings and medication times here. Everything about an appointment (title, kind,
//! time, zone, place, resource, notes, offsets, rule) is one record sealed by the vault
//! sealer (kind `appointment`, AAD = id + revision), exactly like a journal entry; the
//! table holds only a random id, a keyed row tag and the ciphertext.
//!
//! - [`occurrences`]: wall times in the appointment's zone, DST rules, recurrence.
//! - [`reminders`]: the reminder plan (fire instants, opaque ids, neutral text), the
//!   sealed schedule readable while locked, missed / snooze / dismiss, the
//!   `NotificationScheduler` foreign trait and its desktop implementation.
//! - [`ics`]: age-encrypted iCalendar export.
//!
//! Storage:
//! - `appointments(id, tag, revision, sealed)`
//! - `appointment_schedule(id, tag, sealed)`: one schedule per vault (the real one and the
//!   duress decoy each keep their own, told apart by keyed tags), sealed by the platform
//!   key ([`crate::KeyStore`]); fire times, ids and delivery states only.

pub mod ics;
pub mod occurrences;
pub mod reminders;
#[cfg(test)]
mod tests;

use chrono::{NaiveDate, NaiveDateTime};
use chrono_tz::Tz;
use rand::RngCore;
use rusqlite::OptionalExtension;

use crate::error::{Error, Result};
use crate::session::Session;
use crate::store::{Component, Store, Table};
use occurrences::Recurrence;

/// Record kind under which appointments are sealed.
pub const KIND: &str = "appointment";
const FORMAT: u32 = 1;
/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 500;
/// Longest place / resource id, in characters.
pub const MAX_SHORT_CHARS: usize = 1000;
/// Longest notes, in bytes.
pub const MAX_NOTES_BYTES: usize = 64 * 1024;
/// Most reminder offsets per appointment.
pub const MAX_OFFSETS: usize = 10;
/// Longest reminder offset: 28 days, in minutes.
pub const MAX_OFFSET_MINUTES: u32 = 28 * 24 * 60;
/// Most exception dates per appointment.
pub const MAX_EXCEPTIONS: usize = 1000;
/// Longest duration: 14 days, in minutes.
pub const MAX_DURATION_MINUTES: u32 = 14 * 24 * 60;

/// The appointments' storage.
pub const APPOINTMENTS: Component = Component {
    name: "appointments",
    tables: &[
        Table::tagged("appointments", KIND),
        Table::tagged("appointment_schedule", reminders::SCHEDULE_KIND),
    ],
    personal_dirs: &[],
    steps: &[
        "CREATE TABLE appointments (
                 id TEXT PRIMARY KEY,
                 tag BLOB NOT NULL,
                 revision INTEGER NOT NULL,
                 sealed BLOB NOT NULL
              ) STRICT;
              CREATE TABLE appointment_schedule (
                 slot INTEGER PRIMARY KEY CHECK (slot = 0),
                 sealed BLOB NOT NULL
              ) STRICT;",
        // 2: one sealed schedule per vault, each row marked by its vault's keyed tag
        // (`tag = row_tag(SCHEDULE_KIND, id)`, `id` random), so a duress session never
        // reads, re-plans or cancels the real vault's reminders. The one schedule from
        // before has no tag (NULL): its owner is not known, so it stays for the locked
        // plan and each vault takes from it the reminders it recognises as its own.
        "CREATE TABLE appointment_schedule_v2 (
             id TEXT PRIMARY KEY,
             tag BLOB,
             sealed BLOB NOT NULL
         ) STRICT;
         INSERT INTO appointment_schedule_v2 (id, tag, sealed)
             SELECT lower(hex(randomblob(16))), NULL, sealed FROM appointment_schedule;
         DROP TABLE appointment_schedule;
         ALTER TABLE appointment_schedule_v2 RENAME TO appointment_schedule;",
    ],
};

/// What an appointment is for. Never shown in a notification.
#[derive(Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum AppointmentKind {
    /// A court date or hearing.
    Court,
    /// A lawyer or legal aid.
    Legal,
    /// Immigration (T-visa interview, biometrics, ...).
    Immigration,
    /// A clinic or doctor.
    Medical,
    /// Counselling or therapy.
    MentalHealth,
    /// A case worker or advocate.
    CaseWorker,
    /// A support group.
    SupportGroup,
    /// Taking medication.
    Medication,
    /// Anything else.
    Other,
}

impl std::fmt::Debug for AppointmentKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AppointmentKind(<redacted>)")
    }
}

impl AppointmentKind {
    /// The stable snake_case name (CLI and JSON).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Court => "court",
            Self::Legal => "legal",
            Self::Immigration => "immigration",
            Self::Medical => "medical",
            Self::MentalHealth => "mental_health",
            Self::CaseWorker => "case_worker",
            Self::SupportGroup => "support_group",
            Self::Medication => "medication",
            Self::Other => "other",
        }
    }

    /// Every kind, in display order.
    pub const ALL: [AppointmentKind; 9] = [
        Self::Court,
        Self::Legal,
        Self::Immigration,
        Self::Medical,
        Self::MentalHealth,
        Self::CaseWorker,
        Self::SupportGroup,
        Self::Medication,
        Self::Other,
    ];

    /// Parses a snake_case (or kebab-case) name.
    pub fn parse(s: &str) -> Result<Self> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| Error::invalid("kind", "unknown kind"))
    }
}

/// What a person enters for an appointment.
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AppointmentDraft {
    /// Title ("Hearing at family court").
    pub title: String,
    /// What it is for.
    pub kind: AppointmentKind,
    /// Local start in the appointment's zone: `YYYY-MM-DDTHH:MM`, or `YYYY-MM-DD` when
    /// `all_day`.
    pub start_local: String,
    /// IANA zone the start is in ("America/New_York"). It wins over the device's zone.
    pub time_zone: String,
    /// An all-day appointment (reminders count back from 09:00 local on the day).
    pub all_day: bool,
    /// Length in minutes (ignored for all-day appointments).
    pub duration_minutes: Option<u32>,
    /// Where.
    pub place: Option<String>,
    /// Id of a related directory resource.
    pub resource_id: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Reminder offsets before the start, in minutes (several allowed; 0 = at the start).
    /// Whole days (multiples of 1440) are calendar days at the same wall time.
    pub reminder_offsets_minutes: Vec<u32>,
    /// Recurrence rule (RFC 5545 subset, see [`occurrences::Recurrence`]).
    pub rrule: Option<String>,
    /// Local dates (`YYYY-MM-DD`) of single occurrences that are cancelled.
    pub exceptions: Vec<String>,
}

impl std::fmt::Debug for AppointmentDraft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AppointmentDraft(<redacted>)")
    }
}

impl Default for AppointmentDraft {
    fn default() -> Self {
        Self {
            title: String::new(),
            kind: AppointmentKind::Other,
            start_local: String::new(),
            time_zone: "UTC".into(),
            all_day: false,
            duration_minutes: None,
            place: None,
            resource_id: None,
            notes: None,
            reminder_offsets_minutes: Vec::new(),
            rrule: None,
            exceptions: Vec::new(),
        }
    }
}

/// A stored appointment.
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Appointment {
    /// Random id.
    pub id: String,
    /// Revision, from 1.
    pub revision: u64,
    /// When it was created (Unix ms).
    pub created_at_ms: i64,
    /// When it was last changed (Unix ms).
    pub updated_at_ms: i64,
    /// The content.
    #[serde(flatten)]
    pub draft: AppointmentDraft,
}

impl std::fmt::Debug for Appointment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Appointment")
            .field("id", &self.id)
            .field("revision", &self.revision)
            .finish_non_exhaustive()
    }
}

/// One occurrence of an appointment in a date range.
#[derive(Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Occurrence {
    /// The appointment.
    pub appointment_id: String,
    /// Its title (for lists; never used in notifications).
    pub title: String,
    /// Its kind.
    pub kind: AppointmentKind,
    /// Local start in the appointment's zone (`YYYY-MM-DDTHH:MM` or `YYYY-MM-DD`).
    pub local_start: String,
    /// The appointment's zone.
    pub time_zone: String,
    /// Start instant (Unix ms, UTC); midnight local for all-day.
    pub start_ms: i64,
    /// End instant (Unix ms, UTC).
    pub end_ms: i64,
    /// All day.
    pub all_day: bool,
}

impl std::fmt::Debug for Occurrence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Occurrence")
            .field("appointment_id", &self.appointment_id)
            .field("start_ms", &self.start_ms)
            .finish_non_exhaustive()
    }
}

/// An appointment with its parsed time data, ready for expansion.
#[derive(Clone)]
pub struct Parsed {
    /// The appointment.
    pub appointment: Appointment,
    /// Its zone.
    pub tz: Tz,
    /// Local start.
    pub start: NaiveDateTime,
    /// Rule, if recurring.
    pub rule: Option<Recurrence>,
    /// Cancelled occurrence dates.
    pub exceptions: Vec<NaiveDate>,
}

impl Parsed {
    /// Parses (and thereby validates) an appointment's time data.
    pub fn new(appointment: Appointment) -> Result<Self> {
        let d = &appointment.draft;
        let tz = occurrences::parse_zone(&d.time_zone)?;
        let start = occurrences::parse_local_start(&d.start_local, d.all_day)?;
        let rule = d
            .rrule
            .as_deref()
            .filter(|r| !r.trim().is_empty())
            .map(|r| Recurrence::parse(r, start))
            .transpose()?;
        let exceptions = d
            .exceptions
            .iter()
            .map(|e| occurrences::parse_exception(e))
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            appointment,
            tz,
            start,
            rule,
            exceptions,
        })
    }

    /// Length of one occurrence in minutes.
    pub fn duration_minutes(&self) -> i64 {
        if self.appointment.draft.all_day {
            24 * 60
        } else {
            i64::from(self.appointment.draft.duration_minutes.unwrap_or(60))
        }
    }

    /// Occurrences whose local start lies within `[from, to]` (wall times in its zone).
    pub fn local_starts(
        &self,
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> Result<Vec<NaiveDateTime>> {
        occurrences::local_starts(self.start, self.rule.as_ref(), &self.exceptions, from, to)
    }

    /// Occurrences overlapping the instants `[from_ms, to_ms)`.
    pub fn occurrences(&self, from_ms: i64, to_ms: i64) -> Result<Vec<Occurrence>> {
        let from = ms_to_utc(from_ms)?;
        let to = ms_to_utc(to_ms)?;
        let dur = chrono::Duration::minutes(self.duration_minutes());
        // Wall-time window wide enough for any offset and the duration.
        let lo = occurrences::to_local(self.tz, from) - dur - chrono::Duration::days(1);
        let hi = occurrences::to_local(self.tz, to) + chrono::Duration::days(1);
        let d = &self.appointment.draft;
        let mut out = Vec::new();
        for local in self.local_starts(lo, hi)? {
            let start = occurrences::resolve_local(self.tz, local);
            let end = if d.all_day {
                occurrences::resolve_local(self.tz, local + chrono::Duration::days(1))
            } else {
                start + dur
            };
            let (s, e) = (start.timestamp_millis(), end.timestamp_millis());
            if e > from_ms && s < to_ms {
                out.push(Occurrence {
                    appointment_id: self.appointment.id.clone(),
                    title: d.title.clone(),
                    kind: d.kind,
                    local_start: occurrences::format_local(local, d.all_day),
                    time_zone: d.time_zone.clone(),
                    start_ms: s,
                    end_ms: e,
                    all_day: d.all_day,
                });
            }
        }
        Ok(out)
    }
}

/// Unix ms to a UTC date-time, refusing values chrono cannot hold.
pub fn ms_to_utc(ms: i64) -> Result<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| Error::invalid("time", "out of range"))
}

fn check_len(field: &str, s: &str, max_chars: usize) -> Result<()> {
    if s.chars().count() > max_chars {
        return Err(Error::invalid(field, "too long"));
    }
    Ok(())
}

/// Validates and normalises a draft (trims, sorts offsets, normalises the rule).
pub fn validate(draft: &AppointmentDraft) -> Result<AppointmentDraft> {
    let mut d = draft.clone();
    d.title = d.title.trim().to_owned();
    if d.title.is_empty() {
        return Err(Error::invalid("title", "must not be empty"));
    }
    check_len("title", &d.title, MAX_TITLE_CHARS)?;
    for (field, v) in [("place", &mut d.place), ("resource_id", &mut d.resource_id)] {
        if let Some(s) = v.as_mut() {
            *s = s.trim().to_owned();
            check_len(field, s, MAX_SHORT_CHARS)?;
        }
        if v.as_deref() == Some("") {
            *v = None;
        }
    }
    if let Some(n) = &d.notes {
        if n.len() > MAX_NOTES_BYTES {
            return Err(Error::invalid("notes", "too long"));
        }
    }
    let tz = occurrences::parse_zone(&d.time_zone)?;
    d.time_zone = tz.name().to_owned();
    let start = occurrences::parse_local_start(&d.start_local, d.all_day)?;
    d.start_local = occurrences::format_local(start, d.all_day);
    if d.all_day {
        d.duration_minutes = None;
    } else if let Some(m) = d.duration_minutes {
        if m == 0 || m > MAX_DURATION_MINUTES {
            return Err(Error::invalid(
                "duration_minutes",
                "must be 1 minute to 14 days",
            ));
        }
    }
    if d.reminder_offsets_minutes.len() > MAX_OFFSETS {
        return Err(Error::invalid(
            "reminder_offsets_minutes",
            "at most 10 reminders",
        ));
    }
    if d.reminder_offsets_minutes
        .iter()
        .any(|m| *m > MAX_OFFSET_MINUTES)
    {
        return Err(Error::invalid(
            "reminder_offsets_minutes",
            "at most 28 days before",
        ));
    }
    d.reminder_offsets_minutes.sort_unstable_by(|a, b| b.cmp(a));
    d.reminder_offsets_minutes.dedup();
    d.rrule = match d.rrule.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(r) => Some(Recurrence::parse(r, start)?.text),
    };
    if d.exceptions.len() > MAX_EXCEPTIONS {
        return Err(Error::invalid("exceptions", "too many"));
    }
    let mut ex = d
        .exceptions
        .iter()
        .map(|e| occurrences::parse_exception(e))
        .collect::<Result<Vec<_>>>()?;
    ex.sort_unstable();
    ex.dedup();
    d.exceptions = ex
        .iter()
        .map(|e| e.format("%Y-%m-%d").to_string())
        .collect();
    Ok(d)
}

/// A random id (128 bits, hex).
pub fn new_id() -> String {
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

fn check_id(id: &str) -> Result<()> {
    if id.len() != 32 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::invalid("id", "not an appointment id"));
    }
    Ok(())
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    format: u32,
    appointment: Appointment,
}

fn seal(session: &Session, a: &Appointment) -> Result<Vec<u8>> {
    let bytes = zeroize::Zeroizing::new(
        serde_json::to_vec(&Stored {
            format: FORMAT,
            appointment: a.clone(),
        })
        .map_err(|_| Error::Crypto("appointment encoding"))?,
    );
    session.sealer.seal(KIND, &a.id, a.revision, &bytes)
}

fn open(session: &Session, id: &str, revision: u64, sealed: &[u8]) -> Result<Appointment> {
    let bytes = session.sealer.open(KIND, id, revision, sealed)?;
    let stored: Stored =
        serde_json::from_slice(&bytes).map_err(|_| Error::Corrupt("appointment record"))?;
    if stored.format != FORMAT
        || stored.appointment.id != id
        || stored.appointment.revision != revision
    {
        return Err(Error::Corrupt("appointment record"));
    }
    Ok(stored.appointment)
}

fn u64_col(v: i64) -> Result<u64> {
    u64::try_from(v).map_err(|_| Error::Corrupt("appointment revision"))
}

/// The appointments over one store.
#[derive(Debug, Clone, Copy)]
pub struct AppointmentsCtx<'a> {
    /// The database.
    pub store: &'a Store,
}

impl AppointmentsCtx<'_> {
    /// Stores a new appointment.
    pub fn add(
        &self,
        session: &Session,
        draft: &AppointmentDraft,
        now_ms: i64,
    ) -> Result<Appointment> {
        let draft = validate(draft)?;
        let a = Appointment {
            id: new_id(),
            revision: 1,
            created_at_ms: now_ms,
            updated_at_ms: now_ms,
            draft,
        };
        let sealed = seal(session, &a)?;
        let tag = session.row_tag(KIND, &a.id)?;
        self.store.with_conn(|c| {
            c.execute(
                "INSERT INTO appointments (id, tag, revision, sealed) VALUES (?1, ?2, 1, ?3)",
                rusqlite::params![a.id, tag, sealed],
            )?;
            Ok(())
        })?;
        Ok(a)
    }

    /// One appointment.
    pub fn get(&self, session: &Session, id: &str) -> Result<Appointment> {
        check_id(id)?;
        let row: Option<(Vec<u8>, i64, Vec<u8>)> = self.store.with_conn(|c| {
            Ok(c.query_row(
                "SELECT tag, revision, sealed FROM appointments WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?)
        })?;
        let (tag, revision, sealed) = row.ok_or(Error::NotFound)?;
        if tag != session.row_tag(KIND, id)? {
            return Err(Error::NotFound);
        }
        open(session, id, u64_col(revision)?, &sealed)
    }

    /// Replaces an appointment's content. Returns the old and the new version.
    pub fn edit(
        &self,
        session: &Session,
        id: &str,
        draft: &AppointmentDraft,
        now_ms: i64,
    ) -> Result<(Appointment, Appointment)> {
        let draft = validate(draft)?;
        let old = self.get(session, id)?;
        let new = Appointment {
            id: old.id.clone(),
            revision: old.revision + 1,
            created_at_ms: old.created_at_ms,
            updated_at_ms: now_ms,
            draft,
        };
        let sealed = seal(session, &new)?;
        let rev =
            i64::try_from(new.revision).map_err(|_| Error::Corrupt("appointment revision"))?;
        let changed = self.store.with_conn(|c| {
            Ok(c.execute(
                "UPDATE appointments SET revision = ?2, sealed = ?3 WHERE id = ?1 AND revision = ?4",
                rusqlite::params![id, rev, sealed, rev - 1],
            )?)
        })?;
        if changed != 1 {
            return Err(Error::NotFound);
        }
        Ok((old, new))
    }

    /// Deletes an appointment. Returns what was deleted.
    pub fn delete(&self, session: &Session, id: &str) -> Result<Appointment> {
        let old = self.get(session, id)?;
        self.store.with_conn(|c| {
            c.execute("DELETE FROM appointments WHERE id = ?1", [id])?;
            Ok(())
        })?;
        self.store.checkpoint()?;
        Ok(old)
    }

    /// Every appointment of this vault, by start. Damaged rows are skipped and counted.
    pub fn list(&self, session: &Session) -> Result<(Vec<Appointment>, u32)> {
        let keys = session.keys()?;
        let rows: Vec<(String, Vec<u8>, i64, Vec<u8>)> = self.store.with_conn(|c| {
            let mut st = c.prepare("SELECT id, tag, revision, sealed FROM appointments")?;
            let rows = st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })?;
        let mut out = Vec::new();
        let mut damaged = 0;
        for (id, tag, revision, sealed) in rows {
            if tag != keys.row_tag(KIND, &id) {
                continue; // another vault's row
            }
            match u64_col(revision).and_then(|rev| open(session, &id, rev, &sealed)) {
                Ok(a) => out.push(a),
                Err(_) => damaged += 1,
            }
        }
        out.sort_by(|a, b| {
            (a.draft.start_local.as_str(), a.id.as_str())
                .cmp(&(b.draft.start_local.as_str(), b.id.as_str()))
        });
        Ok((out, damaged))
    }

    /// Occurrences of every appointment overlapping `[from_ms, to_ms)`, by start.
    pub fn occurrences(
        &self,
        session: &Session,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<Occurrence>> {
        if to_ms < from_ms {
            return Err(Error::invalid("to", "must not be before from"));
        }
        if to_ms - from_ms > 5 * 366 * 86_400_000 {
            return Err(Error::invalid("to", "range longer than five years"));
        }
        let (all, _) = self.list(session)?;
        let mut out = Vec::new();
        for a in all {
            out.extend(Parsed::new(a)?.occurrences(from_ms, to_ms)?);
        }
        out.sort_by(|a, b| (a.start_ms, &a.appointment_id).cmp(&(b.start_ms, &b.appointment_id)));
        Ok(out)
    }
}

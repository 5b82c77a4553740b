//! `waypoint appointment ...` and `waypoint reminders`: keep appointments and see the
//! reminders a phone would schedule.
//!
//! `--json` output is stable (README "Appointments"):
//! - appointments: the core's `Appointment` serialised with serde: `id`, `revision`,
//!   `created_at_ms`, `updated_at_ms`, `title`, `kind` (snake_case), `start_local`,
//!   `time_zone`, `all_day`, `duration_minutes`, `place`, `resource_id`, `notes`,
//!   `reminder_offsets_minutes`, `rrule`, `exceptions`;
//! - `edit` adds `cancel_notification_ids`; `delete` prints `{"deleted": id,
//!   "cancel_notification_ids": [...]}`;
//! - occurrences (`list --from/--to`): `appointment_id`, `title`, `kind`, `local_start`,
//!   `time_zone`, `start_ms`, `end_ms`, `all_day`;
//! - `reminders`: the `ReminderPlan`: `generated_at_ms`, `horizon_end_ms`, `schedule`,
//!   `cancel`, `missed`; each reminder `notification_id`, `platform_id`, `fire_at_ms`,
//!   `title`, `body`.
//!
//! Times are Unix milliseconds, UTC; local times are in the appointment's own zone.

use crate::output::outln;
use anyhow::{bail, Context};
use clap::{Args, Subcommand};
use waypoint_core::appointments::reminders::{ReminderPlan, ReminderVoice};
use waypoint_core::appointments::{Appointment, AppointmentDraft, AppointmentKind, Occurrence};
use waypoint_core::platform::DesktopNotificationScheduler;
use waypoint_core::Waypoint;

use crate::journal::{parse_time, EXPORT_PASSPHRASE_ENV};
use crate::output;
use crate::vault::{read_new_secret, unlock};

/// `waypoint appointment ...`
#[derive(Debug, Subcommand)]
pub enum AppointmentCmd {
    /// Add an appointment, e.g. `--title T --start 2026-12-01T10:00 --tz America/New_York
    /// --remind 1d --remind 1h [--rrule 'FREQ=WEEKLY;BYDAY=TU']`.
    Add {
        #[command(flatten)]
        fields: Fields,
    },
    /// List appointments by start; with --from/--to, list occurrences in that range.
    List {
        /// Occurrences from this date (YYYY-MM-DD or RFC 3339, UTC).
        #[arg(long, requires = "to")]
        from: Option<String>,
        /// Occurrences up to this date.
        #[arg(long, requires = "from")]
        to: Option<String>,
    },
    /// Show one appointment.
    Show {
        /// Appointment id.
        id: String,
    },
    /// Change an appointment: only the fields given are replaced.
    Edit {
        /// Appointment id.
        id: String,
        #[command(flatten)]
        fields: Fields,
        /// Remove the recurrence rule.
        #[arg(long, conflicts_with = "rrule")]
        no_repeat: bool,
        /// Remove every reminder.
        #[arg(long, conflicts_with = "remind")]
        no_reminders: bool,
    },
    /// Delete an appointment.
    Delete {
        /// Appointment id.
        id: String,
    },
    /// Export to an age-encrypted iCalendar file (all, or the --id ones).
    Export {
        /// Only these appointments (repeatable).
        #[arg(long = "id")]
        ids: Vec<String>,
        /// Encrypt to this age recipient (age1...).
        #[arg(long, conflicts_with = "passphrase_prompt")]
        recipient: Option<String>,
        /// Encrypt to a passphrase (prompted, or WAYPOINT_EXPORT_PASSPHRASE).
        #[arg(long)]
        passphrase_prompt: bool,
        /// Output file.
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

/// Appointment fields shared by `add` and `edit`.
#[derive(Debug, Args)]
pub struct Fields {
    /// Title.
    #[arg(long)]
    title: Option<String>,
    /// court, legal, immigration, medical, mental_health, case_worker, support_group,
    /// medication or other.
    #[arg(long)]
    kind: Option<String>,
    /// Local start in the appointment's zone: YYYY-MM-DDTHH:MM (YYYY-MM-DD with --all-day).
    #[arg(long)]
    start: Option<String>,
    /// IANA time zone of the start (e.g. America/New_York).
    #[arg(long = "tz")]
    time_zone: Option<String>,
    /// All-day appointment (reminders count back from 09:00 local).
    #[arg(long)]
    all_day: bool,
    /// Duration: 90m, 2h, or minutes.
    #[arg(long)]
    duration: Option<String>,
    /// Place.
    #[arg(long)]
    place: Option<String>,
    /// Related directory resource id.
    #[arg(long)]
    resource: Option<String>,
    /// Notes.
    #[arg(long)]
    notes: Option<String>,
    /// Reminder before the start (repeatable): 1d, 2h, 30m, or minutes.
    #[arg(long = "remind")]
    remind: Vec<String>,
    /// Recurrence (RFC 5545 subset), e.g. 'FREQ=WEEKLY;BYDAY=TU;COUNT=10'.
    #[arg(long)]
    rrule: Option<String>,
    /// Skip the occurrence on this local date (repeatable, YYYY-MM-DD).
    #[arg(long = "except")]
    except: Vec<String>,
}

/// Parses `1d`, `2h`, `30m`, `1w` or a number of minutes.
pub fn parse_minutes(s: &str) -> anyhow::Result<u32> {
    let s = s.trim().to_ascii_lowercase();
    let (num, unit) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => s.split_at(i),
        None => (s.as_str(), "m"),
    };
    let n: u32 = num
        .parse()
        .with_context(|| "durations look like 1d, 2h, 30m or 90".to_string())?;
    let mult = match unit {
        "m" | "min" => 1,
        "h" => 60,
        "d" => 1440,
        "w" => 7 * 1440,
        _ => bail!("durations look like 1d, 2h, 30m or 90"),
    };
    n.checked_mul(mult).context("duration too long")
}

impl Fields {
    fn apply(self, d: &mut AppointmentDraft) -> anyhow::Result<()> {
        if let Some(t) = self.title {
            d.title = t;
        }
        if let Some(k) = self.kind {
            d.kind = AppointmentKind::parse(&k)?;
        }
        if self.all_day {
            d.all_day = true;
        }
        if let Some(s) = self.start {
            // A bare date means all-day when not otherwise said.
            if s.len() == 10 && !s.contains('T') {
                d.all_day = true;
            } else if !self.all_day {
                d.all_day = false;
            }
            d.start_local = s;
        }
        if let Some(z) = self.time_zone {
            d.time_zone = z;
        }
        if let Some(m) = self.duration {
            d.duration_minutes = Some(parse_minutes(&m)?);
        }
        if self.place.is_some() {
            d.place = self.place;
        }
        if self.resource.is_some() {
            d.resource_id = self.resource;
        }
        if self.notes.is_some() {
            d.notes = self.notes;
        }
        if !self.remind.is_empty() {
            d.reminder_offsets_minutes = self
                .remind
                .iter()
                .map(|r| parse_minutes(r))
                .collect::<anyhow::Result<_>>()?;
        }
        if self.rrule.is_some() {
            d.rrule = self.rrule;
        }
        if !self.except.is_empty() {
            d.exceptions = self.except;
        }
        Ok(())
    }
}

fn offset_text(m: u32) -> String {
    match m {
        0 => "at start".into(),
        m if m % 1440 == 0 => format!("{}d", m / 1440),
        m if m % 60 == 0 => format!("{}h", m / 60),
        m => format!("{m}m"),
    }
}

fn print_appointment(a: &Appointment) {
    let d = &a.draft;
    outln!("{}  {} {}  {}", a.id, d.start_local, d.time_zone, d.title);
    outln!("    kind: {}", d.kind.as_str());
    if let Some(m) = d.duration_minutes {
        outln!("    duration: {m} min");
    }
    for (label, v) in [
        ("place", &d.place),
        ("resource", &d.resource_id),
        ("notes", &d.notes),
    ] {
        if let Some(v) = v {
            outln!("    {label}: {v}");
        }
    }
    if let Some(r) = &d.rrule {
        outln!("    repeats: {r}");
    }
    if !d.exceptions.is_empty() {
        outln!("    except: {}", d.exceptions.join(", "));
    }
    if !d.reminder_offsets_minutes.is_empty() {
        let r: Vec<String> = d
            .reminder_offsets_minutes
            .iter()
            .map(|m| offset_text(*m))
            .collect();
        outln!("    reminders: {}", r.join(", "));
    }
}

fn print_occurrence(o: &Occurrence) {
    outln!(
        "{}  {} {}  {}",
        o.appointment_id,
        o.local_start,
        o.time_zone,
        o.title
    );
}

/// `waypoint appointment ...`
pub fn run(wp: &Waypoint, cmd: AppointmentCmd, as_json: bool) -> anyhow::Result<()> {
    unlock(wp)?;
    let result = run_unlocked(wp, cmd, as_json);
    wp.vault().lock();
    result
}

fn run_unlocked(wp: &Waypoint, cmd: AppointmentCmd, as_json: bool) -> anyhow::Result<()> {
    match cmd {
        AppointmentCmd::Add { fields } => {
            let mut d = AppointmentDraft::default();
            if fields.title.is_none() || fields.start.is_none() || fields.time_zone.is_none() {
                bail!("add needs --title, --start and --tz");
            }
            fields.apply(&mut d)?;
            let a = wp.appointments().add(d)?;
            if as_json {
                return output::json(&a);
            }
            print_appointment(&a);
        }
        AppointmentCmd::List { from, to } => {
            if let (Some(f), Some(t)) = (from, to) {
                let occ = wp
                    .appointments()
                    .occurrences(parse_time(&f)?, parse_time(&t)?)?;
                if as_json {
                    return output::json(&occ);
                }
                occ.iter().for_each(print_occurrence);
            } else {
                let all = wp.appointments().list()?;
                if as_json {
                    return output::json(&all);
                }
                if all.is_empty() {
                    outln!("no appointments");
                }
                all.iter().for_each(print_appointment);
            }
        }
        AppointmentCmd::Show { id } => {
            let a = wp.appointments().get(id)?;
            if as_json {
                return output::json(&a);
            }
            print_appointment(&a);
        }
        AppointmentCmd::Edit {
            id,
            fields,
            no_repeat,
            no_reminders,
        } => {
            let mut d = wp.appointments().get(id.clone())?.draft;
            fields.apply(&mut d)?;
            if no_repeat {
                d.rrule = None;
                d.exceptions.clear();
            }
            if no_reminders {
                d.reminder_offsets_minutes.clear();
            }
            let change = wp.appointments().edit(id, d)?;
            if as_json {
                let mut v = serde_json::to_value(&change.appointment)?;
                v["cancel_notification_ids"] = serde_json::json!(change.cancel_notification_ids);
                return output::json(&v);
            }
            print_appointment(&change.appointment);
            if !change.cancel_notification_ids.is_empty() {
                outln!(
                    "cancel {} scheduled reminder(s)",
                    change.cancel_notification_ids.len()
                );
            }
        }
        AppointmentCmd::Delete { id } => {
            let cancel = wp.appointments().delete(id.clone())?;
            if as_json {
                return output::json(
                    &serde_json::json!({ "deleted": id, "cancel_notification_ids": cancel }),
                );
            }
            outln!("deleted {id}");
        }
        AppointmentCmd::Export {
            ids,
            recipient,
            passphrase_prompt,
            out,
        } => {
            let out = out
                .to_str()
                .context("--out must be valid UTF-8")?
                .to_owned();
            let n = match (recipient, passphrase_prompt) {
                (Some(r), _) => wp
                    .appointments()
                    .export_ics_to_recipient(ids, r, out.clone())?,
                (None, true) => {
                    let p = read_new_secret(EXPORT_PASSPHRASE_ENV, "Export passphrase: ")?;
                    wp.appointments()
                        .export_ics_to_passphrase(ids, p, out.clone())?
                }
                (None, false) => bail!("give --recipient age1... or --passphrase-prompt"),
            };
            if as_json {
                return output::json(&serde_json::json!({ "exported": n, "out": out }));
            }
            outln!("exported {n} appointment(s) to {out}");
        }
    }
    Ok(())
}

/// `waypoint reminders`: what a phone would schedule now, in the neutral voice.
#[derive(Debug, Args)]
pub struct RemindersArgs {
    /// Plan this many days ahead (1-400).
    #[arg(long, default_value_t = 30)]
    horizon_days: u32,
    /// Without the passphrase: read the sealed schedule, as a phone does after a reboot.
    #[arg(long)]
    locked: bool,
    /// Notification title (the disguise's voice).
    #[arg(long)]
    voice_title: Option<String>,
    /// Notification body (the disguise's voice).
    #[arg(long)]
    voice_body: Option<String>,
    /// Mark this notification delivered (no passphrase needed).
    #[arg(long, value_name = "ID", conflicts_with_all = ["dismiss", "snooze"])]
    delivered: Option<String>,
    /// Dismiss this notification (no passphrase needed).
    #[arg(long, value_name = "ID", conflicts_with = "snooze")]
    dismiss: Option<String>,
    /// Snooze this notification (no passphrase needed); see --minutes.
    #[arg(long, value_name = "ID")]
    snooze: Option<String>,
    /// Snooze length: 10m, 1h, or minutes.
    #[arg(long, default_value = "10m")]
    minutes: String,
}

fn print_plan(plan: &ReminderPlan) {
    let when = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default()
    };
    for r in &plan.missed {
        outln!(
            "missed    {}  {}  {}: {}",
            when(r.fire_at_ms),
            r.notification_id,
            r.title,
            r.body
        );
    }
    for r in &plan.schedule {
        outln!(
            "scheduled {}  {}  {}: {}",
            when(r.fire_at_ms),
            r.notification_id,
            r.title,
            r.body
        );
    }
    for id in &plan.cancel {
        outln!("cancel    {id}");
    }
    if plan.schedule.is_empty() && plan.missed.is_empty() {
        outln!("no reminders until {}", when(plan.horizon_end_ms));
    }
}

/// `waypoint reminders`
pub fn reminders(wp: &Waypoint, args: RemindersArgs, as_json: bool) -> anyhow::Result<()> {
    let mut voice = ReminderVoice::default();
    if let Some(t) = args.voice_title {
        voice.title = t;
    }
    if let Some(b) = args.voice_body {
        voice.body = b;
    }
    if let Some(id) = args.delivered {
        wp.appointments().reminder_delivered(id.clone())?;
        return done(as_json, "delivered", &id);
    }
    if let Some(id) = args.dismiss {
        wp.appointments().reminder_dismiss(id.clone())?;
        return done(as_json, "dismissed", &id);
    }
    if let Some(id) = args.snooze {
        let r = wp
            .appointments()
            .reminder_snooze(id, parse_minutes(&args.minutes)?, voice)?;
        if as_json {
            return output::json(&r);
        }
        outln!("snoozed {} until {}", r.notification_id, r.fire_at_ms);
        return Ok(());
    }
    let scheduler = DesktopNotificationScheduler::new();
    let plan = if args.locked {
        wp.appointments()
            .reschedule_locked_reminders(scheduler, voice)?
    } else {
        unlock(wp)?;
        let plan = wp
            .appointments()
            .sync_reminders(scheduler, args.horizon_days, voice);
        wp.vault().lock();
        plan?
    };
    if as_json {
        return output::json(&plan);
    }
    print_plan(&plan);
    Ok(())
}

fn done(as_json: bool, what: &str, id: &str) -> anyhow::Result<()> {
    if as_json {
        return output::json(&serde_json::json!({ what: id }));
    }
    outln!("{what} {id}");
    Ok(())
}

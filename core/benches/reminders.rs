//! Reminder planning figures next to the raw primitives, measured in the same run.
//!
//! 1,000 appointments with recurrence (weekly on days, daily with a count, monthly by day
//! and by weekday, one-off, some all-day), in nine zones, seven of them with DST, two
//! reminder offsets each. The fake clock reads 2027-02-20 so the 90-day horizon crosses the
//! US (14 March), EU (28 March) and southern-hemisphere (Santiago, Sydney; early April)
//! clock changes. There is no DESIGN.md target for this figure; it shows what re-planning
//! (on unlock, on every edit, after a reboot) costs.
//!
//! Figures: `reminder_plan(90 days)` median and p90 (load + unseal the schedule, decrypt
//! and parse every appointment, expand, plan, seal and store the schedule) and how many
//! reminders it produced; beside it, the raw primitives: XChaCha20-Poly1305 opens of the
//! same 1,000 ciphertext sizes, and expanding the same rules alone with the `rrule` crate.
//!
//! Run: `cargo bench -p waypoint-core --bench reminders`. Prints figures; asserts nothing.
//! The vault uses the release work factor (setup and unlock are not timed).

mod common;
use common::raw_opens;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use rand::{Rng, SeedableRng};
use waypoint_core::appointments::reminders::{self, IdKey, ReminderVoice};
use waypoint_core::appointments::{AppointmentDraft, AppointmentKind, Parsed};
use waypoint_core::crypto::SecretKey;
use waypoint_core::platform::FakeClock;
use waypoint_core::platform::{FileKeyStore, KeyStore};
use waypoint_core::vault::VaultConfig;
use waypoint_core::Core;

const APPOINTMENTS: usize = 1_000;
const HORIZON_DAYS: u32 = 90;
const SAMPLES: usize = 15;
const PASS: &str = "benchmark passphrase";
const ZONES: &[&str] = &[
    "America/New_York",
    "America/Los_Angeles",
    "America/Chicago",
    "Europe/London",
    "Europe/Paris",
    "America/Santiago",
    "Australia/Sydney",
    "America/Phoenix",
    "Asia/Kolkata",
];
const OFFSETS: &[[u32; 2]] = &[[1440, 60], [2880, 120], [1440, 0], [60, 15], [4320, 1440]];

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(v: &[Duration], p: f64) -> Duration {
    let mut v = v.to_vec();
    v.sort();
    v[((v.len() - 1) as f64 * p).round() as usize]
}

fn now_ms() -> i64 {
    chrono::Utc
        .with_ymd_and_hms(2027, 2, 20, 10, 0, 0)
        .single()
        .expect("valid date")
        .timestamp_millis()
}

/// A recurrence mix like a survivor's calendar: weekly counselling and classes, daily
/// medication for a course, monthly check-ins, and one-off court and visa dates.
fn draft(rng: &mut impl Rng, i: usize) -> AppointmentDraft {
    let start_day = NaiveDate::from_ymd_opt(2027, 2, 20).expect("date")
        + chrono::Duration::days(rng.gen_range(-60..80));
    let hour = rng.gen_range(7..19);
    let minute = [0, 15, 30, 45][rng.gen_range(0..4)];
    let zone = ZONES[rng.gen_range(0..ZONES.len())];
    let (rrule, all_day, kind) = match rng.gen_range(0..100) {
        0..=34 => {
            let days = ["MO", "TU", "WE", "TH", "FR", "SA"];
            let n = rng.gen_range(1..4);
            let mut by: Vec<&str> = (0..n).map(|_| days[rng.gen_range(0..days.len())]).collect();
            by.sort();
            by.dedup();
            let interval = if rng.gen_bool(0.25) {
                ";INTERVAL=2"
            } else {
                ""
            };
            let until_ok = start_day < NaiveDate::from_ymd_opt(2027, 4, 20).expect("date");
            let until = if until_ok && rng.gen_bool(0.3) {
                ";UNTIL=20270430"
            } else {
                ""
            };
            (
                Some(format!(
                    "FREQ=WEEKLY;BYDAY={}{interval}{until}",
                    by.join(",")
                )),
                false,
                AppointmentKind::MentalHealth,
            )
        }
        35..=54 => (
            Some(format!("FREQ=DAILY;COUNT={}", rng.gen_range(7..60))),
            false,
            AppointmentKind::Medication,
        ),
        55..=69 => {
            let rule = if rng.gen_bool(0.5) {
                format!("FREQ=MONTHLY;BYMONTHDAY={}", rng.gen_range(1..29))
            } else {
                let ord = ["1", "2", "3", "-1"][rng.gen_range(0..4)];
                let day = ["MO", "TU", "WE", "TH", "FR"][rng.gen_range(0..5)];
                format!("FREQ=MONTHLY;BYDAY={ord}{day}")
            };
            (Some(rule), false, AppointmentKind::Medical)
        }
        70..=79 => (None, true, AppointmentKind::Immigration),
        _ => (None, false, AppointmentKind::Court),
    };
    let start_local = if all_day {
        start_day.format("%Y-%m-%d").to_string()
    } else {
        format!("{}T{hour:02}:{minute:02}", start_day.format("%Y-%m-%d"))
    };
    AppointmentDraft {
        title: format!("Appointment {i} with the case worker about the next steps"),
        kind,
        start_local,
        time_zone: zone.into(),
        all_day,
        duration_minutes: (!all_day).then_some(60),
        place: rng
            .gen_bool(0.5)
            .then(|| "Room 4, 120 Main Street".to_owned()),
        resource_id: None,
        notes: rng
            .gen_bool(0.3)
            .then(|| "Bring the letter, the passport copy and the list of questions.".into()),
        reminder_offsets_minutes: OFFSETS[rng.gen_range(0..OFFSETS.len())].to_vec(),
        rrule,
        exceptions: Vec::new(),
    }
}

fn padded_lengths(dir: &std::path::Path) -> Vec<usize> {
    let conn = rusqlite::Connection::open(dir.join("store.db")).expect("db");
    let mut st = conn
        .prepare("SELECT length(sealed) FROM appointments")
        .expect("prepare");
    let rows = st.query_map([], |r| r.get::<_, i64>(0)).expect("query");
    // Minus version byte, nonce and tag: the padded plaintext length.
    rows.map(|r| r.expect("row") as usize - 41).collect()
}

/// The same rules expanded by the `rrule` crate alone over the horizon (plus the two days
/// of slack and the longest offset the planner looks at), naive wall times labelled UTC
/// as the planner does; no zones, no reminders, no ids.
fn raw_rrule(
    drafts: &[AppointmentDraft],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> (Duration, usize) {
    let sets: Vec<rrule::RRuleSet> = drafts
        .iter()
        .filter_map(|d| {
            let rule = d.rrule.as_ref()?;
            let start = if d.all_day {
                format!("{}T000000", d.start_local.replace('-', ""))
            } else {
                format!("{}00", d.start_local.replace(['-', ':'], ""))
            };
            let rule = rule.replace("UNTIL=20270430", "UNTIL=20270430T235959Z");
            Some(
                format!("DTSTART:{start}Z\nRRULE:{rule}")
                    .parse()
                    .expect("rule parses"),
            )
        })
        .collect();
    let lo = rrule::Tz::UTC.from_utc_datetime(&from);
    let hi = rrule::Tz::UTC.from_utc_datetime(&to);
    let t = Instant::now();
    let mut n = 0;
    for set in &sets {
        let mut i = 0;
        for dt in set {
            i += 1;
            if dt > hi || i > 5000 {
                break;
            }
            if dt >= lo {
                n += 1;
            }
        }
    }
    (t.elapsed(), n)
}

fn main() {
    let mut rng = rand::rngs::StdRng::seed_from_u64(11);
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(now_ms()));
    let ks: Arc<dyn KeyStore> = FileKeyStore::new(dir.path().to_string_lossy().into_owned());
    let wp = Core::open_with_config(
        dir.path().to_string_lossy().into_owned(),
        clock.clone(),
        Some(ks),
        VaultConfig::default(),
    )
    .expect("open");
    wp.setup(PASS.into()).expect("setup");

    let drafts: Vec<AppointmentDraft> = (0..APPOINTMENTS).map(|i| draft(&mut rng, i)).collect();
    for d in &drafts {
        wp.appointment_add(d.clone()).expect("add");
    }
    let recurring = drafts.iter().filter(|d| d.rrule.is_some()).count();

    // First plan: no earlier schedule, so everything is new.
    let t = Instant::now();
    let first = wp
        .reminder_plan(HORIZON_DAYS, ReminderVoice::default())
        .expect("plan");
    let first_time = t.elapsed();
    // Re-plans at the same instant: the steady state (on unlock, after every edit).
    let mut times = Vec::with_capacity(SAMPLES);
    let mut plan = first.clone();
    for _ in 0..SAMPLES {
        let t = Instant::now();
        plan = wp
            .reminder_plan(HORIZON_DAYS, ReminderVoice::default())
            .expect("plan");
        times.push(t.elapsed());
    }

    // Every reminder due in the horizon, before the platform cap on scheduled alarms.
    let list_t = Instant::now();
    let all = wp.appointment_list().expect("list");
    let list_time = list_t.elapsed();
    let parsed: Vec<Parsed> = all
        .into_iter()
        .map(|a| Parsed::new(a).expect("parses"))
        .collect();
    let key = IdKey::from_secret(SecretKey::generate());
    let horizon_end = now_ms() + i64::from(HORIZON_DAYS) * 86_400_000;
    let mut due_times = Vec::new();
    let mut due = 0;
    for _ in 0..5 {
        let t = Instant::now();
        due = reminders::reminders_between(&key, &parsed, now_ms(), horizon_end)
            .expect("due")
            .len();
        due_times.push(t.elapsed());
    }

    // Raw primitives.
    let lengths = padded_lengths(dir.path());
    let raw_aead = percentile(
        &(0..5).map(|_| raw_opens(&lengths)).collect::<Vec<_>>(),
        0.5,
    );
    let from = chrono::DateTime::from_timestamp_millis(now_ms())
        .expect("now")
        .naive_utc()
        - chrono::Duration::days(2);
    let to = chrono::DateTime::from_timestamp_millis(horizon_end)
        .expect("end")
        .naive_utc()
        + chrono::Duration::days(5);
    let mut rrule_times = Vec::new();
    let mut expanded = 0;
    for _ in 0..5 {
        let (d, n) = raw_rrule(&drafts, from, to);
        rrule_times.push(d);
        expanded = n;
    }

    println!(
        "reminders: {APPOINTMENTS} appointments ({recurring} recurring, 9 zones), 2 offsets each, {HORIZON_DAYS}-day horizon"
    );
    println!(
        "  reminder_plan, first (empty schedule):        {:8.1} ms",
        ms(first_time)
    );
    println!(
        "  reminder_plan, re-plan: median {:8.1} ms, p90 {:8.1} ms over {SAMPLES}",
        ms(percentile(&times, 0.5)),
        ms(percentile(&times, 0.9))
    );
    println!(
        "    scheduled {} reminders (cap {}), horizon end {:.1} days ahead; {} due in the full horizon",
        plan.schedule.len(),
        reminders::MAX_SCHEDULED,
        (plan.horizon_end_ms - now_ms()) as f64 / 86_400_000.0,
        due
    );
    println!(
        "    of which: appointment_list (decrypt + deserialise {APPOINTMENTS}): {:6.1} ms; reminders_between alone: {:6.1} ms",
        ms(list_time),
        ms(percentile(&due_times, 0.5))
    );
    println!(
        "  raw XChaCha20-Poly1305 open of the same {} ciphertext sizes: {:6.2} ms",
        lengths.len(),
        ms(raw_aead)
    );
    println!(
        "  raw rrule crate expansion of the same {recurring} rules over the horizon: {:6.2} ms ({expanded} occurrences)",
        ms(percentile(&rrule_times, 0.5))
    );
}

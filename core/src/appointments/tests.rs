//! Appointment promises: round trips, DST and travel, recurrence with exceptions, neutral
//! notifications, the sealed schedule while locked, missed/snooze/dismiss, cancellation,
//! nothing at rest in plaintext, encrypted export.

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use proptest::prelude::*;

use super::reminders::{self, IdKey, NotificationScheduler, ReminderVoice, Schedule};
use super::*;
use crate::app::Core;
use crate::platform::FakeClock;
use crate::platform::{FileKeyStore, KeyStore};
use crate::test_support::{all_files, assert_no_marker_on_disk};
use crate::vault::VaultConfig;

const PASS: &str = "appointment pass";
const HOUR: i64 = 3_600_000;
const DAY: i64 = 86_400_000;

fn ms(s: &str) -> i64 {
    chrono::DateTime::parse_from_rfc3339(s)
        .expect("rfc3339")
        .timestamp_millis()
}

fn open(dir: &Path, clock: &Arc<FakeClock>) -> Arc<Core> {
    let ks: Arc<dyn KeyStore> = FileKeyStore::new(dir.to_string_lossy().into_owned());
    Core::open_with_config(
        dir.to_string_lossy().into_owned(),
        clock.clone(),
        Some(ks),
        VaultConfig::for_tests(4),
    )
    .expect("open")
}

fn setup(dir: &Path, now: &str) -> (Arc<Core>, Arc<FakeClock>) {
    let clock = Arc::new(FakeClock::new(ms(now)));
    let wp = open(dir, &clock);
    wp.setup(PASS.into()).expect("setup");
    (wp, clock)
}

fn draft(title: &str, start: &str, tz: &str, offsets: &[u32]) -> AppointmentDraft {
    AppointmentDraft {
        title: title.into(),
        kind: AppointmentKind::Court,
        start_local: start.into(),
        time_zone: tz.into(),
        reminder_offsets_minutes: offsets.to_vec(),
        ..AppointmentDraft::default()
    }
}

fn voice() -> ReminderVoice {
    ReminderVoice::default()
}

fn fire_times(plan: &reminders::ReminderPlan) -> Vec<i64> {
    plan.schedule.iter().map(|r| r.fire_at_ms).collect()
}

/// Fire times of one appointment's reminders in `(from, to]`, computed by the pure planner.
fn fires(d: AppointmentDraft, from: &str, to: &str) -> Vec<i64> {
    let a = Appointment {
        id: "00112233445566778899aabbccddeeff".into(),
        revision: 1,
        created_at_ms: 0,
        updated_at_ms: 0,
        draft: validate(&d).expect("valid"),
    };
    let p = Parsed::new(a).expect("parse");
    let key = IdKey::from_secret(crate::crypto::SecretKey::generate());
    reminders::reminders_between(&key, &[p], ms(from), ms(to))
        .expect("plan")
        .into_iter()
        .map(|d| d.fire_at_ms)
        .collect()
}

#[test]
fn add_get_list_edit_delete_round_trip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, clock) = setup(dir.path(), "2026-11-01T12:00:00Z");
    let mut d = draft(
        "Hearing",
        "2026-12-01T10:00",
        "America/New_York",
        &[60, 1440],
    );
    d.place = Some("  Family court room 4 ".into());
    d.notes = Some("bring the letter".into());
    d.rrule = Some("freq=weekly;byday=tu".into());
    d.exceptions = vec!["2026-12-15".into(), "2026-12-08".into()];
    let a = wp.appointment_add(d).expect("add");
    assert_eq!(a.revision, 1);
    assert_eq!(a.draft.place.as_deref(), Some("Family court room 4"));
    assert_eq!(a.draft.rrule.as_deref(), Some("FREQ=WEEKLY;BYDAY=TU"));
    assert_eq!(
        a.draft.reminder_offsets_minutes,
        [1440, 60],
        "longest first"
    );
    assert_eq!(a.draft.exceptions, ["2026-12-08", "2026-12-15"]);
    assert_eq!(wp.appointment_get(a.id.clone()).expect("get"), a);
    assert_eq!(
        wp.appointment_list().expect("list"),
        std::slice::from_ref(&a)
    );

    clock.advance(1000);
    let mut d2 = a.draft.clone();
    d2.title = "Hearing moved".into();
    let changed = wp.appointment_edit(a.id.clone(), d2).expect("edit");
    assert_eq!(changed.appointment.revision, 2);
    assert_eq!(changed.appointment.created_at_ms, a.created_at_ms);
    assert_eq!(
        wp.appointment_get(a.id.clone()).expect("get").draft.title,
        "Hearing moved"
    );

    wp.appointment_delete(a.id.clone()).expect("delete");
    assert!(matches!(
        wp.appointment_get(a.id.clone()),
        Err(crate::Error::NotFound)
    ));
    assert!(wp.appointment_list().expect("list").is_empty());
    assert!(matches!(
        wp.appointment_delete(a.id),
        Err(crate::Error::NotFound)
    ));
}

#[test]
fn invalid_input_names_the_field_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path(), "2026-11-01T12:00:00Z");
    let good = draft("Clinic", "2026-12-01T10:00", "Europe/London", &[60]);
    let cases: Vec<(&str, AppointmentDraft)> = vec![
        (
            "title",
            AppointmentDraft {
                title: "  ".into(),
                ..good.clone()
            },
        ),
        (
            "time_zone",
            AppointmentDraft {
                time_zone: "Europe/Atlantis".into(),
                ..good.clone()
            },
        ),
        (
            "start",
            AppointmentDraft {
                start_local: "tomorrow".into(),
                ..good.clone()
            },
        ),
        (
            "rrule",
            AppointmentDraft {
                rrule: Some("FREQ=YEARLY".into()),
                ..good.clone()
            },
        ),
        (
            "exceptions",
            AppointmentDraft {
                exceptions: vec!["12/01/2026".into()],
                ..good.clone()
            },
        ),
        (
            "reminder_offsets_minutes",
            AppointmentDraft {
                reminder_offsets_minutes: vec![99_999],
                ..good.clone()
            },
        ),
        (
            "duration_minutes",
            AppointmentDraft {
                duration_minutes: Some(0),
                ..good.clone()
            },
        ),
    ];
    for (field, d) in cases {
        match wp.appointment_add(d) {
            Err(crate::Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
            other => panic!("{field}: expected invalid input, got {other:?}"),
        }
    }
    assert!(wp.appointment_list().expect("list").is_empty());
    assert!(matches!(
        wp.appointment_get("not-an-id".into()),
        Err(crate::Error::InvalidInput { .. })
    ));
}

#[test]
fn locked_operations_say_locked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path(), "2026-11-01T12:00:00Z");
    wp.lock();
    assert!(matches!(
        wp.appointment_add(draft("x", "2026-12-01T10:00", "UTC", &[])),
        Err(crate::Error::Locked)
    ));
    assert!(matches!(wp.appointment_list(), Err(crate::Error::Locked)));
    assert!(matches!(
        wp.reminder_plan(30, voice()),
        Err(crate::Error::Locked)
    ));
}

// ---- DST, midnight, all-day, travel -------------------------------------------------

#[test]
fn new_york_spring_forward_reminders_keep_wall_time() {
    // DST starts 2026-03-08 02:00 EST -> 03:00 EDT.
    // Saturday before (EST) and Monday after (EDT): 09:00 local both.
    assert_eq!(
        fires(
            draft("a", "2026-03-07T09:00", "America/New_York", &[60]),
            "2026-03-01T00:00:00Z",
            "2026-03-31T00:00:00Z"
        ),
        [ms("2026-03-07T13:00:00Z")]
    );
    assert_eq!(
        fires(
            draft("a", "2026-03-09T09:00", "America/New_York", &[60]),
            "2026-03-01T00:00:00Z",
            "2026-03-31T00:00:00Z"
        ),
        [ms("2026-03-09T12:00:00Z")]
    );
    // "1 day before" Sunday 09:00 EDT is Saturday 09:00 EST: 23 hours earlier, same wall time.
    assert_eq!(
        fires(
            draft("a", "2026-03-08T09:00", "America/New_York", &[1440]),
            "2026-03-01T00:00:00Z",
            "2026-03-31T00:00:00Z"
        ),
        [ms("2026-03-07T14:00:00Z")]
    );
    // The skipped hour: 02:30 does not exist; it is 03:30 EDT (07:30 UTC). "1 hour before"
    // is elapsed time across the gap: 06:30 UTC = 01:30 EST.
    assert_eq!(
        fires(
            draft("a", "2026-03-08T02:30", "America/New_York", &[0, 60]),
            "2026-03-01T00:00:00Z",
            "2026-03-31T00:00:00Z"
        ),
        [ms("2026-03-08T06:30:00Z"), ms("2026-03-08T07:30:00Z")]
    );
}

#[test]
fn new_york_fall_back_repeated_hour_takes_the_first() {
    // DST ends 2026-11-01 02:00 EDT -> 01:00 EST; 01:30 happens twice.
    assert_eq!(
        fires(
            draft("a", "2026-11-01T01:30", "America/New_York", &[0, 30]),
            "2026-10-01T00:00:00Z",
            "2026-11-30T00:00:00Z"
        ),
        [ms("2026-11-01T05:00:00Z"), ms("2026-11-01T05:30:00Z")]
    );
    // A day-before reminder for Monday 09:00 EST fires Sunday 09:00 EST; for Sunday 09:00
    // EST it fires Saturday 09:00 EDT (25 hours earlier).
    assert_eq!(
        fires(
            draft("a", "2026-11-01T09:00", "America/New_York", &[1440]),
            "2026-10-01T00:00:00Z",
            "2026-11-30T00:00:00Z"
        ),
        [ms("2026-10-31T13:00:00Z")]
    );
}

#[test]
fn london_both_transitions_including_skipped_and_repeated_hour() {
    // BST starts 2026-03-29 01:00 GMT -> 02:00 BST.
    assert_eq!(
        fires(
            draft("a", "2026-03-28T09:00", "Europe/London", &[0]),
            "2026-03-01T00:00:00Z",
            "2026-04-30T00:00:00Z"
        ),
        [ms("2026-03-28T09:00:00Z")]
    );
    assert_eq!(
        fires(
            draft("a", "2026-03-30T09:00", "Europe/London", &[0]),
            "2026-03-01T00:00:00Z",
            "2026-04-30T00:00:00Z"
        ),
        [ms("2026-03-30T08:00:00Z")]
    );
    // Skipped: 01:30 on 2026-03-29 is read as GMT (01:30 UTC = 02:30 BST).
    assert_eq!(
        fires(
            draft("a", "2026-03-29T01:30", "Europe/London", &[0]),
            "2026-03-01T00:00:00Z",
            "2026-04-30T00:00:00Z"
        ),
        [ms("2026-03-29T01:30:00Z")]
    );
    // Repeated: 01:30 on 2026-10-25 is the first one (BST, 00:30 UTC).
    assert_eq!(
        fires(
            draft("a", "2026-10-25T01:30", "Europe/London", &[0]),
            "2026-10-01T00:00:00Z",
            "2026-11-30T00:00:00Z"
        ),
        [ms("2026-10-25T00:30:00Z")]
    );
    // A weekly 09:00 meeting across the autumn change stays at 09:00 local.
    let mut d = draft("a", "2026-10-20T09:00", "Europe/London", &[0]);
    d.rrule = Some("FREQ=WEEKLY;COUNT=2".into());
    assert_eq!(
        fires(d, "2026-10-01T00:00:00Z", "2026-11-30T00:00:00Z"),
        [ms("2026-10-20T08:00:00Z"), ms("2026-10-27T09:00:00Z")]
    );
}

#[test]
fn offsets_cross_midnight_and_dst_together() {
    // 00:30 London on the day BST starts; 1 hour before is 23:30 GMT the day before.
    assert_eq!(
        fires(
            draft("a", "2026-03-29T00:30", "Europe/London", &[60]),
            "2026-03-01T00:00:00Z",
            "2026-04-30T00:00:00Z"
        ),
        [ms("2026-03-28T23:30:00Z")]
    );
    // 03:00 EDT on spring-forward day, 2 hours before: elapsed time across the gap,
    // 07:00 UTC - 2 h = 05:00 UTC = 00:00 EST (wall clock says 3 hours earlier).
    assert_eq!(
        fires(
            draft("a", "2026-03-08T03:00", "America/New_York", &[120]),
            "2026-03-01T00:00:00Z",
            "2026-03-31T00:00:00Z"
        ),
        [ms("2026-03-08T05:00:00Z")]
    );
    // 00:15 with "1 day" and "30 minutes": previous day 00:15 and 23:45 the day before.
    assert_eq!(
        fires(
            draft("a", "2026-06-10T00:15", "Europe/London", &[1440, 30]),
            "2026-06-01T00:00:00Z",
            "2026-06-30T00:00:00Z"
        ),
        [ms("2026-06-08T23:15:00Z"), ms("2026-06-09T22:45:00Z")]
    );
}

#[test]
fn all_day_reminders_count_back_from_nine_local() {
    let mut d = draft("a", "2026-12-01", "America/New_York", &[0, 1440]);
    d.all_day = true;
    assert_eq!(
        fires(d.clone(), "2026-11-01T00:00:00Z", "2026-12-31T00:00:00Z"),
        [ms("2026-11-30T14:00:00Z"), ms("2026-12-01T14:00:00Z")]
    );
    // Occurrence spans local midnight to midnight.
    let a = Appointment {
        id: "00112233445566778899aabbccddeeff".into(),
        revision: 1,
        created_at_ms: 0,
        updated_at_ms: 0,
        draft: validate(&d).expect("valid"),
    };
    let occ = Parsed::new(a)
        .expect("parse")
        .occurrences(ms("2026-11-01T00:00:00Z"), ms("2026-12-31T00:00:00Z"))
        .expect("occurrences");
    assert_eq!(occ.len(), 1);
    assert_eq!(occ[0].start_ms, ms("2026-12-01T05:00:00Z"));
    assert_eq!(occ[0].end_ms, ms("2026-12-02T05:00:00Z"));
    assert_eq!(occ[0].local_start, "2026-12-01");
}

#[test]
fn the_appointments_zone_wins_when_travelling() {
    // The same "09:00" in three zones is three instants; the device's zone is never read
    // (planning has no input for it), so a person who flies to Tokyo is still reminded at
    // 09:00 New York time for a New York hearing.
    let t = |tz| {
        fires(
            draft("a", "2026-07-01T09:00", tz, &[0]),
            "2026-06-01T00:00:00Z",
            "2026-07-31T00:00:00Z",
        )
    };
    assert_eq!(t("America/New_York"), [ms("2026-07-01T13:00:00Z")]);
    assert_eq!(t("Europe/London"), [ms("2026-07-01T08:00:00Z")]);
    assert_eq!(t("Asia/Tokyo"), [ms("2026-07-01T00:00:00Z")]);
}

#[test]
fn recurrence_with_exceptions_in_the_plan_and_in_occurrences() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path(), "2026-11-30T00:00:00Z");
    let mut d = draft("Group", "2026-12-01T18:00", "America/New_York", &[60]);
    d.kind = AppointmentKind::SupportGroup;
    d.rrule = Some("FREQ=WEEKLY;BYDAY=TU;COUNT=4".into());
    d.exceptions = vec!["2026-12-08".into()];
    wp.appointment_add(d).expect("add");
    let plan = wp.reminder_plan(60, voice()).expect("plan");
    assert_eq!(
        fire_times(&plan),
        [
            ms("2026-12-01T22:00:00Z"),
            ms("2026-12-15T22:00:00Z"),
            ms("2026-12-22T22:00:00Z")
        ]
    );
    let occ = wp
        .appointment_occurrences(ms("2026-11-01T00:00:00Z"), ms("2027-01-31T00:00:00Z"))
        .expect("occurrences");
    let days: Vec<&str> = occ.iter().map(|o| o.local_start.as_str()).collect();
    assert_eq!(
        days,
        ["2026-12-01T18:00", "2026-12-15T18:00", "2026-12-22T18:00"]
    );
    assert!(occ.iter().all(|o| o.end_ms - o.start_ms == HOUR));
}

// ---- ids and neutral text -----------------------------------------------------------

#[test]
fn notification_ids_are_stable_opaque_and_distinct() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path(), "2026-11-30T00:00:00Z");
    let mut d = draft("Therapy", "2026-12-01T10:00", "Europe/London", &[60, 1440]);
    d.rrule = Some("FREQ=DAILY;COUNT=5".into());
    let a = wp.appointment_add(d).expect("add");
    let p1 = wp.reminder_plan(30, voice()).expect("plan");
    assert_eq!(p1.schedule.len(), 10);
    let ids: std::collections::HashSet<_> = p1
        .schedule
        .iter()
        .map(|r| r.notification_id.clone())
        .collect();
    assert_eq!(ids.len(), 10, "distinct");
    for r in &p1.schedule {
        assert_eq!(r.notification_id.len(), 32);
        assert!(r.notification_id.bytes().all(|b| b.is_ascii_hexdigit()));
        assert!(
            !r.notification_id.contains(&a.id[..8]),
            "not derived visibly from the id"
        );
        assert!(r.platform_id >= 0);
    }
    // Same ids after re-planning and after lock/unlock.
    wp.lock();
    wp.unlock(PASS.into()).expect("unlock");
    let p2 = wp.reminder_plan(30, voice()).expect("plan");
    assert_eq!(p1.schedule, p2.schedule);
    assert!(
        p2.cancel.is_empty(),
        "nothing to cancel when nothing changed"
    );
}

fn word() -> impl Strategy<Value = String> {
    "[a-zA-Z]{4,12}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Whatever an appointment says, its notifications say only the voice.
    #[test]
    fn neutral_text_contains_none_of_the_appointments_words(
        title in proptest::collection::vec(word(), 1..6),
        place in proptest::collection::vec(word(), 0..4),
        notes in proptest::collection::vec(word(), 0..6),
        resource in word(),
        kind in 0usize..9,
        hour in 0u32..24,
        offsets in proptest::collection::vec(0u32..5000, 1..4),
        custom_voice in proptest::bool::ANY,
    ) {
        let voice = if custom_voice {
            ReminderVoice { title: "Calculator".into(), body: "Tap to continue".into() }
        } else {
            ReminderVoice::default()
        };
        let d = AppointmentDraft {
            title: title.join(" "),
            kind: AppointmentKind::ALL[kind],
            start_local: format!("2026-12-10T{hour:02}:00"),
            time_zone: "America/New_York".into(),
            place: (!place.is_empty()).then(|| place.join(" ")),
            resource_id: Some(resource.clone()),
            notes: (!notes.is_empty()).then(|| notes.join(" ")),
            reminder_offsets_minutes: offsets,
            rrule: Some("FREQ=DAILY;COUNT=3".into()),
            ..AppointmentDraft::default()
        };
        let a = Appointment {
            id: new_id(),
            revision: 1,
            created_at_ms: 0,
            updated_at_ms: 0,
            draft: validate(&d).expect("valid"),
        };
        let p = Parsed::new(a).expect("parse");
        let key = IdKey::from_secret(crate::crypto::SecretKey::generate());
        let now = ms("2026-11-01T00:00:00Z");
        let (plan, _) = reminders::plan(&key, &[p], &Schedule::default(), now, 90, &voice).expect("plan");
        prop_assert!(!plan.schedule.is_empty());
        let voice_text = format!("{} {}", voice.title, voice.body).to_lowercase();
        let mut words: Vec<String> = title.iter().chain(&place).chain(&notes).cloned().collect();
        words.push(resource);
        words.push(AppointmentKind::ALL[kind].as_str().to_owned());
        for r in &plan.schedule {
            prop_assert_eq!(&r.title, &voice.title);
            prop_assert_eq!(&r.body, &voice.body);
            let shown = format!("{} {} {}", r.title, r.body, r.notification_id).to_lowercase();
            for w in &words {
                let w = w.to_lowercase();
                if voice_text.contains(&w) {
                    continue; // a random word that happens to be in the voice itself
                }
                prop_assert!(!shown.contains(&w), "word {} leaked", w);
            }
        }
    }
}

// ---- the sealed schedule ------------------------------------------------------------

const MARKERS: [&str; 5] = [
    "QzTitleMarker",
    "QzPlaceMarker",
    "QzNotesMarker",
    "QzResourceMarker",
    "Europe/Zurich",
];

fn marked_draft() -> AppointmentDraft {
    AppointmentDraft {
        title: format!("{} hearing", MARKERS[0]),
        kind: AppointmentKind::Immigration,
        start_local: "2026-12-01T10:00".into(),
        time_zone: MARKERS[4].into(),
        all_day: false,
        duration_minutes: Some(90),
        place: Some(MARKERS[1].into()),
        resource_id: Some(MARKERS[3].into()),
        notes: Some(format!("{} {}", MARKERS[2], "padding ".repeat(50))),
        reminder_offsets_minutes: vec![60, 1440],
        rrule: Some("FREQ=WEEKLY;BYDAY=TU".into()),
        exceptions: vec!["2026-12-08".into()],
    }
}

#[test]
fn sealed_schedule_is_readable_while_locked_and_holds_only_times_and_ids() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, clock) = setup(dir.path(), "2026-11-29T00:00:00Z");
    wp.appointment_add(marked_draft()).expect("add");
    let unlocked = wp.reminder_plan(30, voice()).expect("plan");
    assert!(!unlocked.schedule.is_empty());

    // "Reboot": a fresh process, vault locked, no passphrase.
    wp.lock();
    drop(wp);
    let wp = open(dir.path(), &clock);
    let locked = wp.reminders_locked_plan(voice()).expect("locked plan");
    assert_eq!(
        locked.schedule, unlocked.schedule,
        "same ids, times and neutral text"
    );

    // The plaintext the platform key protects: scan it for anything about the appointment.
    let ks = FileKeyStore::new(dir.path().to_string_lossy().into_owned());
    let sealed: Vec<u8> = wp
        .store
        .with_conn(
            |c| Ok(c.query_row("SELECT sealed FROM appointment_schedule", [], |r| r.get(0))?),
        )
        .expect("row");
    let plain =
        crate::platform::open_row(ks.as_ref(), reminders::SCHEDULE_LABEL, &sealed).expect("unseal");
    let text = String::from_utf8(plain.clone()).expect("json");
    let lower = text.to_lowercase();
    for forbidden in MARKERS.iter().map(|m| m.to_lowercase()).chain([
        "immigration".into(),
        "hearing".into(),
        "zurich".into(),
        "reminder".into(),
        "event".into(),
    ]) {
        assert!(!lower.contains(&forbidden), "{forbidden} in the schedule");
    }
    // And structurally: only ids, integers and states.
    let v: serde_json::Value = serde_json::from_slice(&plain).expect("json");
    let mut keys: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["entries", "reported_through_ms", "v"]);
    for e in v["entries"].as_array().expect("entries") {
        let mut k: Vec<&str> = e
            .as_object()
            .expect("entry")
            .keys()
            .map(String::as_str)
            .collect();
        k.sort_unstable();
        assert_eq!(k, ["at", "id", "orig", "p", "state"]);
    }
}

#[test]
fn no_plaintext_at_rest_for_appointments() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path(), "2026-11-29T00:00:00Z");
    let a = wp.appointment_add(marked_draft()).expect("add");
    wp.reminder_plan(30, voice()).expect("plan");
    let mut d = marked_draft();
    d.title = format!("{} moved", MARKERS[0]);
    wp.appointment_edit(a.id.clone(), d).expect("edit");
    wp.appointment_add(marked_draft()).expect("second");
    // While open (WAL and -shm present) and after closing.
    assert_no_marker_on_disk(dir.path(), &MARKERS, true);
    wp.lock();
    drop(wp);
    assert_no_marker_on_disk(dir.path(), &MARKERS, false);
}

#[test]
fn debug_output_carries_no_appointment_content() {
    let d = marked_draft();
    let a = Appointment {
        id: new_id(),
        revision: 1,
        created_at_ms: 0,
        updated_at_ms: 0,
        draft: d.clone(),
    };
    let shown = format!("{d:?} {a:?} {:?}", d.kind);
    for m in MARKERS {
        assert!(!shown.contains(m), "{m} in Debug output");
    }
    assert!(!shown.to_lowercase().contains("immigration"));
}

// ---- missed, snooze, dismiss, cancel -------------------------------------------------

#[test]
fn missed_reminders_are_reported_once_and_delivered_ones_never() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, clock) = setup(dir.path(), "2026-11-30T00:00:00Z");
    let mut d = draft("Meds", "2026-12-01T08:00", "Europe/London", &[0]);
    d.kind = AppointmentKind::Medication;
    d.rrule = Some("FREQ=DAILY".into());
    wp.appointment_add(d).expect("add");
    let first = wp.reminder_plan(7, voice()).expect("plan");
    assert!(first.missed.is_empty(), "nothing missed on the first plan");
    let day1 = first.schedule[0].clone();
    let day2 = first.schedule[1].clone();
    assert_eq!(day1.fire_at_ms, ms("2026-12-01T08:00:00Z"));

    // Day 1 fires and the platform reports it delivered; day 2 fires with the phone off.
    clock.set(ms("2026-12-01T08:00:01Z"));
    wp.reminder_delivered(day1.notification_id.clone())
        .expect("delivered");
    clock.set(ms("2026-12-02T12:00:00Z"));
    let next = wp.reminder_plan(7, voice()).expect("plan");
    assert_eq!(
        next.missed,
        std::slice::from_ref(&day2),
        "day 2 missed, day 1 not"
    );
    assert_eq!(next.missed[0].title, "Reminder");
    let again = wp.reminder_plan(7, voice()).expect("plan");
    assert!(again.missed.is_empty(), "reported once");

    // The same holds for the locked path after a reboot.
    clock.set(ms("2026-12-03T12:00:00Z"));
    wp.lock();
    let locked = wp.reminders_locked_plan(voice()).expect("locked");
    assert_eq!(locked.missed.len(), 1);
    assert_eq!(locked.missed[0].fire_at_ms, ms("2026-12-03T08:00:00Z"));
    assert!(wp
        .reminders_locked_plan(voice())
        .expect("locked")
        .missed
        .is_empty());
    wp.unlock(PASS.into()).expect("unlock");
    assert!(
        wp.reminder_plan(7, voice())
            .expect("plan")
            .missed
            .is_empty(),
        "reported while locked, not again after unlock"
    );
}

#[test]
fn snooze_moves_one_reminder_and_dismiss_stops_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, clock) = setup(dir.path(), "2026-11-30T00:00:00Z");
    let mut d = draft(
        "Case worker",
        "2026-12-01T10:00",
        "America/New_York",
        &[60, 0],
    );
    d.kind = AppointmentKind::CaseWorker;
    wp.appointment_add(d).expect("add");
    let plan = wp.reminder_plan(7, voice()).expect("plan");
    let (hour_before, at_start) = (plan.schedule[0].clone(), plan.schedule[1].clone());

    // At the 1-hour reminder the person snoozes it for 10 minutes (while locked).
    clock.set(hour_before.fire_at_ms);
    wp.lock();
    let snoozed = wp
        .reminder_snooze(hour_before.notification_id.clone(), 10, voice())
        .expect("snooze");
    assert_eq!(snoozed.notification_id, hour_before.notification_id);
    assert_eq!(snoozed.fire_at_ms, hour_before.fire_at_ms + 10 * 60_000);
    wp.unlock(PASS.into()).expect("unlock");
    let replanned = wp.reminder_plan(7, voice()).expect("plan");
    assert_eq!(replanned.schedule, [snoozed.clone(), at_start.clone()]);
    assert!(replanned.missed.is_empty());

    wp.reminder_dismiss(at_start.notification_id.clone())
        .expect("dismiss");
    let after = wp.reminder_plan(7, voice()).expect("plan");
    assert_eq!(after.schedule, [snoozed]);
    // The platform dismissed it itself; the plan neither schedules nor cancels it again.
    assert!(after.cancel.is_empty());
    clock.set(at_start.fire_at_ms + HOUR);
    assert!(wp
        .reminder_plan(7, voice())
        .expect("plan")
        .missed
        .iter()
        .all(|r| r.notification_id != at_start.notification_id));

    assert!(matches!(
        wp.reminder_snooze("ffff".into(), 10, voice()),
        Err(crate::Error::NotFound)
    ));
    assert!(matches!(
        wp.reminder_snooze(at_start.notification_id, 0, voice()),
        Err(crate::Error::InvalidInput { .. })
    ));
}

#[test]
fn changing_or_deleting_yields_the_ids_to_cancel() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path(), "2026-11-30T00:00:00Z");
    let a = wp
        .appointment_add(draft(
            "Lawyer",
            "2026-12-02T15:00",
            "America/New_York",
            &[1440, 60],
        ))
        .expect("add");
    let b = wp
        .appointment_add(draft(
            "Clinic",
            "2026-12-03T09:00",
            "America/New_York",
            &[60],
        ))
        .expect("add");
    let scheduler = crate::platform::DesktopNotificationScheduler::new();
    let plan = wp
        .reminders_sync(scheduler.clone(), 30, voice())
        .expect("sync");
    assert_eq!(scheduler.pending().len(), 3);
    let a_ids: Vec<String> = plan.schedule[..2]
        .iter()
        .map(|r| r.notification_id.clone())
        .collect();

    let mut moved = a.draft.clone();
    moved.start_local = "2026-12-04T15:00".into();
    let change = wp.appointment_edit(a.id.clone(), moved).expect("edit");
    let mut expected = a_ids.clone();
    expected.sort();
    assert_eq!(change.cancel_notification_ids, expected);
    for id in &change.cancel_notification_ids {
        scheduler.cancel(id.clone()).expect("cancel");
    }
    let plan2 = wp
        .reminders_sync(scheduler.clone(), 30, voice())
        .expect("sync");
    assert!(plan2.cancel.is_empty(), "already cancelled by the edit");
    assert_eq!(scheduler.pending().len(), 3);
    assert!(scheduler
        .pending()
        .iter()
        .all(|r| !a_ids.contains(&r.notification_id)));

    let cancel = wp.appointment_delete(b.id).expect("delete");
    assert_eq!(cancel.len(), 1);
    for id in cancel {
        scheduler.cancel(id).expect("cancel");
    }
    let plan3 = wp
        .reminders_sync(scheduler.clone(), 30, voice())
        .expect("sync");
    assert_eq!(plan3.schedule.len(), 2);
    assert_eq!(scheduler.pending().len(), 2);
    // The desktop scheduler fires what is due.
    let due = scheduler.take_due(ms("2027-01-01T00:00:00Z"));
    assert_eq!(due.len(), 2);
    assert!(scheduler.pending().is_empty());
}

#[test]
fn plan_caps_and_horizon_are_enforced() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path(), "2026-11-30T00:00:00Z");
    let mut d = draft("Pills", "2026-12-01T08:00", "UTC", &[0, 30, 60]);
    d.rrule = Some("FREQ=DAILY".into());
    wp.appointment_add(d).expect("add");
    let plan = wp.reminder_plan(400, voice()).expect("plan");
    assert_eq!(plan.schedule.len(), reminders::MAX_SCHEDULED);
    assert_eq!(
        plan.horizon_end_ms,
        plan.schedule.last().expect("last").fire_at_ms
    );
    assert!(matches!(
        wp.reminder_plan(0, voice()),
        Err(crate::Error::InvalidInput { .. })
    ));
    assert!(matches!(
        wp.reminder_plan(401, voice()),
        Err(crate::Error::InvalidInput { .. })
    ));
    let empty = ReminderVoice {
        title: " ".into(),
        body: "x".into(),
    };
    assert!(matches!(
        wp.reminder_plan(30, empty),
        Err(crate::Error::InvalidInput { .. })
    ));
}

/// The one "no platform key" policy (see `platform`): the data directory's file key stands
/// in, so reminders work and their schedule is still sealed, in the one sealed-row format.
#[test]
fn reminders_without_a_platform_key_are_sealed_under_the_stand_in_key() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(ms("2026-11-30T00:00:00Z")));
    let wp = Core::open_with_config(
        dir.path().to_string_lossy().into_owned(),
        clock,
        None,
        VaultConfig::for_tests(4),
    )
    .expect("open");
    wp.setup(PASS.into()).expect("setup");
    wp.appointment_add(draft(
        "stand-in",
        "2026-12-01T09:00",
        "Europe/Zurich",
        &[60],
    ))
    .expect("add");
    let plan = wp
        .reminder_plan(30, voice())
        .expect("plans without a platform key");
    assert!(!plan.schedule.is_empty());
    let sealed: Vec<u8> = wp
        .store
        .with_conn(
            |c| Ok(c.query_row("SELECT sealed FROM appointment_schedule", [], |r| r.get(0))?),
        )
        .expect("row");
    assert_eq!(sealed.first(), Some(&crate::platform::SEALED_ROW));
    let stand_in = FileKeyStore::new(dir.path().to_string_lossy().into_owned());
    crate::platform::open_row(stand_in.as_ref(), reminders::SCHEDULE_LABEL, &sealed)
        .expect("sealed under the data directory's file key");
}

// ---- export ---------------------------------------------------------------------------

#[test]
fn ics_export_is_age_encrypted_and_complete() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path(), "2026-11-29T00:00:00Z");
    let mut d = marked_draft();
    d.title = format!(
        "{}; with, commas and a long title {}",
        MARKERS[0],
        "x".repeat(80)
    );
    let a = wp.appointment_add(d).expect("add");
    let mut all_day = draft("Birthday", "2026-12-24", "Europe/London", &[1440]);
    all_day.all_day = true;
    wp.appointment_add(all_day).expect("add");

    let identity = age::x25519::Identity::generate();
    let out = dir.path().join("out.ics.age");
    let n = wp
        .appointments_export_ics_to_recipient(
            vec![],
            identity.to_public().to_string(),
            out.to_string_lossy().into_owned(),
        )
        .expect("export");
    assert_eq!(n, 2);
    let bytes = std::fs::read(&out).expect("read");
    assert!(!bytes
        .windows(MARKERS[0].len())
        .any(|w| w == MARKERS[0].as_bytes()));
    let decryptor = age::Decryptor::new(&bytes[..]).expect("age");
    let mut text = String::new();
    decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .expect("decrypt")
        .read_to_string(&mut text)
        .expect("utf-8");
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
    assert!(text.lines().all(|l| l.len() <= 76), "folded at 75 octets");
    let unfolded = text.replace("\r\n ", "");
    assert!(unfolded.contains(&format!("UID:{}@waypoint.invalid", a.id)));
    assert!(unfolded.contains(&format!("SUMMARY:{}\\; with\\, commas", MARKERS[0])));
    assert!(unfolded.contains("DTSTART;TZID=Europe/Zurich:20261201T100000"));
    assert!(unfolded.contains("DURATION:PT90M"));
    assert!(unfolded.contains("RRULE:FREQ=WEEKLY;BYDAY=TU"));
    assert!(unfolded.contains("EXDATE;TZID=Europe/Zurich:20261208T100000"));
    assert!(unfolded.contains("TRIGGER:-PT60M") && unfolded.contains("TRIGGER:-PT1440M"));
    assert!(unfolded.contains("DTSTART;VALUE=DATE:20261224"));
    assert!(unfolded.contains("DTEND;VALUE=DATE:20261225"));
    assert!(
        unfolded.contains("TRIGGER:-PT900M"),
        "09:00 the day before an all-day event"
    );

    // One appointment, to a passphrase.
    let out2 = dir.path().join("one.ics.age");
    assert_eq!(
        wp.appointments_export_ics_to_passphrase(
            vec![a.id.clone()],
            "share pass".into(),
            out2.to_string_lossy().into_owned()
        )
        .expect("export"),
        1
    );
    let bytes = std::fs::read(&out2).expect("read");
    let decryptor = age::Decryptor::new(&bytes[..]).expect("age");
    let id = age::scrypt::Identity::new(age::secrecy::SecretString::from("share pass".to_owned()));
    let mut text = String::new();
    decryptor
        .decrypt(std::iter::once(&id as &dyn age::Identity))
        .expect("decrypt")
        .read_to_string(&mut text)
        .expect("utf-8");
    assert_eq!(text.matches("BEGIN:VEVENT").count(), 1);

    // A missing directory is a clear error and leaves nothing behind.
    let bad = dir.path().join("nope").join("x.age");
    assert!(matches!(
        wp.appointments_export_ics_to_passphrase(
            vec![],
            "p".into(),
            bad.to_string_lossy().into_owned()
        ),
        Err(crate::Error::InvalidInput { .. })
    ));
    let leftovers: Vec<_> = all_files(dir.path())
        .into_iter()
        .filter(|f| f.to_string_lossy().ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty());
    let _ = DAY;
}

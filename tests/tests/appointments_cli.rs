//! End to end: a person keeps appointments with the `waypoint` CLI, the reminders it plans
//! say nothing about them, the schedule is readable without the passphrase (as after a
//! reboot), edits and deletes name the reminders to cancel, nothing personal is on disk,
//! and the exported calendar opens with Debian's standard `age` tool.
//!
//! Needs `cargo build --workspace --bins` first and the `age` package.

use std::path::Path;
use std::process::{Command, Output};
use waypoint_e2e::{age_keygen, ok, one_line_error, stdout_json, waypoint_quick};

const PASS: &str = "a long appointments passphrase";
const TITLE: &str = "QzCourtHearingMarker";
const PLACE: &str = "QzFamilyCourtMarker";
const NOTES: &str = "QzBringLetterMarker";

fn wp(dir: &Path, args: &[&str], pass: Option<&str>) -> Output {
    waypoint_quick(dir, args, pass, &[])
}

/// A local date-time `days` from now, `HH:MM` wall time.
fn local_in(days: i64, hm: &str) -> String {
    let d = chrono::Utc::now().date_naive() + chrono::Duration::days(days);
    format!("{}T{hm}", d.format("%Y-%m-%d"))
}

fn ids(plan: &serde_json::Value, key: &str) -> Vec<String> {
    plan[key]
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["notification_id"].as_str().expect("id").to_owned())
        .collect()
}

fn scan(dir: &Path, markers: &[&str]) {
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            scan(&p, markers);
            continue;
        }
        let bytes = std::fs::read(&p).expect("read");
        for m in markers {
            assert!(!p.to_string_lossy().contains(m));
            for needle in [m.as_bytes().to_vec(), m.to_lowercase().into_bytes()] {
                assert!(
                    !bytes.windows(needle.len()).any(|w| w == needle.as_slice()),
                    "{m} found in {}",
                    p.display()
                );
            }
        }
    }
}

#[test]
fn a_person_keeps_appointments_and_gets_reminders_that_do_not_give_them_away() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    ok(wp(&dir, &["init"], Some(PASS)));

    let start = local_in(3, "10:00");
    let added = stdout_json(wp(
        &dir,
        &[
            "--json",
            "appointment",
            "add",
            "--title",
            TITLE,
            "--kind",
            "court",
            "--start",
            &start,
            "--tz",
            "America/New_York",
            "--duration",
            "2h",
            "--place",
            PLACE,
            "--notes",
            NOTES,
            "--remind",
            "1d",
            "--remind",
            "1h",
            "--rrule",
            "FREQ=WEEKLY;COUNT=3",
        ],
        Some(PASS),
    ));
    let id = added["id"].as_str().expect("id").to_owned();
    assert_eq!(added["title"], TITLE);
    assert_eq!(added["kind"], "court");
    assert_eq!(
        added["reminder_offsets_minutes"],
        serde_json::json!([1440, 60])
    );
    assert_eq!(added["duration_minutes"], 120);

    let list = stdout_json(wp(&dir, &["--json", "appointment", "list"], Some(PASS)));
    assert_eq!(list.as_array().expect("list").len(), 1);
    let from = local_in(0, "00:00");
    let to = local_in(30, "00:00");
    let occ = stdout_json(wp(
        &dir,
        &[
            "--json",
            "appointment",
            "list",
            "--from",
            &from[..10],
            "--to",
            &to[..10],
        ],
        Some(PASS),
    ));
    assert_eq!(occ.as_array().expect("occurrences").len(), 3);

    // The plan: 3 occurrences x 2 reminders, neutral text only.
    let plan_out = ok(wp(
        &dir,
        &["--json", "reminders", "--horizon-days", "60"],
        Some(PASS),
    ));
    for m in [TITLE, PLACE, NOTES, "court", "Court", "America"] {
        assert!(!plan_out.contains(m), "{m} in the reminder plan");
    }
    let plan: serde_json::Value = serde_json::from_str(&plan_out).expect("json");
    let scheduled = ids(&plan, "schedule");
    assert_eq!(scheduled.len(), 6);
    assert!(plan["schedule"]
        .as_array()
        .expect("schedule")
        .iter()
        .all(|r| r["title"] == "Reminder" && r["body"] == "You have an event"));

    // A custom voice (the disguise's).
    let voiced = stdout_json(wp(
        &dir,
        &[
            "--json",
            "reminders",
            "--voice-title",
            "Calculator",
            "--voice-body",
            "Tap to continue",
        ],
        Some(PASS),
    ));
    assert_eq!(voiced["schedule"][0]["title"], "Calculator");
    assert_eq!(ids(&voiced, "schedule"), scheduled, "ids are stable");

    // After a reboot, without the passphrase.
    let locked = stdout_json(wp(&dir, &["--json", "reminders", "--locked"], None));
    assert_eq!(ids(&locked, "schedule"), scheduled);
    let snoozed = stdout_json(wp(
        &dir,
        &[
            "--json",
            "reminders",
            "--snooze",
            &scheduled[0],
            "--minutes",
            "15",
        ],
        None,
    ));
    assert_eq!(snoozed["notification_id"], scheduled[0]);

    // Editing names the reminders to cancel.
    let later = local_in(4, "11:30");
    let edited = stdout_json(wp(
        &dir,
        &[
            "--json",
            "appointment",
            "edit",
            &id,
            "--start",
            &later,
            "--remind",
            "30m",
        ],
        Some(PASS),
    ));
    assert_eq!(edited["revision"], 2);
    assert_eq!(edited["title"], TITLE, "fields not given are kept");
    let mut cancel: Vec<String> = edited["cancel_notification_ids"]
        .as_array()
        .expect("cancel")
        .iter()
        .map(|v| v.as_str().expect("id").to_owned())
        .collect();
    cancel.sort();
    let mut expected = scheduled.clone();
    expected.sort();
    assert_eq!(cancel, expected);
    let replanned = stdout_json(wp(
        &dir,
        &["--json", "reminders", "--horizon-days", "60"],
        Some(PASS),
    ));
    assert_eq!(ids(&replanned, "schedule").len(), 3);
    assert!(ids(&replanned, "schedule")
        .iter()
        .all(|i| !scheduled.contains(i)));

    // Export, then open with the standard age tool.
    let key = tmp.path().join("key.txt");
    let recipient = age_keygen(&key);
    let out = tmp.path().join("calendar.ics.age");
    let exported = stdout_json(wp(
        &dir,
        &[
            "--json",
            "appointment",
            "export",
            "--recipient",
            &recipient,
            "--out",
            out.to_str().expect("utf-8"),
        ],
        Some(PASS),
    ));
    assert_eq!(exported["exported"], 1);
    let dec = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&key)
        .arg(&out)
        .output()
        .expect("age -d");
    assert!(
        dec.status.success(),
        "{}",
        String::from_utf8_lossy(&dec.stderr)
    );
    let ics = String::from_utf8(dec.stdout)
        .expect("utf-8")
        .replace("\r\n ", "");
    assert!(ics.contains(&format!("SUMMARY:{TITLE}")));
    assert!(ics.contains("RRULE:FREQ=WEEKLY;COUNT=3"));
    assert!(ics.contains("DTSTART;TZID=America/New_York:"));

    // Nothing personal at rest.
    scan(&dir, &[TITLE, PLACE, NOTES]);

    // Delete names what to cancel; the list is empty afterwards.
    let deleted = stdout_json(wp(
        &dir,
        &["--json", "appointment", "delete", &id],
        Some(PASS),
    ));
    assert_eq!(
        deleted["cancel_notification_ids"]
            .as_array()
            .expect("ids")
            .len(),
        3
    );
    let list = stdout_json(wp(&dir, &["--json", "appointment", "list"], Some(PASS)));
    assert!(list.as_array().expect("list").is_empty());
}

#[test]
fn bad_input_is_one_clear_line_and_changes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    ok(wp(&dir, &["init"], Some(PASS)));
    let start = local_in(2, "10:00");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec![
                "appointment",
                "add",
                "--title",
                "x",
                "--start",
                &start,
                "--tz",
                "Mars/Base",
            ],
            "time_zone",
        ),
        (
            vec![
                "appointment",
                "add",
                "--title",
                "x",
                "--start",
                "soon",
                "--tz",
                "UTC",
            ],
            "start",
        ),
        (
            vec![
                "appointment",
                "add",
                "--title",
                "x",
                "--start",
                &start,
                "--tz",
                "UTC",
                "--rrule",
                "FREQ=YEARLY",
            ],
            "rrule",
        ),
        (
            vec![
                "appointment",
                "add",
                "--title",
                "x",
                "--start",
                &start,
                "--tz",
                "UTC",
                "--remind",
                "soon",
            ],
            "durations",
        ),
        (
            vec![
                "appointment",
                "add",
                "--title",
                "x",
                "--start",
                &start,
                "--tz",
                "UTC",
                "--kind",
                "party",
            ],
            "kind",
        ),
        (
            vec!["appointment", "show", "0123456789abcdef0123456789abcdef"],
            "not found",
        ),
        (vec!["reminders", "--dismiss", "0123"], "not found"),
    ];
    for (args, needle) in cases {
        let err = one_line_error(&wp(&dir, &args, Some(PASS)));
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    let wrong = one_line_error(&wp(
        &dir,
        &["appointment", "list"],
        Some("wrong passphrase"),
    ));
    assert!(wrong.contains("wrong passphrase"), "{wrong}");
    let list = stdout_json(wp(&dir, &["--json", "appointment", "list"], Some(PASS)));
    assert!(list.as_array().expect("list").is_empty());
}

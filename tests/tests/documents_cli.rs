//! End to end: a survivor keeps their documents with `waypoint documents`: a passport with
//! its scan and expiry reminders (neutral text only), nothing readable on disk, wrong input
//! refused in one line with nothing lost, the document chosen into an evidence export and a
//! share, and removed for good with its reminders cancelled.
//!
//! Needs `cargo build --workspace --bins` first.

use std::path::Path;
use std::process::Output;

use waypoint_e2e::{assert_no_marker, ok, one_line_error, stdout_json, waypoint_quick};

const PASS: &str = "a long vault passphrase";
const NUMBER: &str = "G12345678MARKER";
const LABEL: &str = "LABELMARKER-my-passport";
const SCAN: &str = "SCANMARKER-pretend-jpeg";

fn wp(dir: &Path, args: &[&str]) -> Output {
    waypoint_quick(dir, args, Some(PASS), &[])
}

fn in_days(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

#[test]
fn a_survivor_keeps_a_passport_with_its_scan_and_private_expiry_reminders() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    ok(wp(&dir, &["init"]));
    let scan = tmp.path().join("passport.jpg");
    std::fs::write(&scan, SCAN).expect("scan");
    let expires = in_days(40);
    let added = stdout_json(wp(
        &dir,
        &[
            "--json",
            "documents",
            "add",
            "--type",
            "passport",
            "--label",
            LABEL,
            "--number",
            NUMBER,
            "--country",
            "mx",
            "--expires",
            &expires,
            "--remind-days-before",
            "30",
            "--remind-days-before",
            "7",
            "--time-zone",
            "America/Mexico_City",
            "--file",
            scan.to_str().expect("utf-8"),
        ],
    ));
    std::fs::remove_file(&scan).expect("rm scan");
    let id = added["id"].as_str().expect("id").to_owned();
    assert_eq!(added["issuing_country"], "MX");
    assert_eq!(added["file"]["mime"], "image/jpeg");

    // Reminders: two, neutral, nothing of the document in them.
    let plan = stdout_json(wp(&dir, &["--json", "reminders", "--horizon-days", "60"]));
    let scheduled = plan["schedule"].as_array().expect("schedule");
    assert_eq!(scheduled.len(), 2, "30 and 7 days before");
    let text = plan.to_string();
    for m in [LABEL, NUMBER, "passport", &expires] {
        assert!(!text.contains(m), "{m} in the reminder plan");
    }
    assert!(scheduled.iter().all(|r| r["title"] == "Reminder"));

    // Nothing readable at rest.
    assert_no_marker(&dir, &[LABEL, NUMBER, SCAN, "passport.jpg", &expires]);

    // Wrong input: one line, non-zero, nothing lost.
    for args in [
        vec![
            "documents",
            "add",
            "--type",
            "passport",
            "--country",
            "Mexico",
        ],
        vec!["documents", "add", "--type", "spaceship"],
        vec!["documents", "edit", &id, "--expires", "31/12/2030"],
        vec!["documents", "edit", &id, "--remind-days-before", "0"],
        vec!["documents", "show", "not-an-id"],
        vec!["documents", "set-file", &id, "/nonexistent/scan.jpg"],
    ] {
        let err = one_line_error(&wp(&dir, &args));
        assert!(!err.contains(LABEL) && !err.contains(NUMBER), "{err}");
    }
    let list = stdout_json(wp(&dir, &["--json", "documents", "list"]));
    assert_eq!(list.as_array().expect("list").len(), 1);
    assert_eq!(list[0]["number"], NUMBER);
    let out = tmp.path().join("saved.jpg");
    ok(wp(
        &dir,
        &[
            "documents",
            "save-file",
            &id,
            "--out",
            out.to_str().expect("utf-8"),
        ],
    ));
    assert_eq!(std::fs::read(&out).expect("saved"), SCAN.as_bytes());
    let shown = ok(wp(&dir, &["documents", "show", &id]));
    assert!(shown.contains(NUMBER) && shown.contains("Reminders: 30, 7 days before"));

    // Chosen into an evidence export and a share.
    let export = tmp.path().join("export.age");
    let summary = stdout_json(waypoint_quick(
        &dir,
        &[
            "--json",
            "journal",
            "export",
            "--passphrase-prompt",
            "--document",
            &id,
            "--out",
            export.to_str().expect("utf-8"),
        ],
        Some(PASS),
        &[("WAYPOINT_EXPORT_PASSPHRASE", "lawyer pass")],
    ));
    assert_eq!(summary["files"], 1);
    let share = tmp.path().join("share.age");
    ok(waypoint_quick(
        &dir,
        &[
            "share",
            "--document",
            &id,
            "--passphrase",
            "--out",
            share.to_str().expect("utf-8"),
        ],
        Some(PASS),
        &[("WAYPOINT_SHARE_PASSPHRASE", "share pass")],
    ));
    let opened = tmp.path().join("opened");
    let text = ok(waypoint_quick(
        &dir,
        &[
            "open-share",
            share.to_str().expect("utf-8"),
            "--out",
            opened.to_str().expect("utf-8"),
        ],
        Some("share pass"),
        &[],
    ));
    assert!(text.contains("1 documents"), "{text}");
    let report = std::fs::read_to_string(opened.join("report.html")).expect("report");
    assert!(report.contains(NUMBER));

    // Its scan alone can go: the details stay, the encrypted file is gone from the disk.
    let objects = |d: &Path| std::fs::read_dir(d.join("objects")).map_or(0, |r| r.count());
    let before = objects(&dir);
    let bare = stdout_json(wp(&dir, &["--json", "documents", "remove-file", &id]));
    assert!(bare["file"].is_null(), "{bare}");
    assert_eq!(objects(&dir), before - 1);
    assert!(!wp(
        &dir,
        &[
            "documents",
            "save-file",
            &id,
            "--out",
            tmp.path().join("gone.bin").to_str().expect("utf-8")
        ]
    )
    .status
    .success());

    // Removed for good: its reminders are named for cancelling, and gone from the plan.
    let removed = stdout_json(wp(&dir, &["--json", "documents", "remove", &id]));
    assert_eq!(
        removed["cancel_notification_ids"]
            .as_array()
            .expect("ids")
            .len(),
        2
    );
    let plan = stdout_json(wp(&dir, &["--json", "reminders", "--horizon-days", "60"]));
    assert!(plan["schedule"].as_array().expect("schedule").is_empty());
    let list = stdout_json(wp(&dir, &["--json", "documents", "list"]));
    assert!(list.as_array().expect("list").is_empty());
    assert_no_marker(&dir, &[LABEL, NUMBER, SCAN]);
}

//! End to end through the CLI: a survivor's whole journey with the issue-17 capabilities, one
//! step each, and then someone with an old copy of the phone's files trying to put it back.
//!
//! The journey: set up -> a journal entry (and one not to share) -> a safety-plan section
//! -> the check-in (nothing kept) -> a document with its scan and an expiry reminder (the
//! reminder neutral) -> a recipient's key saved and its fingerprint compared -> the chosen
//! entry and document shared to that key -> the lawyer opens it with `waypoint open-share`
//! (chain verified, only what was chosen, the scan byte for byte) -> a know-your-rights
//! guide read, with the help it links to. After every write the data directory holds no
//! marker of anything typed or attached, in any file or file name.
//!
//! Rollback: document and safety-plan rows copied early and put back after the survivor
//! changed them are reported by the CLI in one line each, nothing of them is printed as
//! current, and removing them acknowledges it.
//!
//! Needs `cargo build --workspace --bins` first and the `age` package (`age-keygen`).

use std::path::Path;
use std::process::Output;

use waypoint_e2e::{
    age_keygen, assert_no_marker, ok, one_line_error, personal_rows, stdout_json, waypoint_quick,
};

const PASS: &str = "a long vault passphrase";
const ENTRY: &str = "ENTRYMARKER-he-took-my-passport";
const PRIVATE: &str = "PRIVATEMARKER-not-for-the-lawyer";
const PLACE: &str = "PLACEMARKER-the-church-on-5th";
const NUMBER: &str = "NUMBERMARKER-A1234567";
const LABEL: &str = "LABELMARKER-work-permit";
const SCAN: &str = "SCANMARKER-pretend-pdf-bytes";
const SCAN_NAME: &str = "permit-scan-4471.pdf";
const LAWYER: &str = "LAWYERMARKER-ms-ortiz";

fn wp(dir: &Path, args: &[&str]) -> Output {
    waypoint_quick(dir, args, Some(PASS), &[])
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn in_days(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// Every marker typed or attached so far, and the scan's name.
fn markers(key: &str) -> Vec<&str> {
    vec![
        ENTRY, PRIVATE, PLACE, NUMBER, LABEL, SCAN, SCAN_NAME, LAWYER, key,
    ]
}

#[test]
fn a_survivors_journey_through_plan_documents_sharing_and_guides_stays_private() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    ok(wp(&dir, &["init"]));

    // A journal entry to share, and one that stays private.
    let entry = stdout_json(wp(
        &dir,
        &[
            "--json", "journal", "add", "--title", "day 1", "--body", ENTRY,
        ],
    ));
    let entry_id = entry["id"].as_str().expect("id").to_owned();
    ok(wp(
        &dir,
        &["journal", "add", "--title", "day 2", "--body", PRIVATE],
    ));

    // Step: the safety plan.
    let plan = stdout_json(wp(
        &dir,
        &[
            "--json",
            "safety-plan",
            "set",
            "safe_places",
            "--item",
            PLACE,
        ],
    ));
    assert_eq!(plan["sections"][1]["content"]["items"][0], PLACE);
    assert!(ok(wp(&dir, &["safety-plan", "show"])).contains(PLACE));
    assert_no_marker(&dir, &[ENTRY, PRIVATE, PLACE]);
    // The check-in: no passphrase, suggestions from the directory, nothing kept.
    let before = personal_rows(&dir);
    let check = stdout_json(waypoint_quick(
        &dir,
        &["--json", "safety-plan", "check", "--yes", "documents_held"],
        None,
        &[],
    ));
    assert_eq!(check["suggestions"][0]["category"], "legal_aid");
    assert_eq!(personal_rows(&dir), before, "the check-in kept nothing");

    // Step: a document with its scan and an expiry reminder.
    let scan = tmp.path().join(SCAN_NAME);
    std::fs::write(&scan, SCAN).expect("scan");
    let expires = in_days(45);
    let doc = stdout_json(wp(
        &dir,
        &[
            "--json",
            "documents",
            "add",
            "--type",
            "work_permit",
            "--label",
            LABEL,
            "--number",
            NUMBER,
            "--country",
            "us",
            "--expires",
            &expires,
            "--remind-days-before",
            "30",
            "--file",
            s(&scan),
        ],
    ));
    std::fs::remove_file(&scan).expect("rm scan");
    let doc_id = doc["id"].as_str().expect("id").to_owned();
    assert_eq!(doc["file"]["size"], SCAN.len());
    let reminders = stdout_json(wp(&dir, &["--json", "reminders", "--horizon-days", "60"]));
    let scheduled = reminders["schedule"].as_array().expect("schedule");
    assert_eq!(scheduled.len(), 1, "30 days before the expiry");
    let text = reminders.to_string();
    for m in [LABEL, NUMBER, "permit", &expires] {
        assert!(!text.contains(m), "{m} in the reminder");
    }
    assert_no_marker(
        &dir,
        &[ENTRY, PRIVATE, PLACE, NUMBER, LABEL, SCAN, SCAN_NAME],
    );

    // Step: sharing. The lawyer's key is pasted and its fingerprint compared in person.
    let key_file = tmp.path().join("lawyer-key.txt");
    let key = age_keygen(&key_file);
    let saved = stdout_json(wp(
        &dir,
        &[
            "--json",
            "share",
            "recipients",
            "add",
            "--label",
            LAWYER,
            "--key",
            &key,
        ],
    ));
    let fp = stdout_json(waypoint_quick(
        &dir,
        &["--json", "share", "fingerprint", &key],
        None,
        &[],
    ));
    assert_eq!(saved["fingerprint"], fp["fingerprint"]);
    let package = tmp.path().join("for-the-lawyer.age");
    let summary = stdout_json(wp(
        &dir,
        &[
            "--json",
            "share",
            "--entry",
            &entry_id,
            "--document",
            &doc_id,
            "--to",
            saved["id"].as_str().expect("recipient id"),
            "--out",
            s(&package),
        ],
    ));
    assert_eq!(summary["entries"], 1);
    assert_no_marker(&dir, &markers(&key));
    // The package itself is ciphertext: nothing chosen is readable in it.
    let sealed = std::fs::read(&package).expect("package");
    assert!(sealed.starts_with(b"age-encryption.org/v1"));
    for m in [ENTRY, NUMBER, LABEL, SCAN, SCAN_NAME] {
        assert!(
            !sealed.windows(m.len()).any(|w| w == m.as_bytes()),
            "{m} readable in the package"
        );
    }

    // The lawyer's side: no data directory, only their key.
    let opened = tmp.path().join("opened");
    let got = stdout_json(waypoint_quick(
        &tmp.path().join("lawyer-has-no-vault"),
        &[
            "--json",
            "open-share",
            s(&package),
            "--identity",
            s(&key_file),
            "--out",
            s(&opened),
        ],
        None,
        &[],
    ));
    assert_eq!(got["chain_head"], summary["chain_head"], "chain verified");
    assert_eq!(
        (got["entries"].as_u64(), got["documents"].as_u64()),
        (Some(1), Some(1))
    );
    let report = std::fs::read_to_string(opened.join("report.html")).expect("report");
    assert!(report.contains(ENTRY) && report.contains(NUMBER));
    assert!(!report.contains(PRIVATE), "only the chosen entry");
    assert!(!report.contains(PLACE), "the safety plan is never shared");
    let documents = std::fs::read_to_string(opened.join("documents.json")).expect("json");
    assert!(documents.contains(NUMBER));
    let scans: Vec<_> = walk(&opened.join("documents"));
    assert_eq!(scans.len(), 1);
    assert_eq!(std::fs::read(&scans[0]).expect("scan"), SCAN.as_bytes());

    // Step: a guide, offline, with the directory help it links to.
    let guide = stdout_json(waypoint_quick(
        &dir,
        &["--json", "guides", "show", "t-visa"],
        None,
        &[],
    ));
    assert!(!guide["help"].as_array().expect("help").is_empty());
    assert!(guide["not_advice"]
        .as_str()
        .expect("line")
        .contains("not legal advice"));

    // Nothing reported damaged along the way; nothing of it readable at rest.
    let listed = wp(&dir, &["documents", "list"]);
    assert!(listed.status.success());
    assert!(
        listed.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let shown = wp(&dir, &["safety-plan", "show"]);
    assert!(
        shown.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    assert_no_marker(&dir, &markers(&key));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

/// Every row of `table` (all columns as SQLite values), as someone copying the files keeps it.
fn copy_table(dir: &Path, table: &str) -> Vec<Vec<rusqlite::types::Value>> {
    let db = rusqlite::Connection::open(dir.join("store.db")).expect("db");
    let mut st = db
        .prepare(&format!("SELECT * FROM {table}"))
        .expect("select");
    let n = st.column_count();
    st.query_map([], |r| (0..n).map(|i| r.get(i)).collect())
        .expect("rows")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
}

fn put_back(dir: &Path, table: &str, rows: &[Vec<rusqlite::types::Value>]) {
    let db = rusqlite::Connection::open(dir.join("store.db")).expect("db");
    for row in rows {
        let marks = vec!["?"; row.len()].join(", ");
        db.execute(
            &format!("INSERT OR REPLACE INTO {table} VALUES ({marks})"),
            rusqlite::params_from_iter(row.iter()),
        )
        .expect("put back");
    }
}

#[test]
fn old_copies_put_back_are_reported_in_one_line_and_can_be_acknowledged() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    ok(wp(&dir, &["init"]));
    ok(wp(
        &dir,
        &["safety-plan", "set", "safe_places", "--item", PLACE],
    ));
    let doc = stdout_json(wp(
        &dir,
        &[
            "--json",
            "documents",
            "add",
            "--type",
            "visa",
            "--number",
            NUMBER,
        ],
    ));
    let id = doc["id"].as_str().expect("id").to_owned();
    let kept = stdout_json(wp(&dir, &["--json", "documents", "add", "--type", "i94"]));
    // Someone copies the files now...
    let old_plan = copy_table(&dir, "safety_plan");
    let old_docs = copy_table(&dir, "documents");
    // ...the survivor moves on: the place is not safe any more, the visa is renewed...
    ok(wp(
        &dir,
        &["safety-plan", "set", "safe_places", "--item", "the shelter"],
    ));
    ok(wp(
        &dir,
        &["documents", "edit", &id, "--number", "RENEWED-1"],
    ));
    // ...and the old copy is put back.
    put_back(&dir, "safety_plan", &old_plan);
    put_back(&dir, "documents", &old_docs);

    let listed = wp(&dir, &["--json", "documents", "list"]);
    assert!(listed.status.success());
    let warning = String::from_utf8_lossy(&listed.stderr).trim().to_owned();
    assert_eq!(
        warning,
        "waypoint: 1 documents are damaged and could not be read"
    );
    let list: serde_json::Value = serde_json::from_slice(&listed.stdout).expect("json");
    let ids: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .map(|d| d["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        ids,
        [kept["id"].as_str().expect("id")],
        "the rest is listed"
    );
    let err = one_line_error(&wp(&dir, &["documents", "show", &id]));
    assert!(!err.contains(NUMBER), "{err}");
    let err = one_line_error(&wp(&dir, &["safety-plan", "show"]));
    assert!(err.contains("not the version last saved"), "{err}");
    assert!(!err.contains(PLACE), "{err}");

    // Removing them is how the survivor acknowledges it; then all is quiet again.
    ok(wp(&dir, &["documents", "remove", &id]));
    ok(wp(&dir, &["safety-plan", "delete"]));
    let listed = wp(&dir, &["documents", "list"]);
    assert!(
        listed.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let shown = wp(&dir, &["safety-plan", "show"]);
    assert!(shown.status.success() && shown.stderr.is_empty());
}

//! End to end: a survivor shares chosen journal entries with `waypoint share`, and the
//! lawyer or advocate opens them with `waypoint open-share` (or Debian's standard `age`).
//!
//! Needs `cargo build --workspace --bins` first and the `age` package (`apt-get install age`).

use std::path::Path;
use std::process::{Command, Output};

use waypoint_e2e::{age_keygen, assert_no_marker, ok, one_line_error, stdout_json, waypoint_quick};

const PASS: &str = "a long vault passphrase";
const HOSTILE: &str = "<script>alert('x')</script>";
const BODY_MARKER: &str = "BODYMARKER-the-boss-kept-my-passport";
const LABEL_MARKER: &str = "LABELMARKER-my-lawyer";

fn wp(dir: &Path, args: &[&str], pass: Option<&str>, envs: &[(&str, &str)]) -> Output {
    waypoint_quick(dir, args, pass, envs)
}

/// `waypoint open-share FILE --identity KEY --out OUT`.
fn open_share_with_key(dir: &Path, file: &Path, identity: &Path, out: &Path) -> Output {
    wp(
        dir,
        &[
            "open-share",
            file.to_str().expect("utf-8"),
            "--identity",
            identity.to_str().expect("utf-8"),
            "--out",
            out.to_str().expect("utf-8"),
        ],
        None,
        &[],
    )
}

/// A vault with two entries (only the first is shared; it has an attachment).
fn setup(tmp: &Path) -> (std::path::PathBuf, String) {
    let dir = tmp.join("data");
    ok(wp(&dir, &["init"], Some(PASS), &[]));
    let photo = tmp.join("photo.jpg");
    std::fs::write(&photo, b"\xff\xd8 pretend jpeg").expect("photo");
    let added = stdout_json(wp(
        &dir,
        &[
            "--json",
            "journal",
            "add",
            "--title",
            HOSTILE,
            "--body",
            &format!("{BODY_MARKER} <img src=x onerror=alert(1)>"),
            "--attach",
            photo.to_str().expect("utf-8"),
        ],
        Some(PASS),
        &[],
    ));
    ok(wp(
        &dir,
        &[
            "journal",
            "add",
            "--title",
            "NOTSHARED-private",
            "--body",
            "x",
        ],
        Some(PASS),
        &[],
    ));
    std::fs::remove_file(&photo).expect("rm photo");
    (dir, added["id"].as_str().expect("id").to_owned())
}

#[test]
fn share_to_a_key_round_trips_through_open_share_and_age() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (dir, id) = setup(tmp.path());
    let key_file = tmp.path().join("lawyer.txt");
    let key = age_keygen(&key_file);

    // The recipient is saved sealed; its fingerprint is the one `share fingerprint` shows.
    let saved = stdout_json(wp(
        &dir,
        &[
            "--json",
            "share",
            "recipients",
            "add",
            "--label",
            LABEL_MARKER,
            "--key",
            &key,
        ],
        Some(PASS),
        &[],
    ));
    let fp = stdout_json(wp(
        &dir,
        &["--json", "share", "fingerprint", &key],
        None,
        &[],
    ));
    assert_eq!(saved["fingerprint"], fp["fingerprint"]);
    let listed = stdout_json(wp(
        &dir,
        &["--json", "share", "recipients", "list"],
        Some(PASS),
        &[],
    ));
    assert_eq!(listed[0]["label"], LABEL_MARKER);
    let bad = wp(
        &dir,
        &[
            "share",
            "recipients",
            "add",
            "--label",
            "x",
            "--key",
            "age1notakey",
        ],
        Some(PASS),
        &[],
    );
    assert!(one_line_error(&bad).contains("age1"));

    // An appointment to share too, with hostile text of its own.
    let appt = stdout_json(wp(
        &dir,
        &[
            "--json",
            "appointment",
            "add",
            "--title",
            "APPTMARKER <b onmouseover=x>court</b>",
            "--kind",
            "court",
            "--start",
            "2030-05-01T10:00",
            "--tz",
            "America/New_York",
        ],
        Some(PASS),
        &[],
    ));
    let appt_id = appt["id"].as_str().expect("appointment id").to_owned();

    // Share by the saved recipient's id.
    let out = tmp.path().join("share.age");
    let summary = stdout_json(wp(
        &dir,
        &[
            "--json",
            "share",
            "--entry",
            &id,
            "--appointment",
            &appt_id,
            "--to",
            saved["id"].as_str().expect("id"),
            "--out",
            out.to_str().expect("utf-8"),
        ],
        Some(PASS),
        &[],
    ));
    assert_eq!(summary["entries"], 1);
    assert_eq!(summary["attachments"], 1);

    // Nothing plaintext reached the data directory.
    assert_no_marker(
        &dir,
        &[BODY_MARKER, LABEL_MARKER, &key, "alert(", "APPTMARKER"],
    );

    // The recipient's side.
    let opened = tmp.path().join("opened");
    let got = stdout_json(wp(
        &tmp.path().join("unused"),
        &[
            "--json",
            "open-share",
            out.to_str().expect("utf-8"),
            "--identity",
            key_file.to_str().expect("utf-8"),
            "--out",
            opened.to_str().expect("utf-8"),
        ],
        None,
        &[],
    ));
    assert_eq!(got["chain_head"], summary["chain_head"]);
    assert_eq!(got["appointments"], 1);
    assert!(
        !tmp.path().join("unused").exists(),
        "open-share needs no data directory"
    );
    let html = std::fs::read_to_string(opened.join("report.html")).expect("report");
    assert!(html.contains(BODY_MARKER));
    assert!(!html.contains("<script>alert"), "title escaped");
    assert!(!html.contains("<img src=x"), "body escaped");
    assert!(html.contains("&lt;script&gt;"));
    assert!(!html.contains("NOTSHARED"), "only the chosen entry");
    assert!(html.contains("APPTMARKER &lt;b onmouseover=x&gt;court&lt;/b&gt;"));
    let appts = std::fs::read_to_string(opened.join("appointments.json")).expect("json");
    assert!(appts.contains("APPTMARKER"));
    let href = html
        .split("href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("an attachment link");
    assert_eq!(
        std::fs::read(opened.join(href)).expect("linked attachment"),
        b"\xff\xd8 pretend jpeg"
    );

    // Debian's `age` opens it too.
    let dec = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&key_file)
        .arg(&out)
        .output()
        .expect("age -d (apt-get install age)");
    assert!(dec.status.success(), "age -d failed");
    let tar = tmp.path().join("share.tar");
    std::fs::write(&tar, &dec.stdout).expect("tar");
    let list = Command::new("tar")
        .arg("-tf")
        .arg(&tar)
        .output()
        .expect("tar");
    let names = String::from_utf8_lossy(&list.stdout).to_string();
    assert!(names.contains("waypoint-share/report.html"));
    assert!(names.contains("waypoint-share/manifest.json"));

    // A wrong key: one line, nothing written.
    let other = tmp.path().join("other.txt");
    age_keygen(&other);
    let wrong_out = tmp.path().join("wrong");
    let wrong = open_share_with_key(&dir, &out, &other, &wrong_out);
    assert!(one_line_error(&wrong).contains("wrong key"));
    assert!(!wrong_out.exists());
}

#[test]
fn share_to_a_passphrase_round_trips() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (dir, id) = setup(tmp.path());
    let out = tmp.path().join("share.age");
    ok(wp(
        &dir,
        &[
            "share",
            "--entry",
            &id,
            "--passphrase",
            "--out",
            out.to_str().expect("utf-8"),
        ],
        Some(PASS),
        &[("WAYPOINT_SHARE_PASSPHRASE", "the words we agreed on")],
    ));
    let opened = tmp.path().join("opened");
    let args = [
        "open-share",
        out.to_str().expect("utf-8"),
        "--out",
        opened.to_str().expect("utf-8"),
    ];
    let wrong = wp(&dir, &args, Some("not the words"), &[]);
    assert!(one_line_error(&wrong).contains("wrong key or passphrase"));
    assert!(!opened.exists());
    let text = ok(wp(&dir, &args, Some("the words we agreed on"), &[]));
    assert!(text.contains("chain verified: 1 entries, 1 attachments"));
    assert!(opened.join("report.html").exists());
}

#[test]
fn a_tampered_share_is_reported_and_nothing_is_written() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (dir, id) = setup(tmp.path());
    let key_file = tmp.path().join("lawyer.txt");
    let key = age_keygen(&key_file);
    let out = tmp.path().join("share.age");
    ok(wp(
        &dir,
        &[
            "share",
            "--entry",
            &id,
            "--to",
            &key,
            "--out",
            out.to_str().expect("utf-8"),
        ],
        Some(PASS),
        &[],
    ));
    // Someone who holds the key alters the report and re-encrypts the archive.
    let work = tmp.path().join("work");
    std::fs::create_dir(&work).expect("work");
    let dec = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&key_file)
        .arg("-o")
        .arg(work.join("s.tar"))
        .arg(&out)
        .status()
        .expect("age");
    assert!(dec.success());
    let st = Command::new("tar")
        .current_dir(&work)
        .args(["-xf", "s.tar"])
        .status()
        .expect("tar");
    assert!(st.success());
    let report = work.join("waypoint-share/report.html");
    let html = std::fs::read_to_string(&report).expect("report");
    assert!(
        html.contains("BODYMARKER"),
        "the report holds the entry text"
    );
    std::fs::write(&report, html.replace("BODYMARKER", "CHANGED")).expect("alter");
    let st = Command::new("tar")
        .current_dir(&work)
        .args(["-cf", "t.tar", "waypoint-share"])
        .status()
        .expect("tar");
    assert!(st.success());
    let tampered = tmp.path().join("tampered.age");
    let enc = Command::new("age")
        .arg("-r")
        .arg(&key)
        .arg("-o")
        .arg(&tampered)
        .arg(work.join("t.tar"))
        .status()
        .expect("age");
    assert!(enc.success());
    let opened = tmp.path().join("opened");
    let res = open_share_with_key(&dir, &tampered, &key_file, &opened);
    assert!(one_line_error(&res).contains("altered"));
    assert!(!opened.exists(), "nothing written from a tampered share");

    // A damaged file (one flipped byte near the end).
    let mut bytes = std::fs::read(&out).expect("share");
    let n = bytes.len() - 20;
    bytes[n] ^= 1;
    let damaged = tmp.path().join("damaged.age");
    std::fs::write(&damaged, &bytes).expect("write");
    let res = open_share_with_key(&dir, &damaged, &key_file, &opened);
    one_line_error(&res);
    assert!(!opened.exists());
}

#[test]
fn a_recipient_key_is_shown_as_a_qr_code_with_its_fingerprint_and_a_bad_key_is_one_line() {
    // The lawyer's or advocate's side: their public key as a QR code for the survivor's
    // phone to scan (decoded by the Android scanner's decoder in
    // android/app/src/test/.../KeyScanTest.kt), then the key and its fingerprint.
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    let key = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
    let text = ok(wp(&dir, &["share", "fingerprint", "--qr", key], None, &[]));
    let lines: Vec<&str> = text.lines().collect();
    let n = lines.len();
    assert!(n > 12, "{text}");
    let fp = stdout_json(wp(
        &dir,
        &["--json", "share", "fingerprint", key],
        None,
        &[],
    ));
    assert_eq!(
        lines[n - 1],
        fp["fingerprint"].as_str().expect("fingerprint")
    );
    assert_eq!(lines[n - 2], key);
    let code = &lines[..n - 2];
    let width = code[0].chars().count();
    assert!(width > 20);
    for l in code {
        assert_eq!(l.chars().count(), width, "a square block of modules");
        assert!(
            l.chars()
                .all(|c| matches!(c, ' ' | '\u{2580}' | '\u{2584}' | '\u{2588}')),
            "only half blocks and spaces (no colour codes when not a terminal): {l:?}"
        );
    }
    // Upper case (as a QR code's compact mode stores it) is the same key; JSON carries the
    // lines too.
    let json = stdout_json(wp(
        &dir,
        &[
            "--json",
            "share",
            "fingerprint",
            "--qr",
            &key.to_ascii_uppercase(),
        ],
        None,
        &[],
    ));
    assert_eq!(json["key"], key);
    assert_eq!(json["fingerprint"], fp["fingerprint"]);
    assert_eq!(json["qr"].as_array().expect("lines").len(), code.len());
    // Not a key: one line, nothing echoed, non-zero exit.
    for bad in ["https://example.org/x", "AGE-SECRET-KEY-1QQQQ"] {
        let out = wp(&dir, &["share", "fingerprint", "--qr", bad], None, &[]);
        let line = one_line_error(&out);
        assert!(
            !line.contains("example.org") && !line.contains("SECRET"),
            "{line}"
        );
    }
}

#[test]
fn a_fingerprint_needs_no_data_directory_and_makes_none() {
    // A lawyer's or advocate's laptop: comparing a key's fingerprint leaves nothing behind.
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("never-made");
    let key = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
    let fp = stdout_json(wp(
        &dir,
        &["--json", "share", "fingerprint", key],
        None,
        &[],
    ));
    assert!(fp["fingerprint"].as_str().expect("fingerprint").len() > 10);
    ok(wp(&dir, &["share", "fingerprint", "--qr", key], None, &[]));
    let bad = wp(&dir, &["share", "fingerprint", "age1notakey"], None, &[]);
    one_line_error(&bad);
    assert!(!dir.exists(), "no data directory was made");
}

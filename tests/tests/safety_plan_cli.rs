//! End to end: a survivor writes a safety plan with `waypoint safety-plan`, skips a section
//! and comes back to it, reads the guided prompts in Spanish, and takes the check-in without
//! a passphrase; nothing of the plan is readable on disk and the check-in writes nothing.
//!
//! Needs `cargo build --workspace --bins` first.

use std::path::Path;
use std::process::Output;

use waypoint_e2e::{ok, one_line_error, personal_rows, stdout_json, waypoint_quick};

const PASS: &str = "a long vault passphrase";
const PLACE: &str = "PLACEMARKER-aunt-house";
const CODE: &str = "CODEMARKER-blue-umbrella";

fn wp(dir: &Path, args: &[&str], pass: Option<&str>) -> Output {
    waypoint_quick(dir, args, pass, &[])
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push((
                p.to_string_lossy().into_owned(),
                std::fs::read(&p).expect("read"),
            ));
        }
    }
    out.sort();
    out
}

#[test]
fn a_survivor_writes_a_plan_and_takes_the_check_in_privately() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    ok(wp(&dir, &["init"], Some(PASS)));
    ok(wp(
        &dir,
        &[
            "safety-plan",
            "set",
            "safe_places",
            "--item",
            PLACE,
            "--item",
            "the library",
            "--notes",
            "back door",
        ],
        Some(PASS),
    ));
    ok(wp(
        &dir,
        &["safety-plan", "set", "code-word", "--item", CODE],
        Some(PASS),
    ));
    let skipped = stdout_json(wp(
        &dir,
        &["--json", "safety-plan", "skip", "pets"],
        Some(PASS),
    ));
    assert_eq!(skipped["revision"], 3);
    let shown = ok(wp(
        &dir,
        &["safety-plan", "show", "--lang", "es"],
        Some(PASS),
    ));
    assert!(shown.contains("Mi plan de seguridad") && shown.contains(PLACE));
    assert!(shown.contains("Saltado por ahora"), "{shown}");

    // Nothing readable at rest.
    for (name, bytes) in files(&dir) {
        for m in [PLACE, CODE, "back door"] {
            assert!(
                !bytes.windows(m.len()).any(|w| w == m.as_bytes()),
                "{m} in {name}"
            );
        }
    }

    // Wrong input: one line, nothing lost.
    one_line_error(&wp(&dir, &["safety-plan", "set", "secrets"], Some(PASS)));
    let long = "x".repeat(600);
    one_line_error(&wp(
        &dir,
        &["safety-plan", "set", "safe_places", "--item", &long],
        Some(PASS),
    ));
    one_line_error(&wp(&dir, &["safety-plan", "show"], Some("wrong")));
    let plan = stdout_json(wp(&dir, &["--json", "safety-plan", "show"], Some(PASS)));
    assert_eq!(plan["sections"][1]["content"]["items"][0], PLACE);

    // Guided prompts: no passphrase needed, in the language asked for.
    let guide = stdout_json(wp(
        &dir,
        &["--json", "safety-plan", "guide", "--lang", "es"],
        None,
    ));
    assert_eq!(guide["sections"].as_array().expect("sections").len(), 8);
    assert!(guide["skip"].as_str().expect("skip").contains("Saltar"));

    // The check-in: no passphrase, kinds of help from the directory, nothing personal
    // written (byte-for-byte with a fixed clock: `core/src/safety_plan/tests.rs`).
    let before = personal_rows(&dir);
    assert!(before.iter().any(|r| r.starts_with("safety_plan:")));
    let result = stdout_json(wp(
        &dir,
        &[
            "--json",
            "safety-plan",
            "check",
            "--yes",
            "need_place",
            "--no",
            "hurt",
        ],
        None,
    ));
    let kinds: Vec<&str> = result["suggestions"]
        .as_array()
        .expect("suggestions")
        .iter()
        .map(|s| s["category"].as_str().expect("category"))
        .collect();
    assert_eq!(kinds, ["emergency_shelter", "housing"]);
    one_line_error(&wp(
        &dir,
        &["safety-plan", "check", "--yes", "bank_pin"],
        None,
    ));
    assert_eq!(personal_rows(&dir), before, "the check-in kept no answer");

    ok(wp(&dir, &["safety-plan", "delete"], Some(PASS)));
    let plan = stdout_json(wp(&dir, &["--json", "safety-plan", "show"], Some(PASS)));
    assert_eq!(plan["revision"], 0);
}

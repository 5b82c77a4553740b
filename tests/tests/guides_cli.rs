//! End to end: someone reads the know-your-rights guides with `waypoint guides`, in
//! English and in Spanish, before any vault exists and without a passphrase; every guide
//! shows its sources, review date, the "not legal advice" line and directory help; a guide
//! in a language still waiting for a native speaker says so; a wrong id is one line; and
//! reading guides writes no row (byte-for-byte with a fixed clock: `core/src/guides/tests.rs`).
//!
//! Needs `cargo build --workspace --bins` first.

use std::path::Path;
use std::process::Output;

use waypoint_e2e::{ok, one_line_error, personal_rows, stdout_json, waypoint_quick};

fn wp(dir: &Path, args: &[&str]) -> Output {
    waypoint_quick(dir, args, None, &[])
}

#[test]
fn guides_are_read_offline_without_a_passphrase_in_the_language_asked_for() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    let list = stdout_json(wp(&dir, &["--json", "guides", "list"]));
    let ids: Vec<&str> = list["guides"]
        .as_array()
        .expect("guides")
        .iter()
        .map(|g| g["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids, ["rights", "t-visa", "hotline", "phone-safety"]);

    let before = personal_rows(&dir);
    for id in &ids {
        let g = stdout_json(wp(&dir, &["--json", "guides", "show", id]));
        assert!(!g["sources"].as_array().expect("sources").is_empty());
        assert!(g["not_advice"]
            .as_str()
            .expect("advice")
            .contains("not legal advice"));
        assert!(g["review_note"].is_null(), "English is reviewed");
        assert!(!g["help"].as_array().expect("help").is_empty());
    }
    let text = ok(wp(
        &dir,
        &["guides", "show", "t-visa", "--language", "es-MX"],
    ));
    assert!(text.contains("Qué es la visa T"), "{text}");
    assert!(text.contains("no asesoría legal"), "{text}");
    assert!(text.contains("https://www.uscis.gov"), "{text}");
    let vi = stdout_json(wp(
        &dir,
        &["--json", "guides", "show", "hotline", "--language", "vi"],
    ));
    assert!(
        vi["review_note"].is_string(),
        "vi still needs a native speaker"
    );

    let e = one_line_error(&wp(&dir, &["guides", "show", "SecretGuideMarker"]));
    assert!(!e.contains("SecretGuideMarker"), "{e}");
    assert_eq!(personal_rows(&dir), before, "reading guides wrote nothing");
    assert!(before.is_empty(), "no vault, no personal row: {before:?}");
}

//! End to end: someone reads the know-your-rights guides with `waypoint guides`, in
//! English and in Spanish, before any vault exists and without a passphrase; every guide
//! shows its sources, review date, the "not legal advice" line and directory help; a guide
//! in a language still waiting for a native speaker says so; a wrong id is one line; and
//! reading guides writes no row (byte-for-byte with a fixed clock: `core/src/guides/tests.rs`).
//!
//! Needs `cargo build --workspace --bins` first.

use std::path::Path;
use std::process::Output;

use waypoint_e2e::{ok, one_line_error, stdout_json, waypoint_quick};

fn wp(dir: &Path, args: &[&str]) -> Output {
    waypoint_quick(dir, args, None, &[])
}

/// Every row of every table except the public directory, sync and bookkeeping ones (the
/// core records the highest clock reading it has seen in `meta` on every start).
fn personal_rows(dir: &Path) -> Vec<String> {
    let db = rusqlite::Connection::open(dir.join("store.db")).expect("open db");
    let tables: Vec<String> = {
        let mut st = db
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .expect("tables");
        st.query_map([], |r| r.get(0))
            .expect("tables")
            .collect::<Result<_, _>>()
            .expect("tables")
    };
    let mut out = Vec::new();
    for t in tables {
        if t.starts_with("directory")
            || t.starts_with("sync")
            || t == "meta"
            || t == "schema_version"
        {
            continue;
        }
        let mut st = db
            .prepare(&format!("SELECT * FROM \"{t}\""))
            .expect("select");
        let n = st.column_count();
        let rows = st
            .query_map([], |r| {
                let mut row = format!("{t}:");
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    row.push_str(&format!("{v:?}|"));
                }
                Ok(row)
            })
            .expect("rows");
        for row in rows {
            out.push(row.expect("row"));
        }
    }
    out.sort();
    out
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

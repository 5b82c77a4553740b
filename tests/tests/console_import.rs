//! `waypoint-server import` and `export-hsds` end to end with the real binary: a report
//! before anything changes, nothing written on error, and export -> import giving the same
//! records in every HSDS form.

use std::path::Path;

use waypoint_e2e::server_cmd;

fn run(args: &[&str]) -> std::process::Output {
    server_cmd(args)
}

fn export(data: &Path, out: &Path, format: &str) {
    let o = run(&[
        "export-hsds",
        "--data-dir",
        data.to_str().expect("utf8"),
        "--format",
        format,
        out.to_str().expect("utf8"),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn import(data: &Path, path: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["import", "--data-dir", data.to_str().expect("utf8")];
    args.extend_from_slice(extra);
    args.push(path.to_str().expect("utf8"));
    run(&args)
}

#[test]
fn a_spreadsheet_with_one_bad_row_changes_nothing_and_names_the_line() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("server");
    let csv = dir.path().join("sheet.csv");
    std::fs::write(
        &csv,
        "Service,Kind,Phone\nSafe Line,hotline,+1 202 555 0100\nBad Line,hotline,+1 555 12\n",
    )
    .expect("write");
    let flags = [
        "--map",
        "name=Service",
        "--map",
        "categories=Kind",
        "--map",
        "phones=Phone",
        "--country",
        "US",
        "--last-verified",
        "2026-11-01",
    ];
    let out = import(&data, &csv, &flags);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("error line 3 (bad-line): phones[0]"), "{err}");
    assert!(!err.contains("555 12"), "values are not echoed: {err}");
    let empty = dir.path().join("empty.json");
    export(&data, &empty, "nested");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&empty).expect("read")).expect("json");
    assert_eq!(v["services"], serde_json::json!([]), "nothing was imported");

    std::fs::write(
        &csv,
        "Service,Kind,Phone\nSafe Line,hotline,+1 202 555 0100\n",
    )
    .expect("write");
    let out = import(&data, &csv, &flags);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn export_then_import_gives_the_same_records_in_every_hsds_form() {
    let dir = tempfile::tempdir().expect("tmp");
    let first = dir.path().join("first");
    // The demo directory, imported through the CLI from its own HSDS export.
    let demo = waypoint_e2e::Server::start(&first, &["--demo"]);
    drop(demo);
    let nested = dir.path().join("nested.json");
    export(&first, &nested, "nested");
    let v: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&nested).expect("read")).expect("json");
    assert!(
        v["services"].as_array().is_some_and(|a| a.len() >= 3),
        "{v}"
    );
    for format in ["nested", "linked", "tabular"] {
        let out_path = dir.path().join(format!("out-{format}"));
        export(&first, &out_path, format);
        let second = dir.path().join(format!("second-{format}"));
        let o = import(&second, &out_path, &[]);
        assert!(
            o.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        let again = dir.path().join(format!("again-{format}.json"));
        export(&second, &again, "nested");
        assert_eq!(
            std::fs::read(&again).expect("read"),
            std::fs::read(&nested).expect("read"),
            "{format}: the re-exported directory differs"
        );
    }
}

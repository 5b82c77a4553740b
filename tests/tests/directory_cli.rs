//! The directory through the real CLI binary: packaged data on first run, search with
//! filters and dial links, show, status, and a hostile import refused in one line.

use waypoint_e2e::waypoint;

fn json_ok(dir: &std::path::Path, args: &[&str]) -> serde_json::Value {
    let out = waypoint(dir, args, None);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json output")
}

fn uris(result: &serde_json::Value) -> Vec<String> {
    result["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .map(|a| a["uri"].as_str().expect("uri").to_owned())
        .collect()
}

#[test]
fn first_run_search_finds_the_trafficking_hotline_with_dial_and_text_links() {
    let dir = tempfile::tempdir().expect("tempdir");
    let v = json_ok(
        dir.path(),
        &[
            "directory",
            "search",
            "trafficking hotline",
            "--country",
            "US",
            "--json",
        ],
    );
    let first = &v["results"][0];
    assert_eq!(first["id"], "us-national-human-trafficking-hotline");
    assert_eq!(
        uris(first),
        vec![
            "tel:+18883737888",
            "sms:233733;phone-context=+1",
            "https://humantraffickinghotline.org/"
        ]
    );
    assert_eq!(first["actions"][0]["kind"], "call");
    assert_eq!(first["actions"][1]["kind"], "text");
}

#[test]
fn search_filters_by_category_language_and_answers_in_spanish() {
    let dir = tempfile::tempdir().expect("tempdir");
    let v = json_ok(
        dir.path(),
        &[
            "directory",
            "search",
            "violencia",
            "--category",
            "hotline",
            "--language",
            "es",
            "--lang",
            "es",
            "--json",
        ],
    );
    let results = v["results"].as_array().expect("results");
    assert!(!results.is_empty());
    let dv = results
        .iter()
        .find(|r| r["id"] == "us-national-domestic-violence-hotline")
        .expect("domestic violence hotline");
    assert_eq!(dv["text_language"], "es");
    let start = dv["actions"]
        .as_array()
        .expect("a")
        .iter()
        .find(|a| a["kind"] == "text")
        .expect("text line");
    assert_eq!(start["uri"], "sms:88788;phone-context=+1");
    assert_eq!(start["launch_uri"], "sms:88788", "dialers read ';' as wait");
    assert_eq!(start["keyword"], "START");
    // Every result honours the filters.
    for r in results {
        assert!(r["categories"]
            .as_array()
            .expect("c")
            .iter()
            .any(|c| c == "hotline"));
        assert!(r["languages"]
            .as_array()
            .expect("l")
            .iter()
            .any(|l| l == "es"));
    }
    // Category filter excludes: emergency numbers are not hotlines.
    let em = json_ok(
        dir.path(),
        &[
            "directory",
            "search",
            "",
            "--category",
            "emergency",
            "--country",
            "GB",
            "--json",
        ],
    );
    let em = em["results"].as_array().expect("results");
    assert_eq!(em.len(), 1);
    assert_eq!(
        uris(&em[0]),
        vec!["tel:999;phone-context=+44", "tel:112;phone-context=+44"]
    );
}

#[test]
fn open_now_keeps_24_7_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let v = json_ok(
        dir.path(),
        &["directory", "search", "988", "--open-now", "--json"],
    );
    let r = &v["results"][0];
    assert_eq!(r["id"], "us-988-suicide-crisis-lifeline");
    assert_eq!(r["open_now"], true);
    assert_eq!(uris(r)[0], "tel:988;phone-context=+1");
}

#[test]
fn show_and_status_report_the_packaged_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = json_ok(
        dir.path(),
        &[
            "directory",
            "show",
            "gb-modern-slavery-exploitation-helpline",
            "--json",
        ],
    );
    assert_eq!(uris(&r)[0], "tel:+448000121700");
    assert!(r["source"]
        .as_str()
        .is_some_and(|s| s.starts_with("https://")));
    let st = json_ok(dir.path(), &["directory", "status", "--json"]);
    assert_eq!(st["origin"], "packaged");
    assert!(st["resources"].as_u64().is_some_and(|n| n >= 20));
    let top = json_ok(dir.path(), &["status", "--json"]);
    assert_eq!(
        top["directory_version"], st["version"],
        "status().directory_version is the installed one"
    );
}

#[test]
fn hostile_import_is_one_line_error_and_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let before = json_ok(dir.path(), &["directory", "status", "--json"]);
    let file = dir.path().join("evil.bundle");
    std::fs::write(
        &file,
        br#"{"payload_type":"waypoint.bundle","payload":"e30=","signatures":[{"keyid":"00","sig":"AA=="}]}"#,
    )
    .expect("write");
    let out = waypoint(
        dir.path(),
        &["directory", "import", file.to_str().expect("utf8")],
        None,
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.starts_with("waypoint: verification"), "{err}");
    let after = json_ok(dir.path(), &["directory", "status", "--json"]);
    assert_eq!(before, after);
    let missing = waypoint(dir.path(), &["directory", "show", "no-such-id"], None);
    assert!(!missing.status.success());
    assert_eq!(String::from_utf8_lossy(&missing.stderr).lines().count(), 1);
}

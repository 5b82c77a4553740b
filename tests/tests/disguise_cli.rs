//! `waypoint calc` and `waypoint panic` through the real binary.

use waypoint_e2e::waypoint;

fn stdout(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn calc_prints_what_the_display_shows() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (keys, display) in [
        ("12+3=", "15"),
        ("2+3x4=", "14"),
        ("9/0=", "Error"),
        ("50+10%=", "55"),
    ] {
        assert_eq!(
            stdout(&waypoint(dir.path(), &["calc", keys], None)),
            display,
            "{keys}"
        );
    }
    let json: serde_json::Value = serde_json::from_str(&stdout(&waypoint(
        dir.path(),
        &["calc", "6x7=", "--json"],
        None,
    )))
    .expect("json");
    assert_eq!(json["display"], "42");
}

#[test]
fn calc_never_creates_a_data_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("never-made");
    stdout(&waypoint(&data, &["calc", "1+1="], None));
    assert!(!data.exists());
}

#[test]
fn calc_rejects_unknown_keys_in_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = waypoint(dir.path(), &["calc", "1+q="], None);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.trim(),
        "waypoint: invalid keys: unknown key at position 3"
    );
}

#[test]
fn panic_locks_without_a_prompt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = waypoint(dir.path(), &["panic", "--json"], None);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(json["locked"], true);
    assert_eq!(json["decoy"], "calculator");
    assert!(out.stderr.is_empty(), "no message that betrays the app");
}

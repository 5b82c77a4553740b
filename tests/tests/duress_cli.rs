//! `waypoint vault ...` in a duress session, through the real binary: every vault action
//! answers exactly as it does in the real vault (no "locked"), and none of them reaches the
//! real vault.
//!
//! Needs `cargo build -p waypoint-cli` first.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use waypoint_e2e::{bin, ok};

const REAL: &str = "the real passphrase";
const DURESS: &str = "the duress passphrase";

fn wp(dir: &Path, args: &[&str], pass: &str, new: Option<&str>) -> Output {
    let mut cmd = Command::new(bin("waypoint"));
    cmd.arg("--data-dir").arg(dir).args(args);
    // Debug builds only: a low work factor so the test is quick.
    cmd.env("WAYPOINT_TEST_SCRYPT_LOG_N", "4");
    cmd.env("WAYPOINT_PASSPHRASE", pass);
    match new {
        Some(n) => cmd.env("WAYPOINT_NEW_PASSPHRASE", n),
        None => cmd.env_remove("WAYPOINT_NEW_PASSPHRASE"),
    };
    cmd.stdin(Stdio::null());
    cmd.output().expect("run waypoint")
}

/// Every `vault` action, with `own` the passphrase the session is opened with; what each
/// printed (stdout, or the error line).
fn every_vault_action(dir: &Path, own: &str) -> Vec<String> {
    let runs: [(&[&str], Option<&str>); 6] = [
        (&["vault", "duress-set"], Some("a third passphrase")),
        (
            &["vault", "duress-set", "--shred"],
            Some("a fourth passphrase"),
        ),
        (&["vault", "duress-set"], Some(own)),
        (&["vault", "duress-clear"], None),
        (&["vault", "wipe-after", "5"], None),
        (&["vault", "wipe-after", "off"], None),
    ];
    runs.iter()
        .map(|(args, new)| {
            let out = wp(dir, args, own, *new);
            if out.status.success() {
                String::from_utf8_lossy(&out.stdout).trim().to_owned()
            } else {
                String::from_utf8_lossy(&out.stderr).trim().to_owned()
            }
        })
        .collect()
}

#[test]
fn vault_actions_in_a_duress_session_answer_like_the_real_vault_and_change_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // A fresh vault, to compare with.
    let fresh = tmp.path().join("fresh");
    ok(wp(&fresh, &["init"], DURESS, None));
    let expected = every_vault_action(&fresh, DURESS);

    let dir = tmp.path().join("data");
    ok(wp(&dir, &["init"], REAL, None));
    ok(wp(&dir, &["vault", "wipe-after", "3"], REAL, None));
    ok(wp(&dir, &["vault", "duress-set"], REAL, Some(DURESS)));
    let slots = |dir: &Path| -> Vec<Vec<u8>> {
        let db = rusqlite::Connection::open(dir.join("store.db")).expect("db");
        let mut st = db
            .prepare("SELECT wrapped FROM vault_slot ORDER BY slot")
            .expect("query");
        st.query_map([], |r| r.get(0))
            .expect("rows")
            .collect::<Result<_, _>>()
            .expect("slots")
    };
    let before = slots(&dir);

    let seen = every_vault_action(&dir, DURESS);
    assert!(
        !seen.iter().any(|s| s.contains("locked")),
        "no action gives the decoy away: {seen:?}"
    );
    assert_eq!(seen, expected, "the decoy answers as a fresh vault does");
    assert_eq!(slots(&dir), before, "no slot of the real vault was touched");

    // Both passphrases still open what they opened; what the decoy "set" opens nothing.
    ok(wp(&dir, &["unlock-check"], REAL, None));
    ok(wp(&dir, &["unlock-check"], DURESS, None));
    let out = wp(&dir, &["unlock-check"], "a fourth passphrase", None);
    assert!(!out.status.success());
    // The real vault's wipe-after 3 is still armed: the decoy's "off" did not reach it.
    for _ in 0..2 {
        let _ = wp(&dir, &["unlock-check"], "wrong", None);
    }
    let status = ok(wp(&dir, &["--json", "status"], REAL, None));
    assert!(status.contains("\"uninitialized\""), "{status}");
}

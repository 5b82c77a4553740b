//! End to end: a person keeps a journal with the `waypoint` CLI, and the exported archive
//! opens with Debian's standard `age` tool and its hash chain verifies.
//!
//! Needs `cargo build --workspace --bins` first and the `age` package (`apt-get install age`).

use std::path::Path;
use std::process::{Command, Output};
use waypoint_e2e::{age_keygen, ok, one_line_error, stdout_json, waypoint_quick};

use sha2::{Digest, Sha256};

const PASS: &str = "a long journal passphrase";

fn wp(dir: &Path, args: &[&str], pass: Option<&str>, envs: &[(&str, &str)]) -> Output {
    waypoint_quick(dir, args, pass, envs)
}

fn init(dir: &Path) {
    ok(wp(dir, &["init"], Some(PASS), &[]));
}

#[test]
fn a_person_keeps_a_journal_end_to_end() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    let status = stdout_json(wp(&dir, &["--json", "status"], None, &[]));
    assert_eq!(status["vault"], "locked");

    let photo = tmp.path().join("photo.jpg");
    std::fs::write(&photo, b"\xff\xd8 pretend jpeg").expect("photo");
    let added = stdout_json(wp(
        &dir,
        &[
            "--json",
            "journal",
            "add",
            "--title",
            "Boss took my passport",
            "--body",
            "He said I owe 3000 for the trip.",
            "--happened-at",
            "2024-03-01 14:30",
            "--tag",
            "Work",
            "--person",
            "the boss",
            "--hours-worked",
            "84",
            "--wages-promised",
            "500 EUR/week",
            "--document-withheld",
            "passport",
            "--attach",
            photo.to_str().expect("utf-8"),
        ],
        Some(PASS),
        &[],
    ));
    let id = added["id"].as_str().expect("id").to_owned();
    assert_eq!(added["case_details"]["hours_worked"], 84.0);
    assert_eq!(added["attachments"][0]["kind"], "photo");
    assert_eq!(added["happened_at_ms"], 1_709_303_400_000_i64);
    ok(wp(
        &dir,
        &["journal", "add", "--title", "Second", "--body", "calm day"],
        Some(PASS),
        &[],
    ));

    let list = stdout_json(wp(&dir, &["--json", "journal", "list"], Some(PASS), &[]));
    assert_eq!(list.as_array().expect("array").len(), 2);
    let by_tag = stdout_json(wp(
        &dir,
        &["--json", "journal", "list", "--tag", "work"],
        Some(PASS),
        &[],
    ));
    assert_eq!(by_tag[0]["id"], id.as_str());
    let found = stdout_json(wp(
        &dir,
        &["--json", "journal", "search", "passp"],
        Some(PASS),
        &[],
    ));
    assert_eq!(found.as_array().expect("array").len(), 1);
    assert_eq!(found[0]["id"], id.as_str());

    let edited = stdout_json(wp(
        &dir,
        &[
            "--json",
            "journal",
            "edit",
            &id,
            "--body",
            "He said I owe 4000.",
        ],
        Some(PASS),
        &[],
    ));
    assert_eq!(edited["revision"], 2);
    assert_eq!(
        edited["title"], "Boss took my passport",
        "untouched fields kept"
    );
    let history = stdout_json(wp(
        &dir,
        &["--json", "journal", "show", &id, "--history"],
        Some(PASS),
        &[],
    ));
    assert_eq!(history.as_array().expect("array").len(), 2);
    let shown = ok(wp(&dir, &["journal", "show", &id], Some(PASS), &[]));
    assert!(shown.contains("He said I owe 4000."));

    // Wrong passphrase: one clear line, nothing lost.
    let bad = wp(&dir, &["journal", "list"], Some("wrong"), &[]);
    assert!(one_line_error(&bad).contains("wrong passphrase"));
    // Passphrase change keeps everything.
    ok(wp(
        &dir,
        &["passphrase", "change"],
        Some(PASS),
        &[("WAYPOINT_NEW_PASSPHRASE", "new one")],
    ));
    one_line_error(&wp(&dir, &["journal", "list"], Some(PASS), &[]));
    let list = stdout_json(wp(
        &dir,
        &["--json", "journal", "list"],
        Some("new one"),
        &[],
    ));
    assert_eq!(list.as_array().expect("array").len(), 2);

    ok(wp(&dir, &["journal", "delete", &id], Some("new one"), &[]));
    let list = stdout_json(wp(
        &dir,
        &["--json", "journal", "list"],
        Some("new one"),
        &[],
    ));
    assert_eq!(list.as_array().expect("array").len(), 1);
    one_line_error(&wp(&dir, &["journal", "show", &id], Some("new one"), &[]));
    // Bad input is one line too.
    one_line_error(&wp(
        &dir,
        &["journal", "add", "--title", ""],
        Some("new one"),
        &[],
    ));
    one_line_error(&wp(
        &dir,
        &["journal", "list", "--from", "yesterday"],
        Some("new one"),
        &[],
    ));
}

#[test]
fn no_marker_reaches_the_data_dir_through_the_cli() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    let att = tmp.path().join("note.txt");
    std::fs::write(&att, "AttachMarker5521 secret file").expect("att");
    ok(wp(
        &dir,
        &[
            "journal",
            "add",
            "--title",
            "TitleMarker8812",
            "--body",
            "BodyMarker1290",
            "--tag",
            "tagmarker4410",
            "--attach",
            att.to_str().expect("utf-8"),
        ],
        Some(PASS),
        &[],
    ));
    for f in walk(&dir) {
        let bytes = std::fs::read(&f).expect("read");
        for m in [
            "TitleMarker8812",
            "BodyMarker1290",
            "tagmarker4410",
            "AttachMarker5521",
            PASS,
        ] {
            let utf16: Vec<u8> = m.encode_utf16().flat_map(u16::to_le_bytes).collect();
            for needle in [m.as_bytes(), utf16.as_slice()] {
                assert!(
                    !bytes.windows(needle.len()).any(|w| w == needle),
                    "{m} found in {}",
                    f.display()
                );
            }
        }
    }
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        if e.path().is_dir() {
            out.extend(walk(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

#[test]
fn exported_archive_opens_with_the_age_cli_and_its_hash_chain_verifies() {
    let age_ok = Command::new("age")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        age_ok,
        "the `age` command is required (Debian package `age`)"
    );
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    let att = tmp.path().join("recording.m4a");
    std::fs::write(&att, vec![42u8; 100_000]).expect("att");
    ok(wp(
        &dir,
        &[
            "journal",
            "add",
            "--title",
            "first",
            "--body",
            "b1",
            "--happened-at",
            "2024-01-01",
            "--attach",
            att.to_str().expect("utf-8"),
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
            "second",
            "--body",
            "b2",
            "--happened-at",
            "2024-02-01",
        ],
        Some(PASS),
        &[],
    ));

    let key = tmp.path().join("lawyer.key");
    let recipient = age_keygen(&key);
    let out = tmp.path().join("evidence.age");
    let summary = stdout_json(wp(
        &dir,
        &[
            "--json",
            "journal",
            "export",
            "--recipient",
            &recipient,
            "--out",
            out.to_str().expect("utf-8"),
        ],
        Some(PASS),
        &[],
    ));
    assert_eq!(summary["entries"], 2);
    assert_eq!(summary["attachments"], 1);

    let tar_path = tmp.path().join("evidence.tar");
    let dec = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&key)
        .arg("-o")
        .arg(&tar_path)
        .arg(&out)
        .output()
        .expect("age -d");
    assert!(
        dec.status.success(),
        "age -d: {}",
        String::from_utf8_lossy(&dec.stderr)
    );
    let x = tmp.path().join("x");
    std::fs::create_dir(&x).expect("mkdir");
    let untar = Command::new("tar")
        .arg("-xf")
        .arg(&tar_path)
        .arg("-C")
        .arg(&x)
        .output()
        .expect("tar");
    assert!(untar.status.success());
    let root = x.join("waypoint-export");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("manifest.json")).expect("manifest"))
            .expect("json");
    assert_eq!(manifest["head"], summary["chain_head"]);
    // Recompute the chain exactly as README.txt describes it.
    let mut chain: [u8; 32] = Sha256::digest(b"waypoint-evidence-chain/v1").into();
    let items = manifest["items"].as_array().expect("items");
    assert_eq!(
        items.len(),
        2 * 2 + 1,
        "json + md per entry, one attachment"
    );
    for item in items {
        let path = item["path"].as_str().expect("path");
        let bytes = std::fs::read(x.join(path)).expect("file listed in manifest exists");
        let sha = hex::encode(Sha256::digest(&bytes));
        assert_eq!(item["sha256"], sha.as_str(), "{path}");
        let mut h = Sha256::new();
        h.update(chain);
        h.update(path.as_bytes());
        h.update(b"\n");
        h.update(sha.as_bytes());
        chain = h.finalize().into();
        assert_eq!(item["chain"], hex::encode(chain).as_str());
    }
    assert_eq!(manifest["head"], hex::encode(chain).as_str());
    // Oldest first, and the readable rendering is there.
    assert!(items[0]["path"].as_str().expect("path").ends_with(".json"));
    let first_md =
        std::fs::read_to_string(x.join(items[1]["path"].as_str().expect("p"))).expect("md");
    assert!(first_md.starts_with("# first"));
    let att_item = items
        .iter()
        .find(|i| {
            i["path"]
                .as_str()
                .is_some_and(|p| p.contains("/attachments/"))
        })
        .expect("att");
    assert_eq!(
        std::fs::read(x.join(att_item["path"].as_str().expect("p"))).expect("att"),
        vec![42u8; 100_000]
    );

    // Someone without the key cannot open it; a broken recipient is one clear line.
    let other = tmp.path().join("other.key");
    age_keygen(&other);
    let denied = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&other)
        .arg(&out)
        .output()
        .expect("age");
    assert!(!denied.status.success());
    one_line_error(&wp(
        &dir,
        &[
            "journal",
            "export",
            "--recipient",
            "age1nope",
            "--out",
            "/tmp/x.age",
        ],
        Some(PASS),
        &[],
    ));
}

#[test]
fn wrong_old_passphrases_in_passphrase_change_wipe_after_n() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    ok(wp(&dir, &["vault", "wipe-after", "2"], Some(PASS), &[]));
    for _ in 0..2 {
        let out = wp(
            &dir,
            &["passphrase", "change"],
            Some("a guess"),
            &[("WAYPOINT_NEW_PASSPHRASE", "mine now")],
        );
        assert!(!out.status.success(), "a wrong old passphrase is refused");
        one_line_error(&out);
    }
    let status = stdout_json(wp(&dir, &["--json", "status"], None, &[]));
    assert_eq!(status["vault"], "uninitialized", "the second guess wiped");
    assert!(!wp(&dir, &["unlock-check"], Some(PASS), &[])
        .status
        .success());
}

#[cfg(unix)]
#[test]
fn the_data_dir_and_exports_are_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("data");
    init(&dir);
    let att = tmp.path().join("photo.jpg");
    std::fs::write(&att, vec![7u8; 5_000]).expect("att");
    ok(wp(
        &dir,
        &[
            "journal",
            "add",
            "--title",
            "t",
            "--body",
            "b",
            "--attach",
            att.to_str().expect("utf-8"),
        ],
        Some(PASS),
        &[],
    ));
    let recipient = age_keygen(&tmp.path().join("key.txt"));
    let export = tmp.path().join("evidence.age");
    ok(wp(
        &dir,
        &[
            "journal",
            "export",
            "--recipient",
            &recipient,
            "--out",
            export.to_str().expect("utf-8"),
        ],
        Some(PASS),
        &[],
    ));
    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&export), 0o600, "the export");
    let mut files = 0;
    let mut dirs = vec![dir.clone()];
    while let Some(d) = dirs.pop() {
        assert_eq!(mode(&d), 0o700, "{}", d.display());
        for e in std::fs::read_dir(&d).expect("read dir").flatten() {
            if e.path().is_dir() {
                dirs.push(e.path());
            } else {
                assert_eq!(mode(&e.path()), 0o600, "{}", e.path().display());
                files += 1;
            }
        }
    }
    assert!(files >= 2, "store.db and the attachment at least ({files})");
}

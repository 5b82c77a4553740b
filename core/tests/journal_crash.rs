//! Crash safety: a child process writing entries, attachments and edits is killed with
//! SIGKILL at random moments, many times. Every write whose call returned (the child
//! printed it) must be present and intact afterwards, the store must open, nothing may be
//! damaged, no stray file may remain after unlock, and no plaintext may be on disk.

mod crash_harness;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use waypoint_core::journal::{EntryFilter, BLOB_DIR};

use crash_harness::{child_spec, run_and_kill};

const PASS: &str = "crash test passphrase";
const ROUNDS: u64 = 60;
const NOW_MS: i64 = 1_700_000_000_000;

const CHILD_ENV: &str = "WAYPOINT_CRASH_CHILD";

/// The child half of the crash test: when started by the parent (with `WAYPOINT_CRASH_CHILD`
/// set to `<data_dir>|<first_index>`), it writes entries, attachments and edits as fast as
/// it can, printing `@@ ...` once each write has returned, until it is killed. Run on its
/// own (no variable set) it has nothing to do.
#[test]
fn crash_child_writer() {
    use std::io::Write;
    use waypoint_core::journal::EntryDraft;
    let Some((dir, first)) = child_spec(CHILD_ENV) else {
        return;
    };
    let wp = open(&dir);
    wp.unlock(PASS.into()).expect("unlock");
    let mut out = std::io::stdout().lock();
    for i in first.. {
        let e = wp
            .journal_add(EntryDraft {
                title: format!("crash {i}"),
                body: format!(
                    "CrashMarker{i} {}",
                    "words of the entry ".repeat((i % 40) as usize)
                ),
                tags: vec![format!("t{}", i % 7)],
                ..EntryDraft::default()
            })
            .expect("add");
        writeln!(out, "@@ E {} {i}", e.id).expect("stdout");
        out.flush().expect("flush");
        if i % 3 == 0 {
            let content = vec![(i % 251) as u8; 50_000 + (i % 13) as usize * 1000];
            let a = wp
                .journal_attach_bytes(
                    e.id.clone(),
                    content,
                    format!("a{i}.bin"),
                    "application/octet-stream".into(),
                )
                .expect("attach");
            writeln!(out, "@@ A {} {} {i}", e.id, a.id).expect("stdout");
            out.flush().expect("flush");
        }
        if i % 4 == 0 {
            let mut d = e.to_draft();
            d.title = format!("crash {i} edited");
            wp.journal_edit(e.id.clone(), d).expect("edit");
            writeln!(out, "@@ R {} {i}", e.id).expect("stdout");
            out.flush().expect("flush");
        }
    }
}

fn open(dir: &Path) -> std::sync::Arc<waypoint_core::Core> {
    crash_harness::open(dir, NOW_MS)
}

#[derive(Default)]
struct Expected {
    round: u64,
    edited: bool,
    attachment: Option<String>,
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        if e.path().is_dir() {
            out.extend(files(&e.path()));
        } else {
            out.push(e.path());
        }
    }
    out
}

fn scan_for_markers(dir: &Path) {
    for f in files(dir) {
        let bytes = std::fs::read(&f).expect("read");
        for needle in [&b"CrashMarker"[..], &b"crash "[..]] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "plaintext found in {}",
                f.display()
            );
        }
    }
}

#[test]
fn sigkill_at_random_moments_loses_no_returned_write() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    {
        let wp = open(dir);
        wp.setup(PASS.into()).expect("setup");
        wp.lock();
    }
    let mut expected: HashMap<String, (u64, Expected)> = HashMap::new();
    for round in 0..ROUNDS {
        let killed = run_and_kill("crash_child_writer", CHILD_ENV, dir, round);
        if round % 10 == 9 {
            // Right after the kill, with the WAL and -shm as the child left them.
            // (Slow in a debug build, so every tenth round.)
            scan_for_markers(dir);
        }
        for line in killed.confirmed() {
            let parts: Vec<&str> = line.split_whitespace().collect();
            match parts.as_slice() {
                ["E", id, i] => {
                    expected.insert(
                        (*id).to_owned(),
                        (
                            i.parse().expect("i"),
                            Expected {
                                round,
                                ..Expected::default()
                            },
                        ),
                    );
                }
                ["A", id, att, _] => {
                    expected.get_mut(*id).expect("entry first").1.attachment =
                        Some((*att).to_owned());
                }
                ["R", id, _] => expected.get_mut(*id).expect("entry first").1.edited = true,
                other => panic!("unexpected line {other:?}"),
            }
        }
        // Every confirmed write is there and intact.
        let wp = open(dir);
        wp.unlock(PASS.into()).expect("unlock after kill");
        let listed = wp.journal_list(EntryFilter::default()).expect("list");
        assert_eq!(
            wp.journal_damaged_count().expect("damaged"),
            0,
            "round {round}"
        );
        let by_id: HashMap<_, _> = listed.iter().map(|e| (e.id.clone(), e)).collect();
        for (id, (i, exp)) in &expected {
            let e = by_id
                .get(id)
                .unwrap_or_else(|| panic!("confirmed entry {i} lost in round {round}"));
            let want_title = if exp.edited {
                format!("crash {i} edited")
            } else {
                format!("crash {i}")
            };
            // An edit that did not return may or may not have landed; a returned one must.
            assert!(
                e.title == want_title || (!exp.edited && e.title == format!("crash {i} edited"))
            );
            assert!(e.body.starts_with(&format!("CrashMarker{i} ")));
            // Attachment contents: this round's every round, all of them in the last round.
            let check_content = exp.round == round || round == ROUNDS - 1;
            if let (Some(att), true) = (&exp.attachment, check_content) {
                let bytes = wp
                    .journal_attachment_bytes(att.clone())
                    .expect("attachment intact");
                assert!(bytes.iter().all(|b| *b == (*i % 251) as u8));
            }
        }
        // Stray temporary or unrecorded files were removed at unlock.
        let recorded: usize = listed.iter().map(|e| e.attachments.len()).sum();
        let blob_dir = dir.join(BLOB_DIR);
        let on_disk = if blob_dir.exists() {
            files(&blob_dir).len()
        } else {
            0
        };
        assert_eq!(on_disk, recorded, "round {round}");
        wp.lock();
        drop(wp);
    }
    assert!(
        expected.len() >= 20,
        "the writer made progress ({} entries)",
        expected.len()
    );
}

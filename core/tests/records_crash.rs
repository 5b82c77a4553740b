//! Crash safety of the documents' and the safety plan's rollback-protection manifests: a
//! child process adding, editing, re-scanning and removing documents and changing and
//! deleting the safety plan is killed with SIGKILL at random moments, many times. After
//! each kill the store opens, nothing is reported damaged (the manifest and the rows were
//! written in one transaction, so a kill never leaves them disagreeing: no false alarm),
//! every document whose write returned is there, and no stray scan file is left.

mod crash_harness;

use std::collections::HashMap;
use std::path::Path;

use waypoint_core::documents::{DocumentDraft, DocumentType, FILE_DIR};
use waypoint_core::safety_plan::{Section, SectionContent};

use crash_harness::{child_spec, run_and_kill};

const PASS: &str = "records crash passphrase";
const ROUNDS: u64 = 30;
const CHILD_ENV: &str = "WAYPOINT_RECORDS_CRASH_CHILD";

const NOW_MS: i64 = 1_768_402_800_000;

fn open(dir: &Path) -> std::sync::Arc<waypoint_core::Core> {
    crash_harness::open(dir, NOW_MS)
}

fn draft(label: String) -> DocumentDraft {
    DocumentDraft {
        doc_type: DocumentType::WorkPermit,
        label: Some(label),
        expires_on: Some("2027-03-31".into()),
        expiry_reminder_days: vec![30],
        ..DocumentDraft::default()
    }
}

/// The child half: started by the parent with `WAYPOINT_RECORDS_CRASH_CHILD` set to
/// `<data_dir>|<first_index>`, it writes as fast as it can, printing `@@ ...` once each
/// write has returned, until it is killed. Run on its own it has nothing to do.
#[test]
fn records_crash_child_writer() {
    use std::io::Write;
    let Some((dir, first)) = child_spec(CHILD_ENV) else {
        return;
    };
    let wp = open(&dir);
    wp.unlock(PASS.into()).expect("unlock");
    let mut out = std::io::stdout().lock();
    let mut previous: Option<String> = None;
    for i in first.. {
        let d = wp.documents_add(draft(format!("doc {i}"))).expect("add");
        writeln!(out, "@@ D {} {i}", d.id).expect("stdout");
        out.flush().expect("flush");
        if i % 2 == 0 {
            let scan = vec![(i % 251) as u8; 20_000 + (i % 7) as usize * 3000];
            wp.documents_set_file_bytes(d.id.clone(), scan, "scan.jpg".into(), "image/jpeg".into())
                .expect("scan");
            writeln!(out, "@@ F {} {i}", d.id).expect("stdout");
            out.flush().expect("flush");
        }
        if i % 3 == 0 {
            wp.documents_edit(d.id.clone(), draft(format!("doc {i} edited")))
                .expect("edit");
            writeln!(out, "@@ E {} {i}", d.id).expect("stdout");
            out.flush().expect("flush");
        }
        if let (Some(p), true) = (previous.take(), i % 5 == 0) {
            wp.documents_delete(p.clone()).expect("remove");
            writeln!(out, "@@ X {p} {i}").expect("stdout");
            out.flush().expect("flush");
        }
        previous = Some(d.id);
        let content = SectionContent {
            items: vec![format!("place {i}")],
            notes: None,
        };
        wp.safety_plan_set_section(Section::SafePlaces, content)
            .expect("plan");
        writeln!(out, "@@ P {i}").expect("stdout");
        out.flush().expect("flush");
        if i % 7 == 0 {
            wp.safety_plan_delete().expect("plan delete");
            writeln!(out, "@@ PD {i}").expect("stdout");
            out.flush().expect("flush");
        }
    }
}

#[derive(Debug, Default)]
struct Expected {
    index: u64,
    edited: bool,
    scanned: bool,
    removed: bool,
}

#[test]
fn sigkill_during_document_and_plan_writes_raises_no_false_alarm() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path();
    {
        let wp = open(dir);
        wp.setup(PASS.into()).expect("setup");
        wp.lock();
    }
    let mut expected: HashMap<String, Expected> = HashMap::new();
    let mut writes = 0usize;
    for round in 0..ROUNDS {
        let killed = run_and_kill("records_crash_child_writer", CHILD_ENV, dir, round);
        // The last confirmed plan write of this round: Some(i) set, None deleted.
        let mut plan: Option<Option<u64>> = None;
        for line in killed.confirmed() {
            writes += 1;
            let parts: Vec<&str> = line.split_whitespace().collect();
            match parts.as_slice() {
                ["D", id, i] => {
                    let index = i.parse().expect("i");
                    expected.insert(
                        (*id).to_owned(),
                        Expected {
                            index,
                            ..Expected::default()
                        },
                    );
                }
                ["F", id, _] => expected.get_mut(*id).expect("added first").scanned = true,
                ["E", id, _] => expected.get_mut(*id).expect("added first").edited = true,
                ["X", id, _] => expected.get_mut(*id).expect("added first").removed = true,
                ["P", i] => plan = Some(Some(i.parse().expect("i"))),
                ["PD", _] => plan = Some(None),
                other => panic!("unexpected line {other:?}"),
            }
        }
        let wp = open(dir);
        wp.unlock(PASS.into()).expect("unlock after kill");
        assert_eq!(
            wp.documents_damaged_count().expect("count"),
            0,
            "documents, round {round}"
        );
        assert_eq!(
            wp.safety_plan_damaged_count().expect("count"),
            0,
            "safety plan, round {round}"
        );
        let shown = wp.safety_plan_get().expect("the plan opens");
        let items = &shown
            .section(Section::SafePlaces)
            .expect("section")
            .content
            .items;
        // A write that returned is there; the one in flight may or may not have landed.
        if let Some(Some(i)) = plan {
            let j: u64 = items
                .first()
                .and_then(|s| s.strip_prefix("place "))
                .map_or(i, |s| s.parse().expect("j"));
            assert!(j >= i, "round {round}: plan {j} older than confirmed {i}");
        }
        let listed: HashMap<String, _> = wp
            .documents_list()
            .expect("list")
            .into_iter()
            .map(|d| (d.id.clone(), d))
            .collect();
        for (id, exp) in &expected {
            let found = listed.get(id);
            if exp.removed {
                assert!(found.is_none(), "round {round}: removed document is back");
                continue;
            }
            // Removal may have landed without being confirmed.
            let Some(d) = found else { continue };
            let label = d.draft.label.as_deref().expect("label");
            assert!(
                label == format!("doc {}", exp.index)
                    || label == format!("doc {} edited", exp.index),
                "round {round}: another document's details"
            );
            if exp.edited {
                assert!(label.ends_with("edited"), "round {round}: edit lost");
            }
            if exp.scanned {
                assert!(d.file.is_some(), "round {round}: scan lost");
            }
        }
        // Only the scans of listed documents remain (strays removed at unlock).
        let with_file = listed.values().filter(|d| d.file.is_some()).count();
        let on_disk = std::fs::read_dir(dir.join(FILE_DIR)).map_or(0, |r| r.count());
        assert_eq!(on_disk, with_file, "round {round}");
        wp.lock();
        drop(wp);
    }
    assert!(writes >= 40, "the writer made progress ({writes} writes)");
}

//! Rollback protection of the documents: an older copy of a document row (with its scan),
//! a removed document put back, or a deleted row is noticed when the documents are first
//! used after unlock, set aside, counted, and the others stay readable; normal use,
//! restarts, a duress session and upgraded vaults raise no false alarm. (A kill in the
//! middle of a write: `core/tests/records_crash.rs`.)

use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::app::Core;

const NOW: i64 = 1_768_402_800_000;
const PASS: &str = "documents pass";

fn open_core(dir: &Path) -> Arc<Core> {
    crate::test_support::open_core_at(dir, NOW)
}

fn setup(dir: &Path) -> Arc<Core> {
    let wp = open_core(dir);
    wp.setup(PASS.into()).expect("setup");
    wp
}

fn draft(label: &str) -> DocumentDraft {
    DocumentDraft {
        doc_type: DocumentType::Visa,
        label: Some(label.to_owned()),
        expires_on: Some("2027-03-31".into()),
        ..DocumentDraft::default()
    }
}

/// Everything someone copying the phone's files keeps of one document: its row, its scan
/// row and the scan file itself.
struct Copy {
    row: Row,
    file: Option<(String, Vec<u8>)>,
}

fn copy_of(wp: &Core, id: &str) -> Copy {
    let (row, file): (Row, Option<String>) = wp
        .store
        .with_conn(|c| {
            let row = c.query_row(
                "SELECT id, tag, revision, key_sealed, sealed FROM documents WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )?;
            let file = c
                .query_row(
                    "SELECT file FROM document_files WHERE document_id = ?1",
                    [id],
                    |r| r.get(0),
                )
                .optional()?;
            Ok((row, file))
        })
        .expect("copy");
    let file = file.map(|f| {
        let bytes = std::fs::read(wp.data_dir().join(FILE_DIR).join(&f)).expect("scan");
        (f, bytes)
    });
    Copy { row, file }
}

fn put_back(wp: &Core, copy: &Copy) {
    let row = &copy.row;
    wp.store
        .with_conn(|c| {
            c.execute(
                "INSERT INTO documents (id, tag, revision, key_sealed, sealed)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(id) DO UPDATE SET tag = excluded.tag, revision = excluded.revision,
                     key_sealed = excluded.key_sealed, sealed = excluded.sealed",
                rusqlite::params![row.0, row.1, row.2, row.3, row.4],
            )?;
            if let Some((f, _)) = &copy.file {
                c.execute(
                    "INSERT INTO document_files (document_id, file) VALUES (?1, ?2)
                     ON CONFLICT(document_id) DO UPDATE SET file = excluded.file",
                    rusqlite::params![row.0, f],
                )?;
            }
            Ok(())
        })
        .expect("put back");
    if let Some((f, bytes)) = &copy.file {
        std::fs::write(wp.data_dir().join(FILE_DIR).join(f), bytes).expect("scan back");
    }
}

fn sql(wp: &Core, statement: &str, id: &str) {
    wp.store
        .with_conn(|c| {
            c.execute(statement, [id])?;
            Ok(())
        })
        .expect("sql");
}

fn listed(wp: &Core) -> Vec<String> {
    let mut ids: Vec<String> = wp
        .documents_list()
        .expect("list")
        .into_iter()
        .map(|d| d.id)
        .collect();
    ids.sort();
    ids
}

use crate::test_support::relock;

fn is_storage_error<T>(r: Result<T>) -> bool {
    matches!(r, Err(Error::Corrupt(_)))
}

fn scan(wp: &Core, id: &str, bytes: &[u8]) -> Document {
    wp.documents_set_file_bytes(
        id.to_owned(),
        bytes.to_vec(),
        "s.jpg".into(),
        "image/jpeg".into(),
    )
    .expect("scan")
}

#[test]
fn an_older_copy_of_a_document_and_its_scan_put_back_is_detected_and_spares_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    let keep = wp.documents_add(draft("keep")).expect("add");
    scan(&wp, &keep.id, b"kept scan");
    let d = wp.documents_add(draft("old label")).expect("add");
    scan(&wp, &d.id, b"the old scan");
    let old = copy_of(&wp, &d.id);
    wp.documents_edit(d.id.clone(), draft("new label"))
        .expect("edit");
    scan(&wp, &d.id, b"the new scan");
    // The whole old copy: row, scan row and scan file (each of which authenticates).
    put_back(&wp, &old);
    assert!(
        is_storage_error(wp.documents_get(d.id.clone())),
        "caught on read in the running session"
    );
    relock(&wp, PASS);
    assert_eq!(listed(&wp), vec![keep.id.clone()], "the rest is listed");
    assert_eq!(
        wp.documents_damaged_count().expect("count"),
        1,
        "and reported"
    );
    assert!(is_storage_error(wp.documents_get(d.id.clone())));
    assert!(is_storage_error(wp.documents_file_bytes(d.id.clone())));
    assert!(is_storage_error(
        wp.documents_edit(d.id.clone(), draft("over it"))
    ));
    assert_eq!(
        wp.documents_file_bytes(keep.id.clone()).expect("kept"),
        b"kept scan"
    );
    // Removing it is how its owner acknowledges it; that is remembered.
    let gone = wp.documents_delete(d.id.clone()).expect("acknowledge");
    assert_eq!(gone.document.id, d.id);
    assert_eq!(wp.documents_damaged_count().expect("count"), 0);
    relock(&wp, PASS);
    assert_eq!(
        wp.documents_damaged_count().expect("count"),
        0,
        "remembered"
    );
    assert_eq!(listed(&wp), vec![keep.id]);
}

#[test]
fn a_removed_document_put_back_is_detected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    let keep = wp.documents_add(draft("keep")).expect("add");
    let d = wp.documents_add(draft("removed on purpose")).expect("add");
    scan(&wp, &d.id, b"a scan that was removed");
    let copy = copy_of(&wp, &d.id);
    wp.documents_delete(d.id.clone()).expect("remove");
    put_back(&wp, &copy);
    relock(&wp, PASS);
    assert_eq!(listed(&wp), vec![keep.id]);
    assert_eq!(wp.documents_damaged_count().expect("count"), 1);
    assert!(is_storage_error(wp.documents_get(d.id.clone())));
    wp.documents_delete(d.id).expect("acknowledge");
    assert_eq!(wp.documents_damaged_count().expect("count"), 0);
}

#[test]
fn a_deleted_row_or_scan_row_is_detected_and_can_be_acknowledged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    let ids: Vec<String> = (0..3)
        .map(|i| wp.documents_add(draft(&format!("d{i}"))).expect("add").id)
        .collect();
    scan(&wp, &ids[2], b"scan");
    sql(&wp, "DELETE FROM documents WHERE id = ?1", &ids[1]);
    relock(&wp, PASS);
    let mut rest = vec![ids[0].clone(), ids[2].clone()];
    rest.sort();
    assert_eq!(listed(&wp), rest, "the others are untouched");
    assert_eq!(
        wp.documents_damaged_count().expect("count"),
        1,
        "the loss is reported"
    );
    assert!(is_storage_error(wp.documents_get(ids[1].clone())));
    let gone = wp.documents_delete(ids[1].clone()).expect("acknowledge");
    assert_eq!(gone.document.id, ids[1]);
    assert_eq!(wp.documents_damaged_count().expect("count"), 0);
    relock(&wp, PASS);
    assert_eq!(
        wp.documents_damaged_count().expect("count"),
        0,
        "remembered"
    );
    // A scan row deleted: the document stays listed (its details are intact) and the
    // missing scan is counted.
    sql(
        &wp,
        "DELETE FROM document_files WHERE document_id = ?1",
        &ids[2],
    );
    relock(&wp, PASS);
    assert_eq!(listed(&wp), rest);
    assert_eq!(wp.documents_damaged_count().expect("count"), 1);
    assert!(is_storage_error(wp.documents_file_bytes(ids[2].clone())));
}

#[test]
fn normal_edits_removals_and_restarts_raise_no_alarm() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    let mut kept = Vec::new();
    for round in 0..4 {
        let a = wp.documents_add(draft(&format!("a{round}"))).expect("add");
        let b = wp.documents_add(draft(&format!("b{round}"))).expect("add");
        scan(&wp, &a.id, format!("scan {round}").as_bytes());
        wp.documents_edit(a.id.clone(), draft(&format!("a{round} edited")))
            .expect("edit");
        scan(&wp, &a.id, format!("second scan {round}").as_bytes());
        wp.documents_delete(b.id).expect("remove");
        // Removing only the scan writes a new revision: it must be recorded too.
        let c = wp.documents_add(draft(&format!("c{round}"))).expect("add");
        scan(&wp, &c.id, b"scan to remove");
        let c = wp.documents_remove_file(c.id).expect("remove the scan");
        assert!(c.file.is_none());
        kept.push(a.id);
        kept.push(c.id);
        assert_eq!(
            wp.documents_damaged_count().expect("count"),
            0,
            "round {round}"
        );
        relock(&wp, PASS);
        assert_eq!(
            wp.documents_damaged_count().expect("count"),
            0,
            "round {round}"
        );
    }
    kept.sort();
    drop(wp);
    // A restart (the store opened again).
    let wp = open_core(dir.path());
    wp.unlock(PASS.into()).expect("unlock");
    assert_eq!(listed(&wp), kept);
    assert_eq!(wp.documents_damaged_count().expect("count"), 0);
    for id in &kept {
        let d = wp.documents_get(id.clone()).expect("get");
        if d.file.is_some() {
            assert!(wp
                .documents_file_bytes(id.clone())
                .expect("scan")
                .starts_with(b"second scan"));
        }
    }
}

#[test]
fn each_vault_keeps_its_own_documents_manifest_of_the_same_size() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    let real = wp.documents_add(draft("real")).expect("add");
    scan(&wp, &real.id, b"real scan");
    wp.set_duress_passphrase("decoy pass".into(), false)
        .expect("duress");
    relock(&wp, "decoy pass");
    assert_eq!(
        wp.documents_damaged_count().expect("count"),
        0,
        "unaware of the real one"
    );
    let d = wp.documents_add(draft("bus pass")).expect("add");
    wp.documents_edit(d.id.clone(), draft("bus pass, monthly"))
        .expect("edit");
    let d2 = wp.documents_add(draft("library card")).expect("add");
    wp.documents_delete(d2.id).expect("remove");
    relock(&wp, PASS);
    assert_eq!(listed(&wp), vec![real.id.clone()]);
    assert_eq!(
        wp.documents_damaged_count().expect("count"),
        0,
        "real manifest intact"
    );
    wp.documents_edit(real.id.clone(), draft("real, edited"))
        .expect("edit");
    relock(&wp, "decoy pass");
    assert_eq!(listed(&wp), vec![d.id]);
    assert_eq!(
        wp.documents_damaged_count().expect("count"),
        0,
        "decoy manifest intact"
    );
    // One manifest per vault, and with a document each they are the same size: neither
    // row tells which vault it belongs to.
    let sizes: Vec<i64> = wp
        .store
        .with_conn(|c| {
            let mut st = c.prepare("SELECT length(sealed) FROM documents_manifest")?;
            let rows = st.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .expect("sizes");
    assert_eq!(sizes.len(), 2, "one per vault");
    assert_eq!(sizes[0], sizes[1]);
}

#[test]
fn documents_from_before_manifests_are_adopted_once_without_alarm() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    let a = wp.documents_add(draft("a")).expect("add");
    scan(&wp, &a.id, b"scan a");
    let b = wp.documents_add(draft("b")).expect("add");
    // As a build without manifests left it: key rows sealed at revision 0, no manifest.
    let rows: Vec<(String, Vec<u8>)> = wp
        .with_session(|s| {
            let key_rows = s.sealer.kind(KIND_KEY);
            [&a.id, &b.id]
                .into_iter()
                .map(|id| {
                    let sealed: Vec<u8> = wp.store.with_conn(|c| {
                        Ok(c.query_row(
                            "SELECT key_sealed FROM documents WHERE id = ?1",
                            [id],
                            |r| r.get(0),
                        )?)
                    })?;
                    let plain = key_rows.open(id, KEY_ROW_WITH_MANIFEST, &sealed)?;
                    Ok((
                        id.clone(),
                        key_rows.seal(id, KEY_ROW_BEFORE_MANIFESTS, &plain)?,
                    ))
                })
                .collect()
        })
        .expect("old key rows");
    wp.store
        .with_conn(|c| {
            for (id, sealed) in &rows {
                c.execute(
                    "UPDATE documents SET key_sealed = ?2 WHERE id = ?1",
                    rusqlite::params![id, sealed],
                )?;
            }
            c.execute("DELETE FROM documents_manifest", [])?;
            Ok(())
        })
        .expect("downgrade");
    relock(&wp, PASS);
    let mut both = vec![a.id.clone(), b.id.clone()];
    both.sort();
    assert_eq!(listed(&wp), both);
    assert_eq!(
        wp.documents_damaged_count().expect("count"),
        0,
        "adopted, no alarm"
    );
    assert_eq!(
        wp.documents_file_bytes(a.id.clone()).expect("scan"),
        b"scan a"
    );
    // Adopted once: a manifest removed now is reported (the key rows were resealed).
    wp.store
        .with_conn(|c| {
            c.execute("DELETE FROM documents_manifest", [])?;
            Ok(())
        })
        .expect("remove manifest");
    relock(&wp, PASS);
    assert_eq!(listed(&wp), both, "still listed");
    assert_eq!(
        wp.documents_damaged_count().expect("count"),
        1,
        "but reported"
    );
    wp.documents_edit(b.id, draft("b2")).expect("a write");
    assert_eq!(
        wp.documents_damaged_count().expect("count"),
        0,
        "records a new one"
    );
}

#[test]
fn a_write_that_fails_inside_its_transaction_changes_neither_row_nor_manifest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    let d = wp.documents_add(draft("a")).expect("add");
    // Another writer moved the manifest on underneath this session: the edit's transaction
    // fails at the manifest and rolls back the row update with it.
    let stored: (i64, Vec<u8>) = wp
        .store
        .with_conn(|c| {
            Ok(
                c.query_row("SELECT counter, sealed FROM documents_manifest", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?,
            )
        })
        .expect("manifest");
    wp.store
        .with_conn(|c| {
            c.execute("UPDATE documents_manifest SET counter = counter + 7", [])?;
            Ok(())
        })
        .expect("bump");
    assert!(wp.documents_edit(d.id.clone(), draft("b")).is_err());
    wp.store
        .with_conn(|c| {
            c.execute(
                "UPDATE documents_manifest SET counter = ?1, sealed = ?2",
                rusqlite::params![stored.0, stored.1],
            )?;
            Ok(())
        })
        .expect("restore");
    relock(&wp, PASS);
    assert_eq!(
        wp.documents_damaged_count().expect("count"),
        0,
        "no false alarm"
    );
    assert_eq!(
        wp.documents_get(d.id).expect("get").draft.label.as_deref(),
        Some("a")
    );
}

#[test]
fn removing_a_scan_records_the_new_revision_so_it_raises_no_alarm_after_unlock() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    let d = wp.documents_add(draft("with a scan")).expect("add");
    scan(&wp, &d.id, b"a scan");
    let after = wp
        .documents_remove_file(d.id.clone())
        .expect("remove the scan");
    assert!(after.file.is_none());
    relock(&wp, PASS);
    assert_eq!(listed(&wp), vec![d.id.clone()], "still listed");
    assert_eq!(wp.documents_damaged_count().expect("count"), 0, "no alarm");
    wp.documents_edit(d.id.clone(), draft("renamed"))
        .expect("and it can still be changed");
}

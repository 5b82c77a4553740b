//! Journal promises: round trips, ordering, search, tamper detection, nothing at rest in
//! plaintext, real deletion, attachments, duress separation, export.

use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::app::Core;
use crate::platform::FakeClock;
use crate::test_support::{age_body_sizes, all_files, assert_no_marker_on_disk};
use crate::vault::VaultConfig;

const DAY: i64 = 86_400_000;

fn open(dir: &Path, clock: &Arc<FakeClock>) -> Arc<Core> {
    Core::open_with_config(
        dir.to_string_lossy().into_owned(),
        clock.clone(),
        None,
        VaultConfig::for_tests(4),
    )
    .expect("open")
}

fn setup(dir: &Path) -> (Arc<Core>, Arc<FakeClock>) {
    let clock = Arc::new(FakeClock::new(1_700_000_000_000));
    let wp = open(dir, &clock);
    wp.setup("journal pass".into()).expect("setup");
    (wp, clock)
}

fn draft(title: &str, body: &str) -> EntryDraft {
    EntryDraft {
        title: title.into(),
        body: body.into(),
        ..EntryDraft::default()
    }
}

fn full_draft(marker: &str) -> EntryDraft {
    EntryDraft {
        title: format!("title {marker}"),
        body: format!("body {marker} with more words"),
        happened_at_ms: Some(1_600_000_000_000),
        mood: Some(format!("mood{marker}")),
        tags: vec![format!("tag{marker}")],
        place: Some(format!("place{marker}")),
        people: vec![format!("person{marker}")],
        case_details: CaseDetails {
            hours_worked: Some(84.5),
            wages_promised: Some(format!("wage{marker}")),
            wages_paid: Some("0".into()),
            debts_claimed: Some(format!("debt{marker}")),
            documents_withheld: vec![format!("passport{marker}")],
            threats: Some(format!("threat{marker}")),
        },
    }
}

#[test]
fn add_get_edit_history_delete_round_trip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, clock) = setup(dir.path());
    let e = wp.journal_add(full_draft("A")).expect("add");
    assert_eq!(e.revision, 1);
    assert_eq!(e.case_details.hours_worked, Some(84.5));
    let got = wp.journal_get(e.id.clone()).expect("get");
    assert_eq!(got, e);
    clock.advance(1000);
    let mut d = e.to_draft();
    d.body = "corrected body".into();
    let edited = wp.journal_edit(e.id.clone(), d).expect("edit");
    assert_eq!(edited.revision, 2);
    assert_eq!(edited.written_at_ms, e.written_at_ms);
    assert_eq!(edited.updated_at_ms, e.written_at_ms + 1000);
    let history = wp.journal_history(e.id.clone()).expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].body, e.body, "old revision kept");
    assert_eq!(history[1].body, "corrected body");
    // Survives lock + unlock (read back from disk).
    wp.lock();
    wp.unlock("journal pass".into()).expect("unlock");
    assert_eq!(
        wp.journal_get(e.id.clone()).expect("get").body,
        "corrected body"
    );
    wp.journal_delete(e.id.clone()).expect("delete");
    assert!(matches!(
        wp.journal_get(e.id.clone()),
        Err(crate::Error::NotFound)
    ));
    assert!(matches!(
        wp.journal_history(e.id),
        Err(crate::Error::NotFound)
    ));
}

#[test]
fn journal_needs_the_vault_unlocked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    wp.lock();
    assert!(matches!(
        wp.journal_add(draft("t", "b")),
        Err(crate::Error::Locked)
    ));
    assert!(matches!(
        wp.journal_list(EntryFilter::default()),
        Err(crate::Error::Locked)
    ));
}

#[test]
fn invalid_input_names_the_field_never_the_content() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let err = wp.journal_add(draft("", "  ")).expect_err("empty");
    assert!(matches!(err, crate::Error::InvalidInput { .. }));
    let secret = "SecretTitleContent".repeat(40);
    let err = wp.journal_add(draft(&secret, "b")).expect_err("long title");
    assert!(matches!(err, crate::Error::InvalidInput { ref field, .. } if field == "title"));
    assert!(!format!("{err} {err:?}").contains("SecretTitleContent"));
    let mut d = draft("t", "b");
    d.case_details.hours_worked = Some(f64::NAN);
    assert!(wp.journal_add(d).is_err());
    assert!(matches!(
        wp.journal_get("../../etc/passwd".into()),
        Err(crate::Error::InvalidInput { .. })
    ));
    assert!(matches!(
        wp.journal_get("0".repeat(32)),
        Err(crate::Error::NotFound)
    ));
}

#[test]
fn list_is_newest_first_and_filters_by_tag_and_date() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, clock) = setup(dir.path());
    let base = 1_650_000_000_000;
    let mut ids = Vec::new();
    for (i, tag) in ["work", "home", "work"].iter().enumerate() {
        let mut d = draft(&format!("entry {i}"), "b");
        d.happened_at_ms = Some(base + i as i64 * DAY);
        d.tags = vec![format!(" {} ", tag.to_uppercase())];
        ids.push(wp.journal_add(d).expect("add").id);
        clock.advance(10);
    }
    // Written later but happened earliest.
    let mut late = draft("late note", "b");
    late.happened_at_ms = Some(base - DAY);
    let late = wp.journal_add(late).expect("add");
    let all = wp.journal_list(EntryFilter::default()).expect("list");
    let order: Vec<&str> = all.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(order, ["entry 2", "entry 1", "entry 0", "late note"]);
    let work = wp
        .journal_list(EntryFilter {
            tag: Some("Work".into()),
            ..EntryFilter::default()
        })
        .expect("by tag");
    assert_eq!(
        work.iter().map(|e| &e.id).collect::<Vec<_>>(),
        [&ids[2], &ids[0]]
    );
    let range = wp
        .journal_list(EntryFilter {
            from_ms: Some(base),
            to_ms: Some(base + DAY),
            ..EntryFilter::default()
        })
        .expect("by date");
    assert_eq!(
        range.iter().map(|e| &e.id).collect::<Vec<_>>(),
        [&ids[1], &ids[0]]
    );
    let limited = wp
        .journal_list(EntryFilter {
            limit: Some(1),
            ..EntryFilter::default()
        })
        .expect("limit");
    assert_eq!(limited.len(), 1, "the limit is applied");
    assert_eq!(limited[0].id, ids[2]);
    assert!(all.iter().any(|e| e.id == late.id));
}

#[test]
fn list_orders_entries_of_the_same_moment_by_id_and_pages_consistently() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    // Same happened and written time (the clock does not move): only the id orders them.
    let mut ids: Vec<String> = (0..12)
        .map(|i| {
            let mut d = draft(&format!("same moment {i}"), "b");
            d.happened_at_ms = Some(1_650_000_000_000);
            wp.journal_add(d).expect("add").id
        })
        .collect();
    ids.sort();
    let listed: Vec<String> = wp
        .journal_list(EntryFilter::default())
        .expect("list")
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(listed, ids);
    let page: Vec<String> = wp
        .journal_list(EntryFilter {
            limit: Some(5),
            ..EntryFilter::default()
        })
        .expect("page")
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(page, ids[..5]);
}

#[test]
fn search_finds_words_prefixes_and_accents_in_every_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let a = wp
        .journal_add(EntryDraft {
            title: "Meeting at the Café".into(),
            body: "He kept my passport and said I owe him money".into(),
            people: vec!["Mr Kowalski".into()],
            ..EntryDraft::default()
        })
        .expect("add");
    let b = wp.journal_add(full_draft("zeta")).expect("add");
    let ids = |q: &str| -> Vec<String> {
        wp.journal_search(q.into())
            .expect("search")
            .into_iter()
            .map(|e| e.id)
            .collect()
    };
    assert_eq!(ids("owe"), std::slice::from_ref(&a.id));
    assert_eq!(ids("PASS").len(), 2, "prefix, case-insensitive");
    assert_eq!(
        ids("cafe"),
        std::slice::from_ref(&a.id),
        "accent-insensitive"
    );
    assert_eq!(
        ids("kowalski money"),
        std::slice::from_ref(&a.id),
        "all words"
    );
    assert!(ids("kowalski zeta").is_empty());
    assert_eq!(
        ids("passportzeta"),
        std::slice::from_ref(&b.id),
        "case detail fields are indexed"
    );
    assert_eq!(ids("threatzeta"), std::slice::from_ref(&b.id));
    assert!(ids("   ").is_empty());
    wp.journal_delete(a.id.clone()).expect("delete");
    assert!(ids("owe").is_empty(), "deleted entries leave the index");
    // The index is rebuilt after unlock.
    wp.lock();
    wp.unlock("journal pass".into()).expect("unlock");
    assert_eq!(ids("debtzeta"), [b.id]);
}

#[test]
fn no_plaintext_at_rest_in_any_file_or_encoding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let markers: Vec<String> = (0..6).map(|i| format!("Qx{i}MarkerZebra")).collect();
    let mut d = full_draft(&markers[0]);
    d.body = format!("{} {}", markers[1], "padding ".repeat(100));
    d.tags = vec![markers[2].clone()];
    let e = wp.journal_add(d).expect("add");
    wp.journal_attach_bytes(
        e.id.clone(),
        format!("attachment content {}", markers[3]).into_bytes(),
        format!("{}.txt", markers[4]),
        "text/plain".into(),
    )
    .expect("attach");
    let mut d2 = e.to_draft();
    d2.title = markers[5].clone();
    wp.journal_edit(e.id.clone(), d2).expect("edit");
    // While open (WAL and -shm present) ...
    assert_no_marker_on_disk(dir.path(), &markers, true);
    let _ = wp.journal_search(markers[1].clone()).expect("search");
    assert_no_marker_on_disk(dir.path(), &markers, true);
    // ... and after closing.
    wp.lock();
    drop(wp);
    assert_no_marker_on_disk(dir.path(), &markers, false);
}

fn entry_rows(wp: &Core) -> Vec<(String, Vec<u8>, Vec<u8>)> {
    wp.store
        .with_conn(|c| {
            let mut st =
                c.prepare("SELECT id, key_sealed, sealed FROM journal_entries ORDER BY id")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .expect("rows")
}

fn set_sealed(wp: &Core, id: &str, column: &str, value: &[u8]) {
    wp.store
        .with_conn(|c| {
            c.execute(
                &format!("UPDATE journal_entries SET {column} = ?1 WHERE id = ?2"),
                rusqlite::params![value, id],
            )?;
            Ok(())
        })
        .expect("update");
}

#[test]
fn swapped_flipped_or_truncated_rows_fail_clearly_and_spare_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let ids: Vec<String> = (0..5)
        .map(|i| {
            wp.journal_add(draft(&format!("e{i}"), "b"))
                .expect("add")
                .id
        })
        .collect();
    let rows = entry_rows(&wp);
    // Swap the ciphertexts of two rows; flip one byte in a third; truncate a fourth key.
    set_sealed(&wp, &rows[0].0, "sealed", &rows[1].2);
    set_sealed(&wp, &rows[1].0, "sealed", &rows[0].2);
    let mut flipped = rows[2].2.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x01;
    set_sealed(&wp, &rows[2].0, "sealed", &flipped);
    set_sealed(
        &wp,
        &rows[3].0,
        "key_sealed",
        &rows[3].1[..rows[3].1.len() - 3],
    );
    wp.lock();
    wp.unlock("journal pass".into()).expect("unlock");
    let listed = wp
        .journal_list(EntryFilter::default())
        .expect("list still works");
    assert_eq!(listed.len(), 1, "only the untouched entry is listed");
    assert_eq!(listed[0].id, rows[4].0);
    assert_eq!(wp.journal_damaged_count().expect("count"), 4);
    for row in &rows[..4] {
        let err = wp.journal_get(row.0.clone()).expect_err("damaged");
        assert!(
            matches!(
                err,
                crate::Error::Corrupt(_)
                    | crate::Error::Sqlite(_)
                    | crate::Error::Io(_)
                    | crate::Error::SchemaTooNew { .. }
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("authentication"), "{err}");
    }
    assert!(ids.contains(&rows[4].0));
    // A damaged entry can still be deleted.
    wp.journal_delete(rows[0].0.clone())
        .expect("delete damaged");
    assert_eq!(wp.journal_damaged_count().expect("count"), 3);
}

#[test]
fn tampering_after_unlock_is_caught_on_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let a = wp.journal_add(draft("a", "b")).expect("add");
    let b = wp.journal_add(draft("c", "d")).expect("add");
    let rows = entry_rows(&wp);
    let (ra, rb) = if rows[0].0 == a.id {
        (&rows[0], &rows[1])
    } else {
        (&rows[1], &rows[0])
    };
    set_sealed(&wp, &a.id, "sealed", &rb.2);
    assert!(matches!(
        wp.journal_get(a.id.clone()),
        Err(crate::Error::Corrupt(_)
            | crate::Error::Sqlite(_)
            | crate::Error::Io(_)
            | crate::Error::SchemaTooNew { .. })
    ));
    assert_eq!(wp.journal_get(b.id).expect("other intact").title, "c");
    let _ = ra;
}

#[test]
fn replaying_an_old_revision_is_detected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let e = wp.journal_add(draft("v1", "b")).expect("add");
    let v1 = entry_rows(&wp)[0].2.clone();
    wp.journal_edit(e.id.clone(), draft("v2", "b"))
        .expect("edit");
    set_sealed(&wp, &e.id, "sealed", &v1);
    assert!(matches!(
        wp.journal_get(e.id),
        Err(crate::Error::Corrupt(_)
            | crate::Error::Sqlite(_)
            | crate::Error::Io(_)
            | crate::Error::SchemaTooNew { .. })
    ));
}

#[test]
fn delete_shreds_the_key_and_leaves_no_ciphertext_on_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let keep = wp.journal_add(draft("keep", "b")).expect("add");
    let gone = wp
        .journal_add(draft("gone", "x".repeat(3000).as_str()))
        .expect("add");
    wp.journal_edit(gone.id.clone(), draft("gone 2", "y"))
        .expect("edit");
    let att = wp
        .journal_attach_bytes(
            gone.id.clone(),
            vec![7u8; 10_000],
            "a.bin".into(),
            "application/octet-stream".into(),
        )
        .expect("attach");
    let rows = entry_rows(&wp);
    let gone_row = rows.iter().find(|r| r.0 == gone.id).expect("row").clone();
    wp.journal_delete(gone.id.clone()).expect("delete");
    let count: i64 = wp
        .store
        .with_conn(|c| {
            Ok(c.query_row(
                "SELECT (SELECT count(*) FROM journal_entries) + (SELECT count(*) FROM journal_revisions) + (SELECT count(*) FROM journal_attachments)",
                [],
                |r| r.get(0),
            )?)
        })
        .expect("count");
    assert_eq!(count, 1, "only the kept entry remains");
    assert_eq!(
        all_files(&dir.path().join(BLOB_DIR)).len(),
        0,
        "attachment file removed"
    );
    // secure_delete + checkpoint: the old key and ciphertext are gone from every file.
    for f in all_files(dir.path()) {
        let bytes = std::fs::read(&f).expect("read");
        for needle in [&gone_row.1[1..33], &gone_row.2[1..33]] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "deleted ciphertext lingers in {}",
                f.display()
            );
        }
    }
    assert!(matches!(
        wp.journal_attachment_bytes(att.id),
        Err(crate::Error::NotFound)
    ));
    assert_eq!(wp.journal_get(keep.id).expect("kept").title, "keep");
}

#[test]
fn attachments_round_trip_stream_and_respect_the_size_limit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(0));
    let wp = Core::open_with_config(
        dir.path().to_string_lossy().into_owned(),
        clock,
        None,
        VaultConfig {
            attachment_max_bytes: 300_000,
            ..VaultConfig::for_tests(4)
        },
    )
    .expect("open");
    wp.setup("p".into()).expect("setup");
    let e = wp.journal_add(draft("with photo", "b")).expect("add");
    let content: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let src = dir.path().join("..").join(format!("src-{}.jpg", new_id()));
    std::fs::write(&src, &content).expect("write source");
    let info = wp
        .journal_attach_file(
            e.id.clone(),
            src.to_string_lossy().into_owned(),
            "photo.jpg".into(),
            "image/jpeg".into(),
        )
        .expect("attach");
    let _ = std::fs::remove_file(&src);
    assert_eq!(info.kind, AttachmentKind::Photo);
    assert_eq!(info.size, 200_000);
    assert_eq!(
        wp.journal_attachment_bytes(info.id.clone()).expect("read"),
        content
    );
    let out = dir.path().join("out.bin");
    assert_eq!(
        wp.journal_save_attachment(info.id.clone(), out.to_string_lossy().into_owned())
            .expect("save"),
        200_000
    );
    assert_eq!(std::fs::read(&out).expect("read out"), content);
    std::fs::remove_file(&out).expect("rm");
    assert_eq!(
        wp.journal_get(e.id.clone()).expect("get").attachments,
        vec![info.clone()]
    );
    // Too large: a clear error and nothing left behind.
    let err = wp
        .journal_attach_bytes(
            e.id.clone(),
            vec![0u8; 300_001],
            "big.wav".into(),
            "audio/wav".into(),
        )
        .expect_err("too large");
    assert!(err.to_string().contains("limit"), "{err}");
    assert_eq!(
        all_files(&dir.path().join(BLOB_DIR)).len(),
        1,
        "no partial file"
    );
    // Unknown entry.
    assert!(matches!(
        wp.journal_attach_bytes("f".repeat(32), vec![1], "x".into(), "text/plain".into()),
        Err(crate::Error::NotFound)
    ));
    // A flipped byte in the stored file is an error, not wrong data.
    let file = all_files(&dir.path().join(BLOB_DIR)).remove(0);
    let mut bytes = std::fs::read(&file).expect("read");
    let n = bytes.len();
    bytes[n - 100] ^= 1;
    std::fs::write(&file, bytes).expect("write");
    assert!(matches!(
        wp.journal_attachment_bytes(info.id.clone()),
        Err(crate::Error::Corrupt(_)
            | crate::Error::Sqlite(_)
            | crate::Error::Io(_)
            | crate::Error::SchemaTooNew { .. })
    ));
    // Survives a relock and is deleted with its entry.
    wp.journal_delete_attachment(info.id)
        .expect("delete attachment");
    assert!(wp.journal_get(e.id).expect("get").attachments.is_empty());
}

#[test]
fn stray_files_from_a_killed_write_are_removed_at_unlock() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let e = wp.journal_add(draft("a", "b")).expect("add");
    let info = wp
        .journal_attach_bytes(e.id, vec![1, 2, 3], "x.txt".into(), "text/plain".into())
        .expect("attach");
    let blobs = dir.path().join(BLOB_DIR);
    std::fs::write(blobs.join(format!("{}.tmp", new_id())), b"partial").expect("stray tmp");
    std::fs::write(blobs.join(new_id()), b"renamed, never recorded").expect("stray file");
    wp.lock();
    wp.unlock("journal pass".into()).expect("unlock");
    let _ = wp.journal_list(EntryFilter::default()).expect("list");
    assert_eq!(
        all_files(&blobs).len(),
        1,
        "only the recorded attachment remains"
    );
    assert_eq!(
        wp.journal_attachment_bytes(info.id).expect("read"),
        vec![1, 2, 3]
    );
}

#[test]
fn duress_journal_is_separate_from_the_real_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let real = wp.journal_add(draft("real entry", "truth")).expect("add");
    wp.set_duress_passphrase("decoy pass".into(), false)
        .expect("duress");
    wp.lock();
    wp.unlock("decoy pass".into()).expect("decoy");
    assert!(wp
        .journal_list(EntryFilter::default())
        .expect("list")
        .is_empty());
    assert_eq!(
        wp.journal_damaged_count().expect("count"),
        0,
        "real rows are not 'damaged'"
    );
    assert!(wp
        .journal_search("truth".into())
        .expect("search")
        .is_empty());
    assert!(matches!(
        wp.journal_get(real.id.clone()),
        Err(crate::Error::NotFound)
    ));
    let decoy = wp.journal_add(draft("groceries", "milk")).expect("add");
    wp.lock();
    wp.unlock("journal pass".into()).expect("real");
    let listed = wp.journal_list(EntryFilter::default()).expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, real.id);
    assert!(matches!(
        wp.journal_get(decoy.id),
        Err(crate::Error::NotFound)
    ));
}

#[test]
fn passphrase_change_keeps_the_journal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let e = wp.journal_add(full_draft("K")).expect("add");
    wp.change_passphrase("journal pass".into(), "another".into())
        .expect("change");
    wp.lock();
    drop(wp);
    let wp = open(dir.path(), &Arc::new(FakeClock::new(0)));
    wp.unlock("another".into()).expect("unlock");
    assert_eq!(wp.journal_get(e.id.clone()).expect("get"), e);
}

#[test]
fn debug_output_hides_content() {
    let e = JournalEntry {
        id: "i".into(),
        revision: 1,
        title: "SecretT".into(),
        body: "SecretB".into(),
        happened_at_ms: None,
        written_at_ms: 0,
        updated_at_ms: 0,
        mood: Some("SecretM".into()),
        tags: vec!["SecretTag".into()],
        place: None,
        people: vec![],
        case_details: CaseDetails::default(),
        attachments: vec![],
    };
    let shown = format!("{e:?} {:?} {:?}", e.to_draft(), e.case_details);
    assert!(!shown.contains("Secret"), "{shown}");
}

#[test]
fn export_decrypts_with_age_and_its_hash_chain_verifies() {
    use std::io::Read;
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, clock) = setup(dir.path());
    let a = wp.journal_add(full_draft("one")).expect("add");
    clock.advance(DAY);
    let mut d = draft("second", "more");
    d.happened_at_ms = Some(1_500_000_000_000);
    let b = wp.journal_add(d).expect("add");
    wp.journal_attach_bytes(
        a.id.clone(),
        b"photo bytes".to_vec(),
        "../evil name.jpg".into(),
        "image/jpeg".into(),
    )
    .expect("attach");
    let identity = age::x25519::Identity::generate();
    let out = dir.path().join("export.age");
    let summary = wp
        .journal_export_to_recipient(
            identity.to_public().to_string(),
            out.to_string_lossy().into_owned(),
        )
        .expect("export");
    assert_eq!((summary.entries, summary.attachments), (2, 1));
    let file = std::fs::File::open(&out).expect("open export");
    let dec = age::Decryptor::new(file).expect("age header");
    let mut plain = Vec::new();
    dec.decrypt(std::iter::once(&identity as &dyn age::Identity))
        .expect("decrypt")
        .read_to_end(&mut plain)
        .expect("read");
    let mut files = std::collections::BTreeMap::new();
    let mut order = Vec::new();
    for entry in tar::Archive::new(plain.as_slice()).entries().expect("tar") {
        let mut entry = entry.expect("entry");
        let path = entry.path().expect("path").to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read");
        order.push(path.clone());
        files.insert(path, bytes);
    }
    let manifest: export::Manifest =
        serde_json::from_slice(&files["waypoint-export/manifest.json"]).expect("manifest");
    assert_eq!(manifest.head, summary.chain_head);
    export::verify_manifest(&manifest, |p| files.get(p).cloned()).expect("chain verifies");
    // Oldest first: b happened earlier.
    assert!(manifest.items[0].path.contains(&b.id));
    assert!(order.iter().all(|p| !p.contains("..")), "no path escapes");
    let att_path = manifest
        .items
        .iter()
        .find(|i| i.path.contains("/attachments/"))
        .expect("attachment");
    assert_eq!(files[&att_path.path], b"photo bytes");
    // Tampering is detected: altered file, removed file, reordered files.
    let mut altered = files.clone();
    altered
        .get_mut(&manifest.items[1].path)
        .expect("item")
        .push(b'x');
    assert!(export::verify_manifest(&manifest, |p| altered.get(p).cloned()).is_err());
    let mut removed = manifest.clone();
    removed.items.remove(0);
    assert!(export::verify_manifest(&removed, |p| files.get(p).cloned()).is_err());
    let mut swapped = manifest.clone();
    swapped.items.swap(0, 1);
    assert!(export::verify_manifest(&swapped, |p| files.get(p).cloned()).is_err());
    // Passphrase exports open with that passphrase.
    let out2 = dir.path().join("export2.age");
    wp.journal_export_to_passphrase("lawyer pass".into(), out2.to_string_lossy().into_owned())
        .expect("export");
    let dec = age::Decryptor::new(std::fs::File::open(&out2).expect("open")).expect("header");
    let id = age::scrypt::Identity::new("lawyer pass".to_owned().into());
    assert!(dec
        .decrypt(std::iter::once(&id as &dyn age::Identity))
        .is_ok());
    // A bad recipient is a clear error; no file is created.
    let out3 = dir.path().join("export3.age");
    assert!(matches!(
        wp.journal_export_to_recipient("age1notvalid".into(), out3.to_string_lossy().into_owned()),
        Err(crate::Error::InvalidInput { .. })
    ));
    assert!(!out3.exists());
}

#[test]
fn export_readme_says_what_the_unkeyed_chain_does_and_does_not_prove() {
    use std::io::Read;
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    wp.journal_add(draft("a", "b")).expect("add");
    let identity = age::x25519::Identity::generate();
    let out = dir.path().join("export.age");
    wp.journal_export_to_recipient(
        identity.to_public().to_string(),
        out.to_string_lossy().into_owned(),
    )
    .expect("export");
    let dec = age::Decryptor::new(std::fs::File::open(&out).expect("open")).expect("header");
    let mut plain = Vec::new();
    dec.decrypt(std::iter::once(&identity as &dyn age::Identity))
        .expect("decrypt")
        .read_to_end(&mut plain)
        .expect("read");
    let mut readme = String::new();
    for entry in tar::Archive::new(plain.as_slice()).entries().expect("tar") {
        let mut entry = entry.expect("entry");
        if entry.path().expect("path").ends_with("README.txt") {
            entry.read_to_string(&mut readme).expect("utf-8");
        }
    }
    // Squash line breaks so the test reads the sentences, not the layout.
    let text = readme.split_whitespace().collect::<Vec<_>>().join(" ");
    for claim in [
        "The chain is NOT a signature",
        "anyone who changes, adds or removes files can recompute every hash",
        "proves that this archive is the one the app exported only if you compare the head",
        "received from the person who exported it by another route",
        "It does not prove who wrote the entries, or when",
        "does not show who made the archive",
    ] {
        assert!(text.contains(claim), "README must say: {claim}\n{readme}");
    }
}

/// One full row of `journal_entries`, every column, as someone copying the database would
/// keep it: (id, tag, revision, key_sealed, sealed).
type FullRow = (String, Vec<u8>, i64, Vec<u8>, Vec<u8>);

fn full_row(wp: &Core, id: &str) -> FullRow {
    wp.store
        .with_conn(|c| {
            Ok(c.query_row(
                "SELECT id, tag, revision, key_sealed, sealed FROM journal_entries WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )?)
        })
        .expect("row")
}

fn put_full_row(wp: &Core, row: &FullRow) {
    wp.store
        .with_conn(|c| {
            c.execute(
                "INSERT INTO journal_entries (id, tag, revision, key_sealed, sealed)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(id) DO UPDATE SET tag = excluded.tag, revision = excluded.revision,
                     key_sealed = excluded.key_sealed, sealed = excluded.sealed",
                rusqlite::params![row.0, row.1, row.2, row.3, row.4],
            )?;
            Ok(())
        })
        .expect("put row");
}

fn sql(wp: &Core, statement: &str, id: &str) {
    wp.store
        .with_conn(|c| {
            c.execute(statement, [id])?;
            Ok(())
        })
        .expect("sql");
}

fn listed_ids(wp: &Core) -> Vec<String> {
    let mut ids: Vec<String> = wp
        .journal_list(EntryFilter::default())
        .expect("list")
        .into_iter()
        .map(|e| e.id)
        .collect();
    ids.sort();
    ids
}

fn relock(wp: &Core) {
    wp.lock();
    wp.unlock("journal pass".into()).expect("unlock");
}

#[test]
fn putting_back_an_older_full_row_is_detected_and_spares_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let keep = wp.journal_add(draft("keep", "b")).expect("add");
    let e = wp.journal_add(draft("he hit me", "v1")).expect("add");
    let v1 = full_row(&wp, &e.id);
    wp.journal_edit(e.id.clone(), draft("he hit me", "v2, with the date"))
        .expect("edit");
    // The whole old row: ciphertext and revision column together (it authenticates).
    put_full_row(&wp, &v1);
    assert!(
        matches!(
            wp.journal_get(e.id.clone()),
            Err(crate::Error::Corrupt(_)
                | crate::Error::Sqlite(_)
                | crate::Error::Io(_)
                | crate::Error::SchemaTooNew { .. })
        ),
        "caught on read in the running session"
    );
    relock(&wp);
    assert_eq!(listed_ids(&wp), vec![keep.id.clone()], "the rest is listed");
    assert_eq!(
        wp.journal_damaged_count().expect("count"),
        1,
        "and reported"
    );
    assert!(matches!(
        wp.journal_get(e.id.clone()),
        Err(crate::Error::Corrupt(_)
            | crate::Error::Sqlite(_)
            | crate::Error::Io(_)
            | crate::Error::SchemaTooNew { .. })
    ));
    assert_eq!(wp.journal_get(keep.id).expect("kept").title, "keep");
}

#[test]
fn a_deleted_row_is_detected_and_can_be_acknowledged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let ids: Vec<String> = (0..3)
        .map(|i| {
            wp.journal_add(draft(&format!("e{i}"), "b"))
                .expect("add")
                .id
        })
        .collect();
    wp.journal_edit(ids[1].clone(), draft("e1", "edited"))
        .expect("edit");
    sql(&wp, "DELETE FROM journal_entries WHERE id = ?1", &ids[1]);
    relock(&wp);
    let mut rest = vec![ids[0].clone(), ids[2].clone()];
    rest.sort();
    assert_eq!(listed_ids(&wp), rest, "the others are untouched");
    assert_eq!(
        wp.journal_damaged_count().expect("count"),
        1,
        "the loss is reported"
    );
    // Deleting the missing entry is how its owner acknowledges the loss.
    wp.journal_delete(ids[1].clone()).expect("acknowledge");
    assert_eq!(wp.journal_damaged_count().expect("count"), 0);
    relock(&wp);
    assert_eq!(wp.journal_damaged_count().expect("count"), 0, "remembered");
    assert_eq!(listed_ids(&wp), rest);
}

#[test]
fn an_entry_put_back_after_deletion_is_detected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let keep = wp.journal_add(draft("keep", "b")).expect("add");
    let gone = wp
        .journal_add(draft("deleted on purpose", "b"))
        .expect("add");
    let row = full_row(&wp, &gone.id);
    wp.journal_delete(gone.id.clone()).expect("delete");
    put_full_row(&wp, &row);
    relock(&wp);
    assert_eq!(listed_ids(&wp), vec![keep.id]);
    assert_eq!(wp.journal_damaged_count().expect("count"), 1);
}

#[test]
fn a_removed_manifest_or_history_row_is_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let e = wp.journal_add(draft("a", "v1")).expect("add");
    wp.journal_edit(e.id.clone(), draft("a", "v2"))
        .expect("edit");
    wp.journal_edit(e.id.clone(), draft("a", "v3"))
        .expect("edit");
    sql(
        &wp,
        "DELETE FROM journal_revisions WHERE entry_id = ?1 AND revision = 1",
        &e.id,
    );
    assert!(matches!(
        wp.journal_history(e.id.clone()),
        Err(crate::Error::Corrupt(_)
            | crate::Error::Sqlite(_)
            | crate::Error::Io(_)
            | crate::Error::SchemaTooNew { .. })
    ));
    wp.store
        .with_conn(|c| {
            c.execute("DELETE FROM journal_manifest", [])?;
            Ok(())
        })
        .expect("delete manifest");
    relock(&wp);
    assert_eq!(listed_ids(&wp), vec![e.id.clone()], "entries still listed");
    assert_eq!(
        wp.journal_damaged_count().expect("count"),
        1,
        "but the missing manifest is reported"
    );
}

#[test]
fn each_vault_keeps_its_own_manifest_and_the_decoy_breaks_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let real: Vec<String> = (0..2)
        .map(|i| {
            wp.journal_add(draft(&format!("r{i}"), "b"))
                .expect("add")
                .id
        })
        .collect();
    wp.set_duress_passphrase("decoy pass".into(), false)
        .expect("duress");
    wp.lock();
    wp.unlock("decoy pass".into()).expect("decoy");
    assert_eq!(wp.journal_damaged_count().expect("count"), 0);
    let d = wp.journal_add(draft("groceries", "milk")).expect("add");
    wp.journal_edit(d.id.clone(), draft("groceries", "milk, eggs"))
        .expect("edit");
    let d2 = wp.journal_add(draft("bus", "times")).expect("add");
    wp.journal_delete(d2.id).expect("delete");
    wp.lock();
    wp.unlock("journal pass".into()).expect("real");
    let mut want = real.clone();
    want.sort();
    assert_eq!(listed_ids(&wp), want);
    assert_eq!(
        wp.journal_damaged_count().expect("count"),
        0,
        "real manifest intact"
    );
    wp.journal_add(draft("r2", "b")).expect("add");
    wp.lock();
    wp.unlock("decoy pass".into()).expect("decoy");
    assert_eq!(listed_ids(&wp), vec![d.id]);
    assert_eq!(
        wp.journal_damaged_count().expect("count"),
        0,
        "decoy manifest intact"
    );
    let manifests: i64 = wp
        .store
        .with_conn(|c| Ok(c.query_row("SELECT count(*) FROM journal_manifest", [], |r| r.get(0))?))
        .expect("count");
    assert_eq!(manifests, 2, "one per vault");
}

/// Rewrites every entry's key row as a build without manifests wrote it (sealed at
/// revision 0) and removes the manifest: an upgraded database.
fn as_before_manifests(wp: &Core) {
    let rows: Vec<(String, Vec<u8>)> = wp
        .store
        .with_conn(|c| {
            let mut st = c.prepare("SELECT id, key_sealed FROM journal_entries")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .expect("rows");
    let old: Vec<(String, Vec<u8>)> = wp
        .with_session(|s| {
            rows.iter()
                .map(|(id, sealed)| {
                    let plain = s.sealer.open(KIND_KEY, id, KEY_ROW_WITH_MANIFEST, sealed)?;
                    let resealed = s
                        .sealer
                        .seal(KIND_KEY, id, KEY_ROW_BEFORE_MANIFESTS, &plain)?;
                    Ok((id.clone(), resealed))
                })
                .collect()
        })
        .expect("reseal");
    wp.store
        .with_conn(|c| {
            for (id, sealed) in &old {
                c.execute(
                    "UPDATE journal_entries SET key_sealed = ?2 WHERE id = ?1",
                    rusqlite::params![id, sealed],
                )?;
            }
            c.execute("DELETE FROM journal_manifest", [])?;
            Ok(())
        })
        .expect("downgrade");
}

#[test]
fn entries_from_before_manifests_are_adopted_once_without_alarm() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let ids: Vec<String> = (0..3)
        .map(|i| {
            wp.journal_add(draft(&format!("e{i}"), "b"))
                .expect("add")
                .id
        })
        .collect();
    as_before_manifests(&wp);
    relock(&wp);
    let mut want = ids.clone();
    want.sort();
    assert_eq!(listed_ids(&wp), want);
    assert_eq!(wp.journal_damaged_count().expect("count"), 0, "no alarm");
    // From now on they are checked like any other: a deleted row is reported, and so is
    // a removed manifest (the adopted key rows were resealed; they cannot be adopted again).
    sql(&wp, "DELETE FROM journal_entries WHERE id = ?1", &ids[0]);
    relock(&wp);
    assert_eq!(wp.journal_damaged_count().expect("count"), 1);
    wp.store
        .with_conn(|c| {
            c.execute("DELETE FROM journal_manifest", [])?;
            Ok(())
        })
        .expect("delete manifest");
    relock(&wp);
    assert_eq!(
        wp.journal_damaged_count().expect("count"),
        1,
        "removed manifest"
    );
}

#[test]
fn attachments_in_one_size_bucket_are_the_same_size_on_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let e = wp.journal_add(draft("a", "b")).expect("add");
    let mut infos = Vec::new();
    for (i, len) in [2_100usize, 3_000, 4_000].into_iter().enumerate() {
        let content: Vec<u8> = (0..len).map(|j| ((i * 7 + j) % 251) as u8).collect();
        let info = wp
            .journal_attach_bytes(
                e.id.clone(),
                content.clone(),
                "f".into(),
                "text/plain".into(),
            )
            .expect("attach");
        infos.push((info, content));
    }
    let sizes = age_body_sizes(&dir.path().join(BLOB_DIR));
    assert_eq!(sizes.len(), 3);
    assert!(
        sizes.iter().all(|s| *s == sizes[0]),
        "2,100, 3,000 and 4,000 bytes share the 4 KiB bucket: {sizes:?}"
    );
    // 16-byte stream nonce + 4,096 bytes of padded content + one 16-byte chunk tag.
    assert_eq!(sizes[0], 16 + 4_096 + 16, "{sizes:?}");
    // Padding is invisible to every reader: bytes, saved file, export, after relock.
    relock(&wp);
    for (info, content) in &infos {
        assert_eq!(
            &wp.journal_attachment_bytes(info.id.clone()).expect("read"),
            content
        );
        let out = dir.path().join("saved.bin");
        wp.journal_save_attachment(info.id.clone(), out.to_string_lossy().into_owned())
            .expect("save");
        assert_eq!(&std::fs::read(&out).expect("read"), content);
    }
    let identity = age::x25519::Identity::generate();
    let out = dir.path().join("x.age");
    let summary = wp
        .journal_export_to_recipient(
            identity.to_public().to_string(),
            out.to_string_lossy().into_owned(),
        )
        .expect("export");
    assert_eq!(summary.attachments, 3);
}

#[test]
fn unpadded_attachments_from_before_padding_still_open_and_bad_padding_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let e = wp.journal_add(draft("a", "b")).expect("add");
    let content = vec![42u8; 3_000];
    let info = wp
        .journal_attach_bytes(
            e.id.clone(),
            content.clone(),
            "f".into(),
            "text/plain".into(),
        )
        .expect("attach");
    let recipient = wp
        .with_session(|s| {
            let ctx = wp.journal_ctx()?;
            let snap = ctx.snapshot(s, &e.id)?;
            Ok(snap.key.age_identity()?.to_public())
        })
        .expect("recipient");
    let file = all_files(&dir.path().join(BLOB_DIR)).remove(0);
    let write_plain = |plain: &[u8]| {
        let enc =
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .expect("encryptor");
        let mut out = Vec::new();
        let mut w = enc.wrap_output(&mut out).expect("wrap");
        std::io::Write::write_all(&mut w, plain).expect("write");
        w.finish().expect("finish");
        std::fs::write(&file, out).expect("replace file");
    };
    // As an older build wrote it: the content and nothing after.
    write_plain(&content);
    assert_eq!(
        wp.journal_attachment_bytes(info.id.clone())
            .expect("old file opens"),
        content
    );
    // Non-zero bytes after the content, or more padding than the bucket allows: refused.
    let mut extra = content.clone();
    extra.push(1);
    write_plain(&extra);
    assert!(wp.journal_attachment_bytes(info.id.clone()).is_err());
    let mut long = content.clone();
    long.resize(8_192, 0);
    write_plain(&long);
    assert!(wp.journal_attachment_bytes(info.id.clone()).is_err());
}

#[cfg(unix)]
#[test]
fn everything_in_the_data_dir_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    // A data directory left world-readable by an older build is tightened too.
    std::fs::create_dir_all(&data).expect("mkdir");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let clock = Arc::new(FakeClock::new(1_700_000_000_000));
    let ks: Arc<dyn crate::platform::KeyStore> =
        crate::platform::FileKeyStore::new(data.to_string_lossy().into_owned());
    let wp = Core::open_with_config(
        data.to_string_lossy().into_owned(),
        clock,
        Some(ks),
        VaultConfig::for_tests(4),
    )
    .expect("open");
    wp.setup("journal pass".into()).expect("setup");
    let e = wp.journal_add(full_draft("M")).expect("add");
    let att = wp
        .journal_attach_bytes(
            e.id.clone(),
            vec![5u8; 70_000],
            "p.jpg".into(),
            "image/jpeg".into(),
        )
        .expect("attach");
    let identity = age::x25519::Identity::generate();
    let export = data.join("evidence.age");
    wp.journal_export_to_recipient(
        identity.to_public().to_string(),
        export.to_string_lossy().into_owned(),
    )
    .expect("export");
    let saved = data.join("saved.jpg");
    wp.journal_save_attachment(att.id, saved.to_string_lossy().into_owned())
        .expect("save");
    let mut seen = 0;
    let mut stack = vec![data.clone()];
    while let Some(d) = stack.pop() {
        let mode = std::fs::metadata(&d).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o700, "{}", d.display());
        for entry in std::fs::read_dir(&d).expect("read dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "{}", path.display());
            seen += 1;
        }
    }
    // store.db, -wal, -shm, device.key, one attachment, the export, the saved copy.
    assert!(seen >= 7, "only {seen} files checked");
}

#[test]
fn a_wipe_removes_the_journal_manifests_too() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    wp.journal_add(draft("a", "b")).expect("add");
    wp.set_wipe_after_failures(Some(1)).expect("opt in");
    wp.lock();
    assert!(wp.unlock("wrong".into()).is_err());
    let left: i64 = wp
        .store
        .with_conn(|c| {
            Ok(c.query_row(
                "SELECT (SELECT count(*) FROM journal_manifest) + (SELECT count(*) FROM journal_entries)",
                [],
                |r| r.get(0),
            )?)
        })
        .expect("count");
    assert_eq!(left, 0);
}

fn attachment_ids(wp: &Core, entry: &str) -> Vec<String> {
    let mut ids: Vec<String> = wp
        .journal_get(entry.to_owned())
        .expect("get")
        .attachments
        .into_iter()
        .map(|a| a.id)
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_deleted_or_restored_attachment_row_is_detected_and_can_be_acknowledged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let e = wp
        .journal_add(draft("photos of the bruises", "b"))
        .expect("add");
    let attach = |n: u8| {
        wp.journal_attach_bytes(
            e.id.clone(),
            vec![n; 1000],
            "p.jpg".into(),
            "image/jpeg".into(),
        )
        .expect("attach")
        .id
    };
    let (keep, gone) = (attach(1), attach(2));
    // Someone deletes one attachment's row: the entry and the other attachment stay,
    // the loss is reported.
    let row: (String, String, Vec<u8>) = wp
        .store
        .with_conn(|c| {
            Ok(c.query_row(
                "SELECT entry_id, file, sealed FROM journal_attachments WHERE id = ?1",
                [&gone],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
        .expect("row");
    sql(&wp, "DELETE FROM journal_attachments WHERE id = ?1", &gone);
    relock(&wp);
    assert_eq!(listed_ids(&wp), vec![e.id.clone()]);
    assert_eq!(attachment_ids(&wp, &e.id), vec![keep.clone()]);
    assert_eq!(wp.journal_damaged_count().expect("count"), 1);
    wp.journal_delete_attachment(gone.clone())
        .expect("acknowledge");
    assert_eq!(wp.journal_damaged_count().expect("count"), 0);
    relock(&wp);
    assert_eq!(wp.journal_damaged_count().expect("count"), 0, "remembered");
    // Putting the deleted row back (its file is gone too) is noticed, not shown.
    wp.store
        .with_conn(|c| {
            c.execute(
                "INSERT INTO journal_attachments (id, entry_id, file, sealed) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![gone, row.0, row.1, row.2],
            )?;
            Ok(())
        })
        .expect("put back");
    relock(&wp);
    assert_eq!(attachment_ids(&wp, &e.id), vec![keep]);
    assert_eq!(wp.journal_damaged_count().expect("count"), 1);
}

#[test]
fn an_attachment_written_while_the_vault_locks_is_not_recorded_and_leaves_no_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let e = wp.journal_add(draft("a", "b")).expect("add");
    let ctx = wp.journal_ctx().expect("ctx");
    let snap = wp
        .with_session(|s| ctx.snapshot(s, &e.id))
        .expect("snapshot");
    let written = ctx
        .write_attachment(
            &snap,
            &mut [9u8; 500].as_slice(),
            "x.bin",
            "application/octet-stream",
            0,
        )
        .expect("write");
    assert_eq!(
        all_files(&dir.path().join(BLOB_DIR)).len(),
        1,
        "the temporary file"
    );
    wp.lock(); // a quick exit while the file was being written
    assert!(matches!(
        wp.with_session(|s| ctx.record_attachment(s, written)),
        Err(Error::Locked)
    ));
    assert!(all_files(&dir.path().join(BLOB_DIR)).is_empty());
    wp.unlock("journal pass".into()).expect("unlock");
    assert!(wp.journal_get(e.id).expect("get").attachments.is_empty());
    assert_eq!(wp.journal_damaged_count().expect("count"), 0);
}

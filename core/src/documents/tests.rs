//! Document promises: round trips, nothing at rest in plaintext (database, WAL, files),
//! wrong input rejected in one line with nothing lost, expiry reminders planned in the
//! neutral voice and cancelled with the document, exports and shares carry only the chosen
//! documents, and a duress session neither sees nor changes the real ones.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::app::Core;
use crate::appointments::reminders::ReminderVoice;
use crate::platform::FakeClock;
use crate::test_support::{age_body_sizes, all_files, assert_no_marker_on_disk};
use crate::vault::VaultConfig;

/// 2026-01-14T15:00:00Z.
const NOW: i64 = 1_768_402_800_000;

fn open_core(dir: &Path, clock: &Arc<FakeClock>) -> Arc<Core> {
    Core::open_with_config(
        dir.to_string_lossy().into_owned(),
        clock.clone(),
        None,
        VaultConfig::for_tests(4),
    )
    .expect("open")
}

fn setup(dir: &Path) -> (Arc<Core>, Arc<FakeClock>) {
    let clock = Arc::new(FakeClock::new(NOW));
    let wp = open_core(dir, &clock);
    wp.setup("documents pass".into()).expect("setup");
    (wp, clock)
}

fn passport(marker: &str) -> DocumentDraft {
    DocumentDraft {
        doc_type: DocumentType::Passport,
        label: Some(format!("label {marker}")),
        number: Some(format!("N{marker}")),
        issuing_country: Some("mx".into()),
        issued_on: Some("2020-07-01".into()),
        expires_on: Some("2026-06-30".into()),
        notes: Some(format!("the original is with {marker}")),
        expiry_reminder_days: vec![7, 90, 30, 30],
        reminder_time_zone: "America/New_York".into(),
    }
}

#[test]
fn add_list_edit_file_and_remove_round_trip() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let d = wp.documents_add(passport("A")).expect("add");
    assert_eq!(d.revision, 1);
    assert_eq!(d.draft.issuing_country.as_deref(), Some("MX"));
    assert_eq!(
        d.draft.expiry_reminder_days,
        vec![90, 30, 7],
        "sorted, once each"
    );
    let with_file = wp
        .documents_set_file_bytes(
            d.id.clone(),
            b"pretend jpeg".to_vec(),
            "scan.jpg".into(),
            "image/jpeg".into(),
        )
        .expect("file");
    assert_eq!(with_file.revision, 2);
    let f = with_file.file.clone().expect("file recorded");
    assert_eq!((f.size, f.kind), (12, AttachmentKind::Photo));
    assert_eq!(
        wp.documents_file_bytes(d.id.clone()).expect("bytes"),
        b"pretend jpeg"
    );
    // Replacing the file removes the old one from disk.
    wp.documents_set_file_bytes(
        d.id.clone(),
        b"second scan".to_vec(),
        "scan2.pdf".into(),
        "application/pdf".into(),
    )
    .expect("replace");
    assert_eq!(all_files(&dir.path().join(FILE_DIR)).len(), 1);
    let out = dir.path().join("saved.pdf");
    assert_eq!(
        wp.documents_save_file(d.id.clone(), out.to_string_lossy().into_owned())
            .expect("save"),
        11
    );
    assert_eq!(std::fs::read(&out).expect("read"), b"second scan");
    let mut changed = wp.documents_get(d.id.clone()).expect("get").draft;
    changed.number = Some("X1".into());
    let change = wp.documents_edit(d.id.clone(), changed).expect("edit");
    assert_eq!(change.document.revision, 4);
    assert_eq!(change.document.draft.number.as_deref(), Some("X1"));
    assert_eq!(
        change.document.file.as_ref().map(|f| f.name.as_str()),
        Some("scan2.pdf"),
        "an edit keeps the file"
    );
    let visa = wp
        .documents_add(DocumentDraft {
            doc_type: DocumentType::parse("work-permit").expect("type"),
            ..DocumentDraft::default()
        })
        .expect("second");
    assert_eq!(wp.documents_list().expect("list").len(), 2);
    wp.documents_delete(d.id.clone()).expect("remove");
    assert!(matches!(
        wp.documents_get(d.id.clone()),
        Err(Error::NotFound)
    ));
    assert_eq!(all_files(&dir.path().join(FILE_DIR)).len(), 0, "file gone");
    assert_eq!(
        wp.documents_list().expect("list")[0].id,
        visa.id,
        "the other document is untouched"
    );
    wp.lock();
    assert!(matches!(wp.documents_list(), Err(Error::Locked)));
}

#[test]
fn nothing_readable_at_rest_in_the_database_wal_or_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let markers: Vec<String> = (0..4).map(|i| format!("Qd{i}MarkerOkapi")).collect();
    let d = wp.documents_add(passport(&markers[0])).expect("add");
    wp.documents_set_file_bytes(
        d.id.clone(),
        format!("scan content {}", markers[1]).into_bytes(),
        format!("{}.jpg", markers[2]),
        "image/jpeg".into(),
    )
    .expect("file");
    let mut edited = wp.documents_get(d.id.clone()).expect("get").draft;
    edited.label = Some(markers[3].clone());
    wp.documents_edit(d.id.clone(), edited).expect("edit");
    wp.reminder_plan(400, ReminderVoice::default())
        .expect("plan");
    // The document number and the dates are personal too.
    let mut all: Vec<String> = markers.clone();
    all.push(format!("N{}", markers[0]));
    all.push("2026-06-30".into());
    assert_no_marker_on_disk(dir.path(), &all, true);
    wp.lock();
    drop(wp);
    assert_no_marker_on_disk(dir.path(), &all, false);
}

#[test]
fn wrong_input_is_one_clear_line_and_loses_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let kept = wp.documents_add(passport("Keep")).expect("add");
    wp.documents_set_file_bytes(
        kept.id.clone(),
        b"kept scan".to_vec(),
        "k.png".into(),
        "image/png".into(),
    )
    .expect("file");
    let before = wp.documents_get(kept.id.clone()).expect("get");
    let secret = "SecretInputWalrus";
    let bad: Vec<(&str, DocumentDraft)> = vec![
        (
            "issuing_country",
            DocumentDraft {
                issuing_country: Some(secret.into()),
                ..passport("x")
            },
        ),
        (
            "expires_on",
            DocumentDraft {
                expires_on: Some(secret.into()),
                ..passport("x")
            },
        ),
        (
            "expires_on",
            DocumentDraft {
                expires_on: Some("2019-01-01".into()),
                ..passport("x")
            },
        ),
        (
            "expiry_reminder_days",
            DocumentDraft {
                expiry_reminder_days: vec![0],
                ..passport("x")
            },
        ),
        (
            "expiry_reminder_days",
            DocumentDraft {
                expiry_reminder_days: vec![400],
                ..passport("x")
            },
        ),
        (
            "expiry_reminder_days",
            DocumentDraft {
                expires_on: None,
                ..passport("x")
            },
        ),
        (
            "reminder_time_zone",
            DocumentDraft {
                reminder_time_zone: secret.into(),
                ..passport("x")
            },
        ),
        (
            "number",
            DocumentDraft {
                number: Some(secret.repeat(20)),
                ..passport("x")
            },
        ),
    ];
    for (field, draft) in bad {
        for result in [
            wp.documents_add(draft.clone()).map(|_| ()),
            wp.documents_edit(kept.id.clone(), draft).map(|_| ()),
        ] {
            let err = result.expect_err(field);
            assert!(
                matches!(err, Error::InvalidInput { field: ref f, .. } if f == field),
                "{field}: {err}"
            );
            let line = err.to_string();
            assert!(!line.contains('\n') && !line.contains(secret), "{line}");
        }
    }
    for err in [
        wp.documents_get("../../etc/passwd".into()).expect_err("id"),
        wp.documents_set_file_bytes(kept.id.clone(), vec![1], "a".into(), "nonsense".into())
            .expect_err("mime"),
        wp.documents_set_file_bytes(kept.id.clone(), vec![1], " ".into(), "image/png".into())
            .expect_err("name"),
        wp.documents_set_file_path(
            kept.id.clone(),
            dir.path().join("missing").to_string_lossy().into_owned(),
            "m".into(),
            "image/png".into(),
        )
        .expect_err("path"),
        DocumentType::parse(secret).expect_err("type"),
    ] {
        assert!(matches!(err, Error::InvalidInput { .. }), "{err}");
        assert!(!err.to_string().contains(secret) && !err.to_string().contains('\n'));
    }
    // Too large a file: refused, and the document keeps its old file.
    let big = vec![
        0u8;
        usize::try_from(VaultConfig::for_tests(4).attachment_max_bytes).expect("fits")
            + 1
    ];
    assert!(matches!(
        wp.documents_set_file_bytes(kept.id.clone(), big, "b".into(), "image/png".into()),
        Err(Error::InvalidInput { .. })
    ));
    assert_eq!(wp.documents_get(kept.id.clone()).expect("get"), before);
    assert_eq!(
        wp.documents_file_bytes(kept.id.clone()).expect("bytes"),
        b"kept scan"
    );
    assert_eq!(wp.documents_list().expect("list").len(), 1);
    assert_eq!(
        all_files(&dir.path().join(FILE_DIR)).len(),
        1,
        "no stray file"
    );
}

fn at_nine_new_york(date: &str) -> i64 {
    use chrono::TimeZone;
    let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").expect("date");
    chrono_tz::America::New_York
        .from_local_datetime(&d.and_hms_opt(9, 0, 0).expect("09:00"))
        .single()
        .expect("unambiguous")
        .timestamp_millis()
}

#[test]
fn expiry_reminders_are_planned_neutral_and_cancelled_with_the_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let marker = "PlanMarkerHeron";
    let d = wp.documents_add(passport(marker)).expect("add");
    let voice = ReminderVoice {
        title: "Calculator".into(),
        body: "Tap to open".into(),
    };
    let plan = wp.reminder_plan(400, voice.clone()).expect("plan");
    let times: Vec<i64> = plan.schedule.iter().map(|r| r.fire_at_ms).collect();
    assert_eq!(
        times,
        vec![
            at_nine_new_york("2026-04-01"),
            at_nine_new_york("2026-05-31"),
            at_nine_new_york("2026-06-23"),
        ],
        "90, 30 and 7 calendar days before the expiry, 09:00 in the chosen zone"
    );
    for r in &plan.schedule {
        assert_eq!(
            (r.title.as_str(), r.body.as_str()),
            ("Calculator", "Tap to open")
        );
        assert!(!format!("{r:?}").contains(marker));
        assert!(!r.notification_id.contains(&d.id), "ids are opaque");
    }
    // Dropping the 7-day reminder cancels exactly that one; the others keep their ids.
    let mut fewer = d.draft.clone();
    fewer.expiry_reminder_days = vec![90, 30];
    let change = wp.documents_edit(d.id.clone(), fewer).expect("edit");
    assert_eq!(
        change.cancel_notification_ids,
        vec![plan.schedule[2].notification_id.clone()]
    );
    let again = wp.reminder_plan(400, voice.clone()).expect("plan");
    assert_eq!(again.schedule.len(), 2);
    assert!(again.cancel.is_empty(), "already cancelled by the edit");
    // Removing the document cancels the rest.
    let removed = wp.documents_delete(d.id.clone()).expect("remove");
    let mut cancelled = removed.cancel_notification_ids.clone();
    cancelled.sort();
    let mut expected: Vec<String> = again
        .schedule
        .iter()
        .map(|r| r.notification_id.clone())
        .collect();
    expected.sort();
    assert_eq!(cancelled, expected);
    assert!(wp
        .reminder_plan(400, voice)
        .expect("plan")
        .schedule
        .is_empty());
}

fn untar(file: &Path, identity: &age::x25519::Identity) -> BTreeMap<String, Vec<u8>> {
    let dec = age::Decryptor::new(std::fs::File::open(file).expect("open")).expect("header");
    let mut plain = Vec::new();
    dec.decrypt(std::iter::once(identity as &dyn age::Identity))
        .expect("decrypt")
        .read_to_end(&mut plain)
        .expect("read");
    let mut files = BTreeMap::new();
    for entry in tar::Archive::new(plain.as_slice()).entries().expect("tar") {
        let mut entry = entry.expect("entry");
        let path = entry.path().expect("path").to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read");
        files.insert(path, bytes);
    }
    files
}

#[test]
fn an_evidence_export_and_a_share_carry_only_the_chosen_documents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("data");
    let clock = Arc::new(FakeClock::new(NOW));
    let wp = open_core(&data, &clock);
    wp.setup("documents pass".into()).expect("setup");
    wp.journal_add(crate::journal::EntryDraft {
        title: "an entry".into(),
        body: "b".into(),
        ..Default::default()
    })
    .expect("entry");
    let chosen = wp.documents_add(passport("<b>Chosen</b>")).expect("add");
    wp.documents_set_file_bytes(
        chosen.id.clone(),
        b"chosen scan".to_vec(),
        "../../passport scan.jpg".into(),
        "image/jpeg".into(),
    )
    .expect("file");
    let other = wp.documents_add(passport("NotChosenMarker")).expect("add");
    wp.documents_set_file_bytes(
        other.id.clone(),
        b"NotChosenMarker scan".to_vec(),
        "o.jpg".into(),
        "image/jpeg".into(),
    )
    .expect("file");
    let identity = age::x25519::Identity::generate();
    let key = identity.to_public().to_string();

    // Evidence export: every entry, and only the chosen document.
    let out = dir.path().join("export.age");
    let summary = wp
        .evidence_export_to_recipient(
            vec![chosen.id.clone(), chosen.id.clone()],
            key.clone(),
            out.to_string_lossy().into_owned(),
        )
        .expect("export");
    assert_eq!((summary.entries, summary.files), (1, 1));
    let files = untar(&out, &identity);
    let manifest: crate::journal::export::Manifest =
        serde_json::from_slice(&files["waypoint-export/manifest.json"]).expect("manifest");
    crate::journal::export::verify_manifest(&manifest, |p| files.get(p).cloned())
        .expect("the chain covers the documents");
    let docs: Vec<Document> =
        serde_json::from_slice(&files["waypoint-export/documents.json"]).expect("documents");
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].id, chosen.id);
    let scan = files
        .iter()
        .find(|(p, _)| p.starts_with("waypoint-export/documents/"))
        .expect("scan");
    assert!(
        !scan.0.split('/').any(|c| c == ".."),
        "file names are made safe"
    );
    assert_eq!(scan.1, b"chosen scan");
    assert!(files
        .values()
        .all(|b| !b.windows(15).any(|w| w == b"NotChosenMarker")));
    // Without documents chosen, the export is as before: no documents.json.
    let plain = dir.path().join("plain.age");
    wp.evidence_export_to_recipient(Vec::new(), key.clone(), plain.to_string_lossy().into())
        .expect("export");
    assert!(!untar(&plain, &identity).contains_key("waypoint-export/documents.json"));

    // Share: the chosen document only, readable in the report, checked on opening.
    let share = dir.path().join("share.age");
    let summary = wp
        .sharing_share_chosen_to_key(
            Vec::new(),
            Vec::new(),
            vec![chosen.id.clone()],
            key,
            share.to_string_lossy().into_owned(),
        )
        .expect("share");
    assert_eq!(summary.files, 1);
    let opened = dir.path().join("opened");
    let id_text = zeroize::Zeroizing::new(
        age::secrecy::ExposeSecret::expose_secret(&identity.to_string()).to_owned(),
    );
    let got =
        crate::sharing::open_package(&share, crate::sharing::OpenWith::Identity(id_text), &opened)
            .expect("open");
    assert_eq!((got.entries, got.documents), (0, 1));
    let html = std::fs::read_to_string(opened.join("report.html")).expect("report");
    assert!(html.contains("&lt;b&gt;Chosen&lt;/b&gt;"), "escaped label");
    assert!(!html.contains("<b>Chosen"));
    assert!(!html.contains("NotChosenMarker"));
    let shared_scan = all_files(&opened.join("documents"));
    assert_eq!(shared_scan.len(), 1);
    assert_eq!(
        std::fs::read(&shared_scan[0]).expect("read"),
        b"chosen scan"
    );
    // Another vault's or an unknown document cannot be chosen.
    assert!(matches!(
        wp.sharing_share_chosen_to_passphrase(
            Vec::new(),
            Vec::new(),
            vec!["0".repeat(32)],
            "p".into(),
            dir.path().join("x.age").to_string_lossy().into_owned(),
        ),
        Err(Error::NotFound)
    ));
    assert!(!dir.path().join("x.age").exists());
}

#[test]
fn a_duress_session_sees_no_documents_and_changes_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let real = wp.documents_add(passport("Real")).expect("add");
    wp.documents_set_file_bytes(
        real.id.clone(),
        b"real scan".to_vec(),
        "r.jpg".into(),
        "image/jpeg".into(),
    )
    .expect("file");
    let real_plan = wp
        .reminder_plan(400, ReminderVoice::default())
        .expect("plan");
    assert_eq!(real_plan.schedule.len(), 3);
    wp.set_duress_passphrase("decoy pass".into(), false)
        .expect("duress");
    wp.lock();
    wp.unlock("decoy pass".into()).expect("decoy");
    assert!(wp.documents_list().expect("list").is_empty());
    assert_eq!(wp.documents_damaged_count().expect("damaged"), 0);
    for err in [
        wp.documents_get(real.id.clone()).map(|_| ()),
        wp.documents_edit(real.id.clone(), passport("Decoy"))
            .map(|_| ()),
        wp.documents_delete(real.id.clone()).map(|_| ()),
        wp.documents_file_bytes(real.id.clone()).map(|_| ()),
        wp.documents_set_file_bytes(real.id.clone(), vec![1], "x".into(), "image/png".into())
            .map(|_| ()),
    ] {
        assert!(matches!(err, Err(Error::NotFound)));
    }
    let decoy_plan = wp
        .reminder_plan(400, ReminderVoice::default())
        .expect("decoy plan");
    assert!(decoy_plan.schedule.is_empty() && decoy_plan.cancel.is_empty());
    wp.documents_add(DocumentDraft::default())
        .expect("the decoy keeps its own");
    wp.lock();
    wp.unlock("documents pass".into()).expect("real");
    let list = wp.documents_list().expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0], wp.documents_get(real.id.clone()).expect("get"));
    assert_eq!(list[0].revision, 2, "unchanged");
    assert_eq!(
        wp.documents_file_bytes(real.id.clone()).expect("bytes"),
        b"real scan"
    );
    let again = wp
        .reminder_plan(400, ReminderVoice::default())
        .expect("plan");
    assert_eq!(again.schedule, real_plan.schedule);
    assert!(again.cancel.is_empty());
}

#[test]
fn a_file_written_but_never_recorded_is_removed_at_unlock() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    let d = wp.documents_add(passport("K")).expect("add");
    let snap = {
        let ctx = wp.documents_ctx().expect("ctx");
        wp.with_session(|s| ctx.snapshot(s, &d.id)).expect("snap")
    };
    let ctx = wp.documents_ctx().expect("ctx");
    let written = ctx
        .write_file(&snap, &mut &b"half done"[..], "h.jpg", "image/jpeg", NOW)
        .expect("write");
    // A kill before recording: the written file stays behind under its temporary name.
    std::mem::forget(written);
    assert_eq!(all_files(&dir.path().join(FILE_DIR)).len(), 1);
    wp.lock();
    wp.unlock("documents pass".into()).expect("unlock");
    assert_eq!(all_files(&dir.path().join(FILE_DIR)).len(), 0);
    assert!(wp.documents_get(d.id).expect("get").file.is_none());
}

#[test]
fn debug_output_hides_content() {
    let d = Document {
        id: "i".into(),
        revision: 1,
        created_at_ms: 0,
        updated_at_ms: 0,
        draft: passport("DebugMarkerIbis"),
        file: Some(DocumentFile {
            name: "DebugMarkerIbis.jpg".into(),
            mime: "image/jpeg".into(),
            kind: AttachmentKind::Photo,
            size: 1,
            sha256: String::new(),
            added_at_ms: 0,
        }),
    };
    let text = format!("{d:?} {:?} {:?}", d.draft, d.expiry_reminder());
    assert!(
        !text.contains("DebugMarkerIbis") && !text.contains("Passport"),
        "{text}"
    );
    assert!(!text.contains("2026-06-30"));
}

#[test]
fn every_document_word_exists_in_every_language() {
    use crate::i18n::{Lang, Messages, LANGUAGES};
    let mut ids: Vec<&str> = DocumentType::ALL.map(DocumentType::label_id).to_vec();
    ids.extend([
        crate::i18n::mid!("doc-title"),
        crate::i18n::mid!("doc-empty"),
        crate::i18n::mid!("doc-field-type"),
        crate::i18n::mid!("doc-field-label"),
        crate::i18n::mid!("doc-field-number"),
        crate::i18n::mid!("doc-field-country"),
        crate::i18n::mid!("doc-field-issued"),
        crate::i18n::mid!("doc-field-expires"),
        crate::i18n::mid!("doc-field-notes"),
        crate::i18n::mid!("doc-field-file"),
        crate::i18n::mid!("doc-field-reminders"),
        crate::i18n::mid!("doc-expired"),
    ]);
    let english = Messages::new(Lang::En);
    for l in LANGUAGES {
        let m = Messages::new(l.lang);
        for id in &ids {
            assert!(m.has(id), "{}: {id}", l.tag);
        }
        for days in [0_i64, 1, 2, 7, 30, 90] {
            for id in ["doc-reminder-days", "doc-expires-in"] {
                let text = m.tr_args(id, &[("days", days.into())]);
                assert!(
                    !text.trim().is_empty() && !text.contains("{$"),
                    "{}: {id}",
                    l.tag
                );
            }
        }
        if l.lang != Lang::En {
            assert_ne!(
                m.tr(DocumentType::WorkPermit.label_id()),
                english.tr(DocumentType::WorkPermit.label_id()),
                "{}: left in English",
                l.tag
            );
        }
    }
    assert_eq!(
        english.tr_args("doc-reminder-days", &[("days", 90_i64.into())]),
        "90 days before"
    );
}

#[test]
fn scans_in_one_size_bucket_are_the_same_size_on_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (wp, _) = setup(dir.path());
    for len in [2_100usize, 3_000, 4_000] {
        let d = wp.documents_add(passport("S")).expect("add");
        wp.documents_set_file_bytes(d.id, vec![7; len], "s.jpg".into(), "image/jpeg".into())
            .expect("file");
    }
    // 16-byte stream nonce + 4,096 bytes of padded content + one 16-byte chunk tag, each.
    assert_eq!(
        age_body_sizes(&dir.path().join(FILE_DIR)),
        vec![16 + 4_096 + 16; 3]
    );
}

//! The document editor's screens: add -> list -> edit -> delete, one-line validation that
//! loses nothing, the duress session, and nothing of a document in `Debug` or after a quick
//! exit.

use std::sync::Arc;

use super::*;
use crate::documents::DocumentType;
use crate::platform::FakeClock;
use crate::vault::VaultConfig;

const CODE: &str = "40571986";
const DURESS: &str = "11223344";
/// 2026-01-09 (UTC).
const NOW_MS: i64 = 1_768_000_000_000;
const LABEL: &str = "Marker-Passport-5521";
const NUMBER: &str = "Marker-Number-G1234";
const SCAN: &[u8] = b"\xff\xd8\xff marker scan bytes";

fn set_up(dir: &std::path::Path) -> ScreenModel {
    crate::test_support::screens_at_home(dir, NOW_MS, "en", CODE)
}

use crate::test_support::type_code;

fn passport() -> DocumentForm {
    DocumentForm {
        doc_type: DocumentType::Passport,
        label: LABEL.into(),
        number: NUMBER.into(),
        issuing_country: "mx".into(),
        issued_on: "2021-03-31".into(),
        expires_on: "2031-03-30".into(),
        notes: "Marker notes: the original is with my sister".into(),
        reminder_days: vec![30, 90],
    }
}

fn rows(s: &AppState) -> Vec<DocumentRow> {
    match &s.view {
        View::DocumentList { rows, .. } => rows.clone(),
        other => panic!("not the list: {other:?}"),
    }
}

fn scan() -> Intent {
    Intent::Attach {
        name: "scan-1.jpg".into(),
        mime: "image/jpeg".into(),
        content: SCAN.to_vec(),
    }
}

#[test]
fn a_document_is_added_listed_edited_and_deleted_from_its_screens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path());
    let s = m.dispatch(Intent::Open {
        destination: Destination::Documents,
    });
    assert_eq!(s.label("new"), "New");
    let s = m.dispatch(Intent::NewDocument);
    assert_eq!(s.title, "New document");
    assert_eq!(s.label("type:work_permit"), "Work permit");
    assert_eq!(s.label("camera"), "Take a photo");
    m.dispatch(Intent::EditDocument { form: passport() });
    let s = m.dispatch(scan());
    let View::DocumentEditor {
        file,
        file_changed,
        reminder_labels,
        ..
    } = &s.view
    else {
        panic!("editor: {:?}", s.view);
    };
    assert_eq!(file.as_deref(), Some("scan-1.jpg"));
    assert!(file_changed);
    assert_eq!(reminder_labels, &["30 days before", "90 days before"]);
    // Save: back to the list, which shows it with its file.
    let s = m.dispatch(Intent::SaveDocument);
    let list = rows(&s);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].label, LABEL);
    assert_eq!(list[0].kind_text, "Passport");
    assert!(list[0].has_file);
    let id = list[0].id.clone();
    let stored = m.core.documents_get(id.clone()).expect("stored");
    assert_eq!(stored.draft.issuing_country.as_deref(), Some("MX"));
    assert_eq!(stored.draft.expiry_reminder_days, [90, 30]);
    assert_eq!(stored.draft.reminder_time_zone, "America/New_York");
    assert_eq!(
        m.core.documents_file_bytes(id.clone()).expect("scan"),
        SCAN,
        "the scan was stored from memory"
    );
    // Edit: the form comes back as stored; change the label, remove the scan.
    let s = m.dispatch(Intent::OpenDocument { id: id.clone() });
    assert_eq!(s.title, "Document");
    let View::DocumentEditor {
        document_id,
        form,
        file,
        file_changed,
        ..
    } = &s.view
    else {
        panic!("editor");
    };
    assert_eq!(document_id.as_deref(), Some(id.as_str()));
    assert_eq!(form.issuing_country, "MX");
    assert_eq!(form.reminder_days, [90, 30]);
    assert_eq!(file.as_deref(), Some("scan-1.jpg"));
    assert!(!file_changed);
    m.dispatch(Intent::EditDocument {
        form: DocumentForm {
            label: "Marker renamed".into(),
            ..form.clone()
        },
    });
    let s = m.dispatch(Intent::RemoveDocumentFile);
    assert!(matches!(
        &s.view,
        View::DocumentEditor {
            file: None,
            file_changed: true,
            ..
        }
    ));
    let list = rows(&m.dispatch(Intent::SaveDocument));
    assert_eq!(list[0].label, "Marker renamed");
    assert!(!list[0].has_file);
    assert!(m
        .core
        .documents_get(id.clone())
        .expect("get")
        .file
        .is_none());
    // Delete asks first; Back keeps it; confirming deletes it for good.
    m.dispatch(Intent::OpenDocument { id: id.clone() });
    let s = m.dispatch(Intent::ConfirmDeleteDocument);
    assert_eq!(s.view.name(), "document_editor", "no delete without asking");
    let s = m.dispatch(Intent::DeleteDocument);
    assert!(matches!(
        &s.view,
        View::DocumentEditor {
            confirm_delete: true,
            ..
        }
    ));
    assert!(s.label("delete_confirm").contains("cannot be undone"));
    let s = m.dispatch(Intent::Back);
    assert!(matches!(
        &s.view,
        View::DocumentEditor {
            confirm_delete: false,
            ..
        }
    ));
    assert_eq!(m.core.documents_list().expect("list").len(), 1);
    m.dispatch(Intent::DeleteDocument);
    let s = m.dispatch(Intent::ConfirmDeleteDocument);
    assert!(rows(&s).is_empty());
    assert!(m.core.documents_list().expect("list").is_empty());
}

#[test]
fn a_bad_date_is_one_line_and_loses_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path());
    m.dispatch(Intent::Open {
        destination: Destination::Documents,
    });
    m.dispatch(Intent::NewDocument);
    let typed = DocumentForm {
        expires_on: "31/03/2031".into(),
        ..passport()
    };
    m.dispatch(Intent::EditDocument {
        form: typed.clone(),
    });
    m.dispatch(scan());
    let s = m.dispatch(Intent::SaveDocument);
    let View::DocumentEditor {
        form, errors, file, ..
    } = &s.view
    else {
        panic!("still the editor: {:?}", s.view);
    };
    assert_eq!(errors.len(), 1, "one line");
    assert_eq!(errors[0].field, "expires_on");
    assert_eq!(errors[0].message, "Use the form 2025-03-01.");
    assert!(!errors[0].message.contains("31/03"), "nothing echoed");
    assert!(form == &typed, "everything typed is still there");
    assert_eq!(
        file.as_deref(),
        Some("scan-1.jpg"),
        "the scan is still there"
    );
    assert!(m.core.documents_list().expect("list").is_empty());
    // Fixed: saved with its scan.
    m.dispatch(Intent::EditDocument { form: passport() });
    let list = rows(&m.dispatch(Intent::SaveDocument));
    assert_eq!(list.len(), 1);
    assert!(list[0].has_file);
    // Each rule is one line naming its field.
    m.dispatch(Intent::NewDocument);
    for (form, field) in [
        (
            DocumentForm {
                issuing_country: "Mexico".into(),
                ..passport()
            },
            "issuing_country",
        ),
        (
            DocumentForm {
                issued_on: "2032-01-01".into(),
                ..passport()
            },
            "expires_on",
        ),
        (
            DocumentForm {
                reminder_days: vec![366],
                ..passport()
            },
            "reminders",
        ),
        (
            DocumentForm {
                expires_on: String::new(),
                ..passport()
            },
            "reminders",
        ),
        (
            DocumentForm {
                number: "9".repeat(crate::documents::MAX_SHORT_CHARS + 1),
                ..passport()
            },
            "number",
        ),
    ] {
        m.dispatch(Intent::EditDocument { form });
        let s = m.dispatch(Intent::SaveDocument);
        let View::DocumentEditor { errors, .. } = &s.view else {
            panic!("{field}: {:?}", s.view);
        };
        assert_eq!(errors.len(), 1, "{field}");
        assert_eq!(errors[0].field, field);
        assert!(!errors[0].message.contains('\n'));
    }
    assert_eq!(m.core.documents_list().expect("list").len(), 1);
}

#[test]
fn a_duress_session_shows_no_documents_and_opens_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path());
    m.dispatch(Intent::Open {
        destination: Destination::Documents,
    });
    m.dispatch(Intent::NewDocument);
    m.dispatch(Intent::EditDocument { form: passport() });
    m.dispatch(scan());
    let real = rows(&m.dispatch(Intent::SaveDocument));
    assert_eq!(real.len(), 1);
    m.core
        .set_duress_passphrase(DURESS.into(), false)
        .expect("duress");
    m.dispatch(Intent::QuickExit);
    assert_eq!(type_code(&m, DURESS).view.name(), "home");
    let s = m.dispatch(Intent::Open {
        destination: Destination::Documents,
    });
    assert!(rows(&s).is_empty(), "the duress session sees no documents");
    let json = serde_json::to_string(&s).expect("json");
    assert!(!json.contains(LABEL) && !json.contains(NUMBER));
    let s = m.dispatch(Intent::OpenDocument {
        id: real[0].id.clone(),
    });
    assert_eq!(s.view.name(), "document_list", "the real one does not open");
    // What the duress session adds stays its own.
    m.dispatch(Intent::NewDocument);
    m.dispatch(Intent::EditDocument {
        form: DocumentForm::default(),
    });
    assert_eq!(rows(&m.dispatch(Intent::SaveDocument)).len(), 1);
    m.dispatch(Intent::QuickExit);
    assert_eq!(type_code(&m, CODE).view.name(), "home");
    let s = m.dispatch(Intent::Open {
        destination: Destination::Documents,
    });
    let list = rows(&s);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].label, LABEL);
    assert!(list[0].has_file);
}

#[test]
fn debug_and_a_quick_exit_keep_nothing_of_a_document() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path());
    m.dispatch(Intent::Open {
        destination: Destination::Documents,
    });
    m.dispatch(Intent::NewDocument);
    m.dispatch(Intent::EditDocument { form: passport() });
    let s = m.dispatch(scan());
    let debug = format!("{s:?} {:?}", s.view);
    for marker in [LABEL, NUMBER, "scan-1.jpg", "sister"] {
        assert!(!debug.contains(marker), "{marker} in {debug}");
    }
    let s = m.dispatch(Intent::QuickExit);
    assert!(!s.view.is_private());
    assert!(matches!(
        m.lock_inner().document_file,
        DocumentFileChange::Keep
    ));
    assert_eq!(type_code(&m, CODE).view.name(), "home");
    let s = m.dispatch(Intent::Open {
        destination: Destination::Documents,
    });
    assert!(
        rows(&s).is_empty(),
        "the unsaved document went with the exit"
    );
    // Back from the editor forgets the chosen scan too.
    m.dispatch(Intent::NewDocument);
    m.dispatch(scan());
    m.dispatch(Intent::Back);
    assert!(matches!(
        m.lock_inner().document_file,
        DocumentFileChange::Keep
    ));
    let s = m.dispatch(Intent::NewDocument);
    assert!(matches!(&s.view, View::DocumentEditor { file: None, .. }));
}

fn recipients(
    s: &AppState,
) -> (
    Vec<RecipientRow>,
    RecipientForm,
    Option<String>,
    Vec<FieldError>,
) {
    match &s.view {
        View::ShareRecipients {
            rows,
            form,
            fingerprint,
            errors,
        } => (
            rows.clone(),
            form.clone(),
            fingerprint.clone(),
            errors.clone(),
        ),
        other => panic!("not the recipients: {other:?}"),
    }
}

#[test]
fn a_scanned_key_fills_the_form_with_its_fingerprint_and_a_bad_scan_is_one_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path());
    let home = m.state();
    assert_eq!(home.label("destination:sharing"), "People I share with");
    let s = m.dispatch(Intent::Open {
        destination: Destination::Sharing,
    });
    assert_eq!(s.label("scan"), "Scan their code");
    assert_eq!(s.label("paste"), "Paste");
    assert!(recipients(&s).0.is_empty());
    // The name is typed first; a scan fills the key in and keeps the name.
    m.dispatch(Intent::EditRecipient {
        form: RecipientForm {
            label: "Marker lawyer".into(),
            key: String::new(),
        },
    });
    let key = age::x25519::Identity::generate().to_public().to_string();
    let s = m.dispatch(Intent::ScanRecipientKey {
        text: format!("  {}\n", key.to_ascii_uppercase()),
    });
    let (_, form, fingerprint, errors) = recipients(&s);
    assert_eq!(form.key, key, "canonical lower case");
    assert_eq!(form.label, "Marker lawyer");
    let expected = crate::sharing::fingerprint(&key).expect("fingerprint");
    assert_eq!(fingerprint.as_deref(), Some(expected.as_str()));
    assert!(errors.is_empty());
    // A bad scan: one line, nothing of it echoed, the form as it was.
    for text in ["https://example.org/x", &"A".repeat(10 * 1024)] {
        let s = m.dispatch(Intent::ScanRecipientKey { text: text.into() });
        let (_, after, kept, errors) = recipients(&s);
        assert!(after == form, "nothing lost");
        assert!(kept.is_none());
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "key");
        assert!(errors[0].message.starts_with("This is not a sharing key"));
        assert!(!errors[0].message.contains("example.org"));
    }
    // Saved: listed with its fingerprint, the form empty again.
    m.dispatch(Intent::EditRecipient { form: form.clone() });
    let s = m.dispatch(Intent::SaveRecipient);
    let (rows, form, fingerprint, errors) = recipients(&s);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].fingerprint, expected);
    assert!(form == RecipientForm::default() && fingerprint.is_none());
    assert_eq!(m.core.sharing_list_recipients().expect("saved")[0].key, key);
    // A pasted key shows its fingerprint while typed; no name is one line.
    let other = age::x25519::Identity::generate().to_public().to_string();
    let s = m.dispatch(Intent::EditRecipient {
        form: RecipientForm {
            label: String::new(),
            key: other.clone(),
        },
    });
    assert!(recipients(&s).2.is_some());
    let (_, _, _, errors) = recipients(&m.dispatch(Intent::SaveRecipient));
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "label");
    // Removed.
    let s = m.dispatch(Intent::RemoveRecipient {
        id: rows[0].id.clone(),
    });
    assert!(recipients(&s).0.is_empty());
    // A quick exit forgets the form.
    let s = m.dispatch(Intent::QuickExit);
    assert!(!serde_json::to_string(&s).expect("json").contains(&other));
}

#[test]
fn a_scan_refused_after_the_details_were_stored_leaves_one_document_to_retry() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = Core::open_with_config(
        dir.path().to_string_lossy().into_owned(),
        Arc::new(FakeClock::new(NOW_MS)),
        None,
        VaultConfig {
            attachment_max_bytes: 64,
            ..VaultConfig::for_tests(4)
        },
    )
    .expect("open");
    let m = ScreenModel::new(core, "UTC", "en").expect("model");
    m.dispatch(Intent::Next);
    m.dispatch(Intent::Next);
    m.dispatch(Intent::ChooseCode {
        code: CODE.into(),
        confirm: CODE.into(),
    });
    m.dispatch(Intent::Open {
        destination: Destination::Documents,
    });
    m.dispatch(Intent::NewDocument);
    m.dispatch(Intent::EditDocument { form: passport() });
    m.dispatch(Intent::Attach {
        name: "big.jpg".into(),
        mime: "image/jpeg".into(),
        content: vec![7; 1000],
    });
    let s = m.dispatch(Intent::SaveDocument);
    let View::DocumentEditor {
        document_id,
        errors,
        file,
        ..
    } = &s.view
    else {
        panic!("still the editor: {:?}", s.view);
    };
    assert!(
        document_id.is_some(),
        "the stored details are this document now"
    );
    assert_eq!(errors.len(), 1);
    assert_eq!(
        file.as_deref(),
        Some("big.jpg"),
        "the scan is still pending"
    );
    assert_eq!(m.core.documents_list().expect("list").len(), 1);
    // A smaller scan, saved again: still one document, now with its scan.
    m.dispatch(scan());
    let list = rows(&m.dispatch(Intent::SaveDocument));
    assert_eq!(list.len(), 1, "no second copy");
    assert!(list[0].has_file);
}

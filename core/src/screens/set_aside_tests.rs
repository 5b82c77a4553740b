//! Records set aside (damaged, or changed outside the app) are visible on the screens: a
//! one-line notice on the journal list, the documents list and the safety plan, a way to
//! delete a set-aside plan and start again (after a confirmation), failures on home shown
//! as one line, and a duress session that hears nothing of the real vault.

use super::*;
use crate::safety_plan::Section;

const CODE: &str = "40571986";
const DURESS: &str = "11223344";
const NOW_MS: i64 = 1_768_000_000_000;
const PLACE: &str = "Marker-Place-Old";

fn set_up(dir: &std::path::Path, language: &str) -> ScreenModel {
    crate::test_support::screens_at_home(dir, NOW_MS, language, CODE)
}

use crate::test_support::type_code;

/// Leave, and come back with `code` (the check runs at the first use after unlock).
fn reopen(m: &ScreenModel, code: &str) {
    m.dispatch(Intent::QuickExit);
    assert_eq!(type_code(m, code).view.name(), "home");
}

fn open(m: &ScreenModel, destination: Destination) -> AppState {
    m.dispatch(Intent::Open { destination })
}

fn sql(m: &ScreenModel, statement: &str) {
    m.core
        .store
        .with_conn(|c| {
            c.execute_batch(statement)?;
            Ok(())
        })
        .expect("sql");
}

type DocRow = (String, Vec<u8>, i64, Vec<u8>, Vec<u8>);

fn document_rows(m: &ScreenModel) -> Vec<DocRow> {
    m.core
        .store
        .with_conn(|c| {
            let mut st =
                c.prepare("SELECT id, tag, revision, key_sealed, sealed FROM documents")?;
            let rows = st.query_map([], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .expect("rows")
}

fn put_back_documents(m: &ScreenModel, rows: &[DocRow]) {
    m.core
        .store
        .with_conn(|c| {
            for r in rows {
                c.execute(
                    "UPDATE documents SET tag = ?2, revision = ?3, key_sealed = ?4, sealed = ?5
                     WHERE id = ?1",
                    rusqlite::params![r.0, r.1, r.2, r.3, r.4],
                )?;
            }
            Ok(())
        })
        .expect("put back");
}

type PlanRow = (Vec<u8>, i64, Vec<u8>);

fn plan_rows(m: &ScreenModel) -> Vec<PlanRow> {
    m.core
        .store
        .with_conn(|c| {
            let mut st = c.prepare("SELECT tag, revision, sealed FROM safety_plan")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .expect("rows")
}

fn put_back_plan(m: &ScreenModel, rows: &[PlanRow]) {
    m.core
        .store
        .with_conn(|c| {
            for (tag, revision, sealed) in rows {
                c.execute(
                    "UPDATE safety_plan SET revision = ?2, sealed = ?3 WHERE tag = ?1",
                    rusqlite::params![tag, revision, sealed],
                )?;
            }
            Ok(())
        })
        .expect("put back");
}

fn document_notice(s: &AppState) -> Option<String> {
    match &s.view {
        View::DocumentList { notice, .. } => notice.clone(),
        other => panic!("not the documents list: {other:?}"),
    }
}

fn save_document(m: &ScreenModel, label: &str) {
    m.dispatch(Intent::NewDocument);
    m.dispatch(Intent::EditDocument {
        form: DocumentForm {
            label: label.into(),
            ..DocumentForm::default()
        },
    });
    let s = m.dispatch(Intent::SaveDocument);
    assert_eq!(s.view.name(), "document_list");
}

#[test]
fn a_put_back_document_shows_a_notice_on_the_list_and_a_duress_session_sees_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path(), "en");
    m.core
        .set_duress_passphrase(DURESS.into(), false)
        .expect("duress");
    let s = open(&m, Destination::Documents);
    assert_eq!(document_notice(&s), None, "nothing set aside: no notice");
    save_document(&m, "old name");
    save_document(&m, "another");
    let old = document_rows(&m);
    let id = match &m.state().view {
        View::DocumentList { rows, .. } => rows
            .iter()
            .find(|r| r.label == "old name")
            .expect("listed")
            .id
            .clone(),
        other => panic!("{other:?}"),
    };
    m.dispatch(Intent::OpenDocument { id });
    m.dispatch(Intent::EditDocument {
        form: DocumentForm {
            label: "new name".into(),
            ..DocumentForm::default()
        },
    });
    assert_eq!(
        m.dispatch(Intent::SaveDocument).view.name(),
        "document_list"
    );
    // Someone with the phone's files puts the older copy back.
    put_back_documents(&m, &old);
    reopen(&m, CODE);
    let s = open(&m, Destination::Documents);
    let notice = document_notice(&s).expect("the list says so");
    assert!(
        notice.contains("could not be opened") && notice.contains('1'),
        "{notice}"
    );
    assert!(!notice.contains("name"), "nothing of the document is in it");
    match &s.view {
        View::DocumentList { rows, .. } => {
            assert_eq!(rows.len(), 1, "the other document is listed");
            assert_eq!(rows[0].label, "another");
        }
        other => panic!("{other:?}"),
    }
    // The duress session has its own documents and hears nothing of the real vault's.
    reopen(&m, DURESS);
    let s = open(&m, Destination::Documents);
    assert_eq!(document_notice(&s), None, "no notice about the real vault");
    let json = serde_json::to_string(&s).expect("json");
    assert!(!json.contains("could not be opened"), "{json}");
}

#[test]
fn the_notices_are_in_every_shipped_language() {
    for (tag, words) in [
        ("en", "could not be opened"),
        ("es", "no se pudieron abrir"),
        ("ar", "تعذّر"),
        ("vi", "không mở được"),
        ("zh-Hans", "无法打开"),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let m = set_up(dir.path(), tag);
        open(&m, Destination::Documents);
        save_document(&m, "one");
        sql(&m, "DELETE FROM documents");
        reopen(&m, CODE);
        let notice = document_notice(&open(&m, Destination::Documents)).expect("notice");
        assert!(notice.contains(words), "{tag}: {notice}");
    }
}

#[test]
fn a_journal_entry_set_aside_shows_a_notice_on_the_journal_list() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path(), "es");
    for title in ["uno", "dos"] {
        open(&m, Destination::Journal);
        m.dispatch(Intent::NewEntry);
        m.dispatch(Intent::EditEntry {
            form: EntryForm {
                title: title.into(),
                body: "texto".into(),
                ..EntryForm::default()
            },
        });
        assert_eq!(m.dispatch(Intent::SaveEntry).view.name(), "journal_list");
        m.dispatch(Intent::Back);
    }
    let s = open(&m, Destination::Journal);
    assert!(matches!(&s.view, View::JournalList { notice: None, .. }));
    // One entry's row is removed outside the app.
    sql(
        &m,
        "DELETE FROM journal_entries WHERE rowid = (SELECT MIN(rowid) FROM journal_entries)",
    );
    reopen(&m, CODE);
    let s = open(&m, Destination::Journal);
    let View::JournalList { rows, notice, .. } = &s.view else {
        panic!("{:?}", s.view);
    };
    assert_eq!(rows.len(), 1, "the other entry is listed");
    let notice = notice.as_deref().expect("the list says so");
    assert!(notice.starts_with("Algunas entradas"), "{notice}");
    assert!(notice.contains('1'), "{notice}");
}

fn plan(s: &AppState) -> (Option<String>, bool, bool, Vec<PlanSectionRow>) {
    match &s.view {
        View::SafetyPlan {
            notice,
            can_restart,
            confirm_restart,
            sections,
            ..
        } => (
            notice.clone(),
            *can_restart,
            *confirm_restart,
            sections.clone(),
        ),
        other => panic!("not the plan: {other:?}"),
    }
}

#[test]
fn a_put_back_plan_shows_the_notice_and_starting_again_takes_a_confirmation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path(), "en");
    m.core
        .set_duress_passphrase(DURESS.into(), false)
        .expect("duress");
    let s = open(&m, Destination::SafetyPlan);
    assert_eq!(plan(&s).0, None);
    assert!(!plan(&s).1, "nothing to start again");
    m.dispatch(Intent::SavePlanSection {
        section: Section::SafePlaces,
        items: vec![PLACE.into()],
        notes: String::new(),
    });
    let old = plan_rows(&m);
    m.dispatch(Intent::SavePlanSection {
        section: Section::SafePlaces,
        items: vec!["the shelter".into()],
        notes: String::new(),
    });
    put_back_plan(&m, &old);
    reopen(&m, CODE);
    // Opening the plan shows it, not silence on home.
    let s = open(&m, Destination::SafetyPlan);
    assert_eq!(s.view.name(), "safety_plan");
    let (notice, can_restart, confirm, sections) = plan(&s);
    let notice = notice.expect("the plan says so");
    assert!(notice.contains("could not be opened"), "{notice}");
    assert!(can_restart, "delete it and start again is offered");
    assert!(!confirm);
    assert!(!s.label("restart").is_empty() && !s.label("confirm_restart").is_empty());
    assert!(
        sections.iter().all(|r| r.items.is_empty()),
        "the old plan is never shown as the plan"
    );
    assert!(!serde_json::to_string(&s).expect("json").contains(PLACE));
    // Without the confirmation nothing is deleted; Back from the confirmation keeps it.
    m.dispatch(Intent::ConfirmRestartSafetyPlan);
    assert_eq!(old, plan_rows(&m), "not deleted without the confirmation");
    let s = m.dispatch(Intent::RestartSafetyPlan);
    assert!(plan(&s).2, "the confirmation shows");
    assert!(!s.label("restart_confirm").is_empty() && !s.label("keep").is_empty());
    let s = m.dispatch(Intent::Back);
    assert_eq!(s.view.name(), "safety_plan", "Back keeps the plan screen");
    assert!(!plan(&s).2);
    assert_eq!(old, plan_rows(&m), "and the set-aside plan");
    m.dispatch(Intent::RestartSafetyPlan);
    let s = m.dispatch(Intent::ConfirmRestartSafetyPlan);
    let (notice, can_restart, confirm, sections) = plan(&s);
    assert_eq!(notice, None, "acknowledged");
    assert!(!can_restart && !confirm);
    assert!(sections
        .iter()
        .all(|r| r.items.is_empty() && r.notes.is_empty()));
    assert_eq!(
        m.core.safety_plan_get().expect("plan"),
        crate::safety_plan::SafetyPlan::empty(),
        "an empty plan"
    );
    assert_eq!(m.core.safety_plan_damaged_count().expect("count"), 0);
    // A new plan can be written.
    let s = m.dispatch(Intent::SavePlanSection {
        section: Section::SafePlaces,
        items: vec!["the shelter".into()],
        notes: String::new(),
    });
    assert_eq!(plan(&s).3[1].items, vec!["the shelter".to_owned()]);
}

#[test]
fn a_duress_session_sees_no_notice_about_the_real_plan_and_cannot_restart_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path(), "en");
    m.core
        .set_duress_passphrase(DURESS.into(), false)
        .expect("duress");
    open(&m, Destination::SafetyPlan);
    m.dispatch(Intent::SavePlanSection {
        section: Section::SafePlaces,
        items: vec![PLACE.into()],
        notes: String::new(),
    });
    let old = plan_rows(&m);
    m.dispatch(Intent::SavePlanSection {
        section: Section::SafePlaces,
        items: vec!["the shelter".into()],
        notes: String::new(),
    });
    put_back_plan(&m, &old);
    reopen(&m, DURESS);
    let s = open(&m, Destination::SafetyPlan);
    let (notice, can_restart, _, _) = plan(&s);
    assert_eq!(
        notice, None,
        "the duress session hears nothing of the real plan"
    );
    assert!(!can_restart);
    m.dispatch(Intent::RestartSafetyPlan);
    m.dispatch(Intent::ConfirmRestartSafetyPlan);
    assert_eq!(old, plan_rows(&m), "and cannot delete it");
}

#[test]
fn a_section_that_cannot_be_read_says_so_on_home_until_the_next_try() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path(), "en");
    sql(&m, "ALTER TABLE documents RENAME TO documents_gone");
    let s = open(&m, Destination::Documents);
    let View::Home { error, .. } = &s.view else {
        panic!("{:?}", s.view);
    };
    let error = error.as_deref().expect("one line on home");
    assert!(!error.is_empty() && !error.contains('\n'), "{error}");
    sql(&m, "ALTER TABLE documents_gone RENAME TO documents");
    let s = open(&m, Destination::Documents);
    assert_eq!(s.view.name(), "document_list");
    let s = m.dispatch(Intent::Back);
    assert!(
        matches!(&s.view, View::Home { error: None, .. }),
        "the old message is gone"
    );
}

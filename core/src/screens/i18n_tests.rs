//! The screens speak the phone's language: every word on screen comes from the message
//! files (checked with a marked pseudo-language), Spanish and Arabic read as they should
//! (plurals, dates, right to left), the decoy speaks the phone's language, and directory
//! answers come in the app's language.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::*;
use crate::i18n::{PSEUDO_CLOSE, PSEUDO_OPEN};
use crate::platform::FakeClock;
use crate::vault::VaultConfig;

const CODE: &str = "40571986";
/// What a survivor types (not from the message files, and never checked as words).
const MARKER_LABEL: &str = "my own words";
/// 2026-01-09 (UTC), a Friday.
const NOW_MS: i64 = 1_768_000_000_000;

fn model(dir: &std::path::Path, language: &str) -> ScreenModel {
    let core = Core::open_with_config(
        dir.to_string_lossy().into_owned(),
        Arc::new(FakeClock::new(NOW_MS)),
        None,
        VaultConfig::for_tests(4),
    )
    .expect("open");
    ScreenModel::new(core, "America/New_York", language).expect("model")
}

/// First run through to home.
fn set_up(dir: &std::path::Path, language: &str) -> ScreenModel {
    let m = model(dir, language);
    m.dispatch(Intent::Next);
    m.dispatch(Intent::Next);
    let s = m.dispatch(Intent::ChooseCode {
        code: CODE.into(),
        confirm: CODE.into(),
    });
    assert_eq!(s.view.name(), "home");
    m
}

fn open(m: &ScreenModel, destination: Destination) -> AppState {
    m.dispatch(Intent::Open { destination })
}

fn court(reminders: Vec<u32>) -> AppointmentForm {
    AppointmentForm {
        title: "Hearing".into(),
        kind: AppointmentKind::Court,
        date: "2026-01-20".into(),
        time: "09:00".into(),
        reminder_minutes: reminders,
        ..AppointmentForm::default()
    }
}

fn settings_form(m: &ScreenModel) -> SafetyForm {
    match open(m, Destination::SafetySettings).view {
        View::SafetySettings { form, .. } => form,
        other => panic!("settings: {other:?}"),
    }
}

/// Whether `s` is made only of marked messages (the pseudo-language wraps each message in
/// `⟦ ⟧`), with at most spaces, punctuation and digits between them.
fn from_messages(s: &str) -> bool {
    let mut depth = 0_u32;
    let mut segments = 0;
    for c in s.chars() {
        if c == PSEUDO_OPEN {
            if depth == 0 {
                segments += 1;
            }
            depth += 1;
        } else if c == PSEUDO_CLOSE {
            if depth == 0 {
                return false;
            }
            depth -= 1;
        } else if depth == 0
            && !(c.is_whitespace() || c.is_ascii_punctuation() || c.is_ascii_digit())
        {
            return false;
        }
    }
    depth == 0 && segments > 0
}

/// Checks every word on screen that is not the person's own data or directory data.
fn assert_words_from_messages(m: &ScreenModel, s: &AppState) {
    let name = s.view.name();
    let check = |what: &str, text: &str| {
        assert!(
            from_messages(text),
            "{name}: {what} is not from the message files: {text:?}"
        );
    };
    check("title", &s.title);
    for l in &s.labels {
        check(&format!("label {}", l.key), &l.text);
    }
    let errors = |errors: &[FieldError]| {
        for e in errors {
            check(&format!("error on {}", e.field), &e.message);
        }
    };
    // No `_` arm: a new screen must say here which of its strings are words.
    match &s.view {
        View::FirstRunQuickExit { steps } => {
            for step in steps {
                check("step title", &step.title);
                check("step body", &step.body);
            }
        }
        View::FirstRunDecoy { options } => {
            for o in options {
                check("decoy title", &o.title);
                check("unlock gesture", &o.unlock_gesture);
            }
        }
        View::FirstRunCode { error } | View::Unlock { error } => {
            if let Some(e) = error {
                check("error", e);
            }
        }
        View::Calculator { display } => {
            // Numbers are the calculator's; its only word comes from the files.
            let number = display
                .chars()
                .all(|c| c.is_ascii_digit() || ".-e".contains(c));
            assert!(number || from_messages(display), "display {display:?}");
        }
        View::DecoyPage { title, lines, .. } => {
            check("decoy title", title);
            for l in lines {
                check("decoy line", l);
            }
        }
        View::Home { .. } => {}
        View::JournalList { rows, .. } => {
            for r in rows {
                check("entry time", &r.time_text);
            }
        }
        View::EntryEditor { errors: e, .. } => errors(e),
        View::EvidenceExport { errors: e, done } => {
            errors(e);
            if let Some(d) = done {
                check("export done", d);
            }
        }
        View::AppointmentList { rows } => {
            for r in rows {
                check("appointment time", &r.time_text);
                if !r.reminders.is_empty() {
                    check("reminders", &r.reminders);
                }
            }
        }
        View::AppointmentEditor {
            reminder_labels,
            errors: e,
            ..
        } => {
            for l in reminder_labels {
                check("reminder label", l);
            }
            errors(e);
        }
        View::DirectorySearch { rows, .. } => {
            for r in rows {
                if !r.hours.is_empty() {
                    check("hours", &r.hours);
                }
            }
        }
        View::ResourceDetail { detail } => {
            let record = m
                .core
                .directory_show(&detail.id, "en")
                .expect("the record shown");
            for (row, action) in detail.actions.iter().zip(&record.actions) {
                check("action label", &row.label);
                match (&row.note, &action.warning) {
                    // The record's own warning is directory data, in its own words.
                    (Some(note), Some(warning)) => assert_eq!(note, warning),
                    (Some(note), None) => check("action note", note),
                    (None, _) => {}
                }
            }
        }
        View::CallWarning { text, action } => {
            check("call warning", text);
            check("action label", &action.label);
        }
        View::SafetySettings { errors: e, .. } => errors(e),
        View::SyncStatus { lines } => {
            for l in lines {
                check("sync line", l);
            }
        }
        View::DocumentList { rows, .. } => {
            for r in rows {
                check("document kind", &r.kind_text);
                if !r.expiry_text.is_empty() {
                    check("document expiry", &r.expiry_text);
                }
            }
        }
        View::DocumentEditor {
            reminder_labels,
            errors: e,
            ..
        } => {
            for l in reminder_labels {
                check("document reminder", l);
            }
            errors(e);
        }
        // Labels and fingerprints are the survivor's own and the key's; only errors are words.
        View::ShareRecipients { errors: e, .. } => errors(e),
        View::SafetyPlan {
            intro, sections, ..
        } => {
            check("plan intro", intro);
            for sec in sections {
                check("plan section title", &sec.title);
                check("plan prompt", &sec.prompt);
                check("plan example", &sec.example);
                if !sec.status.is_empty() {
                    check("plan section status", &sec.status);
                }
            }
        }
        View::GuideList { intro, guides } => {
            check("guides intro", intro);
            // Titles and summaries are guide text (core/guides/), in the app's language.
            let lang = m.messages().lang();
            for g in guides {
                let packaged = crate::guides::load(
                    crate::guides::find(&g.id).expect("a packaged guide"),
                    lang,
                )
                .expect("parses");
                assert_eq!(g.title, packaged.title);
                assert_eq!(g.summary, packaged.summary);
            }
        }
        View::Guide { guide } => {
            let packaged = crate::guides::load(
                crate::guides::find(&guide.id).expect("a packaged guide"),
                m.messages().lang(),
            )
            .expect("parses");
            assert_eq!(guide.title, packaged.title, "guide text, not a message");
            for (shown, text) in guide.sections.iter().zip(&packaged.sections) {
                assert_eq!(shown.body, text.body);
            }
            check("not legal advice", &guide.not_advice);
            if let Some(note) = &guide.review_note {
                check("review note", note);
            }
            check("last reviewed", &guide.last_reviewed_text);
            check("sources heading", &guide.sources_heading);
            check("help heading", &guide.help_heading);
            for h in &guide.help {
                check("kind of help", &h.label);
            }
        }
    }
}

#[test]
fn every_word_on_every_screen_comes_from_the_message_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = tempfile::tempdir().expect("out");
    let m = model(dir.path(), crate::i18n::tests::PSEUDO_TAG);
    let mut states = vec![m.state()];
    let mut go = |intent: Intent| {
        let s = m.dispatch(intent);
        states.push(s.clone());
        s
    };
    // First run, with both code errors.
    go(Intent::Next);
    go(Intent::Next);
    go(Intent::ChooseCode {
        code: "12".into(),
        confirm: "12".into(),
    });
    go(Intent::ChooseCode {
        code: CODE.into(),
        confirm: "40571987".into(),
    });
    go(Intent::ChooseCode {
        code: CODE.into(),
        confirm: CODE.into(),
    });
    // Journal: every validation message, a file, an entry, the export.
    go(Intent::Open {
        destination: Destination::Journal,
    });
    go(Intent::NewEntry);
    go(Intent::SaveEntry);
    go(Intent::Attach {
        name: "empty.txt".into(),
        mime: "text/plain".into(),
        content: Vec::new(),
    });
    for happened in ["5 January", "2027-01-01 10:00"] {
        go(Intent::EditEntry {
            form: EntryForm {
                title: "x".repeat(MAX_TITLE_CHARS + 1),
                happened: happened.into(),
                ..EntryForm::default()
            },
        });
        go(Intent::SaveEntry);
    }
    go(Intent::EditEntry {
        form: EntryForm {
            title: "Wages".into(),
            happened: "2026-01-05 22:30".into(),
            ..EntryForm::default()
        },
    });
    go(Intent::Attach {
        name: "payslip.jpg".into(),
        mime: "image/jpeg".into(),
        content: vec![0xff, 0xd8, 0xff],
    });
    go(Intent::SaveEntry);
    go(Intent::OpenExport);
    go(Intent::ExportEvidence {
        passphrase: "short".into(),
        confirm: "other".into(),
        dest_path: String::new(),
    });
    go(Intent::ExportEvidence {
        passphrase: "a long passphrase".into(),
        confirm: "another long one".into(),
        dest_path: String::new(),
    });
    for dest in [
        out.path().join("missing").join("copy.age"),
        out.path().to_owned(),
    ] {
        go(Intent::ExportEvidence {
            passphrase: "a long passphrase".into(),
            confirm: "a long passphrase".into(),
            dest_path: dest.to_string_lossy().into_owned(),
        });
    }
    go(Intent::ExportEvidence {
        passphrase: "a long passphrase".into(),
        confirm: "a long passphrase".into(),
        dest_path: out.path().join("copy.age").to_string_lossy().into_owned(),
    });
    go(Intent::Back);
    go(Intent::Back);
    // Appointments: every validation message, then one with four kinds of reminder.
    go(Intent::Open {
        destination: Destination::Appointments,
    });
    go(Intent::NewAppointment);
    go(Intent::SaveAppointment);
    for form in [
        AppointmentForm {
            time: "9am".into(),
            duration_minutes: "two".into(),
            reminder_minutes: vec![1, 2, 3, 4, 5, 6],
            ..court(Vec::new())
        },
        AppointmentForm {
            reminder_minutes: vec![31 * 1440],
            date: "2026-03-08".into(),
            time: "02:30".into(),
            ..court(Vec::new())
        },
    ] {
        go(Intent::EditAppointment { form });
        go(Intent::SaveAppointment);
    }
    go(Intent::EditAppointment {
        form: court(vec![0, 90, 60, 2880]),
    });
    go(Intent::SaveAppointment);
    go(Intent::EditAppointment {
        form: AppointmentForm {
            time: String::new(),
            ..court(vec![1440])
        },
    });
    go(Intent::NewAppointment);
    go(Intent::EditAppointment {
        form: AppointmentForm {
            time: String::new(),
            ..court(vec![1440])
        },
    });
    go(Intent::SaveAppointment);
    go(Intent::Back);
    // Directory: search, detail, the call warning.
    let s = go(Intent::Open {
        destination: Destination::Directory,
    });
    assert!(matches!(&s.view, View::DirectorySearch { rows, .. } if !rows.is_empty()));
    let s = go(Intent::SearchDirectory {
        filters: DirectoryFilters {
            text: "trafficking".into(),
            ..DirectoryFilters::default()
        },
    });
    let View::DirectorySearch { rows, .. } = &s.view else {
        panic!("search");
    };
    let s = go(Intent::OpenResource {
        id: rows[0].id.clone(),
    });
    let View::ResourceDetail { detail } = &s.view else {
        panic!("detail");
    };
    let call = detail
        .actions
        .iter()
        .position(|a| a.label == m.messages().tr("action-call"))
        .expect("a call action");
    go(Intent::TakeAction {
        index: u32::try_from(call).expect("index"),
    });
    go(Intent::Back);
    go(Intent::Back);
    go(Intent::Back);
    // Settings: every validation message, then saved.
    let form = settings_form(&m);
    states.push(m.state());
    let mut go = |intent: Intent| {
        let s = m.dispatch(intent);
        states.push(s.clone());
        s
    };
    go(Intent::EditSafety {
        form: SafetyForm {
            auto_lock_minutes: 90,
            wipe_after_failures: Some(1),
            duress_code: "12".into(),
            launcher_alias: "nope".into(),
            ..form.clone()
        },
    });
    go(Intent::SaveSafety);
    go(Intent::EditSafety {
        form: SafetyForm {
            decoy: Decoy::Notes,
            ..form.clone()
        },
    });
    go(Intent::SaveSafety);
    go(Intent::Back);
    go(Intent::Open {
        destination: Destination::SyncStatus,
    });
    go(Intent::Back);
    // Documents (one expiring, one expired) and the safety plan (written, skipped, empty).
    for expires in ["2026-02-08", "2025-12-01"] {
        m.core
            .documents_add(crate::documents::DocumentDraft {
                doc_type: crate::documents::DocumentType::Passport,
                label: Some(MARKER_LABEL.into()),
                expires_on: Some(expires.into()),
                ..crate::documents::DocumentDraft::default()
            })
            .expect("document");
    }
    go(Intent::Open {
        destination: Destination::Documents,
    });
    // The document editor: every validation message, a file, saved, then deleted.
    go(Intent::NewDocument);
    go(Intent::Attach {
        name: "empty.jpg".into(),
        mime: "image/jpeg".into(),
        content: Vec::new(),
    });
    for form in [
        DocumentForm {
            label: "x".repeat(crate::documents::MAX_SHORT_CHARS + 1),
            issuing_country: "Mexico".into(),
            issued_on: "5 March".into(),
            reminder_days: vec![400],
            ..DocumentForm::default()
        },
        DocumentForm {
            issued_on: "2026-03-01".into(),
            expires_on: "2025-03-01".into(),
            notes: "x".repeat(crate::documents::MAX_NOTES_BYTES + 1),
            reminder_days: vec![1, 2, 3, 4, 5, 6],
            ..DocumentForm::default()
        },
        DocumentForm {
            reminder_days: vec![30],
            ..DocumentForm::default()
        },
    ] {
        go(Intent::EditDocument { form });
        go(Intent::SaveDocument);
    }
    go(Intent::EditDocument {
        form: DocumentForm {
            expires_on: "2027-03-01".into(),
            reminder_days: vec![90, 30],
            ..DocumentForm::default()
        },
    });
    go(Intent::Attach {
        name: "scan.jpg".into(),
        mime: "image/jpeg".into(),
        content: vec![0xff, 0xd8, 0xff],
    });
    let s = go(Intent::SaveDocument);
    let View::DocumentList { rows, .. } = &s.view else {
        panic!("saved: {}", s.view.name());
    };
    let id = rows.iter().find(|r| r.has_file).expect("saved").id.clone();
    go(Intent::OpenDocument { id });
    go(Intent::RemoveDocumentFile);
    go(Intent::DeleteDocument);
    go(Intent::ConfirmDeleteDocument);
    go(Intent::Back);
    // People I share with: a bad scan, a missing name, then saved and removed.
    go(Intent::Open {
        destination: Destination::Sharing,
    });
    go(Intent::ScanRecipientKey {
        text: "https://example.org".into(),
    });
    let key = age::x25519::Identity::generate().to_public().to_string();
    go(Intent::ScanRecipientKey { text: key.clone() });
    let s = go(Intent::SaveRecipient);
    assert!(matches!(&s.view, View::ShareRecipients { errors, .. } if errors.len() == 1));
    go(Intent::EditRecipient {
        form: RecipientForm {
            label: MARKER_LABEL.into(),
            key,
        },
    });
    let s = go(Intent::SaveRecipient);
    let View::ShareRecipients { rows, .. } = &s.view else {
        panic!("recipients");
    };
    go(Intent::RemoveRecipient {
        id: rows[0].id.clone(),
    });
    go(Intent::Back);
    go(Intent::Open {
        destination: Destination::SafetyPlan,
    });
    go(Intent::SavePlanSection {
        section: crate::safety_plan::Section::SafePlaces,
        items: vec![MARKER_LABEL.into()],
        notes: String::new(),
    });
    go(Intent::SkipPlanSection {
        section: crate::safety_plan::Section::Pets,
    });
    go(Intent::Back);
    go(Intent::Open {
        destination: Destination::Guides,
    });
    for g in crate::guides::GUIDES {
        go(Intent::OpenGuide { id: g.id.into() });
        go(Intent::Back);
    }
    go(Intent::Back);
    // The decoys: notes, weather, and the calculator's one word.
    go(Intent::QuickExit);
    go(Intent::SubmitCode { code: CODE.into() });
    go(Intent::Open {
        destination: Destination::SafetySettings,
    });
    go(Intent::EditSafety {
        form: SafetyForm {
            decoy: Decoy::Weather,
            ..form.clone()
        },
    });
    go(Intent::SaveSafety);
    go(Intent::QuickExit);
    go(Intent::SubmitCode { code: CODE.into() });
    go(Intent::Open {
        destination: Destination::SafetySettings,
    });
    go(Intent::EditSafety {
        form: SafetyForm {
            decoy: Decoy::Calculator,
            ..form
        },
    });
    go(Intent::SaveSafety);
    // Later, an idle lock shows the code prompt (with its neutral error).
    let settings = Settings {
        lock_to_decoy: false,
        lock_on_background: true,
        ..m.core.disguise_settings().expect("settings")
    };
    m.core.set_disguise_settings(&settings).expect("save");
    m.disguise.reload_settings().expect("reload");
    let mut go = |intent: Intent| {
        let s = m.dispatch(intent);
        states.push(s.clone());
        s
    };
    go(Intent::QuickExit);
    for key in [
        CalcKey::Digit { value: 9 },
        CalcKey::Divide,
        CalcKey::Digit { value: 0 },
        CalcKey::Equals,
    ] {
        go(Intent::Calc { key });
    }
    let mut go = |intent: Intent| {
        let s = m.dispatch(intent);
        states.push(s.clone());
        s
    };
    go(Intent::Calc {
        key: CalcKey::Clear,
    });
    for value in CODE.chars().filter_map(|c| c.to_digit(10)) {
        go(Intent::Calc {
            key: CalcKey::Digit {
                value: u8::try_from(value).expect("digit"),
            },
        });
    }
    go(Intent::Calc {
        key: CalcKey::Equals,
    });
    go(Intent::Lifecycle {
        event: AppEvent::Background,
    });
    go(Intent::SubmitCode {
        code: "99999999".into(),
    });

    let mut seen = BTreeSet::new();
    for s in &states {
        seen.insert(s.view.name());
        assert_words_from_messages(&m, s);
    }
    // The walk saw every screen, a calculator error, and the one-line messages.
    for name in [
        "first_run_quick_exit",
        "first_run_decoy",
        "first_run_code",
        "calculator",
        "decoy_page",
        "unlock",
        "home",
        "journal_list",
        "entry_editor",
        "evidence_export",
        "appointment_list",
        "appointment_editor",
        "directory_search",
        "resource_detail",
        "call_warning",
        "safety_settings",
        "sync_status",
        "guide_list",
        "guide",
    ] {
        assert!(seen.contains(name), "the walk never showed {name}");
    }
    let shown = |pred: &dyn Fn(&AppState) -> bool| states.iter().any(pred);
    assert!(shown(
        &|s| matches!(&s.view, View::Calculator { display } if display.starts_with(PSEUDO_OPEN))
    ));
    assert!(shown(&|s| matches!(
        &s.view,
        View::Unlock { error: Some(_) }
    )));
    assert!(shown(&|s| matches!(
        &s.view,
        View::EvidenceExport { done: Some(_), .. }
    )));
    assert!(shown(
        &|s| matches!(&s.view, View::AppointmentList { rows } if rows.len() == 2)
    ));
}

#[test]
fn spanish_screens_read_in_spanish_with_plurals_and_dates() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = model(dir.path(), "es_MX");
    let s = m.state();
    assert_eq!(s.language, "es");
    assert_eq!(s.direction, TextDirection::Ltr);
    assert_eq!(s.title, "Antes de empezar");
    let View::FirstRunQuickExit { steps } = &s.view else {
        panic!("first run");
    };
    assert_eq!(steps[0].title, "Esta aplicación parece una calculadora");
    m.dispatch(Intent::Next);
    m.dispatch(Intent::Next);
    let s = m.dispatch(Intent::ChooseCode {
        code: "12".into(),
        confirm: "12".into(),
    });
    assert_eq!(
        s.view,
        View::FirstRunCode {
            error: Some("Usa al menos 6 números: el código se escribe en la calculadora.".into())
        }
    );
    m.dispatch(Intent::ChooseCode {
        code: CODE.into(),
        confirm: CODE.into(),
    });
    let s = m.state();
    assert_eq!(s.title, "Inicio");
    assert_eq!(s.label("destination:journal"), "Diario");
    open(&m, Destination::Appointments);
    m.dispatch(Intent::NewAppointment);
    let s = m.dispatch(Intent::EditAppointment {
        form: court(vec![60, 2880]),
    });
    assert_eq!(s.title, "Cita nueva");
    assert_eq!(s.label("kind:court"), "Tribunal");
    let View::AppointmentEditor {
        reminder_labels, ..
    } = &s.view
    else {
        panic!("editor");
    };
    // One and many: "1 hora", "2 días".
    assert_eq!(reminder_labels, &["1 hora antes", "2 días antes"]);
    let s = m.dispatch(Intent::SaveAppointment);
    let View::AppointmentList { rows } = &s.view else {
        panic!("list");
    };
    assert_eq!(rows[0].time_text, "mar, 20 ene 2026, 09:00");
    assert_eq!(rows[0].reminders, "2 días antes, 1 hora antes");
    // An error the screen shows, in Spanish.
    m.dispatch(Intent::NewAppointment);
    let s = m.dispatch(Intent::SaveAppointment);
    let View::AppointmentEditor { errors, .. } = &s.view else {
        panic!("editor");
    };
    assert_eq!(errors[0].message, "Ponle un nombre a la cita.");
}

#[test]
fn arabic_screens_run_right_to_left_with_arabic_plurals() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = model(dir.path(), "ar-EG");
    let s = m.state();
    assert_eq!(s.language, "ar");
    assert_eq!(s.direction, TextDirection::Rtl);
    assert_eq!(s.title, "قبل أن تبدأ");
    assert_eq!(s.label("next"), "التالي");
    m.dispatch(Intent::Next);
    m.dispatch(Intent::Next);
    m.dispatch(Intent::ChooseCode {
        code: CODE.into(),
        confirm: CODE.into(),
    });
    open(&m, Destination::Appointments);
    m.dispatch(Intent::NewAppointment);
    let s = m.dispatch(Intent::EditAppointment {
        form: court(vec![60, 120, 180, 2880]),
    });
    let View::AppointmentEditor {
        reminder_labels, ..
    } = &s.view
    else {
        panic!("editor");
    };
    // Arabic has a dual and a plural for three to ten; numbers are isolated so they keep
    // their place in the right-to-left sentence.
    assert_eq!(
        reminder_labels,
        &[
            "قبل ساعة واحدة",
            "قبل ساعتين",
            "قبل \u{2068}3\u{2069} ساعات",
            "قبل يومين",
        ]
    );
    assert_eq!(s.title, "موعد جديد");
}

#[test]
fn the_decoy_speaks_the_phones_language() {
    let english_words = [
        "Calculator",
        "Notes",
        "Weather",
        "Shopping",
        "Tomorrow",
        "Type your code",
        "Error",
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    let m = model(dir.path(), "es-MX");
    m.dispatch(Intent::Next);
    let s = m.state();
    let View::FirstRunDecoy { options } = &s.view else {
        panic!("decoy choice");
    };
    let titles: Vec<_> = options.iter().map(|o| o.title.as_str()).collect();
    assert_eq!(titles, ["Calculadora", "Notas", "Clima"]);
    m.dispatch(Intent::ChooseDecoy {
        decoy: Decoy::Notes,
    });
    m.dispatch(Intent::Next);
    m.dispatch(Intent::ChooseCode {
        code: CODE.into(),
        confirm: CODE.into(),
    });
    let s = m.dispatch(Intent::QuickExit);
    let View::DecoyPage { title, lines, .. } = &s.view else {
        panic!("the notes decoy: {s:?}");
    };
    assert_eq!(title, "Notas");
    assert_eq!(s.title, "Notas");
    assert_eq!(lines[0], "Compras: arroz, huevos, tomates, jabón");
    let json = serde_json::to_string(&s).expect("json");
    for word in english_words {
        assert!(!json.contains(word), "the Spanish decoy shows {word:?}");
    }
    // The calculator decoy, with its one word.
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path(), "es");
    m.dispatch(Intent::QuickExit);
    for key in [
        CalcKey::Digit { value: 1 },
        CalcKey::Divide,
        CalcKey::Digit { value: 0 },
    ] {
        m.dispatch(Intent::Calc { key });
    }
    let s = m.dispatch(Intent::Calc {
        key: CalcKey::Equals,
    });
    assert_eq!(s.title, "Calculadora");
    assert_eq!(
        s.view,
        View::Calculator {
            display: "Error".into()
        }
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path(), "vi");
    m.dispatch(Intent::QuickExit);
    m.dispatch(Intent::Calc {
        key: CalcKey::Divide,
    });
    let s = m.dispatch(Intent::Calc {
        key: CalcKey::Equals,
    });
    assert_eq!(s.title, "Máy tính");
    assert_eq!(
        s.view,
        View::Calculator {
            display: "Lỗi".into()
        }
    );
    // The platforms' own lists speak it too.
    let decoys = crate::app::disguise::disguise_decoys("es-MX");
    assert_eq!(decoys[2].content[0], "Hoy: parcialmente nublado, 18°");
    let words: Vec<&str> = decoys
        .iter()
        .flat_map(|d| {
            [d.title.as_str(), d.unlock_gesture.as_str()]
                .into_iter()
                .chain(d.content.iter().map(String::as_str))
        })
        .collect();
    for word in english_words {
        assert!(
            !words.iter().any(|w| w.contains(word)),
            "the Spanish decoy list shows {word:?}"
        );
    }
}

#[test]
fn directory_answers_come_in_the_apps_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path(), "es_MX");
    let hotline = "us-national-human-trafficking-hotline";
    let spanish = m.core.directory_show(hotline, "es").expect("record");
    let english = m.core.directory_show(hotline, "en").expect("record");
    assert_ne!(spanish.description, english.description);
    open(&m, Destination::Directory);
    let s = m.dispatch(Intent::SearchDirectory {
        filters: DirectoryFilters {
            text: "trafficking".into(),
            ..DirectoryFilters::default()
        },
    });
    let View::DirectorySearch { rows, .. } = &s.view else {
        panic!("search");
    };
    let row = rows.iter().find(|r| r.id == hotline).expect("the hotline");
    assert_eq!(row.name, spanish.name);
    let s = m.dispatch(Intent::OpenResource { id: hotline.into() });
    let View::ResourceDetail { detail } = &s.view else {
        panic!("detail");
    };
    assert_eq!(detail.description, spanish.description);
    assert_eq!(s.title, "Detalles");
    assert!(detail.actions.iter().any(|a| a.label == "Llamar"));
}

#[test]
fn a_failed_save_says_what_to_do_in_the_apps_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path(), "es");
    open(&m, Destination::Journal);
    m.dispatch(Intent::OpenExport);
    let export = |dest: &std::path::Path| {
        let s = m.dispatch(Intent::ExportEvidence {
            passphrase: "a long passphrase".into(),
            confirm: "a long passphrase".into(),
            dest_path: dest.to_string_lossy().into_owned(),
        });
        match s.view {
            View::EvidenceExport { errors, done } => {
                assert_eq!(done, None);
                errors
            }
            other => panic!("export: {other:?}"),
        }
    };
    // A folder that does not exist: the message says so, beside the destination.
    let errors = export(&dir.path().join("no-such-folder").join("copy.age"));
    assert_eq!(errors[0].field, "destination");
    assert_eq!(
        errors[0].message,
        "Esa carpeta no existe. Elige otro lugar para guardar el archivo."
    );
    // A destination that cannot be written (a folder, not a file): a storage message.
    let errors = export(dir.path());
    assert_eq!(errors[0].message, m.messages().tr("error-storage"));
    assert!(errors[0].message.starts_with("El teléfono no pudo guardar"));
}

#[test]
fn the_first_run_names_the_chosen_decoy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = model(dir.path(), "es-MX");
    let words = |s: &AppState| -> String {
        let mut text: Vec<String> = s.labels.iter().map(|l| l.text.clone()).collect();
        if let View::FirstRunQuickExit { steps } = &s.view {
            text.extend(steps.iter().flat_map(|t| [t.title.clone(), t.body.clone()]));
        }
        text.join("\n").to_lowercase()
    };
    // Before any choice: the default decoy, the calculator.
    let first = words(&m.state());
    assert!(first.contains("calculadora"), "{first}");
    m.dispatch(Intent::Next);
    m.dispatch(Intent::ChooseDecoy {
        decoy: Decoy::Notes,
    });
    // Back to the steps: they now say notes, and how the notes open.
    let s = m.dispatch(Intent::Back);
    assert_eq!(s.view.name(), "first_run_quick_exit");
    let steps = words(&s);
    assert!(!steps.contains("calculadora"), "{steps}");
    assert!(
        steps.contains("notas") && steps.contains("pulsa listo"),
        "{steps}"
    );
    m.dispatch(Intent::Next);
    let s = m.dispatch(Intent::Next);
    assert_eq!(s.view.name(), "first_run_code");
    let hint = words(&s);
    assert!(!hint.contains("calculadora"), "{hint}");
    assert!(hint.contains("nota nueva"), "{hint}");
}

#[test]
fn the_calculator_writes_numbers_like_the_phones_own_and_the_code_still_opens() {
    // (phone language, 3.5, the first digits of the code, −7), as the phone's own
    // calculator writes them (CLDR: `,` for es and vi, the `arab` digits for ar).
    for (language, three_and_a_half, code_start, minus_seven) in [
        ("en-US", "3.5", "4057", "-7"),
        ("es-MX", "3,5", "4057", "-7"),
        ("vi-VN", "3,5", "4057", "-7"),
        ("zh-Hans-CN", "3.5", "4057", "-7"),
        ("ar-EG", "٣٫٥", "٤٠٥٧", "\u{061C}-٧"),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let m = set_up(dir.path(), language);
        m.dispatch(Intent::QuickExit);
        let press = |keys: &[CalcKey]| -> String {
            let mut s = m.state();
            for key in keys {
                s = m.dispatch(Intent::Calc { key: *key });
            }
            match s.view {
                View::Calculator { display } => display,
                other => panic!("{language}: not the calculator: {}", other.name()),
            }
        };
        let digit = |value: u8| CalcKey::Digit { value };
        assert_eq!(
            press(&[digit(3), CalcKey::Point, digit(5)]),
            three_and_a_half,
            "{language}"
        );
        assert_eq!(
            press(&[CalcKey::Clear, digit(7), CalcKey::Negate]),
            minus_seven,
            "{language}"
        );
        // The code is typed as digits; the display renders them, the match uses the keys.
        press(&[CalcKey::Clear]);
        let digits: Vec<CalcKey> = CODE
            .chars()
            .filter_map(|c| c.to_digit(10))
            .map(|d| digit(u8::try_from(d).expect("digit")))
            .collect();
        assert_eq!(press(&digits[..4]), code_start, "{language}");
        press(&digits[4..]);
        let s = m.dispatch(Intent::Calc {
            key: CalcKey::Equals,
        });
        assert_eq!(s.view.name(), "home", "{language}: the code opens the app");
    }
}

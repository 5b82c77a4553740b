//! The screen models per screen (intents, validation, back) and the quick exit from every
//! state, walked over many intent sequences.

use std::sync::Arc;

use super::*;
use crate::platform::FakeClock;
use crate::vault::VaultConfig;

const CODE: &str = "40571986";
/// 2026-01-09 (UTC), a Friday.
const NOW_MS: i64 = 1_768_000_000_000;
const MARKERS: &[&str] = &[
    "Marker-Title-7731",
    "marker body 5510",
    "Marker-Court-4410",
    "evidence.jpg",
];

fn model_in(dir: &std::path::Path) -> ScreenModel {
    let core = Core::open_with_config(
        dir.to_string_lossy().into_owned(),
        Arc::new(FakeClock::new(NOW_MS)),
        None,
        VaultConfig::for_tests(4),
    )
    .expect("open");
    ScreenModel::new(core, "America/New_York", "en").expect("model")
}

fn digits(m: &ScreenModel, text: &str) -> AppState {
    let mut last = m.state();
    for c in text.chars() {
        let value = c.to_digit(10).expect("digit") as u8;
        last = m.dispatch(Intent::Calc {
            key: CalcKey::Digit { value },
        });
    }
    last
}

fn unlock(m: &ScreenModel) -> AppState {
    digits(m, CODE);
    m.dispatch(Intent::Calc {
        key: CalcKey::Equals,
    })
}

/// First run to home, with the calculator decoy.
fn set_up(dir: &std::path::Path) -> ScreenModel {
    let m = model_in(dir);
    m.dispatch(Intent::Next);
    m.dispatch(Intent::Next);
    let s = m.dispatch(Intent::ChooseCode {
        code: CODE.into(),
        confirm: CODE.into(),
    });
    assert_eq!(s.view.name(), "home");
    m
}

fn errors_of(s: &AppState) -> Vec<FieldError> {
    match &s.view {
        View::EntryEditor { errors, .. }
        | View::AppointmentEditor { errors, .. }
        | View::EvidenceExport { errors, .. }
        | View::SafetySettings { errors, .. } => errors.clone(),
        _ => Vec::new(),
    }
}

fn assert_nothing_personal(s: &AppState) {
    let json = serde_json::to_string(s).expect("json");
    for m in MARKERS {
        assert!(!json.contains(m), "personal data left in the state");
    }
    assert!(!s.view.is_private(), "a private screen after quick exit");
    assert!(!s.can_go_back);
}

#[test]
fn first_run_teaches_quick_exit_first_then_decoy_then_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = model_in(dir.path());
    let s = m.state();
    let View::FirstRunQuickExit { steps } = &s.view else {
        panic!("first run starts with the quick exit: {s:?}");
    };
    assert!(!steps.is_empty());
    // Nothing else is reachable before the lesson.
    for intent in [
        Intent::Open {
            destination: Destination::Journal,
        },
        Intent::NewEntry,
        Intent::SubmitCode { code: CODE.into() },
    ] {
        assert_eq!(m.dispatch(intent).view.name(), "first_run_quick_exit");
    }
    let s = m.dispatch(Intent::Next);
    assert_eq!(s.view.name(), "first_run_decoy");
    assert!(s.can_go_back);
    let s = m.dispatch(Intent::ChooseDecoy {
        decoy: Decoy::Notes,
    });
    let View::FirstRunDecoy { options } = &s.view else {
        panic!("decoy step");
    };
    assert!(options
        .iter()
        .any(|o| o.decoy == Decoy::Notes && o.selected));
    m.dispatch(Intent::Next);
    // Too short, not digits, not the same: a message, no vault.
    for (code, confirm, want) in [
        ("123", "123", "at least 6 digits"),
        ("abcdefgh", "abcdefgh", "at least 6 digits"),
        (CODE, "40571987", "not the same"),
    ] {
        let s = m.dispatch(Intent::ChooseCode {
            code: code.into(),
            confirm: confirm.into(),
        });
        let View::FirstRunCode { error: Some(e) } = &s.view else {
            panic!("a validation message");
        };
        assert!(e.contains(want), "{e}");
    }
    assert_eq!(
        m.core.vault_state().expect("state"),
        VaultState::Uninitialized
    );
    let s = m.dispatch(Intent::ChooseCode {
        code: CODE.into(),
        confirm: CODE.into(),
    });
    assert_eq!(s.view.name(), "home");
    // The chosen decoy shows after a quick exit, and its gesture (a code) unlocks.
    let s = m.dispatch(Intent::QuickExit);
    assert!(matches!(
        s.view,
        View::DecoyPage {
            decoy: Decoy::Notes,
            ..
        }
    ));
    let s = m.dispatch(Intent::SubmitCode {
        code: "000000".into(),
    });
    assert!(
        matches!(s.view, View::DecoyPage { .. }),
        "a wrong code changes nothing"
    );
    let s = m.dispatch(Intent::SubmitCode { code: CODE.into() });
    assert_eq!(s.view.name(), "home");
}

#[test]
fn calculator_calculates_and_the_code_unlocks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path());
    let s = m.dispatch(Intent::QuickExit);
    assert_eq!(
        s.view,
        View::Calculator {
            display: "0".into()
        }
    );
    assert!(s.leave_recents);
    digits(&m, "12");
    m.dispatch(Intent::Calc { key: CalcKey::Add });
    digits(&m, "30");
    let s = m.dispatch(Intent::Calc {
        key: CalcKey::Equals,
    });
    assert_eq!(
        s.view,
        View::Calculator {
            display: "42".into()
        }
    );
    m.dispatch(Intent::Calc {
        key: CalcKey::Clear,
    });
    let s = unlock(&m);
    assert_eq!(s.view.name(), "home");
    assert!(!s.can_go_back);
}

#[test]
fn journal_editor_validates_attaches_saves_and_searches() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path());
    m.dispatch(Intent::Open {
        destination: Destination::Journal,
    });
    let s = m.dispatch(Intent::NewEntry);
    assert_eq!(s.view.name(), "entry_editor");
    // Empty, a bad date, a future date, a long title: one message each, nothing saved.
    let s = m.dispatch(Intent::SaveEntry);
    assert_eq!(errors_of(&s)[0].field, "body");
    let bad = [("01/05/2026", "happened"), ("2027-01-01 10:00", "happened")];
    for (happened, field) in bad {
        m.dispatch(Intent::EditEntry {
            form: EntryForm {
                title: MARKERS[0].into(),
                happened: happened.into(),
                ..EntryForm::default()
            },
        });
        let s = m.dispatch(Intent::SaveEntry);
        assert_eq!(errors_of(&s)[0].field, field);
    }
    m.dispatch(Intent::EditEntry {
        form: EntryForm {
            title: "x".repeat(MAX_TITLE_CHARS + 1),
            ..EntryForm::default()
        },
    });
    assert_eq!(errors_of(&m.dispatch(Intent::SaveEntry))[0].field, "title");
    assert!(m
        .core
        .journal_list(EntryFilter::default())
        .expect("list")
        .is_empty());

    m.dispatch(Intent::EditEntry {
        form: EntryForm {
            title: MARKERS[0].into(),
            body: MARKERS[1].into(),
            happened: "2026-01-05 22:30".into(),
            tags: "wages, passport".into(),
            ..EntryForm::default()
        },
    });
    let s = m.dispatch(Intent::Attach {
        name: MARKERS[3].into(),
        mime: "image/jpeg".into(),
        content: vec![0xff, 0xd8, 0xff, 1, 2, 3],
    });
    let View::EntryEditor { attachments, .. } = &s.view else {
        panic!("editor");
    };
    assert_eq!(attachments, &vec![MARKERS[3].to_owned()]);
    let s = m.dispatch(Intent::SaveEntry);
    let View::JournalList { rows, .. } = &s.view else {
        panic!("back to the list after save: {s:?}");
    };
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].attachments, 1);
    // 2026-01-05 22:30 in New York, shown in New York.
    assert_eq!(rows[0].time_text, "Mon 5 Jan 2026, 22:30");
    let s = m.dispatch(Intent::JournalSearch {
        query: "passport".into(),
    });
    assert!(matches!(&s.view, View::JournalList { rows, .. } if rows.len() == 1));
    let s = m.dispatch(Intent::JournalSearch {
        query: "nothingmatches".into(),
    });
    assert!(matches!(&s.view, View::JournalList { rows, .. } if rows.is_empty()));
    // Opening the entry gives the form back as typed.
    let id = m.core.journal_list(EntryFilter::default()).expect("list")[0]
        .id
        .clone();
    let s = m.dispatch(Intent::OpenEntry { id });
    let View::EntryEditor { form, .. } = &s.view else {
        panic!("editor");
    };
    assert_eq!(form.happened, "2026-01-05 22:30");
    assert_eq!(form.tags, "wages, passport");
}

#[test]
fn evidence_export_validates_then_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = tempfile::tempdir().expect("out");
    let m = set_up(dir.path());
    m.dispatch(Intent::Open {
        destination: Destination::Journal,
    });
    m.dispatch(Intent::OpenExport);
    let s = m.dispatch(Intent::ExportEvidence {
        passphrase: "short".into(),
        confirm: "short".into(),
        dest_path: String::new(),
    });
    let fields: Vec<_> = errors_of(&s).into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["passphrase", "destination"]);
    let dest = out.path().join("export.age").to_string_lossy().into_owned();
    let s = m.dispatch(Intent::ExportEvidence {
        passphrase: "a long passphrase".into(),
        confirm: "a long passphrase".into(),
        dest_path: dest.clone(),
    });
    assert!(matches!(&s.view, View::EvidenceExport { done: Some(_), errors } if errors.is_empty()));
    assert!(std::path::Path::new(&dest).exists());
}

fn court_form() -> AppointmentForm {
    AppointmentForm {
        title: MARKERS[2].into(),
        kind: AppointmentKind::Court,
        date: "2026-01-20".into(),
        time: "09:00".into(),
        repeat: Repeat::Never,
        reminder_minutes: vec![60, 1440],
        ..AppointmentForm::default()
    }
}

#[test]
fn appointment_editor_validates_and_saves_reminders_and_recurrence() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path());
    m.dispatch(Intent::Open {
        destination: Destination::Appointments,
    });
    m.dispatch(Intent::NewAppointment);
    let s = m.dispatch(Intent::SaveAppointment);
    let fields: Vec<_> = errors_of(&s).into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["title", "date"]);
    let cases = [
        (
            AppointmentForm {
                time: "9am".into(),
                ..court_form()
            },
            "time",
        ),
        (
            AppointmentForm {
                duration_minutes: "two".into(),
                ..court_form()
            },
            "duration",
        ),
        (
            AppointmentForm {
                reminder_minutes: vec![1, 2, 3, 4, 5, 6],
                ..court_form()
            },
            "reminders",
        ),
        (
            AppointmentForm {
                reminder_minutes: vec![31 * 1440],
                ..court_form()
            },
            "reminders",
        ),
        // 02:30 on 8 March 2026 does not exist in New York.
        (
            AppointmentForm {
                date: "2026-03-08".into(),
                time: "02:30".into(),
                ..court_form()
            },
            "time",
        ),
    ];
    for (form, field) in cases {
        m.dispatch(Intent::EditAppointment { form });
        let s = m.dispatch(Intent::SaveAppointment);
        assert_eq!(errors_of(&s)[0].field, field);
    }
    let s = m.dispatch(Intent::EditAppointment { form: court_form() });
    let View::AppointmentEditor {
        reminder_labels, ..
    } = &s.view
    else {
        panic!("editor");
    };
    assert_eq!(reminder_labels, &["1 hour before", "1 day before"]);
    let s = m.dispatch(Intent::SaveAppointment);
    let View::AppointmentList { rows } = &s.view else {
        panic!("list after save");
    };
    assert_eq!(rows[0].time_text, "Tue 20 Jan 2026, 09:00");
    assert_eq!(rows[0].reminders, "1 day before, 1 hour before");
    let saved = m.core.appointment_list().expect("list");
    assert_eq!(saved[0].draft.reminder_offsets_minutes, vec![1440, 60]);
    // Weekly recurrence goes through as a rule and comes back as the choice.
    let id = saved[0].id.clone();
    m.dispatch(Intent::OpenAppointment { id: id.clone() });
    m.dispatch(Intent::EditAppointment {
        form: AppointmentForm {
            repeat: Repeat::Weekly,
            ..court_form()
        },
    });
    m.dispatch(Intent::SaveAppointment);
    let s = m.dispatch(Intent::OpenAppointment { id });
    assert!(
        matches!(&s.view, View::AppointmentEditor { form, .. } if form.repeat == Repeat::Weekly)
    );
}

fn open_hotline(m: &ScreenModel) -> AppState {
    m.dispatch(Intent::Open {
        destination: Destination::Directory,
    });
    let s = m.dispatch(Intent::SearchDirectory {
        filters: DirectoryFilters {
            text: "trafficking".into(),
            ..DirectoryFilters::default()
        },
    });
    let View::DirectorySearch { rows, .. } = &s.view else {
        panic!("search");
    };
    let id = rows
        .first()
        .expect("the packaged directory has a hotline")
        .id
        .clone();
    m.dispatch(Intent::OpenResource { id })
}

#[test]
fn directory_search_detail_and_the_one_time_call_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path());
    let s = open_hotline(&m);
    let View::ResourceDetail { detail } = &s.view else {
        panic!("detail");
    };
    let call = detail
        .actions
        .iter()
        .find(|a| a.label == "Call")
        .expect("a call action")
        .index;
    let s = m.dispatch(Intent::TakeAction { index: call });
    assert!(
        matches!(&s.view, View::CallWarning { text, .. } if text == &m.messages().tr(CALL_LOG_WARNING_ID))
    );
    assert_eq!(
        s.launch, None,
        "nothing is dialled before the warning is read"
    );
    // Back from the warning dials nothing.
    let s = m.dispatch(Intent::Back);
    assert_eq!(s.view.name(), "resource_detail");
    assert_eq!(s.launch, None);
    m.dispatch(Intent::TakeAction { index: call });
    let s = m.dispatch(Intent::ConfirmCallWarning);
    assert_eq!(s.view.name(), "resource_detail");
    assert!(s.launch.as_deref().is_some_and(|u| u.starts_with("tel:")));
    let s = m.dispatch(Intent::LaunchHandled);
    assert_eq!(s.launch, None);
    // Once warned, the next call goes straight through.
    let s = m.dispatch(Intent::TakeAction { index: call });
    assert!(s.launch.is_some());
    // Filters narrow the search.
    let s = m.dispatch(Intent::Back);
    assert_eq!(s.view.name(), "directory_search");
    let s = m.dispatch(Intent::SearchDirectory {
        filters: DirectoryFilters {
            text: "trafficking".into(),
            categories: vec!["food_clothing".into()],
            ..DirectoryFilters::default()
        },
    });
    assert!(matches!(&s.view, View::DirectorySearch { rows, .. } if rows.is_empty()));
}

#[test]
fn safety_settings_validate_and_save() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path());
    let s = m.dispatch(Intent::Open {
        destination: Destination::SafetySettings,
    });
    let View::SafetySettings { form, .. } = s.view else {
        panic!("settings");
    };
    let bad = SafetyForm {
        auto_lock_minutes: 90,
        wipe_after_failures: Some(1),
        duress_code: "12".into(),
        launcher_alias: "nope".into(),
        ..form.clone()
    };
    m.dispatch(Intent::EditSafety { form: bad });
    let s = m.dispatch(Intent::SaveSafety);
    let fields: Vec<_> = errors_of(&s).into_iter().map(|e| e.field).collect();
    assert_eq!(
        fields,
        ["launcher_alias", "auto_lock", "wipe_after", "duress"]
    );
    let good = SafetyForm {
        decoy: Decoy::Weather,
        auto_lock_minutes: 5,
        screenshot_blocking: true,
        wipe_after_failures: Some(10),
        duress_code: "11223344".into(),
        ..form
    };
    m.dispatch(Intent::EditSafety { form: good });
    let s = m.dispatch(Intent::SaveSafety);
    assert!(
        matches!(&s.view, View::SafetySettings { saved: true, form, .. } if form.duress_code.is_empty())
    );
    let saved = m.core.disguise_settings().expect("settings");
    assert_eq!(saved.decoy, Decoy::Weather);
    assert_eq!(saved.auto_lock_s, 300);
    assert!(matches!(
        m.dispatch(Intent::QuickExit).view,
        View::DecoyPage {
            decoy: Decoy::Weather,
            ..
        }
    ));
}

#[test]
fn an_idle_lock_without_the_decoy_asks_for_the_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path());
    let settings = Settings {
        lock_to_decoy: false,
        lock_on_background: true,
        ..m.core.disguise_settings().expect("settings")
    };
    m.core.set_disguise_settings(&settings).expect("save");
    m.disguise.reload_settings().expect("reload");
    m.dispatch(Intent::Open {
        destination: Destination::Journal,
    });
    let s = m.dispatch(Intent::Lifecycle {
        event: AppEvent::Background,
    });
    assert_eq!(s.view, View::Unlock { error: None });
    assert!(!s.can_go_back);
    let s = m.dispatch(Intent::SubmitCode {
        code: "99999999".into(),
    });
    assert!(matches!(&s.view, View::Unlock { error: Some(_) }));
    let s = m.dispatch(Intent::SubmitCode { code: CODE.into() });
    assert_eq!(s.view.name(), "home");
    // Quick exit still leads to the decoy, not the code prompt.
    assert_eq!(m.dispatch(Intent::QuickExit).view.name(), "calculator");
}

#[test]
fn quick_exit_that_wipes_still_shows_the_decoy_not_the_first_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path());
    let s = m.dispatch(Intent::Open {
        destination: Destination::SafetySettings,
    });
    let View::SafetySettings { form, .. } = s.view else {
        panic!("settings");
    };
    m.dispatch(Intent::EditSafety {
        form: SafetyForm {
            quick_exit_wipes: true,
            ..form
        },
    });
    assert!(matches!(
        m.dispatch(Intent::SaveSafety).view,
        View::SafetySettings { saved: true, .. }
    ));
    let s = m.dispatch(Intent::QuickExit);
    assert_eq!(
        m.core.vault_state().expect("state"),
        VaultState::Uninitialized,
        "wiped"
    );
    assert_eq!(
        s.view,
        View::Calculator {
            display: "0".into()
        }
    );
    assert_nothing_personal(&s);
}

#[test]
fn sync_status_says_what_is_installed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path());
    let s = m.dispatch(Intent::Open {
        destination: Destination::SyncStatus,
    });
    let View::SyncStatus { lines } = &s.view else {
        panic!("sync");
    };
    assert!(lines[0].starts_with("Directory version"), "{lines:?}");
}

#[test]
fn back_pops_one_screen_and_never_leaves_the_root() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path());
    assert!(!m.dispatch(Intent::Back).can_go_back);
    assert_eq!(m.state().view.name(), "home");
    open_hotline(&m);
    let names: Vec<_> = (0..3)
        .map(|_| m.dispatch(Intent::Back).view.name())
        .collect();
    assert_eq!(names, ["directory_search", "home", "home"]);
    // Back from the editor forgets the draft and its pending attachment.
    m.dispatch(Intent::Open {
        destination: Destination::Journal,
    });
    m.dispatch(Intent::NewEntry);
    m.dispatch(Intent::Attach {
        name: "a.txt".into(),
        mime: "text/plain".into(),
        content: b"x".to_vec(),
    });
    let s = m.dispatch(Intent::Back);
    assert_eq!(s.view.name(), "journal_list");
    assert!(m.lock_inner().pending_attachments.is_empty());
    let s = m.dispatch(Intent::NewEntry);
    assert!(matches!(&s.view, View::EntryEditor { attachments, .. } if attachments.is_empty()));
    // The decoy has no back.
    let s = m.dispatch(Intent::QuickExit);
    assert!(!m.dispatch(Intent::Back).can_go_back);
    assert_eq!(s.view.name(), "calculator");
}

/// Every intent the walk may take (personal content uses the markers).
fn intent(choice: u64) -> Intent {
    match choice % 20 {
        0 => Intent::Back,
        1 => Intent::Open {
            destination: Destination::Journal,
        },
        2 => Intent::Open {
            destination: Destination::Appointments,
        },
        3 => Intent::Open {
            destination: Destination::Directory,
        },
        4 => Intent::Open {
            destination: Destination::SafetySettings,
        },
        5 => Intent::Open {
            destination: Destination::SyncStatus,
        },
        6 => Intent::NewEntry,
        7 => Intent::EditEntry {
            form: EntryForm {
                title: MARKERS[0].into(),
                body: MARKERS[1].into(),
                ..EntryForm::default()
            },
        },
        8 => Intent::Attach {
            name: MARKERS[3].into(),
            mime: "image/jpeg".into(),
            content: vec![1, 2, 3],
        },
        9 => Intent::SaveEntry,
        10 => Intent::JournalSearch {
            query: MARKERS[0].into(),
        },
        11 => Intent::NewAppointment,
        12 => Intent::EditAppointment { form: court_form() },
        13 => Intent::SaveAppointment,
        14 => Intent::SearchDirectory {
            filters: DirectoryFilters {
                text: "trafficking".into(),
                ..DirectoryFilters::default()
            },
        },
        15 => Intent::TakeAction { index: 0 },
        16 => Intent::ConfirmCallWarning,
        17 => Intent::OpenExport,
        18 => Intent::Lifecycle {
            event: AppEvent::Activity,
        },
        _ => Intent::Calc {
            key: CalcKey::Digit { value: 7 },
        },
    }
}

#[test]
fn quick_exit_from_every_reachable_state_leaves_the_decoy_and_nothing_personal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path());
    let mut seen = std::collections::BTreeSet::new();
    let mut rng: u64 = 0x5eed_1234_abcd_0001;
    for walk in 0..60 {
        if walk > 0 {
            assert_eq!(unlock(&m).view.name(), "home");
        }
        let steps = 1 + walk % 12;
        for _ in 0..steps {
            rng = rng
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let s = m.dispatch(intent(rng >> 33));
            // Results and detail open resources the walk's actions then use.
            if let View::DirectorySearch { rows, .. } = &s.view {
                if let Some(r) = rows.first() {
                    if rng.is_multiple_of(2) {
                        m.dispatch(Intent::OpenResource { id: r.id.clone() });
                    }
                }
            }
            seen.insert(m.state().view.name());
        }
        let s = m.dispatch(Intent::QuickExit);
        assert_eq!(
            s.view,
            View::Calculator {
                display: "0".into()
            }
        );
        assert_nothing_personal(&s);
        assert!(!m.core.is_unlocked().expect("state"), "keys dropped");
        // Nothing personal is reachable from the decoy without the code.
        for i in 0..20 {
            let s = m.dispatch(intent(i));
            assert!(
                !s.view.is_private(),
                "reached {} without the code",
                s.view.name()
            );
        }
        m.dispatch(Intent::Calc {
            key: CalcKey::Clear,
        });
    }
    for name in [
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
    ] {
        assert!(seen.contains(name), "the walk never reached {name}");
    }
}

#[test]
fn documents_and_the_safety_plan_have_their_screens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path());
    let home = m.state();
    assert!(matches!(&home.view, View::Home { destinations, .. }
        if destinations.contains(&Destination::Documents)
            && destinations.contains(&Destination::SafetyPlan)));
    assert!(home
        .labels
        .iter()
        .any(|l| l.key == "destination:safety_plan" && l.text == "My safety plan"));
    // Documents: kind and expiry in words, counted from the injected clock (2026-01-09).
    m.core
        .documents_add(crate::documents::DocumentDraft {
            doc_type: crate::documents::DocumentType::WorkPermit,
            label: Some(MARKERS[0].into()),
            expires_on: Some("2026-02-08".into()),
            ..crate::documents::DocumentDraft::default()
        })
        .expect("document");
    let s = m.dispatch(Intent::Open {
        destination: Destination::Documents,
    });
    assert_eq!(s.title, "My documents");
    match &s.view {
        View::DocumentList { rows, .. } => {
            assert_eq!(rows.len(), 1);
            assert_eq!(rows[0].kind_text, "Work permit");
            assert_eq!(rows[0].label, MARKERS[0]);
            assert_eq!(rows[0].expiry_text, "Expires in 30 days");
            assert!(!rows[0].has_file);
        }
        other => panic!("documents: {other:?}"),
    }
    m.dispatch(Intent::Back);
    // The safety plan: eight guided sections; save one, skip one.
    let s = m.dispatch(Intent::Open {
        destination: Destination::SafetyPlan,
    });
    let View::SafetyPlan {
        sections, intro, ..
    } = &s.view
    else {
        panic!("plan: {:?}", s.view);
    };
    assert_eq!(sections.len(), 8);
    assert!(intro.contains("You can skip anything"));
    assert!(sections.iter().all(|s| s.prompt.contains("skip")));
    assert!(sections
        .iter()
        .all(|s| s.status == "Nothing written here yet."));
    m.dispatch(Intent::SavePlanSection {
        section: crate::safety_plan::Section::SafePlaces,
        items: vec![MARKERS[1].into()],
        notes: "  ".into(),
    });
    let s = m.dispatch(Intent::SkipPlanSection {
        section: crate::safety_plan::Section::Pets,
    });
    let View::SafetyPlan { sections, .. } = &s.view else {
        panic!("plan: {:?}", s.view);
    };
    let places = &sections[1];
    assert_eq!(
        (
            places.items.clone(),
            places.notes.as_str(),
            places.status.as_str()
        ),
        (vec![MARKERS[1].to_owned()], "", "")
    );
    assert!(sections[7].skipped && sections[7].status.starts_with("Skipped for now"));
    // Quick exit from the plan leaves nothing of it in the model.
    let s = m.dispatch(Intent::QuickExit);
    assert_eq!(s.view.name(), "calculator");
    assert!(m.lock_inner().stack.iter().all(|v| !v.is_private()));
    unlock(&m);
    assert_eq!(
        m.core
            .safety_plan_get()
            .expect("plan")
            .section(crate::safety_plan::Section::SafePlaces)
            .expect("section")
            .content
            .items,
        vec![MARKERS[1].to_owned()],
        "what was saved is kept"
    );
}

#[test]
fn guides_open_from_home_link_to_directory_help_and_back_leads_home() {
    let dir = tempfile::tempdir().expect("tempdir");
    let m = set_up(dir.path());
    let home = m.state();
    let View::Home { destinations, .. } = &home.view else {
        panic!("home: {:?}", home.view);
    };
    assert!(destinations.contains(&Destination::Guides));
    assert_eq!(home.label("destination:guides"), "Know your rights");

    let list = m.dispatch(Intent::Open {
        destination: Destination::Guides,
    });
    let View::GuideList { guides, intro } = &list.view else {
        panic!("list: {:?}", list.view);
    };
    assert!(!intro.is_empty());
    assert_eq!(guides.len(), crate::guides::GUIDES.len());
    assert_eq!(list.title, "Know your rights");

    let shown = m.dispatch(Intent::OpenGuide {
        id: "hotline".into(),
    });
    let View::Guide { guide } = &shown.view else {
        panic!("guide: {:?}", shown.view);
    };
    assert_eq!(guide.id, "hotline");
    assert!(guide.not_advice.contains("not legal advice"));
    assert!(!shown.label("sources").is_empty() && shown.can_go_back);
    // A suggested resource opens in the directory's own detail screen; back returns.
    let help = guide
        .help
        .iter()
        .find(|h| h.category == "hotline")
        .expect("hotline help");
    let first = help.resource_ids.first().expect("a seeded hotline").clone();
    let detail = m.dispatch(Intent::OpenResource { id: first });
    assert_eq!(detail.view.name(), "resource_detail");
    assert_eq!(m.dispatch(Intent::Back).view.name(), "guide");
    // An unknown id shows nothing new (the list stays); opening from elsewhere is ignored.
    assert_eq!(m.dispatch(Intent::Back).view.name(), "guide_list");
    let after_bad = m.dispatch(Intent::OpenGuide { id: "nope".into() });
    assert_eq!(after_bad.view.name(), "guide_list");
    assert_eq!(m.dispatch(Intent::Back).view.name(), "home");
    assert_eq!(
        m.dispatch(Intent::OpenGuide {
            id: "hotline".into()
        })
        .view
        .name(),
        "home"
    );
    // The guides are private screens: a quick exit leaves them for the decoy.
    m.dispatch(Intent::Open {
        destination: Destination::Guides,
    });
    m.dispatch(Intent::OpenGuide {
        id: "rights".into(),
    });
    assert_eq!(m.dispatch(Intent::QuickExit).view.name(), "calculator");
}

#[test]
fn guides_read_in_the_apps_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let core = Core::open_with_config(
        dir.path().to_string_lossy().into_owned(),
        Arc::new(FakeClock::new(NOW_MS)),
        None,
        VaultConfig::for_tests(4),
    )
    .expect("open");
    let m = ScreenModel::new(core, "America/New_York", "es-MX").expect("model");
    m.dispatch(Intent::Next);
    m.dispatch(Intent::Next);
    m.dispatch(Intent::ChooseCode {
        code: CODE.into(),
        confirm: CODE.into(),
    });
    let list = m.dispatch(Intent::Open {
        destination: Destination::Guides,
    });
    assert_eq!(list.title, "Conoce tus derechos");
    let shown = m.dispatch(Intent::OpenGuide {
        id: "t-visa".into(),
    });
    let View::Guide { guide } = &shown.view else {
        panic!("guide: {:?}", shown.view);
    };
    assert_eq!(guide.title, "Qué es la visa T");
    assert_eq!(guide.review_note, None, "Spanish is reviewed");
}

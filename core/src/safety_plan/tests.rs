//! Safety-plan promises: sections round-trip and skipping loses nothing, nothing is on disk
//! in plaintext, wrong input is one line and loses nothing, each vault has its own plan,
//! the check-in stores nothing and suggests only kinds of help from the directory, and the
//! guided words exist in every shipped language and never push.

use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::app::Core;
use crate::i18n::{Lang, Messages, LANGUAGES};
use crate::platform::FakeClock;
use crate::test_support::{all_files, assert_no_marker_on_disk};
use crate::vault::VaultConfig;

/// 2026-01-14, inside the packaged directory's validity.
const NOW: i64 = 1_768_402_800_000;
const PASS: &str = "plan pass";

fn setup(dir: &Path) -> Arc<Core> {
    let wp = Core::open_with_config(
        dir.to_string_lossy().into_owned(),
        Arc::new(FakeClock::new(NOW)),
        None,
        VaultConfig::for_tests(4),
    )
    .expect("open");
    wp.setup(PASS.into()).expect("setup");
    wp
}

fn content(items: &[&str], notes: Option<&str>) -> SectionContent {
    SectionContent {
        items: items.iter().map(|s| (*s).to_owned()).collect(),
        notes: notes.map(str::to_owned),
    }
}

#[test]
fn sections_round_trip_and_skipping_keeps_what_was_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    let empty = wp.safety_plan_get().expect("get");
    assert_eq!(empty, SafetyPlan::empty());
    assert_eq!(
        empty.sections.iter().map(|s| s.section).collect::<Vec<_>>(),
        Section::ALL.to_vec()
    );
    wp.safety_plan_set_section(
        Section::SafePlaces,
        content(&["  the library ", "", "Ana's flat"], Some("back door")),
    )
    .expect("set");
    wp.safety_plan_set_section(Section::CodeWord, content(&["blue umbrella"], None))
        .expect("set");
    let plan = wp
        .safety_plan_skip_section(Section::SafePlaces)
        .expect("skip");
    let places = plan.section(Section::SafePlaces).expect("section");
    assert!(places.skipped);
    assert_eq!(
        places.content,
        content(&["the library", "Ana's flat"], Some("back door")),
        "trimmed, blanks dropped, and skipping keeps the words"
    );
    assert_eq!(places.updated_at_ms, Some(NOW));
    let plan = wp
        .safety_plan_clear_section(Section::SafePlaces)
        .expect("clear");
    let places = plan.section(Section::SafePlaces).expect("section");
    assert!(!places.skipped && places.content == SectionContent::default());
    assert_eq!(plan.revision, 4);
    // After a lock the plan is still there.
    wp.lock();
    assert!(matches!(wp.safety_plan_get(), Err(Error::Locked)));
    wp.unlock(PASS.into()).expect("unlock");
    let again = wp.safety_plan_get().expect("get");
    assert_eq!(again, plan);
    assert_eq!(
        again
            .section(Section::CodeWord)
            .expect("code")
            .content
            .items,
        vec!["blue umbrella".to_owned()]
    );
    wp.safety_plan_delete().expect("delete");
    assert_eq!(wp.safety_plan_get().expect("get"), SafetyPlan::empty());
    wp.safety_plan_set_section(Section::Pets, content(&["Rex"], None))
        .expect("a new plan after deleting");
}

#[test]
fn nothing_of_the_plan_is_on_disk_in_plaintext() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    let markers: Vec<String> = (0..3).map(|i| format!("Qp{i}MarkerLynx")).collect();
    wp.safety_plan_set_section(
        Section::PeopleToCall,
        content(&[&markers[0]], Some(&markers[1])),
    )
    .expect("set");
    wp.safety_plan_set_section(Section::CodeWord, content(&[&markers[2]], None))
        .expect("set");
    wp.safety_plan_skip_section(Section::Pets).expect("skip");
    assert_no_marker_on_disk(dir.path(), &markers, true);
    wp.safety_plan_delete().expect("delete");
    wp.lock();
    drop(wp);
    assert_no_marker_on_disk(dir.path(), &markers, false);
}

#[test]
fn wrong_input_is_one_clear_line_and_loses_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    let kept = wp
        .safety_plan_set_section(Section::WhatToTake, content(&["charger"], None))
        .expect("set");
    let secret = "SecretPlanWords";
    let too_many: Vec<String> = (0..=MAX_ITEMS).map(|i| format!("{secret}{i}")).collect();
    for (field, bad) in [
        (
            "items",
            SectionContent {
                items: too_many,
                notes: None,
            },
        ),
        (
            "items",
            SectionContent {
                items: vec![secret.repeat(40)],
                notes: None,
            },
        ),
        (
            "notes",
            SectionContent {
                items: Vec::new(),
                notes: Some(secret.repeat(2000)),
            },
        ),
    ] {
        let err = wp
            .safety_plan_set_section(Section::WhatToTake, bad)
            .expect_err(field);
        assert!(
            matches!(err, Error::InvalidInput { field: ref f, .. } if f == field),
            "{err}"
        );
        let line = err.to_string();
        assert!(!line.contains(secret) && !line.contains('\n'), "{line}");
    }
    let err = Section::parse(secret).expect_err("section");
    assert!(!err.to_string().contains(secret));
    assert!(CheckQuestion::parse(secret).is_err());
    assert_eq!(wp.safety_plan_get().expect("get"), kept, "nothing lost");
}

#[test]
fn each_vault_has_its_own_plan_and_a_duress_session_changes_nothing_real() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    let real = wp
        .safety_plan_set_section(Section::SafePlaces, content(&["the real place"], None))
        .expect("set");
    wp.set_duress_passphrase("decoy pass".into(), false)
        .expect("duress");
    wp.lock();
    wp.unlock("decoy pass".into()).expect("decoy");
    assert_eq!(wp.safety_plan_get().expect("get"), SafetyPlan::empty());
    wp.safety_plan_set_section(Section::SafePlaces, content(&["decoy"], None))
        .expect("the decoy's own");
    wp.safety_plan_delete().expect("the decoy deletes its own");
    wp.lock();
    wp.unlock(PASS.into()).expect("real");
    assert_eq!(wp.safety_plan_get().expect("get"), real);
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    // The -shm file is SQLite's shared-memory index (reader marks), not content.
    let mut files: Vec<(String, Vec<u8>)> = all_files(dir)
        .into_iter()
        .filter(|p| !p.to_string_lossy().ends_with("-shm"))
        .map(|p| {
            let bytes = std::fs::read(&p).expect("read");
            (p.to_string_lossy().into_owned(), bytes)
        })
        .collect();
    files.sort();
    files
}

#[test]
fn the_check_in_suggests_kinds_of_help_and_keeps_no_answer() {
    assert!(check_in(&[]).is_empty());
    let no = |q| CheckAnswer {
        question: q,
        yes: false,
    };
    let yes = |q| CheckAnswer {
        question: q,
        yes: true,
    };
    assert!(check_in(&CheckQuestion::ALL.map(no)).is_empty());
    assert_eq!(
        check_in(&[yes(CheckQuestion::Feelings), yes(CheckQuestion::UnsafeNow)]),
        vec![
            Category::Emergency,
            Category::Hotline,
            Category::MentalHealth,
            Category::SupportGroup
        ],
        "emergency help first whatever the order of the answers"
    );
    let all = check_in(&CheckQuestion::ALL.map(yes));
    let mut unique = all.clone();
    unique.dedup();
    assert_eq!(all.len(), unique.len(), "each kind once");

    // Through the application: resources from the packaged directory, nothing written.
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    wp.lock();
    let before = snapshot(dir.path());
    let result = wp
        .safety_check_in(
            &[yes(CheckQuestion::UnsafeNow), no(CheckQuestion::Hurt)],
            "es-MX",
        )
        .expect("check-in");
    assert_eq!(
        result
            .suggestions
            .iter()
            .map(|s| s.category.as_str())
            .collect::<Vec<_>>(),
        ["emergency", "hotline"]
    );
    assert_eq!(
        result.suggestions[1].label,
        Messages::new(Lang::Es).tr("category-hotline")
    );
    assert!(
        result
            .suggestions
            .iter()
            .any(|s| !s.resource_ids.is_empty()),
        "the packaged directory has help of these kinds"
    );
    for s in &result.suggestions {
        assert!(s.resource_ids.len() <= 3);
        assert_eq!(s.resource_ids.len(), s.resource_names.len());
    }
    let none = wp.safety_check_in(&[], "en").expect("check-in");
    assert!(none.suggestions.is_empty());
    assert_eq!(
        none.intro,
        Messages::new(Lang::En).tr(ids::CHECK_RESULT_NONE)
    );
    assert_eq!(
        snapshot(dir.path()),
        before,
        "the check-in wrote nothing anywhere (works locked, keeps no answer)"
    );
}

#[test]
fn guided_words_exist_in_every_language_and_never_push() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    let english = wp.safety_plan_guide("en");
    for l in LANGUAGES {
        let m = Messages::new(l.lang);
        let guide = wp.safety_plan_guide(l.tag);
        let form = wp.safety_check_form(l.tag);
        assert_eq!(guide.direction, l.direction);
        assert_eq!(guide.sections.len(), Section::ALL.len());
        assert_eq!(form.questions.len(), CheckQuestion::ALL.len());
        let mut ids_used: Vec<&str> = vec![
            ids::TITLE,
            ids::INTRO,
            ids::SKIP,
            ids::SKIPPED,
            ids::EMPTY,
            ids::CHECK_TITLE,
            ids::CHECK_INTRO,
            ids::CHECK_RESULT_INTRO,
            ids::CHECK_RESULT_NONE,
            ids::YES,
            ids::NO,
            ids::SKIP_ANSWER,
        ];
        for g in super::guide() {
            ids_used.extend([g.title_id, g.prompt_id, g.example_id]);
        }
        ids_used.extend(CheckQuestion::ALL.map(CheckQuestion::text_id));
        for id in ids_used {
            assert!(m.has(id), "{}: {id} missing", l.tag);
            assert!(!m.tr(id).trim().is_empty(), "{}: {id} empty", l.tag);
        }
        if l.lang != Lang::En {
            for (ours, en) in guide.sections.iter().zip(&english.sections) {
                assert_ne!(ours.prompt, en.prompt, "{}: prompt left in English", l.tag);
            }
        }
    }
    // The English voice: every prompt says it can be skipped; no blame, no pressure.
    for s in &english.sections {
        assert!(s.prompt.contains("You can skip this"), "{:?}", s.section);
    }
    let all_english: Vec<String> = english
        .sections
        .iter()
        .flat_map(|s| [s.title.clone(), s.prompt.clone(), s.example.clone()])
        .chain([english.intro.clone(), english.skip.clone()])
        .chain(
            wp.safety_check_form("en")
                .questions
                .into_iter()
                .map(|q| q.text),
        )
        .collect();
    for text in &all_english {
        let lower = text.to_lowercase();
        for pushy in [
            "must",
            "should",
            "have to",
            "your fault",
            "why didn't",
            "why did you",
            "need to",
            "risk level",
            "score",
        ] {
            assert!(!lower.contains(pushy), "{pushy:?} in {text:?}");
        }
    }
}

#[test]
fn debug_output_hides_content() {
    let c = content(&["DebugMarkerVole"], Some("DebugMarkerVole"));
    let plan = SafetyPlan {
        sections: vec![PlanSection {
            section: Section::CodeWord,
            content: c.clone(),
            skipped: false,
            updated_at_ms: None,
        }],
        revision: 1,
    };
    let answer = CheckAnswer {
        question: CheckQuestion::UnsafeNow,
        yes: true,
    };
    let text = format!("{c:?} {plan:?} {:?} {answer:?}", plan.sections[0]);
    assert!(!text.contains("DebugMarkerVole"), "{text}");
    assert!(
        !text.contains("UnsafeNow") && !text.contains("true"),
        "{text}"
    );
}

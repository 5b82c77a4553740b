//! The message files are complete and consistent in every shipped language, and every id
//! the code uses exists in English.

use std::collections::{BTreeMap, BTreeSet};

use fluent_syntax::ast;

use super::*;

/// The tag of the test pseudo-language (every message wrapped in `⟦ ⟧`).
pub(crate) const PSEUDO_TAG: &str = "qps-ploc";

/// Variables (`$name`) an expression uses.
fn expression_vars(e: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match e {
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, out);
            for v in variants {
                pattern_vars(&v.value, out);
            }
        }
        ast::Expression::Inline(i) => inline_vars(i, out),
    }
}

fn inline_vars(i: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match i {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, out),
        ast::InlineExpression::FunctionReference { arguments, .. }
        | ast::InlineExpression::TermReference {
            arguments: Some(arguments),
            ..
        } => {
            for a in &arguments.positional {
                inline_vars(a, out);
            }
            for a in &arguments.named {
                inline_vars(&a.value, out);
            }
        }
        _ => {}
    }
}

fn pattern_vars(p: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for el in &p.elements {
        if let ast::PatternElement::Placeable { expression } = el {
            expression_vars(expression, out);
        }
    }
}

/// Every message of one language: id -> (area, variables). Fails on a parse error or a
/// duplicate id.
fn messages_of(index: usize) -> BTreeMap<String, (&'static str, BTreeSet<String>)> {
    let tag = LANGUAGES[index].tag;
    let mut all = BTreeMap::new();
    for (area, texts) in FILES {
        let resource = match fluent_syntax::parser::parse(texts[index]) {
            Ok(r) => r,
            Err((_, errors)) => panic!("{tag}/{area}.ftl does not parse: {errors:?}"),
        };
        for entry in &resource.body {
            match entry {
                ast::Entry::Message(m) => {
                    let mut vars = BTreeSet::new();
                    if let Some(v) = &m.value {
                        pattern_vars(v, &mut vars);
                    }
                    for a in &m.attributes {
                        pattern_vars(&a.value, &mut vars);
                    }
                    let id = m.id.name.to_owned();
                    if let Some((other, _)) = all.insert(id.clone(), (*area, vars)) {
                        panic!("{tag}: message {id} is in both {other}.ftl and {area}.ftl");
                    }
                    assert!(m.value.is_some(), "{tag}/{area}.ftl: {id} has no value");
                }
                ast::Entry::Junk { content } => {
                    panic!("{tag}/{area}.ftl has text that is not a message: {content:?}")
                }
                _ => {}
            }
        }
    }
    all
}

#[test]
fn every_shipped_language_has_exactly_the_english_messages_with_their_arguments() {
    let english = messages_of(0);
    assert!(
        english.len() > 100,
        "English has {} messages",
        english.len()
    );
    for (i, l) in LANGUAGES.iter().enumerate().skip(1) {
        let theirs = messages_of(i);
        let missing: Vec<_> = english
            .keys()
            .filter(|k| !theirs.contains_key(*k))
            .collect();
        assert!(missing.is_empty(), "{} lacks {missing:?}", l.tag);
        let extra: Vec<_> = theirs
            .keys()
            .filter(|k| !english.contains_key(*k))
            .collect();
        assert!(
            extra.is_empty(),
            "{} has messages English lacks: {extra:?}",
            l.tag
        );
        for (id, (area, vars)) in &english {
            let (their_area, their_vars) = &theirs[id];
            assert_eq!(area, their_area, "{}: {id} is in another file", l.tag);
            assert_eq!(
                vars, their_vars,
                "{}: {id} uses other arguments than English",
                l.tag
            );
        }
    }
}

#[test]
fn every_message_formats_without_errors_in_every_language() {
    for (i, l) in LANGUAGES.iter().enumerate() {
        let bundle = build_bundle(l.lang, false);
        for (id, (_, vars)) in messages_of(i) {
            let pattern = bundle
                .get_message(&id)
                .and_then(|m| m.value())
                .unwrap_or_else(|| panic!("{}: {id} is not in the bundle", l.tag));
            for n in [0_i64, 1, 2, 3, 11, 100] {
                let mut args = FluentArgs::new();
                for v in &vars {
                    args.set(v.clone(), FluentValue::from(n));
                }
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{}: {id}: {errors:?}", l.tag);
                assert!(!text.trim().is_empty(), "{}: {id} is empty", l.tag);
            }
        }
    }
}

/// Ids the code passes to `tr("...")`, `tr_args("...")` or `mid!("...")`, with the file.
fn ids_in_sources() -> Vec<(String, String)> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).expect("source dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&root, &mut files);
    let mut ids = Vec::new();
    // This file names the patterns themselves.
    files.retain(|f| !f.ends_with("i18n/tests.rs"));
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read source");
        for call in [".tr(", ".tr_args(", "mid!("] {
            for (at, _) in text.match_indices(call) {
                let rest = text[at + call.len()..].trim_start();
                let Some(rest) = rest.strip_prefix('"') else {
                    continue;
                };
                let id: String = rest.chars().take_while(|c| *c != '"').collect();
                ids.push((id, f.display().to_string()));
            }
        }
    }
    ids
}

#[test]
fn every_message_id_the_code_uses_exists_in_english() {
    let english = messages_of(0);
    let used = ids_in_sources();
    // The scan finds the screens' lookups (else it is broken, and this test proves nothing).
    assert!(
        used.len() > 80,
        "only {} ids found in the sources",
        used.len()
    );
    let missing: Vec<_> = used
        .iter()
        .filter(|(id, _)| !english.contains_key(id))
        .collect();
    assert!(
        missing.is_empty(),
        "ids not in core/locales/en: {missing:?}"
    );
}

#[test]
fn phone_tags_pick_the_closest_shipped_language() {
    for (tag, lang) in [
        ("en", Lang::En),
        ("en-US", Lang::En),
        ("es", Lang::Es),
        ("es-MX", Lang::Es),
        ("es_MX", Lang::Es),
        ("es-419", Lang::Es),
        ("ar", Lang::Ar),
        ("ar-EG", Lang::Ar),
        ("vi-VN", Lang::Vi),
        ("zh-CN", Lang::ZhHans),
        ("zh-Hans-CN", Lang::ZhHans),
        ("zh_Hans_CN", Lang::ZhHans),
        ("zh", Lang::ZhHans),
        ("fr-FR", Lang::En),
        ("ro", Lang::En),
        ("", Lang::En),
        ("not a tag!", Lang::En),
        ("\u{202e}ar", Lang::En),
    ] {
        assert_eq!(Lang::from_tag(tag), lang, "{tag:?}");
    }
    assert_eq!(Lang::from_tag("ar").direction(), TextDirection::Rtl);
    assert_eq!(Lang::from_tag("es-MX").direction(), TextDirection::Ltr);
    assert_eq!(Lang::ZhHans.tag(), "zh-Hans");
}

#[test]
fn plurals_and_arguments_follow_each_language() {
    let en = Messages::new(Lang::En);
    assert_eq!(
        en.tr_args("reminder-days-before", &[("count", 1u32.into())]),
        "1 day before"
    );
    assert_eq!(
        en.tr_args("reminder-days-before", &[("count", 2u32.into())]),
        "2 days before"
    );
    let es = Messages::for_tag("es-MX");
    assert_eq!(
        es.tr_args("reminder-hours-before", &[("count", 1u32.into())]),
        "1 hora antes"
    );
    assert_eq!(
        es.tr_args("reminder-hours-before", &[("count", 3u32.into())]),
        "3 horas antes"
    );
    // Arabic has six plural forms; two is its own word, and the number is isolated from
    // the right-to-left text around it.
    let ar = Messages::for_tag("ar");
    assert_eq!(
        ar.tr_args("reminder-days-before", &[("count", 2u32.into())]),
        "قبل يومين"
    );
    assert_eq!(
        ar.tr_args("reminder-days-before", &[("count", 5u32.into())]),
        "قبل \u{2068}5\u{2069} أيام"
    );
    assert_eq!(
        ar.tr_args("reminder-days-before", &[("count", 11u32.into())]),
        "قبل \u{2068}11\u{2069} يومًا"
    );
}

#[test]
fn a_missing_message_falls_back_to_english_then_to_its_id() {
    let es = Messages::new(Lang::Es);
    assert!(es.has("action-save"));
    assert_eq!(es.tr("action-save"), "Guardar");
    // Nothing is missing in a shipped language (the test above), so the fallback is shown
    // with a bundle that lacks a message: the Spanish bundle over an English one.
    let partial = Messages {
        lang: Lang::Es,
        primary: Arc::new(FluentBundle::new_concurrent(vec![])),
        english: bundle(Lang::En),
        pseudo: false,
    };
    assert_eq!(partial.tr("action-save"), "Save");
    assert_eq!(es.tr("no-such-message"), "no-such-message");
}

#[test]
fn isolation_marks_only_in_right_to_left_languages() {
    for l in LANGUAGES {
        let text = Messages::new(l.lang).tr_args("sync-version", &[("version", 7u32.into())]);
        let isolated = text.contains('\u{2068}') && text.contains('\u{2069}');
        assert_eq!(
            isolated,
            l.direction == TextDirection::Rtl,
            "{}: {text:?}",
            l.tag
        );
    }
}

#[test]
fn exactly_the_three_newer_languages_await_a_native_review() {
    let pending: Vec<_> = LANGUAGES
        .iter()
        .filter(|l| l.review == Review::NeedsNativeReview)
        .map(|l| l.tag)
        .collect();
    assert_eq!(pending, ["ar", "vi", "zh-Hans"]);
}

#[test]
fn first_run_steps_are_short_and_discreet_in_every_language() {
    // Someone may glance at the screen: the steps never say what the app is for.
    let giveaways: &[(Lang, &[&str])] = &[
        (Lang::En, &["traffick", "abuse", "journal", "evidence"]),
        (Lang::Es, &["trata", "abuso", "diario", "evidencia"]),
        (Lang::Ar, &["اتجار", "إساءة", "يوميات"]),
        (Lang::Vi, &["buôn người", "bạo hành", "nhật ký"]),
        (Lang::ZhHans, &["贩卖", "虐待", "日记"]),
    ];
    for (lang, words) in giveaways {
        let m = Messages::new(*lang);
        for step in crate::app::disguise::disguise_onboarding(lang.tag()) {
            assert!(
                step.body.chars().count() <= 200,
                "{}: {}",
                lang.tag(),
                step.title
            );
            let text = format!("{} {}", step.title, step.body).to_lowercase();
            for word in words.iter().chain(&["waypoint"]) {
                assert!(!text.contains(word), "{}: a step says {word}", lang.tag());
            }
        }
        assert!(m.has("onboarding-exit-title"));
    }
}

#[test]
fn android_launcher_names_are_the_decoy_titles_in_every_language() {
    // The name under the icon is Android's own resource; on a Spanish phone an English
    // "Calculator" there would give the disguise away as surely as on the decoy itself.
    let res = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../android/app/src/main/res");
    for l in LANGUAGES {
        let folder = match l.lang {
            Lang::En => "values".to_owned(),
            Lang::ZhHans => "values-zh".to_owned(),
            other => format!("values-{}", other.tag()),
        };
        let xml = std::fs::read_to_string(res.join(&folder).join("strings.xml"))
            .unwrap_or_else(|_| panic!("no {folder}/strings.xml for {}", l.tag));
        let m = Messages::new(l.lang);
        for (name, id) in [
            ("alias_calculator", "decoy-calculator-title"),
            ("alias_notes", "decoy-notes-title"),
            ("alias_weather", "decoy-weather-title"),
        ] {
            let open = format!("<string name=\"{name}\">");
            let value = xml
                .split_once(&open)
                .and_then(|(_, rest)| rest.split_once("</string>"))
                .map(|(v, _)| v)
                .unwrap_or_else(|| panic!("{folder}: no {name}"));
            assert_eq!(value, m.tr(id), "{folder}: {name}");
        }
    }
}

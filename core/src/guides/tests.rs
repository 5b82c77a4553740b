//! Guide promises: every guide in every language with the same sections and links, links
//! that resolve to real directory categories and resources, short dated sourced texts, no
//! blame or pressure, one-line errors that echo nothing, and reading writes nothing.

use std::path::Path;
use std::sync::Arc;

use waypoint_format::record::Category;

use super::{find, load, parse, GUIDES};
use crate::app::Core;
use crate::i18n::{Lang, Messages, Review, LANGUAGES};
use crate::platform::FakeClock;
use crate::test_support::all_files;
use crate::vault::VaultConfig;

/// 2026-01-14, inside the packaged directory's validity.
const NOW: i64 = 1_768_402_800_000;

/// A core never set up: guides work before any vault exists (and while locked).
fn core(dir: &Path) -> Arc<Core> {
    Core::open_with_config(
        dir.to_string_lossy().into_owned(),
        Arc::new(FakeClock::new(NOW)),
        None,
        VaultConfig::for_tests(4),
    )
    .expect("open")
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
fn every_guide_exists_in_every_language_with_the_same_sections_and_links() {
    for g in GUIDES {
        let english = load(g, Lang::En).expect("English parses");
        assert!(english.sections.len() >= 3, "{}: too few sections", g.id);
        for l in LANGUAGES {
            let ours = load(g, l.lang).unwrap_or_else(|_| panic!("{} in {}", g.id, l.tag));
            assert_eq!(
                ours.sections.len(),
                english.sections.len(),
                "{} in {}: sections differ",
                g.id,
                l.tag
            );
            for (i, (a, b)) in ours.sections.iter().zip(&english.sections).enumerate() {
                assert_eq!(
                    a.categories, b.categories,
                    "{} in {}: links of section {i} differ",
                    g.id, l.tag
                );
                assert!(
                    !a.categories.is_empty(),
                    "{} in {}: section {i} links to no help",
                    g.id,
                    l.tag
                );
            }
            if l.lang != Lang::En {
                assert_ne!(
                    ours.title, english.title,
                    "{} in {}: title left",
                    g.id, l.tag
                );
                for (a, b) in ours.sections.iter().zip(&english.sections) {
                    assert_ne!(a.body, b.body, "{} in {}: left in English", g.id, l.tag);
                }
            }
        }
    }
}

#[test]
fn guides_are_short_dated_and_sourced() {
    let mut ids: Vec<&str> = GUIDES.iter().map(|g| g.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), GUIDES.len(), "ids are unique");
    for g in GUIDES {
        assert!(!g.sources.is_empty(), "{}: no source", g.id);
        for s in g.sources {
            assert!(s.url.starts_with("https://"), "{}: {}", g.id, s.url);
            assert!(!s.name.trim().is_empty());
        }
        let d = g.last_reviewed.as_bytes();
        assert!(
            d.len() == 10
                && d[4] == b'-'
                && d[7] == b'-'
                && g.last_reviewed
                    .replace('-', "")
                    .bytes()
                    .all(|b| b.is_ascii_digit()),
            "{}: last_reviewed is YYYY-MM-DD",
            g.id
        );
        // A few hundred words: short enough to read in a few minutes.
        let words = g.text(Lang::En).split_whitespace().count();
        assert!((120..=450).contains(&words), "{}: {words} words", g.id);
    }
}

#[test]
fn english_and_spanish_never_blame_or_push() {
    for g in GUIDES {
        for lang in [Lang::En, Lang::Es] {
            let text = g.text(lang).to_lowercase();
            let words: &[&str] = match lang {
                Lang::En => &[
                    "you must",
                    "must ",
                    "should",
                    "have to",
                    "need to",
                    "your fault",
                    "why didn't",
                    "why did you",
                    "you let",
                    "you allowed",
                    "illegal alien",
                    "illegal immigrant",
                    "risk level",
                ],
                _ => &[
                    "debes",
                    "tienes que",
                    "deberías",
                    "hay que",
                    "tu culpa",
                    "por qué no",
                    "ilegal ",
                ],
            };
            for w in words {
                assert!(!text.contains(w), "{} ({:?}): {w:?}", g.id, lang);
            }
        }
    }
    // The T-visa and rights guides keep legal content general; the screen adds the
    // "information, not legal advice" line in every language.
    for l in LANGUAGES {
        let m = Messages::new(l.lang);
        assert!(m.has(crate::app::guide_ids::NOT_ADVICE), "{}", l.tag);
    }
    assert!(Messages::new(Lang::En)
        .tr(crate::app::guide_ids::NOT_ADVICE)
        .contains("not legal advice"));
}

#[test]
fn links_resolve_to_real_categories_and_bad_text_is_one_clear_error() {
    for g in GUIDES {
        for c in load(g, Lang::En).expect("parses").categories() {
            assert!(Category::ALL.contains(&c));
        }
    }
    for (text, rule) in [
        ("no title\n\nsummary\n\n## A\nbody\n", "title"),
        ("# T\n\n## A\nbody\n", "summary"),
        ("# T\n\nsummary\n", "no section"),
        (
            "# T\n\nsummary\n\n## A\nbody\n-> not_a_category\n",
            "category",
        ),
        (
            "# T\n\nsummary\n-> hotline\n## A\nbody\n",
            "before the first section",
        ),
        ("# T\n\nsummary\n\n## A\n-> hotline\n", "no text"),
        ("# T\n\nsummary\n\n### deeper\nbody\n", "headings"),
        ("", "title"),
    ] {
        let e = parse(text).expect_err(rule).to_string();
        assert!(e.contains(rule), "{rule}: {e}");
        assert!(!e.contains('\n'), "one line: {e}");
    }
    let ok = parse("# T\n\nsum\nmary\n\n## A\none\n\ntwo\n- x\n-> hotline legal_aid hotline\n")
        .expect("parses");
    assert_eq!(ok.summary, "sum\nmary");
    assert_eq!(ok.sections[0].body, "one\n\ntwo\n- x");
    assert_eq!(
        ok.sections[0].categories,
        vec![Category::Hotline, Category::LegalAid]
    );
    let e = find("SecretMarkerGuideId")
        .expect_err("unknown")
        .to_string();
    assert!(!e.contains("SecretMarkerGuideId"), "{e}");
    assert_eq!(find(" T-Visa ").expect("case-insensitive").id, "t-visa");
}

#[test]
fn the_api_lists_and_shows_guides_in_the_apps_language_with_help_and_review_state() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = core(dir.path());
    let before = snapshot(dir.path());
    for l in LANGUAGES {
        let list = wp.guides_list(l.tag).expect("list");
        assert_eq!(list.language, l.tag);
        assert_eq!(list.direction, l.direction);
        assert_eq!(list.guides.len(), GUIDES.len());
        for s in &list.guides {
            let g = wp.guide_show(&s.id, l.tag).expect("show");
            assert_eq!(g.title, s.title);
            assert_eq!(g.language, l.tag);
            assert!(!g.sources.is_empty() && !g.last_reviewed.is_empty());
            assert!(g.last_reviewed_text.contains(&g.last_reviewed));
            assert_eq!(
                g.review_note.is_some(),
                l.review == Review::NeedsNativeReview,
                "{}: the review note follows LANGUAGES",
                l.tag
            );
            // Every linked category is offered as help, named in the app's language.
            let linked: Vec<&String> = g.sections.iter().flat_map(|s| &s.categories).collect();
            for c in linked {
                let help = g.help.iter().find(|h| &h.category == c).expect("offered");
                assert!(!help.label.is_empty());
                assert_eq!(help.resource_ids.len(), help.resource_names.len());
            }
        }
    }
    // Phone tags pick the closest language.
    assert_eq!(wp.guides_list("es_MX").expect("list").language, "es");
    assert_eq!(wp.guides_list("xx-unknown").expect("list").language, "en");
    // The seeded directory answers the hotline link with real resources.
    let hotline = wp.guide_show("hotline", "en").expect("show");
    let help = hotline
        .help
        .iter()
        .find(|h| h.category == "hotline")
        .expect("hotline help");
    assert!(
        !help.resource_ids.is_empty(),
        "seeded hotlines are suggested"
    );
    for id in &help.resource_ids {
        wp.directory_show(id, "en")
            .expect("a suggested resource opens");
    }
    // Unknown ids are one clear error; reading guides wrote nothing anywhere.
    assert!(wp.guide_show("nope", "en").is_err());
    assert_eq!(snapshot(dir.path()), before);
}

// ---- guides the publishers signed -------------------------------------------------------

/// Holds a published set (version 7, one guide `pub-wages` in en and es, es still to be
/// reviewed) as the sync engine would after verifying it, expiring at `expires_s`, signed by
/// a deployment root installed first (as `waypoint sync --root-keyset` does). Returns the store.
fn hold_published(dir: &Path, expires_s: i64) -> crate::store::Store {
    use std::collections::BTreeMap;
    use waypoint_format::guides::{
        build_guides_payload, verify_guides, Guide, GuideSource, ReviewState,
    };
    use waypoint_format::publish::{build_keyset, sign_envelope, PublisherKey};
    let text = |title: &str, body: &str| {
        format!("# {title}\n\nA summary.\n\n## {body}\nSome words.\n\n-> legal_aid hotline\n")
    };
    let g = Guide {
        id: "pub-wages".into(),
        last_reviewed: "2026-11-02".into(),
        sources: vec![GuideSource {
            name: "Example Workers' Center".into(),
            url: "https://example.org/wages".into(),
        }],
        texts: BTreeMap::from([
            ("en".to_owned(), text("Unpaid wages", "Ask for help")),
            ("es".to_owned(), text("Salarios no pagados", "Pide ayuda")),
        ]),
        review: BTreeMap::from([
            ("en".to_owned(), ReviewState::Complete),
            ("es".to_owned(), ReviewState::NeedsNativeReview),
        ]),
    };
    let now = NOW / 1000;
    let key = PublisherKey::generate();
    let store = crate::app::open_store(dir).expect("store");
    let ks = build_keyset(1, now + 10_000_000, 1, vec![key.public_entry()]);
    let root = waypoint_format::publish::sign_keyset(&ks, &[&key]);
    assert!(crate::sync::install_root_keyset(&store, &root, &FakeClock::new(NOW)).expect("root"));
    let created = (now - 100_000).min(expires_s - 1_000);
    let p = build_guides_payload(7, created, expires_s, vec![g]).expect("valid");
    let env = sign_envelope(waypoint_format::PayloadType::Guides, p, &[&key]).to_bytes();
    let policy = waypoint_format::Policy {
        now,
        current_version: None,
        allow_expired: true,
    };
    let v = verify_guides(&env, &ks, &policy).expect("verifies");

    super::published::commit(&store, &v).expect("held");
    store
}

#[test]
fn published_guides_follow_the_packaged_ones_with_their_origin_and_date_and_never_replace_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = core(dir.path());
    let _store = hold_published(dir.path(), NOW / 1000 + 86_400);
    let list = wp.guides_list("en").expect("list");
    let ids: Vec<&str> = list.guides.iter().map(|g| g.id.as_str()).collect();
    assert_eq!(
        ids,
        ["rights", "t-visa", "hotline", "phone-safety", "pub-wages"]
    );
    let last = list.guides.last().expect("published");
    assert_eq!(
        (last.origin.as_str(), last.last_reviewed.as_str()),
        ("published", "2026-11-02")
    );
    assert_eq!(list.guides[0].origin, "packaged");
    let g = wp.guide_show("pub-wages", "en").expect("show");
    assert_eq!(g.title, "Unpaid wages");
    assert!(
        g.origin_text.contains("guides version 7"),
        "{}",
        g.origin_text
    );
    assert_eq!(g.last_reviewed_text, "Last reviewed: 2026-11-02");
    assert_eq!(g.sources[0].url, "https://example.org/wages");
    assert!(g.review_note.is_none() && g.expired_note.is_none());
    assert!(g.help.iter().any(|h| h.category == "hotline"));
    // Spanish text, still waiting for review; a language it lacks falls back to English
    // and says it is not reviewed in the reader's language.
    let es = wp.guide_show("pub-wages", "es-MX").expect("es");
    assert_eq!(
        (es.title.as_str(), es.language.as_str()),
        ("Salarios no pagados", "es")
    );
    assert!(es.review_note.is_some());
    let vi = wp.guide_show("pub-wages", "vi").expect("vi");
    assert_eq!(vi.language, "en");
    assert!(vi.review_note.is_some());
    // A packaged guide is still the packaged one.
    assert_eq!(
        wp.guide_show("rights", "en").expect("rights").origin,
        "packaged"
    );
    assert!(wp.guide_show("pub-nothing", "en").is_err());
}

#[test]
fn an_expired_published_set_is_still_shown_with_the_day_it_was_due() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = core(dir.path());
    // Expired 2026-01-10, before NOW (2026-01-14).
    let _store = hold_published(dir.path(), 1_768_003_200);
    let g = wp.guide_show("pub-wages", "en").expect("still shown");
    let note = g.expired_note.expect("said");
    assert!(note.contains("2026-01-10"), "{note}");
}

#[test]
fn the_published_guide_words_exist_in_every_shipped_language() {
    use crate::app::guide_ids as ids;
    for l in LANGUAGES {
        let m = Messages::for_tag(l.tag);
        for id in [ids::ORIGIN_PACKAGED, ids::ORIGIN_PUBLISHED, ids::EXPIRED] {
            let text = m.tr(id);
            assert!(!text.is_empty() && !text.contains(id), "{id} in {}", l.tag);
        }
        let published = m.tr_args(
            ids::ORIGIN_PUBLISHED,
            &[("version", crate::i18n::Arg::from("7"))],
        );
        assert!(published.contains('7'), "{} {published}", l.tag);
        let expired = m.tr_args(
            ids::EXPIRED,
            &[("date", crate::i18n::Arg::from("2026-01-10"))],
        );
        assert!(expired.contains("2026-01-10"), "{} {expired}", l.tag);
        let file = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("locales/{}/guides.ftl", l.tag)),
        )
        .expect("guides.ftl");
        let marked = file.contains("# Published guides (needs review by a native speaker)");
        assert_eq!(
            marked,
            l.review == Review::NeedsNativeReview,
            "{}: the new words are marked for review exactly where the language is",
            l.tag
        );
    }
    let en = Messages::for_tag("en");
    assert_eq!(en.tr(ids::ORIGIN_PACKAGED), "Comes with the app.");
    let es = Messages::for_tag("es");
    assert_eq!(es.tr(ids::ORIGIN_PACKAGED), "Viene con la aplicación.");
    assert!(es
        .tr_args(
            ids::EXPIRED,
            &[("date", crate::i18n::Arg::from("2026-01-10"))]
        )
        .starts_with("Estas guías debían revisarse"));
}

#[test]
fn a_held_set_changed_on_disk_is_not_shown_and_the_packaged_guides_remain() {
    use waypoint_format::publish::{sign_envelope, PublisherKey};
    use waypoint_format::PayloadType;
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = core(dir.path());
    let store = hold_published(dir.path(), NOW / 1000 + 86_400);
    assert_eq!(
        wp.guides_list("en").expect("list").guides.len(),
        GUIDES.len() + 1
    );
    // Someone rewrites the held envelope with their own key (same content, same shape).
    store
        .with_conn(|c| {
            let signed: Vec<u8> = c.query_row(
                "SELECT value FROM guides_held WHERE key = 'signed'",
                [],
                |r| r.get(0),
            )?;
            let env = waypoint_format::Envelope::parse(&signed, PayloadType::Guides, usize::MAX)
                .map_err(|e| crate::error::Error::Verification(e.to_string()))?;
            let forged = sign_envelope(
                PayloadType::Guides,
                env.payload,
                &[&PublisherKey::generate()],
            );
            c.execute(
                "UPDATE guides_held SET value = ?1 WHERE key = 'signed'",
                [forged.to_bytes()],
            )?;
            Ok(())
        })
        .expect("tamper");
    let ids: Vec<String> = wp
        .guides_list("en")
        .expect("list")
        .guides
        .into_iter()
        .map(|g| g.id)
        .collect();
    assert_eq!(ids, ["rights", "t-visa", "hotline", "phone-safety"]);
    assert!(wp.guide_show("pub-wages", "en").is_err());
}

#[test]
fn the_list_marks_each_guide_with_its_origin_and_review_date_in_every_language() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = core(dir.path());
    let _store = hold_published(dir.path(), NOW / 1000 + 86_400);
    for l in LANGUAGES {
        let m = Messages::for_tag(l.tag);
        let packaged = m.tr(crate::app::guide_ids::MARK_PACKAGED);
        let published = m.tr(crate::app::guide_ids::MARK_PUBLISHED);
        assert!(
            !packaged.is_empty() && !packaged.contains("guide-mark"),
            "{}",
            l.tag
        );
        assert!(
            !published.is_empty() && !published.contains("guide-mark"),
            "{}",
            l.tag
        );
        assert_ne!(packaged, published, "{}", l.tag);
        let list = wp.guides_list(l.tag).expect("list");
        for g in &list.guides {
            let want = if g.origin == "published" {
                &published
            } else {
                &packaged
            };
            assert_eq!(&g.origin_text, want, "{} {}", l.tag, g.id);
            assert!(g.last_reviewed_text.contains(&g.last_reviewed), "{}", l.tag);
        }
        assert!(
            list.guides.iter().any(|g| g.origin_text == published),
            "{}: the published guide is marked",
            l.tag
        );
    }
    let en = wp.guides_list("en").expect("list");
    let wages = en
        .guides
        .iter()
        .find(|g| g.id == "pub-wages")
        .expect("held");
    assert_eq!(wages.origin_text, "Published");
    assert_eq!(wages.last_reviewed_text, "Last reviewed: 2026-11-02");
    let es = wp.guides_list("es").expect("list");
    assert_eq!(es.guides[0].origin_text, "Viene con la aplicación");
}

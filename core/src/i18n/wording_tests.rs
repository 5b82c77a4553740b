//! The voice of issue 17's guided texts in every shipped language: the safety plan's
//! prompts and check-in, the documents' words, the guides' words and the packaged guides
//! themselves never push ("you must", "you should") and never blame ("your fault", "why
//! didn't you"). One list of such words per language; a translator who adds a language adds
//! its list here (the test fails for a language without one).
//!
//! The lists are substrings of the lower-cased text. They are chosen so the plain,
//! permission-giving words the texts use ("you can", "if you want") never match, while the
//! pushing forms do; a text that needs to say what a *law* requires says it about the law
//! or the employer ("no one is allowed to take your passport"), not the reader.

use super::{Lang, FILES, LANGUAGES};

/// The areas whose every message is a guided text of issue 17.
const GUIDED_AREAS: &[&str] = &["safety_plan", "documents", "guides"];

/// Words that push or blame the reader, per language (lower case).
fn pushing_words(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::En => &[
            "you must",
            "must ",
            "should",
            "have to",
            "need to",
            "your fault",
            "why didn't",
            "why did you",
            "you let ",
            "you allowed",
            "illegal alien",
            "illegal immigrant",
            "risk level",
            "risk score",
        ],
        Lang::Es => &[
            "debes",
            "deberías",
            "tienes que",
            "hay que",
            "es necesario que",
            "tu culpa",
            "por qué no",
            "por qué lo",
            "inmigrante ilegal",
            "ilegales",
            "nivel de riesgo",
            "puntuación",
        ],
        // Needs review by a native speaker, like the Arabic texts.
        Lang::Ar => &[
            "يجب",
            "عليك أن",
            "ينبغي",
            "لا بد",
            "لازم",
            "خطؤك",
            "ذنبك",
            "غلطتك",
            "لماذا لم",
            "لماذا سمحت",
            "غير شرعي",
            "مستوى الخطر",
        ],
        // Needs review by a native speaker, like the Vietnamese texts.
        Lang::Vi => &[
            "bạn phải",
            "bạn nên",
            "cần phải",
            "buộc phải",
            "lỗi của bạn",
            "tại bạn",
            "tại sao bạn không",
            "sao bạn lại",
            "nhập cư bất hợp pháp",
            "mức độ nguy hiểm",
            "điểm số",
        ],
        // Needs review by a native speaker, like the Chinese texts.
        Lang::ZhHans => &[
            "必须",
            "你应该",
            "你应当",
            "你得",
            "不得不",
            "你的错",
            "怪你",
            "为什么不",
            "为什么你",
            "非法移民",
            "风险等级",
            "得分",
        ],
    }
}

/// The message texts of `area` in the language at `index` (every variant; no comments,
/// no ids).
fn area_texts(area: &str, index: usize) -> Vec<String> {
    let (_, files) = FILES
        .iter()
        .find(|(a, _)| *a == area)
        .expect("a guided area");
    files[index]
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| match l.split_once('=') {
            Some((id, text))
                if !id.starts_with(' ')
                    && id
                        .trim()
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-') =>
            {
                text.to_owned()
            }
            _ => l.to_owned(),
        })
        .filter(|t| !t.trim().is_empty())
        .collect()
}

/// Phrases that contain a listed word but neither push nor blame, per language (taken out
/// before the check). Each says why.
fn allowed_phrases(lang: Lang) -> &'static [&'static str] {
    match lang {
        // "deber" is also "to owe": "te dicen que debes una deuda" (they say you owe a debt).
        Lang::Es => &["debes una deuda", "debes dinero"],
        _ => &[],
    }
}

/// The pushing or blaming words found in `text` for `lang`.
fn found(lang: Lang, text: &str) -> Vec<&'static str> {
    let mut lower = text.to_lowercase();
    for allowed in allowed_phrases(lang) {
        lower = lower.replace(allowed, " ");
    }
    pushing_words(lang)
        .iter()
        .copied()
        .filter(|w| lower.contains(w))
        .collect()
}

#[test]
fn guided_texts_never_push_or_blame_in_any_shipped_language() {
    let mut problems = Vec::new();
    for (index, info) in LANGUAGES.iter().enumerate() {
        assert!(
            !pushing_words(info.lang).is_empty(),
            "{}: no list",
            info.tag
        );
        let mut texts: Vec<(String, String)> = Vec::new();
        for area in GUIDED_AREAS {
            for t in area_texts(area, index) {
                texts.push(((*area).to_owned(), t));
            }
        }
        for g in crate::guides::GUIDES {
            for line in g.text(info.lang).lines() {
                texts.push((format!("guide {}", g.id), line.to_owned()));
            }
        }
        assert!(texts.len() > 100, "{}: {} texts", info.tag, texts.len());
        let bad: Vec<String> = texts
            .iter()
            .filter_map(|(where_, text)| {
                let hits = found(info.lang, text);
                (!hits.is_empty()).then(|| format!("{} {where_}: {hits:?} in {text:?}", info.tag))
            })
            .collect();
        problems.extend(bad);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn each_list_catches_a_pushing_and_a_blaming_sentence_in_its_language() {
    // One pushing and one blaming sentence per language: the checker must find both, and
    // must pass the permission-giving sentence the texts use.
    let cases: [(Lang, &str, &str, &str); 5] = [
        (
            Lang::En,
            "You must write down every detail.",
            "Why didn't you leave sooner?",
            "You can skip this.",
        ),
        (
            Lang::Es,
            "Tienes que anotar cada detalle.",
            "No fue tu culpa... ¿o sí?",
            "Puedes saltarte esto.",
        ),
        (
            Lang::Ar,
            "يجب أن تكتب كل التفاصيل.",
            "لماذا لم تغادر قبل ذلك؟",
            "يمكنك تخطي هذا.",
        ),
        (
            Lang::Vi,
            "Bạn phải ghi lại mọi chi tiết.",
            "Tại sao bạn không rời đi sớm hơn?",
            "Bạn có thể bỏ qua phần này.",
        ),
        (
            Lang::ZhHans,
            "你必须写下每一个细节。",
            "你为什么不早点离开？",
            "你可以跳过这一步。",
        ),
    ];
    for (lang, push, blame, fine) in cases {
        assert!(!found(lang, push).is_empty(), "{lang:?}: {push}");
        assert!(!found(lang, blame).is_empty(), "{lang:?}: {blame}");
        assert!(found(lang, fine).is_empty(), "{lang:?}: {fine}");
    }
}

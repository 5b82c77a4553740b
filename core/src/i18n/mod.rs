//! The core's languages: every user-visible word the core owns comes from message files
//! (Project Fluent, `core/locales/<lang>/<area>.ftl`, compiled in with `include_str!`).
//!
//! A [`Messages`] speaks one [`Lang`] and falls back to English for a message the language
//! lacks (a test fails when that happens in a shipped language, so the fallback is a safety
//! net, not a plan). Lookups go through [`Messages::tr`] and [`Messages::tr_args`] with a
//! literal id, or through [`mid!`] for ids kept in tables, so a test can find every id the
//! code uses and check it exists in English (see `core/locales/README.md`).
//!
//! The phone passes its language tag (`es-MX`, `es_MX`, `zh-Hans-CN`, `ar-EG`...);
//! [`Lang::from_tag`] picks the closest language the core ships, else English.
//!
//! Which languages still need a native speaker's review is said in ONE place: the
//! [`LANGUAGES`] table below (docs/ARCHITECTURE.md points here).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

#[cfg(test)]
pub(crate) mod tests;
#[cfg(test)]
mod wording_tests;

/// A message id kept in a table (not passed straight to [`Messages::tr`]): expands to the
/// literal, and marks it for the test that checks every id the code uses exists in English.
macro_rules! mid {
    ($id:literal) => {
        $id
    };
}
pub(crate) use mid;

/// A language the core ships.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Lang {
    /// English (the source language and the fallback).
    En,
    /// Spanish.
    Es,
    /// Arabic (right to left).
    Ar,
    /// Vietnamese.
    Vi,
    /// Chinese, simplified script.
    ZhHans,
}

/// Which way text runs. The shells lay the screen out by it (mirroring for right to left).
/// Exported as `ScreenDirection`: Compose already has a `TextDirection`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[cfg_attr(feature = "uniffi", uniffi(name = "ScreenDirection"))]
pub enum TextDirection {
    /// Left to right.
    Ltr,
    /// Right to left (Arabic).
    Rtl,
}

/// Whether a language's messages have been checked by a native speaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    /// Written or checked by a fluent speaker; ship as is.
    Complete,
    /// Written by the team; a native speaker must review it before a release relies on it.
    NeedsNativeReview,
}

/// One shipped language: its tag, folder under `core/locales/`, direction and review state.
#[derive(Debug, Clone, Copy)]
pub struct LanguageInfo {
    /// Which.
    pub lang: Lang,
    /// BCP 47 tag, also the folder name under `core/locales/`.
    pub tag: &'static str,
    /// Text direction.
    pub direction: TextDirection,
    /// Review state. THE one place that says which languages need a native speaker.
    pub review: Review,
}

/// Every language the core ships, English first.
pub const LANGUAGES: &[LanguageInfo] = &[
    LanguageInfo {
        lang: Lang::En,
        tag: "en",
        direction: TextDirection::Ltr,
        review: Review::Complete,
    },
    LanguageInfo {
        lang: Lang::Es,
        tag: "es",
        direction: TextDirection::Ltr,
        review: Review::Complete,
    },
    LanguageInfo {
        lang: Lang::Ar,
        tag: "ar",
        direction: TextDirection::Rtl,
        review: Review::NeedsNativeReview,
    },
    LanguageInfo {
        lang: Lang::Vi,
        tag: "vi",
        direction: TextDirection::Ltr,
        review: Review::NeedsNativeReview,
    },
    LanguageInfo {
        lang: Lang::ZhHans,
        tag: "zh-Hans",
        direction: TextDirection::Ltr,
        review: Review::NeedsNativeReview,
    },
];

/// The message files, one per area, in every shipped language (same order as
/// [`LANGUAGES`]). To add an area: add its name on its own line here and create
/// `core/locales/<tag>/<area>.ftl` for every language.
macro_rules! areas {
    ($($area:literal),* $(,)?) => {
        &[$(
            ($area, [
                include_str!(concat!("../../locales/en/", $area, ".ftl")),
                include_str!(concat!("../../locales/es/", $area, ".ftl")),
                include_str!(concat!("../../locales/ar/", $area, ".ftl")),
                include_str!(concat!("../../locales/vi/", $area, ".ftl")),
                include_str!(concat!("../../locales/zh-Hans/", $area, ".ftl")),
            ]),
        )*]
    };
}

/// `(area, [text per language in LANGUAGES order])`.
pub(crate) const FILES: &[(&str, [&str; 5])] = areas![
    "common",
    "onboarding",
    "decoy",
    "screens",
    "journal",
    "appointments",
    "directory",
    "safety",
    "errors",
    "dates",
    "reminders",
    "documents",
    "safety_plan",
    "terminal",
    "guides",
];

impl Lang {
    /// The closest shipped language for a phone's language tag: `es-MX` and `es_419` give
    /// Spanish, `ar-EG` Arabic, `vi-VN` Vietnamese, every `zh` tag (`zh-CN`, `zh-Hans-CN`,
    /// also `zh-TW`: a reader of the traditional script reads simplified far more easily
    /// than English) simplified Chinese; anything else, or an unreadable tag, English.
    pub fn from_tag(tag: &str) -> Lang {
        // Android's `Locale.toString()` gives `es_MX`; BCP 47 wants `es-MX`.
        let tag = tag.trim().replace('_', "-");
        let language = match tag.parse::<LanguageIdentifier>() {
            Ok(id) => id.language.as_str().to_ascii_lowercase(),
            Err(_) => tag
                .split('-')
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase(),
        };
        match language.as_str() {
            "es" => Lang::Es,
            "ar" => Lang::Ar,
            "vi" => Lang::Vi,
            "zh" => Lang::ZhHans,
            _ => Lang::En,
        }
    }

    /// This language's entry in [`LANGUAGES`].
    pub fn info(self) -> &'static LanguageInfo {
        LANGUAGES
            .iter()
            .find(|l| l.lang == self)
            .unwrap_or(&LANGUAGES[0])
    }

    /// BCP 47 tag (`en`, `es`, `ar`, `vi`, `zh-Hans`).
    pub fn tag(self) -> &'static str {
        self.info().tag
    }

    /// Text direction.
    pub fn direction(self) -> TextDirection {
        self.info().direction
    }

    fn index(self) -> usize {
        LANGUAGES.iter().position(|l| l.lang == self).unwrap_or(0)
    }
}

type Bundle = FluentBundle<FluentResource>;

/// The parsed bundle of one language (parsed once per process).
fn bundle(lang: Lang) -> Arc<Bundle> {
    static BUNDLES: OnceLock<HashMap<Lang, Arc<Bundle>>> = OnceLock::new();
    let all = BUNDLES.get_or_init(|| {
        LANGUAGES
            .iter()
            .map(|l| (l.lang, Arc::new(build_bundle(l.lang, false))))
            .collect()
    });
    match all.get(&lang) {
        Some(b) => b.clone(),
        // Every Lang is in LANGUAGES; this arm is never taken.
        None => Arc::new(build_bundle(lang, false)),
    }
}

/// Builds the bundle of `lang` from its files. A file that does not parse keeps the
/// messages that did (the parse test fails on any error, so this never ships).
fn build_bundle(lang: Lang, pseudo: bool) -> Bundle {
    let langid: LanguageIdentifier = lang.tag().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Fluent wraps every placeable ({ $count }, { $date }) in Unicode isolation marks
    // (FSI ... PDI) by default. They matter in right-to-left text: without them a
    // left-to-right placeable such as "2026-03-01 14:30", "+1 888-373-7888" or a Latin
    // name inside an Arabic sentence lets the bidi algorithm reorder the punctuation
    // around it and the sentence reads scrambled. In left-to-right languages our
    // placeables are numbers, dates and our own words, which need no isolation, and the
    // invisible marks would only reach a terminal (`waypoint app`) as stray characters
    // and break copying and comparing. So: isolation on for right-to-left languages only.
    bundle.set_use_isolating(lang.direction() == TextDirection::Rtl && !pseudo);
    for (_, texts) in FILES {
        let text = texts[lang.index()];
        let resource = match FluentResource::try_new(text.to_owned()) {
            Ok(r) => r,
            Err((r, _)) => r,
        };
        // A duplicate id keeps the first (the parse test rejects duplicates).
        let _ = bundle.add_resource(resource);
    }
    bundle
}

/// An argument of a message: a number (plurals select on it) or a text.
#[derive(Debug, Clone)]
pub enum Arg<'a> {
    /// A whole number (`{ $count }`; plural categories select on it).
    Int(i64),
    /// Text (a formatted date, a name, a number as already formatted).
    Text(std::borrow::Cow<'a, str>),
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Int(n)
    }
}

impl From<u32> for Arg<'_> {
    fn from(n: u32) -> Self {
        Arg::Int(i64::from(n))
    }
}

impl From<usize> for Arg<'_> {
    fn from(n: usize) -> Self {
        Arg::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<u64> for Arg<'_> {
    fn from(n: u64) -> Self {
        Arg::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Text(std::borrow::Cow::Borrowed(s))
    }
}

impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::Text(std::borrow::Cow::Owned(s))
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Text(std::borrow::Cow::Borrowed(s.as_str()))
    }
}

/// The messages of one language, with English behind it.
#[derive(Clone)]
pub struct Messages {
    lang: Lang,
    primary: Arc<Bundle>,
    english: Arc<Bundle>,
    /// Tests only: every message wrapped in markers, to prove where on-screen text came from.
    #[cfg(test)]
    pseudo: bool,
}

impl std::fmt::Debug for Messages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Messages({})", self.lang.tag())
    }
}

/// Opening marker of a message in the test pseudo-language.
#[cfg(test)]
pub(crate) const PSEUDO_OPEN: char = '⟦';
/// Closing marker of a message in the test pseudo-language.
#[cfg(test)]
pub(crate) const PSEUDO_CLOSE: char = '⟧';

impl Messages {
    /// The messages of `lang`.
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            primary: bundle(lang),
            english: bundle(Lang::En),
            #[cfg(test)]
            pseudo: false,
        }
    }

    /// The messages for a phone's language tag (see [`Lang::from_tag`]).
    pub fn for_tag(tag: &str) -> Self {
        #[cfg(test)]
        if tag == tests::PSEUDO_TAG {
            return Self::pseudo();
        }
        Self::new(Lang::from_tag(tag))
    }

    /// Tests only: English with every message wrapped in `⟦ ⟧`, so a walk through the
    /// screens can tell words from the message files from literals in the code.
    #[cfg(test)]
    pub(crate) fn pseudo() -> Self {
        let english = Arc::new(build_bundle(Lang::En, true));
        Self {
            lang: Lang::En,
            primary: english.clone(),
            english,
            pseudo: true,
        }
    }

    /// The language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The text direction.
    pub fn direction(&self) -> TextDirection {
        self.lang.direction()
    }

    /// The message `id` with no arguments.
    pub fn tr(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with arguments (`&[("count", n.into())]`).
    pub fn tr_args(&self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        let mut fluent = FluentArgs::new();
        for (name, value) in args {
            match value {
                Arg::Int(n) => fluent.set(*name, FluentValue::from(*n)),
                Arg::Text(s) => fluent.set(*name, FluentValue::from(s.to_string())),
            }
        }
        self.format(id, Some(&fluent))
    }

    /// Whether `id` exists in this language itself (no fallback).
    pub fn has(&self, id: &str) -> bool {
        self.primary.has_message(id)
    }

    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        let bundle = if self.primary.has_message(id) {
            &self.primary
        } else {
            &self.english
        };
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            // Not in English either: a programming error the id test catches. Show the id
            // (never personal) rather than panic or show nothing.
            tracing::warn!(id, "missing message");
            return id.to_owned();
        };
        let mut errors = Vec::new();
        let text = bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned();
        if !errors.is_empty() {
            // An argument the caller did not pass: the text still shows, with `{$name}`.
            tracing::warn!(id, "message formatted with errors");
        }
        #[cfg(test)]
        if self.pseudo {
            return format!("{PSEUDO_OPEN}{text}{PSEUDO_CLOSE}");
        }
        text
    }
}

impl Default for Messages {
    fn default() -> Self {
        Self::new(Lang::En)
    }
}

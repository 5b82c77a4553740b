//! Know-your-rights guides of the application: the packaged guides, then those the
//! directory's publishers signed (held by the sync engine, ids `pub-…`, never replacing a
//! packaged one), in the survivor's language, each with where it comes from, its sources,
//! the day it was last reviewed, and the kinds of help from the offline directory it links
//! to. An expired published set is still shown, with the day it was due for renewal.
//! Reading a guide stores nothing and works locked.

use super::safety_plan::{SuggestedHelp, RESOURCES_PER_KIND};
use super::Core;
use crate::directory::Query;
use crate::error::Result;
use crate::guides::{self, published, GuideInfo, ParsedGuide};
use crate::i18n::{Arg, Messages, Review, TextDirection};
use crate::safety_plan::category_label_id;

/// Message ids of the guides' interface words.
pub mod ids {
    /// The list's title.
    pub const TITLE: &str = crate::i18n::mid!("guides-title");
    /// The words above the list.
    pub const INTRO: &str = crate::i18n::mid!("guides-intro");
    /// Shown with every guide: information, not legal advice.
    pub const NOT_ADVICE: &str = crate::i18n::mid!("guide-not-advice");
    /// Shown with a guide whose language still needs a native speaker's review.
    pub const NEEDS_REVIEW: &str = crate::i18n::mid!("guide-needs-review");
    /// "Last reviewed: { $date }".
    pub const LAST_REVIEWED: &str = crate::i18n::mid!("guide-last-reviewed");
    /// Above the sources.
    pub const SOURCES: &str = crate::i18n::mid!("guide-sources");
    /// Above the linked kinds of help.
    pub const HELP: &str = crate::i18n::mid!("guide-help");
    /// Where a packaged guide comes from.
    pub const ORIGIN_PACKAGED: &str = crate::i18n::mid!("guide-origin-packaged");
    /// Where a published guide comes from (`{ $version }`).
    pub const ORIGIN_PUBLISHED: &str = crate::i18n::mid!("guide-origin-published");
    /// The list's short mark of a packaged guide ("Comes with the app").
    pub const MARK_PACKAGED: &str = crate::i18n::mid!("guide-mark-packaged");
    /// The list's short mark of a published guide ("Published").
    pub const MARK_PUBLISHED: &str = crate::i18n::mid!("guide-mark-published");
    /// Said with a published guide whose set expired (`{ $date }`).
    pub const EXPIRED: &str = crate::i18n::mid!("guide-expired");
}

/// Where a guide comes from.
pub mod origin {
    /// Compiled into the app.
    pub const PACKAGED: &str = "packaged";
    /// Signed by the directory's publishers and delivered by sync.
    pub const PUBLISHED: &str = "published";
}

/// A guide in a list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GuideSummary {
    /// Stable id (`rights`, `t-visa`, `hotline`, `phone-safety`; published guides `pub-…`).
    pub id: String,
    /// Title.
    pub title: String,
    /// One or two sentences.
    pub summary: String,
    /// `packaged` or `published` ([`origin`]).
    pub origin: String,
    /// The day it was last reviewed (`YYYY-MM-DD`).
    pub last_reviewed: String,
    /// Where it comes from, as a short mark for the list ("Comes with the app",
    /// "Published"), in the list's language.
    pub origin_text: String,
    /// The review day in words ("Last reviewed: 2026-11-30"), in the list's language.
    pub last_reviewed_text: String,
}

/// The list of guides, in the survivor's language.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GuideList {
    /// The language of the guides (`en`, `es`, `ar`, `vi`, `zh-Hans`).
    pub language: String,
    /// Text direction of the language.
    #[serde(skip)]
    pub direction: TextDirection,
    /// Title of the list.
    pub title: String,
    /// The words above the list.
    pub intro: String,
    /// Every guide, in order.
    pub guides: Vec<GuideSummary>,
}

/// A public source of a guide.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GuideSource {
    /// Who publishes it.
    pub name: String,
    /// Web address.
    pub url: String,
}

/// One section of a guide.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GuideSectionText {
    /// Heading.
    pub heading: String,
    /// Text: paragraphs separated by a blank line; lines starting with "- " are a list.
    pub body: String,
    /// Directory categories (wire names) this section links to.
    pub categories: Vec<String>,
}

/// A whole guide, in the survivor's language.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct GuideText {
    /// Stable id.
    pub id: String,
    /// The language of the text.
    pub language: String,
    /// Text direction of the language.
    #[serde(skip)]
    pub direction: TextDirection,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Sections, in order.
    pub sections: Vec<GuideSectionText>,
    /// "This is information, not legal advice..." (always shown).
    pub not_advice: String,
    /// Said when this language's text still needs a native speaker's review.
    pub review_note: Option<String>,
    /// The day the content was last checked against its sources (`YYYY-MM-DD`).
    pub last_reviewed: String,
    /// The same, in words ("Last reviewed: 2026-11-30").
    pub last_reviewed_text: String,
    /// Heading above the sources.
    pub sources_heading: String,
    /// Public sources.
    pub sources: Vec<GuideSource>,
    /// Heading above the kinds of help.
    pub help_heading: String,
    /// Kinds of help the guide links to, each with up to three directory resources.
    pub help: Vec<SuggestedHelp>,
    /// `packaged` or `published` ([`origin`]).
    pub origin: String,
    /// Where it comes from, in words ("Comes with the app." / "Published by ...").
    pub origin_text: String,
    /// For a published guide whose set expired: said with it (it is still shown).
    pub expired_note: Option<String>,
}

impl Core {
    /// Every packaged guide, in the language of `language_tag` (`es-MX`, `ar`, ...).
    pub fn guides_list(&self, language_tag: &str) -> Result<GuideList> {
        self.guides_list_in(&Messages::for_tag(language_tag))
    }

    /// Every packaged guide, in the language of `m` (the screens pass their own messages).
    pub fn guides_list_in(&self, m: &Messages) -> Result<GuideList> {
        let lang = m.lang();
        let guides = guides::GUIDES
            .iter()
            .map(|info| {
                let g = guides::load(info, lang)?;
                Ok(GuideSummary {
                    id: info.id.to_owned(),
                    title: g.title,
                    summary: g.summary,
                    origin: origin::PACKAGED.to_owned(),
                    last_reviewed: info.last_reviewed.to_owned(),
                    origin_text: m.tr(ids::MARK_PACKAGED),
                    last_reviewed_text: m.tr_args(
                        ids::LAST_REVIEWED,
                        &[("date", Arg::from(info.last_reviewed))],
                    ),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut guides = guides;
        if let Some(set) = self.held_published_guides()? {
            for g in set.guides() {
                let Some((_, parsed)) = pick_language(g, lang.tag()) else {
                    continue;
                };
                guides.push(GuideSummary {
                    id: g.id().to_owned(),
                    title: parsed.title.clone(),
                    summary: parsed.summary.clone(),
                    origin: origin::PUBLISHED.to_owned(),
                    last_reviewed: g.last_reviewed().to_owned(),
                    origin_text: m.tr(ids::MARK_PUBLISHED),
                    last_reviewed_text: m.tr_args(
                        ids::LAST_REVIEWED,
                        &[("date", Arg::from(g.last_reviewed()))],
                    ),
                });
            }
        }
        Ok(GuideList {
            language: lang.tag().to_owned(),
            direction: m.direction(),
            title: m.tr(ids::TITLE),
            intro: m.tr(ids::INTRO),
            guides,
        })
    }

    /// One guide (by id) in the language of `language_tag`, with the kinds of help it
    /// links to and matching resources from the offline directory. Stores nothing.
    pub fn guide_show(&self, id: &str, language_tag: &str) -> Result<GuideText> {
        self.guide_show_in(id, &Messages::for_tag(language_tag))
    }

    /// One guide in the language of `m`.
    pub fn guide_show_in(&self, id: &str, m: &Messages) -> Result<GuideText> {
        let wanted = id.trim().to_ascii_lowercase();
        if wanted.starts_with(waypoint_format::guides::PUBLISHED_ID_PREFIX) {
            return self.published_guide_show(&wanted, m);
        }
        let info = guides::find(id)?;
        let lang = m.lang();
        let parsed = guides::load(info, lang)?;
        let help = self.guide_help(&parsed, m)?;
        Ok(guide_text(info, parsed, m, help))
    }

    /// The held published guides, re-verified under the trusted keyset chain.
    fn held_published_guides(&self) -> Result<Option<waypoint_format::guides::VerifiedGuides>> {
        let now_s = self.now_ms().div_euclid(1000);
        let (keysets, _) = crate::directory::trusted_keysets(
            &self.store,
            &crate::directory::Trust::pinned(),
            now_s,
        )?;
        Ok(published::held(&self.store, &keysets)?.set)
    }

    fn published_guide_show(&self, id: &str, m: &Messages) -> Result<GuideText> {
        let no_such = || crate::error::Error::invalid("guide", "no guide has this id");
        let set = self.held_published_guides()?.ok_or_else(no_such)?;
        let g = set
            .guides()
            .iter()
            .find(|g| g.id() == id)
            .ok_or_else(no_such)?;
        let (tag, parsed) = pick_language(g, m.lang().tag())
            .ok_or(crate::error::Error::Corrupt("published guide"))?;
        let help = self.guide_help(parsed, m)?;
        let needs_review = g.review(tag) != Some(waypoint_format::guides::ReviewState::Complete)
            || tag != m.lang().tag();
        let expired = set.is_expired(self.now_ms().div_euclid(1000));
        Ok(GuideText {
            id: g.id().to_owned(),
            language: tag.to_owned(),
            direction: m.direction(),
            title: parsed.title.clone(),
            summary: parsed.summary.clone(),
            sections: parsed
                .sections
                .iter()
                .map(|s| GuideSectionText {
                    heading: s.heading.clone(),
                    body: s.body.clone(),
                    categories: s.categories.iter().map(|c| c.as_str().to_owned()).collect(),
                })
                .collect(),
            not_advice: m.tr(ids::NOT_ADVICE),
            review_note: needs_review.then(|| m.tr(ids::NEEDS_REVIEW)),
            last_reviewed: g.last_reviewed().to_owned(),
            last_reviewed_text: m.tr_args(
                ids::LAST_REVIEWED,
                &[("date", Arg::from(g.last_reviewed()))],
            ),
            sources_heading: m.tr(ids::SOURCES),
            sources: g
                .sources()
                .iter()
                .map(|s| GuideSource {
                    name: s.name.clone(),
                    url: s.url.clone(),
                })
                .collect(),
            help_heading: m.tr(ids::HELP),
            help,
            origin: origin::PUBLISHED.to_owned(),
            origin_text: m.tr_args(
                ids::ORIGIN_PUBLISHED,
                &[("version", Arg::from(set.version().to_string().as_str()))],
            ),
            expired_note: expired.then(|| {
                m.tr_args(
                    ids::EXPIRED,
                    &[("date", Arg::from(day(set.expires()).as_str()))],
                )
            }),
        })
    }

    fn guide_help(&self, parsed: &ParsedGuide, m: &Messages) -> Result<Vec<SuggestedHelp>> {
        let mut help = Vec::new();
        for c in parsed.categories() {
            let found = self.directory_search(&Query {
                categories: vec![c],
                user_language: m.lang().tag().to_owned(),
                limit: RESOURCES_PER_KIND,
                ..Query::default()
            })?;
            help.push(SuggestedHelp {
                category: c.as_str().to_owned(),
                label: m.tr(category_label_id(c)),
                resource_ids: found.iter().map(|r| r.id.clone()).collect(),
                resource_names: found.iter().map(|r| r.name.clone()).collect(),
            });
        }
        Ok(help)
    }
}

fn guide_text(
    info: &GuideInfo,
    parsed: ParsedGuide,
    m: &Messages,
    help: Vec<SuggestedHelp>,
) -> GuideText {
    let lang = m.lang();
    GuideText {
        id: info.id.to_owned(),
        language: lang.tag().to_owned(),
        direction: m.direction(),
        title: parsed.title,
        summary: parsed.summary,
        sections: parsed
            .sections
            .into_iter()
            .map(|s| GuideSectionText {
                heading: s.heading,
                body: s.body,
                categories: s.categories.iter().map(|c| c.as_str().to_owned()).collect(),
            })
            .collect(),
        not_advice: m.tr(ids::NOT_ADVICE),
        review_note: (lang.info().review == Review::NeedsNativeReview)
            .then(|| m.tr(ids::NEEDS_REVIEW)),
        last_reviewed: info.last_reviewed.to_owned(),
        last_reviewed_text: m.tr_args(
            ids::LAST_REVIEWED,
            &[("date", Arg::from(info.last_reviewed))],
        ),
        sources_heading: m.tr(ids::SOURCES),
        sources: info
            .sources
            .iter()
            .map(|s| GuideSource {
                name: s.name.to_owned(),
                url: s.url.to_owned(),
            })
            .collect(),
        help_heading: m.tr(ids::HELP),
        help,
        origin: origin::PACKAGED.to_owned(),
        origin_text: m.tr(ids::ORIGIN_PACKAGED),
        expired_note: None,
    }
}

/// A published guide's text in the language `tag` asks for: that tag, else its primary
/// language (`es` for `es-MX`), else English, else the first it has.
fn pick_language<'a>(
    g: &'a waypoint_format::guides::VerifiedGuide,
    tag: &str,
) -> Option<(&'a str, &'a ParsedGuide)> {
    let primary = tag.split('-').next().unwrap_or(tag);
    let chosen = g
        .languages()
        .find(|l| *l == tag)
        .or_else(|| g.languages().find(|l| *l == primary))
        .or_else(|| g.languages().find(|l| *l == "en"))
        .or_else(|| g.languages().next())?;
    // A checked guide has at least one language, each parsed; None only if that broke.
    g.parsed(chosen).map(|p| (chosen, p))
}

/// `YYYY-MM-DD` (UTC) of a Unix time.
fn day(unix_s: i64) -> String {
    chrono::DateTime::from_timestamp(unix_s, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

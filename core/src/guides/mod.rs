//! Know-your-rights guides: short, plain-language texts packaged in the core.
//!
//! # What ships
//! Four guides ([`GUIDES`]): rights regardless of immigration status, what a T visa is
//! (and that other countries have their own), what happens when you call a hotline, and
//! staying safe with a phone. Each is written in every language the core ships
//! ([`crate::i18n::LANGUAGES`]); the review state of a language (whether a native speaker
//! still has to check it) is said in that one table, not here.
//!
//! # Why files and not Fluent messages
//! Fluent messages are the app's interface words: short, with arguments and plurals. A
//! guide is a few hundred words of prose in sections, reviewed as a whole by an advocate
//! or translator, so each is one plain file per language,
//! `core/guides/<lang>/<id>.md`, compiled in with `include_str!`. Compiled in means a
//! guide is exactly as trustworthy as the app binary: nobody can change it on the phone
//! without changing the app (docs/THREAT_MODEL.md). More guides come from the directory's
//! publishers, signed and verified like the directory ([`published`], docs/PROTOCOL.md
//! §18); their ids start with `pub-`, so a published guide never replaces a packaged one.
//!
//! # The file form (a small, strict subset of Markdown)
//! ```text
//! # Title
//!
//! A short summary (one or more lines).
//!
//! ## Section heading
//! Paragraphs, separated by a blank line. Lines starting with "- " are a list.
//!
//! -> legal_aid immigration
//! ```
//! A `-> ` line names the directory categories (wire names) a section links to, so the
//! app can suggest resources; it is language-neutral and must be the same, section by
//! section, in every language (a test checks). Everything language-neutral about a guide
//! (its id, sources, the date it was last reviewed) lives in [`GUIDES`], once.
//!
//! Guides are information, not legal advice; every guide screen says so in the app's
//! language (message `guide-not-advice`).

pub mod published;
#[cfg(test)]
mod tests;

use crate::error::{Error, Result};
use crate::i18n::{Lang, LANGUAGES};

/// A public source a guide relies on: an organisation and the address of its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source {
    /// Who publishes it (proper name; not translated).
    pub name: &'static str,
    /// Its web address (an organisation's home page when the exact page may move).
    pub url: &'static str,
}

/// One packaged guide: what is language-neutral about it, and its text per language.
#[derive(Debug, Clone, Copy)]
pub struct GuideInfo {
    /// Stable id (CLI, screens, links): lower-case with dashes.
    pub id: &'static str,
    /// Public sources it relies on.
    pub sources: &'static [Source],
    /// The day its content was last checked against its sources (`YYYY-MM-DD`).
    pub last_reviewed: &'static str,
    /// Its text in every shipped language, in [`LANGUAGES`] order.
    texts: [&'static str; 5],
}

impl GuideInfo {
    /// The raw text in `lang`.
    pub fn text(&self, lang: Lang) -> &'static str {
        let index = LANGUAGES.iter().position(|l| l.lang == lang).unwrap_or(0);
        self.texts[index]
    }
}

macro_rules! texts {
    ($id:literal) => {
        [
            include_str!(concat!("../../guides/en/", $id, ".md")),
            include_str!(concat!("../../guides/es/", $id, ".md")),
            include_str!(concat!("../../guides/ar/", $id, ".md")),
            include_str!(concat!("../../guides/vi/", $id, ".md")),
            include_str!(concat!("../../guides/zh-Hans/", $id, ".md")),
        ]
    };
}

const HOTLINE_US: Source = Source {
    name: "National Human Trafficking Hotline (United States)",
    url: "https://humantraffickinghotline.org",
};
const POLARIS: Source = Source {
    name: "Polaris Project",
    url: "https://polarisproject.org",
};
const USCIS: Source = Source {
    name: "U.S. Citizenship and Immigration Services (USCIS), Department of Homeland Security: \"Victims of Human Trafficking: T Nonimmigrant Status\"",
    url: "https://www.uscis.gov",
};
const DOL: Source = Source {
    name: "U.S. Department of Labor, Wage and Hour Division",
    url: "https://www.dol.gov",
};
const ILO: Source = Source {
    name: "International Labour Organization: forced labour",
    url: "https://www.ilo.org",
};
const UNODC: Source = Source {
    name: "United Nations Office on Drugs and Crime (UNODC): human trafficking",
    url: "https://www.unodc.org",
};
const SAFETY_NET: Source = Source {
    name:
        "Safety Net project, National Network to End Domestic Violence (NNEDV): Technology Safety",
    url: "https://www.techsafety.org",
};
const NNEDV: Source = Source {
    name: "National Network to End Domestic Violence (NNEDV)",
    url: "https://nnedv.org",
};
const DV_HOTLINE_US: Source = Source {
    name: "National Domestic Violence Hotline (United States)",
    url: "https://www.thehotline.org",
};
const MODERN_SLAVERY_UK: Source = Source {
    name: "Modern Slavery & Exploitation Helpline (United Kingdom)",
    url: "https://www.modernslaveryhelpline.org",
};

/// Every packaged guide, in the order the list shows them.
pub const GUIDES: &[GuideInfo] = &[
    GuideInfo {
        id: "rights",
        sources: &[DOL, ILO, HOTLINE_US, UNODC],
        last_reviewed: "2026-11-30",
        texts: texts!("rights"),
    },
    GuideInfo {
        id: "t-visa",
        sources: &[USCIS, HOTLINE_US, UNODC, MODERN_SLAVERY_UK],
        last_reviewed: "2026-11-30",
        texts: texts!("t-visa"),
    },
    GuideInfo {
        id: "hotline",
        sources: &[HOTLINE_US, POLARIS, DV_HOTLINE_US, MODERN_SLAVERY_UK],
        last_reviewed: "2026-11-30",
        texts: texts!("hotline"),
    },
    GuideInfo {
        id: "phone-safety",
        sources: &[SAFETY_NET, NNEDV, DV_HOTLINE_US],
        last_reviewed: "2026-11-30",
        texts: texts!("phone-safety"),
    },
];

/// A guide's entry in [`GUIDES`], by id (case-insensitive; an unknown id is a one-line
/// error that does not echo the input).
pub fn find(id: &str) -> Result<&'static GuideInfo> {
    let id = id.trim().to_ascii_lowercase();
    GUIDES
        .iter()
        .find(|g| g.id == id)
        .ok_or_else(|| Error::invalid("guide", "no guide has this id"))
}

pub use waypoint_format::guides::{ParsedGuide, ParsedSection};

/// Parses a guide file (the form in the module docs; the same parser checks guides the
/// publishers sign, `waypoint_format::guides::parse_guide_text`). Errors name the rule
/// broken, never the text.
pub fn parse(text: &str) -> Result<ParsedGuide> {
    waypoint_format::guides::parse_guide_text(text)
        .map_err(|reason| Error::invalid("guide text", reason))
}

/// A packaged guide, parsed, in `lang`.
pub fn load(info: &GuideInfo, lang: Lang) -> Result<ParsedGuide> {
    parse(info.text(lang)).map_err(|_| Error::Corrupt("packaged guide"))
}

//! Know-your-rights guides published by the directory's publishers (`waypoint.guides`).
//!
//! Guides travel beside the directory, never inside it: the bundle and record types refuse
//! unknown fields, so a guide riding in a bundle would make every older client refuse the
//! whole directory update. Instead they have their own payload type, signed by a threshold
//! of the **same keyset** and counted by the same code ([`Keyset::verify_envelope`]), with
//! their own domain in the signing input (`"waypoint/1\nwaypoint.guides\n" || payload`), so
//! no bundle, delta, manifest, keyset or freshness signature passes as a guides signature.
//! They have their own version line and rollback floor (a lower **or equal** version is
//! `Rollback`), and their own small manifest (`waypoint.guides-manifest`) that names the
//! guides file's `{to, sha256, size}`, checked before the file is parsed.
//!
//! A guide's text per language is the same strict Markdown subset the packaged guides use
//! (`# title`, a summary, `## section`, paragraphs, `-> category …` link lines; see
//! [`parse_guide_text`]); every language of a guide must have the same sections linking the
//! same categories. Every failure rejects the whole payload (`Malformed`, after the
//! signatures, rollback and time checks), so the client keeps the set it held.
//!
//! The payload (docs/PROTOCOL.md §18):
//!
//! ```json
//! {"format":1,"version":3,"created":1763900000,"expires":1795436000,
//!  "guides":[{"id":"pub-wage-theft","last_reviewed":"2026-11-30",
//!             "sources":[{"name":"Example Legal Aid","url":"https://example.org"}],
//!             "texts":{"en":"# Title\n\nSummary.\n\n## Section\nText.\n\n-> legal_aid\n"},
//!             "review":{"en":"complete"}}]}
//! ```

use std::collections::BTreeMap;

use serde::de::{Deserializer, Error as _, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::bundle::{check_times, sha256_hex, Policy};
use crate::envelope::{Envelope, PayloadType};
use crate::error::{FormatError, Result};
use crate::keyset::Keyset;
use crate::record::{is_calendar_date, is_https_url, Category};
use crate::FORMAT_VERSION;

/// Largest guides envelope accepted (checked before parsing).
pub const MAX_GUIDES_BYTES: usize = 4 * 1024 * 1024;
/// Largest guides manifest envelope accepted.
pub const MAX_GUIDES_MANIFEST_BYTES: usize = 4 * 1024;
/// Most guides one payload may hold.
pub const MAX_GUIDES: usize = 64;
/// Largest text of one guide in one language, in bytes.
pub const MAX_GUIDE_TEXT_BYTES: usize = 32 * 1024;
/// Most sections a guide may have.
pub const MAX_GUIDE_SECTIONS: usize = 16;
/// Most languages a guide may be written in.
pub const MAX_GUIDE_LANGUAGES: usize = 16;
/// Most sources a guide may name.
pub const MAX_GUIDE_SOURCES: usize = 16;
/// Longest source name, in bytes.
pub const MAX_SOURCE_NAME_BYTES: usize = 300;
/// Longest guide id, in bytes (prefix included).
pub const MAX_GUIDE_ID_BYTES: usize = 64;
/// Every published guide id starts with this, so it can never replace a packaged guide.
pub const PUBLISHED_ID_PREFIX: &str = "pub-";

const K: &str = "guides";
const KM: &str = "guides manifest";

/// Review state of one language of a guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewState {
    /// Checked by a fluent reader.
    Complete,
    /// Still needs a native speaker's review (the app says so with the guide).
    NeedsNativeReview,
}

/// A public source a guide relies on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuideSource {
    /// Who publishes it.
    pub name: String,
    /// Its address (`https://` only).
    pub url: String,
}

/// One guide as written in the payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Guide {
    /// `pub-` followed by lower-case letters, digits and dashes.
    pub id: String,
    /// The day its content was last checked against its sources (`YYYY-MM-DD`).
    pub last_reviewed: String,
    /// Public sources (at least one).
    pub sources: Vec<GuideSource>,
    /// Text per BCP 47 language tag, in the strict Markdown subset of [`parse_guide_text`].
    #[serde(deserialize_with = "unique_map")]
    pub texts: BTreeMap<String, String>,
    /// Review state per language; exactly the languages of `texts`.
    #[serde(deserialize_with = "unique_map")]
    pub review: BTreeMap<String, ReviewState>,
}

/// The guides payload (what publishers sign).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuidesPayload {
    /// Wire format version ([`FORMAT_VERSION`]).
    pub format: u32,
    /// Version on the guides' own line (independent of the directory's).
    pub version: u64,
    /// When it was signed, Unix seconds.
    pub created: i64,
    /// Until when it is current, Unix seconds (after that it is kept and shown as such).
    pub expires: i64,
    /// The guides.
    pub guides: Vec<Guide>,
}

/// The guides file a guides manifest names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuidesEntry {
    /// Guides version the file holds (= the manifest's version).
    pub to: u64,
    /// Lowercase hex SHA-256 of the file's exact bytes (the signed envelope).
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
}

/// The guides manifest payload (`GET /v1/guides/manifest`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuidesManifest {
    /// Wire format version.
    pub format: u32,
    /// Current guides version.
    pub version: u64,
    /// When it was signed, Unix seconds.
    pub created: i64,
    /// Until when it may be trusted as current, Unix seconds.
    pub expires: i64,
    /// The guides file (`GET /v1/guides/{version}`).
    pub guides: GuidesEntry,
}

fn unique_map<'de, D, V>(d: D) -> std::result::Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct M<V>(std::marker::PhantomData<V>);
    impl<'de, V: Deserialize<'de>> Visitor<'de> for M<V> {
        type Value = BTreeMap<String, V>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a map from language tag")
        }
        fn visit_map<A: MapAccess<'de>>(
            self,
            mut map: A,
        ) -> std::result::Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some((k, v)) = map.next_entry::<String, V>()? {
                if out.insert(k, v).is_some() {
                    return Err(A::Error::custom("a language tag appears twice"));
                }
            }
            Ok(out)
        }
    }
    d.deserialize_map(M(std::marker::PhantomData))
}

// ---- the text form ----------------------------------------------------------------------

/// One section of a guide, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedSection {
    /// Its heading.
    pub heading: String,
    /// Its text: paragraphs separated by a blank line; lines starting with "- " are a list.
    pub body: String,
    /// Directory categories it links to.
    pub categories: Vec<Category>,
}

/// A guide's text in one language, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedGuide {
    /// Title.
    pub title: String,
    /// Short summary (for the list).
    pub summary: String,
    /// Sections, in order.
    pub sections: Vec<ParsedSection>,
}

impl ParsedGuide {
    /// Every category its sections link to, each once, in the order first linked.
    pub fn categories(&self) -> Vec<Category> {
        let mut out: Vec<Category> = Vec::new();
        for c in self.sections.iter().flat_map(|s| &s.categories) {
            if !out.contains(c) {
                out.push(*c);
            }
        }
        out
    }
}

fn join_paragraphs(lines: &[&str]) -> String {
    // Trim the block, keep single blank lines between paragraphs.
    let mut out = String::new();
    let mut blank = false;
    for line in lines {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank = !out.is_empty();
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank { "\n\n" } else { "\n" });
        }
        blank = false;
        out.push_str(line.trim_start());
    }
    out
}

/// Parses a guide text:
///
/// ```text
/// # Title
///
/// A short summary (one or more lines).
///
/// ## Section heading
/// Paragraphs, separated by a blank line. Lines starting with "- " are a list.
///
/// -> legal_aid immigration
/// ```
/// A `-> ` line names directory categories (wire names) the section links to. Errors name
/// the rule broken, never the text. No HTML, links or images exist in this form: anything
/// else is shown as plain text.
pub fn parse_guide_text(text: &str) -> std::result::Result<ParsedGuide, &'static str> {
    let mut lines = text.lines().skip_while(|l| l.trim().is_empty());
    let title = lines
        .next()
        .and_then(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .ok_or("the first line is not a \"# \" title")?;
    let mut summary: Vec<&str> = Vec::new();
    let mut sections: Vec<(String, Vec<&str>, Vec<Category>)> = Vec::new();
    for line in lines {
        if let Some(heading) = line.strip_prefix("## ") {
            let heading = heading.trim();
            if heading.is_empty() {
                return Err("a section heading is empty");
            }
            sections.push((heading.to_owned(), Vec::new(), Vec::new()));
        } else if line.starts_with('#') {
            return Err("only \"# \" (title) and \"## \" (section) headings are allowed");
        } else if let Some(links) = line.strip_prefix("-> ") {
            let Some((_, _, categories)) = sections.last_mut() else {
                return Err("a link line comes before the first section");
            };
            for name in links.split_whitespace() {
                let c = Category::parse(name).ok_or("a link names no category")?;
                if !categories.contains(&c) {
                    categories.push(c);
                }
            }
        } else if let Some((_, body, _)) = sections.last_mut() {
            body.push(line);
        } else {
            summary.push(line);
        }
    }
    let summary = join_paragraphs(&summary);
    if summary.is_empty() {
        return Err("the summary is empty");
    }
    if sections.is_empty() {
        return Err("there is no section");
    }
    let sections = sections
        .into_iter()
        .map(|(heading, body, categories)| {
            let body = join_paragraphs(&body);
            if body.is_empty() {
                return Err("a section has no text");
            }
            Ok(ParsedSection {
                heading,
                body,
                categories,
            })
        })
        .collect::<std::result::Result<Vec<_>, _>>()?;
    Ok(ParsedGuide {
        title,
        summary,
        sections,
    })
}

// ---- verified values --------------------------------------------------------------------

/// One guide of a verified payload: its wire form and its text parsed per language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedGuide {
    guide: Guide,
    parsed: BTreeMap<String, ParsedGuide>,
}

impl VerifiedGuide {
    /// Id (`pub-…`).
    pub fn id(&self) -> &str {
        &self.guide.id
    }

    /// `YYYY-MM-DD`.
    pub fn last_reviewed(&self) -> &str {
        &self.guide.last_reviewed
    }

    /// Sources.
    pub fn sources(&self) -> &[GuideSource] {
        &self.guide.sources
    }

    /// Languages it is written in, in byte order of their tags.
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.guide.texts.keys().map(String::as_str)
    }

    /// Its raw text in `lang`.
    pub fn text(&self, lang: &str) -> Option<&str> {
        self.guide.texts.get(lang).map(String::as_str)
    }

    /// Its parsed text in `lang`.
    pub fn parsed(&self, lang: &str) -> Option<&ParsedGuide> {
        self.parsed.get(lang)
    }

    /// Review state of `lang`.
    pub fn review(&self, lang: &str) -> Option<ReviewState> {
        self.guide.review.get(lang).copied()
    }

    /// The wire form.
    pub fn guide(&self) -> &Guide {
        &self.guide
    }
}

/// A guides payload that passed every check. Only [`verify_guides`] (signatures) and
/// [`check_guides_payload`] (content rules only, for the server and the publisher's tool)
/// make one; there is no public constructor and no `Deserialize`.
///
/// ```compile_fail
/// let forged = waypoint_format::guides::VerifiedGuides { version: 9, created: 0,
///     expires: 0, guides: vec![], signed: vec![], keyset_version: 1 };
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedGuides {
    version: u64,
    created: i64,
    expires: i64,
    guides: Vec<VerifiedGuide>,
    signed: Vec<u8>,
    keyset_version: u64,
}

impl VerifiedGuides {
    /// Guides version.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// When it was signed, Unix seconds.
    pub fn created(&self) -> i64 {
        self.created
    }

    /// Expiry, Unix seconds.
    pub fn expires(&self) -> i64 {
        self.expires
    }

    /// The guides, in payload order.
    pub fn guides(&self) -> &[VerifiedGuide] {
        &self.guides
    }

    /// The exact envelope bytes it was verified from (empty for [`check_guides_payload`]).
    pub fn signed_bytes(&self) -> &[u8] {
        &self.signed
    }

    /// Version of the keyset whose threshold signed it (0 for [`check_guides_payload`]).
    pub fn keyset_version(&self) -> u64 {
        self.keyset_version
    }

    /// True if expired at `now`.
    pub fn is_expired(&self, now: i64) -> bool {
        now > self.expires
    }
}

/// A guides manifest that [`verify_guides_manifest`] accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedGuidesManifest(GuidesManifest);

impl VerifiedGuidesManifest {
    /// Current guides version.
    pub fn version(&self) -> u64 {
        self.0.version
    }

    /// When it was signed.
    pub fn created(&self) -> i64 {
        self.0.created
    }

    /// Expiry.
    pub fn expires(&self) -> i64 {
        self.0.expires
    }

    /// The file it names.
    pub fn entry(&self) -> &GuidesEntry {
        &self.0.guides
    }

    /// Whether `file` is exactly the file named (size and SHA-256 of its bytes). Check this
    /// before parsing the file.
    pub fn names(&self, file: &[u8]) -> bool {
        file.len() as u64 == self.0.guides.size && sha256_hex(file) == self.0.guides.sha256
    }
}

// ---- checks -----------------------------------------------------------------------------

fn is_lower_hex_64(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn is_lang_tag(tag: &str) -> bool {
    !tag.is_empty()
        && tag.len() <= 35
        && tag
            .split('-')
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
        && tag.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
}

/// Control characters other than a line break could hide or rewrite text on a screen.
fn has_hidden_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && c != '\n')
}

fn check_guide(g: &Guide) -> Result<VerifiedGuide> {
    let bad = |reason: &str| FormatError::malformed(K, reason);
    let rest =
        g.id.strip_prefix(PUBLISHED_ID_PREFIX)
            .ok_or_else(|| bad("a guide id does not start with pub-"))?;
    if rest.is_empty()
        || g.id.len() > MAX_GUIDE_ID_BYTES
        || !rest
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(bad(
            "a guide id is not pub- and lower-case letters, digits, dashes",
        ));
    }
    if !is_calendar_date(&g.last_reviewed) {
        return Err(bad("last_reviewed is not a YYYY-MM-DD calendar date"));
    }
    if g.sources.is_empty() || g.sources.len() > MAX_GUIDE_SOURCES {
        return Err(bad("a guide must name 1-16 sources"));
    }
    for s in &g.sources {
        if s.name.trim().is_empty()
            || s.name.len() > MAX_SOURCE_NAME_BYTES
            || s.name.contains('\n')
            || has_hidden_control(&s.name)
        {
            return Err(bad(
                "a source name is empty, too long or holds control characters",
            ));
        }
        if !is_https_url(&s.url) {
            return Err(bad("a source url is not an https:// address"));
        }
    }
    if g.texts.is_empty() || g.texts.len() > MAX_GUIDE_LANGUAGES {
        return Err(bad("a guide must have text in 1-16 languages"));
    }
    if g.review.len() != g.texts.len() || !g.review.keys().eq(g.texts.keys()) {
        return Err(bad(
            "review states must name exactly the languages of the texts",
        ));
    }
    let mut parsed = BTreeMap::new();
    let mut shape: Option<Vec<Vec<Category>>> = None;
    for (lang, text) in &g.texts {
        if !is_lang_tag(lang) {
            return Err(bad("a text has an invalid language tag"));
        }
        if text.len() > MAX_GUIDE_TEXT_BYTES {
            return Err(bad("a guide text is larger than 32 KiB"));
        }
        if has_hidden_control(text) {
            return Err(bad("a guide text holds control characters"));
        }
        let p = parse_guide_text(text).map_err(bad)?;
        if p.sections.len() > MAX_GUIDE_SECTIONS {
            return Err(bad("a guide has more than 16 sections"));
        }
        let links: Vec<Vec<Category>> = p.sections.iter().map(|s| s.categories.clone()).collect();
        match &shape {
            None => shape = Some(links),
            Some(first) if *first != links => {
                return Err(bad(
                    "the languages of a guide differ in their sections or links",
                ))
            }
            Some(_) => {}
        }
        parsed.insert(lang.clone(), p);
    }
    Ok(VerifiedGuide {
        guide: g.clone(),
        parsed,
    })
}

fn check_content(p: &GuidesPayload) -> Result<Vec<VerifiedGuide>> {
    if p.guides.len() > MAX_GUIDES {
        return Err(FormatError::malformed(K, "more than 64 guides"));
    }
    let mut out: Vec<VerifiedGuide> = Vec::with_capacity(p.guides.len());
    for g in &p.guides {
        let v = check_guide(g)?;
        if out.iter().any(|o| o.id() == v.id()) {
            return Err(FormatError::malformed(K, "a guide id appears twice"));
        }
        out.push(v);
    }
    Ok(out)
}

fn parse_payload(payload: &[u8]) -> Result<GuidesPayload> {
    let p: GuidesPayload =
        serde_json::from_slice(payload).map_err(|e| FormatError::malformed(K, e))?;
    if p.format != FORMAT_VERSION {
        return Err(FormatError::malformed(K, "unsupported format version"));
    }
    Ok(p)
}

/// Verifies a guides envelope, in this order (the first failure decides): size cap
/// (`Oversize`); envelope; keyset expiry and signatures (threshold of `keyset`, §3);
/// payload JSON and `format`; `version` ≥ 1; `expires` ≥ `created`; rollback (a version
/// lower than **or equal to** `policy.current_version`, the guides floor, is `Rollback`);
/// `created` bound; expiry; then the content rules (bounds, ids, sources, texts, the same
/// sections and links in every language), all `Malformed`.
pub fn verify_guides(bytes: &[u8], keyset: &Keyset, policy: &Policy) -> Result<VerifiedGuides> {
    let env = Envelope::parse(bytes, PayloadType::Guides, MAX_GUIDES_BYTES)?;
    keyset.verify_envelope(
        &env,
        if policy.allow_expired {
            i64::MIN
        } else {
            policy.now
        },
    )?;
    let p = parse_payload(&env.payload)?;
    check_times(K, p.version, p.created, p.expires, keyset, policy, true)?;
    let guides = check_content(&p)?;
    Ok(VerifiedGuides {
        version: p.version,
        created: p.created,
        expires: p.expires,
        guides,
        signed: bytes.to_vec(),
        keyset_version: keyset.version,
    })
}

/// The content rules of [`verify_guides`] without signatures, times or rollback: what the
/// server checks before it freezes a candidate and what a publisher's tool checks before
/// it shows one.
pub fn check_guides_payload(payload: &[u8]) -> Result<VerifiedGuides> {
    if payload.len() > MAX_GUIDES_BYTES {
        return Err(FormatError::Oversize {
            kind: K,
            len: payload.len(),
            max: MAX_GUIDES_BYTES,
        });
    }
    let p = parse_payload(payload)?;
    if p.version == 0 {
        return Err(FormatError::malformed(K, "version must be at least 1"));
    }
    if p.expires < p.created {
        return Err(FormatError::malformed(K, "expires before it was created"));
    }
    let guides = check_content(&p)?;
    Ok(VerifiedGuides {
        version: p.version,
        created: p.created,
        expires: p.expires,
        guides,
        signed: Vec::new(),
        keyset_version: 0,
    })
}

/// Verifies a guides manifest: size cap, envelope, keyset expiry and signatures, payload
/// JSON and `format`, version, rollback (`version` < the guides floor; equal means nothing
/// new), `created` bound, expiry, then the entry: `to` = `version`, `size` ≤
/// [`MAX_GUIDES_BYTES`], `sha256` 64 lowercase hex (`Malformed`).
pub fn verify_guides_manifest(
    bytes: &[u8],
    keyset: &Keyset,
    policy: &Policy,
) -> Result<VerifiedGuidesManifest> {
    let env = Envelope::parse(
        bytes,
        PayloadType::GuidesManifest,
        MAX_GUIDES_MANIFEST_BYTES,
    )?;
    keyset.verify_envelope(
        &env,
        if policy.allow_expired {
            i64::MIN
        } else {
            policy.now
        },
    )?;
    let m: GuidesManifest =
        serde_json::from_slice(&env.payload).map_err(|e| FormatError::malformed(KM, e))?;
    if m.format != FORMAT_VERSION {
        return Err(FormatError::malformed(KM, "unsupported format version"));
    }
    check_times(KM, m.version, m.created, m.expires, keyset, policy, false)?;
    if m.guides.to != m.version
        || m.guides.size > MAX_GUIDES_BYTES as u64
        || !is_lower_hex_64(&m.guides.sha256)
    {
        return Err(FormatError::malformed(
            KM,
            "the guides entry is inconsistent",
        ));
    }
    Ok(VerifiedGuidesManifest(m))
}

/// Serialises a guides payload after checking it as a client will (content rules only).
pub fn build_guides_payload(
    version: u64,
    created: i64,
    expires: i64,
    guides: Vec<Guide>,
) -> Result<Vec<u8>> {
    let p = GuidesPayload {
        format: FORMAT_VERSION,
        version,
        created,
        expires,
        guides,
    };
    let bytes = serde_json::to_vec(&p).map_err(|e| FormatError::malformed(K, e))?;
    check_guides_payload(&bytes)?;
    Ok(bytes)
}

/// The guides manifest payload naming `signed_guides` (the exact signed envelope bytes).
pub fn build_guides_manifest_payload(
    version: u64,
    created: i64,
    expires: i64,
    signed_guides: &[u8],
) -> Vec<u8> {
    let m = GuidesManifest {
        format: FORMAT_VERSION,
        version,
        created,
        expires,
        guides: GuidesEntry {
            to: version,
            sha256: sha256_hex(signed_guides),
            size: signed_guides.len() as u64,
        },
    };
    serde_json::to_vec(&m).expect("guides manifest serialises")
}

/// Every guide in every language as plain text, for a publisher to read before signing.
/// Everything comes from the payload bytes; characters that could hide or reorder text on
/// a terminal are escaped.
pub fn plain_text(v: &VerifiedGuides) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    for g in v.guides() {
        let _ = writeln!(
            out,
            "==== GUIDE {} (last reviewed {})",
            safe(g.id()),
            safe(g.last_reviewed())
        );
        for s in g.sources() {
            let _ = writeln!(out, "source: {} <{}>", safe(&s.name), safe(&s.url));
        }
        for lang in g.languages() {
            let review = match g.review(lang) {
                Some(ReviewState::Complete) => "complete",
                _ => "needs native review",
            };
            let _ = writeln!(out, "---- language {} ({review})", safe(lang));
            for line in g.text(lang).unwrap_or_default().lines() {
                let _ = writeln!(out, "| {}", safe(line));
            }
        }
    }
    out
}

/// Escapes what could hide or reorder text on a terminal: control characters, bidi
/// overrides and isolates, zero-width characters.
pub fn safe(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let hidden = c.is_control()
            || matches!(c as u32,
                0x061C | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2069 | 0xFEFF);
        if hidden {
            out.push_str(&format!("\\u{{{:04x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests;

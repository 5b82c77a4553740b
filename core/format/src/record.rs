//! The directory record, aligned with Open Referral HSDS 3: one record is one service of an
//! organization, with its locations, phones, links, schedules, categories and languages.
//! Text meant for people is a map from BCP 47 language tag to text, so one record can carry
//! several languages.
//!
//! This module checks structure only (lengths, enumerations, `https:` links, e-mail
//! addresses via [`crate::contact`], coordinates, time formats). The phone rules (number
//! type, country, short-code table) need libphonenumber metadata and live in the `phone`
//! module behind the `phone` feature, used by the phone core and the server.

use std::collections::BTreeMap;

use serde::de::{Deserializer, Error as _, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::error::{FormatError, Result};

/// Text in several languages: BCP 47 tag (e.g. `en`, `es`, `fr-CA`) -> text.
pub type Text = BTreeMap<String, String>;

/// Deserialises a [`Text`] map and refuses a language tag that appears twice: JSON leaves
/// duplicate keys undefined, and a parser that keeps the first value would show different
/// text from one that keeps the last, under the same signature.
fn text_unique<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Text, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Text;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a map from language tag to text")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Text, A::Error> {
            let mut out = Text::new();
            while let Some((k, v)) = map.next_entry::<String, String>()? {
                if out.insert(k, v).is_some() {
                    return Err(A::Error::custom(
                        "a language tag appears twice in a text map",
                    ));
                }
            }
            Ok(out)
        }
    }
    d.deserialize_map(V)
}

/// Service categories (DESIGN.md list plus `emergency` for emergency numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Emergency services (police, ambulance, fire).
    Emergency,
    /// Help lines.
    Hotline,
    /// Emergency shelter.
    EmergencyShelter,
    /// Longer-term housing.
    Housing,
    /// Medical care.
    Medical,
    /// Mental-health care.
    MentalHealth,
    /// Legal aid.
    LegalAid,
    /// Immigration help (e.g. T visa).
    Immigration,
    /// Employment and vocational training.
    Employment,
    /// Education.
    Education,
    /// Food and clothing.
    FoodClothing,
    /// Family reunification.
    FamilyReunification,
    /// Support groups.
    SupportGroup,
    /// Substance use.
    SubstanceUse,
}

impl Category {
    /// Every category, in wire order.
    pub const ALL: [Category; 14] = [
        Category::Emergency,
        Category::Hotline,
        Category::EmergencyShelter,
        Category::Housing,
        Category::Medical,
        Category::MentalHealth,
        Category::LegalAid,
        Category::Immigration,
        Category::Employment,
        Category::Education,
        Category::FoodClothing,
        Category::FamilyReunification,
        Category::SupportGroup,
        Category::SubstanceUse,
    ];

    /// The wire name (`snake_case`).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Emergency => "emergency",
            Category::Hotline => "hotline",
            Category::EmergencyShelter => "emergency_shelter",
            Category::Housing => "housing",
            Category::Medical => "medical",
            Category::MentalHealth => "mental_health",
            Category::LegalAid => "legal_aid",
            Category::Immigration => "immigration",
            Category::Employment => "employment",
            Category::Education => "education",
            Category::FoodClothing => "food_clothing",
            Category::FamilyReunification => "family_reunification",
            Category::SupportGroup => "support_group",
            Category::SubstanceUse => "substance_use",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// What a phone entry reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhoneKind {
    /// Voice call.
    Voice,
    /// Text message (SMS).
    Sms,
    /// Teletypewriter / text telephone.
    Tty,
    /// WhatsApp (dialled as a voice number; the app opens an `https://wa.me/` link).
    Whatsapp,
}

/// A phone number or short code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phone {
    /// As published: international (`+1 888 373 7888`), national (`1-888-373-7888`,
    /// `08000 121 700`) or a short code (`988`, `233733`, `116 006`).
    pub number: String,
    /// ISO 3166-1 alpha-2 country the number belongs to.
    pub country: String,
    /// What it reaches.
    pub kind: PhoneKind,
    /// For text lines: a keyword the user sends (shown, never embedded in the link).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keyword: Option<String>,
    /// When this number answers, if different from the service's schedule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<Schedule>,
    /// Languages spoken on this line (BCP 47).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// Short description ("Text line", "TTY").
    #[serde(
        default,
        deserialize_with = "text_unique",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub description: Text,
    /// Set when a call may cost the caller more than an ordinary call (premium rate,
    /// shared cost, personal or universal access numbers). Without it the phone refuses
    /// such numbers; with it the dial action carries a cost warning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<PhoneCost>,
}

/// What a call to a phone entry may cost, when it is more than an ordinary call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhoneCost {
    /// May cost more than an ordinary call (premium rate, shared cost, personal number,
    /// universal access number): dialled only after a warning.
    Premium,
}

/// One weekly opening interval in the schedule's time zone. `closes` may be earlier than
/// `opens` (overnight) and `24:00` means midnight at the end of the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Opening {
    /// ISO weekday, 1 = Monday ... 7 = Sunday.
    pub weekday: u8,
    /// Local opening time `HH:MM`.
    pub opens: String,
    /// Local closing time `HH:MM` (`24:00` allowed).
    pub closes: String,
}

/// When a service or line is open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// IANA time zone (e.g. `America/New_York`).
    pub timezone: String,
    /// Open around the clock, every day.
    #[serde(default)]
    pub always_open: bool,
    /// Weekly openings (ignored when `always_open`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weekly: Vec<Opening>,
}

/// A physical location or service area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Location {
    /// Optional name (e.g. "Downtown office").
    #[serde(
        default,
        deserialize_with = "text_unique",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub name: Text,
    /// Street address (public directory data), if it is not confidential.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// ISO 3166-1 alpha-2 country.
    pub country: String,
    /// ISO 3166-2 subdivision code or region name, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Latitude, WGS 84.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// Longitude, WGS 84.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
}

/// Cost of the service.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fees {
    /// Free of charge for the person seeking help.
    pub free: bool,
    /// Details.
    #[serde(
        default,
        deserialize_with = "text_unique",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub description: Text,
}

/// One directory record (an HSDS service with its organization inline).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    /// Stable id, `[a-z0-9._-]`, 1..=64 characters.
    pub id: String,
    /// Organization name.
    #[serde(deserialize_with = "text_unique")]
    pub organization: Text,
    /// Service name.
    #[serde(deserialize_with = "text_unique")]
    pub name: Text,
    /// Description.
    #[serde(
        default,
        deserialize_with = "text_unique",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub description: Text,
    /// Categories (at least one).
    pub categories: Vec<Category>,
    /// Languages the service works in (BCP 47).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// Locations and service areas (at least one; a national line has one with only a
    /// country).
    pub locations: Vec<Location>,
    /// Phones and short codes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phones: Vec<Phone>,
    /// Web sites and chat links (`https:` only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub websites: Vec<String>,
    /// E-mail addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub emails: Vec<String>,
    /// When the service is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Schedule>,
    /// Who can use it.
    #[serde(
        default,
        deserialize_with = "text_unique",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub eligibility: Text,
    /// Cost.
    #[serde(default)]
    pub fees: Fees,
    /// Accessibility notes.
    #[serde(
        default,
        deserialize_with = "text_unique",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub accessibility: Text,
    /// Date the details were last checked, `YYYY-MM-DD`.
    pub last_verified: String,
    /// Where the details come from (URL or organisation).
    pub source: String,
}

const MAX_TEXT: usize = 8 * 1024;
const MAX_SHORT: usize = 256;
const MAX_LIST: usize = 64;

fn check_len(id: &str, field: &str, s: &str, max: usize) -> Result<()> {
    if s.len() > max {
        return Err(FormatError::record(id, format!("{field} is too long")));
    }
    if s.chars().any(|c| c.is_control() && c != '\n') {
        return Err(FormatError::record(
            id,
            format!("{field} has control characters"),
        ));
    }
    Ok(())
}

fn check_lang(id: &str, field: &str, tag: &str) -> Result<()> {
    let ok = !tag.is_empty()
        && tag.len() <= 35
        && tag
            .split('-')
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
        && tag.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    if ok {
        Ok(())
    } else {
        Err(FormatError::record(
            id,
            format!("{field} has an invalid language tag"),
        ))
    }
}

fn check_text(id: &str, field: &str, text: &Text, required: bool) -> Result<()> {
    if required && text.values().all(|v| v.trim().is_empty()) {
        return Err(FormatError::record(id, format!("{field} is empty")));
    }
    if text.len() > MAX_LIST {
        return Err(FormatError::record(
            id,
            format!("{field} has too many languages"),
        ));
    }
    for (lang, value) in text {
        check_lang(id, field, lang)?;
        check_len(id, field, value, MAX_TEXT)?;
    }
    Ok(())
}

fn check_country(id: &str, field: &str, c: &str) -> Result<()> {
    if c.len() == 2 && c.chars().all(|ch| ch.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(FormatError::record(
            id,
            format!("{field} is not an ISO 3166 alpha-2 code"),
        ))
    }
}

/// Parses `HH:MM` (00:00..=24:00) into minutes after midnight.
pub fn parse_hhmm(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return None;
    }
    Some(h * 60 + m)
}

fn check_schedule(id: &str, s: &Schedule) -> Result<()> {
    let tz_ok = !s.timezone.is_empty()
        && s.timezone.len() <= 64
        && s.timezone
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c));
    if !tz_ok {
        return Err(FormatError::record(id, "schedule time zone is malformed"));
    }
    if s.weekly.len() > 7 * 8 {
        return Err(FormatError::record(id, "schedule has too many openings"));
    }
    if !s.always_open && s.weekly.is_empty() {
        return Err(FormatError::record(id, "schedule has no openings"));
    }
    for o in &s.weekly {
        if !(1..=7).contains(&o.weekday) {
            return Err(FormatError::record(id, "schedule weekday out of range"));
        }
        let (Some(a), Some(b)) = (parse_hhmm(&o.opens), parse_hhmm(&o.closes)) else {
            return Err(FormatError::record(id, "schedule time is not HH:MM"));
        };
        if a == b || a == 24 * 60 {
            return Err(FormatError::record(id, "schedule opening is empty"));
        }
    }
    Ok(())
}

/// True if `s` is `YYYY-MM-DD` naming a real day of the proleptic Gregorian calendar
/// (`2026-02-30` and `2026-13-01` are refused).
pub fn is_calendar_date(s: &str) -> bool {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape {
        return false;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let (y, m, d) = (num(0..4), num(5..7), num(8..10));
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// True if `s` is an absolute `https:` URL with a host and no whitespace or credentials.
pub fn is_https_url(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("https://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    s.len() <= 2048
        && !host.is_empty()
        && !host.contains('@')
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:".contains(c))
        && !s.chars().any(|c| c.is_whitespace() || c.is_control())
}

impl Record {
    /// Checks every structural rule; the first broken one is returned.
    pub fn validate(&self) -> Result<()> {
        let id = self.id.as_str();
        if id.is_empty()
            || id.len() > 64
            || !id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
        {
            return Err(FormatError::record(
                id,
                "id must be 1-64 characters of [a-z0-9._-]",
            ));
        }
        check_text(id, "organization", &self.organization, true)?;
        check_text(id, "name", &self.name, true)?;
        check_text(id, "description", &self.description, false)?;
        check_text(id, "eligibility", &self.eligibility, false)?;
        check_text(id, "accessibility", &self.accessibility, false)?;
        check_text(id, "fees", &self.fees.description, false)?;
        if self.categories.is_empty() || self.categories.len() > Category::ALL.len() {
            return Err(FormatError::record(
                id,
                "categories must list 1-14 categories",
            ));
        }
        for list in [&self.languages] {
            if list.len() > MAX_LIST {
                return Err(FormatError::record(id, "too many languages"));
            }
            for l in list {
                check_lang(id, "languages", l)?;
            }
        }
        if self.locations.is_empty() || self.locations.len() > MAX_LIST {
            return Err(FormatError::record(id, "locations must list 1-64 places"));
        }
        for loc in &self.locations {
            check_text(id, "location name", &loc.name, false)?;
            check_country(id, "location country", &loc.country)?;
            if let Some(a) = &loc.address {
                check_len(id, "address", a, MAX_SHORT * 2)?;
            }
            if let Some(r) = &loc.region {
                check_len(id, "region", r, MAX_SHORT)?;
            }
            match (loc.latitude, loc.longitude) {
                (None, None) => {}
                (Some(lat), Some(lon))
                    if lat.is_finite()
                        && lon.is_finite()
                        && (-90.0..=90.0).contains(&lat)
                        && (-180.0..=180.0).contains(&lon) => {}
                _ => return Err(FormatError::record(id, "coordinates out of range")),
            }
        }
        if self.phones.len() > MAX_LIST
            || self.websites.len() > MAX_LIST
            || self.emails.len() > MAX_LIST
        {
            return Err(FormatError::record(id, "too many contact entries"));
        }
        for p in &self.phones {
            check_country(id, "phone country", &p.country)?;
            let digits = p.number.chars().filter(char::is_ascii_digit).count();
            let allowed =
                p.number.chars().enumerate().all(|(i, c)| {
                    c.is_ascii_digit() || " -.()".contains(c) || (c == '+' && i == 0)
                });
            if !allowed || !(2..=17).contains(&digits) || p.number.len() > 32 {
                return Err(FormatError::record(
                    id,
                    "phone number has invalid characters or length",
                ));
            }
            if let Some(k) = &p.keyword {
                if k.is_empty() || k.len() > 32 || k.chars().any(|c| c.is_control()) {
                    return Err(FormatError::record(id, "phone keyword is invalid"));
                }
            }
            if let Some(h) = &p.hours {
                check_schedule(id, h)?;
            }
            for l in &p.languages {
                check_lang(id, "phone languages", l)?;
            }
            check_text(id, "phone description", &p.description, false)?;
        }
        for w in &self.websites {
            if !is_https_url(w) {
                return Err(FormatError::record(id, "website is not an https: URL"));
            }
        }
        for e in &self.emails {
            if let Err(e) = crate::contact::validate_email(e) {
                return Err(FormatError::record(id, e.0));
            }
        }
        if let Some(s) = &self.schedule {
            check_schedule(id, s)?;
        }
        if !is_calendar_date(&self.last_verified) {
            return Err(FormatError::record(
                id,
                "last_verified is not a YYYY-MM-DD calendar date",
            ));
        }
        if self.source.trim().is_empty() {
            return Err(FormatError::record(id, "source is empty"));
        }
        check_len(id, "source", &self.source, 2048)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_verified_must_be_a_real_day() {
        for ok in ["2026-01-01", "2024-02-29", "2000-02-29", "2026-12-31"] {
            assert!(is_calendar_date(ok), "{ok}");
        }
        for bad in [
            "2026-13-01",
            "2026-00-10",
            "2026-02-29",
            "1900-02-29",
            "2026-04-31",
            "2026-01-00",
            "2026-1-01",
            "20260101",
            "2026/01/01",
            "2026-01-01 ",
        ] {
            assert!(!is_calendar_date(bad), "{bad}");
        }
    }

    #[test]
    fn a_language_repeated_in_a_text_map_is_refused() {
        let json = r#"{"id":"x","organization":{"en":"Org"},"name":{"en":"Safe line","en":"Other line"},
            "categories":["hotline"],"locations":[{"country":"US"}],
            "last_verified":"2026-01-01","source":"s"}"#;
        let err = serde_json::from_str::<Record>(json).expect_err("duplicate language");
        assert!(err.to_string().contains("appears twice"), "{err}");
    }
}

//! Dial actions: what one tap does. Every phone and link of a record is turned into a URI
//! here, at import time, and a record whose phone or link fails validation rejects the
//! whole update: a number that does not validate is never offered for dialling.
//!
//! - Global numbers: `tel:+E164` (RFC 3966), via the `phonenumber` crate (libphonenumber
//!   metadata), which must judge the number valid for its country.
//! - Short codes (988, 911, 233733, 116 006) and other numbers that only work inside one
//!   country: `tel:988;phone-context=+1` (RFC 3966 §5.1.5 local number; the context is the
//!   country's calling code). `phonenumber` 0.3 has no short-number metadata (it would turn
//!   988 into `+1988`), so 2–6 digit numbers without `+` are treated as short codes and
//!   must be listed for their country in the reviewed table of `waypoint_format::phone`.
//! - Text lines: `sms:` (RFC 5724) with the same recipient syntax. A keyword such as START
//!   is shown to the user next to the button and NOT embedded as `?body=` (iOS drops it,
//!   and a prefilled message is one more thing on screen).
//! - WhatsApp: `https://wa.me/<E.164 digits>`; web and chat links: `https:` only;
//!   e-mail: `mailto:` with the address alone, validated and percent-encoded by
//!   `waypoint_format::contact` (no `?bcc=` or other header fields can ride along).
//! - Cost: premium rate, shared cost and other costly number types are refused unless the
//!   record marks the phone `cost: "premium"`; then the action carries [`COST_WARNING`].
//!   A number must belong to the numbering plan of the country it is labelled with.

use serde::{Deserialize, Serialize};
pub use waypoint_format::phone::{is_known_short_code, Target, COST_WARNING};
use waypoint_format::record::{Phone, PhoneCost, PhoneKind, Record};

/// What an action does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// Voice call (`tel:`).
    Call,
    /// Text message (`sms:`).
    Text,
    /// TTY call (`tel:`; the phone's TTY mode handles the rest).
    Tty,
    /// WhatsApp chat (`https://wa.me/`).
    Whatsapp,
    /// Web site or web chat (`https:`).
    Web,
    /// E-mail (`mailto:`).
    Email,
}

/// One tappable action of a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialAction {
    /// What it does.
    pub kind: ActionKind,
    /// The URI to open.
    pub uri: String,
    /// What to show on the button (the number as people know it, or the link).
    pub display: String,
    /// For text lines, the keyword to send (shown, not embedded).
    pub keyword: Option<String>,
    /// True if this number only works inside its country (short code or local number).
    pub local_only: bool,
    /// Shown before dialling when the call may cost more than an ordinary call
    /// ([`COST_WARNING`]); `None` for ordinary numbers and links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// Why a phone or link was rejected (the value is never echoed: reasons are fixed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidContact(pub &'static str);

/// Validates a published number for `country` and returns its dialling target: the phone
/// rules of PROTOCOL.md §5, shared with the sync server's draft API
/// ([`waypoint_format::phone::target`]).
pub fn target(number: &str, country: &str, costly_allowed: bool) -> Result<Target, InvalidContact> {
    waypoint_format::phone::target(number, country, costly_allowed).map_err(|e| InvalidContact(e.0))
}

fn phone_action(p: &Phone) -> Result<DialAction, InvalidContact> {
    let t = target(&p.number, &p.country, p.cost == Some(PhoneCost::Premium))?;
    let local_only = t.context.is_some();
    let (kind, uri) = match p.kind {
        PhoneKind::Voice => (ActionKind::Call, format!("tel:{}", t.subscriber())),
        PhoneKind::Tty => (ActionKind::Tty, format!("tel:{}", t.subscriber())),
        PhoneKind::Sms => (ActionKind::Text, format!("sms:{}", t.subscriber())),
        PhoneKind::Whatsapp => {
            if local_only {
                return Err(InvalidContact("WhatsApp needs a full international number"));
            }
            (
                ActionKind::Whatsapp,
                format!("https://wa.me/{}", t.number.trim_start_matches('+')),
            )
        }
    };
    Ok(DialAction {
        kind,
        uri,
        display: p.number.clone(),
        keyword: p.keyword.clone(),
        local_only,
        warning: t.costly.then(|| COST_WARNING.to_owned()),
    })
}

/// What the platform hands to the system dialer or messages app for an action `uri`.
///
/// The `uri` is the exact RFC 3966/5724 form (`tel:988;phone-context=+1`), right for
/// display, export and any standards-following handler. The Android and iOS dialers,
/// however, read `;` in a dial string as "wait" and would offer to send
/// `phone-context=+1` as tones after the call connects. A short code only works inside its
/// country anyway (`local_only`), so the launch form drops the context parameter
/// (`tel:988`, `sms:233733`). Global numbers and links are unchanged.
pub fn launch_uri(uri: &str) -> String {
    let local = |scheme: &str| {
        uri.strip_prefix(scheme)
            .and_then(|rest| rest.split_once(";phone-context="))
            .map(|(number, _)| format!("{scheme}{number}"))
    };
    local("tel:")
        .or_else(|| local("sms:"))
        .unwrap_or_else(|| uri.to_owned())
}

/// Every action of a record, phones first (in published order), then links and e-mail.
/// Fails if any phone or link fails validation.
pub fn actions(record: &Record) -> Result<Vec<DialAction>, InvalidContact> {
    let mut out =
        Vec::with_capacity(record.phones.len() + record.websites.len() + record.emails.len());
    for p in &record.phones {
        out.push(phone_action(p)?);
    }
    for w in &record.websites {
        if !waypoint_format::record::is_https_url(w) {
            return Err(InvalidContact("link is not https:"));
        }
        out.push(DialAction {
            kind: ActionKind::Web,
            uri: w.clone(),
            display: w
                .trim_start_matches("https://")
                .trim_end_matches('/')
                .to_owned(),
            keyword: None,
            local_only: false,
            warning: None,
        });
    }
    for e in &record.emails {
        let uri = waypoint_format::contact::mailto_uri(e).map_err(|e| InvalidContact(e.0))?;
        out.push(DialAction {
            kind: ActionKind::Email,
            uri,
            display: e.clone(),
            keyword: None,
            local_only: false,
            warning: None,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tel(number: &str, country: &str) -> String {
        format!(
            "tel:{}",
            target(number, country, false).expect(number).subscriber()
        )
    }

    #[test]
    fn dial_uris_for_the_published_help_lines() {
        let table = [
            ("1-888-373-7888", "US", "tel:+18883737888"),
            ("233733", "US", "tel:233733;phone-context=+1"),
            ("1-800-799-7233", "US", "tel:+18007997233"),
            ("1-800-787-3224", "US", "tel:+18007873224"),
            ("88788", "US", "tel:88788;phone-context=+1"),
            ("988", "US", "tel:988;phone-context=+1"),
            ("1-800-656-4673", "US", "tel:+18006564673"),
            ("08000 121 700", "GB", "tel:+448000121700"),
            ("0808 2000 247", "GB", "tel:+448082000247"),
            ("1-833-900-1010", "CA", "tel:+18339001010"),
            ("1800 737 732", "AU", "tel:+611800737732"),
            ("116 006", "FR", "tel:116006;phone-context=+33"),
            ("116 006", "NL", "tel:116006;phone-context=+31"),
            ("911", "US", "tel:911;phone-context=+1"),
            ("999", "GB", "tel:999;phone-context=+44"),
            ("000", "AU", "tel:000;phone-context=+61"),
            ("112", "DE", "tel:112;phone-context=+49"),
            ("+44 808 2000 247", "GB", "tel:+448082000247"),
        ];
        for (number, country, want) in table {
            assert_eq!(tel(number, country), want, "{number} ({country})");
        }
    }

    #[test]
    fn text_line_keyword_is_shown_not_embedded() {
        let p = Phone {
            number: "88788".into(),
            country: "US".into(),
            kind: PhoneKind::Sms,
            keyword: Some("START".into()),
            hours: None,
            languages: vec![],
            description: Default::default(),
            cost: None,
        };
        let a = phone_action(&p).expect("sms");
        assert_eq!(a.uri, "sms:88788;phone-context=+1");
        assert_eq!(a.keyword.as_deref(), Some("START"));
        assert!(!a.uri.contains("body"));
    }

    #[test]
    fn launch_form_drops_the_context_only_for_local_numbers() {
        assert_eq!(launch_uri("tel:988;phone-context=+1"), "tel:988");
        assert_eq!(launch_uri("sms:233733;phone-context=+1"), "sms:233733");
        assert_eq!(launch_uri("tel:116006;phone-context=+33"), "tel:116006");
        assert_eq!(launch_uri("tel:+18883737888"), "tel:+18883737888");
        assert_eq!(
            launch_uri("https://wa.me/18883737888"),
            "https://wa.me/18883737888"
        );
        assert_eq!(
            launch_uri("mailto:help@example.org"),
            "mailto:help@example.org"
        );
    }

    #[test]
    fn invalid_numbers_are_rejected() {
        for (n, c) in [
            ("1-555-0100-000", "US"),
            ("12345678", "US"),
            ("0800 1234", "GB"),
            ("911", "XX"),
        ] {
            assert!(target(n, c, false).is_err(), "{n} ({c}) must not validate");
        }
    }

    fn voice(number: &str, country: &str, cost: Option<PhoneCost>) -> Phone {
        Phone {
            number: number.into(),
            country: country.into(),
            kind: PhoneKind::Voice,
            keyword: None,
            hours: None,
            languages: vec![],
            description: Default::default(),
            cost,
        }
    }

    #[test]
    fn premium_and_shared_cost_numbers_are_refused_unless_marked() {
        for (n, c) in [
            ("+1 900-555-0199", "US"),
            ("1-900-555-0199", "US"),
            ("+44 909 879 0000", "GB"),
            ("0909 879 0000", "GB"),
            ("0845 464 7000", "GB"),
            ("0870 010 0000", "GB"),
            ("07010 000000", "GB"),
            ("08 99 12 34 56", "FR"),
        ] {
            let err = phone_action(&voice(n, c, None)).expect_err(n);
            assert!(err.0.contains("cost"), "{n} ({c}): {err:?}");
        }
    }

    #[test]
    fn a_marked_premium_number_dials_with_a_warning() {
        let a = phone_action(&voice("+44 909 879 0000", "GB", Some(PhoneCost::Premium)))
            .expect("marked premium number");
        assert_eq!(a.uri, "tel:+449098790000");
        assert_eq!(a.warning.as_deref(), Some(COST_WARNING));
        // Ordinary and free numbers carry no warning, marked or not.
        let free = phone_action(&voice("1-888-373-7888", "US", None)).expect("toll free");
        assert_eq!(free.warning, None);
    }

    #[test]
    fn a_number_must_belong_to_its_labelled_country() {
        for (n, c) in [
            ("+44 808 2000 247", "US"),
            ("+1 888 373 7888", "GB"),
            ("+33 1 23 45 67 89", "DE"),
            // Same calling code, other plan: a Toronto number labelled US.
            ("+1 416 979 2000", "US"),
        ] {
            assert!(
                target(n, c, true).is_err(),
                "{n} labelled {c} must not validate"
            );
        }
        // A +1 toll-free number is part of both the US and the Canadian plans.
        assert!(target("1-833-900-1010", "CA", false).is_ok());
    }

    #[test]
    fn short_codes_must_be_listed_for_their_country() {
        for (n, c) in [
            ("12", "US"),
            ("999", "US"),
            ("4444", "US"),
            ("88788", "GB"),
            ("988", "FR"),
            ("90099", "US"),
            ("116006", "US"),
            ("3919", "DE"),
        ] {
            let err = target(n, c, true).expect_err(n);
            assert!(err.0.contains("short code"), "{n} ({c}): {err:?}");
        }
        for (n, c) in [
            ("988", "US"),
            ("233733", "US"),
            ("116 123", "GB"),
            ("116 000", "IT"),
            ("112", "SE"),
            ("016", "ES"),
            ("10111", "ZA"),
        ] {
            assert!(target(n, c, false).is_ok(), "{n} ({c}) must validate");
        }
    }

    #[test]
    fn email_links_carry_no_hidden_recipients() {
        let mut r: Record = serde_json::from_value(serde_json::json!({
            "id": "x", "organization": {"en": "O"}, "name": {"en": "N"},
            "categories": ["hotline"], "locations": [{"country": "US"}],
            "emails": ["intake+web@example.org"],
            "last_verified": "2026-01-01", "source": "s"
        }))
        .expect("record");
        let a = actions(&r).expect("valid");
        assert_eq!(a[0].uri, "mailto:intake%2Bweb@example.org");
        r.emails = vec!["a@example.org?bcc=spy@evil.example".into()];
        assert!(
            actions(&r).is_err(),
            "a mailto: header must not become a link"
        );
    }
}

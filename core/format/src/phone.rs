//! The phone rules (PROTOCOL.md §5, "Phone rules"), shared by the phone core's dial
//! actions and the sync server's draft API, so a number one accepts is a number the other
//! accepts. Behind the `phone` feature: libphonenumber metadata is too heavy for clients of
//! this crate that only verify signatures (the fuzzer, second clients' test harnesses).
//!
//! - A 2–6 digit number without `+` is a short code, accepted only if it is listed for its
//!   country in the reviewed [`SHORT_CODES`] table (or is 112 or a harmonised 116 number in
//!   an EU or EEA country). `phonenumber` 0.3 has no short-number metadata of its own.
//! - Any other number must parse, carry its country's calling code and be a valid number of
//!   that country's own plan.
//! - Premium rate, shared cost and the other costly types are refused unless the record
//!   marks the phone `cost: "premium"`.

use phonenumber::country::Id;
use phonenumber::metadata::DATABASE;
use phonenumber::{Metadata, Mode, Type};

/// Why a number was refused (a fixed phrase: the number is never echoed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidPhone(pub &'static str);

impl std::fmt::Display for InvalidPhone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

fn calling_code(country: &str) -> Result<u16, InvalidPhone> {
    DATABASE
        .by_id(country)
        .map(|m| m.country_code())
        .ok_or(InvalidPhone("unknown country for phone number"))
}

/// A validated dialling target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// `+E164` for global numbers, digits for local/short ones.
    pub number: String,
    /// `Some(+CC)` for short codes/local numbers.
    pub context: Option<String>,
    /// True if calling it may cost more than an ordinary call (allowed only when the record
    /// marks the phone `cost: "premium"`).
    pub costly: bool,
}

impl Target {
    /// RFC 3966 `telephone-subscriber` (used by both `tel:` and `sms:`).
    pub fn subscriber(&self) -> String {
        match &self.context {
            Some(ctx) => format!("{};phone-context={ctx}", self.number),
            None => self.number.clone(),
        }
    }
}

/// EU and EEA members, where Directive (EU) 2018/1972 (European Electronic Communications
/// Code) art. 109 makes 112 free, and Commission Decision 2007/116/EC (as amended by
/// 2007/698/EC and 2009/884/EC) reserves the harmonised 116 numbers of social value.
const EU_EEA: [&str; 30] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
];

/// 112 and the harmonised 116 family the EU reserves (2007/116/EC annex): 116 000 missing
/// children, 116 111 child helpline, 116 123 emotional support, 116 006 victims of crime.
const EU_HARMONISED: [&str; 5] = ["112", "116000", "116111", "116123", "116006"];

/// Short codes that are free and safe to dial, per country (digits only). A 2–6 digit
/// number without `+` is dialled only if it is listed here for its record's country; every
/// other short code (premium SMS services, carrier codes, typos) is refused.
///
/// Reviewed table: add an entry only with a public source naming the number as free.
pub const SHORT_CODES: &[(&str, &[&str])] = &[
    // FCC N11 assignments (47 CFR 52.16 and the FCC's N11 page): 211 community services,
    // 311 non-emergency, 511 traffic, 711 relay for deaf and hard-of-hearing callers,
    // 911 emergency; 988 Suicide & Crisis Lifeline (FCC 20-100, 2020). 233733 (BeFree) is
    // the National Human Trafficking Hotline's text line (Polaris Project,
    // humantraffickinghotline.org); 88788 is the National Domestic Violence Hotline's text
    // line (thehotline.org, "text START to 88788").
    (
        "US",
        &["211", "311", "511", "711", "911", "988", "233733", "88788"],
    ),
    // CRTC: 911 emergency, 211 community information, 988 Suicide Crisis Helpline (CRTC
    // 2022-234, live 30 Nov 2023), 711 relay.
    ("CA", &["211", "711", "911", "988"]),
    // Ofcom National Telephone Numbering Plan: 999 and 112 emergency, 111 NHS non-emergency,
    // and the harmonised 116 numbers the UK kept (116 000, 116 006, 116 111, 116 123).
    (
        "GB",
        &["999", "112", "111", "116000", "116006", "116111", "116123"],
    ),
    // ComReg numbering conventions: 999 and 112 emergency.
    ("IE", &["999"]),
    // ACMA: 000 emergency, 112 (mobiles), 106 text-based emergency relay.
    ("AU", &["000", "112", "106"]),
    // New Zealand Police / NZ numbering plan: 111 emergency.
    ("NZ", &["111"]),
    // Bundesnetzagentur: 110 police (112 via EU_HARMONISED).
    ("DE", &["110"]),
    // ARCEP: 15 SAMU, 17 police, 18 fire, 114 text emergency for deaf callers,
    // 3919 Violences Femmes Info (free, does not show on the bill).
    ("FR", &["15", "17", "18", "114", "3919"]),
    // Spain: 016 gender-violence line (Ministerio de Igualdad; free, leaves no trace on the
    // bill).
    ("ES", &["016"]),
    // India Emergency Response Support System: 112.
    ("IN", &["112"]),
    // Mexico (IFT, Lineamientos 911) and the Philippines (EO 56, 2016): 911.
    ("MX", &["911"]),
    ("PH", &["911"]),
    // South Africa: 10111 police, 10177 ambulance, 112 from mobiles (ICASA numbering plan).
    ("ZA", &["10111", "10177", "112"]),
];

/// True if `digits` is a reviewed free short code in `country`.
pub fn is_known_short_code(digits: &str, country: &str) -> bool {
    let listed = SHORT_CODES
        .iter()
        .filter(|(c, _)| *c == country)
        .any(|(_, codes)| codes.contains(&digits));
    listed || (EU_EEA.contains(&country) && EU_HARMONISED.contains(&digits))
}

/// How costly a number type is to call.
fn is_costly(kind: Type) -> bool {
    match kind {
        Type::FixedLine | Type::Mobile | Type::FixedLineOrMobile | Type::TollFree | Type::Voip => {
            false
        }
        // Premium rate and shared cost are charged above an ordinary call; personal,
        // universal access, pager and voicemail numbers are priced by the operator and
        // often too. Anything unclassified is treated as costly.
        _ => true,
    }
}

/// The type of `national` under one country's own numbering plan (libphonenumber's
/// order: premium rate before toll free before shared cost, as it classifies).
fn number_type_in(meta: &Metadata, national: &str) -> Type {
    let d = meta.descriptors();
    if !d.general().is_match(national) {
        return Type::Unknown;
    }
    let is = |desc: Option<&phonenumber::metadata::Descriptor>| {
        desc.is_some_and(|d| d.is_match(national))
    };
    if is(d.premium_rate()) {
        Type::PremiumRate
    } else if is(d.toll_free()) {
        Type::TollFree
    } else if is(d.shared_cost()) {
        Type::SharedCost
    } else if is(d.voip()) {
        Type::Voip
    } else if is(d.personal_number()) {
        Type::PersonalNumber
    } else if is(d.pager()) {
        Type::Pager
    } else if is(d.uan()) {
        Type::Uan
    } else if is(d.voicemail()) {
        Type::Voicemail
    } else {
        match (is(d.fixed_line()), is(d.mobile())) {
            (true, true) => Type::FixedLineOrMobile,
            (true, false) => Type::FixedLine,
            (false, true) => Type::Mobile,
            (false, false) => Type::Unknown,
        }
    }
}

/// Validates a published number for `country` and returns its dialling target.
///
/// - A 2–6 digit number without `+` must be a reviewed short code of `country`
///   ([`is_known_short_code`]).
/// - Any other number must parse, carry `country`'s calling code (a `+44` number labelled
///   `US` is refused) and be a valid number of `country`'s own numbering plan.
/// - Premium rate, shared cost and the other costly types ([`is_costly`]) are refused unless
///   the record marks the phone `cost: "premium"` (`costly_allowed`); the target then says
///   it is costly so the dial action can warn.
pub fn target(number: &str, country: &str, costly_allowed: bool) -> Result<Target, InvalidPhone> {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let international = number.trim_start().starts_with('+');
    if !international && (2..=6).contains(&digits.len()) {
        let cc = calling_code(country)?;
        if !is_known_short_code(&digits, country) {
            return Err(InvalidPhone(
                "short code is not in the reviewed list for its country",
            ));
        }
        return Ok(Target {
            number: digits,
            context: Some(format!("+{cc}")),
            costly: false,
        });
    }
    let meta = DATABASE
        .by_id(country)
        .ok_or(InvalidPhone("unknown country for phone number"))?;
    let id: Id = country
        .parse()
        .map_err(|_| InvalidPhone("unknown country for phone number"))?;
    let parsed = phonenumber::parse(Some(id), number)
        .map_err(|_| InvalidPhone("phone number does not parse"))?;
    if parsed.code().value() != meta.country_code() {
        return Err(InvalidPhone(
            "phone number's calling code does not match its country",
        ));
    }
    if parsed.extension().is_some() {
        return Err(InvalidPhone("phone number has an extension"));
    }
    let kind = number_type_in(meta, &parsed.national().to_string());
    if kind == Type::Unknown || !phonenumber::is_valid(&parsed) {
        return Err(InvalidPhone("phone number is not valid for its country"));
    }
    let costly = is_costly(kind);
    if costly && !costly_allowed {
        return Err(InvalidPhone(
            "phone number may cost more than an ordinary call and is not marked cost: premium",
        ));
    }
    Ok(Target {
        number: parsed.format().mode(Mode::E164).to_string(),
        context: None,
        costly,
    })
}

/// Shown with a dial action whose number may cost more than an ordinary call.
pub const COST_WARNING: &str = "Calls to this number may cost more than an ordinary call.";

/// Checks every phone of `record` against the phone rules: the number ([`target`]), and a
/// full international number for WhatsApp. The first broken rule is returned.
pub fn validate_phones(record: &crate::record::Record) -> Result<(), InvalidPhone> {
    use crate::record::{PhoneCost, PhoneKind};
    for p in &record.phones {
        let t = target(&p.number, &p.country, p.cost == Some(PhoneCost::Premium))?;
        if p.kind == PhoneKind::Whatsapp && t.context.is_some() {
            return Err(InvalidPhone("WhatsApp needs a full international number"));
        }
    }
    Ok(())
}

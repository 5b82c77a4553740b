//! Synthetic directories for benchmarks and load tests (feature `synth`; never in the app).
//!
//! Real directories are a few hundred to a few tens of thousands of services, most in one
//! or two languages, with names of a few words, a one-sentence description, one to
//! three phones and a weekly schedule. [`records`] builds such a directory
//! deterministically from a seed, so a benchmark measures the same data on every run, and
//! [`TestPublisher`] signs it with fixed test keys the way the directory tests do.
//!
//! Every phone follows a numbering plan libphonenumber accepts (NANP area codes with a
//! valid exchange, UK geographic and freephone ranges, French geographic numbers, Spanish
//! mobiles) or is a known short code, so a generated bundle passes the core's dial
//! validation like a real one must.

use std::collections::BTreeMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::publish::{build_bundle, build_keyset, sign_keyset, PublisherKey};
use crate::record::{Category, Fees, Location, Opening, Phone, PhoneKind, Record, Schedule};
use crate::Result;

/// Words per language for names and descriptions: the domain vocabulary a help directory
/// really uses, most frequent first (see [`zipf_word`]): generic words ("services",
/// "support") before specific ones ("shelter", "trafficking"); for `en` and `es`, the
/// languages most queried in the bench.
const VOCAB: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "services",
            "support",
            "help",
            "free",
            "community",
            "call",
            "open",
            "available",
            "confidential",
            "appointments",
            "referrals",
            "case",
            "management",
            "centre",
            "office",
            "group",
            "family",
            "women",
            "men",
            "youth",
            "children",
            "health",
            "education",
            "training",
            "employment",
            "language",
            "classes",
            "interpreters",
            "food",
            "clothing",
            "housing",
            "legal",
            "aid",
            "counselling",
            "medical",
            "clinic",
            "mental",
            "crisis",
            "line",
            "hotline",
            "night",
            "safe",
            "advocacy",
            "rights",
            "workers",
            "labour",
            "documents",
            "court",
            "accompaniment",
            "peer",
            "therapy",
            "recovery",
            "walk-in",
            "transitional",
            "long-term",
            "emergency",
            "shelter",
            "immigration",
            "visa",
            "survivors",
            "violence",
            "abuse",
            "trafficking",
            "exploitation",
        ],
    ),
    (
        "es",
        &[
            "servicios",
            "apoyo",
            "ayuda",
            "gratuito",
            "comunidad",
            "llame",
            "abierto",
            "confidencial",
            "citas",
            "derivaciones",
            "centro",
            "oficina",
            "grupo",
            "familia",
            "mujeres",
            "hombres",
            "jóvenes",
            "niños",
            "salud",
            "educación",
            "capacitación",
            "empleo",
            "idioma",
            "clases",
            "intérpretes",
            "comida",
            "ropa",
            "vivienda",
            "legal",
            "asesoría",
            "consejería",
            "médica",
            "clínica",
            "mental",
            "crisis",
            "línea",
            "noche",
            "seguro",
            "defensa",
            "derechos",
            "trabajadores",
            "documentos",
            "tribunal",
            "terapia",
            "recuperación",
            "emergencia",
            "refugio",
            "inmigración",
            "visa",
            "sobrevivientes",
            "violencia",
            "abuso",
            "trata",
            "explotación",
        ],
    ),
    (
        "fr",
        &[
            "aide",
            "soutien",
            "hébergement",
            "urgence",
            "juridique",
            "accompagnement",
            "immigration",
            "visa",
            "logement",
            "écoute",
            "médical",
            "clinique",
            "femmes",
            "hommes",
            "jeunes",
            "famille",
            "victimes",
            "traite",
            "violence",
            "abus",
            "sécurité",
            "confidentiel",
            "gratuit",
            "ligne",
            "défense",
            "alimentation",
            "vêtements",
            "emploi",
            "formation",
            "éducation",
            "langue",
            "cours",
            "interprètes",
            "rendez-vous",
            "orientation",
            "santé",
            "mentale",
            "crise",
            "nuit",
            "enfants",
            "droits",
            "travailleurs",
            "exploitation",
            "rétablissement",
            "groupe",
            "thérapie",
            "papiers",
            "tribunal",
            "services",
            "quartier",
            "centre",
            "bureau",
            "ouvert",
        ],
    ),
    (
        "pt",
        &[
            "ajuda",
            "apoio",
            "abrigo",
            "emergência",
            "jurídico",
            "imigração",
            "visto",
            "moradia",
            "aconselhamento",
            "médico",
            "clínica",
            "mulheres",
            "homens",
            "jovens",
            "família",
            "sobreviventes",
            "tráfico",
            "violência",
            "abuso",
            "seguro",
            "gratuito",
            "linha",
            "alimentação",
            "roupas",
            "emprego",
            "formação",
            "educação",
            "idioma",
            "intérpretes",
            "saúde",
            "mental",
            "crise",
            "crianças",
            "direitos",
            "trabalhadores",
            "exploração",
            "recuperação",
            "grupo",
            "terapia",
            "documentos",
            "serviços",
            "comunidade",
            "centro",
        ],
    ),
    (
        "de",
        &[
            "hilfe",
            "unterstützung",
            "notunterkunft",
            "notfall",
            "rechtsberatung",
            "einwanderung",
            "visum",
            "wohnen",
            "beratung",
            "medizinisch",
            "klinik",
            "frauen",
            "männer",
            "jugend",
            "familie",
            "betroffene",
            "menschenhandel",
            "gewalt",
            "missbrauch",
            "sicher",
            "vertraulich",
            "kostenlos",
            "telefon",
            "essen",
            "kleidung",
            "arbeit",
            "ausbildung",
            "bildung",
            "sprache",
            "dolmetscher",
            "gesundheit",
            "krise",
            "kinder",
            "rechte",
            "ausbeutung",
            "gruppe",
            "therapie",
            "dokumente",
            "gericht",
            "dienste",
            "zentrum",
        ],
    ),
    (
        "uk",
        &[
            "допомога",
            "підтримка",
            "притулок",
            "екстрена",
            "юридична",
            "імміграція",
            "віза",
            "житло",
            "консультація",
            "медична",
            "клініка",
            "жінки",
            "чоловіки",
            "молодь",
            "сімʼя",
            "постраждалі",
            "торгівля",
            "людьми",
            "насильство",
            "безпечно",
            "конфіденційно",
            "безкоштовно",
            "лінія",
            "їжа",
            "одяг",
            "робота",
            "навчання",
            "мова",
            "перекладачі",
            "здоровʼя",
            "криза",
            "діти",
            "права",
            "експлуатація",
            "група",
            "терапія",
            "документи",
            "суд",
            "послуги",
            "центр",
        ],
    ),
];

/// Primary language of a record, weighted roughly as a US/European directory would be.
const PRIMARY: &[(&str, u32)] = &[
    ("en", 55),
    ("es", 20),
    ("fr", 12),
    ("pt", 5),
    ("de", 5),
    ("uk", 3),
];

struct Place {
    city: &'static str,
    country: &'static str,
    region: &'static str,
    zone: &'static str,
    lat: f64,
    lon: f64,
}

const fn place(
    city: &'static str,
    country: &'static str,
    region: &'static str,
    zone: &'static str,
    lat: f64,
    lon: f64,
) -> Place {
    Place {
        city,
        country,
        region,
        zone,
        lat,
        lon,
    }
}

const PLACES: &[Place] = &[
    place("New York", "US", "US-NY", "America/New_York", 40.71, -74.01),
    place("Brooklyn", "US", "US-NY", "America/New_York", 40.68, -73.94),
    place("Buffalo", "US", "US-NY", "America/New_York", 42.89, -78.88),
    place(
        "Los Angeles",
        "US",
        "US-CA",
        "America/Los_Angeles",
        34.05,
        -118.24,
    ),
    place(
        "San Francisco",
        "US",
        "US-CA",
        "America/Los_Angeles",
        37.77,
        -122.42,
    ),
    place(
        "San Diego",
        "US",
        "US-CA",
        "America/Los_Angeles",
        32.72,
        -117.16,
    ),
    place("Chicago", "US", "US-IL", "America/Chicago", 41.88, -87.63),
    place("Houston", "US", "US-TX", "America/Chicago", 29.76, -95.37),
    place("El Paso", "US", "US-TX", "America/Denver", 31.76, -106.49),
    place("Phoenix", "US", "US-AZ", "America/Phoenix", 33.45, -112.07),
    place("Miami", "US", "US-FL", "America/New_York", 25.76, -80.19),
    place("Atlanta", "US", "US-GA", "America/New_York", 33.75, -84.39),
    place(
        "Seattle",
        "US",
        "US-WA",
        "America/Los_Angeles",
        47.61,
        -122.33,
    ),
    place("Denver", "US", "US-CO", "America/Denver", 39.74, -104.99),
    place("Boston", "US", "US-MA", "America/New_York", 42.36, -71.06),
    place("Toronto", "CA", "CA-ON", "America/Toronto", 43.65, -79.38),
    place("Montréal", "CA", "CA-QC", "America/Toronto", 45.50, -73.57),
    place(
        "Vancouver",
        "CA",
        "CA-BC",
        "America/Vancouver",
        49.28,
        -123.12,
    ),
    place("London", "GB", "GB-LND", "Europe/London", 51.51, -0.13),
    place("Manchester", "GB", "GB-MAN", "Europe/London", 53.48, -2.24),
    place("Birmingham", "GB", "GB-BIR", "Europe/London", 52.49, -1.89),
    place("Paris", "FR", "FR-75", "Europe/Paris", 48.86, 2.35),
    place("Lyon", "FR", "FR-69", "Europe/Paris", 45.76, 4.84),
    place("Marseille", "FR", "FR-13", "Europe/Paris", 43.30, 5.37),
    place("Madrid", "ES", "ES-M", "Europe/Madrid", 40.42, -3.70),
    place("Barcelona", "ES", "ES-B", "Europe/Madrid", 41.39, 2.17),
    place("Sevilla", "ES", "ES-SE", "Europe/Madrid", 37.39, -5.98),
];

const STREETS: &[&str] = &[
    "Main St",
    "Broadway",
    "Oak Ave",
    "Maple Rd",
    "High St",
    "Church Rd",
    "Rue de la Paix",
    "Calle Mayor",
    "Avenida Central",
    "Station Rd",
    "Park Ln",
    "Elm St",
    "Mission St",
];

/// Syllables for made-up proper nouns (organisation and street names), so not every
/// record's name is built from the same few hundred words.
const SYLLABLES: &[&str] = &[
    "al", "ber", "ca", "dor", "el", "fen", "gar", "hal", "in", "jor", "ka", "lin", "mar", "nor",
    "os", "pel", "quin", "ros", "san", "tor", "ul", "ver", "wil", "xan", "yor", "zel",
];

/// A deterministic synthetic record set of `n` valid records (ids `syn-000000` ...).
pub fn records(n: usize, seed: u64) -> Vec<Record> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n).map(|i| record(&mut rng, i)).collect()
}

/// Edits `count` records of `records` (spread over the set) the way an advocate would:
/// a new description sentence, a changed phone, a new "last verified" date. Returns the
/// ids changed.
pub fn edit(records: &mut [Record], count: usize, seed: u64) -> Vec<String> {
    let mut rng = StdRng::seed_from_u64(seed);
    let step = (records.len() / count.max(1)).max(1);
    let mut changed = Vec::new();
    for r in records.iter_mut().step_by(step).take(count) {
        let lang = r
            .description
            .keys()
            .next()
            .cloned()
            .unwrap_or_else(|| "en".into());
        let extra = sentence(&mut rng, &lang, 8..14);
        r.description
            .entry(lang)
            .and_modify(|d| {
                d.push(' ');
                d.push_str(&extra);
            })
            .or_insert(extra);
        let country = r.locations[0].country.clone();
        if let Some(p) = r.phones.iter_mut().find(|p| p.number.len() > 6) {
            p.number = phone_number(&mut rng, &country);
        }
        r.last_verified = "2026-11-20".into();
        changed.push(r.id.clone());
    }
    changed
}

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    &items[rng.gen_range(0..items.len())]
}

fn vocab(lang: &str) -> &'static [&'static str] {
    VOCAB
        .iter()
        .find(|(l, _)| *l == lang)
        .map_or(VOCAB[0].1, |(_, w)| w)
}

fn proper_noun(rng: &mut StdRng) -> String {
    let n = rng.gen_range(2..4);
    let mut s: String = (0..n).map(|_| *pick(rng, SYLLABLES)).collect();
    if let Some(first) = s.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    s
}

/// Function words per language: real descriptions are mostly these, which keeps any one
/// domain word out of most records.
const FILLERS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "and", "for", "with", "to", "of", "in", "our", "we", "you", "are", "is", "a",
            "who", "all", "at", "or", "by", "on", "from",
        ],
    ),
    (
        "es",
        &[
            "el", "la", "los", "las", "y", "para", "con", "de", "en", "nuestro", "que", "a", "por",
            "del", "un", "una", "o",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "et", "pour", "avec", "de", "des", "en", "notre", "qui", "à", "par",
            "du", "un", "une", "ou",
        ],
    ),
    (
        "pt",
        &[
            "o", "a", "os", "as", "e", "para", "com", "de", "em", "nosso", "que", "por", "do",
            "da", "um", "uma",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "das", "und", "für", "mit", "zu", "von", "in", "unser", "wir", "sie",
            "ein", "eine", "oder",
        ],
    ),
    (
        "uk",
        &[
            "і", "та", "для", "з", "до", "в", "на", "наш", "ми", "що", "або",
        ],
    ),
];

/// Share of function words in generated text.
const FILLER_SHARE: f64 = 0.4;

/// One domain word, Zipf-distributed over the vocabulary's order (weight 1/(rank+1)): a
/// few words are in many records, most in few, as in real text.
fn zipf_word(rng: &mut StdRng, v: &'static [&'static str]) -> &'static str {
    let total: f64 = (1..=v.len()).map(|r| 1.0 / r as f64).sum();
    let mut x = rng.gen::<f64>() * total;
    for (i, w) in v.iter().enumerate() {
        x -= 1.0 / (i + 1) as f64;
        if x <= 0.0 {
            return w;
        }
    }
    v[v.len() - 1]
}

fn words(rng: &mut StdRng, lang: &str, n: usize) -> String {
    let v = vocab(lang);
    let fillers = FILLERS
        .iter()
        .find(|(l, _)| *l == lang)
        .map_or(FILLERS[0].1, |(_, w)| w);
    (0..n)
        .map(|_| {
            if rng.gen_bool(FILLER_SHARE) {
                *pick(rng, fillers)
            } else {
                zipf_word(rng, v)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn words_in(rng: &mut StdRng, lang: &str, len: std::ops::Range<usize>) -> String {
    let n = rng.gen_range(len);
    words(rng, lang, n)
}

fn sentence(rng: &mut StdRng, lang: &str, len: std::ops::Range<usize>) -> String {
    let n = rng.gen_range(len);
    let mut s = words(rng, lang, n);
    if let Some(first) = s.chars().next() {
        let upper: String = first.to_uppercase().collect();
        s.replace_range(0..first.len_utf8(), &upper);
    }
    s.push('.');
    s
}

/// A number in the country's plan that libphonenumber judges valid.
fn phone_number(rng: &mut StdRng, country: &str) -> String {
    match country {
        "GB" => {
            if rng.gen_bool(0.5) {
                format!("020 7946 {:04}", rng.gen_range(0..1000))
            } else {
                format!(
                    "0808 {:03} {:04}",
                    rng.gen_range(100..1000),
                    rng.gen_range(0..10000)
                )
            }
        }
        "FR" => format!(
            "0{} {:02} {:02} {:02} {:02}",
            rng.gen_range(1..6),
            rng.gen_range(10..60),
            rng.gen_range(0..100),
            rng.gen_range(0..100),
            rng.gen_range(0..100)
        ),
        "ES" => format!(
            "6{:02} {:03} {:03}",
            rng.gen_range(0..100),
            rng.gen_range(0..1000),
            rng.gen_range(0..1000)
        ),
        "CA" => format!(
            "({}) {}-{:04}",
            pick(rng, &[416, 514, 604, 613]),
            rng.gen_range(220..990),
            rng.gen_range(0..10000)
        ),
        _ => {
            if rng.gen_bool(0.2) {
                format!(
                    "1-{}-{}-{:04}",
                    pick(rng, &[800, 833, 844, 855, 866, 877, 888]),
                    rng.gen_range(220..990),
                    rng.gen_range(0..10000)
                )
            } else {
                format!(
                    "({}) {}-{:04}",
                    pick(
                        rng,
                        &[212, 718, 213, 415, 312, 713, 305, 404, 206, 303, 617, 602]
                    ),
                    rng.gen_range(220..990),
                    rng.gen_range(0..10000)
                )
            }
        }
    }
}

fn schedule(rng: &mut StdRng, zone: &str) -> Schedule {
    if rng.gen_bool(0.15) {
        return Schedule {
            timezone: zone.into(),
            always_open: true,
            weekly: vec![],
        };
    }
    let (opens, closes) = *pick(
        rng,
        &[
            ("09:00", "17:00"),
            ("08:30", "16:30"),
            ("10:00", "18:00"),
            ("12:00", "20:00"),
            ("18:00", "08:00"),
        ],
    );
    let days = if rng.gen_bool(0.3) { 1..=6 } else { 1..=5 };
    let mut weekly: Vec<Opening> = days
        .map(|d| Opening {
            weekday: d,
            opens: opens.into(),
            closes: closes.into(),
        })
        .collect();
    if rng.gen_bool(0.2) {
        weekly.push(Opening {
            weekday: 7,
            opens: "10:00".into(),
            closes: "14:00".into(),
        });
    }
    Schedule {
        timezone: zone.into(),
        always_open: false,
        weekly,
    }
}

fn weighted_language(rng: &mut StdRng) -> &'static str {
    let total: u32 = PRIMARY.iter().map(|(_, w)| w).sum();
    let mut x = rng.gen_range(0..total);
    for (l, w) in PRIMARY {
        if x < *w {
            return l;
        }
        x -= w;
    }
    "en"
}

fn record(rng: &mut StdRng, i: usize) -> Record {
    let place = pick(rng, PLACES);
    let primary = weighted_language(rng);
    let mut langs = vec![primary];
    if primary != "en" && rng.gen_bool(0.6) {
        langs.push("en");
    } else if primary == "en" && rng.gen_bool(0.35) {
        langs.push(*pick(rng, &["es", "fr", "pt", "uk"]));
    }
    let org = format!("{} {}", proper_noun(rng), words_in(rng, primary, 1..3));
    let mut organization = BTreeMap::new();
    let mut name = BTreeMap::new();
    let mut description = BTreeMap::new();
    for l in &langs {
        organization.insert((*l).to_owned(), org.clone());
        name.insert(
            (*l).to_owned(),
            format!("{} {}", words_in(rng, l, 2..5), place.city),
        );
        // One sentence: real HSDS-aligned records (the packaged seed) carry ~75 bytes of
        // description per language; four sentences made records twice their size.
        description.insert((*l).to_owned(), sentence(rng, l, 6..14));
    }
    let mut categories: Vec<Category> = (0..rng.gen_range(1..4))
        .map(|_| *pick(rng, &Category::ALL[1..]))
        .collect();
    categories.sort();
    categories.dedup();
    let national = rng.gen_bool(0.05);
    let locations = vec![Location {
        name: BTreeMap::new(),
        address: (!national).then(|| {
            format!(
                "{} {} {}, {}",
                rng.gen_range(1..2000),
                proper_noun(rng),
                pick(rng, STREETS),
                place.city
            )
        }),
        country: place.country.into(),
        region: (!national).then(|| place.region.into()),
        latitude: (!national).then(|| place.lat + rng.gen_range(-0.2..0.2)),
        longitude: (!national).then(|| place.lon + rng.gen_range(-0.2..0.2)),
    }];
    let mut phones = vec![Phone {
        number: phone_number(rng, place.country),
        country: place.country.into(),
        kind: PhoneKind::Voice,
        keyword: None,
        hours: None,
        languages: langs.iter().map(|l| (*l).to_owned()).collect(),
        description: BTreeMap::new(),
        cost: None,
    }];
    if rng.gen_bool(0.3) {
        phones.push(Phone {
            number: phone_number(rng, place.country),
            country: place.country.into(),
            kind: if rng.gen_bool(0.5) {
                PhoneKind::Sms
            } else {
                PhoneKind::Whatsapp
            },
            keyword: None,
            hours: None,
            languages: vec![],
            description: BTreeMap::from([("en".to_owned(), "Text line".to_owned())]),
            cost: None,
        });
    }
    if rng.gen_bool(0.03) {
        let (number, country) = match place.country {
            "FR" => ("116 006", "FR"),
            "GB" => ("116 123", "GB"),
            "ES" => ("016", "ES"),
            "CA" => ("988", "CA"),
            _ => ("988", "US"),
        };
        phones.push(Phone {
            number: number.into(),
            country: country.into(),
            kind: PhoneKind::Voice,
            keyword: None,
            hours: None,
            languages: vec![],
            description: BTreeMap::new(),
            cost: None,
        });
    }
    // A DNS label: no leading or trailing hyphen (the shared e-mail grammar refuses them).
    let slug = org
        .to_ascii_lowercase()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "-")
        .trim_matches('-')
        .to_owned();
    Record {
        id: format!("syn-{i:06}"),
        organization,
        name,
        description,
        categories,
        languages: langs.iter().map(|l| (*l).to_owned()).collect(),
        locations,
        phones,
        websites: if rng.gen_bool(0.7) {
            vec![format!("https://{slug}.example.org/")]
        } else {
            vec![]
        },
        emails: if rng.gen_bool(0.4) {
            vec![format!("help@{slug}.example.org")]
        } else {
            vec![]
        },
        schedule: rng.gen_bool(0.85).then(|| schedule(rng, place.zone)),
        eligibility: if rng.gen_bool(0.5) {
            BTreeMap::from([(primary.to_owned(), sentence(rng, primary, 6..12))])
        } else {
            BTreeMap::new()
        },
        fees: Fees {
            free: rng.gen_bool(0.8),
            description: BTreeMap::new(),
        },
        accessibility: if rng.gen_bool(0.3) {
            BTreeMap::from([(primary.to_owned(), sentence(rng, primary, 4..9))])
        } else {
            BTreeMap::new()
        },
        last_verified: format!(
            "2026-{:02}-{:02}",
            rng.gen_range(1..11),
            rng.gen_range(1..29)
        ),
        source: format!("https://{slug}.example.org/about"),
    }
}

/// Fixed test keys (secrets `[1; 32]`, `[2; 32]`, `[3; 32]`, threshold 2), like the
/// directory tests' fixture: the keyset and bundles signed by two of the three.
pub struct TestPublisher {
    /// The three publisher keys.
    pub keys: Vec<PublisherKey>,
    /// The root keyset envelope (version 1), signed by keys 1 and 2.
    pub keyset: Vec<u8>,
}

impl TestPublisher {
    /// The publisher, with a keyset that expires at `expires`.
    pub fn new(expires: i64) -> Self {
        let keys: Vec<PublisherKey> = (1..=3)
            .map(|i| PublisherKey::from_secret_bytes(&[i; 32]))
            .collect();
        let ks = build_keyset(
            1,
            expires,
            2,
            keys.iter().map(|k| k.public_entry()).collect(),
        );
        let keyset = sign_keyset(&ks, &[&keys[0], &keys[1]]);
        TestPublisher { keys, keyset }
    }

    /// The two keys that sign bundles and deltas.
    pub fn signers(&self) -> [&PublisherKey; 2] {
        [&self.keys[1], &self.keys[2]]
    }

    /// A full bundle of `records`, signed by [`TestPublisher::signers`].
    pub fn bundle(
        &self,
        version: u64,
        created: i64,
        expires: i64,
        records: &[Record],
    ) -> Result<Vec<u8>> {
        build_bundle(version, created, expires, records, &self.signers())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthetic_records_are_deterministic_and_structurally_valid() {
        let a = records(500, 7);
        assert_eq!(a, records(500, 7));
        for r in &a {
            r.validate().expect("valid record");
        }
        let mut b = a.clone();
        let changed = edit(&mut b, 10, 1);
        assert_eq!(changed.len(), 10);
        let differing = a.iter().zip(&b).filter(|(x, y)| x != y).count();
        assert_eq!(differing, 10);
    }
}

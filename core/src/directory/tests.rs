//! Directory tests: packaged data, search relevance and filters, open-now across DST, dial
//! URIs, updates (rollback, expiry, deltas, invalid phones), tampering, favourites.

use std::collections::BTreeMap;

use waypoint_format::publish::{
    build_bundle, build_delta, build_keyset, sign_keyset, PublisherKey,
};
use waypoint_format::record::{
    Category, Fees, Location, Opening, Phone, PhoneKind, Record, Schedule,
};
use waypoint_format::{verify_bundle, Policy};

use super::install::validate_for_dialling;
use super::*;

/// 2026-01-14 (a Wednesday) 15:00 UTC = 10:00 in New York (EST).
const NOW: i64 = 1_768_402_800;
const YEAR: i64 = 365 * 86_400;

pub(crate) struct Fixture {
    pub keys: Vec<PublisherKey>,
    pub keyset: Vec<u8>,
    pub packaged: Vec<u8>,
}

impl Fixture {
    pub fn new() -> Self {
        let keys: Vec<PublisherKey> = (1..=3)
            .map(|i| PublisherKey::from_secret_bytes(&[i; 32]))
            .collect();
        let ks = build_keyset(
            1,
            NOW + 10 * YEAR,
            2,
            keys.iter().map(|k| k.public_entry()).collect(),
        );
        let keyset = sign_keyset(&ks, &[&keys[0], &keys[1]]);
        let packaged = build_bundle(
            1,
            NOW - 100,
            NOW + YEAR,
            &fixture_records(),
            &[&keys[0], &keys[1]],
        )
        .expect("packaged");
        Fixture {
            keys,
            keyset,
            packaged,
        }
    }

    pub fn trust(&self) -> Trust<'_> {
        Trust {
            root_keyset: &self.keyset,
            packaged_bundle: &self.packaged,
        }
    }

    pub fn bundle(&self, version: u64, created: i64, expires: i64, records: &[Record]) -> Vec<u8> {
        build_bundle(
            version,
            created,
            expires,
            records,
            &[&self.keys[1], &self.keys[2]],
        )
        .expect("bundle")
    }

    fn keyset_parsed(&self) -> waypoint_format::VerifiedKeyset {
        waypoint_format::verify_root_keyset(&self.keyset, NOW).expect("keyset")
    }
}

fn text(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect()
}

fn base(id: &str, name: &[(&str, &str)], country: &str) -> Record {
    Record {
        id: id.into(),
        organization: text(&[("en", "Test org")]),
        name: text(name),
        description: BTreeMap::new(),
        categories: vec![Category::Hotline],
        languages: vec!["en".into()],
        locations: vec![Location {
            name: BTreeMap::new(),
            address: None,
            country: country.into(),
            region: None,
            latitude: None,
            longitude: None,
        }],
        phones: vec![],
        websites: vec![],
        emails: vec![],
        schedule: None,
        eligibility: BTreeMap::new(),
        fees: Fees {
            free: true,
            description: BTreeMap::new(),
        },
        accessibility: BTreeMap::new(),
        last_verified: "2026-01-01".into(),
        source: "test".into(),
    }
}

fn phone(n: &str, c: &str, kind: PhoneKind) -> Phone {
    Phone {
        number: n.into(),
        country: c.into(),
        kind,
        keyword: None,
        hours: None,
        languages: vec![],
        description: BTreeMap::new(),
        cost: None,
    }
}

fn nine_to_five(tz: &str) -> Schedule {
    Schedule {
        timezone: tz.into(),
        always_open: false,
        weekly: (1..=5)
            .map(|d| Opening {
                weekday: d,
                opens: "09:00".into(),
                closes: "17:00".into(),
            })
            .collect(),
    }
}

pub(crate) fn fixture_records() -> Vec<Record> {
    let mut trafficking = base(
        "trafficking-line",
        &[
            ("en", "Human Trafficking Hotline"),
            ("es", "Línea contra la Trata y el Tráfico de Personas"),
        ],
        "US",
    );
    trafficking.description = text(&[
        ("en", "Help for survivors of trafficking"),
        ("es", "Ayuda para sobrevivientes"),
    ]);
    trafficking.languages = vec!["en".into(), "es".into()];
    trafficking.phones = vec![
        phone("1-888-373-7888", "US", PhoneKind::Voice),
        phone("233733", "US", PhoneKind::Sms),
    ];
    trafficking.schedule = Some(Schedule {
        timezone: "America/New_York".into(),
        always_open: true,
        weekly: vec![],
    });

    let mut legal = base(
        "legal-clinic-brooklyn",
        &[("en", "Immigration Legal Clinic")],
        "US",
    );
    legal.categories = vec![Category::LegalAid, Category::Immigration];
    legal.description = text(&[("en", "T visa applications for trafficking survivors")]);
    legal.languages = vec!["en".into(), "fr".into()];
    legal.locations[0].region = Some("US-NY".into());
    legal.locations[0].latitude = Some(40.6782);
    legal.locations[0].longitude = Some(-73.9442);
    legal.phones = vec![phone("(718) 555-0100", "US", PhoneKind::Voice)];
    legal.schedule = Some(nine_to_five("America/New_York"));
    legal.fees.free = false;

    let mut shelter = base(
        "shelter-manhattan",
        &[
            ("en", "Safe Haven Emergency Shelter"),
            ("fr", "Refuge d'urgence"),
        ],
        "US",
    );
    shelter.categories = vec![Category::EmergencyShelter];
    shelter.locations[0].region = Some("US-NY".into());
    shelter.locations[0].latitude = Some(40.7831);
    shelter.locations[0].longitude = Some(-73.9712);
    shelter.websites = vec!["https://shelter.example.org/".into()];
    shelter.schedule = Some(Schedule {
        timezone: "America/New_York".into(),
        always_open: true,
        weekly: vec![],
    });

    let mut la = base(
        "clinic-los-angeles",
        &[("en", "Counselling and Medical Clinic")],
        "US",
    );
    la.categories = vec![Category::Medical, Category::MentalHealth];
    la.locations[0].region = Some("US-CA".into());
    la.locations[0].latitude = Some(34.0522);
    la.locations[0].longitude = Some(-118.2437);
    la.schedule = Some(nine_to_five("America/Los_Angeles"));

    let mut fr = base(
        "fr-victimes",
        &[
            ("fr", "Aide aux victimes – écoute"),
            ("en", "Victims' helpline"),
        ],
        "FR",
    );
    fr.languages = vec!["fr".into()];
    fr.phones = vec![phone("116 006", "FR", PhoneKind::Voice)];

    vec![trafficking, legal, shelter, la, fr]
}

fn store_with(fx: &Fixture) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_with(dir.path(), &[crate::store::META, DIRECTORY]).expect("store");
    open_with(&store, &fx.trust(), NOW).expect("open directory");
    (dir, store)
}

fn q(text: &str) -> Query {
    Query {
        text: text.into(),
        user_language: "en".into(),
        ..Query::default()
    }
}

fn ids(rs: &[Resource]) -> Vec<&str> {
    rs.iter().map(|r| r.id.as_str()).collect()
}

#[test]
fn packaged_bundle_verifies_and_holds_the_required_help_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_with(dir.path(), &[crate::store::META, DIRECTORY]).expect("store");
    open(&store, NOW).expect("open with pinned trust");
    let all = search(
        &store,
        &Query {
            limit: 500,
            ..q("")
        },
        NOW,
    )
    .expect("all");
    let uris: Vec<&str> = all
        .iter()
        .flat_map(|r| r.actions.iter().map(|a| a.uri.as_str()))
        .collect();
    for want in [
        "tel:+18883737888",
        "sms:233733;phone-context=+1",
        "tel:+18007997233",
        "tel:+18007873224",
        "sms:88788;phone-context=+1",
        "tel:988;phone-context=+1",
        "sms:988;phone-context=+1",
        "tel:+18006564673",
        "tel:+448000121700",
        "tel:+448082000247",
        "tel:+18339001010",
        "tel:+611800737732",
        "tel:116006;phone-context=+33",
        "tel:911;phone-context=+1",
        "tel:999;phone-context=+44",
        "tel:000;phone-context=+61",
    ] {
        assert!(uris.contains(&want), "packaged directory lacks {want}");
    }
    let start = all
        .iter()
        .flat_map(|r| &r.actions)
        .find(|a| a.uri == "sms:88788;phone-context=+1")
        .expect("text START");
    assert_eq!(start.keyword.as_deref(), Some("START"));
    for r in &all {
        assert!(
            !r.source.is_empty() && r.last_verified.len() == 10,
            "{} lacks source/date",
            r.id
        );
    }
    let st = status(&store, &Trust::pinned(), NOW)
        .expect("status")
        .expect("installed");
    assert_eq!(st.origin, Origin::Packaged);
    assert!(!st.stale);
}

#[test]
fn search_ranks_name_matches_first() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    let hits = search(&store, &q("trafficking"), NOW).expect("search");
    // Name match beats a description-only match.
    assert_eq!(
        ids(&hits),
        vec!["trafficking-line", "legal-clinic-brooklyn"]
    );
    let hits = search(&store, &q("clinic"), NOW).expect("search");
    assert_eq!(hits.len(), 2);
    assert!(search(&store, &q("zzzz"), NOW).expect("none").is_empty());
}

#[test]
fn search_folds_diacritics_and_matches_prefixes_in_every_language() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    for typed in ["tráfico", "TRAFICO", "trafi", "ecoute", "écou", "refuge"] {
        let hits = search(&store, &q(typed), NOW).expect("search");
        assert!(!hits.is_empty(), "{typed} found nothing");
    }
    assert_eq!(
        ids(&search(&store, &q("tráfico"), NOW).expect("s")),
        vec!["trafficking-line"]
    );
    assert_eq!(
        ids(&search(&store, &q("ecoute"), NOW).expect("s")),
        vec!["fr-victimes"]
    );
    // Numbers are searchable too.
    assert_eq!(
        ids(&search(&store, &q("233733"), NOW).expect("s")),
        vec!["trafficking-line"]
    );
}

#[test]
fn answers_in_the_users_language_with_fallback() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    let es = show(&store, "trafficking-line", "es-MX", NOW).expect("show");
    assert_eq!(es.name, "Línea contra la Trata y el Tráfico de Personas");
    assert_eq!(es.text_language, "es");
    let de = show(&store, "trafficking-line", "de", NOW).expect("show");
    assert_eq!(de.name, "Human Trafficking Hotline");
    let fr_only = show(&store, "fr-victimes", "ja", NOW).expect("show");
    assert_eq!(fr_only.name, "Victims' helpline");
    assert!(matches!(
        show(&store, "missing", "en", NOW),
        Err(Error::NotFound)
    ));
}

#[test]
fn filters_narrow_results() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    let run = |query: Query| {
        ids(&search(&store, &query, NOW).expect("search"))
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    };
    let mut cat = q("");
    cat.categories = vec![Category::Immigration, Category::Medical];
    assert_eq!(
        run(cat),
        vec!["clinic-los-angeles", "legal-clinic-brooklyn"]
    );
    let mut lang = q("");
    lang.spoken_language = Some("fr-CA".into());
    assert_eq!(run(lang), vec!["legal-clinic-brooklyn", "fr-victimes"]);
    let mut free = q("clinic");
    free.free = true;
    assert_eq!(run(free), vec!["clinic-los-angeles"]);
    let mut always = q("");
    always.always_open = true;
    // Without search words results come in name order.
    assert_eq!(run(always), vec!["trafficking-line", "shelter-manhattan"]);
    let mut region = q("");
    region.country = Some("US".into());
    region.region = Some("US-CA".into());
    // National services count in every region.
    assert_eq!(run(region), vec!["clinic-los-angeles", "trafficking-line"]);
    let mut fr = q("");
    fr.country = Some("fr".into());
    assert_eq!(run(fr), vec!["fr-victimes"]);
}

#[test]
fn open_now_is_right_across_daylight_saving_time() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    let open_at = |t: i64| {
        let mut query = q("clinic");
        query.open_now = true;
        ids(&search(&store, &query, t).expect("search"))
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
    };
    // Winter: 14:30 UTC = 09:30 EST (Brooklyn open), 06:30 PST (LA closed).
    assert_eq!(open_at(1_768_401_000), vec!["legal-clinic-brooklyn"]);
    // Summer, same UTC time of day: 10:30 EDT open, 07:30 PDT closed.
    assert_eq!(open_at(1_784_039_400), vec!["legal-clinic-brooklyn"]);
    // Winter 13:30 UTC = 08:30 EST: closed; summer 13:30 UTC = 09:30 EDT: open.
    assert!(open_at(1_768_397_400).is_empty());
    assert_eq!(open_at(1_784_035_800), vec!["legal-clinic-brooklyn"]);
    // 17:30 UTC in winter: 12:30 EST and 09:30 PST: both open.
    assert_eq!(open_at(1_768_411_800).len(), 2);
}

#[test]
fn distance_filter_and_sort_from_a_chosen_place() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    let mut query = q("");
    query.near = Some((40.7128, -74.0060)); // lower Manhattan
    query.sort = Sort::Distance;
    query.country = Some("US".into());
    let hits = search(&store, &query, NOW).expect("search");
    assert_eq!(
        ids(&hits),
        vec![
            "legal-clinic-brooklyn",
            "shelter-manhattan",
            "clinic-los-angeles",
            "trafficking-line"
        ]
    );
    assert!(hits[0].distance_km.expect("km") < 10.0);
    assert!(
        hits[3].distance_km.is_none(),
        "national line has no distance"
    );
    query.max_km = Some(50.0);
    assert_eq!(
        ids(&search(&store, &query, NOW).expect("search")),
        vec![
            "legal-clinic-brooklyn",
            "shelter-manhattan",
            "trafficking-line"
        ]
    );
    let mut bad = q("");
    bad.sort = Sort::Distance;
    assert!(matches!(
        search(&store, &bad, NOW),
        Err(Error::InvalidInput { .. })
    ));
    // A radius that is not a number is refused (every distance compares false with it).
    let mut nan = query.clone();
    nan.max_km = Some(f64::NAN);
    assert!(matches!(
        search(&store, &nan, NOW),
        Err(Error::InvalidInput { .. })
    ));
}

#[test]
fn results_carry_validated_dial_actions() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    let r = show(&store, "trafficking-line", "en", NOW).expect("show");
    let uris: Vec<&str> = r.actions.iter().map(|a| a.uri.as_str()).collect();
    assert_eq!(
        uris,
        vec!["tel:+18883737888", "sms:233733;phone-context=+1"]
    );
    let fr = show(&store, "fr-victimes", "fr", NOW).expect("show");
    assert_eq!(fr.actions[0].uri, "tel:116006;phone-context=+33");
    assert!(fr.actions[0].local_only);
}

#[test]
fn newer_bundle_installs_and_status_reports_it() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    let mut recs = fixture_records();
    recs.push(base("new-service", &[("en", "Brand New Service")], "US"));
    let out = apply_update_with(
        &store,
        &fx.trust(),
        NOW,
        Update::Bundle(&fx.bundle(2, NOW, NOW + YEAR, &recs)),
    )
    .expect("apply");
    assert_eq!(out, UpdateOutcome::Installed { version: 2 });
    assert_eq!(installed_version(&store).expect("v"), Some(2));
    assert_eq!(
        ids(&search(&store, &q("brand new"), NOW).expect("s")),
        vec!["new-service"]
    );
    let again = apply_update_with(
        &store,
        &fx.trust(),
        NOW,
        Update::Bundle(&fx.bundle(2, NOW, NOW + YEAR, &recs)),
    )
    .expect("again");
    assert_eq!(again, UpdateOutcome::AlreadyCurrent { version: 2 });
    // Survives reopening (re-verified on load).
    open_with(&store, &fx.trust(), NOW).expect("reopen");
    assert_eq!(
        status(&store, &fx.trust(), NOW)
            .expect("st")
            .expect("some")
            .origin,
        Origin::Update
    );
}

#[test]
fn rollback_to_an_older_bundle_is_refused_and_changes_nothing() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    apply_update_with(
        &store,
        &fx.trust(),
        NOW,
        Update::Bundle(&fx.bundle(5, NOW, NOW + YEAR, &fixture_records())),
    )
    .expect("v5");
    let old = fx.bundle(4, NOW, NOW + YEAR, &fixture_records()[..1]);
    let err =
        apply_update_with(&store, &fx.trust(), NOW, Update::Bundle(&old)).expect_err("rollback");
    assert!(
        matches!(err, Error::Verification(ref m) if m.contains("rollback")),
        "{err}"
    );
    assert_eq!(installed_version(&store).expect("v"), Some(5));
    assert_eq!(search(&store, &q(""), NOW).expect("s").len(), 5);
}

#[test]
fn expired_bundle_is_refused_even_after_the_clock_is_wound_back() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    // Seen at NOW + 10 days: the latest known time moves forward.
    let later = NOW + 10 * 86_400;
    apply_update_with(
        &store,
        &fx.trust(),
        later,
        Update::Bundle(&fx.bundle(2, later, NOW + YEAR, &fixture_records())),
    )
    .expect("v2");
    // A bundle that expired at NOW + 5 days, offered with the clock set back to NOW.
    let stale = fx.bundle(3, NOW, NOW + 5 * 86_400, &fixture_records());
    let err =
        apply_update_with(&store, &fx.trust(), NOW, Update::Bundle(&stale)).expect_err("expired");
    assert!(
        matches!(err, Error::Verification(ref m) if m.contains("expired")),
        "{err}"
    );
}

#[test]
fn forged_bundle_is_refused() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    let stranger = PublisherKey::from_secret_bytes(&[42; 32]);
    let other = PublisherKey::from_secret_bytes(&[43; 32]);
    let forged =
        build_bundle(9, NOW, NOW + YEAR, &fixture_records(), &[&stranger, &other]).expect("forged");
    assert!(matches!(
        apply_update_with(&store, &fx.trust(), NOW, Update::Bundle(&forged)),
        Err(Error::Verification(_))
    ));
    let one_sig =
        build_bundle(9, NOW, NOW + YEAR, &fixture_records(), &[&fx.keys[0]]).expect("one");
    assert!(matches!(
        apply_update_with(&store, &fx.trust(), NOW, Update::Bundle(&one_sig)),
        Err(Error::Verification(ref m)) if m.contains("too few")
    ));
    assert!(matches!(
        apply_update_with(&store, &fx.trust(), NOW, Update::Bundle(b"\x00garbage")),
        Err(Error::Verification(_))
    ));
    assert_eq!(installed_version(&store).expect("v"), Some(1));
}

#[test]
fn record_with_an_invalid_phone_rejects_the_whole_update() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    let mut recs = fixture_records();
    recs[1].phones = vec![phone("1-555-0100-000", "US", PhoneKind::Voice)];
    let err = apply_update_with(
        &store,
        &fx.trust(),
        NOW,
        Update::Bundle(&fx.bundle(2, NOW, NOW + YEAR, &recs)),
    )
    .expect_err("invalid phone");
    assert!(
        matches!(err, Error::Verification(ref m) if m.contains("legal-clinic-brooklyn")),
        "{err}"
    );
    assert_eq!(installed_version(&store).expect("v"), Some(1));
    assert_eq!(
        show(&store, "legal-clinic-brooklyn", "en", NOW)
            .expect("kept")
            .actions[0]
            .uri,
        "tel:+17185550100"
    );
}

#[test]
fn delta_applies_and_wrong_base_is_refused() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    let keyset = fx.keyset_parsed();
    let any = Policy::update(NOW, None);
    let v1 = verify_bundle(&fx.packaged, &keyset, &any).expect("v1");
    let mut recs = fixture_records();
    recs.remove(3);
    recs[0]
        .name
        .insert("fr".into(), "Ligne contre la traite".into());
    let v2 = verify_bundle(&fx.bundle(2, NOW, NOW + YEAR, &recs), &keyset, &any).expect("v2");
    let delta = build_delta(&v1, &v2, &[&fx.keys[0], &fx.keys[2]]).expect("delta");
    assert_eq!(
        apply_update_with(&store, &fx.trust(), NOW, Update::Delta(&delta)).expect("apply"),
        UpdateOutcome::Installed { version: 2 }
    );
    assert_eq!(
        ids(&search(&store, &q("traite"), NOW).expect("s")),
        vec!["trafficking-line"]
    );
    assert!(matches!(
        show(&store, "clinic-los-angeles", "en", NOW),
        Err(Error::NotFound)
    ));
    // The same delta again: its base (v1) is no longer held.
    let err =
        apply_update_with(&store, &fx.trust(), NOW, Update::Delta(&delta)).expect_err("wrong base");
    assert!(
        matches!(err, Error::Verification(ref m) if m.contains("delta base")),
        "{err}"
    );
    // The chain bundle + delta re-verifies on load.
    open_with(&store, &fx.trust(), NOW).expect("reopen");
    assert_eq!(installed_version(&store).expect("v"), Some(2));
    assert_eq!(
        status(&store, &fx.trust(), NOW)
            .expect("s")
            .expect("s")
            .resources,
        4
    );
}

#[test]
fn tampered_local_records_are_detected_and_rebuilt_from_signed_bytes() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    apply_update_with(
        &store,
        &fx.trust(),
        NOW,
        Update::Bundle(&fx.bundle(2, NOW, NOW + YEAR, &fixture_records())),
    )
    .expect("v2");
    // Someone with the file swaps the hotline's number in the searchable table.
    store
        .with_conn(|c| {
            c.execute(
                "UPDATE directory_record SET raw = replace(raw, '1-888-373-7888', '1-212-555-0199'),
                     actions = replace(actions, '+18883737888', '+12125550199')
                 WHERE id = 'trafficking-line'",
                [],
            )?;
            Ok(())
        })
        .expect("tamper");
    assert_eq!(
        show(&store, "trafficking-line", "en", NOW)
            .expect("s")
            .actions[0]
            .uri,
        "tel:+12125550199"
    );
    open_with(&store, &fx.trust(), NOW).expect("reopen");
    assert_eq!(
        show(&store, "trafficking-line", "en", NOW)
            .expect("s")
            .actions[0]
            .uri,
        "tel:+18883737888"
    );
    assert_eq!(
        installed_version(&store).expect("v"),
        Some(2),
        "rebuilt from its own signed bytes"
    );
}

#[test]
fn tampered_signed_bytes_fall_back_to_the_packaged_bundle() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    let mut recs = fixture_records();
    recs[0].phones[0].number = "1-800-799-7233".into();
    apply_update_with(
        &store,
        &fx.trust(),
        NOW,
        Update::Bundle(&fx.bundle(2, NOW, NOW + YEAR, &recs)),
    )
    .expect("v2");
    store
        .with_conn(|c| {
            c.execute("UPDATE directory_signed SET bytes = CAST(replace(CAST(bytes AS TEXT), 'A', 'B') AS BLOB)", [])?;
            Ok(())
        })
        .expect("tamper");
    open_with(&store, &fx.trust(), NOW).expect("reopen");
    let st = status(&store, &fx.trust(), NOW).expect("s").expect("s");
    assert_eq!((st.version, st.origin), (1, Origin::Packaged));
    assert_eq!(
        show(&store, "trafficking-line", "en", NOW)
            .expect("s")
            .actions[0]
            .uri,
        "tel:+18883737888"
    );
}

/// Keyset version 2 with three new publisher keys, signed by thresholds of the fixture's
/// keys and the new ones: (new keys, rotation envelope).
fn rotation_to_new_keys(fx: &Fixture) -> (Vec<PublisherKey>, Vec<u8>) {
    let new_keys: Vec<PublisherKey> = (10..=12)
        .map(|i| PublisherKey::from_secret_bytes(&[i; 32]))
        .collect();
    let ks2 = build_keyset(
        2,
        NOW + YEAR,
        2,
        new_keys.iter().map(|k| k.public_entry()).collect(),
    );
    let rotation = sign_keyset(
        &ks2,
        &[&fx.keys[0], &fx.keys[1], &new_keys[0], &new_keys[1]],
    );
    (new_keys, rotation)
}

#[test]
fn keyset_rotation_is_stored_and_then_required() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    let (new_keys, rotation) = rotation_to_new_keys(&fx);
    assert_eq!(
        apply_update_with(&store, &fx.trust(), NOW, Update::Keyset(&rotation)).expect("rotate"),
        UpdateOutcome::KeysetRotated { version: 2 }
    );
    // Old publishers can no longer publish; new ones can.
    let old = fx.bundle(2, NOW, NOW + YEAR, &fixture_records());
    assert!(apply_update_with(&store, &fx.trust(), NOW, Update::Bundle(&old)).is_err());
    let new = build_bundle(
        2,
        NOW,
        NOW + YEAR,
        &fixture_records(),
        &[&new_keys[1], &new_keys[2]],
    )
    .expect("b");
    assert_eq!(
        apply_update_with(&store, &fx.trust(), NOW, Update::Bundle(&new)).expect("new keys"),
        UpdateOutcome::Installed { version: 2 }
    );
}

#[test]
fn favourites_are_sealed_and_never_stored_in_plaintext() {
    let fx = Fixture::new();
    let (dir, store) = store_with(&fx);
    let session = crate::vault::test_session(crate::vault::Role::Primary);
    let note = "call after 6 when he is out xyzzy";
    let fav = favourites::add(&store, &session, "shelter-manhattan", note, 1).expect("add");
    assert!(!format!("{fav:?}").contains("shelter"));
    favourites::set_note(&store, &session, &fav.id, "second note plugh").expect("note");
    let list = favourites::list(&store, &session).expect("list");
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].resource_id.as_str(), list[0].note.as_str()),
        ("shelter-manhattan", "second note plugh")
    );
    assert!(matches!(
        favourites::add(&store, &session, "nope", "", 1),
        Err(Error::NotFound)
    ));
    store.checkpoint().expect("checkpoint");
    for entry in std::fs::read_dir(dir.path()).expect("dir") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("read");
        let hay = String::from_utf8_lossy(&bytes);
        assert!(
            !hay.contains("xyzzy") && !hay.contains("plugh"),
            "note found in plaintext on disk"
        );
    }
    favourites::remove(&store, &session, &fav.id).expect("remove");
    assert!(favourites::list(&store, &session).expect("list").is_empty());
}

#[test]
fn each_vault_sees_only_its_own_favourites() {
    use crate::vault::{test_session, Role};
    let fx = Fixture::new();
    let (_dir, store) = store_with(&fx);
    let real = test_session(Role::Primary);
    let decoy = test_session(Role::Duress);
    let mine = favourites::add(&store, &real, "shelter-manhattan", "real note", 1).expect("add");
    // Before rows were tagged, the vault that had not written a favourite got a storage
    // error here; now the other vault's row is simply not its own.
    assert!(favourites::list(&store, &decoy)
        .expect("decoy list")
        .is_empty());
    let theirs = favourites::add(&store, &decoy, "shelter-manhattan", "decoy", 2).expect("add");
    assert_eq!(
        favourites::list(&store, &decoy).expect("decoy list")[0].id,
        theirs.id
    );
    // The decoy cannot change or remove the real one by id, and vice versa.
    assert!(matches!(
        favourites::set_note(&store, &decoy, &mine.id, "x"),
        Err(Error::NotFound)
    ));
    assert!(matches!(
        favourites::remove(&store, &decoy, &mine.id),
        Err(Error::NotFound)
    ));
    assert!(matches!(
        favourites::remove(&store, &real, &theirs.id),
        Err(Error::NotFound)
    ));
    let list = favourites::list(&store, &real).expect("real list");
    assert_eq!(list.len(), 1);
    assert_eq!(
        (list[0].id.as_str(), list[0].note.as_str()),
        (mine.id.as_str(), "real note")
    );
}

#[test]
fn untagged_favourites_from_before_the_upgrade_go_to_the_vault_that_wrote_them() {
    use crate::vault::{test_session, Role};
    let fx = Fixture::new();
    let (_dir, store) = store_with(&fx);
    let real = test_session(Role::Primary);
    let decoy = test_session(Role::Duress);
    let a = favourites::add(&store, &real, "shelter-manhattan", "real", 1).expect("add");
    let b = favourites::add(&store, &decoy, "shelter-manhattan", "decoy", 2).expect("add");
    // As a database from before step 4 leaves them: no tags.
    store
        .with_conn(|c| {
            c.execute("UPDATE directory_favourite SET tag = NULL", [])?;
            Ok(())
        })
        .expect("untag");
    let ids = |s: &crate::session::Session| -> Vec<String> {
        favourites::list(&store, s)
            .expect("list")
            .iter()
            .map(|f| f.id.clone())
            .collect()
    };
    assert_eq!(ids(&decoy), vec![b.id.clone()]);
    assert_eq!(ids(&real), vec![a.id.clone()]);
    let untagged: i64 = store
        .with_conn(|c| {
            Ok(c.query_row(
                "SELECT count(*) FROM directory_favourite WHERE tag IS NULL",
                [],
                |r| r.get(0),
            )?)
        })
        .expect("count");
    assert_eq!(untagged, 0, "each was claimed by its own vault");
    assert_eq!(ids(&real), vec![a.id.clone()]);
    assert_eq!(ids(&decoy), vec![b.id.clone()]);
}

#[test]
fn synthetic_benchmark_directory_passes_the_same_validation_as_a_real_one() {
    // The directory bench measures `waypoint_format::synth` data; a generator whose phones
    // or zones the app would refuse would make it measure a rejected update.
    let publisher = waypoint_format::synth::TestPublisher::new(NOW + 10 * YEAR);
    let records = waypoint_format::synth::records(3_000, 1);
    let bytes = publisher
        .bundle(2, NOW - 100, NOW + YEAR, &records)
        .expect("bundle");
    let keyset = waypoint_format::verify_root_keyset(&publisher.keyset, NOW).expect("keyset");
    let bundle = verify_bundle(&bytes, &keyset, &Policy::update(NOW, Some(1))).expect("verify");
    validate_for_dialling(bundle.records()).expect("every synthetic phone and zone validates");
}

#[test]
fn filters_find_matches_ranked_below_the_first_page() {
    // Search ranks in SQL and filters "open now" and distance after it: a LIMIT applied
    // before those filters would lose matches that rank low. Reference: the unfiltered
    // search (every match, in order) filtered here by what each result reports.
    let publisher = waypoint_format::synth::TestPublisher::new(NOW + 10 * YEAR);
    let records = waypoint_format::synth::records(1_500, 7);
    let bytes = publisher
        .bundle(2, NOW - 100, NOW + YEAR, &records)
        .expect("bundle");
    let trust = Trust {
        root_keyset: &publisher.keyset,
        packaged_bundle: &bytes,
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_with(dir.path(), &[crate::store::META, DIRECTORY]).expect("store");
    open_with(&store, &trust, NOW).expect("open directory");
    let nyc = (40.71, -74.01);
    let all = |mut query: Query| {
        query.limit = 500;
        search(&store, &query, NOW).expect("search")
    };
    let mut unfiltered = q("shelter");
    unfiltered.near = Some(nyc);
    let every = all(unfiltered.clone());
    assert!(
        every.len() > 20 && every.len() < 500,
        "{} matches",
        every.len()
    );
    let owned = |rs: &[Resource]| ids(rs).iter().map(|s| s.to_string()).collect::<Vec<_>>();
    // A short page is the head of the long one (ranking stops early at `limit`).
    for limit in [1, 2, 7, 20] {
        let mut page = unfiltered.clone();
        page.limit = limit;
        assert_eq!(
            owned(&search(&store, &page, NOW).expect("search")),
            owned(&every[..limit as usize])
        );
    }

    // Open now, relevance order.
    let mut open = unfiltered.clone();
    open.open_now = true;
    let expected: Vec<String> = every
        .iter()
        .filter(|r| r.open_now == Some(true))
        .map(|r| r.id.clone())
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(owned(&all(open.clone())), expected);
    open.limit = 3;
    let first_open = every
        .iter()
        .position(|r| r.open_now == Some(true))
        .expect("one open");
    assert_eq!(
        owned(&search(&store, &open, NOW).expect("search")),
        expected[..expected.len().min(3)]
    );

    // Within 30 km, relevance then distance order, where the nearest rank low.
    let mut near = unfiltered.clone();
    near.max_km = Some(30.0);
    let within: Vec<&Resource> = every
        .iter()
        .filter(|r| r.distance_km.is_none_or(|d| d <= 30.0))
        .collect();
    assert_eq!(
        owned(&all(near.clone())),
        within.iter().map(|r| r.id.clone()).collect::<Vec<_>>()
    );
    near.sort = Sort::Distance;
    near.limit = 5;
    let mut by_distance = within.clone();
    by_distance.sort_by(|a, b| match (a.distance_km, b.distance_km) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    let nearest = search(&store, &near, NOW).expect("search");
    assert_eq!(
        owned(&nearest),
        by_distance[..5]
            .iter()
            .map(|r| r.id.clone())
            .collect::<Vec<_>>()
    );
    let nearest_rank = every
        .iter()
        .position(|r| r.id == nearest[0].id)
        .expect("ranked");
    // The promise is only tested if the filtered results do not all sit on the first page.
    assert!(
        first_open >= 3 || nearest_rank >= 5,
        "fixture too easy: open at {first_open}, nearest at {nearest_rank}"
    );
}

#[test]
fn equal_scores_are_ordered_by_name_across_the_page_cut() {
    // Records that score the same for the words must come in name order even when the
    // page ends inside the tie (FTS5 ranks them in rowid order otherwise).
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    let names = [
        "Echo Place",
        "Delta Place",
        "Charlie Place",
        "Bravo Place",
        "Alpha Place",
    ];
    let records: Vec<Record> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mut r = base(&format!("r{}", i + 1), &[("en", n)], "US");
            r.description = text(&[("en", "Shelter")]);
            r
        })
        .collect();
    let bytes = fx.bundle(2, NOW - 50, NOW + YEAR, &records);
    apply_update_with(&store, &fx.trust(), NOW, Update::Bundle(&bytes)).expect("install");
    for (limit, expected) in [
        (1, vec!["r5"]),
        (2, vec!["r5", "r4"]),
        (5, vec!["r5", "r4", "r3", "r2", "r1"]),
    ] {
        let mut query = q("shelter");
        query.limit = limit;
        assert_eq!(ids(&search(&store, &query, NOW).expect("search")), expected);
    }
}

#[test]
fn damaged_search_tables_are_rebuilt_on_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_with(dir.path(), &[crate::store::META, DIRECTORY]).expect("store");
    open(&store, NOW).expect("open");
    let before = search(&store, &q("trafficking"), NOW).expect("search");
    assert!(!before.is_empty());
    // Someone with the files deletes the facet and full-text rows search reads first.
    store
        .with_conn(|c| {
            c.execute_batch(
                "DELETE FROM directory_facet; DELETE FROM directory_fts;
                 DELETE FROM directory_name_fts;",
            )?;
            Ok(())
        })
        .expect("tamper");
    assert!(search(&store, &q("trafficking"), NOW)
        .expect("search")
        .is_empty());
    open(&store, NOW).expect("reopen repairs");
    let after = search(&store, &q("trafficking"), NOW).expect("search");
    assert_eq!(ids(&after), ids(&before));
    // The name index alone: search would lose its first group; open notices and repairs.
    store
        .with_conn(|c| {
            c.execute_batch("DELETE FROM directory_name_fts;")?;
            Ok(())
        })
        .expect("tamper");
    open(&store, NOW).expect("reopen repairs");
    assert_eq!(
        ids(&search(&store, &q("trafficking"), NOW).expect("search")),
        ids(&before)
    );
}

#[test]
fn ranking_puts_names_holding_every_word_first_then_other_matches_each_in_name_order() {
    // The relevance rule (`search::ranked`): a record whose name holds every word comes
    // before any record that holds them elsewhere (or partly in the name), whatever their
    // names; each group is in name order (folded, English or first), across page cuts and
    // through the filters.
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    let mut records = vec![
        base("zeta", &[("en", "Zeta Legal Aid")], "US"),
        base(
            "alpha",
            &[
                ("es", "Álpha Ayuda Legal"),
                ("en", "Alpha Legal Aid Society"),
            ],
            "US",
        ),
        base("beta", &[("en", "Beta Legal Services")], "US"),
        base("aardvark", &[("en", "Aardvark Help")], "US"),
        base("gamma", &[("en", "Gamma Aid")], "US"),
        base("other", &[("en", "Food Bank")], "US"),
        base("omega", &[("en", "Omega Legal Aid")], "FR"),
    ];
    records[2].description = text(&[("en", "Free aid for tenants")]);
    records[3].description = text(&[("en", "Legal aid clinic")]);
    records[4].organization = text(&[("en", "Legal Help Org")]);
    let bytes = fx.bundle(2, NOW - 50, NOW + YEAR, &records);
    apply_update_with(&store, &fx.trust(), NOW, Update::Bundle(&bytes)).expect("install");
    let every = ["alpha", "omega", "zeta", "aardvark", "beta", "gamma"];
    for limit in [1, 2, 3, 4, 50] {
        let mut query = q("legal aid");
        query.limit = limit;
        assert_eq!(
            ids(&search(&store, &query, NOW).expect("search")),
            every[..every.len().min(limit as usize)],
            "limit {limit}"
        );
    }
    let mut us = q("LEGAL ai");
    us.country = Some("US".into());
    assert_eq!(
        ids(&search(&store, &us, NOW).expect("search")),
        ["alpha", "zeta", "aardvark", "beta", "gamma"]
    );
}

/// Keyset 2: keys[0], keys[1] and a new key, threshold 2 — keys[2] is dropped.
fn rotation_dropping_key_2(fx: &Fixture) -> (Vec<u8>, PublisherKey) {
    let new = PublisherKey::from_secret_bytes(&[20; 32]);
    let ks2 = build_keyset(
        2,
        NOW + 5 * YEAR,
        2,
        vec![
            fx.keys[0].public_entry(),
            fx.keys[1].public_entry(),
            new.public_entry(),
        ],
    );
    (sign_keyset(&ks2, &[&fx.keys[0], &fx.keys[1]]), new)
}

#[test]
fn a_rotation_dropping_a_signer_keeps_the_held_directory_verified_under_its_keyset() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    // Version 3, signed by keys[1] and keys[2].
    let mut recs = fixture_records();
    recs.push(base("held-v3", &[("en", "Held Three")], "US"));
    let v3 = fx.bundle(3, NOW, NOW + YEAR, &recs);
    apply_update_with(&store, &fx.trust(), NOW, Update::Bundle(&v3)).expect("v3");
    let (rotation, _new) = rotation_dropping_key_2(&fx);
    assert_eq!(
        apply_update_with(&store, &fx.trust(), NOW, Update::Keyset(&rotation)).expect("rotate"),
        UpdateOutcome::KeysetRotated { version: 2 }
    );
    // Re-opening keeps version 3: it is verified under keyset 1, which accepted it, not
    // under keyset 2, which no longer lists keys[2] (that used to fall back to the packaged
    // version 1 and lose the rollback floor).
    open_with(&store, &fx.trust(), NOW + 10).expect("reopen");
    let st = status(&store, &fx.trust(), NOW + 10)
        .expect("status")
        .expect("some");
    assert_eq!(
        (st.version, st.origin, st.keyset_version),
        (3, Origin::Update, 2)
    );
    assert_eq!(
        ids(&search(&store, &q("held three"), NOW + 10).expect("s")),
        vec!["held-v3"]
    );
    // A delta on the held version, signed under keyset 2, applies to it.
    let held = verify_bundle(&v3, &fx.keyset_parsed(), &Policy::update(NOW, None)).expect("v3");
    let mut recs4 = recs.clone();
    recs4.push(base("next-v4", &[("en", "Next Four")], "US"));
    let target = verify_bundle(
        &build_bundle(4, NOW + 5, NOW + YEAR, &recs4, &[&fx.keys[0], &fx.keys[1]]).expect("b"),
        &fx.keyset_parsed(),
        &Policy::update(NOW + 5, None),
    )
    .expect("target");
    let delta = build_delta(&held, &target, &[&fx.keys[0], &fx.keys[1]]).expect("delta");
    assert_eq!(
        apply_update_with(&store, &fx.trust(), NOW + 10, Update::Delta(&delta)).expect("delta"),
        UpdateOutcome::Installed { version: 4 }
    );
    open_with(&store, &fx.trust(), NOW + 20).expect("reopen after delta");
    assert_eq!(installed_version(&store).expect("v"), Some(4));
}

#[test]
fn the_rollback_floor_survives_a_fallback_to_the_packaged_bundle() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    let v3 = fx.bundle(3, NOW, NOW + YEAR, &fixture_records());
    apply_update_with(&store, &fx.trust(), NOW, Update::Bundle(&v3)).expect("v3");
    let (rotation, new) = rotation_dropping_key_2(&fx);
    apply_update_with(&store, &fx.trust(), NOW, Update::Keyset(&rotation)).expect("rotate");
    // The held copy is damaged beyond repair: the packaged version 1 comes back.
    store
        .with_conn(|c| {
            c.execute("UPDATE directory_signed SET bytes = x'00'", [])?;
            Ok(())
        })
        .expect("damage");
    open_with(&store, &fx.trust(), NOW + 10).expect("fallback");
    assert_eq!(installed_version(&store).expect("v"), Some(1));
    // Version 2 re-signed by the keys that remain is still older than version 3, once
    // accepted: refused.
    let mut evil = fixture_records();
    evil.truncate(1);
    let v2 = build_bundle(2, NOW + 5, NOW + YEAR, &evil, &[&fx.keys[0], &new]).expect("v2");
    let err = apply_update_with(&store, &fx.trust(), NOW + 10, Update::Bundle(&v2))
        .expect_err("rollback below the floor");
    assert!(err.to_string().contains("rollback"), "{err}");
    // Version 3 again (re-signed) or anything newer installs.
    let v3b =
        build_bundle(3, NOW, NOW + YEAR, &fixture_records(), &[&fx.keys[0], &new]).expect("v3b");
    assert_eq!(
        apply_update_with(&store, &fx.trust(), NOW + 10, Update::Bundle(&v3b)).expect("v3b"),
        UpdateOutcome::Installed { version: 3 }
    );
}

#[test]
fn the_packaged_bundle_still_verifies_after_a_rotation_drops_one_of_its_signers() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    // The packaged bundle is signed by keys[0] and keys[1]; keyset 2 drops keys[0].
    let new = PublisherKey::from_secret_bytes(&[21; 32]);
    let ks2 = build_keyset(
        2,
        NOW + 5 * YEAR,
        2,
        vec![
            fx.keys[1].public_entry(),
            fx.keys[2].public_entry(),
            new.public_entry(),
        ],
    );
    let rotation = sign_keyset(&ks2, &[&fx.keys[0], &fx.keys[1], &fx.keys[2]]);
    apply_update_with(&store, &fx.trust(), NOW, Update::Keyset(&rotation)).expect("rotate");
    open_with(&store, &fx.trust(), NOW + 10).expect("the build's own help lines still open");
    assert_eq!(installed_version(&store).expect("v"), Some(1));
}

/// Records v1 and v2 of the concurrency test: both have two "Shelter" services, at
/// different row positions, so fetching v2's rows by v1's ranking would return services
/// that do not match the query at all.
fn shelter_versions() -> (Vec<Record>, Vec<Record>) {
    let v1 = vec![
        base("v1-a", &[("en", "Shelter North")], "US"),
        base("v1-b", &[("en", "Legal aid")], "US"),
        base("v1-c", &[("en", "Shelter South")], "US"),
    ];
    let v2 = vec![
        base("v2-a", &[("en", "Food bank")], "US"),
        base("v2-b", &[("en", "Shelter East")], "US"),
        base("v2-c", &[("en", "Clinic")], "US"),
        base("v2-d", &[("en", "Shelter West")], "US"),
    ];
    (v1, v2)
}

#[test]
fn a_sync_landing_between_ranking_and_fetching_cannot_mix_versions() {
    use std::sync::mpsc;
    use std::time::Duration;

    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    let (v1, v2) = shelter_versions();
    let b1 = fx.bundle(2, NOW, NOW + YEAR, &v1);
    let b2 = fx.bundle(3, NOW, NOW + YEAR, &v2);
    apply_update_with(&store, &fx.trust(), NOW, Update::Bundle(&b1)).expect("v1");
    let query = q("shelter");
    let (go_tx, go_rx) = mpsc::channel::<()>();
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let found = std::thread::scope(|s| {
        let (shared, trust, b2) = (&store, fx.trust(), &b2);
        let committer = s.spawn(move || {
            go_rx.recv().expect("go");
            apply_update_with(shared, &trust, NOW, Update::Bundle(b2)).expect("v2");
            let _ = done_tx.send(());
        });
        // Between ranking and fetching, let the commit run; wait (bounded) for it to land.
        search::between_rank_and_fetch::set(Box::new(move || {
            go_tx.send(()).expect("signal");
            let _ = done_rx.recv_timeout(Duration::from_secs(3));
        }));
        let found = search(&store, &query, NOW);
        committer.join().expect("committer");
        found
    });
    let found = found.expect("a search under a concurrent commit still answers");
    assert!(
        found.iter().all(|r| r.name.starts_with("Shelter")),
        "every result matches the query: {:?}",
        ids(&found)
    );
    let found = ids(&found);
    assert!(
        found == ["v1-a", "v1-c"] || found == ["v2-b", "v2-d"],
        "results come from one version: {found:?}"
    );
    // The commit did land, after the search.
    assert_eq!(
        ids(&search(&store, &query, NOW).expect("after")),
        ["v2-b", "v2-d"]
    );
}

/// Every row of the directory's tables (full-text rows by their indexed text), in a fixed
/// order, for comparing two stores.
pub(super) fn directory_rows(store: &Store) -> Vec<(String, Vec<Vec<rusqlite::types::Value>>)> {
    let tables = [
        ("directory_state", "SELECT * FROM directory_state"),
        ("directory_signed", "SELECT * FROM directory_signed ORDER BY seq"),
        ("directory_keyset", "SELECT * FROM directory_keyset ORDER BY version"),
        ("directory_root", "SELECT * FROM directory_root"),
        ("directory_digest", "SELECT * FROM directory_digest ORDER BY id"),
        ("directory_record", "SELECT * FROM directory_record ORDER BY rowid"),
        ("directory_facet", "SELECT * FROM directory_facet ORDER BY record"),
        (
            "directory_name_fts",
            "SELECT rowid, name FROM directory_name_fts ORDER BY rowid",
        ),
        ("directory_area", "SELECT * FROM directory_area ORDER BY rowid"),
        (
            "directory_fts",
            "SELECT rowid, name, organization, description, extra FROM directory_fts ORDER BY rowid",
        ),
    ];
    store
        .with_conn(|c| {
            let mut out = Vec::new();
            for (name, sql) in tables {
                let mut stmt = c.prepare(sql)?;
                let n = stmt.column_count();
                let rows = stmt
                    .query_map([], |r| {
                        (0..n)
                            .map(|i| r.get::<_, rusqlite::types::Value>(i))
                            .collect::<rusqlite::Result<Vec<_>>>()
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                out.push((name.to_owned(), rows));
            }
            Ok(out)
        })
        .expect("rows")
}

#[test]
fn import_and_sync_store_byte_identical_rows_for_the_same_updates() {
    let fx = Fixture::new();
    let (_a, imported) = store_with(&fx);
    let (_b, synced) = store_with(&fx);
    let mut recs = fixture_records();
    let b2 = fx.bundle(2, NOW, NOW + YEAR, &recs);
    recs.remove(1);
    recs[0].name.insert("fr".into(), "Ligne d'aide".into());
    let b3 = fx.bundle(3, NOW + 10, NOW + YEAR, &recs);
    let keyset = fx.keyset_parsed();
    let any = Policy::update(NOW, None);
    let v2 = verify_bundle(&b2, &keyset, &any).expect("v2");
    let v3 = verify_bundle(&b3, &keyset, &any).expect("v3");
    let d23 = build_delta(&v2, &v3, &[&fx.keys[0], &fx.keys[2]]).expect("delta");
    let (_, rotation) = rotation_to_new_keys(&fx);

    // File import: full bundle, then the delta, then a keyset rotation.
    for update in [
        Update::Bundle(&b2),
        Update::Delta(&d23),
        Update::Keyset(&rotation),
    ] {
        apply_update_with(&imported, &fx.trust(), NOW, update).expect("import");
    }

    // Sync: the same updates, verified the way the sync engine does and committed.
    let commit = |directory: Option<Verified<'_>>, rotation: Option<&[u8]>| {
        let held = sync_base(&synced, &fx.trust(), NOW).expect("base");
        let rotations: Vec<waypoint_format::VerifiedKeyset> = rotation
            .map(|bytes| {
                waypoint_format::verify_keyset_rotation(&held.keyset, bytes, NOW).expect("rot")
            })
            .into_iter()
            .collect();
        let keyset = rotations.last().unwrap_or(&held.keyset);
        let latest = directory.map_or(held.latest_known_time, |b| {
            held.latest_known_time.max(b.created())
        });
        let update = SyncedUpdate {
            rotations: &rotations,
            directory,
            latest_known_time: latest,
            keyset,
        };
        commit_sync(&synced, &update, NOW, |_| Ok(())).expect("commit")
    };
    let held = sync_base(&synced, &fx.trust(), NOW).expect("base");
    let policy = Policy::update(held.latest_known_time, held.floor);
    let s2 = verify_bundle(&b2, &held.keyset, &policy).expect("s2");
    let after = commit(Some(Verified::Bundle(&s2)), None);
    assert_eq!(
        after.version,
        Some(2),
        "the commit reports the state it made"
    );
    let held = sync_base(&synced, &fx.trust(), NOW).expect("base");
    let base = held.base.as_ref().expect("held base");
    let policy = Policy::update(held.latest_known_time, held.floor);
    let s3 =
        waypoint_format::verify_delta_held(d23.clone(), &held.keyset, base, &policy).expect("s3");
    assert_eq!(commit(Some(Verified::Delta(&s3)), None).version, Some(3));
    let after = commit(None, Some(&rotation));
    assert_eq!(after.keyset.version, 2);

    assert_eq!(directory_rows(&imported), directory_rows(&synced));
}

/// A held update as an older build stored it: its signed bytes with `actions` derived by
/// that build's rules (one serialised list per record), recorded under rules version 0.
fn hold_as_older_build(fx: &Fixture, store: &Store, records: &[Record], actions: Vec<String>) {
    let bytes = fx.bundle(2, NOW, NOW + YEAR, records);
    let held = verify_bundle(&bytes, &fx.keyset_parsed(), &Policy::update(NOW, None)).expect("v2");
    super::install::install_as_older_build(store, &held, actions, 0, NOW).expect("store");
}

fn actions_json(r: &Record) -> String {
    serde_json::to_string(&dial::actions(r).expect("valid under today's rules")).expect("json")
}

#[test]
fn links_stored_under_older_rules_are_rebuilt_from_the_signed_bytes() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    let mut recs = fixture_records();
    recs[1].emails = vec!["help@example.org".into()];
    let mut actions: Vec<String> = recs.iter().map(actions_json).collect();
    // What a build before the strict rules derived: a link with a hidden Bcc.
    actions[1] = actions[1].replace(
        "mailto:help@example.org",
        "mailto:help@example.org?bcc=spy@evil.example",
    );
    assert!(actions[1].contains("bcc="), "{}", actions[1]);
    hold_as_older_build(&fx, &store, &recs, actions);

    open_with(&store, &fx.trust(), NOW + 10).expect("open");
    let shown = show(&store, "legal-clinic-brooklyn", "en", NOW + 10).expect("kept");
    let uris: Vec<&str> = shown.actions.iter().map(|a| a.uri.as_str()).collect();
    assert!(uris.contains(&"mailto:help@example.org"), "{uris:?}");
    assert!(!uris.iter().any(|u| u.contains("bcc")), "{uris:?}");
    // The held update itself stays: only its derived tables were rebuilt.
    assert_eq!(installed_version(&store).expect("v"), Some(2));
    let state = store
        .with_conn(super::state::read_state)
        .expect("state")
        .expect("held");
    assert_eq!(state.derived_rules, super::install::DERIVED_RULES);
    assert_eq!(state.origin, "update");
}

#[test]
fn a_held_record_that_fails_todays_rules_gives_way_to_the_packaged_copy() {
    let fx = Fixture::new();
    let (_d, store) = store_with(&fx);
    let mut recs = fixture_records();
    // A premium-rate number: an older build made it a one-tap `tel:` link.
    recs[1].phones = vec![phone("+1 900-555-0199", "US", PhoneKind::Voice)];
    assert!(dial::actions(&recs[1]).is_err(), "refused by today's rules");
    let mut costly = recs[1].clone();
    costly.phones[0].cost = Some(waypoint_format::record::PhoneCost::Premium);
    let actions: Vec<String> = recs
        .iter()
        .enumerate()
        .map(|(i, r)| actions_json(if i == 1 { &costly } else { r }))
        .collect();
    hold_as_older_build(&fx, &store, &recs, actions);
    assert_eq!(installed_version(&store).expect("v"), Some(2));

    open_with(&store, &fx.trust(), NOW + 10).expect("open never fails for this");
    let state = store
        .with_conn(super::state::read_state)
        .expect("state")
        .expect("held");
    assert_eq!(state.origin, "packaged");
    assert_eq!(state.version, 1);
    assert_eq!(state.floor, 2, "the rollback floor is kept");
    let all = search(
        &store,
        &Query {
            limit: 500,
            ..q("")
        },
        NOW + 10,
    )
    .expect("all");
    assert!(all
        .iter()
        .flat_map(|r| r.actions.iter())
        .all(|a| !a.uri.contains("900")));
    // Recovery: a valid update at the floor installs; anything older does not.
    let v1 = fx.bundle(1, NOW, NOW + YEAR, &fixture_records());
    assert!(apply_update_with(&store, &fx.trust(), NOW + 10, Update::Bundle(&v1)).is_err());
    let fixed = fx.bundle(2, NOW + 5, NOW + YEAR, &fixture_records());
    apply_update_with(&store, &fx.trust(), NOW + 10, Update::Bundle(&fixed)).expect("valid");
    assert_eq!(installed_version(&store).expect("v"), Some(2));
}

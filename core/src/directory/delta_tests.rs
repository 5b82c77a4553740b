//! Delta install (issue 18): a delta touches only the rows it changes, and what it leaves
//! answers exactly as a full install of the resulting bundle; a bad delta changes nothing;
//! the open-time check still catches a tampered held copy after deltas.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use waypoint_format::publish::{build_delta, sign_envelope, PublisherKey};
use waypoint_format::record::{Category, Record};
use waypoint_format::{verify_bundle, Envelope, PayloadType, Policy, VerifiedBundle};

use super::install::{renumbered, ROWID_GAP};
use super::tests::{directory_rows, Fixture};
use super::trust::tables_hash;
use super::*;

/// 2026-01-14 15:00 UTC, as in `tests`.
const NOW: i64 = 1_768_402_800;
const YEAR: i64 = 365 * 86_400;
const SIZE: usize = 240;

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open_with(dir.path(), &[crate::store::META, DIRECTORY]).expect("store");
    (dir, store)
}

/// Publishes `records` as `version` (verified, and its envelope).
fn publish(fx: &Fixture, version: u64, records: &[Record]) -> (VerifiedBundle, Vec<u8>) {
    let bytes = fx.bundle(version, NOW + version as i64, NOW + YEAR, records);
    let keyset = waypoint_format::verify_root_keyset(&fx.keyset, NOW).expect("keyset verifies");
    let v = verify_bundle(&bytes, &keyset, &Policy::update(NOW, None)).expect("bundle");
    (v, bytes)
}

fn delta(fx: &Fixture, from: &VerifiedBundle, to: &VerifiedBundle) -> Vec<u8> {
    build_delta(from, to, &[&fx.keys[0], &fx.keys[2]]).expect("delta")
}

/// Every answer the app gives: searches (words, prefixes, filters, distance, the whole
/// list in order), every detail, the raw records and the status.
fn answers(store: &Store, fx: &Fixture, ids: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let word = |t: &str| Query {
        text: t.into(),
        user_language: "en".into(),
        limit: 500,
        ..Query::default()
    };
    let queries = vec![
        word(""),
        word("shelter"),
        word("legal aid"),
        word("imm"),
        word("al"),
        word("mar"),
        word("help"),
        Query {
            user_language: "es".into(),
            ..word("ayuda")
        },
        Query {
            categories: vec![Category::LegalAid, Category::Immigration],
            country: Some("US".into()),
            ..word("")
        },
        Query {
            free: true,
            always_open: true,
            ..word("support")
        },
        Query {
            open_now: true,
            ..word("")
        },
        Query {
            near: Some((40.71, -74.01)),
            sort: Sort::Distance,
            ..word("")
        },
        Query {
            near: Some((34.05, -118.24)),
            max_km: Some(2500.0),
            ..word("clinic")
        },
        Query {
            limit: 7,
            ..word("")
        },
    ];
    for q in &queries {
        out.push(format!("{:?}", search(store, q, NOW).expect("search")));
    }
    for id in ids {
        out.push(format!("{:?}", show(store, id, "en", NOW)));
    }
    out.push(format!("{:?}", records_raw(store).expect("raw")));
    let st = status(store, &fx.trust(), NOW)
        .expect("status")
        .expect("a directory");
    out.push(format!(
        "{} {} {}",
        st.version, st.resources, st.content_hash
    ));
    out
}

/// FTS5's own check of both full-text indexes (rank 1: against the stored content too).
fn fts_integrity(store: &Store) {
    store
        .with_conn(|c| {
            for t in ["directory_fts", "directory_name_fts"] {
                c.execute(
                    &format!("INSERT INTO {t}({t}, rank) VALUES ('integrity-check', 1)"),
                    [],
                )?;
            }
            Ok(())
        })
        .expect("FTS integrity-check passes");
}

/// The held tables match the held content hash (what every open checks).
fn tables_match_state(store: &Store) {
    store
        .with_conn(|c| {
            let state = state::read_state(c)?.expect("state");
            assert_eq!(tables_hash(c)?.as_slice(), state.content_hash.as_slice());
            Ok(())
        })
        .expect("tables");
}

/// Rowid of every record, by id.
fn rowids(store: &Store) -> Vec<(String, i64)> {
    store
        .with_conn(|c| {
            let mut stmt = c.prepare("SELECT id, rowid FROM directory_record ORDER BY id")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .expect("rowids")
}

fn with_name(mut r: Record, name: &str) -> Record {
    r.name.insert("en".into(), name.into());
    r
}

/// One random change set: renames that move records in the search order, description
/// edits that do not, tombstones and new records.
fn mutate(records: &mut Vec<Record>, rng: &mut StdRng, round: usize) {
    const WORDS: &[&str] = &[
        "Shelter",
        "Legal",
        "Aid",
        "Immigration",
        "Help",
        "Clinic",
        "Support",
        "Alma",
        "Marisol",
        "Zenith",
        "Ayuda",
        "Crisis",
    ];
    for _ in 0..rng.gen_range(1..6) {
        let i = rng.gen_range(0..records.len());
        let name = format!(
            "{} {} {round}",
            WORDS[rng.gen_range(0..WORDS.len())],
            WORDS[rng.gen_range(0..WORDS.len())]
        );
        records[i] = with_name(records[i].clone(), &name);
    }
    for _ in 0..rng.gen_range(0..4) {
        let i = rng.gen_range(0..records.len());
        records[i]
            .description
            .insert("en".into(), format!("Edited in round {round}."));
    }
    for _ in 0..rng.gen_range(0..4) {
        let i = rng.gen_range(0..records.len());
        records.remove(i);
    }
    for k in 0..rng.gen_range(0..4) {
        let mut r = records[rng.gen_range(0..records.len())].clone();
        r.id = format!("new-{round}-{k}");
        records.push(with_name(
            r,
            &format!("{} {round} {k}", WORDS[k % WORDS.len()]),
        ));
    }
}

#[test]
fn after_each_delta_every_answer_equals_a_full_install_of_its_result() {
    let fx = Fixture::new();
    let (_d, held) = store();
    open_with(&held, &fx.trust(), NOW).expect("open");
    let mut records = waypoint_format::synth::records(SIZE, 7);
    let (mut base, bytes) = publish(&fx, 2, &records);
    apply_update_with(&held, &fx.trust(), NOW, Update::Bundle(&bytes)).expect("v2");
    let mut rng = StdRng::seed_from_u64(18);
    let renumbered_before = renumbered::so_far();
    for round in 0..6usize {
        let version = 3 + round as u64;
        mutate(&mut records, &mut rng, round);
        if round == 2 {
            // Two records tied with one name: one id sorts after the held one's, one before.
            let anchor = records
                .iter()
                .find(|r| r.id.starts_with("syn-"))
                .expect("a synthetic record")
                .clone();
            let mut after = anchor.clone();
            after.id = format!("{}-after", anchor.id);
            let mut before = anchor.clone();
            before.id = anchor.id[..anchor.id.len() - 1].to_owned();
            records.push(after);
            records.push(before);
        }
        if round == 4 {
            // Twenty records tied with one name (same folded name, ids after its own):
            // more than one gap holds, so the tables are renumbered.
            let anchor = records[0].clone();
            for k in 0..20 {
                let mut r = anchor.clone();
                r.id = format!("{}-tie-{k:02}", anchor.id);
                records.push(r);
            }
        }
        let (next, next_bytes) = publish(&fx, version, &records);
        let d = delta(&fx, &base, &next);
        assert_eq!(
            apply_update_with(&held, &fx.trust(), NOW, Update::Delta(&d)).expect("delta"),
            UpdateOutcome::Installed { version }
        );
        let (_f, full) = store();
        open_with(&full, &fx.trust(), NOW).expect("open");
        apply_update_with(&full, &fx.trust(), NOW, Update::Bundle(&next_bytes)).expect("full");
        let mut ids: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
        ids.extend(base.records().iter().map(|r| r.id().to_owned()));
        ids.sort();
        ids.dedup();
        assert_eq!(
            answers(&held, &fx, &ids),
            answers(&full, &fx, &ids),
            "round {round}: the delta's store answers as a full install"
        );
        fts_integrity(&held);
        tables_match_state(&held);
        if round == 4 {
            assert_eq!(
                renumbered::so_far(),
                renumbered_before + 1,
                "the exhausted gap renumbered the tables once"
            );
            assert!(
                rowids(&held).iter().all(|(_, r)| r % ROWID_GAP == 0),
                "renumbered with the gaps back"
            );
        }
        base = next;
    }
    // Re-opening re-verifies bundle + six deltas and keeps the tables as they are.
    let before = directory_rows(&held);
    open_with(&held, &fx.trust(), NOW).expect("reopen");
    let after = directory_rows(&held);
    assert_eq!(
        before
            .iter()
            .filter(|(t, _)| t != "directory_state")
            .collect::<Vec<_>>(),
        after
            .iter()
            .filter(|(t, _)| t != "directory_state")
            .collect::<Vec<_>>(),
        "the open-time check accepts the chain and the tables"
    );
}

#[test]
fn a_delta_touches_only_the_rows_it_changes() {
    let fx = Fixture::new();
    let (_d, held) = store();
    open_with(&held, &fx.trust(), NOW).expect("open");
    let records = waypoint_format::synth::records(SIZE, 3);
    let (v2, bytes) = publish(&fx, 2, &records);
    apply_update_with(&held, &fx.trust(), NOW, Update::Bundle(&bytes)).expect("v2");
    let before = rowids(&held);
    let mut next = records.clone();
    assert!(
        rowids(&held).iter().all(|(_, r)| r % ROWID_GAP == 0),
        "a full install spaces the rowids"
    );
    next[10].description.insert("en".into(), "Changed.".into()); // stays in place
    next[20] = with_name(next[20].clone(), "0000 first now"); // moves to the front
    let gone = next.remove(30).id; // tombstone
                                   // Five branches tied with one held record's name: they share the gap after it.
    let branch_of = next[40].clone();
    for k in 0..5 {
        let mut r = branch_of.clone();
        r.id = format!("{}-branch-{k}", branch_of.id);
        next.push(r);
    }
    let (v3, _) = publish(&fx, 3, &next);
    let renumbered_before = renumbered::so_far();
    apply_update_with(
        &held,
        &fx.trust(),
        NOW,
        Update::Delta(&delta(&fx, &v2, &v3)),
    )
    .expect("delta");
    assert_eq!(renumbered::so_far(), renumbered_before, "no renumbering");
    let after: std::collections::HashMap<String, i64> = rowids(&held).into_iter().collect();
    let moved = &records[20].id;
    for (id, rowid) in &before {
        match after.get(id) {
            None => assert_eq!(id, &gone),
            Some(r) if id == moved => {
                assert!(
                    after.iter().all(|(other, o)| other == id || o > r),
                    "moved to the front: {r}"
                );
            }
            Some(r) => assert_eq!(r, rowid, "{id} kept its rowid"),
        }
    }
    let branches: Vec<i64> = (0..5)
        .map(|k| after[&format!("{}-branch-{k}", branch_of.id)])
        .collect();
    assert!(
        branches.windows(2).all(|w| w[0] < w[1]) && branches[0] > after[&branch_of.id],
        "the branches follow the held record, in id order: {branches:?}"
    );
    fts_integrity(&held);
    tables_match_state(&held);
}

/// Re-signs a delta's payload after `edit` changed it (validly signed, wrong content).
fn resigned(fx: &Fixture, d: &[u8], edit: impl FnOnce(&mut serde_json::Value)) -> Vec<u8> {
    let env = Envelope::parse(d, PayloadType::Delta, usize::MAX).expect("envelope");
    let mut payload: serde_json::Value = serde_json::from_slice(&env.payload).expect("payload");
    edit(&mut payload);
    let bytes = serde_json::to_vec(&payload).expect("json");
    sign_envelope(PayloadType::Delta, bytes, &[&fx.keys[0], &fx.keys[2]]).to_bytes()
}

#[test]
fn a_bad_delta_leaves_the_store_unchanged() {
    let fx = Fixture::new();
    let (_d, held) = store();
    open_with(&held, &fx.trust(), NOW).expect("open");
    let records = waypoint_format::synth::records(60, 5);
    let (v2, bytes) = publish(&fx, 2, &records);
    apply_update_with(&held, &fx.trust(), NOW, Update::Bundle(&bytes)).expect("v2");
    let mut next = records.clone();
    next[3] = with_name(next[3].clone(), "Moved by the delta");
    next.remove(7);
    let (v3, _) = publish(&fx, 3, &next);
    let good = delta(&fx, &v2, &v3);
    // Another version 2 (same number, other content) as the base.
    let mut other = records.clone();
    other[0].description.insert("en".into(), "Other".into());
    let (other_v2, _) = publish(&fx, 2, &other);
    let wrong_base = delta(&fx, &other_v2, &v3);
    // A record changed after signing (the signatures no longer match).
    let tampered = {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::STANDARD;
        let mut env: serde_json::Value = serde_json::from_slice(&good).expect("envelope");
        let payload = b64
            .decode(env["payload"].as_str().expect("payload"))
            .expect("b64");
        let payload = String::from_utf8(payload)
            .expect("utf-8")
            .replace("Moved by the delta", "Moved by the devil");
        env["payload"] = b64.encode(payload).into();
        serde_json::to_vec(&env).expect("json")
    };
    // Signed by a key the keyset does not list.
    let stranger = PublisherKey::generate();
    let env = Envelope::parse(&good, PayloadType::Delta, usize::MAX).expect("envelope");
    let foreign =
        sign_envelope(PayloadType::Delta, env.payload, &[&stranger, &fx.keys[0]]).to_bytes();
    // Validly signed, but an upsert differs from what the content hash commits to.
    let wrong_record = resigned(&fx, &good, |p| {
        p["upserts"][0]["name"]["en"] = "Evil".into();
    });
    // Validly signed, hash right, but a phone the app refuses to dial.
    let mut bad_phone = next.clone();
    bad_phone[5].phones = vec![waypoint_format::record::Phone {
        number: "1-555-0100-000".into(),
        country: "US".into(),
        kind: waypoint_format::record::PhoneKind::Voice,
        keyword: None,
        hours: None,
        languages: vec![],
        description: Default::default(),
        cost: None,
    }];
    let (v3_bad, _) = publish(&fx, 3, &bad_phone);
    let undiallable = delta(&fx, &v2, &v3_bad);
    let rows = directory_rows(&held);
    for (what, d) in [
        ("wrong base", &wrong_base),
        ("tampered", &tampered),
        ("foreign signature", &foreign),
        ("record not matching the hash", &wrong_record),
        ("undiallable phone", &undiallable),
    ] {
        let err = apply_update_with(&held, &fx.trust(), NOW, Update::Delta(d)).expect_err(what);
        assert!(matches!(err, Error::Verification(_)), "{what}: {err:?}");
        assert_eq!(
            directory_rows(&held),
            rows,
            "{what}: the store is unchanged"
        );
    }
    // Held digests edited: the delta no longer verifies against them, and nothing else
    // changes.
    held.with_conn(|c| {
        c.execute(
            "UPDATE directory_digest SET digest = zeroblob(32) WHERE id = ?1",
            [&records[1].id],
        )?;
        Ok(())
    })
    .expect("edit digest");
    let edited = directory_rows(&held);
    let err = apply_update_with(&held, &fx.trust(), NOW, Update::Delta(&good))
        .expect_err("digest edited");
    assert!(matches!(err, Error::Verification(_)), "{err:?}");
    assert_eq!(directory_rows(&held), edited);
    // The open-time check repairs the digest; the good delta then installs.
    open_with(&held, &fx.trust(), NOW).expect("reopen");
    assert_eq!(directory_rows(&held), rows);
    apply_update_with(&held, &fx.trust(), NOW, Update::Delta(&good)).expect("good delta");
    assert_eq!(installed_version(&held).expect("v"), Some(3));
}

#[test]
fn a_failure_inside_the_install_rolls_the_whole_delta_back() {
    let fx = Fixture::new();
    let (_d, held) = store();
    open_with(&held, &fx.trust(), NOW).expect("open");
    let records = waypoint_format::synth::records(60, 9);
    let (v2, bytes) = publish(&fx, 2, &records);
    apply_update_with(&held, &fx.trust(), NOW, Update::Bundle(&bytes)).expect("v2");
    let mut next = records.clone();
    next[3] = with_name(next[3].clone(), "Moved");
    next[8].description.insert("en".into(), "Edited".into());
    let (v3, _) = publish(&fx, 3, &next);
    let d = delta(&fx, &v2, &v3);
    let base = sync_base(&held, &fx.trust(), NOW).expect("base");
    let verified = waypoint_format::verify_delta_held(
        d,
        &base.keyset,
        base.base.as_ref().expect("held base"),
        &Policy::update(NOW, base.floor),
    )
    .expect("verifies");
    let rows = directory_rows(&held);
    // The delta's rows are written, then the same transaction fails (as a kill would end
    // it): nothing of it stays.
    let update = SyncedUpdate {
        rotations: &[],
        directory: Some(Verified::Delta(&verified)),
        latest_known_time: NOW,
        keyset: &base.keyset,
    };
    let err = commit_sync(&held, &update, NOW, |_| Err(Error::Corrupt("interrupted")))
        .err()
        .expect("fails");
    assert!(matches!(err, Error::Corrupt(_)), "{err:?}");
    assert_eq!(directory_rows(&held), rows);
    // Committed for real, it lands.
    commit_sync(&held, &update, NOW, |_| Ok(())).expect("commit");
    assert_eq!(installed_version(&held).expect("v"), Some(3));
    // The same verified delta again (upserts only, so it would apply cleanly): its base is
    // no longer the held state, refused, nothing changes.
    let rows = directory_rows(&held);
    assert!(matches!(
        commit_sync(&held, &update, NOW, |_| Ok(())),
        Err(Error::Verification(_))
    ));
    assert_eq!(directory_rows(&held), rows);
}

#[test]
fn the_open_check_still_catches_a_tampered_held_copy_after_deltas() {
    let fx = Fixture::new();
    let (_d, held) = store();
    open_with(&held, &fx.trust(), NOW).expect("open");
    let mut records = waypoint_format::synth::records(60, 11);
    let (mut base, bytes) = publish(&fx, 2, &records);
    apply_update_with(&held, &fx.trust(), NOW, Update::Bundle(&bytes)).expect("v2");
    for version in 3..5u64 {
        let i = version as usize;
        records[i] = with_name(records[i].clone(), &format!("Renamed {version}"));
        let (next, _) = publish(&fx, version, &records);
        apply_update_with(
            &held,
            &fx.trust(),
            NOW,
            Update::Delta(&delta(&fx, &base, &next)),
        )
        .expect("delta");
        base = next;
    }
    let ids: Vec<String> = records.iter().map(|r| r.id.clone()).collect();
    let good = answers(&held, &fx, &ids);
    let target = records[4].id.clone();
    // A careful edit: the record's bytes and its digest changed together.
    held.with_conn(|c| {
        c.execute(
            "UPDATE directory_record SET raw = replace(raw, 'Renamed 4', 'Evil name') WHERE id = ?1",
            [&target],
        )?;
        Ok(())
    })
    .expect("tamper");
    let raw: String = held
        .with_conn(|c| {
            Ok(c.query_row(
                "SELECT raw FROM directory_record WHERE id = ?1",
                [&target],
                |r| r.get(0),
            )?)
        })
        .expect("raw");
    let digest: [u8; 32] = <sha2::Sha256 as sha2::Digest>::digest(raw.as_bytes()).into();
    held.with_conn(|c| {
        c.execute(
            "UPDATE directory_digest SET digest = ?1 WHERE id = ?2",
            rusqlite::params![digest.as_slice(), target],
        )?;
        Ok(())
    })
    .expect("digest");
    assert_ne!(
        answers(&held, &fx, &ids),
        good,
        "the edit shows before the open"
    );
    open_with(&held, &fx.trust(), NOW).expect("reopen");
    assert_eq!(
        answers(&held, &fx, &ids),
        good,
        "rebuilt from bundle + deltas"
    );
    tables_match_state(&held);
    assert_eq!(installed_version(&held).expect("v"), Some(4));
    // A stored delta edited: the chain no longer verifies; the packaged copy comes back.
    held.with_conn(|c| {
        c.execute(
            "UPDATE directory_signed SET bytes = CAST(replace(CAST(bytes AS TEXT), 'A', 'B') AS BLOB)
             WHERE kind = 'delta'",
            [],
        )?;
        Ok(())
    })
    .expect("tamper delta");
    open_with(&held, &fx.trust(), NOW).expect("reopen");
    let st = status(&held, &fx.trust(), NOW).expect("s").expect("s");
    assert_eq!((st.version, st.origin), (1, Origin::Packaged));
}

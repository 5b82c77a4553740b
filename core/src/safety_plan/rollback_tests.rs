//! Rollback protection of the safety plan: an older copy of the plan row put back (also
//! after the plan was deleted), or the row deleted, is noticed when the plan is first used
//! after unlock, set aside (a storage error, counted) until the plan is deleted; normal
//! use, restarts, a duress session and upgraded vaults raise no false alarm. (A kill in
//! the middle of a write: `core/tests/records_crash.rs`.)

use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::app::Core;

const NOW: i64 = 1_768_402_800_000;
const PASS: &str = "plan pass";

fn open_core(dir: &Path) -> Arc<Core> {
    crate::test_support::open_core_at(dir, NOW)
}

fn setup(dir: &Path) -> Arc<Core> {
    let wp = open_core(dir);
    wp.setup(PASS.into()).expect("setup");
    wp
}

fn places(items: &[&str]) -> SectionContent {
    SectionContent {
        items: items.iter().map(|s| (*s).to_owned()).collect(),
        notes: None,
    }
}

/// Every plan row in the database, as someone copying the phone's files keeps them.
fn rows(wp: &Core) -> Vec<(Vec<u8>, i64, Vec<u8>)> {
    wp.store
        .with_conn(|c| {
            let mut st = c.prepare("SELECT tag, revision, sealed FROM safety_plan")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .expect("rows")
}

fn put_back(wp: &Core, rows: &[(Vec<u8>, i64, Vec<u8>)]) {
    wp.store
        .with_conn(|c| {
            for (tag, revision, sealed) in rows {
                c.execute(
                    "INSERT INTO safety_plan (tag, revision, sealed) VALUES (?1, ?2, ?3)
                     ON CONFLICT(tag) DO UPDATE SET revision = excluded.revision,
                         sealed = excluded.sealed",
                    rusqlite::params![tag, revision, sealed],
                )?;
            }
            Ok(())
        })
        .expect("put back");
}

fn sql(wp: &Core, statement: &str) {
    wp.store
        .with_conn(|c| {
            c.execute(statement, [])?;
            Ok(())
        })
        .expect("sql");
}

use crate::test_support::relock;

fn set_aside(wp: &Core) -> bool {
    matches!(wp.safety_plan_get(), Err(Error::Corrupt(_)))
}

#[test]
fn an_older_plan_put_back_is_detected_until_the_plan_is_deleted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    wp.safety_plan_set_section(Section::SafePlaces, places(&["my sister's flat"]))
        .expect("set");
    let old = rows(&wp);
    // The survivor learns that place is no longer safe and changes the plan.
    wp.safety_plan_set_section(Section::SafePlaces, places(&["the shelter"]))
        .expect("set");
    put_back(&wp, &old);
    assert!(set_aside(&wp), "caught on read in the running session");
    relock(&wp, PASS);
    assert!(set_aside(&wp), "the old plan is never shown as the plan");
    assert_eq!(wp.safety_plan_damaged_count().expect("count"), 1);
    assert!(
        matches!(
            wp.safety_plan_set_section(Section::Pets, places(&["Rex"])),
            Err(Error::Corrupt(_))
        ),
        "nothing is written on top of it"
    );
    assert_eq!(old, rows(&wp), "and nothing is lost meanwhile");
    // Deleting the plan is how its owner acknowledges it; that is remembered.
    wp.safety_plan_delete().expect("acknowledge");
    assert_eq!(wp.safety_plan_damaged_count().expect("count"), 0);
    assert_eq!(wp.safety_plan_get().expect("get"), SafetyPlan::empty());
    relock(&wp, PASS);
    assert_eq!(
        wp.safety_plan_damaged_count().expect("count"),
        0,
        "remembered"
    );
    wp.safety_plan_set_section(Section::SafePlaces, places(&["the shelter"]))
        .expect("a new plan");
}

#[test]
fn a_deleted_plan_put_back_is_detected_also_after_a_new_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    wp.safety_plan_set_section(Section::PeopleToCall, places(&["my cousin"]))
        .expect("set");
    let deleted = rows(&wp);
    wp.safety_plan_delete().expect("delete");
    put_back(&wp, &deleted);
    relock(&wp, PASS);
    assert!(set_aside(&wp));
    assert_eq!(wp.safety_plan_damaged_count().expect("count"), 1);
    wp.safety_plan_delete().expect("acknowledge");
    // A new plan starts above every earlier revision: the first plan's row, put back over
    // the new one, still does not match.
    let new = wp
        .safety_plan_set_section(Section::PeopleToCall, places(&["the hotline"]))
        .expect("a new plan");
    assert!(new.revision > u64::try_from(deleted[0].1).expect("revision"));
    put_back(&wp, &deleted);
    relock(&wp, PASS);
    assert!(set_aside(&wp));
    assert_eq!(wp.safety_plan_damaged_count().expect("count"), 1);
}

#[test]
fn a_deleted_plan_row_is_detected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    wp.safety_plan_set_section(Section::CodeWord, places(&["blue umbrella"]))
        .expect("set");
    sql(&wp, "DELETE FROM safety_plan");
    relock(&wp, PASS);
    assert!(set_aside(&wp), "not shown as an empty plan");
    assert_eq!(wp.safety_plan_damaged_count().expect("count"), 1);
    wp.safety_plan_delete().expect("acknowledge");
    assert_eq!(wp.safety_plan_damaged_count().expect("count"), 0);
    assert_eq!(wp.safety_plan_get().expect("get"), SafetyPlan::empty());
}

#[test]
fn normal_changes_deletes_and_restarts_raise_no_alarm() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    assert_eq!(
        wp.safety_plan_damaged_count().expect("count"),
        0,
        "a fresh vault"
    );
    wp.safety_plan_delete().expect("deleting nothing");
    for round in 0..3 {
        wp.safety_plan_set_section(Section::WarningSigns, places(&["he checks my phone"]))
            .expect("set");
        wp.safety_plan_skip_section(Section::Children)
            .expect("skip");
        relock(&wp, PASS);
        assert_eq!(
            wp.safety_plan_damaged_count().expect("count"),
            0,
            "round {round}"
        );
        wp.safety_plan_clear_section(Section::WarningSigns)
            .expect("clear");
        if round == 1 {
            wp.safety_plan_delete().expect("delete");
        }
        relock(&wp, PASS);
        assert_eq!(
            wp.safety_plan_damaged_count().expect("count"),
            0,
            "round {round}"
        );
    }
    let plan = wp.safety_plan_get().expect("get");
    drop(wp);
    let wp = open_core(dir.path());
    wp.unlock(PASS.into()).expect("unlock");
    assert_eq!(wp.safety_plan_get().expect("after a restart"), plan);
    assert_eq!(wp.safety_plan_damaged_count().expect("count"), 0);
}

#[test]
fn each_vault_keeps_its_own_plan_manifest_of_the_same_size() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    wp.safety_plan_set_section(Section::SafePlaces, places(&["the real place"]))
        .expect("set");
    wp.set_duress_passphrase("decoy pass".into(), false)
        .expect("duress");
    relock(&wp, "decoy pass");
    assert_eq!(
        wp.safety_plan_damaged_count().expect("count"),
        0,
        "unaware of the real one"
    );
    assert_eq!(wp.safety_plan_get().expect("get"), SafetyPlan::empty());
    wp.safety_plan_set_section(Section::SafePlaces, places(&["the park"]))
        .expect("decoy set");
    wp.safety_plan_delete().expect("decoy delete");
    wp.safety_plan_set_section(Section::Pets, places(&["the cat"]))
        .expect("decoy set");
    relock(&wp, PASS);
    assert_eq!(
        wp.safety_plan_damaged_count().expect("count"),
        0,
        "real manifest intact"
    );
    let real = wp.safety_plan_get().expect("real");
    assert_eq!(
        real.section(Section::SafePlaces).expect("s").content,
        places(&["the real place"])
    );
    relock(&wp, "decoy pass");
    assert_eq!(
        wp.safety_plan_damaged_count().expect("count"),
        0,
        "decoy manifest intact"
    );
    let sizes: Vec<i64> = wp
        .store
        .with_conn(|c| {
            let mut st = c.prepare("SELECT length(sealed) FROM safety_plan_manifest")?;
            let rows = st.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .expect("sizes");
    assert_eq!(sizes.len(), 2, "one per vault");
    assert_eq!(
        sizes[0], sizes[1],
        "the same size: neither tells which vault it is"
    );
}

#[test]
fn a_plan_from_before_manifests_is_adopted_once_without_alarm() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    let plan = wp
        .safety_plan_set_section(Section::WhatToTake, places(&["passport", "charger"]))
        .expect("set");
    // As a build without manifests left it: sealed with id "", no manifest.
    let old = wp
        .with_session(|s| {
            let (revision, sealed) = read_row(&wp.store, &s.row_tag(KIND, "")?)?.expect("row");
            let rev = u64::try_from(revision).expect("rev");
            let plain = s.sealer.open(KIND, SEALED_WITH_MANIFEST, rev, &sealed)?;
            s.sealer.seal(KIND, SEALED_BEFORE_MANIFESTS, rev, &plain)
        })
        .expect("old row");
    wp.store
        .with_conn(|c| {
            c.execute("UPDATE safety_plan SET sealed = ?1", [&old])?;
            c.execute("DELETE FROM safety_plan_manifest", [])?;
            Ok(())
        })
        .expect("downgrade");
    relock(&wp, PASS);
    assert_eq!(wp.safety_plan_get().expect("adopted"), plan);
    assert_eq!(
        wp.safety_plan_damaged_count().expect("count"),
        0,
        "no alarm"
    );
    // Adopted once: a manifest removed now is reported (the row was resealed).
    sql(&wp, "DELETE FROM safety_plan_manifest");
    relock(&wp, PASS);
    assert_eq!(wp.safety_plan_get().expect("still shown"), plan);
    assert_eq!(
        wp.safety_plan_damaged_count().expect("count"),
        1,
        "but reported"
    );
    wp.safety_plan_skip_section(Section::Pets).expect("a write");
    assert_eq!(
        wp.safety_plan_damaged_count().expect("count"),
        0,
        "records a new one"
    );
}

#[test]
fn a_write_that_fails_inside_its_transaction_changes_neither_row_nor_manifest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = setup(dir.path());
    wp.safety_plan_set_section(Section::CodeWord, places(&["red kite"]))
        .expect("set");
    let before = rows(&wp);
    // The manifest moved on underneath this session: the change's transaction fails at
    // the manifest and rolls back the plan row's update with it.
    sql(&wp, "UPDATE safety_plan_manifest SET counter = counter + 7");
    assert!(wp
        .safety_plan_set_section(Section::CodeWord, places(&["green kite"]))
        .is_err());
    assert_eq!(rows(&wp), before, "the row is as it was");
    sql(&wp, "UPDATE safety_plan_manifest SET counter = counter - 7");
    relock(&wp, PASS);
    assert_eq!(
        wp.safety_plan_damaged_count().expect("count"),
        0,
        "no false alarm"
    );
}

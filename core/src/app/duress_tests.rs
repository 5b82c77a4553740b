//! A whole duress session driven through the exported `Core` API (what the apps call):
//! nothing it shows differs in kind from a fresh, empty vault, and the real vault's data,
//! favourites and reminders are intact afterwards. Also: wipe and duress-shred remove
//! exactly what the storage components declare personal.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::*;
use crate::appointments::reminders::{ReminderPlan, ReminderVoice};
use crate::appointments::{AppointmentDraft, AppointmentKind};
use crate::directory::Query;
use crate::journal::{EntryDraft, EntryFilter};
use crate::platform::FakeClock;
use crate::platform::{FileKeyStore, KeyStore};
use crate::vault::VaultConfig;

/// 2026-01-14, inside the packaged directory's validity.
const NOW: i64 = 1_768_402_800_000;
const REAL: &str = "the real passphrase";
const DURESS: &str = "the duress passphrase";
const DAY_MS: i64 = 86_400_000;

fn open(dir: &std::path::Path, clock: &Arc<FakeClock>) -> Arc<Core> {
    let ks: Arc<dyn KeyStore> = FileKeyStore::new(dir.to_string_lossy().into_owned());
    Core::open_with_config(
        dir.to_string_lossy().into_owned(),
        clock.clone(),
        Some(ks),
        VaultConfig::for_tests(4),
    )
    .expect("open")
}

fn query(text: &str) -> Query {
    Query {
        text: text.into(),
        user_language: "en".into(),
        ..Query::default()
    }
}

fn a_resource(wp: &Core) -> String {
    wp.directory_search(&query("trafficking"))
        .expect("search")
        .first()
        .expect("the packaged directory has a hotline")
        .id
        .clone()
}

fn court_date() -> AppointmentDraft {
    AppointmentDraft {
        title: "Asylum hearing".into(),
        kind: AppointmentKind::Court,
        start_local: "2026-01-20T09:00".into(),
        time_zone: "America/New_York".into(),
        reminder_offsets_minutes: vec![60, 1440],
        ..AppointmentDraft::default()
    }
}

fn a_passport() -> crate::documents::DocumentDraft {
    crate::documents::DocumentDraft {
        doc_type: crate::documents::DocumentType::Passport,
        number: Some("P1234567".into()),
        expires_on: Some("2026-02-10".into()),
        expiry_reminder_days: vec![7],
        ..crate::documents::DocumentDraft::default()
    }
}

fn ids(plan: &ReminderPlan) -> BTreeSet<String> {
    plan.schedule
        .iter()
        .map(|r| r.notification_id.clone())
        .collect()
}

/// How an exported call ended, by kind only (which error variant and field).
fn kind<T>(r: crate::Result<T>) -> String {
    match r {
        Ok(_) => "ok".into(),
        Err(crate::Error::InvalidInput { field, .. }) => format!("invalid {field}"),
        Err(e) => format!("{e:?}")
            .split([' ', '{', '('])
            .next()
            .unwrap_or_default()
            .to_owned(),
    }
}

/// Everything a person holding the phone sees of an unlocked session, by kind.
#[derive(Debug, PartialEq)]
struct Seen {
    status: Status,
    journal: usize,
    search: usize,
    damaged: u32,
    favourites: usize,
    appointments: usize,
    documents: usize,
    safety_plan: u64,
    occurrences: usize,
    plan_schedule: usize,
    plan_cancel: usize,
    plan_missed: usize,
    actions: Vec<String>,
}

/// Looks at everything, then tries every vault action (each as the apps offer it) with
/// `own` being the passphrase that opened the session, then looks again.
fn look_and_act(
    wp: &Core,
    own: &str,
    scheduler: &Arc<crate::platform::DesktopNotificationScheduler>,
) -> Seen {
    let look = |actions: Vec<String>| {
        let plan = wp
            .reminders_sync(scheduler.clone(), 30, ReminderVoice::default())
            .expect("reminder plan");
        Seen {
            status: wp.status().expect("status"),
            journal: wp.journal_list(EntryFilter::default()).expect("list").len(),
            search: wp.journal_search("hearing".into()).expect("search").len(),
            damaged: wp.journal_damaged_count().expect("damaged"),
            favourites: wp.directory_favourites().expect("favourites").len(),
            appointments: wp.appointment_list().expect("appointments").len(),
            documents: wp.documents_list().expect("documents").len(),
            safety_plan: wp.safety_plan_get().expect("safety plan").revision,
            occurrences: wp
                .appointment_occurrences(NOW - 30 * DAY_MS, NOW + 400 * DAY_MS)
                .expect("occurrences")
                .len(),
            plan_schedule: plan.schedule.len(),
            plan_cancel: plan.cancel.len(),
            plan_missed: plan.missed.len(),
            actions,
        }
    };
    let before = look(Vec::new());
    let changed = format!("{own} changed");
    let actions = vec![
        kind(wp.set_wipe_after_failures(Some(0))),
        kind(wp.set_wipe_after_failures(Some(10))),
        kind(wp.set_wipe_after_failures(None)),
        kind(wp.set_duress_passphrase(String::new(), false)),
        kind(wp.set_duress_passphrase(own.into(), false)),
        kind(wp.set_duress_passphrase("a third passphrase".into(), true)),
        kind(wp.clear_duress_passphrase()),
        kind(wp.change_passphrase("not the passphrase".into(), "x".into())),
        kind(wp.change_passphrase(own.into(), changed.clone())),
        kind(wp.change_passphrase(changed, own.into())),
        kind(wp.journal_get("0".repeat(32))),
        kind(wp.appointment_get("0".repeat(32))),
        kind(wp.documents_get("0".repeat(32))),
        kind(wp.documents_delete("0".repeat(32))),
        kind(wp.directory_favourite_remove(&"0".repeat(32))),
        kind(wp.unlock_retry_after_s()),
    ];
    let after = look(actions);
    assert_eq!(
        (
            before.journal,
            before.favourites,
            before.appointments,
            before.documents
        ),
        (
            after.journal,
            after.favourites,
            after.appointments,
            after.documents
        )
    );
    after
}

#[test]
fn a_duress_session_looks_like_a_fresh_vault_and_spares_the_real_one() {
    // What a fresh, empty vault shows.
    let fresh_dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(NOW));
    let fresh = open(fresh_dir.path(), &clock);
    fresh.setup(DURESS.into()).expect("setup");
    let fresh_seen = look_and_act(
        &fresh,
        DURESS,
        &crate::platform::DesktopNotificationScheduler::new(),
    );

    // The real vault, in use: a journal entry, a favourite, a court date with reminders
    // handed to the phone's scheduler.
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = open(dir.path(), &clock);
    let phone = crate::platform::DesktopNotificationScheduler::new();
    wp.setup(REAL.into()).expect("setup");
    let entry = wp
        .journal_add(EntryDraft {
            title: "hearing notes".into(),
            body: "what he said at the hearing".into(),
            ..EntryDraft::default()
        })
        .expect("entry");
    wp.journal_attach_bytes(
        entry.id.clone(),
        vec![7; 3000],
        "a.jpg".into(),
        "image/jpeg".into(),
    )
    .expect("attach");
    let resource = a_resource(&wp);
    let fav = wp
        .directory_favourite_add(&resource, "the one who helped")
        .expect("favourite");
    let court = wp.appointment_add(court_date()).expect("appointment");
    let passport = wp.documents_add(a_passport()).expect("document");
    wp.documents_set_file_bytes(
        passport.id.clone(),
        vec![9; 2000],
        "p.jpg".into(),
        "image/jpeg".into(),
    )
    .expect("document file");
    let passport_now = wp.documents_get(passport.id.clone()).expect("document");
    let real_plan = wp
        .reminders_sync(phone.clone(), 30, ReminderVoice::default())
        .expect("plan");
    let court_ids = ids(&real_plan);
    assert_eq!(
        court_ids.len(),
        3,
        "a day and an hour before the hearing, a week before the passport expires"
    );
    wp.set_wipe_after_failures(Some(10)).expect("wipe-after");
    wp.set_duress_passphrase(DURESS.into(), false)
        .expect("duress");
    wp.lock();

    // Forced open with the duress passphrase.
    wp.unlock(DURESS.into()).expect("decoy opens");
    let decoy_seen = look_and_act(&wp, DURESS, &phone);
    assert_eq!(
        decoy_seen, fresh_seen,
        "the decoy shows what a fresh vault shows"
    );
    assert_eq!(
        decoy_seen.actions,
        [
            "invalid wipe_after",
            "ok",
            "ok",
            "invalid passphrase",
            "invalid duress_passphrase",
            "ok",
            "ok",
            "WrongPassphrase",
            "ok",
            "ok",
            "NotFound",
            "NotFound",
            "NotFound",
            "NotFound",
            "NotFound",
            "ok",
        ],
        "every vault action behaves as in a real vault: no \"locked\""
    );
    // The phone still holds the real reminders: the decoy's plan cancelled none of them.
    let pending: BTreeSet<String> = phone
        .pending()
        .iter()
        .map(|r| r.notification_id.clone())
        .collect();
    assert_eq!(
        pending, court_ids,
        "the decoy cancelled nothing of the real vault"
    );
    // The decoy's own use works like any vault's.
    let own_fav = wp
        .directory_favourite_add(&resource, "decoy note")
        .expect("decoy favourite");
    assert_eq!(wp.directory_favourites().expect("list").len(), 1);
    assert!(matches!(
        wp.directory_favourite_set_note(&fav.id, "x"),
        Err(crate::Error::NotFound)
    ));
    let mut decoy_appt = court_date();
    decoy_appt.title = "Dentist".into();
    decoy_appt.start_local = "2026-01-22T15:00".into();
    wp.appointment_add(decoy_appt).expect("decoy appointment");
    let decoy_plan = wp
        .reminders_sync(phone.clone(), 30, ReminderVoice::default())
        .expect("decoy plan");
    assert!(decoy_plan.cancel.is_empty());
    assert!(ids(&decoy_plan).is_disjoint(&court_ids));
    wp.lock();

    // Reboot, locked: both vaults' reminders are rescheduled, the court date included.
    drop(wp);
    let wp = open(dir.path(), &clock);
    let locked = wp
        .reminders_locked_plan(ReminderVoice::default())
        .expect("locked plan");
    let locked_ids = ids(&locked);
    assert!(
        court_ids.is_subset(&locked_ids),
        "the court reminder survives a reboot"
    );
    assert!(ids(&decoy_plan).is_subset(&locked_ids));

    // The real vault afterwards: everything intact, nothing to cancel, same reminders.
    wp.unlock(REAL.into()).expect("real opens");
    let list = wp.journal_list(EntryFilter::default()).expect("journal");
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].attachments.len(), 1);
    assert_eq!(
        wp.journal_get(entry.id.clone()).expect("entry").body,
        "what he said at the hearing"
    );
    let favs = wp.directory_favourites().expect("favourites");
    assert_eq!(favs.len(), 1);
    assert_eq!(
        (favs[0].id.as_str(), favs[0].note.as_str()),
        (fav.id.as_str(), "the one who helped")
    );
    assert!(matches!(
        wp.directory_favourite_remove(&own_fav.id),
        Err(crate::Error::NotFound)
    ));
    assert_eq!(wp.appointment_list().expect("appointments")[0].id, court.id);
    let docs = wp.documents_list().expect("documents");
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0], passport_now);
    assert_eq!(
        wp.documents_file_bytes(passport.id.clone()).expect("scan"),
        vec![9; 2000]
    );
    let again = wp
        .reminders_sync(phone.clone(), 30, ReminderVoice::default())
        .expect("plan");
    assert_eq!(ids(&again), court_ids);
    assert!(
        again.cancel.is_empty(),
        "the real plan cancels nothing of the decoy either"
    );
    // The decoy's duress-set and duress-clear stored nothing: both passphrases still work,
    // the one the decoy "set" opens nothing.
    wp.lock();
    wp.unlock(DURESS.into())
        .expect("duress still opens the decoy");
    wp.lock();
    assert!(matches!(
        wp.unlock("a third passphrase".into()),
        Err(crate::Error::WrongPassphrase { .. })
    ));
    wp.unlock(REAL.into()).expect("real still opens");
    wp.lock();
    // The decoy's wipe-after "off" did not disarm the real vault's policy of 10.
    for _ in 0..10 {
        clock.advance(2 * 3_600_000);
        let _ = wp.unlock("wrong".into());
    }
    assert_eq!(wp.vault_state().expect("state"), VaultState::Uninitialized);
}

fn count(wp: &Core, table: &str) -> i64 {
    wp.store
        .with_conn(|c| {
            Ok(
                c.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
                    r.get(0)
                })?,
            )
        })
        .expect("count")
}

fn files_in(dir: &std::path::Path, sub: &str) -> usize {
    std::fs::read_dir(dir.join(sub)).map_or(0, |d| d.flatten().count())
}

/// Puts a row into every personal table through the API (and a file in every personal
/// directory), as the vault opened with `pass`.
fn fill(wp: &Core, scheduler: &Arc<crate::platform::DesktopNotificationScheduler>) {
    let entry = wp
        .journal_add(EntryDraft {
            title: "t".into(),
            body: "b".into(),
            ..EntryDraft::default()
        })
        .expect("entry");
    wp.journal_edit(
        entry.id.clone(),
        EntryDraft {
            title: "t2".into(),
            body: "b2".into(),
            ..EntryDraft::default()
        },
    )
    .expect("edit");
    wp.journal_attach_bytes(entry.id, vec![1; 100], "n".into(), "text/plain".into())
        .expect("attach");
    wp.directory_favourite_add(&a_resource(wp), "note")
        .expect("favourite");
    wp.appointment_add(court_date()).expect("appointment");
    let doc = wp.documents_add(a_passport()).expect("document");
    wp.documents_set_file_bytes(doc.id, vec![2; 100], "d".into(), "image/png".into())
        .expect("document file");
    wp.safety_plan_set_section(
        crate::safety_plan::Section::SafePlaces,
        crate::safety_plan::SectionContent {
            items: vec!["p".into()],
            notes: None,
        },
    )
    .expect("safety plan");
    wp.sharing_add_recipient(
        "r".into(),
        "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p".into(),
    )
    .expect("recipient");
    wp.reminders_sync(scheduler.clone(), 30, ReminderVoice::default())
        .expect("plan");
}

#[test]
fn a_wipe_empties_every_table_and_directory_a_component_declares_personal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(NOW));
    let wp = open(dir.path(), &clock);
    wp.setup(REAL.into()).expect("setup");
    fill(&wp, &crate::platform::DesktopNotificationScheduler::new());
    for t in wp.store.personal_tables() {
        assert!(count(&wp, t.name) > 0, "{} was filled", t.name);
    }
    for d in wp.store.personal_dirs() {
        assert!(files_in(dir.path(), d.dir) > 0, "{} was filled", d.dir);
    }
    let public_before = count(&wp, "directory_record");
    wp.lock();
    wp.vault_ctx().wipe().expect("wipe");
    for t in wp.store.personal_tables() {
        assert_eq!(count(&wp, t.name), 0, "{} wiped", t.name);
    }
    for d in wp.store.personal_dirs() {
        assert_eq!(files_in(dir.path(), d.dir), 0, "{} wiped", d.dir);
    }
    assert_eq!(
        count(&wp, "directory_record"),
        public_before,
        "public data kept"
    );
    assert_eq!(wp.vault_state().expect("state"), VaultState::Uninitialized);
}

#[test]
fn duress_shred_leaves_only_what_the_decoy_lists() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(NOW));
    let wp = open(dir.path(), &clock);
    let phone = crate::platform::DesktopNotificationScheduler::new();
    wp.setup(REAL.into()).expect("setup");
    fill(&wp, &phone);
    wp.set_duress_passphrase(DURESS.into(), true)
        .expect("duress with shred");
    wp.lock();
    wp.unlock(DURESS.into()).expect("decoy opens and shreds");
    for t in wp.store.personal_tables() {
        if let crate::store::Holds::Tagged(_)
        | crate::store::Holds::PerVault(_)
        | crate::store::Holds::Child = t.holds
        {
            assert_eq!(
                count(&wp, t.name),
                0,
                "{}: only the decoy's rows are left",
                t.name
            );
        }
    }
    for d in wp.store.personal_dirs() {
        assert_eq!(
            files_in(dir.path(), d.dir),
            0,
            "{}: no real file left",
            d.dir
        );
    }
    // The decoy works on as an ordinary vault, and its rows are kept by the next shred.
    fill(&wp, &phone);
    let mine: Vec<i64> = wp
        .store
        .personal_tables()
        .map(|t| count(&wp, t.name))
        .collect();
    wp.lock();
    wp.unlock(DURESS.into()).expect("decoy opens again");
    let still: Vec<i64> = wp
        .store
        .personal_tables()
        .map(|t| count(&wp, t.name))
        .collect();
    assert_eq!(mine, still, "the decoy's own rows survive its own unlock");
    assert_eq!(
        wp.journal_list(EntryFilter::default()).expect("list").len(),
        1
    );
    assert_eq!(wp.directory_favourites().expect("favourites").len(), 1);
}

#[test]
fn a_schedule_from_before_the_upgrade_is_kept_and_claimed_by_its_own_vault() {
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(NOW));
    let wp = open(dir.path(), &clock);
    let phone = crate::platform::DesktopNotificationScheduler::new();
    wp.setup(REAL.into()).expect("setup");
    wp.appointment_add(court_date()).expect("appointment");
    let court_ids = ids(&wp
        .reminders_sync(phone.clone(), 30, ReminderVoice::default())
        .expect("plan"));
    wp.set_duress_passphrase(DURESS.into(), false)
        .expect("duress");
    wp.lock();
    // Put the database back to appointments version 1: one shared schedule in slot 0.
    wp.store
        .with_conn(|c| {
            let sealed: Vec<u8> =
                c.query_row("SELECT sealed FROM appointment_schedule", [], |r| r.get(0))?;
            c.execute_batch(
                "DROP TABLE appointment_schedule;
                 CREATE TABLE appointment_schedule (
                     slot INTEGER PRIMARY KEY CHECK (slot = 0),
                     sealed BLOB NOT NULL
                 ) STRICT;
                 UPDATE schema_version SET version = 1 WHERE component = 'appointments';",
            )?;
            c.execute(
                "INSERT INTO appointment_schedule (slot, sealed) VALUES (0, ?1)",
                [sealed],
            )?;
            Ok(())
        })
        .expect("downgrade");
    drop(wp);
    let wp = open(dir.path(), &clock);
    let untagged = |wp: &Core| count_where(wp, "appointment_schedule", "tag IS NULL");
    assert_eq!(untagged(&wp), 1, "the old schedule is kept, owner unknown");
    let locked = wp
        .reminders_locked_plan(ReminderVoice::default())
        .expect("locked plan");
    assert_eq!(ids(&locked), court_ids, "still rescheduled after a reboot");

    // The decoy recognises none of it: it takes nothing and cancels nothing.
    wp.unlock(DURESS.into()).expect("decoy");
    let decoy = wp
        .reminders_sync(phone.clone(), 30, ReminderVoice::default())
        .expect("decoy plan");
    assert!(decoy.schedule.is_empty() && decoy.cancel.is_empty());
    assert_eq!(untagged(&wp), 1);
    wp.lock();

    // The real vault claims its own reminders; the old row is then gone.
    wp.unlock(REAL.into()).expect("real");
    let real = wp
        .reminders_sync(phone.clone(), 30, ReminderVoice::default())
        .expect("real plan");
    assert_eq!(ids(&real), court_ids);
    assert!(real.cancel.is_empty());
    assert_eq!(untagged(&wp), 0);
    let pending: BTreeSet<String> = phone
        .pending()
        .iter()
        .map(|r| r.notification_id.clone())
        .collect();
    assert_eq!(pending, court_ids);
}

fn count_where(wp: &Core, table: &str, cond: &str) -> i64 {
    wp.store
        .with_conn(|c| {
            Ok(c.query_row(
                &format!("SELECT count(*) FROM \"{table}\" WHERE {cond}"),
                [],
                |r| r.get(0),
            )?)
        })
        .expect("count")
}

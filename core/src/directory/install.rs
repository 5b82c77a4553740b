//! The one install seam: every write of a verified directory goes through [`install`], for
//! a file import ([`super::apply_update`]), a sync ([`super::commit_sync`]) and the packaged
//! bundle alike, so the stored rows do not depend on where an update came from.
//!
//! Every phone and schedule is checked before the transaction starts (one bad record
//! refuses the whole update); then signed bytes, keyset rotations, the searchable tables
//! and the state change in ONE transaction, and the state after the commit is returned.

use rusqlite::{params, Transaction};
use waypoint_format::{VerifiedBundle, VerifiedKeyset};

use super::state::{read_state, write_state, State};
use super::{dial, hours, text, Origin};
use crate::error::{Error, Result};
use crate::store::Store;

/// The version of the rules that turn signed records into the derived tables: phone
/// numbers (number type, country against prefix, short codes), e-mail and link grammar, the
/// encoding of dial actions, time zones. Raise it whenever any of them changes: every open
/// re-derives the tables of a held directory stored under another version from its signed
/// bytes (`open::open_with`), so links an older build computed are never served on.
///
/// 2: record rowids follow the search order (folded name, then id) and names are indexed
/// alone in `directory_name_fts` (schema step 7).
pub(super) const DERIVED_RULES: i64 = 2;

/// What one install commits.
pub(super) struct Install<'a> {
    /// Keyset rotations, oldest first, each verified (with its signed bytes).
    pub rotations: &'a [VerifiedKeyset],
    /// The new directory and where it comes from (None: only rotations and the time).
    pub directory: Option<(&'a VerifiedBundle, Origin)>,
    /// Latest time now known (Unix seconds).
    pub latest_known_time: i64,
}

/// Commits `what` (and the caller's own bookkeeping, `also`) in one transaction and returns
/// the directory state after the commit (None only when nothing was ever installed and
/// this commit installs no directory). A full bundle replaces the stored signed chain; a
/// state reached by a delta appends the delta to it. The signed row records the keyset
/// version that verified it, except for the packaged bundle (verified under the build's
/// own root, see `trust::packaged_keyset`).
pub(super) fn install(
    store: &Store,
    what: &Install<'_>,
    now: i64,
    also: impl FnOnce(&Transaction<'_>) -> Result<()>,
) -> Result<Option<State>> {
    let actions = match what.directory {
        Some((bundle, _)) => Some(validate_for_dialling(bundle)?),
        None => None,
    };
    store.transaction(|tx| {
        for keyset in what.rotations {
            tx.execute(
                "INSERT OR REPLACE INTO directory_keyset (version, bytes) VALUES (?1, ?2)",
                params![keyset.version as i64, keyset.signed_bytes()],
            )?;
        }
        match (what.directory, &actions) {
            (Some((bundle, origin)), Some(actions)) => {
                let accepted_by = match origin {
                    Origin::Update => Some(bundle.keyset_version() as i64),
                    Origin::Packaged => None,
                };
                if bundle.via_delta() {
                    tx.execute(
                        "INSERT INTO directory_signed (seq, kind, bytes, keyset_version)
                         VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM directory_signed),
                                 'delta', ?1, ?2)",
                        params![bundle.signed_bytes(), accepted_by],
                    )?;
                } else {
                    tx.execute("DELETE FROM directory_signed", [])?;
                    tx.execute(
                        "INSERT INTO directory_signed (seq, kind, bytes, keyset_version)
                         VALUES (1, 'bundle', ?1, ?2)",
                        params![bundle.signed_bytes(), accepted_by],
                    )?;
                }
                materialize(tx, bundle, actions)?;
                write_state(tx, bundle, what.latest_known_time, origin, now)?;
            }
            _ => touch_time(tx, what.latest_known_time, now)?,
        }
        also(tx)?;
        read_state(tx)
    })
}

/// Rebuilds the searchable tables from a held state re-verified from its signed bytes
/// (the tables were damaged, or were derived under other rules than today's
/// [`DERIVED_RULES`]; the signed rows stay as they are). Every record is validated under
/// today's rules first, like an install: an `Error::Verification` means a held record no
/// longer passes them, and nothing was changed.
pub(super) fn rebuild_tables(
    store: &Store,
    held: &VerifiedBundle,
    origin: Origin,
    latest: i64,
    now: i64,
) -> Result<()> {
    let actions = validate_for_dialling(held)?;
    store.transaction(|tx| {
        materialize(tx, held, &actions)?;
        write_state(tx, held, latest, origin, now)
    })
}

/// Records the latest known time and clock reading when nothing else changes.
pub(super) fn touch_time(conn: &rusqlite::Connection, latest: i64, now: i64) -> Result<()> {
    conn.execute(
        "UPDATE directory_state SET latest_known_time = ?1,
             clock_high = MAX(COALESCE(clock_high, ?2), ?2)
         WHERE id = 1",
        [latest, now],
    )?;
    Ok(())
}

/// Each record's dial actions, serialised as `directory_record.actions` stores them, in
/// bundle order. libphonenumber is the costly part of an install: computed once by
/// [`validate_for_dialling`] and handed to [`materialize`].
pub(super) struct DialActions(Vec<String>);

fn record_actions(vr: &waypoint_format::VerifiedRecord) -> Result<String> {
    let actions = dial::actions(vr.record())
        .map_err(|e| Error::Verification(format!("record {}: {}", vr.id(), e.0)))?;
    serde_json::to_string(&actions).map_err(|_| Error::Corrupt("dial actions"))
}

/// Stores `bundle` as a build with older rules did: its signed bytes, tables with the
/// given dial actions (`actions`, one serialised list per record, unchecked) and
/// `derived_rules` (tests of the upgrade path).
#[cfg(test)]
pub(super) fn install_as_older_build(
    store: &Store,
    bundle: &VerifiedBundle,
    actions: Vec<String>,
    derived_rules: i64,
    now: i64,
) -> Result<()> {
    store.transaction(|tx| {
        tx.execute("DELETE FROM directory_signed", [])?;
        tx.execute(
            "INSERT INTO directory_signed (seq, kind, bytes, keyset_version)
             VALUES (1, 'bundle', ?1, ?2)",
            params![bundle.signed_bytes(), bundle.keyset_version() as i64],
        )?;
        materialize(tx, bundle, &DialActions(actions))?;
        write_state(tx, bundle, now, Origin::Update, now)?;
        tx.execute(
            "UPDATE directory_state SET derived_rules = ?1 WHERE id = 1",
            [derived_rules],
        )?;
        Ok(())
    })
}

/// Validates what the format crate cannot: every phone number (libphonenumber rules) and
/// every schedule's time zone. One bad record rejects the whole update. Returns the dial
/// actions it computed on the way.
pub(super) fn validate_for_dialling(bundle: &VerifiedBundle) -> Result<DialActions> {
    let mut all = Vec::with_capacity(bundle.records().len());
    for r in bundle.records() {
        all.push(record_actions(r)?);
        let schedules = r
            .record()
            .schedule
            .iter()
            .chain(r.record().phones.iter().filter_map(|p| p.hours.as_ref()));
        for s in schedules {
            if !hours::known_timezone(&s.timezone) {
                return Err(Error::Verification(format!(
                    "record {}: unknown time zone",
                    r.id()
                )));
            }
        }
    }
    Ok(DialActions(all))
}

/// Replaces the searchable tables with `bundle`'s records (`actions`: theirs, from
/// [`validate_for_dialling`]). Runs inside the caller's transaction.
///
/// Records are stored in the static search order, folded English-or-first name then id:
/// rowid 1 is the first record a search without other ranking shows. FTS5 returns matches
/// in rowid order, so search reads them best first and stops at its page
/// (`search::ranked`) instead of scoring every match.
fn materialize(tx: &Transaction<'_>, bundle: &VerifiedBundle, actions: &DialActions) -> Result<()> {
    if actions.0.len() != bundle.records().len() {
        return Err(Error::Corrupt("dial actions"));
    }
    tx.execute_batch(
        "DELETE FROM directory_fts; DELETE FROM directory_name_fts;
         DELETE FROM directory_area; DELETE FROM directory_facet;
         DELETE FROM directory_record;",
    )?;
    let mut ins_record = tx.prepare(
        "INSERT INTO directory_record (rowid, id, raw, free, always_open, hours, actions, sort_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?;
    let mut ins_name =
        tx.prepare("INSERT INTO directory_name_fts (rowid, name) VALUES (?1, ?2)")?;
    let mut ins_facet = tx.prepare(
        "INSERT INTO directory_facet
             (record, sort_name, free, always_open, hours, categories, languages)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut ins_area = tx.prepare(
        "INSERT INTO directory_area (record, country, region, latitude, longitude) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut ins_fts = tx.prepare(
        "INSERT INTO directory_fts (rowid, name, organization, description, extra) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let sort_name = |r: &waypoint_format::record::Record| {
        text::fold(text::pick(&r.name, "en").map(|(_, t)| t).unwrap_or(""))
    };
    let mut ordered: Vec<(String, &waypoint_format::VerifiedRecord, &String)> = bundle
        .records()
        .iter()
        .zip(&actions.0)
        .map(|(vr, a)| (sort_name(vr.record()), vr, a))
        .collect();
    // Ids are unique, so the order is total.
    ordered.sort_by(|a, b| (a.0.as_str(), a.1.id()).cmp(&(b.0.as_str(), b.1.id())));
    // Dial actions were computed once at validation (libphonenumber is not cheap) and are
    // served as is.
    for (rank, (sort_name, vr, actions)) in ordered.into_iter().enumerate() {
        let rowid = i64::try_from(rank).map_err(|_| Error::Corrupt("record count"))? + 1;
        let r = &vr.record();
        let schedules: Vec<&waypoint_format::record::Schedule> = match &r.schedule {
            Some(s) => vec![s],
            None => r.phones.iter().filter_map(|p| p.hours.as_ref()).collect(),
        };
        let always_open = schedules.iter().any(|s| s.always_open);
        let hours = if schedules.is_empty() {
            None
        } else {
            Some(serde_json::to_string(&schedules).map_err(|_| Error::Corrupt("schedule"))?)
        };
        ins_record.execute(params![
            rowid,
            vr.id(),
            vr.raw(),
            r.fees.free,
            always_open,
            hours,
            actions,
            sort_name
        ])?;
        let mut langs: Vec<String> = r
            .languages
            .iter()
            .chain(r.phones.iter().flat_map(|p| p.languages.iter()))
            .map(|l| text::primary_language(l))
            .collect();
        langs.sort();
        langs.dedup();
        ins_facet.execute(params![
            rowid,
            sort_name,
            r.fees.free,
            always_open,
            hours,
            super::search::category_mask(&r.categories),
            if langs.is_empty() {
                String::new()
            } else {
                format!(",{},", langs.join(","))
            }
        ])?;
        for loc in &r.locations {
            ins_area.execute(params![
                rowid,
                loc.country,
                loc.region,
                loc.latitude,
                loc.longitude
            ])?;
        }
        let join = |t: &std::collections::BTreeMap<String, String>| {
            text::fold(&t.values().cloned().collect::<Vec<_>>().join(" \n "))
        };
        let mut extra: Vec<String> = Vec::new();
        for c in &r.categories {
            extra.push(c.as_str().replace('_', " "));
        }
        for p in &r.phones {
            extra.push(p.number.clone());
            extra.push(p.number.chars().filter(char::is_ascii_digit).collect());
            extra.extend(p.keyword.clone());
            extra.extend(p.description.values().cloned());
        }
        for loc in &r.locations {
            extra.push(loc.country.clone());
            extra.extend(loc.region.clone());
            extra.extend(loc.address.clone());
            extra.extend(loc.name.values().cloned());
        }
        extra.extend(r.eligibility.values().cloned());
        let name = join(&r.name);
        ins_name.execute(params![rowid, name])?;
        ins_fts.execute(params![
            rowid,
            name,
            join(&r.organization),
            join(&r.description),
            text::fold(&extra.join(" \n "))
        ])?;
    }
    Ok(())
}

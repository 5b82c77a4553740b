//! The one install seam: every write of a verified directory goes through [`install`], for
//! a file import ([`super::apply_update`]), a sync ([`super::commit_sync`]) and the packaged
//! bundle alike, so the stored rows do not depend on where an update came from.
//!
//! Every phone and schedule is checked before the transaction starts (one bad record
//! refuses the whole update); then signed bytes, keyset rotations, the searchable tables
//! and the state change in ONE transaction, and the state after the commit is returned.
//!
//! A full bundle replaces every table. A delta ([`Verified::Delta`], verified against the
//! held per-record digests) touches only the rows of the records it changes: their rows
//! are deleted from every table and the upserts inserted at a rowid between their
//! neighbours in the search order (rowids are spaced [`ROWID_GAP`] apart for that); when
//! two neighbours leave no room, the tables are renumbered from the held rows in the same
//! transaction. Validation (phones, time zones) runs on the changed records only.

use std::collections::HashMap;

use rusqlite::{params, OptionalExtension, Transaction};
use sha2::{Digest, Sha256};
use waypoint_format::record::Record;
use waypoint_format::{VerifiedBundle, VerifiedDelta, VerifiedKeyset, VerifiedRecord};

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
/// 3: rowids are spaced [`ROWID_GAP`] apart, and `directory_digest` holds each record's
/// SHA-256 (schema step 8), so a delta installs only what it changes.
pub(super) const DERIVED_RULES: i64 = 3;

/// Distance between the rowids of neighbours in the search order after a full install. A
/// delta places the records that land between two held neighbours evenly in the gap
/// between them (up to 15 at once); later deltas placing more records into what is left
/// of one gap halve it, and when none is left the tables are renumbered (see
/// [`apply_delta`]). Small on purpose: FTS5 stores each rowid as a varint delta from the
/// previous one in a term's doclist, and a one-byte varint holds up to 127, so a gap of
/// 16 keeps terms found in every 8th record or more at one byte a rowid (a gap of 1024
/// made the 50k full-text index 23 % larger).
pub(super) const ROWID_GAP: i64 = 16;

/// A verified directory, whatever wire format it arrived in: a whole state, or the
/// changes of a delta on the held one.
#[derive(Debug, Clone, Copy)]
pub enum Verified<'a> {
    /// A full state (a bundle; or a delta applied to a re-verified held state).
    Bundle(&'a VerifiedBundle),
    /// A delta verified against the held version, content hash and per-record digests.
    Delta(&'a VerifiedDelta),
}

impl Verified<'_> {
    /// The version it brings.
    pub fn version(&self) -> u64 {
        match self {
            Verified::Bundle(b) => b.version(),
            Verified::Delta(d) => d.version(),
        }
    }

    /// When it was created (Unix seconds).
    pub fn created(&self) -> i64 {
        match self {
            Verified::Bundle(b) => b.created(),
            Verified::Delta(d) => d.created(),
        }
    }

    /// When it expires (Unix seconds).
    pub fn expires(&self) -> i64 {
        match self {
            Verified::Bundle(b) => b.expires(),
            Verified::Delta(d) => d.expires(),
        }
    }

    /// Content hash of the resulting set, as signed.
    pub fn content_hash(&self) -> &[u8; 32] {
        match self {
            Verified::Bundle(b) => b.content_hash(),
            Verified::Delta(d) => d.content_hash(),
        }
    }

    /// Whether it came as a delta on the held version.
    pub fn via_delta(&self) -> bool {
        match self {
            Verified::Bundle(b) => b.via_delta(),
            Verified::Delta(_) => true,
        }
    }

    fn signed_bytes(&self) -> &[u8] {
        match self {
            Verified::Bundle(b) => b.signed_bytes(),
            Verified::Delta(d) => d.signed_bytes(),
        }
    }

    fn keyset_version(&self) -> u64 {
        match self {
            Verified::Bundle(b) => b.keyset_version(),
            Verified::Delta(d) => d.keyset_version(),
        }
    }

    /// The records to validate: all of a full state, the upserts of a delta.
    fn records(&self) -> &[VerifiedRecord] {
        match self {
            Verified::Bundle(b) => b.records(),
            Verified::Delta(d) => d.upserts(),
        }
    }
}

/// What one install commits.
pub(super) struct Install<'a> {
    /// Keyset rotations, oldest first, each verified (with its signed bytes).
    pub rotations: &'a [VerifiedKeyset],
    /// The new directory and where it comes from (None: only rotations and the time).
    pub directory: Option<(Verified<'a>, Origin)>,
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
        Some((v, _)) => Some(validate_for_dialling(v.records())?),
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
            (Some((v, origin)), Some(actions)) => {
                let accepted_by = match origin {
                    Origin::Update => Some(v.keyset_version() as i64),
                    Origin::Packaged => None,
                };
                if let Verified::Delta(d) = v {
                    // Verified against the state read before this transaction: it must
                    // still be the one held.
                    let held = read_state(tx)?;
                    if !held.is_some_and(|s| {
                        s.version == d.base_version()
                            && s.content_hash.as_slice() == d.base_content_hash().as_slice()
                            && s.derived_rules == DERIVED_RULES
                    }) {
                        return Err(Error::Verification(
                            "the held directory changed; fetch the full bundle".into(),
                        ));
                    }
                }
                if v.via_delta() {
                    tx.execute(
                        "INSERT INTO directory_signed (seq, kind, bytes, keyset_version)
                         VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM directory_signed),
                                 'delta', ?1, ?2)",
                        params![v.signed_bytes(), accepted_by],
                    )?;
                } else {
                    tx.execute("DELETE FROM directory_signed", [])?;
                    tx.execute(
                        "INSERT INTO directory_signed (seq, kind, bytes, keyset_version)
                         VALUES (1, 'bundle', ?1, ?2)",
                        params![v.signed_bytes(), accepted_by],
                    )?;
                }
                match v {
                    Verified::Bundle(bundle) => {
                        materialize(tx, rows_of(bundle.records(), actions)?)?
                    }
                    Verified::Delta(delta) => apply_delta(tx, delta, actions)?,
                }
                write_state(tx, v, what.latest_known_time, origin, now)?;
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
    let actions = validate_for_dialling(held.records())?;
    store.transaction(|tx| {
        materialize(tx, rows_of(held.records(), &actions)?)?;
        write_state(tx, Verified::Bundle(held), latest, origin, now)
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
        materialize(tx, rows_of(bundle.records(), &DialActions(actions))?)?;
        write_state(tx, Verified::Bundle(bundle), now, Origin::Update, now)?;
        tx.execute(
            "UPDATE directory_state SET derived_rules = ?1 WHERE id = 1",
            [derived_rules],
        )?;
        Ok(())
    })
}

/// Validates what the format crate cannot: every phone number (libphonenumber rules) and
/// every schedule's time zone, of `records` (a whole state, or a delta's upserts). One bad
/// record rejects the whole update. Returns the dial actions it computed on the way.
pub(super) fn validate_for_dialling(records: &[VerifiedRecord]) -> Result<DialActions> {
    let mut all = Vec::with_capacity(records.len());
    for r in records {
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

/// One record as the tables store it: signed bytes, parsed record, dial actions, digest.
struct Row<'a> {
    id: &'a str,
    raw: &'a str,
    record: &'a Record,
    actions: &'a str,
    digest: [u8; 32],
}

/// The rows of verified records with their dial actions (from [`validate_for_dialling`]).
fn rows_of<'a>(records: &'a [VerifiedRecord], actions: &'a DialActions) -> Result<Vec<Row<'a>>> {
    if actions.0.len() != records.len() {
        return Err(Error::Corrupt("dial actions"));
    }
    Ok(records
        .iter()
        .zip(&actions.0)
        .map(|(vr, a)| Row {
            id: vr.id(),
            raw: vr.raw(),
            record: vr.record(),
            actions: a,
            digest: vr.digest(),
        })
        .collect())
}

/// The folded name a record is ordered by (English, else the first language).
fn sort_name(r: &Record) -> String {
    text::fold(text::pick(&r.name, "en").map(|(_, t)| t).unwrap_or(""))
}

/// Replaces the searchable tables with `rows`. Runs inside the caller's transaction.
///
/// Records are stored in the static search order, folded English-or-first name then id,
/// with rowids [`ROWID_GAP`] apart: the first record a search without other ranking shows
/// has rowid `ROWID_GAP`. FTS5 returns matches in rowid order, so search reads them best
/// first and stops at its page (`search::ranked`) instead of scoring every match.
fn materialize(tx: &Transaction<'_>, rows: Vec<Row<'_>>) -> Result<()> {
    tx.execute_batch(
        "DELETE FROM directory_fts; DELETE FROM directory_name_fts;
         DELETE FROM directory_area; DELETE FROM directory_facet;
         DELETE FROM directory_record; DELETE FROM directory_digest;",
    )?;
    let mut ordered: Vec<(String, Row<'_>)> =
        rows.into_iter().map(|r| (sort_name(r.record), r)).collect();
    // Ids are unique, so the order is total.
    ordered.sort_by(|a, b| (a.0.as_str(), a.1.id).cmp(&(b.0.as_str(), b.1.id)));
    for (rank, (sort_name, row)) in ordered.iter().enumerate() {
        let rowid = i64::try_from(rank)
            .ok()
            .and_then(|r| r.checked_add(1)?.checked_mul(ROWID_GAP))
            .ok_or(Error::Corrupt("record count"))?;
        insert_row(tx, rowid, sort_name, row, false)?;
    }
    // Digests in id order: the table's own key order, so each insert appends (in name
    // order they land all over the B-tree, which at 50k records outgrows the page cache).
    let mut digests: Vec<(&str, &[u8; 32])> =
        ordered.iter().map(|(_, r)| (r.id, &r.digest)).collect();
    digests.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut ins = tx.prepare_cached("INSERT INTO directory_digest (id, digest) VALUES (?1, ?2)")?;
    for (id, digest) in digests {
        ins.execute(params![id, digest.as_slice()])?;
    }
    Ok(())
}

/// Inserts one record's rows at `rowid` in every table (its digest too when `digest`).
/// Dial actions were computed once at validation (libphonenumber is not cheap) and are
/// served as is.
fn insert_row(
    tx: &Transaction<'_>,
    rowid: i64,
    sort_name: &str,
    row: &Row<'_>,
    digest: bool,
) -> Result<()> {
    let r = row.record;
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
    tx.prepare_cached(
        "INSERT INTO directory_record (rowid, id, raw, free, always_open, hours, actions, sort_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        rowid,
        row.id,
        row.raw,
        r.fees.free,
        always_open,
        hours,
        row.actions,
        sort_name
    ])?;
    if digest {
        tx.prepare_cached("INSERT OR REPLACE INTO directory_digest (id, digest) VALUES (?1, ?2)")?
            .execute(params![row.id, row.digest.as_slice()])?;
    }
    let mut langs: Vec<String> = r
        .languages
        .iter()
        .chain(r.phones.iter().flat_map(|p| p.languages.iter()))
        .map(|l| text::primary_language(l))
        .collect();
    langs.sort();
    langs.dedup();
    tx.prepare_cached(
        "INSERT INTO directory_facet
             (record, sort_name, free, always_open, hours, categories, languages)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
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
    {
        let mut ins_area = tx.prepare_cached(
            "INSERT INTO directory_area (record, country, region, latitude, longitude) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for loc in &r.locations {
            ins_area.execute(params![
                rowid,
                loc.country,
                loc.region,
                loc.latitude,
                loc.longitude
            ])?;
        }
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
    tx.prepare_cached("INSERT INTO directory_name_fts (rowid, name) VALUES (?1, ?2)")?
        .execute(params![rowid, name])?;
    tx.prepare_cached(
        "INSERT INTO directory_fts (rowid, name, organization, description, extra) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        rowid,
        name,
        join(&r.organization),
        join(&r.description),
        text::fold(&extra.join(" \n "))
    ])?;
    Ok(())
}

/// Deletes the rows of the record stored at `rowid` from every table but the digests.
fn delete_row(tx: &Transaction<'_>, rowid: i64) -> Result<()> {
    for sql in [
        "DELETE FROM directory_fts WHERE rowid = ?1",
        "DELETE FROM directory_name_fts WHERE rowid = ?1",
        "DELETE FROM directory_area WHERE record = ?1",
        "DELETE FROM directory_facet WHERE record = ?1",
        "DELETE FROM directory_record WHERE rowid = ?1",
    ] {
        tx.prepare_cached(sql)?.execute([rowid])?;
    }
    Ok(())
}

/// The rowids around the place of `(sort_name, id)` in the search order: the last record
/// before it (0 when none) and the first after it (None when none). Rowids follow that
/// order, so each side is one probe of `directory_facet_sort_name` (sort name, rowid), plus
/// the records with the same sort name, ordered by id.
fn neighbours(tx: &Transaction<'_>, sort_name: &str, id: &str) -> Result<(i64, Option<i64>)> {
    let before: Option<i64> = tx
        .prepare_cached(
            "SELECT record FROM directory_facet WHERE sort_name < ?1
             ORDER BY sort_name DESC, record DESC LIMIT 1",
        )?
        .query_row([sort_name], |r| r.get(0))
        .optional()?;
    let after: Option<i64> = tx
        .prepare_cached(
            "SELECT record FROM directory_facet WHERE sort_name > ?1
             ORDER BY sort_name, record LIMIT 1",
        )?
        .query_row([sort_name], |r| r.get(0))
        .optional()?;
    let mut low = before.unwrap_or(0);
    let mut high = after;
    let mut same = tx.prepare_cached(
        "SELECT m.record, r.id FROM directory_facet m JOIN directory_record r ON r.rowid = m.record
         WHERE m.sort_name = ?1",
    )?;
    let mut rows = same.query([sort_name])?;
    while let Some(row) = rows.next()? {
        let (rowid, other): (i64, String) = (row.get(0)?, row.get(1)?);
        if other.as_str() < id {
            low = low.max(rowid);
        } else {
            high = Some(high.map_or(rowid, |h| h.min(rowid)));
        }
    }
    Ok((low, high))
}

/// `count` free rowids strictly between `low` and `high` (no upper bound: steps of
/// [`ROWID_GAP`] after `low`), ascending and evenly spread; a single record keeps `keep`
/// (its old rowid) when that still lies between them. None: no room.
fn rowids_between(
    low: i64,
    high: Option<i64>,
    count: usize,
    keep: Option<i64>,
) -> Option<Vec<i64>> {
    if let (Some(k), 1) = (keep, count) {
        if low < k && high.is_none_or(|h| k < h) {
            return Some(vec![k]);
        }
    }
    let n = i64::try_from(count).ok()?;
    match high {
        Some(h) => {
            let span = h.checked_sub(low)?;
            if span < n.checked_add(1)? {
                return None;
            }
            // i128: span * j cannot overflow.
            Some(
                (1..=n)
                    .map(|j| low + (i128::from(span) * i128::from(j) / i128::from(n + 1)) as i64)
                    .collect(),
            )
        }
        None => (1..=n)
            .map(|j| low.checked_add(ROWID_GAP.checked_mul(j)?))
            .collect(),
    }
}

/// Installs the changes of a verified delta (`actions`: the upserts', in order) inside the
/// caller's transaction: the changed records' rows leave every table, the upserts come in
/// at their place in the search order. Unchanged records keep their rows. When an upsert
/// finds no free rowid between its neighbours, every table is renumbered from the held
/// rows and the remaining upserts ([`renumber`]). The held tables must agree with the
/// digests the delta was verified on: otherwise the update is refused and nothing changes.
fn apply_delta(tx: &Transaction<'_>, delta: &VerifiedDelta, actions: &DialActions) -> Result<()> {
    let damaged =
        || Error::Verification("the held directory is damaged; fetch the full bundle".into());
    let rows = rows_of(delta.upserts(), actions)?;
    let rowid_of = |id: &str| -> Result<Option<i64>> {
        Ok(tx
            .prepare_cached("SELECT rowid FROM directory_record WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?)
    };
    for id in delta.tombstones() {
        let rowid = rowid_of(id)?.ok_or_else(damaged)?;
        delete_row(tx, rowid)?;
        if tx
            .prepare_cached("DELETE FROM directory_digest WHERE id = ?1")?
            .execute([id])?
            != 1
        {
            return Err(damaged());
        }
    }
    let mut old: HashMap<&str, i64> = HashMap::new();
    for row in &rows {
        if let Some(rowid) = rowid_of(row.id)? {
            delete_row(tx, rowid)?;
            old.insert(row.id, rowid);
        }
    }
    let mut ordered: Vec<(String, Row<'_>)> =
        rows.into_iter().map(|r| (sort_name(r.record), r)).collect();
    ordered.sort_by(|a, b| (a.0.as_str(), a.1.id).cmp(&(b.0.as_str(), b.1.id)));
    // Each upsert's neighbours among the held records. Upserts between the same two
    // neighbours are consecutive here and share that gap evenly (a publisher adding five
    // branches of one organisation uses one gap once, not five halvings of it).
    let mut placed: Vec<(String, Row<'_>, (i64, Option<i64>))> = Vec::with_capacity(ordered.len());
    for (name, row) in ordered {
        let around = neighbours(tx, &name, row.id)?;
        placed.push((name, row, around));
    }
    let mut groups: Vec<Vec<(String, Row<'_>)>> = Vec::new();
    let mut bounds: Vec<(i64, Option<i64>)> = Vec::new();
    for (name, row, around) in placed {
        if bounds.last() == Some(&around) {
            if let Some(g) = groups.last_mut() {
                g.push((name, row));
            }
        } else {
            bounds.push(around);
            groups.push(vec![(name, row)]);
        }
    }
    let mut pending = groups.into_iter().zip(bounds);
    while let Some((group, (low, high))) = pending.next() {
        let keep = match group.as_slice() {
            [(_, row)] => old.get(row.id).copied(),
            _ => None,
        };
        match rowids_between(low, high, group.len(), keep) {
            Some(rowids) => {
                for ((name, row), rowid) in group.iter().zip(rowids) {
                    insert_row(tx, rowid, name, row, true)?;
                }
            }
            None => {
                let rest: Vec<Row<'_>> = group
                    .into_iter()
                    .chain(pending.flat_map(|(g, _)| g))
                    .map(|(_, r)| r)
                    .collect();
                renumber(tx, rest)?;
                break;
            }
        }
    }
    let (records, digests): (i64, i64) = tx.query_row(
        "SELECT (SELECT COUNT(*) FROM directory_record), (SELECT COUNT(*) FROM directory_digest)",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let expected = i64::try_from(delta.records_after()).map_err(|_| damaged())?;
    if records != expected || digests != expected {
        return Err(damaged());
    }
    Ok(())
}

/// Rebuilds every table, rowids spaced again, from the rows held now plus `rest` (upserts
/// not yet placed). Each held record's bytes are checked against its digest first (the
/// digests are what the delta was verified on).
fn renumber(tx: &Transaction<'_>, rest: Vec<Row<'_>>) -> Result<()> {
    #[cfg(test)]
    renumbered::count();
    let held: Vec<(String, String, String, Vec<u8>)> = {
        let mut stmt = tx.prepare(
            "SELECT r.id, r.raw, r.actions, d.digest FROM directory_record r
             JOIN directory_digest d ON d.id = r.id",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut parsed: Vec<(Record, [u8; 32])> = Vec::with_capacity(held.len());
    for (_, raw, _, digest) in &held {
        let computed: [u8; 32] = Sha256::digest(raw.as_bytes()).into();
        if computed.as_slice() != digest.as_slice() {
            return Err(Error::Verification(
                "the held directory is damaged; fetch the full bundle".into(),
            ));
        }
        let record: Record =
            serde_json::from_str(raw).map_err(|_| Error::Corrupt("held record"))?;
        parsed.push((record, computed));
    }
    let mut rows: Vec<Row<'_>> = held
        .iter()
        .zip(&parsed)
        .map(|((id, raw, actions, _), (record, digest))| Row {
            id,
            raw,
            record,
            actions,
            digest: *digest,
        })
        .collect();
    rows.extend(rest);
    materialize(tx, rows)
}

/// Counts renumberings (tests check that an exhausted gap renumbers, and that a delta
/// with room does not).
#[cfg(test)]
pub(super) mod renumbered {
    use std::cell::Cell;

    thread_local! {
        static COUNT: Cell<u32> = const { Cell::new(0) };
    }

    pub(in crate::directory) fn count() {
        COUNT.with(|c| c.set(c.get() + 1));
    }

    /// Renumberings on this thread so far.
    pub(in crate::directory) fn so_far() -> u32 {
        COUNT.with(Cell::get)
    }
}

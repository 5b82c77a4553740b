//! Search: FTS5 with bm25 ranking over folded text in every language of a record, SQL
//! filters for category, spoken language, 24/7, free and country/region, then "open now"
//! (chrono-tz) and distance (haversine from a place the user picks; no GPS) in Rust. SQL
//! ranks the slim `directory_facet` rows; only the records shown are read and decoded.

use rusqlite::types::Value;
use rusqlite::Connection;
use serde::Serialize;
use waypoint_format::record::{Category, Record, Schedule};

use super::dial::DialAction;
use super::{hours, text};
use crate::error::{Error, Result};
use crate::store::Store;

/// Result order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Best match first (bm25); without search words, by name.
    #[default]
    Relevance,
    /// Nearest first; resources without coordinates (national lines) after them.
    Distance,
}

/// A search request.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Query {
    /// What the user typed (any language, any accents). Empty lists everything.
    pub text: String,
    /// Only these categories (any of them). Empty: all.
    pub categories: Vec<Category>,
    /// Only services that speak this language (BCP 47; matched on the primary subtag).
    pub spoken_language: Option<String>,
    /// Only services open at the time of the search.
    pub open_now: bool,
    /// Only services open around the clock.
    pub always_open: bool,
    /// Only free services.
    pub free: bool,
    /// Only services in this country (ISO alpha-2); national services included.
    pub country: Option<String>,
    /// Only services in this region of `country` (national ones included).
    pub region: Option<String>,
    /// The place distances are measured from (latitude, longitude).
    pub near: Option<(f64, f64)>,
    /// Only resources within this many km of `near` (area-wide ones without coordinates
    /// are kept: they serve everywhere).
    pub max_km: Option<f64>,
    /// Result order.
    pub sort: Sort,
    /// Language to answer in (BCP 47), with fallback.
    pub user_language: String,
    /// Most results (1..=500; 0 means 50).
    pub limit: u32,
}

/// A resource as shown to the user.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resource {
    /// Record id.
    pub id: String,
    /// Service name in the chosen language.
    pub name: String,
    /// Organization name.
    pub organization: String,
    /// Description.
    pub description: String,
    /// Language the text above is in (after fallback).
    pub text_language: String,
    /// Categories (wire names).
    pub categories: Vec<String>,
    /// Languages spoken.
    pub languages: Vec<String>,
    /// Countries served.
    pub countries: Vec<String>,
    /// Regions served (empty: national).
    pub regions: Vec<String>,
    /// Street addresses.
    pub addresses: Vec<String>,
    /// Tappable actions (call, text, web, ...), validated URIs.
    pub actions: Vec<DialAction>,
    /// Open at the time of the request; `None` when hours are unknown.
    pub open_now: Option<bool>,
    /// Open around the clock.
    pub always_open: bool,
    /// Free of charge.
    pub free: bool,
    /// Eligibility.
    pub eligibility: String,
    /// Accessibility.
    pub accessibility: String,
    /// Fees detail.
    pub fees: String,
    /// Distance in km from the chosen place, when both have coordinates.
    pub distance_km: Option<f64>,
    /// Date the details were last checked.
    pub last_verified: String,
    /// Where the details come from.
    pub source: String,
}

fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().min(1.0).asin()
}

fn min_distance(record: &Record, near: Option<(f64, f64)>) -> Option<f64> {
    let near = near?;
    record
        .locations
        .iter()
        .filter_map(|l| Some((l.latitude?, l.longitude?)))
        .map(|p| haversine_km(near, p))
        .min_by(f64::total_cmp)
}

fn open_state(record: &Record, now: i64) -> Option<bool> {
    match &record.schedule {
        Some(s) => open_state_of(std::iter::once(s), now),
        None => open_state_of(record.phones.iter().filter_map(|p| p.hours.as_ref()), now),
    }
}

/// Open if any schedule says open; closed if some say closed and none open; else unknown.
/// The same schedules `materialize` stores in the `hours` columns.
fn open_state_of<'a>(schedules: impl Iterator<Item = &'a Schedule>, now: i64) -> Option<bool> {
    let mut known = false;
    for s in schedules {
        match hours::is_open(s, now) {
            Some(true) => return Some(true),
            Some(false) => known = true,
            None => {}
        }
    }
    known.then_some(false)
}

/// Builds what the user sees for one record.
pub(super) fn resource(
    raw: &str,
    actions: &str,
    lang: &str,
    now: i64,
    near: Option<(f64, f64)>,
) -> Result<Resource> {
    let record: Record =
        serde_json::from_str(raw).map_err(|_| Error::Corrupt("directory record"))?;
    let actions: Vec<DialAction> =
        serde_json::from_str(actions).map_err(|_| Error::Corrupt("dial actions"))?;
    build(&record, actions, lang, now, near)
}

fn build(
    record: &Record,
    actions: Vec<DialAction>,
    lang: &str,
    now: i64,
    near: Option<(f64, f64)>,
) -> Result<Resource> {
    let pick = |t| {
        text::pick(t, lang)
            .map(|(_, s)| s.to_owned())
            .unwrap_or_default()
    };
    let text_language = text::pick(&record.name, lang)
        .map(|(l, _)| l.to_owned())
        .unwrap_or_default();
    let mut countries: Vec<String> = record.locations.iter().map(|l| l.country.clone()).collect();
    countries.dedup();
    Ok(Resource {
        id: record.id.clone(),
        name: pick(&record.name),
        organization: pick(&record.organization),
        description: pick(&record.description),
        text_language,
        categories: record
            .categories
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect(),
        languages: record.languages.clone(),
        countries,
        regions: record
            .locations
            .iter()
            .filter_map(|l| l.region.clone())
            .collect(),
        addresses: record
            .locations
            .iter()
            .filter_map(|l| l.address.clone())
            .collect(),
        actions,
        open_now: open_state(record, now),
        always_open: record.schedule.as_ref().is_some_and(|s| s.always_open)
            || (record.schedule.is_none()
                && record
                    .phones
                    .iter()
                    .any(|p| p.hours.as_ref().is_some_and(|h| h.always_open))),
        free: record.fees.free,
        eligibility: pick(&record.eligibility),
        accessibility: pick(&record.accessibility),
        fees: pick(&record.fees.description),
        distance_km: min_distance(record, near),
        last_verified: record.last_verified.clone(),
        source: record.source.clone(),
    })
}

/// A record that passed the SQL filters, in relevance order, before the Rust filters.
struct Candidate {
    rowid: i64,
    hours: Option<String>,
    distance_km: Option<f64>,
}

/// Runs a search in two steps: SQL ranks and filters the slim `directory_facet` rows (no
/// JSON), Rust applies "open now" (from the hours column) and distance (from
/// `directory_area`), and only the records shown are read and decoded in full.
pub(super) fn run(store: &Store, q: &Query, now: i64) -> Result<Vec<Resource>> {
    let limit = match q.limit {
        0 => 50,
        n => n.min(500),
    } as usize;
    if let Some((lat, lon)) = q.near {
        if !(lat.is_finite()
            && lon.is_finite()
            && (-90.0..=90.0).contains(&lat)
            && (-180.0..=180.0).contains(&lon))
        {
            return Err(Error::invalid("near", "latitude/longitude out of range"));
        }
    }
    if q.sort == Sort::Distance && q.near.is_none() {
        return Err(Error::invalid("sort", "sorting by distance needs a place"));
    }
    if q.region.is_some() && q.country.is_none() {
        return Err(Error::invalid("region", "needs a country"));
    }
    // Distance matters for the selection only when it filters or orders; otherwise it is
    // computed for the records shown, in `build`.
    let distance_from = q
        .near
        .filter(|_| q.max_km.is_some() || q.sort == Sort::Distance);
    let lang = if q.user_language.is_empty() {
        "en"
    } else {
        q.user_language.as_str()
    };
    // Ranking and fetching run under ONE connection lock: a sync or import committing in
    // between would renumber the rows, and the fetch would return another version's
    // records in this version's order.
    store.with_conn(|c| select_and_fetch(c, q, now, limit, distance_from, lang))
}

/// Selects, ranks and fetches the records of `q`, all on `c` (one lock, one version).
fn select_and_fetch(
    c: &Connection,
    q: &Query,
    now: i64,
    limit: usize,
    distance_from: Option<(f64, f64)>,
    lang: &str,
) -> Result<Vec<Resource>> {
    if let (Some(expr), None) = (text::match_expression(&q.text), distance_from) {
        let ids = ranked_by_words(c, q, &expr, limit, now)?;
        return fetch(c, &ids, lang, now, q.near);
    }
    let mut sql = String::from("SELECT m.record, ");
    sql.push_str(if q.open_now { "m.hours" } else { "NULL" });
    sql.push_str(if distance_from.is_some() {
        ", a.latitude, a.longitude"
    } else {
        ", NULL, NULL"
    });
    let mut args: Vec<Value> = Vec::new();
    let matched = text::match_expression(&q.text);
    if matched.is_some() {
        sql.push_str(" FROM directory_fts f JOIN directory_facet m ON m.record = f.rowid");
    } else {
        sql.push_str(" FROM directory_facet m");
    }
    if distance_from.is_some() {
        // One row per located place of a record; grouped back per record below.
        sql.push_str(
            " LEFT JOIN directory_area a ON a.record = m.record
              AND a.latitude IS NOT NULL AND a.longitude IS NOT NULL",
        );
    }
    if let Some(m) = &matched {
        sql.push_str(" WHERE directory_fts MATCH ?");
        args.push(Value::Text(m.clone()));
    } else {
        sql.push_str(" WHERE 1");
    }
    sql.push_str(&filter_sql(q, "m.record", &mut args));
    if q.open_now {
        sql.push_str(" AND (m.always_open = 1 OR m.hours IS NOT NULL)");
    }
    if matched.is_some() {
        // Name matches weigh most, then organization, extra (numbers, places), description.
        sql.push_str(" ORDER BY bm25(directory_fts, 10.0, 5.0, 1.0, 2.0), m.sort_name");
    } else {
        sql.push_str(" ORDER BY m.sort_name");
    }
    // Filters in Rust must see every SQL match: a LIMIT here could drop records that pass
    // them. Without such filters, SQL stops at `limit`.
    let post_filter = q.open_now || distance_from.is_some();
    if !post_filter {
        sql.push_str(&format!(" LIMIT {limit}"));
    }
    // Relevance order lets the scan stop at `limit` records that pass; distance order
    // needs them all.
    let needs_all = q.sort == Sort::Distance;
    let chosen: Vec<Candidate> = {
        let mut stmt = c.prepare_cached(&sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
        let mut candidates: Vec<Candidate> = Vec::new();
        // Index of each record in `candidates` (a record with several places has several
        // rows, not necessarily adjacent when ranks tie).
        let mut seen: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
        while let Some(row) = rows.next()? {
            let rowid: i64 = row.get(0)?;
            let place: Option<(f64, f64)> = match (row.get(2)?, row.get(3)?) {
                (Some(lat), Some(lon)) => Some((lat, lon)),
                _ => None,
            };
            let distance = match (distance_from, place) {
                (Some(near), Some(p)) => Some(haversine_km(near, p)),
                _ => None,
            };
            if let Some(&i) = seen.get(&rowid) {
                let d = &mut candidates[i].distance_km;
                *d = match (*d, distance) {
                    (Some(x), Some(y)) => Some(x.min(y)),
                    (x, y) => x.or(y),
                };
                continue;
            }
            if distance_from.is_none() && !needs_all {
                // One row per record: decide now and stop early.
                let hours: Option<String> = if q.open_now { row.get(1)? } else { None };
                if q.open_now && !hours_open(hours.as_deref(), now)? {
                    continue;
                }
                candidates.push(Candidate {
                    rowid,
                    hours: None,
                    distance_km: None,
                });
                if candidates.len() >= limit {
                    break;
                }
                continue;
            }
            seen.insert(rowid, candidates.len());
            candidates.push(Candidate {
                rowid,
                hours: row.get(1)?,
                distance_km: distance,
            });
        }
        candidates
    };
    let mut out_ids: Vec<i64> = Vec::with_capacity(chosen.len().min(limit));
    if distance_from.is_none() && !needs_all {
        out_ids.extend(chosen.iter().map(|c| c.rowid));
    } else {
        let mut kept: Vec<Candidate> = Vec::new();
        for cand in chosen {
            if let (Some(max), Some(d)) = (q.max_km, cand.distance_km) {
                if d > max {
                    continue;
                }
            }
            if q.open_now && !hours_open(cand.hours.as_deref(), now)? {
                continue;
            }
            kept.push(cand);
            if !needs_all && kept.len() >= limit {
                break;
            }
        }
        if needs_all {
            // Stable: equal distances keep relevance order; no coordinates go last.
            kept.sort_by(|a, b| match (a.distance_km, b.distance_km) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            });
        }
        kept.truncate(limit);
        out_ids.extend(kept.iter().map(|c| c.rowid));
    }
    fetch(c, &out_ids, lang, now, q.near)
}

/// Reads and builds the records shown, in the order given.
fn fetch(
    c: &Connection,
    ids: &[i64],
    lang: &str,
    now: i64,
    near: Option<(f64, f64)>,
) -> Result<Vec<Resource>> {
    #[cfg(test)]
    between_rank_and_fetch::run();
    let mut stmt =
        c.prepare_cached("SELECT raw, actions FROM directory_record WHERE rowid = ?1")?;
    let mut out = Vec::with_capacity(ids.len());
    for rowid in ids {
        let (raw, actions): (String, String) =
            stmt.query_row([rowid], |r| Ok((r.get(0)?, r.get(1)?)))?;
        out.push(resource(&raw, &actions, lang, now, near)?);
    }
    Ok(out)
}

/// The SQL filters of `q` on the record whose id is `id`, with their arguments appended
/// to `args` (category, spoken language, free, 24/7, country/region: every filter that
/// does not need the clock or a distance).
fn filter_sql(q: &Query, id: &str, args: &mut Vec<Value>) -> String {
    let mut sql = String::new();
    if !q.categories.is_empty() {
        let marks = vec!["?"; q.categories.len()].join(",");
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM directory_category c WHERE c.record = {id} AND c.category IN ({marks}))"
        ));
        args.extend(
            q.categories
                .iter()
                .map(|c| Value::Text(c.as_str().to_owned())),
        );
    }
    if let Some(l) = &q.spoken_language {
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM directory_language l WHERE l.record = {id} AND l.language = ?)"
        ));
        args.push(Value::Text(text::primary_language(l)));
    }
    if q.free || q.always_open {
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM directory_facet x WHERE x.record = {id}"
        ));
        if q.free {
            sql.push_str(" AND x.free = 1");
        }
        if q.always_open {
            sql.push_str(" AND x.always_open = 1");
        }
        sql.push(')');
    }
    if let Some(country) = &q.country {
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM directory_area ac WHERE ac.record = {id} AND ac.country = ?"
        ));
        args.push(Value::Text(country.to_ascii_uppercase()));
        if let Some(region) = &q.region {
            sql.push_str(" AND (ac.region IS NULL OR ac.region = ?)");
            args.push(Value::Text(region.clone()));
        }
        sql.push(')');
    }
    sql
}

/// Record ids for a word search without distance, best first, in the order of
/// `ORDER BY bm25, sort_name` over every match that passes the filters.
///
/// FTS5 ranks rowids alone (no join: what the raw `MATCH ... ORDER BY bm25 LIMIT n`
/// costs); names and hours are then read for the records considered, one group of equal
/// scores at a time, so ties are broken by name exactly as one SQL ORDER BY would. The
/// ranked page (`LIMIT n`) grows fourfold while a tie runs past its end or too few of its
/// records pass "open now" (hours are read only for the records considered).
fn ranked_by_words(
    c: &rusqlite::Connection,
    q: &Query,
    expr: &str,
    limit: usize,
    now: i64,
) -> Result<Vec<i64>> {
    let mut args = vec![Value::Text(expr.to_owned())];
    let filters = filter_sql(q, "f.rowid", &mut args);
    // Name matches weigh most, then organization, extra (numbers, places), description.
    let base = format!(
        "SELECT f.rowid, bm25(directory_fts, 10.0, 5.0, 1.0, 2.0) AS score
         FROM directory_fts f WHERE directory_fts MATCH ?{filters} ORDER BY score"
    );
    let run = |n: usize| -> Result<Vec<(i64, f64)>> {
        // LIMIT bound, not formatted in: one cached statement for every page size.
        let mut stmt = c.prepare_cached(&format!("{base} LIMIT ?"))?;
        let n = Value::Integer(i64::try_from(n).unwrap_or(i64::MAX));
        let bound = args.iter().chain(std::iter::once(&n));
        let rows = stmt.query_map(rusqlite::params_from_iter(bound), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    };
    let mut facet =
        c.prepare_cached("SELECT sort_name, hours FROM directory_facet WHERE record = ?1")?;
    // Each page is a full FTS5 pass, so the first is long enough for the usual tie at the
    // cut (`limit + 1` made 'chicago' or 'refugio' rank twice); open-now keeps about one
    // match in a few.
    let mut n = if q.open_now { 4 * limit } else { 2 * limit + 1 };
    loop {
        let ranked = run(n)?;
        let exhausted = ranked.len() < n;
        // Only whole groups of equal score are usable: the last one may go on past the LIMIT.
        let usable = if exhausted {
            ranked.len()
        } else {
            let last = ranked[ranked.len() - 1].1;
            ranked.iter().position(|r| r.1 == last).unwrap_or(0)
        };
        let mut out = Vec::with_capacity(limit);
        let mut start = 0;
        while start < usable && out.len() < limit {
            let score = ranked[start].1;
            let end = ranked[start..usable]
                .iter()
                .position(|r| r.1 != score)
                .map_or(usable, |k| start + k);
            let mut group: Vec<(String, Option<String>, i64)> = Vec::with_capacity(end - start);
            for &(rowid, _) in &ranked[start..end] {
                let (name, hours): (String, Option<String>) =
                    facet.query_row([rowid], |r| Ok((r.get(0)?, r.get(1)?)))?;
                group.push((name, hours, rowid));
            }
            // Stable: equal names keep rank order.
            group.sort_by(|a, b| a.0.cmp(&b.0));
            for (_, hours, rowid) in group {
                if q.open_now && !hours_open(hours.as_deref(), now)? {
                    continue;
                }
                out.push(rowid);
                if out.len() >= limit {
                    break;
                }
            }
            start = end;
        }
        if out.len() >= limit || exhausted {
            return Ok(out);
        }
        n = n.saturating_mul(4);
    }
}

/// Whether a record whose `hours` column holds this is open at `now`.
fn hours_open(hours: Option<&str>, now: i64) -> Result<bool> {
    let Some(hours) = hours else {
        return Ok(false);
    };
    let schedules: Vec<Schedule> =
        serde_json::from_str(hours).map_err(|_| Error::Corrupt("directory hours"))?;
    Ok(open_state_of(schedules.iter(), now) == Some(true))
}

/// A test hook run once ranking is done and before fetching starts, on the searching
/// thread: the tests use it to land a commit in between.
#[cfg(test)]
pub(super) mod between_rank_and_fetch {
    use std::cell::RefCell;

    thread_local! {
        static HOOK: RefCell<Option<Box<dyn FnOnce()>>> = RefCell::new(None);
    }

    /// Runs `hook` in the next search on this thread, between ranking and fetching.
    pub fn set(hook: Box<dyn FnOnce()>) {
        HOOK.with(|h| *h.borrow_mut() = Some(hook));
    }

    pub(super) fn run() {
        if let Some(hook) = HOOK.with(|h| h.borrow_mut().take()) {
            hook();
        }
    }
}

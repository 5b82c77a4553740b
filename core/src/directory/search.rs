//! Search: FTS5 over folded text in every language of a record, ranked by a static order
//! with early termination instead of bm25 (names that hold every word first, then any
//! match, each in the stored rowid order: folded name, then id), SQL filters for category,
//! spoken language, 24/7, free and country/region, then "open now" (chrono-tz) and
//! distance (haversine from a place the user picks; no GPS) in Rust. A distance order
//! looks at the places in a growing radius, never at every match. Only the records shown
//! are read and decoded.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};
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
    /// Best match first: names that hold every word, then other matches, each in name
    /// order (see `search::ranked`); without search words, by name.
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
    2.0 * EARTH_KM * h.sqrt().min(1.0).asin()
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

/// Runs a search: ranks record rowids in SQL under the static order (see [`ranked`] and
/// [`nearest`]), then reads and decodes only the records shown.
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
    if q.max_km.is_some_and(|km| km.is_nan()) {
        return Err(Error::invalid("max_km", "not a number"));
    }
    let lang = if q.user_language.is_empty() {
        "en"
    } else {
        q.user_language.as_str()
    };
    // Ranking and fetching run under ONE connection lock: a sync or import committing in
    // between would renumber the rows, and the fetch would return another version's
    // records in this version's order.
    store.with_conn(|c| select_and_fetch(c, q, now, limit, lang))
}

/// Selects, ranks and fetches the records of `q`, all on `c` (one lock, one version).
fn select_and_fetch(
    c: &Connection,
    q: &Query,
    now: i64,
    limit: usize,
    lang: &str,
) -> Result<Vec<Resource>> {
    let words = text::match_expression(&q.text);
    let ids = match (q.sort, q.near) {
        (Sort::Distance, Some(near)) => nearest(c, q, words.as_deref(), near, limit, now)?,
        _ => {
            let place = match (q.near, q.max_km) {
                (Some(near), Some(max_km)) => Place::Within(near, max_km),
                _ => Place::Any,
            };
            ranked(c, q, words.as_deref(), place, limit, now)?
        }
    };
    fetch(c, &ids, lang, now, q.near)
}

/// Where a record in relevance order must be.
#[derive(Clone, Copy)]
enum Place {
    /// Anywhere.
    Any,
    /// With no place within `km` of the point it is dropped; one with no coordinates at
    /// all (an area-wide service) is kept.
    Within((f64, f64), f64),
    /// No coordinates at all (the tail of a distance order).
    Unlocated,
}

/// The relevance order (the ranking rule): records whose NAME holds every word first,
/// then the other records that hold every word in any field (name, organization,
/// description, categories, phones, places, eligibility); within each group, and without
/// words, by the static order of the stored rowids (folded name, then id; see
/// `install::materialize`). No score is computed: FTS5 yields matches in rowid order, the
/// filters run in the same SQL (so a page holds only matches that pass them), and the
/// scan stops once `limit` records passed "open now" and the distance check in Rust.
fn ranked(
    c: &Connection,
    q: &Query,
    words: Option<&str>,
    place: Place,
    limit: usize,
    now: i64,
) -> Result<Vec<i64>> {
    let unlocated = if matches!(place, Place::Unlocated) {
        " AND NOT EXISTS (SELECT 1 FROM directory_area u WHERE u.record = {id}
             AND u.latitude IS NOT NULL AND u.longitude IS NOT NULL)"
    } else {
        ""
    };
    let sources: Vec<(String, Vec<Value>)> = match words {
        Some(expr) => ["directory_name_fts", "directory_fts"]
            .iter()
            .map(|table| {
                let mut args = vec![Value::Text(expr.to_owned())];
                let id = "f.rowid";
                let filters = filter_sql(q, id, &mut args);
                let sql = format!(
                    "SELECT f.rowid FROM {table} f WHERE {table} MATCH ?{filters}{}
                     ORDER BY f.rowid",
                    unlocated.replace("{id}", id)
                );
                (sql, args)
            })
            .collect(),
        None => {
            let mut args = Vec::new();
            let id = "m.record";
            let filters = filter_sql(q, id, &mut args);
            let sql = format!(
                "SELECT m.record FROM directory_facet m WHERE 1{filters}{} ORDER BY m.record",
                unlocated.replace("{id}", id)
            );
            vec![(sql, args)]
        }
    };
    let mut checks = Checks::new(c, q, now)?;
    let mut seen: std::collections::HashSet<i64> = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(limit);
    let last = sources.len() - 1;
    for (i, (sql, args)) in sources.iter().enumerate() {
        let mut stmt = c.prepare_cached(sql)?;
        let mut rows = stmt.query(rusqlite::params_from_iter(args.iter()))?;
        while let Some(row) = rows.next()? {
            let rowid: i64 = row.get(0)?;
            // The name group is a subset of the full-text matches: keep its members once.
            if i < last {
                seen.insert(rowid);
            } else if seen.contains(&rowid) {
                continue;
            }
            if !checks.open(rowid)? {
                continue;
            }
            if let Place::Within(near, max_km) = place {
                if checks.distance(rowid, near)?.is_some_and(|d| d > max_km) {
                    continue;
                }
            }
            out.push(rowid);
            if out.len() >= limit {
                return Ok(out);
            }
        }
    }
    Ok(out)
}

/// The Rust side of the filters, per candidate record: "open now" from the hours column,
/// distance from the record's places.
struct Checks<'c> {
    open_now: Option<(rusqlite::CachedStatement<'c>, i64)>,
    places: rusqlite::CachedStatement<'c>,
}

impl<'c> Checks<'c> {
    fn new(c: &'c Connection, q: &Query, now: i64) -> Result<Self> {
        let open_now = if q.open_now {
            Some((
                c.prepare_cached("SELECT hours FROM directory_facet WHERE record = ?1")?,
                now,
            ))
        } else {
            None
        };
        let places = c.prepare_cached(
            "SELECT latitude, longitude FROM directory_area
             WHERE record = ?1 AND latitude IS NOT NULL AND longitude IS NOT NULL",
        )?;
        Ok(Checks { open_now, places })
    }

    /// Passes "open now" (always true when the query does not ask for it).
    fn open(&mut self, rowid: i64) -> Result<bool> {
        let Some((stmt, now)) = &mut self.open_now else {
            return Ok(true);
        };
        let hours: Option<String> = stmt.query_row([rowid], |r| r.get(0)).optional()?.flatten();
        hours_open(hours.as_deref(), *now)
    }

    /// Distance from `near` to the record's nearest place; None without coordinates.
    fn distance(&mut self, rowid: i64, near: (f64, f64)) -> Result<Option<f64>> {
        let rows = self
            .places
            .query_map([rowid], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let mut best: Option<f64> = None;
        for p in rows {
            let d = haversine_km(near, p?);
            best = Some(best.map_or(d, |b: f64| b.min(d)));
        }
        Ok(best)
    }
}

/// A set of record rowids. Rowids are spaced (`install::ROWID_GAP`) and a delta places
/// records between them, so the set is a sorted list, not a bitmap indexed by rowid.
#[derive(Default)]
struct RowSet(Vec<i64>);

impl RowSet {
    /// Adds `rowid`. More rows than a directory may hold means the tables were tampered
    /// with, and is an error rather than an unbounded allocation.
    fn insert(&mut self, rowid: i64) -> Result<()> {
        if self.0.len() >= waypoint_format::limits::MAX_RECORDS {
            return Err(Error::Corrupt("directory rowid"));
        }
        self.0.push(rowid);
        Ok(())
    }

    /// Sorts the set once it is filled (FTS5 hands rowids over in ascending order, so this
    /// is one pass).
    fn seal(mut self) -> Self {
        self.0.sort_unstable();
        self.0.dedup();
        self
    }

    fn contains(&self, rowid: i64) -> bool {
        self.0.binary_search(&rowid).is_ok()
    }
}

/// Mean Earth radius of [`haversine_km`], in km.
const EARTH_KM: f64 = 6371.0088;
/// No two points are further apart than this on [`haversine_km`]'s sphere.
const HALF_EARTH_KM: f64 = std::f64::consts::PI * EARTH_KM;
/// The first radius [`nearest`] looks within; each miss quadruples it.
const FIRST_RING_KM: f64 = 10.0;

/// South..north latitudes and one or two west..east longitude ranges, in degrees.
type BoundingBox = ((f64, f64), [(f64, f64); 2]);

/// The latitude/longitude box holding every point within `km` of `near` (None: the
/// whole Earth). Longitudes are one range or, across the antimeridian, two.
fn bounding_box(near: (f64, f64), km: f64) -> Option<BoundingBox> {
    let d = km / EARTH_KM * 1.001; // a hair wider than the sphere needs: rounding
    if d >= std::f64::consts::PI {
        return None;
    }
    let lat = near.0.to_radians();
    let (lo, hi) = (lat - d, lat + d);
    let half = std::f64::consts::FRAC_PI_2;
    if lo <= -half || hi >= half || d.sin() >= lat.cos() {
        // A pole is inside: every longitude.
        return Some((
            (lo.to_degrees().max(-90.0), hi.to_degrees().min(90.0)),
            [(-180.0, 180.0), (-180.0, 180.0)],
        ));
    }
    let dlon = (d.sin() / lat.cos()).asin().to_degrees();
    let (w, e) = (near.1 - dlon, near.1 + dlon);
    let lons = if w < -180.0 {
        [(w + 360.0, 180.0), (-180.0, e)]
    } else if e > 180.0 {
        [(w, 180.0), (-180.0, e - 360.0)]
    } else {
        [(w, e), (w, e)]
    };
    Some(((lo.to_degrees(), hi.to_degrees()), lons))
}

/// Record ids nearest `near` first, for a distance order: records whose nearest place
/// is closer come first (equal distances in relevance order), those with no coordinates
/// last (in relevance order). Looks at the places within a radius that starts at
/// [`FIRST_RING_KM`] and quadruples until `limit` records that match and pass every
/// filter lie within it (or it reaches `max_km` or the whole Earth): any record outside
/// it is further than all of those, so the page is exact without measuring every match.
fn nearest(
    c: &Connection,
    q: &Query,
    words: Option<&str>,
    near: (f64, f64),
    limit: usize,
    now: i64,
) -> Result<Vec<i64>> {
    use std::collections::HashMap;
    let collect = |sql: &str, expr: &str| -> Result<RowSet> {
        let mut stmt = c.prepare_cached(sql)?;
        let mut rows = stmt.query([expr])?;
        let mut set = RowSet::default();
        while let Some(row) = rows.next()? {
            set.insert(row.get(0)?)?;
        }
        Ok(set.seal())
    };
    // Matches of the words (None: every record).
    let matches = match words {
        Some(expr) => Some(collect(
            "SELECT rowid FROM directory_fts WHERE directory_fts MATCH ?1",
            expr,
        )?),
        None => None,
    };
    let mut filter_args = Vec::new();
    let filters = filter_sql(q, "m.record", &mut filter_args);
    let mut passes_sql = c.prepare_cached(&format!(
        "SELECT 1 FROM directory_facet m WHERE m.record = ?{filters}"
    ))?;
    let mut checks = Checks::new(c, q, now)?;
    // Every filter's verdict on a record, kept across the rings.
    let mut verdict: HashMap<i64, bool> = HashMap::new();
    let cap = q.max_km.unwrap_or(f64::INFINITY);
    let mut radius = FIRST_RING_KM.min(cap);
    let mut placed: Vec<(f64, bool, i64)>;
    loop {
        let bbox = bounding_box(near, radius);
        // The latitude band through the index (forced: with bound parameters the planner
        // cannot know the band is narrow); longitudes are checked here.
        let mut stmt = c.prepare_cached(
            "SELECT record, latitude, longitude FROM directory_area INDEXED BY directory_area_place
             WHERE latitude BETWEEN ?1 AND ?2 AND longitude IS NOT NULL",
        )?;
        let ((s, n), [(w1, e1), (w2, e2)]) =
            bbox.unwrap_or(((-90.0, 90.0), [(-180.0, 180.0), (-180.0, 180.0)]));
        let mut rows = stmt.query(rusqlite::params![s, n])?;
        let mut best: HashMap<i64, f64> = HashMap::new();
        while let Some(row) = rows.next()? {
            let rowid: i64 = row.get(0)?;
            if matches.as_ref().is_some_and(|m| !m.contains(rowid)) {
                continue;
            }
            let lon: f64 = row.get(2)?;
            if !((w1..=e1).contains(&lon) || (w2..=e2).contains(&lon)) {
                continue;
            }
            let d = haversine_km(near, (row.get(1)?, lon));
            if d > radius || d > cap {
                continue;
            }
            let ok = match verdict.get(&rowid) {
                Some(&ok) => ok,
                None => {
                    let bound =
                        std::iter::once(Value::Integer(rowid)).chain(filter_args.iter().cloned());
                    let ok = passes_sql
                        .query_row(rusqlite::params_from_iter(bound), |_| Ok(()))
                        .optional()?
                        .is_some()
                        && checks.open(rowid)?;
                    verdict.insert(rowid, ok);
                    ok
                }
            };
            if ok {
                let e = best.entry(rowid).or_insert(d);
                *e = e.min(d);
            }
        }
        placed = best
            .into_iter()
            .map(|(rowid, d)| (d, false, rowid))
            .collect();
        if placed.len() >= limit || radius >= cap || bbox.is_none() {
            break;
        }
        radius = (radius * 4.0).min(cap).min(HALF_EARTH_KM * 1.01);
    }
    // Nearest first; equal distances in relevance order (name group, then rowid). The
    // name group is read only when two kept records are equally far.
    placed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.2.cmp(&b.2)));
    let kept = placed.len().min(limit + 1);
    if let (Some(expr), true) = (words, placed[..kept].windows(2).any(|w| w[0].0 == w[1].0)) {
        let named = collect(
            "SELECT rowid FROM directory_name_fts WHERE directory_name_fts MATCH ?1",
            expr,
        )?;
        for p in &mut placed {
            p.1 = !named.contains(p.2);
        }
        placed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    }
    placed.truncate(limit);
    let mut out: Vec<i64> = placed.into_iter().map(|(_, _, rowid)| rowid).collect();
    if out.len() < limit {
        out.extend(ranked(
            c,
            q,
            words,
            Place::Unlocated,
            limit - out.len(),
            now,
        )?);
    }
    Ok(out)
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
    // Categories, spoken language, free and 24/7 are columns of the record's facet row:
    // one lookup per candidate, however many of them the query sets.
    let mut facet: Vec<&str> = Vec::new();
    if !q.categories.is_empty() {
        facet.push("(x.categories & ?) != 0");
        args.push(Value::Integer(category_mask(&q.categories)));
    }
    if let Some(l) = &q.spoken_language {
        facet.push("instr(x.languages, ?) > 0");
        args.push(Value::Text(format!(",{},", text::primary_language(l))));
    }
    if q.free {
        facet.push("x.free = 1");
    }
    if q.always_open {
        facet.push("x.always_open = 1");
    }
    if !facet.is_empty() {
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM directory_facet x WHERE x.record = {id} AND {})",
            facet.join(" AND ")
        ));
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

/// The bits of `categories` in `directory_facet.categories` (bit i: `Category::ALL[i]`).
pub(super) fn category_mask(categories: &[Category]) -> i64 {
    categories
        .iter()
        .filter_map(|c| Category::ALL.iter().position(|x| x == c))
        .fold(0, |mask, i| mask | (1 << i))
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

#[cfg(test)]
mod tests {
    use super::{bounding_box, haversine_km};
    use proptest::prelude::*;

    fn inside(near: (f64, f64), km: f64, p: (f64, f64)) -> bool {
        let Some(((s, n), [(w1, e1), (w2, e2)])) = bounding_box(near, km) else {
            return true;
        };
        (s..=n).contains(&p.0) && ((w1..=e1).contains(&p.1) || (w2..=e2).contains(&p.1))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// A distance order looks only inside the box: every place within the radius must
        /// be in it, near the poles and across the antimeridian too.
        #[test]
        fn every_place_within_the_radius_is_inside_its_box(
            lat in -90.0f64..=90.0, lon in -180.0f64..=180.0,
            bearing in 0.0f64..360.0, part in 0.0f64..=1.0,
            km in 0.0f64..25_000.0,
        ) {
            // The point `part` of the radius away from `near` in direction `bearing`
            // (great-circle destination on the same sphere).
            let near = (lat, lon);
            let (la, lo, b) = (lat.to_radians(), lon.to_radians(), bearing.to_radians());
            let d = km * part / super::EARTH_KM;
            let la2 = (la.sin() * d.cos() + la.cos() * d.sin() * b.cos()).asin();
            let lo2 = lo + (b.sin() * d.sin() * la.cos()).atan2(d.cos() - la.sin() * la2.sin());
            let mut plon = lo2.to_degrees();
            while plon > 180.0 { plon -= 360.0 }
            while plon < -180.0 { plon += 360.0 }
            let p = (la2.to_degrees(), plon);
            prop_assume!(haversine_km(near, p) <= km);
            prop_assert!(inside(near, km, p), "{near:?} {km} km: {p:?} outside");
        }
    }

    #[test]
    fn a_rowid_no_install_makes_is_an_error_not_a_huge_allocation() {
        // Rowids come from the store's files: a tampered one must not size anything.
        let mut set = super::RowSet::default();
        set.insert(5 * 1024).expect("an installed rowid");
        set.insert(i64::MAX).expect("a large rowid costs one entry");
        set.insert(-1).expect("so does a negative one");
        let set = set.seal();
        assert!(set.contains(5 * 1024) && set.contains(i64::MAX) && set.contains(-1));
        assert!(!set.contains(5 * 1024 + 1) && !set.contains(0));
        assert!(set.0.capacity() < 16);
        // More rows than a directory may hold: an error, not an ever-growing list.
        let mut full = super::RowSet(Vec::with_capacity(waypoint_format::limits::MAX_RECORDS));
        for i in 0..waypoint_format::limits::MAX_RECORDS as i64 {
            full.insert(i).expect("within the limit");
        }
        assert!(full.insert(-5).is_err());
    }

    #[test]
    fn boxes_across_the_antimeridian_and_over_a_pole() {
        assert!(inside((0.0, 179.9), 50.0, (0.0, -179.9)));
        assert!(!inside((0.0, 179.9), 50.0, (0.0, 0.0)));
        assert!(inside((89.9, 0.0), 50.0, (89.9, 180.0)));
        assert!(bounding_box((0.0, 0.0), 30_000.0).is_none());
    }
}

//! Search: FTS5 with bm25 ranking over folded text in every language of a record, SQL
//! filters for category, spoken language, 24/7, free and country/region, then "open now"
//! (chrono-tz) and distance (haversine from a place the user picks; no GPS) in Rust.

use rusqlite::types::Value;
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
    let schedules: Vec<&Schedule> = match &record.schedule {
        Some(s) => vec![s],
        None => record
            .phones
            .iter()
            .filter_map(|p| p.hours.as_ref())
            .collect(),
    };
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

/// Runs a search.
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
    let mut sql = String::new();
    let mut args: Vec<Value> = Vec::new();
    let matched = text::match_expression(&q.text);
    if let Some(m) = &matched {
        sql.push_str(
            "SELECT r.raw, r.actions FROM directory_fts f JOIN directory_record r ON r.rowid = f.rowid
             WHERE directory_fts MATCH ?",
        );
        args.push(Value::Text(m.clone()));
    } else {
        sql.push_str("SELECT r.raw, r.actions FROM directory_record r WHERE 1");
    }
    if !q.categories.is_empty() {
        let marks = vec!["?"; q.categories.len()].join(",");
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM directory_category c WHERE c.record = r.rowid AND c.category IN ({marks}))"
        ));
        args.extend(
            q.categories
                .iter()
                .map(|c| Value::Text(c.as_str().to_owned())),
        );
    }
    if let Some(l) = &q.spoken_language {
        sql.push_str(" AND EXISTS (SELECT 1 FROM directory_language l WHERE l.record = r.rowid AND l.language = ?)");
        args.push(Value::Text(text::primary_language(l)));
    }
    if q.always_open {
        sql.push_str(" AND r.always_open = 1");
    }
    if q.free {
        sql.push_str(" AND r.free = 1");
    }
    if let Some(country) = &q.country {
        sql.push_str(" AND EXISTS (SELECT 1 FROM directory_area a WHERE a.record = r.rowid AND a.country = ?");
        args.push(Value::Text(country.to_ascii_uppercase()));
        if let Some(region) = &q.region {
            sql.push_str(" AND (a.region IS NULL OR a.region = ?)");
            args.push(Value::Text(region.clone()));
        }
        sql.push(')');
    } else if q.region.is_some() {
        return Err(Error::invalid("region", "needs a country"));
    }
    if q.open_now {
        sql.push_str(" AND (r.always_open = 1 OR r.hours IS NOT NULL)");
    }
    if matched.is_some() {
        // Name matches weigh most, then organization, extra (numbers, places), description.
        sql.push_str(" ORDER BY bm25(directory_fts, 10.0, 5.0, 1.0, 2.0), r.sort_name");
    } else {
        sql.push_str(" ORDER BY r.sort_name");
    }
    let post_filter = q.open_now || q.max_km.is_some() || q.sort == Sort::Distance;
    if !post_filter {
        sql.push_str(&format!(" LIMIT {limit}"));
    }
    let raws: Vec<(String, String)> = store.with_conn(|c| {
        let mut stmt = c.prepare_cached(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args.iter()), |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    let lang = if q.user_language.is_empty() {
        "en"
    } else {
        q.user_language.as_str()
    };
    let mut out: Vec<Resource> = Vec::with_capacity(raws.len().min(limit));
    for (raw, actions) in raws {
        let record: Record =
            serde_json::from_str(&raw).map_err(|_| Error::Corrupt("directory record"))?;
        if q.open_now && open_state(&record, now) != Some(true) {
            continue;
        }
        let distance = min_distance(&record, q.near);
        if let (Some(max), Some(d)) = (q.max_km, distance) {
            if d > max {
                continue;
            }
        }
        let actions: Vec<DialAction> =
            serde_json::from_str(&actions).map_err(|_| Error::Corrupt("dial actions"))?;
        out.push(build(&record, actions, lang, now, q.near)?);
        if (!post_filter || q.sort != Sort::Distance) && out.len() >= limit {
            break;
        }
    }
    if q.sort == Sort::Distance {
        // Stable: equal distances keep relevance order; no coordinates go last.
        out.sort_by(|a, b| match (a.distance_km, b.distance_km) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        out.truncate(limit);
    }
    Ok(out)
}

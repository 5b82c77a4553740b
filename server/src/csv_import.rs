//! A spreadsheet exported as CSV: a header row, one service per row, and a column mapping
//! (a JSON mapping file or `--map field=Column` flags; without either, columns named like
//! the fields map themselves). Several values in one cell (categories, phones, websites,
//! e-mails, languages) are separated by `;`. Opening hours read `24/7` or
//! `Mo-Fr 09:00-17:00; Sa 10:00-14:00` in the row's (or the default) time zone.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::import::{self, Incoming, Options, Report};

/// The fields a column can map to.
pub const FIELDS: [&str; 20] = [
    "id",
    "name",
    "organization",
    "description",
    "categories",
    "phones",
    "sms",
    "country",
    "region",
    "address",
    "latitude",
    "longitude",
    "websites",
    "emails",
    "languages",
    "timezone",
    "hours",
    "eligibility",
    "last_verified",
    "source",
];

/// Field -> column header.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct Mapping {
    /// Field name -> header of the column holding it.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
}

impl Mapping {
    /// Parses a mapping file: `{"columns": {"name": "Service Name", ...}}`.
    pub fn from_json(bytes: &[u8]) -> Result<Mapping, String> {
        let m: Mapping = serde_json::from_slice(bytes).map_err(|e| format!("mapping file: {e}"))?;
        m.check()?;
        Ok(m)
    }

    /// Adds `field=Column` flags.
    pub fn with_flags(mut self, flags: &[String]) -> Result<Mapping, String> {
        for f in flags {
            let (k, v) = f
                .split_once('=')
                .ok_or_else(|| format!("--map takes field=Column, got {f:?}"))?;
            self.columns
                .insert(k.trim().to_owned(), v.trim().to_owned());
        }
        self.check()?;
        Ok(self)
    }

    fn check(&self) -> Result<(), String> {
        for k in self.columns.keys() {
            if !FIELDS.contains(&k.as_str()) {
                return Err(format!(
                    "unknown field {k:?} in the mapping; fields are {}",
                    FIELDS.join(", ")
                ));
            }
        }
        Ok(())
    }
}

fn split(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

const DAY_NAMES: [&str; 7] = ["mo", "tu", "we", "th", "fr", "sa", "su"];

fn day(s: &str) -> Option<u8> {
    let s = s.trim().to_ascii_lowercase();
    DAY_NAMES
        .iter()
        .position(|d| s.starts_with(d))
        .map(|p| p as u8 + 1)
}

/// `24/7` or `Mo-Fr 09:00-17:00; Sa 10:00-14:00` -> (always_open, openings).
pub fn parse_hours(s: &str) -> Result<(bool, Vec<Value>), &'static str> {
    let t = s.trim();
    if t.eq_ignore_ascii_case("24/7") || t.eq_ignore_ascii_case("always") {
        return Ok((true, Vec::new()));
    }
    let mut out = Vec::new();
    for part in t.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let (days, times) = part
            .split_once(' ')
            .ok_or("hours must read like \"Mo-Fr 09:00-17:00; Sa 10:00-14:00\" or \"24/7\"")?;
        let (a, b) = times
            .trim()
            .split_once('-')
            .ok_or("hours need opening and closing times, like 09:00-17:00")?;
        let (a, b) = (a.trim(), b.trim());
        if import::is_numeric_offset(a) || a.contains('+') || b.contains('+') {
            return Err("hours carry a numeric UTC offset; give local times and a time zone name");
        }
        if waypoint_format::record::parse_hhmm(a).is_none()
            || waypoint_format::record::parse_hhmm(b).is_none()
        {
            return Err("hours times must be HH:MM");
        }
        let mut list = Vec::new();
        for d in days.split(',') {
            match d.split_once('-') {
                Some((x, y)) => {
                    let (x, y) = (
                        day(x).ok_or("unknown weekday")?,
                        day(y).ok_or("unknown weekday")?,
                    );
                    if x > y {
                        return Err("weekday range runs backwards");
                    }
                    list.extend(x..=y);
                }
                None => list.push(day(d).ok_or("unknown weekday")?),
            }
        }
        for d in list {
            out.push(json!({"weekday": d, "opens": a, "closes": b}));
        }
    }
    if out.is_empty() {
        return Err("hours are empty");
    }
    Ok((false, out))
}

/// Reads a spreadsheet CSV. Errors name the line (as counted by a text editor) and field.
pub fn read(bytes: &[u8], mapping: &Mapping, opts: &Options, report: &mut Report) -> Vec<Incoming> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let headers = match rdr.headers() {
        Ok(h) if h.iter().any(|c| !c.trim().is_empty()) => h.clone(),
        Ok(_) => {
            report.error("line 1", None, "(header)", "no header row");
            return Vec::new();
        }
        Err(e) => {
            report.error("line 1", None, "(header)", crate::hsds::csv_reason(&e));
            return Vec::new();
        }
    };
    // field -> column index
    let mut cols: BTreeMap<&str, usize> = BTreeMap::new();
    for f in FIELDS {
        let header = mapping.columns.get(f).map(String::as_str).unwrap_or(f);
        if let Some(i) = headers.iter().position(|h| h.trim() == header) {
            cols.insert(f, i);
        } else if mapping.columns.contains_key(f) {
            report.error(
                "line 1",
                None,
                f,
                "the mapped column is not in the header row",
            );
        }
    }
    for (i, h) in headers.iter().enumerate() {
        if !cols.values().any(|c| *c == i) && !h.trim().is_empty() {
            report.not_imported(
                &format!("column {}", h.trim()),
                "line 1",
                "column not mapped to a field",
            );
        }
    }
    if !cols.contains_key("name") {
        report.error(
            "line 1",
            None,
            "name",
            "no column for the name (map one with --map name=Column)",
        );
    }
    if !report.ok() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (n, row) in rdr.records().enumerate() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(n as u64 + 2, |p| p.line());
                report.error(
                    &format!("line {line}"),
                    None,
                    "(row)",
                    crate::hsds::csv_reason(&e),
                );
                continue;
            }
        };
        let line = row.position().map_or(n as u64 + 2, |p| p.line());
        let at = format!("line {line}");
        let get = |f: &str| -> Option<String> {
            cols.get(f)
                .and_then(|i| row.get(*i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if let Some(inc) = row_to_record(&at, &get, opts, report) {
            out.push(inc);
        }
        if (n + 1) % 10_000 == 0 {
            tracing::info!(rows = n + 1, "import progress");
        }
    }
    out
}

fn row_to_record(
    at: &str,
    get: &dyn Fn(&str) -> Option<String>,
    opts: &Options,
    report: &mut Report,
) -> Option<Incoming> {
    let before = report.errors.len();
    let lang = opts.lang();
    let name = get("name");
    let id = get("id")
        .map(|s| s.to_ascii_lowercase())
        .or_else(|| name.as_deref().map(slug));
    let idr = id.as_deref();
    let mut rec = Map::new();
    rec.insert("id".into(), json!(id.clone().unwrap_or_default()));
    match &name {
        Some(n) => {
            rec.insert("name".into(), json!({lang: n}));
        }
        None => report.error(at, idr, "name", "missing name"),
    }
    let org = get("organization").or_else(|| name.clone());
    rec.insert(
        "organization".into(),
        json!({lang: org.unwrap_or_default()}),
    );
    for f in ["description", "eligibility"] {
        if let Some(v) = get(f) {
            rec.insert(f.into(), json!({lang: v}));
        }
    }
    let mut cats = Vec::new();
    for c in split(&get("categories").unwrap_or_default()) {
        match import::category(&c) {
            Some(c) if !cats.contains(&c) => cats.push(c),
            Some(_) => {}
            None => report.error(at, idr, "categories", "unknown category"),
        }
    }
    if cats.is_empty() && report.errors.len() == before {
        report.error(at, idr, "categories", "no category");
    }
    rec.insert("categories".into(), json!(cats));
    let country = get("country")
        .map(|c| c.to_ascii_uppercase())
        .or_else(|| opts.country.clone());
    let Some(country) = country else {
        report.error(
            at,
            idr,
            "country",
            "no country (add a column or pass --country)",
        );
        return None;
    };
    let mut loc = Map::new();
    loc.insert("country".into(), json!(country));
    if let Some(a) = get("address") {
        loc.insert("address".into(), json!(a));
    }
    if let Some(r) = get("region") {
        loc.insert("region".into(), json!(r));
    }
    match (get("latitude"), get("longitude")) {
        (Some(a), Some(b)) => match (a.parse::<f64>(), b.parse::<f64>()) {
            (Ok(a), Ok(b)) => {
                loc.insert("latitude".into(), json!(a));
                loc.insert("longitude".into(), json!(b));
            }
            _ => report.error(at, idr, "latitude", "coordinates are not numbers"),
        },
        (None, None) => {}
        _ => report.error(at, idr, "latitude", "give both latitude and longitude"),
    }
    rec.insert("locations".into(), json!([Value::Object(loc)]));
    let mut phones = Vec::new();
    for (field, kind) in [("phones", "voice"), ("sms", "sms")] {
        for (i, p) in split(&get(field).unwrap_or_default())
            .into_iter()
            .enumerate()
        {
            import::check_phone(
                &p,
                &country,
                false,
                at,
                idr,
                &format!("{field}[{i}]"),
                report,
            );
            phones.push(json!({"number": p, "country": country, "kind": kind}));
        }
    }
    if !phones.is_empty() {
        rec.insert("phones".into(), Value::Array(phones));
    }
    let websites: Vec<String> = split(&get("websites").unwrap_or_default())
        .iter()
        .enumerate()
        .filter_map(|(i, w)| import::check_link(w, at, idr, &format!("websites[{i}]"), report))
        .collect();
    if !websites.is_empty() {
        rec.insert("websites".into(), json!(websites));
    }
    let emails = split(&get("emails").unwrap_or_default());
    if !emails.is_empty() {
        rec.insert("emails".into(), json!(emails));
    }
    let langs = split(&get("languages").unwrap_or_default());
    if !langs.is_empty() {
        rec.insert("languages".into(), json!(langs));
    }
    if let Some(h) = get("hours") {
        match parse_hours(&h) {
            Ok((always, weekly)) => {
                let tz = get("timezone").map(Value::String);
                if let Some(tz) =
                    import::check_timezone(tz.as_ref(), opts, at, idr, "timezone", report)
                {
                    rec.insert(
                        "schedule".into(),
                        json!({"timezone": tz, "always_open": always, "weekly": weekly}),
                    );
                }
            }
            Err(e) => report.error(at, idr, "hours", e),
        }
    }
    match get("last_verified").or_else(|| opts.last_verified.clone()) {
        Some(d) => {
            rec.insert("last_verified".into(), json!(d));
        }
        None => report.error(
            at,
            idr,
            "last_verified",
            "no date (add a column or pass --last-verified)",
        ),
    }
    let source = get("source")
        .or_else(|| opts.source.clone())
        .unwrap_or_else(|| "spreadsheet import".to_owned());
    rec.insert("source".into(), json!(source));
    if report.errors.len() > before {
        return None;
    }
    Some(Incoming {
        at: at.to_owned(),
        value: Value::Object(rec),
    })
}

/// An id from a name: lowercase ASCII letters and digits joined by `-`.
pub fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(c.to_ascii_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
    }
    let s = s.trim_end_matches('-');
    s.chars().take(64).collect()
}

//! Open Referral HSDS 3 in and out: JSON (services with their organization, phones,
//! schedules, locations and attributes nested, or tables linked by id) and the tabular data
//! package (a folder of CSVs with `datapackage.json`).
//!
//! One directory record is one HSDS service. What HSDS has no field for (text in several
//! languages, more than one website or e-mail, a phone's country, keyword, cost and hours,
//! the `free` flag, accessibility notes, the record's source) travels in `x_waypoint`
//! objects, so export -> import gives the same records. HSDS fields the directory does not
//! keep are reported by name and count on import ("not imported"), never dropped silently.
//! Schedules carry an IANA zone name in `timezone`; a numeric offset is refused with a
//! message asking for a zone name.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::{json, Map, Value};

use crate::import::{self, Incoming, Options, Report};
use waypoint_format::record::{Opening, Record, Schedule, Text};

/// Our extension object's key.
const X: &str = "x_waypoint";
/// The taxonomy name categories are exported under.
pub const TAXONOMY: &str = "waypoint";

const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

// ---- export ---------------------------------------------------------------------------------

fn main_lang(r: &Record) -> String {
    if r.name.contains_key("en") || r.name.is_empty() {
        "en".to_owned()
    } else {
        r.name.keys().next().cloned().unwrap_or_else(|| "en".into())
    }
}

/// The value written to the single-language HSDS field, and the full map when that field
/// cannot say everything.
fn text_out(t: &Text, lang: &str) -> (Option<String>, Option<Text>) {
    let shown = t.get(lang).or_else(|| t.values().next()).cloned();
    let full = (!(t.is_empty() || (t.len() == 1 && t.contains_key(lang)))).then(|| t.clone());
    (shown, full)
}

/// The inverse of [`text_out`]: when the HSDS field still holds what export wrote, the full
/// map is taken as is; when another system edited it, the edit wins for the main language.
fn text_in(hsds: Option<String>, full: Option<Text>, lang: &str) -> Text {
    match full {
        Some(full) => {
            if hsds == text_out(&full, lang).0 {
                full
            } else {
                let mut t = full;
                if let Some(v) = hsds {
                    t.insert(lang.to_owned(), v);
                }
                t
            }
        }
        None => hsds
            .filter(|v| !v.trim().is_empty())
            .map(|v| Text::from([(lang.to_owned(), v)]))
            .unwrap_or_default(),
    }
}

fn put(obj: &mut Map<String, Value>, key: &str, v: Option<String>) {
    if let Some(v) = v {
        obj.insert(key.to_owned(), Value::String(v));
    }
}

fn schedule_out(s: &Schedule, sid: &str) -> Vec<Value> {
    let mut out = Vec::new();
    if s.always_open {
        out.push(
            json!({"id": format!("{sid}-sched-all"), "freq": "WEEKLY", "byday": DAYS.join(","),
            "opens_at": "00:00", "closes_at": "24:00", "timezone": s.timezone}),
        );
    }
    for (i, o) in s.weekly.iter().enumerate() {
        let day = DAYS
            .get(usize::from(o.weekday).saturating_sub(1))
            .unwrap_or(&"MO");
        out.push(
            json!({"id": format!("{sid}-sched-{i}"), "freq": "WEEKLY", "byday": day,
            "opens_at": o.opens, "closes_at": o.closes, "timezone": s.timezone}),
        );
    }
    out
}

/// One record as a nested HSDS service.
pub fn service_from_record(r: &Record) -> Value {
    let lang = main_lang(r);
    let mut x = Map::new();
    let mut translations = Map::new();
    let mut s = Map::new();
    s.insert("id".into(), json!(r.id));
    for (field, hsds_field, t) in [
        ("name", "name", &r.name),
        ("description", "description", &r.description),
        ("eligibility", "eligibility_description", &r.eligibility),
        ("fees", "fees_description", &r.fees.description),
    ] {
        let (shown, full) = text_out(t, &lang);
        put(&mut s, hsds_field, shown);
        if let Some(full) = full {
            translations.insert(field.into(), json!(full));
        }
    }
    s.insert("status".into(), json!("active"));
    if let Some(u) = r.websites.first() {
        s.insert("url".into(), json!(u));
    }
    if r.websites.len() > 1 {
        x.insert("websites".into(), json!(r.websites));
    }
    if let Some(e) = r.emails.first() {
        s.insert("email".into(), json!(e));
    }
    if r.emails.len() > 1 {
        x.insert("emails".into(), json!(r.emails));
    }
    s.insert("assured_date".into(), json!(r.last_verified));
    let (org_name, org_full) = text_out(&r.organization, &lang);
    if let Some(full) = org_full {
        translations.insert("organization".into(), json!(full));
    }
    s.insert(
        "organization".into(),
        json!({"id": org_id(org_name.as_deref().unwrap_or("")), "name": org_name}),
    );
    s.insert(
        "languages".into(),
        Value::Array(
            r.languages
                .iter()
                .enumerate()
                .map(|(i, l)| json!({"id": format!("{}-lang-{i}", r.id), "code": l}))
                .collect(),
        ),
    );
    let phones: Vec<Value> = r
        .phones
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (desc, desc_full) = text_out(&p.description, &lang);
            let kind = match p.kind {
                waypoint_format::record::PhoneKind::Voice
                | waypoint_format::record::PhoneKind::Whatsapp => "voice",
                waypoint_format::record::PhoneKind::Sms => "text",
                waypoint_format::record::PhoneKind::Tty => "textphone",
            };
            let mut px = Map::new();
            px.insert("country".into(), json!(p.country));
            if p.kind == waypoint_format::record::PhoneKind::Whatsapp {
                px.insert("kind".into(), json!("whatsapp"));
            }
            if let Some(k) = &p.keyword {
                px.insert("keyword".into(), json!(k));
            }
            if let Some(c) = &p.cost {
                px.insert("cost".into(), json!(c));
            }
            if let Some(h) = &p.hours {
                px.insert("hours".into(), json!(h));
            }
            if let Some(full) = desc_full {
                px.insert("description".into(), json!(full));
            }
            let mut o = Map::new();
            o.insert("id".into(), json!(format!("{}-phone-{i}", r.id)));
            o.insert("number".into(), json!(p.number));
            o.insert("type".into(), json!(kind));
            put(&mut o, "description", desc);
            o.insert(
                "languages".into(),
                Value::Array(
                    p.languages
                        .iter()
                        .enumerate()
                        .map(|(j, l)| json!({"id": format!("{}-phone-{i}-lang-{j}", r.id), "code": l}))
                        .collect(),
                ),
            );
            o.insert(X.into(), Value::Object(px));
            Value::Object(o)
        })
        .collect();
    s.insert("phones".into(), Value::Array(phones));
    s.insert(
        "schedules".into(),
        Value::Array(
            r.schedule
                .as_ref()
                .map(|sc| schedule_out(sc, &r.id))
                .unwrap_or_default(),
        ),
    );
    let sals: Vec<Value> = r
        .locations
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let lid = format!("{}-loc-{i}", r.id);
            let (name, name_full) = text_out(&l.name, &lang);
            let mut loc = Map::new();
            loc.insert("id".into(), json!(lid));
            loc.insert(
                "location_type".into(),
                json!(if l.address.is_some() {
                    "physical"
                } else {
                    "virtual"
                }),
            );
            put(&mut loc, "name", name);
            if let (Some(a), Some(b)) = (l.latitude, l.longitude) {
                loc.insert("latitude".into(), json!(a));
                loc.insert("longitude".into(), json!(b));
            }
            let mut addr = Map::new();
            addr.insert("id".into(), json!(format!("{lid}-addr")));
            addr.insert("address_type".into(), json!("physical"));
            put(&mut addr, "address_1", l.address.clone());
            put(&mut addr, "state_province", l.region.clone());
            addr.insert("country".into(), json!(l.country));
            loc.insert("addresses".into(), json!([Value::Object(addr)]));
            if let Some(full) = name_full {
                loc.insert(X.into(), json!({"name": full}));
            }
            json!({"id": format!("{lid}-sal"), "location": Value::Object(loc)})
        })
        .collect();
    s.insert("service_at_locations".into(), Value::Array(sals));
    s.insert(
        "attributes".into(),
        Value::Array(
            r.categories
                .iter()
                .map(|c| {
                    json!({"id": format!("{}-cat-{}", r.id, c.as_str()), "taxonomy_term": {
                        "id": format!("waypoint-{}", c.as_str()), "code": c.as_str(),
                        "name": c.as_str().replace('_', " "), "taxonomy": TAXONOMY}})
                })
                .collect(),
        ),
    );
    x.insert("language".into(), json!(lang));
    x.insert("free".into(), json!(r.fees.free));
    x.insert("source".into(), json!(r.source));
    if !r.accessibility.is_empty() {
        x.insert("accessibility".into(), json!(r.accessibility));
    }
    if !translations.is_empty() {
        x.insert("translations".into(), Value::Object(translations));
    }
    s.insert(X.into(), Value::Object(x));
    Value::Object(s)
}

fn org_id(name: &str) -> String {
    use sha2::Digest;
    format!(
        "org-{}",
        &hex::encode(sha2::Sha256::digest(name.as_bytes()))[..16]
    )
}

/// The whole directory as nested HSDS JSON.
pub fn export_nested(records: &[Record]) -> Value {
    json!({
        "hsds_version": "3.0",
        "profile": "waypoint",
        "services": records.iter().map(service_from_record).collect::<Vec<_>>(),
    })
}

/// Tables linked by id, in the order a data package lists them.
pub const TABLES: [&str; 10] = [
    "organizations",
    "services",
    "locations",
    "addresses",
    "service_at_locations",
    "phones",
    "schedules",
    "languages",
    "taxonomy_terms",
    "attributes",
];

/// The table an HSDS name stands for: HSDS 3's own data package names its resources in the
/// singular (`service`, `address`, `service_at_location`), JSON documents in the plural.
fn table_name(name: &str) -> Option<&'static str> {
    let plural_s = format!("{name}s");
    let plural_es = format!("{name}es");
    TABLES
        .iter()
        .copied()
        .find(|t| *t == name || *t == plural_s || *t == plural_es)
}

/// Nested services -> tables linked by id.
pub fn link(services: &[Value]) -> BTreeMap<&'static str, Vec<Value>> {
    let mut t: BTreeMap<&'static str, Vec<Value>> =
        TABLES.iter().map(|n| (*n, Vec::new())).collect();
    let mut orgs_seen = std::collections::HashSet::new();
    let mut terms_seen = std::collections::HashSet::new();
    let take = |o: &mut Map<String, Value>, k: &str| o.remove(k);
    for s in services {
        let Some(mut s) = s.as_object().cloned() else {
            continue;
        };
        let sid = s.get("id").cloned().unwrap_or(Value::Null);
        if let Some(Value::Object(org)) = take(&mut s, "organization") {
            let oid = org.get("id").cloned().unwrap_or(Value::Null);
            s.insert("organization_id".into(), oid.clone());
            if orgs_seen.insert(oid.to_string()) {
                t.get_mut("organizations")
                    .expect("table")
                    .push(Value::Object(org));
            }
        }
        for l in as_vec(take(&mut s, "languages")) {
            let mut l = obj(l);
            l.insert("service_id".into(), sid.clone());
            t.get_mut("languages")
                .expect("table")
                .push(Value::Object(l));
        }
        for p in as_vec(take(&mut s, "phones")) {
            let mut p = obj(p);
            let pid = p.get("id").cloned().unwrap_or(Value::Null);
            for l in as_vec(p.remove("languages")) {
                let mut l = obj(l);
                l.insert("phone_id".into(), pid.clone());
                t.get_mut("languages")
                    .expect("table")
                    .push(Value::Object(l));
            }
            p.insert("service_id".into(), sid.clone());
            t.get_mut("phones").expect("table").push(Value::Object(p));
        }
        for sc in as_vec(take(&mut s, "schedules")) {
            let mut sc = obj(sc);
            sc.insert("service_id".into(), sid.clone());
            t.get_mut("schedules")
                .expect("table")
                .push(Value::Object(sc));
        }
        for sal in as_vec(take(&mut s, "service_at_locations")) {
            let mut sal = obj(sal);
            if let Some(Value::Object(mut loc)) = sal.remove("location") {
                let lid = loc.get("id").cloned().unwrap_or(Value::Null);
                for a in as_vec(loc.remove("addresses")) {
                    let mut a = obj(a);
                    a.insert("location_id".into(), lid.clone());
                    t.get_mut("addresses")
                        .expect("table")
                        .push(Value::Object(a));
                }
                sal.insert("location_id".into(), lid);
                t.get_mut("locations")
                    .expect("table")
                    .push(Value::Object(loc));
            }
            sal.insert("service_id".into(), sid.clone());
            t.get_mut("service_at_locations")
                .expect("table")
                .push(Value::Object(sal));
        }
        for a in as_vec(take(&mut s, "attributes")) {
            let mut a = obj(a);
            if let Some(Value::Object(term)) = a.remove("taxonomy_term") {
                let tid = term.get("id").cloned().unwrap_or(Value::Null);
                a.insert("taxonomy_term_id".into(), tid.clone());
                if terms_seen.insert(tid.to_string()) {
                    t.get_mut("taxonomy_terms")
                        .expect("table")
                        .push(Value::Object(term));
                }
            }
            a.insert("link_id".into(), sid.clone());
            a.insert("link_type".into(), json!("service"));
            t.get_mut("attributes")
                .expect("table")
                .push(Value::Object(a));
        }
        t.get_mut("services").expect("table").push(Value::Object(s));
    }
    t
}

fn as_vec(v: Option<Value>) -> Vec<Value> {
    match v {
        Some(Value::Array(a)) => a,
        _ => Vec::new(),
    }
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(o) => o,
        _ => Map::new(),
    }
}

/// Writes the tabular data package: one CSV per table plus `datapackage.json`. Nested
/// values (`x_waypoint`) are JSON in their cell.
pub fn write_tabular(dir: &Path, records: &[Record]) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)?;
    let services: Vec<Value> = records.iter().map(service_from_record).collect();
    let tables = link(&services);
    let mut resources = Vec::new();
    for name in TABLES {
        let rows = &tables[name];
        let mut headers: Vec<String> = Vec::new();
        for r in rows {
            for k in r.as_object().into_iter().flat_map(|o| o.keys()) {
                if !headers.contains(k) {
                    headers.push(k.clone());
                }
            }
        }
        if headers.is_empty() {
            headers.push("id".into());
        }
        let path = format!("{name}.csv");
        let mut w = csv::Writer::from_path(dir.join(&path))?;
        w.write_record(&headers)?;
        for r in rows {
            let cells: Vec<String> = headers
                .iter()
                .map(|h| match r.get(h) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    Some(v) => v.to_string(),
                })
                .collect();
            w.write_record(&cells)?;
        }
        w.flush()?;
        resources.push(json!({
            "name": name, "path": path, "profile": "tabular-data-resource", "format": "csv",
            "schema": {"fields": headers.iter().map(|h| json!({"name": h, "type": "string"})).collect::<Vec<_>>()}
        }));
    }
    let pkg = json!({"name": "waypoint-directory", "profile": "tabular-data-package",
        "hsds_version": "3.0", "resources": resources});
    std::fs::write(
        dir.join("datapackage.json"),
        serde_json::to_vec_pretty(&pkg)?,
    )?;
    Ok(())
}

// ---- import ---------------------------------------------------------------------------------

/// Rows of one table, each with where it came from.
type Rows = Vec<(String, Map<String, Value>)>;

/// Reads HSDS JSON: an array of services, `{"services": [...]}` (nested, or with the other
/// tables beside it, linked by id) or an API page `{"contents": [...]}`.
pub fn read_json(bytes: &[u8], opts: &Options, report: &mut Report) -> Vec<Incoming> {
    let started = std::time::Instant::now();
    let v: Value = match serde_json::from_slice(bytes) {
        Ok(v) => {
            tracing::info!(
                ms = started.elapsed().as_millis() as u64,
                bytes = bytes.len(),
                "parsed JSON"
            );
            v
        }
        Err(e) => {
            report.error(
                &format!("line {}", e.line()),
                None,
                "(file)",
                match e.classify() {
                    serde_json::error::Category::Eof => "not valid JSON: the file ends too early",
                    serde_json::error::Category::Syntax => "not valid JSON: syntax error",
                    _ => "not valid JSON",
                },
            );
            return Vec::new();
        }
    };
    let mut tables: HashMap<String, Rows> = HashMap::new();
    // Rows are moved out of the parsed document, never copied: a large file is held once.
    let mut add_table = |name: &str, arr: Vec<Value>, report: &mut Report| {
        let rows = arr
            .into_iter()
            .enumerate()
            .filter_map(|(i, r)| match r {
                Value::Object(o) => Some((format!("{name}[{i}]"), o)),
                _ => {
                    report.error(&format!("{name}[{i}]"), None, "(row)", "not a JSON object");
                    None
                }
            })
            .collect();
        tables.insert(name.to_owned(), rows);
    };
    match v {
        Value::Array(a) => add_table("services", a, report),
        // One service on its own, as HSDS 3 shows a service in full (`/services/{id}`).
        Value::Object(o)
            if !o.contains_key("services")
                && !o.contains_key("contents")
                && o.get("id").is_some_and(Value::is_string)
                && o.get("name").is_some_and(Value::is_string) =>
        {
            add_table("services", vec![Value::Object(o)], report)
        }
        Value::Object(o) => {
            let mut any = false;
            for (k, val) in o {
                let key = if k == "contents" {
                    Some("services")
                } else {
                    table_name(&k)
                };
                match (key, val) {
                    (Some(key), Value::Array(a)) => {
                        add_table(key, a, report);
                        any = true;
                    }
                    (None, Value::Array(a)) if !a.is_empty() => {
                        report.not_imported(&k, "file", "table the directory does not keep")
                    }
                    _ => {}
                }
            }
            if !any || !tables.contains_key("services") {
                report.error("file", None, "(file)", "no services: expected an array of services or an object with a \"services\" array");
                return Vec::new();
            }
        }
        _ => {
            report.error(
                "file",
                None,
                "(file)",
                "expected an array of services or an object with a \"services\" array",
            );
            return Vec::new();
        }
    }
    from_tables(tables, opts, report)
}

fn cell_value(column: &str, s: &str) -> Option<Value> {
    if s.is_empty() {
        return None;
    }
    if column == X || column == "latitude" || column == "longitude" {
        if let Ok(v) = serde_json::from_str::<Value>(s) {
            return Some(v);
        }
    }
    Some(Value::String(s.to_owned()))
}

/// Reads one CSV into rows (`name.csv line N`).
pub fn read_csv_rows(bytes: &[u8], name: &str, report: &mut Report) -> Rows {
    let mut rdr = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let headers = match rdr.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            report.error(
                &format!("{name}.csv"),
                None,
                "(header)",
                format!("unreadable header row: {}", csv_reason(&e)),
            );
            return Vec::new();
        }
    };
    let mut rows = Vec::new();
    for rec in rdr.records() {
        match rec {
            Ok(rec) => {
                let line = rec.position().map_or(0, |p| p.line());
                let mut o = Map::new();
                for (h, cell) in headers.iter().zip(rec.iter()) {
                    if let Some(v) = cell_value(h, cell) {
                        o.insert(h.to_owned(), v);
                    }
                }
                rows.push((format!("{name}.csv line {line}"), o));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                report.error(
                    &format!("{name}.csv line {line}"),
                    None,
                    "(row)",
                    csv_reason(&e),
                );
            }
        }
    }
    rows
}

/// A CSV error without the offending bytes.
pub fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("row has {len} cells, the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_owned(),
        csv::ErrorKind::Io(e) => format!("cannot read: {}", e.kind()),
        _ => "malformed CSV".to_owned(),
    }
}

/// Reads a tabular data package folder.
pub fn read_tabular(dir: &Path, opts: &Options, report: &mut Report) -> Vec<Incoming> {
    let mut files: Vec<(String, std::path::PathBuf)> = Vec::new();
    match std::fs::read(dir.join("datapackage.json")) {
        Ok(bytes) => match serde_json::from_slice::<Value>(&bytes) {
            Ok(pkg) => {
                for r in pkg["resources"].as_array().into_iter().flatten() {
                    let (Some(name), Some(path)) = (r["name"].as_str(), r["path"].as_str()) else {
                        report.error(
                            "datapackage.json",
                            None,
                            "resources",
                            "a resource lacks a name or path",
                        );
                        continue;
                    };
                    if path.contains("..") || path.starts_with('/') || path.contains("://") {
                        report.error(
                            "datapackage.json",
                            None,
                            "resources",
                            "resource path must be a file inside the package",
                        );
                        continue;
                    }
                    files.push((name.to_owned(), dir.join(path)));
                }
            }
            Err(e) => {
                report.error(
                    &format!("datapackage.json line {}", e.line()),
                    None,
                    "(file)",
                    "not valid JSON",
                );
                return Vec::new();
            }
        },
        Err(_) => {
            report.error(
                "datapackage.json",
                None,
                "(file)",
                "missing: a data package folder needs datapackage.json",
            );
            return Vec::new();
        }
    }
    let mut tables: HashMap<String, Rows> = HashMap::new();
    for (resource, path) in files {
        let Some(name) = table_name(&resource) else {
            report.not_imported(
                &resource,
                "datapackage.json",
                "table the directory does not keep",
            );
            continue;
        };
        match std::fs::read(&path) {
            Ok(bytes) => {
                tables.insert(name.to_owned(), read_csv_rows(&bytes, name, report));
            }
            Err(e) => report.error(
                &format!("{name}.csv"),
                None,
                "(file)",
                format!("cannot read: {}", e.kind()),
            ),
        }
    }
    if !tables.contains_key("services") {
        report.error("datapackage.json", None, "resources", "no services table");
        return Vec::new();
    }
    from_tables(tables, opts, report)
}

fn key_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Resolves the linked tables into nested services, then converts each.
fn from_tables(
    mut tables: HashMap<String, Rows>,
    opts: &Options,
    report: &mut Report,
) -> Vec<Incoming> {
    let mut take = |n: &str| tables.remove(n).unwrap_or_default();
    let services = take("services");
    let by_id = |rows: Rows| -> HashMap<String, Map<String, Value>> {
        rows.into_iter()
            .filter_map(|(_, r)| Some((key_of(r.get("id"))?, r)))
            .collect()
    };
    let orgs = by_id(take("organizations"));
    let terms = by_id(take("taxonomy_terms"));
    let mut locations = by_id(take("locations"));
    let group = |rows: Rows, fk: &str, report: &mut Report, known: &dyn Fn(&str) -> bool| {
        let mut m: HashMap<String, Vec<Map<String, Value>>> = HashMap::new();
        for (at, mut r) in rows {
            let Some(k) = key_of(r.get(fk)) else {
                continue;
            };
            if !known(&k) {
                report.error(&at, None, fk, "refers to an id that is not in the file");
                continue;
            }
            r.remove(fk);
            m.entry(k).or_default().push(r);
        }
        m
    };
    let service_ids: std::collections::HashSet<String> = services
        .iter()
        .filter_map(|(_, s)| key_of(s.get("id")))
        .collect();
    let loc_ids: std::collections::HashSet<String> = locations.keys().cloned().collect();
    let any = |_: &str| true;
    let is_service = |k: &str| service_ids.contains(k);
    let is_location = |k: &str| loc_ids.contains(k);
    let mut addresses = group(take("addresses"), "location_id", report, &is_location);
    for (lid, loc) in locations.iter_mut() {
        if let Some(a) = addresses.remove(lid) {
            loc.insert(
                "addresses".into(),
                Value::Array(a.into_iter().map(Value::Object).collect()),
            );
        }
    }
    let languages_rows = take("languages");
    let (phone_langs, service_langs): (Rows, Rows) = languages_rows
        .into_iter()
        .partition(|(_, r)| r.get("phone_id").is_some_and(|v| !v.is_null()));
    let mut phone_langs = group(phone_langs, "phone_id", report, &any);
    let mut service_langs = group(service_langs, "service_id", report, &is_service);
    let mut phones = group(take("phones"), "service_id", report, &is_service);
    for ps in phones.values_mut() {
        for p in ps {
            if let Some(pid) = key_of(p.get("id")) {
                if let Some(l) = phone_langs.remove(&pid) {
                    p.insert(
                        "languages".into(),
                        Value::Array(l.into_iter().map(Value::Object).collect()),
                    );
                }
            }
        }
    }
    let mut schedules = group(take("schedules"), "service_id", report, &is_service);
    let mut sals = group(
        take("service_at_locations"),
        "service_id",
        report,
        &is_service,
    );
    let mut attributes = group(take("attributes"), "link_id", report, &any);
    let mut out = Vec::with_capacity(services.len());
    for (n, (at, mut s)) in services.into_iter().enumerate() {
        let sid = key_of(s.get("id"));
        if let Some(sid) = &sid {
            if let Some(oid) = key_of(s.get("organization_id")) {
                match orgs.get(&oid) {
                    Some(o) => {
                        s.insert("organization".into(), Value::Object(o.clone()));
                    }
                    None if !orgs.is_empty() || s.get("organization").is_none() => {
                        report.error(
                            &at,
                            Some(sid),
                            "organization_id",
                            "refers to an organization that is not in the file",
                        );
                    }
                    None => {}
                }
                s.remove("organization_id");
            }
            let mut attach = |key: &str, v: Option<Vec<Map<String, Value>>>| {
                if let Some(v) = v {
                    let arr = s
                        .entry(key.to_owned())
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(a) = arr {
                        a.extend(v.into_iter().map(Value::Object));
                    }
                }
            };
            attach("languages", service_langs.remove(sid));
            attach("phones", phones.remove(sid));
            attach("schedules", schedules.remove(sid));
            let sal = sals.remove(sid).map(|v| {
                v.into_iter()
                    .map(|mut sal| {
                        if let Some(lid) = key_of(sal.get("location_id")) {
                            if let Some(loc) = locations.get(&lid) {
                                sal.insert("location".into(), Value::Object(loc.clone()));
                            }
                            sal.remove("location_id");
                        }
                        sal
                    })
                    .collect()
            });
            attach("service_at_locations", sal);
            let attrs = attributes.remove(sid).map(|v| {
                v.into_iter()
                    .map(|mut a| {
                        a.remove("link_type");
                        if let Some(tid) = key_of(a.get("taxonomy_term_id")) {
                            if let Some(t) = terms.get(&tid) {
                                a.insert("taxonomy_term".into(), Value::Object(t.clone()));
                                a.remove("taxonomy_term_id");
                            }
                        }
                        a
                    })
                    .collect()
            });
            attach("attributes", attrs);
        }
        if let Some(inc) = service_to_record(&at, s, opts, report) {
            out.push(inc);
        }
        if (n + 1) % 10_000 == 0 {
            tracing::info!(services = n + 1, "import progress");
        }
    }
    out
}

fn str_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn has_content(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => true,
    }
}

/// Reports every key of `o` not in `known` that carries a value.
fn unknown_keys(
    o: &Map<String, Value>,
    known: &[&str],
    prefix: &str,
    at: &str,
    report: &mut Report,
) {
    for (k, v) in o {
        if !known.contains(&k.as_str()) && has_content(v) {
            report.not_imported(
                &format!("{prefix}{k}"),
                at,
                "HSDS field the directory does not keep",
            );
        }
    }
}

fn from_x<T: serde::de::DeserializeOwned>(x: &Map<String, Value>, key: &str) -> Option<T> {
    x.get(key)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

const SERVICE_KEYS: &[&str] = &[
    "id",
    "name",
    "description",
    "url",
    "email",
    "status",
    "fees_description",
    "eligibility_description",
    "assured_date",
    "last_modified",
    "languages",
    "organization",
    "organization_id",
    "phones",
    "schedules",
    "service_at_locations",
    "attributes",
    X,
];

/// Spellings of earlier HSDS versions and profiles read as HSDS 3: `regular_schedules`,
/// `physical_addresses`, and taxonomy terms listed on the service itself.
fn normalise(s: &mut Map<String, Value>) {
    if let Some(v) = s.remove("regular_schedules") {
        s.entry("schedules").or_insert(v);
    }
    if let Some(Value::Array(terms)) = s.remove("taxonomy_terms") {
        let attrs = s
            .entry("attributes")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(a) = attrs {
            a.extend(terms.into_iter().map(|t| json!({ "taxonomy_term": t })));
        }
    }
    if let Some(Value::Array(sals)) = s.get_mut("service_at_locations") {
        for sal in sals {
            if let Some(Value::Object(loc)) = sal.get_mut("location") {
                if let Some(v) = loc.remove("physical_addresses") {
                    loc.entry("addresses").or_insert(v);
                }
            }
        }
    }
}

/// One nested HSDS service -> a draft resource, reporting what is wrong or not kept.
pub fn service_to_record(
    at: &str,
    mut s: Map<String, Value>,
    opts: &Options,
    report: &mut Report,
) -> Option<Incoming> {
    let errors_before = report.errors.len();
    normalise(&mut s);
    let raw_id = str_of(s.get("id"));
    let id = raw_id.as_ref().map(|i| i.to_ascii_lowercase());
    let idr = id.as_deref();
    if id.is_none() {
        report.error(at, None, "id", "missing id");
    }
    unknown_keys(&s, SERVICE_KEYS, "services.", at, report);
    if let Some(status) = str_of(s.get("status")) {
        if status != "active" {
            report.warn(at, idr, "status", "service is not active; not imported");
            return None;
        }
    }
    let x = match s.get(X) {
        Some(Value::Object(o)) => o.clone(),
        _ => Map::new(),
    };
    let lang = from_x::<String>(&x, "language").unwrap_or_else(|| opts.lang().to_owned());
    let tr: Map<String, Value> = from_x(&x, "translations").unwrap_or_default();
    let text = |hsds: Option<String>, key: &str| -> Text {
        text_in(
            hsds,
            tr.get(key)
                .and_then(|v| serde_json::from_value(v.clone()).ok()),
            &lang,
        )
    };
    let name = text(str_of(s.get("name")), "name");
    if name.values().all(|v| v.trim().is_empty()) {
        report.error(at, idr, "name", "missing name");
    }
    let org = s.get("organization").and_then(|o| o.as_object());
    if let Some(o) = org {
        unknown_keys(o, &["id", "name", X], "organization.", at, report);
    }
    let organization = text(org.and_then(|o| str_of(o.get("name"))), "organization");
    if organization.values().all(|v| v.trim().is_empty()) {
        report.error(at, idr, "organization", "missing organization name");
    }
    let mut rec = Map::new();
    rec.insert("id".into(), json!(id.clone().unwrap_or_default()));
    rec.insert("organization".into(), json!(organization));
    rec.insert("name".into(), json!(name));
    for (key, hsds) in [
        ("description", "description"),
        ("eligibility", "eligibility_description"),
    ] {
        let t = text(str_of(s.get(hsds)), key);
        if !t.is_empty() {
            rec.insert(key.into(), json!(t));
        }
    }
    let acc: Text = from_x(&x, "accessibility").unwrap_or_default();
    if !acc.is_empty() {
        rec.insert("accessibility".into(), json!(acc));
    }
    let fees = text(str_of(s.get("fees_description")), "fees");
    let free = from_x::<bool>(&x, "free").unwrap_or(false);
    rec.insert("fees".into(), json!({"free": free, "description": fees}));

    // Categories from attributes (HSDS 3) linking taxonomy terms.
    let mut cats: Vec<&'static str> = Vec::new();
    for (i, a) in s
        .get("attributes")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .enumerate()
    {
        let term = a.get("taxonomy_term").unwrap_or(a);
        let code = str_of(term.get("code")).or_else(|| str_of(term.get("name")));
        let ours = str_of(term.get("taxonomy")).is_none_or(|t| t == TAXONOMY);
        match code.as_deref().and_then(import::category) {
            Some(c) if !cats.contains(&c) => cats.push(c),
            Some(_) => {}
            None if ours => report.error(at, idr, &format!("attributes[{i}]"), "unknown category"),
            None => report.not_imported(
                "attributes.taxonomy_term (other taxonomies)",
                at,
                "taxonomy term with no directory category",
            ),
        }
    }
    if cats.is_empty() && report.errors.len() == errors_before {
        report.error(
            at,
            idr,
            "categories",
            "no known category (tag the service with a term of the waypoint taxonomy)",
        );
    }
    rec.insert("categories".into(), json!(cats));

    let langs: Vec<String> = s
        .get("languages")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .filter_map(|l| str_of(l.get("code")).or_else(|| str_of(Some(l))))
        .collect();
    if !langs.is_empty() {
        rec.insert("languages".into(), json!(langs));
    }

    // Locations.
    let mut locs = Vec::new();
    for (i, sal) in s
        .get("service_at_locations")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(loc) = sal.get("location").and_then(|l| l.as_object()) else {
            report.error(
                at,
                idr,
                &format!("service_at_locations[{i}]"),
                "no location",
            );
            continue;
        };
        unknown_keys(
            loc,
            &[
                "id",
                "name",
                "latitude",
                "longitude",
                "addresses",
                "location_type",
                X,
            ],
            "locations.",
            at,
            report,
        );
        let lx = loc
            .get(X)
            .and_then(|v| v.as_object())
            .cloned()
            .unwrap_or_default();
        let lname = text_in(str_of(loc.get("name")), from_x(&lx, "name"), &lang);
        let addr = loc
            .get("addresses")
            .and_then(|a| a.as_array())
            .and_then(|a| a.first())
            .and_then(|a| a.as_object());
        if let Some(a) = addr {
            unknown_keys(
                a,
                &[
                    "id",
                    "address_1",
                    "address_2",
                    "city",
                    "state_province",
                    "region",
                    "postal_code",
                    "country",
                    "address_type",
                ],
                "addresses.",
                at,
                report,
            );
        }
        let address: Vec<String> = ["address_1", "address_2", "city", "postal_code"]
            .iter()
            .filter_map(|k| str_of(addr.and_then(|a| a.get(*k))))
            .collect();
        let country = str_of(addr.and_then(|a| a.get("country"))).or_else(|| opts.country.clone());
        let Some(country) = country else {
            report.error(
                at,
                idr,
                &format!("locations[{i}].country"),
                "no country (pass --country)",
            );
            continue;
        };
        let mut l = Map::new();
        if !lname.is_empty() {
            l.insert("name".into(), json!(lname));
        }
        if !address.is_empty() {
            l.insert("address".into(), json!(address.join(", ")));
        }
        l.insert("country".into(), json!(country));
        let region = str_of(addr.and_then(|a| a.get("state_province")))
            .or_else(|| str_of(addr.and_then(|a| a.get("region"))));
        if let Some(r) = region {
            l.insert("region".into(), json!(r));
        }
        let coord = |k: &str, report: &mut Report| -> Option<f64> {
            match loc.get(k) {
                None | Some(Value::Null) => None,
                Some(Value::Number(n)) => n.as_f64(),
                Some(Value::String(s)) if s.trim().is_empty() => None,
                Some(Value::String(s)) => s.trim().parse().ok().or_else(|| {
                    report.error(at, idr, &format!("locations[{i}].{k}"), "not a number");
                    None
                }),
                Some(_) => {
                    report.error(at, idr, &format!("locations[{i}].{k}"), "not a number");
                    None
                }
            }
        };
        if let (Some(a), Some(b)) = (coord("latitude", report), coord("longitude", report)) {
            l.insert("latitude".into(), json!(a));
            l.insert("longitude".into(), json!(b));
        }
        locs.push(Value::Object(l));
    }
    if locs.is_empty() {
        match &opts.country {
            Some(c) => locs.push(json!({"country": c})),
            None => report.error(
                at,
                idr,
                "locations",
                "no location or country (pass --country for national services)",
            ),
        }
    }
    let first_country = locs
        .first()
        .and_then(|l| l["country"].as_str())
        .map(str::to_owned);
    rec.insert("locations".into(), Value::Array(locs));

    // Phones.
    let mut phones = Vec::new();
    for (i, p) in s
        .get("phones")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .enumerate()
    {
        let field = format!("phones[{i}]");
        let Some(p) = p.as_object() else { continue };
        unknown_keys(
            p,
            &[
                "id",
                "number",
                "type",
                "description",
                "languages",
                "extension",
                X,
            ],
            "phones.",
            at,
            report,
        );
        if str_of(p.get("extension")).is_some() {
            report.error(
                at,
                idr,
                &format!("{field}.extension"),
                "a phone extension cannot be dialled from a link; list a direct number",
            );
            continue;
        }
        let px = p
            .get(X)
            .and_then(|v| v.as_object())
            .cloned()
            .unwrap_or_default();
        let kind = match (
            from_x::<String>(&px, "kind").as_deref(),
            str_of(p.get("type")).as_deref(),
        ) {
            (Some("whatsapp"), _) => "whatsapp",
            (_, None | Some("voice") | Some("cell")) => "voice",
            (_, Some("text") | Some("sms")) => "sms",
            (_, Some("textphone") | Some("tty")) => "tty",
            (_, Some(_)) => {
                report.not_imported(
                    "phones.type (fax, pager, video)",
                    at,
                    "the phone app only dials voice, text and textphone numbers",
                );
                continue;
            }
        };
        let Some(number) = str_of(p.get("number")) else {
            report.error(at, idr, &format!("{field}.number"), "missing number");
            continue;
        };
        let country = from_x::<String>(&px, "country")
            .or_else(|| opts.country.clone())
            .or_else(|| first_country.clone());
        let Some(country) = country else {
            report.error(
                at,
                idr,
                &format!("{field}.country"),
                "no country for the number",
            );
            continue;
        };
        let cost: Option<String> = from_x(&px, "cost");
        import::check_phone(
            &number,
            &country,
            cost.is_some(),
            at,
            idr,
            &format!("{field}.number"),
            report,
        );
        let mut o = Map::new();
        o.insert("number".into(), json!(number));
        o.insert("country".into(), json!(country));
        o.insert("kind".into(), json!(kind));
        for k in ["keyword", "cost", "hours"] {
            if let Some(v) = px.get(k) {
                o.insert(k.into(), v.clone());
            }
        }
        let pl: Vec<String> = p
            .get("languages")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
            .filter_map(|l| str_of(l.get("code")).or_else(|| str_of(Some(l))))
            .collect();
        if !pl.is_empty() {
            o.insert("languages".into(), json!(pl));
        }
        let d = text_in(
            str_of(p.get("description")),
            from_x(&px, "description"),
            &lang,
        );
        if !d.is_empty() {
            o.insert("description".into(), json!(d));
        }
        phones.push(Value::Object(o));
    }
    if !phones.is_empty() {
        rec.insert("phones".into(), Value::Array(phones));
    }

    // Links.
    let mut websites: Vec<String> =
        match (str_of(s.get("url")), from_x::<Vec<String>>(&x, "websites")) {
            (Some(u), Some(list)) if list.first() == Some(&u) => list,
            (Some(u), _) => vec![u],
            (None, _) => Vec::new(),
        };
    websites = websites
        .iter()
        .enumerate()
        .filter_map(|(i, w)| import::check_link(w, at, idr, &format!("websites[{i}]"), report))
        .collect();
    if !websites.is_empty() {
        rec.insert("websites".into(), json!(websites));
    }
    let emails: Vec<String> = match (str_of(s.get("email")), from_x::<Vec<String>>(&x, "emails")) {
        (Some(e), Some(list)) if list.first() == Some(&e) => list,
        (Some(e), _) => vec![e],
        (None, _) => Vec::new(),
    };
    if !emails.is_empty() {
        rec.insert("emails".into(), json!(emails));
    }

    // Schedule.
    let entries: Vec<&Value> = s
        .get("schedules")
        .and_then(|v| v.as_array())
        .into_iter()
        .flatten()
        .collect();
    if !entries.is_empty() {
        if let Some(sc) = schedule_in(&entries, opts, at, idr, report) {
            rec.insert("schedule".into(), json!(sc));
        }
    }

    let verified = str_of(s.get("assured_date"))
        .or_else(|| str_of(s.get("last_modified")).map(|d| d.chars().take(10).collect()))
        .or_else(|| opts.last_verified.clone());
    match verified {
        Some(d) => {
            rec.insert("last_verified".into(), json!(d));
        }
        None => report.error(
            at,
            idr,
            "last_verified",
            "no assured_date or last_modified (pass --last-verified)",
        ),
    }
    let source = from_x::<String>(&x, "source")
        .or_else(|| opts.source.clone())
        .unwrap_or_else(|| "HSDS import".to_owned());
    rec.insert("source".into(), json!(source));
    if report.errors.len() > errors_before {
        return None;
    }
    Some(Incoming {
        at: at.to_owned(),
        value: Value::Object(rec),
    })
}

fn hhmm(raw: &str) -> Option<String> {
    let t = raw.trim();
    let t = t.strip_suffix(":00").filter(|s| s.len() == 5).unwrap_or(t);
    waypoint_format::record::parse_hhmm(t).map(|_| t.to_owned())
}

fn has_offset(t: &str) -> bool {
    let t = t.trim();
    t.ends_with('Z') || t.get(5..).is_some_and(|rest| rest.contains(['+', '-']))
}

/// HSDS weekly schedule entries -> one schedule with a zone name.
fn schedule_in(
    entries: &[&Value],
    opts: &Options,
    at: &str,
    id: Option<&str>,
    report: &mut Report,
) -> Option<Schedule> {
    let mut tz: Option<String> = None;
    let mut weekly = Vec::new();
    let mut always_open = false;
    let mut ok = true;
    for (i, e) in entries.iter().enumerate() {
        let field = format!("schedules[{i}]");
        let Some(o) = e.as_object() else { continue };
        unknown_keys(
            o,
            &[
                "id",
                "freq",
                "byday",
                "opens_at",
                "closes_at",
                "timezone",
                "wkst",
                "description",
            ],
            "schedules.",
            at,
            report,
        );
        if str_of(o.get("freq")).is_some_and(|f| !f.eq_ignore_ascii_case("weekly")) {
            report.not_imported(
                "schedules.freq (not weekly)",
                at,
                "only weekly opening hours are kept",
            );
            continue;
        }
        let (Some(opens), Some(closes)) = (str_of(o.get("opens_at")), str_of(o.get("closes_at")))
        else {
            report.not_imported(
                "schedules (without opens_at/closes_at)",
                at,
                "only weekly opening hours are kept",
            );
            continue;
        };
        if has_offset(&opens) || has_offset(&closes) {
            report.error(
                at,
                id,
                &format!("{field}.opens_at"),
                "time with a numeric UTC offset; give local times and a time zone name",
            );
            ok = false;
            continue;
        }
        let this_tz = import::check_timezone(
            o.get("timezone"),
            opts,
            at,
            id,
            &format!("{field}.timezone"),
            report,
        );
        let Some(this_tz) = this_tz else {
            ok = false;
            continue;
        };
        match &tz {
            Some(t) if *t != this_tz => {
                report.error(
                    at,
                    id,
                    &format!("{field}.timezone"),
                    "entries of one schedule name different time zones",
                );
                ok = false;
            }
            _ => tz = Some(this_tz),
        }
        let (Some(a), Some(b)) = (hhmm(&opens), hhmm(&closes)) else {
            report.error(at, id, &format!("{field}.opens_at"), "time is not HH:MM");
            ok = false;
            continue;
        };
        let days: Vec<u8> = match str_of(o.get("byday")) {
            None => (1..=7).collect(),
            Some(b) => {
                let mut v = Vec::new();
                for d in b.split(',') {
                    match DAYS.iter().position(|x| x.eq_ignore_ascii_case(d.trim())) {
                        Some(p) => v.push(p as u8 + 1),
                        None => {
                            report.error(
                                at,
                                id,
                                &format!("{field}.byday"),
                                "byday must list MO,TU,WE,TH,FR,SA,SU",
                            );
                            ok = false;
                        }
                    }
                }
                v
            }
        };
        if days.len() == 7 && a == "00:00" && b == "24:00" {
            always_open = true;
            continue;
        }
        for d in days {
            weekly.push(Opening {
                weekday: d,
                opens: a.clone(),
                closes: b.clone(),
            });
        }
    }
    if !ok {
        return None;
    }
    Some(Schedule {
        timezone: tz?,
        always_open,
        weekly,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo_records() -> Vec<Record> {
        crate::demo::resources()
            .into_iter()
            .map(|v| serde_json::from_value(v).expect("record"))
            .collect()
    }

    #[test]
    fn nested_round_trip_gives_the_same_records() {
        let recs = demo_records();
        let bytes = serde_json::to_vec(&export_nested(&recs)).expect("json");
        let mut report = Report::default();
        let inc = read_json(&bytes, &Options::default(), &mut report);
        let out = import::check(inc, &mut report);
        assert!(report.ok(), "{}", report.to_text());
        assert!(report.not_imported.is_empty(), "{}", report.to_text());
        let back: Vec<Record> = out
            .into_iter()
            .map(|v| serde_json::from_value(v).expect("record"))
            .collect();
        assert_eq!(back, recs);
    }

    #[test]
    fn linked_json_round_trip_gives_the_same_records() {
        let recs = demo_records();
        let services: Vec<Value> = recs.iter().map(service_from_record).collect();
        let bytes = serde_json::to_vec(&link(&services)).expect("json");
        let mut report = Report::default();
        let out = import::check(
            read_json(&bytes, &Options::default(), &mut report),
            &mut report,
        );
        assert!(report.ok(), "{}", report.to_text());
        let back: Vec<Record> = out
            .into_iter()
            .map(|v| serde_json::from_value(v).expect("record"))
            .collect();
        assert_eq!(back, recs);
    }

    /// The records of the data package in `dir`, checked; fails on any import problem.
    fn import_tabular_ok(dir: &std::path::Path) -> Vec<Record> {
        let mut report = Report::default();
        let out = import::check(
            read_tabular(dir, &Options::default(), &mut report),
            &mut report,
        );
        assert!(report.ok(), "{}", report.to_text());
        out.into_iter()
            .map(|v| serde_json::from_value(v).expect("record"))
            .collect()
    }

    #[test]
    fn tabular_round_trip_gives_the_same_records() {
        let recs = demo_records();
        let dir = tempfile::tempdir().expect("tmp");
        write_tabular(dir.path(), &recs).expect("write");
        assert_eq!(import_tabular_ok(dir.path()), recs);
    }

    /// HSDS 3's reference data package names its resources in the singular (`service`,
    /// `organization`, `address`, `service_at_location`); it must import like our own.
    #[test]
    fn a_data_package_with_singular_resource_names_imports() {
        let recs = demo_records();
        let dir = tempfile::tempdir().expect("tmp");
        write_tabular(dir.path(), &recs).expect("write");
        let pkg_path = dir.path().join("datapackage.json");
        let mut pkg: Value =
            serde_json::from_slice(&std::fs::read(&pkg_path).expect("read")).expect("json");
        for r in pkg["resources"].as_array_mut().expect("resources") {
            let name = r["name"].as_str().expect("name").to_owned();
            let singular = name
                .strip_suffix("es")
                .filter(|s| s.ends_with("ss"))
                .or_else(|| name.strip_suffix('s'))
                .unwrap_or(&name)
                .to_owned();
            r["name"] = Value::String(singular);
        }
        std::fs::write(&pkg_path, serde_json::to_vec(&pkg).expect("json")).expect("write");
        assert_eq!(import_tabular_ok(dir.path()), recs);
    }

    /// A single service object (HSDS 3's "service in full" form) is a document of one
    /// service; a document with no service anywhere is an error, never "0 records, ok".
    #[test]
    fn a_single_service_object_imports_and_a_document_without_services_is_an_error() {
        let recs = demo_records();
        let one = service_from_record(&recs[0]);
        let mut report = Report::default();
        let out = import::check(
            read_json(one.to_string().as_bytes(), &Options::default(), &mut report),
            &mut report,
        );
        assert!(report.ok(), "{}", report.to_text());
        assert_eq!(out.len(), 1);
        let r: Record = serde_json::from_value(out[0].clone()).expect("record");
        assert_eq!(r, recs[0]);

        let mut report = Report::default();
        let doc = json!({"phones": [{"id": "p1", "number": "+1 202 555 0177"}]});
        let out = read_json(doc.to_string().as_bytes(), &Options::default(), &mut report);
        assert!(out.is_empty());
        assert!(!report.ok(), "a document without services must be refused");
    }

    /// A service as another HSDS 3 publisher writes it: upper-case UUIDs, fields the
    /// directory does not keep, a foreign taxonomy beside ours, language objects, an
    /// address split into parts, a phone type the app cannot dial. It imports, and the
    /// report lists what was left out.
    #[test]
    fn another_publishers_hsds_imports_with_a_report_of_what_is_not_kept() {
        let doc = json!({"total_items": 1, "contents": [{
            "id": "4C5B7A0E-8D3A-4E2B-9F0A-1D2C3B4A5E6F",
            "name": "Anti-Trafficking Legal Clinic",
            "alternate_name": "ATLC",
            "description": "Free legal help for survivors.",
            "url": "https://clinic.example.org/help",
            "status": "active",
            "interpretation_services": "Spanish, Tagalog",
            "application_process": "Call first",
            "fees_description": "",
            "last_modified": "2026-10-05T14:11:00Z",
            "organization": {"id": "9F1E", "name": "Justice Partners", "description": "Legal aid", "website": "https://jp.example.org"},
            "phones": [
                {"id": "p1", "number": "+1 202 555 0177", "type": "voice", "extension": null,
                 "languages": [{"id": "l1", "name": "Spanish", "code": "es"}]},
                {"id": "p2", "number": "+1 202 555 0178", "type": "fax"}
            ],
            "regular_schedules": [
                {"id": "s1", "freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "09:00:00", "closes_at": "17:00:00",
                 "timezone": "America/New_York", "valid_from": "2026-01-01"}
            ],
            "service_at_locations": [{"id": "sal1", "location": {
                "id": "loc1", "name": "Main office", "latitude": "38.9", "longitude": "-77.03",
                "accessibility": [{"description": "Step-free entrance"}],
                "physical_addresses": [{"id": "a1", "address_1": "1 Main St", "city": "Washington",
                    "state_province": "DC", "postal_code": "20001", "country": "US"}]}}],
            "attributes": [
                {"id": "at1", "taxonomy_term": {"id": "t1", "code": "LF-4900", "name": "Legal Services", "taxonomy": "AIRS"}},
                {"id": "at2", "taxonomy_term": {"id": "t2", "code": "legal_aid", "taxonomy": "waypoint"}}
            ],
            "contacts": [{"id": "c1", "name": "Intake"}]
        }]});
        let mut report = Report::default();
        let inc = read_json(doc.to_string().as_bytes(), &Options::default(), &mut report);
        let out = import::check(inc, &mut report);
        assert!(report.ok(), "{}", report.to_text());
        let r: Record = serde_json::from_value(out[0].clone()).expect("record");
        assert_eq!(r.id, "4c5b7a0e-8d3a-4e2b-9f0a-1d2c3b4a5e6f");
        assert_eq!(r.last_verified, "2026-10-05");
        assert_eq!(r.phones.len(), 1);
        assert_eq!(r.phones[0].languages, ["es"]);
        assert_eq!(
            r.locations[0].address.as_deref(),
            Some("1 Main St, Washington, 20001")
        );
        assert_eq!(r.locations[0].region.as_deref(), Some("DC"));
        assert_eq!(r.schedule.as_ref().map(|s| s.weekly.len()), Some(5));
        let fields: Vec<&str> = report
            .not_imported
            .iter()
            .map(|n| n.field.as_str())
            .collect();
        for f in [
            "services.alternate_name",
            "services.interpretation_services",
            "services.application_process",
            "services.contacts",
            "organization.description",
            "organization.website",
            "locations.accessibility",
            "schedules.valid_from",
            "phones.type (fax, pager, video)",
            "attributes.taxonomy_term (other taxonomies)",
        ] {
            assert!(fields.contains(&f), "{f} not reported: {fields:?}");
        }
    }
}

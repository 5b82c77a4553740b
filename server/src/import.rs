//! Directory import into the draft: the validation report and the all-or-nothing write.
//!
//! Every source (HSDS JSON nested or linked by id, the HSDS tabular data package, a plain
//! spreadsheet CSV with a column mapping) is turned into draft resources plus a report:
//! per record and field, with the line or record number, what is wrong. Nothing changes
//! unless the report has no error; then every record is written in ONE transaction. What a
//! source holds that the directory cannot represent is reported as a warning (counted per
//! field), never dropped silently. Values from the file are not echoed into messages, only
//! field names and positions, so a report can be shared without copying the data.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rusqlite::params;
use serde::Serialize;

use crate::advocates::audit_in;
use crate::db::{Db, DbError};

/// One finding of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// Where in the source: `line 4`, `services[2]`, `phones.csv line 9`.
    pub at: String,
    /// The record id, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The field, e.g. `phones[0].number`.
    pub field: String,
    /// What is wrong.
    pub message: String,
}

/// A field the directory cannot represent, counted over the whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotImported {
    /// Field or column name.
    pub field: String,
    /// How many records carried it.
    pub count: usize,
    /// Where it first appeared.
    pub first_at: String,
    /// Why it is not imported.
    pub reason: String,
}

/// The validation report shown before anything changes.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Records read from the source.
    pub records_read: usize,
    /// Records that would be (or were) written to the draft.
    pub records_valid: usize,
    /// Problems that block the import.
    pub errors: Vec<Issue>,
    /// Problems that do not block it (identical duplicates, skipped inactive services).
    pub warnings: Vec<Issue>,
    /// Source fields that are not imported, with counts.
    pub not_imported: Vec<NotImported>,
    /// Whether the draft was changed.
    pub applied: bool,
    #[serde(skip)]
    dropped: BTreeMap<String, (usize, String, String)>,
}

/// Most findings listed in a report; further ones are counted.
pub const MAX_LISTED: usize = 1000;

impl Report {
    /// Adds a blocking error.
    pub fn error(&mut self, at: &str, id: Option<&str>, field: &str, message: impl Into<String>) {
        self.errors.push(Issue {
            at: at.to_owned(),
            id: id.map(str::to_owned),
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// Adds a warning.
    pub fn warn(&mut self, at: &str, id: Option<&str>, field: &str, message: impl Into<String>) {
        self.warnings.push(Issue {
            at: at.to_owned(),
            id: id.map(str::to_owned),
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// Counts a source field that is not representable.
    pub fn not_imported(&mut self, field: &str, at: &str, reason: &str) {
        let e = self
            .dropped
            .entry(field.to_owned())
            .or_insert_with(|| (0, at.to_owned(), reason.to_owned()));
        e.0 += 1;
    }

    /// Whether the import may go ahead.
    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }

    fn finish(&mut self) {
        self.not_imported = std::mem::take(&mut self.dropped)
            .into_iter()
            .map(|(field, (count, first_at, reason))| NotImported {
                field,
                count,
                first_at,
                reason,
            })
            .collect();
    }

    /// Plain-text rendering (one finding per line) for the command line.
    pub fn to_text(&self) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "{} records read, {} valid, {} errors, {} warnings",
            self.records_read,
            self.records_valid,
            self.errors.len(),
            self.warnings.len()
        );
        let line = |kind: &str, i: &Issue| {
            let id =
                i.id.as_deref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default();
            format!("{kind} {}{id}: {}: {}\n", i.at, i.field, i.message)
        };
        for i in self.errors.iter().take(MAX_LISTED) {
            s.push_str(&line("error", i));
        }
        if self.errors.len() > MAX_LISTED {
            let _ = writeln!(s, "... and {} more errors", self.errors.len() - MAX_LISTED);
        }
        for i in self.warnings.iter().take(MAX_LISTED) {
            s.push_str(&line("warning", i));
        }
        for n in &self.not_imported {
            let _ = writeln!(
                s,
                "not imported: {} in {} records (first at {}): {}",
                n.field, n.count, n.first_at, n.reason
            );
        }
        s
    }
}

/// A record converted from the source, with where it came from.
#[derive(Debug, Clone)]
pub struct Incoming {
    /// Position in the source (`line 3`, `services[0]`).
    pub at: String,
    /// The draft resource (`waypoint_format::Record` JSON).
    pub value: serde_json::Value,
}

/// Defaults for what a source may leave out.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Language tag of the source's text (default `en`).
    pub language: Option<String>,
    /// Country for locations and phones that name none.
    pub country: Option<String>,
    /// IANA time zone for schedules that name none.
    pub timezone: Option<String>,
    /// `last_verified` for records that carry no date.
    pub last_verified: Option<String>,
    /// `source` for records that name none.
    pub source: Option<String>,
}

impl Options {
    /// The main language of the source.
    pub fn lang(&self) -> &str {
        self.language.as_deref().unwrap_or("en")
    }
}

/// Input formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Guess from the path: a folder is a data package, `.csv` a spreadsheet, else JSON.
    Auto,
    /// HSDS JSON, services nested or tables linked by id.
    Hsds,
    /// HSDS tabular data package: a folder of CSVs with `datapackage.json`.
    Tabular,
    /// A spreadsheet CSV with a header row and a column mapping.
    Csv,
}

/// Reads and checks `path`; the returned records are written only if the report is ok.
pub fn read_path(
    path: &Path,
    format: Format,
    mapping: &crate::csv_import::Mapping,
    opts: &Options,
) -> (Vec<serde_json::Value>, Report) {
    let format = match format {
        Format::Auto if path.is_dir() => Format::Tabular,
        Format::Auto
            if path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv")) =>
        {
            Format::Csv
        }
        Format::Auto => Format::Hsds,
        f => f,
    };
    let mut report = Report::default();
    let incoming = match format {
        Format::Tabular => crate::hsds::read_tabular(path, opts, &mut report),
        Format::Csv | Format::Hsds | Format::Auto => match std::fs::read(path) {
            Ok(bytes) => read_bytes(&bytes, format, mapping, opts, &mut report),
            Err(e) => {
                report.error("file", None, "(file)", format!("cannot read: {}", e.kind()));
                Vec::new()
            }
        },
    };
    let values = check(incoming, &mut report);
    (values, report)
}

/// Reads an uploaded file's bytes (HSDS JSON or a spreadsheet CSV) into records.
pub fn read_bytes(
    bytes: &[u8],
    format: Format,
    mapping: &crate::csv_import::Mapping,
    opts: &Options,
    report: &mut Report,
) -> Vec<Incoming> {
    let format = match format {
        Format::Auto => {
            let first = bytes.iter().find(|b| !b.is_ascii_whitespace());
            if matches!(first, Some(b'{') | Some(b'[')) {
                Format::Hsds
            } else {
                Format::Csv
            }
        }
        f => f,
    };
    match format {
        Format::Csv => crate::csv_import::read(bytes, mapping, opts, report),
        Format::Tabular => {
            report.error(
                "file",
                None,
                "(file)",
                "a data package is a folder; upload its CSVs as one HSDS JSON or use the command line",
            );
            Vec::new()
        }
        _ => crate::hsds::read_json(bytes, opts, report),
    }
}

/// Checks converted records: id rules, duplicates, every rule of the bundle format and the
/// phone rules. Returns the records to write (identical duplicates once).
pub fn check(incoming: Vec<Incoming>, report: &mut Report) -> Vec<serde_json::Value> {
    report.records_read += incoming.len();
    // id -> (where first seen, SHA-256 of its content): duplicates are compared by hash, so
    // a large file's text is not held twice.
    let mut seen: HashMap<String, (String, [u8; 32])> = HashMap::new();
    let mut out = Vec::with_capacity(incoming.len());
    for inc in incoming {
        let id = inc
            .value
            .get("id")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_owned();
        let canonical: [u8; 32] = {
            use sha2::Digest;
            sha2::Sha256::digest(inc.value.to_string().as_bytes()).into()
        };
        if let Some((first_at, first)) = seen.get(&id) {
            if *first == canonical {
                report.warn(
                    &inc.at,
                    Some(&id),
                    "id",
                    format!("duplicate id, identical to {first_at}; imported once"),
                );
            } else {
                report.error(
                    &inc.at,
                    Some(&id),
                    "id",
                    format!("duplicate id with different content from {first_at} (conflicting duplicates)"),
                );
            }
            continue;
        }
        let errors = crate::records::validate(&inc.value);
        if errors.is_empty() {
            out.push(inc.value);
        } else {
            for e in errors {
                report.error(&inc.at, Some(&id), &e.field, e.reason);
            }
        }
        seen.insert(id, (inc.at, canonical));
    }
    report.records_valid = out.len();
    report.finish();
    out
}

/// Writes `values` into the draft in one transaction (replacing the whole draft when
/// `replace`), with one audit entry. Called only with a report that has no error.
pub fn apply(
    db: &Db,
    values: &[serde_json::Value],
    replace: bool,
    by: &str,
    now_ms: i64,
) -> Result<usize, DbError> {
    db.with(|c| {
        let tx = c.unchecked_transaction()?;
        if replace {
            tx.execute("DELETE FROM draft_resources", [])?;
        }
        {
            let mut stmt = tx.prepare(
                "INSERT INTO draft_resources (id, body, updated_ms, updated_by) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(id) DO UPDATE SET body = excluded.body, updated_ms = excluded.updated_ms,
                 updated_by = excluded.updated_by",
            )?;
            for v in values {
                let id = v.get("id").and_then(|i| i.as_str()).unwrap_or_default();
                stmt.execute(params![id, v.to_string(), now_ms, by])?;
            }
        }
        let what = format!(
            "{} records{}",
            values.len(),
            if replace { " (draft replaced)" } else { "" }
        );
        audit_in(&tx, now_ms, by, "draft.import", &what)?;
        tx.commit()?;
        Ok(values.len())
    })
}

/// Every draft resource as a record (for export).
pub fn draft_records(db: &Db) -> anyhow::Result<Vec<waypoint_format::Record>> {
    let values = crate::publish::draft_list(db).map_err(|e| anyhow::anyhow!("{e}"))?;
    values
        .into_iter()
        .map(|v| {
            serde_json::from_value(v)
                .map_err(|e| anyhow::anyhow!("a draft resource does not parse: {e}"))
        })
        .collect()
}

// ---- rules shared by the converters -------------------------------------------------------

/// A link as the directory accepts it: `https:` only. `javascript:`, `data:` and `http:`
/// links are errors with their own message.
pub fn check_link(
    raw: &str,
    at: &str,
    id: Option<&str>,
    field: &str,
    report: &mut Report,
) -> Option<String> {
    let s = raw.trim();
    let lower = s.to_ascii_lowercase();
    let scheme: String = lower
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect();
    if scheme.starts_with("javascript:")
        || scheme.starts_with("data:")
        || scheme.starts_with("vbscript:")
    {
        report.error(
            at,
            id,
            field,
            "script or data link refused; only https: links are allowed",
        );
        None
    } else if lower.starts_with("http://") {
        report.error(at, id, field, "http: link; only https: links are allowed (would be readable and changeable on the way)");
        None
    } else if !waypoint_format::record::is_https_url(s) {
        report.error(at, id, field, "not an https: URL");
        None
    } else {
        Some(s.to_owned())
    }
}

/// The IANA zone of a schedule. Missing -> the `--timezone` default or an error; a numeric
/// offset (`-5`, `+05:00`, `UTC-5`) -> an error asking for a zone name, since offsets
/// change with daylight saving time and the phone shows hours in the zone's local time.
pub fn check_timezone(
    raw: Option<&serde_json::Value>,
    opts: &Options,
    at: &str,
    id: Option<&str>,
    field: &str,
    report: &mut Report,
) -> Option<String> {
    let s = match raw {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::Number(_)) => {
            report.error(at, id, field, "numeric UTC offset; give a time zone name such as America/New_York (offsets change with daylight saving time)");
            return None;
        }
        Some(serde_json::Value::String(s)) if s.trim().is_empty() => None,
        Some(serde_json::Value::String(s)) => Some(s.trim().to_owned()),
        Some(_) => {
            report.error(
                at,
                id,
                field,
                "time zone must be a name such as America/New_York",
            );
            return None;
        }
    };
    let Some(s) = s.or_else(|| opts.timezone.clone()) else {
        report.error(
            at,
            id,
            field,
            "schedule without a time zone; add one (or pass --timezone)",
        );
        return None;
    };
    if is_numeric_offset(&s) {
        report.error(at, id, field, "numeric UTC offset; give a time zone name such as America/New_York (offsets change with daylight saving time)");
        return None;
    }
    if s.parse::<chrono_tz::Tz>().is_err() {
        report.error(
            at,
            id,
            field,
            "unknown time zone name (use an IANA name such as Europe/London)",
        );
        return None;
    }
    Some(s)
}

/// `-5`, `+05:00`, `UTC+1`, `GMT-0500`, `Z`.
pub fn is_numeric_offset(s: &str) -> bool {
    let t = s.trim();
    let upper = t.to_ascii_uppercase();
    let rest = upper
        .strip_prefix("UTC")
        .or_else(|| upper.strip_prefix("GMT"))
        .unwrap_or(&upper);
    t == "Z"
        || (rest.starts_with(['+', '-'])
            && rest.len() > 1
            && rest[1..]
                .chars()
                .all(|c| c.is_ascii_digit() || c == ':' || c == '.'))
        || (!rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit()))
}

/// A category name as sources spell it (`Legal Aid`, `legal-aid`) -> the wire name.
pub fn category(raw: &str) -> Option<&'static str> {
    let norm: String = raw
        .trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c == ' ' || c == '-' || c == '/' {
                '_'
            } else {
                c
            }
        })
        .collect();
    let norm = match norm.as_str() {
        "shelter" => "emergency_shelter",
        "legal" => "legal_aid",
        "food" | "clothing" | "food_and_clothing" => "food_clothing",
        "helpline" | "hotlines" => "hotline",
        "health" | "medical_care" => "medical",
        other => other,
    }
    .to_owned();
    waypoint_format::record::Category::parse(&norm).map(|c| c.as_str())
}

/// The phone rules for one number, naming the field (`phones[1].number`) and never the value.
pub fn check_phone(
    number: &str,
    country: &str,
    premium: bool,
    at: &str,
    id: Option<&str>,
    field: &str,
    report: &mut Report,
) -> bool {
    match waypoint_format::phone::target(number, country, premium) {
        Ok(_) => true,
        Err(e) => {
            report.error(
                at,
                id,
                field,
                format!("unparseable or refused phone number: {}", e.0),
            );
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_are_recognised() {
        for s in ["-5", "+05:00", "UTC-5", "GMT+0100", "Z", "0"] {
            assert!(is_numeric_offset(s), "{s}");
        }
        for s in ["America/New_York", "UTC", "Europe/London"] {
            assert!(!is_numeric_offset(s), "{s}");
        }
    }

    #[test]
    fn categories_are_normalised() {
        assert_eq!(category("Legal Aid"), Some("legal_aid"));
        assert_eq!(category("mental-health"), Some("mental_health"));
        assert_eq!(category("astrology"), None);
    }

    fn csv_report(csv: &str, opts: &Options) -> (Vec<serde_json::Value>, Report) {
        let mut report = Report::default();
        let inc = crate::csv_import::read(
            csv.as_bytes(),
            &crate::csv_import::Mapping::default(),
            opts,
            &mut report,
        );
        let out = check(inc, &mut report);
        (out, report)
    }

    const HEAD: &str =
        "id,name,categories,country,phones,websites,hours,timezone,last_verified,source\n";

    fn row(fields: &str) -> String {
        format!("{HEAD}{fields}\n")
    }

    fn only_error(report: &Report) -> &Issue {
        assert_eq!(report.errors.len(), 1, "{}", report.to_text());
        &report.errors[0]
    }

    #[test]
    fn a_clean_spreadsheet_imports() {
        let (out, report) = csv_report(
            &row("us-line,Safe Line,Hotline;legal aid,US,+1 888 373 7888,https://example.org,Mo-Fr 09:00-17:00; Sa 10:00-14:00,America/New_York,2026-11-01,sheet"),
            &Options::default(),
        );
        assert!(report.ok(), "{}", report.to_text());
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0]["schedule"]["weekly"].as_array().map(Vec::len),
            Some(6)
        );
        assert_eq!(
            out[0]["categories"],
            serde_json::json!(["hotline", "legal_aid"])
        );
    }

    #[test]
    fn unparseable_phone_is_reported_with_line_and_field_and_not_echoed() {
        let (_, report) = csv_report(
            &row("a,A,hotline,US,+1 555 12,,,,2026-11-01,s"),
            &Options::default(),
        );
        let e = only_error(&report);
        assert_eq!((e.at.as_str(), e.field.as_str()), ("line 2", "phones[0]"));
        assert!(e.message.contains("phone"), "{e:?}");
        assert!(!e.message.contains("555"), "value echoed: {e:?}");
    }

    #[test]
    fn javascript_and_http_links_are_refused() {
        let (_, report) = csv_report(
            &row("a,A,hotline,US,,javascript:alert(1),,,2026-11-01,s"),
            &Options::default(),
        );
        let e = only_error(&report);
        assert_eq!(e.field, "websites[0]");
        assert!(e.message.contains("script"), "{e:?}");
        let (_, report) = csv_report(
            &row("a,A,hotline,US,,http://example.org,,,2026-11-01,s"),
            &Options::default(),
        );
        assert!(only_error(&report).message.contains("http:"));
    }

    #[test]
    fn missing_name_and_unknown_category_are_reported() {
        let (_, report) = csv_report(&row("a,,hotline,US,,,,,2026-11-01,s"), &Options::default());
        let e = only_error(&report);
        assert_eq!(
            (e.field.as_str(), e.message.as_str()),
            ("name", "missing name")
        );
        let (_, report) = csv_report(
            &row("a,A,astrology,US,,,,,2026-11-01,s"),
            &Options::default(),
        );
        let e = only_error(&report);
        assert_eq!(
            (e.field.as_str(), e.message.as_str()),
            ("categories", "unknown category")
        );
    }

    #[test]
    fn duplicates_identical_are_warned_and_conflicting_are_errors() {
        let line = "a,A,hotline,US,,,,,2026-11-01,s\n";
        let (out, report) = csv_report(&format!("{HEAD}{line}{line}"), &Options::default());
        assert!(report.ok(), "{}", report.to_text());
        assert_eq!(out.len(), 1);
        assert_eq!(report.warnings.len(), 1);
        assert!(report.warnings[0].message.contains("line 2"));
        let (_, report) = csv_report(
            &format!("{HEAD}{line}a,B,hotline,US,,,,,2026-11-01,s\n"),
            &Options::default(),
        );
        let e = only_error(&report);
        assert_eq!(e.at, "line 3");
        assert!(e.message.contains("conflicting"), "{e:?}");
    }

    #[test]
    fn schedules_need_a_zone_name_not_an_offset() {
        let (_, report) = csv_report(
            &row("a,A,hotline,US,,,24/7,,2026-11-01,s"),
            &Options::default(),
        );
        assert!(only_error(&report).message.contains("without a time zone"));
        let (_, report) = csv_report(
            &row("a,A,hotline,US,,,24/7,-05:00,2026-11-01,s"),
            &Options::default(),
        );
        assert!(only_error(&report).message.contains("numeric UTC offset"));
        let opts = Options {
            timezone: Some("America/Chicago".into()),
            ..Options::default()
        };
        let (out, report) = csv_report(&row("a,A,hotline,US,,,24/7,,2026-11-01,s"), &opts);
        assert!(report.ok(), "{}", report.to_text());
        assert_eq!(out[0]["schedule"]["timezone"], "America/Chicago");
        // HSDS 3.0 writes the zone as a number.
        let mut report = Report::default();
        let hsds = serde_json::json!([{"id": "a", "name": "A", "organization": {"name": "O"},
            "assured_date": "2026-11-01",
            "attributes": [{"taxonomy_term": {"code": "hotline", "taxonomy": "waypoint"}}],
            "service_at_locations": [{"location": {"addresses": [{"country": "US"}]}}],
            "schedules": [{"freq": "WEEKLY", "byday": "MO", "opens_at": "09:00", "closes_at": "17:00", "timezone": -5}]}]);
        let inc = crate::hsds::read_json(
            hsds.to_string().as_bytes(),
            &Options::default(),
            &mut report,
        );
        check(inc, &mut report);
        let e = only_error(&report);
        assert_eq!(
            (e.at.as_str(), e.field.as_str()),
            ("services[0]", "schedules[0].timezone")
        );
    }

    #[test]
    fn unknown_fields_and_columns_are_reported_not_dropped_silently() {
        let (_, report) = csv_report(
            "name,categories,country,last_verified,Notes\nA,hotline,US,2026-11-01,call first\n",
            &Options::default(),
        );
        assert!(report.ok(), "{}", report.to_text());
        assert_eq!(report.not_imported.len(), 1);
        assert_eq!(report.not_imported[0].field, "column Notes");
        let mut report = Report::default();
        let hsds = serde_json::json!({"services": [{"id": "a", "name": "A", "organization": {"name": "O"},
            "alternate_name": "Alt", "assured_date": "2026-11-01",
            "attributes": [{"taxonomy_term": {"code": "hotline"}}],
            "service_at_locations": [{"location": {"addresses": [{"country": "US"}]}}]}],
            "programs": [{"id": "p"}]});
        let inc = crate::hsds::read_json(
            hsds.to_string().as_bytes(),
            &Options::default(),
            &mut report,
        );
        check(inc, &mut report);
        assert!(report.ok(), "{}", report.to_text());
        let fields: Vec<&str> = report
            .not_imported
            .iter()
            .map(|n| n.field.as_str())
            .collect();
        assert_eq!(fields, ["programs", "services.alternate_name"]);
    }

    #[test]
    fn malformed_files_of_each_kind_give_a_clear_error() {
        let opts = Options::default();
        // JSON cut short.
        let mut report = Report::default();
        assert!(
            crate::hsds::read_json(b"{\"services\": [{\"id\": ", &opts, &mut report).is_empty()
        );
        assert!(only_error(&report).message.contains("ends too early"));
        // JSON of the wrong shape.
        let mut report = Report::default();
        crate::hsds::read_json(b"42", &opts, &mut report);
        assert_eq!(report.errors.len(), 1);
        // CSV with a ragged row and one that is not UTF-8.
        let (_, report) = csv_report(&format!("{HEAD}a,A\n"), &opts);
        assert!(
            only_error(&report).message.contains("cells"),
            "{}",
            report.to_text()
        );
        let mut report = Report::default();
        crate::csv_import::read(b"name\n\xff\xfe\n", &Default::default(), &opts, &mut report);
        assert!(only_error(&report).message.contains("UTF-8"));
        // A data package folder without datapackage.json, and with a path escaping it.
        let dir = tempfile::tempdir().expect("tmp");
        let mut report = Report::default();
        crate::hsds::read_tabular(dir.path(), &opts, &mut report);
        assert!(only_error(&report).message.contains("datapackage.json"));
        std::fs::write(
            dir.path().join("datapackage.json"),
            br#"{"resources": [{"name": "services", "path": "../../etc/passwd"}]}"#,
        )
        .expect("write");
        let mut report = Report::default();
        crate::hsds::read_tabular(dir.path(), &opts, &mut report);
        assert!(report
            .errors
            .iter()
            .any(|e| e.message.contains("inside the package")));
    }

    #[test]
    fn an_import_with_one_error_changes_nothing() {
        let dir = tempfile::tempdir().expect("tmp");
        let db = Db::open(dir.path()).expect("db");
        let path = dir.path().join("sheet.csv");
        std::fs::write(
            &path,
            format!("{HEAD}a,A,hotline,US,,,,,2026-11-01,s\nb,B,hotline,US,,http://x.example,,,2026-11-01,s\n"),
        )
        .expect("write");
        let (values, report) = read_path(
            &path,
            Format::Auto,
            &Default::default(),
            &Options::default(),
        );
        assert!(!report.ok());
        assert_eq!(report.errors[0].at, "line 3");
        assert_eq!(values.len(), 1, "the valid row is read but not written");
        assert!(crate::publish::draft_list(&db).expect("list").is_empty());
        std::fs::write(&path, format!("{HEAD}a,A,hotline,US,,,,,2026-11-01,s\n")).expect("write");
        let (values, report) = read_path(
            &path,
            Format::Auto,
            &Default::default(),
            &Options::default(),
        );
        assert!(report.ok());
        apply(&db, &values, false, "test", 1).expect("apply");
        assert_eq!(crate::publish::draft_list(&db).expect("list").len(), 1);
    }

    #[test]
    fn synthetic_directory_round_trips_through_every_hsds_form() {
        // The draft holds JSON text: start from records as the draft stores them.
        let recs: Vec<waypoint_format::Record> = waypoint_format::synth::records(300, 11)
            .iter()
            .map(|r| {
                serde_json::from_str(&serde_json::to_string(r).expect("json")).expect("record")
            })
            .collect();
        let bytes = serde_json::to_vec(&crate::hsds::export_nested(&recs)).expect("json");
        let mut report = Report::default();
        let out = check(
            crate::hsds::read_json(&bytes, &Options::default(), &mut report),
            &mut report,
        );
        assert!(report.ok(), "{}", report.to_text());
        let back: Vec<waypoint_format::Record> = out
            .into_iter()
            .map(|v| serde_json::from_value(v).expect("record"))
            .collect();
        assert_eq!(back, recs);
        let dir = tempfile::tempdir().expect("tmp");
        crate::hsds::write_tabular(dir.path(), &recs).expect("write");
        let mut report = Report::default();
        let out = check(
            crate::hsds::read_tabular(dir.path(), &Options::default(), &mut report),
            &mut report,
        );
        assert!(report.ok(), "{}", report.to_text());
        let back: Vec<waypoint_format::Record> = out
            .into_iter()
            .map(|v| serde_json::from_value(v).expect("record"))
            .collect();
        assert_eq!(back, recs);
    }
}

//! When an appointment happens: local wall times, daylight saving, recurrence.
//!
//! An appointment's start is a *wall time in its own IANA zone* ("09:00 in
//! America/New_York"), never a UTC instant: a 09:00 weekly meeting stays at 09:00 local
//! across daylight-saving changes, and a person who travels still gets the reminder at the
//! appointment's local time (the zone of the appointment wins; the device's zone is never
//! read).
//!
//! Recurrence is expanded on wall times (the `rrule` crate run over naive local times),
//! then each wall time is turned into an instant by [`resolve_local`], whose rule for the
//! two impossible cases follows RFC 5545 §3.3.5:
//!
//! - **skipped hour** (spring forward, e.g. 02:30 on 2026-03-08 in New York does not
//!   exist): the time is read with the UTC offset in force *before* the gap, which moves it
//!   forward by the length of the gap (02:30 EST = 07:30 UTC = 03:30 EDT);
//! - **repeated hour** (fall back, e.g. 01:30 on 2026-10-25 in London happens twice): the
//!   *first* occurrence is used (01:30 BST = 00:30 UTC).

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use rrule::{Frequency, RRule, Unvalidated};

use crate::error::{Error, Result};

/// Earliest and latest year an appointment may start in (keeps arithmetic far from limits).
pub const MIN_YEAR: i32 = 1970;
/// See [`MIN_YEAR`].
pub const MAX_YEAR: i32 = 2200;
/// Most occurrences a rule may have when it has a COUNT.
pub const MAX_COUNT: u32 = 5000;
/// Upper bound on rule iterations per expansion (a guard, far above any real use).
const MAX_ITERATIONS: usize = 200_000;
/// Local time that all-day appointments' reminders count back from.
pub const ALL_DAY_ANCHOR: NaiveTime = match NaiveTime::from_hms_opt(9, 0, 0) {
    Some(t) => t,
    None => panic!("09:00 is a valid time"),
};

/// Parses an IANA zone name ("America/New_York").
pub fn parse_zone(name: &str) -> Result<Tz> {
    name.trim()
        .parse::<Tz>()
        .map_err(|_| Error::invalid("time_zone", "not an IANA time zone name"))
}

/// Parses a local start: `YYYY-MM-DDTHH:MM` (also with a space or seconds), or for all-day
/// appointments `YYYY-MM-DD`.
pub fn parse_local_start(s: &str, all_day: bool) -> Result<NaiveDateTime> {
    let s = s.trim();
    let parsed = if all_day {
        NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .ok()
            .map(|d| d.and_time(NaiveTime::MIN))
    } else {
        ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]
            .iter()
            .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    };
    let t = parsed.ok_or_else(|| {
        Error::invalid(
            "start",
            if all_day {
                "expected YYYY-MM-DD for an all-day appointment"
            } else {
                "expected YYYY-MM-DDTHH:MM (local time in the appointment's zone)"
            },
        )
    })?;
    check_year(t.date(), "start")?;
    Ok(t)
}

/// Parses an exception date (`YYYY-MM-DD`): the local date of one occurrence to skip.
pub fn parse_exception(s: &str) -> Result<NaiveDate> {
    let d = NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid("exceptions", "expected YYYY-MM-DD dates"))?;
    check_year(d, "exceptions")?;
    Ok(d)
}

fn check_year(d: NaiveDate, field: &str) -> Result<()> {
    use chrono::Datelike;
    if d.year() < MIN_YEAR || d.year() > MAX_YEAR {
        return Err(Error::invalid(field, "year out of range (1970-2200)"));
    }
    Ok(())
}

/// Formats a local wall time the way [`parse_local_start`] reads it.
pub fn format_local(t: NaiveDateTime, all_day: bool) -> String {
    if all_day {
        t.format("%Y-%m-%d").to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M").to_string()
    }
}

/// The instant a wall time in `tz` denotes. Skipped (gap) times are read with the offset in
/// force before the gap (moving them forward by the gap); repeated (fold) times take the
/// first occurrence. See the module documentation.
pub fn resolve_local(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    use chrono::offset::LocalResult;
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, second) => {
            first.with_timezone(&Utc).min(second.with_timezone(&Utc))
        }
        LocalResult::None => {
            // In a gap: find the offset in force just before it. Gaps last at most a few
            // hours; a day earlier is safely before this one and after the previous one.
            let before = local - Duration::hours(12);
            let offset = match tz.from_local_datetime(&before) {
                LocalResult::Single(t) => t.offset().fix(),
                LocalResult::Ambiguous(a, _) => a.offset().fix(),
                LocalResult::None => tz.offset_from_utc_datetime(&before).fix(),
            };
            Utc.from_utc_datetime(&(local - Duration::seconds(i64::from(offset.local_minus_utc()))))
        }
    }
}

use chrono::Offset;

/// The wall time in `tz` at instant `t`.
pub fn to_local(tz: Tz, t: DateTime<Utc>) -> NaiveDateTime {
    t.with_timezone(&tz).naive_local()
}

/// A validated recurrence rule, in the subset Waypoint supports: `FREQ` DAILY, WEEKLY or
/// MONTHLY; `INTERVAL`; `BYDAY` (weekdays; for MONTHLY also with an ordinal such as `2TU`
/// or `-1FR`); `BYMONTHDAY` (MONTHLY); `COUNT`; `UNTIL` (a local date or date-time in the
/// appointment's zone, inclusive). Anything else is refused rather than half-honoured.
#[derive(Clone)]
pub struct Recurrence {
    rule: RRule<Unvalidated>,
    /// The rule as stored (normalised).
    pub text: String,
}

impl Recurrence {
    /// Validates `text` for an appointment starting at `start` (local wall time).
    pub fn parse(text: &str, start: NaiveDateTime) -> Result<Self> {
        let bad = |reason: &str| Error::invalid("rrule", reason);
        let text = text.trim().trim_start_matches("RRULE:");
        if text.is_empty() || text.len() > 300 {
            return Err(bad("empty or too long"));
        }
        let mut freq = None;
        let mut parts: Vec<String> = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for part in text.split(';').filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| bad("expected KEY=VALUE parts separated by ';'"))?;
            let k = k.trim().to_ascii_uppercase();
            let v = v.trim().to_ascii_uppercase();
            if !seen.insert(k.clone()) {
                return Err(bad("a part is repeated"));
            }
            match k.as_str() {
                "FREQ" => {
                    if !matches!(v.as_str(), "DAILY" | "WEEKLY" | "MONTHLY") {
                        return Err(bad("FREQ must be DAILY, WEEKLY or MONTHLY"));
                    }
                    freq = Some(v.clone());
                    parts.push(format!("FREQ={v}"));
                }
                "INTERVAL" => {
                    let n: u16 = v.parse().map_err(|_| bad("INTERVAL must be 1-365"))?;
                    if !(1..=365).contains(&n) {
                        return Err(bad("INTERVAL must be 1-365"));
                    }
                    parts.push(format!("INTERVAL={n}"));
                }
                "COUNT" => {
                    let n: u32 = v.parse().map_err(|_| bad("COUNT must be a number"))?;
                    if n == 0 || n > MAX_COUNT {
                        return Err(bad("COUNT must be 1-5000"));
                    }
                    parts.push(format!("COUNT={n}"));
                }
                "UNTIL" => {
                    let until = parse_until(&v).ok_or_else(|| {
                        bad("UNTIL must be YYYYMMDD or YYYYMMDDTHHMMSS (local time)")
                    })?;
                    // Expansion runs on naive wall times labelled UTC, so UNTIL is too.
                    parts.push(format!("UNTIL={}Z", until.format("%Y%m%dT%H%M%S")));
                }
                "BYDAY" => {
                    for d in v.split(',') {
                        let day = d
                            .trim_start_matches(['+', '-'])
                            .trim_start_matches(|c: char| c.is_ascii_digit());
                        if !matches!(day, "MO" | "TU" | "WE" | "TH" | "FR" | "SA" | "SU") {
                            return Err(bad("BYDAY takes MO,TU,WE,TH,FR,SA,SU"));
                        }
                    }
                    parts.push(format!("BYDAY={v}"));
                }
                "BYMONTHDAY" => {
                    for d in v.split(',') {
                        let n: i8 = d
                            .parse()
                            .map_err(|_| bad("BYMONTHDAY takes 1-31 or -31..-1"))?;
                        if n == 0 || !(-31..=31).contains(&n) {
                            return Err(bad("BYMONTHDAY takes 1-31 or -31..-1"));
                        }
                    }
                    parts.push(format!("BYMONTHDAY={v}"));
                }
                _ => {
                    return Err(bad(
                        "only FREQ, INTERVAL, BYDAY, BYMONTHDAY, COUNT and UNTIL are supported",
                    ))
                }
            }
        }
        let freq = freq.ok_or_else(|| bad("FREQ is required"))?;
        if seen.contains("COUNT") && seen.contains("UNTIL") {
            return Err(bad("use COUNT or UNTIL, not both"));
        }
        if seen.contains("BYMONTHDAY") && freq != "MONTHLY" {
            return Err(bad("BYMONTHDAY only goes with FREQ=MONTHLY"));
        }
        if freq == "DAILY" && seen.contains("BYDAY") {
            return Err(bad("BYDAY goes with FREQ=WEEKLY or MONTHLY"));
        }
        if freq == "WEEKLY"
            && parts
                .iter()
                .any(|p| p.starts_with("BYDAY=") && p.chars().any(|c| c.is_ascii_digit()))
        {
            return Err(bad("weekly BYDAY takes plain weekdays"));
        }
        let text = parts.join(";");
        let rule: RRule<Unvalidated> = text.parse().map_err(|_| bad("not a valid rule"))?;
        if !matches!(
            rule.get_freq(),
            Frequency::Daily | Frequency::Weekly | Frequency::Monthly
        ) {
            return Err(bad("FREQ must be DAILY, WEEKLY or MONTHLY"));
        }
        let r = Self { rule, text };
        // Building validates the rule against the start (e.g. UNTIL before DTSTART is fine
        // in RFC 5545 but yields nothing; the crate checks the rest).
        r.build(start)?;
        Ok(r)
    }

    fn build(&self, start: NaiveDateTime) -> Result<rrule::RRuleSet> {
        let dtstart = rrule::Tz::UTC.from_utc_datetime(&start);
        self.rule
            .clone()
            .build(dtstart)
            .map_err(|_| Error::invalid("rrule", "not valid for this start"))
    }

    /// Wall times (naive, in the appointment's zone) of the occurrences that start within
    /// `[from, to]`, skipping `exceptions` (local dates), in order.
    pub fn starts_between(
        &self,
        start: NaiveDateTime,
        exceptions: &[NaiveDate],
        from: NaiveDateTime,
        to: NaiveDateTime,
    ) -> Result<Vec<NaiveDateTime>> {
        let set = self.build(start)?;
        let mut out = Vec::new();
        for (i, dt) in (&set).into_iter().enumerate() {
            if i >= MAX_ITERATIONS {
                break;
            }
            let t = dt.naive_utc();
            if t > to {
                break;
            }
            if t >= from && !exceptions.contains(&t.date()) {
                out.push(t);
            }
        }
        Ok(out)
    }
}

fn parse_until(v: &str) -> Option<NaiveDateTime> {
    let v = v.trim_end_matches('Z');
    if let Ok(d) = NaiveDate::parse_from_str(v, "%Y%m%d") {
        return d.and_hms_opt(23, 59, 59);
    }
    NaiveDateTime::parse_from_str(v, "%Y%m%dT%H%M%S").ok()
}

/// Wall times of the occurrences of an appointment starting at `start` (with an optional
/// rule and exceptions) that start within `[from, to]`.
pub fn local_starts(
    start: NaiveDateTime,
    rule: Option<&Recurrence>,
    exceptions: &[NaiveDate],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Result<Vec<NaiveDateTime>> {
    match rule {
        Some(r) => r.starts_between(start, exceptions, from, to),
        None => Ok(
            if start >= from && start <= to && !exceptions.contains(&start.date()) {
                vec![start]
            } else {
                Vec::new()
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(s: &str) -> NaiveDateTime {
        parse_local_start(s, false).expect("local")
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("rfc3339")
            .with_timezone(&Utc)
    }

    #[test]
    fn new_york_skipped_hour_moves_forward_by_the_gap() {
        let ny = parse_zone("America/New_York").expect("zone");
        // 2026-03-08 02:00 EST -> 03:00 EDT. 02:30 does not exist.
        assert_eq!(
            resolve_local(ny, local("2026-03-08T02:30")),
            utc("2026-03-08T07:30:00Z")
        );
        assert_eq!(
            to_local(ny, resolve_local(ny, local("2026-03-08T02:30"))),
            local("2026-03-08T03:30")
        );
        // Either side of the gap is ordinary.
        assert_eq!(
            resolve_local(ny, local("2026-03-08T01:59")),
            utc("2026-03-08T06:59:00Z")
        );
        assert_eq!(
            resolve_local(ny, local("2026-03-08T03:00")),
            utc("2026-03-08T07:00:00Z")
        );
    }

    #[test]
    fn new_york_repeated_hour_takes_the_first() {
        let ny = parse_zone("America/New_York").expect("zone");
        // 2026-11-01 02:00 EDT -> 01:00 EST. 01:30 happens twice; the first is EDT.
        assert_eq!(
            resolve_local(ny, local("2026-11-01T01:30")),
            utc("2026-11-01T05:30:00Z")
        );
    }

    #[test]
    fn london_skipped_and_repeated_hours() {
        let london = parse_zone("Europe/London").expect("zone");
        // 2026-03-29 01:00 GMT -> 02:00 BST: 01:30 is read as GMT = 01:30 UTC (02:30 BST).
        assert_eq!(
            resolve_local(london, local("2026-03-29T01:30")),
            utc("2026-03-29T01:30:00Z")
        );
        // 2026-10-25 02:00 BST -> 01:00 GMT: 01:30 twice; first is BST = 00:30 UTC.
        assert_eq!(
            resolve_local(london, local("2026-10-25T01:30")),
            utc("2026-10-25T00:30:00Z")
        );
    }

    #[test]
    fn weekly_rule_keeps_wall_time_across_both_transitions() {
        let ny = parse_zone("America/New_York").expect("zone");
        let start = local("2026-03-03T09:00"); // a Tuesday, EST
        let rule = Recurrence::parse("FREQ=WEEKLY;BYDAY=TU", start).expect("rule");
        let starts = rule
            .starts_between(start, &[], start, local("2026-03-17T23:00"))
            .expect("expand");
        let instants: Vec<_> = starts.iter().map(|t| resolve_local(ny, *t)).collect();
        assert_eq!(
            instants,
            [
                utc("2026-03-03T14:00:00Z"), // EST
                utc("2026-03-10T13:00:00Z"), // EDT: still 09:00 local
                utc("2026-03-17T13:00:00Z"),
            ]
        );
    }

    #[test]
    fn exceptions_skip_single_occurrences_and_count_still_counts_them() {
        let start = local("2026-01-05T10:00");
        let rule = Recurrence::parse("FREQ=DAILY;COUNT=5", start).expect("rule");
        let skip = [parse_exception("2026-01-07").expect("date")];
        let starts = rule
            .starts_between(start, &skip, start, local("2026-12-31T00:00"))
            .expect("expand");
        let days: Vec<String> = starts.iter().map(|t| format_local(*t, true)).collect();
        assert_eq!(
            days,
            ["2026-01-05", "2026-01-06", "2026-01-08", "2026-01-09"]
        );
    }

    #[test]
    fn monthly_by_ordinal_weekday_and_until_inclusive_local() {
        let start = local("2026-01-13T15:00"); // 2nd Tuesday
        let rule = Recurrence::parse("FREQ=MONTHLY;BYDAY=2TU;UNTIL=20260414", start).expect("rule");
        let starts = rule
            .starts_between(start, &[], start, local("2027-01-01T00:00"))
            .expect("expand");
        let days: Vec<String> = starts.iter().map(|t| format_local(*t, true)).collect();
        assert_eq!(
            days,
            ["2026-01-13", "2026-02-10", "2026-03-10", "2026-04-14"]
        );
    }

    #[test]
    fn unsupported_rules_are_refused_with_a_reason() {
        let start = local("2026-01-13T15:00");
        for bad in [
            "",
            "FREQ=YEARLY",
            "FREQ=HOURLY",
            "FREQ=DAILY;BYHOUR=3",
            "FREQ=DAILY;COUNT=0",
            "FREQ=DAILY;COUNT=3;UNTIL=20260301",
            "FREQ=WEEKLY;BYDAY=XX",
            "FREQ=WEEKLY;BYDAY=2TU",
            "FREQ=DAILY;BYMONTHDAY=3",
            "FREQ=DAILY;FREQ=WEEKLY",
            "BYDAY=TU",
            "garbage",
        ] {
            let err = Recurrence::parse(bad, start).err();
            assert!(
                matches!(err, Some(Error::InvalidInput { ref field, .. }) if field == "rrule"),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn bad_zone_and_start_are_refused() {
        assert!(parse_zone("Mars/Olympus").is_err());
        assert!(parse_local_start("2026-13-01T10:00", false).is_err());
        assert!(parse_local_start("2026-12-01T10:00", true).is_err());
        assert!(parse_local_start("1900-12-01T10:00", false).is_err());
        assert!(parse_local_start("2026-12-01", true).is_ok());
    }
}

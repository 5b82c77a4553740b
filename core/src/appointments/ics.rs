//! Export to iCalendar (RFC 5545), encrypted with age, for a calendar a person trusts.
//!
//! The `.ics` text exists only in memory; what reaches the disk is the age file (written
//! under a temporary name beside the target and renamed when complete). Events carry
//! `DTSTART;TZID=<IANA zone>` (calendar apps resolve IANA names; no VTIMEZONE is
//! emitted), the rule, `EXDATE`s for exceptions and one `VALARM` per reminder offset.

use std::io::Write;
use std::path::Path;

use zeroize::Zeroizing;

use super::occurrences::{parse_local_start, ALL_DAY_ANCHOR};
use super::Appointment;
use crate::error::{Error, Result};
use crate::journal::export::ExportTo;

/// Escapes a TEXT value (RFC 5545 §3.3.11).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (never inside a UTF-8 sequence) and ends it with CRLF.
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
}

fn utc_stamp(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// Renders appointments as one VCALENDAR. `now_ms` is the DTSTAMP.
pub fn render(appointments: &[Appointment], now_ms: i64) -> Result<Zeroizing<String>> {
    let mut out = Zeroizing::new(String::new());
    let mut line = |s: &str| fold(s, &mut out);
    line("BEGIN:VCALENDAR");
    line("VERSION:2.0");
    line("PRODID:-//Waypoint//Appointments//EN");
    line("CALSCALE:GREGORIAN");
    for a in appointments {
        let d = &a.draft;
        let start = parse_local_start(&d.start_local, d.all_day)?;
        line("BEGIN:VEVENT");
        line(&format!("UID:{}@waypoint.invalid", a.id));
        line(&format!("DTSTAMP:{}", utc_stamp(now_ms)));
        if d.all_day {
            line(&format!("DTSTART;VALUE=DATE:{}", start.format("%Y%m%d")));
            let end = start.date() + chrono::Duration::days(1);
            line(&format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")));
        } else {
            line(&format!(
                "DTSTART;TZID={}:{}",
                d.time_zone,
                start.format("%Y%m%dT%H%M%S")
            ));
            line(&format!("DURATION:PT{}M", d.duration_minutes.unwrap_or(60)));
        }
        line(&format!("SUMMARY:{}", escape(&d.title)));
        line(&format!("CATEGORIES:{}", escape(d.kind.as_str())));
        if let Some(p) = &d.place {
            line(&format!("LOCATION:{}", escape(p)));
        }
        if let Some(n) = &d.notes {
            line(&format!("DESCRIPTION:{}", escape(n)));
        }
        if let Some(r) = &d.rrule {
            // UNTIL is stored as a local wall time; iCalendar wants UTC when DTSTART has a
            // TZID, so it is written in the appointment's zone converted to UTC.
            line(&format!(
                "RRULE:{}",
                rrule_for_ics(r, &d.time_zone, d.all_day)
            ));
        }
        for ex in &d.exceptions {
            let date = chrono::NaiveDate::parse_from_str(ex, "%Y-%m-%d")
                .map_err(|_| Error::Corrupt("appointment exception"))?;
            if d.all_day {
                line(&format!("EXDATE;VALUE=DATE:{}", date.format("%Y%m%d")));
            } else {
                line(&format!(
                    "EXDATE;TZID={}:{}",
                    d.time_zone,
                    date.and_time(start.time()).format("%Y%m%dT%H%M%S")
                ));
            }
        }
        for offset in &d.reminder_offsets_minutes {
            line("BEGIN:VALARM");
            line("ACTION:DISPLAY");
            line("DESCRIPTION:Reminder");
            if d.all_day {
                // Relative to midnight; the anchor is 09:00 local.
                let anchor = i64::from(ALL_DAY_ANCHOR.hour_minutes());
                line(&format!(
                    "TRIGGER:{}",
                    duration(anchor - i64::from(*offset))
                ));
            } else {
                line(&format!("TRIGGER:{}", duration(-i64::from(*offset))));
            }
            line("END:VALARM");
        }
        line("END:VEVENT");
    }
    line("END:VCALENDAR");
    Ok(out)
}

trait HourMinutes {
    fn hour_minutes(&self) -> u32;
}

impl HourMinutes for chrono::NaiveTime {
    fn hour_minutes(&self) -> u32 {
        use chrono::Timelike;
        self.hour() * 60 + self.minute()
    }
}

fn duration(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    format!("{sign}PT{}M", minutes.abs())
}

fn rrule_for_ics(rule: &str, zone: &str, all_day: bool) -> String {
    rule.split(';')
        .map(|part| match part.strip_prefix("UNTIL=") {
            Some(v) => {
                let local =
                    chrono::NaiveDateTime::parse_from_str(v.trim_end_matches('Z'), "%Y%m%dT%H%M%S");
                match (local, zone.parse::<chrono_tz::Tz>()) {
                    (Ok(l), _) if all_day => format!("UNTIL={}", l.format("%Y%m%d")),
                    (Ok(l), Ok(tz)) => format!(
                        "UNTIL={}",
                        super::occurrences::resolve_local(tz, l).format("%Y%m%dT%H%M%SZ")
                    ),
                    _ => part.to_owned(),
                }
            }
            None => part.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// Writes `appointments` as an age-encrypted `.ics` file at `out`. Returns how many.
pub fn export(appointments: &[Appointment], to: ExportTo, out: &Path, now_ms: i64) -> Result<u32> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(Error::invalid("out", "its directory does not exist"));
    }
    let text = render(appointments, now_ms)?;
    let tmp = parent.join(format!(".{}.part", super::new_id()));
    let result = (|| -> Result<()> {
        let encryptor = match to {
            ExportTo::Passphrase(pass, log_n) => {
                let mut r = age::scrypt::Recipient::new(pass);
                r.set_work_factor(log_n);
                age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient))
            }
            ExportTo::Recipient(r) => {
                age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient))
            }
        }
        .map_err(|_| Error::Crypto("export encryption"))?;
        let file = crate::store::create_private_file(&tmp)?;
        let mut w = encryptor.wrap_output(std::io::BufWriter::new(file))?;
        w.write_all(text.as_bytes())?;
        let buf = w.finish()?;
        let file = buf.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, out)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result?;
    u32::try_from(appointments.len()).map_err(|_| Error::invalid("appointments", "too many"))
}

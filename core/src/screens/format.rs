//! Dates, times, offsets and phone numbers as the screens show them. Basic English for
//! now (the message files come with the languages work); the zone is always the user's.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;

use crate::appointments::AppointmentDraft;

/// `ms` (Unix) in `zone`: "Tue 20 Jan 2026, 09:00".
pub fn format_local(ms: i64, zone: Tz) -> String {
    match DateTime::from_timestamp_millis(ms) {
        Some(t) => t
            .with_timezone(&zone)
            .format("%a %-d %b %Y, %H:%M")
            .to_string(),
        None => String::new(),
    }
}

/// `ms` as the entry form takes it back: "2026-01-20 09:00".
pub(crate) fn input_local(ms: i64, zone: Tz) -> String {
    match DateTime::from_timestamp_millis(ms) {
        Some(t) => t.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string(),
        None => String::new(),
    }
}

/// "YYYY-MM-DD HH:MM" in `zone` to Unix ms (the earlier of an ambiguous time).
pub(crate) fn parse_local(text: &str, zone: Tz) -> Option<i64> {
    let local = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").ok()?;
    zone.from_local_datetime(&local)
        .earliest()
        .map(|t| t.timestamp_millis())
}

/// When an appointment is, in the user's zone (its own zone wins for the instant).
pub(crate) fn appointment_when(d: &AppointmentDraft, user: Tz) -> String {
    if d.all_day {
        return NaiveDate::parse_from_str(&d.start_local, "%Y-%m-%d")
            .map(|date| format!("{}, all day", date.format("%a %-d %b %Y")))
            .unwrap_or_default();
    }
    let own: Tz = d.time_zone.parse().unwrap_or(user);
    let Some((date, time)) = d.start_local.split_once('T') else {
        return String::new();
    };
    let (Ok(date), Ok(time)) = (
        NaiveDate::parse_from_str(date, "%Y-%m-%d"),
        NaiveTime::parse_from_str(time, "%H:%M"),
    ) else {
        return String::new();
    };
    match own
        .from_local_datetime(&NaiveDateTime::new(date, time))
        .earliest()
    {
        Some(t) => format_local(t.timestamp_millis(), user),
        None => String::new(),
    }
}

/// A reminder offset in words: "at the start", "1 hour before", "2 days before".
pub(crate) fn offset_label(minutes: u32) -> String {
    let plural = |n: u32, unit: &str| {
        if n == 1 {
            format!("1 {unit} before")
        } else {
            format!("{n} {unit}s before")
        }
    };
    match minutes {
        0 => "at the start".to_owned(),
        m if m % 1440 == 0 => plural(m / 1440, "day"),
        m if m % 60 == 0 => plural(m / 60, "hour"),
        m => plural(m, "minute"),
    }
}

/// A phone number as shown: North American numbers as "+1 555-010-0199"; other
/// international numbers in groups after the country code is left as given; short codes
/// and local numbers unchanged.
pub fn format_phone(number: &str) -> String {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let international = number.trim_start().starts_with('+');
    if international && digits.len() == 11 && digits.starts_with('1') {
        return format!("+1 {}-{}-{}", &digits[1..4], &digits[4..7], &digits[7..]);
    }
    if !international && digits.len() == 10 && number.chars().all(|c| c.is_ascii_digit()) {
        return format!("{}-{}-{}", &digits[..3], &digits[3..6], &digits[6..]);
    }
    number.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_in_the_users_zone_across_daylight_saving() {
        let ny: Tz = "America/New_York".parse().expect("tz");
        // 2026-01-20 14:00 UTC = 09:00 EST; 2026-07-20 13:00 UTC = 09:00 EDT.
        assert_eq!(
            format_local(1_768_917_600_000, ny),
            "Tue 20 Jan 2026, 09:00"
        );
        assert_eq!(
            format_local(1_784_552_400_000, ny),
            "Mon 20 Jul 2026, 09:00"
        );
        let ms = parse_local("2026-07-20 09:00", ny).expect("parse");
        assert_eq!(ms, 1_784_552_400_000);
        assert_eq!(input_local(ms, ny), "2026-07-20 09:00");
        assert_eq!(parse_local("20/07/2026", ny), None);
    }

    #[test]
    fn offsets_and_phones_read_as_people_say_them() {
        assert_eq!(offset_label(0), "at the start");
        assert_eq!(offset_label(60), "1 hour before");
        assert_eq!(offset_label(2880), "2 days before");
        assert_eq!(offset_label(90), "90 minutes before");
        assert_eq!(format_phone("+18883737888"), "+1 888-373-7888");
        assert_eq!(format_phone("8883737888"), "888-373-7888");
        assert_eq!(format_phone("233733"), "233733");
        assert_eq!(format_phone("+44 808 802 9999"), "+44 808 802 9999");
    }
}

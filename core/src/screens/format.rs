//! Dates, times, offsets and phone numbers as the screens show them, in the user's zone
//! and language.
//!
//! Day and month names and the order of a date's parts come from message-file patterns
//! (`core/locales/*/dates.ftl`), not from chrono's `unstable-locales` feature: the
//! patterns sit beside the other words a translator reviews, cover exactly the languages
//! the app ships, and add no locale database to the phone library. Times are 24-hour in
//! every language; the typed forms (2025-03-01, 14:30) stay ISO, which the hints say.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike};
use chrono_tz::Tz;

use crate::appointments::AppointmentDraft;
use crate::i18n::Messages;

/// A day in words: "Tue 20 Jan 2026" (English), "mar, 20 ene 2026" (Spanish).
fn day_text(m: &Messages, date: NaiveDate) -> String {
    let weekday = m.tr_args(
        "date-weekday",
        &[("weekday", date.weekday().number_from_monday().into())],
    );
    let month = m.tr_args("date-month", &[("month", date.month().into())]);
    m.tr_args(
        "date-day",
        &[
            ("weekday", weekday.into()),
            ("day", date.day().to_string().into()),
            ("month", month.into()),
            ("year", date.year().to_string().into()),
        ],
    )
}

/// `ms` (Unix) in `zone`, in the language of `m`: "Tue 20 Jan 2026, 09:00".
pub fn format_local(m: &Messages, ms: i64, zone: Tz) -> String {
    match DateTime::from_timestamp_millis(ms) {
        Some(t) => {
            let t = t.with_timezone(&zone);
            m.tr_args(
                "date-day-time",
                &[
                    ("date", day_text(m, t.date_naive()).into()),
                    ("time", format!("{:02}:{:02}", t.hour(), t.minute()).into()),
                ],
            )
        }
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
pub(crate) fn appointment_when(m: &Messages, d: &AppointmentDraft, user: Tz) -> String {
    if d.all_day {
        return NaiveDate::parse_from_str(&d.start_local, "%Y-%m-%d")
            .map(|date| m.tr_args("date-all-day", &[("date", day_text(m, date).into())]))
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
        Some(t) => format_local(m, t.timestamp_millis(), user),
        None => String::new(),
    }
}

/// A reminder offset in words: "at the start", "1 hour before", "2 days before".
pub(crate) fn offset_label(m: &Messages, minutes: u32) -> String {
    match minutes {
        0 => m.tr("reminder-at-start"),
        n if n % 1440 == 0 => m.tr_args("reminder-days-before", &[("count", (n / 1440).into())]),
        n if n % 60 == 0 => m.tr_args("reminder-hours-before", &[("count", (n / 60).into())]),
        n => m.tr_args("reminder-minutes-before", &[("count", n.into())]),
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
        let en = Messages::default();
        // 2026-01-20 14:00 UTC = 09:00 EST; 2026-07-20 13:00 UTC = 09:00 EDT.
        assert_eq!(
            format_local(&en, 1_768_917_600_000, ny),
            "Tue 20 Jan 2026, 09:00"
        );
        assert_eq!(
            format_local(&en, 1_784_552_400_000, ny),
            "Mon 20 Jul 2026, 09:00"
        );
        let ms = parse_local("2026-07-20 09:00", ny).expect("parse");
        assert_eq!(ms, 1_784_552_400_000);
        assert_eq!(input_local(ms, ny), "2026-07-20 09:00");
        assert_eq!(parse_local("20/07/2026", ny), None);
    }

    #[test]
    fn dates_read_in_each_language_order() {
        let ny: Tz = "America/New_York".parse().expect("tz");
        let at = 1_768_917_600_000; // Tue 20 Jan 2026, 09:00 in New York
        let text = |tag: &str| format_local(&Messages::for_tag(tag), at, ny);
        assert_eq!(text("es-MX"), "mar, 20 ene 2026, 09:00");
        assert_eq!(text("vi"), "09:00 T3, 20 thg 1, 2026");
        assert_eq!(text("zh-CN"), "2026年1月20日 周二 09:00");
        // Arabic: each placeable isolated, so the digits keep their order in the
        // right-to-left sentence.
        assert_eq!(
            text("ar"),
            "\u{2068}\u{2068}الثلاثاء\u{2069} \u{2068}20\u{2069} \u{2068}يناير\u{2069} \u{2068}2026\u{2069}\u{2069}، \u{2068}09:00\u{2069}"
        );
    }

    #[test]
    fn offsets_and_phones_read_as_people_say_them() {
        let en = Messages::default();
        assert_eq!(offset_label(&en, 0), "at the start");
        assert_eq!(offset_label(&en, 60), "1 hour before");
        assert_eq!(offset_label(&en, 2880), "2 days before");
        assert_eq!(offset_label(&en, 90), "90 minutes before");
        let es = Messages::for_tag("es");
        assert_eq!(offset_label(&es, 0), "al empezar");
        assert_eq!(offset_label(&es, 1440), "1 día antes");
        assert_eq!(format_phone("+18883737888"), "+1 888-373-7888");
        assert_eq!(format_phone("8883737888"), "888-373-7888");
        assert_eq!(format_phone("233733"), "233733");
        assert_eq!(format_phone("+44 808 802 9999"), "+44 808 802 9999");
    }
}

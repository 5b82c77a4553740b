//! "Open now", evaluated in the schedule's own IANA time zone with chrono-tz, so it stays
//! right across daylight-saving changes and for a user in another zone than the service.

use chrono::{Datelike, TimeZone, Timelike};
use chrono_tz::Tz;
use waypoint_format::record::{parse_hhmm, Schedule};

/// Whether `schedule` is open at `now_unix_s`. `None` if the time zone is unknown to this
/// build (the caller then treats the service as "hours unknown", never as open).
pub fn is_open(schedule: &Schedule, now_unix_s: i64) -> Option<bool> {
    if schedule.always_open {
        return Some(true);
    }
    let tz: Tz = schedule.timezone.parse().ok()?;
    let local = tz.timestamp_opt(now_unix_s, 0).single()?;
    let today = local.weekday().number_from_monday() as u8;
    let yesterday = if today == 1 { 7 } else { today - 1 };
    let minute = local.hour() * 60 + local.minute();
    Some(schedule.weekly.iter().any(|o| {
        let (Some(opens), Some(closes)) = (parse_hhmm(&o.opens), parse_hhmm(&o.closes)) else {
            return false;
        };
        if closes > opens {
            o.weekday == today && (opens..closes).contains(&minute)
        } else {
            // Overnight: from `opens` on its day until `closes` the next day.
            (o.weekday == today && minute >= opens) || (o.weekday == yesterday && minute < closes)
        }
    }))
}

/// True if the time zone names a zone this build knows.
pub fn known_timezone(name: &str) -> bool {
    name.parse::<Tz>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use waypoint_format::record::Opening;

    fn weekdays_9_to_5(tz: &str) -> Schedule {
        Schedule {
            timezone: tz.into(),
            always_open: false,
            weekly: (1..=5)
                .map(|d| Opening {
                    weekday: d,
                    opens: "09:00".into(),
                    closes: "17:00".into(),
                })
                .collect(),
        }
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|x| x.and_hms_opt(h, min, 0))
            .expect("date")
            .and_utc()
            .timestamp()
    }

    #[test]
    fn open_now_follows_daylight_saving_time() {
        let s = weekdays_9_to_5("America/New_York");
        // 13:30 UTC is 08:30 EST in winter (closed) but 09:30 EDT in summer (open).
        assert_eq!(is_open(&s, utc(2026, 1, 14, 13, 30)), Some(false));
        assert_eq!(is_open(&s, utc(2026, 7, 15, 13, 30)), Some(true));
        // The Monday after the spring change (8 March 2026): 13:05 UTC = 09:05 EDT.
        assert_eq!(is_open(&s, utc(2026, 3, 9, 13, 5)), Some(true));
        // The Friday before: 13:05 UTC = 08:05 EST.
        assert_eq!(is_open(&s, utc(2026, 3, 6, 13, 5)), Some(false));
        // 21:30 UTC: 16:30 EST open in winter, 17:30 EDT closed in summer.
        assert_eq!(is_open(&s, utc(2026, 1, 14, 21, 30)), Some(true));
        assert_eq!(is_open(&s, utc(2026, 7, 15, 21, 30)), Some(false));
    }

    #[test]
    fn open_now_in_london_across_the_autumn_change() {
        let s = weekdays_9_to_5("Europe/London");
        // Monday 26 Oct 2026 (GMT): 08:30 UTC = 08:30 local, closed; a week earlier (BST) open.
        assert_eq!(is_open(&s, utc(2026, 10, 26, 8, 30)), Some(false));
        assert_eq!(is_open(&s, utc(2026, 10, 19, 8, 30)), Some(true));
    }

    #[test]
    fn overnight_and_weekend_hours() {
        let s = Schedule {
            timezone: "Europe/Berlin".into(),
            always_open: false,
            weekly: vec![Opening {
                weekday: 5,
                opens: "20:00".into(),
                closes: "06:00".into(),
            }],
        };
        // Friday 23:00 local and Saturday 05:00 local are open; Saturday 07:00 is not.
        assert_eq!(is_open(&s, utc(2026, 1, 16, 22, 0)), Some(true));
        assert_eq!(is_open(&s, utc(2026, 1, 17, 4, 0)), Some(true));
        assert_eq!(is_open(&s, utc(2026, 1, 17, 6, 0)), Some(false));
        assert_eq!(is_open(&weekdays_9_to_5("Nowhere/Atlantis"), 0), None);
    }
}

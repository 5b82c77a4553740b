//! Small decisions a phone shell would otherwise make on its own, kept here so they are
//! tested with the rest of the core: which reminders fit in the platform's notification
//! budget, which launcher icon to switch to, which URIs a shell may hand to the system, and
//! which screens are private or decoys.
//!
//! Each is a pure function of its inputs (no store, no clock), exported as is. The iOS shell
//! (`ios/App`) calls all three; the Android shell may use them the same way.

use std::collections::BTreeSet;

use waypoint_disguise::decoys;

use crate::appointments::reminders::ReminderPlan;
use crate::disguise::Settings;
use crate::platform::PlannedReminder;
use crate::screens::View;

/// iOS keeps at most this many pending local notifications per app and silently drops the
/// rest, so a shell on iOS schedules only the nearest ones and plans again later.
pub const IOS_MAX_PENDING_NOTIFICATIONS: u32 = 64;

/// The part of a [`ReminderPlan`] a platform with a pending-notification budget applies now.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NotificationWindow {
    /// Schedule these (the nearest of the plan, by fire time, then id). Scheduling an id that
    /// is already pending replaces it.
    pub schedule: Vec<PlannedReminder>,
    /// Remove these pending ids: the plan's cancellations, and every pending id outside the
    /// window (it would take a slot a nearer reminder needs). Sorted, no repeats.
    pub cancel: Vec<String>,
    /// Show this one now, once: the latest missed reminder stands for all of them, so a phone
    /// that was off for a week shows one neutral notification, not a pile.
    pub show_now: Option<PlannedReminder>,
    /// Plan again before this time (Unix ms): the plan's horizon, or, when the window was cut
    /// short, the fire time of its last reminder.
    pub replan_before_ms: i64,
    /// How many planned reminders did not fit and wait for a later plan.
    pub deferred: u32,
}

/// The nearest `limit` reminders of `plan` and what to remove from `pending_ids` (the ids
/// the platform holds now). `limit` 0 is treated as 1: a window always has room for the
/// next reminder.
pub fn notification_window(
    plan: &ReminderPlan,
    pending_ids: &[String],
    limit: u32,
) -> NotificationWindow {
    let limit = usize::try_from(limit.max(1)).unwrap_or(usize::MAX);
    let mut upcoming = plan.schedule.clone();
    upcoming.sort_by(|a, b| {
        (a.fire_at_ms, &a.notification_id).cmp(&(b.fire_at_ms, &b.notification_id))
    });
    upcoming.dedup_by(|a, b| a.notification_id == b.notification_id);
    let deferred = upcoming.len().saturating_sub(limit);
    let mut replan_before_ms = plan.horizon_end_ms;
    if deferred > 0 {
        upcoming.truncate(limit);
        if let Some(last) = upcoming.last() {
            replan_before_ms = replan_before_ms.min(last.fire_at_ms);
        }
    }
    let kept: BTreeSet<&str> = upcoming
        .iter()
        .map(|r| r.notification_id.as_str())
        .collect();
    let cancel: BTreeSet<String> = plan
        .cancel
        .iter()
        .chain(pending_ids.iter())
        .filter(|id| !kept.contains(id.as_str()))
        .cloned()
        .collect();
    let show_now = plan
        .missed
        .iter()
        .max_by(|a, b| (a.fire_at_ms, &a.notification_id).cmp(&(b.fire_at_ms, &b.notification_id)))
        .cloned();
    NotificationWindow {
        schedule: upcoming,
        cancel: cancel.into_iter().collect(),
        show_now,
        replan_before_ms,
        deferred: u32::try_from(deferred).unwrap_or(u32::MAX),
    }
}

/// [`notification_window`] with iOS's budget of [`IOS_MAX_PENDING_NOTIFICATIONS`].
#[cfg_attr(feature = "uniffi", uniffi::export)]
pub fn ios_notification_window(plan: ReminderPlan, pending_ids: Vec<String>) -> NotificationWindow {
    notification_window(&plan, &pending_ids, IOS_MAX_PENDING_NOTIFICATIONS)
}

/// The ids among `ids` that have the shape of the core's reminder ids (32 lowercase hex
/// characters): what a shell reports as delivered. Anything else the platform lists (none
/// today) is left alone. Order kept, repeats dropped.
#[cfg_attr(feature = "uniffi", uniffi::export)]
pub fn reminder_ids_only(ids: Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    ids.into_iter()
        .filter(|id| id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        .filter(|id| seen.insert(id.clone()))
        .collect()
}

/// What to do with the home-screen icon.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum IconChange {
    /// The right icon is showing: do not call the system (on iOS every switch shows an
    /// alert, so a needless one would draw attention).
    Keep,
    /// Switch to `icon_name` (`None` = the primary icon).
    SetIcon {
        /// The alternate icon's name in the app's asset catalog, or `None` for the primary.
        icon_name: Option<String>,
    },
}

/// The iOS icon rule: the alias in `settings` decides; an alias the app does not ship falls
/// back to the first (default) alias, never to no icon; `current_icon` is what
/// `UIApplication.alternateIconName` reports now (`None` = primary).
#[cfg_attr(feature = "uniffi", uniffi::export)]
pub fn ios_icon_change(settings: &Settings, current_icon: Option<String>) -> IconChange {
    let alias = decoys::launcher_alias(&settings.launcher_alias)
        .or_else(|| decoys::LAUNCHER_ALIASES.first());
    let wanted = alias.and_then(|a| a.ios_icon).map(str::to_owned);
    if wanted == current_icon {
        IconChange::Keep
    } else {
        IconChange::SetIcon { icon_name: wanted }
    }
}

/// What a shell may do with a URI the core asked it to open (`AppState.launch`, a quick exit
/// page). The core builds those URIs itself; this is the last gate before the system sees one.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum LaunchTarget {
    /// Hand `url` to the dialer (`tel:`).
    Call {
        /// The URL to open.
        url: String,
    },
    /// Hand `url` to the messages app (`sms:`).
    Text {
        /// The URL to open.
        url: String,
    },
    /// Open `url` in the browser (`https:` only).
    Web {
        /// The URL to open.
        url: String,
    },
    /// Open `url` in the mail app (`mailto:`).
    Email {
        /// The URL to open.
        url: String,
    },
    /// Open nothing: not a scheme Waypoint uses, or not a well-formed URI.
    Refuse,
}

fn dial_string_ok(s: &str) -> bool {
    let digits = s.strip_prefix('+').unwrap_or(s);
    !digits.is_empty() && digits.len() <= 20 && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Sorts `uri` into a [`LaunchTarget`]. The screen model hands over the exact RFC 3966/5724
/// form (`tel:988;phone-context=+1`); it is first turned into the launch form the phones'
/// dialers need (`tel:988`, see [`crate::directory::dial::launch_uri`]). Then `tel:`/`sms:`
/// must be a bare dial string (`+` and digits); any other `;` parameter or anything a dialer
/// would read as "wait" or tones is refused. `https:` must pass the directory's link rule;
/// `mailto:` must name one address with no header fields. Everything else is refused.
#[cfg_attr(feature = "uniffi", uniffi::export)]
pub fn launch_target(uri: String) -> LaunchTarget {
    let uri = crate::directory::dial::launch_uri(uri.trim());
    let uri = uri.as_str();
    if uri.chars().any(|c| c.is_whitespace() || c.is_control()) || uri.len() > 2048 {
        return LaunchTarget::Refuse;
    }
    let lower = uri.to_ascii_lowercase();
    if let Some(rest) = lower.strip_prefix("tel:") {
        if dial_string_ok(rest) {
            return LaunchTarget::Call {
                url: format!("tel:{rest}"),
            };
        }
    } else if let Some(rest) = lower.strip_prefix("sms:") {
        if dial_string_ok(rest) {
            return LaunchTarget::Text {
                url: format!("sms:{rest}"),
            };
        }
    } else if lower.starts_with("https://") {
        if waypoint_format::record::is_https_url(uri) {
            return LaunchTarget::Web {
                url: uri.to_owned(),
            };
        }
    } else if lower.starts_with("mailto:") {
        let address = &uri["mailto:".len()..];
        let ok = address.split_once('@').is_some_and(|(local, host)| {
            !local.is_empty() && !host.is_empty() && !host.contains('@')
        }) && !address.contains(['?', ',', '&', '<', '>', '"']);
        if ok {
            return LaunchTarget::Email {
                url: uri.to_owned(),
            };
        }
    }
    LaunchTarget::Refuse
}

/// Whether `view` belongs to the unlocked app (else a decoy, the unlock screen or first run):
/// what a shell hides while the screen is recorded, where the idle timer runs, and when an
/// unlock has happened (re-plan reminders). The core's own rule, so shells do not copy it.
#[cfg_attr(feature = "uniffi", uniffi::export)]
pub fn view_is_private(view: View) -> bool {
    view.is_private()
}

/// Whether `view` is a decoy (the calculator or a decoy page): the one kind of screen with no
/// exit control, since it is what an exit leads to and a control would give it away.
#[cfg_attr(feature = "uniffi", uniffi::export)]
pub fn view_is_decoy(view: View) -> bool {
    matches!(view, View::Calculator { .. } | View::DecoyPage { .. })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reminder(id: &str, at: i64) -> PlannedReminder {
        PlannedReminder {
            notification_id: id.into(),
            platform_id: 1,
            fire_at_ms: at,
            title: "Reminder".into(),
            body: "You have an event".into(),
        }
    }

    fn id(n: usize) -> String {
        format!("{n:032x}")
    }

    fn plan_of(n: usize) -> ReminderPlan {
        // Deliberately out of order: the window must sort by fire time itself.
        let schedule = (0..n)
            .rev()
            .map(|i| reminder(&id(i), 1_000 + i as i64 * 60_000))
            .collect();
        ReminderPlan {
            generated_at_ms: 0,
            horizon_end_ms: 10_000_000_000,
            schedule,
            cancel: vec![],
            missed: vec![],
        }
    }

    #[test]
    fn window_keeps_the_nearest_64_and_replans_before_the_last_kept() {
        let plan = plan_of(100);
        let w = ios_notification_window(plan, vec![]);
        assert_eq!(w.schedule.len(), 64);
        assert_eq!(w.deferred, 36);
        assert_eq!(w.schedule[0].notification_id, id(0));
        assert_eq!(w.schedule[63].notification_id, id(63));
        assert!(w
            .schedule
            .windows(2)
            .all(|p| p[0].fire_at_ms <= p[1].fire_at_ms));
        assert_eq!(w.replan_before_ms, w.schedule[63].fire_at_ms);
    }

    #[test]
    fn a_small_plan_fits_whole_and_replans_at_its_horizon() {
        let w = ios_notification_window(plan_of(3), vec![]);
        assert_eq!(w.schedule.len(), 3);
        assert_eq!(w.deferred, 0);
        assert_eq!(w.replan_before_ms, 10_000_000_000);
    }

    #[test]
    fn pending_outside_the_window_and_plan_cancellations_are_removed_once() {
        let mut plan = plan_of(70);
        plan.cancel = vec![id(500), id(501)];
        // id(1) is pending and kept: not cancelled. id(65) is pending but now deferred.
        let pending = vec![id(1), id(65), id(500), id(900)];
        let w = ios_notification_window(plan, pending);
        assert_eq!(w.cancel, vec![id(65), id(500), id(501), id(900)]);
        assert!(!w.cancel.contains(&id(1)));
    }

    #[test]
    fn many_missed_reminders_become_one_notification_shown_now() {
        let mut plan = plan_of(1);
        plan.missed = vec![
            reminder(&id(7), 50),
            reminder(&id(8), 90),
            reminder(&id(9), 70),
        ];
        let w = notification_window(&plan, &[], 10);
        assert_eq!(w.show_now.map(|r| r.notification_id), Some(id(8)));
        let w = notification_window(&plan_of(2), &[], 0);
        assert_eq!(
            w.schedule.len(),
            1,
            "a zero budget still shows the next reminder"
        );
        assert!(w.show_now.is_none());
    }

    #[test]
    fn delivered_ids_are_filtered_to_reminder_shaped_ones() {
        let ids = vec![
            id(1),
            "not-ours".into(),
            id(1),
            id(0xab).to_uppercase(),
            format!("{}0", id(3)),
            id(4),
        ];
        assert_eq!(reminder_ids_only(ids), vec![id(1), id(4)]);
    }

    #[test]
    fn icon_switches_only_when_the_alias_differs_from_what_shows() {
        let mut s = Settings::default();
        assert_eq!(
            ios_icon_change(&s, None),
            IconChange::Keep,
            "default is primary"
        );
        s.launcher_alias = "notes".into();
        assert_eq!(
            ios_icon_change(&s, None),
            IconChange::SetIcon {
                icon_name: Some("AppIconNotes".into())
            }
        );
        assert_eq!(
            ios_icon_change(&s, Some("AppIconNotes".into())),
            IconChange::Keep
        );
        s.launcher_alias = "calculator".into();
        assert_eq!(
            ios_icon_change(&s, Some("AppIconWeather".into())),
            IconChange::SetIcon { icon_name: None }
        );
        s.launcher_alias = "waypoint".into();
        assert_eq!(
            ios_icon_change(&s, Some("AppIconNotes".into())),
            IconChange::SetIcon { icon_name: None },
            "an unknown alias falls back to the default icon"
        );
    }

    #[test]
    fn every_ios_icon_name_is_an_asset_the_app_ships() {
        // ios/check-swift.sh checks these names against ios/App's asset catalog and Info.plist.
        let names: Vec<_> = decoys::LAUNCHER_ALIASES
            .iter()
            .filter_map(|a| a.ios_icon)
            .collect();
        assert_eq!(names, vec!["AppIconNotes", "AppIconWeather"]);
    }

    #[test]
    fn only_the_unlocked_app_is_private_and_only_decoys_hide_the_exit() {
        let calculator = View::Calculator {
            display: "0".into(),
        };
        let unlock = View::Unlock { error: None };
        let home = View::Home {
            destinations: vec![],
            error: None,
        };
        assert!(!view_is_private(calculator.clone()) && view_is_decoy(calculator));
        assert!(
            !view_is_private(unlock.clone()) && !view_is_decoy(unlock),
            "unlock has the exit"
        );
        assert!(view_is_private(home.clone()) && !view_is_decoy(home));
        let page = View::DecoyPage {
            decoy: crate::disguise::Decoy::Notes,
            title: String::new(),
            lines: vec![],
        };
        assert!(view_is_decoy(page));
    }

    #[test]
    fn launch_targets_allow_only_bare_dial_strings_and_safe_links() {
        assert_eq!(
            launch_target("tel:988".into()),
            LaunchTarget::Call {
                url: "tel:988".into()
            }
        );
        assert_eq!(
            launch_target("tel:+18883737888".into()),
            LaunchTarget::Call {
                url: "tel:+18883737888".into()
            }
        );
        assert_eq!(
            launch_target("tel:988;phone-context=+1".into()),
            LaunchTarget::Call {
                url: "tel:988".into()
            },
            "the screen model's exact form becomes the dialer's launch form"
        );
        assert_eq!(
            launch_target("sms:233733".into()),
            LaunchTarget::Text {
                url: "sms:233733".into()
            }
        );
        assert_eq!(
            launch_target("https://example.org/help".into()),
            LaunchTarget::Web {
                url: "https://example.org/help".into()
            }
        );
        assert_eq!(
            launch_target("mailto:help@example.org".into()),
            LaunchTarget::Email {
                url: "mailto:help@example.org".into()
            }
        );
        for bad in [
            "tel:988;ext=12",
            "tel:988,1234",
            "tel:*67988",
            "tel:",
            "sms:233733?body=START",
            "http://example.org",
            "https://user@example.org",
            "https://exa mple.org",
            "mailto:a@b.org?subject=x",
            "mailto:a@b.org,c@d.org",
            "javascript:alert(1)",
            "waypoint://unlock",
            "facetime:988",
            "",
        ] {
            assert_eq!(launch_target(bad.into()), LaunchTarget::Refuse, "{bad}");
        }
    }
}

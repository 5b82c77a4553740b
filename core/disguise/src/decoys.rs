//! The decoys and launcher aliases Waypoint ships, as data the platforms render.
//!
//! Each decoy really works as what it pretends to be and has its own unlock gesture. The
//! platforms draw them; the core only checks the code (through the vault), so every decoy
//! unlocks the same way underneath.

/// Which decoy shows while the vault is locked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DecoyKind {
    /// A working calculator (the default).
    Calculator,
    /// A notes page with a few dull notes.
    Notes,
    /// A weather-like page (offline, generic content).
    Weather,
}

/// How a decoy is drawn and unlocked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecoySpec {
    /// Which decoy.
    pub kind: DecoyKind,
    /// The title the decoy shows.
    pub title: &'static str,
    /// The gesture that submits a code, for the settings screen (never shown on the decoy).
    pub unlock_gesture: &'static str,
    /// Static content the decoy shows (notes, or forecast lines); empty for the calculator.
    pub content: &'static [&'static str],
}

/// Every decoy, in the order the settings screen lists them.
pub const DECOYS: &[DecoySpec] = &[
    DecoySpec {
        kind: DecoyKind::Calculator,
        title: "Calculator",
        unlock_gesture: "Type your code, then press =",
        content: &[],
    },
    DecoySpec {
        kind: DecoyKind::Notes,
        title: "Notes",
        unlock_gesture: "Start a new note, type your code as its title, then press Done",
        content: &[
            "Shopping: rice, eggs, tomatoes, soap",
            "Bus 42 leaves at 7:15 on weekdays",
            "Call about the phone bill on Monday",
        ],
    },
    DecoySpec {
        kind: DecoyKind::Weather,
        title: "Weather",
        unlock_gesture: "Search for your code as a city name",
        content: &[
            "Today: partly cloudy, 18°",
            "Tomorrow: light rain, 15°",
            "Weekend: sunny spells, 20°",
        ],
    },
];

/// The spec for one decoy.
pub fn decoy(kind: DecoyKind) -> &'static DecoySpec {
    DECOYS.iter().find(|d| d.kind == kind).unwrap_or(&DECOYS[0])
}

/// One launcher entry (icon + name) the app ships. Exactly one is enabled at any time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LauncherAlias {
    /// Stable id stored in settings.
    pub id: &'static str,
    /// The name under the icon.
    pub label: &'static str,
    /// Android: the `activity-alias` name in the app manifest.
    pub android_alias: &'static str,
    /// iOS: the alternate icon name (`None` = the primary icon).
    pub ios_icon: Option<&'static str>,
}

/// The launcher aliases the app ships; the first is the default.
pub const LAUNCHER_ALIASES: &[LauncherAlias] = &[
    LauncherAlias {
        id: "calculator",
        label: "Calculator",
        android_alias: ".LauncherCalculator",
        ios_icon: None,
    },
    LauncherAlias {
        id: "notes",
        label: "Notes",
        android_alias: ".LauncherNotes",
        ios_icon: Some("AppIconNotes"),
    },
    LauncherAlias {
        id: "weather",
        label: "Weather",
        android_alias: ".LauncherWeather",
        ios_icon: Some("AppIconWeather"),
    },
];

/// The alias with `id`, if the app ships it.
pub fn launcher_alias(id: &str) -> Option<&'static LauncherAlias> {
    LAUNCHER_ALIASES.iter().find(|a| a.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_decoy_has_a_spec_and_unique_gesture() {
        for kind in [DecoyKind::Calculator, DecoyKind::Notes, DecoyKind::Weather] {
            assert_eq!(decoy(kind).kind, kind);
        }
        let mut gestures: Vec<_> = DECOYS.iter().map(|d| d.unlock_gesture).collect();
        gestures.dedup();
        assert_eq!(gestures.len(), DECOYS.len());
    }

    #[test]
    fn alias_ids_and_android_names_are_unique() {
        for (i, a) in LAUNCHER_ALIASES.iter().enumerate() {
            for b in &LAUNCHER_ALIASES[i + 1..] {
                assert_ne!(a.id, b.id);
                assert_ne!(a.android_alias, b.android_alias);
            }
        }
        assert_eq!(launcher_alias("notes").map(|a| a.label), Some("Notes"));
        assert!(
            launcher_alias("waypoint").is_none(),
            "no alias names the real app"
        );
    }
}

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

/// A decoy the app ships. Its words (title, unlock gesture for the settings screen, the
/// notes or forecast lines) are in the core's message files, `core/locales/*/decoy.ftl`,
/// so the decoy speaks the phone's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecoySpec {
    /// Which decoy.
    pub kind: DecoyKind,
}

/// Every decoy, in the order the settings screen lists them.
pub const DECOYS: &[DecoySpec] = &[
    DecoySpec {
        kind: DecoyKind::Calculator,
    },
    DecoySpec {
        kind: DecoyKind::Notes,
    },
    DecoySpec {
        kind: DecoyKind::Weather,
    },
];

/// The spec for one decoy.
pub fn decoy(kind: DecoyKind) -> &'static DecoySpec {
    DECOYS.iter().find(|d| d.kind == kind).unwrap_or(&DECOYS[0])
}

/// One launcher entry (icon + name) the app ships. Exactly one is enabled at any time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LauncherAlias {
    /// Stable id stored in settings. The name under the icon is the matching decoy's title
    /// (core message files; the Android manifest and iOS icon names carry their own).
    pub id: &'static str,
    /// Android: the `activity-alias` name in the app manifest.
    pub android_alias: &'static str,
    /// iOS: the alternate icon name (`None` = the primary icon).
    pub ios_icon: Option<&'static str>,
}

/// The launcher aliases the app ships; the first is the default.
pub const LAUNCHER_ALIASES: &[LauncherAlias] = &[
    LauncherAlias {
        id: "calculator",
        android_alias: ".LauncherCalculator",
        ios_icon: None,
    },
    LauncherAlias {
        id: "notes",
        android_alias: ".LauncherNotes",
        ios_icon: Some("AppIconNotes"),
    },
    LauncherAlias {
        id: "weather",
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
    fn every_decoy_has_one_spec() {
        for kind in [DecoyKind::Calculator, DecoyKind::Notes, DecoyKind::Weather] {
            assert_eq!(decoy(kind).kind, kind);
            assert_eq!(DECOYS.iter().filter(|d| d.kind == kind).count(), 1);
        }
    }

    #[test]
    fn alias_ids_and_android_names_are_unique() {
        for (i, a) in LAUNCHER_ALIASES.iter().enumerate() {
            for b in &LAUNCHER_ALIASES[i + 1..] {
                assert_ne!(a.id, b.id);
                assert_ne!(a.android_alias, b.android_alias);
            }
        }
        assert_eq!(
            launcher_alias("notes").map(|a| a.android_alias),
            Some(".LauncherNotes")
        );
        assert!(
            launcher_alias("waypoint").is_none(),
            "no alias names the real app"
        );
    }
}

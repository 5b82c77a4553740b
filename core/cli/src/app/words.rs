//! The terminal shell's own words: frame titles, field labels, key hints. Everything else
//! on screen comes from the screen models. Kept in this one place so it moves to the
//! core's message files in one step.

/// Frame title of the calculator decoy (no app name: it is the disguise).
pub const CALCULATOR: &str = "Calculator";
/// Keys of the calculator decoy.
pub const HINT_CALCULATOR: &str =
    "0-9 . + - * / = (Enter)  % n ±  c clear  Backspace  ·  Ctrl-C close";
/// Keys of the other decoys.
pub const HINT_DECOY: &str = "Ctrl-C close";
/// Keys of the first-run steps.
pub const HINT_FIRST_RUN: &str = "Enter next  ·  Esc back  ·  F12 quick exit (any screen)";
/// Keys of the first-run decoy step.
pub const HINT_FIRST_RUN_DECOY: &str =
    "Up/Down choose  ·  Enter next  ·  Esc back  ·  F12 quick exit";
/// Keys of the code fields.
pub const HINT_CODE: &str = "type the code  ·  Tab next field  ·  Enter done  ·  F12 quick exit";
/// Keys of home.
pub const HINT_HOME: &str =
    "Up/Down or 1-5 choose  ·  Enter open  ·  Ctrl-L lock  ·  F12 quick exit";
/// Keys of the journal list.
pub const HINT_JOURNAL: &str =
    "type to search  ·  Up/Down choose  ·  Enter open  ·  Ctrl-N new  ·  Ctrl-E export  ·  Esc back  ·  F12 quick exit";
/// Keys of forms.
pub const HINT_FORM: &str =
    "Tab/Shift-Tab field  ·  Left/Right or Space choose  ·  Ctrl-S save  ·  Esc back  ·  F12 quick exit";
/// Keys of the entry editor.
pub const HINT_ENTRY: &str =
    "Tab/Shift-Tab field  ·  Enter in \"attach\" adds the file  ·  Ctrl-S save  ·  Esc back  ·  F12 quick exit";
/// Keys of the export form.
pub const HINT_EXPORT: &str = "Tab field  ·  Enter export  ·  Esc back  ·  F12 quick exit";
/// Keys of the appointment list.
pub const HINT_APPOINTMENTS: &str =
    "Up/Down choose  ·  Enter open  ·  Ctrl-N new  ·  Esc back  ·  F12 quick exit";
/// Keys of the directory search.
pub const HINT_DIRECTORY: &str =
    "Tab field  ·  type / Left/Right / Space set it  ·  Up/Down result  ·  Enter open  ·  Esc back  ·  F12 quick exit";
/// Keys of a directory result.
pub const HINT_DETAIL: &str =
    "Up/Down or 1-9 action  ·  Enter take it  ·  Esc back  ·  F12 quick exit";
/// Keys of the call warning.
pub const HINT_WARNING: &str = "Enter go ahead  ·  Esc back  ·  F12 quick exit";
/// Keys of a plain page.
pub const HINT_PAGE: &str = "Esc back  ·  F12 quick exit";
/// Keys of the launch notice.
pub const HINT_LAUNCH: &str = "Enter done  ·  F12 quick exit";

/// The app's name, in the frame of the unlocked screens only.
pub const APP: &str = "Waypoint";
/// Frame titles.
pub const FIRST_RUN: &str = "Waypoint: before you start";
/// Frame title of the decoy choice.
pub const CHOOSE_DECOY: &str = "Waypoint: how it looks when locked";
/// Frame title of the code step.
pub const CHOOSE_CODE: &str = "Waypoint: your code";
/// Frame title of the unlock screen (neutral).
pub const UNLOCK: &str = "Locked";
/// Frame titles of the unlocked screens.
pub const HOME: &str = "Home";
/// Journal.
pub const JOURNAL: &str = "Journal";
/// Entry editor.
pub const ENTRY: &str = "Entry";
/// Export.
pub const EXPORT: &str = "Evidence export";
/// Appointments.
pub const APPOINTMENTS: &str = "Appointments";
/// Appointment editor.
pub const APPOINTMENT: &str = "Appointment";
/// Directory.
pub const DIRECTORY: &str = "Directory";
/// Before a call.
pub const BEFORE_CALL: &str = "Before you call";
/// Safety settings.
pub const SAFETY: &str = "Safety settings";
/// Sync status.
pub const SYNC: &str = "Directory updates";

/// Field labels.
pub const CODE: &str = "Code";
/// Code again.
pub const CODE_AGAIN: &str = "Code again";
/// Search.
pub const SEARCH: &str = "Search";
/// Title.
pub const TITLE: &str = "Title";
/// When it happened.
pub const HAPPENED: &str = "When (YYYY-MM-DD HH:MM, empty: now)";
/// Mood.
pub const MOOD: &str = "Mood";
/// Tags.
pub const TAGS: &str = "Tags (comma-separated)";
/// Place.
pub const PLACE: &str = "Place";
/// Text.
pub const BODY: &str = "Text";
/// Attach a file by path.
pub const ATTACH: &str = "Attach file (path, Enter)";
/// Attachments.
pub const ATTACHMENTS: &str = "Attachments";
/// Export passphrase.
pub const PASSPHRASE: &str = "Passphrase for the file";
/// Again.
pub const PASSPHRASE_AGAIN: &str = "Passphrase again";
/// Destination.
pub const DESTINATION: &str = "Save to (path)";
/// Kind.
pub const KIND: &str = "Kind";
/// Date.
pub const DATE: &str = "Date (YYYY-MM-DD)";
/// Time.
pub const TIME: &str = "Time (HH:MM, empty: all day)";
/// Duration.
pub const DURATION: &str = "Minutes";
/// Repeat.
pub const REPEAT: &str = "Repeats";
/// Reminders.
pub const REMINDERS: &str = "Reminders (minutes before, comma-separated)";
/// Category.
pub const CATEGORY: &str = "Category";
/// Open now.
pub const OPEN_NOW: &str = "Open now";
/// Free.
pub const FREE: &str = "Free";
/// Language.
pub const LANGUAGE: &str = "Speaks (language tag)";
/// Any.
pub const ANY: &str = "any";
/// Decoy.
pub const DECOY: &str = "Decoy";
/// Icon.
pub const ICON: &str = "Icon";
/// Auto-lock.
pub const AUTO_LOCK: &str = "Lock after idle minutes (0: never)";
/// Screenshots.
pub const SCREENSHOTS: &str = "Block screenshots";
/// Quick exit wipes.
pub const EXIT_WIPES: &str = "Quick exit also wipes";
/// Wipe after.
pub const WIPE_AFTER: &str = "Wipe after wrong codes (empty: never)";
/// Duress code.
pub const DURESS: &str = "Other code (opens an empty journal)";
/// Saved.
pub const SAVED: &str = "Saved.";
/// Yes / no.
pub const YES: &str = "yes";
/// No.
pub const NO: &str = "no";
/// The launch notice.
pub const LAUNCH: &str = "The phone would open this now (nothing is opened on this desktop):";
/// A file the shell could not read.
pub const FILE_UNREADABLE: &str = "That file could not be read.";
/// Home destinations.
pub const DEST_JOURNAL: &str = "Journal";
/// Appointments.
pub const DEST_APPOINTMENTS: &str = "Appointments";
/// Directory.
pub const DEST_DIRECTORY: &str = "Directory of help";
/// Safety.
pub const DEST_SAFETY: &str = "Safety settings";
/// Sync.
pub const DEST_SYNC: &str = "Directory updates";
/// Repeat choices.
pub const REPEAT_NEVER: &str = "never";
/// Daily.
pub const REPEAT_DAILY: &str = "daily";
/// Weekly.
pub const REPEAT_WEEKLY: &str = "weekly";
/// Monthly.
pub const REPEAT_MONTHLY: &str = "monthly";
/// Decoy names.
pub const DECOY_CALCULATOR: &str = "calculator";
/// Notes.
pub const DECOY_NOTES: &str = "notes";
/// Weather.
pub const DECOY_WEATHER: &str = "weather";

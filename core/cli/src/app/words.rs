//! The terminal shell's words. Titles, field names, choices and every button word come from
//! the state (`AppState::title`, `AppState::labels`), in the model's language. The few words
//! that only this shell needs (the key hints' verbs, the launch notice) are messages of the
//! core's `terminal` area (core/locales/<lang>/terminal.ftl), looked up here and nowhere
//! else; key names (F12, Esc, Tab, Ctrl-S) are not translated.

use waypoint_core::i18n::Messages;
use waypoint_core::screens::{AppState, View};

/// "choose".
pub const CHOOSE: &str = "terminal-key-choose";
/// "open".
pub const OPEN: &str = "terminal-key-open";
/// "next field".
pub const FIELDS: &str = "terminal-key-fields";
/// "change".
pub const CHANGE: &str = "terminal-key-change";
/// "close" (the program).
pub const CLOSE: &str = "terminal-key-close";
/// "done".
pub const DONE: &str = "terminal-key-done";
/// "clear" (the calculator).
pub const CLEAR: &str = "terminal-key-clear";
/// The notice that stands for opening a call, a text or a link.
pub const LAUNCH: &str = "terminal-launch";
/// A file the shell could not read.
pub const FILE_UNREADABLE: &str = "terminal-file-unreadable";
/// How to attach a file here.
pub const ATTACH_PATH: &str = "terminal-attach-path";
/// Yes.
pub const YES: &str = "terminal-yes";
/// No.
pub const NO: &str = "terminal-no";
/// No category chosen.
pub const ANY: &str = "terminal-any";
/// How to type reminders here.
pub const REMINDERS_HELP: &str = "terminal-reminders-help";
/// The directory filter by spoken language (typed as a language code here).
pub const LANGUAGE: &str = "terminal-language";
/// How to type a document's reminder days here.
pub const DAYS_HELP: &str = "terminal-days-help";

/// Every message id this shell looks up (a test checks each is in every language).
#[cfg(test)]
pub const IDS: &[&str] = &[
    CHOOSE,
    OPEN,
    FIELDS,
    CHANGE,
    CLOSE,
    DONE,
    CLEAR,
    LAUNCH,
    FILE_UNREADABLE,
    ATTACH_PATH,
    YES,
    NO,
    ANY,
    REMINDERS_HELP,
    LANGUAGE,
    DAYS_HELP,
];

/// The app's name, in the frame of the unlocked screens only (a name, not translated).
pub const APP: &str = "Waypoint";

/// The shell's own words in one language.
pub struct Words {
    messages: Messages,
}

impl Words {
    /// The words for a language tag (the closest shipped language, English behind it).
    pub fn new(tag: &str) -> Self {
        Self {
            messages: Messages::for_tag(tag),
        }
    }

    /// One of this module's ids in the language.
    pub fn get(&self, id: &str) -> String {
        self.messages.tr(id)
    }

    /// "yes" or "no".
    pub fn yes_no(&self, b: bool) -> String {
        self.get(if b { YES } else { NO })
    }

    /// The line of keys for `state`: each key with the model's word for what it does (or
    /// this shell's), separated by " · ". A decoy lists only what its app would.
    pub fn hint(&self, state: &AppState) -> String {
        let label = |key: &str| state.label(key).to_owned();
        let mut parts = Parts::default();
        if state.launch.is_some() {
            parts.add("Enter", self.get(DONE));
            parts.add("F12", label("quick_exit"));
            return parts.join();
        }
        match &state.view {
            View::Calculator { .. } => {
                parts.keys("0-9 . + - * / = (Enter) % n(±)");
                parts.add("c", self.get(CLEAR));
                parts.add("Ctrl-C", self.get(CLOSE));
                return parts.join();
            }
            View::DecoyPage { .. } => {
                parts.add("Ctrl-C", self.get(CLOSE));
                return parts.join();
            }
            View::FirstRunQuickExit { .. } => parts.add("Enter", label("next")),
            View::FirstRunDecoy { .. } => {
                parts.add("↑↓", self.get(CHOOSE));
                parts.add("Enter", label("next"));
            }
            View::FirstRunCode { .. } | View::Unlock { .. } => {
                parts.add("Tab", self.get(FIELDS));
                parts.add("Enter", label("continue"));
            }
            View::Home { destinations, .. } => {
                parts.add(&format!("1-{} ↑↓", destinations.len()), self.get(CHOOSE));
                parts.add("Enter", self.get(OPEN));
                parts.add("Ctrl-L", label("lock"));
            }
            View::JournalList { .. } => {
                parts.add("↑↓", self.get(CHOOSE));
                parts.add("Enter", self.get(OPEN));
                parts.add("Ctrl-N", label("new"));
                parts.add("Ctrl-E", label("export"));
            }
            View::EntryEditor { .. } => {
                parts.add("Tab", self.get(FIELDS));
                parts.add("Ctrl-S", label("save"));
            }
            View::EvidenceExport { .. } => {
                parts.add("Tab", self.get(FIELDS));
                parts.add("Enter", label("save"));
            }
            View::AppointmentList { .. } => {
                parts.add("↑↓", self.get(CHOOSE));
                parts.add("Enter", self.get(OPEN));
                parts.add("Ctrl-N", label("new"));
            }
            View::AppointmentEditor { .. } | View::SafetySettings { .. } => {
                parts.add("Tab", self.get(FIELDS));
                parts.add("←→", self.get(CHANGE));
                parts.add("Ctrl-S", label("save"));
            }
            View::DirectorySearch { .. } => {
                parts.add("Tab", self.get(FIELDS));
                parts.add("←→", self.get(CHANGE));
                parts.add("↑↓", self.get(CHOOSE));
                parts.add("Enter", self.get(OPEN));
            }
            View::ResourceDetail { .. } => {
                parts.add("1-9 ↑↓", self.get(CHOOSE));
                parts.add("Enter", self.get(OPEN));
            }
            View::CallWarning { .. } => parts.add("Enter", label("continue")),
            View::SyncStatus { .. } => {}
            View::DocumentList { .. } => {
                parts.add("↑↓", self.get(CHOOSE));
                parts.add("Enter", self.get(OPEN));
                parts.add("Ctrl-N", label("new"));
            }
            View::DocumentEditor {
                confirm_delete: true,
                ..
            } => {
                parts.add("Enter", label("confirm_delete"));
                parts.add("Esc", label("keep"));
                parts.add("F12", label("quick_exit"));
                return parts.join();
            }
            View::DocumentEditor { document_id, .. } => {
                parts.add("Tab", self.get(FIELDS));
                parts.add("←→", self.get(CHANGE));
                parts.add("Ctrl-S", label("save"));
                parts.add("Ctrl-R", label("remove_file"));
                if document_id.is_some() {
                    parts.add("Ctrl-D", label("delete"));
                }
            }
            View::ShareRecipients { .. } => {
                parts.add("Tab", self.get(FIELDS));
                parts.add("Enter", label("save"));
                parts.add("↑↓", self.get(CHOOSE));
                parts.add("Ctrl-X", label("remove"));
            }
            View::GuideList { .. } | View::Guide { .. } => {
                parts.add("↑↓", self.get(CHOOSE));
                parts.add("Enter", self.get(OPEN));
            }
            View::SafetyPlan {
                confirm_restart: true,
                ..
            } => {
                parts.add("Enter", label("confirm_restart"));
                parts.add("Esc", label("keep"));
                parts.add("F12", label("quick_exit"));
                return parts.join();
            }
            View::SafetyPlan {
                can_restart: true, ..
            } => parts.add("Ctrl-D", label("restart")),
            View::SafetyPlan { .. } => {
                parts.add("↑↓", self.get(CHOOSE));
                parts.add("Enter", label("save"));
                parts.add("Ctrl-K", label("skip"));
            }
        }
        parts.add("Esc", label("back"));
        parts.add("F12", label("quick_exit"));
        parts.add("Ctrl-C", self.get(CLOSE));
        parts.join()
    }
}

/// Keys and what they do, in order.
#[derive(Default)]
struct Parts(Vec<String>);

impl Parts {
    /// A key and its word; left out when the screen has no word for it.
    fn add(&mut self, keys: &str, what: String) {
        if !what.is_empty() {
            self.0.push(format!("{keys} {what}"));
        }
    }

    /// Keys that speak for themselves.
    fn keys(&mut self, keys: &str) {
        self.0.push(keys.to_owned());
    }

    fn join(self) -> String {
        self.0.join("  ·  ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use waypoint_core::i18n::Lang;

    #[test]
    fn every_word_of_the_terminal_is_a_message_in_every_language() {
        for tag in ["en", "es", "ar", "vi", "zh-Hans"] {
            let m = Messages::new(Lang::from_tag(tag));
            for id in IDS {
                assert!(m.has(id), "{id} is missing in {tag}");
            }
        }
        // Spanish is its own, not the English fallback.
        assert_eq!(Words::new("es").get(CLOSE), "cerrar");
    }
}

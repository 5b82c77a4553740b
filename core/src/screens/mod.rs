//! Screen models: what every screen of the app shows, and what each user intent does.
//!
//! The phones (and any desktop shell) only draw [`AppState`] and forward [`Intent`]s;
//! navigation, back behaviour, validation messages, date/time formatting in the user's zone
//! and phone-number display are decided here, where they are tested. The model owns one
//! [`DisguiseController`] (the calculator and the lock state machine) and calls the
//! application layer ([`Core`]) for every real action.
//!
//! The navigation is a stack of views: the top is on screen, `Back` pops it (never below
//! the root: the decoy, the first-run step, or home). Quick exit works from every state:
//! it drops the vault's keys through the disguise controller, replaces the whole stack
//! with a fresh decoy and forgets every draft and pending attachment, so nothing personal
//! stays in the model.
//!
//! Every word the screens show comes from the message files (`crate::i18n`,
//! core/locales/) in the language the phone passes; the state says which language and
//! which text direction the shell lays out. Dates are formatted by message-file patterns
//! (`dates.ftl`), so each language orders day, month and year its own way.
//!
//! Per install, not per process ([`install`]): whether the install was ever set up (a cold
//! start after a wipe shows the decoy, never the first run) and whether the "calls stay in
//! the phone's logs" warning was read.
//!
//! Known limits (for now): `dispatch` may run a vault key derivation (unlock, first-run
//! code) so shells call it off their UI thread.
//!
//! Import rule: `screens` uses `app` and the capabilities' domain types; only `ffi` uses it.

use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;
use zeroize::Zeroizing;

use crate::app::disguise::{calculator_display_in, decoys_in, onboarding_in};
use crate::app::{AppEvent, CalcKey, Core, DisguiseController, Screen, VaultState};
use crate::appointments::{AppointmentDraft, AppointmentKind};
use crate::directory::dial::{ActionKind, DialAction};
use crate::directory::{Query, Resource};
use crate::disguise::{Decoy, Settings};
use crate::error::{Error, Result};
use crate::i18n::mid;
use crate::i18n::{Messages, TextDirection};
use crate::journal::{EntryDraft, EntryFilter};

#[cfg(test)]
mod document_tests;
mod format;
#[cfg(test)]
mod i18n_tests;
mod install;
#[cfg(test)]
mod race_tests;
#[cfg(test)]
mod set_aside_tests;
#[cfg(test)]
mod tests;
mod text;

pub use format::{format_local, format_phone};
pub use text::Label;

/// Message id of the warning shown once before the first call or text.
pub const CALL_LOG_WARNING_ID: &str = mid!("call-warning");

/// Most reminders one appointment may have.
pub const MAX_REMINDERS: usize = 5;
/// Longest reminder offset: 30 days.
pub const MAX_REMINDER_MINUTES: u32 = 30 * 1440;
/// Longest journal title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Shortest unlock code, in digits.
pub const MIN_CODE_DIGITS: usize = 6;
/// Shortest passphrase of an evidence export, in characters.
pub const MIN_PASSPHRASE_CHARS: usize = 8;
/// Longest appointment, in minutes (one day).
pub const MAX_DURATION_MINUTES: u32 = 24 * 60;
/// Longest auto-lock delay, in minutes.
pub const MAX_AUTO_LOCK_MINUTES: u32 = 60;
/// How many wrong codes may be chosen before the wipe.
pub const WIPE_AFTER_RANGE: std::ops::RangeInclusive<u32> = 3..=50;

/// What the shell draws now. A plain value; `version` grows by one per change.
#[derive(Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AppState {
    /// Grows by one on every change (for polling shells).
    pub version: u64,
    /// The screen.
    pub view: View,
    /// Whether `Back` leads somewhere (else the shell may leave the app, as its platform does).
    pub can_go_back: bool,
    /// A URI the shell opens once (a call, a text, a web page), then sends `LaunchHandled`.
    pub launch: Option<String>,
    /// After a quick exit: remove the app from recents (Android `finishAndRemoveTask`).
    pub leave_recents: bool,
    /// The language of every word in this state (`en`, `es`, `ar`, `vi`, `zh-Hans`).
    pub language: String,
    /// Which way to lay the screen out (right to left for Arabic).
    pub direction: TextDirection,
    /// The screen's title.
    pub title: String,
    /// The words of the screen's buttons, fields and choices, by stable key (`back`,
    /// `save`, `field:title`, `kind:court`, ...); see [`Label`].
    pub labels: Vec<Label>,
}

impl AppState {
    /// The label with `key` (empty if this screen has none).
    pub fn label(&self, key: &str) -> &str {
        self.labels
            .iter()
            .find(|l| l.key == key)
            .map_or("", |l| l.text.as_str())
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AppState(v{}, {})", self.version, self.view.name())
    }
}

/// A field and what is wrong with it, in words the person can act on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FieldError {
    /// The form field (`title`, `date`, `reminders`, ...).
    pub field: String,
    /// The message to show beside it.
    pub message: String,
}

/// A heading and a text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TextBlock {
    /// Heading.
    pub title: String,
    /// Text.
    pub body: String,
}

/// One decoy the person can choose.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DecoyOption {
    /// Which.
    pub decoy: Decoy,
    /// Its title.
    pub title: String,
    /// How it opens the app.
    pub unlock_gesture: String,
    /// Chosen now.
    pub selected: bool,
}

/// The journal entry form. Free text as typed; the core validates it on save.
#[derive(Clone, Default, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EntryForm {
    /// Title.
    pub title: String,
    /// Text.
    pub body: String,
    /// When it happened, in the user's zone: `YYYY-MM-DD HH:MM`, or empty for "now".
    pub happened: String,
    /// Mood.
    pub mood: String,
    /// Tags, comma-separated.
    pub tags: String,
    /// Place.
    pub place: String,
}

/// One journal entry in a list.
#[derive(Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EntryRow {
    /// Entry id.
    pub id: String,
    /// Title (or the start of the text).
    pub title: String,
    /// When, formatted in the user's zone.
    pub time_text: String,
    /// Number of attachments.
    pub attachments: u32,
}

/// How an appointment repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Repeat {
    /// Once.
    Never,
    /// Every day.
    Daily,
    /// Every week.
    Weekly,
    /// Every month.
    Monthly,
}

/// The appointment form.
#[derive(Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AppointmentForm {
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: AppointmentKind,
    /// Date `YYYY-MM-DD` in the user's zone.
    pub date: String,
    /// Time `HH:MM`; empty for all day.
    pub time: String,
    /// Length in minutes (digits), empty for none.
    pub duration_minutes: String,
    /// Where.
    pub place: String,
    /// Repeats.
    pub repeat: Repeat,
    /// Reminder offsets before the start, minutes.
    pub reminder_minutes: Vec<u32>,
}

impl Default for AppointmentForm {
    fn default() -> Self {
        Self {
            title: String::new(),
            kind: AppointmentKind::Other,
            date: String::new(),
            time: String::new(),
            duration_minutes: String::new(),
            place: String::new(),
            repeat: Repeat::Never,
            reminder_minutes: Vec::new(),
        }
    }
}

/// One appointment in a list.
#[derive(Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AppointmentRow {
    /// Appointment id.
    pub id: String,
    /// Title.
    pub title: String,
    /// When, in the user's zone.
    pub time_text: String,
    /// Reminders in words ("1 day before, 1 hour before").
    pub reminders: String,
}

/// One document in the list.
#[derive(Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DocumentRow {
    /// Document id.
    pub id: String,
    /// The kind of document, in words ("Passport").
    pub kind_text: String,
    /// The survivor's own name for it (empty when none).
    pub label: String,
    /// When it expires, in words ("Expires in 30 days", "Expired..."); empty when no date.
    pub expiry_text: String,
    /// A photo or scan is kept with it.
    pub has_file: bool,
}

/// The document form. Free text as typed; the core validates it on save.
#[derive(Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DocumentForm {
    /// What it is.
    pub doc_type: crate::documents::DocumentType,
    /// The survivor's own name for it.
    pub label: String,
    /// Document number.
    pub number: String,
    /// Issuing country, two letters (`MX`); empty for none.
    pub issuing_country: String,
    /// Issue date `YYYY-MM-DD`; empty for none.
    pub issued_on: String,
    /// Expiry date `YYYY-MM-DD`; empty for none.
    pub expires_on: String,
    /// Notes.
    pub notes: String,
    /// Days before the expiry date to be reminded (e.g. 90, 30, 7).
    pub reminder_days: Vec<u32>,
}

impl Default for DocumentForm {
    fn default() -> Self {
        Self {
            doc_type: crate::documents::DocumentType::Passport,
            label: String::new(),
            number: String::new(),
            issuing_country: String::new(),
            issued_on: String::new(),
            expires_on: String::new(),
            notes: String::new(),
            reminder_days: Vec::new(),
        }
    }
}

/// A saved recipient in the list (a lawyer's or advocate's key).
#[derive(Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RecipientRow {
    /// Saved recipient id.
    pub id: String,
    /// The survivor's name for them.
    pub label: String,
    /// The key's short fingerprint (`XXXX-XXXX-XXXX-XXXX`), to compare in person.
    pub fingerprint: String,
}

/// The "add a person" form: a name and a key, pasted or filled by a scan.
#[derive(Clone, Default, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RecipientForm {
    /// The survivor's name for them.
    pub label: String,
    /// Their key (`age1...`) as pasted, or as a scan filled it in.
    pub key: String,
}

/// One section of the safety plan on screen: the guided words and what was written.
#[derive(Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PlanSectionRow {
    /// Which section.
    pub section: crate::safety_plan::Section,
    /// Its title.
    pub title: String,
    /// The guided prompt (says it can be skipped).
    pub prompt: String,
    /// An example of what could go in it.
    pub example: String,
    /// What the survivor wrote.
    pub items: Vec<String>,
    /// Their notes.
    pub notes: String,
    /// Skipped for now.
    pub skipped: bool,
    /// "Skipped for now..." or "Nothing written here yet."; empty when it has content.
    pub status: String,
}

/// Directory search filters.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DirectoryFilters {
    /// Words.
    pub text: String,
    /// Category wire names (`hotline`, `legal_aid`, ...); empty: all.
    pub categories: Vec<String>,
    /// Only services open now.
    pub open_now: bool,
    /// Only free services.
    pub free: bool,
    /// Only services speaking this language (BCP 47).
    pub spoken_language: Option<String>,
}

/// One directory result in a list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ResourceRow {
    /// Record id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Organization.
    pub organization: String,
    /// "Open now", "Closed now", "Open 24 hours" or empty.
    pub hours: String,
}

/// A tappable action of a resource.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ActionRow {
    /// Its index, for `TakeAction`.
    pub index: u32,
    /// "Call", "Text", "Web site", ...
    pub label: String,
    /// The number or link, as shown.
    pub display: String,
    /// A note to show with it (cost, keyword, works only in the country).
    pub note: Option<String>,
}

/// A directory result in full.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ResourceDetail {
    /// Record id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Organization.
    pub organization: String,
    /// Description.
    pub description: String,
    /// Addresses.
    pub addresses: Vec<String>,
    /// Eligibility.
    pub eligibility: String,
    /// Actions.
    pub actions: Vec<ActionRow>,
}

/// The safety settings form.
#[derive(Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SafetyForm {
    /// Decoy shown while locked.
    pub decoy: Decoy,
    /// Launcher alias id.
    pub launcher_alias: String,
    /// Auto-lock after minutes without activity; 0 = never.
    pub auto_lock_minutes: u32,
    /// Block screenshots.
    pub screenshot_blocking: bool,
    /// Quick exit also wipes.
    pub quick_exit_wipes: bool,
    /// Wipe after this many wrong codes; `None` = never.
    pub wipe_after_failures: Option<u32>,
    /// A new duress code (digits); empty leaves it as it is. Never shown back.
    pub duress_code: String,
}

/// Where the home screen leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Destination {
    /// The journal.
    Journal,
    /// Appointments.
    Appointments,
    /// The directory.
    Directory,
    /// Safety settings.
    SafetySettings,
    /// Directory sync status.
    SyncStatus,
    /// The survivor's documents.
    Documents,
    /// The safety plan.
    SafetyPlan,
    /// The know-your-rights guides.
    Guides,
    /// The people the survivor shares with (their keys, by paste or scan).
    Sharing,
}

/// Every screen and what it shows.
#[derive(Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum View {
    /// First run, step 1: how to leave quickly, before anything else.
    FirstRunQuickExit {
        /// The steps.
        steps: Vec<TextBlock>,
    },
    /// First run, step 2: choose the decoy.
    FirstRunDecoy {
        /// The choices.
        options: Vec<DecoyOption>,
    },
    /// First run, step 3: choose the unlock code.
    FirstRunCode {
        /// What was wrong with the last try.
        error: Option<String>,
    },
    /// The calculator decoy: nothing but the display.
    Calculator {
        /// Display text.
        display: String,
    },
    /// Another decoy (notes, weather): static text.
    DecoyPage {
        /// Which.
        decoy: Decoy,
        /// Title.
        title: String,
        /// Lines.
        lines: Vec<String>,
    },
    /// Unlock by code (after an idle lock that does not lead to the decoy).
    Unlock {
        /// A neutral message after a wrong code.
        error: Option<String>,
    },
    /// Home.
    Home {
        /// Where it leads, in order.
        destinations: Vec<Destination>,
        /// One line when opening a section failed (it could not be read); `None` otherwise.
        error: Option<String>,
    },
    /// Journal list and search.
    JournalList {
        /// The search words.
        query: String,
        /// Entries.
        rows: Vec<EntryRow>,
        /// One line when entries or files of this vault are set aside (damaged, or changed
        /// outside the app); `None` when there are none.
        notice: Option<String>,
    },
    /// The entry editor.
    EntryEditor {
        /// Editing this entry; `None` = a new one.
        entry_id: Option<String>,
        /// The form.
        form: EntryForm,
        /// Attachment names (saved and pending).
        attachments: Vec<String>,
        /// Validation messages.
        errors: Vec<FieldError>,
    },
    /// Evidence export.
    EvidenceExport {
        /// Validation or failure message.
        errors: Vec<FieldError>,
        /// After success: what was written.
        done: Option<String>,
    },
    /// Appointment list.
    AppointmentList {
        /// Appointments, soonest first.
        rows: Vec<AppointmentRow>,
    },
    /// The appointment editor.
    AppointmentEditor {
        /// Editing this one; `None` = new.
        appointment_id: Option<String>,
        /// The form.
        form: AppointmentForm,
        /// Reminder offsets in words, in the order of `form.reminder_minutes`.
        reminder_labels: Vec<String>,
        /// Validation messages.
        errors: Vec<FieldError>,
    },
    /// Directory search with filters.
    DirectorySearch {
        /// The filters.
        filters: DirectoryFilters,
        /// Results.
        rows: Vec<ResourceRow>,
    },
    /// One directory result.
    ResourceDetail {
        /// The resource.
        detail: ResourceDetail,
    },
    /// The one-time warning before the first call or text.
    CallWarning {
        /// The warning.
        text: String,
        /// The action it is about.
        action: ActionRow,
    },
    /// Safety settings.
    SafetySettings {
        /// The form.
        form: SafetyForm,
        /// Launcher alias ids to choose from.
        alias_choices: Vec<String>,
        /// Validation messages.
        errors: Vec<FieldError>,
        /// Saved since opened.
        saved: bool,
    },
    /// Directory sync status.
    SyncStatus {
        /// Lines to show.
        lines: Vec<String>,
    },
    /// The survivor's documents (`NewDocument` adds one, `OpenDocument` edits one).
    DocumentList {
        /// Documents, by kind.
        rows: Vec<DocumentRow>,
        /// One line when documents of this vault are set aside (damaged, or changed outside
        /// the app); `None` when there are none.
        notice: Option<String>,
    },
    /// The document editor: details, expiry reminders, its photo or scan, delete.
    DocumentEditor {
        /// Editing this document; `None` = a new one.
        document_id: Option<String>,
        /// The form.
        form: DocumentForm,
        /// The name of the photo or scan kept with it once saved (`None`: none).
        file: Option<String>,
        /// A photo or scan was chosen or removed and is not saved yet.
        file_changed: bool,
        /// Reminder days in words, in the order of `form.reminder_days`.
        reminder_labels: Vec<String>,
        /// Validation messages (each one line).
        errors: Vec<FieldError>,
        /// Delete was asked for: show the confirmation (`ConfirmDeleteDocument` deletes,
        /// any other change or `Back` keeps the document).
        confirm_delete: bool,
    },
    /// The people the survivor shares with, and adding one by pasting or scanning the key
    /// their laptop shows; the fingerprint is shown to compare in person before saving.
    ShareRecipients {
        /// Saved recipients, oldest first.
        rows: Vec<RecipientRow>,
        /// The form for a new one.
        form: RecipientForm,
        /// The fingerprint of the key in the form, once it reads as a key.
        fingerprint: Option<String>,
        /// Validation messages (each one line).
        errors: Vec<FieldError>,
    },
    /// The safety plan, section by section, with the guided prompts.
    SafetyPlan {
        /// The words before the first section.
        intro: String,
        /// Every section, in order (empty ones while the plan is set aside).
        sections: Vec<PlanSectionRow>,
        /// One line when the plan could not be opened (set aside: damaged, or an older
        /// copy put back) or could not be checked; `None` otherwise.
        notice: Option<String>,
        /// The plan is set aside: offer "delete it and start again" (`RestartSafetyPlan`).
        can_restart: bool,
        /// "Delete it and start again" was asked for: show the confirmation
        /// (`ConfirmRestartSafetyPlan` deletes, `Back` keeps it).
        confirm_restart: bool,
        /// One line when saving failed; `None` otherwise.
        error: Option<String>,
    },
    /// The know-your-rights guides packaged in the app.
    GuideList {
        /// The words above the list.
        intro: String,
        /// Every guide (id, title, summary), in the app's language.
        guides: Vec<crate::app::GuideSummary>,
    },
    /// One guide: its sections, the "not legal advice" line, sources, review date, and the
    /// kinds of help it links to (open a resource with `OpenResource`).
    Guide {
        /// The guide, in the app's language.
        guide: crate::app::GuideText,
    },
}

impl std::fmt::Debug for View {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "View({})", self.name())
    }
}

impl View {
    /// The screen's name (no content): for logs and `Debug`.
    pub fn name(&self) -> &'static str {
        match self {
            View::FirstRunQuickExit { .. } => "first_run_quick_exit",
            View::FirstRunDecoy { .. } => "first_run_decoy",
            View::FirstRunCode { .. } => "first_run_code",
            View::Calculator { .. } => "calculator",
            View::DecoyPage { .. } => "decoy_page",
            View::Unlock { .. } => "unlock",
            View::Home { .. } => "home",
            View::JournalList { .. } => "journal_list",
            View::EntryEditor { .. } => "entry_editor",
            View::EvidenceExport { .. } => "evidence_export",
            View::AppointmentList { .. } => "appointment_list",
            View::AppointmentEditor { .. } => "appointment_editor",
            View::DirectorySearch { .. } => "directory_search",
            View::ResourceDetail { .. } => "resource_detail",
            View::CallWarning { .. } => "call_warning",
            View::SafetySettings { .. } => "safety_settings",
            View::SyncStatus { .. } => "sync_status",
            View::DocumentList { .. } => "document_list",
            View::DocumentEditor { .. } => "document_editor",
            View::ShareRecipients { .. } => "share_recipients",
            View::SafetyPlan { .. } => "safety_plan",
            View::GuideList { .. } => "guide_list",
            View::Guide { .. } => "guide",
        }
    }

    /// Whether this view belongs to the unlocked app (else it is a decoy, unlock or first run).
    pub fn is_private(&self) -> bool {
        !matches!(
            self,
            View::FirstRunQuickExit { .. }
                | View::FirstRunDecoy { .. }
                | View::FirstRunCode { .. }
                | View::Calculator { .. }
                | View::DecoyPage { .. }
                | View::Unlock { .. }
        )
    }
}

/// What the person did.
#[derive(Clone, PartialEq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Intent {
    /// Quick exit: from anywhere, no confirmation.
    QuickExit,
    /// Back.
    Back,
    /// A platform lifecycle event (may lock).
    Lifecycle {
        /// The event.
        event: AppEvent,
    },
    /// First run: go on to the next step.
    Next,
    /// First run or settings: pick a decoy.
    ChooseDecoy {
        /// Which.
        decoy: Decoy,
    },
    /// First run: set the unlock code (typed twice).
    ChooseCode {
        /// The code.
        code: String,
        /// Typed again.
        confirm: String,
    },
    /// A calculator key.
    Calc {
        /// The key.
        key: CalcKey,
    },
    /// A code from another decoy's gesture or the unlock screen.
    SubmitCode {
        /// The code.
        code: String,
    },
    /// Lock now.
    Lock,
    /// Home: open a section.
    Open {
        /// Which.
        destination: Destination,
    },
    /// Journal: search (empty lists everything).
    JournalSearch {
        /// Words.
        query: String,
    },
    /// Journal: new entry.
    NewEntry,
    /// Journal: open an entry in the editor.
    OpenEntry {
        /// Entry id.
        id: String,
    },
    /// Editor: the form changed.
    EditEntry {
        /// The form as typed.
        form: EntryForm,
    },
    /// Editor: attach a file (kept in memory until the entry is saved).
    Attach {
        /// File name.
        name: String,
        /// Media type.
        mime: String,
        /// Content.
        content: Vec<u8>,
    },
    /// Editor: save.
    SaveEntry,
    /// Journal: open evidence export.
    OpenExport,
    /// Export every entry, sealed to a passphrase, to `dest_path`.
    ExportEvidence {
        /// Passphrase for the file.
        passphrase: String,
        /// Typed again.
        confirm: String,
        /// Where to write (a file the shell chose).
        dest_path: String,
    },
    /// Appointments: new.
    NewAppointment,
    /// Appointments: open one.
    OpenAppointment {
        /// Id.
        id: String,
    },
    /// Editor: the form changed.
    EditAppointment {
        /// The form.
        form: AppointmentForm,
    },
    /// Editor: save.
    SaveAppointment,
    /// Directory: search.
    SearchDirectory {
        /// Filters.
        filters: DirectoryFilters,
    },
    /// Directory: open a result.
    OpenResource {
        /// Record id.
        id: String,
    },
    /// Detail: take an action (call, text, web, ...).
    TakeAction {
        /// Its index.
        index: u32,
    },
    /// The call warning: go ahead.
    ConfirmCallWarning,
    /// Settings: the form changed.
    EditSafety {
        /// The form.
        form: SafetyForm,
    },
    /// Settings: save.
    SaveSafety,
    /// The shell opened `launch`.
    LaunchHandled,
    /// Safety plan: write a section (replaces what it held).
    SavePlanSection {
        /// Which section.
        section: crate::safety_plan::Section,
        /// Its items.
        items: Vec<String>,
        /// Its notes (empty: none).
        notes: String,
    },
    /// Safety plan: skip a section for now (what it holds is kept).
    SkipPlanSection {
        /// Which section.
        section: crate::safety_plan::Section,
    },
    /// Safety plan: ask to delete the set-aside plan and start again (shows the confirmation).
    RestartSafetyPlan,
    /// Safety plan: delete the set-aside plan for good; an empty plan starts.
    ConfirmRestartSafetyPlan,
    /// Guides: open one.
    OpenGuide {
        /// The guide's id.
        id: String,
    },
    /// Documents: add one.
    NewDocument,
    /// Documents: open one in the editor.
    OpenDocument {
        /// Document id.
        id: String,
    },
    /// Document editor: the form changed.
    EditDocument {
        /// The form as typed.
        form: DocumentForm,
    },
    /// Document editor: forget its photo or scan on save (`Attach` chooses a new one).
    RemoveDocumentFile,
    /// Document editor: save (details, then the photo or scan chosen or removed).
    SaveDocument,
    /// Document editor: ask to delete the document (shows the confirmation).
    DeleteDocument,
    /// Document editor: delete the document, its photo and its reminders for good.
    ConfirmDeleteDocument,
    /// People I share with: the form changed (typed or pasted).
    EditRecipient {
        /// The form as typed.
        form: RecipientForm,
    },
    /// People I share with: the text a QR code scan read (the shell's camera); fills the
    /// key and shows its fingerprint, or one clear line.
    ScanRecipientKey {
        /// The scanned text, as read.
        text: String,
    },
    /// People I share with: save the person in the form.
    SaveRecipient,
    /// People I share with: remove a saved person.
    RemoveRecipient {
        /// Saved recipient id.
        id: String,
    },
}

struct PendingAttachment {
    name: String,
    mime: String,
    content: Zeroizing<Vec<u8>>,
}

/// What saving the document editor does to the document's photo or scan.
#[derive(Default)]
enum DocumentFileChange {
    /// Leave it as it is.
    #[default]
    Keep,
    /// Set (or replace) it with this content.
    Set(PendingAttachment),
    /// Remove it.
    Remove,
}

struct Inner {
    version: u64,
    stack: Vec<View>,
    launch: Option<String>,
    leave_recents: bool,
    first_run_decoy: Decoy,
    pending_attachments: Vec<PendingAttachment>,
    /// The document editor's unsaved photo or scan change.
    document_file: DocumentFileChange,
    /// The resource whose detail is open (for actions).
    open_actions: Vec<DialAction>,
    /// The action waiting behind the call warning.
    warned_action: Option<usize>,
    call_warning_seen: bool,
    /// This install was set up at some time (see [`install`]).
    set_up: bool,
    /// Quick exits and locks so far: an unlock that was checking a code when one came
    /// must not open the app after it.
    exits: Exits,
}

/// How many quick exits and locks (`Lock`, the app going to the background) came so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Exits {
    quick: u64,
    locks: u64,
}

/// The screen model of one app process.
pub struct ScreenModel {
    core: Arc<Core>,
    disguise: DisguiseController,
    zone: Tz,
    /// The phone's language tag as given (normalised), for directory answers.
    language: String,
    /// The app's words, in the closest shipped language.
    messages: Messages,
    inner: Mutex<Inner>,
}

impl std::fmt::Debug for ScreenModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScreenModel").finish_non_exhaustive()
    }
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

impl ScreenModel {
    /// A model over `core`, formatting in `time_zone` (IANA; UTC if unknown) and speaking
    /// the phone's `language` (BCP 47 as the phone gives it, `es-MX` or `es_MX`): the
    /// app's words in the closest shipped language (else English), directory answers in
    /// the record's text closest to the phone's language.
    pub fn new(core: Arc<Core>, time_zone: &str, language: &str) -> Result<Self> {
        let disguise = core.disguise_controller()?;
        let zone: Tz = time_zone.parse().unwrap_or(Tz::UTC);
        let marker = install::reconcile(&core);
        let messages = Messages::for_tag(language);
        let tag = language.trim().replace('_', "-");
        let model = Self {
            core,
            disguise,
            zone,
            // The directory answers in the phone's own language when a record has it (the
            // directory may carry languages the app's words do not yet); `text::pick`
            // falls back to the primary subtag, then English.
            language: if tag.is_empty()
                || tag.chars().any(|c| !c.is_ascii_alphanumeric() && c != '-')
            {
                messages.lang().tag().to_owned()
            } else {
                tag
            },
            messages,
            inner: Mutex::new(Inner {
                version: 1,
                stack: Vec::new(),
                launch: None,
                leave_recents: false,
                first_run_decoy: Decoy::Calculator,
                pending_attachments: Vec::new(),
                document_file: DocumentFileChange::Keep,
                open_actions: Vec::new(),
                warned_action: None,
                call_warning_seen: marker.call_warning_seen,
                set_up: marker.set_up,
                exits: Exits::default(),
            }),
        };
        let root = model.locked_root()?;
        model.lock_inner().stack = vec![root];
        Ok(model)
    }

    fn lock_inner(&self) -> MutexGuard<'_, Inner> {
        match self.inner.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }

    /// The state now.
    pub fn state(&self) -> AppState {
        let inner = self.lock_inner();
        self.snapshot(&inner)
    }

    /// The messages the model speaks.
    pub fn messages(&self) -> &Messages {
        &self.messages
    }

    /// The version of the state now.
    pub fn version(&self) -> u64 {
        self.lock_inner().version
    }

    fn snapshot(&self, inner: &Inner) -> AppState {
        let view = Self::top_of(inner);
        let (title, labels) = self.title_and_labels(&view, inner.first_run_decoy);
        AppState {
            version: inner.version,
            view,
            can_go_back: inner.stack.len() > 1,
            launch: inner.launch.clone(),
            leave_recents: inner.leave_recents,
            language: self.messages.lang().tag().to_owned(),
            direction: self.messages.direction(),
            title,
            labels,
        }
    }

    fn top_of(inner: &Inner) -> View {
        inner.stack.last().cloned().unwrap_or(View::Calculator {
            display: "0".into(),
        })
    }

    /// The view to show while locked: first run if there is no vault, else the decoy.
    fn locked_root(&self) -> Result<View> {
        let (set_up, decoy) = {
            let inner = self.lock_inner();
            (inner.set_up, inner.first_run_decoy)
        };
        if !set_up && self.core.vault_state()? == VaultState::Uninitialized {
            return Ok(View::FirstRunQuickExit {
                steps: self.first_run_steps(decoy),
            });
        }
        if self.disguise.screen()? == Screen::LockScreen {
            return Ok(View::Unlock { error: None });
        }
        let settings = self.disguise.settings()?;
        Ok(self.decoy_view(settings.decoy))
    }

    /// The first-run steps, naming `decoy` (the one chosen so far).
    fn first_run_steps(&self, decoy: Decoy) -> Vec<TextBlock> {
        onboarding_in(&self.messages, decoy)
            .into_iter()
            .map(|s| TextBlock {
                title: s.title,
                body: s.body,
            })
            .collect()
    }

    fn decoy_view(&self, decoy: Decoy) -> View {
        if decoy == Decoy::Calculator {
            return View::Calculator {
                display: self.calc_display(self.disguise.display().unwrap_or_else(|_| "0".into())),
            };
        }
        let info = decoys_in(&self.messages)
            .into_iter()
            .find(|d| d.kind == decoy);
        View::DecoyPage {
            decoy,
            title: info.as_ref().map(|i| i.title.clone()).unwrap_or_default(),
            lines: info.map(|i| i.content).unwrap_or_default(),
        }
    }

    /// The calculator's display in the app's language: numbers written as the phone's own
    /// calculator writes them, its one word ("Error") from the message files.
    fn calc_display(&self, display: String) -> String {
        calculator_display_in(&self.messages, &display)
    }

    /// Handles one intent and returns the new state. May block (key derivation on unlock
    /// and first-run code): call it off the UI thread. Never fails: a failure becomes a
    /// message on the screen, or (when the vault went away) the decoy.
    pub fn dispatch(&self, intent: Intent) -> AppState {
        if let Intent::QuickExit = intent {
            self.quick_exit();
            return self.state();
        }
        let result = self.handle(intent);
        let mut inner = self.lock_inner();
        if let Err(e) = result {
            match e {
                Error::Locked => {
                    // The vault was locked elsewhere: nothing personal stays.
                    drop(inner);
                    self.reset_locked(false);
                    return self.state();
                }
                other => {
                    if let Some(top) = inner.stack.last_mut() {
                        self.set_error(top, &other);
                    }
                }
            }
        }
        inner.version += 1;
        self.snapshot(&inner)
    }

    /// Quick exit: keys dropped, stack replaced by the decoy, drafts forgotten.
    fn quick_exit(&self) {
        self.lock_inner().exits.quick += 1;
        let outcome = self.disguise.quick_exit().ok();
        // Always the decoy: even when the opt-in wipe left no vault (which would otherwise
        // read as "first run" and show the app's own onboarding).
        let decoy = outcome.as_ref().map_or(Decoy::Calculator, |o| o.decoy);
        let root = self.decoy_view(decoy);
        self.reset_to(root, outcome.as_ref().is_some_and(|o| o.leave_recents));
        if let Some(url) = outcome.and_then(|o| o.exit_url) {
            self.lock_inner().launch = Some(url);
        }
        // A wipe forgets that the call-log warning was read (only that can change here;
        // no platform-key call when there is nothing to forget).
        if self.lock_inner().call_warning_seen {
            let marker = install::reconcile(&self.core);
            let mut inner = self.lock_inner();
            inner.call_warning_seen = marker.call_warning_seen;
            inner.set_up = marker.set_up;
        }
    }

    fn reset_locked(&self, leave_recents: bool) {
        let root = self.locked_root().unwrap_or(View::Calculator {
            display: "0".into(),
        });
        self.reset_to(root, leave_recents);
    }

    fn reset_to(&self, root: View, leave_recents: bool) {
        let mut inner = self.lock_inner();
        inner.stack = vec![root];
        inner.pending_attachments.clear();
        inner.document_file = DocumentFileChange::Keep;
        inner.open_actions.clear();
        inner.warned_action = None;
        inner.launch = None;
        inner.leave_recents = leave_recents;
        inner.version += 1;
    }

    fn top(&self) -> View {
        Self::top_of(&self.lock_inner())
    }

    fn push(&self, view: View) {
        self.lock_inner().stack.push(view);
    }

    fn replace_top(&self, view: View) {
        let mut inner = self.lock_inner();
        inner.stack.pop();
        inner.stack.push(view);
    }

    /// Whether a quick exit or a lock came after `exits` was read.
    fn exited_since(&self, exits: Exits) -> bool {
        self.lock_inner().exits != exits
    }

    /// Home after a code opened the vault, unless a quick exit or a lock came while the
    /// code was being checked (the key derivation takes about a second, and shells
    /// dispatch from more than one thread): then it wins, the keys are dropped again and
    /// the locked screen it showed stays. A lock drops them as a lock does (never the
    /// quick exit's opt-in wipe).
    fn unlocked(&self, exits: Exits) -> Result<()> {
        let now = self.lock_inner().exits;
        if now == exits {
            self.show_home();
        } else if now.quick != exits.quick {
            self.disguise.quick_exit()?;
        } else {
            self.disguise.lock()?;
        }
        Ok(())
    }

    fn show_home(&self) {
        let mut inner = self.lock_inner();
        inner.stack = vec![View::Home {
            error: None,
            destinations: vec![
                Destination::Journal,
                Destination::Appointments,
                Destination::Directory,
                Destination::SafetySettings,
                Destination::SyncStatus,
                Destination::Documents,
                Destination::SafetyPlan,
                Destination::Guides,
                Destination::Sharing,
            ],
        }];
        inner.leave_recents = false;
    }

    fn handle(&self, intent: Intent) -> Result<()> {
        {
            let mut inner = self.lock_inner();
            inner.leave_recents = false;
        }
        let top = self.top();
        let exits = self.lock_inner().exits;
        match intent {
            Intent::QuickExit => self.quick_exit(),
            Intent::LaunchHandled => self.lock_inner().launch = None,
            Intent::Back => self.back(),
            Intent::Lifecycle { event } => {
                if event == AppEvent::Background {
                    self.lock_inner().exits.locks += 1;
                }
                if self.disguise.app_event(event)? != Screen::App && top.is_private() {
                    self.reset_locked(false);
                }
            }
            Intent::Lock => {
                self.lock_inner().exits.locks += 1;
                self.disguise.lock()?;
                self.reset_locked(false);
            }
            Intent::Next => {
                if let View::FirstRunQuickExit { .. } = top {
                    let chosen = self.lock_inner().first_run_decoy;
                    self.push(View::FirstRunDecoy {
                        options: self.decoy_options(chosen),
                    });
                } else if let View::FirstRunDecoy { .. } = top {
                    self.push(View::FirstRunCode { error: None });
                }
            }
            Intent::ChooseDecoy { decoy } => match top {
                View::FirstRunDecoy { .. } => {
                    // The steps behind (Back) name the decoy chosen now.
                    let steps = self.first_run_steps(decoy);
                    let mut inner = self.lock_inner();
                    inner.first_run_decoy = decoy;
                    for view in &mut inner.stack {
                        if let View::FirstRunQuickExit { steps: shown } = view {
                            shown.clone_from(&steps);
                        }
                    }
                    drop(inner);
                    self.replace_top(View::FirstRunDecoy {
                        options: self.decoy_options(decoy),
                    });
                }
                View::SafetySettings {
                    mut form,
                    alias_choices,
                    ..
                } => {
                    form.decoy = decoy;
                    self.replace_top(View::SafetySettings {
                        form,
                        alias_choices,
                        errors: Vec::new(),
                        saved: false,
                    });
                }
                _ => {}
            },
            Intent::ChooseCode { code, confirm } => {
                let (code, confirm) = (Zeroizing::new(code), Zeroizing::new(confirm));
                if let View::FirstRunCode { .. } = top {
                    self.choose_code(&code, &confirm, exits)?;
                }
            }
            Intent::Calc { key } => {
                if let View::Calculator { .. } = top {
                    let out = self.disguise.press(key)?;
                    let screen = if out.unlock_pending {
                        self.disguise.attempt_unlock()?
                    } else {
                        Screen::Decoy
                    };
                    if screen == Screen::App {
                        self.unlocked(exits)?;
                    } else if !self.exited_since(exits) {
                        self.replace_top(View::Calculator {
                            display: self.calc_display(self.disguise.display()?),
                        });
                    }
                }
            }
            Intent::SubmitCode { code } => {
                if matches!(top, View::DecoyPage { .. } | View::Unlock { .. }) {
                    match self.disguise.submit_code(code)? {
                        Screen::App => self.unlocked(exits)?,
                        _ if self.exited_since(exits) => {}
                        _ if matches!(top, View::Unlock { .. }) => self.replace_top(View::Unlock {
                            error: Some(self.messages.tr("unlock-wrong")),
                        }),
                        _ => {}
                    }
                }
            }
            other => {
                // Private intents do nothing on a decoy, first-run or unlock screen; on a
                // private screen whose vault was locked elsewhere they reset to the decoy.
                if !top.is_private() {
                    return Ok(());
                }
                if !self.core.is_unlocked()? {
                    return Err(Error::Locked);
                }
                self.handle_private(other, top)?;
            }
        }
        Ok(())
    }

    fn back(&self) {
        let mut inner = self.lock_inner();
        // Back from the delete confirmation keeps the document and the editor.
        if let Some(View::DocumentEditor { confirm_delete, .. }) = inner.stack.last_mut() {
            if *confirm_delete {
                *confirm_delete = false;
                return;
            }
        }
        // Back from "delete the set-aside plan?" keeps it (and the plan screen).
        if let Some(View::SafetyPlan {
            confirm_restart, ..
        }) = inner.stack.last_mut()
        {
            if *confirm_restart {
                *confirm_restart = false;
                return;
            }
        }
        if inner.stack.len() > 1 {
            let left = inner.stack.pop();
            if matches!(left, Some(View::EntryEditor { .. })) {
                inner.pending_attachments.clear();
            }
            if matches!(left, Some(View::DocumentEditor { .. })) {
                inner.document_file = DocumentFileChange::Keep;
            }
            if matches!(left, Some(View::ResourceDetail { .. })) {
                inner.open_actions.clear();
            }
            if matches!(left, Some(View::CallWarning { .. })) {
                inner.warned_action = None;
            }
        }
        drop(inner);
        // A list shown again is read again (it may have changed below it).
        let _ = self.refresh_top();
    }

    fn refresh_top(&self) -> Result<()> {
        match self.top() {
            View::Home { destinations, .. } => self.replace_top(View::Home {
                destinations,
                error: None,
            }),
            View::JournalList { query, .. } => self.replace_top(self.journal_list(query)?),
            View::AppointmentList { .. } => self.replace_top(self.appointment_list()?),
            View::DocumentList { .. } => self.replace_top(self.document_list()?),
            View::SafetyPlan { .. } => self.replace_top(self.safety_plan_view()?),
            _ => {}
        }
        Ok(())
    }

    fn choose_code(&self, code: &str, confirm: &str, exits: Exits) -> Result<()> {
        let error = if code.chars().count() < MIN_CODE_DIGITS
            || !code.chars().all(|c| c.is_ascii_digit())
        {
            Some(
                self.messages
                    .tr_args("error-code-short", &[("count", MIN_CODE_DIGITS.into())]),
            )
        } else if code != confirm {
            Some(self.messages.tr("error-code-mismatch"))
        } else {
            None
        };
        if let Some(error) = error {
            self.replace_top(View::FirstRunCode { error: Some(error) });
            return Ok(());
        }
        self.core.setup(code.to_owned())?;
        {
            let mut inner = self.lock_inner();
            inner.set_up = true;
            inner.call_warning_seen = false;
        }
        install::save(
            &self.core,
            install::InstallMarker {
                set_up: true,
                call_warning_seen: false,
            },
        )?;
        let decoy = self.lock_inner().first_run_decoy;
        let settings = Settings {
            decoy,
            ..self.core.disguise_settings()?
        };
        self.core.set_disguise_settings(&settings)?;
        self.disguise.reload_settings()?;
        // The controller learns of the open vault the way every unlock does.
        self.core.lock();
        if self.disguise.submit_code(code.to_owned())? == Screen::App {
            self.unlocked(exits)?;
        }
        Ok(())
    }

    fn handle_private(&self, intent: Intent, top: View) -> Result<()> {
        match intent {
            Intent::Open { destination } => {
                // An earlier failure's message goes; a new one replaces it.
                if let View::Home { destinations, .. } = top {
                    self.replace_top(View::Home {
                        destinations,
                        error: None,
                    });
                }
                let view = match destination {
                    Destination::Journal => self.journal_list(String::new())?,
                    Destination::Appointments => self.appointment_list()?,
                    Destination::Directory => self.directory_search(DirectoryFilters::default())?,
                    Destination::SafetySettings => self.safety_view()?,
                    Destination::SyncStatus => self.sync_view()?,
                    Destination::Documents => self.document_list()?,
                    Destination::SafetyPlan => self.safety_plan_view()?,
                    Destination::Guides => self.guide_list_view()?,
                    Destination::Sharing => {
                        self.recipients_view(RecipientForm::default(), None, Vec::new())?
                    }
                };
                self.push(view);
            }
            Intent::JournalSearch { query } => {
                if let View::JournalList { .. } = top {
                    self.replace_top(self.journal_list(query)?);
                }
            }
            Intent::NewEntry => {
                self.lock_inner().pending_attachments.clear();
                self.push(View::EntryEditor {
                    entry_id: None,
                    form: EntryForm::default(),
                    attachments: Vec::new(),
                    errors: Vec::new(),
                });
            }
            Intent::OpenEntry { id } => {
                let e = self.core.journal_get(id)?;
                self.lock_inner().pending_attachments.clear();
                self.push(View::EntryEditor {
                    entry_id: Some(e.id.clone()),
                    form: EntryForm {
                        title: e.title.clone(),
                        body: e.body.clone(),
                        happened: e
                            .happened_at_ms
                            .map(|ms| format::input_local(ms, self.zone))
                            .unwrap_or_default(),
                        mood: e.mood.clone().unwrap_or_default(),
                        tags: e.tags.join(", "),
                        place: e.place.clone().unwrap_or_default(),
                    },
                    attachments: e.attachments.iter().map(|a| a.name.clone()).collect(),
                    errors: Vec::new(),
                });
            }
            Intent::EditEntry { form } => {
                if let View::EntryEditor {
                    entry_id,
                    attachments,
                    ..
                } = top
                {
                    self.replace_top(View::EntryEditor {
                        entry_id,
                        form,
                        attachments,
                        errors: Vec::new(),
                    });
                }
            }
            Intent::Attach {
                name,
                mime,
                content,
            } => {
                let content = Zeroizing::new(content);
                if let View::DocumentEditor { .. } = top {
                    return self.attach_document_file(top, name, mime, content);
                }
                if let View::EntryEditor {
                    entry_id,
                    form,
                    mut attachments,
                    ..
                } = top
                {
                    let name = name.trim().to_owned();
                    if name.is_empty() || content.is_empty() {
                        self.replace_top(View::EntryEditor {
                            entry_id,
                            form,
                            attachments,
                            errors: vec![self.field_error("attachment", mid!("error-file-empty"))],
                        });
                        return Ok(());
                    }
                    attachments.push(name.clone());
                    self.lock_inner()
                        .pending_attachments
                        .push(PendingAttachment {
                            name,
                            mime,
                            content,
                        });
                    self.replace_top(View::EntryEditor {
                        entry_id,
                        form,
                        attachments,
                        errors: Vec::new(),
                    });
                }
            }
            Intent::SaveEntry => {
                if let View::EntryEditor {
                    entry_id,
                    form,
                    attachments,
                    ..
                } = top
                {
                    match self.entry_draft(&form) {
                        Err(errors) => self.replace_top(View::EntryEditor {
                            entry_id,
                            form,
                            attachments,
                            errors,
                        }),
                        Ok(draft) => {
                            let saved = match entry_id {
                                Some(id) => self.core.journal_edit(id, draft)?,
                                None => self.core.journal_add(draft)?,
                            };
                            let pending =
                                std::mem::take(&mut self.lock_inner().pending_attachments);
                            for p in pending {
                                self.core.journal_attach_bytes(
                                    saved.id.clone(),
                                    p.content.to_vec(),
                                    p.name,
                                    p.mime,
                                )?;
                            }
                            self.lock_inner().stack.pop();
                            self.refresh_top()?;
                        }
                    }
                }
            }
            Intent::OpenExport => self.push(View::EvidenceExport {
                errors: Vec::new(),
                done: None,
            }),
            Intent::ExportEvidence {
                passphrase,
                confirm,
                dest_path,
            } => {
                let (passphrase, confirm) = (Zeroizing::new(passphrase), Zeroizing::new(confirm));
                if let View::EvidenceExport { .. } = top {
                    let mut errors = Vec::new();
                    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
                        errors.push(self.field_error_args(
                            "passphrase",
                            mid!("error-passphrase-short"),
                            &[("count", MIN_PASSPHRASE_CHARS.into())],
                        ));
                    } else if *passphrase != *confirm {
                        errors.push(self.field_error("confirm", mid!("error-passphrase-mismatch")));
                    }
                    if dest_path.trim().is_empty() {
                        errors.push(self.field_error("destination", mid!("error-destination")));
                    }
                    let done = if errors.is_empty() {
                        let s = self
                            .core
                            .journal_export_to_passphrase(passphrase.to_string(), dest_path)?;
                        Some(self.messages.tr_args(
                            "export-done",
                            &[
                                ("entries", s.entries.into()),
                                ("attachments", s.attachments.into()),
                            ],
                        ))
                    } else {
                        None
                    };
                    self.replace_top(View::EvidenceExport { errors, done });
                }
            }
            Intent::NewAppointment => {
                self.push(self.appointment_editor(None, AppointmentForm::default(), Vec::new()))
            }
            Intent::OpenAppointment { id } => {
                let a = self.core.appointment_get(id)?;
                let form = self.appointment_form(&a.draft);
                self.push(self.appointment_editor(Some(a.id), form, Vec::new()));
            }
            Intent::EditAppointment { form } => {
                if let View::AppointmentEditor { appointment_id, .. } = top {
                    self.replace_top(self.appointment_editor(appointment_id, form, Vec::new()));
                }
            }
            Intent::SaveAppointment => {
                if let View::AppointmentEditor {
                    appointment_id,
                    form,
                    ..
                } = top
                {
                    match self.appointment_draft(&form) {
                        Err(errors) => {
                            self.replace_top(self.appointment_editor(appointment_id, form, errors))
                        }
                        Ok(draft) => {
                            match appointment_id {
                                Some(id) => {
                                    self.core.appointment_edit(id, draft)?;
                                }
                                None => {
                                    self.core.appointment_add(draft)?;
                                }
                            }
                            self.lock_inner().stack.pop();
                            self.refresh_top()?;
                        }
                    }
                }
            }
            Intent::SearchDirectory { filters } => {
                if let View::DirectorySearch { .. } = top {
                    self.replace_top(self.directory_search(filters)?);
                }
            }
            Intent::OpenResource { id } => {
                let r = self.core.directory_show(&id, &self.language)?;
                let detail = self.resource_detail(&r);
                self.lock_inner().open_actions = r.actions.clone();
                self.push(View::ResourceDetail { detail });
            }
            Intent::TakeAction { index } => {
                if let View::ResourceDetail { detail } = top {
                    let mut inner = self.lock_inner();
                    let i = index as usize;
                    let Some(action) = inner.open_actions.get(i).cloned() else {
                        return Ok(());
                    };
                    let leaves_log = matches!(
                        action.kind,
                        ActionKind::Call | ActionKind::Text | ActionKind::Tty
                    );
                    if leaves_log && !inner.call_warning_seen {
                        inner.warned_action = Some(i);
                        let row = detail.actions.get(i).cloned().unwrap_or(ActionRow {
                            index,
                            label: String::new(),
                            display: String::new(),
                            note: None,
                        });
                        inner.stack.push(View::CallWarning {
                            text: self.messages.tr(CALL_LOG_WARNING_ID),
                            action: row,
                        });
                    } else {
                        inner.launch = Some(action.uri);
                    }
                }
            }
            Intent::ConfirmCallWarning => {
                if let View::CallWarning { .. } = top {
                    {
                        let mut inner = self.lock_inner();
                        inner.call_warning_seen = true;
                        inner.stack.pop();
                        if let Some(i) = inner.warned_action.take() {
                            inner.launch = inner.open_actions.get(i).map(|a| a.uri.clone());
                        }
                    }
                    // Once per install (saved with no model lock held: the platform key is
                    // a foreign call). If it cannot be saved, it shows again next start.
                    let _ = install::save(
                        &self.core,
                        install::InstallMarker {
                            set_up: true,
                            call_warning_seen: true,
                        },
                    );
                }
            }
            Intent::EditSafety { form } => {
                if let View::SafetySettings { alias_choices, .. } = top {
                    self.replace_top(View::SafetySettings {
                        form,
                        alias_choices,
                        errors: Vec::new(),
                        saved: false,
                    });
                }
            }
            Intent::SavePlanSection {
                section,
                items,
                notes,
            } => {
                if let View::SafetyPlan { .. } = top {
                    let notes = (!notes.trim().is_empty()).then_some(notes);
                    self.core.safety_plan_set_section(
                        section,
                        crate::safety_plan::SectionContent { items, notes },
                    )?;
                    self.refresh_top()?;
                }
            }
            Intent::NewDocument => {
                if let View::DocumentList { .. } = top {
                    self.lock_inner().document_file = DocumentFileChange::Keep;
                    self.push(self.document_editor(None, DocumentForm::default(), None));
                }
            }
            Intent::OpenDocument { id } => {
                if let View::DocumentList { .. } = top {
                    let d = self.core.documents_get(id)?;
                    self.lock_inner().document_file = DocumentFileChange::Keep;
                    let form = document_form(&d.draft);
                    let file = d.file.as_ref().map(|f| f.name.clone());
                    self.push(self.document_editor(Some(d.id), form, file));
                }
            }
            Intent::EditDocument { form } => {
                if let View::DocumentEditor {
                    document_id, file, ..
                } = top
                {
                    // An unsaved file change stays (the editor shows it).
                    self.replace_top(self.document_editor(document_id, form, file));
                }
            }
            Intent::RemoveDocumentFile => {
                if let View::DocumentEditor {
                    document_id, form, ..
                } = top
                {
                    self.lock_inner().document_file = DocumentFileChange::Remove;
                    self.replace_top(self.document_editor(document_id, form, None));
                }
            }
            Intent::SaveDocument => {
                if let View::DocumentEditor { .. } = top {
                    self.save_document(top)?;
                }
            }
            Intent::DeleteDocument => {
                if let View::DocumentEditor {
                    document_id: Some(_),
                    ..
                } = top
                {
                    let mut view = top;
                    if let View::DocumentEditor { confirm_delete, .. } = &mut view {
                        *confirm_delete = true;
                    }
                    self.replace_top(view);
                }
            }
            Intent::ConfirmDeleteDocument => {
                if let View::DocumentEditor {
                    document_id: Some(id),
                    confirm_delete: true,
                    ..
                } = top
                {
                    self.core.documents_delete(id)?;
                    let mut inner = self.lock_inner();
                    inner.document_file = DocumentFileChange::Keep;
                    inner.stack.pop();
                    drop(inner);
                    self.refresh_top()?;
                }
            }
            Intent::EditRecipient { form } => {
                if let View::ShareRecipients { .. } = top {
                    let fingerprint = crate::sharing::read_scanned_key(&form.key)
                        .ok()
                        .map(|k| k.fingerprint);
                    self.replace_top(self.recipients_view(form, fingerprint, Vec::new())?);
                }
            }
            Intent::ScanRecipientKey { text } => {
                if let View::ShareRecipients { form, .. } = top {
                    let view = match crate::sharing::read_scanned_key(&text) {
                        Ok(k) => self.recipients_view(
                            RecipientForm { key: k.key, ..form },
                            Some(k.fingerprint),
                            Vec::new(),
                        )?,
                        // The form keeps what it held; nothing of the scan is echoed.
                        Err(_) => self.recipients_view(
                            form,
                            None,
                            vec![self.field_error("key", mid!("error-key-unreadable"))],
                        )?,
                    };
                    self.replace_top(view);
                }
            }
            Intent::SaveRecipient => {
                if let View::ShareRecipients { form, .. } = top {
                    let key = crate::sharing::read_scanned_key(&form.key);
                    let mut errors = Vec::new();
                    if form.label.trim().is_empty() {
                        errors.push(self.field_error("label", mid!("error-recipient-label")));
                    } else if form.label.len() > crate::sharing::MAX_LABEL {
                        errors.push(self.field_error_args(
                            "label",
                            mid!("error-doc-too-long"),
                            &[("count", crate::sharing::MAX_LABEL.into())],
                        ));
                    }
                    if key.is_err() {
                        errors.push(self.field_error("key", mid!("error-key-unreadable")));
                    }
                    let view = match key {
                        Ok(k) if errors.is_empty() => {
                            self.core.sharing_add_recipient(form.label.clone(), k.key)?;
                            self.recipients_view(RecipientForm::default(), None, Vec::new())?
                        }
                        k => {
                            let fingerprint = k.ok().map(|k| k.fingerprint);
                            self.recipients_view(form, fingerprint, errors)?
                        }
                    };
                    self.replace_top(view);
                }
            }
            Intent::RemoveRecipient { id } => {
                if let View::ShareRecipients {
                    form, fingerprint, ..
                } = top
                {
                    self.core.sharing_remove_recipient(id)?;
                    self.replace_top(self.recipients_view(form, fingerprint, Vec::new())?);
                }
            }
            Intent::OpenGuide { id } => {
                if let View::GuideList { .. } = top {
                    let guide = self.core.guide_show_in(&id, &self.messages)?;
                    self.push(View::Guide { guide });
                }
            }
            Intent::SkipPlanSection { section } => {
                if let View::SafetyPlan { .. } = top {
                    self.core.safety_plan_skip_section(section)?;
                    self.refresh_top()?;
                }
            }
            Intent::RestartSafetyPlan => {
                if let View::SafetyPlan {
                    can_restart: true, ..
                } = top
                {
                    let mut view = top;
                    if let View::SafetyPlan {
                        confirm_restart, ..
                    } = &mut view
                    {
                        *confirm_restart = true;
                    }
                    self.replace_top(view);
                }
            }
            Intent::ConfirmRestartSafetyPlan => {
                // Only a plan that is set aside, and only after the confirmation.
                if let View::SafetyPlan {
                    can_restart: true,
                    confirm_restart: true,
                    ..
                } = top
                {
                    self.core.safety_plan_delete()?;
                    self.refresh_top()?;
                }
            }
            Intent::SaveSafety => {
                if let View::SafetySettings {
                    form,
                    alias_choices,
                    ..
                } = top
                {
                    let errors = self.save_safety(&form, &alias_choices)?;
                    let saved = errors.is_empty();
                    let form = SafetyForm {
                        duress_code: String::new(),
                        ..form
                    };
                    self.replace_top(View::SafetySettings {
                        form,
                        alias_choices,
                        errors,
                        saved,
                    });
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn journal_list(&self, query: String) -> Result<View> {
        let entries = if query.trim().is_empty() {
            self.core.journal_list(EntryFilter::default())?
        } else {
            self.core.journal_search(query.clone())?
        };
        let rows = entries
            .iter()
            .map(|e| EntryRow {
                id: e.id.clone(),
                title: if e.title.trim().is_empty() {
                    e.body.chars().take(40).collect()
                } else {
                    e.title.clone()
                },
                time_text: format_local(
                    &self.messages,
                    e.happened_at_ms.unwrap_or(e.written_at_ms),
                    self.zone,
                ),
                attachments: u32::try_from(e.attachments.len()).unwrap_or(u32::MAX),
            })
            .collect();
        let damaged = self.core.journal_damaged_count()?;
        let notice = (damaged > 0).then(|| {
            self.messages
                .tr_args("journal-set-aside", &[("count", damaged.into())])
        });
        Ok(View::JournalList {
            query,
            rows,
            notice,
        })
    }

    /// The draft of `form`, or the messages to show.
    fn entry_draft(&self, form: &EntryForm) -> std::result::Result<EntryDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        if form.title.trim().is_empty() && form.body.trim().is_empty() {
            errors.push(self.field_error("body", mid!("error-entry-empty")));
        }
        if form.title.chars().count() > MAX_TITLE_CHARS {
            errors.push(self.field_error_args(
                "title",
                mid!("error-title-long"),
                &[("count", MAX_TITLE_CHARS.into())],
            ));
        }
        let mut happened_at_ms = None;
        if !form.happened.trim().is_empty() {
            match format::parse_local(form.happened.trim(), self.zone) {
                None => errors.push(self.field_error("happened", mid!("error-datetime-form"))),
                Some(ms) if ms > self.core.now_ms() => {
                    errors.push(self.field_error("happened", mid!("error-future")))
                }
                Some(ms) => happened_at_ms = Some(ms),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(EntryDraft {
            title: form.title.trim().to_owned(),
            body: form.body.clone(),
            happened_at_ms,
            mood: opt(&form.mood),
            tags: form.tags.split(',').filter_map(opt).collect(),
            place: opt(&form.place),
            people: Vec::new(),
            case_details: Default::default(),
        })
    }

    fn appointment_list(&self) -> Result<View> {
        let mut list = self.core.appointment_list()?;
        list.sort_by(|a, b| a.draft.start_local.cmp(&b.draft.start_local));
        let rows = list
            .iter()
            .map(|a| AppointmentRow {
                id: a.id.clone(),
                title: a.draft.title.clone(),
                time_text: format::appointment_when(&self.messages, &a.draft, self.zone),
                reminders: a
                    .draft
                    .reminder_offsets_minutes
                    .iter()
                    .map(|m| format::offset_label(&self.messages, *m))
                    .collect::<Vec<_>>()
                    .join(&self.messages.tr("list-separator")),
            })
            .collect();
        Ok(View::AppointmentList { rows })
    }

    fn appointment_form(&self, d: &AppointmentDraft) -> AppointmentForm {
        let (date, time) = match d.start_local.split_once('T') {
            Some((date, time)) => (date.to_owned(), time.to_owned()),
            None => (d.start_local.clone(), String::new()),
        };
        AppointmentForm {
            title: d.title.clone(),
            kind: d.kind,
            date,
            time,
            duration_minutes: d
                .duration_minutes
                .map(|m| m.to_string())
                .unwrap_or_default(),
            place: d.place.clone().unwrap_or_default(),
            repeat: match d.rrule.as_deref().unwrap_or("") {
                r if r.contains("FREQ=DAILY") => Repeat::Daily,
                r if r.contains("FREQ=WEEKLY") => Repeat::Weekly,
                r if r.contains("FREQ=MONTHLY") => Repeat::Monthly,
                _ => Repeat::Never,
            },
            reminder_minutes: d.reminder_offsets_minutes.clone(),
        }
    }

    fn appointment_draft(
        &self,
        form: &AppointmentForm,
    ) -> std::result::Result<AppointmentDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        if form.title.trim().is_empty() {
            errors.push(self.field_error("title", mid!("error-name-empty")));
        }
        let date = NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d").ok();
        if date.is_none() {
            errors.push(self.field_error("date", mid!("error-date-form")));
        }
        let all_day = form.time.trim().is_empty();
        let time = if all_day {
            None
        } else {
            let t = NaiveTime::parse_from_str(form.time.trim(), "%H:%M").ok();
            if t.is_none() {
                errors.push(self.field_error("time", mid!("error-time-form")));
            }
            t
        };
        let duration_minutes = if form.duration_minutes.trim().is_empty() {
            None
        } else {
            match form.duration_minutes.trim().parse::<u32>() {
                Ok(m) if (1..=MAX_DURATION_MINUTES).contains(&m) => Some(m),
                _ => {
                    errors.push(self.field_error_args(
                        "duration",
                        mid!("error-duration"),
                        &[("max", MAX_DURATION_MINUTES.into())],
                    ));
                    None
                }
            }
        };
        let mut offsets = form.reminder_minutes.clone();
        offsets.sort_unstable_by(|a, b| b.cmp(a));
        offsets.dedup();
        if offsets.len() > MAX_REMINDERS {
            errors.push(self.field_error_args(
                "reminders",
                mid!("error-reminders-many"),
                &[("count", MAX_REMINDERS.into())],
            ));
        }
        if offsets.iter().any(|m| *m > MAX_REMINDER_MINUTES) {
            errors.push(self.field_error_args(
                "reminders",
                mid!("error-reminder-far"),
                &[("days", (MAX_REMINDER_MINUTES / 1440).into())],
            ));
        }
        if let (Some(d), Some(t)) = (date, time) {
            let local = NaiveDateTime::new(d, t);
            if self.zone.from_local_datetime(&local).earliest().is_none() {
                errors.push(self.field_error("time", mid!("error-time-missing")));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let date = date.unwrap_or_default();
        let start_local = match time {
            Some(t) => format!("{}T{}", date.format("%Y-%m-%d"), t.format("%H:%M")),
            None => date.format("%Y-%m-%d").to_string(),
        };
        Ok(AppointmentDraft {
            title: form.title.trim().to_owned(),
            kind: form.kind,
            start_local,
            time_zone: self.zone.name().to_owned(),
            all_day,
            duration_minutes,
            place: opt(&form.place),
            resource_id: None,
            notes: None,
            reminder_offsets_minutes: offsets,
            rrule: match form.repeat {
                Repeat::Never => None,
                Repeat::Daily => Some("FREQ=DAILY".into()),
                Repeat::Weekly => Some("FREQ=WEEKLY".into()),
                Repeat::Monthly => Some("FREQ=MONTHLY".into()),
            },
            exceptions: Vec::new(),
        })
    }

    fn directory_search(&self, filters: DirectoryFilters) -> Result<View> {
        let categories = filters
            .categories
            .iter()
            .filter_map(|c| serde_json::from_value(serde_json::Value::String(c.clone())).ok())
            .collect();
        let query = Query {
            text: filters.text.clone(),
            categories,
            spoken_language: filters.spoken_language.clone(),
            open_now: filters.open_now,
            free: filters.free,
            user_language: self.language.clone(),
            ..Query::default()
        };
        let rows = self
            .core
            .directory_search(&query)?
            .iter()
            .map(|r| ResourceRow {
                id: r.id.clone(),
                name: r.name.clone(),
                organization: r.organization.clone(),
                hours: self.hours_label(r),
            })
            .collect();
        Ok(View::DirectorySearch { filters, rows })
    }

    fn safety_view(&self) -> Result<View> {
        let s = self.disguise.settings()?;
        Ok(View::SafetySettings {
            form: SafetyForm {
                decoy: s.decoy,
                launcher_alias: s.launcher_alias.clone(),
                auto_lock_minutes: s.auto_lock_s / 60,
                screenshot_blocking: s.screenshot_blocking,
                quick_exit_wipes: s.quick_exit_wipes,
                wipe_after_failures: None,
                duress_code: String::new(),
            },
            alias_choices: crate::app::disguise::disguise_launcher_aliases(
                &s,
                self.messages.lang().tag(),
            )
            .into_iter()
            .map(|a| a.id)
            .collect(),
            errors: Vec::new(),
            saved: false,
        })
    }

    fn save_safety(&self, form: &SafetyForm, aliases: &[String]) -> Result<Vec<FieldError>> {
        let mut errors = Vec::new();
        if !aliases.contains(&form.launcher_alias) {
            errors.push(self.field_error("launcher_alias", mid!("error-icon")));
        }
        if form.auto_lock_minutes > MAX_AUTO_LOCK_MINUTES {
            errors.push(self.field_error_args(
                "auto_lock",
                mid!("error-auto-lock"),
                &[("max", MAX_AUTO_LOCK_MINUTES.into())],
            ));
        }
        if let Some(n) = form.wipe_after_failures {
            if !WIPE_AFTER_RANGE.contains(&n) {
                errors.push(self.field_error_args(
                    "wipe_after",
                    mid!("error-wipe-after"),
                    &[
                        ("min", (*WIPE_AFTER_RANGE.start()).into()),
                        ("max", (*WIPE_AFTER_RANGE.end()).into()),
                    ],
                ));
            }
        }
        let duress = Zeroizing::new(form.duress_code.trim().to_owned());
        if !duress.is_empty()
            && (duress.chars().count() < MIN_CODE_DIGITS
                || !duress.chars().all(|c| c.is_ascii_digit()))
        {
            errors.push(self.field_error_args(
                "duress",
                mid!("error-duress-short"),
                &[("count", MIN_CODE_DIGITS.into())],
            ));
        }
        if !errors.is_empty() {
            return Ok(errors);
        }
        let settings = Settings {
            decoy: form.decoy,
            launcher_alias: form.launcher_alias.clone(),
            auto_lock_s: form.auto_lock_minutes * 60,
            screenshot_blocking: form.screenshot_blocking,
            quick_exit_wipes: form.quick_exit_wipes,
            ..self.disguise.settings()?
        };
        self.disguise.set_settings(&settings)?;
        self.core
            .set_wipe_after_failures(form.wipe_after_failures)?;
        if !duress.is_empty() {
            self.core.set_duress_passphrase(duress.to_string(), false)?;
        }
        Ok(errors)
    }

    fn document_list(&self) -> Result<View> {
        let m = &self.messages;
        // "Today" from the injected clock, in the survivor's zone.
        let today = chrono::DateTime::from_timestamp_millis(self.core.now_ms())
            .unwrap_or_default()
            .with_timezone(&self.zone)
            .date_naive();
        let rows = self
            .core
            .documents_list()?
            .iter()
            .map(|d| DocumentRow {
                id: d.id.clone(),
                kind_text: m.tr(d.draft.doc_type.label_id()),
                label: d.draft.label.clone().unwrap_or_default(),
                expiry_text: d
                    .draft
                    .expires_on
                    .as_deref()
                    .and_then(|e| NaiveDate::parse_from_str(e, "%Y-%m-%d").ok())
                    .map(|e| {
                        let days = (e - today).num_days();
                        if days < 0 {
                            m.tr("doc-expired")
                        } else {
                            m.tr_args("doc-expires-in", &[("days", days.into())])
                        }
                    })
                    .unwrap_or_default(),
                has_file: d.file.is_some(),
            })
            .collect();
        let damaged = self.core.documents_damaged_count()?;
        let notice =
            (damaged > 0).then(|| m.tr_args("doc-set-aside", &[("count", damaged.into())]));
        Ok(View::DocumentList { rows, notice })
    }

    fn document_editor(
        &self,
        document_id: Option<String>,
        form: DocumentForm,
        file: Option<String>,
    ) -> View {
        // A photo or scan chosen (or removed) and not yet saved is what the editor shows.
        let (file, file_changed) = match &self.lock_inner().document_file {
            DocumentFileChange::Keep => (file, false),
            DocumentFileChange::Set(p) => (Some(p.name.clone()), true),
            DocumentFileChange::Remove => (None, true),
        };
        View::DocumentEditor {
            document_id,
            reminder_labels: form
                .reminder_days
                .iter()
                .map(|d| {
                    self.messages
                        .tr_args("doc-reminder-days", &[("days", (*d).into())])
                })
                .collect(),
            form,
            file,
            file_changed,
            errors: Vec::new(),
            confirm_delete: false,
        }
    }

    fn document_editor_with_errors(&self, top: View, errors: Vec<FieldError>) -> View {
        let mut view = top;
        if let View::DocumentEditor {
            errors: e,
            confirm_delete,
            ..
        } = &mut view
        {
            *e = errors;
            *confirm_delete = false;
        }
        view
    }

    /// The photo or scan chosen in the document editor: kept in memory until saved.
    fn attach_document_file(
        &self,
        top: View,
        name: String,
        mime: String,
        content: Zeroizing<Vec<u8>>,
    ) -> Result<()> {
        let name = name.trim().to_owned();
        if name.is_empty() || content.is_empty() {
            let errors = vec![self.field_error("file", mid!("error-file-empty"))];
            self.replace_top(self.document_editor_with_errors(top, errors));
            return Ok(());
        }
        let View::DocumentEditor {
            document_id, form, ..
        } = top
        else {
            return Ok(());
        };
        self.lock_inner().document_file = DocumentFileChange::Set(PendingAttachment {
            name,
            mime,
            content,
        });
        self.replace_top(self.document_editor(document_id, form, None));
        Ok(())
    }

    /// Saves the document editor: its details, then the photo or scan change. A new
    /// document that was stored before its file failed stays open as that document, so
    /// trying again changes it instead of adding a second one.
    fn save_document(&self, top: View) -> Result<()> {
        let View::DocumentEditor {
            document_id, form, ..
        } = top.clone()
        else {
            return Ok(());
        };
        let draft = match self.document_draft(&form) {
            Ok(d) => d,
            Err(errors) => {
                self.replace_top(self.document_editor_with_errors(top, errors));
                return Ok(());
            }
        };
        let id = match document_id {
            Some(id) => self.core.documents_edit(id, draft)?.document.id,
            None => {
                let added = self.core.documents_add(draft)?;
                let mut view = top;
                if let View::DocumentEditor { document_id, .. } = &mut view {
                    *document_id = Some(added.id.clone());
                }
                self.replace_top(view);
                added.id
            }
        };
        let change = std::mem::take(&mut self.lock_inner().document_file);
        let done = match change {
            DocumentFileChange::Keep => Ok(()),
            DocumentFileChange::Set(p) => self
                .core
                .documents_set_file_bytes(
                    id.clone(),
                    p.content.to_vec(),
                    p.name.clone(),
                    p.mime.clone(),
                )
                .map(|_| ())
                .inspect_err(|_| {
                    // Still unsaved: the person may try again without choosing it again.
                    self.lock_inner().document_file = DocumentFileChange::Set(p);
                }),
            DocumentFileChange::Remove => self
                .core
                .documents_remove_file(id.clone())
                .map(|_| ())
                .inspect_err(|_| self.lock_inner().document_file = DocumentFileChange::Remove),
        };
        done?;
        self.lock_inner().stack.pop();
        self.refresh_top()
    }

    /// The draft of `form`, or the messages to show (each one line, nothing echoed).
    fn document_draft(
        &self,
        form: &DocumentForm,
    ) -> std::result::Result<crate::documents::DocumentDraft, Vec<FieldError>> {
        use crate::documents::{
            MAX_NOTES_BYTES, MAX_REMINDERS, MAX_REMINDER_DAYS, MAX_SHORT_CHARS,
        };
        let mut errors = Vec::new();
        for (field, value) in [("label", &form.label), ("number", &form.number)] {
            if value.trim().chars().count() > MAX_SHORT_CHARS {
                errors.push(self.field_error_args(
                    field,
                    mid!("error-doc-too-long"),
                    &[("count", MAX_SHORT_CHARS.into())],
                ));
            }
        }
        let country = form.issuing_country.trim();
        let two_letters = country.len() == 2 && country.bytes().all(|b| b.is_ascii_alphabetic());
        if !country.is_empty() && !two_letters {
            errors.push(self.field_error("issuing_country", mid!("error-doc-country")));
        }
        let mut date = |field: &str, value: &str| -> Option<NaiveDate> {
            let value = value.trim();
            if value.is_empty() {
                return None;
            }
            let d = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok();
            if d.is_none() {
                errors.push(self.field_error(field, mid!("error-date-form")));
            }
            d
        };
        let issued = date("issued_on", &form.issued_on);
        let expires = date("expires_on", &form.expires_on);
        if let (Some(i), Some(e)) = (issued, expires) {
            if e < i {
                errors.push(self.field_error("expires_on", mid!("error-doc-expiry-order")));
            }
        }
        if form.notes.len() > MAX_NOTES_BYTES {
            errors.push(self.field_error("notes", mid!("error-doc-notes-long")));
        }
        let mut days = form.reminder_days.clone();
        days.sort_unstable_by(|a, b| b.cmp(a));
        days.dedup();
        if days.len() > MAX_REMINDERS {
            errors.push(self.field_error_args(
                "reminders",
                mid!("error-reminders-many"),
                &[("count", MAX_REMINDERS.into())],
            ));
        } else if days.iter().any(|d| *d == 0 || *d > MAX_REMINDER_DAYS) {
            errors.push(self.field_error_args(
                "reminders",
                mid!("error-doc-reminder-days"),
                &[("max", MAX_REMINDER_DAYS.into())],
            ));
        } else if !days.is_empty() && form.expires_on.trim().is_empty() {
            errors.push(self.field_error("reminders", mid!("error-doc-reminders-need-expiry")));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(crate::documents::DocumentDraft {
            doc_type: form.doc_type,
            label: opt(&form.label),
            number: opt(&form.number),
            issuing_country: opt(country),
            issued_on: opt(&form.issued_on),
            expires_on: opt(&form.expires_on),
            notes: (!form.notes.trim().is_empty()).then(|| form.notes.clone()),
            expiry_reminder_days: days,
            reminder_time_zone: self.zone.name().to_owned(),
        })
    }

    fn recipients_view(
        &self,
        form: RecipientForm,
        fingerprint: Option<String>,
        errors: Vec<FieldError>,
    ) -> Result<View> {
        let rows = self
            .core
            .sharing_list_recipients()?
            .into_iter()
            .map(|r| RecipientRow {
                id: r.id,
                label: r.label,
                fingerprint: r.fingerprint,
            })
            .collect();
        Ok(View::ShareRecipients {
            rows,
            form,
            fingerprint,
            errors,
        })
    }

    fn safety_plan_view(&self) -> Result<View> {
        // A plan that cannot be opened (set aside) shows as empty sections with the notice
        // and the way to start again; nothing of it is written over meanwhile.
        let (plan, set_aside) = match self.core.safety_plan_get() {
            Ok(plan) => (plan, false),
            Err(Error::Corrupt(_)) => (crate::safety_plan::SafetyPlan::empty(), true),
            Err(e) => return Err(e),
        };
        let notice = if set_aside {
            Some(self.messages.tr("plan-set-aside"))
        } else if self.core.safety_plan_damaged_count()? > 0 {
            Some(self.messages.tr("plan-unchecked"))
        } else {
            None
        };
        let guide = self.core.safety_plan_guide_in(&self.messages);
        let sections = guide
            .sections
            .into_iter()
            .map(|g| {
                let written = plan.section(g.section).cloned();
                let (items, notes, skipped) = written
                    .map(|w| (w.content.items, w.content.notes, w.skipped))
                    .unwrap_or_default();
                let status = if skipped {
                    guide.skipped.clone()
                } else if items.is_empty() && notes.is_none() {
                    guide.empty.clone()
                } else {
                    String::new()
                };
                PlanSectionRow {
                    section: g.section,
                    title: g.title,
                    prompt: g.prompt,
                    example: g.example,
                    items,
                    notes: notes.unwrap_or_default(),
                    skipped,
                    status,
                }
            })
            .collect();
        Ok(View::SafetyPlan {
            intro: guide.intro,
            sections,
            notice,
            can_restart: set_aside,
            confirm_restart: false,
            error: None,
        })
    }

    fn guide_list_view(&self) -> Result<View> {
        let list = self.core.guides_list_in(&self.messages)?;
        Ok(View::GuideList {
            intro: list.intro,
            guides: list.guides,
        })
    }

    fn sync_view(&self) -> Result<View> {
        let m = &self.messages;
        let mut lines = Vec::new();
        match self.core.directory_info()? {
            Some(info) => {
                lines.push(m.tr_args("sync-version", &[("version", info.version.into())]))
            }
            None => lines.push(m.tr("sync-none")),
        }
        let report = self.core.directory_sync_status()?;
        match report.last_sync_ms {
            Some(ms) => lines.push(m.tr_args(
                "sync-last",
                &[("when", format_local(m, ms, self.zone).into())],
            )),
            None => lines.push(m.tr("sync-never")),
        }
        if report.stale {
            lines.push(m.tr("sync-stale"));
        }
        Ok(View::SyncStatus { lines })
    }
}

impl ScreenModel {
    /// Puts the one-line message for a failed action on the screen. Error kinds map to
    /// message ids here; the Rust `Error`'s own text (for logs and the CLI) is never shown.
    fn set_error(&self, view: &mut View, e: &Error) {
        let msg = match e {
            // The evidence export's destination folder is gone (removed card, moved folder).
            Error::InvalidInput { field, .. } if field == "out" => {
                self.field_error("destination", mid!("error-folder-missing"))
            }
            Error::InvalidInput { field, .. } => {
                self.field_error(field, mid!("error-not-accepted"))
            }
            Error::NotFound => self.field_error("", mid!("error-not-found")),
            Error::Io(_) | Error::Sqlite(_) => self.field_error("", mid!("error-storage")),
            _ => self.field_error("", mid!("error-generic")),
        };
        match view {
            View::EntryEditor { errors, .. }
            | View::AppointmentEditor { errors, .. }
            | View::DocumentEditor { errors, .. }
            | View::ShareRecipients { errors, .. }
            | View::EvidenceExport { errors, .. }
            // A failure comes after validation passed: it replaces any earlier message.
            | View::SafetySettings { errors, .. } => *errors = vec![msg],
            View::FirstRunCode { error }
            | View::Unlock { error }
            // Opening a section from home failed: one line there, not silence.
            | View::Home { error, .. }
            | View::SafetyPlan { error, .. } => *error = Some(msg.message),
            _ => {}
        }
    }

    fn decoy_options(&self, selected: Decoy) -> Vec<DecoyOption> {
        decoys_in(&self.messages)
            .into_iter()
            .map(|d| DecoyOption {
                decoy: d.kind,
                title: d.title,
                unlock_gesture: d.unlock_gesture,
                selected: d.kind == selected,
            })
            .collect()
    }

    fn appointment_editor(
        &self,
        appointment_id: Option<String>,
        form: AppointmentForm,
        errors: Vec<FieldError>,
    ) -> View {
        View::AppointmentEditor {
            appointment_id,
            reminder_labels: form
                .reminder_minutes
                .iter()
                .map(|m| format::offset_label(&self.messages, *m))
                .collect(),
            form,
            errors,
        }
    }

    fn hours_label(&self, r: &Resource) -> String {
        if r.always_open {
            self.messages.tr("hours-always-open")
        } else {
            match r.open_now {
                Some(true) => self.messages.tr("hours-open-now"),
                Some(false) => self.messages.tr("hours-closed-now"),
                None => String::new(),
            }
        }
    }

    fn resource_detail(&self, r: &Resource) -> ResourceDetail {
        let m = &self.messages;
        ResourceDetail {
            id: r.id.clone(),
            name: r.name.clone(),
            organization: r.organization.clone(),
            description: r.description.clone(),
            addresses: r.addresses.clone(),
            eligibility: r.eligibility.clone(),
            actions: r
                .actions
                .iter()
                .enumerate()
                .map(|(i, a)| ActionRow {
                    index: u32::try_from(i).unwrap_or(u32::MAX),
                    label: m.tr(match a.kind {
                        ActionKind::Call => mid!("action-call"),
                        ActionKind::Text => mid!("action-text"),
                        ActionKind::Tty => mid!("action-tty"),
                        ActionKind::Whatsapp => mid!("action-whatsapp"),
                        ActionKind::Web => mid!("action-web"),
                        ActionKind::Email => mid!("action-email"),
                        #[allow(unreachable_patterns)]
                        _ => mid!("action-open-link"),
                    }),
                    display: if matches!(
                        a.kind,
                        ActionKind::Call | ActionKind::Text | ActionKind::Tty
                    ) {
                        format_phone(&a.display)
                    } else {
                        a.display.clone()
                    },
                    // A warning comes from the directory record (data, in its own words).
                    note: a.warning.clone().or_else(|| {
                        a.keyword
                            .as_ref()
                            .map(|k| m.tr_args("action-note-keyword", &[("keyword", k.into())]))
                            .or_else(|| a.local_only.then(|| m.tr("action-note-local-only")))
                    }),
                })
                .collect(),
        }
    }
}

/// The editor's form of a stored document.
fn document_form(d: &crate::documents::DocumentDraft) -> DocumentForm {
    DocumentForm {
        doc_type: d.doc_type,
        label: d.label.clone().unwrap_or_default(),
        number: d.number.clone().unwrap_or_default(),
        issuing_country: d.issuing_country.clone().unwrap_or_default(),
        issued_on: d.issued_on.clone().unwrap_or_default(),
        expires_on: d.expires_on.clone().unwrap_or_default(),
        notes: d.notes.clone().unwrap_or_default(),
        reminder_days: d.expiry_reminder_days.clone(),
    }
}

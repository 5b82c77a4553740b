//! The words around each screen's data: its title and the labels of its buttons, fields
//! and choices, all from the message files (core/locales/<lang>/*.ftl) in the model's
//! language.
//!
//! A [`Label`]'s `key` is a stable name the shells look up (`back`, `save`,
//! `field:title`, `kind:court`, `category:legal_aid`, `destination:journal`, ...); its
//! `text` is what to draw. Field keys are the same names [`FieldError::field`] uses, so a
//! shell puts a message beside the field it belongs to. A screen added later adds its
//! title and labels in [`ScreenModel::title_and_labels`].

use super::{Destination, FieldError, ScreenModel, View};
use crate::app::disguise::{alias_label_id, decoy_arg, decoy_title_id};
use crate::appointments::AppointmentKind;
use crate::disguise::Decoy;
use crate::documents::DocumentType;
use crate::i18n::mid;
use waypoint_format::record::Category;

/// One label of the screen on show. Exported as `ScreenLabel`: SwiftUI already has a
/// `Label`, and an app imports both.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(feature = "uniffi", uniffi(name = "ScreenLabel"))]
pub struct Label {
    /// Stable name the shell looks up (`save`, `field:title`, `kind:court`, ...).
    pub key: String,
    /// The words to show, in the app's language.
    pub text: String,
}

/// The message id of a home destination's name (also its screen's title).
pub(crate) fn destination_id(d: Destination) -> &'static str {
    match d {
        Destination::Journal => mid!("journal-title"),
        Destination::Appointments => mid!("appointments-title"),
        Destination::Directory => mid!("directory-title"),
        Destination::SafetySettings => mid!("safety-title"),
        Destination::SyncStatus => mid!("sync-title"),
        Destination::Documents => mid!("doc-title"),
        Destination::SafetyPlan => mid!("plan-title"),
        Destination::Guides => mid!("guides-title"),
        Destination::Sharing => mid!("share-title"),
    }
}

/// Stable key of a home destination.
fn destination_key(d: Destination) -> &'static str {
    match d {
        Destination::Journal => "journal",
        Destination::Appointments => "appointments",
        Destination::Directory => "directory",
        Destination::SafetySettings => "safety_settings",
        Destination::SyncStatus => "sync_status",
        Destination::Documents => "documents",
        Destination::SafetyPlan => "safety_plan",
        Destination::Guides => "guides",
        Destination::Sharing => "sharing",
    }
}

/// The message id of an appointment kind's name.
pub(crate) fn kind_id(k: AppointmentKind) -> &'static str {
    match k {
        AppointmentKind::Court => mid!("kind-court"),
        AppointmentKind::Legal => mid!("kind-legal"),
        AppointmentKind::Immigration => mid!("kind-immigration"),
        AppointmentKind::Medical => mid!("kind-medical"),
        AppointmentKind::MentalHealth => mid!("kind-mental-health"),
        AppointmentKind::CaseWorker => mid!("kind-case-worker"),
        AppointmentKind::SupportGroup => mid!("kind-support-group"),
        AppointmentKind::Medication => mid!("kind-medication"),
        AppointmentKind::Other => mid!("kind-other"),
    }
}

const KINDS: [AppointmentKind; 9] = [
    AppointmentKind::Court,
    AppointmentKind::Legal,
    AppointmentKind::Immigration,
    AppointmentKind::Medical,
    AppointmentKind::MentalHealth,
    AppointmentKind::CaseWorker,
    AppointmentKind::SupportGroup,
    AppointmentKind::Medication,
    AppointmentKind::Other,
];

/// The message id of a directory category's name.
pub(crate) fn category_id(c: Category) -> &'static str {
    match c {
        Category::Emergency => mid!("category-emergency"),
        Category::Hotline => mid!("category-hotline"),
        Category::EmergencyShelter => mid!("category-emergency-shelter"),
        Category::Housing => mid!("category-housing"),
        Category::Medical => mid!("category-medical"),
        Category::MentalHealth => mid!("category-mental-health"),
        Category::LegalAid => mid!("category-legal-aid"),
        Category::Immigration => mid!("category-immigration"),
        Category::Employment => mid!("category-employment"),
        Category::Education => mid!("category-education"),
        Category::FoodClothing => mid!("category-food-clothing"),
        Category::FamilyReunification => mid!("category-family-reunification"),
        Category::SupportGroup => mid!("category-support-group"),
        Category::SubstanceUse => mid!("category-substance-use"),
    }
}

const DECOYS: [Decoy; 3] = [Decoy::Calculator, Decoy::Notes, Decoy::Weather];

/// Stable key of a decoy.
fn decoy_key(d: Decoy) -> &'static str {
    match d {
        Decoy::Calculator => "calculator",
        Decoy::Notes => "notes",
        Decoy::Weather => "weather",
    }
}

impl ScreenModel {
    fn label(&self, key: &str, id: &str) -> super::Label {
        Label {
            key: key.to_owned(),
            text: self.messages.tr(id),
        }
    }

    /// The title and labels of `view`, in the model's language (`first_run_decoy`: the
    /// decoy chosen during first run, which the code hint names).
    pub(super) fn title_and_labels(
        &self,
        view: &View,
        first_run_decoy: Decoy,
    ) -> (String, Vec<Label>) {
        let m = &self.messages;
        // Every private screen and the first run have the exit, and a way back.
        let chrome = || {
            vec![
                self.label("quick_exit", mid!("action-quick-exit")),
                self.label("back", mid!("action-back")),
            ]
        };
        let fields = |list: &[(&str, &str)]| -> Vec<Label> {
            let mut out = chrome();
            out.extend(list.iter().map(|(k, id)| self.label(k, id)));
            out
        };
        match view {
            View::FirstRunQuickExit { .. } => (
                m.tr("first-run-title"),
                fields(&[("next", mid!("action-next"))]),
            ),
            View::FirstRunDecoy { .. } => (
                m.tr("first-run-decoy-title"),
                fields(&[("next", mid!("action-next"))]),
            ),
            View::FirstRunCode { .. } => {
                let mut labels = fields(&[
                    ("field:code", mid!("field-code")),
                    ("field:confirm", mid!("field-code-confirm")),
                    ("continue", mid!("action-continue")),
                ]);
                labels.push(Label {
                    key: "hint".into(),
                    text: m.tr_args(
                        "first-run-code-hint",
                        &[
                            ("count", super::MIN_CODE_DIGITS.into()),
                            ("decoy", decoy_arg(first_run_decoy).into()),
                        ],
                    ),
                });
                (m.tr("first-run-code-title"), labels)
            }
            // A decoy shows only what the app it imitates would: its name, nothing else.
            View::Calculator { .. } => (m.tr(decoy_title_id(Decoy::Calculator)), Vec::new()),
            View::DecoyPage { decoy, .. } => (m.tr(decoy_title_id(*decoy)), Vec::new()),
            View::Unlock { .. } => (
                m.tr("unlock-title"),
                vec![
                    self.label("field:code", mid!("field-code")),
                    self.label("continue", mid!("action-continue")),
                ],
            ),
            View::Home { destinations, .. } => {
                let mut labels = vec![
                    self.label("quick_exit", mid!("action-quick-exit")),
                    self.label("lock", mid!("action-lock")),
                ];
                labels.extend(destinations.iter().map(|d| Label {
                    key: format!("destination:{}", destination_key(*d)),
                    text: m.tr(destination_id(*d)),
                }));
                (m.tr("home-title"), labels)
            }
            View::JournalList { .. } => (
                m.tr("journal-title"),
                fields(&[
                    ("search", mid!("action-search")),
                    ("hint", mid!("journal-search-hint")),
                    ("new", mid!("action-new")),
                    ("export", mid!("action-export")),
                    ("empty", mid!("list-empty")),
                ]),
            ),
            View::EntryEditor {
                entry_id,
                attachments,
                ..
            } => {
                let mut labels = fields(&[
                    ("field:title", mid!("field-title")),
                    ("field:body", mid!("field-text")),
                    ("field:happened", mid!("field-happened")),
                    ("field:mood", mid!("field-mood")),
                    ("field:tags", mid!("field-tags")),
                    ("field:place", mid!("field-place")),
                    ("field:attachment", mid!("field-attachments")),
                    ("attach", mid!("action-attach")),
                    ("save", mid!("action-save")),
                ]);
                labels.push(Label {
                    key: "attachment_count".into(),
                    text: m.tr_args("entry-attachments", &[("count", attachments.len().into())]),
                });
                let title = if entry_id.is_some() {
                    m.tr("entry-edit-title")
                } else {
                    m.tr("entry-new-title")
                };
                (title, labels)
            }
            View::EvidenceExport { .. } => (
                m.tr("action-export"),
                fields(&[
                    ("explain", mid!("export-explain")),
                    ("field:passphrase", mid!("field-passphrase")),
                    ("field:confirm", mid!("field-passphrase-confirm")),
                    ("field:destination", mid!("field-destination")),
                    ("save", mid!("action-save")),
                ]),
            ),
            View::AppointmentList { .. } => (
                m.tr("appointments-title"),
                fields(&[("new", mid!("action-new")), ("empty", mid!("list-empty"))]),
            ),
            View::AppointmentEditor { appointment_id, .. } => {
                let mut labels = fields(&[
                    ("field:title", mid!("field-name")),
                    ("field:kind", mid!("field-kind")),
                    ("field:date", mid!("field-date")),
                    ("field:time", mid!("field-time")),
                    ("field:duration", mid!("field-duration")),
                    ("field:place", mid!("field-place")),
                    ("field:repeat", mid!("field-repeat")),
                    ("field:reminders", mid!("field-reminders")),
                    ("repeat:never", mid!("repeat-never")),
                    ("repeat:daily", mid!("repeat-daily")),
                    ("repeat:weekly", mid!("repeat-weekly")),
                    ("repeat:monthly", mid!("repeat-monthly")),
                    ("save", mid!("action-save")),
                ]);
                labels.extend(KINDS.iter().map(|k| Label {
                    key: format!("kind:{}", k.as_str()),
                    text: m.tr(kind_id(*k)),
                }));
                let title = if appointment_id.is_some() {
                    m.tr("appointment-edit-title")
                } else {
                    m.tr("appointment-new-title")
                };
                (title, labels)
            }
            View::DirectorySearch { .. } => {
                let mut labels = fields(&[
                    ("field:text", mid!("directory-search-hint")),
                    ("search", mid!("action-search")),
                    ("field:open_now", mid!("hours-open-now")),
                    ("field:free", mid!("filter-free")),
                    ("field:categories", mid!("filter-categories")),
                    ("empty", mid!("list-empty")),
                ]);
                labels.extend(Category::ALL.iter().map(|c| Label {
                    key: format!("category:{}", c.as_str()),
                    text: m.tr(category_id(*c)),
                }));
                (m.tr("directory-title"), labels)
            }
            View::ResourceDetail { .. } => (
                m.tr("resource-title"),
                fields(&[
                    ("eligibility", mid!("resource-eligibility")),
                    ("addresses", mid!("resource-addresses")),
                ]),
            ),
            View::CallWarning { .. } => (
                m.tr("call-warning-title"),
                fields(&[("continue", mid!("action-continue"))]),
            ),
            View::SafetySettings { alias_choices, .. } => {
                let mut labels = fields(&[
                    ("field:decoy", mid!("field-decoy")),
                    ("field:launcher_alias", mid!("field-icon")),
                    ("field:auto_lock", mid!("field-auto-lock")),
                    ("field:screenshot_blocking", mid!("field-screenshots")),
                    ("field:quick_exit_wipes", mid!("field-quick-exit-wipes")),
                    ("field:wipe_after", mid!("field-wipe-after")),
                    ("wipe_after:never", mid!("field-wipe-never")),
                    ("field:duress", mid!("field-duress")),
                    ("save", mid!("action-save")),
                    ("saved", mid!("saved")),
                ]);
                labels.extend(DECOYS.iter().map(|d| Label {
                    key: format!("decoy:{}", decoy_key(*d)),
                    text: m.tr(decoy_title_id(*d)),
                }));
                labels.extend(alias_choices.iter().map(|a| Label {
                    key: format!("alias:{a}"),
                    text: m.tr(alias_label_id(a)),
                }));
                (m.tr("safety-title"), labels)
            }
            View::SyncStatus { .. } => (m.tr("sync-title"), chrome()),
            View::DocumentList { .. } => (
                m.tr("doc-title"),
                fields(&[("empty", mid!("doc-empty")), ("new", mid!("action-new"))]),
            ),
            View::DocumentEditor { document_id, .. } => {
                let mut labels = fields(&[
                    ("field:doc_type", mid!("doc-field-type")),
                    ("field:label", mid!("doc-field-label")),
                    ("field:number", mid!("doc-field-number")),
                    ("field:issuing_country", mid!("doc-field-country")),
                    ("hint:issuing_country", mid!("doc-country-hint")),
                    ("field:issued_on", mid!("doc-field-issued")),
                    ("field:expires_on", mid!("doc-field-expires")),
                    ("hint:date", mid!("doc-date-hint")),
                    ("field:notes", mid!("doc-field-notes")),
                    ("field:reminders", mid!("doc-field-reminders")),
                    ("hint:reminders", mid!("doc-reminders-hint")),
                    ("field:file", mid!("doc-field-file")),
                    ("file_none", mid!("doc-file-none")),
                    ("file_unsaved", mid!("doc-file-unsaved")),
                    ("attach", mid!("doc-choose-file")),
                    ("camera", mid!("doc-take-photo")),
                    ("remove_file", mid!("doc-remove-file")),
                    ("save", mid!("action-save")),
                    ("delete", mid!("doc-delete")),
                    ("delete_confirm", mid!("doc-delete-confirm")),
                    ("confirm_delete", mid!("doc-delete-yes")),
                    ("keep", mid!("doc-keep")),
                ]);
                labels.extend(DocumentType::ALL.iter().map(|t| Label {
                    key: format!("type:{}", t.as_str()),
                    text: m.tr(t.label_id()),
                }));
                let title = if document_id.is_some() {
                    m.tr("doc-edit-title")
                } else {
                    m.tr("doc-new-title")
                };
                (title, labels)
            }
            View::ShareRecipients { .. } => (
                m.tr("share-title"),
                fields(&[
                    ("explain", mid!("share-explain")),
                    ("empty", mid!("share-empty")),
                    ("field:label", mid!("share-field-label")),
                    ("field:key", mid!("share-field-key")),
                    ("paste", mid!("share-paste")),
                    ("scan", mid!("share-scan")),
                    ("scan_explain", mid!("share-scan-explain")),
                    ("fingerprint", mid!("share-fingerprint")),
                    ("save", mid!("action-save")),
                    ("remove", mid!("share-remove")),
                ]),
            ),
            View::SafetyPlan { .. } => (
                m.tr("plan-title"),
                fields(&[
                    ("skip", mid!("plan-skip")),
                    ("save", mid!("action-save")),
                    ("restart", mid!("plan-restart")),
                    ("restart_confirm", mid!("plan-restart-confirm")),
                    ("confirm_restart", mid!("plan-restart-yes")),
                    ("keep", mid!("plan-restart-keep")),
                ]),
            ),
            View::GuideList { .. } => (m.tr("guides-title"), chrome()),
            // The guide's own title is in the view (guide text, not an interface word).
            View::Guide { .. } => (
                m.tr("guides-title"),
                fields(&[
                    ("sources", mid!("guide-sources")),
                    ("help", mid!("guide-help")),
                ]),
            ),
        }
    }

    /// A validation message for `field`.
    pub(super) fn field_error(&self, field: &str, id: &str) -> FieldError {
        FieldError {
            field: field.to_owned(),
            message: self.messages.tr(id),
        }
    }

    /// A validation message for `field` with arguments.
    pub(super) fn field_error_args(
        &self,
        field: &str,
        id: &str,
        args: &[(&str, crate::i18n::Arg<'_>)],
    ) -> FieldError {
        FieldError {
            field: field.to_owned(),
            message: self.messages.tr_args(id, args),
        }
    }
}

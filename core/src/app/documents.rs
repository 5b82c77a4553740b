//! Document operations of the application, and how documents join the private reminders,
//! the evidence export and shares.
//!
//! As with journal attachments, the clock is read before the session lock is taken and a
//! document's file is encrypted (or decrypted, or packaged) outside the session lock, on a
//! snapshot, so a quick exit can lock at any moment.
//!
//! Expiry reminders: each document with an expiry date and chosen days (e.g. 90/30/7)
//! becomes, for the reminder planner only, an all-day event on its expiry date whose
//! reminders fire those calendar days before, at 09:00 in the chosen zone. They go through
//! the appointments' planner, so they get the same opaque ids, the same sealed per-vault
//! schedule and the same neutral voice; nothing of the document reaches a notification.

use std::collections::HashSet;
use std::path::Path;

use age::secrecy::SecretString;

use super::Core;
use crate::appointments::reminders::{self, IdKey};
use crate::appointments::{Appointment, AppointmentDraft, AppointmentKind, Parsed};
use crate::documents::{Document, DocumentDraft, DocumentSnapshot, DocumentsCtx};
use crate::error::{Error, Result};
use crate::journal::export::{self, ExportSummary, ExportTo};
use crate::session::Session;

/// The result of changing or removing a document: the document (as it is now, or as it
/// was) and the notification ids the platform must cancel (its old expiry reminders).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DocumentChange {
    /// The document.
    pub document: Document,
    /// Ids of notifications scheduled for its old expiry reminders.
    pub cancel_notification_ids: Vec<String>,
}

/// Prefix of the planner's event id for a document (documents and appointments never
/// share an id, so their notification ids never collide).
const REMINDER_ID_PREFIX: &str = "document-";

/// The planner's view of a document's expiry reminders: an all-day event on the expiry
/// date with offsets of whole days (calendar days, at 09:00 in the chosen zone). `None`
/// when the document asks for none.
pub(crate) fn expiry_event(d: &Document) -> Option<Parsed> {
    let r = d.expiry_reminder()?;
    let a = Appointment {
        id: format!("{REMINDER_ID_PREFIX}{}", d.id),
        revision: d.revision,
        created_at_ms: d.created_at_ms,
        updated_at_ms: d.updated_at_ms,
        draft: AppointmentDraft {
            title: String::new(),
            kind: AppointmentKind::Other,
            start_local: r.expires_on.format("%Y-%m-%d").to_string(),
            time_zone: r.time_zone,
            all_day: true,
            reminder_offsets_minutes: r.days_before.iter().map(|d| d * 24 * 60).collect(),
            ..AppointmentDraft::default()
        },
    };
    Parsed::new(a).ok()
}

fn reminder_ids(s: &Session, d: &Document, now: i64) -> HashSet<String> {
    match expiry_event(d) {
        Some(p) => reminders::ids_of(&IdKey::of(s), &p, now).unwrap_or_default(),
        None => HashSet::new(),
    }
}

impl Core {
    pub(crate) fn documents_ctx(&self) -> Result<DocumentsCtx<'_>> {
        Ok(DocumentsCtx {
            store: &self.store,
            data_dir: &self.data_dir,
            max_file_bytes: self.vault.config()?.attachment_max_bytes,
        })
    }

    /// The open vault's documents as expiry events for the reminder planner.
    pub(crate) fn document_expiry_events(&self, s: &mut Session) -> Result<Vec<Parsed>> {
        let ctx = self.documents_ctx()?;
        let (docs, _) = ctx.list(s)?;
        Ok(docs.iter().filter_map(expiry_event).collect())
    }

    /// Stores a new document (details only; add its photo or scan with
    /// `documents_set_file_*`). Plan reminders afterwards to schedule its expiry reminders.
    pub fn documents_add(&self, draft: DocumentDraft) -> Result<Document> {
        let now = self.now_ms();
        let ctx = self.documents_ctx()?;
        self.with_session(|s| ctx.add(s, &draft, now))
    }

    /// One document.
    pub fn documents_get(&self, id: String) -> Result<Document> {
        let ctx = self.documents_ctx()?;
        self.with_session(|s| ctx.get(s, &id))
    }

    /// Every document of the open vault, by type and label.
    pub fn documents_list(&self) -> Result<Vec<Document>> {
        let ctx = self.documents_ctx()?;
        Ok(self.with_session(|s| ctx.list(s))?.0)
    }

    /// How many stored documents are set aside: damaged or tampered rows, and documents
    /// that are not what the vault's sealed manifest records (rolled back, put back after
    /// removal, removed from the database); plus listed documents whose scan row is gone,
    /// plus one while the manifest is missing. Removing one by its id acknowledges it.
    pub fn documents_damaged_count(&self) -> Result<u32> {
        let ctx = self.documents_ctx()?;
        Ok(self.with_session(|s| ctx.list(s))?.1)
    }

    /// Replaces a document's details (its file stays); returns it with the notification
    /// ids of its old expiry reminders to cancel.
    pub fn documents_edit(&self, id: String, draft: DocumentDraft) -> Result<DocumentChange> {
        let now = self.now_ms();
        let ctx = self.documents_ctx()?;
        let (new, old_ids) = self.with_session(|s| {
            let (old, new) = ctx.edit(s, &id, &draft, now)?;
            let mut old_ids = reminder_ids(s, &old, now);
            // Reminders the new version still has keep their ids: do not cancel them.
            for keep in reminder_ids(s, &new, now) {
                old_ids.remove(&keep);
            }
            Ok((new, old_ids))
        })?;
        let cancel = self.forget_reminders(&old_ids, now)?;
        Ok(DocumentChange {
            document: new,
            cancel_notification_ids: cancel,
        })
    }

    /// Deletes a document for good (its key, record and file); returns what was deleted
    /// with the notification ids of its expiry reminders to cancel.
    pub fn documents_delete(&self, id: String) -> Result<DocumentChange> {
        let now = self.now_ms();
        let ctx = self.documents_ctx()?;
        let (old, old_ids) = self.with_session(|s| {
            let old = ctx.delete(s, &id)?;
            let ids = reminder_ids(s, &old, now);
            Ok((old, ids))
        })?;
        let cancel = self.forget_reminders(&old_ids, now)?;
        Ok(DocumentChange {
            document: old,
            cancel_notification_ids: cancel,
        })
    }

    /// Sets the document's photo or scan from the file at `path` (streamed, encrypted and
    /// padded like a journal attachment), replacing any earlier one.
    pub fn documents_set_file_path(
        &self,
        id: String,
        path: String,
        name: String,
        mime: String,
    ) -> Result<Document> {
        let mut f = std::fs::File::open(&path)
            .map_err(|_| Error::invalid("path", "cannot open the file to add"))?;
        self.set_document_file(&id, &mut f, &name, &mime)
    }

    /// Sets the document's photo or scan from `content`.
    pub fn documents_set_file_bytes(
        &self,
        id: String,
        content: Vec<u8>,
        name: String,
        mime: String,
    ) -> Result<Document> {
        let content = zeroize::Zeroizing::new(content);
        self.set_document_file(&id, &mut content.as_slice(), &name, &mime)
    }

    /// Removes the document's photo or scan; its details and reminders stay.
    pub fn documents_remove_file(&self, id: String) -> Result<Document> {
        let now = self.now_ms();
        let ctx = self.documents_ctx()?;
        self.with_session(|s| ctx.remove_file(s, &id, now))
    }

    /// The document's file content (for small files; `documents_save_file` for large).
    pub fn documents_file_bytes(&self, id: String) -> Result<Vec<u8>> {
        let ctx = self.documents_ctx()?;
        let snap = self.with_session(|s| ctx.snapshot(s, &id))?;
        let mut out = Vec::new();
        ctx.read_file(&snap, &mut out)?;
        Ok(out)
    }

    /// Decrypts the document's file into `dest_path` (owner-only); returns its size.
    pub fn documents_save_file(&self, id: String, dest_path: String) -> Result<u64> {
        let ctx = self.documents_ctx()?;
        let snap = self.with_session(|s| ctx.snapshot(s, &id))?;
        if snap.document.file.is_none() {
            return Err(Error::NotFound);
        }
        let dest = Path::new(&dest_path);
        let mut f = crate::store::create_private_file(dest)?;
        match ctx.read_file(&snap, &mut f) {
            Ok(n) => Ok(n),
            Err(e) => {
                drop(f);
                let _ = std::fs::remove_file(dest);
                Err(e)
            }
        }
    }

    fn set_document_file(
        &self,
        id: &str,
        source: &mut dyn std::io::Read,
        name: &str,
        mime: &str,
    ) -> Result<Document> {
        let now = self.now_ms();
        let ctx = self.documents_ctx()?;
        let snap = self.with_session(|s| ctx.snapshot(s, id))?;
        // The long part runs outside the session lock; if the vault locks meanwhile,
        // nothing is recorded and the written file goes.
        let written = ctx.write_file(&snap, source, name, mime, now)?;
        self.with_session(|s| ctx.record_file(s, id, written, now))
    }

    /// Snapshots the chosen documents of the open vault (each once, in the order given).
    pub(crate) fn document_snapshots(&self, ids: &[String]) -> Result<Vec<DocumentSnapshot>> {
        let ctx = self.documents_ctx()?;
        let mut seen = HashSet::new();
        self.with_session(|s| {
            ids.iter()
                .filter(|id| seen.insert((*id).clone()))
                .map(|id| ctx.snapshot(s, id))
                .collect()
        })
    }

    /// The evidence export (every journal entry and attachment) with the chosen documents
    /// added (`documents.json` and their files), to be opened with `passphrase`.
    pub fn evidence_export_to_passphrase(
        &self,
        document_ids: Vec<String>,
        passphrase: String,
        out_path: String,
    ) -> Result<ExportSummary> {
        if passphrase.is_empty() {
            return Err(Error::invalid("passphrase", "must not be empty"));
        }
        let log_n = self.vault.config()?.scrypt_log_n;
        let to = ExportTo::Passphrase(SecretString::from(passphrase), log_n);
        self.export_with_documents(&document_ids, to, &out_path)
    }

    /// The evidence export with the chosen documents, to an age recipient (`age1...`).
    pub fn evidence_export_to_recipient(
        &self,
        document_ids: Vec<String>,
        recipient: String,
        out_path: String,
    ) -> Result<ExportSummary> {
        let to = ExportTo::Recipient(export::parse_recipient(&recipient)?);
        self.export_with_documents(&document_ids, to, &out_path)
    }

    fn export_with_documents(
        &self,
        document_ids: &[String],
        to: ExportTo,
        out_path: &str,
    ) -> Result<ExportSummary> {
        if out_path.is_empty() {
            return Err(Error::invalid("out", "must not be empty"));
        }
        let now = self.now_ms();
        let ctx = self.journal_ctx()?;
        let dctx = self.documents_ctx()?;
        let snaps = self.with_session(|s| ctx.snapshot_all(s))?;
        let docs = self.document_snapshots(document_ids)?;
        let (json, streamed) = crate::documents::package_parts(&dctx, &docs)?;
        let mut spec = export::evidence_spec();
        if !docs.is_empty() {
            spec.extra.push(("documents.json".to_owned(), json));
            spec.streamed = streamed;
        }
        export::export_package(&ctx, &snaps, to, Path::new(out_path), now, spec)
    }
}

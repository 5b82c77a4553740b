//! The exported documents capability: one-line delegations to [`Core`].

use std::sync::Arc;

use super::ApiResult;
use crate::app::{Core, DocumentChange};
use crate::documents::{Document, DocumentDraft};
use crate::journal::export::ExportSummary;

/// The survivor's documents (passports, visas, work permits, I-94s, court papers, medical
/// records) of one opened data directory: details, a photo or scan, expiry reminders
/// (planned with the appointments' private reminders: call `appointments().reminder_plan`
/// after a change). Needs the vault unlocked.
#[derive(Debug, uniffi::Object)]
pub struct Documents {
    inner: Arc<Core>,
}

impl Documents {
    pub(crate) fn new(inner: &Arc<Core>) -> Self {
        Self {
            inner: Arc::clone(inner),
        }
    }
}

#[uniffi::export]
impl Documents {
    /// Stores a new document (details only; then `set_file_*` for its photo or scan).
    pub fn add(&self, draft: DocumentDraft) -> ApiResult<Document> {
        Ok(self.inner.documents_add(draft)?)
    }

    /// One document.
    pub fn get(&self, id: String) -> ApiResult<Document> {
        Ok(self.inner.documents_get(id)?)
    }

    /// Every document, by type and label.
    pub fn list(&self) -> ApiResult<Vec<Document>> {
        Ok(self.inner.documents_list()?)
    }

    /// How many stored documents are set aside: they could not be opened (damaged or
    /// tampered), or they are not what the vault's sealed manifest records (rolled back to
    /// an earlier revision, put back after removal, or removed from the database); plus
    /// listed documents whose scan row is gone, plus one while the manifest itself is
    /// missing. Removing a set-aside document by its id acknowledges it.
    pub fn damaged_count(&self) -> ApiResult<u32> {
        Ok(self.inner.documents_damaged_count()?)
    }

    /// Replaces a document's details; returns it and the notification ids to cancel.
    pub fn edit(&self, id: String, draft: DocumentDraft) -> ApiResult<DocumentChange> {
        Ok(self.inner.documents_edit(id, draft)?)
    }

    /// Deletes a document for good; returns it and the notification ids to cancel.
    pub fn remove(&self, id: String) -> ApiResult<DocumentChange> {
        Ok(self.inner.documents_delete(id)?)
    }

    /// Sets the photo or scan from a file (streamed and encrypted), replacing any earlier.
    pub fn set_file_path(
        &self,
        id: String,
        path: String,
        name: String,
        mime: String,
    ) -> ApiResult<Document> {
        Ok(self.inner.documents_set_file_path(id, path, name, mime)?)
    }

    /// Sets the photo or scan from bytes (a camera capture), replacing any earlier.
    pub fn set_file_bytes(
        &self,
        id: String,
        content: Vec<u8>,
        name: String,
        mime: String,
    ) -> ApiResult<Document> {
        Ok(self
            .inner
            .documents_set_file_bytes(id, content, name, mime)?)
    }

    /// Removes the photo or scan; the details and reminders stay.
    pub fn remove_file(&self, id: String) -> ApiResult<Document> {
        Ok(self.inner.documents_remove_file(id)?)
    }

    /// The photo or scan's content (small files).
    pub fn file_bytes(&self, id: String) -> ApiResult<Vec<u8>> {
        Ok(self.inner.documents_file_bytes(id)?)
    }

    /// Decrypts the photo or scan into `dest_path` (owner-only); returns its size.
    pub fn save_file(&self, id: String, dest_path: String) -> ApiResult<u64> {
        Ok(self.inner.documents_save_file(id, dest_path)?)
    }

    /// The evidence export (every journal entry) with the chosen documents, to a passphrase.
    pub fn evidence_export_to_passphrase(
        &self,
        document_ids: Vec<String>,
        passphrase: String,
        out_path: String,
    ) -> ApiResult<ExportSummary> {
        Ok(self
            .inner
            .evidence_export_to_passphrase(document_ids, passphrase, out_path)?)
    }

    /// The evidence export with the chosen documents, to an age recipient (`age1...`).
    pub fn evidence_export_to_recipient(
        &self,
        document_ids: Vec<String>,
        recipient: String,
        out_path: String,
    ) -> ApiResult<ExportSummary> {
        Ok(self
            .inner
            .evidence_export_to_recipient(document_ids, recipient, out_path)?)
    }
}

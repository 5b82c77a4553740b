//! The exported journal: one-line delegations to [`Core`].

use std::sync::Arc;

use super::ApiResult;
use crate::app::Core;
use crate::journal::export::ExportSummary;
use crate::journal::{AttachmentInfo, EntryDraft, EntryFilter, JournalEntry};

/// The journal of one opened data directory (needs the vault unlocked).
#[derive(Debug, uniffi::Object)]
pub struct Journal {
    inner: Arc<Core>,
}

impl Journal {
    pub(crate) fn new(inner: &Arc<Core>) -> Self {
        Self {
            inner: Arc::clone(inner),
        }
    }
}

#[uniffi::export]
impl Journal {
    /// Writes a new journal entry.
    pub fn add(&self, draft: EntryDraft) -> ApiResult<JournalEntry> {
        Ok(self.inner.journal_add(draft)?)
    }

    /// One entry, current revision, with its attachments.
    pub fn get(&self, id: String) -> ApiResult<JournalEntry> {
        Ok(self.inner.journal_get(id)?)
    }

    /// Replaces an entry's content; the previous revision stays in its history.
    pub fn edit(&self, id: String, draft: EntryDraft) -> ApiResult<JournalEntry> {
        Ok(self.inner.journal_edit(id, draft)?)
    }

    /// Every revision of an entry, oldest first.
    pub fn history(&self, id: String) -> ApiResult<Vec<JournalEntry>> {
        Ok(self.inner.journal_history(id)?)
    }

    /// Deletes an entry for good (its key, revisions and attachments).
    pub fn delete(&self, id: String) -> ApiResult<()> {
        Ok(self.inner.journal_delete(id)?)
    }

    /// Entries matching `filter`, newest first.
    pub fn list(&self, filter: EntryFilter) -> ApiResult<Vec<JournalEntry>> {
        Ok(self.inner.journal_list(filter)?)
    }

    /// Full-text search (in memory), newest first.
    pub fn search(&self, query: String) -> ApiResult<Vec<JournalEntry>> {
        Ok(self.inner.journal_search(query)?)
    }

    /// How many entries and attachments are set aside (damaged, or not matching the vault's sealed
    /// manifest), plus one while the manifest itself is missing. Deleting one acknowledges it.
    pub fn damaged_count(&self) -> ApiResult<u32> {
        Ok(self.inner.journal_damaged_count()?)
    }

    /// Attaches the file at `path` (streamed and encrypted in chunks) to an entry.
    pub fn attach_file(
        &self,
        entry_id: String,
        path: String,
        name: String,
        mime: String,
    ) -> ApiResult<AttachmentInfo> {
        Ok(self.inner.journal_attach_file(entry_id, path, name, mime)?)
    }

    /// Attaches `content` to an entry.
    pub fn attach_bytes(
        &self,
        entry_id: String,
        content: Vec<u8>,
        name: String,
        mime: String,
    ) -> ApiResult<AttachmentInfo> {
        Ok(self
            .inner
            .journal_attach_bytes(entry_id, content, name, mime)?)
    }

    /// An attachment's content (for small files; use `save_attachment` for large).
    pub fn attachment_bytes(&self, attachment_id: String) -> ApiResult<Vec<u8>> {
        Ok(self.inner.journal_attachment_bytes(attachment_id)?)
    }

    /// Decrypts an attachment into the file `dest_path` (streamed); returns its size.
    pub fn save_attachment(&self, attachment_id: String, dest_path: String) -> ApiResult<u64> {
        Ok(self
            .inner
            .journal_save_attachment(attachment_id, dest_path)?)
    }

    /// Deletes one attachment.
    pub fn delete_attachment(&self, attachment_id: String) -> ApiResult<()> {
        Ok(self.inner.journal_delete_attachment(attachment_id)?)
    }

    /// Exports every entry and attachment as one age file, to be opened with `passphrase`.
    pub fn export_to_passphrase(
        &self,
        passphrase: String,
        out_path: String,
    ) -> ApiResult<ExportSummary> {
        Ok(self
            .inner
            .journal_export_to_passphrase(passphrase, out_path)?)
    }

    /// Exports every entry and attachment as one age file to an age recipient (`age1...`).
    pub fn export_to_recipient(
        &self,
        recipient: String,
        out_path: String,
    ) -> ApiResult<ExportSummary> {
        Ok(self
            .inner
            .journal_export_to_recipient(recipient, out_path)?)
    }
}

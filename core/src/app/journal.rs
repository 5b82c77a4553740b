//! Journal operations of the application.
//!
//! The clock (a foreign callback) is read before the session lock is taken, and long file
//! work (attachments, export) runs on a snapshot outside the session lock, so a quick exit
//! can lock at any moment.

use std::path::Path;

use age::secrecy::SecretString;

use super::Core;
use crate::error::{Error, Result};
use crate::journal::export::{self, ExportSummary, ExportTo};
use crate::journal::{AttachmentInfo, EntryDraft, EntryFilter, JournalCtx, JournalEntry};

impl Core {
    /// Writes a new journal entry.
    pub fn journal_add(&self, draft: EntryDraft) -> Result<JournalEntry> {
        let now = self.now_ms();
        let ctx = self.journal_ctx()?;
        self.with_session(|s| ctx.add(s, &draft, now))
    }

    /// One entry, current revision, with its attachments.
    pub fn journal_get(&self, id: String) -> Result<JournalEntry> {
        let ctx = self.journal_ctx()?;
        self.with_session(|s| ctx.get(s, &id))
    }

    /// Replaces an entry's content; the previous revision stays in its history.
    pub fn journal_edit(&self, id: String, draft: EntryDraft) -> Result<JournalEntry> {
        let now = self.now_ms();
        let ctx = self.journal_ctx()?;
        self.with_session(|s| ctx.edit(s, &id, &draft, now))
    }

    /// Every revision of an entry, oldest first.
    pub fn journal_history(&self, id: String) -> Result<Vec<JournalEntry>> {
        let ctx = self.journal_ctx()?;
        self.with_session(|s| ctx.history(s, &id))
    }

    /// Deletes an entry for good (its key, revisions and attachments).
    pub fn journal_delete(&self, id: String) -> Result<()> {
        let ctx = self.journal_ctx()?;
        self.with_session(|s| ctx.delete(s, &id))
    }

    /// Entries matching `filter`, newest first.
    pub fn journal_list(&self, filter: EntryFilter) -> Result<Vec<JournalEntry>> {
        let ctx = self.journal_ctx()?;
        self.with_session(|s| ctx.list(s, &filter))
    }

    /// Full-text search (in memory), newest first.
    pub fn journal_search(&self, query: String) -> Result<Vec<JournalEntry>> {
        let ctx = self.journal_ctx()?;
        self.with_session(|s| ctx.search(s, &query))
    }

    /// How many entries and attachments are set aside: failed authentication (damaged or
    /// tampered), or found at another revision than the vault's sealed manifest records,
    /// put back after deletion, or deleted from the database. Plus one while the manifest
    /// itself is missing or unreadable. Deleting a set-aside entry (or attachment, by its
    /// id) acknowledges it.
    pub fn journal_damaged_count(&self) -> Result<u32> {
        let ctx = self.journal_ctx()?;
        self.with_session(|s| ctx.damaged_count(s))
    }

    /// Attaches the file at `path` (streamed and encrypted in chunks) to an entry.
    pub fn journal_attach_file(
        &self,
        entry_id: String,
        path: String,
        name: String,
        mime: String,
    ) -> Result<AttachmentInfo> {
        let mut f = std::fs::File::open(&path)
            .map_err(|_| Error::invalid("path", "cannot open the file to attach"))?;
        self.attach(&entry_id, &mut f, &name, &mime)
    }

    /// Attaches `content` to an entry.
    pub fn journal_attach_bytes(
        &self,
        entry_id: String,
        content: Vec<u8>,
        name: String,
        mime: String,
    ) -> Result<AttachmentInfo> {
        let content = zeroize::Zeroizing::new(content);
        self.attach(&entry_id, &mut content.as_slice(), &name, &mime)
    }

    /// An attachment's content (for small files; use `journal_save_attachment` for large).
    pub fn journal_attachment_bytes(&self, attachment_id: String) -> Result<Vec<u8>> {
        let ctx = self.journal_ctx()?;
        let (snap, info) = self.with_session(|s| ctx.find_attachment(s, &attachment_id))?;
        let mut out = Vec::new();
        ctx.read_attachment(&snap, &info, &mut out)?;
        Ok(out)
    }

    /// Decrypts an attachment into the file `dest_path` (streamed); returns its size.
    pub fn journal_save_attachment(&self, attachment_id: String, dest_path: String) -> Result<u64> {
        let ctx = self.journal_ctx()?;
        let (snap, info) = self.with_session(|s| ctx.find_attachment(s, &attachment_id))?;
        let dest = Path::new(&dest_path);
        // Decrypted evidence: owner-only, like everything else Waypoint writes.
        let mut f = crate::store::create_private_file(dest)?;
        match ctx.read_attachment(&snap, &info, &mut f) {
            Ok(n) => Ok(n),
            Err(e) => {
                drop(f);
                let _ = std::fs::remove_file(dest);
                Err(e)
            }
        }
    }

    /// Deletes one attachment.
    pub fn journal_delete_attachment(&self, attachment_id: String) -> Result<()> {
        let ctx = self.journal_ctx()?;
        self.with_session(|s| ctx.delete_attachment(s, &attachment_id))
    }

    /// Exports every entry and attachment as one age file, to be opened with `passphrase`.
    pub fn journal_export_to_passphrase(
        &self,
        passphrase: String,
        out_path: String,
    ) -> Result<ExportSummary> {
        if passphrase.is_empty() {
            return Err(Error::invalid("passphrase", "must not be empty"));
        }
        let log_n = self.vault.config()?.scrypt_log_n;
        let to = ExportTo::Passphrase(SecretString::from(passphrase), log_n);
        self.export(to, &out_path)
    }

    /// Exports every entry and attachment as one age file to an age recipient (`age1...`).
    pub fn journal_export_to_recipient(
        &self,
        recipient: String,
        out_path: String,
    ) -> Result<ExportSummary> {
        let to = ExportTo::Recipient(export::parse_recipient(&recipient)?);
        self.export(to, &out_path)
    }
}

impl Core {
    pub(crate) fn journal_ctx(&self) -> Result<JournalCtx<'_>> {
        Ok(JournalCtx {
            store: &self.store,
            data_dir: &self.data_dir,
            attachment_max_bytes: self.vault.config()?.attachment_max_bytes,
        })
    }

    fn attach(
        &self,
        entry_id: &str,
        source: &mut dyn std::io::Read,
        name: &str,
        mime: &str,
    ) -> Result<AttachmentInfo> {
        let now = self.now_ms();
        let ctx = self.journal_ctx()?;
        let snap = self.with_session(|s| ctx.snapshot(s, entry_id))?;
        // The long part (reading, encrypting, syncing) runs outside the session lock.
        let written = ctx.write_attachment(&snap, source, name, mime, now)?;
        // Recording seals the vault's manifest, so it needs the session: if the vault was
        // locked meanwhile, nothing is recorded and the written file is removed.
        self.with_session(|s| ctx.record_attachment(s, written))
    }

    fn export(&self, to: ExportTo, out_path: &str) -> Result<ExportSummary> {
        if out_path.is_empty() {
            return Err(Error::invalid("out", "must not be empty"));
        }
        let now = self.now_ms();
        let ctx = self.journal_ctx()?;
        let snaps = self.with_session(|s| ctx.snapshot_all(s))?;
        export::export(&ctx, &snaps, to, Path::new(out_path), now)
    }
}

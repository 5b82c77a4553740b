//! The exported sharing capability: one-line delegations to [`Core`].

use std::sync::Arc;

use super::ApiResult;
use crate::app::Core;
use crate::journal::export::ExportSummary;
use crate::sharing::{ScannedKey, ShareRecipient};

/// Sharing chosen journal entries with one person, as an age file for the share sheet
/// (needs the vault unlocked, except for `fingerprint`). Nothing goes through a server.
#[derive(Debug, uniffi::Object)]
pub struct Sharing {
    inner: Arc<Core>,
}

impl Sharing {
    pub(crate) fn new(inner: &Arc<Core>) -> Self {
        Self {
            inner: Arc::clone(inner),
        }
    }
}

#[uniffi::export]
impl Sharing {
    /// The short fingerprint of an `age1...` key, to compare in person
    /// (`XXXX-XXXX-XXXX-XXXX`: first 8 bytes of the SHA-256 of the key, hex).
    pub fn fingerprint(&self, key: String) -> ApiResult<String> {
        Ok(crate::sharing::fingerprint(&key)?)
    }

    /// Reads the text of a scanned QR code (or a pasted key) as a recipient key with its
    /// fingerprint to compare in person; one clear error for anything else (never echoes
    /// the input; text over 512 bytes is refused unread). Works locked.
    pub fn read_scanned_key(&self, text: String) -> ApiResult<ScannedKey> {
        Ok(crate::sharing::read_scanned_key(&text)?)
    }

    /// Saves a recipient: a label and a pasted or scanned `age1...` key (validated).
    pub fn add_recipient(&self, label: String, key: String) -> ApiResult<ShareRecipient> {
        Ok(self.inner.sharing_add_recipient(label, key)?)
    }

    /// This vault's saved recipients, oldest first.
    pub fn list_recipients(&self) -> ApiResult<Vec<ShareRecipient>> {
        Ok(self.inner.sharing_list_recipients()?)
    }

    /// Removes a saved recipient.
    pub fn remove_recipient(&self, id: String) -> ApiResult<()> {
        Ok(self.inner.sharing_remove_recipient(id)?)
    }

    /// Writes a share of the chosen entries and appointments to `out_path`, for the holder
    /// of `key` (`age1...` or a saved recipient's id). Hand the file to the share sheet.
    pub fn share_to_key(
        &self,
        entry_ids: Vec<String>,
        appointment_ids: Vec<String>,
        key: String,
        out_path: String,
    ) -> ApiResult<ExportSummary> {
        Ok(self
            .inner
            .sharing_share_to_key(entry_ids, appointment_ids, key, out_path)?)
    }

    /// Writes a share of the chosen entries and appointments to `out_path`, opened with
    /// `passphrase`.
    pub fn share_to_passphrase(
        &self,
        entry_ids: Vec<String>,
        appointment_ids: Vec<String>,
        passphrase: String,
        out_path: String,
    ) -> ApiResult<ExportSummary> {
        Ok(self.inner.sharing_share_to_passphrase(
            entry_ids,
            appointment_ids,
            passphrase,
            out_path,
        )?)
    }

    /// Writes a share of the chosen entries, appointments and documents (with their
    /// scans) to `out_path`, for the holder of `key` (`age1...` or a saved recipient's id).
    pub fn share_chosen_to_key(
        &self,
        entry_ids: Vec<String>,
        appointment_ids: Vec<String>,
        document_ids: Vec<String>,
        key: String,
        out_path: String,
    ) -> ApiResult<ExportSummary> {
        Ok(self.inner.sharing_share_chosen_to_key(
            entry_ids,
            appointment_ids,
            document_ids,
            key,
            out_path,
        )?)
    }

    /// Writes a share of the chosen entries, appointments and documents to `out_path`,
    /// opened with `passphrase`.
    pub fn share_chosen_to_passphrase(
        &self,
        entry_ids: Vec<String>,
        appointment_ids: Vec<String>,
        document_ids: Vec<String>,
        passphrase: String,
        out_path: String,
    ) -> ApiResult<ExportSummary> {
        Ok(self.inner.sharing_share_chosen_to_passphrase(
            entry_ids,
            appointment_ids,
            document_ids,
            passphrase,
            out_path,
        )?)
    }
}

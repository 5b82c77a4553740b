//! Sharing operations of the application: saved recipients and shares of chosen entries.
//!
//! As with the evidence export, the entries are snapshotted under the session lock and the
//! archive is written outside it, so a quick exit can lock at any moment.

use std::path::Path;

use age::secrecy::SecretString;

use super::Core;
use crate::error::{Error, Result};
use crate::journal::export::ExportSummary;
use crate::sharing::{self, ShareRecipient, ShareTo};

impl Core {
    /// Saves a recipient (a label and a pasted or scanned `age1...` key) in the vault.
    pub fn sharing_add_recipient(&self, label: String, key: String) -> Result<ShareRecipient> {
        let now = self.now_ms();
        self.with_session(|s| sharing::add_recipient(&self.store, s, &label, &key, now))
    }

    /// This vault's saved recipients, oldest first.
    pub fn sharing_list_recipients(&self) -> Result<Vec<ShareRecipient>> {
        self.with_session(|s| sharing::list_recipients(&self.store, s))
    }

    /// Removes a saved recipient.
    pub fn sharing_remove_recipient(&self, id: String) -> Result<()> {
        self.with_session(|s| sharing::remove_recipient(&self.store, s, &id))
    }

    /// Shares the chosen entries and appointments with the holder of `key` (`age1...`, or
    /// a saved recipient's id), written to `out_path`.
    pub fn sharing_share_to_key(
        &self,
        entry_ids: Vec<String>,
        appointment_ids: Vec<String>,
        key: String,
        out_path: String,
    ) -> Result<ExportSummary> {
        self.sharing_share_chosen_to_key(entry_ids, appointment_ids, Vec::new(), key, out_path)
    }

    /// Shares the chosen entries and appointments with anyone who has `passphrase`,
    /// written to `out_path`.
    pub fn sharing_share_to_passphrase(
        &self,
        entry_ids: Vec<String>,
        appointment_ids: Vec<String>,
        passphrase: String,
        out_path: String,
    ) -> Result<ExportSummary> {
        self.sharing_share_chosen_to_passphrase(
            entry_ids,
            appointment_ids,
            Vec::new(),
            passphrase,
            out_path,
        )
    }

    /// Shares the chosen entries, appointments and documents (with their scans) with the
    /// holder of `key` (`age1...`, or a saved recipient's id), written to `out_path`.
    pub fn sharing_share_chosen_to_key(
        &self,
        entry_ids: Vec<String>,
        appointment_ids: Vec<String>,
        document_ids: Vec<String>,
        key: String,
        out_path: String,
    ) -> Result<ExportSummary> {
        let key = if key.trim().starts_with("age1") {
            key
        } else {
            self.sharing_list_recipients()?
                .into_iter()
                .find(|r| r.id == key)
                .ok_or(Error::NotFound)?
                .key
                .clone()
        };
        let to = ShareTo::Key(sharing::parse_key(&key)?);
        self.share(entry_ids, appointment_ids, document_ids, to, &out_path)
    }

    /// Shares the chosen entries, appointments and documents with anyone who has
    /// `passphrase`, written to `out_path`.
    pub fn sharing_share_chosen_to_passphrase(
        &self,
        entry_ids: Vec<String>,
        appointment_ids: Vec<String>,
        document_ids: Vec<String>,
        passphrase: String,
        out_path: String,
    ) -> Result<ExportSummary> {
        if passphrase.is_empty() {
            return Err(Error::invalid("passphrase", "must not be empty"));
        }
        let log_n = self.vault.config()?.scrypt_log_n;
        self.share(
            entry_ids,
            appointment_ids,
            document_ids,
            ShareTo::Passphrase(SecretString::from(passphrase), log_n),
            &out_path,
        )
    }

    fn share(
        &self,
        entry_ids: Vec<String>,
        appointment_ids: Vec<String>,
        document_ids: Vec<String>,
        to: ShareTo,
        out_path: &str,
    ) -> Result<ExportSummary> {
        if out_path.is_empty() {
            return Err(Error::invalid("out", "must not be empty"));
        }
        let mut ids = entry_ids;
        let mut seen = std::collections::BTreeSet::new();
        ids.retain(|id| seen.insert(id.clone()));
        let now = self.now_ms();
        let ctx = self.journal_ctx()?;
        let mut snaps = self.with_session(|s| {
            ids.iter()
                .map(|id| ctx.snapshot(s, id))
                .collect::<Result<Vec<_>>>()
        })?;
        snaps.sort_by(|a, b| crate::journal::export::export_order(&a.entry, &b.entry));
        let mut seen = std::collections::BTreeSet::new();
        let appointments = appointment_ids
            .into_iter()
            .filter(|id| seen.insert(id.clone()))
            .map(|id| self.appointment_get(id))
            .collect::<Result<Vec<_>>>()?;
        let documents = self.document_snapshots(&document_ids)?;
        let docs_ctx = self.documents_ctx()?;
        sharing::write_share(
            &ctx,
            &snaps,
            &appointments,
            &docs_ctx,
            &documents,
            to,
            Path::new(out_path),
            now,
        )
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::journal::EntryDraft;
    use crate::platform::FakeClock;
    use crate::sharing::{open_package, OpenWith};

    fn core(dir: &Path) -> Arc<Core> {
        let config = crate::vault::VaultConfig::for_tests(4);
        let core = Core::open_with_config(
            dir,
            Arc::new(FakeClock::new(1_700_000_000_000)),
            None,
            config,
        )
        .expect("open");
        core.setup("a passphrase for tests".into()).expect("setup");
        core
    }

    #[test]
    fn share_round_trips_only_chosen_entries_and_escapes_html() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let core = core(&tmp.path().join("data"));
        let chosen = core
            .journal_add(EntryDraft {
                title: "<script>alert(1)</script>".into(),
                body: "He said \"<img src=x onerror=alert(1)>\" & left".into(),
                ..Default::default()
            })
            .expect("add");
        core.journal_attach_bytes(
            chosen.id.clone(),
            b"pretend jpeg".to_vec(),
            "p.jpg".into(),
            "image/jpeg".into(),
        )
        .expect("attach");
        let other = core
            .journal_add(EntryDraft {
                title: "NOT-SHARED-MARKER".into(),
                body: "private".into(),
                ..Default::default()
            })
            .expect("add");
        let _ = other;
        let identity = age::x25519::Identity::generate();
        let key = identity.to_public().to_string();
        let out = tmp.path().join("share.age");
        let summary = core
            .sharing_share_to_key(
                vec![chosen.id.clone()],
                Vec::new(),
                key,
                out.to_string_lossy().into(),
            )
            .expect("share");
        assert_eq!((summary.entries, summary.attachments), (1, 1));
        let opened = tmp.path().join("opened");
        let id_text = zeroize::Zeroizing::new(
            age::secrecy::ExposeSecret::expose_secret(&identity.to_string()).to_owned(),
        );
        let got = open_package(&out, OpenWith::Identity(id_text), &opened).expect("open");
        assert_eq!(got.chain_head, summary.chain_head);
        assert_eq!((got.entries, got.attachments), (1, 1));
        let html = std::fs::read_to_string(opened.join("report.html")).expect("report");
        assert!(!html.contains("<script>alert"), "title not escaped");
        assert!(!html.contains("<img src=x"), "body not escaped");
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("NOT-SHARED-MARKER"));
        assert!(html.contains("href=\"attachments/0001-"));
        let all = crate::test_support::all_files(&opened);
        assert!(all
            .iter()
            .any(|p| std::fs::read(p).expect("read") == b"pretend jpeg"));
    }

    #[test]
    fn recipients_are_sealed_validated_and_fingerprinted() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let data = tmp.path().join("data");
        let core = core(&data);
        let err = core
            .sharing_add_recipient("lawyer".into(), "age1notakey".into())
            .expect_err("bad key");
        assert!(matches!(err, Error::InvalidInput { .. }));
        let key = age::x25519::Identity::generate().to_public().to_string();
        let r = core
            .sharing_add_recipient("LABEL-MARKER-lawyer".into(), key.clone())
            .expect("add");
        // Nothing readable at rest (before any read, so a plaintext copy is what fails).
        crate::test_support::assert_no_marker_on_disk(
            &data,
            &["LABEL-MARKER", key.as_str()],
            false,
        );
        assert_eq!(r.fingerprint, sharing::fingerprint(&key).expect("fp"));
        assert_eq!(r.fingerprint.len(), 19);
        let listed = core.sharing_list_recipients().expect("list");
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].key, key);
        core.sharing_remove_recipient(r.id.clone()).expect("remove");
        assert!(core.sharing_list_recipients().expect("list").is_empty());
    }

    #[test]
    fn fingerprint_is_documented_form() {
        let key = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
        let expected = {
            let d = <sha2::Sha256 as sha2::Digest>::digest(key.as_bytes());
            let h = hex::encode_upper(&d[..8]);
            format!("{}-{}-{}-{}", &h[0..4], &h[4..8], &h[8..12], &h[12..16])
        };
        assert_eq!(sharing::fingerprint(key).expect("fp"), expected);
        assert_eq!(
            sharing::fingerprint(&format!("  {key}\n")).expect("fp"),
            expected
        );
    }
}

//! The survivor's documents: passports, visas, work permits, I-94 records, ID cards, court
//! papers, medical records. A trafficker often withheld them; a T-visa application or a
//! court case needs their numbers, dates and copies.
//!
//! Storage (all personal content inside ciphertext; keys from [`crate::vault`]):
//!
//! - `documents(id, tag, revision, key_sealed, sealed)`: `id` random; `tag` marks the row as
//!   this vault's ([`Session::row_tag`], kind `document`), so the other vault (the duress
//!   decoy, or the real one) neither lists nor changes it; `key_sealed` is the document's own
//!   age X25519 identity sealed by the vault sealer (kind `document-key`); `sealed` is the
//!   record (type, label, number, issuing country, dates, notes, reminder choice, the file's
//!   name, type, size and SHA-256) sealed by the vault sealer (kind `document`, AAD = id +
//!   revision).
//! - `document_files(document_id, file)`: the opaque random name of the document's photo or
//!   scan in `objects/`. The file is written exactly as a journal attachment is
//!   ([`crate::journal::encrypt_padded`]): an age STREAM file to the document's identity,
//!   padded to a size bucket, read back through [`VerifyingReader`] (size, hash, padding).
//!
//! Deleting a document deletes its key row: every copy of its file that might survive
//! anywhere is undecryptable from then on; `secure_delete` and a WAL checkpoint zero the rows.
//!
//! Expiry reminders are planned by the application with the appointments' private
//! reminders: neutral text only, the survivor's choice of days before the expiry date (for
//! example 90, 30 and 7), at 09:00 in the zone they chose ([`Document::expiry_reminder`]).
//!
//! - `documents_manifest(tag, counter, sealed)`: per vault, which documents exist and the
//!   revision each is at, rewritten in the same transaction as every add, edit, new file and
//!   removal (the journal's manifest code, [`crate::journal::manifest`]). Checked against
//!   the rows when the documents are first used after unlock and on every later read: a
//!   document rolled back to an earlier revision (with its scan: the record holds the
//!   scan's size and SHA-256), put back after removal, or whose row was deleted is set
//!   aside and counted in [`DocumentsCtx::list`]'s damaged count; removing it acknowledges
//!   it. A document whose scan row was deleted stays listed and is counted too.
//!   Key rows are sealed at revision 1 once manifests exist (0 before): a vault whose every
//!   document has an older key row and no manifest adopts them at its first unlock.

#[cfg(test)]
mod rollback_tests;
#[cfg(test)]
mod tests;

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rand::RngCore;
use rusqlite::OptionalExtension;
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::journal::manifest::{self, Manifest};
use crate::journal::{AttachmentKind, VerifyingReader};
use crate::session::Session;
use crate::store::{Component, PersonalDir, Store, Table};

/// Record kind (sealer and row tags) of a document.
pub const KIND: &str = "document";
const KIND_KEY: &str = "document-key";
/// The sealed revision of a document's key row written before documents had a manifest.
const KEY_ROW_BEFORE_MANIFESTS: u64 = 0;
/// The sealed revision of a document's key row once its vault keeps a manifest: such a
/// document must be in the manifest (only older key rows can be adopted).
const KEY_ROW_WITH_MANIFEST: u64 = 1;
/// The documents' rollback-protection manifest (one per vault).
pub(crate) const MANIFEST: manifest::Spec = manifest::Spec {
    table: "documents_manifest",
    kind: "documents-manifest",
    magic: b"wp-dman1",
    what: "documents manifest",
};
const FORMAT: u32 = 1;
/// Directory (inside the data dir) holding the documents' files under opaque names.
pub const FILE_DIR: &str = "objects";
/// Longest label, number, issuing authority, in characters.
pub const MAX_SHORT_CHARS: usize = 200;
/// Longest notes, in bytes.
pub const MAX_NOTES_BYTES: usize = 64 * 1024;
/// Most expiry reminders per document.
pub const MAX_REMINDERS: usize = 5;
/// Longest expiry reminder, in days before the expiry date.
pub const MAX_REMINDER_DAYS: u32 = 365;

/// The documents' storage.
pub const DOCUMENTS: Component = Component {
    name: "documents",
    tables: &[
        Table::tagged("documents", KIND),
        Table::child("document_files"),
        Table::per_vault("documents_manifest", MANIFEST.kind),
    ],
    personal_dirs: &[PersonalDir {
        dir: FILE_DIR,
        table: "document_files",
        column: "file",
    }],
    steps: &[
        "CREATE TABLE documents (
             id TEXT PRIMARY KEY,
             tag BLOB NOT NULL,
             revision INTEGER NOT NULL,
             key_sealed BLOB NOT NULL,
             sealed BLOB NOT NULL
          ) STRICT;
          CREATE TABLE document_files (
             document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
             file TEXT NOT NULL UNIQUE
          ) STRICT;",
        // One sealed manifest per vault (see `journal::manifest`), found by its keyed tag.
        "CREATE TABLE documents_manifest (
             tag BLOB PRIMARY KEY,
             counter INTEGER NOT NULL,
             sealed BLOB NOT NULL
          ) STRICT;",
    ],
};

/// What a document is.
#[derive(Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum DocumentType {
    /// A passport.
    Passport,
    /// A visa.
    Visa,
    /// A work permit (e.g. an Employment Authorization Document).
    WorkPermit,
    /// A US I-94 arrival/departure record.
    I94,
    /// A national identity card or residence card.
    IdCard,
    /// A driving licence.
    DrivingLicence,
    /// A birth certificate.
    BirthCertificate,
    /// Court papers (orders, notices, protection orders).
    CourtPaper,
    /// Medical records.
    MedicalRecord,
    /// Anything else.
    Other,
}

impl std::fmt::Debug for DocumentType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DocumentType(<redacted>)")
    }
}

impl DocumentType {
    /// Every type, in display order.
    pub const ALL: [DocumentType; 10] = [
        Self::Passport,
        Self::Visa,
        Self::WorkPermit,
        Self::I94,
        Self::IdCard,
        Self::DrivingLicence,
        Self::BirthCertificate,
        Self::CourtPaper,
        Self::MedicalRecord,
        Self::Other,
    ];

    /// The stable snake_case name (CLI, JSON and message keys).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Passport => "passport",
            Self::Visa => "visa",
            Self::WorkPermit => "work_permit",
            Self::I94 => "i94",
            Self::IdCard => "id_card",
            Self::DrivingLicence => "driving_licence",
            Self::BirthCertificate => "birth_certificate",
            Self::CourtPaper => "court_paper",
            Self::MedicalRecord => "medical_record",
            Self::Other => "other",
        }
    }

    /// Message id of the type's name (`core/locales/*/documents.ftl`).
    pub fn label_id(self) -> &'static str {
        match self {
            Self::Passport => crate::i18n::mid!("doc-type-passport"),
            Self::Visa => crate::i18n::mid!("doc-type-visa"),
            Self::WorkPermit => crate::i18n::mid!("doc-type-work-permit"),
            Self::I94 => crate::i18n::mid!("doc-type-i94"),
            Self::IdCard => crate::i18n::mid!("doc-type-id-card"),
            Self::DrivingLicence => crate::i18n::mid!("doc-type-driving-licence"),
            Self::BirthCertificate => crate::i18n::mid!("doc-type-birth-certificate"),
            Self::CourtPaper => crate::i18n::mid!("doc-type-court-paper"),
            Self::MedicalRecord => crate::i18n::mid!("doc-type-medical-record"),
            Self::Other => crate::i18n::mid!("doc-type-other"),
        }
    }

    /// Parses a snake_case (or kebab-case) name; `i-94` is accepted.
    pub fn parse(s: &str) -> Result<Self> {
        let s = s.trim().to_ascii_lowercase().replace('-', "_");
        let s = if s == "i_94" { "i94".to_owned() } else { s };
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| Error::invalid("type", "unknown document type"))
    }
}

/// What a person enters for a document. Every field but the type is optional.
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DocumentDraft {
    /// What it is.
    pub doc_type: DocumentType,
    /// The survivor's own name for it ("my passport", "protection order").
    pub label: Option<String>,
    /// Document number.
    pub number: Option<String>,
    /// Issuing country: ISO 3166-1 alpha-2 code (`MX`, `US`), upper-cased when stored.
    pub issuing_country: Option<String>,
    /// Issue date, `YYYY-MM-DD`.
    pub issued_on: Option<String>,
    /// Expiry date, `YYYY-MM-DD`.
    pub expires_on: Option<String>,
    /// Notes (where the original is, who holds it, ...).
    pub notes: Option<String>,
    /// Days before the expiry date on which to be reminded (e.g. 90, 30, 7), each 1-365.
    /// Empty: no reminders. Neutral text only (the disguise's voice).
    pub expiry_reminder_days: Vec<u32>,
    /// IANA zone the reminders fire in (at 09:00 local); `UTC` when empty.
    pub reminder_time_zone: String,
}

impl std::fmt::Debug for DocumentDraft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DocumentDraft(<redacted>)")
    }
}

impl Default for DocumentDraft {
    fn default() -> Self {
        Self {
            doc_type: DocumentType::Other,
            label: None,
            number: None,
            issuing_country: None,
            issued_on: None,
            expires_on: None,
            notes: None,
            expiry_reminder_days: Vec::new(),
            reminder_time_zone: "UTC".into(),
        }
    }
}

/// The photo or scan of a document (its content is read separately, streamed).
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct DocumentFile {
    /// File name as given.
    pub name: String,
    /// Media type.
    pub mime: String,
    /// Photo or document (from the media type).
    pub kind: AttachmentKind,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// When it was added (Unix ms).
    pub added_at_ms: i64,
}

impl std::fmt::Debug for DocumentFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DocumentFile")
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

/// A stored document.
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Document {
    /// Random id.
    pub id: String,
    /// Revision, from 1 (each change, including a new file, adds one).
    pub revision: u64,
    /// When it was added (Unix ms).
    pub created_at_ms: i64,
    /// When it was last changed (Unix ms).
    pub updated_at_ms: i64,
    /// The content.
    #[serde(flatten)]
    pub draft: DocumentDraft,
    /// Its photo or scan, if one was added.
    pub file: Option<DocumentFile>,
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document")
            .field("id", &self.id)
            .field("revision", &self.revision)
            .finish_non_exhaustive()
    }
}

/// When and where a document's expiry reminders fire (for the reminder planner).
#[derive(Clone, PartialEq, Eq)]
pub struct ExpiryReminder {
    /// Document id.
    pub document_id: String,
    /// The expiry date.
    pub expires_on: NaiveDate,
    /// Zone of the 09:00 reminders.
    pub time_zone: String,
    /// Days before the expiry date, largest first.
    pub days_before: Vec<u32>,
}

impl std::fmt::Debug for ExpiryReminder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ExpiryReminder(<redacted>)")
    }
}

impl Document {
    /// The expiry reminders this document asks for, if it has an expiry date and reminders.
    pub fn expiry_reminder(&self) -> Option<ExpiryReminder> {
        let d = &self.draft;
        let expires_on = parse_date("expires_on", d.expires_on.as_deref()?).ok()?;
        if d.expiry_reminder_days.is_empty() {
            return None;
        }
        Some(ExpiryReminder {
            document_id: self.id.clone(),
            expires_on,
            time_zone: d.reminder_time_zone.clone(),
            days_before: d.expiry_reminder_days.clone(),
        })
    }
}

fn parse_date(field: &str, s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| Error::invalid(field, "not a date like 2027-03-31"))
}

fn short(field: &str, v: &Option<String>) -> Result<Option<String>> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) if s.chars().count() > MAX_SHORT_CHARS => Err(Error::invalid(field, "too long")),
        Some(s) => Ok(Some(s.nfc().collect())),
    }
}

/// Validates and normalises a draft. Errors name the field and the rule, never the content.
pub fn validate(d: &DocumentDraft) -> Result<DocumentDraft> {
    let issuing_country = match short("issuing_country", &d.issuing_country)? {
        None => None,
        Some(c) if c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Some(c.to_ascii_uppercase())
        }
        Some(_) => {
            return Err(Error::invalid(
                "issuing_country",
                "use the two-letter country code, like MX or US",
            ))
        }
    };
    let date = |field: &str, v: &Option<String>| -> Result<Option<String>> {
        match v.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(s) => Ok(Some(parse_date(field, s)?.format("%Y-%m-%d").to_string())),
        }
    };
    let issued_on = date("issued_on", &d.issued_on)?;
    let expires_on = date("expires_on", &d.expires_on)?;
    if let (Some(i), Some(e)) = (&issued_on, &expires_on) {
        if e < i {
            return Err(Error::invalid("expires_on", "is before the issue date"));
        }
    }
    let notes = match d.notes.as_deref() {
        None => None,
        Some(n) if n.trim().is_empty() => None,
        Some(n) if n.len() > MAX_NOTES_BYTES => {
            return Err(Error::invalid("notes", "too long (64 KiB at most)"))
        }
        Some(n) => Some(n.nfc().collect()),
    };
    if d.expiry_reminder_days.len() > MAX_REMINDERS {
        return Err(Error::invalid(
            "expiry_reminder_days",
            "at most 5 reminders",
        ));
    }
    if d.expiry_reminder_days
        .iter()
        .any(|n| *n == 0 || *n > MAX_REMINDER_DAYS)
    {
        return Err(Error::invalid(
            "expiry_reminder_days",
            "each must be 1 to 365 days before",
        ));
    }
    let mut days = d.expiry_reminder_days.clone();
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    if !days.is_empty() && expires_on.is_none() {
        return Err(Error::invalid(
            "expiry_reminder_days",
            "need an expiry date",
        ));
    }
    let zone = d.reminder_time_zone.trim();
    let zone = if zone.is_empty() { "UTC" } else { zone };
    let tz: chrono_tz::Tz = zone
        .parse()
        .map_err(|_| Error::invalid("reminder_time_zone", "not an IANA time zone"))?;
    Ok(DocumentDraft {
        doc_type: d.doc_type,
        label: short("label", &d.label)?,
        number: short("number", &d.number)?,
        issuing_country,
        issued_on,
        expires_on,
        notes,
        expiry_reminder_days: days,
        reminder_time_zone: tz.name().to_owned(),
    })
}

/// A fresh random id (128 bits, hex).
pub fn new_id() -> String {
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

fn check_id(id: &str) -> Result<()> {
    if id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        Ok(())
    } else {
        Err(Error::invalid("id", "not a document id"))
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    format: u32,
    document: Document,
}

fn seal(session: &Session, d: &Document) -> Result<Vec<u8>> {
    let bytes = Zeroizing::new(
        serde_json::to_vec(&Stored {
            format: FORMAT,
            document: d.clone(),
        })
        .map_err(|_| Error::Crypto("document encoding"))?,
    );
    session.sealer.seal(KIND, &d.id, d.revision, &bytes)
}

fn open(session: &Session, id: &str, revision: u64, sealed: &[u8]) -> Result<Document> {
    let bytes = session.sealer.open(KIND, id, revision, sealed)?;
    let stored: Stored =
        serde_json::from_slice(&bytes).map_err(|_| Error::Corrupt("document record"))?;
    if stored.format != FORMAT || stored.document.id != id || stored.document.revision != revision {
        return Err(Error::Corrupt("document record"));
    }
    Ok(stored.document)
}

fn u64_col(v: i64) -> Result<u64> {
    u64::try_from(v).map_err(|_| Error::Corrupt("document revision"))
}

fn i64_rev(v: u64) -> Result<i64> {
    i64::try_from(v).map_err(|_| Error::Corrupt("document revision"))
}

/// Whether `id` at the `revision` column is what the manifest records.
fn is_current(entries: &std::collections::BTreeMap<String, u64>, id: &str, revision: i64) -> bool {
    u64::try_from(revision).is_ok_and(|r| entries.get(id) == Some(&r))
}

/// What is known of a set-aside document that cannot be read: its id and revision.
fn bare(id: &str, revision: u64) -> Document {
    Document {
        id: id.to_owned(),
        revision,
        created_at_ms: 0,
        updated_at_ms: 0,
        draft: DocumentDraft::default(),
        file: None,
    }
}

/// The document's own key: an age X25519 identity (its file is encrypted to it).
#[derive(Clone)]
pub struct DocumentKey(Zeroizing<String>);

impl std::fmt::Debug for DocumentKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DocumentKey(<redacted>)")
    }
}

impl DocumentKey {
    fn generate() -> Self {
        use age::secrecy::ExposeSecret;
        Self(Zeroizing::new(
            age::x25519::Identity::generate()
                .to_string()
                .expose_secret()
                .to_owned(),
        ))
    }

    fn identity(&self) -> Result<age::x25519::Identity> {
        self.0.parse().map_err(|_| Error::Corrupt("document key"))
    }
}

/// A document and its key, copied out of the session so long file work (encrypting a
/// photo, writing an export) never holds the session lock.
#[derive(Debug, Clone)]
pub struct DocumentSnapshot {
    /// The document.
    pub document: Document,
    key: DocumentKey,
}

/// An encrypted file written under a temporary name, not yet recorded. Dropped unrecorded,
/// its file is removed.
pub struct WrittenFile {
    tmp: PathBuf,
    file: String,
    info: DocumentFile,
    recorded: bool,
}

impl std::fmt::Debug for WrittenFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WrittenFile(<redacted>)")
    }
}

impl Drop for WrittenFile {
    fn drop(&mut self) {
        if !self.recorded {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// The documents over one store and data directory.
#[derive(Debug, Clone, Copy)]
pub struct DocumentsCtx<'a> {
    /// The database.
    pub store: &'a Store,
    /// The data directory (files live in `objects/` under it).
    pub data_dir: &'a Path,
    /// Largest file accepted (the journal's attachment limit).
    pub max_file_bytes: u64,
}

type Row = (String, Vec<u8>, i64, Vec<u8>, Vec<u8>);

/// This vault's documents manifest as loaded after unlock or last written: kept in the
/// session (dropped on lock) and checked against the rows on every read.
#[derive(Debug)]
struct Checked {
    manifest: Manifest,
    /// The manifest was missing or unreadable although the vault has documents (or had a
    /// manifest): reported as one damaged item until the next write records a new one.
    integrity_lost: bool,
}

/// Why a document is set aside.
const NOT_CURRENT: Error = Error::Corrupt("document is not the version last saved");

impl DocumentsCtx<'_> {
    fn dir(&self) -> PathBuf {
        self.data_dir.join(FILE_DIR)
    }

    /// The vault's manifest, loaded (and checked, or adopted) on first use in the session.
    fn checked<'s>(&self, session: &'s mut Session) -> Result<&'s mut Checked> {
        if session.cache_mut::<Checked>().is_none() {
            let checked = self.load_manifest(session)?;
            session.put_cache(checked);
        }
        session
            .cache_mut::<Checked>()
            .ok_or(Error::Corrupt("documents manifest"))
    }

    fn load_manifest(&self, session: &Session) -> Result<Checked> {
        let keys = session.keys()?;
        let key_rows = session.sealer.kind(KIND_KEY);
        let mut loaded = manifest::Loaded::Missing {
            stored_counter: None,
        };
        // This vault's rows: id -> revision column; and those whose key row predates
        // manifests, with their key (adoptable when there is no manifest).
        let mut present = std::collections::BTreeMap::new();
        let mut adoptable = Vec::new();
        self.store.with_conn(|c| {
            loaded = manifest::load(c, &MANIFEST, session)?;
            let mut st = c.prepare("SELECT id, tag, revision, key_sealed FROM documents")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let id: String = r.get(0)?;
                let bad_row = |_| Error::Corrupt("document row");
                if r.get_ref(1)?.as_blob().map_err(bad_row)? != keys.row_tag(KIND, &id).as_slice() {
                    continue; // the other vault's row
                }
                let revision: i64 = r.get(2)?;
                present.insert(id.clone(), u64::try_from(revision).unwrap_or(u64::MAX));
                let key_sealed = r.get_ref(3)?.as_blob().map_err(bad_row)?;
                if key_rows
                    .open(&id, KEY_ROW_WITH_MANIFEST, key_sealed)
                    .is_err()
                {
                    if let Ok(plain) = key_rows.open(&id, KEY_ROW_BEFORE_MANIFESTS, key_sealed) {
                        adoptable.push((id, plain));
                    }
                }
            }
            Ok(())
        })?;
        match loaded {
            manifest::Loaded::Found(m) => Ok(Checked {
                manifest: m,
                integrity_lost: false,
            }),
            manifest::Loaded::Missing { stored_counter } => {
                let all_adoptable = adoptable.len() == present.len();
                let verdict = manifest::verdict(stored_counter, !present.is_empty(), all_adoptable);
                let found = manifest::from_rows(stored_counter, present, Default::default());
                if verdict != manifest::Verdict::Adopt {
                    return Ok(Checked {
                        manifest: found,
                        integrity_lost: verdict == manifest::Verdict::Lost,
                    });
                }
                // First unlock after the upgrade to manifests: record what is there and
                // reseal the key rows as written under a manifest, in one transaction, so
                // these documents can never be adopted again.
                let pending = found.next(&MANIFEST, session, |_| {})?;
                let mut resealed = Vec::with_capacity(adoptable.len());
                for (id, plain) in &adoptable {
                    resealed.push((id, key_rows.seal(id, KEY_ROW_WITH_MANIFEST, plain)?));
                }
                self.store.transaction(|tx| {
                    for (id, sealed) in &resealed {
                        tx.execute(
                            "UPDATE documents SET key_sealed = ?2 WHERE id = ?1",
                            rusqlite::params![id, sealed],
                        )?;
                    }
                    pending.store(tx)
                })?;
                Ok(Checked {
                    manifest: pending.manifest,
                    integrity_lost: false,
                })
            }
        }
    }

    /// Stores a new document (without a file; add one with the write/record pair).
    pub fn add(
        &self,
        session: &mut Session,
        draft: &DocumentDraft,
        now_ms: i64,
    ) -> Result<Document> {
        let draft = validate(draft)?;
        let d = Document {
            id: new_id(),
            revision: 1,
            created_at_ms: now_ms,
            updated_at_ms: now_ms,
            draft,
            file: None,
        };
        let key = DocumentKey::generate();
        let key_sealed =
            session
                .sealer
                .seal(KIND_KEY, &d.id, KEY_ROW_WITH_MANIFEST, key.0.as_bytes())?;
        let sealed = seal(session, &d)?;
        let tag = session.row_tag(KIND, &d.id)?;
        let pending = self.current(session)?.next(&MANIFEST, session, |m| {
            m.entries.insert(d.id.clone(), 1);
        })?;
        self.store.transaction(|tx| {
            tx.execute(
                "INSERT INTO documents (id, tag, revision, key_sealed, sealed)
                 VALUES (?1, ?2, 1, ?3, ?4)",
                rusqlite::params![d.id, tag, key_sealed, sealed],
            )?;
            pending.store(tx)
        })?;
        self.note(session, pending.manifest)?;
        Ok(d)
    }

    /// A copy of the session's manifest, to seal the next one from.
    fn current(&self, session: &mut Session) -> Result<Manifest> {
        Ok(self.checked(session)?.manifest.clone())
    }

    /// Keeps `m`, just stored, as the session's manifest.
    fn note(&self, session: &mut Session, m: Manifest) -> Result<()> {
        let checked = self.checked(session)?;
        checked.manifest = m;
        checked.integrity_lost = false;
        Ok(())
    }

    fn row(&self, id: &str) -> Result<Option<Row>> {
        self.store.with_conn(|c| {
            Ok(c.query_row(
                "SELECT id, tag, revision, key_sealed, sealed FROM documents WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .optional()?)
        })
    }

    fn open_row(&self, session: &Session, row: Row) -> Result<DocumentSnapshot> {
        let (id, _, revision, key_sealed, sealed) = row;
        let document = open(session, &id, u64_col(revision)?, &sealed)?;
        let key_rows = session.sealer.kind(KIND_KEY);
        let key = key_rows
            .open(&id, KEY_ROW_WITH_MANIFEST, &key_sealed)
            .or_else(|_| key_rows.open(&id, KEY_ROW_BEFORE_MANIFESTS, &key_sealed))?;
        let key = DocumentKey(Zeroizing::new(
            String::from_utf8(key.to_vec()).map_err(|_| Error::Corrupt("document key"))?,
        ));
        Ok(DocumentSnapshot { document, key })
    }

    /// One document of this vault with its key (another vault's is [`Error::NotFound`]; one
    /// that is not at the revision the manifest records is a storage error).
    pub fn snapshot(&self, session: &mut Session, id: &str) -> Result<DocumentSnapshot> {
        check_id(id)?;
        let row = self.row(id)?;
        let checked = self.checked(session)?;
        let listed = checked.manifest.entries.contains_key(id);
        let Some(row) = row else {
            return Err(if listed { NOT_CURRENT } else { Error::NotFound });
        };
        let current = is_current(&checked.manifest.entries, id, row.2);
        if row.1 != session.row_tag(KIND, id)? {
            return Err(Error::NotFound);
        }
        if !current {
            return Err(NOT_CURRENT);
        }
        self.open_row(session, row)
    }

    /// One document.
    pub fn get(&self, session: &mut Session, id: &str) -> Result<Document> {
        Ok(self.snapshot(session, id)?.document)
    }

    /// Every document of this vault (with keys), by type then label then id, and how many
    /// are damaged. Rows that do not open, or that the manifest check sets aside (rolled
    /// back, put back after removal), are left out; those and every document the manifest
    /// names without a row, every listed document whose scan row is gone, and a missing
    /// or unreadable manifest are counted.
    pub fn snapshot_all(&self, session: &mut Session) -> Result<(Vec<DocumentSnapshot>, u32)> {
        let rows: Vec<Row> = self.store.with_conn(|c| {
            let mut st =
                c.prepare("SELECT id, tag, revision, key_sealed, sealed FROM documents")?;
            let rows = st
                .query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })?;
        let files: std::collections::HashSet<String> = self.store.with_conn(|c| {
            let mut st = c.prepare("SELECT document_id FROM document_files")?;
            let rows = st.query_map([], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })?;
        let keys = session.keys()?;
        // This vault's rows (the other vault's are not looked at).
        let rows: Vec<Row> = rows
            .into_iter()
            .filter(|row| row.1 == keys.row_tag(KIND, &row.0))
            .collect();
        let present: std::collections::BTreeMap<String, u64> = rows
            .iter()
            .map(|row| (row.0.clone(), u64::try_from(row.2).unwrap_or(u64::MAX)))
            .collect();
        let checked = self.checked(session)?;
        let set_aside = manifest::compare(&checked.manifest, &present);
        let mut damaged = set_aside.len() + usize::from(checked.integrity_lost);
        let current: Vec<Row> = rows
            .into_iter()
            .filter(|row| !set_aside.contains(&row.0))
            .collect();
        let mut out = Vec::with_capacity(current.len());
        for row in current {
            match self.open_row(session, row) {
                Ok(s) => {
                    if s.document.file.is_some() && !files.contains(&s.document.id) {
                        damaged += 1; // its scan row was deleted: listed, and counted
                    }
                    out.push(s);
                }
                Err(_) => damaged += 1,
            }
        }
        out.sort_by(|a, b| {
            let (a, b) = (&a.document, &b.document);
            (a.draft.doc_type.as_str(), &a.draft.label, &a.id).cmp(&(
                b.draft.doc_type.as_str(),
                &b.draft.label,
                &b.id,
            ))
        });
        Ok((out, u32::try_from(damaged).unwrap_or(u32::MAX)))
    }

    /// Every document of this vault, and how many are damaged (see
    /// [`DocumentsCtx::snapshot_all`]).
    pub fn list(&self, session: &mut Session) -> Result<(Vec<Document>, u32)> {
        let (all, damaged) = self.snapshot_all(session)?;
        Ok((all.into_iter().map(|s| s.document).collect(), damaged))
    }

    /// Replaces a document's details (its file stays). Returns the old and new version.
    pub fn edit(
        &self,
        session: &mut Session,
        id: &str,
        draft: &DocumentDraft,
        now_ms: i64,
    ) -> Result<(Document, Document)> {
        let draft = validate(draft)?;
        let old = self.get(session, id)?;
        let new = Document {
            revision: old.revision + 1,
            updated_at_ms: now_ms,
            draft,
            ..old.clone()
        };
        self.replace(session, &new)?;
        Ok((old, new))
    }

    fn replace(&self, session: &mut Session, new: &Document) -> Result<()> {
        let sealed = seal(session, new)?;
        let rev = i64_rev(new.revision)?;
        let pending = self.current(session)?.next(&MANIFEST, session, |m| {
            m.entries.insert(new.id.clone(), new.revision);
        })?;
        self.store.transaction(|tx| {
            let changed = tx.execute(
                "UPDATE documents SET revision = ?2, sealed = ?3 WHERE id = ?1 AND revision = ?4",
                rusqlite::params![new.id, rev, sealed, rev - 1],
            )?;
            if changed != 1 {
                return Err(Error::NotFound);
            }
            pending.store(tx)
        })?;
        self.note(session, pending.manifest)
    }

    /// Deletes a document for good: its key row (so any surviving copy of its file is
    /// undecryptable), its record and its file. Returns what was deleted. A document set
    /// aside by the manifest check can be removed too (how its owner acknowledges it):
    /// what is returned is then its row as found, or, when the row is gone, only its id.
    pub fn delete(&self, session: &mut Session, id: &str) -> Result<Document> {
        check_id(id)?;
        let old = match self.get(session, id) {
            Ok(d) => d,
            Err(Error::Corrupt(_)) => self.set_aside(session, id)?,
            Err(e) => return Err(e),
        };
        let pending = self.current(session)?.next(&MANIFEST, session, |m| {
            m.entries.remove(id);
        })?;
        let file: Option<String> = self.store.transaction(|tx| {
            let f = recorded_file(tx, id)?;
            tx.execute("DELETE FROM documents WHERE id = ?1", [id])?;
            pending.store(tx)?;
            Ok(f)
        })?;
        self.after_file_removed(session, pending.manifest, file)?;
        Ok(old)
    }

    /// After the transaction that dropped a document's file from the records (the
    /// document deleted, or only its file removed): notes the new manifest, removes the
    /// encrypted file, and checkpoints so the old row leaves the WAL.
    fn after_file_removed(
        &self,
        session: &mut Session,
        manifest: Manifest,
        file: Option<String>,
    ) -> Result<()> {
        self.note(session, manifest)?;
        if let Some(f) = file {
            let _ = std::fs::remove_file(self.dir().join(f));
        }
        self.store.checkpoint()
    }

    /// A set-aside document of this vault as far as it can be read: its row if it opens
    /// (an older revision, or one put back), otherwise only its id. Another vault's (or an
    /// unknown) id is [`Error::NotFound`].
    fn set_aside(&self, session: &mut Session, id: &str) -> Result<Document> {
        let listed = self.checked(session)?.manifest.entries.get(id).copied();
        match self.row(id)? {
            Some(row) if row.1 == session.row_tag(KIND, id)? => {
                let revision = u64_col(row.2)?;
                Ok(self
                    .open_row(session, row)
                    .map_or_else(|_| bare(id, revision), |s| s.document))
            }
            Some(_) => Err(Error::NotFound),
            None => listed.map(|rev| bare(id, rev)).ok_or(Error::NotFound),
        }
    }

    /// Encrypts `source` (streamed) as the file of the document in `snap`, exactly as a
    /// journal attachment is written. Runs outside the session lock; nothing is recorded
    /// until [`DocumentsCtx::record_file`].
    pub fn write_file(
        &self,
        snap: &DocumentSnapshot,
        source: &mut dyn Read,
        name: &str,
        mime: &str,
        now_ms: i64,
    ) -> Result<WrittenFile> {
        let name: String = name.trim().nfc().collect();
        if name.is_empty() || name.chars().count() > 255 {
            return Err(Error::invalid("name", "must be 1 to 255 characters"));
        }
        let mime = mime.trim().to_ascii_lowercase();
        if mime.is_empty() || mime.len() > 127 || !mime.contains('/') || !mime.is_ascii() {
            return Err(Error::invalid("mime", "not a media type like image/jpeg"));
        }
        let dir = self.dir();
        crate::store::create_private_dir(&dir)?;
        let tmp = dir.join(format!("{}.tmp", new_id()));
        let result = snap.key.identity().and_then(|id| {
            crate::journal::encrypt_padded(&id.to_public(), source, &tmp, self.max_file_bytes)
        });
        let (size, sha256) = match result {
            Ok(v) => v,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        Ok(WrittenFile {
            tmp,
            file: new_id(),
            recorded: false,
            info: DocumentFile {
                kind: kind_of(&mime),
                name,
                mime,
                size,
                sha256,
                added_at_ms: now_ms,
            },
        })
    }

    /// Records a written file as the document's file (replacing any earlier one) in one
    /// transaction with the document's new revision. A kill at any point leaves either the
    /// old file and record or the new ones.
    pub fn record_file(
        &self,
        session: &mut Session,
        id: &str,
        mut written: WrittenFile,
        now_ms: i64,
    ) -> Result<Document> {
        let old = self.get(session, id)?;
        let new = Document {
            revision: old.revision + 1,
            updated_at_ms: now_ms,
            file: Some(written.info.clone()),
            ..old
        };
        let sealed = seal(session, &new)?;
        let rev = i64_rev(new.revision)?;
        let pending = self.current(session)?.next(&MANIFEST, session, |m| {
            m.entries.insert(new.id.clone(), new.revision);
        })?;
        let dir = self.dir();
        let final_path = dir.join(&written.file);
        let replaced: Result<Option<String>> = self.store.transaction(|tx| {
            let changed = tx.execute(
                "UPDATE documents SET revision = ?2, sealed = ?3 WHERE id = ?1 AND revision = ?4",
                rusqlite::params![id, rev, sealed, rev - 1],
            )?;
            if changed != 1 {
                return Err(Error::NotFound);
            }
            let before: Option<String> = recorded_file(tx, id)?;
            tx.execute(
                "INSERT INTO document_files (document_id, file) VALUES (?1, ?2)
                 ON CONFLICT(document_id) DO UPDATE SET file = excluded.file",
                rusqlite::params![id, written.file],
            )?;
            pending.store(tx)?;
            std::fs::rename(&written.tmp, &final_path)?;
            if let Ok(d) = std::fs::File::open(&dir) {
                let _ = d.sync_all();
            }
            Ok(before)
        });
        let replaced = match replaced {
            Ok(r) => r,
            Err(e) => {
                let _ = std::fs::remove_file(&final_path);
                return Err(e);
            }
        };
        written.recorded = true;
        self.note(session, pending.manifest)?;
        if let Some(f) = replaced {
            let _ = std::fs::remove_file(dir.join(f));
            self.store.checkpoint()?;
        }
        Ok(new)
    }

    /// Removes the document's photo or scan (its details stay) in one transaction with
    /// the document's new revision, then the encrypted file. A document without a file is
    /// returned unchanged.
    pub fn remove_file(&self, session: &mut Session, id: &str, now_ms: i64) -> Result<Document> {
        let old = self.get(session, id)?;
        if old.file.is_none() {
            return Ok(old);
        }
        let new = Document {
            revision: old.revision + 1,
            updated_at_ms: now_ms,
            file: None,
            ..old
        };
        let sealed = seal(session, &new)?;
        let rev = i64_rev(new.revision)?;
        // The new revision goes into the manifest in the same transaction, so the scan's
        // removal can never be mistaken for a rolled-back row (and an older row with the
        // scan put back is caught like any other rollback).
        let pending = self.current(session)?.next(&MANIFEST, session, |m| {
            m.entries.insert(new.id.clone(), new.revision);
        })?;
        let removed: Option<String> = self.store.transaction(|tx| {
            let changed = tx.execute(
                "UPDATE documents SET revision = ?2, sealed = ?3 WHERE id = ?1 AND revision = ?4",
                rusqlite::params![id, rev, sealed, rev - 1],
            )?;
            if changed != 1 {
                return Err(Error::NotFound);
            }
            let f = recorded_file(tx, id)?;
            tx.execute("DELETE FROM document_files WHERE document_id = ?1", [id])?;
            pending.store(tx)?;
            Ok(f)
        })?;
        self.after_file_removed(session, pending.manifest, removed)?;
        Ok(new)
    }

    /// A reader over the document's file that checks size, hash and padding at the end.
    pub fn file_reader(&self, snap: &DocumentSnapshot) -> Result<VerifyingReader> {
        let info = snap.document.file.as_ref().ok_or(Error::NotFound)?;
        let file: String = self
            .store
            .with_conn(|c| recorded_file(c, &snap.document.id))?
            .ok_or(Error::Corrupt("document file missing"))?;
        VerifyingReader::open(
            &self.dir().join(file),
            &snap.key.identity()?,
            info.size,
            &info.sha256,
        )
    }

    /// Streams the document's file into `out`, checked; returns its size.
    pub fn read_file(&self, snap: &DocumentSnapshot, out: &mut dyn std::io::Write) -> Result<u64> {
        let mut reader = self.file_reader(snap)?;
        let n = std::io::copy(&mut reader, out).map_err(crate::journal::map_read_err)?;
        reader.finish()?;
        Ok(n)
    }

    /// Removes files in `objects/` left by a kill between writing and recording them.
    pub fn collect_orphan_files(&self) -> Result<()> {
        let known: std::collections::HashSet<String> = self.store.with_conn(|c| {
            let mut st = c.prepare("SELECT file FROM document_files")?;
            let rows = st.query_map([], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })?;
        if let Ok(entries) = std::fs::read_dir(self.dir()) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if !known.contains(&name) {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        Ok(())
    }
}

/// The encrypted file recorded for document `id`, if any.
fn recorded_file(c: &rusqlite::Connection, id: &str) -> Result<Option<String>> {
    Ok(c.query_row(
        "SELECT file FROM document_files WHERE document_id = ?1",
        [id],
        |r| r.get(0),
    )
    .optional()?)
}

fn kind_of(mime: &str) -> AttachmentKind {
    if mime.starts_with("image/") {
        AttachmentKind::Photo
    } else {
        AttachmentKind::Document
    }
}

/// The labelled facts of a document, in the order readable renderings show them.
pub fn document_rows(d: &Document) -> Vec<(&'static str, String)> {
    let mut rows = vec![
        ("Document id", d.id.clone()),
        ("Type", d.draft.doc_type.as_str().to_owned()),
    ];
    let dr = &d.draft;
    for (k, v) in [
        ("Label", &dr.label),
        ("Number", &dr.number),
        ("Issuing country", &dr.issuing_country),
        ("Issued on", &dr.issued_on),
        ("Expires on", &dr.expires_on),
    ] {
        if let Some(v) = v {
            rows.push((k, v.clone()));
        }
    }
    if let Some(f) = &d.file {
        rows.push((
            "File",
            format!(
                "{} ({}, {} bytes, SHA-256 {})",
                f.name, f.mime, f.size, f.sha256
            ),
        ));
    }
    rows
}

/// Path of the `n`th (1-based) document's file under a package's top folder.
pub fn package_file_path(n: usize, d: &Document, f: &DocumentFile) -> String {
    format!(
        "documents/{n:04}-{}/{}",
        d.id,
        crate::journal::export::safe_name(&f.name)
    )
}

/// What a package (evidence export or share) carries of `docs`: `documents.json` (every
/// chosen document's record, in order) and each file, streamed and checked.
pub fn package_parts<'a>(
    ctx: &'a DocumentsCtx<'a>,
    docs: &'a [DocumentSnapshot],
) -> Result<(
    Zeroizing<Vec<u8>>,
    Vec<crate::journal::export::StreamedFile<'a>>,
)> {
    let records: Vec<&Document> = docs.iter().map(|s| &s.document).collect();
    let json = Zeroizing::new(
        serde_json::to_vec_pretty(&records).map_err(|_| Error::Crypto("encode documents"))?,
    );
    let mut files = Vec::new();
    for (i, snap) in docs.iter().enumerate() {
        if let Some(f) = &snap.document.file {
            files.push(crate::journal::export::StreamedFile {
                path: package_file_path(i + 1, &snap.document, f),
                size: f.size,
                sha256: f.sha256.clone(),
                open: Box::new(move || ctx.file_reader(snap)),
            });
        }
    }
    Ok((json, files))
}

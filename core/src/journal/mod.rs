//! The encrypted journal: entries, their revision history, attachments and evidence export.
//!
//! Storage (all personal content inside ciphertext; see [`crate::vault`] for the keys):
//!
//! - `journal_entries(id, tag, revision, key_sealed, sealed)`: `id` is random; `tag` marks
//!   the row as this vault's without linking it to other rows; `key_sealed` is the entry's
//!   own age X25519 identity sealed by the vault sealer (kind `journal-key`); `sealed` is the
//!   current revision sealed under the entry key (kind `journal`, AAD = id + revision).
//! - `journal_revisions`: earlier revisions, sealed the same way (history on edit).
//! - `journal_attachments(id, entry_id, file, sealed)`: `file` is an opaque random name in
//!   `blobs/`; the file is an age STREAM file to the entry's identity, its content followed
//!   by zero padding up to a size bucket ([`crate::crypto::padded_stream_len`]); `sealed`
//!   holds the name, type, real size and SHA-256 (kind `journal-attachment`).
//!
//! - `journal_manifest(tag, counter, sealed)`: per vault, which entries exist and the
//!   revision each is at, and which attachments, so a rolled-back, restored or deleted row
//!   is noticed ([`manifest`]).
//!
//! Deleting an entry deletes its key row: every revision and attachment copy that might
//! survive anywhere (a backup, a file-system block) is undecryptable from then on
//! (crypto-shred); with `secure_delete` and a WAL checkpoint the rows themselves are zeroed.
//!
//! Titles, bodies, dates, tags, counts per day: all inside the ciphertext. Lists and search
//! run over an in-memory index built after unlock ([`index::JournalIndex`]).

pub mod export;
pub mod index;
pub(crate) mod manifest;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rand::RngCore;
use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;
use zeroize::Zeroizing;

use crate::crypto::{age_stream_reader, padded_stream_len, KindSealer, SecretKey};
use crate::error::{Error, Result};
use crate::session::Session;
use crate::store::{Component, PersonalDir, Store, Table};
use index::{EntryKey, JournalIndex};

/// Directory (inside the data dir) holding attachment files under opaque names.
pub const BLOB_DIR: &str = "blobs";
/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 500;
/// Longest body, in bytes (about 1 MiB of text).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Most tags / people / documents per entry.
pub const MAX_LIST_ITEMS: usize = 100;
/// Longest short field (tag, person, place, mood, wage, ...), in characters.
pub const MAX_SHORT_CHARS: usize = 1000;

const KIND_ENTRY: &str = "journal";
const KIND_KEY: &str = "journal-key";
/// The sealed revision of an entry's key row written before journal manifests existed.
const KEY_ROW_BEFORE_MANIFESTS: u64 = 0;
/// The sealed revision of an entry's key row once its vault keeps a manifest. An entry with
/// such a key row must be in the manifest; only older key rows can be adopted by a vault
/// that has no manifest yet (and adoption reseals them, in the same transaction).
const KEY_ROW_WITH_MANIFEST: u64 = 1;
const KIND_ATTACHMENT: &str = "journal-attachment";
const ENTRY_FORMAT: u32 = 1;

/// The journal's storage.
pub const JOURNAL: Component = Component {
    name: "journal",
    tables: &[
        Table::tagged("journal_entries", KIND_ENTRY),
        Table::child("journal_revisions"),
        Table::child("journal_attachments"),
        Table::per_vault("journal_manifest", manifest::JOURNAL.kind),
    ],
    personal_dirs: &[PersonalDir {
        dir: BLOB_DIR,
        table: "journal_attachments",
        column: "file",
    }],
    steps: &[
        "CREATE TABLE journal_entries (
                 id TEXT PRIMARY KEY,
                 tag BLOB NOT NULL,
                 revision INTEGER NOT NULL,
                 key_sealed BLOB NOT NULL,
                 sealed BLOB NOT NULL
              ) STRICT;
              CREATE TABLE journal_revisions (
                 entry_id TEXT NOT NULL REFERENCES journal_entries(id) ON DELETE CASCADE,
                 revision INTEGER NOT NULL,
                 sealed BLOB NOT NULL,
                 PRIMARY KEY (entry_id, revision)
              ) STRICT;
              CREATE TABLE journal_attachments (
                 id TEXT PRIMARY KEY,
                 entry_id TEXT NOT NULL REFERENCES journal_entries(id) ON DELETE CASCADE,
                 file TEXT NOT NULL UNIQUE,
                 sealed BLOB NOT NULL
              ) STRICT;
              CREATE INDEX journal_attachments_entry ON journal_attachments(entry_id);",
        // One sealed manifest per vault (see `manifest`), found by the vault's keyed tag.
        "CREATE TABLE journal_manifest (
                 tag BLOB PRIMARY KEY,
                 counter INTEGER NOT NULL,
                 sealed BLOB NOT NULL
              ) STRICT;",
    ],
};

/// Details that matter in trafficking and labour-exploitation cases. All optional.
#[derive(Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default)]
pub struct CaseDetails {
    /// Hours worked in the period the entry describes.
    pub hours_worked: Option<f64>,
    /// Wages that were promised (free text: amount, currency, period).
    pub wages_promised: Option<String>,
    /// Wages actually paid.
    pub wages_paid: Option<String>,
    /// Debts the employer or trafficker claims are owed.
    pub debts_claimed: Option<String>,
    /// Identity or travel documents withheld (passport, ID card, visa, ...).
    pub documents_withheld: Vec<String>,
    /// Threats made.
    pub threats: Option<String>,
}

impl std::fmt::Debug for CaseDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CaseDetails(<redacted>)")
    }
}

/// What a person writes: everything of an entry except what the journal assigns.
#[derive(Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(default)]
pub struct EntryDraft {
    /// Title.
    pub title: String,
    /// The text.
    pub body: String,
    /// When the event happened (Unix ms), if not when it was written.
    pub happened_at_ms: Option<i64>,
    /// Mood, in the writer's words.
    pub mood: Option<String>,
    /// Tags.
    pub tags: Vec<String>,
    /// Where it happened.
    pub place: Option<String>,
    /// People involved.
    pub people: Vec<String>,
    /// Trafficking-case details.
    pub case_details: CaseDetails,
}

impl std::fmt::Debug for EntryDraft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EntryDraft(<redacted>)")
    }
}

/// What kind of file an attachment is (from its media type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    /// Images (media type image/...).
    Photo,
    /// Recordings (audio/...).
    Audio,
    /// Videos (video/...).
    Video,
    /// anything else (PDF, text, ...)
    Document,
}

impl AttachmentKind {
    fn from_mime(mime: &str) -> Self {
        match mime.split('/').next().unwrap_or("") {
            "image" => Self::Photo,
            "audio" => Self::Audio,
            "video" => Self::Video,
            _ => Self::Document,
        }
    }
}

/// An attachment's description (the content is read separately, streamed).
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AttachmentInfo {
    /// Attachment id.
    pub id: String,
    /// The entry it belongs to.
    pub entry_id: String,
    /// File name as given when attached.
    pub name: String,
    /// Media type.
    pub mime: String,
    /// Photo, audio, video or document.
    pub kind: AttachmentKind,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// When it was attached (Unix ms).
    pub added_at_ms: i64,
}

impl std::fmt::Debug for AttachmentInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AttachmentInfo")
            .field("id", &self.id)
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

/// A journal entry as stored (one revision).
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct JournalEntry {
    /// Entry id (random).
    pub id: String,
    /// Revision, from 1; each edit adds one and keeps the previous in the history.
    pub revision: u64,
    /// Title.
    pub title: String,
    /// The text.
    pub body: String,
    /// When the event happened (Unix ms), if given.
    pub happened_at_ms: Option<i64>,
    /// When the entry was first written (Unix ms).
    pub written_at_ms: i64,
    /// When this revision was written (Unix ms).
    pub updated_at_ms: i64,
    /// Mood.
    pub mood: Option<String>,
    /// Tags (trimmed, lower-case).
    pub tags: Vec<String>,
    /// Place.
    pub place: Option<String>,
    /// People involved.
    pub people: Vec<String>,
    /// Trafficking-case details.
    pub case_details: CaseDetails,
    /// Attachments (current revision only).
    #[serde(default)]
    pub attachments: Vec<AttachmentInfo>,
}

impl std::fmt::Debug for JournalEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JournalEntry")
            .field("id", &self.id)
            .field("revision", &self.revision)
            .finish_non_exhaustive()
    }
}

/// Which entries to list. Dates compare against when the event happened (or, if not
/// given, when it was written).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct EntryFilter {
    /// Only entries with this tag.
    pub tag: Option<String>,
    /// Only entries at or after this time (Unix ms).
    pub from_ms: Option<i64>,
    /// Only entries at or before this time (Unix ms).
    pub to_ms: Option<i64>,
    /// At most this many (newest first).
    pub limit: Option<u32>,
}

/// Tags compare trimmed, NFC, lower-case.
pub fn normalise_tag(tag: &str) -> String {
    tag.trim().nfc().flat_map(char::to_lowercase).collect()
}

fn clean(s: &str) -> String {
    s.nfc().collect()
}

fn check_short(field: &str, v: &Option<String>) -> Result<Option<String>> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) if s.chars().count() > MAX_SHORT_CHARS => Err(Error::invalid(field, "too long")),
        Some(s) => Ok(Some(clean(s))),
    }
}

fn check_list(field: &str, v: &[String], tags: bool) -> Result<Vec<String>> {
    if v.len() > MAX_LIST_ITEMS {
        return Err(Error::invalid(field, "too many items"));
    }
    let mut out: Vec<String> = Vec::new();
    for item in v {
        let s = if tags {
            normalise_tag(item)
        } else {
            clean(item.trim())
        };
        if s.is_empty() {
            continue;
        }
        if s.chars().count() > MAX_SHORT_CHARS {
            return Err(Error::invalid(field, "item too long"));
        }
        if !out.contains(&s) {
            out.push(s);
        }
    }
    Ok(out)
}

/// Validates and normalises a draft. Errors name the field, never its content.
pub fn validate(d: &EntryDraft) -> Result<EntryDraft> {
    let title = clean(d.title.trim());
    let body = clean(&d.body);
    if title.is_empty() && body.trim().is_empty() {
        return Err(Error::invalid("entry", "needs a title or a body"));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(Error::invalid("title", "too long"));
    }
    if body.len() > MAX_BODY_BYTES {
        return Err(Error::invalid("body", "too long (1 MiB at most)"));
    }
    if let Some(h) = d.case_details.hours_worked {
        if !h.is_finite() || !(0.0..=100_000.0).contains(&h) {
            return Err(Error::invalid("hours_worked", "must be a number of hours"));
        }
    }
    Ok(EntryDraft {
        title,
        body,
        happened_at_ms: d.happened_at_ms,
        mood: check_short("mood", &d.mood)?,
        tags: check_list("tags", &d.tags, true)?,
        place: check_short("place", &d.place)?,
        people: check_list("people", &d.people, false)?,
        case_details: CaseDetails {
            hours_worked: d.case_details.hours_worked,
            wages_promised: check_short("wages_promised", &d.case_details.wages_promised)?,
            wages_paid: check_short("wages_paid", &d.case_details.wages_paid)?,
            debts_claimed: check_short("debts_claimed", &d.case_details.debts_claimed)?,
            documents_withheld: check_list(
                "documents_withheld",
                &d.case_details.documents_withheld,
                false,
            )?,
            threats: check_short("threats", &d.case_details.threats)?,
        },
    })
}

/// The sealed form of one revision.
#[derive(serde::Serialize, serde::Deserialize)]
struct SealedEntry {
    format: u32,
    id: String,
    draft: EntryDraft,
    written_at_ms: i64,
    updated_at_ms: i64,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct SealedAttachment {
    entry_id: String,
    name: String,
    mime: String,
    size: u64,
    sha256: String,
    added_at_ms: i64,
}

/// A fresh random id (128 bits, hex).
pub fn new_id() -> String {
    let mut b = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut b);
    hex::encode(b)
}

fn check_id(field: &str, id: &str) -> Result<()> {
    if id.len() == 32
        && id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        Ok(())
    } else {
        Err(Error::invalid(field, "not a journal id"))
    }
}

impl EntryKey {
    fn generate() -> Self {
        use age::secrecy::ExposeSecret;
        let identity = age::x25519::Identity::generate();
        Self::from_identity(Zeroizing::new(
            identity.to_string().expose_secret().to_owned(),
        ))
    }

    fn from_identity(identity: Zeroizing<String>) -> Self {
        let hk = hkdf::Hkdf::<Sha256>::new(Some(b"waypoint/journal-entry/v1"), identity.as_bytes());
        let mut revisions = Zeroizing::new([0u8; 32]);
        let mut attachments = Zeroizing::new([0u8; 32]);
        hk.expand(b"revisions", &mut *revisions)
            .expect("32 bytes is a valid HKDF length");
        hk.expand(b"attachments", &mut *attachments)
            .expect("32 bytes is a valid HKDF length");
        Self {
            identity,
            revisions: KindSealer::from_key(KIND_ENTRY, &SecretKey::from_bytes(*revisions)),
            attachments: KindSealer::from_key(
                KIND_ATTACHMENT,
                &SecretKey::from_bytes(*attachments),
            ),
            _probe: crate::crypto::KeyProbe::new(),
        }
    }

    fn age_identity(&self) -> Result<age::x25519::Identity> {
        self.identity
            .parse()
            .map_err(|_| Error::Corrupt("journal entry key"))
    }
}

fn entry_from(sealed: SealedEntry, revision: u64) -> JournalEntry {
    let d = sealed.draft;
    JournalEntry {
        id: sealed.id,
        revision,
        title: d.title,
        body: d.body,
        happened_at_ms: d.happened_at_ms,
        written_at_ms: sealed.written_at_ms,
        updated_at_ms: sealed.updated_at_ms,
        mood: d.mood,
        tags: d.tags,
        place: d.place,
        people: d.people,
        case_details: d.case_details,
        attachments: Vec::new(),
    }
}

impl JournalEntry {
    /// The entry's content as a draft (to edit it).
    pub fn to_draft(&self) -> EntryDraft {
        EntryDraft {
            title: self.title.clone(),
            body: self.body.clone(),
            happened_at_ms: self.happened_at_ms,
            mood: self.mood.clone(),
            tags: self.tags.clone(),
            place: self.place.clone(),
            people: self.people.clone(),
            case_details: self.case_details.clone(),
        }
    }
}

fn open_revision(key: &EntryKey, id: &str, revision: u64, sealed: &[u8]) -> Result<JournalEntry> {
    let plain = key.revisions.open(id, revision, sealed)?;
    let s: SealedEntry =
        serde_json::from_slice(&plain).map_err(|_| Error::Corrupt("journal entry"))?;
    if s.format != ENTRY_FORMAT || s.id != id {
        return Err(Error::Corrupt("journal entry"));
    }
    Ok(entry_from(s, revision))
}

fn seal_revision(key: &EntryKey, s: &SealedEntry, revision: u64) -> Result<Vec<u8>> {
    let json =
        Zeroizing::new(serde_json::to_vec(s).map_err(|_| Error::Crypto("encode journal entry"))?);
    key.revisions.seal(&s.id, revision, &json)
}

fn u64_col(v: i64) -> Result<u64> {
    u64::try_from(v).map_err(|_| Error::Corrupt("journal revision"))
}

fn i64_rev(v: u64) -> Result<i64> {
    i64::try_from(v).map_err(|_| Error::Corrupt("journal revision"))
}

/// Everything the journal needs from its owner besides the session.
pub struct JournalCtx<'a> {
    /// The database.
    pub store: &'a Store,
    /// The data directory (attachments live in `blobs/` under it).
    pub data_dir: &'a Path,
    /// Largest attachment accepted.
    pub attachment_max_bytes: u64,
}

/// What an attachment write or export needs, copied out of the session so that long file
/// work never holds the session lock (a quick exit must be able to lock at any moment).
#[derive(Debug, Clone)]
pub struct EntrySnapshot {
    /// The entry.
    pub entry: JournalEntry,
    key: EntryKey,
}

impl JournalCtx<'_> {
    fn blob_dir(&self) -> PathBuf {
        self.data_dir.join(BLOB_DIR)
    }

    /// Builds the in-memory index if this session has none yet, and removes attachment
    /// files left behind by a kill between writing and recording them.
    pub fn ensure_index<'s>(&self, session: &'s mut Session) -> Result<&'s mut JournalIndex> {
        if session.cache_mut::<JournalIndex>().is_none() {
            let mut index = self.build_index(session)?;
            if index.adopt_pending {
                // First unlock after the upgrade to manifests: record what is there now and
                // reseal every key row as written under a manifest, so these entries can
                // never be adopted again (a removed manifest is then reported).
                let pending = index.manifest.next(&manifest::JOURNAL, session, |_| {})?;
                let mut resealed = Vec::with_capacity(index.entries.len());
                for (id, (_, key)) in &index.entries {
                    let sealed = session.sealer.seal(
                        KIND_KEY,
                        id,
                        KEY_ROW_WITH_MANIFEST,
                        key.identity.as_bytes(),
                    )?;
                    resealed.push((id.clone(), sealed));
                }
                self.store.transaction(|tx| {
                    for (id, sealed) in &resealed {
                        tx.execute(
                            "UPDATE journal_entries SET key_sealed = ?2 WHERE id = ?1",
                            rusqlite::params![id, sealed],
                        )?;
                    }
                    pending.store(tx)
                })?;
                index.manifest = pending.manifest;
                index.adopt_pending = false;
            }
            session.put_cache(index);
            self.collect_orphan_files()?;
        }
        session
            .cache_mut::<JournalIndex>()
            .ok_or(Error::Corrupt("journal index"))
    }

    fn build_index(&self, session: &Session) -> Result<JournalIndex> {
        let keys = session.keys()?;
        let key_rows = session.sealer.kind(KIND_KEY);
        let mut index = JournalIndex::default();
        let mut attachments: Vec<(String, String, Vec<u8>)> = Vec::new();
        let mut loaded = manifest::Loaded::Missing {
            stored_counter: None,
        };
        // Entries whose key row predates manifests (adoptable when there is no manifest).
        let mut adoptable = std::collections::HashSet::new();
        // This vault's rows as found: id -> revision column.
        let mut present: std::collections::BTreeMap<String, u64> = Default::default();
        // Each row is opened from the blobs SQLite holds (no copy of the 10,000 sealed
        // rows into owned buffers first: that copy and its allocations cost more than a
        // third of the decryption).
        self.store.with_conn(|c| {
            loaded = manifest::load(c, &manifest::JOURNAL, session)?;
            let mut st =
                c.prepare("SELECT id, tag, revision, key_sealed, sealed FROM journal_entries")?;
            let mut rows = st.query([])?;
            while let Some(r) = rows.next()? {
                let id: String = r.get(0)?;
                let bad_row = |_| Error::Corrupt("journal row");
                let tag = r.get_ref(1)?.as_blob().map_err(bad_row)?;
                let revision: i64 = r.get(2)?;
                let key_sealed = r.get_ref(3)?.as_blob().map_err(bad_row)?;
                let sealed = r.get_ref(4)?.as_blob().map_err(bad_row)?;
                if tag != keys.row_tag(KIND_ENTRY, &id).as_slice() {
                    continue; // another vault's row (the decoy's or the real one's)
                }
                present.insert(id.clone(), u64::try_from(revision).unwrap_or(u64::MAX));
                // A damaged row must not hide the others: it is set aside and reported.
                let opened = (|| -> Result<(JournalEntry, EntryKey)> {
                    let key_plain = match key_rows.open(&id, KEY_ROW_WITH_MANIFEST, key_sealed) {
                        Ok(plain) => plain,
                        Err(_) => {
                            let plain = key_rows.open(&id, KEY_ROW_BEFORE_MANIFESTS, key_sealed)?;
                            adoptable.insert(id.clone());
                            plain
                        }
                    };
                    let identity = Zeroizing::new(
                        std::str::from_utf8(&key_plain)
                            .map_err(|_| Error::Corrupt("journal entry key"))?
                            .to_owned(),
                    );
                    let key = EntryKey::from_identity(identity);
                    let entry = open_revision(&key, &id, u64_col(revision)?, sealed)?;
                    Ok((entry, key))
                })();
                match opened {
                    Ok((entry, key)) => index.upsert(entry, key),
                    Err(_) => {
                        index.damaged.insert(id);
                    }
                }
            }
            let mut st = c.prepare("SELECT id, entry_id, sealed FROM journal_attachments")?;
            attachments = st
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(())
        })?;
        // This vault's attachment rows: attachment id -> entry id.
        let present_attachments: std::collections::BTreeMap<String, String> = attachments
            .iter()
            .filter(|(_, entry_id, _)| present.contains_key(entry_id))
            .map(|(att_id, entry_id, _)| (att_id.clone(), entry_id.clone()))
            .collect();
        self.check_manifest(&mut index, loaded, present, present_attachments, &adoptable);
        for (att_id, entry_id, sealed) in attachments {
            if index.damaged_attachments.contains_key(&att_id) {
                continue;
            }
            let Some((entry, key)) = index.get(&entry_id).cloned() else {
                continue;
            };
            let Ok(info) = open_attachment_meta(&key, &att_id, &entry_id, &sealed) else {
                index.damaged.insert(entry_id);
                continue;
            };
            let mut entry = entry;
            entry.attachments.push(info);
            entry
                .attachments
                .sort_by(|a, b| a.added_at_ms.cmp(&b.added_at_ms).then(a.id.cmp(&b.id)));
            index.upsert(entry, key);
        }
        Ok(index)
    }

    /// Compares this vault's rows with its manifest. A row at another revision than the
    /// manifest says (an older full row put back), a row the manifest does not name (a
    /// deleted entry put back) and a named entry without a row (deleted) are set aside as
    /// damaged; every other entry stays listed.
    fn check_manifest(
        &self,
        index: &mut JournalIndex,
        loaded: manifest::Loaded,
        present: std::collections::BTreeMap<String, u64>,
        present_attachments: std::collections::BTreeMap<String, String>,
        adoptable: &std::collections::HashSet<String>,
    ) {
        match loaded {
            manifest::Loaded::Found(m) => {
                for id in manifest::compare(&m, &present) {
                    index.remove(&id);
                    index.damaged.insert(id);
                }
                // Attachments of entries that are themselves set aside are not counted
                // twice.
                for (att, entry) in &present_attachments {
                    if m.attachments.get(att) != Some(entry) && !index.damaged.contains(entry) {
                        index.damaged_attachments.insert(att.clone(), entry.clone());
                    }
                }
                for (att, entry) in &m.attachments {
                    if !present_attachments.contains_key(att) && !index.damaged.contains(entry) {
                        index.damaged_attachments.insert(att.clone(), entry.clone());
                    }
                }
                index.manifest = m;
            }
            manifest::Loaded::Missing { stored_counter } => {
                let all_adoptable = present.keys().all(|id| adoptable.contains(id));
                match manifest::verdict(stored_counter, !present.is_empty(), all_adoptable) {
                    manifest::Verdict::Adopt => index.adopt_pending = true,
                    // Removed or unreadable while this vault has entries (or had a
                    // manifest): nothing can be checked; say so until the next write
                    // records a new manifest.
                    manifest::Verdict::Lost => index.integrity_lost = true,
                    manifest::Verdict::Fresh => {}
                }
                index.manifest = manifest::from_rows(stored_counter, present, present_attachments);
            }
        }
    }

    fn collect_orphan_files(&self) -> Result<()> {
        let dir = self.blob_dir();
        let Ok(read) = std::fs::read_dir(&dir) else {
            return Ok(());
        };
        let known: std::collections::HashSet<String> = self.store.with_conn(|c| {
            let mut st = c.prepare("SELECT file FROM journal_attachments")?;
            let rows = st.query_map([], |r| r.get::<_, String>(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })?;
        for e in read.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if !known.contains(&name) {
                let _ = std::fs::remove_file(e.path());
            }
        }
        Ok(())
    }

    /// Adds an entry; returns it. One transaction: it is there after a crash or it is not.
    pub fn add(
        &self,
        session: &mut Session,
        draft: &EntryDraft,
        now_ms: i64,
    ) -> Result<JournalEntry> {
        let draft = validate(draft)?;
        self.ensure_index(session)?;
        let keys = session.keys()?;
        let id = new_id();
        let key = EntryKey::generate();
        let key_sealed = session.sealer.seal(
            KIND_KEY,
            &id,
            KEY_ROW_WITH_MANIFEST,
            key.identity.as_bytes(),
        )?;
        let sealed_entry = SealedEntry {
            format: ENTRY_FORMAT,
            id: id.clone(),
            draft,
            written_at_ms: now_ms,
            updated_at_ms: now_ms,
        };
        let sealed = seal_revision(&key, &sealed_entry, 1)?;
        let tag = keys.row_tag(KIND_ENTRY, &id);
        let pending = self
            .current_manifest(session)?
            .next(&manifest::JOURNAL, session, |m| {
                m.entries.insert(id.clone(), 1);
            })?;
        self.store.transaction(|tx| {
            tx.execute(
                "INSERT INTO journal_entries (id, tag, revision, key_sealed, sealed) VALUES (?1, ?2, 1, ?3, ?4)",
                rusqlite::params![id, tag, key_sealed, sealed],
            )?;
            pending.store(tx)
        })?;
        let entry = entry_from(sealed_entry, 1);
        let index = self.ensure_index(session)?;
        index.note_manifest(pending.manifest);
        index.upsert(entry.clone(), key);
        Ok(entry)
    }

    fn current_manifest(&self, session: &mut Session) -> Result<manifest::Manifest> {
        Ok(self.ensure_index(session)?.manifest.clone())
    }

    /// One entry (current revision), read from the store and authenticated.
    pub fn get(&self, session: &mut Session, id: &str) -> Result<JournalEntry> {
        check_id("id", id)?;
        let index = self.ensure_index(session)?;
        if index.damaged.contains(id) {
            return Err(Error::Corrupt("journal entry failed authentication"));
        }
        let (cached, key) = index.get(id).ok_or(Error::NotFound)?;
        let row: Option<(i64, Vec<u8>)> = self.store.with_conn(|c| {
            Ok(c.query_row(
                "SELECT revision, sealed FROM journal_entries WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
        })?;
        let (revision, sealed) = row.ok_or(Error::NotFound)?;
        if u64_col(revision)? != cached.revision {
            // The manifest-checked revision is the one loaded at unlock (or written since).
            return Err(Error::Corrupt(
                "journal entry is not at its recorded revision",
            ));
        }
        let mut entry = open_revision(key, id, u64_col(revision)?, &sealed)?;
        entry.attachments = cached.attachments.clone();
        Ok(entry)
    }

    /// Replaces an entry's content with `draft`, keeping the previous revision in history.
    pub fn edit(
        &self,
        session: &mut Session,
        id: &str,
        draft: &EntryDraft,
        now_ms: i64,
    ) -> Result<JournalEntry> {
        check_id("id", id)?;
        let draft = validate(draft)?;
        let index = self.ensure_index(session)?;
        let (current, key) = index.get(id).cloned().ok_or(Error::NotFound)?;
        let revision = current.revision + 1;
        let sealed_entry = SealedEntry {
            format: ENTRY_FORMAT,
            id: id.to_owned(),
            draft,
            written_at_ms: current.written_at_ms,
            updated_at_ms: now_ms.max(current.updated_at_ms),
        };
        let sealed = seal_revision(&key, &sealed_entry, revision)?;
        let pending = self
            .current_manifest(session)?
            .next(&manifest::JOURNAL, session, |m| {
                m.entries.insert(id.to_owned(), revision);
            })?;
        self.store.transaction(|tx| {
            let old: (i64, Vec<u8>) = tx
                .query_row(
                    "SELECT revision, sealed FROM journal_entries WHERE id = ?1",
                    [id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?
                .ok_or(Error::NotFound)?;
            if u64_col(old.0)? != current.revision {
                return Err(Error::Corrupt("journal entry changed underneath"));
            }
            tx.execute(
                "INSERT INTO journal_revisions (entry_id, revision, sealed) VALUES (?1, ?2, ?3)",
                rusqlite::params![id, old.0, old.1],
            )?;
            tx.execute(
                "UPDATE journal_entries SET revision = ?2, sealed = ?3 WHERE id = ?1",
                rusqlite::params![id, i64_rev(revision)?, sealed],
            )?;
            pending.store(tx)
        })?;
        let mut entry = entry_from(sealed_entry, revision);
        entry.attachments = current.attachments;
        let index = self.ensure_index(session)?;
        index.note_manifest(pending.manifest);
        index.upsert(entry.clone(), key);
        Ok(entry)
    }

    /// Every revision of an entry, oldest first (the current one last).
    pub fn history(&self, session: &mut Session, id: &str) -> Result<Vec<JournalEntry>> {
        let current = self.get(session, id)?;
        let index = self.ensure_index(session)?;
        let (_, key) = index.get(id).ok_or(Error::NotFound)?;
        let rows: Vec<(i64, Vec<u8>)> = self.store.with_conn(|c| {
            let mut st = c.prepare(
                "SELECT revision, sealed FROM journal_revisions WHERE entry_id = ?1 ORDER BY revision",
            )?;
            let rows = st.query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })?;
        // Revisions 1 .. current-1, each once: a removed history row is noticed.
        let expected = current.revision.saturating_sub(1);
        if rows.len() as u64 != expected
            || rows
                .iter()
                .zip(1u64..)
                .any(|((rev, _), want)| u64::try_from(*rev).ok() != Some(want))
        {
            return Err(Error::Corrupt("journal history is incomplete"));
        }
        let mut out = Vec::with_capacity(rows.len() + 1);
        for (rev, sealed) in rows {
            out.push(open_revision(key, id, u64_col(rev)?, &sealed)?);
        }
        out.push(current);
        Ok(out)
    }

    /// Deletes an entry for good: its key (crypto-shred), every revision, every attachment
    /// row and file, then checkpoints the WAL so no old page lingers there.
    pub fn delete(&self, session: &mut Session, id: &str) -> Result<()> {
        check_id("id", id)?;
        let index = self.ensure_index(session)?;
        if index.get(id).is_none() && !index.damaged.contains(id) {
            return Err(Error::NotFound);
        }
        let pending = self
            .current_manifest(session)?
            .next(&manifest::JOURNAL, session, |m| {
                m.entries.remove(id);
                m.attachments.retain(|_, entry| entry != id);
            })?;
        let files: Vec<String> = self.store.transaction(|tx| {
            let files = {
                let mut st =
                    tx.prepare("SELECT file FROM journal_attachments WHERE entry_id = ?1")?;
                let rows = st.query_map([id], |r| r.get::<_, String>(0))?;
                rows.collect::<rusqlite::Result<Vec<_>>>()?
            };
            tx.execute("DELETE FROM journal_attachments WHERE entry_id = ?1", [id])?;
            tx.execute("DELETE FROM journal_revisions WHERE entry_id = ?1", [id])?;
            tx.execute("DELETE FROM journal_entries WHERE id = ?1", [id])?;
            pending.store(tx)?;
            Ok(files)
        })?;
        let index = self.ensure_index(session)?;
        index.note_manifest(pending.manifest);
        index.remove(id);
        index.damaged.remove(id);
        index.damaged_attachments.retain(|_, entry| entry != id);
        for f in files {
            let _ = std::fs::remove_file(self.blob_dir().join(f));
        }
        self.store.checkpoint()
    }

    /// Entries matching `filter`, newest first.
    pub fn list(&self, session: &mut Session, filter: &EntryFilter) -> Result<Vec<JournalEntry>> {
        Ok(self.ensure_index(session)?.list(filter))
    }

    /// How many of this vault's entries and attachments failed authentication or the
    /// manifest check (rolled back, put back after deletion, deleted) and are set aside,
    /// plus one while the manifest itself is missing or unreadable.
    pub fn damaged_count(&self, session: &mut Session) -> Result<u32> {
        let index = self.ensure_index(session)?;
        let n = index.damaged.len()
            + index.damaged_attachments.len()
            + usize::from(index.integrity_lost);
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Full-text search over the in-memory index, newest first.
    pub fn search(&self, session: &mut Session, query: &str) -> Result<Vec<JournalEntry>> {
        if query.chars().count() > MAX_SHORT_CHARS {
            return Err(Error::invalid("query", "too long"));
        }
        Ok(self.ensure_index(session)?.search(query))
    }

    /// Copies out an entry and its key for file work outside the session lock.
    pub fn snapshot(&self, session: &mut Session, id: &str) -> Result<EntrySnapshot> {
        check_id("entry_id", id)?;
        let (entry, key) = self
            .ensure_index(session)?
            .get(id)
            .cloned()
            .ok_or(Error::NotFound)?;
        Ok(EntrySnapshot { entry, key })
    }

    /// Every entry of this vault, oldest first, for export.
    pub fn snapshot_all(&self, session: &mut Session) -> Result<Vec<EntrySnapshot>> {
        let index = self.ensure_index(session)?;
        let mut all: Vec<EntrySnapshot> = index
            .entries
            .values()
            .map(|(entry, key)| EntrySnapshot {
                entry: entry.clone(),
                key: key.clone(),
            })
            .collect();
        all.sort_by(|a, b| {
            index::effective_ms(&a.entry)
                .cmp(&index::effective_ms(&b.entry))
                .then(a.entry.written_at_ms.cmp(&b.entry.written_at_ms))
                .then(a.entry.id.cmp(&b.entry.id))
        });
        Ok(all)
    }

    /// Encrypts `source` (streamed, never held whole in memory) as an attachment of the
    /// entry in `snap`, padded to its size bucket. Runs outside the session lock. The file
    /// is written under an opaque temporary name and synced; [`JournalCtx::record_attachment`]
    /// then renames and records it in one transaction: a kill at any point leaves either
    /// the complete attachment or nothing (a stray file is removed at the next unlock).
    pub fn write_attachment(
        &self,
        snap: &EntrySnapshot,
        source: &mut dyn Read,
        name: &str,
        mime: &str,
        now_ms: i64,
    ) -> Result<WrittenAttachment> {
        let name = clean(name.trim());
        if name.is_empty() || name.chars().count() > 255 {
            return Err(Error::invalid("name", "must be 1 to 255 characters"));
        }
        let mime = mime.trim().to_ascii_lowercase();
        if mime.is_empty() || mime.len() > 127 || !mime.contains('/') || !mime.is_ascii() {
            return Err(Error::invalid("mime", "not a media type like image/jpeg"));
        }
        let dir = self.blob_dir();
        crate::store::create_private_dir(&dir)?;
        let file = new_id();
        let tmp = dir.join(format!("{}.tmp", new_id()));
        let result = snap.key.age_identity().and_then(|id| {
            encrypt_padded(&id.to_public(), source, &tmp, self.attachment_max_bytes)
        });
        let (size, sha256) = match result {
            Ok(v) => v,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        let att_id = new_id();
        let meta = SealedAttachment {
            entry_id: snap.entry.id.clone(),
            name: name.clone(),
            mime: mime.clone(),
            size,
            sha256: sha256.clone(),
            added_at_ms: now_ms,
        };
        let meta_json = Zeroizing::new(
            serde_json::to_vec(&meta).map_err(|_| Error::Crypto("encode attachment"))?,
        );
        let sealed = snap.key.attachments.seal(&att_id, 0, &meta_json)?;
        Ok(WrittenAttachment {
            tmp,
            file,
            sealed,
            recorded: false,
            info: AttachmentInfo {
                id: att_id,
                entry_id: snap.entry.id.clone(),
                kind: AttachmentKind::from_mime(&mime),
                name,
                mime,
                size,
                sha256,
                added_at_ms: now_ms,
            },
        })
    }

    /// Records an attachment [`JournalCtx::write_attachment`] wrote: renames its file into
    /// place and, in one transaction, inserts its row and the vault's manifest naming it.
    /// Runs under the session (the manifest is sealed with the vault's keys) but does no
    /// long work. If the vault was locked meanwhile nothing is recorded and the file goes.
    pub fn record_attachment(
        &self,
        session: &mut Session,
        mut written: WrittenAttachment,
    ) -> Result<AttachmentInfo> {
        let info = written.info.clone();
        let pending = self
            .current_manifest(session)?
            .next(&manifest::JOURNAL, session, |m| {
                m.attachments.insert(info.id.clone(), info.entry_id.clone());
            })?;
        let dir = self.blob_dir();
        let final_path = dir.join(&written.file);
        let recorded = self.store.transaction(|tx| {
            tx.execute(
                "INSERT INTO journal_attachments (id, entry_id, file, sealed) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![info.id, info.entry_id, written.file, written.sealed],
            )?;
            pending.store(tx)?;
            std::fs::rename(&written.tmp, &final_path)?;
            if let Ok(d) = std::fs::File::open(&dir) {
                let _ = d.sync_all();
            }
            Ok(())
        });
        if let Err(e) = recorded {
            let _ = std::fs::remove_file(&final_path);
            return Err(match e {
                Error::Sqlite(rusqlite::Error::SqliteFailure(f, _))
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    Error::NotFound
                }
                other => other,
            });
        }
        written.recorded = true;
        let index = self.ensure_index(session)?;
        index.note_manifest(pending.manifest);
        if let Some((entry, key)) = index.get(&info.entry_id).cloned() {
            let mut entry = entry;
            entry.attachments.retain(|a| a.id != info.id);
            entry.attachments.push(info.clone());
            index.upsert(entry, key);
        }
        Ok(info)
    }

    /// Finds an attachment of this vault: its entry snapshot and info.
    pub fn find_attachment(
        &self,
        session: &mut Session,
        att_id: &str,
    ) -> Result<(EntrySnapshot, AttachmentInfo)> {
        check_id("attachment_id", att_id)?;
        let entry_id: String = self
            .store
            .with_conn(|c| {
                Ok(c.query_row(
                    "SELECT entry_id FROM journal_attachments WHERE id = ?1",
                    [att_id],
                    |r| r.get(0),
                )
                .optional()?)
            })?
            .ok_or(Error::NotFound)?;
        let snap = self.snapshot(session, &entry_id)?;
        let info = snap
            .entry
            .attachments
            .iter()
            .find(|a| a.id == att_id)
            .cloned()
            .ok_or(Error::NotFound)?;
        Ok((snap, info))
    }

    /// Streams an attachment's plaintext into `out`, checking its size and SHA-256.
    pub fn read_attachment(
        &self,
        snap: &EntrySnapshot,
        info: &AttachmentInfo,
        out: &mut dyn Write,
    ) -> Result<u64> {
        let mut reader = self.attachment_reader(snap, info)?;
        let n = std::io::copy(&mut reader, out).map_err(map_read_err)?;
        reader.finish()?;
        Ok(n)
    }

    /// A reader over an attachment's plaintext that checks size and hash at the end.
    pub fn attachment_reader(
        &self,
        snap: &EntrySnapshot,
        info: &AttachmentInfo,
    ) -> Result<VerifyingReader> {
        let file: String = self
            .store
            .with_conn(|c| {
                Ok(c.query_row(
                    "SELECT file FROM journal_attachments WHERE id = ?1 AND entry_id = ?2",
                    [&info.id, &info.entry_id],
                    |r| r.get(0),
                )
                .optional()?)
            })?
            .ok_or(Error::NotFound)?;
        let identity = snap.key.age_identity()?;
        VerifyingReader::open(
            &self.blob_dir().join(file),
            &identity,
            info.size,
            &info.sha256,
        )
    }

    /// Deletes one attachment (row and file).
    /// A set-aside attachment (see [`JournalCtx::damaged_count`]) can be deleted too: that
    /// is how its owner acknowledges it.
    pub fn delete_attachment(&self, session: &mut Session, att_id: &str) -> Result<()> {
        check_id("attachment_id", att_id)?;
        let set_aside = self
            .ensure_index(session)?
            .damaged_attachments
            .contains_key(att_id);
        let snap = if set_aside {
            None
        } else {
            Some(self.find_attachment(session, att_id)?.0)
        };
        let pending = self
            .current_manifest(session)?
            .next(&manifest::JOURNAL, session, |m| {
                m.attachments.remove(att_id);
            })?;
        let file: Option<String> = self.store.transaction(|tx| {
            let f = tx
                .query_row(
                    "SELECT file FROM journal_attachments WHERE id = ?1",
                    [att_id],
                    |r| r.get(0),
                )
                .optional()?;
            tx.execute("DELETE FROM journal_attachments WHERE id = ?1", [att_id])?;
            pending.store(tx)?;
            Ok(f)
        })?;
        if let Some(f) = file {
            let _ = std::fs::remove_file(self.blob_dir().join(f));
        }
        let index = self.ensure_index(session)?;
        index.note_manifest(pending.manifest);
        index.damaged_attachments.remove(att_id);
        if let Some(snap) = snap {
            let mut entry = snap.entry;
            entry.attachments.retain(|a| a.id != att_id);
            index.upsert(entry, snap.key);
        }
        self.store.checkpoint()
    }
}

/// Encrypts `source` (streamed, never held whole in memory) to `recipient` as an age STREAM
/// file at `tmp` (created owner-only), its content followed by zero padding up to its size
/// bucket ([`padded_stream_len`]), and syncs it. Returns the real size and the SHA-256 (hex)
/// of the content. Fails, leaving `tmp` for the caller to remove, when the content is larger
/// than `max_bytes`. Used for journal attachments and for the documents' files.
pub fn encrypt_padded(
    recipient: &age::x25519::Recipient,
    source: &mut dyn Read,
    tmp: &Path,
    max_bytes: u64,
) -> Result<(u64, String)> {
    let enc = age::Encryptor::with_recipients(std::iter::once(recipient as &dyn age::Recipient))
        .map_err(|_| Error::Crypto("attachment encryption"))?;
    let out = crate::store::create_private_file(tmp)?;
    let mut w = enc.wrap_output(std::io::BufWriter::new(out))?;
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    let mut buf = Zeroizing::new(vec![0u8; 64 * 1024]);
    loop {
        let n = source.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        if size > max_bytes {
            return Err(Error::invalid(
                "attachment",
                &format!("larger than the {} MiB limit", max_bytes / (1024 * 1024)),
            ));
        }
        hasher.update(&buf[..n]);
        w.write_all(&buf[..n])?;
    }
    // Zeros after the content, inside the encryption, up to the size bucket: the file's
    // size says only which bucket the content falls in. The sealed record keeps the real
    // size; readers stop there and check the rest is padding.
    let mut padding = padded_stream_len(size).saturating_sub(size);
    buf.fill(0);
    while padding > 0 {
        let n = usize::try_from(padding.min(buf.len() as u64)).unwrap_or(buf.len());
        w.write_all(&buf[..n])?;
        padding -= n as u64;
    }
    let buffered = w.finish()?;
    let f = buffered
        .into_inner()
        .map_err(|e| Error::Io(e.into_error()))?;
    f.sync_all()?;
    Ok((size, hex::encode(hasher.finalize())))
}

/// An I/O error while reading an encrypted file, as the core reports it.
pub fn map_read_err(e: std::io::Error) -> Error {
    if e.kind() == std::io::ErrorKind::InvalidData {
        Error::Corrupt("attachment file failed authentication")
    } else {
        Error::Io(e)
    }
}

fn open_attachment_meta(
    key: &EntryKey,
    att_id: &str,
    entry_id: &str,
    sealed: &[u8],
) -> Result<AttachmentInfo> {
    let plain = key.attachments.open(att_id, 0, sealed)?;
    let m: SealedAttachment =
        serde_json::from_slice(&plain).map_err(|_| Error::Corrupt("attachment record"))?;
    if m.entry_id != entry_id {
        return Err(Error::Corrupt("attachment record"));
    }
    Ok(AttachmentInfo {
        id: att_id.to_owned(),
        entry_id: m.entry_id,
        kind: AttachmentKind::from_mime(&m.mime),
        name: m.name,
        mime: m.mime,
        size: m.size,
        sha256: m.sha256,
        added_at_ms: m.added_at_ms,
    })
}

/// An encrypted attachment file written under a temporary name, not yet recorded. Dropped
/// unrecorded (the vault locked meanwhile, or recording failed), its file is removed.
pub struct WrittenAttachment {
    tmp: PathBuf,
    file: String,
    sealed: Vec<u8>,
    info: AttachmentInfo,
    recorded: bool,
}

impl std::fmt::Debug for WrittenAttachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WrittenAttachment(<redacted>)")
    }
}

impl Drop for WrittenAttachment {
    fn drop(&mut self) {
        if !self.recorded {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Reads an attachment's plaintext and, at the end, checks it has the recorded size and
/// SHA-256 (age already authenticates every chunk; this also catches a swapped file).
///
/// The file may hold zero padding after the content (see `write_attachment`); the reader
/// yields exactly the recorded size, then reads the padding to the end of the age stream
/// (so a truncated file is still caught) and checks it is zeros and no longer than the
/// size bucket allows. Files written before padding existed simply have none.
pub struct VerifyingReader {
    inner: Box<dyn Read + Send>,
    hasher: Sha256,
    read: u64,
    expect_size: u64,
    expect_sha256: String,
    padding_checked: bool,
}

impl Read for VerifyingReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let left = self.expect_size - self.read;
        if left == 0 || buf.is_empty() {
            if left == 0 {
                self.check_padding()?;
            }
            return Ok(0);
        }
        let want = usize::try_from(left.min(buf.len() as u64)).unwrap_or(buf.len());
        let n = self.inner.read(&mut buf[..want])?;
        self.hasher.update(&buf[..n]);
        self.read += n as u64;
        Ok(n)
    }
}

impl VerifyingReader {
    /// A reader over the file at `path` written by [`encrypt_padded`] to `identity`'s
    /// recipient, checked against the recorded `size` and `sha256`.
    pub fn open(
        path: &Path,
        identity: &age::x25519::Identity,
        size: u64,
        sha256: &str,
    ) -> Result<Self> {
        let f = std::fs::File::open(path).map_err(|_| Error::Corrupt("attachment file missing"))?;
        let reader = age_stream_reader(std::io::BufReader::new(f), identity)?;
        Ok(Self {
            inner: reader,
            hasher: Sha256::new(),
            read: 0,
            expect_size: size,
            expect_sha256: sha256.to_owned(),
            padding_checked: false,
        })
    }

    fn check_padding(&mut self) -> std::io::Result<()> {
        if self.padding_checked {
            return Ok(());
        }
        let allowed = padded_stream_len(self.expect_size).saturating_sub(self.expect_size);
        let mut seen: u64 = 0;
        let mut buf = [0u8; 8192];
        loop {
            let n = self.inner.read(&mut buf)?;
            if n == 0 {
                break;
            }
            seen += n as u64;
            if seen > allowed || buf[..n].iter().any(|b| *b != 0) {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "attachment longer than recorded",
                ));
            }
        }
        self.padding_checked = true;
        Ok(())
    }

    /// Checks size, hash and padding once everything was read.
    pub fn finish(mut self) -> Result<()> {
        if self.read == self.expect_size {
            self.check_padding().map_err(map_read_err)?;
        }
        if self.read != self.expect_size
            || hex::encode(self.hasher.finalize()) != self.expect_sha256
        {
            return Err(Error::Corrupt("attachment does not match its record"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;

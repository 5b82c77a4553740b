//! Sharing on the survivor's terms: chosen journal entries, appointments and documents, as
//! one age file for one person.
//!
//! A share is the evidence export's archive (`journal::export`: the same layout, manifest
//! and hash chain, written by the same code) with a different format name and top folder
//! (`waypoint-share/`) and one more chained file, `report.html`: a readable page that links
//! every attachment by its path in the archive. Only the entries the person chose go in. It
//! is encrypted with age to a recipient's public key (`age1...`) or to a passphrase and
//! written to a file the phone hands to its share sheet; nothing goes through any Waypoint
//! server.
//!
//! The report escapes every piece of entry text and carries no script: a restrictive
//! Content-Security-Policy (`default-src 'none'`) forbids scripts and network loads even if
//! a browser were given a page someone else altered.
//!
//! Recipients (a label and an `age1...` key) are stored sealed in the vault, tagged per vault
//! like the directory's favourites. Each key has a short fingerprint to compare in person:
//! see [`fingerprint`].
//!
//! [`open_package`] is the recipient's side (`waypoint open-share`): decrypt, check every
//! hash and the chain, and only then write the files out.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Component as PathPart, Path};

use rand::RngCore;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use crate::appointments::Appointment;
use crate::documents::{DocumentSnapshot, DocumentsCtx};
use crate::error::{Error, Result};
use crate::journal::export::{self, Manifest};
use crate::journal::{EntrySnapshot, JournalCtx};
use crate::session::Session;
use crate::store::{Component, Store, Table};

/// Format name recorded in a share's manifest.
pub const SHARE_FORMAT: &str = "waypoint-share/1";
/// Top folder of a share.
pub const SHARE_ROOT: &str = "waypoint-share";
/// Record kind (sealer and row tags) of saved recipients.
pub const KIND_RECIPIENT: &str = "sharing.recipient";
/// Longest recipient label, in bytes.
pub const MAX_LABEL: usize = 200;
/// Most entries in one share.
pub const MAX_ENTRIES: usize = 10_000;

/// Storage of this capability: saved recipients, sealed and tagged per vault.
pub const SHARING: Component = Component {
    name: "sharing",
    tables: &[Table::tagged("sharing_recipient", KIND_RECIPIENT)],
    personal_dirs: &[],
    steps: &["CREATE TABLE sharing_recipient (
        id TEXT PRIMARY KEY,
        revision INTEGER NOT NULL,
        sealed BLOB NOT NULL,
        tag BLOB NOT NULL
    );"],
};

const README: &str = "Records shared from Waypoint\n\
\n\
Someone chose these records and shared them with you through the Waypoint app.\n\
Open report.html in a browser to read them; appointments.json holds any shared appointments;\n\
documents.json holds any shared documents (passport, visa, court papers, ...), documents/ their scans;\n\
attachments/ holds the files they attached,\n\
and the report links to each. entries/ holds each entry as JSON (exact data) and Markdown.\n\
\n\
manifest.json lists every file in order with its SHA-256 and a hash chain:\n\
  chain_0 = SHA-256(\"waypoint-evidence-chain/v1\")\n\
  chain_i = SHA-256(chain_{i-1} || path_i || \"\\n\" || sha256_hex_i)   (chain values as raw 32 bytes)\n\
`waypoint open-share` checks it for you. The chain is not a signature: it shows the files\n\
are the ones shared only if its head matches the one the sender's app showed, received by\n\
another route. Dates come from the sender's phone clock.\n\
\n\
Please keep these records as carefully as the person who shared them would.\n";

/// Who a share is for.
pub enum ShareTo {
    /// Anyone with this passphrase (age scrypt).
    Passphrase(age::secrecy::SecretString, u8),
    /// The holder of the identity of this `age1...` key.
    Key(age::x25519::Recipient),
}

/// A saved recipient. `Debug` shows only the id.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ShareRecipient {
    /// Random id of this saved recipient.
    pub id: String,
    /// The survivor's name for them ("my lawyer").
    pub label: String,
    /// Their age public key (`age1...`).
    pub key: String,
    /// [`fingerprint`] of the key, to compare in person.
    pub fingerprint: String,
    /// When saved (Unix ms).
    pub added_at_ms: i64,
}

impl std::fmt::Debug for ShareRecipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ShareRecipient")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

#[derive(Serialize, Deserialize)]
struct Sealed {
    label: String,
    key: String,
    added_at_ms: i64,
}

/// Parses and validates a pasted `age1...` key (surrounding whitespace is ignored).
pub fn parse_key(s: &str) -> Result<age::x25519::Recipient> {
    export::parse_recipient(s)
}

/// The short fingerprint of an age key, to compare in person: the SHA-256 of the key in its
/// canonical form (lower-case `age1...` Bech32, as `age-keygen` prints it), first 8 bytes,
/// as four groups of four upper-case hex digits joined by `-` (e.g. `3F2A-09BC-71D4-E005`).
/// Both phones (or the laptop, `waypoint share fingerprint`) compute it from the key alone.
pub fn fingerprint(key: &str) -> Result<String> {
    let canonical = parse_key(key)?.to_string();
    let digest = Sha256::digest(canonical.as_bytes());
    let hex = hex::encode_upper(&digest[..8]);
    Ok(hex
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-"))
}

/// Longest text accepted from a scanned code, in bytes. An age key is 62 characters; a
/// QR code holds up to ~4 KB, and anything longer than this is not a key.
pub const MAX_SCANNED_BYTES: usize = 512;

/// A recipient key read from a QR code the lawyer or advocate shows, with the fingerprint
/// to compare with theirs in person before saving it. `Debug` shows the fingerprint only.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ScannedKey {
    /// The key in its canonical form (lower-case `age1...`), ready for `add_recipient`.
    pub key: String,
    /// [`fingerprint`] of the key.
    pub fingerprint: String,
}

impl std::fmt::Debug for ScannedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScannedKey")
            .field("fingerprint", &self.fingerprint)
            .finish_non_exhaustive()
    }
}

/// Reads the text of a scanned QR code (or a pasted key) as a recipient key.
///
/// Accepted: one `age1...` key as `age-keygen` prints it, with any whitespace around or
/// inside it (some code generators wrap lines), in lower or upper case (QR codes store
/// Bech32 upper-case in their compact mode); mixed case is refused, as Bech32 says. There
/// is no URI form: anything else (a web address, two keys, a secret `AGE-SECRET-KEY-...`)
/// is one clear error that echoes nothing of the input. Text over [`MAX_SCANNED_BYTES`] is
/// refused before it is looked at.
pub fn read_scanned_key(text: &str) -> Result<ScannedKey> {
    if text.len() > MAX_SCANNED_BYTES {
        return Err(Error::invalid("key", "too long to be an age key"));
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.to_ascii_uppercase().starts_with("AGE-SECRET-KEY-") {
        // Never keep or echo a secret someone scanned by mistake.
        return Err(Error::invalid(
            "key",
            "this is a secret key: ask for the public key (age1...)",
        ));
    }
    let has_upper = compact.chars().any(|c| c.is_ascii_uppercase());
    let has_lower = compact.chars().any(|c| c.is_ascii_lowercase());
    if has_upper && has_lower {
        return Err(Error::invalid("key", "not an age key (age1...)"));
    }
    let lower = compact.to_ascii_lowercase();
    if !lower.starts_with("age1") {
        return Err(Error::invalid("key", "not an age key (age1...)"));
    }
    let key = parse_key(&lower)
        .map_err(|_| Error::invalid("key", "not an age key (age1...)"))?
        .to_string();
    Ok(ScannedKey {
        fingerprint: fingerprint(&key)?,
        key,
    })
}

fn check_label(label: &str) -> Result<()> {
    if label.trim().is_empty() {
        return Err(Error::invalid("label", "must not be empty"));
    }
    if label.len() > MAX_LABEL {
        return Err(Error::invalid("label", "longer than 200 bytes"));
    }
    Ok(())
}

/// Saves a recipient in this vault.
pub fn add_recipient(
    store: &Store,
    session: &Session,
    label: &str,
    key: &str,
    now_ms: i64,
) -> Result<ShareRecipient> {
    check_label(label)?;
    let key = parse_key(key)?.to_string();
    let mut raw = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let id = hex::encode(raw);
    let body = Sealed {
        label: label.trim().to_owned(),
        key,
        added_at_ms: now_ms,
    };
    let mut plain = serde_json::to_vec(&body).map_err(|_| Error::Crypto("recipient encoding"))?;
    let sealed = session.sealer.seal(KIND_RECIPIENT, &id, 1, &plain);
    plain.zeroize();
    let sealed = sealed?;
    let tag = session.row_tag(KIND_RECIPIENT, &id)?;
    store.transaction(|tx| {
        tx.execute(
            "INSERT INTO sharing_recipient (id, revision, sealed, tag) VALUES (?1, 1, ?2, ?3)",
            params![id, sealed, tag],
        )?;
        Ok(())
    })?;
    Ok(ShareRecipient {
        fingerprint: fingerprint(&body.key)?,
        id,
        label: body.label.clone(),
        key: body.key.clone(),
        added_at_ms: now_ms,
    })
}

/// This vault's saved recipients, oldest first; the other vault's rows are passed over.
pub fn list_recipients(store: &Store, session: &Session) -> Result<Vec<ShareRecipient>> {
    type Row = (String, i64, Vec<u8>, Vec<u8>);
    let rows: Vec<Row> = store.with_conn(|c| {
        let mut stmt = c.prepare("SELECT id, revision, sealed, tag FROM sharing_recipient")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    let mut out = Vec::new();
    for (id, revision, sealed, tag) in rows {
        if tag != session.row_tag(KIND_RECIPIENT, &id)? {
            continue;
        }
        let revision = u64::try_from(revision).map_err(|_| Error::Corrupt("recipient"))?;
        let plain = Zeroizing::new(
            session
                .sealer
                .open(KIND_RECIPIENT, &id, revision, &sealed)?,
        );
        let body: Sealed =
            serde_json::from_slice(&plain).map_err(|_| Error::Corrupt("recipient"))?;
        out.push(ShareRecipient {
            fingerprint: fingerprint(&body.key)?,
            id,
            label: body.label.clone(),
            key: body.key.clone(),
            added_at_ms: body.added_at_ms,
        });
    }
    out.sort_by_key(|r| r.added_at_ms);
    Ok(out)
}

/// Removes one of this vault's saved recipients (another vault's is [`Error::NotFound`]).
pub fn remove_recipient(store: &Store, session: &Session, id: &str) -> Result<()> {
    let mine = session.row_tag(KIND_RECIPIENT, id)?;
    store.transaction(|tx| {
        let tag: Option<Vec<u8>> = tx
            .query_row(
                "SELECT tag FROM sharing_recipient WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        if tag.as_deref() != Some(mine.as_slice()) {
            return Err(Error::NotFound);
        }
        tx.execute("DELETE FROM sharing_recipient WHERE id = ?1", [id])?;
        Ok(())
    })
}

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The readable report of `entries` (in the order given, 1-based positions as in the
/// archive). Every text is escaped; the page has no script and loads nothing from the
/// network; attachments are linked (and images shown) by their relative archive paths.
pub fn render_report(
    entries: &[EntrySnapshot],
    appointments: &[Appointment],
    documents: &[DocumentSnapshot],
    shared_at_ms: i64,
) -> String {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\n");
    h.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'\">\n");
    h.push_str("<title>Shared records</title>\n<style>body{font-family:sans-serif;max-width:48em;margin:2em auto;line-height:1.5}section{border-top:1px solid #999;margin-top:2em}dt{font-weight:bold}.body{white-space:pre-wrap}img{max-width:100%}</style>\n</head><body>\n");
    h.push_str("<h1>Shared records</h1>\n");
    h.push_str(&format!(
        "<p>Shared from Waypoint on {} &mdash; {} entries, {} appointments, {} documents. Check the files with <code>waypoint open-share</code> or the hashes in manifest.json.</p>\n",
        escape_html(&export::rfc3339_ms(shared_at_ms)),
        entries.len(),
        appointments.len(),
        documents.len()
    ));
    for (i, snap) in documents.iter().enumerate() {
        let d = &snap.document;
        h.push_str(&format!(
            "<section>\n<h2>Document: {}</h2>\n<dl>\n",
            escape_html(
                d.draft
                    .label
                    .as_deref()
                    .unwrap_or(d.draft.doc_type.as_str())
            )
        ));
        for (k, v) in crate::documents::document_rows(d) {
            h.push_str(&format!(
                "<dt>{}</dt><dd>{}</dd>\n",
                escape_html(k),
                escape_html(&v)
            ));
        }
        h.push_str("</dl>\n");
        if let Some(n) = &d.draft.notes {
            h.push_str(&format!("<div class=\"body\">{}</div>\n", escape_html(n)));
        }
        if let Some(f) = &d.file {
            let href = escape_html(&crate::documents::package_file_path(i + 1, d, f));
            h.push_str(&format!(
                "<p><a href=\"{href}\">{}</a></p>\n",
                escape_html(&f.name)
            ));
            if f.mime.starts_with("image/") {
                h.push_str(&format!(
                    "<img src=\"{href}\" alt=\"{}\">\n",
                    escape_html(&f.name)
                ));
            }
        }
        h.push_str("</section>\n");
    }
    for a in appointments {
        let d = &a.draft;
        h.push_str(&format!(
            "<section>\n<h2>Appointment: {}</h2>\n<dl>\n",
            escape_html(&d.title)
        ));
        let kind = serde_json::to_value(d.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let mut rows: Vec<(&str, String)> = vec![
            ("Kind", kind),
            ("Starts (local)", d.start_local.clone()),
            ("Time zone", d.time_zone.clone()),
        ];
        if d.all_day {
            rows.push(("All day", "yes".to_owned()));
        }
        if let Some(m) = d.duration_minutes {
            rows.push(("Duration (minutes)", m.to_string()));
        }
        if let Some(p) = &d.place {
            rows.push(("Place", p.clone()));
        }
        if let Some(r) = &d.rrule {
            rows.push(("Repeats", r.clone()));
        }
        for (k, v) in rows {
            h.push_str(&format!(
                "<dt>{}</dt><dd>{}</dd>\n",
                escape_html(k),
                escape_html(&v)
            ));
        }
        h.push_str("</dl>\n");
        if let Some(n) = &d.notes {
            h.push_str(&format!("<div class=\"body\">{}</div>\n", escape_html(n)));
        }
        h.push_str("</section>\n");
    }
    for (i, snap) in entries.iter().enumerate() {
        let e = &snap.entry;
        h.push_str(&format!(
            "<section>\n<h2>{}</h2>\n<dl>\n",
            escape_html(export::display_title(e))
        ));
        for (k, v) in export::entry_rows(e) {
            if k == "Attachment" {
                continue;
            }
            h.push_str(&format!(
                "<dt>{}</dt><dd>{}</dd>\n",
                escape_html(k),
                escape_html(&v)
            ));
        }
        h.push_str("</dl>\n<div class=\"body\">");
        h.push_str(&escape_html(&e.body));
        h.push_str("</div>\n");
        if !e.attachments.is_empty() {
            h.push_str("<h3>Attachments</h3>\n<ul>\n");
            for a in &e.attachments {
                let full = export::attachment_path(SHARE_ROOT, i + 1, e, a);
                let rel = full
                    .strip_prefix(&format!("{SHARE_ROOT}/"))
                    .unwrap_or(&full);
                let href = escape_html(rel);
                h.push_str(&format!(
                    "<li><a href=\"{href}\">{}</a> ({}, {} bytes, SHA-256 <code>{}</code>)",
                    escape_html(&a.name),
                    escape_html(&a.mime),
                    a.size,
                    escape_html(&a.sha256)
                ));
                if a.mime.starts_with("image/") {
                    h.push_str(&format!(
                        "<br><img src=\"{href}\" alt=\"{}\">",
                        escape_html(&a.name)
                    ));
                }
                h.push_str("</li>\n");
            }
            h.push_str("</ul>\n");
        }
        h.push_str("</section>\n");
    }
    h.push_str("</body></html>\n");
    h
}

/// Writes the share of `entries` (in the order given) and `appointments` to `out`,
/// encrypted to `to`. Appointments go in `appointments.json` (chained) and the report.
#[allow(clippy::too_many_arguments)] // each is one thing the survivor chose
pub fn write_share(
    ctx: &JournalCtx<'_>,
    entries: &[EntrySnapshot],
    appointments: &[Appointment],
    docs_ctx: &DocumentsCtx<'_>,
    documents: &[DocumentSnapshot],
    to: ShareTo,
    out: &Path,
    now_ms: i64,
) -> Result<export::ExportSummary> {
    if entries.is_empty() && appointments.is_empty() && documents.is_empty() {
        return Err(Error::invalid(
            "entries",
            "choose at least one entry, appointment or document",
        ));
    }
    if entries.len() + appointments.len() + documents.len() > MAX_ENTRIES {
        return Err(Error::invalid("entries", "too many entries"));
    }
    let report =
        Zeroizing::new(render_report(entries, appointments, documents, now_ms).into_bytes());
    let mut extra = Vec::new();
    if !appointments.is_empty() {
        let json = serde_json::to_vec_pretty(appointments)
            .map_err(|_| Error::Crypto("encode appointments"))?;
        extra.push(("appointments.json".to_owned(), Zeroizing::new(json)));
    }
    let mut streamed = Vec::new();
    if !documents.is_empty() {
        let (json, files) = crate::documents::package_parts(docs_ctx, documents)?;
        extra.push(("documents.json".to_owned(), json));
        streamed = files;
    }
    extra.push(("report.html".to_owned(), report));
    let spec = export::PackageSpec {
        format: SHARE_FORMAT,
        root: SHARE_ROOT,
        readme: README,
        extra,
        streamed,
    };
    let to = match to {
        ShareTo::Passphrase(p, n) => export::ExportTo::Passphrase(p, n),
        ShareTo::Key(r) => export::ExportTo::Recipient(r),
    };
    export::export_package(ctx, entries, to, out, now_ms, spec)
}

/// Secret text that is zeroised on drop (an identity file read by the CLI).
pub type SecretText = Zeroizing<String>;

/// How the recipient opens a share.
pub enum OpenWith {
    /// The text of an age identity file (`AGE-SECRET-KEY-1...` lines; `#` comments ignored).
    Identity(Zeroizing<String>),
    /// The passphrase it was shared with.
    Passphrase(age::secrecy::SecretString),
}

/// What an opened share held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpenSummary {
    /// Entries (JSON files) in the share.
    pub entries: u32,
    /// Attachment files in the share.
    pub attachments: u32,
    /// Appointments in the share.
    pub appointments: u32,
    /// Documents in the share.
    pub documents: u32,
    /// The verified chain head (compare with the one the sender's app showed).
    pub chain_head: String,
    /// Path of the written report.
    pub report: String,
}

/// Most bytes a share may decrypt to (a guard against a hostile file filling the disk).
pub const MAX_OPEN_BYTES: u64 = 8 << 30;

fn archive_path(p: &Path) -> Option<String> {
    let mut parts = Vec::new();
    for c in p.components() {
        match c {
            PathPart::Normal(s) => parts.push(s.to_str()?.to_owned()),
            _ => return None,
        }
    }
    (parts.len() >= 2 && parts[0] == SHARE_ROOT).then(|| parts.join("/"))
}

/// Decrypts the share at `file`, checks every file's hash and the chain, and only then
/// writes its files under `out_dir` (which must not exist or be empty). A wrong key, a
/// damaged file, a file not in the manifest, or a broken chain fails with one line and
/// writes nothing.
pub fn open_package(file: &Path, with: OpenWith, out_dir: &Path) -> Result<OpenSummary> {
    if out_dir.exists()
        && std::fs::read_dir(out_dir)
            .map_err(|_| Error::invalid("out", "cannot read the output directory"))?
            .next()
            .is_some()
    {
        return Err(Error::invalid("out", "the output directory is not empty"));
    }
    let input = std::fs::File::open(file)
        .map_err(|_| Error::invalid("file", "cannot open the share file"))?;
    let dec = age::Decryptor::new_buffered(std::io::BufReader::new(input))
        .map_err(|_| Error::Verification("not an age file, or damaged".into()))?;
    let reader = match with {
        OpenWith::Identity(text) => {
            let ids: Vec<age::x25519::Identity> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(|l| l.parse::<age::x25519::Identity>())
                .collect::<std::result::Result<_, _>>()
                .map_err(|_| Error::invalid("identity", "not an age identity file"))?;
            if ids.is_empty() {
                return Err(Error::invalid("identity", "no key in the identity file"));
            }
            dec.decrypt(ids.iter().map(|i| i as &dyn age::Identity))
        }
        OpenWith::Passphrase(p) => {
            let mut id = age::scrypt::Identity::new(p);
            id.set_max_work_factor(22);
            dec.decrypt(std::iter::once(&id as &dyn age::Identity))
        }
    }
    .map_err(|_| Error::Verification("wrong key or passphrase, or a damaged file".into()))?;
    let mut files: BTreeMap<String, Zeroizing<Vec<u8>>> = BTreeMap::new();
    let mut total = 0u64;
    let mut archive = tar::Archive::new(reader.take(MAX_OPEN_BYTES));
    let damaged = |_| Error::Verification("wrong key or passphrase, or a damaged file".into());
    for entry in archive.entries().map_err(damaged)? {
        let mut entry = entry.map_err(damaged)?;
        // Folders (an archive re-made with `tar`) carry nothing; anything else but a
        // regular file (links, devices) is refused.
        if entry.header().entry_type() == tar::EntryType::Directory {
            continue;
        }
        if entry.header().entry_type() != tar::EntryType::Regular {
            return Err(Error::Verification(
                "the share holds something other than files".into(),
            ));
        }
        let path = entry.path().map_err(damaged)?.into_owned();
        let name = archive_path(&path).ok_or_else(|| {
            Error::Verification("the share holds a file outside its folder".into())
        })?;
        let mut bytes = Zeroizing::new(Vec::new());
        entry.read_to_end(&mut bytes).map_err(damaged)?;
        total += bytes.len() as u64;
        if total >= MAX_OPEN_BYTES {
            return Err(Error::Verification("the share is too large".into()));
        }
        if files.insert(name, bytes).is_some() {
            return Err(Error::Verification("the share holds a file twice".into()));
        }
    }
    let manifest_bytes = files
        .get(&format!("{SHARE_ROOT}/manifest.json"))
        .ok_or_else(|| Error::Verification("the share has no manifest".into()))?;
    let manifest: Manifest = serde_json::from_slice(manifest_bytes)
        .map_err(|_| Error::Verification("the manifest is damaged".into()))?;
    if manifest.format != SHARE_FORMAT {
        return Err(Error::Verification("not a Waypoint share".into()));
    }
    export::verify_manifest(&manifest, |p| files.get(p).map(|b| b.to_vec()))?;
    let listed: std::collections::BTreeSet<&str> =
        manifest.items.iter().map(|i| i.path.as_str()).collect();
    for name in files.keys() {
        let unchained = name == &format!("{SHARE_ROOT}/manifest.json")
            || name == &format!("{SHARE_ROOT}/README.txt");
        if !unchained && !listed.contains(name.as_str()) {
            return Err(Error::Verification("a file is not in the manifest".into()));
        }
    }
    let report_name = format!("{SHARE_ROOT}/report.html");
    if !listed.contains(report_name.as_str()) {
        return Err(Error::Verification("the share has no report".into()));
    }
    let appointments = match files.get(&format!("{SHARE_ROOT}/appointments.json")) {
        Some(b) => serde_json::from_slice::<Vec<serde_json::Value>>(b)
            .map_err(|_| Error::Verification("appointments.json is damaged".into()))?
            .len(),
        None => 0,
    };
    let documents = match files.get(&format!("{SHARE_ROOT}/documents.json")) {
        Some(b) => serde_json::from_slice::<Vec<serde_json::Value>>(b)
            .map_err(|_| Error::Verification("documents.json is damaged".into()))?
            .len(),
        None => 0,
    };
    crate::store::create_private_dir(out_dir)?;
    let mut entries = 0u32;
    let mut attachments = 0u32;
    for (name, bytes) in &files {
        let rel = name.strip_prefix(&format!("{SHARE_ROOT}/")).unwrap_or(name);
        if rel.starts_with("entries/") && rel.ends_with(".json") {
            entries += 1;
        }
        if rel.starts_with("attachments/") {
            attachments += 1;
        }
        let dest = out_dir.join(rel);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut f = crate::store::create_private_file(&dest)?;
        std::io::Write::write_all(&mut f, bytes)?;
    }
    Ok(OpenSummary {
        entries,
        attachments,
        appointments: u32::try_from(appointments).unwrap_or(u32::MAX),
        documents: u32::try_from(documents).unwrap_or(u32::MAX),
        chain_head: manifest.head.clone(),
        report: out_dir.join("report.html").to_string_lossy().into_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An age file (to `id`) holding a tar whose one member has the raw name `name`.
    fn hostile_share(dir: &Path, id: &age::x25519::Identity, name: &[u8]) -> std::path::PathBuf {
        let mut header = tar::Header::new_old();
        header.as_old_mut().name[..name.len()].copy_from_slice(name);
        header.set_size(4);
        header.set_mode(0o600);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        let mut raw = Vec::new();
        raw.extend_from_slice(header.as_bytes());
        raw.extend_from_slice(b"evil");
        raw.resize(raw.len() + 508 + 1024, 0);
        let recipient = id.to_public();
        let enc =
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .expect("encryptor");
        let path = dir.join("hostile.age");
        let mut w = enc
            .wrap_output(std::fs::File::create(&path).expect("create"))
            .expect("wrap");
        std::io::Write::write_all(&mut w, &raw).expect("write");
        w.finish().expect("finish");
        path
    }

    #[test]
    fn a_share_with_paths_outside_its_folder_is_refused_and_writes_nothing() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let id = age::x25519::Identity::generate();
        let text = age::secrecy::ExposeSecret::expose_secret(&id.to_string()).to_owned();
        for name in [
            &b"waypoint-share/../../escaped"[..],
            b"/tmp/escaped",
            b"elsewhere/file",
        ] {
            let file = hostile_share(tmp.path(), &id, name);
            let out = tmp.path().join("out");
            let err = open_package(
                &file,
                OpenWith::Identity(Zeroizing::new(text.clone())),
                &out,
            )
            .expect_err("refused");
            assert!(
                matches!(err, Error::Verification(ref m) if m.contains("outside")),
                "{err}"
            );
            assert!(!out.exists());
            assert!(!tmp.path().join("escaped").exists());
        }
    }

    fn a_key() -> String {
        age::x25519::Identity::generate().to_public().to_string()
    }

    #[test]
    fn a_scanned_key_gives_the_canonical_key_and_its_fingerprint() {
        let key = a_key();
        let read = read_scanned_key(&key).expect("a plain key");
        assert_eq!(read.key, key);
        assert_eq!(read.fingerprint, fingerprint(&key).expect("fingerprint"));
        assert_eq!(read.fingerprint.len(), 19);
        // Whitespace around and inside (wrapped lines), and the upper case of a QR code's
        // compact mode, read as the same key with the same fingerprint.
        let (a, b) = key.split_at(30);
        for text in [
            format!("  {key}\n"),
            format!("{a}\n{b}"),
            format!("\t{a} {b} "),
            key.to_ascii_uppercase(),
            format!(" {}\r\n", key.to_ascii_uppercase()),
        ] {
            let again = read_scanned_key(&text).expect("same key");
            assert_eq!(again, read);
        }
        // The Debug form shows the fingerprint only.
        let debug = format!("{read:?}");
        assert!(!debug.contains(&key[4..20]), "{debug}");
    }

    #[test]
    fn anything_else_scanned_is_one_clear_error_that_echoes_nothing() {
        let key = a_key();
        let secret = age::secrecy::ExposeSecret::expose_secret(
            &age::x25519::Identity::generate().to_string(),
        )
        .to_owned();
        let letter = key[4..]
            .find(|c: char| c.is_ascii_lowercase())
            .expect("a letter")
            + 4;
        let mut mixed = key.clone();
        mixed.replace_range(letter..=letter, &key[letter..=letter].to_ascii_uppercase());
        let mut flipped = key.clone().into_bytes();
        let last = flipped.len() - 1;
        flipped[last] = if flipped[last] == b'q' { b'p' } else { b'q' };
        let flipped = String::from_utf8(flipped).expect("ascii");
        let huge = "a".repeat(10 * 1024);
        let huge_key = format!("{key}{}", " ".repeat(10 * 1024));
        for text in [
            String::new(),
            "   ".to_owned(),
            "https://example.org/?key=".to_owned() + &key,
            format!("age:{key}"),
            format!("{key}{key}"),
            format!("{key}\n{}", a_key()),
            mixed,
            flipped,
            secret.clone(),
            secret.to_ascii_lowercase(),
            "age1".to_owned(),
            "ünïcödé age1 \u{202e}".to_owned(),
            "\0\0\0".to_owned(),
            huge,
            huge_key,
        ] {
            let err = read_scanned_key(&text).expect_err("refused");
            let Error::InvalidInput { field, reason } = &err else {
                panic!("not one clear error: {err:?}");
            };
            assert_eq!(field, "key");
            let shown = format!("{err} {err:?}");
            assert!(!shown.contains('\n'), "one line: {shown}");
            assert!(!shown.contains(&key[4..]), "echoed the key: {shown}");
            assert!(!shown.contains("SECRET-KEY-1"), "echoed a secret: {shown}");
            assert!(reason.len() < 80);
        }
    }
}

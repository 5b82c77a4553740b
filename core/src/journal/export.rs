//! Evidence export: one age file a lawyer or case worker opens with the standard `age` tool.
//!
//! Inside is a tar archive:
//!
//! ```text
//! waypoint-export/README.txt                          how to read and verify
//! waypoint-export/entries/0001-<id>.json              each entry, oldest first (JSON)
//! waypoint-export/entries/0001-<id>.md                the same, readable (Markdown)
//! waypoint-export/attachments/0001-<id>/<att>-<name>  its attachments, as attached
//! waypoint-export/manifest.json                       SHA-256 of every file + hash chain
//! ```
//!
//! The manifest lists the files in order with their SHA-256 and a chain value
//! `chain_i = SHA-256(chain_{i-1} || path || "\n" || sha256_hex_i)` starting from
//! `chain_0 = SHA-256("waypoint-evidence-chain/v1")`. The last value (`head`) commits to
//! every file, its name and its position: removing, reordering or altering anything after
//! the export changes it. The chain is unkeyed and travels inside the archive, so it proves
//! integrity only against a head obtained separately (shown at export time); the README
//! written into the archive says so plainly, and what it does not prove. age authenticates
//! the archive against accidental damage, not its author.

use std::io::Write;
use std::path::Path;

use age::secrecy::SecretString;
use sha2::{Digest, Sha256};

use super::{index::effective_ms, EntrySnapshot, JournalCtx, JournalEntry};
use crate::error::{Error, Result};

/// Format name recorded in the manifest.
pub const EXPORT_FORMAT: &str = "waypoint-evidence-export/1";
/// Seed of the hash chain.
pub const CHAIN_SEED: &[u8] = b"waypoint-evidence-chain/v1";
const ROOT: &str = "waypoint-export";

/// Who can open the export.
pub enum ExportTo {
    /// Anyone with this passphrase (age scrypt at the given work factor).
    Passphrase(SecretString, u8),
    /// The holder of this age identity (`age1...`).
    Recipient(age::x25519::Recipient),
}

/// Parses an `age1...` recipient.
pub fn parse_recipient(s: &str) -> Result<age::x25519::Recipient> {
    s.trim()
        .parse()
        .map_err(|_| Error::invalid("recipient", "not an age X25519 recipient (age1...)"))
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExportSummary {
    /// Entries exported.
    pub entries: u32,
    /// Attachments exported.
    pub attachments: u32,
    /// Other files exported (the chosen documents' photos and scans).
    pub files: u32,
    /// Size of the age file in bytes.
    pub bytes: u64,
    /// Final value of the manifest's hash chain (hex); give it to the recipient separately
    /// to let them check the archive is the one exported.
    pub chain_head: String,
}

/// One file in the manifest.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ManifestItem {
    /// Path inside the archive.
    pub path: String,
    /// Size in bytes.
    pub size: u64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// Chain value after this file, hex.
    pub chain: String,
}

/// The manifest.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    /// [`EXPORT_FORMAT`].
    pub format: String,
    /// When exported (RFC 3339, UTC).
    pub exported_at: String,
    /// How the chain is computed.
    pub chain_rule: String,
    /// Files in order.
    pub items: Vec<ManifestItem>,
    /// The last chain value.
    pub head: String,
}

/// The chain's starting value.
pub fn chain_seed() -> [u8; 32] {
    Sha256::digest(CHAIN_SEED).into()
}

/// One chain step.
pub fn chain_link(prev: &[u8; 32], path: &str, sha256_hex: &str) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(path.as_bytes());
    h.update(b"\n");
    h.update(sha256_hex.as_bytes());
    h.finalize().into()
}

fn rfc3339(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
        .unwrap_or_else(|| ms.to_string())
}

/// A file name safe in any archive and file system: ASCII letters, digits, `.`, `-`, `_`
/// (others become `_`), at most 80 characters, no leading dot.
pub fn safe_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(80)
        .collect();
    let s = s.trim_start_matches('.').to_owned();
    if s.is_empty() {
        "file".to_owned()
    } else {
        s
    }
}

/// The labelled facts of one entry (id, dates, place, people, case details, attachments),
/// in the order every readable rendering shows them (Markdown here, HTML in shares).
pub fn entry_rows(e: &JournalEntry) -> Vec<(&'static str, String)> {
    let mut rows = Vec::new();
    let mut row = |k: &'static str, v: String| rows.push((k, v));
    row("Entry id", e.id.clone());
    row("Revision", e.revision.to_string());
    if let Some(h) = e.happened_at_ms {
        row("Happened at", rfc3339(h));
    }
    row("Written at", rfc3339(e.written_at_ms));
    row("Last edited", rfc3339(e.updated_at_ms));
    if let Some(m) = &e.mood {
        row("Mood", m.clone());
    }
    if let Some(p) = &e.place {
        row("Place", p.clone());
    }
    if !e.people.is_empty() {
        row("People involved", e.people.join(", "));
    }
    if !e.tags.is_empty() {
        row("Tags", e.tags.join(", "));
    }
    let d = &e.case_details;
    if let Some(h) = d.hours_worked {
        row("Hours worked", format!("{h}"));
    }
    if let Some(v) = &d.wages_promised {
        row("Wages promised", v.clone());
    }
    if let Some(v) = &d.wages_paid {
        row("Wages paid", v.clone());
    }
    if let Some(v) = &d.debts_claimed {
        row("Debts claimed", v.clone());
    }
    if !d.documents_withheld.is_empty() {
        row("Documents withheld", d.documents_withheld.join(", "));
    }
    if let Some(v) = &d.threats {
        row("Threats", v.clone());
    }
    for a in &e.attachments {
        row(
            "Attachment",
            format!(
                "{} ({}, {} bytes, SHA-256 {})",
                a.name, a.mime, a.size, a.sha256
            ),
        );
    }
    rows
}

/// Title shown for an entry (`(untitled)` when empty).
pub fn display_title(e: &JournalEntry) -> &str {
    if e.title.is_empty() {
        "(untitled)"
    } else {
        &e.title
    }
}

/// A readable rendering of one entry.
pub fn render_markdown(e: &JournalEntry) -> String {
    let mut md = String::new();
    md.push_str(&format!("# {}\n\n", display_title(e)));
    for (k, v) in entry_rows(e) {
        md.push_str(&format!("- **{k}:** {v}\n"));
    }
    md.push('\n');
    md.push_str(&e.body);
    md.push('\n');
    md
}

/// RFC 3339 (UTC, seconds) of Unix ms.
pub fn rfc3339_ms(ms: i64) -> String {
    rfc3339(ms)
}

const README: &str = "Waypoint evidence export\n\
\n\
This archive was exported from the Waypoint app by the person who wrote it.\n\
entries/ holds each journal entry twice: as JSON (exact data) and as Markdown (readable).\n\
attachments/ holds the photos, recordings and documents attached to each entry.\n\
documents.json (if present) lists the identity, travel, court and medical documents the\n\
person chose to include; documents/ holds their photos and scans.\n\
\n\
manifest.json lists every file in order with its SHA-256 and a hash chain:\n\
  chain_0 = SHA-256(\"waypoint-evidence-chain/v1\")\n\
  chain_i = SHA-256(chain_{i-1} || path_i || \"\\n\" || sha256_hex_i)   (chain values as raw 32 bytes)\n\
The last value (head) changes if any file is altered, removed, added or reordered.\n\
Check each file with `sha256sum` and recompute the chain to verify.\n\
\n\
What the hash chain proves, and what it does not\n\
\n\
The chain is NOT a signature. It uses no key: anyone who changes, adds or removes files\n\
can recompute every hash and write a new manifest.json with a new head, and the archive\n\
will check out. A check of manifest.json against the files therefore proves only that\n\
the files are the ones manifest.json describes.\n\
\n\
It proves that this archive is the one the app exported only if you compare the head with\n\
the chain head the app showed at export time, received from the person who exported it\n\
by another route (read aloud, written down, sent separately). If the two match, no file\n\
was altered, added, removed or reordered since the export.\n\
\n\
It does not prove who wrote the entries, or when: dates come from the phone's clock and\n\
can be set by whoever holds the phone. The age encryption keeps the archive private to\n\
its passphrase or recipient; it does not show who made the archive (anyone who knows the\n\
recipient's public key can make an age file for it).\n";

struct Chained<W: Write> {
    tar: tar::Builder<W>,
    chain: [u8; 32],
    items: Vec<ManifestItem>,
    mtime: u64,
}

impl<W: Write> Chained<W> {
    fn header(&self, size: u64) -> tar::Header {
        let mut h = tar::Header::new_gnu();
        h.set_size(size);
        h.set_mode(0o600);
        h.set_mtime(self.mtime);
        h.set_entry_type(tar::EntryType::Regular);
        h
    }

    fn add_bytes(&mut self, path: &str, bytes: &[u8], chained: bool) -> Result<()> {
        let mut h = self.header(bytes.len() as u64);
        self.tar.append_data(&mut h, path, bytes)?;
        if chained {
            self.record(path, bytes.len() as u64, hex::encode(Sha256::digest(bytes)));
        }
        Ok(())
    }

    fn record(&mut self, path: &str, size: u64, sha256: String) {
        self.chain = chain_link(&self.chain, path, &sha256);
        self.items.push(ManifestItem {
            path: path.to_owned(),
            size,
            sha256,
            chain: hex::encode(self.chain),
        });
    }
}

/// What kind of package [`export_package`] writes: the evidence export and the survivor's
/// shares (`crate::sharing`) share the archive layout, the manifest and the hash chain, and
/// differ in their format name, top folder, README and extra (chained) files.
pub struct PackageSpec<'a> {
    /// Format name recorded in the manifest.
    pub format: &'a str,
    /// Top folder of the archive.
    pub root: &'a str,
    /// `README.txt` (not chained).
    pub readme: &'a str,
    /// Further files (path under `root`, content), written after the entries and chained.
    pub extra: Vec<(String, zeroize::Zeroizing<Vec<u8>>)>,
    /// Encrypted files streamed in after the entries' attachments (the documents' files),
    /// chained like attachments.
    pub streamed: Vec<StreamedFile<'a>>,
}

/// A file decrypted into a package as it is written, never held whole in memory.
pub struct StreamedFile<'a> {
    /// Path under the package's top folder.
    pub path: String,
    /// Its recorded size.
    pub size: u64,
    /// Its recorded SHA-256, hex (the reader checks the content against it).
    pub sha256: String,
    /// Opens the checking reader.
    pub open: Box<dyn FnOnce() -> Result<super::VerifyingReader> + 'a>,
}

/// Path of an entry's JSON (`ext = "json"`) or Markdown (`"md"`) file under the top folder.
pub fn entry_path(root: &str, n: usize, e: &JournalEntry, ext: &str) -> String {
    format!("{root}/entries/{n:04}-{}.{ext}", e.id)
}

/// Path of an attachment of the `n`th entry (1-based) under the top folder.
pub fn attachment_path(
    root: &str,
    n: usize,
    e: &JournalEntry,
    a: &super::AttachmentInfo,
) -> String {
    format!(
        "{root}/attachments/{n:04}-{}/{}-{}",
        e.id,
        a.id,
        safe_name(&a.name)
    )
}

/// Writes the export of `entries` (oldest first) to `out`, encrypted to `to`. Written to a
/// temporary name beside `out` and renamed when complete, so `out` is never half a file.
pub fn export(
    ctx: &JournalCtx<'_>,
    entries: &[EntrySnapshot],
    to: ExportTo,
    out: &Path,
    now_ms: i64,
) -> Result<ExportSummary> {
    export_package(ctx, entries, to, out, now_ms, evidence_spec())
}

/// The evidence export's package (format, top folder, README), with no extra files yet:
/// the application adds the chosen documents to it.
pub fn evidence_spec() -> PackageSpec<'static> {
    PackageSpec {
        format: EXPORT_FORMAT,
        root: ROOT,
        readme: README,
        extra: Vec::new(),
        streamed: Vec::new(),
    }
}

/// [`export`] with another [`PackageSpec`].
pub fn export_package(
    ctx: &JournalCtx<'_>,
    entries: &[EntrySnapshot],
    to: ExportTo,
    out: &Path,
    now_ms: i64,
    spec: PackageSpec<'_>,
) -> Result<ExportSummary> {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !parent.is_dir() {
        return Err(Error::invalid("out", "its directory does not exist"));
    }
    let tmp = parent.join(format!(".{}.part", super::new_id()));
    let result = write_archive(ctx, entries, to, &tmp, now_ms, spec);
    match result {
        Ok(mut summary) => {
            std::fs::rename(&tmp, out).inspect_err(|_| {
                let _ = std::fs::remove_file(&tmp);
            })?;
            summary.bytes = std::fs::metadata(out)?.len();
            Ok(summary)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            Err(e)
        }
    }
}

fn write_archive(
    ctx: &JournalCtx<'_>,
    entries: &[EntrySnapshot],
    to: ExportTo,
    tmp: &Path,
    now_ms: i64,
    spec: PackageSpec<'_>,
) -> Result<ExportSummary> {
    let root = spec.root;
    let encryptor = match to {
        ExportTo::Passphrase(pass, log_n) => {
            let mut r = age::scrypt::Recipient::new(pass);
            r.set_work_factor(log_n);
            age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient))
        }
        ExportTo::Recipient(r) => {
            age::Encryptor::with_recipients(std::iter::once(&r as &dyn age::Recipient))
        }
    }
    .map_err(|_| Error::Crypto("export encryption"))?;
    let file = crate::store::create_private_file(tmp)?;
    let writer = encryptor.wrap_output(std::io::BufWriter::new(file))?;
    let mut c = Chained {
        tar: tar::Builder::new(writer),
        chain: chain_seed(),
        items: Vec::new(),
        mtime: u64::try_from(now_ms / 1000).unwrap_or(0),
    };
    c.add_bytes(&format!("{root}/README.txt"), spec.readme.as_bytes(), false)?;
    let mut attachments = 0u32;
    for (i, snap) in entries.iter().enumerate() {
        let n = i + 1;
        let e = &snap.entry;
        let json = zeroize::Zeroizing::new(
            serde_json::to_vec_pretty(e).map_err(|_| Error::Crypto("encode entry"))?,
        );
        c.add_bytes(&entry_path(root, n, e, "json"), &json, true)?;
        let md = zeroize::Zeroizing::new(render_markdown(e));
        c.add_bytes(&entry_path(root, n, e, "md"), md.as_bytes(), true)?;
        for a in &e.attachments {
            let path = attachment_path(root, n, e, a);
            let mut reader = ctx.attachment_reader(snap, a)?;
            let mut h = c.header(a.size);
            c.tar
                .append_data(&mut h, &path, &mut reader)
                .map_err(super::map_read_err)?;
            reader.finish()?;
            c.record(&path, a.size, a.sha256.clone());
            attachments += 1;
        }
    }
    let mut streamed = 0u32;
    for f in spec.streamed {
        let path = format!("{root}/{}", f.path);
        let mut reader = (f.open)()?;
        let mut h = c.header(f.size);
        c.tar
            .append_data(&mut h, &path, &mut reader)
            .map_err(super::map_read_err)?;
        reader.finish()?;
        c.record(&path, f.size, f.sha256);
        streamed += 1;
    }
    for (name, bytes) in &spec.extra {
        c.add_bytes(&format!("{root}/{name}"), bytes, true)?;
    }
    let manifest = Manifest {
        format: spec.format.to_owned(),
        exported_at: rfc3339(now_ms),
        chain_rule: "chain_0 = SHA-256(\"waypoint-evidence-chain/v1\"); chain_i = SHA-256(chain_{i-1} || path || \"\\n\" || sha256_hex)".to_owned(),
        head: hex::encode(c.chain),
        items: c.items.clone(),
    };
    let json =
        serde_json::to_vec_pretty(&manifest).map_err(|_| Error::Crypto("encode manifest"))?;
    c.add_bytes(&format!("{root}/manifest.json"), &json, false)?;
    let writer = c.tar.into_inner()?;
    let buffered = writer.finish()?;
    let f = buffered
        .into_inner()
        .map_err(|e| Error::Io(e.into_error()))?;
    f.sync_all()?;
    Ok(ExportSummary {
        entries: u32::try_from(entries.len()).unwrap_or(u32::MAX),
        attachments,
        files: streamed,
        bytes: 0,
        chain_head: manifest.head,
    })
}

/// Verifies a manifest against files read by `read(path)`: every hash and the chain.
/// Used by tests; a reader can do the same with `sha256sum` and a few lines of script.
pub fn verify_manifest(
    manifest: &Manifest,
    mut read: impl FnMut(&str) -> Option<Vec<u8>>,
) -> Result<()> {
    let mut chain = chain_seed();
    for item in &manifest.items {
        let bytes = read(&item.path).ok_or(Error::Verification("file missing".into()))?;
        let sha = hex::encode(Sha256::digest(&bytes));
        if sha != item.sha256 || bytes.len() as u64 != item.size {
            return Err(Error::Verification("file altered".into()));
        }
        chain = chain_link(&chain, &item.path, &sha);
        if hex::encode(chain) != item.chain {
            return Err(Error::Verification("chain broken".into()));
        }
    }
    if hex::encode(chain) != manifest.head {
        return Err(Error::Verification("chain head does not match".into()));
    }
    Ok(())
}

/// Entries ordered as the export orders them (oldest first).
pub fn export_order(a: &JournalEntry, b: &JournalEntry) -> std::cmp::Ordering {
    effective_ms(a)
        .cmp(&effective_ms(b))
        .then(a.written_at_ms.cmp(&b.written_at_ms))
}

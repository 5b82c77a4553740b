//! The draft -> candidate -> signatures -> published workflow, and the published tree.
//!
//! Editors change resources in the draft. A publisher freezes the draft into a candidate:
//! the exact payload bytes of the next bundle. Publishers check and sign those bytes on
//! their own machines with `waypoint-publish sign`, which verifies the published state
//! against their pinned keyset and shows every change before signing (see
//! `waypoint_format::review`), and upload the signatures. The server verifies each one
//! against the keys allowed for its item and, once every item has its threshold,
//! publishes in ONE SQLite transaction: the signed bundle, the deltas from the previous
//! versions and the new manifest all become visible together. A kill at any point leaves
//! either the old tree or the new one. The server never holds a key that could sign
//! content.
//!
//! A keyset rotation is a candidate too: the new keyset (signed by a threshold of the old
//! and of the new keys) plus the published records re-signed under the new keyset as the
//! next bundle version, its deltas and manifest. The keyset goes public only together with
//! that content, so what is served always verifies under the newest published keyset.

use rusqlite::{params, OptionalExtension};

use crate::advocates::audit_in;
use crate::db::{Db, DbError};
use crate::http::{Artefact, FieldError, Tree};

/// Public path of the manifest.
pub const MANIFEST_PATH: &str = "v1/manifest";

/// Public path of bundle `version`.
pub fn bundle_path(version: u64) -> String {
    format!("v1/bundles/{version}")
}

/// Public path of the delta `from` -> `to`.
pub fn delta_path(from: u64, to: u64) -> String {
    format!("v1/deltas/{from}/{to}")
}

/// Public path of the format 2 manifest (docs/PROTOCOL.md §19).
pub const V2_MANIFEST_PATH: &str = "v2/manifest";

/// Public path of the format 2 bundle `version`.
pub fn v2_bundle_path(version: u64) -> String {
    format!("v2/bundles/{version}")
}

/// Public path of the format 2 delta `from` -> `to`.
pub fn v2_delta_path(from: u64, to: u64) -> String {
    format!("v2/deltas/{from}/{to}")
}

/// Public path of keyset `version`.
pub fn keyset_path(version: u64) -> String {
    format!("v1/keysets/{version}")
}

/// Errors of the publishing workflow.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// Database failure.
    #[error(transparent)]
    Db(#[from] DbError),
    /// No such draft resource or candidate.
    #[error("not found")]
    NotFound,
    /// A signature or keyset was rejected.
    #[error("{0}")]
    Rejected(String),
    /// The request conflicts with the current state (e.g. a stale candidate).
    #[error("{0}")]
    Conflict(String),
    /// A resource failed validation.
    #[error("invalid resource")]
    Invalid(Vec<FieldError>),
}

impl From<rusqlite::Error> for PublishError {
    fn from(e: rusqlite::Error) -> Self {
        PublishError::Db(DbError::Sqlite(e))
    }
}

/// Loads every published artefact into memory.
pub fn load_tree(db: &Db) -> Result<Tree, DbError> {
    db.with(|c| {
        let mut stmt = c.prepare("SELECT path, bytes FROM artefacts")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
        })?;
        let mut tree = Tree::new();
        for row in rows {
            let (path, bytes) = row?;
            tree.insert(path, Artefact::new(bytes));
        }
        Ok(tree)
    })
}

// ---- drafts --------------------------------------------------------------------------

/// Largest draft resource id.
const MAX_ID_LEN: usize = 64;

fn validate_id(id: &str) -> Result<(), PublishError> {
    let ok = !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
    if ok {
        Ok(())
    } else {
        Err(PublishError::Invalid(vec![FieldError {
            field: "id".into(),
            reason: "must be 1-64 characters of a-z, A-Z, 0-9, '-', '_' or '.'".into(),
        }]))
    }
}

/// Every draft resource, ordered by id.
pub fn draft_list(db: &Db) -> Result<Vec<serde_json::Value>, PublishError> {
    Ok(db.with(|c| {
        let mut stmt = c.prepare("SELECT body FROM draft_resources ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for body in rows {
            out.push(serde_json::from_str(&body?).unwrap_or(serde_json::Value::Null));
        }
        Ok(out)
    })?)
}

/// One draft resource.
pub fn draft_get(db: &Db, id: &str) -> Result<Option<serde_json::Value>, PublishError> {
    let body: Option<String> = db.with(|c| {
        Ok(c.query_row(
            "SELECT body FROM draft_resources WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )
        .optional()?)
    })?;
    Ok(body.and_then(|b| serde_json::from_str(&b).ok()))
}

/// Creates or replaces a draft resource after validating it; returns the stored form.
pub fn draft_put(
    db: &Db,
    id: &str,
    mut value: serde_json::Value,
    by: &str,
    now_ms: i64,
) -> Result<serde_json::Value, PublishError> {
    validate_id(id)?;
    let Some(obj) = value.as_object_mut() else {
        return Err(PublishError::Invalid(vec![FieldError {
            field: "(body)".into(),
            reason: "must be a JSON object".into(),
        }]));
    };
    match obj.get("id") {
        None => {
            obj.insert("id".into(), serde_json::Value::String(id.to_owned()));
        }
        Some(serde_json::Value::String(s)) if s == id => {}
        Some(_) => {
            return Err(PublishError::Invalid(vec![FieldError {
                field: "id".into(),
                reason: "must match the id in the URL".into(),
            }]))
        }
    }
    let errors = crate::records::validate(&value);
    if !errors.is_empty() {
        return Err(PublishError::Invalid(errors));
    }
    let body = serde_json::to_string(&value).map_err(|_| {
        PublishError::Invalid(vec![FieldError {
            field: "(body)".into(),
            reason: "cannot be serialised".into(),
        }])
    })?;
    db.with(|c| {
        let tx = c.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO draft_resources (id, body, updated_ms, updated_by) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(id) DO UPDATE SET body = excluded.body, updated_ms = excluded.updated_ms,
             updated_by = excluded.updated_by",
            params![id, body, now_ms, by],
        )?;
        audit_in(&tx, now_ms, by, "draft.put", id)?;
        tx.commit()?;
        Ok(())
    })?;
    Ok(value)
}

/// Deletes a draft resource.
pub fn draft_delete(db: &Db, id: &str, by: &str, now_ms: i64) -> Result<(), PublishError> {
    let n = db.with(|c| {
        let tx = c.unchecked_transaction()?;
        let n = tx.execute("DELETE FROM draft_resources WHERE id = ?1", params![id])?;
        if n == 1 {
            audit_in(&tx, now_ms, by, "draft.delete", id)?;
        }
        tx.commit()?;
        Ok(n)
    })?;
    if n == 0 {
        return Err(PublishError::NotFound);
    }
    Ok(())
}

// ---- keysets, candidates, signatures ---------------------------------------------------

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use waypoint_format::candidate::{
    is_v2_content, payload_type_from, v2_delta_base, v2_delta_name, V2_BUNDLE, V2_MANIFEST,
};
pub use waypoint_format::candidate::{CandidateFile, CandidateItem, SignatureFile};
use waypoint_format::envelope::{Envelope, PayloadType, Signature};
use waypoint_format::publish::Content;
use waypoint_format::{Keyset, Policy, VerifiedBundle};

/// Content lifetime of a frozen bundle (and its manifest): long, so a phone that cannot
/// sync for weeks still holds unexpired data. Publishers re-publish to extend it.
pub const BUNDLE_LIFETIME_S: i64 = 90 * 24 * 3600;
/// How many earlier versions get a delta to the new one.
pub const DELTAS_KEPT: u64 = 5;

const META_KEYSET: &str = "keyset";

fn meta_get(c: &rusqlite::Connection, key: &str) -> Result<Option<Vec<u8>>, DbError> {
    Ok(
        c.query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
            r.get(0)
        })
        .optional()?,
    )
}

fn meta_set(c: &rusqlite::Connection, key: &str, value: &[u8]) -> Result<(), DbError> {
    c.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        params![key, value],
    )?;
    Ok(())
}

/// The keyset the server currently publishes under.
pub fn current_keyset(c: &rusqlite::Connection) -> Result<Keyset, PublishError> {
    let bytes = meta_get(c, META_KEYSET)?.ok_or_else(|| {
        PublishError::Conflict("no keyset installed; run `waypoint-server keyset init FILE`".into())
    })?;
    let env = Envelope::parse(
        &bytes,
        PayloadType::Keyset,
        waypoint_format::limits::MAX_KEYSET_BYTES,
    )
    .map_err(|e| PublishError::Rejected(e.to_string()))?;
    serde_json::from_slice(&env.payload).map_err(|e| PublishError::Rejected(e.to_string()))
}

/// Installs the first (root) keyset: a keyset envelope signed by a threshold of its own
/// keys. Refused once a keyset is installed (rotate with a keyset candidate instead).
pub fn init_keyset(db: &Db, bytes: &[u8], now_ms: i64, by: &str) -> Result<u64, PublishError> {
    let keyset = waypoint_format::verify_root_keyset(bytes, now_ms / 1000)
        .map_err(|e| PublishError::Rejected(format!("keyset rejected: {e}")))?;
    db.with(|c| {
        let tx = c.unchecked_transaction()?;
        if meta_get(&tx, META_KEYSET)?.is_some() {
            return Ok(false);
        }
        meta_set(&tx, META_KEYSET, bytes)?;
        tx.execute(
            "INSERT INTO artefacts (path, bytes, published_ms) VALUES (?1, ?2, ?3)",
            params![keyset_path(keyset.version), bytes, now_ms],
        )?;
        audit_in(&tx, now_ms, by, "keyset.init", &keyset.version.to_string())?;
        tx.commit()?;
        Ok(true)
    })?
    .then_some(keyset.version)
    .ok_or_else(|| PublishError::Conflict("a keyset is already installed".into()))
}

/// What happened after a signature upload.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SignatureOutcome {
    /// `bundle` or `keyset`.
    pub kind: String,
    /// Version of the candidate.
    pub version: u64,
    /// Whether this upload completed the candidate and it is now public.
    pub published: bool,
    /// Items that still need signatures (e.g. the manifest after the bundle completes).
    pub pending: Vec<String>,
}

fn published_version(c: &rusqlite::Connection) -> Result<Option<u64>, DbError> {
    // Bundles are published by directory updates and, re-signed, by keyset rotations.
    newest_published(c, "v1/bundles/")
}

/// The highest version published as `<dir><version>` (e.g. `v1/bundles/7`), if any.
pub(crate) fn newest_published(
    c: &rusqlite::Connection,
    dir: &str,
) -> Result<Option<u64>, DbError> {
    let mut stmt = c.prepare("SELECT path FROM artefacts WHERE path LIKE ?1")?;
    let paths = stmt.query_map([format!("{dir}%")], |r| r.get::<_, String>(0))?;
    let mut max = None;
    for p in paths {
        let v = p?.strip_prefix(dir).and_then(|v| v.parse::<u64>().ok());
        max = max.max(v);
    }
    Ok(max)
}

fn published_bundle(
    c: &rusqlite::Connection,
    keyset: &Keyset,
    version: u64,
) -> Result<Option<VerifiedBundle>, PublishError> {
    let bytes: Option<Vec<u8>> = c
        .query_row(
            "SELECT bytes FROM artefacts WHERE path = ?1",
            params![bundle_path(version)],
            |r| r.get(0),
        )
        .optional()?;
    let Some(bytes) = bytes else { return Ok(None) };
    let policy = Policy {
        now: 0,
        current_version: None,
        allow_expired: true,
    };
    // A bundle signed under an earlier keyset no longer verifies after a rotation; then
    // there is simply no delta from it.
    Ok(waypoint_format::verify_bundle(&bytes, keyset, &policy).ok())
}

/// The records of the newest published bundle (verified under the current keyset), with
/// its version; `None` before the first publish.
pub fn published_records(
    db: &Db,
) -> Result<Option<(u64, Vec<waypoint_format::Record>)>, PublishError> {
    db.with(|c| {
        let run = || -> Result<Option<(u64, Vec<waypoint_format::Record>)>, PublishError> {
            let Some(v) = published_version(c)? else {
                return Ok(None);
            };
            let keyset = current_keyset(c)?;
            Ok(published_bundle(c, &keyset, v)?
                .map(|b| (v, b.records().iter().map(|r| r.record().clone()).collect())))
        };
        Ok(run())
    })?
}

/// Open candidates, newest first, and the newest published or superseded ones.
pub fn recent_candidates(db: &Db, limit: u32) -> Result<Vec<i64>, PublishError> {
    Ok(db.with(|c| {
        let mut stmt = c.prepare("SELECT id FROM candidates ORDER BY id DESC LIMIT ?1")?;
        let rows = stmt.query_map(params![limit], |r| r.get::<_, i64>(0))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    })?)
}

fn unsigned_payload(envelope_bytes: &[u8], t: PayloadType) -> Result<Vec<u8>, PublishError> {
    Envelope::parse(envelope_bytes, t, usize::MAX)
        .map(|e| e.payload)
        .map_err(|e| PublishError::Rejected(e.to_string()))
}

fn draft_records(c: &rusqlite::Connection) -> Result<Vec<waypoint_format::Record>, PublishError> {
    let mut stmt = c.prepare("SELECT id, body FROM draft_resources ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = Vec::new();
    for row in rows {
        let (id, body) = row?;
        let rec: waypoint_format::Record = serde_json::from_str(&body).map_err(|e| {
            PublishError::Invalid(vec![FieldError {
                field: id.clone(),
                reason: format!("draft resource no longer parses: {e}"),
            }])
        })?;
        out.push(rec);
    }
    Ok(out)
}

pub(crate) type NewItem = (String, PayloadType, Vec<u8>);

/// The unsigned bundle item for `target` plus deltas to it from the last few published
/// versions that verify under `base_keyset`.
fn content_items(
    tx: &rusqlite::Connection,
    base_keyset: &Keyset,
    prev: Option<u64>,
    target: &Content,
) -> Result<Vec<NewItem>, PublishError> {
    let rejected = |e: waypoint_format::FormatError| PublishError::Rejected(e.to_string());
    let mut items = vec![(
        "bundle".to_owned(),
        PayloadType::Bundle,
        target.bundle_payload().map_err(rejected)?,
    )];
    // Format 2 (docs/PROTOCOL.md §19): the same state and deltas, as canonical format 2
    // payloads that publishers' tools rebuild and sign themselves. Content whose record
    // bytes are not canonical JSON (never written by this server) is published in format 1
    // only.
    let v2_bundle = target.v2_bundle_payload().ok();
    if let Some(p) = &v2_bundle {
        items.push((V2_BUNDLE.to_owned(), PayloadType::Bundle, p.clone()));
    }
    if let Some(prev) = prev {
        for from in (prev.saturating_sub(DELTAS_KEPT - 1).max(1)..=prev).rev() {
            if let Some(base) = published_bundle(tx, base_keyset, from)? {
                items.push((
                    format!("delta:{from}"),
                    PayloadType::Delta,
                    target.delta_payload(&base).map_err(rejected)?,
                ));
                if v2_bundle.is_some() {
                    items.push((
                        v2_delta_name(from),
                        PayloadType::Delta,
                        target.v2_delta_payload(&base).map_err(rejected)?,
                    ));
                }
            }
        }
    }
    Ok(items)
}

pub(crate) fn insert_candidate(
    tx: &rusqlite::Connection,
    kind: &str,
    version: u64,
    created: i64,
    expires: i64,
    by: &str,
    items: Vec<NewItem>,
) -> Result<i64, PublishError> {
    tx.execute(
        "INSERT INTO candidates (kind, version, created, expires, created_by, state)
         VALUES (?1, ?2, ?3, ?4, ?5, 'open')",
        params![kind, version as i64, created, expires, by],
    )?;
    let id = tx.last_insert_rowid();
    for (name, t, payload) in items {
        tx.execute(
            "INSERT INTO candidate_items (candidate, name, payload_type, payload) VALUES (?1, ?2, ?3, ?4)",
            params![id, name, t.as_str(), payload],
        )?;
    }
    Ok(id)
}

/// Freezes the draft into a candidate for the next version: exact bundle payload bytes
/// plus deltas from the last few published versions.
pub fn freeze_draft(db: &Db, by: &str, now_ms: i64) -> Result<CandidateFile, PublishError> {
    let id = db.with(|c| {
        let run = || -> Result<i64, PublishError> {
            let tx = c.unchecked_transaction()?;
            let keyset = current_keyset(&tx)?;
            let records = draft_records(&tx)?;
            if records.is_empty() {
                return Err(PublishError::Conflict("the draft is empty".into()));
            }
            let prev = published_version(&tx)?;
            let version = prev.unwrap_or(0) + 1;
            let created = now_ms / 1000;
            let expires = created + BUNDLE_LIFETIME_S;
            let target = Content::from_records(version, created, expires, &records)
                .map_err(|e| PublishError::Rejected(e.to_string()))?;
            let items = content_items(&tx, &keyset, prev, &target)?;
            tx.execute(
                "UPDATE candidates SET state = 'superseded' WHERE state = 'open' AND kind = 'bundle'",
                [],
            )?;
            let id = insert_candidate(&tx, "bundle", version, created, expires, by, items)?;
            audit_in(&tx, now_ms, by, "candidate.freeze", &format!("bundle version {version}"))?;
            tx.commit()?;
            Ok(id)
        };
        Ok(run())
    })??;
    candidate(db, id)
}

/// Proposes keyset `bytes` (a keyset payload JSON, unsigned) as the next keyset.
///
/// A rotation never leaves phones with content signed by a key they no longer trust: the
/// candidate also carries the published records re-signed as the next bundle version under
/// the NEW keyset (same content, same content hash), and the new keyset, that bundle, its
/// deltas and a manifest naming them become public together in one transaction. Until
/// then the old keyset and the old content stay what is served.
pub fn propose_keyset(
    db: &Db,
    bytes: &[u8],
    by: &str,
    now_ms: i64,
) -> Result<CandidateFile, PublishError> {
    let next: Keyset = serde_json::from_slice(bytes)
        .map_err(|e| PublishError::Rejected(format!("not a keyset: {e}")))?;
    next.decoded_keys()
        .map_err(|e| PublishError::Rejected(format!("keyset rejected: {e}")))?;
    let id = db.with(|c| {
        let run = || -> Result<i64, PublishError> {
            let tx = c.unchecked_transaction()?;
            let current = current_keyset(&tx)?;
            if next.version != current.version + 1 {
                return Err(PublishError::Rejected(format!(
                    "keyset version must be {}",
                    current.version + 1
                )));
            }
            let mut items = vec![("keyset".to_owned(), PayloadType::Keyset, next.to_payload())];
            let prev = published_version(&tx)?;
            if let Some(prev) = prev {
                let held = published_bundle(&tx, &current, prev)?.ok_or_else(|| {
                    PublishError::Conflict(
                        "the published bundle does not verify under the current keyset".into(),
                    )
                })?;
                let created = now_ms / 1000;
                let target =
                    Content::from_verified(prev + 1, created, created + BUNDLE_LIFETIME_S, &held);
                items.extend(content_items(&tx, &current, Some(prev), &target)?);
            }
            tx.execute(
                "UPDATE candidates SET state = 'superseded' WHERE state = 'open' AND kind = 'keyset'",
                [],
            )?;
            let id = insert_candidate(&tx, "keyset", next.version, now_ms / 1000, next.expires, by, items)?;
            audit_in(&tx, now_ms, by, "candidate.keyset", &format!("keyset version {}", next.version))?;
            tx.commit()?;
            Ok(id)
        };
        Ok(run())
    })??;
    candidate(db, id)
}

pub(crate) struct Item {
    pub(crate) name: String,
    pub(crate) payload_type: PayloadType,
    pub(crate) payload: Vec<u8>,
    signatures: Vec<Signature>,
}

impl Item {
    /// The signed file: the format 1 envelope, or for a format 2 item the format 2 file
    /// (signatures in key id order, deterministic compression: the same bytes each time).
    fn signed_file(&self) -> Result<Vec<u8>, PublishError> {
        if is_v2_content(&self.name) {
            v2_file_cached(self.payload_type, &self.payload, &self.signatures)
                .map_err(|e| PublishError::Rejected(format!("{}: {e}", self.name)))
        } else {
            Ok(self.envelope().to_bytes())
        }
    }

    /// The envelope with every collected signature, in key id order (deterministic bytes).
    pub(crate) fn envelope(&self) -> Envelope {
        let mut signatures = self.signatures.clone();
        signatures.sort_by(|a, b| a.keyid.cmp(&b.keyid));
        Envelope {
            payload_type: self.payload_type,
            payload: self.payload.clone(),
            signatures,
        }
    }
}

/// Format 2 files recently built, by SHA-256 of (payload type, payload, signatures): zstd
/// at the publishing level takes seconds for a national directory (13-36 s at 50k
/// records, docs/BENCHMARKS.md), and the same complete item is assembled each time its
/// candidate is fetched (the console's publish page lists the last five candidates), for
/// the manifest and at publish. The bytes are deterministic, so a cached file is the file.
/// 32 entries hold the five candidates' bundles and deltas (at 50k records about 5 × 4.5 MB).
static V2_FILES: std::sync::Mutex<Vec<([u8; 32], Vec<u8>)>> = std::sync::Mutex::new(Vec::new());

fn v2_file_cached(
    t: PayloadType,
    payload: &[u8],
    signatures: &[Signature],
) -> waypoint_format::Result<Vec<u8>> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(t.as_str().as_bytes());
    h.update(payload);
    for s in signatures {
        h.update(s.keyid.as_bytes());
        h.update(s.sig.as_bytes());
    }
    let key: [u8; 32] = h.finalize().into();
    if let Ok(cache) = V2_FILES.lock() {
        if let Some((_, file)) = cache.iter().find(|(k, _)| *k == key) {
            return Ok(file.clone());
        }
    }
    let file = waypoint_format::v2::assemble(t, payload, signatures)?;
    if let Ok(mut cache) = V2_FILES.lock() {
        if cache.len() >= 32 {
            cache.remove(0);
        }
        cache.push((key, file.clone()));
    }
    Ok(file)
}

pub(crate) struct Loaded {
    pub(crate) kind: String,
    pub(crate) version: u64,
    state: String,
    pub(crate) items: Vec<Item>,
}

impl Loaded {
    pub(crate) fn item(&self, name: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.name == name)
    }

    /// For a rotation, the proposed keyset (the content items are signed under it).
    fn next_keyset(&self) -> Result<Option<Keyset>, PublishError> {
        if self.kind != "keyset" {
            return Ok(None);
        }
        let item = self.item("keyset").ok_or(PublishError::NotFound)?;
        let next: Keyset = serde_json::from_slice(&item.payload)
            .map_err(|e| PublishError::Rejected(e.to_string()))?;
        Ok(Some(next))
    }
}

fn load_candidate(c: &rusqlite::Connection, id: i64) -> Result<Loaded, PublishError> {
    let head = c
        .query_row(
            "SELECT kind, version, state FROM candidates WHERE id = ?1",
            params![id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                ))
            },
        )
        .optional()?
        .ok_or(PublishError::NotFound)?;
    let mut stmt = c.prepare(
        "SELECT name, payload_type, payload FROM candidate_items WHERE candidate = ?1 ORDER BY rowid",
    )?;
    let rows = stmt.query_map(params![id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Vec<u8>>(2)?,
        ))
    })?;
    let mut items = Vec::new();
    for row in rows {
        let (name, t, payload) = row?;
        let payload_type = payload_type_from(&t).ok_or_else(|| {
            PublishError::Rejected("stored item has an unknown payload type".into())
        })?;
        let mut sigs = c.prepare(
            "SELECT keyid, sig FROM signatures WHERE candidate = ?1 AND item = ?2 ORDER BY keyid",
        )?;
        let signatures = sigs
            .query_map(params![id, name], |r| {
                Ok(Signature {
                    keyid: r.get(0)?,
                    sig: r.get(1)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        items.push(Item {
            name,
            payload_type,
            payload,
            signatures,
        });
    }
    Ok(Loaded {
        kind: head.0,
        version: head.1 as u64,
        state: head.2,
        items,
    })
}

fn decoded(keyset: &Keyset) -> Result<Vec<(String, ed25519_dalek::VerifyingKey)>, PublishError> {
    keyset
        .decoded_keys()
        .map_err(|e| PublishError::Rejected(e.to_string()))
}

/// The keys whose signatures count for `item`: a keyset rotation is signed by the old and
/// the new keys; content is signed under the keyset it will be served with (the proposed
/// one for a rotation).
fn signing_keys(
    current: &Keyset,
    next: Option<&Keyset>,
    item: &Item,
) -> Result<Vec<(String, ed25519_dalek::VerifyingKey)>, PublishError> {
    match (item.payload_type, next) {
        (PayloadType::Keyset, Some(next)) => {
            let mut keys = decoded(current)?;
            for (id, k) in decoded(next)? {
                if !keys.iter().any(|(o, _)| *o == id) {
                    keys.push((id, k));
                }
            }
            Ok(keys)
        }
        (_, Some(next)) => decoded(next),
        (_, None) => decoded(current),
    }
}

/// Whether `item` has every signature it needs.
pub(crate) fn complete(current: &Keyset, next: Option<&Keyset>, item: &Item, now_s: i64) -> bool {
    match (item.payload_type, next) {
        (PayloadType::Keyset, _) => {
            waypoint_format::verify_keyset_rotation(current, &item.envelope().to_bytes(), now_s)
                .is_ok()
        }
        (_, next) => item.signatures.len() >= next.unwrap_or(current).threshold as usize,
    }
}

/// A candidate as publishers see it. A complete item carries its signed envelope, so a
/// publisher's tool can check that the manifest names exactly those files.
pub fn candidate(db: &Db, id: i64) -> Result<CandidateFile, PublishError> {
    let now_s = chrono::Utc::now().timestamp();
    db.with(|c| {
        let run = || -> Result<CandidateFile, PublishError> {
            let loaded = load_candidate(c, id)?;
            let keyset = current_keyset(c)?;
            let next = loaded.next_keyset()?;
            Ok(CandidateFile {
                candidate: id,
                kind: loaded.kind.clone(),
                version: loaded.version,
                state: loaded.state.clone(),
                threshold: keyset.threshold,
                items: loaded
                    .items
                    .iter()
                    .map(|i| -> Result<CandidateItem, PublishError> {
                        Ok(CandidateItem {
                            name: i.name.clone(),
                            payload_type: i.payload_type.as_str().to_owned(),
                            payload: B64.encode(&i.payload),
                            sha256: waypoint_format::bundle::sha256_hex(&i.payload),
                            signatures: i.signatures.len(),
                            envelope: complete(&keyset, next.as_ref(), i, now_s)
                                .then(|| i.signed_file())
                                .transpose()?
                                .map(|b| B64.encode(b)),
                        })
                    })
                    .collect::<Result<Vec<_>, PublishError>>()?,
            })
        };
        Ok(run())
    })?
}

/// Stores uploaded signatures (each verified on its own over the exact payload bytes) and
/// publishes once every item has the threshold. Publishing is one transaction.
pub fn add_signature(
    db: &Db,
    id: i64,
    file: &SignatureFile,
    by: &str,
    now_ms: i64,
) -> Result<SignatureOutcome, PublishError> {
    if file.candidate != id {
        return Err(PublishError::Rejected(
            "signature file is for another candidate".into(),
        ));
    }
    db.with(|c| {
        let run = || -> Result<SignatureOutcome, PublishError> {
            let tx = c.unchecked_transaction()?;
            let keyset = current_keyset(&tx)?;
            let loaded = load_candidate(&tx, id)?;
            if loaded.state != "open" {
                return Err(PublishError::Conflict(format!("candidate is {}", loaded.state)));
            }
            let next = loaded.next_keyset()?;
            let manifest_built =
                loaded.item("manifest").is_some() || loaded.item("guides-manifest").is_some();
            for s in &file.signatures {
                let item = loaded
                    .item(&s.item)
                    .ok_or_else(|| PublishError::Rejected(format!("no item {}", s.item)))?;
                if manifest_built && item.payload_type != PayloadType::Manifest
                    && item.payload_type != PayloadType::Keyset
                    && item.payload_type != PayloadType::GuidesManifest
                {
                    // The manifest names these signed files byte for byte; another
                    // signature would change them.
                    return Err(PublishError::Conflict(format!(
                        "{} is already signed; sign the manifest",
                        s.item
                    )));
                }
                let sig = Signature {
                    keyid: s.keyid.clone(),
                    sig: s.sig.clone(),
                };
                let keys = signing_keys(&keyset, next.as_ref(), item)?;
                let checked = if is_v2_content(&item.name) {
                    waypoint_format::v2::check_signature(item.payload_type, &item.payload, &sig, &keys)
                } else {
                    let single = Envelope {
                        payload_type: item.payload_type,
                        payload: item.payload.clone(),
                        signatures: vec![sig],
                    };
                    single.count_valid(&keys).map(|_| ())
                };
                checked
                    .map_err(|e| PublishError::Rejected(format!("signature on {}: {e}", s.item)))?;
                tx.execute(
                    "INSERT INTO signatures (candidate, item, keyid, sig, uploaded_by) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT(candidate, item, keyid) DO UPDATE SET sig = excluded.sig, uploaded_by = excluded.uploaded_by",
                    params![id, s.item, s.keyid, s.sig, by],
                )?;
            }
            audit_in(&tx, now_ms, by, "candidate.sign", &format!("{} version {}", loaded.kind, loaded.version))?;
            let loaded = load_candidate(&tx, id)?;
            let outcome = progress(&tx, id, &keyset, &loaded, now_ms, by)?;
            tx.commit()?;
            Ok(outcome)
        };
        Ok(run())
    })?
}

fn progress(
    tx: &rusqlite::Connection,
    id: i64,
    current: &Keyset,
    loaded: &Loaded,
    now_ms: i64,
    by: &str,
) -> Result<SignatureOutcome, PublishError> {
    if loaded.kind == "guides" {
        return crate::guides::progress(tx, id, current, loaded, now_ms, by);
    }
    let now_s = now_ms / 1000;
    let next = loaded.next_keyset()?;
    let content_keyset = next.as_ref().unwrap_or(current);
    let pending: Vec<String> = loaded
        .items
        .iter()
        .filter(|i| !complete(current, next.as_ref(), i, now_s))
        .map(|i| i.name.clone())
        .collect();
    let outcome = |published: bool, pending: Vec<String>| SignatureOutcome {
        kind: loaded.kind.clone(),
        version: loaded.version,
        published,
        pending,
    };
    if !pending.is_empty() {
        return Ok(outcome(false, pending));
    }
    let put = |path: String, bytes: &[u8]| -> Result<(), PublishError> {
        tx.execute(
            "INSERT OR REPLACE INTO artefacts (path, bytes, published_ms) VALUES (?1, ?2, ?3)",
            params![path, bytes, now_ms],
        )?;
        Ok(())
    };
    let mut content = None;
    if let Some(bundle_item) = loaded.item("bundle") {
        let bundle = bundle_item.envelope().to_bytes();
        let policy = Policy::update(now_s, None);
        let verified = waypoint_format::verify_bundle(&bundle, content_keyset, &policy)
            .map_err(|e| PublishError::Rejected(format!("bundle: {e}")))?;
        if published_version(tx)?.is_some_and(|p| verified.version() <= p) {
            tx.execute(
                "UPDATE candidates SET state = 'superseded' WHERE id = ?1",
                params![id],
            )?;
            return Err(PublishError::Conflict(
                "a newer version was published meanwhile; freeze again".into(),
            ));
        }
        let deltas: Vec<(u64, Vec<u8>)> = loaded
            .items
            .iter()
            .filter_map(|i| {
                let from = waypoint_format::candidate::delta_base(&i.name)?;
                Some((from, i.envelope().to_bytes()))
            })
            .collect();
        // Format 2: each file must verify as a client will verify it and be the same state
        // as its format 1 twin.
        let mut v2 = None;
        if let Some(item) = loaded.item(V2_BUNDLE) {
            let file = item.signed_file()?;
            let got = waypoint_format::verify_bundle(&file, content_keyset, &policy)
                .map_err(|e| PublishError::Rejected(format!("format 2 bundle: {e}")))?;
            if got != verified {
                return Err(PublishError::Rejected(
                    "the format 2 bundle is not the format 1 bundle's state".into(),
                ));
            }
            let mut v2_deltas = Vec::new();
            for i in &loaded.items {
                let Some(from) = v2_delta_base(&i.name) else {
                    continue;
                };
                let delta = i.signed_file()?;
                let base = published_bundle(tx, current, from)?.ok_or_else(|| {
                    PublishError::Rejected(format!("format 2 delta from {from}: no base"))
                })?;
                let got = waypoint_format::verify_delta(&delta, content_keyset, &base, &policy)
                    .map_err(|e| {
                        PublishError::Rejected(format!("format 2 delta from {from}: {e}"))
                    })?;
                if got != verified {
                    return Err(PublishError::Rejected(format!(
                        "the format 2 delta from {from} does not produce the bundle"
                    )));
                }
                v2_deltas.push((from, delta));
            }
            v2 = Some((file, v2_deltas));
        }
        let Some(manifest_item) = loaded.item("manifest") else {
            // Bundle and deltas are signed: now the manifest naming their exact files can be.
            let delta_refs: Vec<(u64, &[u8])> =
                deltas.iter().map(|(f, b)| (*f, b.as_slice())).collect();
            let m = waypoint_format::publish::build_manifest(
                verified.version(),
                verified.created(),
                verified.expires(),
                &bundle,
                &delta_refs,
                &[],
            );
            tx.execute(
                "INSERT INTO candidate_items (candidate, name, payload_type, payload) VALUES (?1, 'manifest', ?2, ?3)",
                params![id, PayloadType::Manifest.as_str(), unsigned_payload(&m, PayloadType::Manifest)?],
            )?;
            let mut pending = vec!["manifest".to_owned()];
            if let Some((file, v2_deltas)) = &v2 {
                let refs: Vec<(u64, &[u8])> =
                    v2_deltas.iter().map(|(f, b)| (*f, b.as_slice())).collect();
                let m2 = waypoint_format::v2::manifest_payload(
                    verified.version(),
                    verified.created(),
                    verified.expires(),
                    file,
                    &refs,
                );
                tx.execute(
                    "INSERT INTO candidate_items (candidate, name, payload_type, payload) VALUES (?1, ?2, ?3, ?4)",
                    params![id, V2_MANIFEST, PayloadType::Manifest.as_str(), m2],
                )?;
                pending.push(V2_MANIFEST.to_owned());
            }
            return Ok(outcome(false, pending));
        };
        let manifest = manifest_item.envelope().to_bytes();
        let m = waypoint_format::verify_manifest(&manifest, content_keyset, &policy)
            .map_err(|e| PublishError::Rejected(format!("manifest: {e}")))?;
        if m.bundle().sha256 != waypoint_format::sha256_hex(&bundle) {
            return Err(PublishError::Rejected(
                "manifest does not name the signed bundle".into(),
            ));
        }
        let mut v2_files = None;
        if let Some((file, v2_deltas)) = v2 {
            let item = loaded.item(V2_MANIFEST).ok_or_else(|| {
                PublishError::Rejected("the format 2 manifest item is missing".into())
            })?;
            let manifest2 = item.envelope().to_bytes();
            let m2 = waypoint_format::v2::verify_manifest(&manifest2, content_keyset, &policy)
                .map_err(|e| PublishError::Rejected(format!("format 2 manifest: {e}")))?;
            if m2.bundle().sha256 != waypoint_format::sha256_hex(&file) {
                return Err(PublishError::Rejected(
                    "the format 2 manifest does not name the signed format 2 bundle".into(),
                ));
            }
            v2_files = Some((file, v2_deltas, manifest2));
        }
        content = Some((verified.version(), bundle, deltas, manifest, v2_files));
    }
    // Everything is signed and checked as a client will check it: make the keyset (for a
    // rotation), bundle, deltas and manifest public in this one transaction.
    if let Some(item) = loaded.item("keyset") {
        let bytes = item.envelope().to_bytes();
        let next = waypoint_format::verify_keyset_rotation(current, &bytes, now_s)
            .map_err(|e| PublishError::Rejected(format!("keyset rotation rejected: {e}")))?;
        meta_set(tx, META_KEYSET, &bytes)?;
        put(keyset_path(next.version), &bytes)?;
        audit_in(tx, now_ms, by, "keyset.publish", &next.version.to_string())?;
    }
    if let Some((version, bundle, deltas, manifest, v2_files)) = content {
        put(bundle_path(version), &bundle)?;
        for (from, bytes) in &deltas {
            put(delta_path(*from, version), bytes)?;
        }
        put(MANIFEST_PATH.to_owned(), &manifest)?;
        if let Some((file, v2_deltas, manifest2)) = v2_files {
            put(v2_bundle_path(version), &file)?;
            for (from, bytes) in &v2_deltas {
                put(v2_delta_path(*from, version), bytes)?;
            }
            put(V2_MANIFEST_PATH.to_owned(), &manifest2)?;
        } else {
            // A version without format 2 files: /v2/manifest must not keep naming an
            // older version, so clients fall back to /v1/ for it.
            tx.execute(
                "DELETE FROM artefacts WHERE path = ?1",
                params![V2_MANIFEST_PATH],
            )?;
        }
        audit_in(tx, now_ms, by, "bundle.publish", &version.to_string())?;
    }
    tx.execute(
        "UPDATE candidates SET state = 'published' WHERE id = ?1",
        params![id],
    )?;
    // Whatever else was open was built against the state that just changed (guides have
    // their own version line: only a keyset rotation changes what they are signed under).
    tx.execute(
        "UPDATE candidates SET state = 'superseded' WHERE state = 'open' AND (kind != 'guides' OR ?1 = 'keyset')",
        params![loaded.kind],
    )?;
    Ok(outcome(true, vec![]))
}

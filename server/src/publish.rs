//! The draft -> candidate -> signatures -> published workflow, and the published tree.
//!
//! Editors change resources in the draft. A publisher freezes the draft into a candidate:
//! the exact payload bytes of the next bundle. Publishers sign those bytes on their own
//! machines and upload the signatures; the server verifies each against the current keyset
//! and, once the threshold of distinct valid signatures is reached, publishes in ONE SQLite
//! transaction: the signed bundle, the delta from the previous version, and the new
//! manifest all become visible together. A kill at any point leaves either the old tree or
//! the new one. The server never holds a key that could sign content.

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
use waypoint_format::envelope::{Envelope, PayloadType, Signature};
use waypoint_format::{Keyset, Policy, VerifiedBundle, VerifiedRecord};

/// Content lifetime of a frozen bundle (and its manifest): long, so a phone that cannot
/// sync for weeks still holds unexpired data. Publishers re-publish to extend it.
pub const BUNDLE_LIFETIME_S: i64 = 90 * 24 * 3600;
/// How many earlier versions get a delta to the new one.
pub const DELTAS_KEPT: u64 = 5;

const META_KEYSET: &str = "keyset";

fn payload_type_from(s: &str) -> Option<PayloadType> {
    [
        PayloadType::Keyset,
        PayloadType::Bundle,
        PayloadType::Delta,
        PayloadType::Manifest,
    ]
    .into_iter()
    .find(|t| t.as_str() == s)
}

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

/// One payload to sign, as shown to publishers.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CandidateItem {
    /// `bundle`, `delta:<from>`, `manifest` or `keyset`.
    pub name: String,
    /// Envelope payload type, part of what is signed.
    pub payload_type: String,
    /// Base64 of the exact payload bytes.
    pub payload: String,
    /// Lowercase hex SHA-256 of the payload bytes, to compare out of band.
    pub sha256: String,
    /// Distinct valid signatures collected so far.
    pub signatures: usize,
}

/// A candidate as downloaded by publishers (`candidate.json`, input of `sign`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct CandidateFile {
    /// Candidate id on the server.
    pub candidate: i64,
    /// `bundle` or `keyset`.
    pub kind: String,
    /// Version this candidate publishes.
    pub version: u64,
    /// `open`, `published` or `superseded`.
    pub state: String,
    /// Signatures needed per item.
    pub threshold: u32,
    /// What to sign. The manifest item appears once bundle and deltas are fully signed,
    /// because it names the hashes of their signed files.
    pub items: Vec<CandidateItem>,
}

/// Signatures uploaded by one publisher (output of `sign`).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SignatureFile {
    /// Candidate id.
    pub candidate: i64,
    /// One signature per item.
    pub signatures: Vec<ItemSignature>,
}

/// A signature over one candidate item.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct ItemSignature {
    /// Item name.
    pub item: String,
    /// Signer key id.
    pub keyid: String,
    /// Base64 Ed25519 signature.
    pub sig: String,
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
    let v: Option<i64> = c.query_row(
        "SELECT MAX(version) FROM candidates WHERE kind = 'bundle' AND state = 'published'",
        [],
        |r| r.get(0),
    )?;
    Ok(v.map(|v| v as u64))
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
            let bundle_env = waypoint_format::publish::build_bundle(version, created, expires, &records, &[])
                .map_err(|e| PublishError::Rejected(e.to_string()))?;
            let bundle_payload = unsigned_payload(&bundle_env, PayloadType::Bundle)?;
            let mut items = vec![("bundle".to_owned(), PayloadType::Bundle, bundle_payload)];
            let target = VerifiedBundle {
                version,
                created,
                expires,
                content_hash: content_hash_of(&records)?,
                records: verified_records(&records)?,
            };
            if let Some(prev) = prev {
                for from in (prev.saturating_sub(DELTAS_KEPT - 1).max(1)..=prev).rev() {
                    if let Some(base) = published_bundle(&tx, &keyset, from)? {
                        let d = waypoint_format::publish::build_delta(&base, &target, &[])
                            .map_err(|e| PublishError::Rejected(e.to_string()))?;
                        items.push((format!("delta:{from}"), PayloadType::Delta, unsigned_payload(&d, PayloadType::Delta)?));
                    }
                }
            }
            tx.execute(
                "UPDATE candidates SET state = 'superseded' WHERE state = 'open' AND kind = 'bundle'",
                [],
            )?;
            tx.execute(
                "INSERT INTO candidates (kind, version, created, expires, created_by, state)
                 VALUES ('bundle', ?1, ?2, ?3, ?4, 'open')",
                params![version as i64, created, expires, by],
            )?;
            let id = tx.last_insert_rowid();
            for (name, t, payload) in items {
                tx.execute(
                    "INSERT INTO candidate_items (candidate, name, payload_type, payload) VALUES (?1, ?2, ?3, ?4)",
                    params![id, name, t.as_str(), payload],
                )?;
            }
            audit_in(&tx, now_ms, by, "candidate.freeze", &format!("bundle version {version}"))?;
            tx.commit()?;
            Ok(id)
        };
        Ok(run())
    })??;
    candidate(db, id)
}

fn verified_records(
    records: &[waypoint_format::Record],
) -> Result<Vec<VerifiedRecord>, PublishError> {
    let mut out: Vec<VerifiedRecord> = records
        .iter()
        .map(|r| {
            serde_json::to_string(r)
                .map(|raw| VerifiedRecord {
                    id: r.id.clone(),
                    raw,
                    record: r.clone(),
                })
                .map_err(|e| PublishError::Rejected(e.to_string()))
        })
        .collect::<Result<_, _>>()?;
    out.sort_by(|a, b| a.id.as_bytes().cmp(b.id.as_bytes()));
    Ok(out)
}

fn content_hash_of(records: &[waypoint_format::Record]) -> Result<[u8; 32], PublishError> {
    let v = verified_records(records)?;
    Ok(waypoint_format::content_hash(
        v.iter().map(|r| (r.id.as_str(), r.raw.as_str())),
    ))
}

/// Proposes keyset `bytes` (a keyset payload JSON, unsigned) as the next keyset.
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
            tx.execute(
                "UPDATE candidates SET state = 'superseded' WHERE state = 'open' AND kind = 'keyset'",
                [],
            )?;
            tx.execute(
                "INSERT INTO candidates (kind, version, created, expires, created_by, state)
                 VALUES ('keyset', ?1, ?2, ?3, ?4, 'open')",
                params![next.version as i64, now_ms / 1000, next.expires, by],
            )?;
            let id = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO candidate_items (candidate, name, payload_type, payload) VALUES (?1, 'keyset', ?2, ?3)",
                params![id, PayloadType::Keyset.as_str(), next.to_payload()],
            )?;
            audit_in(&tx, now_ms, by, "candidate.keyset", &format!("keyset version {}", next.version))?;
            tx.commit()?;
            Ok(id)
        };
        Ok(run())
    })??;
    candidate(db, id)
}

struct Item {
    name: String,
    payload_type: PayloadType,
    payload: Vec<u8>,
    signatures: Vec<Signature>,
}

impl Item {
    /// The envelope with every collected signature, in key id order (deterministic bytes).
    fn envelope(&self) -> Envelope {
        let mut signatures = self.signatures.clone();
        signatures.sort_by(|a, b| a.keyid.cmp(&b.keyid));
        Envelope {
            payload_type: self.payload_type,
            payload: self.payload.clone(),
            signatures,
        }
    }
}

struct Loaded {
    kind: String,
    version: u64,
    created: i64,
    expires: i64,
    state: String,
    items: Vec<Item>,
}

fn load_candidate(c: &rusqlite::Connection, id: i64) -> Result<Loaded, PublishError> {
    let head = c
        .query_row(
            "SELECT kind, version, created, expires, state FROM candidates WHERE id = ?1",
            params![id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
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
        created: head.2,
        expires: head.3,
        state: head.4,
        items,
    })
}

/// The keys whose signatures count for a candidate: the current keyset's, plus for a
/// keyset rotation the proposed keyset's.
fn signing_keys(
    current: &Keyset,
    loaded: &Loaded,
) -> Result<Vec<(String, ed25519_dalek::VerifyingKey)>, PublishError> {
    let mut keys = current
        .decoded_keys()
        .map_err(|e| PublishError::Rejected(e.to_string()))?;
    if loaded.kind == "keyset" {
        if let Some(item) = loaded.items.first() {
            let next: Keyset = serde_json::from_slice(&item.payload)
                .map_err(|e| PublishError::Rejected(e.to_string()))?;
            for (id, k) in next
                .decoded_keys()
                .map_err(|e| PublishError::Rejected(e.to_string()))?
            {
                if !keys.iter().any(|(o, _)| *o == id) {
                    keys.push((id, k));
                }
            }
        }
    }
    Ok(keys)
}

/// A candidate as publishers see it.
pub fn candidate(db: &Db, id: i64) -> Result<CandidateFile, PublishError> {
    db.with(|c| {
        let run = || -> Result<CandidateFile, PublishError> {
            let loaded = load_candidate(c, id)?;
            let keyset = current_keyset(c)?;
            Ok(CandidateFile {
                candidate: id,
                kind: loaded.kind.clone(),
                version: loaded.version,
                state: loaded.state.clone(),
                threshold: keyset.threshold,
                items: loaded
                    .items
                    .iter()
                    .map(|i| CandidateItem {
                        name: i.name.clone(),
                        payload_type: i.payload_type.as_str().to_owned(),
                        payload: B64.encode(&i.payload),
                        sha256: waypoint_format::bundle::sha256_hex(&i.payload),
                        signatures: i.signatures.len(),
                    })
                    .collect(),
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
            let keys = signing_keys(&keyset, &loaded)?;
            for s in &file.signatures {
                let item = loaded
                    .items
                    .iter()
                    .find(|i| i.name == s.item)
                    .ok_or_else(|| PublishError::Rejected(format!("no item {}", s.item)))?;
                let single = Envelope {
                    payload_type: item.payload_type,
                    payload: item.payload.clone(),
                    signatures: vec![Signature {
                        keyid: s.keyid.clone(),
                        sig: s.sig.clone(),
                    }],
                };
                single
                    .count_valid(&keys)
                    .map_err(|e| PublishError::Rejected(format!("signature on {}: {e}", s.item)))?;
                tx.execute(
                    "INSERT INTO signatures (candidate, item, keyid, sig, uploaded_by) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT(candidate, item, keyid) DO UPDATE SET sig = excluded.sig, uploaded_by = excluded.uploaded_by",
                    params![id, s.item, s.keyid, s.sig, by],
                )?;
            }
            audit_in(&tx, now_ms, by, "candidate.sign", &format!("{} version {}", loaded.kind, loaded.version))?;
            let loaded = load_candidate(&tx, id)?;
            let outcome = if loaded.kind == "keyset" {
                progress_keyset(&tx, id, &keyset, &loaded, now_ms, by)?
            } else {
                progress_bundle(&tx, id, &keyset, &loaded, now_ms, by)?
            };
            tx.commit()?;
            Ok(outcome)
        };
        Ok(run())
    })?
}

fn progress_keyset(
    tx: &rusqlite::Connection,
    id: i64,
    current: &Keyset,
    loaded: &Loaded,
    now_ms: i64,
    by: &str,
) -> Result<SignatureOutcome, PublishError> {
    let item = loaded.items.first().ok_or(PublishError::NotFound)?;
    let bytes = item.envelope().to_bytes();
    let published = match waypoint_format::verify_keyset_rotation(current, &bytes, now_ms / 1000) {
        Ok(next) => {
            meta_set(tx, META_KEYSET, &bytes)?;
            tx.execute(
                "INSERT OR REPLACE INTO artefacts (path, bytes, published_ms) VALUES (?1, ?2, ?3)",
                params![keyset_path(next.version), bytes, now_ms],
            )?;
            tx.execute(
                "UPDATE candidates SET state = 'published' WHERE id = ?1",
                params![id],
            )?;
            audit_in(tx, now_ms, by, "keyset.publish", &next.version.to_string())?;
            true
        }
        Err(waypoint_format::FormatError::TooFewSignatures { .. }) => false,
        Err(e) => {
            return Err(PublishError::Rejected(format!(
                "keyset rotation rejected: {e}"
            )))
        }
    };
    Ok(SignatureOutcome {
        kind: "keyset".into(),
        version: loaded.version,
        published,
        pending: if published {
            vec![]
        } else {
            vec!["keyset".into()]
        },
    })
}

fn progress_bundle(
    tx: &rusqlite::Connection,
    id: i64,
    keyset: &Keyset,
    loaded: &Loaded,
    now_ms: i64,
    by: &str,
) -> Result<SignatureOutcome, PublishError> {
    let threshold = keyset.threshold as usize;
    let complete = |i: &Item| i.signatures.len() >= threshold;
    let pending: Vec<String> = loaded
        .items
        .iter()
        .filter(|i| !complete(i))
        .map(|i| i.name.clone())
        .collect();
    let outcome = |published: bool, pending: Vec<String>| SignatureOutcome {
        kind: "bundle".into(),
        version: loaded.version,
        published,
        pending,
    };
    if !pending.is_empty() {
        return Ok(outcome(false, pending));
    }
    let bundle = loaded
        .items
        .iter()
        .find(|i| i.name == "bundle")
        .ok_or(PublishError::NotFound)?
        .envelope()
        .to_bytes();
    let deltas: Vec<(u64, Vec<u8>)> = loaded
        .items
        .iter()
        .filter_map(|i| {
            let from = i.name.strip_prefix("delta:")?.parse().ok()?;
            Some((from, i.envelope().to_bytes()))
        })
        .collect();
    let Some(manifest_item) = loaded.items.iter().find(|i| i.name == "manifest") else {
        // Bundle and deltas are signed: now the manifest naming their exact files can be.
        let delta_refs: Vec<(u64, &[u8])> =
            deltas.iter().map(|(f, b)| (*f, b.as_slice())).collect();
        let m = waypoint_format::publish::build_manifest(
            loaded.version,
            loaded.created,
            loaded.expires,
            &bundle,
            &delta_refs,
            &[],
        );
        tx.execute(
            "INSERT INTO candidate_items (candidate, name, payload_type, payload) VALUES (?1, 'manifest', ?2, ?3)",
            params![id, PayloadType::Manifest.as_str(), unsigned_payload(&m, PayloadType::Manifest)?],
        )?;
        return Ok(outcome(false, vec!["manifest".into()]));
    };
    // Everything is signed by the threshold: check it all as a client will, then publish
    // bundle, deltas and manifest in this one transaction.
    let manifest = manifest_item.envelope().to_bytes();
    let policy = Policy::update(now_ms / 1000, None);
    waypoint_format::verify_bundle(&bundle, keyset, &policy)
        .map_err(|e| PublishError::Rejected(format!("bundle: {e}")))?;
    waypoint_format::verify_manifest(&manifest, keyset, &policy)
        .map_err(|e| PublishError::Rejected(format!("manifest: {e}")))?;
    let put = |path: String, bytes: &[u8]| -> Result<(), PublishError> {
        tx.execute(
            "INSERT OR REPLACE INTO artefacts (path, bytes, published_ms) VALUES (?1, ?2, ?3)",
            params![path, bytes, now_ms],
        )?;
        Ok(())
    };
    put(bundle_path(loaded.version), &bundle)?;
    for (from, bytes) in &deltas {
        put(delta_path(*from, loaded.version), bytes)?;
    }
    put(MANIFEST_PATH.to_owned(), &manifest)?;
    tx.execute(
        "UPDATE candidates SET state = 'published' WHERE id = ?1",
        params![id],
    )?;
    audit_in(
        tx,
        now_ms,
        by,
        "bundle.publish",
        &loaded.version.to_string(),
    )?;
    Ok(outcome(true, vec![]))
}

/// Signs every item of `candidate` that `key` has not signed yet.
pub fn sign_candidate(
    candidate: &CandidateFile,
    key: &waypoint_format::publish::PublisherKey,
) -> Result<SignatureFile, String> {
    let mut signatures = Vec::new();
    for item in &candidate.items {
        let t = payload_type_from(&item.payload_type)
            .ok_or_else(|| format!("item {} has an unknown payload type", item.name))?;
        let payload = B64
            .decode(item.payload.as_bytes())
            .map_err(|_| format!("item {} is not base64", item.name))?;
        if waypoint_format::bundle::sha256_hex(&payload) != item.sha256 {
            return Err(format!("item {} does not match its sha256", item.name));
        }
        let s = key.sign(t, &payload);
        signatures.push(ItemSignature {
            item: item.name.clone(),
            keyid: s.keyid,
            sig: s.sig,
        });
    }
    Ok(SignatureFile {
        candidate: candidate.candidate,
        signatures,
    })
}

//! What the stored directory is verified with, and the verification of what is stored:
//! the keyset chain (the root, walked through stored rotations), the deployment root, and
//! the re-verification of the stored signed chain and of the searchable tables against it.

use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};
use waypoint_format::{
    content_hash_of_digests, verify_bundle, verify_bundle_owned, verify_delta_held,
    verify_keyset_rotation, verify_root_keyset, HeldState, Keyset, Policy, VerifiedBundle,
    VerifiedKeyset,
};

use super::state::{read_state, State};
use super::{verification, Trust};
use crate::error::{Error, Result};
use crate::store::Store;

/// The keyset currently trusted: the root, walked forward through stored rotations.
pub(super) fn current_keyset(
    conn: &rusqlite::Connection,
    trust: &Trust<'_>,
) -> Result<VerifiedKeyset> {
    let mut chain = keyset_chain(conn, trust)?;
    chain.pop().ok_or(Error::Corrupt("keyset chain"))
}

/// Every keyset trusted so far, oldest first: the root and each stored rotation that
/// verifies. Held data is re-verified under the version that accepted it.
pub(super) fn keyset_chain(
    conn: &rusqlite::Connection,
    trust: &Trust<'_>,
) -> Result<Vec<VerifiedKeyset>> {
    // The root keyset is part of the build; its expiry is judged with the clock, but an
    // expired root must not brick help lines, so it is checked without expiry here and
    // expiry is enforced on updates by `Keyset::verify_envelope`.
    let root = deployment_root(conn)?;
    let root_bytes = root.as_deref().unwrap_or(trust.root_keyset);
    let mut keyset = verify_root_keyset(root_bytes, i64::MIN).map_err(verification)?;
    let mut chain = vec![keyset.clone()];
    let mut stmt = conn.prepare("SELECT bytes FROM directory_keyset ORDER BY version")?;
    let rows: Vec<Vec<u8>> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for bytes in rows {
        match verify_keyset_rotation(&keyset, &bytes, i64::MIN) {
            Ok(next) => {
                keyset = next;
                chain.push(keyset.clone());
            }
            Err(e) => {
                tracing::warn!(error = %e, "stored keyset rotation no longer verifies; ignoring it");
                break;
            }
        }
    }
    Ok(chain)
}

/// The deployment root keyset, if one replaced the build's pinned root.
pub(super) fn deployment_root(conn: &rusqlite::Connection) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT bytes FROM directory_root WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?)
}

/// The keyset the packaged bundle is verified with: the build's own root (walked through
/// stored rotations) unless a deployment root replaced it, then the bare pinned root.
pub(super) fn packaged_keyset(
    conn: &rusqlite::Connection,
    trust: &Trust<'_>,
) -> Result<VerifiedKeyset> {
    let root = verify_root_keyset(trust.root_keyset, i64::MIN).map_err(verification)?;
    // The packaged bundle is part of the build, signed under the build's own root: a later
    // rotation that drops one of its signers must not make the build's own help lines fail.
    if deployment_root(conn)?.is_some()
        || verify_bundle(trust.packaged_bundle, &root, &stored_policy()).is_ok()
    {
        Ok(root)
    } else {
        current_keyset(conn, trust)
    }
}

/// Whether the installed directory comes from the deployment's publishers (false for the
/// packaged bundle of a build whose root a deployment root replaced: its version numbers
/// belong to another publisher and say nothing about the deployment's).
pub(super) fn held_from_trusted_chain(conn: &rusqlite::Connection, state: &State) -> Result<bool> {
    Ok(state.origin != "packaged" || deployment_root(conn)?.is_none())
}

pub(super) fn stored_policy() -> Policy {
    Policy {
        now: i64::MIN,
        current_version: None,
        allow_expired: true,
    }
}

/// Re-verifies the stored signed chain (bundle + deltas) and returns the state it proves.
/// Each row is verified under the keyset version that accepted it (found in `chain`); rows
/// that name none (the packaged bundle, rows stored before versions were recorded) under
/// `keyset`. A rotation that later drops a signer therefore does not invalidate held data.
pub(super) fn verify_stored_chain(
    conn: &rusqlite::Connection,
    chain: &[VerifiedKeyset],
    keyset: &Keyset,
) -> Result<Option<VerifiedBundle>> {
    let mut stmt =
        conn.prepare("SELECT kind, bytes, keyset_version FROM directory_signed ORDER BY seq")?;
    let rows: Vec<(String, Vec<u8>, Option<i64>)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut state: Option<VerifiedBundle> = None;
    for (kind, bytes, accepted_by) in rows {
        let keyset = match accepted_by {
            None => keyset,
            Some(v) => match chain.iter().find(|k| k.version as i64 == v) {
                Some(k) => k,
                None => return Ok(None),
            },
        };
        // A delta is checked as when it arrived: against the state before it (version,
        // content hash and each record's digest), then applied to it.
        let next = match (kind.as_str(), state.take()) {
            ("bundle", None) => verify_bundle_owned(bytes, keyset, &stored_policy()),
            ("delta", Some(base)) => {
                let held = HeldState {
                    version: base.version(),
                    content_hash: *base.content_hash(),
                    digests: base
                        .records()
                        .iter()
                        .map(|r| (r.id().to_owned(), r.digest()))
                        .collect(),
                };
                verify_delta_held(bytes, keyset, &held, &stored_policy())
                    .and_then(|d| base.apply(d))
            }
            _ => return Ok(None),
        };
        match next {
            Ok(v) => state = Some(v),
            Err(_) => return Ok(None),
        }
    }
    Ok(state)
}

/// The content hash of the searchable records, as the signed bundle would state it. The
/// derived tables search reads (facets, full-text rows) must hold exactly one row per
/// record, and the held digests (what a delta is verified on) must be those of the
/// records' bytes; if not, an impossible hash is returned so callers treat the tables as
/// damaged and rebuild them from the signed bytes.
pub(super) fn tables_hash(conn: &rusqlite::Connection) -> Result<[u8; 32]> {
    // Full-text rows are counted in their `_docsize` tables (one short row per document,
    // written and deleted with it): counting the FTS5 tables themselves reads every
    // document's text.
    let consistent: bool = conn.query_row(
        "SELECT (SELECT COUNT(*) FROM directory_facet) = (SELECT COUNT(*) FROM directory_record)
            AND (SELECT COUNT(*) FROM directory_fts_docsize) = (SELECT COUNT(*) FROM directory_record)
            AND (SELECT COUNT(*) FROM directory_name_fts_docsize) = (SELECT COUNT(*) FROM directory_record)
            AND (SELECT COUNT(*) FROM directory_digest) = (SELECT COUNT(*) FROM directory_record)
            AND NOT EXISTS (SELECT 1 FROM directory_record r
                            WHERE NOT EXISTS (SELECT 1 FROM directory_facet m WHERE m.record = r.rowid))",
        [],
        |r| r.get(0),
    )?;
    if !consistent {
        return Ok([0; 32]);
    }
    let mut stmt = conn.prepare(
        "SELECT r.id, r.raw, d.digest FROM directory_record r
         LEFT JOIN directory_digest d ON d.id = r.id",
    )?;
    let mut rows = stmt.query([])?;
    let mut digests: Vec<(String, [u8; 32])> = Vec::new();
    while let Some(row) = rows.next()? {
        let raw = row
            .get_ref(1)?
            .as_str()
            .map_err(|_| Error::Corrupt("held record"))?;
        let computed: [u8; 32] = Sha256::digest(raw.as_bytes()).into();
        let held: Option<Vec<u8>> = row.get(2)?;
        if held.as_deref() != Some(computed.as_slice()) {
            return Ok([0; 32]);
        }
        digests.push((row.get(0)?, computed));
    }
    digests.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    Ok(content_hash_of_digests(
        digests.iter().map(|(id, d)| (id.as_str(), d)),
    ))
}

/// What a delta is verified on: the held version and content hash (from the state row)
/// and every record's digest, in id order. Nothing here is trusted: a wrong digest makes
/// the delta's signed content hash fail to match, and the full bundle is fetched instead.
pub(super) fn held_state(conn: &rusqlite::Connection, state: &State) -> Result<HeldState> {
    let content_hash: [u8; 32] = state
        .content_hash
        .as_slice()
        .try_into()
        .map_err(|_| Error::Corrupt("content hash"))?;
    let mut stmt = conn.prepare_cached("SELECT id, digest FROM directory_digest ORDER BY id")?;
    let mut rows = stmt.query([])?;
    let mut digests = Vec::new();
    while let Some(row) = rows.next()? {
        let digest: [u8; 32] = row
            .get_ref(1)?
            .as_blob()
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or(Error::Corrupt("record digest"))?;
        digests.push((row.get(0)?, digest));
    }
    Ok(HeldState {
        version: state.version,
        content_hash,
        digests,
    })
}

/// Replaces the build's pinned root keyset with a deployment's own (the desktop CLI's
/// `--root-keyset`, test deployments; the phone apps pin theirs at build time and never
/// call this). Allowed once, and only while nothing but the packaged bundle is installed:
/// afterwards keys change only by a rotation signed by the old keys. Returns whether it was
/// installed (false when this root is already the one in use).
pub fn install_deployment_root(
    store: &Store,
    trust: &Trust<'_>,
    bytes: &[u8],
    now_unix_s: i64,
) -> Result<bool> {
    let root = verify_root_keyset(bytes, now_unix_s)
        .map_err(|e| Error::Verification(format!("root keyset: {e}")))?;
    store.transaction(|tx| {
        let in_use = match deployment_root(tx)? {
            Some(held) => held,
            None => trust.root_keyset.to_vec(),
        };
        let in_use = verify_root_keyset(&in_use, i64::MIN).map_err(verification)?;
        if in_use.keys == root.keys && in_use.threshold == root.threshold {
            return Ok(false);
        }
        let synced = read_state(tx)?.is_some_and(|s| s.origin != "packaged");
        if deployment_root(tx)?.is_some() || synced {
            return Err(Error::Verification(
                "a directory from other publishers is already trusted; keys change only by a \
                 signed rotation"
                    .into(),
            ));
        }
        // Rotations stored so far belong to the pinned chain.
        tx.execute("DELETE FROM directory_keyset", [])?;
        tx.execute(
            "INSERT INTO directory_root (id, bytes) VALUES (1, ?1)",
            [bytes],
        )?;
        Ok(true)
    })
}

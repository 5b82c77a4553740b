//! Know-your-rights guides written by advocates and published by the directory's
//! publishers (docs/PROTOCOL.md §18).
//!
//! Advocates write guides in the console (or `PUT /api/guides/drafts/{id}`); every draft is
//! checked with the phone's own rules (`waypoint_format::guides`) when it is saved. A
//! publisher freezes the drafts into a **guides candidate** (`kind` = `guides`): the exact
//! bytes of the next `waypoint.guides` payload, on the guides' own version line. Publishers
//! review and sign it on their own machines with `waypoint-publish sign`, which prints every
//! guide in full in every language (`waypoint_format::guides_review`). Once the guides item
//! has the keyset's threshold, the server adds the `guides-manifest` item naming the exact
//! signed guides file; once that is signed too, both go public in ONE transaction at
//! `v1/guides/{version}` and `v1/guides/manifest`. The signatures travel through the same
//! upload route and checks as the directory's (`crate::publish::add_signature`).
//!
//! Publishing guides never touches the directory's paths, so clients that predate guides
//! (which never ask for `/v1/guides/...`) are unaffected.

use rusqlite::{params, OptionalExtension};
use waypoint_format::envelope::PayloadType;
use waypoint_format::guides::{
    build_guides_manifest_payload, build_guides_payload, verify_guides, verify_guides_manifest,
    Guide,
};
use waypoint_format::{Keyset, Policy};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;

use crate::advocates::{audit_in, Role};
use crate::db::Db;
use crate::http::FieldError;
use crate::http::{
    blocking, now_ms, require, serve, ApiError, AppState, IMMUTABLE_CACHE, MANIFEST_CACHE,
};
use crate::publish::{
    candidate, complete, current_keyset, insert_candidate, CandidateFile, Loaded, PublishError,
    SignatureOutcome,
};

/// Public path of the guides manifest.
pub const GUIDES_MANIFEST_PATH: &str = "v1/guides/manifest";

/// Public path of guides `version`.
pub fn guides_path(version: u64) -> String {
    format!("v1/guides/{version}")
}

/// Lifetime of a frozen guides set: long (guides change slowly; an expired set is still
/// shown, with its date). Publishers re-publish to extend it.
pub const GUIDES_LIFETIME_S: i64 = 365 * 24 * 3600;
/// Lifetime of a guides manifest.
pub const GUIDES_MANIFEST_LIFETIME_S: i64 = 30 * 24 * 3600;

fn invalid(field: &str, reason: impl Into<String>) -> PublishError {
    PublishError::Invalid(vec![FieldError {
        field: field.into(),
        reason: reason.into(),
    }])
}

/// Checks one guide with the phone's rules (as the only guide of a payload).
pub fn check_guide(guide: &Guide) -> Result<(), PublishError> {
    build_guides_payload(1, 0, 0, vec![guide.clone()])
        .map(|_| ())
        .map_err(|e| invalid("guide", e.to_string()))
}

/// Every guide draft, ordered by id.
pub fn draft_list(db: &Db) -> Result<Vec<Guide>, PublishError> {
    db.with(|c| {
        let run = || -> Result<Vec<Guide>, PublishError> {
            let mut stmt = c.prepare("SELECT body FROM guide_drafts ORDER BY id")?;
            let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
            let mut out = Vec::new();
            for body in rows {
                out.push(
                    serde_json::from_str(&body?)
                        .map_err(|_| invalid("guide", "a stored draft no longer parses"))?,
                );
            }
            Ok(out)
        };
        Ok(run())
    })?
}

/// One guide draft.
pub fn draft_get(db: &Db, id: &str) -> Result<Option<Guide>, PublishError> {
    let body: Option<String> = db.with(|c| {
        Ok(c.query_row(
            "SELECT body FROM guide_drafts WHERE id = ?1",
            params![id],
            |r| r.get(0),
        )
        .optional()?)
    })?;
    body.map(|b| {
        serde_json::from_str(&b).map_err(|_| invalid("guide", "a stored draft no longer parses"))
    })
    .transpose()
}

/// Saves a guide draft (checked with the phone's rules first).
pub fn draft_put(db: &Db, guide: &Guide, by: &str, now_ms: i64) -> Result<(), PublishError> {
    check_guide(guide)?;
    let body = serde_json::to_string(guide).map_err(|_| invalid("guide", "cannot be saved"))?;
    db.with(|c| {
        let tx = c.unchecked_transaction()?;
        tx.execute(
            "INSERT INTO guide_drafts (id, body, updated_ms, updated_by) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT(id) DO UPDATE SET body = excluded.body, updated_ms = excluded.updated_ms,
             updated_by = excluded.updated_by",
            params![guide.id, body, now_ms, by],
        )?;
        audit_in(&tx, now_ms, by, "guide.put", &guide.id)?;
        tx.commit()?;
        Ok(())
    })?;
    Ok(())
}

/// Deletes a guide draft.
pub fn draft_delete(db: &Db, id: &str, by: &str, now_ms: i64) -> Result<(), PublishError> {
    db.with(|c| {
        let run = || -> Result<(), PublishError> {
            let tx = c.unchecked_transaction()?;
            let n = tx.execute("DELETE FROM guide_drafts WHERE id = ?1", params![id])?;
            if n == 0 {
                return Err(PublishError::NotFound);
            }
            audit_in(&tx, now_ms, by, "guide.delete", id)?;
            tx.commit()?;
            Ok(())
        };
        Ok(run())
    })?
}

/// The newest published guides version, if any.
fn published_version(c: &rusqlite::Connection) -> Result<Option<u64>, PublishError> {
    Ok(crate::publish::newest_published(c, "v1/guides/")?)
}

/// Freezes every guide draft into a candidate for the next guides version.
pub fn freeze(db: &Db, by: &str, now_ms: i64) -> Result<CandidateFile, PublishError> {
    let guides = draft_list(db)?;
    if guides.is_empty() {
        return Err(PublishError::Conflict(
            "there is no guide to publish".into(),
        ));
    }
    let id = db.with(|c| {
        let run = || -> Result<i64, PublishError> {
            let tx = c.unchecked_transaction()?;
            // A keyset must exist before anything can be signed.
            current_keyset(&tx)?;
            let version = published_version(&tx)?.unwrap_or(0) + 1;
            let created = now_ms / 1000;
            let payload =
                build_guides_payload(version, created, created + GUIDES_LIFETIME_S, guides)
                    .map_err(|e| invalid("guides", e.to_string()))?;
            tx.execute(
                "UPDATE candidates SET state = 'superseded' WHERE state = 'open' AND kind = 'guides'",
                [],
            )?;
            let id = insert_candidate(
                &tx,
                "guides",
                version,
                created,
                created + GUIDES_LIFETIME_S,
                by,
                vec![("guides".into(), PayloadType::Guides, payload)],
            )?;
            audit_in(&tx, now_ms, by, "candidate.freeze", &format!("guides version {version}"))?;
            tx.commit()?;
            Ok(id)
        };
        Ok(run())
    })??;
    candidate(db, id)
}

/// After a signature upload on a guides candidate: add the manifest once the guides have
/// their threshold, publish both once the manifest has it too (one transaction, the
/// caller's).
pub(crate) fn progress(
    tx: &rusqlite::Connection,
    id: i64,
    keyset: &Keyset,
    loaded: &Loaded,
    now_ms: i64,
    by: &str,
) -> Result<SignatureOutcome, PublishError> {
    let now_s = now_ms / 1000;
    let outcome = |published: bool, pending: Vec<String>| SignatureOutcome {
        kind: loaded.kind.clone(),
        version: loaded.version,
        published,
        pending,
    };
    let pending: Vec<String> = loaded
        .items
        .iter()
        .filter(|i| !complete(keyset, None, i, now_s))
        .map(|i| i.name.clone())
        .collect();
    if !pending.is_empty() {
        return Ok(outcome(false, pending));
    }
    let item = loaded
        .item("guides")
        .ok_or_else(|| PublishError::Rejected("a guides candidate without guides".into()))?;
    let guides = item.envelope().to_bytes();
    let floor = published_version(tx)?;
    // Checked exactly as a phone will check it.
    let verified = verify_guides(&guides, keyset, &Policy::update(now_s, floor)).map_err(|e| {
        if matches!(e, waypoint_format::FormatError::Rollback { .. }) {
            PublishError::Conflict("newer guides were published meanwhile; freeze again".into())
        } else {
            PublishError::Rejected(format!("guides: {e}"))
        }
    })?;
    let Some(manifest_item) = loaded.item("guides-manifest") else {
        let m = build_guides_manifest_payload(
            verified.version(),
            now_s,
            now_s + GUIDES_MANIFEST_LIFETIME_S,
            &guides,
        );
        tx.execute(
            "INSERT INTO candidate_items (candidate, name, payload_type, payload) VALUES (?1, 'guides-manifest', ?2, ?3)",
            params![id, PayloadType::GuidesManifest.as_str(), m],
        )?;
        return Ok(outcome(false, vec!["guides-manifest".into()]));
    };
    let manifest = manifest_item.envelope().to_bytes();
    let m = verify_guides_manifest(&manifest, keyset, &Policy::update(now_s, floor))
        .map_err(|e| PublishError::Rejected(format!("guides manifest: {e}")))?;
    if !m.names(&guides) || m.version() != verified.version() {
        return Err(PublishError::Rejected(
            "the guides manifest does not name the signed guides".into(),
        ));
    }
    let put = |path: String, bytes: &[u8]| -> Result<(), PublishError> {
        tx.execute(
            "INSERT OR REPLACE INTO artefacts (path, bytes, published_ms) VALUES (?1, ?2, ?3)",
            params![path, bytes, now_ms],
        )?;
        Ok(())
    };
    put(guides_path(verified.version()), &guides)?;
    put(GUIDES_MANIFEST_PATH.to_owned(), &manifest)?;
    audit_in(
        tx,
        now_ms,
        by,
        "guides.publish",
        &verified.version().to_string(),
    )?;
    tx.execute(
        "UPDATE candidates SET state = 'published' WHERE id = ?1",
        params![id],
    )?;
    tx.execute(
        "UPDATE candidates SET state = 'superseded' WHERE state = 'open' AND kind = 'guides'",
        [],
    )?;
    Ok(outcome(true, vec![]))
}

// ---- routes -----------------------------------------------------------------------------

/// `GET /v1/guides/manifest` (404 when no guides are published).
pub(crate) async fn manifest_route(State(state): State<AppState>, headers: HeaderMap) -> Response {
    serve(&state, GUIDES_MANIFEST_PATH, MANIFEST_CACHE, &headers)
}

/// `GET /v1/guides/{version}`.
pub(crate) async fn file_route(
    State(state): State<AppState>,
    Path(version): Path<u64>,
    headers: HeaderMap,
) -> Response {
    serve(&state, &guides_path(version), IMMUTABLE_CACHE, &headers)
}

/// `GET /api/guides/drafts` (editors).
pub(crate) async fn drafts_route(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<Guide>>, ApiError> {
    require(&state, &headers, Role::Editor).await?;
    let db = state.db().clone();
    Ok(Json(blocking(move || Ok(draft_list(&db)?)).await?))
}

/// `GET /api/guides/drafts/{id}` (editors).
pub(crate) async fn draft_get_route(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Guide>, ApiError> {
    require(&state, &headers, Role::Editor).await?;
    let db = state.db().clone();
    blocking(move || draft_get(&db, &id)?.ok_or(ApiError::NotFound))
        .await
        .map(Json)
}

/// `PUT /api/guides/drafts/{id}` with a guide as JSON (editors): checked with the phone's
/// rules before it is saved.
pub(crate) async fn draft_put_route(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<Guide>, ApiError> {
    let who = require(&state, &headers, Role::Editor).await?;
    let guide: Guide = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("body is not a guide: {e}")))?;
    if guide.id != id {
        return Err(ApiError::BadRequest(
            "the id must match the id in the URL".into(),
        ));
    }
    let db = state.db().clone();
    blocking(move || {
        draft_put(&db, &guide, &who.name, now_ms())?;
        Ok(Json(guide))
    })
    .await
}

/// `DELETE /api/guides/drafts/{id}` (editors).
pub(crate) async fn draft_delete_route(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let who = require(&state, &headers, Role::Editor).await?;
    let db = state.db().clone();
    blocking(move || Ok(draft_delete(&db, &id, &who.name, now_ms())?)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/guides/candidates` (publishers): freezes the drafts into a guides candidate,
/// then signed through `/api/candidates/{id}` like the directory's.
pub(crate) async fn freeze_route(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<CandidateFile>, ApiError> {
    let who = require(&state, &headers, Role::Publisher).await?;
    let db = state.db().clone();
    Ok(Json(
        blocking(move || Ok(freeze(&db, &who.name, now_ms())?)).await?,
    ))
}

#[cfg(test)]
mod tests;

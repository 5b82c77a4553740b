//! HTTP routes.
//!
//! Public routes (`/v1/...`) are plain cacheable GETs, identical for every client: no
//! cookies, no auth, no request body, an `ETag` with `If-None-Match` -> 304, gzip, and
//! `Cache-Control`. They serve the published tree from memory (reloaded after each publish),
//! so a read never waits on the database. Advocate routes (`/api/...`) take a bearer token.
//!
//! Nothing here logs a client address, a header or a path: there is deliberately no access
//! log. Errors are one-line JSON `{"error": "..."}`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use sha2::{Digest, Sha256};
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;

use crate::advocates::{self, Advocate, Role};
use crate::db::{Db, DbError};
use crate::freshness::FreshnessSigner;
use crate::publish;

/// Largest advocate request body (a draft resource or a signature upload).
pub const MAX_ADVOCATE_BODY: usize = 256 * 1024;
/// Requests taking longer than this are cut off with 408.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Failed logins with one advocate's token id allowed per window before every login with
/// that token id gets 429.
pub const AUTH_FAILURES_PER_WINDOW: u32 = 10;
/// Window for [`AUTH_FAILURES_PER_WINDOW`].
pub const AUTH_WINDOW: Duration = Duration::from_secs(60);

/// One published file, ready to serve.
#[derive(Debug, Clone)]
pub struct Artefact {
    /// Exact bytes.
    pub bytes: Bytes,
    /// Strong ETag: the quoted SHA-256 of the bytes.
    pub etag: HeaderValue,
}

impl Artefact {
    /// Wraps bytes, computing their ETag.
    pub fn new(bytes: Vec<u8>) -> Self {
        let etag = format!("\"{}\"", hex::encode(Sha256::digest(&bytes)));
        Self {
            bytes: Bytes::from(bytes),
            etag: HeaderValue::from_str(&etag).expect("hex is a valid header value"),
        }
    }
}

/// The published tree: public path (e.g. `v1/manifest`) -> file.
pub type Tree = HashMap<String, Artefact>;

/// Gives the manifest the ETag clients compute themselves: the quoted SHA-256 of its signed
/// payload. A client sends that (never a tag it was handed) as `If-None-Match`, so every
/// phone holding the same manifest sends the same request.
pub fn manifest_etag_from_payload(tree: &mut Tree) {
    if let Some(file) = tree.get_mut(publish::MANIFEST_PATH) {
        if let Ok(h) = waypoint_format::manifest_payload_sha256(&file.bytes) {
            if let Ok(v) = HeaderValue::from_str(&format!("\"{h}\"")) {
                file.etag = v;
            }
        }
    }
}

/// The freshness signer and the statement it last signed, re-signed when the manifest
/// changes or half its lifetime has passed.
#[derive(Debug)]
struct Freshness {
    signer: FreshnessSigner,
    cached: Mutex<Option<(Bytes, i64, Artefact)>>,
}

/// Counts failed logins per advocate token id in a fixed window (the server keeps no
/// client addresses, so it cannot count per client). Guessing one advocate's token locks
/// only that token id; everyone else keeps working. Tokens with an unknown id are not
/// counted (there is nothing to guess: the 256-bit secret only exists for known ids), so
/// the map holds at most one entry per advocate. Floods of any kind are bounded by the
/// two-at-a-time argon2 semaphore.
#[derive(Debug, Default)]
struct AuthLimiter {
    by_token_id: HashMap<String, Window>,
}

#[derive(Debug)]
struct Window {
    start: Instant,
    failures: u32,
}

/// State shared by handlers.
#[derive(Clone, Debug)]
pub struct AppState {
    db: Db,
    tree: Arc<RwLock<Arc<Tree>>>,
    limiter: Arc<Mutex<AuthLimiter>>,
    /// At most two argon2 verifications at once, so login floods cannot starve the CPU.
    hashing: Arc<tokio::sync::Semaphore>,
    /// The online freshness key, when configured (`serve --freshness-key`).
    freshness: Option<Arc<Freshness>>,
    /// The advocate console's sessions and settings (only `/console` uses them).
    pub(crate) console: crate::console::ConsoleState,
}

impl AppState {
    /// State over an opened database; loads the published tree.
    pub fn new(db: Db) -> Result<Self, DbError> {
        let mut tree = publish::load_tree(&db)?;
        manifest_etag_from_payload(&mut tree);
        Ok(Self {
            db,
            tree: Arc::new(RwLock::new(Arc::new(tree))),
            limiter: Arc::new(Mutex::new(AuthLimiter::default())),
            hashing: Arc::new(tokio::sync::Semaphore::new(2)),
            freshness: None,
            console: crate::console::ConsoleState::default(),
        })
    }

    /// The database (for the console).
    pub(crate) fn db(&self) -> &Db {
        &self.db
    }

    /// Marks console cookies `Secure` (the server is reached over TLS, e.g. behind a proxy).
    pub fn with_secure_cookies(mut self, secure: bool) -> Self {
        self.console.secure = secure;
        self
    }

    /// Serves freshness statements signed by `signer` at `GET /v1/freshness`.
    pub fn with_freshness(mut self, signer: FreshnessSigner) -> Self {
        self.freshness = Some(Arc::new(Freshness {
            signer,
            cached: Mutex::new(None),
        }));
        self
    }

    pub(crate) fn reload_tree(&self) -> Result<(), ApiError> {
        let mut tree = publish::load_tree(&self.db)?;
        manifest_etag_from_payload(&mut tree);
        let mut guard = self.tree.write().map_err(|_| ApiError::Unavailable)?;
        *guard = Arc::new(tree);
        Ok(())
    }

    fn tree(&self) -> Arc<Tree> {
        match self.tree.read() {
            Ok(t) => Arc::clone(&t),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }
}

/// Errors as advocates and clients see them.
#[derive(Debug)]
pub enum ApiError {
    /// 400 with a reason.
    BadRequest(String),
    /// 401.
    Unauthorized,
    /// 403: the role does not allow it.
    Forbidden,
    /// 404.
    NotFound,
    /// 409 with a reason.
    Conflict(String),
    /// 422 with field-level reasons.
    Invalid(Vec<FieldError>),
    /// 429.
    TooManyAttempts,
    /// 503: the database is locked, the disk is full, ...
    Unavailable,
    /// 500.
    Internal,
}

/// One invalid field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    /// JSON path of the field, e.g. `phones[0].number`.
    pub field: String,
    /// Which rule it broke.
    pub reason: String,
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        if e.is_unavailable() {
            ApiError::Unavailable
        } else {
            // Logged without any request data: the message is a SQLite or I/O phrase.
            tracing::error!(error = %e, "database error");
            ApiError::Internal
        }
    }
}

impl From<publish::PublishError> for ApiError {
    fn from(e: publish::PublishError) -> Self {
        match e {
            publish::PublishError::Db(d) => d.into(),
            publish::PublishError::NotFound => ApiError::NotFound,
            publish::PublishError::Rejected(r) => ApiError::BadRequest(r),
            publish::PublishError::Conflict(r) => ApiError::Conflict(r),
            publish::PublishError::Invalid(f) => ApiError::Invalid(f),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::BadRequest(r) => (StatusCode::BAD_REQUEST, serde_json::json!({"error": r})),
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                serde_json::json!({"error": "a valid advocate token is required"}),
            ),
            ApiError::Forbidden => (
                StatusCode::FORBIDDEN,
                serde_json::json!({"error": "your role does not allow this"}),
            ),
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                serde_json::json!({"error": "not found"}),
            ),
            ApiError::Conflict(r) => (StatusCode::CONFLICT, serde_json::json!({"error": r})),
            ApiError::Invalid(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                serde_json::json!({"error": "invalid resource", "fields": fields}),
            ),
            ApiError::TooManyAttempts => (
                StatusCode::TOO_MANY_REQUESTS,
                serde_json::json!({"error": "too many failed logins; try again in a minute"}),
            ),
            ApiError::Unavailable => {
                let mut r = (
                    StatusCode::SERVICE_UNAVAILABLE,
                    Json(serde_json::json!({"error": "storage is unavailable (locked or full); try again"})),
                )
                    .into_response();
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
                return r;
            }
            ApiError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                serde_json::json!({"error": "internal error"}),
            ),
        };
        (status, Json(body)).into_response()
    }
}

/// The full router.
pub fn router(state: AppState) -> Router {
    let public = Router::new()
        .route("/v1/manifest", get(manifest))
        .route("/v1/bundles/{version}", get(bundle))
        .route("/v1/deltas/{from}/{to}", get(delta))
        .route("/v1/keysets/{version}", get(keyset))
        .route("/v1/freshness", get(freshness))
        .route("/v1/guides/manifest", get(crate::guides::manifest_route))
        .route("/v1/guides/{version}", get(crate::guides::file_route))
        .route("/v2/manifest", get(v2_manifest))
        .route("/v2/bundles/{version}", get(v2_bundle))
        .route("/v2/deltas/{from}/{to}", get(v2_delta))
        .route("/healthz", get(healthz))
        .layer(middleware::from_fn(reject_bodies));
    let advocate = Router::new()
        .route("/api/whoami", get(whoami))
        .route("/api/draft/resources", get(draft_list))
        .route(
            "/api/draft/resources/{id}",
            put(draft_put).get(draft_get).delete(draft_delete),
        )
        .route("/api/candidates", post(candidate_freeze))
        .route("/api/candidates/{id}", get(candidate_get))
        .route("/api/candidates/{id}/signatures", post(signature_upload))
        .route("/api/keysets", post(keyset_propose))
        .route("/api/audit", get(audit))
        .route("/api/guides/drafts", get(crate::guides::drafts_route))
        .route(
            "/api/guides/drafts/{id}",
            put(crate::guides::draft_put_route)
                .get(crate::guides::draft_get_route)
                .delete(crate::guides::draft_delete_route),
        )
        .route("/api/guides/candidates", post(crate::guides::freeze_route))
        .layer(DefaultBodyLimit::max(MAX_ADVOCATE_BODY));
    public
        .merge(advocate)
        .merge(crate::console::router())
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .with_state(state)
}

/// Public routes take no body: a request carrying one is refused before any handler runs,
/// so nothing a client sends is ever read, parsed or stored.
async fn reject_bodies(req: Request, next: Next) -> Response {
    let has_body = req.headers().contains_key(header::TRANSFER_ENCODING)
        || req
            .headers()
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0");
    if has_body {
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            Json(serde_json::json!({"error": "public routes take no request body"})),
        )
            .into_response();
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            Json(serde_json::json!({"error": "only GET"})),
        )
            .into_response();
    }
    next.run(req).await
}

#[derive(serde::Serialize)]
struct Health {
    status: &'static str,
    schema_version: u32,
}

async fn healthz(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let db = state.db.clone();
    let version = blocking(move || db.schema_version().map_err(ApiError::from)).await?;
    Ok(Json(Health {
        status: "ok",
        schema_version: version,
    }))
}

/// Runs database work off the async threads.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| ApiError::Internal)?
}

/// Cache lifetime of the manifest: short, so updates spread within minutes.
pub(crate) const MANIFEST_CACHE: &str = "public, max-age=60";
/// Bundles, deltas and keysets never change once published.
pub(crate) const IMMUTABLE_CACHE: &str = "public, max-age=31536000, immutable";

pub(crate) fn serve(
    state: &AppState,
    path: &str,
    cache: &'static str,
    headers: &HeaderMap,
) -> Response {
    let tree = state.tree();
    let Some(file) = tree.get(path) else {
        return ApiError::NotFound.into_response();
    };
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .map(str::trim)
                .any(|t| t == "*" || t.trim_start_matches("W/") == file.etag)
        });
    let mut response = if matches {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = file.bytes.clone().into_response();
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        r
    };
    let h = response.headers_mut();
    h.insert(header::ETAG, file.etag.clone());
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(
        header::HeaderName::from_static("x-content-type-options"),
        HeaderValue::from_static("nosniff"),
    );
    response
}

async fn manifest(State(state): State<AppState>, headers: HeaderMap) -> Response {
    serve(&state, publish::MANIFEST_PATH, MANIFEST_CACHE, &headers)
}

async fn bundle(
    State(state): State<AppState>,
    Path(version): Path<u64>,
    headers: HeaderMap,
) -> Response {
    serve(
        &state,
        &publish::bundle_path(version),
        IMMUTABLE_CACHE,
        &headers,
    )
}

async fn delta(
    State(state): State<AppState>,
    Path((from, to)): Path<(u64, u64)>,
    headers: HeaderMap,
) -> Response {
    serve(
        &state,
        &publish::delta_path(from, to),
        IMMUTABLE_CACHE,
        &headers,
    )
}

async fn v2_manifest(State(state): State<AppState>, headers: HeaderMap) -> Response {
    serve(&state, publish::V2_MANIFEST_PATH, MANIFEST_CACHE, &headers)
}

/// Format 2 files (docs/PROTOCOL.md §19): binary, already zstd-compressed.
fn serve_v2(state: &AppState, path: &str, headers: &HeaderMap) -> Response {
    let mut r = serve(state, path, IMMUTABLE_CACHE, headers);
    if r.status() == StatusCode::OK {
        r.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/octet-stream"),
        );
    }
    r
}

async fn v2_bundle(
    State(state): State<AppState>,
    Path(version): Path<u64>,
    headers: HeaderMap,
) -> Response {
    serve_v2(&state, &publish::v2_bundle_path(version), &headers)
}

async fn v2_delta(
    State(state): State<AppState>,
    Path((from, to)): Path<(u64, u64)>,
    headers: HeaderMap,
) -> Response {
    serve_v2(&state, &publish::v2_delta_path(from, to), &headers)
}

async fn keyset(
    State(state): State<AppState>,
    Path(version): Path<u64>,
    headers: HeaderMap,
) -> Response {
    serve(
        &state,
        &publish::keyset_path(version),
        IMMUTABLE_CACHE,
        &headers,
    )
}

/// The freshness statement for the manifest served now: 404 without a freshness key or a
/// published manifest. Signed on demand and reused until the manifest changes or half its
/// lifetime has passed, so every client gets the same bytes within that window.
async fn freshness(State(state): State<AppState>) -> Response {
    let Some(f) = state.freshness.clone() else {
        return ApiError::NotFound.into_response();
    };
    let tree = state.tree();
    let Some(manifest) = tree.get(publish::MANIFEST_PATH) else {
        return ApiError::NotFound.into_response();
    };
    let now_s = now_ms().div_euclid(1000);
    let Ok(mut cached) = f.cached.lock() else {
        return ApiError::Unavailable.into_response();
    };
    let reuse = cached.as_ref().is_some_and(|(m, signed, _)| {
        *m == manifest.bytes && now_s < signed + f.signer.ttl_s() / 2 && now_s >= *signed
    });
    if !reuse {
        match f.signer.sign(&manifest.bytes, now_s) {
            Ok(bytes) => *cached = Some((manifest.bytes.clone(), now_s, Artefact::new(bytes))),
            Err(e) => {
                tracing::error!(error = %e, "cannot sign the freshness statement");
                return ApiError::Internal.into_response();
            }
        }
    }
    let Some((_, _, file)) = cached.as_ref() else {
        return ApiError::Internal.into_response();
    };
    let mut r = file.bytes.clone().into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(MANIFEST_CACHE),
    );
    h.insert(
        header::HeaderName::from_static("x-content-type-options"),
        HeaderValue::from_static("nosniff"),
    );
    r
}

// ---- advocate API ------------------------------------------------------------------------

/// Authenticates the bearer token and checks the role. The token is always checked first
/// at constant cost (one argon2 verification); only then is the limiter for that token id
/// consulted, so a locked id answers 429 even to the right token, and neither the answer
/// nor its timing tells which ids exist.
pub(crate) async fn require(
    state: &AppState,
    headers: &HeaderMap,
    role: Role,
) -> Result<Advocate, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned());
    let Some(token) = token else {
        return Err(ApiError::Unauthorized);
    };
    authenticate(state, token, role).await
}

/// Checks an advocate token (from a bearer header or the console's sign-in form) and the
/// role, through the same limiter and hashing semaphore.
pub(crate) async fn authenticate(
    state: &AppState,
    token: String,
    role: Role,
) -> Result<Advocate, ApiError> {
    let _permit = state
        .hashing
        .acquire()
        .await
        .map_err(|_| ApiError::Internal)?;
    let db = state.db.clone();
    let check = blocking(move || Ok(advocates::check_token(&db, &token)?)).await?;
    if let Some(id) = check.known_id {
        let mut l = state.limiter.lock().map_err(|_| ApiError::Internal)?;
        let w = l.by_token_id.entry(id).or_insert_with(|| Window {
            start: Instant::now(),
            failures: 0,
        });
        if w.start.elapsed() > AUTH_WINDOW {
            w.start = Instant::now();
            w.failures = 0;
        }
        if w.failures >= AUTH_FAILURES_PER_WINDOW {
            return Err(ApiError::TooManyAttempts);
        }
        if check.advocate.is_none() {
            w.failures = w.failures.saturating_add(1);
        }
    }
    match check.advocate {
        Some(a) if a.role >= role => Ok(a),
        Some(_) => Err(ApiError::Forbidden),
        None => Err(ApiError::Unauthorized),
    }
}

pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

async fn whoami(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Advocate>, ApiError> {
    Ok(Json(require(&state, &headers, Role::Editor).await?))
}

async fn draft_list(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<serde_json::Value>>, ApiError> {
    require(&state, &headers, Role::Editor).await?;
    let db = state.db.clone();
    Ok(Json(blocking(move || Ok(publish::draft_list(&db)?)).await?))
}

async fn draft_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<serde_json::Value>, ApiError> {
    require(&state, &headers, Role::Editor).await?;
    let db = state.db.clone();
    let found = blocking(move || Ok(publish::draft_get(&db, &id)?)).await?;
    found.map(Json).ok_or(ApiError::NotFound)
}

async fn draft_put(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<serde_json::Value>, ApiError> {
    let who = require(&state, &headers, Role::Editor).await?;
    let value: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("body is not JSON: {e}")))?;
    let db = state.db.clone();
    let stored =
        blocking(move || Ok(publish::draft_put(&db, &id, value, &who.name, now_ms())?)).await?;
    Ok(Json(stored))
}

async fn draft_delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let who = require(&state, &headers, Role::Editor).await?;
    let db = state.db.clone();
    blocking(move || Ok(publish::draft_delete(&db, &id, &who.name, now_ms())?)).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn candidate_freeze(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<publish::CandidateFile>, ApiError> {
    let who = require(&state, &headers, Role::Publisher).await?;
    let db = state.db.clone();
    Ok(Json(
        blocking(move || Ok(publish::freeze_draft(&db, &who.name, now_ms())?)).await?,
    ))
}

async fn candidate_get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<publish::CandidateFile>, ApiError> {
    require(&state, &headers, Role::Publisher).await?;
    let db = state.db.clone();
    Ok(Json(
        blocking(move || Ok(publish::candidate(&db, id)?)).await?,
    ))
}

async fn signature_upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Json<publish::SignatureOutcome>, ApiError> {
    let who = require(&state, &headers, Role::Publisher).await?;
    let sig: publish::SignatureFile = serde_json::from_slice(&body)
        .map_err(|e| ApiError::BadRequest(format!("body is not a signature file: {e}")))?;
    let db = state.db.clone();
    let outcome =
        blocking(move || Ok(publish::add_signature(&db, id, &sig, &who.name, now_ms())?)).await?;
    if outcome.published {
        state.reload_tree()?;
        tracing::info!(kind = %outcome.kind, version = outcome.version, "published");
    }
    Ok(Json(outcome))
}

async fn keyset_propose(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<publish::CandidateFile>, ApiError> {
    let who = require(&state, &headers, Role::Admin).await?;
    let db = state.db.clone();
    let body = body.to_vec();
    Ok(Json(
        blocking(move || Ok(publish::propose_keyset(&db, &body, &who.name, now_ms())?)).await?,
    ))
}

async fn audit(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Vec<advocates::AuditEntry>>, ApiError> {
    require(&state, &headers, Role::Admin).await?;
    let db = state.db.clone();
    Ok(Json(
        blocking(move || Ok(advocates::audit_log(&db, 500)?)).await?,
    ))
}

//! The offline directory of help: verified storage, search and one-tap dial actions.
//!
//! Trust flows one way. A signed bundle (see `waypoint-format` and docs/PROTOCOL.md) is
//! verified against the keyset pinned in this build ([`PINNED_KEYSET`]), every phone and
//! link is validated, and only then is the whole directory replaced in **one** SQLite
//! transaction together with the signed bytes it came from. On every open the stored
//! signed bytes are verified again and the searchable tables are checked against the
//! signed content hash; a tampered local copy is detected and rebuilt from the newest
//! copy that still verifies (the stored signed bytes, else the packaged bundle compiled
//! into the app, [`PACKAGED_BUNDLE`]), so the first run and a damaged store both work
//! offline.
//!
//! The sync engine downloads; this module decides. Its seam is [`apply_update`].

pub mod dial;
pub mod hours;
mod search;
pub mod text;

use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use waypoint_format::{
    verify_bundle, verify_delta, verify_keyset_rotation, verify_root_keyset, FormatError, Keyset,
    Manifest, Policy, VerifiedBundle,
};

use crate::error::{Error, Result};
use crate::store::{Component, Store, Table};

pub use search::{Query, Resource, Sort};

/// The root keyset this build trusts (public keys only; the private keys never entered
/// the repository). Regenerate with `core/src/directory/seed/README.md`.
pub const PINNED_KEYSET: &[u8] = include_bytes!("seed/keyset.json");
/// The signed bundle compiled into the app so the first run works offline.
pub const PACKAGED_BUNDLE: &[u8] = include_bytes!("seed/bundle.json");

/// The directory's migrations.
pub const DIRECTORY: Component = Component {
    name: "directory",
    tables: &[
        Table::public("directory_state"),
        Table::public("directory_signed"),
        Table::public("directory_keyset"),
        Table::public("directory_record"),
        Table::public("directory_category"),
        Table::public("directory_language"),
        Table::public("directory_area"),
        Table::public("directory_fts"),
        Table::public("directory_fts_data"),
        Table::public("directory_fts_idx"),
        Table::public("directory_fts_content"),
        Table::public("directory_fts_docsize"),
        Table::public("directory_fts_config"),
        Table::public("directory_root"),
        Table::public("directory_facet"),
        Table::tagged("directory_favourite", favourites::KIND),
    ],
    personal_dirs: &[],
    steps: &[
        r#"
CREATE TABLE directory_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL,
    content_hash BLOB NOT NULL,
    created INTEGER NOT NULL,
    expires INTEGER NOT NULL,
    latest_known_time INTEGER NOT NULL,
    origin TEXT NOT NULL,
    installed_at INTEGER NOT NULL
) STRICT;
CREATE TABLE directory_signed (
    seq INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('bundle', 'delta')),
    bytes BLOB NOT NULL
) STRICT;
CREATE TABLE directory_keyset (
    version INTEGER PRIMARY KEY,
    bytes BLOB NOT NULL
) STRICT;
CREATE TABLE directory_record (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    raw TEXT NOT NULL,
    free INTEGER NOT NULL,
    always_open INTEGER NOT NULL,
    hours TEXT,
    actions TEXT NOT NULL,
    sort_name TEXT NOT NULL
) STRICT;
CREATE TABLE directory_category (
    record INTEGER NOT NULL REFERENCES directory_record(rowid) ON DELETE CASCADE,
    category TEXT NOT NULL,
    PRIMARY KEY (category, record)
) STRICT, WITHOUT ROWID;
CREATE TABLE directory_language (
    record INTEGER NOT NULL REFERENCES directory_record(rowid) ON DELETE CASCADE,
    language TEXT NOT NULL,
    PRIMARY KEY (language, record)
) STRICT, WITHOUT ROWID;
CREATE TABLE directory_area (
    record INTEGER NOT NULL REFERENCES directory_record(rowid) ON DELETE CASCADE,
    country TEXT NOT NULL,
    region TEXT,
    latitude REAL,
    longitude REAL
) STRICT;
CREATE INDEX directory_area_country ON directory_area(country, region);
CREATE INDEX directory_area_record ON directory_area(record);
CREATE VIRTUAL TABLE directory_fts USING fts5(
    name, organization, description, extra,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
CREATE TABLE directory_favourite (
    id TEXT PRIMARY KEY,
    revision INTEGER NOT NULL,
    sealed BLOB NOT NULL
) STRICT;
"#,
        // 2: a deployment's own root keyset (desktop CLI, test deployments), replacing the
        // build's pinned root for updates. The packaged bundle stays verified under the pinned
        // root until the first update from the deployment replaces it.
        "CREATE TABLE directory_root (
             id INTEGER PRIMARY KEY CHECK (id = 1),
             bytes BLOB NOT NULL
         ) STRICT;",
        // 3: what search ranks and filters on, without the signed JSON. `directory_record`
        // rows are ~2 KB (raw JSON and dial actions before the small columns), so ranking
        // thousands of matches by joining it read a page per match; this table packs
        // ~100 rows a page. Filled from `directory_record` here; `materialize` keeps it.
        "CREATE TABLE directory_facet (
             record INTEGER PRIMARY KEY REFERENCES directory_record(rowid) ON DELETE CASCADE,
             sort_name TEXT NOT NULL,
             free INTEGER NOT NULL,
             always_open INTEGER NOT NULL,
             hours TEXT
         ) STRICT;
         CREATE INDEX directory_facet_sort_name ON directory_facet(sort_name);
         INSERT INTO directory_facet (record, sort_name, free, always_open, hours)
             SELECT rowid, sort_name, free, always_open, hours FROM directory_record;",
        // 4: favourites carry the keyed row tag of the vault that wrote them, like journal
        // entries, so each vault lists only its own. Rows from before have no tag (NULL);
        // the first vault that can open one claims it (`favourites::list`).
        "ALTER TABLE directory_favourite ADD COLUMN tag BLOB;",
        // 5: held data stays verified under the keyset that accepted it, and the rollback
        // floor outlives the held copy. Each signed row names the keyset version that
        // verified it (NULL: the packaged bundle, or a row stored before this step, which
        // are verified as before); `floor_version` is the highest version ever accepted
        // from the trusted publishers, never lowered by a fallback to the packaged bundle.
        // `clock_high` is the latest clock reading seen: the latest known time is trusted
        // up to a day beyond it. A latest known time above the held bundle's `created`
        // came from a clock reading; one equal to it may have come from a future-dated
        // bundle accepted before `created` was bounded, so the install time stands in.
        "ALTER TABLE directory_signed ADD COLUMN keyset_version INTEGER;
         ALTER TABLE directory_state ADD COLUMN floor_version INTEGER NOT NULL DEFAULT 0;
         ALTER TABLE directory_state ADD COLUMN clock_high INTEGER;
         UPDATE directory_state SET floor_version = version WHERE origin = 'update';
         UPDATE directory_state SET clock_high = CASE
             WHEN latest_known_time > created THEN latest_known_time ELSE installed_at END;",
    ],
};

/// What this module trusts: a root keyset and a packaged bundle. Production uses
/// [`Trust::pinned`]; tests bring their own keys.
#[derive(Debug, Clone, Copy)]
pub struct Trust<'a> {
    /// Root keyset envelope (self-signed by its threshold).
    pub root_keyset: &'a [u8],
    /// Packaged bundle envelope.
    pub packaged_bundle: &'a [u8],
}

impl Trust<'static> {
    /// The keyset and bundle compiled into this build.
    pub fn pinned() -> Self {
        Trust {
            root_keyset: PINNED_KEYSET,
            packaged_bundle: PACKAGED_BUNDLE,
        }
    }
}

/// A signed update handed over by the sync engine (or imported from a file).
#[derive(Debug, Clone, Copy)]
pub enum Update<'a> {
    /// A full bundle envelope.
    Bundle(&'a [u8]),
    /// A delta envelope from the held version.
    Delta(&'a [u8]),
    /// The next keyset (rotation), signed by thresholds of the current and next keys.
    Keyset(&'a [u8]),
}

/// What [`apply_update`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum UpdateOutcome {
    /// A new directory version was installed.
    Installed {
        /// The new version.
        version: u64,
    },
    /// The update carried the version already held with the same content.
    AlreadyCurrent {
        /// The held version.
        version: u64,
    },
    /// A new keyset version is now trusted.
    KeysetRotated {
        /// The new keyset version.
        version: u64,
    },
}

/// Where the installed directory came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// The bundle compiled into the app.
    Packaged,
    /// An update received later.
    Update,
}

impl Origin {
    fn as_str(self) -> &'static str {
        match self {
            Origin::Packaged => "packaged",
            Origin::Update => "update",
        }
    }
}

/// The directory's state, for `status` screens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DirectoryStatus {
    /// Installed bundle version.
    pub version: u64,
    /// When that bundle was created (Unix seconds).
    pub created: i64,
    /// When it expires (Unix seconds).
    pub expires: i64,
    /// True once expired: the data is still shown, marked with its age.
    pub stale: bool,
    /// Number of resources.
    pub resources: u64,
    /// Where it came from.
    pub origin: Origin,
    /// Hex content hash (as signed).
    pub content_hash: String,
    /// Trusted keyset version.
    pub keyset_version: u64,
    /// Latest time ever seen (Unix seconds): expiry is judged against this, never less.
    pub latest_known_time: i64,
}

fn verification(e: FormatError) -> Error {
    Error::Verification(e.to_string())
}

struct State {
    version: u64,
    content_hash: Vec<u8>,
    created: i64,
    expires: i64,
    latest_known_time: i64,
    origin: String,
    floor: u64,
    clock_high: Option<i64>,
}

impl State {
    /// The trusted time: the clock, or the latest time ever seen if later — but never more
    /// than the allowed clock skew beyond the latest clock reading ever seen. Signed
    /// `created` times are bounded that way when accepted; a latest known time beyond it
    /// was pushed ahead by a future-dated bundle accepted before that bound existed, and
    /// trusting it would judge every honest update "expired".
    fn trusted_time(&self, now: i64) -> i64 {
        let cap = self.clock_high.map_or(i64::MAX, |c| {
            c.max(now)
                .saturating_add(waypoint_format::limits::MAX_CREATED_AHEAD_S)
        });
        self.latest_known_time.min(cap).max(now)
    }

    /// The lowest version an update may carry: the held version (when it came from the
    /// trusted publishers) or the highest version ever accepted from them, if higher.
    fn rollback_floor(&self, held_version: Option<u64>) -> Option<u64> {
        let floor = (self.floor > 0).then_some(self.floor);
        held_version.max(floor)
    }
}

fn read_state(conn: &rusqlite::Connection) -> Result<Option<State>> {
    Ok(conn
        .query_row(
            "SELECT version, content_hash, created, expires, latest_known_time, origin,
                    floor_version, clock_high
             FROM directory_state WHERE id = 1",
            [],
            |r| {
                Ok(State {
                    version: r.get::<_, i64>(0)? as u64,
                    content_hash: r.get(1)?,
                    created: r.get(2)?,
                    expires: r.get(3)?,
                    latest_known_time: r.get(4)?,
                    origin: r.get(5)?,
                    floor: r.get::<_, i64>(6)?.max(0) as u64,
                    clock_high: r.get(7)?,
                })
            },
        )
        .optional()?)
}

/// The keyset currently trusted: the root, walked forward through stored rotations.
fn current_keyset(conn: &rusqlite::Connection, trust: &Trust<'_>, now: i64) -> Result<Keyset> {
    let mut chain = keyset_chain(conn, trust, now)?;
    chain.pop().ok_or(Error::Corrupt("keyset chain"))
}

/// Every keyset trusted so far, oldest first: the root and each stored rotation that
/// verifies. Held data is re-verified under the version that accepted it.
fn keyset_chain(conn: &rusqlite::Connection, trust: &Trust<'_>, now: i64) -> Result<Vec<Keyset>> {
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
    let _ = now;
    Ok(chain)
}

/// The deployment root keyset, if one replaced the build's pinned root.
fn deployment_root(conn: &rusqlite::Connection) -> Result<Option<Vec<u8>>> {
    Ok(conn
        .query_row("SELECT bytes FROM directory_root WHERE id = 1", [], |r| {
            r.get(0)
        })
        .optional()?)
}

/// The keyset the packaged bundle is verified with: the build's own root (walked through
/// stored rotations) unless a deployment root replaced it, then the bare pinned root.
fn packaged_keyset(conn: &rusqlite::Connection, trust: &Trust<'_>, now: i64) -> Result<Keyset> {
    let root = verify_root_keyset(trust.root_keyset, i64::MIN).map_err(verification)?;
    // The packaged bundle is part of the build, signed under the build's own root: a later
    // rotation that drops one of its signers must not make the build's own help lines fail.
    if deployment_root(conn)?.is_some()
        || verify_bundle(trust.packaged_bundle, &root, &stored_policy()).is_ok()
    {
        Ok(root)
    } else {
        current_keyset(conn, trust, now)
    }
}

/// Whether the installed directory comes from the deployment's publishers (false for the
/// packaged bundle of a build whose root a deployment root replaced: its version numbers
/// belong to another publisher and say nothing about the deployment's).
fn held_from_trusted_chain(conn: &rusqlite::Connection, state: &State) -> Result<bool> {
    Ok(state.origin != "packaged" || deployment_root(conn)?.is_none())
}

fn stored_policy() -> Policy {
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
fn verify_stored_chain(
    conn: &rusqlite::Connection,
    chain: &[Keyset],
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
        let next = match (kind.as_str(), &state) {
            ("bundle", None) => verify_bundle(&bytes, keyset, &stored_policy()),
            ("delta", Some(base)) => verify_delta(&bytes, keyset, base, &stored_policy()),
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
/// record; if they do not, an impossible hash is returned so callers treat the tables as
/// damaged and rebuild them from the signed bytes.
fn tables_hash(conn: &rusqlite::Connection) -> Result<[u8; 32]> {
    let consistent: bool = conn.query_row(
        "SELECT (SELECT COUNT(*) FROM directory_facet) = (SELECT COUNT(*) FROM directory_record)
            AND (SELECT COUNT(*) FROM directory_fts) = (SELECT COUNT(*) FROM directory_record)
            AND NOT EXISTS (SELECT 1 FROM directory_record r
                            WHERE NOT EXISTS (SELECT 1 FROM directory_facet m WHERE m.record = r.rowid))",
        [],
        |r| r.get(0),
    )?;
    if !consistent {
        return Ok([0; 32]);
    }
    let mut stmt = conn.prepare("SELECT id, raw FROM directory_record")?;
    let rows: Vec<(String, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(waypoint_format::content_hash(
        rows.iter().map(|(a, b)| (a.as_str(), b.as_str())),
    ))
}

/// Each record's dial actions, serialised as `directory_record.actions` stores them, in
/// bundle order. libphonenumber is the costly part of an install: computed once by
/// [`validate_for_dialling`] and handed to [`materialize`].
struct DialActions(Vec<String>);

fn record_actions(vr: &waypoint_format::VerifiedRecord) -> Result<String> {
    let actions = dial::actions(vr.record())
        .map_err(|e| Error::Verification(format!("record {}: {}", vr.id(), e.0)))?;
    serde_json::to_string(&actions).map_err(|_| Error::Corrupt("dial actions"))
}

/// Dial actions for a bundle whose records were validated before (the stored chain).
fn dial_actions(bundle: &VerifiedBundle) -> Result<DialActions> {
    bundle
        .records()
        .iter()
        .map(record_actions)
        .collect::<Result<_>>()
        .map(DialActions)
}

/// Validates what the format crate cannot: every phone number (libphonenumber rules) and
/// every schedule's time zone. One bad record rejects the whole update. Returns the dial
/// actions it computed on the way.
fn validate_for_dialling(bundle: &VerifiedBundle) -> Result<DialActions> {
    let mut all = Vec::with_capacity(bundle.records().len());
    for r in bundle.records() {
        all.push(record_actions(r)?);
        let schedules = r
            .record()
            .schedule
            .iter()
            .chain(r.record().phones.iter().filter_map(|p| p.hours.as_ref()));
        for s in schedules {
            if !hours::known_timezone(&s.timezone) {
                return Err(Error::Verification(format!(
                    "record {}: unknown time zone",
                    r.id()
                )));
            }
        }
    }
    Ok(DialActions(all))
}

/// Replaces the searchable tables with `bundle`'s records (`actions`: theirs, from
/// [`validate_for_dialling`] or [`dial_actions`]). Runs inside the caller's transaction.
fn materialize(tx: &Transaction<'_>, bundle: &VerifiedBundle, actions: &DialActions) -> Result<()> {
    if actions.0.len() != bundle.records().len() {
        return Err(Error::Corrupt("dial actions"));
    }
    tx.execute_batch(
        "DELETE FROM directory_fts; DELETE FROM directory_area; DELETE FROM directory_language;
         DELETE FROM directory_category; DELETE FROM directory_facet;
         DELETE FROM directory_record;",
    )?;
    let mut ins_record = tx.prepare(
        "INSERT INTO directory_record (id, raw, free, always_open, hours, actions, sort_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut ins_facet = tx.prepare(
        "INSERT INTO directory_facet (record, sort_name, free, always_open, hours)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut ins_cat =
        tx.prepare("INSERT OR IGNORE INTO directory_category (record, category) VALUES (?1, ?2)")?;
    let mut ins_lang =
        tx.prepare("INSERT OR IGNORE INTO directory_language (record, language) VALUES (?1, ?2)")?;
    let mut ins_area = tx.prepare(
        "INSERT INTO directory_area (record, country, region, latitude, longitude) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut ins_fts = tx.prepare(
        "INSERT INTO directory_fts (rowid, name, organization, description, extra) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    // Dial actions were computed once at validation (libphonenumber is not cheap) and are
    // served as is.
    for (vr, actions) in bundle.records().iter().zip(&actions.0) {
        let r = &vr.record();
        let schedules: Vec<&waypoint_format::record::Schedule> = match &r.schedule {
            Some(s) => vec![s],
            None => r.phones.iter().filter_map(|p| p.hours.as_ref()).collect(),
        };
        let always_open = schedules.iter().any(|s| s.always_open);
        let hours = if schedules.is_empty() {
            None
        } else {
            Some(serde_json::to_string(&schedules).map_err(|_| Error::Corrupt("schedule"))?)
        };
        let sort_name = text::fold(text::pick(&r.name, "en").map(|(_, t)| t).unwrap_or(""));
        ins_record.execute(params![
            vr.id(),
            vr.raw(),
            r.fees.free,
            always_open,
            hours,
            actions,
            sort_name
        ])?;
        let rowid = tx.last_insert_rowid();
        ins_facet.execute(params![rowid, sort_name, r.fees.free, always_open, hours])?;
        for c in &r.categories {
            ins_cat.execute(params![rowid, c.as_str()])?;
        }
        let langs = r
            .languages
            .iter()
            .chain(r.phones.iter().flat_map(|p| p.languages.iter()));
        for l in langs {
            ins_lang.execute(params![rowid, text::primary_language(l)])?;
        }
        for loc in &r.locations {
            ins_area.execute(params![
                rowid,
                loc.country,
                loc.region,
                loc.latitude,
                loc.longitude
            ])?;
        }
        let join = |t: &std::collections::BTreeMap<String, String>| {
            text::fold(&t.values().cloned().collect::<Vec<_>>().join(" \n "))
        };
        let mut extra: Vec<String> = Vec::new();
        for c in &r.categories {
            extra.push(c.as_str().replace('_', " "));
        }
        for p in &r.phones {
            extra.push(p.number.clone());
            extra.push(p.number.chars().filter(char::is_ascii_digit).collect());
            extra.extend(p.keyword.clone());
            extra.extend(p.description.values().cloned());
        }
        for loc in &r.locations {
            extra.push(loc.country.clone());
            extra.extend(loc.region.clone());
            extra.extend(loc.address.clone());
            extra.extend(loc.name.values().cloned());
        }
        extra.extend(r.eligibility.values().cloned());
        ins_fts.execute(params![
            rowid,
            join(&r.name),
            join(&r.organization),
            join(&r.description),
            text::fold(&extra.join(" \n "))
        ])?;
    }
    Ok(())
}

fn write_state(
    tx: &Transaction<'_>,
    bundle: &VerifiedBundle,
    latest: i64,
    origin: Origin,
    now: i64,
) -> Result<()> {
    // The rollback floor only rises, and only with versions from the trusted publishers.
    let floor = match origin {
        Origin::Update => bundle.version() as i64,
        Origin::Packaged => 0,
    };
    tx.execute(
        "INSERT INTO directory_state (id, version, content_hash, created, expires, latest_known_time, origin, installed_at, floor_version, clock_high)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7)
         ON CONFLICT(id) DO UPDATE SET version = excluded.version, content_hash = excluded.content_hash,
           created = excluded.created, expires = excluded.expires,
           latest_known_time = excluded.latest_known_time, origin = excluded.origin,
           installed_at = excluded.installed_at,
           floor_version = MAX(directory_state.floor_version, excluded.floor_version),
           clock_high = MAX(COALESCE(directory_state.clock_high, excluded.clock_high), excluded.clock_high)",
        params![
            bundle.version() as i64,
            bundle.content_hash().to_vec(),
            bundle.created(),
            bundle.expires(),
            latest.max(bundle.created()),
            origin.as_str(),
            now,
            floor
        ],
    )?;
    Ok(())
}

/// Installs a verified full bundle: signed bytes, state and tables in one transaction.
/// `accepted_by` is the version of the keyset that verified it (None: the packaged bundle).
fn install_bundle(
    store: &Store,
    bundle: &VerifiedBundle,
    actions: &DialActions,
    bytes: &[u8],
    latest: i64,
    now: i64,
    accepted_by: Option<u64>,
) -> Result<()> {
    // The packaged bundle is the only one installed without a keyset version of its own.
    let origin = match accepted_by {
        Some(_) => Origin::Update,
        None => Origin::Packaged,
    };
    store.transaction(|tx| {
        tx.execute("DELETE FROM directory_signed", [])?;
        tx.execute(
            "INSERT INTO directory_signed (seq, kind, bytes, keyset_version)
             VALUES (1, 'bundle', ?1, ?2)",
            params![bytes, accepted_by.map(|v| v as i64)],
        )?;
        materialize(tx, bundle, actions)?;
        write_state(tx, bundle, latest, origin, now)
    })
}

fn install_packaged(
    store: &Store,
    trust: &Trust<'_>,
    keyset: &Keyset,
    latest: i64,
    now: i64,
) -> Result<()> {
    let bundle =
        verify_bundle(trust.packaged_bundle, keyset, &stored_policy()).map_err(verification)?;
    let actions = validate_for_dialling(&bundle)?;
    install_bundle(
        store,
        &bundle,
        &actions,
        trust.packaged_bundle,
        latest,
        now,
        None,
    )
}

/// Opens the directory with the pinned trust. See [`open_with`].
pub fn open(store: &Store, now_unix_s: i64) -> Result<()> {
    open_with(store, &Trust::pinned(), now_unix_s)
}

/// Makes sure a verified directory is installed: seeds the packaged bundle on first run
/// (or when the packaged one is newer), and re-verifies what is stored. A stored copy
/// whose signed bytes or searchable tables do not match the signed content hash is
/// replaced (from its own signed bytes if those verify, otherwise from the packaged
/// bundle). Returns an error only when storage fails or the packaged bundle itself does
/// not verify (a broken build).
pub fn open_with(store: &Store, trust: &Trust<'_>, now_unix_s: i64) -> Result<()> {
    let (packaged_keys, state, deployment) = store.with_conn(|c| {
        Ok((
            packaged_keyset(c, trust, now_unix_s)?,
            read_state(c)?,
            deployment_root(c)?.is_some(),
        ))
    })?;
    let Some(state) = state else {
        return install_packaged(store, trust, &packaged_keys, now_unix_s, now_unix_s);
    };
    let keysets = store.with_conn(|c| keyset_chain(c, trust, now_unix_s))?;
    let keyset = if state.origin == "packaged" {
        packaged_keys.clone()
    } else {
        keysets
            .last()
            .cloned()
            .ok_or(Error::Corrupt("keyset chain"))?
    };
    let latest = state.trusted_time(now_unix_s);
    let (chain, tables) =
        store.with_conn(|c| Ok((verify_stored_chain(c, &keysets, &keyset)?, tables_hash(c)?)))?;
    let chain_ok = chain.as_ref().is_some_and(|v| {
        v.version() == state.version && v.content_hash().as_slice() == state.content_hash.as_slice()
    });
    // A newer packaged bundle replaces an older one from the same publishers; under a
    // deployment root, updates come from other publishers and the packaged copy only fills
    // in until the first of them (or after tampering).
    let packaged_version = verify_bundle(trust.packaged_bundle, &packaged_keys, &stored_policy())
        .map(|b| {
            if deployment && state.origin != "packaged" {
                0
            } else {
                b.version()
            }
        })
        .map_err(verification)?;
    match chain {
        Some(v) if chain_ok && tables.as_slice() == state.content_hash.as_slice() => {
            if packaged_version > v.version() {
                return install_packaged(store, trust, &packaged_keys, latest, now_unix_s);
            }
            store.with_conn(|c| {
                c.execute(
                    "UPDATE directory_state SET latest_known_time = ?1,
                         clock_high = MAX(COALESCE(clock_high, ?2), ?2)
                     WHERE id = 1",
                    [latest, now_unix_s],
                )?;
                Ok(())
            })
        }
        Some(v) if chain_ok && packaged_version <= v.version() => {
            tracing::warn!("directory tables do not match their signed bytes; rebuilding them");
            let origin = if state.origin == "packaged" {
                Origin::Packaged
            } else {
                Origin::Update
            };
            let actions = dial_actions(&v)?;
            store.transaction(|tx| {
                materialize(tx, &v, &actions)?;
                write_state(tx, &v, latest, origin, now_unix_s)
            })
        }
        _ => {
            tracing::warn!("stored directory failed verification; reinstalling the packaged copy");
            install_packaged(store, trust, &packaged_keys, latest, now_unix_s)
        }
    }
}

/// The crate-internal seam the sync engine calls after downloading: verifies `update`
/// against the pinned trust and the held state, and installs it in one transaction.
/// Rollback, expiry (judged against the latest known time), forged or foreign signatures,
/// oversize or malformed input, and invalid phones or links are refused with
/// [`Error::Verification`]; nothing is changed then.
pub fn apply_update(store: &Store, now_unix_s: i64, update: Update<'_>) -> Result<UpdateOutcome> {
    apply_update_with(store, &Trust::pinned(), now_unix_s, update)
}

/// [`apply_update`] with an explicit trust root (tests, tools).
pub fn apply_update_with(
    store: &Store,
    trust: &Trust<'_>,
    now_unix_s: i64,
    update: Update<'_>,
) -> Result<UpdateOutcome> {
    let (keysets, state) =
        store.with_conn(|c| Ok((keyset_chain(c, trust, now_unix_s)?, read_state(c)?)))?;
    let keyset = keysets
        .last()
        .cloned()
        .ok_or(Error::Corrupt("keyset chain"))?;
    let state = match state {
        Some(s) => s,
        None => {
            open_with(store, trust, now_unix_s)?;
            store
                .with_conn(read_state)?
                .ok_or(Error::Corrupt("directory state missing"))?
        }
    };
    let latest = state.trusted_time(now_unix_s);
    let held_version = store
        .with_conn(|c| held_from_trusted_chain(c, &state))?
        .then_some(state.version);
    let policy = Policy::update(latest, state.rollback_floor(held_version));
    match update {
        Update::Keyset(bytes) => {
            let next = verify_keyset_rotation(&keyset, bytes, latest).map_err(verification)?;
            store.transaction(|tx| {
                tx.execute(
                    "INSERT INTO directory_keyset (version, bytes) VALUES (?1, ?2)",
                    params![next.version as i64, bytes],
                )?;
                Ok(())
            })?;
            Ok(UpdateOutcome::KeysetRotated {
                version: next.version,
            })
        }
        Update::Bundle(bytes) => {
            let bundle = verify_bundle(bytes, &keyset, &policy).map_err(verification)?;
            if Some(bundle.version()) == held_version {
                return if bundle.content_hash().as_slice() == state.content_hash.as_slice() {
                    Ok(UpdateOutcome::AlreadyCurrent {
                        version: state.version,
                    })
                } else {
                    Err(Error::Verification(format!(
                        "version {} already installed with different content",
                        state.version
                    )))
                };
            }
            let actions = validate_for_dialling(&bundle)?;
            install_bundle(
                store,
                &bundle,
                &actions,
                bytes,
                latest,
                now_unix_s,
                Some(keyset.version),
            )?;
            Ok(UpdateOutcome::Installed {
                version: bundle.version(),
            })
        }
        Update::Delta(bytes) => {
            let base = store
                .with_conn(|c| verify_stored_chain(c, &keysets, &keyset))?
                .filter(|b| {
                    Some(b.version()) == held_version
                        && b.content_hash().as_slice() == state.content_hash.as_slice()
                })
                .ok_or(Error::Verification(
                    "stored directory does not verify; fetch the full bundle".into(),
                ))?;
            let next = verify_delta(bytes, &keyset, &base, &policy).map_err(verification)?;
            let actions = validate_for_dialling(&next)?;
            store.transaction(|tx| {
                let seq: i64 = tx.query_row(
                    "SELECT COALESCE(MAX(seq), 0) + 1 FROM directory_signed",
                    [],
                    |r| r.get(0),
                )?;
                tx.execute(
                    "INSERT INTO directory_signed (seq, kind, bytes, keyset_version)
                     VALUES (?1, 'delta', ?2, ?3)",
                    params![seq, bytes, keyset.version as i64],
                )?;
                materialize(tx, &next, &actions)?;
                write_state(tx, &next, latest, Origin::Update, now_unix_s)
            })?;
            Ok(UpdateOutcome::Installed {
                version: next.version(),
            })
        }
    }
}

/// Verifies a manifest against the trusted keyset and the held version (for the sync
/// engine, before it downloads anything else).
pub fn verify_manifest(store: &Store, now_unix_s: i64, bytes: &[u8]) -> Result<Manifest> {
    verify_manifest_with(store, &Trust::pinned(), now_unix_s, bytes)
}

/// [`verify_manifest`] with an explicit trust root.
pub fn verify_manifest_with(
    store: &Store,
    trust: &Trust<'_>,
    now_unix_s: i64,
    bytes: &[u8],
) -> Result<Manifest> {
    let (keyset, state) =
        store.with_conn(|c| Ok((current_keyset(c, trust, now_unix_s)?, read_state(c)?)))?;
    let latest = state
        .as_ref()
        .map_or(now_unix_s, |s| s.trusted_time(now_unix_s));
    let floor = match &state {
        Some(s) => {
            let held = store
                .with_conn(|c| held_from_trusted_chain(c, s))?
                .then_some(s.version);
            s.rollback_floor(held)
        }
        None => None,
    };
    waypoint_format::verify_manifest(bytes, &keyset, &Policy::update(latest, floor))
        .map_err(verification)
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

/// What the sync engine needs to know before it downloads: the keyset to verify with,
/// the held state (only when it came from that keyset's publishers), the verified base for
/// deltas, and whether the stored copy needs a verified full download to repair it.
pub struct SyncBase {
    /// The trusted keyset (root walked through stored rotations).
    pub keyset: Keyset,
    /// Installed version from the trusted publishers (None: nothing from them yet).
    pub version: Option<u64>,
    /// The lowest version an update may carry: the held version or the highest version
    /// ever accepted from the trusted publishers, whichever is higher (a fallback to the
    /// packaged bundle never lowers it).
    pub floor: Option<u64>,
    /// When the held directory was created (Unix seconds): the last moment it is known to
    /// have been current without a freshness statement.
    pub created: Option<i64>,
    /// Its expiry (Unix seconds).
    pub expires: Option<i64>,
    /// Latest time ever seen (Unix seconds).
    pub latest_known_time: i64,
    /// The held directory, re-verified from its signed bytes, as a delta base.
    pub base: Option<VerifiedBundle>,
    /// The local copy does not match its signed bytes: fetch the full bundle even at the
    /// same version.
    pub repair: bool,
}

/// Reads [`SyncBase`] for the sync engine.
pub fn sync_base(store: &Store, trust: &Trust<'_>, now_unix_s: i64) -> Result<SyncBase> {
    store.with_conn(|c| {
        let keysets = keyset_chain(c, trust, now_unix_s)?;
        let keyset = keysets
            .last()
            .cloned()
            .ok_or(Error::Corrupt("keyset chain"))?;
        let state = read_state(c)?;
        let latest = state
            .as_ref()
            .map_or(now_unix_s, |s| s.trusted_time(now_unix_s));
        let floor = state.as_ref().and_then(|s| s.rollback_floor(None));
        // Nothing installed, or only another publisher's packaged copy: nothing held.
        let state = match state {
            Some(s) if held_from_trusted_chain(c, &s)? => s,
            _ => {
                return Ok(SyncBase {
                    keyset,
                    version: None,
                    floor,
                    created: None,
                    expires: None,
                    latest_known_time: latest,
                    base: None,
                    repair: false,
                })
            }
        };
        let held_keyset = if state.origin == "packaged" {
            packaged_keyset(c, trust, now_unix_s)?
        } else {
            keyset.clone()
        };
        let chain = verify_stored_chain(c, &keysets, &held_keyset)?.filter(|v| {
            v.version() == state.version
                && v.content_hash().as_slice() == state.content_hash.as_slice()
        });
        let intact = chain.is_some() && tables_hash(c)?.as_slice() == state.content_hash.as_slice();
        Ok(SyncBase {
            keyset,
            version: Some(state.version),
            floor: state.rollback_floor(Some(state.version)),
            created: Some(state.created),
            expires: Some(state.expires),
            latest_known_time: latest,
            base: if intact { chain } else { None },
            repair: !intact,
        })
    })
}

/// A verified download, ready to commit.
pub struct SyncedUpdate<'a> {
    /// Keyset rotations walked, oldest first, each already verified: (version, bytes).
    pub rotations: &'a [(u64, Vec<u8>)],
    /// The new directory: verified state, the signed bytes it came from, and whether those
    /// bytes are a delta on the held version (else a full bundle).
    pub directory: Option<(&'a VerifiedBundle, &'a [u8], bool)>,
    /// Latest time now known (Unix seconds).
    pub latest_known_time: i64,
    /// Version of the keyset that verified `directory` (the last rotation walked).
    pub keyset_version: u64,
}

/// Commits what the sync engine verified in ONE transaction, together with the engine's
/// own bookkeeping (`also`, e.g. the manifest ETag): keyset rotations, signed bytes, state
/// and searchable tables. Every phone and link is validated first; one bad record refuses
/// the whole update and nothing changes.
pub fn commit_sync(
    store: &Store,
    update: &SyncedUpdate<'_>,
    now_unix_s: i64,
    also: impl FnOnce(&Transaction<'_>) -> Result<()>,
) -> Result<()> {
    let actions = match update.directory {
        Some((bundle, _, _)) => Some(validate_for_dialling(bundle)?),
        None => None,
    };
    store.transaction(|tx| {
        for (version, bytes) in update.rotations {
            tx.execute(
                "INSERT OR REPLACE INTO directory_keyset (version, bytes) VALUES (?1, ?2)",
                params![*version as i64, bytes],
            )?;
        }
        match update.directory {
            Some((bundle, bytes, is_delta)) => {
                let accepted_by = update.keyset_version as i64;
                if is_delta {
                    tx.execute(
                        "INSERT INTO directory_signed (seq, kind, bytes, keyset_version)
                         VALUES ((SELECT COALESCE(MAX(seq), 0) + 1 FROM directory_signed), 'delta', ?1, ?2)",
                        params![bytes, accepted_by],
                    )?;
                } else {
                    tx.execute("DELETE FROM directory_signed", [])?;
                    tx.execute(
                        "INSERT INTO directory_signed (seq, kind, bytes, keyset_version)
                         VALUES (1, 'bundle', ?1, ?2)",
                        params![bytes, accepted_by],
                    )?;
                }
                let actions = actions.as_ref().ok_or(Error::Corrupt("dial actions"))?;
                materialize(tx, bundle, actions)?;
                write_state(tx, bundle, update.latest_known_time, Origin::Update, now_unix_s)?;
            }
            None => {
                tx.execute(
                    "UPDATE directory_state SET latest_known_time = ?1,
                         clock_high = MAX(COALESCE(clock_high, ?2), ?2)
                     WHERE id = 1",
                    [update.latest_known_time, now_unix_s],
                )?;
            }
        }
        also(tx)
    })
}

/// Exact signed JSON of every installed record, by id (desktop CLI and tests).
pub fn records_raw(store: &Store) -> Result<Vec<String>> {
    store.with_conn(|c| {
        let mut stmt = c.prepare("SELECT raw FROM directory_record ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    })
}

/// Installed version, if any (for `status().directory_version`).
pub fn installed_version(store: &Store) -> Result<Option<u64>> {
    store.with_conn(|c| Ok(read_state(c)?.map(|s| s.version)))
}

/// The directory's status.
pub fn status(
    store: &Store,
    trust: &Trust<'_>,
    now_unix_s: i64,
) -> Result<Option<DirectoryStatus>> {
    store.with_conn(|c| {
        let Some(s) = read_state(c)? else {
            return Ok(None);
        };
        let keyset = current_keyset(c, trust, now_unix_s)?;
        let resources: i64 =
            c.query_row("SELECT COUNT(*) FROM directory_record", [], |r| r.get(0))?;
        let latest = s.trusted_time(now_unix_s);
        Ok(Some(DirectoryStatus {
            version: s.version,
            created: s.created,
            expires: s.expires,
            stale: latest > s.expires,
            resources: resources as u64,
            origin: if s.origin == "packaged" {
                Origin::Packaged
            } else {
                Origin::Update
            },
            content_hash: hex::encode(&s.content_hash),
            keyset_version: keyset.version,
            latest_known_time: latest,
        }))
    })
}

/// Searches the directory.
pub fn search(store: &Store, query: &Query, now_unix_s: i64) -> Result<Vec<Resource>> {
    search::run(store, query, now_unix_s)
}

/// One resource by id, with text in `user_language` (falling back as [`text::pick`]).
pub fn show(store: &Store, id: &str, user_language: &str, now_unix_s: i64) -> Result<Resource> {
    let row: Option<(String, String)> = store.with_conn(|c| {
        Ok(c.query_row(
            "SELECT raw, actions FROM directory_record WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
    })?;
    let (raw, actions) = row.ok_or(Error::NotFound)?;
    search::resource(&raw, &actions, user_language, now_unix_s, None)
}

pub mod favourites;

#[cfg(test)]
mod tests;

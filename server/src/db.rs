//! The server's SQLite database: published bundles, drafts, advocates, audit log.
//!
//! Same discipline as the phone store: WAL, numbered migrations, one transaction per
//! change. It holds advocate data only; no table has a column for anything about a client.

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{Connection, OptionalExtension};

/// Migrations: `MIGRATIONS[i]` upgrades from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;",
    // 1 -> 2: advocates, audit log, draft, candidates, signatures, published artefacts.
    "CREATE TABLE advocates (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('editor', 'publisher', 'admin')),
        token_id TEXT NOT NULL UNIQUE,
        token_hash TEXT NOT NULL,
        created_ms INTEGER NOT NULL,
        revoked_ms INTEGER
    ) STRICT;
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at_ms INTEGER NOT NULL,
        advocate TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL
    ) STRICT;
    CREATE TABLE draft_resources (
        id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        updated_ms INTEGER NOT NULL,
        updated_by TEXT NOT NULL
    ) STRICT;
    CREATE TABLE candidates (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('bundle', 'keyset')),
        version INTEGER NOT NULL,
        created INTEGER NOT NULL,
        expires INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('open', 'published', 'superseded'))
    ) STRICT;
    CREATE TABLE candidate_items (
        candidate INTEGER NOT NULL REFERENCES candidates(id),
        name TEXT NOT NULL,
        payload_type TEXT NOT NULL,
        payload BLOB NOT NULL,
        PRIMARY KEY (candidate, name)
    ) STRICT;
    CREATE TABLE signatures (
        candidate INTEGER NOT NULL,
        item TEXT NOT NULL,
        keyid TEXT NOT NULL,
        sig TEXT NOT NULL,
        uploaded_by TEXT NOT NULL,
        PRIMARY KEY (candidate, item, keyid),
        FOREIGN KEY (candidate, item) REFERENCES candidate_items(candidate, name)
    ) STRICT;
    CREATE TABLE artefacts (
        path TEXT PRIMARY KEY,
        bytes BLOB NOT NULL,
        published_ms INTEGER NOT NULL
    ) STRICT;",
    // 2 -> 3: guides written in the console, and guides candidates (the kind check is part
    // of the table, so the table is rebuilt; foreign keys are off while migrating).
    "CREATE TABLE guide_drafts (
        id TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        updated_ms INTEGER NOT NULL,
        updated_by TEXT NOT NULL
    ) STRICT;
    CREATE TABLE candidates_v3 (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('bundle', 'keyset', 'guides')),
        version INTEGER NOT NULL,
        created INTEGER NOT NULL,
        expires INTEGER NOT NULL,
        created_by TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('open', 'published', 'superseded'))
    ) STRICT;
    INSERT INTO candidates_v3 (id, kind, version, created, expires, created_by, state)
        SELECT id, kind, version, created, expires, created_by, state FROM candidates;
    DROP TABLE candidates;
    ALTER TABLE candidates_v3 RENAME TO candidates;",
];

/// Database errors as the HTTP layer sees them.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// SQLite failed.
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file system failed.
    #[error("file system: {0}")]
    Io(#[from] std::io::Error),
    /// The database was written by a newer server.
    #[error("database schema {0} is newer than this server knows ({1})")]
    TooNew(u32, u32),
    /// A previous panic poisoned the connection lock.
    #[error("database lock poisoned")]
    Poisoned,
}

impl DbError {
    /// Whether this is a transient condition (locked database, full disk, I/O failure) that
    /// the HTTP layer reports as 503 rather than as a bug.
    pub fn is_unavailable(&self) -> bool {
        match self {
            DbError::Sqlite(rusqlite::Error::SqliteFailure(e, _)) => matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseBusy
                    | rusqlite::ErrorCode::DatabaseLocked
                    | rusqlite::ErrorCode::DiskFull
                    | rusqlite::ErrorCode::SystemIoFailure
                    | rusqlite::ErrorCode::CannotOpen
                    | rusqlite::ErrorCode::ReadOnly
            ),
            DbError::Io(_) | DbError::Poisoned => true,
            _ => false,
        }
    }
}

/// A shared handle to the server database.
#[derive(Clone, Debug)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

impl Db {
    /// Opens (creating and migrating) `<data_dir>/server.db`.
    pub fn open(data_dir: &Path) -> Result<Self, DbError> {
        std::fs::create_dir_all(data_dir)?;
        let mut conn = Connection::open(data_dir.join("server.db"))?;
        conn.busy_timeout(std::time::Duration::from_secs(2))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // A publish must survive power loss once it is acknowledged.
        conn.pragma_update(None, "synchronous", "FULL")?;
        migrate(&mut conn)?;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` with the connection.
    pub fn with<T>(&self, f: impl FnOnce(&Connection) -> Result<T, DbError>) -> Result<T, DbError> {
        let conn = self.conn.lock().map_err(|_| DbError::Poisoned)?;
        f(&conn)
    }

    /// The schema version in use.
    pub fn schema_version(&self) -> Result<u32, DbError> {
        self.with(|c| Ok(c.query_row("PRAGMA user_version", [], |r| r.get(0))?))
    }
}

fn migrate(conn: &mut Connection) -> Result<(), DbError> {
    let found: u32 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let latest = u32::try_from(MIGRATIONS.len()).expect("few migrations");
    if found > latest {
        return Err(DbError::TooNew(found, latest));
    }
    // Foreign keys are off while migrating, so a step may rebuild a referenced table (the
    // references name the table, which exists again under that name when the step ends);
    // they are checked before they are turned back on.
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    for (i, step) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(step)?;
        let broken: Option<String> = tx
            .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
            .optional()?;
        if broken.is_some() {
            return Err(DbError::Io(std::io::Error::other(
                "a migration step left a broken foreign key",
            )));
        }
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    let _: Option<i64> = conn
        .query_row("SELECT 1 FROM meta LIMIT 1", [], |r| r.get(0))
        .optional()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrates_once_and_reopens() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = Db::open(dir.path()).expect("open");
        assert_eq!(
            db.schema_version().expect("version"),
            MIGRATIONS.len() as u32
        );
        drop(db);
        let db = Db::open(dir.path()).expect("reopen");
        assert_eq!(
            db.schema_version().expect("version"),
            MIGRATIONS.len() as u32
        );
    }

    #[test]
    fn candidates_and_their_signatures_survive_the_guides_migration() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut conn = Connection::open(dir.path().join("server.db")).expect("raw");
        for (i, step) in MIGRATIONS.iter().take(2).enumerate() {
            conn.execute_batch(step).expect("old step");
            conn.pragma_update(None, "user_version", i + 1)
                .expect("version");
        }
        conn.execute_batch(
            "INSERT INTO candidates VALUES (4, 'bundle', 2, 0, 1, 'a', 'open');
             INSERT INTO candidate_items VALUES (4, 'bundle', 'waypoint.bundle', x'00');
             INSERT INTO signatures VALUES (4, 'bundle', 'k', 's', 'a');",
        )
        .expect("old rows");
        migrate(&mut conn).expect("migrates");
        let kind: String = conn
            .query_row("SELECT kind FROM candidates WHERE id = 4", [], |r| r.get(0))
            .expect("kept");
        assert_eq!(kind, "bundle");
        conn.execute(
            "INSERT INTO candidates VALUES (5, 'guides', 1, 0, 1, 'a', 'open')",
            [],
        )
        .expect("guides candidates are allowed");
        let fk: bool = conn
            .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
            .expect("pragma");
        assert!(fk, "foreign keys are on again");
        assert!(conn
            .execute(
                "INSERT INTO candidate_items VALUES (99, 'x', 'y', x'00')",
                []
            )
            .is_err());
    }

    #[test]
    fn newer_schema_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        drop(Db::open(dir.path()).expect("open"));
        let conn = Connection::open(dir.path().join("server.db")).expect("raw");
        conn.pragma_update(None, "user_version", 999).expect("bump");
        drop(conn);
        assert!(matches!(Db::open(dir.path()), Err(DbError::TooNew(999, _))));
    }
}

//! The SQLite store: one connection, hardened pragmas, numbered migrations per component.
//!
//! SQLite here is synchronous and boring on purpose. One [`rusqlite::Connection`] sits
//! behind a mutex; every multi-row change runs in one transaction. Each capability
//! (vault, journal, directory, ...) owns a *component* with its own ordered list of
//! migrations, recorded in `schema_version`, so capabilities evolve independently and a
//! database from any earlier version upgrades step by step. A database written by a newer
//! build is refused rather than misread.
//!
//! Each component also declares what it stores: every table as personal or public, and its
//! directories of personal files ([`Table`], [`PersonalDir`]). A wipe and a duress shred
//! work from these declarations only, and a test fails when a table is not declared.
//!
//! Pragmas: WAL (a kill mid-write never loses a committed transaction),
//! `secure_delete` (deleted pages are zeroed, so deleted ciphertext is really gone),
//! `temp_store=MEMORY` (sort and index temporaries never touch disk), `foreign_keys`.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, Transaction};

use crate::error::{Error, Result};

/// File name of the database inside the data directory. Deliberately bland.
pub const DB_FILE: &str = "store.db";

/// One component's migrations (`steps[i]` upgrades from version `i` to `i + 1`) and its
/// declaration of what it stores.
///
/// Every table the steps leave behind is named in `tables` as personal or public, and every
/// directory of personal files in `personal_dirs`. A wipe empties exactly what is declared
/// personal here, and a duress shred removes the declared rows and files that are not the
/// decoy's; `store::tests::every_table_is_declared_personal_or_public` fails when a
/// component stores a table it does not declare.
#[derive(Debug, Clone, Copy)]
pub struct Component {
    /// Stable name recorded in `schema_version`.
    pub name: &'static str,
    /// Every table the component's steps create, and what each holds.
    pub tables: &'static [Table],
    /// Directories (relative to the data directory) holding personal files.
    pub personal_dirs: &'static [PersonalDir],
    /// SQL batches, applied in order.
    pub steps: &'static [&'static str],
}

/// One table and what it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table {
    /// The table's name in `sqlite_master`.
    pub name: &'static str,
    /// What its rows are.
    pub holds: Holds,
}

impl Table {
    /// A table holding nothing personal (kept by a wipe).
    pub const fn public(name: &'static str) -> Self {
        Self {
            name,
            holds: Holds::Public,
        }
    }

    /// A personal table whose rows carry `id` and `tag = row_tag(kind, id)` columns.
    pub const fn tagged(name: &'static str, kind: &'static str) -> Self {
        Self {
            name,
            holds: Holds::Tagged(kind),
        }
    }

    /// A personal table with one row per vault, found by a `tag` column holding
    /// `row_tag(kind, "")` of the vault that wrote it (no `id` column).
    pub const fn per_vault(name: &'static str, kind: &'static str) -> Self {
        Self {
            name,
            holds: Holds::PerVault(kind),
        }
    }

    /// A personal table whose rows go with a parent row (`ON DELETE CASCADE`).
    pub const fn child(name: &'static str) -> Self {
        Self {
            name,
            holds: Holds::Child,
        }
    }

    /// Whether a wipe empties this table.
    pub fn is_personal(&self) -> bool {
        self.holds != Holds::Public
    }
}

/// What a table's rows are, for wipe and duress shred.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Holds {
    /// Nothing personal (signed directory data, bookkeeping, the disguise): a wipe keeps it.
    Public,
    /// The vault's own rows (key slots, lockout state): a wipe deletes them; a duress
    /// shred leaves them to the vault, which replaces the real slot itself.
    Vault,
    /// Personal rows with an `id` column and a `tag` column holding
    /// `VaultKeys::row_tag(kind, id)` of the vault that wrote them (NULL: written before
    /// rows were tagged). A wipe deletes every row; a duress shred deletes every row that
    /// is not the decoy's.
    Tagged(&'static str),
    /// One personal row per vault with a `tag` column holding `VaultKeys::row_tag(kind, "")`
    /// of its vault (no `id`). A wipe deletes every row; a duress shred deletes every row
    /// that is not the decoy's.
    PerVault(&'static str),
    /// Personal rows deleted with their parent row by `ON DELETE CASCADE`.
    Child,
}

/// A directory of personal files, each file named in one column of one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonalDir {
    /// Directory under the data directory.
    pub dir: &'static str,
    /// The table whose rows name the files.
    pub table: &'static str,
    /// The column holding the file name.
    pub column: &'static str,
}

/// Tables SQLite or the store itself keeps, outside any component.
pub const STORE_TABLES: &[&str] = &["schema_version"];

impl Component {
    /// The version this build brings the component to.
    pub fn latest(&self) -> u32 {
        u32::try_from(self.steps.len()).expect("fewer than 2^32 migrations")
    }
}

/// The store's own bookkeeping component.
pub const META: Component = Component {
    name: "meta",
    // The disguise's settings: outside everything a wipe destroys, so a wiped app still
    // looks like its decoy.
    tables: &[Table::public("meta")],
    personal_dirs: &[],
    steps: &["CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;"],
};

/// Schema version of one component as found in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentVersion {
    /// Component name.
    pub name: String,
    /// Version after migration.
    pub version: u32,
}

/// The database: one connection behind a mutex. `None` once closed.
#[derive(Debug)]
pub struct Store {
    conn: Mutex<Option<Connection>>,
    path: PathBuf,
    /// The components this store was opened with (the application's list; the store
    /// itself knows none of them by name).
    components: Vec<Component>,
}

impl Store {
    /// Opens (creating if needed) the store in `data_dir` and migrates `components`, in
    /// order. Each capability declares its own [`Component`]; the application layer passes
    /// the list (`app::COMPONENTS`), tests pass their own.
    pub fn open_with(data_dir: &Path, components: &[Component]) -> Result<Self> {
        create_private_dir(data_dir)?;
        let path = data_dir.join(DB_FILE);
        // Created owner-only before SQLite opens it: SQLite gives the WAL and shared-memory
        // files the database file's permissions. Files from an older build are tightened.
        drop(create_private_file_options().append(true).open(&path)?);
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = path.clone().into_os_string();
            name.push(suffix);
            restrict_file(Path::new(&name))?;
        }
        let mut conn = Connection::open(&path)?;
        configure(&conn)?;
        migrate(&mut conn, components)?;
        Ok(Self {
            conn: Mutex::new(Some(conn)),
            path,
            components: components.to_vec(),
        })
    }

    /// Every table declared personal by the components this store was opened with.
    pub fn personal_tables(&self) -> impl Iterator<Item = &Table> {
        self.components
            .iter()
            .flat_map(|c| c.tables.iter())
            .filter(|t| t.is_personal())
    }

    /// Every personal-file directory declared by the components this store was opened with.
    pub fn personal_dirs(&self) -> impl Iterator<Item = &PersonalDir> {
        self.components.iter().flat_map(|c| c.personal_dirs.iter())
    }

    /// Path of the database file (for tests that scan what is on disk).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` with the connection.
    pub fn with_conn<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let guard = self.conn.lock()?;
        let conn = guard.as_ref().ok_or(Error::Corrupt("store closed"))?;
        f(conn)
    }

    /// Runs `f` inside one transaction, committed only if `f` returns `Ok`.
    pub fn transaction<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut guard = self.conn.lock()?;
        let conn = guard.as_mut().ok_or(Error::Corrupt("store closed"))?;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// Schema versions of every component, as recorded in the database.
    pub fn versions(&self) -> Result<Vec<ComponentVersion>> {
        self.with_conn(|c| {
            let mut stmt =
                c.prepare("SELECT component, version FROM schema_version ORDER BY component")?;
            let rows = stmt.query_map([], |r| {
                Ok(ComponentVersion {
                    name: r.get(0)?,
                    version: r.get(1)?,
                })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Checkpoints the WAL into the main file and truncates it (used before a wipe and
    /// after deletes, so old pages do not linger in the WAL).
    pub fn checkpoint(&self) -> Result<()> {
        self.with_conn(|c| {
            c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
            Ok(())
        })
    }

    /// Closes the connection; later calls fail cleanly.
    pub fn close(&self) -> Result<()> {
        let mut guard = self.conn.lock()?;
        if let Some(conn) = guard.take() {
            conn.close().map_err(|(_, e)| Error::Sqlite(e))?;
        }
        Ok(())
    }
}

/// Creates `dir` (and missing parents) and makes it owner-only (0700 on Unix), also when it
/// already existed with wider permissions. Every directory holding personal data is made
/// with this: the data directory, the attachment directory.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Options that create a new file owner-only (0600 on Unix), for writing. Every file
/// holding personal data or keys is created with these: attachments, the desktop key
/// file, exports, decrypted attachment copies.
pub fn create_private_file_options() -> std::fs::OpenOptions {
    let mut o = std::fs::OpenOptions::new();
    o.write(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o
}

/// Creates (or truncates) `path` owner-only and opens it for writing. An existing file
/// keeps its inode but is tightened to 0600 first.
pub fn create_private_file(path: &Path) -> Result<std::fs::File> {
    restrict_file(path)?;
    Ok(create_private_file_options().truncate(true).open(path)?)
}

/// Makes an existing file owner-only (0600 on Unix); a missing file is fine.
pub fn restrict_file(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        match std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

fn configure(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    Ok(())
}

/// Brings every component up to its latest version, each step in its own transaction.
pub fn migrate(conn: &mut Connection, components: &[Component]) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_version (
             component TEXT PRIMARY KEY,
             version INTEGER NOT NULL
         ) STRICT;",
    )?;
    for component in components {
        let found: u32 = conn
            .query_row(
                "SELECT version FROM schema_version WHERE component = ?1",
                [component.name],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        if found > component.latest() {
            return Err(Error::SchemaTooNew {
                component: component.name,
                found,
                supported: component.latest(),
            });
        }
        for (index, step) in component.steps.iter().enumerate().skip(found as usize) {
            let to = u32::try_from(index + 1).expect("fewer than 2^32 migrations");
            let tx = conn.transaction()?;
            tx.execute_batch(step)?;
            tx.execute(
                "INSERT INTO schema_version (component, version) VALUES (?1, ?2)
                 ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                rusqlite::params![component.name, to],
            )?;
            tx.commit()?;
            tracing::debug!(component = component.name, version = to, "migrated");
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::COMPONENTS;

    const V1: &str = "CREATE TABLE t (a INTEGER) STRICT;";
    const V2: &str = "ALTER TABLE t ADD COLUMN b TEXT;";
    const V3: &str = "CREATE INDEX t_b ON t(b);";

    fn component(steps: &'static [&'static str]) -> Component {
        Component {
            name: "test",
            tables: &[],
            personal_dirs: &[],
            steps,
        }
    }

    #[test]
    fn opening_twice_does_not_reapply_migrations() {
        let dir = tempfile::tempdir().expect("tempdir");
        Store::open_with(dir.path(), COMPONENTS).expect("first open");
        let store = Store::open_with(dir.path(), COMPONENTS).expect("second open");
        let versions = store.versions().expect("versions");
        for c in COMPONENTS {
            let v = versions
                .iter()
                .find(|v| v.name == c.name)
                .expect("component recorded");
            assert_eq!(v.version, c.latest(), "{}", c.name);
        }
        assert_eq!(versions.len(), COMPONENTS.len());
    }

    #[test]
    fn every_earlier_version_upgrades_to_latest() {
        const ALL: &[&str] = &[V1, V2, V3];
        for start in 0..=ALL.len() {
            let dir = tempfile::tempdir().expect("tempdir");
            let partial: &'static [&'static str] = &ALL[..start];
            Store::open_with(dir.path(), &[component(partial)]).expect("open at start version");
            let store = Store::open_with(dir.path(), &[component(ALL)]).expect("upgrade");
            let v = store.versions().expect("versions");
            assert_eq!(v[0].version, 3, "from version {start}");
            store
                .with_conn(|c| {
                    c.execute("INSERT INTO t (a, b) VALUES (1, 'x')", [])?;
                    Ok(())
                })
                .expect("schema usable after upgrade");
        }
    }

    #[test]
    fn every_real_component_upgrades_from_each_earlier_version() {
        for (i, target) in COMPONENTS.iter().enumerate() {
            for start in 0..target.steps.len() {
                let dir = tempfile::tempdir().expect("tempdir");
                let older: Vec<Component> = COMPONENTS
                    .iter()
                    .enumerate()
                    .map(|(j, c)| Component {
                        name: c.name,
                        tables: c.tables,
                        personal_dirs: c.personal_dirs,
                        steps: if i == j { &c.steps[..start] } else { c.steps },
                    })
                    .collect();
                Store::open_with(dir.path(), &older).expect("open at the older version");
                let store = Store::open_with(dir.path(), COMPONENTS)
                    .unwrap_or_else(|e| panic!("{} from {start}: {e}", target.name));
                let v = store.versions().expect("versions");
                let got = v.iter().find(|c| c.name == target.name).expect("recorded");
                assert_eq!(got.version as usize, target.steps.len(), "{}", target.name);
            }
        }
    }

    /// What is wrong with `components`' declarations against the database they built:
    /// tables nobody declared, declared tables that do not exist, tables declared twice,
    /// tagged tables without `id`/`tag`, personal directories not named by a personal table.
    fn declaration_problems(store: &Store, components: &[Component]) -> Vec<String> {
        let mut problems = Vec::new();
        let found: Vec<String> = store
            .with_conn(|c| {
                let mut st = c.prepare(
                    "SELECT name FROM sqlite_master WHERE type = 'table'
                     AND name NOT LIKE 'sqlite_%' ORDER BY name",
                )?;
                let rows = st.query_map([], |r| r.get(0))?;
                Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
            })
            .expect("tables");
        let mut declared = std::collections::HashMap::new();
        for c in components {
            for t in c.tables {
                if declared.insert(t.name, *t).is_some() {
                    problems.push(format!("{} is declared twice", t.name));
                }
            }
        }
        for name in &found {
            if !declared.contains_key(name.as_str()) && !STORE_TABLES.contains(&name.as_str()) {
                problems.push(format!("{name} is not declared personal or public"));
            }
        }
        for (name, table) in &declared {
            if !found.iter().any(|f| f == name) {
                problems.push(format!("{name} is declared but does not exist"));
                continue;
            }
            let needed: &[&str] = match table.holds {
                Holds::Tagged(_) => &["id", "tag"],
                Holds::PerVault(_) => &["tag"],
                _ => &[],
            };
            if !needed.is_empty() {
                let cols: Vec<String> = store
                    .with_conn(|c| {
                        let mut st = c.prepare(&format!("PRAGMA table_info(\"{name}\")"))?;
                        let rows = st.query_map([], |r| r.get(1))?;
                        Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
                    })
                    .expect("columns");
                for col in needed {
                    if !cols.iter().any(|c| c == col) {
                        problems.push(format!("{name} is tagged but has no {col} column"));
                    }
                }
            }
        }
        for c in components {
            for d in c.personal_dirs {
                if !declared.get(d.table).is_some_and(|t| t.is_personal()) {
                    problems.push(format!("{} is not named by a personal table", d.dir));
                }
            }
        }
        problems
    }

    #[test]
    fn every_table_is_declared_personal_or_public() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open_with(dir.path(), COMPONENTS).expect("open");
        assert_eq!(
            declaration_problems(&store, COMPONENTS),
            Vec::<String>::new()
        );
        // What a wipe empties includes every sealed-row table this build has.
        let personal: Vec<&str> = store.personal_tables().map(|t| t.name).collect();
        for t in [
            "vault_slot",
            "vault_lockout",
            "journal_entries",
            "journal_revisions",
            "journal_attachments",
            "appointments",
            "appointment_schedule",
            "directory_favourite",
            "documents",
            "document_files",
        ] {
            assert!(personal.contains(&t), "{t} is personal");
        }
        assert!(!personal.contains(&"meta"), "the disguise survives a wipe");
    }

    #[test]
    fn a_component_storing_an_undeclared_table_is_caught() {
        const HIDDEN: Component = Component {
            name: "careless",
            tables: &[Table::tagged("careless_notes", "careless")],
            personal_dirs: &[PersonalDir {
                dir: "careless",
                table: "careless_files",
                column: "file",
            }],
            steps: &[
                "CREATE TABLE careless_notes (id TEXT PRIMARY KEY, sealed BLOB) STRICT;
                      CREATE TABLE careless_files (file TEXT) STRICT;",
            ],
        };
        let dir = tempfile::tempdir().expect("tempdir");
        let mut all = COMPONENTS.to_vec();
        all.push(HIDDEN);
        let store = Store::open_with(dir.path(), &all).expect("open");
        let problems = declaration_problems(&store, &all);
        assert!(
            problems.contains(&"careless_files is not declared personal or public".to_owned()),
            "{problems:?}"
        );
        assert!(
            problems.contains(&"careless_notes is tagged but has no tag column".to_owned()),
            "{problems:?}"
        );
        assert!(
            problems.contains(&"careless is not named by a personal table".to_owned()),
            "{problems:?}"
        );
    }

    #[test]
    fn database_from_a_newer_build_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        Store::open_with(dir.path(), &[component(&[V1, V2])]).expect("newer build");
        let err = Store::open_with(dir.path(), &[component(&[V1])]).expect_err("older build");
        assert!(matches!(
            err,
            Error::SchemaTooNew {
                found: 2,
                supported: 1,
                ..
            }
        ));
    }

    #[test]
    fn failed_migration_step_leaves_previous_version() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = Store::open_with(dir.path(), &[component(&[V1, "THIS IS NOT SQL"])])
            .expect_err("bad step");
        assert!(matches!(err, Error::Sqlite(_)));
        let store = Store::open_with(dir.path(), &[component(&[V1])]).expect("reopen");
        assert_eq!(store.versions().expect("versions")[0].version, 1);
    }

    #[test]
    fn hardened_pragmas_are_set() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = Store::open_with(dir.path(), COMPONENTS).expect("open");
        store
            .with_conn(|c| {
                let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
                let secure: i64 = c.query_row("PRAGMA secure_delete", [], |r| r.get(0))?;
                let temp: i64 = c.query_row("PRAGMA temp_store", [], |r| r.get(0))?;
                let fk: i64 = c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
                assert_eq!(mode, "wal");
                assert_eq!(secure, 1);
                assert_eq!(temp, 2, "MEMORY");
                assert_eq!(fk, 1);
                Ok(())
            })
            .expect("pragmas");
    }
}

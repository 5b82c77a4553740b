//! The directory's tables and their migrations.

use super::favourites;
use crate::store::{Component, Table};

/// The directory's migrations.
pub const DIRECTORY: Component = Component {
    name: "directory",
    tables: &[
        Table::public("directory_state"),
        Table::public("directory_signed"),
        Table::public("directory_keyset"),
        Table::public("directory_record"),
        Table::public("directory_area"),
        Table::public("directory_fts"),
        Table::public("directory_fts_data"),
        Table::public("directory_fts_idx"),
        Table::public("directory_fts_content"),
        Table::public("directory_fts_docsize"),
        Table::public("directory_fts_config"),
        Table::public("directory_root"),
        Table::public("directory_facet"),
        Table::public("directory_name_fts"),
        Table::public("directory_name_fts_data"),
        Table::public("directory_name_fts_idx"),
        Table::public("directory_name_fts_content"),
        Table::public("directory_name_fts_docsize"),
        Table::public("directory_name_fts_config"),
        Table::public("directory_digest"),
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
        // 6: the rules the derived tables (dial actions above all) were computed under
        // (`install::DERIVED_RULES`). Rows from before this step say 0, so the first open
        // after the upgrade re-derives them from the signed bytes under today's rules.
        "ALTER TABLE directory_state ADD COLUMN derived_rules INTEGER NOT NULL DEFAULT 0;",
        // 7: search ranks by a static order instead of bm25 (see `search`): record rowids
        // follow the name order, so FTS5 hands matches over best first and a search stops
        // at its page. `directory_name_fts` indexes names alone, so "the name holds every
        // word" is its own short doclist. `directory_area_place` finds the places near a
        // point and `directory_area_filter` checks a record's country and region, both
        // without reading the table (a lookup per row would read a page per row). The
        // facet row carries the category filter as a bit mask (`search::category_mask`)
        // and the spoken languages (",en,es,"), so a candidate's filters are one lookup;
        // the category and language tables they replace are dropped (nothing reads them;
        // every install wrote them), and `directory_area_filter` covers
        // what `directory_area_record` indexed.
        // Left empty here: `install::DERIVED_RULES` 2 makes the first open re-derive every
        // table (in the new rowid order) from the signed bytes.
        "CREATE VIRTUAL TABLE directory_name_fts USING fts5(
             name,
             tokenize = 'unicode61 remove_diacritics 2',
             prefix = '2 3'
         );
         CREATE INDEX directory_area_place ON directory_area(latitude, longitude, record);
         CREATE INDEX directory_area_filter ON directory_area(record, country, region);
         ALTER TABLE directory_facet ADD COLUMN categories INTEGER NOT NULL DEFAULT 0;
         ALTER TABLE directory_facet ADD COLUMN languages TEXT NOT NULL DEFAULT '';
         DROP INDEX directory_area_record;
         DROP TABLE directory_category;
         DROP TABLE directory_language;",
        // 8: each held record's SHA-256 (of its exact signed bytes), by id: the content
        // hash needs only these, so a delta is verified against them and installed row by
        // row instead of re-verifying the held chain and rebuilding every table (see
        // `install::apply_delta`). Left empty here: `install::DERIVED_RULES` 3 makes the
        // first open re-derive every table, this one included, from the signed bytes.
        "CREATE TABLE directory_digest (
             id TEXT PRIMARY KEY,
             digest BLOB NOT NULL
         ) STRICT, WITHOUT ROWID;",
    ],
};

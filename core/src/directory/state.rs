//! The directory's state row: installed version, content hash, times, origin, the rollback
//! floor and the trusted time derived from them.

use super::install::Verified;
use super::Origin;
use crate::error::Result;
use rusqlite::{params, OptionalExtension, Transaction};

pub(super) struct State {
    pub(super) version: u64,
    pub(super) content_hash: Vec<u8>,
    pub(super) created: i64,
    pub(super) expires: i64,
    pub(super) latest_known_time: i64,
    pub(super) origin: String,
    pub(super) floor: u64,
    pub(super) clock_high: Option<i64>,
    /// The rules version the derived tables were computed under (`install::DERIVED_RULES`).
    pub(super) derived_rules: i64,
}

impl State {
    /// The trusted time: the clock, or the latest time ever seen if later — but never more
    /// than the allowed clock skew beyond the latest clock reading ever seen. Signed
    /// `created` times are bounded that way when accepted; a latest known time beyond it
    /// was pushed ahead by a future-dated bundle accepted before that bound existed, and
    /// trusting it would judge every honest update "expired".
    pub(super) fn trusted_time(&self, now: i64) -> i64 {
        let cap = self.clock_high.map_or(i64::MAX, |c| {
            c.max(now)
                .saturating_add(waypoint_format::limits::MAX_CREATED_AHEAD_S)
        });
        self.latest_known_time.min(cap).max(now)
    }

    /// The lowest version an update may carry: the held version (when it came from the
    /// trusted publishers) or the highest version ever accepted from them, if higher.
    pub(super) fn rollback_floor(&self, held_version: Option<u64>) -> Option<u64> {
        let floor = (self.floor > 0).then_some(self.floor);
        held_version.max(floor)
    }
}

pub(super) fn read_state(conn: &rusqlite::Connection) -> Result<Option<State>> {
    Ok(conn
        .query_row(
            "SELECT version, content_hash, created, expires, latest_known_time, origin,
                    floor_version, clock_high, derived_rules
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
                    derived_rules: r.get(8)?,
                })
            },
        )
        .optional()?)
}

pub(super) fn write_state(
    tx: &Transaction<'_>,
    bundle: Verified<'_>,
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
        "INSERT INTO directory_state (id, version, content_hash, created, expires, latest_known_time, origin, installed_at, floor_version, clock_high, derived_rules)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?7, ?9)
         ON CONFLICT(id) DO UPDATE SET version = excluded.version, content_hash = excluded.content_hash,
           created = excluded.created, expires = excluded.expires,
           latest_known_time = excluded.latest_known_time, origin = excluded.origin,
           installed_at = excluded.installed_at, derived_rules = excluded.derived_rules,
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
            floor,
            super::install::DERIVED_RULES
        ],
    )?;
    Ok(())
}

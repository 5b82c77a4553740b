//! The journal manifest: which entries a vault has and the revision each is at.
//!
//! Every entry row is authenticated on its own (AAD = id + revision), so a row cannot be
//! altered, but on its own it cannot say that it is *current*: someone editing the database
//! could put back an earlier full row (ciphertext and revision column together), put back
//! an entry that was deleted, or delete a row. The manifest closes that: one sealed row per
//! vault, `entry id -> latest revision` and `attachment id -> entry id`, rewritten in the same SQLite transaction as every
//! add, edit and delete (of entries and of attachments), so after a crash the manifest and the entries always agree.
//!
//! - Sealed by the vault's record sealer (kind `journal-manifest`), bound to the vault's
//!   row tag and to a counter that grows by one with every write (the counter is the
//!   sealed revision). The row is found by the vault's keyed tag: the duress decoy and the
//!   real vault each have their own manifest and never read or write the other's.
//! - Checked when the journal is loaded after unlock: a row whose revision differs from
//!   the manifest, a row the manifest does not name, and a manifest entry without a row are
//!   each set aside and counted as damaged; every other entry is listed as usual. The same
//!   for attachments: one put back after deletion is not shown, one deleted is counted.
//!   Deleting a set-aside entry or attachment removes it from the manifest (how the owner
//!   acknowledges a loss).
//! - Entry key rows are sealed at revision 1 once manifests exist (revision 0 before). A
//!   vault without a manifest whose every entry has an older key row is an upgraded one: its
//!   first unlock adopts the entries and reseals their key rows, in one transaction. Any
//!   other missing or unreadable manifest is reported (one more in the damaged count) until
//!   the next write records a new one. Key rows cannot be resealed without the vault key, so
//!   adoption cannot be forced on entries written (or adopted) under a manifest.
//!
//! Known limits (THREAT_MODEL.md): the counter lives in the same database, so putting back
//! a complete older copy of the database (manifest and rows together) is not detected; nor
//! is deleting every entry of a vault together with its manifest (that reads as an empty
//! journal); nor a rollback in an upgraded vault before its first unlock after the
//! upgrade.

use std::collections::BTreeMap;

use rusqlite::{OptionalExtension, Transaction};

use crate::error::{Error, Result};
use crate::session::Session;

/// Record kind (and row-tag kind) of the manifest.
pub(crate) const KIND_MANIFEST: &str = "journal-manifest";
const MAGIC: &[u8; 8] = b"wp-jman1";
const ID_BYTES: usize = 16;

/// The manifest as held in the session: the last counter written and each entry's revision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Manifest {
    /// How many times this vault's manifest has been written (0 = never).
    pub(crate) counter: u64,
    /// Entry id -> current revision.
    pub(crate) entries: BTreeMap<String, u64>,
    /// Attachment id -> the entry it belongs to.
    pub(crate) attachments: BTreeMap<String, String>,
}

impl Manifest {
    fn encode(&self) -> Result<zeroize::Zeroizing<Vec<u8>>> {
        let mut out = zeroize::Zeroizing::new(Vec::with_capacity(
            MAGIC.len() + 8 + self.entries.len() * (ID_BYTES + 8),
        ));
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.counter.to_le_bytes());
        out.extend_from_slice(&(self.entries.len() as u64).to_le_bytes());
        let mut raw = [0u8; ID_BYTES];
        let bad = |_| Error::Corrupt("journal manifest");
        for (id, rev) in &self.entries {
            hex::decode_to_slice(id, &mut raw).map_err(bad)?;
            out.extend_from_slice(&raw);
            out.extend_from_slice(&rev.to_le_bytes());
        }
        for (att, entry) in &self.attachments {
            hex::decode_to_slice(att, &mut raw).map_err(bad)?;
            out.extend_from_slice(&raw);
            hex::decode_to_slice(entry, &mut raw).map_err(bad)?;
            out.extend_from_slice(&raw);
        }
        Ok(out)
    }

    fn decode(bytes: &[u8]) -> Result<Self> {
        let bad = || Error::Corrupt("journal manifest");
        let rest = bytes.strip_prefix(MAGIC.as_slice()).ok_or_else(bad)?;
        let word = |at: usize| -> Result<u64> {
            let b = rest.get(at..at + 8).ok_or_else(bad)?;
            Ok(u64::from_le_bytes(b.try_into().map_err(|_| bad())?))
        };
        let counter = word(0)?;
        let n = usize::try_from(word(8)?).map_err(|_| bad())?;
        let entries_end = n
            .checked_mul(ID_BYTES + 8)
            .and_then(|l| l.checked_add(16))
            .filter(|end| *end <= rest.len())
            .ok_or_else(bad)?;
        if (rest.len() - entries_end) % (2 * ID_BYTES) != 0 {
            return Err(bad());
        }
        let mut entries = BTreeMap::new();
        for item in rest[16..entries_end].chunks_exact(ID_BYTES + 8) {
            let id = hex::encode(&item[..ID_BYTES]);
            let rev = u64::from_le_bytes(item[ID_BYTES..].try_into().map_err(|_| bad())?);
            if entries.insert(id, rev).is_some() {
                return Err(bad());
            }
        }
        let mut attachments = BTreeMap::new();
        for item in rest[entries_end..].chunks_exact(2 * ID_BYTES) {
            let att = hex::encode(&item[..ID_BYTES]);
            let entry = hex::encode(&item[ID_BYTES..]);
            if attachments.insert(att, entry).is_some() {
                return Err(bad());
            }
        }
        Ok(Self {
            counter,
            entries,
            attachments,
        })
    }

    /// This manifest with `change` applied and the counter moved on by one, sealed for
    /// `session`'s vault: what a write stores in its transaction (see [`store`]).
    pub(crate) fn next(
        &self,
        session: &Session,
        change: impl FnOnce(&mut Manifest),
    ) -> Result<Pending> {
        let mut next = self.clone();
        change(&mut next);
        next.counter = self
            .counter
            .checked_add(1)
            .ok_or(Error::Corrupt("journal manifest"))?;
        let tag = session.row_tag(KIND_MANIFEST, "")?;
        let sealed = session.sealer.seal(
            KIND_MANIFEST,
            &hex::encode(&tag),
            next.counter,
            &next.encode()?,
        )?;
        Ok(Pending {
            previous: self.counter,
            manifest: next,
            tag,
            sealed,
        })
    }
}

/// A sealed manifest waiting to be stored inside a write's transaction.
pub(crate) struct Pending {
    previous: u64,
    /// The manifest once stored; the session keeps it after the commit.
    pub(crate) manifest: Manifest,
    tag: Vec<u8>,
    sealed: Vec<u8>,
}

impl Pending {
    /// Stores the manifest in `tx`. Refuses if the stored manifest is not the one this
    /// session loaded (rolled back or replaced underneath).
    pub(crate) fn store(&self, tx: &Transaction<'_>) -> Result<()> {
        let stored: Option<i64> = tx
            .query_row(
                "SELECT counter FROM journal_manifest WHERE tag = ?1",
                [&self.tag],
                |r| r.get(0),
            )
            .optional()?;
        let stored = stored
            .map(|c| u64::try_from(c).map_err(|_| Error::Corrupt("journal manifest")))
            .transpose()?;
        match stored {
            Some(c) if c == self.previous => {}
            None if self.previous == 0 => {}
            _ => return Err(Error::Corrupt("journal manifest changed underneath")),
        }
        let counter =
            i64::try_from(self.manifest.counter).map_err(|_| Error::Corrupt("journal manifest"))?;
        tx.execute(
            "INSERT INTO journal_manifest (tag, counter, sealed) VALUES (?1, ?2, ?3)
             ON CONFLICT(tag) DO UPDATE SET counter = excluded.counter, sealed = excluded.sealed",
            rusqlite::params![self.tag, counter, self.sealed],
        )?;
        Ok(())
    }
}

/// What loading found: the manifest to check rows against, and whether it could be trusted.
pub(crate) enum Loaded {
    /// The vault's sealed manifest, opened and authenticated.
    Found(Manifest),
    /// No manifest, or one that failed authentication (`stored_counter` is then its
    /// counter column, so the next write replaces it): the caller decides between adoption
    /// (entries listed by the upgrade) and reporting it.
    Missing {
        /// The counter column of an unreadable manifest row, if there was a row.
        stored_counter: Option<u64>,
    },
}

/// Reads and opens this vault's manifest.
pub(crate) fn load(conn: &rusqlite::Connection, session: &Session) -> Result<Loaded> {
    let tag = session.row_tag(KIND_MANIFEST, "")?;
    let row: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT counter, sealed FROM journal_manifest WHERE tag = ?1",
            [&tag],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((counter, sealed)) = row else {
        return Ok(Loaded::Missing {
            stored_counter: None,
        });
    };
    let Ok(counter) = u64::try_from(counter) else {
        return Ok(Loaded::Missing {
            stored_counter: Some(0),
        });
    };
    let opened = session
        .sealer
        .open(KIND_MANIFEST, &hex::encode(&tag), counter, &sealed)
        .and_then(|plain| Manifest::decode(&plain));
    match opened {
        Ok(m) if m.counter == counter => Ok(Loaded::Found(m)),
        _ => Ok(Loaded::Missing {
            stored_counter: Some(counter),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_round_trips_and_rejects_garbage() {
        let mut m = Manifest {
            counter: 7,
            ..Manifest::default()
        };
        m.entries.insert("0".repeat(32), 3);
        m.entries.insert("ab".repeat(16), 1);
        m.attachments.insert("cd".repeat(16), "ab".repeat(16));
        let bytes = m.encode().expect("encode");
        assert_eq!(Manifest::decode(&bytes).expect("decode"), m);
        // (The sealing authenticates the bytes; decoding only has to never misread them.)
        for len in 0..bytes.len() {
            assert!(
                Manifest::decode(&bytes[..len]).map_or(true, |d| d != m),
                "truncated to {len}"
            );
        }
        assert!(Manifest::decode(b"not a manifest").is_err());
        let mut dup = bytes.to_vec();
        dup.extend_from_slice(&bytes[bytes.len() - 32..]);
        assert!(Manifest::decode(&dup).is_err(), "duplicate attachment");
    }
}

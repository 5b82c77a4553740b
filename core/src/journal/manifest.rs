//! Rollback-protection manifests: which records a vault has and the revision each is at.
//! Written for the journal first; the documents and the safety plan keep one each with the
//! same code ([`Spec`] names the table, the record kind and the encoding's magic).
//!
//! Every record row is authenticated on its own (AAD = id + revision), so a row cannot be
//! altered, but on its own it cannot say that it is *current*: someone editing the database
//! could put back an earlier full row (ciphertext and revision column together), put back
//! a record that was deleted, or delete a row. The manifest closes that: one sealed row per
//! vault and per capability, `record id -> latest revision` (and, for the journal,
//! `attachment id -> entry id`), rewritten in the same SQLite transaction as every add, edit
//! and delete, so after a crash the manifest and the rows always agree.
//!
//! - Sealed by the vault's record sealer (kind [`Spec::kind`]), bound to the vault's row
//!   tag and to a counter that grows by one with every write (the counter is the sealed
//!   revision). The row is found by the vault's keyed tag: the duress decoy and the real
//!   vault each have their own manifest and never read or write the other's.
//! - Checked when the capability first loads after unlock ([`compare`]): a row whose
//!   revision differs from the manifest, a row the manifest does not name, and a manifest
//!   entry without a row are each set aside and counted as damaged; every other record is
//!   listed as usual. Deleting a set-aside record removes it from the manifest (how the
//!   owner acknowledges a loss).
//! - Rows are sealed differently once manifests exist (the journal's and the documents' key
//!   rows at revision 1, the safety plan under its own id), so a vault without a manifest
//!   whose every row is of the older form is an upgraded one: its first unlock adopts them
//!   ([`Verdict::Adopt`]). Any other missing or unreadable manifest is reported (one more in
//!   the damaged count) until the next write records a new one.
//!
//! Known limits (THREAT_MODEL.md): the counter lives in the same database, so putting back
//! a complete older copy of the database (manifest and rows together) is not detected; nor
//! is deleting every record of a vault together with its manifest (that reads as empty);
//! nor a rollback in an upgraded vault before its first unlock after the upgrade.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{OptionalExtension, Transaction};

use crate::error::{Error, Result};
use crate::session::Session;

/// Which manifest: where it is stored and how it is sealed and encoded.
#[derive(Debug)]
pub(crate) struct Spec {
    /// Table holding one row per vault: `(tag BLOB PRIMARY KEY, counter INTEGER, sealed BLOB)`.
    pub(crate) table: &'static str,
    /// Record kind (and row-tag kind) of the manifest.
    pub(crate) kind: &'static str,
    /// First bytes of the encoded manifest.
    pub(crate) magic: &'static [u8; 8],
    /// How errors name it ("journal manifest").
    pub(crate) what: &'static str,
}

/// The journal's manifest.
pub(crate) const JOURNAL: Spec = Spec {
    table: "journal_manifest",
    kind: "journal-manifest",
    magic: b"wp-jman1",
    what: "journal manifest",
};

/// Record id of a capability with one record per vault (the safety plan) in its manifest.
pub(crate) const SINGLE_RECORD_ID: &str = "00000000000000000000000000000000";

const ID_BYTES: usize = 16;

/// The manifest as held in the session: the last counter written and each record's revision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Manifest {
    /// How many times this vault's manifest has been written (0 = never).
    pub(crate) counter: u64,
    /// Record id -> current revision.
    pub(crate) entries: BTreeMap<String, u64>,
    /// Journal attachment id -> the entry it belongs to (empty for the other capabilities).
    pub(crate) attachments: BTreeMap<String, String>,
}

impl Manifest {
    fn encode(&self, spec: &Spec) -> Result<zeroize::Zeroizing<Vec<u8>>> {
        let mut out = zeroize::Zeroizing::new(Vec::with_capacity(
            spec.magic.len()
                + 16
                + self.entries.len() * (ID_BYTES + 8)
                + self.attachments.len() * 2 * ID_BYTES,
        ));
        out.extend_from_slice(spec.magic);
        out.extend_from_slice(&self.counter.to_le_bytes());
        out.extend_from_slice(&(self.entries.len() as u64).to_le_bytes());
        let mut raw = [0u8; ID_BYTES];
        let bad = |_| Error::Corrupt(spec.what);
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

    fn decode(spec: &Spec, bytes: &[u8]) -> Result<Self> {
        let bad = || Error::Corrupt(spec.what);
        let rest = bytes.strip_prefix(spec.magic.as_slice()).ok_or_else(bad)?;
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
    /// `session`'s vault: what a write stores in its transaction (see [`Pending::store`]).
    pub(crate) fn next(
        &self,
        spec: &'static Spec,
        session: &Session,
        change: impl FnOnce(&mut Manifest),
    ) -> Result<Pending> {
        let mut next = self.clone();
        change(&mut next);
        next.counter = self
            .counter
            .checked_add(1)
            .ok_or(Error::Corrupt(spec.what))?;
        let tag = session.row_tag(spec.kind, "")?;
        let sealed = session.sealer.seal(
            spec.kind,
            &hex::encode(&tag),
            next.counter,
            &next.encode(spec)?,
        )?;
        Ok(Pending {
            spec,
            previous: self.counter,
            manifest: next,
            tag,
            sealed,
        })
    }
}

/// A sealed manifest waiting to be stored inside a write's transaction.
pub(crate) struct Pending {
    spec: &'static Spec,
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
        let spec = self.spec;
        let stored: Option<i64> = tx
            .query_row(
                &format!("SELECT counter FROM \"{}\" WHERE tag = ?1", spec.table),
                [&self.tag],
                |r| r.get(0),
            )
            .optional()?;
        let stored = stored
            .map(|c| u64::try_from(c).map_err(|_| Error::Corrupt(spec.what)))
            .transpose()?;
        match stored {
            Some(c) if c == self.previous => {}
            None if self.previous == 0 => {}
            _ => return Err(Error::Corrupt("manifest changed underneath")),
        }
        let counter =
            i64::try_from(self.manifest.counter).map_err(|_| Error::Corrupt(spec.what))?;
        tx.execute(
            &format!(
                "INSERT INTO \"{}\" (tag, counter, sealed) VALUES (?1, ?2, ?3)
                 ON CONFLICT(tag) DO UPDATE SET counter = excluded.counter, sealed = excluded.sealed",
                spec.table
            ),
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
    /// (rows written before manifests) and reporting it ([`verdict`]).
    Missing {
        /// The counter column of an unreadable manifest row, if there was a row.
        stored_counter: Option<u64>,
    },
}

/// Reads and opens this vault's manifest.
pub(crate) fn load(
    conn: &rusqlite::Connection,
    spec: &'static Spec,
    session: &Session,
) -> Result<Loaded> {
    let tag = session.row_tag(spec.kind, "")?;
    let row: Option<(i64, Vec<u8>)> = conn
        .query_row(
            &format!(
                "SELECT counter, sealed FROM \"{}\" WHERE tag = ?1",
                spec.table
            ),
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
        .open(spec.kind, &hex::encode(&tag), counter, &sealed)
        .and_then(|plain| Manifest::decode(spec, &plain));
    match opened {
        Ok(m) if m.counter == counter => Ok(Loaded::Found(m)),
        _ => Ok(Loaded::Missing {
            stored_counter: Some(counter),
        }),
    }
}

/// What to do when a vault has no manifest (or an unreadable one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Nothing was ever written: nothing to check, nothing to report.
    Fresh,
    /// Every row predates manifests: record them now (and reseal them as written under a
    /// manifest, in the same transaction).
    Adopt,
    /// The manifest was removed or damaged: nothing can be checked; report it (one damaged
    /// item) until the next write records a new manifest.
    Lost,
}

/// The verdict for a missing manifest, given whether the vault has rows and whether every
/// one of them was sealed before manifests existed.
pub(crate) fn verdict(stored_counter: Option<u64>, has_rows: bool, all_adoptable: bool) -> Verdict {
    if stored_counter.is_none() && has_rows && all_adoptable {
        Verdict::Adopt
    } else if stored_counter.is_some() || has_rows {
        Verdict::Lost
    } else {
        Verdict::Fresh
    }
}

/// The manifest to go on with when it is missing: the rows as found, at the stored counter
/// (so the next write replaces an unreadable row).
pub(crate) fn from_rows(
    stored_counter: Option<u64>,
    entries: BTreeMap<String, u64>,
    attachments: BTreeMap<String, String>,
) -> Manifest {
    Manifest {
        counter: stored_counter.unwrap_or(0),
        entries,
        attachments,
    }
}

/// The ids of this vault's rows that disagree with the manifest: present at another
/// revision than it records, or not named by it (put back after deletion), and those it
/// names that have no row (deleted). Every other row is current.
pub(crate) fn compare(m: &Manifest, present: &BTreeMap<String, u64>) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = present
        .iter()
        .filter(|(id, rev)| m.entries.get(*id) != Some(rev))
        .map(|(id, _)| id.clone())
        .collect();
    out.extend(
        m.entries
            .keys()
            .filter(|id| !present.contains_key(*id))
            .cloned(),
    );
    out
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
        let bytes = m.encode(&JOURNAL).expect("encode");
        assert_eq!(Manifest::decode(&JOURNAL, &bytes).expect("decode"), m);
        // (The sealing authenticates the bytes; decoding only has to never misread them.)
        for len in 0..bytes.len() {
            assert!(
                Manifest::decode(&JOURNAL, &bytes[..len]).map_or(true, |d| d != m),
                "truncated to {len}"
            );
        }
        assert!(Manifest::decode(&JOURNAL, b"not a manifest").is_err());
        let mut dup = bytes.to_vec();
        dup.extend_from_slice(&bytes[bytes.len() - 32..]);
        assert!(
            Manifest::decode(&JOURNAL, &dup).is_err(),
            "duplicate attachment"
        );
    }
}

//! Favourites and private notes on resources. Which help line someone saved, and what they
//! wrote about it, is personal: each favourite is sealed with the vault's record sealer
//! (XChaCha20-Poly1305, padded, bound to kind|id|revision) and the row holds only a random
//! id, a revision and ciphertext. Nothing readable while locked.

use rand::RngCore;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use crate::crypto::RecordSealer;
use crate::error::{Error, Result};
use crate::store::Store;

const KIND: &str = "directory.favourite";
const MAX_NOTE: usize = 4096;

/// A saved resource. `Debug` hides the resource id and note.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Favourite {
    /// Random id of the favourite (not the resource id).
    pub id: String,
    /// The resource saved.
    pub resource_id: String,
    /// The survivor's private note.
    pub note: String,
    /// When it was saved (Unix ms).
    pub added_at_ms: i64,
}

impl std::fmt::Debug for Favourite {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Favourite")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Drop for Favourite {
    fn drop(&mut self) {
        self.note.zeroize();
        self.resource_id.zeroize();
    }
}

#[derive(Serialize, Deserialize)]
struct Sealed {
    resource_id: String,
    note: String,
    added_at_ms: i64,
}

fn seal(sealer: &RecordSealer, id: &str, revision: u64, body: &Sealed) -> Result<Vec<u8>> {
    let mut plain = serde_json::to_vec(body).map_err(|_| Error::Crypto("favourite encoding"))?;
    let out = sealer.seal(KIND, id, revision, &plain);
    plain.zeroize();
    out
}

/// Saves `resource_id` (which must exist in the directory) with a private note.
pub fn add(
    store: &Store,
    sealer: &RecordSealer,
    resource_id: &str,
    note: &str,
    now_ms: i64,
) -> Result<Favourite> {
    if note.len() > MAX_NOTE {
        return Err(Error::invalid("note", "longer than 4096 bytes"));
    }
    let exists: bool = store.with_conn(|c| {
        Ok(c.query_row(
            "SELECT 1 FROM directory_record WHERE id = ?1",
            [resource_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
    })?;
    if !exists {
        return Err(Error::NotFound);
    }
    let mut raw = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let id = hex::encode(raw);
    let body = Sealed {
        resource_id: resource_id.to_owned(),
        note: note.to_owned(),
        added_at_ms: now_ms,
    };
    let sealed = seal(sealer, &id, 1, &body)?;
    store.transaction(|tx| {
        tx.execute(
            "INSERT INTO directory_favourite (id, revision, sealed) VALUES (?1, 1, ?2)",
            params![id, sealed],
        )?;
        Ok(())
    })?;
    Ok(Favourite {
        id,
        resource_id: body.resource_id.clone(),
        note: body.note.clone(),
        added_at_ms: now_ms,
    })
}

/// Every favourite, newest first.
pub fn list(store: &Store, sealer: &RecordSealer) -> Result<Vec<Favourite>> {
    let rows: Vec<(String, i64, Vec<u8>)> = store.with_conn(|c| {
        let mut stmt = c.prepare("SELECT id, revision, sealed FROM directory_favourite")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, revision, sealed) in rows {
        let plain = sealer.open(KIND, &id, revision as u64, &sealed)?;
        let body: Sealed =
            serde_json::from_slice(&plain).map_err(|_| Error::Corrupt("favourite"))?;
        out.push(Favourite {
            id,
            resource_id: body.resource_id.clone(),
            note: body.note.clone(),
            added_at_ms: body.added_at_ms,
        });
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.added_at_ms));
    Ok(out)
}

/// Replaces a favourite's note (new revision, re-sealed).
pub fn set_note(store: &Store, sealer: &RecordSealer, id: &str, note: &str) -> Result<()> {
    if note.len() > MAX_NOTE {
        return Err(Error::invalid("note", "longer than 4096 bytes"));
    }
    store.transaction(|tx| {
        let (revision, sealed): (i64, Vec<u8>) = tx
            .query_row(
                "SELECT revision, sealed FROM directory_favourite WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?
            .ok_or(Error::NotFound)?;
        let plain = sealer.open(KIND, id, revision as u64, &sealed)?;
        let mut body: Sealed =
            serde_json::from_slice(&plain).map_err(|_| Error::Corrupt("favourite"))?;
        body.note = note.to_owned();
        let next = revision as u64 + 1;
        let resealed = seal(sealer, id, next, &body)?;
        body.note.zeroize();
        tx.execute(
            "UPDATE directory_favourite SET revision = ?2, sealed = ?3 WHERE id = ?1",
            params![id, next as i64, resealed],
        )?;
        Ok(())
    })
}

/// Deletes a favourite (secure_delete zeroes the freed page).
pub fn remove(store: &Store, id: &str) -> Result<()> {
    let n = store
        .transaction(|tx| Ok(tx.execute("DELETE FROM directory_favourite WHERE id = ?1", [id])?))?;
    if n == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

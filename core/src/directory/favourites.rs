//! Favourites and private notes on resources. Which help line someone saved, and what they
//! wrote about it, is personal: each favourite is sealed with the vault's record sealer
//! (XChaCha20-Poly1305, padded, bound to kind|id|revision) and the row holds only a random
//! id, a revision, the ciphertext and a keyed row tag (`VaultKeys::row_tag(KIND, id)`)
//! that says which vault wrote it without linking rows to each other. Each vault (the real
//! one and the duress decoy) lists, edits and removes only its own favourites; the other
//! vault's rows are passed over as if absent. Nothing readable while locked.
//!
//! Rows written before favourites were tagged have no tag; the first vault that can open
//! one claims it by writing its tag, and the other vault passes over it.

use rand::RngCore;
use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};
use zeroize::Zeroize;

use crate::crypto::RecordSealer;
use crate::error::{Error, Result};
use crate::session::Session;
use crate::store::Store;

/// Record kind (sealer and row tags) of favourites.
pub const KIND: &str = "directory.favourite";
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

fn open(sealer: &RecordSealer, id: &str, revision: i64, sealed: &[u8]) -> Result<Sealed> {
    let revision = u64::try_from(revision).map_err(|_| Error::Corrupt("favourite"))?;
    let plain = sealer.open(KIND, id, revision, sealed)?;
    serde_json::from_slice(&plain).map_err(|_| Error::Corrupt("favourite"))
}

/// Whose a row is, as this session sees it.
enum Owner {
    /// Tagged by this vault.
    Mine,
    /// Written before favourites were tagged; owner unknown until one vault opens it.
    Untagged,
    /// The other vault's.
    Other,
}

fn owner(session: &Session, id: &str, tag: Option<&[u8]>) -> Result<Owner> {
    Ok(match tag {
        None => Owner::Untagged,
        Some(t) if t == session.row_tag(KIND, id)?.as_slice() => Owner::Mine,
        Some(_) => Owner::Other,
    })
}

/// Saves `resource_id` (which must exist in the directory) with a private note.
pub fn add(
    store: &Store,
    session: &Session,
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
    let sealed = seal(&session.sealer, &id, 1, &body)?;
    let tag = session.row_tag(KIND, &id)?;
    store.transaction(|tx| {
        tx.execute(
            "INSERT INTO directory_favourite (id, revision, sealed, tag) VALUES (?1, 1, ?2, ?3)",
            params![id, sealed, tag],
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

/// This vault's favourites, newest first. Untagged rows this vault can open are claimed.
pub fn list(store: &Store, session: &Session) -> Result<Vec<Favourite>> {
    type Row = (String, i64, Vec<u8>, Option<Vec<u8>>);
    let rows: Vec<Row> = store.with_conn(|c| {
        let mut stmt = c.prepare("SELECT id, revision, sealed, tag FROM directory_favourite")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    })?;
    let mut out = Vec::with_capacity(rows.len());
    let mut claimed = Vec::new();
    for (id, revision, sealed, tag) in rows {
        let body = match owner(session, &id, tag.as_deref())? {
            Owner::Other => continue,
            Owner::Mine => open(&session.sealer, &id, revision, &sealed)?,
            Owner::Untagged => match open(&session.sealer, &id, revision, &sealed) {
                Ok(body) => {
                    claimed.push((session.row_tag(KIND, &id)?, id.clone()));
                    body
                }
                // The other vault's, from before rows were tagged.
                Err(_) => continue,
            },
        };
        out.push(Favourite {
            id,
            resource_id: body.resource_id.clone(),
            note: body.note.clone(),
            added_at_ms: body.added_at_ms,
        });
    }
    if !claimed.is_empty() {
        store.transaction(|tx| {
            for (tag, id) in &claimed {
                tx.execute(
                    "UPDATE directory_favourite SET tag = ?1 WHERE id = ?2 AND tag IS NULL",
                    params![tag, id],
                )?;
            }
            Ok(())
        })?;
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.added_at_ms));
    Ok(out)
}

/// Replaces a favourite's note (new revision, re-sealed). Another vault's favourite is
/// [`Error::NotFound`].
pub fn set_note(store: &Store, session: &Session, id: &str, note: &str) -> Result<()> {
    if note.len() > MAX_NOTE {
        return Err(Error::invalid("note", "longer than 4096 bytes"));
    }
    let mine = session.row_tag(KIND, id)?;
    store.transaction(|tx| {
        let (revision, sealed, tag): (i64, Vec<u8>, Option<Vec<u8>>) = tx
            .query_row(
                "SELECT revision, sealed, tag FROM directory_favourite WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or(Error::NotFound)?;
        let mut body = match tag {
            Some(t) if t != mine => return Err(Error::NotFound),
            Some(_) => open(&session.sealer, id, revision, &sealed)?,
            None => open(&session.sealer, id, revision, &sealed).map_err(|_| Error::NotFound)?,
        };
        body.note = note.to_owned();
        let next = u64::try_from(revision).map_err(|_| Error::Corrupt("favourite"))? + 1;
        let resealed = seal(&session.sealer, id, next, &body)?;
        body.note.zeroize();
        tx.execute(
            "UPDATE directory_favourite SET revision = ?2, sealed = ?3, tag = ?4 WHERE id = ?1",
            params![id, next as i64, resealed, mine],
        )?;
        Ok(())
    })
}

/// Deletes one of this vault's favourites (secure_delete zeroes the freed page). Another
/// vault's favourite is [`Error::NotFound`] and stays.
pub fn remove(store: &Store, session: &Session, id: &str) -> Result<()> {
    let mine = session.row_tag(KIND, id)?;
    store.transaction(|tx| {
        let row: Option<(i64, Vec<u8>, Option<Vec<u8>>)> = tx
            .query_row(
                "SELECT revision, sealed, tag FROM directory_favourite WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let Some((revision, sealed, tag)) = row else {
            return Err(Error::NotFound);
        };
        let is_mine = match tag {
            Some(t) => t == mine,
            None => open(&session.sealer, id, revision, &sealed).is_ok(),
        };
        if !is_mine {
            return Err(Error::NotFound);
        }
        tx.execute("DELETE FROM directory_favourite WHERE id = ?1", [id])?;
        Ok(())
    })
}

//! Advocate accounts, API tokens and the audit log.
//!
//! Advocates are the only people the server knows about; survivors never have an account
//! and nothing a phone sends is stored. A token is shown once when it is created
//! (`wpt_<id>_<secret>`); the server keeps only the id (to find the row) and an argon2 hash
//! of the whole token, so a copy of the database does not let anyone act as an advocate.

use std::fmt;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;
use rusqlite::{params, OptionalExtension};

use crate::db::{Db, DbError};

/// What an advocate may do. Each role includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Creates, updates and deletes resources in the draft.
    Editor,
    /// Also freezes drafts into candidate bundles and uploads signatures.
    Publisher,
    /// Also proposes keysets and reads the audit log.
    Admin,
}

impl Role {
    /// The name stored in the database and accepted on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Editor => "editor",
            Role::Publisher => "publisher",
            Role::Admin => "admin",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "editor" => Ok(Role::Editor),
            "publisher" => Ok(Role::Publisher),
            "admin" => Ok(Role::Admin),
            _ => Err("role must be editor, publisher or admin".to_owned()),
        }
    }
}

/// An authenticated advocate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Advocate {
    /// Unique name (e.g. an e-mail or handle chosen by the admin).
    pub name: String,
    /// Role.
    pub role: Role,
    /// Creation time, unix ms.
    pub created_ms: i64,
    /// Revocation time, unix ms, if revoked.
    pub revoked_ms: Option<i64>,
}

/// A freshly created token. Shown once; its `Debug` output is redacted.
pub struct NewToken(pub String);

impl fmt::Debug for NewToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewToken(<redacted>)")
    }
}

/// Errors of advocate management.
#[derive(Debug, thiserror::Error)]
pub enum AdvocateError {
    /// Database failure.
    #[error(transparent)]
    Db(#[from] DbError),
    /// The name is taken.
    #[error("an advocate with that name already exists")]
    NameTaken,
    /// No such advocate.
    #[error("no such advocate")]
    NotFound,
    /// The name is not acceptable.
    #[error("name must be 1-100 printable characters")]
    BadName,
    /// Hashing failed.
    #[error("token hashing failed")]
    Hash,
}

/// The argon2 instance used for tokens. Tests use cheap parameters; everything else uses
/// the crate's defaults (Argon2id, 19 MiB, 2 passes — OWASP's recommendation).
pub fn hasher() -> Argon2<'static> {
    #[cfg(test)]
    {
        let params = argon2::Params::new(8, 1, 1, None).expect("valid cheap params");
        Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
    }
    #[cfg(not(test))]
    {
        Argon2::default()
    }
}

fn validate_name(name: &str) -> Result<(), AdvocateError> {
    let ok = !name.trim().is_empty()
        && name.chars().count() <= 100
        && name.chars().all(|c| !c.is_control());
    if ok {
        Ok(())
    } else {
        Err(AdvocateError::BadName)
    }
}

/// Creates an advocate and returns their token (shown once).
pub fn add(
    db: &Db,
    name: &str,
    role: Role,
    now_ms: i64,
    by: &str,
) -> Result<NewToken, AdvocateError> {
    validate_name(name)?;
    let mut id = [0u8; 8];
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut id);
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let token_id = hex::encode(id);
    let token = format!("wpt_{token_id}_{}", hex::encode(secret));
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    let hash = hasher()
        .hash_password(token.as_bytes(), &salt)
        .map_err(|_| AdvocateError::Hash)?
        .to_string();
    let inserted = db.with(|c| {
        let tx = c.unchecked_transaction()?;
        let n = tx.execute(
            "INSERT INTO advocates (name, role, token_id, token_hash, created_ms) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(name) DO NOTHING",
            params![name, role.as_str(), token_id, hash, now_ms],
        )?;
        if n == 1 {
            audit_in(&tx, now_ms, by, "advocate.add", &format!("{name} as {}", role.as_str()))?;
        }
        tx.commit()?;
        Ok(n)
    })?;
    if inserted == 0 {
        return Err(AdvocateError::NameTaken);
    }
    Ok(NewToken(token))
}

/// Revokes an advocate's token. Idempotent for an already revoked advocate.
pub fn revoke(db: &Db, name: &str, now_ms: i64, by: &str) -> Result<(), AdvocateError> {
    let n = db.with(|c| {
        let tx = c.unchecked_transaction()?;
        let n = tx.execute(
            "UPDATE advocates SET revoked_ms = COALESCE(revoked_ms, ?2) WHERE name = ?1",
            params![name, now_ms],
        )?;
        if n == 1 {
            audit_in(&tx, now_ms, by, "advocate.revoke", name)?;
        }
        tx.commit()?;
        Ok(n)
    })?;
    if n == 0 {
        return Err(AdvocateError::NotFound);
    }
    Ok(())
}

/// Every advocate, oldest first.
pub fn list(db: &Db) -> Result<Vec<Advocate>, DbError> {
    db.with(|c| {
        let mut stmt =
            c.prepare("SELECT name, role, created_ms, revoked_ms FROM advocates ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            let role: String = r.get(1)?;
            Ok(Advocate {
                name: r.get(0)?,
                role: role.parse().unwrap_or(Role::Editor),
                created_ms: r.get(2)?,
                revoked_ms: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    })
}

/// Checks a bearer token; `Ok(None)` when it is unknown, malformed, revoked or wrong.
#[cfg(test)]
pub fn authenticate(db: &Db, token: &str) -> Result<Option<Advocate>, DbError> {
    Ok(check_token(db, token)?.advocate)
}

/// The result of checking a bearer token.
#[derive(Debug)]
pub struct TokenCheck {
    /// The advocate, when the token is valid and not revoked.
    pub advocate: Option<Advocate>,
    /// The token id, when it names an existing advocate (valid token or not): the key the
    /// login limiter counts failures under, so guessing one advocate's token never locks
    /// out another.
    pub known_id: Option<String>,
}

/// Checks a bearer token at constant cost: the argon2 comparison is constant-time and an
/// unknown or malformed id still costs one hash, so neither timing nor the limiter reveals
/// which ids exist.
pub fn check_token(db: &Db, token: &str) -> Result<TokenCheck, DbError> {
    let token_id = token
        .strip_prefix("wpt_")
        .and_then(|rest| rest.split_once('_'))
        .map(|(id, _)| id.to_owned());
    let row = match &token_id {
        Some(id) => db.with(|c| {
            Ok(c.query_row(
                "SELECT name, role, created_ms, revoked_ms, token_hash FROM advocates WHERE token_id = ?1",
                params![id],
                |r| {
                    let role: String = r.get(1)?;
                    Ok((
                        Advocate {
                            name: r.get(0)?,
                            role: role.parse().unwrap_or(Role::Editor),
                            created_ms: r.get(2)?,
                            revoked_ms: r.get(3)?,
                        },
                        r.get::<_, String>(4)?,
                    ))
                },
            )
            .optional()?)
        })?,
        None => None,
    };
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$2Yy8mLqkI1S7l2pVjCg5aQ3x3nS3kW6n9QY1o0b7S1A";
    let (advocate, hash) = match row {
        Some((a, h)) => (Some(a), h),
        None => (None, DUMMY.to_owned()),
    };
    let known_id = advocate.as_ref().and(token_id);
    let ok = PasswordHash::new(&hash)
        .map(|parsed| hasher().verify_password(token.as_bytes(), &parsed).is_ok())
        .unwrap_or(false);
    Ok(TokenCheck {
        advocate: advocate.filter(|a| ok && a.revoked_ms.is_none()),
        known_id,
    })
}

/// One audit log entry.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditEntry {
    /// When, unix ms.
    pub at_ms: i64,
    /// Which advocate (or `cli` for the operator's shell).
    pub advocate: String,
    /// What they did, e.g. `draft.put`.
    pub action: String,
    /// What it was done to (a resource id, a version, an advocate name).
    pub subject: String,
}

/// Appends to the audit log inside the caller's transaction.
pub fn audit_in(
    conn: &rusqlite::Connection,
    at_ms: i64,
    advocate: &str,
    action: &str,
    subject: &str,
) -> Result<(), DbError> {
    conn.execute(
        "INSERT INTO audit (at_ms, advocate, action, subject) VALUES (?1, ?2, ?3, ?4)",
        params![at_ms, advocate, action, subject],
    )?;
    Ok(())
}

/// The newest `limit` audit entries, newest first.
pub fn audit_log(db: &Db, limit: u32) -> Result<Vec<AuditEntry>, DbError> {
    db.with(|c| {
        let mut stmt = c.prepare(
            "SELECT at_ms, advocate, action, subject FROM audit ORDER BY id DESC LIMIT ?1",
        )?;
        let rows = stmt.query_map(params![limit], |r| {
            Ok(AuditEntry {
                at_ms: r.get(0)?,
                advocate: r.get(1)?,
                action: r.get(2)?,
                subject: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = Db::open(dir.path()).expect("open");
        (dir, db)
    }

    #[test]
    fn token_authenticates_until_revoked() {
        let (_d, db) = db();
        let token = add(&db, "ana", Role::Publisher, 1, "cli").expect("add");
        let who = authenticate(&db, &token.0).expect("auth").expect("valid");
        assert_eq!(who.name, "ana");
        assert_eq!(who.role, Role::Publisher);
        revoke(&db, "ana", 2, "cli").expect("revoke");
        assert!(authenticate(&db, &token.0).expect("auth").is_none());
    }

    #[test]
    fn wrong_or_malformed_tokens_are_refused() {
        let (_d, db) = db();
        let token = add(&db, "ana", Role::Editor, 1, "cli").expect("add");
        let mut forged = token.0.clone();
        forged.pop();
        forged.push('x');
        assert!(authenticate(&db, &forged).expect("auth").is_none());
        assert!(authenticate(&db, "garbage").expect("auth").is_none());
        assert!(authenticate(&db, "wpt_0000_1111").expect("auth").is_none());
    }

    #[test]
    fn database_holds_only_a_hash_of_the_token() {
        let (_d, db) = db();
        let token = add(&db, "ana", Role::Editor, 1, "cli").expect("add");
        let stored: String = db
            .with(|c| Ok(c.query_row("SELECT token_hash FROM advocates", [], |r| r.get(0))?))
            .expect("read");
        assert!(stored.starts_with("$argon2id$"));
        let secret = token.0.rsplit('_').next().expect("secret part");
        assert!(!stored.contains(secret));
        assert_eq!(format!("{token:?}"), "NewToken(<redacted>)");
    }

    #[test]
    fn duplicate_names_and_unknown_revokes_are_errors_and_audited_changes_are_logged() {
        let (_d, db) = db();
        add(&db, "ana", Role::Admin, 1, "cli").expect("add");
        assert!(matches!(
            add(&db, "ana", Role::Editor, 2, "cli"),
            Err(AdvocateError::NameTaken)
        ));
        assert!(matches!(
            revoke(&db, "bob", 3, "cli"),
            Err(AdvocateError::NotFound)
        ));
        assert!(matches!(
            add(&db, " ", Role::Editor, 2, "cli"),
            Err(AdvocateError::BadName)
        ));
        let log = audit_log(&db, 10).expect("audit");
        assert_eq!(log.len(), 1);
        assert_eq!(log[0].action, "advocate.add");
        assert_eq!(list(&db).expect("list").len(), 1);
    }
}

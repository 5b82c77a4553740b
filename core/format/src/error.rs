//! Errors from parsing and verifying directory data. Every message is a fixed phrase plus
//! numbers or record ids (directory data is public; no personal data ever reaches here).

/// Why a keyset, bundle, delta or manifest was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FormatError {
    /// The input is larger than the cap for its kind; nothing was parsed.
    #[error("{kind} is {len} bytes, larger than the {max}-byte limit")]
    Oversize {
        /// What was being read.
        kind: &'static str,
        /// Its length.
        len: usize,
        /// The cap.
        max: usize,
    },
    /// The bytes are not a well-formed document of the expected kind.
    #[error("malformed {kind}: {reason}")]
    Malformed {
        /// What was being read.
        kind: &'static str,
        /// What was wrong.
        reason: String,
    },
    /// The envelope holds a different payload type than the one asked for.
    #[error("expected a {expected} envelope, found {found}")]
    WrongPayloadType {
        /// Expected type.
        expected: &'static str,
        /// Type found.
        found: String,
    },
    /// Fewer distinct valid signatures than the threshold.
    #[error("too few valid signatures: {valid} of the {threshold} required")]
    TooFewSignatures {
        /// Distinct valid signatures from known keys.
        valid: usize,
        /// Threshold.
        threshold: usize,
    },
    /// Two signatures (or two keys of a keyset) carry the same key id.
    #[error("duplicate key id {0}")]
    DuplicateKeyId(String),
    /// A signature names a key that the trusted keyset does not list.
    #[error("signature by unknown key {0}")]
    UnknownKey(String),
    /// A signature from a listed key does not verify over the exact payload bytes.
    #[error("invalid signature by key {0}")]
    InvalidSignature(String),
    /// The offered version is older than what is already trusted.
    #[error("rollback refused: offered version {offered}, current version {current}")]
    Rollback {
        /// Version already trusted.
        current: u64,
        /// Version offered.
        offered: u64,
    },
    /// The document expired (judged against the latest time ever seen, not just the clock).
    #[error("expired at {expires} (now {now})")]
    Expired {
        /// Expiry, Unix seconds.
        expires: i64,
        /// The time it was judged against, Unix seconds.
        now: i64,
    },
    /// The document claims to be created later than the trusted time (plus the allowed
    /// clock skew) or after the keyset's own expiry. Accepting it would push the client's
    /// latest known time ahead and make every later, honest update look expired.
    #[error("created at {created}, later than the latest acceptable time {limit}")]
    CreatedInFuture {
        /// The document's `created`, Unix seconds.
        created: i64,
        /// The latest acceptable creation time, Unix seconds.
        limit: i64,
    },
    /// The content hash recomputed from the records does not match the signed one.
    #[error("content hash does not match the signed hash")]
    ContentHashMismatch,
    /// A delta was built on a different version or content than the one held.
    #[error("delta base is version {delta_base}, but version {held} is held")]
    DeltaBaseMismatch {
        /// Base the delta expects.
        delta_base: u64,
        /// Version the client holds.
        held: u64,
    },
    /// A rotated keyset is not the next version of the trusted one.
    #[error("keyset version {offered} does not follow trusted version {current}")]
    KeysetVersion {
        /// Trusted keyset version.
        current: u64,
        /// Offered keyset version.
        offered: u64,
    },
    /// A record breaks a structural rule (field named, value not echoed).
    #[error("record {id}: {reason}")]
    InvalidRecord {
        /// Record id (public directory data), truncated.
        id: String,
        /// The rule broken.
        reason: String,
    },
    /// Key material could not be read or generated (publishing tools only).
    #[error("key: {0}")]
    Key(String),
}

impl FormatError {
    pub(crate) fn malformed(kind: &'static str, reason: impl std::fmt::Display) -> Self {
        let mut reason = reason.to_string();
        // serde_json errors may quote input; keep them short and single-line.
        reason.truncate(160);
        FormatError::Malformed {
            kind,
            reason: reason.replace('\n', " "),
        }
    }

    pub(crate) fn record(id: &str, reason: impl Into<String>) -> Self {
        let id: String = id.chars().take(64).collect();
        FormatError::InvalidRecord {
            id,
            reason: reason.into(),
        }
    }
}

/// Result alias for this crate.
pub type Result<T, E = FormatError> = std::result::Result<T, E>;

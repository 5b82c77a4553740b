//! Publishing tools shared by the `waypoint-publish` binary, the sync server's tests and
//! the CLI: key generation, key files, signing and building keysets, bundles, deltas and
//! manifests. Publishers run these on their own machines; the server never holds a key
//! that can change content.

use std::collections::BTreeMap;
use std::path::Path;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::bundle::{
    content_hash, sha256_hex, BundleOut, DeltaOut, Manifest, ManifestEntry, VerifiedBundle,
};
use crate::envelope::{signing_input, Envelope, PayloadType, Signature};
use crate::error::{FormatError, Result};
use crate::keyset::{key_id, Keyset, PublicKeyEntry};
use crate::record::Record;
use crate::FORMAT_VERSION;

/// A publisher's Ed25519 signing key. `Debug` shows only the key id.
pub struct PublisherKey {
    signing: SigningKey,
}

impl std::fmt::Debug for PublisherKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublisherKey")
            .field("keyid", &self.key_id())
            .finish_non_exhaustive()
    }
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    r#type: String,
    keyid: String,
    public: String,
    secret: String,
}

const KEY_FILE_TYPE: &str = "waypoint.publisher-secret-key";

impl PublisherKey {
    /// Generates a key from the operating system's CSPRNG.
    pub fn generate() -> Self {
        PublisherKey {
            signing: SigningKey::generate(&mut rand::rngs::OsRng),
        }
    }

    /// Builds a key from 32 secret bytes (tests and deterministic fixtures).
    pub fn from_secret_bytes(secret: &[u8; 32]) -> Self {
        PublisherKey {
            signing: SigningKey::from_bytes(secret),
        }
    }

    /// The key id (hex SHA-256 of the public key).
    pub fn key_id(&self) -> String {
        key_id(&self.signing.verifying_key())
    }

    /// The public entry to list in a keyset.
    pub fn public_entry(&self) -> PublicKeyEntry {
        PublicKeyEntry {
            keyid: self.key_id(),
            public: B64.encode(self.signing.verifying_key().as_bytes()),
        }
    }

    /// Signs `payload` as `payload_type`.
    pub fn sign(&self, payload_type: PayloadType, payload: &[u8]) -> Signature {
        let sig = self.signing.sign(&signing_input(payload_type, payload));
        Signature {
            keyid: self.key_id(),
            sig: B64.encode(sig.to_bytes()),
        }
    }

    /// Signs exact bytes (the format 2 signing input, [`crate::v2::signing_input`]).
    pub(crate) fn sign_raw(&self, input: &[u8]) -> Signature {
        let sig = self.signing.sign(input);
        Signature {
            keyid: self.key_id(),
            sig: B64.encode(sig.to_bytes()),
        }
    }

    /// The key file contents (JSON with the secret; keep it off shared machines).
    pub fn to_key_file(&self) -> Vec<u8> {
        let file = KeyFile {
            r#type: KEY_FILE_TYPE.to_owned(),
            keyid: self.key_id(),
            public: B64.encode(self.signing.verifying_key().as_bytes()),
            secret: B64.encode(self.signing.to_bytes()),
        };
        serde_json::to_vec_pretty(&file).expect("key file serialises")
    }

    /// Parses a key file, checking that its public key and id match the secret.
    pub fn from_key_file(bytes: &[u8]) -> Result<Self> {
        let file: KeyFile =
            serde_json::from_slice(bytes).map_err(|_| FormatError::Key("not a key file".into()))?;
        if file.r#type != KEY_FILE_TYPE {
            return Err(FormatError::Key("not a publisher secret key file".into()));
        }
        let secret = zeroizing_decode(&file.secret)?;
        let key = PublisherKey::from_secret_bytes(&secret);
        if key.public_entry().public != file.public || key.key_id() != file.keyid {
            return Err(FormatError::Key("key file is inconsistent".into()));
        }
        Ok(key)
    }

    /// Writes a new key file readable only by its owner; refuses to overwrite.
    pub fn write_key_file(&self, path: &Path) -> Result<()> {
        use std::io::Write;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts
            .open(path)
            .map_err(|e| FormatError::Key(format!("cannot create key file: {e}")))?;
        f.write_all(&self.to_key_file())
            .and_then(|()| f.sync_all())
            .map_err(|e| FormatError::Key(format!("cannot write key file: {e}")))
    }

    /// Reads a key file.
    pub fn read_key_file(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path)
            .map_err(|e| FormatError::Key(format!("cannot read key file: {e}")))?;
        Self::from_key_file(&bytes)
    }
}

fn zeroizing_decode(s: &str) -> Result<[u8; 32]> {
    let v = B64
        .decode(s.as_bytes())
        .map_err(|_| FormatError::Key("secret is not base64".into()))?;
    let mut out = [0u8; 32];
    if v.len() != 32 {
        return Err(FormatError::Key("secret is not 32 bytes".into()));
    }
    out.copy_from_slice(&v);
    Ok(out)
}

/// Signs `payload` with every key in `keys` into an envelope.
pub fn sign_envelope(
    payload_type: PayloadType,
    payload: Vec<u8>,
    keys: &[&PublisherKey],
) -> Envelope {
    let signatures = keys
        .iter()
        .map(|k| k.sign(payload_type, &payload))
        .collect();
    Envelope {
        payload_type,
        payload,
        signatures,
    }
}

/// Adds `key`'s signature to an existing envelope (publishers signing one after another
/// on their own machines). The payload bytes are not touched.
pub fn add_signature(envelope: &mut Envelope, key: &PublisherKey) {
    envelope.signatures.retain(|s| s.keyid != key.key_id());
    let sig = key.sign(envelope.payload_type, &envelope.payload);
    envelope.signatures.push(sig);
}

/// Builds a keyset payload.
pub fn build_keyset(
    version: u64,
    expires: i64,
    threshold: u32,
    keys: Vec<PublicKeyEntry>,
) -> Keyset {
    Keyset {
        format: FORMAT_VERSION,
        version,
        expires,
        threshold,
        keys,
        freshness_keys: Vec::new(),
    }
}

/// Signs a keyset with `keys` (for a rotation: a threshold of the old keys and of the new).
pub fn sign_keyset(keyset: &Keyset, keys: &[&PublisherKey]) -> Vec<u8> {
    sign_envelope(PayloadType::Keyset, keyset.to_payload(), keys).to_bytes()
}

fn raw_records(records: &[Record]) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for r in records {
        r.validate()?;
        let raw = serde_json::to_string(r).map_err(|e| FormatError::malformed("record", e))?;
        if out.insert(r.id.clone(), raw).is_some() {
            return Err(FormatError::record(&r.id, "id appears twice"));
        }
    }
    Ok(out)
}

/// A directory state a publisher is about to sign: the exact bytes of each record by id,
/// the version and the lifetime. It is unsigned and proves nothing: it turns into payload
/// bytes for publishers to sign, never into a [`VerifiedBundle`] (only verification makes
/// one of those).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    version: u64,
    created: i64,
    expires: i64,
    records: BTreeMap<String, String>,
}

impl Content {
    /// Content from records, each validated and serialised to the bytes that will be
    /// signed. A record id that appears twice is refused.
    pub fn from_records(
        version: u64,
        created: i64,
        expires: i64,
        records: &[Record],
    ) -> Result<Self> {
        Ok(Content {
            version,
            created,
            expires,
            records: raw_records(records)?,
        })
    }

    /// The records of an already verified state, kept as their exact bytes (so the content
    /// hash is unchanged), under a new version and lifetime: re-signing published content,
    /// e.g. under a new keyset.
    pub fn from_verified(version: u64, created: i64, expires: i64, held: &VerifiedBundle) -> Self {
        Content {
            version,
            created,
            expires,
            records: held
                .records()
                .iter()
                .map(|r| (r.id().to_owned(), r.raw().to_owned()))
                .collect(),
        }
    }

    /// Version this content will be published as.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Content hash of the records (see [`content_hash`]).
    pub fn content_hash(&self) -> [u8; 32] {
        content_hash(self.records.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }

    /// The format 2 bundle payload of this content ([`crate::v2::bundle_payload`]).
    pub fn v2_bundle_payload(&self) -> Result<Vec<u8>> {
        crate::v2::bundle_payload(
            self.version,
            self.created,
            self.expires,
            self.records.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        )
    }

    /// The format 2 delta payload from `base` to this content
    /// ([`crate::v2::delta_payload`]).
    pub fn v2_delta_payload(&self, base: &VerifiedBundle) -> Result<Vec<u8>> {
        crate::v2::delta_payload(
            base,
            self.version,
            self.created,
            self.expires,
            self.records.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        )
    }

    /// The unsigned bundle payload: the exact bytes publishers sign.
    pub fn bundle_payload(&self) -> Result<Vec<u8>> {
        let records = self
            .records
            .values()
            .map(|s| to_raw(s))
            .collect::<Result<Vec<_>>>()?;
        serde_json::to_vec(&BundleOut {
            format: FORMAT_VERSION,
            version: self.version,
            created: self.created,
            expires: self.expires,
            content_hash: hex::encode(self.content_hash()),
            records,
        })
        .map_err(|e| FormatError::malformed("bundle", e))
    }

    /// The unsigned payload of the delta that turns `base` (a verified, published state)
    /// into this content.
    pub fn delta_payload(&self, base: &VerifiedBundle) -> Result<Vec<u8>> {
        if self.version <= base.version() {
            return Err(FormatError::Rollback {
                current: base.version(),
                offered: self.version,
            });
        }
        let old: BTreeMap<&str, &str> = base.records().iter().map(|r| (r.id(), r.raw())).collect();
        let upserts = self
            .records
            .iter()
            .filter(|(id, raw)| old.get(id.as_str()) != Some(&raw.as_str()))
            .map(|(_, raw)| to_raw(raw))
            .collect::<Result<Vec<_>>>()?;
        let tombstones = old
            .keys()
            .filter(|id| !self.records.contains_key(**id))
            .map(|id| (*id).to_owned())
            .collect();
        serde_json::to_vec(&DeltaOut {
            format: FORMAT_VERSION,
            base_version: base.version(),
            base_content_hash: hex::encode(base.content_hash()),
            version: self.version,
            created: self.created,
            expires: self.expires,
            content_hash: hex::encode(self.content_hash()),
            upserts,
            tombstones,
        })
        .map_err(|e| FormatError::malformed("delta", e))
    }
}

/// Builds and signs a full bundle from records (validated first).
pub fn build_bundle(
    version: u64,
    created: i64,
    expires: i64,
    records: &[Record],
    keys: &[&PublisherKey],
) -> Result<Vec<u8>> {
    let content = Content::from_records(version, created, expires, records)?;
    Ok(sign_envelope(PayloadType::Bundle, content.bundle_payload()?, keys).to_bytes())
}

fn to_raw(s: &str) -> Result<&RawValue> {
    serde_json::from_str(s).map_err(|e| FormatError::malformed("record", e))
}

/// Builds and signs the delta that turns `base` into `target` (both verified bundles).
pub fn build_delta(
    base: &VerifiedBundle,
    target: &VerifiedBundle,
    keys: &[&PublisherKey],
) -> Result<Vec<u8>> {
    let content =
        Content::from_verified(target.version(), target.created(), target.expires(), target);
    let payload = content.delta_payload(base)?;
    Ok(sign_envelope(PayloadType::Delta, payload, keys).to_bytes())
}

/// Builds and signs a manifest naming `bundle` (the full bundle file at `version`) and the
/// given delta files `(from, bytes)`.
pub fn build_manifest(
    version: u64,
    created: i64,
    expires: i64,
    bundle: &[u8],
    deltas: &[(u64, &[u8])],
    keys: &[&PublisherKey],
) -> Vec<u8> {
    let manifest = Manifest {
        format: FORMAT_VERSION,
        version,
        created,
        expires,
        bundle: ManifestEntry {
            from: None,
            to: version,
            sha256: sha256_hex(bundle),
            size: bundle.len() as u64,
        },
        deltas: deltas
            .iter()
            .map(|(from, bytes)| ManifestEntry {
                from: Some(*from),
                to: version,
                sha256: sha256_hex(bytes),
                size: bytes.len() as u64,
            })
            .collect(),
    };
    let payload = serde_json::to_vec(&manifest).expect("manifest serialises");
    sign_envelope(PayloadType::Manifest, payload, keys).to_bytes()
}

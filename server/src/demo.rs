//! `serve --demo`: a demo database with two demo publisher keys (threshold 2) and a
//! published demo directory, so a client can be synced against it in one command.
//!
//! The demo keys are written next to the database (`demo-keys/`). That is exactly what a
//! real deployment must never do — real publishers keep their keys on their own machines —
//! and the demo says so when it starts.

use std::path::{Path, PathBuf};

use waypoint_format::publish::{build_keyset, sign_keyset, PublisherKey};
use waypoint_format::review;

use crate::advocates::{self, Role};
use crate::db::Db;
use crate::publish;

/// The demo directory: a few public, well-known help lines.
pub fn resources() -> Vec<serde_json::Value> {
    let line = |id: &str, org: &str, name: &str, number: &str, cat: &str| {
        serde_json::json!({
            "id": id,
            "organization": {"en": org},
            "name": {"en": name},
            "description": {"en": format!("{name} (demo data)")},
            "categories": [cat],
            "languages": ["en", "es"],
            "locations": [{"country": "US"}],
            "phones": [{"number": number, "country": "US", "kind": "voice"}],
            "schedule": {"timezone": "America/New_York", "always_open": true},
            "fees": {"free": true},
            "last_verified": "2026-11-01",
            "source": "demo"
        })
    };
    vec![
        line(
            "us-trafficking-hotline",
            "Polaris Project",
            "National Human Trafficking Hotline",
            "1-888-373-7888",
            "hotline",
        ),
        line(
            "us-dv-hotline",
            "National Domestic Violence Hotline",
            "National Domestic Violence Hotline",
            "1-800-799-7233",
            "hotline",
        ),
        line(
            "us-988",
            "988 Lifeline",
            "988 Suicide & Crisis Lifeline",
            "988",
            "mental_health",
        ),
    ]
}

/// Where the demo keeps its keys and the keyset clients must trust.
pub fn keys_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("demo-keys")
}

/// The demo's online freshness key (listed in the demo keyset's `freshness_keys`).
pub fn freshness_key_path(data_dir: &Path) -> PathBuf {
    keys_dir(data_dir).join("freshness.key.json")
}

/// Creates the demo data if the database has no keyset yet. Returns the keyset path.
pub fn ensure(db: &Db, data_dir: &Path, now_ms: i64) -> anyhow::Result<PathBuf> {
    let dir = keys_dir(data_dir);
    let keyset_file = dir.join("keyset.json");
    let installed = db.with(|c| Ok(publish::current_keyset(c).is_ok()))?;
    if installed {
        return Ok(keyset_file);
    }
    std::fs::create_dir_all(&dir)?;
    let keys = [PublisherKey::generate(), PublisherKey::generate()];
    for (i, k) in keys.iter().enumerate() {
        let path = dir.join(format!("publisher-{}.key.json", i + 1));
        if path.exists() {
            std::fs::remove_file(&path)?;
        }
        k.write_key_file(&path)?;
    }
    let freshness = PublisherKey::generate();
    let freshness_file = freshness_key_path(data_dir);
    if freshness_file.exists() {
        std::fs::remove_file(&freshness_file)?;
    }
    freshness.write_key_file(&freshness_file)?;
    let now_s = now_ms / 1000;
    let mut keyset = build_keyset(
        1,
        now_s + 365 * 24 * 3600,
        2,
        keys.iter().map(PublisherKey::public_entry).collect(),
    );
    keyset.freshness_keys = vec![freshness.public_entry()];
    let keyset_bytes = sign_keyset(&keyset, &[&keys[0], &keys[1]]);
    std::fs::write(&keyset_file, &keyset_bytes)?;
    publish::init_keyset(db, &keyset_bytes, now_ms, "demo")?;
    let _ = advocates::add(db, "demo-admin", Role::Admin, now_ms, "demo");
    for r in resources() {
        let id = r["id"].as_str().unwrap_or_default().to_owned();
        publish::draft_put(db, &id, r, "demo", now_ms).map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    publish_draft_with(db, &keyset_bytes, &keys, now_ms)?;
    Ok(keyset_file)
}

/// Freezes the draft and signs it with `keys` until it is published (two rounds: bundle and
/// deltas first, then the manifest that names them). Even the demo signs through the
/// publisher's review (`waypoint_format::review`) against its pinned keyset, never blindly.
pub fn publish_draft_with(
    db: &Db,
    pinned_keyset: &[u8],
    keys: &[PublisherKey],
    now_ms: i64,
) -> anyhow::Result<u64> {
    let published = review::Published::from_keysets(pinned_keyset, &[], now_ms / 1000)?;
    let mut candidate =
        publish::freeze_draft(db, "demo", now_ms).map_err(|e| anyhow::anyhow!("{e}"))?;
    for _round in 0..2 {
        let mut last = None;
        for k in keys {
            let checked = review::review(
                &candidate,
                &published,
                &k.key_id(),
                review::Mode::default(),
                now_ms / 1000,
            )?;
            last = Some(
                publish::add_signature(db, candidate.candidate, &checked.sign(k), "demo", now_ms)
                    .map_err(|e| anyhow::anyhow!("{e}"))?,
            );
        }
        if last.is_some_and(|o| o.published) {
            return Ok(candidate.version);
        }
        candidate =
            publish::candidate(db, candidate.candidate).map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    anyhow::bail!("demo publish did not complete")
}

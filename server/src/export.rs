//! `waypoint-server export DIR`: the published tree as static files, so nginx, S3 or any
//! CDN can serve reads. Paths match the API (`v1/manifest`, `v1/bundles/N`, ...); a
//! sample nginx configuration is in docs/SERVER.md.
//!
//! Every file is written to a temporary name and renamed into place, and the manifest is
//! written last, so a host serving the directory during an export never names a bundle or
//! delta that is not there yet. With a freshness key, `v1/freshness` (the short-lived
//! statement that this manifest is current) is written after it; a static host must re-run
//! the export (e.g. from cron) well within the statement's lifetime, or clients report the
//! directory stale.

use std::io::Write;
use std::path::Path;

use crate::db::Db;
use crate::freshness::FreshnessSigner;
use crate::publish::{load_tree, MANIFEST_PATH};

/// Writes the tree under `dir` (and, with `freshness`, a statement signed at `now_s` for
/// its manifest); returns the number of files.
pub fn export(
    db: &Db,
    dir: &Path,
    freshness: Option<&FreshnessSigner>,
    now_s: i64,
) -> anyhow::Result<usize> {
    let tree = load_tree(db)?;
    let mut paths: Vec<&String> = tree.keys().collect();
    // Manifest last.
    paths.sort_by_key(|p| (p.as_str() == MANIFEST_PATH, (*p).clone()));
    for path in &paths {
        write_file(&dir.join(path), &tree[*path].bytes)?;
    }
    let mut n = paths.len();
    if let (Some(signer), Some(manifest)) = (freshness, tree.get(MANIFEST_PATH)) {
        write_file(
            &dir.join(FRESHNESS_PATH),
            &signer.sign(&manifest.bytes, now_s)?,
        )?;
        n += 1;
    }
    Ok(n)
}

/// Where the freshness statement is served and exported.
pub const FRESHNESS_PATH: &str = "v1/freshness";

fn write_file(target: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let parent = target.parent().ok_or_else(|| anyhow::anyhow!("bad path"))?;
    std::fs::create_dir_all(parent)?;
    let mut tmp = tempfile_in(parent)?;
    tmp.1.write_all(bytes)?;
    tmp.1.sync_all()?;
    std::fs::rename(&tmp.0, target)?;
    Ok(())
}

fn tempfile_in(dir: &Path) -> anyhow::Result<(std::path::PathBuf, std::fs::File)> {
    for i in 0..1000u32 {
        let p = dir.join(format!(".export-{}-{i}.tmp", std::process::id()));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&p)
        {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e.into()),
        }
    }
    anyhow::bail!("cannot create a temporary file in {}", dir.display())
}

//! `waypoint-server export DIR`: the published tree as static files, so nginx, S3 or any
//! CDN can serve reads. Paths match the API (`v1/manifest`, `v1/bundles/N`, ...); a
//! sample nginx configuration is in docs/SERVER.md.
//!
//! Every file is written to a temporary name and renamed into place, and the manifest is
//! written last, so a host serving the directory during an export never names a bundle or
//! delta that is not there yet.

use std::io::Write;
use std::path::Path;

use crate::db::Db;
use crate::publish::{load_tree, MANIFEST_PATH};

/// Writes the tree under `dir`; returns the number of files.
pub fn export(db: &Db, dir: &Path) -> anyhow::Result<usize> {
    let tree = load_tree(db)?;
    let mut paths: Vec<&String> = tree.keys().collect();
    // Manifest last.
    paths.sort_by_key(|p| (p.as_str() == MANIFEST_PATH, (*p).clone()));
    for path in &paths {
        let target = dir.join(path);
        let parent = target.parent().ok_or_else(|| anyhow::anyhow!("bad path"))?;
        std::fs::create_dir_all(parent)?;
        let mut tmp = tempfile_in(parent)?;
        tmp.1.write_all(&tree[*path].bytes)?;
        tmp.1.sync_all()?;
        std::fs::rename(&tmp.0, &target)?;
    }
    Ok(paths.len())
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

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
    // Manifests last (the directory's in both formats and the guides'), so a mirror never
    // names a file it does not have yet.
    paths.sort_by_key(|p| (p.ends_with("/manifest"), (*p).clone()));
    for path in &paths {
        if !is_safe_public_path(path) {
            anyhow::bail!(
                "refusing to export an artefact with an unsafe path (only v1/... and v2/... are allowed)"
            );
        }
    }
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

/// Whether `path` may be written under the export directory: relative, starting with
/// `v1/` or `v2/`, only plain components of `[A-Za-z0-9._-]` (no `..`, no `.`, no empty part, no
/// backslash, no drive letter). The database is not trusted to hold only paths the server
/// wrote: a hostile or damaged row must not make `export` write outside `OUT_DIR`.
pub fn is_safe_public_path(path: &str) -> bool {
    let Some(rest) = path
        .strip_prefix("v1/")
        .or_else(|| path.strip_prefix("v2/"))
    else {
        return false;
    };
    path.len() <= 256
        && rest.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'_')
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_v1_and_v2_paths_are_exported() {
        for ok in [
            "v1/manifest",
            "v1/bundles/3",
            "v1/deltas/2/3",
            "v1/keysets/1",
            "v2/manifest",
            "v2/bundles/3",
            "v2/deltas/2/3",
        ] {
            assert!(is_safe_public_path(ok), "{ok}");
        }
        for bad in [
            "../evil",
            "v1/../../evil",
            "v1/bundles/../../x",
            "/etc/passwd",
            "v1/a\\..\\b",
            "v3/manifest",
            "v2/../x",
            "v2/",
            "v1//x",
            "v1/",
            "v1/./x",
            "C:/x",
            "v1/x/..",
        ] {
            assert!(!is_safe_public_path(bad), "{bad}");
        }
    }

    #[test]
    fn a_hostile_database_row_cannot_make_export_write_outside_the_directory() {
        let data = tempfile::tempdir().expect("tempdir");
        let db = Db::open(data.path()).expect("open");
        let root = tempfile::tempdir().expect("tempdir");
        let out = root.path().join("out");
        let escape = root.path().join("escaped");
        db.with(|c| {
            c.execute(
                "INSERT INTO artefacts (path, bytes, published_ms) VALUES ('v1/manifest', x'7b7d', 1), (?1, x'6576696c', 1)",
                ["v1/../../escaped"],
            )?;
            Ok(())
        })
        .expect("insert");
        let err = export(&db, &out, None, 0).expect_err("refused");
        assert!(err.to_string().contains("unsafe path"), "{err}");
        assert!(
            !escape.exists(),
            "nothing written outside the export directory"
        );
        assert!(!out.join("v1/manifest").exists(), "nothing written at all");
        // An absolute path is refused the same way.
        db.with(|c| {
            c.execute("DELETE FROM artefacts WHERE path LIKE '%escaped'", [])?;
            c.execute(
                "INSERT INTO artefacts (path, bytes, published_ms) VALUES (?1, x'00', 1)",
                [escape.to_str().expect("utf8")],
            )?;
            Ok(())
        })
        .expect("insert");
        export(&db, &out, None, 0).expect_err("refused");
        assert!(!escape.exists());
    }
}

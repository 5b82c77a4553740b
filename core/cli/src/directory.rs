//! `waypoint directory ...`: search, show, status and import of the offline directory.
//!
//! JSON output (`--json`) is stable:
//! - `search`: `{"results": [Resource, ...]}`
//! - `show`: `Resource`
//! - `status`: `{"version", "created", "expires", "stale", "resources", "origin",
//!   "content_hash", "keyset_version", "last_sync_ms" (number|null)}`
//! - `sync`: the sync report of `waypoint sync` (see `sync.rs`)
//! - `import`: `{"version": N}`
//!
//! where `Resource` is `{"id", "name", "organization", "description", "text_language",
//! "categories", "languages", "countries", "regions", "addresses", "open_now" (bool|null),
//! "always_open", "free", "eligibility", "accessibility", "fees", "distance_km"
//! (number|null), "last_verified", "source", "actions": [{"kind": "call"|"text"|"tty"|
//! "whatsapp"|"web"|"email", "uri", "launch_uri", "display", "keyword" (string|null), "local_only",
//! "warning" (string|null: the call may cost more than an ordinary call)}]}`.

use crate::output::outln;
use std::io::Read;
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use serde_json::{json, Value};
use waypoint_core::ffi::directory::{
    DialKind, DirectoryFileKind, DirectoryQuery, DirectoryResource,
};
use waypoint_core::Waypoint;

use crate::output;

/// Result order.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    /// Best match first.
    Relevance,
    /// Nearest to --near first.
    Distance,
}

/// Kind of signed file.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum FileKind {
    /// A full bundle.
    Bundle,
    /// A delta from the installed version.
    Delta,
    /// The next keyset.
    Keyset,
}

/// `waypoint directory` subcommands.
#[derive(Debug, Subcommand)]
pub enum DirectoryCommand {
    /// Search the offline directory (all languages, accents optional, prefixes match).
    Search {
        /// Words to search for; omit to list everything matching the filters.
        #[arg(default_value = "")]
        query: String,
        /// Only this category (repeatable): hotline, emergency, legal_aid, immigration, ...
        #[arg(long = "category")]
        categories: Vec<String>,
        /// Only services that speak this language (BCP 47, e.g. es).
        #[arg(long)]
        language: Option<String>,
        /// Only services open right now.
        #[arg(long)]
        open_now: bool,
        /// Only services open 24/7.
        #[arg(long = "24-7")]
        always_open: bool,
        /// Only free services.
        #[arg(long)]
        free: bool,
        /// Only services in this country (ISO code, e.g. US).
        #[arg(long)]
        country: Option<String>,
        /// Only services in this region of --country (national services included).
        #[arg(long)]
        region: Option<String>,
        /// Measure distance from this place: LAT,LON.
        #[arg(long)]
        near: Option<String>,
        /// Only within this many km of --near.
        #[arg(long)]
        max_km: Option<f64>,
        /// Result order.
        #[arg(long, value_enum, default_value = "relevance")]
        sort: SortArg,
        /// Language to show results in (falls back to English, then any).
        #[arg(long, default_value = "en")]
        lang: String,
        /// Most results.
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// Show one resource with all its details and actions.
    Show {
        /// Resource id (from search).
        id: String,
        /// Language to show it in.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Show the installed directory version, age, origin and last sync.
    Status,
    /// Fetch, verify and install updates from a sync server (same as `waypoint sync`).
    Sync(crate::sync::SyncArgs),
    /// Import a signed directory file (verified exactly like a download).
    Import {
        /// The file.
        file: PathBuf,
        /// What it holds.
        #[arg(long, value_enum, default_value = "bundle")]
        kind: FileKind,
    },
}

/// Largest file `kind` may be: the format's own cap for that envelope, so a file the
/// verifier would refuse is refused before it is read.
fn import_cap(kind: FileKind) -> usize {
    use waypoint_format::limits;
    match kind {
        FileKind::Bundle => limits::MAX_BUNDLE_BYTES,
        FileKind::Delta => limits::MAX_DELTA_BYTES,
        FileKind::Keyset => limits::MAX_KEYSET_BYTES,
    }
}

/// Why a file was not read in full.
#[derive(Debug, PartialEq, Eq)]
enum ReadCapped {
    /// It holds more than the cap.
    TooLarge,
}

/// Reads at most `cap` bytes from `reader`; pulls at most `cap + 1` bytes from it (so a
/// pipe, a device or a file that grows after its size was checked costs no more memory
/// than the cap), and reports [`ReadCapped::TooLarge`] if there was more.
fn read_bounded(reader: impl Read, cap: usize) -> std::io::Result<Result<Vec<u8>, ReadCapped>> {
    let limit = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
    let mut buf = Vec::new();
    reader.take(limit).read_to_end(&mut buf)?;
    if buf.len() > cap {
        return Ok(Err(ReadCapped::TooLarge));
    }
    Ok(Ok(buf))
}

/// Reads a file to import: refuses it from its metadata if it is larger than `cap`, then
/// reads through [`read_bounded`]. Errors name the file the user typed and the cap, never
/// its content.
fn read_import_file(file: &Path, cap: usize) -> anyhow::Result<Vec<u8>> {
    let too_large = || {
        anyhow::anyhow!(
            "{} is larger than the {} MiB limit for this kind of file; nothing was imported",
            file.display(),
            cap / (1024 * 1024)
        )
    };
    let cannot_read = |e: std::io::Error| anyhow::anyhow!("cannot read {}: {e}", file.display());
    let handle = std::fs::File::open(file).map_err(cannot_read)?;
    let meta = handle.metadata().map_err(cannot_read)?;
    if meta.is_file() && meta.len() > cap as u64 {
        return Err(too_large());
    }
    read_bounded(handle, cap)
        .map_err(cannot_read)?
        .map_err(|ReadCapped::TooLarge| too_large())
}

fn kind_name(k: DialKind) -> &'static str {
    match k {
        DialKind::Call => "call",
        DialKind::Text => "text",
        DialKind::Tty => "tty",
        DialKind::Whatsapp => "whatsapp",
        DialKind::Web => "web",
        DialKind::Email => "email",
    }
}

fn resource_json(r: &DirectoryResource) -> Value {
    // The exported type serialises itself (with `launch_uri` on each action).
    serde_json::to_value(r).unwrap_or(Value::Null)
}

fn print_resource(r: &DirectoryResource, full: bool) {
    let mut flags = Vec::new();
    if r.always_open {
        flags.push("24/7".to_owned());
    } else if let Some(open) = r.open_now {
        flags.push(if open { "open now" } else { "closed now" }.to_owned());
    }
    if r.free {
        flags.push("free".into());
    }
    if let Some(d) = r.distance_km {
        flags.push(format!("{d:.1} km"));
    }
    outln!("{}  [{}]", r.name, r.id);
    if r.organization != r.name {
        outln!("  {}", r.organization);
    }
    if !flags.is_empty() {
        outln!("  {}", flags.join(" · "));
    }
    for a in &r.actions {
        let keyword = a
            .keyword
            .as_deref()
            .map(|k| format!(" (send \"{k}\")"))
            .unwrap_or_default();
        outln!(
            "  {:<5} {}{}  {}",
            kind_name(a.kind),
            a.display,
            keyword,
            a.uri
        );
        if let Some(w) = &a.warning {
            outln!("        ! {w}");
        }
    }
    if full {
        for (label, value) in [
            ("about", &r.description),
            ("eligibility", &r.eligibility),
            ("accessibility", &r.accessibility),
            ("fees", &r.fees),
        ] {
            if !value.is_empty() {
                outln!("  {label}: {value}");
            }
        }
        outln!("  categories: {}", r.categories.join(", "));
        if !r.languages.is_empty() {
            outln!("  languages: {}", r.languages.join(", "));
        }
        outln!("  verified {} from {}", r.last_verified, r.source);
    }
}

fn parse_near(s: &str) -> anyhow::Result<(f64, f64)> {
    let (a, b) = s
        .split_once(',')
        .ok_or_else(|| anyhow::anyhow!("--near takes LAT,LON"))?;
    let lat = a
        .trim()
        .parse()
        .map_err(|_| anyhow::anyhow!("--near latitude is not a number"))?;
    let lon = b
        .trim()
        .parse()
        .map_err(|_| anyhow::anyhow!("--near longitude is not a number"))?;
    Ok((lat, lon))
}

/// Runs one `directory` subcommand.
pub fn run(wp: &Waypoint, cmd: DirectoryCommand, as_json: bool) -> anyhow::Result<()> {
    match cmd {
        DirectoryCommand::Search {
            query,
            categories,
            language,
            open_now,
            always_open,
            free,
            country,
            region,
            near,
            max_km,
            sort,
            lang,
            limit,
        } => {
            let near = near.as_deref().map(parse_near).transpose()?;
            let results = wp.directory().search(DirectoryQuery {
                text: query,
                categories,
                spoken_language: language,
                open_now,
                always_open,
                free,
                country,
                region,
                near_latitude: near.map(|n| n.0),
                near_longitude: near.map(|n| n.1),
                max_km,
                sort_by_distance: matches!(sort, SortArg::Distance),
                user_language: lang,
                limit,
            })?;
            if as_json {
                return output::json(&json!({
                    "results": results.iter().map(resource_json).collect::<Vec<_>>()
                }));
            }
            if results.is_empty() {
                outln!("no matches");
            }
            for r in &results {
                print_resource(r, false);
            }
            Ok(())
        }
        DirectoryCommand::Show { id, lang } => {
            let r = wp.directory().show(id, lang)?;
            if as_json {
                return output::json(&resource_json(&r));
            }
            print_resource(&r, true);
            Ok(())
        }
        DirectoryCommand::Status => {
            let info = wp
                .directory()
                .info()?
                .ok_or_else(|| anyhow::anyhow!("no directory installed"))?;
            let last_sync_ms = wp.directory_sync().status()?.last_sync_ms;
            if as_json {
                return output::json(&json!({
                    "version": info.version,
                    "created": info.created,
                    "expires": info.expires,
                    "stale": info.stale,
                    "resources": info.resources,
                    "origin": info.origin,
                    "content_hash": info.content_hash,
                    "keyset_version": info.keyset_version,
                    "last_sync_ms": last_sync_ms,
                }));
            }
            let date = |t: i64| {
                chrono::DateTime::from_timestamp(t, 0)
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_else(|| t.to_string())
            };
            outln!("directory version: {} ({})", info.version, info.origin);
            outln!("resources:         {}", info.resources);
            outln!("created:           {}", date(info.created));
            outln!(
                "expires:           {}{}",
                date(info.expires),
                if info.stale {
                    "  (STALE: showing the last verified copy)"
                } else {
                    ""
                }
            );
            outln!("keyset version:    {}", info.keyset_version);
            match last_sync_ms {
                Some(ms) => outln!("last sync:         {}", date(ms.div_euclid(1000))),
                None => outln!("last sync:         never"),
            }
            Ok(())
        }
        DirectoryCommand::Sync(args) => match crate::sync::run(wp, args, as_json)? {
            0 => Ok(()),
            // The report is printed; a rejected or offline sync exits 2 like `waypoint sync`.
            _ => std::process::exit(2),
        },
        DirectoryCommand::Import { file, kind } => {
            let bytes = read_import_file(&file, import_cap(kind))?;
            let version = wp.directory().import_file(
                match kind {
                    FileKind::Bundle => DirectoryFileKind::Bundle,
                    FileKind::Delta => DirectoryFileKind::Delta,
                    FileKind::Keyset => DirectoryFileKind::Keyset,
                },
                bytes,
            )?;
            if as_json {
                return output::json(&json!({ "version": version }));
            }
            outln!("directory version {version} installed");
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that counts how many bytes were pulled from it.
    struct Counting<R> {
        inner: R,
        pulled: std::rc::Rc<std::cell::Cell<u64>>,
    }

    impl<R: Read> Read for Counting<R> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = self.inner.read(buf)?;
            self.pulled.set(self.pulled.get() + n as u64);
            Ok(n)
        }
    }

    #[test]
    fn an_endless_source_is_read_only_up_to_the_cap() {
        let cap = 64 * 1024;
        let pulled = std::rc::Rc::new(std::cell::Cell::new(0));
        let endless = Counting {
            inner: std::io::repeat(0).take(64 * cap as u64),
            pulled: pulled.clone(),
        };
        assert_eq!(
            read_bounded(endless, cap).expect("io"),
            Err(ReadCapped::TooLarge)
        );
        assert!(
            pulled.get() <= cap as u64 + 1,
            "pulled {} bytes",
            pulled.get()
        );
        let exact = read_bounded(std::io::repeat(7).take(cap as u64), cap).expect("io");
        assert_eq!(exact.map(|b| b.len()), Ok(cap));
    }

    #[test]
    fn a_sparse_file_over_the_cap_is_refused_from_its_size() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("huge.bundle");
        let f = std::fs::File::create(&path).expect("create");
        // Sparse: a size far over the bundle cap, no disk blocks.
        f.set_len(import_cap(FileKind::Bundle) as u64 + 1)
            .expect("set_len");
        drop(f);
        let err = read_import_file(&path, import_cap(FileKind::Bundle))
            .expect_err("over the cap")
            .to_string();
        assert!(err.contains("larger than the 96 MiB limit"), "{err}");
        assert_eq!(err.lines().count(), 1);
        // Each kind has its own cap: a 64 KiB + 1 keyset file is refused too.
        std::fs::File::create(&path)
            .expect("create")
            .set_len(64 * 1024 + 1)
            .expect("set_len");
        assert!(read_import_file(&path, import_cap(FileKind::Keyset)).is_err());
        std::fs::File::create(&path)
            .expect("create")
            .set_len(64 * 1024)
            .expect("set_len");
        assert_eq!(
            read_import_file(&path, import_cap(FileKind::Keyset))
                .expect("at the cap")
                .len(),
            64 * 1024
        );
    }
}

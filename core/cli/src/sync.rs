//! `waypoint sync`: fetch, verify and commit directory updates from a sync server.
//!
//! ```text
//! waypoint sync --server URL [--proxy socks5h://127.0.0.1:9050] [--root-keyset FILE] [--json]
//! waypoint sync --status [--json]        # no network: version, expiry, staleness, last sync
//! waypoint sync --list [--json]          # ids of the held records (what the last sync committed)
//! ```
//! `--json` prints the report: `{"outcome": {"kind": "updated", "version": N, "via_delta":
//! bool} | {"kind": "already_current"} | {"kind": "stale", "since": T} | {"kind": "rejected",
//! "reason": ...} | {"kind": "offline", "reason": ...}, "version", "expires", "stale",
//! "last_sync_ms", "fresh_until"}`. Everything in it describes the directory HELD after the
//! sync: `stale` is true exactly when that directory is past its expiry or past its last
//! freshness statement, and `{"kind": "stale", "since": T}` appears only then, with T the
//! time it stopped being known current (never the expiry of something the server offered).
//!
//! Exit status: 0 when the sync ran to the end (updated, already current, or stale: the
//! held directory is kept and the report says how old it is); 2 when what the server sent
//! was rejected (forged, rolled back, expired, ...) or the server could not be reached,
//! after printing the report (the last good directory is kept).

use crate::output::outln;
use std::path::PathBuf;

use waypoint_core::sync::{SyncOutcome, SyncReport};
use waypoint_core::Waypoint;

/// Arguments of `waypoint sync`.
#[derive(Debug, clap::Args)]
pub struct SyncArgs {
    /// Sync server or static mirror URL (https://, or http:// on loopback/.onion).
    #[arg(long, env = "WAYPOINT_SYNC_SERVER")]
    server: Option<String>,
    /// Proxy, e.g. socks5h://127.0.0.1:9050 (Tor).
    #[arg(long)]
    proxy: Option<String>,
    /// Root keyset to trust on first use (the phone apps pin theirs at build time).
    #[arg(long)]
    root_keyset: Option<PathBuf>,
    /// Whole-request timeout in seconds.
    #[arg(long)]
    timeout: Option<u32>,
    /// Show the held directory's state without syncing.
    #[arg(long, conflicts_with_all = ["server", "list"])]
    status: bool,
    /// List the held records' ids and names.
    #[arg(long, conflicts_with = "server")]
    list: bool,
}

/// Runs `waypoint sync`. Returns the process exit code.
pub fn run(wp: &Waypoint, args: SyncArgs, json: bool) -> anyhow::Result<u8> {
    if let Some(path) = &args.root_keyset {
        let bytes =
            std::fs::read(path).map_err(|e| anyhow::anyhow!("cannot read --root-keyset: {e}"))?;
        wp.directory_sync().install_root_keyset(bytes)?;
    }
    if args.list {
        let rows = wp.directory_sync().held_records()?;
        let parsed: Vec<serde_json::Value> = rows
            .iter()
            .filter_map(|r| serde_json::from_str(r).ok())
            .collect();
        if json {
            crate::output::json(&parsed)?;
        } else {
            for r in &parsed {
                let name = r["name"]
                    .as_object()
                    .and_then(|m| m.get("en").or_else(|| m.values().next()))
                    .and_then(|v| v.as_str())
                    .unwrap_or("");
                outln!("{}\t{name}", r["id"].as_str().unwrap_or(""));
            }
        }
        return Ok(0);
    }
    let report = if args.status {
        wp.directory_sync().status()?
    } else {
        let server = args
            .server
            .ok_or_else(|| anyhow::anyhow!("--server URL is required (or --status)"))?;
        wp.directory_sync().sync(server, args.proxy, args.timeout)?
    };
    print(&report, json, args.status)?;
    Ok(match report.outcome {
        SyncOutcome::Rejected { .. } | SyncOutcome::Offline { .. } => 2,
        _ => 0,
    })
}

fn print(r: &SyncReport, json: bool, status_only: bool) -> anyhow::Result<()> {
    if json {
        return crate::output::json(r);
    }
    if !status_only {
        match &r.outcome {
            SyncOutcome::Updated { version, via_delta } => outln!(
                "updated to version {version} ({})",
                if *via_delta { "delta" } else { "full bundle" }
            ),
            SyncOutcome::AlreadyCurrent => outln!("already current"),
            SyncOutcome::Stale { since } => outln!("stale since {}", fmt_time(*since)),
            SyncOutcome::Rejected { reason } => {
                outln!("rejected because {reason}; kept the last good directory")
            }
            SyncOutcome::Offline { reason } => {
                outln!("offline: {reason}; kept the last good directory")
            }
        }
    }
    match r.version {
        Some(v) => outln!("directory version: {v}"),
        None => outln!("directory version: none"),
    }
    if let Some(e) = r.expires {
        outln!(
            "expires:           {}{}",
            fmt_time(e),
            if r.stale { " (stale)" } else { "" }
        );
    }
    if let Some(t) = r.fresh_until {
        outln!("vouched current:   until {}", fmt_time(t));
    }
    match r.last_sync_ms {
        Some(ms) => outln!("last sync:         {}", fmt_time(ms / 1000)),
        None => outln!("last sync:         never"),
    }
    match r.guides_version {
        Some(v) => outln!("guides version:    {v} (published)"),
        None => outln!("guides version:    none (packaged guides only)"),
    }
    if let Some(reason) = &r.guides_rejected {
        outln!("guides rejected because {reason}; kept the guides held");
    }
    Ok(())
}

fn fmt_time(unix_s: i64) -> String {
    chrono::DateTime::from_timestamp(unix_s, 0)
        .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|| unix_s.to_string())
}

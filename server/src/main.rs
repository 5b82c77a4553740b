//! `waypoint-server`: publishes signed directory updates for Waypoint clients.
//!
//! It distributes directory data only. It holds no key that can change content and keeps
//! no client addresses: requests are not logged per client, the public routes set no cookie
//! (only the advocate console under `/console` has a session cookie) and no third party is
//! called.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};

mod advocates;
mod console;
mod csv_import;
mod db;
mod demo;
mod export;
mod freshness;
mod guides;
mod hsds;
mod http;
mod import;
mod publish;
mod records;

#[derive(Debug, Parser)]
#[command(name = "waypoint-server", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the public directory API (and the advocate API).
    Serve {
        /// Directory holding the server's SQLite database.
        #[arg(
            long,
            env = "WAYPOINT_SERVER_DATA_DIR",
            default_value = "waypoint-server-data"
        )]
        data_dir: PathBuf,
        /// Address to listen on; port 0 picks a free port (printed on start).
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Create a demo database with a published demo directory if none exists.
        #[arg(long)]
        demo: bool,
        #[command(flatten)]
        freshness: FreshnessArgs,
        /// Mark console cookies `Secure`: set when advocates reach the server over TLS (for
        /// example behind a reverse proxy that terminates it).
        #[arg(long, env = "WAYPOINT_SECURE_COOKIES")]
        secure_cookies: bool,
    },
    /// Manage advocate accounts and their API tokens.
    Advocate {
        /// Directory holding the server's SQLite database.
        #[arg(
            long,
            env = "WAYPOINT_SERVER_DATA_DIR",
            default_value = "waypoint-server-data"
        )]
        data_dir: PathBuf,
        #[command(subcommand)]
        action: AdvocateAction,
    },
    /// Install the first (root) keyset: a keyset file signed by a threshold of its own keys.
    KeysetInit {
        /// Directory holding the server's SQLite database.
        #[arg(
            long,
            env = "WAYPOINT_SERVER_DATA_DIR",
            default_value = "waypoint-server-data"
        )]
        data_dir: PathBuf,
        /// The signed keyset file (e.g. from `waypoint-publish keyset`).
        file: PathBuf,
    },
    /// Removed: signing happens only in the publisher's own tool, `waypoint-publish sign`,
    /// which verifies the published state against the publisher's pinned keyset and shows
    /// every change before it signs. This subcommand refuses and says so.
    #[command(hide = true)]
    Sign {
        /// Ignored.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Import a directory into the draft: HSDS JSON (nested or linked by id), an HSDS
    /// tabular data package (a folder with datapackage.json) or a spreadsheet CSV. Prints a
    /// validation report first; writes nothing unless every record is valid.
    Import {
        /// Directory holding the server's SQLite database.
        #[arg(
            long,
            env = "WAYPOINT_SERVER_DATA_DIR",
            default_value = "waypoint-server-data"
        )]
        data_dir: PathBuf,
        /// File or folder to import.
        path: PathBuf,
        /// Input format.
        #[arg(long, value_enum, default_value = "auto")]
        format: import::Format,
        /// Column mapping file for a spreadsheet CSV (`{"columns": {"name": "Service"}}`).
        #[arg(long)]
        mapping: Option<PathBuf>,
        /// Column mapping for a spreadsheet CSV, `field=Column` (repeatable).
        #[arg(long = "map")]
        map: Vec<String>,
        /// Language tag of the source's text.
        #[arg(long)]
        language: Option<String>,
        /// Country (ISO 3166 alpha-2) for locations and phones that name none.
        #[arg(long)]
        country: Option<String>,
        /// IANA time zone for schedules that name none.
        #[arg(long)]
        timezone: Option<String>,
        /// `last_verified` date (YYYY-MM-DD) for records that carry none.
        #[arg(long)]
        last_verified: Option<String>,
        /// Source (URL or organisation) for records that name none.
        #[arg(long)]
        source: Option<String>,
        /// Only check and print the report; change nothing.
        #[arg(long)]
        check: bool,
        /// Replace the whole draft instead of adding to it.
        #[arg(long)]
        replace: bool,
        /// Print the report as JSON on stdout.
        #[arg(long)]
        json: bool,
    },
    /// Export the draft as HSDS 3: nested JSON, JSON tables linked by id, or a tabular data
    /// package folder.
    ExportHsds {
        /// Directory holding the server's SQLite database.
        #[arg(
            long,
            env = "WAYPOINT_SERVER_DATA_DIR",
            default_value = "waypoint-server-data"
        )]
        data_dir: PathBuf,
        /// Output file (JSON) or folder (tabular).
        out: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value = "nested")]
        format: HsdsOut,
    },
    /// Write a synthetic directory of N records as nested HSDS JSON (for import timings).
    #[cfg(feature = "synth")]
    #[command(hide = true)]
    SynthHsds {
        /// How many records.
        n: usize,
        /// Output file.
        out: PathBuf,
    },
    /// Write the published tree as static files (serve them with nginx, S3 or any CDN).
    Export {
        /// Directory holding the server's SQLite database.
        #[arg(
            long,
            env = "WAYPOINT_SERVER_DATA_DIR",
            default_value = "waypoint-server-data"
        )]
        data_dir: PathBuf,
        /// Output directory (created; existing files with the same names are replaced).
        dir: PathBuf,
        #[command(flatten)]
        freshness: FreshnessArgs,
    },
}

/// The online freshness key (listed in the keyset's `freshness_keys`): it signs
/// `v1/freshness`, the short-lived statement that the published manifest is current.
#[derive(Debug, clap::Args)]
struct FreshnessArgs {
    /// Freshness key file (same format as a publisher key file). Without it, no freshness
    /// statement is served; `serve --demo` uses the demo's own.
    #[arg(long, env = "WAYPOINT_FRESHNESS_KEY")]
    freshness_key: Option<PathBuf>,
    /// How long each statement vouches, in hours (1 to 336).
    #[arg(long, default_value_t = 24)]
    freshness_hours: u32,
}

impl FreshnessArgs {
    fn signer(
        &self,
        fallback: Option<PathBuf>,
    ) -> anyhow::Result<Option<freshness::FreshnessSigner>> {
        match self.freshness_key.clone().or(fallback) {
            Some(path) => Ok(Some(freshness::FreshnessSigner::load(
                &path,
                self.freshness_hours,
            )?)),
            None => Ok(None),
        }
    }
}

/// HSDS export formats.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum HsdsOut {
    /// `{"services": [...]}` with everything nested in each service.
    Nested,
    /// One JSON object of tables linked by id.
    Linked,
    /// A folder of CSVs with datapackage.json.
    Tabular,
}

#[derive(Debug, Subcommand)]
enum AdvocateAction {
    /// Create an advocate and print their API token (shown once).
    Add {
        /// Unique name.
        name: String,
        /// editor, publisher or admin.
        #[arg(long)]
        role: advocates::Role,
    },
    /// Revoke an advocate's token.
    Revoke {
        /// Name given at creation.
        name: String,
    },
    /// List advocates.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> anyhow::Result<()> {
    init_logging();
    let cli = Cli::parse();
    match cli.command {
        Command::Serve {
            data_dir,
            listen,
            demo,
            freshness,
            secure_cookies,
        } => {
            let runtime = tokio::runtime::Runtime::new()?;
            runtime.block_on(serve(data_dir, listen, demo, freshness, secure_cookies))
        }
        Command::Advocate { data_dir, action } => advocate(&data_dir, action),
        Command::KeysetInit { data_dir, file } => {
            let db = db::Db::open(&data_dir)?;
            let bytes = std::fs::read(&file)?;
            let v = publish::init_keyset(&db, &bytes, now_ms(), "cli")?;
            eprintln!("installed keyset version {v}");
            Ok(())
        }
        Command::Sign { .. } => anyhow::bail!(
            "`waypoint-server sign` was removed: sign on your own machine with \
             `waypoint-publish sign --candidate FILE --key KEY --pinned-keyset KEYSET --server URL --out SIGS`, \
             which checks the candidate against the published state and shows every change first"
        ),
        Command::Import {
            data_dir,
            path,
            format,
            mapping,
            map,
            language,
            country,
            timezone,
            last_verified,
            source,
            check,
            replace,
            json,
        } => {
            let mut m = match &mapping {
                Some(p) => csv_import::Mapping::from_json(&std::fs::read(p)?)
                    .map_err(anyhow::Error::msg)?,
                None => csv_import::Mapping::default(),
            };
            m = m.with_flags(&map).map_err(anyhow::Error::msg)?;
            let opts = import::Options {
                language,
                country,
                timezone,
                last_verified,
                source,
            };
            let started = std::time::Instant::now();
            let (values, mut report) = import::read_path(&path, format, &m, &opts);
            let checked = started.elapsed();
            let db = db::Db::open(&data_dir)?;
            if report.ok() && !check {
                import::apply(&db, &values, replace, "cli", now_ms())?;
                report.applied = true;
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                eprint!("{}", report.to_text());
            }
            eprintln!(
                "read and checked in {:.2}s, total {:.2}s",
                checked.as_secs_f64(),
                started.elapsed().as_secs_f64()
            );
            if !report.ok() {
                anyhow::bail!("nothing imported: the report lists {} errors", report.errors.len());
            }
            if report.applied {
                eprintln!("imported {} records into the draft", report.records_valid);
            } else {
                eprintln!("check only: nothing changed");
            }
            Ok(())
        }
        Command::ExportHsds {
            data_dir,
            out,
            format,
        } => {
            let db = db::Db::open(&data_dir)?;
            let records = import::draft_records(&db)?;
            match format {
                HsdsOut::Nested => std::fs::write(
                    &out,
                    serde_json::to_vec_pretty(&hsds::export_nested(&records))?,
                )?,
                HsdsOut::Linked => {
                    let services: Vec<_> = records.iter().map(hsds::service_from_record).collect();
                    std::fs::write(&out, serde_json::to_vec_pretty(&hsds::link(&services))?)?
                }
                HsdsOut::Tabular => hsds::write_tabular(&out, &records)?,
            }
            eprintln!("exported {} records to {}", records.len(), out.display());
            Ok(())
        }
        #[cfg(feature = "synth")]
        Command::SynthHsds { n, out } => {
            let records = waypoint_format::synth::records(n, 7);
            std::fs::write(&out, serde_json::to_vec(&hsds::export_nested(&records))?)?;
            Ok(())
        }
        Command::Export {
            data_dir,
            dir,
            freshness,
        } => {
            let db = db::Db::open(&data_dir)?;
            let signer = freshness.signer(None)?;
            let n = export::export(&db, &dir, signer.as_ref(), now_ms().div_euclid(1000))?;
            eprintln!("wrote {n} files to {}", dir.display());
            Ok(())
        }
    }
}

/// Logs go to stderr and never include client addresses or request details. Only this
/// crate's own events are written, whatever `WAYPOINT_LOG` says: hyper, axum, tower and
/// tokio log accepted connections with the peer's address at trace level, so their events
/// are dropped before formatting (`tests/tests/publish_review.rs::trace_logging_holds_no_client_address`).
fn init_logging() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::Layer;
    let level = tracing_subscriber::EnvFilter::try_from_env("WAYPOINT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let own_events_only = tracing_subscriber::filter::filter_fn(is_own_target);
    tracing_subscriber::registry()
        .with(level)
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_filter(own_events_only),
        )
        .init();
}

/// Whether a log event comes from this crate (and so carries no connection details).
fn is_own_target(meta: &tracing::Metadata<'_>) -> bool {
    meta.target() == "waypoint_server" || meta.target().starts_with("waypoint_server::")
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

fn advocate(data_dir: &std::path::Path, action: AdvocateAction) -> anyhow::Result<()> {
    let db = db::Db::open(data_dir)?;
    match action {
        AdvocateAction::Add { name, role } => {
            let token = advocates::add(&db, &name, role, now_ms(), "cli")?;
            println!("{}", token.0);
            eprintln!(
                "created {name} ({}); the token above is shown only once",
                role.as_str()
            );
        }
        AdvocateAction::Revoke { name } => {
            advocates::revoke(&db, &name, now_ms(), "cli")?;
            eprintln!("revoked {name}");
        }
        AdvocateAction::List { json } => {
            let all = advocates::list(&db)?;
            if json {
                println!("{}", serde_json::to_string_pretty(&all)?);
            } else {
                for a in all {
                    let state = if a.revoked_ms.is_some() {
                        "revoked"
                    } else {
                        "active"
                    };
                    println!("{}\t{}\t{state}", a.name, a.role.as_str());
                }
            }
        }
    }
    Ok(())
}

async fn serve(
    data_dir: PathBuf,
    listen: SocketAddr,
    demo: bool,
    freshness: FreshnessArgs,
    secure_cookies: bool,
) -> anyhow::Result<()> {
    let db = db::Db::open(&data_dir)?;
    let demo_keyset = if demo {
        let keyset = demo::ensure(&db, &data_dir, now_ms())?;
        tracing::warn!("demo mode: publisher keys are stored next to the database; never do this in production");
        Some(keyset)
    } else {
        None
    };
    let demo_freshness = demo
        .then(|| demo::freshness_key_path(&data_dir))
        .filter(|p| p.exists());
    let signer = freshness.signer(demo_freshness)?;
    if let Some(signer) = &signer {
        let listed = db.with(|c| {
            Ok(publish::current_keyset(c)
                .is_ok_and(|k| k.freshness_keys.iter().any(|e| e.keyid == signer.key_id())))
        })?;
        if !listed {
            tracing::warn!(
                "the freshness key is not listed in the current keyset; clients will not accept its statements until a rotation lists it"
            );
        }
        tracing::info!(ttl_s = signer.ttl_s(), "serving freshness statements");
    }
    let mut state = http::AppState::new(db)?.with_secure_cookies(secure_cookies);
    if let Some(signer) = signer {
        state = state.with_freshness(signer);
    }
    let app = http::router(state);
    let listener = tokio::net::TcpListener::bind(listen).await?;
    let local = listener.local_addr()?;
    // Printed on stdout so scripts and tests can find a port chosen with :0.
    println!("waypoint-server listening on http://{local}");
    if let Some(keyset) = demo_keyset {
        println!("demo directory published. Sync a client to it with:");
        println!(
            "  waypoint --data-dir /tmp/waypoint-demo directory sync --server http://{local} --root-keyset {}",
            keyset.display()
        );
        println!("  waypoint --data-dir /tmp/waypoint-demo directory search hotline");
    }
    tracing::info!(%local, "listening");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down");
}

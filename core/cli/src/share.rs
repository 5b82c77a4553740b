//! `waypoint share` (the survivor's side) and `waypoint open-share` (the recipient's side).

use std::path::PathBuf;

use crate::output::outln;
use anyhow::{bail, Context};
use clap::{Args, Subcommand};
use waypoint_core::sharing::{open_package, OpenWith};
use waypoint_core::Waypoint;

use crate::vault::{read_new_secret, read_secret, unlock};

/// Environment variable for a share's passphrase (sender: otherwise prompted twice;
/// recipient: `WAYPOINT_PASSPHRASE` or a prompt).
pub const SHARE_PASSPHRASE_ENV: &str = "WAYPOINT_SHARE_PASSPHRASE";

/// `waypoint share`: the chosen entries, encrypted for one person.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ShareArgs {
    #[command(subcommand)]
    cmd: Option<ShareCmd>,
    /// Entry to share (repeatable).
    #[arg(long = "entry")]
    entries: Vec<String>,
    /// Appointment to share (repeatable).
    #[arg(long = "appointment")]
    appointments: Vec<String>,
    /// Document to share, with its photo or scan (repeatable).
    #[arg(long = "document")]
    documents: Vec<String>,
    /// Encrypt to this age key (age1...) or a saved recipient's id.
    #[arg(long, conflicts_with = "passphrase")]
    to: Option<String>,
    /// Encrypt to a passphrase (prompted, or WAYPOINT_SHARE_PASSPHRASE).
    #[arg(long)]
    passphrase: bool,
    /// Output file (hand it over by any route; nothing goes through a Waypoint server).
    #[arg(long)]
    out: Option<PathBuf>,
}

/// Saved recipients and key fingerprints.
#[derive(Debug, Subcommand)]
pub enum ShareCmd {
    /// Manage saved recipients.
    #[command(subcommand)]
    Recipients(RecipientsCmd),
    /// Print the short fingerprint of an age key, to compare in person.
    Fingerprint {
        /// The age1... key.
        key: String,
        /// Also show the key as a QR code, for the survivor's phone to scan ("Scan their
        /// code" on the "People I share with" screen).
        #[arg(long)]
        qr: bool,
    },
}

/// `waypoint share recipients ...`.
#[derive(Debug, Subcommand)]
pub enum RecipientsCmd {
    /// Save a recipient (their age1... key, pasted).
    Add {
        /// Your name for them.
        #[arg(long)]
        label: String,
        /// Their age1... key.
        #[arg(long)]
        key: String,
    },
    /// List saved recipients with their fingerprints.
    List,
    /// Remove a saved recipient.
    Remove {
        /// Its id.
        id: String,
    },
}

/// `waypoint share fingerprint KEY`, run before any data directory is opened: it reads
/// only the key it is given, so a lawyer's or advocate's laptop gets no data directory
/// from it. `None` when `args` is another `share` command (those need the vault).
pub fn fingerprint_without_data(args: &ShareArgs, as_json: bool) -> Option<anyhow::Result<()>> {
    match &args.cmd {
        Some(ShareCmd::Fingerprint { key, qr }) => Some(fingerprint(key, *qr, as_json)),
        _ => None,
    }
}

fn fingerprint(key: &str, qr: bool, as_json: bool) -> anyhow::Result<()> {
    // The same seam the phone's scan goes through: the canonical key and its fingerprint.
    let read = waypoint_core::sharing::read_scanned_key(key)
        .map_err(waypoint_core::WaypointApiError::from)?;
    let code = if qr { Some(qr_lines(&read.key)?) } else { None };
    if as_json {
        let mut out = serde_json::json!({ "fingerprint": read.fingerprint });
        if let Some(lines) = code {
            out["key"] = read.key.into();
            out["qr"] = lines.into();
        }
        outln!("{out}");
    } else {
        if let Some(lines) = code {
            // On a terminal, dark modules on a light background whatever its theme.
            let (on, off) = if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                ("\x1b[30;107m", "\x1b[0m")
            } else {
                ("", "")
            };
            for line in lines {
                outln!("{on}{line}{off}");
            }
            outln!("{}", read.key);
        }
        outln!("{}", read.fingerprint);
    }
    Ok(())
}

/// Runs `waypoint share`.
pub fn run(wp: &Waypoint, args: ShareArgs, as_json: bool) -> anyhow::Result<()> {
    let sharing = wp.sharing();
    match args.cmd {
        Some(ShareCmd::Fingerprint { key, qr }) => fingerprint(&key, qr, as_json),
        Some(ShareCmd::Recipients(cmd)) => {
            unlock(wp)?;
            match cmd {
                RecipientsCmd::Add { label, key } => {
                    let r = sharing.add_recipient(label, key)?;
                    if as_json {
                        outln!("{}", serde_json::to_string(&r)?);
                    } else {
                        outln!("saved {} (fingerprint {})", r.id, r.fingerprint);
                    }
                }
                RecipientsCmd::List => {
                    let all = sharing.list_recipients()?;
                    if as_json {
                        outln!("{}", serde_json::to_string(&all)?);
                    } else {
                        for r in &all {
                            outln!("{}  {}  {}  {}", r.id, r.fingerprint, r.label, r.key);
                        }
                    }
                }
                RecipientsCmd::Remove { id } => {
                    sharing.remove_recipient(id)?;
                    if as_json {
                        outln!("{}", serde_json::json!({ "removed": true }));
                    } else {
                        outln!("removed");
                    }
                }
            }
            Ok(())
        }
        None => {
            if args.entries.is_empty() && args.appointments.is_empty() && args.documents.is_empty()
            {
                bail!("choose at least one --entry, --appointment or --document");
            }
            let out = args
                .out
                .context("--out is required")?
                .to_str()
                .context("--out must be valid UTF-8")?
                .to_owned();
            unlock(wp)?;
            let summary = match (args.to, args.passphrase) {
                (Some(to), false) => sharing.share_chosen_to_key(
                    args.entries,
                    args.appointments,
                    args.documents,
                    to,
                    out,
                )?,
                (None, true) => {
                    let p = read_new_secret(SHARE_PASSPHRASE_ENV, "Passphrase for the share: ")?;
                    sharing.share_chosen_to_passphrase(
                        args.entries,
                        args.appointments,
                        args.documents,
                        p,
                        out,
                    )?
                }
                _ => bail!("give --to age1... or --passphrase"),
            };
            if as_json {
                outln!("{}", serde_json::to_string(&summary)?);
            } else {
                outln!(
                    "shared {} entries, {} attachments and {} document files ({} bytes); chain head {}",
                    summary.entries,
                    summary.attachments,
                    summary.files,
                    summary.bytes,
                    summary.chain_head
                );
            }
            Ok(())
        }
    }
}

/// `waypoint open-share FILE`: the recipient's side (no data directory needed).
#[derive(Debug, Args)]
pub struct OpenShareArgs {
    /// The share file (.age).
    file: PathBuf,
    /// An age identity file (AGE-SECRET-KEY-1...); otherwise the passphrase from
    /// WAYPOINT_PASSPHRASE or a prompt.
    #[arg(long)]
    identity: Option<PathBuf>,
    /// Directory to write the report and attachments to (must not exist or be empty).
    #[arg(long)]
    out: PathBuf,
}

/// Runs `waypoint open-share`.
pub fn open_share(args: OpenShareArgs, as_json: bool) -> anyhow::Result<()> {
    let with = match &args.identity {
        Some(path) => OpenWith::Identity(zeroize_string(
            std::fs::read_to_string(path).context("cannot read the identity file")?,
        )),
        None => OpenWith::Passphrase(
            read_secret("WAYPOINT_PASSPHRASE", "Passphrase of the share: ")?.into(),
        ),
    };
    let s = open_package(&args.file, with, &args.out)?;
    if as_json {
        outln!("{}", serde_json::to_string(&s)?);
    } else {
        outln!(
            "chain verified: {} entries, {} attachments, {} appointments, {} documents; chain head {}\nreport: {}",
            s.entries, s.attachments, s.appointments, s.documents, s.chain_head, s.report
        );
    }
    Ok(())
}

fn zeroize_string(s: String) -> waypoint_core::sharing::SecretText {
    waypoint_core::sharing::SecretText::new(s)
}

/// `key` as a QR code in text, two rows of modules per line (Unicode half blocks: a full or
/// half block is dark), with the quiet zone a scanner needs.
fn qr_lines(key: &str) -> anyhow::Result<Vec<String>> {
    let code = qrcode::QrCode::with_error_correction_level(key.as_bytes(), qrcode::EcLevel::M)
        .context("the key does not fit in a QR code")?;
    let text = code
        .render::<qrcode::render::unicode::Dense1x2>()
        .quiet_zone(true)
        .build();
    Ok(text.lines().map(str::to_owned).collect())
}

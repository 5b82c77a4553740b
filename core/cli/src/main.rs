//! `waypoint`: the desktop shell over the Waypoint core.
//!
//! It calls the same exported surface the phones call, so it doubles as the third platform
//! in end-to-end tests. Contract (docs/ARCHITECTURE.md): `--data-dir DIR`, passphrase from
//! `WAYPOINT_PASSPHRASE` (otherwise a prompt), `--json` for machine-readable output, and on
//! error a non-zero exit with one line on stderr.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use waypoint_core::Waypoint;

mod app;
mod appointments;
mod directory;
mod disguise;
mod documents;
mod guides;
mod journal;
mod output;
mod safety_plan;
mod share;
mod sync;
mod vault;

/// A private companion for survivors: journal, reminders, directory of help.
#[derive(Debug, Parser)]
#[command(name = "waypoint", version, about)]
struct Cli {
    /// Data directory holding the encrypted store.
    #[arg(
        long,
        env = "WAYPOINT_DATA_DIR",
        global = true,
        visible_alias = "data",
        default_value = "waypoint-data"
    )]
    data_dir: PathBuf,
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show schema versions, vault state and directory version.
    Status,
    /// Create the vault (passphrase from WAYPOINT_PASSPHRASE or a prompt).
    Init,
    /// Check the passphrase opens the vault.
    UnlockCheck,
    /// Keep a journal: add, list, show, search, edit, delete, attach, export.
    #[command(subcommand)]
    Journal(Box<journal::JournalCmd>),
    /// Keep appointments: add, list, show, edit, delete, export (.ics, age-encrypted).
    #[command(subcommand)]
    Appointment(Box<appointments::AppointmentCmd>),
    /// Keep documents (passport, visa, work permit, I-94, court papers, ...): add, list,
    /// show, edit, set-file, save-file, remove; expiry reminders.
    #[command(subcommand)]
    Documents(Box<documents::DocumentsCmd>),
    /// A private safety plan (guided sections) and an optional check-in that suggests
    /// kinds of help from the directory and stores nothing.
    #[command(subcommand)]
    SafetyPlan(Box<safety_plan::SafetyPlanCmd>),
    /// Know-your-rights guides (packaged, and signed by the publishers): list, show ID (no passphrase).
    #[command(subcommand)]
    Guides(guides::GuidesCmd),
    /// The reminders a phone would schedule now (neutral text only); snooze, dismiss.
    Reminders(appointments::RemindersArgs),
    /// Change the passphrase.
    #[command(subcommand)]
    Passphrase(vault::PassphraseCmd),
    /// Vault settings: duress passphrase, wipe after failures.
    #[command(subcommand)]
    Vault(vault::VaultCmd),
    /// Print what the decoy calculator shows after KEYS (e.g. "12+3=" prints 15).
    Calc {
        /// Keys: digits . + - * x / = % n(±) c(clear) <(backspace).
        keys: String,
    },
    /// Quick exit: lock at once, no prompt (wipes too if the person opted in).
    Panic,
    /// Search and show the offline directory of help.
    #[command(subcommand)]
    Directory(directory::DirectoryCommand),
    /// Sync the directory from a server (see `waypoint sync --help`).
    Sync(sync::SyncArgs),
    /// Share chosen entries with one person as an age file; saved recipients.
    Share(Box<share::ShareArgs>),
    /// The whole app in this terminal (the phones' screens): F12 is the quick exit, on
    /// every screen; Ctrl-C closes it. Calls and links are shown, never opened.
    App(app::AppArgs),
    /// Open a share you received: decrypt, check the chain, write the report.
    OpenShare(share::OpenShareArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Output into a pipe whose reader has gone (`| head -1`) unwinds to here with
    // `output::BrokenPipe`: exit 141, as a Unix filter stopped by SIGPIPE, with nothing on
    // stderr.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(cli))) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            // One line, no personal data: errors from the core never carry any.
            eprintln!("waypoint: {}", output::one_line(&e));
            ExitCode::FAILURE
        }
        Err(payload) if payload.is::<output::BrokenPipe>() => ExitCode::from(141),
        Err(payload) => std::panic::resume_unwind(payload),
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    if let Command::Calc { keys } = &cli.command {
        return disguise::calc(keys, cli.json);
    }
    if let Command::OpenShare(args) = cli.command {
        return share::open_share(args, cli.json);
    }
    if let Command::Share(args) = &cli.command {
        if let Some(done) = share::fingerprint_without_data(args, cli.json) {
            return done;
        }
    }
    let data_dir = cli
        .data_dir
        .to_str()
        .ok_or_else(|| anyhow::anyhow!("--data-dir must be valid UTF-8"))?
        .to_owned();
    let wp: Arc<Waypoint> = vault::open(data_dir)?;
    match cli.command {
        Command::Status => output::status(&wp.status()?, cli.json),
        Command::App(args) => app::run(&wp, args),
        Command::Init => vault::init(&wp, cli.json),
        Command::UnlockCheck => vault::unlock_check(&wp, cli.json),
        Command::Journal(c) => journal::run(&wp, *c, cli.json),
        Command::Appointment(c) => appointments::run(&wp, *c, cli.json),
        Command::Documents(c) => documents::run(&wp, *c, cli.json),
        Command::SafetyPlan(c) => safety_plan::run(&wp, *c, cli.json),
        Command::Guides(c) => guides::run(&wp, c, cli.json),
        Command::Reminders(a) => appointments::reminders(&wp, a, cli.json),
        Command::Passphrase(c) => vault::passphrase(&wp, c, cli.json),
        Command::Vault(c) => vault::vault(&wp, c, cli.json),
        Command::Panic => disguise::panic(&wp, cli.json),
        Command::Calc { keys } => disguise::calc(&keys, cli.json),
        Command::Share(args) => share::run(&wp, *args, cli.json),
        Command::OpenShare(_) => unreachable!("handled before the data directory is opened"),
        Command::Directory(cmd) => directory::run(&wp, cmd, cli.json),
        Command::Sync(args) => match sync::run(&wp, args, cli.json)? {
            0 => Ok(()),
            _ => std::process::exit(2),
        },
    }
}

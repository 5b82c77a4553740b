//! `waypoint init`, `unlock-check`, `passphrase change`, `vault ...`, and the helpers every
//! command that needs the vault uses: opening with the right config and unlocking with the
//! passphrase from `WAYPOINT_PASSPHRASE` or a prompt.

use crate::output::outln;
use std::sync::Arc;

use anyhow::{bail, Context};
use clap::Subcommand;
use waypoint_core::platform::system_clock;
use waypoint_core::vault::VaultConfig;
use waypoint_core::{FileKeyStore, KeyStore, Waypoint};

/// Environment variable holding the passphrase (otherwise the CLI prompts).
pub const PASSPHRASE_ENV: &str = "WAYPOINT_PASSPHRASE";
/// Environment variable holding the new passphrase for `passphrase change`.
pub const NEW_PASSPHRASE_ENV: &str = "WAYPOINT_NEW_PASSPHRASE";

/// Opens the data directory with the vault config and the desktop stand-in platform key.
///
/// Debug builds only: `WAYPOINT_TEST_SCRYPT_LOG_N` lowers the work factor so end-to-end
/// tests run fast. Release builds ignore it and always use the pinned factor (18).
pub fn open(data_dir: String) -> anyhow::Result<Arc<Waypoint>> {
    #[allow(unused_mut)]
    let mut config = VaultConfig::default();
    #[cfg(debug_assertions)]
    if let Ok(v) = std::env::var("WAYPOINT_TEST_SCRYPT_LOG_N") {
        config.scrypt_log_n = v
            .parse()
            .context("WAYPOINT_TEST_SCRYPT_LOG_N must be a small number")?;
    }
    let key_store: Arc<dyn KeyStore> = FileKeyStore::new(data_dir.clone());
    Ok(Waypoint::open_with_config(
        data_dir,
        system_clock(),
        Some(key_store),
        config,
    )?)
}

/// The passphrase from `var` or, if unset, a hidden prompt.
pub fn read_secret(var: &str, prompt: &str) -> anyhow::Result<String> {
    if let Ok(p) = std::env::var(var) {
        return Ok(p);
    }
    rpassword::prompt_password(prompt).context("could not read the passphrase from the terminal")
}

/// A new passphrase: from `var`, or prompted twice.
pub fn read_new_secret(var: &str, prompt: &str) -> anyhow::Result<String> {
    if let Ok(p) = std::env::var(var) {
        return Ok(p);
    }
    let a = rpassword::prompt_password(prompt).context("could not read the passphrase")?;
    let b = rpassword::prompt_password("Repeat it: ").context("could not read the passphrase")?;
    if a != b {
        bail!("the two passphrases differ; nothing was changed");
    }
    Ok(a)
}

/// Unlocks with the passphrase from the environment or a prompt.
pub fn unlock(wp: &Waypoint) -> anyhow::Result<()> {
    let pass = read_secret(PASSPHRASE_ENV, "Passphrase: ")?;
    wp.vault().unlock(pass)?;
    Ok(())
}

/// `waypoint passphrase ...`
#[derive(Debug, Subcommand)]
pub enum PassphraseCmd {
    /// Change the passphrase (old from WAYPOINT_PASSPHRASE or a prompt, new from
    /// WAYPOINT_NEW_PASSPHRASE or a prompt). Only the vault key is rewrapped.
    Change,
}

/// `waypoint vault ...`. Opened with the duress passphrase, each command answers exactly as
/// in the real vault (same checks, same messages) and changes nothing of the real vault.
#[derive(Debug, Subcommand)]
pub enum VaultCmd {
    /// Set a duress passphrase (from WAYPOINT_NEW_PASSPHRASE or a prompt): it opens a
    /// separate, empty decoy journal.
    DuressSet {
        /// Also destroy the real vault's key when the duress passphrase is used.
        #[arg(long)]
        shred: bool,
    },
    /// Remove the duress passphrase.
    DuressClear,
    /// Wipe everything after N consecutive wrong passphrases ("off" to disable).
    WipeAfter {
        /// A number of failures, or "off".
        failures: String,
    },
}

/// `waypoint init`
pub fn init(wp: &Waypoint, as_json: bool) -> anyhow::Result<()> {
    let pass = read_new_secret(PASSPHRASE_ENV, "New passphrase: ")?;
    wp.vault().setup(pass)?;
    wp.vault().lock();
    if as_json {
        crate::output::json(&serde_json::json!({ "vault": "locked" }))
    } else {
        outln!("vault created; it is locked until you unlock it");
        Ok(())
    }
}

/// `waypoint unlock-check`
pub fn unlock_check(wp: &Waypoint, as_json: bool) -> anyhow::Result<()> {
    unlock(wp)?;
    wp.vault().lock();
    if as_json {
        crate::output::json(&serde_json::json!({ "unlocked": true }))
    } else {
        outln!("passphrase accepted");
        Ok(())
    }
}

/// `waypoint passphrase ...`
pub fn passphrase(wp: &Waypoint, cmd: PassphraseCmd, as_json: bool) -> anyhow::Result<()> {
    match cmd {
        PassphraseCmd::Change => {
            let old = read_secret(PASSPHRASE_ENV, "Current passphrase: ")?;
            let new = read_new_secret(NEW_PASSPHRASE_ENV, "New passphrase: ")?;
            wp.vault().change_passphrase(old, new)?;
        }
    }
    if as_json {
        crate::output::json(&serde_json::json!({ "changed": true }))
    } else {
        outln!("passphrase changed");
        Ok(())
    }
}

/// `waypoint vault ...`
pub fn vault(wp: &Waypoint, cmd: VaultCmd, as_json: bool) -> anyhow::Result<()> {
    unlock(wp)?;
    let done = match cmd {
        VaultCmd::DuressSet { shred } => {
            let duress = read_new_secret(NEW_PASSPHRASE_ENV, "Duress passphrase: ")?;
            wp.vault().set_duress_passphrase(duress, shred)?;
            "duress passphrase set"
        }
        VaultCmd::DuressClear => {
            wp.vault().clear_duress_passphrase()?;
            "duress passphrase removed"
        }
        VaultCmd::WipeAfter { failures } => {
            let n = if failures == "off" {
                None
            } else {
                Some(
                    failures
                        .parse::<u32>()
                        .context("give a number of failures or \"off\"")?,
                )
            };
            wp.vault().set_wipe_after_failures(n)?;
            "wipe setting saved"
        }
    };
    wp.vault().lock();
    if as_json {
        crate::output::json(&serde_json::json!({ "done": done }))
    } else {
        outln!("{done}");
        Ok(())
    }
}

//! The exported vault: one-line delegations to [`Core`].

use std::sync::Arc;

use super::ApiResult;
use crate::app::{Core, VaultState};
use crate::vault::VaultConfig;

/// The release vault config (work factor 18). Tests on a debug build may lower
/// `scrypt_log_n`; a release build refuses a lower value.
#[uniffi::export]
pub fn default_vault_config() -> VaultConfig {
    VaultConfig::default()
}

/// The vault of one opened data directory.
#[derive(Debug, uniffi::Object)]
pub struct Vault {
    inner: Arc<Core>,
}

impl Vault {
    pub(crate) fn new(inner: &Arc<Core>) -> Self {
        Self {
            inner: Arc::clone(inner),
        }
    }
}

#[uniffi::export]
impl Vault {
    /// Creates the vault, protected by `passphrase`, and leaves it unlocked.
    pub fn setup(&self, passphrase: String) -> ApiResult<()> {
        Ok(self.inner.setup(passphrase)?)
    }

    /// Unlocks the vault. A wrong passphrase is `WrongPassphrase { retry_after_s }`.
    pub fn unlock(&self, passphrase: String) -> ApiResult<()> {
        Ok(self.inner.unlock(passphrase)?)
    }

    /// Locks: every key and in-memory index is dropped (and zeroised). Never fails.
    pub fn lock(&self) {
        self.inner.lock()
    }

    /// Changes the passphrase `old` opens to `new`. Rewraps only the vault key.
    pub fn change_passphrase(&self, old: String, new: String) -> ApiResult<()> {
        Ok(self.inner.change_passphrase(old, new)?)
    }

    /// Uninitialized, Locked or Unlocked.
    pub fn state(&self) -> ApiResult<VaultState> {
        Ok(self.inner.vault_state()?)
    }

    /// Seconds still to wait before an unlock attempt is accepted (0 = now).
    pub fn retry_after_s(&self) -> ApiResult<u64> {
        Ok(self.inner.unlock_retry_after_s()?)
    }

    /// Sets the duress passphrase (real vault unlocked): it opens a separate decoy journal;
    /// with `shred_real_on_use` it also destroys the real vault's key when used.
    pub fn set_duress_passphrase(
        &self,
        duress_passphrase: String,
        shred_real_on_use: bool,
    ) -> ApiResult<()> {
        Ok(self
            .inner
            .set_duress_passphrase(duress_passphrase, shred_real_on_use)?)
    }

    /// Removes the duress passphrase and its decoy journal's key.
    pub fn clear_duress_passphrase(&self) -> ApiResult<()> {
        Ok(self.inner.clear_duress_passphrase()?)
    }

    /// Opt-in: wipe everything after `failures` consecutive wrong passphrases (`None` = off).
    pub fn set_wipe_after_failures(&self, failures: Option<u32>) -> ApiResult<()> {
        Ok(self.inner.set_wipe_after_failures(failures)?)
    }
}

//! Exported vault operations: thin wrappers over [`crate::vault`].

use std::sync::Arc;

use super::{ApiResult, VaultState, Waypoint};
use crate::clock::Clock;
use crate::crypto::KeyStore;
use crate::error::Error;
use crate::vault::{VaultConfig, VaultCtx};
use zeroize::Zeroizing;

/// The release vault config (work factor 18). Tests on a debug build may lower
/// `scrypt_log_n`; a release build refuses a lower value.
#[uniffi::export]
pub fn default_vault_config() -> VaultConfig {
    VaultConfig::default()
}

#[uniffi::export]
impl Waypoint {
    /// Opens `data_dir` with an explicit vault config and, optionally, a platform key that
    /// adds a second wrap around the vault key and seals the lockout state.
    #[uniffi::constructor]
    pub fn open_with_config(
        data_dir: String,
        clock: Arc<dyn Clock>,
        key_store: Option<Arc<dyn KeyStore>>,
        config: VaultConfig,
    ) -> ApiResult<Arc<Self>> {
        config.validate()?;
        let wp = Self::open(data_dir, clock)?;
        wp.vault.configure(config, key_store)?;
        Ok(wp)
    }

    /// Creates the vault, protected by `passphrase`, and leaves it unlocked.
    pub fn setup(&self, passphrase: String) -> ApiResult<()> {
        let passphrase = Zeroizing::new(passphrase);
        let session = self.vault_ctx().setup(&passphrase)?;
        self.install_session(session)?;
        Ok(())
    }

    /// Unlocks the vault. A wrong passphrase is `WrongPassphrase { retry_after_s }`.
    pub fn unlock(&self, passphrase: String) -> ApiResult<()> {
        let passphrase = Zeroizing::new(passphrase);
        self.drop_session();
        let session = self.vault_ctx().unlock(&passphrase)?;
        self.install_session(session)?;
        Ok(())
    }

    /// Locks: every key and in-memory index is dropped (and zeroised). Never fails.
    pub fn lock(&self) {
        self.drop_session();
    }

    /// Changes the passphrase `old` opens to `new`. Rewraps only the vault key.
    pub fn change_passphrase(&self, old: String, new: String) -> ApiResult<()> {
        let (old, new) = (Zeroizing::new(old), Zeroizing::new(new));
        let result = self.vault_ctx().change_passphrase(&old, &new);
        if result.is_err() && !self.vault_ctx().is_set_up().unwrap_or(true) {
            // A wrong `old` reached the wipe-after count: the vault is gone, and so must be
            // any session (its keys and decrypted index) opened before the attempt.
            self.drop_session();
        }
        Ok(result?)
    }

    /// Uninitialized, Locked or Unlocked.
    pub fn vault_state(&self) -> ApiResult<VaultState> {
        Ok(self.vault_state_inner()?)
    }

    /// Seconds still to wait before an unlock attempt is accepted (0 = now).
    pub fn unlock_retry_after_s(&self) -> ApiResult<u64> {
        Ok(self.vault_ctx().retry_after_s()?)
    }

    /// Sets the duress passphrase (real vault unlocked): it opens a separate decoy journal;
    /// with `shred_real_on_use` it also destroys the real vault's key when used.
    pub fn set_duress_passphrase(
        &self,
        duress_passphrase: String,
        shred_real_on_use: bool,
    ) -> ApiResult<()> {
        let duress_passphrase = Zeroizing::new(duress_passphrase);
        let keys = self.with_session(|s| Ok(s.keys()?.clone_for_vault()))?;
        Ok(self
            .vault_ctx()
            .set_duress(&keys, &duress_passphrase, shred_real_on_use)?)
    }

    /// Removes the duress passphrase and its decoy journal's key.
    pub fn clear_duress_passphrase(&self) -> ApiResult<()> {
        let keys = self.with_session(|s| Ok(s.keys()?.clone_for_vault()))?;
        Ok(self.vault_ctx().clear_duress(&keys)?)
    }

    /// Opt-in: wipe everything after `failures` consecutive wrong passphrases (`None` = off).
    pub fn set_wipe_after_failures(&self, failures: Option<u32>) -> ApiResult<()> {
        let keys = self.with_session(|s| Ok(s.keys()?.clone_for_vault()))?;
        Ok(self.vault_ctx().set_wipe_after(&keys, failures)?)
    }
}

impl Waypoint {
    pub(crate) fn vault_ctx(&self) -> VaultCtx<'_> {
        VaultCtx {
            store: &self.store,
            clock: self.clock.as_ref(),
            handle: &self.vault,
            data_dir: &self.data_dir,
        }
    }

    fn install_session(&self, session: crate::session::Session) -> crate::Result<()> {
        let mut guard = self.session.lock()?;
        *guard = Some(session);
        Ok(())
    }

    pub(crate) fn vault_state_inner(&self) -> crate::Result<VaultState> {
        if self.session.lock().map_err(Error::from)?.is_some() {
            return Ok(VaultState::Unlocked);
        }
        Ok(if self.vault_ctx().is_set_up()? {
            VaultState::Locked
        } else {
            VaultState::Uninitialized
        })
    }
}

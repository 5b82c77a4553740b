//! Vault operations of the application: set up, unlock, lock, passphrase, duress, wipe-after.

use zeroize::Zeroizing;

use super::{Core, VaultState};
use crate::error::Result;
use crate::session::Session;
use crate::vault::VaultCtx;

impl Core {
    /// Creates the vault, protected by `passphrase`, and leaves it unlocked.
    pub fn setup(&self, passphrase: String) -> Result<()> {
        let passphrase = Zeroizing::new(passphrase);
        let session = self.vault_ctx().setup(&passphrase)?;
        self.install_session(session)
    }

    /// Unlocks the vault. A wrong passphrase is `WrongPassphrase { retry_after_s }`.
    pub fn unlock(&self, passphrase: String) -> Result<()> {
        let passphrase = Zeroizing::new(passphrase);
        self.drop_session();
        let session = self.vault_ctx().unlock(&passphrase)?;
        self.install_session(session)
    }

    /// Locks: every key and in-memory index is dropped (and zeroised). Never fails.
    pub fn lock(&self) {
        self.drop_session();
    }

    /// Changes the passphrase `old` opens to `new`. Rewraps only the vault key.
    pub fn change_passphrase(&self, old: String, new: String) -> Result<()> {
        let (old, new) = (Zeroizing::new(old), Zeroizing::new(new));
        let result = self.vault_ctx().change_passphrase(&old, &new);
        if result.is_err() && !self.vault_ctx().is_set_up().unwrap_or(true) {
            // A wrong `old` reached the wipe-after count: the vault is gone, and so must be
            // any session (its keys and decrypted index) opened before the attempt.
            self.drop_session();
        }
        result
    }

    /// Uninitialized, Locked or Unlocked.
    pub fn vault_state(&self) -> Result<VaultState> {
        if self.is_unlocked()? {
            return Ok(VaultState::Unlocked);
        }
        Ok(if self.vault_ctx().is_set_up()? {
            VaultState::Locked
        } else {
            VaultState::Uninitialized
        })
    }

    /// Seconds still to wait before an unlock attempt is accepted (0 = now).
    pub fn unlock_retry_after_s(&self) -> Result<u64> {
        self.vault_ctx().retry_after_s()
    }

    /// Sets the duress passphrase (real vault unlocked): it opens a separate decoy journal;
    /// with `shred_real_on_use` it also destroys the real vault's key when used.
    pub fn set_duress_passphrase(
        &self,
        duress_passphrase: String,
        shred_real_on_use: bool,
    ) -> Result<()> {
        let duress_passphrase = Zeroizing::new(duress_passphrase);
        let keys = self.with_session(|s| Ok(s.keys()?.clone_for_vault()))?;
        self.vault_ctx()
            .set_duress(&keys, &duress_passphrase, shred_real_on_use)
    }

    /// Removes the duress passphrase and its decoy journal's key.
    pub fn clear_duress_passphrase(&self) -> Result<()> {
        let keys = self.with_session(|s| Ok(s.keys()?.clone_for_vault()))?;
        self.vault_ctx().clear_duress(&keys)
    }

    /// Opt-in: wipe everything after `failures` consecutive wrong passphrases (`None` = off).
    pub fn set_wipe_after_failures(&self, failures: Option<u32>) -> Result<()> {
        let keys = self.with_session(|s| Ok(s.keys()?.clone_for_vault()))?;
        self.vault_ctx().set_wipe_after(&keys, failures)
    }

    pub(crate) fn vault_ctx(&self) -> VaultCtx<'_> {
        VaultCtx {
            store: &self.store,
            clock: self.clock.as_ref(),
            handle: &self.vault,
            data_dir: &self.data_dir,
        }
    }

    fn install_session(&self, session: Session) -> Result<()> {
        {
            let mut guard = self.session.lock()?;
            *guard = Some(session);
        }
        // A document file written but never recorded (the app was killed in between) is
        // removed now; it was encrypted, so this is tidiness, not secrecy, and a failure
        // here must not turn a good unlock into an error.
        if let Err(e) = self
            .documents_ctx()
            .and_then(|ctx| ctx.collect_orphan_files())
        {
            tracing::warn!(error = %e, "could not tidy unrecorded document files");
        }
        Ok(())
    }
}

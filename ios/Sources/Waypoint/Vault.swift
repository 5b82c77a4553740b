// The vault for app code on iOS: set up, unlock, lock, passphrase change, duress and
// wipe-after. Setup, unlock and a passphrase change run the memory-bounded key derivation
// (up to about a second on a cheap phone): use the `async` forms from UI code.
//
// Passphrases cross into the core as Swift `String`s, which cannot be wiped; keep them in
// local variables only, never in @State that outlives the screen.
import Foundation

extension WaypointCore {
    /// Uninitialized, locked or unlocked.
    public func vaultState() throws(WaypointError) -> VaultState {
        try core { try vaultFfi.state() }
    }

    /// Seconds still to wait before an unlock attempt is accepted (0 = now).
    public func unlockRetryAfter() throws(WaypointError) -> UInt64 {
        try core { try vaultFfi.retryAfterS() }
    }

    /// Creates the vault protected by `passphrase` and leaves it unlocked. Blocking.
    public func setUpVault(passphrase: String) throws(WaypointError) {
        try core { try vaultFfi.setup(passphrase: passphrase) }
    }

    /// `setUpVault` on a detached task.
    public func setUpVault(passphrase: String) async throws(WaypointError) {
        let vault = vaultFfi
        try await offMainActor { () throws(WaypointError) in try core { try vault.setup(passphrase: passphrase) } }
    }

    /// Unlocks. A wrong passphrase is `.wrongPassphrase(retryAfterSeconds:)`. Blocking.
    public func unlock(passphrase: String) throws(WaypointError) {
        try core { try vaultFfi.unlock(passphrase: passphrase) }
    }

    /// `unlock` on a detached task: the UI stays responsive during the key derivation.
    public func unlock(passphrase: String) async throws(WaypointError) {
        let vault = vaultFfi
        try await offMainActor { () throws(WaypointError) in try core { try vault.unlock(passphrase: passphrase) } }
    }

    /// Locks: every key and in-memory index is dropped and zeroised. Never fails, fast.
    public func lock() {
        vaultFfi.lock()
    }

    /// Changes the passphrase `old` opens to `new` (rewraps only the vault key).
    public func changePassphrase(from old: String, to new: String) async throws(WaypointError) {
        let vault = vaultFfi
        try await offMainActor { () throws(WaypointError) in
            try core { try vault.changePassphrase(old: old, new: new) }
        }
    }

    /// Sets the duress passphrase (real vault unlocked): it opens a separate decoy journal;
    /// with `shredRealOnUse` using it also destroys the real vault's key.
    public func setDuressPassphrase(_ passphrase: String, shredRealOnUse: Bool) async throws(WaypointError) {
        let vault = vaultFfi
        try await offMainActor { () throws(WaypointError) in
            try core { try vault.setDuressPassphrase(duressPassphrase: passphrase, shredRealOnUse: shredRealOnUse) }
        }
    }

    /// Removes the duress passphrase and its decoy journal's key.
    public func clearDuressPassphrase() throws(WaypointError) {
        try core { try vaultFfi.clearDuressPassphrase() }
    }

    /// Opt-in: wipe everything after `failures` consecutive wrong passphrases (`nil` = off).
    public func setWipeAfterFailures(_ failures: UInt32?) throws(WaypointError) {
        try core { try vaultFfi.setWipeAfterFailures(failures: failures) }
    }
}

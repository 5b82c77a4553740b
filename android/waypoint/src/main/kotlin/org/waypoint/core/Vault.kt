// The vault: set up, unlock, lock, change the passphrase, duress and wipe settings.
//
// The passphrase unlocks an age scrypt stanza with a pinned work factor (18) wrapping the
// vault identity; see core/src/vault/mod.rs for the key hierarchy. Unlocking takes about a
// second on purpose: call it off the main thread.
package org.waypoint.core

import java.io.File
import org.waypoint.core.ffi.VaultConfig
import org.waypoint.core.ffi.Waypoint

/**
 * How the vault is built on this device. [scryptLogN] is pinned to 18; a debug build of the
 * core (tests) accepts a lower value, a release build refuses it.
 */
data class VaultOptions(
    val scryptLogN: Int = 18,
    val attachmentMaxBytes: Long = 64L * 1024 * 1024,
)

/**
 * A key held by the platform (Android Keystore / StrongBox). It adds a second wrap around
 * the vault key and seals the lockout state. [label] names the purpose.
 */
interface PlatformKeyStore {
    fun seal(label: String, plaintext: ByteArray): ByteArray
    fun unseal(label: String, sealed: ByteArray): ByteArray
}

/**
 * Runs a platform callback so that any failure reaches the core as the declared
 * PlatformException with a one-line reason naming only the exception's type (a Keystore
 * message could carry anything); an undeclared exception would arrive as an "unexpected
 * callback error" carrying its full text.
 */
private inline fun <T> platformCall(block: () -> T): T =
    try {
        block()
    } catch (e: org.waypoint.core.ffi.PlatformException) {
        throw e
    } catch (e: Exception) {
        throw org.waypoint.core.ffi.PlatformException.Failed("platform key: ${e.javaClass.simpleName}")
    }

/**
 * Opens [dataDir] with explicit vault options and, optionally, a platform key.
 */
fun WaypointCore.Companion.open(
    dataDir: File,
    clock: Clock,
    options: VaultOptions,
    keyStore: PlatformKeyStore? = null,
): WaypointCore {
    require(options.scryptLogN in 1..255) { "scryptLogN out of range" }
    val clockBridge = object : org.waypoint.core.ffi.Clock {
        override fun nowUnixMs(): Long = clock.nowUnixMs()
    }
    val ksBridge = keyStore?.let { ks ->
        object : org.waypoint.core.ffi.KeyStore {
            override fun seal(label: String, plaintext: ByteArray): ByteArray = platformCall { ks.seal(label, plaintext) }
            override fun unseal(label: String, sealed: ByteArray): ByteArray = platformCall { ks.unseal(label, sealed) }
        }
    }
    val config = VaultConfig(
        scryptLogN = options.scryptLogN.toUByte(),
        attachmentMaxBytes = options.attachmentMaxBytes.toULong(),
    )
    return WaypointCore(core { Waypoint.openWithConfig(dataDir.path, clockBridge, ksBridge, config) })
}

/** The vault of one [WaypointCore]. Obtain it with [WaypointCore.vault]. */
class Vault internal constructor(private val core: WaypointCore) {
    /** Uninitialized, locked or unlocked. */
    val state: VaultState
        get() = core {
            when (core.vaultFfi.state()) {
                org.waypoint.core.ffi.VaultState.UNINITIALIZED -> VaultState.UNINITIALIZED
                org.waypoint.core.ffi.VaultState.LOCKED -> VaultState.LOCKED
                org.waypoint.core.ffi.VaultState.UNLOCKED -> VaultState.UNLOCKED
            }
        }

    /** Creates the vault protected by [passphrase] and leaves it unlocked. */
    fun setUp(passphrase: String) = core { core.vaultFfi.setup(passphrase) }

    /**
     * Unlocks. A wrong passphrase throws [WaypointException.WrongPassphrase] carrying the
     * seconds to wait; the wait survives restarts and clock changes.
     */
    fun unlock(passphrase: String) = core { core.vaultFfi.unlock(passphrase) }

    /** Locks: every key and in-memory index is dropped. Never throws. */
    fun lock() = core.vaultFfi.lock()

    /** Changes the passphrase [old] opens to [new]; only the vault key is rewrapped. */
    fun changePassphrase(old: String, new: String) = core { core.vaultFfi.changePassphrase(old, new) }

    /** Seconds before another unlock attempt is accepted (0 = now). */
    fun retryAfterSeconds(): Long = core { core.vaultFfi.retryAfterS().toLong() }

    /**
     * Sets a duress passphrase: it opens a separate, empty decoy journal. With
     * [shredRealOnUse] using it also destroys the real vault's key. Needs the real vault open.
     */
    fun setDuressPassphrase(passphrase: String, shredRealOnUse: Boolean) =
        core { core.vaultFfi.setDuressPassphrase(passphrase, shredRealOnUse) }

    /** Removes the duress passphrase. */
    fun clearDuressPassphrase() = core { core.vaultFfi.clearDuressPassphrase() }

    /** Wipes everything after [failures] consecutive wrong passphrases; null turns it off. */
    fun setWipeAfterFailures(failures: Int?) =
        core { core.vaultFfi.setWipeAfterFailures(failures?.also { require(it > 0) }?.toUInt()) }
}

/** The vault of this data directory. */
val WaypointCore.vault: Vault get() = Vault(this)

// The platform key on the phone: one AES-256 key in the Android Keystore, made for AES-GCM
// with randomized encryption, in StrongBox when the phone has one, else in the TEE. It never
// leaves the Keystore; AesGcmKeyStore (shell, JVM-tested) does the sealing with it.
//
// No user-authentication binding and no unlocked-device requirement: after a reboot the
// BOOT_COMPLETED receiver reschedules reminders from the sealed schedule while the app is
// locked, and the decoy reads its sealed settings before anyone unlocks. The key is never
// silently replaced: if it is gone (the person cleared the phone's credentials), the vault
// cannot be opened, which is the point of the second wrap.
package org.waypoint.app

import android.content.Context
import android.content.pm.PackageManager
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import java.security.KeyStore
import java.security.ProviderException
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import org.waypoint.app.shell.AesKeySource

class AndroidKeystoreKeys(private val context: Context) : AesKeySource {
    @Volatile
    private var cached: SecretKey? = null

    override fun key(): SecretKey = cached ?: synchronized(this) { cached ?: loadOrCreate().also { cached = it } }

    private fun loadOrCreate(): SecretKey {
        val store = KeyStore.getInstance(PROVIDER).apply { load(null) }
        (store.getKey(ALIAS, null) as? SecretKey)?.let { return it }
        if (context.packageManager.hasSystemFeature(PackageManager.FEATURE_STRONGBOX_KEYSTORE)) {
            try {
                return generate(strongBox = true)
            } catch (e: ProviderException) {
                // StrongBoxUnavailableException is a ProviderException: fall back to the TEE.
            }
        }
        return generate(strongBox = false)
    }

    private fun generate(strongBox: Boolean): SecretKey {
        val spec = KeyGenParameterSpec.Builder(ALIAS, KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .setRandomizedEncryptionRequired(true)
            .setIsStrongBoxBacked(strongBox)
            .build()
        return KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, PROVIDER).run {
            init(spec)
            generateKey()
        }
    }

    private companion object {
        const val PROVIDER = "AndroidKeyStore"
        const val ALIAS = "waypoint.platform.v1"
    }
}

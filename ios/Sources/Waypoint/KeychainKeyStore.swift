// The platform key on iOS: the core's `KeyStore` over the Keychain and, where the phone has
// one, the Secure Enclave.
//
// What it protects: the second wrap around the vault key and the rows that must be readable
// while the vault is locked (key slots and lockout state, the reminder schedule, the
// disguise settings). Someone who copies the data directory off the phone (a backup, a
// forensic image, a repair shop) gets ciphertext under a key that never left this device.
//
// How:
// * A random 256-bit data key seals every row with AES-GCM, the row's `label` bound as
//   authenticated data (a row sealed for one purpose does not open for another).
// * The data key is stored in the Keychain as a generic password with
//   `kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly`: readable after the first unlock
//   following a reboot (so a background refresh can re-plan reminders on a locked phone),
//   never synced to iCloud, never restored to another device.
// * Secure Enclave (every iPhone that runs iOS 17 has one; the Simulator does not): the data
//   key is stored wrapped by a P-256 key that lives inside the Enclave (ECDH with an
//   ephemeral key, HKDF-SHA256, AES-GCM), with the same accessibility. The Enclave key cannot
//   be exported, so even a Keychain dump from this device is not enough without the device.
//   Where the Enclave is missing, the data key is stored as is (still device-only).
// * The unwrapped data key is kept in memory for the process's life: `seal`/`unseal` run on
//   every settings read and unlock, and an Enclave operation costs milliseconds.
import CryptoKit
import Foundation
import Security

// @unchecked Sendable: the only mutable state, `cached`, is read and written under `lock`.
public final class KeychainKeyStore: KeyStore, @unchecked Sendable {
    private let service: String
    private let lock = NSLock()
    private var cached: SymmetricKey?

    /// `service` names the Keychain items; keep it neutral (it is visible to forensic tools).
    public init(service: String = "platform-key") {
        self.service = service
    }

    public func seal(label: String, plaintext: Data) throws -> Data {
        let key = try dataKey()
        do {
            let box = try AES.GCM.seal(plaintext, using: key, authenticating: Data(label.utf8))
            guard let combined = box.combined else { throw PlatformError.Failed(reason: "seal failed") }
            return combined
        } catch let e as PlatformError {
            throw e
        } catch {
            throw PlatformError.Failed(reason: "seal failed")
        }
    }

    public func unseal(label: String, sealed: Data) throws -> Data {
        let key = try dataKey()
        do {
            return try AES.GCM.open(AES.GCM.SealedBox(combined: sealed), using: key, authenticating: Data(label.utf8))
        } catch {
            throw PlatformError.Failed(reason: "unseal failed")
        }
    }

    /// Deletes every item this store keeps (used by a full wipe).
    public func destroy() {
        lock.lock()
        defer { lock.unlock() }
        cached = nil
        for account in [Account.wrapped, Account.plain, Account.enclave] {
            SecItemDelete(query(account) as CFDictionary)
        }
    }

    // MARK: the data key

    private enum Account {
        static let enclave = "enclave-v1"   // Secure Enclave key blob (only usable on this device)
        static let wrapped = "wrapped-v1"   // ephemeral public key || AES-GCM(data key)
        static let plain = "plain-v1"       // the data key, where there is no Enclave
    }

    private func dataKey() throws -> SymmetricKey {
        lock.lock()
        defer { lock.unlock() }
        if let k = cached { return k }
        let key = try loadOrCreate()
        cached = key
        return key
    }

    private func loadOrCreate() throws -> SymmetricKey {
        if SecureEnclave.isAvailable {
            if let blob = try read(Account.enclave), let wrapped = try read(Account.wrapped) {
                return try unwrap(wrapped, enclaveBlob: blob)
            }
            let key = SymmetricKey(size: .bits256)
            let enclaveKey = try makeEnclaveKey()
            try write(Account.enclave, enclaveKey.dataRepresentation)
            try write(Account.wrapped, try wrap(key, for: enclaveKey.publicKey))
            return key
        }
        if let raw = try read(Account.plain) {
            return SymmetricKey(data: raw)
        }
        let key = SymmetricKey(size: .bits256)
        try write(Account.plain, key.withUnsafeBytes { Data($0) })
        return key
    }

    private func makeEnclaveKey() throws -> SecureEnclave.P256.KeyAgreement.PrivateKey {
        var error: Unmanaged<CFError>?
        guard let access = SecAccessControlCreateWithFlags(
            nil, kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly, .privateKeyUsage, &error)
        else { throw PlatformError.Failed(reason: "no access control") }
        do {
            return try SecureEnclave.P256.KeyAgreement.PrivateKey(accessControl: access)
        } catch {
            throw PlatformError.Failed(reason: "secure enclave key refused")
        }
    }

    private static let wrapInfo = Data("waypoint platform data key v1".utf8)

    private func wrap(_ key: SymmetricKey, for recipient: P256.KeyAgreement.PublicKey) throws -> Data {
        do {
            let ephemeral = P256.KeyAgreement.PrivateKey()
            let kek = try ephemeral.sharedSecretFromKeyAgreement(with: recipient)
                .hkdfDerivedSymmetricKey(using: SHA256.self, salt: Data(), sharedInfo: Self.wrapInfo, outputByteCount: 32)
            let box = try AES.GCM.seal(key.withUnsafeBytes { Data($0) }, using: kek)
            guard let combined = box.combined else { throw PlatformError.Failed(reason: "wrap failed") }
            return ephemeral.publicKey.x963Representation + combined
        } catch let e as PlatformError {
            throw e
        } catch {
            throw PlatformError.Failed(reason: "wrap failed")
        }
    }

    private func unwrap(_ wrapped: Data, enclaveBlob: Data) throws -> SymmetricKey {
        let pubLen = 65  // uncompressed X9.63 P-256 point
        guard wrapped.count > pubLen else { throw PlatformError.Failed(reason: "wrapped key damaged") }
        do {
            let enclaveKey = try SecureEnclave.P256.KeyAgreement.PrivateKey(dataRepresentation: enclaveBlob)
            let ephemeral = try P256.KeyAgreement.PublicKey(x963Representation: wrapped.prefix(pubLen))
            let kek = try enclaveKey.sharedSecretFromKeyAgreement(with: ephemeral)
                .hkdfDerivedSymmetricKey(using: SHA256.self, salt: Data(), sharedInfo: Self.wrapInfo, outputByteCount: 32)
            let raw = try AES.GCM.open(AES.GCM.SealedBox(combined: wrapped.dropFirst(pubLen)), using: kek)
            return SymmetricKey(data: raw)
        } catch {
            throw PlatformError.Failed(reason: "platform key unavailable")
        }
    }

    // MARK: Keychain

    private func query(_ account: String) -> [String: Any] {
        [
            kSecClass as String: kSecClassGenericPassword,
            kSecAttrService as String: service,
            kSecAttrAccount as String: account,
            kSecUseDataProtectionKeychain as String: true,
        ]
    }

    private func read(_ account: String) throws -> Data? {
        var q = query(account)
        q[kSecReturnData as String] = true
        q[kSecMatchLimit as String] = kSecMatchLimitOne
        var out: CFTypeRef?
        let status = SecItemCopyMatching(q as CFDictionary, &out)
        switch status {
        case errSecSuccess: return out as? Data
        case errSecItemNotFound: return nil
        // Before the first unlock after a reboot the item is not readable: say so plainly.
        case errSecInteractionNotAllowed: throw PlatformError.Failed(reason: "platform key not available before first unlock")
        default: throw PlatformError.Failed(reason: "keychain read failed (\(status))")
        }
    }

    private func write(_ account: String, _ data: Data) throws {
        var q = query(account)
        q[kSecValueData as String] = data
        q[kSecAttrAccessible as String] = kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly
        q[kSecAttrSynchronizable as String] = false
        SecItemDelete(query(account) as CFDictionary)
        let status = SecItemAdd(q as CFDictionary, nil)
        guard status == errSecSuccess else {
            throw PlatformError.Failed(reason: "keychain write failed (\(status))")
        }
    }
}

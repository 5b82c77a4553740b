// The disguise for app code on iOS. See docs/PLATFORM_CONTRACT.md: the app puts a privacy
// cover over its window on `willResignActive` before the system snapshots it, calls
// `onBackground()`, and switches icons with `setAlternateIconName` to the one enabled alias.
import Foundation

/// What the calculator shows, written as the phone's own calculator writes numbers in its
/// language (`3,5` in Spanish, `٣٫٥` in Arabic); `unlockPending` means: call
/// `attemptUnlock()` off the main actor.
public struct CalcDisplay: Equatable {
    public let text: String
    public let unlockPending: Bool
}

/// One per app process. Key presses are fast; `attemptUnlock` blocks (scrypt). The display
/// speaks the phone's `language`; the code is matched on the keys, not on the display.
public final class DisguiseController {
    let ffi: Disguise
    public let language: String

    init(ffi: Disguise, language: String) {
        self.ffi = ffi
        self.language = language
    }

    /// Presses a key as labelled: 0-9 . + − × ÷ = % ± C ⌫ (ASCII forms accepted).
    public func press(_ key: Character) throws -> CalcDisplay {
        let k: CalcKey
        switch key {
        case "0"..."9": k = .digit(value: UInt8(String(key))!)
        case ".", ",": k = .point
        case "+": k = .add
        case "-", "−": k = .subtract
        case "*", "x", "×": k = .multiply
        case "/", "÷": k = .divide
        case "=": k = .equals
        case "%": k = .percent
        case "±", "n": k = .negate
        case "C", "c": k = .clear
        case "⌫", "<": k = .backspace
        default: throw WaypointError.invalidInput(field: "key", reason: "not a calculator key")
        }
        let out = try core { try ffi.press(key: k) }
        return CalcDisplay(text: calculatorDisplay(display: out.display, language: language),
                           unlockPending: out.unlockPending)
    }

    /// Tries the pending code against the vault. Blocking: call from a background task.
    public func attemptUnlock() throws -> Screen { try core { try ffi.attemptUnlock() } }

    /// A code from another decoy's gesture or the passphrase lock screen. Blocking.
    public func submitCode(_ code: String) throws -> Screen { try core { try ffi.submitCode(code: code) } }

    /// Locks at once and says what to show. Never show an alert around it.
    public func quickExit() throws -> QuickExitOutcome { try core { try ffi.quickExit() } }

    /// Call from `sceneWillResignActive` after covering the window.
    public func onBackground() throws -> Screen { try core { try ffi.appEvent(event: .background) } }
    public func onForeground() throws -> Screen { try core { try ffi.appEvent(event: .foreground) } }
    public func onActivity() throws -> Screen { try core { try ffi.appEvent(event: .activity) } }
    public func tick() throws -> Screen { try core { try ffi.appEvent(event: .tick) } }
    public func lock() throws -> Screen { try core { try ffi.lock() } }
}

extension WaypointCore {
    /// The disguise controller (works while locked), its display in the phone's `language`.
    public func disguise(language: String = Locale.current.identifier) throws -> DisguiseController {
        DisguiseController(ffi: try core { try ffi.disguise() }, language: language)
    }

    /// Disguise settings; readable while locked, writable only while unlocked.
    public func disguiseSettings() throws -> DisguiseSettings { try core { try ffi.disguise().settings() } }

    public func setDisguiseSettings(_ s: DisguiseSettings) throws {
        try core { try ffi.disguise().setSettings(settings: s) }
    }
}

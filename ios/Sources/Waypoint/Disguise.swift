// The disguise for app code on iOS. See docs/PLATFORM_CONTRACT.md: the app puts a privacy
// cover over its window on `willResignActive` before the system snapshots it, calls
// `onBackground()`, and switches icons with `setAlternateIconName` to the one enabled alias.
import Foundation

/// What the calculator shows, written as the phone's own calculator writes numbers in its
/// language (`3,5` in Spanish, `٣٫٥` in Arabic); `unlockPending` means: call
/// `attemptUnlock()` off the main actor.
public struct CalcDisplay: Equatable, Sendable {
    public let text: String
    public let unlockPending: Bool
}

/// One per app process. Key presses are fast; `attemptUnlock` blocks (scrypt). The display
/// speaks the phone's `language`; the code is matched on the keys, not on the display.
public final class DisguiseController: Sendable {
    let ffi: Disguise
    public let language: String

    init(ffi: Disguise, language: String) {
        self.ffi = ffi
        self.language = language
    }

    /// Presses a key as labelled: 0-9 . + − × ÷ = % ± C ⌫ (ASCII forms accepted).
    public func press(_ key: Character) throws(WaypointError) -> CalcDisplay {
        let k: CalcKey
        switch key {
        case "0"..."9": k = .digit(value: UInt8(key.wholeNumberValue ?? 0))
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

    /// The calculator display now.
    public func display() throws(WaypointError) -> String { try core { try ffi.display() } }

    /// Tries the pending code against the vault. Blocking: call from a background task.
    public func attemptUnlock() throws(WaypointError) -> Screen { try core { try ffi.attemptUnlock() } }

    /// `attemptUnlock` on a detached task (the key derivation never blocks the UI).
    public func attemptUnlock() async throws(WaypointError) -> Screen {
        let ffi = self.ffi
        return try await offMainActor { () throws(WaypointError) in try core { try ffi.attemptUnlock() } }
    }

    /// A code from another decoy's gesture or the passphrase lock screen. Blocking.
    public func submitCode(_ code: String) throws(WaypointError) -> Screen { try core { try ffi.submitCode(code: code) } }

    /// `submitCode` on a detached task.
    public func submitCode(_ code: String) async throws(WaypointError) -> Screen {
        let ffi = self.ffi
        return try await offMainActor { () throws(WaypointError) in try core { try ffi.submitCode(code: code) } }
    }

    /// The screen to show now (a vault locked elsewhere is never shown as the app).
    public func screen() throws(WaypointError) -> Screen { try core { try ffi.screen() } }

    /// Re-reads the settings after they changed elsewhere (auto-lock time, exit behaviour).
    public func reloadSettings() throws(WaypointError) { try core { try ffi.reloadSettings() } }

    /// The disguise settings this controller applies. Readable while locked.
    public func settings() throws(WaypointError) -> DisguiseSettings { try core { try ffi.settings() } }

    /// Locks at once and says what to show. Never show an alert around it.
    public func quickExit() throws(WaypointError) -> QuickExitOutcome { try core { try ffi.quickExit() } }

    /// Call from `sceneWillResignActive` after covering the window.
    public func onBackground() throws(WaypointError) -> Screen { try core { try ffi.appEvent(event: .background) } }
    public func onForeground() throws(WaypointError) -> Screen { try core { try ffi.appEvent(event: .foreground) } }
    public func onActivity() throws(WaypointError) -> Screen { try core { try ffi.appEvent(event: .activity) } }
    public func tick() throws(WaypointError) -> Screen { try core { try ffi.appEvent(event: .tick) } }
    public func lock() throws(WaypointError) -> Screen { try core { try ffi.lock() } }
}

extension WaypointCore {
    /// The disguise controller (works while locked), its display in the phone's `language`.
    public func disguise(language: String = Locale.current.identifier) throws(WaypointError) -> DisguiseController {
        DisguiseController(ffi: try core { try ffi.disguise() }, language: language)
    }

    /// Quick exit without a controller or any UI (a notification action, a shortcut): drops
    /// every key at once and says which decoy to show.
    public func quickExit() throws(WaypointError) -> QuickExitOutcome {
        try core { try ffi.disguise().quickExit() }
    }

    /// Disguise settings; readable while locked, writable only while unlocked.
    public func disguiseSettings() throws(WaypointError) -> DisguiseSettings { try core { try ffi.disguise().settings() } }

    public func setDisguiseSettings(_ s: DisguiseSettings) throws(WaypointError) {
        try core { try ffi.disguise().setSettings(settings: s) }
    }
}

/// Every decoy the app ships, its title and unlock gesture in `language`.
public func decoys(language: String = Locale.preferredLanguages.first ?? "en") -> [DecoyInfo] {
    disguiseDecoys(language: language)
}

/// The first-run "how to leave quickly" steps in `language`.
public func onboardingSteps(language: String = Locale.preferredLanguages.first ?? "en") -> [OnboardingStep] {
    disguiseOnboarding(language: language)
}

/// What the calculator shows after `keys` (pure arithmetic: never unlocks anything).
public func evaluateCalculator(_ keys: String) throws(WaypointError) -> String {
    try core { try calculatorEvaluate(keys: keys) }
}

/// The launcher aliases the app ships, named in `language`; exactly one is `enabled` (the one
/// in `settings`).
public func launcherAliases(for settings: DisguiseSettings,
                            language: String = Locale.preferredLanguages.first ?? "en") -> [LauncherAliasInfo] {
    disguiseLauncherAliases(settings: settings, language: language)
}

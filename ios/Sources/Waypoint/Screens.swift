// The app's screens for SwiftUI: the core decides every screen (state, navigation, back,
// validation messages, dates in the user's zone, phone numbers); the app only draws
// `screens.state.view` and forwards what the person did as an `Intent`.
//
// `Screens` is `@MainActor @Observable`: SwiftUI reads `state` on the main actor, and the
// core's one `StateObserver` callback (called on whatever thread dispatched, never while the
// core holds a lock) hands each new state to the main queue, where `publish` keeps it only if
// it is newer. Intents never run on the main actor: they go, in order, through one serial
// queue (an unlock or a first-run code runs a key derivation), so typing into a form cannot
// reorder edits and the UI never blocks. Quick exit does not wait behind that queue.
// See docs/PLATFORM_CONTRACT.md ("Screen models") and docs/IOS.md.
import Foundation
import Observation

@MainActor
@Observable
public final class Screens {
    /// The state to draw. Never goes back to an older version.
    public private(set) var state: AppState
    /// True from the moment quick exit is tapped until the core's decoy state arrives: the
    /// shell draws its neutral cover at once instead of waiting for the core.
    public private(set) var exiting = false
    /// Whether the state shows the unlocked app (the core's rule, `view_is_private`).
    public private(set) var showsPrivate: Bool
    /// Whether the state shows a decoy (the core's rule, `view_is_decoy`): no exit control.
    public private(set) var showsDecoy: Bool

    @ObservationIgnored private let ffi: AppModel
    @ObservationIgnored private let intents = DispatchQueue(label: "waypoint.intents", qos: .userInitiated)
    /// Advanced by every quick exit: intents queued before it are dropped, so a code submitted
    /// just before the exit control was tapped cannot unlock the app behind the decoy.
    @ObservationIgnored private let epoch = ExitEpoch()

    /// The screens over `waypoint`, dates in `timeZone`, every word in the phone's `language`
    /// (the closest language the core ships, else English). Lay out by `state.direction`
    /// (right to left for Arabic); titles and button words are `state.title`, `state.labels`.
    public init(
        waypoint: WaypointCore,
        timeZone: String = TimeZone.current.identifier,
        language: String = Locale.preferredLanguages.first ?? "en"
    ) throws(WaypointError) {
        let coreFfi = waypoint.ffi
        let model = try core { try AppModel(waypoint: coreFfi, timeZone: timeZone, language: language) }
        ffi = model
        let first = model.state()
        state = first
        showsPrivate = viewIsPrivate(view: first.view)
        showsDecoy = viewIsDecoy(view: first.view)
        let relay = StateRelay()
        relay.owner = self
        model.setObserver(observer: relay)
    }

    deinit {
        // `ffi` is an immutable Sendable reference: safe from the nonisolated deinit.
        ffi.setObserver(observer: nil)
    }

    func publish(_ next: AppState) {
        guard next.version >= state.version else { return }
        state = next
        showsPrivate = viewIsPrivate(view: next.view)
        showsDecoy = viewIsDecoy(view: next.view)
        if exiting && !showsPrivate {
            exiting = false
        }
    }

    /// Forwards one intent, in order with the others, off the main actor.
    public func send(_ intent: Intent) {
        let model = ffi
        let epoch = self.epoch
        let queuedIn = epoch.value
        intents.async {
            guard epoch.value == queuedIn else { return }
            _ = model.dispatch(intent: intent)
        }
    }

    /// Forwards one intent and waits for the state it produced (tests, and the few places
    /// that must know the outcome, e.g. a background refresh).
    @discardableResult
    public func dispatch(_ intent: Intent) async -> AppState {
        let model = ffi
        let queue = intents
        let epoch = self.epoch
        let queuedIn = epoch.value
        return await withCheckedContinuation { (done: CheckedContinuation<AppState, Never>) in
            queue.async {
                done.resume(returning: epoch.value == queuedIn ? model.dispatch(intent: intent) : model.state())
            }
        }
    }

    /// Quick exit from any screen: the cover goes up on this very frame, and the core drops
    /// the keys on a task of its own (not behind queued intents). No alert, no confirmation.
    public func quickExit() {
        exiting = true
        epoch.advance()
        let model = ffi
        Task.detached(priority: .high) { _ = model.dispatch(intent: .quickExit) }
        // Once more behind whatever was already running (an unlock mid-derivation finishes
        // first, then this locks again). Quick exit twice is the same as once.
        intents.async { _ = model.dispatch(intent: .quickExit) }
    }

    /// Re-reads the state (for a shell that polls `version`).
    public func poll() {
        publish(ffi.state())
    }
}

/// A counter of quick exits, read from the intent queue. `@unchecked Sendable`: the value is
/// only read and written under `lock`.
final class ExitEpoch: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0

    var value: Int { lock.withLock { current } }

    func advance() { lock.withLock { current += 1 } }
}

/// The core's screen enum under a name that does not clash with `SwiftUI.View` in app code
/// (which imports both modules).
public typealias ScreenView = View

extension AppState {
    /// Whether the screen is laid out right to left (Arabic).
    public var isRightToLeft: Bool { direction == .rtl }
}

extension View {
    /// Whether this view belongs to the unlocked app: the core's rule (`view_is_private`).
    public var isPrivate: Bool { viewIsPrivate(view: self) }

    /// Whether this view is a decoy: the core's rule (`view_is_decoy`).
    public var isDecoy: Bool { viewIsDecoy(view: self) }
}

/// Receives the core's states on the core's thread and hands them, in order (the main
/// queue is FIFO), to the main actor, where `publish` drops anything older than what shows.
/// `@unchecked Sendable`: its one mutable property is only touched on the main actor.
final class StateRelay: StateObserver, @unchecked Sendable {
    @MainActor weak var owner: Screens?

    func onState(state: AppState) {
        DispatchQueue.main.async { [self] in
            MainActor.assumeIsolated { owner?.publish(state) }
        }
    }
}

extension AppState {
    /// The word of this screen for `key` (`back`, `save`, `field:title`, ...); empty if none.
    /// Lay the screen out by `direction`: `.rtl` is `.environment(\.layoutDirection, .rightToLeft)`.
    public func label(_ key: String) -> String {
        labels.first(where: { $0.key == key })?.text ?? ""
    }
}

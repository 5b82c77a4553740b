// The app's screens for SwiftUI: the core decides every screen (state, navigation, back,
// validation messages, dates in the user's zone, phone numbers); the app only draws
// `screens.state.view` and forwards what the person did as an `Intent`.
//
// `Screens` is @Observable: the core's one observer callback (never called while the core
// holds a lock) hops to the main actor and replaces `state`, and SwiftUI redraws. `dispatch`
// may block on a key derivation (unlock, first-run code): call it from a background task.
// See docs/PLATFORM_CONTRACT.md ("Screen models").
import Foundation
import Observation

@available(iOS 17.0, macOS 14.0, *)
@Observable
public final class Screens {
    /// The state to draw. Never goes back to an older version.
    public private(set) var state: AppState
    @ObservationIgnored let ffi: AppModel
    @ObservationIgnored private let relay: StateRelay

    /// The screens over `waypoint`, dates in `timeZone`, every word in the phone's `language`
    /// (the closest language the core ships, else English). Lay out by `state.direction`
    /// (right to left for Arabic); titles and button words are `state.title`, `state.labels`.
    public init(
        waypoint: WaypointCore,
        timeZone: String = TimeZone.current.identifier,
        language: String = Locale.current.identifier
    ) throws {
        let model = try core { try AppModel(waypoint: waypoint.ffi, timeZone: timeZone, language: language) }
        ffi = model
        state = model.state()
        relay = StateRelay()
        relay.owner = self
        model.setObserver(observer: relay)
    }

    deinit {
        ffi.setObserver(observer: nil)
    }

    func publish(_ next: AppState) {
        if next.version >= state.version {
            state = next
        }
    }

    /// Forwards one intent; returns the new state (also published). Blocking: not on the main actor.
    @discardableResult
    public func dispatch(_ intent: Intent) -> AppState {
        ffi.dispatch(intent: intent)
    }

    /// Quick exit: from any screen, no alert. Then draw `state.view` (the decoy).
    @discardableResult
    public func quickExit() -> AppState {
        dispatch(.quickExit)
    }

    /// Re-reads the state (for a shell that polls `version`).
    public func poll() -> AppState {
        let next = ffi.state()
        DispatchQueue.main.async { [weak self] in self?.publish(next) }
        return next
    }
}

/// Receives the core's states and hands them to the main actor.
@available(iOS 17.0, macOS 14.0, *)
final class StateRelay: StateObserver, @unchecked Sendable {
    weak var owner: Screens?

    func onState(state: AppState) {
        DispatchQueue.main.async { [weak self] in
            self?.owner?.publish(state)
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

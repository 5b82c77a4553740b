// The words on screen. The core sends each screen's title and labels in its language
// (`AppState.title`, `AppState.labels`, by stable key: `save`, `field:title`, `kind:court`);
// the shell shows those. Its String Catalog only covers words the core does not send (the
// exit control's VoiceOver name, the calculator display's name, the sync switch, the startup
// failure) and stands in if a label is ever missing, so a screen is never blank.
import SwiftUI
import Waypoint

struct Words: Sendable {
    private let labels: [String: String]
    /// The core's title of the screen on show ("" when it has none).
    let title: String

    init(_ state: AppState?) {
        var map: [String: String] = [:]
        for l in state?.labels ?? [] where map[l.key] == nil {
            map[l.key] = l.text
        }
        labels = map
        title = state?.title ?? ""
    }

    /// The core's words for `key`, else the shell's own for `fallback` (String Catalog).
    func text(_ key: String, _ fallback: LocalizedStringKey) -> Text {
        if let words = labels[key], !words.isEmpty {
            return Text(verbatim: words)
        }
        return Text(fallback)
    }

    /// The core's words for `key`, if it sent any.
    func string(_ key: String) -> String? {
        labels[key]
    }

    /// The screen's title: the core's, else `fallback`.
    func title(_ fallback: LocalizedStringKey) -> Text {
        title.isEmpty ? Text(fallback) : Text(verbatim: title)
    }
}

private struct WordsKey: EnvironmentKey {
    static let defaultValue = Words(nil)
}

extension EnvironmentValues {
    var words: Words {
        get { self[WordsKey.self] }
        set { self[WordsKey.self] = newValue }
    }
}

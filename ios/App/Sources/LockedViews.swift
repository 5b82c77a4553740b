// The screens anyone may see: first run, the decoys, and the unlock screen. Text the core
// sends is shown as it is (`Text(verbatim:)`); only the shell's own labels are localised.
//
// Codes: typed into `SecureField`s (VoiceOver says "bullet", never the digit) and held only
// in @State until sent; the calculator reads its display only when VoiceOver focuses it and
// announces nothing as keys are pressed, so a code typed on the calculator is not spoken
// to the room.
import SwiftUI
import Waypoint

struct FirstRunQuickExitView: View {
    let steps: [TextBlock]
    let screens: Screens
    @Environment(\.words) private var words

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 16) {
                ForEach(Array(steps.enumerated()), id: \.offset) { _, step in
                    VStack(alignment: .leading, spacing: 4) {
                        Text(verbatim: step.title).font(.headline).accessibilityAddTraits(.isHeader)
                        Text(verbatim: step.body).font(.body)
                    }
                }
                Button { screens.send(.next) } label: {
                    words.text("next", "Next").frame(maxWidth: .infinity, minHeight: 44)
                }
                .buttonStyle(.borderedProminent)
            }
            .padding()
            .padding(.top, 44)
        }
    }
}

struct FirstRunDecoyView: View {
    let options: [DecoyOption]
    let screens: Screens
    @Environment(\.words) private var words

    var body: some View {
        ScrollView {
            VStack(alignment: .leading, spacing: 12) {
                ForEach(options, id: \.title) { option in
                    Button { screens.send(.chooseDecoy(decoy: option.decoy)) } label: {
                        HStack {
                            VStack(alignment: .leading) {
                                Text(verbatim: option.title).font(.headline)
                                Text(verbatim: option.unlockGesture).font(.subheadline).foregroundStyle(.secondary)
                            }
                            Spacer()
                            if option.selected {
                                Image(systemName: "checkmark").accessibilityHidden(true)
                            }
                        }
                        .frame(minHeight: 44)
                    }
                    .buttonStyle(.bordered)
                    .accessibilityAddTraits(option.selected ? .isSelected : [])
                }
                Button { screens.send(.next) } label: {
                    words.text("next", "Next").frame(maxWidth: .infinity, minHeight: 44)
                }
                .buttonStyle(.borderedProminent)
            }
            .padding()
            .padding(.top, 44)
        }
    }
}

struct FirstRunCodeView: View {
    let error: String?
    let screens: Screens
    @Environment(\.words) private var words
    @State private var code = ""
    @State private var confirm = ""

    var body: some View {
        Form {
            Section {
                SecureField(text: $code, prompt: words.text("field:code", "Code")) { words.text("field:code", "Code") }
                    .keyboardType(.numberPad)
                    .textContentType(.none)
                SecureField(text: $confirm, prompt: words.text("field:confirm", "Confirm code")) {
                    words.text("field:confirm", "Confirm code")
                }
                .keyboardType(.numberPad)
                .textContentType(.none)
                if let hint = words.string("hint") {
                    Text(verbatim: hint).font(.footnote).foregroundStyle(.secondary)
                }
                if let error {
                    Text(verbatim: error).foregroundStyle(.red).font(.callout)
                }
            }
            Button {
                screens.send(.chooseCode(code: code, confirm: confirm))
                code = ""
                confirm = ""
            } label: {
                words.text("continue", "Save")
            }
        }
        .padding(.top, 44)
        .privacySensitive()
    }
}

/// The calculator decoy: a real calculator. Every key goes to the core, which also
/// recognises the code followed by `=`.
struct CalculatorView: View {
    let display: String
    let screens: Screens
    @ScaledMetric(relativeTo: .title) private var keyHeight: CGFloat = 64

    private let rows: [[(String, CalcKey)]] = [
        [("C", .clear), ("±", .negate), ("%", .percent), ("÷", .divide)],
        [("7", .digit(value: 7)), ("8", .digit(value: 8)), ("9", .digit(value: 9)), ("×", .multiply)],
        [("4", .digit(value: 4)), ("5", .digit(value: 5)), ("6", .digit(value: 6)), ("−", .subtract)],
        [("1", .digit(value: 1)), ("2", .digit(value: 2)), ("3", .digit(value: 3)), ("+", .add)],
        [("⌫", .backspace), ("0", .digit(value: 0)), (".", .point), ("=", .equals)],
    ]

    var body: some View {
        VStack(spacing: 8) {
            Spacer(minLength: 0)
            Text(verbatim: display)
                .font(.system(.largeTitle, design: .rounded).monospacedDigit())
                .lineLimit(1)
                .minimumScaleFactor(0.4)
                .frame(maxWidth: .infinity, alignment: .trailing)
                .padding(.horizontal)
                .accessibilityLabel(Text("Result"))
                .accessibilityValue(Text(verbatim: display))
            ForEach(0..<rows.count, id: \.self) { r in
                HStack(spacing: 8) {
                    ForEach(0..<rows[r].count, id: \.self) { c in
                        let key = rows[r][c]
                        Button { screens.send(.calc(key: key.1)) } label: {
                            Text(verbatim: key.0)
                                .font(.title2)
                                .minimumScaleFactor(0.5)
                                // Grows with Dynamic Type, capped so five rows still fit a
                                // small phone at the largest accessibility sizes.
                                .frame(maxWidth: .infinity, minHeight: min(keyHeight, 88))
                        }
                        .buttonStyle(.bordered)
                        .accessibilityLabel(Text(verbatim: key.0))
                    }
                }
            }
        }
        .padding()
        // A calculator keeps its layout in right-to-left languages, as the system's does.
        .environment(\.layoutDirection, .leftToRight)
    }
}

/// The notes and weather decoys: static text, plus the one field where the code goes (a
/// note title, or a city search), as the decoy's unlock gesture says.
struct DecoyPageView: View {
    let decoy: DecoyChoice
    let title: String
    let lines: [String]
    let screens: Screens
    @State private var entry = ""

    var body: some View {
        List {
            Section {
                TextField(decoy == .weather ? LocalizedStringKey("Search") : LocalizedStringKey("New note"), text: $entry)
                    .submitLabel(decoy == .weather ? .search : .done)
                    .autocorrectionDisabled()
                    .textInputAutocapitalization(.never)
                    .onSubmit {
                        screens.send(.submitCode(code: entry))
                        entry = ""
                    }
            }
            Section(header: Text(verbatim: title)) {
                ForEach(Array(lines.enumerated()), id: \.offset) { _, line in
                    Text(verbatim: line)
                }
            }
        }
    }
}

struct UnlockView: View {
    let error: String?
    let screens: Screens
    @Environment(\.words) private var words
    @State private var code = ""

    var body: some View {
        Form {
            Section {
                SecureField(text: $code, prompt: words.text("field:code", "Code")) { words.text("field:code", "Code") }
                    .keyboardType(.numberPad)
                    .textContentType(.none)
                    .onSubmit(submit)
                if let error {
                    Text(verbatim: error).font(.callout).foregroundStyle(.secondary)
                }
            }
            Button(action: submit) { words.text("continue", "Unlock") }
        }
        .padding(.top, 44)
        .privacySensitive()
    }

    private func submit() {
        screens.send(.submitCode(code: code))
        code = ""
    }
}

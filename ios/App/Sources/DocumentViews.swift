// The document editor and "people I share with". Every word comes from the core's labels; the
// shell's own String Catalog only stands in if one is missing. A document's photo or scan comes
// from the photo library (PhotosPicker), the Files app (document picker) or the camera, and goes
// to the core as bytes in memory (sealed on save): nothing is written to a file. A recipient's
// key is pasted or read from a QR code by VisionKit's DataScannerViewController; the first code
// read goes to the core, which fills the key in and shows the fingerprint to compare in person.
// The camera is asked for when the survivor taps "take a photo" or "scan", never before
// (NSCameraUsageDescription, in every language: InfoPlist.xcstrings).
import AVFoundation
import PhotosUI
import SwiftUI
import UIKit
import UniformTypeIdentifiers
import VisionKit
import Waypoint

extension DocumentType {
    /// The core's label key suffix (`type:<wireName>`).
    var wireName: String {
        switch self {
        case .passport: return "passport"
        case .visa: return "visa"
        case .workPermit: return "work_permit"
        case .i94: return "i94"
        case .idCard: return "id_card"
        case .drivingLicence: return "driving_licence"
        case .birthCertificate: return "birth_certificate"
        case .courtPaper: return "court_paper"
        case .medicalRecord: return "medical_record"
        case .other: return "other"
        }
    }

    static let choices: [DocumentType] = [
        .passport, .visa, .workPermit, .i94, .idCard, .drivingLicence, .birthCertificate, .courtPaper,
        .medicalRecord, .other,
    ]
}

/// Reminder days as typed ("90, 30, 7"); a number too large is kept as the largest, which the
/// core refuses with its own one-line message.
func reminderDays(_ text: String) -> [UInt32] {
    text.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" })
        .filter { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
        .map { UInt32($0) ?? UInt32.max }
}

struct DocumentListActions: View {
    let screens: Screens
    @Environment(\.words) private var words

    var body: some View {
        Button { screens.send(.newDocument) } label: {
            SwiftUI.Label { words.text("new", "New document") } icon: { Image(systemName: "plus") }
        }
    }
}

struct DocumentEditorView: View {
    let documentId: String?
    let file: String?
    let fileChanged: Bool
    let reminderLabels: [String]
    let errors: [FieldError]
    let confirmDelete: Bool
    let screens: Screens
    @State private var form: DocumentForm
    @State private var days: String
    @State private var photo: PhotosPickerItem?
    @State private var importing = false
    @State private var camera = false
    @Environment(\.words) private var words

    init(documentId: String?, form: DocumentForm, file: String?, fileChanged: Bool, reminderLabels: [String],
         errors: [FieldError], confirmDelete: Bool, screens: Screens) {
        self.documentId = documentId
        self.file = file
        self.fileChanged = fileChanged
        self.reminderLabels = reminderLabels
        self.errors = errors
        self.confirmDelete = confirmDelete
        self.screens = screens
        _form = State(initialValue: form)
        _days = State(initialValue: form.reminderDays.map(String.init).joined(separator: ", "))
    }

    var body: some View {
        Form {
            Section {
                Picker(selection: $form.docType) {
                    ForEach(DocumentType.choices, id: \.self) { kind in
                        Text(verbatim: words.string("type:\(kind.wireName)") ?? kind.wireName).tag(kind)
                    }
                } label: {
                    words.text("field:doc_type", "Kind")
                }
                field("field:label", "Title", $form.label)
                FieldErrors(errors: errors, field: "label")
                field("field:number", "Number", $form.number)
                FieldErrors(errors: errors, field: "number")
                field("field:issuing_country", "Country", $form.issuingCountry)
                    .textInputAutocapitalization(.characters)
                FieldErrors(errors: errors, field: "issuing_country")
                field("field:issued_on", "Date (YYYY-MM-DD)", $form.issuedOn)
                    .keyboardType(.numbersAndPunctuation)
                FieldErrors(errors: errors, field: "issued_on")
                field("field:expires_on", "Date (YYYY-MM-DD)", $form.expiresOn)
                    .keyboardType(.numbersAndPunctuation)
                FieldErrors(errors: errors, field: "expires_on")
                if let hint = words.string("hint:date") {
                    Text(verbatim: hint).font(.caption).foregroundStyle(.secondary)
                }
                TextField(text: $form.notes, prompt: words.text("field:notes", "Notes"), axis: .vertical) {
                    words.text("field:notes", "Notes")
                }
                .lineLimit(3...10)
                FieldErrors(errors: errors, field: "notes")
            }
            Section(header: words.text("field:reminders", "Reminders")) {
                field("hint:reminders", "Reminders", $days)
                    .keyboardType(.numbersAndPunctuation)
                ForEach(reminderLabels, id: \.self) { Text(verbatim: $0) }
                FieldErrors(errors: errors, field: "reminders")
            }
            Section(header: words.text("field:file", "Attachments")) {
                if let file {
                    Text(verbatim: file)
                } else if let none = words.string("file_none") {
                    Text(verbatim: none).foregroundStyle(.secondary)
                }
                if fileChanged, let unsaved = words.string("file_unsaved") {
                    Text(verbatim: unsaved).font(.caption).foregroundStyle(.secondary)
                }
                PhotosPicker(selection: $photo, matching: .images) { words.text("attach", "Attach a photo") }
                Button { importing = true } label: { words.text("attach", "Attach a photo") }
                if UIImagePickerController.isSourceTypeAvailable(.camera) {
                    Button { askCameraThen { camera = true } } label: { words.text("camera", "Attach a photo") }
                }
                if file != nil {
                    Button(role: .destructive) { screens.send(.removeDocumentFile) } label: {
                        words.text("remove_file", "Remove")
                    }
                }
                FieldErrors(errors: errors, field: "file")
            }
            FieldErrors(errors: errors, field: "")
            Button { screens.send(.saveDocument) } label: { words.text("save", "Save") }
            if documentId != nil {
                Button(role: .destructive) { screens.send(.deleteDocument) } label: { words.text("delete", "Remove") }
            }
        }
        .autocorrectionDisabled()
        .privacySensitive()
        .onChange(of: form) { _, next in screens.send(.editDocument(form: next)) }
        .onChange(of: days) { _, text in form.reminderDays = reminderDays(text) }
        .onChange(of: photo) { _, item in
            guard let item else { return }
            Task { @MainActor in
                // Straight into the core's pending scan (sealed on save); never a file.
                if let data = try? await item.loadTransferable(type: Data.self) {
                    screens.send(.attach(name: "scan.jpg", mime: "image/jpeg", content: data))
                }
                photo = nil
            }
        }
        .fileImporter(isPresented: $importing, allowedContentTypes: [.pdf, .image]) { result in
            guard case .success(let url) = result else { return }
            // Read in memory through the security-scoped URL; the app keeps no copy.
            let scoped = url.startAccessingSecurityScopedResource()
            defer { if scoped { url.stopAccessingSecurityScopedResource() } }
            guard let data = try? Data(contentsOf: url, options: .mappedIfSafe) else { return }
            let type = UTType(filenameExtension: url.pathExtension)
            let mime = type?.preferredMIMEType ?? "application/octet-stream"
            let ext = type?.preferredFilenameExtension ?? "bin"
            screens.send(.attach(name: "scan.\(ext)", mime: mime, content: data))
        }
        .fullScreenCover(isPresented: $camera) {
            CameraCapture { image in
                camera = false
                if let data = image?.jpegData(compressionQuality: 0.85) {
                    screens.send(.attach(name: "photo.jpg", mime: "image/jpeg", content: data))
                }
            }
            .ignoresSafeArea()
        }
        // The core asks (confirmDelete); dismissing the dialog any way but "delete" is Back,
        // which keeps the document and the editor.
        .confirmationDialog(Text(verbatim: words.string("delete_confirm") ?? ""),
                            isPresented: Binding(get: { confirmDelete },
                                                 set: { shown in if !shown && confirmDelete { screens.send(.back) } }),
                            titleVisibility: .visible) {
            Button(role: .destructive) { screens.send(.confirmDeleteDocument) } label: {
                words.text("confirm_delete", "Remove")
            }
            Button(role: .cancel) {} label: { words.text("keep", "Back") }
        }
    }
}

/// Asks for the camera when it is first needed, then runs `then` if it was granted.
@MainActor
func askCameraThen(_ then: @escaping @MainActor () -> Void) {
    switch AVCaptureDevice.authorizationStatus(for: .video) {
    case .authorized:
        then()
    case .notDetermined:
        Task { @MainActor in
            if await AVCaptureDevice.requestAccess(for: .video) { then() }
        }
    default:
        break
    }
}

/// The system camera, returning the photo in memory (UIImagePickerController keeps it there;
/// nothing is saved to the photo library).
struct CameraCapture: UIViewControllerRepresentable {
    let done: @MainActor (UIImage?) -> Void

    func makeUIViewController(context: Context) -> UIImagePickerController {
        let picker = UIImagePickerController()
        picker.sourceType = .camera
        picker.delegate = context.coordinator
        return picker
    }

    func updateUIViewController(_ controller: UIImagePickerController, context: Context) {}

    func makeCoordinator() -> Coordinator { Coordinator(done: done) }

    final class Coordinator: NSObject, UIImagePickerControllerDelegate, UINavigationControllerDelegate {
        let done: @MainActor (UIImage?) -> Void

        init(done: @escaping @MainActor (UIImage?) -> Void) {
            self.done = done
        }

        func imagePickerController(_ picker: UIImagePickerController,
                                   didFinishPickingMediaWithInfo info: [UIImagePickerController.InfoKey: Any]) {
            let image = info[.originalImage] as? UIImage
            MainActor.assumeIsolated { done(image) }
        }

        func imagePickerControllerDidCancel(_ picker: UIImagePickerController) {
            MainActor.assumeIsolated { done(nil) }
        }
    }
}

// MARK: People I share with

struct ShareRecipientsView: View {
    let rows: [RecipientRow]
    /// The form as the core holds it (a scan fills its key in).
    let coreForm: RecipientForm
    let fingerprint: String?
    let errors: [FieldError]
    let screens: Screens
    @State private var form: RecipientForm
    @State private var scanning = false
    @Environment(\.words) private var words

    init(rows: [RecipientRow], form: RecipientForm, fingerprint: String?, errors: [FieldError], screens: Screens) {
        self.rows = rows
        self.coreForm = form
        self.fingerprint = fingerprint
        self.errors = errors
        self.screens = screens
        _form = State(initialValue: form)
    }

    var body: some View {
        Form {
            if let explain = words.string("explain") {
                Text(verbatim: explain).font(.callout)
            }
            Section {
                if rows.isEmpty, let empty = words.string("empty") {
                    Text(verbatim: empty).foregroundStyle(.secondary)
                }
                ForEach(rows, id: \.id) { row in
                    HStack {
                        VStack(alignment: .leading, spacing: 2) {
                            Text(verbatim: row.label)
                            Text(verbatim: row.fingerprint).font(.caption.monospaced()).foregroundStyle(.secondary)
                        }
                        Spacer(minLength: 0)
                        Button(role: .destructive) { screens.send(.removeRecipient(id: row.id)) } label: {
                            words.text("remove", "Remove")
                        }
                    }
                }
            }
            Section {
                field("field:label", "Title", $form.label)
                FieldErrors(errors: errors, field: "label")
                TextField(text: $form.key, prompt: words.text("field:key", "Text"), axis: .vertical) {
                    words.text("field:key", "Text")
                }
                .font(.body.monospaced())
                .textInputAutocapitalization(.never)
                FieldErrors(errors: errors, field: "key")
                Button {
                    form.key = UIPasteboard.general.string ?? ""
                } label: { words.text("paste", "Paste") }
                if DataScannerViewController.isSupported {
                    Button { askCameraThen { scanning = true } } label: { words.text("scan", "Scan a code") }
                }
                if let fingerprint {
                    if let compare = words.string("fingerprint") {
                        Text(verbatim: compare).font(.callout)
                    }
                    Text(verbatim: fingerprint).font(.title3.monospaced())
                }
            }
            Button { screens.send(.saveRecipient) } label: { words.text("save", "Save") }
        }
        .autocorrectionDisabled()
        .privacySensitive()
        .onChange(of: form) { _, next in screens.send(.editRecipient(form: next)) }
        .onChange(of: rows.count) { _, _ in form = RecipientForm(label: "", key: "") }
        .onChange(of: coreForm.key) { _, key in form.key = key }
        .sheet(isPresented: $scanning) {
            VStack {
                if let explain = words.string("scan_explain") {
                    Text(verbatim: explain).font(.callout).padding()
                }
                KeyScanner { text in
                    scanning = false
                    screens.send(.scanRecipientKey(text: String(text.prefix(1024))))
                }
                Button { scanning = false } label: { words.text("back", "Back") }.padding()
            }
        }
    }
}

/// VisionKit's live scanner, reading QR codes only; the first one read goes to `found` once.
/// Frames stay in VisionKit; nothing is kept or written.
struct KeyScanner: UIViewControllerRepresentable {
    let found: @MainActor (String) -> Void

    func makeUIViewController(context: Context) -> DataScannerViewController {
        let scanner = DataScannerViewController(
            recognizedDataTypes: [.barcode(symbologies: [.qr])],
            qualityLevel: .balanced,
            recognizesMultipleItems: false,
            isHighFrameRateTrackingEnabled: false,
            isHighlightingEnabled: true
        )
        scanner.delegate = context.coordinator
        return scanner
    }

    func updateUIViewController(_ scanner: DataScannerViewController, context: Context) {
        if !scanner.isScanning {
            try? scanner.startScanning()
        }
    }

    static func dismantleUIViewController(_ scanner: DataScannerViewController, coordinator: Coordinator) {
        scanner.stopScanning()
    }

    func makeCoordinator() -> Coordinator { Coordinator(found: found) }

    final class Coordinator: NSObject, DataScannerViewControllerDelegate {
        let found: @MainActor (String) -> Void
        private var done = false

        init(found: @escaping @MainActor (String) -> Void) {
            self.found = found
        }

        func dataScanner(_ scanner: DataScannerViewController, didAdd addedItems: [RecognizedItem],
                         allItems: [RecognizedItem]) {
            guard !done else { return }
            for item in addedItems {
                if case .barcode(let code) = item, let text = code.payloadStringValue, !text.isEmpty {
                    done = true
                    scanner.stopScanning()
                    MainActor.assumeIsolated { found(text) }
                    return
                }
            }
        }
    }
}

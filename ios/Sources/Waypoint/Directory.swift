// The offline directory of help services for app code on iOS. Public data: search, show and
// info work while the vault is locked and offline on first run (a signed directory ships in
// the core). Favourites carry a private note and need the vault unlocked.
//
// Dial actions are built and validated by the core: open `DialAction.launchUri` as it is
// (`UIApplication.shared.open`); `DialAction.uri` is the exact RFC 3966 form whose `;` the
// dialer would read as "wait". Show `DialAction.keyword` next to a text button; it is never
// in the URI. When `DialAction.warning` is set (a number the directory marks as costing more
// than an ordinary call), show it and ask before opening.
import Foundation

extension DirectoryQuery {
    /// A query with every filter off; name only what you filter on. `categories` are wire
    /// names (`hotline`, `legal_aid`, ...).
    public static func matching(
        _ text: String = "",
        categories: [String] = [],
        spokenLanguage: String? = nil,
        openNow: Bool = false,
        alwaysOpen: Bool = false,
        free: Bool = false,
        country: String? = nil,
        region: String? = nil,
        near: (latitude: Double, longitude: Double)? = nil,
        maxKm: Double? = nil,
        sortByDistance: Bool = false,
        userLanguage: String = Locale.preferredLanguages.first ?? "en",
        limit: UInt32 = 0
    ) -> DirectoryQuery {
        DirectoryQuery(
            text: text, categories: categories, spokenLanguage: spokenLanguage, openNow: openNow,
            alwaysOpen: alwaysOpen, free: free, country: country, region: region,
            nearLatitude: near?.latitude, nearLongitude: near?.longitude, maxKm: maxKm,
            sortByDistance: sortByDistance, userLanguage: userLanguage, limit: limit
        )
    }
}

extension DirectoryFavourite: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "DirectoryFavourite(id: \(id))" }
    public var debugDescription: String { description }
}

extension WaypointCore {
    /// Searches the offline directory (no network). Works locked.
    public func searchDirectory(_ query: DirectoryQuery) throws(WaypointError) -> [DirectoryResource] {
        try core { try directoryFfi.search(query: query) }
    }

    /// Searches for `text` with every other filter off.
    public func searchDirectory(text: String) throws(WaypointError) -> [DirectoryResource] {
        try searchDirectory(.matching(text))
    }

    /// One resource with all its details, in `userLanguage` with fallback.
    public func directoryResource(id: String, userLanguage: String = Locale.preferredLanguages.first ?? "en") throws(WaypointError) -> DirectoryResource {
        try core { try directoryFfi.show(id: id, userLanguage: userLanguage) }
    }

    /// The installed directory's version, age and origin, or nil if none is installed.
    public func directoryInfo() throws(WaypointError) -> DirectoryInfo? {
        try core { try directoryFfi.info() }
    }

    /// Imports a signed file (e.g. shared offline), verified like a download; returns the
    /// version. Verifying and installing a whole directory takes a while: a detached task.
    /// Read the file with the core's size caps in mind (docs/THREAT_MODEL.md).
    public func importDirectory(kind: DirectoryFileKind, bytes: Data) async throws(WaypointError) -> UInt64 {
        let directory = directoryFfi
        return try await offMainActor(priority: .utility) { () throws(WaypointError) in
            try core { try directory.importFile(kind: kind, bytes: bytes) }
        }
    }

    /// Saves a resource with a private note. Needs the vault unlocked.
    public func addFavourite(resourceId: String, note: String = "") throws(WaypointError) -> DirectoryFavourite {
        try core { try directoryFfi.favouriteAdd(resourceId: resourceId, note: note) }
    }

    /// Every favourite, newest first. Needs the vault unlocked.
    public func favourites() throws(WaypointError) -> [DirectoryFavourite] {
        try core { try directoryFfi.favourites() }
    }

    /// Replaces a favourite's note.
    public func setFavouriteNote(id: String, note: String) throws(WaypointError) {
        try core { try directoryFfi.favouriteSetNote(id: id, note: note) }
    }

    /// Deletes a favourite.
    public func removeFavourite(id: String) throws(WaypointError) {
        try core { try directoryFfi.favouriteRemove(id: id) }
    }
}

// swift-tools-version:6.0
// The Waypoint core for iOS: the Rust core as a binary XCFramework (built on a Mac with
// ios/build-xcframework.sh), the generated UniFFI Swift bindings, and a small idiomatic
// wrapper, in the Swift 6 language mode (complete concurrency checking). Not buildable on
// Linux: ios/check-swift.sh is the gate there. iOS 17 is the floor: see docs/IOS.md.
import PackageDescription

let package = Package(
    name: "Waypoint",
    platforms: [.iOS(.v17), .macOS(.v14)],
    products: [
        .library(name: "Waypoint", targets: ["Waypoint"]),
    ],
    targets: [
        // libwaypoint_core.a for device and simulator, with the generated C header + modulemap.
        .binaryTarget(name: "WaypointCoreFFIFFI", path: "build/WaypointCoreFFIFFI.xcframework"),
        // The generated bindings (build/bindings/swift/WaypointCoreFFI.swift, copied in by the
        // build script) plus the hand-written wrapper in Sources/Waypoint.
        .target(
            name: "Waypoint",
            dependencies: ["WaypointCoreFFIFFI"],
            path: "Sources/Waypoint"
        ),
        .testTarget(
            name: "WaypointTests",
            dependencies: ["Waypoint"],
            path: "Tests/WaypointTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)

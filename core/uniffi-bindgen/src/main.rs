//! Generates Kotlin and Swift bindings for `waypoint-core` in library mode.
fn main() {
    uniffi::uniffi_bindgen_main()
}

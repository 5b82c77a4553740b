//! Any key sequence: the decoy calculator never panics, its display stays phone-sized and
//! never shows a Rust float artefact.
#![no_main]

use libfuzzer_sys::fuzz_target;
use waypoint_disguise::calculator::{Calculator, Key, DISPLAY_MAX_CHARS};

fuzz_target!(|data: &[u8]| {
    let mut calc = Calculator::new();
    for &b in data {
        let press = calc.press(Key::from_byte(b));
        assert!(press.display.chars().count() <= DISPLAY_MAX_CHARS, "display too long");
        assert!(!press.display.contains("inf") && !press.display.contains("NaN"));
        if let Some(code) = press.unlock_candidate {
            assert!(code.len() >= 6 && code.bytes().all(|c| c.is_ascii_digit()));
        }
    }
    // Text input goes through the same parser the CLI uses.
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(keys) = Key::parse_all(text) {
            let _ = Calculator::new().press_all(&keys);
        }
    }
});

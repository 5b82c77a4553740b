//! Helpers shared by the core's tests.

use std::path::{Path, PathBuf};

/// `marker` as it could sit in a file: UTF-8, UTF-16 (both byte orders), lower-cased.
fn encodings(marker: &str) -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("utf-8", marker.as_bytes().to_vec()),
        (
            "utf-16le",
            marker.encode_utf16().flat_map(u16::to_le_bytes).collect(),
        ),
        (
            "utf-16be",
            marker.encode_utf16().flat_map(u16::to_be_bytes).collect(),
        ),
        ("lower", marker.to_lowercase().into_bytes()),
    ]
}

/// Every file under `dir`, recursively.
pub fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(all_files(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// Sizes of the age files directly under `dir` minus their age header, sorted. The header's
/// length varies at random (age adds a "grease" stanza of random size to every X25519
/// header), independently of the content; everything after it is the encrypted, padded
/// content.
pub fn age_body_sizes(dir: &Path) -> Vec<u64> {
    let mut sizes: Vec<u64> = all_files(dir)
        .iter()
        .map(|f| {
            let bytes = std::fs::read(f).expect("read");
            let mac_line = bytes
                .windows(5)
                .position(|w| w == b"\n--- ")
                .expect("age header end")
                + 1;
            let header_len = mac_line
                + bytes[mac_line..]
                    .iter()
                    .position(|b| *b == b'\n')
                    .expect("mac line end")
                + 1;
            (bytes.len() - header_len) as u64
        })
        .collect();
    sizes.sort();
    sizes
}

/// Fails if any marker appears in any file under `dir` (database, WAL, -shm, attachments,
/// temp files) in any of [`encodings`], or in a file name. With `open`, also checks that the
/// WAL and -shm files were there to be scanned.
pub fn assert_no_marker_on_disk<M: AsRef<str>>(dir: &Path, markers: &[M], open: bool) {
    let files = all_files(dir);
    assert!(
        files
            .iter()
            .any(|f| f.to_string_lossy().ends_with("store.db")),
        "the database was scanned"
    );
    if open {
        for suffix in ["-wal", "-shm"] {
            assert!(
                files.iter().any(|f| f.to_string_lossy().ends_with(suffix)),
                "{suffix} scanned too"
            );
        }
    }
    for f in files {
        let name = f.to_string_lossy().to_string();
        let bytes = std::fs::read(&f).expect("read");
        for m in markers {
            let m = m.as_ref();
            assert!(!name.contains(m), "marker in a file name");
            for (enc, needle) in encodings(m) {
                assert!(
                    !bytes.windows(needle.len()).any(|w| w == needle.as_slice()),
                    "marker {m} ({enc}) found in {name}"
                );
            }
        }
    }
}

/// A core in `dir` on a fake clock at `now_ms`, with the tests' quick key derivation.
pub fn open_core_at(dir: &Path, now_ms: i64) -> std::sync::Arc<crate::app::Core> {
    crate::app::Core::open_with_config(
        dir.to_string_lossy().into_owned(),
        std::sync::Arc::new(crate::platform::FakeClock::new(now_ms)),
        None,
        crate::vault::VaultConfig::for_tests(4),
    )
    .expect("open")
}

/// Locks and unlocks again with `pass` (what is checked at the first use after an unlock
/// is checked again).
pub fn relock(wp: &crate::app::Core, pass: &str) {
    wp.lock();
    wp.unlock(pass.into()).expect("unlock");
}

/// The screen model of a fresh install in `dir`, walked through the first run (calculator
/// decoy) to home with `code`.
pub fn screens_at_home(
    dir: &Path,
    now_ms: i64,
    language: &str,
    code: &str,
) -> crate::screens::ScreenModel {
    use crate::screens::{Intent, ScreenModel};
    let m =
        ScreenModel::new(open_core_at(dir, now_ms), "America/New_York", language).expect("model");
    m.dispatch(Intent::Next);
    m.dispatch(Intent::Next);
    let s = m.dispatch(Intent::ChooseCode {
        code: code.into(),
        confirm: code.into(),
    });
    assert_eq!(s.view.name(), "home");
    m
}

/// Types `code` on the calculator and presses "=".
pub fn type_code(m: &crate::screens::ScreenModel, code: &str) -> crate::screens::AppState {
    use crate::app::CalcKey;
    use crate::screens::Intent;
    for c in code.chars() {
        let value = u8::try_from(c.to_digit(10).expect("digit")).expect("digit");
        m.dispatch(Intent::Calc {
            key: CalcKey::Digit { value },
        });
    }
    m.dispatch(Intent::Calc {
        key: CalcKey::Equals,
    })
}

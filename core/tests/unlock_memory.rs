//! Peak heap memory of one unlock at the release work factor must stay under 64 MiB, so
//! that a phone with 1-2 GB of memory does not kill the app while the code is checked.
//!
//! A counting global allocator records the highest number of live heap bytes; it is reset
//! right before the measured call. Only memory is asserted, never time.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use waypoint_core::platform::SystemClock;
use waypoint_core::vault::{VaultConfig, RELEASE_KDF_MEMORY_KIB, RELEASE_SCRYPT_LOG_N};
use waypoint_core::Core;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call to the system allocator unchanged; only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same layout, passed straight on.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
            PEAK.fetch_max(now, Ordering::SeqCst);
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same layout, passed straight on.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
            PEAK.fetch_max(now, Ordering::SeqCst);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator with this layout.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from this allocator with this layout.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let grow = new_size - layout.size();
                let now = LIVE.fetch_add(grow, Ordering::SeqCst) + grow;
                PEAK.fetch_max(now, Ordering::SeqCst);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::SeqCst);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const BOUND: usize = 64 * 1024 * 1024;

/// Peak live heap bytes above what was live when `f` started.
fn peak_of<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let base = LIVE.load(Ordering::SeqCst);
    PEAK.store(base, Ordering::SeqCst);
    let out = f();
    (PEAK.load(Ordering::SeqCst).saturating_sub(base), out)
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

#[test]
fn one_unlock_at_the_release_work_factor_stays_under_64_mib() {
    let config = VaultConfig::default();
    assert_eq!(
        config.scrypt_log_n, RELEASE_SCRYPT_LOG_N,
        "release parameters"
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let wp = Core::open_with_config(
        dir.path().to_string_lossy().into_owned(),
        Arc::new(SystemClock),
        None,
        config,
    )
    .expect("open");
    let (setup, r) = peak_of(|| wp.setup("correct horse".into()));
    r.expect("setup");
    wp.set_duress_passphrase("battery staple".into(), false)
        .expect("duress");
    wp.lock();
    let (right, r) = peak_of(|| wp.unlock("correct horse".into()));
    r.expect("unlock");
    wp.lock();
    let (wrong, r) = peak_of(|| wp.unlock("wrong guess".into()));
    assert!(r.is_err());
    println!(
        "peak heap: setup {:.1} MiB, unlock {:.1} MiB, failed unlock {:.1} MiB (bound 64 MiB)",
        mib(setup),
        mib(right),
        mib(wrong)
    );
    // The derivation itself must be the release cost, or the bound proves nothing.
    let kdf = RELEASE_KDF_MEMORY_KIB as usize * 1024;
    for (what, peak) in [
        ("setup", setup),
        ("unlock", right),
        ("failed unlock", wrong),
    ] {
        assert!(
            peak >= kdf,
            "{what}: {peak} bytes, below the KDF's own memory"
        );
        assert!(peak <= BOUND, "{what}: {:.1} MiB above 64 MiB", mib(peak));
    }
}

//! Feeds arbitrary bytes to directory format 2's decoders (docs/PROTOCOL.md §19): the file
//! reader (header, bounds, zstd frame) and the canonical payload decoders, which a real
//! signature would otherwise keep out of reach. The property is "never panics, never
//! hangs, never allocates past the bounds"; an input that decodes must be the canonical
//! encoding of what it decoded to.
#![no_main]

use libfuzzer_sys::fuzz_target;
use waypoint_format::envelope::PayloadType;
use waypoint_format::v2;

fuzz_target!(|data: &[u8]| {
    let _ = v2::open(data, PayloadType::Bundle);
    let _ = v2::open(data, PayloadType::Delta);
    if let Ok(p) = v2::codec::decode_bundle(data, 10_000) {
        assert_eq!(v2::codec::encode_bundle(&p), data);
    }
    if let Ok(p) = v2::codec::decode_delta(data, 10_000) {
        assert_eq!(v2::codec::encode_delta(&p), data);
    }
});

//! Raw primitives shared by the bench binaries, measured beside what the app does.

use std::time::{Duration, Instant};

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

/// Raw AEAD opens of ciphertexts with the given plaintext (padded) lengths.
pub fn raw_opens(lengths: &[usize]) -> Duration {
    let cipher = XChaCha20Poly1305::new(&[7u8; 32].into());
    let nonce = XNonce::from([1u8; 24]);
    let cts: Vec<Vec<u8>> = lengths
        .iter()
        .map(|n| {
            cipher
                .encrypt(
                    &nonce,
                    Payload {
                        msg: &vec![0u8; *n],
                        aad: b"aad",
                    },
                )
                .expect("encrypt")
        })
        .collect();
    let t = Instant::now();
    for ct in &cts {
        std::hint::black_box(
            cipher
                .decrypt(
                    &nonce,
                    Payload {
                        msg: ct,
                        aad: b"aad",
                    },
                )
                .expect("decrypt"),
        );
    }
    t.elapsed()
}

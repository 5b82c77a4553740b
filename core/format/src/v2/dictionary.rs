//! The recipe for [`super::DICTIONARY`]: a zstd dictionary trained on the canonical
//! encodings of synthetic directory records (feature `synth`; the app only ships the
//! result). Deterministic: the same records, the same trainer (libzstd's default
//! `ZDICT_trainFromBuffer`, single-threaded) and the same size give the same bytes, and
//! `v2::tests::the_shipped_dictionary_is_what_the_recipe_makes` checks that.
//!
//! The seed is not one the benchmarks use, so the bench measures records the dictionary
//! was not trained on. The synthetic records are sized like the packaged HSDS-aligned
//! records but drawn from a small vocabulary, so real directories will compress less well
//! than the bench shows; a deployment can retrain on its own published records with
//! [`train_on`] (a new dictionary is a new dictionary id, which old apps refuse clearly).

use super::codec;
use crate::record::Record;

/// Seed of the training records (the benchmarks use seeds 1, 2, 3 and 99).
pub const SEED: u64 = 0x5750_4432;
/// How many synthetic records are sampled.
pub const SAMPLES: usize = 4_000;
/// Dictionary size in bytes.
pub const SIZE: usize = 64 * 1024;

/// Trains a dictionary of [`SIZE`] bytes on `records`.
pub fn train_on(records: &[Record]) -> std::io::Result<Vec<u8>> {
    let samples: Vec<Vec<u8>> = records.iter().map(codec::encode_record).collect();
    zstd::dict::from_samples(&samples, SIZE)
}

/// The shipped dictionary's recipe.
pub fn train() -> std::io::Result<Vec<u8>> {
    train_on(&crate::synth::records(SAMPLES, SEED))
}

//! Helpers shared by ray-common's tests: locating and reading golden vector
//! files, decoding their fields, and random inputs.

use std::path::PathBuf;

use rand::Rng;
use serde_json::Value;

/// Environment variable that overrides the golden vector directory.
pub const GOLDEN_DIR_ENV: &str = "RAY_GOLDEN_DIR";

/// Directory holding the golden JSON files: `$RAY_GOLDEN_DIR` if set, else
/// `src/ray/common/tests/golden` of this checkout.
pub fn golden_dir() -> PathBuf {
    match std::env::var_os(GOLDEN_DIR_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../common/tests/golden"),
    }
}

/// Reads and parses `name` from [`golden_dir`]. Panics with the path on
/// failure: a missing vector file is a broken test setup.
pub fn load_golden(name: &str) -> Value {
    let path = golden_dir().join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read golden file {}: {e}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("cannot parse golden file {}: {e}", path.display()))
}

/// Field access that panics with the field name and the record, for tests.
pub trait GoldenExt {
    /// The field `key`; panics if absent.
    fn field(&self, key: &str) -> &Value;
    /// The string field `key`.
    fn str_field(&self, key: &str) -> &str;
    /// The boolean field `key`.
    fn bool_field(&self, key: &str) -> bool;
    /// An unsigned integer field given as a JSON number.
    fn u64_field(&self, key: &str) -> u64;
    /// A signed integer field given as a JSON number.
    fn i64_field(&self, key: &str) -> i64;
    /// An unsigned 64-bit field given as a decimal string (hashes).
    fn u64_dec_field(&self, key: &str) -> u64;
    /// A hex string field decoded to bytes.
    fn hex_field(&self, key: &str) -> Vec<u8>;
    /// An array field.
    fn array_field(&self, key: &str) -> &Vec<Value>;
}

impl GoldenExt for Value {
    fn field(&self, key: &str) -> &Value {
        self.get(key)
            .unwrap_or_else(|| panic!("golden record lacks {key:?}: {self}"))
    }

    fn str_field(&self, key: &str) -> &str {
        self.field(key)
            .as_str()
            .unwrap_or_else(|| panic!("{key:?} is not a string in {self}"))
    }

    fn bool_field(&self, key: &str) -> bool {
        self.field(key)
            .as_bool()
            .unwrap_or_else(|| panic!("{key:?} is not a bool in {self}"))
    }

    fn u64_field(&self, key: &str) -> u64 {
        self.field(key)
            .as_u64()
            .unwrap_or_else(|| panic!("{key:?} is not a u64 in {self}"))
    }

    fn i64_field(&self, key: &str) -> i64 {
        self.field(key)
            .as_i64()
            .unwrap_or_else(|| panic!("{key:?} is not an i64 in {self}"))
    }

    fn u64_dec_field(&self, key: &str) -> u64 {
        parse_u64_dec(self.str_field(key))
    }

    fn hex_field(&self, key: &str) -> Vec<u8> {
        decode_hex(self.str_field(key))
    }

    fn array_field(&self, key: &str) -> &Vec<Value> {
        self.field(key)
            .as_array()
            .unwrap_or_else(|| panic!("{key:?} is not an array in {self}"))
    }
}

/// Decodes a hex string; panics on malformed golden data.
pub fn decode_hex(s: &str) -> Vec<u8> {
    hex::decode(s).unwrap_or_else(|e| panic!("bad hex {s:?} in golden data: {e}"))
}

/// Parses a decimal `u64` string (golden hashes exceed JSON doubles).
pub fn parse_u64_dec(s: &str) -> u64 {
    s.parse()
        .unwrap_or_else(|e| panic!("bad decimal u64 {s:?} in golden data: {e}"))
}

/// `N` uniformly random bytes (full `0..=255` range).
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    rand::thread_rng().fill(&mut out[..]);
    out
}

/// A random byte vector of length `len`.
pub fn random_vec(len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    rand::thread_rng().fill(&mut out[..]);
    out
}

/// The straightforward byte-at-a-time MurmurHash64A from the algorithm's
/// description, an independent oracle for the optimised implementation.
pub fn reference_murmur_hash64a(data: &[u8], seed: u32) -> u64 {
    const M: u64 = 0xc6a4a7935bd1e995;
    let mut h = u64::from(seed) ^ (data.len() as u64).wrapping_mul(M);
    let full = data.len() / 8 * 8;
    let mut i = 0;
    while i < full {
        let mut k = 0u64;
        for j in 0..8 {
            k |= u64::from(data[i + j]) << (8 * j);
        }
        k = k.wrapping_mul(M);
        k ^= k >> 47;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
        i += 8;
    }
    let rest = &data[full..];
    if !rest.is_empty() {
        for (j, b) in rest.iter().enumerate().rev() {
            h ^= u64::from(*b) << (8 * j);
        }
        h = h.wrapping_mul(M);
    }
    h ^= h >> 47;
    h = h.wrapping_mul(M);
    h ^ (h >> 47)
}

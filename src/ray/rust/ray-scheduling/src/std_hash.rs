//! libstdc++'s `std::hash<std::string>` on 64-bit targets.
//!
//! Ray derives scheduling IDs from this hash, and the IDs are observable
//! (`ResourceID::ToInt()`), so it is reproduced bit for bit: libstdc++ calls
//! `std::_Hash_bytes(data, len, 0xc70f6907)`, a variant of MurmurHash64A that
//! mixes each 8-byte block before combining it and loads the tail bytes
//! little-endian.

/// The seed libstdc++ passes for `std::hash<std::string>`.
pub const STD_STRING_HASH_SEED: u64 = 0xc70f_6907;

const MUL: u64 = 0xc6a4_a793_5bd1_e995;

#[inline]
fn shift_mix(v: u64) -> u64 {
    v ^ (v >> 47)
}

/// `std::_Hash_bytes(bytes, len, seed)` of libstdc++ (64-bit `size_t`).
pub fn hash_bytes(bytes: &[u8], seed: u64) -> u64 {
    let mut hash = seed ^ (bytes.len() as u64).wrapping_mul(MUL);
    let mut blocks = bytes.chunks_exact(8);
    for block in &mut blocks {
        let mut word = [0u8; 8];
        word.copy_from_slice(block);
        let data = shift_mix(u64::from_le_bytes(word).wrapping_mul(MUL)).wrapping_mul(MUL);
        hash ^= data;
        hash = hash.wrapping_mul(MUL);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        // The tail is read as a little-endian integer of its own length.
        let data = tail
            .iter()
            .rev()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        hash ^= data;
        hash = hash.wrapping_mul(MUL);
    }
    shift_mix(shift_mix(hash).wrapping_mul(MUL))
}

/// `std::hash<std::string>{}(s)` as libstdc++ computes it.
#[inline]
pub fn std_string_hash(s: &[u8]) -> u64 {
    hash_bytes(s, STD_STRING_HASH_SEED)
}

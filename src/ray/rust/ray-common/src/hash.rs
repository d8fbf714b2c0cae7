//! MurmurHash64A, the hash Ray uses for every ID (`BaseID::Hash`).

const M: u64 = 0xc6a4a7935bd1e995;
const R: u32 = 47;

/// Austin Appleby's MurmurHash64A (64-bit platform variant), little-endian
/// block reads, exactly as Ray computes ID hashes (with `seed = 0`).
#[inline]
pub fn murmur_hash64a(data: &[u8], seed: u32) -> u64 {
    let len = data.len() as u64;
    let mut h = u64::from(seed) ^ len.wrapping_mul(M);

    let mut blocks = data.chunks_exact(8);
    for block in &mut blocks {
        let mut word = [0u8; 8];
        word.copy_from_slice(block);
        let mut k = u64::from_le_bytes(word);
        k = k.wrapping_mul(M);
        k ^= k >> R;
        k = k.wrapping_mul(M);
        h ^= k;
        h = h.wrapping_mul(M);
    }

    let tail = blocks.remainder();
    if !tail.is_empty() {
        for (i, &b) in tail.iter().enumerate() {
            h ^= u64::from(b) << (8 * i);
        }
        h = h.wrapping_mul(M);
    }

    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^= h >> R;
    h
}

#[cfg(test)]
mod tests {
    use super::murmur_hash64a;

    #[test]
    fn known_values() {
        assert_eq!(murmur_hash64a(b"", 0), 0);
        assert_eq!(murmur_hash64a(b"abc", 0), 11297775770902552315);
        assert_eq!(murmur_hash64a(&[0xc7, 0, 0, 0], 0), 5435084878588685719);
    }
}

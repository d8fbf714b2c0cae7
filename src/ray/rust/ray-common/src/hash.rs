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
        h ^= tail_word(tail);
        h = h.wrapping_mul(M);
    }

    h ^= h >> R;
    h = h.wrapping_mul(M);
    h ^= h >> R;
    h
}

/// The 1 to 7 bytes after the last block as one little-endian word (the reference XORs
/// in byte i shifted by 8 * i). Two overlapping loads instead of a byte loop or a
/// variable-length copy: the same for every length, and a single load when inlined
/// with a known one.
#[inline(always)]
fn tail_word(tail: &[u8]) -> u64 {
    let n = tail.len();
    let byte = |i: usize| u64::from(tail[i]);
    if n >= 4 {
        let low = u32::from_le_bytes([tail[0], tail[1], tail[2], tail[3]]);
        let high = u32::from_le_bytes([tail[n - 4], tail[n - 3], tail[n - 2], tail[n - 1]]);
        u64::from(low) | (u64::from(high) << (8 * (n - 4)))
    } else {
        byte(0) | (byte(n / 2) << (8 * (n / 2))) | (byte(n - 1) << (8 * (n - 1)))
    }
}

#[cfg(test)]
mod tests {
    use super::murmur_hash64a;

    /// The byte-by-byte tail of the reference, against which `tail_word` is checked.
    fn tail_by_bytes(tail: &[u8]) -> u64 {
        tail.iter()
            .enumerate()
            .fold(0, |w, (i, &b)| w ^ (u64::from(b) << (8 * i)))
    }

    #[test]
    fn tail_words_match_the_reference() {
        let bytes: Vec<u8> = (1..=7).map(|i| 0x10 * i + i).collect();
        for n in 1..=7 {
            assert_eq!(
                super::tail_word(&bytes[..n]),
                tail_by_bytes(&bytes[..n]),
                "{n}"
            );
        }
        for n in 0..=23 {
            let data: Vec<u8> = (0..n as u8).map(|i| i.wrapping_mul(37) ^ 0xa5).collect();
            let blocks = n / 8 * 8;
            if n > blocks {
                assert_eq!(
                    super::tail_word(&data[blocks..]),
                    tail_by_bytes(&data[blocks..])
                );
            }
        }
    }

    #[test]
    fn known_values() {
        assert_eq!(murmur_hash64a(b"", 0), 0);
        assert_eq!(murmur_hash64a(b"abc", 0), 11297775770902552315);
        assert_eq!(murmur_hash64a(&[0xc7, 0, 0, 0], 0), 5435084878588685719);
    }
}

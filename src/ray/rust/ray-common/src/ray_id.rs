//! The behaviour shared by every Ray ID type (Ray's `BaseID<T>`), and the
//! macro that stamps it onto each concrete type.

use std::fmt::{self, Debug, Display};
use std::hash::Hash;
use std::marker::PhantomData;
use std::str::FromStr;

use rand::Rng;

use crate::hash::murmur_hash64a;
use crate::IdError;

/// Byte value Ray fills nil IDs with.
pub const NIL_BYTE: u8 = 0xff;

/// Text Ray's `operator<<` prints for a nil ID.
pub const NIL_ID_TEXT: &str = "NIL_ID";

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Writes the lowercase hex of `bytes` into `out`; `false` (and nothing written) unless
/// `out` is exactly twice as long.
#[inline]
pub fn write_hex(bytes: &[u8], out: &mut [u8]) -> bool {
    if out.len() != 2 * bytes.len() {
        return false;
    }
    // Eight digits stored at once: a caller that copies the text right away
    // (a 4-byte `JobID`'s eight digits are one load) would otherwise wait for
    // the pairs' separate stores, which cannot be forwarded to one wider load.
    let mut words = out.chunks_exact_mut(8);
    let mut quads = bytes.chunks_exact(4);
    for (word, quad) in (&mut words).zip(&mut quads) {
        let mut digits = [0u8; 8];
        for (pair, &b) in digits.chunks_exact_mut(2).zip(quad) {
            pair.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
        }
        word.copy_from_slice(&digits);
    }
    for (pair, &b) in words
        .into_remainder()
        .chunks_exact_mut(2)
        .zip(quads.remainder())
    {
        pair.copy_from_slice(&HEX_PAIRS[usize::from(b)]);
    }
    true
}

/// The two lowercase hex digits of every byte value: one lookup per byte.
static HEX_PAIRS: [[u8; 2]; 256] = {
    let mut pairs = [[0u8; 2]; 256];
    let mut b = 0;
    while b < 256 {
        pairs[b] = [HEX_DIGITS[b >> 4], HEX_DIGITS[b & 0x0f]];
        b += 1;
    }
    pairs
};

/// Common API of Ray's fixed-size identifiers.
///
/// Nil is all `0xFF`; equality, ordering and hashing look at the bytes only.
/// Serde support is part of the contract so generic code can persist IDs.
pub trait RayId:
    Copy
    + Eq
    + Ord
    + Hash
    + Debug
    + Display
    + FromStr<Err = IdError>
    + Default
    + serde::Serialize
    + serde::de::DeserializeOwned
    + Send
    + Sync
    + 'static
{
    /// Length of the binary form in bytes.
    const SIZE: usize;
    /// Ray's C++ class name (`JobID`, `ObjectID`, ...), used in messages.
    const TYPE_NAME: &'static str;

    /// The all-`0xFF` ID.
    fn nil() -> Self;

    /// The raw bytes (Ray's `Binary()`).
    fn as_bytes(&self) -> &[u8];

    /// Ray's `FromBinary`: empty input gives nil, exactly `SIZE` bytes are
    /// copied, anything else is rejected (Ray aborts there).
    fn from_binary(bytes: &[u8]) -> Result<Self, IdError>;

    /// Ray's `FromHex`: exactly `2 * SIZE` hex digits of either case, no
    /// prefix or whitespace. Errors where Ray would log and return nil.
    fn from_hex(s: &str) -> Result<Self, IdError>;

    /// `from_hex` on raw bytes into a caller's buffer of exactly `SIZE`
    /// bytes, without building an error: false wherever `from_hex` fails
    /// (then `out` holds garbage). The fast path of the C++ bridge.
    #[inline]
    fn decode_hex_into(hex: &[u8], out: &mut [u8]) -> bool {
        out.len() == Self::SIZE && read_hex(hex, out)
    }

    /// True when every byte is `0xFF`.
    #[inline]
    fn is_nil(&self) -> bool {
        self.as_bytes().iter().all(|&b| b == NIL_BYTE)
    }

    /// Lowercase hex of the bytes, `2 * SIZE` characters.
    fn hex(&self) -> String {
        let mut out = String::with_capacity(2 * Self::SIZE);
        for &b in self.as_bytes() {
            out.push(char::from(HEX_DIGITS[usize::from(b >> 4)]));
            out.push(char::from(HEX_DIGITS[usize::from(b & 0x0f)]));
        }
        out
    }

    /// Writes the lowercase hex into `out`, which must be exactly
    /// `2 * SIZE` bytes long; lets callers avoid an allocation.
    fn write_hex(&self, out: &mut [u8]) -> Result<(), IdError> {
        if out.len() != 2 * Self::SIZE {
            return Err(IdError::InvalidLength {
                type_name: Self::TYPE_NAME,
                expected: 2 * Self::SIZE,
                actual: out.len(),
            });
        }
        write_hex(self.as_bytes(), out);
        Ok(())
    }

    /// Ray's `Hash()`: MurmurHash64A of the bytes with seed 0.
    #[inline]
    fn ray_hash(&self) -> u64 {
        murmur_hash64a(self.as_bytes(), 0)
    }

    /// What Ray's `operator<<` prints: `NIL_ID` for nil, else the hex.
    fn stream_string(&self) -> String {
        if self.is_nil() {
            NIL_ID_TEXT.to_owned()
        } else {
            self.hex()
        }
    }
}

/// Copies `src` into a fixed array; callers pass exactly `N` bytes.
#[inline]
pub(crate) fn copy_exact<const N: usize>(
    type_name: &'static str,
    src: &[u8],
) -> Result<[u8; N], IdError> {
    <[u8; N]>::try_from(src).map_err(|_| IdError::InvalidLength {
        type_name,
        expected: N,
        actual: src.len(),
    })
}

/// Concatenates `parts` into an `N`-byte array. Sizes are fixed by the ID
/// layouts, so surplus input is ignored and a shortfall stays zero rather
/// than panicking.
#[inline]
pub(crate) fn assemble<const N: usize>(parts: &[&[u8]]) -> [u8; N] {
    debug_assert_eq!(parts.iter().map(|p| p.len()).sum::<usize>(), N);
    let mut out = [0u8; N];
    let mut rest: &mut [u8] = &mut out;
    for part in parts {
        let n = part.len().min(rest.len());
        let (dst, tail) = std::mem::take(&mut rest).split_at_mut(n);
        dst.copy_from_slice(part.get(..n).unwrap_or_default());
        rest = tail;
    }
    out
}

/// The `N` bytes of `src` starting at `start` (zero-filled past the end).
#[inline]
pub(crate) fn extract<const N: usize>(src: &[u8], start: usize) -> [u8; N] {
    let mut out = [0u8; N];
    let available = src.get(start..).unwrap_or_default();
    let n = available.len().min(N);
    if let (Some(dst), Some(part)) = (out.get_mut(..n), available.get(..n)) {
        dst.copy_from_slice(part);
    }
    out
}

/// `N` random bytes, each uniform in `0..=254` like Ray's
/// `absl::Uniform(gen, 0, 255)`, so a random ID is never nil-looking.
pub(crate) fn random_bytes<const N: usize>() -> [u8; N] {
    let mut rng = rand::thread_rng();
    let mut out = [0u8; N];
    // Uniform bytes with 0xFF redrawn: uniform over the other 255 values,
    // and one bulk fill instead of a range sample per byte.
    rng.fill(&mut out[..]);
    for b in &mut out {
        while *b == NIL_BYTE {
            *b = rng.gen();
        }
    }
    out
}

/// The value of each byte as a hex digit; `INVALID_HEX` for other bytes.
const INVALID_HEX: u8 = 0xff;
const HEX_VALUES: [u8; 256] = {
    let mut table = [INVALID_HEX; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

/// Decodes hex digits of either case into `out`, the inverse of
/// [`write_hex`]: `false` unless `input` is exactly `2 * out.len()` digits
/// (then `out` holds garbage).
///
/// Branch-free over the digits: an invalid byte sets high bits in `seen`,
/// checked once at the end. The bytes are stored eight, then four at a time:
/// a caller that reads an ID right back (a 4-byte `JobID` is one load) would
/// otherwise wait for its bytes' separate stores, which cannot be forwarded to
/// one wider load. Always inlined, so that a caller of a fixed size (C++'s
/// `FromHex`, through the bridge) gets straight-line code for it.
#[inline(always)]
pub fn read_hex(input: &[u8], out: &mut [u8]) -> bool {
    if input.len() != 2 * out.len() {
        return false;
    }
    let mut seen = 0u8;
    let mut words = out.chunks_exact_mut(8);
    let mut word_digits = input.chunks_exact(16);
    for (word, digits) in (&mut words).zip(&mut word_digits) {
        word.copy_from_slice(&decode_bytes::<8>(digits, &mut seen));
    }
    let mut halves = words.into_remainder().chunks_exact_mut(4);
    let mut half_digits = word_digits.remainder().chunks_exact(8);
    for (half, digits) in (&mut halves).zip(&mut half_digits) {
        half.copy_from_slice(&decode_bytes::<4>(digits, &mut seen));
    }
    let bytes = halves.into_remainder();
    for (byte, digits) in bytes
        .iter_mut()
        .zip(half_digits.remainder().chunks_exact(2))
    {
        let [value] = decode_bytes::<1>(digits, &mut seen);
        *byte = value;
    }
    seen < 16
}

/// `N` bytes from `2 * N` hex digits, as one value (stored at once).
#[inline(always)]
fn decode_bytes<const N: usize>(digits: &[u8], seen: &mut u8) -> [u8; N] {
    let mut bytes = [0u8; N];
    for (byte, pair) in bytes.iter_mut().zip(digits.chunks_exact(2)) {
        if let [hi, lo] = pair {
            let hi = HEX_VALUES[usize::from(*hi)];
            let lo = HEX_VALUES[usize::from(*lo)];
            *seen |= hi | lo;
            *byte = (hi << 4) | lo;
        }
    }
    bytes
}

/// Decodes exactly `2 * N` hex digits, with Ray's length check first.
pub(crate) fn decode_hex<const N: usize>(s: &str) -> Result<[u8; N], IdError> {
    let input = s.as_bytes();
    if input.len() != 2 * N {
        return Err(IdError::InvalidHexLength {
            expected: 2 * N,
            actual: input.len(),
            input: s.to_owned(),
        });
    }
    let mut out = [0u8; N];
    if read_hex(input, &mut out) {
        Ok(out)
    } else {
        Err(IdError::InvalidHexChar {
            input: s.to_owned(),
        })
    }
}

/// Serde visitor accepting the hex form, raw bytes, or a byte sequence.
pub(crate) struct IdVisitor<T>(pub(crate) PhantomData<T>);

impl<'de, T: RayId> serde::de::Visitor<'de> for IdVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "a {} as {} hex digits or {} bytes",
            T::TYPE_NAME,
            2 * T::SIZE,
            T::SIZE
        )
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        T::from_hex(v).map_err(E::custom)
    }

    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<T, E> {
        T::from_binary(v).map_err(E::custom)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        let mut bytes = Vec::with_capacity(T::SIZE);
        while let Some(b) = seq.next_element::<u8>()? {
            if bytes.len() == T::SIZE {
                return Err(serde::de::Error::invalid_length(T::SIZE + 1, &self));
            }
            bytes.push(b);
        }
        T::from_binary(&bytes).map_err(serde::de::Error::custom)
    }
}

/// Defines an ID newtype over `[u8; $size]` with the full shared API.
macro_rules! define_id {
    ($(#[$meta:meta])* $name:ident, $type_name:literal, $size:expr) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        pub struct $name([u8; $size]);

        impl $name {
            /// Length of the binary form in bytes.
            pub const LENGTH: usize = $size;
            /// The all-`0xFF` ID.
            pub const NIL: Self = Self([$crate::ray_id::NIL_BYTE; $size]);

            /// Wraps raw bytes without validation (every byte string is an ID).
            #[inline]
            pub const fn from_bytes(bytes: [u8; $size]) -> Self {
                Self(bytes)
            }

            /// The raw bytes by value.
            #[inline]
            pub const fn to_bytes(&self) -> [u8; $size] {
                self.0
            }
        }

        impl $crate::RayId for $name {
            const SIZE: usize = $size;
            const TYPE_NAME: &'static str = $type_name;

            fn nil() -> Self {
                Self::NIL
            }

            #[inline]
            fn as_bytes(&self) -> &[u8] {
                &self.0
            }

            #[inline]
            fn from_binary(bytes: &[u8]) -> Result<Self, $crate::IdError> {
                if bytes.is_empty() {
                    return Ok(Self::NIL);
                }
                $crate::ray_id::copy_exact::<$size>($type_name, bytes).map(Self)
            }

            fn from_hex(s: &str) -> Result<Self, $crate::IdError> {
                $crate::ray_id::decode_hex::<$size>(s).map(Self)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::NIL
            }
        }

        impl std::hash::Hash for $name {
            fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
                state.write_u64($crate::RayId::ray_hash(self));
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), $crate::RayId::hex(self))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&$crate::RayId::hex(self))
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::IdError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <Self as $crate::RayId>::from_hex(s)
            }
        }

        impl TryFrom<&[u8]> for $name {
            type Error = $crate::IdError;

            fn try_from(bytes: &[u8]) -> Result<Self, Self::Error> {
                <Self as $crate::RayId>::from_binary(bytes)
            }
        }

        impl From<[u8; $size]> for $name {
            fn from(bytes: [u8; $size]) -> Self {
                Self(bytes)
            }
        }

        impl From<$name> for [u8; $size] {
            fn from(id: $name) -> Self {
                id.0
            }
        }

        impl AsRef<[u8]> for $name {
            fn as_ref(&self) -> &[u8] {
                &self.0
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                if serializer.is_human_readable() {
                    serializer.serialize_str(&$crate::RayId::hex(self))
                } else {
                    serializer.serialize_bytes(&self.0)
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let visitor = $crate::ray_id::IdVisitor::<Self>(std::marker::PhantomData);
                if deserializer.is_human_readable() {
                    deserializer.deserialize_str(visitor)
                } else {
                    deserializer.deserialize_bytes(visitor)
                }
            }
        }
    };
}

pub(crate) use define_id;

#[cfg(test)]
mod tests {
    use super::{read_hex, write_hex};

    #[test]
    fn read_hex_inverts_write_hex_and_rejects_any_bad_digit_at_every_length() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        for len in 0..=40 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state as u8
                })
                .collect();
            let mut hex = vec![0u8; 2 * len];
            assert!(write_hex(&bytes, &mut hex));
            let mut back = vec![0u8; len];
            assert!(read_hex(&hex, &mut back), "length {len}");
            assert_eq!(back, bytes);
            let upper = hex.to_ascii_uppercase();
            assert!(read_hex(&upper, &mut back));
            assert_eq!(back, bytes);
            for at in 0..hex.len() {
                for bad in [b'g', b'/', b':', b'@', b'G', 0, 0xff] {
                    let mut broken = hex.clone();
                    broken[at] = bad;
                    assert!(!read_hex(&broken, &mut back), "length {len}, {bad} at {at}");
                }
            }
            assert!(!read_hex(&hex[..hex.len().saturating_sub(1)], &mut back) || len == 0);
        }
    }
}

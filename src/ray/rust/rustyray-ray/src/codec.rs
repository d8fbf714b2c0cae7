//! MessagePack encoding of values and argument lists.
//!
//! A task's arguments travel to the worker one object each (so that Ray can resolve an
//! argument given as an object reference before the task runs); the worker then joins them
//! into one MessagePack array, which decodes as the function's argument tuple.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Encodes a value the way every object of this crate is stored (named struct fields).
pub fn encode<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, String> {
    rmp_serde::to_vec_named(value).map_err(|e| format!("cannot encode value: {e}"))
}

/// Decodes a value stored by [`encode`].
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    rmp_serde::from_slice(bytes).map_err(|e| format!("cannot decode value: {e}"))
}

/// Joins separately encoded arguments into one MessagePack array.
///
/// The array header depends only on the count; the elements are copied verbatim, so the
/// result equals encoding the tuple of the decoded arguments.
pub fn join_args<'a>(args: impl ExactSizeIterator<Item = &'a [u8]>) -> Vec<u8> {
    let count = args.len();
    let mut out = Vec::new();
    if count < 16 {
        // fixarray: 0x90 | count fits in a byte since count < 16.
        out.push(0x90 | count as u8);
    } else if let Ok(n) = u16::try_from(count) {
        out.push(0xdc);
        out.extend_from_slice(&n.to_be_bytes());
    } else {
        let n = u32::try_from(count).unwrap_or(u32::MAX);
        out.push(0xdd);
        out.extend_from_slice(&n.to_be_bytes());
    }
    for arg in args {
        out.extend_from_slice(arg);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Point {
        x: i64,
        label: String,
    }

    #[test]
    fn joined_args_decode_as_the_tuple() {
        let a = encode(&7_u32).unwrap();
        let b = encode(&Point {
            x: -3,
            label: "p".into(),
        })
        .unwrap();
        let c = encode(&vec![1.5_f64, 2.5]).unwrap();
        let joined = join_args([a.as_slice(), b.as_slice(), c.as_slice()].into_iter());
        let tuple: (u32, Point, Vec<f64>) = decode(&joined).unwrap();
        assert_eq!(
            tuple,
            (
                7,
                Point {
                    x: -3,
                    label: "p".into()
                },
                vec![1.5, 2.5]
            )
        );
        let direct = encode(&(
            7_u32,
            Point {
                x: -3,
                label: "p".into(),
            },
            vec![1.5_f64, 2.5],
        ));
        assert_eq!(joined, direct.unwrap());
    }

    #[test]
    fn long_argument_lists_use_the_16_bit_header() {
        let one = encode(&1_u8).unwrap();
        let joined = join_args(std::iter::repeat_n(one.as_slice(), 20));
        assert_eq!(&joined[..3], &[0xdc, 0, 20]);
        let values: Vec<u8> = decode(&joined).unwrap();
        assert_eq!(values, vec![1; 20]);
    }

    #[test]
    fn decoding_garbage_is_an_error() {
        let err = decode::<Point>(&[0xc1]).unwrap_err();
        assert!(err.starts_with("cannot decode value"), "{err}");
    }
}

//! Errors for ID construction and derivation.
//!
//! Where Ray logs an error or fails a `RAY_CHECK`, the `Display` text is the
//! text Ray prints (without its log prefix), so logs stay comparable.

/// Why an ID could not be built or a derived value could not be extracted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// Binary input whose length is neither 0 nor the ID size.
    #[error("expected size is {expected}, but got data size is {actual}")]
    InvalidLength {
        /// Ray's C++ class name, e.g. `JobID`.
        type_name: &'static str,
        /// Required length in bytes.
        expected: usize,
        /// Length that was given.
        actual: usize,
    },
    /// Hex input whose byte length is not `2 * size`.
    #[error(
        "incorrect hex string length: 2 * {} != {actual}, hex string: {input}",
        .expected / 2
    )]
    InvalidHexLength {
        /// Required length in characters (`2 * size`).
        expected: usize,
        /// UTF-8 byte length of the input.
        actual: usize,
        /// The rejected input.
        input: String,
    },
    /// Hex input containing a byte outside `0-9a-fA-F`.
    #[error("incorrect hex character, hex string: {input}")]
    InvalidHexChar {
        /// The rejected input.
        input: String,
    },
    /// Object index outside `1..=ObjectId::MAX_OBJECT_INDEX`.
    #[error("Check failed: index >= 1 && index <= kMaxObjectIndex index={index}")]
    InvalidObjectIndex {
        /// The rejected index.
        index: u32,
    },
    /// A job ID was requested from a nil ID (fatal in Ray).
    #[error("Check failed: !IsNil() cannot take the job of a nil {type_name}")]
    NilId {
        /// Ray's C++ class name of the nil ID.
        type_name: &'static str,
    },
    /// More unique bytes requested than a SHA-256 digest holds.
    #[error("Check failed: length <= DIGEST_SIZE requested {requested}, at most 32")]
    UniqueBytesTooLong {
        /// Requested length.
        requested: usize,
    },
}

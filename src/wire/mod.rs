//! Wire format v1, the one byte stream every host must produce identically: its limits and its
//! error type here; [`encode`] writes rows and bodies, [`decode`] takes a body apart strictly,
//! [`verify`] checks its hash and otp.
//!
//! A body is `{"dataEncoded":"…","nonce":"…","contentHash":"…","otp":"…"}` (that key order, no
//! whitespace); `dataEncoded` is base64 of `{"dataRows":[row,…]}`. See `docs/brief.md`.

use core::fmt;

pub mod decode;
pub mod encode;
pub mod verify;

#[cfg(test)]
mod fixtures;

pub use decode::{decode, Decoded};
pub use encode::{body, content_hash, data_json, write_row};
pub use verify::{verify, Verified};

/// Most rows one payload carries.
pub const MAX_ROWS: usize = 500;
/// Most bytes of `dataEncoded` (the base64 text) one payload carries.
pub const MAX_DATA_ENCODED: usize = 512 * 1024;
/// Most bytes of one row's compact JSON.
pub const MAX_ROW_BYTES: usize = 4096;
/// Digits of the otp.
pub const OTP_LEN: usize = 6;

const BODY_PREFIX: &str = "{\"dataEncoded\":\"";
const BODY_NONCE: &str = "\",\"nonce\":\"";
const BODY_HASH: &str = "\",\"contentHash\":\"";
const BODY_OTP: &str = "\",\"otp\":\"";
const BODY_SUFFIX: &str = "\"}";

/// Largest body that can be valid: the longest `dataEncoded`, nonce, hash and otp plus the fixed
/// text around them. [`decode()`] rejects anything longer with [`PayloadError::TooLarge`] unparsed.
pub const MAX_BODY_BYTES: usize = BODY_PREFIX.len()
    + MAX_DATA_ENCODED
    + BODY_NONCE.len()
    + crate::ids::NONCE_DIGITS_MAX
    + BODY_HASH.len()
    + crate::ids::CONTENT_HASH_LEN
    + BODY_OTP.len()
    + OTP_LEN
    + BODY_SUFFIX.len();

/// Most time steps either side that [`verify()`] tries, whatever the caller asks (30 minutes).
pub const MAX_DRIFT_STEPS: u32 = 60;

/// Why a body is not an acceptable wire-format v1 payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayloadError {
    /// Not wire format v1; [`Malformed`] says where, never what.
    Malformed(Malformed),
    /// Over a size limit: the body, `dataEncoded`, or one row's bytes. A row (or any object below
    /// the top level) whose raw text exceeds [`MAX_ROW_BYTES`] is reported here before parsing,
    /// even if it would also be non-canonical.
    TooLarge,
    /// `contentHash` is not SHA-1 of `nonce:dataEncoded`.
    HashMismatch,
    /// The otp does not match the secret within the allowed time steps.
    OtpMismatch,
    /// The secret is shorter than [`crate::otp::MIN_SECRET_BYTES`].
    WeakSecret,
}

/// Where a body departs from wire format v1: the reason code of WIT `payload-error.malformed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    /// `json`: not a JSON object of strings.
    Json,
    /// `key-order`: not exactly the four keys in order.
    KeyOrder,
    /// `nonce`: not a canonical decimal in [1, 2^63-1].
    Nonce,
    /// `content-hash`: not 40 uppercase hex digits.
    ContentHash,
    /// `otp`: not 6 decimal digits.
    Otp,
    /// `body`: valid fields, but not the one canonical text (whitespace, escapes).
    Body,
    /// `base64`: `dataEncoded` is not strict base64.
    Base64,
    /// `utf8`: the decoded data is not UTF-8.
    Utf8,
    /// `data`: not the canonical `{"dataRows":[…]}`.
    Data,
    /// `rows`: not 1..=500 rows.
    Rows,
    /// `row.<i>`: the row at 0-based index i is wrong (keys, a field, id order or tenant).
    Row(u32),
}

impl Malformed {
    /// Every code but `row.<i>`, in declaration order.
    pub const FIXED: &'static [Malformed] = &[
        Malformed::Json,
        Malformed::KeyOrder,
        Malformed::Nonce,
        Malformed::ContentHash,
        Malformed::Otp,
        Malformed::Body,
        Malformed::Base64,
        Malformed::Utf8,
        Malformed::Data,
        Malformed::Rows,
    ];

    /// The stable code of a fixed case; `row.<n>` for [`Malformed::Row`].
    pub const fn id(self) -> &'static str {
        match self {
            Malformed::Json => "json",
            Malformed::KeyOrder => "key-order",
            Malformed::Nonce => "nonce",
            Malformed::ContentHash => "content-hash",
            Malformed::Otp => "otp",
            Malformed::Body => "body",
            Malformed::Base64 => "base64",
            Malformed::Utf8 => "utf8",
            Malformed::Data => "data",
            Malformed::Rows => "rows",
            Malformed::Row(_) => "row.<n>",
        }
    }

    /// What it means, one line.
    pub const fn description(self) -> &'static str {
        match self {
            Malformed::Json => "not a JSON object of strings",
            Malformed::KeyOrder => "not exactly the keys dataEncoded, nonce, contentHash, otp in that order",
            Malformed::Nonce => "the nonce is not a canonical decimal in [1, 2^63-1]",
            Malformed::ContentHash => "contentHash is not 40 uppercase hex digits",
            Malformed::Otp => "the otp is not 6 decimal digits",
            Malformed::Body => "valid fields, but not the one canonical text (whitespace, escapes)",
            Malformed::Base64 => "dataEncoded is not strict RFC 4648 base64",
            Malformed::Utf8 => "the decoded data is not UTF-8",
            Malformed::Data => "the decoded data is not the canonical {\"dataRows\":[...]}",
            Malformed::Rows => "not 1 to 500 rows",
            Malformed::Row(_) => "the row at this 0-based index is wrong: keys, a field, id order or tenant",
        }
    }
}

/// The reason code as it crosses the WIT edge: [`Malformed::id`], with the index for a row.
impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Malformed::Row(i) => write!(f, "row.{i}"),
            other => f.write_str(other.id()),
        }
    }
}

impl From<Malformed> for PayloadError {
    fn from(m: Malformed) -> Self {
        PayloadError::Malformed(m)
    }
}

//! Verification: a decoded body whose hash matches and whose otp matches the shared secret.

use crate::otp;

use super::{decode, PayloadError, MAX_DRIFT_STEPS};

/// A payload that passed [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The nonce (for de-duplication).
    pub nonce: u64,
    /// The content hash (for de-duplication).
    pub content_hash: String,
    /// The tenant all rows share.
    pub tenant: String,
    /// How many rows it holds.
    pub row_count: u32,
    /// The time step that matched, relative to the step of `at_seconds`.
    pub step_offset: i32,
}

/// Compares without an early exit, so the time taken does not reveal how many leading bytes match.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Decodes and fully verifies a body: [`decode()`], then the hash must match
/// ([`PayloadError::HashMismatch`]), the secret must have at least [`otp::MIN_SECRET_BYTES`]
/// ([`PayloadError::WeakSecret`]), and the otp must equal [`otp::owly_otp`] for some step
/// T−d..=T+d, T = floor(at_seconds / 30), d = `drift_steps` (at most [`MAX_DRIFT_STEPS`]).
/// Every candidate step is computed and compared in constant time; the reported offset prefers
/// 0, then −1, +1, −2, +2, ….
pub fn verify(body_text: &str, secret: &[u8], at_seconds: i64, drift_steps: u32) -> Result<Verified, PayloadError> {
    let d = decode(body_text)?;
    if !d.hash_ok {
        return Err(PayloadError::HashMismatch);
    }
    if secret.len() < otp::MIN_SECRET_BYTES {
        return Err(PayloadError::WeakSecret);
    }
    let t0 = at_seconds.div_euclid(30);
    let drift = i64::from(drift_steps.min(MAX_DRIFT_STEPS));
    let mut matched: Option<i64> = None;
    let offsets = core::iter::once(0).chain((1..=drift).flat_map(|k| [-k, k]));
    for offset in offsets {
        let Ok(t) = u64::try_from(t0 + offset) else { continue };
        let candidate = otp::owly_otp(secret, &d.content_hash, t);
        if constant_time_eq(candidate.as_bytes(), d.otp.as_bytes()) && matched.is_none() {
            matched = Some(offset);
        }
    }
    let offset = matched.ok_or(PayloadError::OtpMismatch)?;
    Ok(Verified {
        nonce: d.nonce,
        content_hash: d.content_hash,
        tenant: d.tenant,
        row_count: d.row_count,
        step_offset: offset as i32,
    })
}

#[cfg(test)]
#[path = "verify_test.rs"]
mod tests;

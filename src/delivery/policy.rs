//! The delivery policy: every limit of one flush and the retry rules, in one small value.
//!
//! [`Policy::default`] holds the built-in values, [`Policy::MAX`] what a host may configure at
//! most; [`Policy::from_limits`] applies the host's `settings.limits`, which may only lower them.

use crate::host::Limits;
use crate::reason::FailReason;
use crate::{time, wire};

/// The retry policy and every delivery limit, after the host's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    batch_rows: u32,
    payload_bytes: u32,
    row_bytes: u32,
    batches_per_flush: u32,
    lease_ms: u32,
    retry_base_ms: u32,
    retry_cap_ms: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy::DEFAULT
    }
}

impl Policy {
    /// The built-in values: the wire format's maxima, 100 batches per flush, a 5-minute lease,
    /// retries from 30 s doubling up to 6 h.
    pub const DEFAULT: Policy = Policy {
        batch_rows: wire::MAX_ROWS as u32,
        payload_bytes: wire::MAX_DATA_ENCODED as u32,
        row_bytes: wire::MAX_ROW_BYTES as u32,
        batches_per_flush: 100,
        lease_ms: 5 * 60 * 1000,
        retry_base_ms: 30 * 1000,
        retry_cap_ms: 6 * 60 * 60 * 1000,
    };

    /// The most a host may configure: the sizes and the batches per flush only go down, a lease
    /// lasts at most an hour, the retry cap at most a day (and the first delay at most the cap).
    pub const MAX: Policy = Policy {
        lease_ms: 60 * 60 * 1000,
        retry_base_ms: 24 * 60 * 60 * 1000,
        retry_cap_ms: 24 * 60 * 60 * 1000,
        ..Policy::DEFAULT
    };

    /// The policy for the host's limits: 0 means the built-in value, anything else is clamped to
    /// [`Policy::MAX`].
    pub fn from_limits(limits: &Limits) -> Self {
        fn pick(value: u32, default: u32, max: u32) -> u32 {
            if value == 0 {
                default
            } else {
                value.min(max)
            }
        }
        let (d, m) = (Policy::DEFAULT, Policy::MAX);
        let cap = pick(limits.retry_cap_ms, d.retry_cap_ms, m.retry_cap_ms);
        Policy {
            batch_rows: pick(limits.max_batch_rows, d.batch_rows, m.batch_rows),
            payload_bytes: pick(limits.max_payload_bytes, d.payload_bytes, m.payload_bytes),
            row_bytes: pick(limits.max_row_bytes, d.row_bytes, m.row_bytes),
            batches_per_flush: pick(limits.max_batches_per_flush, d.batches_per_flush, m.batches_per_flush),
            lease_ms: pick(limits.lease_ms, d.lease_ms, m.lease_ms),
            retry_base_ms: pick(limits.retry_base_ms, d.retry_base_ms, cap),
            retry_cap_ms: cap,
        }
    }

    /// Rows per payload (and per claim).
    pub fn batch_rows(&self) -> u32 {
        self.batch_rows
    }

    /// Bytes of `dataEncoded` per payload.
    pub fn payload_bytes(&self) -> usize {
        self.payload_bytes as usize
    }

    /// Bytes of one encoded row.
    pub fn row_bytes(&self) -> usize {
        self.row_bytes as usize
    }

    /// Batches one flush seals at most (also the most due batches it resends).
    pub fn batches_per_flush(&self) -> u32 {
        self.batches_per_flush
    }

    /// How long a claim or a due-batch lease lasts, ms.
    pub fn lease_ms(&self) -> i64 {
        i64::from(self.lease_ms)
    }

    /// The first retry delay, ms.
    pub fn retry_base_ms(&self) -> u64 {
        u64::from(self.retry_base_ms)
    }

    /// The longest retry delay, ms, also the cap on `Retry-After`.
    pub fn retry_cap_ms(&self) -> u64 {
        u64::from(self.retry_cap_ms)
    }

    /// How long to wait before the next attempt of a batch sent `attempts` times before: the
    /// collector's `Retry-After` when it is valid (capped), else exponential backoff with "equal
    /// jitter" — half the doubled delay fixed, half from `random`, so that many instances failing
    /// together do not retry in lockstep. `random` is asked only for the backoff; `None` (a broken
    /// entropy source) gets the longest wait.
    pub fn retry_delay_ms(
        &self,
        attempts: u32,
        retry_after: Option<&str>,
        now_ms: i64,
        random: impl FnOnce() -> Option<u32>,
    ) -> u64 {
        if let Some(ms) = retry_after.and_then(|v| parse_retry_after(v, now_ms)) {
            return ms.min(self.retry_cap_ms());
        }
        let exp = self.retry_base_ms().saturating_mul(1u64 << attempts.min(32));
        let delay = exp.min(self.retry_cap_ms());
        let half = delay / 2;
        let random = u64::from(random().unwrap_or(u32::MAX));
        half + random % (half + 1)
    }
}

/// How a collector's HTTP status is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted (2xx).
    Delivered,
    /// Try again later.
    Retry,
    /// Failed for good, for this reason.
    Failed(FailReason),
}

/// The brief's table: 2xx delivered; 408, 425, 429 and 5xx but 501/505 retried; the rest failed.
pub fn classify(status: u16) -> Outcome {
    match status {
        200..=299 => Outcome::Delivered,
        408 | 425 | 429 => Outcome::Retry,
        501 | 505 => Outcome::Failed(FailReason::NotSupported),
        500..=599 => Outcome::Retry,
        409 => Outcome::Failed(FailReason::NonceConflict),
        300..=399 => Outcome::Failed(FailReason::Redirect),
        400..=499 => Outcome::Failed(FailReason::ClientError),
        _ => Outcome::Failed(FailReason::UnexpectedStatus),
    }
}

/// A `Retry-After` value → delay in ms from `now_ms`: delta-seconds (`"120"`) or an HTTP date
/// (IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, or the obsolete RFC 850 and asctime forms).
/// Dates in the past give `Some(0)`; huge values saturate; anything else is `None`. The caller
/// applies its own cap.
pub fn parse_retry_after(value: &str, now_ms: i64) -> Option<u64> {
    let v = value.trim_matches(|c| c == ' ' || c == '\t');
    if v.is_empty() || !v.is_ascii() {
        return None;
    }
    if v.bytes().all(|b| b.is_ascii_digit()) {
        let secs = v.bytes().fold(0u64, |acc, b| {
            acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
        });
        return Some(secs.saturating_mul(1000));
    }
    let at_ms = time::parse_http_date(v, time::year_of_ms(now_ms))?.saturating_mul(1000);
    Some(u64::try_from(at_ms.saturating_sub(now_ms)).unwrap_or(0))
}

#[cfg(test)]
#[path = "policy_test.rs"]
mod tests;

//! Delivery: sends what was recorded, in the order the brief fixes, against a [`Host`].
//!
//! Resend sealed batches that are due, then claim pending rows, re-validate them, encode, seal
//! (nonce + exact payload + row ids in one storage call), send with a fresh otp and settle. The
//! mode is read again before every send, so switching to `local` or `off` takes effect in the
//! middle of a flush. A crash anywhere loses nothing: claims expire, and a sealed batch is resent
//! byte-identically (but for the otp).
//!
//! [`flush`](flush()) runs that once; [`policy`] holds every limit and the retry rules; [`batch`]
//! decides which rows a batch carries and encodes it; [`preview`] shows the next payload.

mod batch;
mod flush;
pub mod policy;

pub use flush::flush;
pub use policy::Policy;

use crate::host::{Host, Row, StorageError};
use crate::reason::StopReason;
use crate::{otp, wire};

/// What one flush did (mirrors WIT `delivery.flush-report`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlushReport {
    /// Why nothing (more) was sent, if so.
    pub stopped: Option<StopReason>,
    /// Batches sealed by this flush.
    pub sealed: u32,
    /// Batches the collector accepted.
    pub delivered: u32,
    /// Rows in the delivered batches.
    pub rows_delivered: u32,
    /// Batches to retry later.
    pub retrying: u32,
    /// Batches failed for good.
    pub failed: u32,
    /// Claimed rows rejected by re-validation.
    pub quarantined: u32,
    /// Rows and batches deleted by retention.
    pub purged: u64,
}

/// The body the next flush would send for the pending rows, without sealing anything: the same
/// row verdicts and the same split, with a freshly drawn nonce and otp. `None` when nothing is
/// pending.
pub fn preview<H: Host>(host: &mut H) -> Result<Option<String>, StorageError> {
    let config = host.config();
    let policy = Policy::from_limits(&config.limits);
    let mut buf = String::with_capacity(512);
    let rows: Vec<Row> = host
        .peek(policy.batch_rows())?
        .into_iter()
        .filter(|r| batch::stored_row_verdict(r, &policy, &mut buf).is_ok())
        .collect();
    let Some(chunk) = batch::split_by_size(&rows, policy.payload_bytes()).next() else {
        return Ok(None);
    };
    let Some(nonce) = batch::draw_nonce(host) else {
        return Err(StorageError::Other(StopReason::EntropyInvalid.id().into()));
    };
    let (data_encoded, content_hash) = batch::encode_batch(chunk, nonce);
    let secret = host.secret();
    let otp = otp::owly_otp(&secret, &content_hash, flush::otp_step(host.now_ms()));
    Ok(Some(wire::body(&data_encoded, nonce, &content_hash, &otp)))
}

//! One flush: retention, the mode/collector/secret checks, due batches, then claim → re-validate
//! → split → seal → send → settle until nothing is pending or the policy's batch limit is hit.

use std::collections::BTreeMap;

use crate::host::{Batch, Host, Level, Mode, NewBatch, Request, Row, Settlement, StorageError, TransportError};
use crate::reason::{self, Count, LogCode, Metric, Rule, StopReason};
use crate::stats::Stats;
use crate::{otp, wire};

use super::batch::{draw_nonce, encode_batch, split_by_size, stored_row_verdict};
use super::policy::{classify, Outcome};
use super::{FlushReport, Policy};

/// Runs the delivery model once and counts what it did.
pub fn flush<H: Host>(host: &mut H, stats: &mut Stats) -> FlushReport {
    let mut report = FlushReport::default();
    let config = host.config();
    let policy = Policy::from_limits(&config.limits);

    // Retention applies in every mode: it only deletes what was delivered or failed.
    if config.retention_days > 0 {
        let before = host
            .now_ms()
            .saturating_sub(i64::from(config.retention_days) * 86_400_000);
        match host.purge(before) {
            Ok(n) => report.purged = n,
            Err(_) => reason::log(host, Level::Error, LogCode::PurgeFailed, []),
        }
    }

    report.stopped = match (config.mode, config.collector_configured) {
        (Mode::Off, _) => Some(StopReason::ModeOff),
        (Mode::Local, _) => Some(StopReason::ModeLocal),
        (Mode::Remote, false) => Some(StopReason::CollectorNone),
        (Mode::Remote, true) => None,
    };
    if report.stopped.is_none() {
        let secret = host.secret();
        if secret.len() < otp::MIN_SECRET_BYTES {
            report.stopped = Some(StopReason::SecretWeak);
        } else if let Err(why) = deliver(host, &secret, &policy, &mut report) {
            report.stopped = Some(why);
        }
    }

    stats.count(Metric::FlushSealed, u64::from(report.sealed));
    stats.count(Metric::FlushDelivered, u64::from(report.delivered));
    stats.count(Metric::FlushRowsDelivered, u64::from(report.rows_delivered));
    stats.count(Metric::FlushRetrying, u64::from(report.retrying));
    stats.count(Metric::FlushFailed, u64::from(report.failed));
    stats.count(Metric::FlushQuarantined, u64::from(report.quarantined));
    let level = if report.failed > 0 { Level::Warn } else { Level::Info };
    let counts = [
        (Count::Sealed, u64::from(report.sealed)),
        (Count::Delivered, u64::from(report.delivered)),
        (Count::RowsDelivered, u64::from(report.rows_delivered)),
        (Count::Retrying, u64::from(report.retrying)),
        (Count::Failed, u64::from(report.failed)),
        (Count::Quarantined, u64::from(report.quarantined)),
        (Count::Purged, report.purged),
    ];
    match report.stopped {
        Some(why) => reason::log(host, level, why, counts),
        None => reason::log(host, level, LogCode::FlushDone, counts),
    }
    report
}

/// Due batches first, then new batches from pending rows; stops early with the reason.
fn deliver<H: Host>(host: &mut H, secret: &[u8], policy: &Policy, report: &mut FlushReport) -> Result<(), StopReason> {
    // 1. Sealed batches that are due (earlier failures, crashed nodes) go first.
    let now = host.now_ms();
    let due = host
        .due(policy.batches_per_flush(), now, now.saturating_add(policy.lease_ms()))
        .map_err(|_| StopReason::StorageUnavailable)?;
    for batch in &due {
        send(host, secret, policy, batch, report)?;
    }

    // 2. New batches from pending rows.
    while report.sealed < policy.batches_per_flush() {
        let now = host.now_ms();
        let mut rows = host
            .claim(policy.batch_rows(), now, now.saturating_add(policy.lease_ms()))
            .map_err(|_| StopReason::StorageUnavailable)?;
        // A host that hands back more than asked must not push a payload past the limits;
        // the extra rows stay claimed until their lease ends.
        rows.truncate(policy.batch_rows() as usize);
        let claimed = rows.len();
        if claimed == 0 {
            break;
        }
        let rows = revalidate(host, policy, rows, report);
        for chunk in split_by_size(&rows, policy.payload_bytes()) {
            if report.sealed >= policy.batches_per_flush() {
                // Rows claimed but not sealed are released when their lease ends.
                return Ok(());
            }
            let Some(batch) = seal(host, chunk)? else {
                continue;
            };
            report.sealed += 1;
            send(host, secret, policy, &batch, report)?;
        }
        if claimed < policy.batch_rows() as usize {
            break;
        }
    }
    Ok(())
}

/// Drops claimed rows that no longer pass the filter (the database is editable) and
/// quarantines them in storage so they are never sent.
fn revalidate<H: Host>(host: &mut H, policy: &Policy, rows: Vec<Row>, report: &mut FlushReport) -> Vec<Row> {
    let mut keep = Vec::with_capacity(rows.len());
    let mut bad: BTreeMap<Rule, Vec<u64>> = BTreeMap::new();
    let mut buf = String::with_capacity(512);
    for row in rows {
        match stored_row_verdict(&row, policy, &mut buf) {
            Ok(()) => keep.push(row),
            Err(r) => bad.entry(r.rule).or_default().push(row.id),
        }
    }
    for (rule, ids) in bad {
        let n = ids.len() as u32;
        match host.quarantine(&ids, rule.id()) {
            Ok(()) => {
                report.quarantined += n;
                reason::log(host, Level::Warn, rule, [(Count::Quarantined, u64::from(n))]);
            }
            Err(_) => reason::log(
                host,
                Level::Error,
                LogCode::QuarantineFailed,
                [(Count::Rows, u64::from(n))],
            ),
        }
    }
    keep
}

/// Encodes and seals one chunk of rows; `None` when this node lost the claim.
fn seal<H: Host>(host: &mut H, rows: &[Row]) -> Result<Option<Batch>, StopReason> {
    let nonce = draw_nonce(host).ok_or(StopReason::EntropyInvalid)?;
    let (data_encoded, content_hash) = encode_batch(rows, nonce);
    let new_batch = NewBatch {
        nonce,
        data_encoded,
        content_hash,
        row_ids: rows.iter().map(|r| r.id).collect(),
        now_ms: host.now_ms(),
    };
    let row_count = rows.len() as u32;
    let (data_encoded, content_hash) = (new_batch.data_encoded.clone(), new_batch.content_hash.clone());
    match host.seal(new_batch) {
        Ok(id) => Ok(Some(Batch {
            id,
            nonce,
            data_encoded,
            content_hash,
            row_count,
            attempts: 0,
        })),
        Err(StorageError::LostClaim) => {
            reason::log(
                host,
                Level::Warn,
                LogCode::LostClaim,
                [(Count::Rows, u64::from(row_count))],
            );
            Ok(None)
        }
        Err(_) => Err(StopReason::StorageUnavailable),
    }
}

/// Sends one sealed batch with a fresh otp and settles the outcome.
fn send<H: Host>(
    host: &mut H,
    secret: &[u8],
    policy: &Policy,
    batch: &Batch,
    report: &mut FlushReport,
) -> Result<(), StopReason> {
    // The one check that makes "switch off" take effect mid-flush.
    if host.mode() != Mode::Remote {
        return Err(StopReason::ModeChanged);
    }
    match host.ready() {
        Ok(()) => {}
        Err(TransportError::NotConfigured) => return Err(StopReason::CollectorNone),
        Err(TransportError::Stopped) => return Err(StopReason::TransportStopped),
        // Any other answer is the send's to give.
        Err(_) => {}
    }
    let now = host.now_ms();
    let otp = otp::owly_otp(secret, &batch.content_hash, otp_step(now));
    let request = Request {
        body: wire::body(&batch.data_encoded, batch.nonce, &batch.content_hash, &otp),
        // Wire format v1 adds no header; a later version's additions go here.
        headers: Vec::new(),
    };
    let (outcome, status, retry_after) = match host.send(request) {
        Ok(response) => (classify(response.status), Some(response.status), response.retry_after),
        Err(TransportError::NotConfigured) => return Err(StopReason::CollectorNone),
        // Nothing was sent: no settle, the batch stays sealed and leased to this node.
        Err(TransportError::Stopped) => return Err(StopReason::TransportStopped),
        Err(_) => (Outcome::Retry, None, None),
    };
    let settlement = match outcome {
        Outcome::Delivered => {
            report.delivered += 1;
            report.rows_delivered += batch.row_count;
            Settlement::Delivered(status.unwrap_or(200))
        }
        Outcome::Failed(why) => {
            report.failed += 1;
            Settlement::Failed {
                status,
                reason: why.id().to_string(),
            }
        }
        Outcome::Retry => {
            report.retrying += 1;
            let delay = policy.retry_delay_ms(batch.attempts, retry_after.as_deref(), now, || random_u32(host));
            Settlement::Retry {
                at_ms: now.saturating_add(delay as i64),
                status,
            }
        }
    };
    let settled_at = host.now_ms();
    if host.settle(batch.id, settled_at, settlement).is_err() {
        // The batch stays sealed and due: it is resent, and the collector de-duplicates.
        reason::log(host, Level::Error, LogCode::SettleFailed, [(Count::Batches, 1)]);
    }
    Ok(())
}

/// The otp's time step at `now_ms`: floor(unix seconds / 30), never negative.
pub(crate) fn otp_step(now_ms: i64) -> u64 {
    now_ms.div_euclid(1000).div_euclid(30).max(0) as u64
}

/// Four random bytes as a number; `None` when the host returns another count.
fn random_u32<H: Host>(host: &mut H) -> Option<u32> {
    let bytes = <[u8; 4]>::try_from(host.random_bytes(4).as_slice()).ok()?;
    Some(u32::from_be_bytes(bytes))
}

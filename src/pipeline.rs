//! The core's operations against a [`Host`]: record, flush (the delivery model), preview, stats.
//!
//! Delivery, in the order the brief fixes: resend sealed batches that are due, then claim pending
//! rows, re-validate them, encode, seal (nonce + exact payload + row ids in one storage call),
//! send with a fresh otp and settle. The mode is read again before every send, so switching to
//! `local` or `off` takes effect in the middle of a flush. A crash anywhere loses nothing: claims
//! expire, and a sealed batch is resent byte-identically (but for the otp).

use std::collections::BTreeMap;

use crate::codec;
use crate::host::{
    Batch, Config, Host, Level, Limits, Mode, NewBatch, NewRow, Row, Settlement, StorageError, TransportError,
};
use crate::otp;
use crate::schema::{self, Rejection};

/// Batches sealed by one flush at most (also the default).
pub const MAX_BATCHES_PER_FLUSH: u32 = 100;
/// Default claim and due-batch lease.
pub const DEFAULT_LEASE_MS: u32 = 5 * 60 * 1000;
/// Longest lease a host may configure.
pub const MAX_LEASE_MS: u32 = 60 * 60 * 1000;
/// Default first retry delay.
pub const DEFAULT_RETRY_BASE_MS: u32 = 30 * 1000;
/// Default longest retry delay and `Retry-After` cap.
pub const DEFAULT_RETRY_CAP_MS: u32 = 6 * 60 * 60 * 1000;
/// Longest retry delay a host may configure.
pub const MAX_RETRY_CAP_MS: u32 = 24 * 60 * 60 * 1000;
/// Shortest shared secret the otp accepts (RFC 4226 recommends 160 bits).
pub const MIN_SECRET_BYTES: usize = 20;
/// The widest row id, used to bound a row's size before the database assigns its id.
const WIDEST_ID: u64 = u64::MAX;
/// How long `record` may reuse the settings other than the mode (which it reads every time):
/// lowering three strings per event through the host ABI costs more than the filter itself.
pub const CONFIG_TTL_MS: i64 = 1000;

/// What one flush did (mirrors WIT `delivery.flush-report`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlushReport {
    /// Why nothing (more) was sent, if so.
    pub stopped: Option<&'static str>,
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

/// Limits after applying the host's settings to the built-in maxima.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effective {
    /// Rows per payload.
    pub batch_rows: u32,
    /// Bytes of `dataEncoded` per payload.
    pub payload_bytes: usize,
    /// Bytes of one encoded row.
    pub row_bytes: usize,
    /// Batches sealed per flush.
    pub batches_per_flush: u32,
    /// Lease length.
    pub lease_ms: i64,
    /// First retry delay.
    pub retry_base_ms: u64,
    /// Longest retry delay.
    pub retry_cap_ms: u64,
}

impl Effective {
    /// Host values may only lower the built-in maxima; 0 means the built-in value.
    pub fn from(limits: &Limits) -> Self {
        fn pick(value: u32, default: u32, max: u32) -> u32 {
            if value == 0 {
                default
            } else {
                value.min(max)
            }
        }
        let max_rows = codec::MAX_ROWS as u32;
        let max_payload = codec::MAX_DATA_ENCODED as u32;
        let max_row = codec::MAX_ROW_BYTES as u32;
        let cap = pick(limits.retry_cap_ms, DEFAULT_RETRY_CAP_MS, MAX_RETRY_CAP_MS);
        Effective {
            batch_rows: pick(limits.max_batch_rows, max_rows, max_rows),
            payload_bytes: pick(limits.max_payload_bytes, max_payload, max_payload) as usize,
            row_bytes: pick(limits.max_row_bytes, max_row, max_row) as usize,
            batches_per_flush: pick(
                limits.max_batches_per_flush,
                MAX_BATCHES_PER_FLUSH,
                MAX_BATCHES_PER_FLUSH,
            ),
            lease_ms: i64::from(pick(limits.lease_ms, DEFAULT_LEASE_MS, MAX_LEASE_MS)),
            retry_base_ms: u64::from(pick(limits.retry_base_ms, DEFAULT_RETRY_BASE_MS, cap)),
            retry_cap_ms: u64::from(cap),
        }
    }
}

/// The core's state between calls: only counters. Everything durable lives in the host.
#[derive(Debug, Default)]
pub struct Core {
    counters: BTreeMap<&'static str, u64>,
    /// Settings for `record`, with when they were read and whether their shapes are valid.
    config_cache: Option<CachedConfig>,
    /// A reused buffer for bounding a row's encoded size (no allocation per event).
    scratch: String,
}

/// Settings as `record` last read them.
#[derive(Debug)]
struct CachedConfig {
    read_at_ms: i64,
    config: Config,
    valid: Result<(), Rejection>,
}

/// Why a flush ended early: the reason code reported as `FlushReport::stopped`.
type Stop = &'static str;

impl Core {
    /// A core with zeroed counters.
    pub fn new() -> Self {
        Self::default()
    }

    fn count(&mut self, name: &'static str, n: u64) {
        if n > 0 {
            *self.counters.entry(name).or_insert(0) += n;
        }
    }

    /// Counters by rule id and metric name, sorted by name.
    pub fn stats(&self) -> Vec<(String, u64)> {
        self.counters.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    /// Checks one event and stores it as pending; returns the row id.
    pub fn record<H: Host>(&mut self, host: &mut H, event_json: &str) -> Result<u64, Rejection> {
        let outcome = self.accept(host, event_json).and_then(|row| {
            host.append(row).map_err(|_| {
                host.log(Level::Error, "storage.append-failed", &[("rows", 1)]);
                storage_rejection()
            })
        });
        match &outcome {
            Ok(_) => self.count("record.accepted", 1),
            Err(r) => {
                self.count(r.rule, 1);
                host.log(Level::Debug, r.rule, &[("rejected", 1)]);
            }
        }
        outcome
    }

    /// The same checks as [`Core::record`], storing nothing: the row as it would be encoded,
    /// with `"ID":"0"`.
    pub fn check<H: Host>(&mut self, host: &mut H, event_json: &str) -> Result<String, Rejection> {
        let row = self.accept(host, event_json)?;
        let mut out = String::with_capacity(256);
        codec::write_row(&mut out, 0, &row);
        Ok(out)
    }

    /// Schema, PII filter, settings and size checks shared by `record` and `check`.
    fn accept<H: Host>(&mut self, host: &mut H, event_json: &str) -> Result<NewRow, Rejection> {
        if host.mode() == Mode::Off {
            return Err(rejection("mode.off", ""));
        }
        let accepted = schema::check_event(event_json)?;
        let now_ms = host.now_ms();
        let cached = self.recent_config(host, now_ms);
        cached.valid.clone()?;
        let row_bytes = Effective::from(&cached.config.limits).row_bytes;
        let row = NewRow {
            name: accepted.name,
            tenant: cached.config.server_id.clone(),
            product_version: cached.config.product_version.clone(),
            app_version: cached.config.app_version.clone(),
            recorded_at: now_ms.div_euclid(1000),
            attributes: accepted.attributes,
        };
        self.scratch.clear();
        codec::write_row(&mut self.scratch, WIDEST_ID, &row);
        if self.scratch.len() > row_bytes {
            return Err(rejection("row.too-large", "event"));
        }
        Ok(row)
    }

    /// The settings, read again when older than [`CONFIG_TTL_MS`] (or when the clock went back).
    fn recent_config<H: Host>(&mut self, host: &mut H, now_ms: i64) -> &CachedConfig {
        let fresh =
            matches!(&self.config_cache, Some(c) if now_ms >= c.read_at_ms && now_ms - c.read_at_ms < CONFIG_TTL_MS);
        if !fresh {
            self.config_cache = None;
        }
        self.config_cache.get_or_insert_with(|| {
            let config = host.config();
            let valid = check_settings(&config);
            CachedConfig {
                read_at_ms: now_ms,
                config,
                valid,
            }
        })
    }

    /// Runs the delivery model once.
    pub fn flush<H: Host>(&mut self, host: &mut H) -> FlushReport {
        let mut report = FlushReport::default();
        let config = host.config();
        self.config_cache = None; // a flush is a natural point to pick up changed settings
        let limits = Effective::from(&config.limits);

        // Retention applies in every mode: it only deletes what was delivered or failed.
        if config.retention_days > 0 {
            let before = host
                .now_ms()
                .saturating_sub(i64::from(config.retention_days) * 86_400_000);
            match host.purge(before) {
                Ok(n) => report.purged = n,
                Err(_) => host.log(Level::Error, "storage.purge-failed", &[]),
            }
        }

        report.stopped = match (config.mode, config.collector_configured) {
            (Mode::Off, _) => Some("mode.off"),
            (Mode::Local, _) => Some("mode.local"),
            (Mode::Remote, false) => Some("collector.none"),
            (Mode::Remote, true) => None,
        };
        if report.stopped.is_none() {
            let secret = host.secret();
            if secret.len() < MIN_SECRET_BYTES {
                report.stopped = Some("secret.weak");
            } else if let Err(why) = self.deliver(host, &secret, &limits, &mut report) {
                report.stopped = Some(why);
            }
        }

        self.count("flush.sealed", u64::from(report.sealed));
        self.count("flush.delivered", u64::from(report.delivered));
        self.count("flush.rows-delivered", u64::from(report.rows_delivered));
        self.count("flush.retrying", u64::from(report.retrying));
        self.count("flush.failed", u64::from(report.failed));
        self.count("flush.quarantined", u64::from(report.quarantined));
        let level = if report.failed > 0 { Level::Warn } else { Level::Info };
        host.log(
            level,
            report.stopped.unwrap_or("flush.done"),
            &[
                ("sealed", u64::from(report.sealed)),
                ("delivered", u64::from(report.delivered)),
                ("rows-delivered", u64::from(report.rows_delivered)),
                ("retrying", u64::from(report.retrying)),
                ("failed", u64::from(report.failed)),
                ("quarantined", u64::from(report.quarantined)),
                ("purged", report.purged),
            ],
        );
        report
    }

    fn deliver<H: Host>(
        &mut self,
        host: &mut H,
        secret: &[u8],
        limits: &Effective,
        report: &mut FlushReport,
    ) -> Result<(), Stop> {
        // 1. Sealed batches that are due (earlier failures, crashed nodes) go first.
        let now = host.now_ms();
        let due = host
            .due(limits.batches_per_flush, now, now.saturating_add(limits.lease_ms))
            .map_err(|_| "storage.unavailable")?;
        for batch in &due {
            self.send(host, secret, limits, batch, report)?;
        }

        // 2. New batches from pending rows.
        while report.sealed < limits.batches_per_flush {
            let now = host.now_ms();
            let rows = host
                .claim(limits.batch_rows, now, now.saturating_add(limits.lease_ms))
                .map_err(|_| "storage.unavailable")?;
            let mut rows = rows;
            // A host that hands back more than asked must not push a payload past the limits;
            // the extra rows stay claimed until their lease ends.
            rows.truncate(limits.batch_rows as usize);
            let claimed = rows.len();
            if claimed == 0 {
                break;
            }
            let rows = self.revalidate(host, limits, rows, report);
            for chunk in split_by_size(&rows, limits.payload_bytes) {
                if report.sealed >= limits.batches_per_flush {
                    // Rows claimed but not sealed are released when their lease ends.
                    return Ok(());
                }
                let batch = match self.seal(host, chunk)? {
                    Some(batch) => batch,
                    None => continue,
                };
                report.sealed += 1;
                self.send(host, secret, limits, &batch, report)?;
            }
            if claimed < limits.batch_rows as usize {
                break;
            }
        }
        Ok(())
    }

    /// Drops claimed rows that no longer pass the filter (the database is editable) and
    /// quarantines them in storage so they are never sent.
    fn revalidate<H: Host>(
        &mut self,
        host: &mut H,
        limits: &Effective,
        rows: Vec<Row>,
        report: &mut FlushReport,
    ) -> Vec<Row> {
        let mut keep = Vec::with_capacity(rows.len());
        let mut bad: BTreeMap<&'static str, Vec<u64>> = BTreeMap::new();
        let mut buf = String::with_capacity(512);
        for row in rows {
            let verdict = stored_row_verdict(&row, limits, &mut buf);
            match verdict {
                Ok(()) => keep.push(row),
                Err(r) => bad.entry(r.rule).or_default().push(row.id),
            }
        }
        for (rule, ids) in bad {
            let n = ids.len() as u32;
            match host.quarantine(&ids, rule) {
                Ok(()) => {
                    report.quarantined += n;
                    host.log(Level::Warn, rule, &[("quarantined", u64::from(n))]);
                }
                Err(_) => host.log(Level::Error, "storage.quarantine-failed", &[("rows", u64::from(n))]),
            }
        }
        keep
    }

    /// Encodes and seals one chunk of rows; `None` when this node lost the claim.
    fn seal<H: Host>(&mut self, host: &mut H, rows: &[Row]) -> Result<Option<Batch>, Stop> {
        let nonce = draw_nonce(host).ok_or("entropy.invalid")?;
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
                host.log(Level::Warn, "storage.lost-claim", &[("rows", u64::from(row_count))]);
                Ok(None)
            }
            Err(_) => Err("storage.unavailable"),
        }
    }

    /// Sends one sealed batch with a fresh otp and settles the outcome.
    fn send<H: Host>(
        &mut self,
        host: &mut H,
        secret: &[u8],
        limits: &Effective,
        batch: &Batch,
        report: &mut FlushReport,
    ) -> Result<(), Stop> {
        // The one check that makes "switch off" take effect mid-flush.
        match host.mode() {
            Mode::Remote => {}
            _ => return Err("mode.changed"),
        }
        let now = host.now_ms();
        let step = now.div_euclid(1000).div_euclid(30).max(0) as u64;
        let otp = otp::owly_otp(secret, &batch.content_hash, step);
        let body = codec::body(&batch.data_encoded, batch.nonce, &batch.content_hash, &otp);
        let outcome = match host.send(&body) {
            Ok(response) => classify(response.status).settlement(
                host,
                limits,
                batch,
                now,
                Some(response.status),
                response.retry_after.as_deref(),
            ),
            Err(TransportError::NotConfigured) => return Err("collector.none"),
            Err(_) => Class::Retry.settlement(host, limits, batch, now, None, None),
        };
        match &outcome {
            Settlement::Delivered(_) => {
                report.delivered += 1;
                report.rows_delivered += batch.row_count;
            }
            Settlement::Retry { .. } => report.retrying += 1,
            Settlement::Failed { .. } => report.failed += 1,
        }
        let settled_at = host.now_ms();
        if host.settle(batch.id, settled_at, outcome).is_err() {
            // The batch stays sealed and due: it is resent, and the collector de-duplicates.
            host.log(Level::Error, "storage.settle-failed", &[("batches", 1)]);
        }
        Ok(())
    }

    /// The body the next flush would send for the pending rows, without sealing anything.
    pub fn preview<H: Host>(&mut self, host: &mut H) -> Result<Option<String>, StorageError> {
        let config = host.config();
        let limits = Effective::from(&config.limits);
        let mut buf = String::with_capacity(512);
        let rows: Vec<Row> = host
            .peek(limits.batch_rows)?
            .into_iter()
            .filter(|r| stored_row_verdict(r, &limits, &mut buf).is_ok())
            .collect();
        let Some(chunk) = split_by_size(&rows, limits.payload_bytes).next() else {
            return Ok(None);
        };
        let Some(nonce) = draw_nonce(host) else {
            return Err(StorageError::Other("entropy.invalid".into()));
        };
        let (data_encoded, content_hash) = encode_batch(chunk, nonce);
        let secret = host.secret();
        let step = host.now_ms().div_euclid(1000).div_euclid(30).max(0) as u64;
        let otp = otp::owly_otp(&secret, &content_hash, step);
        Ok(Some(codec::body(&data_encoded, nonce, &content_hash, &otp)))
    }
}

/// How an HTTP status is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Delivered,
    Retry,
    Failed(&'static str),
}

/// The brief's table: 2xx delivered; 408, 425, 429 and 5xx but 501/505 retried; the rest failed.
fn classify(status: u16) -> Class {
    match status {
        200..=299 => Class::Delivered,
        408 | 425 | 429 => Class::Retry,
        501 | 505 => Class::Failed("http.not-supported"),
        500..=599 => Class::Retry,
        409 => Class::Failed("http.nonce-conflict"),
        300..=399 => Class::Failed("http.redirect"),
        400..=499 => Class::Failed("http.client-error"),
        _ => Class::Failed("http.unexpected-status"),
    }
}

impl Class {
    fn settlement<H: Host>(
        self,
        host: &mut H,
        limits: &Effective,
        batch: &Batch,
        now: i64,
        status: Option<u16>,
        retry_after: Option<&str>,
    ) -> Settlement {
        match self {
            Class::Delivered => Settlement::Delivered(status.unwrap_or(200)),
            Class::Failed(reason) => Settlement::Failed {
                status,
                reason: reason.to_string(),
            },
            Class::Retry => {
                let delay = match retry_after.and_then(|v| codec::parse_retry_after(v, now)) {
                    Some(ms) => ms.min(limits.retry_cap_ms),
                    None => backoff(host, limits, batch.attempts),
                };
                Settlement::Retry {
                    at_ms: now.saturating_add(delay as i64),
                    status,
                }
            }
        }
    }
}

/// Exponential backoff with "equal jitter": half the doubled delay fixed, half random, so
/// many instances failing together do not retry in lockstep.
fn backoff<H: Host>(host: &mut H, limits: &Effective, attempts: u32) -> u64 {
    let exp = limits.retry_base_ms.saturating_mul(1u64 << attempts.min(32));
    let delay = exp.min(limits.retry_cap_ms);
    let half = delay / 2;
    let bytes = host.random_bytes(4);
    let random = match <[u8; 4]>::try_from(bytes.as_slice()) {
        Ok(b) => u64::from(u32::from_be_bytes(b)),
        Err(_) => u64::from(u32::MAX), // a broken entropy source gets the longest wait
    };
    half + random % (half + 1)
}

/// The exact `dataEncoded` and `contentHash` of rows (ascending ids) under `nonce`.
fn encode_batch(rows: &[Row], nonce: u64) -> (String, String) {
    let data_encoded = codec::base64_encode(codec::data_json(rows).as_bytes());
    let content_hash = codec::content_hash(nonce, &data_encoded);
    (data_encoded, content_hash)
}

/// Whether a row read back from storage may still leave: the filter, the settings shapes and the
/// row size, exactly as at recording time (the database is editable). `buf` is scratch space.
fn stored_row_verdict(row: &Row, limits: &Effective, buf: &mut String) -> Result<(), Rejection> {
    schema::check_stored(&row.data.name, &row.data.attributes)?;
    check_row_fields(&row.data)?;
    buf.clear();
    codec::write_row(buf, row.id, &row.data);
    if buf.len() > limits.row_bytes {
        return Err(rejection("row.too-large", "event"));
    }
    Ok(())
}

/// A nonce uniform in [1, 2^63-1]: 63 random bits, redrawn on zero.
fn draw_nonce<H: Host>(host: &mut H) -> Option<u64> {
    for _ in 0..4 {
        let bytes = host.random_bytes(8);
        let b = <[u8; 8]>::try_from(bytes.as_slice()).ok()?;
        let nonce = u64::from_be_bytes(b) & (u64::MAX >> 1);
        if nonce != 0 {
            return Some(nonce);
        }
    }
    None
}

/// Splits rows (ascending ids) into chunks whose `dataEncoded` fits `max_encoded` bytes.
fn split_by_size(rows: &[Row], max_encoded: usize) -> impl Iterator<Item = &[Row]> {
    const FRAME: usize = r#"{"dataRows":[]}"#.len();
    let mut rest = rows;
    let mut buf = String::with_capacity(512);
    core::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut json_len = FRAME;
        let mut take = 0;
        for row in rest {
            buf.clear();
            codec::write_row(&mut buf, row.id, &row.data);
            let next = json_len + buf.len() + usize::from(take > 0);
            if take > 0 && codec::base64_len(next) > max_encoded {
                break;
            }
            json_len = next;
            take += 1;
        }
        let (chunk, tail) = rest.split_at(take);
        rest = tail;
        Some(chunk)
    })
}

fn rejection(rule: &'static str, field: &str) -> Rejection {
    Rejection {
        rule,
        field: field.to_string(),
    }
}

/// A storage failure while recording; the host's error text stays out of the verdict.
fn storage_rejection() -> Rejection {
    rejection("storage.unavailable", "")
}

/// The settings values that end up in every row must have their documented shapes: a
/// misconfigured host must not leak a hostname or an e-mail address through them.
fn check_settings(config: &Config) -> Result<(), Rejection> {
    if !is_server_id(&config.server_id) {
        return Err(rejection("settings.server-id", "settings"));
    }
    if !is_version(&config.product_version) || !is_version(&config.app_version) {
        return Err(rejection("settings.version", "settings"));
    }
    Ok(())
}

/// The same shape checks for a row read back from storage.
fn check_row_fields(row: &NewRow) -> Result<(), Rejection> {
    if !is_server_id(&row.tenant) {
        return Err(rejection("settings.server-id", "tenant"));
    }
    if !is_version(&row.product_version) || !is_version(&row.app_version) {
        return Err(rejection("settings.version", "version"));
    }
    if !(0..=253_402_300_799).contains(&row.recorded_at) {
        return Err(rejection("row.time", "recorded-at"));
    }
    Ok(())
}

/// `XXXX-XXXX-XXXX-XXXX` of A-Z and 0-9.
pub fn is_server_id(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 19
        && b.iter().enumerate().all(|(i, c)| {
            if i % 5 == 4 {
                *c == b'-'
            } else {
                c.is_ascii_uppercase() || c.is_ascii_digit()
            }
        })
}

/// A version: 1 to 32 of `0-9 A-Z a-z . - + _`, starting with a digit or letter.
pub fn is_version(s: &str) -> bool {
    let b = s.as_bytes();
    (1..=32).contains(&b.len())
        && b[0].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'+' | b'_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_statuses_as_the_brief_says() {
        let table: &[(u16, Class)] = &[
            (200, Class::Delivered),
            (204, Class::Delivered),
            (408, Class::Retry),
            (425, Class::Retry),
            (429, Class::Retry),
            (500, Class::Retry),
            (503, Class::Retry),
            (599, Class::Retry),
            (501, Class::Failed("http.not-supported")),
            (505, Class::Failed("http.not-supported")),
            (400, Class::Failed("http.client-error")),
            (401, Class::Failed("http.client-error")),
            (409, Class::Failed("http.nonce-conflict")),
            (301, Class::Failed("http.redirect")),
            (100, Class::Failed("http.unexpected-status")),
        ];
        for (status, class) in table {
            assert_eq!(classify(*status), *class, "status {status}");
        }
    }

    #[test]
    fn host_limits_only_lower_the_maxima() {
        let e = Effective::from(&Limits {
            max_batch_rows: 10_000,
            max_payload_bytes: 1_000,
            ..Limits::default()
        });
        assert_eq!(e.batch_rows, 500);
        assert_eq!(e.payload_bytes, 1_000);
        assert_eq!(e.row_bytes, 4096);
        assert_eq!(e.lease_ms, i64::from(DEFAULT_LEASE_MS));
        assert_eq!(e.retry_cap_ms, u64::from(DEFAULT_RETRY_CAP_MS));
    }

    #[test]
    fn validates_setting_shapes() {
        assert!(is_server_id("BWSN-B5B6-32P4-DDL7"));
        for bad in [
            "bwsn-b5b6-32p4-ddl7",
            "BWSN-B5B6-32P4-DDL",
            "BWSN_B5B6-32P4-DDL7",
            "jane@example.com",
            "",
        ] {
            assert!(!is_server_id(bad), "{bad}");
        }
        assert!(is_version("9.12.15") && is_version("0.9.9-b301041"));
        for bad in ["", ".1", "9 12", "https://x.example", &"9".repeat(33)] {
            assert!(!is_version(bad), "{bad}");
        }
    }
}

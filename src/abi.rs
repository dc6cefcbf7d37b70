//! The wit-bindgen glue (wasm32 only): binds [`Host`] to the WIT imports and the exports to the core.

use std::cell::RefCell;

use crate::host::{self, Host};
use crate::reason::StopReason;
use crate::{catalog, schema, wire, Core};

wit_bindgen::generate!({
    world: "core",
    path: "wit",
});

use exports::owly::analytics::{delivery, inspect, recorder};
use owly::analytics::{clock, entropy, log, settings, storage, transport, types};

thread_local! {
    /// The module is single-threaded; the host serialises calls into one instance.
    static CORE: RefCell<Core> = RefCell::new(Core::new());
}

/// The host reached through the WIT imports.
struct WitHost;

fn storage_error(e: storage::StorageError) -> host::StorageError {
    match e {
        storage::StorageError::Unavailable(s) => host::StorageError::Unavailable(s),
        storage::StorageError::LostClaim => host::StorageError::LostClaim,
        storage::StorageError::Other(s) => host::StorageError::Other(s),
    }
}

fn to_wit_storage_error(e: host::StorageError) -> storage::StorageError {
    match e {
        host::StorageError::Unavailable(s) => storage::StorageError::Unavailable(s),
        host::StorageError::LostClaim => storage::StorageError::LostClaim,
        host::StorageError::Other(s) => storage::StorageError::Other(s),
    }
}

fn from_wit_row(r: types::Row) -> host::Row {
    let d = r.data;
    host::Row {
        id: r.id,
        data: host::NewRow {
            name: d.name,
            tenant: d.tenant,
            product_version: d.product_version,
            app_version: d.app_version,
            recorded_at: d.recorded_at,
            attributes: d.attributes,
        },
    }
}

fn from_wit_transport_error(e: transport::TransportError) -> host::TransportError {
    match e {
        transport::TransportError::NotConfigured => host::TransportError::NotConfigured,
        transport::TransportError::Timeout => host::TransportError::Timeout,
        transport::TransportError::Connect(s) => host::TransportError::Connect(s),
        transport::TransportError::Other(s) => host::TransportError::Other(s),
        transport::TransportError::Stopped => host::TransportError::Stopped,
    }
}

fn from_wit_mode(m: types::Mode) -> host::Mode {
    match m {
        types::Mode::Off => host::Mode::Off,
        types::Mode::Local => host::Mode::Local,
        types::Mode::Remote => host::Mode::Remote,
    }
}

impl Host for WitHost {
    fn append(&mut self, row: host::NewRow) -> Result<u64, host::StorageError> {
        let row = types::NewRow {
            name: row.name,
            tenant: row.tenant,
            product_version: row.product_version,
            app_version: row.app_version,
            recorded_at: row.recorded_at,
            attributes: row.attributes,
        };
        storage::append(&row).map_err(storage_error)
    }

    fn claim(&mut self, limit: u32, now_ms: i64, lease_until_ms: i64) -> Result<Vec<host::Row>, host::StorageError> {
        storage::claim(limit, now_ms, lease_until_ms)
            .map(|rows| rows.into_iter().map(from_wit_row).collect())
            .map_err(storage_error)
    }

    fn peek(&mut self, limit: u32) -> Result<Vec<host::Row>, host::StorageError> {
        storage::peek(limit)
            .map(|rows| rows.into_iter().map(from_wit_row).collect())
            .map_err(storage_error)
    }

    fn seal(&mut self, batch: host::NewBatch) -> Result<u64, host::StorageError> {
        let batch = storage::NewBatch {
            nonce: batch.nonce,
            data_encoded: batch.data_encoded,
            content_hash: batch.content_hash,
            row_ids: batch.row_ids,
            now_ms: batch.now_ms,
        };
        storage::seal(&batch).map_err(storage_error)
    }

    fn due(&mut self, limit: u32, now_ms: i64, lease_until_ms: i64) -> Result<Vec<host::Batch>, host::StorageError> {
        storage::due(limit, now_ms, lease_until_ms)
            .map(|batches| {
                batches
                    .into_iter()
                    .map(|b| host::Batch {
                        id: b.id,
                        nonce: b.nonce,
                        data_encoded: b.data_encoded,
                        content_hash: b.content_hash,
                        row_count: b.row_count,
                        attempts: b.attempts,
                    })
                    .collect()
            })
            .map_err(storage_error)
    }

    fn settle(&mut self, batch_id: u64, now_ms: i64, outcome: host::Settlement) -> Result<(), host::StorageError> {
        let outcome = match outcome {
            host::Settlement::Delivered(status) => storage::Settlement::Delivered(status),
            host::Settlement::Retry { at_ms, status } => storage::Settlement::Retry(storage::RetryAt { at_ms, status }),
            host::Settlement::Failed { status, reason } => {
                storage::Settlement::Failed(storage::Failure { status, reason })
            }
        };
        storage::settle(batch_id, now_ms, &outcome).map_err(storage_error)
    }

    fn quarantine(&mut self, row_ids: &[u64], rule: &str) -> Result<(), host::StorageError> {
        storage::quarantine(row_ids, rule).map_err(storage_error)
    }

    fn purge(&mut self, before_ms: i64) -> Result<u64, host::StorageError> {
        storage::purge(before_ms).map_err(storage_error)
    }

    fn ready(&mut self) -> Result<(), host::TransportError> {
        transport::ready().map_err(from_wit_transport_error)
    }

    fn send(&mut self, request: host::Request) -> Result<host::Response, host::TransportError> {
        let request = transport::Request {
            body: request.body,
            headers: request
                .headers
                .into_iter()
                .map(|h| transport::Header {
                    name: h.name,
                    value: h.value,
                })
                .collect(),
        };
        transport::send(&request)
            .map(|r| host::Response {
                status: r.status,
                retry_after: r.retry_after,
            })
            .map_err(from_wit_transport_error)
    }

    fn now_ms(&mut self) -> i64 {
        clock::now_ms()
    }

    fn random_bytes(&mut self, len: u32) -> Vec<u8> {
        entropy::random_bytes(len)
    }

    fn config(&mut self) -> host::Config {
        let c = settings::get();
        let l = c.limits;
        host::Config {
            mode: from_wit_mode(c.mode),
            server_id: c.server_id,
            product_version: c.product_version,
            app_version: c.app_version,
            collector_configured: c.collector_configured,
            retention_days: c.retention_days,
            limits: host::Limits {
                max_batch_rows: l.max_batch_rows,
                max_payload_bytes: l.max_payload_bytes,
                max_row_bytes: l.max_row_bytes,
                max_batches_per_flush: l.max_batches_per_flush,
                lease_ms: l.lease_ms,
                retry_base_ms: l.retry_base_ms,
                retry_cap_ms: l.retry_cap_ms,
            },
        }
    }

    fn mode(&mut self) -> host::Mode {
        from_wit_mode(settings::current_mode())
    }

    fn secret(&mut self) -> Vec<u8> {
        settings::secret()
    }

    fn log(&mut self, level: host::Level, code: &str, counts: &[(&str, u64)]) {
        let level = match level {
            host::Level::Debug => log::Level::Debug,
            host::Level::Info => log::Level::Info,
            host::Level::Warn => log::Level::Warn,
            host::Level::Error => log::Level::Error,
        };
        let counts: Vec<types::Counter> = counts
            .iter()
            .map(|(name, value)| types::Counter {
                name: (*name).to_string(),
                value: *value,
            })
            .collect();
        log::emit(level, code, &counts);
    }
}

/// The exported component.
struct Component;

fn to_wit_rejection(r: schema::Rejection) -> recorder::Rejection {
    recorder::Rejection {
        rule: r.rule.id().to_string(),
        field: r.field,
    }
}

impl recorder::Guest for Component {
    fn record(event: String) -> Result<u64, recorder::Rejection> {
        CORE.with(|c| c.borrow_mut().record(&mut WitHost, &event))
            .map_err(to_wit_rejection)
    }

    fn check(event: String) -> Result<String, recorder::Rejection> {
        CORE.with(|c| c.borrow_mut().check(&mut WitHost, &event))
            .map_err(to_wit_rejection)
    }

    fn stats() -> Vec<types::Counter> {
        CORE.with(|c| c.borrow().stats())
            .into_iter()
            .map(|(name, value)| types::Counter { name, value })
            .collect()
    }
}

fn to_wit_stop_reason(s: StopReason) -> delivery::StopReason {
    match s {
        StopReason::ModeOff => delivery::StopReason::ModeOff,
        StopReason::ModeLocal => delivery::StopReason::ModeLocal,
        StopReason::CollectorNone => delivery::StopReason::CollectorNone,
        StopReason::SecretWeak => delivery::StopReason::SecretWeak,
        StopReason::StorageUnavailable => delivery::StopReason::StorageUnavailable,
        StopReason::ModeChanged => delivery::StopReason::ModeChanged,
        StopReason::EntropyInvalid => delivery::StopReason::EntropyInvalid,
        StopReason::TransportStopped => delivery::StopReason::TransportStopped,
    }
}

impl delivery::Guest for Component {
    fn flush() -> delivery::FlushReport {
        let r = CORE.with(|c| c.borrow_mut().flush(&mut WitHost));
        delivery::FlushReport {
            stopped: r.stopped.map(to_wit_stop_reason),
            sealed: r.sealed,
            delivered: r.delivered,
            rows_delivered: r.rows_delivered,
            retrying: r.retrying,
            failed: r.failed,
            quarantined: r.quarantined,
            purged: r.purged,
        }
    }

    fn preview() -> Result<Option<String>, storage::StorageError> {
        CORE.with(|c| c.borrow_mut().preview(&mut WitHost))
            .map_err(to_wit_storage_error)
    }
}

fn to_wit_payload_error(e: wire::PayloadError) -> inspect::PayloadError {
    match e {
        wire::PayloadError::Malformed(why) => inspect::PayloadError::Malformed(why.to_string()),
        wire::PayloadError::TooLarge => inspect::PayloadError::TooLarge,
        wire::PayloadError::HashMismatch => inspect::PayloadError::HashMismatch,
        wire::PayloadError::OtpMismatch => inspect::PayloadError::OtpMismatch,
        wire::PayloadError::WeakSecret => inspect::PayloadError::WeakSecret,
    }
}

impl inspect::Guest for Component {
    fn decode(body: String) -> Result<inspect::Decoded, inspect::PayloadError> {
        let d = wire::decode(&body).map_err(to_wit_payload_error)?;
        Ok(inspect::Decoded {
            nonce: d.nonce,
            content_hash: d.content_hash,
            hash_ok: d.hash_ok,
            otp: d.otp,
            data_json: d.data_json,
            row_count: d.row_count,
            tenant: d.tenant,
        })
    }

    fn verify(
        body: String,
        secret: Vec<u8>,
        at_seconds: i64,
        drift_steps: u32,
    ) -> Result<inspect::Verified, inspect::PayloadError> {
        let v = wire::verify(&body, &secret, at_seconds, drift_steps).map_err(to_wit_payload_error)?;
        Ok(inspect::Verified {
            nonce: v.nonce,
            content_hash: v.content_hash,
            tenant: v.tenant,
            row_count: v.row_count,
            step_offset: v.step_offset,
        })
    }

    fn catalog() -> Vec<inspect::EventSpec> {
        catalog::CATALOG
            .iter()
            .map(|e| inspect::EventSpec {
                name: e.name.to_string(),
                segment: e.segment.map(|values| values.iter().map(|v| v.to_string()).collect()),
                purpose: e.purpose.to_string(),
                attributes: e
                    .attributes
                    .iter()
                    .map(|a| inspect::AttributeSpec {
                        name: a.name.to_string(),
                        kind: match &a.kind {
                            catalog::ValueKind::OneOf(values) => {
                                inspect::ValueKind::OneOf(values.iter().map(|v| v.to_string()).collect())
                            }
                            catalog::ValueKind::Integer { min, max } => {
                                inspect::ValueKind::Integer(inspect::IntRange { min: *min, max: *max })
                            }
                            catalog::ValueKind::Boolean => inspect::ValueKind::Boolean,
                        },
                        purpose: a.purpose.to_string(),
                    })
                    .collect(),
            })
            .collect()
    }
}

export!(Component);

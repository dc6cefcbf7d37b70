//! A stand-in for the Owly core, for the JVM host's tests only: same WIT world, trivial logic,
//! so every import and export crosses the Canonical ABI through wit-bindgen's real glue.
wit_bindgen::generate!({ path: "../../../wit", world: "core" });

use exports::owly::analytics::delivery::{FlushReport, Guest as Delivery, StopReason};
use exports::owly::analytics::inspect::{
    AttributeSpec, Decoded, EventSpec, Guest as Inspect, IntRange, PayloadError, ValueKind, Verified,
};
use exports::owly::analytics::recorder::{Guest as Recorder, Rejection};
use owly::analytics::storage::{self, NewBatch, Settlement, RetryAt, Failure, StorageError};
use owly::analytics::types::{Counter, Mode, NewRow};
use owly::analytics::{clock, entropy, log, settings, transport};
use std::sync::atomic::{AtomicU64, Ordering};

static ACCEPTED: AtomicU64 = AtomicU64::new(0);

struct Stub;

fn rejection(rule: &str, field: &str) -> Rejection {
    Rejection { rule: rule.into(), field: field.into() }
}

impl Recorder for Stub {
    fn record(event: String) -> Result<u64, Rejection> {
        match event.as_str() {
            "trap" => unreachable!(),
            "loop" => loop {
                core::hint::black_box(());
            },
            "grow" => {
                let mut v: Vec<Vec<u8>> = Vec::new();
                loop {
                    v.push(vec![1u8; 1 << 20]);
                    core::hint::black_box(&v);
                }
            }
            _ => {}
        }
        if !event.starts_with('{') {
            return Err(rejection("json.malformed", "event"));
        }
        let cfg = settings::get();
        if cfg.mode == Mode::Off {
            return Err(rejection("mode.off", ""));
        }
        let row = NewRow {
            name: event.clone(),
            tenant: cfg.server_id,
            product_version: cfg.product_version,
            app_version: cfg.app_version,
            recorded_at: clock::now_ms() / 1000,
            attributes: format!("{{\"limits\":{}}}", cfg.limits.max_batch_rows),
        };
        let appended = storage::append(&row);
        if event == "{\"then\":\"loop\"}" {
            // Runs guest code again after an import returned: the call's time limit must still hold.
            loop {
                core::hint::black_box(());
            }
        }
        match appended {
            Ok(id) => {
                ACCEPTED.fetch_add(1, Ordering::Relaxed);
                Ok(id)
            }
            Err(StorageError::Unavailable(code)) => Err(rejection("storage.unavailable", &code)),
            Err(StorageError::LostClaim) => Err(rejection("storage.lost-claim", "")),
            Err(StorageError::Other(code)) => Err(rejection("storage.other", &code)),
        }
    }

    fn check(event: String) -> Result<String, Rejection> {
        if event.starts_with('{') {
            Ok(format!("{{\"ID\":\"0\",\"echo\":{}}}", event))
        } else {
            Err(rejection("json.malformed", "event"))
        }
    }

    fn stats() -> Vec<Counter> {
        vec![
            Counter { name: "accepted".into(), value: ACCEPTED.load(Ordering::Relaxed) },
            Counter { name: "@email".into(), value: 0 },
        ]
    }
}

impl Delivery for Stub {
    fn flush() -> FlushReport {
        let mut report = FlushReport {
            stopped: None,
            sealed: 0,
            delivered: 0,
            rows_delivered: 0,
            retrying: 0,
            failed: 0,
            quarantined: 0,
            purged: 0,
        };
        if settings::current_mode() != Mode::Remote {
            report.stopped = Some(StopReason::ModeLocal);
            return report;
        }
        let now = clock::now_ms();
        let rows = match storage::claim(500, now, now + 300_000) {
            Ok(rows) => rows,
            Err(_) => {
                report.stopped = Some(StopReason::StorageUnavailable);
                return report;
            }
        };
        if rows.is_empty() {
            return report;
        }
        let nonce_bytes = entropy::random_bytes(8);
        let nonce = u64::from_le_bytes(nonce_bytes.try_into().unwrap()) >> 1;
        let data: Vec<String> = rows.iter().map(|r| format!("{}:{}", r.id, r.data.name)).collect();
        let batch = NewBatch {
            nonce,
            data_encoded: data.join(","),
            content_hash: format!("H{}", rows.len()),
            row_ids: rows.iter().map(|r| r.id).collect(),
            now_ms: now,
        };
        let id = storage::seal(&batch).unwrap();
        report.sealed = 1;
        let secret = settings::secret();
        let body = format!("{{\"nonce\":\"{}\",\"data\":\"{}\",\"k\":{}}}", nonce, batch.data_encoded, secret.len());
        let request = transport::Request { body, headers: vec![] };
        let outcome = match transport::ready().and_then(|()| transport::send(&request)) {
            Ok(r) if r.status < 300 => {
                report.delivered = 1;
                report.rows_delivered = rows.len() as u32;
                Settlement::Delivered(r.status)
            }
            Ok(r) if r.status == 503 || r.status == 429 => {
                report.retrying = 1;
                let extra: i64 = r.retry_after.as_deref().and_then(|s| s.parse().ok()).unwrap_or(30);
                Settlement::Retry(RetryAt { at_ms: now + extra * 1000, status: Some(r.status) })
            }
            Ok(r) => {
                report.failed = 1;
                Settlement::Failed(Failure { status: Some(r.status), reason: "http.client-error".into() })
            }
            Err(_) => {
                report.retrying = 1;
                Settlement::Retry(RetryAt { at_ms: now + 30_000, status: None })
            }
        };
        storage::settle(id, now, &outcome).unwrap();
        storage::quarantine(&[], "none").unwrap();
        report.purged = storage::purge(now - 1).unwrap();
        let due = storage::due(10, now, now + 1).unwrap();
        log::emit(
            log::Level::Info,
            "flush.done",
            &[Counter { name: "due".into(), value: due.len() as u64 }],
        );
        report
    }

    fn preview() -> Result<Option<String>, StorageError> {
        let rows = storage::peek(500)?;
        Ok(rows.first().map(|r| format!("{}|{}|{}", r.id, r.data.name, r.data.attributes)))
    }
}

impl Inspect for Stub {
    fn decode(body: String) -> Result<Decoded, PayloadError> {
        match body.as_str() {
            "bad" => Err(PayloadError::Malformed("json".into())),
            "big" => Err(PayloadError::TooLarge),
            _ => Ok(Decoded {
                nonce: u64::MAX - 1,
                content_hash: "ABC".into(),
                hash_ok: true,
                otp: "123456".into(),
                data_json: body.clone(),
                row_count: body.len() as u32,
                tenant: "STUB-TENA-NT00-0001".into(),
            }),
        }
    }

    fn verify(body: String, secret: Vec<u8>, at_seconds: i64, drift_steps: u32) -> Result<Verified, PayloadError> {
        if secret.len() < 20 {
            return Err(PayloadError::WeakSecret);
        }
        Ok(Verified {
            nonce: at_seconds as u64,
            content_hash: body,
            tenant: format!("{}", secret.iter().map(|b| *b as u32).sum::<u32>()),
            row_count: drift_steps,
            step_offset: -1,
        })
    }

    fn catalog() -> Vec<EventSpec> {
        vec![
            EventSpec {
                name: "owly.export.<kind>".into(),
                segment: Some(vec!["csv".into(), "json".into()]),
                purpose: "Which export format is used.".into(),
                attributes: vec![
                    AttributeSpec {
                        name: "format".into(),
                        kind: ValueKind::OneOf(vec!["csv".into(), "json".into(), "xlsx".into(), "sql".into()]),
                        purpose: "The format.".into(),
                    },
                    AttributeSpec {
                        name: "rows".into(),
                        kind: ValueKind::Integer(IntRange { min: 0, max: 1_000_000_000 }),
                        purpose: "How many rows.".into(),
                    },
                    AttributeSpec { name: "dry".into(), kind: ValueKind::Boolean, purpose: "Dry run.".into() },
                ],
            },
            EventSpec { name: "owly.admin.opened".into(), segment: None, purpose: "Admin page opened.".into(), attributes: vec![] },
        ]
    }
}

export!(Stub);

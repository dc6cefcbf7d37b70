//! Criterion benchmarks of the hot paths, native: `make bench`.
//!
//! - `record/*`: schema + PII filter + row building for typical events (storage is a no-op).
//! - `encode/500-rows`: `{"dataRows":…}` JSON, base64 and the SHA-1 content hash of a full batch.
//! - `flush/500-rows`: the whole delivery step for one full batch (claim, encode, seal, otp, send, settle)
//!   against an in-memory host.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use owly_core::host::*;
use owly_core::Core;
use owly_core::{base64, wire};

struct BenchHost {
    pending: Vec<Row>,
    now: i64,
}

impl Host for BenchHost {
    fn append(&mut self, _row: NewRow) -> Result<u64, StorageError> {
        Ok(1)
    }
    fn claim(&mut self, limit: u32, _: i64, _: i64) -> Result<Vec<Row>, StorageError> {
        let n = self.pending.len().min(limit as usize);
        Ok(self.pending.drain(..n).collect())
    }
    fn peek(&mut self, limit: u32) -> Result<Vec<Row>, StorageError> {
        Ok(self.pending.iter().take(limit as usize).cloned().collect())
    }
    fn seal(&mut self, _batch: NewBatch) -> Result<u64, StorageError> {
        Ok(1)
    }
    fn due(&mut self, _: u32, _: i64, _: i64) -> Result<Vec<Batch>, StorageError> {
        Ok(Vec::new())
    }
    fn settle(&mut self, _: u64, _: i64, _: Settlement) -> Result<(), StorageError> {
        Ok(())
    }
    fn quarantine(&mut self, _: &[u64], _: &str) -> Result<(), StorageError> {
        Ok(())
    }
    fn purge(&mut self, _: i64) -> Result<u64, StorageError> {
        Ok(0)
    }
    fn ready(&mut self) -> Result<(), TransportError> {
        Ok(())
    }
    fn send(&mut self, request: Request) -> Result<Response, TransportError> {
        black_box(request.body.len());
        Ok(Response {
            status: 200,
            retry_after: None,
        })
    }
    fn now_ms(&mut self) -> i64 {
        self.now
    }
    fn random_bytes(&mut self, len: u32) -> Vec<u8> {
        (0..len as u8).map(|i| i.wrapping_mul(37).wrapping_add(11)).collect()
    }
    fn config(&mut self) -> Config {
        Config {
            mode: Mode::Remote,
            server_id: "BWSN-B5B6-32P4-DDL7".into(),
            product_version: "9.12.15".into(),
            app_version: "0.9.9-b301041".into(),
            collector_configured: true,
            retention_days: 0,
            limits: Limits::default(),
        }
    }
    fn mode(&mut self) -> Mode {
        Mode::Remote
    }
    fn secret(&mut self) -> Vec<u8> {
        b"12345678901234567890".to_vec()
    }
    fn log(&mut self, _: Level, _: &str, _: &[(&str, u64)]) {}
}

fn rows(n: u64) -> Vec<Row> {
    (1..=n)
        .map(|id| Row {
            id,
            data: NewRow {
                name: "owly.export.finished".into(),
                tenant: "BWSN-B5B6-32P4-DDL7".into(),
                product_version: "9.12.15".into(),
                app_version: "0.9.9-b301041".into(),
                recorded_at: 1_739_434_004 + id as i64,
                attributes: r#"{"duration_ms":5400,"format":"csv","rows":120345,"tables":3}"#.into(),
            },
        })
        .collect()
}

fn bench_record(c: &mut Criterion) {
    let mut group = c.benchmark_group("record");
    group.throughput(Throughput::Elements(1));
    let mut host = BenchHost {
        pending: Vec::new(),
        now: 1_739_434_004_000,
    };
    let mut core = Core::new();
    let events = [
        (
            "finished",
            r#"{"name":"owly.export.finished","attributes":{"format":"csv","rows":120345,"duration_ms":5400,"tables":3}}"#,
        ),
        (
            "table",
            r#"{"name":"owly.export.tables.propertyentry","attributes":{}}"#,
        ),
        (
            "rejected-email",
            r#"{"name":"owly.export.failed","attributes":{"reason":"jane.doe@example.com"}}"#,
        ),
    ];
    for (name, event) in events {
        group.bench_function(name, |b| {
            b.iter(|| black_box(core.record(&mut host, black_box(event)).is_ok()))
        });
    }
    // The filter alone (JSON parse, catalogue, detectors, canonical attributes), to split the cost.
    group.bench_function("filter-only/finished", |b| {
        b.iter(|| black_box(owly_core::schema::check_event(black_box(events[0].1)).is_ok()))
    });
    group.finish();
}

fn bench_encode(c: &mut Criterion) {
    let batch = rows(500);
    let mut group = c.benchmark_group("encode");
    group.throughput(Throughput::Elements(500));
    group.bench_function("500-rows", |b| {
        b.iter(|| {
            let data = base64::encode(wire::data_json(black_box(&batch)).as_bytes());
            black_box(wire::content_hash(7_407_367_046_465_089_664, &data))
        })
    });
    group.finish();
}

fn bench_flush(c: &mut Criterion) {
    let batch = rows(500);
    let mut core = Core::new();
    let mut group = c.benchmark_group("flush");
    group.throughput(Throughput::Elements(500));
    group.bench_function("500-rows", |b| {
        b.iter_batched(
            || BenchHost {
                pending: batch.clone(),
                now: 1_739_434_004_000,
            },
            |mut host| black_box(core.flush(&mut host)),
            criterion::BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, bench_record, bench_encode, bench_flush);
criterion_main!(benches);

//! Shared harness: the real release module, componentized in-process, with its imports served
//! by the core's in-memory deployment (`owly_core::testing`: a database shared by "nodes",
//! scripted transport, fixed clock, scripted entropy) — the same one the native tests use.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use owly_core::host as core_host;
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Config as EngineConfig, Engine, Store};

wasmtime::component::bindgen!({
    world: "core",
    path: "../../wit",
    imports: { default: trappable },
});

pub use owly::analytics::storage::StorageError;
pub use owly::analytics::types::Counter;
pub use owly_core::host::{Mode, TransportError};
pub use owly_core::testing::*;

use exports::owly::analytics::{delivery, inspect};
use owly::analytics::{log, settings, storage, transport, types};

/// One node's store data: the in-memory host.
pub type State = MemHost;

/// The release module built by `make wasm` (or `OWLY_WASM`).
pub fn wasm_path() -> PathBuf {
    if let Ok(p) = std::env::var("OWLY_WASM") {
        return PathBuf::from(p);
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/wasm32-unknown-unknown/release/owly_core.wasm")
}

/// The core module's bytes; panics (the test fails) when the release build is missing.
pub fn module_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let path = wasm_path();
        std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "release module missing at {} ({e}): run `make wasm` first",
                path.display()
            )
        })
    })
}

pub fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(&EngineConfig::new()).expect("engine"))
}

/// The module componentized by wit-component, compiled once per test binary.
pub fn component() -> &'static Component {
    static COMPONENT: OnceLock<Component> = OnceLock::new();
    COMPONENT.get_or_init(|| {
        let bytes = wit_component::ComponentEncoder::default()
            .module(module_bytes())
            .expect("module carries its component type")
            .validate(true)
            .encode()
            .expect("componentize");
        Component::new(engine(), bytes).expect("compile component")
    })
}

/// A node: a store with one instance of the core.
pub struct Node {
    pub store: Store<State>,
    pub core: Core,
}

impl Node {
    pub fn new(state: State) -> Self {
        let mut linker: Linker<State> = Linker::new(engine());
        Core::add_to_linker::<_, HasSelf<_>>(&mut linker, |s| s).expect("link");
        let mut store = Store::new(engine(), state);
        let core = Core::instantiate(&mut store, component(), &linker).expect("instantiate");
        Node { store, core }
    }

    pub fn state(&mut self) -> &mut State {
        self.store.data_mut()
    }

    pub fn record(&mut self, event: &str) -> Result<u64, exports::owly::analytics::recorder::Rejection> {
        self.core
            .owly_analytics_recorder()
            .call_record(&mut self.store, event)
            .expect("record must not trap")
    }

    pub fn check(&mut self, event: &str) -> Result<String, exports::owly::analytics::recorder::Rejection> {
        self.core
            .owly_analytics_recorder()
            .call_check(&mut self.store, event)
            .expect("check must not trap")
    }

    pub fn flush(&mut self) -> delivery::FlushReport {
        self.core
            .owly_analytics_delivery()
            .call_flush(&mut self.store)
            .expect("flush must not trap")
    }

    pub fn try_flush(&mut self) -> wasmtime::Result<delivery::FlushReport> {
        self.core.owly_analytics_delivery().call_flush(&mut self.store)
    }

    pub fn preview(&mut self) -> Result<Option<String>, StorageError> {
        self.core
            .owly_analytics_delivery()
            .call_preview(&mut self.store)
            .expect("preview must not trap")
    }

    pub fn stats(&mut self) -> Vec<Counter> {
        self.core
            .owly_analytics_recorder()
            .call_stats(&mut self.store)
            .expect("stats must not trap")
    }

    pub fn decode(&mut self, body: &str) -> Result<inspect::Decoded, inspect::PayloadError> {
        self.core
            .owly_analytics_inspect()
            .call_decode(&mut self.store, body)
            .expect("decode must not trap")
    }

    pub fn verify(
        &mut self,
        body: &str,
        secret: &[u8],
        at_seconds: i64,
    ) -> Result<inspect::Verified, inspect::PayloadError> {
        self.core
            .owly_analytics_inspect()
            .call_verify(&mut self.store, body, secret, at_seconds, 1)
            .expect("verify must not trap")
    }

    pub fn catalog(&mut self) -> Vec<inspect::EventSpec> {
        self.core
            .owly_analytics_inspect()
            .call_catalog(&mut self.store)
            .expect("catalog must not trap")
    }
}

type R<T> = wasmtime::Result<T>;

fn row(r: core_host::Row) -> types::Row {
    let d = r.data;
    types::Row {
        id: r.id,
        data: types::NewRow {
            name: d.name,
            tenant: d.tenant,
            product_version: d.product_version,
            app_version: d.app_version,
            recorded_at: d.recorded_at,
            attributes: d.attributes,
        },
    }
}

fn storage_error(e: core_host::StorageError) -> StorageError {
    match e {
        core_host::StorageError::Unavailable(s) => StorageError::Unavailable(s),
        core_host::StorageError::LostClaim => StorageError::LostClaim,
        core_host::StorageError::Other(s) => StorageError::Other(s),
    }
}

fn mode(m: Mode) -> types::Mode {
    match m {
        Mode::Off => types::Mode::Off,
        Mode::Local => types::Mode::Local,
        Mode::Remote => types::Mode::Remote,
    }
}

impl types::Host for MemHost {}

/// A scripted crash in a storage call traps the instance before the call takes effect.
impl storage::Host for MemHost {
    fn append(&mut self, r: types::NewRow) -> R<Result<u64, StorageError>> {
        if self.dies_at("append") {
            return Err(wasmtime::Error::msg(CRASH));
        }
        let r = core_host::NewRow {
            name: r.name,
            tenant: r.tenant,
            product_version: r.product_version,
            app_version: r.app_version,
            recorded_at: r.recorded_at,
            attributes: r.attributes,
        };
        Ok(core_host::Host::append(self, r).map_err(storage_error))
    }

    fn claim(&mut self, limit: u32, now_ms: i64, lease_until_ms: i64) -> R<Result<Vec<types::Row>, StorageError>> {
        if self.dies_at("claim") {
            return Err(wasmtime::Error::msg(CRASH));
        }
        let rows = core_host::Host::claim(self, limit, now_ms, lease_until_ms);
        Ok(rows
            .map(|rows| rows.into_iter().map(row).collect())
            .map_err(storage_error))
    }

    fn peek(&mut self, limit: u32) -> R<Result<Vec<types::Row>, StorageError>> {
        if self.dies_at("peek") {
            return Err(wasmtime::Error::msg(CRASH));
        }
        let rows = core_host::Host::peek(self, limit);
        Ok(rows
            .map(|rows| rows.into_iter().map(row).collect())
            .map_err(storage_error))
    }

    fn seal(&mut self, b: storage::NewBatch) -> R<Result<u64, StorageError>> {
        if self.dies_at("seal") {
            return Err(wasmtime::Error::msg(CRASH));
        }
        let b = core_host::NewBatch {
            nonce: b.nonce,
            data_encoded: b.data_encoded,
            content_hash: b.content_hash,
            row_ids: b.row_ids,
            now_ms: b.now_ms,
        };
        Ok(core_host::Host::seal(self, b).map_err(storage_error))
    }

    fn due(&mut self, limit: u32, now_ms: i64, lease_until_ms: i64) -> R<Result<Vec<types::Batch>, StorageError>> {
        if self.dies_at("due") {
            return Err(wasmtime::Error::msg(CRASH));
        }
        let batches = core_host::Host::due(self, limit, now_ms, lease_until_ms).map(|batches| {
            batches
                .into_iter()
                .map(|b| types::Batch {
                    id: b.id,
                    nonce: b.nonce,
                    data_encoded: b.data_encoded,
                    content_hash: b.content_hash,
                    row_count: b.row_count,
                    attempts: b.attempts,
                })
                .collect()
        });
        Ok(batches.map_err(storage_error))
    }

    fn settle(&mut self, batch_id: u64, now_ms: i64, outcome: storage::Settlement) -> R<Result<(), StorageError>> {
        if self.dies_at("settle") {
            return Err(wasmtime::Error::msg(CRASH));
        }
        let outcome = match outcome {
            storage::Settlement::Delivered(status) => core_host::Settlement::Delivered(status),
            storage::Settlement::Retry(r) => core_host::Settlement::Retry {
                at_ms: r.at_ms,
                status: r.status,
            },
            storage::Settlement::Failed(f) => core_host::Settlement::Failed {
                status: f.status,
                reason: f.reason,
            },
        };
        Ok(core_host::Host::settle(self, batch_id, now_ms, outcome).map_err(storage_error))
    }

    fn quarantine(&mut self, row_ids: Vec<u64>, rule: String) -> R<Result<(), StorageError>> {
        if self.dies_at("quarantine") {
            return Err(wasmtime::Error::msg(CRASH));
        }
        Ok(core_host::Host::quarantine(self, &row_ids, &rule).map_err(storage_error))
    }

    fn purge(&mut self, before_ms: i64) -> R<Result<u64, StorageError>> {
        if self.dies_at("purge") {
            return Err(wasmtime::Error::msg(CRASH));
        }
        Ok(core_host::Host::purge(self, before_ms).map_err(storage_error))
    }
}

fn to_wit_transport_error(e: TransportError) -> transport::TransportError {
    match e {
        TransportError::NotConfigured => transport::TransportError::NotConfigured,
        TransportError::Timeout => transport::TransportError::Timeout,
        TransportError::Connect(s) => transport::TransportError::Connect(s),
        TransportError::Other(s) => transport::TransportError::Other(s),
        TransportError::Stopped => transport::TransportError::Stopped,
    }
}

impl transport::Host for MemHost {
    fn ready(&mut self) -> R<Result<(), transport::TransportError>> {
        Ok(MemHost::ready(self).map_err(to_wit_transport_error))
    }

    /// A scripted crash traps the instance, as a host that dies mid-send would.
    fn send(&mut self, request: transport::Request) -> R<Result<transport::Response, transport::TransportError>> {
        let request = core_host::Request {
            body: request.body,
            headers: request
                .headers
                .into_iter()
                .map(|h| core_host::Header {
                    name: h.name,
                    value: h.value,
                })
                .collect(),
        };
        let Some(answer) = self.answer(request) else {
            return Err(wasmtime::Error::msg(CRASH));
        };
        Ok(answer
            .map(|r| transport::Response {
                status: r.status,
                retry_after: r.retry_after,
            })
            .map_err(to_wit_transport_error))
    }
}

impl owly::analytics::clock::Host for MemHost {
    fn now_ms(&mut self) -> R<i64> {
        Ok(core_host::Host::now_ms(self))
    }
}

impl owly::analytics::entropy::Host for MemHost {
    fn random_bytes(&mut self, len: u32) -> R<Vec<u8>> {
        Ok(core_host::Host::random_bytes(self, len))
    }
}

impl settings::Host for MemHost {
    fn get(&mut self) -> R<settings::Config> {
        let c = core_host::Host::config(self);
        let l = c.limits;
        Ok(settings::Config {
            mode: mode(c.mode),
            server_id: c.server_id,
            product_version: c.product_version,
            app_version: c.app_version,
            collector_configured: c.collector_configured,
            retention_days: c.retention_days,
            limits: settings::Limits {
                max_batch_rows: l.max_batch_rows,
                max_payload_bytes: l.max_payload_bytes,
                max_row_bytes: l.max_row_bytes,
                max_batches_per_flush: l.max_batches_per_flush,
                lease_ms: l.lease_ms,
                retry_base_ms: l.retry_base_ms,
                retry_cap_ms: l.retry_cap_ms,
            },
        })
    }
    fn current_mode(&mut self) -> R<types::Mode> {
        Ok(mode(core_host::Host::mode(self)))
    }
    fn secret(&mut self) -> R<Vec<u8>> {
        Ok(core_host::Host::secret(self))
    }
}

impl log::Host for MemHost {
    fn emit(&mut self, level: log::Level, code: String, counts: Vec<Counter>) -> R<()> {
        let level = match level {
            log::Level::Debug => core_host::Level::Debug,
            log::Level::Info => core_host::Level::Info,
            log::Level::Warn => core_host::Level::Warn,
            log::Level::Error => core_host::Level::Error,
        };
        let counts: Vec<(&str, u64)> = counts.iter().map(|c| (c.name.as_str(), c.value)).collect();
        self.record_log(level, &code, &counts);
        Ok(())
    }
}

/// The scenario table's driver: the release module in wasmtime, one instance per node.
impl owly_core::testing::scenario::Driver for Node {
    fn start(host: MemHost) -> Self {
        Node::new(host)
    }
    fn host(&mut self) -> &mut MemHost {
        self.state()
    }
    fn record(&mut self, event: &str) -> Result<u64, String> {
        Node::record(self, event).map_err(|r| r.rule)
    }
    fn flush(&mut self) -> Option<owly_core::delivery::FlushReport> {
        use owly_core::reason::StopReason as S;
        let r = self.try_flush().ok()?;
        Some(owly_core::delivery::FlushReport {
            stopped: r.stopped.map(|s| match s {
                delivery::StopReason::ModeOff => S::ModeOff,
                delivery::StopReason::ModeLocal => S::ModeLocal,
                delivery::StopReason::CollectorNone => S::CollectorNone,
                delivery::StopReason::SecretWeak => S::SecretWeak,
                delivery::StopReason::StorageUnavailable => S::StorageUnavailable,
                delivery::StopReason::ModeChanged => S::ModeChanged,
                delivery::StopReason::EntropyInvalid => S::EntropyInvalid,
                delivery::StopReason::TransportStopped => S::TransportStopped,
            }),
            sealed: r.sealed,
            delivered: r.delivered,
            rows_delivered: r.rows_delivered,
            retrying: r.retrying,
            failed: r.failed,
            quarantined: r.quarantined,
            purged: r.purged,
        })
    }
    fn preview(&mut self) -> Result<Option<String>, String> {
        Node::preview(self).map_err(|e| format!("{e:?}"))
    }
    fn decode(&mut self, body: &str) -> Result<owly_core::wire::Decoded, String> {
        let d = Node::decode(self, body).map_err(|e| format!("{e:?}"))?;
        Ok(owly_core::wire::Decoded {
            nonce: d.nonce,
            content_hash: d.content_hash,
            hash_ok: d.hash_ok,
            otp: d.otp,
            data_json: d.data_json,
            row_count: d.row_count,
            tenant: d.tenant,
        })
    }
    fn verify(&mut self, body: &str, secret: &[u8], at_seconds: i64) -> Result<owly_core::wire::Verified, String> {
        let v = Node::verify(self, body, secret, at_seconds).map_err(|e| format!("{e:?}"))?;
        Ok(owly_core::wire::Verified {
            nonce: v.nonce,
            content_hash: v.content_hash,
            tenant: v.tenant,
            row_count: v.row_count,
            step_offset: v.step_offset,
        })
    }
    fn stats(&mut self) -> Vec<(String, u64)> {
        Node::stats(self).into_iter().map(|c| (c.name, c.value)).collect()
    }
}

/// Parses a body into its four fields (serde_json keeps the order check to the core's decoder).
pub fn fields(body: &str) -> (String, String, String, String) {
    let v: serde_json::Value = serde_json::from_str(body).expect("body is JSON");
    let s = |k: &str| v[k].as_str().expect(k).to_string();
    (s("dataEncoded"), s("nonce"), s("contentHash"), s("otp"))
}

//! Shared harness: the real release module, componentized in-process, with Rust imports
//! (in-memory storage shared by "nodes", scripted transport, fixed clock, scripted entropy).
#![allow(dead_code)]

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Config as EngineConfig, Engine, Store};

wasmtime::component::bindgen!({
    world: "core",
    path: "../../wit",
    imports: { default: trappable },
});

pub use owly::analytics::settings::{Config, Limits};
pub use owly::analytics::storage::{NewBatch, Settlement, StorageError};
pub use owly::analytics::transport::{Response, TransportError};
pub use owly::analytics::types::{Batch, Counter, Mode, NewRow, Row};
pub use owly::analytics::log::Level;

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
            panic!("release module missing at {} ({e}): run `make wasm` first", path.display())
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowState {
    Pending,
    Sealed(u64),
    Delivered,
    Failed,
    Rejected,
}

#[derive(Debug, Clone)]
pub struct MemRow {
    pub id: u64,
    pub data: NewRow,
    pub state: RowState,
    pub claimed_by: Option<String>,
    pub claim_until: i64,
    pub reject_rule: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchStatus {
    Sealed,
    Retry,
    Delivered,
    Failed,
}

#[derive(Debug, Clone)]
pub struct MemBatch {
    pub id: u64,
    pub nonce: u64,
    pub data_encoded: String,
    pub content_hash: String,
    pub row_ids: Vec<u64>,
    pub status: BatchStatus,
    pub attempts: u32,
    pub next_at: i64,
    pub leased_by: Option<String>,
    pub lease_until: i64,
    pub settled_at: Option<i64>,
    pub last_status: Option<u16>,
    pub reason: Option<String>,
}

/// An in-memory database with the same semantics as the JDBC storage: each call is atomic.
#[derive(Debug, Default)]
pub struct Db {
    pub rows: Vec<MemRow>,
    pub batches: Vec<MemBatch>,
    pub fail_all: bool,
}

pub type SharedDb = Arc<Mutex<Db>>;

pub fn new_db() -> SharedDb {
    Arc::new(Mutex::new(Db::default()))
}

/// One node's store data.
pub struct State {
    pub node: String,
    pub db: SharedDb,
    pub clock_ms: i64,
    pub entropy: Vec<u8>,
    pub entropy_pos: usize,
    pub config: Config,
    pub secret: Vec<u8>,
    /// Scripted answers, consumed in order; when empty, 200.
    pub answers: VecDeque<Answer>,
    pub sent: Vec<String>,
    pub logs: Vec<(Level, String, Vec<Counter>)>,
    /// Runs after each send (e.g. an admin switching the mode during a flush).
    pub after_send: Option<fn(&mut State)>,
    pub calls: Vec<&'static str>,
}

#[derive(Debug, Clone)]
pub enum Answer {
    Status(u16, Option<&'static str>),
    Error(TransportError),
    /// The host process dies during the send: the call traps.
    Crash,
}

pub const SERVER_ID: &str = "BWSN-B5B6-32P4-DDL7";
pub const SECRET_HEX: &str = "3132333435363738393031323334353637383930"; // RFC 6287 test key, fake
pub const T0_MS: i64 = 1_739_434_004_000; // 2025-02-13T08:06:44Z

pub fn default_config() -> Config {
    Config {
        mode: Mode::Remote,
        server_id: SERVER_ID.into(),
        product_version: "9.12.15".into(),
        app_version: "0.9.9-b301041".into(),
        collector_configured: true,
        retention_days: 0,
        limits: Limits {
            max_batch_rows: 0,
            max_payload_bytes: 0,
            max_row_bytes: 0,
            max_batches_per_flush: 0,
            lease_ms: 0,
            retry_base_ms: 0,
            retry_cap_ms: 0,
        },
    }
}

pub fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex")).collect()
}

impl State {
    pub fn new(node: &str, db: SharedDb) -> Self {
        State {
            node: node.into(),
            db,
            clock_ms: T0_MS,
            entropy: (1u8..=64).collect(),
            entropy_pos: 0,
            config: default_config(),
            secret: hex(SECRET_HEX),
            answers: VecDeque::new(),
            sent: Vec::new(),
            logs: Vec::new(),
            after_send: None,
            calls: Vec::new(),
        }
    }
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
        self.core.owly_analytics_recorder().call_record(&mut self.store, event).expect("record must not trap")
    }

    pub fn check(&mut self, event: &str) -> Result<String, exports::owly::analytics::recorder::Rejection> {
        self.core.owly_analytics_recorder().call_check(&mut self.store, event).expect("check must not trap")
    }

    pub fn flush(&mut self) -> exports::owly::analytics::delivery::FlushReport {
        self.core.owly_analytics_delivery().call_flush(&mut self.store).expect("flush must not trap")
    }

    pub fn try_flush(&mut self) -> wasmtime::Result<exports::owly::analytics::delivery::FlushReport> {
        self.core.owly_analytics_delivery().call_flush(&mut self.store)
    }

    pub fn preview(&mut self) -> Result<Option<String>, StorageError> {
        self.core.owly_analytics_delivery().call_preview(&mut self.store).expect("preview must not trap")
    }

    pub fn stats(&mut self) -> Vec<Counter> {
        self.core.owly_analytics_recorder().call_stats(&mut self.store).expect("stats must not trap")
    }

    pub fn decode(
        &mut self,
        body: &str,
    ) -> Result<exports::owly::analytics::inspect::Decoded, exports::owly::analytics::inspect::PayloadError> {
        self.core.owly_analytics_inspect().call_decode(&mut self.store, body).expect("decode must not trap")
    }

    pub fn verify(
        &mut self,
        body: &str,
        secret: &[u8],
        at_seconds: i64,
    ) -> Result<exports::owly::analytics::inspect::Verified, exports::owly::analytics::inspect::PayloadError> {
        self.core
            .owly_analytics_inspect()
            .call_verify(&mut self.store, body, secret, at_seconds, 1)
            .expect("verify must not trap")
    }

    pub fn catalog(&mut self) -> Vec<exports::owly::analytics::inspect::EventSpec> {
        self.core.owly_analytics_inspect().call_catalog(&mut self.store).expect("catalog must not trap")
    }
}

type R<T> = wasmtime::Result<T>;

impl owly::analytics::types::Host for State {}

impl owly::analytics::storage::Host for State {
    fn append(&mut self, row: NewRow) -> R<Result<u64, StorageError>> {
        self.calls.push("append");
        let mut db = self.db.lock().unwrap();
        if db.fail_all {
            return Ok(Err(StorageError::Unavailable("test".into())));
        }
        let id = db.rows.len() as u64 + 1;
        db.rows.push(MemRow { id, data: row, state: RowState::Pending, claimed_by: None, claim_until: 0, reject_rule: None });
        Ok(Ok(id))
    }

    fn claim(&mut self, limit: u32, now_ms: i64, lease_until_ms: i64) -> R<Result<Vec<Row>, StorageError>> {
        self.calls.push("claim");
        let mut db = self.db.lock().unwrap();
        if db.fail_all {
            return Ok(Err(StorageError::Unavailable("test".into())));
        }
        let node = self.node.clone();
        let mut out = Vec::new();
        for r in db.rows.iter_mut() {
            if out.len() as u32 >= limit {
                break;
            }
            let free = r.claimed_by.is_none() || r.claim_until < now_ms || r.claimed_by.as_deref() == Some(&node);
            if r.state == RowState::Pending && free {
                r.claimed_by = Some(node.clone());
                r.claim_until = lease_until_ms;
                out.push(Row { id: r.id, data: r.data.clone() });
            }
        }
        Ok(Ok(out))
    }

    fn peek(&mut self, limit: u32) -> R<Result<Vec<Row>, StorageError>> {
        let db = self.db.lock().unwrap();
        Ok(Ok(db
            .rows
            .iter()
            .filter(|r| r.state == RowState::Pending)
            .take(limit as usize)
            .map(|r| Row { id: r.id, data: r.data.clone() })
            .collect()))
    }

    fn seal(&mut self, batch: NewBatch) -> R<Result<u64, StorageError>> {
        self.calls.push("seal");
        let mut db = self.db.lock().unwrap();
        let node = self.node.clone();
        let mut lease = i64::MAX;
        for id in &batch.row_ids {
            let Some(r) = db.rows.iter().find(|r| r.id == *id) else {
                return Ok(Err(StorageError::Other("no such row".into())));
            };
            if r.state != RowState::Pending || r.claimed_by.as_deref() != Some(&node) || r.claim_until < batch.now_ms {
                return Ok(Err(StorageError::LostClaim));
            }
            lease = lease.min(r.claim_until);
        }
        let id = db.batches.len() as u64 + 1;
        for rid in &batch.row_ids {
            if let Some(r) = db.rows.iter_mut().find(|r| r.id == *rid) {
                r.state = RowState::Sealed(id);
            }
        }
        db.batches.push(MemBatch {
            id,
            nonce: batch.nonce,
            data_encoded: batch.data_encoded,
            content_hash: batch.content_hash,
            row_ids: batch.row_ids,
            status: BatchStatus::Sealed,
            attempts: 0,
            next_at: batch.now_ms,
            leased_by: Some(node),
            lease_until: lease,
            settled_at: None,
            last_status: None,
            reason: None,
        });
        Ok(Ok(id))
    }

    fn due(&mut self, limit: u32, now_ms: i64, lease_until_ms: i64) -> R<Result<Vec<Batch>, StorageError>> {
        self.calls.push("due");
        let mut db = self.db.lock().unwrap();
        if db.fail_all {
            return Ok(Err(StorageError::Unavailable("test".into())));
        }
        let node = self.node.clone();
        let mut out = Vec::new();
        for b in db.batches.iter_mut() {
            if out.len() as u32 >= limit {
                break;
            }
            let open = matches!(b.status, BatchStatus::Sealed | BatchStatus::Retry);
            let free = b.leased_by.is_none() || b.lease_until < now_ms || b.leased_by.as_deref() == Some(&node);
            if open && free && b.next_at <= now_ms {
                b.leased_by = Some(node.clone());
                b.lease_until = lease_until_ms;
                out.push(Batch {
                    id: b.id,
                    nonce: b.nonce,
                    data_encoded: b.data_encoded.clone(),
                    content_hash: b.content_hash.clone(),
                    row_count: b.row_ids.len() as u32,
                    attempts: b.attempts,
                });
            }
        }
        Ok(Ok(out))
    }

    fn settle(&mut self, batch_id: u64, now_ms: i64, outcome: Settlement) -> R<Result<(), StorageError>> {
        self.calls.push("settle");
        let mut db = self.db.lock().unwrap();
        let Some(i) = db.batches.iter().position(|b| b.id == batch_id) else {
            return Ok(Err(StorageError::Other("no such batch".into())));
        };
        let row_state = {
            let b = &mut db.batches[i];
            b.attempts += 1;
            b.leased_by = None;
            match outcome {
                Settlement::Delivered(status) => {
                    b.status = BatchStatus::Delivered;
                    b.last_status = Some(status);
                    b.settled_at = Some(now_ms);
                    Some(RowState::Delivered)
                }
                Settlement::Retry(r) => {
                    b.status = BatchStatus::Retry;
                    b.next_at = r.at_ms;
                    b.last_status = r.status;
                    None
                }
                Settlement::Failed(f) => {
                    b.status = BatchStatus::Failed;
                    b.last_status = f.status;
                    b.reason = Some(f.reason);
                    b.settled_at = Some(now_ms);
                    Some(RowState::Failed)
                }
            }
        };
        if let Some(state) = row_state {
            let ids = db.batches[i].row_ids.clone();
            for r in db.rows.iter_mut().filter(|r| ids.contains(&r.id)) {
                r.state = state;
            }
        }
        Ok(Ok(()))
    }

    fn quarantine(&mut self, row_ids: Vec<u64>, rule: String) -> R<Result<(), StorageError>> {
        let mut db = self.db.lock().unwrap();
        for r in db.rows.iter_mut().filter(|r| row_ids.contains(&r.id)) {
            r.state = RowState::Rejected;
            r.reject_rule = Some(rule.clone());
        }
        Ok(Ok(()))
    }

    fn purge(&mut self, before_ms: i64) -> R<Result<u64, StorageError>> {
        let mut db = self.db.lock().unwrap();
        let gone: Vec<MemBatch> = db
            .batches
            .iter()
            .filter(|b| {
                matches!(b.status, BatchStatus::Delivered | BatchStatus::Failed) && b.settled_at.unwrap_or(i64::MAX) < before_ms
            })
            .cloned()
            .collect();
        let ids: Vec<u64> = gone.iter().flat_map(|b| b.row_ids.iter().copied()).collect();
        let before_rows = db.rows.len();
        db.rows.retain(|r| !ids.contains(&r.id) && !(r.state == RowState::Rejected && r.data.recorded_at * 1000 < before_ms));
        let removed_rows = before_rows - db.rows.len();
        db.batches.retain(|b| !gone.iter().any(|g| g.id == b.id));
        Ok(Ok((removed_rows + gone.len()) as u64))
    }
}

impl owly::analytics::transport::Host for State {
    fn send(&mut self, body: String) -> R<Result<Response, TransportError>> {
        self.calls.push("send");
        self.sent.push(body);
        let answer = self.answers.pop_front().unwrap_or(Answer::Status(200, None));
        if let Some(hook) = self.after_send {
            hook(self);
        }
        match answer {
            Answer::Status(status, retry_after) => {
                Ok(Ok(Response { status, retry_after: retry_after.map(str::to_string) }))
            }
            Answer::Error(e) => Ok(Err(e)),
            Answer::Crash => Err(wasmtime::Error::msg("host process killed during send")),
        }
    }
}

impl owly::analytics::clock::Host for State {
    fn now_ms(&mut self) -> R<i64> {
        Ok(self.clock_ms)
    }
}

impl owly::analytics::entropy::Host for State {
    fn random_bytes(&mut self, len: u32) -> R<Vec<u8>> {
        let out = (0..len as usize).map(|i| self.entropy[(self.entropy_pos + i) % self.entropy.len()]).collect();
        self.entropy_pos = (self.entropy_pos + len as usize) % self.entropy.len();
        Ok(out)
    }
}

impl owly::analytics::settings::Host for State {
    fn get(&mut self) -> R<Config> {
        Ok(self.config.clone())
    }
    fn current_mode(&mut self) -> R<Mode> {
        Ok(self.config.mode)
    }
    fn secret(&mut self) -> R<Vec<u8>> {
        Ok(self.secret.clone())
    }
}

impl owly::analytics::log::Host for State {
    fn emit(&mut self, level: Level, code: String, counts: Vec<Counter>) -> R<()> {
        self.logs.push((level, code, counts));
        Ok(())
    }
}

/// Parses a body into its four fields (serde_json keeps the order check to the core's decoder).
pub fn fields(body: &str) -> (String, String, String, String) {
    let v: serde_json::Value = serde_json::from_str(body).expect("body is JSON");
    let s = |k: &str| v[k].as_str().expect(k).to_string();
    (s("dataEncoded"), s("nonce"), s("contentHash"), s("otp"))
}

/// A typical accepted event.
pub fn finished_event(rows: u64) -> String {
    format!(r#"{{"name":"owly.export.finished","attributes":{{"format":"csv","rows":{rows},"duration_ms":5400,"tables":3}}}}"#)
}

//! One node of an in-memory deployment: a [`Host`] over a shared [`Db`], with a fixed clock,
//! scripted entropy, settings and transport answers, and a record of what was sent and logged.

use std::collections::VecDeque;

use super::memdb::SharedDb;
use crate::host::{
    Batch, Config, Header, Host, Level, Limits, Mode, NewBatch, NewRow, Request, Response, Row, Settlement,
    StorageError, TransportError,
};

/// The server id of every test node.
pub const SERVER_ID: &str = "BWSN-B5B6-32P4-DDL7";
/// The shared secret of every test node, hex (the RFC 6287 test key; fake).
pub const SECRET_HEX: &str = "3132333435363738393031323334353637383930";
/// The clock every test node starts at: 2025-02-13T08:06:44Z.
pub const T0_MS: i64 = 1_739_434_004_000;

/// What the scripted collector does with one send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// Answers with this status and `Retry-After` value.
    Status(u16, Option<String>),
    /// No answer: a transport error.
    Error(TransportError),
    /// The host process dies during the send (a native host panics; wasmtime traps).
    Crash,
}

/// A named count of a log entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counter {
    /// The count's name.
    pub name: String,
    /// The count.
    pub value: u64,
}

/// Settings changes, applied by a scenario step or after each send.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Patch {
    /// A new mode.
    pub mode: Option<Mode>,
    /// Whether a collector is configured.
    pub collector_configured: Option<bool>,
    /// A new secret.
    pub secret: Option<Vec<u8>>,
    /// A new server id.
    pub server_id: Option<String>,
    /// A new app version.
    pub app_version: Option<String>,
    /// Retention days.
    pub retention_days: Option<u32>,
    /// Rows per payload.
    pub max_batch_rows: Option<u32>,
    /// Batches per flush.
    pub max_batches_per_flush: Option<u32>,
}

impl Patch {
    /// Applies the changes to `host`.
    pub fn apply(&self, host: &mut MemHost) {
        let c = &mut host.config;
        if let Some(m) = self.mode {
            c.mode = m;
        }
        if let Some(v) = self.collector_configured {
            c.collector_configured = v;
        }
        if let Some(v) = &self.server_id {
            c.server_id = v.clone();
        }
        if let Some(v) = &self.app_version {
            c.app_version = v.clone();
        }
        if let Some(v) = self.retention_days {
            c.retention_days = v;
        }
        if let Some(v) = self.max_batch_rows {
            c.limits.max_batch_rows = v;
        }
        if let Some(v) = self.max_batches_per_flush {
            c.limits.max_batches_per_flush = v;
        }
        if let Some(v) = &self.secret {
            host.secret = v.clone();
        }
    }
}

/// The settings every test node starts with: remote, a collector, built-in limits.
pub fn default_config() -> Config {
    Config {
        mode: Mode::Remote,
        server_id: SERVER_ID.into(),
        product_version: "9.12.15".into(),
        app_version: "0.9.9-b301041".into(),
        collector_configured: true,
        retention_days: 0,
        limits: Limits::default(),
    }
}

/// A typical accepted event.
pub fn finished_event(rows: u64) -> String {
    format!(
        r#"{{"name":"owly.export.finished","attributes":{{"format":"csv","rows":{rows},"duration_ms":5400,"tables":3}}}}"#
    )
}

/// Bytes of a hex string (test data only: panics on bad hex).
pub fn hex(s: &str) -> Vec<u8> {
    crate::hex::decode(s).expect("test hex")
}

/// One node: its name (for leases), the database it shares, and its scripted world.
#[derive(Debug)]
pub struct MemHost {
    /// The node name that claims and leases carry.
    pub node: String,
    /// The shared database.
    pub db: SharedDb,
    /// The clock, Unix ms.
    pub clock_ms: i64,
    /// Entropy, handed out in a cycle.
    pub entropy: Vec<u8>,
    /// The next entropy byte.
    pub entropy_pos: usize,
    /// The settings.
    pub config: Config,
    /// The shared secret.
    pub secret: Vec<u8>,
    /// Scripted answers, consumed in order; when empty, 200.
    pub answers: VecDeque<Answer>,
    /// Every body sent, in order.
    pub sent: Vec<String>,
    /// The headers of every send, in the same order.
    pub sent_headers: Vec<Vec<Header>>,
    /// Every log entry.
    pub logs: Vec<(Level, String, Vec<Counter>)>,
    /// Settings changes applied after each send (an admin switching the mode during a flush).
    pub after_send: Option<Patch>,
    /// The host functions called, in order (storage, transport).
    pub calls: Vec<&'static str>,
    /// The storage function (`claim`, `seal`, …) during which this node's process dies, before
    /// the call takes effect: a scripted crash.
    pub crash_at: Option<String>,
}

impl MemHost {
    /// A node named `node` on `db`, at [`T0_MS`], entropy 1, 2, …, 64, default settings.
    pub fn new(node: &str, db: SharedDb) -> Self {
        MemHost {
            node: node.into(),
            db,
            clock_ms: T0_MS,
            entropy: (1u8..=64).collect(),
            entropy_pos: 0,
            config: default_config(),
            secret: hex(SECRET_HEX),
            answers: VecDeque::new(),
            sent: Vec::new(),
            sent_headers: Vec::new(),
            logs: Vec::new(),
            after_send: None,
            calls: Vec::new(),
            crash_at: None,
        }
    }

    /// The same node started again after its process ended (a restart, or a crash): the same node
    /// id on the same database, its settings, clock, secret and the collector's queued answers;
    /// the entropy goes on where it was (a real host never draws the same nonce again); nothing
    /// it sent or logged.
    pub fn restarted(&self) -> MemHost {
        MemHost {
            node: self.node.clone(),
            db: self.db.clone(),
            clock_ms: self.clock_ms,
            entropy: self.entropy.clone(),
            entropy_pos: self.entropy_pos,
            config: self.config.clone(),
            secret: self.secret.clone(),
            answers: self.answers.clone(),
            sent: Vec::new(),
            sent_headers: Vec::new(),
            logs: Vec::new(),
            after_send: None,
            calls: Vec::new(),
            crash_at: None,
        }
    }

    /// Records a call of the host function `call`; true when the process dies there.
    pub fn enter(&mut self, call: &'static str) -> bool {
        self.calls.push(call);
        self.crash_at.as_deref() == Some(call)
    }

    /// Whether the process dies in the host function `call` (without recording the call).
    pub fn dies_at(&self, call: &str) -> bool {
        self.crash_at.as_deref() == Some(call)
    }

    fn db(&self) -> std::sync::MutexGuard<'_, super::memdb::Db> {
        // A test that panicked while holding the lock already failed; keep going for its report.
        self.db.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// `transport.ready`: a queued `not-configured` or `stopped` is the transport's answer here,
    /// before any request (and is used up).
    pub fn ready(&mut self) -> Result<(), TransportError> {
        self.calls.push("ready");
        match self.answers.front() {
            Some(Answer::Error(e @ (TransportError::NotConfigured | TransportError::Stopped))) => {
                let e = e.clone();
                self.answers.pop_front();
                Err(e)
            }
            _ => Ok(()),
        }
    }

    /// `transport.send` as the scripted collector answers it; `None` when the host dies.
    pub fn answer(&mut self, request: Request) -> Option<Result<Response, TransportError>> {
        if self.enter("send") {
            return None;
        }
        let answer = self.answers.pop_front().unwrap_or(Answer::Status(200, None));
        self.sent.push(request.body);
        self.sent_headers.push(request.headers);
        if let Some(patch) = self.after_send.clone() {
            patch.apply(self);
        }
        match answer {
            Answer::Status(status, retry_after) => Some(Ok(Response { status, retry_after })),
            Answer::Error(e) => Some(Err(e)),
            Answer::Crash => None,
        }
    }

    /// `log.emit`, recorded.
    pub fn record_log(&mut self, level: Level, code: &str, counts: &[(&str, u64)]) {
        let counts = counts
            .iter()
            .map(|(name, value)| Counter {
                name: (*name).to_string(),
                value: *value,
            })
            .collect();
        self.logs.push((level, code.to_string(), counts));
    }
}

impl MemHost {
    /// Records the call; a scripted crash there panics (natively, the end of the process).
    fn die_at(&mut self, call: &'static str) {
        if self.enter(call) {
            panic!("{}", CRASH);
        }
    }
}

/// The in-memory host as the core sees it natively. A scripted crash panics: the caller catches
/// it as the end of this node's process.
impl Host for MemHost {
    fn append(&mut self, row: NewRow) -> Result<u64, StorageError> {
        self.die_at("append");
        self.db().append(row)
    }
    fn claim(&mut self, limit: u32, now_ms: i64, lease_until_ms: i64) -> Result<Vec<Row>, StorageError> {
        self.die_at("claim");
        let node = self.node.clone();
        self.db().claim(&node, limit, now_ms, lease_until_ms)
    }
    fn peek(&mut self, limit: u32) -> Result<Vec<Row>, StorageError> {
        self.die_at("peek");
        self.db().peek(limit)
    }
    fn seal(&mut self, batch: NewBatch) -> Result<u64, StorageError> {
        self.die_at("seal");
        let node = self.node.clone();
        self.db().seal(&node, batch)
    }
    fn due(&mut self, limit: u32, now_ms: i64, lease_until_ms: i64) -> Result<Vec<Batch>, StorageError> {
        self.die_at("due");
        let node = self.node.clone();
        self.db().due(&node, limit, now_ms, lease_until_ms)
    }
    fn settle(&mut self, batch_id: u64, now_ms: i64, outcome: Settlement) -> Result<(), StorageError> {
        self.die_at("settle");
        let node = self.node.clone();
        self.db().settle(&node, batch_id, now_ms, outcome)
    }
    fn quarantine(&mut self, row_ids: &[u64], rule: &str) -> Result<(), StorageError> {
        self.die_at("quarantine");
        self.db().quarantine(row_ids, rule)
    }
    fn purge(&mut self, before_ms: i64) -> Result<u64, StorageError> {
        self.die_at("purge");
        self.db().purge(before_ms)
    }
    fn ready(&mut self) -> Result<(), TransportError> {
        MemHost::ready(self)
    }
    fn send(&mut self, request: Request) -> Result<Response, TransportError> {
        match self.answer(request) {
            Some(result) => result,
            None => panic!("{}", CRASH),
        }
    }
    fn now_ms(&mut self) -> i64 {
        self.clock_ms
    }
    fn random_bytes(&mut self, len: u32) -> Vec<u8> {
        let out = (0..len as usize)
            .map(|i| self.entropy[(self.entropy_pos + i) % self.entropy.len()])
            .collect();
        self.entropy_pos = (self.entropy_pos + len as usize) % self.entropy.len();
        out
    }
    fn config(&mut self) -> Config {
        self.config.clone()
    }
    fn mode(&mut self) -> Mode {
        self.config.mode
    }
    fn secret(&mut self) -> Vec<u8> {
        self.secret.clone()
    }
    fn log(&mut self, level: Level, code: &str, counts: &[(&str, u64)]) {
        self.record_log(level, code, counts);
    }
}

/// The panic message of a scripted crash.
pub const CRASH: &str = "scripted crash: the host process died";

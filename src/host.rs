//! The host capabilities as a Rust trait: the WIT imports, so that all core logic runs natively in tests.

/// Whether analytics runs, and whether anything may leave the instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Nothing is recorded and nothing is sent.
    Off,
    /// Recorded in the instance database, never sent (the default).
    Local,
    /// Recorded and sent to the collector.
    Remote,
}

/// An accepted event as stored, before it has a row id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRow {
    /// Catalogue event name.
    pub name: String,
    /// The server id at recording time.
    pub tenant: String,
    /// The product version at recording time.
    pub product_version: String,
    /// The app version at recording time.
    pub app_version: String,
    /// Unix seconds at recording time.
    pub recorded_at: i64,
    /// Canonical attributes JSON object, or "" when the event declares none.
    pub attributes: String,
}

/// A stored row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Database row id.
    pub id: u64,
    /// The stored fields.
    pub data: NewRow,
}

/// A sealed batch as the ledger holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Batch {
    /// Ledger id.
    pub id: u64,
    /// Nonce fixed at sealing.
    pub nonce: u64,
    /// Exact `dataEncoded`.
    pub data_encoded: String,
    /// Exact `contentHash`.
    pub content_hash: String,
    /// Rows carried.
    pub row_count: u32,
    /// Send attempts so far.
    pub attempts: u32,
}

/// A batch to seal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBatch {
    /// Nonce.
    pub nonce: u64,
    /// Exact `dataEncoded`.
    pub data_encoded: String,
    /// Exact `contentHash`.
    pub content_hash: String,
    /// Ids of the claimed rows, ascending.
    pub row_ids: Vec<u64>,
    /// Sealing time, Unix ms.
    pub now_ms: i64,
}

/// The outcome of one send attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settlement {
    /// Accepted by the collector with this status.
    Delivered(u16),
    /// Retry no earlier than `at_ms`; `status` is none for a transport error.
    Retry {
        /// Next attempt, Unix ms.
        at_ms: i64,
        /// HTTP status of the failed attempt.
        status: Option<u16>,
    },
    /// Failed for good.
    Failed {
        /// HTTP status, if any.
        status: Option<u16>,
        /// Reason code.
        reason: String,
    },
}

/// A storage failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// The database is unreachable or refused.
    Unavailable(String),
    /// The rows or batch are no longer held by this node.
    LostClaim,
    /// Anything else.
    Other(String),
}

/// What the collector answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Raw `Retry-After` header.
    pub retry_after: Option<String>,
}

/// Why no HTTP answer was received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// No collector configured.
    NotConfigured,
    /// Timed out.
    Timeout,
    /// Connection failed.
    Connect(String),
    /// Anything else.
    Other(String),
}

/// Limits the host may lower (0 = built-in value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Limits {
    /// Rows per payload.
    pub max_batch_rows: u32,
    /// Bytes of `dataEncoded` per payload.
    pub max_payload_bytes: u32,
    /// Bytes of one encoded row.
    pub max_row_bytes: u32,
    /// Batches sealed per flush.
    pub max_batches_per_flush: u32,
    /// Lease length, ms.
    pub lease_ms: u32,
    /// First retry delay, ms.
    pub retry_base_ms: u32,
    /// Longest retry delay and `Retry-After` cap, ms.
    pub retry_cap_ms: u32,
}

/// The settings, without the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Mode.
    pub mode: Mode,
    /// Server id.
    pub server_id: String,
    /// Product version.
    pub product_version: String,
    /// App version.
    pub app_version: String,
    /// Whether a collector URL is set.
    pub collector_configured: bool,
    /// Retention in days, 0 = forever.
    pub retention_days: u32,
    /// Limits.
    pub limits: Limits,
}

/// Log levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// Developer detail.
    Debug,
    /// Normal operation.
    Info,
    /// Rejected or retried.
    Warn,
    /// Needs attention.
    Error,
}

/// Everything the core needs from its host: one method per WIT import function.
pub trait Host {
    /// `storage.append`.
    fn append(&mut self, row: NewRow) -> Result<u64, StorageError>;
    /// `storage.claim`.
    fn claim(&mut self, limit: u32, now_ms: i64, lease_until_ms: i64) -> Result<Vec<Row>, StorageError>;
    /// `storage.peek`.
    fn peek(&mut self, limit: u32) -> Result<Vec<Row>, StorageError>;
    /// `storage.seal`.
    fn seal(&mut self, batch: NewBatch) -> Result<u64, StorageError>;
    /// `storage.due`.
    fn due(&mut self, limit: u32, now_ms: i64, lease_until_ms: i64) -> Result<Vec<Batch>, StorageError>;
    /// `storage.settle`.
    fn settle(&mut self, batch_id: u64, now_ms: i64, outcome: Settlement) -> Result<(), StorageError>;
    /// `storage.quarantine`.
    fn quarantine(&mut self, row_ids: &[u64], rule: &str) -> Result<(), StorageError>;
    /// `storage.purge`.
    fn purge(&mut self, before_ms: i64) -> Result<u64, StorageError>;
    /// `transport.send`.
    fn send(&mut self, body: &str) -> Result<Response, TransportError>;
    /// `clock.now-ms`.
    fn now_ms(&mut self) -> i64;
    /// `entropy.random-bytes`.
    fn random_bytes(&mut self, len: u32) -> Vec<u8>;
    /// `settings.get`.
    fn config(&mut self) -> Config;
    /// `settings.mode`.
    fn mode(&mut self) -> Mode;
    /// `settings.secret`.
    fn secret(&mut self) -> Vec<u8>;
    /// `log.emit`.
    fn log(&mut self, level: Level, code: &str, counts: &[(&str, u64)]);
}

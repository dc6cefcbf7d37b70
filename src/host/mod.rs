//! The host capabilities as a Rust trait: the WIT imports, so that all core logic runs natively in tests.
//!
//! Every type and method here mirrors one WIT definition, field for field and in the same order;
//! they are declared through the macros of [`mirror`], which record that shape so that a test
//! (`tests/wit_mirror.rs`) checks it against `wit/types.lock.json`.

#[macro_use]
pub mod mirror;

use mirror::{Mirror, TypeShape};

wit_variant! {
    /// Whether analytics runs, and whether anything may leave the instance.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Mode = "mode" {
        /// Nothing is recorded and nothing is sent.
        Off,
        /// Recorded in the instance database, never sent (the default).
        Local,
        /// Recorded and sent to the collector.
        Remote,
    }
}

wit_record! {
    /// An accepted event as stored, before it has a row id.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct NewRow = "new-row" {
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
}

wit_record! {
    /// A stored row.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Row = "row" {
        /// Database row id.
        pub id: u64,
        /// The stored fields.
        pub data: NewRow,
    }
}

wit_record! {
    /// A sealed batch as the ledger holds it.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Batch = "batch" {
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
}

wit_record! {
    /// A batch to seal.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct NewBatch = "new-batch" {
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
}

wit_variant! {
    /// The outcome of one send attempt (WIT `retry-at` and `failure` written inline).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum Settlement = "settlement" {
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
            /// Reason code (a [`crate::reason::FailReason`] id).
            reason: String,
        },
    }
}

wit_variant! {
    /// A storage failure.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum StorageError = "storage-error" {
        /// The database is unreachable or refused.
        Unavailable(String),
        /// The rows or batch are no longer held by this node.
        LostClaim,
        /// Anything else.
        Other(String),
    }
}

wit_record! {
    /// One header of a send.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Header = "header" {
        /// Field name (a token).
        pub name: String,
        /// Field value (visible ASCII).
        pub value: String,
    }
}

wit_record! {
    /// One send: the exact body and the headers beside the transport's own.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Request = "request" {
        /// The exact wire-format body.
        pub body: String,
        /// Extra headers (none in wire format v1).
        pub headers: Vec<Header>,
    }
}

wit_record! {
    /// What the collector answered.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Response = "response" {
        /// HTTP status.
        pub status: u16,
        /// Raw `Retry-After` header.
        pub retry_after: Option<String>,
    }
}

wit_variant! {
    /// Why no HTTP answer was received.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub enum TransportError = "transport-error" {
        /// No collector configured.
        NotConfigured,
        /// Timed out.
        Timeout,
        /// Connection failed.
        Connect(String),
        /// Anything else.
        Other(String),
        /// The host made no request and wants the flush to end (do not settle).
        Stopped,
    }
}

wit_record! {
    /// Limits the host may lower (0 = built-in value); see [`crate::delivery::Policy`].
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub struct Limits = "limits" {
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
}

wit_record! {
    /// The settings, without the secret.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Config = "config" {
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
}

wit_variant! {
    /// Log levels.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Level = "level" {
        /// Developer detail.
        Debug,
        /// Normal operation.
        Info,
        /// Rejected or retried.
        Warn,
        /// Needs attention.
        Error,
    }
}

wit_imports! {
    /// Everything the core needs from its host: one method per WIT import function.
    pub trait Host {
        /// `storage.append`.
        fn append(&mut self, row: NewRow) -> Result<u64, StorageError> = "storage.append";
        /// `storage.claim`.
        fn claim(&mut self, limit: u32, now_ms: i64, lease_until_ms: i64) -> Result<Vec<Row>, StorageError> = "storage.claim";
        /// `storage.peek`.
        fn peek(&mut self, limit: u32) -> Result<Vec<Row>, StorageError> = "storage.peek";
        /// `storage.seal`.
        fn seal(&mut self, batch: NewBatch) -> Result<u64, StorageError> = "storage.seal";
        /// `storage.due`.
        fn due(&mut self, limit: u32, now_ms: i64, lease_until_ms: i64) -> Result<Vec<Batch>, StorageError> = "storage.due";
        /// `storage.settle`.
        fn settle(&mut self, batch_id: u64, now_ms: i64, outcome: Settlement) -> Result<(), StorageError> = "storage.settle";
        /// `storage.quarantine`.
        fn quarantine(&mut self, row_ids: &[u64], rule: &str) -> Result<(), StorageError> = "storage.quarantine";
        /// `storage.purge`.
        fn purge(&mut self, before_ms: i64) -> Result<u64, StorageError> = "storage.purge";
        /// `transport.ready`.
        fn ready(&mut self) -> Result<(), TransportError> = "transport.ready";
        /// `transport.send`.
        fn send(&mut self, request: Request) -> Result<Response, TransportError> = "transport.send";
        /// `clock.now-ms`.
        fn now_ms(&mut self) -> i64 = "clock.now-ms";
        /// `entropy.random-bytes`.
        fn random_bytes(&mut self, len: u32) -> Vec<u8> = "entropy.random-bytes";
        /// `settings.get`.
        fn config(&mut self) -> Config = "settings.get";
        /// `settings.current-mode`.
        fn mode(&mut self) -> Mode = "settings.current-mode";
        /// `settings.secret`.
        fn secret(&mut self) -> Vec<u8> = "settings.secret";
        /// `log.emit`.
        fn log(&mut self, level: Level, code: &str, counts: &[(&str, u64)]) = "log.emit";
    }
}

/// The shape of every mirrored type.
pub fn type_shapes() -> Vec<TypeShape> {
    vec![
        Mode::shape(),
        NewRow::shape(),
        Row::shape(),
        Batch::shape(),
        NewBatch::shape(),
        Settlement::shape(),
        StorageError::shape(),
        Header::shape(),
        Request::shape(),
        Response::shape(),
        TransportError::shape(),
        Limits::shape(),
        Config::shape(),
        Level::shape(),
    ]
}

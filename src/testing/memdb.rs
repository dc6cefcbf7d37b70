//! An in-memory database with the semantics `wit/storage.wit` gives and the JDBC storage has:
//! each call is one atomic transaction; claims and due batches are leased per node, and a lease is
//! free when it ended or is held by the calling node itself (a node id is the same after a
//! restart, so a restarted node takes back its own claims and batch at once); sealing checks that
//! the node still holds every row, settling that it still holds the batch.

use std::sync::{Arc, Mutex};

use crate::host::{Batch, NewBatch, NewRow, Row, Settlement, StorageError};

/// Where a row is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowState {
    /// Recorded, not yet sealed.
    Pending,
    /// Sealed into this batch.
    Sealed(u64),
    /// Its batch was delivered.
    Delivered,
    /// Its batch failed for good.
    Failed,
    /// Quarantined: it failed re-validation.
    Rejected,
}

/// A stored row with its claim.
#[derive(Debug, Clone)]
pub struct MemRow {
    /// Row id.
    pub id: u64,
    /// The stored fields.
    pub data: NewRow,
    /// Its state.
    pub state: RowState,
    /// The node that claimed it, if any.
    pub claimed_by: Option<String>,
    /// Until when the claim holds, Unix ms.
    pub claim_until: i64,
    /// The rule that quarantined it.
    pub reject_rule: Option<String>,
}

/// Where a batch is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchStatus {
    /// Sealed, never settled.
    Sealed,
    /// To be resent at `next_at`.
    Retry,
    /// Accepted by the collector.
    Delivered,
    /// Failed for good.
    Failed,
}

impl BatchStatus {
    /// The name the scenario tables use: `sealed`, `retry`, `delivered`, `failed`.
    pub fn name(self) -> &'static str {
        match self {
            BatchStatus::Sealed => "sealed",
            BatchStatus::Retry => "retry",
            BatchStatus::Delivered => "delivered",
            BatchStatus::Failed => "failed",
        }
    }
}

/// A ledger entry.
#[derive(Debug, Clone)]
pub struct MemBatch {
    /// Ledger id.
    pub id: u64,
    /// Nonce.
    pub nonce: u64,
    /// Exact `dataEncoded`.
    pub data_encoded: String,
    /// Exact `contentHash`.
    pub content_hash: String,
    /// Rows carried.
    pub row_ids: Vec<u64>,
    /// Its status.
    pub status: BatchStatus,
    /// Send attempts so far.
    pub attempts: u32,
    /// When it is due, Unix ms.
    pub next_at: i64,
    /// The node that leased it, if any.
    pub leased_by: Option<String>,
    /// Until when the lease holds, Unix ms.
    pub lease_until: i64,
    /// When it was delivered or failed, Unix ms.
    pub settled_at: Option<i64>,
    /// The HTTP status of the last attempt.
    pub last_status: Option<u16>,
    /// The failure reason, if failed.
    pub reason: Option<String>,
}

/// The database.
#[derive(Debug, Default)]
pub struct Db {
    /// Rows, by ascending id.
    pub rows: Vec<MemRow>,
    /// The ledger, by ascending id.
    pub batches: Vec<MemBatch>,
    /// When set, every call fails with `unavailable` (an outage).
    pub fail_all: bool,
}

/// A database shared by several nodes.
pub type SharedDb = Arc<Mutex<Db>>;

/// An empty shared database.
pub fn new_db() -> SharedDb {
    Arc::new(Mutex::new(Db::default()))
}

/// Whether a lease may be taken by `node` at `now_ms`: nobody holds it, it ended, or `node` holds
/// it itself.
fn lease_free(holder: Option<&str>, until: i64, node: &str, now_ms: i64) -> bool {
    match holder {
        None => true,
        Some(h) => until < now_ms || h == node,
    }
}

fn outage() -> StorageError {
    StorageError::Unavailable("test.outage".into())
}

impl Db {
    /// `storage.append`.
    pub fn append(&mut self, row: NewRow) -> Result<u64, StorageError> {
        if self.fail_all {
            return Err(outage());
        }
        let id = self.rows.len() as u64 + 1;
        self.rows.push(MemRow {
            id,
            data: row,
            state: RowState::Pending,
            claimed_by: None,
            claim_until: 0,
            reject_rule: None,
        });
        Ok(id)
    }

    /// `storage.claim` by `node`.
    pub fn claim(
        &mut self,
        node: &str,
        limit: u32,
        now_ms: i64,
        lease_until_ms: i64,
    ) -> Result<Vec<Row>, StorageError> {
        if self.fail_all {
            return Err(outage());
        }
        let mut out = Vec::new();
        for r in self.rows.iter_mut() {
            if out.len() as u32 >= limit {
                break;
            }
            // As `storage.claim` says (and the JDBC storage does): unclaimed, the lease ended, or
            // held by this node itself.
            let free = lease_free(r.claimed_by.as_deref(), r.claim_until, node, now_ms);
            if r.state == RowState::Pending && free {
                r.claimed_by = Some(node.to_string());
                r.claim_until = lease_until_ms;
                out.push(Row {
                    id: r.id,
                    data: r.data.clone(),
                });
            }
        }
        Ok(out)
    }

    /// `storage.peek`.
    pub fn peek(&self, limit: u32) -> Result<Vec<Row>, StorageError> {
        if self.fail_all {
            return Err(outage());
        }
        Ok(self
            .rows
            .iter()
            .filter(|r| r.state == RowState::Pending)
            .take(limit as usize)
            .map(|r| Row {
                id: r.id,
                data: r.data.clone(),
            })
            .collect())
    }

    /// `storage.seal` by `node`.
    pub fn seal(&mut self, node: &str, batch: NewBatch) -> Result<u64, StorageError> {
        if self.fail_all {
            return Err(outage());
        }
        let mut lease = i64::MAX;
        for id in &batch.row_ids {
            let Some(r) = self.rows.iter().find(|r| r.id == *id) else {
                return Err(StorageError::Other("test.no-such-row".into()));
            };
            if r.state != RowState::Pending || r.claimed_by.as_deref() != Some(node) || r.claim_until < batch.now_ms {
                return Err(StorageError::LostClaim);
            }
            lease = lease.min(r.claim_until);
        }
        let id = self.batches.len() as u64 + 1;
        for rid in &batch.row_ids {
            if let Some(r) = self.rows.iter_mut().find(|r| r.id == *rid) {
                r.state = RowState::Sealed(id);
            }
        }
        self.batches.push(MemBatch {
            id,
            nonce: batch.nonce,
            data_encoded: batch.data_encoded,
            content_hash: batch.content_hash,
            row_ids: batch.row_ids,
            status: BatchStatus::Sealed,
            attempts: 0,
            next_at: batch.now_ms,
            leased_by: Some(node.to_string()),
            lease_until: lease,
            settled_at: None,
            last_status: None,
            reason: None,
        });
        Ok(id)
    }

    /// `storage.due` by `node`.
    pub fn due(
        &mut self,
        node: &str,
        limit: u32,
        now_ms: i64,
        lease_until_ms: i64,
    ) -> Result<Vec<Batch>, StorageError> {
        if self.fail_all {
            return Err(outage());
        }
        let mut out = Vec::new();
        for b in self.batches.iter_mut() {
            if out.len() as u32 >= limit {
                break;
            }
            let open = matches!(b.status, BatchStatus::Sealed | BatchStatus::Retry);
            let free = lease_free(b.leased_by.as_deref(), b.lease_until, node, now_ms);
            if open && free && b.next_at <= now_ms {
                b.leased_by = Some(node.to_string());
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
        Ok(out)
    }

    /// `storage.settle` by `node`: only the node holding the batch may settle it (the one that
    /// sealed it or took it from `due`), and only while it is open.
    pub fn settle(&mut self, node: &str, batch_id: u64, now_ms: i64, outcome: Settlement) -> Result<(), StorageError> {
        if self.fail_all {
            return Err(outage());
        }
        let Some(b) = self.batches.iter_mut().find(|b| b.id == batch_id) else {
            return Err(StorageError::Other("test.no-such-batch".into()));
        };
        let open = matches!(b.status, BatchStatus::Sealed | BatchStatus::Retry);
        if !open || b.leased_by.as_deref() != Some(node) {
            return Err(StorageError::LostClaim);
        }
        b.attempts += 1;
        b.leased_by = None;
        let row_state = match outcome {
            Settlement::Delivered(status) => {
                b.status = BatchStatus::Delivered;
                b.last_status = Some(status);
                b.settled_at = Some(now_ms);
                Some(RowState::Delivered)
            }
            Settlement::Retry { at_ms, status } => {
                b.status = BatchStatus::Retry;
                b.next_at = at_ms;
                b.last_status = status;
                None
            }
            Settlement::Failed { status, reason } => {
                b.status = BatchStatus::Failed;
                b.last_status = status;
                b.reason = Some(reason);
                b.settled_at = Some(now_ms);
                Some(RowState::Failed)
            }
        };
        if let Some(state) = row_state {
            let ids = b.row_ids.clone();
            for r in self.rows.iter_mut().filter(|r| ids.contains(&r.id)) {
                r.state = state;
            }
        }
        Ok(())
    }

    /// `storage.quarantine`.
    pub fn quarantine(&mut self, row_ids: &[u64], rule: &str) -> Result<(), StorageError> {
        if self.fail_all {
            return Err(outage());
        }
        for r in self.rows.iter_mut().filter(|r| row_ids.contains(&r.id)) {
            r.state = RowState::Rejected;
            r.reject_rule = Some(rule.to_string());
        }
        Ok(())
    }

    /// `storage.purge`.
    pub fn purge(&mut self, before_ms: i64) -> Result<u64, StorageError> {
        if self.fail_all {
            return Err(outage());
        }
        let gone: Vec<u64> = self
            .batches
            .iter()
            .filter(|b| {
                matches!(b.status, BatchStatus::Delivered | BatchStatus::Failed)
                    && b.settled_at.unwrap_or(i64::MAX) < before_ms
            })
            .map(|b| b.id)
            .collect();
        let rows: Vec<u64> = self
            .batches
            .iter()
            .filter(|b| gone.contains(&b.id))
            .flat_map(|b| b.row_ids.iter().copied())
            .collect();
        let before_rows = self.rows.len();
        self.rows.retain(|r| {
            let expired_rejection = r.state == RowState::Rejected && r.data.recorded_at * 1000 < before_ms;
            !rows.contains(&r.id) && !expired_rejection
        });
        let removed_rows = before_rows - self.rows.len();
        self.batches.retain(|b| !gone.contains(&b.id));
        Ok((removed_rows + gone.len()) as u64)
    }
}

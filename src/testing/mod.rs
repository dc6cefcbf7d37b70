//! Test support, behind the `testing` feature (and in the crate's own tests): an in-memory
//! deployment — a database with the JDBC storage's semantics shared by nodes, a scripted
//! [`MemHost`] per node — and the runner of the delivery scenario table, so that the same
//! scenarios run natively and through the release module in wasmtime.

mod host;
mod memdb;
pub mod scenario;

pub use host::{
    default_config, finished_event, hex, Answer, Counter, MemHost, Patch, CRASH, SECRET_HEX, SERVER_ID, T0_MS,
};
pub use memdb::{new_db, BatchStatus, Db, MemBatch, MemRow, RowState, SharedDb};

#[cfg(test)]
mod tests;

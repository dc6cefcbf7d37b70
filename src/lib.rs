//! Owly analytics core: turns feature-usage events into small, verifiable, PII-free payloads.
//!
//! The crate does no I/O. Every effect (storage, transport, clock, entropy, settings, log) goes
//! through the [`host::Host`] trait, which the WebAssembly build binds to the WIT imports
//! (`wit/`). [`Core`] is what one instance keeps between calls. See `ARCHITECTURE.md` for the map.
#![deny(missing_docs)]

pub mod base64;
pub mod catalog;
pub mod delivery;
pub mod hex;
pub mod host;
pub mod ids;
pub mod json;
pub mod otp;
pub mod pii;
pub mod reason;
pub mod recorder;
pub mod schema;
pub mod stats;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod time;
pub mod wire;
mod work;

// The WIT component glue and the admin page's wasm-bindgen exports are two builds of the same
// core: the release module (no feature) binds only the `owly:analytics/*` imports.
#[cfg(all(target_arch = "wasm32", not(feature = "web")))]
mod abi;
#[cfg(all(target_arch = "wasm32", feature = "web"))]
mod web;

use delivery::FlushReport;
use host::{Host, StorageError};
use recorder::Recorder;
use schema::Rejection;
use stats::Stats;

/// The core's state between calls: the counters and the recorder's settings cache. Everything
/// durable lives in the host.
#[derive(Debug, Default)]
pub struct Core {
    recorder: Recorder,
    stats: Stats,
}

impl Core {
    /// A core with zeroed counters.
    pub fn new() -> Self {
        Self::default()
    }

    /// `recorder.record`: checks one event and stores it as pending; returns the row id.
    pub fn record<H: Host>(&mut self, host: &mut H, event_json: &str) -> Result<u64, Rejection> {
        self.recorder.record(host, &mut self.stats, event_json)
    }

    /// `recorder.check`: the same checks, storing nothing; the row as it would be encoded.
    pub fn check<H: Host>(&mut self, host: &mut H, event_json: &str) -> Result<String, Rejection> {
        self.recorder.check(host, event_json)
    }

    /// `delivery.flush`: runs the delivery model once.
    pub fn flush<H: Host>(&mut self, host: &mut H) -> FlushReport {
        // A flush is a natural point to pick up changed settings.
        self.recorder.forget_settings();
        delivery::flush(host, &mut self.stats)
    }

    /// `delivery.preview`: the body the next flush would send, without sealing anything.
    pub fn preview<H: Host>(&mut self, host: &mut H) -> Result<Option<String>, StorageError> {
        delivery::preview(host)
    }

    /// `recorder.stats`: counters by rule id and metric name, sorted by name.
    pub fn stats(&self) -> Vec<(String, u64)> {
        self.stats.list()
    }
}

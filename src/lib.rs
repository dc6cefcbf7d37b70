//! Owly analytics core: turns feature-usage events into small, verifiable, PII-free payloads.
//!
//! The crate does no I/O. Every effect (storage, transport, clock, entropy, settings, log) goes
//! through the [`host::Host`] trait, which the WebAssembly build binds to the WIT imports
//! (`wit/`). See `ARCHITECTURE.md` for the map.
#![deny(missing_docs)]

pub mod catalog;
pub mod codec;
pub mod host;
pub mod json;
pub mod otp;
pub mod pii;
pub mod pipeline;
pub mod schema;

#[cfg(target_arch = "wasm32")]
mod abi;

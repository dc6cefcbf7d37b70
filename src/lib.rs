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

// The WIT component glue and the admin page's wasm-bindgen exports are two builds of the same
// core: the release module (no feature) binds only the `owly:analytics/*` imports.
#[cfg(all(target_arch = "wasm32", not(feature = "web")))]
mod abi;
#[cfg(all(target_arch = "wasm32", feature = "web"))]
mod web;

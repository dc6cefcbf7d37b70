//! The core's operations against a [`crate::host::Host`]: record, flush (delivery model), preview.

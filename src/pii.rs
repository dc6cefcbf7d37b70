//! PII detectors: defence in depth on every string and number that could leave.
// STUB — owned by helper H1.

//! Criterion benchmarks (placeholder until the core lands).
fn main() {}

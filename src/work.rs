//! A deterministic work meter for the growth tests: loops that must stay linear count their steps
//! here, and a test compares the count at n and 8n instead of timing anything. Outside unit tests
//! [`tick`] is an empty inline function, so the meter costs nothing in the module.

#[cfg(test)]
thread_local! {
    static STEPS: core::cell::Cell<u64> = const { core::cell::Cell::new(0) };
}

/// Counts `n` steps of work on this thread (unit tests only).
#[inline(always)]
pub(crate) fn tick(n: usize) {
    #[cfg(test)]
    STEPS.with(|s| s.set(s.get() + n as u64));
    #[cfg(not(test))]
    let _ = n;
}

/// Runs `f` and returns the steps it counted.
#[cfg(test)]
pub(crate) fn steps<R>(f: impl FnOnce() -> R) -> u64 {
    let before = STEPS.with(|s| s.get());
    let _ = f();
    STEPS.with(|s| s.get()) - before
}

/// Asserts that the work of `f` grows at most linearly: `f(8n)` may cost at most `8 × slack`
/// times `f(n)`. A quadratic loop costs 64 times as much at 8n and fails; a bounded one may
/// cost the same.
#[cfg(test)]
pub(crate) fn assert_linear(what: &str, n: usize, slack: f64, f: impl Fn(usize)) {
    let small = steps(|| f(n));
    let large = steps(|| f(8 * n));
    assert!(small > 0, "{what}: the meter saw no work");
    let ratio = large as f64 / small as f64;
    assert!(
        ratio <= 8.0 * slack,
        "{what}: {small} steps at n={n}, {large} at 8n: grows {ratio:.1}x, more than linear"
    );
}

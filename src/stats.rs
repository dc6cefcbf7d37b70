//! The instance's counters: accepted events, rejections by rule and what flushes did, by id.

use std::collections::BTreeMap;

use crate::reason::Id;

/// Counters by id since the instance started; what `recorder.stats` returns.
#[derive(Debug, Default)]
pub struct Stats {
    counters: BTreeMap<&'static str, u64>,
}

impl Stats {
    /// Adds `n` to the counter `id` (nothing for 0, so that no zero counters appear).
    pub fn count(&mut self, id: impl Id, n: u64) {
        if n > 0 {
            *self.counters.entry(id.id()).or_insert(0) += n;
        }
    }

    /// Every counter, sorted by id.
    pub fn list(&self) -> Vec<(String, u64)> {
        self.counters.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }
}

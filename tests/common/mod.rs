//! Helpers shared by the integration tests: loading JSONL case files.

use serde_json::Value;

/// One case of a `*-cases.jsonl` file (format: `/work/shared/pii/README.md`).
pub struct Case {
    /// The case id.
    pub id: String,
    /// The `event` object, re-serialized to the JSON text the filter receives.
    pub event_text: String,
    /// Whether the filter must accept the event.
    pub accept: bool,
    /// Strings that must not appear in an accepted (bucketed) row, compared case-insensitively.
    pub needles: Vec<String>,
    /// The expected rule id, when the case file names one (our extra cases do).
    pub rule: Option<String>,
}

/// Reads a case file; panics (fails the test) if it is missing or malformed: a missing case
/// file must never turn into a silently passing test.
pub fn load_cases(path: &str) -> Vec<Case> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read case file {path}: {e}"));
    let cases: Vec<Case> = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .enumerate()
        .map(|(n, line)| {
            let v: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{path}:{}: {e}", n + 1));
            let expect = v["expect"]
                .as_str()
                .unwrap_or_else(|| panic!("{path}:{}: no expect", n + 1));
            assert!(
                expect == "accept" || expect == "reject",
                "{path}:{}: bad expect",
                n + 1
            );
            Case {
                id: v["case"].as_str().unwrap_or("?").to_string(),
                event_text: serde_json::to_string(&v["event"]).expect("re-serialize event"),
                accept: expect == "accept",
                needles: v["needles"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|n| n.as_str())
                            .map(str::to_lowercase)
                            .collect()
                    })
                    .unwrap_or_default(),
                rule: v["rule"].as_str().map(str::to_string),
            }
        })
        .collect();
    assert!(!cases.is_empty(), "case file {path} holds no cases");
    cases
}

//! The public PII cases (`tests/pii/public-cases.jsonl`) through `record` in the real module.

mod common;

use common::*;

#[test]
fn public_pii_cases_pass_through_record() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../pii/public-cases.jsonl");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("public cases missing at {path}: {e}"));
    let mut count = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = case["case"].as_str().unwrap();
        let event = serde_json::to_string(&case["event"]).unwrap();
        let mut node = Node::new(State::new("a", new_db()));
        let verdict = node.record(&event);
        match case["expect"].as_str().unwrap() {
            "accept" => assert!(verdict.is_ok(), "{id}: rejected {:?}", verdict.err().map(|r| r.rule)),
            _ => {
                // Accepting is allowed only by design (bucketing), which a case says by naming
                // what the stored row must not hold; a case without needles must be rejected.
                let needles = case["needles"].as_array().map_or(0, Vec::len);
                assert!(verdict.is_err() || needles > 0, "{id}: must be rejected, was stored");
                if verdict.is_ok() {
                    let row = node.state().db.lock().unwrap().rows[0].clone();
                    let stored = format!("{} {}", row.data.name, row.data.attributes).to_lowercase();
                    for needle in case["needles"].as_array().into_iter().flatten() {
                        let needle = needle.as_str().unwrap().to_lowercase();
                        assert!(!stored.contains(&needle), "{id}: stored row holds {needle:?}");
                    }
                }
                for (_, code, counts) in &node.state().logs {
                    for needle in case["needles"].as_array().into_iter().flatten() {
                        let needle = needle.as_str().unwrap().to_lowercase();
                        assert!(!code.to_lowercase().contains(&needle), "{id}: log code holds content");
                        assert!(counts.iter().all(|c| !c.name.to_lowercase().contains(&needle)));
                    }
                }
            }
        }
        count += 1;
    }
    assert!(count >= 20, "expected the public case file, read {count} cases");
}

//! Golden vectors: fixed clock, entropy, secret and events → exact payload bytes.
//!
//! The files under `tests/golden/` are the cross-host contract: the JVM host replays them and
//! must produce the same bytes, and `tests/outside/` re-verifies them with outside tools.
//! Regenerate deliberately with `OWLY_BLESS=1 make test` — a diff there is a wire-format change.

mod common;

use std::path::PathBuf;

use common::*;
use serde_json::{json, Value};

struct Scenario {
    name: &'static str,
    clock_ms: i64,
    entropy_hex: &'static str,
    max_batch_rows: u32,
    events: Vec<String>,
}

fn scenarios() -> Vec<Scenario> {
    vec![
        Scenario {
            name: "single-batch",
            clock_ms: T0_MS,
            entropy_hex: "0123456789abcdeffedcba9876543210",
            max_batch_rows: 0,
            events: vec![
                r#"{"name":"owly.export.tables.propertyentry"}"#.into(),
                r#"{"name":"owly.export.finished","attributes":{"tables":3,"format":"csv","rows":120345,"duration_ms":5400}}"#.into(),
                r#"{"name":"owly.export.failed","attributes":{"reason":"timeout"}}"#.into(),
                r#"{"name":"owly.view.dashboard","attributes":{}}"#.into(),
                r#"{"name":"owly.schedule.created","attributes":{"interval":"weekly"}}"#.into(),
                r#"{"name":"owly.analytics.mode_changed","attributes":{"mode":"remote"}}"#.into(),
            ],
        },
        Scenario {
            name: "three-batches",
            clock_ms: 1_767_225_599_000, // 2025-12-31T23:59:59Z
            entropy_hex: "ffffffffffffffff0000000000000001",
            max_batch_rows: 2,
            events: (0..5).map(|i| finished_event(i * 1000)).collect(),
        },
        Scenario {
            name: "high-nonce-bits",
            clock_ms: 2_000_000_000_000,
            entropy_hex: "80000000000000007fffffffffffffff",
            max_batch_rows: 0,
            events: vec![r#"{"name":"owly.export.tables.jiraissue"}"#.into()],
        },
    ]
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../golden")
}

fn run(s: &Scenario) -> Value {
    let mut state = State::new("golden", new_db());
    state.clock_ms = s.clock_ms;
    state.entropy = hex(s.entropy_hex);
    state.config.limits.max_batch_rows = s.max_batch_rows;
    let mut node = Node::new(state);
    for e in &s.events {
        node.record(e).expect("golden events are accepted");
    }
    let report = node.flush();
    assert_eq!(report.failed + report.retrying, 0);
    let c = &node.state().config;
    json!({
        "name": s.name,
        "clock_ms": s.clock_ms,
        "at_seconds": s.clock_ms / 1000,
        "entropy_hex": s.entropy_hex,
        "secret_hex": SECRET_HEX,
        "config": {
            "mode": "remote",
            "server_id": c.server_id,
            "product_version": c.product_version,
            "app_version": c.app_version,
            "collector_configured": true,
            "retention_days": 0,
            "max_batch_rows": s.max_batch_rows,
        },
        "events": s.events,
        "bodies": node.state().sent,
    })
}

#[test]
fn golden_payloads_are_byte_identical() {
    let bless = std::env::var("OWLY_BLESS").is_ok_and(|v| v == "1");
    std::fs::create_dir_all(golden_dir()).unwrap();
    for s in scenarios() {
        let actual = run(&s);
        let path = golden_dir().join(format!("{}.json", s.name));
        if bless {
            std::fs::write(&path, serde_json::to_string_pretty(&actual).unwrap() + "\n").unwrap();
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("golden file {} missing ({e}); bless with OWLY_BLESS=1", path.display()));
        let expected: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(actual["bodies"], expected["bodies"], "{}: payload bytes changed", s.name);
        assert_eq!(actual, expected, "{}: scenario changed", s.name);
    }
}

#[test]
fn golden_payloads_verify_through_the_module() {
    for s in scenarios() {
        let g = run(&s);
        let mut node = Node::new(State::new("verifier", new_db()));
        for body in g["bodies"].as_array().unwrap() {
            let body = body.as_str().unwrap();
            let v = node.verify(body, &hex(SECRET_HEX), s.clock_ms / 1000).expect("golden body verifies");
            assert_eq!(v.tenant, SERVER_ID);
            assert_eq!(v.step_offset, 0);
            // Wrong secret or a minute off fails.
            assert!(node.verify(body, &[9u8; 20], s.clock_ms / 1000).is_err());
            assert!(node.verify(body, &hex(SECRET_HEX), s.clock_ms / 1000 + 120).is_err());
        }
    }
}

//! The delivery scenario table, natively: the same steps the wasmtime harness runs through the
//! release module, here against [`crate::Core`] directly (no wasm build needed).

use super::scenario::{run_table, Native};
use super::*;
use crate::Core;

const TABLE: &str = include_str!("../../tests/scenarios/delivery.json");

#[test]
fn the_delivery_scenarios_pass_natively() {
    // A scripted crash is a panic in the native host; keep the test output readable.
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !info.to_string().contains(CRASH) {
            quiet(info);
        }
    }));
    let result = run_table::<Native>(TABLE);
    let _ = std::panic::take_hook();
    match result {
        Ok(n) => assert!(n >= 20, "the table holds only {n} scenarios"),
        Err(failures) => panic!("{} scenarios failed:\n{}", failures.len(), failures.join("\n")),
    }
}

#[test]
fn the_runner_fails_a_wrong_expectation() {
    // The table's checks must be able to fail: a wrong count, an unknown op, a typo in a key.
    let table = |steps: &str| {
        TABLE.replacen(
            r#""scenarios": ["#,
            &format!(r#""scenarios": [{{"name": "probe", "steps": {steps}}},"#),
            1,
        )
    };
    for steps in [
        r#"[{"op": "record"}, {"op": "flush", "expect": {"delivered": 2}}]"#,
        r#"[{"op": "record"}, {"op": "flsh"}]"#,
        r#"[{"op": "record", "cuont": 2}]"#,
        r#"[{"op": "record"}, {"op": "flush"}, {"op": "sent", "count": 0}]"#,
        r#"[{"op": "record", "rejected": "mode.off"}]"#,
    ] {
        let failures = run_table::<Native>(&table(steps)).expect_err(steps);
        assert_eq!(failures.len(), 1, "{steps}: {failures:?}");
        assert!(failures[0].starts_with("probe: "), "{failures:?}");
    }
}

#[test]
fn two_nodes_flushing_concurrently_never_share_a_row() {
    let db = new_db();
    let mut writer = MemHost::new("writer", db.clone());
    let mut core = Core::new();
    for i in 0..120 {
        core.record(&mut writer, &finished_event(i)).unwrap();
    }
    let handles: Vec<_> = ["node-a", "node-b"]
        .into_iter()
        .map(|name| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut host = MemHost::new(name, db);
                host.config.limits.max_batch_rows = 3;
                host.config.limits.max_batches_per_flush = 4;
                let mut core = Core::new();
                for _ in 0..20 {
                    core.flush(&mut host);
                }
                host.sent
            })
        })
        .collect();
    let mut ids = Vec::new();
    for h in handles {
        for body in h.join().unwrap() {
            let d = crate::wire::decode(&body).expect("valid body");
            let v = crate::json::parse(&d.data_json, 4).unwrap();
            let Some(crate::json::Value::Array(rows)) = v.get("dataRows") else {
                panic!()
            };
            for row in rows {
                let Some(crate::json::Value::Str(id)) = row.get("ID") else {
                    panic!()
                };
                ids.push(id.parse::<u64>().unwrap());
            }
        }
    }
    let total = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), total, "a row was sent by both nodes");
    assert_eq!(total, 120, "every row was delivered");
}

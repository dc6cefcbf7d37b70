//! The delivery scenarios through the real module: the table `tests/scenarios/delivery.json`
//! (retries, Retry-After, permanent failures, mode switches mid-flush, crashes between seal and
//! settle, several nodes on one database…), which the native tests run too, plus what a table
//! cannot say: two nodes flushing at the same time on threads.

mod common;

use common::*;
use owly_core::testing::scenario::run_table;

const TABLE: &str = include_str!("../../scenarios/delivery.json");

#[test]
fn the_delivery_scenarios_pass_through_the_module() {
    match run_table::<Node>(TABLE) {
        Ok(n) => assert!(n >= 20, "the table holds only {n} scenarios"),
        Err(failures) => panic!("{} scenarios failed:\n{}", failures.len(), failures.join("\n")),
    }
}

#[test]
fn two_nodes_flushing_concurrently_never_share_a_row() {
    let db = new_db();
    {
        let mut writer = Node::new(State::new("writer", db.clone()));
        for i in 0..120 {
            writer.record(&finished_event(i)).unwrap();
        }
    }
    let handles: Vec<_> = ["node-a", "node-b"]
        .into_iter()
        .map(|name| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut state = State::new(name, db);
                state.config.limits.max_batch_rows = 3;
                state.config.limits.max_batches_per_flush = 4;
                let mut node = Node::new(state);
                for _ in 0..20 {
                    node.flush();
                }
                node.state().sent.clone()
            })
        })
        .collect();
    let mut ids = Vec::new();
    for h in handles {
        for body in h.join().unwrap() {
            let mut node = Node::new(State::new("reader", new_db()));
            let decoded = node.decode(&body).expect("valid body");
            let data: serde_json::Value = serde_json::from_str(&decoded.data_json).unwrap();
            for row in data["dataRows"].as_array().unwrap() {
                ids.push(row["ID"].as_str().unwrap().parse::<u64>().unwrap());
            }
        }
    }
    let total = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), total, "a row was sent by both nodes");
    assert_eq!(total, 120, "every row was delivered");
}

//! Delivery scenarios through the real module: retries, Retry-After, permanent failures, mode
//! switches mid-flush, crashes between seal and settle, and several nodes on one database.

mod common;

use common::*;
use exports::owly::analytics::delivery::StopReason;

fn node_with_events(n: usize) -> Node {
    let mut node = Node::new(State::new("node-a", new_db()));
    for i in 0..n {
        node.record(&finished_event(100 + i as u64)).expect("accepted");
    }
    node
}

fn batch_status(node: &mut Node, id: u64) -> MemBatch {
    node.state()
        .db
        .lock()
        .unwrap()
        .batches
        .iter()
        .find(|b| b.id == id)
        .cloned()
        .expect("batch")
}

#[test]
fn a_503_is_retried_later_with_the_same_bytes_but_a_fresh_otp() {
    let mut node = node_with_events(3);
    node.state().answers.push_back(Answer::Status(503, None));
    let first = node.flush();
    assert_eq!((first.sealed, first.delivered, first.retrying), (1, 0, 1));
    let b = batch_status(&mut node, 1);
    assert_eq!(b.status, BatchStatus::Retry);
    assert!(b.next_at > T0_MS, "a retry is scheduled in the future");
    assert!(b.next_at <= T0_MS + 30_000, "first backoff is at most the 30 s base");

    // Not yet due: nothing is sent.
    let early = node.flush();
    assert_eq!(node.state().sent.len(), 1);
    assert_eq!(early.delivered, 0);

    node.state().clock_ms = T0_MS + 60_000;
    let second = node.flush();
    assert_eq!((second.sealed, second.delivered, second.rows_delivered), (0, 1, 3));
    let sent = node.state().sent.clone();
    assert_eq!(sent.len(), 2);
    let (d1, n1, h1, o1) = fields(&sent[0]);
    let (d2, n2, h2, o2) = fields(&sent[1]);
    assert_eq!((d1, n1, h1), (d2, n2, h2), "resend is byte-identical but for the otp");
    assert_ne!(o1, o2, "otp is fresh: two time steps apart");
    assert_eq!(batch_status(&mut node, 1).status, BatchStatus::Delivered);
    assert_eq!(batch_status(&mut node, 1).attempts, 2);
}

#[test]
fn retry_after_is_honoured_exactly() {
    let mut node = node_with_events(1);
    node.state().answers.push_back(Answer::Status(429, Some("120")));
    node.flush();
    assert_eq!(batch_status(&mut node, 1).next_at, T0_MS + 120_000);

    node.state().clock_ms = T0_MS + 119_999;
    node.flush();
    assert_eq!(node.state().sent.len(), 1, "not before Retry-After");
    node.state().clock_ms = T0_MS + 120_000;
    assert_eq!(node.flush().delivered, 1);
}

#[test]
fn retry_after_as_http_date_is_capped() {
    let mut node = node_with_events(1);
    // Far in the future: the default cap is 6 h.
    node.state()
        .answers
        .push_back(Answer::Status(503, Some("Fri, 31 Dec 2099 23:59:59 GMT")));
    node.flush();
    assert_eq!(batch_status(&mut node, 1).next_at, T0_MS + 6 * 3_600_000);
}

#[test]
fn a_400_fails_for_good_and_stays_in_the_ledger() {
    let mut node = node_with_events(2);
    node.state().answers.push_back(Answer::Status(400, None));
    let report = node.flush();
    assert_eq!((report.sealed, report.failed), (1, 1));
    let b = batch_status(&mut node, 1);
    assert_eq!(b.status, BatchStatus::Failed);
    assert_eq!(b.last_status, Some(400));
    assert_eq!(b.reason.as_deref(), Some("http.client-error"));
    node.state().clock_ms += 86_400_000;
    node.flush();
    assert_eq!(node.state().sent.len(), 1, "a failed batch is never resent");
}

#[test]
fn transport_errors_are_retried() {
    let mut node = node_with_events(1);
    node.state().answers.push_back(Answer::Error(TransportError::Timeout));
    let report = node.flush();
    assert_eq!(report.retrying, 1);
    assert_eq!(batch_status(&mut node, 1).last_status, None);
}

#[test]
fn switching_to_local_mid_flush_stops_further_sends() {
    let mut node = node_with_events(6);
    node.state().config.limits.max_batch_rows = 2;
    node.state().after_send = Some(|s: &mut State| s.config.mode = Mode::Local);
    let report = node.flush();
    assert_eq!(node.state().sent.len(), 1, "only the send already under way happened");
    assert_eq!(report.stopped, Some(StopReason::ModeChanged));
    assert_eq!(report.delivered, 1);

    // Later flushes in local mode never call the transport.
    let calls_before = node.state().calls.iter().filter(|c| **c == "send").count();
    node.state().after_send = None;
    let later = node.flush();
    assert_eq!(later.stopped, Some(StopReason::ModeLocal));
    assert_eq!(
        node.state().calls.iter().filter(|c| **c == "send").count(),
        calls_before
    );
}

#[test]
fn local_and_off_never_call_the_transport() {
    for mode in [Mode::Local, Mode::Off] {
        let mut node = node_with_events(3);
        node.state().config.mode = mode;
        node.flush();
        assert!(!node.state().calls.contains(&"send"), "{mode:?} sent something");
        assert!(!node.state().calls.contains(&"claim"), "{mode:?} claimed rows");
    }
}

#[test]
fn off_records_nothing() {
    let mut node = Node::new(State::new("a", new_db()));
    node.state().config.mode = Mode::Off;
    let err = node.record(&finished_event(1)).unwrap_err();
    assert_eq!(err.rule, "mode.off");
    assert!(node.state().db.lock().unwrap().rows.is_empty());
}

#[test]
fn no_collector_or_a_weak_secret_sends_nothing() {
    let mut node = node_with_events(1);
    node.state().config.collector_configured = false;
    assert_eq!(node.flush().stopped, Some(StopReason::CollectorNone));
    node.state().config.collector_configured = true;
    node.state().secret = vec![7; 19];
    assert_eq!(node.flush().stopped, Some(StopReason::SecretWeak));
    assert!(node.state().sent.is_empty());
}

#[test]
fn a_crash_between_seal_and_settle_resends_the_same_batch() {
    let db = new_db();
    let mut first = Node::new(State::new("node-a", db.clone()));
    for i in 0..4 {
        first.record(&finished_event(i)).unwrap();
    }
    first.state().answers.push_back(Answer::Crash);
    assert!(
        first.try_flush().is_err(),
        "the instance traps when the host dies mid-send"
    );
    let crashed_body = first.state().sent[0].clone();
    drop(first);
    assert_eq!(db.lock().unwrap().batches[0].status, BatchStatus::Sealed);

    // Another node (or the same one after a restart) picks the batch up when its lease ends.
    let mut state = State::new("node-b", db.clone());
    state.clock_ms = T0_MS + 5 * 60_000 + 1;
    let mut second = Node::new(state);
    let report = second.flush();
    assert_eq!((report.sealed, report.delivered, report.rows_delivered), (0, 1, 4));
    let (d1, n1, h1, _) = fields(&crashed_body);
    let (d2, n2, h2, _) = fields(&second.state().sent[0]);
    assert_eq!((d1, n1, h1), (d2, n2, h2));
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

#[test]
fn rows_edited_in_the_database_are_quarantined_not_sent() {
    let mut node = node_with_events(3);
    {
        let mut db = node.state().db.lock().unwrap();
        db.rows[1].data.attributes = r#"{"format":"jane.doe@example.com"}"#.into();
    }
    let report = node.flush();
    assert_eq!(report.quarantined, 1);
    assert_eq!(report.rows_delivered, 2);
    let body = node.state().sent[0].clone();
    let decoded = node.decode(&body).unwrap();
    assert!(!decoded.data_json.contains("jane.doe"));
    assert_eq!(node.state().db.lock().unwrap().rows[1].state, RowState::Rejected);
}

#[test]
fn large_backlogs_are_split_into_limited_batches() {
    let mut node = node_with_events(1100);
    let report = node.flush();
    assert_eq!((report.sealed, report.delivered, report.rows_delivered), (3, 3, 1100));
    let sent = node.state().sent.clone();
    for body in &sent {
        let decoded = node.decode(body).unwrap();
        assert!(decoded.row_count <= 500);
    }
}

#[test]
fn storage_outage_loses_nothing_and_reports_it() {
    let mut node = node_with_events(2);
    node.state().db.lock().unwrap().fail_all = true;
    let err = node.record(&finished_event(9)).unwrap_err();
    assert_eq!(err.rule, "storage.unavailable");
    assert_eq!(node.flush().stopped, Some(StopReason::StorageUnavailable));
    node.state().db.lock().unwrap().fail_all = false;
    assert_eq!(node.flush().rows_delivered, 2);
}

#[test]
fn preview_shows_the_next_payload_without_sealing() {
    let mut node = node_with_events(2);
    let body = node.preview().unwrap().expect("pending rows");
    assert!(
        node.state().db.lock().unwrap().batches.is_empty(),
        "preview seals nothing"
    );
    assert!(node.state().sent.is_empty());
    let decoded = node.decode(&body).unwrap();
    assert!(decoded.hash_ok);
    assert_eq!(decoded.row_count, 2);
    node.flush();
    assert_eq!(node.preview().unwrap(), None);
}

#[test]
fn retention_purges_delivered_batches() {
    let mut node = node_with_events(2);
    node.flush();
    node.state().config.retention_days = 1;
    node.state().clock_ms += 2 * 86_400_000;
    let report = node.flush();
    assert_eq!(report.purged, 3, "two rows and one batch");
    assert!(node.state().db.lock().unwrap().batches.is_empty());
}

#[test]
fn stats_count_by_rule_id_without_content() {
    let mut node = Node::new(State::new("a", new_db()));
    node.record(&finished_event(1)).unwrap();
    node.record(r#"{"name":"owly.export.failed","attributes":{"reason":"jane.doe@example.com"}}"#)
        .unwrap_err();
    let stats = node.stats();
    assert!(stats.iter().any(|c| c.name == "record.accepted" && c.value == 1));
    let rejected: u64 = stats
        .iter()
        .filter(|c| c.name.starts_with('@') || c.name.starts_with("schema."))
        .map(|c| c.value)
        .sum();
    assert_eq!(rejected, 1);
    for (_, code, counts) in &node.state().logs {
        assert!(
            !code.contains("jane") && counts.iter().all(|c| !c.name.contains("jane")),
            "content in a log"
        );
    }
}

#[test]
fn switching_off_applies_to_the_very_next_record() {
    let mut node = Node::new(State::new("a", new_db()));
    node.record(&finished_event(1)).expect("accepted");
    node.state().config.mode = Mode::Off;
    assert_eq!(node.record(&finished_event(2)).unwrap_err().rule, "mode.off");
    assert_eq!(node.state().db.lock().unwrap().rows.len(), 1);
}

#[test]
fn changed_versions_reach_rows_within_a_second() {
    let mut node = Node::new(State::new("a", new_db()));
    node.record(&finished_event(1)).unwrap();
    node.state().config.app_version = "1.0.0".into();
    node.state().clock_ms += 1000;
    node.record(&finished_event(2)).unwrap();
    let db = node.state().db.lock().unwrap();
    assert_eq!(db.rows[0].data.app_version, "0.9.9-b301041");
    assert_eq!(db.rows[1].data.app_version, "1.0.0");
}

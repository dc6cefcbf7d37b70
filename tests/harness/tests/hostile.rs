//! Hostile input through every export: oversized, malformed, deeply nested, wrong types.
//! Every call must return a clear error as data: no trap, nothing stored.

mod common;

use common::*;

fn node() -> Node {
    Node::new(State::new("a", new_db()))
}

#[test]
fn record_rejects_hostile_events_without_storing_anything() {
    let mut n = node();
    let huge = "x".repeat(8 * 1024 * 1024);
    let deep = "[".repeat(100_000) + &"]".repeat(100_000);
    let many: String = (0..10_000)
        .map(|i| format!(r#""k{i}":1"#))
        .collect::<Vec<_>>()
        .join(",");
    let cases: Vec<String> = vec![
        String::new(),
        "null".into(),
        "[]".into(),
        "{".into(),
        "\u{0}".into(),
        huge.clone(),
        format!(r#"{{"name":"{huge}"}}"#),
        deep,
        format!(r#"{{"name":"owly.view.dashboard","attributes":{{{many}}}}}"#),
        r#"{"name":"owly.view.dashboard","name":"owly.view.dashboard"}"#.into(),
        r#"{"name":1}"#.into(),
        r#"{"name":"owly.export.finished","attributes":{"rows":1.5}}"#.into(),
        r#"{"name":"owly.export.finished","attributes":{"rows":"12"}}"#.into(),
        r#"{"name":"owly.export.finished","attributes":{"rows":-1}}"#.into(),
        r#"{"name":"owly.export.finished","attributes":{"rows":99999999999999999999999}}"#.into(),
        r#"{"name":"owly.export.finished","attributes":{"format":["csv"]}}"#.into(),
        r#"{"name":"owly.export.finished","attributes":{"format":{"a":"csv"}}}"#.into(),
        r#"{"name":"owly.export.finished","attributes":{"format":null}}"#.into(),
        r#"{"name":"owly.export.finished","attributes":[]}"#.into(),
        r#"{"name":"owly.export.finished","extra":true}"#.into(),
    ];
    for case in &cases {
        let err = n.record(case).expect_err("hostile input must be rejected");
        assert!(!err.rule.is_empty());
        assert!(err.rule.len() < 64 && err.field.len() < 64, "rejection echoes content");
    }
    assert!(n.state().db.lock().unwrap().rows.is_empty());
    // The instance is still healthy.
    assert!(n.record(&finished_event(1)).is_ok());
}

#[test]
fn decode_and_verify_reject_garbage_cleanly() {
    let mut n = node();
    let huge = format!(
        r#"{{"dataEncoded":"{}","nonce":"1","contentHash":"{}","otp":"000000"}}"#,
        "A".repeat(4 << 20),
        "0".repeat(40)
    );
    let cases: Vec<String> = vec![
        String::new(),
        "{}".into(),
        "not json".into(),
        huge,
        r#"{"dataEncoded":"!!!","nonce":"1","contentHash":"0000000000000000000000000000000000000000","otp":"123456"}"#.into(),
        r#"{"nonce":"1","dataEncoded":"e30=","contentHash":"0000000000000000000000000000000000000000","otp":"123456"}"#.into(),
        r#"{"dataEncoded":"e30=","nonce":"0","contentHash":"0000000000000000000000000000000000000000","otp":"123456"}"#.into(),
        r#"{"dataEncoded":"e30=","nonce":"9223372036854775808","contentHash":"0000000000000000000000000000000000000000","otp":"123456"}"#.into(),
    ];
    for case in &cases {
        assert!(n.decode(case).is_err(), "decode accepted garbage");
        assert!(n.verify(case, &[1; 20], 0).is_err(), "verify accepted garbage");
    }
}

#[test]
fn verify_refuses_short_secrets_and_tampered_payloads() {
    let mut n = node();
    n.record(&finished_event(1)).unwrap();
    n.flush();
    let body = n.state().sent[0].clone();
    let at = T0_MS / 1000;
    assert!(n.verify(&body, &hex(SECRET_HEX), at).is_ok());
    assert!(n.verify(&body, &[], at).is_err());
    assert!(n.verify(&body, &[1; 19], at).is_err());
    let tampered = body.replacen("\"nonce\":\"", "\"nonce\":\"1", 1);
    assert!(n.verify(&tampered, &hex(SECRET_HEX), at).is_err());
}

#[test]
fn check_rejects_like_record_and_stores_nothing() {
    let mut n = node();
    let row = n.check(&finished_event(7)).unwrap();
    assert!(
        row.starts_with(r#"{"ID":"0","ProductTenant":"BWSN-B5B6-32P4-DDL7","Name":"owly.export.finished""#),
        "{row}"
    );
    assert!(n.check(r#"{"name":"owly.secret.feature"}"#).is_err());
    assert!(n.state().db.lock().unwrap().rows.is_empty());
}

#[test]
fn misconfigured_settings_never_leak_into_rows() {
    let mut n = node();
    n.state().config.server_id = "jane.doe@example.com".into();
    assert_eq!(n.record(&finished_event(1)).unwrap_err().rule, "settings.server-id");
    n.state().config.server_id = SERVER_ID.into();
    n.state().config.app_version = "https://internal.example.com".into();
    n.state().clock_ms += 1000; // settings other than the mode are re-read at most once a second
    assert_eq!(n.record(&finished_event(1)).unwrap_err().rule, "settings.version");
}

#[test]
fn huge_lists_through_verify_are_handled() {
    let mut n = node();
    n.record(&finished_event(1)).unwrap();
    n.flush();
    let body = n.state().sent[0].clone();
    let huge_secret = vec![0x5a; 16 << 20];
    assert!(
        n.verify(&body, &huge_secret, T0_MS / 1000).is_err(),
        "wrong secret, but no trap"
    );
    assert!(
        n.verify(&body, &hex(SECRET_HEX), T0_MS / 1000).is_ok(),
        "instance still healthy"
    );
}

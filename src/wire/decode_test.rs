//! Tests of [`super`]: every departure from the canonical text is rejected, with its code.

use super::super::data_json;
use super::super::fixtures::*;
use super::*;
use crate::base64;

/// What [`decode`] says about a body, without the decoded value.
fn verdict(body: &str) -> Result<(), PayloadError> {
    decode(body).map(|_| ())
}

/// The expected error for a malformed body, by its WIT reason code.
fn m(code: &str) -> Result<(), PayloadError> {
    let fixed = Malformed::FIXED.iter().find(|f| f.id() == code).copied();
    let row = code
        .strip_prefix("row.")
        .and_then(|i| i.parse().ok())
        .map(Malformed::Row);
    Err(PayloadError::Malformed(fixed.or(row).expect("a reason code")))
}

#[test]
fn decode_rejects_everything_not_v1() {
    let good_data = data_json(&rows(2));
    let good = body_for(&good_data, 42);
    assert!(decode(&good).is_ok());
    let enc = base64::encode(good_data.as_bytes());
    let hash = content_hash(42, &enc);
    let one = |row: String| format!(r#"{{"dataRows":[{row}]}}"#);
    let t = "BWSN-B5B6-32P4-DDL7";
    let rows501: Vec<String> = (1..=501).map(|i| row_text(&i.to_string(), t, "")).collect();
    let rows500: Vec<String> = (1..=500).map(|i| row_text(&i.to_string(), t, "")).collect();
    let big_attr = format!(r#","Attributes":{{"k":"{}"}}"#, "x".repeat(MAX_ROW_BYTES));
    let over_attr = format!(r#","Attributes":{{"k":"{}"}}"#, "x".repeat(MAX_ROW_BYTES - 154));
    let fits_attr = format!(r#","Attributes":{{"k":"{}"}}"#, "x".repeat(MAX_ROW_BYTES - 155));
    let many_keys: String = (0..3000)
        .map(|i| format!(r#""k{i:05}":1"#))
        .collect::<Vec<_>>()
        .join(",");

    let table: Vec<(String, Result<(), PayloadError>)> = vec![
        (String::new(), m("json")),
        ("[]".into(), m("json")),
        ("\"x\"".into(), m("json")),
        (format!("{good} "), m("body")),
        (format!(" {good}"), m("body")),
        (good.replace(",\"nonce\"", ", \"nonce\""), m("body")),
        (good.replace("\"nonce\":\"42\"", "\"nonce\":\"4\\u0032\""), m("body")),
        (good.replace("\"otp\"", "\"ot\\u0070\""), m("body")),
        (good.replacen('}', ",\"x\":\"y\"}", 1), m("key-order")),
        (
            format!(r#"{{"nonce":"42","dataEncoded":"{enc}","contentHash":"{hash}","otp":"123456"}}"#),
            m("key-order"),
        ),
        (
            format!(r#"{{"dataEncoded":"{enc}","nonce":"42","contentHash":"{hash}"}}"#),
            m("key-order"),
        ),
        (
            format!(r#"{{"dataEncoded":"{enc}","nonce":42,"contentHash":"{hash}","otp":"123456"}}"#),
            m("nonce"),
        ),
        (
            format!(r#"{{"dataEncoded":"{enc}","nonce":"42","contentHash":"{hash}","otp":123456}}"#),
            m("otp"),
        ),
        (
            format!(r#"{{"dataEncoded":["{enc}"],"nonce":"42","contentHash":"{hash}","otp":"123456"}}"#),
            m("json"),
        ),
        (
            format!(r#"{{"dataEncoded":"{enc}","nonce":"42","nonce":"42","contentHash":"{hash}","otp":"1"}}"#),
            m("key-order"),
        ),
        (body(&enc, 0, &hash, "123456"), m("nonce")),
        (body(&enc, 42, &hash, "123456").replace("\"42\"", "\"042\""), m("nonce")),
        (body(&enc, 42, &hash, "123456").replace("\"42\"", "\"-42\""), m("nonce")),
        (body(&enc, 42, &hash, "123456").replace("\"42\"", "\"+42\""), m("nonce")),
        (body(&enc, 42, &hash, "123456").replace("\"42\"", "\"\""), m("nonce")),
        (body(&enc, 1 << 63, &hash, "123456"), m("nonce")),
        (body(&enc, u64::MAX, &hash, "123456"), m("nonce")),
        (
            body(&enc, 42, &hash, "123456").replace("\"42\"", "\"99999999999999999999\""),
            m("nonce"),
        ),
        (body(&enc, 42, &hash.to_lowercase(), "123456"), m("content-hash")),
        (body(&enc, 42, &hash[1..], "123456"), m("content-hash")),
        (body(&enc, 42, &format!("{}G", &hash[1..]), "123456"), m("content-hash")),
        (body(&enc, 42, &hash, "12345"), m("otp")),
        (body(&enc, 42, &hash, "1234567"), m("otp")),
        (body(&enc, 42, &hash, "12345a"), m("otp")),
        (body(&format!("{enc}\\n"), 42, &hash, "123456"), m("base64")),
        (body(&enc.replace('=', ""), 42, &hash, "123456"), m("base64")),
        (body("eyJ=", 42, &hash, "123456"), m("base64")),
        (body("", 42, &hash, "123456"), m("data")),
        (
            body(&base64::encode(&[b'{', 0xff, b'}']), 42, &hash, "123456"),
            m("utf8"),
        ),
        (body_for(&good_data.replace(",{", ", {"), 42), m("data")),
        (body_for(&format!("{good_data}\n"), 42), m("data")),
        (body_for(&good_data.replace("\"owly", "\"\\u006fwly"), 42), m("data")),
        (body_for(r#"{"dataRows":[]}"#, 42), m("rows")),
        (body_for(r#"{"dataRows":{}}"#, 42), m("data")),
        (body_for(r#"{"rows":[]}"#, 42), m("data")),
        (body_for(r#"{"dataRows":[],"x":1}"#, 42), m("data")),
        (
            body_for(&format!(r#"{{"dataRows":[{}]}}"#, rows501.join(",")), 42),
            m("rows"),
        ),
        (body_for(&one(row_text("01", t, "")), 42), m("row.0")),
        (body_for(&one(row_text("", t, "")), 42), m("row.0")),
        (body_for(&one(row_text("x1", t, "")), 42), m("row.0")),
        (body_for(&one(row_text("18446744073709551616", t, "")), 42), m("row.0")),
        (body_for(&one(row_text("1", "bwsn-B5B6-32P4-DDL7", "")), 42), m("row.0")),
        (body_for(&one(row_text("1", "BWSN-B5B6-32P4-DDL", "")), 42), m("row.0")),
        (body_for(&one(row_text("1", "BWSN_B5B6_32P4_DDL7", "")), 42), m("row.0")),
        (body_for(&one(row_text("1", t, ",\"Extra\":\"x\"")), 42), m("row.0")),
        (body_for(&one(row_text("1", t, ",\"Attributes\":[]")), 42), m("row.0")),
        (
            body_for(&one(row_text("1", t, ",\"Attributes\":{\"b\":1,\"a\":2}")), 42),
            m("row.0"),
        ),
        (
            body_for(&one(row_text("1", t, ",\"Attributes\":{\"a\":null}")), 42),
            m("row.0"),
        ),
        (
            body_for(&one(row_text("1", t, ",\"Attributes\":{\"a\":1.5}")), 42),
            m("row.0"),
        ),
        (
            body_for(&one(row_text("1", t, ",\"Attributes\":{\"a\":{}}")), 42),
            m("data"),
        ),
        (
            body_for(
                &one(row_text("1", t, "").replace("2025-02-13T08:06:44Z", "2025-02-30T08:06:44Z")),
                42,
            ),
            m("row.0"),
        ),
        (
            body_for(
                &one(row_text("1", t, "").replace(
                    "\"Name\":\"n\",\"ProductVersion\":\"1\"",
                    "\"ProductVersion\":\"1\",\"Name\":\"n\"",
                )),
                42,
            ),
            m("row.0"),
        ),
        (
            body_for(&one(row_text("1", t, "").replace("\"Name\":\"n\"", "\"Name\":1")), 42),
            m("row.0"),
        ),
        (
            body_for(
                &format!(r#"{{"dataRows":[{},{}]}}"#, row_text("2", t, ""), row_text("1", t, "")),
                42,
            ),
            m("row.1"),
        ),
        (
            body_for(
                &format!(r#"{{"dataRows":[{},{}]}}"#, row_text("2", t, ""), row_text("2", t, "")),
                42,
            ),
            m("row.1"),
        ),
        (
            body_for(
                &format!(
                    r#"{{"dataRows":[{},{}]}}"#,
                    row_text("1", t, ""),
                    row_text("2", "AAAA-B5B6-32P4-DDL7", "")
                ),
                42,
            ),
            m("row.1"),
        ),
        (
            body_for(&format!(r#"{{"dataRows":[{},7]}}"#, row_text("1", t, "")), 42),
            m("row.1"),
        ),
        (
            body_for(&one(row_text("1", t, &big_attr)), 42),
            Err(PayloadError::TooLarge),
        ),
        (
            body_for(&one(row_text("1", t, &over_attr)), 42),
            Err(PayloadError::TooLarge),
        ),
        (
            body_for(
                &one(row_text("1", t, &over_attr).replace(",\"Name\"", ", \"Name\"")),
                42,
            ),
            Err(PayloadError::TooLarge),
        ),
        (
            body_for(&one(row_text("1", t, &format!(r#","Attributes":{{{many_keys}}}"#))), 42),
            Err(PayloadError::TooLarge),
        ),
        (
            body(&"A".repeat(MAX_DATA_ENCODED + 4), 42, &hash, "123456"),
            Err(PayloadError::TooLarge),
        ),
        (
            format!("{}{}", good, " ".repeat(MAX_BODY_BYTES)),
            Err(PayloadError::TooLarge),
        ),
        // Accepted edge cases.
        (body_for(&one(row_text("0", t, "")), 42), Ok(())),
        (
            body_for(&one(row_text("18446744073709551615", t, ",\"Attributes\":{}")), 42),
            Ok(()),
        ),
        (
            body_for(
                &one(row_text(
                    "1",
                    t,
                    ",\"Attributes\":{\"a\":-1,\"b\":true,\"c\":\"\\u0001\"}",
                )),
                42,
            ),
            Ok(()),
        ),
        (body_for(&one(row_text("1", t, &fits_attr)), 42), Ok(())),
        (
            body_for(&format!(r#"{{"dataRows":[{}]}}"#, rows500.join(",")), 42),
            Ok(()),
        ),
        (body_for(&good_data, i64::MAX as u64), Ok(())),
        (body(&enc, 42, &"0".repeat(40), "000000"), Ok(())),
    ];
    for (i, (input, expected)) in table.iter().enumerate() {
        let got = decode(input).map(|_| ());
        assert_eq!(
            &got,
            expected,
            "case {i}: {}",
            input.chars().take(200).collect::<String>()
        );
    }
}

/// Hostile bodies, each built for a size `n`, with what [`decode`] must say about them.
fn hostile_bodies(n: usize) -> Vec<(String, Result<(), PayloadError>)> {
    let keys = |n: usize, value: &str| -> String {
        (0..n)
            .map(|i| format!(r#""k{i}":{value}"#))
            .collect::<Vec<_>>()
            .join(",")
    };
    vec![
        (format!("{{{}}}", keys(n, r#""v""#)), m("key-order")),
        ("[".repeat(n), m("json")),
        ("{\"a\":".repeat(n), m("json")),
        (body_for(&format!("{}{}", "[".repeat(n), "]".repeat(n)), 1), m("data")),
        (
            body_for(&format!(r#"{{"dataRows":[{{{}}}]}}"#, keys(n, "1")), 1),
            Err(PayloadError::TooLarge),
        ),
        (body_for(&format!("{{{}}}", keys(n, "1")), 1), m("data")),
        (
            body_for(&format!(r#"{{"dataRows":[{}]}}"#, vec!["1"; n].join(",")), 1),
            m("rows"),
        ),
    ]
}

#[test]
fn decode_rejects_hostile_shapes_in_linear_work() {
    // Deep nesting, unbalanced brackets and thousands of keys: each rejected with its code, and
    // the work at 8n is about 8 times the work at n (the key check alone would be quadratic).
    for (body, expected) in hostile_bodies(5_000) {
        assert_eq!(verdict(&body), expected, "{}", &body[..body.len().min(80)]);
    }
    let shapes = hostile_bodies(1).len();
    for k in 0..shapes {
        crate::work::assert_linear(&format!("hostile body {k}"), 500, 1.5, |n| {
            let _ = decode(&hostile_bodies(n)[k].0);
        });
    }
    for cut in [1, 10, 100, 200] {
        let good = body_for(&data_json(&rows(3)), 7);
        let _ = decode(&good[..good.len() - cut]);
        let _ = decode(&good[cut..]);
    }
}

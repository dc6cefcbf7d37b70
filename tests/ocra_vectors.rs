//! OCRA against RFC 6287 Appendix C and against vectors made by an outside implementation (`oath`).

use owly_core::otp::{self, OcraError, OWLY_SUITE};
use serde_json::Value;

fn unhex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd hex length");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn vectors() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/ocra-owly.json");
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path} is missing ({e}): run tests/vectors/make_ocra_vectors.py"));
    serde_json::from_str(&text).expect("vectors are JSON")
}

#[test]
fn rfc_6287_appendix_c_one_way_sha1() {
    // Appendix C.1, "OCRA-1:HOTP-SHA1-6:QN08", 20-byte key "12345678901234567890".
    let key = unhex("3132333435363738393031323334353637383930");
    let expected = [
        "237653", "243178", "653583", "740991", "608993", "388898", "816933", "224598", "750600", "294470",
    ];
    for (i, otp) in expected.iter().enumerate() {
        let question = i.to_string().repeat(8);
        assert_eq!(
            otp::ocra("OCRA-1:HOTP-SHA1-6:QN08", &key, None, &question, None, None, None).as_deref(),
            Ok(*otp)
        );
    }
}

#[test]
fn rfc_6287_sha256_and_sha512_suites_are_reported_unsupported() {
    let key = unhex("3132333435363738393031323334353637383930313233343536373839303132");
    for suite in [
        "OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1",
        "OCRA-1:HOTP-SHA512-8:QN08-T1M",
        "OCRA-1:HOTP-SHA256-8:QA08",
    ] {
        assert_eq!(
            otp::ocra(suite, &key, None, "00000000", None, None, None),
            Err(OcraError::Unsupported),
            "{suite}"
        );
    }
}

#[test]
fn owly_suite_matches_oath() {
    let doc = vectors();
    assert_eq!(doc["owly_suite"], OWLY_SUITE);
    let list = doc["owly"].as_array().expect("owly vectors");
    assert!(list.len() >= 20, "too few vectors: {}", list.len());
    for v in list {
        let key = unhex(v["secret_hex"].as_str().unwrap());
        let question = v["question"].as_str().unwrap();
        let t = v["t"].as_u64().unwrap();
        let expected = v["otp"].as_str().unwrap();
        assert_eq!(otp::owly_otp(&key, question, t), expected, "{v}");
        assert_eq!(
            otp::ocra(OWLY_SUITE, &key, None, question, None, None, Some(t)).as_deref(),
            Ok(expected)
        );
    }
}

#[test]
fn general_sha1_suites_match_oath() {
    let doc = vectors();
    let list = doc["general"].as_array().expect("general vectors");
    assert!(!list.is_empty());
    for v in list {
        let bytes = |k: &str| v[k].as_str().map(unhex);
        let password = bytes("password_hash_hex");
        let session = bytes("session_hex");
        let got = otp::ocra(
            v["suite"].as_str().unwrap(),
            &bytes("key_hex").unwrap(),
            v["counter"].as_u64(),
            v["question"].as_str().unwrap(),
            password.as_deref(),
            session.as_deref(),
            v["timestamp"].as_u64(),
        );
        assert_eq!(got.as_deref(), Ok(v["otp"].as_str().unwrap()), "{v}");
    }
}

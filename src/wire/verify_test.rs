//! Tests of [`super`]: round trips, the matching step, and everything that must fail.

use super::super::fixtures::*;
use super::super::{body, content_hash, data_json, decode, Decoded, MAX_ROWS};
use super::*;
use crate::{base64, otp};

#[test]
fn round_trips_and_verifies() {
    for n in [1, 2, 17, MAX_ROWS] {
        let data = data_json(&rows(n));
        let enc = base64::encode(data.as_bytes());
        let nonce = 0x5eed_0000_0000_0001 + n as u64;
        let hash = content_hash(nonce, &enc);
        let t = 1_739_434_004;
        let b = body(&enc, nonce, &hash, &otp::owly_otp(SECRET, &hash, t as u64 / 30));
        let d = decode(&b).unwrap();
        assert_eq!(
            d,
            Decoded {
                nonce,
                content_hash: hash.clone(),
                hash_ok: true,
                otp: d.otp.clone(),
                data_json: data.clone(),
                row_count: n as u32,
                tenant: "BWSN-B5B6-32P4-DDL7".into(),
            }
        );
        let v = verify(&b, SECRET, t, 1).unwrap();
        assert_eq!(
            (v.nonce, v.content_hash, v.tenant, v.row_count, v.step_offset),
            (nonce, hash, d.tenant, n as u32, 0)
        );
    }
}

#[test]
fn verify_reports_the_matching_step() {
    let b = body_for(&data_json(&rows(3)), 42);
    let t = 1_739_434_004 - 1_739_434_004 % 30; // start of the step the otp was made for
    assert_eq!(verify(&b, SECRET, t, 1).unwrap().step_offset, 0);
    assert_eq!(verify(&b, SECRET, t + 29, 1).unwrap().step_offset, 0);
    assert_eq!(verify(&b, SECRET, t + 30, 1).unwrap().step_offset, -1);
    assert_eq!(verify(&b, SECRET, t - 1, 1).unwrap().step_offset, 1);
    assert_eq!(verify(&b, SECRET, t + 60, 1), Err(PayloadError::OtpMismatch));
    assert_eq!(verify(&b, SECRET, t + 60, 2).unwrap().step_offset, -2);
    assert_eq!(verify(&b, SECRET, t + 60, 0), Err(PayloadError::OtpMismatch));
    assert_eq!(verify(&b, SECRET, t + 1800, u32::MAX).unwrap().step_offset, -60);
    assert_eq!(verify(&b, SECRET, t + 1830, u32::MAX), Err(PayloadError::OtpMismatch));
    assert_eq!(
        verify(&b, b"0123456789abcdef0124", t, 1),
        Err(PayloadError::OtpMismatch)
    );
    assert_eq!(verify(&b, b"0123456789abcdef012", t, 1), Err(PayloadError::WeakSecret));
    assert_eq!(verify(&b, SECRET, i64::MIN, 1), Err(PayloadError::OtpMismatch));
    assert_eq!(verify(&b, SECRET, i64::MAX, u32::MAX), Err(PayloadError::OtpMismatch));

    let enc = base64::encode(data_json(&rows(1)).as_bytes());
    let wrong = body(&enc, 42, &content_hash(43, &enc), "123456");
    assert!(!decode(&wrong).unwrap().hash_ok);
    assert_eq!(verify(&wrong, SECRET, t, 1), Err(PayloadError::HashMismatch));
    assert_eq!(verify(&wrong, b"short", t, 1), Err(PayloadError::HashMismatch));
}

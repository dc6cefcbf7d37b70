//! Tests of [`super`]: the status table, the host's limits, backoff and `Retry-After`.

use super::*;

#[test]
fn classifies_statuses_as_the_brief_says() {
    let table: &[(u16, Outcome)] = &[
        (200, Outcome::Delivered),
        (204, Outcome::Delivered),
        (408, Outcome::Retry),
        (425, Outcome::Retry),
        (429, Outcome::Retry),
        (500, Outcome::Retry),
        (503, Outcome::Retry),
        (599, Outcome::Retry),
        (501, Outcome::Failed(FailReason::NotSupported)),
        (505, Outcome::Failed(FailReason::NotSupported)),
        (400, Outcome::Failed(FailReason::ClientError)),
        (401, Outcome::Failed(FailReason::ClientError)),
        (409, Outcome::Failed(FailReason::NonceConflict)),
        (301, Outcome::Failed(FailReason::Redirect)),
        (100, Outcome::Failed(FailReason::UnexpectedStatus)),
    ];
    for (status, outcome) in table {
        assert_eq!(classify(*status), *outcome, "status {status}");
    }
}

#[test]
fn host_limits_only_lower_the_maxima() {
    let p = Policy::from_limits(&Limits {
        max_batch_rows: 10_000,
        max_payload_bytes: 1_000,
        lease_ms: u32::MAX,
        retry_cap_ms: 1_000,
        ..Limits::default()
    });
    assert_eq!(p.batch_rows(), 500);
    assert_eq!(p.payload_bytes(), 1_000);
    assert_eq!(p.row_bytes(), 4096);
    assert_eq!(p.batches_per_flush(), 100);
    assert_eq!(p.lease_ms(), 3_600_000);
    assert_eq!(p.retry_cap_ms(), 1_000);
    assert_eq!(Policy::from_limits(&Limits::default()), Policy::default());
    let d = Policy::default();
    assert_eq!(
        (d.lease_ms(), d.retry_base_ms(), d.retry_cap_ms()),
        (300_000, 30_000, 21_600_000)
    );
}

#[test]
fn backoff_doubles_with_equal_jitter_up_to_the_cap() {
    let p = Policy::default();
    // attempts 0: 30 s → [15 s, 30 s]; the random value picks the point.
    assert_eq!(p.retry_delay_ms(0, None, 0, || Some(0)), 15_000);
    assert_eq!(p.retry_delay_ms(0, None, 0, || Some(15_000)), 30_000);
    assert_eq!(p.retry_delay_ms(3, None, 0, || Some(0)), 120_000);
    assert_eq!(p.retry_delay_ms(40, None, 0, || Some(0)), 21_600_000 / 2);
    assert_eq!(
        p.retry_delay_ms(0, None, 0, || None),
        15_000 + u64::from(u32::MAX) % 15_001
    );
    // A valid Retry-After wins and never asks for randomness; an invalid one falls back.
    let never = || -> Option<u32> { panic!("Retry-After must not draw entropy") };
    assert_eq!(p.retry_delay_ms(0, Some("120"), 0, never), 120_000);
    assert_eq!(p.retry_delay_ms(0, Some("999999999"), 0, never), 21_600_000);
    assert_eq!(p.retry_delay_ms(0, Some("soon"), 0, || Some(0)), 15_000);
}

#[test]
fn parses_retry_after() {
    // 1994-11-06T08:49:37Z
    let date = 784_111_777_000i64;
    let table: &[(&str, i64, Option<u64>)] = &[
        ("120", 0, Some(120_000)),
        ("0", 0, Some(0)),
        (" 5\t", 0, Some(5_000)),
        ("007", 0, Some(7_000)),
        ("99999999999999999999999", 0, Some(u64::MAX)),
        ("Sun, 06 Nov 1994 08:49:37 GMT", date - 1_500, Some(1_500)),
        ("Sun, 06 Nov 1994 08:49:37 GMT", date + 1, Some(0)),
        ("Sun, 06 Nov 1994 08:49:37 GMT", date, Some(0)),
        ("Sunday, 06-Nov-94 08:49:37 GMT", date - 1_000, Some(1_000)),
        ("Sun Nov  6 08:49:37 1994", date - 2_000, Some(2_000)),
        ("Sun Nov 16 08:49:37 1994", date, Some(10 * 86_400_000)),
        ("Wed, 31 Dec 2025 23:59:60 GMT", 1_767_225_600_000, Some(0)),
        ("Thu, 01 Jan 2026 00:00:10 GMT", 1_767_225_600_000, Some(10_000)),
        // RFC 850 two-digit years: more than 50 years ahead means the past century.
        ("Thursday, 01-Jan-26 00:00:10 GMT", 1_767_225_600_000, Some(10_000)),
        ("Friday, 01-Jan-99 00:00:00 GMT", 1_767_225_600_000, Some(0)),
        ("", 0, None),
        ("-1", 0, None),
        ("1.5", 0, None),
        ("12 s", 0, None),
        ("soon", 0, None),
        ("Sun, 06 Nov 1994 08:49:37 UTC", 0, None),
        ("Sun, 06 Nov 1994 08:49:37 gmt", 0, None),
        ("Sun, 6 Nov 1994 08:49:37 GMT", 0, None),
        ("Sun, 31 Nov 1994 08:49:37 GMT", 0, None),
        ("Sun, 06 Nov 1994 24:49:37 GMT", 0, None),
        ("Sun, 06 Nov 1994 08:49:37 GMT extra", 0, None),
        ("Xyz, 06 Nov 1994 08:49:37 GMT", 0, None),
        ("Sun, 06 Foo 1994 08:49:37 GMT", 0, None),
        ("Sunday, 06-Nov-1994 08:49:37 GMT", 0, None),
        ("Sun Nov 6 08:49:37 1994", 0, None),
        ("Sun Nov  6 08:49:37 1994 ", date - 2_000, Some(2_000)),
        ("１２０", 0, None),
    ];
    for &(value, now, expected) in table {
        assert_eq!(parse_retry_after(value, now), expected, "{value:?}");
    }
}

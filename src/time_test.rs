//! Tests of [`super`]: RFC 3339 both ways and the three HTTP date forms.

use super::*;

#[test]
fn formats_rfc3339() {
    let table: &[(i64, &str)] = &[
        (0, "1970-01-01T00:00:00Z"),
        (-1, "1969-12-31T23:59:59Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (1_739_434_004, "2025-02-13T08:06:44Z"),
        (2_147_483_648, "2038-01-19T03:14:08Z"),
        (4_107_542_400, "2100-03-01T00:00:00Z"),
        (-11_670_955_200, "1600-02-29T12:00:00Z"),
        (-62_135_596_800, "0001-01-01T00:00:00Z"),
        (MIN_RFC3339, "0000-01-01T00:00:00Z"),
        (MAX_RFC3339, "9999-12-31T23:59:59Z"),
        // Out of RFC 3339's range: clamped, never garbage.
        (MIN_RFC3339 - 1, "0000-01-01T00:00:00Z"),
        (MAX_RFC3339 + 1, "9999-12-31T23:59:59Z"),
        (i64::MIN, "0000-01-01T00:00:00Z"),
        (i64::MAX, "9999-12-31T23:59:59Z"),
    ];
    for &(t, text) in table {
        assert_eq!(rfc3339(t), text, "{t}");
        assert_eq!(parse_rfc3339(text), Some(t.clamp(MIN_RFC3339, MAX_RFC3339)), "{text}");
    }
    let mut t = MIN_RFC3339;
    while t < MAX_RFC3339 {
        assert_eq!(parse_rfc3339(&rfc3339(t)), Some(t));
        t += 86_399 * 37 + 13;
    }
}

#[test]
fn parses_only_the_exact_rfc3339_form() {
    for bad in [
        "",
        "2025-02-13T08:06:44",
        "2025-02-13t08:06:44Z",
        "2025-02-13T08:06:44z",
        "2025-02-13 08:06:44Z",
        "2025-02-13T08:06:44+00:00",
        "2025-02-13T08:06:44.0Z",
        "2025-02-29T00:00:00Z",
        "2100-02-29T00:00:00Z",
        "2025-13-01T00:00:00Z",
        "2025-00-01T00:00:00Z",
        "2025-01-00T00:00:00Z",
        "2025-04-31T00:00:00Z",
        "2025-01-01T24:00:00Z",
        "2025-01-01T00:60:00Z",
        "2016-12-31T23:59:60Z",
        "+025-01-01T00:00:00Z",
        "-025-01-01T00:00:00Z",
        "2025-1-01T00:00:00Z ",
        "２025-01-01T00:00:00Z",
    ] {
        assert_eq!(parse_rfc3339(bad), None, "{bad:?}");
    }
}

#[test]
fn parses_the_three_http_date_forms() {
    // 1994-11-06T08:49:37Z
    let t = 784_111_777;
    let table: &[(&str, i64, Option<i64>)] = &[
        ("Sun, 06 Nov 1994 08:49:37 GMT", 2025, Some(t)),
        ("Sunday, 06-Nov-94 08:49:37 GMT", 2025, Some(t)),
        ("Sun Nov  6 08:49:37 1994", 2025, Some(t)),
        ("Sun Nov 16 08:49:37 1994", 2025, Some(t + 10 * 86_400)),
        // A leap second is the first second of the next minute.
        ("Wed, 31 Dec 2025 23:59:60 GMT", 2025, Some(1_767_225_600)),
        // RFC 850 two-digit years: more than 50 years ahead means the past century.
        ("Thursday, 01-Jan-26 00:00:10 GMT", 2026, Some(1_767_225_610)),
        ("Friday, 01-Jan-99 00:00:00 GMT", 2026, Some(915_148_800)),
        ("Sun, 06 Nov 1994 08:49:37 UTC", 2025, None),
        ("Sun, 06 Nov 1994 08:49:37 gmt", 2025, None),
        ("Sun, 6 Nov 1994 08:49:37 GMT", 2025, None),
        ("Sun, 31 Nov 1994 08:49:37 GMT", 2025, None),
        ("Sun, 06 Nov 1994 24:49:37 GMT", 2025, None),
        ("Xyz, 06 Nov 1994 08:49:37 GMT", 2025, None),
        ("Sunday, 06-Nov-1994 08:49:37 GMT", 2025, None),
        ("Sun Nov 6 08:49:37 1994", 2025, None),
    ];
    for &(text, year, expected) in table {
        assert_eq!(parse_http_date(text, year), expected, "{text:?}");
    }
    assert_eq!(year_of_ms(1_767_225_599_999), 2025);
    assert_eq!(year_of_ms(1_767_225_600_000), 2026);
}

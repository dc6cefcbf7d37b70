//! Tests of the PII filter: a case per rule (and the values that must never fire), integer
//! rules, and that scanning grows linearly with the input.

use super::*;
use crate::reason::Rule;

/// Text cases: input, expected rule (None: must not fire).
const TEXT_CASES: &[(&str, Option<&str>)] = &[
    // legitimate values never fire
    ("csv", None),
    ("xlsx", None),
    ("propertyentry", None),
    ("customfieldvalue", None),
    ("customfieldoption", None),
    ("ao_60db71_issue", None),
    ("os_currentstep", None),
    ("mode_changed", None),
    ("9.12.15", None),
    ("0.9.9-b301041", None),
    ("owly.export.finished", None),
    ("owly.secret.feature", None),
    ("2025-02-13", None),
    ("", None),
    // control and invisible
    ("dashboard\u{0}evil", Some("@control")),
    ("csv\u{7f}", Some("@control")),
    ("csv\u{85}", Some("@control")),
    ("c\u{200B}sv", Some("@invisible")),
    ("\u{FEFF}csv", Some("@invisible")),
    ("csv\u{202E}", Some("@invisible")),
    ("\u{2066}csv\u{2069}", Some("@invisible")),
    // keys and tokens
    ("-----BEGIN RSA PRIVATE KEY-----", Some("@pemkey")),
    ("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.abc", Some("@jwt")),
    ("Bearer abcdef0123456789", Some("@bearer")),
    ("basic dXNlcjpwYXNzd29yZA==", Some("@bearer")),
    ("AKIAIOSFODNN7EXAMPLE", Some("@api-key")),
    ("ghp_abcdefghijklmnopqrstuvwxyz0123456789", Some("@api-key")),
    ("xoxb-1234-5678-abcdefgh", Some("@api-key")),
    ("ATATT3xFfGF0abcdefghijklmnopqrstuvwxyz", Some("@api-key")),
    ("AIzaSyA-abcdefghijklmnopqrstuvwxyz012345", Some("@api-key")),
    ("glpat-abcdefghijklmnopqrst", Some("@api-key")),
    // credentials, URLs, e-mail
    ("svc-account:hunter2@host", Some("@urlauth")),
    ("https://admin:s3cret@jira.example.com", Some("@urlauth")),
    ("https://jira.example.com/browse/ABC-1", Some("@url")),
    ("ftp://files", Some("@url")),
    ("www.example.org", Some("@url")),
    ("jane.doe@example.com", Some("@email")),
    ("JOHN.SMITH@EXAMPLE.ORG", Some("@email")),
    ("jane+tag@example.co.uk", Some("@email")),
    ("@jdoe", Some("@email")),
    ("mailto:jane@example.com", Some("@email")),
    ("jane.doe%40example.com", Some("@email")),
    ("jane.doe(at)example(dot)com", Some("@email")),
    ("jane.doe [at] example [dot] com", Some("@email")),
    ("jane dot doe at example dot com", Some("@email")),
    ("jane.doe＠example.com", Some("@email")),
    ("ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", Some("@email")),
    ("amFuZS5kb2VAZXhhbXBsZS5jb20=", Some("@email")),
    ("amFuZS5kb2VAZXhhbXBsZS5jb20", Some("@email")),
    // account ids and user keys
    ("5b10ac8d82e05b22cc7d4ef5", Some("@account-id")),
    ("557058:f58131cb-b67d-43c7-b30d-6b58d40bd077", Some("@account-id")),
    ("JIRAUSER10100", Some("@account-id")),
    ("jirauser10100", Some("@account-id")),
    ("ID10001", Some("@account-id")),
    ("f58131cb-b67d-43c7-b30d-6b58d40bd077", Some("@uuid")),
    // numbers
    ("DE89370400440532013000", Some("@iban")),
    ("GB82 WEST 1234 5698 7654 32", Some("@iban")),
    ("4111111111111111", Some("@creditcard")),
    ("4111 1111 1111 1111", Some("@creditcard")),
    ("4111-1111-1111-1111", Some("@creditcard")),
    ("123-45-6789", Some("@usssn")),
    ("10.20.30.40", Some("@ip")),
    ("10.0.0.1:8080", Some("@ip")),
    ("2001:db8::8a2e:370:7334", Some("@ip")),
    ("[2001:db8::1]:443", Some("@ip")),
    ("::ffff:192.0.2.1", Some("@ip")),
    ("fe80:0:0:0:200:f8ff:fe21:67cf", Some("@ip")),
    ("+1 (555) 010-9999", Some("@phone")),
    ("+49 30 1234567", Some("@phone")),
    ("(555) 010-9999", Some("@phone")),
    ("555-010-9999", Some("@phone")),
    ("5550109999", Some("@phone")),
    ("1234567890123456789012", Some("@long-number")),
    ("PROJ-1234", Some("@issue-key")),
    ("proj-1234", Some("@issue-key")),
    ("see ABC_2-17 now", Some("@issue-key")),
    ("<script>alert(1)</script>", Some("@markup")),
    // paths
    ("/home/jdoe/.ssh/id_rsa", Some("@userpath")),
    ("~/exports", Some("@userpath")),
    ("C:\\Users\\jdoe", Some("@userpath")),
    ("\\\\fileserver\\share", Some("@userpath")),
    ("C:/Users/jdoe", Some("@userpath")),
    ("exports/jdoe/out", Some("@userpath")),
    // hosts, entropy, text, look-alikes
    ("jira.example.com", Some("@hostname")),
    ("build01.corp", Some("@hostname")),
    ("confluence.acme.de", Some("@hostname")),
    ("Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA", Some("@high-entropy")),
    ("aB3dE5gH7jK9mN1pQ3sT5vW7", Some("@high-entropy")),
    ("d41d8cd98f00b204e9800998ecf8427e", Some("@high-entropy")),
    ("could not export for customer Acme Corp", Some("@free-text")),
    (" csv", Some("@free-text")),
    ("csv ", Some("@free-text")),
    ("\u{0441}sv", Some("@non-ascii")),
    ("ｃｓｖ", Some("@non-ascii")),
    ("café", Some("@non-ascii")),
];

#[test]
fn text_rules_fire_as_expected() {
    let mut failures = Vec::new();
    for (input, expected) in TEXT_CASES {
        let got = scan_text(input).map(Rule::id);
        if got != *expected {
            failures.push(format!("{input:?}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn integer_rules_fire_as_expected() {
    let table: &[(i64, Option<&str>)] = &[
        (0, None),
        (5400, None),
        (120_345, None),
        (86_400_000, None),
        (999_999_999, None),
        (-5, None),
        (4_111_111_111_111_111, Some("@creditcard")),
        (-4_111_111_111_111_111, Some("@creditcard")),
        (5_555_555_555_554_444, Some("@creditcard")),
        (4_111_111_111_111_112, Some("@long-number")),
        (i64::MAX, Some("@long-number")),
        (i64::MIN, Some("@long-number")),
        (5_550_109_999, Some("@phone")),
        (1_000_000_000, Some("@phone")),
        (491_701_234_567, Some("@phone")),
    ];
    for (input, expected) in table {
        assert_eq!(scan_integer(*input).map(Rule::id), *expected, "{input}");
    }
}

#[test]
fn key_prefixes_start_with_a_filtered_byte() {
    for (prefix, _, _) in KEY_PREFIXES {
        assert!(b"Agxsrn".contains(&prefix[0]), "{prefix:?}");
    }
}

#[test]
fn every_detector_has_a_positive_case() {
    let rules = STRONG.iter().chain(WEAK).map(|(rule, _)| *rule).chain([Rule::NonAscii]);
    for rule in rules {
        assert!(rule.is_filter(), "{rule:?} is not a filter rule");
        assert!(
            TEXT_CASES.iter().any(|(_, r)| *r == Some(rule.id())),
            "{} has no positive case",
            rule.id()
        );
    }
}

/// Hostile shapes of text, each built for a length `n`: repeated near-misses of many detectors,
/// long runs, nested encodings.
fn hostile_texts(n: usize) -> Vec<String> {
    vec![
        "a1".repeat(n) + "@" + &"9".repeat(n) + &" .-:/".repeat(n / 4),
        "QUJD".repeat(n),
        "%4".repeat(n),
        " (at) ".repeat(n / 4),
        "1-".repeat(n),
        "1.".repeat(n),
        ":a".repeat(n),
        "A".repeat(n),
        "a-".repeat(n),
        "eyJ".repeat(n),
        "bearer ".repeat(n / 4),
        "+1 ".repeat(n),
        "DE89 ".repeat(n / 2),
        "/a".repeat(n),
        "a.".repeat(n),
    ]
}

#[test]
fn scanning_work_grows_linearly_with_the_input() {
    // Each text once at n and at 8n: the step count may grow 8x (times a small slack for
    // boundaries), never 64x as a quadratic scan would.
    let shapes = hostile_texts(16).len();
    for k in 0..shapes {
        crate::work::assert_linear(&format!("hostile text {k}"), 400, 1.5, |n| {
            let text = &hostile_texts(n)[k];
            let _ = scan_text(text);
        });
    }
}

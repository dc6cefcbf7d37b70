//! The PII filter against the public cases and our extra cases, plus rule coverage.

mod common;

use std::collections::BTreeSet;

use common::{load_cases, Case};
use owly_core::catalog::{ValueKind, CATALOG};
use owly_core::pii::{scan_integer, scan_text};
use owly_core::reason::Rule;
use owly_core::schema::{check_event, check_stored, Rejection};

const PUBLIC_CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pii/public-cases.jsonl");
const EXTRA_CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/pii/extra-cases.jsonl");

/// Runs one case; returns the rule it was rejected with, or an error message.
fn run_case(case: &Case) -> Result<Option<Rule>, String> {
    let verdict = check_event(&case.event_text);
    match (&verdict, case.accept) {
        (Ok(_), true) => Ok(None),
        (Err(r), true) => Err(format!("{}: expected accept, got {r:?}", case.id)),
        (Ok(row), false) => {
            // Accepted only by design (bucketing), which a case allows by naming what must not be
            // stored: the row must hold none of the needles. A reject case without needles, or
            // with an expected rule, must be rejected.
            let stored = format!("{} {}", row.name, row.attributes).to_lowercase();
            match case.needles.iter().find(|n| stored.contains(n.as_str())) {
                Some(_) => Err(format!("{}: accepted with content: {row:?}", case.id)),
                None if case.rule.is_some() => Err(format!("{}: expected {:?}, accepted {row:?}", case.id, case.rule)),
                None if case.needles.is_empty() => Err(format!("{}: must be rejected, accepted {row:?}", case.id)),
                None => Ok(None),
            }
        }
        (Err(r), false) => {
            check_rejection_shape(r).map_err(|e| format!("{}: {e}", case.id))?;
            match &case.rule {
                Some(expected) if expected != r.rule.id() => {
                    Err(format!("{}: expected {expected}, got {r:?}", case.id))
                }
                _ => Ok(Some(r.rule)),
            }
        }
    }
}

/// A rejection names a listed rule and a field from the fixed vocabulary, never content.
fn check_rejection_shape(r: &Rejection) -> Result<(), String> {
    if !r.rule.is_filter() {
        return Err(format!("rule {} is not a filter rule", r.rule.id()));
    }
    let known_key = |key: &str| CATALOG.iter().any(|spec| spec.attribute(key).is_some());
    let ok = matches!(r.field.as_str(), "event" | "name" | "attributes")
        || r.field.strip_prefix("attributes.").is_some_and(known_key);
    if ok {
        Ok(())
    } else {
        Err(format!("field {:?} is not in the vocabulary", r.field))
    }
}

fn run_file(path: &str, fired: &mut BTreeSet<Rule>) -> usize {
    let cases = load_cases(path);
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| match run_case(case) {
            Ok(rule) => {
                fired.extend(rule);
                None
            }
            Err(e) => Some(e),
        })
        .collect();
    assert!(failures.is_empty(), "{path}:\n{}", failures.join("\n"));
    cases.len()
}

#[test]
fn public_cases_all_pass() {
    let n = run_file(PUBLIC_CASES, &mut BTreeSet::new());
    assert!(n >= 20, "only {n} public cases");
}

#[test]
fn extra_cases_all_pass_with_the_expected_rule() {
    let n = run_file(EXTRA_CASES, &mut BTreeSet::new());
    assert!(n >= 40, "only {n} extra cases");
}

/// Inputs that cannot be written as a case-file `event` object: raw text, expected rule.
fn raw_cases() -> Vec<(String, &'static str)> {
    vec![
        (
            format!(r#"{{"name":"owly.view.dashboard","pad":"{}"}}"#, "a".repeat(9000)),
            "@oversized",
        ),
        (r#"{"name":"owly.view.dashboard""#.into(), "json.malformed"),
        ("".into(), "json.malformed"),
        (r#"{"name":"owly.view.dashboard"}{}"#.into(), "json.malformed"),
        (
            r#"{"name":"owly.view.dashboard","name":"owly.view.export"}"#.into(),
            "json.duplicate-key",
        ),
        (
            r#"{"name":"owly.export.failed","attributes":{"reason":"timeout","reason":"jane@example.com"}}"#.into(),
            "json.duplicate-key",
        ),
        (
            r#"{"name":"owly.export.finished","attributes":{"format":[[["csv"]]]}}"#.into(),
            "json.too-deep",
        ),
        (
            r#"{"name":"owly.view.dashboard","user":"jdoe"}"#.into(),
            "schema.unknown-field",
        ),
        (r#"{"attributes":{}}"#.into(), "schema.missing-name"),
        (r#""owly.view.dashboard""#.into(), "schema.wrong-type"),
        (
            r#"{"name":"owly.export.failed","attributes":{"reason":"time\u0000out"}}"#.into(),
            "@control",
        ),
    ]
}

#[test]
fn raw_text_cases_are_rejected_with_the_expected_rule() {
    for (text, rule) in raw_cases() {
        let r = check_event(&text).expect_err(rule);
        assert_eq!(r.rule.id(), rule, "{}", &text[..text.len().min(80)]);
        check_rejection_shape(&r).unwrap();
    }
}

#[test]
fn every_rule_is_exercised_by_some_test() {
    let mut fired = BTreeSet::new();
    run_file(PUBLIC_CASES, &mut fired);
    run_file(EXTRA_CASES, &mut fired);
    for (text, _) in raw_cases() {
        fired.insert(check_event(&text).unwrap_err().rule);
    }
    // Only reachable through stored rows.
    let edited = check_stored("owly.export.finished", r#"{"rows":1,"format":"csv"}"#).unwrap_err();
    assert_eq!(
        edited,
        Rejection {
            rule: Rule::NotCanonical,
            field: "attributes".into()
        }
    );
    fired.insert(edited.rule);
    let missing: Vec<_> = Rule::ALL
        .iter()
        .filter(|r| r.is_filter() && !fired.contains(r))
        .map(|r| r.id())
        .collect();
    assert!(missing.is_empty(), "rules never exercised: {missing:?}");
}

#[test]
fn catalogue_values_trip_no_detector_and_round_trip() {
    for spec in CATALOG {
        assert_eq!(scan_text(spec.prefix()), None, "{}", spec.name);
        let names: Vec<String> = match spec.segment {
            Some(values) => values.iter().map(|v| format!("{}{v}", spec.prefix())).collect(),
            None => vec![spec.name.to_string()],
        };
        for value in spec.segment.unwrap_or(&[]) {
            assert_eq!(scan_text(value), None, "{value}");
        }
        let mut attributes = serde_json::Map::new();
        for attr in spec.attributes {
            assert_eq!(scan_text(attr.name), None, "{}", attr.name);
            match attr.kind {
                ValueKind::OneOf(values) => {
                    for v in values {
                        assert_eq!(scan_text(v), None, "{v}");
                    }
                    attributes.insert(attr.name.into(), values[0].into());
                }
                ValueKind::Integer { min, max } => {
                    assert_eq!((scan_integer(min), scan_integer(max)), (None, None), "{}", attr.name);
                    attributes.insert(attr.name.into(), max.into());
                }
                ValueKind::Boolean => {
                    attributes.insert(attr.name.into(), true.into());
                }
            }
        }
        for name in names {
            let event = serde_json::json!({ "name": name, "attributes": attributes });
            let accepted = check_event(&event.to_string()).unwrap_or_else(|r| panic!("{name}: {r:?}"));
            assert_eq!(accepted.name, name);
            assert_eq!(check_stored(&accepted.name, &accepted.attributes), Ok(()), "{name}");
        }
    }
}

//! Event validation against the catalogue, fail closed: JSON text in, canonical accepted event out.
//!
//! Order of checks: size cap before parsing, strict JSON ([`crate::json`]), top-level shape,
//! name (family, then segment), attributes (count, key length, known key, type, value). A
//! rejection names one [`Rule`] and where it fired, never the content.
//! Where a value is rejected anyway, the PII detectors run first so that the rule tells *why*
//! (`@email` rather than `schema.not-allowed`); values that are exactly allowed skip them, since
//! catalogue values are verified once, by test, to trip no detector.

use crate::catalog::{self, AttributeSpec, EventSpec, ValueKind};
use crate::json::{self, JsonError, Value};
use crate::pii;
use crate::reason::Rule;
use std::borrow::Cow;

/// Events longer than this are rejected before parsing (`@oversized`).
pub const MAX_EVENT_BYTES: usize = 8 * 1024;
/// A stored row's name and attributes together may not exceed this (`@oversized`).
pub const MAX_STORED_BYTES: usize = 4 * 1024;
/// Longest accepted event name, in bytes.
pub const MAX_NAME_BYTES: usize = 128;
/// Most attributes an event may carry.
pub const MAX_ATTRIBUTES: usize = 16;
/// Longest accepted attribute key, in bytes.
pub const MAX_KEY_BYTES: usize = 64;
/// Longest string value the detectors look at; longer ones are `schema.value-too-long`.
pub const MAX_VALUE_BYTES: usize = 1024;
/// Event → attributes → value is depth 2; a little slack so that nested values are reported
/// as `schema.wrong-type` rather than as a JSON error.
const MAX_EVENT_DEPTH: usize = 4;

/// An event that passed every check: canonical name and attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    /// The catalogue name as stored, e.g. `owly.export.tables.other` for a bucketed table.
    pub name: String,
    /// Canonical compact JSON object, keys sorted, e.g. `{"duration_ms":5400,"format":"csv"}`;
    /// `""` when the event declares no attributes, `{}` when it declares some but none were given.
    pub attributes: String,
}

/// Why an event was rejected: a rule id and where it fired. Never contains content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// The rule that fired.
    pub rule: Rule,
    /// `event`, `name`, `attributes`, or `attributes.<key>` for a catalogue key (unknown keys
    /// are never echoed: they can be personal data themselves).
    pub field: String,
}

impl Rejection {
    pub(crate) fn new(rule: Rule, field: impl Into<String>) -> Self {
        Rejection {
            rule,
            field: field.into(),
        }
    }
}

/// Checks one event given as JSON text, `{"name":"…","attributes":{…}}` (attributes optional).
pub fn check_event(event_json: &str) -> Result<Accepted, Rejection> {
    if event_json.len() > MAX_EVENT_BYTES {
        return Err(Rejection::new(Rule::Oversized, "event"));
    }
    let event = json::parse(event_json, MAX_EVENT_DEPTH).map_err(|e| json_rejection(e, "event"))?;
    let Value::Object(fields) = &event else {
        return Err(Rejection::new(Rule::WrongType, "event"));
    };
    let mut name = None;
    let mut attributes = None;
    for (key, value) in fields {
        match key.as_ref() {
            "name" => name = Some(value),
            "attributes" => attributes = Some(value),
            _ => {
                return Err(Rejection::new(
                    unknown_key_rule(key, value, Rule::UnknownField),
                    "event",
                ))
            }
        }
    }
    let name = match name {
        Some(Value::Str(name)) => name,
        Some(_) => return Err(Rejection::new(Rule::WrongType, "name")),
        None => return Err(Rejection::new(Rule::MissingName, "name")),
    };
    let (spec, name) = resolve_name(name)?;
    let entries: &[(Cow<str>, Value)] = match attributes {
        None => &[],
        Some(Value::Object(entries)) => entries,
        Some(_) => return Err(Rejection::new(Rule::WrongType, "attributes")),
    };
    let attributes = canonical_attributes(spec, entries)?;
    Ok(Accepted { name, attributes })
}

/// Re-validates a row read back from the database (could have been edited): same rules, and
/// the row must be exactly what [`check_event`] would have stored (`schema.not-canonical`).
pub fn check_stored(name: &str, attributes: &str) -> Result<(), Rejection> {
    if name.len() + attributes.len() > MAX_STORED_BYTES {
        return Err(Rejection::new(Rule::Oversized, "event"));
    }
    let (spec, canonical_name) = resolve_name(name)?;
    if canonical_name != name {
        return Err(Rejection::new(Rule::NotCanonical, "name"));
    }
    let canonical = if attributes.is_empty() {
        canonical_attributes(spec, &[])?
    } else {
        // Stored attributes are a flat object: depth 1.
        let parsed = json::parse(attributes, 1).map_err(|e| json_rejection(e, "attributes"))?;
        let Value::Object(entries) = parsed else {
            return Err(Rejection::new(Rule::WrongType, "attributes"));
        };
        canonical_attributes(spec, &entries)?
    };
    if canonical != attributes {
        return Err(Rejection::new(Rule::NotCanonical, "attributes"));
    }
    Ok(())
}

fn json_rejection(error: JsonError, field: &str) -> Rejection {
    let rule = match error {
        JsonError::DuplicateKey => Rule::JsonDuplicateKey,
        JsonError::TooDeep => Rule::JsonTooDeep,
        JsonError::Syntax(_) | JsonError::TrailingData => Rule::JsonMalformed,
    };
    Rejection::new(rule, field)
}

/// Finds the catalogue family of `name` and its canonical form: a known segment in its
/// catalogue spelling, or the bucket for a harmless unknown table.
fn resolve_name(name: &str) -> Result<(&'static EventSpec, String), Rejection> {
    let reject = |rule| Err(Rejection::new(rule, "name"));
    if name.len() > MAX_NAME_BYTES {
        return reject(Rule::NameTooLong);
    }
    let Some((spec, segment)) = catalog::lookup(name) else {
        return reject(pii::scan_text(name).unwrap_or(Rule::UnknownEvent));
    };
    let Some(segment) = segment else {
        return Ok((spec, name.to_string()));
    };
    let allowed = spec.segment.unwrap_or(&[]);
    let known = if spec.segment_ignores_case() {
        allowed.iter().find(|v| v.eq_ignore_ascii_case(segment))
    } else {
        allowed.iter().find(|v| **v == segment)
    };
    let canonical = |segment: &str| {
        let mut out = String::with_capacity(spec.prefix().len() + segment.len());
        out.push_str(spec.prefix());
        out.push_str(segment);
        out
    };
    if let Some(value) = known {
        return Ok((spec, canonical(value)));
    }
    // Detectors before bucketing: an identifier-like `jirauser10100` must not pass as a table.
    if let Some(rule) = pii::scan_text(segment) {
        return reject(rule);
    }
    match spec.bucket() {
        Some(bucket) if is_plausible_identifier(segment) => Ok((spec, canonical(bucket))),
        _ => reject(Rule::UnknownSegment),
    }
}

/// `[a-z][a-z0-9_]{0,63}` ignoring case: what a database table name looks like. Anything else
/// (dots, dashes, spaces) is rejected rather than bucketed, because it is not a table name.
fn is_plausible_identifier(segment: &str) -> bool {
    let b = segment.as_bytes();
    (1..=64).contains(&b.len())
        && b[0].is_ascii_alphabetic()
        && b.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'_')
}

/// Validates the attributes of an event of `spec` and writes them canonically.
fn canonical_attributes(spec: &EventSpec, entries: &[(Cow<str>, Value)]) -> Result<String, Rejection> {
    if entries.len() > MAX_ATTRIBUTES {
        return Err(Rejection::new(Rule::TooManyAttributes, "attributes"));
    }
    for (key, value) in entries {
        if key.len() > MAX_KEY_BYTES {
            return Err(Rejection::new(Rule::KeyTooLong, "attributes"));
        }
        let Some(attr) = spec.attribute(key) else {
            return Err(Rejection::new(
                unknown_key_rule(key, value, Rule::UnknownAttribute),
                "attributes",
            ));
        };
        if let Err(rule) = check_value(attr, value) {
            let mut field = String::with_capacity(11 + attr.name.len());
            field.push_str("attributes.");
            field.push_str(attr.name);
            return Err(Rejection::new(rule, field));
        }
    }
    if spec.attributes.is_empty() {
        return Ok(String::new()); // every key would have been unknown
    }
    // The catalogue lists attributes sorted by key: walking it gives the canonical order
    // without sorting (and without allocating) here.
    let mut out = String::with_capacity(80);
    out.push('{');
    for attr in spec.attributes {
        if let Some((_, value)) = entries.iter().find(|(k, _)| k == attr.name) {
            if out.len() > 1 {
                out.push(',');
            }
            json::write_str(&mut out, attr.name);
            out.push(':');
            write_value(&mut out, value);
        }
    }
    out.push('}');
    Ok(out)
}

/// The rule for a key the catalogue does not know: a detector on the key or its value if one
/// fires (the more useful answer), else `fallback`.
fn unknown_key_rule(key: &str, value: &Value, fallback: Rule) -> Rule {
    let key_rule = if key.len() <= MAX_KEY_BYTES {
        pii::scan_text(key)
    } else {
        None
    };
    key_rule.or_else(|| detector_for(value)).unwrap_or(fallback)
}

/// A detector verdict on a scalar value, for rejections that would be reported anyway.
fn detector_for(value: &Value) -> Option<Rule> {
    match value {
        Value::Str(s) if s.len() <= MAX_VALUE_BYTES => pii::scan_text(s),
        Value::Int(i) => pii::scan_integer(*i),
        Value::Number(text) => pii::scan_text(text),
        _ => None,
    }
}

/// Checks one value against its attribute's kind; the error is a rule id.
fn check_value(attr: &AttributeSpec, value: &Value) -> Result<(), Rule> {
    match (attr.kind, value) {
        (ValueKind::OneOf(allowed), Value::Str(s)) => {
            // Exact match only: no trimming or case folding, so what is stored is what was sent.
            if allowed.contains(&s.as_ref()) {
                Ok(())
            } else if s.len() > MAX_VALUE_BYTES {
                Err(Rule::ValueTooLong)
            } else {
                Err(pii::scan_text(s).unwrap_or(Rule::NotAllowed))
            }
        }
        (ValueKind::Integer { min, max }, Value::Int(i)) => {
            if let Some(rule) = pii::scan_integer(*i) {
                Err(rule)
            } else if (min..=max).contains(i) {
                Ok(())
            } else {
                Err(Rule::OutOfRange)
            }
        }
        (ValueKind::Boolean, Value::Bool(_)) => Ok(()),
        (_, other) => Err(detector_for(other).unwrap_or(Rule::WrongType)),
    }
}

/// Writes a validated scalar value as compact JSON.
fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Str(s) => json::write_str(out, s),
        Value::Int(i) => json::write_int(out, *i),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        // Unreachable for validated values; fail closed with something that cannot validate.
        _ => out.push_str("null"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(name: &str, attributes: &str) -> Result<Accepted, Rejection> {
        Ok(Accepted {
            name: name.into(),
            attributes: attributes.into(),
        })
    }

    fn rule(id: &str) -> Rule {
        *Rule::ALL.iter().find(|r| r.id() == id).expect("a rule id")
    }

    fn err(id: &str, field: &str) -> Result<Accepted, Rejection> {
        Err(Rejection::new(rule(id), field))
    }

    #[test]
    fn accepts_catalogue_events_canonically() {
        let table: &[(&str, Result<Accepted, Rejection>)] = &[
            (
                r#"{"name":"owly.export.finished","attributes":{"format":"csv","rows":120345,"duration_ms":5400,"tables":3}}"#,
                ok(
                    "owly.export.finished",
                    r#"{"duration_ms":5400,"format":"csv","rows":120345,"tables":3}"#,
                ),
            ),
            (
                r#" { "attributes" : { "rows" : 0 } , "name" : "owly.export.finished" } "#,
                ok("owly.export.finished", r#"{"rows":0}"#),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{}}"#,
                ok("owly.export.finished", "{}"),
            ),
            (r#"{"name":"owly.export.finished"}"#, ok("owly.export.finished", "{}")),
            (
                r#"{"name":"owly.export.tables.propertyentry","attributes":{}}"#,
                ok("owly.export.tables.propertyentry", ""),
            ),
            (
                r#"{"name":"owly.export.tables.propertyentry"}"#,
                ok("owly.export.tables.propertyentry", ""),
            ),
            (
                r#"{"name":"owly.export.tables.JIRAISSUE"}"#,
                ok("owly.export.tables.jiraissue", ""),
            ),
            (
                r#"{"name":"owly.export.tables.ao_60db71_issue"}"#,
                ok("owly.export.tables.other", ""),
            ),
            (
                r#"{"name":"owly.export.tables.AO_60DB71_ISSUE"}"#,
                ok("owly.export.tables.other", ""),
            ),
            (
                r#"{"name":"owly.export.tables.other"}"#,
                ok("owly.export.tables.other", ""),
            ),
            (r#"{"name":"owly.view.dashboard"}"#, ok("owly.view.dashboard", "")),
            (
                r#"{"name":"owly.export.failed","attributes":{"reason":"timeout"}}"#,
                ok("owly.export.failed", r#"{"reason":"timeout"}"#),
            ),
            (
                r#"{"name":"owly.schedule.created","attributes":{"interval":"weekly"}}"#,
                ok("owly.schedule.created", r#"{"interval":"weekly"}"#),
            ),
            (
                r#"{"name":"owly.analytics.mode_changed","attributes":{"mode":"remote"}}"#,
                ok("owly.analytics.mode_changed", r#"{"mode":"remote"}"#),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{"rows":999999999,"duration_ms":86400000,"tables":10000}}"#,
                ok(
                    "owly.export.finished",
                    r#"{"duration_ms":86400000,"rows":999999999,"tables":10000}"#,
                ),
            ),
        ];
        for (input, expected) in table {
            assert_eq!(&check_event(input), expected, "{input}");
        }
    }

    #[test]
    fn rejects_with_rule_and_field() {
        let long_name = format!(r#"{{"name":"owly.view.{}"}}"#, "a".repeat(200));
        let oversized = format!(
            r#"{{"name":"owly.view.dashboard","attributes":{{"x":"{}"}}}}"#,
            "a".repeat(9000)
        );
        let long_value = format!(
            r#"{{"name":"owly.export.failed","attributes":{{"reason":"{}"}}}}"#,
            "a".repeat(5000)
        );
        let long_key = format!(
            r#"{{"name":"owly.export.failed","attributes":{{"{}":1}}}}"#,
            "k".repeat(65)
        );
        let many: Vec<String> = (0..17).map(|i| format!(r#""k{i}":1"#)).collect();
        let too_many = format!(
            r#"{{"name":"owly.export.finished","attributes":{{{}}}}}"#,
            many.join(",")
        );
        let table: Vec<(&str, Result<Accepted, Rejection>)> = vec![
            (&oversized, err("@oversized", "event")),
            ("{", err("json.malformed", "event")),
            (r#"{"name":"owly.view.dashboard"} x"#, err("json.malformed", "event")),
            (
                r#"{"name":"owly.view.dashboard","name":"owly.view.export"}"#,
                err("json.duplicate-key", "event"),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{"format":{"a":{"b":{"c":1}}}}}"#,
                err("json.too-deep", "event"),
            ),
            ("[]", err("schema.wrong-type", "event")),
            (
                r#"{"name":"owly.view.dashboard","user":"jdoe"}"#,
                err("schema.unknown-field", "event"),
            ),
            (
                r#"{"name":"owly.view.dashboard","contact":"jane@example.com"}"#,
                err("@email", "event"),
            ),
            (r#"{"attributes":{}}"#, err("schema.missing-name", "name")),
            (r#"{"name":42}"#, err("schema.wrong-type", "name")),
            (&long_name, err("schema.name-too-long", "name")),
            (r#"{"name":"owly.secret.feature"}"#, err("schema.unknown-event", "name")),
            (r#"{"name":"OWLY.VIEW.DASHBOARD"}"#, err("schema.unknown-event", "name")),
            (
                r#"{"name":"owly.view.Dashboard"}"#,
                err("schema.unknown-segment", "name"),
            ),
            (
                r#"{"name":"owly.view.ao_60db71_issue"}"#,
                err("schema.unknown-segment", "name"),
            ),
            (r#"{"name":"owly.export.tables.PROJ-1234"}"#, err("@issue-key", "name")),
            (
                r#"{"name":"owly.export.tables.jane.doe@example.com"}"#,
                err("@email", "name"),
            ),
            (
                r#"{"name":"owly.export.tables.jirauser10100"}"#,
                err("@account-id", "name"),
            ),
            (
                r#"{"name":"owly.export.tables.9table"}"#,
                err("schema.unknown-segment", "name"),
            ),
            (
                r#"{"name":"owly.export.tables."}"#,
                err("schema.unknown-segment", "name"),
            ),
            (r#"{"name":"owly.view.dashboard\u0000evil"}"#, err("@control", "name")),
            (
                r#"{"name":"owly.view.dashboard","attributes":[]}"#,
                err("schema.wrong-type", "attributes"),
            ),
            (
                r#"{"name":"owly.view.dashboard","attributes":null}"#,
                err("schema.wrong-type", "attributes"),
            ),
            (&too_many, err("schema.too-many-attributes", "attributes")),
            (&long_key, err("schema.key-too-long", "attributes")),
            (
                r#"{"name":"owly.view.dashboard","attributes":{"user":"jdoe"}}"#,
                err("schema.unknown-attribute", "attributes"),
            ),
            (
                r#"{"name":"owly.view.dashboard","attributes":{"referrer":"https://jira.example.com/x"}}"#,
                err("@url", "attributes"),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{"format":"pdf"}}"#,
                err("schema.not-allowed", "attributes.format"),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{"format":"CSV"}}"#,
                err("schema.not-allowed", "attributes.format"),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{"format":" csv"}}"#,
                err("@free-text", "attributes.format"),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{"format":"c\u200bsv"}}"#,
                err("@invisible", "attributes.format"),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{"format":"\u0441sv"}}"#,
                err("@non-ascii", "attributes.format"),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{"format":"jane.doe@example.com"}}"#,
                err("@email", "attributes.format"),
            ),
            (&long_value, err("schema.value-too-long", "attributes.reason")),
            (
                r#"{"name":"owly.export.finished","attributes":{"format":1}}"#,
                err("schema.wrong-type", "attributes.format"),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{"format":null}}"#,
                err("schema.wrong-type", "attributes.format"),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{"format":["csv"]}}"#,
                err("schema.wrong-type", "attributes.format"),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{"rows":"12"}}"#,
                err("schema.wrong-type", "attributes.rows"),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{"rows":1.5}}"#,
                err("schema.wrong-type", "attributes.rows"),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{"rows":1e3}}"#,
                err("schema.wrong-type", "attributes.rows"),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{"rows":true}}"#,
                err("schema.wrong-type", "attributes.rows"),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{"rows":-5}}"#,
                err("schema.out-of-range", "attributes.rows"),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{"tables":10001}}"#,
                err("schema.out-of-range", "attributes.tables"),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{"rows":4111111111111111}}"#,
                err("@creditcard", "attributes.rows"),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{"rows":"4111111111111111"}}"#,
                err("@creditcard", "attributes.rows"),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{"rows":5550109999}}"#,
                err("@phone", "attributes.rows"),
            ),
            (
                r#"{"name":"owly.export.finished","attributes":{"rows":99999999999999999999}}"#,
                err("@long-number", "attributes.rows"),
            ),
        ];
        for (input, expected) in &table {
            assert_eq!(&check_event(input), expected, "{input}");
        }
    }

    #[test]
    fn stored_rows_round_trip_and_edits_are_caught() {
        let accepted = [
            r#"{"name":"owly.export.finished","attributes":{"tables":3,"format":"csv","rows":120345,"duration_ms":5400}}"#,
            r#"{"name":"owly.export.finished"}"#,
            r#"{"name":"owly.export.tables.AO_60DB71_ISSUE"}"#,
            r#"{"name":"owly.view.history"}"#,
            r#"{"name":"owly.analytics.mode_changed","attributes":{"mode":"off"}}"#,
        ];
        for input in accepted {
            let a = check_event(input).unwrap();
            assert_eq!(check_stored(&a.name, &a.attributes), Ok(()), "{input}");
        }
        let table: &[(&str, &str, Rejection)] = &[
            (
                "owly.export.finished",
                r#"{"rows":1,"format":"csv"}"#,
                Rejection::new(rule("schema.not-canonical"), "attributes"),
            ),
            (
                "owly.export.finished",
                r#"{"rows":1, "format":"csv"}"#,
                Rejection::new(rule("schema.not-canonical"), "attributes"),
            ),
            (
                "owly.export.finished",
                "",
                Rejection::new(rule("schema.not-canonical"), "attributes"),
            ),
            (
                "owly.view.dashboard",
                "{}",
                Rejection::new(rule("schema.not-canonical"), "attributes"),
            ),
            (
                "owly.export.tables.ao_60db71_issue",
                "",
                Rejection::new(rule("schema.not-canonical"), "name"),
            ),
            (
                "owly.export.tables.JIRAISSUE",
                "",
                Rejection::new(rule("schema.not-canonical"), "name"),
            ),
            (
                "owly.export.finished",
                r#"{"format":"jane@example.com"}"#,
                Rejection::new(rule("@email"), "attributes.format"),
            ),
            (
                "owly.export.finished",
                r#"{"format":{"x":1}}"#,
                Rejection::new(rule("json.too-deep"), "attributes"),
            ),
            (
                "owly.export.finished",
                r#"{"rows":1,"rows":2}"#,
                Rejection::new(rule("json.duplicate-key"), "attributes"),
            ),
            (
                "owly.export.finished",
                "{",
                Rejection::new(rule("json.malformed"), "attributes"),
            ),
            (
                "owly.export.finished",
                "[]",
                Rejection::new(rule("schema.wrong-type"), "attributes"),
            ),
            ("owly.secret", "", Rejection::new(rule("schema.unknown-event"), "name")),
        ];
        for (name, attributes, expected) in table {
            assert_eq!(
                check_stored(name, attributes).as_ref(),
                Err(expected),
                "{name} {attributes}"
            );
        }
        let huge = "a".repeat(MAX_STORED_BYTES);
        assert_eq!(
            check_stored("owly.view.dashboard", &huge).unwrap_err().rule,
            Rule::Oversized
        );
    }

    #[test]
    fn every_rule_is_listed_and_no_content_is_echoed() {
        // Fields never carry anything but the fixed vocabulary and catalogue keys.
        let r = check_event(r#"{"name":"owly.view.dashboard","attributes":{"jane@example.com":1}}"#).unwrap_err();
        assert_eq!(r, Rejection::new(Rule::Email, "attributes"));
        assert!(r.rule.is_filter());
    }
}

//! Tests of [`super`]: the registry is complete, its ids unique and well-formed, and equal to
//! the committed list `docs/reason-ids.tsv` (bless a deliberate change with `OWLY_BLESS=1`).

use super::*;

const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/reason-ids.tsv");

fn render() -> String {
    let mut out = String::from("kind\tid\tdescription\n");
    for e in registry() {
        out.push_str(&format!("{}\t{}\t{}\n", e.kind, e.id, e.description));
    }
    out
}

/// Kinds whose ids meet in one place: log codes (rules, stop reasons, log codes) and the
/// counters of `recorder.stats` (rules, metrics). Other kinds never mix.
const NAMESPACES: &[&[&str]] = &[&["rule", "stop", "log"], &["rule", "metric"]];

#[test]
fn ids_are_unique_where_they_meet_and_shared_only_on_purpose() {
    let entries = registry();
    for (i, a) in entries.iter().enumerate() {
        assert!(
            a.id.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"@.-<>".contains(&b)),
            "{a:?}: an id is lowercase ASCII"
        );
        assert!(!a.description.is_empty() && !a.description.contains('\t'), "{a:?}");
        for b in &entries[i + 1..] {
            assert!(a.kind != b.kind || a.id != b.id, "duplicate {}/{}", a.kind, a.id);
            let meet = NAMESPACES.iter().any(|ns| ns.contains(&a.kind) && ns.contains(&b.kind));
            if meet && a.id == b.id {
                assert!(
                    SHARED_IDS.contains(&a.id),
                    "{} is both a {} and a {}",
                    a.id,
                    a.kind,
                    b.kind
                );
            }
        }
    }
    for id in SHARED_IDS {
        let kinds: Vec<_> = entries.iter().filter(|e| e.id == *id).map(|e| e.kind).collect();
        assert_eq!(kinds, ["rule", "stop"], "{id}");
    }
}

#[test]
fn every_kind_is_registered_whole() {
    let entries = registry();
    let count = |kind: &str| entries.iter().filter(|e| e.kind == kind).count();
    assert_eq!(count("rule"), Rule::ALL.len());
    assert_eq!(count("stop"), StopReason::ALL.len());
    assert_eq!(count("failure"), FailReason::ALL.len());
    assert_eq!(count("log"), LogCode::ALL.len());
    assert_eq!(count("metric"), Metric::ALL.len());
    assert_eq!(count("count"), Count::ALL.len());
    assert_eq!(count("malformed"), crate::wire::Malformed::FIXED.len() + 1);
    // Each enum's ALL lists every variant once: ids are distinct within it.
    for (kind, n) in ["rule", "stop", "failure", "log", "metric", "count", "malformed"].map(|k| (k, count(k))) {
        let mut ids: Vec<_> = entries.iter().filter(|e| e.kind == kind).map(|e| e.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "{kind}");
    }
    assert!(Rule::RECORDER.iter().all(|r| !r.is_filter()));
    assert_eq!(
        Rule::ALL.iter().filter(|r| r.is_filter()).count(),
        Rule::ALL.len() - Rule::RECORDER.len()
    );
}

#[test]
fn registry_equals_the_committed_list() {
    let actual = render();
    if std::env::var("OWLY_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(COMMITTED, &actual).expect("write docs/reason-ids.tsv");
        return;
    }
    let committed = std::fs::read_to_string(COMMITTED)
        .unwrap_or_else(|e| panic!("{COMMITTED} missing ({e}); bless with OWLY_BLESS=1"));
    if committed != actual {
        let gone: Vec<_> = committed.lines().filter(|l| !actual.lines().any(|a| a == *l)).collect();
        let new: Vec<_> = actual.lines().filter(|l| !committed.lines().any(|c| c == *l)).collect();
        panic!(
            "reason ids changed (ids are a stable interface: hosts log and count them).\n\
             gone or changed: {gone:#?}\nnew: {new:#?}\nbless a deliberate change with OWLY_BLESS=1"
        );
    }
}

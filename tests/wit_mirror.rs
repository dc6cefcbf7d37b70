//! The Rust host trait and its types (`src/host/`) against `wit/types.lock.json`: every mirrored
//! record has the WIT fields in the WIT order with the WIT types, every variant the WIT cases,
//! every trait method the WIT parameters and result, and every import is mirrored. The harness
//! test `wit_types` keeps the lock equal to `wit/`, so together they check the mirror against
//! the WIT itself.

use std::collections::{BTreeMap, BTreeSet};

use owly_core::host::mirror::{Body, FuncShape, Payload, TypeShape};
use owly_core::host::{import_shapes, type_shapes};
use owly_core::reason::StopReason;
use serde_json::Value;

const LOCK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/wit/types.lock.json");

/// The lock: named types by name (names are unique across the package) and functions by
/// `interface.function`.
struct Lock {
    types: BTreeMap<String, Value>,
    functions: BTreeMap<String, Value>,
    imports: Vec<String>,
}

fn lock() -> Lock {
    let text = std::fs::read_to_string(LOCK).unwrap_or_else(|e| panic!("{LOCK}: {e}"));
    let v: Value = serde_json::from_str(&text).expect("the lock is JSON");
    let mut types = BTreeMap::new();
    let mut functions = BTreeMap::new();
    for iface in v["interfaces"].as_array().unwrap() {
        let iname = iface["name"].as_str().unwrap();
        for t in iface["types"].as_array().unwrap() {
            let name = t["name"].as_str().unwrap().to_string();
            assert!(
                types.insert(name.clone(), t.clone()).is_none(),
                "type {name} defined twice"
            );
        }
        for f in iface["functions"].as_array().unwrap() {
            functions.insert(format!("{iname}.{}", f["name"].as_str().unwrap()), f.clone());
        }
    }
    let imports = v["worlds"][0]["imports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap().to_string())
        .collect();
    Lock {
        types,
        functions,
        imports,
    }
}

/// `product_version` → `product-version`, `NotConfigured` → `not-configured`.
fn kebab(rust: &str) -> String {
    let mut out = String::new();
    for (i, c) in rust.chars().enumerate() {
        match c {
            '_' => out.push('-'),
            c if c.is_ascii_uppercase() => {
                if i > 0 {
                    out.push('-');
                }
                out.push(c.to_ascii_lowercase());
            }
            c => out.push(c),
        }
    }
    out
}

fn fields_match(what: &str, rust: &[(&str, String)], wit: &Value) -> Result<(), String> {
    let wit = wit.as_array().ok_or(format!("{what}: not a field list"))?;
    let rust: Vec<(String, String)> = rust.iter().map(|(n, t)| (kebab(n), t.clone())).collect();
    let wit: Vec<(String, String)> = wit
        .iter()
        .map(|f| (f["name"].as_str().unwrap().into(), f["type"].as_str().unwrap().into()))
        .collect();
    if rust == wit {
        Ok(())
    } else {
        Err(format!("{what}: Rust has {rust:?}, WIT has {wit:?}"))
    }
}

/// Checks one mirrored type against the lock.
fn check_type(lock: &Lock, shape: &TypeShape) -> Result<(), String> {
    let wit = lock
        .types
        .get(shape.wit)
        .ok_or(format!("{}: not a WIT type", shape.wit))?;
    match (&shape.body, wit["kind"].as_str().unwrap()) {
        (Body::Record(fields), "record") => fields_match(shape.wit, fields, &wit["fields"]),
        (Body::Variant(cases), "enum") => {
            let rust: Vec<String> = cases.iter().map(|(n, _)| kebab(n)).collect();
            let wit: Vec<String> = wit["cases"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap().into())
                .collect();
            if cases.iter().any(|(_, p)| *p != Payload::None) || rust != wit {
                return Err(format!("{}: Rust has {cases:?}, WIT has enum {wit:?}", shape.wit));
            }
            Ok(())
        }
        (Body::Variant(cases), "variant") => {
            let wit_cases = wit["cases"].as_array().unwrap();
            if cases.len() != wit_cases.len() {
                return Err(format!(
                    "{}: {} cases in Rust, {} in WIT",
                    shape.wit,
                    cases.len(),
                    wit_cases.len()
                ));
            }
            for ((name, payload), w) in cases.iter().zip(wit_cases) {
                let what = format!("{}.{}", shape.wit, kebab(name));
                if kebab(name) != w["name"].as_str().unwrap() {
                    return Err(format!("{what}: WIT has case {} here", w["name"]));
                }
                match (payload, w["type"].as_str()) {
                    (Payload::None, None) => {}
                    (Payload::Type(t), Some(wt)) if t == wt => {}
                    (Payload::Fields(fields), Some(wt)) => {
                        let rec = lock.types.get(wt).ok_or(format!("{what}: {wt} is not a WIT type"))?;
                        fields_match(&what, fields, &rec["fields"])?;
                    }
                    (p, wt) => return Err(format!("{what}: Rust carries {p:?}, WIT {wt:?}")),
                }
            }
            Ok(())
        }
        (body, kind) => Err(format!("{}: Rust has {body:?}, WIT a {kind}", shape.wit)),
    }
}

/// Checks one trait method against its WIT function.
fn check_function(lock: &Lock, f: &FuncShape) -> Result<(), String> {
    let wit = lock
        .functions
        .get(f.wit)
        .ok_or(format!("{}: not a WIT function", f.wit))?;
    fields_match(&format!("{} ({})", f.wit, f.method), &f.params, &wit["params"])?;
    let result = wit["result"].as_str().map(str::to_string);
    if f.result != result {
        return Err(format!("{}: Rust returns {:?}, WIT {result:?}", f.wit, f.result));
    }
    Ok(())
}

#[test]
fn every_mirrored_type_and_method_agrees_with_wit() {
    let lock = lock();
    let failures: Vec<String> = type_shapes()
        .iter()
        .filter_map(|t| check_type(&lock, t).err())
        .chain(import_shapes().iter().filter_map(|f| check_function(&lock, f).err()))
        .collect();
    assert!(
        failures.is_empty(),
        "host mirror differs from wit/:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_import_and_the_types_it_uses_are_mirrored() {
    let lock = lock();
    let methods: BTreeSet<&str> = import_shapes().iter().map(|f| f.wit).collect();
    let imported: Vec<&String> = lock
        .functions
        .keys()
        .filter(|k| lock.imports.iter().any(|i| k.starts_with(&format!("{i}."))))
        .collect();
    for f in &imported {
        assert!(methods.contains(f.as_str()), "WIT import {f} has no Host method");
    }
    assert_eq!(methods.len(), imported.len(), "a Host method without a WIT import");

    // Named types reachable from the imports: mirrored, written inline in a mirrored variant,
    // or `counter` (passed as `(name, value)`).
    let mirrored: BTreeSet<&str> = type_shapes().iter().map(|t| t.wit).collect();
    let inline: BTreeSet<String> = lock.types["settlement"]["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["type"].as_str())
        .filter(|t| lock.types.get(*t).is_some_and(|d| d["kind"] == "record"))
        .map(str::to_string)
        .collect();
    let mut todo: Vec<String> = imported
        .iter()
        .flat_map(|f| {
            let wit = &lock.functions[f.as_str()];
            let mut types: Vec<String> = wit["params"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["type"].as_str().unwrap().into())
                .collect();
            types.extend(wit["result"].as_str().map(str::to_string));
            types
        })
        .collect();
    let mut seen = BTreeSet::new();
    while let Some(t) = todo.pop() {
        for name in t
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
            .filter(|n| !n.is_empty())
        {
            let Some(def) = lock.types.get(name) else { continue };
            if !seen.insert(name.to_string()) {
                continue;
            }
            assert!(
                mirrored.contains(name) || inline.contains(name) || name == "counter",
                "WIT type {name} is used by an import but has no mirror"
            );
            for part in ["fields", "cases"] {
                for f in def[part].as_array().into_iter().flatten() {
                    todo.extend(f["type"].as_str().map(str::to_string));
                }
            }
        }
    }
    assert!(
        seen.contains("config") && seen.contains("limits") && seen.contains("retry-at"),
        "{seen:?}"
    );
}

#[test]
fn a_swapped_or_retyped_field_is_caught() {
    // The check itself must fail on the mistakes it exists for.
    let lock = lock();
    let mut shapes = type_shapes();
    let new_row = shapes.iter_mut().find(|t| t.wit == "new-row").unwrap();
    let Body::Record(fields) = &mut new_row.body else {
        panic!()
    };
    fields.swap(2, 3); // product_version <-> app_version, both strings
    assert!(check_type(&lock, new_row).is_err());

    let mut limits = type_shapes().into_iter().find(|t| t.wit == "limits").unwrap();
    let Body::Record(fields) = &mut limits.body else {
        panic!()
    };
    fields[0].1 = "u64".into();
    assert!(check_type(&lock, &limits).is_err());

    let mut claim = import_shapes().into_iter().find(|f| f.wit == "storage.claim").unwrap();
    claim.params.swap(1, 2); // now_ms <-> lease_until_ms, both s64
    assert!(check_function(&lock, &claim).is_err());
}

#[test]
fn stop_reasons_are_the_wit_enum_in_order() {
    let lock = lock();
    let wit: Vec<&str> = lock.types["stop-reason"]["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    let rust: Vec<String> = StopReason::ALL.iter().map(|r| r.id().replacen('.', "-", 1)).collect();
    assert_eq!(
        rust, wit,
        "StopReason ids are the WIT case names with their first '-' as '.'"
    );
}

//! The module's import surface is exactly the WIT imports: no WASI, no wasm-bindgen, nothing else.

mod common;

use std::collections::BTreeSet;

use wasmtime::component::types::ComponentItem;
use wasmtime::Module;

/// `interface#function` for every function the world imports, read from the component type.
fn wit_imports() -> BTreeSet<String> {
    let engine = common::engine();
    let mut out = BTreeSet::new();
    for (name, item) in common::component().component_type().imports(engine) {
        if let ComponentItem::ComponentInstance(instance) = item.ty {
            for (func, item) in instance.exports(engine) {
                if matches!(item.ty, ComponentItem::ComponentFunc(_)) {
                    out.insert(format!("{name}#{func}"));
                }
            }
        }
    }
    out
}

#[test]
fn module_imports_equal_the_wit_imports() {
    let module = Module::new(common::engine(), common::module_bytes()).expect("core module compiles");
    let imports: BTreeSet<String> = module
        .imports()
        .map(|i| format!("{}#{}", i.module(), i.name()))
        .collect();
    for import in &imports {
        assert!(import.starts_with("owly:analytics/"), "foreign import {import}");
        assert!(
            !import.contains("wasi") && !import.contains("wbindgen"),
            "forbidden import {import}"
        );
    }
    let expected = wit_imports();
    assert_eq!(expected.len(), 16, "the world imports 16 functions: {expected:?}");
    assert_eq!(imports, expected);
}

#[test]
fn module_exports_the_three_interfaces() {
    let module = Module::new(common::engine(), common::module_bytes()).expect("core module compiles");
    let exports: BTreeSet<&str> = module.exports().map(|e| e.name()).collect();
    for f in [
        "owly:analytics/recorder@0.2.0#record",
        "owly:analytics/recorder@0.2.0#check",
        "owly:analytics/recorder@0.2.0#stats",
        "owly:analytics/delivery@0.2.0#flush",
        "owly:analytics/delivery@0.2.0#preview",
        "owly:analytics/inspect@0.2.0#decode",
        "owly:analytics/inspect@0.2.0#verify",
        "owly:analytics/inspect@0.2.0#catalog",
        "cabi_realloc",
        "memory",
    ] {
        assert!(exports.contains(f), "missing export {f}");
    }
}

#[test]
fn release_module_stays_within_its_size_budget() {
    let size = common::module_bytes().len();
    assert!(size <= 256 * 1024, "release module is {size} bytes, budget 256 KiB");
}

#[test]
fn catalog_lists_every_public_event_family_with_a_purpose() {
    let mut node = common::Node::new(common::State::new("a", common::new_db()));
    let catalog = node.catalog();
    let names: BTreeSet<String> = catalog.iter().map(|e| e.name.clone()).collect();
    for family in [
        "owly.export.tables.<table>",
        "owly.export.finished",
        "owly.export.failed",
        "owly.view.<page>",
        "owly.schedule.created",
        "owly.analytics.mode_changed",
    ] {
        assert!(names.contains(family), "catalogue lacks {family}: {names:?}");
    }
    for e in &catalog {
        assert!(!e.purpose.is_empty(), "{} has no purpose", e.name);
        for a in &e.attributes {
            assert!(!a.purpose.is_empty(), "{}.{} has no purpose", e.name, a.name);
        }
    }
}

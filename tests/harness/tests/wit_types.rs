//! `wit/types.lock.json` is a canonical description of `wit/` — every record, variant, enum,
//! flags and function with its names, field order and types — read with wit-parser, the parser
//! behind wasmtime and wit-component. This test fails when the two differ; a deliberate WIT change
//! is blessed with `OWLY_BLESS=1`. Hosts check their own definitions against the file (Rust:
//! `tests/wit_mirror.rs`; the JVM's `WitTypes` can read the same plain JSON).

use std::path::PathBuf;

use wit_parser::{Resolve, Type, TypeDefKind, TypeOwner, WorldItem, WorldKey};

fn wit_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../wit")
}

/// A JSON value whose objects keep their key order (the lock reads top-down like the WIT).
enum J {
    Null,
    Num(u64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(&'static str, J)>),
}

fn s(text: impl Into<String>) -> J {
    J::Str(text.into())
}

impl J {
    fn is_leaf(&self) -> bool {
        match self {
            J::Arr(items) => items.iter().all(|i| matches!(i, J::Null | J::Num(_) | J::Str(_))),
            J::Obj(fields) => fields.iter().all(|(_, v)| !matches!(v, J::Obj(_)) && v.is_leaf()),
            _ => true,
        }
    }

    /// Pretty-prints with two-space indents; an object or array of scalars stays on one line.
    fn write(&self, out: &mut String, indent: usize) {
        let inline = self.is_leaf();
        let pad = |out: &mut String, n: usize| out.extend(std::iter::repeat_n(' ', n));
        match self {
            J::Null => out.push_str("null"),
            J::Num(n) => out.push_str(&n.to_string()),
            J::Str(v) => out.push_str(&serde_json::to_string(v).unwrap()),
            J::Arr(items) if items.is_empty() => out.push_str("[]"),
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i > 0 { "," } else { "" });
                    if inline {
                        out.push_str(if i > 0 { " " } else { "" });
                    } else {
                        out.push('\n');
                        pad(out, indent + 2);
                    }
                    item.write(out, indent + 2);
                }
                if !inline {
                    out.push('\n');
                    pad(out, indent);
                }
                out.push(']');
            }
            J::Obj(fields) => {
                out.push('{');
                for (i, (k, v)) in fields.iter().enumerate() {
                    out.push_str(if i > 0 { "," } else { "" });
                    if inline {
                        out.push_str(if i > 0 { " " } else { "" });
                    } else {
                        out.push('\n');
                        pad(out, indent + 2);
                    }
                    out.push_str(&serde_json::to_string(k).unwrap());
                    out.push_str(": ");
                    v.write(out, indent + 2);
                }
                if !inline {
                    out.push('\n');
                    pad(out, indent);
                }
                out.push('}');
            }
        }
    }
}

/// A type as WIT writes it: a primitive, a named type, or an anonymous `list`/`option`/….
fn ty(r: &Resolve, t: &Type) -> String {
    match t {
        Type::Bool => "bool".into(),
        Type::U8 => "u8".into(),
        Type::U16 => "u16".into(),
        Type::U32 => "u32".into(),
        Type::U64 => "u64".into(),
        Type::S8 => "s8".into(),
        Type::S16 => "s16".into(),
        Type::S32 => "s32".into(),
        Type::S64 => "s64".into(),
        Type::F32 => "f32".into(),
        Type::F64 => "f64".into(),
        Type::Char => "char".into(),
        Type::String => "string".into(),
        Type::ErrorContext => "error-context".into(),
        Type::Id(id) => match &r.types[*id].name {
            Some(name) => name.clone(),
            None => kind_ty(r, &r.types[*id].kind),
        },
    }
}

/// The WIT spelling of an anonymous type (or of what a `type` alias stands for).
fn kind_ty(r: &Resolve, kind: &TypeDefKind) -> String {
    let opt = |t: &Option<Type>| t.as_ref().map_or("_".to_string(), |t| ty(r, t));
    match kind {
        TypeDefKind::List(t) => format!("list<{}>", ty(r, t)),
        TypeDefKind::Option(t) => format!("option<{}>", ty(r, t)),
        TypeDefKind::Result(res) => format!("result<{}, {}>", opt(&res.ok), opt(&res.err)),
        TypeDefKind::Tuple(t) => {
            let items: Vec<String> = t.types.iter().map(|t| ty(r, t)).collect();
            format!("tuple<{}>", items.join(", "))
        }
        TypeDefKind::Handle(wit_parser::Handle::Own(t)) => format!("own<{}>", ty(r, &Type::Id(*t))),
        TypeDefKind::Handle(wit_parser::Handle::Borrow(t)) => format!("borrow<{}>", ty(r, &Type::Id(*t))),
        TypeDefKind::Future(t) => format!("future<{}>", opt(t)),
        TypeDefKind::Stream(t) => format!("stream<{}>", opt(t)),
        TypeDefKind::FixedLengthList(t, n) => format!("list<{}, {n}>", ty(r, t)),
        TypeDefKind::Map(k, v) => format!("map<{}, {}>", ty(r, k), ty(r, v)),
        TypeDefKind::Type(t) => ty(r, t),
        other => panic!("{other:?} has no anonymous WIT spelling"),
    }
}

fn named(name: &str, ty: J) -> J {
    J::Obj(vec![("name", s(name)), ("type", ty)])
}

/// The canonical description of the package in `wit/`.
fn describe() -> String {
    let mut r = Resolve::new();
    let (pkg, _) = r.push_dir(wit_dir()).expect("wit/ parses");
    let package = &r.packages[pkg];
    let mut interfaces: Vec<(&String, _)> = package.interfaces.iter().collect();
    interfaces.sort_by(|a, b| a.0.cmp(b.0));
    let mut out_interfaces = Vec::new();
    for (name, &iid) in interfaces {
        let iface = &r.interfaces[iid];
        let mut types = Vec::new();
        let mut uses = Vec::new();
        for (tname, &tid) in &iface.types {
            let def = &r.types[tid];
            let body: Vec<(&'static str, J)> = match &def.kind {
                TypeDefKind::Type(Type::Id(orig)) if r.types[*orig].owner != TypeOwner::Interface(iid) => {
                    let TypeOwner::Interface(from) = r.types[*orig].owner else {
                        panic!("use of a type outside an interface")
                    };
                    let from = r.interfaces[from].name.clone().unwrap_or_default();
                    uses.push(s(format!("{from}.{}", r.types[*orig].name.clone().unwrap_or_default())));
                    continue;
                }
                TypeDefKind::Record(rec) => vec![
                    ("kind", s("record")),
                    (
                        "fields",
                        J::Arr(rec.fields.iter().map(|f| named(&f.name, s(ty(&r, &f.ty)))).collect()),
                    ),
                ],
                TypeDefKind::Variant(v) => vec![
                    ("kind", s("variant")),
                    (
                        "cases",
                        J::Arr(
                            v.cases
                                .iter()
                                .map(|c| named(&c.name, c.ty.as_ref().map_or(J::Null, |t| s(ty(&r, t)))))
                                .collect(),
                        ),
                    ),
                ],
                TypeDefKind::Enum(e) => vec![
                    ("kind", s("enum")),
                    ("cases", J::Arr(e.cases.iter().map(|c| s(&c.name)).collect())),
                ],
                TypeDefKind::Flags(f) => vec![
                    ("kind", s("flags")),
                    ("flags", J::Arr(f.flags.iter().map(|c| s(&c.name)).collect())),
                ],
                TypeDefKind::Resource => vec![("kind", s("resource"))],
                other => vec![("kind", s("type")), ("type", s(kind_ty(&r, other)))],
            };
            let mut fields = vec![("name", s(tname))];
            fields.extend(body);
            types.push(J::Obj(fields));
        }
        let functions = iface
            .functions
            .values()
            .map(|f| {
                J::Obj(vec![
                    ("name", s(&f.name)),
                    (
                        "params",
                        J::Arr(f.params.iter().map(|p| named(&p.name, s(ty(&r, &p.ty)))).collect()),
                    ),
                    ("result", f.result.as_ref().map_or(J::Null, |t| s(ty(&r, t)))),
                ])
            })
            .collect();
        out_interfaces.push(J::Obj(vec![
            ("name", s(name)),
            ("uses", J::Arr(uses)),
            ("types", J::Arr(types)),
            ("functions", J::Arr(functions)),
        ]));
    }
    let item_names = |items: &wit_parser::IndexMap<WorldKey, WorldItem>| -> J {
        J::Arr(
            items
                .iter()
                .map(|(key, item)| match (key, item) {
                    (_, WorldItem::Interface { id, .. }) => s(r.interfaces[*id].name.clone().unwrap_or_default()),
                    (WorldKey::Name(n), _) => s(n),
                    (WorldKey::Interface(id), _) => s(r.interfaces[*id].name.clone().unwrap_or_default()),
                })
                .collect(),
        )
    };
    let worlds = package
        .worlds
        .iter()
        .map(|(name, &wid)| {
            let w = &r.worlds[wid];
            J::Obj(vec![
                ("name", s(name)),
                ("imports", item_names(&w.imports)),
                ("exports", item_names(&w.exports)),
            ])
        })
        .collect();
    let doc = J::Obj(vec![
        ("format", J::Num(1)),
        (
            "about",
            s(
                "Generated from wit/ by tests/harness/tests/wit_types.rs (OWLY_BLESS=1 to update): every \
               type and function of the package, names, order and types as WIT writes them.",
            ),
        ),
        ("package", s(package.name.to_string())),
        ("interfaces", J::Arr(out_interfaces)),
        ("worlds", J::Arr(worlds)),
    ]);
    let mut out = String::new();
    doc.write(&mut out, 0);
    out.push('\n');
    out
}

#[test]
fn the_lock_file_describes_wit_exactly() {
    let actual = describe();
    let path = wit_dir().join("types.lock.json");
    if std::env::var("OWLY_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{} missing ({e}); bless with OWLY_BLESS=1", path.display()));
    assert!(
        committed == actual,
        "wit/ and wit/types.lock.json differ: a WIT change must be blessed (OWLY_BLESS=1) and every \
         host's definitions adapted.\n--- committed\n{committed}\n--- from wit/\n{actual}"
    );
    // Plain JSON that any host can read.
    let parsed: serde_json::Value = serde_json::from_str(&committed).expect("the lock is JSON");
    assert_eq!(parsed["package"], "owly:analytics@0.2.0");
}

//! How the Rust mirrors of the WIT imports describe themselves: each type and trait method of
//! [`super`] is declared through a macro here that also records its WIT name, its fields or cases
//! in order and their WIT types. `tests/wit_mirror.rs` compares that description with
//! `wit/types.lock.json` (which the harness keeps equal to `wit/`), so a renamed, reordered,
//! retyped or swapped field fails a test instead of a host.

/// How a Rust type is written in WIT, e.g. `list<u64>` for `Vec<u64>`.
pub trait WitName {
    /// The WIT type expression.
    fn wit() -> String;
}

macro_rules! wit_names {
    ($($t:ty => $name:literal),* $(,)?) => {
        $(impl WitName for $t {
            fn wit() -> String {
                $name.to_string()
            }
        })*
    };
}

wit_names! {
    bool => "bool", u8 => "u8", u16 => "u16", u32 => "u32", u64 => "u64",
    i32 => "s32", i64 => "s64", String => "string", &str => "string",
    // The one stand-in: the trait passes a WIT `counter` record as `(name, value)`.
    (&str, u64) => "counter",
    // The missing `ok` of `result<_, e>`.
    () => "_",
}

impl<T: WitName> WitName for Vec<T> {
    fn wit() -> String {
        format!("list<{}>", T::wit())
    }
}

impl<T: WitName> WitName for &[T] {
    fn wit() -> String {
        format!("list<{}>", T::wit())
    }
}

impl<T: WitName> WitName for Option<T> {
    fn wit() -> String {
        format!("option<{}>", T::wit())
    }
}

impl<T: WitName, E: WitName> WitName for Result<T, E> {
    fn wit() -> String {
        format!("result<{}, {}>", T::wit(), E::wit())
    }
}

/// A mirrored type: its WIT name and shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeShape {
    /// The WIT type name, e.g. `new-row`.
    pub wit: &'static str,
    /// Its fields or cases.
    pub body: Body,
}

/// The body of a mirrored type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    /// A record: field names (Rust spelling) and WIT types, in order.
    Record(Vec<(&'static str, String)>),
    /// A variant or enum: case names (Rust spelling) and payloads, in order.
    Variant(Vec<(&'static str, Payload)>),
}

/// What a variant case carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// Nothing (an enum case, or a variant case without payload).
    None,
    /// A value of this WIT type.
    Type(String),
    /// A record, written inline as the case's fields: names and WIT types, in order.
    Fields(Vec<(&'static str, String)>),
}

/// A mirrored import function: the trait method and the WIT function it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuncShape {
    /// `interface.function`, e.g. `storage.append`.
    pub wit: &'static str,
    /// The trait method's name.
    pub method: &'static str,
    /// Parameter names (Rust spelling) and WIT types, in order.
    pub params: Vec<(&'static str, String)>,
    /// The WIT result type, if any.
    pub result: Option<String>,
}

/// A type whose shape is recorded.
pub trait Mirror: WitName {
    /// Its WIT name and shape.
    fn shape() -> TypeShape;
}

/// Declares a struct mirroring a WIT record.
macro_rules! wit_record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident = $wit:literal {
            $( $(#[$fmeta:meta])* pub $field:ident : $fty:ty, )*
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $( $(#[$fmeta])* pub $field: $fty, )*
        }

        impl $crate::host::mirror::WitName for $name {
            fn wit() -> String {
                $wit.to_string()
            }
        }

        impl $crate::host::mirror::Mirror for $name {
            fn shape() -> $crate::host::mirror::TypeShape {
                $crate::host::mirror::TypeShape {
                    wit: $wit,
                    body: $crate::host::mirror::Body::Record(vec![
                        $( (stringify!($field), <$fty as $crate::host::mirror::WitName>::wit()), )*
                    ]),
                }
            }
        }
    };
}

/// Declares an enum mirroring a WIT variant or enum. A case carries nothing, one value
/// (`Case(T)`), or a record written inline (`Case { field: T, … }`).
macro_rules! wit_variant {
    (
        $(#[$meta:meta])*
        pub enum $name:ident = $wit:literal {
            $(
                $(#[$cmeta:meta])*
                $case:ident
                $( ( $payload:ty ) )?
                $( { $( $(#[$fmeta:meta])* $field:ident : $fty:ty, )* } )?
            , )*
        }
    ) => {
        $(#[$meta])*
        pub enum $name {
            $(
                $(#[$cmeta])*
                $case
                $( ( $payload ) )?
                $( { $( $(#[$fmeta])* $field: $fty, )* } )?
            , )*
        }

        impl $crate::host::mirror::WitName for $name {
            fn wit() -> String {
                $wit.to_string()
            }
        }

        impl $crate::host::mirror::Mirror for $name {
            #[allow(unused_mut, unused_assignments)]
            fn shape() -> $crate::host::mirror::TypeShape {
                use $crate::host::mirror::Payload;
                $crate::host::mirror::TypeShape {
                    wit: $wit,
                    body: $crate::host::mirror::Body::Variant(vec![
                        $( (stringify!($case), {
                            let mut payload = Payload::None;
                            $( payload = Payload::Type(<$payload as $crate::host::mirror::WitName>::wit()); )?
                            $( payload = Payload::Fields(vec![
                                $( (stringify!($field), <$fty as $crate::host::mirror::WitName>::wit()), )*
                            ]); )?
                            payload
                        }), )*
                    ]),
                }
            }
        }
    };
}

/// Declares the host trait: each method with the WIT import it stands for, and a function
/// listing their shapes.
macro_rules! wit_imports {
    (
        $(#[$meta:meta])*
        pub trait $name:ident {
            $(
                $(#[$mmeta:meta])*
                fn $method:ident(&mut self $(, $param:ident : $pty:ty)* ) $(-> $ret:ty)? = $wit:literal;
            )*
        }
    ) => {
        $(#[$meta])*
        pub trait $name {
            $(
                $(#[$mmeta])*
                fn $method(&mut self $(, $param: $pty)*) $(-> $ret)?;
            )*
        }

        /// The shape of every method of the host trait, in declaration order.
        pub fn import_shapes() -> Vec<$crate::host::mirror::FuncShape> {
            use $crate::host::mirror::WitName;
            vec![
                $( $crate::host::mirror::FuncShape {
                    wit: $wit,
                    method: stringify!($method),
                    params: vec![ $( (stringify!($param), <$pty as WitName>::wit()), )* ],
                    result: [$( <$ret as WitName>::wit() )?].into_iter().next(),
                }, )*
            ]
        }
    };
}

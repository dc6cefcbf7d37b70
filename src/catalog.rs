//! The event catalogue: every event and attribute that can ever leave the instance, as data.
//!
//! The catalogue is compiled into the module, so the module's hash pins what can be sent and
//! the admin page can list it (`inspect.catalog`). Attribute values are closed: enum strings,
//! bounded integers or booleans — there is no free-form value anywhere.
//!
//! Invariants (checked by tests): attribute lists are sorted by key (the canonical order of
//! `Attributes`), every name, key and allowed value is a plain lowercase identifier on which no
//! PII detector fires, and integer bounds are too tight for a 10-digit phone or a card number.

/// How an attribute value is constrained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Exactly one of these strings (case-sensitive).
    OneOf(&'static [&'static str]),
    /// A JSON integer in `[min, max]`.
    Integer {
        /// Smallest allowed value.
        min: i64,
        /// Largest allowed value.
        max: i64,
    },
    /// `true` or `false`.
    Boolean,
}

/// One attribute an event may carry. All attributes are optional; a present one must be valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttributeSpec {
    /// The key.
    pub name: &'static str,
    /// Its allowed values.
    pub kind: ValueKind,
    /// Why it is collected, one line.
    pub purpose: &'static str,
}

/// One event (family) of the catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventSpec {
    /// The name, with `<placeholder>` for a dynamic last segment, e.g. `owly.view.<page>`.
    pub name: &'static str,
    /// The closed list of values for the dynamic segment, if any.
    pub segment: Option<&'static [&'static str]>,
    /// Why it is collected, one line.
    pub purpose: &'static str,
    /// Its attributes, sorted by key; the payload carries `Attributes` iff this is not empty.
    pub attributes: &'static [AttributeSpec],
}

/// The segment that unknown but harmless table names are bucketed to.
pub const OTHER_TABLE: &str = "other";

/// Core Jira and Confluence tables an export can name; the last entry is the bucket
/// [`OTHER_TABLE`] for everything else (e.g. a plugin's `ao_60db71_issue`).
pub const TABLES: &[&str] = &[
    // Jira
    "propertyentry",
    "jiraissue",
    "project",
    "changegroup",
    "changeitem",
    "worklog",
    "customfield",
    "customfieldvalue",
    "customfieldoption",
    "label",
    "component",
    "projectversion",
    "fileattachment",
    "app_user",
    "issuelink",
    "issuelinktype",
    "jiraaction",
    "os_currentstep",
    "os_historystep",
    "nodeassociation",
    "issuestatus",
    "issuetype",
    "priority",
    "resolution",
    "jiraworkflows",
    "fieldconfiguration",
    "permissionscheme",
    "schemepermissions",
    "projectroleactor",
    "searchrequest",
    "userassociation",
    "cwd_user",
    "cwd_group",
    "cwd_membership",
    "cwd_directory",
    // Confluence
    "content",
    "spaces",
    "bodycontent",
    "contentproperties",
    "content_label",
    "attachments",
    "pagetemplate",
    "links",
    "notifications",
    "user_mapping",
    "os_propertyentry",
    OTHER_TABLE,
];

/// Pages of the app whose views are counted.
pub const PAGES: &[&str] = &[
    "dashboard",
    "export",
    "schedules",
    "history",
    "settings",
    "analytics",
];

/// Every event that can leave the instance.
pub static CATALOG: &[EventSpec] = &[
    EventSpec {
        name: "owly.export.tables.<table>",
        segment: Some(TABLES),
        purpose: "Which kinds of table exports include, to prioritise support for them.",
        attributes: &[],
    },
    EventSpec {
        name: "owly.export.finished",
        segment: None,
        purpose: "An export completed: its format, size and duration, to size and tune exports.",
        attributes: &[
            AttributeSpec {
                name: "duration_ms",
                // A day: exports never run longer, and 8 digits cannot hold a phone number.
                kind: ValueKind::Integer {
                    min: 0,
                    max: 86_400_000,
                },
                purpose: "How long the export took, in milliseconds.",
            },
            AttributeSpec {
                name: "format",
                kind: ValueKind::OneOf(&["csv", "json", "xlsx", "sql"]),
                purpose: "Which output format was chosen.",
            },
            AttributeSpec {
                name: "rows",
                // The largest 9-digit number: no 10-digit phone number or card number fits.
                kind: ValueKind::Integer {
                    min: 0,
                    max: 999_999_999,
                },
                purpose: "How many rows were exported.",
            },
            AttributeSpec {
                name: "tables",
                kind: ValueKind::Integer {
                    min: 0,
                    max: 10_000,
                },
                purpose: "How many tables the export covered.",
            },
        ],
    },
    EventSpec {
        name: "owly.export.failed",
        segment: None,
        purpose: "An export failed, and the coarse reason, to find what breaks most often.",
        attributes: &[AttributeSpec {
            name: "reason",
            kind: ValueKind::OneOf(&["timeout", "permission", "storage", "cancelled", "other"]),
            purpose: "The category of the failure.",
        }],
    },
    EventSpec {
        name: "owly.view.<page>",
        segment: Some(PAGES),
        purpose: "A page of the app was opened, to learn which pages are used.",
        attributes: &[],
    },
    EventSpec {
        name: "owly.schedule.created",
        segment: None,
        purpose: "A scheduled export was created, and how often it runs.",
        attributes: &[AttributeSpec {
            name: "interval",
            kind: ValueKind::OneOf(&["hourly", "daily", "weekly", "monthly"]),
            purpose: "How often the scheduled export runs.",
        }],
    },
    EventSpec {
        name: "owly.analytics.mode_changed",
        segment: None,
        purpose: "The analytics mode was changed, to learn how many instances opt in or out.",
        attributes: &[AttributeSpec {
            name: "mode",
            kind: ValueKind::OneOf(&["off", "local", "remote"]),
            purpose: "The new mode.",
        }],
    },
];

impl EventSpec {
    /// The fixed part of a family name before its `<placeholder>` (the whole name if none).
    pub fn prefix(&self) -> &'static str {
        match self.name.find('<') {
            Some(at) => &self.name[..at],
            None => self.name,
        }
    }

    /// The attribute declared under `key`, if any.
    pub fn attribute(&self, key: &str) -> Option<&'static AttributeSpec> {
        self.attributes.iter().find(|a| a.name == key)
    }

    /// The segment unknown-but-harmless values are bucketed to, for families that bucket.
    ///
    /// Only table names bucket: plugins create tables we cannot list, and knowing that "some
    /// other table" was exported is still useful; pages are ours, so an unknown page is a bug.
    pub fn bucket(&self) -> Option<&'static str> {
        (self.name == "owly.export.tables.<table>").then_some(OTHER_TABLE)
    }

    /// Whether segments compare case-insensitively: SQL table names are case-insensitive and
    /// databases report them in either case (`JIRAISSUE` on Oracle, `jiraissue` on PostgreSQL).
    pub fn segment_ignores_case(&self) -> bool {
        self.bucket().is_some()
    }
}

/// The family `name` belongs to, and its dynamic segment (as written) if the family has one.
pub fn lookup(name: &str) -> Option<(&'static EventSpec, Option<&str>)> {
    CATALOG.iter().find_map(|spec| match spec.segment {
        None => (spec.name == name).then_some((spec, None)),
        Some(_) => name
            .strip_prefix(spec.prefix())
            .map(|segment| (spec, Some(segment))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_identifier(s: &str) -> bool {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
    }

    #[test]
    fn attributes_are_sorted_by_key_and_unique() {
        for spec in CATALOG {
            for pair in spec.attributes.windows(2) {
                assert!(
                    pair[0].name < pair[1].name,
                    "{} attributes not sorted",
                    spec.name
                );
            }
        }
    }

    #[test]
    fn names_keys_and_values_are_plain_identifiers() {
        for spec in CATALOG {
            assert!(is_identifier(spec.prefix()), "{}", spec.name);
            assert!(!spec.purpose.is_empty() && !spec.purpose.contains('\n'));
            for value in spec.segment.unwrap_or(&[]) {
                assert!(is_identifier(value) && !value.contains('.'), "{value}");
            }
            for attr in spec.attributes {
                assert!(is_identifier(attr.name) && attr.name.len() <= 64);
                assert!(!attr.purpose.is_empty() && !attr.purpose.contains('\n'));
                match attr.kind {
                    ValueKind::OneOf(values) => {
                        assert!(values.iter().all(|v| is_identifier(v) && !v.contains('.')));
                    }
                    // Fewer than 10 digits: phone and card numbers cannot fit.
                    ValueKind::Integer { min, max } => {
                        assert!(min <= max && max < 1_000_000_000 && min > -1_000_000_000)
                    }
                    ValueKind::Boolean => {}
                }
            }
        }
    }

    #[test]
    fn lookup_finds_families_and_exact_names() {
        let (spec, seg) = lookup("owly.export.tables.jiraissue").unwrap();
        assert_eq!(
            (spec.name, seg),
            ("owly.export.tables.<table>", Some("jiraissue"))
        );
        assert_eq!(spec.bucket(), Some(OTHER_TABLE));
        let (spec, seg) = lookup("owly.export.finished").unwrap();
        assert_eq!((spec.name, seg), ("owly.export.finished", None));
        assert_eq!(spec.attribute("rows").map(|a| a.name), Some("rows"));
        assert!(spec.attribute("user").is_none());
        assert!(lookup("owly.export.finishedx").is_none());
        assert!(lookup("OWLY.VIEW.DASHBOARD").is_none());
        assert_eq!(lookup("owly.view.").map(|(_, s)| s), Some(Some("")));
        assert!(TABLES.contains(&OTHER_TABLE));
    }
}

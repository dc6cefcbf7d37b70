//! Every id the core can emit, as typed values with stable string ids at the edge.
//!
//! Inside the core a reason is an enum value ([`Rule`], [`StopReason`], [`FailReason`],
//! [`LogCode`], [`Metric`], [`Count`]); only where it crosses into WIT, a log or a counter does it
//! become its string id (`@email`, `mode.off`, `flush.done`), glean-style. [`registry`] lists
//! every id with its kind and meaning; `docs/reason-ids.tsv` is its committed copy, so that a
//! renamed or dropped id shows up as a diff (a test compares them).

use crate::host::{Host, Level};

/// A value with a stable string id.
pub trait Id: Copy {
    /// The stable string id, e.g. `@email` or `mode.off`.
    fn id(self) -> &'static str;
}

/// Declares an enum of reasons: each variant with its string id and one-line meaning (which is
/// also its doc comment), plus `ALL`, `KIND`, `id()` and `description()`.
macro_rules! reasons {
    (
        $(#[$meta:meta])*
        pub enum $name:ident = $kind:literal {
            $( $var:ident = $id:literal, $desc:literal; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $( #[doc = $desc] $var, )*
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$var),*];
            /// The kind of these ids in the [`registry`].
            pub const KIND: &'static str = $kind;

            /// The stable string id.
            pub const fn id(self) -> &'static str {
                match self {
                    $($name::$var => $id,)*
                }
            }

            /// What it means, one line.
            pub const fn description(self) -> &'static str {
                match self {
                    $($name::$var => $desc,)*
                }
            }
        }

        impl Id for $name {
            fn id(self) -> &'static str {
                $name::id(self)
            }
        }
    };
}

reasons! {
    /// Why an event was not recorded, or a stored row is quarantined: WIT `rejection.rule`, a
    /// `storage.quarantine` rule, a counter and a log code. The filter's rules (input, JSON,
    /// schema, detectors — see [`Rule::is_filter`]) come first, then the recorder's own.
    pub enum Rule = "rule" {
        Oversized = "@oversized", "the event text (or stored row) is over the size cap";
        JsonMalformed = "json.malformed", "not one well-formed JSON value";
        JsonDuplicateKey = "json.duplicate-key", "a JSON object repeats a key";
        JsonTooDeep = "json.too-deep", "JSON nested deeper than an event can be";
        UnknownField = "schema.unknown-field", "a top-level key other than name and attributes";
        MissingName = "schema.missing-name", "the event has no name";
        NameTooLong = "schema.name-too-long", "the name is over 128 bytes";
        UnknownEvent = "schema.unknown-event", "the name is not in the catalogue";
        UnknownSegment = "schema.unknown-segment", "the dynamic name segment is not in its closed list";
        TooManyAttributes = "schema.too-many-attributes", "more than 16 attributes";
        KeyTooLong = "schema.key-too-long", "an attribute key is over 64 bytes";
        UnknownAttribute = "schema.unknown-attribute", "an attribute key the event does not declare";
        WrongType = "schema.wrong-type", "a value (or the event, or attributes) has the wrong JSON type";
        ValueTooLong = "schema.value-too-long", "a string value is too long to be any allowed value";
        NotAllowed = "schema.not-allowed", "a string value outside the attribute's closed list";
        OutOfRange = "schema.out-of-range", "an integer outside the attribute's bounds";
        NotCanonical = "schema.not-canonical", "a stored row is not exactly what the filter would store";
        Control = "@control", "control characters (C0, DEL, C1)";
        Invisible = "@invisible", "zero-width, bidi-override and other invisible characters";
        PemKey = "@pemkey", "PEM blocks (-----BEGIN ...)";
        Jwt = "@jwt", "JSON Web Tokens (eyJ...)";
        Bearer = "@bearer", "Bearer / Basic authorization values";
        ApiKey = "@api-key", "vendor API keys: AWS AKIA, GitHub ghp_, Slack xox?-, Atlassian ATATT, Google AIza...";
        UrlAuth = "@urlauth", "credentials before a host: user:password@host";
        Url = "@url", "URLs (scheme://, www., javascript:)";
        Email = "@email", "e-mail addresses and @-mentions, also obfuscated or encoded";
        AccountId = "@account-id", "Atlassian account ids (24 hex, 557058:uuid) and user keys (JIRAUSER10100, ID10001)";
        Uuid = "@uuid", "UUIDs";
        Iban = "@iban", "IBANs (country code, mod-97 checksum)";
        CreditCard = "@creditcard", "card numbers: 13-19 digits passing Luhn, also spaced or dashed";
        UsSsn = "@usssn", "US social security numbers (ddd-dd-dddd)";
        Ip = "@ip", "IPv4 and IPv6 addresses, with ports, brackets or IPv4-mapped";
        Phone = "@phone", "phone numbers: + and 7-15 digits, or 10-15 digits, formatted or not";
        LongNumber = "@long-number", "16 or more digits in a row that are not a card number";
        IssueKey = "@issue-key", "Jira issue keys (PROJ-1234), any case";
        Markup = "@markup", "markup or angle brackets";
        UserPath = "@userpath", "file paths: POSIX, ~/, Windows drive, UNC, any backslash";
        Hostname = "@hostname", "host names (dotted labels ending in a top-level domain)";
        HighEntropy = "@high-entropy", "long mixed-case alphanumeric or hex runs: keys, hashes, secrets";
        FreeText = "@free-text", "whitespace: sentences, free text, padded values";
        NonAscii = "@non-ascii", "non-ASCII characters: look-alikes and text in identifier-like values";
        ModeOff = "mode.off", "analytics is off: nothing is recorded";
        RowTooLarge = "row.too-large", "the encoded row would be over the row size limit";
        RowTime = "row.time", "a stored row's recording time is outside 1970-01-01..9999-12-31";
        SettingsServerId = "settings.server-id", "the server id setting (or a stored row's tenant) is not XXXX-XXXX-XXXX-XXXX";
        SettingsVersion = "settings.version", "a version setting (or a stored row's version) is not a plain version";
        StorageUnavailable = "storage.unavailable", "the database refused the row; nothing was stored";
    }
}

impl Rule {
    /// The recorder's own rules: the mode, the row size, the settings shapes and storage.
    pub const RECORDER: &'static [Rule] = &[
        Rule::ModeOff,
        Rule::RowTooLarge,
        Rule::RowTime,
        Rule::SettingsServerId,
        Rule::SettingsVersion,
        Rule::StorageUnavailable,
    ];

    /// Whether the event filter itself (schema and PII detectors) can report this rule, as
    /// opposed to the recorder's checks of mode, settings, size and storage.
    pub fn is_filter(self) -> bool {
        !Rule::RECORDER.contains(&self)
    }
}

reasons! {
    /// Why a flush sent nothing, or nothing more: WIT `delivery.stop-reason` (same order; the
    /// WIT case name is the id with its `.` as `-`), and the flush's log code.
    pub enum StopReason = "stop" {
        ModeOff = "mode.off", "analytics is off";
        ModeLocal = "mode.local", "the mode is local: events are kept, never sent";
        CollectorNone = "collector.none", "no collector is configured (or the transport said so mid-flush)";
        SecretWeak = "secret.weak", "the shared secret is shorter than 20 bytes";
        StorageUnavailable = "storage.unavailable", "the database failed; nothing was lost, the next flush tries again";
        ModeChanged = "mode.changed", "the mode left remote during this flush: sending stopped at once";
        EntropyInvalid = "entropy.invalid", "the host's entropy gave the wrong number of bytes: nothing was sealed";
        TransportStopped = "transport.stopped", "the transport made no request and ended the flush (the host's budget is spent, or it is shutting down)";
    }
}

reasons! {
    /// Why a batch failed for good: the `reason` of a `settlement.failed` in the ledger.
    pub enum FailReason = "failure" {
        NotSupported = "http.not-supported", "the collector answered 501 or 505";
        NonceConflict = "http.nonce-conflict", "the collector answered 409: this nonce came with other content";
        Redirect = "http.redirect", "the collector answered 3xx (redirects are not followed)";
        ClientError = "http.client-error", "the collector answered another 4xx";
        UnexpectedStatus = "http.unexpected-status", "the collector answered a status outside 200-599";
    }
}

reasons! {
    /// Log codes of their own; a log code is also any [`Rule`] (a rejection at debug level, a
    /// quarantine at warn) or [`StopReason`] (a flush that stopped, instead of `flush.done`).
    pub enum LogCode = "log" {
        FlushDone = "flush.done", "a flush ran to its end (counts: what it did)";
        AppendFailed = "storage.append-failed", "storage refused an accepted event";
        PurgeFailed = "storage.purge-failed", "retention could not delete old data";
        LostClaim = "storage.lost-claim", "another node took over claimed rows before they were sealed";
        QuarantineFailed = "storage.quarantine-failed", "rows that failed re-validation could not be marked";
        SettleFailed = "storage.settle-failed", "an outcome could not be written; the batch is resent";
    }
}

reasons! {
    /// Counter names of `recorder.stats`; every [`Rule`] id is a counter too (rejections).
    pub enum Metric = "metric" {
        RecordAccepted = "record.accepted", "events accepted and stored";
        FlushSealed = "flush.sealed", "batches sealed";
        FlushDelivered = "flush.delivered", "batches the collector accepted";
        FlushRowsDelivered = "flush.rows-delivered", "rows in delivered batches";
        FlushRetrying = "flush.retrying", "send attempts to be retried";
        FlushFailed = "flush.failed", "batches failed for good";
        FlushQuarantined = "flush.quarantined", "claimed rows rejected by re-validation";
    }
}

reasons! {
    /// The names of the counts a log entry carries.
    pub enum Count = "count" {
        Rows = "rows", "rows concerned";
        Rejected = "rejected", "events rejected";
        Quarantined = "quarantined", "rows quarantined";
        Batches = "batches", "batches concerned";
        Sealed = "sealed", "batches sealed by a flush";
        Delivered = "delivered", "batches delivered by a flush";
        RowsDelivered = "rows-delivered", "rows delivered by a flush";
        Retrying = "retrying", "batches a flush will retry";
        Failed = "failed", "batches a flush failed for good";
        Purged = "purged", "rows and batches deleted by retention";
    }
}

/// Ids that two kinds share on purpose: the same condition, met by `record` and by `flush`.
pub const SHARED_IDS: &[&str] = &["mode.off", "storage.unavailable"];

/// One registered id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// `rule`, `stop`, `failure`, `log`, `metric`, `count` or `malformed`.
    pub kind: &'static str,
    /// The stable id (`row.<n>` stands for `row.0`, `row.1`, …).
    pub id: &'static str,
    /// What it means, one line.
    pub description: &'static str,
}

/// Every id the core can emit, by kind, in declaration order.
pub fn registry() -> Vec<Entry> {
    fn all<T: Copy>(
        kind: &'static str,
        items: &[T],
        id: fn(T) -> &'static str,
        d: fn(T) -> &'static str,
    ) -> Vec<Entry> {
        items
            .iter()
            .map(|&x| Entry {
                kind,
                id: id(x),
                description: d(x),
            })
            .collect()
    }
    use crate::wire::Malformed;
    let mut out = Vec::new();
    out.extend(all(Rule::KIND, Rule::ALL, Rule::id, Rule::description));
    out.extend(all(
        StopReason::KIND,
        StopReason::ALL,
        StopReason::id,
        StopReason::description,
    ));
    out.extend(all(
        FailReason::KIND,
        FailReason::ALL,
        FailReason::id,
        FailReason::description,
    ));
    out.extend(all(LogCode::KIND, LogCode::ALL, LogCode::id, LogCode::description));
    out.extend(all(Metric::KIND, Metric::ALL, Metric::id, Metric::description));
    out.extend(all(Count::KIND, Count::ALL, Count::id, Count::description));
    let malformed = Malformed::FIXED.iter().copied().chain([Malformed::Row(0)]);
    out.extend(malformed.map(|m| Entry {
        kind: "malformed",
        id: m.id(),
        description: m.description(),
    }));
    out
}

/// Writes one log entry through the host: a typed code and typed count names, nothing else.
pub(crate) fn log<H: Host, const N: usize>(host: &mut H, level: Level, code: impl Id, counts: [(Count, u64); N]) {
    host.log(level, code.id(), &counts.map(|(name, n)| (name.id(), n)));
}

#[cfg(test)]
#[path = "reason_test.rs"]
mod tests;

//! PII detectors: defence in depth on every string and number that could leave.
//!
//! The schema (closed enums, bounded integers) is the primary guarantee; these detectors make
//! the reported rule meaningful (`@email` rather than `schema.not-allowed`) and protect name
//! segments that are bucketed rather than rejected. Hand-written linear scanners, no regex:
//! the module has a size budget and must not allocate on the common path.
//!
//! Rules are data ([`RULES`]), relay-pii style, and fail closed: anything a detector is unsure
//! about is reported, never skipped. [`scan_text`] runs, in order:
//! 1. character classes on the original text (`@control`, `@invisible`);
//! 2. the precise detectors ([`STRONG`]) on the text with full-width forms folded to ASCII;
//! 3. the same scan on decoded variants: percent-decoding, `(at)`/`(dot)` de-obfuscation and
//!    base64 runs, so that `jane.doe%40example.com` reports `@email`, not a weaker rule;
//! 4. the coarse detectors ([`WEAK`]): paths, host names, high entropy, free text;
//! 5. `@non-ascii` for anything else outside ASCII (look-alikes such as Cyrillic `с`).

/// One detector rule: id and one-line description (rules are data, relay-pii style).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// Stable id, reported in rejections and counters.
    pub id: &'static str,
    /// What it catches, one line.
    pub description: &'static str,
}

/// Every rule id that the filter can emit: the input, JSON and schema rules of
/// [`crate::schema`] and the detectors of this module.
#[rustfmt::skip]
pub static RULES: &[Rule] = &[
    Rule { id: "@oversized", description: "the event text (or stored row) is over the size cap" },
    Rule { id: "json.malformed", description: "not one well-formed JSON value" },
    Rule { id: "json.duplicate-key", description: "a JSON object repeats a key" },
    Rule { id: "json.too-deep", description: "JSON nested deeper than an event can be" },
    Rule { id: "schema.unknown-field", description: "a top-level key other than name and attributes" },
    Rule { id: "schema.missing-name", description: "the event has no name" },
    Rule { id: "schema.name-too-long", description: "the name is over 128 bytes" },
    Rule { id: "schema.unknown-event", description: "the name is not in the catalogue" },
    Rule { id: "schema.unknown-segment", description: "the dynamic name segment is not in its closed list" },
    Rule { id: "schema.too-many-attributes", description: "more than 16 attributes" },
    Rule { id: "schema.key-too-long", description: "an attribute key is over 64 bytes" },
    Rule { id: "schema.unknown-attribute", description: "an attribute key the event does not declare" },
    Rule { id: "schema.wrong-type", description: "a value (or the event, or attributes) has the wrong JSON type" },
    Rule { id: "schema.value-too-long", description: "a string value is too long to be any allowed value" },
    Rule { id: "schema.not-allowed", description: "a string value outside the attribute's closed list" },
    Rule { id: "schema.out-of-range", description: "an integer outside the attribute's bounds" },
    Rule { id: "schema.not-canonical", description: "a stored row is not exactly what the filter would store" },
    Rule { id: "@control", description: "control characters (C0, DEL, C1)" },
    Rule { id: "@invisible", description: "zero-width, bidi-override and other invisible characters" },
    Rule { id: "@pemkey", description: "PEM blocks (-----BEGIN ...)" },
    Rule { id: "@jwt", description: "JSON Web Tokens (eyJ...)" },
    Rule { id: "@bearer", description: "Bearer / Basic authorization values" },
    Rule {
        id: "@api-key",
        description:
            "vendor API keys: AWS AKIA, GitHub ghp_, Slack xox?-, Atlassian ATATT, Google AIza...",
    },
    Rule { id: "@urlauth", description: "credentials before a host: user:password@host" },
    Rule { id: "@url", description: "URLs (scheme://, www., javascript:)" },
    Rule { id: "@email", description: "e-mail addresses and @-mentions, also obfuscated or encoded" },
    Rule {
        id: "@account-id",
        description:
            "Atlassian account ids (24 hex, 557058:uuid) and user keys (JIRAUSER10100, ID10001)",
    },
    Rule { id: "@uuid", description: "UUIDs" },
    Rule { id: "@iban", description: "IBANs (country code, mod-97 checksum)" },
    Rule { id: "@creditcard", description: "card numbers: 13-19 digits passing Luhn, also spaced or dashed" },
    Rule { id: "@usssn", description: "US social security numbers (ddd-dd-dddd)" },
    Rule { id: "@ip", description: "IPv4 and IPv6 addresses, with ports, brackets or IPv4-mapped" },
    Rule { id: "@phone", description: "phone numbers: + and 7-15 digits, or 10-15 digits, formatted or not" },
    Rule { id: "@long-number", description: "16 or more digits in a row that are not a card number" },
    Rule { id: "@issue-key", description: "Jira issue keys (PROJ-1234), any case" },
    Rule { id: "@markup", description: "markup or angle brackets" },
    Rule { id: "@userpath", description: "file paths: POSIX, ~/, Windows drive, UNC, any backslash" },
    Rule { id: "@hostname", description: "host names (dotted labels ending in a top-level domain)" },
    Rule { id: "@high-entropy", description: "long mixed-case alphanumeric or hex runs: keys, hashes, secrets" },
    Rule { id: "@free-text", description: "whitespace: sentences, free text, padded values" },
    Rule { id: "@non-ascii", description: "non-ASCII characters: look-alikes and text in identifier-like values" },
];

/// A detector: the rule it reports and the scanner (over ASCII-folded bytes).
type Detector = (&'static str, fn(&[u8]) -> bool);

/// Precise detectors, most specific first: the first that fires names the rule.
pub const STRONG: &[Detector] = &[
    ("@pemkey", pem_key),
    ("@jwt", jwt),
    ("@bearer", bearer),
    ("@api-key", api_key),
    ("@urlauth", url_auth),
    ("@url", url),
    ("@email", email),
    ("@account-id", account_id),
    ("@uuid", uuid),
    ("@iban", iban),
    ("@creditcard", card_in_text),
    ("@usssn", us_ssn),
    ("@ip", ip),
    ("@phone", phone),
    ("@long-number", long_number),
    ("@issue-key", issue_key),
    ("@markup", markup),
];

/// Coarse detectors, run after the decoded variants so that they do not mask a precise rule.
pub const WEAK: &[Detector] = &[
    ("@userpath", user_path),
    ("@hostname", hostname),
    ("@high-entropy", high_entropy),
    ("@free-text", free_text),
];

/// How many nested decodings (percent inside base64...) are followed.
const MAX_DECODE_DEPTH: u8 = 2;
/// Base64 runs shorter than this are not decoded: 16 characters hold 12 bytes (`a.bc@xyz.com`).
const MIN_BASE64_RUN: usize = 16;

/// Returns the id of the first rule that fires on `s`, or `None` if the text looks harmless.
pub fn scan_text(s: &str) -> Option<&'static str> {
    scan_at_depth(s, 0)
}

/// Returns the id of the rule that fires on an integer value: card numbers (Luhn, 13-19
/// digits), then 16+ digit numbers, then phone-like numbers (10+ digits). Nine-digit values are
/// not treated as SSNs: counts up to 999,999,999 are legitimate.
pub fn scan_integer(i: i64) -> Option<&'static str> {
    let n = i.unsigned_abs();
    let digits = n.checked_ilog10().map_or(1, |l| l + 1);
    if (13..=19).contains(&digits) {
        let mut buf = [0u8; 20];
        let mut m = n;
        for slot in buf[..digits as usize].iter_mut().rev() {
            *slot = (m % 10) as u8;
            m /= 10;
        }
        if luhn(&buf[..digits as usize]) {
            return Some("@creditcard");
        }
    }
    if digits >= 16 {
        Some("@long-number")
    } else if digits >= 10 {
        Some("@phone")
    } else {
        None
    }
}

fn scan_at_depth(s: &str, depth: u8) -> Option<&'static str> {
    if s.chars().any(is_control) {
        return Some("@control");
    }
    if s.chars().any(is_invisible) {
        return Some("@invisible");
    }
    // Fold full-width forms (`＠`, `ｃｓｖ`) so that the byte scanners see what a reader sees;
    // only non-ASCII input pays for the copy.
    let folded;
    let bytes: &[u8] = if s.is_ascii() {
        s.as_bytes()
    } else {
        folded = fold_width(s);
        folded.as_bytes()
    };
    if let Some(rule) = first_firing(STRONG, bytes) {
        return Some(rule);
    }
    if depth < MAX_DECODE_DEPTH {
        if let Some(rule) = scan_decoded(bytes, depth) {
            return Some(rule);
        }
    }
    if let Some(rule) = first_firing(WEAK, bytes) {
        return Some(rule);
    }
    // Last: any non-ASCII left in an identifier-like value is a look-alike (`сsv`, `ｃｓｖ`).
    (!s.is_ascii()).then_some("@non-ascii")
}

fn first_firing(detectors: &[Detector], bytes: &[u8]) -> Option<&'static str> {
    detectors
        .iter()
        .find(|(_, fires)| fires(bytes))
        .map(|(id, _)| *id)
}

/// Scans what the text may be hiding: percent-encoding, spelled-out `at`/`dot`, base64.
fn scan_decoded(bytes: &[u8], depth: u8) -> Option<&'static str> {
    if let Some(decoded) = percent_decode(bytes) {
        if let Some(rule) = scan_at_depth(&String::from_utf8_lossy(&decoded), depth + 1) {
            return Some(rule);
        }
    }
    if let Some(plain) = deobfuscate(bytes) {
        if email_strict(&plain) {
            return Some("@email");
        }
    }
    let mut i = 0;
    while i < bytes.len() {
        if !is_base64(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_base64(bytes[i]) {
            i += 1;
        }
        if i - start >= MIN_BASE64_RUN {
            if let Some(text) = base64_decode_text(&bytes[start..i]) {
                if let Some(rule) = scan_at_depth(&text, depth + 1) {
                    return Some(rule);
                }
            }
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Character classes and helpers

fn is_control(c: char) -> bool {
    c.is_control() // C0, DEL and C1
}

fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}'
        | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}'
        | '\u{E0000}'..='\u{E007F}')
}

/// Maps full-width ASCII forms and look-alike separators to ASCII; leaves other characters.
fn fold_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '\u{FE6B}' => '@',
            '\u{3002}' | '\u{FF61}' => '.',
            _ => c,
        })
        .collect()
}

fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_base64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_')
}

fn is_hex(b: u8) -> bool {
    b.is_ascii_hexdigit()
}

/// Whether position `i` starts a word (start of text or after a non-word byte).
fn word_start(b: &[u8], i: usize) -> bool {
    i == 0 || !is_word(b[i - 1])
}

/// Whether position `i` ends a word (end of text or a non-alphanumeric byte).
fn word_end(b: &[u8], i: usize) -> bool {
    i >= b.len() || !is_alnum(b[i])
}

fn starts_with_ci(b: &[u8], at: usize, lit: &[u8]) -> bool {
    b.len() >= at + lit.len() && b[at..at + lit.len()].eq_ignore_ascii_case(lit)
}

fn contains_ci(b: &[u8], lit: &[u8]) -> bool {
    b.len() >= lit.len() && b.windows(lit.len()).any(|w| w.eq_ignore_ascii_case(lit))
}

/// Length of the run starting at `at` whose bytes satisfy `class`.
fn run_len(b: &[u8], at: usize, class: fn(u8) -> bool) -> usize {
    b.get(at..)
        .map_or(0, |rest| rest.iter().take_while(|&&c| class(c)).count())
}

fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(k, &d)| {
            let d = u32::from(d);
            if k % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

// ---------------------------------------------------------------------------------------------
// Decoders (only on the rare path: a value that is not exactly an allowed one)

fn hex_val(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Percent-decodes when there is at least one `%XX`; `None` otherwise.
fn percent_decode(b: &[u8]) -> Option<Vec<u8>> {
    let has_escape = b
        .windows(3)
        .any(|w| w[0] == b'%' && is_hex(w[1]) && is_hex(w[2]));
    if !has_escape {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex_val(b[i + 1]), hex_val(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    Some(out)
}

/// Spelled-out separators that hide an e-mail address, matched case-insensitively.
const AT_WORDS: &[&[u8]] = &[
    b" (at) ", b" [at] ", b" {at} ", b"(at)", b"[at]", b"{at}", b"<at>", b" at ", b" @ ",
];
const DOT_WORDS: &[&[u8]] = &[
    b" (dot) ", b" [dot] ", b" {dot} ", b"(dot)", b"[dot]", b"{dot}", b"<dot>", b" dot ", b" . ",
];

/// Rewrites `jane(at)example(dot)com` to `jane@example.com`; `None` if there was nothing to undo.
fn deobfuscate(b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut changed = false;
    let mut i = 0;
    'outer: while i < b.len() {
        if matches!(b[i], b' ' | b'(' | b'[' | b'{' | b'<') {
            for (words, replacement) in [(AT_WORDS, b'@'), (DOT_WORDS, b'.')] {
                if let Some(w) = words.iter().find(|w| starts_with_ci(b, i, w)) {
                    if !changed {
                        out.reserve(b.len());
                        out.extend_from_slice(&b[..i]);
                        changed = true;
                    }
                    out.push(replacement);
                    i += w.len();
                    continue 'outer;
                }
            }
        }
        if changed {
            out.push(b[i]);
        }
        i += 1;
    }
    changed.then_some(out)
}

/// Decodes a run of standard or URL-safe base64 (padding optional) when the result is
/// printable text; binary results are not text and cannot hide a readable identifier.
fn base64_decode_text(run: &[u8]) -> Option<String> {
    if run.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(run.len() / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &c in run {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            _ => 63, // '/' or '_'
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    let text = String::from_utf8(out).ok()?;
    let printable = text
        .chars()
        .all(|c| !c.is_control() || c == '\n' || c == '\t');
    printable.then_some(text)
}

// ---------------------------------------------------------------------------------------------
// Strong detectors

fn pem_key(b: &[u8]) -> bool {
    contains_ci(b, b"-----BEGIN") || contains_ci(b, b"PRIVATE KEY")
}

fn jwt(b: &[u8]) -> bool {
    fn b64url(c: u8) -> bool {
        c.is_ascii_alphanumeric() || c == b'-' || c == b'_'
    }
    (0..b.len())
        .any(|i| b[i..].starts_with(b"eyJ") && word_start(b, i) && run_len(b, i, b64url) >= 12)
}

fn bearer(b: &[u8]) -> bool {
    fn token(c: u8) -> bool {
        c.is_ascii_alphanumeric() || b"-._~+/=".contains(&c)
    }
    (0..b.len()).any(|i| {
        if !word_start(b, i) {
            return false;
        }
        let after = if starts_with_ci(b, i, b"bearer") {
            i + 6
        } else if starts_with_ci(b, i, b"basic") {
            i + 5
        } else {
            return false;
        };
        let spaces = run_len(b, after, |c| {
            c == b' ' || c == b'+' || c == b':' || c == b'='
        });
        spaces > 0 && run_len(b, after + spaces, token) >= 8
    })
}

/// Vendor key prefixes (case-sensitive, as issued), the class of what follows and its minimum length.
/// A key prefix, the class of the bytes after it, and how many of them at least.
type KeyPrefix = (&'static [u8], fn(u8) -> bool, usize);

const KEY_PREFIXES: &[KeyPrefix] = &[
    (b"AKIA", upper_or_digit, 16),
    (b"ASIA", upper_or_digit, 16),
    (b"AGPA", upper_or_digit, 16),
    (b"AIDA", upper_or_digit, 16),
    (b"AROA", upper_or_digit, 16),
    (b"ghp_", is_alnum, 20),
    (b"gho_", is_alnum, 20),
    (b"ghu_", is_alnum, 20),
    (b"ghs_", is_alnum, 20),
    (b"ghr_", is_alnum, 20),
    (b"github_pat_", is_word, 20),
    (b"xoxa-", token_char, 8),
    (b"xoxb-", token_char, 8),
    (b"xoxe-", token_char, 8),
    (b"xoxp-", token_char, 8),
    (b"xoxr-", token_char, 8),
    (b"xoxs-", token_char, 8),
    (b"xapp-", token_char, 8),
    (b"ATATT", token_char, 20),
    (b"ATCTT", token_char, 20),
    (b"AIza", token_char, 30),
    (b"glpat-", token_char, 20),
    (b"sk_live_", is_alnum, 16),
    (b"rk_live_", is_alnum, 16),
    (b"npm_", is_alnum, 30),
];

fn upper_or_digit(c: u8) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

fn token_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'=')
}

fn api_key(b: &[u8]) -> bool {
    (0..b.len()).any(|i| {
        word_start(b, i)
            && KEY_PREFIXES.iter().any(|(prefix, class, min)| {
                b[i..].starts_with(prefix) && run_len(b, i + prefix.len(), *class) >= *min
            })
    })
}

/// `user:secret@host`: a colon in the run just before an `@` (but not `mailto:`).
fn url_auth(b: &[u8]) -> bool {
    let mut run_start = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'@' {
            let run = &b[run_start..i];
            let host_follows = b.get(i + 1).is_some_and(|&h| is_alnum(h) || h == b'[');
            if let Some(colon) = run.iter().rposition(|&c| c == b':') {
                let user = &run[..colon];
                if host_follows
                    && colon + 1 < run.len()
                    && !user.is_empty()
                    && !user.eq_ignore_ascii_case(b"mailto")
                {
                    return true;
                }
            }
        }
        if c.is_ascii_whitespace()
            || matches!(c, b'/' | b'@' | b'"' | b'\'' | b'<' | b'(' | b',' | b';')
        {
            run_start = i + 1;
        }
    }
    false
}

fn url(b: &[u8]) -> bool {
    (0..b.len()).any(|i| {
        if b[i..].starts_with(b"://") {
            // A scheme of at least two letters before it (http, ftp, jdbc:postgresql, file).
            let scheme = b[..i]
                .iter()
                .rev()
                .take_while(|&&c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-'))
                .count();
            return scheme >= 2;
        }
        word_start(b, i) && (starts_with_ci(b, i, b"www.") || starts_with_ci(b, i, b"javascript:"))
    })
}

/// Any `@` between word characters on either side: an address or a mention (`@jdoe`).
fn email(b: &[u8]) -> bool {
    (0..b.len()).any(|i| {
        b[i] == b'@' && {
            let before = i > 0
                && (is_word(b[i - 1]) || matches!(b[i - 1], b'.' | b'%' | b'+' | b'-' | b'\''));
            let after = b.get(i + 1).is_some_and(|&c| is_alnum(c) || c == b'[');
            before || after
        }
    })
}

/// A complete address `local@label.tld`: used on de-obfuscated text, where a loose match on a
/// sentence ("export at night") would be a false positive.
fn email_strict(b: &[u8]) -> bool {
    (0..b.len()).any(|i| {
        if b[i] != b'@' || i == 0 || !(is_word(b[i - 1]) || matches!(b[i - 1], b'.' | b'+' | b'-'))
        {
            return false;
        }
        let domain_len = run_len(b, i + 1, |c| is_alnum(c) || c == b'.' || c == b'-');
        let domain = &b[i + 1..i + 1 + domain_len];
        let domain = domain.strip_suffix(b".").unwrap_or(domain);
        match domain.iter().rposition(|&c| c == b'.') {
            Some(dot) => {
                dot > 0
                    && domain.len() - dot > 2
                    && domain[dot + 1..].iter().all(u8::is_ascii_alphabetic)
            }
            None => false,
        }
    })
}

fn account_id(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        if !word_start(b, i) || !is_alnum(b[i]) {
            i += 1;
            continue;
        }
        let len = run_len(b, i, is_alnum);
        let word = &b[i..i + len];
        // 557058:<uuid> (and other numeric realm prefixes) or a 24-hex account id.
        if len == 6
            && word.iter().all(u8::is_ascii_digit)
            && b.get(i + 6) == Some(&b':')
            && run_len(b, i + 7, |c| is_hex(c) || c == b'-') >= 8
        {
            return true;
        }
        let hex24 = len == 24
            && word.iter().all(|&c| is_hex(c))
            && word.iter().any(u8::is_ascii_digit)
            && word.iter().any(u8::is_ascii_alphabetic);
        let jira_user = len > 8
            && word[..8].eq_ignore_ascii_case(b"JIRAUSER")
            && word[8..].iter().all(u8::is_ascii_digit);
        let user_key = len >= 6
            && word[..2].eq_ignore_ascii_case(b"ID")
            && word[2..].iter().all(u8::is_ascii_digit);
        if hex24 || jira_user || user_key {
            return true;
        }
        i += len.max(1);
    }
    false
}

fn uuid(b: &[u8]) -> bool {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    (0..b.len()).any(|i| {
        if i > 0 && is_alnum(b[i - 1]) {
            return false;
        }
        let mut at = i;
        for (k, &g) in GROUPS.iter().enumerate() {
            if run_len(b, at, is_hex) < g {
                return false;
            }
            at += g;
            if k < 4 {
                if b.get(at) != Some(&b'-') {
                    return false;
                }
                at += 1;
            }
        }
        word_end(b, at)
    })
}

fn iban(b: &[u8]) -> bool {
    let mut i = 0;
    while i + 4 <= b.len() {
        let head = b[i].is_ascii_alphabetic()
            && b[i + 1].is_ascii_alphabetic()
            && b[i + 2].is_ascii_digit()
            && b[i + 3].is_ascii_digit();
        if !(head && word_start(b, i)) {
            i += 1;
            continue;
        }
        // Collect up to 34 alphanumerics, allowing single spaces/dashes between groups; the
        // candidate lengths are the group boundaries (an IBAN ends where a group ends).
        let mut chars = [0u8; 34];
        let mut n = 0;
        let mut ends = [false; 35];
        let mut j = i;
        while j < b.len() && n < 34 {
            if is_alnum(b[j]) {
                chars[n] = b[j].to_ascii_uppercase();
                n += 1;
                j += 1;
            } else if matches!(b[j], b' ' | b'-') && j + 1 < b.len() && is_alnum(b[j + 1]) {
                ends[n] = true;
                j += 1;
            } else {
                break;
            }
        }
        ends[n] = true;
        if (15..=34).any(|len| len <= n && ends[len] && iban_checksum_ok(&chars[..len])) {
            return true;
        }
        i += 1;
    }
    false
}

fn iban_checksum_ok(iban: &[u8]) -> bool {
    let mut rem: u32 = 0;
    for &c in iban[4..].iter().chain(&iban[..4]) {
        rem = match c {
            b'0'..=b'9' => (rem * 10 + u32::from(c - b'0')) % 97,
            b'A'..=b'Z' => (rem * 100 + u32::from(c - b'A') + 10) % 97,
            _ => return false,
        };
    }
    rem == 1
}

fn card_in_text(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        // A maximal digit sequence with single space/dash separators; after a `+` it is an
        // international phone number, whatever Luhn says (1 in 10 numbers pass).
        let international = i > 0 && b[i - 1] == b'+';
        let mut digits = [0u8; 19];
        let mut n = 0;
        let mut too_long = false;
        let mut j = i;
        while j < b.len() {
            if b[j].is_ascii_digit() {
                if n < 19 {
                    digits[n] = b[j] - b'0';
                } else {
                    too_long = true;
                }
                n += 1;
                j += 1;
            } else if matches!(b[j], b' ' | b'-') && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
                j += 1;
            } else {
                break;
            }
        }
        if international {
            i = j;
            continue;
        }
        if !too_long && (13..=19).contains(&n) && luhn(&digits[..n]) {
            return true;
        }
        // Also each unseparated run inside a longer sequence.
        let mut k = i;
        while k < j {
            let run = run_len(b, k, |c| c.is_ascii_digit());
            if (13..=19).contains(&run) {
                let mut d = [0u8; 19];
                for (slot, c) in d.iter_mut().zip(&b[k..k + run]) {
                    *slot = c - b'0';
                }
                if luhn(&d[..run]) {
                    return true;
                }
            }
            k += run + 1;
        }
        i = j;
    }
    false
}

fn us_ssn(b: &[u8]) -> bool {
    let digits = |at: usize, n: usize| run_len(b, at, |c| c.is_ascii_digit()) == n;
    (0..b.len()).any(|i| {
        (i == 0 || !b[i - 1].is_ascii_digit())
            && digits(i, 3)
            && b.get(i + 3) == Some(&b'-')
            && digits(i + 4, 2)
            && b.get(i + 6) == Some(&b'-')
            && digits(i + 7, 4)
    })
}

fn ip(b: &[u8]) -> bool {
    ipv4(b) || ipv6(b)
}

fn ipv4(b: &[u8]) -> bool {
    (0..b.len()).any(|i| {
        if i > 0 && b[i - 1].is_ascii_digit() {
            return false;
        }
        let mut at = i;
        for k in 0..4 {
            let n = run_len(b, at, |c| c.is_ascii_digit());
            if n == 0 || n > 3 {
                return false;
            }
            let octet: u32 = b[at..at + n]
                .iter()
                .fold(0, |v, &c| v * 10 + u32::from(c - b'0'));
            if octet > 255 {
                return false;
            }
            at += n;
            if k < 3 {
                if b.get(at) != Some(&b'.') {
                    return false;
                }
                at += 1;
            }
        }
        true
    })
}

fn ipv6(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        let len = run_len(b, i, |c| is_hex(c) || c == b':');
        if len == 0 {
            i += 1;
            continue;
        }
        let run = &b[i..i + len];
        let bounded = (i == 0 || !is_alnum(b[i - 1])) && word_end(b, i + len);
        if bounded {
            let colons = run.iter().filter(|&&c| c == b':').count();
            let groups_ok = run.split(|&c| c == b':').all(|g| g.len() <= 4);
            let compressed =
                run.windows(2).any(|w| w == b"::") && !run.windows(3).any(|w| w == b":::");
            let nonempty = run.iter().any(|&c| c != b':');
            // A trailing IPv4 part (`::ffff:1.2.3.4`) stops the run at '.', which ipv4 catches.
            if groups_ok && nonempty && ((compressed && colons >= 2) || colons == 7) {
                return true;
            }
        }
        i += len;
    }
    false
}

/// `+` and 7-15 digits, or 10-15 digits, with the usual separators.
fn phone(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        let plus = b[i] == b'+';
        if !(plus || b[i].is_ascii_digit() || b[i] == b'(') || (i > 0 && is_alnum(b[i - 1])) {
            i += 1;
            continue;
        }
        let mut digits = 0;
        let mut j = if plus { i + 1 } else { i };
        while j < b.len() {
            let c = b[j];
            if c.is_ascii_digit() {
                digits += 1;
            } else if matches!(c, b'-' | b'.' | b'(' | b')')
                || (c == b' ' && (plus || b[j - 1] == b')'))
            {
                // separators; a plain space only inside a +number or after "(555)"
            } else {
                break;
            }
            j += 1;
        }
        let min = if plus { 7 } else { 10 };
        if (min..=15).contains(&digits) {
            return true;
        }
        i = j.max(i + 1);
    }
    false
}

fn long_number(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        let n = run_len(b, i, |c| c.is_ascii_digit());
        if n >= 16 {
            return true;
        }
        i += n + 1;
    }
    false
}

/// `[A-Za-z][A-Za-z0-9_]+-\d+` as a whole word.
fn issue_key(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        if !(b[i].is_ascii_alphabetic() && word_start(b, i)) {
            i += 1;
            continue;
        }
        let key = run_len(b, i, is_word);
        let at = i + key;
        if key >= 2 && b.get(at) == Some(&b'-') {
            let n = run_len(b, at + 1, |c| c.is_ascii_digit());
            if n > 0 && word_end(b, at + 1 + n) {
                return true;
            }
        }
        i = at.max(i + 1);
    }
    false
}

fn markup(b: &[u8]) -> bool {
    b.iter().any(|&c| c == b'<' || c == b'>') || contains_ci(b, b"&#") || contains_ci(b, b"&lt;")
}

// ---------------------------------------------------------------------------------------------
// Weak detectors

fn user_path(b: &[u8]) -> bool {
    fn path_char(c: u8) -> bool {
        c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-' | b'~' | b'$')
    }
    if b.contains(&b'\\') {
        return true; // Windows and UNC paths; never part of an identifier
    }
    let slashes = b.iter().filter(|&&c| c == b'/').count();
    (0..b.len()).any(|i| {
        let at_token_start = i == 0
            || matches!(
                b[i - 1],
                b' ' | b'"' | b'\'' | b'=' | b':' | b'(' | b',' | b';' | b'['
            );
        let drive = b[i].is_ascii_alphabetic()
            && word_start(b, i)
            && b.get(i + 1) == Some(&b':')
            && b.get(i + 2) == Some(&b'/');
        let relative = slashes >= 2
            && path_char(b[i])
            && b.get(i + 1) == Some(&b'/')
            && b.get(i + 2).is_some_and(|&c| path_char(c));
        let rooted = match b[i] {
            b'/' => at_token_start && b.get(i + 1).is_some_and(|&c| path_char(c)),
            b'~' => at_token_start && b.get(i + 1).is_some_and(|&c| c == b'/' || is_alnum(c)),
            _ => false,
        };
        drive || relative || rooted
    })
}

/// Top-level domains long enough to be mistaken for words; any two-letter label also counts.
const TLDS: &[&[u8]] = &[
    b"com",
    b"net",
    b"org",
    b"edu",
    b"gov",
    b"mil",
    b"int",
    b"info",
    b"biz",
    b"io",
    b"dev",
    b"app",
    b"cloud",
    b"online",
    b"site",
    b"tech",
    b"xyz",
    b"local",
    b"localdomain",
    b"internal",
    b"intra",
    b"intranet",
    b"corp",
    b"lan",
    b"home",
    b"example",
    b"test",
    b"invalid",
    b"localhost",
    b"name",
    b"pro",
    b"mobi",
    b"asia",
    b"jobs",
];

fn hostname(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        let len = run_len(b, i, |c| is_alnum(c) || c == b'.' || c == b'-');
        if len == 0 {
            i += 1;
            continue;
        }
        let token = &b[i..i + len];
        let token = token.strip_suffix(b".").unwrap_or(token);
        let mut labels = token.split(|&c| c == b'.');
        let count = token.split(|&c| c == b'.').count();
        let labels_ok = labels.all(|l| !l.is_empty() && l.len() <= 63);
        if count >= 2 && labels_ok {
            let last = token.rsplit(|&c| c == b'.').next().unwrap_or(&[]);
            let alpha = last.iter().all(u8::is_ascii_alphabetic);
            if alpha && (last.len() == 2 || TLDS.iter().any(|t| t.eq_ignore_ascii_case(last))) {
                return true;
            }
        }
        i += len;
    }
    false
}

fn high_entropy(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        let len = run_len(b, i, is_base64);
        if len == 0 {
            i += 1;
            continue;
        }
        let run = &b[i..i + len];
        let upper = run.iter().any(u8::is_ascii_uppercase);
        let lower = run.iter().any(u8::is_ascii_lowercase);
        let digit = run.iter().any(u8::is_ascii_digit);
        let hex_run = run.iter().all(|&c| is_hex(c));
        if (len >= 20 && upper && lower && digit)
            || (len >= 32 && hex_run && digit && (upper || lower))
        {
            return true;
        }
        i += len;
    }
    false
}

fn free_text(b: &[u8]) -> bool {
    b.iter().any(u8::is_ascii_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        (
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.abc",
            Some("@jwt"),
        ),
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
        (
            "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077",
            Some("@account-id"),
        ),
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
        (
            "could not export for customer Acme Corp",
            Some("@free-text"),
        ),
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
            let got = scan_text(input);
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
            assert_eq!(scan_integer(*input), *expected, "{input}");
        }
    }

    #[test]
    fn every_detector_has_a_rule_and_a_case() {
        let ids = STRONG
            .iter()
            .chain(WEAK)
            .map(|(id, _)| *id)
            .chain(["@non-ascii"]);
        for id in ids {
            assert!(RULES.iter().any(|r| r.id == id), "{id} missing from RULES");
            assert!(
                TEXT_CASES.iter().any(|(_, r)| *r == Some(id)),
                "{id} has no positive case"
            );
        }
        let mut ids: Vec<_> = RULES.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len(), "duplicate rule ids");
    }

    #[test]
    fn long_input_is_scanned_in_linear_time() {
        let long = "a1".repeat(4000) + "@" + &"9".repeat(3000) + &" .-:/".repeat(1000);
        assert!(scan_text(&long).is_some());
        let base64ish = "QUJD".repeat(2000);
        let _ = scan_text(&base64ish);
    }
}

//! PII detectors: defence in depth on every string and number that could leave.
//!
//! The schema (closed enums, bounded integers) is the primary guarantee; these detectors make
//! the reported rule meaningful (`@email` rather than `schema.not-allowed`) and protect name
//! segments that are bucketed rather than rejected. Hand-written linear scanners, no regex:
//! the module has a size budget and must not allocate on the common path.
//!
//! Rules are data: each detector is a [`Rule`] (the registry of [`crate::reason`]) and a scanner,
//! relay-pii style, and fail closed: anything a detector is unsure about is reported, never
//! skipped. [`scan_text`] runs, in order:
//! 1. character classes on the original text (`@control`, `@invisible`);
//! 2. the precise detectors ([`STRONG`]) on the text with full-width forms folded to ASCII;
//! 3. the same scan on decoded variants: percent-decoding, `(at)`/`(dot)` de-obfuscation and
//!    base64 runs, so that `jane.doe%40example.com` reports `@email`, not a weaker rule;
//! 4. the coarse detectors ([`WEAK`]): paths, host names, high entropy, free text;
//! 5. `@non-ascii` for anything else outside ASCII (look-alikes such as Cyrillic `с`).

mod chars;
mod detectors;

use crate::reason::Rule;
use crate::work;
use chars::{fold_width, is_base64, is_control, is_hex, is_invisible, luhn, starts_with_ci};
use detectors::*;

/// A detector: the rule it reports and the scanner (over ASCII-folded bytes).
type Detector = (Rule, fn(&[u8]) -> bool);

/// Precise detectors, most specific first: the first that fires names the rule.
pub const STRONG: &[Detector] = &[
    (Rule::PemKey, pem_key),
    (Rule::Jwt, jwt),
    (Rule::Bearer, bearer),
    (Rule::ApiKey, api_key),
    (Rule::UrlAuth, url_auth),
    (Rule::Url, url),
    (Rule::Email, email),
    (Rule::AccountId, account_id),
    (Rule::Uuid, uuid),
    (Rule::Iban, iban),
    (Rule::CreditCard, card_in_text),
    (Rule::UsSsn, us_ssn),
    (Rule::Ip, ip),
    (Rule::Phone, phone),
    (Rule::LongNumber, long_number),
    (Rule::IssueKey, issue_key),
    (Rule::Markup, markup),
];

/// Coarse detectors, run after the decoded variants so that they do not mask a precise rule.
pub const WEAK: &[Detector] = &[
    (Rule::UserPath, user_path),
    (Rule::Hostname, hostname),
    (Rule::HighEntropy, high_entropy),
    (Rule::FreeText, free_text),
];

/// How many nested decodings (percent inside base64...) are followed.
const MAX_DECODE_DEPTH: u8 = 2;
/// Base64 runs shorter than this are not decoded: 16 characters hold 12 bytes (`a.bc@xyz.com`).
const MIN_BASE64_RUN: usize = 16;

/// Returns the id of the first rule that fires on `s`, or `None` if the text looks harmless.
pub fn scan_text(s: &str) -> Option<Rule> {
    scan_at_depth(s, 0)
}

/// Returns the id of the rule that fires on an integer value: card numbers (Luhn, 13-19
/// digits), then 16+ digit numbers, then phone-like numbers (10+ digits). Nine-digit values are
/// not treated as SSNs: counts up to 999,999,999 are legitimate.
pub fn scan_integer(i: i64) -> Option<Rule> {
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
            return Some(Rule::CreditCard);
        }
    }
    if digits >= 16 {
        Some(Rule::LongNumber)
    } else if digits >= 10 {
        Some(Rule::Phone)
    } else {
        None
    }
}

fn scan_at_depth(s: &str, depth: u8) -> Option<Rule> {
    work::tick(s.len());
    if s.chars().any(is_control) {
        return Some(Rule::Control);
    }
    if s.chars().any(is_invisible) {
        return Some(Rule::Invisible);
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
    (!s.is_ascii()).then_some(Rule::NonAscii)
}

fn first_firing(detectors: &[Detector], bytes: &[u8]) -> Option<Rule> {
    detectors.iter().find(|(_, fires)| fires(bytes)).map(|(id, _)| *id)
}

/// Scans what the text may be hiding: percent-encoding, spelled-out `at`/`dot`, base64.
fn scan_decoded(bytes: &[u8], depth: u8) -> Option<Rule> {
    if let Some(decoded) = percent_decode(bytes) {
        if let Some(rule) = scan_at_depth(&String::from_utf8_lossy(&decoded), depth + 1) {
            return Some(rule);
        }
    }
    if let Some(plain) = deobfuscate(bytes) {
        if email_strict(&plain) {
            return Some(Rule::Email);
        }
    }
    let mut i = 0;
    while i < bytes.len() {
        work::tick(1);
        if !is_base64(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_base64(bytes[i]) {
            work::tick(1);
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

// Decoders, only on the rare path: a value that is not exactly an allowed one.

/// Percent-decodes when there is at least one `%XX`; `None` otherwise.
fn percent_decode(b: &[u8]) -> Option<Vec<u8>> {
    let has_escape = b.windows(3).any(|w| w[0] == b'%' && is_hex(w[1]) && is_hex(w[2]));
    if !has_escape {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        work::tick(1);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (crate::hex::digit(b[i + 1]), crate::hex::digit(b[i + 2])) {
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
        work::tick(1);
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

/// Decodes a base64 run (standard or URL-safe, padding optional) when the result is printable
/// text; binary results are not text and cannot hide a readable identifier.
fn base64_decode_text(run: &[u8]) -> Option<String> {
    let text = String::from_utf8(crate::base64::decode_loose(run)?).ok()?;
    let printable = text.chars().all(|c| !c.is_control() || c == '\n' || c == '\t');
    printable.then_some(text)
}

#[cfg(test)]
mod tests;

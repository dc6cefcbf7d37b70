//! The detectors: precise ones (keys, tokens, addresses, numbers) first, then the coarse ones
//! (paths, host names, entropy, free text). Each is a linear scan over ASCII-folded bytes; inner
//! loops count their steps on the work meter.

use super::chars::*;
use crate::work;

// Strong detectors

pub(super) fn pem_key(b: &[u8]) -> bool {
    contains_ci(b, b"-----BEGIN") || contains_ci(b, b"PRIVATE KEY")
}

pub(super) fn jwt(b: &[u8]) -> bool {
    fn b64url(c: u8) -> bool {
        c.is_ascii_alphanumeric() || c == b'-' || c == b'_'
    }
    any_at(b, |i| {
        b[i..].starts_with(b"eyJ") && word_start(b, i) && run_len(b, i, b64url) >= 12
    })
}

pub(super) fn bearer(b: &[u8]) -> bool {
    fn token(c: u8) -> bool {
        c.is_ascii_alphanumeric() || b"-._~+/=".contains(&c)
    }
    any_at(b, |i| {
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
        let spaces = run_len(b, after, |c| c == b' ' || c == b'+' || c == b':' || c == b'=');
        spaces > 0 && run_len(b, after + spaces, token) >= 8
    })
}

/// Vendor key prefixes (case-sensitive, as issued), the class of what follows and its minimum length.
/// A key prefix, the class of the bytes after it, and how many of them at least.
type KeyPrefix = (&'static [u8], fn(u8) -> bool, usize);

pub(super) const KEY_PREFIXES: &[KeyPrefix] = &[
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

pub(super) fn upper_or_digit(c: u8) -> bool {
    c.is_ascii_uppercase() || c.is_ascii_digit()
}

pub(super) fn token_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'=')
}

pub(super) fn api_key(b: &[u8]) -> bool {
    any_at(b, |i| {
        // Every prefix starts with one of these: a cheap filter before the table.
        matches!(b[i], b'A' | b'g' | b'x' | b's' | b'r' | b'n')
            && word_start(b, i)
            && KEY_PREFIXES
                .iter()
                .any(|(prefix, class, min)| b[i..].starts_with(prefix) && run_len(b, i + prefix.len(), *class) >= *min)
    })
}

/// `user:secret@host`: a colon in the run just before an `@` (but not `mailto:`).
pub(super) fn url_auth(b: &[u8]) -> bool {
    let mut run_start = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'@' {
            let run = &b[run_start..i];
            let host_follows = b.get(i + 1).is_some_and(|&h| is_alnum(h) || h == b'[');
            if let Some(colon) = run.iter().rposition(|&c| c == b':') {
                let user = &run[..colon];
                if host_follows && colon + 1 < run.len() && !user.is_empty() && !user.eq_ignore_ascii_case(b"mailto") {
                    return true;
                }
            }
        }
        if c.is_ascii_whitespace() || matches!(c, b'/' | b'@' | b'"' | b'\'' | b'<' | b'(' | b',' | b';') {
            run_start = i + 1;
        }
    }
    false
}

pub(super) fn url(b: &[u8]) -> bool {
    any_at(b, |i| {
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
pub(super) fn email(b: &[u8]) -> bool {
    any_at(b, |i| {
        b[i] == b'@' && {
            let before = i > 0 && (is_word(b[i - 1]) || matches!(b[i - 1], b'.' | b'%' | b'+' | b'-' | b'\''));
            let after = b.get(i + 1).is_some_and(|&c| is_alnum(c) || c == b'[');
            before || after
        }
    })
}

/// A complete address `local@label.tld`: used on de-obfuscated text, where a loose match on a
/// sentence ("export at night") would be a false positive.
pub(super) fn email_strict(b: &[u8]) -> bool {
    any_at(b, |i| {
        if b[i] != b'@' || i == 0 || !(is_word(b[i - 1]) || matches!(b[i - 1], b'.' | b'+' | b'-')) {
            return false;
        }
        let domain_len = run_len(b, i + 1, |c| is_alnum(c) || c == b'.' || c == b'-');
        let domain = &b[i + 1..i + 1 + domain_len];
        let domain = domain.strip_suffix(b".").unwrap_or(domain);
        match domain.iter().rposition(|&c| c == b'.') {
            Some(dot) => dot > 0 && domain.len() - dot > 2 && domain[dot + 1..].iter().all(u8::is_ascii_alphabetic),
            None => false,
        }
    })
}

pub(super) fn account_id(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        work::tick(1);
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
        let jira_user =
            len > 8 && word[..8].eq_ignore_ascii_case(b"JIRAUSER") && word[8..].iter().all(u8::is_ascii_digit);
        let user_key = len >= 6 && word[..2].eq_ignore_ascii_case(b"ID") && word[2..].iter().all(u8::is_ascii_digit);
        if hex24 || jira_user || user_key {
            return true;
        }
        i += len.max(1);
    }
    false
}

pub(super) fn uuid(b: &[u8]) -> bool {
    const GROUPS: [usize; 5] = [8, 4, 4, 4, 12];
    any_at(b, |i| {
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

pub(super) fn iban(b: &[u8]) -> bool {
    let mut i = 0;
    while i + 4 <= b.len() {
        work::tick(1);
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
            work::tick(1);
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

pub(super) fn iban_checksum_ok(iban: &[u8]) -> bool {
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

pub(super) fn card_in_text(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        work::tick(1);
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
            work::tick(1);
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
            work::tick(1);
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

pub(super) fn us_ssn(b: &[u8]) -> bool {
    let digits = |at: usize, n: usize| run_len(b, at, |c| c.is_ascii_digit()) == n;
    any_at(b, |i| {
        (i == 0 || !b[i - 1].is_ascii_digit())
            && digits(i, 3)
            && b.get(i + 3) == Some(&b'-')
            && digits(i + 4, 2)
            && b.get(i + 6) == Some(&b'-')
            && digits(i + 7, 4)
    })
}

pub(super) fn ip(b: &[u8]) -> bool {
    ipv4(b) || ipv6(b)
}

pub(super) fn ipv4(b: &[u8]) -> bool {
    any_at(b, |i| {
        if i > 0 && b[i - 1].is_ascii_digit() {
            return false;
        }
        let mut at = i;
        for k in 0..4 {
            let n = run_len(b, at, |c| c.is_ascii_digit());
            if n == 0 || n > 3 {
                return false;
            }
            let octet: u32 = b[at..at + n].iter().fold(0, |v, &c| v * 10 + u32::from(c - b'0'));
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

pub(super) fn ipv6(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        work::tick(1);
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
            let compressed = run.windows(2).any(|w| w == b"::") && !run.windows(3).any(|w| w == b":::");
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
pub(super) fn phone(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        work::tick(1);
        let plus = b[i] == b'+';
        if !(plus || b[i].is_ascii_digit() || b[i] == b'(') || (i > 0 && is_alnum(b[i - 1])) {
            i += 1;
            continue;
        }
        let mut digits = 0;
        let mut j = if plus { i + 1 } else { i };
        while j < b.len() {
            work::tick(1);
            let c = b[j];
            if c.is_ascii_digit() {
                digits += 1;
            } else if matches!(c, b'-' | b'.' | b'(' | b')') || (c == b' ' && (plus || b[j - 1] == b')')) {
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

pub(super) fn long_number(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        work::tick(1);
        let n = run_len(b, i, |c| c.is_ascii_digit());
        if n >= 16 {
            return true;
        }
        i += n + 1;
    }
    false
}

/// `[A-Za-z][A-Za-z0-9_]+-\d+` as a whole word.
pub(super) fn issue_key(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        work::tick(1);
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

pub(super) fn markup(b: &[u8]) -> bool {
    b.iter().any(|&c| c == b'<' || c == b'>') || contains_ci(b, b"&#") || contains_ci(b, b"&lt;")
}

// Weak detectors

pub(super) fn user_path(b: &[u8]) -> bool {
    fn path_char(c: u8) -> bool {
        c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-' | b'~' | b'$')
    }
    if b.contains(&b'\\') {
        return true; // Windows and UNC paths; never part of an identifier
    }
    let slashes = b.iter().filter(|&&c| c == b'/').count();
    any_at(b, |i| {
        let at_token_start =
            i == 0 || matches!(b[i - 1], b' ' | b'"' | b'\'' | b'=' | b':' | b'(' | b',' | b';' | b'[');
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

pub(super) fn hostname(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        work::tick(1);
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

pub(super) fn high_entropy(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        work::tick(1);
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
        if (len >= 20 && upper && lower && digit) || (len >= 32 && hex_run && digit && (upper || lower)) {
            return true;
        }
        i += len;
    }
    false
}

pub(super) fn free_text(b: &[u8]) -> bool {
    b.iter().any(u8::is_ascii_whitespace)
}

//! Wire format v1: rows → `dataEncoded`, `contentHash`, body; strict decode and verify.

use crate::host::{NewRow, Row};
use crate::json::{self, Value};
use crate::otp;

/// Most rows one payload carries.
pub const MAX_ROWS: usize = 500;
/// Most bytes of `dataEncoded` (the base64 text) one payload carries.
pub const MAX_DATA_ENCODED: usize = 512 * 1024;
/// Most bytes of one row's compact JSON.
pub const MAX_ROW_BYTES: usize = 4096;

const BODY_PREFIX: &str = "{\"dataEncoded\":\"";
const BODY_NONCE: &str = "\",\"nonce\":\"";
const BODY_HASH: &str = "\",\"contentHash\":\"";
const BODY_OTP: &str = "\",\"otp\":\"";
const BODY_SUFFIX: &str = "\"}";
const NONCE_DIGITS_MAX: usize = 19;
const HASH_LEN: usize = 40;
const OTP_LEN: usize = 6;

/// Largest body that can be valid: the longest `dataEncoded`, nonce, hash and otp plus the fixed
/// text around them. `decode` rejects anything longer with [`PayloadError::TooLarge`] unparsed.
pub const MAX_BODY_BYTES: usize = BODY_PREFIX.len()
    + MAX_DATA_ENCODED
    + BODY_NONCE.len()
    + NONCE_DIGITS_MAX
    + BODY_HASH.len()
    + HASH_LEN
    + BODY_OTP.len()
    + OTP_LEN
    + BODY_SUFFIX.len();

/// Most time steps either side that [`verify`] tries, whatever the caller asks (30 minutes).
pub const MAX_DRIFT_STEPS: u32 = 60;

/// Earliest instant [`rfc3339`] can write: 0000-01-01T00:00:00Z.
const MIN_RFC3339: i64 = -62_167_219_200;
/// Latest instant [`rfc3339`] can write: 9999-12-31T23:59:59Z.
const MAX_RFC3339: i64 = 253_402_300_799;

// ---------------------------------------------------------------------------------------------
// Encoding

fn push_u64(out: &mut String, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(char::from(b));
    }
}

fn push_2(out: &mut String, n: u32) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// Appends the row with the given fields; `attributes` is written verbatim when not empty.
#[allow(clippy::too_many_arguments)]
fn write_row_fields(
    out: &mut String,
    id: u64,
    tenant: &str,
    name: &str,
    product_version: &str,
    recorded_at: i64,
    app_version: &str,
    attributes: &str,
) {
    out.push_str("{\"ID\":\"");
    push_u64(out, id);
    out.push_str("\",\"ProductTenant\":");
    json::write_str(out, tenant);
    out.push_str(",\"Name\":");
    json::write_str(out, name);
    out.push_str(",\"ProductVersion\":");
    json::write_str(out, product_version);
    out.push_str(",\"UpdateDate\":\"");
    push_rfc3339(out, recorded_at);
    out.push_str("\",\"AppVersion\":");
    json::write_str(out, app_version);
    if !attributes.is_empty() {
        out.push_str(",\"Attributes\":");
        out.push_str(attributes);
    }
    out.push('}');
}

/// Appends one row's compact JSON, exactly:
/// `{"ID":"<id>","ProductTenant":…,"Name":…,"ProductVersion":…,"UpdateDate":"<RFC 3339>","AppVersion":…}`
/// plus `,"Attributes":<row.attributes verbatim>` only when `row.attributes` is not empty.
/// Strings are escaped with [`json::write_str`].
pub fn write_row(out: &mut String, id: u64, row: &NewRow) {
    write_row_fields(
        out,
        id,
        &row.tenant,
        &row.name,
        &row.product_version,
        row.recorded_at,
        &row.app_version,
        &row.attributes,
    );
}

/// `{"dataRows":[row,…]}` for rows already sorted by id, written into one pre-sized string.
pub fn data_json(rows: &[Row]) -> String {
    // Fixed text of a row without attributes, plus the longest id and date.
    const ROW_OVERHEAD: usize = 110;
    let capacity = 14
        + rows
            .iter()
            .map(|r| {
                let d = &r.data;
                ROW_OVERHEAD
                    + d.tenant.len()
                    + d.name.len()
                    + d.product_version.len()
                    + d.app_version.len()
                    + d.attributes.len()
            })
            .sum::<usize>();
    let mut out = String::with_capacity(capacity);
    out.push_str("{\"dataRows\":[");
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_row(&mut out, row.id, &row.data);
    }
    out.push_str("]}");
    out
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

const B64_INVALID: u8 = 0xff;

const B64_DECODE: [u8; 256] = {
    let mut table = [B64_INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[B64[i] as usize] = i as u8;
        i += 1;
    }
    table
};

/// Length of base64 for `n` input bytes (with padding).
pub fn base64_len(n: usize) -> usize {
    n.div_ceil(3) * 4
}

/// RFC 4648 §4 base64 with padding.
pub fn base64_encode(input: &[u8]) -> String {
    let mut out = Vec::with_capacity(base64_len(input.len()));
    let mut chunks = input.chunks_exact(3);
    for c in &mut chunks {
        let n = (u32::from(c[0]) << 16) | (u32::from(c[1]) << 8) | u32::from(c[2]);
        out.extend_from_slice(&[
            B64[(n >> 18) as usize & 63],
            B64[(n >> 12) as usize & 63],
            B64[(n >> 6) as usize & 63],
            B64[n as usize & 63],
        ]);
    }
    match *chunks.remainder() {
        [a] => {
            let n = u32::from(a) << 16;
            out.extend_from_slice(&[B64[(n >> 18) as usize & 63], B64[(n >> 12) as usize & 63], b'=', b'=']);
        }
        [a, b] => {
            let n = (u32::from(a) << 16) | (u32::from(b) << 8);
            out.extend_from_slice(&[
                B64[(n >> 18) as usize & 63],
                B64[(n >> 12) as usize & 63],
                B64[(n >> 6) as usize & 63],
                b'=',
            ]);
        }
        _ => {}
    }
    // Every byte pushed is from the ASCII alphabet above.
    String::from_utf8(out).unwrap_or_default()
}

/// Strict RFC 4648 §4 base64: length a multiple of 4, canonical padding, no whitespace, no URL
/// alphabet, and the unused bits of the last symbol zero — so each byte string has exactly one
/// accepted text.
pub fn base64_decode(input: &str) -> Option<Vec<u8>> {
    let bytes = input.as_bytes();
    if bytes.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    let quads = bytes.len() / 4;
    for (i, q) in bytes.chunks_exact(4).enumerate() {
        let last = i + 1 == quads;
        let pad = if last {
            q.iter().rev().take_while(|&&b| b == b'=').count()
        } else {
            0
        };
        if pad > 2 {
            return None;
        }
        let mut n = 0u32;
        for &b in &q[..4 - pad] {
            let v = B64_DECODE[usize::from(b)];
            if v == B64_INVALID {
                return None;
            }
            n = (n << 6) | u32::from(v);
        }
        match pad {
            0 => out.extend_from_slice(&[(n >> 16) as u8, (n >> 8) as u8, n as u8]),
            1 => {
                if n & 0x3 != 0 {
                    return None;
                }
                out.extend_from_slice(&[(n >> 10) as u8, (n >> 2) as u8]);
            }
            _ => {
                if n & 0xf != 0 {
                    return None;
                }
                out.push((n >> 4) as u8);
            }
        }
    }
    Some(out)
}

/// Uppercase hex SHA-1 of the ASCII bytes `nonce + ":" + data_encoded`.
pub fn content_hash(nonce: u64, data_encoded: &str) -> String {
    let mut nonce_text = String::with_capacity(20);
    push_u64(&mut nonce_text, nonce);
    let mut h = sha1_smol::Sha1::new();
    h.update(nonce_text.as_bytes());
    h.update(b":");
    h.update(data_encoded.as_bytes());
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(HASH_LEN);
    for b in h.digest().bytes() {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
}

/// The exact body: `{"dataEncoded":"…","nonce":"…","contentHash":"…","otp":"…"}` (that key
/// order, no whitespace).
pub fn body(data_encoded: &str, nonce: u64, content_hash: &str, otp: &str) -> String {
    let mut out = String::with_capacity(MAX_BODY_BYTES.min(data_encoded.len() + 128));
    out.push_str("{\"dataEncoded\":");
    json::write_str(&mut out, data_encoded);
    out.push_str(",\"nonce\":\"");
    push_u64(&mut out, nonce);
    out.push_str("\",\"contentHash\":");
    json::write_str(&mut out, content_hash);
    out.push_str(",\"otp\":");
    json::write_str(&mut out, otp);
    out.push('}');
    out
}

// ---------------------------------------------------------------------------------------------
// Time

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (`civil_from_days`).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn push_rfc3339(out: &mut String, unix_seconds: i64) {
    let t = unix_seconds.clamp(MIN_RFC3339, MAX_RFC3339);
    let (y, m, d) = civil_from_days(t.div_euclid(86_400));
    let secs = t.rem_euclid(86_400) as u32;
    let y = y as u32; // 0..=9999 after the clamp
    push_2(out, y / 100);
    push_2(out, y % 100);
    out.push('-');
    push_2(out, m);
    out.push('-');
    push_2(out, d);
    out.push('T');
    push_2(out, secs / 3600);
    out.push(':');
    push_2(out, secs / 60 % 60);
    out.push(':');
    push_2(out, secs % 60);
    out.push('Z');
}

/// RFC 3339 UTC to the second with `Z`, e.g. `2025-02-13T08:06:44Z` (proleptic Gregorian).
///
/// RFC 3339 has four-digit years only, so instants outside 0000-01-01T00:00:00Z ..=
/// 9999-12-31T23:59:59Z are clamped to those ends: the output is always something
/// [`parse_rfc3339`] accepts.
pub fn rfc3339(unix_seconds: i64) -> String {
    let mut out = String::with_capacity(20);
    push_rfc3339(&mut out, unix_seconds);
    out
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut n = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(c - b'0');
    }
    Some(n)
}

fn unix_seconds(y: i64, m: u32, d: u32, hh: u32, mm: u32, ss: u32) -> Option<i64> {
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || hh > 23 || mm > 59 || ss > 59 {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400 + i64::from(hh * 3600 + mm * 60 + ss))
}

/// The strict inverse of [`rfc3339`]: only `YYYY-MM-DDTHH:MM:SSZ` with a real date and time
/// (no leap second, no fraction, no offset, no lowercase).
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' || b[19] != b'Z'
    {
        return None;
    }
    let y = digits(&b[0..4])?;
    unix_seconds(
        i64::from(y),
        digits(&b[5..7])?,
        digits(&b[8..10])?,
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    )
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const LONG_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

fn month(name: &str) -> Option<u32> {
    MONTHS.iter().position(|m| *m == name).map(|i| i as u32 + 1)
}

/// `HH:MM:SS` → (h, m, s); a leap second 60 is allowed, as HTTP dates allow it.
fn time_of_day(s: &str) -> Option<(u32, u32, u32)> {
    let b = s.as_bytes();
    if b.len() != 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let (h, m, sec) = (digits(&b[0..2])?, digits(&b[3..5])?, digits(&b[6..8])?);
    (h <= 23 && m <= 59 && sec <= 60).then_some((h, m, sec))
}

fn http_instant(y: i64, mon: u32, d: u32, (h, m, s): (u32, u32, u32)) -> Option<i64> {
    // A leap second counts as the first second of the next minute.
    Some(unix_seconds(y, mon, d, h, m, s.min(59))? + i64::from(s == 60))
}

/// Unix seconds of an HTTP date (RFC 9110 §5.6.7): IMF-fixdate, or the obsolete RFC 850 and
/// asctime forms. `now_year` resolves RFC 850's two-digit year.
fn parse_http_date(v: &str, now_year: i64) -> Option<i64> {
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
    if let Some((day, rest)) = v.split_once(", ") {
        if DAYS.contains(&day) {
            let p: Vec<&str> = rest.split(' ').collect();
            if let [d, mon, y, time, "GMT"] = p[..] {
                if d.len() == 2 && y.len() == 4 {
                    return http_instant(
                        i64::from(digits(y.as_bytes())?),
                        month(mon)?,
                        digits(d.as_bytes())?,
                        time_of_day(time)?,
                    );
                }
            }
            return None;
        }
        // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
        if LONG_DAYS.contains(&day) {
            let p: Vec<&str> = rest.split(' ').collect();
            if let [date, time, "GMT"] = p[..] {
                let dp: Vec<&str> = date.split('-').collect();
                if let [d, mon, yy] = dp[..] {
                    if d.len() == 2 && yy.len() == 2 {
                        let yy = i64::from(digits(yy.as_bytes())?);
                        let mut y = now_year - now_year.rem_euclid(100) + yy;
                        if y > now_year + 50 {
                            y -= 100;
                        } else if y + 100 <= now_year + 50 {
                            y += 100;
                        }
                        return http_instant(y, month(mon)?, digits(d.as_bytes())?, time_of_day(time)?);
                    }
                }
            }
        }
        return None;
    }
    // asctime: "Sun Nov  6 08:49:37 1994"
    let b = v.as_bytes();
    if b.len() == 24 && DAYS.contains(&&v[0..3]) && b[3] == b' ' && b[7] == b' ' && b[10] == b' ' && b[19] == b' ' {
        let d = match (b[8], b[9]) {
            (b' ', c) => digits(&[c])?,
            (a, c) => digits(&[a, c])?,
        };
        return http_instant(
            i64::from(digits(&b[20..24])?),
            month(&v[4..7])?,
            d,
            time_of_day(&v[11..19])?,
        );
    }
    None
}

/// A `Retry-After` value → delay in ms from `now_ms`: delta-seconds (`"120"`) or an HTTP date
/// (IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, or the obsolete RFC 850 and asctime forms).
/// Dates in the past give `Some(0)`; huge values saturate; anything else is `None`. The caller
/// applies its own cap.
pub fn parse_retry_after(value: &str, now_ms: i64) -> Option<u64> {
    let v = value.trim_matches(|c| c == ' ' || c == '\t');
    if v.is_empty() || !v.is_ascii() {
        return None;
    }
    if v.bytes().all(|b| b.is_ascii_digit()) {
        let secs = v.bytes().fold(0u64, |acc, b| {
            acc.saturating_mul(10).saturating_add(u64::from(b - b'0'))
        });
        return Some(secs.saturating_mul(1000));
    }
    let now_year = civil_from_days(now_ms.div_euclid(86_400_000)).0;
    let at_ms = parse_http_date(v, now_year)?.saturating_mul(1000);
    Some(u64::try_from(at_ms.saturating_sub(now_ms)).unwrap_or(0))
}

// ---------------------------------------------------------------------------------------------
// Decoding

/// Why a body is not an acceptable wire-format v1 payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PayloadError {
    /// Not wire format v1. The reason code says where, never what: `json` (not a JSON object of
    /// strings), `key-order` (not exactly the four keys in order), `nonce`, `content-hash`, `otp`,
    /// `body` (valid fields but not the one canonical text), `base64`, `utf8`, `data` (not the
    /// canonical `{"dataRows":[…]}`), `rows` (not 1..=500 rows), `row.<i>` (the row at 0-based
    /// index i is wrong: keys, a field, id order or tenant).
    Malformed(String),
    /// Over a size limit: the body, `dataEncoded`, or one row's bytes. A row (or any object below
    /// the top level) whose raw text exceeds [`MAX_ROW_BYTES`] is reported here before parsing,
    /// even if it would also be non-canonical.
    TooLarge,
    /// `contentHash` is not SHA-1 of `nonce:dataEncoded`.
    HashMismatch,
    /// The otp does not match the secret within the allowed time steps.
    OtpMismatch,
    /// The secret is shorter than 20 bytes.
    WeakSecret,
}

fn malformed(code: &str) -> PayloadError {
    PayloadError::Malformed(code.to_string())
}

/// A payload taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The nonce.
    pub nonce: u64,
    /// The `contentHash` as sent.
    pub content_hash: String,
    /// Whether `contentHash` equals SHA-1 of `nonce:dataEncoded` (recomputed, not trusted).
    pub hash_ok: bool,
    /// The otp as sent.
    pub otp: String,
    /// The decoded `dataEncoded`: the exact `{"dataRows":[…]}` text.
    pub data_json: String,
    /// How many rows it holds.
    pub row_count: u32,
    /// The `ProductTenant` all rows share.
    pub tenant: String,
}

/// What a lexical pass over JSON text found wrong before the real parse.
#[derive(Debug, PartialEq, Eq)]
enum Shape {
    Fine,
    TooDeep,
    TooManyMembers,
    NestedObjectTooLong,
}

/// Bounds the work of [`json::parse`] on hostile input: its duplicate-key check is quadratic in
/// an object's member count, so the top-level member count and the byte length of every nested
/// object are capped here first. Exact on every prefix that is valid JSON, which is all the
/// parser ever looks at.
fn shape(text: &str, max_depth: usize, max_top_members: usize, max_nested_object: usize) -> Shape {
    const DEPTH_CAP: usize = 8;
    let max_depth = max_depth.min(DEPTH_CAP - 1);
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    // The outermost open object below the top level (the largest one): (its depth, its start).
    // Tracked on open/close rather than searched for at every byte — this runs over every byte
    // of every payload a collector receives.
    let mut outer: Option<(usize, usize)> = None;
    let mut members = 1usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
        } else {
            match b {
                b'"' => in_string = true,
                b'{' | b'[' => {
                    depth += 1;
                    if depth > max_depth {
                        return Shape::TooDeep;
                    }
                    if b == b'{' && depth >= 2 && outer.is_none() {
                        outer = Some((depth, i));
                    }
                }
                b'}' | b']' => {
                    if matches!(outer, Some((d, _)) if d == depth) {
                        outer = None;
                    }
                    depth = depth.saturating_sub(1);
                }
                b',' if depth == 1 => {
                    members += 1;
                    if members > max_top_members {
                        return Shape::TooManyMembers;
                    }
                }
                _ => {}
            }
        }
        if let Some((_, start)) = outer {
            if i - start + 1 > max_nested_object {
                return Shape::NestedObjectTooLong;
            }
        }
    }
    Shape::Fine
}

fn parse_nonce(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > NONCE_DIGITS_MAX || b[0] == b'0' || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.parse::<u64>().ok().filter(|&n| n <= i64::MAX as u64)
}

fn parse_id(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.is_empty() || (b.len() > 1 && b[0] == b'0') || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.parse::<u64>().ok()
}

fn is_tenant(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 19
        && b.iter().enumerate().all(|(i, &c)| {
            if i % 5 == 4 {
                c == b'-'
            } else {
                c.is_ascii_uppercase() || c.is_ascii_digit()
            }
        })
}

/// Re-encodes an `Attributes` object canonically (keys strictly ascending, values strings,
/// integers or booleans), or `None` if it isn't one.
fn attributes_text(v: &Value, out: &mut String) -> Option<()> {
    let Value::Object(entries) = v else { return None };
    out.push('{');
    for (i, (k, v)) in entries.iter().enumerate() {
        if i > 0 {
            if entries[i - 1].0.as_ref() >= k.as_ref() {
                return None;
            }
            out.push(',');
        }
        json::write_str(out, k);
        out.push(':');
        match v {
            Value::Str(s) => json::write_str(out, s),
            Value::Int(n) => {
                if *n < 0 {
                    out.push('-');
                }
                push_u64(out, n.unsigned_abs());
            }
            Value::Bool(true) => out.push_str("true"),
            Value::Bool(false) => out.push_str("false"),
            _ => return None,
        }
    }
    out.push('}');
    Some(())
}

const ROW_KEYS: [&str; 6] = [
    "ID",
    "ProductTenant",
    "Name",
    "ProductVersion",
    "UpdateDate",
    "AppVersion",
];

/// Checks one row and appends its canonical re-encoding; returns its id and tenant.
fn reencode_row<'v>(v: &'v Value, out: &mut String, attrs: &mut String) -> Option<(u64, &'v str)> {
    let Value::Object(entries) = v else { return None };
    if entries.len() != ROW_KEYS.len() && entries.len() != ROW_KEYS.len() + 1 {
        return None;
    }
    let mut fields: [&str; 6] = [""; 6];
    for (i, key) in ROW_KEYS.iter().enumerate() {
        match &entries[i] {
            (k, Value::Str(s)) if k == key => fields[i] = s,
            _ => return None,
        }
    }
    attrs.clear();
    if let Some((k, a)) = entries.get(ROW_KEYS.len()) {
        if k != "Attributes" {
            return None;
        }
        attributes_text(a, attrs)?;
    }
    let [id, tenant, name, product_version, update_date, app_version] = fields;
    let id = parse_id(id)?;
    if !is_tenant(tenant) {
        return None;
    }
    let recorded_at = parse_rfc3339(update_date)?;
    write_row_fields(out, id, tenant, name, product_version, recorded_at, app_version, attrs);
    Some((id, tenant))
}

/// Validates the decoded data text; returns (row count, tenant).
fn check_data(text: &str) -> Result<(u32, String), PayloadError> {
    match shape(text, 4, 1, MAX_ROW_BYTES) {
        Shape::Fine => {}
        Shape::NestedObjectTooLong => return Err(PayloadError::TooLarge),
        Shape::TooDeep | Shape::TooManyMembers => return Err(malformed("data")),
    }
    let value = json::parse(text, 4).map_err(|_| malformed("data"))?;
    let Value::Object(top) = &value else {
        return Err(malformed("data"));
    };
    let [(key, Value::Array(rows))] = &top[..] else {
        return Err(malformed("data"));
    };
    if key != "dataRows" {
        return Err(malformed("data"));
    }
    if rows.is_empty() || rows.len() > MAX_ROWS {
        return Err(malformed("rows"));
    }
    let mut canonical = String::with_capacity(text.len());
    canonical.push_str("{\"dataRows\":[");
    let mut attrs = String::new();
    let mut previous: Option<u64> = None;
    let mut tenant: &str = "";
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            canonical.push(',');
        }
        let start = canonical.len();
        let bad_row = || PayloadError::Malformed(format!("row.{i}"));
        let (id, row_tenant) = reencode_row(row, &mut canonical, &mut attrs).ok_or_else(bad_row)?;
        if previous.is_some_and(|p| id <= p) || (i > 0 && row_tenant != tenant) {
            return Err(bad_row());
        }
        if canonical.len() - start > MAX_ROW_BYTES {
            return Err(PayloadError::TooLarge);
        }
        previous = Some(id);
        tenant = row_tenant;
    }
    canonical.push_str("]}");
    if canonical != text {
        return Err(malformed("data"));
    }
    Ok((rows.len() as u32, tenant.to_string()))
}

/// Strict decode of a wire-format v1 body.
///
/// Exactly the four keys in order, all strings, in the one canonical text [`body`] writes; nonce
/// decimal in [1, 2^63−1] without leading zeros; `contentHash` 40 uppercase hex digits; otp 6
/// digits; `dataEncoded` strict base64 of at most [`MAX_DATA_ENCODED`] bytes holding UTF-8 JSON that
/// is byte-for-byte the canonical `{"dataRows":[…]}` with 1..=[`MAX_ROWS`] rows (keys in order,
/// optional `Attributes` object with sorted keys, ids ascending, one valid tenant, valid dates,
/// each row at most [`MAX_ROW_BYTES`]). The hash is recomputed into `hash_ok`; the otp is not
/// checked (see [`verify`]).
pub fn decode(body_text: &str) -> Result<Decoded, PayloadError> {
    if body_text.len() > MAX_BODY_BYTES {
        return Err(PayloadError::TooLarge);
    }
    match shape(body_text, 1, 4, usize::MAX) {
        Shape::Fine | Shape::NestedObjectTooLong => {}
        Shape::TooDeep => return Err(malformed("json")),
        Shape::TooManyMembers => return Err(malformed("key-order")),
    }
    let value = json::parse(body_text, 1).map_err(|_| malformed("json"))?;
    let Value::Object(entries) = &value else {
        return Err(malformed("json"));
    };
    let keys = ["dataEncoded", "nonce", "contentHash", "otp"];
    if entries.len() != keys.len() || entries.iter().zip(keys).any(|((k, _), want)| k != want) {
        return Err(malformed("key-order"));
    }
    let field = |i: usize, code: &str| match &entries[i].1 {
        Value::Str(s) => Ok(s.as_ref()),
        _ => Err(malformed(code)),
    };
    let data_encoded = field(0, "base64")?;
    let nonce_text = field(1, "nonce")?;
    let hash = field(2, "content-hash")?;
    let otp_text = field(3, "otp")?;

    if data_encoded.len() > MAX_DATA_ENCODED {
        return Err(PayloadError::TooLarge);
    }
    let nonce = parse_nonce(nonce_text).ok_or_else(|| malformed("nonce"))?;
    if hash.len() != HASH_LEN || !hash.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b)) {
        return Err(malformed("content-hash"));
    }
    if otp_text.len() != OTP_LEN || !otp_text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed("otp"));
    }
    let data = base64_decode(data_encoded).ok_or_else(|| malformed("base64"))?;
    // Fields are all escape-free ASCII now, so anything else in the text (whitespace, `\u0031`,
    // `\/`) makes it differ from the canonical rendering.
    if body(data_encoded, nonce, hash, otp_text) != body_text {
        return Err(malformed("body"));
    }
    let data_json = String::from_utf8(data).map_err(|_| malformed("utf8"))?;
    let (row_count, tenant) = check_data(&data_json)?;
    Ok(Decoded {
        nonce,
        hash_ok: content_hash(nonce, data_encoded) == hash,
        content_hash: hash.to_string(),
        otp: otp_text.to_string(),
        data_json,
        row_count,
        tenant,
    })
}

/// A payload that passed [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// The nonce (for de-duplication).
    pub nonce: u64,
    /// The content hash (for de-duplication).
    pub content_hash: String,
    /// The tenant all rows share.
    pub tenant: String,
    /// How many rows it holds.
    pub row_count: u32,
    /// The time step that matched, relative to the step of `at_seconds`.
    pub step_offset: i32,
}

/// Compares without an early exit, so the time taken does not reveal how many leading bytes match.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Decodes and fully verifies a body: [`decode`], then the hash must match
/// ([`PayloadError::HashMismatch`]), the secret must have at least 20 bytes
/// ([`PayloadError::WeakSecret`]), and the otp must equal [`otp::owly_otp`] for some step
/// T−d..=T+d, T = floor(at_seconds / 30), d = `drift_steps` (at most [`MAX_DRIFT_STEPS`]).
/// Every candidate step is computed and compared in constant time; the reported offset prefers
/// 0, then −1, +1, −2, +2, ….
pub fn verify(body_text: &str, secret: &[u8], at_seconds: i64, drift_steps: u32) -> Result<Verified, PayloadError> {
    let d = decode(body_text)?;
    if !d.hash_ok {
        return Err(PayloadError::HashMismatch);
    }
    if secret.len() < 20 {
        return Err(PayloadError::WeakSecret);
    }
    let t0 = at_seconds.div_euclid(30);
    let drift = i64::from(drift_steps.min(MAX_DRIFT_STEPS));
    let mut matched: Option<i64> = None;
    let offsets = core::iter::once(0).chain((1..=drift).flat_map(|k| [-k, k]));
    for offset in offsets {
        let Ok(t) = u64::try_from(t0 + offset) else { continue };
        let candidate = otp::owly_otp(secret, &d.content_hash, t);
        if constant_time_eq(candidate.as_bytes(), d.otp.as_bytes()) && matched.is_none() {
            matched = Some(offset);
        }
    }
    let offset = matched.ok_or(PayloadError::OtpMismatch)?;
    Ok(Verified {
        nonce: d.nonce,
        content_hash: d.content_hash,
        tenant: d.tenant,
        row_count: d.row_count,
        step_offset: offset as i32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123";

    fn new_row(name: &str, attributes: &str, recorded_at: i64) -> NewRow {
        NewRow {
            name: name.into(),
            tenant: "BWSN-B5B6-32P4-DDL7".into(),
            product_version: "9.12.15".into(),
            app_version: "0.9.9-b301041".into(),
            recorded_at,
            attributes: attributes.into(),
        }
    }

    fn rows(n: usize) -> Vec<Row> {
        (0..n)
            .map(|i| Row {
                id: 1000 + i as u64 * 3,
                data: new_row(
                    "owly.export.tables.propertyentry",
                    if i % 2 == 0 {
                        r#"{"format":"csv","rows":1234}"#
                    } else {
                        ""
                    },
                    1_739_434_004 + i as i64,
                ),
            })
            .collect()
    }

    /// A body whose fields are taken as given (hash recomputed unless `hash` is set).
    fn body_for(data: &str, nonce: u64) -> String {
        let enc = base64_encode(data.as_bytes());
        let hash = content_hash(nonce, &enc);
        body(&enc, nonce, &hash, &otp::owly_otp(SECRET, &hash, 1_739_434_004 / 30))
    }

    fn row_text(id: &str, tenant: &str, extra: &str) -> String {
        format!(
            r#"{{"ID":"{id}","ProductTenant":"{tenant}","Name":"n","ProductVersion":"1","UpdateDate":"2025-02-13T08:06:44Z","AppVersion":"2"{extra}}}"#
        )
    }

    #[test]
    fn writes_the_documented_row_exactly() {
        let mut out = String::new();
        write_row(
            &mut out,
            1223,
            &new_row("owly.export.tables.propertyentry", "", 1_739_434_004),
        );
        assert_eq!(
            out,
            r#"{"ID":"1223","ProductTenant":"BWSN-B5B6-32P4-DDL7","Name":"owly.export.tables.propertyentry","ProductVersion":"9.12.15","UpdateDate":"2025-02-13T08:06:44Z","AppVersion":"0.9.9-b301041"}"#
        );
        out.clear();
        write_row(&mut out, 7, &new_row("a\"b\n", r#"{"k":1}"#, 0));
        assert_eq!(
            out,
            r#"{"ID":"7","ProductTenant":"BWSN-B5B6-32P4-DDL7","Name":"a\"b\n","ProductVersion":"9.12.15","UpdateDate":"1970-01-01T00:00:00Z","AppVersion":"0.9.9-b301041","Attributes":{"k":1}}"#
        );
        let two = data_json(&rows(2));
        assert!(
            two.starts_with(r#"{"dataRows":[{"ID":"1000","#) && two.ends_with(r#""AppVersion":"0.9.9-b301041"}]}"#),
            "{two}"
        );
        assert_eq!(data_json(&[]), r#"{"dataRows":[]}"#);
    }

    #[test]
    fn formats_rfc3339() {
        let table: &[(i64, &str)] = &[
            (0, "1970-01-01T00:00:00Z"),
            (-1, "1969-12-31T23:59:59Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_739_434_004, "2025-02-13T08:06:44Z"),
            (2_147_483_648, "2038-01-19T03:14:08Z"),
            (4_107_542_400, "2100-03-01T00:00:00Z"),
            (-11_670_955_200, "1600-02-29T12:00:00Z"),
            (-62_135_596_800, "0001-01-01T00:00:00Z"),
            (MIN_RFC3339, "0000-01-01T00:00:00Z"),
            (MAX_RFC3339, "9999-12-31T23:59:59Z"),
            // Out of RFC 3339's range: clamped, never garbage.
            (MIN_RFC3339 - 1, "0000-01-01T00:00:00Z"),
            (MAX_RFC3339 + 1, "9999-12-31T23:59:59Z"),
            (i64::MIN, "0000-01-01T00:00:00Z"),
            (i64::MAX, "9999-12-31T23:59:59Z"),
        ];
        for &(t, text) in table {
            assert_eq!(rfc3339(t), text, "{t}");
            assert_eq!(parse_rfc3339(text), Some(t.clamp(MIN_RFC3339, MAX_RFC3339)), "{text}");
        }
        let mut t = MIN_RFC3339;
        while t < MAX_RFC3339 {
            assert_eq!(parse_rfc3339(&rfc3339(t)), Some(t));
            t += 86_399 * 37 + 13;
        }
    }

    #[test]
    fn parses_only_the_exact_rfc3339_form() {
        for bad in [
            "",
            "2025-02-13T08:06:44",
            "2025-02-13t08:06:44Z",
            "2025-02-13T08:06:44z",
            "2025-02-13 08:06:44Z",
            "2025-02-13T08:06:44+00:00",
            "2025-02-13T08:06:44.0Z",
            "2025-02-29T00:00:00Z",
            "2100-02-29T00:00:00Z",
            "2025-13-01T00:00:00Z",
            "2025-00-01T00:00:00Z",
            "2025-01-00T00:00:00Z",
            "2025-04-31T00:00:00Z",
            "2025-01-01T24:00:00Z",
            "2025-01-01T00:60:00Z",
            "2016-12-31T23:59:60Z",
            "+025-01-01T00:00:00Z",
            "-025-01-01T00:00:00Z",
            "2025-1-01T00:00:00Z ",
            "２025-01-01T00:00:00Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn base64_matches_rfc_4648() {
        let table: &[(&str, &str)] = &[
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for &(plain, encoded) in table {
            assert_eq!(base64_encode(plain.as_bytes()), encoded);
            assert_eq!(base64_len(plain.len()), encoded.len());
            assert_eq!(base64_decode(encoded).as_deref(), Some(plain.as_bytes()));
        }
        let all: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        for n in 0..all.len() {
            let enc = base64_encode(&all[..n]);
            assert_eq!(enc.len(), base64_len(n));
            assert_eq!(base64_decode(&enc).as_deref(), Some(&all[..n]));
        }
        assert_eq!(base64_encode(&[0xfb, 0xff, 0xbf]), "+/+/");
    }

    #[test]
    fn base64_decode_is_strict() {
        for bad in [
            "Zg",
            "Zg=",
            "Zm9",
            "Zg===",
            "Z===",
            "====",
            "=Zg=",
            "Zg=a",
            "Zh==",
            "Zm9=",
            "Zm-_",
            "Zm9v\n",
            " Zm9v",
            "Zm9v ",
            "Zm9v====",
            "Zg==Zg==",
            "Zm 9v",
            "Zm9v\u{e9}AA",
        ] {
            assert_eq!(base64_decode(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn content_hash_is_uppercase_sha1_of_nonce_colon_data() {
        // printf '%s' '12345:eyJkYXRhUm93cyI6W119' | sha1sum
        assert_eq!(
            content_hash(12345, "eyJkYXRhUm93cyI6W119"),
            "8A038D7A4012C739EE62BE88B0A9693436CD0DA8"
        );
    }

    #[test]
    fn writes_the_exact_body() {
        assert_eq!(
            body(
                "eyJkYXRhUm93cyI6W119",
                12345,
                "8A038D7A4012C739EE62BE88B0A9693436CD0DA8",
                "012345"
            ),
            r#"{"dataEncoded":"eyJkYXRhUm93cyI6W119","nonce":"12345","contentHash":"8A038D7A4012C739EE62BE88B0A9693436CD0DA8","otp":"012345"}"#
        );
        assert_eq!(
            body(
                &"A".repeat(MAX_DATA_ENCODED),
                i64::MAX as u64,
                &"F".repeat(40),
                "999999"
            )
            .len(),
            MAX_BODY_BYTES
        );
    }

    #[test]
    fn round_trips_and_verifies() {
        for n in [1, 2, 17, MAX_ROWS] {
            let data = data_json(&rows(n));
            let enc = base64_encode(data.as_bytes());
            let nonce = 0x5eed_0000_0000_0001 + n as u64;
            let hash = content_hash(nonce, &enc);
            let t = 1_739_434_004;
            let b = body(&enc, nonce, &hash, &otp::owly_otp(SECRET, &hash, t as u64 / 30));
            let d = decode(&b).unwrap();
            assert_eq!(
                d,
                Decoded {
                    nonce,
                    content_hash: hash.clone(),
                    hash_ok: true,
                    otp: d.otp.clone(),
                    data_json: data.clone(),
                    row_count: n as u32,
                    tenant: "BWSN-B5B6-32P4-DDL7".into(),
                }
            );
            let v = verify(&b, SECRET, t, 1).unwrap();
            assert_eq!(
                (v.nonce, v.content_hash, v.tenant, v.row_count, v.step_offset),
                (nonce, hash, d.tenant, n as u32, 0)
            );
        }
    }

    #[test]
    fn verify_reports_the_matching_step() {
        let b = body_for(&data_json(&rows(3)), 42);
        let t = 1_739_434_004 - 1_739_434_004 % 30; // start of the step the otp was made for
        assert_eq!(verify(&b, SECRET, t, 1).unwrap().step_offset, 0);
        assert_eq!(verify(&b, SECRET, t + 29, 1).unwrap().step_offset, 0);
        assert_eq!(verify(&b, SECRET, t + 30, 1).unwrap().step_offset, -1);
        assert_eq!(verify(&b, SECRET, t - 1, 1).unwrap().step_offset, 1);
        assert_eq!(verify(&b, SECRET, t + 60, 1), Err(PayloadError::OtpMismatch));
        assert_eq!(verify(&b, SECRET, t + 60, 2).unwrap().step_offset, -2);
        assert_eq!(verify(&b, SECRET, t + 60, 0), Err(PayloadError::OtpMismatch));
        assert_eq!(verify(&b, SECRET, t + 1800, u32::MAX).unwrap().step_offset, -60);
        assert_eq!(verify(&b, SECRET, t + 1830, u32::MAX), Err(PayloadError::OtpMismatch));
        assert_eq!(
            verify(&b, b"0123456789abcdef0124", t, 1),
            Err(PayloadError::OtpMismatch)
        );
        assert_eq!(verify(&b, b"0123456789abcdef012", t, 1), Err(PayloadError::WeakSecret));
        assert_eq!(verify(&b, SECRET, i64::MIN, 1), Err(PayloadError::OtpMismatch));
        assert_eq!(verify(&b, SECRET, i64::MAX, u32::MAX), Err(PayloadError::OtpMismatch));

        let enc = base64_encode(data_json(&rows(1)).as_bytes());
        let wrong = body(&enc, 42, &content_hash(43, &enc), "123456");
        assert!(!decode(&wrong).unwrap().hash_ok);
        assert_eq!(verify(&wrong, SECRET, t, 1), Err(PayloadError::HashMismatch));
        assert_eq!(verify(&wrong, b"short", t, 1), Err(PayloadError::HashMismatch));
    }

    #[test]
    fn decode_rejects_everything_not_v1() {
        let good_data = data_json(&rows(2));
        let good = body_for(&good_data, 42);
        assert!(decode(&good).is_ok());
        let enc = base64_encode(good_data.as_bytes());
        let hash = content_hash(42, &enc);
        let m = |s: &str| Err(PayloadError::Malformed(s.into()));
        let one = |row: String| format!(r#"{{"dataRows":[{row}]}}"#);
        let t = "BWSN-B5B6-32P4-DDL7";
        let rows501: Vec<String> = (1..=501).map(|i| row_text(&i.to_string(), t, "")).collect();
        let rows500: Vec<String> = (1..=500).map(|i| row_text(&i.to_string(), t, "")).collect();
        let big_attr = format!(r#","Attributes":{{"k":"{}"}}"#, "x".repeat(MAX_ROW_BYTES));
        let over_attr = format!(r#","Attributes":{{"k":"{}"}}"#, "x".repeat(MAX_ROW_BYTES - 154));
        let fits_attr = format!(r#","Attributes":{{"k":"{}"}}"#, "x".repeat(MAX_ROW_BYTES - 155));
        let many_keys: String = (0..3000)
            .map(|i| format!(r#""k{i:05}":1"#))
            .collect::<Vec<_>>()
            .join(",");

        let table: Vec<(String, Result<(), PayloadError>)> = vec![
            (String::new(), m("json")),
            ("[]".into(), m("json")),
            ("\"x\"".into(), m("json")),
            (format!("{good} "), m("body")),
            (format!(" {good}"), m("body")),
            (good.replace(",\"nonce\"", ", \"nonce\""), m("body")),
            (good.replace("\"nonce\":\"42\"", "\"nonce\":\"4\\u0032\""), m("body")),
            (good.replace("\"otp\"", "\"ot\\u0070\""), m("body")),
            (good.replacen('}', ",\"x\":\"y\"}", 1), m("key-order")),
            (
                format!(r#"{{"nonce":"42","dataEncoded":"{enc}","contentHash":"{hash}","otp":"123456"}}"#),
                m("key-order"),
            ),
            (
                format!(r#"{{"dataEncoded":"{enc}","nonce":"42","contentHash":"{hash}"}}"#),
                m("key-order"),
            ),
            (
                format!(r#"{{"dataEncoded":"{enc}","nonce":42,"contentHash":"{hash}","otp":"123456"}}"#),
                m("nonce"),
            ),
            (
                format!(r#"{{"dataEncoded":"{enc}","nonce":"42","contentHash":"{hash}","otp":123456}}"#),
                m("otp"),
            ),
            (
                format!(r#"{{"dataEncoded":["{enc}"],"nonce":"42","contentHash":"{hash}","otp":"123456"}}"#),
                m("json"),
            ),
            (
                format!(r#"{{"dataEncoded":"{enc}","nonce":"42","nonce":"42","contentHash":"{hash}","otp":"1"}}"#),
                m("key-order"),
            ),
            (body(&enc, 0, &hash, "123456"), m("nonce")),
            (body(&enc, 42, &hash, "123456").replace("\"42\"", "\"042\""), m("nonce")),
            (body(&enc, 42, &hash, "123456").replace("\"42\"", "\"-42\""), m("nonce")),
            (body(&enc, 42, &hash, "123456").replace("\"42\"", "\"+42\""), m("nonce")),
            (body(&enc, 42, &hash, "123456").replace("\"42\"", "\"\""), m("nonce")),
            (body(&enc, 1 << 63, &hash, "123456"), m("nonce")),
            (body(&enc, u64::MAX, &hash, "123456"), m("nonce")),
            (
                body(&enc, 42, &hash, "123456").replace("\"42\"", "\"99999999999999999999\""),
                m("nonce"),
            ),
            (body(&enc, 42, &hash.to_lowercase(), "123456"), m("content-hash")),
            (body(&enc, 42, &hash[1..], "123456"), m("content-hash")),
            (body(&enc, 42, &format!("{}G", &hash[1..]), "123456"), m("content-hash")),
            (body(&enc, 42, &hash, "12345"), m("otp")),
            (body(&enc, 42, &hash, "1234567"), m("otp")),
            (body(&enc, 42, &hash, "12345a"), m("otp")),
            (body(&format!("{enc}\\n"), 42, &hash, "123456"), m("base64")),
            (body(&enc.replace('=', ""), 42, &hash, "123456"), m("base64")),
            (body("eyJ=", 42, &hash, "123456"), m("base64")),
            (body("", 42, &hash, "123456"), m("data")),
            (
                body(&base64_encode(&[b'{', 0xff, b'}']), 42, &hash, "123456"),
                m("utf8"),
            ),
            (body_for(&good_data.replace(",{", ", {"), 42), m("data")),
            (body_for(&format!("{good_data}\n"), 42), m("data")),
            (body_for(&good_data.replace("\"owly", "\"\\u006fwly"), 42), m("data")),
            (body_for(r#"{"dataRows":[]}"#, 42), m("rows")),
            (body_for(r#"{"dataRows":{}}"#, 42), m("data")),
            (body_for(r#"{"rows":[]}"#, 42), m("data")),
            (body_for(r#"{"dataRows":[],"x":1}"#, 42), m("data")),
            (
                body_for(&format!(r#"{{"dataRows":[{}]}}"#, rows501.join(",")), 42),
                m("rows"),
            ),
            (body_for(&one(row_text("01", t, "")), 42), m("row.0")),
            (body_for(&one(row_text("", t, "")), 42), m("row.0")),
            (body_for(&one(row_text("x1", t, "")), 42), m("row.0")),
            (body_for(&one(row_text("18446744073709551616", t, "")), 42), m("row.0")),
            (body_for(&one(row_text("1", "bwsn-B5B6-32P4-DDL7", "")), 42), m("row.0")),
            (body_for(&one(row_text("1", "BWSN-B5B6-32P4-DDL", "")), 42), m("row.0")),
            (body_for(&one(row_text("1", "BWSN_B5B6_32P4_DDL7", "")), 42), m("row.0")),
            (body_for(&one(row_text("1", t, ",\"Extra\":\"x\"")), 42), m("row.0")),
            (body_for(&one(row_text("1", t, ",\"Attributes\":[]")), 42), m("row.0")),
            (
                body_for(&one(row_text("1", t, ",\"Attributes\":{\"b\":1,\"a\":2}")), 42),
                m("row.0"),
            ),
            (
                body_for(&one(row_text("1", t, ",\"Attributes\":{\"a\":null}")), 42),
                m("row.0"),
            ),
            (
                body_for(&one(row_text("1", t, ",\"Attributes\":{\"a\":1.5}")), 42),
                m("row.0"),
            ),
            (
                body_for(&one(row_text("1", t, ",\"Attributes\":{\"a\":{}}")), 42),
                m("data"),
            ),
            (
                body_for(
                    &one(row_text("1", t, "").replace("2025-02-13T08:06:44Z", "2025-02-30T08:06:44Z")),
                    42,
                ),
                m("row.0"),
            ),
            (
                body_for(
                    &one(row_text("1", t, "").replace(
                        "\"Name\":\"n\",\"ProductVersion\":\"1\"",
                        "\"ProductVersion\":\"1\",\"Name\":\"n\"",
                    )),
                    42,
                ),
                m("row.0"),
            ),
            (
                body_for(&one(row_text("1", t, "").replace("\"Name\":\"n\"", "\"Name\":1")), 42),
                m("row.0"),
            ),
            (
                body_for(
                    &format!(r#"{{"dataRows":[{},{}]}}"#, row_text("2", t, ""), row_text("1", t, "")),
                    42,
                ),
                m("row.1"),
            ),
            (
                body_for(
                    &format!(r#"{{"dataRows":[{},{}]}}"#, row_text("2", t, ""), row_text("2", t, "")),
                    42,
                ),
                m("row.1"),
            ),
            (
                body_for(
                    &format!(
                        r#"{{"dataRows":[{},{}]}}"#,
                        row_text("1", t, ""),
                        row_text("2", "AAAA-B5B6-32P4-DDL7", "")
                    ),
                    42,
                ),
                m("row.1"),
            ),
            (
                body_for(&format!(r#"{{"dataRows":[{},7]}}"#, row_text("1", t, "")), 42),
                m("row.1"),
            ),
            (
                body_for(&one(row_text("1", t, &big_attr)), 42),
                Err(PayloadError::TooLarge),
            ),
            (
                body_for(&one(row_text("1", t, &over_attr)), 42),
                Err(PayloadError::TooLarge),
            ),
            (
                body_for(
                    &one(row_text("1", t, &over_attr).replace(",\"Name\"", ", \"Name\"")),
                    42,
                ),
                Err(PayloadError::TooLarge),
            ),
            (
                body_for(&one(row_text("1", t, &format!(r#","Attributes":{{{many_keys}}}"#))), 42),
                Err(PayloadError::TooLarge),
            ),
            (
                body(&"A".repeat(MAX_DATA_ENCODED + 4), 42, &hash, "123456"),
                Err(PayloadError::TooLarge),
            ),
            (
                format!("{}{}", good, " ".repeat(MAX_BODY_BYTES)),
                Err(PayloadError::TooLarge),
            ),
            // Accepted edge cases.
            (body_for(&one(row_text("0", t, "")), 42), Ok(())),
            (
                body_for(&one(row_text("18446744073709551615", t, ",\"Attributes\":{}")), 42),
                Ok(()),
            ),
            (
                body_for(
                    &one(row_text(
                        "1",
                        t,
                        ",\"Attributes\":{\"a\":-1,\"b\":true,\"c\":\"\\u0001\"}",
                    )),
                    42,
                ),
                Ok(()),
            ),
            (body_for(&one(row_text("1", t, &fits_attr)), 42), Ok(())),
            (
                body_for(&format!(r#"{{"dataRows":[{}]}}"#, rows500.join(",")), 42),
                Ok(()),
            ),
            (body_for(&good_data, i64::MAX as u64), Ok(())),
            (body(&enc, 42, &"0".repeat(40), "000000"), Ok(())),
        ];
        for (i, (input, expected)) in table.iter().enumerate() {
            let got = decode(input).map(|_| ());
            assert_eq!(
                &got,
                expected,
                "case {i}: {}",
                input.chars().take(200).collect::<String>()
            );
        }
    }

    #[test]
    fn decode_survives_hostile_shapes_quickly() {
        // Deep nesting, unbalanced brackets and a body with thousands of keys: all rejected
        // without a panic and without quadratic work.
        let keys: String = (0..40_000)
            .map(|i| format!(r#""k{i}":"v""#))
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(
            decode(&format!("{{{keys}}}")),
            Err(PayloadError::Malformed("key-order".into()))
        );
        assert_eq!(
            decode(&"[".repeat(100_000)),
            Err(PayloadError::Malformed("json".into()))
        );
        assert_eq!(
            decode(&"{\"a\":".repeat(50_000)),
            Err(PayloadError::Malformed("json".into()))
        );
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(decode(&body_for(&deep, 1)), Err(PayloadError::Malformed("data".into())));
        let wide: String = (0..40_000)
            .map(|i| format!(r#""k{i}":1"#))
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(
            decode(&body_for(&format!(r#"{{"dataRows":[{{{wide}}}]}}"#), 1)),
            Err(PayloadError::TooLarge)
        );
        let wide = &wide[..wide.len() / 2];
        assert_eq!(
            decode(&body_for(&format!(r#"{{{wide}}}"#), 1)),
            Err(PayloadError::Malformed("data".into()))
        );
        for cut in [1, 10, 100, 200] {
            let good = body_for(&data_json(&rows(3)), 7);
            let _ = decode(&good[..good.len() - cut]);
            let _ = decode(&good[cut..]);
        }
    }

    #[test]
    fn parses_retry_after() {
        // 1994-11-06T08:49:37Z
        let date = 784_111_777_000i64;
        let table: &[(&str, i64, Option<u64>)] = &[
            ("120", 0, Some(120_000)),
            ("0", 0, Some(0)),
            (" 5\t", 0, Some(5_000)),
            ("007", 0, Some(7_000)),
            ("99999999999999999999999", 0, Some(u64::MAX)),
            ("Sun, 06 Nov 1994 08:49:37 GMT", date - 1_500, Some(1_500)),
            ("Sun, 06 Nov 1994 08:49:37 GMT", date + 1, Some(0)),
            ("Sun, 06 Nov 1994 08:49:37 GMT", date, Some(0)),
            ("Sunday, 06-Nov-94 08:49:37 GMT", date - 1_000, Some(1_000)),
            ("Sun Nov  6 08:49:37 1994", date - 2_000, Some(2_000)),
            ("Sun Nov 16 08:49:37 1994", date, Some(10 * 86_400_000)),
            ("Wed, 31 Dec 2025 23:59:60 GMT", 1_767_225_600_000, Some(0)),
            ("Thu, 01 Jan 2026 00:00:10 GMT", 1_767_225_600_000, Some(10_000)),
            // RFC 850 two-digit years: more than 50 years ahead means the past century.
            ("Thursday, 01-Jan-26 00:00:10 GMT", 1_767_225_600_000, Some(10_000)),
            ("Friday, 01-Jan-99 00:00:00 GMT", 1_767_225_600_000, Some(0)),
            ("", 0, None),
            ("-1", 0, None),
            ("1.5", 0, None),
            ("12 s", 0, None),
            ("soon", 0, None),
            ("Sun, 06 Nov 1994 08:49:37 UTC", 0, None),
            ("Sun, 06 Nov 1994 08:49:37 gmt", 0, None),
            ("Sun, 6 Nov 1994 08:49:37 GMT", 0, None),
            ("Sun, 31 Nov 1994 08:49:37 GMT", 0, None),
            ("Sun, 06 Nov 1994 24:49:37 GMT", 0, None),
            ("Sun, 06 Nov 1994 08:49:37 GMT extra", 0, None),
            ("Xyz, 06 Nov 1994 08:49:37 GMT", 0, None),
            ("Sun, 06 Foo 1994 08:49:37 GMT", 0, None),
            ("Sunday, 06-Nov-1994 08:49:37 GMT", 0, None),
            ("Sun Nov 6 08:49:37 1994", 0, None),
            ("Sun Nov  6 08:49:37 1994 ", date - 2_000, Some(2_000)),
            ("１２０", 0, None),
        ];
        for &(value, now, expected) in table {
            assert_eq!(parse_retry_after(value, now), expected, "{value:?}");
        }
    }
}

//! Strict decoding: a body is accepted only in the one canonical text [`super::encode`] writes.

use crate::base64;
use crate::ids;
use crate::json::{self, Value};
use crate::time;
use crate::work;

use super::encode::{body, content_hash, write_row_fields};
use super::{Malformed, PayloadError, MAX_BODY_BYTES, MAX_DATA_ENCODED, MAX_ROWS, MAX_ROW_BYTES, OTP_LEN};

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
        work::tick(1);
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
                json::write_int(out, *n);
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
    let id = ids::parse_row_id(id)?;
    if !ids::is_server_id(tenant) {
        return None;
    }
    let recorded_at = time::parse_rfc3339(update_date)?;
    write_row_fields(out, id, tenant, name, product_version, recorded_at, app_version, attrs);
    Some((id, tenant))
}

/// Validates the decoded data text; returns (row count, tenant).
fn check_data(text: &str) -> Result<(u32, String), PayloadError> {
    match shape(text, 4, 1, MAX_ROW_BYTES) {
        Shape::Fine => {}
        Shape::NestedObjectTooLong => return Err(PayloadError::TooLarge),
        Shape::TooDeep | Shape::TooManyMembers => return Err(Malformed::Data.into()),
    }
    let value = json::parse(text, 4).map_err(|_| PayloadError::from(Malformed::Data))?;
    let Value::Object(top) = &value else {
        return Err(Malformed::Data.into());
    };
    let [(key, Value::Array(rows))] = &top[..] else {
        return Err(Malformed::Data.into());
    };
    if key != "dataRows" {
        return Err(Malformed::Data.into());
    }
    if rows.is_empty() || rows.len() > MAX_ROWS {
        return Err(Malformed::Rows.into());
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
        let bad_row = || PayloadError::from(Malformed::Row(i as u32));
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
        return Err(Malformed::Data.into());
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
/// checked (see [`super::verify()`]).
pub fn decode(body_text: &str) -> Result<Decoded, PayloadError> {
    if body_text.len() > MAX_BODY_BYTES {
        return Err(PayloadError::TooLarge);
    }
    match shape(body_text, 1, 4, usize::MAX) {
        Shape::Fine | Shape::NestedObjectTooLong => {}
        Shape::TooDeep => return Err(Malformed::Json.into()),
        Shape::TooManyMembers => return Err(Malformed::KeyOrder.into()),
    }
    let value = json::parse(body_text, 1).map_err(|_| PayloadError::from(Malformed::Json))?;
    let Value::Object(entries) = &value else {
        return Err(Malformed::Json.into());
    };
    let keys = ["dataEncoded", "nonce", "contentHash", "otp"];
    if entries.len() != keys.len() || entries.iter().zip(keys).any(|((k, _), want)| k != want) {
        return Err(Malformed::KeyOrder.into());
    }
    let field = |i: usize, code: Malformed| match &entries[i].1 {
        Value::Str(s) => Ok(s.as_ref()),
        _ => Err(PayloadError::from(code)),
    };
    let data_encoded = field(0, Malformed::Base64)?;
    let nonce_text = field(1, Malformed::Nonce)?;
    let hash = field(2, Malformed::ContentHash)?;
    let otp_text = field(3, Malformed::Otp)?;

    if data_encoded.len() > MAX_DATA_ENCODED {
        return Err(PayloadError::TooLarge);
    }
    let nonce = ids::parse_nonce(nonce_text).ok_or_else(|| PayloadError::from(Malformed::Nonce))?;
    if !ids::is_content_hash(hash) {
        return Err(Malformed::ContentHash.into());
    }
    if otp_text.len() != OTP_LEN || !otp_text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Malformed::Otp.into());
    }
    let data = base64::decode(data_encoded).ok_or_else(|| PayloadError::from(Malformed::Base64))?;
    // Fields are all escape-free ASCII now, so anything else in the text (whitespace, `\u0031`,
    // `\/`) makes it differ from the canonical rendering.
    if body(data_encoded, nonce, hash, otp_text) != body_text {
        return Err(Malformed::Body.into());
    }
    let data_json = String::from_utf8(data).map_err(|_| PayloadError::from(Malformed::Utf8))?;
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

#[cfg(test)]
#[path = "decode_test.rs"]
mod tests;

//! Encoding: rows → `{"dataRows":[…]}`, the content hash, and the exact body.

use crate::host::{NewRow, Row};
use crate::json;
use crate::time;

use super::MAX_BODY_BYTES;

/// Appends the row with the given fields; `attributes` is written verbatim when not empty.
#[allow(clippy::too_many_arguments)]
pub(crate) fn write_row_fields(
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
    json::write_u64(out, id);
    out.push_str("\",\"ProductTenant\":");
    json::write_str(out, tenant);
    out.push_str(",\"Name\":");
    json::write_str(out, name);
    out.push_str(",\"ProductVersion\":");
    json::write_str(out, product_version);
    out.push_str(",\"UpdateDate\":\"");
    time::push_rfc3339(out, recorded_at);
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

/// Uppercase hex SHA-1 of the ASCII bytes `nonce + ":" + data_encoded`.
pub fn content_hash(nonce: u64, data_encoded: &str) -> String {
    let mut nonce_text = String::with_capacity(20);
    json::write_u64(&mut nonce_text, nonce);
    let mut h = sha1_smol::Sha1::new();
    h.update(nonce_text.as_bytes());
    h.update(b":");
    h.update(data_encoded.as_bytes());
    let mut out = String::with_capacity(crate::ids::CONTENT_HASH_LEN);
    crate::hex::push_upper(&mut out, &h.digest().bytes());
    out
}

/// The exact body: `{"dataEncoded":"…","nonce":"…","contentHash":"…","otp":"…"}` (that key
/// order, no whitespace).
pub fn body(data_encoded: &str, nonce: u64, content_hash: &str, otp: &str) -> String {
    let mut out = String::with_capacity(MAX_BODY_BYTES.min(data_encoded.len() + 128));
    out.push_str("{\"dataEncoded\":");
    json::write_str(&mut out, data_encoded);
    out.push_str(",\"nonce\":\"");
    json::write_u64(&mut out, nonce);
    out.push_str("\",\"contentHash\":");
    json::write_str(&mut out, content_hash);
    out.push_str(",\"otp\":");
    json::write_str(&mut out, otp);
    out.push('}');
    out
}

#[cfg(test)]
#[path = "encode_test.rs"]
mod tests;

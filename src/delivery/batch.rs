//! What goes into a batch: the stored rows that may still leave, split to fit one payload,
//! encoded under a fresh nonce.

use crate::host::{Host, NewRow, Row};
use crate::reason::Rule;
use crate::schema::{self, Rejection};
use crate::{base64, ids, time, wire};

use super::Policy;

/// Whether a row read back from storage may still leave: the filter, the settings shapes and the
/// row size, exactly as at recording time (the database is editable). `buf` is scratch space.
pub(crate) fn stored_row_verdict(row: &Row, policy: &Policy, buf: &mut String) -> Result<(), Rejection> {
    schema::check_stored(&row.data.name, &row.data.attributes)?;
    check_row_fields(&row.data)?;
    buf.clear();
    wire::write_row(buf, row.id, &row.data);
    if buf.len() > policy.row_bytes() {
        return Err(Rejection::new(Rule::RowTooLarge, "event"));
    }
    Ok(())
}

/// The shape checks of the recorder's settings, for the copies a stored row holds.
fn check_row_fields(row: &NewRow) -> Result<(), Rejection> {
    if !ids::is_server_id(&row.tenant) {
        return Err(Rejection::new(Rule::SettingsServerId, "tenant"));
    }
    if !ids::is_version(&row.product_version) || !ids::is_version(&row.app_version) {
        return Err(Rejection::new(Rule::SettingsVersion, "version"));
    }
    if !(0..=time::MAX_RFC3339).contains(&row.recorded_at) {
        return Err(Rejection::new(Rule::RowTime, "recorded-at"));
    }
    Ok(())
}

/// Splits rows (ascending ids) into chunks whose `dataEncoded` fits `max_encoded` bytes; a row
/// too large for any chunk gets one of its own (the row size bound keeps that within limits).
pub(crate) fn split_by_size(rows: &[Row], max_encoded: usize) -> impl Iterator<Item = &[Row]> {
    const FRAME: usize = r#"{"dataRows":[]}"#.len();
    let mut rest = rows;
    let mut buf = String::with_capacity(512);
    core::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut json_len = FRAME;
        let mut take = 0;
        for row in rest {
            buf.clear();
            wire::write_row(&mut buf, row.id, &row.data);
            let next = json_len + buf.len() + usize::from(take > 0);
            if take > 0 && base64::encoded_len(next) > max_encoded {
                break;
            }
            json_len = next;
            take += 1;
        }
        let (chunk, tail) = rest.split_at(take);
        rest = tail;
        Some(chunk)
    })
}

/// The exact `dataEncoded` and `contentHash` of rows (ascending ids) under `nonce`.
pub(crate) fn encode_batch(rows: &[Row], nonce: u64) -> (String, String) {
    let data_encoded = base64::encode(wire::data_json(rows).as_bytes());
    let content_hash = wire::content_hash(nonce, &data_encoded);
    (data_encoded, content_hash)
}

/// A nonce uniform in [1, 2^63-1] from the host's entropy; `None` when the host returns the
/// wrong number of bytes (or zero four times).
pub(crate) fn draw_nonce<H: Host>(host: &mut H) -> Option<u64> {
    for _ in 0..4 {
        let bytes = <[u8; 8]>::try_from(host.random_bytes(8).as_slice()).ok()?;
        if let Some(nonce) = ids::nonce_from_bytes(bytes) {
            return Some(nonce);
        }
    }
    None
}

//! Rows and bodies shared by the wire format's tests.

use crate::host::{NewRow, Row};
use crate::{base64, otp};

use super::{body, content_hash};

pub(super) const SECRET: &[u8] = b"0123456789abcdef0123";

pub(super) fn new_row(name: &str, attributes: &str, recorded_at: i64) -> NewRow {
    NewRow {
        name: name.into(),
        tenant: "BWSN-B5B6-32P4-DDL7".into(),
        product_version: "9.12.15".into(),
        app_version: "0.9.9-b301041".into(),
        recorded_at,
        attributes: attributes.into(),
    }
}

pub(super) fn rows(n: usize) -> Vec<Row> {
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
pub(super) fn body_for(data: &str, nonce: u64) -> String {
    let enc = base64::encode(data.as_bytes());
    let hash = content_hash(nonce, &enc);
    body(&enc, nonce, &hash, &otp::owly_otp(SECRET, &hash, 1_739_434_004 / 30))
}

pub(super) fn row_text(id: &str, tenant: &str, extra: &str) -> String {
    format!(
        r#"{{"ID":"{id}","ProductTenant":"{tenant}","Name":"n","ProductVersion":"1","UpdateDate":"2025-02-13T08:06:44Z","AppVersion":"2"{extra}}}"#
    )
}

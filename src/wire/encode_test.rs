//! Tests of [`super`]: the documented row, the hash and the body, byte for byte.

use super::super::fixtures::*;
use super::super::MAX_DATA_ENCODED;
use super::*;

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

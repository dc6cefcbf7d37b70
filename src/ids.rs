//! The identifiers rows and payloads carry, checked in one place: server ids (a row's
//! `ProductTenant`), versions, row ids, nonces and content hashes.

/// Decimal digits of the largest nonce, 2^63-1.
pub const NONCE_DIGITS_MAX: usize = 19;
/// Hex digits of a content hash (SHA-1, uppercase).
pub const CONTENT_HASH_LEN: usize = 40;

/// A server id, which every row carries as its tenant: `XXXX-XXXX-XXXX-XXXX` of A-Z and 0-9.
pub fn is_server_id(s: &str) -> bool {
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

/// A version: 1 to 32 of `0-9 A-Z a-z . - + _`, starting with a digit or letter.
pub fn is_version(s: &str) -> bool {
    let b = s.as_bytes();
    (1..=32).contains(&b.len())
        && b[0].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'+' | b'_'))
}

/// A row id as the wire format writes it: a canonical decimal `u64` (no sign, no leading zero).
pub fn parse_row_id(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.is_empty() || (b.len() > 1 && b[0] == b'0') || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.parse::<u64>().ok()
}

/// A nonce as the wire format writes it: canonical decimal in [1, 2^63-1].
pub fn parse_nonce(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    if b.is_empty() || b.len() > NONCE_DIGITS_MAX || b[0] == b'0' || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    s.parse::<u64>().ok().filter(|&n| n <= i64::MAX as u64)
}

/// The nonce of 8 random bytes: their low 63 bits (big-endian), `None` when those are all zero
/// (the caller draws again), so that nonces are uniform in [1, 2^63-1].
pub fn nonce_from_bytes(bytes: [u8; 8]) -> Option<u64> {
    Some(u64::from_be_bytes(bytes) & (u64::MAX >> 1)).filter(|&n| n != 0)
}

/// A content hash: exactly 40 uppercase hex digits.
pub fn is_content_hash(s: &str) -> bool {
    crate::hex::is_upper(s, CONTENT_HASH_LEN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_ids_and_versions_have_their_documented_shapes() {
        assert!(is_server_id("BWSN-B5B6-32P4-DDL7"));
        for bad in [
            "bwsn-b5b6-32p4-ddl7",
            "bwsn-B5B6-32P4-DDL7",
            "BWSN-B5B6-32P4-DDL",
            "BWSN_B5B6-32P4-DDL7",
            "BWSN_B5B6_32P4_DDL7",
            "jane@example.com",
            "",
        ] {
            assert!(!is_server_id(bad), "{bad}");
        }
        assert!(is_version("9.12.15") && is_version("0.9.9-b301041"));
        for bad in ["", ".1", "9 12", "https://x.example", &"9".repeat(33)] {
            assert!(!is_version(bad), "{bad}");
        }
    }

    #[test]
    fn numbers_have_exactly_one_accepted_text() {
        assert_eq!(parse_row_id("0"), Some(0));
        assert_eq!(parse_row_id("18446744073709551615"), Some(u64::MAX));
        for bad in ["", "01", "x1", "-1", "+1", " 1", "18446744073709551616"] {
            assert_eq!(parse_row_id(bad), None, "{bad:?}");
        }
        assert_eq!(parse_nonce("1"), Some(1));
        assert_eq!(parse_nonce("9223372036854775807"), Some(i64::MAX as u64));
        for bad in [
            "",
            "0",
            "042",
            "-42",
            "+42",
            "9223372036854775808",
            "99999999999999999999",
        ] {
            assert_eq!(parse_nonce(bad), None, "{bad:?}");
        }
        assert_eq!(nonce_from_bytes([0x80, 0, 0, 0, 0, 0, 0, 0]), None);
        assert_eq!(nonce_from_bytes([0xff; 8]), Some(i64::MAX as u64));
        assert_eq!(nonce_from_bytes([0, 0, 0, 0, 0, 0, 0, 1]), Some(1));
        assert!(is_content_hash(&"A".repeat(40)) && !is_content_hash(&"a".repeat(40)));
    }
}

//! RFC 6287 OCRA one-time passwords for HOTP-SHA1 suites, and the one suite the wire format uses.

use core::fmt;

/// The suite of wire format v1: 6 digits of HMAC-SHA1 over the content hash and a 30-second step.
pub const OWLY_SUITE: &str = "OCRA-1:HOTP-SHA1-6:QH40-T30S";

/// Shortest shared secret the core sends or verifies with (RFC 4226 recommends 160 bits).
pub const MIN_SECRET_BYTES: usize = 20;

/// Why an OCRA value could not be computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OcraError {
    /// The suite string is not RFC 6287 §6 syntax.
    BadSuite,
    /// A valid suite this implementation does not compute: SHA-256/SHA-512 crypto functions, or
    /// no truncation (`HOTP-SHA1-0`).
    Unsupported,
    /// The question is empty, has a character outside its format, or does not fit 128 bytes.
    BadQuestion,
    /// The suite needs this input (`"C"`, `"P"`, `"S"` or `"T"`) but none was given.
    MissingInput(&'static str),
    /// This input (`"C"`, `"P"`, `"S"` or `"T"`) was given but the suite does not use it.
    UnexpectedInput(&'static str),
    /// The password hash (`"P"`) or session information (`"S"`) has the wrong length for the suite.
    BadLength(&'static str),
}

impl fmt::Display for OcraError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OcraError::BadSuite => f.write_str("invalid ocra suite"),
            OcraError::Unsupported => f.write_str("unsupported ocra suite"),
            OcraError::BadQuestion => f.write_str("invalid ocra question"),
            OcraError::MissingInput(what) => write!(f, "ocra suite requires input {what}"),
            OcraError::UnexpectedInput(what) => write!(f, "ocra suite has no input {what}"),
            OcraError::BadLength(what) => write!(f, "ocra input {what} has the wrong length"),
        }
    }
}

/// The question is always laid out in a fixed 128-byte field (RFC 6287 §5.1).
const Q_FIELD: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuestionFormat {
    Numeric,
    Alphanumeric,
    Hex,
}

/// The parsed DataInput part of a suite: which fields the message carries.
#[derive(Debug, Clone, Copy)]
struct Suite {
    digits: u32,
    counter: bool,
    question: QuestionFormat,
    password_len: Option<usize>,
    session_len: Option<usize>,
    timestamp: bool,
}

fn two_or_three_digits(s: &str, width: usize) -> Option<usize> {
    if s.len() != width || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Parses `OCRA-1:HOTP-SHAx-t:[C-]QFxx[-PH][-Snnn][-TG]` strictly (components in this order, each
/// at most once).
fn parse_suite(suite: &str) -> Result<Suite, OcraError> {
    let mut parts = suite.split(':');
    let (Some("OCRA-1"), Some(crypto), Some(data_input), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(OcraError::BadSuite);
    };

    let mut cf = crypto.split('-');
    let (Some("HOTP"), Some(hash), Some(truncation), None) = (cf.next(), cf.next(), cf.next(), cf.next()) else {
        return Err(OcraError::BadSuite);
    };
    let sha1 = match hash {
        "SHA1" => true,
        "SHA256" | "SHA512" => false,
        _ => return Err(OcraError::BadSuite),
    };
    let digits: u32 = match truncation {
        "0" => 0,
        "4" | "5" | "6" | "7" | "8" | "9" | "10" => truncation.parse().map_err(|_| OcraError::BadSuite)?,
        _ => return Err(OcraError::BadSuite),
    };

    let mut items = data_input.split('-').peekable();
    let counter = items.next_if_eq(&"C").is_some();
    let question = match items.next() {
        Some(q) if q.len() == 4 && q.starts_with('Q') => {
            let format = match q.as_bytes()[1] {
                b'N' => QuestionFormat::Numeric,
                b'A' => QuestionFormat::Alphanumeric,
                b'H' => QuestionFormat::Hex,
                _ => return Err(OcraError::BadSuite),
            };
            match two_or_three_digits(&q[2..], 2) {
                Some(4..=64) => format,
                _ => return Err(OcraError::BadSuite),
            }
        }
        _ => return Err(OcraError::BadSuite),
    };
    let password_len = match items.next_if(|p| p.starts_with('P')) {
        None => None,
        Some("PSHA1") => Some(20),
        Some("PSHA256") => Some(32),
        Some("PSHA512") => Some(64),
        Some(_) => return Err(OcraError::BadSuite),
    };
    let session_len = match items.next_if(|s| s.starts_with('S')) {
        None => None,
        Some(s) => Some(two_or_three_digits(&s[1..], 3).ok_or(OcraError::BadSuite)?),
    };
    let timestamp = match items.next_if(|t| t.starts_with('T')) {
        None => false,
        Some(t) => {
            // TG: G = [1-59]S | [1-59]M | [0-48]H (RFC 6287 §6.3).
            let g = &t[1..];
            if g.len() < 2 {
                return Err(OcraError::BadSuite);
            }
            let (amount, unit) = g.split_at(g.len() - 1);
            let amount: u32 = match amount.len() {
                1 | 2 if amount.bytes().all(|b| b.is_ascii_digit()) => {
                    amount.parse().map_err(|_| OcraError::BadSuite)?
                }
                _ => return Err(OcraError::BadSuite),
            };
            let ok = match unit {
                "S" | "M" => (1..=59).contains(&amount),
                "H" => amount <= 48,
                _ => false,
            };
            if !ok {
                return Err(OcraError::BadSuite);
            }
            true
        }
    };
    if items.next().is_some() {
        return Err(OcraError::BadSuite);
    }
    if !sha1 || digits == 0 {
        return Err(OcraError::Unsupported);
    }
    Ok(Suite {
        digits,
        counter,
        question,
        password_len,
        session_len,
        timestamp,
    })
}

/// Writes hex nibbles left-aligned into the question field: an odd count leaves the last byte's
/// low nibble zero, as the RFC's reference code does by right-padding the hex text with '0'.
fn put_nibbles(field: &mut [u8; Q_FIELD], nibbles: impl Iterator<Item = u8>) -> Result<(), OcraError> {
    for (i, n) in nibbles.enumerate() {
        let slot = field.get_mut(i / 2).ok_or(OcraError::BadQuestion)?;
        *slot |= if i % 2 == 0 { n << 4 } else { n };
    }
    Ok(())
}

/// The 128-byte question field for `question` in `format`.
fn question_field(format: QuestionFormat, question: &str) -> Result<[u8; Q_FIELD], OcraError> {
    let mut field = [0u8; Q_FIELD];
    let bytes = question.as_bytes();
    if bytes.is_empty() {
        return Err(OcraError::BadQuestion);
    }
    match format {
        QuestionFormat::Hex => {
            if !bytes.iter().all(u8::is_ascii_hexdigit) {
                return Err(OcraError::BadQuestion);
            }
            put_nibbles(&mut field, bytes.iter().filter_map(|&b| crate::hex::digit(b)))?;
        }
        QuestionFormat::Alphanumeric => {
            if !bytes.iter().all(u8::is_ascii_alphanumeric) || bytes.len() > Q_FIELD {
                return Err(OcraError::BadQuestion);
            }
            field[..bytes.len()].copy_from_slice(bytes);
        }
        QuestionFormat::Numeric => {
            if !bytes.iter().all(u8::is_ascii_digit) {
                return Err(OcraError::BadQuestion);
            }
            // Decimal → big-endian binary (the reference uses BigInteger), then its shortest hex
            // text is placed left-aligned like a QH question.
            let mut value: Vec<u8> = Vec::new();
            for &d in bytes {
                let mut carry = u32::from(d - b'0');
                for byte in value.iter_mut().rev() {
                    let x = u32::from(*byte) * 10 + carry;
                    *byte = (x & 0xff) as u8;
                    carry = x >> 8;
                }
                if carry > 0 {
                    value.insert(0, carry as u8);
                }
                if value.len() > Q_FIELD {
                    return Err(OcraError::BadQuestion);
                }
            }
            let nibbles = value.iter().flat_map(|b| [b >> 4, b & 0xf]);
            let skip = nibbles.clone().take_while(|&n| n == 0).count();
            // Zero is the single hex digit "0".
            let skip = skip.min((value.len() * 2).saturating_sub(1));
            if value.is_empty() {
                put_nibbles(&mut field, core::iter::once(0))?;
            } else {
                put_nibbles(&mut field, nibbles.skip(skip))?;
            }
        }
    }
    Ok(field)
}

/// RFC 6287 OCRA for HOTP-SHA1 suites.
///
/// The message is the suite text, a 0x00 byte, then the fields the suite names: C (8 bytes, big
/// endian), Q (128 bytes: a QN question's value as shortest hex, a QH question's hex digits, a
/// QA question's ASCII bytes — each left-aligned and zero-filled), P (the password hash as given,
/// exactly the suite's hash length), S (exactly `nnn` bytes), T (8 bytes, big endian; `timestamp`
/// is the already-divided step counter). The question length is only bounded by the 128-byte field,
/// not by the suite's `xx`: the RFC's own mutual challenge-response vectors put 16 characters in a
/// `QA08` question.
pub fn ocra(
    suite: &str,
    key: &[u8],
    counter: Option<u64>,
    question: &str,
    password_hash: Option<&[u8]>,
    session: Option<&[u8]>,
    timestamp: Option<u64>,
) -> Result<String, OcraError> {
    let s = parse_suite(suite)?;
    let mut msg: Vec<u8> = Vec::with_capacity(suite.len() + 1 + 8 + Q_FIELD + 64 + 1000 + 8);
    msg.extend_from_slice(suite.as_bytes());
    msg.push(0);
    match (s.counter, counter) {
        (true, Some(c)) => msg.extend_from_slice(&c.to_be_bytes()),
        (true, None) => return Err(OcraError::MissingInput("C")),
        (false, Some(_)) => return Err(OcraError::UnexpectedInput("C")),
        (false, None) => {}
    }
    msg.extend_from_slice(&question_field(s.question, question)?);
    match (s.password_len, password_hash) {
        (Some(len), Some(p)) if p.len() == len => msg.extend_from_slice(p),
        (Some(_), Some(_)) => return Err(OcraError::BadLength("P")),
        (Some(_), None) => return Err(OcraError::MissingInput("P")),
        (None, Some(_)) => return Err(OcraError::UnexpectedInput("P")),
        (None, None) => {}
    }
    match (s.session_len, session) {
        (Some(len), Some(v)) if v.len() == len => msg.extend_from_slice(v),
        (Some(_), Some(_)) => return Err(OcraError::BadLength("S")),
        (Some(_), None) => return Err(OcraError::MissingInput("S")),
        (None, Some(_)) => return Err(OcraError::UnexpectedInput("S")),
        (None, None) => {}
    }
    match (s.timestamp, timestamp) {
        (true, Some(t)) => msg.extend_from_slice(&t.to_be_bytes()),
        (true, None) => return Err(OcraError::MissingInput("T")),
        (false, Some(_)) => return Err(OcraError::UnexpectedInput("T")),
        (false, None) => {}
    }
    Ok(truncate(&hmac_sha1(key, &msg), s.digits))
}

/// RFC 4226 §5.3 dynamic truncation, as `digits` zero-padded decimal digits.
fn truncate(mac: &[u8; 20], digits: u32) -> String {
    let offset = usize::from(mac[19] & 0x0f);
    let binary = u32::from_be_bytes([mac[offset], mac[offset + 1], mac[offset + 2], mac[offset + 3]]) & 0x7fff_ffff;
    let value = u64::from(binary) % 10u64.pow(digits);
    let mut out = String::with_capacity(digits as usize);
    let text = value.to_string();
    for _ in text.len()..digits as usize {
        out.push('0');
    }
    out.push_str(&text);
    out
}

/// The otp of wire format v1: [`OWLY_SUITE`] with Q = the 40 hex digits of `content_hash` and
/// T = `t`, the 30-second step counter (`floor(unix / 30)`).
///
/// Returns an empty string (which never equals a six-digit otp) if `content_hash` is not a valid
/// QH question; [`crate::wire::content_hash`] always produces one.
pub fn owly_otp(key: &[u8], content_hash: &str, t: u64) -> String {
    ocra(OWLY_SUITE, key, None, content_hash, None, None, Some(t)).unwrap_or_default()
}

/// HMAC-SHA1 (RFC 2104).
pub fn hmac_sha1(key: &[u8], msg: &[u8]) -> [u8; 20] {
    const BLOCK: usize = 64;
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..20].copy_from_slice(&sha1_smol::Sha1::from(key).digest().bytes());
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let mut ipad = [0x36u8; BLOCK];
    let mut opad = [0x5cu8; BLOCK];
    for i in 0..BLOCK {
        ipad[i] ^= block[i];
        opad[i] ^= block[i];
    }
    let mut inner = sha1_smol::Sha1::new();
    inner.update(&ipad);
    inner.update(msg);
    let mut outer = sha1_smol::Sha1::new();
    outer.update(&opad);
    outer.update(&inner.digest().bytes());
    outer.digest().bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn hmac_sha1_matches_rfc_2202() {
        // RFC 2202 §3 test cases 1, 2, 6 (key longer than a block).
        assert_eq!(
            hex(&hmac_sha1(&[0x0b; 20], b"Hi There")),
            "b617318655057264e28bc0b6fb378c8ef146be00"
        );
        assert_eq!(
            hex(&hmac_sha1(b"Jefe", b"what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
        assert_eq!(
            hex(&hmac_sha1(
                &[0xaa; 80],
                b"Test Using Larger Than Block-Size Key - Hash Key First"
            )),
            "aa4ae5e15272d00e95705637ce8a3b55ed402112"
        );
    }

    #[test]
    fn hotp_truncation_matches_rfc_4226() {
        let key = b"12345678901234567890";
        let expected = [
            "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489",
        ];
        for (counter, otp) in expected.iter().enumerate() {
            assert_eq!(truncate(&hmac_sha1(key, &(counter as u64).to_be_bytes()), 6), *otp);
        }
    }

    #[test]
    fn numeric_questions_become_shortest_hex_left_aligned() {
        let f = question_field(QuestionFormat::Numeric, "00000000").unwrap();
        assert_eq!(f, [0u8; Q_FIELD]);
        // 11111111 = 0xA98AC7 (even number of nibbles).
        let f = question_field(QuestionFormat::Numeric, "11111111").unwrap();
        assert_eq!(&f[..4], &[0xa9, 0x8a, 0xc7, 0]);
        // 22222222 = 0x153158E (odd): the text is right-padded with '0'.
        let f = question_field(QuestionFormat::Numeric, "22222222").unwrap();
        assert_eq!(&f[..5], &[0x15, 0x31, 0x58, 0xe0, 0]);
        let f = question_field(QuestionFormat::Hex, "abc").unwrap();
        assert_eq!(&f[..3], &[0xab, 0xc0, 0]);
    }

    #[test]
    fn rejects_bad_suites_and_inputs() {
        let key = [0u8; 20];
        let table: &[(&str, &str, OcraError)] = &[
            ("OCRA-1:HOTP-SHA1-6", "1234", OcraError::BadSuite),
            ("OCRA-2:HOTP-SHA1-6:QN08", "1234", OcraError::BadSuite),
            ("OCRA-1:HOTP-MD5-6:QN08", "1234", OcraError::BadSuite),
            ("OCRA-1:HOTP-SHA1-3:QN08", "1234", OcraError::BadSuite),
            ("OCRA-1:HOTP-SHA1-11:QN08", "1234", OcraError::BadSuite),
            ("OCRA-1:HOTP-SHA1-6:QN03", "1234", OcraError::BadSuite),
            ("OCRA-1:HOTP-SHA1-6:QN65", "1234", OcraError::BadSuite),
            ("OCRA-1:HOTP-SHA1-6:QX08", "1234", OcraError::BadSuite),
            ("OCRA-1:HOTP-SHA1-6:Q", "1234", OcraError::BadSuite),
            ("OCRA-1:HOTP-SHA1-6:C", "1234", OcraError::BadSuite),
            ("OCRA-1:HOTP-SHA1-6:QN08-T", "1234", OcraError::BadSuite),
            ("OCRA-1:HOTP-SHA1-6:QN08-T60S", "1234", OcraError::BadSuite),
            ("OCRA-1:HOTP-SHA1-6:QN08-T49H", "1234", OcraError::BadSuite),
            ("OCRA-1:HOTP-SHA1-6:QN08-T1X", "1234", OcraError::BadSuite),
            ("OCRA-1:HOTP-SHA1-6:QN08-S64", "1234", OcraError::BadSuite),
            ("OCRA-1:HOTP-SHA1-6:QN08-PMD5", "1234", OcraError::BadSuite),
            ("OCRA-1:HOTP-SHA1-6:T1M-QN08", "1234", OcraError::BadSuite),
            ("OCRA-1:HOTP-SHA1-6:QN08-T1M-PSHA1", "1234", OcraError::BadSuite),
            ("OCRA-1:HOTP-SHA1-6:QN08-", "1234", OcraError::BadSuite),
            ("OCRA-1:HOTP-SHA256-8:QN08", "1234", OcraError::Unsupported),
            ("OCRA-1:HOTP-SHA1-0:QN08", "1234", OcraError::Unsupported),
            ("OCRA-1:HOTP-SHA1-6:QN08", "12a4", OcraError::BadQuestion),
            ("OCRA-1:HOTP-SHA1-6:QN08", "", OcraError::BadQuestion),
            ("OCRA-1:HOTP-SHA1-6:QH08", "12G4", OcraError::BadQuestion),
            ("OCRA-1:HOTP-SHA1-6:QA08", "ab cd", OcraError::BadQuestion),
            ("OCRA-1:HOTP-SHA1-6:C-QN08", "1234", OcraError::MissingInput("C")),
            ("OCRA-1:HOTP-SHA1-6:QN08-PSHA1", "1234", OcraError::MissingInput("P")),
            ("OCRA-1:HOTP-SHA1-6:QN08-S064", "1234", OcraError::MissingInput("S")),
            ("OCRA-1:HOTP-SHA1-6:QN08-T1M", "1234", OcraError::MissingInput("T")),
        ];
        for (suite, q, expected) in table {
            assert_eq!(
                ocra(suite, &key, None, q, None, None, None),
                Err(expected.clone()),
                "{suite} {q}"
            );
        }
        let long_hex = "A".repeat(2 * Q_FIELD + 1);
        assert_eq!(
            ocra("OCRA-1:HOTP-SHA1-6:QH64", &key, None, &long_hex, None, None, None),
            Err(OcraError::BadQuestion)
        );
        assert_eq!(
            ocra("OCRA-1:HOTP-SHA1-6:QN08", &key, Some(1), "1", None, None, None),
            Err(OcraError::UnexpectedInput("C"))
        );
        assert_eq!(
            ocra("OCRA-1:HOTP-SHA1-6:QN08", &key, None, "1", None, None, Some(1)),
            Err(OcraError::UnexpectedInput("T"))
        );
        assert_eq!(
            ocra(
                "OCRA-1:HOTP-SHA1-6:QN08-PSHA1",
                &key,
                None,
                "1",
                Some(&[0; 19]),
                None,
                None
            ),
            Err(OcraError::BadLength("P"))
        );
        assert_eq!(
            ocra(
                "OCRA-1:HOTP-SHA1-6:QN08-S064",
                &key,
                None,
                "1",
                None,
                Some(&[0; 63]),
                None
            ),
            Err(OcraError::BadLength("S"))
        );
    }

    #[test]
    fn accepts_every_data_input_shape() {
        let key = [7u8; 20];
        let otp = ocra(
            "OCRA-1:HOTP-SHA1-8:C-QA10-PSHA256-S128-T12H",
            &key,
            Some(3),
            "Sig1000000",
            Some(&[1; 32]),
            Some(&[2; 128]),
            Some(9),
        )
        .unwrap();
        assert_eq!(otp.len(), 8);
        let otp = ocra(
            "OCRA-1:HOTP-SHA1-10:QN64-T0H",
            &key,
            None,
            &"9".repeat(64),
            None,
            None,
            Some(0),
        )
        .unwrap();
        assert_eq!(otp.len(), 10);
        assert_eq!(owly_otp(&key, "not hex", 1), "");
        assert_eq!(owly_otp(&key, &"A".repeat(40), 1).len(), 6);
    }
}

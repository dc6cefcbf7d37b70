//! Hexadecimal digits: the one decoder behind JSON `\u` escapes, OCRA questions, percent-escapes
//! and secrets given as text, and the uppercase encoder of the content hash.

/// The value of one hex digit, either case; `None` for anything else.
pub fn digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The bytes of an even number of hex digits (either case, nothing else), or `None`.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let b = text.as_bytes();
    if b.len() % 2 != 0 {
        return None;
    }
    b.chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

/// Whether `s` is exactly `len` uppercase hex digits.
pub fn is_upper(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
}

/// Appends `bytes` as uppercase hex, two digits each.
pub fn push_upper(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_and_encodes_both_cases() {
        for (b, v) in [(b'0', 0), (b'9', 9), (b'a', 10), (b'F', 15)] {
            assert_eq!(digit(b), Some(v));
        }
        for b in [b'g', b'G', b' ', b'-', 0xc3] {
            assert_eq!(digit(b), None);
        }
        assert_eq!(decode("00fFa5"), Some(vec![0, 0xff, 0xa5]));
        assert_eq!(decode(""), Some(vec![]));
        for bad in ["0", "0g", " 00", "00 ", "+1", "é0"] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
        let mut out = String::new();
        push_upper(&mut out, &[0, 0xab, 0x5f]);
        assert_eq!(out, "00AB5F");
        assert!(is_upper("00AB5F", 6) && !is_upper("00ab5f", 6) && !is_upper("00AB5", 6));
    }
}

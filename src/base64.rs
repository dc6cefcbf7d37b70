//! RFC 4648 base64: the strict §4 codec of `dataEncoded`, and the loose decoder the PII filter
//! uses to look inside base64-looking runs.

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
pub fn encoded_len(n: usize) -> usize {
    n.div_ceil(3) * 4
}

/// RFC 4648 §4 base64 with padding.
pub fn encode(input: &[u8]) -> String {
    let mut out = Vec::with_capacity(encoded_len(input.len()));
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
    // Every byte pushed is from the ASCII alphabet above.
    String::from_utf8(out).unwrap_or_default()
}

/// Strict RFC 4648 §4 base64: length a multiple of 4, canonical padding, no whitespace, no URL
/// alphabet, and the unused bits of the last symbol zero — so each byte string has exactly one
/// accepted text.
pub fn decode(input: &str) -> Option<Vec<u8>> {
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

/// Decodes a run of the standard or the URL-safe alphabet (both may mix), without padding, as a
/// detector must read a token it found in text; `None` for a length no encoder produces or a
/// byte outside both alphabets. Trailing bits are ignored.
pub fn decode_loose(run: &[u8]) -> Option<Vec<u8>> {
    if run.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(run.len() / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &c in run {
        let v = match c {
            b'-' => 62,
            b'_' => 63,
            _ => match B64_DECODE[usize::from(c)] {
                B64_INVALID => return None,
                v => v,
            },
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

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
            assert_eq!(encode(plain.as_bytes()), encoded);
            assert_eq!(encoded_len(plain.len()), encoded.len());
            assert_eq!(decode(encoded).as_deref(), Some(plain.as_bytes()));
        }
        let all: Vec<u8> = (0..=255u8).cycle().take(1000).collect();
        for n in 0..all.len() {
            let enc = encode(&all[..n]);
            assert_eq!(enc.len(), encoded_len(n));
            assert_eq!(decode(&enc).as_deref(), Some(&all[..n]));
        }
        assert_eq!(encode(&[0xfb, 0xff, 0xbf]), "+/+/");
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
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn loose_decoding_reads_both_alphabets_without_padding() {
        assert_eq!(decode_loose(b"Zm9vYmFy").as_deref(), Some(&b"foobar"[..]));
        assert_eq!(decode_loose(b"Zm9vYg").as_deref(), Some(&b"foob"[..]));
        assert_eq!(decode_loose(b"-_-_").as_deref(), decode("+/+/").as_deref());
        assert_eq!(decode_loose(b"Zm9vY"), None);
        assert_eq!(decode_loose(b"Zm9v=="), None);
        assert_eq!(decode_loose(b"Zm 9v"), None);
    }
}

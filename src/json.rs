//! A strict, bounded JSON reader and a string and integer writer: the one door for untrusted text.
//!
//! Stricter than RFC 8259 on purpose: duplicate object keys, nesting deeper than the caller
//! allows, lone surrogates and trailing garbage are errors, because every lenient choice is a
//! way to smuggle content past the filter.

use std::borrow::Cow;

use core::fmt;

/// A parsed JSON value, borrowing from the input where no escape forces a copy (the hot path
/// parses small events and must not allocate per string). Objects keep their key order.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits `i64`.
    Int(i64),
    /// Any other number (fraction, exponent, or out of `i64` range), as written.
    Number(&'a str),
    /// A string.
    Str(Cow<'a, str>),
    /// An array.
    Array(Vec<Value<'a>>),
    /// An object, keys in document order, no duplicates.
    Object(Vec<(Cow<'a, str>, Value<'a>)>),
}

impl<'a> Value<'a> {
    /// The JSON type name, for error reasons.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) | Value::Number(_) => "number",
            Value::Str(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// The value of `key` if this is an object holding it.
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        match self {
            Value::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Why a text is not acceptable JSON. Carries positions and reasons, never the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonError {
    /// Syntax error at this byte offset.
    Syntax(usize),
    /// An object repeats a key.
    DuplicateKey,
    /// Nested deeper than allowed.
    TooDeep,
    /// Text after the value.
    TrailingData,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonError::Syntax(at) => write!(f, "json syntax error at byte {at}"),
            JsonError::DuplicateKey => f.write_str("json object repeats a key"),
            JsonError::TooDeep => f.write_str("json nested too deep"),
            JsonError::TrailingData => f.write_str("json has trailing data"),
        }
    }
}

/// Parses exactly one JSON value (surrounding whitespace allowed), nesting at most `max_depth`.
pub fn parse(text: &str, max_depth: usize) -> Result<Value<'_>, JsonError> {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        max_depth,
    };
    p.skip_ws();
    let value = p.value(0)?;
    p.skip_ws();
    if p.pos != p.bytes.len() {
        return Err(JsonError::TrailingData);
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    max_depth: usize,
}

impl<'a> Parser<'a> {
    fn err<T>(&self) -> Result<T, JsonError> {
        Err(JsonError::Syntax(self.pos))
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, literal: &[u8]) -> Result<(), JsonError> {
        if self.bytes[self.pos..].starts_with(literal) {
            self.pos += literal.len();
            Ok(())
        } else {
            self.err()
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value<'a>, JsonError> {
        match self.bytes.get(self.pos) {
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(Value::Str),
            Some(b't') => self.eat(b"true").map(|_| Value::Bool(true)),
            Some(b'f') => self.eat(b"false").map(|_| Value::Bool(false)),
            Some(b'n') => self.eat(b"null").map(|_| Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => self.err(),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value<'a>, JsonError> {
        if depth > self.max_depth {
            return Err(JsonError::TooDeep);
        }
        self.pos += 1;
        let mut entries: Vec<(Cow<'a, str>, Value<'a>)> = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Value::Object(entries));
        }
        loop {
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return self.err();
            }
            let key = self.string()?;
            self.skip_ws();
            self.eat(b":")?;
            self.skip_ws();
            let value = self.value(depth)?;
            // Quadratic in the member count: callers bound that first (see `wire::decode`).
            crate::work::tick(entries.len() + 1);
            if entries.iter().any(|(k, _)| *k == key) {
                return Err(JsonError::DuplicateKey);
            }
            entries.push((key, value));
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Value::Object(entries));
                }
                _ => return self.err(),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value<'a>, JsonError> {
        if depth > self.max_depth {
            return Err(JsonError::TooDeep);
        }
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth)?);
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Value::Array(items));
                }
                _ => return self.err(),
            }
        }
    }

    fn number(&mut self) -> Result<Value<'a>, JsonError> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let s = p.pos;
            while let Some(b'0'..=b'9') = p.bytes.get(p.pos) {
                p.pos += 1;
            }
            p.pos - s
        };
        if self.bytes.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let n = digits(self);
        if n == 0 || (n > 1 && self.bytes[int_start] == b'0') {
            return self.err();
        }
        let mut integral = true;
        if self.bytes.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            integral = false;
            if digits(self) == 0 {
                return self.err();
            }
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.pos) {
            self.pos += 1;
            integral = false;
            if let Some(b'+' | b'-') = self.bytes.get(self.pos) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return self.err();
            }
        }
        // The slice holds only ASCII digits, signs, dots and exponents: a char boundary.
        let text = &self.text[start..self.pos];
        if integral {
            if let Ok(i) = text.parse::<i64>() {
                return Ok(Value::Int(i));
            }
        }
        Ok(Value::Number(text))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let Some(d) = self.bytes.get(self.pos).and_then(|&c| crate::hex::digit(c)) else {
                return self.err();
            };
            v = v * 16 + u32::from(d);
            self.pos += 1;
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        self.pos += 1; // opening quote
        let start = self.pos;
        while let Some(&b) = self.bytes.get(self.pos) {
            if b == b'"' || b == b'\\' || b < 0x20 {
                break;
            }
            self.pos += 1;
        }
        if self.bytes.get(self.pos) == Some(&b'"') {
            // No escape: borrow. We stopped on an ASCII byte, so this is a char boundary.
            let s = &self.text[start..self.pos];
            self.pos += 1;
            return Ok(Cow::Borrowed(s));
        }
        self.pos = start;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            // The input is a &str and we stop only on ASCII bytes, so the run is valid UTF-8.
            out.push_str(
                core::str::from_utf8(&self.bytes[run_start..self.pos]).map_err(|_| JsonError::Syntax(run_start))?,
            );
            match self.bytes.get(self.pos) {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let esc = self.bytes.get(self.pos).copied();
                    self.pos += 1;
                    match esc {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let hi = self.hex4()?;
                            let c = if (0xD800..0xDC00).contains(&hi) {
                                self.eat(b"\\u")?;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return self.err();
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else if (0xDC00..0xE000).contains(&hi) {
                                return self.err();
                            } else {
                                hi
                            };
                            match char::from_u32(c) {
                                Some(ch) => out.push(ch),
                                None => return self.err(),
                            }
                        }
                        _ => return self.err(),
                    }
                }
                _ => return self.err(), // end of input or raw control character
            }
        }
    }
}

/// Appends `s` as a JSON string literal: `"` and `\` escaped, control characters as `\u00XX`,
/// everything else (including non-ASCII) verbatim — the same bytes on every host.
pub fn write_str(out: &mut String, s: &str) {
    out.push('"');
    let mut run_start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[run_start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xf)] as char);
        } else {
            out.push_str(escape);
        }
        run_start = i + 1;
    }
    out.push_str(&s[run_start..]);
    out.push('"');
}

/// Appends `n` in decimal without going through `core::fmt` (hot path: ids, nonces and several
/// attribute integers per event).
pub fn write_u64(out: &mut String, mut n: u64) {
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

/// Appends `n` as a JSON integer, e.g. `-5`.
pub fn write_int(out: &mut String, n: i64) {
    if n < 0 {
        out.push('-');
    }
    write_u64(out, n.unsigned_abs());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_nested_values_in_order() {
        let v = parse(r#" {"b":[1,-2,true,null],"a":{"x":"y\u00e9\n"}} "#, 4).unwrap();
        let Value::Object(entries) = &v else {
            panic!("not an object")
        };
        assert_eq!(entries[0].0, "b");
        assert_eq!(entries[1].0, "a");
        assert_eq!(v.get("a").unwrap().get("x"), Some(&Value::Str("yé\n".into())));
    }

    #[test]
    fn classifies_numbers() {
        assert_eq!(parse("9223372036854775807", 1), Ok(Value::Int(i64::MAX)));
        assert_eq!(
            parse("9223372036854775808", 1),
            Ok(Value::Number("9223372036854775808"))
        );
        assert_eq!(parse("1.5e3", 1), Ok(Value::Number("1.5e3")));
    }

    #[test]
    fn rejects_what_lenient_parsers_accept() {
        let table: &[(&str, JsonError)] = &[
            (r#"{"a":1,"a":2}"#, JsonError::DuplicateKey),
            ("[[[1]]]", JsonError::TooDeep),
            ("{} x", JsonError::TrailingData),
            ("01", JsonError::Syntax(2)),
            (r#""\ud800""#, JsonError::Syntax(7)),
            ("\"a\u{1}\"", JsonError::Syntax(2)),
            ("{'a':1}", JsonError::Syntax(1)),
            ("[1,]", JsonError::Syntax(3)),
            ("NaN", JsonError::Syntax(0)),
            ("", JsonError::Syntax(0)),
        ];
        for (text, expected) in table {
            assert_eq!(parse(text, 2).unwrap_err(), *expected, "{text:?}");
        }
    }

    #[test]
    fn writes_escaped_strings_that_parse_back() {
        let nasty = "a\"b\\c\u{1}\u{1f}\n\té😀";
        let mut out = String::new();
        write_str(&mut out, nasty);
        assert_eq!(out, "\"a\\\"b\\\\c\\u0001\\u001f\\n\\té😀\"");
        assert_eq!(parse(&out, 1), Ok(Value::Str(nasty.into())));
    }

    #[test]
    fn writes_integers_like_core_fmt() {
        for i in [0, 7, -7, 120_345, i64::MAX, i64::MIN] {
            let mut out = String::new();
            write_int(&mut out, i);
            assert_eq!(out, i.to_string());
        }
        let mut out = String::new();
        write_u64(&mut out, u64::MAX);
        assert_eq!(out, u64::MAX.to_string());
    }
}

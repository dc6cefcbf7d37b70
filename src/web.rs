//! The admin page's wasm-bindgen exports: decode, verify and list what can leave, in the browser.
//!
//! Built only with the `web` feature (`make web`), as a separate artifact from the release core
//! module. Every export is a pure function of its arguments — no randomness, no clock, no I/O —
//! so the page can re-check what the server shows without trusting the server. Results are JSON
//! text written with [`json::write_str`] (the page calls `JSON.parse`), which keeps serde out of
//! the build. Numbers that may not fit a JS double (nonce, row ids, attribute integers) travel as
//! strings.

use wasm_bindgen::prelude::*;

use crate::catalog::{self, ValueKind};
use crate::json::{self, Value};
use crate::wire::{self, PayloadError};
use crate::{hex, ids};

/// Placeholder otp used to rebuild a body from ledger fields; the ledger never stores an otp
/// because each send computes a fresh one, and [`wire::decode`] does not check it.
const NO_OTP: &str = "000000";

/// A plain-language message for a payload error. Says where the payload is wrong, never what
/// it contains (the reason codes of [`PayloadError::Malformed`] carry no content).
fn payload_message(e: &PayloadError) -> String {
    match e {
        PayloadError::Malformed(code) => format!("not a wire-format v1 payload ({code})"),
        PayloadError::TooLarge => "over a size limit (body, dataEncoded or one row)".to_string(),
        PayloadError::HashMismatch => "contentHash does not match SHA-1 of nonce:dataEncoded".to_string(),
        PayloadError::OtpMismatch => "otp does not match the secret at the given time".to_string(),
        PayloadError::WeakSecret => "the secret is shorter than 20 bytes".to_string(),
    }
}

fn payload_error(e: &PayloadError) -> JsError {
    JsError::new(&payload_message(e))
}

fn push_key(out: &mut String, first: &mut bool, key: &str) {
    if !*first {
        out.push(',');
    }
    *first = false;
    json::write_str(out, key);
    out.push(':');
}

fn push_bool(out: &mut String, b: bool) {
    out.push_str(if b { "true" } else { "false" });
}

/// A JSON object under construction; keys are written in call order.
struct Obj {
    out: String,
    first: bool,
}

impl Obj {
    fn new() -> Self {
        Obj {
            out: String::from("{"),
            first: true,
        }
    }
    fn str(&mut self, key: &str, value: &str) -> &mut Self {
        push_key(&mut self.out, &mut self.first, key);
        json::write_str(&mut self.out, value);
        self
    }
    fn raw(&mut self, key: &str, json_text: &str) -> &mut Self {
        push_key(&mut self.out, &mut self.first, key);
        self.out.push_str(json_text);
        self
    }
    fn bool(&mut self, key: &str, value: bool) -> &mut Self {
        push_key(&mut self.out, &mut self.first, key);
        push_bool(&mut self.out, value);
        self
    }
    fn int(&mut self, key: &str, value: i64) -> &mut Self {
        self.raw(key, &value.to_string())
    }
    fn finish(&mut self) -> String {
        let mut out = core::mem::take(&mut self.out);
        out.push('}');
        out
    }
}

/// One attribute value as the page shows it: its JSON type and its exact text.
fn attribute_json(key: &str, value: &Value) -> String {
    let (kind, text) = match value {
        Value::Str(s) => ("string", s.to_string()),
        Value::Int(n) => ("integer", n.to_string()),
        Value::Bool(b) => ("boolean", b.to_string()),
        // `decode` accepts only the three kinds above; anything else cannot reach here.
        other => (other.kind(), String::new()),
    };
    Obj::new()
        .str("key", key)
        .str("type", kind)
        .str("value", &text)
        .finish()
}

/// The rows of a decoded (hence canonical) `{"dataRows":[…]}` text as a JSON array for the page:
/// every field a string, `Attributes` a list of `{key,type,value}`, and `inCatalog` telling
/// whether the name belongs to a catalogue event (a payload from elsewhere may not).
fn rows_json(data_json: &str) -> String {
    let mut out = String::from("[");
    let value = json::parse(data_json, 4).unwrap_or(Value::Null);
    let rows = match value.get("dataRows") {
        Some(Value::Array(rows)) => rows.as_slice(),
        _ => &[],
    };
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let text = |key: &str| match row.get(key) {
            Some(Value::Str(s)) => s.as_ref(),
            _ => "",
        };
        let name = text("Name");
        let attributes = match row.get("Attributes") {
            Some(Value::Object(entries)) => {
                let items: Vec<String> = entries.iter().map(|(k, v)| attribute_json(k, v)).collect();
                format!("[{}]", items.join(","))
            }
            _ => "[]".to_string(),
        };
        out.push_str(
            &Obj::new()
                .str("ID", text("ID"))
                .str("ProductTenant", text("ProductTenant"))
                .str("Name", name)
                .str("ProductVersion", text("ProductVersion"))
                .str("UpdateDate", text("UpdateDate"))
                .str("AppVersion", text("AppVersion"))
                .raw("Attributes", &attributes)
                .bool("inCatalog", catalog::lookup(name).is_some())
                .finish(),
        );
    }
    out.push(']');
    out
}

/// `recomputed` is the hash computed here from `nonce:dataEncoded`, shown beside the one sent.
fn decoded_json(d: &wire::Decoded, otp: Option<&str>, data_encoded: &str) -> String {
    let mut obj = Obj::new();
    obj.str("nonce", &d.nonce.to_string())
        .str("contentHash", &d.content_hash)
        .str("recomputedHash", &wire::content_hash(d.nonce, data_encoded))
        .bool("hashOk", d.hash_ok);
    match otp {
        Some(otp) => obj.str("otp", otp),
        None => obj.raw("otp", "null"),
    };
    obj.int("rowCount", i64::from(d.row_count))
        .str("tenant", &d.tenant)
        .str("dataJson", &d.data_json)
        .raw("rows", &rows_json(&d.data_json))
        .finish()
}

/// Decodes a wire-format v1 body strictly and recomputes its content hash.
///
/// Returns JSON text: `{"nonce":"<decimal>","contentHash","recomputedHash","hashOk","otp",
/// "rowCount","tenant","dataJson","rows":[…]}`. A body that is not wire format v1 is an `Error`
/// whose message names the reason code.
#[wasm_bindgen]
pub fn decode(body: &str) -> Result<String, JsError> {
    let d = wire::decode(body).map_err(|e| payload_error(&e))?;
    Ok(decoded_json(
        &d,
        Some(&d.otp),
        data_encoded_of(body).unwrap_or_default(),
    ))
}

/// The `dataEncoded` text of a body that [`wire::decode`] accepted (canonical, so it is the
/// run of base64 characters after the fixed prefix).
fn data_encoded_of(body: &str) -> Option<&str> {
    let rest = body.strip_prefix("{\"dataEncoded\":\"")?;
    rest.split('"').next()
}

fn parse_nonce(nonce_decimal: &str) -> Result<u64, JsError> {
    ids::parse_nonce(nonce_decimal).ok_or_else(|| JsError::new("the nonce is not a decimal integer in [1, 2^63-1]"))
}

/// Decodes a sealed batch as the ledger lists it (nonce, contentHash, dataEncoded; no otp,
/// because each send computes a fresh one). Same JSON as [`decode`], with `"otp":null`.
#[wasm_bindgen]
pub fn decode_batch(nonce_decimal: &str, content_hash: &str, data_encoded: &str) -> Result<String, JsError> {
    let nonce = parse_nonce(nonce_decimal)?;
    if !ids::is_content_hash(content_hash) {
        return Err(JsError::new("the contentHash is not 40 uppercase hex digits"));
    }
    let body = wire::body(data_encoded, nonce, content_hash, NO_OTP);
    let d = wire::decode(&body).map_err(|e| payload_error(&e))?;
    Ok(decoded_json(&d, None, data_encoded))
}

/// Uppercase hex SHA-1 of `nonce + ":" + dataEncoded`, the wire format's `contentHash`.
#[wasm_bindgen]
pub fn content_hash(nonce_decimal: &str, data_encoded: &str) -> Result<String, JsError> {
    Ok(wire::content_hash(parse_nonce(nonce_decimal)?, data_encoded))
}

/// Fully verifies a body with the instance's shared secret: decode, hash, and the otp at
/// `at_seconds` (unix seconds) within ±`drift_steps` 30-second steps (at most 60).
///
/// The outcome is data: `{"ok":true,"stepOffset":n,"nonce","contentHash","tenant","rowCount"}` or
/// `{"ok":false,"reason":"hash-mismatch"|"otp-mismatch","message"}`. Unusable input — a body that
/// is not wire format v1, a secret that is not hex or shorter than 20 bytes, a time that is not a
/// finite number — is an `Error`. The secret never appears in any result or message.
#[wasm_bindgen]
pub fn verify(body: &str, secret_hex: &str, at_seconds: f64, drift_steps: u32) -> Result<String, JsError> {
    let secret =
        hex::decode(secret_hex.trim()).ok_or_else(|| JsError::new("the secret is not hex (two digits per byte)"))?;
    // ±10^15 s is far beyond any real clock and well inside i64 and f64's exact integers.
    if !at_seconds.is_finite() || at_seconds.abs() > 1e15 {
        return Err(JsError::new("the time is not a number of unix seconds"));
    }
    let at = at_seconds.floor() as i64;
    match wire::verify(body, &secret, at, drift_steps) {
        Ok(v) => Ok(Obj::new()
            .bool("ok", true)
            .int("stepOffset", i64::from(v.step_offset))
            .str("nonce", &v.nonce.to_string())
            .str("contentHash", &v.content_hash)
            .str("tenant", &v.tenant)
            .int("rowCount", i64::from(v.row_count))
            .finish()),
        Err(e @ (PayloadError::HashMismatch | PayloadError::OtpMismatch)) => {
            let reason = if e == PayloadError::HashMismatch {
                "hash-mismatch"
            } else {
                "otp-mismatch"
            };
            Ok(Obj::new()
                .bool("ok", false)
                .str("reason", reason)
                .str("message", &payload_message(&e))
                .finish())
        }
        Err(e) => Err(payload_error(&e)),
    }
}

fn string_list(values: &[&str]) -> String {
    let mut out = String::from("[");
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json::write_str(&mut out, v);
    }
    out.push(']');
    out
}

/// The catalogue compiled into this module: every event and attribute that can ever leave.
///
/// JSON text: `[{"name","purpose","segment":[…]|null,"attributes":[{"name","purpose","kind":
/// "oneOf"|"integer"|"boolean","values":[…]?,"min"?,"max"?}]}]`.
#[wasm_bindgen]
pub fn catalog() -> String {
    let mut out = String::from("[");
    for (i, spec) in catalog::CATALOG.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let attributes: Vec<String> = spec
            .attributes
            .iter()
            .map(|a| {
                let mut obj = Obj::new();
                obj.str("name", a.name).str("purpose", a.purpose);
                match a.kind {
                    ValueKind::OneOf(values) => obj.str("kind", "oneOf").raw("values", &string_list(values)),
                    ValueKind::Integer { min, max } => obj.str("kind", "integer").int("min", min).int("max", max),
                    ValueKind::Boolean => obj.str("kind", "boolean"),
                };
                obj.finish()
            })
            .collect();
        let segment = spec.segment.map_or_else(|| "null".to_string(), string_list);
        out.push_str(
            &Obj::new()
                .str("name", spec.name)
                .str("purpose", spec.purpose)
                .raw("segment", &segment)
                .raw("attributes", &format!("[{}]", attributes.join(",")))
                .finish(),
        );
    }
    out.push(']');
    out
}

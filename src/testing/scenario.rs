//! The delivery scenarios as data: `tests/scenarios/delivery.json` (format in its README), run
//! step by step against any host that can drive the core — natively ([`Native`]) and through
//! the release module in wasmtime (the harness implements [`Driver`] too).

use std::collections::BTreeSet;
use std::panic::{self, AssertUnwindSafe};

use super::host::{hex, Answer, MemHost, Patch};
use super::memdb::{new_db, RowState, SharedDb};
use crate::delivery::FlushReport;
use crate::host::{Header, Mode, TransportError};
use crate::json::{self, Value};
use crate::wire::{Decoded, Verified};
use crate::Core;

/// One node of a scenario, as a host runs it.
pub trait Driver: Sized {
    /// Starts the core on `host`.
    fn start(host: MemHost) -> Self;
    /// The node's host state, to script and to inspect.
    fn host(&mut self) -> &mut MemHost;
    /// `recorder.record`; the error is the rule id.
    fn record(&mut self, event: &str) -> Result<u64, String>;
    /// `delivery.flush`; `None` when the host died during it (a scripted crash).
    fn flush(&mut self) -> Option<FlushReport>;
    /// `delivery.preview`; the error is the storage error's text.
    fn preview(&mut self) -> Result<Option<String>, String>;
    /// `inspect.decode`; the error is the payload error's text.
    fn decode(&mut self, body: &str) -> Result<Decoded, String>;
    /// `inspect.verify` with ±1 step; the error is the payload error's text.
    fn verify(&mut self, body: &str, secret: &[u8], at_seconds: i64) -> Result<Verified, String>;
    /// `recorder.stats`.
    fn stats(&mut self) -> Vec<(String, u64)>;
}

/// The core natively, on a [`MemHost`]: a scripted crash is a panic, caught as the end of the
/// node's process.
pub struct Native {
    core: Core,
    host: MemHost,
}

impl Driver for Native {
    fn start(host: MemHost) -> Self {
        Native {
            core: Core::new(),
            host,
        }
    }
    fn host(&mut self) -> &mut MemHost {
        &mut self.host
    }
    fn record(&mut self, event: &str) -> Result<u64, String> {
        self.core
            .record(&mut self.host, event)
            .map_err(|r| r.rule.id().to_string())
    }
    fn flush(&mut self) -> Option<FlushReport> {
        let (core, host) = (&mut self.core, &mut self.host);
        panic::catch_unwind(AssertUnwindSafe(|| core.flush(host))).ok()
    }
    fn preview(&mut self) -> Result<Option<String>, String> {
        self.core.preview(&mut self.host).map_err(|e| format!("{e:?}"))
    }
    fn decode(&mut self, body: &str) -> Result<Decoded, String> {
        crate::wire::decode(body).map_err(|e| format!("{e:?}"))
    }
    fn verify(&mut self, body: &str, secret: &[u8], at_seconds: i64) -> Result<Verified, String> {
        crate::wire::verify(body, secret, at_seconds, 1).map_err(|e| format!("{e:?}"))
    }
    fn stats(&mut self) -> Vec<(String, u64)> {
        self.core.stats()
    }
}

/// The state of a running scenario.
struct Run<D: Driver> {
    db: SharedDb,
    /// What a node started by a `node` step begins with (clock, entropy, secret, settings).
    start: MemHost,
    start_ms: i64,
    /// The event `record` sends unless a step names another.
    event: String,
    /// The nodes by name; `None` once a node died in a scripted crash.
    nodes: Vec<(String, Option<D>)>,
    current: usize,
    /// Every body sent by any node, in order.
    sent: Vec<String>,
    /// The headers of each of those sends.
    sent_headers: Vec<Vec<Header>>,
    /// How many of each node's bodies are in `sent`.
    collected: Vec<usize>,
    /// What a node that died leaves for its restart (its settings, clock, entropy, answers).
    remains: Vec<Option<MemHost>>,
}

/// A step (or any table object): its keys and values in order.
type Step<'a> = &'a [(std::borrow::Cow<'a, str>, Value<'a>)];

fn get<'a>(step: Step<'a>, key: &str) -> Option<&'a Value<'a>> {
    step.iter().find(|(k, _)| k == key).map(|(_, v)| v)
}

fn int(v: &Value) -> Result<i64, String> {
    match v {
        Value::Int(n) => Ok(*n),
        other => Err(format!("expected an integer, found a {}", other.kind())),
    }
}

fn text<'v>(v: &'v Value) -> Result<&'v str, String> {
    match v {
        Value::Str(s) => Ok(s),
        other => Err(format!("expected a string, found a {}", other.kind())),
    }
}

/// Compares a number with an expectation: an integer (exact) or `{"min":…,"max":…}`
/// (inclusive, either optional), both relative to `base`.
fn check(what: &str, got: i64, want: &Value, base: i64) -> Result<(), String> {
    let ok = match want {
        Value::Int(n) => got == base + n,
        Value::Object(range) => {
            keys(range, &["min", "max"])?;
            let bound = |k: &str| get(range, k).map(int).transpose();
            bound("min")?.is_none_or(|m| got >= base + m) && bound("max")?.is_none_or(|m| got <= base + m)
        }
        other => return Err(format!("{what}: bad expectation {other:?}")),
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{what}: got {}, expected {want:?} (relative to {base})",
            got - base
        ))
    }
}

fn keys(step: Step, allowed: &[&str]) -> Result<(), String> {
    match step.iter().find(|(k, _)| !allowed.contains(&k.as_ref())) {
        Some((k, _)) => Err(format!("unknown key {k:?} (allowed: {allowed:?})")),
        None => Ok(()),
    }
}

fn patch(settings: Step) -> Result<Patch, String> {
    keys(
        settings,
        &[
            "op",
            "mode",
            "collector_configured",
            "secret_hex",
            "server_id",
            "app_version",
            "retention_days",
            "max_batch_rows",
            "max_batches_per_flush",
        ],
    )?;
    let mut p = Patch::default();
    for (k, v) in settings {
        match k.as_ref() {
            "op" => {}
            "mode" => {
                p.mode = Some(match text(v)? {
                    "off" => Mode::Off,
                    "local" => Mode::Local,
                    "remote" => Mode::Remote,
                    m => return Err(format!("no mode {m}")),
                })
            }
            "collector_configured" => p.collector_configured = Some(matches!(v, Value::Bool(true))),
            "secret_hex" => p.secret = Some(crate::hex::decode(text(v)?).ok_or("secret_hex is not hex")?),
            "server_id" => p.server_id = Some(text(v)?.to_string()),
            "app_version" => p.app_version = Some(text(v)?.to_string()),
            "retention_days" => p.retention_days = Some(int(v)? as u32),
            "max_batch_rows" => p.max_batch_rows = Some(int(v)? as u32),
            "max_batches_per_flush" => p.max_batches_per_flush = Some(int(v)? as u32),
            _ => unreachable!("checked by keys"),
        }
    }
    Ok(p)
}

fn object<'a, 'v>(v: &'a Value<'v>) -> Result<Step<'a>, String> {
    match v {
        Value::Object(entries) => Ok(entries),
        other => Err(format!("expected an object, found a {}", other.kind())),
    }
}

/// The dataEncoded, nonce and contentHash of a body, and its otp.
fn parts(body: &str) -> Result<([String; 3], String), String> {
    let v = json::parse(body, 1).map_err(|e| format!("body: {e}"))?;
    let f = |k: &str| match v.get(k) {
        Some(Value::Str(s)) => Ok(s.to_string()),
        _ => Err(format!("body has no {k}")),
    };
    Ok(([f("dataEncoded")?, f("nonce")?, f("contentHash")?], f("otp")?))
}

impl<D: Driver> Run<D> {
    fn node(&mut self) -> Result<&mut D, String> {
        let (name, node) = &mut self.nodes[self.current];
        node.as_mut()
            .ok_or(format!("node {name} died in a crash; switch to another node"))
    }

    fn host(&mut self) -> Result<&mut MemHost, String> {
        Ok(self.node()?.host())
    }

    /// Appends what every live node sent since the last look to [`Run::sent`].
    fn collect_sent(&mut self) {
        for (i, (_, node)) in self.nodes.iter_mut().enumerate() {
            if let Some(node) = node {
                let host = node.host();
                self.sent.extend(host.sent[self.collected[i]..].iter().cloned());
                self.sent_headers
                    .extend(host.sent_headers[self.collected[i]..].iter().cloned());
                self.collected[i] = host.sent.len();
            }
        }
    }

    fn step(&mut self, step: Step) -> Result<(), String> {
        let op = text(get(step, "op").ok_or("a step needs an op")?)?;
        let result = self.apply(op, step);
        self.collect_sent();
        result.map_err(|e| format!("{op}: {e}"))
    }

    fn apply(&mut self, op: &str, step: Step) -> Result<(), String> {
        match op {
            "record" => {
                keys(step, &["op", "count", "event", "rejected"])?;
                let count = get(step, "count").map(int).transpose()?.unwrap_or(1);
                let event = match get(step, "event") {
                    Some(v) => text(v)?.to_string(),
                    None => self.event.clone(),
                };
                let rejected = get(step, "rejected").map(text).transpose()?;
                for i in 0..count {
                    match (self.node()?.record(&event), rejected) {
                        (Ok(_), None) => {}
                        (Err(rule), Some(want)) if rule == want => {}
                        (got, want) => return Err(format!("event {i}: got {got:?}, expected rejection {want:?}")),
                    }
                }
            }
            "answer" => {
                keys(step, &["op", "status", "retry_after", "error", "crash", "times"])?;
                let answer = if let Some(status) = get(step, "status") {
                    let retry_after = get(step, "retry_after").map(text).transpose()?.map(str::to_string);
                    Answer::Status(int(status)? as u16, retry_after)
                } else if let Some(e) = get(step, "error") {
                    Answer::Error(match text(e)? {
                        "timeout" => TransportError::Timeout,
                        "connect" => TransportError::Connect("test.refused".into()),
                        "other" => TransportError::Other("test.other".into()),
                        "not-configured" => TransportError::NotConfigured,
                        "stopped" => TransportError::Stopped,
                        e => return Err(format!("no transport error {e}")),
                    })
                } else if matches!(get(step, "crash"), Some(Value::Bool(true))) {
                    Answer::Crash
                } else {
                    return Err("an answer needs status, error or crash".into());
                };
                let times = get(step, "times").map(int).transpose()?.unwrap_or(1);
                for _ in 0..times {
                    self.host()?.answers.push_back(answer.clone());
                }
            }
            "set" => {
                let p = patch(step)?;
                p.apply(self.host()?);
            }
            "on-send" => {
                keys(step, &["op", "set"])?;
                let p = match get(step, "set") {
                    None | Some(Value::Null) => None,
                    Some(v) => Some(patch(object(v)?)?),
                };
                self.host()?.after_send = p;
            }
            "clock" => {
                keys(step, &["op", "at_ms"])?;
                let at = int(get(step, "at_ms").ok_or("clock needs at_ms")?)?;
                let start = self.start_ms;
                self.host()?.clock_ms = start + at;
            }
            "advance" => {
                keys(step, &["op", "ms"])?;
                let ms = int(get(step, "ms").ok_or("advance needs ms")?)?;
                self.host()?.clock_ms += ms;
            }
            "storage" => {
                keys(step, &["op", "available"])?;
                let up = matches!(get(step, "available"), Some(Value::Bool(true)));
                self.db.lock().unwrap_or_else(|e| e.into_inner()).fail_all = !up;
            }
            "edit-row" => {
                keys(step, &["op", "id", "attributes", "name"])?;
                let id = int(get(step, "id").ok_or("edit-row needs id")?)? as u64;
                let mut db = self.db.lock().unwrap_or_else(|e| e.into_inner());
                let row = db.rows.iter_mut().find(|r| r.id == id).ok_or(format!("no row {id}"))?;
                if let Some(a) = get(step, "attributes") {
                    row.data.attributes = text(a)?.to_string();
                }
                if let Some(n) = get(step, "name") {
                    row.data.name = text(n)?.to_string();
                }
            }
            "node" => {
                keys(step, &["op", "name"])?;
                let name = text(get(step, "name").ok_or("node needs a name")?)?;
                self.current = match self.nodes.iter().position(|(n, _)| n == name) {
                    Some(i) => i,
                    None => {
                        let mut host = MemHost::new(name, self.db.clone());
                        host.clock_ms = self.start.clock_ms;
                        host.entropy = self.start.entropy.clone();
                        host.secret = self.start.secret.clone();
                        host.config = self.start.config.clone();
                        self.nodes.push((name.to_string(), Some(D::start(host))));
                        self.collected.push(0);
                        self.remains.push(None);
                        self.nodes.len() - 1
                    }
                };
            }
            "crash-at" => {
                keys(step, &["op", "call"])?;
                let call = text(get(step, "call").ok_or("crash-at needs call")?)?;
                self.host()?.crash_at = Some(call.to_string());
            }
            "restart" => {
                keys(step, &["op"])?;
                self.collect_sent();
                let i = self.current;
                let host = match &mut self.nodes[i].1 {
                    Some(node) => node.host().restarted(),
                    None => self.remains[i].take().ok_or("no remains to restart from")?,
                };
                self.nodes[i].1 = Some(D::start(host));
                self.collected[i] = 0;
            }
            "headers" => {
                keys(step, &["op", "send", "names"])?;
                let i = int(get(step, "send").ok_or("headers needs send")?)? as usize;
                let Some(Value::Array(want)) = get(step, "names") else {
                    return Err("headers needs names".into());
                };
                let want: Vec<&str> = want.iter().map(text).collect::<Result<_, _>>()?;
                let got = self.sent_headers.get(i).ok_or(format!("no send {i}"))?;
                let got: Vec<&str> = got.iter().map(|h| h.name.as_str()).collect();
                if got != want {
                    return Err(format!("send {i} has headers {got:?}, expected {want:?}"));
                }
            }
            "repeat" => {
                keys(step, &["op", "times", "steps"])?;
                let times = int(get(step, "times").ok_or("repeat needs times")?)?;
                let Some(Value::Array(steps)) = get(step, "steps") else {
                    return Err("repeat needs steps".into());
                };
                for _ in 0..times {
                    for (i, s) in steps.iter().enumerate() {
                        self.step(object(s)?).map_err(|e| format!("step {i}: {e}"))?;
                    }
                }
            }
            "flush" => {
                keys(step, &["op", "expect"])?;
                let report = self.node()?.flush();
                match (report, get(step, "expect")) {
                    (None, Some(Value::Str(s))) if s == "crash" => {
                        self.collect_sent();
                        let remains = self.node()?.host().restarted();
                        self.nodes[self.current].1 = None;
                        self.remains[self.current] = Some(remains);
                    }
                    (None, _) => return Err("the host died during the flush".into()),
                    (Some(r), Some(Value::Str(s))) if s == "crash" => return Err(format!("no crash: {r:?}")),
                    (Some(r), want) => check_report(&r, want)?,
                }
            }
            "preview" => {
                keys(step, &["op", "expect"])?;
                let preview = self.node()?.preview()?;
                match (preview, get(step, "expect")) {
                    (None, Some(Value::Null)) => {}
                    (Some(body), Some(Value::Object(want))) => {
                        let d = self.node()?.decode(&body)?;
                        check_decoded(&d, &body, want)?;
                    }
                    (got, want) => return Err(format!("preview {got:?}, expected {want:?}")),
                }
            }
            "sent" => {
                keys(step, &["op", "count"])?;
                let want = int(get(step, "count").ok_or("sent needs count")?)?;
                check("bodies sent", self.sent.len() as i64, &Value::Int(want), 0)?;
            }
            "same-batch" => {
                keys(step, &["op", "sends", "otp_differs"])?;
                let Some(Value::Array(ix)) = get(step, "sends") else {
                    return Err("same-batch needs sends".into());
                };
                let body = |i: &Value| -> Result<&String, String> {
                    let i = int(i)? as usize;
                    self.sent.get(i).ok_or(format!("no send {i}"))
                };
                let (a, b) = (parts(body(&ix[0])?)?, parts(body(&ix[1])?)?);
                if a.0 != b.0 {
                    return Err("the resend is not byte-identical (dataEncoded, nonce, contentHash)".into());
                }
                if matches!(get(step, "otp_differs"), Some(Value::Bool(true))) && a.1 == b.1 {
                    return Err("the resend's otp is not fresh".into());
                }
            }
            "batches" => {
                keys(step, &["op", "count"])?;
                let n = self.db.lock().unwrap_or_else(|e| e.into_inner()).batches.len() as i64;
                check(
                    "batches in the ledger",
                    n,
                    get(step, "count").ok_or("batches needs count")?,
                    0,
                )?;
            }
            "rows" => {
                keys(step, &["op", "count"])?;
                let n = self.db.lock().unwrap_or_else(|e| e.into_inner()).rows.len() as i64;
                check("rows stored", n, get(step, "count").ok_or("rows needs count")?, 0)?;
            }
            "batch" => self.check_batch(step)?,
            "row" => self.check_row(step)?,
            "calls" => {
                keys(step, &["op", "none_of"])?;
                let Some(Value::Array(names)) = get(step, "none_of") else {
                    return Err("calls needs none_of".into());
                };
                let calls = self.host()?.calls.clone();
                for n in names {
                    let n = text(n)?;
                    if calls.contains(&n) {
                        return Err(format!("{n} was called"));
                    }
                }
            }
            "decode-sent" => {
                keys(step, &["op", "send", "expect"])?;
                let want = object(get(step, "expect").ok_or("decode-sent needs expect")?)?;
                let bodies: Vec<String> = match get(step, "send") {
                    Some(Value::Str(s)) if s == "all" => self.sent.clone(),
                    Some(i) => vec![self.sent.get(int(i)? as usize).ok_or("no such send")?.clone()],
                    None => return Err("decode-sent needs send".into()),
                };
                let mut ids = Vec::new();
                for body in &bodies {
                    let d = self.node()?.decode(body)?;
                    check_decoded(&d, body, want)?;
                    ids.extend(row_ids(&d.data_json)?);
                }
                if let Some(total) = get(want, "total_rows") {
                    check("rows in all bodies", ids.len() as i64, total, 0)?;
                }
                if matches!(get(want, "unique_ids"), Some(Value::Bool(true))) {
                    let unique: BTreeSet<u64> = ids.iter().copied().collect();
                    if unique.len() != ids.len() {
                        return Err("a row was sent twice".into());
                    }
                }
            }
            "verify-sent" => {
                keys(step, &["op", "send", "step_offset"])?;
                let i = int(get(step, "send").ok_or("verify-sent needs send")?)? as usize;
                let body = self.sent.get(i).ok_or("no such send")?.clone();
                let (secret, at) = {
                    let h = self.host()?;
                    (h.secret.clone(), h.clock_ms.div_euclid(1000))
                };
                let v = self.node()?.verify(&body, &secret, at)?;
                if let Some(want) = get(step, "step_offset") {
                    check("step offset", i64::from(v.step_offset), want, 0)?;
                }
                let wrong = self.node()?.verify(&body, &[9u8; 20], at);
                if wrong.is_ok() {
                    return Err("verified with a wrong secret".into());
                }
            }
            "stats" => {
                keys(step, &["op", "expect"])?;
                let stats = self.node()?.stats();
                for (name, want) in object(get(step, "expect").ok_or("stats needs expect")?)? {
                    let got = stats.iter().find(|(n, _)| n == name).map_or(0, |(_, v)| *v as i64);
                    check(&format!("counter {name}"), got, want, 0)?;
                }
            }
            "logs" => {
                keys(step, &["op", "not_containing"])?;
                let needle = text(get(step, "not_containing").ok_or("logs needs not_containing")?)?.to_lowercase();
                for (_, code, counts) in &self.host()?.logs {
                    if code.to_lowercase().contains(&needle)
                        || counts.iter().any(|c| c.name.to_lowercase().contains(&needle))
                    {
                        return Err(format!("a log entry holds {needle:?}"));
                    }
                }
            }
            other => return Err(format!("unknown op {other:?}")),
        }
        Ok(())
    }

    fn check_batch(&mut self, step: Step) -> Result<(), String> {
        keys(
            step,
            &["op", "id", "status", "attempts", "next_at", "last_status", "reason"],
        )?;
        let id = int(get(step, "id").ok_or("batch needs id")?)? as u64;
        let start = self.start_ms;
        let db = self.db.lock().unwrap_or_else(|e| e.into_inner());
        let b = db.batches.iter().find(|b| b.id == id).ok_or(format!("no batch {id}"))?;
        if let Some(s) = get(step, "status") {
            let want = text(s)?;
            if b.status.name() != want {
                return Err(format!("batch {id} is {}, expected {want}", b.status.name()));
            }
        }
        if let Some(a) = get(step, "attempts") {
            check("attempts", i64::from(b.attempts), a, 0)?;
        }
        if let Some(t) = get(step, "next_at") {
            check("next_at", b.next_at, t, start)?;
        }
        match get(step, "last_status") {
            None => {}
            Some(Value::Null) if b.last_status.is_none() => {}
            Some(Value::Int(s)) if b.last_status == Some(*s as u16) => {}
            Some(want) => return Err(format!("last status {:?}, expected {want:?}", b.last_status)),
        }
        if let Some(r) = get(step, "reason") {
            if b.reason.as_deref() != Some(text(r)?) {
                return Err(format!("reason {:?}, expected {r:?}", b.reason));
            }
        }
        Ok(())
    }

    fn check_row(&mut self, step: Step) -> Result<(), String> {
        keys(step, &["op", "id", "state", "rule", "app_version"])?;
        let id = int(get(step, "id").ok_or("row needs id")?)? as u64;
        let db = self.db.lock().unwrap_or_else(|e| e.into_inner());
        let r = db.rows.iter().find(|r| r.id == id).ok_or(format!("no row {id}"))?;
        if let Some(s) = get(step, "state") {
            let state = match r.state {
                RowState::Pending => "pending",
                RowState::Sealed(_) => "sealed",
                RowState::Delivered => "delivered",
                RowState::Failed => "failed",
                RowState::Rejected => "rejected",
            };
            if state != text(s)? {
                return Err(format!("row {id} is {state}, expected {s:?}"));
            }
        }
        if let Some(rule) = get(step, "rule") {
            if r.reject_rule.as_deref() != Some(text(rule)?) {
                return Err(format!("row {id} rule {:?}, expected {rule:?}", r.reject_rule));
            }
        }
        if let Some(v) = get(step, "app_version") {
            if r.data.app_version != text(v)? {
                return Err(format!("row {id} app version {:?}, expected {v:?}", r.data.app_version));
            }
        }
        Ok(())
    }
}

fn check_report(r: &FlushReport, want: Option<&Value>) -> Result<(), String> {
    let Some(want) = want else { return Ok(()) };
    for (k, v) in object(want)? {
        let got = match k.as_ref() {
            "stopped" => {
                let got = r.stopped.map(|s| s.id());
                let want = match v {
                    Value::Null => None,
                    v => Some(text(v)?),
                };
                if got != want {
                    return Err(format!("stopped {got:?}, expected {want:?} in {r:?}"));
                }
                continue;
            }
            "sealed" => i64::from(r.sealed),
            "delivered" => i64::from(r.delivered),
            "rows_delivered" => i64::from(r.rows_delivered),
            "retrying" => i64::from(r.retrying),
            "failed" => i64::from(r.failed),
            "quarantined" => i64::from(r.quarantined),
            "purged" => r.purged as i64,
            other => return Err(format!("no report field {other:?}")),
        };
        check(k, got, v, 0).map_err(|e| format!("{e} in {r:?}"))?;
    }
    Ok(())
}

fn check_decoded(d: &Decoded, body: &str, want: Step) -> Result<(), String> {
    for (k, v) in want {
        match k.as_ref() {
            "rows" => check("rows", i64::from(d.row_count), v, 0)?,
            "max_rows" => check(
                "rows",
                i64::from(d.row_count),
                &Value::Object(vec![("max".into(), v.clone())]),
                0,
            )?,
            "hash_ok" => {
                if d.hash_ok != matches!(v, Value::Bool(true)) {
                    return Err(format!("hash_ok is {}", d.hash_ok));
                }
            }
            "tenant" => {
                if d.tenant != text(v)? {
                    return Err(format!("tenant {:?}", d.tenant));
                }
            }
            "not_containing" => {
                if d.data_json.contains(text(v)?) || body.contains(text(v)?) {
                    return Err(format!("the payload holds {v:?}"));
                }
            }
            "unique_ids" | "total_rows" => {}
            other => return Err(format!("no decoded field {other:?}")),
        }
    }
    Ok(())
}

fn row_ids(data_json: &str) -> Result<Vec<u64>, String> {
    let v = json::parse(data_json, 4).map_err(|e| e.to_string())?;
    let Some(Value::Array(rows)) = v.get("dataRows") else {
        return Err("no dataRows".into());
    };
    rows.iter()
        .map(|r| match r.get("ID") {
            Some(Value::Str(id)) => id.parse().map_err(|_| "bad ID".to_string()),
            _ => Err("no ID".into()),
        })
        .collect()
}

/// Runs every scenario of a table with driver `D`; returns how many ran, or the failures (one
/// line per failed scenario, naming the step).
pub fn run_table<D: Driver>(table: &str) -> Result<usize, Vec<String>> {
    let fail = |e: String| Err(vec![e]);
    let doc = match json::parse(table, 8) {
        Ok(doc) => doc,
        Err(e) => return fail(format!("the table is not JSON: {e}")),
    };
    if doc.get("format") != Some(&Value::Int(1)) {
        return fail("the table is not format 1".into());
    }
    let (Some(Value::Object(start)), Some(Value::Array(scenarios))) = (doc.get("start"), doc.get("scenarios")) else {
        return fail("the table needs start and scenarios".into());
    };
    let mut failures = Vec::new();
    for (n, s) in scenarios.iter().enumerate() {
        let name = match s.get("name") {
            Some(Value::Str(name)) => name.to_string(),
            _ => format!("scenario {n}"),
        };
        let Some(Value::Array(steps)) = s.get("steps") else {
            failures.push(format!("{name}: no steps"));
            continue;
        };
        if let Err(e) = run_scenario::<D>(start, steps) {
            failures.push(format!("{name}: {e}"));
        }
    }
    if failures.is_empty() {
        Ok(scenarios.len())
    } else {
        Err(failures)
    }
}

fn run_scenario<D: Driver>(start: Step, steps: &[Value]) -> Result<(), String> {
    keys(start, &["clock_ms", "node", "entropy_hex", "secret_hex", "event"])?;
    let db = new_db();
    let node = get(start, "node").map(text).transpose()?.unwrap_or("node-a");
    let mut host = MemHost::new(node, db.clone());
    if let Some(t) = get(start, "clock_ms") {
        host.clock_ms = int(t)?;
    }
    if let Some(e) = get(start, "entropy_hex") {
        host.entropy = hex(text(e)?);
    }
    if let Some(s) = get(start, "secret_hex") {
        host.secret = hex(text(s)?);
    }
    let event = text(get(start, "event").ok_or("start needs an event")?)?.to_string();
    let mut template = MemHost::new(node, db.clone());
    template.clock_ms = host.clock_ms;
    template.entropy = host.entropy.clone();
    template.secret = host.secret.clone();
    let mut run = Run::<D> {
        db,
        start_ms: host.clock_ms,
        start: template,
        event,
        nodes: vec![(node.to_string(), Some(D::start(host)))],
        current: 0,
        sent: Vec::new(),
        sent_headers: Vec::new(),
        collected: vec![0],
        remains: vec![None],
    };
    for (i, step) in steps.iter().enumerate() {
        run.step(object(step)?).map_err(|e| format!("step {i}: {e}"))?;
    }
    Ok(())
}

#!/usr/bin/env python3
"""An independent wire-format v1 collector for the fault harness, as its own process.

Nothing of Owly's code is used: bodies are verified with Python's `base64` and `hashlib.sha1` and
the PyPI `oath` package (OCRA-1:HOTP-SHA1-6:QH40-T30S, T-1..T+1), as tests/outside/check_payload.py
does. Accepted payloads are de-duplicated by nonce (same nonce and hash: 200 "duplicate"; same
nonce, other hash: 409) and journaled durably -- appended and fsync'd before the answer -- so the
collector itself can be killed and restarted on the same journal and port.

Fault modes are switched at run time through a control file (JSON, replaced atomically by the
orchestrator, re-read on every request):

  {"mode": "ok"}                                   verify, store, answer
  {"mode": "error", "status": 503, "p": 1.0}       a 5xx storm (p: share of requests hit)
  {"mode": "throttle", "retry_after": "2"}         429 with Retry-After
  {"mode": "drop"}                                 read the body, close without an answer
  {"mode": "store-no-answer"}                      verify + journal, then close without an answer
  {"mode": "hang"}                                 read the body, never answer (until the mode changes)
  {"mode": "down"}                                 not listening at all (connection refused)
  optional "until": unix seconds after which the mode is "ok" again

Files in --dir: journal.jsonl (accepted payloads with their rows, one JSON line each),
events.jsonl (one line per request as it arrives and as it is answered: the orchestrator times
kills on it), port (the bound port), collector.log.

usage: collector.py --dir DIR --secret-file FILE [--port N]
"""

import argparse
import base64
import binascii
import hashlib
import http.server
import json
import os
import random
import re
import socket
import sys
import threading
import time

import oath

SUITE = oath.str2ocrasuite("OCRA-1:HOTP-SHA1-6:QH40-T30S")
MAX_BODY = 512 * 1024 + 1024
BODY_KEYS = ["dataEncoded", "nonce", "contentHash", "otp"]
ROW_KEYS = ["ID", "ProductTenant", "Name", "ProductVersion", "UpdateDate", "AppVersion"]


class Invalid(Exception):
    def __init__(self, status, reason):
        super().__init__(reason)
        self.status = status
        self.reason = reason


class Store:
    """Nonce -> content hash, rebuilt from the journal; appends are fsync'd before answering."""

    def __init__(self, directory):
        self.lock = threading.Lock()
        self.path = os.path.join(directory, "journal.jsonl")
        self.nonces = {}
        if os.path.exists(self.path):
            with open(self.path, "rb") as f:
                for raw in f:
                    try:
                        entry = json.loads(raw)
                    except ValueError:
                        continue  # a torn last line from a kill: it was never answered
                    if entry.get("kind") == "payload":
                        self.nonces[entry["nonce"]] = entry["hash"]
        self.file = open(self.path, "ab")
        self.events = open(os.path.join(directory, "events.jsonl"), "ab")

    def _append(self, f, entry):
        f.write((json.dumps(entry, separators=(",", ":")) + "\n").encode())
        f.flush()
        os.fsync(f.fileno())

    def accept(self, nonce, content_hash, tenant, rows):
        """Returns 'accepted', 'duplicate' or 'conflict'; journals all three."""
        with self.lock:
            seen = self.nonces.get(nonce)
            if seen is None:
                self._append(self.file, {"kind": "payload", "nonce": nonce, "hash": content_hash,
                                         "tenant": tenant, "rows": rows, "at": time.time()})
                self.nonces[nonce] = content_hash
                return "accepted"
            outcome = "duplicate" if seen == content_hash else "conflict"
            self._append(self.file, {"kind": outcome, "nonce": nonce, "hash": content_hash,
                                     "at": time.time()})
            return outcome

    def event(self, what, **fields):
        with self.lock:
            entry = {"e": what, "t": time.time()}
            entry.update(fields)
            self.events.write((json.dumps(entry, separators=(",", ":")) + "\n").encode())
            self.events.flush()


def pairs_no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise Invalid(400, "malformed")
    return pairs


def verify(body_bytes, secret, now):
    """The checks of tests/outside/check_payload.py, with Python's own base64 and hashlib."""
    try:
        text = body_bytes.decode("utf-8")
        body = json.loads(text, object_pairs_hook=pairs_no_duplicates)
    except (UnicodeDecodeError, ValueError):
        raise Invalid(400, "malformed")
    if [k for k, _ in body] != BODY_KEYS or not all(isinstance(v, str) for _, v in body):
        raise Invalid(400, "malformed")
    enc, nonce, content_hash, otp = (v for _, v in body)
    if not re.fullmatch(r"[1-9][0-9]{0,18}", nonce) or int(nonce) > 2**63 - 1:
        raise Invalid(400, "malformed")
    if not re.fullmatch(r"[0-9A-F]{40}", content_hash) or not re.fullmatch(r"[0-9]{6}", otp):
        raise Invalid(400, "malformed")
    try:
        raw = base64.b64decode(enc, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid(400, "malformed")
    if base64.b64encode(raw).decode("ascii") != enc:
        raise Invalid(400, "malformed")
    if hashlib.sha1(f"{nonce}:{enc}".encode("ascii")).hexdigest().upper() != content_hash:
        raise Invalid(400, "hash-mismatch")
    step = int(now) // 30
    if not any(SUITE(secret, Q=content_hash, T_precomputed=step + d) == otp for d in (0, -1, 1)):
        raise Invalid(403, "otp-mismatch")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Invalid(400, "encoding")
    rows = data.get("dataRows") if isinstance(data, dict) and list(data) == ["dataRows"] else None
    if not isinstance(rows, list) or not rows:
        raise Invalid(400, "malformed")
    out, tenant, last = [], None, -1
    for row in rows:
        keys = list(row) if isinstance(row, dict) else None
        if keys not in (ROW_KEYS, ROW_KEYS + ["Attributes"]):
            raise Invalid(400, "malformed")
        if not re.fullmatch(r"0|[1-9][0-9]*", row["ID"]) or int(row["ID"]) <= last:
            raise Invalid(400, "malformed")
        last = int(row["ID"])
        if tenant not in (None, row["ProductTenant"]):
            raise Invalid(400, "malformed")
        tenant = row["ProductTenant"]
        out.append({"id": last, "name": row["Name"], "date": row["UpdateDate"],
                    "attrs": row.get("Attributes", {})})
    return nonce, content_hash, tenant, out


class Control:
    def __init__(self, path):
        self.path = path
        self.mtime = None
        self.value = {"mode": "ok"}

    def get(self):
        try:
            st = os.stat(self.path)
            if st.st_mtime_ns != self.mtime:
                with open(self.path) as f:
                    self.value = json.load(f)
                self.mtime = st.st_mtime_ns
        except (OSError, ValueError):
            pass  # keep the last good value (a missing file means "ok" from the start)
        v = dict(self.value)
        if v.get("until") and time.time() >= v["until"]:
            return {"mode": "ok"}
        return v


def make_handler(store, control, secret, log):
    class Handler(http.server.BaseHTTPRequestHandler):
        # One request per connection: "down" must refuse every request, so no connection of an
        # earlier listening socket may stay open for keep-alive.
        protocol_version = "HTTP/1.0"

        def log_message(self, fmt, *args):  # no per-request noise, and never a body
            pass

        def answer(self, status, reason, headers=()):
            payload = json.dumps({"status": reason}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(payload)
            self.wfile.flush()

        def cut(self):
            """Closes the connection without any answer."""
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

        def do_POST(self):
            rid = f"{threading.get_ident()}-{time.monotonic_ns()}"
            if self.path != "/collect":
                self.answer(404, "not-found")
                return
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self.answer(413, "too-large")
                self.close_connection = True
                return
            body = self.rfile.read(length)
            ctl = control.get()
            mode = ctl.get("mode", "ok")
            if mode not in ("ok", "down") and random.random() >= float(ctl.get("p", 1.0)):
                mode = "ok"
            store.event("request", rid=rid, mode=mode)
            if mode == "error":
                self.answer(int(ctl.get("status", 503)), "unavailable",
                            [("Retry-After", str(ctl["retry_after"]))] if "retry_after" in ctl else [])
                store.event("answered", rid=rid, status=int(ctl.get("status", 503)))
                return
            if mode == "throttle":
                self.answer(429, "rate-limited", [("Retry-After", str(ctl.get("retry_after", "2")))])
                store.event("answered", rid=rid, status=429)
                return
            if mode == "drop":
                self.cut()
                store.event("cut", rid=rid)
                return
            if mode == "hang":
                while control.get().get("mode") == "hang":
                    time.sleep(0.1)
                self.cut()
                store.event("cut", rid=rid)
                return
            try:
                nonce, content_hash, tenant, rows = verify(body, secret, time.time())
            except Invalid as e:
                log(f"invalid {e.status} {e.reason}")
                self.answer(e.status, e.reason)
                store.event("answered", rid=rid, status=e.status, reason=e.reason)
                return
            outcome = store.accept(nonce, content_hash, tenant, rows)
            if mode == "store-no-answer":
                self.cut()
                store.event("cut", rid=rid, outcome=outcome)
                return
            if outcome == "conflict":
                self.answer(409, "nonce-conflict")
                store.event("answered", rid=rid, status=409)
                return
            self.answer(200, outcome)
            store.event("answered", rid=rid, status=200, outcome=outcome, rows=len(rows))

        def do_GET(self):
            self.answer(405, "method-not-allowed")

    return Handler


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


def main(argv):
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--secret-file", required=True)
    p.add_argument("--port", type=int, default=0)
    args = p.parse_args(argv)
    os.makedirs(args.dir, exist_ok=True)
    with open(args.secret_file) as f:
        secret = bytes.fromhex(f.read().strip())
    logf = open(os.path.join(args.dir, "collector.log"), "a", buffering=1)

    def log(msg):
        logf.write(f"{time.time():.3f} {msg}\n")

    store = Store(args.dir)
    control = Control(os.path.join(args.dir, "control.json"))
    handler = make_handler(store, control, secret, log)
    port = args.port
    while True:
        # "down" means not listening at all: the socket is closed and bound again afterwards.
        while control.get().get("mode") == "down":
            time.sleep(0.05)
        server = Server(("127.0.0.1", port), handler)
        port = server.server_address[1]
        tmp = os.path.join(args.dir, "port.tmp")
        with open(tmp, "w") as f:
            f.write(str(port))
        os.replace(tmp, os.path.join(args.dir, "port"))
        log(f"listening {port}")
        t = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        t.start()
        while control.get().get("mode") != "down":
            time.sleep(0.05)
        server.shutdown()
        server.server_close()
        log("down")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Verifies a wire-format v1 body with outside tools only: coreutils `base64` and `sha1sum`, and the
PyPI `oath` package for the OCRA otp. Nothing of Owly's code is used.

usage: check_payload.py BODY_FILE SECRET_HEX UNIX_SECONDS
exit 0 and "ok …" when the body is valid at UNIX_SECONDS (otp within ±1 30-second step);
exit 1 and "invalid: <reason>" otherwise; exit 2 on bad usage.
"""

import datetime
import json
import re
import subprocess
import sys

import oath

SUITE = "OCRA-1:HOTP-SHA1-6:QH40-T30S"
MAX_ROWS = 500
MAX_DATA_ENCODED = 512 * 1024
MAX_ROW_BYTES = 4096
BODY_KEYS = ["dataEncoded", "nonce", "contentHash", "otp"]
ROW_KEYS = ["ID", "ProductTenant", "Name", "ProductVersion", "UpdateDate", "AppVersion"]
TENANT = re.compile(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}")


class Invalid(Exception):
    pass


def run(cmd, data):
    proc = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if proc.returncode != 0:
        raise Invalid(f"{cmd[0]} failed: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout


class Obj(list):
    """A JSON object as its (key, value) pairs in document order (the format checks key order)."""


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise Invalid("duplicate key")
    return Obj(pairs)


def jstr(s):
    """The contract's string encoding: escape quote, backslash, \\n \\r \\t, other controls as \\u00xx."""
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def canonical(v):
    if isinstance(v, Obj):
        return "{" + ",".join(jstr(k) + ":" + canonical(x) for k, x in v) + "}"
    if isinstance(v, list):
        return "[" + ",".join(canonical(x) for x in v) + "]"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return jstr(v)
    raise Invalid(f"unexpected JSON value {type(v).__name__}")


def parse(text, what):
    try:
        return json.loads(text, object_pairs_hook=no_duplicates,
                          parse_constant=lambda c: (_ for _ in ()).throw(Invalid(f"{what}: {c}")))
    except json.JSONDecodeError as e:
        raise Invalid(f"{what} is not JSON: {e.msg}")


def check_attributes(attrs):
    if not isinstance(attrs, Obj):
        raise Invalid("Attributes is not an object")
    keys = [k for k, _ in attrs]
    if keys != sorted(keys, key=lambda k: k.encode()) or len(set(keys)) != len(keys):
        raise Invalid("Attributes keys are not sorted")
    for _, v in attrs:
        if not isinstance(v, (str, int)):  # bool is an int in Python; floats and null fail
            raise Invalid("Attributes value is not a string, integer or boolean")


def check_rows(data_text):
    data = parse(data_text, "data")
    if not (isinstance(data, Obj) and len(data) == 1 and data[0][0] == "dataRows" and isinstance(data[0][1], list) and not isinstance(data[0][1], Obj)):
        raise Invalid('data is not {"dataRows":[…]}')
    rows = data[0][1]
    if not 1 <= len(rows) <= MAX_ROWS:
        raise Invalid(f"{len(rows)} rows")
    last_id, tenant = -1, None
    for i, row in enumerate(rows):
        if not isinstance(row, Obj):
            raise Invalid(f"row {i} is not an object")
        keys = [k for k, _ in row]
        if keys not in (ROW_KEYS, ROW_KEYS + ["Attributes"]):
            raise Invalid(f"row {i} keys {keys}")
        fields = dict(row)
        if not all(isinstance(fields[k], str) for k in ROW_KEYS):
            raise Invalid(f"row {i} has a non-string field")
        if not re.fullmatch(r"0|[1-9][0-9]*", fields["ID"]) or int(fields["ID"]) >= 2**64:
            raise Invalid(f"row {i} ID")
        if int(fields["ID"]) <= last_id:
            raise Invalid(f"row {i} ID not ascending")
        last_id = int(fields["ID"])
        if not TENANT.fullmatch(fields["ProductTenant"]) or fields["ProductTenant"] != (tenant or fields["ProductTenant"]):
            raise Invalid(f"row {i} ProductTenant")
        tenant = fields["ProductTenant"]
        try:
            when = datetime.datetime.strptime(fields["UpdateDate"], "%Y-%m-%dT%H:%M:%SZ")
        except ValueError:
            raise Invalid(f"row {i} UpdateDate")
        if when.strftime("%Y-%m-%dT%H:%M:%SZ") != fields["UpdateDate"]:
            raise Invalid(f"row {i} UpdateDate not canonical")
        if "Attributes" in fields:
            check_attributes(fields["Attributes"])
        if len(canonical(row).encode()) > MAX_ROW_BYTES:
            raise Invalid(f"row {i} over {MAX_ROW_BYTES} bytes")
    if canonical(data) != data_text:
        raise Invalid("data JSON is not in canonical form")
    return len(rows), tenant


def check(body_text, secret, at_seconds):
    body = parse(body_text, "body")
    if not isinstance(body, Obj) or [k for k, _ in body] != BODY_KEYS:
        raise Invalid("body keys are not dataEncoded, nonce, contentHash, otp")
    fields = dict(body)
    if not all(isinstance(v, str) for v in fields.values()):
        raise Invalid("a body value is not a string")
    if canonical(body) != body_text:
        raise Invalid("body is not in canonical form")
    enc, nonce, content_hash, otp = (fields[k] for k in BODY_KEYS)
    if not re.fullmatch(r"[1-9][0-9]{0,18}", nonce) or int(nonce) > 2**63 - 1:
        raise Invalid("nonce")
    if not re.fullmatch(r"[0-9A-F]{40}", content_hash):
        raise Invalid("contentHash format")
    if not re.fullmatch(r"[0-9]{6}", otp):
        raise Invalid("otp format")
    if len(enc) > MAX_DATA_ENCODED:
        raise Invalid("dataEncoded too large")

    raw = run(["base64", "-d"], enc.encode("ascii"))
    if run(["base64", "-w0"], raw).decode("ascii") != enc:
        raise Invalid("dataEncoded is not canonical base64")
    try:
        data_text = raw.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        raise Invalid("data is not UTF-8")
    rows, tenant = check_rows(data_text)

    digest = run(["sha1sum"], f"{nonce}:{enc}".encode("ascii")).split()[0].decode("ascii").upper()
    if digest != content_hash:
        raise Invalid("contentHash does not match sha1sum")

    if len(secret) < 20:
        raise Invalid("secret shorter than 20 bytes")
    step = at_seconds // 30
    suite = oath.str2ocrasuite(SUITE)
    for offset in (0, -1, 1):
        if step + offset >= 0 and suite(secret, Q=content_hash, T_precomputed=step + offset) == otp:
            return f"ok nonce={nonce} rows={rows} tenant={tenant} step_offset={offset}"
    raise Invalid("otp does not match within one step")


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        with open(argv[1], "rb") as f:
            body_bytes = f.read()
        secret = bytes.fromhex(argv[2])
        at_seconds = int(argv[3])
    except (OSError, ValueError) as e:
        print(f"usage error: {e}", file=sys.stderr)
        return 2
    try:
        try:
            body_text = body_bytes.decode("utf-8")
        except UnicodeDecodeError:
            raise Invalid("body is not UTF-8")
        print(check(body_text, secret, at_seconds))
        return 0
    except Invalid as e:
        print(f"invalid: {e}")
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Runs check_payload.py (outside tools only) on every golden payload in tests/golden/*.json.

Each golden file (written by the wasmtime harness, tests/harness/tests/golden.rs) is a JSON object
{"bodies": ["<exact body>", …], "secret_hex": "…", "at_seconds": N, …}. Every body must pass; the
same body with one byte of dataEncoded changed must fail. Having no golden file is a failure, not a
skip. OWLY_GOLDEN_DIR overrides the folder (used to try the checker on throwaway files).
"""

import glob
import json
import os
import subprocess
import sys
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN_DIR = os.environ.get("OWLY_GOLDEN_DIR") or os.path.join(HERE, "..", "golden")
GOLDEN = sorted(glob.glob(os.path.join(GOLDEN_DIR, "*.json")))


def test_golden_payloads_exist():
    assert GOLDEN, f"no golden payloads in {os.path.abspath(GOLDEN_DIR)}"


def check(body_text, secret_hex, at_seconds):
    with tempfile.NamedTemporaryFile("wb", suffix=".body", delete=False) as body:
        body.write(body_text.encode("utf-8"))
    try:
        return subprocess.run(
            [sys.executable, os.path.join(HERE, "check_payload.py"), body.name, secret_hex, str(at_seconds)],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.unlink(body.name)


def tamper(body_text):
    """Flips one base64 character inside dataEncoded (keeps it valid base64)."""
    i = body_text.index('"dataEncoded":"') + len('"dataEncoded":"') + 10
    swap = "B" if body_text[i] != "B" else "C"
    return body_text[:i] + swap + body_text[i + 1 :]


@pytest.mark.parametrize("path", GOLDEN, ids=os.path.basename)
def test_golden_payloads_pass_outside_checks(path):
    with open(path, encoding="utf-8") as f:
        golden = json.load(f)
    assert golden["bodies"], f"{path} has no bodies"
    for body_text in golden["bodies"]:
        proc = check(body_text, golden["secret_hex"], golden["at_seconds"])
        assert proc.returncode == 0, proc.stdout + proc.stderr
        bad = check(tamper(body_text), golden["secret_hex"], golden["at_seconds"])
        assert bad.returncode == 1, "a tampered body passed: " + bad.stdout + bad.stderr
        late = check(body_text, golden["secret_hex"], golden["at_seconds"] + 120)
        assert late.returncode == 1, "an otp four steps old passed"

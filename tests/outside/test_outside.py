"""Runs check_payload.py (outside tools only) on every golden payload in tests/golden/*.json.

Each golden file is a JSON object {"body": "<exact body>", "secret_hex": "…", "at_seconds": N, …};
an optional "valid": false marks a body that must be rejected. Having no golden file is a failure,
not a skip. OWLY_GOLDEN_DIR overrides the folder (used to try the checker on throwaway files).
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


@pytest.mark.parametrize("path", GOLDEN, ids=os.path.basename)
def test_golden_payload_passes_outside_checks(path):
    with open(path, encoding="utf-8") as f:
        golden = json.load(f)
    with tempfile.NamedTemporaryFile("wb", suffix=".body", delete=False) as body:
        body.write(golden["body"].encode("utf-8"))
    try:
        proc = subprocess.run(
            [sys.executable, os.path.join(HERE, "check_payload.py"), body.name, golden["secret_hex"], str(golden["at_seconds"])],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        os.unlink(body.name)
    expected = 0 if golden.get("valid", True) else 1
    assert proc.returncode == expected, proc.stdout + proc.stderr

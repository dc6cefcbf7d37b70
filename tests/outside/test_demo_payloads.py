"""Runs the JVM host's demo (`owly.jar demo --payload-dir`) and re-verifies every payload the
collector received with outside tools only (check_payload.py: base64, sha1sum, PyPI oath).

Needs host-java/target/owly.jar (built by `make java-test`); a missing jar is a failure, not a skip.
"""

import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
JAR = os.path.join(HERE, "..", "..", "host-java", "target", "owly.jar")


def test_demo_payloads_verify_with_outside_tools():
    assert os.path.isfile(JAR), f"{os.path.abspath(JAR)} missing: run `make java-test` first"
    with tempfile.TemporaryDirectory() as tmp:
        payloads = os.path.join(tmp, "payloads")
        demo = subprocess.run(
            ["java", "-jar", JAR, "demo", "--data", os.path.join(tmp, "data"), "--payload-dir", payloads],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert demo.returncode == 0, demo.stdout + demo.stderr
        with open(os.path.join(payloads, "secret.hex"), encoding="ascii") as f:
            secret = f.read().strip()
        with open(os.path.join(payloads, "received.jsonl"), encoding="utf-8") as f:
            received = [json.loads(line) for line in f if line.strip()]
        assert received, "the demo's collector received nothing"
        for entry in received:
            path = os.path.join(payloads, entry["file"])
            proc = subprocess.run(
                [sys.executable, os.path.join(HERE, "check_payload.py"), path, secret, str(entry["received_at"])],
                capture_output=True,
                text=True,
                check=False,
            )
            assert proc.returncode == 0, entry["file"] + ": " + proc.stdout + proc.stderr

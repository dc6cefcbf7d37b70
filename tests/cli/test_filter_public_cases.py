"""The public PII cases through the CLI: `java -jar host-java/target/owly.jar filter`.

One JSON line out per line in; `accept` cases give {"ok":true,"row":…}; `reject` cases give
{"ok":false,"rule":…} or, where the filter rewrites (bucketing), a row holding none of the needles.
Hostile lines (invalid UTF-8, blank, oversized) are answered too, and the process exits 0.
"""

import json
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
JAR = os.path.join(ROOT, "host-java", "target", "owly.jar")
CASES = os.path.join(ROOT, "tests", "pii", "public-cases.jsonl")


def run_filter(data: bytes):
    assert os.path.isfile(JAR), f"{os.path.abspath(JAR)} missing: run `make java-test` first"
    proc = subprocess.run(["java", "-jar", JAR, "filter"], input=data, capture_output=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    return [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]


def test_public_cases_pass_through_owly_filter():
    with open(CASES, encoding="utf-8") as f:
        cases = [json.loads(line) for line in f if line.strip()]
    assert len(cases) >= 20, "public case file missing or short"
    lines = "".join(json.dumps(c["event"], separators=(",", ":")) + "\n" for c in cases)
    verdicts = run_filter(lines.encode("utf-8"))
    assert len(verdicts) == len(cases)
    for case, verdict in zip(cases, verdicts):
        if case["expect"] == "accept":
            assert verdict["ok"] is True, (case["case"], verdict)
            assert verdict["row"]["Name"] == case["event"]["name"]
        elif verdict["ok"]:
            # A rewrite (bucketing) is only acceptable where the case names what must not leave;
            # a reject case without needles must be rejected outright.
            assert case.get("needles"), (case["case"], "reject case without needles was accepted")
            row = json.dumps(verdict["row"]).lower()
            for needle in case.get("needles", []):
                assert needle.lower() not in row, (case["case"], needle)
        else:
            assert verdict["rule"], case["case"]
            text = json.dumps(verdict).lower()
            for needle in case.get("needles", []):
                assert needle.lower() not in text, (case["case"], "rejection echoes content")


def test_hostile_lines_each_get_an_answer():
    data = b"\xff\xfe not utf-8\n\n" + b"{" * 100000 + b"\n" + b"x" * (2 << 20) + b"\n" + b'{"name":"owly.view.dashboard"}\n'
    verdicts = run_filter(data)
    assert len(verdicts) == 5
    assert [v["ok"] for v in verdicts] == [False, False, False, False, True]

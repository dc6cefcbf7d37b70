#!/usr/bin/env python3
"""The performance race (issue 9): one run, one machine, every engine on the same work.

    make race            # = python3 scripts/race.py  (about 15 minutes on 2 cores)

Native Rust (criterion), Endive interpreter and AOT (JMH, JDK 17), GraalWasm with its JIT (JMH,
JDK 25, JVMCI + Graal on the upgrade module path), and the plain-Java baseline (JMH, JDK 17), on:
record (storage excluded), the 500-row flush (storage and transport no-ops), Owly.record() end to
end on a pooled H2 file database (and PostgreSQL when OWLY_PG_URL is set) against a plain JDBC
INSERT, the 10k-row flush to the loopback collector, heap per instance and start-up. Writes the
raw results to out/race/ and the table and chart to docs/performance.md and
docs/performance.png. Every benchmark is bounded (fixed forks, iterations and times).
"""
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "out" / "race"
HJ = ROOT / "host-java"
JDK17 = os.environ.get("JDK17_HOME", "")
JDK25 = os.environ.get("JDK25", "/usr/lib/jvm/temurin-25-jdk-amd64")
JIT = [
    "-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
    f"--upgrade-module-path={HJ / 'target/graalwasm/compiler'}",
    "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
]
JMH = ["-f", "1", "-wi", "3", "-i", "5", "-w", "2s", "-r", "2s"]
# GraalWasm compiles in the background for seconds: a longer warm-up.
JMH_GRAAL = ["-f", "1", "-wi", "6", "-i", "5", "-w", "5s", "-r", "2s"]
JMH_10K = ["-f", "1", "-wi", "1", "-i", "3"]
if os.environ.get("RACE_QUICK"):  # a smoke run of the pipeline; its numbers mean nothing
    JMH = JMH_GRAAL = ["-f", "1", "-wi", "1", "-i", "1", "-w", "1s", "-r", "1s"]
    JMH_10K = ["-f", "1", "-wi", "0", "-i", "1"]


def sh(cmd, env=None, **kw):
    print("+", " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], check=True, env=env, **kw)


def java(home):
    return str(Path(home) / "bin" / "java") if home else "java"


def build():
    env = dict(os.environ, RUSTC_WRAPPER=os.environ.get("RUSTC_WRAPPER", ""))
    sh(["make", "-C", ROOT, "wasm"])
    env25 = dict(os.environ, JAVA_HOME=JDK25)
    sh(["mvn", "-B", "-q", "-f", HJ, "-pl", "library,graalwasm", "-Dowly.library.rebuildOnly=true",
        "package", "-DskipTests"], env=env25)
    sh(["mvn", "-B", "-q", "-f", HJ, "-pl", "library,cli", "test-compile",
        "dependency:build-classpath", "-Dmdep.outputFile=target/test-cp.txt",
        "-Dmdep.includeScope=test"], env=env)
    deps = [p for p in (HJ / "cli/target/test-cp.txt").read_text().strip().split(":")
            if "/dev/owly/" not in p]
    own = [HJ / d for d in ("library/target/classes", "library/target/test-classes",
                            "cli/target/classes", "cli/target/test-classes")]
    cp = ":".join([str(p) for p in own] + deps)
    graal = ":".join(str(p) for p in sorted((HJ / "target/graalwasm/lib").glob("*.jar")))
    return cp, cp + ":" + graal


def jmh(home, cp, pattern, params, out, opts=JMH, jvm=()):
    # Other engineers' JMH runs on this shared machine hold /tmp/jmh.lock: not a reason to stop.
    args = [java(home), "-Djmh.ignoreLock=true", *jvm, "-cp", cp, "org.openjdk.jmh.Main",
            pattern, *opts, "-rf", "json", "-rff", out]
    for k, v in params.items():
        args += ["-p", f"{k}={v}"]
    if jvm:
        args += ["-jvmArgsAppend", " ".join(jvm)]
    sh(args)
    return json.loads(Path(out).read_text())


def criterion():
    sh(["cargo", "bench", "-p", "owly-core", "--bench", "core", "--",
        "--warm-up-time", "2", "--measurement-time", "5", "record/finished|flush/500-rows"],
       cwd=ROOT)
    base = ROOT / "target" / "criterion"
    read = lambda g, n: json.loads((base / g / n / "new" / "estimates.json").read_text())
    return {
        "record_us": read("record", "finished")["mean"]["point_estimate"] / 1e3,
        "flush500_ms": read("flush", "500-rows")["mean"]["point_estimate"] / 1e6,
    }


def us_per_op(entry):
    if entry is None:
        return None
    m = entry["primaryMetric"]
    unit = m["scoreUnit"]
    s = m["score"]
    return {"ops/s": 1e6 / s if s else float("nan"), "us/op": s, "ms/op": s * 1e3}[unit]


def ms(entry):
    v = us_per_op(entry)
    return None if v is None else v / 1e3


def find(results, bench, **params):
    for r in results:
        if r["benchmark"].endswith(bench) and all(
                str(r.get("params", {}).get(k)) == str(v) for k, v in params.items()):
            return r
    # A benchmark that failed (JMH goes on with the next): reported as failed, not a crash.
    print(f"race: no result for {bench} {params}", file=sys.stderr)
    return None


def percentile(entry, p):
    return None if entry is None else entry["primaryMetric"]["scorePercentiles"][p]


def heap(home, cp, engine, jvm=()):
    out = subprocess.run([java(home), *jvm, "-cp", cp, "dev.owly.analytics.bench.InstanceHeap",
                          "16", engine], check=True, capture_output=True, text=True).stdout
    return float(re.search(r"heap/instance=([0-9.]+) MiB", out).group(1))


def startup(home, cp, engine, jvm=(), runs=3):
    builds, firsts = [], []
    for _ in range(runs):
        out = subprocess.run([java(home), *jvm, "-cp", cp, "dev.owly.analytics.bench.StartupProbe",
                              engine], check=True, capture_output=True, text=True).stdout
        j = json.loads(out.strip().splitlines()[-1])
        builds.append(j["build_ms"])
        firsts.append(j["first_record_ms"])
    return statistics.median(builds), statistics.median(firsts)


def machine():
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    v17 = subprocess.run([java(JDK17), "-version"], capture_output=True, text=True).stderr
    v25 = subprocess.run([java(JDK25), "-version"], capture_output=True, text=True).stderr
    first = lambda v: v.splitlines()[1].strip() if len(v.splitlines()) > 1 else v.strip()
    return {"cpu": cpu, "cores": os.cpu_count(), "mem_gib": round(mem, 1),
            "kernel": platform.release(), "jdk17": first(v17), "jdk25": first(v25),
            "rustc": subprocess.run(["rustc", "--version"], capture_output=True,
                                    text=True).stdout.strip()}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    t_start = time.time()
    load_before = os.getloadavg()
    cp17, cp25 = build()
    native = criterion()
    r17 = jmh(JDK17, cp17, "RecordBenchmark.record$|FlushEncodeBenchmark|PlainJavaBenchmark",
              {"engine": "AOT,INTERPRETER", "counters": "false"}, OUT / "jmh-jdk17.json")
    r25 = jmh(JDK25, cp25, "RecordBenchmark.record$|FlushEncodeBenchmark",
              {"engine": "GRAALWASM", "counters": "false"}, OUT / "jmh-jdk25.json",
              opts=JMH_GRAAL, jvm=JIT)
    dbs = "H2,POSTGRESQL" if os.environ.get("OWLY_PG_URL") else "H2"
    e2e = jmh(JDK17, cp17, "RecordE2EBenchmark", {"db": dbs, "engine": "AOT"},
              OUT / "jmh-e2e.json")
    f10k = jmh(JDK17, cp17, "Flush10kBenchmark", {"db": dbs}, OUT / "jmh-flush10k.json",
               opts=JMH_10K)
    heaps = {"AOT": heap(JDK17, cp17, "AOT"), "INTERPRETER": heap(JDK17, cp17, "INTERPRETER"),
             "GRAALWASM": heap(JDK25, cp25, "GRAALWASM", JIT)}
    starts = {"AOT": startup(JDK17, cp17, "AOT"),
              "INTERPRETER": startup(JDK17, cp17, "INTERPRETER"),
              "GRAALWASM": startup(JDK25, cp25, "GRAALWASM", JIT)}
    results = {
        "machine": machine(), "load_before": load_before, "load_after": os.getloadavg(),
        "minutes": round((time.time() - t_start) / 60, 1), "native": native,
        "record_us": {
            "AOT": us_per_op(find(r17, "RecordBenchmark.record", engine="AOT")),
            "INTERPRETER": us_per_op(find(r17, "RecordBenchmark.record", engine="INTERPRETER")),
            "GRAALWASM": us_per_op(find(r25, "RecordBenchmark.record", engine="GRAALWASM")),
        },
        "flush500_ms": {
            "AOT": ms(find(r17, "FlushEncodeBenchmark.flush500", engine="AOT")),
            "INTERPRETER": ms(find(r17, "FlushEncodeBenchmark.flush500", engine="INTERPRETER")),
            "GRAALWASM": ms(find(r25, "FlushEncodeBenchmark.flush500", engine="GRAALWASM")),
            "PLAIN": ms(find(r17, "PlainJavaBenchmark.flush500")),
        },
        "e2e": {db: {k: {"p50": percentile(find(e2e, "RecordE2EBenchmark." + k, db=db), "50.0"),
                         "p99": percentile(find(e2e, "RecordE2EBenchmark." + k, db=db), "99.0")}
                     for k in ("owlyRecord", "jdbcInsert")} for db in dbs.split(",")},
        "flush10k_ms": {db: ms(find(f10k, "Flush10kBenchmark.flush10k", db=db))
                        for db in dbs.split(",")},
        "heap_mib": heaps,
        "startup_ms": {k: {"build": v[0], "first_record": v[1]} for k, v in starts.items()},
    }
    (OUT / "results.json").write_text(json.dumps(results, indent=2))
    sh([sys.executable, ROOT / "scripts" / "race-report.py", OUT / "results.json"])


if __name__ == "__main__":
    main()

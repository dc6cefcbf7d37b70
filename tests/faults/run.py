#!/usr/bin/env python3
"""The process-level fault harness: scenarios of kill -9, collector faults, database restarts and
simultaneous starts, each ending with the same check -- every event whose record() returned
accepted arrives at the collector exactly once.

  python3 tests/faults/run.py            # the full run (make faults)
  python3 tests/faults/run.py --bounded  # the bounded run inside make test (a few minutes)
  python3 tests/faults/run.py --only kill-h2,cluster-pg --kills 5

Needs host-java/target/owly.jar (make jar), PyPI oath, and PostgreSQL's server binaries (a private
cluster is started on its own port; the shared server is never touched). See README.md beside this.
"""

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import harness
from harness import Collector, Node, PgCluster, check, kill9

RECORD = ["--seconds", "3600", "--flush-ms", "200", "--flush-every", "40", "--pause-us", "2000",
          "--batch-rows", "20"]


class Run:
    """One scenario: its own directory, collector, nodes and (if needed) private PostgreSQL."""

    def __init__(self, base, name, classes):
        self.name = name
        self.root = os.path.join(base, name)
        os.makedirs(self.root)
        self.classes = classes
        self.secret_file = os.path.join(base, "secret.hex")
        self.collector = Collector(self.root, self.secret_file)
        self.collector.start()
        self.nodes = []
        self.pg = None
        self.kills = 0
        self.db_restarts = 0
        self.collector_restarts = 0
        self.excluded = []
        self.expected_build_failures = 0
        self.notes = []
        self.failures = []  # expectations of this scenario that did not hold
        self.t0 = time.time()
        self.base = base

    def cds_flags(self):
        jsa = os.path.join(self.base, "driver.jsa")
        return ["-XX:SharedArchiveFile=" + jsa] if os.path.exists(jsa) else []

    def node(self, db):
        n = Node(self, len(self.nodes), db)
        self.nodes.append(n)
        return n

    def private_pg(self, settings=()):
        self.pg = PgCluster(self.root, settings)
        self.pg.start()
        return self.pg

    def kill_at_random_moment(self, node):
        """kill -9 at a random moment: after a random delay (record, claim, seal), or timed to the
        collector seeing a request (the host is in send) or answering it (the host settles)."""
        trigger = random.choice(["delay", "delay", "request", "answered"])
        if trigger == "delay":
            time.sleep(random.uniform(0.05, 2.0))
        else:
            self.collector.skip_events()
            ev = self.collector.wait_event({trigger}, timeout=3.0)
            if ev is None:
                trigger += "-timeout"
            time.sleep(random.uniform(0, 0.03))
        node.kill()
        self.kills += 1
        return trigger

    def drain(self, nodes, timeout, extra=()):
        """Restarts the nodes to flush until the collector has every accepted event."""
        for n in nodes:
            if not n.alive():
                n.start("--drain-ms", str(int(timeout * 1000) + 60_000), "--drain-pause-ms", "250",
                        *extra)
        t = time.time()
        result = None
        while time.time() - t < timeout:
            result = self.check()
            if result["lost"] == 0:
                break
            time.sleep(1.0)
        took = time.time() - t
        for n in nodes:
            n.kill()
        return took

    def journals(self):
        return [n.journal for n in self.nodes]

    def check(self):
        return check(self.journals(), self.collector, self.excluded)

    def flush_lines(self):
        out = []
        for n in self.nodes:
            if os.path.exists(n.out_path):
                out += [l for l in open(n.out_path, errors="replace").read().splitlines()
                        if l.startswith("flush ")]
        return out

    def build_failures(self):
        out = []
        for n in self.nodes:
            if os.path.exists(n.out_path):
                out += [l for l in open(n.out_path, errors="replace").read().splitlines()
                        if l.startswith("build-failed")]
        return out

    def close(self):
        for n in self.nodes:
            n.kill()
        self.collector.kill()
        if self.pg:
            self.pg.stop("immediate")

    def result(self, extra_notes=()):
        r = self.check()
        r["scenario"] = self.name
        r["kills"] = self.kills
        r["time_s"] = round(time.time() - self.t0, 1)
        flushes = self.flush_lines()
        threw = [l for l in flushes if " threw:" in l]
        if flushes:
            r["max_flush_ms"] = max(int(l.split()[1]) for l in flushes)
        r["flush_threw"] = len(threw)
        r["build_failed"] = len(self.build_failures())
        r["db_restarts"] = self.db_restarts
        r["collector_restarts"] = self.collector_restarts
        r["notes"] = list(self.notes) + list(extra_notes)
        if threw:
            kinds = sorted({l.split(" threw:")[1].split("(")[0] for l in threw})
            r["notes"].append("flush threw " + ",".join(kinds))
        # The promise, and the bounds the harness itself must respect.
        if r["lost"]:
            self.failures.append(f"{r['lost']} lost")
        if r["double"]:
            self.failures.append(f"{r['double']} in two batches")
        if r["id_conflicts"]:
            self.failures.append(f"{r['id_conflicts']} row ids name two events")
        if r["extras"] > self.kills + self.db_restarts:
            self.failures.append(f"{r['extras']} extras > kills + db restarts")
        if r["conflicts"]:
            self.failures.append(f"{r['conflicts']} nonce conflicts (409)")
        if r["build_failed"] > self.expected_build_failures:
            self.failures.append(f"{r['build_failed']} build() failed")
        if r["excluded_delivered"]:
            self.failures.append("a quarantined row was delivered")
        r["failures"] = list(self.failures)
        return r


# --- scenarios ------------------------------------------------------------------------------

def kill_scenario(run, db, kills, node_count):
    nodes = [run.node(db) for _ in range(node_count)]
    for n in nodes:
        n.start(*RECORD)
    triggers = {}
    for _ in range(kills):
        n = random.choice(nodes)
        if not n.alive():
            n.start(*RECORD)
        # Most kills hit a running node; one in eight lands during start-up (migration, settings).
        if random.random() < 0.875 and n.wait_line(("ready", "build-failed"), 60) is None:
            run.notes.append("a node did not become ready")
        t = run.kill_at_random_moment(n)
        triggers[t] = triggers.get(t, 0) + 1
        n.start(*RECORD)
    time.sleep(1.0)
    for n in nodes:
        n.kill()
    run.notes.append("kills by trigger " + json.dumps(triggers, sort_keys=True))
    took = run.drain(nodes, DRAIN_S)
    run.notes.append(f"drain {took:.1f}s")


def scenario_kill_h2(run, a):
    """kill -9 of one host on H2, handed in as org.h2.jdbcx.JdbcDataSource with the default URL."""
    kill_scenario(run, "h2:" + os.path.join(run.root, "db"), a.kills, 1)


def scenario_kill_pg(run, a):
    """kill -9 of two hosts sharing a private PostgreSQL (PGSimpleDataSource)."""
    pg = run.private_pg()
    kill_scenario(run, pg.createdb("owly_kill"), a.kills, 2)


def scenario_collector(run, a):
    """5xx storms, 429 + Retry-After, dropped connections, stored-then-no-answer, a hung and a
    down collector, and a collector killed and restarted; the host keeps recording throughout."""
    n = run.node("h2:" + os.path.join(run.root, "db"))
    n.start(*RECORD)
    n.wait_line(("ready",), 60)
    phases = [
        ("error", {"status": 503}, 4),
        ("error", {"status": 500, "p": 0.5}, 3),
        ("throttle", {"retry_after": "2"}, 4),
        ("drop", {}, 3),
        ("store-no-answer", {}, 3),
        ("hang", {}, a.hang_s),
        ("down", {}, a.down_s),
        ("restart", {}, 0),
    ]
    for mode, kw, seconds in phases:
        run.collector.mode("ok")
        time.sleep(2)
        if mode == "restart":
            run.collector.kill()
            time.sleep(1)
            run.collector.start()
            run.collector_restarts += 1
            continue
        run.collector.mode(mode, **kw)
        time.sleep(seconds)
    run.collector.mode("ok")
    time.sleep(2)
    n.kill()
    run.kills += 1
    run.notes.append(f"hang {a.hang_s}s, down {a.down_s}s")
    took = run.drain([n], DRAIN_S)
    run.notes.append(f"drain {took:.1f}s")


def scenario_hung(run, a):
    """A collector that accepts and never answers: flush() must return within its budget, and
    everything must be delivered soon after a working collector answers."""
    run.collector.mode("hang")
    n = run.node("h2:" + os.path.join(run.root, "db"))
    n.start("--events", "300", "--flush-every", "300", "--batch-rows", "50",
            "--drain-ms", "600000", "--drain-pause-ms", "500")
    n.wait_line(("ready",), 60)
    line = n.wait_line(("flush ",), 120)
    if line is None:
        run.failures.append("flush() did not return within 120 s")
    else:
        ms = int(line.split()[1])
        run.notes.append(f"first flush {ms} ms ({line.split(' ', 2)[2][:40]})")
        if ms > a.flush_budget_ms:
            run.failures.append(f"flush() took {ms} ms > budget {a.flush_budget_ms} ms")
    time.sleep(a.hang_s)
    run.collector.mode("ok")
    t = time.time()
    while time.time() - t < 90 and run.check()["lost"]:
        time.sleep(0.5)
    took = time.time() - t
    run.notes.append(f"delivered {took:.1f}s after the collector answered")
    if took > 60:
        run.failures.append(f"not all delivered within 60 s of a working collector ({took:.0f}s)")
    n.kill()


def pg_restart_scenario(run, a, settings):
    pg = run.private_pg(settings)
    db = pg.createdb("owly_restart")
    nodes = [run.node(db) for _ in range(2)]
    for n in nodes:
        n.start(*RECORD)
    for n in nodes:
        n.wait_line(("ready",), 60)
    for i in range(a.restarts):
        if random.random() < 0.5:
            time.sleep(random.uniform(0.3, 2.0))
        else:
            run.collector.skip_events()
            run.collector.wait_event({"request"}, timeout=3.0)  # mid-flush: the host is in send
        pg.stop("immediate")  # a crash: only what was durably committed survives
        run.db_restarts += 1
        refused = a.refuse_s if i == a.restarts // 2 else random.uniform(0.2, 2.0)
        time.sleep(refused)  # connections refused meanwhile
        pg.start()
        time.sleep(random.uniform(0.5, 1.5))
    time.sleep(2)
    for n in nodes:
        n.kill()
    run.kills += len(nodes)
    run.notes.append(f"{a.restarts} immediate restarts, one refusing {a.refuse_s}s" +
                     (", " + " ".join(settings) if settings else ""))
    took = run.drain(nodes, DRAIN_S)
    run.notes.append(f"drain {took:.1f}s")


def scenario_pg_restart(run, a):
    """PostgreSQL crashed (immediate stop) and restarted mid-flush; connections refused meanwhile."""
    pg_restart_scenario(run, a, ())


def scenario_pg_async(run, a):
    """The same with a server whose synchronous_commit is off (a plugin author's database)."""
    pg_restart_scenario(run, a, ("synchronous_commit=off",))


def cluster_scenario(run, a, kind):
    """N nodes started at the same moment on a fresh database, R rounds; every build() must
    succeed and every accepted event arrive once."""
    if kind == "pg":
        run.private_pg()
    failures = 0
    for r in range(a.rounds):
        if kind == "pg":
            db = run.pg.createdb(f"owly_cluster_{r}")
        else:
            db = "h2-server:" + os.path.join(run.root, f"db-{r}")
        first = len(run.nodes)
        start_at = int(time.time() * 1000) + 2500 + 700 * a.nodes
        for _ in range(a.nodes):
            run.node(db).start("--start-at-ms", str(start_at), "--events", "20",
                               "--flush-every", "10", "--batch-rows", "10", "--drain-ms", "3000")
        for n in run.nodes[first:]:
            n.proc.wait(timeout=180)
    failures = len(run.build_failures())
    run.notes.append(f"{a.nodes} nodes x {a.rounds} rounds, {failures} build() failed")
    if failures:
        reasons = sorted({l.split(" ", 1)[1][:90] for l in run.build_failures()})
        run.notes.append("; ".join(reasons[:2]))
    # Everything left behind (a node that failed, leases of nodes that exited) is drained by the
    # nodes restarted in their own directories (their own node ids).
    if run.check()["lost"]:
        took = run.drain([n for n in run.nodes if n.lives], DRAIN_S)
        run.notes.append(f"drain {took:.1f}s")


def scenario_cluster_pg(run, a):
    cluster_scenario(run, a, "pg")


def scenario_cluster_h2(run, a):
    cluster_scenario(run, a, "h2")


def scenario_edited_row(run, a):
    """A pending row edited in the database so that its name holds a lone surrogate: the clean
    rows claimed with it must be delivered, the edited one quarantined, recording unaffected."""
    db_dir = os.path.join(run.root, "db")
    n = run.node("h2:" + db_dir)
    n.start("--events", "10", "--flush-every", "0")
    n.proc.wait(timeout=120)
    ids = [json.loads(l)["id"] for l in open(n.journal)]
    victim = ids[len(ids) // 2]
    url = "jdbc:h2:file:" + os.path.join(db_dir, "owly")
    sql = ("UPDATE \"AO_OWLY_EVENT_AO\" SET \"NAME\" = CONCAT('owly.view.', CHAR(55296))"
           f" WHERE \"ID\" = {victim}")
    subprocess.run(["java", "-cp", harness.JAR, "org.h2.tools.Shell", "-url", url, "-user", "sa",
                    "-sql", sql], check=True, stdout=subprocess.DEVNULL)
    run.excluded.append((harness.TENANT, victim))
    n.start("--events", "20", "--flush-every", "5", "--drain-ms", "20000", "--drain-pause-ms",
            "300")
    t = time.time()
    while time.time() - t < 40 and run.check()["lost"] and n.alive():
        time.sleep(0.5)
    n.kill()
    out = subprocess.run(["java", "-cp", harness.JAR, "org.h2.tools.Shell", "-url", url, "-user",
                          "sa", "-sql", "SELECT \"STATE\", \"REJECT_RULE\" FROM \"AO_OWLY_EVENT_AO\""
                          f" WHERE \"ID\" = {victim}"], stdout=subprocess.PIPE, text=True)
    state = " ".join(out.stdout.split("\n")[1].split()) if out.returncode == 0 else "?"
    run.notes.append(f"edited row {victim}: {state}")
    if "storage.encoding" not in state:
        run.failures.append("the edited row is not quarantined with a rule id")


def scenario_pg_fsync_off(run, a):
    """A PostgreSQL whose fsync is off: the host must refuse to start, naming the fix."""
    pg = run.private_pg(("fsync=off",))
    run.expected_build_failures = 1
    n = run.node(pg.createdb("owly_fsync"))
    n.start("--events", "1")
    line = n.wait_line(("ready", "build-failed"), 60) or ""
    n.proc.wait(timeout=60)
    run.notes.append(line[:100])
    if "storage.durability" not in line or "fsync" not in line:
        run.failures.append("a server with fsync=off was not refused")


SCENARIOS = {
    "kill-h2": scenario_kill_h2,
    "kill-pg": scenario_kill_pg,
    "collector-faults": scenario_collector,
    "hung-collector": scenario_hung,
    "pg-restart": scenario_pg_restart,
    "pg-async-commit": scenario_pg_async,
    "pg-fsync-off": scenario_pg_fsync_off,
    "cluster-pg": scenario_cluster_pg,
    "cluster-h2": scenario_cluster_h2,
    "edited-row": scenario_edited_row,
}

DRAIN_S = 60


def compile_driver(base):
    classes = os.path.join(base, "classes")
    subprocess.run(["javac", "-cp", harness.JAR, "-d", classes,
                    os.path.join(harness.HERE, "Driver.java")], check=True)
    # A jar, not a directory: the class-data archive only takes jars on the class path.
    jar = os.path.join(base, "driver.jar")
    subprocess.run(["jar", "cf", jar, "-C", classes, "."], check=True)
    return jar


def archive_classes(base, classes):
    """A CDS archive of the driver's classes: each of the many JVM starts boots faster."""
    tmp = os.path.join(base, "cds")
    os.makedirs(tmp)
    with open(os.path.join(tmp, "journal"), "w"):
        pass
    subprocess.run(["java", "-XX:ArchiveClassesAtExit=" + os.path.join(base, "driver.jsa"),
                    *harness.JVM_FLAGS, "-cp", harness.JAR + os.pathsep + classes, "Driver",
                    "--db", "h2:" + tmp, "--collector", "http://127.0.0.1:9/collect",
                    "--secret-file", os.path.join(base, "secret.hex"), "--journal",
                    os.path.join(tmp, "journal"), "--events", "5", "--final-flush", "--exit"],
                   cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)


COLUMNS = [("scenario", 18), ("kills", 5), ("accepted", 8), ("delivered", 9), ("lost", 6),
           ("double", 6), ("raw_dup", 7), ("time_s", 6)]


def table(results):
    head = " ".join(f"{c:>{w}}" if c != "scenario" else f"{c:<{w}}" for c, w in COLUMNS)
    lines = [head + "  notes", "-" * len(head)]
    for r in results:
        cells = " ".join(f"{str(r[c]):>{w}}" if c != "scenario" else f"{r[c]:<{w}}"
                         for c, w in COLUMNS)
        notes = [f"extras={r['extras']}"]
        if r["id_conflicts"] or r["id_reused"]:
            notes.append(f"ids-two-events={r['id_conflicts']} ids-reused={r['id_reused']}")
        if r.get("max_flush_ms") is not None:
            notes.append(f"max-flush={r['max_flush_ms']}ms")
        if r["flush_threw"]:
            notes.append(f"flush-threw={r['flush_threw']}")
        notes += r["notes"]
        if r["failures"]:
            notes.append("FAILED: " + "; ".join(r["failures"]))
        lines.append(cells + "  " + ", ".join(notes))
    return "\n".join(lines)


def main(argv):
    global DRAIN_S
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--bounded", action="store_true", help="the short run of make test")
    p.add_argument("--only", help="comma-separated scenarios: " + ",".join(SCENARIOS))
    p.add_argument("--kills", type=int, help="kill -9 per kill scenario (full 50, bounded 6)")
    p.add_argument("--seed", type=int, default=int(time.time()))
    p.add_argument("--report-only", action="store_true",
                   help="print the table, exit 0 even if the promise does not hold")
    p.add_argument("--keep", action="store_true", help="keep the run directory")
    p.add_argument("--json", help="write the results here as JSON")
    a = p.parse_args(argv)
    b = a.bounded
    a.kills = a.kills or (6 if b else 50)
    a.hang_s = 14 if b else 45
    a.down_s = 6 if b else 180
    a.restarts = 3 if b else 10
    a.refuse_s = 4 if b else 20
    a.nodes = 4 if b else 8
    a.rounds = 1 if b else 10
    a.flush_budget_ms = 35_000
    DRAIN_S = 60 if b else 90
    random.seed(a.seed)
    # A SIGTERM ends the run through the finally blocks: every process it started is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    names = a.only.split(",") if a.only else list(SCENARIOS)
    for name in names:
        if name not in SCENARIOS:
            p.error(f"unknown scenario {name}")
    if not os.path.exists(harness.JAR):
        sys.exit(f"{harness.JAR} is missing: run make jar")

    base = tempfile.mkdtemp(prefix="owly-faults-")
    os.chmod(base, 0o711)  # the private PostgreSQL runs as user postgres and must reach its dir
    with open(os.path.join(base, "secret.hex"), "w", opener=lambda p_, f: os.open(p_, f, 0o600)) as f:
        f.write(os.urandom(32).hex())  # an obviously fake, per-run secret; never on a command line
    print(f"fault harness: seed {a.seed}, {'bounded' if b else 'full'} run in {base}", flush=True)
    classes = compile_driver(base)
    archive_classes(base, classes)
    results = []
    started = time.time()
    for name in names:
        run = Run(base, name, classes)
        print(f"-- {name}: {SCENARIOS[name].__doc__.strip().splitlines()[0] if SCENARIOS[name].__doc__ else ''}",
              flush=True)
        try:
            SCENARIOS[name](run, a)
            results.append(run.result())
        except Exception as e:  # a harness failure is a failed scenario, never a silent pass
            run.failures.append(f"harness error: {type(e).__name__}: {e}")
            results.append(run.result())
        finally:
            run.close()
        r = results[-1]
        print(f"   {r['accepted']} accepted, {r['delivered']} delivered, {r['lost']} lost, "
              f"{r['double']} double, {r['raw_dup']} raw duplicates, {r['time_s']}s"
              + (f"  FAILED: {'; '.join(r['failures'])}" if r["failures"] else ""), flush=True)
    print()
    print(table(results))
    print(f"\ntotal {time.time() - started:.0f}s, seed {a.seed}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(results, f, indent=1)
    failed = [r["scenario"] for r in results if r["failures"]]
    passed = len(results) - len(failed)
    if not a.keep:
        shutil.rmtree(base, ignore_errors=True)
    else:
        print(f"kept {base}")
    print(f"faults: {passed} passed, {len(failed)} failed")
    return 0 if a.report_only or not failed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

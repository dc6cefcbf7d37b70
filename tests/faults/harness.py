"""Processes of the fault harness: the collector, host JVMs, a private PostgreSQL cluster, and the
one end-of-scenario check (every accepted event at the collector exactly once).

Everything here runs as separate OS processes and is stopped with SIGKILL where the scenario says
"kill -9". Nothing reads the host's tables: the host's own journal (written by Driver.java after
record() returned) and the collector's journal are the whole evidence.
"""

import calendar
import glob
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
JAR = os.environ.get("OWLY_JAR", os.path.join(REPO, "host-java", "target", "owly.jar"))
TENANT = "FAKE-TEST-0000-0001"
JVM_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx192m", "-Xshare:auto"]


def free_port():
    """A port the kernel just handed out for 127.0.0.1 (PostgreSQL needs one before it starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_json_atomic(path, value):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(value, f)
    os.replace(tmp, path)


def kill9(proc):
    if proc is not None and proc.poll() is None:
        try:
            os.kill(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait()


class Collector:
    """The collector process (collector.py); restartable on the same port and journal."""

    def __init__(self, root, secret_file):
        self.dir = os.path.join(root, "collector")
        os.makedirs(self.dir, exist_ok=True)
        self.secret_file = secret_file
        self.proc = None
        self.port = 0
        self.events_offset = 0
        self.starts = 0

    def start(self):
        port_file = os.path.join(self.dir, "port")
        if os.path.exists(port_file):
            os.remove(port_file)
        log = open(os.path.join(self.dir, "stderr.log"), "ab")
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "collector.py"), "--dir", self.dir,
             "--secret-file", self.secret_file, "--port", str(self.port)],
            stdout=log, stderr=log, stdin=subprocess.DEVNULL)
        self.starts += 1
        deadline = time.time() + 20
        while not os.path.exists(port_file):
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("collector did not start (see %s)" % self.dir)
            time.sleep(0.05)
        self.port = int(open(port_file).read())

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/collect"

    def kill(self):
        kill9(self.proc)

    def mode(self, mode, **kw):
        value = {"mode": mode}
        value.update(kw)
        write_json_atomic(os.path.join(self.dir, "control.json"), value)
        if mode == "down":
            # wait until the socket is really closed
            deadline = time.time() + 5
            while time.time() < deadline:
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", self.port)) != 0:
                        return
                time.sleep(0.05)
        elif mode == "ok":
            deadline = time.time() + 5
            while time.time() < deadline:
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", self.port)) == 0:
                        return
                time.sleep(0.05)

    def skip_events(self):
        path = os.path.join(self.dir, "events.jsonl")
        self.events_offset = os.path.getsize(path) if os.path.exists(path) else 0

    def wait_event(self, kinds, timeout):
        """Waits for the next request/answer event after the last one seen; None on timeout."""
        path = os.path.join(self.dir, "events.jsonl")
        deadline = time.time() + timeout
        while time.time() < deadline:
            if os.path.exists(path) and os.path.getsize(path) > self.events_offset:
                with open(path, "rb") as f:
                    f.seek(self.events_offset)
                    chunk = f.read()
                lines = chunk.split(b"\n")
                consumed = 0
                for line in lines[:-1]:
                    consumed += len(line) + 1
                    try:
                        ev = json.loads(line)
                    except ValueError:
                        continue
                    if ev.get("e") in kinds:
                        self.events_offset += consumed
                        return ev
                self.events_offset += consumed
            time.sleep(0.002)
        return None

    def journal(self):
        out = []
        path = os.path.join(self.dir, "journal.jsonl")
        if os.path.exists(path):
            with open(path, "rb") as f:
                for line in f:
                    try:
                        out.append(json.loads(line))
                    except ValueError:
                        pass
        return out


class Node:
    """One host JVM (Driver.java) in its own working directory, restartable on the same database."""

    def __init__(self, run, index, db):
        self.run = run
        self.index = index
        self.db = db
        self.dir = os.path.join(run.root, f"node-{index}")
        os.makedirs(self.dir, exist_ok=True)
        self.journal = os.path.join(self.dir, "accepted.jsonl")
        self.out_path = os.path.join(self.dir, "stdout.log")
        self.proc = None
        self.out_offset = 0
        self.lives = 0

    def start(self, *extra, collector_url=None):
        self.out_offset = os.path.getsize(self.out_path) if os.path.exists(self.out_path) else 0
        out = open(self.out_path, "ab")
        err = open(os.path.join(self.dir, "stderr.log"), "ab")
        cmd = ["java", *JVM_FLAGS, *self.run.cds_flags(),
               "-cp", JAR + os.pathsep + self.run.classes, "Driver",
               "--db", self.db, "--collector", collector_url or self.run.collector.url,
               "--secret-file", self.run.secret_file, "--journal", self.journal,
               "--tenant", TENANT, *[str(x) for x in extra]]
        # The working directory is the node's own: a default node id may derive from it.
        self.proc = subprocess.Popen(cmd, cwd=self.dir, stdout=out, stderr=err,
                                     stdin=subprocess.DEVNULL)
        self.lives += 1
        return self

    def lines(self):
        if not os.path.exists(self.out_path):
            return []
        with open(self.out_path, "rb") as f:
            f.seek(self.out_offset)
            return f.read().decode(errors="replace").splitlines()

    def wait_line(self, prefixes, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for line in self.lines():
                if line.startswith(prefixes):
                    return line
            if self.proc.poll() is not None:
                for line in self.lines():
                    if line.startswith(prefixes):
                        return line
                return None
            time.sleep(0.02)
        return None

    def kill(self):
        kill9(self.proc)

    def alive(self):
        return self.proc is not None and self.proc.poll() is None


class PgCluster:
    """A private PostgreSQL cluster on its own port in a temp dir (never the shared server)."""

    def __init__(self, root, settings=()):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: int(p.split("/")[4]))
        if not bins:
            raise RuntimeError("PostgreSQL server binaries missing: run scripts/pg-start.sh")
        self.bin = os.path.dirname(bins[-1])
        self.dir = os.path.join(root, "pg")
        self.data = os.path.join(self.dir, "data")
        os.makedirs(self.dir, exist_ok=True)
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
            os.chmod(root, 0o711)
        self.port = free_port()
        self.settings = list(settings)
        self._run([os.path.join(self.bin, "initdb"), "-D", self.data, "--auth=trust",
                   "-U", "postgres", "--no-sync", "-E", "UTF8"])

    def _run(self, cmd, check=True):
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        return subprocess.run(cmd, check=check, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              stdin=subprocess.DEVNULL)

    def start(self):
        opts = [f"-p {self.port}", f"-k {self.dir}", "-c listen_addresses=127.0.0.1",
                "-c max_connections=200", "-c shared_buffers=32MB", "-c fsync=on"]
        opts += [f"-c {s}" for s in self.settings]
        self._run([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-l",
                   os.path.join(self.dir, "server.log"), "-o", " ".join(opts), "-w", "-t", "60",
                   "start"])

    def stop(self, mode="fast"):
        self._run([os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m", mode, "-w", "stop"],
                  check=False)

    def psql(self, sql, db="postgres"):
        r = self._run([os.path.join(self.bin, "psql"), "-h", "127.0.0.1", "-p", str(self.port),
                       "-U", "postgres", "-d", db, "-v", "ON_ERROR_STOP=1", "-qAtc", sql])
        return r.stdout.decode().strip()

    def createdb(self, name):
        self.psql(f"CREATE DATABASE {name}")
        return f"pg:jdbc:postgresql://127.0.0.1:{self.port}/{name}?user=postgres"


def parse_date(s):
    return calendar.timegm(time.strptime(s, "%Y-%m-%dT%H:%M:%SZ"))


def accepted_events(journal_paths, tenant=TENANT):
    """(tenant, id) -> list of the distinct events the host said it accepted under that id."""
    out = {}
    for path in journal_paths:
        if not os.path.exists(path):
            continue
        with open(path, "rb") as f:
            for line in f:
                try:
                    e = json.loads(line)
                except ValueError:
                    continue  # torn by a kill: record() returned, the journal line did not land
                key = (tenant, e["id"])
                ev = (e["name"], e["lo"], e["hi"], json.dumps(e["attrs"], sort_keys=True))
                if ev not in out.setdefault(key, []):
                    out[key].append(ev)
    return out


def check(journal_paths, collector, excluded=(), tenant=TENANT):
    """The one end-of-scenario check. Identity of an event: (tenant, row id) plus its fields
    (name, UpdateDate within the second record() was called in, attributes) as a checksum."""
    accepted = accepted_events(journal_paths, tenant)
    for key in excluded:
        accepted.pop(key, None)
    delivered = {}  # (tenant, id) -> [(nonce, fields)]
    raw_dup = conflicts = payloads = 0
    for entry in collector.journal():
        kind = entry.get("kind")
        if kind == "duplicate":
            raw_dup += 1
        elif kind == "conflict":
            conflicts += 1
        elif kind == "payload":
            payloads += 1
            for row in entry["rows"]:
                fields = (row["name"], parse_date(row["date"]),
                          json.dumps(row["attrs"], sort_keys=True))
                delivered.setdefault((entry["tenant"], row["id"]), []).append(
                    (entry["nonce"], fields))
    lost = double = reused = 0
    matched = set()
    for key, events in accepted.items():
        if len(events) > 1:
            reused += len(events) - 1  # the database handed one row id out twice
        for name, lo, hi, attrs in events:
            nonces = {n for n, (dn, dt, da) in delivered.get(key, [])
                      if dn == name and lo <= dt <= hi and da == attrs}
            if not nonces:
                lost += 1
            elif len(nonces) > 1:
                double += 1
            for n, f in delivered.get(key, []):
                if n in nonces:
                    matched.add((key, f))
    id_conflicts = sum(1 for rows in delivered.values() if len({f for _, f in rows}) > 1)
    extras = len({(k, f) for k, rows in delivered.items() for _, f in rows} - matched)
    excluded_delivered = sum(1 for k in excluded if k in delivered)
    return {
        "accepted": sum(len(v) for v in accepted.values()),
        "delivered": sum(1 for k, evs in accepted.items() for e in evs
                         if any(f[0] == e[0] and e[1] <= f[1] <= e[2] and f[2] == e[3]
                                for _, f in delivered.get(k, []))),
        "lost": lost,
        "double": double,
        "id_conflicts": id_conflicts,
        "id_reused": reused,
        "extras": extras,
        "raw_dup": raw_dup,
        "conflicts": conflicts,
        "payloads": payloads,
        "excluded_delivered": excluded_delivered,
    }


def random_delay(lo, hi):
    time.sleep(random.uniform(lo, hi))

#!/usr/bin/env python3
"""Writes the race's table and chart (docs/performance.md between the race markers, and
docs/performance.png) from out/race/results.json. Usage: race-report.py RESULTS_JSON"""
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
PNG = ROOT / "docs" / "performance.png"
BEGIN, END = "<!-- race:begin -->", "<!-- race:end -->"
ENGINES = [("INTERPRETER", "Endive interpreter (JDK 17)"), ("AOT", "Endive AOT (JDK 17)"),
           ("GRAALWASM", "GraalWasm JIT (JDK 25)")]


def fmt(x, unit):
    if x is None:
        return "failed"
    return f"{x:.3g} {unit}" if x < 100 else f"{x:,.0f} {unit}"


def ratio(x, base):
    return "" if x is None or base is None else f" ({x / base:.1f}×)"


def table(r):
    n = r["native"]
    lines = ["| measure | native Rust | " + " | ".join(e[1] for e in ENGINES)
             + " | plain Java |", "|---|---|" + "---|" * len(ENGINES) + "---|"]
    rec = [fmt(r["record_us"][e], "µs") + ratio(r["record_us"][e], n["record_us"])
           for e, _ in ENGINES]
    lines.append(f"| record (storage a no-op) | {fmt(n['record_us'], 'µs')} | "
                 + " | ".join(rec) + " | – |")
    fl = [fmt(r["flush500_ms"][e], "ms") + ratio(r["flush500_ms"][e], n["flush500_ms"])
          for e, _ in ENGINES]
    plain = r["flush500_ms"]["PLAIN"]
    lines.append(f"| 500-row flush (storage, transport no-ops) | {fmt(n['flush500_ms'], 'ms')} | "
                 + " | ".join(fl) + f" | {fmt(plain, 'ms')}{ratio(plain, n['flush500_ms'])} |")
    heap = " | ".join(f"{r['heap_mib'][e]:.2f} MiB" for e, _ in ENGINES)
    lines.append(f"| Java heap per instance | – | {heap} | – |")
    st = " | ".join(f"{r['startup_ms'][e]['build']:.0f} + {r['startup_ms'][e]['first_record']:.0f} ms"
                    for e, _ in ENGINES)
    lines.append(f"| `Owly.build()` + first record (fresh JVM, H2) | – | {st} | – |")
    out = ["Ratios in parentheses are to native Rust, from the same run.", "", *lines, ""]
    out += ["End to end (Endive AOT, JDK 17; `RecordE2EBenchmark`, `Flush10kBenchmark`):", "",
            "| database | `Owly.record()` p50 / p99 | plain JDBC INSERT p50 / p99 | ratio (p50) "
            "| 10k rows flushed to the loopback collector |", "|---|---|---|---|---|"]
    for db, v in r["e2e"].items():
        o, j = v["owlyRecord"], v["jdbcInsert"]
        pair = lambda x: "failed" if x["p50"] is None else f"{x['p50']:.1f} / {x['p99']:.1f} µs"
        rat = "–" if o["p50"] is None or j["p50"] is None else f"{o['p50'] / j['p50']:.1f}×"
        out.append(f"| {db} | {pair(o)} | {pair(j)} | {rat} | {fmt(r['flush10k_ms'][db], 'ms')} |")
    m = r["machine"]
    out += ["", f"Machine: {m['cpu']}, {m['cores']} cores, {m['mem_gib']} GiB, Linux {m['kernel']}; "
            f"{m['jdk17']}; {m['jdk25']}; {m['rustc']}. Load average before/after: "
            f"{r['load_before'][0]:.2f} / {r['load_after'][0]:.2f} (a shared machine); "
            f"the run took {r['minutes']} min.", ""]
    return "\n".join(out)


def chart(r):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    n = r["native"]
    names = ["native"] + [e[1].split(" (")[0] for e in ENGINES] + ["plain Java"]
    rel = lambda x, b: float("nan") if x is None else x / b
    rec = [1.0] + [rel(r["record_us"][e], n["record_us"]) for e, _ in ENGINES] + [float("nan")]
    fl = [1.0] + [rel(r["flush500_ms"][e], n["flush500_ms"]) for e, _ in ENGINES] + [
        rel(r["flush500_ms"]["PLAIN"], n["flush500_ms"])]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, vals, title in ((axes[0], rec, "record"), (axes[1], fl, "500-row flush")):
        bars = ax.bar(names, vals, color=["#444", "#c66", "#6a6", "#66c", "#cc6"])
        ax.set_yscale("log")
        ax.axhline(3, color="#999", linestyle="--", linewidth=1)
        ax.text(0.99, 3.1, "3× native", ha="right", va="bottom", fontsize=8,
                transform=ax.get_yaxis_transform())
        ax.set_title(title + " (time, × native; log scale)")
        ax.tick_params(axis="x", labelrotation=20, labelsize=8)
        for b, v in zip(bars, vals):
            if v == v:
                ax.text(b.get_x() + b.get_width() / 2, v, f"{v:.1f}×", ha="center",
                        va="bottom", fontsize=8)
    fig.tight_layout()
    fig.savefig(PNG, dpi=110)


def main():
    r = json.loads(Path(sys.argv[1]).read_text())
    block = f"{BEGIN}\n{table(r)}\n![the race, as ratios to native](performance.png)\n{END}"
    text = DOC.read_text() if DOC.exists() else f"# Performance\n\n{BEGIN}\n{END}\n"
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    DOC.write_text(head + block + tail)
    chart(r)
    print(table(r))


if __name__ == "__main__":
    main()

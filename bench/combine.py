#!/usr/bin/env python3
"""Pool the runs of several `bench/run.py --out` files into one Markdown table.

    .venv/bin/python bench/combine.py /tmp/bench-sqlite-*.json

Medians are taken over every kept run of every file (runs repeated because other processes were
busy are left out, as in run.py); the range shows the slowest and fastest run.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path


def combine(paths: list[Path]) -> str:
    reports = [json.loads(p.read_text()) for p in paths]
    names: list[str] = []
    for report in reports:
        names += [n for n in report["results"] if n not in names]
    commits = sorted({(r.get("code") or {}).get("commit") or "?" for r in reports})
    workers = [kb for r in reports for kb in r["memory_after"]["workers_kb"] if kb]
    lines = [
        f"{len(reports)} invocations ({', '.join(sorted({r['db'] for r in reports}))}; "
        f"code {', '.join(commits)})",
        "",
        "| endpoint | runs | req/s median | req/s range | p50 ms | p99 ms | non-2xx | socket errors |",
        "|---|---:|---:|---|---:|---:|---:|---:|",
    ]
    for name in names:
        runs = [run for r in reports if name in r["results"] for run in r["results"][name]["runs"]]
        every = runs + [
            run
            for r in reports
            if name in r["results"]
            for run in r["results"][name].get("discarded_runs", [])
        ]
        rps = [run["requests_per_s"] for run in runs]
        p50 = statistics.median(run["latency_ms"]["p50"] for run in runs)
        p99 = statistics.median(run["latency_ms"]["p99"] for run in runs)
        bad = sum(run["non_2xx_3xx"] for run in every)
        sock = sum(sum(run["socket_errors"].values()) for run in every)
        lines.append(
            f"| `{name}` | {len(runs)} | {statistics.median(rps):,.1f} | {min(rps):,.0f}–{max(rps):,.0f} "
            f"| {p50:.0f} | {p99:.0f} | {bad} | {sock} |"
        )
    if workers:
        lines += ["", f"worker RSS after load: {min(workers) / 1024:.0f}–{max(workers) / 1024:.0f} MiB"]
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    print(combine([Path(a) for a in sys.argv[1:]]))

#!/usr/bin/env python3
"""Gallery benchmark (initiatives issue): 1,000 published initiatives, 32 connections, under gunicorn.

    .venv/bin/python bench/gallery.py                  # SQLite in a temporary directory
    .venv/bin/python bench/gallery.py --db postgres    # throwaway database sks_bench_gallery
    .venv/bin/python bench/gallery.py --quick          # a short smoke run

Measures requests/s, p95 and p99 of the gallery page, the list API and a detail page, with
/healthz in the same run as the ceiling, and checks the targets: gallery >= 15 % of the
health-check rate, gallery p99 < 150 ms. Reuses bench/run.py's server and wrk helpers; everything
it starts or creates is removed at the end. Load goes to 127.0.0.1 only, bounded in time.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as base  # noqa: E402  (bench/run.py)

P95_SCRIPT = """\
done = function(summary, latency, requests)
  io.write(string.format("P95_US %d\\nP99_US %d\\n", latency:percentile(95), latency:percentile(99)))
end
"""

WORDS = [
    "Chuyển đổi số",
    "Một cửa điện tử",
    "Chợ 4.0",
    "Sổ tay đảng viên",
    "Truy xuất nguồn gốc",
    "Zalo OA",
    "Bản đồ số",
    "Thư viện số",
    "Hồ sơ sức khỏe",
    "Camera an ninh",
    "Học liệu số",
    "Nông sản OCOP",
]


def add_initiatives(n: int) -> int:
    """n published initiatives with one picture row each, in bulk; returns one of their ids."""
    from sqlalchemy import insert, select

    import config
    from app import clock, create_app
    from app.demo.seed import seed_demo
    from app.initiatives.rules import search_text
    from models import Category, Contest, Initiative, InitiativeImage, Unit, db

    app = create_app(config.ProductionConfig)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        seed_demo()
        rng = random.Random(2025)
        contest_id = db.session.scalar(select(Contest.id))
        units = db.session.execute(select(Unit.id, Unit.name)).all()
        categories = list(db.session.scalars(select(Category.id)))
        now = clock.now()
        rows = []
        for i in range(n):
            unit = rng.choice(units)
            title = f"{rng.choice(WORDS)} tại {unit.name} – mô hình {i + 1}"
            summary = "Mô hình giúp người dân và cán bộ tiết kiệm thời gian, minh bạch và thuận tiện hơn."
            published = now - base.timedelta(minutes=rng.randint(60, 60 * 24 * 10))
            rows.append(
                {
                    "contest_id": contest_id,
                    "unit_id": unit.id,
                    "category_id": rng.choice(categories),
                    "status": "published",
                    "title": title,
                    "summary": summary,
                    "problem": "Thực trạng.",
                    "solution": "Giải pháp.",
                    "results": "Kết quả.",
                    "cost": "",
                    "contact_name": "Cán bộ đầu mối",
                    "contact_phone": "",
                    "contact_email": "",
                    "video_url": "",
                    "search_text": search_text(title, summary, unit.name),
                    "like_count": rng.randint(0, 3000),
                    "comment_count": rng.randint(0, 300),
                    "view_count": 0,
                    "created_at": published,
                    "updated_at": published,
                    "submitted_at": published,
                    "published_at": published,
                }
            )
        db.session.execute(insert(Initiative), rows)
        ids = list(db.session.scalars(select(Initiative.id).where(Initiative.title.like("% – mô hình %"))))
        db.session.execute(
            insert(InitiativeImage),
            [
                {
                    "initiative_id": i,
                    "token": secrets.token_hex(16),
                    "position": 0,
                    "width": 1600,
                    "height": 1000,
                    "created_at": now,
                }
                for i in ids
            ],
        )
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            # Fresh statistics, as autovacuum would gather within a minute of such a load; without them
            # the planner sorts every initiative instead of walking ix_initiatives_gallery backwards.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")
        return ids[len(ids) // 2]


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    base.add_load_options(p, pg_name="sks_bench_gallery")
    args = p.parse_args(argv)
    if args.quick:
        args.duration, args.runs, args.quiet_wait = 2, 1, 0
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install -y wrk)", file=sys.stderr)
        return 2

    scratch = base.ScratchDatabase(args.db, args.pg_url, args.pg_name, "sks-gallery-")
    workdir = scratch.workdir
    server = None
    try:
        database_url = scratch.create()
        env = base.server_env(database_url, workdir)
        t0 = time.perf_counter()
        detail_id = add_initiatives(args.initiatives)
        print(
            f"[gallery] {args.db}: seeded {args.initiatives:,} initiatives in "
            f"{time.perf_counter() - t0:.1f} s",
            flush=True,
        )
        server = base.Server(
            env, args.workers, 1, workdir, 30, pg_name=args.pg_name if args.db == "postgres" else None
        )
        server.start()
        endpoints = {
            "GET /healthz": "/healthz",
            "GET /sang-kien/ (gallery)": "/sang-kien/",
            "GET /sang-kien/?q=chuyen+doi+so": "/sang-kien/?q=chuyen+doi+so",
            "GET /api/v1/initiatives": "/api/v1/initiatives",
            "GET /sang-kien/<id> (detail)": f"/sang-kien/{detail_id}",
        }
        for path in endpoints.values():
            status, _body = base.http(server.base + path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}")
        script = workdir / "p95.lua"
        script.write_text(P95_SCRIPT)
        for path in endpoints.values():  # warm-up
            base.run_wrk(
                server.base + path,
                threads=args.threads,
                connections=args.connections,
                duration=2,
                headers=[],
                script=script,
                own_pids=server.own_pids,
            )
        runs: dict[str, list[dict]] = {name: [] for name in endpoints}
        for run in range(args.runs):
            for name, path in endpoints.items():
                result = base.run_wrk(
                    server.base + path,
                    threads=args.threads,
                    connections=args.connections,
                    duration=args.duration,
                    headers=[],
                    script=script,
                    own_pids=server.own_pids,
                    quiet_wait=args.quiet_wait,
                )
                runs[name].append(result)
                print(
                    f"[gallery] run {run + 1} {name}: {result['requests_per_s']:,.1f} req/s, "
                    f"p95 {result['latency_ms']['p95']:.1f} ms, p99 {result['latency_ms']['p99']:.1f} ms, "
                    f"non-2xx {result['non_2xx_3xx']}",
                    flush=True,
                )
        memory = server.memory()
    finally:
        if server:
            server.stop()
        scratch.remove()

    summary = base.summarize_runs(runs)
    ceiling = summary["GET /healthz"]["requests_per_s"]
    lines = [
        "| endpoint | req/s (median) | % of /healthz | p95 ms | p99 ms | req/s of each run | non-2xx |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]
    for name, s in summary.items():
        lines.append(
            f"| `{name}` | {s['requests_per_s']:,.1f} | {100 * s['requests_per_s'] / ceiling:.0f} % | "
            f"{s['p95_ms']:.1f} | {s['p99_ms']:.1f} | {' / '.join(f'{v:,}' for v in s['runs'])} | "
            f"{s['non_2xx']} |"
        )
    gallery = summary["GET /sang-kien/ (gallery)"]
    share = gallery["requests_per_s"] / ceiling
    verdict = (
        f"gallery {100 * share:.1f} % of /healthz (target >= 15 %): {'met' if share >= 0.15 else 'NOT met'}; "
        f"p99 {gallery['p99_ms']} ms (target < 150 ms): {'met' if gallery['p99_ms'] < 150 else 'NOT met'}"
    )
    workers = [kb for kb in memory.get("workers_kb", []) if kb]
    print("\n" + "\n".join(lines))
    print(f"\n{verdict}\nRSS after the load: workers " + ", ".join(f"{kb / 1024:.0f} MiB" for kb in workers))
    if args.out:
        args.out.write_text(
            json.dumps(
                {
                    "db": args.db,
                    "initiatives": args.initiatives,
                    "connections": args.connections,
                    "summary": summary,
                    "verdict": verdict,
                    "memory": memory,
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

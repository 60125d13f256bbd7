#!/usr/bin/env python3
"""Judging benchmark (judging issue): one full ranking run and the public results page, at scale.

    .venv/bin/python bench/judging.py                  # SQLite in a temporary directory
    .venv/bin/python bench/judging.py --db postgres    # throwaway database sks_bench_judging
    .venv/bin/python bench/judging.py --quick          # smoke run: 60 initiatives, 8 judges, 2 s

Fills a fresh database with Core bulk inserts: migrations and the demo (bench/gallery.py), 500 more
published initiatives, 100,000 verified accounts, 1,000,000 likes inside the voting window,
100,000 comments (a few hidden or deleted), daily views, imported engagement, and 30 judges on the
panel, each assigned and having submitted a review of every published initiative on the 5 default
criteria; then ANALYZE. In process, it times `run_ranking` (load the inputs, compute, store the run
with its snapshot and lines) several times — median and maximum, split into load / compute / store —
and checks that every run gives the same digest. It publishes the last run and, under gunicorn
(2 sync workers), drives the results page, the method page and the finalists API with wrk
(32 connections) beside /healthz. Targets: a run under 1 s; the results page at least 15 % of the
health-check rate. Everything it starts or creates is removed at the end; load goes to 127.0.0.1
only, bounded in time.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gallery  # noqa: E402  (bench/gallery.py)
import likes  # noqa: E402  (bench/likes.py)
import run as base  # noqa: E402  (bench/run.py)

SQLITE_TIME = likes.SQLITE_TIME
COMMENT_BODIES = [
    "Mô hình rất thiết thực, mong được nhân rộng ra các xã.",
    "Cho hỏi chi phí duy trì hằng năm là bao nhiêu ạ?",
    "Nhà tôi đã dùng, tiện lợi hơn nhiều so với trước.",
    "Cần hướng dẫn thêm cho người cao tuổi.",
    "Ủng hộ đơn vị!",
]


def _chunks(rows, n: int):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _bulk(engine, table: str, columns: tuple[str, ...], rows, chunk: int) -> int:
    """Insert rows (tuples in `columns` order, times as aware datetimes): COPY on PostgreSQL,
    executemany in one transaction on SQLite. Returns the count."""
    count = 0
    raw = engine.raw_connection()
    try:
        if engine.dialect.name == "postgresql":
            conn = raw.driver_connection
            with conn.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            conn.commit()
        else:
            cur = raw.cursor()
            cur.execute("BEGIN")  # app/database.py puts pysqlite in autocommit mode
            marks = ", ".join("?" for _ in columns)
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            for part in _chunks(rows, chunk):
                cur.executemany(
                    sql,
                    [
                        tuple(v.strftime(SQLITE_TIME) if isinstance(v, datetime) else v for v in row)
                        for row in part
                    ],
                )
                count += len(part)
            raw.commit()
    finally:
        raw.close()
    return count


def load(args, app) -> dict:
    """The database: demo + initiatives, accounts, likes, comments, views, imports, judges, reviews."""
    from sqlalchemy import func, select
    from werkzeug.security import generate_password_hash

    from app import clock
    from app.auth.rules import fold
    from app.judging import service
    from models import (
        Contest,
        Initiative,
        InitiativeStatus,
        Like,
        Review,
        RoleName,
        StageKind,
        User,
        db,
    )

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    gallery.add_initiatives(args.initiatives)  # migrations, seed_demo(), the initiatives
    timings["demo_and_initiatives_s"] = time.perf_counter() - t0

    with app.app_context():
        engine = db.engine
        now = clock.now()
        contest = db.session.scalar(select(Contest))
        contest_id = contest.id
        voting = contest.stage(StageKind.VOTING)
        start = max(voting.opens_at, now - timedelta(days=14))
        span_s = (now - start).total_seconds() - 60
        initiative_ids = list(
            db.session.scalars(
                select(Initiative.id).where(
                    Initiative.contest_id == contest_id, Initiative.status == InitiativeStatus.PUBLISHED
                )
            )
        )
        random.Random(7).shuffle(initiative_ids)  # popularity unrelated to id order
        criteria = [c.id for c in service.rubric(contest)]
        db.session.remove()

        # Accounts (one password hash for all) and the judges.
        t0 = time.perf_counter()
        password_hash = generate_password_hash(base.BENCH_PASSWORD)
        created = now - timedelta(days=20)
        names = [f"{a} {b} {c}" for a in base.SURNAMES for b in base.MIDDLES for c in base.GIVEN]

        def account(email: str, i: int) -> tuple:
            name = names[(i * 7919) % len(names)]
            return (name, fold(name), email, password_hash, created, "email", True, 1, created)

        columns = (
            "full_name",
            "name_folded",
            "email",
            "password_hash",
            "verified_at",
            "verified_via",
            "active",
            "session_version",
            "created_at",
        )
        people = (account(f"j{i}@bench.vn", i) for i in range(1, args.accounts + 1))
        _bulk(engine, "users", columns, people, args.chunk)
        judges = (account(f"gk{i}@bench.vn", i) for i in range(1, args.judges + 1))
        _bulk(engine, "users", columns, judges, args.chunk)
        user_ids = list(
            db.session.scalars(select(User.id).where(User.email.like("j%@bench.vn")).order_by(User.id))
        )
        judge_ids = list(
            db.session.scalars(select(User.id).where(User.email.like("gk%@bench.vn")).order_by(User.id))
        )
        db.session.remove()  # a read snapshot left open would make the session's next write fail on SQLite
        _bulk(
            engine,
            "role_grants",
            ("user_id", "role", "granted_at"),
            ((j, RoleName.JUDGE.value, created) for j in judge_ids),
            args.chunk,
        )
        _bulk(
            engine,
            "panel_members",
            ("contest_id", "user_id", "created_at"),
            ((contest_id, j, created) for j in judge_ids),
            args.chunk,
        )
        timings["accounts_s"] = time.perf_counter() - t0

        # Likes (a few initiatives far ahead), comments, views, imported engagement.
        t0 = time.perf_counter()
        like_count = _bulk(
            engine,
            "likes",
            ("initiative_id", "user_id", "created_at"),
            likes.like_rows(11, initiative_ids, user_ids, args.likes, start, span_s),
            args.chunk,
        )
        timings["likes_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        rng = random.Random(13)
        weights = [1 / (rank + 1) ** 0.7 for rank in range(len(initiative_ids))]

        def comments():
            for n in range(args.comments):
                status = "hidden" if n % 97 == 0 else "visible"
                at = start + timedelta(seconds=rng.random() * span_s)
                deleted = at if n % 89 == 0 else None
                yield (
                    rng.choices(initiative_ids, weights)[0],
                    rng.choice(user_ids),
                    COMMENT_BODIES[n % len(COMMENT_BODIES)],
                    status,
                    at,
                    deleted,
                    0,
                )

        comment_count = _bulk(
            engine,
            "comments",
            ("initiative_id", "user_id", "body", "status", "created_at", "deleted_at", "open_reports"),
            comments(),
            args.chunk,
        )
        today = now.date()

        def views():
            for i in initiative_ids:
                for d in range(14):
                    day = today - timedelta(days=d)
                    for v in range(rng.randint(0, args.views_per_day)):
                        yield (i, day.isoformat() if engine.dialect.name == "sqlite" else day, f"s:{v:08x}")

        view_count = _bulk(
            engine, "initiative_views", ("initiative_id", "day", "viewer"), views(), args.chunk
        )
        imports = [
            (
                i,
                platform,
                rng.randint(0, 400),
                rng.randint(0, 60),
                rng.randint(0, 90),
                now - timedelta(days=d),
                "",
                now,
            )
            for i in initiative_ids[: len(initiative_ids) // 2]
            for platform in ("facebook", "zalo")
            for d in (1, 4)
        ]
        _bulk(
            engine,
            "external_engagements",
            (
                "initiative_id",
                "platform",
                "likes",
                "comments",
                "shares",
                "measured_at",
                "source_url",
                "imported_at",
            ),
            imports,
            args.chunk,
        )
        timings["comments_views_imports_s"] = time.perf_counter() - t0

        # Every judge assigned to and having reviewed every published initiative, on every criterion.
        t0 = time.perf_counter()
        service.update_settings(
            db.session.scalar(select(User).where(User.email == "btc@demo.vn")),
            db.session.get(Contest, contest_id),
            assignment_mode="all",
        )
        db.session.remove()
        submitted = now - timedelta(hours=6)
        pairs = [(i, j) for i in initiative_ids for j in judge_ids]
        _bulk(
            engine,
            "assignments",
            ("initiative_id", "judge_id", "created_at", "conflict_reason"),
            ((i, j, created, "") for i, j in pairs),
            args.chunk,
        )
        _bulk(
            engine,
            "reviews",
            ("initiative_id", "judge_id", "status", "note", "created_at", "updated_at", "submitted_at"),
            ((i, j, "submitted", "", submitted, submitted, submitted) for i, j in pairs),
            args.chunk,
        )
        review_ids = {
            (i, j): r
            for r, i, j in db.session.execute(
                select(Review.id, Review.initiative_id, Review.judge_id).where(Review.judge_id.in_(judge_ids))
            )
        }
        db.session.remove()
        quality = {i: rng.uniform(3, 9.5) for i in initiative_ids}
        bias = {j: rng.uniform(-1, 1) for j in judge_ids}
        score_count = _bulk(
            engine,
            "review_scores",
            ("review_id", "criterion_id", "score"),
            (
                (review_ids[(i, j)], c, min(10.0, max(0.0, round(quality[i] + bias[j] + rng.gauss(0, 0.8)))))
                for i, j in pairs
                for c in criteria
            ),
            args.chunk,
        )
        timings["judges_reviews_s"] = time.perf_counter() - t0
        db.session.remove()

        # Planner statistics, as autovacuum would gather them within a minute of such a load. On SQLite
        # through the driver's connection and committed: app/database.py opens a transaction on every
        # SQLAlchemy connection, and an ANALYZE rolled back with it leaves no statistics behind.
        t0 = time.perf_counter()
        raw = engine.raw_connection()
        try:
            if engine.dialect.name == "postgresql":
                raw.driver_connection.autocommit = True
            raw.cursor().execute("ANALYZE")
            if engine.dialect.name != "postgresql":
                raw.commit()
        finally:
            raw.close()
        timings["analyze_s"] = time.perf_counter() - t0
        counts = {
            "initiatives": len(initiative_ids),
            "accounts": len(user_ids),
            "judges": len(judge_ids),
            "criteria": len(criteria),
            "reviews": len(pairs),
            "review_scores": score_count,
            "likes": like_count,
            "likes_in_table": db.session.scalar(select(func.count()).select_from(Like)),
            "comments": comment_count,
            "views": view_count,
            "imports": len(imports),
        }
        db.session.remove()
    return {"counts": counts, "timings": {k: round(v, 1) for k, v in timings.items()}}


class Stopwatch:
    """Wraps the three phases of run_ranking to time them inside the real call."""

    def __init__(self):
        from app.judging import ranking, service

        self.service, self.ranking = service, ranking
        self.laps: dict[str, float] = {}
        self.originals = {
            (service, "ranking_input"): service.ranking_input,
            (ranking, "rank"): ranking.rank,
            (ranking, "to_plain"): ranking.to_plain,
            (ranking, "digest_of"): ranking.digest_of,
        }

    def __enter__(self):
        phase = {"ranking_input": "load", "rank": "compute", "to_plain": "compute", "digest_of": "compute"}
        for (module, name), original in self.originals.items():
            setattr(module, name, self._timed(original, phase[name]))
        return self

    def _timed(self, original, lap: str):
        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.laps[lap] = self.laps.get(lap, 0.0) + time.perf_counter() - t0

        return timed

    def __exit__(self, *exc):
        for (module, name), original in self.originals.items():
            setattr(module, name, original)


def time_runs(app, n: int) -> dict:
    """n ranking runs in process as the demo organizer; the last one is published."""
    from sqlalchemy import select

    from app.contest.service import current_contest
    from app.judging import service
    from models import User, db

    runs = []
    with app.app_context():
        for _ in range(n):
            organizer = db.session.scalar(select(User).where(User.email == "btc@demo.vn"))
            contest = current_contest()
            with Stopwatch() as watch:
                t0 = time.perf_counter()
                run = service.run_ranking(organizer, contest)
                total = time.perf_counter() - t0
            laps = dict(watch.laps)
            runs.append(
                {
                    "total_s": total,
                    "load_s": laps.get("load", 0),
                    "compute_s": laps.get("compute", 0),
                    "store_s": total - laps.get("load", 0) - laps.get("compute", 0),
                    "digest": run.digest,
                    "run_id": run.id,
                    "entries": run.entries,
                    "finalists": run.finalists,
                }
            )
            print(
                f"[judging] run {run.id}: {total * 1000:,.0f} ms (load {laps.get('load', 0) * 1000:,.0f}, "
                f"compute {laps.get('compute', 0) * 1000:,.0f}, store {runs[-1]['store_s'] * 1000:,.0f}) "
                f"{run.entries} entries, {run.finalists} finalists, digest {run.digest[:12]}…",
                flush=True,
            )
            db.session.remove()
        organizer = db.session.scalar(select(User).where(User.email == "btc@demo.vn"))
        last = service.runs(current_contest())[0]
        verified = service.verify_run(last).ok
        service.publish_run(organizer, last)
        contest_id = last.contest_id
        db.session.remove()
    return {"runs": runs, "verified": verified, "contest_id": contest_id}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    base.add_load_options(p, pg_name="sks_bench_judging")
    p.set_defaults(initiatives=500)
    p.add_argument("--judges", type=int, help="judges, each reviewing every initiative (default 30)")
    p.add_argument("--accounts", type=int, help="verified accounts who like (default 100,000)")
    p.add_argument("--likes", type=int, help="likes (default 1,000,000)")
    p.add_argument("--comments", type=int, help="comments (default 100,000)")
    p.add_argument("--views-per-day", type=int, default=30, help="at most this many viewers a day each")
    p.add_argument("--ranking-runs", type=int, default=5, help="in-process ranking runs to time")
    p.add_argument("--chunk", type=int, default=50_000, help="rows per executemany on SQLite")
    args = p.parse_args(argv)
    if args.quick:
        args.duration, args.runs, args.quiet_wait = 2, 1, 0
        args.initiatives = 60 if args.initiatives == 500 else args.initiatives
    args.judges = args.judges or (8 if args.quick else 30)
    args.accounts = args.accounts or (5000 if args.quick else 100_000)
    args.likes = args.likes or (20_000 if args.quick else 1_000_000)
    args.comments = args.comments or (5000 if args.quick else 100_000)
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install -y wrk)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    scratch = base.ScratchDatabase(args.db, args.pg_url, args.pg_name, "sks-judging-")
    workdir = scratch.workdir
    server = None
    try:
        database_url = scratch.create()
        env = base.server_env(database_url, workdir)
        import config
        from app import create_app

        app = create_app(config.ProductionConfig)
        print(
            f"[judging] {args.db}: seeding {args.initiatives:,} initiatives, {args.judges} judges, "
            f"{args.accounts:,} accounts, {args.likes:,} likes, {args.comments:,} comments …",
            flush=True,
        )
        t0 = time.perf_counter()
        seeded = load(args, app)
        print(f"[judging] seeded {seeded['counts']} in {time.perf_counter() - t0:.1f} s {seeded['timings']}")
        print(f"[judging] load before timing: {os.getloadavg()[0]:.2f} (1 min)", flush=True)
        timed = time_runs(app, args.ranking_runs)
        digests = {r["digest"] for r in timed["runs"]}

        server = base.Server(
            env, args.workers, 1, workdir, 30, pg_name=args.pg_name if args.db == "postgres" else None
        )
        server.start()
        endpoints = {
            "GET /healthz": "/healthz",
            "GET /ket-qua/ (results)": "/ket-qua/",
            "GET /ket-qua/phuong-phap (method)": "/ket-qua/phuong-phap",
            "GET /api/v1/contests/<id>/finalists": f"/api/v1/contests/{timed['contest_id']}/finalists",
        }
        for path in endpoints.values():
            status, body = base.http(server.base + path)
            if status != 200:
                raise RuntimeError(f"{path} answered {status}: {body[:300]!r}")
        script = workdir / "p95.lua"
        script.write_text(gallery.P95_SCRIPT)
        opts = {
            "threads": args.threads,
            "connections": args.connections,
            "headers": [],
            "script": script,
            "own_pids": server.own_pids,
        }
        for path in endpoints.values():  # warm-up
            base.run_wrk(server.base + path, duration=2, **opts)
        wrk_runs: dict[str, list[dict]] = {name: [] for name in endpoints}
        for n in range(args.runs):
            for name, path in endpoints.items():
                result = base.run_wrk(
                    server.base + path, duration=args.duration, quiet_wait=args.quiet_wait, **opts
                )
                wrk_runs[name].append(result)
                print(
                    f"[judging] run {n + 1} {name}: {result['requests_per_s']:,.1f} req/s, "
                    f"p95 {result['latency_ms']['p95']:.1f} ms, p99 {result['latency_ms']['p99']:.1f} ms, "
                    f"non-2xx {result['non_2xx_3xx']}, other CPU {result['cpu']['other_pct']} %",
                    flush=True,
                )
        memory = server.memory()
    finally:
        if server:
            server.stop()
        scratch.remove()

    def ms(values) -> str:
        return f"{statistics.median(values) * 1000:,.0f} ms (max {max(values) * 1000:,.0f})"

    runs = timed["runs"]
    totals = [r["total_s"] for r in runs]
    summary = base.summarize_runs(wrk_runs)
    ceiling = summary["GET /healthz"]["requests_per_s"]
    counts = seeded["counts"]
    print(
        f"\n### Judging — {args.db}, {counts['initiatives']:,} initiatives, {counts['judges']} judges × "
        f"{counts['criteria']} criteria ({counts['reviews']:,} reviews), {counts['likes']:,} likes, "
        f"{counts['comments']:,} comments, {counts['views']:,} daily views\n"
    )
    print(
        f"ranking run in process, {len(runs)} runs: total {ms(totals)}; "
        f"load {ms([r['load_s'] for r in runs])}, "
        f"compute {ms([r['compute_s'] for r in runs])}, store {ms([r['store_s'] for r in runs])}; "
        f"same digest every run: {len(digests) == 1}; verifies: {timed['verified']}\n"
    )
    lines = [
        "| endpoint | req/s (median) | % of /healthz | p95 ms | p99 ms | req/s of each run | non-2xx "
        "| other CPU % |",
        "|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    for name, s in summary.items():
        lines.append(
            f"| `{name}` | {s['requests_per_s']:,.1f} | {100 * s['requests_per_s'] / ceiling:.0f} % | "
            f"{s['p95_ms']:.1f} | {s['p99_ms']:.1f} | {' / '.join(f'{v:,}' for v in s['runs'])} | "
            f"{s['non_2xx']} | {s['other_cpu_pct']} |"
        )
    print("\n".join(lines))
    share = summary["GET /ket-qua/ (results)"]["requests_per_s"] / ceiling
    median_run = statistics.median(totals)
    errors = sum(s["non_2xx"] + s["socket_errors"] for s in summary.values())

    def met(ok: bool) -> str:
        return "met" if ok else "NOT met"

    verdict = (
        f"ranking run median {median_run * 1000:,.0f} ms (target < 1,000 ms): {met(median_run < 1)}\n"
        f"results page {100 * share:.1f} % of /healthz (target >= 15 %): {met(share >= 0.15)}\n"
        f"errors (non-2xx + socket) {errors}; runs identical: {len(digests) == 1}"
    )
    workers = [kb for kb in memory.get("workers_kb", []) if kb]
    print(f"\n{verdict}\nRSS after the load: workers " + ", ".join(f"{kb / 1024:.0f} MiB" for kb in workers))
    if args.out:
        args.out.write_text(
            json.dumps(
                {
                    "db": args.db,
                    "params": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
                    "seed": seeded,
                    "ranking_runs": runs,
                    "summary": summary,
                    "verdict": verdict,
                    "memory": memory,
                    "when": datetime.now(UTC).isoformat(),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    return 1 if errors or len(digests) != 1 else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Like/unlike benchmark (engagement issue): 1,000 initiatives, 100,000 accounts, 1,000,000 likes.

    .venv/bin/python bench/likes.py                    # SQLite in a temporary directory
    .venv/bin/python bench/likes.py --db postgres      # throwaway database sks_bench_likes
    .venv/bin/python bench/likes.py --quick            # smoke run: 5,000 accounts, 50,000 likes, 2 s

Fills a fresh database (migrations, the demo, 1,000 published initiatives, verified accounts, likes
with their events, counters recomputed from the rows, ANALYZE), issues API tokens for some of the
accounts, then drives PUT and DELETE /api/v1/initiatives/<id>/like under gunicorn with wrk, /healthz
in the same run as the ceiling. Each wrk thread owns distinct (token, initiative) pairs and
alternates like and unlike on them, starting from each pair's real state, so nearly every request
changes something. Afterwards `reconcile_counters(fix=False)` must find no drift. Targets: likes
>= 1/3 of the /healthz rate, p99 < 50 ms, no error, no drift. Everything it starts or creates is
removed at the end; load goes to 127.0.0.1 only, bounded in time.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import gallery  # noqa: E402  (bench/gallery.py)
import run as base  # noqa: E402  (bench/run.py)

LIKE_SCRIPT = """\
-- PUT or DELETE /api/v1/initiatives/<id>/like: each thread cycles through its own pairs and
-- flips each pair's state (a pair recurs only after the thread's other pairs, long after its
-- previous request was answered).
local pairs_file = "{pairs}"
local threads = {threads}
local counter = 0
setup = function(thread)
  counter = counter + 1
  thread:set("id", counter)
end
init = function(args)
  items = {{}}
  local i = 0
  for line in io.lines(pairs_file) do
    if i % threads == id - 1 then
      local token, initiative, liked = line:match("^(%S+) (%d+) (%d)$")
      table.insert(items, {{
        headers = {{["Authorization"] = "Bearer " .. token}},
        path = "/api/v1/initiatives/" .. initiative .. "/like",
        liked = liked == "1",
      }})
    end
    i = i + 1
  end
  pos = 0
end
request = function()
  pos = pos % #items + 1
  local item = items[pos]
  local method = item.liked and "DELETE" or "PUT"
  item.liked = not item.liked
  return wrk.format(method, item.path, item.headers, "")
end
"""

SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how UTCDateTime stores a time on SQLite (naive UTC)


def like_rows(seed: int, initiative_ids: list[int], user_ids: list[int], n_likes: int, start, span_s):
    """(initiative_id, user_id, created_at) of n_likes distinct likes, a few initiatives far ahead.

    A generator, so 1,000,000 rows never sit in memory; the same seed gives the same rows (it is
    run twice: the like rows, then their events).
    """
    rng = random.Random(seed)
    weights = [1 / (rank + 1) ** 0.7 for rank in range(len(initiative_ids))]
    total = sum(weights)
    counts = [min(len(user_ids), round(n_likes * w / total)) for w in weights]
    counts[-1] += n_likes - sum(counts)  # exact total (the least popular takes the rounding)
    counts[-1] = max(0, min(len(user_ids), counts[-1]))
    for initiative_id, k in zip(initiative_ids, counts, strict=True):
        for user_id in rng.sample(user_ids, k):
            yield initiative_id, user_id, start + timedelta(seconds=rng.random() * span_s)


def load(args, database_url: str) -> dict:
    """The database: demo + initiatives (bench/gallery.py), accounts, likes, events, counters."""
    from sqlalchemy import func, insert, select
    from werkzeug.security import generate_password_hash

    import config
    from app import clock, create_app
    from app.auth.rules import fold, hash_secret, new_token
    from app.engagement.rules import salted_hash
    from app.engagement.service import reconcile_counters
    from models import ApiToken, Contest, Initiative, Like, StageKind, User, db

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    gallery.add_initiatives(args.initiatives)  # migrations, seed_demo(), the initiatives
    timings["demo_and_initiatives_s"] = time.perf_counter() - t0

    app = create_app(config.ProductionConfig)
    postgres = database_url.startswith("postgresql")
    with app.app_context():
        now = clock.now()
        voting = db.session.scalar(select(Contest)).stage(StageKind.VOTING)
        start = max(voting.opens_at, now - timedelta(days=14))
        span_s = (now - start).total_seconds() - 60
        initiative_ids = list(
            db.session.scalars(select(Initiative.id).where(Initiative.title.like("% – mô hình %")))
        )
        random.Random(7).shuffle(initiative_ids)  # popularity unrelated to id order
        db.session.remove()

        # Accounts: one password hash for all (scrypt 100,000 times would take hours).
        t0 = time.perf_counter()
        password_hash = generate_password_hash(base.BENCH_PASSWORD)
        names = [
            f"{a} {b} {c}" for a in base.SURNAMES for b in base.MIDDLES for c in base.GIVEN
        ]  # 6,480 names
        created = now - timedelta(days=20)

        def account(i: int) -> tuple:
            name = names[(i * 7919) % len(names)]
            return (name, fold(name), f"l{i}@bench.vn", password_hash, created, "email", True, 1, created)

        columns = (
            "full_name, name_folded, email, password_hash, verified_at, verified_via, active, "
            "session_version, created_at"
        )
        engine = db.engine
        raw = engine.raw_connection()
        try:
            if postgres:
                cur = raw.driver_connection.cursor()
                with cur.copy(f"COPY users ({columns}) FROM STDIN") as copy:
                    for i in range(1, args.accounts + 1):
                        copy.write_row(account(i))
                raw.driver_connection.commit()
            else:
                cur = raw.cursor()
                cur.execute("BEGIN")  # app/database.py puts pysqlite in autocommit mode
                cur.executemany(
                    f"INSERT INTO users ({columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (*row[:4], row[4].strftime(SQLITE_TIME), *row[5:8], row[8].strftime(SQLITE_TIME))
                        for row in map(account, range(1, args.accounts + 1))
                    ],
                )
                raw.commit()
        finally:
            raw.close()
        timings["accounts_s"] = time.perf_counter() - t0

        user_ids = list(
            db.session.scalars(select(User.id).where(User.email.like("l%@bench.vn")).order_by(User.id))
        )
        db.session.remove()

        # Likes and their like events, in chunks, in one transaction per table.
        t0 = time.perf_counter()
        salt = app.config["HASH_SALT"]
        ips = [salted_hash(f"10.{i // 65536}.{(i // 256) % 256}.{i % 256}", salt) for i in range(20_000)]
        agents = [salted_hash(f"bench-agent-{i}", salt) for i in range(12)]
        like_count = 0
        raw = engine.raw_connection()
        try:
            if postgres:
                conn = raw.driver_connection
                with conn.cursor() as cur:
                    with cur.copy("COPY likes (initiative_id, user_id, created_at) FROM STDIN") as copy:
                        for row in like_rows(11, initiative_ids, user_ids, args.likes, start, span_s):
                            copy.write_row(row)
                            like_count += 1
                    timings["likes_s"] = time.perf_counter() - t0
                    t1 = time.perf_counter()
                    with cur.copy(
                        "COPY engagement_events (kind, initiative_id, user_id, created_at, ip_hash, ua_hash) "
                        "FROM STDIN"
                    ) as copy:
                        for n, (i, u, at) in enumerate(
                            like_rows(11, initiative_ids, user_ids, args.likes, start, span_s)
                        ):
                            copy.write_row(("like", i, u, at, ips[(u * 31) % len(ips)], agents[n % 12]))
                    timings["events_s"] = time.perf_counter() - t1
                conn.commit()
            else:
                cur = raw.cursor()
                cur.execute("BEGIN")  # one transaction for both tables
                rows = like_rows(11, initiative_ids, user_ids, args.likes, start, span_s)
                while chunk := [(i, u, at.strftime(SQLITE_TIME)) for i, u, at in _take(rows, args.chunk)]:
                    cur.executemany(
                        "INSERT INTO likes (initiative_id, user_id, created_at) VALUES (?, ?, ?)", chunk
                    )
                    like_count += len(chunk)
                timings["likes_s"] = time.perf_counter() - t0
                t1 = time.perf_counter()
                rows = like_rows(11, initiative_ids, user_ids, args.likes, start, span_s)
                n = 0
                while chunk := [
                    ("like", i, u, at.strftime(SQLITE_TIME), ips[(u * 31) % len(ips)], agents[(n + k) % 12])
                    for k, (i, u, at) in enumerate(_take(rows, args.chunk))
                ]:
                    cur.executemany(
                        "INSERT INTO engagement_events (kind, initiative_id, user_id, created_at, ip_hash, "
                        "ua_hash) VALUES (?, ?, ?, ?, ?, ?)",
                        chunk,
                    )
                    n += len(chunk)
                raw.commit()
                timings["events_s"] = time.perf_counter() - t1
        finally:
            raw.close()

        # Counters from the rows (the app's own reconcile), then planner statistics.
        t0 = time.perf_counter()
        reconcile_counters(fix=True)
        db.session.remove()
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
        timings["counters_analyze_s"] = time.perf_counter() - t0

        # API tokens for some accounts, stored as keyed hashes like issue_api_token() does.
        t0 = time.perf_counter()
        token_users = random.Random(3).sample(user_ids, min(args.tokens, len(user_ids)))
        tokens = {user_id: new_token() for user_id in token_users}
        expires = now + timedelta(hours=app.config["API_TOKEN_TTL_HOURS"])
        db.session.execute(
            insert(ApiToken),
            [
                {
                    "user_id": user_id,
                    "token_hash": hash_secret(token, app.config["SECRET_KEY"]),
                    "created_at": now,
                    "expires_at": expires,
                }
                for user_id, token in tokens.items()
            ],
        )
        db.session.commit()
        timings["tokens_s"] = time.perf_counter() - t0
        counts = {
            "initiatives": len(initiative_ids),
            "accounts": len(user_ids),
            "likes": db.session.scalar(select(func.count()).select_from(Like)),
            "likes_loaded": like_count,
            "tokens": len(tokens),
        }
        db.session.remove()
    return {
        "counts": counts,
        "timings": {k: round(v, 1) for k, v in timings.items()},
        "tokens": tokens,
        "initiative_ids": initiative_ids,
        "app": app,
    }


def _take(iterator, n: int):
    for _ in range(n):
        try:
            yield next(iterator)
        except StopIteration:
            return


def write_pairs(app, path: Path, pairs: list[tuple[str, int, int]]) -> float:
    """The pairs file for the Lua script, each with its current state; returns the share liked."""
    from sqlalchemy import select

    from models import Like, db

    with app.app_context():
        users = sorted({u for _, u, _ in pairs})
        liked = {
            tuple(row)
            for row in db.session.execute(
                select(Like.user_id, Like.initiative_id).where(Like.user_id.in_(users))
            )
        }
        db.session.remove()
    path.write_text("".join(f"{t} {i} {int((u, i) in liked)}\n" for t, u, i in pairs))
    return sum((u, i) in liked for _, u, i in pairs) / max(len(pairs), 1)


def like_events(app) -> int:
    from sqlalchemy import func, select

    from models import EngagementEvent, EventKind, db

    with app.app_context():
        n = db.session.scalar(
            select(func.count())
            .select_from(EngagementEvent)
            .where(EngagementEvent.kind.in_([EventKind.LIKE, EventKind.UNLIKE]))
        )
        db.session.remove()
    return n


def check_drift(app) -> tuple[list, list]:
    from app.engagement.service import reconcile_counters
    from models import db

    with app.app_context():
        drifts = reconcile_counters(fix=False)
        db.session.remove()
    return drifts


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    base.add_load_options(p, pg_name="sks_bench_likes")
    p.add_argument("--accounts", type=int, help="verified accounts (default 100,000; 5,000 with --quick)")
    p.add_argument("--likes", type=int, help="existing likes (default 1,000,000; 50,000 with --quick)")
    p.add_argument("--tokens", type=int, default=2000, help="accounts that get an API token and like")
    p.add_argument("--pairs-per-token", type=int, default=2, help="initiatives each token flips")
    p.add_argument("--chunk", type=int, default=50_000, help="rows per executemany on SQLite")
    args = p.parse_args(argv)
    if args.quick:
        args.duration, args.runs, args.quiet_wait = 2, 1, 0
    args.accounts = args.accounts or (5000 if args.quick else 100_000)
    args.likes = args.likes or (50_000 if args.quick else 1_000_000)
    if args.likes > args.accounts * args.initiatives:
        p.error("--likes cannot exceed --accounts × --initiatives")
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install -y wrk)", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    scratch = base.ScratchDatabase(args.db, args.pg_url, args.pg_name, "sks-likes-")
    workdir = scratch.workdir
    server = None
    try:
        database_url = scratch.create()
        env = base.server_env(database_url, workdir)
        print(
            f"[likes] {args.db}: seeding {args.initiatives:,} initiatives, {args.accounts:,} accounts, "
            f"{args.likes:,} likes …",
            flush=True,
        )
        t0 = time.perf_counter()
        seeded = load(args, database_url)
        app = seeded.pop("app")
        print(
            f"[likes] seeded {seeded['counts']} in {time.perf_counter() - t0:.1f} s {seeded['timings']}",
            flush=True,
        )
        rng = random.Random(5)
        pairs = [
            (token, user_id, initiative_id)
            for user_id, token in seeded["tokens"].items()
            for initiative_id in rng.sample(seeded["initiative_ids"], args.pairs_per_token)
        ]
        rng.shuffle(pairs)
        pairs_file = workdir / "pairs.txt"
        script = workdir / "likes.lua"
        script.write_text(LIKE_SCRIPT.format(pairs=pairs_file, threads=args.threads) + gallery.P95_SCRIPT)
        health = workdir / "p95.lua"
        health.write_text(gallery.P95_SCRIPT)

        server = base.Server(
            env, args.workers, 1, workdir, 30, pg_name=args.pg_name if args.db == "postgres" else None
        )
        server.start()
        token, _, initiative_id = pairs[0]
        status, body = base.http(
            f"{server.base}/api/v1/initiatives/{initiative_id}/like",
            method="PUT",
            headers={"Authorization": f"Bearer {token}"},
        )
        if status != 200 or not json.loads(body).get("liked"):
            raise RuntimeError(f"PUT like answered {status}: {body[:300]!r}")
        like_url = f"{server.base}/api/v1/initiatives/{initiative_id}/like"
        endpoints = {
            "GET /healthz": (f"{server.base}/healthz", health),
            "PUT+DELETE …/like": (like_url, script),
        }
        opts = {
            "threads": args.threads,
            "connections": args.connections,
            "headers": [],
            "own_pids": server.own_pids,
        }
        for url, lua in endpoints.values():  # warm-up
            if lua is script:
                write_pairs(app, pairs_file, pairs)
            base.run_wrk(url, duration=2, script=lua, **opts)

        runs: dict[str, list[dict]] = {name: [] for name in endpoints}
        for run in range(args.runs):
            for name, (url, lua) in endpoints.items():
                extra = ""
                if lua is script:
                    share = write_pairs(app, pairs_file, pairs)
                    before = like_events(app)
                result = base.run_wrk(
                    url, duration=args.duration, script=lua, quiet_wait=args.quiet_wait, **opts
                )
                if lua is script:
                    changes = like_events(app) - before
                    result["state_changes"] = changes
                    result["liked_at_start"] = round(share, 3)
                    extra = f", state changes {changes:,} of {result['requests']:,} requests"
                runs[name].append(result)
                errors = sum(result["socket_errors"].values())
                print(
                    f"[likes] run {run + 1} {name}: {result['requests_per_s']:,.1f} req/s, "
                    f"p95 {result['latency_ms']['p95']:.1f} ms, p99 {result['latency_ms']['p99']:.1f} ms, "
                    f"non-2xx {result['non_2xx_3xx']}, socket errors {errors}, "
                    f"other CPU {result['cpu']['other_pct']} %{extra}",
                    flush=True,
                )
        memory = server.memory()
        log_tail = server.log_tail()
        server.stop()
        server = None
        drifts, event_drifts = check_drift(app)
    finally:
        if server:
            server.stop()
        scratch.remove()

    summary = base.summarize_runs(runs)
    like_runs = runs["PUT+DELETE …/like"]
    changed = sum(r["state_changes"] for r in like_runs) / max(sum(r["requests"] for r in like_runs), 1)
    ceiling = summary["GET /healthz"]["requests_per_s"]
    lines = [
        "| endpoint | req/s (median) | % of /healthz | p95 ms | p99 ms | req/s of each run | non-2xx "
        "| socket errors | other CPU % |",
        "|---|---:|---:|---:|---:|---|---:|---:|---:|",
    ]
    for name, s in summary.items():
        lines.append(
            f"| `{name}` | {s['requests_per_s']:,.1f} | {100 * s['requests_per_s'] / ceiling:.0f} % | "
            f"{s['p95_ms']:.1f} | {s['p99_ms']:.1f} | {' / '.join(f'{v:,}' for v in s['runs'])} | "
            f"{s['non_2xx']} | {s['socket_errors']} | {s['other_cpu_pct']} |"
        )
    likes = summary["PUT+DELETE …/like"]
    share = likes["requests_per_s"] / ceiling
    errors = sum(s["non_2xx"] + s["socket_errors"] for s in summary.values())
    drift_count = len(drifts) + len(event_drifts)

    def met(ok: bool) -> str:
        return "met" if ok else "NOT met"

    verdict = "\n".join(
        [
            f"likes {100 * share:.1f} % of /healthz (target >= 33 %): {met(share >= 1 / 3)}",
            f"likes p99 {likes['p99_ms']} ms (target < 50 ms): {met(likes['p99_ms'] < 50)}",
            f"errors (non-2xx + socket) {errors} (target 0): {met(errors == 0)}",
            f"counter drift {len(drifts)}, event drift {len(event_drifts)} (target 0): "
            f"{met(drift_count == 0)}",
            f"requests that changed a like: {100 * changed:.1f} %",
        ]
    )
    workers = [kb for kb in memory.get("workers_kb", []) if kb]
    counts = seeded["counts"]
    print(
        f"\n### Likes — {args.db}, {counts['initiatives']:,} initiatives, {counts['accounts']:,} accounts, "
        f"{counts['likes_loaded']:,} likes loaded; wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration}s, gunicorn {args.workers} workers, medians of {args.runs} runs\n"
    )
    print("\n".join(lines))
    print(f"\n{verdict}\nRSS after the load: workers " + ", ".join(f"{kb / 1024:.0f} MiB" for kb in workers))
    for d in (drifts + event_drifts)[:10]:
        print(f"  drift: initiative {d.initiative_id} {d.counter} stored {d.stored}, rows {d.actual}")
    if errors and log_tail.strip():
        print("gunicorn log (tail):\n" + log_tail)
    if args.out:
        args.out.write_text(
            json.dumps(
                {
                    "db": args.db,
                    "params": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
                    "seed": {"counts": counts, "timings": seeded["timings"]},
                    "summary": summary,
                    "runs": runs,
                    "drift": {"counters": len(drifts), "events": len(event_drifts)},
                    "state_changes_share": round(changed, 4),
                    "verdict": verdict,
                    "memory": memory,
                    "when": datetime.now(UTC).isoformat(),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    return 1 if errors or drift_count else 0


if __name__ == "__main__":
    sys.exit(main())

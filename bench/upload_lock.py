#!/usr/bin/env python3
"""Do picture uploads slow down other writers? Sign-ins alone, then while pictures are uploaded.

    .venv/bin/python bench/upload_lock.py                 # SQLite in a temporary directory
    .venv/bin/python bench/upload_lock.py --db postgres   # throwaway database sks_bench_upload

A unit representative (donvi1@demo.vn) adds 24-megapixel pictures one after the other to a draft
through POST /api/v1/initiatives/<id>/images while wrk signs in random bench accounts
(POST /api/v1/tokens, 2 connections). On SQLite a request's write transaction holds the one write
lock until it commits, so anything slow inside it makes every other writer wait (docs/PERFORMANCE.md).
Reuses bench/run.py's helpers; removes everything it starts or creates; 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import io
import json
import signal
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run as base  # noqa: E402  (bench/run.py)


def picture(megapixels: int) -> bytes:
    from PIL import Image

    width = int((megapixels * 1e6 * 3 / 2) ** 0.5)
    height = width * 2 // 3
    noise = Image.effect_noise((width // 4, height // 4), 60).convert("RGB").resize((width, height))
    buf = io.BytesIO()
    noise.save(buf, "JPEG", quality=90)
    return buf.getvalue()


def editable_draft(database_url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    with engine.connect() as conn:
        found = conn.execute(
            text(
                "SELECT i.id FROM initiatives i JOIN units u ON u.id = i.unit_id "
                "WHERE u.code = 'UH-VD' AND i.status IN ('draft', 'returned') "
                "AND (SELECT count(*) FROM initiative_images m WHERE m.initiative_id = i.id) < 10 "
                "ORDER BY i.id LIMIT 1"
            )
        ).scalar()
    engine.dispose()
    if found is None:
        raise RuntimeError("the demo has no editable draft of UH-VD with room for pictures")
    return found


def upload(base_url: str, token: str, initiative_id: int, data: bytes) -> tuple[int, float]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="anh.jpg"\r\n'
            f"Content-Type: image/jpeg\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        f"{base_url}/api/v1/initiatives/{initiative_id}/images",
        data=body,
        method="POST",
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - 127.0.0.1 only
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.perf_counter() - start


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    p.add_argument("--pg-url", default=base.PG_DEFAULT)
    p.add_argument("--pg-name", default="sks_bench_upload")
    p.add_argument("--megapixels", type=int, default=24)
    p.add_argument("--duration", type=int, default=12, help="seconds of sign-ins in each phase")
    p.add_argument("--pictures", type=int, default=9, help="pictures uploaded at most (a draft holds 10)")
    args = p.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    scratch = base.ScratchDatabase(args.db, args.pg_url, args.pg_name, "sks-upload-lock-")
    workdir = scratch.workdir
    server = None
    try:
        database_url = scratch.create()
        env = base.server_env(database_url, workdir)
        users = 2000
        base.build_database(100, users, 5000)
        draft = editable_draft(database_url)
        server = base.Server(env, 2, 1, workdir, 60, pg_name=args.pg_name if args.db == "postgres" else None)
        server.start()
        status, body = base.http(
            f"{server.base}/api/v1/tokens",
            method="POST",
            body={"login": "donvi1@demo.vn", "password": base.DEMO_PASSWORD},
        )
        if status != 201:
            raise RuntimeError(f"sign-in of the unit representative: {status} {body[:200]!r}")
        rep_token = json.loads(body)["token"]
        data = picture(args.megapixels)
        script = workdir / "post_tokens.lua"
        script.write_text(base.POST_SCRIPT.format(n=users, password=base.BENCH_PASSWORD))

        def sign_ins() -> dict:
            return base.run_wrk(
                server.base + "/api/v1/tokens",
                threads=1,
                connections=2,
                duration=args.duration,
                headers=[],
                script=script,
                own_pids=server.own_pids,
            )

        def line(label: str, r: dict) -> str:
            lat = r["latency_ms"]
            return (
                f"{label}: {r['requests_per_s']:.1f} sign-ins/s, p50 {lat['p50']:.0f} ms, "
                f"p99 {lat['p99']:.0f} ms, non-2xx {r['non_2xx_3xx']}, other CPU {r['cpu']['other_pct']}%"
            )

        print(
            f"[upload-lock] {args.db}: draft {draft}, "
            f"pictures of {args.megapixels} MP ({len(data) / 1e6:.1f} MB)"
        )
        print(line("sign-ins alone          ", sign_ins()), flush=True)
        uploads: list[tuple[int, float]] = []

        def uploader() -> None:
            end = time.monotonic() + args.duration - 1
            while time.monotonic() < end and len(uploads) < args.pictures:
                uploads.append(upload(server.base, rep_token, draft, data))

        thread = threading.Thread(target=uploader, daemon=True)
        thread.start()
        print(line("sign-ins during uploads ", sign_ins()), flush=True)
        thread.join(120)
        print("uploads (status, s):", ", ".join(f"{s} {t:.2f}" for s, t in uploads))
        return 0
    finally:
        if server is not None:
            server.stop()
        scratch.remove()


if __name__ == "__main__":
    sys.exit(main())

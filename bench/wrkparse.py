"""Parse the text that `wrk --latency` prints into numbers."""

from __future__ import annotations

import re

_TIME_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def to_ms(text: str) -> float:
    """'812.00us' -> 0.812, '4.90ms' -> 4.9, '1.20s' -> 1200.0 (milliseconds)."""
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not match:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match.group(1)) * _TIME_UNITS[match.group(2)]


def parse_wrk(output: str) -> dict:
    """requests/s, latency percentiles (ms), request count, socket errors and non-2xx/3xx count."""
    result: dict = {
        "requests_per_s": None,
        "requests": None,
        "seconds": None,
        "latency_ms": {},
        "socket_errors": {"connect": 0, "read": 0, "write": 0, "timeout": 0},
        "non_2xx_3xx": 0,
    }
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    if match:
        result["requests_per_s"] = float(match.group(1))
    match = re.search(r"(\d+) requests in ([\d.]+)(us|ms|s|m|h)", output)
    if match:
        result["requests"] = int(match.group(1))
        result["seconds"] = to_ms(match.group(2) + match.group(3)) / 1000.0
    distribution = output.split("Latency Distribution", 1)
    if len(distribution) == 2:
        for pct, value in re.findall(r"^\s+(\d+)%\s+([\d.]+(?:us|ms|s|m|h))\s*$", distribution[1], re.M):
            result["latency_ms"][f"p{pct}"] = to_ms(value)
    match = re.search(r"^\s+Latency\s+([\d.]+\w+)\s+([\d.]+\w+)\s+([\d.]+\w+)", output, re.M)
    if match:
        result["latency_ms"]["avg"] = to_ms(match.group(1))
        result["latency_ms"]["max"] = to_ms(match.group(3))
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    if match:
        keys = ("connect", "read", "write", "timeout")
        result["socket_errors"] = dict(zip(keys, (int(g) for g in match.groups()), strict=True))
    # Printed by a Lua done() hook (bench/gallery.py): wrk itself shows no p95.
    for pct in ("95", "99"):
        match = re.search(rf"^P{pct}_US (\d+)", output, re.M)
        if match:
            result["latency_ms"][f"p{pct}"] = int(match.group(1)) / 1000.0
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if match:
        result["non_2xx_3xx"] = int(match.group(1))
    return result

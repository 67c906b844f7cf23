"""Shared helpers for the benchmarks: a fresh database, a gunicorn server, timed HTTP requests."""
import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bench_environment(workdir: Path, database_url: str | None = None) -> dict:
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url or f"sqlite:///{workdir / 'bench.db'}",
        "SECRET_KEY": "bench-" + "x" * 40,
        "RATELIMIT_ENABLED": "false",
        "CONSULT_INSTANCE": str(workdir),
        "MAIL_OUTBOX": str(workdir / "outbox"),
        "PYTHONPATH": str(ROOT),
    })
    return env


@contextmanager
def workdir():
    with tempfile.TemporaryDirectory(prefix="consult-bench-") as path:
        yield Path(path)


def app_for(env: dict):
    """The app, configured like the server (same environment), for seeding in-process."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import importlib

    import config

    importlib.reload(config)
    from consult import create_app

    return create_app(config.Config)


@contextmanager
def gunicorn(env: dict, workers: int = 2):
    port = free_port()
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
               "--log-level", "warning", "app:app"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, _body, _elapsed = request(port, "GET", "/")
                if status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def request(port: int, method: str, path: str, body: dict | None = None, headers: dict | None = None):
    """One request on a fresh connection: (status, body bytes, seconds)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    payload = json.dumps(body).encode() if body is not None else None
    all_headers = {"Content-Type": "application/json"} if payload else {}
    all_headers.update(headers or {})
    start = time.perf_counter()
    connection.request(method, path, body=payload, headers=all_headers)
    response = connection.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - start
    connection.close()
    return response.status, data, elapsed


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * len(ordered))) - 1)]
    return {"median_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(p95 * 1000, 1),
            "n": len(ordered)}


def write_results(name: str, lines: list[str]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.txt"
    path.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"(written to {path.relative_to(ROOT)})")
    return path


@dataclass
class Check:
    """One target: a measured value against its limit (at most, or at least). A value of None
    means it could not be measured, which is a miss."""

    label: str
    value: float | None
    limit: float
    unit: str = ""
    at_least: bool = False
    note: str = ""
    #: Shown instead of "≤ limit" when the target is not a number (e.g. "reachable").
    target: str = ""

    @property
    def passed(self) -> bool:
        if self.value is None:
            return False
        return self.value >= self.limit if self.at_least else self.value <= self.limit

    def line(self) -> str:
        shown = "not measured" if self.value is None else f"{self.value:g}{self.unit}"
        target = self.target or f"{'≥' if self.at_least else '≤'} {self.limit:g}{self.unit}"
        note = f" — {self.note}" if self.note else ""
        return f"{'PASS' if self.passed else 'FAIL'}  {self.label}: {shown} (target {target}){note}"


def report(name: str, lines: list[str], checks: list[Check]) -> int:
    """Print and store the figures and the verdict on each target; the exit status (1 on any miss)."""
    passed = sum(c.passed for c in checks)
    verdict = "PASS" if checks and passed == len(checks) else "FAIL"
    lines = [*lines, "", "targets:", *(c.line() for c in checks),
             f"overall: {verdict} ({passed} of {len(checks)} targets met)"]
    write_results(name, lines)
    return 0 if verdict == "PASS" else 1


def log_in(client, email: str, password: str) -> None:
    """Log a Flask test client in through the real form (CSRF token included)."""
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    response = client.post("/login", data={"email": email, "password": password,
                                           "csrf_token": token.group(1) if token else ""})
    if response.status_code != 302:
        raise RuntimeError(f"could not log in as {email}: {response.status_code}")

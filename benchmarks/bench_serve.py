"""Bounded load test of `symbackprop serve` on 127.0.0.1: simulated students checking numbers and expressions,
with and without a pathological entry being checked at the same time, then class-mode recording runs (SQLite and,
where PostgreSQL is installed, PostgreSQL). Baselines measured in the same run: one check in process (no HTTP) and
the HTTP round trip of an empty response.

Run: python benchmarks/bench_serve.py [--students 100] [--record-students 300] [--record-seconds 20] [--skip-record]
Everything runs on 127.0.0.1, with a fixed number of clients and requests or a fixed time, and stops by itself.
"""
import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NUMERIC_P95_MS, SYMBOLIC_P95_MS, RECORD_P95_MS = 50.0, 750.0, 100.0
THINK_SECONDS = (0.5, 1.5)  # a student reads, computes and types between two entries
RUN_LIMIT_SECONDS = 300.0
FORWARD = [("v0[0]", "0.1900"), ("y0[0]", "0.5474"), ("v0[1]", "0.2500"), ("y0[1]", "0.5622"), ("v0[2]", "0.3100"),
           ("y0[2]", "0.5769"), ("v1[0]", "1.2045"), ("y1[0]", "0.7693"), ("v1[1]", "0.8675"), ("y1[1]", "0.7042"),
           ("L", "0.2745"), ("dL/dy1[0]", "-0.2307")]
WRONG = {"v0[1]": "0.3000", "y1[0]": "1.2045", "L": "0.5490", "dL/dy1[0]": "0.2307"}
EXPRESSIONS = [
    ("dL/dW1[2][1]",
     r"-\left(y_{1} - \hat{y}^{1}_{1}\right) \hat{y}^{1}_{1} \left(1 - \hat{y}^{1}_{1}\right) y^{0}_{2}"),
    ("dL/dW1[2][1]", "-(y[1]-y1[1])*y1[1]*(1-y1[1])*y0[2]"),
    ("dL/dy0[0]", r"\delta^{1}_{0} w^{1}_{0,0} + \delta^{1}_{1} w^{1}_{0,1}"),
    ("dL/dy0[0]", r"\delta^{1}_{0} w^{1}_{0,0} + \delta^{1}_{1} w^{1}_{1,0}"),
    ("dL/dW0[0][0]", r"\delta^1_0 w^1_{0,0} \, y^0_0 (1 - y^0_0) \, x_0"),
    ("dy1[0]/dv1[0]", "y1[0]*(1-y1[0])"),
    ("dL/dy1[1]", "(y1[1]-y[1])"),
]
PATHOLOGICAL = ("dL/dW0[0][0]", " + ".join(
    r"\frac{1}{1+e^{-(x_{0} w^{0}_{0,%d} + x_{1} w^{0}_{1,%d} + b^{0}_{%d})}}" % (i % 3, i % 3, i % 3)
    for i in range(25)))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`symbackprop serve` in its own process on 127.0.0.1."""

    def __init__(self, *args: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen([sys.executable, "-m", "symbackprop", "serve", "examples/course_232.toml",
                                         "--port", str(self.port), *args], cwd=ROOT, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("symbackprop serve:"):
            raise SystemExit(f"serve did not start: {line}{self.process.stderr.read()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


class Tally:
    """Latencies (ms) per kind of entry, errors, and the submissions the server acknowledged."""

    def __init__(self):
        self.ms: dict[str, list[float]] = {"numeric": [], "symbolic": [], "pathological": []}
        self.errors: list[str] = []
        self.acknowledged: set[str] = set()


class Connection:
    """One keep-alive HTTP/1.1 connection speaking just enough HTTP for the bench (little CPU per request, so the
    client does not crowd the server it measures on a 2-core machine)."""

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        payload = json.dumps(body).encode() if body is not None else b""
        head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(payload)}\r\n\r\n").encode()
        self.writer.write(head + payload)
        await self.writer.drain()
        status_line = await self.reader.readuntil(b"\r\n")
        length = 0
        while True:
            line = await self.reader.readuntil(b"\r\n")
            if line == b"\r\n":
                break
            key, _, value = line.decode("latin-1").partition(":")
            if key.strip().lower() == "content-length":
                length = int(value)
        return int(status_line.split()[1]), await self.reader.readexactly(length)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


async def post(connection: Connection, tally: "Tally", kind: str, body: dict, record: bool) -> None:
    start = time.perf_counter()
    try:
        status, raw = await connection.request("POST", "/api/check", body)
        elapsed = (time.perf_counter() - start) * 1000
        answer = json.loads(raw)
        ok = status == 200 and (answer.get("claims") or answer.get("invalid") is not None)
        if record:
            ok = ok and answer.get("saved") is True and answer.get("submission") == body["submission"]
            if ok:
                tally.acknowledged.add(body["submission"])
        if not ok:
            tally.errors.append(f"{kind}: {status} {str(answer)[:120]}")
        tally.ms[kind].append(elapsed)
    except (OSError, asyncio.IncompleteReadError, ValueError) as err:
        tally.errors.append(f"{kind}: {type(err).__name__}")
        connection.close()
        connection.writer = None


async def student(number: int, port: int, tally: Tally, symbolic: bool, record: bool, until: float | None) -> None:
    """One simulated student: the forward values and the loss (some wrong), then a few expressions."""
    rng = random.Random(number)
    client = Connection(port)
    plan = [("numeric", name, WRONG.get(name, text) if rng.random() < 0.25 else text) for name, text in FORWARD]
    if symbolic:
        plan += [("symbolic", *rng.choice(EXPRESSIONS)) for _ in range(4)]
    entries: dict[str, str] = {}
    step = 0
    while True:
        kind, name, text = plan[step % len(plan)]
        await asyncio.sleep(rng.uniform(*THINK_SECONDS))
        if until is not None and time.perf_counter() >= until:
            client.close()
            return
        if kind == "numeric":
            entries[name] = text
            claims = dict(entries)
        else:
            claims = {name: text}
        body = {"claims": claims, "entry": name}
        if record:
            body.update({"student": f"s{number:03d}", "secret": f"bench-secret-{number:06d}",
                         "submission": f"s{number:03d}-{step:05d}"})
        await post(client, tally, kind, body, record)
        step += 1
        if until is None and step >= len(plan):
            client.close()
            return


async def pathological(port: int, tally: Tally, stop: asyncio.Event) -> None:
    """One entry that is as slow to check as the grammar allows, sent again as soon as it is answered."""
    client = Connection(port)
    while not stop.is_set():
        await post(client, tally, "pathological", {"claims": {PATHOLOGICAL[0]: PATHOLOGICAL[1]}}, False)


async def load(port: int, students: int, symbolic: bool, with_pathological: bool, record: bool = False,
               seconds: float | None = None) -> Tally:
    tally = Tally()
    stop = asyncio.Event()
    slow = asyncio.create_task(pathological(port, tally, stop)) if with_pathological else None
    until = time.perf_counter() + seconds if seconds else None
    runs = [student(n, port, tally, symbolic, record, until) for n in range(students)]
    await asyncio.wait_for(asyncio.gather(*runs), RUN_LIMIT_SECONDS)
    stop.set()
    if slow is not None:
        await asyncio.wait_for(slow, 60)
    return tally


async def round_trip_ms(port: int, count: int = 200) -> float:
    """Median HTTP round trip of an empty response (the floor under every check)."""
    client = Connection(port)
    await client.request("GET", "/favicon.ico")
    times = []
    for _ in range(count):
        start = time.perf_counter()
        await client.request("GET", "/favicon.ico")
        times.append((time.perf_counter() - start) * 1000)
    client.close()
    return statistics.median(times)


async def warm_up(port: int, workers: int) -> None:
    """Each expression once per worker (first checks compile their evaluators), as a class does in its first
    minute; not measured."""
    client = Connection(port)
    for _ in range(workers):
        for name, text in EXPRESSIONS:
            await client.request("POST", "/api/check", {"claims": {name: text}})
    client.close()


def in_process_ms() -> tuple[float, float]:
    """Median time of one numeric and one symbolic check in process, no HTTP (the work itself)."""
    from symbackprop.model.spec import load_spec
    from symbackprop.web.checks import Entry, run_check
    from symbackprop.web.exercise import from_spec
    from symbackprop.web.worker import Checkers
    exercise = from_spec(load_spec(ROOT / "examples/course_232.toml")).get(None)
    checker = Checkers({"spec": exercise.spec}).get("spec")
    numeric = [Entry(name, text) for name, text in FORWARD]
    judged = {name: exercise.judged(name) for name, _ in FORWARD}
    result = []
    for entries in (numeric, [Entry(*EXPRESSIONS[0])]):
        run_check(checker, entries, False, judged)
        times = []
        for _ in range(30):
            start = time.perf_counter()
            run_check(checker, entries, False, judged)
            times.append((time.perf_counter() - start) * 1000)
        result.append(statistics.median(times))
    return result[0], result[1]


def row(label: str, kind: str, values: list[float], errors: int, target: float | None, baseline: float) -> str:
    p50, p95, p99 = (percentile(values, q) for q in (50, 95, 99))
    verdict = "" if target is None else ("yes" if p95 <= target and errors == 0 else "NO")
    target_text = "" if target is None else f"{target:.0f}"
    return (f"{label:<30} {kind:<12} {len(values):>6} {p50:>8.1f} {p95:>8.1f} {p99:>8.1f} {errors:>6} "
            f"{p95 / baseline:>9.1f} {target_text:>9} {verdict:>5}")


HEADER = (f"{'run':<30} {'entries':<12} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6} "
          f"{'p95/base':>9} {'target ms':>9} {'met':>5}")


def checking_runs(students: int, workers: int) -> None:
    numeric_base, symbolic_base = in_process_ms()
    server = Server("--workers", str(workers))
    try:
        floor = asyncio.run(round_trip_ms(server.port))
        asyncio.run(warm_up(server.port, workers))
        print(f"baseline (same run): HTTP round trip of an empty response {floor:.2f} ms; in process, no HTTP: "
              f"numeric check of {len(FORWARD)} entries {numeric_base:.2f} ms, symbolic check {symbolic_base:.1f} ms")
        print(f"{students} students, think time {THINK_SECONDS[0]}-{THINK_SECONDS[1]} s, {len(FORWARD)} numeric "
              f"and 4 symbolic entries each; {workers} worker processes; p95/base against the in-process time\n")
        print(HEADER)
        for with_slow in (False, True):
            tally = asyncio.run(load(server.port, students, True, with_slow))
            label = "with a pathological entry" if with_slow else "without"
            errors = len(tally.errors)
            print(row(label, "numeric", tally.ms["numeric"], errors, NUMERIC_P95_MS, numeric_base))
            print(row(label, "symbolic", tally.ms["symbolic"], errors, SYMBOLIC_P95_MS, symbolic_base))
            if with_slow:
                print(row(label, "pathological", tally.ms["pathological"], 0, None, symbolic_base))
            for message in tally.errors[:5]:
                print(f"  error: {message}")
    finally:
        server.stop()


def stored_rows(target: str) -> tuple[int, int]:
    """(rows, distinct submissions) in a class database."""
    if target.startswith("postgresql://"):
        import psycopg
        with psycopg.connect(target) as connection:
            return connection.execute("SELECT count(*), count(DISTINCT submission) FROM submissions").fetchone()
    import sqlite3
    with sqlite3.connect(target) as connection:
        return connection.execute("SELECT count(*), count(DISTINCT submission) FROM submissions").fetchone()


def recording_run(label: str, target: str, students: int, seconds: float, workers: int, floor: list) -> None:
    option = "--database" if target.startswith("postgresql://") else "--record"
    server = Server("--workers", str(workers), option, target)
    try:
        if not floor:
            floor.append(asyncio.run(round_trip_ms(server.port)))
        tally = asyncio.run(load(server.port, students, False, False, record=True, seconds=seconds))
    finally:
        server.stop()
    rows, distinct = stored_rows(target)
    print(row(label, "numeric", tally.ms["numeric"], len(tally.errors), RECORD_P95_MS, floor[0]))
    print(f"  acknowledged {len(tally.acknowledged)}, rows stored {rows} ({distinct} distinct submissions): "
          f"{'equal' if rows == distinct == len(tally.acknowledged) else 'DIFFERENT'}")
    for message in tally.errors[:5]:
        print(f"  error: {message}")


def recording_runs(students: int, seconds: float, workers: int) -> None:
    print(f"\nclass mode: {students} students for {seconds:g} s each run, think time {THINK_SECONDS[0]}-"
          f"{THINK_SECONDS[1]} s, numeric entries recorded; p95/base against the HTTP round trip\n")
    print(HEADER)
    floor: list = []
    with tempfile.TemporaryDirectory() as work:
        recording_run("record: SQLite (WAL)", str(Path(work) / "class.db"), students, seconds, workers, floor)
    try:
        from tests.web.postgres_server import PostgresServer, postgres_available
    except ImportError:
        print("PostgreSQL run skipped: the test helpers are not importable")
        return
    if not postgres_available():
        print("PostgreSQL run skipped: PostgreSQL is not installed")
        return
    with PostgresServer() as postgres:
        recording_run("record: PostgreSQL", postgres.url, students, seconds, workers, floor)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--record-students", type=int, default=300)
    parser.add_argument("--record-seconds", type=float, default=20.0)
    parser.add_argument("--skip-record", action="store_true")
    parser.add_argument("--skip-check", action="store_true")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; load average at start {os.getloadavg()[0]:.1f} (other processes share them)")
    if not args.skip_check:
        checking_runs(args.students, args.workers)
    if not args.skip_record:
        recording_runs(args.record_students, args.record_seconds, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())

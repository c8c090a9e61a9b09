"""Shared pieces of the web checker's tests: the course's 2-3-2 app, a hand-made manifest, servers, browsers."""
import hashlib
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from starlette.testclient import TestClient  # tests/conftest.py leaves this folder out without the web extra

from symbackprop.model.spec import parse_spec
from symbackprop.web import exercise
from symbackprop.web.app import ServeOptions, create_app
from tests.specs import COURSE_232

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run"]
RATE = 0.5
TOL = {"abs_tol": 1e-4, "rel_tol": 0.001}


def sigmoid(v: float) -> float:
    return 1 / (1 + math.exp(-v))


def neuron_variant(vid: str, x: float, w: float, b: float, t: float) -> dict:
    """A variant of the single sigmoid neuron with mse, its answers worked out by hand."""
    v = x * w + b
    y = sigmoid(v)
    dw = -2 * (t - y) * y * (1 - y) * x
    answers = {"v0[0]": v, "y0[0]": y, "L": (t - y) ** 2, "dL/dW0[0][0]": dw, "step1.W0[0][0]": w - RATE * dw}
    return {"id": vid, "seed": 1, "values": {"x[0]": x, "y[0]": t, "W0[0][0]": w, "b0[0]": b},
            "answers": {name: {"value": value, **TOL, "points": 1} for name, value in answers.items()}}


MANIFEST = {"seed": 7, "spec": {"title": "quiz", "network": {"layers": [1, 1], "activations": ["sigmoid"],
                                                            "loss": "mse", "convention": "row", "index_base": 0,
                                                            "leaky_slope": 0.01},
                                "training": {"learning_rate": RATE, "momentum": 0.0, "steps": 1}},
            "variants": [neuron_variant("V001", 0.7, 0.1, 0.25, 1.0), neuron_variant("V002", 0.5, -0.3, 0.1, 0.0)]}


def secret_of(student: str) -> str:
    """The secret a test's student sends (any 16 to 128 letters, digits, - or _ the student keeps)."""
    return "k" + hashlib.sha256(student.encode()).hexdigest()[:23]


def ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def course_spec():
    return parse_spec(COURSE_232, "course_232")


@pytest.fixture(scope="session")
def course_client(course_spec):
    """The 2-3-2 exercise without --reveal (two workers)."""
    app = create_app(exercise.from_spec(course_spec), ServeOptions(workers=2))
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="session")
def reveal_client(course_spec):
    app = create_app(exercise.from_spec(course_spec), ServeOptions(workers=1, reveal=True))
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="session")
def manifest_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("exam") / "manifest.json"
    path.write_text(json.dumps(MANIFEST), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def manifest_client(manifest_path):
    app = create_app(exercise.from_manifest(manifest_path), ServeOptions(workers=1, reveal=True))
    with TestClient(app) as client:
        yield client


class ServeProcess:
    """`symbackprop serve` in a subprocess on a free port of 127.0.0.1."""

    def __init__(self, *args: str, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
        self.process = subprocess.Popen([sys.executable, "-m", "symbackprop", "serve", "--port", str(self.port),
                                         *args], cwd=ROOT, env=environment, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.lines = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"serve exited: {self.process.stderr.read()}")
            self.lines.append(line.strip())
            if line.startswith("symbackprop serve: "):
                if "--record" in args or "--database" in args:
                    self.lines.append(self.process.stdout.readline().strip())
                return
        raise RuntimeError("serve did not start")

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.process.stdout.close()
        self.process.stderr.close()


def browser_available() -> bool:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


@pytest.fixture(scope="session")
def browser():
    """Chromium driven by Playwright; skipped where either is missing, except in CI."""
    if not browser_available():
        if ci():
            pytest.fail("Chromium or Playwright is missing in CI")
        pytest.skip("Chromium or Playwright is not installed (the browser tests run in CI)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        executable = CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")
        chromium = playwright.chromium.launch(executable_path=executable, args=BROWSER_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL server; skipped where PostgreSQL is not installed, except in CI."""
    from tests.web.postgres_server import PostgresServer, postgres_available
    if not postgres_available():
        if ci():
            pytest.fail("PostgreSQL (initdb, pg_ctl) or psycopg is missing in CI")
        pytest.skip("PostgreSQL is not installed (the PostgreSQL tests run in CI)")
    with PostgresServer() as server:
        yield server


_databases = iter(range(1, 10**6))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request, tmp_path):
    """A new empty class database: an SQLite file, or a PostgreSQL URL on the session's server."""
    if request.param == "sqlite":
        return str(tmp_path / "class.db")
    server = request.getfixturevalue("postgres")
    return server.fresh_database(f"class{next(_databases)}")


def count_rows(target: str, sql: str, params=()):
    """One query's rows straight from the database (not through the store)."""
    if target.startswith("postgresql://"):
        import psycopg
        with psycopg.connect(target) as connection:
            return connection.execute(sql.replace("?", "%s"), params).fetchall()
    import sqlite3
    connection = sqlite3.connect(target)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()

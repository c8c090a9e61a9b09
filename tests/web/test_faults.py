"""Class mode under faults: a server killed with SIGKILL in the middle of a load, two servers on one PostgreSQL."""
import json
import threading
import time
import urllib.error
import urllib.request

import pytest

from tests.web.conftest import ServeProcess, count_rows, secret_of

TOKEN = "lecturer-token-123"


def submit(url: str, submission: str, student: str) -> bool:
    """True when the server acknowledged the submission as saved."""
    body = json.dumps({"student": student, "secret": secret_of(student), "submission": submission,
                       "entry": "v0[0]", "claims": {"v0[0]": "0.19" if int(submission[-1]) % 2 else "0.25"}}).encode()
    request = urllib.request.Request(url + "/api/check", data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status == 200 and json.load(response).get("saved") is True
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def option(database: str) -> str:
    return "--database" if database.startswith("postgresql") else "--record"


def test_sigkill_during_a_load_loses_no_acknowledged_submission_and_stores_none_twice(database):
    server = ServeProcess("examples/course_232.toml", "--workers", "1", option(database), database)
    acknowledged, lock = set(), threading.Lock()
    ids = {c: [f"c{c}-{n:03d}" for n in range(50)] for c in range(8)}

    def client(c: int, url: str, pending: list[str]) -> None:
        for submission in pending:
            if submit(url, submission, f"student{c}"):
                with lock:
                    acknowledged.add(submission)

    threads = [threading.Thread(target=client, args=(c, server.url, ids[c])) for c in range(8)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(acknowledged) < 60 and time.monotonic() < deadline:
        time.sleep(0.01)
    server.kill()
    for thread in threads:
        thread.join()
    before = set(acknowledged)
    assert 60 <= len(before) < 400  # killed in the middle of the run
    stored = {row[0] for row in count_rows(database, "SELECT submission FROM submissions")}
    assert before <= stored

    server = ServeProcess("examples/course_232.toml", "--workers", "1", option(database), database)
    try:
        retry = {c: [s for s in ids[c] if s not in before] + sorted(before)[c::8][:3] for c in range(8)}
        threads = [threading.Thread(target=client, args=(c, server.url, retry[c])) for c in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        server.stop()
    everything = {s for c in ids for s in ids[c]}
    assert acknowledged == everything
    counts = count_rows(database, "SELECT submission, count(*) FROM submissions GROUP BY submission")
    assert {s for s, _ in counts} == everything
    assert all(n == 1 for _, n in counts)


@pytest.mark.postgres
def test_two_servers_on_one_postgresql_count_every_acknowledged_submission(postgres):
    database = postgres.fresh_database("shared")
    servers = [ServeProcess("examples/course_232.toml", "--workers", "1", "--database", database,
                            "--teacher-token", TOKEN) for _ in range(2)]
    acknowledged, lock = [], threading.Lock()

    def client(c: int) -> None:
        for n in range(25):
            submission = f"c{c}-{n:03d}"
            if submit(servers[(c + n) % 2].url, submission, f"student{c}"):
                with lock:
                    acknowledged.append(submission)

    try:
        threads = [threading.Thread(target=client, args=(c,)) for c in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        summaries = []
        for server in servers:
            request = urllib.request.Request(server.url + "/api/teacher/summary",
                                             headers={"Authorization": f"Bearer {TOKEN}"})
            with urllib.request.urlopen(request) as response:
                summaries.append(json.load(response))
    finally:
        for server in servers:
            server.stop()
    assert len(acknowledged) == 150
    assert [s["submissions"] for s in summaries] == [150, 150]
    assert [s["students"] for s in summaries] == [6, 6]
    latest = summaries[0]["questions"]["v0[0]"]
    assert latest["correct"] + latest["wrong"] == 6
    assert count_rows(database, "SELECT count(*), count(DISTINCT submission) FROM submissions") == [(150, 150)]

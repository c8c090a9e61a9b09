"""Class mode on SQLite and PostgreSQL (the same tests on both): records, summary, privacy, exports, faults."""
import hashlib
import re

import pytest
from starlette.testclient import TestClient

from symbackprop.cli import main
from symbackprop.model.spec import parse_spec
from symbackprop.web import exercise
from symbackprop.web.app import ServeOptions, create_app
from symbackprop.web.records.store import StoreError, open_store
from tests.specs import COURSE_232
from tests.web.conftest import count_rows, secret_of, sigmoid

TOKEN = "lecturer-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
V0_0 = 0.5 * 0.1 + 0.1 * 0.4 + 0.1
Y0_0 = sigmoid(V0_0)


def class_client(target: str, exercises=None):
    exercises = exercises or exercise.from_spec(parse_spec(COURSE_232, "course_232"))
    store = open_store(target, exercises.fingerprint)
    app = create_app(exercises, ServeOptions(workers=1, teacher_token=TOKEN), store)
    return TestClient(app), store


def send(client, student: str, claims: dict, entry: str, submission: str | None = None):
    body = {"student": student, "claims": claims, "entry": entry, "secret": secret_of(student)}
    if submission:
        body["submission"] = submission
    return client.post("/api/check", json=body)


def test_entries_are_recorded_and_summarised_by_each_students_latest(database):
    client, store = class_client(database)
    with client:
        assert send(client, "ana", {"v0[0]": "0.25"}, "v0[0]").json()["saved"] is True         # wrong
        send(client, "ana", {"v0[0]": f"{V0_0:.4f}"}, "v0[0]")                                    # then correct
        send(client, "bia", {"v0[0]": "0.20"}, "v0[0]")                                           # wrong
        send(client, "bia", {"v0[0]": "0.20", "y0[0]": f"{sigmoid(0.2):.4f}"}, "y0[0]")         # consistent
        send(client, "bia", {"y1[0]": "1.2045"}, "y1[0]")                                        # v for y
        send(client, "caio", {"L": "(x[0]"}, "L")                                                 # unreadable
        summary = client.get("/api/teacher/summary", headers=AUTH).json()
    store.close()
    assert summary["submissions"] == 6 and summary["students"] == 3
    q = summary["questions"]
    assert q["v0[0]"] == {"correct": 1, "consistent": 0, "wrong": 1, "mistakes": {}}
    assert q["y0[0]"] == {"correct": 0, "consistent": 1, "wrong": 0, "mistakes": {}}
    assert q["y1[0]"] == {"correct": 0, "consistent": 0, "wrong": 1, "mistakes": {"preactivation_for_activation": 1}}
    assert q["L"] == {"correct": 0, "consistent": 0, "wrong": 0, "mistakes": {}}
    rows = count_rows(database, "SELECT student, quantity, entry, verdict, mistake FROM submissions ORDER BY id")
    assert rows == [("ana", "v0[0]", "0.25", "wrong", None), ("ana", "v0[0]", "0.1900", "correct", None),
                    ("bia", "v0[0]", "0.20", "wrong", None),
                    ("bia", "y0[0]", f"{sigmoid(0.2):.4f}", "consistent", None),
                    ("bia", "y1[0]", "1.2045", "wrong", "preactivation_for_activation"),
                    ("caio", "L", "(x[0]", "invalid", None)]


def test_a_repeated_submission_is_stored_once(database):
    client, store = class_client(database)
    with client:
        first = send(client, "ana", {"v0[0]": "0.19"}, "v0[0]", "abc-1").json()
        again = send(client, "ana", {"v0[0]": "0.19"}, "v0[0]", "abc-1").json()
        assert first["submission"] == again["submission"] == "abc-1" and again["saved"] is True
        assert send(client, "ana", {"v0[0]": "0.19"}, "v0[0]", "no spaces").status_code == 400
        assert client.post("/api/check", json={"claims": {"v0[0]": "0.19"}}).json()["error"] == \
            '"student" is required'
    store.close()
    assert count_rows(database, "SELECT count(*) FROM submissions") == [(1,)]


def test_students_see_only_their_own_answers_and_the_dashboard_needs_the_token(database):
    client, store = class_client(database)
    with client:
        send(client, "ana", {"v0[0]": "0.19"}, "v0[0]")
        send(client, "zoe-private", {"v0[0]": "0.25"}, "v0[0]")
        own = client.get("/api/answers", params={"student": "ana"}, headers={"X-Student-Secret": secret_of("ana")})
        assert own.json() == {"student": "ana", "answers": [{"quantity": "v0[0]", "entry": "0.19",
                                                             "verdict": "correct", "mistake": None}]}
        for path in ("/api/teacher/summary", "/api/teacher/students", "/api/teacher/answers.csv",
                     "/api/teacher/report.csv"):
            missing = client.get(path)
            wrong = client.get(path, headers={"Authorization": "Bearer not-the-token"})
            assert (missing.status_code, wrong.status_code) == (401, 403)
            assert "zoe" not in missing.text + wrong.text
        for path in ("/", "/?student=ana", "/api/exercise", "/teacher"):
            assert "zoe" not in client.get(path).text
        students = client.get("/api/teacher/students", headers=AUTH).json()["students"]
        assert [(s["student"], s["correct"], s["wrong"]) for s in students] == [("ana", 1, 0), ("zoe-private", 0, 1)]
    store.close()


def test_a_students_answers_need_their_secret_or_the_lecturers_token(database):
    client, store = class_client(database)
    with client:
        first = client.post("/api/check", json={"student": "alice", "claims": {"v0[0]": "0.19"}, "entry": "v0[0]"})
        alice = first.json()["secret"]  # a new student without a secret gets one, shown once
        assert first.json()["saved"] is True and re.fullmatch(r"[A-Za-z0-9_-]{24}", alice)
        again = client.post("/api/check", json={"student": "alice", "claims": {"v0[0]": "0.25"}, "entry": "v0[0]",
                                                "secret": alice}).json()
        assert again["saved"] is True and "secret" not in again
        send(client, "bob", {"v0[0]": "0.20"}, "v0[0]")
        expected = {"student": "alice", "answers": [{"quantity": "v0[0]", "entry": "0.25", "verdict": "wrong",
                                                     "mistake": None}]}
        refused = [client.get("/api/answers", params={"student": "alice"}),
                   client.get("/api/answers", params={"student": "alice"},
                              headers={"X-Student-Secret": secret_of("bob")}),
                   client.get("/api/answers", params={"student": "alice"},
                              headers={"Authorization": "Bearer not-the-token"})]
        assert [r.status_code for r in refused] == [403, 403, 403]
        assert all("0.25" not in r.text and "answers" not in r.json() for r in refused)
        assert client.get("/api/answers", params={"student": "alice"},
                          headers={"X-Student-Secret": alice}).json() == expected
        assert client.get("/api/answers", params={"student": "alice"}, headers=AUTH).json() == expected
        # bob cannot record as alice either, nor take her id with a secret of his own
        for secret in (None, secret_of("bob")):
            body = {"student": "alice", "claims": {"v0[0]": "0.19"}, "entry": "v0[0]"}
            response = client.post("/api/check", json=body | ({"secret": secret} if secret else {}))
            assert response.status_code == 403 and "alice" in response.json()["error"]
        pt = client.post("/api/check", headers={"accept-language": "pt-BR"},
                         json={"student": "alice", "claims": {"v0[0]": "0.19"}, "entry": "v0[0]"})
        assert pt.json()["error"].startswith("A identificação alice está em uso com outra chave")
        assert client.post("/api/check", json={"student": "ana", "claims": {"v0[0]": "0.19"}, "entry": "v0[0]",
                                               "secret": "short"}).status_code == 400
        # a student id used for the first time reads an empty list with the secret it will use
        assert client.get("/api/answers", params={"student": "new"},
                          headers={"X-Student-Secret": secret_of("new")}).json() == {"student": "new", "answers": []}
    store.close()
    digests = count_rows(database, "SELECT student, secret_sha256 FROM students ORDER BY student")
    assert digests == [("alice", hashlib.sha256(alice.encode()).hexdigest()),
                       ("bob", hashlib.sha256(secret_of("bob").encode()).hexdigest())]
    stored = count_rows(database, "SELECT student, entry FROM submissions ORDER BY id")
    assert stored == [("alice", "0.19"), ("alice", "0.25"), ("bob", "0.20")]


def test_an_incompatible_or_foreign_database_is_refused(database, capsys):
    exercises = exercise.from_spec(parse_spec(COURSE_232, "course_232"))
    open_store(database, exercises.fingerprint).close()
    if not database.startswith("postgresql"):
        import sqlite3
        with sqlite3.connect(database) as connection:
            connection.execute("UPDATE symbackprop_meta SET value = '1' WHERE key = 'schema_version'")
    else:
        import psycopg
        with psycopg.connect(database) as connection:
            connection.execute("UPDATE symbackprop_meta SET value = '1' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="incompatible version of symbackprop \\(schema 1; this version reads "
                                         "schema 2\\)"):
        open_store(database, exercises.fingerprint)
    option = "--database" if database.startswith("postgresql") else "--record"
    assert main(["serve", "examples/course_232.toml", option, database, "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("symbackprop: error: ") and "incompatible version" in err and err.count("\n") == 1


def test_a_database_of_another_exercise_is_refused(database):
    open_store(database, "0123456789abcdef").close()
    with pytest.raises(StoreError, match="records another exercise"):
        open_store(database, "fedcba9876543210")


def test_not_an_sqlite_file(tmp_path, capsys):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes\n", encoding="utf-8")
    assert main(["serve", "--record", str(path), "--port", "0"]) == 2
    assert "not an SQLite database" in capsys.readouterr().err


@pytest.mark.parametrize("fault", ["PRAGMA query_only = ON", "full"])
def test_a_read_only_or_full_sqlite_database_says_not_saved(tmp_path, fault):
    target = str(tmp_path / "class.db")
    client, store = class_client(target)
    with client:
        assert send(client, "ana", {"v0[0]": "0.19"}, "v0[0]").json()["saved"] is True
        text = "x[0]+" * 399 + "x[0]" if fault == "full" else "0.19"
        if fault == "full":
            pages = store._db.execute("PRAGMA page_count").fetchone()[0]
            store._db.execute(f"PRAGMA max_page_count = {pages}")
            rows = [send(client, f"s{n}", {"v0[0]": text}, "v0[0]") for n in range(40)]
            response = next(r for r in rows if r.status_code != 200)
        else:
            store._db.execute(fault)
            response = send(client, "bia", {"v0[0]": text}, "v0[0]")
        assert response.status_code == 503
        assert response.json() == {"error": "not saved, try again"}
        pt = client.post("/api/check", headers={"accept-language": "pt-BR"},
                         json={"student": "bia", "claims": {"v0[0]": text}, "entry": "v0[0]"})
        assert pt.json() == {"error": "não foi salvo, tente de novo"}
    store.close()
    stored = count_rows(target, "SELECT count(*) FROM submissions WHERE student = 'bia'")
    assert stored == [(0,)]


@pytest.mark.postgres
def test_a_lost_postgresql_connection_says_not_saved_then_recovers(postgres):
    import psycopg
    target = postgres.fresh_database("lost")
    client, store = class_client(target)
    with client:
        assert send(client, "ana", {"v0[0]": "0.19"}, "v0[0]").json()["saved"] is True
        with psycopg.connect(postgres.url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'lost' "
                          "AND pid <> pg_backend_pid()")
        answers = [send(client, "bia", {"v0[0]": "0.19"}, "v0[0]", f"bia-{n}") for n in range(6)]
        refused = [r for r in answers if r.status_code == 503]
        saved = [r for r in answers if r.status_code == 200]
        assert refused and refused[0].json() == {"error": "not saved, try again"}
        assert saved and saved[-1].json()["saved"] is True
    store.close()
    stored = {row[0] for row in count_rows(target, "SELECT submission FROM submissions WHERE student = 'bia'")}
    assert stored == {r.json()["submission"] for r in saved}


def test_exports_are_what_grade_reads_and_writes(tmp_path, manifest_path, capsys):
    exercises = exercise.from_manifest(manifest_path)
    client, store = class_client(str(tmp_path / "exam.db"), exercises)
    y = {"V001": sigmoid(0.7 * 0.1 + 0.25), "V002": sigmoid(0.5 * -0.3 + 0.1)}
    with client:
        for student, variant, value in (("ana", "V001", y["V001"]), ("bia", "V002", y["V001"])):
            body = {"student": student, "variant": variant, "claims": {"y0[0]": f"{value:.4f}"}, "entry": "y0[0]",
                    "secret": secret_of(student)}
            assert client.post("/api/check", json=body).json()["saved"] is True
        body = {"student": "ana", "variant": "V001", "claims": {"L": f"{(1 - y['V001']) ** 2:.4f}"}, "entry": "L",
                "secret": secret_of("ana")}
        assert client.post("/api/check", json=body).json()["saved"] is True
        answers = client.get("/api/teacher/answers.csv", headers=AUTH).text
        report = client.get("/api/teacher/report.csv", headers=AUTH).text
    store.close()
    assert answers.splitlines()[0] == "student,variant,v0[0],y0[0],L,dL/dy0[0],dy0[0]/dv0[0],dv0[0]/dW0[0][0]," \
                                      "dL/dW0[0][0],step1.W0[0][0]"
    (tmp_path / "answers.csv").write_text(answers, encoding="utf-8")
    assert main(["grade", str(tmp_path / "answers.csv"), "--manifest", str(manifest_path), "-o",
                 str(tmp_path / "report.csv")]) == 0
    capsys.readouterr()
    assert report == (tmp_path / "report.csv").read_text(encoding="utf-8")
    lines = report.splitlines()
    assert lines[1].startswith("ana,V001,2,5,") and lines[2].startswith("bia,V002,0,5,")


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def test_exports_neutralise_cells_a_spreadsheet_would_run(tmp_path):
    import csv
    import io
    client, store = class_client(str(tmp_path / "class.db"))
    students = ['=HYPERLINK("http://example.com","x")', "+cmd", "@SUM(1)", "-bob"]
    with client:
        for student in students:
            assert send(client, student, {"v0[0]": "-0.19"}, "v0[0]").json()["saved"] is True
            assert send(client, student, {"dL/dW0[0][0]": "-x[0]*\tW0[0][0]"}, "dL/dW0[0][0]").json()["saved"]
        answers = client.get("/api/teacher/answers.csv", headers=AUTH).text
        report = client.get("/api/teacher/report.csv", headers=AUTH).text
    store.close()
    rows = list(csv.reader(io.StringIO(answers)))
    header = rows[0]
    table = {row[0]: dict(zip(header, row)) for row in rows[1:]}
    assert sorted(table) == sorted("'" + s for s in students)
    for row in table.values():
        assert row["v0[0]"] == "-0.19"  # a number stays a number
        assert row["dL/dW0[0][0]"] == "(-x[0]* W0[0][0])"  # an expression: in parentheses, the tab a space
    from symbackprop.checking import grading
    from symbackprop.checking.verdicts import parse_claim_expression
    from symbackprop.model.spec import parse_spec
    network = parse_spec(COURSE_232).network
    read = grading.parse_answers(answers)[1][0]["answers"]["dL/dW0[0][0]"]  # what grade reads from the file
    difference = parse_claim_expression(read, network) - parse_claim_expression("-x[0]*W0[0][0]", network)
    assert difference.simplify() == 0
    report_rows = list(csv.reader(io.StringIO(report)))
    assert sorted(row[0] for row in report_rows[1:]) == sorted("'" + s for s in students)
    for row in rows[1:] + report_rows[1:]:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS) or cell == "-0.19", cell


def test_the_page_the_dashboard_and_report_csv_agree_entry_by_entry(tmp_path):
    import csv
    import io
    from tests.web.independent import numbers_and_wrong
    client, store = class_client(str(tmp_path / "class.db"))
    with client:
        exact = numbers_and_wrong(client.get("/api/exercise").json(), 0.5)
        value = {name: v for name, (v, _) in exact.items()}
        typed = {
            "ana": [("v0[0]", f"{value['v0[0]']:.4f}"), ("y0[0]", "0.5"), ("y1[0]", f"{value['v1[0]']:.4f}"),
                    ("L", f"{value['L']:.4f}"), ("dL/dW1[0][0]", f"{2 * value['dL/dW1[0][0]']:.4f}")],
            "bia": [("v0[0]", "0.20"), ("y0[0]", f"{sigmoid(0.2):.4f}"), ("v0[0]", f"{value['v0[0]']:.4f}"),
                    ("step1.W0[1][2]", "0.6"), ("dL/dy1[0]", f"{-value['dL/dy1[0]']:.4f}")],
            "caio": [("y0[1]", f"{value['y0[1]']:.5f}"), ("y0[1]", "1"), ("dL/dW0[1][2]", "0")],
        }
        shown = {}
        for student, entries in typed.items():
            claims = {}
            for name, text in entries:
                claims[name] = text
                answer = send(client, student, dict(claims), name).json()
                shown[student, name] = next(r for r in answer["claims"] if r["name"] == name)
            again = client.post("/api/check", json={"student": student, "claims": claims, "record": False}).json()
            for result in again["claims"]:  # what the page shows after a reload
                shown[student, result["name"]] = result
        summary = client.get("/api/teacher/summary", headers=AUTH).json()["questions"]
        report = list(csv.DictReader(io.StringIO(client.get("/api/teacher/report.csv", headers=AUTH).text)))
    store.close()
    questions = [name for name in report[0] if name not in ("student", "variant", "points", "max_points")]
    graded = {(row["student"], name): row[name] for row in report for name in questions if row[name]}
    for (student, name), result in shown.items():
        page = result["verdict"] + (f":{result['mistake']}" if result["mistake"] else "")
        assert graded[student, name] == page, (student, name)
    assert graded["bia", "y0[0]"].startswith("wrong")  # consistent while v0[0] was wrong; wrong once it was corrected
    assert graded["ana", "y0[0]"].startswith("wrong") and graded["caio", "y0[1]"].startswith("wrong")
    for name, counts in summary.items():
        from_report = [graded[s, name].split(":")[0] for s in typed if (s, name) in graded]
        assert {k: counts[k] for k in ("correct", "consistent", "wrong")} == {
            k: from_report.count(k) for k in ("correct", "consistent", "wrong")}, name

"""The lecturer's dashboard in Chromium: its numbers equal a direct query; without the token it shows no data."""
import hashlib
import json
import os
import re
import urllib.request
from pathlib import Path

import pytest

from tests.web.conftest import ServeProcess, count_rows, secret_of, sigmoid

pytestmark = pytest.mark.browser
TOKEN = "lecturer-token-123"
SCREENSHOTS = Path(os.environ["SYMBACKPROP_SCREENSHOTS"]) if os.environ.get("SYMBACKPROP_SCREENSHOTS") else None
LATEST = """
SELECT quantity, verdict, count(*) FROM submissions s
WHERE verdict <> 'invalid' AND id = (SELECT max(id) FROM submissions t
                                     WHERE t.student = s.student AND t.quantity = s.quantity AND verdict <> 'invalid')
GROUP BY quantity, verdict
"""


def post(url: str, body: dict) -> dict:
    body = {**body, "secret": secret_of(body["student"])}
    request = urllib.request.Request(url + "/api/check", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def test_dashboard_numbers_equal_a_direct_query(browser, tmp_path):
    database = str(tmp_path / "class.db")
    server = ServeProcess("examples/course_232.toml", "--workers", "1", "--record", database, "--teacher-token",
                          TOKEN)
    try:
        v0 = [0.19, 0.25, 0.31]
        for n in range(7):
            student = f"student{n}"
            post(server.url, {"student": student, "entry": "v0[0]", "claims": {"v0[0]": "0.19" if n % 3 else "0.20"}})
            if n % 2:
                claims = {"v0[0]": "0.19" if n % 3 else "0.20", "y0[0]": f"{sigmoid(0.20 if n % 3 == 0 else 0.19):.4f}"}
                post(server.url, {"student": student, "entry": "y0[0]", "claims": claims})
            if n < 3:
                post(server.url, {"student": student, "entry": "y0[1]", "claims": {"y0[1]": f"{v0[1]:.4f}"}})
        expected = {}
        for quantity, verdict, count in count_rows(database, LATEST):
            expected.setdefault(quantity, {"correct": 0, "consistent": 0, "wrong": 0})[verdict] = count

        page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="pt-BR")
        page.goto(server.url + f"/teacher?lang=pt-BR#token={TOKEN}")
        page.locator('#question-table tr[data-question="y0[1]"]').wait_for(timeout=20000)
        shown = {}
        for quantity in expected:
            row = page.locator(f'#question-table tr[data-question="{quantity}"]')
            shown[quantity] = {kind: int(row.locator(f"td.{kind}").text_content())
                               for kind in ("correct", "consistent", "wrong")}
        assert shown == expected
        assert expected["y0[1]"] == {"correct": 0, "consistent": 0, "wrong": 3}
        mistake = page.locator('#question-table tr[data-question="y0[1]"] td.mistakes span')
        assert mistake.text_content() == "v no lugar de y = g(v) (3)"
        assert mistake.get_attribute("data-mistake") == "preactivation_for_activation"
        assert page.locator("#count-submissions").text_content() == str(count_rows(
            database, "SELECT count(*) FROM submissions")[0][0])
        assert page.locator("#count-students").text_content() == "7"
        assert page.locator("#student-table tbody tr").count() == 7
        assert "Painel da turma" in page.content() and "Progresso por aluno" in page.content()
        assert "#token" not in page.url
        if SCREENSHOTS:
            page.screenshot(path=str(SCREENSHOTS / "dashboard.png"), full_page=True)
        page.close()

        stranger = browser.new_page()
        stranger.goto(server.url + "/teacher")
        stranger.locator("#login").wait_for(state="visible", timeout=20000)
        assert stranger.locator("#dashboard").is_hidden()
        assert stranger.locator("#question-table tbody tr").count() == 0
        assert "student0" not in stranger.content()
        stranger.fill("#token", "not-the-token")
        stranger.press("#token", "Enter")
        stranger.locator("#refused").wait_for(state="visible", timeout=20000)
        assert stranger.locator("#question-table tbody tr").count() == 0
        stranger.close()
    finally:
        server.stop()


def test_a_student_gets_their_answers_back_in_a_new_browser_with_their_key(browser, tmp_path):
    database = str(tmp_path / "class.db")
    server = ServeProcess("examples/course_232.toml", "--workers", "1", "--record", database, "--teacher-token",
                          TOKEN)
    try:
        page = browser.new_page(locale="en-US")
        page.goto(server.url + "/")
        page.fill("#student", "ana")
        page.press("#student", "Enter")
        page.locator("form.question").first.wait_for(timeout=20000)
        key = page.locator("#key-value").text_content()
        assert re.fullmatch(r"[A-Za-z0-9_-]{24}", key)
        assert page.evaluate("localStorage.getItem('symbackprop:secret:ana')") == key
        for name, text in (("v0[0]", "0.1900"), ("y0[0]", "0.6")):
            field = page.locator(f'form.question[data-name="{name}"] input')
            field.fill(text)
            field.press("Enter")
        page.locator('form.question[data-name="y0[0]"] .verdict.wrong').wait_for(timeout=20000)
        page.close()
        assert count_rows(database, "SELECT student, quantity, entry, verdict FROM submissions ORDER BY id") == [
            ("ana", "v0[0]", "0.1900", "correct"), ("ana", "y0[0]", "0.6", "wrong")]
        assert count_rows(database, "SELECT secret_sha256 FROM students") == [
            (hashlib.sha256(key.encode()).hexdigest(),)]

        other = browser.new_context(locale="en-US")  # a fresh browser: without ana's key nothing comes back
        again = other.new_page()
        again.goto(server.url + "/?student=ana")
        again.locator("#key-problem").wait_for(state="visible", timeout=20000)
        assert "ana is in use with another key" in again.locator("#key-problem").text_content()
        assert again.locator('form.question[data-name="v0[0]"] input').input_value() == ""
        again.fill("#key-input", key)
        again.press("#key-input", "Enter")
        again.locator('form.question[data-name="y0[0]"] .verdict.wrong').wait_for(timeout=20000)
        assert again.locator('form.question[data-name="v0[0]"] input').input_value() == "0.1900"
        assert again.locator('form.question[data-name="v0[0]"] .verdict').text_content().startswith("correct")
        assert again.locator("#key-value").text_content() == key
        stranger = other.new_page()
        stranger.goto(server.url + "/?student=bia")
        stranger.locator("form.question").first.wait_for(timeout=20000)
        stranger.wait_for_timeout(500)
        assert stranger.locator('form.question[data-name="v0[0]"] input').input_value() == ""
        assert stranger.locator("#key-problem").is_hidden()
        other.close()
        assert count_rows(database, "SELECT count(*) FROM submissions") == [(2,)]  # showing them again records nothing
    finally:
        server.stop()


def test_a_retried_click_is_stored_once(browser, tmp_path):
    """The first answer is lost on its way back (the server saved it): the page sends the same submission again."""
    database = str(tmp_path / "class.db")
    server = ServeProcess("examples/course_232.toml", "--workers", "1", "--record", database)
    try:
        page = browser.new_page(locale="en-US")
        sent = []

        def lose_first_answer(route):
            sent.append(json.loads(route.request.post_data)["submission"])
            response = route.fetch()  # the server records it
            if len(sent) == 1:
                route.abort("timedout")
            else:
                route.fulfill(response=response)

        page.route("**/api/check", lose_first_answer)
        page.goto(server.url + "/?student=ana")
        page.locator("form.question").first.wait_for(timeout=20000)
        field = page.locator('form.question[data-name="v0[0]"] input')
        field.fill("0.1900")
        field.press("Enter")
        page.locator('form.question[data-name="v0[0]"] .verdict.correct').wait_for(timeout=20000)
        field.press("Enter")  # a second click on the answered entry is a new submission
        for _ in range(200):
            if len(sent) == 3:
                break
            page.wait_for_timeout(100)
        page.locator('form.question[data-name="v0[0]"] .verdict.correct').wait_for(timeout=20000)
        page.close()
        assert len(sent) == 3 and sent[0] == sent[1] != sent[2]
        assert count_rows(database, "SELECT submission FROM submissions ORDER BY id") == [(sent[0],), (sent[2],)]
    finally:
        server.stop()

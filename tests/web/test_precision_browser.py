"""On the page in Chromium: each question shows its precision; known wrong answers are refused and the answer at
that precision accepted (the course's single neuron and 2-3-2 network, values computed independently)."""
import pytest

from tests.web.conftest import ServeProcess
from tests.web.independent import numbers_and_wrong

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=["single_neuron", "course_232"])
def server(request):
    process = ServeProcess(f"examples/{request.param}.toml", "--workers", "1")
    yield process
    process.stop()


def check(page, name: str, text: str) -> str:
    """Type an entry, press Enter, and return the verdict's class once the server answered."""
    form = page.locator(f'form.question[data-name="{name}"]')
    form.locator("input").fill(text)
    with page.expect_response("**/api/check"):
        form.locator("input").press("Enter")
    page.wait_for_timeout(50)
    return form.locator(".verdict").get_attribute("class").split()[-1]


def test_wrong_answers_are_refused_on_the_page(server, browser):
    import json
    import urllib.request
    with urllib.request.urlopen(server.url + "/api/exercise") as response:
        data = json.load(response)
    expected = numbers_and_wrong(data, 0.5)
    page = browser.new_page(locale="en-US")
    page.goto(server.url + "/")
    page.locator(".katex").first.wait_for(timeout=20000)
    numbers = [q["name"] for q in data["questions"] if q["expects"] == "number"]
    names = [name for name in numbers if name in expected]
    assert len(names) == len(numbers)  # every number on the page is computed independently
    refused = 0
    for question in data["questions"]:
        name = question["name"]
        if name not in names:
            continue
        label = page.locator(f'form.question[data-name="{name}"] label .precision').text_content()
        decimals = question["precision"]["decimals"]
        assert label == question["precision_text"] and label.endswith(("decimals", "significant figures"))
        value, wrong = expected[name]
        for number in wrong.values():
            if abs(number - value) > 1e-9:
                assert check(page, name, f"{number:.{decimals + 2}f}") == "wrong", (name, number)
                refused += 1
        assert check(page, name, f"{value:.{decimals}f}") == "correct", name
    assert refused >= 4 * len(names)
    total = len(data["questions"])
    assert page.locator("#score").text_content() == f"{len(names)} of {total} correct"
    page.close()

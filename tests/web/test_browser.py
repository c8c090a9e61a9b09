"""The student page in a real Chromium: verdicts as a student sees them, Portuguese, escaping, no outside requests."""
import os
from pathlib import Path

import pytest

from tests.web.conftest import ServeProcess, sigmoid

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(os.environ.get("SYMBACKPROP_SCREENSHOTS", "")) if os.environ.get("SYMBACKPROP_SCREENSHOTS") else None

V0 = [0.5 * 0.1 + 0.1 * 0.4 + 0.1, 0.5 * 0.2 + 0.1 * 0.5 + 0.1, 0.5 * 0.3 + 0.1 * 0.6 + 0.1]
Y0 = [sigmoid(v) for v in V0]
V1_0 = Y0[0] * 0.7 + Y0[1] * 0.9 + Y0[2] * 0.2 + 0.2


@pytest.fixture(scope="module")
def server():
    process = ServeProcess("examples/course_232.toml", "--workers", "2")
    yield process
    process.stop()


def entry(page, name: str):
    return page.locator(f'form.question[data-name="{name}"]')


def submit(page, name: str, text: str) -> None:
    form = entry(page, name)
    form.locator("input").fill(text)
    form.locator("input").press("Enter")


def verdict(page, name: str, expected_class: str):
    box = entry(page, name).locator(".verdict")
    box.locator(f"xpath=self::*[contains(@class, '{expected_class}')]").wait_for(timeout=20000)
    return box.text_content()


def test_verdicts_language_and_escaping(server, browser, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    requests, dialogs = [], []
    page.on("request", lambda request: requests.append(request.url))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(server.url + "/")
    page.locator(".katex").first.wait_for(timeout=20000)

    submit(page, "v0[0]", f"{V0[0]:.4f}")
    assert verdict(page, "v0[0]", "correct").startswith("correct")
    submit(page, "v0[1]", "0.3000")                      # wrong: 0.25
    submit(page, "y0[1]", f"{sigmoid(0.3):.4f}")          # follows from the wrong v0[1]
    text = verdict(page, "y0[1]", "consistent")
    assert text.startswith("consistent") and "v0[1]" in text and "error carried forward" in text
    assert verdict(page, "v0[1]", "wrong").startswith("wrong")
    submit(page, "y1[0]", f"{V1_0:.4f}")                  # v where y = g(v) belongs
    text = verdict(page, "y1[0]", "wrong")
    assert "likely mistake" in text and "net input v where the activation" in text
    assert page.locator("#score").text_content() == "1 of 21 correct"
    submit(page, "dL/dW0[0][0]", r"\delta^1_0 w^1_{0,0} \, y^0_0 (1 - y^0_0) \, x_0")   # the sum over k dropped
    text = verdict(page, "dL/dW0[0][0]", "wrong")
    assert "differs from the correct expression, for example at another point:" in text
    assert "sum over every unit" in text.lower()
    preview = entry(page, "dL/dW0[0][0]").locator(".preview annotation")
    preview.wait_for(state="attached", timeout=20000)
    assert r"\delta^{1}_{0}" in preview.text_content() and "x_{0}" in preview.text_content()
    if SCREENSHOTS:
        page.screenshot(path=str(SCREENSHOTS / "student-en.png"), full_page=True)

    page.get_by_role("link", name="Português (Brasil)").click()
    page.wait_for_url("**lang=pt-BR")
    assert verdict(page, "v0[0]", "correct").startswith("correto")
    assert verdict(page, "y0[1]", "consistent").startswith("consistente")
    text = verdict(page, "y1[0]", "wrong")
    assert text.startswith("errado") and "erro provável" in text and "entrada líquida v" in text
    assert page.get_by_role("button", name="Verificar").count() == 21

    attack = "<img src=x onerror=alert(1)>"
    submit(page, "L", attack)
    verdict(page, "L", "invalid")
    preview = entry(page, "L").locator(".preview")
    preview.locator(".problem-text").wait_for(timeout=20000)
    assert entry(page, "L").locator("img").count() == 0 and page.locator("img").count() == 0
    assert entry(page, "L").locator("input").input_value() == attack
    page.wait_for_timeout(300)
    assert dialogs == []
    assert all(url.startswith(server.url) for url in requests)
    path = tmp_path / "student.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    context.close()


def test_keyboard_only(server, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server.url + "/?lang=en")
    page.locator(".katex").first.wait_for(timeout=20000)
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "entry0":
            break
    assert page.evaluate("document.activeElement.id") == "entry0"
    page.keyboard.type(f"{V0[0]:.4f}")
    page.keyboard.press("Enter")
    assert verdict(page, "v0[0]", "correct").startswith("correct")
    page.close()

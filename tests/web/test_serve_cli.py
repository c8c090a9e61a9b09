"""`symbackprop serve` on the command line: one-line errors, the printed address, a page over real HTTP."""
import json
import socket
import urllib.request

import pytest

from symbackprop.cli import main
from tests.web.conftest import ServeProcess


@pytest.mark.parametrize("args, words", [
    (["--port", "70000"], "--port: expected 0 to 65535, got 70000"),
    (["--lang", "xx"], "--lang: unknown language 'xx'; available: en, pt-BR"),
    (["--workers", "0"], "--workers: expected 1 to 64, got 0"),
    (["--time-limit", "0"], "--time-limit: expected 0.1 to 600 seconds"),
    (["examples/course_232.toml", "--manifest", "m.json"], "give either SPEC or --manifest, not both"),
    (["--record", "a.db", "--database", "postgresql://x@y/z"], "give either --record FILE"),
    (["--teacher-token", "short"], "--teacher-token: expected 8 to 200 printable characters"),
    (["--manifest", "missing.json"], "missing.json"),
])
def test_bad_options_give_one_line(capsys, args, words):
    assert main(["serve", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("symbackprop: error: ") and words in err and err.count("\n") == 1


def test_a_spec_without_values_gives_one_line(tmp_path, capsys):
    spec = tmp_path / "net.toml"
    spec.write_text("[network]\nlayers = [1, 1]\nactivations = 'sigmoid'\nloss = 'mse'\n", encoding="utf-8")
    assert main(["serve", str(spec), "--port", "0"]) == 2
    assert "no [values] table" in capsys.readouterr().err


def test_a_port_in_use_gives_one_line(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert f"cannot listen on 127.0.0.1:{port}" in err and err.count("\n") == 1


def test_serve_prints_the_address_and_answers():
    server = ServeProcess("--lang", "pt-BR", "--workers", "1")
    try:
        assert server.lines[-1] == f"symbackprop serve: {server.url}/"
        with urllib.request.urlopen(server.url + "/") as response:
            page = response.read().decode()
            assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
        assert 'lang="pt-BR"' in page and "Verificar" in page and "<h1>Backpropagation: a rede 2-3-2</h1>" in page
        request = urllib.request.Request(server.url + "/api/check", data=json.dumps(
            {"claims": {"v0[0]": "0,19"}}).encode(), headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request) as response:
            assert json.load(response)["claims"][0]["verdict"] == "correct"
    finally:
        server.stop()

"""`symbackprop lint` from the command line: lines, JSON, --fix byte for byte, languages, exit codes, bad input."""
import json
import shutil

import pytest

from tests.lint.helpers import FIXTURES, LECTURE, example1, run_cli

SPEC = FIXTURES / "single_neuron.toml"


def test_lines_summary_and_exit_code():
    code, out, err = run_cli("lint", LECTURE)
    assert code == 1 and err == ""
    dy_dv = example1()["dy/dv"]  # the document's own sigmoid, differentiated by hand
    assert out.splitlines() == [
        f"{LECTURE}:12:31: wrong: (1 - 0.5793)^2 = 0.1770, not 0.1192",
        f"{LECTURE}:18:62: wrong: \\frac{{\\partial y_0}}{{\\partial v_0}} = {dy_dv:.4f}, not 0.2261",
        f"{LECTURE}:22:159: wrong: -0.6906 \\times 0.2261 \\times 0.7 = -0.10930, not -0.10905",
        # the wrong 0.2261 written again, and the product it gives: error carried forward
        f"{LECTURE}:22:174: consistent: \u2202y_0/\u2202v_0: 0.2261 repeats a number found wrong earlier "
        f"(error carried forward); the right value is {dy_dv:.4f}",
        f"{LECTURE}:24:121: consistent: -0.6906 \\times 0.2261 \\times 1 = -0.1561 follows from the document's "
        f"earlier numbers (error carried forward); the right value is {-0.6906 * dy_dv:.4f}",
        f"{LECTURE}:24:136: consistent: \u2202y_0/\u2202v_0: 0.2261 repeats a number found wrong earlier "
        f"(error carried forward); the right value is {dy_dv:.4f}",
        f"{LECTURE}: 12 math spans with numbers: 7 judged, 4 giving inputs, 1 not understood",
        f"{LECTURE}: not understood: 16:3",
        f"{LECTURE}: 10 numbers checked: 3 wrong, 3 consistent (error carried forward)"]


def test_pt_br_messages():
    code, out, _ = run_cli("lint", FIXTURES / "example1_ptbr.md", "--lang", "pt-BR")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].endswith(":8:14: errado: (1 - 0,5793)^2 = 0,1770, não 0,1192")
    assert lines[-1].endswith(": 5 números verificados: 2 errados, 0 consistentes (erro propagado)")


def test_correct_document_exits_0():
    code, out, _ = run_cli("lint", FIXTURES / "example1_correct.md", "--spec", SPEC)
    assert code == 0
    assert out.splitlines() == [f"{FIXTURES / 'example1_correct.md'}: 12 math spans with numbers: 12 judged, "
                                f"0 giving inputs, 0 not understood",
                                f"{FIXTURES / 'example1_correct.md'}: 30 numbers checked: 0 wrong, "
                                f"0 consistent (error carried forward)"]


def test_json_shape_and_values():
    code, out, _ = run_cli("lint", LECTURE, "--spec", SPEC, "--json")
    assert code == 1
    data = json.loads(out)
    rows = [f for f in data["findings"] if f["verdict"] != "correct"]
    keys = {"line", "col", "text", "kind", "name", "written", "expected", "verdict", "mistake", "fix", "file"}
    assert all(set(f) == keys for f in data["findings"])
    gradient = next(f for f in rows if f["name"] == "dL/dW0[0][0]")
    assert gradient["line"] == 22 and gradient["kind"] == "quantity" and gradient["written"] == -0.10905
    assert gradient["expected"] == pytest.approx(example1()["dL/dw"], rel=1e-9)
    assert gradient["fix"] == f"{example1()['dL/dw']:.5f}"
    arithmetic = next(f for f in rows if f["kind"] == "arithmetic" and f["line"] == 12)
    assert arithmetic["text"] == "(1 - 0.5793)^2 = 0.1770, not 0.1192" and arithmetic["name"] is None
    assert arithmetic["expected"] == pytest.approx((1 - 0.5793) ** 2, abs=1e-12)
    assert data["summary"] == {"checked": len(data["findings"]), "correct": len(data["findings"]) - 11,
                               "consistent": 1, "wrong": 10, "decimal_comma": False,
                               "math_spans_with_numbers": 12, "judged_spans": 12, "given_spans": 0,
                               "not_understood": [], "nothing_judged": False}
    assert data["notes"] == [] and {f["file"] for f in data["findings"]} == {str(LECTURE)}


def _changed_lines(before: bytes, after: bytes) -> list[tuple[bytes, bytes]]:
    return [(a, b) for a, b in zip(before.split(b"\n"), after.split(b"\n")) if a != b]


def test_fix_without_spec_replaces_the_wrong_numbers_and_what_follows_from_them(tmp_path):
    out = tmp_path / "fixed.md"
    code, stdout, _ = run_cli("lint", LECTURE, "--fix", out)
    assert code == 1 and stdout.splitlines()[-1] == f"wrote {out} with 6 number(s) replaced"
    before, after = LECTURE.read_bytes(), out.read_bytes()
    dy_dv = example1()["dy/dv"]
    expected = (before.replace(b"= 0.1192$$", b"= 0.1770$$").replace(b"0.2261", f"{dy_dv:.4f}".encode())
                .replace(b"= -0.10905$$", f"= {-0.6906 * 0.2437 * 0.7:.5f}$$".encode())
                .replace(b"= -0.1561$$", f"= {-0.6906 * 0.2437:.4f}$$".encode()))
    assert after == expected  # -0.6906 is not the document's to judge without a spec (\hat{y} is not defined)
    assert len(_changed_lines(before, after)) == 4
    assert run_cli("lint", out)[0] == 0


def test_fix_with_spec_writes_the_spec_truth_and_lints_clean(tmp_path):
    out = tmp_path / "fixed.md"
    run_cli("lint", LECTURE, "--spec", SPEC, "--fix", out)
    ex = example1()
    before, after = LECTURE.read_bytes(), out.read_bytes()
    expected = (before.replace(b"0.1192", f"{ex['L']:.4f}".encode())
                .replace(b"-0.6906", f"{ex['dL/dy']:.4f}".encode())
                .replace(b"0.2261", f"{ex['dy/dv']:.4f}".encode())
                .replace(b"-0.10905", f"{ex['dL/dw']:.5f}".encode())
                .replace(b"-0.1561", f"{ex['dL/db']:.4f}".encode()))
    assert after == expected
    code, stdout, _ = run_cli("lint", out, "--spec", SPEC)
    assert code == 0, stdout


def test_fix_keeps_crlf_and_non_ascii_bytes(tmp_path):
    source = tmp_path / "deck.md"
    source.write_bytes("Ação: $$(1 - 0.5793)^2 = 0.1192$$\r\nfim — ok\r\n".encode("utf-8"))
    out = tmp_path / "out.md"
    assert run_cli("lint", source, "--fix", out)[0] == 1
    assert out.read_bytes() == "Ação: $$(1 - 0.5793)^2 = 0.1770$$\r\nfim — ok\r\n".encode("utf-8")


def test_fix_into_the_document_itself(tmp_path):
    copy = tmp_path / "lecture.md"
    shutil.copy(LECTURE, copy)
    assert run_cli("lint", copy, "--fix", copy)[0] == 1
    assert run_cli("lint", copy)[0] == 0


@pytest.mark.parametrize("argv, message", [
    (["missing.md"], "missing.md: cannot read the document (No such file or directory)"),
    (["{doc}", "--lang", "fr"], "unknown language 'fr'; available: en, pt-BR"),
    (["{doc}", "--spec", "missing.toml"], "missing.toml: cannot read the spec"),
    (["{latin}"], "not UTF-8 text (at byte offset 9); save the document as UTF-8"),
    (["{doc}", "--spec", "{novalues}"], "lint needs the spec's [values]"),
    (["{doc}", "--spec", "{badtable}"], "[lint.symbols] 'y_0': unknown quantity 'y9[0]'"),
    (["{doc}", "--spec", "{badkey}"], "[lint] takes only the [lint.symbols] and [lint.sections] tables"),
    (["{doc}", "--fix", "{folder}"], "--fix {folder}: cannot write the fixed copy: "),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, argv, message):
    latin = tmp_path / "latin.md"
    latin.write_bytes("$x = 1$ ação".encode("latin-1"))
    network = '[network]\nlayers = [1, 1]\nactivations = "sigmoid"\nloss = "mse"\n'
    values = '[values]\nx = [0.7]\ny = [1.0]\nW0 = [[0.1]]\nb0 = [0.25]\n'
    (tmp_path / "novalues.toml").write_text(network)
    (tmp_path / "badtable.toml").write_text(network + values + '[lint.symbols]\n"y_0" = "y9[0]"\n')
    (tmp_path / "badkey.toml").write_text(network + values + '[lint]\nsymbol = 1\n')
    names = {"doc": LECTURE, "latin": latin, "novalues": tmp_path / "novalues.toml",
             "badtable": tmp_path / "badtable.toml", "badkey": tmp_path / "badkey.toml", "folder": tmp_path}
    code, out, err = run_cli("lint", *[a.format(**names) if "{" in a else a for a in argv])
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("symbackprop: error: ")
    assert message.format(**names) in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["badkey.toml", "badtable.toml", "latin.md",
                                                          "novalues.toml"]

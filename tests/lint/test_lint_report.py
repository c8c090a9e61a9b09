"""Report wording: catalogued mistakes in both languages, fixes that add a sign, catalogues with the same keys."""
import tomllib
from importlib import resources

from symbackprop.checking.mistakes import MISTAKES
from symbackprop.lint import report
from tests.lint.helpers import example1, lint_fixture, run_cli

TEXT = "$$\\frac{\\partial y_0}{\\partial v_0} = 0.5793$$\n$$\\frac{\\partial L}{\\partial y_0} = 0.8414$$\n"


def test_catalogued_mistakes_are_named_in_the_chosen_language():
    result = lint_fixture("mistakes.md", "single_neuron.toml", text=TEXT)
    assert [(f.name, f.mistake) for f in result.bad] == [("dy0[0]/dv0[0]", "activation_instead_of_derivative"),
                                                         ("dL/dy0[0]", "sign_flipped")]
    ex = example1()
    lines = [report.line(f, "d.md", result.document.position(f.offset), "pt-BR") for f in result.bad]
    assert lines == [
        f"d.md:1:39: errado: dy0[0]/dv0[0] = {ex['dy/dv']:.4f}, não 0.5793 (erro: a função de ativação g(v) foi "
        f"usada no lugar da sua derivada g'(v))",
        f"d.md:2:37: errado: dL/dy0[0] = {ex['dL/dy']:.4f}, não 0.8414 (erro: o sinal de (y - ŷ) foi trocado)"]
    assert result.bad[1].fix.text == "-0.8414"


def test_catalogues_have_the_same_keys_and_every_mistake_speaks_each_language():
    catalogues = {lang: report.messages(lang) for lang in report.languages()}
    assert set(catalogues) == {"en", "pt-BR"}
    shape = {table: set(keys) for table, keys in catalogues["en"].items()}
    for lang, catalogue in catalogues.items():
        assert {table: set(keys) for table, keys in catalogue.items()} == shape, lang
        for mistake in MISTAKES.values():
            assert set(mistake.texts) == {"en", "pt-BR"}, mistake.id
            assert all(getattr(mistake.texts[lang], kind) for kind in ("name", "description", "hint")), mistake.id
    assert MISTAKES["sign_flipped"].text("pt-BR", "description") == "o sinal de (y - ŷ) foi trocado"
    assert MISTAKES["sign_flipped"].text("de", "name") == MISTAKES["sign_flipped"].text("en", "name")


def test_summary_counts_in_both_languages(tmp_path):
    prose = tmp_path / "prose.md"
    prose.write_text("# Aula 3\n\nSó texto, uma lista:\n\n- sem contas\n- custa $5\n", encoding="utf-8")
    code, out, _ = run_cli("lint", "--lang", "pt-BR", prose)
    assert (code, out) == (0, f"{prose}: 0 números verificados: 0 errados, 0 consistentes (erro propagado)\n")
    one = tmp_path / "one.md"
    one.write_text("$1 + 1 = 3$ $2 + 2 = 4$\n", encoding="utf-8")
    code, out, _ = run_cli("lint", one)
    assert (code, out.splitlines()[-1]) == (1, f"{one}: 2 numbers checked: 1 wrong, 0 consistent (error carried "
                                               f"forward)")

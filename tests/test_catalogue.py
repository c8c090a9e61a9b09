"""Message catalogues: one file per language, the same keys in each, --lang validated."""
import pytest

from symbackprop.notation import catalogue
from symbackprop.cli import main
from symbackprop.errors import DocumentError
from symbackprop.model.functions import ACTIVATIONS, LANGUAGES, LOSSES


def keys(table: dict, prefix: str = "") -> set[str]:
    out = set()
    for key, value in table.items():
        out |= keys(value, f"{prefix}{key}.") if isinstance(value, dict) else {prefix + key}
    return out


def test_languages():
    assert {"en", "pt-BR"} <= set(catalogue.languages())


@pytest.mark.parametrize("lang", catalogue.languages())
def test_same_keys_as_english(lang):
    assert keys(catalogue.catalogue(lang)) == keys(catalogue.catalogue("en"))


@pytest.mark.parametrize("lang", catalogue.languages())
def test_keys_do_not_shadow_dict_methods(lang):
    # templates read t.key; a key named like a dict method (values, items, ...) would print the method
    def walk(table):
        for key, value in table.items():
            assert key not in dir(dict), f"{lang}: catalogue key {key!r} is a dict method name"
            if isinstance(value, dict):
                walk(value)
    walk(catalogue.catalogue(lang))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_built_in_function_is_named_in_every_language(lang):
    for entry in ACTIVATIONS.values():
        names = entry.names[lang]
        assert names.title and names.short and names.derivative_title
    for entry in LOSSES.values():
        assert entry.names[lang].title


def test_course_vocabulary():
    pt = catalogue.catalogue("pt-BR")
    assert pt["architecture"] == "Arquitetura da rede"
    assert pt["functions"] == "Funções e derivadas"
    assert catalogue.function_name(pt, "loss", "mse") == "Erro quadrático médio"
    assert pt["example"] == "Exemplo"
    assert pt["forward"] == "Propagação direta"  # titles in sentence case
    assert catalogue.function_name(pt, "activation", "sigmoid") == "Função sigmoide"
    assert catalogue.function_name(pt, "activation_derivative", "relu") == "Derivada da função ReLU"
    assert catalogue.function_name(pt, "activation_short", "sigmoid") == "sigmoide"
    assert pt["meta"]["babel"] == "brazilian"


def test_english_names_come_from_the_entries():
    en = catalogue.catalogue("en")
    assert catalogue.function_name(en, "activation", "tanh") == "Hyperbolic tangent"
    assert catalogue.function_name(en, "activation_short", "leaky_relu") == "leaky ReLU"
    assert catalogue.function_name(en, "loss", "cce") == "Categorical cross-entropy"


def test_a_language_without_names_falls_back_to_english_and_may_name_functions_itself():
    messages = {"meta": {"code": "es"}, "activation": {"sigmoid": "Función sigmoide"}}
    assert catalogue.function_name(messages, "activation", "sigmoid") == "Función sigmoide"
    assert catalogue.function_name(messages, "activation", "relu") == "ReLU function"


def test_unknown_function_falls_back_to_its_code_name():
    assert catalogue.function_name({"activation": {}}, "activation", "soft_plus") == "soft plus"


def test_unknown_language_is_one_line_listing_the_available_ones(tmp_path, capsys):
    assert main(["slides", "--lang", "xx", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "'xx'" in err and "en" in err and "pt-BR" in err
    assert not list(tmp_path.iterdir())
    with pytest.raises(DocumentError):
        catalogue.catalogue("de")


def test_portuguese_slides_use_babel_brazilian(tmp_path):
    assert main(["slides", "--lang", "pt-BR", "-o", str(tmp_path)]) == 0
    text = (tmp_path / "slides.tex").read_text()
    assert r"\usepackage[brazilian]{babel}" in text
    assert r"\section{Arquitetura da rede}" in text and "Erro quadrático médio" in text

"""Property: any mutation of a valid spec is either accepted (exit 0) or refused with one error line (exit 2)."""
import json
import math
import os
import tomllib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.corpus import DEFAULT, run_cli

BASE = tomllib.loads(DEFAULT.replace('["sigmoid", "sigmoid"]', '["swish", "sigmoid"]')
                     + '\n[exam]\nquestions = ["L", "dL/dW1[0][0]"]\n[exam.draw.weights]\nmin = -1\n'
                     'max = 1\nstep = 0.5\n[functions.swish]\ng = "v / (1 + exp(-v))"\n'
                     'derivative = "g + sigmoid(v) * (1 - g)"\n')
SETTINGS = settings(max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "60")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


def toml_value(value) -> str:
    """A value as inline TOML (strings in JSON escapes, which TOML reads the same)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return "{" + ", ".join(f"{json.dumps(key)} = {toml_value(item)}" for key, item in value.items()) + "}"


def toml_document(data: dict) -> str:
    """A dict as TOML: one `key = value` line per top-level key, tables inline."""
    return "".join(f"{json.dumps(key)} = {toml_value(value)}\n" for key, value in data.items())


def paths(data, prefix=()):
    """Every key path of nested dicts (lists by index)."""
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        yield prefix + (key,)
        yield from paths(value, prefix + (key,))


ALL_PATHS = sorted(paths(BASE), key=repr)
SCALARS = st.one_of(
    st.integers(-3, 12), st.integers(min_value=10**6, max_value=10**400), st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1e300, -1e308, 5e-324, 0.0, 1.0, 0.5]),
    st.text(max_size=30), st.sampled_from(["", "\x07", "\u202e", "\U0001F680", "t" * 600, "relu", "cce", "row",
                                           "L", "dL/dW0[0][0]", "step9.L", "v^1000000", "exp(exp(exp(v)))",
                                           "log(-1)", "v/0", "Piecewise((v, v > 0), (0, True))"]),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=12)


@st.composite
def mutated(draw) -> dict:
    """BASE with one to three keys replaced, deleted or added."""
    data = json.loads(json.dumps(BASE))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(ALL_PATHS))
        parent = data
        try:
            for key in path[:-1]:
                parent = parent[key]
            action = draw(st.sampled_from(["replace", "delete", "add"]))
            if action == "delete" and isinstance(parent, dict):
                parent.pop(path[-1], None)
            elif action == "add" and isinstance(parent, dict):
                parent[draw(st.text(min_size=1, max_size=8))] = draw(VALUES)
            else:
                parent[path[-1]] = draw(VALUES)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed or replaced this path
    return data


def assert_accepted_or_one_line(code: int, err: str) -> None:
    assert code in (0, 2), (code, err)
    assert "Traceback" not in err
    if code == 2:
        assert len(err.splitlines()) == 1 and err.startswith("symbackprop: error: "), err


@SETTINGS
@given(data=mutated())
def test_a_mutated_spec_is_accepted_or_refused_in_one_line(data, tmp_path_factory):
    folder = tmp_path_factory.mktemp("mutated")
    (folder / "spec.toml").write_text(toml_document(data), encoding="utf-8")
    code, _, err = run_cli(["derive", str(folder / "spec.toml")])
    assert_accepted_or_one_line(code, err)


@SETTINGS
@given(position=st.integers(0, len(DEFAULT)), cut=st.integers(0, 40),
       insert=st.text(alphabet=st.sampled_from(list('[]{}="\'\\,.#\n0123456789e-+ aT\x00\x07\u00e9')), max_size=12))
def test_a_spec_with_mangled_text_is_accepted_or_refused_in_one_line(position, cut, insert, tmp_path_factory):
    folder = tmp_path_factory.mktemp("mangled")
    text = DEFAULT[:position] + insert + DEFAULT[position + cut:]
    (folder / "spec.toml").write_bytes(text.encode("utf-8"))
    code, _, err = run_cli(["derive", str(folder / "spec.toml")])
    assert_accepted_or_one_line(code, err)

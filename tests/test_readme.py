"""Every number and output snippet in the README is what the tool produces."""
import json
import math
import re
from pathlib import Path

from symbackprop.cli import main

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
EXAMPLES = Path(__file__).parent.parent / "examples"


def _block(language: str, containing: str) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", README, re.S)
    return next(block for block in blocks if containing in block)


def test_derive_json_example_is_the_tools_output(capsys):
    assert main(["derive", "--json"]) == 0
    produced = json.loads(capsys.readouterr().out)
    block = _block("json", '"values"')
    lines = {line.split(":")[0].strip(' {"'): line for line in block.splitlines()}
    shown_values = dict(re.findall(r'"([^".][^"]*)": (-?[0-9.e-]+)', lines["values"]))
    assert shown_values  # the README shows some values
    for name, text in shown_values.items():
        assert float(text) == produced["values"][name], name
    name, tex = re.search(r'\{"([^"]+)": "(.*?)", "\.\.\."', lines["latex"]).groups()
    assert json.loads(f'"{tex}"') == produced["latex"][name]
    name, chain = re.search(r'\{"([^"]+)": (\[.*\]), "\.\.\."', lines["chain"]).groups()
    assert json.loads(chain) == produced["chain"][name]


def test_derive_json_example_numbers_by_hand():
    """The README's numbers for the default 2-3-2 network, recomputed by hand arithmetic."""
    sig = lambda v: 1 / (1 + math.exp(-v))  # noqa: E731
    x, W0, b0 = [0.5, 0.1], [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], [0.1] * 3
    W1, b1, y = [[0.7, 0.8], [0.9, 0.1], [0.2, 0.3]], [0.2, 0.2], [1.0, 0.0]
    h = [sig(x[0] * W0[0][j] + x[1] * W0[1][j] + b0[j]) for j in range(3)]
    out = [sig(sum(h[i] * W1[i][k] for i in range(3)) + b1[k]) for k in range(2)]
    delta1 = [-(y[k] - out[k]) * out[k] * (1 - out[k]) for k in range(2)]  # mse with N = 2: 2/N = 1
    gradient = (delta1[0] * W1[2][0] + delta1[1] * W1[2][1]) * h[2] * (1 - h[2]) * x[1]
    block = _block("json", '"values"')
    shown = float(re.search(r'"dL/dW0\[1\]\[2\]": ([0-9.e-]+)', block).group(1))
    assert abs(shown - gradient) < 1e-15 and round(gradient, 6) == 0.000874


def test_claims_example_is_checked_correct(tmp_path, capsys):
    block = _block("toml", "[claims]")
    assert 'spec = "single_neuron.toml"' in block
    claims = tmp_path / "claims.toml"
    claims.write_text(block)  # the spec beside it, as the README's example has it
    (tmp_path / "single_neuron.toml").write_text((EXAMPLES / "single_neuron.toml").read_text(encoding="utf-8"))
    assert main(["check", str(claims), "--json"]) == 0
    verdicts = {c["name"]: c["verdict"] for c in json.loads(capsys.readouterr().out)["claims"]}
    assert verdicts == {"v0[0]": "correct", "L": "correct", "dL/dW0[0][0]": "correct", "dL/db0[0]": "correct"}
    # the same numbers by hand: v = 0.7 × 0.1 + 0.25, ŷ = σ(v), L = (1 - ŷ)², ∂L/∂w = -2(1 - ŷ) ŷ(1 - ŷ) x
    v = 0.7 * 0.1 + 0.25
    p = 1 / (1 + math.exp(-v))
    assert abs(v - 0.32) < 1e-12 and round((1 - p) ** 2, 4) == 0.1770
    assert round(-2 * (1 - p) * p * (1 - p) * 0.7, 4) == -0.1435

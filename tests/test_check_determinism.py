"""Deterministic checking: the same claims get the same verdicts, mistakes and counterexamples in every run,
whatever the hash seed and whatever the clock says (budgets are counted in operations)."""
import itertools
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from symbackprop.checking.claims import parse_claims
from symbackprop.checking.verdicts import Checker

from .specs import COURSE_232

ROOT = Path(__file__).resolve().parent.parent
RELU = """
[network]
layers = [2, 3, 1]
activations = ["relu", "sigmoid"]
loss = "bce"
[values]
x = [0.5, -0.3]
y = [1.0]
W0 = [[0.2, -0.4, 0.1], [0.7, 0.3, -0.5]]
b0 = [0.05, -0.1, 0.2]
W1 = [[0.6], [-0.2], [0.4]]
b1 = [0.1]
"""
CLAIMS = RELU + r"""[claims]
"v0[1]" = -0.3900
"y0[1]" = 0.0
"dL/dy1[0]" = 0.48
"dy0[0]/dv0[0]" = '\begin{cases} 1 & v^0_0 > 0.05 \\ 0 & \text{otherwise} \end{cases}'
"y0[2]" = '\max(0, v^0_2) + \max(0, -v^0_2 - 3)'
"dL/db1[0]" = '\hat{y}^1_0 - y_0'
"dL/dW1[2][0]" = '(y_0 - \hat{y}^1_0) y^0_2'
"dL/db0[0]" = '\delta^1_0 w^1_{0,0} \hat{y}^1_0'
"""


def results(text: str) -> list[dict]:
    claims = parse_claims(text)
    return [r.as_dict() for r in Checker(claims.spec, claims.tolerance).check(claims.claims)]


def test_same_output_bytes_under_different_hash_seeds(tmp_path):
    path = tmp_path / "claims.toml"
    path.write_text(CLAIMS, encoding="utf-8")
    outputs = []
    for seed in ("1", "2", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, "-m", "symbackprop", "check", str(path), "--json"],
                              capture_output=True, env=env, cwd=tmp_path)
        assert done.returncode == 1, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    rows = {row["name"]: row for row in json.loads(outputs[0])["claims"]}
    assert rows["dy0[0]/dv0[0]"]["verdict"] == "wrong" and rows["y0[2]"]["verdict"] == "wrong"
    assert rows["dL/db1[0]"]["verdict"] == "correct"


def test_same_verdicts_when_the_clock_jumps(monkeypatch):
    before = results(CLAIMS) + results(COURSE_232 + '[claims]\n"dL/dW0[0][0]" = 0.0011\n"L" = 0.3\n')
    ticks = itertools.count()

    def jumping() -> float:  # every reading an hour later than the last
        return 3600.0 * next(ticks)

    for name in ("monotonic", "perf_counter", "time", "process_time"):
        monkeypatch.setattr(time, name, jumping)
    after = results(CLAIMS) + results(COURSE_232 + '[claims]\n"dL/dW0[0][0]" = 0.0011\n"L" = 0.3\n')
    assert json.dumps(after, sort_keys=True, default=str) == json.dumps(before, sort_keys=True, default=str)
    assert next(ticks) >= 0


def test_the_checker_reads_no_clock_and_forks_nothing():
    sources = {path.name: path.read_text(encoding="utf-8")
               for path in (ROOT / "symbackprop" / "checking").glob("*.py")}
    for name, source in sources.items():
        for forbidden in (r"\bimport time\b", r"\btime\.", r"monotonic", r"perf_counter", r"multiprocessing",
                          r"\bsignal\b", r"threading"):
            assert not re.search(forbidden, source), (name, forbidden)


def test_the_same_claims_twice_in_one_process():
    assert results(CLAIMS) == results(CLAIMS)

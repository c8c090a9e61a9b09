"""Every hostile input ends with one line `symbackprop: error: ...`, exit 2, no traceback and nothing written."""
import collections

import pytest

from tests.hostile.corpus import CASES, FLAWS, KINDS, prepare, run_cli, snapshot


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_hostile_input_gives_one_line_and_writes_nothing(case, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    argv = prepare(case, tmp_path)
    before = snapshot(tmp_path)
    code, out, err = run_cli(argv)
    assert code == 2, (code, err)
    lines = err.splitlines()
    assert len(lines) == 1 and err.endswith("\n"), err
    assert lines[0].startswith("symbackprop: error: ")
    assert case.expect in lines[0], lines[0]
    assert "Traceback" not in err and out == ""
    assert snapshot(tmp_path) == before


def test_the_corpus_covers_every_kind_and_flaw():
    kinds = collections.Counter(case.kind for case in CASES)
    flaws = collections.Counter(case.flaw for case in CASES)
    assert set(kinds) == set(KINDS) and set(flaws) == set(FLAWS)
    assert len({case.id for case in CASES}) == len(CASES)

"""The README's lint section shows the course example's findings exactly as the tool prints them."""
import re
import shlex
from pathlib import Path

from tests.lint.helpers import run_cli

ROOT = Path(__file__).parents[2]


def _section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Finding wrong numbers in your documents")
    return readme[start:readme.index("\n## ", start + 1)]


def test_every_console_block_is_what_the_tool_prints(monkeypatch):
    monkeypatch.chdir(ROOT)
    blocks = re.findall(r"```console\n\$ symbackprop ([^\n]*)\n(.*?)```", _section(), re.DOTALL)
    assert len(blocks) == 3
    for command, shown in blocks:
        code, out, err = run_cli(*shlex.split(command))
        assert (code, err) == (1, "")
        assert out == shown, command


def test_the_section_names_the_lectures_two_arithmetic_errors():
    section = _section()
    assert "(1 - 0.5793)^2 = 0.1770, not 0.1192" in section
    assert "-0.6906 \\times 0.2261 \\times 0.7 = -0.10930, not -0.10905" in section

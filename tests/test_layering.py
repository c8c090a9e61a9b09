"""Architecture rules the code keeps: library errors speak of settings, not of command-line options."""
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "symbackprop"
RAISE_WITH_OPTION = re.compile(r"raise \w+Error\(.*--[a-z]")


def test_only_the_command_line_names_options_in_errors():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "commands" or relative.name == "cli.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if RAISE_WITH_OPTION.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []


def test_a_setting_error_is_printed_with_its_option(tmp_path, capsys):
    from symbackprop.cli import main

    spec = tmp_path / "wide.toml"
    spec.write_text('[network]\nlayers = [8, 8, 8]\nactivations = "sigmoid"\nloss = "mse"\n')
    assert main(["derive", str(spec), "--expand"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("symbackprop: error: --expand: 144 parameters exceed the limit of 60")
    assert err.count("\n") == 1

"""Hostile and unlucky inputs: every input kind x malformed, oversized, nested, wrong type, out of range, special.

Each case names the files it needs (text, bytes, or a FIFO/folder made by `special`), the command line
({tmp} is the case's folder) and a fragment the one-line error must contain. The tests assert one stderr
line `symbackprop: error: ...`, exit 2 and nothing written; benchmarks/bench_hostile.py times every case."""
import contextlib
import io
import os
import signal
from dataclasses import dataclass, field
from importlib import resources

from symbackprop.cli import main

DEFAULT = resources.files("symbackprop.model").joinpath("default.toml").read_text(encoding="utf-8")
TITLE = next(line for line in DEFAULT.splitlines() if line.startswith("title = "))  # the built-in title line
KINDS = ("spec", "option", "template", "output folder", "special file")
FLAWS = ("malformed", "oversized", "nested", "wrong type", "out of range", "special")


def spec(*replacements: tuple[str, str], append: str = "") -> str:
    """The default spec with (old, new) replacements and text appended."""
    text = DEFAULT
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return text + append


def title(value: str) -> str:
    """The default spec with another title line."""
    return spec((TITLE, f"title = {value}"))


def network(key: str, value: str) -> str:
    """The default spec with one more (or a changed) [network] key."""
    if key == "index_base":
        return spec(("index_base = 0", f"index_base = {value}"))
    return spec(("index_base = 0", f"index_base = 0\n{key} = {value}"))


@dataclass(frozen=True)
class Case:
    """One hostile input: files to lay out, the command line, a fragment of the expected error."""

    kind: str
    flaw: str
    name: str
    argv: tuple[str, ...]
    expect: str
    files: dict = field(default_factory=dict)  # relative path -> str | bytes | "fifo" | "folder"

    @property
    def id(self) -> str:
        return f"{self.kind}/{self.flaw}/{self.name}"

    def lay_out(self, folder) -> None:
        """Create the case's files under folder."""
        for relative, content in self.files.items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            if content == "fifo":
                os.mkfifo(path)
            elif content == "folder":
                path.mkdir()
            elif isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")

    def command(self, folder) -> list[str]:
        """The command line with {tmp} filled in."""
        return [part.replace("{tmp}", str(folder)) for part in self.argv]


def derive(name, flaw, text, expect, kind="spec") -> Case:
    return Case(kind, flaw, name, ("derive", "{tmp}/spec.toml"), expect, {"spec.toml": text})


def exam(name, flaw, text, expect, *extra) -> Case:
    return Case("spec", flaw, name, ("exam", "{tmp}/spec.toml", "--seed", "1", "--variants", "2",
                                     "-o", "{tmp}/out", *extra), expect, {"spec.toml": text})


def option(name, flaw, argv, expect) -> Case:
    return Case("option", flaw, name, tuple(argv), expect)


def template(name, flaw, content, expect, file="slides.tex.j2", command="slides") -> Case:
    files = {f"templates/{file}": content}
    extra = ("--seed", "1", "--variants", "1") if command == "exam" else ()
    return Case("template", flaw, name, (command, *extra, "-o", "{tmp}/out", "--template-dir", "{tmp}/templates"),
                expect, files)


def output(name, flaw, command, target, expect, files=None) -> Case:
    argv = {"exam": ("exam", "--seed", "1", "--variants", "2", "-o", target),
            "slides": ("slides", "-o", target), "handout": ("handout", "-o", target)}[command]
    return Case("output folder", flaw, f"{command} {name}", argv, expect, files or {})


DEEP_ARRAY = "a = " + "[" * 1000 + "]" * 1000 + "\n"
DEEP_TABLE = "a = " + "{b = " * 1000 + "1" + "}" * 1000 + "\n"
JUST_TOO_DEEP = spec(append="\n[exam.moodle]\ncategory = \"x\"\n").replace(
    'x = [0.5, 0.1]', "x = " + "[" * 12 + "0.5" + "]" * 12)
HUGE_INT = "9" * 5000

CASES: tuple[Case, ...] = (
    # -- spec: malformed ---------------------------------------------------------------------------------------
    derive("unterminated string", "malformed", spec((TITLE, 'title = "open')), "malformed TOML"),
    derive("duplicate key", "malformed", spec(append="\n[network]\nlayers = [1, 1]\n"), "malformed TOML"),
    derive("not UTF-8", "malformed", b'title = "caf\xe9"\n', "not UTF-8 text"),
    derive("binary bytes", "malformed", bytes(range(256)) * 4, "cannot read the spec"),
    derive("no [network]", "malformed", 'title = "x"\n', "missing table [network]"),
    derive("unknown key", "malformed", spec(append='\ncolour = "red"\n'), "unknown key 'training.colour'"),
    derive("number too long to convert", "malformed", spec(("layers = [2, 3, 2]", f"layers = [2, {HUGE_INT}, 2]")),
           "a number is too long"),
    # -- spec: oversized ---------------------------------------------------------------------------------------
    derive("17 MB file", "oversized", "# " + "x" * (17 * 1024 * 1024) + "\n", "larger than 16 MB"),
    derive("title of 501 characters", "oversized", title('"' + "t" * 501 + '"'), "at most 500"),
    derive("title of 100,000 characters", "oversized", title('"' + "t" * 100_000 + '"'), "at most 500"),
    derive("author of 600 characters", "oversized", 'author = "' + "a" * 600 + '"\n' + DEFAULT,
           "author: 600 characters"),
    derive("a layer of a million units", "oversized", spec(("layers = [2, 3, 2]", "layers = [2, 1000000, 2]")),
           "<= 5000"),
    derive("too many parameters", "oversized", spec(("layers = [2, 3, 2]", "layers = [2, 3000, 2]")).split(
        "[values]")[0], "exceed the symbolic size limit"),
    derive("400-digit leaky slope", "oversized", network("leaky_slope", "9" * 400), "expected a finite number"),
    exam("grid with overflowing count", "oversized",
         spec(append="\n[exam.draw.weights]\nmin = -1e308\nmax = 1e308\nstep = 1e-300\n"), "grid points exceed"),
    exam("grid with a subnormal step", "oversized",
         spec(append="\n[exam.draw.weights]\nmin = 0\nmax = 1\nstep = 5e-324\n"), "grid points exceed"),
    # -- spec: nested ------------------------------------------------------------------------------------------
    derive("arrays 1,000 deep", "nested", DEEP_ARRAY, "nested more than 12 deep"),
    derive("inline tables 1,000 deep", "nested", DEEP_TABLE, "nested more than 12 deep"),
    derive("values 13 deep", "nested", JUST_TOO_DEEP, "nested more than 12 deep"),
    derive("inline table as a layer size", "nested", spec(("layers = [2, 3, 2]", "layers = [2, {a = [3]}, 2]")),
           "network.layers"),
    # -- spec: wrong type --------------------------------------------------------------------------------------
    derive("index_base = 0.0", "wrong type", network("index_base", "0.0"), "network.index_base"),
    derive("index_base = 1.0", "wrong type", network("index_base", "1.0"), "network.index_base"),
    derive("index_base = true", "wrong type", network("index_base", "true"), "network.index_base"),
    derive("index_base as a string", "wrong type", network("index_base", '"0"'), "network.index_base"),
    derive("questions as a string", "wrong type", spec(append='\n[exam]\nquestions = "L"\n'), "exam.questions"),
    exam("questions as a string (exam)", "wrong type", spec(append='\n[exam]\nquestions = "L"\n'), "exam.questions"),
    derive("layers as a string", "wrong type", spec(("layers = [2, 3, 2]", 'layers = "2,3,2"')), "network.layers"),
    derive("title as a number", "wrong type", title("5"), "title: expected a string"),
    derive("[exam] as a number", "wrong type", "exam = 5\n" + DEFAULT, "exam: expected a table"),
    derive("points as a string", "wrong type", spec(append='\n[exam]\npoints = "x"\n'), "exam.points"),
    derive("weights as strings", "wrong type", spec(("b0 = [0.1, 0.1, 0.1]", 'b0 = ["a", "b", "c"]')), "values.b0"),
    derive("activation as a number", "wrong type", spec(('["sigmoid", "sigmoid"]', "3")), "network.activations"),
    # -- spec: out of range ------------------------------------------------------------------------------------
    derive("leaky_slope = 1e300", "out of range", network("leaky_slope", "1e300"), "network.leaky_slope"),
    derive("leaky_slope < 0", "out of range", network("leaky_slope", "-0.5"), "network.leaky_slope"),
    derive("points negative", "out of range", spec(append="\n[exam.points]\ndefault = -1\n"), "exam.points.default"),
    exam("points negative (exam)", "out of range", spec(append="\n[exam.points]\ndefault = -3\n"), "exam.points"),
    derive("learning rate 0", "out of range", spec(("learning_rate = 0.5", "learning_rate = 0")), "learning_rate"),
    derive("momentum 1", "out of range", spec(("momentum = 0.0", "momentum = 1.0")), "training.momentum"),
    derive("steps 0", "out of range", spec(("steps = 1", "steps = 0")), "training.steps"),
    derive("x = inf", "out of range", spec(("x = [0.5, 0.1]", "x = [inf, 0.1]")), "values.x"),
    derive("max_attempts ten million", "out of range",
           spec(append="\n[exam.constraints]\nmax_attempts = 10000000\n"), "max_attempts"),
    derive("rel_tol 2", "out of range", spec(append="\n[exam.answers]\nrel_tol = 2\n"), "rel_tol"),
    derive("layer of size 0", "out of range", spec(("layers = [2, 3, 2]", "layers = [2, 0, 2]")), ">= 1"),
    exam("impossible constraints on a one-draw grid", "out of range", spec(append=(
        "\n[exam.draw]\ninputs = {min = 0.5, max = 0.5, step = 0.1}\ntargets = {min = 1, max = 1, step = 1}\n"
        "weights = {min = 0.5, max = 0.5, step = 0.1}\nbiases = {min = 0, max = 0, step = 0.1}\n"
        "[exam.constraints]\nmin_gradient = 1000\nmax_attempts = 1000000\ndistinct = false\n")), "min_gradient"),
    exam("more distinct variants than draws", "out of range", spec(append=(
        "\n[exam.draw]\ninputs = {min = 0.5, max = 0.5, step = 0.1}\ntargets = {min = 1, max = 1, step = 1}\n"
        "weights = {min = 0.5, max = 0.5, step = 0.1}\nbiases = {min = 0, max = 0, step = 0.1}\n")),
         "allow only 1 different draws"),
    # -- spec: special characters ------------------------------------------------------------------------------
    derive("bell character in the title", "special", title('"A\\u0007B"'), "U+0007"),
    derive("right-to-left override in the author", "special", 'author = "a\\u202Eb"\n' + DEFAULT, "U+202E"),
    Case("spec", "special", "emoji in the title (slides)", ("slides", "{tmp}/spec.toml", "-o", "{tmp}/out"),
         "U+1F680", {"spec.toml": title('"Backprop \U0001F680"')}),
    Case("spec", "special", "Cyrillic in the course (handout)", ("handout", "{tmp}/spec.toml", "-o", "{tmp}/out"),
         "U+0416", {"spec.toml": 'course = "\u0416"\n' + DEFAULT}),
    # -- special files -----------------------------------------------------------------------------------------
    Case("special file", "special", "spec is /dev/zero", ("derive", "/dev/zero"), "not a regular file"),
    Case("special file", "special", "spec is /dev/urandom", ("exam", "/dev/urandom", "--seed", "1", "--variants",
                                                             "1", "-o", "{tmp}/out"), "not a regular file"),
    Case("special file", "special", "spec is a FIFO", ("derive", "{tmp}/fifo.toml"), "not a regular file",
         {"fifo.toml": "fifo"}),
    Case("special file", "special", "spec is a folder", ("slides", "{tmp}/folder.toml", "-o", "{tmp}/out"),
         "it is a folder", {"folder.toml": "folder"}),
    Case("special file", "special", "claims name a FIFO as their spec", ("check", "{tmp}/claims.toml"),
         "not a regular file", {"claims.toml": 'spec = "fifo.toml"\n[claims]\n"L" = 0.5\n', "fifo.toml": "fifo"}),
    Case("special file", "special", "lint reads /dev/zero", ("lint", "/dev/zero"), "not a regular file"),
    Case("special file", "special", "lint reads a FIFO", ("lint", "{tmp}/notes.md"), "not a regular file",
         {"notes.md": "fifo"}),
    Case("special file", "special", "lint --spec names /dev/urandom", ("lint", "{tmp}/notes.md", "--spec",
                                                                        "/dev/urandom"),
         "not a regular file", {"notes.md": "$0.5 + 0.25 = 0.75$\n"}),
    Case("special file", "oversized", "spec path of 5,000 characters", ("derive", "{tmp}/" + "s" * 5000 + ".toml"),
         "File name too long"),
    Case("special file", "special", "spec does not exist", ("derive", "{tmp}/missing.toml"),
         "No such file or directory"),
    Case("special file", "special", "spec is a symlink loop", ("derive", "{tmp}/loop.toml"), "cannot read the spec"),
    # -- command-line options ----------------------------------------------------------------------------------
    option("--seed 1.5", "wrong type", ["exam", "--seed", "1.5", "--variants", "2"],
           "--seed: expected a whole number, got '1.5'"),
    option("--seed with 30 digits", "oversized", ["exam", "--seed", "1" * 30, "--variants", "2"],
           "--seed: expected a whole number"),
    option("--seed -1", "out of range", ["exam", "--seed", "-1", "--variants", "2", "-o", "{tmp}/out"],
           "--seed: expected a whole number >= 0"),
    option("--variants many", "wrong type", ["exam", "--seed", "1", "--variants", "many"],
           "--variants: expected a whole number, got 'many'"),
    option("--variants 0", "out of range", ["exam", "--seed", "1", "--variants", "0", "-o", "{tmp}/out"],
           "--variants: expected a whole number from 1"),
    option("--variants 10001", "out of range", ["exam", "--seed", "1", "--variants", "10001", "-o", "{tmp}/out"],
           "--variants: expected a whole number from 1"),
    option("--stress 0", "out of range", ["exam", "--seed", "1", "--stress", "0"], "--stress"),
    option("--abs-tol x", "wrong type", ["check", "{tmp}/claims.toml", "--abs-tol", "x"],
           "--abs-tol: expected a finite number"),
    option("--abs-tol nan", "out of range", ["check", "{tmp}/claims.toml", "--abs-tol", "nan"],
           "--abs-tol: expected a finite number"),
    option("--rel-tol 1e999", "out of range", ["check", "{tmp}/claims.toml", "--rel-tol", "1e999"],
           "--rel-tol: expected a finite number"),
    option("--decimals 1e3", "wrong type", ["slides", "--decimals", "1e3", "-o", "{tmp}/out"],
           "--decimals: expected a whole number"),
    option("--decimals 99", "out of range", ["derive", "--decimals", "99"], "decimals"),
    option("--gradient with a 5000-digit step", "oversized", ["handout", "--gradient", f"step{HUGE_INT}.L",
                                                              "-o", "{tmp}/out"], "unknown quantity 'step999"),
    option("--lang xx", "out of range", ["slides", "--lang", "xx", "-o", "{tmp}/out"], "xx"),
    option("--consistent-credit x", "wrong type", ["grade", "a.csv", "--manifest", "m.json",
                                                   "--consistent-credit", "x"], "--consistent-credit"),
    option("serve --port http", "wrong type", ["serve", "--port", "http"], "--port: expected a whole number"),
    option("serve --time-limit inf", "out of range", ["serve", "--time-limit", "inf"],
           "--time-limit: expected a finite number"),
    option("lint --fix without a file name", "malformed", ["lint", "notes.md", "--fix"],
           "--fix: expected one argument"),
    option("unknown option", "malformed", ["derive", "--colour", "red"], "unrecognized arguments: --colour"),
    option("unknown command", "malformed", ["differentiate"], "invalid choice: 'differentiate'"),
    option("missing --seed", "malformed", ["exam", "--variants", "2"], "required: --seed"),
    option("missing value of -o", "malformed", ["slides", "-o"], "-o/--output: expected one argument"),
    option("--template-dir is a file", "wrong type", ["slides", "-o", "{tmp}/out", "--template-dir",
                                                      "/dev/null"], "--template-dir: /dev/null: not a folder"),
    # -- templates ---------------------------------------------------------------------------------------------
    template("divides by zero", "out of range", "((( 1 / 0 )))", "ZeroDivisionError"),
    template("builds a string of 10^12 characters", "oversized", '((( "x" * 10**12 )))', "sandbox"),
    template("raises 10 to a huge power", "oversized", "((( 10 ** 100000 )))", "sandbox"),
    template("asks for a string of 2^62 characters", "oversized", '((( "x".ljust(2**62) )))', "MemoryError"),
    template("lists a range of 10^9", "oversized", "((( range(10**9) | list )))", "MAX_RANGE"),
    template("includes itself", "nested", '((* include "slides.tex.j2" *))', "include"),
    template("is not UTF-8", "malformed", b"\xff\xfe((( 1 )))", "not UTF-8 text"),
    template("syntax error", "malformed", "((* if *))", "template syntax error"),
    template("undefined variable", "wrong type", "((( nothing.here )))", "undefined"),
    template("reaches Python internals", "special", "((( ''.__class__.__mro__ )))", "unsafe"),
    template("reaches os through a filter", "special", "((( escape_latex.__globals__ )))", "undefined"),
    template("is a folder", "special", "folder", "a folder"),
    template("is a FIFO", "special", "fifo", "not a regular file"),
    template("of 2 MB", "oversized", "x" * (2 * 1024 * 1024), "larger than 1 MB"),
    template("exam template divides by zero", "out of range", "((( 1 / 0 )))", "ZeroDivisionError",
             file="exam.tex.j2", command="exam"),
    # -- output folders ----------------------------------------------------------------------------------------
    output("-o an existing file", "wrong type", "exam", "{tmp}/taken", "it is a file", {"taken": "keep me"}),
    output("-o under a file", "wrong type", "exam", "{tmp}/taken/out", "is a file", {"taken": "keep me"}),
    output("-o a folder that cannot be created", "special", "exam", "/proc/symbackprop-out", "cannot write"),
    output("-o an existing file", "wrong type", "slides", "{tmp}/taken", "it is a file", {"taken": "keep me"}),
    output("where slides.tex is a folder", "wrong type", "slides", "{tmp}/out", "slides.tex is a folder",
           {"out/slides.tex": "folder", "out/slides_body.tex": "earlier"}),
    output("-o a path of 5,000 characters", "oversized", "slides", "{tmp}/" + "d" * 5000, "cannot write"),
    output("where slides.pdf is a folder", "wrong type", "slides", "{tmp}/out", "slides.pdf: a folder",
           {"out/slides.pdf": "folder"}),
    output("where exam.pdf is a folder", "wrong type", "exam", "{tmp}/out", "exam.pdf: a folder",
           {"out/exam.pdf": "folder", "out/exam.tex": "earlier"}),
    output("where key.tex is a folder", "wrong type", "exam", "{tmp}/out", "key.tex is a folder",
           {"out/key.tex": "folder", "out/exam.tex": "earlier"}),
    output("-o under a file", "wrong type", "handout", "{tmp}/taken/out", "is a file", {"taken": "keep me"}),
    output("-o a folder that cannot be created", "special", "slides", "/proc/symbackprop-out", "cannot write"),
)


class Hang(Exception):
    """A case ran longer than its guard."""


def run_cli(argv: list[str], guard_seconds: int = 120) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of the CLI run in this process; Hang if it runs longer than the guard."""
    def alarm(signum, frame):
        raise Hang(f"{argv} ran longer than {guard_seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(guard_seconds)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return code, out.getvalue(), err.getvalue()


def snapshot(folder) -> dict:
    """Every path under folder with its size and content hash (FIFOs and folders by kind)."""
    import hashlib
    import stat

    state = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(root, name)
            mode = os.lstat(path).st_mode
            if stat.S_ISREG(mode):
                with open(path, "rb") as stream:
                    state[path] = hashlib.sha256(stream.read()).hexdigest()
            else:
                state[path] = stat.filemode(mode)
    return state


def prepare(case: Case, folder) -> list[str]:
    """Lay out a case in folder (a symlink loop too, when named) and return its command line."""
    case.lay_out(folder)
    if "symlink loop" in case.name:
        os.symlink(folder / "loop.toml", folder / "loop.toml")
    return case.command(folder)

"""Read a CLAIMS file: the spec, the [claims] table and tolerance overrides, keeping each number as written."""
import math
import os
import re
import stat
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from symbackprop.errors import ClaimsError, SpecError
from symbackprop.files.reading import read_text
from symbackprop.model.spec import Spec, read_toml, spec_from_dict

MAX_CLAIM_CHARS = 10_000  # longer claim texts are rejected before parsing
MAX_NAME_CHARS = 200  # longer quantity names are rejected before they are read
CLAIM_KEYS = {"value", "abs_tol", "rel_tol"}
TOLERANCE_KEYS = {"abs", "rel"}
OWN_KEYS = ("claims", "spec", "tolerance")
MAX_FILE_BYTES = 4_000_000  # a claims file or the spec it names, at most

_NUMBER = r"[+-]?(?:\d[\d_]*(?:\.\d[\d_]*)?|\.\d+)(?:[eE][+-]?\d+)?"
_TEXT_NUMBER = re.compile(r"\s*([+\-\u2212]?)\s*(\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE]([+-]?\d+))?\s*")
_WHOLE = re.compile(r"\s*[+\-\u2212]?\s*\d[\d_]*\s*")
_HEADER = re.compile(r"^\s*\[\s*(.+?)\s*\]\s*(?:#.*)?$")
_ENTRY = re.compile(r"""^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*=\s*(.*?)\s*$""")
_BARE_VALUE = re.compile(rf"({_NUMBER})\s*(?:#.*)?$")
_INLINE_VALUE = re.compile(rf"\{{.*?\bvalue\s*=\s*({_NUMBER})\s*[,}}]")


@dataclass(frozen=True)
class Number:
    """A number as written: its value and half a unit in its last printed decimal."""

    value: float
    text: str
    half_unit: float


@dataclass(frozen=True)
class Claim:
    """One claim: a quantity name and a number or an expression, with optional tolerance overrides."""

    name: str
    number: Number | None = None  # a numeric claim
    text: str = ""  # a symbolic claim: LaTeX or ASCII, as written
    abs_tol: float | None = None
    rel_tol: float | None = None

    @property
    def symbolic(self) -> bool:
        """True for an expression, False for a number."""
        return self.number is None

    @property
    def shown(self) -> str:
        """The claim as its author wrote it."""
        return self.text if self.symbolic else self.number.text


@dataclass(frozen=True)
class Tolerance:
    """Global overrides: |claimed - reference| <= max(abs, rel |reference|) replaces the printed precision."""

    abs: float | None = None
    rel: float | None = None

    @property
    def given(self) -> bool:
        """True when either bound is set."""
        return self.abs is not None or self.rel is not None


@dataclass(frozen=True)
class Claims:
    """A parsed CLAIMS file."""

    spec: Spec
    claims: tuple[Claim, ...]
    tolerance: Tolerance
    source: str = "claims"


def number_from_literal(literal: str, value: float | None = None) -> Number:
    """A TOML number literal (0.1770, -1.2e-3, 1_000.5) with the precision its digits show."""
    clean = literal.replace("_", "")
    mantissa, _, exponent = clean.lower().partition("e")
    decimals = len(mantissa.partition(".")[2])
    if len(exponent.lstrip("+-")) > 6:
        raise ValueError(f"exponent too long in {literal[:40]!r}")
    power = int(exponent or 0) - decimals
    half_unit = 0.5 * 10.0 ** power if -330 < power < 309 else (0.0 if power < 0 else math.inf)
    return Number(float(clean) if value is None else value, literal, half_unit)


def number_from_text(text: str) -> Number | None:
    """A number written as text ("0.1770", "0,1770", "−0.5", "1e-3"), or None when the text is no number."""
    match = _TEXT_NUMBER.fullmatch(text)
    if not match:
        return None
    sign, digits, exponent = match.groups()
    literal = ("-" if sign in ("-", "\u2212") else "") + digits.replace(",", ".")
    literal += f"e{exponent}" if exponent else ""
    try:
        number = number_from_literal(literal)
    except ValueError:
        return None
    if not math.isfinite(number.value) or not math.isfinite(number.half_unit):
        return None
    return Number(number.value, text.strip(), number.half_unit)


def claim_literals(text: str) -> dict[str, str]:
    """Each numeric claim's literal as written in the [claims] table (TOML gives floats, losing 0.1770's zero)."""
    found, section = {}, None
    for line in text.splitlines():
        header = _HEADER.match(line)
        if header and not line.lstrip().startswith("[["):
            section = header.group(1)
            continue
        entry = _ENTRY.match(line)
        if section != "claims" or not entry:
            continue
        raw_key, rest = entry.groups()
        literal = _BARE_VALUE.match(rest) or _INLINE_VALUE.match(rest)
        if not literal:
            continue
        try:
            (key,) = tomllib.loads(f"{raw_key} = 0")
        except (tomllib.TOMLDecodeError, ValueError):
            continue
        found[key] = literal.group(1)
    return found


def _float(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ClaimsError(f"{where}: expected a finite number, got {value!r}")
    return float(value)


def _tolerance_value(value, where: str) -> float:
    number = _float(value, where)
    if number < 0:
        raise ClaimsError(f"{where}: expected a number >= 0, got {value!r}")
    return number


def parse_claim(name: str, raw, literal: str | None, source: str) -> Claim:
    """One [claims] entry: a number, a string (a number or an expression) or {value, abs_tol, rel_tol}."""
    where = f"{source}: claims.{name!r}"
    abs_tol = rel_tol = None
    if isinstance(raw, dict):
        unknown = set(raw) - CLAIM_KEYS
        if unknown or "value" not in raw:
            raise ClaimsError(f"{where}: expected {{value = ..., abs_tol = ..., rel_tol = ...}} "
                              f"(value required), got keys {', '.join(sorted(raw))}")
        abs_tol = _tolerance_value(raw["abs_tol"], f"{where}.abs_tol") if "abs_tol" in raw else None
        rel_tol = _tolerance_value(raw["rel_tol"], f"{where}.rel_tol") if "rel_tol" in raw else None
        raw = raw["value"]
    if isinstance(raw, str):
        if len(raw) > MAX_CLAIM_CHARS:
            raise ClaimsError(f"{where}: the expression is {len(raw)} characters long; the limit is "
                              f"{MAX_CLAIM_CHARS}")
        if not raw.strip():
            raise ClaimsError(f"{where}: empty claim; expected a number or an expression")
        number = number_from_text(raw)
        if number is None:
            return Claim(name, text=raw, abs_tol=abs_tol, rel_tol=rel_tol)
        return Claim(name, number, abs_tol=abs_tol, rel_tol=rel_tol)
    value = _float(raw, where)
    number = None
    if literal is not None:
        try:
            number = number_from_literal(literal, value)
        except ValueError:
            number = None
        if number is not None and float(literal.replace("_", "")) != value:
            number = None
    if number is None:  # layout the scanner did not follow: the shortest repr (drops trailing zeros)
        number = number_from_literal(repr(value) if isinstance(raw, float) else str(raw), value)
    return Claim(name, number, abs_tol=abs_tol, rel_tol=rel_tol)


def parse_claims(text: str, source: str = "claims", base: Path | None = None,
                 allow_spec_outside: bool = False) -> Claims:
    """Parse CLAIMS TOML text; a relative `spec = "..."` path is resolved against `base` (the claims file's
    folder), and must stay inside it unless allow_spec_outside."""
    if len(text) > 2_000_000:
        raise ClaimsError(f"{source}: the file is {len(text)} characters long; the limit is 2000000")
    try:
        data = read_toml(text, source)
    except RecursionError as err:
        raise ClaimsError(f"{source}: the TOML is nested too deeply; expected a claims file") from err
    if "claims" not in data:
        raise ClaimsError(f"{source}: missing table [claims]; expected e.g. \"L\" = 0.1770")
    table = data["claims"]
    if not isinstance(table, dict):
        raise ClaimsError(f"{source}: claims: expected a table [claims], got {type(table).__name__}")
    spec = _spec(data, source, base, allow_spec_outside)
    literals = claim_literals(text)
    claims = whole_numbers_at_printed_precision(
        [parse_claim(name, raw, literals.get(name), source) for name, raw in table.items()])
    return Claims(spec, tuple(claims), _global_tolerance(data, source), source)


def is_whole(number: Number) -> bool:
    """Whether a number is written as digits alone, without a decimal point or an exponent (1, 0, -2)."""
    return bool(_WHOLE.fullmatch(number.text))


def whole_numbers_at_printed_precision(claims: list[Claim]) -> list[Claim]:
    """Claims whose whole numbers have the precision of the other printed numbers (the finest half unit among
    those with decimals), or are exact when there are none: `1` never stands for 1 ± 0.5 (it would "match" 1.5,
    and `0` would match −0.144)."""
    printed = [c.number.half_unit for c in claims if not c.symbolic and not is_whole(c.number)]
    half_unit = min(printed, default=0.0)
    return [replace(c, number=replace(c.number, half_unit=half_unit)) if not c.symbolic and is_whole(c.number)
            else c for c in claims]


def load_claims(path: str | Path, allow_spec_outside: bool = False) -> Claims:
    """Read a CLAIMS file."""
    path = Path(path)
    text = read_regular(path, "claims file", "a readable UTF-8 TOML file")
    return parse_claims(text, str(path), path.parent, allow_spec_outside)


def read_regular(path: Path, what: str, expected: str, prefix: str = "", encoding: str = "utf-8") -> str:
    """A user's file, read only when it is a regular file of at most MAX_FILE_BYTES (no device, no FIFO)."""
    try:
        status = os.stat(path)
    except (OSError, ValueError) as err:
        reason = getattr(err, "strerror", None) or "invalid path"
        raise ClaimsError(f"{prefix}{path}: cannot read the {what} ({reason}); expected {expected}") from err
    if not stat.S_ISREG(status.st_mode):
        raise ClaimsError(f"{prefix}{path}: the {what} is not a regular file; expected {expected}")
    if status.st_size > MAX_FILE_BYTES:
        raise ClaimsError(f"{prefix}{path}: the {what} is {status.st_size} bytes; the limit is {MAX_FILE_BYTES}")
    return read_text(path, what, expected, ClaimsError, encoding=encoding, prefix=prefix)


def _global_tolerance(data: dict, source: str) -> Tolerance:
    table = data.get("tolerance", {})
    if not isinstance(table, dict):
        raise ClaimsError(f"{source}: tolerance: expected a table [tolerance] with abs and/or rel")
    unknown = set(table) - TOLERANCE_KEYS
    if unknown:
        raise ClaimsError(f"{source}: unknown key tolerance.{sorted(unknown)[0]}; expected abs and/or rel")
    return Tolerance(*(_tolerance_value(table[key], f"{source}: tolerance.{key}") if key in table else None
                       for key in ("abs", "rel")))


def spec_path(written: str, base: Path | None, allow_outside: bool, source: str) -> Path:
    """The spec file a claims file names: relative to the claims file's folder, and inside it unless allowed.

    The refusal depends on the path alone (symbolic links resolved), never on what the file holds."""
    folder = (base or Path(".")).resolve()
    full = (folder / written).resolve()
    if not allow_outside and not full.is_relative_to(folder):
        raise ClaimsError(f"{source}: spec = {written!r}: the spec must be inside the claims file's folder "
                          f"({folder}); move it there, or allow this with --allow-spec-outside")
    return full


def _spec(data: dict, source: str, base: Path | None, allow_outside: bool = False) -> Spec:
    """The inline spec, or the `spec = "path"` file with any inline tables of the claims file laid over it."""
    if "spec" not in data:
        return spec_from_dict(data, source, extra_keys=OWN_KEYS)
    inline = {key: value for key, value in data.items() if key not in OWN_KEYS}
    written = data["spec"]
    if not isinstance(written, str) or not written or "\0" in written or len(written) > 4096:
        raise ClaimsError(f"{source}: spec: expected a path string, got {str(written)[:60]!r}")
    full = spec_path(written, base, allow_outside, source)
    prefix = f"{source}: spec = {written!r}: "
    text = read_regular(full, "spec", "a readable UTF-8 TOML spec, relative to the claims file", prefix)
    try:
        table = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as err:
        raise ClaimsError(f"{prefix}{full} is not a spec (not valid TOML); expected a TOML spec with a "
                          f"[network] table") from err
    if not isinstance(table.get("network"), dict):
        raise ClaimsError(f"{prefix}{full} is not a spec (no [network] table); expected a TOML spec with a "
                          f"[network] table")
    merged = {**table, **inline}
    try:
        return spec_from_dict(merged, str(full))
    except SpecError as err:
        raise SpecError(f"{source} (with spec {written!r}): {err}") from err

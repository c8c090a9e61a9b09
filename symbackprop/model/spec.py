"""Parse and validate TOML specs into frozen dataclasses."""
import math
import tomllib
import unicodedata
from dataclasses import dataclass, field
from types import SimpleNamespace
from importlib import resources
from pathlib import Path

from symbackprop.model import functions
from symbackprop.errors import SpecError, shown
from symbackprop.files.reading import read_text
from symbackprop.model.spec_functions import Definition, functions_to_dict, parse_functions

MAX_PARAMETERS = 5000  # the documented symbolic size limit (weights + biases)
TOP_LEVEL_KEYS = {"title", "author", "course", "institution", "date", "network", "values", "training", "exam",
                  "functions"}
NETWORK_KEYS = {"layers", "activations", "loss", "convention", "index_base", "leaky_slope"}
TRAINING_KEYS = {"learning_rate", "momentum", "steps", "update_biases"}
TEXT_KEYS = ("title", "author", "course", "institution", "date")
MAX_TEXT = 500  # characters of a title, author, course, institution or date
MAX_NESTING = 12  # tables and arrays inside each other; a spec needs 4
TABLE_CHECKS: dict = {}  # top-level table -> check(spec, source) that a later layer registers ([exam])


@dataclass(frozen=True)
class Network:
    """Layer sizes, activations, loss and notation options."""

    layers: tuple[int, ...]
    activations: tuple[str, ...]
    loss: str
    convention: str = "row"
    index_base: int = 0
    leaky_slope: float = 0.01
    custom: tuple[Definition, ...] = ()  # the spec's own [functions], usable by name like built-ins

    @property
    def depth(self) -> int:
        """Number of weight layers."""
        return len(self.layers) - 1

    @property
    def output_layer(self) -> int:
        """0-based index of the output layer."""
        return self.depth - 1

    @property
    def n_parameters(self) -> int:
        """Weights plus biases."""
        return sum((n_in + 1) * n_out for n_in, n_out in zip(self.layers, self.layers[1:]))

    def fan_in(self, layer: int) -> int:
        """Units feeding weight layer `layer` (0-based)."""
        return self.layers[layer]

    def width(self, layer: int) -> int:
        """Units of weight layer `layer` (0-based)."""
        return self.layers[layer + 1]


@dataclass(frozen=True)
class Values:
    """A numeric point; weights are stored in the row orientation W[l][i][j] (source i, destination j)."""

    x: tuple[float, ...]
    y: tuple[float, ...]
    weights: tuple[tuple[tuple[float, ...], ...], ...]
    biases: tuple[tuple[float, ...], ...]


@dataclass(frozen=True)
class Training:
    """Gradient-descent settings (momentum as in Rumelhart, Hinton & Williams 1986, eq. 9)."""

    learning_rate: float = 0.1
    momentum: float = 0.0
    steps: int = 1
    update_biases: bool = True  # false: weights only, as tutorials that freeze the biases


@dataclass(frozen=True)
class Spec:
    """A whole spec: the network, optional numbers, training and exam settings, document text."""

    network: Network
    title: str = ""
    author: str = ""
    course: str = ""
    institution: str = ""
    date: str = ""
    values: Values | None = None
    training: Training | None = None
    exam: dict = field(default_factory=dict, compare=False)
    translations: dict = field(default_factory=dict, compare=False)  # {"title": {"pt-BR": "..."}}

    def text(self, key: str, lang: str) -> str:
        """A document text (title, author, course, institution, date) in a language, else as written."""
        return self.translations.get(key, {}).get(lang, getattr(self, key))


def load_spec(path: str | Path | None = None) -> Spec:
    """Read a spec file, or the built-in default (the course's 2-3-2 network) when path is None."""
    if path is None:
        text = resources.files("symbackprop.model").joinpath("default.toml").read_text(encoding="utf-8")
        return parse_spec(text, source="built-in default")
    text = read_text(path, "spec", "a readable UTF-8 TOML file")
    return parse_spec(text, source=str(path))


def read_toml(text: str, source: str, error=SpecError) -> dict:
    """TOML text to a dict, errors naming line and column; nesting deeper than MAX_NESTING is refused."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise error(f"{source}: malformed TOML: {err}") from err
    except RecursionError:
        data = None
    except ValueError as err:  # a whole number too long to convert
        raise error(f"{source}: malformed TOML: a number is too long ({str(err).split(':')[0]}); "
                    f"expected numbers of at most a few digits") from err
    if data is None or nesting_depth(data) > MAX_NESTING:
        raise error(f"{source}: tables or arrays nested more than {MAX_NESTING} deep; "
                    f"expected a spec (at most [[numbers]] inside [tables])") from None
    return data


def nesting_depth(value) -> int:
    """How deeply lists and dicts nest inside value (a number or string: 0), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth + 1)
        if deepest > MAX_NESTING:
            break
        stack.extend((child, depth + 1) for child in children)
    return deepest


def parse_spec(text: str, source: str = "spec") -> Spec:
    """Parse TOML text into a validated Spec."""
    return spec_from_dict(read_toml(text, source), source, extra_keys=())


def spec_from_dict(data: dict, source: str = "spec", extra_keys=()) -> Spec:
    """Validate a parsed TOML document into a Spec; extra_keys are top-level keys another reader owns."""
    _reject_unknown(data, TOP_LEVEL_KEYS | set(extra_keys), "", source)
    if "network" not in data:
        raise SpecError(f"{source}: missing table [network]; expected layers, activations and loss")
    custom = parse_functions(data["functions"], source) if "functions" in data else ()
    network = _parse_network(_table(data, "network", source), source, custom)
    values = _parse_values(_table(data, "values", source), network, source) if "values" in data else None
    training = _parse_training(_table(data, "training", source), source) if "training" in data else None
    texts = {key: _text(data, key, source) for key in TEXT_KEYS}
    exam = _table(data, "exam", source) if "exam" in data else {}
    spec = Spec(network=network, values=values, training=training, exam=exam,
                translations={key: table for key, (_, table) in texts.items() if table},
                **{key: text for key, (text, _) in texts.items()})
    for key, check in TABLE_CHECKS.items():
        if key in data:
            check(spec, source)
    return spec


def _reject_unknown(table: dict, allowed: set, prefix: str, source: str) -> None:
    for key in table:
        if key not in allowed:
            raise SpecError(
                f"{source}: unknown key '{prefix}{key}'; expected one of {', '.join(sorted(allowed))} "
                f"(did you mean {functions.closest(key, allowed)!r}?)"
            )


def _table(data: dict, key: str, source: str) -> dict:
    value = data[key]
    if not isinstance(value, dict):
        raise SpecError(f"{source}: {key}: expected a table [{key}], got {type(value).__name__}")
    return value


def _text(data: dict, key: str, source: str) -> tuple[str, dict]:
    """A document text: a string, or a table by language code ({en = "...", pt-BR = "..."}; the en entry,
    else the first, is the text for other languages)."""
    value = data.get(key, "")
    if not isinstance(value, dict):
        return text_value(value, key, source), {}
    if not value or not all(isinstance(text, str) for text in value.values()):
        raise SpecError(f"{source}: {key}: expected a string or a table of strings by language, "
                        f'e.g. {{en = "...", pt-BR = "..."}}, got {shown(value)}')
    table = {lang: text_value(text, f"{key}.{lang}", source) for lang, text in value.items()}
    return table.get("en", next(iter(table.values()))), table


def text_value(value, key: str, source: str) -> str:
    """Document text (a title, an author): a string of at most MAX_TEXT characters without control
    characters; tabs and line breaks become single spaces, as LaTeX would set them."""
    if not isinstance(value, str):
        raise SpecError(f"{source}: {key}: expected a string, got {shown(value)}")
    if len(value) > MAX_TEXT:
        raise SpecError(f"{source}: {key}: {len(value)} characters; expected at most {MAX_TEXT}")
    text = " ".join(value.split()) if any(char in value for char in "\t\n\r") else value
    for position, char in enumerate(text, start=1):
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Cn"):
            raise SpecError(f"{source}: {key}: control or unassigned character U+{ord(char):04X} at position "
                            f"{position}; expected printable text (remove it)")
    return text


def number_value(value, key: str, source: str, low=None, high=None, low_open=False) -> float:
    """A finite TOML number within optional bounds, or a one-line SpecError naming key, expected and got."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SpecError(f"{source}: {key}: expected a number, got {shown(value)}")
    try:
        finite = math.isfinite(float(value))
    except OverflowError:
        finite = False
    if not finite:
        raise SpecError(f"{source}: {key}: expected a finite number, got {shown(value)}")
    if low is not None and (value < low or (low_open and value == low)):
        raise SpecError(f"{source}: {key}: expected a number {'>' if low_open else '>='} {low:g}, "
                        f"got {shown(value)}")
    if high is not None and value > high:
        raise SpecError(f"{source}: {key}: expected a number <= {high:g}, got {shown(value)}")
    return float(value)


def _parse_network(table: dict, source: str, custom: tuple[Definition, ...] = ()) -> Network:
    _reject_unknown(table, NETWORK_KEYS, "network.", source)
    for key in ("layers", "activations", "loss"):
        if key not in table:
            raise SpecError(f"{source}: network.{key} is missing; expected e.g. layers = [2, 3, 2], "
                            f"activations = \"sigmoid\", loss = \"mse\"")
    layers = table["layers"]
    if (not isinstance(layers, list) or len(layers) < 2
            or any(isinstance(n, bool) or not isinstance(n, int) for n in layers)):
        raise SpecError(f"{source}: network.layers: expected a list of at least 2 whole numbers "
                        f"(input size, ..., output size), got {shown(layers)}")
    if any(n < 1 for n in layers):
        raise SpecError(f"{source}: network.layers: every layer size must be >= 1, got {shown(layers)}")
    if any(n > MAX_PARAMETERS for n in layers):
        raise SpecError(f"{source}: network.layers: every layer size must be <= {MAX_PARAMETERS} (the symbolic "
                        f"size limit), got {shown(layers)}")
    activations = table["activations"]
    depth = len(layers) - 1
    if isinstance(activations, str):
        activations = [activations] * depth
    if not isinstance(activations, list) or not all(isinstance(a, str) for a in activations):
        raise SpecError(f"{source}: network.activations: expected a string or a list of strings, "
                        f"got {shown(activations)}")
    if len(activations) != depth:
        raise SpecError(f"{source}: network.activations: expected {depth} (one per layer after the input), "
                        f"got {len(activations)}")
    for position, name in enumerate(activations):
        entry = _lookup(functions.activation, name, source, custom)
        if entry.output_only and position != depth - 1:
            raise SpecError(f"{source}: network.activations: {name} is allowed on the output layer only, "
                            f"got it on hidden layer {position}")
    loss_name = table["loss"]
    if not isinstance(loss_name, str):
        raise SpecError(f"{source}: network.loss: expected a string, got {shown(loss_name)}")
    loss = _lookup(functions.loss, loss_name, source, custom)
    if loss.requires_output and activations[-1] not in loss.requires_output:
        raise SpecError(f"{source}: network.loss: {loss_name} needs a {' or '.join(loss.requires_output)} "
                        f"output layer, got {activations[-1]}")
    convention = table.get("convention", "row")
    if convention not in ("row", "column"):
        raise SpecError(f"{source}: network.convention: expected \"row\" or \"column\", got {shown(convention)}")
    index_base = table.get("index_base", 0)
    if type(index_base) is not int or index_base not in (0, 1):
        raise SpecError(f"{source}: network.index_base: expected 0 or 1 (whole numbers), got {shown(index_base)}")
    slope = number_value(table.get("leaky_slope", 0.01), "network.leaky_slope", source, low=0, high=1)
    used = set(activations) | {loss_name}
    network = Network(tuple(layers), tuple(activations), loss_name, convention, index_base, slope,
                      tuple(definition for definition in custom if definition.name in used))
    if network.n_parameters > MAX_PARAMETERS:
        raise SpecError(f"{source}: network.layers: {network.n_parameters} parameters exceed the symbolic "
                        f"size limit of {MAX_PARAMETERS}; use smaller layers")
    return network


def _lookup(table_lookup, name: str, source: str, custom=()):
    """An activation or loss entry (built-in or the spec's own), errors prefixed with the spec's source."""
    try:
        return table_lookup(name, SimpleNamespace(custom=custom))
    except SpecError as err:
        raise SpecError(f"{source}: {err}") from None


def value_keys(network: Network) -> list[str]:
    """The [values] keys this network takes, in the notation's index base."""
    base = network.index_base
    keys = ["x", "y"]
    for layer in range(network.depth):
        keys += [f"W{layer + base}", f"b{layer + base}"]
    return keys


def _vector(table: dict, key: str, size: int, source: str) -> tuple[float, ...]:
    value = table[key]
    if not isinstance(value, list) or any(isinstance(item, list) for item in value):
        raise SpecError(f"{source}: values.{key}: expected a list of {size} numbers, got {shown(value)}")
    if len(value) != size:
        raise SpecError(f"{source}: values.{key}: expected shape ({size},), got ({len(value)},)")
    return tuple(number_value(item, f"values.{key}", source) for item in value)


def _matrix(table: dict, key: str, rows: int, cols: int, source: str) -> tuple[tuple[float, ...], ...]:
    value = table[key]
    ok = isinstance(value, list) and all(isinstance(row, list) for row in value)
    got = f"({len(value)}, {', '.join(sorted({str(len(row)) for row in value}))})" if ok and value else repr(value)
    if not ok or len(value) != rows or any(len(row) != cols for row in value):
        raise SpecError(f"{source}: values.{key}: expected shape ({rows}, {cols}), got {got}")
    return tuple(tuple(number_value(item, f"values.{key}", source) for item in row) for row in value)


def _parse_values(table: dict, network: Network, source: str) -> Values:
    keys = value_keys(network)
    _reject_unknown(table, set(keys), "values.", source)
    for key in keys:
        if key not in table:
            raise SpecError(f"{source}: values.{key} is missing; [values] needs all of {', '.join(keys)}")
    x = _vector(table, "x", network.layers[0], source)
    y = _vector(table, "y", network.layers[-1], source)
    problem = functions.target_problem(network, y)
    if problem:
        raise SpecError(f"{source}: values.y: {problem}; got {list(y)}")
    weights, biases = [], []
    for layer in range(network.depth):
        name = layer + network.index_base
        n_in, n_out = network.fan_in(layer), network.width(layer)
        if network.convention == "row":
            weights.append(_matrix(table, f"W{name}", n_in, n_out, source))
        else:
            written = _matrix(table, f"W{name}", n_out, n_in, source)
            weights.append(tuple(zip(*written)))
        biases.append(_vector(table, f"b{name}", n_out, source))
    return Values(x, y, tuple(weights), tuple(biases))


def _parse_training(table: dict, source: str) -> Training:
    _reject_unknown(table, TRAINING_KEYS, "training.", source)
    rate = number_value(table.get("learning_rate", 0.1), "training.learning_rate", source)
    momentum = number_value(table.get("momentum", 0.0), "training.momentum", source)
    steps = table.get("steps", 1)
    if rate <= 0:
        raise SpecError(f"{source}: training.learning_rate: expected a number > 0, got {shown(rate)}")
    if not 0 <= momentum < 1:
        raise SpecError(f"{source}: training.momentum: expected a number in [0, 1), got {shown(momentum)}")
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= 10000:
        raise SpecError(f"{source}: training.steps: expected a whole number from 1 to 10000, got {shown(steps)}")
    update_biases = table.get("update_biases", True)
    if not isinstance(update_biases, bool):
        raise SpecError(f"{source}: training.update_biases: expected true or false, got {shown(update_biases)}")
    return Training(rate, momentum, steps, update_biases)


def weights_as_written(network: Network, matrix) -> list[list[float]]:
    """A row-orientation weight matrix in the spec's convention (transposed for column)."""
    rows = [list(row) for row in matrix]
    return rows if network.convention == "row" else [list(col) for col in zip(*rows)]


def spec_to_dict(spec: Spec) -> dict:
    """The normalized spec as plain data (the "spec" object of the JSON output and manifest)."""
    net = spec.network
    data: dict = {
        "title": spec.title,
        "network": {
            "layers": list(net.layers),
            "activations": list(net.activations),
            "loss": net.loss,
            "convention": net.convention,
            "index_base": net.index_base,
            "leaky_slope": net.leaky_slope,
        },
    }
    for key in ("author", "course", "institution", "date"):
        if getattr(spec, key):
            data[key] = getattr(spec, key)
    if net.custom:
        data["functions"] = functions_to_dict(net.custom)
    if spec.values is not None:
        data["values"] = values_to_dict(net, spec.values)
    if spec.training is not None:
        t = spec.training
        frozen = {} if t.update_biases else {"update_biases": False}
        data["training"] = {"learning_rate": t.learning_rate, "momentum": t.momentum, "steps": t.steps, **frozen}
    return data


def values_to_dict(network: Network, values: Values) -> dict:
    """Values as the [values] table writes them."""
    data: dict = {"x": list(values.x), "y": list(values.y)}
    for layer in range(network.depth):
        name = layer + network.index_base
        data[f"W{name}"] = weights_as_written(network, values.weights[layer])
        data[f"b{name}"] = list(values.biases[layer])
    return data

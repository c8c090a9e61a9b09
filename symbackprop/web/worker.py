"""What runs inside a worker process: expression checks and previews for the exercises the server started with."""
import os

from symbackprop.checking.verdicts import Checker, parse_claim_expression
from symbackprop.errors import SymbackpropError
from symbackprop.notation.derivation_tex import derive
from symbackprop.model.chain_graph import ChainGraph
from symbackprop.model.spec import spec_from_dict
from symbackprop.notation.printer import tex
from symbackprop.web.checks import RequestError, run_check


class Checkers:
    """One Checker per variant, sharing the derivation and the local rules (every variant has the same network)."""

    def __init__(self, specs: dict):
        self.specs = specs
        first = next(iter(specs.values()))
        self.derivation = derive(first.network)
        self.rules = ChainGraph(self.derivation, first.training)
        self._checkers: dict = {}

    def get(self, variant: str) -> Checker:
        """The checker of one variant."""
        if variant not in self._checkers:
            checker = Checker(self.specs[variant], rules=self.rules, derivation=self.derivation)
            checker.tabulate = True  # mistakes named from one table per quantity, as grade names them
            self._checkers[variant] = checker
        return self._checkers[variant]


def preview(network, text: str) -> dict:
    """The typed expression in the course notation ({"tex"}), or why it cannot be read ({"error"})."""
    try:
        return {"tex": tex(parse_claim_expression(text, network), network)}
    except SymbackpropError as err:
        return {"error": str(err)}


def handle(checkers: Checkers, job: tuple) -> tuple:
    """("ok", answer) or ("refused", status, message) for one job."""
    kind, variant, payload, reveal = job
    try:
        if kind == "check":
            entries, judged = payload
            return ("ok", run_check(checkers.get(variant), entries, reveal, judged))
        if kind == "preview":
            return ("ok", preview(checkers.specs[variant].network, payload))
        return ("refused", 400, f"unknown job {kind!r}")
    except RequestError as err:
        return ("refused", err.status, err.message)
    except RecursionError:
        return ("refused", 400, "the expression is nested too deeply to check")


def main(connection, spec_data: dict) -> None:
    """The worker loop: rebuild the specs from plain data, warm up, say ready, then answer jobs until the pipe
    closes."""
    os.setsid()  # its own process group: a hard stop ends the worker and anything it started
    specs = {key: spec_from_dict(data, f"variant {key}") for key, data in spec_data.items()}
    checkers = Checkers(specs)
    warm = next(iter(specs))
    checkers.get(warm).truth("L")
    connection.send(("ready", os.getpid()))
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(handle(checkers, job))

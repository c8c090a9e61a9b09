"""Serve the web checker: students check their own backpropagation step by step in the browser.

With SPEC, the page asks the spec's [exam] questions (or the default ones) on its [values]; with --manifest, each
student types their variant id first. Needs the web extra: pip install "symbackprop[web]".
"""
import asyncio
import importlib.util
import secrets
import socket

from symbackprop.errors import OptionError, SymbackpropError
from symbackprop.model.spec import load_spec
from symbackprop.commands.option_types import finite_number, whole_number

DEFAULT_PORT = 8000


def add_arguments(parser) -> None:
    """Arguments of `symbackprop serve`."""
    parser.add_argument("spec", nargs="?", help="spec TOML with [values] (default: the built-in network)")
    parser.add_argument("--manifest", help="an exam's manifest.json: students work their own variant")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine)")
    parser.add_argument("--port", type=whole_number, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--lang", help="language when the browser asks for none available (en, pt-BR)")
    parser.add_argument("--reveal", action="store_true", help="show the correct value of a wrong entry")
    parser.add_argument("--workers", type=whole_number, default=3, help="processes checking expressions (default 3)")
    parser.add_argument("--time-limit", type=finite_number, default=3.0,
                        help="seconds one expression check may take before it is stopped (default 3)")
    parser.add_argument("--record", metavar="FILE", help="class mode: record every checked entry in this SQLite file")
    parser.add_argument("--database", metavar="URL", help="class mode with PostgreSQL: postgresql://user@host/db")
    parser.add_argument("--teacher-token", help="the dashboard's token (default: a random one, printed at start)")


def _check_options(args) -> None:
    from symbackprop.web.messages import languages
    if not 0 <= args.port <= 65535:
        raise OptionError(f"--port: expected 0 to 65535, got {args.port}")
    if args.lang is not None and args.lang not in languages():
        raise OptionError(f"--lang: unknown language {args.lang!r}; available: {', '.join(languages())}")
    if not 1 <= args.workers <= 64:
        raise OptionError(f"--workers: expected 1 to 64, got {args.workers}")
    if not 0.1 <= args.time_limit <= 600:
        raise OptionError(f"--time-limit: expected 0.1 to 600 seconds, got {args.time_limit}")
    if args.spec and args.manifest:
        raise OptionError("give either SPEC or --manifest, not both")
    if args.record and args.database:
        raise OptionError("give either --record FILE (SQLite) or --database URL (PostgreSQL), not both")
    if args.teacher_token is not None and not (8 <= len(args.teacher_token) <= 200 and args.teacher_token.isprintable()
                                               and " " not in args.teacher_token):
        raise OptionError("--teacher-token: expected 8 to 200 printable characters without spaces")


def run(args) -> int:
    """Load the exercise(s), open the class store, start the server and print its address."""
    if importlib.util.find_spec("starlette") is None or importlib.util.find_spec("uvicorn") is None:
        raise SymbackpropError('serve needs the web extra: pip install "symbackprop[web]"')
    _check_options(args)
    _check_address(args.host, args.port)
    from symbackprop.web import exercise
    from symbackprop.web.app import ServeOptions, create_app
    exercises = exercise.from_manifest(args.manifest) if args.manifest else exercise.from_spec(load_spec(args.spec))
    store = None
    if args.record or args.database:
        from symbackprop.web.records.store import open_store
        store = open_store(args.record or args.database, exercises.fingerprint)
    token = (args.teacher_token or secrets.token_urlsafe(18)) if store is not None else None
    options = ServeOptions(reveal=args.reveal, lang=args.lang, workers=args.workers, limit=args.time_limit,
                           teacher_token=token)
    app = create_app(exercises, options, store)
    import uvicorn
    config = uvicorn.Config(app, host=args.host, port=args.port, log_level="warning", access_log=False,
                            lifespan="on", timeout_graceful_shutdown=3)
    server = uvicorn.Server(config)

    async def main():
        task = asyncio.create_task(server.serve())
        while not server.started and not task.done():
            await asyncio.sleep(0.05)
        if server.started:
            port = server.servers[0].sockets[0].getsockname()[1] if server.servers else args.port
            host = args.host if ":" not in args.host else f"[{args.host}]"
            print(f"symbackprop serve: http://{host}:{port}/", flush=True)
            if token is not None:
                print(f"dashboard: http://{host}:{port}/teacher#token={token}", flush=True)
        await task

    try:
        asyncio.run(main())
    except SystemExit:  # uvicorn exits when it cannot bind: reported below as one line
        pass
    finally:
        if store is not None:
            store.close()
    if not server.started:
        raise SymbackpropError("the server did not start (see the message above)")
    return 0


def _check_address(host: str, port: int) -> None:
    """Fail with one line when the address cannot be listened on (in use, or not this machine's)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        with socket.socket(infos[0][0], socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(infos[0][4])
    except OSError as err:
        raise OptionError(f"cannot listen on {host}:{port} ({err.strerror or err}); choose another --port or "
                          f"--host") from err

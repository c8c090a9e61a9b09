"""A pool of worker processes for symbolic work, each job under a hard time limit: a worker past it is killed and
replaced, so one pathological entry never holds up anyone else's."""
import asyncio
import multiprocessing
import os
import signal
from dataclasses import dataclass

from symbackprop.model.spec import spec_to_dict
from symbackprop.web import worker

START_SECONDS = 60.0  # a new worker imports SymPy and warms up its checker


class JobTimeout(Exception):
    """A job ran past the hard limit (its worker was killed)."""


class PoolBusy(Exception):
    """No worker became free in time."""


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.Process
    connection: object


class WorkerPool:
    """`size` worker processes answering jobs for the given specs ({variant id: Spec})."""

    def __init__(self, specs: dict, size: int = 3, limit: float = 3.0, wait: float = 15.0):
        self.specs = {key: spec_to_dict(spec) for key, spec in specs.items()}  # plain data crosses processes
        self.size, self.limit, self.wait = size, limit, wait
        self._context = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue | None = None
        self._all: set = set()
        self._tasks: set = set()
        self.killed = 0  # workers stopped at the hard limit, since start

    async def start(self) -> None:
        """Start every worker and wait until each is ready."""
        self._idle = asyncio.Queue()
        await asyncio.gather(*(self._spawn() for _ in range(self.size)))

    async def _spawn(self) -> None:
        receive, send = self._context.Pipe()
        process = self._context.Process(target=worker.main, args=(send, self.specs), daemon=False)
        await asyncio.to_thread(process.start)
        send.close()
        handle = _Worker(process, receive)
        self._all.add(handle)
        try:
            message = await self._receive(handle, START_SECONDS)
        except (JobTimeout, EOFError, OSError):
            self._stop(handle)
            raise RuntimeError("a checking worker did not start") from None
        if message[0] != "ready":
            self._stop(handle)
            raise RuntimeError("a checking worker did not start")
        self._idle.put_nowait(handle)

    async def _receive(self, handle: _Worker, timeout: float):
        loop = asyncio.get_running_loop()
        readable = loop.create_future()
        fd = handle.connection.fileno()
        loop.add_reader(fd, lambda: readable.done() or readable.set_result(None))
        try:
            await asyncio.wait_for(readable, timeout)
        except asyncio.TimeoutError:
            raise JobTimeout() from None
        finally:
            loop.remove_reader(fd)
        return handle.connection.recv()

    def _stop(self, handle: _Worker) -> None:
        """Kill a worker and everything it started (its own process group)."""
        self._all.discard(handle)
        try:
            os.killpg(handle.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        handle.connection.close()
        task = asyncio.get_running_loop().run_in_executor(None, handle.process.join, 5.0)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _replace(self, handle: _Worker) -> None:
        self._stop(handle)
        task = asyncio.ensure_future(self._spawn())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def run(self, job: tuple):
        """A job's answer; JobTimeout past the hard limit, PoolBusy when no worker frees up in time."""
        try:
            handle = await asyncio.wait_for(self._idle.get(), self.wait)
        except asyncio.TimeoutError:
            raise PoolBusy() from None
        try:
            handle.connection.send(job)
            answer = await self._receive(handle, self.limit)
        except JobTimeout:
            self.killed += 1
            self._replace(handle)
            raise
        except (EOFError, OSError, asyncio.CancelledError):
            self._replace(handle)
            raise
        self._idle.put_nowait(handle)
        return answer

    async def close(self) -> None:
        """Stop every worker."""
        for handle in list(self._all):
            self._stop(handle)
        for task in list(self._tasks):
            task.cancel() if not isinstance(task, asyncio.Future) or not task.done() else None
        await asyncio.sleep(0)

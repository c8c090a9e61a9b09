"""Group commit: the submissions that arrive while one commit is on its way are committed together in the next one,
each acknowledged only when the transaction holding it is committed."""
import asyncio

from symbackprop.web.records.store import StorageError


class GroupCommitter:
    """One writer per server process in front of a store: one transaction, one disk flush, for many students."""

    def __init__(self, store, most: int = 500):
        self.store = store
        self.most = most
        self._pending: list = []
        self._writer: asyncio.Task | None = None

    async def record(self, rows: list) -> None:
        """Return once the rows are committed; StorageError when they are not saved."""
        done = asyncio.get_running_loop().create_future()
        self._pending.append((rows, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        await done

    async def _write(self) -> None:
        while self._pending:
            batch, self._pending = self._pending[:self.most], self._pending[self.most:]
            try:
                await asyncio.to_thread(self.store.record, [row for rows, _ in batch for row in rows])
            except StorageError as err:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(StorageError(str(err)))
                continue
            except BaseException as err:  # noqa: BLE001 - every waiting student gets an answer
                for _, done in batch:
                    if not done.done():
                        done.set_exception(StorageError(repr(err)))
                raise
            for _, done in batch:
                if not done.done():
                    done.set_result(None)

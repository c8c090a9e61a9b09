"""A one-line progress bar on stderr, drawn only when stderr is a terminal."""
import sys
import time

WIDTH = 28


class Progress:
    """`label [#####.....] done/total  elapsed`, redrawn in place; a no-op when not on a terminal."""

    def __init__(self, label: str, total: int, stream=None, enabled: bool | None = None):
        self.label, self.total = label, max(total, 1)
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.start = time.monotonic()
        self.done = 0

    def update(self, done: int | None = None) -> None:
        """Set (or advance by one) the count and redraw."""
        self.done = self.done + 1 if done is None else done
        if not self.enabled:
            return
        filled = int(WIDTH * min(self.done, self.total) / self.total)
        elapsed = time.monotonic() - self.start
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (WIDTH - filled)}] "
                          f"{self.done}/{self.total}  {elapsed:5.1f} s")
        self.stream.flush()

    def close(self) -> None:
        """End the line."""
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()

    def __enter__(self) -> "Progress":
        self.update(0)
        return self

    def __exit__(self, *exc) -> None:
        self.close()

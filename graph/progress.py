"""Progress of a long build: a rich bar with total, rate and ETA on a terminal, else a log line
every N documents (for logs and CI, where a bar would only print control characters).

The build reports each document once it is finished (extracted and handed to the store, or
skipped as unchanged); the total is `extract.readers.count.count_documents` when it is known.
"""
from __future__ import annotations

import time
from typing import Callable, TextIO

LOG_EVERY = 100


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m{secs:02d}s" if hours else (f"{minutes}m{secs:02d}s" if minutes else f"{secs}s")


def progress_line(done: int, total: int | None, elapsed: float) -> str:
    """"120/1,000 documents (12%), 8.1 documents/s, ETA 1m49s" (no total: no share or ETA)."""
    rate = done / elapsed if elapsed > 0 else 0.0
    if total:
        share = f"{done:,}/{total:,} documents ({min(100, 100 * done // total)}%)"
        left = max(0, total - done)
        eta = f", ETA {_clock(left / rate)}" if rate > 0 and left else ""
        return f"build: {share}, {rate:.1f} documents/s{eta}"
    return f"build: {done:,} documents, {rate:.1f} documents/s"


class LogProgress:
    """Writes `progress_line` to `stream` every `every` documents."""

    def __init__(self, total: int | None, stream: TextIO, every: int = LOG_EVERY,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total, self.stream, self.every, self.clock = total, stream, max(1, every), clock
        self.done = 0
        self.started = clock()

    def __enter__(self) -> "LogProgress":
        return self

    def __exit__(self, *exc) -> None:
        return None

    def advance(self, document=None) -> None:
        self.done += 1
        if self.done % self.every == 0:
            self.stream.write(progress_line(self.done, self.total, self.clock() - self.started) + "\n")
            self.stream.flush()


class BarProgress:
    """A rich progress bar on the terminal: documents done of the total, rate, ETA."""

    def __init__(self, total: int | None) -> None:
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TaskProgressColumn,
                                   TextColumn, TimeElapsedColumn, TimeRemainingColumn)

        rate = TextColumn("{task.fields[rate]}")
        if total:
            columns = (TextColumn("building"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                       rate, TextColumn("ETA"), TimeRemainingColumn())
        else:
            columns = (SpinnerColumn(), TextColumn("building"), TextColumn("{task.completed} documents"),
                       rate, TimeElapsedColumn())
        from rich.console import Console

        self.bar = Progress(*columns, console=Console(stderr=True), transient=True)
        self.task = self.bar.add_task("building", total=total or None, rate="")
        self.started = time.monotonic()
        self.done = 0

    def __enter__(self) -> "BarProgress":
        self.bar.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.bar.__exit__(*exc)

    def advance(self, document=None) -> None:
        self.done += 1
        elapsed = time.monotonic() - self.started
        rate = f"{self.done / elapsed:.1f} docs/s" if elapsed > 0 else ""
        self.bar.update(self.task, advance=1, rate=rate)

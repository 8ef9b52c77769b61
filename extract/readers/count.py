"""How many documents the inputs hold, counted cheaply before a long build (for its total and ETA).

An estimate, never an error: a `.txt` or `.html` file is one document, a `.jsonl` file one per
non-blank line, a `.csv`/`.tsv` file one per line after the header (a quoted cell that spans
lines counts twice), a `.sgm` file one per `<REUTERS` tag. Directories count the files a build
would read (documentation skipped). `-` (stdin) makes the total unknown (None).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from . import _DOCUMENTATION, STDIN, SUFFIXES

_CHUNK = 1 << 20


def count_documents(paths: Iterable[str]) -> int | None:
    """The number of documents under `paths`, or None when it cannot be known (stdin)."""
    total = 0
    for raw in paths:
        if raw == STDIN:
            return None
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs.sort()
                total += sum(_count_file(Path(root) / name) for name in sorted(files)
                             if not _DOCUMENTATION.match(name))
        elif path.is_file():
            total += _count_file(path)
    return total


def _count_file(path: Path) -> int:
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        return 0
    if kind in ("txt", "html"):
        return 1
    try:
        if kind == "sgm":
            return _occurrences(path, b"<REUTERS")
        lines = _occurrences(path, b"\n", nonblank=True)
    except OSError:
        return 0
    return lines if kind == "jsonl" else max(0, lines - 1)


def _occurrences(path: Path, needle: bytes, nonblank: bool = False) -> int:
    count, tail = 0, b""
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            data = tail + chunk
            if nonblank:
                count += sum(1 for line in data.split(b"\n")[:-1] if line.strip())
                tail = data[data.rfind(b"\n") + 1:]
            else:
                count += data.count(needle)
                tail = data[-(len(needle) - 1):]  # too short to hold a whole needle: never counted twice
    if nonblank and tail.strip():
        count += 1
    return count

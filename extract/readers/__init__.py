"""Read articles from files, directories and stdin into `Document` records.

One module per input format (`txt`, `jsonl`, `html`, `delimited` for CSV/TSV, `reuters`
for Reuters-21578 SGML); this module finds the inputs, decodes them, validates each
document and keeps ids unique.

Problems never stop a run: each one is reported through `on_problem` as one line that
names the input, and reading goes on with the rest. `DocumentReader` counts documents
and problems so a caller can fail only when nothing at all could be read.

Every document is checked before it is handed on (limits documented in the README):

- invalid Unicode (lone surrogates, from JSON `\\ud800` escapes) is replaced by U+FFFD,
  which keeps every offset in place, with one warning;
- a publication date outside 1800-01-01 .. 2200-12-31 skips the document, named;
- an id longer than `MAX_DOCUMENT_ID_CHARS` (512) skips the document, named;
- a text longer than `MAX_DOCUMENT_CHARS` (8,000,000) skips the document, named.

Document ids are unique within one run. When a second input yields an id already
seen, it is skipped if its text and date are identical (the same article twice), and
otherwise renamed to the first free `<id>-2`, `<id>-3`, ... with a warning. Inputs are
read in the order given (directories in sorted order), so the renaming is deterministic.

Reading a directory also reports, through `on_notice`, one summary line that names the
files it skipped and why (documentation, word lists, data files, other file types).
"""
from __future__ import annotations

import codecs
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator, TextIO

from extract.records import MAX_DOCUMENT_ID_CHARS, Document

from .dates import EARLIEST_PUBLISHED, LATEST_PUBLISHED, in_range, parse_date
from .datelines import Dateline, dateline_date, dateline_length, parse_dateline
from .draft import Draft, FormatContext, ProblemHandler
from .jsonl import read_jsonl
from .txt import read_txt

__all__ = ["Dateline", "DocumentReader", "EARLIEST_PUBLISHED", "LATEST_PUBLISHED",
           "MAX_DOCUMENT_CHARS", "ReaderError", "ReaderOptions", "SUFFIXES", "check_inputs",
           "check_published", "dateline_length", "parse_date", "parse_dateline", "read_documents"]

MAX_DOCUMENT_CHARS = 8_000_000  # about 1.3 million words; longer texts are skipped, named
STDIN = "-"
STDIN_FORMATS = ("jsonl", "txt")

# suffix -> format name
SUFFIXES = {
    ".txt": "txt", ".jsonl": "jsonl", ".ndjson": "jsonl", ".html": "html", ".htm": "html",
    ".csv": "csv", ".tsv": "tsv", ".sgm": "sgm",
}

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_DOCUMENTATION = re.compile(r"^(?:readme|licen[cs]e|copying|changelog|authors|notice|"
                            r"contributing)\b", re.I)


class ReaderError(ValueError):
    """The inputs cannot be read as asked (an unknown file type, an unknown encoding)."""


@dataclass(frozen=True)
class ReaderOptions:
    """How to read: the encoding of non-UTF-8 files, stdin's format, CSV/TSV column names."""

    encoding: str | None = None
    stdin_format: str = "jsonl"
    text_column: str = "text"
    id_column: str = "id"
    date_column: str = "published"
    title_column: str = "title"

    def __post_init__(self) -> None:
        if self.encoding is not None:
            try:
                codecs.lookup(self.encoding)
            except LookupError:
                raise ReaderError(f"unknown encoding {self.encoding!r} for --encoding") from None
        if self.stdin_format not in STDIN_FORMATS:
            raise ReaderError(f"unknown stdin format {self.stdin_format!r}: expected jsonl or txt")


def check_published(day: date | None, option: str = "--published") -> date | None:
    """`day` if it is a plausible publication date; ReaderError otherwise."""
    if day is not None and not in_range(day):
        raise ReaderError(f"{option} {day.isoformat()} is outside {EARLIEST_PUBLISHED.isoformat()}"
                          f"..{LATEST_PUBLISHED.isoformat()}")
    return day


def check_inputs(paths: Iterable[str]) -> None:
    """Fail early on a file named on the command line that is of no known type."""
    for raw in paths:
        if raw == STDIN:
            continue
        path = Path(raw)
        if path.is_file() and path.suffix.lower() not in SUFFIXES:
            raise ReaderError(f"{raw}: unknown file type {path.suffix or '(no suffix)'!r}; "
                              f"eventkg reads {_known_types()}")


def _known_types() -> str:
    return ", ".join(sorted(SUFFIXES)) + " files and directories of them"


class DocumentReader:
    """Iterate documents from paths; count what was read and what went wrong.

    `published` is the date for documents that carry none. Problems go to
    `on_problem` (one line each) and are counted in `problems`; directory summaries go
    to `on_notice`. A reader is a single-pass iterator; the counts grow as documents
    are drawn from it.
    """

    def __init__(self, paths: Iterable[str], published: date | None = None,
                 on_problem: ProblemHandler | None = None, stdin: TextIO | None = None, *,
                 options: ReaderOptions | None = None,
                 on_notice: Callable[[str], None] | None = None) -> None:
        self.paths = list(paths)
        self.published = published
        self.options = options or ReaderOptions()
        self.documents_read = 0
        self.problems = 0
        self.problem_messages: list[str] = []
        self.skipped_files: list[tuple[str, str]] = []
        self._on_problem = on_problem
        self._on_notice = on_notice
        self._stdin = stdin
        self._seen: dict[str, str] = {}
        self._context = FormatContext(
            published, self._problem, text_column=self.options.text_column,
            id_column=self.options.id_column, date_column=self.options.date_column,
            title_column=self.options.title_column)
        self._documents = self._generate()

    def __iter__(self) -> "DocumentReader":
        return self

    def __next__(self) -> Document:
        return next(self._documents)

    def _problem(self, message: str) -> None:
        self.problems += 1
        self.problem_messages.append(message)
        if self._on_problem is not None:
            self._on_problem(message)

    def _notice(self, message: str) -> None:
        if self._on_notice is not None:
            self._on_notice(message)

    def _generate(self) -> Iterator[Document]:
        for raw in self.paths:
            for draft in self._from_argument(raw):
                document = self._validated(draft)
                if document is not None:
                    document = self._unique(document)
                if document is not None:
                    self.documents_read += 1
                    yield document

    # -- finding inputs -----------------------------------------------------------------
    def _from_argument(self, raw: str) -> Iterator[Draft]:
        if raw == STDIN:
            yield from self._from_stdin()
            return
        path = Path(raw)
        if path.is_dir():
            yield from self._from_directory(raw, path)
        elif path.exists():
            if path.suffix.lower() not in SUFFIXES:
                self._problem(f"{raw}: unknown file type {path.suffix or '(no suffix)'!r}, skipped; "
                              f"eventkg reads {_known_types()}")
                return
            yield from self._from_file(path)
        else:
            self._problem(f"{raw}: no such file or directory")

    def _from_directory(self, raw: str, directory: Path) -> Iterator[Draft]:
        files = sorted(path for path in directory.rglob("*") if path.is_file() and not any(
            part.startswith(".") for part in path.relative_to(directory).parts))
        read = 0
        skipped: list[tuple[str, str]] = []
        for file in files:
            content = None
            reason = _skip_reason(file)
            if reason is None and SUFFIXES[file.suffix.lower()] == "txt":
                content = self._read_text(file)
                if content is None:
                    continue  # already named: unreadable, binary, not decodable or empty
                reason = _not_an_article(content)
            if reason is not None:
                skipped.append((str(file.relative_to(directory)), reason))
                continue
            read += 1
            yield from self._from_file(file) if content is None else self._from_content(file, content)
        self.skipped_files += [(str(directory / name), why) for name, why in skipped]
        if not files:
            self._problem(f"{raw}: no files in this directory")
        elif read == 0:
            listing = f" ({_listing(skipped)})" if skipped else ""
            self._problem(f"{raw}: no readable article files in this directory{listing}")
        elif skipped:
            self._notice(f"{raw}: {read} files read, {len(skipped)} skipped: {_listing(skipped)}")

    # -- decoding -----------------------------------------------------------------------
    def _from_stdin(self) -> Iterator[Draft]:
        stream = self._stdin or sys.stdin
        source = getattr(stream, "buffer", stream)  # bytes when possible
        encoding = self.options.encoding or "utf-8"
        if self.options.stdin_format == "jsonl":
            yield from read_jsonl(source, "<stdin>", self._context, encoding)
            return
        data = source.read()
        if isinstance(data, str):  # a text stream: already decoded
            content = data.replace("\r\n", "\n").replace("\r", "\n")
        else:
            content = self._decode(data, "<stdin>")
            if content is None:
                return
        if not content.strip():
            self._problem("<stdin>: no text to read")
            return
        yield from read_txt(content, "stdin", "<stdin>", self._context)

    def _from_file(self, path: Path) -> Iterator[Draft]:
        if SUFFIXES[path.suffix.lower()] == "jsonl":
            data = self._read_bytes(path)
            if data is not None:
                yield from read_jsonl(data.splitlines(), str(path), self._context,
                                      self.options.encoding or "utf-8")
            return
        content = self._read_text(path)
        if content is not None:
            yield from self._from_content(path, content)

    def _from_content(self, path: Path, content: str) -> Iterator[Draft]:
        kind, where = SUFFIXES[path.suffix.lower()], str(path)
        if kind == "txt":
            yield from read_txt(content, path.stem, where, self._context)
        elif kind == "html":
            from .html import read_html

            yield from read_html(content, path.stem, where, self._context)
        elif kind in ("csv", "tsv"):
            from .delimited import read_delimited

            yield from read_delimited(content, path.stem, where, self._context,
                                      delimiter="\t" if kind == "tsv" else ",",
                                      field_limit=MAX_DOCUMENT_CHARS + 1)
        else:
            from .reuters import read_reuters

            yield from read_reuters(content, path.stem, where, self._context)

    def _read_bytes(self, path: Path) -> bytes | None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            self._problem(f"{path}: cannot be read ({exc.strerror or exc})")
            return None
        if not data.strip():
            self._problem(f"{path}: empty file skipped")
            return None
        return data

    def _read_text(self, path: Path) -> str | None:
        data = self._read_bytes(path)
        if data is None:
            return None
        content = self._decode(data, str(path), fallback="latin-1" if path.suffix.lower() == ".sgm" else None)
        if content is not None and not content.strip():
            self._problem(f"{path}: empty file skipped")
            return None
        return content

    def _decode(self, data: bytes, where: str, fallback: str | None = None) -> str | None:
        encoding = self.options.encoding
        if encoding is None and b"\x00" in data:
            self._problem(f"{where}: binary file skipped")
            return None
        try:
            content = data.decode(encoding or "utf-8-sig")
        except UnicodeDecodeError as exc:
            if encoding is None and fallback is not None:
                self._problem(f"{where}: not UTF-8 text (invalid byte at offset {exc.start}); "
                              f"read as {fallback} (name the encoding with --encoding)")
                content = data.decode(fallback)
            else:
                label = encoding or "UTF-8"
                hint = "" if encoding else "; name its encoding with --encoding"
                self._problem(f"{where}: not {label} text (invalid byte at offset {exc.start}), "
                              f"skipped{hint}")
                return None
        return content.replace("\r\n", "\n").replace("\r", "\n")

    # -- validation ---------------------------------------------------------------------
    def _validated(self, draft: Draft) -> Document | None:
        """The draft as a Document, or None after one line naming why it was skipped."""
        doc_id = draft.id.strip()
        if len(doc_id) > MAX_DOCUMENT_ID_CHARS:
            self._problem(f"{draft.where}: document id of {len(doc_id)} characters "
                          f"({_safe(doc_id[:40])!r}...) is longer than {MAX_DOCUMENT_ID_CHARS}, skipped")
            return None
        if len(draft.text) > MAX_DOCUMENT_CHARS:
            self._problem(f"{draft.where}: document {_safe(doc_id)!r} has {len(draft.text):,} characters, "
                          f"more than the {MAX_DOCUMENT_CHARS:,} eventkg reads, skipped")
            return None
        if draft.published is not None and not in_range(draft.published):
            self._problem(f"{draft.where}: document {_safe(doc_id)!r} dated {draft.published.isoformat()}, "
                          f"outside {EARLIEST_PUBLISHED.isoformat()}..{LATEST_PUBLISHED.isoformat()}, skipped")
            return None
        fields = [doc_id, draft.text, draft.title, draft.url, draft.source]
        bad = sum(len(_SURROGATE.findall(value)) for value in fields)
        if bad:
            fields = [_SURROGATE.sub("\ufffd", value) for value in fields]
            self._problem(f"{draft.where}: {bad} invalid Unicode character{'s' if bad > 1 else ''} "
                          f"(lone surrogates) in document {fields[0]!r} replaced by U+FFFD")
        doc_id, text, title, url, source = fields
        if not doc_id.strip():
            self._problem(f"{draft.where}: document without an id, skipped")
            return None
        dateline = parse_dateline(text)
        published = draft.published if draft.published is not None else dateline_date(dateline)
        return Document(id=doc_id, text=text, published=published, title=title, url=url,
                        source=source, dateline=dateline.text if dateline else "")

    def _unique(self, document: Document) -> Document | None:
        fingerprint = document.content_hash
        if document.id not in self._seen:
            self._seen[document.id] = fingerprint
            return document
        if self._seen[document.id] == fingerprint:
            self._problem(f"document id {document.id!r}: same article read twice, second copy skipped")
            return None
        suffix = 2
        while f"{document.id}-{suffix}" in self._seen:
            suffix += 1
        new_id = f"{document.id}-{suffix}"
        self._problem(f"document id {document.id!r} already used by another article, "
                      f"renamed {new_id!r}")
        self._seen[new_id] = fingerprint
        return Document(new_id, document.text, document.published, document.title,
                        document.url, document.source, document.dateline)


# -- what a directory walk leaves out --------------------------------------------------
def _skip_reason(path: Path) -> str | None:
    suffix = path.suffix.lower()
    if _DOCUMENTATION.match(path.name):
        return "documentation"
    if suffix not in SUFFIXES:
        return f"{suffix or 'no suffix'}: not an article format"
    return None


_WORD = re.compile(r"[\"'(\[]*[^\W\d_][^\W_]*(?:['\u2019-][^\W_]+)*[\"')\].,;:!?]*")


def _not_an_article(content: str) -> str | None:
    """Why a `.txt` file found in a directory is not an article (a word list, data)."""
    lines = [line for line in content[:50_000].split("\n") if line.strip()]
    if len(lines) >= 3:
        short = sum(len(line.split()) <= 3 for line in lines)
        ended = sum(line.rstrip()[-1:] in ".!?\"\u201d" for line in lines)
        if short >= 0.9 * len(lines) and ended <= 0.1 * len(lines):
            return "a word list, not an article"
    tokens = content[:50_000].split()
    if len(tokens) >= 50 and sum(bool(_WORD.fullmatch(t)) for t in tokens) < 0.5 * len(tokens):
        return "structured data, not prose"
    return None


def _listing(skipped: list[tuple[str, str]], limit: int = 12) -> str:
    shown = [f"{name} ({why})" for name, why in skipped[:limit]]
    if len(skipped) > limit:
        shown.append(f"and {len(skipped) - limit} more")
    return ", ".join(shown)


def _safe(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text)


def read_documents(paths: Iterable[str], published: date | None = None,
                   on_problem: ProblemHandler | None = None, *,
                   options: ReaderOptions | None = None,
                   on_notice: Callable[[str], None] | None = None,
                   stdin: TextIO | None = None) -> DocumentReader:
    """Documents from files, directories and `-` (stdin), as a counting iterator."""
    return DocumentReader(paths, published, on_problem, stdin, options=options, on_notice=on_notice)

"""Read articles (.txt, .jsonl, directories, stdin) into `Document` records.

Problems never stop a run: each one is reported through `on_problem` as one line that
names the input, and reading goes on with the rest. `DocumentReader` counts documents
and problems so a caller can fail only when nothing at all could be read.

Document ids are unique within one run. When a second input yields an id already
seen, it is skipped if its text and date are identical (the same article twice), and
otherwise renamed to the first free `<id>-2`, `<id>-3`, ... with a warning. Inputs are
read in the order given (directories in sorted order), so the renaming is deterministic.
"""
from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator, TextIO

import dateparser

from extract.records import Document

__all__ = ["Dateline", "DocumentReader", "dateline_length", "parse_date", "parse_dateline",
           "read_documents"]

TEXT_SUFFIXES = (".txt",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")
STDIN = "-"

ProblemHandler = Callable[[str], None]

# --- dates --------------------------------------------------------------------------

_RELATIVE_WORDS = re.compile(r"\b(?:ago|yesterday|today|tomorrow|now|last|next|this)\b", re.I)
_FIXED_BASE = datetime(2000, 1, 1)  # never today: only complete dates are accepted


def parse_date(value: str) -> date | None:
    """An absolute calendar date from ISO or a common written form, else None.

    Relative phrases ("yesterday") and incomplete dates ("December") are refused, so
    the result never depends on the day the program runs.
    """
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        pass
    if not re.search(r"\d", value) or _RELATIVE_WORDS.search(value):
        return None
    parsed = dateparser.parse(value, settings={
        "RELATIVE_BASE": _FIXED_BASE, "REQUIRE_PARTS": ["day", "month", "year"],
        "RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first"})
    return parsed.date() if parsed else None


# --- datelines ----------------------------------------------------------------------

_PLACE_WORD = r"[A-Z][A-Za-z.'\u2019-]*"
_CAPS_WORD = r"[A-Z][A-Z.'\u2019-]+"
_MONTH = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?")
_WIRE_DATELINE = re.compile(
    rf"(?P<place>{_CAPS_WORD}(?:[ /]{_CAPS_WORD}){{0,3}}(?:,\s*{_PLACE_WORD}(?:\s{_PLACE_WORD})?)?)"
    rf"(?:,\s*(?P<date>{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?))?"
    r"(?:\s*\((?P<agency>[A-Za-z][\w .&'-]{0,40})\))?"
    r"\s*(?:-{1,2}|\u2013|\u2014)(?=\s)")
_TITLED_DATELINE = re.compile(
    rf"(?P<place>{_PLACE_WORD}(?:\s{_PLACE_WORD}){{0,2}}(?:,\s*{_PLACE_WORD})?)"
    rf"(?:,\s*(?P<date>{_MONTH}\s+\d{{1,2}}(?:,?\s+\d{{4}})?))?"
    r"(?:\s*\((?P<agency>[A-Za-z][\w .&'-]{0,40})\))?"
    r"\s*(?P<mark>:|-{1,2}|\u2013|\u2014)(?=\s)")
# Labels that open an article like a dateline but name no place.
_NOT_PLACES = frozenset({
    "update", "updated", "analysis", "exclusive", "opinion", "editorial", "breaking",
    "factbox", "explainer", "note", "correction", "watch", "live", "photos", "video",
    "comment", "interview", "summary", "background", "q&a", "fact check", "editor's note",
})


@dataclass(frozen=True)
class Dateline:
    """A wire dateline at the start of an article body ("MOSCOW, Dec 7 (Reuters) -")."""

    text: str          # the dateline as written, without the whitespace after it
    place: str
    date_text: str     # "Dec 7" or "" when the dateline carries no date
    agency: str
    length: int        # characters to skip, including the whitespace after it


def parse_dateline(text: str) -> Dateline | None:
    """The wire dateline that opens `text`, or None.

    All-caps places take a dash ("WASHINGTON -", "BEIJING (AP) -"); a place in title
    case needs a colon ("Moscow:") or a date or agency before its dash.
    """
    head = text[:200]
    match = _WIRE_DATELINE.match(head)
    if match is None:
        match = _TITLED_DATELINE.match(head)
        if match is None or not _titled_is_dateline(match):
            return None
    end = match.end()
    while end < len(text) and text[end].isspace():
        end += 1
    return Dateline(match.group(0), match.group("place"), match.group("date") or "",
                    match.group("agency") or "", end)


def _titled_is_dateline(match: re.Match) -> bool:
    if match.group("place").lower() in _NOT_PLACES:
        return False
    return match.group("mark") == ":" or bool(match.group("date") or match.group("agency"))


def dateline_length(text: str) -> int:
    """How many leading characters of `text` are a dateline (0 when there is none)."""
    dateline = parse_dateline(text)
    return dateline.length if dateline else 0


def _dateline_date(dateline: Dateline | None) -> date | None:
    """The dateline's date, only when it states its year."""
    if dateline is None or not re.search(r"\d{4}", dateline.date_text):
        return None
    return parse_date(dateline.date_text)


# --- .txt header --------------------------------------------------------------------

_HEADER_KEYS = ("title", "published", "date", "url", "source")
_HEADER_LINE = re.compile(r"(?P<key>[A-Za-z][A-Za-z_-]{0,24})[ \t]*:[ \t]*(?P<value>.*)")
_HEADER_MAX_LINES = 12


def _split_header(content: str) -> tuple[dict[str, str], str]:
    """Header fields (lower-case keys) and the body after the blank line that ends them.

    Top lines count as a header only when each is a `Key: value` line, at least one key
    is Title, Published, Date, URL or Source, and a blank line ends them; otherwise the
    whole content is the body. Other keys (Author, Tags) are tolerated and ignored.
    """
    fields: dict[str, str] = {}
    position = 0
    for _ in range(_HEADER_MAX_LINES + 1):
        newline = content.find("\n", position)
        if newline < 0:
            break
        line = content[position:newline].strip()
        if not line:
            if any(key in fields for key in _HEADER_KEYS):
                return fields, _strip_blank_lines(content[newline + 1:])
            break
        match = _HEADER_LINE.fullmatch(line) if len(line) < 2000 else None
        if match is None:
            break
        fields.setdefault(match.group("key").lower(), match.group("value").strip())
        position = newline + 1
    return {}, _strip_blank_lines(content)


def _strip_blank_lines(text: str) -> str:
    """Drop whole blank lines at the start (the body's first character stays put)."""
    while True:
        newline = text.find("\n")
        if newline < 0 or text[:newline].strip():
            return text
        text = text[newline + 1:]


# --- the reader ---------------------------------------------------------------------


class DocumentReader:
    """Iterate documents from paths; count what was read and what went wrong.

    `published` is the date for documents that carry none. Problems go to
    `on_problem` (one line each) and are counted in `problems`. A reader is a
    single-pass iterator; the counts grow as documents are drawn from it.
    """

    def __init__(self, paths: Iterable[str], published: date | None = None,
                 on_problem: ProblemHandler | None = None, stdin: TextIO | None = None) -> None:
        self.paths = list(paths)
        self.published = published
        self.documents_read = 0
        self.problems = 0
        self.problem_messages: list[str] = []
        self._on_problem = on_problem
        self._stdin = stdin
        self._seen: dict[str, str] = {}
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

    def _generate(self) -> Iterator[Document]:
        for raw in self.paths:
            for document in self._from_argument(raw):
                document = self._unique(document)
                if document is not None:
                    self.documents_read += 1
                    yield document

    def _from_argument(self, raw: str) -> Iterator[Document]:
        if raw == STDIN:
            stream = self._stdin or sys.stdin
            # Bytes when possible, so one badly encoded line does not end the run.
            yield from self._from_jsonl_lines(getattr(stream, "buffer", stream), "<stdin>")
            return
        path = Path(raw)
        if path.is_dir():
            files = _files_below(path)
            if not files:
                self._problem(f"{raw}: no .txt or .jsonl files in this directory")
            for file in files:
                yield from self._from_file(file)
        elif path.exists():
            yield from self._from_file(path)
        else:
            self._problem(f"{raw}: no such file or directory")

    def _from_file(self, path: Path) -> Iterator[Document]:
        content = self._read_text(path)
        if content is None:
            return
        if path.suffix.lower() in JSONL_SUFFIXES:
            yield from self._from_jsonl_lines(content.splitlines(), str(path))
        else:
            document = self._from_txt(path, content)
            if document is not None:
                yield document

    def _read_text(self, path: Path) -> str | None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            self._problem(f"{path}: cannot be read ({exc.strerror or exc})")
            return None
        if b"\x00" in data:
            self._problem(f"{path}: binary file skipped")
            return None
        try:
            content = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self._problem(f"{path}: not UTF-8 text (invalid byte at offset {exc.start}), skipped")
            return None
        if not content.strip():
            self._problem(f"{path}: empty file skipped")
            return None
        return content.replace("\r\n", "\n").replace("\r", "\n")

    def _from_txt(self, path: Path, content: str) -> Document | None:
        fields, body = _split_header(content)
        if not body.strip():
            self._problem(f"{path}: header without article text, skipped")
            return None
        published = self.published
        date_text = fields.get("published") or fields.get("date")
        if date_text:
            header_date = parse_date(date_text)
            if header_date is None:
                self._problem(f"{path}: unreadable date {date_text!r} in header, using "
                              f"{self.published or 'none'}")
            else:
                published = header_date
        return self._document(path.stem, body, published,
                              title=fields.get("title", ""), url=fields.get("url", ""),
                              source=fields.get("source", ""))

    def _from_jsonl_lines(self, lines: Iterable[str | bytes], name: str) -> Iterator[Document]:
        for number, line in enumerate(lines, start=1):
            if isinstance(line, bytes):
                try:
                    line = line.decode("utf-8-sig" if number == 1 else "utf-8")
                except UnicodeDecodeError:
                    self._problem(f"{name}:{number}: not UTF-8 text, line skipped")
                    continue
            if not line.strip():
                continue
            document = self._from_record(line, f"{name}:{number}")
            if document is not None:
                yield document

    def _from_record(self, line: str, where: str) -> Document | None:
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            self._problem(f"{where}: malformed JSON ({exc.msg}), line skipped")
            return None
        if not isinstance(record, dict):
            self._problem(f"{where}: expected a JSON object, line skipped")
            return None
        doc_id, text = record.get("id"), record.get("text")
        if isinstance(doc_id, int) and not isinstance(doc_id, bool):
            doc_id = str(doc_id)
        if not isinstance(doc_id, str) or not doc_id.strip():
            self._problem(f"{where}: record without an \"id\" string, skipped")
            return None
        if not isinstance(text, str) or not text.strip():
            self._problem(f"{where}: record {doc_id!r} without \"text\", skipped")
            return None
        published = self.published
        raw_date = record.get("published")
        if raw_date not in (None, ""):
            record_date = parse_date(raw_date) if isinstance(raw_date, str) else None
            if record_date is None:
                self._problem(f"{where}: invalid published date {raw_date!r} in record "
                              f"{doc_id!r}, using {self.published or 'none'}")
            else:
                published = record_date
        return self._document(doc_id.strip(), text, published,
                              title=_string(record.get("title")), url=_string(record.get("url")),
                              source=_string(record.get("source")))

    def _document(self, doc_id: str, text: str, published: date | None,
                  title: str, url: str, source: str) -> Document:
        """Build the record; a dated dateline supplies the date only when nothing else did."""
        dateline = parse_dateline(text)
        if published is None:
            published = _dateline_date(dateline)
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


def _files_below(directory: Path) -> list[Path]:
    suffixes = TEXT_SUFFIXES + JSONL_SUFFIXES
    return sorted(path for path in directory.rglob("*")
                  if path.suffix.lower() in suffixes and path.is_file()
                  and not any(part.startswith(".") for part in path.relative_to(directory).parts))


def _string(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def read_documents(paths: Iterable[str], published: date | None = None,
                   on_problem: ProblemHandler | None = None) -> DocumentReader:
    """Documents from files, directories and `-` (stdin JSONL), as a counting iterator."""
    return DocumentReader(paths, published, on_problem)

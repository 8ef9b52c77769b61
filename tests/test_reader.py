"""Reading articles: headers, datelines, JSONL, directories, stdin and every bad input."""
from __future__ import annotations

import io
import json
import sys
import time
from datetime import date

import pytest

from extract.reader import (DocumentReader, dateline_length, parse_date, parse_dateline,
                            read_documents)

PUBLISHED = date(2025, 12, 8)


def read(paths, published=None):
    problems: list[str] = []
    reader = read_documents([str(p) for p in paths], published, problems.append)
    documents = list(reader)
    return documents, problems, reader


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


# --- .txt headers -------------------------------------------------------------------


def test_header_fields_are_read_and_removed_from_the_text(tmp_path):
    path = write(tmp_path / "drills.txt",
                 "Title: Joint drills\nPublished: 2025-12-08\nURL: https://example.org/a\n"
                 "Source: Wire\n\nChina and Russia held drills.\n")
    (doc,), problems, _ = read([path])
    assert (doc.id, doc.title, doc.url, doc.source) == ("drills", "Joint drills", "https://example.org/a", "Wire")
    assert doc.published == PUBLISHED
    assert doc.text == "China and Russia held drills.\n"
    assert problems == []


def test_other_header_keys_are_tolerated(tmp_path):
    path = write(tmp_path / "a.txt", "Title: Drills\nAuthor: A. Writer\nDate: 2025-12-08\n\nText.\n")
    (doc,), problems, _ = read([path])
    assert (doc.title, doc.published, doc.text) == ("Drills", PUBLISHED, "Text.\n")
    assert problems == []


@pytest.mark.parametrize("header, expected", [
    ("Published: 2025-12-08", PUBLISHED),
    ("published: December 8, 2025", PUBLISHED),
    ("DATE: 8 Dec 2025", PUBLISHED),
    ("Date: Mon, 08 Dec 2025 10:00:00 +0000", PUBLISHED),
    ("Date: 2025-12-08T10:00:00Z", PUBLISHED),
])
def test_header_dates_in_common_forms(tmp_path, header, expected):
    (doc,), _, _ = read([write(tmp_path / "a.txt", f"{header}\n\nText.\n")])
    assert doc.published == expected


def test_header_date_wins_over_the_command_line_date(tmp_path):
    (doc,), _, _ = read([write(tmp_path / "a.txt", "Published: 2024-01-02\n\nText.\n")], PUBLISHED)
    assert doc.published == date(2024, 1, 2)


def test_unreadable_header_date_warns_and_falls_back(tmp_path):
    (doc,), problems, _ = read([write(tmp_path / "a.txt", "Published: next Tuesday-ish\n\nText.\n")],
                               PUBLISHED)
    assert doc.published == PUBLISHED
    assert len(problems) == 1 and "a.txt" in problems[0] and "next Tuesday-ish" in problems[0]


@pytest.mark.parametrize("content", [
    "Moscow: China and Russia held drills.\n\nMore text.\n",
    "Note: this is not a header\nChina and Russia held drills.\n",
    "Title: looks like a header\nbut this line is not one\n\nText.\n",
])
def test_lines_that_are_not_a_header_stay_in_the_text(tmp_path, content):
    (doc,), _, _ = read([write(tmp_path / "a.txt", content)])
    assert doc.text == content
    assert doc.title == ""


def test_document_without_any_date_has_none(tmp_path):
    (doc,), problems, _ = read([write(tmp_path / "a.txt", "China and Russia held drills.\n")])
    assert doc.published is None and problems == []


def test_command_line_date_is_used_when_the_document_has_none(tmp_path):
    (doc,), _, _ = read([write(tmp_path / "a.txt", "China and Russia held drills.\n")], PUBLISHED)
    assert doc.published == PUBLISHED


# --- datelines ----------------------------------------------------------------------


@pytest.mark.parametrize("body, dateline", [
    ("Moscow: China and Russia held drills.", "Moscow:"),
    ("MOSCOW, Dec 7 (Reuters) - China and Russia held drills.", "MOSCOW, Dec 7 (Reuters) -"),
    ("BEIJING (AP) \u2014 China and Russia held drills.", "BEIJING (AP) \u2014"),
    ("TOKYO, Dec. 7 - Japan protested.", "TOKYO, Dec. 7 -"),
    ("WASHINGTON \u2014 The US responded.", "WASHINGTON \u2014"),
    ("KYIV, Ukraine (AP) \u2014 Strikes continued.", "KYIV, Ukraine (AP) \u2014"),
    ("NEW YORK/LONDON, Jan 5 (Reuters) - Markets fell.", "NEW YORK/LONDON, Jan 5 (Reuters) -"),
])
def test_dateline_is_recorded_and_the_text_kept_whole(tmp_path, body, dateline):
    (doc,), _, _ = read([write(tmp_path / "a.txt", body)])
    assert doc.dateline == dateline
    assert doc.text == body
    skip = dateline_length(doc.text)
    assert doc.text[:skip].rstrip() == dateline
    assert not doc.text[skip].isspace()


@pytest.mark.parametrize("body", [
    "China and Russia held drills on Sunday.",
    "Analysis: the drills send a message.",
    "The US - and its allies - responded.",
    "Xi Jinping met Vladimir Putin.",
])
def test_no_dateline(body):
    assert parse_dateline(body) is None
    assert dateline_length(body) == 0


def test_dateline_parts():
    dateline = parse_dateline("MOSCOW, Dec 7 (Reuters) -  China and Russia held drills.")
    assert (dateline.place, dateline.date_text, dateline.agency) == ("MOSCOW", "Dec 7", "Reuters")
    assert dateline.length == len("MOSCOW, Dec 7 (Reuters) -  ")


def test_dateline_date_with_a_year_dates_an_undated_document(tmp_path):
    (doc,), _, _ = read([write(tmp_path / "a.txt", "MOSCOW, Dec 7, 2025 (Reuters) - Drills began.")])
    assert doc.published == date(2025, 12, 7)


def test_dateline_date_without_a_year_is_ignored(tmp_path):
    (doc,), _, _ = read([write(tmp_path / "a.txt", "MOSCOW, Dec 7 (Reuters) - Drills began.")])
    assert doc.published is None


def test_dateline_date_never_overrides_a_known_date(tmp_path):
    (doc,), _, _ = read([write(tmp_path / "a.txt", "MOSCOW, Dec 7, 2025 (Reuters) - Drills began.")],
                        date(2025, 12, 9))
    assert doc.published == date(2025, 12, 9)


@pytest.mark.shared
def test_seed_article_dateline(shared_dir):
    (doc,), problems, _ = read([shared_dir / "seed" / "article.txt"])
    assert doc.id == "article"
    assert doc.dateline == "Moscow:"
    assert doc.text == (shared_dir / "seed" / "article.txt").read_text(encoding="utf-8")
    assert problems == []


# --- JSONL, directories, stdin ------------------------------------------------------


def jsonl(*records) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def test_jsonl_records(tmp_path):
    path = write(tmp_path / "news.jsonl", jsonl(
        {"id": "a1", "text": "China and Russia held drills.", "published": "2025-12-08",
         "title": "Drills", "url": "https://example.org/a1", "source": "Wire"},
        {"id": "a2", "text": "MOSCOW (Reuters) - Talks began."},
    ))
    (first, second), problems, reader = read([path])
    assert (first.id, first.published, first.title, first.url, first.source) == (
        "a1", PUBLISHED, "Drills", "https://example.org/a1", "Wire")
    assert (second.id, second.published, second.dateline) == ("a2", None, "MOSCOW (Reuters) -")
    assert problems == [] and reader.documents_read == 2 and reader.problems == 0


def test_malformed_jsonl_line_is_named_and_the_rest_read(tmp_path):
    path = write(tmp_path / "news.jsonl", jsonl(
        {"id": "a1", "text": "One."}, '{"id": "broken", "text": ', "[1, 2]",
        {"text": "no id"}, {"id": "no-text"}, {"id": "a2", "text": "Two."},
    ))
    documents, problems, reader = read([path])
    assert [d.id for d in documents] == ["a1", "a2"]
    assert [p.split(": ")[0] for p in problems] == [f"{path}:{n}" for n in (2, 3, 4, 5)]
    assert reader.problems == 4


def test_invalid_published_in_a_record_warns_and_falls_back(tmp_path):
    path = write(tmp_path / "news.jsonl", jsonl({"id": "a1", "text": "One.", "published": "2025-13-45"}))
    (doc,), problems, _ = read([path], PUBLISHED)
    assert doc.published == PUBLISHED
    assert len(problems) == 1 and "2025-13-45" in problems[0] and f"{path}:1" in problems[0]


def test_directory_is_read_recursively_in_sorted_order(tmp_path):
    write(tmp_path / "b.txt", "Bee.")
    (tmp_path / "a").mkdir()
    write(tmp_path / "a" / "z.txt", "Zed.")
    write(tmp_path / "a" / "m.jsonl", jsonl({"id": "m1", "text": "Em."}))
    write(tmp_path / "notes.md", "not an article")
    documents, problems, _ = read([tmp_path])
    assert [d.id for d in documents] == ["m1", "z", "b"]
    assert problems == []


def test_stdin_is_read_as_jsonl(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(jsonl({"id": "s1", "text": "From stdin."}, "oops")))
    (doc,), problems, _ = read(["-"])
    assert doc.id == "s1" and doc.text == "From stdin."
    assert problems and problems[0].startswith("<stdin>:2:")


def test_stdin_line_that_is_not_utf8_is_skipped(monkeypatch):
    data = b'{"id": "s1", "text": "caf\xe9"}\n' + jsonl({"id": "s2", "text": "Fine."}).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    (doc,), problems, _ = read(["-"])
    assert doc.id == "s2"
    assert problems == ["<stdin>:1: not UTF-8 text, line skipped"]


def test_same_id_twice_is_renamed_or_skipped(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    (tmp_path / "z").mkdir()
    write(tmp_path / "x" / "story.txt", "First story.")
    write(tmp_path / "y" / "story.txt", "Another story.")
    write(tmp_path / "z" / "story.txt", "First story.")
    documents, problems, _ = read([tmp_path])
    assert [(d.id, d.text) for d in documents] == [("story", "First story."), ("story-2", "Another story.")]
    assert len(problems) == 2


# --- bad inputs ---------------------------------------------------------------------


def test_missing_path_is_reported_and_the_rest_read(tmp_path):
    good = write(tmp_path / "good.txt", "Text.")
    documents, problems, reader = read([tmp_path / "missing.txt", good])
    assert [d.id for d in documents] == ["good"]
    assert problems == [f"{tmp_path / 'missing.txt'}: no such file or directory"]
    assert (reader.documents_read, reader.problems) == (1, 1)


def test_binary_and_non_utf8_files_are_named_and_skipped(tmp_path):
    write(tmp_path / "a_good.txt", "Good text.")
    (tmp_path / "b_binary.txt").write_bytes(b"\x89PNG\x00\x00\x01binary")
    (tmp_path / "c_latin1.txt").write_bytes("Caf\u00e9 in Moscow.".encode("latin-1"))
    write(tmp_path / "d_good.txt", "More good text.")
    documents, problems, reader = read([tmp_path])
    assert [d.id for d in documents] == ["a_good", "d_good"]
    assert len(problems) == 2
    assert "b_binary.txt" in problems[0] and "binary" in problems[0]
    assert "c_latin1.txt" in problems[1] and "UTF-8" in problems[1]
    assert reader.problems == 2


def test_unreadable_file_is_named_and_the_rest_read(tmp_path, monkeypatch):
    locked = write(tmp_path / "locked.txt", "Secret.")
    good = write(tmp_path / "good.txt", "Text.")
    real_read_bytes = type(locked).read_bytes

    def read_bytes(path):
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_read_bytes(path)

    monkeypatch.setattr(type(locked), "read_bytes", read_bytes)
    documents, problems, _ = read([locked, good])
    assert [d.id for d in documents] == ["good"]
    assert problems == [f"{locked}: cannot be read (Permission denied)"]


@pytest.mark.parametrize("content", ["", "  \n\n\t\n"])
def test_empty_file_is_skipped_with_a_message(tmp_path, content):
    documents, problems, reader = read([write(tmp_path / "empty.txt", content)])
    assert documents == [] and reader.documents_read == 0
    assert len(problems) == 1 and "empty" in problems[0]


def test_empty_directory_is_reported(tmp_path):
    documents, problems, _ = read([tmp_path])
    assert documents == [] and len(problems) == 1


def test_a_five_megabyte_single_line_file_is_read_quickly(tmp_path):
    line = "China and Russia held joint drills on Sunday near the border. " * 82_000
    path = write(tmp_path / "huge.txt", line)
    began = time.perf_counter()
    (doc,), problems, _ = read([path])
    assert time.perf_counter() - began < 2.0
    assert len(doc.text) == len(line) >= 5_000_000
    assert problems == []


def test_reader_counts_are_visible_while_iterating(tmp_path):
    write(tmp_path / "a.txt", "One.")
    write(tmp_path / "b.txt", "")
    reader = DocumentReader([str(tmp_path)], None)
    assert (reader.documents_read, reader.problems) == (0, 0)
    assert [d.id for d in reader] == ["a"]
    assert (reader.documents_read, reader.problems) == (1, 1)
    assert len(reader.problem_messages) == 1


@pytest.mark.parametrize("value, expected", [
    ("2025-12-08", PUBLISHED), ("8 December 2025", PUBLISHED), ("12/08/2025", PUBLISHED),
    ("yesterday", None), ("December", None), ("2025", None), ("not a date", None), ("", None),
])
def test_parse_date_accepts_only_complete_absolute_dates(value, expected):
    assert parse_date(value) == expected

"""Validation at the reader: bad Unicode, absurd dates, over-long ids and oversized texts are
named, one line each, and the rest of the run goes on. Content hashes, time resolution and
JSON lines hold up for any such input."""
from __future__ import annotations

import json
from datetime import date

import pytest

from extract.reader import MAX_DOCUMENT_CHARS, ReaderError, check_published, read_documents
from extract.records import MAX_DOCUMENT_ID_CHARS, Action, Actor, Document, Event, TimeSpan, json_line
from extract.timex import find_times, resolve_time

GOOD = {"id": "good", "text": "China and Russia held joint military drills on Sunday.", "published": "2025-12-08"}


def read_jsonl(tmp_path, *records, published=None):
    path = tmp_path / "news.jsonl"
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records),
                    encoding="utf-8")
    problems: list[str] = []
    documents = list(read_documents([str(path)], published, problems.append))
    return documents, problems


def test_lone_surrogate_is_replaced_and_named_and_the_rest_read(tmp_path):
    bad = '{"id": "bad", "text": "China and Russia held joint military drills on Sunday \\ud800."}'
    documents, problems = read_jsonl(tmp_path, bad, GOOD)
    assert [d.id for d in documents] == ["bad", "good"]
    assert documents[0].text == "China and Russia held joint military drills on Sunday \ufffd."
    assert len(problems) == 1 and "news.jsonl:1" in problems[0] and "surrogate" in problems[0]
    for document in documents:
        assert len(document.content_hash) == 40


def test_surrogates_in_id_and_title_are_replaced_too(tmp_path):
    bad = '{"id": "x\\udfff", "text": "Text.", "title": "T\\ud83d"}'
    (doc,), problems = read_jsonl(tmp_path, bad)
    assert (doc.id, doc.title) == ("x\ufffd", "T\ufffd")
    assert len(problems) == 1 and "2 invalid Unicode characters" in problems[0]


@pytest.mark.parametrize("published", ["0001-01-01", "9999-12-31", "9999-12-30", "1799-12-31", "2201-01-01"])
def test_publication_date_outside_1800_2200_skips_the_document_by_name(tmp_path, published):
    documents, problems = read_jsonl(tmp_path, {"id": "old", "text": "Text.", "published": published}, GOOD)
    assert [d.id for d in documents] == ["good"]
    assert len(problems) == 1 and "'old'" in problems[0] and published in problems[0]
    assert "skipped" in problems[0]


@pytest.mark.parametrize("published", ["1800-01-01", "2200-12-31"])
def test_the_ends_of_the_range_are_accepted(tmp_path, published):
    (doc,), problems = read_jsonl(tmp_path, {"id": "edge", "text": "Text.", "published": published})
    assert doc.published == date.fromisoformat(published) and problems == []


def test_out_of_range_header_date_in_a_txt_file_is_named(tmp_path):
    (tmp_path / "a.txt").write_text("Published: 0001-01-01\n\nChina and Russia held drills.\n")
    problems: list[str] = []
    assert list(read_documents([str(tmp_path / "a.txt")], None, problems.append)) == []
    assert len(problems) == 1 and "a.txt" in problems[0]


def test_out_of_range_dateline_year_is_ignored_not_used(tmp_path):
    (tmp_path / "a.txt").write_text("MOSCOW, Dec 7, 9999 (Reuters) - Drills began.")
    problems: list[str] = []
    (doc,) = read_documents([str(tmp_path / "a.txt")], None, problems.append)
    assert doc.published is None and problems == []


def test_command_line_date_outside_the_range_is_refused():
    assert check_published(date(2025, 1, 1)) == date(2025, 1, 1)
    assert check_published(None) is None
    with pytest.raises(ReaderError, match="--published 0001-01-01 is outside"):
        check_published(date(1, 1, 1))


def test_over_long_id_is_skipped_by_name(tmp_path):
    long_id = "x" * (MAX_DOCUMENT_ID_CHARS + 1)
    documents, problems = read_jsonl(tmp_path, {"id": long_id, "text": "Text."}, GOOD,
                                     {"id": "y" * MAX_DOCUMENT_ID_CHARS, "text": "At the limit."})
    assert [d.id for d in documents] == ["good", "y" * MAX_DOCUMENT_ID_CHARS]
    assert len(problems) == 1 and f"{MAX_DOCUMENT_ID_CHARS + 1} characters" in problems[0]
    assert len(problems[0]) < 300  # the message does not repeat the whole id


def test_oversized_document_is_skipped_by_name(tmp_path):
    huge = "a" * (MAX_DOCUMENT_CHARS + 1)
    documents, problems = read_jsonl(tmp_path, {"id": "huge", "text": huge}, GOOD)
    assert [d.id for d in documents] == ["good"]
    assert len(problems) == 1 and "'huge'" in problems[0] and f"{MAX_DOCUMENT_CHARS:,}" in problems[0]


def test_deeply_nested_json_is_one_line(tmp_path):
    documents, problems = read_jsonl(tmp_path, "[" * 100_000 + "]" * 100_000, GOOD)
    assert [d.id for d in documents] == ["good"] and len(problems) == 1


@pytest.mark.parametrize("text", ["\ud800", "a\udfffb", "\x00\x01", "\U0010ffff", ""])
def test_content_hash_never_raises(text):
    digest = Document("d", text, date(1, 1, 1), title=text).content_hash
    assert len(digest) == 40 and digest != Document("d", text + "!").content_hash


def test_content_hash_of_ordinary_text_is_unchanged():
    import hashlib

    document = Document("d", "Drills.", date(2025, 12, 8), title="T")
    assert document.content_hash == hashlib.sha1("Drills.\x002025-12-08\x00T".encode()).hexdigest()


# --- calendar edges in time resolution -----------------------------------------------

PHRASES = ["on Sunday", "last week", "next week", "next month", "three days ago", "in the coming weeks",
           "next year", "this weekend", "in recent years", "tomorrow", "yesterday", "next quarter",
           "since last year", "by next month", "after next week", "the next decade", "next winter"]


@pytest.mark.parametrize("published", [date(1, 1, 1), date(1, 1, 2), date(9999, 12, 30), date(9999, 12, 31)])
@pytest.mark.parametrize("future", [False, True])
def test_time_resolution_never_overflows_at_the_ends_of_the_calendar(published, future):
    for phrase in PHRASES:
        span = resolve_time(phrase, published, future)
        assert span is not None and span.text == phrase
        for value in (span.start, span.end):
            assert value is None or date.fromisoformat(value)
        find_times(f"China and Russia held drills {phrase}.", published, future)


def test_an_ordinary_date_still_resolves_as_before():
    assert resolve_time("last week", date(2025, 12, 8)).start == "2025-12-01"
    assert resolve_time("next week", date(9999, 12, 31)).start is None  # past the calendar


# --- JSON lines ------------------------------------------------------------------------

LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def test_every_character_splitlines_splits_on_is_escaped():
    assert all(len(f"a{c}b".splitlines()) == 2 for c in LINE_BREAKS)  # the list is complete
    value = {"sentence": f"China{LINE_BREAKS}Russia \ud800 caf\u00e9"}
    line = json_line(value)
    assert line.splitlines() == [line]
    assert json.loads(line) == value
    assert "caf\u00e9" in line  # ordinary letters stay readable
    line.encode("utf-8")  # and it is always valid UTF-8


def test_event_records_are_one_line_each():
    actor = Actor("CHN", "China", mention="China")
    event = Event("d\u2028", 0, f"China{LINE_BREAKS}held drills.", (0, 5), (actor,), (),
                  Action("drill", "held drills", "COOPERATE", "military", "062", ("exercise",)),
                  TimeSpan(None, None, None))
    line = event.to_json()
    assert line.splitlines() == [line]
    assert Event.from_dict(json.loads(line)) == event

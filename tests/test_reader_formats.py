"""Input formats beyond .txt and .jsonl: HTML, CSV/TSV, Reuters SGML, stdin text, encodings,
and what a directory run skips. Formats that carry the same article give the same events."""
from __future__ import annotations

import csv
import io
import sys
from datetime import date

import pytest

from extract.reader import ReaderError, ReaderOptions, check_inputs, read_documents

ARTICLES = {
    "navies": ("Navies drill in the Sea of Japan", "2025-12-08", [
        "China and Russia held joint naval drills in the Sea of Japan on Sunday.",
        "Japan protested the exercise on Monday and summoned the Russian ambassador.",
        "The two countries said the drills would continue next week.",
    ]),
    "pact": ("A defence pact", "2024-03-15", [
        "India and France signed a defence agreement in New Delhi on Friday.",
        "Pakistan criticised the deal.",
    ]),
}


def read(paths, published=None, **options):
    problems: list[str] = []
    notices: list[str] = []
    reader = read_documents([str(p) for p in paths], published, problems.append,
                            options=ReaderOptions(**options), on_notice=notices.append)
    return list(reader), problems, notices


def write_txt(folder, name):
    title, published, paragraphs = ARTICLES[name]
    path = folder / f"{name}.txt"
    path.write_text(f"Title: {title}\nPublished: {published}\n\n" + "\n\n".join(paragraphs) + "\n",
                    encoding="utf-8")
    return path


def page(title: str, published: str | None, paragraphs: list[str]) -> str:
    meta = f'<meta property="article:published_time" content="{published}T08:30:00Z">' if published else ""
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | Example Wire'
            f'</title><meta property="og:title" content="{title}">{meta}</head><body>'
            f'<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>'
            f'<article><h1>{title}</h1>\n{body}</article>'
            f'<footer>Copyright Example Wire. All rights reserved.</footer></body></html>')


def events_of(extractor, documents):
    return [event.to_json() for _, found in extractor.extract(documents) for event in found]


# --- HTML ----------------------------------------------------------------------------


def test_html_page_gives_main_text_title_and_date(tmp_path):
    title, published, paragraphs = ARTICLES["navies"]
    (tmp_path / "navies.html").write_text(page(title, published, paragraphs), encoding="utf-8")
    (doc,), problems, _ = read([tmp_path / "navies.html"])
    assert (doc.id, doc.title, doc.published) == ("navies", title, date(2025, 12, 8))
    assert doc.text == "\n\n".join(paragraphs)
    assert "Home" not in doc.text and "Copyright" not in doc.text
    assert problems == []


def test_html_page_without_a_date_takes_the_command_line_date(tmp_path):
    (tmp_path / "a.htm").write_text(page("Talks", None, ["Iran and Iraq held talks."]), encoding="utf-8")
    (doc,), _, _ = read([tmp_path / "a.htm"], date(2025, 1, 2))
    assert doc.published == date(2025, 1, 2) and doc.text == "Iran and Iraq held talks."


def test_html_page_without_article_text_is_named_and_skipped(tmp_path):
    (tmp_path / "empty.html").write_text("<html><head><title>x</title></head><body></body></html>")
    documents, problems, _ = read([tmp_path / "empty.html"])
    assert documents == [] and len(problems) == 1 and "empty.html" in problems[0]


@pytest.mark.model
def test_html_article_gives_the_same_events_as_the_txt(tmp_path, extractor):
    (tmp_path / "txt").mkdir()
    (tmp_path / "html").mkdir()
    for name, (title, published, paragraphs) in ARTICLES.items():
        write_txt(tmp_path / "txt", name)
        (tmp_path / "html" / f"{name}.html").write_text(page(title, published, paragraphs), encoding="utf-8")
    from_txt, _, _ = read([tmp_path / "txt"])
    from_html, problems, _ = read([tmp_path / "html"])
    assert problems == []
    assert [(d.id, d.title, d.published) for d in from_html] == [(d.id, d.title, d.published) for d in from_txt]
    events = events_of(extractor, from_txt)
    assert len(events) >= 4
    assert events_of(extractor, from_html) == events


# --- CSV / TSV -----------------------------------------------------------------------


def write_table(path, rows, delimiter=","):
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def article_rows(**names):
    columns = {"id": "id", "published": "published", "title": "title", "text": "text", **names}
    return [{columns["id"]: name, columns["published"]: published, columns["title"]: title,
             columns["text"]: "\n\n".join(paragraphs)}
            for name, (title, published, paragraphs) in ARTICLES.items()]


@pytest.mark.model
def test_csv_of_articles_gives_the_same_events_as_the_txt_files(tmp_path, extractor):
    paths = [write_txt(tmp_path, name) for name in ARTICLES]
    table = write_table(tmp_path / "articles.csv", article_rows())
    from_txt, _, _ = read(paths)
    from_csv, problems, _ = read([table])
    assert problems == []
    assert [(d.id, d.title, d.published) for d in from_csv] == [(d.id, d.title, d.published) for d in from_txt]
    assert events_of(extractor, from_csv) == events_of(extractor, from_txt)


def test_tsv_with_named_columns(tmp_path):
    rows = article_rows(id="story", published="date", title="headline", text="body")
    table = write_table(tmp_path / "articles.tsv", rows, delimiter="\t")
    documents, problems, _ = read([table], text_column="body", id_column="story",
                                  date_column="date", title_column="headline")
    assert [(d.id, d.published, d.title) for d in documents] == [
        ("navies", date(2025, 12, 8), "Navies drill in the Sea of Japan"),
        ("pact", date(2024, 3, 15), "A defence pact")]
    assert problems == []


def test_csv_without_the_text_column_names_the_columns_it_has(tmp_path):
    table = write_table(tmp_path / "a.csv", [{"id": "1", "body": "Text."}])
    documents, problems, _ = read([table])
    assert documents == []
    assert len(problems) == 1 and "'text'" in problems[0] and "'body'" in problems[0]
    assert "--text-column" in problems[0]


def test_csv_rows_without_id_are_numbered_and_empty_rows_named(tmp_path):
    table = write_table(tmp_path / "wire.csv", [{"text": "One."}, {"text": ""}, {"text": "Three."}])
    documents, problems, _ = read([table])
    assert [d.id for d in documents] == ["wire-1", "wire-3"]
    assert len(problems) == 1 and "wire.csv:3" in problems[0]


def test_csv_bad_date_falls_back_with_a_warning(tmp_path):
    table = write_table(tmp_path / "a.csv", [{"id": "x", "text": "Text.", "published": "soon"}])
    (doc,), problems, _ = read([table], date(2025, 1, 1))
    assert doc.published == date(2025, 1, 1)
    assert len(problems) == 1 and "'soon'" in problems[0]


# --- Reuters-21578 SGML ----------------------------------------------------------------

SGML = """<!DOCTYPE lewis SYSTEM "lewis.dtd">
<REUTERS TOPICS="YES" LEWISSPLIT="TRAIN" CGISPLIT="TRAINING-SET" OLDID="1" NEWID="7">
<DATE> 3-MAR-1987 09:15:00.00</DATE>
<TOPICS><D>trade</D></TOPICS>
<TEXT>&#2;
<TITLE>JAPAN AND CHINA &lt;HOLD&gt; TALKS</TITLE>
<DATELINE>    TOKYO, March 3 - </DATELINE><BODY>Japan and China held trade talks
in Tokyo on Tuesday, officials said.
    The two countries agreed to meet again
in April.
 Reuter
&#3;</BODY></TEXT>
</REUTERS>
<REUTERS TOPICS="NO" NEWID="8">
<DATE>4-MAR-1987 10:00:00.00</DATE>
<TEXT TYPE="BRIEF">&#2;
<TITLE>PAKISTAN SETS BOND AUCTION\xe9</TITLE>
&#3;
</TEXT>
</REUTERS>
"""


def test_reuters_sgml_gives_one_dated_document_per_story(tmp_path):
    (tmp_path / "reut2-999.sgm").write_bytes(SGML.encode("latin-1"))
    (first, second), problems, _ = read([tmp_path / "reut2-999.sgm"])
    assert (first.id, first.published, first.title) == ("reuters-7", date(1987, 3, 3),
                                                        "JAPAN AND CHINA <HOLD> TALKS")
    assert first.text == ("TOKYO, March 3 - Japan and China held trade talks in Tokyo on Tuesday, "
                          "officials said.\n\nThe two countries agreed to meet again in April.")
    assert first.dateline == "TOKYO, March 3 -"
    assert (second.id, second.published, second.text) == ("reuters-8", date(1987, 3, 4),
                                                         "PAKISTAN SETS BOND AUCTION\u00e9")
    assert len(problems) == 1 and "latin-1" in problems[0]  # the one byte that is not UTF-8


def test_reuters_sgml_with_the_encoding_named_reads_without_a_warning(tmp_path):
    (tmp_path / "r.sgm").write_bytes(SGML.encode("latin-1"))
    documents, problems, _ = read([tmp_path / "r.sgm"], encoding="latin-1")
    assert len(documents) == 2 and problems == []


def test_sgml_without_stories_is_named(tmp_path):
    (tmp_path / "other.sgm").write_text("<DOC><TEXT>Not Reuters.</TEXT></DOC>")
    documents, problems, _ = read([tmp_path / "other.sgm"])
    assert documents == [] and len(problems) == 1 and "REUTERS" in problems[0]


@pytest.mark.shared
def test_reuters_file_by_name_gives_1000_dated_documents(shared_dir):
    path = shared_dir / "eval" / "datasets" / "reuters21578" / "reut2-000.sgm"
    documents, problems, _ = read([path])
    assert len(documents) == 1000
    assert all(d.published is not None and d.published.year == 1987 for d in documents)
    assert len({d.id for d in documents}) == 1000
    assert not any("<" in d.text and "</" in d.text for d in documents)
    assert problems == []


@pytest.mark.shared
def test_reuters_folder_skips_readme_word_lists_and_data_with_reasons(shared_dir):
    folder = shared_dir / "eval" / "datasets" / "reuters21578"
    _, problems, notices = read([folder])
    assert len(notices) == 1
    notice = notices[0]
    assert "README.txt (documentation)" in notice
    for name in ("all-exchanges-strings.lc.txt", "all-orgs-strings.lc.txt", "all-people-strings.lc.txt",
                 "all-places-strings.lc.txt", "all-topics-strings.lc.txt"):
        assert f"{name} (a word list, not an article)" in notice
    assert "feldman-cia-worldfactbook-data.txt (structured data" in notice
    assert "lewis.dtd (.dtd: not an article format)" in notice
    assert not any(".sgm" in p and "skipped" in p and "story" not in p for p in problems)


# --- directories, unknown types, stdin, encodings -----------------------------------


def test_directory_summary_names_what_was_skipped_and_why(tmp_path):
    write_txt(tmp_path, "navies")
    (tmp_path / "README.md").write_text("# About these files\n")
    (tmp_path / "countries.txt").write_text("china\nrussia\njapan\nindia\n")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG")
    documents, problems, notices = read([tmp_path])
    assert [d.id for d in documents] == ["navies"] and problems == []
    assert notices == [f"{tmp_path}: 1 files read, 3 skipped: README.md (documentation), "
                       "countries.txt (a word list, not an article), photo.png (.png: not an article format)"]


def test_a_word_list_named_on_its_own_is_still_read(tmp_path):
    path = tmp_path / "countries.txt"
    path.write_text("china\nrussia\njapan\n")
    documents, _, _ = read([path])
    assert [d.id for d in documents] == ["countries"]


def test_unknown_file_type_given_by_name_is_an_error(tmp_path):
    (tmp_path / "notes.md").write_text("text")
    with pytest.raises(ReaderError, match=r"notes\.md: unknown file type '\.md'"):
        check_inputs([str(tmp_path / "notes.md")])
    check_inputs([str(tmp_path), "-", str(tmp_path / "missing.txt")])  # not for these
    documents, problems, _ = read([tmp_path / "notes.md"])
    assert documents == [] and len(problems) == 1 and "unknown file type" in problems[0]


def test_stdin_as_one_text_article(monkeypatch):
    data = "Title: From a pipe\nPublished: 2025-12-08\n\nChina and Russia held drills.\n".encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    (doc,), problems, _ = read(["-"], stdin_format="txt")
    assert (doc.id, doc.title, doc.published, doc.text) == (
        "stdin", "From a pipe", date(2025, 12, 8), "China and Russia held drills.\n")
    assert problems == []


def test_stdin_text_in_another_encoding(monkeypatch):
    data = "Caf\u00e9 talks: Iran and Iraq met.".encode("cp1252")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
    (doc,), _, _ = read(["-"], stdin_format="txt", encoding="cp1252")
    assert doc.text == "Caf\u00e9 talks: Iran and Iraq met."


@pytest.mark.parametrize("name, encoding", [("a.txt", "latin-1"), ("b.jsonl", "cp1252"), ("c.csv", "utf-16")])
def test_encoding_option_reads_files_that_are_not_utf8(tmp_path, name, encoding):
    text = "Caf\u00e9 diplomacy: Iran and Iraq held talks."
    content = {"a.txt": text, "b.jsonl": '{"id": "j", "text": "%s"}\n' % text,
               "c.csv": f'id,text\nc,"{text}"\n'}[name]
    (tmp_path / name).write_bytes(content.encode(encoding))
    skipped, problems, _ = read([tmp_path / name])
    assert skipped == [] and problems  # as UTF-8 it is named and skipped
    (doc,), problems, _ = read([tmp_path / name], encoding=encoding)
    assert doc.text == text and problems == []


def test_not_utf8_message_points_at_the_encoding_option(tmp_path):
    (tmp_path / "a.txt").write_bytes("Caf\u00e9.".encode("latin-1"))
    _, (problem,), _ = read([tmp_path / "a.txt"])
    assert "not UTF-8" in problem and "--encoding" in problem


@pytest.mark.parametrize("options, message", [
    ({"encoding": "klingon-8"}, "unknown encoding"),
    ({"stdin_format": "xml"}, "stdin format"),
])
def test_bad_reader_options_are_named_errors(options, message):
    with pytest.raises(ReaderError, match=message):
        ReaderOptions(**options)


def test_stdin_text_from_a_text_stream_and_empty_stdin(monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO("Caf\u00e9 talks: Iran and Iraq met.\r\n"))
    (doc,), problems, _ = read(["-"], stdin_format="txt", encoding="cp1252")
    assert doc.text == "Caf\u00e9 talks: Iran and Iraq met.\n" and problems == []
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"  \n"), encoding="utf-8"))
    documents, problems, _ = read(["-"], stdin_format="txt")
    assert documents == [] and problems == ["<stdin>: no text to read"]

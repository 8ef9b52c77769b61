"""Time expressions resolved against the publication date, never today."""
from __future__ import annotations

import time
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.records import GRANULARITIES, TimeSpan
from extract.timex import TimeMention, find_times, resolve_time

MONDAY = date(2025, 12, 8)  # the seed article's publication date

# (text, published, start, end, granularity)
RESOLVED = [
    # the seed article's forms
    ("on Sunday", MONDAY, "2025-12-07", "2025-12-07", "day"),
    ("In the past week", MONDAY, "2025-12-01", "2025-12-08", "week"),
    ("Earlier this year", MONDAY, "2025-01-01", "2025-12-08", "range"),
    ("in 2022", MONDAY, "2022-01-01", "2022-12-31", "year"),
    ("in the coming months", MONDAY, "2025-12-08", "2026-06-08", "range"),
    # explicit dates
    ("7 December 2025", MONDAY, "2025-12-07", "2025-12-07", "day"),
    ("December 7, 2025", MONDAY, "2025-12-07", "2025-12-07", "day"),
    ("on Sunday, December 7, 2025", MONDAY, "2025-12-07", "2025-12-07", "day"),
    ("the 7th of December", MONDAY, "2025-12-07", "2025-12-07", "day"),
    ("Dec. 7", MONDAY, "2025-12-07", "2025-12-07", "day"),
    ("Dec 9", MONDAY, "2024-12-09", "2024-12-09", "day"),
    ("on 12 March", MONDAY, "2025-03-12", "2025-03-12", "day"),
    ("ON 12 MARCH", MONDAY, "2025-03-12", "2025-03-12", "day"),
    ("2025-12-07", MONDAY, "2025-12-07", "2025-12-07", "day"),
    ("on 2025-12-07", None, "2025-12-07", "2025-12-07", "day"),
    # months
    ("in March", MONDAY, "2025-03-01", "2025-03-31", "month"),
    ("in December", MONDAY, "2025-12-01", "2025-12-31", "month"),
    ("in March 2024", MONDAY, "2024-03-01", "2024-03-31", "month"),
    ("last March", MONDAY, "2025-03-01", "2025-03-31", "month"),
    ("last March", date(2025, 3, 15), "2024-03-01", "2024-03-31", "month"),
    ("next March", MONDAY, "2026-03-01", "2026-03-31", "month"),
    ("in early March 2024", MONDAY, "2024-03-01", "2024-03-10", "range"),
    ("late February 2024", MONDAY, "2024-02-21", "2024-02-29", "range"),
    # years and parts of years
    ("2022", MONDAY, "2022-01-01", "2022-12-31", "year"),
    ("in mid-2023", MONDAY, "2023-05-01", "2023-08-31", "range"),
    ("in early 2024", MONDAY, "2024-01-01", "2024-04-30", "range"),
    ("late 2021", MONDAY, "2021-09-01", "2021-12-31", "range"),
    ("late last year", MONDAY, "2024-09-01", "2024-12-31", "range"),
    ("the first half of 2024", MONDAY, "2024-01-01", "2024-06-30", "range"),
    ("the 1990s", MONDAY, "1990-01-01", "1999-12-31", "range"),
    ("the early 2000s", MONDAY, "2000-01-01", "2003-12-31", "range"),
    ("in the first quarter of 2024", MONDAY, "2024-01-01", "2024-03-31", "quarter"),
    ("Q3 2025", MONDAY, "2025-07-01", "2025-09-30", "quarter"),
    ("the fourth quarter", date(2025, 6, 1), "2024-10-01", "2024-12-31", "quarter"),
    ("last quarter", MONDAY, "2025-07-01", "2025-09-30", "quarter"),
    ("last summer", MONDAY, "2025-06-01", "2025-08-31", "range"),
    ("in the summer of 2024", MONDAY, "2024-06-01", "2024-08-31", "range"),
    ("last fall", MONDAY, "2025-09-01", "2025-11-30", "range"),
    ("the winter of 2022", MONDAY, "2022-12-01", "2023-02-28", "range"),
    # days
    ("yesterday", MONDAY, "2025-12-07", "2025-12-07", "day"),
    ("Today", MONDAY, "2025-12-08", "2025-12-08", "day"),
    ("tomorrow", MONDAY, "2025-12-09", "2025-12-09", "day"),
    ("last night", MONDAY, "2025-12-07", "2025-12-07", "day"),
    ("yesterday", date(2024, 3, 1), "2024-02-29", "2024-02-29", "day"),
    ("yesterday", date(2025, 1, 1), "2024-12-31", "2024-12-31", "day"),
    ("tomorrow", date(2024, 12, 31), "2025-01-01", "2025-01-01", "day"),
    ("on Monday", MONDAY, "2025-12-08", "2025-12-08", "day"),
    ("on Friday", MONDAY, "2025-12-05", "2025-12-05", "day"),
    ("last Friday", MONDAY, "2025-12-05", "2025-12-05", "day"),
    ("last Monday", MONDAY, "2025-12-01", "2025-12-01", "day"),
    ("next Monday", MONDAY, "2025-12-15", "2025-12-15", "day"),
    ("this Sunday", MONDAY, "2025-12-14", "2025-12-14", "day"),
    ("on Sunday night", MONDAY, "2025-12-07", "2025-12-07", "day"),
    ("Tuesday morning", MONDAY, "2025-12-02", "2025-12-02", "day"),
    ("over the weekend", MONDAY, "2025-12-06", "2025-12-07", "range"),
    ("last weekend", date(2025, 12, 7), "2025-11-29", "2025-11-30", "range"),
    ("two days ago", MONDAY, "2025-12-06", "2025-12-06", "day"),
    # weeks, months, years relative to publication
    ("three weeks ago", MONDAY, "2025-11-17", "2025-11-23", "week"),
    ("a year ago", MONDAY, "2024-01-01", "2024-12-31", "year"),
    ("last week", MONDAY, "2025-12-01", "2025-12-07", "week"),
    ("this week", MONDAY, "2025-12-08", "2025-12-14", "week"),
    ("next week", MONDAY, "2025-12-15", "2025-12-21", "week"),
    ("last week", date(2025, 1, 2), "2024-12-23", "2024-12-29", "week"),
    ("over the past week", MONDAY, "2025-12-01", "2025-12-08", "week"),
    ("in the last seven days", MONDAY, "2025-12-01", "2025-12-08", "week"),
    ("in the past two weeks", MONDAY, "2025-11-24", "2025-12-08", "range"),
    ("the past month", MONDAY, "2025-11-08", "2025-12-08", "month"),
    ("last month", MONDAY, "2025-11-01", "2025-11-30", "month"),
    ("last month", date(2025, 1, 15), "2024-12-01", "2024-12-31", "month"),
    ("this month", MONDAY, "2025-12-01", "2025-12-31", "month"),
    ("next month", MONDAY, "2026-01-01", "2026-01-31", "month"),
    ("last year", MONDAY, "2024-01-01", "2024-12-31", "year"),
    ("this year", MONDAY, "2025-01-01", "2025-12-31", "year"),
    ("next year", MONDAY, "2026-01-01", "2026-12-31", "year"),
    ("earlier this year", date(2024, 1, 1), "2024-01-01", "2024-01-01", "range"),
    ("later this year", MONDAY, "2025-12-08", "2025-12-31", "range"),
    ("earlier this month", MONDAY, "2025-12-01", "2025-12-08", "range"),
    ("in recent weeks", MONDAY, "2025-11-10", "2025-12-08", "range"),
    # open and closed ranges
    ("since 2019", MONDAY, "2019-01-01", "2025-12-08", "range"),
    ("since March", MONDAY, "2025-03-01", "2025-12-08", "range"),
    ("since 2019-05-01", MONDAY, "2019-05-01", "2025-12-08", "range"),
    ("since last year", MONDAY, "2024-01-01", "2025-12-08", "range"),
    ("between 2019 and 2021", MONDAY, "2019-01-01", "2021-12-31", "range"),
    ("from March to May 2024", MONDAY, "2024-03-01", "2024-05-31", "range"),
    ("from November to February 2024", MONDAY, "2023-11-01", "2024-02-29", "range"),
    ("2019-2021", MONDAY, "2019-01-01", "2021-12-31", "range"),
    ("from 2014 to 2016", None, "2014-01-01", "2016-12-31", "range"),
    ("before 2022", MONDAY, None, "2021-12-31", "range"),
    ("after March 2024", MONDAY, "2024-04-01", None, "range"),
    ("until 2024", MONDAY, None, "2024-12-31", "range"),
    # the future
    ("in the coming weeks", MONDAY, "2025-12-08", "2026-01-05", "range"),
    ("in the coming days", MONDAY, "2025-12-08", "2025-12-15", "range"),
    ("in the months ahead", MONDAY, "2025-12-08", "2026-06-08", "range"),
    ("within the next two weeks", MONDAY, "2025-12-08", "2025-12-22", "range"),
    ("in the near future", MONDAY, "2025-12-08", "2026-06-08", "range"),
    # forms the table does not list, handed to the date parser
    ("07/12/2025", MONDAY, "2025-07-12", "2025-07-12", "day"),
]


@pytest.mark.parametrize("text, published, start, end, granularity", RESOLVED)
def test_resolve_time(text, published, start, end, granularity):
    assert resolve_time(text, published) == TimeSpan(text, start, end, granularity)


# (text, start, end) with future=True
FUTURE = [
    ("on Monday", "2025-12-08", "2025-12-08"),
    ("on Friday", "2025-12-12", "2025-12-12"),
    ("Dec. 7", "2026-12-07", "2026-12-07"),
    ("in March", "2026-03-01", "2026-03-31"),
    ("over the weekend", "2025-12-13", "2025-12-14"),
]


@pytest.mark.parametrize("text, start, end", FUTURE)
def test_future_picks_the_upcoming_date(text, start, end):
    span = resolve_time(text, MONDAY, future=True)
    assert (span.start, span.end) == (start, end)


def test_coming_months_stay_within_the_seed_gold_window():
    span = resolve_time("in the coming months", MONDAY)
    assert span.start == "2025-12-08"
    assert span.end <= "2026-12-31"


def test_no_text_means_the_publication_day():
    assert resolve_time(None, MONDAY) == TimeSpan(None, "2025-12-08", "2025-12-08", "day")


def test_no_text_and_no_publication_date_is_unknown():
    assert resolve_time(None, None) == TimeSpan(None, None, None, "unknown")


@pytest.mark.parametrize("text", [
    "on Sunday", "yesterday", "last week", "In the past week", "Earlier this year",
    "in the coming months", "Dec. 7", "in March", "three weeks ago", "since March",
])
def test_relative_time_without_publication_date_stays_unresolved(text):
    assert resolve_time(text, None) == TimeSpan(text, None, None, "unknown")


@pytest.mark.parametrize("text, start, end", [
    ("in 2022", "2022-01-01", "2022-12-31"),
    ("7 December 2025", "2025-12-07", "2025-12-07"),
    ("in March 2024", "2024-03-01", "2024-03-31"),
])
def test_absolute_time_resolves_without_publication_date(text, start, end):
    span = resolve_time(text, None)
    assert (span.start, span.end) == (start, end)


def test_since_without_publication_date_keeps_its_start():
    assert resolve_time("since 2019", None) == TimeSpan("since 2019", "2019-01-01", None, "range")


def test_anaphoric_time_is_recognized_but_unresolved():
    assert resolve_time("the next day", MONDAY) == TimeSpan("the next day", None, None, "unknown")


@pytest.mark.parametrize("text", ["China", "the drills may continue", "2,000 troops", "", "a protest march"])
def test_text_that_is_not_a_time_gives_none(text):
    assert resolve_time(text, MONDAY) is None


def test_results_do_not_depend_on_today():
    old = date(1987, 3, 2)
    assert resolve_time("yesterday", old).start == "1987-03-01"
    assert resolve_time("last year", old).start == "1986-01-01"
    assert resolve_time("on Friday", old).start == "1987-02-27"


# find_times: (sentence, [(mention text, start, end, granularity)])
FOUND = [
    ("China and Russia have carried out drills, the two countries confirmed on Sunday.",
     [("on Sunday", "2025-12-07", "2025-12-07", "day")]),
    ("In the past week, China deployed a large number of ships.",
     [("In the past week", "2025-12-01", "2025-12-08", "week")]),
    ("Earlier this year, Russia and China carried out joint naval operations.",
     [("Earlier this year", "2025-01-01", "2025-12-08", "range")]),
    ("Beijing and Moscow signed an agreement in 2022, shortly before the war began.",
     [("in 2022", "2022-01-01", "2022-12-31", "year")]),
    ("The training is expected to continue in the coming months as both governments said.",
     [("in the coming months", "2025-12-08", "2026-06-08", "range")]),
    ("They met on March 3 and again in May.",
     [("on March 3", "2025-03-03", "2025-03-03", "day"), ("in May", "2025-05-01", "2025-05-31", "month")]),
    ("Ties have grown since 2019, and from March to May 2024 they drilled together.",
     [("since 2019", "2019-01-01", "2025-12-08", "range"),
      ("from March to May 2024", "2024-03-01", "2024-05-31", "range")]),
    ("Talks will resume next Monday, officials said on Friday.",
     [("next Monday", "2025-12-15", "2025-12-15", "day"), ("on Friday", "2025-12-05", "2025-12-05", "day")]),
    ("MOSCOW, Dec 7 (Reuters) - Officials spoke on Dec. 7, 2025 about the 1990s.",
     [("Dec 7", "2025-12-07", "2025-12-07", "day"), ("on Dec. 7, 2025", "2025-12-07", "2025-12-07", "day"),
      ("the 1990s", "1990-01-01", "1999-12-31", "range")]),
    ("Two days ago the ministry said the talks held last week failed.",
     [("Two days ago", "2025-12-06", "2025-12-06", "day"), ("last week", "2025-12-01", "2025-12-07", "week")]),
    ("Hostages must be freed by Saturday, he said, and the work should end by mid-December.",
     [("by Saturday", None, "2025-12-13", "range"), ("by mid-December", None, "2025-12-20", "range")]),
    ("Today the talks resumed.", [("Today", "2025-12-08", "2025-12-08", "day")]),
    ("The pact signed in mid-2023 was renewed in the first quarter of 2024.",
     [("in mid-2023", "2023-05-01", "2023-08-31", "range"),
      ("in the first quarter of 2024", "2024-01-01", "2024-03-31", "quarter")]),
]


@pytest.mark.parametrize("sentence, expected", FOUND)
def test_find_times(sentence, expected):
    mentions = find_times(sentence, MONDAY)
    assert [(m.text, m.span.start, m.span.end, m.span.granularity) for m in mentions] == expected
    for mention in mentions:
        assert sentence[mention.start_char:mention.end_char] == mention.text
        assert mention.span.text == mention.text


@pytest.mark.parametrize("sentence", [
    "China may respond to the move.",
    "May the talks succeed, the minister said.",
    "Some 2,000 troops took part, killing 20 people.",
    "Thousands joined a protest march through the capital.",
    "March organisers said the rally was peaceful.",
    "The 2022 agreement covers 1,500 kilometres of border.",
    "The Long March 5 rocket lifted off.",
    "A fall in exports worried officials.",
    "Talks stalled after the fall of Kabul.",
    "The missile flew 3000 km.",
    "The company was commenting on 1986 results.",
    "Production fell, the report said (USA Today).",
    "Readings were Feb 23.6 and Mar 20.4 points.",
])
def test_find_times_ignores_words_that_are_not_times(sentence):
    assert find_times(sentence, MONDAY) == []


def test_find_times_without_publication_date_keeps_mentions_unresolved():
    mentions = find_times("The ministry confirmed on Sunday that drills held in 2022 continue.", None)
    assert [m.text for m in mentions] == ["on Sunday", "in 2022"]
    assert mentions[0].span == TimeSpan("on Sunday", None, None, "unknown")
    assert mentions[1].span == TimeSpan("in 2022", "2022-01-01", "2022-12-31", "year")


def test_find_times_prefers_the_longest_expression():
    mentions = find_times("Officials said in the last week the ships left.", MONDAY)
    assert mentions == [TimeMention(15, 31, "in the last week",
                                    TimeSpan("in the last week", "2025-12-01", "2025-12-08", "week"))]


def test_find_times_is_fast():
    sentences = [sentence for sentence, _ in FOUND] * 100
    find_times(sentences[0], MONDAY)  # warm the date parser cache
    began = time.perf_counter()
    for sentence in sentences:
        find_times(sentence, MONDAY)
    per_second = len(sentences) / (time.perf_counter() - began)
    assert per_second > 1000


@pytest.mark.shared
def test_seed_article_times(shared_dir):
    text = (shared_dir / "seed" / "article.txt").read_text(encoding="utf-8")
    found = {m.text: (m.span.start, m.span.end) for m in find_times(text, MONDAY)}
    assert found["on Sunday"] == ("2025-12-07", "2025-12-07")
    assert found["In the past week"] == ("2025-12-01", "2025-12-08")
    assert found["Earlier this year"] == ("2025-01-01", "2025-12-08")
    assert found["in 2022"] == ("2022-01-01", "2022-12-31")
    assert found["in the coming months"][0] == "2025-12-08"


TIME_WORDS = st.sampled_from([
    "on", "in", "since", "between", "and", "from", "to", "by", "last", "next", "this", "the",
    "past", "coming", "early", "mid-", "late", "Sunday", "May", "may", "March", "Dec.", "7",
    "31", "2022", "1990s", "Q3", "quarter", "first", "week", "weeks", "month", "months",
    "year", "ago", "two", "yesterday", "weekend", "summer", "fall", "of", ",", "-", "2,000",
])


@given(words=st.lists(TIME_WORDS, max_size=12),
       published=st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2100, 12, 31))))
@settings(max_examples=300, deadline=None)
def test_find_times_never_fails_and_never_overlaps(words, published):
    sentence = " ".join(words)
    mentions = find_times(sentence, published)
    for before, after in zip(mentions, mentions[1:]):
        assert before.end_char <= after.start_char
    for mention in mentions:
        assert sentence[mention.start_char:mention.end_char] == mention.text
        assert mention.span.granularity in GRANULARITIES
        if mention.span.start and mention.span.end:
            assert mention.span.start <= mention.span.end
        assert resolve_time(mention.text, published) == mention.span


@given(text=st.text(max_size=40), published=st.one_of(st.none(), st.dates(date(1900, 1, 1), date(2100, 12, 31))))
@settings(max_examples=300, deadline=None)
def test_resolve_time_never_fails_on_arbitrary_text(text, published):
    span = resolve_time(text, published)
    assert span is None or (span.text == text and span.granularity in GRANULARITIES)

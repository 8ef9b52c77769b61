"""Actor mentions in a sentence: lexicon phrases, demonyms, and "the two countries"."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token

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

    def root(self, doc: Doc) -> Token:
        return doc[self.start:self.end].root


VESSEL_PREFIXES = frozenset({"USS", "USNS", "HMS", "HMCS", "HMAS", "HMNZS"})  # demonyms in countries.json


class ActorMatcher:
    """Finds actor phrases with spaCy PhraseMatchers built from the lexicon's aliases."""

    def __init__(self, nlp: Language, lexicon: ActorLexicon) -> None:
        self.lexicon = lexicon
        self.insensitive = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.sensitive = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.groups = PhraseMatcher(nlp.vocab, attr="LOWER")
        phrases_ci, phrases_cs = [], []
        for phrase, case_sensitive in lexicon.patterns():
            (phrases_cs if case_sensitive else phrases_ci).append(phrase)
        self.insensitive.add("ACTOR", list(nlp.tokenizer.pipe(phrases_ci)))
        self.sensitive.add("ACTOR", list(nlp.tokenizer.pipe(phrases_cs)))
        self.groups.add("GROUP", list(nlp.tokenizer.pipe(GROUP_REFERENCES)))

    def spans(self, doc: Doc | object) -> list[tuple[int, int, bool]]:
        """Longest non-overlapping (start, end, is_group) matches, in order."""
        found = [(s, e, False) for _, s, e in self.insensitive(doc)]
        found += [(s, e, False) for _, s, e in self.sensitive(doc)]
        found += [(s, e, True) for _, s, e in self.groups(doc)]
        found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
        kept: list[tuple[int, int, bool]] = []
        last_end = -1
        for start, end, is_group in found:
            if start >= last_end:
                kept.append((start, end, is_group))
                last_end = end
        return kept

    def has_any(self, doc: Doc) -> bool:
        return bool(self.insensitive(doc) or self.sensitive(doc) or self.groups(doc))

    def mentions(self, doc: Doc, on: date | None) -> tuple[list[Mention], list[tuple[int, int]]]:
        """Resolved actor mentions, and the spans of group references ("both sides")."""
        out: list[Mention] = []
        groups: list[tuple[int, int]] = []
        for start, end, is_group in self.spans(doc):
            if is_group:
                groups.append((start, end))
                continue
            span = doc[start:end]
            if start > 0 and doc[start - 1].lower_ == "ethnic":
                continue  # "ethnic Albanians" are a people, not the Albanian state
            if start > 0 and doc[start - 1].text in VESSEL_PREFIXES:
                continue  # "USS [Carney]": a ship's name (the prefix names its navy's country)
            actor = self.lexicon.lookup_phrase(span.text, on)
            if actor is None:
                continue
            actor = self._refine(doc, start, end, actor, on)
            out.append(Mention(start, end, actor, place_only=_names_a_place(span)))
        return out, groups

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

"""Actors outside the lexicon, read from the statistical entity recognizer and the parse.

`ActorMatcher.mentions` finds the lexicon's aliases first; this module adds what the lexicon
cannot list, each reading switchable by name (`READINGS`):

- ``context``: a lexicon title that names one country by default yields to the country that
  modifies it in the same noun phrase: "North Korea's supreme leader" is PRK although "the
  supreme leader" alone is Iran's.
- ``places``: a GPE or LOC entity that is not an alias (a city, a town, a region) stands for
  its country through the lexicon's gazetteer ("Kharkiv" -> UKR, sector CVL).
- ``people``: a PERSON entity with no office in its noun phrase, acted on (the object of
  "sentenced", "detained", "released"...), is a private person and gets a name slug ("Jan
  Kowalski" -> ``jan_kowalski``), also when an apposition gives a trade and a nationality
  ("X, a Georgian activist": a private person's nationality does not make the state a
  party). A person whose noun phrase names a country otherwise needs nothing here: that
  country's mention already stands for them ("Poland's defence minister Jan Kowalski").
- ``groups``: an ORG entity that is not an alias and whose name ends in a word that names an
  armed group or a movement ("Front", "Brigades", "Liberation Army") gets a lowercase slug
  (``the Popular Resistance Front`` -> ``popular_resistance_front``). Companies, media,
  universities, banks, parties and courts get none.
"""
from __future__ import annotations

import re
from typing import Iterable

from spacy.tokens import Doc, Span, Token

from .actors import ActorLexicon
from .records import Actor

READINGS = ("context", "places", "people", "groups")
DEFAULT_READINGS = READINGS
MODIFIER_DEPS = frozenset({"poss", "amod", "compound", "nmod"})

# Verbs whose object is a person something is done to: the role code can use a private person
# there (the target of an arrest, a sentence, a release, an abduction, an attack).
ACTED_ON_VERBS = frozenset({
    "arrest", "detain", "sentence", "jail", "imprison", "convict", "charge", "indict", "release",
    "free", "pardon", "extradite", "deport", "expel", "kidnap", "abduct", "execute", "kill",
    "assassinate", "shoot", "attack", "sanction", "summon", "question", "prosecute", "try",
    "exchange", "swap", "hold", "capture", "seize", "injure", "wound", "ban", "bar",
})
# Words that make a person's noun phrase an office, not a private person.
OFFICE_WORDS = frozenset({
    "president", "minister", "premier", "chancellor", "king", "queen", "prince", "emir", "sheikh",
    "general", "admiral", "commander", "colonel", "ambassador", "envoy", "spokesman", "spokeswoman",
    "spokesperson", "governor", "mayor", "senator", "lawmaker", "deputy", "secretary", "chief",
    "leader", "official", "officer", "diplomat", "minister", "prosecutor", "judge", "sen.", "gen.",
    "gov.", "rep.", "pres.", "lt.", "col.", "maj.", "capt.", "adm.",
})
# Nouns of an apposition that keep a person private though a demonym names their country.
PRIVATE_NOUNS = frozenset({
    "activist", "journalist", "reporter", "blogger", "student", "businessman", "businesswoman",
    "lawyer", "academic", "researcher", "scholar", "writer", "artist", "tourist", "citizen",
    "national", "dissident", "worker", "employee", "photographer", "filmmaker", "teacher",
})
# Last words of an organisation name that make it an armed group or a movement.
GROUP_HEADS = frozenset({
    "front", "army", "brigade", "brigades", "militia", "militias", "movement", "liberation",
    "resistance", "mujahideen", "jihad", "battalion", "battalions", "legion", "guerrillas",
    "rebels", "insurgents", "fighters", "tigers",  # not "forces": often a state's own unit
})
# Words that make an organisation a company, a medium, a school, a party, a court or an office.
NOT_GROUP_WORDS = frozenset({
    "inc", "inc.", "ltd", "ltd.", "llc", "plc", "corp", "corp.", "corporation", "company", "co",
    "co.", "bank", "airlines", "airways", "motors", "energy", "oil", "gas", "news", "times", "post",
    "press", "television", "tv", "radio", "agency", "university", "college", "school", "institute",
    "academy", "hospital", "foundation", "party", "court", "ministry", "department", "office",
    "parliament", "assembly", "senate", "congress", "fc", "club", "league", "federation",
    "association", "technologies", "systems", "group", "holdings", "industries", "media", "journal",
})
_SLUG = re.compile(r"[^a-z0-9]+")

def slug(text: str) -> str:
    """Lowercase words joined by underscores, without a leading article: "the X Front" -> x_front."""
    words = text.split()
    if words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    return _SLUG.sub("_", " ".join(words).lower()).strip("_")


def context_country(root: Token, owners: dict[int, Actor]) -> Actor | None:
    """The country actor of a mention that modifies `root` inside its noun phrase."""
    for child in root.children:
        if child.dep_ in MODIFIER_DEPS and child.i in owners:
            actor = owners[child.i]
            if actor.kind == "country":
                return actor
    return None


def _subtree_names_country(ent: Span, owners: dict[int, Actor]) -> bool:
    """Whether the person's noun phrase (titles, apposition, possessive) holds a country."""
    root = ent.root
    tokens = set(range(root.left_edge.i, root.right_edge.i + 1))
    if root.head is not root and root.dep_ == "appos":
        head = root.head
        tokens |= set(range(head.left_edge.i, head.right_edge.i + 1))
    return any(owners.get(i) is not None and owners[i].kind == "country" for i in tokens)


def _has_office(ent: Span) -> bool:
    root = ent.root
    words = [t.lower_ for t in ent.doc[root.left_edge.i:root.right_edge.i + 1]]
    if root.dep_ == "appos":
        words += [t.lower_ for t in root.head.subtree]
    words += [c.lower_ for c in root.children if c.dep_ == "appos" for c in c.subtree]
    return any(w in OFFICE_WORDS for w in words)


def _has_private_noun(ent: Span) -> bool:
    """Whether an apposition calls the person by a private trade: "X, a Georgian activist"."""
    root = ent.root
    nouns = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos":
        nouns.append(root.head)
    return any(n.lemma_.lower() in PRIVATE_NOUNS for n in nouns)


def _acted_on(token: Token) -> bool:
    """Whether the token is the object (or passive subject) of a verb that acts on a person."""
    if token.dep_ in ("dobj", "nsubjpass", "obj"):
        return token.head.lemma_.lower() in ACTED_ON_VERBS
    if token.dep_ == "conj":
        return _acted_on(token.head)
    return False


def person_actor(ent: Span, owners: dict[int, Actor]) -> Actor | None:
    """A private person acted on, as a name slug; None for anyone with an office or country."""
    if ent.label_ != "PERSON" or len(ent) < 2 or not all(t.text[:1].isupper() for t in ent):
        return None
    if _has_office(ent) or not _acted_on(ent.root):
        return None
    if _subtree_names_country(ent, owners) and not _has_private_noun(ent):
        return None  # "Poland's Jan Kowalski": the country's mention stands for them
    return Actor(slug(ent.text), ent.text, "person", "CVL", ent.text)


def group_actor(ent: Span) -> Actor | None:
    """An armed group or movement the lexicon lacks, as a lowercase slug."""
    if ent.label_ != "ORG":
        return None
    words = [t.lower_ for t in ent if not t.is_punct]
    if len(words) < 2 or words[-1] not in GROUP_HEADS or any(w in NOT_GROUP_WORDS for w in words):
        return None
    if not all(t.text[:1].isupper() or t.lower_ in ("of", "the", "for", "and", "al", "-") for t in ent):
        return None
    return Actor(slug(ent.text), ent.text, "group", "REB", ent.text)


def place_actor(ent: Span, lexicon: ActorLexicon) -> Actor | None:
    """A city, town or region the aliases do not hold, as its country (sector CVL)."""
    if ent.label_ not in ("GPE", "LOC") or _inside_a_name(ent):
        return None
    place = lexicon.resolve_place(ent.text)
    actor = lexicon.actor(place.id) if place is not None and place.id else None
    if actor is None or actor.kind != "country":
        return None
    return Actor(actor.id, actor.name, actor.kind, "CVL", ent.text)


def _inside_a_name(ent: Span) -> bool:
    """Whether the entity modifies a capitalised word outside it: a word of a longer proper
    name ("the Gulf Guard-2025 exercise", "Sahel Shield"), not a place of its own."""
    root = ent.root
    head = root.head
    return (root.dep_ == "compound" and head is not root and not ent.start <= head.i < ent.end
            and head.text[:1].isupper())


def open_entities(doc: Doc, taken: Iterable[int]) -> list[Span]:
    """Entities that share no token with a lexicon mention."""
    used = set(taken)
    return [ent for ent in doc.ents if not used.intersection(range(ent.start, ent.end))]

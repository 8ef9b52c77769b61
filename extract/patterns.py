"""Dependency patterns: events written as spaCy `DependencyMatcher` patterns.

A trigger file may hold, besides its `triggers` rows, a `dependency_patterns` list. Each
entry names the event (id, PLOVER category, mode, CAMEO code, tags, optional status) and
gives one spaCy dependency pattern (`pattern`) or several alternatives (`patterns`), in the
format spaCy documents for `DependencyMatcher`. The nodes' RIGHT_IDs name their role:

- `trigger` (required): the word the event is reported on;
- `actor`, `partner` (who acts; partners act alongside the actors), `target` (acted on);
- `place` (where), `time` (when);
- any other name is a helper node that only constrains the match ("must", "that").

A match makes its trigger token an event word, ahead of the `triggers` rows: the event
then runs through the same steps as any other (status, time, place, earlier-event links).
A role node gives that role the actors named in its phrase; a role the pattern leaves out,
or whose phrase names no known actor (a pronoun), is found by the general rules, less the
actors a role node names ("efforts [between A and B]" as target: A and B are no actors).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from .records import PLOVER_CATEGORIES, TAGS, Location
from .sentence import Participants, SentenceEvents, _phrase, _Sentence
from .triggers import DATA_FILE, Trigger, TriggerFileError, _coarse_pos, _read, base_forms

ROLES = ("trigger", "actor", "partner", "target", "place", "time")
WORD_ATTRS = ("LEMMA", "LOWER", "ORTH", "TEXT", "NORM")
ENTRY_KEYS = frozenset({"id", "plover", "mode", "cameo", "tags", "status", "pattern", "patterns", "note"})


class PatternFileError(TriggerFileError):
    """A dependency pattern is malformed or spaCy cannot compile it."""


@dataclass(frozen=True)
class PatternEntry:
    id: str
    plover: str
    mode: str
    cameo: str
    tags: tuple[str, ...]
    status: str
    alternatives: tuple[tuple[dict, ...], ...]
    where: str

    def trigger_for(self, token: Token) -> Trigger:
        return Trigger(lemma=token.lemma_.lower(), pos=_coarse_pos(token), plover=self.plover, mode=self.mode,
                       cameo=self.cameo, tags=self.tags, status=self.status)


@dataclass(frozen=True)
class PatternMatch:
    """One pattern's match on a trigger token: the event it makes and its role tokens."""

    entry: PatternEntry
    trigger: Trigger
    roles: dict[str, int]


class DependencyPatterns:
    """The compiled patterns of all trigger files, in precedence order."""

    def __init__(self, entries: Sequence[PatternEntry], vocab: Vocab) -> None:
        self.entries = tuple(entries)
        self.matcher = DependencyMatcher(vocab, validate=True)
        self._keys: dict[int, tuple[int, int, tuple[str, ...]]] = {}  # key -> (entry, alternative, node names)
        for n, entry in enumerate(self.entries):
            for a, nodes in enumerate(entry.alternatives):
                key = f"{entry.id}#{a}"
                try:
                    self.matcher.add(key, [list(nodes)])
                except Exception as exc:  # spaCy reports bad patterns as ValueError, KeyError or its own errors
                    message = re.sub(r" for matcher rule '\d+'", "", " ".join(str(exc).split()))
                    if isinstance(exc, KeyError):
                        message = f"a node lacks {message}"
                    raise PatternFileError(f"{entry.where}: spaCy cannot compile pattern {entry.id!r}: "
                                           f"{message[:300]}") from None
                self._keys[vocab.strings[key]] = (n, a, tuple(node["RIGHT_ID"] for node in nodes))
        self._gate = trigger_words([nodes for entry in self.entries for nodes in entry.alternatives])
        # a sentence with none of these words has no match (unless a trigger node names no word)
        self._needs = required_words([nodes for entry in self.entries for nodes in entry.alternatives])

    def __bool__(self) -> bool:
        return bool(self.entries)

    def entries_for(self, words: Sequence[str]) -> tuple[PatternEntry, ...]:
        """The patterns whose trigger node names one of these words (a lemma and its forms)."""
        return tuple(e for e in self.entries if set(words) & (trigger_words(e.alternatives) or frozenset()))

    def head_words(self) -> frozenset[str]:
        """The words the trigger nodes name, so a sentence holding one is parsed."""
        return self._gate or frozenset()

    def matches(self, sent: Doc) -> dict[int, PatternMatch]:
        """Trigger token -> the match of the first pattern (in file order) found on it; of one
        pattern's several matches there, the one binding the most roles."""
        if not self.entries or (self._gate is not None and not any(
                t.lemma_.lower() in self._gate or t.lower_ in self._gate for t in sent)):
            return {}
        if self._needs is not None:  # some pattern must find every word it names in the sentence
            words = {t.lemma_.lower() for t in sent} | {t.lower_ for t in sent}
            if not any(all(options & words for options in alternative) for alternative in self._needs):
                return {}
        best: dict[int, tuple[tuple[int, int, int], PatternMatch]] = {}
        for key, token_ids in self.matcher(sent):
            n, a, names = self._keys[key]
            roles = {name: i for name, i in zip(names, token_ids) if name in ROLES}
            head = roles["trigger"]
            rank = (n, -len(roles), a)
            if head not in best or rank < best[head][0]:
                entry = self.entries[n]
                best[head] = (rank, PatternMatch(entry, entry.trigger_for(sent[head]), roles))
        return {i: match for i, (_, match) in best.items()}


def required_words(alternatives) -> list[list[frozenset[str]]] | None:
    """Per alternative, the word sets its nodes name (each must be met by one word of a matching
    sentence); None when an alternative names no word at all, so nothing can be ruled out."""
    out = []
    for nodes in alternatives:
        sets = []
        for node in nodes:
            attrs = node.get("RIGHT_ATTRS", {})
            for name in WORD_ATTRS:
                value = attrs.get(name)
                if isinstance(value, str):
                    sets.append(frozenset({value.lower()}))
                elif isinstance(value, dict) and set(value) == {"IN"}:
                    sets.append(frozenset(w.lower() for w in value["IN"]))
        if not sets:
            return None
        out.append(sets)
    return out


def trigger_words(alternatives) -> frozenset[str] | None:
    """The words the trigger nodes of these alternatives name; None when one names none."""
    words: set[str] = set()
    for nodes in alternatives:
        attrs = next(node["RIGHT_ATTRS"] for node in nodes if node["RIGHT_ID"] == "trigger")
        named = False
        for name in WORD_ATTRS:
            value = attrs.get(name)
            if isinstance(value, str):
                words.add(value.lower())
                named = True
            elif isinstance(value, dict) and set(value) == {"IN"}:
                words.update(w.lower() for w in value["IN"])
                named = True
        if not named:
            return None
    return frozenset(words)


@lru_cache(maxsize=1)
def _built_in_word_tags() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for i, row in enumerate(_read(DATA_FILE).get("dependency_patterns", [])):
        entry = _entry(row, f"{DATA_FILE.name}: dependency pattern {i + 1}")
        for word in trigger_words(entry.alternatives) or ():
            out.setdefault(word, set()).update(entry.tags)
    return {k: frozenset(v) for k, v in out.items()}


def tags_for_word(word: str) -> frozenset[str]:
    """Tags that a query word names through the built-in patterns' trigger words ("trained")."""
    word = " ".join(word.lower().replace("-", " ").split())
    table = _built_in_word_tags()
    return frozenset(tag for form in base_forms(word) for tag in table.get(form, ()))


class PatternSentence(_Sentence):
    """A sentence reader that takes trigger words and roles from the dependency patterns first."""

    def __init__(self, owner: "PatternEvents", *args) -> None:
        super().__init__(owner, *args)
        self.pattern_at = owner.patterns.matches(self.sent)

    def _match(self, token: Token) -> Trigger | None:
        match = self.pattern_at.get(token.i)
        return match.trigger if match is not None else super()._match(token)

    def _participants(self, token: Token, trigger: Trigger, light_verb: Token | None) -> Participants:
        people = super()._participants(token, trigger, light_verb)
        match = self.pattern_at.get(token.i)
        if match is None or not ({"actor", "partner", "target"} & set(match.roles)):
            return people
        found = {name: self._mentions_under(self.sent[i]) for name, i in match.roles.items()
                 if name in ("actor", "partner", "target")}
        actors = [m.actor for m in found.get("actor", [])] or \
            self._not_only_in(people.actors, found.get("target", []))  # "efforts [between A and B]"
        actors += [m.actor for m in found.get("partner", [])]
        targets = [m.actor for m in found.get("target", [])] or \
            self._not_only_in(people.targets, found.get("actor", []) + found.get("partner", []))
        actor_ids = {a.id: a for a in actors}
        target_ids = {t.id: t for t in targets if t.id not in actor_ids}
        tokens = people.tokens + tuple(i for ms in found.values() for m in ms for i in (m.start, m.end - 1))
        return Participants(tuple(actor_ids.values()), tuple(target_ids.values()), tokens, people.how)

    def _not_only_in(self, actors: tuple, named: list) -> list:
        """The general rules' participants, less those named only inside another role's phrase."""
        inside = {(m.start, m.end) for m in named}
        out = []
        for actor in actors:
            spans = {(m.start, m.end) for m in self.mentions if m.actor.id == actor.id}
            if not spans or not spans <= inside:
                out.append(actor)
        return out

    def _time(self, token: Token, to_come: bool = False):
        match = self.pattern_at.get(token.i)
        if match is not None and "time" in match.roles:
            node = match.roles["time"]
            for n, (_, span) in enumerate(self.times):
                if node in self.time_tokens[n]:
                    return span
        return super()._time(token, to_come)

    def _location(self, token: Token, light_verb: Token | None) -> Location | None:
        match = self.pattern_at.get(token.i)
        if match is not None and "place" in match.roles:
            node = self.sent[match.roles["place"]]
            text = _phrase(node)
            place = self.o.actors.resolve_place(text)
            if place is not None and (place.id or node.pos_ == "PROPN"):
                prep = node.head.lower_ if node.dep_ == "pobj" else ""
                return Location(place.id, place.name, f"{prep} {text}".strip())
        return super()._location(token, light_verb)


class PatternEvents(SentenceEvents):
    """Sentence events with the dependency patterns applied."""

    def __init__(self, triggers, actors, matcher, patterns: DependencyPatterns) -> None:
        super().__init__(triggers, actors, matcher)
        self.patterns = patterns

    def _reader(self, *args) -> _Sentence:
        return PatternSentence(self, *args) if self.patterns else super()._reader(*args)


# -- loading ------------------------------------------------------------------------------
def load_patterns(vocab: Vocab, extra_paths: Sequence[Path] = ()) -> DependencyPatterns:
    """Each extra file's patterns (which take precedence), then the built-in ones."""
    entries: list[PatternEntry] = []
    seen: dict[str, str] = {}
    for path in (*map(Path, extra_paths), DATA_FILE):
        data = _read(path)
        rows = data.get("dependency_patterns", [])
        if not isinstance(rows, list):
            raise PatternFileError(f"{path.name}: 'dependency_patterns' must be a list of patterns")
        for i, row in enumerate(rows):
            entry = _entry(row, f"{path.name}: dependency pattern {i + 1}")
            if entry.id in seen and seen[entry.id] == path.name:
                raise PatternFileError(f"{entry.where}: pattern id {entry.id!r} is used twice")
            seen.setdefault(entry.id, path.name)
            entries.append(entry)
    return DependencyPatterns(entries, vocab)


def _entry(row: object, where: str) -> PatternEntry:
    if not isinstance(row, dict):
        raise PatternFileError(f"{where}: a dependency pattern must be an object, not {type(row).__name__}")
    unknown = sorted(set(row) - ENTRY_KEYS)
    if unknown:
        raise PatternFileError(f"{where}: unknown field(s) {unknown}")
    pid = row.get("id")
    if not isinstance(pid, str) or not pid.strip():
        raise PatternFileError(f"{where}: a dependency pattern needs an 'id' (a word)")
    where = f"{where} ({pid})"
    plover = row.get("plover")
    if not isinstance(plover, str) or plover.strip().upper() not in PLOVER_CATEGORIES:
        raise PatternFileError(f"{where}: 'plover' must be a PLOVER category, not {plover!r}")
    tags = row.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise PatternFileError(f"{where}: 'tags' must be a list of words")
    if [t for t in tags if t not in TAGS]:
        raise PatternFileError(f"{where}: unknown tag(s) {[t for t in tags if t not in TAGS]}")
    for key in ("mode", "cameo", "status"):
        if not isinstance(row.get(key, ""), (str, int)) or isinstance(row.get(key, ""), bool):
            raise PatternFileError(f"{where}: {key!r} must be a word")
    if row.get("status", "") not in ("", "future", "hypothetical"):
        raise PatternFileError(f"{where}: 'status' must be 'future' or 'hypothetical'")
    if ("pattern" in row) == ("patterns" in row):
        raise PatternFileError(f"{where}: give either 'pattern' (a list of nodes) or 'patterns' (a list of them)")
    alternatives = [row["pattern"]] if "pattern" in row else row["patterns"]
    if not isinstance(alternatives, list) or not alternatives:
        raise PatternFileError(f"{where}: 'patterns' must be a non-empty list of node lists")
    return PatternEntry(id=pid.strip(), plover=plover.strip().upper(), mode=str(row.get("mode", "")),
                        cameo=str(row.get("cameo", "")), tags=tuple(tags), status=str(row.get("status") or ""),
                        alternatives=tuple(_nodes(nodes, where) for nodes in alternatives), where=where)


def _nodes(nodes: object, where: str) -> tuple[dict, ...]:
    if not isinstance(nodes, list) or not nodes or not all(isinstance(n, dict) for n in nodes):
        raise PatternFileError(f"{where}: a pattern must be a non-empty list of node objects")
    names = []
    for k, node in enumerate(nodes):
        name = node.get("RIGHT_ID")
        if not isinstance(name, str) or not name:
            raise PatternFileError(f"{where}: node {k + 1} needs a 'RIGHT_ID' (its role or a helper name)")
        if not isinstance(node.get("RIGHT_ATTRS"), dict):
            raise PatternFileError(f"{where}: node {name!r}: 'RIGHT_ATTRS' must be an object of token attributes")
        if k and not (isinstance(node.get("LEFT_ID"), str) and isinstance(node.get("REL_OP"), str)):
            raise PatternFileError(f"{where}: node {name!r} needs 'LEFT_ID' and 'REL_OP' (every node but the first)")
        if k and node["LEFT_ID"] not in names:
            raise PatternFileError(f"{where}: node {name!r}: LEFT_ID {node['LEFT_ID']!r} names no earlier node")
        if name in names:
            raise PatternFileError(f"{where}: node name {name!r} is used twice")
        names.append(name)
    if "trigger" not in names:
        raise PatternFileError(f"{where}: a pattern needs a node with RIGHT_ID 'trigger'")
    return tuple(nodes)

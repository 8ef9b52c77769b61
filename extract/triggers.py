"""Trigger lexicon: which words signal an event, and what the event is.

The patterns live in `data/triggers.json` (see its "about" field); a user extends them by
passing more files of the same shape. This module loads and checks them and answers two
questions: which pattern fires on a parsed token, and which tags a query word names.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from spacy.tokens import Token

from .records import PLOVER_CATEGORIES, TAGS

DATA_FILE = Path(__file__).with_name("data") / "triggers.json"
OBJECT_DEPS = frozenset({"dobj", "obj", "attr", "dative"})


class TriggerFileError(ValueError):
    """A trigger file is missing, not JSON, or has an invalid row."""


@dataclass(frozen=True)
class Trigger:
    lemma: str
    pos: str
    plover: str
    mode: str
    cameo: str
    tags: tuple[str, ...]
    object: frozenset[str] = frozenset()
    reject_object: frozenset[str] = frozenset()
    needs: frozenset[str] = frozenset()
    needs_context: frozenset[str] = frozenset()
    needs_xcomp: bool = False
    plural: bool = False
    light_verbs: frozenset[str] = frozenset()
    with_role: str = ""
    targets: frozenset[str] = frozenset()
    symmetric: bool = False
    target_places: bool = False
    reject_near: frozenset[str] = frozenset()
    ongoing: bool = False
    patient_agent: bool = False
    outcome: bool = False
    reacts: bool = False
    joins: str = ""
    status: str = ""  # a status the word itself carries: a pledge of money is a future transfer
    needs_target: bool = False

    @property
    def head_word(self) -> str:
        words = self.lemma.split()
        return words[-1] if self.pos == "NOUN" else words[0]

    @property
    def other_words(self) -> tuple[str, ...]:
        words = self.lemma.split()
        return tuple(words[:-1] if self.pos == "NOUN" else words[1:])

    def matches(self, token: Token, context_known: bool = False) -> bool:
        """Whether this pattern fires on `token` (its head word already matched); with
        `context_known`, the document has already set the context `needs_context` asks for."""
        if self.pos != _coarse_pos(token):
            return False
        if self.plural and token.tag_ not in ("NNS", "NNPS"):
            return False
        near = _near_lemmas(token)
        if any(word not in near for word in self.other_words):
            return False
        objects = _object_lemmas(token)
        if self.object and not (objects & self.object):
            return False
        if objects & self.reject_object:
            return False
        if self.needs and not (near & self.needs):
            return False
        if near & self.reject_near:
            return False
        if self.needs_xcomp and not any(c.dep_ == "xcomp" for c in token.children):
            return False
        if self.needs_context and not context_known and not ({t.lemma_.lower() for t in token.sent} & self.needs_context):
            return False
        return True


@dataclass(frozen=True)
class TriggerLexicon:
    triggers: tuple[Trigger, ...]
    light_verbs: frozenset[str]
    future_verbs: frozenset[str]
    hypothetical_aux: frozenset[str]
    future_aux: frozenset[str]
    discard_context: frozenset[str] = frozenset()
    weapon_words: frozenset[str] = frozenset()
    contribution_verbs: frozenset[str] = frozenset()
    participant_verbs: frozenset[str] = frozenset()
    announcement_verbs: frozenset[str] = frozenset()
    membership_words: frozenset[str] = frozenset()
    unnamed_actors: frozenset[str] = frozenset()
    simulation_verbs: frozenset[str] = frozenset()
    by_head: dict[str, tuple[Trigger, ...]] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def __post_init__(self) -> None:
        index: dict[str, list[Trigger]] = {}
        for trigger in self.triggers:
            index.setdefault(trigger.head_word, []).append(trigger)
        object.__setattr__(self, "by_head", {k: tuple(v) for k, v in index.items()})

    def candidates(self, lemma: str) -> tuple[Trigger, ...]:
        return self.by_head.get(lemma, ())

    def match(self, token: Token, known_tags: frozenset[str] = frozenset()) -> Trigger | None:
        """The first pattern, in file order, that fires on `token`; a pattern whose tags the
        document has already reported needs no context words ("the exercise" in a drill story)."""
        for trigger in self.candidates(token.lemma_.lower()):
            if trigger.matches(token, context_known=bool(known_tags & set(trigger.tags))):
                return trigger
        return None

    @staticmethod
    def promise(trigger: Trigger) -> Trigger:
        """An agreement still to be signed or ratified is a commitment: AGREE."""
        return replace(trigger, plover="AGREE", cameo="057" if not trigger.cameo else trigger.cameo)

    @staticmethod
    def refusal(trigger: Trigger) -> Trigger:
        """The refusal to carry out a concession ("will not withdraw"): REJECT, mode yield."""
        return replace(trigger, plover="REJECT", mode="yield", cameo="125", tags=())

    def discards(self, sentence_lemmas: set[str], sentence_lower: str) -> bool:
        """A sentence about sport, film or music: its verbs ("beat", "strike") are no events."""
        return any((word in sentence_lemmas) if " " not in word else (word in sentence_lower)
                   for word in self.discard_context)

    @property
    def reaction_triggers(self) -> frozenset[str]:
        return frozenset(t.lemma for t in self.triggers if t.reacts)

    def head_words(self) -> frozenset[str]:
        return frozenset(self.by_head)

    def tags_for_word(self, word: str) -> frozenset[str]:
        """Tags that a query word names: a tag itself or a verb/noun form of a trigger."""
        word = " ".join(word.lower().replace("-", " ").split())
        if word in TAGS:
            return frozenset({word})
        tags: set[str] = set()
        forms = set(base_forms(word))
        for trigger in self.triggers:
            if trigger.lemma.replace("-", " ") in forms:
                tags.update(trigger.tags)
        return frozenset(tags)


def _coarse_pos(token: Token) -> str:
    if token.pos_ in ("VERB", "AUX"):
        return "VERB"
    if token.pos_ in ("NOUN", "PROPN"):
        return "NOUN"
    return token.pos_


def _object_lemmas(token: Token) -> set[str]:
    """Lemmas that name what a verb acts on: "suspended [part] of the aid [program]",
    "ended [mediation] efforts"."""
    lemmas = set()
    passive = any(c.dep_ == "auxpass" for c in token.children)
    deps = OBJECT_DEPS | {"nsubjpass"} if passive else OBJECT_DEPS  # "missiles were [fired]"
    objects = [c for c in token.children if c.dep_ in deps]
    objects += [o for c in token.children if c.dep_ == "prt" for o in c.children if o.dep_ == "pobj"]
    if token.dep_ == "relcl" and all(o.tag_ in ("WDT", "WP") or o.lower_ == "that" for o in objects):
        objects = [token.head]  # "the agreement [(that) Britain had struck]": the noun it describes
    for obj in objects:  # "hands over [the remains]" is parsed with the object under "over"
        lemmas.add(obj.lemma_.lower())
        for child in obj.children:
            if child.dep_ == "compound":
                lemmas.add(child.lemma_.lower())
            elif child.dep_ == "prep" and child.lower_ == "of":
                lemmas.update(o.lemma_.lower() for o in child.children if o.dep_ == "pobj")
    return lemmas


def _near_lemmas(token: Token) -> set[str]:
    near = set()
    for child in token.children:
        near.add(child.lemma_.lower())
        near.add(child.lower_)
        for grandchild in child.children:
            near.add(grandchild.lemma_.lower())
            if child.dep_ in ("prt", "prep") and grandchild.dep_ == "prep":  # "pulled out of [the drills]"
                near.update(o.lemma_.lower() for o in grandchild.children if o.dep_ == "pobj")
    return near


IRREGULAR_FORMS = {
    "met": "meet", "fought": "fight", "struck": "strike", "held": "hold", "sent": "send", "shot": "shoot",
    "froze": "freeze", "frozen": "freeze", "withdrew": "withdraw", "withdrawn": "withdraw", "beat": "beat",
    "beaten": "beat", "sought": "seek", "cut": "cut", "spoke": "talk", "bombed": "bomb", "forgave": "forgive",
    "flew": "fly", "flown": "fly", "gave": "give", "given": "give", "took": "take", "taken": "take",
    "blew": "blow", "broke": "break", "broken": "break", "forgiven": "forgive", "went": "go", "gone": "go",
    "overran": "overrun", "said": "say", "told": "tell", "stricken": "strike", "fled": "flee", "led": "lead",
    "withheld": "withhold", "won": "win", "lost": "lose",
    "brought": "bring", "threw": "throw", "thrown": "throw", "drew": "draw", "drawn": "draw",
}


def base_forms(word: str) -> Iterable[str]:
    """The word and the stems an English inflection could have come from."""
    yield word
    *head, last = word.split(" ")
    prefix = " ".join(head) + " " if head else ""
    if last in IRREGULAR_FORMS:
        yield prefix + IRREGULAR_FORMS[last]
    for suffix, replacement in (("ies", "y"), ("ied", "y"), ("es", ""), ("s", ""), ("ed", ""),
                                ("ed", "e"), ("d", ""), ("ing", ""), ("ing", "e")):
        if last.endswith(suffix) and len(last) > len(suffix) + 2:
            stem = last[: -len(suffix)] + replacement
            yield prefix + stem
            if len(stem) > 2 and stem[-1] == stem[-2]:
                yield prefix + stem[:-1]


def _triggers_from_row(row: object, where: str) -> list[Trigger]:
    """One row's patterns: one per lemma (`lemma`, or each of `lemmas`)."""
    if not isinstance(row, dict):
        raise TriggerFileError(f"{where}: a trigger row must be an object, not {type(row).__name__}")
    lemmas = row.get("lemmas")
    if lemmas is None:
        return [_trigger_from_row(row, where)]
    if not isinstance(lemmas, list) or not lemmas or not all(isinstance(x, str) for x in lemmas):
        raise TriggerFileError(f"{where}: 'lemmas' must be a list of words")
    return [_trigger_from_row({**row, "lemma": lemma}, where) for lemma in lemmas]


def _trigger_from_row(row: dict, where: str) -> Trigger:
    try:
        lemma, plover = row["lemma"].strip().lower(), row["plover"].strip().upper()
    except (KeyError, AttributeError):
        raise TriggerFileError(f"{where}: a trigger needs 'lemma' and 'plover' (words)") from None
    if plover not in PLOVER_CATEGORIES:
        raise TriggerFileError(f"{where}: unknown PLOVER category {plover!r} for {lemma!r}")
    tags = _word_list(row, "tags", where)
    unknown = [t for t in tags if t not in TAGS]
    if unknown:
        raise TriggerFileError(f"{where}: unknown tag(s) {unknown} for {lemma!r}")
    pos = row.get("pos", "VERB")
    if not isinstance(pos, str) or pos.upper() not in ("VERB", "NOUN", "ADJ"):
        raise TriggerFileError(f"{where}: pos must be VERB, NOUN or ADJ for {lemma!r}")
    pos = pos.upper()
    if row.get("status", "") not in ("", "future", "hypothetical"):
        raise TriggerFileError(f"{where}: 'status' must be 'future' or 'hypothetical' for {lemma!r}")
    for key in ("mode", "cameo", "with", "joins"):
        if not isinstance(row.get(key, ""), (str, int)) or isinstance(row.get(key, ""), bool):
            raise TriggerFileError(f"{where}: {key!r} must be a word for {lemma!r}")
    words = lambda key: frozenset(w.lower() for w in _word_list(row, key, where))  # noqa: E731
    return Trigger(
        lemma=lemma, pos=pos, plover=plover, mode=str(row.get("mode", "")), cameo=str(row.get("cameo", "")),
        tags=tags, object=words("object"), reject_object=words("reject_object"), needs=words("needs"),
        needs_context=words("needs_context"), needs_xcomp=bool(row.get("needs_xcomp")),
        plural=bool(row.get("plural")), light_verbs=words("light_verbs"), with_role=str(row.get("with", "")),
        targets=words("targets"), symmetric=bool(row.get("symmetric")),
        target_places=bool(row.get("target_places")), reject_near=words("reject_near"),
        ongoing=bool(row.get("ongoing")), patient_agent=bool(row.get("patient_agent")),
        outcome=bool(row.get("outcome")), reacts=bool(row.get("reacts")), joins=str(row.get("joins") or ""),
        status=str(row.get("status") or ""), needs_target=bool(row.get("needs_target")),
    )


LIST_KEYS = ("light_verbs", "future_verbs", "hypothetical_aux", "future_aux", "discard_context",
             "weapon_words", "contribution_verbs", "participant_verbs", "announcement_verbs",
             "membership_words", "unnamed_actors", "simulation_verbs")


def _word_list(data: dict, key: str, where: str) -> tuple[str, ...]:
    value = data.get(key, ())
    if not isinstance(value, (list, tuple)) or not all(isinstance(w, str) for w in value):
        raise TriggerFileError(f"{where}: {key!r} must be a list of words")
    return tuple(value)


def _read(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TriggerFileError(f"cannot read trigger file {path}: {exc.strerror}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise TriggerFileError(f"trigger file {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise TriggerFileError(f"trigger file {path} must hold a JSON object with a 'triggers' list")
    if not isinstance(data.get("triggers", []), list):
        raise TriggerFileError(f"trigger file {path}: 'triggers' must be a list of rows")
    return data


def load_triggers(extra_paths: Sequence[Path] = ()) -> TriggerLexicon:
    """The built-in patterns, then each extra file's rows (which take precedence)."""
    rows: list[Trigger] = []
    lists: dict[str, set[str]] = {}
    for path in (*map(Path, extra_paths), DATA_FILE):
        data = _read(path)
        for i, row in enumerate(data.get("triggers", ())):
            rows.extend(_triggers_from_row(row, f"{path.name}: row {i + 1}"))
        for key in LIST_KEYS:
            lists.setdefault(key, set()).update(w.lower() for w in _word_list(data, key, path.name))
    return TriggerLexicon(tuple(rows), **{k: frozenset(v) for k, v in lists.items()})


@lru_cache(maxsize=1)
def default_triggers() -> TriggerLexicon:
    return load_triggers()


def tags_for_word(word: str) -> frozenset[str]:
    """Tags that `word` names with the built-in patterns ("drills", "war games" -> exercise)."""
    from .patterns import tags_for_word as pattern_tags  # the dependency patterns name event words too
    return default_triggers().tags_for_word(word) | pattern_tags(word)

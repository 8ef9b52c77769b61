"""Dependency-tree helpers over spaCy tokens: clauses, arguments and modality cues."""
from __future__ import annotations

from typing import Iterator

from spacy.tokens import Token

SUBJECT_DEPS = frozenset({"nsubj", "csubj", "expl"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJECT_DEPS = frozenset({"dobj", "obj", "dative", "attr", "oprd"})
SUBORDINATE_DEPS = frozenset({"relcl", "acl", "advcl", "appos", "ccomp", "parataxis"})
ANAPHORIC_DETERMINERS = frozenset({"the", "this", "these", "that", "those"})
ARGUMENT_PREPS = frozenset({"in", "on", "for", "into", "at", "to"})
LATEST_WORDS = frozenset({"latest", "recent", "last", "new", "current", "ongoing"})


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in PASSIVE_SUBJECT_DEPS or c.dep_ == "auxpass" for c in verb.children)


def children(token: Token, deps: frozenset[str] | set[str]) -> list[Token]:
    return [c for c in token.children if c.dep_ in deps]


def subjects(verb: Token) -> list[Token]:
    """Grammatical actors of a verb: its subject, or the agent of a passive; borrowed up
    through xcomp/conj chains when the verb has none of its own ("agreed to hold", "met and signed")."""
    node = verb
    via = ""
    for _ in range(4):
        if is_passive(node):
            agents = [p for p in node.children if p.dep_ == "agent"]
            found = [o for a in agents for o in a.children if o.dep_ == "pobj"]
            if not found and ((node is not verb and not (via == "conj" and is_passive(verb)))
                              or node.lemma_ in STATIVE_PASSIVES):
                found = passive_subjects(node)  # "are expected to [sign]", "were engaged in"; not "is killed and [...]"
        else:
            found = children(node, SUBJECT_DEPS)
        if found:
            return found
        purpose = node.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
        if (node.dep_ in ("xcomp", "conj", "acomp") or purpose) and node.head is not node:
            via = node.dep_
            node = node.head
            continue
        if node.dep_ in ("acl", "relcl") and node.head is not node and not is_passive(node):
            head = node.head
            if head.dep_ == "attr" and head.head.pos_ in ("VERB", "AUX"):
                return subjects(head.head)  # "Russia became the first country [to recognize] ..."
            if node.dep_ == "acl" and head.dep_ in OBJECT_DEPS and head.head.pos_ in ("VERB", "AUX"):
                return subjects(head.head)  # "issued a declaration [demanding] ..."
            return [head]
        break
    return []


def passive_subjects(verb: Token) -> list[Token]:
    return children(verb, PASSIVE_SUBJECT_DEPS) if is_passive(verb) else []


def objects(verb: Token) -> list[Token]:
    return children(verb, OBJECT_DEPS)


def prep_objects(head: Token, preps: frozenset[str] | set[str]) -> Iterator[tuple[str, Token]]:
    """(preposition, object) pairs under `head` for the given prepositions ("in front of" too)."""
    for prep in head.children:
        if prep.dep_ not in ("prep", "agent", "dative") and prep.pos_ != "ADP":
            continue
        word = prep.lower_
        objs = [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]
        if word in preps:
            for obj in objs:
                yield word, obj
        for obj in objs:  # complex prepositions: "in front of", "on behalf of"
            for inner in obj.children:
                if inner.dep_ == "prep" and f"{word} {obj.lower_} {inner.lower_}" in preps:
                    for o in inner.children:
                        if o.dep_ == "pobj":
                            yield f"{word} {obj.lower_} {inner.lower_}", o


def governing_verb(noun: Token) -> Token | None:
    """The verb a noun is an argument of: "held [talks]", "took part in [drills]"."""
    node = noun
    for _ in range(4):
        head = node.head
        if head is node:
            return None
        if head.pos_ in ("VERB", "AUX") and node.dep_ in OBJECT_DEPS | SUBJECT_DEPS | PASSIVE_SUBJECT_DEPS | {"npadvmod"}:
            return head
        if node.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX"):
            # "took part [in drills]", "arrived [for talks]"; not "signed deals [during the visit]"
            return head.head if head.lower_ in ARGUMENT_PREPS else None
        if node.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN":
            node = head.head  # "a third round of [drills]", "a series of [talks]"
            continue
        if node.dep_ in ("conj", "appos"):  # "began Kavkaz-2020, [a strategic exercise]"
            node = head
            continue
        return None
    return None


def clause_chain(verb: Token) -> list[Token]:
    """The verb and the verbs it is an xcomp of: "is expected to [continue]" -> continue, expected."""
    chain = [verb]
    node = verb
    while node.dep_ in ("xcomp", "conj") and node.head is not node and node.head.pos_ in ("VERB", "AUX", "ADJ"):
        node = node.head
        chain.append(node)
    return chain


STATIVE_PASSIVES = frozenset({"engage", "involve"})
NEGATING_VERBS = frozenset({"fail", "decline", "cease", "stop", "halt", "abandon"})


def is_negated(token: Token, failure_verbs: bool = True) -> bool:
    """A negation on the token; with `failure_verbs`, also "failed/declined [to] ..." (which
    negates its to-clause, not a verb coordinated with it: "declined to comment and accused")."""
    if failure_verbs and token.lemma_.lower() in NEGATING_VERBS and any(c.dep_ == "xcomp" for c in token.children):
        return True  # "failed to reach agreement"
    for c in token.children:
        if c.dep_ == "neg" or (c.dep_ in ("det", "advmod") and c.lower_ in ("no", "never")):
            return True
        if c.dep_ == "preconj" and c.lower_ == "neither":
            return True
    return False


def subtree_tokens(token: Token, stop_deps: frozenset[str] = SUBORDINATE_DEPS) -> list[Token]:
    """The token's subtree minus subordinate clauses and appositions inside it."""
    out: list[Token] = []
    stack = [token]
    while stack:
        node = stack.pop()
        out.append(node)
        last_item = max((c.i for c in node.children if c.dep_ == "conj"), default=-1)
        stack.extend(c for c in node.children if c.dep_ not in stop_deps
                     or (c.dep_ == "appos" and c.i < last_item))  # "Israel, [Lebanon], and the US": a list
    return out

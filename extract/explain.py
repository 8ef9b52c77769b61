"""Why a sentence gave an event or none: what the parser saw, which pattern fired with which
roles, how each actor resolved, the time and status and their reasons, what was dropped.

Extraction itself does the work: `Trace` is handed to `Extractor.extract(..., trace=...)` and
hears, at each decision, what was decided (`first_pass`, `note`). This module only turns
those notes into an `Explanation` (plain dicts, so `--format json` prints them as they are)
and renders it for people.
"""
from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import syntax
from .records import Document, Event

SOURCES = {
    "country": "country name", "demonym": "demonym", "capital": "capital: its government",
    "entity": "lexicon entry", "person": "person", "person_short": "person's short name",
    "place": "place", "non_actor": "not an actor",
}
PLACE_WORDS = ("in", "on", "at", "near", "off", "across", "over", "inside", "throughout", "around", "within",
               "into", "along", "outside", "toward", "towards", "the", "a", "an")
FUTURE_MODIFIERS = ("upcoming", "planned", "future", "scheduled", "proposed", "next", "forthcoming")


class ExplainError(ValueError):
    """What `explain` was asked about cannot be found: an unknown document, a bad index."""


# -- collecting ---------------------------------------------------------------------------
@dataclass
class _Candidate:
    token: Any
    trigger: Any
    outcome: str = ""  # "dropped", "anaphora", "roles"
    why: str = ""
    roles: dict = field(default_factory=dict)
    event: Event | None = None


@dataclass
class _SentenceNotes:
    index: int
    text: str = ""
    named: int = 0
    parsed_first: bool = False
    sent: Any = None
    discarded: bool = False
    mentions: list = field(default_factory=list)
    times: list = field(default_factory=list)
    candidates: dict[int, _Candidate] = field(default_factory=dict)


class Trace:
    """What extraction decided about each sentence of one document, as it decided it."""

    def __init__(self) -> None:
        self.sentences: dict[int, _SentenceNotes] = {}
        self._current: _SentenceNotes | None = None

    def __bool__(self) -> bool:
        return True

    def first_pass(self, index: int, text: str, named: int, kept: bool) -> None:
        self.sentences[index] = _SentenceNotes(index, text.strip(), named, kept)

    def note(self, kind: str, **data) -> None:
        if kind == "parsed":
            self._current = self.sentences.setdefault(data["index"], _SentenceNotes(data["index"]))
            self._current.sent = data["sent"]
            return
        notes = self._current
        if notes is None:
            return
        if kind == "discarded":
            notes.discarded = True
        elif kind == "mentions":
            notes.mentions, notes.times = list(data["mentions"]), list(data["times"])
        elif kind == "trigger":
            notes.candidates[data["token"].i] = _Candidate(data["token"], data["trigger"])
        elif kind in ("dropped", "anaphora", "roles"):
            found = notes.candidates.get(data["token"].i)
            if found is None:
                return
            found.outcome = kind
            found.why = data.get("why", "")
            if kind == "roles":
                found.roles = data
        elif kind == "event":
            found = notes.candidates.get(data["token"].i)
            if found is not None:
                found.event = data["event"]


# -- explaining ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Explanation:
    """Per sentence: the first pass, tokens, actors, times, each trigger and its fate, events."""

    document: str
    published: str | None
    sentences: tuple[dict, ...]
    graph: tuple[dict, ...] = ()  # for DOC:SENTENCE: what the graph holds for the sentence
    note: str = ""

    def as_dict(self) -> dict:
        return {"document": self.document, "published": self.published,
                "sentences": list(self.sentences), "graph": list(self.graph), "note": self.note}


def explain_document(extractor, document: Document, only: int | None = None) -> Explanation:
    """Extract `document` with a trace and explain every sentence (or sentence `only`)."""
    trace = Trace()
    _, events = next(extractor.extract([document], trace=trace))
    by_sentence: dict[int, list[Event]] = {}
    for event in events:
        by_sentence.setdefault(event.sentence_index, []).append(event)
    indexes = sorted(trace.sentences) if only is None else [only]
    out = []
    for index in indexes:
        notes = trace.sentences.get(index)
        if notes is None:
            raise ExplainError(f"document {document.id!r} has no sentence {index} "
                               f"(it has {len(trace.sentences)}: 0..{len(trace.sentences) - 1})")
        out.append(_explain_sentence(extractor, notes, by_sentence.get(index, []), document.published))
    return Explanation(document.id, document.published.isoformat() if document.published else None,
                       tuple(out))


def explain_text(extractor, text: str, published: date | None = None) -> Explanation:
    """Explain a sentence (or a few) typed on the command line, as a document of its own."""
    if not text.strip():
        raise ExplainError("nothing to explain: the sentence is empty")
    return explain_document(extractor, Document(id="sentence", text=text, published=published))


def _explain_sentence(extractor, notes: _SentenceNotes, events: list[Event], published: date | None) -> dict:
    out: dict = {"index": notes.index, "text": notes.text, "first_pass": _first_pass(notes),
                 "discarded": None, "tokens": [], "actors": [], "times": [], "triggers": [],
                 "near_misses": [], "events": [e.to_dict() for e in events]}
    if notes.sent is None:
        out["verdict"] = f"no event: filtered before parsing ({out['first_pass']['why']})"
        return out
    sent = notes.sent
    if notes.discarded:
        lemmas, lower = {t.lemma_.lower() for t in sent}, sent.text.lower()
        words = sorted(w for w in extractor.triggers.discard_context
                       if (w in lemmas if " " not in w else w in lower))
        named = ", ".join(repr(w) for w in words[:3])
        out["discarded"] = f"about sport, film or music ({'the word' if len(words) == 1 else 'words'} {named})"
        out["tokens"] = _tokens(sent, [], [], {})
        out["verdict"] = f"no event: the sentence is {out['discarded']}, so its verbs are no events"
        return out
    out["tokens"] = _tokens(sent, notes.mentions, notes.times, notes.candidates)
    out["actors"] = [_mention(extractor, sent, m, published) for m in notes.mentions]
    out["times"] = [{"text": span.text, "start": span.start, "end": span.end, "granularity": span.granularity}
                    for _, span in notes.times]
    kept = {e.id for e in events}
    fired_ids = set()
    for i in sorted(notes.candidates):
        entry = _candidate(extractor, notes, notes.candidates[i], kept, published)
        fired_ids.update(filter(None, [entry.get("event_id")]))
        out["triggers"].append(entry)
    for event in events:
        if event.id not in fired_ids:
            event_entry = next((t for t in out["triggers"] if t.get("event_id", "")[:8] == event.id[:8]), None)
            if event_entry is not None:
                event_entry.setdefault("also", []).append(
                    f"another occurrence at {event.time.text!r} ({event.time.start}): event {event.id}")
    out["near_misses"] = _near_misses(extractor, sent, notes)
    if events:
        out["verdict"] = f"{len(events)} event{'s' if len(events) > 1 else ''}"
    elif not notes.candidates:
        out["verdict"] = "no event: no trigger pattern matched"
    else:
        out["verdict"] = "no event: every candidate was dropped"
    return out


def _first_pass(notes: _SentenceNotes) -> dict:
    named = notes.named
    if notes.parsed_first:
        why = (f"names {named} actors or group references" if named > 1 else "names an actor and a word that can be a trigger"
               if named == 1 else "refers to an event with a definite noun (\"the drills\")")
    elif named == 0:
        why = "it names no actor and no definite event noun such as \"the drills\""
    else:
        why = "it names one actor and no word that could be a trigger"
    return {"parsed": notes.parsed_first, "actors_named": named, "why": why}


def _tokens(sent, mentions, times, candidates) -> list[dict]:
    marks: dict[int, list[str]] = {}
    for m in mentions:
        for i in range(m.start, m.end):
            marks.setdefault(i, []).append(f"actor:{m.actor.id}" + (":place" if m.place_only else ""))
    for n, (_, span) in enumerate(times):
        for t in sent.char_span(*_char_range(sent, span.text), alignment_mode="expand") or ():
            marks.setdefault(t.i, []).append("time")
    for i in candidates:
        marks.setdefault(i, []).append("trigger")
    return [{"i": t.i, "text": t.text, "lemma": t.lemma_, "pos": t.pos_, "tag": t.tag_, "dep": t.dep_,
             "head": t.head.i, "entity": _entity(marks.get(t.i, [])) or t.ent_type_, "marks": marks.get(t.i, [])}
            for t in sent]


def _entity(marks: list[str]) -> str:
    """The actor lexicon's id and the time tagger come first; the recognizer's label fills in."""
    for mark in marks:
        if mark.startswith("actor:"):
            return mark.split(":")[1]
    return "TIME" if "time" in marks else ""


def _char_range(sent, text: str | None) -> tuple[int, int]:
    at = sent.text.find(text or "\x00")
    return (at, at + len(text)) if at >= 0 and text else (0, 0)


def _mention(extractor, sent, mention, published) -> dict:
    span = sent[mention.start:mention.end]
    actor = mention.actor
    return {"text": span.text, "id": actor.id, "name": actor.name, "kind": actor.kind,
            "sector": actor.sector, "how": _how(extractor, span.text, mention, published)}


def _how(extractor, text: str, mention, published) -> str:
    actor = mention.actor
    if mention.from_group:
        return "a group reference: the actors the document named together before"
    source, detail = extractor.lexicon.alias_source(text, published)
    how = SOURCES.get(source, source or "lexicon")
    if source in ("person", "person_short") and detail:
        how += f" ({detail})"
    elif source in ("entity",) and detail:
        how += f" ({detail})"
    if actor.mention and actor.mention != text:
        how += f"; the whole phrase {actor.mention!r} gives sector {actor.sector or 'none'}"
    elif actor.sector:
        how += f"; sector {actor.sector}"
    if mention.place_only:
        how += "; it qualifies a place noun, so it is a place here, not an actor"
    return how


def _candidate(extractor, notes: _SentenceNotes, found: _Candidate, kept: set[str], published) -> dict:
    trigger, token = found.trigger, found.token
    entry: dict = {"word": token.text, "i": token.i, "pattern": {
        "lemma": trigger.lemma, "pos": trigger.pos, "plover": trigger.plover, "mode": trigger.mode,
        "cameo": trigger.cameo, "tags": list(trigger.tags)}}
    event = found.event
    if found.outcome == "dropped" or (event is None and not found.outcome):
        entry["result"] = "dropped"
        entry["why"] = found.why or "the trigger gave no event"
        return entry
    if event is None:
        entry["result"] = "dropped"
        entry["why"] = found.why or "no event"
        return entry
    entry["event_id"] = event.id
    if event.id in kept:
        entry["result"] = "event"
    else:
        entry["result"] = "dropped"
        entry["why"] = ("an unnamed attacker, while the sentence or the article names who attacked"
                        if "unknown" in event.actor_ids else "the same event as an earlier trigger")
    entry["roles"] = _roles(extractor, notes, found, event, published)
    entry["status"] = {"value": event.status, "why": _status_why(extractor, found, event, published)}
    entry["time"] = {**event.time.to_dict(), "why": _time_why(event, published)}
    entry["location"] = ({**event.location.to_dict(), "how": _place_how(extractor, event.location.text)}
                         if event.location else None)
    if found.outcome == "anaphora":
        entry["via"] = found.why
    return entry


def _roles(extractor, notes, found: _Candidate, event: Event, published) -> dict:
    people = found.roles.get("people")
    governor, light = found.roles.get("governor"), found.roles.get("light")
    if found.outcome == "anaphora":
        via = "the earlier event it refers to"
    elif found.trigger.joins:
        via = "subjects who take part, joined to the exercise the document is about"
    elif people is not None and people.how == "group":
        via = "a group reference (\"the two countries\")"
    elif light and governor is not None:
        via = f"the light verb {governor.text!r} and the noun's own modifiers"
    else:
        via = "the parse: subject, objects, the pattern's prepositions"
    by_id = {m.actor.id: m for m in notes.mentions}

    def one(actor) -> dict:
        mention = by_id.get(actor.id)
        if actor.id == "unknown":
            how = "an unnamed attacker: violence whose perpetrator the sentence does not name"
        elif mention is not None:
            how = _how(extractor, notes.sent[mention.start:mention.end].text, mention, published)
        elif found.outcome == "anaphora":
            how = "from the earlier event it refers to"
        else:
            place = extractor.lexicon.resolve_place(actor.mention or actor.name)
            how = (f"the place {place.text!r} (gazetteer or place list)" if place is not None
                   else "from the document's earlier events")
        return {"id": actor.id, "name": actor.name, "mention": actor.mention, "how": how}

    return {"via": via, "actors": [one(a) for a in event.actors], "targets": [one(a) for a in event.targets]}


def _place_how(extractor, text: str) -> str:
    """How a locative phrase found its country: a name in the lexicon or the gazetteer."""
    words = text.split()
    while words and words[0].lower() in PLACE_WORDS:
        words = words[1:]
    for start in range(len(words)):
        for end in range(len(words), start, -1):
            source, name = extractor.lexicon.alias_source(" ".join(words[start:end]))
            if source:
                label = "the place list" if source == "place" else SOURCES.get(source, source)
                return f"{' '.join(words[start:end])!r}: {label}"
    return "gazetteer: a city of 100,000 people or more, or a first-level region"


def _status_why(extractor, found: _Candidate, event: Event, published) -> str:
    raw = found.roles.get("status", event.status)
    if event.status == "future" and raw == "asserted":
        return f"its time ({event.time.start}) is after the publication date ({published})"
    cues = _status_cues(extractor.triggers, found)
    if event.status == "asserted":
        return "no negation, modal, conditional or future cue" if not cues else \
            "the cues (" + ", ".join(cues) + ") do not govern the trigger"
    if found.outcome == "anaphora" and not cues:
        return "the status of the earlier event it refers to"
    if not cues:
        return f"{event.status} (from the clause around the trigger)"
    order = "" if len(cues) == 1 else " (negated over hypothetical over future)"
    return ", ".join(cues) + order


def _status_cues(lex, found: _Candidate) -> list[str]:
    token, governor = found.token, found.roles.get("governor")
    verbs = [token] + (syntax.clause_chain(governor) if governor is not None else syntax.clause_chain(token)[1:])
    cues = []
    for verb in verbs:
        for c in verb.children:
            word = c.lower_
            if c.dep_ == "neg" or word in ("never", "neither") or (c.dep_ == "det" and word == "no"):
                cues.append(f"negation {c.text!r}")
            elif c.dep_ in ("aux", "auxpass") and word in lex.hypothetical_aux:
                cues.append(f"modal {c.text!r}")
            elif c.dep_ in ("aux", "auxpass") and word in lex.future_aux:
                cues.append(f"future {c.text!r}")
            elif c.dep_ == "mark" and word in ("if", "unless"):
                cues.append(f"condition {c.text!r}")
            elif c.dep_ == "amod" and word in FUTURE_MODIFIERS and verb is token:
                cues.append(f"future modifier {c.text!r}")
        if verb is not token and verb.lemma_.lower() in lex.future_verbs:
            cues.append(f"future verb {verb.text!r}")
        if verb.lemma_.lower() in syntax.NEGATING_VERBS and any(c.dep_ == "xcomp" for c in verb.children):
            cues.append(f"negating verb {verb.text!r}")
    return list(dict.fromkeys(cues))


def _time_why(event: Event, published) -> str:
    time = event.time
    if not time.text:
        if time.start:
            return f"no time expression: the publication date ({published})"
        return "no time expression and no publication date: left unresolved"
    if not time.start:
        return f"{time.text!r} could not be resolved (no publication date to count from)"
    span = time.start if time.end in (None, time.start) else f"{time.start}..{time.end}"
    return f"{time.text!r}, the nearest time expression up the parse tree: {span} ({time.granularity})"


def _near_misses(extractor, sent, notes: _SentenceNotes) -> list[dict]:
    """Words a pattern exists for that did not fire here, with the first condition that failed."""
    from .triggers import base_forms

    out = []
    in_mention = {i for m in notes.mentions if not m.place_only for i in range(m.start, m.end)}
    for token in sent:
        if token.i in notes.candidates:
            continue
        lemmas = [token.lemma_.lower(), *base_forms(token.lower_)]
        patterns = next((extractor.triggers.candidates(l) for l in lemmas if extractor.triggers.candidates(l)), ())
        if not patterns:
            for entry in extractor.patterns.entries_for(lemmas)[:1]:  # a dependency pattern's trigger word
                why = "part of an actor's name" if token.i in in_mention else "its other nodes did not match"
                out.append({"word": token.text, "pattern": f"{entry.id}, a dependency pattern", "why": why})
            continue
        why = "part of an actor's name" if token.i in in_mention else _why_not(patterns[0], token)
        out.append({"word": token.text, "pattern": f"{patterns[0].lemma} {patterns[0].pos}", "why": why})
    return out


def _why_not(trigger, token) -> str:
    from .triggers import _coarse_pos, _near_lemmas, _object_lemmas

    if trigger.pos != _coarse_pos(token):
        return f"the pattern wants a {trigger.pos}, the parser read a {token.pos_}"
    if trigger.plural and token.tag_ not in ("NNS", "NNPS"):
        return "the pattern wants the plural"
    near = _near_lemmas(token)
    missing = [w for w in trigger.other_words if w not in near]
    if missing:
        return f"the phrase needs {' '.join(missing)!r} beside it"
    objects = _object_lemmas(token)
    if trigger.object and not objects & trigger.object:
        return f"the pattern needs an object such as {', '.join(sorted(trigger.object)[:3])}"
    if objects & trigger.reject_object:
        return f"its object {', '.join(sorted(objects & trigger.reject_object))!r} rules it out"
    if trigger.needs and not near & trigger.needs:
        return f"the pattern needs a dependent such as {', '.join(sorted(trigger.needs)[:3])}"
    if near & trigger.reject_near:
        return f"the word {', '.join(sorted(near & trigger.reject_near))!r} beside it rules it out"
    if trigger.needs_xcomp:
        return "the pattern needs a to-clause"
    if trigger.needs_context:
        return f"the sentence lacks a word such as {', '.join(sorted(trigger.needs_context)[:3])}"
    return "another pattern of the word applies"


# -- DOC:SENTENCE against a graph -------------------------------------------------------
def parse_reference(reference: str) -> tuple[str, int]:
    """"DOC:SENTENCE_INDEX" -> (doc id, index); ExplainError when the index is no number."""
    doc_id, colon, index = reference.rpartition(":")
    if not colon or not doc_id:
        raise ExplainError(f"{reference!r} is not DOC:SENTENCE_INDEX")
    if not index.isdigit():
        raise ExplainError(f"bad sentence index {index!r} in {reference!r}: expected DOC:SENTENCE_INDEX "
                           "with a number from 0")
    return doc_id, int(index)


def explain_stored(extractor, doc_id: str, index: int, published: date | None,
                   held: list[tuple[dict, str]], docs: list[str] | None = None) -> Explanation:
    """Explain sentence `index` of document `doc_id` of a graph, given the document's date and
    the mentions the graph holds for it (`held`: (mention record, merged event id) pairs): the
    whole article again when `docs` names where it is, else the kept sentence on its own."""
    here = [(m, e) for m, e in held if m.get("sentence_index") == index]
    graph_rows = tuple({"mention": m["id"], "event": e, "action": m["action"]["plover"],
                        "actors": [a["id"] for a in m["actors"]], "targets": [a["id"] for a in m.get("targets", [])],
                        "correction": m.get("correction") or ""} for m, e in here)
    if docs:
        document = _find_document(docs, doc_id, published)
        found = explain_document(extractor, document, index)
        return Explanation(found.document, found.published, found.sentences, graph_rows)
    if not here:
        raise ExplainError(f"sentence {index} of {doc_id!r} gave no event, and the graph keeps only "
                           "sentences that did: give --docs PATH to read the article again")
    found = explain_document(extractor, Document(doc_id, here[0][0]["sentence"], published))
    sentences = tuple({**s, "index": index} for s in found.sentences)
    note = "explained on its own, without the sentences before it (give --docs PATH for the whole article)"
    return Explanation(doc_id, found.published, sentences, graph_rows, note)


def _find_document(paths: list[str], doc_id: str, published: date | None) -> Document:
    from .reader import read_documents

    for document in read_documents(paths, published):
        if document.id == doc_id:
            return document
    raise ExplainError(f"document {doc_id!r} is not among the articles in {', '.join(paths)}")


# -- rendering ----------------------------------------------------------------------------
def render(explanation: Explanation, width: int = 100) -> str:
    lines: list[str] = []
    if explanation.published:
        lines.append(f"published: {explanation.published}")
    if explanation.note:
        lines.append(f"note: {explanation.note}")
    for s in explanation.sentences:
        lines += _render_sentence(s, width)
    if explanation.graph:
        lines.append("in the graph:")
        for row in explanation.graph:
            mark = f" [analyst correction: {row['correction']}]" if row["correction"] else ""
            lines.append(f"  mention {row['mention']} -> event {row['event']}: {row['action']} "
                         f"{','.join(row['actors'])}" + (f" -> {','.join(row['targets'])}" if row["targets"] else "")
                         + mark)
    return "\n".join(lines)


def _render_sentence(s: dict, width: int) -> list[str]:
    wrap = lambda text, indent: textwrap.wrap(text, width, initial_indent=indent,  # noqa: E731
                                              subsequent_indent=indent + "  ") or [indent]
    lines = wrap(f"sentence {s['index']}: {s['text']}", "")
    first = s["first_pass"]
    lines.append(f"  first pass: {'parsed' if first['parsed'] else 'not parsed'}: {first['why']}")
    if s["tokens"]:
        lines.append("  parse (word/POS/dependency>head; marks):")
        cells = []
        for t in s["tokens"]:
            head = s["tokens"][t["head"]]["text"] if t["head"] != t["i"] else "ROOT"
            mark = f"[{','.join(t['marks'])}]" if t["marks"] else ""
            cells.append(f"{t['i']}:{t['text']}/{t['pos']}/{t['dep']}>{head}{mark}")
        lines += wrap("  ".join(cells), "    ")
    if s["discarded"]:
        lines.append(f"  discarded: {s['discarded']}")
    for a in s["actors"]:
        sector = f" {a['sector']}" if a["sector"] else ""
        lines += wrap(f"actor {a['text']!r} -> {a['id']}{sector} ({a['name']}): {a['how']}", "  ")
    for t in s["times"]:
        span = t["start"] if t["end"] in (None, t["start"]) else f"{t['start']}..{t['end']}"
        lines.append(f"  time {t['text']!r} -> {span or 'unresolved'} ({t['granularity']})")
    for trig in s["triggers"]:
        p = trig["pattern"]
        tags = ",".join(p["tags"])
        lines.append(f"  trigger {trig['word']!r} (pattern {p['lemma']} {p['pos']}: {p['plover']}"
                     f"{':' + p['mode'] if p['mode'] else ''} CAMEO {p['cameo']}{' ' + tags if tags else ''})")
        if "roles" in trig:
            roles = trig["roles"]
            lines += wrap(f"roles via {roles['via']}", "    ")
            for role in ("actors", "targets"):
                for a in roles[role]:
                    lines += wrap(f"{role[:-1]} {a['id']} ({a['mention'] or a['name']}): {a['how']}", "      ")
            lines += wrap(f"status {trig['status']['value']}: {trig['status']['why']}", "    ")
            lines += wrap(f"time: {trig['time']['why']}", "    ")
            if trig["location"]:
                loc = trig["location"]
                lines += wrap(f"location {loc['text']!r} -> {loc['id'] or 'no country'} ({loc['how']})", "    ")
        if trig.get("via"):
            lines.append(f"    {trig['via']}")
        if trig["result"] == "event":
            lines.append(f"    => event {trig['event_id']}")
        else:
            lines += wrap(f"=> dropped: {trig['why']}", "    ")
        for also in trig.get("also", []):
            lines.append(f"    => {also}")
    for miss in s["near_misses"]:
        lines += wrap(f"not a trigger here: {miss['word']!r} (pattern {miss['pattern']}): {miss['why']}", "  ")
    lines.append(f"  result: {s['verdict']}")
    return lines

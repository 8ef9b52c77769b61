"""Documents to events.

A cheap first pass (tokenizer, rule sentencizer, actor phrase matcher) picks the sentences
that can hold an event: those naming an actor, a group ("the two countries") or a
definite event noun ("the drills"). Only those are parsed, in batches, and handed with the
document's running context to `SentenceEvents` (with the dependency patterns of `patterns.py`).
"""
from __future__ import annotations

import multiprocessing
import re
import signal
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from spacy.language import Language
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from .actors import ActorLexicon, default_lexicon
from .discourse import DocumentContext, one_cast_per_named_exercise
from .learned import LEARNED_BY_DEFAULT, default_tagger
from .mentions import ActorMatcher
from .nlp import ModelNotFound, load_pipeline
from .records import Document, Event
from .patterns import DependencyPatterns, PatternEvents, load_patterns
from .sentence import EDITION_WORDS
from .syntax import ANAPHORIC_DETERMINERS, LATEST_WORDS
from .triggers import TriggerFileError, TriggerLexicon, base_forms, default_triggers, load_triggers

CHUNK_CHARS = 50_000
DOCS_PER_BATCH = 32
PARSE_BATCH = 128
MAX_SENTENCE_CHARS = 2_000


class ExtractionError(RuntimeError):
    """Extraction cannot start: no model, or a dictionary file is unusable."""


@dataclass(frozen=True)
class Candidate:
    """A sentence worth parsing: its index in the document and where it starts."""

    index: int
    offset: int
    text: str


class Extractor:
    def __init__(self, model: str | None = None, actor_files: Sequence[Path] = (),
                 trigger_files: Sequence[Path] = (), learned: bool | None = None) -> None:
        try:
            self.nlp: Language = load_pipeline(model)
            self.triggers: TriggerLexicon = load_triggers(trigger_files) if trigger_files else default_triggers()
            self.lexicon: ActorLexicon = ActorLexicon.load(actor_files) if actor_files else default_lexicon()
            self.patterns: DependencyPatterns = load_patterns(self.nlp.vocab, trigger_files)
        except (ModelNotFound, TriggerFileError, ValueError, OSError) as exc:
            raise ExtractionError(str(exc)) from None
        self.sentencizer = Sentencizer()
        self.matcher = ActorMatcher(self.nlp, self.lexicon)
        self.builder = PatternEvents(self.triggers, self.lexicon, self.matcher, self.patterns)
        self.event_heads = self.triggers.head_words() | self.patterns.head_words()
        # the learned trigger tagger (extract.learned), when asked for and shipped, on words no
        # rule names; the words it knows also make a sentence with one actor worth parsing
        tagger = default_tagger() if (LEARNED_BY_DEFAULT if learned is None else learned) else None
        self.builder.learned = tagger.without(self.event_heads) if tagger is not None else None
        self.trigger_words = self.event_heads | (self.builder.learned.words if self.builder.learned else frozenset())

    # -- first pass -----------------------------------------------------------------------
    def candidates(self, document: Document, trace=None) -> list[Candidate]:
        out: list[Candidate] = []
        index = 0
        for offset, chunk in _chunks(document.text, _body_start(document)):
            tokens = self.sentencizer(self.nlp.make_doc(chunk))
            hits = [start for start, _, _ in self.matcher.spans(tokens)]
            for sent in tokens.sents:
                named = sum(1 for h in hits if sent.start <= h < sent.end)
                if sent.text.strip() and ((named and (named > 1 or self._has_trigger_word(sent)))
                                          or self._has_event_reference(tokens, sent.start, sent.end)):
                    text = sent.text[:MAX_SENTENCE_CHARS]
                    out.append(Candidate(index, offset + sent.start_char, text))
                if sent.text.strip():
                    if trace:
                        trace.first_pass(index, sent.text, named, bool(out) and out[-1].index == index)
                    index += 1
        return out

    def _has_trigger_word(self, sent) -> bool:
        """Whether any word could be a trigger: one actor and no such word make no event (two
        actors are parsed anyway: they may be the pair a later "the two countries" means)."""
        heads = self.trigger_words
        return any(form in heads for token in sent for form in base_forms(token.lower_))

    def _has_event_reference(self, tokens: Doc, start: int, end: int) -> bool:
        for i in range(max(start, 1), end):
            if tokens[i].lower_ in self.event_heads or tokens[i].lower_.rstrip("s") in self.event_heads:
                previous = tokens[i - 1].lower_
                if previous in ANAPHORIC_DETERMINERS or previous in LATEST_WORDS or previous in EDITION_WORDS \
                        or previous == "joint":
                    return True
        return False

    # -- documents ------------------------------------------------------------------------
    def extract(self, documents: Iterable[Document], trace=None) -> Iterator[tuple[Document, list[Event]]]:
        """Events of each document, in input order, parsing sentences in batches (`trace`:
        an `extract.explain.Trace` told what was decided, and why)."""
        docs = iter(documents)
        while batch := list(islice(docs, DOCS_PER_BATCH)):
            plans = [(d, self.candidates(d, trace)) for d in batch]
            texts = [c.text for _, cands in plans for c in cands]
            parsed = iter(self.nlp.pipe(texts, batch_size=PARSE_BATCH))
            for document, cands in plans:
                ctx = DocumentContext(document.id, document.published, trace=trace)
                events: list[Event] = []
                for cand in cands:
                    events += self.builder.events(next(parsed), cand.offset, cand.index, ctx)
                yield document, one_cast_per_named_exercise(events)

    def extract_one(self, document: Document) -> list[Event]:
        return next(self.extract([document]))[1]


def _body_start(document: Document) -> int:
    if document.dateline:
        at = document.text.find(document.dateline)
        if at != -1:
            return at + len(document.dateline)
    return 0


PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


def _chunks(text: str, start: int) -> Iterator[tuple[int, str]]:
    """Paragraphs (blank-line separated) with their offsets, cut at sentence ends when long.

    A single line break inside a paragraph is read as a space, so hard-wrapped text gives
    the same sentences as the same text on one line; offsets are unchanged."""
    pos = start
    while pos < len(text):
        found = PARAGRAPH_BREAK.search(text, pos, pos + CHUNK_CHARS)
        if found is None:
            end = min(len(text), pos + CHUNK_CHARS)
            if end < len(text):
                cut = text.rfind(". ", pos, end)
                end = cut + 2 if cut > pos else end
        else:
            end = found.end()
        yield pos, text[pos:end].replace("\r\n", "  ").replace("\n", " ").replace("\r", " ")
        pos = end


# -- parallel extraction ------------------------------------------------------------------
_worker: Extractor | None = None


def _start_worker(model: str | None, actor_files: Sequence[Path], trigger_files: Sequence[Path],
                  learned: bool | None = None) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent: it stops the build cleanly
    _worker = Extractor(model, actor_files, trigger_files, learned)


def _work(batch: list[Document]) -> list[tuple[Document, list[Event]]]:
    assert _worker is not None
    return list(_worker.extract(batch))


def extract_documents(documents: Iterable[Document], *, model: str | None = None, processes: int = 1,
                      actor_files: Sequence[Path] = (), trigger_files: Sequence[Path] = (),
                      learned: bool | None = None) -> Iterator[tuple[Document, list[Event]]]:
    """(document, events) pairs in input order; `processes` > 1 spreads batches over workers;
    `learned` turns the learned trigger tagger on or off (None: the package default)."""
    if processes <= 1:
        yield from Extractor(model, actor_files, trigger_files, learned).extract(documents)
        return
    Extractor(model, actor_files, trigger_files, learned)  # fail here, once, on a missing model or bad file
    docs = iter(documents)
    batches = iter(lambda: list(islice(docs, DOCS_PER_BATCH // 2 or 1)), [])
    context = multiprocessing.get_context("fork")
    with context.Pool(processes, initializer=_start_worker,
                      initargs=(model, tuple(actor_files), tuple(trigger_files), learned)) as pool:
        for results in pool.imap(_work, batches):
            yield from results


class ExtractionRun:
    """Events of every readable document under `paths`; counts what could be read."""

    def __init__(self, paths: Sequence[str], published, model: str | None,
                 on_problem: Callable[[str], None], processes: int = 1,
                 actor_files: Sequence[Path] = (), trigger_files: Sequence[Path] = ()) -> None:
        from .reader import DocumentReader

        self.reader = DocumentReader(paths, published, on_problem)
        self.options = dict(model=model, processes=processes, actor_files=tuple(actor_files),
                            trigger_files=tuple(trigger_files))

    @property
    def documents_read(self) -> int:
        return self.reader.documents_read

    def __iter__(self) -> Iterator[Event]:
        for _, events in extract_documents(self.reader, **self.options):
            yield from events


def extract_paths(paths: Sequence[str], *, published=None, model: str | None = None,
                  on_problem: Callable[[str], None] = lambda _: None,
                  actor_files: Sequence[Path] = (), trigger_files: Sequence[Path] = ()) -> ExtractionRun:
    return ExtractionRun(paths, published, model, on_problem, actor_files=actor_files,
                         trigger_files=trigger_files)

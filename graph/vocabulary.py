"""What `--did WHAT` accepts, listed from the built-in trigger patterns: each tag with
words that name it, each PLOVER category with the modes its patterns use, CAMEO prefixes."""
from __future__ import annotations

from collections import defaultdict

from extract.records import PLOVER_CATEGORIES, STATUSES, TAGS

__all__ = ["vocabulary", "vocabulary_lines"]

EXAMPLE_WORDS = 5


def vocabulary() -> dict:
    """{"tags": {tag: [words]}, "categories": {CATEGORY: [modes]}, "statuses": [...]}."""
    from extract.triggers import default_triggers

    words: dict[str, set[str]] = defaultdict(set)
    modes: dict[str, set[str]] = defaultdict(set)
    for trigger in default_triggers().triggers:
        for tag in trigger.tags:
            words[tag].add(trigger.lemma)
        if trigger.mode:
            modes[trigger.plover].add(trigger.mode)
    return {"tags": {tag: sorted(words[tag], key=lambda w: (len(w), w))[:EXAMPLE_WORDS] for tag in TAGS},
            "categories": {c: sorted(modes[c]) for c in PLOVER_CATEGORIES},
            "statuses": list(STATUSES)}


def vocabulary_lines() -> list[str]:
    """`vocabulary()` as lines for people."""
    found = vocabulary()
    lines = ["tags (--did TAG, or a word that names one):"]
    width = max(len(t) for t in found["tags"])
    lines += [f"  {tag:<{width}}  {', '.join(words)}" for tag, words in found["tags"].items()]
    lines.append("categories (--did CATEGORY or CATEGORY:mode):")
    width = max(len(c) for c in found["categories"])
    lines += [f"  {c:<{width}}  {', '.join(m) or '-'}" for c, m in found["categories"].items()]
    lines.append("CAMEO codes (--did PREFIX): digits, e.g. 06 (cooperate materially), 190 (fight)")
    lines.append(f"statuses (who --status S): {', '.join(found['statuses'])}")
    return lines

"""What a document has said so far: the pair "the two countries" refers to, earlier events."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date

from .records import Actor, Event, TimeSpan, event_id

NEWS_DAYS = 7  # how far before publication the day a story reports can lie
JOINT_TAGS = frozenset({"exercise", "patrol"})


def _joint(event: Event) -> bool:
    """A joint exercise or patrol."""
    return event.action.plover == "COOPERATE" and bool(JOINT_TAGS & set(event.action.tags))


@dataclass
class DocumentContext:
    doc_id: str
    published: date | None
    group: tuple[Actor, ...] = ()
    events: list[Event] = field(default_factory=list)
    news_day: TimeSpan | None = None
    places: Counter = field(default_factory=Counter)
    place_actors: dict[str, Actor] = field(default_factory=dict)
    trace: object = None  # an `extract.explain.Trace` that hears what extraction decided, or None

    def note_places(self, places: list[Actor]) -> None:
        for place in places:
            self.places[place.id] += 1
            self.place_actors.setdefault(place.id, place)

    def main_place(self, excluding: set[str]) -> Actor | None:
        """The country the story happens in: the one it names most often as a place."""
        ranked = [p for p, _ in self.places.most_common() if p not in excluding]
        return self.place_actors[ranked[0]] if ranked else None

    def note_news_day(self, event: Event) -> None:
        """Remember the day of the latest dated happening the story reports (its "on Thursday"):
        past acts told after it with no time of their own happened on that day."""
        time = event.time
        if self.published is None or event.status != "asserted" or not time.text or time.granularity != "day" \
                or not time.start or (time.end or time.start) != time.start:
            return
        if 0 <= (self.published - date.fromisoformat(time.start)).days <= NEWS_DAYS:
            self.news_day = TimeSpan(None, time.start, time.start, "day")

    def note_group(self, actors: list[Actor]) -> None:
        """Remember the latest coordination of two or more distinct actors."""
        distinct = {a.id: a for a in actors}
        if len(distinct) >= 2:
            self.group = tuple(distinct.values())

    def antecedent(self, plover: str, tags: tuple[str, ...], latest_in_time: bool) -> Event | None:
        """The event an anaphoric mention ("the exercise", "the latest drills") refers to."""
        same = [e for e in self.events if e.action.plover == plover and e.action.tags == tags
                and e.status == "asserted"]
        if not same:
            return None
        if latest_in_time:
            return max(reversed(same), key=lambda e: e.time.start or "")
        return same[-1]

    def series(self) -> Event | None:
        """The latest joint exercise or patrol reported, whose other editions or rounds a
        story may go on to tell ("last year's edition", "they held two rounds")."""
        found = [e for e in self.events if _joint(e) and e.status == "asserted"]
        return found[-1] if found else None

    def current_exercise(self) -> Event | None:
        """The joint exercise or patrol the document is about: the latest named one it reported,
        else the latest one."""
        found = [e for e in self.events if _joint(e) and e.status in ("asserted", "future")]
        named = [e for e in found if e.name]
        held = [e for e in named if e.status == "asserted"]
        return (held or named or found or [None])[-1]

    def last_event_actors(self, excluding: set[str], skip_triggers: frozenset[str] = frozenset()
                          ) -> tuple[Actor, ...]:
        """Actors of the most recent event (not one triggered by `skip_triggers`), for nominal
        references such as "the presence" and for reactions."""
        for event in reversed(self.events):
            if event.action.trigger in skip_triggers:
                continue
            actors = tuple(a for a in event.actors if a.id not in excluding)
            if actors:
                return actors
        return ()


def one_cast_per_named_exercise(events: list[Event]) -> list[Event]:
    """A named exercise or patrol is one happening in a document: every report of it carries
    everyone the document says takes part ("Russia began Kavkaz-2020 ... troops from Armenia
    and China joined in ... Iranian ships joined the naval part"), and reports that give no
    date of their own take the one another report gives. Those who stayed out are reported
    apart, as negated."""
    cast: dict[str, dict[str, Actor]] = {}
    dated: dict[str, TimeSpan] = {}
    for event in events:
        if _joint_named(event):
            members = cast.setdefault(event.name, {})
            for actor in event.actors:
                members.setdefault(actor.id, actor)
            if event.time.text and event.time.start and (event.name not in dated or _longer(event.time, dated[event.name])):
                dated[event.name] = event.time  # the report that dates it ("ran from May 11 to 25")
    if not cast:
        return events
    held = {e.name for e in events if _joint_named(e) and e.status == "asserted"}
    out: list[Event] = []
    seen: set[str] = set()
    for event in events:
        if _joint_named(event) and event.status == "future" and event.name in held:
            continue  # "Iranian warships are due to join": a participant of the exercise under way
        if _joint_named(event) and (len(cast[event.name]) > len(event.actors)
                                    or (not event.time.text and event.name in dated)):
            listed = event.id != event_id(event)  # one occurrence of several ("in 2019 and 2021")
            time = event.time if event.time.text or event.name not in dated else dated[event.name]
            event = replace(event, actors=tuple(cast[event.name].values()), time=time, id="")
            if listed:
                event = replace(event, id=event_id(event, event.time.start))
        if event.id not in seen:
            seen.add(event.id)
            out.append(event)
    return out


def _longer(a: TimeSpan, b: TimeSpan) -> bool:
    return (a.end or a.start or "") > (b.end or b.start or "") and (a.start or "") <= (b.start or "")


def _joint_named(event: Event) -> bool:
    return bool(event.name) and _joint(event) and event.status in ("asserted", "future")

"""One parsed sentence to event records.

For every token that a trigger pattern fires on, find who acted (subject, passive agent,
"with" partners, nominal modifiers, or the subject of a light verb such as "carried out"),
to whom (objects and the pattern's prepositions), when (the nearest time expression up the
tree), where (a locative phrase), and with what status (negation, modality, future cues).
A definite nominal with no participants of its own ("the exercise") refers back to an
earlier event of the same kind in the document.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc, Token

from . import syntax
from .actors import ActorLexicon
from .discourse import DocumentContext
from .names import NAMEABLE_TAGS, find_names, nearest_name
from .mentions import LOCATION_PREPS, RESIDENCE_PREPS, ActorMatcher, Mention, location_prep
from .records import Action, Actor, Event, Location, TimeSpan, event_id
from .timex import duration_days, find_times, in_named_year, in_year, resolve_time, with_duration
from .triggers import Trigger, TriggerLexicon, base_forms

FUTURE_MODIFIERS = frozenset({"upcoming", "planned", "future", "scheduled", "proposed", "next", "forthcoming"})
GENERIC_DETERMINERS = frozenset({"such", "any", "every", "no", "some", "more", "other"})
EVENT_NOUNS = frozenset({"presence", "activity", "deployment", "buildup", "build-up", "move", "action",
                         "behaviour", "behavior", "incursion", "exercise", "drill", "maneuver", "provocation",
                         "patrol", "operation", "expansion", "militarization", "militarisation", "aggression"})
STATUS_ORDER = ("negated", "hypothetical", "future", "asserted")
PLACE_TARGET_CATEGORIES = frozenset({"MOBILIZE", "COERCE", "ASSAULT"})
UNKNOWN_ACTOR = Actor("unknown", "unknown", "group", "", "")
CLAUSE_DEPS = frozenset({"relcl", "parataxis"})
TAKING_PART = frozenset({"take", "participate", "join", "contribute"})
OPENING_VERBS = frozenset({"open", "begin", "start", "commence", "kick"})
CLOSING_VERBS = frozenset({"end", "close", "conclude", "finish", "wrap"})
HOSTING_VERBS = frozenset({"host", "receive", "welcome", "invite", "greet"})
HABITUAL_ADVERBS = frozenset({"annually", "regularly", "routinely", "yearly", "habitually"})
EDITION_NOUNS = frozenset({"edition", "round", "iteration", "instalment", "installment"})
EDITION_WORDS = frozenset({"first", "previous", "last", "next", "earlier", "prior", "inaugural", "second",
                           "third", "latest", "past"})  # "the first drill took place in 2003": another edition
AIM_DENIALS = frozenset({"any", "third", "other"})
AIM_VERBS = frozenset({"aim", "direct", "target", "plan", "intend", "mean", "design"})
REFUSAL_VERBS = frozenset({"refuse", "reject", "rule"})
FRAME_NOUNS = frozenset({"support", "solidarity", "favour", "favor"})
OCCASION_PREPS = frozenset({"during", "amid", "at"})
QUANTITY_NOUNS = frozenset({"dozen", "dozens", "hundred", "hundreds", "thousand", "thousands", "ten", "tens",
                            "group", "band", "crowd", "number", "score", "scores", "million", "millions"})


@dataclass(frozen=True)
class Participants:
    actors: tuple[Actor, ...]
    targets: tuple[Actor, ...]
    tokens: tuple[int, ...]
    how: str  # "syntax", "group", "anaphora"


class SentenceEvents:
    """Builds the events of one sentence; holds the lexicons, keeps no per-document state."""

    def __init__(self, triggers: TriggerLexicon, actors: ActorLexicon, matcher: ActorMatcher) -> None:
        self.lex = triggers
        self.actors = actors
        self.matcher = matcher
        self.learned = None  # a TriggerTagger (extract.learned) for words no pattern covers

    def events(self, sent: Doc, offset: int, index: int, ctx: DocumentContext) -> list[Event]:
        if ctx.trace:
            ctx.trace.note("parsed", index=index, sent=sent)
        if self.lex.discards({t.lemma_.lower() for t in sent}, sent.text.lower()):
            if ctx.trace:
                ctx.trace.note("discarded")
            return []
        mentions, group_spans = self.matcher.mentions(sent, ctx.published)
        self._note_coordinations(sent, mentions, ctx)
        if group_spans and ctx.group:
            mentions += self.matcher.group_mentions(sent, group_spans, ctx.group)
        mentions = _drop_modifier_mentions(sent, mentions)
        reader = self._reader(sent, offset, index, ctx, mentions)
        if ctx.trace:
            ctx.trace.note("mentions", mentions=mentions, times=reader.times)
        out: list[Event] = []
        for token, trigger in reader.triggers():
            event = reader.event(token, trigger)
            if ctx.trace:
                ctx.trace.note("event", token=token, trigger=trigger, event=event)
            if event is not None and event.id not in {e.id for e in out}:
                out.append(event)
                out += [replace(event, time=span, id=f"{event.id[:8]}{event_id(event, span.start)[8:]}")
                        for span in reader.listed_times(event)]
        out = self._named(sent, offset, _without_redundant_unknowns(out, ctx.events), mentions)
        ctx.events.extend(out)
        ctx.note_places(_places_named(sent, mentions, out))
        for event in out:
            ctx.note_group(list(event.actors))
            ctx.note_news_day(event)
        return out

    def _reader(self, *args) -> "_Sentence":
        """The reader of one sentence (a seam for readers that find triggers another way)."""
        return _Sentence(self, *args)

    @staticmethod
    def _named(sent: Doc, offset: int, events: list[Event], mentions: list[Mention]) -> list[Event]:
        """Give exercises, summits, operations and treaties the name the sentence gives them."""
        if not any(set(e.action.tags) & NAMEABLE_TAGS and not e.name for e in events):
            return events
        names = find_names(sent, {i for m in mentions for i in range(m.start, m.end)})
        if not names:
            return events
        out = []
        for event in events:
            if set(event.action.tags) & NAMEABLE_TAGS and not event.name:
                trigger_char = event.span[0] - offset  # the event's start inside the sentence
                name = nearest_name(names, trigger_char)
                event = replace(event, name=name, time=in_named_year(event.time, name))
            out.append(event)
        return out

    @staticmethod
    def _note_coordinations(sent: Doc, mentions: list[Mention], ctx: DocumentContext) -> None:
        by_root = {m.root(sent).i: m for m in mentions if not m.place_only}
        for i, mention in by_root.items():
            conj = [by_root[c.i].actor for c in sent[i].conjuncts if c.i in by_root]
            if conj:
                ctx.note_group([mention.actor, *conj])


class _Sentence:
    def __init__(self, owner: SentenceEvents, sent: Doc, offset: int, index: int,
                 ctx: DocumentContext, mentions: list[Mention]) -> None:
        self.o = owner
        self.sent = sent
        self.offset = offset
        self.index = index
        self.ctx = ctx
        self.mentions = mentions
        self.mention_at: dict[int, list[Mention]] = {}
        for m in mentions:
            for i in range(m.start, m.end):
                self.mention_at.setdefault(i, []).append(m)
        self.times = self._times()
        self.trigger_at: dict[int, Trigger] = {}
        self.carrier_at: dict[int, Trigger] = {}  # verb triggers that carry a nominal one ("launched [attacks]")
        self.edition_of: dict[int, Event] = {}  # "last year's [edition]": the series it is one of

    def _note(self, kind: str, **data) -> None:
        if self.ctx.trace:
            self.ctx.trace.note(kind, **data)

    # -- triggers -------------------------------------------------------------------------
    def triggers(self) -> list[tuple[Token, Trigger]]:
        found = []
        for token in self.sent:
            if token.i in self.mention_at and not self.mention_at[token.i][0].place_only:
                continue
            trigger = self._match(token)
            if trigger is None:
                trigger = self._edition(token)
            if trigger is None and self.o.learned is not None:
                trigger = self.o.learned.trigger(token, self.o.lex)
            if trigger is not None and not _adverbial_frame(token) and not self._simulated(token):
                found.append((token, trigger))
                self.trigger_at[token.i] = trigger
                self._note("trigger", token=token, trigger=trigger)
        nominal = {t.i: trig for t, trig in found if trig.pos == "NOUN"}
        carriers = {t.i for t, trig in found if trig.pos != "NOUN" and not trig.object and any(
            o.i in nominal and self._is_light(t, nominal[o.i]) for o in syntax.objects(t))}
        found = [(t, trig) for t, trig in found if t.i not in carriers]  # "flew [a joint patrol]": the patrol
        for i in carriers:
            self.carrier_at[i] = self.trigger_at.pop(i)
            self._note("dropped", token=self.sent[i], why="a verb carrying the nominal act it governs: the noun is the event")
        consumed = {o.i for t, trig in found if trig.pos != "NOUN" for o in syntax.objects(t)}
        consumed |= {o.i for t, trig in found if trig.joins for c in t.children if c.dep_ in ("prt", "prep")
                     for o in c.subtree}  # "pulled out [of the drills]": the drills are the exercise
        kept: list[tuple[Token, Trigger]] = []
        wrappers: set[int] = set()
        outcomes: set[int] = set()
        for token, trigger in found:
            clause = token
            if trigger.pos == "NOUN":
                governor = syntax.governing_verb(token)
                if governor is not None and (self._reports_on(governor, token, trigger)
                                             or self._contributes_to(governor, trigger)):
                    outcomes.add(governor.i)  # "two were killed [in Israeli strikes]": the strikes
                elif token.i in consumed or (governor is not None and governor.i in self.trigger_at) \
                        or self._part_of_other_noun(token):
                    self._note("dropped", token=token, why="part of another trigger's phrase (its object or noun)")
                    continue
                clause = governor if governor is not None else token
            outer = self._outer_trigger(clause)
            if outer is not None:
                if outer[1].plover != "AGREE":
                    self._note("dropped", token=token, why=f"the content of the act of '{self.sent[outer[0]]}'")
                    continue  # "threatened to [shell]", "demanded that Israel [withdraw]": the outer act
                # "agreed to [hold drills]", "is willing to [withdraw]": the intended act is the
                # event, marked future; the bare intention stands alone only when it names no act
                wrappers.add(outer[0])
            kept.append((token, trigger))
        for t, _ in kept:
            if t.i in wrappers or t.i in outcomes:
                self._note("dropped", token=t, why="an intention whose act is the event" if t.i in wrappers
                           else "an outcome of the attack it reports on")
        return [(t, trig) for t, trig in kept if t.i not in wrappers and t.i not in outcomes]

    def _edition(self, token: Token) -> Trigger | None:
        """"Last year's [edition]", "they held two [rounds]": another occurrence of the joint
        exercise or patrol the story is about (not "a round of talks": the talks are the act)."""
        if token.pos_ != "NOUN" or token.lemma_.lower() not in EDITION_NOUNS \
                or any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
            return None
        series = self.ctx.series()
        if series is None:
            return None
        kind = next((t for t in self.o.lex.triggers if t.pos == "NOUN" and t.plover == series.action.plover
                     and t.tags == series.action.tags), None)  # its kind as a noun: "exercise", "patrol"
        if kind is None:
            return None
        self.edition_of[token.i] = series
        return replace(kind, pos="NOUN", needs_context=frozenset(), light_verbs=frozenset())

    def _edition_event(self, token: Token, trigger: Trigger) -> Event | None:
        """An edition with its own time: the series' host and whoever it drew ("drew troops
        from A and B"), else the series' participants."""
        series = self.edition_of[token.i]
        time = self._time(token)
        if time is None or not time.text or _nested(time, series.time):
            return None  # no time of its own: the same happening
        governor = syntax.governing_verb(token)
        drawn: list[Mention] = []
        if governor is not None and governor.lemma_.lower() in self.o.lex.participant_verbs:
            drawn = self._argument_mentions(syntax.objects(governor) + [
                o for _, o in syntax.prep_objects(governor, {"from"})])  # "drew troops [from A and B]"
        first = next((e for e in self.ctx.events if e.action.tags == series.action.tags
                      and (e.name == series.name or not series.name)), series)  # the series' first report: its host
        told_by_its_cast = governor is not None and token.dep_ not in syntax.SUBJECT_DEPS \
            and bool(syntax.subjects(governor))  # "they held two rounds": the series' cast
        actors = series.actors if told_by_its_cast and not drawn else (first.actors[0], *(m.actor for m in drawn))
        people = self._resolve([Mention(token.i, token.i + 1, a) for a in actors], [])
        return replace(self._record(token, trigger, governor, people, time,
                                    self._location(token, governor), "asserted", confidence=0.6),
                       name=None)

    def _reported_tags(self, token: Token) -> frozenset[str]:
        """Tags of the joint acts the document reported, for a definite reference to one of
        them ("the first exercise", "the drills")."""
        if not self.ctx.events or token.lemma_.lower() not in self.o.lex.by_head:
            return frozenset()
        if token.pos_ in ("VERB", "AUX"):  # "Tanzanian troops are due to [join]" (the exercise under way)
            exercise = self.ctx.current_exercise()
            return frozenset(exercise.action.tags) if exercise is not None else frozenset()
        dets = {c.lower_ for c in token.children if c.dep_ in ("det", "poss")}
        if token.pos_ != "NOUN" or not dets & syntax.ANAPHORIC_DETERMINERS:
            return frozenset()
        return frozenset(tag for e in self.ctx.events for tag in e.action.tags if tag in NAMEABLE_TAGS)

    def _simulated(self, token: Token) -> bool:
        """What an exercise rehearses is no event: "troops rehearsed [repelling] an [attack]"."""
        node = token
        for _ in range(4):
            if node.head is node or node.dep_ not in ("xcomp", "dobj", "pcomp", "pobj", "ccomp", "conj", "prep"):
                return False
            node = node.head
            if node.lemma_.lower() in self.o.lex.simulation_verbs:
                return True
        return False

    def _match(self, token: Token) -> Trigger | None:
        return self.o.lex.match(token, self._reported_tags(token))

    def _contributes_to(self, verb: Token, trigger: Trigger) -> bool:
        """"sent bombers [on a joint patrol]", "dispatched troops [to the drills]": the joint act
        is the event and the sender one of its participants."""
        return (trigger.plover == "COOPERATE" and bool({"exercise", "patrol"} & set(trigger.tags))
                and verb.lemma_.lower() in self.o.lex.contribution_verbs)

    def _reports_on(self, verb: Token, noun: Token, trigger: Trigger) -> bool:
        """A passive outcome verb with no agent ("were killed", "are injured") whose cause is
        an attack nominal: the attack is the event."""
        outer = self.trigger_at.get(verb.i)
        return (outer is not None and outer.plover == trigger.plover == "ASSAULT" and outer.outcome
                and syntax.is_passive(verb) and not any(c.dep_ == "agent" for c in verb.children))

    def _outer_trigger(self, clause: Token) -> tuple[int, Trigger] | None:
        """The speech act, intention or protest a clause spells out the content or purpose of
        ("threatened [to shell]", "began a hunger strike [to demand]")."""
        node = clause
        while (node.dep_ in ("xcomp", "ccomp", "acl") or _purpose(node)) and node.head is not node:
            purpose = _purpose(node)
            node = node.head
            trigger = self.trigger_at.get(node.i)
            if trigger is not None and (trigger.pos != "NOUN" or clause.dep_ in ("acl", "ccomp")):
                return node.i, trigger
            if purpose:  # "began [a hunger strike] to demand": the light verb's own event
                for obj in syntax.objects(node):
                    if obj.i in self.trigger_at and self.trigger_at[obj.i].plover == "PROTEST":
                        return obj.i, self.trigger_at[obj.i]
        return None

    def _part_of_other_noun(self, noun: Token) -> bool:
        """"a treaty of friendship and [cooperation]": the treaty is the event."""
        node = noun
        for _ in range(3):
            while node.dep_ == "conj" and node.head is not node:
                node = node.head
            if node.dep_ != "pobj" or node.head.lower_ != "of":
                return False
            node = node.head.head
            if node.i in self.trigger_at:
                return True
        return False

    # -- one event ------------------------------------------------------------------------
    def event(self, token: Token, trigger: Trigger) -> Event | None:
        if self._habitual(token):
            return None  # "Moscow holds an exercise of this kind every year": no one happening
        if self._sends_to_exercise(token, trigger):
            trigger = replace(trigger, joins="asserted")  # "Beijing was sending the destroyer Xining"
        elif trigger.mode == "investigate" and token.lemma_.lower() in self.o.lex.contribution_verbs \
                and self.ctx.current_exercise() is not None:
            return None  # observers sent to an exercise watch it: neither an inquiry nor a part
        if trigger.joins:
            return self._participation(token, trigger)
        if token.i in self.edition_of:
            return self._edition_event(token, trigger)
        governor = syntax.governing_verb(token) if trigger.pos == "NOUN" else None
        light = governor is not None and self._is_light(governor, trigger)
        people = self._participants(token, trigger, governor if light else None)
        if light and not people.targets and governor.i in self.carrier_at:  # the carrying verb's own frame
            carried = self._participants(governor, self.carrier_at[governor.i], None)
            people = Participants(people.actors, carried.targets, people.tokens + carried.tokens, people.how)
        if not people.actors:
            people = self._unnamed_actors(token, governor if light else None, people)
        status = self._status(token, trigger, governor, light)
        if trigger.plover == "SUPPORT" and "agreement" in trigger.tags and status in ("future", "hypothetical"):
            trigger = self.o.lex.promise(trigger)  # "will sign a pact", "an agreement is expected"
        if trigger.plover == "RETREAT" and status == "negated" and self._refused(token):
            trigger = self.o.lex.refusal(trigger)  # "will not withdraw": a refusal to yield
            status = "asserted"
        time = self._opening_to_close(token) or self._time(token, to_come=status in ("future", "hypothetical"))
        location = self._location(token, governor if light else None)
        if location is None and governor is not None and trigger.plover in PLACE_TARGET_CATEGORIES:
            location = self._location(governor, None)  # "injured in a bombing [at a café in Cali]"
        if light and self._contributes_to(governor, trigger):
            joined = self._contribution_to_known(token, trigger, people)
            if joined is not None:
                return joined  # "China sent units to [the drills]": one of the exercise's reports
        referring = governor is None or not (light or token.dep_ in syntax.SUBJECT_DEPS)
        if trigger.pos == "NOUN" and (not people.actors or referring) \
                and not (people.actors and self._own_happening(token, trigger)):
            # a nominal that is not reported as happening ("amid the Iran war", "since the
            # invasion") refers to something known; it may only point back to an earlier event
            earlier = self._anaphoric(token, trigger, governor, status, time, light)
            if earlier is not None or not self._unnamed_attack(token, trigger, people, location):
                self._note("dropped" if earlier is None else "anaphora", token=token, why=(
                    "a nominal not reported as happening here, with no earlier event of its kind to refer to"
                    if earlier is None else "refers back to an earlier event of its kind in the document"))
                return earlier
        if not people.actors and trigger.patient_agent and syntax.is_passive(token):
            people = self._owner_of_patient(token, people)  # "Iranian missiles were launched at ..."
        if not people.actors and self._unnamed_attack(token, trigger, people, location):
            people = Participants((UNKNOWN_ACTOR,), people.targets, people.tokens, "syntax")
        if not people.actors:
            self._note("dropped", token=token, why="no actor found in its roles")
            return None
        if trigger.needs_target and not people.targets:
            self._note("dropped", token=token, why="the pattern needs a target and none was found")
            return None
        if trigger.plover == "ASSAULT" and not people.targets:
            people = self._victims_as_targets(token, governor if light else None, people)
        people = self._place_as_target(trigger, people, location)
        if trigger.plover == "ASSAULT" and not people.targets:  # "strikes [...], killing two civilians in Odesa"
            place = self._sentence_place({a.id for a in people.actors})  # rebels fight in their own country too
            if place is not None:
                people = _targeting(people, place)
        if (trigger.plover == "AID" or ("visit" in trigger.tags and trigger.lemma not in HOSTING_VERBS)) \
                and not people.targets:
            # "Turkey sent rescue teams" (to the stricken country), "Putin flew in for a state visit" (to the host)
            place = self.ctx.main_place({a.id for a in people.actors})
            if place is not None:
                people = _targeting(people, place)
        if trigger.reacts and not people.targets:  # "Japan scrambled fighters" (at the patrol)
            met = self.ctx.last_event_actors({a.id for a in people.actors}, self.o.lex.reaction_triggers)
            people = Participants(people.actors, met, people.tokens, people.how)
        self._note("roles", token=token, people=people, status=status, governor=governor, light=light)
        return self._record(token, trigger, governor if light else None, people,
                            time, location, self._final_status(status, time))

    def _contribution_to_known(self, noun: Token, trigger: Trigger, people: Participants) -> Event | None:
        """Forces sent to "the drills" join the exercise the story already reported."""
        dets = {c.lower_ for c in noun.children if c.dep_ in ("det", "poss")}
        exercise = self.ctx.current_exercise()
        if not dets & syntax.ANAPHORIC_DETERMINERS or exercise is None or exercise.action.tags != trigger.tags:
            return None
        cast = Participants(_joining(people.actors, exercise), (), people.tokens, "syntax")
        record = self._record(noun, trigger, None, cast, exercise.time, exercise.location, exercise.status,
                              confidence=0.6)
        return replace(record, name=exercise.name)

    def _habitual(self, token: Token) -> bool:
        verb = token if token.pos_ in ("VERB", "AUX") else syntax.governing_verb(token)
        for node in (token, verb):
            if node is None:
                continue
            for child in node.children:
                if child.lemma_.lower() in HABITUAL_ADVERBS and child.dep_ == "advmod":
                    return True
                if child.dep_ == "npadvmod" and child.lemma_.lower() in ("year", "month", "week", "day", "summer", "autumn") \
                        and any(d.lower_ in ("every", "each") for d in child.children):
                    return True
        return False

    def _sends_to_exercise(self, verb: Token, trigger: Trigger) -> bool:
        """Forces sent with no destination of their own, in a story about an exercise, are sent to it."""
        if trigger.plover != "MOBILIZE" or trigger.reacts or verb.pos_ not in ("VERB", "AUX") \
                or verb.lemma_.lower() not in self.o.lex.contribution_verbs or self.ctx.current_exercise() is None:
            return False
        return not any(True for _ in syntax.prep_objects(verb, {"to", "into", "toward", "towards", "against", "in", "on"}))

    def _participation(self, verb: Token, trigger: Trigger) -> Event | None:
        """"Servicemen from A, B and C are taking part", "India pulled out of the drills": the
        exercise the document is about, with these participants (alone when they stayed out)."""
        exercise = self.ctx.current_exercise()
        mentions = self._subject_mentions(verb)
        if exercise is None or not mentions:
            self._note("dropped", token=verb, why="taking part, but no exercise earlier in the document"
                       if exercise is None else "taking part, but no actor as its subject")
            return None
        joined = self._resolve(mentions, [])
        status = self._status(verb, trigger, None, False)
        if trigger.joins == "negated" or status == "negated":
            actors, status = joined.actors, "negated"
        else:
            actors = _joining(joined.actors, exercise)
        people = Participants(actors, (), joined.tokens, "syntax")
        record = self._record(verb, trigger, None, people, exercise.time, exercise.location, status,
                              confidence=0.6)
        action = replace(exercise.action, trigger=trigger.lemma, text=record.action.text)
        return replace(record, action=action, name=exercise.name, id="")

    @staticmethod
    def _own_happening(noun: Token, trigger: Trigger) -> bool:
        """A nominal with its own agent reports a happening ("during Israeli airstrikes in
        Lebanon", "attacks by the group"), unless it names a standing condition ("the war") or
        a kind of act ("any attack")."""
        if trigger.ongoing:
            return False
        dets = {c.lower_ for c in noun.children if c.dep_ in ("det", "predet")}
        return not (dets & GENERIC_DETERMINERS)

    def _unnamed_attack(self, token: Token, trigger: Trigger, people: Participants,
                        location: Location | None) -> bool:
        """Violence whose perpetrator the sentence does not name is an attack by an unknown actor
        on the place or people it hit: an attack nominal ("in a drone strike on a market"), a
        passive act of force ("mortars were fired at"), or harm done by a weapon ("a car bomb
        kills two"). Deaths from fires, crashes or storms are not attacks."""
        if trigger.plover != "ASSAULT" or trigger.ongoing or people.actors:
            return False
        if not (people.targets or (location is not None and location.id)):
            return False
        if trigger.pos == "NOUN":
            if trigger.light_verbs:
                return False  # "fire" is an attack only when opened
            dets = {c.lower_ for c in token.children if c.dep_ in ("det", "predet")}
            return not (dets & (GENERIC_DETERMINERS | syntax.ANAPHORIC_DETERMINERS))
        if syntax.is_passive(token) and not trigger.outcome:
            return True
        causes = [s for s in syntax.subjects(token) if not syntax.is_passive(token)]
        causes += [o for prep, o in syntax.prep_objects(token, {"in", "by"})]
        return any(self._is_weapon(c) for c in causes)

    def _is_weapon(self, noun: Token) -> bool:
        """"a car [bomb]", "a drone [strike]"; an attack word only when it is an attack here
        ("a shark attack" is not)."""
        lemma = noun.lemma_.lower()
        compound = " ".join(w.lemma_.lower() for w in noun.children if w.dep_ == "compound")
        weapons = self.o.lex.weapon_words
        if not (lemma in weapons or f"{compound} {lemma}".strip() in weapons):
            return False
        return noun.i in self.trigger_at or not any(t.pos == "NOUN" for t in self.o.lex.candidates(lemma))

    def _owner_of_patient(self, verb: Token, people: Participants) -> Participants:
        """The demonym or owner of a passive verb's subject acts: "[Iranian] missiles were fired"."""
        owners: list[Mention] = []
        for subject in syntax.passive_subjects(verb):
            heads = [subject] + [o for _, o in syntax.prep_objects(subject, {"of"})]  # "dozens [of] drones"
            for head in heads:
                for child in head.children:
                    if child.dep_ in ("amod", "poss", "compound", "nmod"):
                        owners += self._mentions_under(child)
        if not owners:
            return people
        taken = {m.actor.id for m in owners}
        resolved = self._resolve(owners, [])
        targets = tuple(t for t in people.targets if t.id not in taken)
        return Participants(resolved.actors, targets, people.tokens + resolved.tokens, "syntax")

    def _unnamed_actors(self, token: Token, light_verb: Token | None, people: Participants) -> Participants:
        """Perpetrators or crowds the text does not name act under their own noun: "[gunmen]
        opened fire", "tens of thousands of [demonstrators] rallied", "an attack by [militants]"."""
        verb = light_verb if light_verb is not None else token
        heads = list(syntax.subjects(verb)) if verb.pos_ in ("VERB", "AUX") else []
        heads += [o for _, o in syntax.prep_objects(token, {"by"})]
        for head in heads:
            while head.lower_ in QUANTITY_NOUNS or head.lemma_.lower() in QUANTITY_NOUNS:
                inner = [o for _, o in syntax.prep_objects(head, {"of"})]
                if not inner:
                    break
                head = inner[0]  # "hundreds of [protesters]", "a group of [gunmen]"
            if head.lower_ in self.o.lex.unnamed_actors or head.lemma_.lower() in self.o.lex.unnamed_actors:
                slug = head.lower_
                actor = Actor(slug, slug, "group", "", self.sent[head.left_edge.i:head.i + 1].text)
                return Participants((actor,), people.targets, people.tokens + (head.i, head.i), "syntax")
        return people

    def _victims_as_targets(self, token: Token, light_verb: Token | None, people: Participants) -> Participants:
        """An attack that names no target acts on those it killed or wounded: "launched
        airstrikes, killing 20 [STC] fighters"."""
        taken = {a.id for a in people.actors}
        for head in (token, light_verb):
            if head is None:
                continue
            for child in head.children:
                trigger = self.trigger_at.get(child.i)
                if child.dep_ not in ("advcl", "conj", "xcomp") or trigger is None or not trigger.outcome:
                    continue
                found = [m for m in self._argument_mentions(syntax.objects(child)) if m.actor.id not in taken]
                if found:
                    resolved = self._resolve([], found)
                    return Participants(people.actors, resolved.targets, people.tokens + resolved.tokens, people.how)
        return people

    @staticmethod
    def _place_as_target(trigger: Trigger, people: Participants, location: Location | None) -> Participants:
        """Force used in a country acts on it ("troops on alert [in the West Bank]"), a visit is
        to the country visited ("arrived [in Amman] on a visit"), and protesters in a country
        protest to its government ("thousands rallied [in Tbilisi]")."""
        if people.targets or location is None or not location.id \
                or location.id in {a.id for a in people.actors}:
            return people
        if trigger.plover in PLACE_TARGET_CATEGORIES or "visit" in trigger.tags \
                or (trigger.plover == "PROTEST" and all(a.kind == "group" for a in people.actors)):
            return _targeting(people, _country(location))
        return people

    def _anaphoric(self, token: Token, trigger: Trigger, governor: Token | None, status: str,
                   time: TimeSpan | None, light: bool) -> Event | None:
        dets = {c.lower_ for c in token.children if c.dep_ in ("det", "predet", "amod")}
        if dets & GENERIC_DETERMINERS or not (dets & syntax.ANAPHORIC_DETERMINERS):
            return None
        latest = bool(dets & syntax.LATEST_WORDS)
        own_status = status if (light or (governor is not None and self._is_cue_verb(governor))) else "asserted"
        ante = self.ctx.antecedent(trigger.plover, trigger.tags, latest_in_time=latest)
        if ante is None:
            return None
        people = Participants(ante.actors, ante.targets, (), "anaphora")
        told = governor is not None and governor.lemma_.lower() in self.o.lex.announcement_verbs \
            and token.dep_ in syntax.SUBJECT_DEPS | syntax.PASSIVE_SUBJECT_DEPS
        own_time = time is not None and time.text and time != ante.time and not told
        if own_time and not ante.time.text and own_status == "asserted" and _near(time, ante.time) \
                and not ({c.lower_ for c in token.children} & EDITION_WORDS):
            # the first report gave no date: this one dates the same happening ("..., the drill ran from May 11 to 25")
            return replace(self._record(token, trigger, None, people, time, ante.location, ante.status,
                                        confidence=0.6), name=ante.name)
        if own_status != "asserted" or own_time:  # not the time of another act ("announced in July")
            return replace(self._record(token, trigger, governor if light else None, people, time,
                                        self._location(token, governor if light else None),
                                        self._final_status(own_status, time), confidence=0.6),
                           name=ante.name if own_status != "asserted" else None)  # its own time: another edition
        return replace(self._record(token, trigger, None, people, ante.time, ante.location, ante.status,
                                    confidence=0.6), name=ante.name)

    def _is_light(self, verb: Token, trigger: Trigger) -> bool:
        allowed = trigger.light_verbs or self.o.lex.light_verbs
        lemmas = {verb.lemma_.lower(), *base_forms(verb.lower_)}  # the lemmatizer reads "staged" as "stag"
        if lemmas & allowed or self._contributes_to(verb, trigger):
            return True
        return any(f"{lemma} {c.lemma_.lower()}" in allowed for lemma in lemmas for c in verb.children
                   if c.dep_ in ("prt", "dobj", "prep"))

    def _refused(self, token: Token) -> bool:
        """A negated act announced for the future or refused ("will not withdraw", "refused to
        release"), rather than one that just did not happen."""
        chain = syntax.clause_chain(token)
        aux = {c.lower_ for v in chain for c in v.children if c.dep_ in ("aux", "auxpass")}
        return bool(aux & self.o.lex.future_aux) or any(
            v.lemma_.lower() in syntax.NEGATING_VERBS | REFUSAL_VERBS for v in chain[1:])

    def _is_cue_verb(self, verb: Token) -> bool:
        return verb.lemma_.lower() in self.o.lex.future_verbs

    # -- participants ---------------------------------------------------------------------
    def _participants(self, token: Token, trigger: Trigger, light_verb: Token | None) -> Participants:
        actors: list[Mention] = []
        targets: list[Mention] = []
        if trigger.pos == "NOUN":
            self._nominal_roles(token, trigger, actors, targets)
            if light_verb is not None and token not in syntax.subjects(light_verb):
                actors += self._subject_mentions(light_verb)
                inside = {t.i for t in token.subtree}
                targets += [m for m in self._argument_mentions(syntax.objects(light_verb))
                            if m.start not in inside]  # "gave [Tanzania] a grant"
                self._prep_roles(light_verb, trigger, actors, targets)
        else:
            actors += self._subject_mentions(token)
            head_trigger = self.trigger_at.get(token.head.i)
            if not actors and token.dep_ == "pcomp" and token.tag_ == "VBG" and token.head.head.pos_ == "VERB":
                actors += self._subject_mentions(token.head.head)  # "expanded the ban [by banning] ..."
            if not actors and token.dep_ == "advcl" and token.tag_ == "VBG" and not trigger.outcome \
                    and not (head_trigger is not None and head_trigger.plover == "PROTEST"):  # a protest's demand
                actors += self._subject_mentions(token.head)  # "delayed the release, [accusing] Israel of ..."
            if trigger.outcome:  # "[floods in Libya] killed thousands": a place is no perpetrator
                actors = [m for m in actors if not location_prep(m.root(self.sent))]
            acting = {m.actor.id for m in actors}
            objs = [m for o in syntax.objects(token) for m in self._acted_on(o, acting, trigger.target_places)]
            if syntax.is_passive(token):
                objs += self._argument_mentions(syntax.passive_subjects(token))
            if trigger.target_places and not objs:
                objs += self._place_targets(syntax.objects(token))
            (actors if trigger.symmetric else targets).extend(objs)
            self._prep_roles(token, trigger, actors, targets)
            if trigger.object:  # "expressed worry [about X]": the phrase hangs on the object
                for obj in syntax.objects(token):
                    self._prep_roles(obj, trigger, actors, targets)
            if not targets:
                targets += self._clausal_targets(token)
            if not targets:
                targets += self._later_mentions(token, actors)
        return self._resolve(actors, targets)

    def _later_mentions(self, verb: Token, actors: list[Mention]) -> list[Mention]:
        """Last resort: the first actor named after the verb inside its own clause
        ("refused admittance to [Ghanaians]", "ended mediation efforts between [Syria] ...")."""
        taken = {m.actor.id for m in actors}
        clause = {t.i for t in syntax.subtree_tokens(verb)}
        for m in sorted(self.mentions, key=lambda m: m.start):
            if m.start > verb.i and m.start in clause and m.actor.id not in taken and not m.place_only \
                    and not location_prep(m.root(self.sent)):
                return [m]
        return []

    def _nominal_roles(self, noun: Token, trigger: Trigger, actors: list[Mention], targets: list[Mention]) -> None:
        for child in noun.children:
            if child.dep_ in ("poss", "compound", "amod", "nmod"):
                actors += self._mentions_under(child)
            elif child.dep_ == "acl" and child.lemma_.lower() in self.o.lex.participant_verbs:
                for obj in syntax.objects(child):  # "an exercise [involving] troops from A and B"
                    actors += self._mentions_under(obj)
        for prep, obj in syntax.prep_objects(noun, {"of", "by", "between", "among", "involving"}):
            if prep == "of" and trigger.targets and "of" in trigger.targets:
                continue
            for m in self._mentions_under(obj):  # "the withdrawal of forces [from Panama]"
                inner = m.root(self.sent).head
                (targets if inner.dep_ == "prep" and inner.lower_ in trigger.targets else actors).append(m)
        self._prep_roles(noun, trigger, actors, targets)
        for _, thing in syntax.prep_objects(noun, {"of"}):  # "the denial [of visas] to two officials"
            for _, obj in syntax.prep_objects(thing, set(trigger.targets) - {"of"}):
                targets += self._mentions_under(obj)

    def _prep_roles(self, head: Token, trigger: Trigger, actors: list[Mention], targets: list[Mention]) -> None:
        for prep, obj in syntax.prep_objects(head, set(trigger.targets) | {"with"}):
            clause = obj if obj.pos_ in ("VERB", "AUX") else next(
                (c for c in obj.children if c.dep_ in ("acl", "amod") and c.tag_ in ("VBG", "VBN") and c.i > obj.i), None)
            if prep == "with" and clause is not None and clause.lemma_.lower() not in TAKING_PART:
                continue  # "with Trump threatening to ...": a circumstance, not a partner ("with troops taking part" is)
            found = self._mentions_under(obj, allow_places=trigger.target_places or prep in trigger.targets)
            if not found and prep in trigger.targets and trigger.target_places:
                found = self._place_targets([obj])  # "fired shells at targets [in Jericho]"
            if not found and prep in trigger.targets and obj.lemma_.lower() in EVENT_NOUNS:
                found = [Mention(obj.i, obj.i + 1, a) for a in self.ctx.last_event_actors(
                    {m.actor.id for m in actors})]
            if prep == "with" and "with" not in trigger.targets:
                if trigger.with_role == "actor":
                    actors += found
                elif trigger.with_role == "target":
                    targets += found
            else:
                targets += found

    def _subject_mentions(self, verb: Token) -> list[Mention]:
        """Subject actors; a pronoun subject ("Syria says [it] is willing") borrows the actors
        of the clause that reports it."""
        if verb.dep_ == "acl" and verb.tag_ == "VBG":  # "an [Iranian] missile violating its airspace"
            owners = [m for c in verb.head.children if c.dep_ in ("amod", "poss", "compound", "nmod")
                      for m in self._mentions_under(c)]
            if owners:
                return owners
        heads = syntax.subjects(verb if verb.pos_ != "ADJ" else verb.head)
        found = self._argument_mentions(heads)
        pronoun = any(h.pos_ == "PRON" or any(c.dep_ == "poss" and c.pos_ == "PRON" for c in h.children)
                      for h in heads)
        if found or not pronoun:
            return found
        node = verb
        for _ in range(4):
            if node.dep_ not in ("ccomp", "xcomp", "conj", "acomp") or node.head is node:
                break
            node = node.head
            found = self._argument_mentions(syntax.subjects(node))
            if found:
                return found
        return []

    def _clausal_targets(self, verb: Token, depth: int = 0) -> list[Mention]:
        """"threatened to shell [Iraqi towns]", "offered to hand over [to Britain]",
        "demanded that [Israel] ease ..."."""
        out: list[Mention] = []
        for child in verb.children:
            if child.dep_ == "xcomp":
                inner = self.trigger_at.get(child.i) or self.carrier_at.get(child.i)
                preps = {"to", "for", "against", "with", "on", "from"} | set(inner.targets if inner else ())
                places = bool(inner and inner.target_places)
                if inner is not None and inner.plover in PLACE_TARGET_CATEGORIES:
                    preps |= {"in", "into"}  # "refused to deploy peacekeepers [in Iraq]"
                    places = True
                objs = syntax.objects(child)
                out += [m for o in objs for m in self._mentions_under(o, allow_places=places)]
                out += [m for head in (child, *objs) for _, obj in syntax.prep_objects(head, preps)
                        for m in self._mentions_under(obj, allow_places=places)]
                if not out and depth < 2:
                    out += self._clausal_targets(child, depth + 1)
            elif child.dep_ == "ccomp":
                out += self._argument_mentions(syntax.children(child, syntax.SUBJECT_DEPS | syntax.PASSIVE_SUBJECT_DEPS))
        if not out:
            out += self._conditioned_party(verb)
        return out

    def _conditioned_party(self, verb: Token) -> list[Mention]:
        """Whoever must act for the threat to lapse: "threatened to strike [unless Israel] ..."."""
        for clause in (verb, *(c for c in verb.children if c.dep_ == "xcomp")):
            for cond in clause.children:
                if cond.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless")
                                                for m in cond.children):
                    found = self._argument_mentions(syntax.subjects(cond))
                    if found:
                        return found
        return []

    def _argument_mentions(self, heads: list[Token]) -> list[Mention]:
        return [m for h in heads for m in self._mentions_under(h)]

    def _mentions_under(self, head: Token, allow_places: bool = False) -> list[Mention]:
        """Actor mentions inside an argument, leaving out places ("drills [in Japan]") unless
        the argument names nobody else ("opposition groups [in Zimbabwe]")."""
        tokens = {t.i for t in self._argument_tokens(head)}
        out, local = [], []
        for m in self.mentions:
            if m.start not in tokens:
                continue
            if m.place_only and not allow_places:
                continue
            root = m.root(self.sent)
            prep = location_prep(root, within=head) if not (allow_places or m.from_group) else ""
            if prep and root.i != head.i:
                if prep in RESIDENCE_PREPS and root.head.head.i in tokens and head.pos_ in ("NOUN", "PROPN") \
                        and root.head.head.pos_ in ("NOUN", "PROPN") and head.i not in self.trigger_at:
                    local.append(m)
                continue
            out.append(m)
        if out or local:
            return out or local
        appositions = [c for t in sorted(tokens) for c in self.sent[t].children
                       if c.dep_ == "appos"]  # "Kofi Annan, [UN chief]", "troops from eight states - [A, B, C] -"
        return [m for a in appositions for m in self._mentions_under(a, allow_places)]

    def _acted_on(self, obj: Token, acting: set[str], places: bool) -> list[Mention]:
        """Who an act named as the object is held against: its own agent ("condemned [Russia's]
        war against Ukraine"), else everyone the object names ("ended U.S. support of [Ukraine]")."""
        if obj.pos_ == "NOUN" and (obj.lemma_.lower() in EVENT_NOUNS or any(
                t.pos == "NOUN" for t in self.o.lex.candidates(obj.lemma_.lower()))):
            agents = [m for c in obj.children if c.dep_ in ("poss", "amod", "compound", "nmod")
                      for m in self._mentions_under(c)]
            if any(m.actor.id not in acting for m in agents):
                return agents
        return self._mentions_under(obj) or (self._mentions_under(obj, allow_places=True) if places else [])

    def _argument_tokens(self, head: Token) -> list[Token]:
        """An argument's own words, with the group its members belong to ("militants
        [belonging to the Pakistani Taliban]") but no other clause inside it."""
        out = syntax.subtree_tokens(head)
        for token in list(out):
            for child in token.children:
                if child.dep_ == "acl" and (child.lemma_.lower() in self.o.lex.membership_words
                                            or child.lemma_.lower() in self.o.lex.contribution_verbs):
                    out += syntax.subtree_tokens(child)  # "troops [sent by Armenia and China]"
        return out

    def _place_targets(self, heads: list[Token]) -> list[Mention]:
        out = []
        for head in heads:
            place = self.o.actors.resolve_place(_phrase(head))
            if place is not None and place.id:
                out.append(Mention(head.i, head.i + 1, _country(place)))
        return out

    def _resolve(self, actors: list[Mention], targets: list[Mention]) -> Participants:
        by_id: dict[str, Actor] = {}
        tokens: list[int] = []
        how = "syntax"
        for m in actors:
            by_id.setdefault(m.actor.id, m.actor)
            tokens += [m.start, m.end - 1]
            if m.from_group:
                how = "group"
        target_ids: dict[str, Actor] = {}
        for m in targets:
            if m.actor.id not in by_id:
                target_ids.setdefault(m.actor.id, m.actor)
                tokens += [m.start, m.end - 1]
        return Participants(tuple(by_id.values()), tuple(target_ids.values()), tuple(tokens), how)

    # -- time, place, status --------------------------------------------------------------
    def _times(self) -> list[tuple[int, TimeSpan]]:
        out = []
        self.time_roots: dict[int, int] = {}
        self.time_tokens: dict[int, set[int]] = {}
        for mention in find_times(self.sent.text, self.ctx.published):
            span = self.sent.char_span(mention.start_char, mention.end_char, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            root = span.root
            self.time_roots[len(out)] = root.i
            self.time_tokens[len(out)] = {t.i for t in span}
            out.append((root.head.i if root.head.i != root.i else root.i, mention.span))
        return _months_in_year(out)

    def listed_times(self, event: Event) -> list[TimeSpan]:
        """Other times listed with the event's own ("in 2019, [2020] and [2021]"): each is
        another occurrence of the same act."""
        used = [n for n, (_, span) in enumerate(self.times) if span == event.time]
        if not used:
            return []
        chain = set(self.time_tokens[used[0]])
        own_attach = self.times[used[0]][0]
        listed: list[TimeSpan] = []
        for n, (attach, span) in enumerate(self.times):
            root = self.sent[self.time_roots[n]]
            if n == used[0] or not span.start or _nested(span, event.time):
                continue
            coarse = {span.granularity, event.time.granularity} <= {"year", "month"}
            if (root.dep_ == "conj" and root.head.i in chain) or (
                    attach == own_attach and (coarse or span.granularity == event.time.granularity)):
                chain |= self.time_tokens[n]  # "in 2019, 2020 and 2021, and once more in May"
                listed.append(span)
        return listed

    def _time(self, token: Token, to_come: bool = False) -> TimeSpan | None:
        """The nearest time up the tree; with `to_come` (a future or possible act), not the day
        a verb of telling was said on ("said on Wednesday that they would meet")."""
        if not self.times:
            return None
        node = token
        for _ in range(12):
            candidates = [node.i] + [c.i for c in node.children if c.dep_ == "xcomp" or _fronted_participle(c, node)]
            here = [span for attach, span in self.times if attach in candidates]
            if here:
                # "last year ... in May and in August": the finer time inside the coarser one
                span = next((a for a in here if any(a != b and _inside(a, b) for b in here)), here[0])
                days = duration_days(self.sent[token.left_edge.i:token.i].text)
                return with_duration(span, days) if days else span
            if node.head is node or (to_come and node.dep_ == "ccomp"
                                     and node.head.lemma_.lower() in self.o.lex.announcement_verbs):
                break
            node = node.head
        return None

    def _sentence_place(self, excluding: set[str]) -> Actor | None:
        """The one country the sentence names as a place ("across [Ukraine]", "in Khan Yunis, [Gaza]"),
        other than the actors' own; none when it names several."""
        found: dict[str, Actor] = {}
        for m in self.mentions:
            if m.actor.kind == "country" and (m.place_only or location_prep(m.root(self.sent))):
                found.setdefault(m.actor.id, m.actor)
        for prep in self.sent:
            if prep.dep_ == "prep" and prep.lower_ in LOCATION_PREPS:
                for obj in prep.children:
                    place = self.o.actors.resolve_place(_phrase(obj)) if obj.dep_ == "pobj" and obj.pos_ == "PROPN" else None
                    if place is not None and place.id:
                        found.setdefault(place.id, _country(place))
        others = [a for i, a in found.items() if i not in excluding]
        return others[0] if len(others) == 1 else None

    def _opening_to_close(self, noun: Token) -> TimeSpan | None:
        """"The drills opened on Sunday and ended on Friday", "..., which opened on Sunday,
        ended on Friday": one happening from its first day to its last."""
        if noun.pos_ != "NOUN":
            return None
        verbs = [c for c in noun.children if c.dep_ == "relcl"]
        governor = syntax.governing_verb(noun)
        if governor is not None and noun.dep_ in syntax.SUBJECT_DEPS:
            verbs += [governor, *governor.conjuncts]
        days = {}
        for verb in verbs:
            lemma = verb.lemma_.lower()
            kind = "open" if lemma in OPENING_VERBS else "close" if lemma in CLOSING_VERBS else None
            spans = [span for attach, span in self.times if attach == verb.i and span.granularity == "day"]
            if kind and spans and kind not in days:
                days[kind] = spans[0]
        if set(days) != {"open", "close"} or not (days["open"].start and days["close"].start) \
                or days["open"].start > days["close"].start:
            return None
        first, last = days["open"], days["close"]
        return TimeSpan(f"{first.text} to {last.text}", first.start, last.end or last.start, "range")

    def _location(self, token: Token, light_verb: Token | None) -> Location | None:
        verb = token.pos_ == "VERB"
        causes = [c for c in syntax.subjects(token) if c.i in self.trigger_at] if verb else []
        harmed = syntax.objects(token) if verb else []  # "killed five soldiers [near Kandahar]"
        if light_verb is not None:
            harmed += [o for o in syntax.objects(light_verb) if o.i != token.i]  # "launched [a wave] of strikes across ..."
        heads = [h for h in (token, light_verb, *causes, *harmed) if h is not None]  # "[attacks in Marib] kill eight"
        found = self._place_under(heads)
        if found is None:  # "opened fire during a celebration [at Bondi Beach in Sydney]"
            found = self._place_under([o for h in heads for _, o in syntax.prep_objects(h, OCCASION_PREPS)])
        return found

    def _place_under(self, heads: list[Token]) -> Location | None:
        for head in heads:
            for prep, obj in syntax.prep_objects(head, LOCATION_PREPS - {"from", "toward", "towards"}):
                text = _phrase(obj)
                place = self.o.actors.resolve_place(text)
                if place is None:
                    continue
                if place.id or any(t.pos_ == "PROPN" for t in obj.subtree):
                    return Location(place.id, place.name, f"{prep} {text}")
        return None

    def _status(self, token: Token, trigger: Trigger, governor: Token | None, light: bool) -> str:
        chain: list[Token] = []
        if trigger.pos == "NOUN":
            if governor is not None and (light or self._is_cue_verb(governor)):
                chain = syntax.clause_chain(governor)
        else:
            chain = syntax.clause_chain(token)
        found = {trigger.status} - {""}
        if any(_denies_an_aim(v) for v in chain if v is not token):
            return "asserted"  # "the drill was not aimed at any third country": the aim is denied, not the drill
        if syntax.is_negated(token) or any(syntax.is_negated(v, failure_verbs=(i == 0 or chain[i - 1].dep_ != "conj"))
                                           for i, v in enumerate(chain)):
            found.add("negated")
        for subject in (s for v in chain[:1] or [token] for s in syntax.subjects(v)):
            if any(c.dep_ in ("preconj", "det") and c.lower_ == "neither" for c in subject.children):
                found.add("negated")
        for verb in chain:
            aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
            if aux & self.o.lex.hypothetical_aux or _conditional(verb):
                found.add("hypothetical")
            if aux & self.o.lex.future_aux:
                found.add("future")
            if verb is not token and verb.lemma_.lower() in self.o.lex.future_verbs:
                found.add("future")
        if {c.lower_ for c in token.children if c.dep_ == "amod"} & FUTURE_MODIFIERS:
            found.add("future")
        return next((s for s in STATUS_ORDER if s in found), "asserted")

    def _final_status(self, status: str, time: TimeSpan | None) -> str:
        published = self.ctx.published
        if status == "asserted" and time is not None and time.start and published is not None \
                and time.start > published.isoformat():
            return "future"
        return status

    # -- record ---------------------------------------------------------------------------
    def _record(self, token: Token, trigger: Trigger, light_verb: Token | None, people: Participants,
                time: TimeSpan | None, location: Location | None, status: str,
                confidence: float | None = None) -> Event:
        first = min([token.i, *(people.tokens or ()), *([light_verb.i] if light_verb is not None else [])])
        last = max([token.i, *(people.tokens or ()), *([light_verb.i] if light_verb is not None else [])])
        start_char = self.sent[first].idx
        end_char = self.sent[last].idx + len(self.sent[last])
        action_start = min(token.i, light_verb.i) if light_verb is not None else token.i
        action_end = max(token.i, light_verb.i) if light_verb is not None else token.i
        if time is None and status == "asserted" and self.ctx.news_day is not None \
                and _told_in_past(light_verb if light_verb is not None else token):
            time = self.ctx.news_day  # "Putin and Xi met on Thursday. ... They signed ten agreements."
        if time is None:
            time = resolve_time(None, self.ctx.published)
        elif time.start is None and time.end and self.ctx.published \
                and time.end >= self.ctx.published.isoformat():
            # "postponed until next year", "runs until September 26": from now on
            time = TimeSpan(time.text, self.ctx.published.isoformat(), time.end, "range")
        elif status == "future" and time.text and time.start and self.ctx.published \
                and time.start < self.ctx.published.isoformat():
            time = resolve_time(time.text, self.ctx.published, future=True) or time  # "will meet on Sunday"
        if confidence is None:
            confidence = {"syntax": 0.8, "group": 0.7}.get(people.how, 0.6)
            if time.text:
                confidence += 0.1
        return Event(
            doc_id=self.ctx.doc_id,
            sentence_index=self.index,
            sentence=self.sent.text.strip(),
            span=(self.offset + start_char, self.offset + end_char),
            actors=people.actors,
            targets=people.targets,
            action=Action(trigger=trigger.lemma, text=self.sent[action_start:action_end + 1].text,
                          plover=trigger.plover, mode=trigger.mode, cameo=trigger.cameo, tags=trigger.tags),
            time=time,
            location=location,
            status=status,
            confidence=round(min(confidence, 0.95), 2),
        )


def _without_redundant_unknowns(events: list[Event], earlier: list[Event] = ()) -> list[Event]:
    """An unnamed attacker is dropped when the sentence names who attacked ("two are killed
    [in Israeli strikes]" is one attack, by Israel), or when the article already reported a
    named attack on the same target ("... they were among 82 killed in strikes in Gaza")."""
    named = any(e.action.plover == "ASSAULT" and UNKNOWN_ACTOR.id not in e.actor_ids for e in events)
    struck = {t for e in earlier if e.action.plover == "ASSAULT" and UNKNOWN_ACTOR.id not in e.actor_ids
              for t in e.target_ids}
    return [e for e in events if UNKNOWN_ACTOR.id not in e.actor_ids
            or not (named or (e.target_ids and set(e.target_ids) <= struck))]


def _drop_modifier_mentions(sent: Doc, mentions: list[Mention]) -> list[Mention]:
    """"NATO-member [Norway]", "U.S. ally [Japan]": the modifier is not a participant."""
    owner = {i: m for m in mentions for i in range(m.start, m.end)}
    kept = []
    for m in mentions:
        node = m.root(sent)
        head = None
        for _ in range(2):
            if node.dep_ not in ("compound", "npadvmod", "nmod", "amod") or node.head is node:
                break
            node = node.head
            head = owner.get(node.i)
            if head is not None:
                break
        if head is not None and head is not m and head.actor.id != m.actor.id and not m.from_group:
            continue
        kept.append(m)
    return kept


def _joining(newcomers: tuple[Actor, ...], exercise: Event) -> tuple[Actor, ...]:
    """Those who join an exercise, then its participants so far."""
    taken = {a.id for a in newcomers}
    return newcomers + tuple(a for a in exercise.actors if a.id not in taken)


def _country(place: Location) -> Actor:
    """The country a resolved place stands for, as an actor."""
    return Actor(place.id, place.name, "country", "", place.text)


def _targeting(people: Participants, place: Actor) -> Participants:
    return Participants(people.actors, (place,), people.tokens, people.how)


def _places_named(sent: Doc, mentions: list[Mention], events: list[Event]) -> list[Actor]:
    """Countries the sentence names as where things happen: places, and countries that are
    no participant of its events ("an earthquake struck [Nepal]")."""
    used = {a for e in events for a in (*e.actor_ids, *e.target_ids)}
    out = [m.actor for m in mentions if m.actor.kind == "country"
           and (m.place_only or location_prep(m.root(sent)) or m.actor.id not in used)]
    return out + [_country(e.location) for e in events if e.location is not None and e.location.id]


def _months_in_year(times: list[tuple[int, TimeSpan]]) -> list[tuple[int, TimeSpan]]:
    """"Last year they held two rounds, in May and in August": a bare month falls in the one
    year the sentence names."""
    years = {span.start[:4] for _, span in times if span.granularity == "year" and span.start}
    if len(years) != 1:
        return times
    (year,) = years
    return [(attach, in_year(span, int(year)) if span.granularity == "month" else span) for attach, span in times]


def _near(a: TimeSpan, b: TimeSpan, days: int = 45) -> bool:
    """Two dates close enough to be one happening's (a report's day and the span it ran)."""
    if not (a.start and b.start):
        return False
    return abs((date.fromisoformat(a.start) - date.fromisoformat(b.start)).days) <= days


def _fronted_participle(clause: Token, verb: Token) -> bool:
    """"[Held] in Orenburg from September 11 to 25, the drill was ...": the clause describes the subject."""
    return clause.dep_ == "advcl" and clause.i < verb.i and clause.tag_ in ("VBN", "VBG") \
        and not any(c.dep_ in ("mark", "prep") for c in clause.children if c.i < clause.i)


def _denies_an_aim(verb: Token) -> bool:
    """"was not directed at any third party", "did not target other countries", "not planned
    with any specific threat in mind": a negation that denies a target, not the act."""
    if verb.lemma_.lower() not in AIM_VERBS or not syntax.is_negated(verb, failure_verbs=False):
        return False
    heads = syntax.objects(verb) + [o for c in verb.children if c.dep_ == "prep" for o in c.children
                                     if o.dep_ == "pobj"]
    return any({c.lower_ for c in h.children if c.dep_ in ("det", "amod")} & AIM_DENIALS for h in heads)


def _told_in_past(token: Token) -> bool:
    """A simple past ("signed", "were signed"), not a present, perfect or future telling."""
    verb = token if token.pos_ in ("VERB", "AUX") else syntax.governing_verb(token)
    if verb is None:
        return False
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    if aux & {"has", "have", "had", "will", "would", "'s", "'ve"}:
        return False
    return verb.tag_ == "VBD" or (verb.tag_ == "VBN" and bool(aux & {"was", "were"}))


def _adverbial_frame(token: Token) -> bool:
    """"rallied [in support of] a candidate": a manner phrase, not an act of support."""
    return token.lemma_.lower() in FRAME_NOUNS and token.dep_ == "pobj" and token.head.lower_ == "in" \
        and any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children)


def _inside(a: TimeSpan, b: TimeSpan) -> bool:
    """`a` lies within `b` ("in May" within "last year")."""
    return bool(a.start and b.start) and b.start <= a.start and (a.end or a.start) <= (b.end or b.start)


def _nested(a: TimeSpan, b: TimeSpan) -> bool:
    """One span inside the other ("in 2022 ... in May"): one time, told twice."""
    return _inside(a, b) or _inside(b, a)


def _purpose(clause: Token) -> bool:
    """An infinitive of purpose: "staged a rally [to demand reforms]"."""
    return clause.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)


def _conditional(verb: Token) -> bool:
    """"will attack Israel [if the strikes continue]"."""
    for clause in (verb, *(c for c in verb.children if c.dep_ == "advcl")):
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in clause.children):
            return True
    return False


def _phrase(token: Token) -> str:
    """The words of a phrase, without the clauses inside it ("tankers[, which Washington
    blamed on Tehran]" names no place)."""
    kept = syntax.subtree_tokens(token, CLAUSE_DEPS)
    return token.doc[min(t.i for t in kept):max(t.i for t in kept) + 1].text

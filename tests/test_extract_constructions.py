"""Constructions of political news, one row per sentence (written for these tests): each row
lists every event the text must yield, and nothing else may come out."""
from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from extract.records import Document

pytestmark = pytest.mark.model
PUBLISHED = date(2025, 6, 1)  # a Sunday


def ev(plover, actors, targets=(), status="asserted", start=None, end=None, name=None):
    return (plover, frozenset(actors), frozenset(targets), status, start, end, name)


ROWS = [
    # attack nominals with their own agent: the event, the place's country as target
    ("nominal-demonym-in-place", "Three civilians were killed during Turkish airstrikes near Qamishli, Syria.",
     [ev("ASSAULT", {"TUR"}, {"SYR"})]),
    ("nominal-demonym-on-target", "Ukrainian drone strikes on an oil depot in Bryansk, Russia, started a large fire.",
     [ev("ASSAULT", {"UKR"}, {"RUS"})]),
    ("nominal-by-agent", "Separatist fighters were killed in an attack by Malian troops in Kidal, Mali.",
     [ev("ASSAULT", {"MLI"})]),
    # weapons launched or fired; the demonym of the weapon is the attacker
    ("weapons-launched-passive", "Dozens of Iranian drones were launched at northern Iraq on Tuesday.",
     [ev("ASSAULT", {"IRN"}, {"IRQ"}, start="2025-05-27", end="2025-05-27")]),
    ("weapons-launched-active", "Syrian forces launched rockets at Idlib on Friday.",
     [ev("ASSAULT", {"SYR"}, set(), start="2025-05-30", end="2025-05-30")]),
    # violence with no named perpetrator is an attack by an unknown actor; accidents are not
    ("unknown-weapon-cause", "A roadside bomb killed five soldiers near Kandahar, Afghanistan.",
     [ev("ASSAULT", {"unknown"}, {"AFG"})]),
    ("unknown-passive-force", "Two mortar rounds were fired at the presidential palace in Mogadishu, Somalia.",
     [ev("ASSAULT", {"unknown"}, {"SOM"})]),
    ("accident-is-no-attack", "Four workers died in a gas explosion at a factory in Lahore, Pakistan.", []),
    ("animal-attack-is-no-attack", "A swimmer was killed in a shark attack off the coast of Natal, Brazil.", []),
    ("fire-is-no-attack", "A fire at a hotel in Izmir, Turkey, killed nine people.", []),
    # joint acts: patrols, training together, forces sent to a joint patrol
    ("sent-on-joint-patrol", "India and France sent warships on a joint patrol in the Arabian Sea on Friday.",
     [ev("COOPERATE", {"IND", "FRA"}, start="2025-05-30", end="2025-05-30")]),
    ("train-together-future", "Egypt and Greece will train together in the Mediterranean next month.",
     [ev("COOPERATE", {"EGY", "GRC"}, status="future", start="2025-07-01", end="2025-07-31")]),
    ("span-from-to", "The navies of Brazil and Argentina trained together from March 3 to 7.",
     [ev("COOPERATE", {"BRA", "ARG"}, start="2025-03-03", end="2025-03-07")]),
    ("duration-week-long", "Vietnam and Laos began a week-long border drill on Monday.",
     [ev("COOPERATE", {"VNM", "LAO"}, start="2025-05-26", end="2025-06-01")]),
    # a named exercise, its participants listed in an "involving" clause
    ("named-exercise-involving", "Thailand on Monday began Cobra Gold 2025, a military exercise involving "
                                 "troops from the United States, Japan and Singapore.",
     [ev("COOPERATE", {"THA", "USA", "JPN", "SGP"}, start="2025-05-26", end="2025-05-26", name="Cobra Gold-2025")]),
    # reactions aim at the actors of the event reported before them
    ("scramble-at-the-patrol", "Chinese and Russian bombers flew a joint patrol over the Sea of Japan on Tuesday. "
                               "Japan scrambled fighters in response.",
     [ev("COOPERATE", {"CHN", "RUS"}, start="2025-05-27", end="2025-05-27"),
      ev("MOBILIZE", {"JPN"}, {"CHN", "RUS"}, start="2025-05-27", end="2025-05-27")]),  # the patrol's day
    # taking part in, and staying out of, the exercise the article is about
    ("participants-join-in", "Kazakhstan held the Steppe Shield-2025 military exercise on Monday. Troops from Kyrgyzstan "
                             "and Tajikistan joined in.",
     [ev("COOPERATE", {"KAZ", "KGZ", "TJK"}, start="2025-05-26", end="2025-05-26", name="Steppe Shield-2025"),
      ev("COOPERATE", {"KAZ", "KGZ", "TJK"}, start="2025-05-26", end="2025-05-26", name="Steppe Shield-2025")]),
    # every report of a named exercise carries everyone the article says takes part in it
    ("pulled-out-is-negated", "Singapore and Australia held joint drills on Monday. Indonesia pulled out of "
                              "the drills, citing the weather.",
     [ev("COOPERATE", {"SGP", "AUS"}, start="2025-05-26", end="2025-05-26"),
      ev("COOPERATE", {"IDN"}, status="negated", start="2025-05-26", end="2025-05-26")]),
    ("invited-but-declined", "Kenya and Uganda held joint drills on Monday. Tanzania was invited but declined.",
     [ev("COOPERATE", {"KEN", "UGA"}, start="2025-05-26", end="2025-05-26"),
      ev("COOPERATE", {"TZA"}, status="negated", start="2025-05-26", end="2025-05-26")]),
    # measures on people, envoys and firms: the target is the state their demonym names
    ("entry-blocked", "Hungary blocked three Dutch lawmakers from entering the country.",
     [ev("COERCE", {"HUN"}, {"NLD"})]),
    ("visa-revoked", "Canada revoked the visa of the Iranian consul.", [ev("COERCE", {"CAN"}, {"IRN"})]),
    ("export-controls", "Japan imposed export controls on four South Korean firms.",
     [ev("SANCTION", {"JPN"}, {"KOR"})]),
    ("terror-listing", "Canada added Russia's Wagner Group to its list of terrorist entities.",
     [ev("SANCTION", {"CAN"}, {"RUS", "wagner"})]),
    ("remains-handed-over", "Hezbollah handed over the remains of two Israeli soldiers to the Red Cross.",
     [ev("RETREAT", {"hezbollah"}, {"ISR"})]),
    ("embassy-reopened", "Spain reopened its embassy in Damascus on Monday.",
     [ev("SUPPORT", {"ESP"}, {"SYR"}, start="2025-05-26", end="2025-05-26")]),
    ("summit-postponed", "Peru postponed the regional summit until next year.",
     [ev("SANCTION", {"PER"}, set(), start="2025-06-01", end="2026-12-31")]),
    ("withdrawal-initiated", "Chad initiated the withdrawal of its troops from Niger.",
     [ev("RETREAT", {"TCD"}, {"NER"})]),
    # members of a named group are that group; an attack with no target acts on its victims
    ("members-belonging-to", "Nigerian troops killed 30 fighters belonging to Boko Haram in Borno.",
     [ev("ASSAULT", {"NGA"}, {"boko_haram"})]),
    ("victims-as-target", "The Turkish air force launched airstrikes, killing 12 fighters of the PKK.",
     [ev("ASSAULT", {"TUR"}, {"pkk"})]),
    # perpetrators and crowds the text does not name act under their own noun
    ("unnamed-gunmen-place", "Gunmen stormed a mosque in Kano, Nigeria, on Friday.",
     [ev("ASSAULT", {"gunmen"}, {"NGA"}, start="2025-05-30", end="2025-05-30")]),
    ("unnamed-crowd-protest", "Thousands of protesters rallied in Tbilisi, Georgia.",
     [ev("PROTEST", {"protesters"}, {"GEO"})]),
    ("unnamed-occasion-place", "Three attackers opened fire during a wedding at a hall in Peshawar, Pakistan.",
     [ev("ASSAULT", {"attackers"}, {"PAK"})]),
    ("in-support-of-is-manner", "Hundreds of demonstrators marched in Lima in support of the striking miners.",
     [ev("PROTEST", {"demonstrators"}, {"PER"})]),
    # a relative clause inside an argument is its own clause: its actors are not the argument's
    ("relative-clause-accusation", "The explosions at the pipeline, which Warsaw blamed on Moscow, halted supplies.",
     [ev("ACCUSE", {"POL"}, {"RUS"})]),
    # past acts told after the story's dated lead happened on its day; present tellings do not
    ("narrative-day", "The presidents of Chile and Peru met in Lima on Thursday. "
                      "The two leaders signed a fisheries agreement.",
     [ev("CONSULT", {"CHL", "PER"}, start="2025-05-29", end="2025-05-29"),
      ev("SUPPORT", {"CHL", "PER"}, start="2025-05-29", end="2025-05-29")]),
    ("narrative-day-not-for-present", "The presidents of Chile and Peru met in Lima on Thursday. "
                                      "Chile says it will host the next round.",
     [ev("CONSULT", {"CHL", "PER"}, start="2025-05-29", end="2025-05-29"),
      ev("CONSULT", {"CHL"}, status="future", start="2025-06-01", end="2025-06-01")]),
    # a verb of failing negates its own to-clause, not a verb coordinated with it
    ("declined-and-accused", "Ankara declined to condemn the coup and instead accused Paris of meddling.",
     [ev("ACCUSE", {"TUR"}, status="negated"), ev("ACCUSE", {"TUR"}, {"FRA"})]),
    # a pledge of money is aid still to come; a pledge to act is an agreement; ratifying is support
    ("pledge-of-money", "Japan pledged 300 million dollars to Kenya for drought relief.",
     [ev("AID", {"JPN"}, {"KEN"}, status="future")]),
    ("ratification", "The Chilean senate ratified the treaty on Monday.",
     [ev("SUPPORT", {"CHL"}, start="2025-05-26", end="2025-05-26")]),
    # relief sent after a disaster goes to the country the story happens in; a flood kills no one by intent
    ("relief-to-stricken-country", "An earthquake struck western Nepal on Monday, near Jumla. "
                                   "India sent rescue teams and relief supplies.",
     [ev("AID", {"IND"}, {"NPL"})]),
    ("flood-is-no-perpetrator", "Floods in northern Ghana killed forty people.", []),
    # a participle shares its clause's subject; a condemned act is held against its own agent
    ("participle-subject", "Mali suspended talks with Algeria, accusing Algiers of backing the rebels.",
     [ev("SANCTION", {"MLI"}, {"DZA"}), ev("ACCUSE", {"MLI"}, {"DZA"})]),
    ("condemned-act-agent", "The European Council passed a resolution condemning Iran's attacks on Israel.",
     [ev("ACCUSE", {"EU"}, {"IRN"})]),
    ("ended-support-beneficiary", "Britain terminated its funding of Kenya's police reform.",
     [ev("SANCTION", {"GBR"}, {"KEN"})]),
    # airspace and territorial waters entered or violated
    ("airspace-violated", "Belarusian drones violated Lithuanian airspace on Sunday.",
     [ev("COERCE", {"BLR"}, {"LTU"}, start="2025-06-01", end="2025-06-01")]),
    # a list whose second item the parser reads as an apposition is still a list
    ("list-with-oxford-comma", "Egypt, Jordan, and Qatar signed a joint statement in Cairo.",
     [ev("SUPPORT", {"EGY", "JOR", "QAT"})]),
    # refusing a concession is a rejection; not having made it is a negated concession
    ("refused-withdrawal", "Azerbaijan will not release the Armenian prisoners.",
     [ev("REJECT", {"AZE"}, {"ARM"})]),
    ("withdrawal-not-made", "Russia did not withdraw its troops from Moldova.",
     [ev("RETREAT", {"RUS"}, {"MDA"}, status="negated")]),
    # "the first country to" do something does it; calls on a party target it
    ("first-country-to", "Kenya became the first country to recognise the new government of Syria.",
     [ev("SUPPORT", {"KEN"}, {"SYR"})]),
    ("call-on-target", "Greece called on the European Union to impose sanctions on Turkey.",
     [ev("REQUEST", {"GRC"}, {"EU"})]),
    # a ship's prefix names its navy's country; the name after it is no actor
    ("vessel-prefix", "The Houthis fired a missile at the destroyer USS Carney.",
     [ev("ASSAULT", {"houthis"}, {"USA"})]),
    # nominal acts with their own agent and an "of" target
    ("nominal-closure", "Russia ordered the closure of the Polish consulate after Poland's closure "
                        "of the Russian consulate in Gdansk.",
     [ev("SANCTION", {"RUS"}, {"POL"}), ev("SANCTION", {"POL"}, {"RUS"})]),
    ("nominal-expulsion", "The Danish expulsion of two Russian diplomats followed the spy scandal.",
     [ev("SANCTION", {"DNK"}, {"RUS"})]),
    ("press-release-is-no-release", "A press release from the Kenyan ministry described the talks as useful.", []),
    # what protesters demand while protesting is the protest, not a second request
    ("protest-demand", "Thousands of Iraqi Kurds demonstrated in Erbil, calling for independence.",
     [ev("PROTEST", {"IRQ"})]),
    # a verb that carries a nominal act ("flew a patrol", "launched attacks") is that act, not a second one
    ("carrier-verb", "Egypt and Sudan flew a joint air patrol along the border on Tuesday.",
     [ev("COOPERATE", {"EGY", "SDN"}, start="2025-05-27", end="2025-05-27")]),
    ("carrier-verb-frame", "The rebels launched two attacks with drones against the Saudi port of Jizan.",
     [ev("ASSAULT", {"rebels"}, {"SAU"})]),
    # denying an aim is not denying the act; denying the act is
    ("aim-denied", "Spain and Italy held joint naval drills on Monday. The drills were not aimed at any third country.",
     [ev("COOPERATE", {"ESP", "ITA"}, start="2025-05-26", end="2025-05-26"),
      ev("COOPERATE", {"ESP", "ITA"}, start="2025-05-26", end="2025-05-26")]),
    ("act-denied", "Peru did not attack any other country.", [ev("ASSAULT", {"PER"}, status="negated")]),
    ("talks-denied", "Peru did not hold any talks with Chile.", [ev("CONSULT", {"PER", "CHL"}, status="negated")]),
    # troops sent by others, listed between dashes, or rehearsing: participants of the article's exercise;
    # what they rehearse is no event
    ("sent-by-and-rehearsed", "Kazakhstan held the Steppe Eagle-2025 military exercise on Monday. Kazakh units and "
                              "troops sent by Kyrgyzstan and Uzbekistan rehearsed repelling an attack on a border town.",
     [ev("COOPERATE", {"KAZ", "KGZ", "UZB"}, start="2025-05-26", end="2025-05-26", name="Steppe Eagle-2025"),
      ev("COOPERATE", {"KAZ", "KGZ", "UZB"}, start="2025-05-26", end="2025-05-26", name="Steppe Eagle-2025")]),
    ("participants-between-dashes", "Kazakhstan held the Steppe Eagle-2025 exercise on Monday. Troops from three "
                                    "member states - Kyrgyzstan, Tajikistan and Uzbekistan - joined in.",
     [ev("COOPERATE", {"KAZ", "KGZ", "TJK", "UZB"}, start="2025-05-26", end="2025-05-26", name="Steppe Eagle-2025"),
      ev("COOPERATE", {"KAZ", "KGZ", "TJK", "UZB"}, start="2025-05-26", end="2025-05-26", name="Steppe Eagle-2025")]),
    # a fronted participle dates its subject; a later report dates an undated first one, not another edition
    ("fronted-participle-time", "Held at a range in Jordan from May 11 to 25, the drill between Jordan and Egypt "
                                "was the largest yet.",
     [ev("COOPERATE", {"EGY", "JOR"}, start="2025-05-11", end="2025-05-25")]),
    ("later-report-dates-it", "Ghana and Togo held the Gulf Guard-2025 naval exercise. Held off Lome from May 19 to 23, "
                              "the exercise drew six warships.",
     [ev("COOPERATE", {"GHA", "TGO"}, start="2025-05-19", end="2025-05-23", name="Gulf Guard-2025"),
      ev("COOPERATE", {"GHA", "TGO"}, start="2025-05-19", end="2025-05-23", name="Gulf Guard-2025")]),
    ("first-edition-is-another", "Ghana and Togo held the Gulf Guard-2025 naval exercise. The first exercise took "
                                 "place in 2019.",
     [ev("COOPERATE", {"GHA", "TGO"}, start="2025-06-01", end="2025-06-01", name="Gulf Guard-2025"),
      ev("COOPERATE", {"GHA", "TGO"}, start="2019-01-01", end="2019-12-31")]),
    # other editions and rounds of the series a story is about, with their own times; months in the named year
    ("rounds-last-year", "China and Russia began a joint naval drill on Monday. Last year they held two rounds: "
                         "in the Baltic in May and in the Sea of Japan in August.",
     [ev("COOPERATE", {"CHN", "RUS"}, start="2025-05-26", end="2025-05-26"),
      ev("COOPERATE", {"CHN", "RUS"}, start="2024-05-01", end="2024-05-31"),
      ev("COOPERATE", {"CHN", "RUS"}, start="2024-08-01", end="2024-08-31")]),
    ("edition-drew-troops", "Egypt began the Bright Star-2025 exercise on Monday with troops from Greece and Jordan. "
                            "Last year's edition drew troops from India, Kenya and Qatar.",
     [ev("COOPERATE", {"EGY", "GRC", "JOR"}, start="2025-05-26", end="2025-05-26", name="Bright Star-2025"),
      ev("COOPERATE", {"EGY", "IND", "KEN", "QAT"}, start="2024-01-01", end="2024-12-31")]),
    ("round-of-talks-is-no-edition", "Iran and Oman held a joint naval drill on Monday. A second round of talks "
                                     "between Iran and Oman was held in Muscat.",
     [ev("COOPERATE", {"IRN", "OMN"}), ev("CONSULT", {"IRN", "OMN"})]),
    # a signing still to come is a commitment; a recognition needs whom it recognises; a presidential
    # memorandum is no agreement
    ("signing-to-come", "Chile and Bolivia will sign a border treaty in July.",
     [ev("AGREE", {"CHL", "BOL"}, status="future", start="2025-07-01", end="2025-07-31")]),
    ("recognition-needs-a-party", "The court ruled that Poland must recognise same-sex marriages.", []),
    ("presidential-memorandum", "The US president signed a presidential memorandum on tariffs.", []),
    # the patient of one passive is no agent of the passive coordinated with it; a participle's
    # owner acts ("an [Iranian] missile violating ...")
    ("passive-and-passive", "A Kenyan soldier was killed and two others were wounded near Mandera.", []),
    ("participle-owner", "Poland shot down a Belarusian drone violating Polish airspace.",
     [ev("ASSAULT", {"POL"}, {"BLR"}), ev("COERCE", {"BLR"}, {"POL"})]),
    # from the day it opened to the day it ended
    ("opened-and-ended", "The joint drills of Egypt and Greece opened on Monday and ended on Friday.",
     [ev("COOPERATE", {"EGY", "GRC"}, start="2025-05-26", end="2025-05-30")]),
    # an attack with no target of its own acts on the one country the sentence places it in
    ("attack-in-named-country", "Sudanese drones struck several times overnight, killing three people in Abeche, Chad.",
     [ev("ASSAULT", {"SDN"}, {"TCD"})]),
    ("attack-at-home-has-no-place-target", "Nigerian troops killed twelve bandits in Zamfara, Nigeria.",
     [ev("ASSAULT", {"NGA"})]),
    # a gerund after a preposition shares its verb's subject; a threat's clause names its target after "from"
    ("by-gerund-subject", "Oman tightened its rules by banning citizens of Yemen and Somalia from entering.",
     [ev("COERCE", {"OMN"}, {"YEM", "SOM"})]),
    ("threat-withhold-from", "Washington threatened to withhold aid from Colombia.",
     [ev("THREATEN", {"USA"}, {"COL"})]),
    ("visa-denial", "Ghana's denial of visas to two Nigerian officials angered Abuja.",
     [ev("COERCE", {"GHA"}, {"NGA"})]),
    # "with X doing Y" is a circumstance, not a partner
    ("with-absolute", "Peru held talks with Chile, with officials from Bolivia watching closely.",
     [ev("CONSULT", {"PER", "CHL"})]),
    # advances with their own agent are attacks; a resumed act is that act
    ("advances-nominal", "Russian advances in Donetsk, Ukraine, continued.", [ev("ASSAULT", {"RUS"}, {"UKR"})]),
    ("advances-of-technology", "Technological advances helped Kenya's economy.", []),
    ("resumed-strikes", "Israel resumed airstrikes on Gaza on Tuesday.",
     [ev("ASSAULT", {"ISR"}, {"PSE"}, start="2025-05-27", end="2025-05-27")]),
    # a habit is no happening
    ("habitual", "Chile holds a naval exercise of this kind every year.", []),
    # forces sent in an exercise story, with no destination of their own, join the exercise; observers do not
    ("sent-to-the-exercise", "Kenya held the Lion Shield-2025 military exercise on Monday. Uganda sent two warships, "
                             "while Rwanda sent only observers.",
     [ev("COOPERATE", {"KEN", "UGA"}, start="2025-05-26", end="2025-05-26", name="Lion Shield-2025"),
      ev("COOPERATE", {"KEN", "UGA"}, start="2025-05-26", end="2025-05-26", name="Lion Shield-2025")]),
    # who is due to join an exercise under way takes part in it
    ("due-to-join", "Kenya held the Lion Shield-2025 military exercise on Monday. Tanzanian troops are due to join "
                    "on Friday.",
     [ev("COOPERATE", {"KEN", "TZA"}, start="2025-05-26", end="2025-05-26", name="Lion Shield-2025")]),
    # a visit with no host named is to the country the story happens in; a host is no visitor
    ("visit-to-story-country", "Vietnam and Laos signed a rail agreement in Vientiane on Monday. The Vietnamese "
                               "prime minister flew in for a two-day state visit.",
     [ev("SUPPORT", {"VNM", "LAO"}), ev("CONSULT", {"VNM"}, {"LAO"})]),
    # "struck" an agreement described by a relative clause is no attack
    ("deal-struck-relative", "It was the largest trade deal that Britain had struck since 2020.", []),
    # a yearless date of a named happening falls in the name's year
    ("name-year-dates", "Peru and Chile held the Pacific Shield-2019 drills in August.",
     [ev("COOPERATE", {"PER", "CHL"}, start="2019-08-01", end="2019-08-31", name="Pacific Shield-2019")]),
    # dependency patterns (extract/data/triggers.json, "dependency_patterns"):
    # reported obligations: the speaker demands the act of the clause's subject
    ("pattern-said-must", "Poland said on Monday that Belarus must close its border camps.",
     [ev("REQUEST", {"POL"}, {"BLR"}, start="2025-05-26", end="2025-05-26")]),
    ("pattern-declared-should", "Spain declared that Morocco should release the fishermen.",
     [ev("REQUEST", {"ESP"}, {"MAR"})]),
    ("pattern-told-must", "The minister of Peru told reporters that Chile must respect the ruling.",
     [ev("REQUEST", {"PER"}, {"CHL"})]),
    ("pattern-must-names-nobody", "The coach said the team must win on Sunday.", []),
    # forces that move or train together, with partners after "with"
    ("pattern-patrol-jointly", "Brazil and Argentina patrolled the river jointly on Friday.",
     [ev("COOPERATE", {"BRA", "ARG"}, start="2025-05-30", end="2025-05-30")]),
    ("pattern-sail-together-with", "Greek frigates sailed together with Egyptian warships in the Aegean Sea.",
     [ev("COOPERATE", {"GRC", "EGY"})]),
    ("pattern-fly-side-by-side", "Dutch and Belgian pilots will fly side by side over the North Sea next week.",
     [ev("COOPERATE", {"NLD", "BEL"}, status="future", start="2025-06-02", end="2025-06-08")]),
    ("pattern-train-jointly-with", "Colombian troops trained jointly with Ecuadorian soldiers near the border.",
     [ev("COOPERATE", {"COL", "ECU"})]),
    ("pattern-patrol-alone", "The Peruvian Navy patrolled the coast on Monday.",
     [ev("MOBILIZE", {"PER"}, start="2025-05-26", end="2025-05-26")]),
    # bans on entry
    ("pattern-barred-from-entering", "Hungary barred two Romanian lawmakers from entering the country.",
     [ev("COERCE", {"HUN"}, {"ROU"})]),
    ("pattern-blocked-entry", "Kuwait blocked the entry of Iraqi trucks.",
     [ev("COERCE", {"KWT"}, {"IRQ"})]),
    # actors outside the lexicon: the country modifying a title decides it; private persons
    # acted on get name slugs, office holders do not; unknown armed groups get slugs
    ("possessive-decides-title", "North Korea's supreme leader warned Japan on Tuesday.",
     [ev("THREATEN", {"PRK"}, {"JPN"}, start="2025-05-27", end="2025-05-27")]),
    ("private-persons-released", "Moscow freed Anna Berg and Tomas Lind in a prisoner swap with Washington.",
     [ev("RETREAT", {"RUS"}, {"anna_berg", "tomas_lind"})]),
    ("office-holder-gets-no-slug", "Belarusian police detained opposition leader Ivan Petrov in Minsk.",
     [ev("COERCE", {"BLR"})]),
    ("unknown-armed-group-slug", "The Kachin Independence Army attacked Myanmar troops near Laiza.",
     [ev("ASSAULT", {"kachin_independence_army"}, {"MMR"})]),
    ("city-object-is-its-country", "Russian missiles struck Dnipro on Friday.",
     [ev("ASSAULT", {"RUS"}, {"UKR"}, start="2025-05-30", end="2025-05-30")]),
    ("private-person-with-nationality", "Iran detained Tom Baxter, a British tourist, in Shiraz.",
     [ev("COERCE", {"IRN"}, {"tom_baxter"})]),
    ("official-with-nationality", "Iran detained Tom Baxter, a British diplomat, in Shiraz.",
     [ev("COERCE", {"IRN"}, {"GBR"})]),
    ("possessive-title-person", "Poland's defence minister Jan Kowalski criticised Russia on Monday.",
     [ev("ACCUSE", {"POL"}, {"RUS"}, start="2025-05-26", end="2025-05-26")]),
    ("apposition-title-person", "Jan Kowalski, Poland's defence minister, criticised Russia on Monday.",
     [ev("ACCUSE", {"POL"}, {"RUS"}, start="2025-05-26", end="2025-05-26")]),
    ("demonym-office-person", "Chinese foreign ministry spokesperson Zhao Wenlong condemned Japan on Monday.",
     [ev("ACCUSE", {"CHN"}, {"JPN"}, start="2025-05-26", end="2025-05-26")]),
]


def _shape(event, with_dates):
    start = event.time.start if with_dates else None
    end = event.time.end if with_dates else None
    return (event.action.plover, frozenset(a.id for a in event.actors), frozenset(t.id for t in event.targets),
            event.status, start, end, event.name)


@pytest.mark.parametrize("text,expected", [(t, e) for _, t, e in ROWS], ids=[n for n, _, _ in ROWS])
def test_construction(extractor, text, expected):
    events = extractor.extract_one(Document("row", text, PUBLISHED))
    got = Counter(_shape(e, any(x[4] for x in expected)) for e in events)
    want = Counter((p, a, t, s, b, n, name) if b else (p, a, t, s, None, None, name)
                   for p, a, t, s, b, n, name in expected)
    assert got == want  # as multisets: a frozenset's repr, and so any sort by it, varies by process


def test_hard_wrapped_text_gives_the_events_of_one_line(extractor):
    one = "MANILA, June 1 - The Philippines and Japan held joint naval drills off Luzon on Sunday, the navy said."
    wrapped = "MANILA, June 1 - The Philippines and Japan held joint\nnaval drills off Luzon on Sunday,\nthe navy said."
    a = extractor.extract_one(Document("a", one, PUBLISHED))
    b = extractor.extract_one(Document("a", wrapped, PUBLISHED))
    assert [(e.action.plover, e.actor_ids, e.time.start) for e in a] == \
           [(e.action.plover, e.actor_ids, e.time.start) for e in b] == [("COOPERATE", ("JPN", "PHL"), "2025-06-01")]
    assert [e.span for e in a] == [e.span for e in b]  # same offsets: a line break is one character
    assert [" ".join(wrapped[slice(*e.span)].split()) for e in b] == [one[slice(*e.span)] for e in a]

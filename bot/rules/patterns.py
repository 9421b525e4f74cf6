"""The rules file (rules.toml) compiled into what the engine evaluates.

A pattern is written the way news is: "{driver} will join {team}", "{team} has signed {driver}".
The words between the slots are the trigger; slots before it are looked for to the left of the
trigger in the same sentence, slots after it to the right. "(a|b|c)" writes alternatives.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from lemminflect import getAllInflections

from bot.models import MoveKind
from bot.rules.gazetteer import fold_key
from bot.rules.text import fold

SLOTS = ("driver", "team", "replaced", "car")
_SLOT = re.compile(r"\{(\w+)\}")
_ALTERNATION = re.compile(r"\(([^()]*\|[^()]*)\)")
# "<join>" writes every way news tenses a verb; "<sign:passive>" every way it says it was done
# to the subject ("has been signed by").
_VERB = re.compile(r"<([a-z\-]+)(?::(active|passive|finite|nonfinite|future|agent|nonpast))?>")


class RulesError(ValueError):
    """rules.toml says something the engine cannot evaluate; the message names the entry."""


@dataclass(frozen=True, slots=True)
class Pattern:
    kind: MoveKind
    text: str  # as written in rules.toml, for evidence and debugging
    left: tuple[str, ...]  # slots looked for before the trigger, nearest first
    right: tuple[str, ...]  # slots looked for after the trigger, nearest first
    title_only: bool = False
    clause_end: bool = False  # the trigger must end its clause ("X is out, Y is in.")
    lineup_only: bool = False  # "A, B and C will share the No. 7": seats, not moves
    confidence: float = 0.9
    follow: frozenset[str] = frozenset()  # one of these words must come right after the slots
    plural: bool = False  # a crew in the present ("A and B drive the No. 7") names several
    vetoed_by: tuple[str, ...] = ()  # cue classes that, in the sentence, make it no move
    licensed_by: tuple[str, ...] = ()  # cue classes one of which must come before the words
    mates: bool = False  # the drivers are someone's co-drivers: seats unless the title names them
    after_comma: bool = False  # a participle opening a phrase: ", signing A and B for 2026"
    subject: bool = False  # the driver is the clause's subject: "A will race ... in place of B"
    adjacent: bool = False  # the slots after the words follow at once: "switches from Ferrari"
    crew: bool = False  # a crew by its noun: news if a verb takes it or the title names it
    named_team: bool = False  # with only the story's team ("the team"), a seat, not news
    beside_headline: bool = False  # a crew the headline leaves out, naming others: seats


@dataclass(slots=True)
class Rules:
    patterns_by_trigger: dict[str, list[Pattern]] = field(default_factory=dict)
    cues: dict[str, list[str]] = field(default_factory=dict)  # cue class -> folded phrases
    roles: dict[str, list[str]] = field(default_factory=dict)  # role -> folded phrases
    role_priority: list[str] = field(default_factory=list)
    default_role: dict[str, str] = field(default_factory=dict)
    one_off_series: frozenset[str] = frozenset()  # events of their own: a seat is part-time
    settings: dict[str, int | float] = field(default_factory=dict)
    object_kind: dict[str, MoveKind] = field(default_factory=dict)  # folded words -> kind
    crew_vetoes: list[str] = field(default_factory=list)  # cue classes that veto a crew list
    crew_lineups: list[str] = field(default_factory=list)  # ... that make it a line-up only
    crew_background: list[str] = field(default_factory=list)  # ... not when dated in the past
    nationalities: dict[str, str] = field(default_factory=dict)  # "spaniard" -> "ES"


@lru_cache(maxsize=1024)
def verb_forms(lemma: str, voice: str = "active") -> tuple[str, ...]:
    """The forms of a verb as news writes them, auxiliaries included: "<partner>" is "will
    partner", "partners", "is partnering", "has partnered", "to partner", "partnering"..."""
    forms = getAllInflections(lemma, upos="VERB")
    base = lemma
    third = (forms.get("VBZ") or (lemma + "s",))[0]
    past = forms.get("VBD") or (lemma + "ed",)
    participle = forms.get("VBN") or past
    gerund = (forms.get("VBG") or (lemma + "ing",))[0]
    if voice == "passive":
        return tuple(dict.fromkeys(
            f"{aux} {p}".strip() for p in participle for aux in (
                "is", "are", "was", "were", "has been", "have been", "had been", "will be",
                "would be", "is to be", "to be", "being", "having been", "")))
    finite = [base, third, *past, f"will {base}", f"would {base}", f"is to {base}",
              f"are to {base}", f"is {gerund}", f"are {gerund}", f"was {gerund}",
              f"will be {gerund}", f"is now {gerund}", f"now {third}", f"will now {base}",
              f"will also {base}", f"also {third}", f"will again {base}", f"again {third}",
              f"will once again {base}",
              # "had moved" is what happened before the news: background, left out.
              *(f"{aux} {p}" for p in participle for aux in ("has", "have", "has now"))]
    nonfinite = [f"to {base}", gerund, *(f"having {p}" for p in participle)]
    if voice == "future":
        # Placement verbs ("races for", "has driven for") state a seat only when they look
        # ahead; in the present or past they are where a driver is or was.
        return (f"will {base}", f"would {base}", f"to {base}", f"is to {base}", f"are to {base}",
                f"will be {gerund}", f"will now {base}", f"will also {base}", f"will again {base}",
                f"will once again {base}",
                f"will continue to {base}", f"is going to {base}", f"going to {base}")
    if voice == "agent":
        # A team doing it to a driver ("Haas signs Bearman"): no bare "sign" or "signing",
        # which are nouns as often as verbs ("a place", "the signing of").
        return tuple(dict.fromkeys(f for f in finite if f != base))
    if voice == "nonpast":
        # A crew as announced ("A and B share the No. 7"), not as it raced ("shared").
        return tuple(dict.fromkeys(f for f in finite + nonfinite
                                   if f not in past and not f.startswith(("has ", "have ",
                                                                          "had ", "having "))
                                   and f != gerund))
    if voice == "finite":
        return tuple(dict.fromkeys(finite))
    if voice == "nonfinite":
        return tuple(dict.fromkeys(nonfinite))
    return tuple(dict.fromkeys(finite + nonfinite))


def _verbs(phrase: str) -> str:
    return _VERB.sub(lambda m: "(" + "|".join(verb_forms(m.group(1), m.group(2) or "active"))
                     + ")", phrase)


def expand(phrase: str) -> list[str]:
    """All the spellings "(will join|joins) {team}" stands for, alternatives multiplied out;
    "<join>" stands for every tense of the verb."""
    if "<" in phrase:
        phrase = _verbs(phrase)
    parts: list[list[str]] = []
    position = 0
    for match in _ALTERNATION.finditer(phrase):
        parts.append([phrase[position:match.start()]])
        parts.append(match.group(1).split("|"))
        position = match.end()
    parts.append([phrase[position:]])
    return [" ".join("".join(choice).split()) for choice in itertools.product(*parts)]


def compile_pattern(kind: MoveKind, written: str, *, title_only: bool, confidence: float,
                    clause_end: bool = False, lineup_only: bool = False,
                    follow: frozenset[str] = frozenset(), plural: bool = False,
                    vetoed_by: tuple[str, ...] = (), licensed_by: tuple[str, ...] = (),
                    mates: bool = False,
                    after_comma: bool = False, subject: bool = False,
                    adjacent: bool = False, crew: bool = False,
                    named_team: bool = False,
                    beside_headline: bool = False) -> list[tuple[str, Pattern]]:
    compiled: list[tuple[str, Pattern]] = []
    # Every spelling of a pattern reads the same slots: they share one (frozen) Pattern, which
    # keeps tens of thousands of tense-and-alternative spellings from each holding a copy.
    shared: dict[tuple[tuple[str, ...], tuple[str, ...]], Pattern] = {}
    if written.startswith("{team} <"):
        written = _VERB.sub(lambda m: f"<{m.group(1)}:{m.group(2) or 'agent'}>", written, count=1)
    for variant in expand(written):
        pieces = _SLOT.split(variant)  # literal, slot, literal, slot, ... literal
        literals = [p.strip() for p in pieces[0::2]]
        slots = pieces[1::2]
        unknown = [s for s in slots if s not in SLOTS]
        if unknown:
            raise RulesError(f"pattern {written!r}: unknown slot {{{unknown[0]}}}")
        words = [(i, lit) for i, lit in enumerate(literals) if lit]
        if len(words) != 1:
            raise RulesError(f"pattern {written!r}: write exactly one run of words between or "
                             "around the slots")
        index, trigger = words[0]
        left = tuple(reversed(slots[:index]))
        right = tuple(slots[index:])
        if "driver" not in slots:
            raise RulesError(f"pattern {written!r}: needs a {{driver}} slot")
        key = fold_key(fold(trigger))
        pattern = shared.get((left, right))
        if pattern is None:
            pattern = shared[(left, right)] = Pattern(
                kind=kind, text=written, left=left, right=right, title_only=title_only,
                confidence=confidence, clause_end=clause_end, lineup_only=lineup_only,
                follow=follow, plural=plural, vetoed_by=vetoed_by, licensed_by=licensed_by,
                mates=mates,
                after_comma=after_comma, subject=subject, adjacent=adjacent, crew=crew,
                named_team=named_team, beside_headline=beside_headline)
        compiled.append((key, pattern))
    return compiled


def load_words(path: Path) -> dict[str, frozenset[str]]:
    """The [words] table of rules.toml: closed classes of English (auxiliaries, pronouns,
    particles...) the reading steps lean on, each a set of folded words."""
    with path.open("rb") as fh:
        table = tomllib.load(fh).get("words", {})
    return {name: frozenset(fold_key(fold(str(w))) for w in words)
            for name, words in table.items() if isinstance(words, list)}


def load_rules(path: Path) -> Rules:
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return build_rules(data)


def _flag(group: dict[str, object], name: str) -> bool:
    """A [[move]] group's yes-or-no setting: `mates = "yes"` is a mistake worth naming, not
    a truthy string."""
    value = group.get(name, False)
    if not isinstance(value, bool):
        raise RulesError(f"[[move]] {name} must be true or false, not {value!r}")
    return value


def build_rules(data: dict[str, object]) -> Rules:
    rules = Rules()
    groups = data.get("move")
    if not isinstance(groups, list):
        raise RulesError("rules.toml needs [[move]] tables")
    for group in groups:
        if not isinstance(group, dict):
            raise RulesError("each [[move]] must be a table")
        try:
            kind = MoveKind(str(group.get("kind")))
        except ValueError as exc:
            raise RulesError(f"[[move]] kind {group.get('kind')!r} is not a move kind") from exc
        confidence = float(group.get("confidence", 0.9))
        title_only = _flag(group, "title_only")
        clause_end = _flag(group, "clause_end")
        lineup_only = _flag(group, "lineup_only")
        follow = frozenset(fold_key(fold(str(w))) for w in group.get("follow", []))
        plural = _flag(group, "plural")
        vetoed_by = tuple(str(c) for c in group.get("vetoed_by", []))
        licensed_by = tuple(str(c) for c in group.get("licensed_by", []))
        mates = _flag(group, "mates")
        after_comma = _flag(group, "after_comma")
        subject = _flag(group, "subject")
        adjacent = _flag(group, "adjacent")
        crew = _flag(group, "crew")
        named_team = _flag(group, "named_team")
        beside_headline = _flag(group, "beside_headline")
        for written in group.get("patterns", []):
            for key, pattern in compile_pattern(kind, str(written), title_only=title_only,
                                                confidence=confidence, clause_end=clause_end,
                                                lineup_only=lineup_only, follow=follow,
                                                plural=plural, vetoed_by=vetoed_by,
                                                licensed_by=licensed_by,
                                                mates=mates, after_comma=after_comma,
                                                subject=subject, adjacent=adjacent,
                                                crew=crew, named_team=named_team,
                                                beside_headline=beside_headline):
                rules.patterns_by_trigger.setdefault(key, []).append(pattern)
    cues = data.get("cues", {})
    if isinstance(cues, dict):
        for name, phrases in cues.items():
            rules.cues[name] = sorted({fold_key(fold(p)) for w in phrases for p in expand(w)})
    roles = data.get("roles", {})
    if isinstance(roles, dict):
        for role, phrases in roles.get("phrases", {}).items():
            rules.roles[role] = sorted({fold_key(fold(p)) for w in phrases for p in expand(w)})
        rules.role_priority = list(roles.get("priority", list(rules.roles)))
        rules.default_role = dict(roles.get("default", {}))
        rules.one_off_series = frozenset(str(s) for s in roles.get("one_off_series", []))
    object_kind = data.get("object_kind", {})
    if isinstance(object_kind, dict):
        for kind_name, phrases in object_kind.items():
            for phrase in phrases:
                for variant in expand(phrase):
                    rules.object_kind[fold_key(fold(variant))] = MoveKind(kind_name)
    nationalities = data.get("nationalities", {})
    if isinstance(nationalities, dict):
        rules.nationalities = {fold_key(fold(word)): str(code).upper()
                               for code, words in nationalities.items()
                               for word in (words if isinstance(words, list) else [words])}
        # "The Hungarian joins ...": every nationality word (and every demonym written before
        # names) can open a sentence about a driver.
        if "epithet" in rules.cues:
            rules.cues["epithet"] = sorted({*rules.cues["epithet"], *rules.nationalities,
                                            *rules.cues.get("demonym", ())})
    crews = data.get("crew_lists", {})
    if isinstance(crews, dict):
        rules.crew_vetoes = [str(c) for c in crews.get("vetoed_by", [])]
        rules.crew_lineups = [str(c) for c in crews.get("lineup_by", [])]
        rules.crew_background = [str(c) for c in crews.get("background_when_past", [])]
        for key, named in (("vetoed_by", rules.crew_vetoes), ("lineup_by", rules.crew_lineups),
                           ("background_when_past", rules.crew_background)):
            unknown = [c for c in named if c not in rules.cues]
            if unknown:
                raise RulesError(f"[crew_lists] {key} names no cue class: {unknown[0]!r}")
    for patterns in rules.patterns_by_trigger.values():
        for pattern in patterns:
            for key, named in (("vetoed_by", pattern.vetoed_by),
                               ("licensed_by", pattern.licensed_by)):
                unknown = [c for c in named if c not in rules.cues]
                if unknown:
                    raise RulesError(f"pattern {pattern.text!r}: {key} names no cue class: "
                                     f"{unknown[0]!r}")
    settings = data.get("settings", {})
    if isinstance(settings, dict):
        rules.settings = {k: v for k, v in settings.items() if isinstance(v, int | float)}
    return rules

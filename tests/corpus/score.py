"""Score the rules engine on the labelled corpus: dev, the open part of train, and the blind part.

    python -m tests.corpus.score [--eval-dir DIR] [--errors]
        [--only dev|open|blind|written|blind2|...|blind25]

Also scores tests/corpus/written/: news summaries written for this project by separate sessions
(real drivers and moves, their own words), a check beside the corpus that was partly read for
errors, so it flatters the engine more than the blind part does; and, as "blind2",
tests/corpus/blind_fresh4.jsonl, written the same way after the rules it checks and, like the
blind part, only ever scored; and "blind3" to "blind8", tests/corpus/blind_fresh6.jsonl,
blind_fresh10.jsonl, blind_fresh13.jsonl, blind_fresh17.jsonl, blind_fresh18.jsonl and
blind_fresh19.jsonl, the same six times more; and "blind9" to "blind11",
tests/corpus/blind_fresh23.jsonl, blind_fresh25.jsonl and blind_fresh26.jsonl, three times more
a session later; and "blind12" and "blind13", tests/corpus/blind_fresh27.jsonl and
blind_fresh28.jsonl, twice more in the session after; and "blind14" and "blind15",
tests/corpus/blind_fresh29.jsonl and blind_fresh30.jsonl, twice more in the session after that; and
"blind16" and "blind17", tests/corpus/blind_fresh32.jsonl and blind_fresh31.jsonl, twice more in
the session after that (blind17 scored only at its end); and "blind18" and "blind19",
tests/corpus/blind_fresh33.jsonl and blind_fresh34.jsonl, twice more in the session after that
(both scored only at its end); and "blind20" and "blind21", tests/corpus/blind_fresh35.jsonl
(all from the less-known series, where many drivers are in no list) and blind_fresh36.jsonl,
twice more in the session after that (both scored only at its end); and "blind22" and
"blind23", tests/corpus/blind_fresh37.jsonl and blind_fresh38.jsonl, written by helpers during
a later session and scored only at its end (blind23 mirrors train's mix: a third sportscar); and
"blind24" and "blind25", tests/corpus/blind_fresh39.jsonl and blind_fresh40.jsonl, written by
helpers at the start of the session after that and scored only at its end (blind24 in train's
mix, blind25 with more no-move traps).

Runs `bot.rules.extract_item` (what `pitboard extract` prints) over each part and scores it with
the corpus's own score.py. With `--unknown-drivers`, each part is read by an engine whose
gazetteer has lost every driver that part's labels name: how the engine reads names no list
knows, which are about one driver in eight in real news; with `--unknown-teams`, by one that has
lost every team the labels name.

The blind part (tests/corpus/blind_ids.txt) is only ever scored: `--errors` lists the
misreadings of dev and the open part, never of the blind part.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from bot.models import name_key
from bot.rules import RULES_PATH, data_directories, extract_item
from bot.rules.engine import Engine
from bot.rules.gazetteer import Gazetteer
from bot.rules.patterns import load_rules
from tests.corpus.split import BLIND_IDS, HERE, load

BLIND_WRITTEN = HERE / "blind_fresh4.jsonl"
BLIND_WRITTEN_LATER = HERE / "blind_fresh6.jsonl"
BLIND_WRITTEN_LAST = HERE / "blind_fresh10.jsonl"
# Written in a later session, after the rules fed by written/fresh11, and never read.
BLIND_LATER_SESSION = HERE / "blind_fresh13.jsonl"
BLIND_LATER_SESSION_2 = HERE / "blind_fresh17.jsonl"
BLIND_LATER_SESSION_3 = HERE / "blind_fresh18.jsonl"
BLIND_LATER_SESSION_4 = HERE / "blind_fresh19.jsonl"
# Written in the session after that: one before its first rule, one soon after.
BLIND_THIRD_SESSION = HERE / "blind_fresh23.jsonl"
BLIND_THIRD_SESSION_2 = HERE / "blind_fresh25.jsonl"
BLIND_THIRD_SESSION_3 = HERE / "blind_fresh26.jsonl"
# Written early in the session after that, while its first rules were being made.
BLIND_FOURTH_SESSION = HERE / "blind_fresh27.jsonl"
# Written in the same session while its last rules were being made; scored at its end.
BLIND_FOURTH_SESSION_2 = HERE / "blind_fresh28.jsonl"
# Written early in the session after that, once its first rules were in.
BLIND_FIFTH_SESSION = HERE / "blind_fresh29.jsonl"
# Written in the same session while its rules were being made; scored once, at its end.
BLIND_FIFTH_SESSION_2 = HERE / "blind_fresh30.jsonl"
# Written early in the session after that, while its first rules were being made.
BLIND_SIXTH_SESSION = HERE / "blind_fresh32.jsonl"
# Written in the same session while its rules were being made; scored once, at its end.
BLIND_SIXTH_SESSION_2 = HERE / "blind_fresh31.jsonl"
# Written at the start of the session after that, while its rules were being made; both
# scored once, at its end.
BLIND_SEVENTH_SESSION = HERE / "blind_fresh33.jsonl"
BLIND_SEVENTH_SESSION_2 = HERE / "blind_fresh34.jsonl"
# Written in the session after that, once its rules were nearly all in; scored at its end.
BLIND_EIGHTH_SESSION = HERE / "blind_fresh35.jsonl"
BLIND_EIGHTH_SESSION_2 = HERE / "blind_fresh36.jsonl"
# Written by helpers in the session after the next one (the eleventh on the rules), one at its
# start and one soon after; both scored only at its end.
BLIND_ELEVENTH_SESSION = HERE / "blind_fresh37.jsonl"
BLIND_ELEVENTH_SESSION_2 = HERE / "blind_fresh38.jsonl"
# Written by helpers at the start of the twelfth session on the rules, before its first rule: one
# in train's mix, one with traps for no-move items over many series; both scored at its end.
BLIND_TWELFTH_SESSION = HERE / "blind_fresh39.jsonl"
BLIND_TWELFTH_SESSION_2 = HERE / "blind_fresh40.jsonl"


def parts(eval_dir: Path) -> dict[str, list[dict]]:
    blind_ids = set(BLIND_IDS.read_text().split())
    train = [item for path in sorted(eval_dir.glob("train-*.jsonl")) for item in load(path)]
    written = [item for path in sorted((HERE / "written").glob("*.jsonl")) for item in load(path)]
    return {
        "dev": load(eval_dir / "dev.jsonl"),
        "open": [item for item in train if item["id"] not in blind_ids],
        "blind": [item for item in train if item["id"] in blind_ids],
        "written": written,
        # Written after this engine's rules, by a session that saw neither them nor the
        # items above: scored, never read for errors.
        "blind2": load(BLIND_WRITTEN) if BLIND_WRITTEN.exists() else [],
        # The same again, written a session later, after the rules fed by written/fresh5.
        "blind3": load(BLIND_WRITTEN_LATER) if BLIND_WRITTEN_LATER.exists() else [],
        # And once more, written near the end of that session: scored once, at its end.
        "blind4": load(BLIND_WRITTEN_LAST) if BLIND_WRITTEN_LAST.exists() else [],
        # And four times in the session after that (the first before its first rule, the
        # last after nearly all of them): scored, never read.
        "blind5": load(BLIND_LATER_SESSION) if BLIND_LATER_SESSION.exists() else [],
        "blind6": load(BLIND_LATER_SESSION_2) if BLIND_LATER_SESSION_2.exists() else [],
        "blind7": load(BLIND_LATER_SESSION_3) if BLIND_LATER_SESSION_3.exists() else [],
        "blind8": load(BLIND_LATER_SESSION_4) if BLIND_LATER_SESSION_4.exists() else [],
        # And twice more a session later, by writers asked for more several-driver and
        # entry-list stories: scored, never read.
        "blind9": load(BLIND_THIRD_SESSION) if BLIND_THIRD_SESSION.exists() else [],
        "blind10": load(BLIND_THIRD_SESSION_2) if BLIND_THIRD_SESSION_2.exists() else [],
        # And once more at that session's end, after nearly all of its rules.
        "blind11": load(BLIND_THIRD_SESSION_3) if BLIND_THIRD_SESSION_3.exists() else [],
        "blind12": load(BLIND_FOURTH_SESSION) if BLIND_FOURTH_SESSION.exists() else [],
        "blind13": load(BLIND_FOURTH_SESSION_2) if BLIND_FOURTH_SESSION_2.exists() else [],
        "blind14": load(BLIND_FIFTH_SESSION) if BLIND_FIFTH_SESSION.exists() else [],
        "blind15": load(BLIND_FIFTH_SESSION_2) if BLIND_FIFTH_SESSION_2.exists() else [],
        "blind16": load(BLIND_SIXTH_SESSION) if BLIND_SIXTH_SESSION.exists() else [],
        "blind17": load(BLIND_SIXTH_SESSION_2) if BLIND_SIXTH_SESSION_2.exists() else [],
        "blind18": load(BLIND_SEVENTH_SESSION) if BLIND_SEVENTH_SESSION.exists() else [],
        "blind19": load(BLIND_SEVENTH_SESSION_2) if BLIND_SEVENTH_SESSION_2.exists() else [],
        "blind20": load(BLIND_EIGHTH_SESSION) if BLIND_EIGHTH_SESSION.exists() else [],
        "blind21": load(BLIND_EIGHTH_SESSION_2) if BLIND_EIGHTH_SESSION_2.exists() else [],
        "blind22": load(BLIND_ELEVENTH_SESSION) if BLIND_ELEVENTH_SESSION.exists() else [],
        "blind23": load(BLIND_ELEVENTH_SESSION_2) if BLIND_ELEVENTH_SESSION_2.exists() else [],
        "blind24": load(BLIND_TWELFTH_SESSION) if BLIND_TWELFTH_SESSION.exists() else [],
        "blind25": load(BLIND_TWELFTH_SESSION_2) if BLIND_TWELFTH_SESSION_2.exists() else [],
    }


def engine_without_their_drivers(items: list[dict]) -> Engine:
    """The engine with a gazetteer that knows none of the drivers the items' labels name."""
    gazetteer = Gazetteer.load(data_directories())
    named = {name_key(move["driver"]) for item in items for move in item.get("moves", [])}
    for driver in [d for d in gazetteer.drivers if name_key(d) in named]:
        del gazetteer.drivers[driver]
    gazetteer.index()
    return Engine(gazetteer, load_rules(RULES_PATH))


def engine_without_their_teams(items: list[dict]) -> Engine:
    """The engine with a gazetteer that knows none of the teams the items' labels name, under
    any of their names: how it reads a team that no list knows, where only the shape of its
    name ("Blauwe Racing", "Team Hendrikse") and its place in the sentence tell."""
    gazetteer = Gazetteer.load(data_directories())
    named = {name_key(team) for item in items for move in item.get("moves", [])
             for team in [move.get("team"), *(move.get("team_aliases") or [])] if team}
    for key, team in list(gazetteer.teams.items()):
        if {name_key(n) for n in [team.name, *team.aliases]} & named:
            del gazetteer.teams[key]
    gazetteer.index()
    return Engine(gazetteer, load_rules(RULES_PATH))


def score(eval_dir: Path, name: str, items: list[dict], errors: bool,
          engine: Engine | None = None) -> str:
    with tempfile.TemporaryDirectory() as folder:
        gold, pred = Path(folder) / "gold.jsonl", Path(folder) / "pred.jsonl"
        gold.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
        pred.write_text("".join(json.dumps(extract_item(item, engine=engine)) + "\n"
                                for item in items), encoding="utf-8")
        command = [sys.executable, str(eval_dir / "score.py"), str(gold), str(pred)]
        if errors:
            command.append("--errors")
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=HERE.parents[2] / "shared" / "eval")
    parser.add_argument("--errors", action="store_true", help="list misreadings (not blind)")
    parser.add_argument("--only", choices=("dev", "open", "blind", "written", "blind2",
                                               "blind3", "blind4", "blind5",
                                               "blind6", "blind7", "blind8", "blind9",
                                               "blind10", "blind11", "blind12",
                                               "blind13", "blind14", "blind15",
                                               "blind16", "blind17", "blind18",
                                               "blind19", "blind20", "blind21",
                                               "blind22", "blind23", "blind24",
                                               "blind25"))
    parser.add_argument("--full", action="store_true", help="every score line, not the last")
    unknown = parser.add_mutually_exclusive_group()  # (one gazetteer at a time)
    unknown.add_argument("--unknown-drivers", action="store_true",
                         help="read each part with its labelled drivers out of the gazetteer")
    unknown.add_argument("--unknown-teams", action="store_true",
                         help="read each part with its labelled teams out of the gazetteer")
    args = parser.parse_args()
    for name, items in parts(args.eval_dir).items():
        if args.only and name != args.only:
            continue
        if not items:
            continue
        hidden = name.startswith("blind")
        engine = engine_without_their_drivers(items) if args.unknown_drivers else \
            engine_without_their_teams(items) if args.unknown_teams else None
        output = score(args.eval_dir, name, items, args.errors and not hidden, engine)
        lines = output.rstrip("\n").splitlines()
        if args.errors and not hidden:
            for line in lines:
                if line.startswith(("FP", "FN")):
                    print(line)
        shown = lines[-8:] if args.full else lines[-2:]
        for line in shown:
            print(f"{name:<6} {line}")


if __name__ == "__main__":
    main()

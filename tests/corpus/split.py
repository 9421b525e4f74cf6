"""Set a blind part of the labelled corpus aside, by driver, before any tuning.

    python -m tests.corpus.split --seen tests/corpus/seen_before_split.txt

Items that report a move of the same driver are joined into one group (union-find over the
movers' names, compared as score.py compares drivers: folded full name), so no driver's move
sits on both sides. From each train file, groups are drawn with a fixed seed until about a
quarter of that file's items are blind. Groups that touch dev.jsonl stay open (dev was tuned
on before), as do groups with an item listed in --seen (items read before the split was made).

Writes tests/corpus/blind_ids.txt, one item id a line. The list is committed: the split is made
once, and tuning never looks inside it (tests/corpus/score.py prints only its figures).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
BLIND_IDS = HERE / "blind_ids.txt"
SEED = 20261206
SHARE = 0.25


def driver_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def groups(items: list[dict]) -> dict[str, str]:
    """Item id -> the id of its group's root."""
    parent = {item["id"]: item["id"] for item in items}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    first_with: dict[str, str] = {}
    for item in items:
        for move in item.get("moves") or []:
            key = driver_key(move.get("driver") or "")
            if not key:
                continue
            if key in first_with:
                parent[root(item["id"])] = root(first_with[key])
            else:
                first_with[key] = item["id"]
    return {item["id"]: root(item["id"]) for item in items}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=HERE.parents[2] / "shared" / "eval")
    parser.add_argument("--seen", type=Path, help="ids read before the split, kept open")
    args = parser.parse_args()
    dev = load(args.eval_dir / "dev.jsonl")
    train_files = sorted(args.eval_dir.glob("train-*.jsonl"))
    by_file = {path.name: load(path) for path in train_files}
    everything = dev + [item for items in by_file.values() for item in items]
    group_of = groups(everything)
    seen = set(args.seen.read_text().split()) if args.seen else set()
    closed = {group_of[item["id"]] for item in dev} | {group_of[i] for i in seen if i in group_of}
    rng = random.Random(SEED)
    blind: list[str] = []
    for name, items in by_file.items():
        members: dict[str, list[str]] = {}
        for item in items:
            members.setdefault(group_of[item["id"]], []).append(item["id"])
        has_moves = {item["id"]: bool(item.get("moves")) for item in items}
        taken: list[str] = []
        # Items with and without moves are drawn apart, so the blind part has the same share
        # of no-move items as the file (negatives are groups of one and would crowd in).
        for with_moves in (True, False):
            candidates = sorted(g for g, ids in members.items()
                                if g not in closed and has_moves[ids[0]] is with_moves)
            rng.shuffle(candidates)
            target = round(sum(v is with_moves for v in has_moves.values()) * SHARE)
            drawn = 0
            for group in candidates:
                if drawn >= target:
                    break
                # A group reaching into another file goes whole or not at all.
                if any(g == group and i not in members[group] for i, g in group_of.items()):
                    continue
                taken.extend(members[group])
                drawn += len(members[group])
        print(f"{name}: {len(taken)} of {len(items)} items blind")
        blind.extend(taken)
    BLIND_IDS.write_text("".join(f"{i}\n" for i in sorted(blind)), encoding="utf-8")
    print(f"wrote {BLIND_IDS} ({len(blind)} ids)")


if __name__ == "__main__":
    main()

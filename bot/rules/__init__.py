"""The rules engine: driver moves out of racing news, with rules and gazetteer kept as data.

    extract(article) -> Extraction      pure, no I/O per call (cached default Engine)
    extract_item(item) -> dict          one `pitboard extract` JSONL line
    summarize(move) -> str              the one-line summary of a move
    gazetteer() -> Gazetteer            names the rest of the bot looks up
    reload()                            rebuild the default engine now

The default engine reads the packaged data plus `$PITBOARD_GAZETTEER_DIR`; a file added or
changed there is picked up on the next call after a cheap modification-time check (at most once
every few seconds), without a restart.
"""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.models import Article, Extraction, Status
from bot.rules.engine import Engine
from bot.rules.gazetteer import Gazetteer, toml_files
from bot.rules.patterns import RulesError, load_rules
from bot.rules.summary import summarize

__all__ = [
    "Engine", "Gazetteer", "RulesError", "extract", "extract_item", "gazetteer", "reload",
    "summarize",
]

DATA_DIR = Path(__file__).parent / "data"
RULES_PATH = DATA_DIR / "rules.toml"
GAZETTEER_DIR = DATA_DIR / "gazetteer"
ENV_DIR = "PITBOARD_GAZETTEER_DIR"
CHECK_EVERY_SECONDS = 2.0

_lock = threading.Lock()
_engine: Engine | None = None
_signature: tuple[object, ...] | None = None
_checked_at = 0.0


def data_directories() -> list[Path]:
    directories = [GAZETTEER_DIR]
    extra = os.environ.get(ENV_DIR, "").strip()
    if extra:
        directories.extend(Path(p) for p in extra.split(os.pathsep) if p)
    return directories


def _data_signature(directories: list[Path]) -> tuple[object, ...]:
    stamp: list[object] = [str(d) for d in directories]
    for path in (RULES_PATH, *toml_files(directories)):
        try:
            info = path.stat()
        except OSError:
            continue
        stamp.append((str(path), info.st_mtime_ns, info.st_size))
    return tuple(stamp)


def _build(directories: list[Path]) -> Engine:
    return Engine(Gazetteer.load(directories), load_rules(RULES_PATH))


def default_engine() -> Engine:
    """The cached engine, rebuilt when a data file was added, changed or removed."""
    global _engine, _signature, _checked_at
    now = time.monotonic()
    if _engine is not None and now - _checked_at < CHECK_EVERY_SECONDS:
        return _engine
    with _lock:
        directories = data_directories()
        signature = _data_signature(directories)
        _checked_at = time.monotonic()
        if _engine is None or signature != _signature:
            _engine = _build(directories)
            _signature = signature
        return _engine


def reload() -> Engine:
    """Rebuild the default engine from the data files now."""
    global _engine, _signature, _checked_at
    with _lock:
        directories = data_directories()
        _signature = _data_signature(directories)
        _engine = _build(directories)
        _checked_at = time.monotonic()
        return _engine


def extract(article: Article) -> Extraction:
    return default_engine().extract(article)


def gazetteer() -> Gazetteer:
    return default_engine().gazetteer


_ITEM_KEYS = ("id", "title", "summary", "url", "date", "series")


def article_from_item(item: dict[str, Any]) -> Article:
    """A JSONL news item as an Article; only the six documented keys are read."""
    fields = {k: item.get(k) for k in _ITEM_KEYS}
    published = None
    if fields["date"]:
        try:
            published = datetime.strptime(str(fields["date"])[:10], "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            published = None
    return Article(
        entry_id=str(fields["id"] or ""),
        title=str(fields["title"] or ""),
        summary=str(fields["summary"] or ""),
        url=str(fields["url"]) if fields["url"] else None,
        published=published,
        series=str(fields["series"]) if fields["series"] else None,
    )


def extract_item(item: dict[str, Any], *, include_rumours: bool = False,
                 engine: Engine | None = None) -> dict[str, Any]:
    """One `pitboard extract` output line. Rumours are left out unless asked for: the corpus
    labels (and a fan reading an alert) count only what the article states as fact. The
    default engine reads it unless another is given."""
    extraction = (engine or default_engine()).extract(article_from_item(item))
    pairs = [(m, s) for m, s in zip(extraction.moves, extraction.summaries, strict=True)
             if include_rumours or m.status is Status.CONFIRMED]
    return {
        "id": item.get("id"),
        "moves": [
            {
                "driver": m.driver, "kind": m.kind.value, "team": m.team, "car": m.car,
                "season": m.season, "role": m.role, "from_team": m.from_team,
                "replaces": m.replaces, "status": m.status.value,
                "confidence": round(m.confidence, 3), "evidence": m.evidence,
                "series": m.series,
            }
            for m, _ in pairs
        ],
        "lineup": [e.as_json() for e in extraction.lineup],
        "summary": " | ".join(s for _, s in pairs),
    }

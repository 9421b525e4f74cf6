"""Golden files: tests/data/feeds/<case>.xml parsed and compared with <case>.expected.json.

Each expected file holds the input's circumstances under "input" (the URL it came from, the
Content-Type it was served with, the Feed row, the clock) and the normalised result. After a
deliberate change to the normalising, rewrite the results with

    PITBOARD_REGEN_GOLDEN=1 .venv/bin/pytest tests/feeds/test_golden.py

and read the diff before committing it: the point of a golden file is a human looked at it."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bot.models import Article, Feed
from feeds import ParsedFeed, parse_feed

DATA = Path(__file__).resolve().parents[1] / "data" / "feeds"
CASES = sorted(p.stem for p in DATA.glob("*.xml"))
REGENERATE = os.environ.get("PITBOARD_REGEN_GOLDEN") == "1"


def article_json(article: Article) -> dict[str, Any]:
    return {
        "entry_id": article.entry_id,
        "title": article.title,
        "summary": article.summary,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "series": article.series,
        "source": article.source,
        "feed_id": article.feed_id,
    }


def result_json(parsed: ParsedFeed) -> dict[str, Any]:
    return {
        "title": parsed.title,
        "error": parsed.error,
        "articles": [article_json(a) for a in parsed.articles],
    }


def run_case(case: str, given: dict[str, Any]) -> ParsedFeed:
    feed = Feed(**given["feed"]) if given.get("feed") else None
    return parse_feed(
        (DATA / f"{case}.xml").read_bytes(),
        url=given["url"],
        content_type=given.get("content_type"),
        feed=feed,
        now=datetime.fromisoformat(given["now"]),
    )


def test_every_case_has_an_expected_file() -> None:
    assert len(CASES) >= 8
    missing = [c for c in CASES if not (DATA / f"{c}.expected.json").exists()]
    assert missing == []


@pytest.mark.parametrize("case", CASES)
def test_golden(case: str) -> None:
    expected_path = DATA / f"{case}.expected.json"
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    actual = result_json(run_case(case, expected["input"]))
    if REGENERATE:
        expected_path.write_text(
            json.dumps({"input": expected["input"], **actual}, indent=2, ensure_ascii=False)
            + "\n", encoding="utf-8")
        return
    assert actual == {k: expected[k] for k in ("title", "error", "articles")}


@pytest.mark.parametrize("case", CASES)
def test_golden_parse_is_deterministic(case: str) -> None:
    given = json.loads((DATA / f"{case}.expected.json").read_text(encoding="utf-8"))["input"]
    assert run_case(case, given) == run_case(case, given)

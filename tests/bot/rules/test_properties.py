"""On any text: extract never raises, and every driver it names is written in the text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.models import Article, name_key
from bot.rules import extract, gazetteer

WORDS = ["will join", "has signed", "leaves", "No. 31", "replaces", "next season", "Racing",
         "Ferrari", "Tom Blomqvist", "Blomqvist", "and", ",", ".", "retires", "is expected to",
         "team principal", "Cadillac", "2025", "Jr.", "van der", "O'Ward", "#7", "\n"]


def _texts() -> st.SearchStrategy[str]:
    names = gazetteer().driver_names()[:50] or ["Pat Example"]
    token = st.one_of(st.sampled_from(WORDS), st.sampled_from(names),
                      st.text(min_size=1, max_size=12))
    return st.lists(token, max_size=40).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=_texts(), summary=_texts(), series=st.sampled_from([None, "IMSA", "F1", "bogus"]))
def test_extract_never_raises_and_names_only_drivers_in_the_text(
        title: str, summary: str, series: str | None) -> None:
    result = extract(Article(entry_id="h", title=title, summary=summary, series=series))
    text = name_key(f"{title} {summary}")
    for move in result.moves:
        surname = name_key(move.driver).split()[-1]
        assert surname in text.split(), (move.driver, text)
        assert 0.0 <= move.confidence <= 1.0
    assert len(result.summaries) == len(result.moves)


def test_a_runaway_entry_is_read_only_up_front() -> None:
    body = "Lewis Hamilton will join Ferrari, while the rest of this text repeats itself. " * 50_000
    result = extract(Article(entry_id="big", title="x" * 100_000, summary=body, series="F1"))
    assert [(m.driver, m.team) for m in result.moves] == [("Lewis Hamilton", "Ferrari")]

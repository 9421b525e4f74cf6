"""The weekly digest: the week's confirmed moves in each alerts channel's series, one line
each, queued in the outbox once per channel and week however many workers run the job,
and sent by the delivery worker (retried like alerts). The storage side runs on both
backends in tests/storage/test_digest_queries.py."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from bot.digest import MAX_LINES, digest_card, iso_week
from bot.models import Digest


def test_the_card_lists_one_line_per_move_and_says_how_many_more():
    card = digest_card(Digest(week="2026-W49", series="IMSA",
                              lines=tuple(f"Driver {n} joins Team" for n in range(40))))
    assert card.title == "This week's confirmed driver moves in IMSA"
    lines = (card.description or "").splitlines()
    assert lines[0] == "• Driver 0 joins Team"
    assert len(lines) == MAX_LINES + 1
    assert lines[-1] == "… and 10 more (/changes lists them)"
    assert card.footer == "Pitboard weekly digest · 2026-W49"
    every = digest_card(Digest(week="2026-W49", lines=("A joins B",)))
    assert every.title == "This week's confirmed driver moves"


def test_iso_week():
    from datetime import UTC, datetime

    assert iso_week(datetime(2026, 12, 6, tzinfo=UTC)) == "2026-W49"
    assert iso_week(datetime(2027, 1, 1, tzinfo=UTC)) == "2026-W53"


async def test_the_digest_is_off_unless_a_day_is_set(tmp_path: Path):
    from bot.app import PitboardApp

    url = f"sqlite+aiosqlite:///{tmp_path}/digest.db"
    off = await PitboardApp.create(Settings(_env_file=None, database_url=url,
                                            pitboard_console=True, pitboard_feeds=""))
    try:
        assert off.start_scheduler().get_job("weekly-digest") is None
    finally:
        await off.close()
    on = await PitboardApp.create(Settings(
        _env_file=None, database_url=url, pitboard_console=True, pitboard_feeds="",
        pitboard_digest_day="mon", pitboard_digest_hour=7))
    try:
        job = on.start_scheduler().get_job("weekly-digest")
        assert job is not None
        fields = {field.name: str(field) for field in job.trigger.fields}
        assert (fields["day_of_week"], fields["hour"], fields["minute"]) == ("mon", "7", "0")
    finally:
        await on.close()

"""Gateway leadership and token membership through the database (storage.coordination):
on PostgreSQL one session leads a token and every session counts; on SQLite the one process
leads everything alone."""

from __future__ import annotations

from storage import SqlStore
from storage.coordination import Coordination, token_key


async def test_one_leader_per_token_and_a_count_of_the_live_workers(store: SqlStore) -> None:
    first, second, third = (Coordination(store.engine) for _ in range(3))
    try:
        if store.dialect == "sqlite":
            assert await first.lead("discord:token") and await second.lead("discord:token")
            assert await first.join("discord:token") == 1
            return
        assert await first.lead("discord:token")
        assert not await second.lead("discord:token")
        assert await second.lead("discord:other")  # another token, another leader
        assert await first.lead("discord:token")  # asked again: still held
        assert await first.join("discord:token") == 1
        assert await second.join("discord:token") == 2
        assert await third.join("discord:token") == 2 + 1
        assert await third.join("discord:other") == 1

        await first.close()  # a worker that dies: its session ends, its locks with it
        assert await second.join("discord:token") == 2
        assert await second.lead("discord:token")
        assert not await third.lead("discord:token")
        await second.resign("discord:token")  # a worker shutting down
        assert await third.lead("discord:token")
    finally:
        for coordination in (first, second, third):
            await coordination.close()


def test_keys_are_stable_and_hide_the_token() -> None:
    assert token_key("discord:abc") == token_key("discord:abc")
    assert token_key("discord:abc") != token_key("discord:abd")
    assert 0 <= token_key("x") < 2 ** 31

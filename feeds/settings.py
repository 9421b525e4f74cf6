"""How feeds are fetched and parsed: limits that keep one bad site from hurting the bot."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class FetchSettings:
    timeout_seconds: float = 20.0  # the whole fetch, every redirect hop included
    max_bytes: int = 5_000_000  # of the decoded body: a gzip bomb stops here too
    # Site owners read the User-Agent in their logs: it says what polls them and, with the
    # operator's contact URL, whom to ask to poll less (or to stop) instead of blocking.
    user_agent: str = "Pitboard/0.1 (racing news bot; +https://github.com/pitboard)"
    allow_private: bool = False  # True only for tests and trusted local set-ups
    max_redirects: int = 5
    max_entries: int = 200
    max_summary_chars: int = 20_000
    # Host names exempt from the private-address refusal, for an operator who runs a feed
    # bridge on their own network; compared case-insensitively, exact names only.
    trusted_hosts: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if self.timeout_seconds <= 0:
            raise ValueError("timeout_seconds must be positive")
        if self.max_bytes <= 0 or self.max_entries <= 0 or self.max_summary_chars <= 0:
            raise ValueError("max_bytes, max_entries and max_summary_chars must be positive")
        if self.max_redirects < 0:
            raise ValueError("max_redirects cannot be negative")
        object.__setattr__(
            self, "trusted_hosts", frozenset(h.lower().rstrip(".") for h in self.trusted_hosts)
        )

    @staticmethod
    def user_agent_for(contact_url: str | None) -> str:
        contact = (contact_url or "").strip() or "https://github.com/pitboard"
        return f"Pitboard/0.1 (racing news bot; +{contact})"

    @property
    def connect_timeout_seconds(self) -> float:
        return min(10.0, self.timeout_seconds)

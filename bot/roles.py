"""What one `pitboard run` process does: `--roles poll,deliver,discord,slack`.

Several processes on one PostgreSQL split the work by role (pollers apart from deliverers,
a process that only holds the Discord gateway); the leases already keep two processes with
the same role from doing the same piece of work twice.

- `poll`: the feed scheduler (fetch, read, queue alerts).
- `deliver`: the outbox worker (sends the queued alerts) and the weekly digest.
- `discord`: the Discord gateway, i.e. slash commands (DISCORD_TOKEN).
- `slack`: Slack Socket Mode, i.e. slash commands (SLACK_APP_TOKEN); in HTTP mode
  `pitboard web` answers commands instead.

Every process still builds a sender for each configured platform: a poller tells a feed's
moderators when it disables the feed, and a command answer may post to a channel.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES: tuple[str, ...] = ("poll", "deliver", "discord", "slack")


class RoleError(ValueError):
    """A `--roles` value that names no role, or a role this configuration cannot run."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Roles:
    poll: bool = True
    deliver: bool = True
    discord: bool = False
    slack: bool = False

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(role for role in ROLES if getattr(self, role))


def parse_roles(text: str | None, *, discord_configured: bool, slack_socket_configured: bool
                ) -> Roles:
    """`--roles` as given (None: every role this configuration can run). A role named
    explicitly that its platform's settings do not allow is an error, not a silent no-op:
    the operator asked for it."""
    if text is None:
        return Roles(discord=discord_configured, slack=slack_socket_configured)
    names = [name.strip().lower() for name in text.split(",")]
    if not any(names):
        raise RoleError(f"--roles needs at least one of {', '.join(ROLES)}")
    unknown = [name for name in names if name not in ROLES]
    if unknown:
        shown = ", ".join(repr(name) if name else "(an empty name)" for name in unknown)
        raise RoleError(f"unknown role {shown} in --roles {text!r}: use a comma-separated "
                        f"list of {', '.join(ROLES)}")
    chosen = set(names)
    if "discord" in chosen and not discord_configured:
        raise RoleError("role 'discord' needs DISCORD_TOKEN (README, Discord)")
    if "slack" in chosen and not slack_socket_configured:
        raise RoleError("role 'slack' holds Slack Socket Mode and needs SLACK_APP_TOKEN and "
                        "SLACK_BOT_TOKEN; in HTTP mode `pitboard web` answers commands and a "
                        "'deliver' worker sends (README, Slack)")
    return Roles(**{role: role in chosen for role in ROLES})

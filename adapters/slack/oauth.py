"""Multi-workspace installs: slack_sdk's async SQLAlchemy installation and OAuth state
stores, on Pitboard's own database (their tables are slack_installations, slack_bots and
slack_oauth_states, created if missing)."""

from __future__ import annotations

from dataclasses import dataclass, field

from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from adapters.slack.manifest import BOT_SCOPES

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
SLACK_TABLES = ("slack_installations", "slack_bots", "slack_oauth_states")


def async_database_url(url: str) -> str:
    """The same database through an asyncio driver: sqlite -> aiosqlite, postgresql ->
    asyncpg. URLs that already name a driver are kept."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    if parsed.drivername == "sqlite":
        parsed = parsed.set(drivername="sqlite+aiosqlite")
    elif parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


@dataclass(slots=True, kw_only=True)
class SlackOAuth:
    """What build_slack_app needs for OAuth installs; build with open_slack_oauth()."""

    client_id: str
    client_secret: str
    installation_store: AsyncSQLAlchemyInstallationStore
    state_store: AsyncSQLAlchemyOAuthStateStore
    engine: AsyncEngine
    redirect_uri: str | None = None
    scopes: tuple[str, ...] = field(default=BOT_SCOPES)
    install_path: str = INSTALL_PATH
    redirect_uri_path: str = REDIRECT_PATH

    async def close(self) -> None:
        await self.engine.dispose()


async def open_slack_oauth(*, client_id: str, client_secret: str, database_url: str,
                           redirect_uri: str | None = None,
                           state_expiration_seconds: int = 600) -> SlackOAuth:
    engine = create_async_engine(async_database_url(database_url), pool_pre_ping=True)
    installations = AsyncSQLAlchemyInstallationStore(client_id=client_id, engine=engine)
    states = AsyncSQLAlchemyOAuthStateStore(expiration_seconds=state_expiration_seconds,
                                            engine=engine)
    try:
        await installations.create_tables()
        await states.create_tables()
    except BaseException:
        await engine.dispose()
        raise
    return SlackOAuth(client_id=client_id, client_secret=client_secret,
                      installation_store=installations, state_store=states, engine=engine,
                      redirect_uri=redirect_uri)

"""Configuration from the environment and an optional `.env` file; secrets never in the repo."""

from __future__ import annotations

import os
import socket
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8",
                                      extra="ignore", case_sensitive=False)

    database_url: str | None = Field(default=None, description="SQLAlchemy URL; SQLite if unset")
    log_level: str = "INFO"
    pitboard_log_format: Literal["auto", "plain", "json"] = Field(
        default="auto", description="json: one JSON object a line; auto: rich on a terminal")

    # Polling and delivery
    pitboard_poll_seconds: int = Field(default=30, ge=1, description="scheduler tick for feeds")
    pitboard_delivery_seconds: float = Field(default=2.0, gt=0)
    pitboard_lease_seconds: int = Field(
        default=120, ge=1,
        description="how long a claimed alert stays with its worker before another may send it")
    pitboard_feed_lease_seconds: int | None = Field(
        default=None, ge=1,
        description="how long a claimed feed stays with its worker without renewal (a worker "
                    "that dies delays its feeds this long); default: fetch timeout + 40 s")
    pitboard_shutdown_grace_seconds: float = Field(
        default=5.0, ge=0,
        description="on SIGTERM, how long polls and sends in flight may finish before they "
                    "are cancelled and handed back")
    pitboard_coordination_seconds: float = Field(
        default=5.0, gt=0,
        description="how often a worker checks who holds each chat gateway and how many "
                    "workers share each token's rate limit")
    pitboard_discord_rate: float = Field(
        default=47.0, gt=0,
        description="requests/s all workers sharing a Discord token may send together "
                    "(Discord allows 50; alerts leave evenly spaced, so 47 keeps clear of "
                    "it); each takes an equal share")
    pitboard_digest_day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] | None = Field(
        default=None, description="day of the weekly digest to each alerts channel (UTC); "
                                  "unset: no digest")
    pitboard_digest_hour: int = Field(default=9, ge=0, le=23,
                                      description="hour (UTC) of the weekly digest")
    pitboard_worker_id: str = Field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    pitboard_feeds: str = Field(default="", description="comma-separated feed URLs to add")
    pitboard_allow_private_feeds: bool = Field(
        default=False, description="let feed URLs reach loopback/private addresses")
    pitboard_feed_max_failures: int = Field(
        default=10, ge=1,
        description="failed polls in a row after which a feed is disabled and moderators told")
    pitboard_feed_host_limit: int = Field(
        default=2, ge=1, description="feeds fetched at once from one host")
    pitboard_feed_concurrency: int = Field(
        default=16, ge=1, description="feeds fetched at once in all")
    pitboard_contact_url: str | None = Field(
        default=None,
        description="where a site owner reaches the operator; sent in the User-Agent")
    pitboard_feed_catalogue: str | None = Field(
        default=None, description="a feed catalogue file of your own for /feed presets "
                                  "(format: feeds/catalogue.toml); default: the bundled one")
    pitboard_gazetteer_dir: str | None = None
    pitboard_console: bool | None = Field(
        default=None, description="print alerts to the terminal; default: when no platform")

    # Discord
    discord_token: SecretStr | None = None
    discord_application_id: int | None = None
    discord_guild_id: int | None = None
    discord_api_base_url: str | None = None
    discord_gateway_url: str | None = None

    # Slack
    slack_bot_token: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_client_id: str | None = None
    slack_client_secret: SecretStr | None = None
    slack_api_base_url: str | None = None

    port: int = 8080
    # 0.0.0.0: a web dyno or container must answer on every interface; set 127.0.0.1 behind
    # a reverse proxy on the same host.
    pitboard_web_host: str = "0.0.0.0"  # noqa: S104
    pitboard_metrics_port: int | None = Field(
        default=None, ge=0, le=65535,
        description="serve /metrics and /healthz from `pitboard run` on this port; off if unset")

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
            raise ValueError("use DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    @property
    def feed_urls(self) -> list[str]:
        return [url.strip() for url in self.pitboard_feeds.split(",") if url.strip()]

    @property
    def console_enabled(self) -> bool:
        if self.pitboard_console is not None:
            return self.pitboard_console
        return self.discord_token is None and self.slack_bot_token is None \
            and self.slack_client_id is None

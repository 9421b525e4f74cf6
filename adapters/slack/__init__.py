"""Slack adapter: slack-bolt AsyncApp (Socket Mode or HTTP), Block Kit rendering, alert
delivery and multi-workspace OAuth installs."""

from adapters.slack.app import build_slack_app, build_web_app, run_socket_mode
from adapters.slack.manifest import BOT_SCOPES, manifest
from adapters.slack.moderators import ModeratorLookup, moderators_from_settings
from adapters.slack.oauth import SLACK_TABLES, SlackOAuth, open_slack_oauth
from adapters.slack.sender import SlackSender

__all__ = [
    "BOT_SCOPES",
    "SLACK_TABLES",
    "ModeratorLookup",
    "SlackOAuth",
    "SlackSender",
    "build_slack_app",
    "build_web_app",
    "manifest",
    "moderators_from_settings",
    "open_slack_oauth",
    "run_socket_mode",
]

"""Web API clients configured the same way everywhere: one base URL (SLACK_API_BASE_URL,
for proxies and tests) and the SDK's retry handlers, including rate limits."""

from __future__ import annotations

import aiohttp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

DEFAULT_API_BASE_URL = AsyncWebClient.BASE_URL  # "https://slack.com/api/"


def retry_after_seconds(headers: object) -> float | None:
    """Retry-After from a response's headers (a dict of lists, or a multidict), if any."""
    if not hasattr(headers, "items"):
        return None
    for key, value in headers.items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) else value
            try:
                return float(raw)
            except (TypeError, ValueError):
                return None
    return None


class BoundedRateLimitRetryHandler(AsyncRateLimitErrorRetryHandler):
    """The SDK's 429 handler (it sleeps Retry-After, then retries), except when Slack asks
    for a longer wait than `max_wait_seconds`: then the 429 surfaces and the caller (the
    delivery worker) reschedules instead of holding the row for minutes."""

    def __init__(self, max_retry_count: int = 2, max_wait_seconds: float = 30.0) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait_seconds = max_wait_seconds

    async def _can_retry_async(self, *, state: RetryState, request: HttpRequest,
                               response: HttpResponse | None = None,
                               error: Exception | None = None) -> bool:
        if not await super()._can_retry_async(state=state, request=request,
                                              response=response, error=error):
            return False
        assert response is not None
        wait = retry_after_seconds(response.headers)
        return wait is None or wait <= self.max_wait_seconds


def retry_handlers() -> list[AsyncRetryHandler]:
    return [AsyncConnectionErrorRetryHandler(), BoundedRateLimitRetryHandler()]


def web_client(token: str | None = None, *, base_url: str | None = None,
               timeout: int = 30, session: aiohttp.ClientSession | None = None
               ) -> AsyncWebClient:
    """A client; with `session`, its requests share that session's connection pool
    (without one, slack_sdk opens a session and a connection for every call)."""
    base = base_url or DEFAULT_API_BASE_URL
    return AsyncWebClient(token=token, base_url=base if base.endswith("/") else base + "/",
                          timeout=timeout, retry_handlers=retry_handlers(), session=session)

"""Which feed URLs Pitboard may fetch: the guard against server-side request forgery.

Anyone allowed to run `/feed add` chooses a URL the bot's server will request, so the URL
must not reach the server's own network (loopback, private ranges, cloud metadata at
169.254.169.254, ...). Host names are resolved and every address they resolve to is
checked; the fetcher repeats the check on every redirect hop and once more inside the
connector, where the address actually used is chosen, so DNS rebinding gains nothing."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Collection, Iterable
from urllib.parse import SplitResult, urlsplit, urlunsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Prefixes that carry an IPv4 address inside an IPv6 one, so "::ffff:127.0.0.1" and friends
# are judged by the IPv4 address they lead to.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class FeedUrlError(ValueError):
    """The URL is not one Pitboard will fetch; the message says why, for the user."""


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    embedded = address.ipv4_mapped or address.sixtofour
    if embedded is None and address in _NAT64:
        embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return embedded


def address_problem(address: IPAddress) -> str | None:
    """What makes `address` off limits ("a loopback address"), or None when it is public."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None:
            problem = address_problem(embedded)
            return f"{problem} ({embedded})" if problem else None
    checks = (
        ("an unspecified address", address.is_unspecified),
        ("a loopback address", address.is_loopback),
        ("a link-local address", address.is_link_local),
        ("a multicast address", address.is_multicast),
        ("a reserved address", address.is_reserved),
        ("a private address", address.is_private),
        ("not a public address", not address.is_global),
    )
    for what, hit in checks:
        if hit:
            return what
    return None


def _split(url: str) -> tuple[SplitResult, str]:
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port  # raises for a port that is not a number or out of range
    except ValueError as exc:
        raise FeedUrlError(f"not a valid URL: {exc}") from None
    if parts.scheme.lower() not in ("http", "https"):
        shown = parts.scheme or "none"
        raise FeedUrlError(f"only http and https feeds are supported (scheme: {shown})")
    if parts.username is not None or parts.password is not None:
        raise FeedUrlError("URLs with a user name or password are not accepted")
    host = parts.hostname
    if not host:
        raise FeedUrlError("the URL has no host name")
    try:
        # IDNA so that lookalike Unicode names resolve the way the connector will see them.
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise FeedUrlError(f"invalid host name {host!r}") from None
    ascii_host = ascii_host.lower().rstrip(".")
    if not ascii_host:
        raise FeedUrlError("the URL has no host name")
    netloc = f"[{ascii_host}]" if ":" in ascii_host else ascii_host
    default_port = 443 if parts.scheme.lower() == "https" else 80
    if port is not None and port != default_port:
        netloc = f"{netloc}:{port}"
    normalised = SplitResult(parts.scheme.lower(), netloc, parts.path or "/", parts.query, "")
    return normalised, ascii_host


def _port(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


def _judge(host: str, addresses: Iterable[str]) -> None:
    seen = False
    for text in addresses:
        seen = True
        # getaddrinfo gives "fe80::1%eth0" for scoped addresses; the scope is not ours to judge.
        address = text.split("%", 1)[0]
        problem = address_problem(ipaddress.ip_address(address))
        if problem:
            where = address if address == host else f"{host} (resolves to {address})"
            raise FeedUrlError(f"refusing {where}: {problem}")
    if not seen:
        raise FeedUrlError(f"could not resolve host {host!r}")


def _addresses(infos: Iterable[tuple[object, ...]]) -> list[str]:
    return [str(info[4][0]) for info in infos]  # type: ignore[index]


def _precheck(url: str, allow_private: bool, trusted_hosts: Collection[str]
              ) -> tuple[str, SplitResult, str, bool]:
    parts, host = _split(url)
    skip = allow_private or host in {h.lower().rstrip(".") for h in trusted_hosts}
    return urlunsplit(parts), parts, host, skip


def check_feed_url(
    url: str, *, allow_private: bool, trusted_hosts: Collection[str] = ()
) -> str:
    """The normalised URL, or FeedUrlError. Resolves the host with the blocking resolver:
    in async code use check_feed_url_async."""
    normalised, parts, host, skip = _precheck(url, allow_private, trusted_hosts)
    if skip:
        return normalised
    try:
        infos = socket.getaddrinfo(host, _port(parts), type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FeedUrlError(f"could not resolve host {host!r}: {exc}") from None
    _judge(host, _addresses(infos))
    return normalised


async def check_feed_url_async(
    url: str,
    *,
    allow_private: bool,
    trusted_hosts: Collection[str] = (),
) -> str:
    """check_feed_url, resolving with the running loop's getaddrinfo."""
    normalised, parts, host, skip = _precheck(url, allow_private, trusted_hosts)
    if skip:
        return normalised
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, _port(parts), type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FeedUrlError(f"could not resolve host {host!r}: {exc}") from None
    _judge(host, _addresses(infos))
    return normalised

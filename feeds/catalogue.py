"""The bundled catalogue of well-known racing news feeds (feeds/catalogue.toml), or a
deployment's own file in the same format."""

from __future__ import annotations

import tomllib
from pathlib import Path
from urllib.parse import urlsplit

from bot.models import PresetFeed

CATALOGUE = Path(__file__).resolve().parent / "catalogue.toml"


class CatalogueError(ValueError):
    """The catalogue file is unreadable or an entry is incomplete; says which and why."""


def load_catalogue(path: Path | str | None = None) -> tuple[PresetFeed, ...]:
    """Every [[feed]] of the file (default: the bundled one), in file order."""
    path = Path(path) if path is not None else CATALOGUE
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise CatalogueError(f"feed catalogue {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"feed catalogue {path} is not valid TOML: {exc}") from None
    entries = data.get("feed", [])
    if not isinstance(entries, list):
        raise CatalogueError(f"feed catalogue {path}: [[feed]] must be a list of tables")
    presets: list[PresetFeed] = []
    seen: set[tuple[str, str]] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"feed catalogue {path}, entry {number}"
        if not isinstance(entry, dict):
            raise CatalogueError(f"{where}: not a table")
        values = {}
        for key in ("series", "publisher", "url"):
            value = entry.get(key)
            if not isinstance(value, str) or not value.strip():
                raise CatalogueError(f"{where}: needs a {key}")
            values[key] = value.strip()
        if urlsplit(values["url"]).scheme not in ("http", "https"):
            raise CatalogueError(f"{where}: {values['url']!r} is not an http(s) URL")
        key = (values["series"].casefold(), values["url"])
        if key in seen:
            raise CatalogueError(f"{where}: {values['url']} is listed twice for "
                                 f"{values['series']}")
        seen.add(key)
        presets.append(PresetFeed(**values))
    return tuple(presets)

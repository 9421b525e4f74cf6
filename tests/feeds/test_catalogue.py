"""The bundled feed catalogue is well-formed and names series the bot knows; a catalogue
file of a deployment's own is checked entry by entry, with a clear error for each fault."""

from __future__ import annotations

from pathlib import Path

import pytest

import feeds
from bot.rules import gazetteer


def test_the_bundled_catalogue_names_known_series_with_publishers_and_urls():
    presets = feeds.load_catalogue()
    assert len(presets) >= 20
    names = gazetteer()
    for preset in presets:
        assert names.canonical_series(preset.series) == preset.series, preset
        assert preset.publisher and preset.url.startswith("https://")
    series = {preset.series for preset in presets}
    assert {"F1", "IMSA", "WEC", "IndyCar", "NASCAR Cup", "MotoGP"} <= series
    assert len({(p.series, p.url) for p in presets}) == len(presets)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "catalogue.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_catalogue_of_ones_own_is_read_in_order(tmp_path):
    path = write(tmp_path, '[[feed]]\nseries = "IMSA"\npublisher = "A"\nurl = "http://a/x"\n'
                           '[[feed]]\nseries = "F1"\npublisher = "B"\nurl = "https://b/y"\n')
    assert [(p.series, p.publisher, p.url) for p in feeds.load_catalogue(path)] == [
        ("IMSA", "A", "http://a/x"), ("F1", "B", "https://b/y")]


@pytest.mark.parametrize(("text", "message"), [
    ('[[feed]]\nseries = "IMSA"\nurl = "https://a/x"\n', "entry 1: needs a publisher"),
    ('[[feed]]\nseries = "IMSA"\npublisher = " "\nurl = "https://a/x"\n',
     "entry 1: needs a publisher"),
    ('[[feed]]\npublisher = "A"\nurl = "https://a/x"\n', "entry 1: needs a series"),
    ('[[feed]]\nseries = "IMSA"\npublisher = "A"\n', "entry 1: needs a url"),
    ('[[feed]]\nseries = "IMSA"\npublisher = "A"\nurl = "ftp://a/x"\n',
     "entry 1: 'ftp://a/x' is not an http(s) URL"),
    ('[[feed]]\nseries = "IMSA"\npublisher = "A"\nurl = "https://a/x"\n'
     '[[feed]]\nseries = "imsa"\npublisher = "B"\nurl = "https://a/x"\n',
     "entry 2: https://a/x is listed twice for imsa"),
    ('feed = "https://a/x"\n', "[[feed]] must be a list of tables"),
    ('[[feed]\n', "is not valid TOML"),
])
def test_a_faulty_catalogue_says_what_is_wrong(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(feeds.CatalogueError, match="feed catalogue") as caught:
        feeds.load_catalogue(path)
    assert message in str(caught.value)


def test_a_missing_catalogue_file_is_a_clear_error(tmp_path):
    with pytest.raises(feeds.CatalogueError, match="No such file"):
        feeds.load_catalogue(tmp_path / "absent.toml")

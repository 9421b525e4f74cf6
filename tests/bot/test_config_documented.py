"""The README's Configuration table documents every setting Pitboard reads, with its default:
each field of bot.config.Settings, and each variable any package reads from the environment
itself (found in the source, so a new `os.environ.get("X")` cannot slip past). No row names
a setting that no longer exists."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from pydantic_core import PydanticUndefined

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "adapters", "feeds", "storage")


def configuration_table() -> dict[str, str]:
    """{VARIABLE: default cell} from the rows of the table under `## Configuration`."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not line.startswith("|"):
            continue
        for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", cells[0]):
            assert name not in rows, f"{name} has two rows in the Configuration table"
            rows[name] = cells[1]
    return rows


def settings_fields() -> dict[str, object]:
    """{VARIABLE: default} for each Settings field (None for a computed default)."""
    found = {}
    for name, field in Settings.model_fields.items():
        default = None if field.default is PydanticUndefined else field.default
        found[(field.alias or name).upper()] = default
    return found


def _string_constants(tree: ast.Module) -> dict[str, str]:
    return {target.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            for target in node.targets if isinstance(target, ast.Name)}


def environment_reads() -> dict[str, str]:
    """{VARIABLE: file} for every os.environ.get / os.environ[...] / os.getenv in the
    packages, with module-level string constants resolved."""
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            constants = _string_constants(tree)
            for node in ast.walk(tree):
                key: ast.expr | None = None
                if isinstance(node, ast.Call) and node.args and (
                        ast.unparse(node.func) in ("os.environ.get", "os.getenv")):
                    key = node.args[0]
                elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
                    key = node.slice
                if isinstance(key, ast.Constant) and isinstance(key.value, str):
                    found[key.value] = str(path.relative_to(ROOT))
                elif isinstance(key, ast.Name):
                    assert key.id in constants, \
                        f"{path}: reads the environment through {key.id}, not a constant"
                    found[constants[key.id]] = str(path.relative_to(ROOT))
    return found


def test_the_readers_find_what_they_should() -> None:
    # Guards for the guards: a parser that found nothing would pass everything below.
    assert len(configuration_table()) >= 30
    assert {"DATABASE_URL", "PITBOARD_FEED_LEASE_SECONDS", "DISCORD_SHARD_COUNT",
            "DISCORD_SHARD_IDS"} <= set(settings_fields())
    assert environment_reads().get("PITBOARD_GAZETTEER_DIR") == "bot/rules/__init__.py"


@pytest.mark.parametrize("name", sorted({*settings_fields(), *environment_reads()}))
def test_every_setting_has_a_row_with_a_default(name: str) -> None:
    rows = configuration_table()
    assert name in rows, f"{name} is read but missing from the README's Configuration table"
    assert rows[name], f"{name}: the README's default cell is empty"


@pytest.mark.parametrize("name", sorted(settings_fields()))
def test_the_documented_default_is_the_real_one(name: str) -> None:
    default, cell = settings_fields()[name], configuration_table().get(name, "")
    shown = cell.replace("`", "").casefold()
    if default is None or default == "":
        # Unset, or computed (DATABASE_URL, the feed lease): the cell says which.
        return
    if isinstance(default, bool):
        assert shown.startswith(("false", "off") if not default else ("true", "on")), cell
    elif isinstance(default, int | float):
        assert re.search(rf"(?<![\d.]){re.escape(f'{default:g}')}(?![\d.])", shown), \
            f"{name}: the code's default is {default:g}, the README says {cell!r}"
    else:
        assert str(default).casefold() in shown, \
            f"{name}: the code's default is {default!r}, the README says {cell!r}"


def test_no_row_for_a_setting_that_does_not_exist() -> None:
    known = {*settings_fields(), *environment_reads()}
    stale = sorted(set(configuration_table()) - known)
    assert not stale, f"the README documents settings Pitboard does not read: {stale}"


"""The `pitboard` command as a user runs it: a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

BLOMQVIST_TEXT = (
    "Tom Blomqvist will join Cadillac as endurance driver for No. 31 Whelen Action Express\n"
    "Next season Tom Blomqvist joins Cadillac Racing as an endurance driver, teamed with Pipo "
    "Derani and Jack Aitken in the No. 31 Whelen Action Express Racing Cadillac V-Series.R "
    "from the Rolex 24 at Daytona. Meyer Shank Racing, his sports car team, has put that "
    "program on hiatus. He moves to a full-time Dallara-Honda ride in the NTT IndyCar Series "
    "in 2024 with Meyer Shank Racing."
)


def pitboard(*args: str, stdin: str | None = None, timeout: float = 60,
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("DISCORD_", "SLACK_", "DATABASE_URL"))}
    env = {**clean, **(env or {})}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], input=stdin, text=True,
                          capture_output=True, timeout=timeout, env=env, check=False)


def test_demo_script_prints_the_alert_and_the_lineup():
    done = pitboard("demo", "--script")
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Tom Blomqvist → Action Express Racing #31" in out
    lineup = out.split("> /lineup 31", 1)[1].split("> /driver", 1)[0]
    for driver in ("Pipo Derani", "Jack Aitken", "Tom Blomqvist"):
        assert driver in lineup
    assert "Unknown command /pitstop" in out
    assert "Traceback" not in out + done.stderr


def test_demo_prompt_exits_cleanly_on_end_of_input():
    done = pitboard("demo", stdin="/lineup 31\n")
    assert done.returncode == 0, done.stderr
    assert "pitboard> " in done.stdout
    assert done.stdout.count("Pipo Derani") >= 1


def test_extract_text_prints_the_two_blomqvist_moves():
    done = pitboard("extract", "--text", BLOMQVIST_TEXT, "--date", "2023-10-19")
    assert done.returncode == 0, done.stderr
    line = json.loads(done.stdout)
    moves = {(m["team"], m["kind"]): m for m in line["moves"]}
    axr = moves[("Action Express Racing", "join")]
    assert (axr["driver"], axr["car"], axr["season"], axr["role"], axr["from_team"]) == (
        "Tom Blomqvist", "31", 2024, "endurance", "Meyer Shank Racing")
    msr = moves[("Meyer Shank Racing", "join")]
    assert (msr["driver"], msr["season"], msr["role"]) == ("Tom Blomqvist", 2024, "full-time")
    assert len(line["moves"]) == 2
    lineup = {(e["driver"], e["car"], e["season"]) for e in line["lineup"]}
    assert {("Tom Blomqvist", "31", 2024), ("Pipo Derani", "31", 2024),
            ("Jack Aitken", "31", 2024)} <= lineup
    assert line["summary"]


def test_extract_jsonl_reports_bad_lines_and_keeps_going():
    items = "\n".join([
        json.dumps({"id": "a", "title": "Nothing to see", "summary": ""}),
        "{not json",
        json.dumps({"id": "b", "title": "Another quiet day", "summary": ""}),
    ])
    done = pitboard("extract", stdin=items)
    assert done.returncode == 1
    ids = [json.loads(line)["id"] for line in done.stdout.splitlines()]
    assert ids == ["a", "b"]
    assert "line 2: not JSON" in done.stderr


def test_unknown_subcommand_is_a_usage_error():
    done = pitboard("launch")
    assert done.returncode == 2
    assert "invalid choice" in done.stderr


def test_lineup_import_reports_bad_rows_is_idempotent_and_exports(tmp_path):
    entries = tmp_path / "imsa-2024.csv"
    entries.write_text(
        "series,season,car,team,driver,role\n"
        "IMSA,2024,31,Action Express Racing,Pipo Derani,full-time\n"
        "IMSA,20x4,31,Action Express Racing,Bad Year,\n"
        "IMSA,2024,31,Action Express Racing,Jack Aitken,full-time\n", encoding="utf-8")
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    first = pitboard("lineup", "import", str(entries), env=env)
    assert first.returncode == 1  # one unusable row
    assert "3 rows: 2 added" in first.stdout
    assert "line 3: season '20x4' is not a year" in first.stdout
    again = pitboard("lineup", "import", str(entries), env=env)
    assert "0 added, 0 updated, 2 unchanged" in again.stdout
    exported = pitboard("lineup", "export", env=env)
    assert exported.returncode == 0
    assert exported.stdout.splitlines() == [
        "series,season,car,team,driver,role",
        "IMSA,2024,31,Action Express Racing,Jack Aitken,full-time",
        "IMSA,2024,31,Action Express Racing,Pipo Derani,full-time",
    ]
    missing = pitboard("lineup", "import", str(tmp_path / "nope.csv"), env=env)
    assert missing.returncode == 2
    assert "no such file" in missing.stderr


def test_lineup_import_of_a_file_without_the_columns_is_a_clear_error(tmp_path):
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("name,number\nPipo Derani,31\n", encoding="utf-8")
    done = pitboard("lineup", "import", str(wrong),
                    env={"DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"})
    assert done.returncode == 2
    assert "Expected the columns series,season,car,team,driver,role" in done.stderr
    assert "Traceback" not in done.stderr

"""``bulletins survey results --format csv`` as a person at a terminal runs it: the open data
of an anonymous campaign singles no one out, and no cell runs as a spreadsheet formula."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from bulletins.db import make_engine, make_session_factory, upgrade
from tests.support.cli import run
from tests.support.results_world import campaign, mixed

pytestmark = pytest.mark.slow  # runs the app or the command line as processes


def seeded(tmp_path: Path) -> dict[str, str]:
    """A SQLite file with an anonymous and a named campaign of the same survey, whose
    answers hold what a spreadsheet would run."""
    url = f"sqlite:///{tmp_path / 'bulletins.db'}"
    engine = make_engine(url)
    upgrade(engine)
    anonymous, named = mixed(10, 2), mixed(10, 2)
    for responses in (anonymous, named):
        responses[0][1]["comment"] = '=HYPERLINK("http://evil.example","clic")'
    with make_session_factory(engine).begin() as session:
        campaign(session, anonymous, {"fellow": 12, "mentor": 4})
        campaign(session, named, {"fellow": 12, "mentor": 4}, key="bilan:named", anonymous=False)
    engine.dispose()
    return {"DATABASE_URL": url}


def exported(tmp_path: Path, env: dict, *args: str) -> tuple[list[dict], dict]:
    result = run("survey", "results", "bilan", "--format", "csv", *args, cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader((tmp_path / "out.csv").open(encoding="utf-8", newline="")))
    schema = json.loads((tmp_path / "out.schema.json").read_text(encoding="utf-8"))
    assert list(rows[0]) == [field["name"] for field in schema["fields"]]
    return rows, schema


def test_the_csv_of_an_anonymous_survey_has_no_free_text_and_numbers_as_ranges(tmp_path):
    env = seeded(tmp_path)
    rows, schema = exported(tmp_path, env, "--campaign", "bilan:2026", "--out", "out.csv")
    assert not {"why", "tool.other", "comment"} & set(rows[0])
    assert "HYPERLINK" not in (tmp_path / "out.csv").read_text(encoding="utf-8")
    hours = next(field for field in schema["fields"] if field["name"] == "hours")
    assert (
        sorted({row["hours"] for row in rows}) == hours["constraints"]["enum"] == ["0–9", "10–60"]
    )


def test_the_csv_of_a_named_survey_keeps_everything_but_formulas(tmp_path):
    env = seeded(tmp_path)
    rows, _ = exported(tmp_path, env, "--campaign", "bilan:named", "--out", "out.csv")
    comments = [row["comment"] for row in rows if row["comment"]]
    assert "'" + '=HYPERLINK("http://evil.example","clic")' in comments
    assert not any(comment.startswith("=") for comment in comments)
    assert "12.5" in {row["hours"] for row in rows}

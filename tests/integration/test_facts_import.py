"""Importing facts sheets from CSV: all rows or none, bad rows named by line."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bulletins.db.models import TeamFacts
from evaluation.facts.importing import FactsFileError, import_facts, read_facts_file
from evaluation.facts.sheets import current_facts
from tests.support.facts import make_programme

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
HEADER = (
    "cohort,team,tool_status,tool_planned_on,people_hired,repositories,libraries,datasets,"
    "trainings_count,training_topics,contributions,accessibility_audit,note"
)
GOOD = (
    f"{HEADER}\n"
    "EIG 3,LexImpact,in_production,,2,https://github.com/a/b|https://github.com/a/c,,"
    'https://www.data.gouv.fr/d,3,Python|Data science,,oui,"Mis en production, enfin"\n'
    "EIG 3,cartobio,planned,2026-09-01,0,,,,0,,,,\n"
)


@pytest.fixture
def programme(session):
    return make_programme(session)


def write(tmp_path, text: str):
    path = tmp_path / "facts.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_is_imported_and_again_changes_nothing(programme, tmp_path):
    session, (lex, carto) = programme.session, programme.teams
    path = write(tmp_path, GOOD)
    report = import_facts(session, read_facts_file(session, path), NOW)
    assert (report.recorded, report.unchanged) == (2, 0)
    current = current_facts(session, [lex, carto])
    assert current[lex.id].repositories == ["https://github.com/a/b", "https://github.com/a/c"]
    assert current[lex.id].training_topics == ["Python", "Data science"]
    assert current[lex.id].accessibility_audit is True
    assert (current[lex.id].source, current[lex.id].recorded_by_id) == ("import", None)
    assert current[carto.id].tool_planned_on.isoformat() == "2026-09-01"

    again = import_facts(session, read_facts_file(session, path), NOW)
    assert (again.recorded, again.unchanged) == (0, 2)
    assert "already up to date" in again.summary()
    assert session.query(TeamFacts).count() == 2


def test_a_semicolon_file_with_a_bom_is_read(programme, tmp_path):
    session = programme.session
    path = tmp_path / "facts.csv"
    text = GOOD.replace('"Mis en production, enfin"', "Fini").replace(",", ";")
    path.write_text("\ufeff" + text, encoding="utf-8")  # as Excel saves it in French
    [lex, _carto] = read_facts_file(session, path)
    assert lex.values.note == "Fini" and lex.values.people_hired == 2


def test_every_bad_row_is_listed_with_its_line_and_nothing_is_imported(programme, tmp_path):
    session = programme.session
    path = write(
        tmp_path,
        f"""{HEADER}
EIG 3,LexImpact,in_production,,2,,,,0,,,,
EIG 9,LexImpact,in_production,,2,,,,0,,,,
EIG 3,Nowhere,in_production,,x,,,,0,,,,
EIG 3,CartoBio,planned,,-1,ftp://x.org,,,deux,,,peut-être,
EIG 3,LexImpact,unknown,,0,,,,0,,,,
""",
    )
    with pytest.raises(FactsFileError) as raised:
        read_facts_file(session, path)
    problems = {problem.line: problem.reason for problem in raised.value.problems}
    assert sorted(problems) == [3, 4, 5, 6]
    assert problems[3] == "unknown cohort 'EIG 9'"
    assert problems[4].startswith("no team 'Nowhere' in cohort 'EIG 3'; people_hired: ")
    assert "trainings_count" in problems[5] and "accessibility_audit" in problems[5]
    assert "already on line 2" in problems[6]
    assert "nothing imported" in str(raised.value)
    assert session.query(TeamFacts).count() == 0


def test_a_row_that_reads_but_is_invalid_is_listed_too(programme, tmp_path):
    path = write(tmp_path, f"{HEADER}\nEIG 3,CartoBio,planned,,-1,ftp://x.org,,,0,,,,\n")
    with pytest.raises(FactsFileError) as raised:
        read_facts_file(programme.session, path)
    [problem] = raised.value.problems
    assert problem.line == 2
    for name in ("tool_planned_on", "people_hired", "repositories"):
        assert name in problem.reason


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cohort,team\nEIG 3,LexImpact\n", "missing column(s) tool_status"),
        (HEADER + ",extra\n", "unknown column(s) extra"),
        (HEADER + "\n", "the file has a header but no rows"),
        (HEADER + "\nEIG 3,LexImpact\n", "has 2 values but the header has 13 columns"),
    ],
)
def test_file_problems(programme, tmp_path, text, expected):
    with pytest.raises(FactsFileError) as raised:
        read_facts_file(programme.session, write(tmp_path, text))
    assert expected in str(raised.value)


def test_a_missing_file_is_an_error(programme, tmp_path):
    with pytest.raises(FactsFileError, match="cannot be read"):
        read_facts_file(programme.session, tmp_path / "nope.csv")

"""A campaign's results: each figure against counts made here, the anonymity threshold,
the renderings, the open-data CSV and its Table Schema (free text left out and numbers given
as ranges for anonymous campaigns, no cell a spreadsheet would run), and the ``results``
command."""

from __future__ import annotations

import csv
import io
import json
import random
from collections import Counter
from dataclasses import replace
from statistics import fmean, median

import pytest
from click.testing import CliRunner

from bot.cli.survey_results import results as results_command
from bulletins.db import make_engine, make_session_factory, upgrade
from evaluation.results.bands import bands_of
from evaluation.results.export import ResultsWithheld, open_answers
from evaluation.results.render import as_markdown, as_table
from evaluation.results.tally import COMPLEMENT, FEW, TEXT_PER_ROLE, campaign_results
from evaluation.surveys.definitions import Page, Question
from tests.support.results_world import SURVEY, K, campaign, choices, mixed


def by_id(group, question_id):
    return next(q for q in group.questions if q.question.id == question_id)


def commented(responses):
    """``responses``, every one with a comment."""
    for i, (_, answers_) in enumerate(responses):
        answers_["comment"] = f"Note {i:02d}"
    return responses


def given(responses, question_id):
    return [a[question_id] for _, a in responses if question_id in a]


@pytest.fixture
def twelve(session):
    """An anonymous campaign: 10 of 12 fellows and 2 of 4 mentors answered."""
    responses = mixed(10, 2)
    return campaign(session, responses, {"fellow": 12, "mentor": 4}), responses


def test_response_rates_by_role(session, twelve):
    results = campaign_results(session, twelve[0], K)
    rates = {r.role: (r.finished, r.invited, r.share) for r in results.rates}
    assert rates == {"fellow": (10, 12, 10 / 12), "mentor": (2, 4, 0.5)}
    assert results.respondents == 12
    assert "10 sur 12 EIG, 83\u00a0%" in as_table(results, "fr")
    assert "10 of 12 fellows, 83%" in as_table(results, "en")


def test_scale_counts_means_and_top_box(session, twelve):
    sat = by_id(campaign_results(session, twelve[0], K).overall, "sat").summary
    values = given(twelve[1], "sat")
    numbers = [v for v in values if v != "na"]
    assert {t.key: t.count for t in sat.tallies} == {str(v): numbers.count(v) for v in range(1, 6)}
    assert sat.not_applicable == values.count("na") == 1
    assert (sat.n, sat.mean, sat.median) == (len(numbers), fmean(numbers), median(numbers))
    assert sat.top_box == sum(1 for v in numbers if v >= 4) / len(numbers)


def test_choices_yes_no_and_other_texts(session, twelve):
    overall = campaign_results(session, twelve[0], K).overall
    tool, uses, again = (by_id(overall, q).summary for q in ("tool", "uses", "again"))
    tools = Counter(given(twelve[1], "tool"))
    assert {t.key: (t.count, t.share) for t in tool.tallies} == {
        c: (tools[c], tools[c] / 12) for c in ("a", "b", "other")
    }
    assert tool.others == tuple(sorted(given(twelve[1], "tool.other")))
    chosen = Counter(c for value in given(twelve[1], "uses") for c in value)
    assert {t.key: t.share for t in uses.tallies} == {c: chosen[c] / 12 for c in "xyz"}
    yes_no = Counter(given(twelve[1], "again"))
    assert {t.key: t.count for t in again.tallies} == {
        v: yes_no[v] for v in ("yes", "no", "dont_know")
    }


def test_numbers_grid_and_ranking(session, twelve):
    overall = campaign_results(session, twelve[0], K).overall
    hours, grid, prio = (by_id(overall, q).summary for q in ("hours", "grid", "prio"))
    values = given(twelve[1], "hours")
    assert (hours.n, hours.mean, hours.median) == (12, fmean(values), median(values))
    assert (hours.minimum, hours.maximum) == (min(values), max(values))
    for row in grid.rows:
        scores = [g[row.item.id] for g in given(twelve[1], "grid")]
        numbers = [s for s in scores if s != "na"]
        assert row.scale.mean == fmean(numbers)
        assert row.scale.top_box == sum(1 for s in numbers if s >= 4) / len(numbers)
        assert row.scale.not_applicable == scores.count("na")
    rankings = given(twelve[1], "prio")
    expected = {
        item: (
            sum(1 for r in rankings if r[0] == item),
            sum(1 for r in rankings if item in r),
            sum(2 - r.index(item) for r in rankings if item in r) / len(rankings),
        )
        for item in ("r1", "r2", "r3")
    }
    assert {row.item.id: (row.first, row.top, row.score) for row in prio.rows} == expected
    assert [row.score for row in prio.rows] == sorted(
        (row.score for row in prio.rows), reverse=True
    )


def test_hidden_questions_and_few_answers_are_not_shown(session, twelve):
    why = by_id(campaign_results(session, twelve[0], K).overall, "why")
    visible_answers = [a for _, a in twelve[1] if a["sat"] in (1, 2)]
    assert why.answered == len(visible_answers) < K  # the stale answer of a hidden one is left out
    assert (why.summary, why.withheld) == (None, FEW)
    assert f"Fewer than {K} answers: not shown" in as_table(
        campaign_results(session, twelve[0], K), "en"
    )


def test_free_text_of_the_whole_campaign_is_sorted(session, twelve):
    comment = by_id(campaign_results(session, twelve[0], K).overall, "comment").summary
    assert comment.texts == tuple(sorted(given(twelve[1], "comment")))


def test_a_small_role_hides_itself_and_the_other_roles(session, twelve):
    by_role = {g.role: g for g in campaign_results(session, twelve[0], K).by_role}
    assert (by_role["mentor"].respondents, by_role["mentor"].withheld) == (2, FEW)
    assert by_role["fellow"].withheld == COMPLEMENT  # else whole − fellows = the two mentors
    assert all(q.summary is None for g in by_role.values() for q in g.questions)


def test_roles_over_k_are_shown_but_never_with_anonymous_free_text(session):
    responses = commented(mixed(6, 6))
    for _, given_ in responses[6:10]:  # 6 fellows but only 2 mentors say how many hours
        del given_["hours"]
    results = campaign_results(session, campaign(session, responses, {"fellow": 6, "mentor": 6}), K)
    fellows, mentors = results.by_role
    sat = by_id(fellows, "sat").summary
    assert sat.mean == fmean(v for v in given(responses[:6], "sat") if v != "na")
    assert by_id(mentors, "hours").withheld == FEW
    assert by_id(fellows, "hours").withheld == COMPLEMENT
    assert by_id(results.overall, "hours").summary.n == 8
    assert by_id(fellows, "comment").summary.withheld == TEXT_PER_ROLE
    assert by_id(fellows, "comment").summary.texts == ()
    assert by_id(results.overall, "comment").summary.texts


def test_named_campaigns_show_free_text_by_role(session):
    responses = commented(mixed(6, 6))
    row = campaign(session, responses, {"fellow": 6, "mentor": 6}, anonymous=False)
    fellows = campaign_results(session, row, K).by_role[0]
    assert by_id(fellows, "comment").summary.texts == tuple(sorted(given(responses[:6], "comment")))


def test_under_k_responses_nothing_is_shown_or_exported(session):
    row = campaign(session, mixed(3, 1), {"fellow": 5, "mentor": 5})
    results = campaign_results(session, row, K)
    assert results.overall.withheld == FEW
    assert all(q.summary is None for q in results.overall.questions)
    assert "Commentaire" not in as_markdown(results, "fr")
    with pytest.raises(ResultsWithheld):
        open_answers(session, row, K)


COLUMNS = [
    "sat", "why", "tool", "tool.other", "uses.x", "uses.y", "uses.z", "again", "hours",
    "grid.i1", "grid.i2", "prio.r1", "prio.r2", "prio.r3", "comment",
]  # fmt: skip


def expected_row(answers_: dict) -> list[str]:
    """A response as the CSV should have it, made here from the answers."""
    prio, grid, uses = answers_["prio"], answers_["grid"], answers_["uses"]
    ranks = [prio.index(r) + 1 if r in prio else "" for r in ("r1", "r2", "r3")]
    why = answers_.get("why", "") if answers_["sat"] in (1, 2) else ""
    cells = [
        answers_["sat"], why, answers_["tool"], answers_.get("tool.other", ""),
        *(int(c in uses) for c in "xyz"), answers_["again"], answers_["hours"],
        grid["i1"], grid["i2"], *ranks,
        answers_.get("comment", ""),
    ]  # fmt: skip
    return [str(cell) for cell in cells]


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_has_a_row_per_response_and_a_column_per_answer(session):
    responses = mixed(10, 2)
    row = campaign(session, responses, {"fellow": 12, "mentor": 4}, anonymous=False)
    table = read_csv(open_answers(session, row, K).csv)
    assert table[0] == COLUMNS  # two mentors only: no role column
    assert sorted(table[1:]) == sorted(expected_row(a) for _, a in responses)


FREE_TEXT = ("why", "tool.other", "comment")
OPEN_COLUMNS = [column for column in COLUMNS if column not in FREE_TEXT]


def open_row(answers_: dict) -> list[str]:
    """A response as an anonymous campaign's CSV should have it: no free text, and the hours
    as one of the two ranges of 6 answers that ``HOURS`` makes (0 and 60: the question's
    limits)."""
    cells = dict(zip(COLUMNS, expected_row(answers_), strict=True))
    cells["hours"] = "0–9" if answers_["hours"] < 10 else "10–60"
    return [cells[column] for column in OPEN_COLUMNS]


def test_anonymous_open_data_leaves_out_free_text_and_gives_numbers_as_ranges(session, twelve):
    row, responses = twelve
    exported = open_answers(session, row, K)
    table = read_csv(exported.csv)
    fields = {field["name"]: field for field in exported.schema["fields"]}
    assert table[0] == OPEN_COLUMNS == list(fields)
    assert sorted(table[1:]) == sorted(open_row(a) for _, a in responses)
    for typed in ("Raison", "Outil maison", "Commentaire", "12.5", "30"):
        assert typed not in exported.csv
    hours = Counter(line[OPEN_COLUMNS.index("hours")] for line in table[1:])
    assert hours == {"0–9": 6, "10–60": 6}
    assert (fields["hours"]["type"], fields["hours"]["constraints"]) == (
        "string", {"enum": ["0–9", "10–60"]},
    )  # fmt: skip
    assert "au moins 5 réponses" in fields["hours"]["description"]
    assert "réponses libres sont omises" in exported.schema["description"]
    assert "role" not in read_csv(exported.csv)[0]  # the survey asks for free text


def test_a_number_answered_by_fewer_than_k_is_not_published(session):
    responses = mixed(10, 2)
    for _, given_ in responses[K - 1 :]:
        del given_["hours"]
    exported = open_answers(session, campaign(session, responses, {"fellow": 12}), K)
    column = OPEN_COLUMNS.index("hours")
    assert {line[column] for line in read_csv(exported.csv)[1:]} == {""}
    hours = next(f for f in exported.schema["fields"] if f["name"] == "hours")
    assert "constraints" not in hours and "moins de 5 réponses" in hours["description"]


def publishing(*question_ids: str):
    """The results survey, with ``question_ids`` marked publishable."""
    pages = tuple(
        Page(tuple(replace(q, publishable=q.id in question_ids) for q in page.questions))
        for page in SURVEY.pages
    )
    return replace(SURVEY, pages=pages)


def test_publishable_free_text_stays_in_anonymous_open_data(session):
    responses = mixed(10, 2)
    row = campaign(session, responses, {"fellow": 12}, survey=publishing("tool", "comment"))
    exported = open_answers(session, row, K)
    kept = [column for column in COLUMNS if column != "why"]
    assert read_csv(exported.csv)[0] == kept == [f["name"] for f in exported.schema["fields"]]
    assert "Outil maison 3" in exported.csv and "Commentaire 0" in exported.csv
    assert "Raison" not in exported.csv


def test_an_other_choice_named_other_keeps_its_chosen_column_apart_from_its_text(session):
    label = SURVEY.question("uses").label
    uses = Question("uses", "multiple", label, choices=choices("x", other="other"))
    survey = replace(SURVEY, pages=(Page((uses,)),))
    given = [
        ("fellow", {"uses": ["x", "other"], "uses.other": "Autre"}),
        ("fellow", {"uses": ["x"]}),
    ]
    named = campaign(session, given * 3, {}, "uses:named", anonymous=False, survey=survey)
    table = read_csv(open_answers(session, named, K).csv)
    assert table[0] == ["role", "uses.x", "uses.other", "uses.other_text"]
    assert sorted(table[1:]) == [["fellow", "1", "0", ""]] * 3 + [["fellow", "1", "1", "Autre"]] * 3
    anonymous = campaign(session, given * 3, {}, "uses:anonymous", survey=survey)
    table = read_csv(open_answers(session, anonymous, K).csv)
    assert table[0] == ["uses.x", "uses.other"]  # whether "other" was chosen stays
    assert sorted(table[1:]) == [["1", "0"]] * 3 + [["1", "1"]] * 3


def test_named_campaigns_keep_free_text_and_exact_numbers(session):
    responses = mixed(6, 5)
    named = campaign(session, responses, {"fellow": 6, "mentor": 5}, anonymous=False)
    exported = open_answers(session, named, K)
    table = read_csv(exported.csv)
    assert table[0] == ["role", *COLUMNS]
    assert sorted(line[1:] for line in table[1:]) == sorted(expected_row(a) for _, a in responses)
    fields = {field["name"]: field for field in exported.schema["fields"]}
    assert fields["hours"]["type"] == "number" and fields["comment"]["type"] == "string"
    assert "anonyme" not in exported.schema["description"]


FORMULAS = ['=HYPERLINK("http://evil.example","clic")', "+33 6 12 34 56 78", "-2 jours",
            "@SUM(A1)", "\tTab", "\rCR"]  # fmt: skip


@pytest.mark.parametrize("anonymous", [False, True])
def test_no_open_data_cell_runs_as_a_spreadsheet_formula(session, anonymous):
    responses = mixed(6, 0, start=1)  # respondent 3 chose "other"
    for (_, given_), typed in zip(responses, FORMULAS, strict=True):
        given_["comment"] = typed
    responses[2][1]["tool.other"] = "=1+1"
    survey = publishing("tool", "comment")
    row = campaign(session, responses, {"fellow": 6}, anonymous=anonymous, survey=survey)
    table = read_csv(open_answers(session, row, K).csv)
    comments = [line[table[0].index("comment")] for line in table[1:]]
    assert sorted(comments) == sorted("'" + typed for typed in FORMULAS)
    assert [line[table[0].index("tool.other")] for line in table[1:]].count("'=1+1") == 1


def test_the_csv_names_roles_only_when_each_has_k_responses(session):
    named = campaign(session, mixed(6, 5), {"fellow": 6, "mentor": 5}, anonymous=False)
    table = read_csv(open_answers(session, named, K).csv)
    assert table[0] == ["role", *COLUMNS]
    assert Counter(line[0] for line in table[1:]) == {"fellow": 6, "mentor": 5}
    few = campaign(session, mixed(6, 2), {"fellow": 6, "mentor": 2}, key="b:2", anonymous=False)
    assert read_csv(open_answers(session, few, K).csv)[0] == COLUMNS


def test_the_data_dictionary_is_a_table_schema_of_the_csv(session):
    named = campaign(session, mixed(6, 5), {"fellow": 6, "mentor": 5}, anonymous=False)
    schema = open_answers(session, named, K).schema
    fields = {field["name"]: field for field in schema["fields"]}
    assert list(fields) == ["role", *COLUMNS]
    assert schema["missingValues"] == ["", "na"]
    assert fields["role"]["constraints"] == {"enum": ["fellow", "mentor"]}
    assert fields["sat"]["title"] == "Satisfaction"
    assert (fields["sat"]["type"], fields["sat"]["constraints"]) == (
        "integer", {"minimum": 1, "maximum": 5},
    )  # fmt: skip
    assert fields["tool"]["constraints"] == {"enum": ["a", "b", "other"]}
    assert fields["uses.x"]["type"] == "boolean" and fields["uses.x"]["trueValues"] == ["1"]
    assert fields["again"]["constraints"] == {"enum": ["yes", "no", "dont_know"]}
    assert fields["hours"]["type"] == "number"
    assert fields["prio.r1"]["constraints"] == {"minimum": 1, "maximum": 2}
    assert fields["comment"]["constraints"] == {"maxLength": 200}
    assert fields["grid.i1"]["title"] == "Grille — Choix i1"
    assert all(field["description"] for field in fields.values())
    json.dumps(schema)


RANGES = [
    ([10] * 5, {}, [("10", 5)]),  # one value given by k people is no one's
    ([1, 2, 3, 4], {}, []),  # fewer than k answers: nothing
    ([*range(1, 12)], {"low": 0, "high": 40}, [("0–5", 5), ("6–40", 6)]),  # the tail joins
    ([1] * 4 + [2] * 5 + [3], {}, [("1–3", 10)]),  # equal values are never split
    ([0.5, 1.5, 2.5, 2.5, 3, 7, 8, 9, 10, 11], {}, [("0.5–3", 5), ("7–11", 5)]),
]


@pytest.mark.parametrize(("values", "limits", "expected"), RANGES)
def test_numbers_are_cut_into_ranges_of_at_least_k_answers(values, limits, expected):
    bands = bands_of(values, K, **limits)
    assert [(band.label, band.count) for band in bands] == expected


def test_every_range_holds_at_least_k_answers_and_every_answer_has_one():
    rng = random.Random(7)
    for k in (1, 2, 3, 5, 10):
        for _ in range(50):
            values = [rng.choice((rng.randint(0, 40), rng.random() * 40)) for _ in range(30)]
            bands = bands_of(values, k)
            assert all(band.count >= k for band in bands)
            assert sum(band.count for band in bands) == len(values)
            assert all(sum(band.holds(v) for band in bands) == 1 for v in values)


@pytest.fixture
def database(tmp_path, monkeypatch):
    """A migrated SQLite file with a campaign, for the command; DATABASE_URL names it."""
    url = f"sqlite:///{tmp_path / 'results.db'}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("BULLETINS_CONFIG", raising=False)
    engine = make_engine(url)
    upgrade(engine)
    with make_session_factory(engine).begin() as session:
        campaign(session, mixed(10, 2), {"fellow": 12, "mentor": 4})
    engine.dispose()
    return {"DATABASE_URL": url}


def run(env: dict, *args: str):
    return CliRunner().invoke(results_command, list(args), env=env, catch_exceptions=False)


def test_the_results_command_prints_a_table_or_markdown(database, tmp_path):
    table = run(database, "bilan", "--locale", "en")
    assert table.exit_code == 0, table.output
    assert "10 of 12 fellows, 83%" in table.output
    markdown = run(database, "--campaign", "bilan:2026", "--format", "md", "--out", "r.md")
    assert markdown.exit_code == 0
    assert (tmp_path / "r.md").read_text(encoding="utf-8").startswith("# Bilan (bilan:2026)")


def test_the_results_command_writes_the_csv_and_its_schema(database, tmp_path):
    result = run(database, "bilan", "--format", "csv", "--out", "bilan.csv")
    assert result.exit_code == 0, result.output
    table = read_csv((tmp_path / "bilan.csv").read_text(encoding="utf-8"))
    schema = json.loads((tmp_path / "bilan.schema.json").read_text(encoding="utf-8"))
    assert table[0] == [field["name"] for field in schema["fields"]] == OPEN_COLUMNS
    assert len(table) == 13
    assert {line[OPEN_COLUMNS.index("hours")] for line in table[1:]} == {"0–9", "10–60"}


def test_the_results_command_refuses_an_unknown_survey_or_campaign(database):
    for args in (["nope"], ["--campaign", "nope:1"], ["other", "--campaign", "bilan:2026"], []):
        result = run(database, *args)
        assert result.exit_code == 2, args
    assert (
        "no survey 'nope' has been launched; known campaigns: bilan:2026"
        in run(database, "nope").output
    )

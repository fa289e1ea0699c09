"""Survey files: the shipped ones load, every type parses, every mistake is named clearly."""

from __future__ import annotations

import copy
import json
from datetime import date
from importlib.resources import files
from pathlib import Path

import pytest

from bulletins.config import load_settings, settings_from_dict
from evaluation.surveys.definitions import QUESTION_TYPES, Survey
from evaluation.surveys.loading import (
    SHIPPED_SURVEYS,
    SurveyError,
    configured_directories,
    load_survey,
    load_surveys,
    parse_survey,
    survey_from_json,
    survey_to_json,
)


def text(fr: str = "Libellé", en: str = "Label") -> dict:
    return {"fr": fr, "en": en}


def options(*ids: str, other: str | None = None) -> list[dict]:
    return [{"id": i, "label": text(i, i)} | ({"other": True} if i == other else {}) for i in ids]


ENDS = {"low_label": text("Bas", "Low"), "high_label": text("Haut", "High")}
ALL_TYPES = [
    {"id": "scale", "type": "scale", "label": text(), **ENDS, "top_box": [4, 5]},
    {"id": "single", "type": "single", "label": text(), "choices": options("a", "b", other="b")},
    {"id": "multiple", "type": "multiple", "label": text(), "max_choices": 2,
     "choices": options("a", "b", "c")},
    {"id": "yes_no", "type": "yes_no", "label": text(), "required": False},
    {"id": "short_text", "type": "short_text", "label": text(), "max_length": 100},
    {"id": "long_text", "type": "long_text", "label": text(), "help": text("Aide", "Help")},
    {"id": "number", "type": "number", "label": text(), "min_value": 0, "max_value": 40.5},
    {"id": "grid", "type": "grid", "label": text(), **ENDS, "not_applicable": True,
     "items": options("x", "y")},
    {"id": "rank", "type": "rank", "label": text(), "pick": 2, "items": options("p", "q", "r")},
    {"id": "if_low", "type": "long_text", "label": text(),
     "show_if": {"question": "scale", "any_of": [1, 2]}},
]  # fmt: skip


def survey_data(*questions: dict, **top) -> dict:
    data = {
        "id": "sample",
        "title": text("Titre", "Title"),
        "intro": text("Intro", "Intro"),
        "audience": {"roles": ["fellow", "mentor"]},
        "anonymous": True,
        "window": {"days": 21},
        "reminders": [3, 5],
        "pages": [{"title": text(), "questions": list(questions or ALL_TYPES)}],
    }
    return data | top


def problems_of(data: dict) -> str:
    with pytest.raises(SurveyError) as caught:
        parse_survey(data, "sample.toml")
    return str(caught.value)


def test_the_shipped_surveys_load():
    surveys = load_surveys([SHIPPED_SURVEYS])

    assert set(surveys) >= {"pulse-mentors", "end-fellows", "end-mentors"}
    pulse = surveys["pulse-mentors"]
    assert pulse.is_pulse and pulse.anonymous
    assert (pulse.recurrence.every, pulse.recurrence.on, pulse.recurrence.days) == (
        "month",
        "first_working_day",
        7,
    )
    assert pulse.reminders == (3,)
    assert [q.type for q in pulse.questions] == ["scale", "single", "yes_no"]


@pytest.mark.parametrize("survey_id", ["end-fellows", "end-mentors"])
def test_the_end_of_cohort_questionnaires_cover_what_the_evaluation_needs(survey_id):
    survey = load_surveys([SHIPPED_SURVEYS])[survey_id]
    types = [q.type for q in survey.questions]

    assert survey.anonymous and not survey.is_pulse
    assert 5 <= len(survey.pages) <= 8
    assert survey.window.days == 21 and all(day < 21 for day in survey.reminders)
    assert {"grid", "rank", "number", "yes_no", "multiple", "single", "long_text"} <= set(types)
    assert any(q.show_if for q in survey.questions)
    rank = next(q for q in survey.questions if q.type == "rank")
    assert rank.pick == 3 and len(rank.items) >= 7
    assert any(c.other for q in survey.questions if q.type == "single" for c in q.choices)
    skills = next(q for q in survey.questions if q.type == "multiple")
    assert skills.max_choices == 3 and any(c.other for c in skills.choices)
    assert survey.question("results_satisfaction").top_box == (4, 5)
    assert survey.question("expectations").low_label.en == "Very disappointed"


def test_the_shipped_surveys_are_package_data():

    names = {path.name for path in files("evaluation").joinpath("surveys").iterdir()}
    assert {"pulse-mentors.toml", "end-fellows.toml", "end-mentors.toml"} <= names


def test_every_question_type_parses():
    survey = parse_survey(survey_data(), "sample.toml")

    assert {q.type for q in survey.questions} == set(QUESTION_TYPES)
    assert survey.question("scale").top_box == (4, 5)
    assert survey.question("single").choices[1].other
    assert survey.question("multiple").max_choices == 2
    assert survey.question("yes_no").required is False
    assert survey.question("long_text").help.en == "Help"
    assert survey.question("number").max_value == 40.5
    assert survey.question("grid").not_applicable
    assert survey.question("rank").pick == 2
    assert survey.question("if_low").show_if.any_of == ("1", "2")
    assert survey.window.days == 21 and survey.reminders == (3, 5)
    assert survey.source == Path("sample.toml")


def test_a_window_of_dates_parses():
    window = {"opens": date(2026, 6, 1), "closes": date(2026, 6, 22)}
    survey = parse_survey(survey_data(window=window, reminders=[20]), "sample.toml")
    assert (survey.window.opens, survey.window.closes) == (date(2026, 6, 1), date(2026, 6, 22))


@pytest.mark.parametrize("survey_id", ["pulse-mentors", "end-fellows", "end-mentors", None])
def test_the_json_round_trip_gives_the_same_survey(survey_id):
    if survey_id:
        survey = load_surveys([SHIPPED_SURVEYS])[survey_id]
    else:
        dates = {"opens": date(2026, 6, 1), "closes": date(2026, 6, 22)}
        survey = parse_survey(survey_data(window=dates), "sample.toml")
    stored = json.loads(json.dumps(survey_to_json(survey)))
    assert survey_from_json(stored) == survey


def test_json_of_a_later_version_with_unknown_question_fields_still_reads():
    stored = survey_to_json(parse_survey(survey_data(), "sample.toml"))
    stored["pages"][0]["questions"][0]["weight"] = 2
    assert isinstance(survey_from_json(stored), Survey)


def test_free_text_marked_publishable_loads_and_is_kept_by_campaigns():
    published = [
        {"id": "short", "type": "short_text", "label": text(), "publishable": True},
        {"id": "long", "type": "long_text", "label": text(), "publishable": False},
        {"id": "single", "type": "single", "label": text(), "publishable": True,
         "choices": options("a", "b", other="b")},
        {"id": "multiple", "type": "multiple", "label": text(), "publishable": True,
         "choices": options("a", "b", other="a")},
    ]  # fmt: skip
    survey = parse_survey(survey_data(*published, ALL_TYPES[4]), "sample.toml")
    assert {q.id: q.publishable for q in survey.questions} == {
        "short": True, "long": False, "single": True, "multiple": True, "short_text": False,
    }  # fmt: skip
    stored = json.loads(json.dumps(survey_to_json(survey)))
    assert survey_from_json(stored) == survey
    for page in stored["pages"]:  # a campaign launched before the key existed
        for question_ in page["questions"]:
            del question_["publishable"]
    assert not any(q.publishable for q in survey_from_json(stored).questions)


def question(qid: str = "q", **fields) -> dict:
    return {"id": qid, "type": "scale", "label": text(), **ENDS} | fields


def at(*fields) -> dict:
    """A survey whose only question (id "q", on page 1) is a scale changed by ``fields``."""
    return survey_data(question(**dict(fields)))


LONG = "x" * 2001
QUESTION_PROBLEMS = [
    (at(("type", "singel")), "unknown question type 'singel'; did you mean 'single'?"),
    (at(("choices", [])), "'choices' does not apply to a scale question"),
    (at(("lable", text())), "unknown key 'lable'; did you mean 'label'?"),
    (at(("scale_min", 5), ("scale_max", 5)), "scale_min (5) must be less than scale_max (5)"),
    (at(("high_label", None)), "'high_label' is missing"),
    (at(("low_label", text("Bas", ""))), "low_label.en must be a non-empty text"),
    (at(("top_box", [5, 6])), "top_box values [6] are not on the scale from 1 to 5"),
    (at(("label", text(LONG))), "label.fr is 2001 characters long; Slack takes at most 2000"),
    (at(("scale_max", 100), ("not_applicable", True)), "more than 100 options"),
    (at(("required", "yes")), "'required' must be true or false"),
    (at(("id", "Q 1")), "the question's id must be lowercase letters"),
    (at(("show_if", {"question": "later", "any_of": ["yes"]})), "not a question before this"),
    (at(("publishable", True)), "'publishable' does not apply to a scale question: only free"),
]
TYPED_PROBLEMS = [
    ({"type": "single", "choices": options("a")}, "'choices' needs at least 2, got 1"),
    ({"type": "single", "choices": options("a", "a")}, "a used twice"),
    ({"type": "single", "choices": options("a", "b") + [{"id": "c", "label": text(), "other": True},
      {"id": "d", "label": text(), "other": True}]}, "at most one of the choices can be 'other'"),
    ({"type": "single", "choices": options("a", "b" * 76)}, "Slack takes at most 75"),
    ({"type": "single", "choices": options(*(f"c{i}" for i in range(101)))}, "at most 100"),
    ({"type": "multiple", "choices": options("a", "b"), "max_choices": 3},
     "max_choices (3) is more than the 2 choices"),
    ({"type": "grid", "items": []}, "'items' needs at least 1, got 0"),
    ({"type": "rank", "items": options("a")}, "'items' needs at least 2, got 1"),
    ({"type": "rank", "items": options("a", "b"), "pick": 3}, "pick (3) is more than the 2 items"),
    ({"type": "number", "min_value": 5, "max_value": 1}, "min_value (5) is more than"),
    ({"type": "long_text", "max_length": 3001}, "max_length (3001) is over Slack's limit of 3000"),
    ({"type": "number", "publishable": True}, "'publishable' does not apply to a number question"),
    ({"type": "grid", "items": options("a"), "publishable": True},
     "'publishable' does not apply to a grid question"),
    ({"type": "single", "choices": options("a", "b"), "publishable": True},
     "'publishable' publishes the text of an 'other' choice, and this question has none"),
    ({"type": "short_text", "publishable": "yes"}, "'publishable' must be true or false"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "expected"), QUESTION_PROBLEMS)
def test_a_question_problem_names_the_file_the_page_and_the_question(data, expected):
    message = problems_of(data)
    assert "sample.toml, page 1, question" in message
    assert expected in message


@pytest.mark.parametrize(("fields", "expected"), TYPED_PROBLEMS)
def test_a_type_specific_problem_is_named(fields, expected):
    base = {"id": "q", "label": text()} | ({} if fields["type"] != "grid" else ENDS)
    message = problems_of(survey_data(base | fields))
    assert "sample.toml, page 1, question 'q'" in message
    assert expected in message


CONDITIONS = [
    ({"question": "choice", "any_of": ["c"]}, "show_if lists ['c'], which 'choice' cannot take"),
    ({"question": "text", "any_of": ["x"]}, "show_if cannot look at 'text', a short_text question"),
    ({"question": "scale", "any_of": [0]}, "show_if lists [0]"),
    ({"question": "scale", "any_of": ["na"]}, "show_if lists ['na']"),
    ({"question": "scale", "any_of": []}, "show_if needs any_of"),
    ({"question": "scale"}, "show_if needs any_of"),
    (
        {"question": "scale", "any_of": [1], "all_of": [2]},
        "show_if: unknown key 'all_of'; did you mean 'any_of'?",
    ),
]


@pytest.mark.parametrize(("condition", "expected"), CONDITIONS)
def test_a_condition_must_name_an_earlier_question_and_values_it_can_take(condition, expected):
    earlier = [
        {"id": "choice", "type": "single", "label": text(), "choices": options("a", "b")},
        {"id": "text", "type": "short_text", "label": text()},
        question("scale"),
    ]
    shown_if = {"id": "q", "type": "yes_no", "label": text(), "show_if": condition}
    message = problems_of(survey_data(*earlier, shown_if))
    assert "sample.toml, page 1, question 'q'" in message
    assert expected in message


SURVEY_PROBLEMS = [
    ({"anonymus": True}, "sample.toml: unknown key 'anonymus'; did you mean 'anonymous'?"),
    ({"id": "Pulse Mentors"}, "the survey's id must be lowercase letters"),
    ({"title": None}, "'title' is missing"),
    ({"intro": {"fr": "Intro"}}, "intro.en must be a non-empty text"),
    ({"audience": {"roles": ["boss"]}}, "roles must list, once each, some of fellow, mentor"),
    ({"audience": {"roles": []}}, "roles must list"),
    ({"audience": None}, "'audience' is missing"),
    ({"anonymous": "yes"}, "'anonymous' must be true or false"),
    ({"anonymous": None}, "'anonymous' is missing"),
    ({"pages": []}, "a survey needs at least one [[pages]]"),
    ({"pages": [{"questions": []}]}, "page 1: a page needs at least one question"),
    ({"window": None}, "give either a window"),
    ({"recurrence": {"every": "month", "on": "first_working_day", "days": 7}},
     "give either a window"),
    ({"window": {"days": 0}}, "'days' must be a whole number of at least 1"),
    ({"window": {"opens": date(2026, 6, 2), "closes": date(2026, 6, 1)}},
     "opens (2026-06-02) must come before closes (2026-06-01)"),
    ({"window": {"opens": date(2026, 6, 2)}}, "give opens and closes as dates"),
    ({"window": None, "recurrence": {"every": "week", "on": "first_working_day", "days": 7}},
     "every must be \"month\""),
    ({"window": None, "recurrence": {"every": "month", "on": "monday", "days": 7}},
     "on must be \"first_working_day\""),
    ({"window": None, "recurrence": {"every": "month", "on": "first_working_day"}},
     "days, how long each campaign stays open, is missing"),
    ({"reminders": [0]}, "reminders must be whole numbers of days of at least 1"),
    ({"reminders": [3, 21]}, "reminders on day 21 would come once the survey has closed"),
    ({"window": None, "recurrence": {"every": "month", "on": "first_working_day", "days": 7},
      "reminders": [8]}, "reminders on day 8"),
]  # fmt: skip


@pytest.mark.parametrize(("top", "expected"), SURVEY_PROBLEMS)
def test_a_survey_problem_names_the_file_and_what_is_wrong(top, expected):
    data = {key: value for key, value in survey_data(**top).items() if value is not None}
    message = problems_of(data)
    assert "sample.toml" in message
    assert expected in message


def test_a_question_id_used_twice_is_named_with_its_page():
    data = survey_data(question("same"))
    data["pages"].append({"questions": [question("same")]})
    assert "sample.toml, page 2, question 'same': this id is used twice" in problems_of(data)


def test_a_page_too_big_for_slack_is_refused_at_load():
    grid = question("grid", type="grid", items=options(*(f"i{i}" for i in range(99))))
    message = problems_of(survey_data(grid))
    assert "sample.toml, page 1: it would take about 102 blocks in Slack" in message


def test_every_problem_of_a_file_comes_at_once():
    data = survey_data(question("a", scale_max=0), question("b", type="nope"), anonymous=None)
    data.pop("anonymous")
    error = pytest.raises(SurveyError, parse_survey, data, "sample.toml").value
    assert len(error.problems) == 3
    assert str(error).startswith("3 problems in survey files:")


def write(path: Path, data: dict) -> Path:
    """``data`` as TOML: each value as JSON, which TOML reads the same for these values."""
    lines = [f"{key} = {_inline(value)}" for key, value in data.items() if key != "pages"]
    for page in data["pages"]:
        lines.append("[[pages]]")
        for item in page["questions"]:
            lines.append("[[pages.questions]]")
            lines += [f"{key} = {_inline(value)}" for key, value in item.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _inline(value) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_inline(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return json.dumps(value)


def test_a_file_on_disk_loads_and_its_source_is_kept(tmp_path):
    path = write(tmp_path / "sample.toml", {k: v for k, v in survey_data().items()})
    survey = load_survey(path)
    assert survey.source == path and len(survey.questions) == len(ALL_TYPES)


def test_an_id_defined_twice_names_both_files(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir(), second.mkdir()
    write(first / "a.toml", survey_data())
    write(second / "b.toml", survey_data())
    with pytest.raises(SurveyError) as caught:
        load_surveys([first, second])
    expected = f"{second / 'b.toml'}: the survey id 'sample' is already defined in "
    assert str(caught.value) == expected + str(first / "a.toml")


def test_problems_of_several_files_and_bad_toml_come_together(tmp_path):
    (tmp_path / "broken.toml").write_text("id = \n", encoding="utf-8")
    bad = copy.deepcopy(survey_data())
    bad["anonymous"] = "no"
    write(tmp_path / "bad.toml", bad)
    with pytest.raises(SurveyError) as caught:
        load_surveys([tmp_path, tmp_path / "missing", None])
    message = str(caught.value)
    assert "broken.toml: not valid TOML" in message
    assert "bad.toml: 'anonymous' must be true or false" in message
    assert "missing: no such directory of surveys" in message


def test_the_configured_directory_comes_after_the_shipped_one(tmp_path):
    config = tmp_path / "bulletins.toml"
    config.write_text('[surveys]\ndirectory = "mine"\n', encoding="utf-8")
    settings = load_settings(config, env={})
    assert settings.survey_directory == tmp_path / "mine"
    assert configured_directories(settings) == [SHIPPED_SURVEYS, tmp_path / "mine"]
    assert configured_directories(settings_from_dict({})) == [SHIPPED_SURVEYS]


def test_a_yes_no_may_leave_out_dont_know_and_then_nothing_may_count_on_it():
    plain = {"id": "used", "type": "yes_no", "label": text(), "dont_know": False}
    survey = parse_survey(survey_data(plain), "sample.toml")
    assert survey.question("used").dont_know is False
    assert parse_survey(survey_data(ALL_TYPES[3]), "sample.toml").question("yes_no").dont_know
    after = {"id": "why", "type": "long_text", "label": text(),
             "show_if": {"question": "used", "any_of": ["dont_know"]}}  # fmt: skip
    assert "which 'used' cannot take (it takes yes, no)" in problems_of(survey_data(plain, after))
    counted = plain | {"headline": {"counts": ["dont_know"], "fr": "NSP", "en": "DK"}}
    assert "counts lists ['dont_know']" in problems_of(survey_data(counted))
    assert "'dont_know' must be true or false" in problems_of(
        survey_data(plain | {"dont_know": "no"})
    )
    single = {"id": "q", "type": "single", "label": text(), "choices": options("a", "b")}
    assert "'dont_know' does not apply to a single question" in problems_of(
        survey_data(single | {"dont_know": False})
    )


def test_a_ranking_may_have_an_other_item_whose_text_can_be_published():
    rank = {"id": "formats", "type": "rank", "label": text(), "pick": 2,
            "items": options("a", "b", "else", other="else"), "publishable": True}  # fmt: skip
    survey = parse_survey(survey_data(rank), "sample.toml")
    assert survey.question("formats").items[2].other and survey.question("formats").publishable
    two = rank | {"items": options("a", "b") + [
        {"id": "c", "label": text(), "other": True}, {"id": "d", "label": text(), "other": True}
    ]}  # fmt: skip
    assert "at most one of the items can be 'other'" in problems_of(survey_data(two))
    grid = {"id": "g", "type": "grid", "label": text(), **ENDS,
            "items": options("a", "b", other="b")}  # fmt: skip
    assert "'other' only applies to the choices of items" in problems_of(survey_data(grid))

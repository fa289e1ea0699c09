"""Checking answers: shapes per question type, what is required, what is shown."""

from __future__ import annotations

import pytest

from bulletins.cycle.bulletin import Problem
from bulletins.i18n import gettext, translations
from evaluation.campaigns.answer_checks import kept_answers, validate_all, validate_page
from evaluation.campaigns.invitations import pulse_choices
from evaluation.surveys.loading import SHIPPED_SURVEYS, load_surveys, parse_survey


def text(value: str = "Libellé") -> dict:
    return {"fr": value, "en": value}


def options(*ids: str, other: str | None = None) -> list[dict]:
    return [{"id": i, "label": text(i)} | ({"other": True} if i == other else {}) for i in ids]


ENDS = {"low_label": text("Bas"), "high_label": text("Haut")}
QUESTIONS = {
    "scale": {"type": "scale", **ENDS, "not_applicable": True},
    "single": {"type": "single", "choices": options("a", "b", "else", other="else")},
    "multiple": {"type": "multiple", "choices": options("a", "b", "c", "else", other="else"),
                 "max_choices": 2},
    "yes_no": {"type": "yes_no"},
    "short_text": {"type": "short_text", "max_length": 10},
    "long_text": {"type": "long_text"},
    "number": {"type": "number", "min_value": 0, "max_value": 40},
    "grid": {"type": "grid", **ENDS, "items": options("x", "y")},
    "rank": {"type": "rank", "items": options("p", "q", "r", "s"), "pick": 2},
}  # fmt: skip


def survey_of(*pages: list[dict]):
    return parse_survey(
        {
            "id": "sample",
            "title": text(),
            "intro": text(),
            "audience": {"roles": ["fellow"]},
            "anonymous": True,
            "window": {"days": 21},
            "pages": [{"questions": questions} for questions in pages],
        },
        "sample.toml",
    )


def one(kind: str, **fields) -> object:
    """A survey of one question, id ``q``, of type ``kind``."""
    return survey_of([{"id": "q", "label": text()} | QUESTIONS[kind] | fields])


VALID = [
    ("scale", 1),
    ("scale", 5),
    ("scale", "na"),
    ("single", "a"),
    ("multiple", ["a", "c"]),
    ("yes_no", "dont_know"),
    ("short_text", "ten chars!"),
    ("long_text", "x" * 3000),
    ("number", 0),
    ("number", 12.5),
    ("number", 40),
    ("grid", {"x": 1, "y": 5}),
    ("rank", ["q", "p"]),
]
INVALID = [
    ("scale", 0, "Choose one of the options."),
    ("scale", 6, "Choose one of the options."),
    ("scale", "3", "Choose one of the options."),
    ("scale", True, "Choose one of the options."),
    ("single", "z", "Choose one of the options."),
    ("single", ["a"], "Choose one of the options."),
    ("multiple", "a", "This answer is not valid."),
    ("multiple", ["a", "a"], "This answer is not valid."),
    ("multiple", ["a", "z"], "Choose one of the options."),
    ("multiple", ["a", "b", "c"], "You can choose up to %(limit)s."),
    ("yes_no", "maybe", "Choose one of the options."),
    ("short_text", "eleven char", "At most %(limit)s characters, please (now %(length)s)."),
    ("short_text", 12, "This answer is not valid."),
    ("long_text", "x" * 3001, "At most %(limit)s characters, please (now %(length)s)."),
    ("number", "12", "Give a number."),
    ("number", float("nan"), "Give a number."),
    ("number", -1, "Give a number from %(min)s to %(max)s."),
    ("number", 40.5, "Give a number from %(min)s to %(max)s."),
    ("rank", ["p"], "Rank your top %(count)s, each item once."),
    ("rank", ["p", "p"], "Rank your top %(count)s, each item once."),
    ("rank", ["p", "z"], "Rank your top %(count)s, each item once."),
    ("rank", ["p", "q", "r"], "Rank your top %(count)s, each item once."),
]


@pytest.mark.parametrize(("kind", "value"), VALID)
def test_a_well_shaped_answer_passes(kind, value):
    assert validate_page(one(kind), 0, {"q": value}) == {}


@pytest.mark.parametrize(("kind", "value", "message"), INVALID)
def test_a_badly_shaped_answer_is_refused_with_a_translatable_problem(kind, value, message):
    problems = validate_page(one(kind), 0, {"q": value})
    assert list(problems) == ["q"]
    assert problems["q"].message == message
    assert translations("fr").gettext(message) != message


def test_the_problems_carry_their_parameters():
    assert validate_page(one("multiple"), 0, {"q": ["a", "b", "c"]})["q"].params == (("limit", 2),)
    problem = validate_page(one("number"), 0, {"q": 41})["q"]
    assert gettext("fr", problem.message, **dict(problem.params)) == (
        "Indiquez un nombre entre 0 et 40."
    )
    only_min = one("number", max_value=None)
    assert validate_page(only_min, 0, {"q": -0.5})["q"] == Problem(
        "Give a number of at least %(min)s.", (("min", 0),)
    )
    only_max = one("number", min_value=None, max_value=2.5)
    assert validate_page(only_max, 0, {"q": 3})["q"].params == (("max", 2.5),)


def test_a_rank_without_pick_orders_every_item():
    survey = one("rank", pick=None)
    assert validate_page(survey, 0, {"q": ["s", "r", "q", "p"]}) == {}
    assert validate_page(survey, 0, {"q": ["s", "r"]})["q"].params == (("count", 4),)


def test_na_is_only_an_answer_when_the_scale_offers_it():
    assert validate_page(one("scale", not_applicable=False), 0, {"q": "na"}) != {}


@pytest.mark.parametrize("kind", [k for k in QUESTIONS if k != "grid"])
@pytest.mark.parametrize("empty", [None, "", "   ", []])
def test_a_required_question_must_be_answered_and_an_optional_one_need_not(kind, empty):
    answers = {} if empty is None else {"q": empty}
    assert validate_page(one(kind), 0, answers) == {"q": Problem("This answer is required.")}
    assert validate_page(one(kind, required=False), 0, answers) == {}


def test_a_grid_row_problem_is_keyed_by_the_row():
    survey = one("grid")
    assert validate_page(survey, 0, {"q": {"x": 3}}) == {"q.y": Problem("This answer is required.")}
    assert set(validate_page(survey, 0, {})) == {"q.x", "q.y"}
    assert validate_page(survey, 0, {"q": {"x": 3, "y": "na"}}) == {
        "q.y": Problem("Choose one of the options.")
    }
    assert validate_page(survey, 0, {"q": [3, 4]}) == {"q": Problem("This answer is not valid.")}
    optional = one("grid", required=False)
    assert validate_page(optional, 0, {"q": {"x": 2}}) == {}
    assert validate_page(optional, 0, {}) == {}


@pytest.mark.parametrize("kind", ["single", "multiple"])
def test_choosing_other_asks_to_specify(kind):
    chosen = "else" if kind == "single" else ["a", "else"]
    survey = one(kind)
    assert validate_page(survey, 0, {"q": chosen}) == {"q.other": Problem("Please specify.")}
    assert validate_page(survey, 0, {"q": chosen, "q.other": "  "}) != {}
    assert validate_page(survey, 0, {"q": chosen, "q.other": "Le bouche-à-oreille"}) == {}
    too_long = validate_page(survey, 0, {"q": chosen, "q.other": "x" * 201})
    assert too_long["q.other"].params == (("limit", 200), ("length", 201))
    plain = "a" if kind == "single" else ["a"]
    assert validate_page(survey, 0, {"q": plain}) == {}


def chained_survey():
    return survey_of(
        [{"id": "used", "label": text(), "type": "yes_no"}],
        [
            {"id": "score", "label": text(), **QUESTIONS["scale"],
             "show_if": {"question": "used", "any_of": ["yes"]}},
            {"id": "why", "label": text(), "type": "long_text",
             "show_if": {"question": "score", "any_of": [1, 2]}},
        ],
    )  # fmt: skip


def test_a_hidden_question_is_neither_required_nor_checked():
    survey = chained_survey()
    assert validate_page(survey, 1, {"used": "no"}) == {}
    assert validate_page(survey, 1, {"used": "no", "why": 12}) == {}
    assert set(validate_page(survey, 1, {"used": "yes"})) == {"score"}
    assert set(validate_page(survey, 1, {"used": "yes", "score": 2})) == {"why"}
    assert validate_page(survey, 1, {"used": "yes", "score": 4}) == {}


def test_a_condition_on_a_hidden_question_is_never_met():
    survey = chained_survey()
    stale = {"used": "no", "score": 1}  # answered "yes" first, then changed their mind
    assert validate_all(survey, stale) == {}
    assert kept_answers(survey, stale) == {"used": "no"}


def test_validate_all_covers_every_page():
    survey = chained_survey()
    assert set(validate_all(survey, {})) == {"used"}
    assert set(validate_all(survey, {"used": "yes", "score": 1})) == {"why"}
    assert validate_all(survey, {"used": "yes", "score": 1, "why": "Pas de données"}) == {}


def test_kept_answers_drop_hidden_unknown_and_unchosen_other():
    survey = survey_of(
        [{"id": "q", "label": text()} | QUESTIONS["single"]],
        [{"id": "later", "label": text(), "type": "yes_no", "required": False}],
    )
    answers = {"q": "a", "q.other": "stale", "later": "", "stray": 1}
    assert kept_answers(survey, answers) == {"q": "a"}
    assert kept_answers(survey, {"q": "else", "q.other": "Un ami"}) == {
        "q": "else",
        "q.other": "Un ami",
    }


def test_the_shipped_questionnaires_accept_a_complete_set_of_answers():
    survey = load_surveys([SHIPPED_SURVEYS])["end-mentors"]
    answers = {
        "host_factors": {item.id: 3 for item in survey.question("host_factors").items},
        "host_conditions": {item.id: "na" for item in survey.question("host_conditions").items},
        "hours_per_week": 4.5,
        "framing": 4,
        "scope_change": "other",
        "scope_change.other": "Il a été découpé en deux défis",
        "results_satisfaction": 2,
        "obstacles": "L'accès aux données a pris six mois.",
        "continuation": "dont_know",
        "formats_top": ["coaching", "other", "slack"],
        "formats_top.other": "Les déjeuners entre mentors",
        "support_overall": 5,
        "bulletin_relevance": 4,
        "bulletin_ease": 5,
        "digest_reading": "most_weeks",
        "bulletin_effort": "fair",
        "community": "na",
        "skills_outside_learned": "a_little",
        "skills_outside": ["data", "users"],
        "expectations": 4,
        "host_again": "yes",
    }
    assert validate_all(survey, answers) == {}
    assert set(validate_all(survey, answers | {"results_satisfaction": 4})) == set()
    assert "obstacles" not in kept_answers(survey, answers | {"results_satisfaction": 4})
    # what they learned outside their field is asked only of those who learned some
    assert "skills_outside" not in kept_answers(
        survey, answers | {"skills_outside_learned": "not_at_all"}
    )
    assert kept_answers(survey, answers)["formats_top.other"] == "Les déjeuners entre mentors"


def test_a_yes_no_without_dont_know_refuses_it():
    plain = one("yes_no", dont_know=False)
    assert validate_page(plain, 0, {"q": "yes"}) == {}
    assert validate_page(plain, 0, {"q": "dont_know"})["q"].message == "Choose one of the options."
    assert validate_page(one("yes_no"), 0, {"q": "dont_know"}) == {}
    question = plain.question("q")
    assert pulse_choices(question, "fr") == [("yes", "Oui"), ("no", "Non")]  # a pulse's buttons


def test_a_ranking_with_other_ranked_asks_to_specify_and_keeps_the_text():
    survey = one("rank", items=options("p", "q", "else", other="else"))
    assert validate_page(survey, 0, {"q": ["else", "p"]}) == {"q.other": Problem("Please specify.")}
    answers = {"q": ["else", "p"], "q.other": "Le mentorat inversé"}
    assert validate_page(survey, 0, answers) == {}
    assert kept_answers(survey, answers) == answers
    assert kept_answers(survey, {"q": ["q", "p"], "q.other": "oublié"}) == {"q": ["q", "p"]}

"""Headline figures declared in survey files: the new form, its mistakes named clearly, the
old tags read as the headlines they stood for, and campaigns keeping them."""

from __future__ import annotations

import json

import pytest

from evaluation.surveys.definitions import Headline, Text
from evaluation.surveys.loading import (
    SHIPPED_SURVEYS,
    SurveyError,
    load_surveys,
    parse_survey,
    survey_from_json,
    survey_to_json,
)
from tests.support.headlines import THREE_CASES, survey_file

ENDS = {"low_label": {"fr": "Bas", "en": "Low"}, "high_label": {"fr": "Haut", "en": "High"}}


def options(*ids: str) -> list[dict]:
    return [{"id": i, "label": {"fr": i, "en": i}} for i in ids]


def question(qid: str = "q", type: str = "scale", **fields) -> dict:
    """A question of ``type`` (a scale from 1 to 5 by default) with ``fields``."""
    ends = ENDS if type == "scale" else {}
    return {"id": qid, "type": type, "label": {"fr": "Question", "en": "Question"}} | ends | fields


def survey_data(*questions: dict) -> dict:
    label = {"fr": "Bilan", "en": "Review"}
    return {
        "id": "sample", "title": label, "intro": label, "audience": {"roles": ["fellow"]},
        "anonymous": True, "window": {"days": 21}, "pages": [{"questions": list(questions)}],
    }  # fmt: skip


def problems_of(data: dict) -> str:
    with pytest.raises(SurveyError) as caught:
        parse_survey(data, "sample.toml")
    return str(caught.value)


FIVE_LEVELS = options("every_week", "most_weeks", "sometimes", "rarely", "never")
LEARNED = options("a_lot", "a_little", "unusually_little", "not_at_all")


def test_the_three_cases_of_the_programme_load_as_written():
    survey = survey_file()
    assert survey.question("learned").headline == Headline(
        Text(
            "ont appris des compétences hors de leur domaine", "learned skills outside their field"
        ),
        ("a_lot", "a_little"),
    )
    expectations = survey.question("expectations").headline
    assert expectations.counts == ("5",) and expectations.label.en == "expectations exceeded"
    digest = survey.question("digest").headline
    assert digest.counts == ("every_week", "most_weeks", "monthly") and not digest.pool_roles
    kept = json.loads(json.dumps(survey_to_json(survey)))
    assert survey_from_json(kept) == survey
    pooled = survey_file(THREE_CASES + "pool_roles = true\n")
    assert pooled.question("digest").headline.pool_roles


def test_a_multiple_counts_each_choice_and_a_ranking_is_its_own_headline():
    survey = parse_survey(
        survey_data(
            question(
                "skills",
                type="multiple",
                choices=options("a", "b", "c"),
                headline={"counts": "each", "fr": "Appris", "en": "Learned"},
                **{},
            ),
            question(
                "some",
                type="multiple",
                choices=options("a", "b", "c"),
                headline={"counts": ["a", "b"], "fr": "A ou B", "en": "A or B"},
            ),
            question(
                "formats",
                type="rank",
                items=options("x", "y"),
                headline={"fr": "Formats classés", "en": "Formats ranked"},
            ),
            question("yes", type="yes_no", headline={"counts": ["yes"], "fr": "Oui", "en": "Yes"}),
        ),  # fmt: skip
        "sample.toml",
    )
    assert survey.question("skills").headline.each
    assert survey.question("some").headline.counts == ("a", "b")
    assert survey.question("formats").headline == Headline(
        Text("Formats classés", "Formats ranked")
    )
    assert survey.question("yes").headline.counts == ("yes",)


def headline(**fields) -> dict:
    return {"fr": "Titre", "en": "Title"} | fields


HEADLINE_PROBLEMS = [
    (question(headline=headline(counts=[6])),
     "question 'q', headline: counts lists [6], which the question cannot take (1, 2, 3, 4, 5)"),
    (question(headline=headline(counts=["5"])), "counts lists ['5']"),
    (question(headline=headline()), "question 'q', headline: counts is missing"),
    (question(headline=headline(counts=[])), "counts must be a non-empty list"),
    (question(headline=headline(counts=[1, 2, 3, 4, 5])), "counts lists every possible answer"),
    (question(headline={"counts": [5], "fr": "Titre"}), "headline: en must be a non-empty text"),
    (question(headline=headline(counts=[5], fr="x" * 151)), "fr is 151 characters"),
    (question(headline=headline(counts=[5], pool="yes")),
     "headline: unknown key 'pool'; known keys: counts, fr, en, pool_roles"),
    (question(headline=headline(counts=[5], pool_roles="yes")),
     "'pool_roles' must be true or false"),
    (question(headline="Attentes"), "headline: must be a table"),
    (question(type="single", choices=options("a", "b"), headline=headline(counts=["z"])),
     "counts lists ['z'], which the question cannot take (a, b)"),
    (question(type="single", choices=options("a", "b"), headline=headline(counts="each")),
     "counts must be a non-empty list"),
    (question(type="multiple", choices=options("a", "b")), None),
    (question(type="multiple", choices=options("a", "b"), headline=headline()),
     'list the answers it counts, or "each" for each choice on its own'),
    (question(type="rank", items=options("a", "b"), headline=headline(counts=["a"])),
     "a ranking's headline is the ranking itself: remove counts"),
    (question(type="number", headline=headline(counts=[1])),
     "'headline' does not apply to a number question"),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "expected"), [p for p in HEADLINE_PROBLEMS if p[1]])
def test_a_headline_problem_names_the_file_the_question_and_the_key(raw, expected):
    message = problems_of(survey_data(raw))
    assert "sample.toml, page 1, question 'q'" in message
    assert expected in message


def test_two_questions_with_the_same_headline_wording_are_refused():
    same = {"headline": headline(counts=[5])}
    message = problems_of(survey_data(question("a", **same), question("b", **same)))
    assert "question 'b': its headline has the wording of question 'a''s" in message


OLD_TAGS = [
    (question(tag="expectations", top_box=[4, 5]), "Expectations met or exceeded", ("4", "5"),
     False),
    (question(type="single", choices=options("a", "b", "c"), tag="digest_reading",
              counts_as=["a", "b"]), "Reading the weekly digest at least monthly", ("a", "b"),
     False),
    (question(type="yes_no", tag="skills_outside_field"), "Skills learned outside one's own field",
     ("yes",), False),
    (question(type="multiple", choices=options("a", "b"), tag="skills_outside_field"),
     "Skills learned outside one's own field", (), True),
    (question(type="rank", items=options("a", "b"), tag="support_formats"),
     "The programme's support formats, ranked", (), False),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "label", "counts", "each"), OLD_TAGS)
def test_an_old_tag_loads_as_the_headline_it_stood_for(raw, label, counts, each):
    survey = parse_survey(survey_data(raw), "sample.toml")
    found = survey.question("q").headline
    assert (found.label.en, found.counts, found.each, found.pool_roles) == (
        label,
        counts,
        each,
        False,
    )
    stored = json.loads(json.dumps(survey_to_json(survey)))
    assert survey_from_json(stored) == survey


def test_a_campaign_launched_with_an_old_tag_still_gives_its_headline():
    """Campaigns keep the survey as launched: JSON with ``tag`` and ``counts_as``."""
    survey = parse_survey(survey_data(question(top_box=[4, 5])), "sample.toml")
    stored = survey_to_json(survey)
    question_ = stored["pages"][0]["questions"][0]
    del question_["headline"]
    question_ |= {"tag": "project_satisfaction", "counts_as": []}
    found = survey_from_json(stored).question("q").headline
    assert found.label.fr == "Satisfaits ou très satisfaits des résultats du projet"
    assert found.counts == ("4", "5")


OLD_TAG_PROBLEMS = [
    (question(tag="project_satisfation"), "did you mean 'project_satisfaction'?"),
    (question(type="yes_no", tag="expectations"), "the tag 'expectations' needs a scale question"),
    (question(tag="expectations"), "needs top_box"),
    (question(type="single", choices=options("a", "b"), tag="digest_reading"), "needs counts_as"),
    (question(type="single", choices=options("a", "b"), tag="digest_reading", counts_as=["z"]),
     "counts_as lists ['z'], which are not among its choices (a, b)"),
    (question(type="single", choices=options("a", "b"), counts_as=["a"]),
     "counts_as only goes with the old tag"),
    (question(counts_as=["a"]), "'counts_as' does not apply to a scale question"),
    (question(tag="expectations", top_box=[5], headline=headline(counts=[5])),
     "give the headline or the old tag 'expectations', not both"),
]  # fmt: skip


@pytest.mark.parametrize(("raw", "expected"), OLD_TAG_PROBLEMS)
def test_an_old_tag_that_does_not_fit_says_how_to_write_the_new_form(raw, expected):
    message = problems_of(survey_data(raw))
    assert "sample.toml, page 1, question 'q'" in message and expected in message
    if "tag" in raw and "headline" not in raw:
        assert "[pages.questions.headline] with counts" in message


def test_the_shipped_questionnaires_use_headlines_not_tags():
    for path in SHIPPED_SURVEYS.glob("*.toml"):
        raw = path.read_text(encoding="utf-8")
        assert "\ntag = " not in raw and "counts_as" not in raw, path.name
    surveys = load_surveys([SHIPPED_SURVEYS])
    for survey_id in ("end-fellows", "end-mentors"):
        survey = surveys[survey_id]
        found = {q.id: q.headline for q in survey.questions if q.headline}
        assert found["expectations"].counts == ("5",)
        assert found["expectations"].label.en == "Expectations exceeded"
        learned = survey.question("skills_outside_learned")
        assert found["skills_outside_learned"].counts == ("a_lot", "a_little")
        assert [c.label.en for c in learned.choices] == [
            "Yes, a lot", "Yes, a little", "Unusually little", "Not at all"
        ]  # fmt: skip
        digest = survey.question("digest_reading")
        assert len(digest.choices) == 5 and found["digest_reading"].label.en == (
            "Read the digest at least monthly"
        )
        assert not any(h.pool_roles for h in found.values())


def test_a_survey_without_headlines_still_loads():
    survey = parse_survey(survey_data(question(top_box=[4, 5])), "sample.toml")
    assert survey.question("q").headline is None


def test_headline_problems_come_with_the_other_problems_at_once():
    raw = question(headline=headline(counts=[9]), top_box=[7])
    with pytest.raises(SurveyError) as caught:
        parse_survey(survey_data(raw), "sample.toml")
    assert "counts lists [9]" in str(caught.value) and "top_box values [7]" in str(caught.value)

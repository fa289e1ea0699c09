"""The questionnaire's builders and parsers, without Slack: every question type renders a view
Slack accepts, and what the view holds reads back as the answer it was drawn from."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot import ids
from bot.blocks.survey_modal import PageContext, change_view, next_page, page_view
from bot.blocks.survey_questions import ordinal
from bot.blocks.survey_values import PageMeta, errors_by_block, read_page
from bot.standin.blockkit import check_view
from bot.standin.payloads import state_values
from bulletins.cycle.bulletin import Problem
from evaluation.surveys.definitions import Audience, Choice, Condition, Page, Question, Survey, Text
from evaluation.surveys.loading import SHIPPED_SURVEYS, load_surveys


def t(fr: str, en: str | None = None) -> Text:
    return Text(fr=fr, en=en or fr)


def choices(count: int, other: bool = False) -> tuple[Choice, ...]:
    made = tuple(Choice(f"c{i}", t(f"Choix {i}", f"Choice {i}")) for i in range(1, count + 1))
    return made + ((Choice("other", t("Autre", "Other"), other=True),) if other else ())


SATISFIED = Question(
    "satisfied",
    "scale",
    t("Êtes-vous satisfait ?"),
    low_label=t("Pas du tout satisfait"),
    high_label=t("Très satisfait"),
    not_applicable=True,
    help=t("Sur l'ensemble du mois"),
)
QUESTIONS = {
    "scale": SATISFIED,
    "scale_wide": Question("nps", "scale", t("Recommanderiez-vous ?"), scale_min=0, scale_max=10),
    "single": Question("tool", "single", t("Outil"), choices=choices(3, other=True)),
    "single_long": Question("admin", "single", t("Administration"), choices=choices(14)),
    "multiple": Question("topics", "multiple", t("Sujets"), choices=choices(4, other=True)),
    "multiple_max": Question(
        "skills", "multiple", t("Compétences"), choices=choices(12), max_choices=3
    ),
    "yes_no": Question("again", "yes_no", t("Recommenceriez-vous ?")),
    "short_text": Question("word", "short_text", t("Un mot"), max_length=40, required=False),
    "long_text": Question("story", "long_text", t("Racontez"), max_length=2000),
    "number": Question("hours", "number", t("Heures"), min_value=0, max_value=40),
    "decimal": Question("days", "number", t("Jours"), min_value=0, max_value=4.5),
    "grid": Question(
        "grid", "grid", t("Évaluez"), items=choices(3), not_applicable=True, help=t("Aide")
    ),
    "rank": Question("rank", "rank", t("Classez"), items=choices(5), pick=3),
    "rank_all": Question("order", "rank", t("Ordonnez"), items=choices(3)),
}
ANSWERS: dict[str, dict[str, Any]] = {
    "scale": {"satisfied": 5},
    "scale_wide": {"nps": 0},
    "single": {"tool": "other", "tool.other": "Un tableur"},
    "single_long": {"admin": "c12"},
    "multiple": {"topics": ["c1", "other"], "topics.other": "Le RGAA"},
    "multiple_max": {"skills": ["c2", "c11"]},
    "yes_no": {"again": "dont_know"},
    "short_text": {"word": "Enthousiaste"},
    "long_text": {"story": "Une ligne\net une autre"},
    "number": {"hours": 12},
    "decimal": {"days": 2.5},
    "grid": {"grid": {"c1": 4, "c2": "na", "c3": 1}},
    "rank": {"rank": ["c3", "c1", "c5"]},
    "rank_all": {"order": ["c2", "c3", "c1"]},
}


def survey(*pages: tuple[Question, ...], anonymous: bool = True) -> Survey:
    return Survey(
        id="pulse",
        title=t("Pulse mentors de mars 2026 à Paris", "Mentors' pulse"),
        intro=t("Merci de prendre *deux minutes*.", "Thank you."),
        audience=Audience(roles=("mentor",)),
        anonymous=anonymous,
        pages=tuple(Page(questions=p) for p in pages),
    )


def view_of(
    questions: tuple[Question, ...], answers: dict, page: int = 0, locale: str = "fr"
) -> dict:
    context = PageContext(survey(questions, (QUESTIONS["yes_no"],)), 7, page, answers, locale, True)
    return page_view(context)


def untouched_state(view: dict) -> dict:
    """What Slack sends for a view submitted as drawn: every input holds its initial value."""
    simple: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        element = block.get("element") or {}
        if block["type"] != "input":
            continue
        if "initial_option" in element:
            value: Any = element["initial_option"]["value"]
        elif "initial_options" in element:
            value = [o["value"] for o in element["initial_options"]]
        else:
            value = element.get("initial_value")
        if value is not None:
            simple[block["block_id"]] = {element["action_id"]: value}
    return state_values(view, simple)


@pytest.mark.parametrize("kind", sorted(QUESTIONS))
@pytest.mark.parametrize("locale", ["fr", "en"])
def test_every_type_renders_a_valid_view_and_reads_back(kind: str, locale: str) -> None:
    question = QUESTIONS[kind]
    view = view_of((question,), ANSWERS[kind], locale=locale)
    check_view(view)
    assert read_page((question,), untouched_state(view)) == ANSWERS[kind]
    blank = view_of((question,), {}, locale=locale)
    check_view(blank)
    assert read_page((question,), untouched_state(blank)) == {}


def elements(view: dict) -> dict[str, dict]:
    return {b["block_id"]: b.get("element") for b in view["blocks"] if "block_id" in b}


def test_scale_has_labelled_ends_and_not_applicable() -> None:
    element = elements(view_of((SATISFIED,), {}))["satisfied"]
    assert element["type"] == "radio_buttons"
    labels = [o["text"]["text"] for o in element["options"]]
    assert labels == [
        "1 — Pas du tout satisfait",
        "2",
        "3",
        "4",
        "5 — Très satisfait",
        "Sans objet",
    ]
    wide = elements(view_of((QUESTIONS["scale_wide"],), {}))["nps"]
    assert wide["type"] == "static_select" and len(wide["options"]) == 11


def test_choice_widgets_follow_the_number_of_choices() -> None:
    shown = elements(view_of(tuple(QUESTIONS[k] for k in ("single", "multiple")), {}))
    assert shown["tool"]["type"] == "radio_buttons"
    assert shown["tool.other"]["type"] == "plain_text_input"
    assert shown["topics"]["type"] == "checkboxes"
    many = elements(view_of((QUESTIONS["single_long"], QUESTIONS["multiple_max"]), {}))
    assert many["admin"]["type"] == "static_select"
    assert many["skills"]["type"] == "multi_static_select"
    assert many["skills"]["max_selected_items"] == 3


def test_texts_numbers_and_rankings() -> None:
    shown = elements(view_of(tuple(QUESTIONS[k] for k in ("long_text", "number", "decimal")), {}))
    assert shown["story"]["multiline"] and shown["story"]["max_length"] == 2000
    assert shown["hours"]["is_decimal_allowed"] is False
    assert (shown["hours"]["min_value"], shown["hours"]["max_value"]) == ("0", "40")
    assert shown["days"]["is_decimal_allowed"] is True
    view = view_of((QUESTIONS["rank"],), {})
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    assert labels == ["1er choix", "2e choix", "3e choix"]
    assert [ordinal(n, "en") for n in (1, 2, 3, 4, 11, 22)] == [
        "1st", "2nd", "3rd", "4th", "11th", "22nd"
    ]  # fmt: skip


def test_required_is_left_to_slack_only_where_it_can_enforce_it() -> None:
    view = view_of((QUESTIONS["single"], QUESTIONS["short_text"]), {})
    optional = {b["block_id"]: b.get("optional", False) for b in view["blocks"] if "label" in b}
    assert optional == {"tool": False, "tool.other": True, "word": True}


def test_other_text_is_dropped_unless_other_is_chosen() -> None:
    question = QUESTIONS["single"]
    view = view_of((question,), {})
    values = state_values(
        view, {"tool": {ids.SURVEY_INPUT: "c1"}, "tool.other": {ids.SURVEY_INPUT: "x"}}
    )
    assert read_page((question,), values) == {"tool": "c1"}


def test_numbers_read_as_int_or_float_and_bad_text_is_kept_for_validation() -> None:
    question = QUESTIONS["decimal"]
    view = view_of((question,), {})
    for typed, expected in (("3", 3), ("2,5", 2.5), ("3.0", 3.0), ("beaucoup", "beaucoup")):
        values = state_values(view, {"days": {ids.SURVEY_INPUT: typed}})
        assert read_page((question,), values) == {"days": expected}


WHY = Question("why", "long_text", t("Pourquoi ?"), show_if=Condition("satisfied", ("1", "2")))


def test_conditional_questions_show_and_answers_to_hidden_ones_are_dropped() -> None:
    page = (SATISFIED, WHY)
    shown = elements(view_of(page, {"satisfied": 1}))
    assert "why" in shown
    hidden = view_of(page, {"satisfied": 5})
    assert "why" not in elements(hidden)
    controller = next(b for b in hidden["blocks"] if b.get("block_id") == "satisfied")
    assert controller["dispatch_action"] is True
    view = view_of(page, {"satisfied": 1})
    typed = {"satisfied": {ids.SURVEY_INPUT: "5"}, "why": {ids.SURVEY_INPUT: "Trop loin"}}
    assert read_page(page, state_values(view, typed)) == {"satisfied": 5}
    typed["satisfied"] = {ids.SURVEY_INPUT: "2"}
    assert read_page(page, state_values(view, typed)) == {"satisfied": 2, "why": "Trop loin"}


def test_a_condition_on_an_earlier_page_follows_the_saved_answers() -> None:
    two_pages = survey((SATISFIED,), (WHY,), (QUESTIONS["yes_no"],))
    assert next_page(two_pages, 1, {"satisfied": 5}) == 2
    assert next_page(two_pages, 1, {"satisfied": 2}) == 1
    assert next_page(two_pages, 3, {}) is None


def test_page_lines_title_metadata_and_submit() -> None:
    first = view_of((SATISFIED,), {})
    assert len(first["title"]["text"]) <= 24
    text = json.dumps(first["blocks"], ensure_ascii=False)
    assert "page 1 sur 2" in text and "*deux minutes*" in text and "Anonyme" in text
    assert first["submit"]["text"] == "Page suivante"
    assert PageMeta.read(first["private_metadata"]) == PageMeta(7, 0)
    last = view_of((SATISFIED,), {}, page=1, locale="en")
    assert last["submit"]["text"] == "Send"
    assert "page 2 of 2" in json.dumps(last["blocks"]) and "Thank you." not in json.dumps(last)


def test_change_view_is_valid() -> None:
    view = change_view(survey((SATISFIED,)), 7, "fr", "vendredi 20 mars")
    check_view(view)
    assert "vendredi 20 mars" in json.dumps(view, ensure_ascii=False)


def test_every_page_of_the_shipped_surveys_renders_a_valid_view() -> None:
    surveys = load_surveys([SHIPPED_SURVEYS])
    assert surveys
    for shipped in surveys.values():
        for index in range(len(shipped.pages)):
            for locale in ("fr", "en"):
                context = PageContext(shipped, 1, index, {}, locale, shipped.anonymous)
                check_view(page_view(context))


def test_problems_go_under_their_inputs_in_the_persons_language() -> None:
    inputs = ["satisfied", "tool", "tool.other", "grid.item.c1", "grid.item.c2", "rank.rank.1"]
    problems = {
        "tool.other": Problem("Please specify."),
        "grid.c2": Problem("This answer is required."),
        "rank": Problem("This answer is required."),
        "gone": Problem("This answer is required."),
    }
    errors = errors_by_block(problems, inputs, "fr")
    assert set(errors) == {"tool.other", "grid.item.c2", "rank.rank.1", "satisfied"}
    assert errors["rank.rank.1"] == "Cette réponse est obligatoire."


def test_a_yes_no_asked_without_dont_know_offers_yes_and_no_only() -> None:
    plain = Question("used", "yes_no", t("Utilisé ?"), dont_know=False)
    element = elements(view_of((plain,), {}))["used"]
    assert [o["value"] for o in element["options"]] == ["yes", "no"]
    assert [o["text"]["text"] for o in element["options"]] == ["Oui", "Non"]
    full = elements(view_of((QUESTIONS["yes_no"],), {}))[QUESTIONS["yes_no"].id]
    assert [o["value"] for o in full["options"]] == ["yes", "no", "dont_know"]


def test_a_ranking_with_an_other_item_asks_to_specify_and_keeps_the_text_when_ranked() -> None:
    question = Question("formats", "rank", t("Classez"), items=choices(4, other=True), pick=2)
    view = view_of((question,), {})
    check_view(view)
    blocks = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    assert blocks == ["formats.rank.1", "formats.rank.2", "formats.other"]
    assert "other" in [o["value"] for o in elements(view)["formats.rank.1"]["options"]]

    def state(first: str, text: str) -> dict:
        values = {"formats.rank.1": first, "formats.rank.2": "c2", "formats.other": text}
        return state_values(view, {b: {ids.SURVEY_INPUT: v} for b, v in values.items()})

    assert read_page((question,), state("other", "Le mentorat inversé")) == {
        "formats": ["other", "c2"],
        "formats.other": "Le mentorat inversé",
    }
    assert read_page((question,), state("c1", "Le mentorat inversé")) == {"formats": ["c1", "c2"]}

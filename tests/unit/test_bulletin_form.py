"""The bulletin form's builders and parsers, without Slack."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot import ids
from bot.blocks.bulletin_form import FormContext, form_view, modal_title
from bot.blocks.form_values import FormMeta, answers_from_state, field_errors, purpose_of
from bot.blocks.modals import excuse_view, notice_view, picker_view
from bot.standin.blockkit import check_view
from bot.standin.payloads import state_values
from bulletins.calendar import IsoWeek
from bulletins.cycle.bulletin import Answers, InvalidBulletin, Problem, Window
from bulletins.db.models import Bulletin, Person, Team

PARIS = ZoneInfo("Europe/Paris")
WEEK = IsoWeek(2026, 10)


def window(late: bool = False) -> Window:
    return Window(
        week=WEEK,
        opens=datetime(2026, 3, 2, 9, 0, tzinfo=PARIS),
        deadline=datetime(2026, 3, 6, 15, 5, tzinfo=PARIS),
        closes=datetime(2026, 3, 9, 9, 0, tzinfo=PARIS),
        late=late,
    )


def team(name: str = "LexImpact") -> Team:
    return Team(id=11, name=name, slug=name.lower())


def filed(late: bool = False, edited: bool = False) -> Bulletin:
    manon, gael = Person(name="Manon Moreau"), Person(name="Gaël <Lefebvre>")
    created = datetime(2026, 3, 3, 9, 30, tzinfo=ZoneInfo("UTC"))
    updated = datetime(2026, 3, 4, 8, 0, tzinfo=ZoneInfo("UTC")) if edited else created
    return Bulletin(
        mood=4,
        priority="Ship it",
        ups_and_downs="Up, down",
        help_request=None,
        key_date=date(2026, 3, 20),
        key_date_label="Demo day",
        late=late,
        author=manon,
        created_at=created,
        updated_by=gael if edited else manon,
        updated_at=updated,
    )


def form(bulletin: Bulletin | None = None, late: bool = False, locale: str = "fr") -> dict:
    return form_view(FormContext(team(), window(late), bulletin, locale, PARIS))


def text_of(view: dict) -> str:
    return json.dumps(view, ensure_ascii=False)


@pytest.mark.parametrize(
    "name, expected",
    [
        ("LexImpact", "LexImpact · 2026-W10"),
        ("ACOSS-Plateforme", "ACOSS-Plateforme · S10"),
        ("Une équipe au nom vraiment long", "Une équipe au nom… · S10"),
    ],
)
def test_the_title_names_the_team_and_week_within_24_characters(name, expected):
    assert modal_title(name, WEEK, "fr") == expected
    assert len(expected) <= 24


def test_a_new_form_is_empty_on_time_and_offers_the_excuse():
    view = form()
    check_view(view)
    assert view["submit"]["text"] == "Publier"
    assert json.loads(view["private_metadata"]) == {"team": 11, "week": "2026-W10", "seen": None}
    assert "Semaine du 2 mars, à rendre avant vendredi 6 mars 15:05." in text_of(view)
    assert "initial_value" not in text_of(view) and "initial_option" not in text_of(view)
    assert any(block.get("block_id") == ids.EXCUSE_WEEK for block in view["blocks"])


def test_a_filed_form_holds_its_answers_and_says_who_filed_and_edited():
    view = form(filed(edited=True))
    check_view(view)
    blocks = {block.get("block_id"): block for block in view["blocks"]}
    assert blocks[ids.MOOD]["element"]["initial_option"]["value"] == "4"
    assert blocks[ids.PRIORITY]["element"]["initial_value"] == "Ship it"
    assert blocks[ids.KEY_DATE]["element"]["initial_date"] == "2026-03-20"
    assert "Publié par Manon Moreau, mardi 3 mars 10:30." in text_of(view)
    assert "Dernière modification par Gaël &lt;Lefebvre&gt;, mercredi 4 mars 09:00." in (
        text_of(view)
    )
    assert ids.EXCUSE_WEEK not in blocks
    assert view["submit"]["text"] == "Mettre à jour"


def test_the_form_says_when_filing_is_late_but_not_for_an_edit_on_time():
    assert "sera donc marqué en retard" in text_of(form(late=True))
    assert "publié à temps" in text_of(form(filed(), late=True))
    assert "sera donc marqué en retard" in text_of(form(filed(late=True), late=True))


def test_the_form_speaks_english():
    view = form(locale="en")
    assert "How is the team this week?" in text_of(view)
    assert [o["text"]["text"] for o in view["blocks"][1]["element"]["options"]] == [
        "☹️ Difficult",
        "😐 Mixed",
        "🙂 Good",
        "😀 Great",
    ]


def test_the_answers_read_back_from_slack_state_are_what_was_typed():
    view = form()
    simple = {
        ids.MOOD: {ids.input_id(ids.MOOD): "2"},
        ids.PRIORITY: {ids.input_id(ids.PRIORITY): "P"},
        ids.UPS_AND_DOWNS: {ids.input_id(ids.UPS_AND_DOWNS): "U"},
        ids.KEY_DATE: {ids.input_id(ids.KEY_DATE): date(2026, 4, 1)},
        ids.KEY_DATE_LABEL: {ids.input_id(ids.KEY_DATE_LABEL): "L"},
    }
    assert answers_from_state(state_values(view, simple)) == Answers(
        mood=2, priority="P", ups_and_downs="U", key_date=date(2026, 4, 1), key_date_label="L"
    )
    assert answers_from_state({}) == Answers(mood=None, priority="", ups_and_downs="")


def test_problems_become_translated_messages_per_block():
    error = InvalidBulletin(
        {
            "mood": Problem("Choose the team's mood."),
            "priority": Problem(
                "At most %(limit)s characters, please (now %(length)s).",
                (("limit", 300), ("length", 412)),
            ),
        }
    )
    assert field_errors(error, "en") == {
        "mood": "Choose the team's mood.",
        "priority": "At most 300 characters, please (now 412).",
    }
    assert field_errors(error, "fr")["mood"] == "Choisissez l'humeur de l'équipe."


def test_metadata_round_trips_and_a_bad_purpose_means_the_form():
    assert FormMeta.read(form()["private_metadata"]) == FormMeta(11, WEEK, seen=None)
    assert purpose_of('{"purpose": "excuse"}') == ids.FOR_EXCUSE
    assert purpose_of('{"purpose": "drop tables"}') == ids.FOR_FORM
    assert purpose_of("") == ids.FOR_FORM


def test_the_small_modals_are_valid_block_kit():
    teams = [team("LexImpact"), Team(id=12, name="DataJust", slug="datajust")]
    picker = picker_view(teams, ids.FOR_EXCUSE, "fr")
    for view in (excuse_view(team(), WEEK, "fr"), picker, notice_view("T", "x", "en")):
        check_view(view)
    assert [b.get("block_id") for b in picker["blocks"][1:]] == ["team_11", "team_12"]
    assert purpose_of(picker["private_metadata"]) == ids.FOR_EXCUSE

"""The app served as ``bulletins serve --workers 2`` serves it: the form, its filing and the
confirmation go through worker processes, and a person sees the same as without them."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from bot import ids
from bot.standin.bench import SlackBench
from bulletins.db.models import SurveyResponse
from tests.e2e import test_surveys as surveys
from tests.e2e.conftest import load_eig3, paris, person_named, team_named
from tests.e2e.form_helpers import answers, bulletins, dms, open_view, submit_twice_at_once


@pytest.fixture
def served(engine, settings) -> Iterator[SlackBench]:
    load_eig3(engine)
    with SlackBench(settings, engine, now=paris(2026, 3, 2, 10, 0), workers=2) as bench:
        bench.register_people()
        yield bench


def test_with_workers_the_form_opens_files_and_confirms(served):
    manon, team = person_named(served, "Manon Moreau"), team_named(served, "LexImpact")
    view = open_view(served, manon.slack_user_id)
    assert view["title"]["text"] == "LexImpact · 2026-W10"

    response = served.driver.submit_view(
        manon.slack_user_id, view, answers(help_request="Un accès")
    )

    assert response.status == 200 and response.text == ""
    # Accepted before Slack got its answer; filed by a worker, which then confirms.
    assert "publié" in dms(served, manon.slack_user_id)[0]
    [stored] = bulletins(served, team)
    assert (stored.week, stored.help_request) == ("2026-W10", "Un accès")


def test_with_workers_a_problem_in_the_answers_comes_back_in_the_modal(served):
    manon, team = person_named(served, "Manon Moreau"), team_named(served, "LexImpact")
    view = open_view(served, manon.slack_user_id)

    response = served.driver.submit_view(manon.slack_user_id, view, answers(priority="x" * 301))

    assert response.json()["errors"] == {
        ids.PRIORITY: "300 caractères au plus, s'il vous plaît (actuellement 301)."
    }
    assert bulletins(served, team) == []


def test_with_workers_a_form_sent_twice_at_once_is_filed_once(served):
    manon, team = person_named(served, "Manon Moreau"), team_named(served, "LexImpact")
    view = open_view(served, manon.slack_user_id)
    texts = submit_twice_at_once(served, manon.slack_user_id, view, answers())

    assert texts == ["", ""]
    assert len(dms(served, manon.slack_user_id)) == 1
    assert len(bulletins(served, team)) == 1
    time.sleep(0.5)  # a second filing would have confirmed by now
    assert len(dms(served, manon.slack_user_id)) == 1


def test_with_workers_a_questionnaire_is_answered_page_by_page(served):
    # The "Answer" button opens the page, and the confirmation is sent, from a worker.
    surveys.test_a_questionnaire_answered_page_by_page(served)


def test_with_workers_a_pulse_is_answered_in_its_message(served):
    user = surveys.mentors(served)[1].slack_user_id
    campaign_id = surveys.launch(served, surveys.PULSE)
    message = surveys.invitation(served, user, campaign_id)
    response = served.driver.block_action(
        user,
        ids.SURVEY_PULSE,
        value=f"{campaign_id}:satisfied:4",
        message=message,
        channel_id=served.standin.dm_channel(user),
    )

    assert response.status == 200
    served.wait_for(lambda: served.standin.calls_to("chat.update"))
    updated = next(m for m in served.standin.posted(user) if m["ts"] == message["ts"])
    assert "Votre réponse : *4" in json.dumps(updated["blocks"], ensure_ascii=False)
    with served.services.sessions() as session:
        assert session.scalars(select(SurveyResponse.answers)).one() == {"satisfied": 4}

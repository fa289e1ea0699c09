"""A database that does not answer: Slack still gets its answer in time, and the person is
told to try again, without losing what they typed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func, select

from bot import ids
from bulletins.db import make_engine
from bulletins.db.models import ReceivedRequest
from tests.databases import database_locked
from tests.e2e.conftest import person_named, team_named
from tests.e2e.form_helpers import answers, ask, bulletins, dms, open_view, replies, submit
from tests.e2e.test_repeats import HOME_OPENED, reminder_message

FORM_DOWN = (
    "La base de données ne répond pas pour le moment : vos réponses ne sont pas encore "
    "enregistrées. Renvoyez le formulaire dans une minute, ce que vous avez écrit est toujours là."
)
DOWN = "La base de données ne répond pas pour le moment. Réessayez dans une minute."
SLACK_WINDOW = 3.0


@contextmanager
def database_down(bench, tmp_path) -> Iterator[None]:
    """Point the app's sessions at a database that is not there, then back."""
    if bench.services.engine.dialect.name == "sqlite":
        dead = make_engine(f"sqlite:///{tmp_path / 'missing-dir' / 'gone.db'}")
    else:
        dead = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/gone")  # nothing listens
    bench.services.sessions.configure(bind=dead)
    try:
        yield
    finally:
        bench.services.sessions.configure(bind=bench.services.engine)
        dead.dispose()


def timed(send):
    """``send()``'s response, and how long the app took to give it."""
    started = time.monotonic()
    response = send()
    return response, time.monotonic() - started


def received_count(bench) -> int:
    with bench.services.sessions() as session:
        return session.scalar(select(func.count()).select_from(ReceivedRequest))


def test_a_submission_while_the_database_is_down_keeps_the_modal_and_its_text(bench, tmp_path):
    manon, team = person_named(bench, "Manon Moreau"), team_named(bench, "LexImpact")
    view = open_view(bench, manon.slack_user_id)
    typed = answers(priority="Ne pas perdre ceci")

    with database_down(bench, tmp_path):
        response, elapsed = timed(
            lambda: bench.driver.submit_view(manon.slack_user_id, view, typed)
        )

    assert elapsed < SLACK_WINDOW
    assert response.json() == {"response_action": "errors", "errors": {ids.MOOD: FORM_DOWN}}
    assert bulletins(bench, team) == []
    assert bench.standin.calls_to("views.update") == []  # Slack keeps the modal, text and all
    # Once the database is back, the same submission is filed.
    assert submit(bench, manon.slack_user_id, view, typed).text == ""
    assert [b.priority for b in bulletins(bench, team)] == ["Ne pas perdre ceci"]
    assert len(dms(bench, manon.slack_user_id)) == 1


def test_a_command_while_the_database_is_down_gets_an_ephemeral_message(bench, tmp_path):
    manon = person_named(bench, "Manon Moreau")
    with database_down(bench, tmp_path):
        assert ask(bench, manon.slack_user_id, "history").startswith(DOWN)


def test_a_click_while_the_database_is_down_gets_an_ephemeral_message(bench, tmp_path):
    manon, team = person_named(bench, "Manon Moreau"), team_named(bench, "LexImpact")
    with database_down(bench, tmp_path):
        message = reminder_message(team.id)
        response = bench.driver.block_action(manon.slack_user_id, ids.OPEN_FORM, message=message)
        assert response.status == 200
        [reply] = replies(bench)
    assert reply.startswith(DOWN)
    assert bench.standin.calls_to("views.open") == []


def test_an_event_while_the_database_is_down_is_acknowledged_without_a_message(bench, tmp_path):
    manon = person_named(bench, "Manon Moreau")
    with database_down(bench, tmp_path):
        response = bench.driver.event(HOME_OPENED | {"user": manon.slack_user_id})
    assert response.status == 200
    assert bench.standin.messages(manon.slack_user_id) == []


def test_every_request_is_answered_in_time_while_the_database_hangs(bench):
    manon, team = person_named(bench, "Manon Moreau"), team_named(bench, "LexImpact")
    user = manon.slack_user_id
    view = open_view(bench, user)
    typed = answers(priority="Écrit pendant un blocage")

    with database_locked(bench.services.engine):
        submitted, submit_time = timed(lambda: bench.driver.submit_view(user, view, typed))
        requests = [
            lambda: bench.driver.command(user, "history"),
            lambda: bench.driver.event(HOME_OPENED | {"user": user}),
            lambda: bench.driver.block_action(user, ids.OPEN_FORM, message=reminder_message(1)),
        ]
        answered = [timed(send) for send in requests]

    assert submit_time < SLACK_WINDOW
    assert submitted.json() == {"response_action": "errors", "errors": {ids.MOOD: FORM_DOWN}}
    assert [response.status for response, _ in answered] == [200, 200, 200]
    assert max(elapsed for _, elapsed in answered) < SLACK_WINDOW
    # The refused submission was forgotten: sent again, it is filed.
    bench.wait_for(lambda: received_count(bench) <= 2)  # the event and the click remain
    assert submit(bench, user, view, typed).text == ""
    assert [b.priority for b in bulletins(bench, team)] == ["Écrit pendant un blocage"]

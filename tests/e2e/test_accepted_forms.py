"""A form accepted (stored before Slack's answer) whose filing never happened, because the
process that was to file it stopped: the next scheduler tick files it, as of the moment it
was accepted, and tells its author; a form the rules refuse by then comes back to them."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from bot.filing import BULLETIN, Form, accept_form
from bulletins.calendar import IsoWeek
from bulletins.cycle import Answers
from bulletins.db.models import Membership
from tests.e2e.conftest import paris, person_named, team_named
from tests.e2e.form_helpers import bulletins, dms

WEEK = IsoWeek(2026, 10)  # the bench's week: its deadline is Friday 6 March, 15:05


def accepted(bench, user_id: str, team_id: int, priority: str) -> None:
    answers = Answers(mood=2, priority=priority, ups_and_downs="Une démo réussie")
    form = Form(BULLETIN, user_id, team_id, WEEK, answers=answers)
    assert accept_form(bench.services, f"view:V-{user_id}:abc", form)


def test_a_form_left_unfiled_is_filed_by_the_next_tick_on_time_and_confirmed(bench):
    manon, team = person_named(bench, "Manon Moreau"), team_named(bench, "LexImpact")
    bench.clock.now = paris(2026, 3, 6, 15, 0)  # five minutes before the deadline
    accepted(bench, manon.slack_user_id, team.id, "Publier le simulateur")
    assert bulletins(bench, team) == []

    runs = {run.name: run.done for run in bench.tick(paris(2026, 3, 6, 15, 10))}

    assert runs["file_accepted_forms"] == 1
    [stored] = bulletins(bench, team)
    assert (stored.priority, stored.late) == ("Publier le simulateur", False)
    assert "publié" in dms(bench, manon.slack_user_id)[0]
    assert {run.name: run.done for run in bench.tick(paris(2026, 3, 6, 15, 11))}[
        "file_accepted_forms"
    ] == 0


def test_a_form_refused_when_filed_comes_back_to_its_author(bench):
    manon, team = person_named(bench, "Manon Moreau"), team_named(bench, "LexImpact")
    accepted(bench, manon.slack_user_id, team.id, "Ne pas perdre ceci <!channel>")
    with bench.services.sessions.begin() as session:  # she left the team meanwhile
        session.execute(
            update(Membership)
            .where(Membership.person_id == manon.id, Membership.team_id == team.id)
            .values(until=date(2026, 3, 1))
        )

    bench.tick(paris(2026, 3, 2, 10, 5))

    assert bulletins(bench, team) == []
    [message] = bench.standin.messages(manon.slack_user_id)
    text = str(message["blocks"])
    assert "n'a pas pu être enregistré" in message["text"]
    assert ">Ne pas perdre ceci &lt;!channel&gt;" in text  # her text, escaped
    assert "<!channel>" not in text

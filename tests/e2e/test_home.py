"""The Home tab, end to end: published when opened, and after filing from it."""

from __future__ import annotations

import json
from datetime import timedelta

from bot import ids
from bulletins.cycle import excuse_week
from bulletins.db.models import OutboxMessage, OutboxStatus, Person, Team
from bulletins.messages import Message, Section
from tests.e2e.conftest import paris, person_named, team_named
from tests.e2e.form_helpers import answers, file_directly, submit


def open_home(bench, user_id: str) -> dict:
    """Open the Home tab as ``user_id`` and return the view the app published."""
    before = len(bench.standin.calls_to("views.publish"))
    event = {"type": "app_home_opened", "user": user_id, "channel": "D0HOME", "tab": "home"}
    assert bench.driver.event(event).status == 200
    bench.wait_for(lambda: len(bench.standin.calls_to("views.publish")) > before)
    call = bench.standin.calls_to("views.publish")[-1]
    assert call.ok and call.args["user_id"] == user_id, call.response
    return call.args["view"]


def test_a_fellow_sees_their_team_to_write_then_filed(bench):
    manon, team = person_named(bench, "Manon Moreau"), team_named(bench, "LexImpact")

    home = open_home(bench, manon.slack_user_id)
    text = json.dumps(home, ensure_ascii=False)
    assert "Bulletins · semaine 2026-W10" in text
    assert "Pas encore écrit. À rendre avant vendredi 6 mars 15:05." in text
    [button] = [b["accessory"] for b in home["blocks"] if b.get("block_id") == f"team_{team.id}"]
    assert (button["action_id"], button["value"], button["text"]["text"]) == (
        ids.OPEN_FORM,
        str(team.id),
        "Écrire",
    )

    bench.driver.block_action(manon.slack_user_id, ids.OPEN_FORM, view=home)
    bench.wait_for(lambda: bench.standin.calls_to("views.open"))
    view = bench.standin.last_view(ids.BULLETIN_VIEW)
    submit(bench, manon.slack_user_id, view, answers(ups="Vu <!channel> & co"))
    refreshed = bench.standin.calls_to("views.publish")[-1].args["view"]
    text = json.dumps(refreshed, ensure_ascii=False)
    assert "Publié par Manon Moreau" in text and "Modifier" in text
    assert "Vu &lt;!channel&gt; &amp; co" in text


def test_the_home_button_opens_the_form(bench):
    manon = person_named(bench, "Manon Moreau")
    home = open_home(bench, manon.slack_user_id)
    bench.driver.block_action(manon.slack_user_id, ids.OPEN_FORM, view=home)
    bench.wait_for(lambda: bench.standin.calls_to("views.open"))
    assert bench.standin.last_view(ids.BULLETIN_VIEW)["title"]["text"] == "LexImpact · 2026-W10"


def test_staff_see_the_cohort_week_and_the_last_digest(bench):
    manon, acoss = person_named(bench, "Manon Moreau"), team_named(bench, "ACOSS-Plateforme")
    file_directly(bench, manon, team_named(bench, "LexImpact"), help_request="Un accès")
    with bench.services.sessions.begin() as session:
        yanis = person_named(bench, "Yanis Girard")
        excuse_week(
            session,
            bench.services.calendar,
            person=session.get(Person, yanis.id),
            team=session.get(Team, acoss.id),
            reason="Séminaire <!here>",
            now=bench.clock(),
        )
        digest = Message(text="Digest 2026-W09", sections=(Section("*Help requests first*"),))
        session.add(sent_digest(bench, digest))

    home = open_home(bench, person_named(bench, "Maëlle David").slack_user_id)
    text = json.dumps(home, ensure_ascii=False)

    assert "EIG 3, semaine 2026-W10" in text
    assert "Publiés : 1 · En retard : 0 · Excusés : 1 · Pas écrits : 13" in text
    assert "*LexImpact* · publié · Manon Moreau · 🆘 demande de l'aide" in text
    assert "*ACOSS-Plateforme* · excusé" in text
    assert "Dernier récapitulatif" in text and "<#C0DIGEST>" in text
    assert "*Help requests first*" in text


def sent_digest(bench, message: Message) -> OutboxMessage:
    at = bench.clock() - timedelta(days=3)
    return OutboxMessage(
        key="digest:2026-W09",
        kind="digest",
        channel="C0DIGEST",
        payload=message.to_json(),
        status=OutboxStatus.SENT,
        attempts=1,
        not_before=at,
        created_at=at,
        sent_at=at,
        slack_channel="C0DIGEST",
        slack_ts="1700000000.000100",
        permanent=False,
    )


def test_past_the_deadline_a_silent_team_is_told_it_can_still_file(bench):
    bench.clock.now = paris(2026, 3, 6, 17, 0)
    home = open_home(bench, person_named(bench, "Manon Moreau").slack_user_id)
    assert "l'échéance (vendredi 6 mars 15:05) est passée" in json.dumps(home, ensure_ascii=False)


def test_someone_not_in_the_roster_is_welcomed_and_told_whom_to_ask(bench):
    bench.standin.add_user("U0STRANGER", "Camille Inconnue", locale="en-US")
    home = open_home(bench, "U0STRANGER")
    assert "Ask the programme team to add you" in json.dumps(home)

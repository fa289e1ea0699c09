"""The Home tab, end to end: published when opened, and after filing from it."""

from __future__ import annotations

import json
from datetime import timedelta

from bot import ids
from bulletins.cycle.bulletin import excuse_week
from bulletins.db.models import OutboxMessage, OutboxStatus, Person, Team
from bulletins.messages import Message, Section
from tests.support import cycle
from tests.support.forms import answers, file_directly, open_home, submit
from tests.support.programme import paris, person_named, team_named


def test_a_fellow_sees_their_team_to_write_then_filed(workspace):
    manon, team = person_named(workspace, "Manon Moreau"), team_named(workspace, "LexImpact")

    home = open_home(workspace, manon.slack_user_id)
    text = json.dumps(home, ensure_ascii=False)
    assert "Bulletins · semaine du 2 mars" in text
    assert "Pas encore écrit. À rendre avant vendredi 6 mars 15:05." in text
    [button] = [b["accessory"] for b in home["blocks"] if b.get("block_id") == f"team_{team.id}"]
    assert (button["action_id"], button["value"], button["text"]["text"]) == (
        ids.OPEN_FORM,
        str(team.id),
        "Écrire",
    )

    workspace.driver.block_action(manon.slack_user_id, ids.OPEN_FORM, view=home)
    workspace.wait_for(lambda: workspace.standin.calls_to("views.open"))
    view = workspace.standin.last_view(ids.BULLETIN_VIEW)
    submit(workspace, manon.slack_user_id, view, answers(ups="Vu <!channel> & co"))
    refreshed = workspace.standin.calls_to("views.publish")[-1].args["view"]
    text = json.dumps(refreshed, ensure_ascii=False)
    assert "Publié par Manon Moreau" in text and "Modifier" in text
    assert "Vu &lt;!channel&gt; &amp; co" in text


def test_the_home_button_opens_the_form(workspace):
    manon = person_named(workspace, "Manon Moreau")
    home = open_home(workspace, manon.slack_user_id)
    workspace.driver.block_action(manon.slack_user_id, ids.OPEN_FORM, view=home)
    workspace.wait_for(lambda: workspace.standin.calls_to("views.open"))
    assert workspace.standin.last_view(ids.BULLETIN_VIEW)["title"]["text"] == "LexImpact · 2026-W10"


def test_staff_see_the_cohort_week_and_the_last_digest(workspace):
    manon, acoss = (
        person_named(workspace, "Manon Moreau"),
        team_named(workspace, "ACOSS-Plateforme"),
    )
    file_directly(workspace, manon, team_named(workspace, "LexImpact"), help_request="Un accès")
    with workspace.services.sessions.begin() as session:
        yanis = person_named(workspace, "Yanis Girard")
        excuse_week(
            session,
            workspace.services.calendar,
            person=session.get(Person, yanis.id),
            team=session.get(Team, acoss.id),
            reason="Séminaire <!here>",
            now=workspace.clock(),
        )
        digest = Message(text="Digest 2026-W09", sections=(Section("*Help requests first*"),))
        session.add(sent_digest(workspace, digest))

    home = open_home(workspace, person_named(workspace, "Maëlle David").slack_user_id)
    text = json.dumps(home, ensure_ascii=False)

    assert "EIG 3, semaine du 2 mars" in text
    assert "Publiés\u00a0: 1 · En retard\u00a0: 0 · Excusés\u00a0: 1 · Pas écrits\u00a0: 13" in text
    assert "*LexImpact* · publié · Manon Moreau · 🆘 demande de l'aide" in text
    assert "*ACOSS-Plateforme* · excusé" in text
    assert "Dernier récapitulatif" in text and "<#C0DIGEST>" in text
    assert "*Help requests first*" in text


def test_a_digest_whose_text_was_emptied_by_retention_is_still_named(workspace):
    with workspace.services.sessions.begin() as session:
        digest = sent_digest(workspace, Message(text="x", sections=(Section("*Old news*"),)))
        digest.payload = {}  # as ``[retention] sent_messages_days`` leaves it
        session.add(digest)

    home = open_home(workspace, person_named(workspace, "Maëlle David").slack_user_id)
    text = json.dumps(home, ensure_ascii=False)

    assert "Dernier récapitulatif" in text and "<#C0DIGEST>" in text
    assert "Old news" not in text


def sent_digest(workspace, message: Message) -> OutboxMessage:
    at = workspace.clock() - timedelta(days=3)
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


def test_past_the_deadline_a_silent_team_is_told_it_can_still_file(workspace):
    workspace.clock.now = paris(2026, 3, 6, 17, 0)
    home = open_home(workspace, person_named(workspace, "Manon Moreau").slack_user_id)
    assert "l'échéance (vendredi 6 mars 15:05) est passée" in json.dumps(home, ensure_ascii=False)


def test_someone_not_in_the_roster_is_welcomed_and_told_whom_to_ask(workspace):
    workspace.standin.add_user("U0STRANGER", "Camille Inconnue", locale="en-US")
    home = open_home(workspace, "U0STRANGER")
    assert "Ask the programme team to add you" in json.dumps(home)


def staff_home_text(workspace) -> str:
    staff = person_named(workspace, "Maëlle David")
    return json.dumps(open_home(workspace, staff.slack_user_id), ensure_ascii=False)


def test_staff_see_the_whole_last_digest_as_it_reads_now(workspace):
    for team in ("ADLER", "CartoBio", "LexImpact"):
        cycle.file(workspace, team, paris(2026, 3, 6, 11, 0), priority=f"Cap de {team}")
    cycle.tick(workspace, paris(2026, 3, 6, 15, 5))
    cycle.file(workspace, "Plume", paris(2026, 3, 6, 16, 0))
    cycle.tick(workspace, paris(2026, 3, 6, 16, 1))
    workspace.clock.now = paris(2026, 3, 6, 16, 2)
    text = staff_home_text(workspace)
    assert all(f"Cap de {team}" in text for team in ("ADLER", "CartoBio", "LexImpact"))
    assert "Bulletins reçus\u00a0: 4/15" in text
    assert "Publiés en retard, dans le fil*\\nPlume" in text
    assert "Pas de bulletin cette semaine" in text  # the end of it
    assert workspace.standin.calls_to("chat.getPermalink") == []


def test_a_digest_too_long_for_the_home_tab_links_to_slack(workspace):
    for team in cycle.add_teams(workspace, 25):
        cycle.file(workspace, team, paris(2026, 3, 6, 11, 0), priority="p " * 150,
                   ups_and_downs="u " * 150, help_request="h " * 150)  # fmt: skip
    cycle.tick(workspace, paris(2026, 3, 6, 15, 5))
    workspace.clock.now = paris(2026, 3, 6, 16, 0)
    home = open_home(workspace, person_named(workspace, "Maëlle David").slack_user_id)
    assert len(home["blocks"]) <= 100
    ts = workspace.standin.posted("C0DIGEST")[0]["ts"]
    link = f"<https://standin.slack.com/archives/C0DIGEST/p{ts.replace('.', '')}|"
    assert link + "Lire tout le récapitulatif dans Slack>" in json.dumps(home, ensure_ascii=False)

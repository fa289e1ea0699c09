"""Help requests in the digest: "I can help" opens a group DM with the team's fellows,
quotes the request there and says so in the digest's thread."""

from __future__ import annotations

import json
from datetime import date

from bot import ids
from tests.support.cycle import fellow_ids, file, outbox_rows, tick
from tests.support.forms import open_home, replies
from tests.support.programme import paris, person_named

DEADLINE = paris(2026, 3, 6, 15, 5)  # 2026-W10
FRIDAY = date(2026, 3, 6)


def asking_digest(workspace) -> dict:
    file(
        workspace,
        "LexImpact",
        paris(2026, 3, 6, 11, 0),
        help_request="Un contact <!here> à la CNIL",
    )
    tick(workspace, DEADLINE)
    return workspace.standin.posted("C0DIGEST")[0]


def click(workspace, helper: str, digest: dict) -> None:
    workspace.driver.block_action(helper, ids.OFFER_HELP, message=digest, channel_id="C0DIGEST")


def thread_of(workspace, digest: dict) -> list[dict]:
    return [m for m in workspace.standin.posted("C0DIGEST") if m.get("thread_ts") == digest["ts"]]


def test_i_can_help_opens_a_group_dm_and_says_so_in_the_thread(workspace):
    digest = asking_digest(workspace)
    helper = sorted(fellow_ids(workspace, "ADLER", FRIDAY))[0]
    team = fellow_ids(workspace, "LexImpact", FRIDAY)
    click(workspace, helper, digest)
    workspace.wait_for(lambda: thread_of(workspace, digest))
    (opened,) = [c for c in workspace.standin.calls_to("conversations.open") if c.ok]
    group = opened.response["channel"]["id"]
    assert workspace.standin.group_members(group) == {helper, *team}
    (first,) = workspace.standin.posted(group)
    text = first["blocks"][0]["text"]["text"]
    assert text.startswith(f"🙋 <@{helper}> propose son aide à *LexImpact*")
    assert "\n>Un contact &lt;!here&gt; à la CNIL" in text
    (line,) = thread_of(workspace, digest)
    name = workspace.standin.user_name(helper)
    assert line["text"] == f"🙋 {name} propose son aide à LexImpact"


def test_a_fellow_of_the_team_that_asked_is_told_it_is_their_own_request(workspace):
    digest = asking_digest(workspace)
    own = sorted(fellow_ids(workspace, "LexImpact", FRIDAY))[0]
    click(workspace, own, digest)
    [said] = replies(workspace)
    assert "C'est la demande de votre propre équipe" in said
    assert workspace.standin.calls_to("conversations.open") == []
    assert outbox_rows(workspace, "help_offer") == []


def test_a_second_click_opens_nothing_more(workspace):
    digest = asking_digest(workspace)
    helper = sorted(fellow_ids(workspace, "ADLER", FRIDAY))[0]
    click(workspace, helper, digest)
    workspace.wait_for(lambda: thread_of(workspace, digest))
    workspace.clock.now = paris(2026, 3, 6, 17, 0)  # not a double click: clicked again later
    click(workspace, helper, digest)
    workspace.wait_for(lambda: len(workspace.standin.calls_to("conversations.open")) == 2)
    tick(workspace, paris(2026, 3, 6, 17, 1))
    assert len(thread_of(workspace, digest)) == 1
    assert [row.status for row in outbox_rows(workspace, "help_offer")] == ["sent", "sent"]


def test_the_team_and_the_programme_team_see_the_offer_on_their_home_tabs(workspace):
    digest = asking_digest(workspace)
    file(workspace, "ADLER", paris(2026, 3, 6, 11, 0), help_request="Un designer")
    helper = sorted(fellow_ids(workspace, "CartoBio", FRIDAY))[0]
    click(workspace, helper, digest)
    workspace.wait_for(lambda: thread_of(workspace, digest))
    workspace.clock.now = paris(2026, 3, 6, 16, 0)
    name = workspace.standin.user_name(helper)

    manon = person_named(workspace, "Manon Moreau")  # a fellow of LexImpact
    text = json.dumps(open_home(workspace, manon.slack_user_id), ensure_ascii=False)
    assert f"🙋 Aide proposée pour votre demande par\u00a0: {name}" in text

    staff = person_named(workspace, "Maëlle David")
    text = json.dumps(open_home(workspace, staff.slack_user_id), ensure_ascii=False)
    assert "Demandes d'aide des quatre dernières semaines" in text
    assert f"*LexImpact* · semaine du 2 mars · 🙋 aide proposée\u00a0: {name}" in text
    assert "*ADLER* · semaine du 2 mars · pas encore d'aide proposée" in text
    assert "\\n>Un contact &lt;!here&gt; à la CNIL" in text

"""The weekly digest and late bulletins, through the scheduler's tick and the Slack stand-in."""

from __future__ import annotations

from datetime import date

from bulletins.db.models import OutboxStatus
from tests.support.cycle import (
    add_teams,
    block_texts,
    excuse,
    fellow_ids,
    file,
    outbox_rows,
    tick,
)
from tests.support.programme import paris

DEADLINE = paris(2026, 3, 6, 15, 5)  # 2026-W10
MORNING = paris(2026, 3, 6, 11, 0)
TYPED = "<!channel> <!here> <@U123> <!subteam^S1> @channel, regardez !\nDeuxième ligne."


def digest_posts(workspace) -> list[dict]:
    return workspace.standin.messages("C0DIGEST")


def test_the_digest_puts_help_first_and_mentions_nobody(workspace):
    file(workspace, "LexImpact", MORNING, help_request=TYPED, key_date=date(2026, 3, 10),
         key_date_label="Démo <@U123>")  # fmt: skip
    file(workspace, "ADLER", MORNING, priority=TYPED)
    excuse(workspace, "Plume", "Séminaire", MORNING)
    tick(workspace, DEADLINE)
    (post,) = digest_posts(workspace)
    texts = block_texts(post)
    assert post["blocks"][0]["type"] == "header" and "semaine du 2 mars" in texts[0]
    body = "\n".join(texts)
    order = [
        "Demandes d'aide",
        "*LexImpact*",
        "Dates clés",
        "Démo",
        "Nouvelles des équipes",
        "*ADLER*",
        "*LexImpact*",
        "Pas de bulletin cette semaine",
        "Excusées",
        "Séminaire",
    ]
    start = 0
    for item in order:  # each one after the one before
        start = body.index(item, start) + 1
    for raw in ["<!channel>", "<!here>", "<@U123>", "<!subteam^S1>", "@channel"]:
        assert raw not in body and raw not in post["text"]
    assert "&lt;!subteam^S1&gt;" in body and "\n>Deuxième ligne." in body


def test_a_second_tick_at_the_same_time_posts_nothing(workspace):
    tick(workspace, DEADLINE)
    tick(workspace, DEADLINE)
    tick(workspace, paris(2026, 3, 6, 15, 6))
    assert len(digest_posts(workspace)) == 1


def test_forty_teams_are_split_within_block_kits_limits_in_a_thread(workspace):
    for team in add_teams(workspace, 25):
        file(workspace, team, MORNING, priority="p " * 150, ups_and_downs="u " * 150,
             help_request="h " * 150)  # fmt: skip
    tick(workspace, DEADLINE)
    calls = workspace.standin.calls_to("chat.postMessage")
    assert len(calls) >= 2 and all(call.ok for call in calls)
    first, *rest = digest_posts(workspace)
    assert "thread_ts" not in first or not first["thread_ts"]
    ts = calls[0].response["ts"]
    assert all(post["thread_ts"] == ts for post in rest)
    body = "\n".join(text for post in digest_posts(workspace) for text in block_texts(post))
    assert all(f"*Défi {n:02d}*" in body for n in range(25))


def test_a_late_bulletin_is_a_reply_in_the_digest_thread(workspace):
    file(workspace, "ADLER", MORNING)
    tick(workspace, DEADLINE)
    file(workspace, "CartoBio", paris(2026, 3, 6, 16, 30), priority="Enfin là")
    tick(workspace, paris(2026, 3, 6, 16, 31))
    tick(workspace, paris(2026, 3, 6, 16, 32))
    digest, reply = digest_posts(workspace)
    assert reply["thread_ts"] == workspace.standin.calls_to("chat.postMessage")[0].response["ts"]
    assert "CartoBio" in reply["text"] and "Enfin là" in "\n".join(block_texts(reply))
    assert "Enfin là" not in "\n".join(block_texts(digest))


def test_christmas_moves_the_digest_to_thursday(workspace):
    tick(workspace, paris(2026, 12, 24, 15, 4))
    assert digest_posts(workspace) == []
    tick(workspace, paris(2026, 12, 24, 15, 5))
    tick(workspace, paris(2026, 12, 25, 15, 5))
    (post,) = digest_posts(workspace)
    assert "semaine du 21 décembre" in block_texts(post)[0]
    assert [row.key for row in outbox_rows(workspace, "digest")] == ["digest:2026-W52:1"]


def test_iso_week_53_gets_its_digest_on_new_years_eve(workspace):
    tick(workspace, paris(2026, 12, 31, 15, 5))
    tick(workspace, paris(2027, 1, 1, 15, 5))
    (post,) = digest_posts(workspace)
    assert "semaine du 28 décembre au 31 décembre 2026" in block_texts(post)[0]
    assert [row.key for row in outbox_rows(workspace, "digest")] == ["digest:2026-W53:1"]


def test_a_permanent_slack_error_ends_as_a_failed_row_and_nothing_loops(workspace):
    workspace.standin.fail_next("chat.postMessage", status=200, error="channel_not_found")
    tick(workspace, DEADLINE)
    file(workspace, "ADLER", paris(2026, 3, 6, 16, 0))
    tick(workspace, paris(2026, 3, 6, 16, 0))
    tick(workspace, paris(2026, 3, 6, 17, 0))
    assert len(workspace.standin.calls_to("chat.postMessage")) == 1
    digest, late, update = outbox_rows(workspace)
    assert (digest.status, digest.error, digest.permanent) == (
        OutboxStatus.FAILED, "channel_not_found", True
    )  # fmt: skip
    assert (late.status, late.error) == (OutboxStatus.FAILED, "parent_failed")
    assert (update.kind, update.status, update.error) == ("update", OutboxStatus.FAILED,
                                                          "parent_failed")  # fmt: skip


def test_a_rate_limited_digest_is_retried_after_retry_after_and_sent_once(workspace):
    workspace.standin.fail_next("chat.postMessage", status=429, retry_after=120)
    tick(workspace, DEADLINE)
    assert digest_posts(workspace) == []
    (row,) = outbox_rows(workspace)
    assert (row.status, row.error) == (OutboxStatus.PENDING, "ratelimited")
    tick(workspace, paris(2026, 3, 6, 15, 6))
    assert digest_posts(workspace) == []
    tick(workspace, paris(2026, 3, 6, 15, 7))
    tick(workspace, paris(2026, 3, 6, 15, 8))
    assert len(digest_posts(workspace)) == 1
    assert len(workspace.standin.calls_to("chat.postMessage")) == 2


def digest_now(workspace) -> str:
    """What a person reads in the digest's first message now, edits included."""
    return "\n".join(block_texts(workspace.standin.posted("C0DIGEST")[0]))


def test_a_late_bulletin_updates_the_digest_in_place(workspace):
    file(workspace, "ADLER", MORNING)
    tick(workspace, DEADLINE)
    assert "Bulletins reçus\u00a0: 1/15" in digest_now(workspace)
    file(workspace, "CartoBio", paris(2026, 3, 6, 16, 30), priority="Enfin là")
    tick(workspace, paris(2026, 3, 6, 16, 31))
    tick(workspace, paris(2026, 3, 6, 16, 32))
    text = digest_now(workspace)
    assert "Bulletins reçus\u00a0: 2/15" in text
    assert ":hourglass: *Publiés en retard, dans le fil*\nCartoBio" in text
    silent = text[text.index("Pas de bulletin cette semaine") :]
    assert "CartoBio" not in silent and "DataJust" in silent
    assert "Enfin là" not in text  # the bulletin itself is the reply in the thread
    assert [c.ok for c in workspace.standin.calls_to("chat.update")] == [True]
    assert len(workspace.standin.posted("C0DIGEST")) == 2


def test_late_changes_coalesce_and_a_failed_update_is_sent_once_with_the_latest(workspace):
    tick(workspace, DEADLINE)
    file(workspace, "CartoBio", paris(2026, 3, 6, 16, 0))
    file(workspace, "Plume", paris(2026, 3, 6, 16, 5))
    workspace.standin.fail_next("chat.update", status=200, error="ratelimited")
    tick(workspace, paris(2026, 3, 6, 16, 6))
    assert "Bulletins reçus\u00a0: 0/15" in digest_now(workspace)
    excuse(workspace, "LexImpact", "Séminaire <!here>", paris(2026, 3, 6, 16, 7))
    tick(workspace, paris(2026, 3, 6, 16, 10))
    tick(workspace, paris(2026, 3, 6, 16, 11))
    text = digest_now(workspace)
    assert "Bulletins reçus\u00a0: 2/15" in text and "CartoBio, Plume" in text
    assert "Séminaire &lt;!here&gt;" in text
    assert [c.ok for c in workspace.standin.calls_to("chat.update")] == [False, True]


def test_an_update_waits_for_the_digest_to_be_posted(workspace):
    workspace.standin.fail_next("chat.postMessage", status=429, retry_after=120)
    tick(workspace, DEADLINE)
    file(workspace, "CartoBio", paris(2026, 3, 6, 15, 6))
    tick(workspace, paris(2026, 3, 6, 15, 6))
    assert workspace.standin.calls_to("chat.update") == []
    tick(workspace, paris(2026, 3, 6, 15, 8))
    assert "Bulletins reçus\u00a0: 1/15" in digest_now(workspace)
    assert [c.ok for c in workspace.standin.calls_to("chat.update")] == [True]


def test_a_help_request_names_its_author_and_offers_help(workspace):
    file(workspace, "LexImpact", MORNING, help_request="Un contact à la CNIL")
    tick(workspace, DEADLINE)
    (post,) = digest_posts(workspace)
    (asking,) = [b for b in post["blocks"] if b.get("accessory")]
    author = sorted(fellow_ids(workspace, "LexImpact", date(2026, 3, 6)))
    assert asking["text"]["text"].startswith("*LexImpact* · <@")
    assert asking["text"]["text"][len("*LexImpact* · <@") :].split(">")[0] in author
    assert asking["accessory"]["text"]["text"] == "Je peux aider"


def test_an_update_answered_with_a_5xx_after_taking_effect_shows_once(workspace):
    tick(workspace, DEADLINE)
    file(workspace, "CartoBio", paris(2026, 3, 6, 16, 0))
    workspace.standin.fail_next("chat.update", status=500, applied=True)
    tick(workspace, paris(2026, 3, 6, 16, 1))
    assert "Bulletins reçus\u00a0: 1/15" in digest_now(workspace)  # applied, answer lost
    tick(workspace, paris(2026, 3, 6, 16, 10))
    tick(workspace, paris(2026, 3, 6, 16, 20))
    (update,) = outbox_rows(workspace, "update")
    assert update.status == OutboxStatus.SENT
    assert len(workspace.standin.posted("C0DIGEST")) == 2  # the digest and the late reply
    assert "Bulletins reçus\u00a0: 1/15" in digest_now(workspace)

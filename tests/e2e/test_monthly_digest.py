"""The monthly digest through the scheduler's tick and the Slack stand-in: the message in
the staff channel, its two charts uploaded with files_upload_v2 in its thread, once."""

from __future__ import annotations

from bulletins.db.models import OutboxStatus
from tests.support.cycle import block_texts, excuse, file, outbox_rows, tick
from tests.support.programme import paris

PNG = b"\x89PNG\r\n\x1a\n"
STAFF = "C0STAFF"


def staff_posts(workspace) -> list[dict]:
    return workspace.standin.messages(STAFF)


def uploads(workspace) -> list:
    """Files whose upload was completed, oldest first."""
    return [f for f in workspace.standin.files.values() if f.completed]


def play_march(workspace) -> None:
    file(workspace, "LexImpact", paris(2026, 3, 6, 11), help_request="<!channel> un contact ?")
    file(workspace, "ADLER", paris(2026, 3, 6, 11), mood=4)
    file(workspace, "ADLER", paris(2026, 3, 13, 11), mood=2)
    excuse(workspace, "Plume", "Séminaire", paris(2026, 3, 13, 11))


def test_the_first_working_day_brings_last_months_digest_and_its_charts(workspace):
    play_march(workspace)
    tick(workspace, paris(2026, 4, 1, 9, 59))
    assert staff_posts(workspace) == [] and uploads(workspace) == []
    tick(workspace, paris(2026, 4, 1, 10, 0))
    (post,) = staff_posts(workspace)
    body = "\n".join(block_texts(post))
    assert "mars 2026" in block_texts(post)[0]
    assert "LexImpact" in body and "&lt;!channel&gt;" in body and "<!channel>" not in body
    ts = next(c.response["ts"] for c in workspace.standin.calls_to("chat.postMessage")
              if c.args.get("channel") == STAFF)  # fmt: skip
    charts = uploads(workspace)
    assert sorted(f.filename for f in charts) == [
        "monthly-2026-03-heatmap.png",
        "monthly-2026-03-mood.png",
    ]
    for chart in charts:
        assert chart.content.startswith(PNG)
        assert chart.channels == [STAFF] and chart.thread_ts == ts
    assert len(workspace.standin.calls_to("files.completeUploadExternal")) == 2
    assert {r.status for r in outbox_rows(workspace, "file")} == {OutboxStatus.SENT}


def test_a_second_tick_posts_nothing_more(workspace):
    tick(workspace, paris(2026, 4, 1, 10, 0))
    tick(workspace, paris(2026, 4, 1, 10, 0))
    tick(workspace, paris(2026, 4, 1, 16, 30))
    tick(workspace, paris(2026, 4, 2, 10, 0))
    assert len(staff_posts(workspace)) == 1 and len(uploads(workspace)) == 2


def test_a_public_holiday_on_the_first_moves_it_to_the_next_working_day(workspace):
    # Friday 1 May 2026 is Labour Day: April's digest waits for Monday 4 May.
    tick(workspace, paris(2026, 5, 1, 10, 0))
    assert staff_posts(workspace) == []
    tick(workspace, paris(2026, 5, 4, 17, 30))  # after downtime, later that day
    (post,) = staff_posts(workspace)
    assert "avril 2026" in block_texts(post)[0]
    assert sorted(f.filename for f in uploads(workspace)) == [
        "monthly-2026-04-heatmap.png",
        "monthly-2026-04-mood.png",
    ]


def test_an_upload_in_doubt_is_found_by_its_name_and_not_sent_twice(workspace):
    # Slack completes the upload, then answers 500: the chart is in doubt.
    workspace.standin.fail_next("files.completeUploadExternal", status=500, applied=True)
    tick(workspace, paris(2026, 4, 1, 10, 0))
    tick(workspace, paris(2026, 4, 1, 10, 5))
    assert len(uploads(workspace)) == 2
    assert len(workspace.standin.calls_to("files.getUploadURLExternal")) == 2
    assert workspace.standin.calls_to("files.list")
    assert {r.status for r in outbox_rows(workspace, "file")} == {OutboxStatus.SENT}


def test_an_upload_that_never_completed_is_uploaded_again(workspace):
    workspace.standin.fail_next("files.completeUploadExternal", status=500)
    tick(workspace, paris(2026, 4, 1, 10, 0))
    tick(workspace, paris(2026, 4, 1, 10, 5))
    assert len(workspace.standin.calls_to("files.getUploadURLExternal")) == 3
    assert sorted(f.filename for f in uploads(workspace)) == [
        "monthly-2026-03-heatmap.png",
        "monthly-2026-03-mood.png",
    ]
    assert {r.status for r in outbox_rows(workspace, "file")} == {OutboxStatus.SENT}

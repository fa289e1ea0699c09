"""One log line per request from Slack, holding nothing a person typed."""

from __future__ import annotations

import logging
import re

from bot import ids
from tests.support.forms import answers, ask, open_view, submit
from tests.support.programme import person_named

TYPED = "Pas-de-secret-ici-91"
LINE = re.compile(r"^slack (\S+) (\S+): (.+), (\d+) ms$")


def request_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.requests"]


def test_each_request_is_one_line_of_kind_name_outcome_and_duration(workspace, caplog):
    manon = person_named(workspace, "Manon Moreau").slack_user_id
    with caplog.at_level(logging.INFO, logger="bot.requests"):
        view = open_view(workspace, manon)
        assert len(request_lines(caplog)) == 1
        submit(workspace, manon, view, answers(priority=TYPED, ups=TYPED, help_request=TYPED))
        refused = submit(workspace, manon, open_view(workspace, manon), answers(priority="x" * 301))
        history = ask(workspace, manon, "history LexImpact")

    lines = request_lines(caplog)
    assert [LINE.match(line).groups()[:3] for line in lines] == [
        ("command", "/bulletin", "ok"),
        ("view_submission", ids.BULLETIN_VIEW, "ok"),
        ("command", "/bulletin", "ok"),
        ("view_submission", ids.BULLETIN_VIEW, "form refused"),
        ("command", "/bulletin", "ok"),
    ]
    assert '"response_action": "errors"' in refused.text and "LexImpact" in history
    assert not [line for line in lines if TYPED in line or "LexImpact" in line]


def test_a_repeated_click_is_logged_as_ignored(workspace, caplog):
    manon = person_named(workspace, "Manon Moreau").slack_user_id
    with caplog.at_level(logging.INFO, logger="bot.requests"):
        for _ in range(2):
            workspace.driver.block_action(manon, action_id=ids.OPEN_FORM, value="")
    outcomes = [LINE.match(line).group(3) for line in request_lines(caplog)]
    assert outcomes == ["ok", "repeat ignored"]

"""The work a listener does once Slack has its answer.

The app runs in Bolt's ``process_before_response`` mode, as Slack's guides describe for
lazy listeners: each listener's first function runs in the request's own thread, and Slack
gets its answer the moment that function returns (a form is filed, or its problems sent
back into the modal, before it does). The work that follows (opening a modal, a
confirmation, a Home tab) is named by the first function with ``then`` and runs right after
the answer, in Bolt's listener threads, at normal priority.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.bootstrap import Services
from bot.listeners.errors import reported

FOLLOW_UP = "follow_up"  # in the request's context: the work, and its arguments

# work(services, body, respond, *args): ``body`` is the request's (a slash command's
# payload, an interaction, an event); ``respond`` is None where Slack gave no response URL.
Work = Callable[..., None]
Route = Callable[..., Any]  # ``app.action(id)``, ``app.view(id)``, ``app.command(name)``…


def then(context: BoltContext, work: Work, *args: Any) -> None:
    """Run ``work(services, body, respond, *args)`` once Slack has its answer. The
    arguments are copied (Bolt copies the context for the work that follows)."""
    context[FOLLOW_UP] = (work, args)


def ack_then(work: Work) -> Callable[..., None]:
    """A first function that acknowledges at once, then leaves ``work`` to run, given the
    clicked element for a button or a menu: ``work(services, body, respond[, action])``."""

    def acknowledge(ack: Ack, context: BoltContext, body: dict) -> None:
        ack()
        actions = body.get("actions") or []
        then(context, work, *actions[:1])

    return acknowledge


def listen(route: Route, services: Services, first: Callable[..., None]) -> None:
    """Attach ``first`` (which answers Slack) to ``route``, and the work it names after it;
    errors in that work are explained to the person (``errors.reported``)."""

    def follow_up(body: dict, context: BoltContext, respond: Respond | None = None) -> None:
        work, args = context.get(FOLLOW_UP) or (None, ())
        if work is None:  # the first function refused the request, or named nothing
            return
        if not context.response_url:  # Bolt gives a ``respond`` that cannot respond
            respond = None
        with reported(services, body, respond):
            work(services, body, respond, *args)

    route(ack=first, lazy=[follow_up])

"""The work a listener does once Slack has its answer.

The app runs in Bolt's ``process_before_response`` mode: each listener's first function
runs in the request's own thread, and Slack gets its answer the moment that function returns
(a form is filed, or its problems sent back into the modal, before it does). The work that
follows (opening a modal, a confirmation, a Home tab) is named by the first function with
``then``, and starts as it returns in Bolt's listener threads, at normal priority: as a lazy
listener would, without the copy of the whole request Bolt makes for one.
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
First = Callable[[Ack, BoltContext, dict], None]  # first(ack, context, body) answers Slack
Route = Callable[..., Any]  # ``app.action(id)``, ``app.view(id)``, ``app.command(name)``…


def then(context: BoltContext, work: Work, *args: Any) -> None:
    """Run ``work(services, body, respond, *args)`` once Slack has its answer."""
    context[FOLLOW_UP] = (work, args)


def ack_then(work: Work) -> First:
    """A first function that acknowledges at once, then leaves ``work`` to run, given the
    clicked element for a button or a menu: ``work(services, body, respond[, action])``."""

    def acknowledge(ack: Ack, context: BoltContext, body: dict) -> None:
        ack()
        actions = body.get("actions") or []
        then(context, work, *actions[:1])

    return acknowledge


def listen(route: Route, services: Services, first: First) -> None:
    """Attach ``first`` (which answers Slack) to ``route``, and start the work it names
    with ``then`` as it returns; errors in that work are explained to the person
    (``errors.reported``)."""

    def answer(ack: Ack, context: BoltContext, body: dict, respond: Respond) -> None:
        first(ack, context, body)
        work, args = context.get(FOLLOW_UP) or (None, ())
        if work is None:  # the first function refused the request, or named nothing
            return
        reply = respond if context.response_url else None  # Bolt's cannot respond without

        def follow_up() -> None:
            with reported(services, body, reply):
                work(services, body, reply, *args)

        context.listener_runner.listener_executor.submit(follow_up)

    route(answer)

"""Reading what Slack sends back from the modals: their metadata and their inputs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from bot import ids
from bulletins.calendar import IsoWeek
from bulletins.cycle.bulletin import UNCHECKED, Answers, InvalidBulletin, Problem
from bulletins.errors import BulletinsError
from bulletins.i18n import gettext

StateValues = dict[str, dict[str, dict[str, Any]]]


@dataclass(frozen=True)
class FormMeta:
    """The team and week a form was opened for, whether from the Home tab, and the version
    of the bulletin it was opened on (``UNCHECKED`` for a form that does not say)."""

    team_id: int
    week: IsoWeek
    from_home: bool = False
    seen: str | None = UNCHECKED

    @classmethod
    def read(cls, private_metadata: str) -> FormMeta:
        """Raise ``UnreadableForm`` for metadata this app did not write (a week that does
        not exist, no team)."""
        try:
            data = json.loads(private_metadata)
            seen = data.get("seen", UNCHECKED)
            if seen is not None and not isinstance(seen, str):
                raise TypeError(f"seen: {seen!r}")
            home = data.get("home") is True
            return cls(int(data["team"]), IsoWeek.parse(data["week"]), home, seen)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise UnreadableForm(f"unreadable form metadata: {error}") from None


class UnreadableForm(BulletinsError):
    """A submitted form whose hidden part (the team and week it is for) cannot be read."""


def from_home(view: dict) -> dict:
    """``view``, remembering that it was opened from the Home tab, so that its submission
    refreshes that tab (elsewhere, the tab is rebuilt when the person next opens it)."""
    if view.get("callback_id") not in (ids.BULLETIN_VIEW, ids.EXCUSE_VIEW):
        return view
    data = json.loads(view["private_metadata"]) | {"home": True}
    return view | {"private_metadata": json.dumps(data)}


def opened_from_home(body: dict) -> bool:
    """Whether a click comes from the Home tab, or from a form opened from it."""
    view = body.get("view") or {}
    if view.get("type") == "home":
        return True
    try:
        return json.loads(view.get("private_metadata") or "{}").get("home") is True
    except (ValueError, AttributeError):
        return False


def purpose_of(private_metadata: str) -> str:
    """What the team picker was opened for: the form or the excuse."""
    purpose = json.loads(private_metadata or "{}").get("purpose")
    return purpose if purpose in (ids.FOR_FORM, ids.FOR_EXCUSE) else ids.FOR_FORM


def _entry(values: StateValues, block_id: str) -> dict[str, Any]:
    return values.get(block_id, {}).get(ids.input_id(block_id)) or {}


def text_value(values: StateValues, block_id: str) -> str | None:
    return _entry(values, block_id).get("value")


def answers_from_state(values: StateValues) -> Answers:
    """The bulletin form's inputs as the core's answers (not yet validated)."""
    option = _entry(values, ids.MOOD).get("selected_option") or {}
    picked = _entry(values, ids.KEY_DATE).get("selected_date")
    return Answers(
        mood=int(option["value"]) if option.get("value", "").isdigit() else None,
        priority=text_value(values, ids.PRIORITY) or "",
        ups_and_downs=text_value(values, ids.UPS_AND_DOWNS) or "",
        help_request=text_value(values, ids.HELP_REQUEST),
        key_date=date.fromisoformat(picked) if picked else None,
        key_date_label=text_value(values, ids.KEY_DATE_LABEL),
    )


def translate(problem: Problem, locale: str) -> str:
    return gettext(locale, problem.message, **dict(problem.params))


def field_errors(error: InvalidBulletin, locale: str) -> dict[str, str]:
    """``response_action: errors`` content: each field's problem, in the person's language."""
    return {field: translate(problem, locale) for field, problem in error.problems.items()}

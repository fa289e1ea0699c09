"""What the facts and indicators forms share: the teams a person may fill them for, and
the handling of a submission that is refused (problems under their fields) or meets a
database that does not answer (the modal stays open with what was typed)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from slack_bolt import Ack, BoltContext
from sqlalchemy.orm import Session

from bot import dedup
from bot.blocks.form_values import translate
from bot.bootstrap import Services
from bot.explanations import explain
from bot.locales import stored_locale
from bulletins.db import database_unavailable
from bulletins.db.models import Person, Team
from bulletins.errors import BulletinsError
from bulletins.people import active_teams, is_staff, teams_of
from evaluation.facts.indicators import InvalidIndicator
from evaluation.facts.sheets import InvalidFacts

log = logging.getLogger(__name__)
T = TypeVar("T")


def teams_for(session: Session, person: Person, day: date) -> list[Team]:
    """The person's teams; for the programme team, every active team."""
    if is_staff(session, person, day):
        return active_teams(session, day)
    return teams_of(session, person, day)


def field_errors(error: BulletinsError, locale: str, first_block: str) -> dict[str, str]:
    """Each field's problem under its input; any other problem under the first one."""
    if isinstance(error, InvalidFacts | InvalidIndicator):
        return {field: translate(problem, locale) for field, problem in error.problems.items()}
    return {first_block: explain(error, locale) or ""}


def saved_or_errors(
    services: Services, ack: Ack, context: BoltContext, body: dict, save: Callable[[], T]
) -> T | None:
    """``save()``'s result; or None once the modal was told why (it stays open with what was
    typed, and its submission key is forgotten so that sending it again is not a repeat)."""
    blocks = body["view"].get("blocks") or []
    first_block = next((b.get("block_id") for b in blocks if b.get("type") == "input"), "")
    try:
        return save()
    except BulletinsError as error:
        dedup.release(services, context)
        locale = stored_locale(services, body["user"]["id"])
        ack(response_action="errors", errors=field_errors(error, locale, first_block))
    except Exception as error:
        if not database_unavailable(error):
            dedup.release(services, context)
            raise
        log.warning("the database did not answer a form submission: %s", error)
        text = dedup.database_down_text(services.settings.locale, form=True)
        ack(response_action="errors", errors={first_block: text})
        dedup.release(services, context)
    return None

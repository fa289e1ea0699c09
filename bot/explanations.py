"""What to tell a person about an error, in their language: the explanation of each domain
error, of a database that does not answer, and of a form Slack no longer lets the app
open. Used by the error handler, the forms' validation and filing's refusals alike."""

from __future__ import annotations

from bot.blocks.form_values import UnreadableForm, translate
from bot.command_text import UsageError
from bot.dedup import database_down_text
from bot.delivery.sending import error_code
from bulletins.cycle.bulletin import FormClosed, InvalidBulletin, Superseded
from bulletins.cycle.history import NoSuchTeam, TeamNotReadable
from bulletins.dates import format_moment
from bulletins.db import database_unavailable
from bulletins.errors import BulletinsError
from bulletins.i18n import gettext
from bulletins.mrkdwn import escape
from bulletins.names import FORMER_MEMBER
from bulletins.people import NotAllowed, UnknownPerson
from evaluation.facts.indicators import NotAnEditor


def explain(error: BaseException, locale: str) -> str | None:
    """What to tell the person about a domain error; None when the error is unexpected."""
    if database_unavailable(error):
        return database_down_text(locale)
    if isinstance(error, InvalidBulletin):
        return "\n".join(translate(problem, locale) for problem in error.problems.values())
    if isinstance(error, UsageError):
        return translate(error.problem, locale)
    if isinstance(error, UnreadableForm):
        return gettext(
            locale, "This form can no longer be read. Close it and type `/bulletin` again."
        )
    if isinstance(error, Superseded):
        priority = error.priority if len(error.priority) <= 80 else error.priority[:79] + "…"
        return gettext(
            locale,
            "Since you opened this form, %(name)s published your team's bulletin (%(when)s): "
            "“%(priority)s”. Your text is still here: copy it, close this form and type "
            "`/bulletin` to edit the published one.",
            name=error.by or gettext(locale, FORMER_MEMBER),
            when=format_moment(error.at, locale),
            priority=priority,
        )
    if isinstance(error, FormClosed):
        return gettext(
            locale,
            "This form is for a week that is now closed. Type `/bulletin` again to write "
            "this week's bulletin.",
        )
    if isinstance(error, TeamNotReadable):
        return gettext(
            locale,
            "You can read the bulletins of your own teams only, and *%(team)s* is not one of "
            "them. The programme team reads every team's.",
            team=escape(error.team_name),
        )
    if isinstance(error, NotAnEditor):
        return gettext(
            locale, "Only the team's mentors and the programme team change its indicators."
        )
    if isinstance(error, NotAllowed):
        return gettext(locale, "Only the fellows and mentors of a team can do this for it.")
    if isinstance(error, UnknownPerson):
        return gettext(
            locale,
            "Bulletins does not know you yet: you are not in the programme's roster. "
            "Ask the programme team to add you.",
        )
    if isinstance(error, NoSuchTeam):
        return gettext(
            locale,
            "No team is called “%(query)s”. Type `/bulletin history` to see the teams you "
            "can read.",
            query=escape(error.query),
        )
    if isinstance(error, BulletinsError):
        return gettext(locale, "That could not be done: %(reason)s", reason=escape(str(error)))
    if error_code(error) == "expired_trigger_id":
        return gettext(
            locale,
            "Slack gives three seconds to open a form, and Bulletins was too busy to do it in "
            "time. Please try again.",
        )
    return None

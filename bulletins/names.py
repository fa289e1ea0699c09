"""How a person is named wherever the product shows who did something: by their name, or as
"a former member" once their data was erased at their request (their team's bulletins stay)."""

from __future__ import annotations

from bulletins.db.models import Person
from bulletins.i18n import gettext

FORMER_MEMBER = "a former member"


def shown_name(person: Person, locale: str) -> str:
    if person.erased_at is not None:
        return gettext(locale, FORMER_MEMBER)
    return person.name

"""Publishing a person's Home tab."""

from __future__ import annotations

from bot.blocks.home import person_home, stranger_home
from bot.bootstrap import Services
from bot.locales import find_person, locale_of
from bulletins.home import contacts_for, home_page
from bulletins.people import is_staff
from bulletins.rendering import render


def home_for(services: Services, user_id: str) -> dict:
    """The Home tab ``user_id`` sees now."""
    now = services.clock()
    calendar = services.calendar
    with services.sessions.begin() as session:
        person = find_person(session, user_id)
        locale = locale_of(services, user_id, person)
        if person is None:
            return stranger_home(locale)
        page = home_page(session, calendar, person, now)
        no_team = None
        if not page.own and not page.cohorts:
            day = calendar.local(now).date()
            staff, contacts = is_staff(session, person, day), contacts_for(session, person, day)
            no_team = render("no_team", locale, staff=staff, contacts=contacts)
        return person_home(page, locale, calendar.local, no_team)


def publish_home(services: Services, user_id: str) -> None:
    services.slack.views_publish(user_id=user_id, view=home_for(services, user_id))

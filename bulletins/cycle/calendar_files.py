"""A key date of the digest as a calendar file (``.ics``), at a link nobody can guess.

The link names the bulletin and the day, signed with an HMAC keyed by the Slack signing
secret: without the secret, links cannot be made up nor walked through one by one. A
bulletin whose key date has changed since no longer answers at the old link.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy.orm import Session

from bulletins.config import Settings
from bulletins.db.models import Bulletin

ICS_PATH = "/ics/"
_TOKEN = re.compile(r"^(\d{1,12})-(\d{8})-([0-9a-f]{32})$")


def _signature(secret: str, bulletin_id: int, day: date) -> str:
    text = f"key-date:{bulletin_id}:{day.isoformat()}".encode()
    return hmac.new(secret.encode(), text, hashlib.sha256).hexdigest()[:32]


def token(secret: str, bulletin_id: int, day: date) -> str:
    return f"{bulletin_id}-{day:%Y%m%d}-{_signature(secret, bulletin_id, day)}"


def read_token(secret: str, value: str) -> tuple[int, date] | None:
    """The bulletin id and the day a token names, or None when it is not one we signed."""
    found = _TOKEN.match(value)
    if found is None:
        return None
    try:
        day = datetime.strptime(found[2], "%Y%m%d").date()
    except ValueError:
        return None
    bulletin_id = int(found[1])
    if not hmac.compare_digest(found[3], _signature(secret, bulletin_id, day)):
        return None
    return bulletin_id, day


def key_date_link(settings: Settings, bulletin_id: int | None, day: date) -> str | None:
    """The address of the key date's calendar file; None without a public address or a
    signing secret to sign it with."""
    secret, base = settings.slack.signing_secret, settings.public_url or settings.console.url
    if not secret or not base or bulletin_id is None:
        return None
    return f"{base.rstrip('/')}{ICS_PATH}{token(secret, bulletin_id, day)}.ics"


def key_date_calendar(session: Session, secret: str, value: str) -> bytes | None:
    """The calendar file of the key date a token names (``value``, without ``.ics``), or
    None when the token is forged or the bulletin no longer announces that date."""
    found = read_token(secret, value)
    if found is None:
        return None
    bulletin = session.get(Bulletin, found[0])
    if bulletin is None or bulletin.key_date != found[1]:
        return None
    day = bulletin.key_date
    calendar = Calendar()
    calendar.add("prodid", "-//Bulletins//Key dates//FR")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"key-date-{bulletin.id}-{day:%Y%m%d}@bulletins")
    event.add("dtstamp", bulletin.updated_at)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    label = bulletin.key_date_label or ""
    event.add("summary", f"{bulletin.team.name}: {label}" if label else bulletin.team.name)
    calendar.add_component(event)
    return calendar.to_ical()

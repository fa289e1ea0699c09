"""A key date of the digest, added to a calendar: the digest links a calendar file that the
app's own server serves, at a signed address nobody can make up."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from datetime import date

import pytest
from icalendar import Calendar

from bulletins.config import settings_from_dict
from tests.support.cycle import file, tick
from tests.support.programme import paris

DEADLINE = paris(2026, 3, 6, 15, 5)  # 2026-W10
PUBLIC = "https://bulletins.example.org"
LINK = re.compile(re.escape(PUBLIC) + r"(/ics/[^|>]+)\|ajouter à mon agenda>")


@pytest.fixture
def settings():
    return settings_from_dict(
        {
            "programme": {"public_url": PUBLIC},
            "channels": {"digest": "C0DIGEST", "announce": "C0ANNOUNCE", "staff": "C0STAFF"},
        }
    )


def fetch(workspace, path: str) -> tuple[int, bytes, str]:
    """GET ``path`` from the app's server, as the public address would reach it."""
    url = f"http://127.0.0.1:{workspace.server.port}{path}"
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status, answer.read(), answer.headers["Content-Type"]
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers["Content-Type"]


def key_date_links(workspace) -> list[str]:
    (post,) = workspace.standin.messages("C0DIGEST")
    text = "\n".join(b["text"]["text"] for b in post["blocks"] if b["type"] == "section")
    return LINK.findall(text)


def test_the_digests_key_date_downloads_as_a_calendar_event(workspace):
    file(workspace, "LexImpact", paris(2026, 3, 6, 11, 0), key_date=date(2026, 3, 10),
         key_date_label="Démo au cabinet")  # fmt: skip
    tick(workspace, DEADLINE)
    (path,) = key_date_links(workspace)

    status, body, kind = fetch(workspace, path)

    assert (status, kind) == (200, "text/calendar; charset=utf-8")
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert event.decoded("dtstart") == date(2026, 3, 10)
    assert str(event["summary"]) == "LexImpact: Démo au cabinet"


def test_a_forged_or_outdated_address_is_not_found(workspace):
    file(workspace, "LexImpact", paris(2026, 3, 6, 11, 0), key_date=date(2026, 3, 10),
         key_date_label="Démo au cabinet")  # fmt: skip
    tick(workspace, DEADLINE)
    (path,) = key_date_links(workspace)
    bulletin_id, day, signature = path.removeprefix("/ics/").removesuffix(".ics").split("-")

    forged = [
        f"/ics/{int(bulletin_id) + 1}-{day}-{signature}.ics",  # another bulletin
        f"/ics/{bulletin_id}-20260311-{signature}.ics",  # another day
        f"/ics/{bulletin_id}-{day}-{'0' * 32}.ics",
        f"/ics/{bulletin_id}-{day}.ics",
    ]
    assert [fetch(workspace, p)[0] for p in forged] == [404] * len(forged)
    # Once the team announces another date, the old address answers no more.
    file(workspace, "LexImpact", paris(2026, 3, 6, 16, 0), key_date=date(2026, 3, 12),
         key_date_label="Démo reportée")  # fmt: skip
    assert fetch(workspace, path)[0] == 404

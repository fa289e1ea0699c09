"""The programme team's page of a person's rights: a copy of their data, its erasure, as
``bulletins people export`` and ``bulletins people erase`` do them."""

from __future__ import annotations

import hmac
import logging

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from bulletins.db.models import Person
from bulletins.rights.erasure import clear_old_copies, erase_person
from bulletins.rights.export import person_data, to_json
from web.auth import staff_only
from web.downloads import download
from web.i18n import gettext as _
from web.services import services

log = logging.getLogger(__name__)

people = Blueprint("people", __name__)


def _person(db, slack_id: str) -> Person | None:
    if not slack_id:
        return None
    return db.scalar(
        select(Person).where(Person.slack_user_id == slack_id, Person.erased_at.is_(None))
    )


@people.get("/people")
@staff_only
def lookup():
    slack_id = (request.args.get("slack_id") or "").strip()
    with services().sessions() as db:
        person = _person(db, slack_id)
        found = (person.name, person.slack_user_id) if person else None
    return render_template("people.html", slack_id=slack_id, found=found)


@people.get("/people/<slack_id>/data.json")
@staff_only
def data(slack_id: str):
    """Everything the product holds about one person (their right of access)."""
    with services().sessions() as db:
        person = _person(db, slack_id)
        if person is None:
            abort(404)
        document = to_json(person_data(db, person))
    log.info("%s downloaded the data of %s", g.viewer.slack_user_id, slack_id)
    return download(document, f"{slack_id}.json", "application/json")


@people.post("/people/<slack_id>/erase")
@staff_only
def erase(slack_id: str):
    """Erase a person's data, once their Slack id is typed again to confirm."""
    confirmed = request.form.get("confirm", "").strip()
    if not hmac.compare_digest(confirmed.encode(), slack_id.encode()):
        flash(("error", _("Type the Slack id again to confirm: nothing was erased.")))
        return redirect(url_for("people.lookup", slack_id=slack_id))
    found = services()
    with found.sessions.begin() as db:
        erasure = erase_person(db, slack_id, found.clock(), found.settings.locale)
    if erasure.erased:
        clear_old_copies(found.engine)
    log.info("%s erased the data of %s", g.viewer.slack_user_id, slack_id)
    flash(("done", erasure.summary(g.locale)))
    return redirect(url_for("people.lookup"))

"""Finding bulletins: a team's week by week, words across many teams', key dates ahead.

The callers decide which teams a person may read (``bulletins.people.readable_teams``);
these functions read only the teams they are given.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from bulletins.db.models import Bulletin, HelpOffer, WeekExcuse

SEARCHED = (
    Bulletin.priority,
    Bulletin.ups_and_downs,
    Bulletin.help_request,
    Bulletin.key_date_label,
)


def fold(text: str | None) -> str:
    """``text`` as searched: case, accents and ligatures aside ("Délai" and "DELAI" match)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_bulletins(
    session: Session, team_ids: Sequence[int], words: str | None = None, limit: int = 200
) -> list[Bulletin]:
    """The bulletins of ``team_ids``, newest week first, at most ``limit``, with every word
    of ``words`` in one of their texts, case and accents aside. The words are matched here
    rather than in SQL, the same on SQLite and PostgreSQL: a programme's bulletins are a few
    thousand short texts."""
    if not team_ids:
        return []
    query = (
        select(Bulletin)
        .options(joinedload(Bulletin.team), joinedload(Bulletin.author))
        .where(Bulletin.team_id.in_(team_ids))
        .order_by(Bulletin.week.desc(), Bulletin.team_id)
    )
    wanted = [fold(word) for word in (words or "").split()]
    if not wanted:
        return list(session.scalars(query.limit(limit)))
    found = []
    for bulletin in session.scalars(query):
        text = " ".join(fold(getattr(bulletin, column.key)) for column in SEARCHED)
        if all(word in text for word in wanted):
            found.append(bulletin)
            if len(found) == limit:
                break
    return found


def excused_weeks(session: Session, team_ids: Sequence[int]) -> list[WeekExcuse]:
    """The weeks ``team_ids`` were excused from writing, newest first."""
    if not team_ids:
        return []
    query = (
        select(WeekExcuse)
        .options(joinedload(WeekExcuse.team))
        .where(WeekExcuse.team_id.in_(team_ids))
        .order_by(WeekExcuse.week.desc())
    )
    return list(session.scalars(query))


def key_dates_ahead(session: Session, team_ids: Sequence[int], today: date) -> list[Bulletin]:
    """The bulletins of ``team_ids`` that name a key date from ``today`` on, soonest first."""
    if not team_ids:
        return []
    query = (
        select(Bulletin)
        .options(joinedload(Bulletin.team))
        .where(Bulletin.team_id.in_(team_ids), Bulletin.key_date >= today)
        .order_by(Bulletin.key_date, Bulletin.team_id)
    )
    return list(session.scalars(query))


def help_requests(session: Session, weeks: Sequence[str]) -> list[tuple[Bulletin, list[HelpOffer]]]:
    """Every bulletin of ``weeks`` asking for help, newest first, with the offers it got."""
    query = (
        select(Bulletin)
        .options(joinedload(Bulletin.team))
        .where(Bulletin.week.in_(list(weeks)), Bulletin.help_request.is_not(None))
        .order_by(Bulletin.week.desc(), Bulletin.team_id)
    )
    found = [b for b in session.scalars(query) if (b.help_request or "").strip()]
    offers: dict[int, list[HelpOffer]] = {b.id: [] for b in found}
    if found:
        for offer in session.scalars(
            select(HelpOffer).where(HelpOffer.bulletin_id.in_(offers)).order_by(HelpOffer.at)
        ):
            offers[offer.bulletin_id].append(offer)
    return [(bulletin, offers[bulletin.id]) for bulletin in found]

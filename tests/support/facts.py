"""A small programme with a facts sheet, for the facts and indicators tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from bulletins.db.models import Cohort, Membership, Person, StaffMember, Team


def make_programme(session: Session) -> Programme:
    cohort = Cohort(name="EIG 3", starts_on=date(2026, 1, 5), ends_on=date(2027, 6, 30))
    teams = [Team(cohort=cohort, name=n, slug=n.lower()) for n in ("LexImpact", "CartoBio")]
    people = {n: Person(slack_user_id=f"U{i:010d}", name=n) for i, n in enumerate("ABCDEFG")}
    session.add_all([cohort, *teams, *people.values()])
    fellows, mentors = [people["A"], people["B"]], [people["C"], people["D"]]
    for role, members in (("fellow", fellows), ("mentor", mentors)):
        session.add_all(
            Membership(person=p, team=t, role=role, since=cohort.starts_on)
            for p, t in zip(members, teams, strict=True)
        )
    session.add(StaffMember(person=people["E"], cohort=cohort, since=cohort.starts_on))
    session.flush()
    return Programme(session, teams, fellows, mentors, people["E"], people["F"])


@dataclass
class Programme:
    """One cohort, two teams each with a fellow and a mentor, one staff member, a stranger."""

    session: Session
    teams: list[Team]
    fellows: list[Person]
    mentors: list[Person]
    staff: Person
    stranger: Person

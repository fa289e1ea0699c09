"""A roster file's problems read in French on the console, in English on the command line."""

from __future__ import annotations

import pytest

from bulletins.errors import RosterError, filled
from bulletins.i18n import translations
from bulletins.roster.csv_file import parse_roster

HEADER = "cohort,team,role,name,slack_user_id,email\n"
BAD_FILES = [
    "cohort;team;role;name;slack_user_id\nEIG 3;A;fellow;Zoé;UWG7U498MB0\n",
    "cohort,team,role,name,slack_user_id,color,name\nEIG 3,A,fellow,Zoé,U1,x,y\n",
    HEADER,
    HEADER + "EIG 3,A,fellow,Zoé\n",
    HEADER + ",,,,,\n,,fellow,,,\n",
    HEADER + "EIG 3,A,juggler,Zoé,UZOE,zoe@\n",
    HEADER + "EIG 3,A,staff,Zoé,UWG7U498MB0,\nEIG 3,---,fellow,Léa,UWG7U498MB1,\n",
    HEADER
    + "EIG 3,A,fellow,Zoé,UWG7U498MB0,a@b.fr\nEIG 3,A,fellow,Zoé,UWG7U498MB0,a@b.fr\n"
    + "EIG 3,a,mentor,Zoë,UWG7U498MB0,c@d.fr\n",
]


@pytest.mark.parametrize("text", BAD_FILES)
def test_each_problem_of_a_roster_file_has_its_french_message(text):
    with pytest.raises(RosterError) as raised:
        parse_roster(text, "roster.csv")
    french = translations("fr")
    for problem in raised.value.problems:
        assert problem.parts, problem.reason
        assert problem.reason == "; ".join(filled(part) for part in problem.parts)
        for message, _params in problem.parts:
            assert french.gettext(message) != message, message

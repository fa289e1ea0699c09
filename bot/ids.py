"""Every action, block and callback id of the app, in one place.

Core messages name their buttons' actions with these same strings (see
``bulletins.messages.Button``), so a button composed by a job reaches the right listener.
"""

# Buttons
OPEN_FORM = "open_form"  # value: team id, or "" to pick a team
PICK_TEAM = "pick_team"
EXCUSE_WEEK = "excuse_week"  # value: team id
SNOOZE_REMINDER = "snooze_reminder"  # under a reminder; value: team id
OFFER_HELP = "offer_help"  # under a help request in the digest; value: the bulletin's id

# Modals (callback ids)
BULLETIN_VIEW = "bulletin_form"
TEAM_PICKER_VIEW = "team_picker"
EXCUSE_VIEW = "excuse_form"

# Blocks and inputs of the bulletin form: block id = field name, action id = "<field>_input"
MOOD = "mood"
PRIORITY = "priority"
UPS_AND_DOWNS = "ups_and_downs"
HELP_REQUEST = "help_request"
KEY_DATE = "key_date"
KEY_DATE_LABEL = "key_date_label"
REASON = "reason"
TEAM = "team"


def input_id(block_id: str) -> str:
    return f"{block_id}_input"


# The slash command and what its modals are opened for (carried in the picker's metadata)
COMMAND = "/bulletin"
FOR_FORM = "form"
FOR_EXCUSE = "excuse"
NOTICE_VIEW = "notice"


def team_block(team_id: int) -> str:
    """The block id of a team's line in the picker or the Home tab."""
    return f"{TEAM}_{team_id}"


# Surveys (see bot/listeners/surveys.py). Invitations and pulses are composed by the core
# with these same action ids.
SURVEY_ANSWER = "survey_answer"  # value: campaign id
SURVEY_PULSE = "survey_pulse"  # value: "<campaign id>:<question id>:<answer value>"
SURVEY_VIEW = "survey_page"  # a questionnaire page; metadata: campaign id and page index
SURVEY_CHANGE_VIEW = "survey_change"  # "you have answered: change your answers?"
SURVEY_INPUT = "survey_input"  # every input of a questionnaire page

# Team facts and indicators (bot/listeners/facts.py, bot/listeners/indicators.py)
FOR_FACTS = "facts"
FOR_INDICATORS = "indicators"
EVALUATION_PICKER_VIEW = "evaluation_team_picker"
EVALUATION_PICK_TEAM = "evaluation_pick_team"  # value: "<facts|indicators>:<team id>"
FACTS_VIEW = "facts_form"  # metadata: team id; block id = field name, action id = input_id
INDICATORS_VIEW = "indicators_list"  # metadata: team id
INDICATOR_ADD = "indicator_add"  # button in the list; value: team id
INDICATOR_MEASURE = "indicator_measure"  # button in the list; value: team id
INDICATOR_ARCHIVE = "indicator_archive"  # button on an indicator; value: team id:indicator id
INDICATOR_ADD_VIEW = "indicator_add_form"  # metadata: team id, the list's view id
INDICATOR_VALUE_VIEW = "indicator_value_form"  # metadata: team id, the list's view id

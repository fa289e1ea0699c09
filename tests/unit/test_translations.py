"""Every message the product shows has its French translation."""

from pathlib import Path

from babel.messages.extract import extract_from_dir

from bulletins.i18n import ngettext, translations

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": (2,), "ngettext": (2, 3), "Problem": (1,)}
METHODS = [
    ("**/templates/**.j2", "jinja2"),
    ("**/templates/**.html", "jinja2"),  # the web console's
    ("**.py", "python"),
]


def extracted_messages() -> dict[str, str]:
    found = {}
    for package in ("bulletins", "evaluation", "bot", "web"):
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / package,
            method_map=METHODS,
            keywords=KEYWORDS,
            options_map={
                "**/templates/**.j2": {"extensions": "jinja2.ext.i18n"},
                "**/templates/**.html": {"extensions": "jinja2.ext.i18n"},
            },
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            if msgid:
                found[msgid] = f"{package}/{filename}:{lineno}"
    return found


def test_every_message_has_a_french_translation():
    french = translations("fr")
    missing = [
        f"{where}: {msgid!r}"
        for msgid, where in extracted_messages().items()
        if french.gettext(msgid) == msgid
    ]
    assert missing == [], "\n".join(missing)


def test_the_extraction_sees_templates_and_code():
    where = set(extracted_messages().values())
    assert any("templates" in w for w in where)
    assert any(w.endswith(".py", 0, w.rindex(":")) for w in where)


def test_french_plurals_follow_the_catalog_rule():

    texts = [ngettext("fr", "%(num)s team", "%(num)s teams", n) for n in (0, 1, 2, 15)]
    assert texts == ["0 équipe", "1 équipe", "2 équipes", "15 équipes"]
    assert ngettext("en", "%(num)s team", "%(num)s teams", 0) == "0 teams"

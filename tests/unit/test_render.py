"""Slack's mrkdwn and Block Kit, rendered as a person would read them in Slack."""

from __future__ import annotations

import pytest

from bot.demo.screens.blocks import blocks_html, blocks_markdown
from bot.demo.screens.conversations import conversations, home_tabs
from bot.demo.screens.mrkdwn_parser import md_escape, to_html, to_markdown
from bot.demo.screens.pages import Labels, conversation_html, conversation_markdown
from bot.standin.web_api import Call

NAMES = {"U0CAMILLE1": "Camille Martin", "C0DIGEST": "bulletins"}


@pytest.mark.parametrize(
    ("mrkdwn", "html"),
    [
        (
            "*gras* _italique_ ~barré~",
            "<p><strong>gras</strong> <em>italique</em> <del>barré</del></p>",
        ),
        ("`*pas* en gras`", "<p><code>*pas* en gras</code></p>"),
        ("snake_case_name et 2*3*4", "<p>snake_case_name et 2*3*4</p>"),
        ("* pas gras *", "<p>* pas gras *</p>"),
        (
            "*gras avec _italique_ dedans*",
            "<p><strong>gras avec <em>italique</em> dedans</strong></p>",
        ),
        ("R&amp;D &lt;3 &gt; 2", "<p>R&amp;D &lt;3 &gt; 2</p>"),
        ("&amp;lt; reste", "<p>&amp;lt; reste</p>"),
        ("ligne 1\nligne 2", "<p>ligne 1<br>ligne 2</p>"),
        ("un\n\ndeux", "<p>un</p>\n<p>deux</p>"),
        (":memo: :inconnu:", "<p>📝 :inconnu:</p>"),
    ],
)
def test_mrkdwn_to_html(mrkdwn, html):
    assert to_html(mrkdwn) == html


def test_slack_escapes_display_as_characters_and_are_escaped_again_in_html():
    html = to_html("a &lt;script&gt;alert(1)&lt;/script&gt; &amp; b")
    assert "<script>" not in html
    assert html == "<p>a &lt;script&gt;alert(1)&lt;/script&gt; &amp; b</p>"
    assert to_markdown("a &lt;b&gt; &amp; c") == r"a \<b\> & c"


def test_raw_html_in_text_is_escaped_not_rendered():
    assert (
        to_html('<img src=x onerror="alert(1)">x')
        == "<p>img src=x onerror=&quot;alert(1)&quot;x</p>"
    )
    assert "<b>" not in to_html("<b>bold</b>")


def test_links_with_and_without_label():
    assert to_html("<https://beta.gouv.fr|beta &amp; co>") == (
        '<p><a href="https://beta.gouv.fr" rel="noopener noreferrer">beta &amp; co</a></p>'
    )
    assert to_html("<https://a.fr/?x=1&amp;y=2>") == (
        '<p><a href="https://a.fr/?x=1&amp;y=2" rel="noopener noreferrer">'
        "https://a.fr/?x=1&amp;y=2</a></p>"
    )
    assert to_markdown("<https://beta.gouv.fr|beta>") == "[beta](<https://beta.gouv.fr>)"


def test_a_link_to_a_script_is_shown_as_text_only():
    assert to_html("<javascript:alert(1)|clic>") == "<p>clic</p>"
    assert to_markdown("<javascript:alert(1)|clic>") == "clic"


def test_a_quoted_attribute_cannot_break_out_of_the_href():
    html = to_html('<https://x.fr/"onmouseover="alert(1)|x>')
    assert 'href="https://x.fr/&quot;onmouseover=&quot;alert(1)"' in html


def test_mentions_show_names():
    text = "<@U0CAMILLE1> <@UNKNOWN1> <#C0DIGEST> <!here> <!subteam^S1|@equipe>"
    assert to_html(text, NAMES) == (
        '<p><span class="mention">@Camille Martin</span> <span class="mention">@UNKNOWN1</span> '
        '<span class="mention">#bulletins</span> <span class="mention">@here</span> '
        '<span class="mention">@equipe</span></p>'
    )
    assert to_markdown("<@U0CAMILLE1>", NAMES) == "**@Camille Martin**"


def test_a_name_holding_markup_is_escaped():
    assert to_html("<@U1>", {"U1": "<b>Eve</b>"}) == (
        '<p><span class="mention">@&lt;b&gt;Eve&lt;/b&gt;</span></p>'
    )


def test_quotes_raw_escaped_and_rest_of_message():
    assert to_html(">un\n&gt; deux\napres") == "<blockquote>un<br>deux</blockquote>\n<p>apres</p>"
    assert to_html(">>> tout\nle reste") == "<blockquote>tout<br>le reste</blockquote>"
    assert to_markdown(">un\n>deux") == "> un  \n> deux"


def test_preformatted_blocks_are_not_formatted():
    assert to_html("avant\n```\n*x* &lt;y&gt;\n```") == (
        '<p>avant</p>\n<pre class="mrkdwn-pre">*x* &lt;y&gt;</pre>'
    )
    assert to_markdown("```\n*x*\n```") == "```\n*x*\n```"


def test_markdown_output_escapes_the_persons_markup():
    assert to_markdown("*gras* _it_ ~s~ `c`") == "**gras** _it_ ~~s~~ `c`"
    assert md_escape("a*b_c[d](e)<f>") == r"a\*b\_c\[d\](e)\<f\>"


BLOCKS = [
    {"type": "header", "text": {"type": "plain_text", "text": "Bulletins <2026-W10>"}},
    {
        "type": "section",
        "text": {"type": "mrkdwn", "text": ":sos: *Demandes d'aide*"},
        "accessory": {"type": "button", "text": {"type": "plain_text", "text": "Aider"}},
    },
    {"type": "divider"},
    {
        "type": "actions",
        "elements": [
            {"type": "button", "style": "primary", "text": {"type": "plain_text", "text": "Écrire"}}
        ],
    },
    {"type": "context", "elements": [{"type": "mrkdwn", "text": "_17 équipes_"}]},
    {"type": "video", "title": "?"},
]


def test_blocks_as_html():
    html = blocks_html(BLOCKS, NAMES)
    assert '<div class="bk-header">Bulletins &lt;2026-W10&gt;</div>' in html
    assert "🆘 <strong>Demandes d&#x27;aide</strong>" in html
    assert '<span class="bk-button">Aider</span>' in html
    assert '<span class="bk-button bk-primary">Écrire</span>' in html
    assert '<div class="bk-context">' in html and "<em>17 équipes</em>" in html
    assert '<hr class="bk-divider">' in html
    assert "[video]" in html


def test_blocks_as_markdown():
    markdown = blocks_markdown(BLOCKS, NAMES)
    assert markdown.startswith("### Bulletins \\<2026-W10\\>")
    assert "🆘 **Demandes d'aide**" in markdown
    assert "**[ Écrire ]**" in markdown
    assert "---" in markdown


def _call(method: str, args: dict, response: dict, ok: bool = True) -> Call:
    return Call(method, args, 200, {"ok": ok, **response}, 0.0)


def _post(channel: str, ts: str, text: str, thread_ts: str | None = None) -> Call:
    args = {"channel": channel, "text": text, "thread_ts": thread_ts}
    return _call("chat.postMessage", args, {"channel": channel, "ts": ts})


def test_threads_are_shown_under_their_parent_and_edits_applied():
    calls = [
        _post("C0DIGEST", "1.1", "digest"),
        _post("D0CAMILLE", "1.2", "rappel"),
        _post("C0DIGEST", "1.3", "en retard : *Plume*", thread_ts="1.1"),
        _call("chat.update", {"channel": "C0DIGEST", "ts": "1.1", "text": "digest v2"},
              {"channel": "C0DIGEST", "ts": "1.1"}),
        _call("chat.postMessage", {"channel": "C0DIGEST", "text": "refused"}, {}, ok=False),
    ]  # fmt: skip
    found = conversations(calls)
    assert [c.channel for c in found] == ["C0DIGEST", "D0CAMILLE"]
    digest = found[0].messages
    assert [m.text for m in digest] == ["digest v2"]
    assert [r.text for r in digest[0].replies] == ["en retard : *Plume*"]
    labels = Labels(
        app="Bulletins", replies=lambda n: f"{n} réponse(s)", back="Retour", when=lambda i: f"t{i}"
    )
    html = conversation_html("#bulletins", found[0], NAMES, labels)
    assert (
        html.index("digest v2") < html.index("1 réponse(s)") < html.index("<strong>Plume</strong>")
    )
    assert '<div class="thread">' in html
    markdown = conversation_markdown("#bulletins", found[0], NAMES, labels)
    assert "> en retard : **Plume**" in markdown


def test_home_tabs_keep_the_last_view_published_for_each_user():
    calls = [
        _call("views.publish", {"user_id": "U1", "view": {"type": "home", "blocks": [1]}}, {}),
        _call("views.publish", {"user_id": "U1", "view": {"type": "home", "blocks": [2]}}, {}),
    ]
    assert home_tabs(calls) == {"U1": {"type": "home", "blocks": [2]}}


def test_a_file_uploaded_in_a_thread_shows_as_its_image_with_its_alt_text():
    file = {"id": "F1", "name": "monthly-2026-03-mood.png", "title": "Humeur, mars 2026"}
    calls = [
        _post("C0STAFF", "1.1", "synthèse du mois"),
        _call("files.getUploadURLExternal", {"filename": file["name"], "alt_txt": "2,9 puis 2,4"},
              {"file_id": "F1", "upload_url": "http://x/F1"}),
        _call("files.completeUploadExternal", {"channel_id": "C0STAFF", "thread_ts": "1.1"},
              {"files": [{**file, "channels": ["C0STAFF"], "ims": [], "groups": []}]}),
    ]  # fmt: skip
    (staff,) = conversations(calls)
    (reply,) = staff.messages[0].replies
    assert [(f.name, f.title, f.alt) for f in reply.files] == [
        ("monthly-2026-03-mood.png", "Humeur, mars 2026", "2,9 puis 2,4")
    ]
    labels = Labels(app="Bulletins", replies=str, back="Retour", when=lambda i: "")
    html = conversation_html("#equipe-programme", staff, NAMES, labels)
    assert '<img src="monthly-2026-03-mood.png" alt="2,9 puis 2,4">' in html
    markdown = conversation_markdown("#equipe-programme", staff, NAMES, labels)
    assert "![2,9 puis 2,4](<monthly-2026-03-mood.png>)" in markdown

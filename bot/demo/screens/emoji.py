"""Slack's ``:shortcode:`` emoji as characters, for the few the product writes.

Unknown shortcodes stay as typed, as Slack shows a custom emoji it does not know.
"""

from __future__ import annotations

import re

EMOJI = {
    "memo": "📝", "spiral_note_pad": "🗒️", "calendar": "📆", "date": "📅",
    "spiral_calendar_pad": "🗓️", "sos": "🆘", "raising_hand": "🙋", "hand": "✋",
    "wave": "👋", "bell": "🔔", "alarm_clock": "⏰", "hourglass": "⌛",
    "hourglass_flowing_sand": "⏳", "warning": "⚠️", "white_check_mark": "✅",
    "heavy_check_mark": "✔️", "x": "❌", "tada": "🎉", "rocket": "🚀", "sparkles": "✨",
    "newspaper": "📰", "pushpin": "📌", "round_pushpin": "📍", "dart": "🎯", "bulb": "💡",
    "speech_balloon": "💬", "thread": "🧵", "zzz": "💤", "palm_tree": "🌴",
    "clipboard": "📋", "bar_chart": "📊", "chart_with_upwards_trend": "📈",
    "busts_in_silhouette": "👥", "bust_in_silhouette": "👤", "email": "📧",
    "envelope": "✉️", "inbox_tray": "📥", "mailbox": "📫", "pencil": "📝",
    "pencil2": "✏️", "lock": "🔒", "eyes": "👀", "thumbsup": "👍", "+1": "👍",
    "heart": "❤️", "fire": "🔥", "question": "❓", "exclamation": "❗",
    "information_source": "ℹ️", "slightly_smiling_face": "🙂", "smiley": "😃",
    "grinning": "😀", "neutral_face": "😐", "white_frowning_face": "☹️",
    "disappointed": "😞", "confused": "😕", "new": "🆕", "house": "🏠", "clock3": "🕒",
    "mag": "🔍", "link": "🔗", "page_facing_up": "📄", "arrow_right": "➡️",
    "thermometer": "🌡️", "rotating_light": "🚨",
}  # fmt: skip
_SHORTCODE = re.compile(r":([a-z0-9_+\-]+):")


def emojize(text: str) -> str:
    """Replace the known ``:shortcodes:`` of ``text`` by their emoji."""
    return _SHORTCODE.sub(lambda m: EMOJI.get(m[1], m[0]), text)

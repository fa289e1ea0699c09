"""The mistakes a French reader notices at once, looked for in what the product writes."""

from __future__ import annotations

import re

MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
MISTAKES = {
    "no elision before a vowel": re.compile(r"\b(?:de|que|jusque) \*?[AEIOUYÉÈÊÀÂaeiouyéèêàâ]"),
    "the first of a month written as a cardinal": re.compile(rf"(?<![\d,.])1 (?:{MONTHS})\b"),
    "an ISO week code": re.compile(r"\b\d{4}-W\d{2}\b"),
    # A version number ("Licence version 2.0") keeps its point.
    "a decimal point": re.compile(r"(?<![\w.])(?<!version )\d+\.\d+(?![\d.])(?! ?[A-Za-z])"),
}


def french_mistakes(text: str) -> list[str]:
    """Each mistake found, with the words around it."""
    found = []
    for name, pattern in MISTAKES.items():
        for match in pattern.finditer(text):
            around = text[max(match.start() - 30, 0) : match.end() + 30].replace("\n", " ")
            found.append(f"{name}: …{around}…")
    return found

"""Small text helpers shared by the crawler and the bot."""

from __future__ import annotations

TRAILING = " ,.;:-–"


def clip(text: str | None, limit: int, trailing: str = TRAILING) -> str:
    """Whitespace folded; cut at a word boundary (when one is in the last 40%) and '…' added when
    longer than ``limit``; ``trailing`` characters are dropped before the '…'."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(trailing) + "…"

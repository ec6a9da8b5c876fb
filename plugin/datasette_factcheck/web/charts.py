"""The dashboard's charts as data for HTML and CSS (factcheck_dashboard.html).

Bars are boxes whose lengths are percentages, so they reflow at any width
and every label stays text at the page's own size: an SVG scaled down to a
phone shrinks its text with it. No scripts, nothing fetched. Each chart is a
list of rows (a bar, or a day's column) made of parts; every part is a link
to what it counts, with its number in words (``title``) for the mouse and
screen readers. Labels are escaped by the template, as any user data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

Chart = list[dict[str, Any]]
OTHERS_COLOUR = "#bbbbbb"
# Okabe-Ito, colour-blind safe; editors past the eighth share OTHERS_COLOUR.
EDITOR_COLOURS = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#000000")


class Part(NamedTuple):
    label: str
    value: int
    href: str
    colour: str


def _percent(value: int, whole: int) -> str:
    return f"{100 * value / whole:.2f}%" if whole else "0%"


def _part(part: Part, whole: int, title: str) -> dict[str, Any]:
    return {**part._asdict(), "size": _percent(part.value, whole), "title": title}


def bars(parts: Sequence[Part]) -> Chart:
    """One bar per part, on a shared scale: the largest fills its box."""
    peak = max((part.value for part in parts), default=0)
    return [
        {
            "label": part.label,
            "href": part.href,
            "total": part.value,
            "parts": [_part(part, peak, f"{part.label}: {part.value:,}")] if part.value else [],
        }
        for part in parts
    ]


def stacked(label: str, href: str, parts: Sequence[Part]) -> dict[str, Any]:
    """One whole split into its parts (empty parts are not drawn): how far along, not how big."""
    total = sum(part.value for part in parts)
    return {
        "label": label,
        "href": href,
        "total": total,
        "parts": [
            _part(part, total, f"{label}: {part.label} {part.value:,} of {total:,} ({part.value / total:.0%})")
            for part in parts
            if part.value
        ],
    }


def columns(days: Sequence[tuple[str, str, Sequence[Part]]]) -> Chart:
    """A column per (label, href, parts) on a shared scale, its parts stacked:
    the busiest column fills the box's height."""
    totals = [sum(part.value for part in parts) for _, _, parts in days]
    peak = max(totals, default=0)
    return [
        {
            "label": label,
            "href": href,
            "total": total,
            "parts": [_part(part, peak, f"{label}: {part.label} {part.value:,}") for part in parts if part.value],
        }
        for (label, href, parts), total in zip(days, totals, strict=True)
    ]


def editor_colours(names: Sequence[Any]) -> dict[Any, str]:
    """A colour per editor, busiest first, fixed for the page."""
    return {
        name: EDITOR_COLOURS[index] if index < len(EDITOR_COLOURS) else OTHERS_COLOUR
        for index, name in enumerate(names)
    }

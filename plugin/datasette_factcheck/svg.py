"""Charts as inline SVG markup: no scripts, no external fonts or files, since
newsrooms run the dashboard offline.

Pure functions from numbers to ``markupsafe.Markup``. Every label, link and
colour passes through ``escape``: titles and assignee names are user data.
Each chart is a ``role="group"`` named by its <title> and <desc>; each bar
or segment is a link whose own <title> gives its number in words (a tooltip
for the mouse, a name for screen readers). The page prints every number as
text as well.
"""

from __future__ import annotations

import math
from typing import NamedTuple, Sequence

from markupsafe import Markup, escape

FONT = "system-ui, sans-serif"  # generic families: nothing to download
LABEL_CHARS = 26
AXIS_COLOUR = "#555"
EMPTY_COLOUR = "#eee"


class Bar(NamedTuple):
    """One column: ``label`` on the axis, ``tooltip`` names it in full."""

    label: str
    value: int
    href: str
    tooltip: str


class Segment(NamedTuple):
    label: str
    value: int
    href: str
    colour: str


class StackedRow(NamedTuple):
    label: str
    href: str  # the row's total
    segments: Sequence[Segment]


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _number(value: float) -> str:
    # Coordinates: two decimals are plenty, and keep the markup small.
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _open_svg(chart_id: str, title: str, description: str, width: int, height: int) -> str:
    chart_id = escape(chart_id)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fc-chart" role="group" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {width} {height}" '
        f'width="100%" style="max-width: {width}px" font-family="{FONT}" font-size="12">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
    )


def _link(href: str, count: int, tooltip: str, shapes: str) -> str:
    """A link around ``shapes``; data-count lets checks follow it and compare."""
    return f'<a href="{escape(href)}" data-count="{count}"><title>{escape(tooltip)}</title>{shapes}</a>'


def _rect(x: float, y: float, width: float, height: float, fill: str, extra: str = "") -> str:
    return (f'<rect x="{_number(x)}" y="{_number(y)}" width="{_number(width)}" height="{_number(height)}" '
            f'fill="{escape(fill)}"{extra}/>')


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{_number(x)}" y="{_number(y)}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


# --- columns: one value per day -----------------------------------------------------


def column_chart(bars: Sequence[Bar], *, chart_id: str, title: str, description: str, colour: str = "#2b6cb0",
                 width: int = 720, height: int = 200) -> Markup:
    """Vertical bars on a shared scale, axis labels on a few of them."""
    left, right, top, bottom = 36, 24, 12, 28
    plot_width, plot_height = width - left - right, height - top - bottom
    slot = plot_width / max(len(bars), 1)
    peak = max((bar.value for bar in bars), default=0)
    scale = plot_height / max(peak, 1)
    parts = [_open_svg(chart_id, title, description, width, height), _axes(left, top, plot_width, plot_height, peak)]
    labelled = _labelled(len(bars))
    for index, bar in enumerate(bars):
        x = left + index * slot
        bar_height = bar.value * scale
        # A full-height transparent target: days with few or no changes stay easy to point at.
        shapes = _rect(x, top, slot, plot_height, "transparent") + _rect(
            x + slot * 0.1, top + plot_height - bar_height, slot * 0.8, bar_height, colour)
        parts.append(_link(bar.href, bar.value, bar.tooltip, shapes))
        if index in labelled:
            parts.append(_text(x + slot / 2, height - 10, bar.label, "middle", ' aria-hidden="true"'))
    parts.append("</svg>")
    return Markup("".join(parts))


def _labelled(count: int, labels: int = 6) -> set[int]:
    """Which bars get an axis label: about ``labels`` evenly spaced, always
    the last, and none so close to the last that the two would overlap."""
    every = max(1, math.ceil(count / labels))
    evenly = {index for index in range(0, count, every) if count - 1 - index >= every / 2}
    return evenly | ({count - 1} if count else set())


def _axes(left: float, top: float, plot_width: float, plot_height: float, peak: int) -> str:
    baseline = top + plot_height
    return (
        f'<g aria-hidden="true" fill="{AXIS_COLOUR}">'
        + _rect(left, baseline, plot_width, 1, AXIS_COLOUR)
        + _rect(left, top, plot_width, 0.5, "#ccc")
        + _text(left - 4, top + 4, f"{peak:,}", "end")
        + _text(left - 4, baseline, "0", "end")
        + "</g>"
    )


# --- stacked rows: parts of a whole per row --------------------------------------------


def stacked_bars(rows: Sequence[StackedRow], legend: Sequence[tuple[str, str]], *, chart_id: str, title: str,
                 description: str, width: int = 720, label_width: int = 200, row_height: int = 24) -> Markup:
    """A 100% bar per row, split into segments, with the row's total at its end.

    ``legend`` is (label, colour) pairs. Proportions rather than lengths: the
    chart answers "how far along is each one", the tables give the sizes.
    """
    total_width = 64
    bar_width = width - label_width - total_width
    legend_markup, legend_height = _legend(legend, width)
    height = legend_height + row_height * max(len(rows), 1) + 4
    parts = [_open_svg(chart_id, title, description, width, height), legend_markup]
    for index, row in enumerate(rows):
        parts.append(_stacked_row(row, legend_height + index * row_height, row_height, label_width, bar_width))
    parts.append("</svg>")
    return Markup("".join(parts))


def _stacked_row(row: StackedRow, y: float, row_height: int, label_width: int, bar_width: int) -> str:
    total = sum(segment.value for segment in row.segments)
    middle = y + row_height / 2 + 4
    parts = [_text(label_width - 8, middle, _short(row.label), "end", ' aria-hidden="true"')]
    parts.append(_rect(label_width, y + 3, bar_width, row_height - 6, EMPTY_COLOUR, ' aria-hidden="true"'))
    x = float(label_width)
    for segment in row.segments:
        if not segment.value:
            continue
        share = segment.value / total
        tooltip = f"{row.label}: {segment.label} {segment.value:,} of {total:,} ({share:.0%})"
        shape = _rect(x, y + 3, share * bar_width, row_height - 6, segment.colour)
        parts.append(_link(segment.href, segment.value, tooltip, shape))
        x += share * bar_width
    total_text = _text(label_width + bar_width + 6, middle, f"{total:,}")
    parts.append(_link(row.href, total, f"{row.label}: {total:,} claims", total_text))
    return "".join(parts)


def _legend(items: Sequence[tuple[str, str]], width: int) -> tuple[str, int]:
    """Swatches and labels in lines across the top; returns markup and height."""
    parts, x, y = ['<g aria-hidden="true">'], 0.0, 0
    for label, colour in items:
        item_width = 16 + 7 * len(label) + 14  # about 7px a character at 12px
        if x and x + item_width > width:
            x, y = 0.0, y + 18
        parts.append(_rect(x, y + 3, 11, 11, colour) + _text(x + 16, y + 13, label))
        x += item_width
    parts.append("</g>")
    return "".join(parts), (y + 24 if items else 0)

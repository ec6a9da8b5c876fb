"""CSV text written a column at a time, byte for byte as ``csv.writer`` writes
it, with cells that would run as spreadsheet formulas made text.

Why not ``csv.writer``: it looks at every character of every cell in Python's
per-row loop, about 3 us a row for the review sheet, more than SQLite takes
to read the row. Here each column is checked once with C-level string
searches (a join and ``in``), and only a column that holds a cell needing
something (quotes, a leading ') is gone through cell by cell. The review
sheet's columns mostly need nothing: the claim text has commas, the rest is
ids, names, labels and numbers.

The rules (Python's ``csv`` module, excel dialect, QUOTE_MINIMAL, which
wrote the sheet before; tests/test_export_sheet_bytes.py holds both to the
same bytes):
- None is an empty cell; a number is ``str()`` of it; anything else not text
  (a blob) is ``str()`` of it too;
- a cell with a comma, a double quote, CR or LF is quoted, its quotes doubled;
- a text cell (only text: not a number) starting with = + - @ tab or CR gets a
  leading ', as OWASP recommends against CSV injection (=HYPERLINK(...) runs
  when the sheet is opened).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

FORMULA_FIRST = frozenset("=+-@\t\r")
_QUOTE_CHARS = (",", '"', "\r", "\n")
_SEPARATOR = "\x00"
# A formula-looking start anywhere but the first cell; a NUL inside a cell can
# only make this find more, and then the column is gone through cell by cell.
_FORMULA_AFTER = re.compile("\x00[=+\\-@\t\r]")
_NONE_EMPTY = {None: ""}
_NUMBERS = frozenset((int, float))


def _quoted(text: str) -> str:
    if '"' in text:
        return '"' + text.replace('"', '""') + '"'
    if "," in text or "\n" in text or "\r" in text:
        return '"' + text + '"'
    return text


def cell_text(value: Any) -> str:
    """One cell as it appears in the CSV: the rules above, for one value."""
    if value is None:
        return ""
    if value.__class__ is str:
        return _quoted("'" + value if value[:1] in FORMULA_FIRST else value)
    return _quoted(str(value))


def _text_cells(values: Sequence[str]) -> Sequence[str]:
    """A column of text only: the rules, cell by cell only where the joined
    column shows a cell needs them."""
    joined = _SEPARATOR.join(values)
    if joined[:1] in FORMULA_FIRST or _FORMULA_AFTER.search(joined):
        first = FORMULA_FIRST
        values = ["'" + value if value[:1] in first else value for value in values]
    if '"' in joined:
        return [_quoted(value) for value in values]
    if "," in joined or "\n" in joined or "\r" in joined:  # no quotes to double: only wrap (the claim text's commas)
        return ['"' + value + '"' if "," in value or "\n" in value or "\r" in value else value for value in values]
    return values


def column_text(values: Sequence[Any]) -> Sequence[str]:
    """A column's cells as CSV text."""
    empty = values.count(None)
    if empty == len(values):  # a column nobody has filled in on this page (verdicts, notes)
        return [""] * empty
    if empty:  # an empty cell either way, and "" needs no rule
        values = list(map(_NONE_EMPTY.get, values, values))
    try:
        return _text_cells(values)  # its join refuses anything but text, before doing anything
    except TypeError:
        pass
    kinds = set(map(type, values))
    if kinds <= _NUMBERS:  # digits, '.', '-', 'e', 'inf': no quotes, and not text, so no '
        return list(map(str, values))
    return [cell_text(value) for value in values]


def csv_lines(cells: Sequence[Sequence[str]], leads: Sequence[str] = ()) -> str:
    """The CSV rows of these columns of cells already written as CSV (``column_text``),
    all the same length, two or more (csv.writer writes a row of one empty cell as
    ""), with CRLF line ends. ``leads``, if given, is the text each cell of a column
    starts with (the claim page's address before its id), one per column: written
    into the text between cells rather than joined to every cell.

    One join a page rather than one a row: each row's cells are laid into one
    list, between them the text that separates them; a column with the same cell
    on every row of the page (a verdict nobody has given, one status) is part of
    that text rather than a cell of its own.
    """
    if not cells or not cells[0]:
        return ""
    rows = len(cells[0])
    varying: list[Sequence[str]] = []
    between = [""]  # the text before each varying column's cell, then the row's end
    for number, column in enumerate(cells):
        start = ("," if number else "") + (leads[number] if leads else "")
        if column.count(column[0]) == rows:
            between[-1] += start + column[0]
        else:
            between[-1] += start
            varying.append(column)
            between.append("")
    between[-1] += "\r\n"
    width = 2 * len(varying) + 1
    laid = [between[-1]] * (width * rows)
    for number, column in enumerate(varying):
        laid[2 * number :: width] = [between[number]] * rows
        laid[2 * number + 1 :: width] = column
    return "".join(laid)

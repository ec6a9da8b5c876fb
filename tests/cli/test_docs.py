"""README.md's generated parts match the code: the command reference (every command's
--help) and the vocabulary tables are written by cog from the click commands and vocab.py,
so a help text or a vocabulary changed without `cog -r README.md` fails here, and so does
a command, option or value missing from them."""

from __future__ import annotations

import difflib
import re

import click
import pytest
from cogapp import Cog

from datasette_factcheck import vocab
from datasette_factcheck.cli import factcheck
from datasette_factcheck.desk.work_views import WORK_VIEWS
from support.helpers import ROOT

README = ROOT / "README.md"
REGENERATE = "run `cog -r README.md` and commit the result"


def section(title: str) -> str:
    """The README's ``## title`` section, up to the next ``## `` heading."""
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", text, re.M | re.S)
    assert match, f"README.md has no '## {title}' section"
    return match.group(1)


def command_reference(name: str) -> str:
    """One command's part of the reference: its heading up to the next one."""
    parts = re.split(r"^### ", section("Command reference"), flags=re.M)
    heading = f"`{' '.join(('datasette', 'factcheck', name)).strip()}`\n"
    found = [part for part in parts if part.startswith(heading)]
    assert found, f"the command reference has no heading for `{name}`: {REGENERATE}"
    return found[0]


def test_readme_is_what_cog_writes():
    text = README.read_text(encoding="utf-8")
    assert "[[[cog" in text and "[[[end]]]" in text, "README.md lost its cog blocks"
    generated = Cog().process_string(text, fname=str(README))
    if generated != text:
        diff = "".join(
            difflib.unified_diff(
                text.splitlines(keepends=True), generated.splitlines(keepends=True), "README.md", "cog's README.md"
            )
        )
        pytest.fail(f"README.md's generated sections are out of date: {REGENERATE}\n{diff[:4000]}")


def test_cog_check_mode_passes():
    # The command a contributor or CI would run: exit status 0 when nothing would change.
    assert Cog().main(["cog", "--check", str(README)]) == 0, REGENERATE


@pytest.mark.parametrize("name", sorted(factcheck.commands))
def test_every_command_and_option_is_in_the_reference(name):
    command = factcheck.commands[name]
    part = command_reference(name)
    usage = re.search(r"^Usage: datasette factcheck .*$", part, re.M)
    assert usage and usage.group().startswith(f"Usage: datasette factcheck {name} "), f"{name}: {REGENERATE}"
    for param in command.params:
        if isinstance(param, click.Option):
            for flag in param.opts:
                assert re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", part), f"{name} {flag}: {REGENERATE}"
        else:
            assert (param.metavar or param.name.upper()) in usage.group(), f"{name} {param.name}: {REGENERATE}"


def test_the_group_lists_every_command():
    listing = command_reference("").split("Commands:")[1]
    for name in factcheck.commands:
        assert re.search(rf"^  {re.escape(name)} ", listing, re.M), name


@pytest.mark.parametrize("name", sorted(factcheck.commands))
def test_every_command_and_option_says_what_it_does(name):
    command = factcheck.commands[name]
    assert command.help and command.short_help, f"{name} needs a help text and a one-line summary"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts[-1]} needs a help text"


def table_rows(text: str) -> dict[str, list[str]]:
    """Markdown table rows keyed by their first cell's `code` value."""
    rows = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        match = re.fullmatch(r"`([^`]+)`", cells[0]) if line.startswith("|") else None
        if match:
            rows.setdefault(match.group(1), cells[1:])
    return rows


def test_the_vocabulary_tables_hold_every_value_with_its_label():
    rows = table_rows(section("The desk's vocabularies"))
    for status in vocab.STATUSES:
        label, is_open, ruled = rows[status][:3]
        assert label == vocab.STATUS_LABELS[status]
        assert (is_open == "yes") == (status in vocab.OPEN_STATUSES)
        assert (ruled == "yes") == (status in vocab.REVIEWED_STATUSES)
    for verdict, label in vocab.VERDICT_LABELS.items():
        assert rows[verdict][0] == label
        assert rows[verdict][1] == str(vocab.VERDICT_RATINGS.get(verdict, "none: the label alone"))
    for value in (*vocab.KINDS, *vocab.SOURCINGS):
        assert rows[value][0], f"{value} has no meaning in README.md"


def test_the_work_views_are_listed_with_their_statuses():
    text = section("The desk's vocabularies")
    for view in WORK_VIEWS:
        line = next((line for line in text.splitlines() if line.startswith(f"| **{view.label}**")), None)
        assert line, f"work view {view.label} is not in README.md"
        assert all(f"`{status}`" in line for status in view.shown)

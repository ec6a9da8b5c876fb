"""`datasette factcheck --help` and `load --help`, as a new editor reads them:
whole summaries, the file formats and the header lines."""

from __future__ import annotations

from click.testing import CliRunner
from datasette.cli import cli


def help_of(*command: str) -> str:
    result = CliRunner().invoke(cli, ["factcheck", *command, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_command_list_shows_whole_summaries():
    commands = help_of().split("Commands:")[1]
    assert "..." not in commands
    assert "Export DB's reviews: the review sheet (CSV) or ClaimReview JSON-LD." in " ".join(commands.split())
    assert "Load articles into DB from files, folders and web addresses." in " ".join(commands.split())


def test_load_help_describes_the_formats_and_header_lines():
    text = help_of("load")
    for fragment in (
        ".txt    One article per file",
        "date 2024-12-20 Authored by Dave DeCamp via AntiWar.com,",
        ".jsonl  One JSON object per line",
        ".csv    A header line naming those same fields",
        '"files with problems"',
    ):
        assert fragment in text, fragment

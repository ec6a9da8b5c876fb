"""Datasette's own claims table, as an editor meets it: the rows come first.
The context column folds to one line, the column descriptions sit compactly
(the plugin's stylesheet reaches Datasette's pages), and the internal
claim_counts table is hidden."""

from __future__ import annotations

import html
import re
import sqlite3

import pytest

from support.helpers import make_datasette
from support.webtools import read


@pytest.mark.asyncio
async def test_the_context_column_is_one_line_that_opens(db_path):
    ds = await make_datasette(db_path)
    page = (await read(ds, "/factcheck/claims")).text
    cells = re.findall(r'<td class="col-context[^"]*">(.*?)</td>', page, re.S)
    assert cells and all(cell.startswith('<details class="fc-context"><summary>') for cell in cells if len(cell) > 80)
    conn = sqlite3.connect(db_path)
    (context,) = conn.execute("SELECT context FROM claims WHERE length(context) > 80 LIMIT 1").fetchone()
    assert context in html.unescape(page)  # the whole paragraph is still there, behind its summary
    # Everywhere else, and in the JSON, the value is Datasette's own.
    assert (await read(ds, "/factcheck/claims.json?_col=context&_size=1")).json()["rows"][0]["context"] is not None
    assert "fc-context" not in (await read(ds, "/factcheck/articles")).text


@pytest.mark.asyncio
async def test_the_stylesheet_reaches_datasettes_pages_and_claim_counts_is_hidden(db_path):
    ds = await make_datasette(db_path)
    page = (await read(ds, "/factcheck/claims")).text
    assert "/-/static-plugins/datasette_factcheck/factcheck.css" in page
    css = (await ds.client.get("/-/static-plugins/datasette_factcheck/factcheck.css")).text
    assert "body.table-claims dl.column-descriptions" in css
    tables = {table["name"]: table for table in (await read(ds, "/factcheck.json")).json()["tables"]}
    assert tables["claim_counts"]["hidden"] is True and tables["claims"]["hidden"] is False

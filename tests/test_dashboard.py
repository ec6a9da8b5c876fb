"""The dashboard: its numbers against direct SQL, and every number's link
followed to the page it promises (the queue, or Datasette's own tables),
which must list exactly that many claims or events.

The seeded database gets a few reviews through review.py (as editors make
them), one superseded reviewed claim (which no count may include), and a
<script> in an article title and in an assignee name.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlite_utils
import yaml
from datasette.app import Datasette

from conftest import make_datasette
from datasette_factcheck import clock as factcheck_clock
from datasette_factcheck import dashboard
from datasette_factcheck.review import ReviewInput, bulk_update, save_review
from datasette_factcheck.schema import migrate
from datasette_factcheck.vocab import STATUSES, VERDICTS
from datasette_factcheck.web import charts
from webtools import read

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_A = "000_c0d474dec84a8582"
ARTICLE_B = "003_7c462d476a23d359"
SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
DASHBOARD = "/factcheck/-/factcheck/dashboard"


# --- fixtures ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _frozen_clock(clock):
    """Every test here reads the package's clock, frozen by conftest at two dates a year
    apart: reviews "days ago" and the dashboard's "today" never straddle a midnight."""


def _at(days_ago: int) -> str:
    moment = factcheck_clock.utc_now() - timedelta(days=days_ago)
    return moment.isoformat(timespec="seconds")


def _ids(reviewed_conn: sqlite3.Connection, article_id: str) -> list[str]:
    return [
        r[0]
        for r in reviewed_conn.execute("SELECT id FROM claims WHERE article_id = ? ORDER BY position", [article_id])
    ]


def _review(reviewed_conn: sqlite3.Connection) -> dict:
    """Reviews over four days; returns the claims used, by role."""
    a, b = _ids(reviewed_conn, ARTICLE_A), _ids(reviewed_conn, ARTICLE_B)
    save_review(
        reviewed_conn, a[0], ReviewInput({"status": "done", "verdict": "false", "assignee": "sam"}), "alice", _at(0)
    )
    save_review(reviewed_conn, b[0], ReviewInput({"status": "done", "verdict": "false"}), "alice", _at(0))
    save_review(
        reviewed_conn, b[1], ReviewInput({"status": "done", "verdict": "unproven", "assignee": "sam"}), "bob", _at(1)
    )
    bulk_update(reviewed_conn, a[1:3], {"status": "in_progress", "assignee": "sam"}, "alice", _at(1))
    bulk_update(reviewed_conn, b[2:4], {"status": "not_checkable", "assignee": SCRIPT}, "bob", _at(3))
    save_review(
        reviewed_conn, b[4], ReviewInput({"status": "needs_second_review", "verdict": "mostly_true"}), "bob", _at(3)
    )
    # Reviewed, assigned, then dropped from its article by a reload: counted nowhere.
    save_review(
        reviewed_conn, a[3], ReviewInput({"status": "done", "verdict": "false", "assignee": "sam"}), "alice", _at(2)
    )
    reviewed_conn.execute("UPDATE claims SET superseded_at = ? WHERE id = ?", [_at(0), a[3]])
    reviewed_conn.execute("UPDATE articles SET title = ? WHERE id = ?", [SCRIPT, ARTICLE_A])
    reviewed_conn.commit()
    return {"superseded": a[3]}


@pytest.fixture
def reviewed_db_path(db_path) -> Path:
    """conftest's writable copy of the seeded database, with reviews over four days."""
    conn = sqlite3.connect(db_path)
    try:
        _review(conn)
    finally:
        conn.close()
    return db_path


@pytest.fixture
def reviewed_conn(reviewed_db_path):
    connection = sqlite3.connect(reviewed_db_path)
    try:
        yield connection
    finally:
        connection.close()


def today() -> date:
    return factcheck_clock.utc_now().date()


# --- the numbers against direct SQL ---------------------------------------------------------


LIVE = "superseded_at IS NULL"


def _grouped(reviewed_conn, columns: str, where: str = LIVE) -> Counter:
    rows = reviewed_conn.execute(f"SELECT {columns}, count(*) FROM claims WHERE {where} GROUP BY {columns}")
    return Counter({tuple(row[:-1]): row[-1] for row in rows})


def test_status_by_verdict_equals_group_by(reviewed_conn):
    data = dashboard.collect(reviewed_conn, today())["status_verdict"]
    expected = _grouped(reviewed_conn, "status, verdict")
    shown = {
        (row["status"], None if v == "none" else v): n for row in data["rows"] for v, n in row["counts"].items() if n
    }
    assert shown == expected
    (live,) = reviewed_conn.execute(f"SELECT count(*) FROM claims WHERE {LIVE}").fetchone()
    (every,) = reviewed_conn.execute("SELECT count(*) FROM claims").fetchone()
    assert data["total"] == live == every - 1
    assert data["totals"]["false"] == expected["done", "false"] == 2  # the superseded done/false claim is out
    assert sum(data["totals"].values()) == live
    assert [row["status"] for row in data["rows"]] == list(STATUSES)
    assert list(data["rows"][0]["counts"]) == [*VERDICTS, "none"]


def test_article_progress_equals_group_by(reviewed_conn):
    rows = dashboard.collect(reviewed_conn, today())["articles"]["rows"]
    expected = _grouped(reviewed_conn, "article_id, status")
    assert {row["id"] for row in rows} == {ARTICLE_A, ARTICLE_B}
    for row in rows:
        assert row["counts"] == {s: expected[row["id"], s] for s in STATUSES}
        assert row["total"] == sum(n for (article, _), n in expected.items() if article == row["id"])
        assert row["reviewed"] == expected[row["id"], "done"] + expected[row["id"], "not_checkable"]
        assert row["reviewed_pct"] == round(100 * row["reviewed"] / row["total"], 1)
    assert rows[0]["title"] == SCRIPT or rows[1]["title"] == SCRIPT


def test_articles_come_by_their_most_check_worthy_unreviewed_claim(reviewed_conn):
    scores = dict(
        reviewed_conn.execute(f"""SELECT article_id, max(checkworthiness) FROM claims
        WHERE {LIVE} AND status = 'unreviewed' GROUP BY article_id ORDER BY 2 DESC""")
    )
    rows = dashboard.article_progress(reviewed_conn)["rows"]
    assert [(row["id"], row["top_score"]) for row in rows] == list(scores.items())
    # An article with nothing left to review still shows, after the others.
    bulk_update(
        reviewed_conn, _ids(reviewed_conn, ARTICLE_A), {"status": "not_checkable", "verdict": None}, "alice", _at(0)
    )
    rows = dashboard.article_progress(reviewed_conn)["rows"]
    assert [(row["id"], row["top_score"]) for row in rows] == [(ARTICLE_B, scores[ARTICLE_B]), (ARTICLE_A, None)]
    assert rows[1]["reviewed_pct"] == 100.0
    assert dashboard.article_progress(reviewed_conn, limit=1)["rows"][0]["id"] == ARTICLE_B


def test_assignee_progress_equals_group_by(reviewed_conn):
    data = dashboard.collect(reviewed_conn, today())["assignees"]
    expected = _grouped(reviewed_conn, "assignee, status")
    assert [row["assignee"] for row in data["rows"]] == [SCRIPT, "sam"]  # by name ("<" sorts first)
    for row in [*data["rows"], data["unassigned"]]:
        assert row["counts"] == {s: expected[row["assignee"], s] for s in STATUSES}
    assert data["rows"][1]["counts"]["done"] == 2 and data["rows"][1]["counts"]["in_progress"] == 2
    assert data["unassigned"]["assignee"] is None


def test_reviews_per_day_count_claim_events(reviewed_conn):
    data = dashboard.collect(reviewed_conn, today())["reviews_per_day"]
    per_day = Counter(at[:10] for (at,) in reviewed_conn.execute("SELECT at FROM claim_events"))
    assert len(data["days"]) == 30
    assert data["end"] == today().isoformat() == data["days"][-1]["day"]
    assert {point["day"]: point["count"] for point in data["days"] if point["count"]} == per_day
    assert data["total"] == sum(per_day.values()) == 9  # 4 saves, 2 bulks of 2, the superseded claim's save


def test_reviews_per_day_are_split_by_editor(reviewed_conn):
    data = dashboard.collect(reviewed_conn, today())["reviews_per_day"]
    per_actor_day = Counter(
        (at[:10], actor) for at, actor in reviewed_conn.execute("SELECT at, actor FROM claim_events")
    )
    shown = Counter(
        {(point["day"], entry["actor"]): entry["count"] for point in data["days"] for entry in point["by_actor"]}
    )
    assert shown == per_actor_day
    for point in data["days"]:
        assert sum(entry["count"] for entry in point["by_actor"]) == point["count"]
    # Busiest first: alice saved 3 and bulked 2, bob saved 2 and bulked 2.
    assert data["actors"] == [{"actor": "alice", "count": 5}, {"actor": "bob", "count": 4}]


def test_an_idle_desk_still_sees_its_last_month_of_work(reviewed_conn):
    later = today() + timedelta(days=400)
    data = dashboard.reviews_per_day(reviewed_conn, later)
    assert data["end"] == today().isoformat()
    assert data["total"] == 9
    # Without any history the window simply ends today.
    empty = sqlite3.connect(":memory:")
    empty.execute("CREATE TABLE claim_events (at TEXT, actor TEXT)")
    data = dashboard.reviews_per_day(empty, date(2025, 3, 31), days=7)
    assert (data["start"], data["end"], data["total"]) == ("2025-03-25", "2025-03-31", 0)


def test_links_name_the_matching_filters():
    assert dashboard.queue_link("done", "false") == "-/factcheck?status=done&verdict=false"
    assert dashboard.queue_link(article="a 1") == "-/factcheck?article=a+1&status=all"
    assert dashboard.queue_link(assignee="sam") == "-/factcheck?assignee=sam&status=all"
    assert dashboard.queue_link(("done", "not_checkable"), assignee="sam") == (
        "-/factcheck?assignee=sam&status=done&status=not_checkable"
    )
    assert dashboard.queue_link(verdict="none") == "-/factcheck?status=all&verdict=none"
    assert dashboard.unassigned_link("done") == "-/factcheck?assignee=none&status=done"
    assert dashboard.events_link("2025-01-02") == "claim_events?at__startswith=2025-01-02"
    assert dashboard.events_link(start="2025-01-01", end="2025-01-30") == (
        "claim_events?at__gte=2025-01-01&at__lt=2025-01-31"
    )
    assert dashboard.events_link("2025-01-02", actor="a b") == "claim_events?at__startswith=2025-01-02&actor=a+b"
    assert dashboard.events_link("2025-01-02", actor=None) == "claim_events?at__startswith=2025-01-02&actor__isnull=1"


# --- the page ------------------------------------------------------------------------------


class Page(HTMLParser):
    """The count links of a page (a chart's bar or segment, or a number) and the contents of its count cells."""

    def __init__(self):
        super().__init__()
        self.links: list[dict] = []  # href, count, text, in_chart (a bar or segment: sized by its style)
        self.cells: list[list[dict]] = []  # the count links inside each <td class="fc-n">
        self.cell_texts: list[str] = []
        self._link: dict | None = None
        self._cell: list[dict] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "td" and "fc-n" in (attrs.get("class") or "").split():
            self._cell, text = [], ""
            self.cell_texts.append(text)
        elif tag == "a" and "data-count" in attrs:
            in_chart = bool(re.match(r"(width|height): ", attrs.get("style") or ""))
            self._link = {"href": attrs["href"], "count": int(attrs["data-count"]), "text": "", "in_chart": in_chart}
            self.links.append(self._link)
            if self._cell is not None:
                self._cell.append(self._link)

    def handle_endtag(self, tag):
        if tag == "a":
            self._link = None
        elif tag == "td" and self._cell is not None:
            self.cells.append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._link is not None:
            self._link["text"] += data
        if self._cell is not None:
            self.cell_texts[-1] += data


CHART_IDS = ("status", "verdicts", "days", "articles", "assignees")


def charts_of(text: str) -> dict[str, str]:
    """The dashboard's charts by name. Bars hold spans and links only; the
    days' chart holds one <div> per day."""
    found = {}
    for name in CHART_IDS:
        inner = r"((?:\s*<div class=\"fc-column\".*?</div>)*)" if name == "days" else "(.*?)"
        match = re.search(
            rf'<div class="fc-(?:bars|columns)" id="fc-chart-{name}" role="list">{inner}\s*</div>', text, re.S
        )
        if match:
            found[name] = match[1]
    return found


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    return page


async def _queue_count(ds, href: str) -> int:
    """How many claims the queue lists for ``href``, page after page."""
    path, _, query = href.partition("?")
    params = parse_qs(query)
    total, after = 0, None
    while True:
        response = await read(ds, path + ".json", params={**params, **({"_next": after} if after else {})})
        assert response.status_code == 200, (href, response.text[:300])
        payload = response.json()
        total += len(payload["claims"])
        after = payload["next"]
        if after is None:
            assert payload["total"] == total, href
            return total


async def _table_count(ds, href: str) -> int:
    path, _, query = href.partition("?")
    params = {**parse_qs(query), "_extra": "count"}
    response = await read(ds, path + ".json", params=params)
    assert response.status_code == 200, (href, response.text[:300])
    return response.json()["count"]


async def count_behind(ds, href: str) -> int:
    assert href.startswith("/factcheck/"), href
    if urlsplit(href).path == "/factcheck/-/factcheck":
        return await _queue_count(ds, href)
    return await _table_count(ds, href)


@pytest.mark.asyncio
async def test_every_count_link_lists_that_many(reviewed_db_path):
    ds = await make_datasette(reviewed_db_path)
    response = await read(ds, DASHBOARD)  # a viewer, with the shipped config
    assert response.status_code == 200, response.text[:500]
    page = parse(response.text)
    wanted = {link["href"]: link["count"] for link in page.links}
    for link in page.links:  # one number, one meaning: a link always carries the same count
        assert wanted[link["href"]] == link["count"], link
    found = {href: await count_behind(ds, href) for href in wanted}
    assert found == wanted
    # The three the brief names, with the numbers SQL gives.
    conn = sqlite3.connect(reviewed_db_path)
    grouped = _grouped(conn, "status, verdict")
    assert wanted["/factcheck/-/factcheck?status=done&verdict=false"] == grouped["done", "false"] == 2
    (article_a,) = conn.execute(f"SELECT count(*) FROM claims WHERE {LIVE} AND article_id = ?", [ARTICLE_A]).fetchone()
    assert wanted[f"/factcheck/-/factcheck?article={ARTICLE_A}&status=all"] == article_a == 11
    assert wanted["/factcheck/-/factcheck?assignee=sam&status=all"] == 4
    assert wanted["/factcheck/-/factcheck?assignee=sam&status=done"] == 2
    assert any(href.startswith("/factcheck/-/factcheck?assignee=none") for href in wanted)
    assert any(href.startswith("/factcheck/claim_events?at__startswith=") for href in wanted)
    assert (
        sum(link["in_chart"] for link in page.links) > 20
    )  # the charts' bars and segments link too (empty ones are not drawn)


@pytest.mark.asyncio
async def test_every_count_cell_is_a_link_showing_its_number(reviewed_db_path):
    ds = await make_datasette(reviewed_db_path)
    page = parse((await read(ds, DASHBOARD)).text)
    # Matrix 6x9, day list 30, two article rows and three assignee rows of 7 (total, statuses, reviewed %)
    assert len(page.cells) == 6 * 9 + 30 + 5 * 7
    for cell, text in zip(page.cells, page.cell_texts):
        assert len(cell) == 1, text
        (link,) = cell
        shown = link["text"].strip()
        assert shown == f"{link['count']:,}" or shown.endswith("%"), link


@pytest.mark.asyncio
async def test_charts_are_html_with_no_script_and_no_outside_references(reviewed_db_path):
    ds = await make_datasette(reviewed_db_path)
    text = (await read(ds, DASHBOARD)).text
    charts_found = charts_of(text)
    assert set(charts_found) == set(CHART_IDS)
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="fc-chart"' not in text
    for name, chart in charts_found.items():
        assert "<script" not in chart.lower(), name
        for reference in re.findall(r'\b(?:href|src)="([^"]*)"', chart):
            assert reference.startswith("/factcheck/") and "//" not in reference, reference
        # Sizes and colours only: nothing a style could fetch.
        for style in re.findall(r'style="([^"]*)"', chart):
            assert re.fullmatch(r"(width|height): \d+(\.\d+)?%; background: #[0-9a-f]{6}", style), style
        # Every bar or segment says what it counts, for the mouse and for screen readers.
        for attributes in re.findall(r"<a ([^>]*style=[^>]*)>", chart):
            assert re.search(r'title="([^"]+)" aria-label="\1"', attributes), attributes


@pytest.mark.asyncio
async def test_the_verdict_chart_sits_beside_the_status_chart_and_legends_are_text(reviewed_db_path):
    ds = await make_datasette(reviewed_db_path)
    text = (await read(ds, DASHBOARD)).text
    pair = re.search(r'<div class="fc-pair">(.*?)</div>\s*<table class="fc-matrix', text, re.S)[1]
    assert "<figcaption>Claims by status</figcaption>" in pair and "<figcaption>Verdicts given</figcaption>" in pair
    verdicts = parse(charts_of(text)["verdicts"])
    assert {link["href"]: link["count"] for link in verdicts.links if not link["in_chart"]} == {
        "/factcheck/" + dashboard.queue_link(verdict=verdict): count
        for verdict, count in dashboard.collect(sqlite3.connect(reviewed_db_path), today())["status_verdict"][
            "totals"
        ].items()
        if verdict != "none"
    }
    legends = re.findall(r'<ul class="fc-legend">(.*?)</ul>', text, re.S)
    assert len(legends) == 3  # editors, articles, assignees
    assert all("Needs second review" in legend for legend in legends[1:])
    assert "alice (5)" in legends[0] and "bob (4)" in legends[0]


@pytest.mark.asyncio
async def test_empty_states_say_what_to_do(tmp_path, reviewed_db_path):
    empty = tmp_path / "empty" / "factcheck.db"
    empty.parent.mkdir()
    migrate(sqlite_utils.Database(empty))
    ds = await make_datasette(empty)
    text = (await read(ds, DASHBOARD)).text
    assert "No claims yet. Load articles with <code>datasette factcheck load factcheck.db PATH</code>" in text
    assert 'class="fc-bars"' not in text

    fresh = tmp_path / "fresh" / "factcheck.db"
    fresh.parent.mkdir()
    conn = sqlite3.connect(fresh)
    sqlite3.connect(reviewed_db_path).backup(conn)
    conn.execute("UPDATE claims SET status = 'unreviewed', verdict = NULL, assignee = NULL")
    conn.commit()
    conn.close()
    text = (await read(await make_datasette(fresh), DASHBOARD)).text
    assert "No verdicts yet." in text and "Nobody is assigned a claim yet." in text


@pytest.mark.asyncio
async def test_json_has_the_same_numbers(reviewed_db_path):
    ds = await make_datasette(reviewed_db_path)
    response = await read(ds, DASHBOARD + ".json")
    assert response.status_code == 200
    payload = response.json()
    assert payload.pop("ok") is True and payload.pop("database") == "factcheck"
    conn = sqlite3.connect(reviewed_db_path)
    assert payload == dashboard.collect(conn, today())
    assert (await read(ds, DASHBOARD + "?_format=json")).json()["status_verdict"] == payload["status_verdict"]
    # The page shows the same numbers, behind the same links.
    page = parse((await read(ds, DASHBOARD)).text)
    shown = {link["href"]: link["count"] for link in page.links}
    for row in payload["status_verdict"]["rows"]:
        for verdict, n in row["counts"].items():
            assert shown["/factcheck/" + dashboard.queue_link(row["status"], verdict)] == n
    for row in payload["articles"]["rows"]:
        assert shown["/factcheck/" + dashboard.queue_link(article=row["id"])] == row["total"]
    for point in payload["reviews_per_day"]["days"]:
        assert shown["/factcheck/" + dashboard.events_link(point["day"])] == point["count"]


@pytest.mark.asyncio
async def test_the_dashboard_follows_the_claims_permissions(reviewed_db_path, tmp_path):
    config = yaml.safe_load((ROOT / "datasette.yaml").read_text())
    config.setdefault("databases", {})["factcheck"] = {"tables": {"claims": {"allow": {"id": "root"}}}}
    ds = Datasette([str(reviewed_db_path)], config=config)
    await ds.invoke_startup()
    assert (await read(ds, DASHBOARD)).status_code == 403
    assert (await read(ds, DASHBOARD + ".json")).status_code == 403
    root = {"ds_actor": ds.client.actor_cookie({"id": "root"})}
    assert (await ds.client.get(DASHBOARD, cookies=root)).status_code == 200
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    ds = Datasette([str(other)])
    assert (await ds.client.get("/other/-/factcheck/dashboard")).status_code == 404


# --- the chart shapes ------------------------------------------------------------------------


def test_bars_share_one_scale_and_draw_nothing_for_zero():
    rows = charts.bars(
        [
            charts.Part("a", 4, "/a", "#000000"),
            charts.Part("b", 1, "/b", "#111111"),
            charts.Part("c", 0, "/c", "#222222"),
        ]
    )
    assert [[part["size"] for part in row["parts"]] for row in rows] == [["100.00%"], ["25.00%"], []]
    assert [row["total"] for row in rows] == [4, 1, 0] and rows[2]["href"] == "/c"
    assert charts.bars([charts.Part("a", 0, "/a", "#000000")])[0]["parts"] == []  # nothing to scale by


def test_a_stacked_bar_splits_its_whole():
    row = charts.stacked(
        "Article",
        "/all",
        [
            charts.Part("Done", 1, "/d", "#000000"),
            charts.Part("Open", 3, "/o", "#111111"),
            charts.Part("X", 0, "/x", "#fff"),
        ],
    )
    assert [part["size"] for part in row["parts"]] == ["25.00%", "75.00%"]
    assert row["parts"][0]["title"] == "Article: Done 1 of 4 (25%)"
    assert charts.stacked("Nobody", "/n", [charts.Part("Done", 0, "/d", "#000000")])["parts"] == []


def test_columns_scale_to_the_busiest_day_and_cope_with_none():
    days = [
        ("1 Jan", "/1", [charts.Part("ana", 2, "/1a", "#000000"), charts.Part("bo", 2, "/1b", "#111111")]),
        ("2 Jan", "/2", [charts.Part("ana", 1, "/2a", "#000000")]),
        ("3 Jan", "/3", []),
    ]
    columns = charts.columns(days)
    assert [[part["size"] for part in column["parts"]] for column in columns] == [["50.00%", "50.00%"], ["25.00%"], []]
    assert [column["total"] for column in columns] == [4, 1, 0]
    assert charts.columns([("1 Jan", "/1", [])])[0]["parts"] == []


def test_editors_past_the_palette_share_one_colour():
    names = [f"editor {i}" for i in range(10)]
    colours = charts.editor_colours(names)
    assert len(set(colours[name] for name in names[:8])) == 8
    assert colours["editor 8"] == colours["editor 9"] == charts.OTHERS_COLOUR

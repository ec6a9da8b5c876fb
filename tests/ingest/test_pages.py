"""What web_articles reads in pages, feeds and sitemaps: the article and none of the furniture,
the right metadata, an id that follows the canonical URL, and a line for what is unreadable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from datasette_factcheck.ingest.pages import (
    Listed,
    article_from_html,
    canonical_url,
    kind_of,
    normalise_url,
    read_feed,
    read_sitemap,
    web_id,
)
from datasette_factcheck.records import Article, LoadProblem
from support.fixture_site import FIXTURES

BASE = "http://127.0.0.1:8000"
# What surrounds the articles on the fixture pages, and must never reach a body: cookie
# banners, navigation, ads, related links, comments, newsletters, footers, captions.
FURNITURE = [
    "cookies", "Accept all cookies", "I agree", "Subscribe for just", "Advertisement", "Remortgage", "Sponsored",
    "stairlifts", "beaches", "insulation", "Related stories", "Nato summit", "You might also like", "More from Health",
    "Most read", "Celebrity chef", "Trending", "Comments (23)", "Dave_1984", "nothing happened", "156 comments",
    "knee op", "Have your say", "cellar", "Typical.", "Morning Briefing", "All rights reserved", "Share this article",
    "Photograph", "Topics:", "Got a story", "Weather", "Read more", "GP appointments hit record high",
]  # fmt: skip
# name: (title, author, published, outlet, sentences the body must keep)
PAGES = {
    "uk-troops-ukraine": (
        "UK and France discuss training mission in western Ukraine", "Harriet Vance", "2024-12-20",
        "The Northern Ledger", [
            "British and French officials have held talks on sending military trainers to western Ukraine",
            "Britain has already trained more than 42,000 Ukrainian soldiers on its own soil since 2022",
            "Ukraine's foreign ministry welcomed the reports and said it expected a decision before the end of January.",
        ]),
    "hospital-waiting-list": (
        "Hospital waiting list falls for a third month", "Tom Okafor", "2025-01-09", "Riverside Gazette", [
            "fell to 41,250 in November, the third monthly fall in a row",
            "with only 61% of patients starting treatment within 62 days against a national target of 85%.",
            "which it says will carry out 9,000 extra operations a year.",
        ]),
    "flood-defences": (
        "Council to spend £12m on flood defences after winter storms", "Priya Natarajan", "2025-01-14",
        "The Northern Ledger", [
            "flooded 340 homes and 85 businesses",
            '"Families who were flooded three times in ten years cannot be asked to wait any longer,"',
            "Work on the first embankments is due to start in the summer and finish by the end of 2026.",
        ]),
    "bridge-closures": (
        "Three bridges closed as inspectors find corroded cables", "Marta Kowalski", "2025-01-20",
        "The Northern Ledger", ["About 18,000 vehicles cross the three bridges every day"]),
}  # fmt: skip


def page(name: str, base: str = BASE) -> bytes:
    return (FIXTURES / name).read_bytes().replace(b"@BASE@", base.encode())


def extract(name: str, query: str = "?utm_source=rss&utm_medium=feed", **kwargs) -> Article | LoadProblem:
    url = f"{BASE}/news/{name}.html{query}"
    return article_from_html(page(f"news/{name}.html"), source=url, fetched_url=url, **kwargs)


@pytest.mark.parametrize("name", PAGES)
def test_the_body_keeps_the_article_and_none_of_the_furniture(name):
    article = extract(name)
    assert isinstance(article, Article), article
    _, _, _, _, sentences = PAGES[name]
    for sentence in sentences:
        assert sentence in article.body
    leaked = [text for text in FURNITURE if text.lower() in article.body.lower()]
    assert leaked == []
    assert not article.body.startswith(PAGES[name][0])  # the headline is the title, not a claim


@pytest.mark.parametrize("name", PAGES)
def test_title_author_published_outlet_and_canonical_url_are_right(name):
    title, author, published, outlet, _ = PAGES[name]
    article = extract(name)
    assert (article.title, article.author, article.published, article.outlet) == (title, author, published, outlet)
    assert article.url == f"{BASE}/news/{name}.html"  # the canonical URL, without the feed's tracking
    assert article.id == web_id(article.url) and re.fullmatch(r"web-[0-9a-f]{16}", article.id)
    assert article.source == f"{BASE}/news/{name}.html?utm_source=rss&utm_medium=feed"


def test_the_id_is_the_same_however_the_page_was_reached():
    ids = {extract("flood-defences", query).id for query in ("", "?utm_source=rss", "?utm_campaign=x#comments")}
    assert len(ids) == 1


def test_a_page_that_names_another_sites_url_as_canonical_keeps_its_own():
    # Believing it would let any page replace another site's article on the next load.
    html = page("news/bridge-closures.html").replace(
        f'<link rel="canonical" href="{BASE}/news/bridge-closures.html">'.encode(),
        b'<link rel="canonical" href="https://www.example.org/news/bridge-closures.html">',
    )
    article = article_from_html(html, source="s", fetched_url=f"{BASE}/news/bridge-closures.html?utm_source=x")
    assert article.url == f"{BASE}/news/bridge-closures.html"


def test_canonical_and_normalised_urls():
    assert normalise_url("HTTP://WWW.Example.ORG:80/a?utm_source=x&id=3#top") == "http://www.example.org/a?id=3"
    assert normalise_url("https://example.org") == "https://example.org/"
    assert normalise_url("https://example.org:8443/a?b=%20c") == "https://example.org:8443/a?b=%20c"  # untouched
    assert canonical_url("https://m.example.org/x", "https://www.example.org/x?ocid=rss") == "https://m.example.org/x"
    assert canonical_url("javascript:alert(1)", "https://example.org/x") == "https://example.org/x"
    assert canonical_url("https://example.org/x", None) == "https://example.org/x"  # a saved page says where it was


def test_a_page_without_article_text_is_one_line():
    problem = extract("storm-video", query="")
    assert isinstance(problem, LoadProblem)
    assert problem.reason.startswith("no article text in the page")


def test_what_a_page_leaves_out_the_feed_entry_gives():
    html = page("news/bridge-closures.html")
    html = re.sub(rb'"author": \{[^}]*\},', b"", html)
    html = re.sub(rb'\s*"datePublished": "[^"]*",', b"", html)
    html = re.sub(rb'<meta property="article:published_time"[^>]*>', b"", html)
    html = re.sub(rb'<p class="byline">[^<]*</p>', b"", html)
    listed = Listed(f"{BASE}/news/bridge-closures.html", author="Marta Kowalski", published="2025-01-20")
    article = article_from_html(html, source="s", fetched_url=listed.url, listed=listed)
    assert (article.author, article.published) == ("Marta Kowalski", "2025-01-20")


@pytest.mark.parametrize("content_type, body, kind", [
    ("text/html", b"<!DOCTYPE html><html><body>x</body></html>", "html"),
    ("", b"<!doctype html>\n<html>", "html"),
    ("text/html", b'<?xml version="1.0"?>\n<rss version="2.0"><channel>', "feed"),  # a feed served as HTML
    ("application/xml", b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
    ("text/xml", b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">', "feed"),
    ("application/xml", b"<?xml version='1.0'?><!-- index --><sitemapindex>", "sitemap"),
    ("application/xml", b"<urlset>", "sitemap"),
    ("image/png", b"\x89PNG\r\n\x1a\n", None),
    ("application/json", b'{"a": 1}', None),
    ("application/xml", b"<catalog><book/></catalog>", None),
])  # fmt: skip
def test_what_a_body_is(content_type, body, kind):
    assert kind_of(content_type, body) == kind


def test_a_feed_lists_its_articles_with_what_it_says_of_them():
    entries = read_feed(page("feed.xml"), f"{BASE}/feed.xml")
    assert [entry.url for entry in entries] == [
        f"{BASE}/news/{name}.html?utm_source=rss&utm_medium=feed"
        for name in ("flood-defences", "hospital-waiting-list", "uk-troops-ukraine")
    ]
    assert entries[0] == Listed(
        f"{BASE}/news/flood-defences.html?utm_source=rss&utm_medium=feed",
        "Council to spend £12m on flood defences after winter storms", "Priya Natarajan", "2025-01-14",
        "2025-01-14T17:45:00+00:00",
    )  # fmt: skip
    atom = read_feed(page("atom.xml"), f"{BASE}/atom.xml")
    assert [(entry.url, entry.author) for entry in atom] == [
        (f"{BASE}/news/bridge-closures.html", "Marta Kowalski"),
        (f"{BASE}/news/flood-defences.html", "Priya Natarajan"),
    ]


def test_a_feed_drops_entries_whose_link_is_not_http():
    feed = page("feed.xml").replace(f"{BASE}/news/hospital-waiting-list.html".encode(), b"javascript:alert(1)")
    assert len(read_feed(feed, f"{BASE}/feed.xml")) == 2


def test_a_malformed_feed_is_one_line():
    reason = read_feed(page("broken-feed.xml"), f"{BASE}/broken-feed.xml")
    assert reason == "malformed feed (not well-formed (invalid token) at line 6)"


def test_a_sitemap_index_lists_its_sitemaps_by_structure_not_by_name():
    index = read_sitemap(page("sitemap.xml"))
    assert index.sitemaps == [f"{BASE}/sitemap-news.xml", f"{BASE}/sitemap-pages?page=1"]
    assert index.pages == []


def test_a_sitemap_lists_its_pages_newest_first():
    pages = read_sitemap(page("sitemap-news.xml")).pages
    assert [entry.url.rsplit("/", 1)[1] for entry in pages] == [
        "bridge-closures.html",
        "flood-defences.html",
        "uk-troops-ukraine.html",
    ]
    assert pages[0].updated == "2025-01-20T09:10:00+00:00"


def test_a_sitemap_resolves_no_entities():
    billion_laughs = b"""<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">
        <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
        <urlset><url><loc>http://x.org/&c;</loc></url></urlset>"""
    external = b"""<?xml version="1.0"?><!DOCTYPE l [<!ENTITY e SYSTEM "file:///etc/passwd">]>
        <urlset><url><loc>http://x.org/&e;</loc></url></urlset>"""
    for data in (billion_laughs, external):
        result = read_sitemap(data)
        assert isinstance(result, str) or all("aaaa" not in p.url and "root:" not in p.url for p in result.pages)


def test_a_malformed_sitemap_is_one_line():
    reason = read_sitemap(b"<urlset><url><loc>http://x.org/a</url>")
    assert reason.startswith("malformed sitemap (") and "\n" not in reason


def test_a_saved_page_takes_its_id_from_the_canonical_url_it_states(tmp_path):
    article = article_from_html(page("news/flood-defences.html"), source="saved.html", fallback_id="saved")
    assert article.id == web_id(f"{BASE}/news/flood-defences.html")
    bare = re.sub(rb"<link rel=\"canonical\"[^>]*>|<meta property=\"og:url\"[^>]*>", b"",
                  page("news/flood-defences.html"))  # fmt: skip
    article = article_from_html(bare, source="saved.html", fallback_id="saved")
    assert (article.id, article.url) == ("saved", None)


def test_the_fixture_pages_are_what_a_news_site_serves():
    # The furniture is really there: otherwise the test above could not fail.
    for name in PAGES:
        html = page(f"news/{name}.html").decode()
        assert "application/ld+json" in html and 'property="og:' in html
        assert sum(text.lower() in html.lower() for text in FURNITURE) >= 6, name
    assert Path(FIXTURES / "robots.txt").read_text().count("Disallow") >= 2


def test_a_byline_gives_the_names_without_the_job_titles():
    html = re.sub(rb'"author": \{[^}]*\},', b"", page("news/bridge-closures.html"))  # the byline alone
    article = article_from_html(html, source="s", fetched_url=f"{BASE}/news/bridge-closures.html")
    assert article.author == "Marta Kowalski"


# --- the headline without the site's suffix -------------------------------------------

TROOPS = "UK and France discuss training mission in western Ukraine"


def troops_page(*changes: tuple[bytes, bytes]) -> bytes:
    html = page("news/uk-troops-ukraine.html")
    for pattern, replacement in changes:
        html, found = re.subn(pattern, replacement, html)
        assert found, pattern  # the change really applies to the fixture
    return html


def from_page(html: bytes) -> Article:
    url = f"{BASE}/news/uk-troops-ukraine.html"
    article = article_from_html(html, source=url, fetched_url=url)
    assert isinstance(article, Article), article
    return article


def test_a_suffixed_og_title_loses_the_site_name_it_states():
    html = troops_page((rb'(property="og:title" content="[^"]*)"', rb'\1 | The Northern Ledger"'))
    article = from_page(html)
    assert (article.title, article.outlet) == (TROOPS, "The Northern Ledger")
    assert not article.body.startswith(TROOPS)


def test_a_site_named_only_in_the_suffix_becomes_the_outlet():
    # No og:site_name and no JSON-LD: the tab title and og:title carry "- Example News", the h1 the headline.
    html = troops_page(
        (rb'<meta property="og:site_name"[^>]*>', b""),
        (rb'(?s)<script type="application/ld\+json">.*?</script>', b""),
        (rb"<title>[^<]*</title>", f"<title>{TROOPS} - Example News</title>".encode()),
        (rb'(property="og:title" content="[^"]*)"', rb'\1 - Example News"'),
    )
    article = from_page(html)
    assert (article.title, article.outlet) == (TROOPS, "Example News")


def test_a_dash_that_belongs_to_the_headline_stays():
    headline = "Storm - what we know so far"
    html = troops_page(
        (rb'<meta property="og:site_name"[^>]*>', b""),
        (rb'(?s)<script type="application/ld\+json">.*?</script>', b""),
        (rb"<title>[^<]*</title>", f"<title>{headline}</title>".encode()),
        (rb'property="og:title" content="[^"]*"', f'property="og:title" content="{headline}"'.encode()),
        (rb"<h1>[^<]*</h1>", f"<h1>{headline}</h1>".encode()),
    )
    assert from_page(html).title == headline


def test_the_json_ld_headline_and_h1_agree_over_a_suffixed_title():
    html = troops_page(
        (rb'<meta property="og:title"[^>]*>', b""),
        (rb"<title>[^<]*</title>", f"<title>{TROOPS} | Ledger Online</title>".encode()),
    )
    assert from_page(html).title == TROOPS

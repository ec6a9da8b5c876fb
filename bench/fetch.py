"""Articles from the web: pages per second through the whole path, and the choices measured.

    python bench/fetch.py [--pages 300] [--per-host 4]

1. Builds N news pages: the furniture of tests/fixtures/web/news/uk-troops-ukraine.html
   (navigation, cookie banner, ads, related links, comments, JSON-LD, OpenGraph) around
   articles from bench/corpus.py (20 sentences each), and a sitemap listing them.
2. trafilatura alone: ``bare_extraction`` on each page, with our settings and with its
   defaults (the baseline: what the library does without us).
3. The path without the network: each page's bytes through ``web_articles`` and the
   loader (clean, extract claims, annotate, score, cluster, write) into a new database.
4. The whole path: ``datasette factcheck load``'s code on the sitemap's URL, served by a
   local ThreadingHTTPServer, no delay between requests, ``--per-host`` at once.
5. The choices: feedparser against trafilatura's feed reader, and our sitemap read
   against trafilatura's, on speed and on what each gets right.
All figures come from the same run on the same machine: read the ratios.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import sqlite_utils

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from corpus import article as corpus_article  # noqa: E402

from datasette_factcheck.ingest.fetch import Fetcher, FetchOptions  # noqa: E402
from datasette_factcheck.ingest.pages import _DATE_PARAMS, article_from_html, read_feed, read_sitemap  # noqa: E402
from datasette_factcheck.load.run import Loader  # noqa: E402
from datasette_factcheck.load.urls import load_urls  # noqa: E402

TEMPLATE = ROOT / "tests" / "fixtures" / "web" / "news" / "uk-troops-ukraine.html"
OLD_TITLE = "UK and France discuss training mission in western Ukraine"


# --- the pages ---------------------------------------------------------------------------


def make_pages(count: int, base: str) -> dict[str, bytes]:
    """path -> page, and /sitemap.xml and /robots.txt."""
    template = TEMPLATE.read_text(encoding="utf-8").replace(f"@BASE@/news/{TEMPLATE.name}", "@BASE@/news/@N@.html")
    head, rest = template.split('<div class="story-body">', 1)
    tail = rest[rest.index("\n  </div>") :]  # the story body's own closing tag
    rng = random.Random(20250120)
    pages = {}
    for number in range(count):
        record = corpus_article(number, rng)
        body = "\n".join(f"    <p>{paragraph}</p>" for paragraph in record["body"].split("\n\n"))
        html = f'{head}<div class="story-body">\n{body}{tail}'.replace(OLD_TITLE, record["title"])
        pages[f"/news/{number}.html"] = html.replace("@N@", str(number)).replace("@BASE@", base).encode()
    urls = "".join(f"<url><loc>{base}{path}</loc></url>" for path in pages)
    sitemap = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    pages["/sitemap.xml"] = sitemap.encode()
    pages["/robots.txt"] = b"User-agent: *\nDisallow: /private/\n"
    return pages


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    pages: dict[str, bytes] = {}

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = self.pages.get(self.path.split("?")[0])
        self.send_response(200 if body else 404)
        self.send_header(
            "Content-Type", "application/xml" if self.path.endswith(".xml") else "text/html; charset=utf-8"
        )
        self.send_header("Content-Length", str(len(body or b"")))
        self.end_headers()
        self.wfile.write(body or b"")


def _serve_forever(server: ThreadingHTTPServer, pages: dict[str, bytes]) -> None:
    _Handler.pages = pages
    server.serve_forever()


@contextmanager
def serving(count: int) -> Iterator[tuple[dict[str, bytes], str]]:
    """The pages, served by another process (a server in this one would compete with the
    loader for this one's interpreter lock), and its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)  # bound here, so the pages know the port
    base = f"http://127.0.0.1:{server.server_address[1]}"
    pages = make_pages(count, base)
    process = multiprocessing.get_context("fork").Process(target=_serve_forever, args=(server, pages), daemon=True)
    process.start()
    server.server_close()  # the child has its own copy of the listening socket
    try:
        yield pages, base
    finally:
        process.terminate()
        process.join()


# --- timing ------------------------------------------------------------------------------


def rate(label: str, count: int, run: Callable[[], object], unit: str = "pages", repeat: int = 1) -> float:
    """Print and return ``count`` / the best of ``repeat`` timings of ``run`` (the machine is shared)."""
    seconds = min(_timed(run) for _ in range(repeat))
    print(f"  {label:<58} {count / seconds:>10,.1f} {unit}/s  ({seconds:.2f} s for {count:,})")
    return count / seconds


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def trafilatura_alone(pages: list[bytes]) -> None:
    import trafilatura

    print("trafilatura alone (extraction only, no cleaning, no claims, no database):")
    trafilatura.bare_extraction(pages[0], with_metadata=True)  # its first call loads its models: not timed
    ours = dict(with_metadata=True, include_comments=False, favor_precision=True, date_extraction_params=_DATE_PARAMS)
    rate("bare_extraction, its defaults (the baseline)", len(pages),
         lambda: [trafilatura.bare_extraction(p, with_metadata=True) for p in pages], repeat=3)  # fmt: skip
    rate("bare_extraction, our settings (precision, no comments)", len(pages),
         lambda: [trafilatura.bare_extraction(p, **ours) for p in pages], repeat=3)  # fmt: skip


def without_network(pages: dict[str, bytes], base: str, folder: Path) -> None:
    print("the path without the network (web_articles, then the loader into a new database):")
    paths = [path for path in pages if path.startswith("/news/")]
    articles: list = []

    def extract() -> None:
        articles.extend(article_from_html(pages[p], source=base + p, fetched_url=base + p) for p in paths)

    rate("page -> Article (trafilatura + cleaning)", len(paths), lambda: (articles.clear(), extract()), repeat=3)
    loader = Loader(sqlite_utils.Database(folder / "offline.db"), workers=1)
    rate("Article -> database (claims, scores, clusters, FTS)", len(paths),
         lambda: loader.load_items((a.source, a) for a in articles))  # fmt: skip
    loader = Loader(sqlite_utils.Database(folder / "offline2.db"), workers=1)
    rate("page -> database (both)", len(paths), lambda: loader.load_items(
        (base + p, article_from_html(pages[p], source=base + p, fetched_url=base + p)) for p in paths))  # fmt: skip


def with_network(pages: dict[str, bytes], base: str, folder: Path, per_host: int) -> None:
    print(f"the whole path: the sitemap's URL fetched from a local server ({per_host} at once, no delay):")
    count = sum(path.startswith("/news/") for path in pages)
    loader = Loader(sqlite_utils.Database(folder / "online.db"), workers=1)
    fetcher = Fetcher(FetchOptions(delay=0, per_host=per_host))
    summary: list = []
    rate("URL -> database (fetch, extract, load)", count,
         lambda: summary.append(load_urls(loader, [base + "/sitemap.xml"], fetcher)[0]))  # fmt: skip
    assert summary[0].articles_new == count and not summary[0].problems, summary[0]
    again = Fetcher(FetchOptions(delay=0, per_host=per_host))
    rate("the same sitemap again (its pages loaded before are not asked for)", count,
         lambda: load_urls(loader, [base + "/sitemap.xml"], again))  # fmt: skip
    print("  (with the default politeness, 1 s between requests to a host, one host gives at most 1 page/s)")


# --- the choices -------------------------------------------------------------------------


def feed_choice(base: str, entries: int = 500) -> None:
    from courlan import get_hostinfo
    from trafilatura.feeds import FeedParameters, extract_links

    def params(host: str) -> FeedParameters:
        domain, base_url = get_hostinfo(host + "/feed.xml")  # as trafilatura's own find_feed_urls does
        return FeedParameters(base_url, domain, host + "/feed.xml")

    items = "".join(
        f"<item><title>Story {n}</title><link>{base}/news/{n}.html?utm_source=rss</link><guid>g{n}</guid>"
        f"<pubDate>Tue, 14 Jan 2025 17:45:00 GMT</pubDate><description>Summary {n}.</description></item>"
        for n in range(entries)
    )
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title><link>{base}/news/</link>{items}</channel></rss>'
    print(f"feeds: an RSS feed of {entries} entries (channel link {base}/news/):")
    for host in (base, "https://www.northernledger.co.uk"):
        text = feed.replace(base, host)
        ours, theirs = read_feed(text.encode(), host + "/feed.xml"), extract_links(text, params(host))
        print(f"  on {host}: feedparser {len(ours)} entries with title, author and date; "
              f"trafilatura {len(theirs)} links, channel link counted as an article: {host + '/news/' in theirs}")  # fmt: skip
    rate(
        "feedparser (web_articles.read_feed)", entries, lambda: read_feed(feed.encode(), base + "/feed.xml"), "entries"
    )
    real_host = "https://www.northernledger.co.uk"
    real = feed.replace(base, real_host)
    rate("trafilatura.feeds.extract_links", entries, lambda: extract_links(real, params(real_host)), "entries", 3)
    broken = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T<item><link>x'
    print(f"  a malformed feed: feedparser says {read_feed(broken, base)!r}; "
          f"trafilatura gives {extract_links(broken.decode(), params(real_host))!r}, as for an empty feed")  # fmt: skip


def sitemap_choice(urls: int = 50_000) -> None:
    from courlan import get_hostinfo
    from trafilatura.sitemaps import SitemapObject

    host = "https://www.northernledger.co.uk"
    body = "".join(f"<url><loc>{host}/news/{n}.html</loc><lastmod>2025-01-{n % 28 + 1:02d}</lastmod></url>"
                   for n in range(urls))  # fmt: skip
    sitemap = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'

    def theirs(text: str, site: str = host) -> SitemapObject:
        domain, base_url = get_hostinfo(site + "/sitemap.xml")  # as trafilatura's own sitemap_search does
        found = SitemapObject(base_url or site, domain or "", [], None)
        found.current_url, found.content = site + "/sitemap.xml", text
        found.process()
        return found

    print(f"sitemaps: a urlset of {urls:,} URLs with lastmod:")
    rate("our read (lxml, no entities; newest first)", urls, lambda: read_sitemap(sitemap.encode()), "URLs", 3)
    rate("trafilatura.sitemaps.SitemapObject.process", urls, lambda: theirs(sitemap), "URLs", 3)
    index = (f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
             f"<sitemap><loc>{host}/sitemap-news.xml</loc></sitemap><sitemap><loc>{host}/sitemap-pages?page=1</loc>"
             f"</sitemap></sitemapindex>")  # fmt: skip
    found = theirs(index)
    print(f"  an index whose second child has no .xml name: ours {read_sitemap(index.encode()).sitemaps}; "
          f"trafilatura: sitemaps {found.sitemap_urls}, pages {found.urls}")  # fmt: skip
    local = theirs(sitemap.replace(host, "http://127.0.0.1:8001")[:2000] + "</urlset>", "http://127.0.0.1:8001")
    print(f"  on a host given by IP address (an intranet, a test server): trafilatura finds {len(local.urls)} URLs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--per-host", type=int, default=4)
    options = parser.parse_args()
    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # its warnings about the IP hosts above
    with tempfile.TemporaryDirectory() as folder:
        with serving(options.pages) as (pages, base):
            run_all(pages, base, Path(folder), options.per_host)


def run_all(pages: dict[str, bytes], base: str, folder: Path, per_host: int) -> None:
    html = [page for path, page in pages.items() if path.startswith("/news/")]
    print(f"{len(html)} pages of {sum(map(len, html)) // len(html):,} bytes on average, 20 sentences each\n")
    trafilatura_alone(html)
    without_network(pages, base, folder)
    with_network(pages, base, folder, per_host)
    feed_choice(base)
    sitemap_choice()


if __name__ == "__main__":
    main()

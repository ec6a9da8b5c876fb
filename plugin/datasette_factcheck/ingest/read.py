"""Turn article files into clean ``Article`` records, or one-line ``LoadProblem``s.

Four formats: ``.txt`` (one article per file, optional header line and headline),
``.jsonl`` (one JSON object per line), ``.csv`` (a header row with a ``body`` column) and
``.html``/``.htm`` (a saved web page, read by ``web_articles`` with trafilatura).
JSONL and CSV are streamed record by record, so a huge file never sits in memory whole;
a bad record is reported as ``path:LINE`` and the reading goes on.

This module reads and decodes the files, enforces the size limits and turns records into
``Article``s; ``ingest_files`` finds the files and opens them (only regular files), and the
text itself is cleaned by ``clean``. ``discover`` and ``clean_text`` are re-exported here.
Standard library only but for HTML, whose reader is imported when a page is met: the CLI,
the plugin and the benchmarks all import this module.
"""

from __future__ import annotations

import codecs
import csv
import json
import math
import os
import re
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from ..links import safe_url
from ..records import ARTICLE_FIELDS, MAX_ARTICLE_CHARS, Article, LoadNotice, LoadProblem, LoadWarning
from .clean import clean_text, clean_txt, iso_date
from .files import EXTENSIONS, KINDS, NotRegular, discover, file_size, open_regular, os_reason

__all__ = [  # clean_text, discover and file_size are re-exported: callers import them from here
    "EXTENSIONS",
    "HEAD_BYTES",
    "MAX_ARTICLE_CHARS",
    "MAX_LINE_BYTES",
    "SNIFF_BYTES",
    "clean_text",
    "discover",
    "file_size",
    "read_articles",
]

# Cap on one physical JSONL/CSV line held in memory. JSON escapes take up to 6 bytes per
# character, so a line this long is over the article limit whatever it holds.
MAX_LINE_BYTES = 6 * MAX_ARTICLE_CHARS
SNIFF_BYTES = 8192  # a NUL byte this early means binary
HEAD_BYTES = 65536  # how much of a streamed file is checked up front for its encoding

_KINDS = {dict: "an object", list: "an array", str: "text", bool: "true/false", type(None): "null"}


# --- reading --------------------------------------------------------------------------------


def read_articles(path: Path) -> Iterator[Article | LoadNotice]:
    """Yield the articles of one file, and a ``LoadProblem`` for what cannot load.

    A problem with the whole file is yielded alone; a bad JSONL/CSV record is yielded with
    source ``path:LINE`` and the other records still follow. A record that loads with
    something dropped (a url that is not an http(s) link) is preceded by a ``LoadWarning``.
    """
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        yield LoadProblem(str(path), f"not a {KINDS} file")
        return
    try:
        with open_regular(path) as stream:
            problem = _check_head(stream) if reader in (_read_jsonl, _read_csv) else None
            yield from [LoadProblem(str(path), problem)] if problem else reader(path, stream)
    except NotRegular as error:
        yield LoadProblem(str(path), f"{error}, not a regular file; only regular files are read")
    except OSError as error:
        yield LoadProblem(str(path), os_reason(error, path))


def _read_whole(path: Path, stream: BinaryIO) -> bytes | LoadProblem:
    """A one-article file's bytes, or a problem if it is larger than an article can be."""
    limit = 4 * MAX_ARTICLE_CHARS  # over the limit even if every character took 4 bytes
    size = os.fstat(stream.fileno()).st_size
    data = b"" if size > limit else stream.read(limit + 1)  # bounded: the file may grow meanwhile
    if max(size, len(data)) > limit:
        return LoadProblem(str(path), _too_large(max(size, len(data))))
    return data


def _read_html(path: Path, stream: BinaryIO) -> Iterator[Article | LoadProblem]:
    """A saved web page: its id from the canonical URL it states, else the file name."""
    from .pages import article_from_html  # trafilatura takes a second to import

    data = _read_whole(path, stream)
    if isinstance(data, LoadProblem) or not data.strip():
        yield data if isinstance(data, LoadProblem) else LoadProblem(str(path), "empty file")
        return
    yield article_from_html(data, source=str(path), fallback_id=path.stem)


def _read_txt(path: Path, stream: BinaryIO) -> Iterator[Article | LoadProblem]:
    data = _read_whole(path, stream)
    if isinstance(data, LoadProblem):
        yield data
        return
    text, problem = _decode(data, complete=True)
    if problem is None and len(text) > MAX_ARTICLE_CHARS:
        problem = _too_large(len(text))
    yield LoadProblem(str(path), problem) if problem else _text_article(path.stem, text, str(path))


def _text_article(article_id: str, raw: str, source: str) -> Article | LoadProblem:
    fields, body, spans = clean_txt(raw)
    if not body:
        return LoadProblem(source, "no article text left after removing the header and scraper debris")
    return Article(id=article_id, body=body, source=source, social_spans=spans, **fields)


def _read_jsonl(path: Path, stream: BinaryIO) -> Iterator[Article | LoadNotice]:
    seen: dict[str, int] = {}
    blank = True
    for line in _lines(stream):
        results = _jsonl_record(line, path, seen)
        if results:
            blank = False
            yield from results
    if blank:  # whitespace only, but too big for _check_head to have seen it whole
        yield LoadProblem(str(path), "empty file")


def _jsonl_record(line: _Line, path: Path, seen: dict[str, int]) -> list[Article | LoadNotice]:
    """What one line gives: nothing if blank, else an article (perhaps after a warning) or a problem."""
    where = f"{path}:{line.number}"
    if line.data is None:
        return [LoadProblem(where, _too_large(line.size))]
    try:
        text = line.data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as error:
        return [LoadProblem(where, _not_utf8(error, line.start))]
    if not text.strip():
        return []
    record = _parse_json(text.rstrip())  # with its newline, a cut-off object errs at "line 2"
    if isinstance(record, str):
        return [LoadProblem(where, f"not valid JSON ({record})")]
    if not isinstance(record, dict):
        return [LoadProblem(where, f"not a JSON object (got {_kind(record)})")]
    return _record_article(record, path, line.number, seen)


def _parse_json(text: str) -> Any:
    """The parsed value, or why it is not valid JSON (as text)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        message = error.msg.lower().removesuffix(" at")  # "unterminated string starting at"
        return f"{message} at column {error.colno}"
    except RecursionError:
        return "nested too deeply"
    except ValueError:  # Python refuses to convert an integer literal this long (CVE-2020-10735)
        return f"a number has more than {sys.get_int_max_str_digits()} digits"


def _read_csv(path: Path, stream: BinaryIO) -> Iterator[Article | LoadNotice]:
    seen: dict[str, int] = {}
    line = 0  # last physical line read; a record starts on the line after
    # Article bodies are far longer than the csv module's default 128 KB field limit.
    csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE_BYTES))
    reader = csv.reader(_csv_lines(stream))
    try:
        columns = _csv_columns(next((row for row in reader if _filled(row)), None))
        if isinstance(columns, str):
            yield LoadProblem(str(path), columns)
            return
        line = reader.line_num
        rows = 0
        for row in reader:
            number, line = line + 1, reader.line_num  # a row may span lines: name its first
            if _filled(row):
                rows += 1
                record = {name: row[i] if i < len(row) else "" for name, i in columns.items()}
                yield from _record_article(record, path, number, seen)
        if not rows:
            yield LoadProblem(str(path), "no articles: the CSV has a header row but no rows under it")
    except (csv.Error, _Unreadable) as error:
        # The csv reader cannot resynchronise mid-record, so the rest of the file is lost.
        yield LoadProblem(f"{path}:{line + 1}", f"{_csv_reason(error)}; the rest of the file was not read")


def _csv_columns(header: list[str] | None) -> dict[str, int] | str:
    """Column name -> index (the first of duplicates wins), or why the header is unusable."""
    if header is None:
        return "empty file"
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        columns.setdefault(name.strip().lower(), index)
    if "body" in columns:
        return columns
    names = ", ".join(" ".join(name.split())[:40] for name in header[:20])
    return f"no body column (columns: {names}); the CSV needs a header row with a body column"


def _csv_lines(stream: BinaryIO) -> Iterator[str]:
    for line in _lines(stream):
        if line.data is None:
            raise _Unreadable(_too_large(line.size))
        try:
            yield line.data.decode("utf-8").lstrip("\ufeff")
        except UnicodeDecodeError as error:
            raise _Unreadable(_not_utf8(error, line.start)) from None


def _csv_reason(error: Exception) -> str:
    if isinstance(error, _Unreadable):
        return str(error)
    message = str(error).split(" - ")[0]  # drop the csv module's advice to Python programmers
    if message.startswith("field larger"):
        return f"a field is over {MAX_LINE_BYTES / 1_000_000:g} MB, the limit for one article is 5 MB"
    return f"not valid CSV ({message})"


def _filled(row: list[str]) -> bool:
    return any(cell.strip() for cell in row)


class _Unreadable(Exception):
    """A CSV line that cannot be read; the message is the one-line reason."""


class _Line(NamedTuple):
    number: int
    start: int  # byte offset in the file, for encoding error messages
    data: bytes | None  # None when the line was over MAX_LINE_BYTES (and was skipped)
    size: int


def _lines(stream: BinaryIO) -> Iterator[_Line]:
    """The file's physical lines, never holding more than MAX_LINE_BYTES of one in memory."""
    number = start = 0
    while data := stream.readline(MAX_LINE_BYTES + 1):
        number += 1
        size = len(data)
        if size > MAX_LINE_BYTES and not data.endswith(b"\n"):
            data = None
            while chunk := stream.readline(1 << 20):
                size += len(chunk)
                if chunk.endswith(b"\n"):
                    break
        yield _Line(number, start, data, size)
        start += size


_READERS = {".txt": _read_txt, ".jsonl": _read_jsonl, ".csv": _read_csv, ".html": _read_html, ".htm": _read_html}


# --- records (JSONL and CSV) ----------------------------------------------------------------


def _record_article(
    record: Mapping[str, Any], path: Path, line: int, seen: dict[str, int]
) -> list[Article | LoadNotice]:
    """One JSONL object or CSV row -> [Article], [LoadWarning, Article] or [LoadProblem];
    ``seen`` maps the file's ids to their line."""
    source = f"{path}:{line}"
    problem = _record_problem(record)
    if problem:
        return [LoadProblem(source, problem)]
    raw_id = record.get("id")
    article_id = ("" if raw_id is None else str(raw_id)).strip() or f"{path.stem}-{line}"
    if article_id in seen:
        return [LoadProblem(source, f"duplicate id {article_id!r} (first at line {seen[article_id]}); skipped")]
    body, spans = clean_text(record["body"] or "")
    if not body:
        return [LoadProblem(source, "empty body")]
    seen[article_id] = line
    published = record.get("published")
    url, dropped = _url(record.get("url"))
    article = Article(
        id=article_id, body=body, source=source, social_spans=spans,
        title=_field(record.get("title")), outlet=_field(record.get("outlet")),
        author=_field(record.get("author")), url=url,
        published=iso_date(published) if isinstance(published, str) else None,
    )  # fmt: skip
    return [LoadWarning(source, dropped), article] if dropped else [article]


def _url(value: Any) -> tuple[str | None, str | None]:
    """The record's url if it is an http(s) link, else None and why it was dropped.

    Pages and exports make links of stored URLs, so a ``javascript:`` one is a stored
    script; the article itself is fine and still loads."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    url = safe_url(value)
    if url is not None:
        return url, None
    shown = _shortened(value.strip()) if isinstance(value, str) else _kind(value)
    return None, f"url is not an http(s) link ({shown}); dropped it"


def _shortened(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


# A surrogate code point in decoded text is always a lone one (a valid pair
# decodes to a single character): JSON allows "\ud800", UTF-8 cannot store it.
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _record_problem(record: Mapping[str, Any]) -> str | None:
    if "body" not in record:
        return "no body field"
    for name in ARTICLE_FIELDS:
        value = record.get(name)
        if isinstance(value, str) and _SURROGATE_RE.search(value):
            return f"{name} contains a lone surrogate (an escape such as \\ud800 with no pair); fix or remove it"
    body, article_id = record["body"], record.get("id")
    if body is not None and not isinstance(body, str):
        return f"body is {_kind(body)}, not text"
    if body is not None and len(body) > MAX_ARTICLE_CHARS:
        return _too_large(len(body))
    if article_id is not None and (isinstance(article_id, bool) or not isinstance(article_id, (str, int))):
        return f"id is {_kind(article_id)}; use text or a whole number"
    return None


def _field(value: Any) -> str | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None  # an array or an object is no title or author
    return " ".join(value.split()) or None


def _kind(value: Any) -> str:
    return _KINDS.get(type(value), "a number")


# --- encoding and size ----------------------------------------------------------------------


def _check_head(stream: BinaryIO) -> str | None:
    """A whole-file problem visible in the first bytes of a streamed file; rewinds it."""
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    return _decode(head, complete=len(head) < HEAD_BYTES)[1]


def _decode(data: bytes, complete: bool) -> tuple[str, str | None]:
    """Decode UTF-8 (a BOM allowed): the text, and the reason it is not usable text."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "", "not UTF-8 text (it is UTF-16); save it as UTF-8"
    if b"\0" in data[:SNIFF_BYTES]:
        return "", "binary file, not text"
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        # Incremental, so a head cut in the middle of a character is no error.
        text = codecs.getincrementaldecoder("utf-8")().decode(data[bom:], final=complete)
    except UnicodeDecodeError as error:
        return "", _not_utf8(error, bom)
    return text, "empty file" if complete and not text.strip() else None


def _not_utf8(error: UnicodeDecodeError, base: int) -> str:
    byte = error.object[error.start]
    return f"not UTF-8 text (byte 0x{byte:02x} at offset {base + error.start}); save it as UTF-8"


def _too_large(size: int) -> str:
    megabytes = math.ceil(size / 100_000) / 10  # rounded up: 5,000,001 is "5.1", never "5.0"
    return f"article is {megabytes:g} MB, over the 5 MB limit for one article; split it"

"""Files and folders -> Documents (articles to extract) or Extractions (already annotated).

Supported inputs:

- ``.txt`` / ``.md``: the first line (a Markdown ``# `` heading or plain text) is the
  title, the rest is the body. Metadata may come from YAML-style front matter
  (``---`` lines around ``key: value`` pairs: id, title, date, source, publisher,
  license) or from ``Date:`` / ``Source:`` / ``Publisher:`` / ``License:`` lines right
  after the title. The id is the slug of the file name unless front matter sets it.
- ``.json``: one object in the extraction format. With ``actors``/``roles``/``relations``
  it is an Extraction used as it is (a gold file builds without extraction); without,
  an article to extract.
- ``.jsonl``: one article or extraction object per line.
- ``.html`` / ``.htm``: body text and metadata (title, date, canonical URL) through
  trafilatura, from the file alone (nothing is ever fetched).

Every input must be UTF-8. Every problem raises InputError (or its subclass
ExtractionFormatError) naming the file and, where there is one, the line and column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Union, cast

from ..errors import ExtractionFormatError, InputError, UsageError
from ..model import (
    Document,
    Extraction,
    document_from_json,
    extraction_from_json,
    has_annotations,
    parse_iso_date,
    slugify,
)

if TYPE_CHECKING:
    from trafilatura.settings import Document as Page

Article = Union[Document, Extraction]

TEXT_SUFFIXES = (".txt", ".md")
JSON_SUFFIXES = (".json", ".jsonl")
HTML_SUFFIXES = (".html", ".htm")
SUFFIXES = TEXT_SUFFIXES + JSON_SUFFIXES + HTML_SUFFIXES

_META_KEYS = ("id", "title", "date", "source", "publisher", "license")
_HEADER_LINE = re.compile(r"^(date|source|publisher|license)\s*:\s*(.+?)\s*$", re.IGNORECASE)


def read_inputs(
    paths: list[Path], default_date: str | None = None, skip: Sequence[Path] = ()
) -> list[Article]:
    """Return the Documents and Extractions read from files and folders, in input order.

    Folders are read recursively in sorted order, skipping hidden entries, files whose
    extension is not one of SUFFIXES, and the folders in `skip` (a build's own output
    folder when it lies inside an input folder). `default_date` (YYYY-MM-DD) is the
    publication date of articles that carry none.
    """
    if default_date is not None:
        try:
            parse_iso_date(default_date, what="--date")
        except ValueError as exc:
            raise UsageError(f"{exc}: give the publication date as YYYY-MM-DD") from None
    articles: list[Article] = []
    seen_files: set[Path] = set()
    first_seen: dict[str, str] = {}
    for path in _input_files([Path(p) for p in paths], [Path(s).resolve() for s in skip]):
        resolved = path.resolve()
        if resolved in seen_files:  # a file named both directly and through its folder
            continue
        seen_files.add(resolved)
        for article in read_file(path, default_date=default_date):
            doc = article.document if isinstance(article, Extraction) else article
            if doc.id in first_seen:
                raise InputError(
                    f"duplicate article id {doc.id!r} (also in {first_seen[doc.id]}):"
                    " give each article its own id",
                    path=doc.path or path,
                )
            first_seen[doc.id] = doc.path or str(path)
            articles.append(article)
    return articles


def _input_files(paths: list[Path], skip: list[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if not path.exists():
            raise InputError("no such file or folder", path=path)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and not any(p.resolve().is_relative_to(s) for s in skip)
            )
            if not found:
                raise InputError(f"no articles in this folder (looked for {', '.join(SUFFIXES)})", path=path)
            files.extend(found)
        elif path.suffix.lower() not in SUFFIXES:
            raise InputError(
                f"unknown kind of file {path.suffix or '(no extension)'!r}: "
                f"expected one of {', '.join(SUFFIXES)}",
                path=path,
            )
        else:
            files.append(path)
    return files


def read_file(path: Path, default_date: str | None = None) -> list[Article]:
    """Return the articles in one file (several for .jsonl); the kind follows the extension."""
    path = Path(path)
    text = read_text(path)
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return [_text_document(text, path, default_date)]
    if suffix == ".json":
        return [_from_json_object(_loads(text, path), str(path), default_date)]
    if suffix == ".jsonl":
        return _jsonl_articles(text, path, default_date)
    if suffix in HTML_SUFFIXES:
        return [_html_document(text, path, default_date)]
    raise InputError(
        f"unknown kind of file {suffix or '(no extension)'!r}: expected one of {', '.join(SUFFIXES)}",
        path=path,
    )


def read_text(path: Path) -> str:
    """Return a file's text; raise InputError if it is unreadable, empty, binary or not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", path=path) from None
    if not data.strip():
        raise InputError("the file is empty", path=path)
    if b"\0" in data:
        raise InputError("this is a binary file, not a text article (it contains NUL bytes)", path=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} at byte offset "
            f"{exc.start} cannot be decoded; re-save the file as UTF-8",
            path=path,
            line=line,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# -- JSON ---------------------------------------------------------------------------------


def _loads(text: str, path: Path, line_offset: int = 0) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExtractionFormatError(
            f"malformed JSON: {exc.msg}", path=path, line=exc.lineno + line_offset, column=exc.colno
        ) from None


def _from_json_object(obj: object, origin: str, default_date: str | None) -> Article:
    if isinstance(obj, dict) and has_annotations(obj):
        return extraction_from_json(obj, origin=origin, default_date=default_date)
    return document_from_json(obj, origin=origin, default_date=default_date)


def _jsonl_articles(text: str, path: Path, default_date: str | None) -> list[Article]:
    articles = []
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            obj = _loads(line, path, line_offset=number - 1)
            articles.append(_from_json_object(obj, f"{path}:{number}", default_date))
    return articles


# -- plain text and Markdown ----------------------------------------------------------------


def _text_document(text: str, path: Path, default_date: str | None) -> Document:
    lines = text.split("\n")
    meta: dict[str, tuple[str, int]] = {}  # key -> (value, line number)
    start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is None:
            raise InputError("front matter opened with '---' is never closed", path=path, line=1)
        for i in range(1, end):
            key, sep, value = lines[i].partition(":")
            key = key.strip().lower()
            if sep and key in _META_KEYS:
                meta[key] = (value.strip().strip("'\"").strip(), i + 1)
        start = end + 1
    # Skip blank lines; the first remaining line is the title (if a body follows it).
    while start < len(lines) and not lines[start].strip():
        start += 1
    title = ""
    rest = lines[start:]
    if "title" in meta:
        title = meta["title"][0]
    elif len([ln for ln in rest if ln.strip()]) > 1:
        title = re.sub(r"^#+\s*", "", rest[0]).strip()
        start += 1
        while start < len(lines) and (match := _HEADER_LINE.match(lines[start])):
            meta.setdefault(match.group(1).lower(), (match.group(2), start + 1))
            start += 1
    body = "\n".join(lines[start:]).strip()
    if not body:
        raise InputError("the file has a title but no body text", path=path)
    date = default_date
    if "date" in meta:
        value, line = meta["date"]
        try:
            date = parse_iso_date(value)
        except ValueError as exc:
            raise InputError(str(exc), path=path, line=line) from None
    doc_id = meta["id"][0] if "id" in meta else slugify(path.stem)
    if not re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", doc_id):
        raise InputError(
            f"id {doc_id!r} must be a slug of letters, digits, '.', '_' or '-'", path=path, line=meta["id"][1]
        )
    return Document(
        id=doc_id,
        text=body,
        title=title,
        date=date,
        source=meta.get("source", (None,))[0],
        publisher=meta.get("publisher", (None,))[0],
        license=meta.get("license", (None,))[0],
        path=str(path),
    )


# -- HTML -------------------------------------------------------------------------------------


def _html_document(html: str, path: Path, default_date: str | None) -> Document:
    import trafilatura  # slow to import; only HTML input needs it

    # A string (never a URL) goes in, so trafilatura cannot touch the network.
    # extensive_search=False keeps it from guessing dates out of arbitrary page text.
    # Without as_dict, bare_extraction gives a Document or None; its annotation also allows a dict.
    result = cast(
        "Page | None",
        trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        ),
    )
    paragraphs = [p.strip() for p in (result.text or "").split("\n")] if result else []
    title = (result.title or "").strip() if result else ""
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]  # the headline repeated at the top of the body
    body = "\n\n".join(p for p in paragraphs if p)
    if result is None or not body:
        raise InputError("no article text found in this HTML page", path=path)
    date = default_date
    if result.date:
        try:
            date = parse_iso_date(result.date)
        except ValueError:
            pass  # a partial or odd page date: fall back
    return Document(
        id=slugify(path.stem),
        text=body,
        title=title,
        date=date,
        source=result.url or None,
        license=result.license or None,
        publisher=result.sitename or None,
        path=str(path),
    )

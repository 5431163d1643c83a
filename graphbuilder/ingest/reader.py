"""Files and folders -> Documents (articles to extract) or Extractions (already annotated).

Supported inputs:

- ``.txt`` / ``.md``: the first line (a Markdown ``# `` heading or plain text) is the
  title, the rest is the body. Metadata may come from YAML-style front matter
  (``---`` lines around ``key: value`` pairs: id, title, date, source, publisher,
  license) or from ``Date:`` / ``Source:`` / ``Publisher:`` / ``License:`` lines after
  the title (blank lines may stand before and between them); a metadata-like line left
  at the top of the body is kept as text and warned of (InputWarning). The id is the
  slug of the file name unless front matter sets it.
- ``.json``: one object in the extraction format. With ``actors``/``roles``/``relations``
  it is an Extraction used as it is (a gold file builds without extraction); without,
  an article to extract.
- ``.jsonl``: one article or extraction object per line.
- ``.html`` / ``.htm``: body text and metadata (title, date, canonical URL) through
  trafilatura, from the file alone (nothing is ever fetched).

Every input must be a regular file of UTF-8 text, at most MAX_FILE_BYTES long
(MAX_JSONL_BYTES for .jsonl, each line at most MAX_FILE_BYTES). Every problem raises
InputError (or its subclass ExtractionFormatError) naming the file and, where there is
one, the line and column or the field.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Union, cast

from ..errors import ExtractionFormatError, InputError, InputWarning, UsageError
from ..model import (
    ID_RULE,
    Document,
    Extraction,
    document_from_json,
    extraction_from_json,
    has_annotations,
    is_article_id,
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

#: The largest file of one article (or one line of a .jsonl file) read, in bytes.
MAX_FILE_BYTES = 50_000_000
#: The largest .jsonl file read, in bytes (it holds many articles).
MAX_JSONL_BYTES = 2_000_000_000

#: The path that stands for standard input (`graphbuilder build -`), and its name in messages.
STDIN = Path("-")
STDIN_NAME = Path("<stdin>")

_META_KEYS = ("id", "title", "date", "source", "publisher", "license")
_SURROGATE = re.compile("[\ud800-\udfff]")
_HEADER_LINE = re.compile(r"^(date|source|publisher|license)\s*:\s*(.+?)\s*$", re.IGNORECASE)
# The same, and Title:, as lines that come before the title.
_LEADING_LINE = re.compile(r"^(title|date|source|publisher|license)\s*:\s*(.+?)\s*$", re.IGNORECASE)
_BODY_HEAD_LINES = 5
# A body line that reads like a metadata field ("Published: ...", "Date: ..." after text).
_METADATA_LIKE = re.compile(
    r"^\s*(date|dated|source|publisher|license|licence|published|updated|author|byline|url|link|id|title)"
    r"\s*:\s*\S.{0,150}$",
    re.IGNORECASE,
)


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
    if sum(1 for p in paths if Path(p) == STDIN) > 1:
        raise UsageError("'-' (standard input) is given twice: it can be read once")
    for path in _input_files([Path(p) for p in paths], [Path(s).resolve() for s in skip]):
        if path == STDIN:
            found = read_stdin(default_date)
        else:
            resolved = _resolved(path)
            if resolved in seen_files:  # a file named both directly and through its folder
                continue
            seen_files.add(resolved)
            found = read_file(path, default_date=default_date)
        for article in found:
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
        if path == STDIN:
            files.append(path)
            continue
        try:
            mode = os.stat(path).st_mode
        except FileNotFoundError:
            raise InputError("no such file or folder", path=path) from None
        except (OSError, ValueError) as exc:
            raise InputError(
                f"cannot read this path: {getattr(exc, 'strerror', None) or exc}", path=path
            ) from None
        if stat.S_ISDIR(mode):
            found = sorted(_folder_files(path, skip))
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


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a loop of symbolic links
        raise InputError(f"cannot follow this path: {exc}", path=path) from None


def _folder_files(folder: Path, skip: list[Path]) -> list[Path]:
    """Return the files with an article extension under `folder`, hidden entries and `skip` left out.

    A folder that cannot be listed is an error, never passed over: its articles would
    silently drop out of the graph. Links to folders are not followed (they can loop);
    anything else with an article extension is returned, for read_text to refuse if it
    is not a regular file.
    """
    found: list[Path] = []
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(current) as listing:
                entries = list(listing)
        except OSError as exc:
            raise InputError(f"cannot read the folder: {exc.strerror or exc}", path=current) from None
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                is_folder = entry.is_dir()
                is_link = entry.is_symlink()
            except OSError as exc:
                raise InputError(f"cannot read this entry: {exc.strerror or exc}", path=path) from None
            if any(_resolved(path).is_relative_to(s) for s in skip):
                continue
            if is_folder:
                if not is_link:
                    pending.append(path)
            elif path.suffix.lower() in SUFFIXES:
                found.append(path)
    return found


def read_stdin(default_date: str | None = None, stream: BinaryIO | None = None) -> list[Article]:
    """Return the articles on standard input (`build -`): JSON Lines (one article or
    extraction object per line), one JSON object, or one article as text.

    Text follows the rules of a .txt file; its id is the slug of its title unless front
    matter sets one ("stdin" when it has no title). At most MAX_JSONL_BYTES are read.
    """
    stream = stream if stream is not None else sys.stdin.buffer
    if stream.isatty():
        raise UsageError("'-' reads articles from standard input, but it is a terminal: pipe them in")
    data = stream.read(MAX_JSONL_BYTES + 1)
    if len(data) > MAX_JSONL_BYTES:
        raise InputError(f"more than {MAX_JSONL_BYTES // 1_000_000} MB on standard input", path=STDIN_NAME)
    text = _decoded(data, STDIN_NAME)
    if text.lstrip().startswith("{"):
        try:
            whole = json.loads(text)
        except ValueError:
            whole = None  # not one object: one per line
        if isinstance(whole, dict):
            return [_from_json_object(_loads(text, STDIN_NAME), str(STDIN_NAME), default_date)]
        return _jsonl_articles(text, STDIN_NAME, default_date)
    document = _text_document(text, STDIN_NAME, default_date)
    if not _has_front_matter_id(text):
        # A long headline makes a long id: its first 80 characters, cut at a hyphen.
        slug = (
            slugify(document.title)[:80].rsplit("-", 1)[0]
            if len(slugify(document.title)) > 80
            else slugify(document.title)
        )
        document.id = slug or "stdin"
    return [document]


def _has_front_matter_id(text: str) -> bool:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return False
    for line in lines[1:]:
        if line.strip() in ("---", "..."):
            return False
        if line.partition(":")[0].strip().lower() == "id":
            return True
    return False


def read_file(path: Path, default_date: str | None = None) -> list[Article]:
    """Return the articles in one file (several for .jsonl); the kind follows the extension."""
    path = Path(path)
    suffix = path.suffix.lower()
    text = read_text(path, MAX_JSONL_BYTES if suffix == ".jsonl" else MAX_FILE_BYTES)
    if suffix in TEXT_SUFFIXES:
        return [_text_document(text, path, default_date)]
    if suffix == ".json":
        return [_from_json_object(_loads(text, path), str(path), default_date)]
    if suffix == ".jsonl":
        return _jsonl_articles(text, path, default_date)
    if suffix in HTML_SUFFIXES:
        return [html_document(text, path, default_date)]
    raise InputError(
        f"unknown kind of file {suffix or '(no extension)'!r}: expected one of {', '.join(SUFFIXES)}",
        path=path,
    )


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """Return a file's text; raise InputError if it is unreadable, not a regular file, larger
    than `limit` bytes, empty, binary or not UTF-8."""
    return _decoded(_read_bytes(Path(path), limit), path)


def _decoded(data: bytes, path: Path | str) -> str:
    """Return the text of an input's bytes; InputError if empty, binary or not UTF-8."""
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


def _read_bytes(path: Path, limit: int) -> bytes:
    """Return the bytes of the regular file at `path`, refusing devices, FIFOs and sockets
    (which may never end or never answer) and files over `limit` bytes."""
    # Opened without blocking and checked on the open file: opening a FIFO would wait for
    # a writer, and a check before opening could be outrun by a swap of the file.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", path=path) from None
    with os.fdopen(fd, "rb") as handle:
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                raise InputError(
                    f"not a regular file (it is {_kind_of_file(mode)}): give articles as files", path=path
                )
            data = handle.read(limit + 1)
        except OSError as exc:
            raise InputError(f"cannot read the file: {exc.strerror or exc}", path=path) from None
    if len(data) > limit:
        raise InputError(
            f"the file is larger than {limit // 1_000_000} MB, the most graphbuilder reads "
            f"from one {'.jsonl file' if limit == MAX_JSONL_BYTES else 'article file'}",
            path=path,
        )
    return data


def _kind_of_file(mode: int) -> str:
    kinds = [
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ]
    return next((name for test, name in kinds if test(mode)), "not a regular file")


# -- JSON ---------------------------------------------------------------------------------


def _loads(text: str, path: Path, line: int | None = None) -> object:
    """Return the parsed JSON `text` of `path` (`line`: its line number in a .jsonl file)."""
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExtractionFormatError(
            f"malformed JSON: {exc.msg}", path=path, line=exc.lineno + (line or 1) - 1, column=exc.colno
        ) from None
    except RecursionError:
        raise ExtractionFormatError("malformed JSON: nested too deeply", path=path, line=line) from None
    except ValueError as exc:  # an integer too long to convert, say
        raise ExtractionFormatError(f"malformed JSON: {exc}", path=path, line=line) from None
    field = _field_with_lone_surrogate(obj)
    if field is not None:
        raise ExtractionFormatError(
            f"{field} holds a lone UTF-16 surrogate escape (such as \\ud800), which is no character: "
            "write characters outside the Basic Multilingual Plane as a pair of escapes or as UTF-8",
            path=path,
            line=line,
        )
    return obj


def _field_with_lone_surrogate(obj: object) -> str | None:
    """Return where in a parsed JSON value a string holds a lone surrogate ('actors[0]: "name"'),
    or None.

    JSON lets "\\ud800" through, but no UTF-8 text (and no RDF literal) can hold it.
    """
    pending: list[tuple[tuple[str | int, ...], object]] = [((), obj)]
    while pending:
        where, value = pending.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if _SURROGATE.search(key):
                    return f"a key of {_field_name(where) if where else 'the object'}"
                pending.append(((*where, key), item))
        elif isinstance(value, list):
            pending.extend(((*where, number), item) for number, item in enumerate(value))
        elif isinstance(value, str) and _SURROGATE.search(value):
            return _field_name(where) if where else "the JSON string"
    return None


def _field_name(where: tuple[str | int, ...]) -> str:
    """Return a path into a JSON object as the format's messages name fields: 'actors[0]: "name"'."""
    last_key = max((i for i, part in enumerate(where) if isinstance(part, str)), default=None)
    if last_key is None:
        return "the JSON" + "".join(f"[{part}]" for part in where)
    container = ""
    for part in where[:last_key]:
        container += f"[{part}]" if isinstance(part, int) else f".{part}" if container else part
    field = f'"{where[last_key]}"' + "".join(f"[{part}]" for part in where[last_key + 1 :])
    return f"{container}: {field}" if container else field


def _from_json_object(obj: object, origin: str, default_date: str | None) -> Article:
    if isinstance(obj, dict) and has_annotations(obj):
        return extraction_from_json(obj, origin=origin, default_date=default_date)
    return document_from_json(obj, origin=origin, default_date=default_date)


def _jsonl_articles(text: str, path: Path, default_date: str | None) -> list[Article]:
    articles = []
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_FILE_BYTES:  # characters: at least as many bytes
            raise InputError(
                f"the line is longer than {MAX_FILE_BYTES // 1_000_000} MB, the most graphbuilder "
                "reads for one article",
                path=path,
                line=number,
            )
        if line.strip():
            obj = _loads(line, path, line=number)
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
    # Metadata lines may also come first, a `Title:` among them ("Title: ...\nDate: ...").
    start = _header_lines(lines, start, meta, _LEADING_LINE)
    # Skip blank lines; the first remaining line is the title (if a body follows it).
    while start < len(lines) and not lines[start].strip():
        start += 1
    title = ""
    rest = lines[start:]
    if "title" in meta:
        title = meta["title"][0]
    elif len([ln for ln in rest if ln.strip()]) > 1:
        title = re.sub(r"^#+\s*", "", rest[0]).strip()
        start = _header_lines(lines, start + 1, meta)
    _warn_of_metadata_in_body(lines, start, path)
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
    if not is_article_id(doc_id):
        raise InputError(f"id {doc_id!r} must be {ID_RULE}", path=path, line=meta["id"][1])
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


def _header_lines(
    lines: list[str], start: int, meta: dict[str, tuple[str, int]], pattern: re.Pattern[str] = _HEADER_LINE
) -> int:
    """Read `Date:`-style lines after the title (or, with _LEADING_LINE, `Title:` and
    the others before it) into `meta`; return where the body (or the title) starts.

    Blank lines may stand between the title and the metadata lines and between those
    lines; a blank line that no metadata line follows belongs to the body.
    """
    line = start
    while True:
        while line < len(lines) and not lines[line].strip():
            line += 1
        match = pattern.match(lines[line]) if line < len(lines) else None
        if match is None:
            return start
        meta.setdefault(match.group(1).lower(), (match.group(2), line + 1))
        line += 1
        start = line


def _warn_of_metadata_in_body(lines: list[str], start: int, path: Path) -> None:
    """Warn, once per file, of a line that looks like a metadata field at the top of the body.

    Only the first few lines are looked at: that is where misplaced metadata sits, and
    further down a line such as "Source: ..." is often the article's own text.
    """
    head = [number for number in range(start, len(lines)) if lines[number].strip()][:_BODY_HEAD_LINES]
    found = [number for number in head if _METADATA_LIKE.match(lines[number])]
    if not found:
        return
    fields = ", ".join(repr(lines[number].split(":", 1)[0].strip() + ":") for number in found)
    lines_named = ", ".join(str(number + 1) for number in found)
    warnings.warn(
        InputWarning(
            f"{path}:{found[0] + 1}: {fields} (line{'s' if len(found) > 1 else ''} {lines_named}) "
            f"look{'s' if len(found) == 1 else ''} like metadata but "
            f"{'is' if len(found) == 1 else 'are'} read as body text (graphbuilder reads Title:, "
            "Date:, Source:, Publisher: and License: lines around the title, or front matter "
            "between --- lines)"
        ),
        stacklevel=2,
    )


# -- HTML -------------------------------------------------------------------------------------


def html_document(html: str, path: Path | str, default_date: str | None) -> Document:
    """Return the article in an HTML page: body text, title, date, and canonical URL as source.

    `path` names the page in messages (a file, or the address it was fetched from) and
    gives the id (the slug of its last part); ingest/sources.py sets a fetched page's own.
    """
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
        id=slugify(Path(path).stem),
        text=body,
        title=title,
        date=date,
        source=result.url or None,
        license=result.license or None,
        publisher=result.sitename or None,
        path=str(path),
    )

"""One build's output, as one generation: the lock writers take, the record readers check.

An output folder is replaced file by file (pipeline/build.py `swap_in`), so a reader
that opens it during the swap, or after a build was killed in the middle of it, could
take graph.trig from one build and store/ from another. Three things prevent that:

- A lock (`output_lock`): one build or merge writes into a folder at a time; a second
  one is refused in one line, naming the first one's process.
- A record (`GENERATION_FILE`, out/.graphbuilder-generation.json), moved into place
  last: the size and SHA-256 of every graph file and of graph.html, and a generation id
  made from them (so a rebuild of the same graph writes the same bytes). The Oxigraph
  store carries the same id in a file of its own (`STORE_MARK`).
- Readers (`check_generation`, called by rdf.files.load_dataset) compare what they are
  about to read with the record and refuse an output whose parts belong to two builds.

Staging folders of builds that were killed are removed by the next build into the same
folder, under the lock. An output written before records existed has none and is read
as it is.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import GraphParseError, OutputError
from .fileio import write_text_atomically

GENERATION_FILE = ".graphbuilder-generation.json"
#: The file in an Oxigraph store folder that names the generation it belongs to.
STORE_MARK = "graphbuilder-generation"
#: The parts of an output a record covers, besides the store.
RECORDED = ("graph.trig", "graph.ttl", "graph.jsonld", "graph.html")
#: Recorded outputs that no command reads back: `viz` may rewrite them without mixing two builds.
VIEWS = ("graph.html",)
_CHUNK = 1 << 20


def staging_prefix(out: Path) -> str:
    """Return the name prefix of the staging folders of builds into `out` (beside it)."""
    return f".{Path(out).name}-building-"


def lock_path(out: Path) -> Path:
    """Return the lock file of output folder `out` (beside it, so it exists before `out`)."""
    out = Path(out).absolute()
    return out.parent / f".{out.name}.lock"


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the lock of output folder `out` for the block; raise OutputError if another
    build or merge holds it. Also removes the staging folders that killed builds left.

    The lock file is removed when the block ends (while still locked); a process that
    opened it just before gets the lock on a file no longer there, sees that, and opens
    the new one.
    """
    path = lock_path(out)
    while True:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(path, "a+", encoding="utf-8")
        except OSError as exc:
            raise OutputError(f"cannot write the output here: {exc.strerror or exc}", path=out) from None
        if not _try_lock(handle):
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise OutputError(
                f"another graphbuilder build is writing this output ({holder}): wait for it to "
                "finish, or build into another --out",
                path=out,
            )
        if _same_file(path, handle):
            break
        handle.close()  # the holder before removed this lock file: take the new one
    with handle:
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        try:
            remove_leftovers(out)
            yield
        finally:
            path.unlink(missing_ok=True)
            _unlock(handle)


def _same_file(path: Path, handle) -> bool:
    try:
        return os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino
    except OSError:
        return False


def _try_lock(handle) -> bool:
    try:
        import fcntl
    except ImportError:  # not POSIX: no advisory locks; builds are not serialized
        return True
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise
    return True


def _unlock(handle) -> None:
    try:
        import fcntl
    except ImportError:
        return
    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def remove_leftovers(out: Path) -> list[Path]:
    """Remove the staging folders that builds into `out` left when they were killed.

    Called under the lock: no running build owns one. Returns what was removed.
    """
    out = Path(out).absolute()
    removed = []
    for folder in sorted(out.parent.glob(staging_prefix(out) + "*")):
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def write_generation(staging: Path, store: Path | None) -> str:
    """Write the record of the output in `staging` (and the store's mark); return its id.

    The id is made from the recorded files' hashes, so the same graph gives the same id.
    """
    parts = {}
    for name in RECORDED:
        if (staging / name).is_file():
            size, sha = _digest(staging / name)
            parts[name] = {"size": size, "sha256": sha}
    generation = hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()[:32]
    if store is not None:
        write_text_atomically(store / STORE_MARK, generation + "\n")
    record = {"generation": generation, "store": store is not None, "files": parts}
    write_text_atomically(staging / GENERATION_FILE, json.dumps(record, indent=1, sort_keys=True) + "\n")
    return generation


def check_generation(path: Path, reading: Path | None = None) -> None:
    """Raise GraphParseError if the output folder `path` (or the folder of the file `path`)
    holds parts of two builds: the file about to be read (`reading`) or the store is not
    the one its record names. A folder without a record passes."""
    path = Path(path)
    folder = path if path.is_dir() else path.parent
    record_path = folder / GENERATION_FILE
    if not record_path.is_file():
        return
    try:
        record = json.loads(record_path.read_text(encoding="utf-8"))
        generation, files = record["generation"], record["files"]
    except (OSError, ValueError, KeyError, TypeError):
        raise _mixed(folder, f"its record {GENERATION_FILE} is unreadable") from None
    for name, expected in files.items():
        if name in VIEWS:
            continue  # a page `viz` may write again over its folder's: no command reads it
        part = folder / name
        try:
            size = part.stat().st_size
        except OSError:
            raise _mixed(folder, f"{name} is missing") from None
        if size != expected.get("size"):
            raise _mixed(folder, f"{name} is not the one the last build wrote")
    if reading is not None and reading.name in files and reading.parent == folder:
        if _digest(reading)[1] != files[reading.name].get("sha256"):
            raise _mixed(folder, f"{reading.name} is not the one the last build wrote")
    store = folder / "store"
    if store.is_dir():
        try:
            mark = (store / STORE_MARK).read_text(encoding="utf-8").strip()
        except OSError:
            mark = None
        if not record.get("store") or mark != generation:
            raise _mixed(folder, "its Oxigraph store (store/) is not the one the last build wrote")


def _mixed(folder: Path, why: str) -> GraphParseError:
    return GraphParseError(
        f"holds parts of two builds ({why}): a build is replacing it now, or one was stopped "
        "while it did; wait for it, or run the build again",
        path=folder,
    )

"""Writing files so that a reader never sees half of one."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from .errors import OutputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text_atomically(path: Path, text: str) -> Path:
    """Write `text` as UTF-8 to `path` through a temporary file in the same folder; return `path`.

    The file gets the mode an ordinary `open()` would give it (0666 less the umask),
    not the private 0600 of a temporary file, so that others can read the outputs.
    """
    with atomic_file(path) as handle:
        handle.write(text.encode("utf-8"))
    return Path(path)


@contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """Yield a binary file that becomes `path` only when the block ends without error.

    For outputs too big to hold in memory as one string: they are written as they are
    made, yet a reader never sees half of one (see write_text_atomically).
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError("is a folder, not a file: give a file name", path=path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write here: {exc.strerror or exc}", path=path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~_umask())
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(f"cannot write here: {exc.strerror or exc}", path=path) from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


#: The output path that stands for standard output (`viz --output -`, `export --output -`).
STDOUT = Path("-")


@contextmanager
def output_file(path: Path) -> Iterator[BinaryIO]:
    """Yield atomic_file(path), or standard output when `path` is "-"."""
    if Path(path) == STDOUT:
        stream = sys.stdout.buffer
        yield stream
        stream.flush()
        return
    with atomic_file(path) as handle:
        yield handle


def write_staged(path: Path, text: str) -> Path:
    """Write `text` as UTF-8 to `path` inside a private staging folder; return `path`.

    No temporary file and no fsync of its own: nobody reads the staging folder, and the
    build flushes it once before moving its files into place (build._write_outputs).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
    except OSError as exc:
        raise OutputError(f"cannot write here: {exc.strerror or exc}", path=path) from None
    return path

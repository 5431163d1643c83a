"""Atomic writes: the whole file or the old one, readable like any other output."""

from __future__ import annotations

import os
import stat

import pytest

from graphbuilder.fileio import write_text_atomically


def test_written_file_has_the_umask_mode_not_a_private_one(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_text_atomically(tmp_path / "graph.ttl", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert path.read_text(encoding="utf-8") == "x"


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "graph.ttl"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomically(target, "\udc80 lone surrogate")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]

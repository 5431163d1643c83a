"""Run `graphbuilder ARGS` in a child process; return its wall time and its own peak memory.

The peak is the child's VmHWM (the high-water mark of its resident set) read from
/proc/self/status as it exits, so it counts that process alone: not the benchmark's own
memory (a forked child's ru_maxrss starts at its parent's size), not its worker processes.
Linux only, as the benchmarks are.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_WRAPPER = """
import atexit, sys
def _peak(path=sys.argv[1]):
    with open("/proc/self/status") as status, open(path, "w") as out:
        out.write(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
atexit.register(_peak)
sys.argv = ["graphbuilder", *sys.argv[2:]]
from graphbuilder.cli import main
main()
"""


def run_graphbuilder(
    args: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> tuple[float, int, int, str]:
    """Return (seconds, peak resident bytes, exit status, standard error) of `graphbuilder ARGS`."""
    with tempfile.NamedTemporaryFile(prefix="peak-", suffix=".txt", delete=False) as handle:
        record = Path(handle.name)
    try:
        began = time.perf_counter()
        child = subprocess.run(
            [sys.executable, "-c", _WRAPPER, str(record), *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, **(env or {})},
            cwd=cwd,
        )
        seconds = time.perf_counter() - began
        text = record.read_text().strip()
        peak = int(text) * 1024 if text else 0
        return seconds, peak, child.returncode, child.stderr.decode(errors="replace")
    finally:
        record.unlink(missing_ok=True)

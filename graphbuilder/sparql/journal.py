"""The push journal: how far an unfinished push got, so that running it again finishes it.

A graph store makes each PUT of one named graph atomic, never a whole push: a push that
is killed leaves some graphs new and the rest as they were. Before sending anything,
`push` writes `.push-journal.json` beside the pushed graph, naming per graph store the
graph's fingerprint (SHA-256 of graph.trig) and how many of its named graphs (sent in
IRI order) the store already holds; it is rewritten atomically after every graph and
removed when the push completes. Credentials never enter it: targets are URLs without
their userinfo.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import OutputError
from ..fileio import write_text_atomically

JOURNAL_FILE = ".push-journal.json"
_CHUNK = 1 << 20


def journal_path(graph: Path) -> Path:
    """Return the journal file of a push of `graph` (an output folder, a store or a graph file)."""
    graph = Path(graph)
    if graph.is_dir():
        folder = graph.parent if (graph / "CURRENT").is_file() else graph  # a store: beside it
    else:
        folder = graph.parent
    return folder / JOURNAL_FILE


def fingerprint(graph: Path) -> str | None:
    """Return the SHA-256 of the graph file a push of `graph` reads (graph.trig), or None."""
    graph = Path(graph)
    if graph.is_file():
        file = graph
    else:
        file = (graph.parent if (graph / "CURRENT").is_file() else graph) / "graph.trig"
    if not file.is_file():
        return None
    digest = hashlib.sha256()
    with open(file, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class Progress:
    """One graph store's unfinished push: the graph it sends and how far it got."""

    graph: str | None  # fingerprint of the pushed graph
    total: int  # named graphs in the push
    sent: int = 0  # the first `sent` of them, in IRI order, are on the store
    last_sent: str | None = None  # the IRI of the last of those, to check the order on resume
    started: str = ""
    also_sent: list[str] = field(default_factory=list)  # later graphs a failed push could not put back

    def describe(self) -> str:
        """Return what the store holds, in words."""
        held = []
        if self.sent:
            held.append(
                f"the first {self.sent} of its {self.total} graphs (in IRI order, up to {self.last_sent})"
            )
        if self.also_sent:
            n = len(self.also_sent)
            held.append(
                f"{n} {'more ' if self.sent else ''}graph{'s' * (n != 1)} ({', '.join(self.also_sent)})"
            )
        if not held:
            return f"none of its {self.total} graphs had been sent"
        return f"the graph store holds the new version of {' and '.join(held)}, the old version of the rest"


class PushJournal:
    """The journal file beside a pushed graph: one Progress per graph store URL."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.pushes: dict[str, Progress] = {}
        if not self.path.is_file():
            return
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
            self.pushes = {target: Progress(**entry) for target, entry in document["pushes"].items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise OutputError(
                f"cannot read the push journal ({exc}): remove it, and push again to send every graph",
                path=self.path,
            ) from None

    def begin(self, target: str, graph: str | None, total: int, sent: int, last_sent: str | None) -> None:
        """Record, before anything is sent, that a push of `graph` to `target` starts at `sent`."""
        started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        self.pushes[target] = Progress(graph, total, sent, last_sent, started)
        self._write()

    def sent(self, target: str, count: int, iri: str | None, also_sent: list[str] | None = None) -> None:
        """Record that the first `count` graphs (the last one `iri`) are on `target`."""
        progress = self.pushes[target]
        progress.sent, progress.last_sent = count, iri
        progress.also_sent = list(also_sent or [])
        self._write()

    def put_back(self, target: str, progress: Progress | None) -> None:
        """Record `progress` as `target`'s again (None: forget it): this push changed nothing."""
        if progress is None:
            self.finish(target)
        else:
            self.pushes[target] = progress
            self._write()

    def finish(self, target: str) -> None:
        """Forget `target`'s push (it completed, or left the store as it was); remove an empty journal."""
        self.pushes.pop(target, None)
        if self.pushes:
            self._write()
        else:
            try:
                self.path.unlink(missing_ok=True)
            except OSError as exc:
                raise OutputError(f"cannot remove the push journal: {exc.strerror or exc}", path=self.path)

    def _write(self) -> None:
        document = {
            "about": "graphs an unfinished graphbuilder push has sent: push again to finish it",
            "pushes": {target: vars(progress) for target, progress in self.pushes.items()},
        }
        write_text_atomically(self.path, json.dumps(document, indent=1) + "\n")

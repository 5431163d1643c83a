"""Extraction on a Dask cluster: `graphbuilder build --scheduler tcp://HOST:8786 | local[:N]`.

The client (the `graphbuilder build` process) reads the articles, keeps the incremental
cache and writes the graph; only the extraction of the articles that need it goes to the
cluster, in batches of extract.BATCH_SIZE articles sent with their text. Each worker process loads
the spaCy pipeline once, when it joins (ExtractorPlugin, a Dask worker plugin), and sends
back the small Extraction objects. What is extracted, and so the graph written, is what
one process extracts: the same pipeline, the same batches, the same code, which the plugin
checks on every worker against the client's fingerprint.

Dask does the scheduling: a batch whose worker dies is run again on another (up to
`distributed.scheduler.allowed-failures` times), and the client keys results by article
id, so no article is lost or counted twice. An article that fails to extract raises the
error it raises in one process (its path or id, and why); Dask does not run it again. A
few batches per worker thread are in flight at once, not the whole corpus, so the client's
memory holds the extractions and little more. Stopped (Ctrl-C, SIGTERM, or the caller
closing the iterator), the client cancels the cluster's work before the interruption goes
on; nothing has been written by then.
"""

from __future__ import annotations

import hashlib
import logging
import socket
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError
from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import dask
from distributed import Client, KilledWorker, LocalCluster, WorkerPlugin, as_completed, get_worker

from ..errors import ClusterError, GraphbuilderError, ModelError, UsageError
from ..model import Document, Extraction
from ..options import Scheduler
from ..resources import read_data

if TYPE_CHECKING:
    from ..extract.extractor import SpacyExtractor

#: Seconds to wait for the scheduler to answer, and then for a first worker.
CONNECT_TIMEOUT = 30.0
WORKERS_TIMEOUT = 120.0
#: The Dask settings of the workers (in graphbuilder/data/).
WORKER_SETTINGS = "dask-workers.yaml"
#: Batches in flight per worker thread: enough that no worker waits for its next one.
IN_FLIGHT = 3


class ExtractorPlugin(WorkerPlugin):
    """Loads the spaCy extractor once in each worker process, when it joins the cluster.

    `fingerprint` is the client's: a worker whose graphbuilder, spaCy or pipeline differs
    refuses to extract, since its extractions would not be what the client's cache and
    graph expect. Tasks parse one at a time (`lock`), however many threads the worker has.
    Registered again by a later build of the same fingerprint (its name), the plugin stays
    as it is: a long-running cluster loads the pipeline once per worker, not once per build.
    """

    idempotent = True

    def __init__(self, model: str, fingerprint: str) -> None:
        self.model, self.fingerprint = model, fingerprint
        self.name = "graphbuilder-extractor-" + hashlib.sha256(fingerprint.encode()).hexdigest()[:16]
        self.extractor: SpacyExtractor | None = None
        self.lock = threading.Lock()

    def setup(self, worker) -> None:
        from ..extract.extractor import SpacyExtractor, spacy_fingerprint

        if spacy_fingerprint(self.model) != self.fingerprint:
            raise ModelError(
                f"the Dask worker at {worker.address} would extract differently from this client "
                f"(its graphbuilder, spaCy or {self.model!r} differ): install the same versions there"
            )
        self.extractor = SpacyExtractor(model=self.model)

    def teardown(self, worker) -> None:
        self.extractor = None

    def __getstate__(self) -> dict:
        return {"model": self.model, "fingerprint": self.fingerprint}

    def __setstate__(self, state: dict) -> None:
        self.__init__(state["model"], state["fingerprint"])  # type: ignore[misc]


def extract_batch(documents: list[Document], plugin: str) -> list[Extraction]:
    """Return the extractions of `documents` (a task, run on a worker), without the articles' text.

    The client holds the articles already: their text coming back would double the traffic.
    """
    loaded = get_worker().plugins.get(plugin)
    if not isinstance(loaded, ExtractorPlugin) or loaded.extractor is None:
        raise ModelError("a Dask worker has no graphbuilder extractor loaded")
    with loaded.lock:
        extractions = list(loaded.extractor.extract_stream(documents, len(documents)))
    return [replace(e, document=replace(e.document, text="")) for e in extractions]


def extract_on_cluster(
    documents: list[Document],
    model: str,
    fingerprint: str,
    scheduler: Scheduler | str,
    batch_size: int,
    done: Callable[[int], None] | None = None,
) -> Iterator[Extraction]:
    """Yield the extraction of every document, batch by batch as batches finish, from a Dask cluster.

    Raises UsageError when the scheduler cannot be reached or has no worker, ModelError
    when a worker cannot load the pipeline, ClusterError when the scheduler is lost or a
    batch stops every worker that runs it, and an article's own error as one process
    would. `done(n)` is called as each n articles come back.
    """
    scheduler = Scheduler.of(scheduler)
    by_id = {d.id: d for d in documents}
    batches = iter([documents[i : i + batch_size] for i in range(0, len(documents), batch_size)])
    with _connected(scheduler) as client:
        plugin = _register(client, model, fingerprint, scheduler)
        threads = max(1, sum(client.nthreads().values()))

        sent: dict[object, list[Document]] = {}  # future key -> its batch, while it is out

        def send(count: int) -> list:
            futures = []
            for _, batch in zip(range(count), batches):  # in this order: zip stops before taking one more
                futures.append(client.submit(extract_batch, batch, plugin.name, pure=False))
                sent[futures[-1].key] = batch
            return futures

        running = as_completed(send(threads * IN_FLIGHT))
        try:
            for future in running:
                batch = _result(future, sent, scheduler)
                del sent[future.key]
                future.release()
                for more in send(1):
                    running.add(more)
                if done:
                    done(len(batch))
                for extraction in batch:
                    yield replace(extraction, document=by_id.pop(extraction.document.id))
            if by_id:  # every batch came back, yet some article did not: never expected
                raise ClusterError(
                    f"the cluster returned no extraction for {len(by_id)} articles ({min(by_id)}, ...)"
                )
        except BaseException:
            # Interrupted, or an article failed: the cluster stops this build's work now.
            try:
                client.cancel(list(running.futures), force=True)
            except Exception:  # the scheduler is gone: nothing left to cancel
                pass
            raise


def _result(future, batches: dict, scheduler: Scheduler) -> list[Extraction]:
    """Return a batch's extractions; raise ClusterError when the cluster, not an article, failed."""
    try:
        return future.result()
    except KilledWorker:
        ids = [d.id for d in batches.get(future.key, [])]
        named = f"{ids[0]} ... {ids[-1]}" if len(ids) > 1 else ", ".join(ids)
        raise ClusterError(
            f"the batch of articles {named} stopped every Dask worker that ran it "
            "(out of memory?); nothing was written"
        ) from None
    except (CancelledError, OSError) as exc:
        raise ClusterError(
            f"lost the Dask scheduler at {scheduler} in the middle of the build "
            f"({_first_line(exc) or 'cancelled'}); nothing was written"
        ) from None


class _connected:
    """A Dask client of `scheduler` (and the local cluster it starts, if any), closed on the way out."""

    def __init__(self, scheduler: Scheduler) -> None:
        self.scheduler = scheduler
        self.closables: list = []

    def __enter__(self) -> Client:
        try:
            if self.scheduler.address is None:
                with dask.config.set(worker_settings()):
                    cluster = LocalCluster(
                        n_workers=self.scheduler.workers,
                        threads_per_worker=1,
                        processes=True,
                        dashboard_address=":0",  # no fixed port: another cluster may hold 8787
                        silence_logs=logging.ERROR,
                    )
                self.closables.append(cluster)
                client = Client(cluster)
            else:
                _reachable(self.scheduler.address)  # Dask's client would try again until its timeout
                # The client logs each failed attempt to connect; the error below says it once.
                logging.getLogger("distributed").setLevel(logging.ERROR)
                client = Client(self.scheduler.address, timeout=CONNECT_TIMEOUT)
            self.closables.insert(0, client)
        except OSError as exc:  # refused, timed out, unknown host
            self.close()
            raise UsageError(
                f"cannot reach the Dask scheduler at {self.scheduler} ({_first_line(exc)}); start "
                "one with `dask scheduler` and give the address it prints"
            ) from None
        except BaseException:
            self.close()
            raise
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
        except TimeoutError:
            self.close()
            raise UsageError(
                f"the Dask scheduler at {self.scheduler} has had no worker for {WORKERS_TIMEOUT:.0f} s; "
                f"start some with `dask worker {self.scheduler} --nthreads 1`"
            ) from None
        except BaseException:
            self.close()
            raise
        return client

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        for closable in self.closables:
            try:
                closable.close()
            except Exception:  # a scheduler that is gone already
                pass
        self.closables.clear()


def worker_settings() -> dict:
    """Return the Dask settings local workers start with (data/dask-workers.yaml, which the
    README asks a cluster's own workers to use too): each parse as fast as in a plain process."""
    import yaml  # Dask's own dependency

    def flat(tree: dict, prefix: str = "") -> Iterator[tuple[str, object]]:
        for key, value in tree.items():
            if isinstance(value, dict):
                yield from flat(value, f"{prefix}{key}.")
            else:
                yield f"{prefix}{key}", value

    # Dotted keys: dask.config.set given a nested mapping replaces each whole section.
    return dict(flat(yaml.safe_load(read_data(WORKER_SETTINGS))))


def _reachable(address: str) -> None:
    """Raise OSError (refused, unknown host, timed out) when nothing answers at `address`."""
    parts = urlsplit(address)
    try:
        with socket.create_connection((parts.hostname or "", parts.port or 8786), timeout=CONNECT_TIMEOUT):
            pass
    except ConnectionRefusedError:
        raise OSError("connection refused") from None
    except socket.gaierror:
        raise OSError(f"unknown host {parts.hostname!r}") from None
    except TimeoutError:
        raise OSError(f"no answer in {CONNECT_TIMEOUT:.0f} s") from None


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _register(client: Client, model: str, fingerprint: str, scheduler: Scheduler) -> ExtractorPlugin:
    """Register the extractor plugin on every worker (and on each that joins later)."""
    plugin = ExtractorPlugin(model, fingerprint)
    try:
        client.register_plugin(plugin, name=plugin.name)
    except GraphbuilderError:
        raise
    except (ImportError, AttributeError) as exc:
        raise ModelError(
            f"a Dask worker of {scheduler} cannot load graphbuilder's extractor ({_first_line(exc)}): "
            "install graphbuilder, the version this client runs, where the workers run"
        ) from None
    except OSError as exc:
        raise ModelError(
            f"a Dask worker of {scheduler} cannot load the spaCy pipeline {model!r}: {_first_line(exc)}"
        ) from None
    return plugin

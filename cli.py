"""eventkg command line: a thin typer shell over `extract` (text -> events) and `graph` (events -> answers)."""
from __future__ import annotations

import sys
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

app = typer.Typer(help="Build an event knowledge graph from news articles and query it.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

_HELP_KINDS = {"str": "TEXT", "int": "N", "float": "NUMBER", "file": "FILE", "path": "PATH",
               "directory": "DIR", "datetime": "DATE"}


def _help_value(self, ctx) -> Optional[str]:
    """How `--help` names an option's value: nothing for a flag, else its metavar, its
    choices or its kind in capitals (TEXT, N, FILE), never a Python type."""
    if getattr(self, "is_flag", False):
        return None
    if self.metavar is not None:
        return self.metavar
    label = self.display_type(ctx).strip("<>")
    many = label.startswith("list[")
    label = label[5:-1] if many else label
    label = _HELP_KINDS.get(label, label if "|" in label else label.upper())
    return label + ("..." if many or self.nargs != 1 else "")


def _plain_help_values() -> None:
    from typer.core import TyperArgument, TyperOption

    TyperOption.display_type_rich = _help_value
    TyperArgument.display_type_rich = _help_value


_plain_help_values()


class ExtractFormat(str, Enum):
    jsonl = "jsonl"
    table = "table"


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one error line on stderr and return the Exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def warn(message: str) -> None:
    typer.echo(f"warning: {message}", err=True)


def parse_published(value: Optional[str]) -> Optional[date]:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"invalid --published {value!r}: expected YYYY-MM-DD")


PublishedOpt = Annotated[Optional[str], typer.Option(
    "--published", help="Publication date YYYY-MM-DD for documents that carry none.")]
ModelOpt = Annotated[Optional[str], typer.Option(
    "--model", help="spaCy pipeline to load (default: installed en_core_web_sm).")]


class StdinFormat(str, Enum):
    jsonl = "jsonl"
    txt = "txt"


EncodingOpt = Annotated[Optional[str], typer.Option(
    "--encoding", metavar="NAME", help="Encoding of input files that are not UTF-8 (latin-1, cp1252, utf-16, ...).")]
TextColumnOpt = Annotated[str, typer.Option("--text-column", metavar="COLUMN", help="CSV/TSV column holding the article text.")]
IdColumnOpt = Annotated[str, typer.Option("--id-column", metavar="COLUMN", help="CSV/TSV column holding the document id.")]
DateColumnOpt = Annotated[str, typer.Option("--date-column", metavar="COLUMN", help="CSV/TSV column holding the publication date.")]
TitleColumnOpt = Annotated[str, typer.Option("--title-column", metavar="COLUMN", help="CSV/TSV column holding the title.")]
StdinOpt = Annotated[StdinFormat, typer.Option(
    "--stdin", help="What - reads from stdin: jsonl (one article per line) or txt (one article).")]
DaskOpt = Annotated[Optional[str], typer.Option(
    "--dask", metavar="ADDRESS",
    help="Run extraction on a Dask scheduler (tcp://HOST:8786), or local:N for N local workers.")]
PATHS_HELP = ("Files (.txt, .jsonl, .html, .csv, .tsv, .sgm), directories, "
              "or - for stdin (see --stdin).")


def reader_settings(paths: list[str], published: Optional[str], encoding: Optional[str],
                    text_column: str, id_column: str, date_column: str, title_column: str,
                    stdin: StdinFormat) -> tuple:
    """The publication date and reader options, checked: one error line when they are unusable."""
    from extract.reader import ReaderError, ReaderOptions, check_inputs, check_published

    pub = parse_published(published)
    try:
        check_published(pub)
        check_inputs(paths)
        return pub, ReaderOptions(encoding=encoding, stdin_format=stdin.value, text_column=text_column,
                                  id_column=id_column, date_column=date_column, title_column=title_column)
    except ReaderError as exc:
        raise fail(str(exc))


def note(message: str) -> None:
    typer.echo(message, err=True)


ActorsOpt = Annotated[Optional[list[Path]], typer.Option(
    "--actors", exists=True, dir_okay=False, help="Extra actor alias file(s) (JSON, same shape as the built-in one).")]
TriggersOpt = Annotated[Optional[list[Path]], typer.Option(
    "--triggers", exists=True, dir_okay=False, help="Extra trigger pattern file(s) (JSON, same shape as the "
    "built-in one: `triggers` rows and/or spaCy DependencyMatcher `dependency_patterns`).")]
LearnedOpt = Annotated[Optional[bool], typer.Option(
    "--learned/--no-learned", help="Also let the shipped learned trigger tagger propose triggers for words the "
                                   "lexicon has no pattern for (default: the package default, see README).")]


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help=PATHS_HELP)],
    published: PublishedOpt = None,
    format: Annotated[ExtractFormat, typer.Option("--format", help="jsonl (one event per line) or table.")] = ExtractFormat.jsonl,
    model: ModelOpt = None,
    actors: ActorsOpt = None,
    triggers: TriggersOpt = None,
    encoding: EncodingOpt = None,
    text_column: TextColumnOpt = "text", id_column: IdColumnOpt = "id",
    date_column: DateColumnOpt = "published", title_column: TitleColumnOpt = "title",
    stdin: StdinOpt = StdinFormat.jsonl,
    dask: DaskOpt = None,
    learned: LearnedOpt = None,
) -> None:
    """Extract events from articles and print them (JSON lines on stdout by default).

    Examples:
      eventkg extract examples/ --format table
      eventkg extract reut2-000.sgm > events.jsonl
      cat story.txt | eventkg extract --stdin txt --published 2025-06-01
    """
    from extract.pipeline import ExtractionError, extract_documents
    from extract.reader import read_documents

    pub, options = reader_settings(paths, published, encoding, text_column, id_column, date_column,
                                   title_column, stdin)
    reader = read_documents(paths, pub, warn, options=options, on_notice=note)
    settings = dict(model=model, actor_files=tuple(actors or ()), trigger_files=tuple(triggers or ()))
    try:
        if dask:
            from extract.distributed import extract_documents_dask

            pairs = extract_documents_dask(reader, dask, **settings)
        else:
            pairs = extract_documents(reader, **settings, learned=learned)
        run = (event for _, found in pairs for event in found)
        if format is ExtractFormat.jsonl:
            out = sys.stdout
            for event in run:
                out.write(event.to_json() + "\n")
            out.flush()
        else:
            from extract.table import print_events
            print_events(list(run))
    except ExtractionError as exc:
        raise fail(str(exc))
    if reader.documents_read == 0:
        raise fail("no document could be read")


# -- graph commands -----------------------------------------------------------------------
class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


class Backend(str, Enum):
    embedded = "embedded"
    networkx = "networkx"  # the old name of embedded, still accepted
    neo4j = "neo4j"


class ExportView(str, Enum):
    events = "events"
    actors = "actors"


GraphOpt = Annotated[Optional[Path], typer.Option(
    "--graph", help="Graph database, an SQLite file (default: $EVENTKG_GRAPH or ./eventkg.db).", dir_okay=False)]
BackendOpt = Annotated[Backend, typer.Option(
    "--backend", help="Where the graph lives: embedded (the --graph file) or neo4j; networkx is the old name of embedded.")]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", help="table (for people), json or csv.")]
def did_list(value: Optional[str]) -> Optional[str]:
    """`--did list`: print what --did accepts and stop."""
    if value is not None and value.strip().lower() == "list":
        print_vocabulary()
        raise typer.Exit(0)
    return value


DidOpt = Annotated[Optional[str], typer.Option(
    "--did", metavar="WHAT", callback=did_list, is_eager=True, help="A tag (exercise), a word (drills), a PLOVER category, CATEGORY:mode "
                                  "or a CAMEO prefix; `--did list` prints them all.")]
SinceOpt = Annotated[Optional[str], typer.Option("--since", metavar="WHEN", help="Events that started on or after YYYY[-MM[-DD]].")]
UntilOpt = Annotated[Optional[str], typer.Option("--until", metavar="WHEN", help="Events that started on or before YYYY[-MM[-DD]].")]
ActorOpt = Annotated[Optional[list[str]], typer.Option("--actor", metavar="A", help="Keep results involving this actor (repeatable).")]
FutureOpt = Annotated[bool, typer.Option("--include-future", help="Also count expected (future) events.")]
UriOpt = Annotated[Optional[str], typer.Option("--uri", help="Neo4j Bolt URI (default $NEO4J_URI or bolt://127.0.0.1:7687).")]
UserOpt = Annotated[Optional[str], typer.Option("--user", help="Neo4j user (default $NEO4J_USER or neo4j).")]
PasswordOpt = Annotated[Optional[str], typer.Option("--password", help=(
    "Neo4j password (default $NEO4J_PASSWORD; asked for when neither is set and stdin is a "
    "terminal). Visible to other users in the process list: prefer $NEO4J_PASSWORD, the "
    "prompt, or --password-stdin of `neo4j load`."))]
DatabaseOpt = Annotated[Optional[str], typer.Option("--database", help="Neo4j database (default $NEO4J_DATABASE or neo4j).")]


def graph_file(graph: Optional[Path]) -> Path:
    from graph.store import default_graph_path

    return graph or default_graph_path()


def open_backend(backend: Backend, graph: Optional[Path], uri=None, user=None, password=None, database=None):
    """The query backend (a `graph.types.GraphBackend`)."""
    from graph.backend import EmbeddedBackend

    if backend is Backend.neo4j:
        from graph.neo4j import Neo4jBackend

        return Neo4jBackend(neo4j_settings(uri, user, password, database, ask=True))
    return EmbeddedBackend(graph_file(graph))


def make_filters(backend, did, since, until, actors, include_future, statuses=(), name=None):
    from graph.types import Filters, parse_what, parse_when

    return Filters(did=parse_what(did), since=parse_when(since, option="--since"),
                   until=parse_when(until, end=True, option="--until"),
                   actors=backend.resolve_actors(actors or ()), include_future=include_future,
                   statuses=tuple(statuses or ()),
                   names=backend.resolve_names(name) if name is not None else None)


def print_vocabulary() -> None:
    """What `--did` accepts: the tags, the PLOVER categories with their modes, CAMEO."""
    from graph.vocabulary import vocabulary_lines

    for line in vocabulary_lines():
        typer.echo(line)


def print_rows(rows: list, format: OutputFormat, title: str = "", names: Optional[dict] = None,
               header: Optional[list[str]] = None) -> None:
    """Rows of `graph.types` as a rich table, a JSON array or CSV, on stdout.

    CSV always starts with its header (`header`, the row type's fields, when there are no
    rows). The table keeps to the console's width (`graph.tables.layout`): ids, counts and
    dates never wrap, names and evidence (a window around the event's words) wrap in the
    last column; `names` gives the actor names shown beside ids."""
    import csv
    import json

    from graph.types import csv_cell, row_dict

    dicts = [row_dict(row) for row in rows]
    if format is OutputFormat.json:
        typer.echo(json.dumps(dicts, ensure_ascii=False, indent=1))
        return
    flat = [{k: ("; ".join(map(str, v)) if isinstance(v, list) else ("" if v is None else v))
             for k, v in d.items()} for d in dicts]
    if format is OutputFormat.csv:
        fieldnames = list(flat[0]) if flat else list(header or [])
        writer = csv.DictWriter(sys.stdout, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows({k: csv_cell(v) for k, v in d.items()} for d in flat)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from graph.tables import EVIDENCE, layout

    if not flat:
        typer.echo("no results", err=True)
        return
    console = Console()
    shape = layout(rows, console.width, names)
    table = Table(title=title or None, show_lines=True)
    for name, values in shape.columns:
        table.add_column(name, no_wrap=True, min_width=max(len(name), *(len(v) for v in values)))
    if shape.evidence:
        table.add_column(EVIDENCE, overflow="fold", ratio=1)
    for number in range(len(rows)):
        cells = [Text(values[number]) for _, values in shape.columns]  # text, never markup
        table.add_row(*cells, *([Text(shape.evidence[number])] if shape.evidence else []))
    console.print(table)


def row_fields_of(row_type) -> list[str]:
    from graph.types import row_fields

    return row_fields(row_type)


def table_names(store, rows, format: OutputFormat) -> Optional[dict]:
    """Actor names for the ids a table shows (none needed for JSON and CSV)."""
    if format is not OutputFormat.table:
        return None
    from graph.tables import actor_ids

    ids = actor_ids(rows)
    return store.actor_names(ids) if ids else {}


def run_query(action) -> None:
    """Run `action`, turning the graph layer's named errors into one stderr line."""
    from graph.errors import GraphError

    try:
        action()
    except GraphError as exc:
        raise fail(str(exc))


@app.command()
def build(
    paths: Annotated[list[str], typer.Argument(help=PATHS_HELP)],
    graph: GraphOpt = None,
    published: PublishedOpt = None,
    processes: Annotated[int, typer.Option("--processes", min=1, help="Worker processes for extraction.")] = 1,
    backend: BackendOpt = Backend.embedded,
    model: ModelOpt = None,
    uri: UriOpt = None, user: UserOpt = None, password: PasswordOpt = None, database: DatabaseOpt = None,
    encoding: EncodingOpt = None,
    text_column: TextColumnOpt = "text", id_column: IdColumnOpt = "id",
    date_column: DateColumnOpt = "published", title_column: TitleColumnOpt = "title",
    stdin: StdinOpt = StdinFormat.jsonl,
    dask: DaskOpt = None,
    actors: ActorsOpt = None,
    triggers: TriggersOpt = None,
    progress_every: Annotated[int, typer.Option(
        "--progress-every", min=1, metavar="N",
        help="When stderr is not a terminal, log progress every N documents.")] = 100,
    corrections: Annotated[Optional[Path], typer.Option(
        "--corrections", metavar="FILE", dir_okay=False,
        help="An analyst's corrections (JSON or CSV rows: reject an event, fix its fields, or add "
             "one with its evidence), applied on every build; corrected events are marked.")] = None,
) -> None:
    """Extract events from articles and merge them into the graph file (incremental).

    Shows progress (documents done of the total, rate, ETA) on a terminal, or a log line
    every N documents otherwise. Ctrl-C stops cleanly: every document finished before it is
    kept (exit 130), and running the same build again does the rest.

    Examples:
      eventkg build articles/ --graph cr.db
      eventkg build news.jsonl --actors my_actors.json --triggers my_triggers.json
      eventkg build articles/ --corrections corrections.json
    """
    from extract.pipeline import ExtractionError
    from graph.build import build as build_graph_file

    pub, options = reader_settings(paths, published, encoding, text_column, id_column, date_column,
                                   title_column, stdin)
    target = graph_file(graph)
    neo4j_driver = None

    def run(progress, cancel):
        return build_graph_file(paths, target, published=pub, processes=processes, model=model,
                                on_problem=warn, on_finished=progress.advance, cancel=cancel,
                                reader_options={"options": options, "on_notice": note}, dask=dask,
                                on_note=lambda message: typer.echo(message, err=True),
                                actor_files=tuple(actors or ()), trigger_files=tuple(triggers or ()),
                                corrections=corrections)

    def action() -> None:
        nonlocal neo4j_driver
        if backend is Backend.neo4j:  # fail before extracting when the server is not there
            from graph.neo4j import connect

            settings = neo4j_settings(uri, user, password, database, ask=True)
            neo4j_driver = connect(settings)
        try:
            summary = run_with_progress(run, paths, progress_every)
        except ExtractionError as exc:
            raise fail(str(exc))
        typer.echo(summary.line(target), err=True)  # after the progress bar is gone
        if neo4j_driver is not None:
            load_into_neo4j(neo4j_driver, Path(summary.graph or target), settings.database)

    run_query(action)


def run_with_progress(run, paths: list[str], every: int):
    """`run(progress, cancel)` under a progress display; the first Ctrl-C sets `cancel` (the
    build then commits what it finished and stops), a second one stops at once."""
    import signal
    import threading

    from extract.readers.count import count_documents
    from graph.errors import BuildInterrupted
    from graph.progress import BarProgress, LogProgress

    total = count_documents(paths)
    cancel = threading.Event()

    def stop(signum, frame):
        cancel.set()
        signal.signal(signal.SIGINT, previous)

    previous = signal.signal(signal.SIGINT, stop)
    try:
        display = BarProgress(total) if sys.stderr.isatty() else LogProgress(total, sys.stderr, every)
        with display:
            return run(display, cancel)
    except BuildInterrupted as exc:
        raise fail(str(exc), 130) from None
    except KeyboardInterrupt:
        raise fail("interrupted: every committed batch is kept; run the same build again to "
                   "finish the rest", 130) from None
    finally:  # once interrupted, the process is on its way out: a further Ctrl-C changes nothing
        signal.signal(signal.SIGINT, signal.SIG_IGN if cancel.is_set() else previous)


class PairSort(str, Enum):
    events = "events"
    first = "first"
    last = "last"
    actor = "actor"


class Status(str, Enum):
    asserted = "asserted"
    negated = "negated"
    future = "future"
    hypothetical = "hypothetical"


def pair_filter(store, source, target, pair, sort, limit):
    """The `who` row filter, its actors resolved like --actor."""
    from graph.errors import BadFilter
    from graph.types import PairFilter

    pair_ids = None
    if pair is not None:
        parts = [p.strip() for p in pair.split(",")]
        if len(parts) != 2 or not all(parts):
            raise BadFilter(f"invalid --pair {pair!r}: expected two actors, A,B")
        pair_ids = store.resolve_actors(parts)
    source_id, target_id = (store.resolve_actors((x,))[0] if x else None for x in (source, target))
    return PairFilter(source=source_id, target=target_id, pair=pair_ids, sort=sort.value, limit=limit)


@app.command()
def who(
    did: DidOpt = None, since: SinceOpt = None, until: UntilOpt = None, actor: ActorOpt = None,
    include_future: FutureOpt = False,
    source: Annotated[Optional[str], typer.Option(
        "--source", metavar="A", help="Rows in which A acted: A \u2192 x, and A with x (shown A first).")] = None,
    target: Annotated[Optional[str], typer.Option(
        "--target", metavar="B", help="Rows in which B was acted on: x \u2192 B.")] = None,
    pair: Annotated[Optional[str], typer.Option(
        "--pair", metavar="A,B", help="Rows between A and B, either relation and direction.")] = None,
    status: Annotated[Optional[list[Status]], typer.Option(
        "--status", metavar="S", help="Count events of this status instead (repeatable): asserted, "
                                      "negated, future, hypothetical.")] = None,
    limit: Annotated[int, typer.Option("--limit", metavar="N", min=0, help="At most N rows (0: all).")] = 0,
    sort: Annotated[PairSort, typer.Option(
        "--sort", metavar="KEY", help="events (most first), first (earliest first), last (latest first) or actor.")] = PairSort.events,
    graph: GraphOpt = None,
    backend: BackendOpt = Backend.embedded, format: FormatOpt = OutputFormat.table,
    uri: UriOpt = None, user: UserOpt = None, password: PasswordOpt = None, database: DatabaseOpt = None,
) -> None:
    """Who did WHAT with whom: one row per pair of actors and relation, with the number of
    events, first and last date, event types and one evidence sentence.

    The relation is `with` when both were actors of the events (a joint exercise, a summit)
    and `\u2192` when the first acted on the second (actor and target): "ISR \u2192 IRN attack"
    and "ISR with USA attack" are two rows. Future, hypothetical and negated events are
    left out unless --include-future or --status asks for them.

    Examples:
      eventkg who --did exercise --since 2022
      eventkg who --did attack --source ISR --sort last --limit 10
      eventkg who --pair CHN,RUS --format csv
    """
    from graph.types import PairRow

    def action() -> None:
        store = open_backend(backend, graph, uri, user, password, database)
        filters = make_filters(store, did, since, until, actor, include_future,
                               [s.value for s in status or ()])
        rows = store.who(filters, pair_filter(store, source, target, pair, sort, limit))
        print_rows(rows, format, "who", header=row_fields_of(PairRow))

    run_query(action)


@app.command()
def path(
    a: Annotated[str, typer.Argument(metavar="A", help="Start actor (id, name or alias).")],
    b: Annotated[str, typer.Argument(metavar="B", help="End actor (id, name or alias).")],
    did: DidOpt = None, since: SinceOpt = None, until: UntilOpt = None,
    max_hops: Annotated[int, typer.Option("--max-hops", metavar="N", min=1, help="Longest chain, in events.")] = 4,
    limit: Annotated[int, typer.Option("--limit", metavar="N", min=1, help="How many chains to show.")] = 3,
    include_future: FutureOpt = False, graph: GraphOpt = None,
    backend: BackendOpt = Backend.embedded, format: FormatOpt = OutputFormat.table,
    uri: UriOpt = None, user: UserOpt = None, password: PasswordOpt = None, database: DatabaseOpt = None,
) -> None:
    """Chains of events linking actor A to actor B (A -> event -> actor -> ... -> B), shortest first.

    Examples:
      eventkg path JPN RUS
      eventkg path Russia Taiwan --did exercise --max-hops 3
    """
    from graph.types import HopRow

    def action() -> None:
        store = open_backend(backend, graph, uri, user, password, database)
        filters = make_filters(store, did, since, until, (), include_future)
        start, end = store.resolve_actors((a, b))
        rows = store.path(start, end, filters, max_hops, limit)
        print_rows(rows, format, f"{start} -> {end}", table_names(store, rows, format),
                   header=row_fields_of(HopRow))

    run_query(action)


@app.command()
def timeline(
    actors: Annotated[Optional[list[str]], typer.Argument(
        metavar="[A]...", help="Actors that all take part (none: every event).")] = None,
    did: DidOpt = None, since: SinceOpt = None, until: UntilOpt = None,
    include_future: FutureOpt = False, graph: GraphOpt = None,
    backend: BackendOpt = Backend.embedded, format: FormatOpt = OutputFormat.table,
    uri: UriOpt = None, user: UserOpt = None, password: PasswordOpt = None, database: DatabaseOpt = None,
) -> None:
    """Events in date order, each with its evidence sentence.

    Examples:
      eventkg timeline CHN RUS --since 2024
      eventkg timeline --did sanction --format csv
    """
    from graph.types import EventRow

    def action() -> None:
        store = open_backend(backend, graph, uri, user, password, database)
        filters = make_filters(store, did, since, until, (), include_future)
        ids = store.resolve_actors(actors or ())
        rows = store.timeline(ids, filters)
        print_rows(rows, format, "timeline", table_names(store, rows, format),
                   header=row_fields_of(EventRow))

    run_query(action)


@app.command()
def events(
    did: DidOpt = None, actor: ActorOpt = None, since: SinceOpt = None, until: UntilOpt = None,
    name: Annotated[Optional[str], typer.Option(
        "--name", metavar="NAME", help="Events whose own name holds these words (Joint Sea-2024, "
                                       "\"vostok 2022\"; case, dashes and spaces do not matter).")] = None,
    show_mentions: Annotated[bool, typer.Option(
        "--show-mentions", help="One row per report of each event: document, sentence index, sentence, and "
                                "why the merge counts it as a report of that event.")] = False,
    graph: GraphOpt = None, backend: BackendOpt = Backend.embedded,
    format: FormatOpt = OutputFormat.table,
    uri: UriOpt = None, user: UserOpt = None, password: PasswordOpt = None, database: DatabaseOpt = None,
) -> None:
    """List merged events (every status) matching the filters.

    Examples:
      eventkg events --did exercise --actor CHN --since 2024
      eventkg events --name "Joint Sea-2024" --show-mentions
      eventkg events --did 06 --format csv > events.csv
    """
    from graph.types import EventRow, MentionRow

    def action() -> None:
        store = open_backend(backend, graph, uri, user, password, database)
        filters = make_filters(store, did, since, until, actor, False, name=name)
        if show_mentions:
            print_rows(store.mentions(filters), format, "mentions", header=row_fields_of(MentionRow))
            return
        rows = store.events(filters)
        print_rows(rows, format, "events", table_names(store, rows, format),
                   header=row_fields_of(EventRow))

    run_query(action)


@app.command()
def export(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Output file: .graphml, .gexf, .json (node-link) or .csv.", dir_okay=False)],
    view: Annotated[ExportView, typer.Option("--view", help="events: actors, events, documents; actors: weighted actor-actor edges.")] = ExportView.events,
    did: DidOpt = None, since: SinceOpt = None, until: UntilOpt = None, actor: ActorOpt = None,
    include_future: FutureOpt = False, graph: GraphOpt = None,
) -> None:
    """Write the graph for Gephi (GraphML, dynamic GEXF 1.3) or scripts (JSON, CSV).

    The file is written beside its target and renamed over it. Only the events that match
    the filters are written, with their actors and the documents that report them
    (documents without events are left out). The events view keeps events of every status;
    the actors view counts asserted ones (plus expected ones with --include-future), one
    weighted edge per pair, and as CSV one row per pair. CSV cells that start like a
    spreadsheet formula (= + - @, tab, CR) get a leading apostrophe.

    Examples:
      eventkg export events.gexf --did exercise --since 2022
      eventkg export actors.graphml --view actors --actor CHN
      eventkg export pairs.csv --view actors --until 2024
    """
    from graph.backend import EmbeddedBackend
    from graph.export import export_db

    def action() -> None:
        with EmbeddedBackend(graph_file(graph)) as store:
            filters = make_filters(store, did, since, until, actor, include_future)
            count = export_db(store.db, file, view.value, filters, store.graph_path)
        unit = ("pairs" if view is ExportView.actors else "events") if file.suffix.lower() == ".csv" else "nodes"
        typer.echo(f"wrote {file} ({count} {unit})", err=True)

    run_query(action)


@app.command("import-graph")
def import_graph(
    source: Annotated[Path, typer.Argument(help="An old JSON graph file (eventkg.json).", dir_okay=False)],
    graph: Annotated[Optional[Path], typer.Option(
        "--graph", help="The database to create (default: SOURCE with the suffix .db).", dir_okay=False)] = None,
) -> None:
    """Import a graph file of the old JSON format into a new SQLite graph database.

    The JSON file is left as it was.

    Examples:
      eventkg import-graph eventkg.json                  # writes eventkg.db, the default graph
      eventkg import-graph old.json --graph archive.db
    """
    from graph.store import import_json_graph

    def action() -> None:
        target = graph or source.with_suffix(".db")
        g = import_json_graph(source, target)
        typer.echo(f"imported {source} into {target}: {len(g.documents)} documents, {len(g.events)} "
                   f"events, {g.mention_count} mentions", err=True)

    run_query(action)


# -- pictures -------------------------------------------------------------------------------
plot_app = typer.Typer(help="Draw pictures of the graph: `plot timeline` (PNG, SVG or HTML).",
                       no_args_is_help=True)
app.add_typer(plot_app, name="plot")


class LaneKind(str, Enum):
    type = "type"
    pair = "pair"


def counted(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def picture_title(what: str, actors, did, since, until) -> str:
    """`what` and the filters that chose its events, for a picture's title."""
    parts = [what] if what else []
    if actors:
        parts.append("with " + ", ".join(actors))
    if did:
        parts.append(f"did {did}")
    if since:
        parts.append(f"since {since}")
    if until:
        parts.append(f"until {until}")
    return " · ".join(parts)


@plot_app.command("timeline")
def plot_timeline(
    actors: Annotated[Optional[list[str]], typer.Argument(help="Actors that all take part (none: every event).")] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Picture to write: .png, .svg or .html (the SVG in a page).")] = ...,
    by: Annotated[LaneKind, typer.Option("--by", help="One lane per event type (PLOVER category) or per actor pair.")] = LaneKind.type,
    top: Annotated[int, typer.Option("--top", min=2, help="Busiest lanes drawn; the rest share one 'other' lane.")] = 10,
    did: DidOpt = None, since: SinceOpt = None, until: UntilOpt = None, actor: ActorOpt = None,
    include_future: FutureOpt = False, graph: GraphOpt = None, backend: BackendOpt = Backend.embedded,
    uri: UriOpt = None, user: UserOpt = None, password: PasswordOpt = None, database: DatabaseOpt = None,
) -> None:
    """Plot events over time, one lane per event type or actor pair (PNG, SVG or HTML).

    The events are those of `timeline`: a dot per event at its start date, in the lane of
    its PLOVER category or of each pair it joins (`CHN with RUS`, `JPN → CHN`); spans are
    drawn to their end, expected events hollow; dots grow with mentions.

    Examples:
      eventkg plot timeline -o timeline.png
      eventkg plot timeline CHN RUS --did exercise --since 2022 --by pair -o drills.svg
      eventkg plot timeline --actor Japan --until 2025-06 -o japan.html
    """
    from graph.plot import PLOT_SUFFIXES, check_output, require
    from graph.plot import plot_timeline as draw

    def action() -> None:
        check_output(output, PLOT_SUFFIXES, "plot")  # before any query
        require("matplotlib", "plot timeline")
        store = open_backend(backend, graph, uri, user, password, database)
        filters = make_filters(store, did, since, until, (), include_future)
        names = [*(actors or ()), *(actor or ())]
        rows = store.timeline(store.resolve_actors(names), filters)
        summary = draw(rows, output, by.value, top, picture_title("", names, did, since, until))
        undated = f", {summary.undated} without a date left out" if summary.undated else ""
        typer.echo(f"wrote {output} ({counted(summary.drawn, 'event')} in "
                   f"{counted(len(summary.lanes), 'lane')}{undated})", err=True)

    run_query(action)


@app.command()
def view(
    output: Annotated[Path, typer.Option("--output", "-o", help="Page to write (.html): one file, no network needed to open it.")] = ...,
    did: DidOpt = None, since: SinceOpt = None, until: UntilOpt = None, actor: ActorOpt = None,
    include_future: FutureOpt = False,
    max_events: Annotated[int, typer.Option("--max-events", min=1, help="Most events drawn; past it the most reported are kept.")] = 2000,
    graph: GraphOpt = None, backend: BackendOpt = Backend.embedded,
    uri: UriOpt = None, user: UserOpt = None, password: PasswordOpt = None, database: DatabaseOpt = None,
) -> None:
    """Write the actor–event graph as one self-contained HTML page (works offline).

    The events are those of `timeline`: actors as circles, events as squares coloured by
    type. Clicking an event lists every sentence that reported it, with its document.
    Pan, zoom and hover in the page.

    Examples:
      eventkg view -o graph.html
      eventkg view --did exercise --since 2022 --actor China -o drills.html
    """
    from graph.plot import check_output, require
    from graph.view import VIEW_SUFFIXES, most_reported, view_from

    def action() -> None:
        check_output(output, VIEW_SUFFIXES, "view")  # before any query
        require("bokeh", "view")
        store = open_backend(backend, graph, uri, user, password, database)
        filters = make_filters(store, did, since, until, (), include_future)
        rows = store.timeline(store.resolve_actors(actor or ()), filters)
        if len(rows) > max_events:
            warn(f"{len(rows)} events match: drawing the {max_events} most reported (narrow "
                 "the filters or raise --max-events)")
            rows = most_reported(rows, max_events)
        title = picture_title(counted(len(rows), "event"), actor, did, since, until)
        summary = view_from(store, rows, output, title)
        typer.echo(f"wrote {output} ({counted(summary.events, 'event')}, "
                   f"{counted(summary.actors, 'actor')}, "
                   f"{summary.size / 1e6:.1f} MB)", err=True)

    run_query(action)


@app.command()
def stats(
    graph: GraphOpt = None, backend: BackendOpt = Backend.embedded,
    format: FormatOpt = OutputFormat.table,
    uri: UriOpt = None, user: UserOpt = None, password: PasswordOpt = None, database: DatabaseOpt = None,
) -> None:
    """Counts: documents, events, mentions, actors; events by type, actor and year
    (events without a date count under the year `unknown`).

    Examples:
      eventkg stats
      eventkg stats --backend neo4j --format json
    """
    from graph.types import CountRow

    def action() -> None:
        store = open_backend(backend, graph, uri, user, password, database)
        rows = store.stats()
        print_rows(rows, format, "stats", table_names(store, rows, format), header=row_fields_of(CountRow))

    run_query(action)


class EvalSplit(str, Enum):
    dev = "dev"
    test = "test"
    all = "all"


class EvalFormat(str, Enum):
    table = "table"
    json = "json"


@app.command(name="eval")
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold file (gold.json/gold.jsonl) or a folder holding one.")],
    docs: Annotated[Optional[Path], typer.Option(
        "--docs", help="Folder of the articles (default: articles/ beside the gold), or of the "
                       "Wikipedia current-events pages for a gold with a selection.jsonl.")] = None,
    split: Annotated[EvalSplit, typer.Option("--split", help="dev, test or all items.")] = EvalSplit.all,
    format: Annotated[EvalFormat, typer.Option("--format", help="table or json.")] = EvalFormat.table,
    model: ModelOpt = None,
    actors: ActorsOpt = None,
    triggers: TriggersOpt = None,
    learned: LearnedOpt = None,
) -> None:
    """Score extraction against gold events: precision, recall, F1, extra events, per category.

    Predictions are first merged per document by (category, participant set, status); then
    one-to-one greedy matching, gold events in file order. A prediction matches a gold event
    when its PLOVER category is the gold one or in plover_also_ok; its participants (actors
    plus targets) equal the gold's (with targets_optional: the gold actors are present and the
    rest are gold targets; ids in actors_optional may be added; actors_also_ok gives other
    actor sets); its status is the gold's or in status_also_ok; and its dates overlap the gold
    range (a year or month widened to its whole range). Gold events with "required": false
    are neither misses nor counted when matched. An extra event shares neither category nor
    any participant with a gold event of its document.

    Examples:
      eventkg eval ../shared/seed/gold.json
      eventkg eval ../shared/eval/cr-dev --format json
      eventkg eval ../shared/eval/wce-dev --docs ../shared/eval/datasets/wikipedia-current-events --split test
    """
    import json

    from extract.evaluation import evaluate as run_evaluation
    from extract.gold import GoldError, load_gold
    from extract.pipeline import ExtractionError, Extractor

    try:
        documents = load_gold(gold, docs, split.value)
        report = run_evaluation(documents, Extractor(model, actors or (), triggers or (), learned))
    except (GoldError, ExtractionError) as exc:
        raise fail(str(exc))
    if format is EvalFormat.json:
        typer.echo(json.dumps({"gold": str(gold), "split": split.value, **report.as_dict()}, indent=1))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{gold} ({split.value}, {len(report.documents)} documents)")
    for column in ("category", "P", "R", "F1", "matched", "gold", "predicted", "extra"):
        table.add_column(column, justify="left" if column == "category" else "right")
    rows = [("all", report.total)] + sorted(report.by_category.items())
    for name, tally in rows:
        d = tally.as_dict()
        table.add_row(name, f"{d['precision']:.3f}", f"{d['recall']:.3f}", f"{d['f1']:.3f}",
                      str(d["matched"]), str(d["gold"]), str(d["predicted"]), str(d["extra"]))
    Console().print(table)
    typer.echo(f"extra events per gold event: {report.total.as_dict()['extra_per_gold']:.3f}")


@app.command()
def explain(
    what: Annotated[str, typer.Argument(
        metavar="SENTENCE|DOC:SENTENCE_INDEX",
        help="A sentence in quotes, or DOC:SENTENCE_INDEX of a document in the graph.")],
    published: PublishedOpt = None,
    graph: Annotated[Optional[Path], typer.Option(
        "--graph", dir_okay=False,
        help="Graph to look DOC:SENTENCE_INDEX up in (default: $EVENTKG_GRAPH or ./eventkg.db).")] = None,
    docs: Annotated[Optional[list[str]], typer.Option(
        "--docs", metavar="PATH",
        help="Where the article of DOC is (file or folder): explain the sentence inside the whole "
             "article, as the build read it. Without it, the sentence the graph keeps, on its own.")] = None,
    format: Annotated[EvalFormat, typer.Option("--format", help="table (for people) or json.")] = EvalFormat.table,
    model: ModelOpt = None,
    actors: ActorsOpt = None,
    triggers: TriggersOpt = None,
) -> None:
    """Why a sentence gave an event or none: the parse, the trigger pattern and its roles, how
    each actor resolved, the time and status, and what was dropped or filtered out.

    Examples:
      eventkg explain "China and Russia held joint naval drills on Sunday." --published 2025-12-07
      eventkg explain 2022-09-vostok:3 --graph cr.db
      eventkg explain 2022-09-vostok:3 --graph cr.db --docs examples/ --format json
    """
    import json

    from extract.explain import ExplainError, explain_stored, explain_text, parse_reference, render
    from extract.pipeline import ExtractionError, Extractor
    from graph.errors import GraphError

    reference = graph is not None or (":" in what and not any(c.isspace() for c in what))
    pub = parse_published(published)
    try:
        if reference:
            from graph.sentences import document_mentions

            doc_id, index = parse_reference(what)
            on_date, held = document_mentions(graph_file(graph), doc_id)
            extractor = Extractor(model, actors or (), triggers or ())
            explanation = explain_stored(extractor, doc_id, index, pub or on_date, held, docs)
        else:
            explanation = explain_text(Extractor(model, actors or (), triggers or ()), what, pub)
    except (ExplainError, ExtractionError, GraphError) as exc:
        raise fail(str(exc))
    if format is EvalFormat.json:
        typer.echo(json.dumps(explanation.as_dict(), ensure_ascii=False, indent=1))
    else:
        import shutil

        typer.echo(render(explanation, max(60, shutil.get_terminal_size((100, 24)).columns - 1)))


neo4j_app = typer.Typer(help="Work with a Neo4j server (see the README).", no_args_is_help=True)
app.add_typer(neo4j_app, name="neo4j")


def neo4j_settings(uri=None, user=None, password=None, database=None, password_stdin=False,
                   ask=False):
    """Neo4j settings from options, else NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD/NEO4J_DATABASE;
    the password from stdin with `password_stdin`, else (with `ask`, just before
    connecting) asked for when none is set and stdin is a terminal."""
    import os

    from graph.neo4j import Neo4jSettings

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif ask and password is None and "NEO4J_PASSWORD" not in os.environ and sys.stdin.isatty():
        import getpass

        password = getpass.getpass("Neo4j password: ")
    return Neo4jSettings.from_env(uri, user, password, database)


def load_into_neo4j(driver, graph_path: Path, database: str, batch_size: int = 1000,
                    replace: bool = False) -> None:
    """Load the graph file into Neo4j; Ctrl-C stops between batches (exit 130, one line)."""
    import signal
    import threading

    from graph.neo4j.load import LoadInterrupted
    from graph.neo4j.load import load as load_neo4j
    from graph.store import load

    event_graph = load(graph_path)
    cancel = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda signum, frame: cancel.set())
    try:
        summary = load_neo4j(driver, event_graph, database, batch_size, replace=replace,
                             cancel=cancel)
    except LoadInterrupted:
        raise fail("interrupted: the batches written so far are kept; run `eventkg neo4j "
                   "load` again to finish", 130) from None
    finally:
        signal.signal(signal.SIGINT, previous)
    if summary.foreign_documents:
        warn(f"database {database!r} also holds {summary.foreign_documents} documents that are "
             "not in this graph (another graph loaded before?); `eventkg neo4j load "
             "--replace` clears eventkg's nodes first")
    typer.echo(f"neo4j: {summary.nodes} nodes, {summary.relationships} relationships in "
               f"database {database!r} ({summary.documents_written} documents and "
               f"{summary.events_written} events written, {summary.stale_events_deleted} stale "
               f"events removed, {summary.seconds:.1f}s)", err=True)


@neo4j_app.command("load")
def neo4j_load(
    graph: GraphOpt = None,
    uri: UriOpt = None, user: UserOpt = None, password: PasswordOpt = None, database: DatabaseOpt = None,
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="Read the Neo4j password from the first line of stdin "
                                 "(kept out of the process list), e.g. from a secrets file.")] = False,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Delete every eventkg node (Actor, Event, Document) first, so the "
                          "database holds this graph only. Without it, documents of another "
                          "graph are kept and a warning names how many.")] = False,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Rows per UNWIND batch.")] = 1000,
) -> None:
    """Copy the graph file into Neo4j: schema, then batched writes of what changed since the
    last load (idempotent, resumable; Ctrl-C keeps every finished batch).

    Examples:
      NEO4J_PASSWORD=... eventkg neo4j load --graph eventkg.json
      eventkg neo4j load --replace --password-stdin < neo4j-password.txt
    """
    from graph.neo4j import connect

    def action() -> None:
        settings = neo4j_settings(uri, user, password, database, password_stdin, ask=True)
        path = graph_file(graph)
        from graph.store import load

        load(path)  # a missing or broken graph file is reported before connecting
        driver = connect(settings)
        try:
            load_into_neo4j(driver, path, settings.database, batch_size, replace)
        finally:
            try:
                driver.close()
            except BaseException:  # a connection cut by Ctrl-C may fail to close cleanly
                pass

    try:
        run_query(action)
    except KeyboardInterrupt:
        raise fail("interrupted: run `eventkg neo4j load` again to finish (every finished "
                   "batch is kept)", 130) from None


def main() -> None:
    app()


if __name__ == "__main__":
    main()

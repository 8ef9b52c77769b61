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

ActorsOpt = Annotated[Optional[list[Path]], typer.Option(
    "--actors", exists=True, dir_okay=False, help="Extra actor alias file(s) (JSON, same shape as the built-in one).")]
TriggersOpt = Annotated[Optional[list[Path]], typer.Option(
    "--triggers", exists=True, dir_okay=False, help="Extra trigger pattern file(s) (JSON, same shape as the built-in one).")]


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files (.txt/.jsonl), directories, or - for stdin JSONL.")],
    published: PublishedOpt = None,
    format: Annotated[ExtractFormat, typer.Option("--format", help="jsonl (one event per line) or table.")] = ExtractFormat.jsonl,
    model: ModelOpt = None,
    actors: ActorsOpt = None,
    triggers: TriggersOpt = None,
) -> None:
    """Extract events from articles and print them (JSON lines on stdout by default)."""
    from extract.pipeline import ExtractionError, extract_paths

    pub = parse_published(published)
    try:
        run = extract_paths(paths, published=pub, model=model, on_problem=warn,
                            actor_files=actors or (), trigger_files=triggers or ())
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
    if run.documents_read == 0:
        raise fail("no document could be read")


def main() -> None:
    app()


if __name__ == "__main__":
    main()

"""`--help` reads like a manual: values named in capitals or by their choices (never a
Python type such as <bool> or <list[str]>), and one Examples block per command."""
from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from cli import app

runner = CliRunner()
ALL = [["extract"], ["build"], ["who"], ["path"], ["timeline"], ["events"], ["export"], ["stats"],
       ["import-graph"], ["eval"], ["explain"], ["view"], ["plot", "timeline"], ["neo4j", "load"]]
WITH_EXAMPLES = ALL


def help_text(*command: str) -> str:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("command", ALL, ids=" ".join)
def test_help_shows_no_python_value_types(command):
    text = help_text(*command)
    assert not re.search(r"<(bool|str|int|float|list\[[^\]]*\]|file|path)>", text), text
    flag = re.search(r"--help\s+(\S+)", text)
    assert flag and flag.group(1) == "Show", text  # a flag takes no value


@pytest.mark.parametrize("command", WITH_EXAMPLES, ids=" ".join)
def test_every_command_has_one_examples_block(command):
    text = help_text(*command)
    assert text.count("Examples:") == 1
    examples = text.split("Examples:")[1].split("╭")[0]
    assert re.search(rf"eventkg {' '.join(command)}\b", examples)

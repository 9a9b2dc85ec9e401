"""Running litdb's commands the way a user does, through the Typer runner."""

from __future__ import annotations

import json
from dataclasses import dataclass

from typer.testing import CliRunner

from litdb.cli import app


@dataclass
class Run:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


def run_litdb(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Run:
    result = CliRunner().invoke(app, list(args), env=env, input=input)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)

"""Every command explains itself with --help and shows one example."""

from __future__ import annotations

from typer.main import get_command

from litdb.cli import app
from tests.support.cli import run_litdb


def all_command_paths() -> list[list[str]]:
    paths = []

    def walk(command, prefix):
        subcommands = getattr(command, "commands", None)
        if prefix and (not subcommands or getattr(command, "invoke_without_command", False)):
            paths.append(prefix)
        if not subcommands:
            return
        for name, sub in subcommands.items():
            walk(sub, [*prefix, name])

    walk(get_command(app), [])
    return paths


def test_every_command_has_help_with_an_example() -> None:
    paths = all_command_paths()
    assert ["import"] in paths and ["db", "current"] in paths and ["claims"] in paths
    for path in paths:
        result = run_litdb(*path, "--help")
        assert result.exit_code == 0, path
        assert "Example: litdb" in result.stdout, path


def test_no_arguments_shows_help_and_version_works() -> None:
    assert "Usage" in run_litdb().stdout
    assert run_litdb("--version").stdout.startswith("litdb ")


def test_unknown_command_is_a_usage_error() -> None:
    assert run_litdb("frobnicate").exit_code == 2

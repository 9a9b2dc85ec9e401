"""``python -m litdb``: the same as the ``litdb`` command."""

from litdb.cli import main

main()

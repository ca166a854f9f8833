"""The ``reintegra`` command: options, subcommands and their text renderings."""

from service.cli.commands import main

__all__ = ["main"]

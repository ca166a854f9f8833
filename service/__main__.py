"""`python -m service` runs the command line, like the `reintegra` script."""

from service.cli.commands import main

main()

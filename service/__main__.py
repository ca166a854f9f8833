"""`python -m service` runs the command line, like the `reintegra` script."""

from .cli import main

main()

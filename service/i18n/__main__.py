"""``python -m service.i18n compile|check``: the catalogue tasks the Makefile and CI run."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service.i18n.catalogues import compile_catalogues
from service.i18n.check import check_catalogues, report
from service.namespaces import DEFAULT_LANGUAGE, LANGUAGES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service.i18n")
    tasks = parser.add_subparsers(dest="task", required=True)
    build = tasks.add_parser("compile", help="write the .mo of every .po")
    build.add_argument("--force", action="store_true", help="also the ones that are current")
    check = tasks.add_parser("check", help="fail when a catalogue is stale or incomplete")
    check.add_argument("--root", type=Path, default=Path("."), help="the source tree")
    check.add_argument("--config", type=Path, default=None, help="default: <root>/babel.cfg")
    args = parser.parse_args(argv)

    if args.task == "compile":
        for path in compile_catalogues(force=args.force):
            print(f"compiled {path}")
        return 0
    languages = [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]
    problems = check_catalogues(args.root, args.config or args.root / "babel.cfg", languages)
    print(report(problems), file=sys.stderr if problems else sys.stdout)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

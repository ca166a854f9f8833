"""How a validation report reads on a terminal: grouped by file, one problem a line."""

from __future__ import annotations

from itertools import groupby

from service.validation.model import Report


def render_text(report: Report) -> str:
    lines: list[str] = []
    for file, items in groupby(report.violations, key=lambda v: v.file or "(no file)"):
        lines.append(f"{file}")
        for v in items:
            subject = f" {v.label!r}" if v.label else ""
            focus = f" <{v.focus}>" if v.focus else ""
            path = f" {v.path}" if v.path else ""
            value = f" = {v.value}" if v.value else ""
            kind = "warning" if v.severity == "warning" else "error"
            lines.append(f"  {v.where()}: {kind}:{subject}{focus}{path}{value}: {v.message}")
    errors, warnings = len(report.errors), len(report.warnings)
    verdict = "valid" if report.conforms else "NOT valid"
    lines.append(
        f"{verdict}: {errors} violation{'s' * (errors != 1)}, "
        f"{warnings} warning{'s' * (warnings != 1)} in {len(report.files)} file"
        f"{'s' * (len(report.files) != 1)} ({report.triples} triples)"
    )
    return "\n".join(lines)

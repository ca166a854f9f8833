"""``reintegra export`` and ``reintegra import``: the spreadsheet round trip of the framework.

An import is planned first (every cell checked, the diff computed per item, the touched Turtle
files rewritten in memory), shown, and only then applied: the new files are validated together
with the untouched ones in a temporary folder, and replace the old ones only when the result is
valid. Nothing is half-written: each file is written to a temporary file and renamed over.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.term import Node

from service.errors import ReintegraError, ValidationFailed
from service.namespaces import PREFIXES, local_id
from service.spreadsheet.cells import Triple, changes, from_tables, to_tables
from service.spreadsheet.sheets import ABOUT_TEXT, load_content
from service.spreadsheet.tables import read_tables, write_csv_folder, write_xlsx
from service.spreadsheet.turtle import TurtleFile
from service.store.embedded import to_rdflib

FORMATS = ("xlsx", "csv")


def export_sheets(framework_dir: Path, fmt: str, output: Path) -> Path:
    """Write the framework's sheets as an .xlsx workbook or a folder of .csv files."""
    if fmt not in FORMATS:
        raise ValidationFailed(f"unknown format {fmt!r}; use xlsx or csv")
    tables = to_tables(load_content(framework_dir))
    if fmt == "xlsx":
        write_xlsx(tables, output, ABOUT_TEXT)
    else:
        write_csv_folder(tables, output, ABOUT_TEXT)
    return output


@dataclass
class ItemChange:
    subject: Node
    sheet: str
    file: Path
    new: bool
    removed: list[Triple] = field(default_factory=list)
    added: list[Triple] = field(default_factory=list)


@dataclass
class ImportPlan:
    framework_dir: Path
    items: list[ItemChange]
    texts: dict[Path, str]  # the new text of every file that changes

    @property
    def removed(self) -> int:
        return sum(len(i.removed) for i in self.items)

    @property
    def added(self) -> int:
        return sum(len(i.added) for i in self.items)


def plan_import(source: Path, framework_dir: Path) -> ImportPlan:
    """Check every cell and work out the change; raises ValidationFailed listing all problems."""
    tables = read_tables(source)
    content = load_content(framework_dir)
    plan = from_tables(tables, content)
    removed, added = changes(content.graph, plan)

    per_file: dict[Path, tuple[set[Triple], list[Triple]]] = {
        path: (set(), []) for path in content.files
    }
    items: dict[tuple[Node, Path], ItemChange] = {}

    def item(subject: Node, path: Path) -> ItemChange:
        key = (subject, path)
        if key not in items:
            items[key] = ItemChange(
                subject, plan.sheet_of.get(subject, ""), path, subject in plan.new_items
            )
        return items[key]

    for triple in sorted(removed, key=_sort):
        for path in content.files:
            if triple in content.graphs[path]:
                per_file[path][0].add(triple)
                item(triple[0], path).removed.append(triple)
    for triple in added:
        subject = triple[0]
        home = content.file_of(subject) or content.file_of(plan.new_items.get(subject))
        if home is None:
            raise ValidationFailed(f"no framework file holds {_show(subject)}; add it in Turtle")
        per_file[home][1].append(triple)
        item(subject, home).added.append(triple)

    texts: dict[Path, str] = {}
    for path, (gone, new) in per_file.items():
        if not gone and not new:
            continue
        graph = content.graphs[path]
        subjects = {t[0] for t in gone} | {t[0] for t in new}
        after = {
            s: [(p, o) for _, p, o in graph.triples((s, None, None)) if (s, p, o) not in gone]
            + [(p, o) for s2, p, o in new if s2 == s]
            for s in subjects
        }
        order = {s: [(p, o) for s2, p, o in new if s2 == s] for s in subjects}
        anchors = {s: plan.new_items[s] for s in subjects if s in plan.new_items}
        text = TurtleFile(path, content.texts[path]).rewrite(after, order, anchors)
        _check_rewrite(
            path, text, {(s, p, o) for s, pairs in after.items() for p, o in pairs}, graph, subjects
        )
        texts[path] = text
    ordered = sorted(items.values(), key=lambda i: (i.file.name, i.sheet, _show(i.subject)))
    return ImportPlan(framework_dir, ordered, texts)


def _check_rewrite(path: Path, text: str, wanted: set, before, subjects: set) -> None:
    """The rewritten file must hold exactly the intended triples, or nothing is written."""
    triples = {
        (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object))
        for q in ox.parse(
            text.encode(), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri()
        )
    }
    expected = {t for t in before if t[0] not in subjects} | wanted
    if triples != expected:
        raise ReintegraError(
            f"{path.name}: the rewritten file would not hold exactly the edited triples "
            f"({len(triples ^ expected)} differ); nothing was written. Please report this."
        )


def apply_import(plan: ImportPlan) -> list[Path]:
    """Validate the planned files with the untouched ones, then replace the changed files."""
    if not plan.texts:
        return []
    from service.validation import validate_files

    with tempfile.TemporaryDirectory(prefix="reintegra-import-") as scratch:
        folder = Path(scratch)
        for path in sorted(plan.framework_dir.glob("*.ttl")):
            target = folder / path.name
            if path in plan.texts:
                target.write_text(plan.texts[path], encoding="utf-8")
            else:
                shutil.copyfile(path, target)
        report = validate_files([folder])
        if not report.conforms:
            lines = []
            for violation in report.errors:
                where = violation.where().replace(str(folder), str(plan.framework_dir))
                where = where.replace(os.path.relpath(folder), str(plan.framework_dir))
                lines.append(f"{where}: {violation.message}")
            raise ValidationFailed(
                f"the edited framework would not be valid ({len(lines)} violation"
                f"{'s' * (len(lines) != 1)}); nothing was written:\n  " + "\n  ".join(lines),
                details=[str(line) for line in lines],
            )

    temps: dict[Path, Path] = {}
    try:
        for path, text in plan.texts.items():
            handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(text)
            temps[path] = Path(temp)
        for path, temp in temps.items():
            os.replace(temp, path)
    finally:
        for temp in temps.values():
            temp.unlink(missing_ok=True)
    return sorted(plan.texts)


def _sort(triple: Triple) -> tuple[str, str, str]:
    return (str(triple[0]), str(triple[1]), str(triple[2]))


def _show(node: Node | None) -> str:
    if isinstance(node, URIRef):
        text = str(node)
        best = max(
            (p for p, ns in PREFIXES.items() if text.startswith(ns)),
            key=lambda p: len(PREFIXES[p]),
            default=None,
        )
        return f"{best}:{text[len(PREFIXES[best]) :]}" if best else f"<{text}>"
    if isinstance(node, Literal):
        return node.n3()
    return str(node)


def render_plan(plan: ImportPlan) -> str:
    """The diff, item by item: the triples removed (-) and added (+)."""
    if not plan.items:
        return "no changes: the spreadsheet matches the framework"
    lines = []
    for item in plan.items:
        label = f"{item.sheet}/{local_id(str(item.subject))}" if item.sheet else _show(item.subject)
        status = ", new" if item.new else ""
        lines.append(f"{label}  ({item.file.name}{status})")
        for sign, triples in (("-", item.removed), ("+", item.added)):
            for _, predicate, obj in triples:
                lines.append(f"  {sign} {_show(predicate)} {_show(obj)}")
    count = len({i.subject for i in plan.items})
    lines.append(
        f"{count} item{'s' * (count != 1)} changed in {len(plan.texts)} file"
        f"{'s' * (len(plan.texts) != 1)}: {plan.removed} triple{'s' * (plan.removed != 1)} "
        f"removed, {plan.added} added"
    )
    return "\n".join(lines)

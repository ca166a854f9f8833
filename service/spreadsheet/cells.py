"""Graph to cells (export) and cells to triples (import), with every bad cell reported.

The import checks every cell before anything is compared or written: a missing or unknown
sheet or column, an unknown id, a level outside the scale, an empty translation, a value that is
not a date or a number. Each problem names its sheet, row and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from openpyxl.utils import get_column_letter
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from service.errors import ValidationFailed
from service.namespaces import local_id
from service.spreadsheet.sheets import (
    ABOUT,
    ALL_OR_NONE,
    REQUIRED,
    SHEETS,
    TARGETS,
    Column,
    Content,
    Sheet,
    order_key,
)
from service.spreadsheet.tables import Problem, Table

Triple = tuple[Node, URIRef, Node]
# A cell's place in the graph: subject, predicate and which objects ("@xx", "literal", "iri").
Slot = tuple[Node, URIRef, str]


def slot_of(column: Column) -> str:
    if column.kind == "text":
        return "@" + (column.lang or "")
    return "literal" if column.kind == "literal" else "iri"


def in_slot(obj: Node, slot: str) -> bool:
    if slot.startswith("@"):
        return isinstance(obj, Literal) and (obj.language or "").lower() == slot[1:]
    if slot == "literal":
        return isinstance(obj, Literal) and not obj.language
    return isinstance(obj, URIRef)


def slot_values(graph: Graph, subject: Node, predicate: URIRef, slot: str) -> list[Node]:
    return sorted(
        (o for o in graph.objects(subject, predicate) if in_slot(o, slot)), key=lambda o: str(o)
    )


# Export.


def to_tables(content: Content) -> list[Table]:
    """Every sheet of the framework, with rows in reading order."""
    problems: list[str] = []
    tables = []
    for sheet in SHEETS:
        names = {c.target: _names(content, c.target) for c in sheet.columns if c.kind == "ref"}
        rows = []
        for item in sorted(content.items(sheet), key=lambda i: _row_order(content, sheet, i)):
            cells = []
            for column in sheet.columns:
                cells.append(_cell(content, sheet, column, item, names, problems))
            rows.append(cells)
        header = [c.header for c in sheet.columns]
        tables.append(Table(sheet.name, header, [(n, r) for n, r in enumerate(rows, start=2)]))
    if problems:
        raise ValidationFailed(
            "cannot export, some values do not fit one cell:\n  " + "\n  ".join(problems),
            details=problems,
        )
    return tables


def _names(content: Content, target: str) -> dict[Node, str]:
    return {iri: name for name, iri in content.references(target).items()}


def _row_order(content: Content, sheet: Sheet, item: Node) -> tuple:
    if sheet.key == ("id",):
        return order_key(content, item)
    keys = []
    for header in sheet.key:
        value = content.graph.value(item, sheet.column(header).predicate)
        keys.append(order_key(content, value) if value is not None else ())
    return tuple(keys)


def _cell(content, sheet, column, item, names, problems) -> str:
    if column.kind == "key":
        return local_id(str(item))
    if column.kind == "derived":
        return column.derive(content.graph, item)
    values = slot_values(content.graph, item, column.predicate, slot_of(column))
    if len(values) > 1:
        problems.append(
            f"{sheet.name}: {local_id(str(item))} has {len(values)} values for {column.header}; "
            "keep one in the Turtle file"
        )
        return ""
    if not values:
        return ""
    if column.kind == "ref":
        name = names[column.target].get(values[0])
        if name is None:
            problems.append(
                f"{sheet.name}: {local_id(str(item))} has {column.header} <{values[0]}>, which is "
                f"not a {column.target} of the framework"
            )
            return ""
        return name
    return str(values[0])


# Import.


@dataclass
class Plan:
    """What the sheets say the graph should hold, cell by cell."""

    slots: set[Slot] = field(default_factory=set)
    triples: list[Triple] = field(default_factory=list)
    new_items: dict[Node, Node] = field(default_factory=dict)  # new item -> item it follows
    sheet_of: dict[Node, str] = field(default_factory=dict)


def from_tables(tables: dict[str, Table], content: Content) -> Plan:
    """Read every sheet; raise ValidationFailed with every problem found, else the plan."""
    plan = Plan()
    problems: list[Problem] = []
    derived: list[tuple[Sheet, Column, Node, int, str]] = []
    known = {s.name for s in SHEETS}
    for name in tables:
        if name not in known and name != ABOUT:
            problems.append(
                Problem(
                    name,
                    None,
                    None,
                    "unknown sheet; the import reads only the sheets "
                    f"{', '.join(s.name for s in SHEETS)} (and skips 'about')",
                )
            )
    for sheet in SHEETS:
        table = tables.get(sheet.name)
        if table is None:
            problems.append(Problem(sheet.name, None, None, "the sheet is missing"))
            continue
        _read_sheet(sheet, table, content, plan, problems, derived)
    if not problems:
        new_graph = _planned_graph(content.graph, plan)
        for sheet, column, subject, row, value in derived:
            expected = column.derive(new_graph, subject)
            if value.strip() != expected:
                problems.append(
                    Problem(
                        sheet.name,
                        row,
                        column.header,
                        f"this column is filled from other facts and is not imported: it must "
                        f"read {expected!r} here; change the fact it shows instead",
                        _letter(table_of(tables, sheet), column.header),
                    )
                )
    if problems:
        raise ValidationFailed(
            f"the import found {len(problems)} problem{'s' * (len(problems) != 1)}; "
            "nothing was written:\n  " + "\n  ".join(str(p) for p in problems),
            details=[p.to_json() for p in problems],
        )
    return plan


def table_of(tables: dict[str, Table], sheet: Sheet) -> Table:
    return tables[sheet.name]


def _letter(table: Table, header: str) -> str | None:
    return get_column_letter(table.header.index(header) + 1) if header in table.header else None


def _planned_graph(graph: Graph, plan: Plan) -> Graph:
    removed, added = changes(graph, plan)
    result = Graph()
    result += graph
    for triple in removed:
        result.remove(triple)
    for triple in added:
        result.add(triple)
    return result


def changes(graph: Graph, plan: Plan) -> tuple[set[Triple], list[Triple]]:
    """The triples the plan removes from the graph, and those it adds (in cell order)."""
    old = {
        (subject, predicate, obj)
        for subject, predicate, slot in plan.slots
        for obj in graph.objects(subject, predicate)
        if in_slot(obj, slot)
    }
    wanted = set(plan.triples)
    added: list[Triple] = []
    for triple in plan.triples:
        if triple not in old and triple not in added:
            added.append(triple)
    return old - wanted, added


def _read_sheet(sheet, table, content, plan, problems, derived) -> None:
    headers = [c.header for c in sheet.columns]
    bad = False
    seen_headers: set[str] = set()
    for position, header in enumerate(table.header, start=1):
        letter = get_column_letter(position)
        if header in seen_headers:
            problems.append(Problem(sheet.name, 1, header, "the column appears twice", letter))
            bad = True
        seen_headers.add(header)
        if header not in headers:
            label = header or "(empty header)"
            problems.append(
                Problem(
                    sheet.name, 1, label, "unknown column; remove it or restore its name", letter
                )
            )
            bad = True
    for header in headers:
        if header not in table.header:
            problems.append(Problem(sheet.name, 1, header, "missing column"))
            bad = True
    if bad:
        return
    where = {h: i for i, h in enumerate(table.header)}
    items = content.items(sheet)
    by_id = {local_id(str(i)): i for i in items}
    refs = {c.target: content.references(c.target) for c in sheet.columns if c.kind == "ref"}
    rows_of: dict[Node, int] = {}
    for row, raw in table.rows:
        cells = raw + [""] * (len(table.header) - len(raw))
        if any(v.strip() for v in cells[len(table.header) :]):
            problems.append(
                Problem(
                    sheet.name,
                    row,
                    None,
                    "a cell right of the last column "
                    "holds text; move it into a column or delete it",
                )
            )
        here = len(problems)

        def value(header: str, cells: list[str] = cells) -> str:
            return cells[where[header]]

        def problem(header: str | None, message: str, row: int = row) -> None:
            letter = get_column_letter(where[header] + 1) if header in where else None
            problems.append(Problem(sheet.name, row, header, message, letter))

        subject = _row_subject(sheet, content, items, by_id, refs, value, problem, plan)
        if subject is None:
            continue
        if subject in rows_of:
            problem(sheet.key[0], f"this {sheet.noun} already has row {rows_of[subject]}")
            continue
        rows_of[subject] = row
        plan.sheet_of[subject] = sheet.name
        new_triples: list[Triple] = []
        filled: dict[str, list[str]] = {}
        for column in sheet.columns:
            text = value(column.header)
            if column.kind == "key":
                continue
            if column.kind == "derived":
                derived.append((sheet, column, subject, row, text))
                continue
            slot = slot_of(column)
            old = slot_values(content.graph, subject, column.predicate, slot)
            plan.slots.add((subject, column.predicate, slot))
            if column.kind == "text":
                filled.setdefault(column.field, [])
                if text.strip():
                    filled[column.field].append(column.lang)
                    same = [o for o in old if str(o) == text]
                    new_triples.append(
                        (
                            subject,
                            column.predicate,
                            same[0] if same else Literal(text, lang=column.lang),
                        )
                    )
                continue
            if not text.strip():
                if column.required:
                    problem(
                        column.header,
                        f"empty cell: every {sheet.noun} needs a {column.header.replace('_', ' ')}",
                    )
                continue
            if column.kind == "ref":
                target = refs[column.target].get(text.strip())
                if target is None:
                    problem(column.header, _unknown(column.target, text.strip(), content))
                    continue
                new_triples.append((subject, column.predicate, target))
                continue
            literal = _literal(text.strip(), column.datatype, old)
            if not isinstance(literal, Literal):
                problem(column.header, literal)
                continue
            new_triples.append((subject, column.predicate, literal))
        for column in sheet.columns:
            if column.kind != "text" or column.lang in filled.get(column.field, []):
                continue
            given = filled.get(column.field, [])
            if column.need == REQUIRED:
                problem(
                    column.header,
                    f"empty translation: every {sheet.noun} needs its "
                    f"{column.field.replace('_', ' ')} in all four languages",
                )
            elif column.need == ALL_OR_NONE and given:
                problem(
                    column.header,
                    f"empty translation: the {column.field.replace('_', ' ')} "
                    f"is given in {', '.join(given)} but not in {column.lang}; fill it in, "
                    "or empty it in every language",
                )
        if len(problems) == here:
            plan.triples.extend(new_triples)
    for item in sorted(items - set(rows_of), key=lambda i: local_id(str(i))):
        problems.append(
            Problem(
                sheet.name,
                None,
                sheet.key[0],
                f"no row for {sheet.noun} "
                f"'{local_id(str(item))}': the import cannot delete items; put the row "
                "back (items are deleted in the Turtle files)",
            )
        )


def _row_subject(sheet, content, items, by_id, refs, value, problem, plan) -> Node | None:
    if sheet.key == ("id",):
        name = value("id").strip()
        if not name:
            problem("id", f"empty id: give the id of an existing {sheet.noun}")
            return None
        if name not in by_id:
            problem(
                "id",
                f"unknown {sheet.noun} id {name!r}; the spreadsheet edits existing "
                f"items only (new {sheet.noun}s are added in the Turtle files)",
            )
            return None
        return by_id[name]
    keys: dict[str, Node] = {}
    for header in sheet.key:
        column = sheet.column(header)
        text = value(header).strip()
        target = refs[column.target].get(text) if text else None
        if target is None:
            message = _unknown(column.target, text, content) if text else f"empty {header}"
            problem(header, message)
        else:
            keys[header] = target
    if len(keys) < len(sheet.key):
        return None
    for item in items:
        if all((item, sheet.column(h).predicate, keys[h]) in content.graph for h in sheet.key):
            return item
    if sheet.create is None:
        problem(sheet.key[0], f"no {sheet.noun} matches this row")
        return None
    namespace, pattern, home = sheet.create
    subject = URIRef(namespace + pattern.format(**{h: local_id(str(v)) for h, v in keys.items()}))
    if (subject, None, None) in content.graph:
        problem(
            sheet.key[0],
            f"a new {sheet.noun} would be <{subject}>, which already exists "
            "with other facts; fix it in the Turtle file",
        )
        return None
    plan.slots.add((subject, RDF.type, "iri"))
    plan.triples.append((subject, RDF.type, sheet.classes[0]))
    plan.new_items[subject] = keys[home]
    return subject


def _unknown(target: str, text: str, content: Content) -> str:
    names = content.references(target)
    if target == "level":
        scale = sorted(names, key=lambda n: order_key(content, names[n]))
        return f"level {text!r} is not on the scale; use one of {', '.join(scale)}"
    what = target.replace("_", " ") + ("" if TARGETS[target][1] else " id")
    if len(names) <= 8:
        return f"unknown {what} {text!r}; use one of {', '.join(sorted(names))}"
    return f"unknown {what} {text!r}"


_INTEGER = re.compile(r"^[+-]?\d+$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _literal(text: str, datatype: URIRef | None, old: list[Node]) -> Literal | str:
    """The literal a cell stands for (keeping the file's own spelling of an equal value)."""
    for previous in old:
        if str(previous) == text:
            return previous
    if datatype is None:
        return Literal(text)
    if datatype == XSD.integer:
        if not _INTEGER.match(text):
            return f"{text!r} is not a whole number"
        literal = Literal(text, datatype=XSD.integer)
    elif datatype == XSD.decimal:
        try:
            Decimal(text)
        except InvalidOperation:
            return f"{text!r} is not a decimal number; write it like 12.5"
        if not re.match(r"^[+-]?(\d+(\.\d*)?|\.\d+)$", text):
            return f"{text!r} is not a decimal number; write it like 12.5"
        literal = Literal(text, datatype=XSD.decimal)
    elif datatype == XSD.date:
        try:
            if not _DATE.match(text):
                raise ValueError
            date.fromisoformat(text)
        except ValueError:
            return f"{text!r} is not a date; write it as YYYY-MM-DD, for example 2027-05-10"
        literal = Literal(text, datatype=XSD.date)
    else:
        literal = Literal(text, datatype=datatype)
    for previous in old:
        if isinstance(previous, Literal) and previous.datatype == literal.datatype:
            if previous.toPython() == literal.toPython():
                return previous
    return literal

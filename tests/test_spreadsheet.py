"""``reintegra export`` / ``reintegra import``: the spreadsheet round trip of the framework.

Every test works on a copy of a framework folder in tmp_path; nothing writes into the repo.
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from conftest import FIXTURE_FRAMEWORK
from service.cli.commands import main
from service.errors import InputFileError, ValidationFailed
from service.namespaces import COMPETENCE, DESCRIPTOR, LEVEL, RG, SKOS
from service.spreadsheet import apply_import, export_sheets, plan_import
from service.spreadsheet.statement import edit, groups
from service.spreadsheet.turtle import TurtleFile
from service.store.bundle import framework_files

BUNDLED = list(framework_files())
ALL_FILES = BUNDLED + sorted(FIXTURE_FRAMEWORK.glob("*.ttl"))


def file_id(path: Path) -> str:
    return f"{path.parent.parent.name}/{path.parent.name}/{path.name}"


def copy_framework(source: Path | list[Path], target: Path) -> Path:
    target.mkdir(parents=True)
    files = sorted(source.glob("*.ttl")) if isinstance(source, Path) else source
    for path in files:
        shutil.copyfile(path, target / path.name)
    return target


def graph_of(folder: Path) -> Graph:
    graph = Graph()
    for path in sorted(folder.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def set_cell(workbook: Path, sheet: str, key: dict[str, str], header: str, value) -> int:
    """Change one cell of the row whose key columns match; returns the row number."""
    book = openpyxl.load_workbook(workbook)
    ws = book[sheet]
    headers = [c.value for c in ws[1]]
    for row in range(2, ws.max_row + 1):
        if all(ws.cell(row, headers.index(k) + 1).value == v for k, v in key.items()):
            ws.cell(row, headers.index(header) + 1).value = value
            book.save(workbook)
            return row
    raise AssertionError(f"no row {key} in {sheet}")


@pytest.fixture
def fixture_copy(tmp_path) -> Path:
    return copy_framework(FIXTURE_FRAMEWORK, tmp_path / "framework")


@pytest.fixture
def workbook(fixture_copy, tmp_path) -> Path:
    return export_sheets(fixture_copy, "xlsx", tmp_path / "sheets.xlsx")


# Lossless round trip.


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "zip"])
def test_export_then_import_changes_nothing(fixture_copy, tmp_path, fmt):
    before_graph, before_files = graph_of(fixture_copy), fingerprint(fixture_copy)
    if fmt == "zip":
        folder = export_sheets(fixture_copy, "csv", tmp_path / "csv")
        source = tmp_path / "sheets.zip"
        with zipfile.ZipFile(source, "w") as archive:
            for path in folder.glob("*.csv"):
                archive.write(path, path.name)
    else:
        source = export_sheets(fixture_copy, fmt, tmp_path / f"sheets.{fmt}")
    plan = plan_import(source, fixture_copy)
    assert plan.items == [] and plan.texts == {}
    assert apply_import(plan) == []
    assert fingerprint(fixture_copy) == before_files
    assert isomorphic(graph_of(fixture_copy), before_graph)


@pytest.mark.skipif(not BUNDLED, reason="the bundled framework is not written yet")
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_round_trip_of_the_bundled_framework_is_lossless(tmp_path, fmt):
    folder = copy_framework(BUNDLED, tmp_path / "framework")
    before_graph, before_files = graph_of(folder), fingerprint(folder)
    source = export_sheets(folder, fmt, tmp_path / f"sheets.{fmt}")
    plan = plan_import(source, folder)
    assert plan.items == []
    apply_import(plan)
    assert fingerprint(folder) == before_files
    assert isomorphic(graph_of(folder), before_graph)


def test_export_holds_every_item_of_the_fixture(workbook):
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames[0] == "about"
    assert book["competences"].max_row == 1 + 3
    assert book["descriptors"].max_row == 1 + 18
    assert book["activities"].max_row == 1 + 4
    headers = [c.value for c in book["competences"][1]]
    assert headers[:4] == ["id", "strand", "area", "notation"]
    assert {"label_en", "label_it", "label_ro", "label_nl", "knowledge_nl"} <= set(headers)
    # Cells are stored as text: a designer's '=...' never becomes a formula.
    assert all(c.data_type == "s" for row in book["levels"].iter_rows() for c in row if c.value)


# A changed cell changes exactly that triple.


def test_changed_cell_changes_exactly_that_triple(fixture_copy, workbook):
    before = graph_of(fixture_copy)
    texts = {p.name: p.read_text(encoding="utf-8") for p in fixture_copy.glob("*.ttl")}
    set_cell(workbook, "competences", {"id": "service-mapping"}, "label_it", "Mappa dei servizi")
    plan = plan_import(workbook, fixture_copy)
    assert [(i.sheet, str(i.subject)) for i in plan.items] == [
        ("competences", str(COMPETENCE["service-mapping"]))
    ]
    assert apply_import(plan) == [fixture_copy / "framework.ttl"]

    after = graph_of(fixture_copy)
    subject = COMPETENCE["service-mapping"]
    old = (subject, SKOS.prefLabel, Literal("Mappatura dei servizi", lang="it"))
    new = (subject, SKOS.prefLabel, Literal("Mappa dei servizi", lang="it"))
    assert set(before - after) == {old}
    assert set(after - before) == {new}
    for path in fixture_copy.glob("*.ttl"):
        if path.name != "framework.ttl":
            assert path.read_text(encoding="utf-8") == texts[path.name]
    changed = [
        line
        for line in difflib.ndiff(
            texts["framework.ttl"].splitlines(),
            (fixture_copy / "framework.ttl").read_text(encoding="utf-8").splitlines(),
        )
        if line[:2] in ("- ", "+ ")
    ]
    assert len(changed) == 2 and "Mappa dei servizi" in changed[1]


@pytest.mark.skipif(not BUNDLED, reason="the bundled framework is not written yet")
def test_changed_descriptor_in_the_bundled_framework_is_one_line(tmp_path):
    folder = copy_framework(BUNDLED, tmp_path / "framework")
    source = export_sheets(folder, "xlsx", tmp_path / "sheets.xlsx")
    book = openpyxl.load_workbook(source)
    ws = book["descriptors"]
    headers = [c.value for c in ws[1]]
    competence, level = ws.cell(2, 1).value, ws.cell(2, 2).value
    ws.cell(2, headers.index("statement_ro") + 1).value = "Pot face un lucru nou."
    book.save(source)
    plan = plan_import(source, folder)
    assert len(plan.items) == 1 and plan.removed == 1 and plan.added == 1
    ((path, text),) = plan.texts.items()
    old_lines, new_lines = path.read_text(encoding="utf-8").splitlines(), text.splitlines()
    assert len(old_lines) == len(new_lines)
    differing = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert len(differing) == 1 and "Pot face un lucru nou." in differing[0][1]
    graph = Graph().parse(data=text, format="turtle", publicID=path.resolve().as_uri())
    descriptor = next(
        d
        for d in graph.subjects(RG.forCompetence, COMPETENCE[competence])
        if (d, RG.atLevel, LEVEL[level]) in graph
    )
    assert Literal("Pot face un lucru nou.", lang="ro") in set(
        graph.objects(descriptor, RG.statement)
    )


def test_removed_optional_text_and_new_descriptor_row(fixture_copy, tmp_path):
    framework = fixture_copy / "framework.ttl"
    text = framework.read_text(encoding="utf-8")
    start = text.index("desc:referral-pathways-C2 a rg:LevelDescriptor")
    end = text.index(" .\n", start) + 3
    framework.write_text(text[:start] + text[end:], encoding="utf-8")
    source = export_sheets(fixture_copy, "xlsx", tmp_path / "sheets.xlsx")
    book = openpyxl.load_workbook(source)
    ws = book["descriptors"]
    ws.append(
        [
            "referral-pathways",
            "C2",
            "skill",
            "I can redesign referral pathways.",
            "So riprogettare i percorsi di invio.",
            "Pot reproiecta traseele de referire.",
            "Ik kan doorverwijstrajecten herontwerpen.",
        ]
    )
    book.save(source)
    plan = plan_import(source, fixture_copy)
    assert [i.new for i in plan.items] == [True]
    assert apply_import(plan) == [framework]
    graph = graph_of(fixture_copy)
    created = DESCRIPTOR["referral-pathways-C2"]
    assert (created, RG.forCompetence, COMPETENCE["referral-pathways"]) in graph
    assert (created, RG.atLevel, LEVEL.C2) in graph
    assert (created, RG.outcomeType, RG.Skill) in graph
    assert len(set(graph.objects(created, RG.statement))) == 4
    written = framework.read_text(encoding="utf-8")
    # Placed right after the competence's last descriptor.
    assert written.index("desc:referral-pathways-C2") > written.index("desc:referral-pathways-C1")
    assert written.index("desc:referral-pathways-C2") < written.index(
        "comp:adult-language-pedagogy a"
    )


# Bad input: a message per problem with sheet, row and column; nothing written.


def refused(source: Path, folder: Path) -> str:
    before = fingerprint(folder)
    with pytest.raises((ValidationFailed, InputFileError)) as caught:
        apply_import(plan_import(source, folder))
    assert fingerprint(folder) == before
    return caught.value.message


def test_missing_column(fixture_copy, workbook):
    book = openpyxl.load_workbook(workbook)
    ws = book["competences"]
    ws.delete_cols([c.value for c in ws[1]].index("label_ro") + 1)
    book.save(workbook)
    assert "sheet competences, row 1, column label_ro: missing column" in refused(
        workbook, fixture_copy
    )


def test_unknown_competence_id(fixture_copy, workbook):
    row = set_cell(
        workbook,
        "descriptors",
        {"competence": "service-mapping", "level": "B1"},
        "competence",
        "no-such-competence",
    )
    message = refused(workbook, fixture_copy)
    assert (
        f"sheet descriptors, row {row}, column competence (A): unknown competence id "
        "'no-such-competence'" in message
    )


def test_level_outside_the_scale(fixture_copy, workbook):
    row = set_cell(
        workbook, "descriptors", {"competence": "service-mapping", "level": "C2"}, "level", "D1"
    )
    message = refused(workbook, fixture_copy)
    assert (
        f"sheet descriptors, row {row}, column level (B): level 'D1' is not on the scale; "
        "use one of A1, A2, B1, B2, C1, C2" in message
    )


def test_empty_translation(fixture_copy, workbook):
    row = set_cell(workbook, "competences", {"id": "referral-pathways"}, "label_nl", None)
    message = refused(workbook, fixture_copy)
    assert f"sheet competences, row {row}, column label_nl (H): empty translation" in message


def test_translation_given_in_some_languages_only(fixture_copy, workbook):
    row = set_cell(workbook, "competences", {"id": "referral-pathways"}, "scope_note_en", "Scope.")
    message = refused(workbook, fixture_copy)
    for lang in ("it", "ro", "nl"):
        assert f"row {row}, column scope_note_{lang}" in message
    assert "given in en but not in it" in message


def test_unknown_item_and_missing_rows_are_all_reported(fixture_copy, workbook):
    set_cell(workbook, "roles", {"id": "language-trainer"}, "id", "astronaut")
    book = openpyxl.load_workbook(workbook)
    book["levels"].delete_rows(7)  # C2
    book.save(workbook)
    message = refused(workbook, fixture_copy)
    assert "sheet roles, row 2, column id (A): unknown role id 'astronaut'" in message
    assert "sheet levels, column id: no row for level 'C2'" in message
    assert "sheet roles, column id: no row for role 'language-trainer'" in message
    assert message.startswith("the import found 3 problems; nothing was written")


def test_derived_column_is_checked_not_imported(fixture_copy, workbook):
    row = set_cell(workbook, "competences", {"id": "service-mapping"}, "strand", "inclusive")
    message = refused(workbook, fixture_copy)
    assert f"sheet competences, row {row}, column strand (B)" in message
    assert "'effective'" in message


def test_bad_date_and_number(fixture_copy, workbook):
    row = set_cell(workbook, "activities", {"id": "week-italy"}, "start_date", "10/05/2027")
    set_cell(workbook, "activities", {"id": "week-italy"}, "capacity", "twenty")
    message = refused(workbook, fixture_copy)
    assert (
        f"sheet activities, row {row}, column start_date (E): '10/05/2027' is not a date" in message
    )
    assert f"row {row}, column capacity (H): 'twenty' is not a whole number" in message


def test_unknown_and_missing_sheets(fixture_copy, workbook):
    book = openpyxl.load_workbook(workbook)
    del book["partners"]
    book.create_sheet("notes")
    book.save(workbook)
    message = refused(workbook, fixture_copy)
    assert "sheet notes: unknown sheet" in message
    assert "sheet partners: the sheet is missing" in message


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("sheets.ttl", b"@prefix x: <http://x/> .", "not a spreadsheet the import reads"),
        ("sheets.xlsx", b"this is not a workbook", "not a valid .xlsx workbook"),
        ("sheets.zip", b"PK\x03\x04 broken", "not a valid .zip file"),
        ("descriptors.csv", b"competence,level\n", "one CSV file holds one sheet"),
    ],
)
def test_wrong_file_format(fixture_copy, tmp_path, name, content, expected):
    source = tmp_path / name
    source.write_bytes(content)
    assert expected in refused(source, fixture_copy)


def test_csv_that_is_not_utf8(fixture_copy, tmp_path):
    folder = export_sheets(fixture_copy, "csv", tmp_path / "csv")
    (folder / "roles.csv").write_bytes("id,label_en\nrôle,x\n".encode("latin-1"))
    assert "roles.csv: not UTF-8 text" in refused(folder, fixture_copy)


def test_result_that_breaks_the_shapes_is_not_written(fixture_copy, workbook):
    set_cell(workbook, "levels", {"id": "A2"}, "rank", "1")  # the same rank as A1
    message = refused(workbook, fixture_copy)
    assert "would not be valid" in message and "same rank" in message


# The commands.


def test_commands_dry_run_then_write(fixture_copy, workbook):
    set_cell(workbook, "roles", {"id": "language-trainer"}, "label_en", "Language teacher")
    before = fingerprint(fixture_copy)
    runner = CliRunner()
    args = ["import", str(workbook), "--framework-dir", str(fixture_copy)]
    dry = runner.invoke(main, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert '- skos:prefLabel "Language trainer"@en' in dry.output
    assert '+ skos:prefLabel "Language teacher"@en' in dry.output
    assert "dry run: nothing written" in dry.output
    assert fingerprint(fixture_copy) == before
    real = runner.invoke(main, args)
    assert real.exit_code == 0, real.output
    assert f"wrote {fixture_copy / 'roles-and-activities.ttl'}" in real.output
    role = URIRef("https://w3id.org/reintegra/role/language-trainer")
    assert (role, SKOS.prefLabel, Literal("Language teacher", lang="en")) in graph_of(fixture_copy)


def test_command_reports_problems_and_exits_2(fixture_copy, workbook):
    set_cell(workbook, "competences", {"id": "referral-pathways"}, "label_nl", "")
    result = CliRunner().invoke(
        main, ["import", str(workbook), "--framework-dir", str(fixture_copy)]
    )
    assert result.exit_code == 2
    assert "column label_nl (H): empty translation" in result.output


def test_export_command_writes_csv_folder(fixture_copy, tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "export",
            "--format",
            "csv",
            "--output",
            str(tmp_path / "out"),
            "--framework-dir",
            str(fixture_copy),
        ],
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").glob("*.csv"))
    assert "descriptors.csv" in names and "competences.csv" in names
    header = (tmp_path / "out" / "levels.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.startswith("id,notation,rank,label_en")


# The Turtle writer on its own.


@pytest.mark.parametrize("path", ALL_FILES, ids=file_id)
def test_every_block_rewritten_in_canonical_form_keeps_the_triples(path):
    text = path.read_text(encoding="utf-8")
    source = TurtleFile(path, text)
    pieces, last = [], 0
    for statement in source.statements:
        if statement.directive or statement.subject is None:
            continue
        pieces.append(text[last : statement.start])
        pieces.append(source.block(statement.subject, statement.pairs))
        last = statement.end
    pieces.append(text[last:])
    rewritten = "".join(pieces)
    base = path.resolve().as_uri()
    assert isomorphic(
        Graph().parse(data=rewritten, format="turtle", publicID=base),
        Graph().parse(data=text, format="turtle", publicID=base),
    )


@pytest.mark.parametrize("path", ALL_FILES, ids=file_id)
def test_every_statement_can_be_edited_in_place(path):
    """The token-level editor understands every statement, so edits keep the author's layout."""
    text = path.read_text(encoding="utf-8")
    source = TurtleFile(path, text)
    for statement in source.statements:
        if statement.directive or statement.subject is None:
            continue
        chunk = text[statement.start : statement.end]
        assert groups(chunk, statement.pairs) is not None, chunk[:80]
        # Replacing every English text by another one touches only those literals.
        new_pairs = [
            (p, Literal(o + " (edited)", lang="en") if getattr(o, "language", None) == "en" else o)
            for p, o in statement.pairs
        ]
        edited = edit(chunk, statement.pairs, set(new_pairs), new_pairs, source.term, source.name)
        assert edited is not None
        assert edited.count("\n") == chunk.count("\n")


def test_csv_saved_with_semicolons_is_read(fixture_copy, tmp_path):
    folder = export_sheets(fixture_copy, "csv", tmp_path / "csv")
    roles = folder / "roles.csv"
    rows = list(csv.reader(roles.read_text(encoding="utf-8-sig").splitlines()))
    rows[1][rows[0].index("label_it")] = "Formatrice o formatore linguistico"
    with roles.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    plan = plan_import(folder, fixture_copy)
    assert plan.removed == 1 and plan.added == 1
    assert Literal("Formatrice o formatore linguistico", lang="it") in [
        t[2] for item in plan.items for t in item.added
    ]

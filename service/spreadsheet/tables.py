"""Reading and writing the sheets as an xlsx workbook or as CSV files.

CSV: one UTF-8 file per sheet, named ``<sheet>.csv``, in a folder (what the export writes) or in
a .zip of such files (what the import also reads). Every cell is text; row 1 is the header. The
export separates cells with commas; the import also reads files saved with semicolons or tabs.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from service.errors import InputFileError


@dataclass
class Table:
    name: str
    header: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, cells)


@dataclass
class Problem:
    """One thing wrong in the input, placed by sheet, row and column as a spreadsheet shows."""

    sheet: str | None
    row: int | None
    column: str | None
    message: str
    letter: str | None = None

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(f"sheet {self.sheet}")
        if self.row:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}" + (f" ({self.letter})" if self.letter else ""))
        return (", ".join(where) + ": " if where else "") + self.message

    def to_json(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": f"{self.letter}{self.row}" if self.letter and self.row else None,
            "message": self.message,
        }


class TableError(InputFileError):
    """The file is not a spreadsheet the import reads."""


def cell_text(value: Any) -> str:
    """A cell as text, whatever a spreadsheet application made of it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return (
            value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(name: str, rows: list[list[str]]) -> Table:
    header = [h.strip() for h in rows[0]] if rows else []
    data = [
        (n, cells) for n, cells in enumerate(rows[1:], start=2) if any(c.strip() for c in cells)
    ]
    return Table(name, header, data)


def read_tables(source: Path) -> dict[str, Table]:
    """Sheets by name from an .xlsx workbook, a folder of .csv files or a .zip of them."""
    if source.is_dir():
        files = sorted(source.glob("*.csv"))
        if not files:
            raise TableError(f"{source}: the folder holds no .csv files")
        return {p.stem: _read_csv(p.stem, p.read_bytes(), p.name) for p in files}
    if not source.exists():
        raise TableError(f"{source}: no such file or folder; check the path")
    suffix = source.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(source)
    if suffix == ".zip":
        return _read_zip(source)
    if suffix == ".csv":
        raise TableError(
            f"{source}: one CSV file holds one sheet; give the folder of .csv files "
            "(or a .zip of it) that `reintegra export --format csv` wrote"
        )
    raise TableError(
        f"{source}: not a spreadsheet the import reads; give an .xlsx workbook, a folder of "
        ".csv files or a .zip of them"
    )


def _read_xlsx(source: Path) -> dict[str, Table]:
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise TableError(f"{source}: not a valid .xlsx workbook ({exc})") from None
    try:
        tables = {}
        for sheet in workbook.worksheets:
            rows = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            tables[sheet.title] = _table(sheet.title, rows)
        return tables
    finally:
        workbook.close()


def _read_zip(source: Path) -> dict[str, Table]:
    try:
        with zipfile.ZipFile(source) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith(".csv")]
            if not members:
                raise TableError(f"{source}: the zip holds no .csv files")
            return {
                Path(m).stem: _read_csv(Path(m).stem, archive.read(m), f"{source.name}:{m}")
                for m in sorted(members)
            }
    except zipfile.BadZipFile as exc:
        raise TableError(f"{source}: not a valid .zip file ({exc})") from None


def _read_csv(name: str, data: bytes, where: str) -> Table:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(
            f"{where}: not UTF-8 text (byte {exc.start}); save the sheet as CSV UTF-8"
        ) from None
    first = text.split("\n", 1)[0]
    # Spreadsheet programs in Italy, Romania and the Netherlands save CSV with ';'.
    delimiter = max(",;\t", key=first.count) if first else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise TableError(f"{where}: not a readable CSV file ({exc})") from None
    return _table(name, rows)


def write_xlsx(tables: list[Table], target: Path, about: tuple[str, ...]) -> None:
    """One sheet per table, every cell stored as text so nothing is turned into a number."""
    workbook = Workbook()
    info = workbook.active
    info.title = "about"
    info.column_dimensions["A"].width = 120
    for n, line in enumerate(about, start=1):
        _text_cell(info.cell(row=n, column=1), line)
    for table in tables:
        sheet = workbook.create_sheet(table.name)
        for column, header in enumerate(table.header, start=1):
            cell = sheet.cell(row=1, column=column)
            _text_cell(cell, header)
            cell.font = Font(bold=True)
            wide = "_" in header and header.rsplit("_", 1)[1] in ("en", "it", "ro", "nl")
            sheet.column_dimensions[get_column_letter(column)].width = 50 if wide else 18
        for row, cells in table.rows:
            for column, value in enumerate(cells, start=1):
                cell = sheet.cell(row=row, column=column)
                _text_cell(cell, value)
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "B2"
    _atomic_save(target, workbook.save)


def _text_cell(cell: Any, value: str) -> None:
    cell.value = value
    cell.data_type = "s"  # never a formula, even when a text starts with '='
    cell.number_format = "@"


def write_csv_folder(tables: list[Table], target: Path, about: tuple[str, ...]) -> None:
    """One ``<sheet>.csv`` per table (UTF-8 with BOM, so spreadsheet programs see UTF-8)."""
    target.mkdir(parents=True, exist_ok=True)
    for table in tables:
        _atomic_save(target / f"{table.name}.csv", lambda p, t=table: _write_csv(t, p))
    (target / "README.txt").write_text("\n\n".join(about) + "\n", encoding="utf-8")


def _write_csv(table: Table, path: str) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(table.header)
        for _, cells in table.rows:
            writer.writerow(cells)


def _atomic_save(target: Path, save: Any) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        save(temp)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise

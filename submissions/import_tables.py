"""Bulk import, reading the file: the bytes of a CSV or XLSX file as rows of text, each checked
against the columns of the import, or the whole file refused (ImportFileError); then planned
(submissions.imports.plan_import). Pure: no Django.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

from .imports import (
    MAX_BYTES,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    SPECS,
    ImportFileError,
    Plan,
    Stored,
    plan_import,
)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, round(n / 1024))} kB"


def header_name(text: str) -> str:
    """'Dues paid through ' or 'dues-paid-through' -> 'dues_paid_through'."""
    return re.sub(r"[\s\-]+", "_", text.strip().lower()).strip("_")


def read_table(filename: str, data: bytes) -> list[list[str]]:
    """The rows of a CSV (UTF-8, comma, semicolon or tab) or XLSX file (its first sheet), as
    text; the first row is the header. Refuses what is not such a table."""
    if len(data) > MAX_BYTES:
        raise ImportFileError("too_large", size=_size(len(data)), limit=_size(MAX_BYTES))
    if not data.strip():
        raise ImportFileError("empty")
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if data.startswith(b"PK\x03\x04"):
        if extension not in ("xlsx", "xlsm"):
            raise ImportFileError("not_a_table")
        rows = _read_xlsx(data)
    elif extension in ("csv", "txt", "tsv"):
        rows = _read_csv(data)
    else:
        raise ImportFileError("not_a_table")
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise ImportFileError("empty")
    return rows


def _read_csv(data: bytes) -> list[list[str]]:
    if b"\x00" in data[:4096]:  # UTF-16 from "Unicode text", or a binary file
        raise ImportFileError(
            "encoding" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "not_a_table"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError("encoding") from exc
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    try:
        return [
            [cell.strip() for cell in row]
            for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise ImportFileError("not_a_table") from exc


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if sum(info.file_size for info in package.infolist()) > MAX_UNPACKED_BYTES:
                raise ImportFileError("too_large", size=_size(len(data)), limit=_size(MAX_BYTES))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken or foreign zip
        raise ImportFileError("not_a_table") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True):
            rows.append([_cell_text(v) for v in values])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    finally:
        workbook.close()


def table_rows(kind: str, rows: list[list[str]]) -> list[tuple[int, dict[str, str]]]:
    """Check the header against the kind's columns; each further row as {column: text}, with
    its line number in the file (the header is line 1)."""
    spec = SPECS.get(kind)
    if spec is None:
        raise ImportFileError("unknown_kind")
    expected = ", ".join(spec.columns)
    header = [header_name(cell) for cell in rows[0]]
    while header and not header[-1]:
        header.pop()
    if not header:
        raise ImportFileError("no_header", expected=", ".join(spec.required))
    missing = [name for name in spec.required if name not in header]
    if len(missing) == len(spec.required):  # a first line of data, not of column names
        raise ImportFileError("no_header", expected=", ".join(spec.required))
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if repeated:
        raise ImportFileError("duplicate_columns", columns=", ".join(repeated))
    unknown = [name or "(empty)" for name in header if name not in spec.columns]
    if missing:
        raise ImportFileError(
            "missing_columns", columns=", ".join(missing), expected=", ".join(spec.required)
        )
    if unknown:
        raise ImportFileError("unknown_columns", columns=", ".join(unknown), expected=expected)
    body = rows[1:]
    if not body:
        raise ImportFileError("no_rows")
    if len(body) > MAX_ROWS:
        raise ImportFileError("too_many_rows", rows=len(body), limit=MAX_ROWS)
    result = []
    for number, row in enumerate(body, start=2):
        cells = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}
        result.append((number, cells))
    return result


def plan_file(kind: str, filename: str, data: bytes, stored: Stored) -> Plan:
    """Read, check and plan in one go (ImportFileError for a file refused as a whole)."""
    if kind not in SPECS:
        raise ImportFileError("unknown_kind")
    return plan_import(kind, table_rows(kind, read_table(filename, data)), stored)

"""Helpers for the tests of the extra sources: small files in Voeten's two layouts and DGACM's.

The layouts are written out here (not imported from the loaders) so that the tests pin them.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from testkit import REPO

SHARED_DATA = Path(os.environ.get("UNGA_SHARED_DATA") or REPO.parent / "shared" / "data")

UNVOTES_COLUMNS = ("rcid", "country", "country_code", "vote")
ROLL_CALL_COLUMNS = (
    "rcid",
    "session",
    "importantvote",
    "date",
    "unres",
    "amend",
    "para",
    "short",
    "descr",
)
ISSUE_COLUMNS = ("rcid", "short_name", "issue")

# Voeten's Dataverse file, as R's write.csv writes it (quoted header, NA for missing values).
DATAVERSE_COLUMNS = (
    "rcid",
    "ccode",
    "member",
    "vote",
    "Country",
    "Countryname",
    "year",
    "session",
    "abstain",
    "yes",
    "no",
    "importantvote",
    "date",
    "unres",
    "amend",
    "para",
    "short",
    "descr",
    "me",
    "nu",
    "di",
    "hr",
    "co",
    "ec",
    "ident",
    "resid",
)


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]], *, quote_all: bool) -> str:
    out = io.StringIO()
    writer = csv.writer(
        out,
        lineterminator="\n",
        quoting=csv.QUOTE_NONNUMERIC if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return out.getvalue()


def write_text(path: Path, text: str) -> Path:
    """Write text; gzip-compressed when the name ends in .gz."""
    data = text.encode()
    if path.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --- unvotes / TidyTuesday -------------------------------------------------------------------

UNVOTES_ROWS: list[tuple[object, ...]] = [
    (1, "United States", "US", "yes"),
    (1, "Russia", "RU", "no"),
    (1, "Namibia", "NA", "abstain"),
    (1, "Federal Republic of Germany", "", "yes"),
    (2, "United States", "US", "no"),
    (2, "Russia", "RU", "yes"),
    (2, "Taiwan", "TW", "yes"),
]
ROLL_CALL_ROWS: list[tuple[object, ...]] = [
    (1, 45, 0, "1990-12-06", "R/45/11", 0, 0, "UN, OSCE", 'Text with a "quote", and a comma'),
    (2, 26, 1, "1971-10-07", "R/26/2758B", "", "", "CHINA REPRESENTATION", "TO ADOPT \\X\\\\"),
]
ISSUE_ROWS: list[tuple[object, ...]] = [
    (1, "hr", "Human rights"),
    (2, "me", "Palestinian conflict"),
]


def write_unvotes(
    folder: Path,
    *,
    votes: Iterable[Sequence[object]] = UNVOTES_ROWS,
    roll_calls: Iterable[Sequence[object]] = ROLL_CALL_ROWS,
    issues: Iterable[Sequence[object]] | None = ISSUE_ROWS,
    gz: bool = True,
    votes_header: Sequence[str] = UNVOTES_COLUMNS,
) -> Path:
    """The three files of the unvotes layout in `folder` (issues.csv left out when None)."""
    ext = ".csv.gz" if gz else ".csv"
    write_text(folder / f"unvotes{ext}", csv_text(votes_header, votes, quote_all=False))
    write_text(
        folder / f"roll_calls{ext}", csv_text(ROLL_CALL_COLUMNS, roll_calls, quote_all=False)
    )
    if issues is not None:
        write_text(folder / f"issues{ext}", csv_text(ISSUE_COLUMNS, issues, quote_all=False))
    return folder


# --- Voeten's Dataverse layout ---------------------------------------------------------------


def dataverse_row(
    rcid: int,
    ccode: int,
    vote: int | str,
    *,
    date: str = "2014-03-27",
    unres: str = "R/68/262",
    member: int | str = 1,
    country: str = "USA",
    name: str = "United States of America",
    issues: Sequence[str] = (),
    **overrides: object,
) -> list[object]:
    """One country's vote on one roll call, the roll call's attributes repeated, R-style."""
    year = int(date[:4]) if date[:4].isdigit() else "NA"
    row: dict[str, object] = {
        "rcid": rcid,
        "ccode": ccode,
        "member": member,
        "vote": vote,
        "Country": country,
        "Countryname": name,
        "year": year,
        "session": 68,
        "abstain": 58,
        "yes": 100,
        "no": 11,
        "importantvote": 1,
        "date": date,
        "unres": unres,
        "amend": 0,
        "para": 0,
        "short": "TERRITORIAL INTEGRITY OF UKRAINE",
        "descr": "Territorial integrity of Ukraine",
        **{code: int(code in issues) for code in ("me", "nu", "di", "hr", "co", "ec")},
        "ident": 0,
        "resid": 6810 if unres == "R/68/262" else "NA",
    }
    unknown = set(overrides) - set(row)
    assert not unknown, unknown
    row.update(overrides)
    return [row[c] for c in DATAVERSE_COLUMNS]


def dataverse_text(rows: Iterable[Sequence[object]]) -> str:
    """CSV as R's write.csv writes it: quoted strings, bare numbers, NA unquoted."""
    out = io.StringIO()
    out.write(",".join(f'"{c}"' for c in DATAVERSE_COLUMNS) + "\n")
    for row in rows:
        fields = []
        for value in row:
            if value == "NA" or isinstance(value, int | float):
                fields.append(str(value))
            else:
                fields.append('"' + str(value).replace('"', '""') + '"')
        out.write(",".join(fields) + "\n")
    return out.getvalue()


def dataverse_sample() -> list[list[object]]:
    """Two roll calls: A/RES/68/262 (2014) and a 1990 vote, with absent and non-member rows."""
    ukraine = ["ec"]
    return [
        dataverse_row(5001, 2, 1, issues=ukraine),
        dataverse_row(5001, 365, 3, country="RUS", name="Russia", issues=ukraine),
        dataverse_row(5001, 710, 2, country="CHN", name="China", issues=ukraine),
        dataverse_row(5001, 345, 8, country="YUG", name="Serbia", issues=ukraine),
        dataverse_row(5001, 713, 9, member=0, country="TAW", name="Taiwan", issues=ukraine),
        dataverse_row(
            3001,
            365,
            1,
            date="1990-12-06",
            unres="R/45/11",
            country="RUS",
            name="Russia",
            issues=["hr"],
            importantvote="NA",
            amend="NA",
            para="NA",
        ),
        dataverse_row(
            3001,
            260,
            1,
            date="1990-12-06",
            unres="R/45/11",
            country="GFR",
            name="German Federal Republic",
            issues=["hr"],
            importantvote="NA",
            amend="NA",
            para="NA",
        ),
        dataverse_row(
            3001,
            265,
            9,
            date="1990-12-06",
            unres="R/45/11",
            member=0,
            country="GDR",
            name="German Democratic Republic",
            issues=["hr"],
            importantvote="NA",
            amend="NA",
            para="NA",
        ),
    ]


# --- DGACM data_extract ----------------------------------------------------------------------


def dgacm_record(symbol: str = "A/RES/76/1", **overrides: Any) -> dict[str, Any]:
    """One resolution as a line of a DGACM extract file."""
    record: dict[str, Any] = {
        "symbol": symbol,
        "resolution_number": symbol.split("/RES/")[-1] + ".",
        "title": "A resolution",
        "session": "Seventy-sixth session",
        "adoption_meeting": "10th plenary meeting",
        "adoption_date": "22 September 2021",
        "originating_document": "A/76/L.1",
        "report_paragraph": "N.A.",
        "committee": "Without reference to a Main Committee",
        "agenda_item": "Agenda item 1",
        "agenda_item_name": "An agenda item",
        "adoption_type": "By a recorded vote",
        "MS_in_favour_count": "2",
        "MS_against_count": "1",
        "MS_abstaining_count": "N.A.",
        "pv": "A/76/PV.10",
        "MS_in_favour": ["FRANCE", "CÔTE D'IVOIRE"],
        "MS_against": ["RUSSIAN FEDERATION"],
        "MS_abstaining": [],
        "sponsors": ["UKRAINE"],
        "additional_sponsors": [],
        "SDGs": ["16"],
        "subjects": [["UKRAINE--POLITICAL CONDITIONS", "UNBIS Thesaurus"]],
    }
    record.update(overrides)
    return record


def write_dgacm(path: Path, lines: Iterable[dict[str, Any] | str]) -> Path:
    """A JSON-lines file; dict lines are dumped as JSON, str lines written as they are."""
    text = "".join(
        (line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)) + "\n"
        for line in lines
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path

"""`unga export`: chosen marts as CSV and Stata .dta files, for R, Stata and spreadsheet users.

The rows come from the published serving copy (read-only), like every reader's. Each mart is
written as <mart>.csv (UTF-8, header, comma-separated) and <mart>.dta (Stata 14+ format 118,
UTF-8) into warehouse/export/ (beside the Parquet set) or --out-dir. In the .dta files every
variable carries its label: the column's description from the serving copy (DuckDB comments
that dbt writes from the _*__models.yml files), cut to Stata's 80 characters; the dataset label
is the mart's description. Stata has no boolean type: true/false become 1/0. Each file is
written under a temporary name and renamed into place, so a reader never sees half a file.
Integer columns with missing values become doubles in .dta (Stata's missing value: '.').
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from unga import serving
from unga.errors import UserError

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("csv", "dta")
EXPORT_DIR = "export"
# What `unga export` writes when no mart is named: the marts an analysis starts from. The dyad
# marts (millions of rows) are there for the asking (--marts fct_dyad_year_agreement, or all).
DEFAULT_MARTS = (
    "fct_focal_cohesion",
    "fct_split_votes",
    "fct_split_vote_summary",
    "fct_focal_resolution_votes",
    "fct_country_participation",
    "dim_countries",
    "dim_roll_calls",
    "dim_topics",
    "dim_measures",
    "dim_years",
)
STATA_LABEL_LENGTH = 80
STATA_STR_LENGTH = 2045


@dataclass(frozen=True)
class Exported:
    mart: str
    rows: int
    files: tuple[Path, ...]


def export_dir_for(serving_path: Path) -> Path:
    """warehouse/export/: beside the serving copy and the Parquet set."""
    return serving_path.parent / EXPORT_DIR


def _label(text: str | None) -> str:
    """A description as a Stata label: one line, at most 80 characters."""
    text = " ".join((text or "").split())
    if len(text) <= STATA_LABEL_LENGTH:
        return text
    return text[: STATA_LABEL_LENGTH - 3].rstrip() + "..."


def _marts(con: duckdb.DuckDBPyConnection) -> dict[str, str | None]:
    """The tables of the serving copy's marts schema and their descriptions."""
    rows = con.execute(
        "select table_name, comment from duckdb_tables() "
        "where database_name = 'serving' and schema_name = 'marts' order by table_name"
    ).fetchall()
    return dict(rows)


def column_labels(con: duckdb.DuckDBPyConnection, mart: str) -> dict[str, str]:
    """Each column of the mart and its Stata label (its description)."""
    rows = con.execute(
        "select column_name, comment from duckdb_columns() where database_name = 'serving' "
        "and schema_name = 'marts' and table_name = ? order by column_index",
        [mart],
    ).fetchall()
    return {name: _label(comment) for name, comment in rows}


def stata_frame(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str], list[str]]:
    """The frame in types Stata holds: booleans as 0/1, lists joined with '; ', timestamps
    without time zone. Returns the frame, the date conversions and the long-string columns."""
    import pandas as pd  # only the .dta files need it; the command line starts without it

    out = frame.copy()
    dates: dict[str, str] = {}
    long_strings: list[str] = []
    for name in out.columns:
        column = out[name]
        if pd.api.types.is_bool_dtype(column):
            out[name] = column.astype("float64" if column.isna().any() else "int8")
        elif pd.api.types.is_integer_dtype(column) and column.isna().any():
            out[name] = column.astype("float64")  # Stata's missing value
        elif pd.api.types.is_integer_dtype(column):
            out[name] = column.astype("int64")
        elif isinstance(column.dtype, pd.DatetimeTZDtype):
            out[name] = column.dt.tz_convert("UTC").dt.tz_localize(None)
            dates[name] = "tc"
        elif pd.api.types.is_datetime64_any_dtype(column):
            dates[name] = (
                "td" if (column.dropna().dt.normalize() == column.dropna()).all() else "tc"
            )
        elif column.dtype == object or pd.api.types.is_string_dtype(column):
            if column.map(lambda v: isinstance(v, list | tuple)).any():
                column = column.map(
                    lambda v: "; ".join(map(str, v)) if isinstance(v, list | tuple) else v
                )
            column = column.astype(object).where(column.notna(), "")
            out[name] = column.astype(str)
            if out[name].str.len().max() > STATA_STR_LENGTH:
                long_strings.append(name)
    return out, dates, long_strings


def _replace(temporary: Path, final: Path) -> Path:
    os.replace(temporary, final)
    return final


def export_mart(
    con: duckdb.DuckDBPyConnection,
    mart: str,
    description: str | None,
    out_dir: Path,
    formats: Sequence[str],
) -> Exported:
    table = f'marts."{mart}"'
    rows = con.execute(f"select count(*) from {table}").fetchone()[0]
    written: list[Path] = []
    if "csv" in formats:
        temporary = out_dir / f".{mart}.csv.tmp"
        escaped = str(temporary).replace("'", "''")
        con.execute(f"copy (select * from {table}) to '{escaped}' (format csv, header)")
        written.append(_replace(temporary, out_dir / f"{mart}.csv"))
    if "dta" in formats:
        frame, dates, long_strings = stata_frame(con.execute(f"select * from {table}").df())
        if len(frame) != rows:
            raise UserError(f"{mart}: read {len(frame):,} rows of {rows:,}")
        temporary = out_dir / f".{mart}.dta.tmp"
        frame.to_stata(
            temporary,
            write_index=False,
            version=118,
            convert_dates=dates,
            convert_strl=long_strings,
            variable_labels=column_labels(con, mart),
            data_label=_label(description),
        )
        written.append(_replace(temporary, out_dir / f"{mart}.dta"))
    return Exported(mart, int(rows), tuple(written))


def export(
    serving_path: Path,
    out_dir: Path | None,
    marts: Sequence[str] | None,
    formats: Sequence[str] = FORMATS,
) -> list[Exported]:
    """Write the marts (the default set, or `marts`, or every mart for ['all'])."""
    unknown_formats = [f for f in formats if f not in FORMATS]
    if unknown_formats or not formats:
        raise UserError(
            f"unknown format {', '.join(unknown_formats) or '(none)'}: choose from "
            f"{', '.join(FORMATS)}"
        )
    con = serving.connect(serving_path)
    try:
        available = _marts(con)
        chosen = list(available) if list(marts or []) == ["all"] else list(marts or DEFAULT_MARTS)
        unknown = [m for m in chosen if m not in available]
        if unknown:
            raise UserError(
                f"no mart {', '.join(unknown)} in the serving copy; choose from "
                f"{', '.join(available)} (or all)"
            )
        out_dir = out_dir or export_dir_for(serving_path)
        out_dir.mkdir(parents=True, exist_ok=True)
        done = []
        for mart in chosen:
            exported = export_mart(con, mart, available[mart], out_dir, formats)
            print(
                f"exported {mart}: {exported.rows:,} rows to "
                + ", ".join(p.name for p in exported.files),
                file=sys.stderr,
                flush=True,
            )
            done.append(exported)
    finally:
        con.close()
    print(f"{len(done)} marts written to {out_dir}", file=sys.stderr)
    return done

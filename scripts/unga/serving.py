"""Reading the published serving copy (serving.duckdb and its Parquet manifest), read-only.

The dashboard and the report read the marts and call the parameterised analyses here, never
the warehouse itself, which only builds use.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from unga.errors import UserError
from unga.publish import MANIFEST_NAME, PARQUET_LINK, SERVING_NAME, serving_path_for

if TYPE_CHECKING:
    import pandas as pd

SERVING_ENV = "UNGA_SERVING"
DEFAULT_SERVING = Path("warehouse") / SERVING_NAME


def serving_path(environ: Mapping[str, str] = os.environ) -> Path:
    """The serving copy: $UNGA_SERVING, else serving.duckdb beside $UNGA_DB, else the default."""
    if environ.get(SERVING_ENV):
        return Path(environ[SERVING_ENV])
    if environ.get("UNGA_DB"):
        return serving_path_for(Path(environ["UNGA_DB"]))
    return DEFAULT_SERVING


def _present(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The tables and table macros of the marts schema."""
    rows = con.execute(
        """
        select table_name from duckdb_tables()
        where database_name = 'serving' and schema_name = 'marts'
        union all
        select function_name from duckdb_functions()
        where database_name = 'serving' and schema_name = 'marts'
            and function_type = 'table_macro'
        """
    ).fetchall()
    return {str(name) for (name,) in rows}


def connect(path: Path, required: Sequence[str] = ()) -> duckdb.DuckDBPyConnection:
    """Open the serving copy read-only, checking that the marts and analyses `required` are in it.

    It is attached to a private in-memory database rather than opened directly: DuckDB hands a
    second connection to an open file the database it already has open, which would keep
    showing the copy of before a publish. `use serving` makes it the default database, where
    the table macros find the marts.
    """
    if not path.is_file():
        raise UserError(
            f"there is no serving copy at {path}: run `make build` (it publishes one) "
            f"or set {SERVING_ENV}"
        )
    con = duckdb.connect(":memory:")
    try:
        escaped = str(path.resolve()).replace("'", "''")
        con.execute(f"attach '{escaped}' as serving (read_only)")
        con.execute("use serving")
        present = _present(con)
    except duckdb.Error as err:
        con.close()
        raise UserError(f"cannot read the serving copy {path}: {err}") from None
    missing = [name for name in required if name not in present]
    if missing:
        con.close()
        raise UserError(
            f"the serving copy {path} lacks {', '.join(missing)}: run `make build` to publish "
            "a complete one"
        )
    return con


def manifest(path: Path) -> dict[str, Any]:
    """The manifest of the Parquet set published beside the serving copy at `path`."""
    file = path.parent / PARQUET_LINK / MANIFEST_NAME
    try:
        return json.loads(file.read_text())
    except (OSError, ValueError) as err:
        raise UserError(
            f"cannot read the publication's manifest {file}: {err}; run `make publish`"
        ) from None


def partial_years(con: duckdb.DuckDBPyConnection, start_year: int, end_year: int) -> pd.DataFrame:
    """The years from `start_year` to `end_year` that the data cover only in part
    (marts.dim_years): year, n_roll_calls, last_vote_date."""
    return con.execute(
        """
        select year, n_roll_calls, last_vote_date
        from marts.dim_years
        where is_partial and year between $start_year and $end_year
        order by year
        """,
        {"start_year": start_year, "end_year": end_year},
    ).df()

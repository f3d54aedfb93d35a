"""Every source kind, and the one way to load any of them (the command line and the build).

`load` resolves the source (a local path, or an http(s) URL for the kinds that accept one, which
is downloaded into the cache first), runs the load's transaction and tells what it did;
`load_configured` loads the optional sources the environment names, for `unga build`.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import duckdb

from unga import fetch
from unga.errors import UserError
from unga.loading import dgacm, undl, unvotes, voeten
from unga.loading.core.transaction import SourceKind, load_source
from unga.loading.core.warehouse import LoadReport, connect, ensure_schema

KINDS: dict[str, SourceKind] = {
    kind.name: kind for kind in (undl.KIND, unvotes.KIND, voeten.KIND, dgacm.KIND)
}
# Every raw table of every kind, created (empty) by any load, so that dbt builds whichever
# sources were loaded.
SCHEMA_DDL = "".join(kind.ddl for kind in KINDS.values())


def optional_kinds() -> list[SourceKind]:
    """The kinds a build loads when their environment variable names a source."""
    return [kind for kind in KINDS.values() if not kind.required]


def source_setting(kind: SourceKind, given: str | None, environ: Mapping[str, str]) -> str:
    """The source of `kind`: the one given, else its environment variable; one is needed."""
    source = given or environ.get(kind.env_var)
    if not source:
        raise UserError(f"no {kind.source_noun} given: set {kind.env_var} or pass --source")
    return source


def ensure_warehouse_schema(db_path: Path) -> None:
    """Open the warehouse and create any raw table that is missing."""
    con = connect(db_path)
    try:
        ensure_schema(con, SCHEMA_DDL)
    except duckdb.Error as err:
        raise UserError(f"preparing the raw tables of {db_path} failed: {err}") from None
    finally:
        con.close()


def resolve(kind: SourceKind, source: str, cache_dir: Path) -> tuple[Path, str]:
    """A local path for the source, and the origin the load log records."""
    if kind.accepts_url:
        local = fetch.resolve(source, cache_dir)
        return local.path, local.origin
    path = Path(source).expanduser()
    if fetch.is_url(source):
        raise UserError(f"the {kind.label} cannot be downloaded: give a local path, not {source}")
    if not path.exists():
        raise UserError(f"the source {source} does not exist")
    return path, source


def load(
    kind: SourceKind, source: str, db_path: Path, cache_dir: Path, *, force: bool = False
) -> LoadReport:
    """Load a release of `kind` from `source` (path or URL) and tell what the load did."""
    path, origin = resolve(kind, source, cache_dir)
    started = time.monotonic()
    report = load_source(kind, path, origin, db_path, schema_ddl=SCHEMA_DDL, force=force)
    describe(kind, report, time.monotonic() - started)
    return report


def load_configured(
    db_path: Path,
    cache_dir: Path,
    environ: Mapping[str, str] | None = None,
    *,
    force: bool = False,
) -> list[LoadReport]:
    """Create every raw table, then load the optional sources the environment names.

    UNGA_UNVOTES_DIR (the unvotes / TidyTuesday folder), UNGA_VOETEN_CSV (Voeten's UNVotes.csv,
    a path or URL) and UNGA_DGACM_DIR (a folder of DGACM JSON-lines files); unset ones are skipped.
    """
    env = os.environ if environ is None else environ
    ensure_warehouse_schema(db_path)
    return [
        load(kind, env[kind.env_var], db_path, cache_dir, force=force)
        for kind in optional_kinds()
        if env.get(kind.env_var)
    ]


def describe(kind: SourceKind, report: LoadReport, seconds: float) -> None:
    """Tell on standard error what a load did."""
    if report.status == "unchanged":
        print(
            f"{kind.label}: source unchanged since the last load (sha256 {report.sha256[:12]}…); "
            "nothing to load",
            file=sys.stderr,
        )
        return
    print(
        f"{kind.label}: loaded {report.rows_loaded:,} of {report.rows_read:,} rows "
        f"({report.rows_rejected:,} rejected) in {seconds:.1f} s",
        file=sys.stderr,
    )
    if report.rows_rejected:
        print(f"rejected rows and their reasons are in {kind.rejected_table}", file=sys.stderr)

"""Publish the marts of a built warehouse for readers: serving.duckdb and a set of Parquet files.

Both are written beside the warehouse and swapped in atomically, so a reader never sees a mix:

- `serving.duckdb` holds the `marts` schema only: its tables (data, descriptions) and its
  table macros, the parameterised analyses (marts.focal_cohesion(...), ...). It is a new
  database file: the warehouse's catalog is copied (`copy from database ... (schema)`), every
  other schema dropped, and the marts' rows inserted, in a private folder; then it is renamed
  over the previous copy (os.replace). Builds never open it, so they never lock it; a reader that
  holds the previous copy open keeps reading it until it reconnects.
- `parquet` is a symbolic link to `parquet.versions/<publish id>/`, a folder with one
  zstd-compressed Parquet file per mart, the checks of the `audit` schema in `audit/`, and
  `manifest.json` (row counts, the analyses and their parameters, build and publish times, every
  source file loaded with its sha256 and where it came from, versions). A new set is written
  into a new folder and the link is replaced (os.replace of a new link), so a reader that
  resolves the link sees one complete set. The previous set is kept for readers still using
  it; older sets are removed.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb

from unga import __version__
from unga.errors import UserError
from unga.loading.core.warehouse import PROVENANCE

SERVING_NAME = "serving.duckdb"
PARQUET_LINK = "parquet"
VERSIONS_DIR = "parquet.versions"
MANIFEST_NAME = "manifest.json"
MARTS_SCHEMA = "marts"
AUDIT_SCHEMA = "audit"
AUDIT_DIR = "audit"
# The name the new serving copy is attached under while it is written.
TARGET = "publish_target"
MANIFEST_VERSION = 2


class PublishFailed(UserError):
    """The marts could not be published; the previous serving copy and Parquet set remain."""


@dataclass(frozen=True)
class PublishReport:
    serving: Path
    parquet_dir: Path
    manifest: dict[str, Any]
    seconds: float


def serving_path_for(db_path: Path) -> Path:
    """Where the serving copy of the warehouse at `db_path` is published."""
    return db_path.parent / SERVING_NAME


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sources(con: duckdb.DuckDBPyConnection, catalog: str) -> list[dict[str, Any]]:
    """The release behind each kind of source now in the warehouse: its latest successful load,
    with where it came from (record, name as published, URL, date, when found) where logged."""
    columns = {
        name
        for (name,) in con.execute(
            "select column_name from duckdb_columns() where database_name = ? "
            "and schema_name = 'raw' and table_name = 'load_log'",
            [catalog],
        ).fetchall()
    }
    if not columns:
        return []
    kind = "coalesce(source_kind, 'undl')" if "source_kind" in columns else "'undl'"
    found = [c for c in PROVENANCE if c in columns]
    log = f"{_quote(catalog)}.raw.load_log"
    # the counts from the latest load of each kind; where it came from, from the latest load or
    # finding-unchanged of the same files (a release published again under another name)
    rows = con.execute(
        f"""
        with loaded as (
            select {kind} as source_kind, file_name, sha256, source, file_size_bytes,
                   rows_loaded, finished_at
            from {log}
            where status = 'loaded'
            qualify row_number() over (partition by {kind} order by load_id desc) = 1
        ),
        named as (
            select {kind} as source_kind, sha256{"".join(f", {c}" for c in found)}
            from {log}
            where status in ('loaded', 'unchanged')
            qualify row_number() over (partition by {kind}, sha256 order by load_id desc) = 1
        )
        select loaded.*{"".join(f", named.{c}" for c in found)}
        from loaded
        left join named
            on loaded.source_kind = named.source_kind and loaded.sha256 = named.sha256
        order by loaded.source_kind
        """
    ).fetchall()
    sources = []
    for source_kind, file_name, sha256, source, size, rows_loaded, finished_at, *more in rows:
        provenance = dict.fromkeys(PROVENANCE) | dict(zip(found, more, strict=True))
        sources.append(
            {
                "source_kind": source_kind,
                "file_name": file_name,
                "sha256": sha256,
                "source": source,
                "file_size_bytes": size,
                "rows_loaded": rows_loaded,
                "loaded_at": _iso(finished_at) if finished_at else None,
                "record": provenance["record"],
                "release_file": provenance["release_file"],
                "url": provenance["url"],
                "release_date": (
                    provenance["release_date"].isoformat() if provenance["release_date"] else None
                ),
                "found_at": _iso(provenance["found_at"]) if provenance["found_at"] else None,
            }
        )
    return sources


def _tables(con: duckdb.DuckDBPyConnection, catalog: str, schema: str) -> list[str]:
    rows = con.execute(
        "select table_name from duckdb_tables() where database_name = ? and schema_name = ? "
        "order by table_name",
        [catalog, schema],
    ).fetchall()
    return [name for (name,) in rows]


def _views(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    rows = con.execute(
        "select view_name from duckdb_views() where database_name = ? and schema_name = ? "
        "and not internal",
        [catalog, MARTS_SCHEMA],
    ).fetchall()
    return [name for (name,) in rows]


def _analyses(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    """The table macros of the marts: name -> parameters and their types."""
    rows = con.execute(
        "select function_name, parameters, parameter_types from duckdb_functions() "
        "where database_name = ? and schema_name = ? and function_type = 'table_macro' "
        "order by function_name",
        [TARGET, MARTS_SCHEMA],
    ).fetchall()
    return {
        name: {"parameters": [f"{p} {t}" for p, t in zip(params, types, strict=True)]}
        for name, params, types in rows
    }


def _parquet(
    con: duckdb.DuckDBPyConnection, table: str, parquet_dir: Path, file: str
) -> dict[str, Any]:
    """Write `table` to `file` (relative to the Parquet set's folder); describe what was written."""
    path = parquet_dir / file
    con.execute(f"copy {table} to {_literal(str(path))} (format parquet, compression zstd)")
    rows = con.execute(f"select count(*) from {table}").fetchone()
    n_columns = len(con.execute(f"select * from {table} limit 0").description)
    return {
        "rows": int(rows[0]) if rows else 0,
        "columns": n_columns,
        "file": file,
        "bytes": path.stat().st_size,
    }


def _write(db_path: Path, serving: Path, parquet_dir: Path) -> dict[str, Any]:
    """Write the serving copy and the Parquet set of the marts; return their manifest."""
    parquet_dir.mkdir()
    # The warehouse is attached under its own catalog name, which the views dbt wrote refer to.
    source = _quote(db_path.stem)
    con = duckdb.connect()
    try:
        con.execute("set enable_progress_bar = false")
        try:
            # read-only: shares the file with readers, keeps writers (builds) out meanwhile
            con.execute(f"attach {_literal(str(db_path))} as {source} (read_only)")
        except duckdb.Error as err:
            raise PublishFailed(
                f"cannot open the warehouse {db_path} to publish it: {err}; is another process "
                "writing to it?"
            ) from None
        con.execute(f"attach {_literal(str(serving))} as {TARGET}")
        sources = _sources(con, db_path.stem)
        marts = _tables(con, db_path.stem, MARTS_SCHEMA)
        if not marts and not _views(con, db_path.stem):
            raise PublishFailed(
                f"the warehouse {db_path} has no marts to publish: run `make build` first"
            )
        # the catalog (tables, descriptions, table macros), then the marts' rows only
        con.execute(f"copy from database {source} to {TARGET} (schema)")
        for (schema,) in con.execute(
            "select schema_name from duckdb_schemas() where database_name = ? "
            "and not internal and schema_name not in (?, 'main')",
            [TARGET, MARTS_SCHEMA],
        ).fetchall():
            con.execute(f"drop schema {TARGET}.{_quote(schema)} cascade")
        # marts that are views become tables: a view of the warehouse would not work without it
        for view in _views(con, TARGET):
            name = f"{MARTS_SCHEMA}.{_quote(view)}"
            con.execute(f"drop view {TARGET}.{name}")
            con.execute(f"create table {TARGET}.{name} as select * from {source}.{name}")
        for mart in marts:
            name = f"{MARTS_SCHEMA}.{_quote(mart)}"
            con.execute(f"insert into {TARGET}.{name} select * from {source}.{name}")
        tables: dict[str, dict[str, Any]] = {}
        for mart in _tables(con, TARGET, MARTS_SCHEMA):
            name = f"{TARGET}.{MARTS_SCHEMA}.{_quote(mart)}"
            tables[mart] = _parquet(con, name, parquet_dir, f"{mart}.parquet")
        audit: dict[str, dict[str, Any]] = {}
        audit_tables = _tables(con, db_path.stem, AUDIT_SCHEMA)
        if audit_tables:
            (parquet_dir / AUDIT_DIR).mkdir()
        for check in audit_tables:
            name = f"{source}.{AUDIT_SCHEMA}.{_quote(check)}"
            audit[check] = _parquet(con, name, parquet_dir, f"{AUDIT_DIR}/{check}.parquet")
        analyses = _analyses(con)
        con.execute(f"checkpoint {TARGET}")
        con.execute(f"detach {TARGET}")
        con.execute(f"detach {source}")
    finally:
        con.close()
    if serving.with_name(f"{serving.name}.wal").exists():
        raise PublishFailed(f"the serving copy {serving} was not checkpointed")
    undl = next((s for s in sources if s["source_kind"] == "undl"), None)
    return {
        "manifest_version": MANIFEST_VERSION,
        "built_at": _iso(datetime.fromtimestamp(db_path.stat().st_mtime, UTC)),
        "published_at": _iso(datetime.now(UTC)),
        "source_file": undl["file_name"] if undl else None,
        "source_sha256": undl["sha256"] if undl else None,
        "sources": sources,
        "versions": {
            "unga-votes": __version__,
            "dbt-core": _package_version("dbt-core"),
            "dbt-duckdb": _package_version("dbt-duckdb"),
            "duckdb": duckdb.__version__,
        },
        "marts": tables,
        "analyses": analyses,
        "audit": audit,
    }


def _check_link(link: Path) -> None:
    if link.exists() and not link.is_symlink():
        raise PublishFailed(
            f"{link} is a folder or file, not the link that publishing manages: move it away"
        )


def _swap_link(link: Path, target: Path) -> Path | None:
    """Point `link` at `target` (relative to the link's folder) in one rename; return the old
    target, resolved, if there was one."""
    _check_link(link)
    previous = link.resolve() if link.is_symlink() else None
    temporary = link.with_name(f".{link.name}.new-link")
    temporary.unlink(missing_ok=True)
    os.symlink(target, temporary)
    os.replace(temporary, link)
    return previous


def _prune(versions: Path, keep: set[Path]) -> None:
    for entry in versions.iterdir():
        if entry.resolve() not in keep:
            shutil.rmtree(entry, ignore_errors=True)


def publish(db_path: Path) -> PublishReport:
    """Publish the marts of the warehouse at `db_path` as serving.duckdb and parquet/ beside it."""
    started = time.monotonic()
    db_path = db_path.resolve()
    if not db_path.is_file():
        raise UserError(f"there is no warehouse at {db_path} yet: run `make build` first")
    folder = db_path.parent
    lock_path = folder / f".{SERVING_NAME}.publish.lock"
    work = folder / f".{SERVING_NAME}.publish"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one publisher at a time; a second one waits
        _check_link(folder / PARQUET_LINK)
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir()
        try:
            serving_new = work / SERVING_NAME
            parquet_new = work / PARQUET_LINK
            try:
                manifest = _write(db_path, serving_new, parquet_new)
            except (duckdb.Error, OSError) as err:
                raise PublishFailed(f"publishing the marts of {db_path} failed: {err}") from err
            (parquet_new / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n")

            versions = folder / VERSIONS_DIR
            versions.mkdir(exist_ok=True)
            version_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            version_dir = versions / version_id
            os.rename(parquet_new, version_dir)
            _fsync_dir(versions)

            os.replace(serving_new, folder / SERVING_NAME)
            previous = _swap_link(folder / PARQUET_LINK, Path(VERSIONS_DIR) / version_id)
            _fsync_dir(folder)
            _prune(versions, {version_dir.resolve(), *([previous] if previous else [])})
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return PublishReport(
        serving=folder / SERVING_NAME,
        parquet_dir=folder / PARQUET_LINK,
        manifest=manifest,
        seconds=time.monotonic() - started,
    )


def describe_publish(report: PublishReport) -> None:
    marts = report.manifest["marts"]
    rows = sum(m["rows"] for m in marts.values())
    print(
        f"published {len(marts)} mart{'s' * (len(marts) != 1)} ({rows:,} "
        f"row{'s' * (rows != 1)}) to {report.serving} and "
        f"{report.parquet_dir}/ in {report.seconds:.1f} s",
        file=sys.stderr,
    )

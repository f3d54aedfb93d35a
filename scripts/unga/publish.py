"""Publish the marts of a built warehouse for readers: serving.duckdb and a set of Parquet files.

Both are written beside the warehouse and swapped in atomically, so a reader never sees a mix:

- `serving.duckdb` holds the tables of the `marts` schema only: a copy of the warehouse file
  (taken while a read-only connection keeps writers out) from which everything else is dropped
  (views of the marts become tables). It is written in a private folder and renamed over the
  previous copy (os.replace). Builds never open it, so they never lock it; a reader that holds
  the previous copy open keeps reading it until it reconnects.
- `parquet` is a symbolic link to `parquet.versions/<publish id>/`, a folder with one
  zstd-compressed Parquet file per mart and `manifest.json` (row counts, build and publish
  times, source file and sha256, versions). A new set is written into a new folder and the link
  is replaced (os.replace of a new link), so a reader that resolves the link sees one complete
  set. The previous set is kept for readers still using it; older sets are removed.
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

SERVING_NAME = "serving.duckdb"
PARQUET_LINK = "parquet"
VERSIONS_DIR = "parquet.versions"
MANIFEST_NAME = "manifest.json"
MARTS_SCHEMA = "marts"
MANIFEST_VERSION = 1


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


def _copy_warehouse(db_path: Path, copy: Path) -> None:
    """Copy the warehouse file (and its write-ahead log, if any) while a read-only connection
    keeps writers out."""
    try:
        guard = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as err:
        raise PublishFailed(
            f"cannot open the warehouse {db_path} to publish it: {err}; is another process "
            "writing to it?"
        ) from None
    try:
        shutil.copyfile(db_path, copy)
        wal = db_path.with_name(f"{db_path.name}.wal")
        if wal.exists():
            shutil.copyfile(wal, copy.with_name(f"{copy.name}.wal"))
    finally:
        guard.close()


def _sources(con: duckdb.DuckDBPyConnection, catalog: str) -> list[dict[str, Any]]:
    """The file behind each kind of source now in the warehouse: its latest successful load."""
    columns = {
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns where table_catalog = ? "
            "and table_schema = 'raw' and table_name = 'load_log'",
            [catalog],
        ).fetchall()
    }
    if not columns:
        return []
    kind = "coalesce(source_kind, 'undl')" if "source_kind" in columns else "'undl'"
    rows = con.execute(
        f"""
        select {kind} as source_kind, file_name, sha256, source, file_size_bytes, rows_loaded,
               finished_at
        from {_quote(catalog)}.raw.load_log
        where status = 'loaded'
        qualify row_number() over (partition by {kind} order by load_id desc) = 1
        order by source_kind
        """
    ).fetchall()
    return [
        {
            "source_kind": source_kind,
            "file_name": file_name,
            "sha256": sha256,
            "source": source,
            "file_size_bytes": size,
            "rows_loaded": rows_loaded,
            "loaded_at": _iso(finished_at) if finished_at else None,
        }
        for source_kind, file_name, sha256, source, size, rows_loaded, finished_at in rows
    ]


def _keep_only_marts(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    """Turn the copy of the warehouse into the serving copy: views of the marts become tables,
    everything outside the marts schema is dropped. Return the marts."""
    marts = _quote(catalog) + "." + MARTS_SCHEMA
    for (view,) in con.execute(
        "select view_name from duckdb_views() where database_name = ? and schema_name = ? "
        "and not internal",
        [catalog, MARTS_SCHEMA],
    ).fetchall():
        staged = _quote(f"{view}__published")
        con.execute(f"create table {marts}.{staged} as select * from {marts}.{_quote(view)}")
        con.execute(f"drop view {marts}.{_quote(view)}")
        con.execute(f"alter table {marts}.{staged} rename to {_quote(view)}")
    for (schema,) in con.execute(
        "select schema_name from duckdb_schemas() where database_name = ? and not internal "
        "and schema_name not in (?, 'main')",
        [catalog, MARTS_SCHEMA],
    ).fetchall():
        con.execute(f"drop schema {_quote(catalog)}.{_quote(schema)} cascade")
    for kind, name in con.execute(
        "select 'view', view_name from duckdb_views() where database_name = ? "
        "and schema_name = 'main' and not internal "
        "union all select 'table', table_name from duckdb_tables() where database_name = ? "
        "and schema_name = 'main'",
        [catalog, catalog],
    ).fetchall():
        con.execute(f"drop {kind} {_quote(catalog)}.main.{_quote(name)}")
    rows = con.execute(
        "select table_name from duckdb_tables() where database_name = ? and schema_name = ? "
        "order by table_name",
        [catalog, MARTS_SCHEMA],
    ).fetchall()
    return [name for (name,) in rows]


def _write(db_path: Path, serving: Path, parquet_dir: Path) -> dict[str, Any]:
    """Write the serving copy and the Parquet set of the marts; return their manifest."""
    parquet_dir.mkdir()
    _copy_warehouse(db_path, serving)
    # Attached under the warehouse's own catalog name, which the views dbt wrote refer to.
    catalog = db_path.stem
    con = duckdb.connect()
    try:
        con.execute("set enable_progress_bar = false")
        con.execute(f"attach {_literal(str(serving))} as {_quote(catalog)}")
        sources = _sources(con, catalog)
        marts = _keep_only_marts(con, catalog)
        if not marts:
            raise PublishFailed(
                f"the warehouse {db_path} has no marts to publish: run `make build` first"
            )
        tables: dict[str, dict[str, Any]] = {}
        for mart in marts:
            table = f"{_quote(catalog)}.{MARTS_SCHEMA}.{_quote(mart)}"
            file = parquet_dir / f"{mart}.parquet"
            con.execute(f"copy {table} to {_literal(str(file))} (format parquet, compression zstd)")
            rows = con.execute(f"select count(*) from {table}").fetchone()
            n_columns = con.execute(
                "select count(*) from duckdb_columns() where database_name = ? "
                "and schema_name = ? and table_name = ?",
                [catalog, MARTS_SCHEMA, mart],
            ).fetchone()
            tables[mart] = {
                "rows": int(rows[0]) if rows else 0,
                "columns": int(n_columns[0]) if n_columns else 0,
                "file": file.name,
                "bytes": file.stat().st_size,
            }
        con.execute(f"checkpoint {_quote(catalog)}")
        con.execute(f"detach {_quote(catalog)}")
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

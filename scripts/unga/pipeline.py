"""Build the warehouse on a working copy and swap it in only when every step succeeded.

Steps: copy the current warehouse file into a private folder, load the source into the copy,
run `dbt build` (models and tests) against the copy, drop what the project no longer defines
(unga.prune), then rename the copy over the warehouse and publish its marts (unga.publish).
A failure at any step removes the copy: the warehouse keeps its previous contents.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import duckdb

from unga import fetch
from unga.errors import UserError
from unga.load import LoadReport, load
from unga.prune import prune
from unga.publish import describe_publish, publish
from unga.sources import load_configured


class BuildFailed(Exception):
    """dbt build failed; its own output already says why."""


def _dbt_executable() -> str:
    beside = Path(sys.executable).with_name("dbt")
    if beside.exists():
        return str(beside)
    found = shutil.which("dbt")
    if not found:
        raise UserError("dbt is not installed: run `make build`, which installs it in .venv")
    return found


def has_votes(db_path: Path) -> bool:
    if not db_path.exists():
        return False
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        row = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'raw' and table_name = 'ga_votes'"
        ).fetchone()
        return (
            bool(row and row[0])
            and con.execute("select count(*) > 0 from raw.ga_votes").fetchone()[0]
        )
    finally:
        con.close()


def dbt_environment(db_path: Path, on_terminal: bool) -> dict[str, str]:
    """The environment dbt runs in: the warehouse to build, and colour codes only where they
    show as colours (the terminal; never dbt's log file), unless the caller chose otherwise."""
    env = {"DBT_USE_COLORS_FILE": "false"}
    if not on_terminal:
        env["DBT_USE_COLORS"] = "false"
    return env | dict(os.environ) | {"UNGA_DB": str(db_path)}


def run_dbt(project_dir: Path, db_path: Path, args: Sequence[str]) -> None:
    env = dbt_environment(db_path, sys.stdout.isatty())
    command = [
        _dbt_executable(),
        "build",
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        *args,
    ]
    print("running " + " ".join(command[1:2] + list(args)), file=sys.stderr, flush=True)
    completed = subprocess.run(command, env=env, cwd=project_dir, check=False)
    if completed.returncode != 0:
        raise BuildFailed


def dbt_manifest(project_dir: Path) -> Path:
    """The manifest.json dbt wrote for the project ($DBT_TARGET_PATH or target/)."""
    target = Path(os.environ.get("DBT_TARGET_PATH") or "target")
    return (project_dir / target) / "manifest.json"


def build(
    source: str | None,
    db_path: Path,
    cache_dir: Path,
    project_dir: Path,
    dbt_args: Sequence[str] = (),
    *,
    force_load: bool = False,
) -> LoadReport | None:
    """Load `source` (if given) and run dbt build, replacing `db_path` only on success."""
    db_path = db_path.resolve()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = db_path.with_name(f".{db_path.name}.build.lock")
    work_dir = db_path.with_name(f".{db_path.stem}.build")
    with lock_path.open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UserError(f"another build of {db_path} is running") from None
        shutil.rmtree(work_dir, ignore_errors=True)
        work_dir.mkdir()
        # Same file name as the warehouse: DuckDB names the catalog after the file stem, and the
        # views dbt creates refer to it, so the copy must keep the name it will be renamed to.
        work_db = work_dir / db_path.name
        try:
            if db_path.exists():
                shutil.copy2(db_path, work_db)
            report = None
            if source:
                local = fetch.resolve(source, cache_dir)
                started = time.monotonic()
                report = load(local.path, local.origin, work_db, force=force_load)
                describe_load(report, time.monotonic() - started)
            elif not has_votes(work_db):
                raise UserError(
                    "the warehouse holds no votes yet: set UNGA_SOURCE to the UN Digital "
                    "Library voting-data file (a path or an http(s) URL)"
                )
            # The raw tables of the extra sources (empty unless loaded), and the extra sources
            # named by UNGA_UNVOTES_DIR, UNGA_VOETEN_CSV, UNGA_DGACM_DIR.
            load_configured(work_db, cache_dir, force=force_load)
            run_dbt(project_dir, work_db, dbt_args)
            for name in prune(work_db, dbt_manifest(project_dir)):
                print(f"dropped {name}: the project no longer defines it", file=sys.stderr)
            os.replace(work_db, db_path)
            describe_publish(publish(db_path))
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)
    return report


def describe_load(report: LoadReport, seconds: float) -> None:
    if report.status == "unchanged":
        print(
            f"source unchanged since the last load (sha256 {report.sha256[:12]}…); nothing to load",
            file=sys.stderr,
        )
        return
    print(
        f"loaded {report.rows_loaded:,} of {report.rows_read:,} rows "
        f"({report.rows_rejected:,} rejected) in {seconds:.1f} s",
        file=sys.stderr,
    )
    if report.rows_rejected:
        print("rejected rows and their reasons are in raw.rejected_rows", file=sys.stderr)

"""Build the warehouse on a working copy and swap it in only when every step succeeded.

Steps: copy the current warehouse file into a private folder, load the source into the copy,
run `dbt build` (models and tests) against the copy, drop what the project no longer defines
(unga.prune), then rename the copy over the warehouse and publish its marts (unga.publish).
A failure at any step removes the copy: the warehouse keeps its previous contents.

The source is the one given (a path or URL), else the releases given (found on their records by
`unga update`), else, when the warehouse holds no votes yet, the newest release of the UN Digital
Library's record (unga.releases); a warehouse that holds votes is rebuilt from what it holds.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import duckdb

from unga import releases
from unga.errors import UserError
from unga.loading import registry
from unga.loading.core.warehouse import LoadReport
from unga.prune import prune
from unga.publish import describe_publish, publish
from unga.releases.model import Release


class BuildFailed(Exception):
    """dbt build failed; its own output already says why."""


def dbt_executable() -> str:
    """The dbt installed beside this Python (the project's .venv), else the one on PATH."""
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
        dbt_executable(),
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
    found: Sequence[Release] = (),
    environ: Mapping[str, str] | None = None,
) -> list[LoadReport]:
    """Load `source` (if given), else the releases `found`, else the newest release when the
    warehouse holds no votes yet, and run dbt build, replacing `db_path` only on success.
    `environ` holds the settings (UNGA_UNDL_RECORD and the extra sources; os.environ by
    default). Returns what the loads of the source or the releases did."""
    env = os.environ if environ is None else environ
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
            reports = []
            votes = registry.KINDS["undl"]
            if source:
                reports.append(registry.load(votes, source, work_db, cache_dir, force=force_load))
            elif not found and not has_votes(work_db):
                try:
                    newest = releases.find(votes.name, env)
                except UserError as err:
                    raise UserError(f"the warehouse holds no votes yet and {err}") from None
                print(
                    f"{votes.label}: the warehouse holds no votes yet; the newest release on "
                    f"{newest.record} is {newest.summary()}: downloading it",
                    file=sys.stderr,
                    flush=True,
                )
                found = [newest]
            reports += [
                registry.load_release(
                    registry.KINDS[release.kind], release, work_db, cache_dir, force=force_load
                )
                for release in found
            ]
            # The raw tables of the extra sources (empty unless loaded), and the extra sources
            # named by UNGA_UNVOTES_DIR, UNGA_VOETEN_CSV, UNGA_DGACM_DIR (unless just loaded
            # from their records).
            registry.load_configured(
                work_db, cache_dir, env, force=force_load, skip={r.kind for r in found}
            )
            run_dbt(project_dir, work_db, dbt_args)
            for name in prune(work_db, dbt_manifest(project_dir)):
                print(f"dropped {name}: the project no longer defines it", file=sys.stderr)
            os.replace(work_db, db_path)
            describe_publish(publish(db_path))
        finally:
            shutil.rmtree(work_dir, ignore_errors=True)
    return reports

"""Every source kind, and the one way to load any of them (the command line and the build).

`load` resolves the source (a local path, or an http(s) URL for the kinds that accept one, which
is downloaded into the cache first), runs the load's transaction and tells what it did;
`load_release` downloads a release found on its record (unga.releases) and loads it the same
way; `load_configured` loads the optional sources the environment names, for `unga build`.
Every load records where its files came from in raw.load_log; `held` reads that back.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from unga import fetch, releases
from unga.errors import UserError
from unga.loading import dgacm, undl, unvotes, voeten
from unga.loading.core.transaction import SourceKind, load_source
from unga.loading.core.warehouse import LoadReport, connect, ensure_schema, held_release
from unga.releases.model import Release, date_in_name

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


def resolve(kind: SourceKind, source: str, cache_dir: Path) -> fetch.LocalSource:
    """A local path for the source, with the origin the load log records."""
    if kind.accepts_url:
        return fetch.resolve(source, cache_dir)
    path = Path(source).expanduser()
    if fetch.is_url(source):
        raise UserError(f"the {kind.label} cannot be downloaded: give a local path, not {source}")
    if not path.exists():
        raise UserError(f"the source {source} does not exist")
    return fetch.LocalSource(path, source)


def given_provenance(local: fetch.LocalSource) -> dict[str, object]:
    """Where a source given as a path or URL came from: no record, the name it had there."""
    name = fetch.url_file_name(local.url) if local.url else local.path.name
    return {
        "release_file": name,
        "url": local.url,
        "release_date": date_in_name(name),
        "found_at": datetime.now(UTC),
        "etag": local.etag,
        "last_modified": local.last_modified,
    }


def load(
    kind: SourceKind, source: str, db_path: Path, cache_dir: Path, *, force: bool = False
) -> LoadReport:
    """Load a release of `kind` from `source` (path or URL) and tell what the load did."""
    local = resolve(kind, source, cache_dir)
    return _load(kind, local.path, local.origin, db_path, given_provenance(local), force)


def _load(
    kind: SourceKind,
    path: Path,
    origin: str,
    db_path: Path,
    provenance: Mapping[str, object],
    force: bool,
) -> LoadReport:
    started = time.monotonic()
    report = load_source(
        kind, path, origin, db_path, schema_ddl=SCHEMA_DDL, force=force, provenance=provenance
    )
    describe(kind, report, time.monotonic() - started)
    return report


def download_release(release: Release, cache_dir: Path) -> Path:
    """Download the files of a release into the cache: the file, or the folder of its files.

    The cache keeps one release of each kind (cache/releases/<kind>/): once the files of a
    release are whole, those of the release before are removed.
    """
    what = "a JSON-lines file" if release.folder else "a CSV file"
    kind_dir = cache_dir / "releases" / release.kind
    folder = kind_dir
    if release.folder:
        folder = kind_dir / f"{release.name}-{(release.version or 'files').split()[-1][:16]}"
    try:
        paths = [
            fetch.download(f.url, cache_dir, target=folder / f.name, what=what)
            for f in release.files
        ]
    except UserError as err:
        raise UserError(f"{err}; {releases.instead(release.kind, release.record)}") from None
    kept = folder if release.folder else paths[0]
    for entry in kind_dir.iterdir():
        if entry != kept and not entry.name.startswith("."):
            fetch.forget(entry)
    return kept


def load_release(
    kind: SourceKind, release: Release, db_path: Path, cache_dir: Path, *, force: bool = False
) -> LoadReport:
    """Download a release found on its record and load it, recording where it came from."""
    path = download_release(release, cache_dir)
    provenance = release.provenance()
    if not release.folder:
        said = fetch.validators(path)
        provenance |= {k: said[k] for k in ("etag", "last_modified") if k in said}
    return _load(kind, path, release.url, db_path, provenance, force)


def held(kind: SourceKind, db_path: Path) -> dict[str, object] | None:
    """The raw.load_log row of the release of `kind` the warehouse holds, or None (read-only:
    the warehouse is not changed, even to add columns an older one lacks)."""
    if not db_path.exists():
        return None
    try:
        con = duckdb.connect(str(db_path), read_only=True)
    except duckdb.Error as err:
        raise UserError(f"cannot open the warehouse {db_path}: {err}") from None
    try:
        tables = {
            f"raw.{name}"
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw'"
            ).fetchall()
        }
        if not {"raw.load_log", kind.tables[0]} <= tables:
            return None
        columns = {
            name
            for (name,) in con.execute(
                "select column_name from information_schema.columns "
                "where table_schema = 'raw' and table_name = 'load_log'"
            ).fetchall()
        }
        if "source_kind" not in columns:
            return None
        return held_release(con, kind.name, kind.tables[0])
    finally:
        con.close()


def load_configured(
    db_path: Path,
    cache_dir: Path,
    environ: Mapping[str, str] | None = None,
    *,
    force: bool = False,
    skip: Collection[str] = (),
) -> list[LoadReport]:
    """Create every raw table, then load the optional sources the environment names.

    UNGA_UNVOTES_DIR (the unvotes / TidyTuesday folder), UNGA_VOETEN_CSV (Voeten's UNVotes.csv,
    a path or URL) and UNGA_DGACM_DIR (a folder of DGACM JSON-lines files); unset ones are
    skipped, and so are the kinds named in `skip` (loaded otherwise, from their record).
    """
    env = os.environ if environ is None else environ
    ensure_warehouse_schema(db_path)
    return [
        load(kind, env[kind.env_var], db_path, cache_dir, force=force)
        for kind in optional_kinds()
        if env.get(kind.env_var) and kind.name not in skip
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

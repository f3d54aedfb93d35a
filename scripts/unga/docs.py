"""`unga docs`: dbt's documentation site for the project, checked complete, served locally.

`dbt docs generate` runs on a private copy of the built warehouse (the catalog needs the
relations; the warehouse itself is left to builds), into target/docs/ ($DBT_TARGET_PATH/docs).
The site is then checked: every model, seed, source, exposure, singular data test, unit test,
macro and generic test of the project (private `_` helpers aside), and every column, has a
description; a missing one is an error that names it. A generic test's instances (unique on a
column, ...) are described by their definition: dbt's own, or tests/generic/ (macros/_macros.yml).
`--serve` then serves the site with `dbt docs serve` on 127.0.0.1:8080.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from unga.errors import UserError
from unga.pipeline import dbt_environment, dbt_executable

DOCS_DIR = "docs"
DEFAULT_PORT = 8080
DESCRIBED = ("model", "seed", "test", "unit_test", "source", "exposure", "macro")


def docs_target(project_dir: Path) -> Path:
    """Where the site is generated: <$DBT_TARGET_PATH or target>/docs."""
    return project_dir / (os.environ.get("DBT_TARGET_PATH") or "target") / DOCS_DIR


def _nodes(manifest: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    for section in ("nodes", "sources", "exposures", "unit_tests", "macros"):
        yield from manifest.get(section, {}).values()


def undescribed(manifest: Mapping[str, Any], catalog: Mapping[str, Any]) -> list[str]:
    """What the project defines without a description: nodes by unique id, columns as
    <unique id>.<column>, from dbt's manifest.json and catalog.json."""
    project = manifest["metadata"].get("project_name")
    missing: list[str] = []
    for node in _nodes(manifest):
        if node.get("package_name") != project or node["resource_type"] not in DESCRIBED:
            continue
        if node["resource_type"] == "macro" and node["name"].startswith("_"):
            continue  # private helpers, described where the macros that use them are
        if node["resource_type"] == "test" and node.get("test_metadata"):
            continue  # a generic test's instance: described by its definition (a macro)
        if not (node.get("description") or "").strip():
            missing.append(node["unique_id"])
        for name, column in (node.get("columns") or {}).items():
            if not (column.get("description") or "").strip():
                missing.append(f"{node['unique_id']}.{name}")
    for section in ("nodes", "sources"):
        for unique_id, entry in catalog.get(section, {}).items():
            node = manifest.get(section, {}).get(unique_id)
            if node is None or node.get("package_name") != project:
                continue
            documented = {name.lower() for name in node.get("columns") or {}}
            missing += [
                f"{unique_id}.{name}" for name in entry["columns"] if name.lower() not in documented
            ]
    return sorted(set(missing))


def generate(db_path: Path, project_dir: Path) -> Path:
    """dbt docs generate on a copy of the warehouse at `db_path`; return the site's folder."""
    if not db_path.is_file():
        raise UserError(f"there is no warehouse at {db_path} yet: run `make build` first")
    target = docs_target(project_dir)
    with tempfile.TemporaryDirectory(prefix="unga-docs-") as work:
        # the same file name: the views dbt wrote refer to the catalog named after it
        copy = Path(work) / db_path.name
        shutil.copy2(db_path, copy)
        print("generating dbt docs on a copy of the warehouse", file=sys.stderr, flush=True)
        done = subprocess.run(
            [dbt_executable(), "docs", "generate", "--project-dir", str(project_dir),
             "--profiles-dir", str(project_dir), "--target-path", str(target)],
            env=dbt_environment(copy, sys.stdout.isatty()),
            cwd=project_dir,
            check=False,
        )  # fmt: skip
    if done.returncode != 0:
        raise UserError("dbt docs generate failed (see above)")
    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    missing = undescribed(manifest, catalog)
    if missing:
        shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if missing[10:] else "")
        raise UserError(f"{len(missing)} parts of the project have no description: {shown}")
    print(f"dbt docs written to {target}/index.html", file=sys.stderr)
    return target


def serve(target: Path, project_dir: Path, host: str, port: int) -> int:
    """dbt docs serve on the generated site, in the foreground until interrupted."""
    print(f"dbt docs: serving on http://{host}:{port}/ (Ctrl-C stops it)", file=sys.stderr)
    command = [
        dbt_executable(), "docs", "serve", "--project-dir", str(project_dir),
        "--profiles-dir", str(project_dir), "--target-path", str(target), "--host", host,
        "--port", str(port), "--no-browser",
    ]  # fmt: skip
    try:
        return subprocess.run(command, cwd=project_dir, check=False).returncode
    except KeyboardInterrupt:
        return 0

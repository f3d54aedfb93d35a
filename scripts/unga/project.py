"""Finding the dbt project (the folder holding this warehouse's dbt_project.yml).

`unga build` and `unga docs` run dbt on the project: the folder given with --project-dir or
UNGA_PROJECT_DIR, else the current folder or the nearest one above it that holds the project.
The package itself may be installed anywhere (a virtual environment, a wheel): it never looks
beside its own files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from unga.errors import UserError

PROJECT_FILE = "dbt_project.yml"
PROJECT_NAME = "unga"
ENV_VAR = "UNGA_PROJECT_DIR"
_NAME = re.compile(r"^name:\s*['\"]?([A-Za-z0-9_]+)['\"]?\s*$", re.MULTILINE)


def project_name(folder: Path) -> str | None:
    """The `name:` of the dbt project in `folder`, or None when it has no dbt_project.yml."""
    path = folder / PROJECT_FILE
    if not path.is_file():
        return None
    match = _NAME.search(path.read_text(encoding="utf-8", errors="replace"))
    return match.group(1) if match else ""


def find_project(given: str | None, environ: Mapping[str, str], cwd: Path) -> Path:
    """The project folder: `given` (--project-dir), else $UNGA_PROJECT_DIR, else `cwd` or the
    nearest folder above it that holds the project."""
    explicit = given or environ.get(ENV_VAR)
    if explicit:
        folder = Path(explicit).expanduser().resolve()
        name = project_name(folder)
        if name is None:
            raise UserError(f"{folder} is not the warehouse's project: it has no {PROJECT_FILE}")
        if name != PROJECT_NAME:
            raise UserError(
                f"{folder / PROJECT_FILE} is the dbt project {name!r}, not this warehouse's "
                f"({PROJECT_NAME!r})"
            )
        return folder
    start = cwd.resolve()
    for folder in (start, *start.parents):
        if project_name(folder) == PROJECT_NAME:
            return folder
    raise UserError(
        f"no dbt project here: run unga build in the warehouse's folder (the one with "
        f"{PROJECT_FILE}) or below it, or name it with --project-dir or {ENV_VAR}"
    )

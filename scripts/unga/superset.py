"""`unga superset`: Apache Superset on the published serving copy, with the project's dashboard.

Superset runs from its own virtual environment (.venv-superset, `make superset-install`), never
the project's. Its state - metadata database, secret key - lives in a folder of its own
($UNGA_SUPERSET_HOME, else superset/ beside the warehouse). Each start:

1. creates or upgrades Superset's metadata database and, the first time, its roles;
2. creates the admin account, with the password of $UNGA_SUPERSET_PASSWORD or, when that is not
   set, a generated one that is printed once (it is not stored anywhere else); an existing
   admin gets the password of $UNGA_SUPERSET_PASSWORD when it is set, and keeps its own if not;
3. imports the assets kept in superset/assets/ (Superset's own export format: the database
   connection, the datasets, the charts and the dashboard), with the connection pointed at the
   serving copy, read-only, so that the repository's version of the dashboard is the one shown;
4. serves Superset with gunicorn on 127.0.0.1:8088 (--host, --port to change).
"""

from __future__ import annotations

import io
import os
import secrets
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from unga.errors import UserError

PROJECT_DIR = Path(__file__).resolve().parents[2]
ASSETS_DIR = PROJECT_DIR / "superset" / "assets"
CONFIG_FILE = PROJECT_DIR / "superset" / "superset_config.py"
VENV = PROJECT_DIR / ".venv-superset"
HOME_ENV = "UNGA_SUPERSET_HOME"
PASSWORD_ENV = "UNGA_SUPERSET_PASSWORD"
ADMIN = "admin"
DEFAULT_PORT = 8088
URI_PLACEHOLDER = "__UNGA_SERVING_URI__"
DASHBOARD_SLUG = "unga-cohesion"


@dataclass(frozen=True)
class Superset:
    """Where Superset is installed and where it keeps its state."""

    venv: Path
    home: Path

    @property
    def command(self) -> Path:
        return self.venv / "bin" / "superset"

    def environment(self, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
        return dict(environ) | {
            "SUPERSET_CONFIG_PATH": str(CONFIG_FILE),
            HOME_ENV: str(self.home),
            "FLASK_APP": "superset",
        }


def serving_uri(serving: Path) -> str:
    """The SQLAlchemy URI of the serving copy for duckdb_engine, read-only."""
    return f"duckdb:///{serving.resolve()}?access_mode=read_only"


def assets_zip(serving: Path, assets_dir: Path = ASSETS_DIR) -> bytes:
    """The assets of superset/assets/ as the ZIP file `superset import-dashboards` reads, with
    the database connection pointed at `serving`."""
    files = sorted(p for p in assets_dir.rglob("*.yaml") if p.is_file())
    if not files:
        raise UserError(f"no Superset assets in {assets_dir}")
    uri = serving_uri(serving)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in files:
            text = path.read_text(encoding="utf-8").replace(URI_PLACEHOLDER, uri)
            archive.writestr(f"unga_assets/{path.relative_to(assets_dir)}", text)
    return out.getvalue()


def _run(superset: Superset, args: Sequence[str], what: str) -> str:
    print(f"superset: {what}", file=sys.stderr, flush=True)
    done = subprocess.run(
        [str(superset.command), *args],
        env=superset.environment(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise UserError(f"superset could not {what}: {tail[0]}")
    return done.stdout


def _admin_exists(superset: Superset) -> bool:
    con = sqlite3.connect(superset.home / "superset.db")
    try:
        row = con.execute("select count(*) from ab_user where username = ?", [ADMIN]).fetchone()
        return bool(row and row[0])
    finally:
        con.close()


def _secret_key(home: Path) -> None:
    key = home / "secret_key"
    if not key.exists():
        key.write_text(secrets.token_urlsafe(48) + "\n")
        key.chmod(0o600)


def prepare(superset: Superset, serving: Path, environ: Mapping[str, str] = os.environ) -> None:
    """Steps 1-3: metadata database, admin, the assets on the serving copy."""
    if not superset.command.exists():
        raise UserError(
            f"Superset is not installed in {superset.venv}: run `make superset-install` "
            "(or `make superset`, which installs it)"
        )
    if not serving.is_file():
        raise UserError(
            f"there is no serving copy at {serving}: run `make build` (it publishes one)"
        )
    superset.home.mkdir(parents=True, exist_ok=True)
    _secret_key(superset.home)
    first_start = not (superset.home / "superset.db").exists()
    _run(superset, ["db", "upgrade"], "create or upgrade its metadata database")
    if first_start:
        _run(superset, ["init"], "set up its roles and permissions (first start only)")
    password = environ.get(PASSWORD_ENV)
    if not _admin_exists(superset):
        shown = password is None
        password = password or secrets.token_urlsafe(12)
        _run(
            superset,
            ["fab", "create-admin", "--username", ADMIN, "--firstname", "UNGA",
             "--lastname", "Admin", "--email", "admin@localhost", "--password", password],
            "create the admin account",
        )  # fmt: skip
        if shown:
            print(
                f"superset: admin account '{ADMIN}', password {password} (shown once; set "
                f"{PASSWORD_ENV} to choose it)",
                file=sys.stderr,
                flush=True,
            )
    elif password:
        _run(
            superset,
            ["fab", "reset-password", "--username", ADMIN, "--password", password],
            "set the admin password",
        )
    bundle = superset.home / "unga_assets.zip"
    bundle.write_bytes(assets_zip(serving))
    _run(
        superset,
        ["import-dashboards", "--path", str(bundle), "--username", ADMIN],
        "import the dashboard",
    )


def serve(superset: Superset, host: str, port: int) -> int:
    """Step 4: gunicorn in the foreground until interrupted; its exit code."""
    url = f"http://{host}:{port}/superset/dashboard/{DASHBOARD_SLUG}/"
    print(f"superset: serving on {url} (Ctrl-C stops it)", file=sys.stderr, flush=True)
    command = [
        str(superset.venv / "bin" / "gunicorn"),
        "--bind", f"{host}:{port}",
        "--workers", "1",
        "--threads", "8",
        "--timeout", "120",
        "--log-level", "warning",
        "superset.app:create_app()",
    ]  # fmt: skip
    try:
        return subprocess.run(command, env=superset.environment(), check=False).returncode
    except KeyboardInterrupt:
        return 0


def main_superset(serving: Path, home: Path, host: str, port: int, serve_it: bool = True) -> int:
    superset = Superset(VENV, home)
    prepare(superset, serving)
    if not serve_it:
        print(f"superset: ready in {home}", file=sys.stderr)
        return 0
    return serve(superset, host, port)

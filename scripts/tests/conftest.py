"""Fixtures: a clean environment, the CLI run in-process, a local HTTP server, a fake dbt."""

from __future__ import annotations

import http.server
import json
import os
import shlex
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from testkit import REPO, UNGA_BIN, CliResult, FakeDbt, FileServer, command, write_votes
from unga import cli, pipeline
from unga.releases import FINDERS

RELEASE_SETTINGS = tuple(finder.env_var for finder in FINDERS.values())

SHARED_DATA = Path(os.environ.get("UNGA_SHARED_DATA") or REPO.parent / "shared" / "data")
REAL_FILE = SHARED_DATA / "undl" / "ga_voting.csv.gz"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "real_data: runs the whole build on the real UN Digital Library file"
    )


def nowhere() -> str:
    """The address of a port of 127.0.0.1 where nothing listens."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def offline() -> dict[str, str]:
    """Where the newest releases are looked for: nowhere, in every test that does not say
    otherwise, so that no test reaches the published addresses on the internet."""
    return {name: f"{nowhere()}/{name.lower()}" for name in RELEASE_SETTINGS}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the caller's UNGA_* settings, nor looks for releases on the internet."""
    for name in (
        "UNGA_SOURCE", "UNGA_DB", "UNGA_CACHE", "UNGA_SERVING",
        "UNGA_UNVOTES_DIR", "UNGA_VOETEN_CSV", "UNGA_DGACM_DIR", "UNGA_REPORTS",
    ):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    for name, value in offline().items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    """Run `unga ...` in-process; return the exit code and what it printed."""

    def run(*argv: object) -> CliResult:
        capsys.readouterr()
        try:
            code = cli.main([str(a) for a in argv])
        except SystemExit as exit_:  # argparse: --help, --version, usage errors
            code = exit_.code if isinstance(exit_.code, int) else 1
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


# --- a local HTTP server ---------------------------------------------------------------------


def _handler(server: FileServer) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:
            path = self.path.split("?")[0]
            server.requests.append({"path": path, "method": "HEAD"})
            body = server.files.get(path)
            status = server.statuses.get(path, server.status)
            if body is None or status != 200 or not server.head:
                self.send_error(404 if body is None else status if status != 200 else 405)
                return
            self.send_response(200)
            self.send_header("Content-Type", server.content_type)
            self.send_header("Content-Length", str(len(body)))
            if server.etags:
                self.send_header("ETag", server.etag(path))
            self.end_headers()

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            server.requests.append(
                {"path": path, "if_none_match": self.headers.get("If-None-Match")}
            )
            body = server.files.get(path)
            if body is None:
                self.send_error(404, "Not Found")
                return
            status = server.statuses.get(path, server.status)
            if status != 200:
                self.send_error(status)
                return
            if server.etags and self.headers.get("If-None-Match") == server.etag(path):
                self.send_response(304)
                self.send_header("ETag", server.etag(path))
                self.end_headers()
                return
            if server.chunked:
                self.protocol_version = "HTTP/1.1"
            self.send_response(200)
            self.send_header("Content-Type", server.types.get(path, server.content_type))
            if server.chunked:
                self.send_header("Transfer-Encoding", "chunked")
            elif server.content_length:
                self.send_header("Content-Length", str(len(body)))
            if server.etags:
                self.send_header("ETag", server.etag(path))
            self.end_headers()
            sent = body[: len(body) - server.short_by][: server.cuts.get(path, server.cut_after)]
            if server.chunked:
                # one chunk announcing the whole body; the end marker only if all of it is sent
                self.wfile.write(f"{len(body):x}\r\n".encode() + sent)
                if len(sent) == len(body):
                    self.wfile.write(b"\r\n0\r\n\r\n")
                self.close_connection = True
            else:
                self.wfile.write(sent)
            server.bodies_served[path] += 1

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def http_server() -> Iterator[FileServer]:
    """An HTTP server on a free port of 127.0.0.1, in a thread, shut down after the test."""
    state = FileServer()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def unreachable_url() -> str:
    """A URL on a port of 127.0.0.1 where nothing listens."""
    return f"{nowhere()}/ga_voting.csv.gz"


# --- a fake dbt ------------------------------------------------------------------------------

FAKE_DBT = """\
#!{python}
# Stands in for dbt: records how it was called, changes the warehouse it was given, writes the
# manifest of its one model (marts.fake_build) where dbt would ($DBT_TARGET_PATH), and exits
# with $FAKE_DBT_EXIT (a failing "dbt build" still leaves its changes in the working copy).
import json, os, sys
import duckdb

with open(os.environ["FAKE_DBT_LOG"], "a") as log:
    log.write(json.dumps({{"argv": sys.argv[1:], "db": os.environ.get("UNGA_DB"),
                          "cwd": os.getcwd()}}) + "\\n")
code = int(os.environ.get("FAKE_DBT_EXIT", "0"))
con = duckdb.connect(os.environ["UNGA_DB"])
if code == 0:
    con.execute("create schema if not exists marts")
    con.execute("drop table if exists marts.fake_build")
    con.execute("create table marts.fake_build as select count(*) as n from raw.ga_votes")
else:
    con.execute("delete from raw.ga_votes")
    print("fake dbt: 1 of 100 tests failed", file=sys.stderr)
con.close()
target = os.environ["DBT_TARGET_PATH"]
os.makedirs(target, exist_ok=True)
node = {{"resource_type": "model", "name": "fake_build", "schema": "marts", "alias": "fake_build"}}
with open(os.path.join(target, "manifest.json"), "w") as manifest:
    json.dump({{"nodes": {{"model.unga.fake_build": node}}}}, manifest)
sys.exit(code)
"""


@pytest.fixture
def fake_dbt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeDbt:
    """Make `unga build` run a fake dbt (through pipeline.dbt_executable) instead of dbt."""
    script = tmp_path / "fake-bin" / "dbt"
    script.parent.mkdir()
    script.write_text(FAKE_DBT.format(python=sys.executable))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    log = tmp_path / "fake-dbt-calls.jsonl"
    monkeypatch.setattr(pipeline, "dbt_executable", lambda: str(script))
    monkeypatch.setenv("FAKE_DBT_LOG", str(log))
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "fake-dbt-target"))
    monkeypatch.setenv("FAKE_DBT_EXIT", "0")
    assert os.access(script, os.X_OK)
    return FakeDbt(log, monkeypatch)


# --- the warehouse built once from the real file ------------------------------------------------


@dataclass(frozen=True)
class Built:
    db: Path
    stderr: str
    env: dict[str, str]
    stdout: str = ""  # dbt's own output


def run_unga(env: dict[str, str], *args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(UNGA_BIN), *(str(a) for a in args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )


def build_assembly(base: Path, rows: list[dict[str, str]], start_year: int, end_year: int) -> Path:
    """Build (dbt build: models and tests) and publish a small assembly written from `rows`, with
    the analysis window of the vars; return its serving copy."""
    source = write_votes(base / "votes.csv", rows)
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNGA_")}
    env |= {"DBT_TARGET_PATH": str(base / "target"), "DBT_LOG_PATH": str(base / "logs")}
    db = base / "warehouse" / "unga.duckdb"
    vars_ = f"{{start_year: {start_year}, end_year: {end_year}}}"
    done = run_unga(env, "build", "--source", source, "--db", db, "--", "--vars", vars_)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr
    return db.parent / "serving.duckdb"


# The README's first command; the session's build runs it as printed, on the real file.
FIRST_COMMAND = "UNGA_SOURCE=/path/to/ga_voting.csv.gz make build"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """The README's first command (`UNGA_SOURCE=... make build`) on the real file, once per
    session, into a warehouse of its own; skips when the file is absent."""
    if not REAL_FILE.is_file():
        pytest.skip(f"real data not found at {REAL_FILE}")
    base = tmp_path_factory.mktemp("real")
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNGA_")} | offline()
    env |= {"DBT_TARGET_PATH": str(base / "target"), "DBT_LOG_PATH": str(base / "logs")}
    # the extra sources too, when they are there: topic quality and reconciliation need them
    if (SHARED_DATA / "unvotes").is_dir():
        env["UNGA_UNVOTES_DIR"] = str(SHARED_DATA / "unvotes")
    if (SHARED_DATA / "dgacm").is_dir():
        env["UNGA_DGACM_DIR"] = str(SHARED_DATA / "dgacm")
    db = base / "warehouse" / "unga.duckdb"
    assert command("UNGA_SOURCE=") == FIRST_COMMAND
    line = FIRST_COMMAND.replace("/path/to/ga_voting.csv.gz", shlex.quote(str(REAL_FILE)))
    completed = subprocess.run(
        ["bash", "-c", line],
        cwd=REPO,
        env=env | {"UNGA_DB": str(db)},
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr
    return Built(db, completed.stderr, env, completed.stdout)


@dataclass(frozen=True)
class Published:
    """What the session build published beside its warehouse."""

    db: Path
    serving: Path
    parquet: Path
    stderr: str
    env: dict[str, str]

    @property
    def manifest(self) -> dict[str, Any]:
        return json.loads((self.parquet / "manifest.json").read_text())


@pytest.fixture(scope="session")
def published(built: Built) -> Published:
    """The serving copy and Parquet set that the session build of the real data published."""
    return Published(
        db=built.db,
        serving=built.db.parent / "serving.duckdb",
        parquet=built.db.parent / "parquet",
        stderr=built.stderr,
        env=built.env,
    )

"""Helpers for the loader tests: write small voting-data files and look inside a warehouse.

The column lists are written out here on purpose (not imported from `unga.undl`): the tests pin
the layout of the UN Digital Library file independently of the code that reads it.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from unga.loading.core.checks import MALFORMED
from unga.loading.core.transaction import SourceKind, load_source
from unga.loading.core.warehouse import LoadReport
from unga.loading.registry import SCHEMA_DDL

REPO = Path(__file__).resolve().parents[2]
UNGA_BIN = REPO / ".venv" / "bin" / "unga"
README = (REPO / "README.md").read_text()

# The UN Digital Library file's header as published, written here apart from the loader's own
# list (unga.loading.undl), so that a change to the loader's columns shows in the tests.
COLUMNS_WITH_NOTE: tuple[str, ...] = (
    "undl_id",
    "ms_code",
    "ms_name",
    "ms_vote",
    "date",
    "session",
    "resolution",
    "draft",
    "committee_report",
    "meeting",
    "title",
    "agenda_title",
    "subjects",
    "vote_note",
    "total_yes",
    "total_no",
    "total_abstentions",
    "total_non_voting",
    "total_ms",
    "undl_link",
)
COLUMNS_WITHOUT_NOTE: tuple[str, ...] = tuple(c for c in COLUMNS_WITH_NOTE if c != "vote_note")
LAYOUT_WITH_NOTE = "undl-2026-with-vote-note"
LAYOUT_WITHOUT_NOTE = "undl-without-vote-note"

Row = dict[str, str] | Sequence[str]


def vote_row(
    undl_id: int | str = 1001,
    ms_name: str = "FRANCE",
    ms_vote: str = "Y",
    **fields: str,
) -> dict[str, str]:
    """One member state's vote on one roll call, with plausible values in every column."""
    row = {
        "undl_id": str(undl_id),
        "ms_code": "",
        "ms_name": ms_name,
        "ms_vote": ms_vote,
        "date": "2020-12-07",
        "session": "75",
        "resolution": f"A/RES/75/{undl_id}",
        "draft": "A/75/L.1",
        "committee_report": "",
        "meeting": "A/75/PV.40",
        "title": "Test resolution, with a comma",
        "agenda_title": "Item 1|Item 2",
        "subjects": "PEACE--POLITICAL CONDITIONS|SECURITY",
        "vote_note": "",
        "total_yes": "2.0",
        "total_no": "1.0",
        "total_abstentions": "0.0",
        "total_non_voting": "0.0",
        "total_ms": "3.0",
        "undl_link": f"https://digitallibrary.un.org/record/{undl_id}",
    }
    unknown = set(fields) - set(row)
    assert not unknown, f"unknown columns {unknown}"
    row.update(fields)
    return row


def release(version: int = 1) -> list[dict[str, str]]:
    """A small, valid release: version 1 has 2 roll calls x 3 states; version 2 adds one."""
    rows = []
    roll_calls = [(1001, "2020-12-07"), (1002, "2021-03-02")]
    if version >= 2:
        roll_calls.append((1003, "2022-03-02"))
    for undl_id, date in roll_calls:
        for name, vote in (("FRANCE", "Y"), ("BRAZIL", "Y"), ("CHINA", "N")):
            rows.append(vote_row(undl_id, name, vote, date=date))
    return rows


def assembly_rows(
    names: Sequence[str], roll_calls: dict[int, tuple[str, str, Sequence[str]]]
) -> list[dict[str, str]]:
    """The rows of a small assembly: for each roll call (id -> date, title, one vote per name in
    the order of `names`), every state's vote, with the published totals counted from them."""
    rows = []
    for undl_id, (date, title, votes) in roll_calls.items():
        session = str(int(date[:4]) - 1945)
        totals = {
            "total_yes": f"{votes.count('Y')}.0",
            "total_no": f"{votes.count('N')}.0",
            "total_abstentions": f"{votes.count('A')}.0",
            "total_non_voting": f"{votes.count('X')}.0",
            "total_ms": f"{len(votes)}.0",
        }
        for name, vote in zip(names, votes, strict=True):
            rows.append(
                vote_row(
                    undl_id,
                    name,
                    vote,
                    date=date,
                    session=session,
                    resolution=f"A/RES/{session}/{undl_id}",
                    title=title,
                    agenda_title="Scenario agenda item",
                    subjects="SCENARIO",
                    **totals,
                )
            )
    return rows


def records(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    """The rows of a query as dicts."""
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def assert_measures(row: dict[str, Any], expected: dict[str, Any]) -> None:
    """Each value of `expected` (exact fractions, ints, None or booleans) is the row's."""
    for name, value in expected.items():
        if value is None or isinstance(value, bool):
            assert row[name] is value, name
        else:
            assert row[name] == pytest.approx(float(value), abs=1e-12), (name, row[name], value)


def csv_bytes(
    rows: Iterable[Row],
    *,
    with_note: bool = True,
    header: Sequence[str] | None = None,
) -> bytes:
    """CSV text of `rows` under a header; dict rows follow the layout, list rows go as they are."""
    columns = COLUMNS_WITH_NOTE if with_note else COLUMNS_WITHOUT_NOTE
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns if header is None else header)
    for row in rows:
        if isinstance(row, dict):
            writer.writerow([row[c] for c in columns])
        else:
            writer.writerow(row)
    return out.getvalue().encode()


def write_votes(
    path: Path,
    rows: Iterable[Row],
    *,
    with_note: bool = True,
    header: Sequence[str] | None = None,
) -> Path:
    """Write a voting-data file; gzip-compressed when the name ends in .gz."""
    data = csv_bytes(rows, with_note=with_note, header=header)
    if path.suffix == ".gz":
        data = gzip.compress(data, mtime=0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def truncate(path: Path, cut: int) -> Path:
    """Cut the last `cut` bytes off a file (a download or a copy that stopped early)."""
    data = path.read_bytes()
    assert len(data) > cut
    path.write_bytes(data[:-cut])
    return path


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def query(db: Path, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run one query on the warehouse opened read-only, and close it again."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def frame(db: Path, sql: str) -> pd.DataFrame:
    """One query on the warehouse opened read-only, as a DataFrame."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).df()
    finally:
        con.close()


def scalar(db: Path, sql: str, params: Sequence[Any] = ()) -> Any:
    rows = query(db, sql, params)
    assert len(rows) == 1, rows
    return rows[0][0]


def fingerprint(db: Path, table: str, order_by: str) -> tuple[int, str | None]:
    """Row count and an md5 of every row of `table` (in a fixed order)."""
    return query(
        db,
        f"select count(*), md5(string_agg(cast(t as varchar), '\n' order by {order_by})) "
        f"from {table} as t",
    )[0]


def warehouse_state(db: Path) -> dict[str, tuple[int, str | None]]:
    """Fingerprints of the three raw tables a load writes."""
    return {
        "ga_votes": fingerprint(db, "raw.ga_votes", "source_row"),
        "rejected_rows": fingerprint(db, "raw.rejected_rows", "source_row, reason"),
        "load_log": fingerprint(db, "raw.load_log", "load_id"),
    }


def load_file(
    kind: SourceKind, path: Path, db: Path, origin: str | None = None, *, force: bool = False
) -> LoadReport:
    """Load a local file or folder of `kind` the way `unga load` does, minus the command line."""
    return load_source(
        kind, path, str(path) if origin is None else origin, db, schema_ddl=SCHEMA_DDL, force=force
    )


def set_aside(con: duckdb.DuckDBPyConnection) -> list[tuple[int, str, Any]]:
    """What reading set aside on this connection: (row, reason, the row as read), in order."""
    rows = con.execute(
        f"select source_row, reason, record from {MALFORMED} order by source_row"
    ).fetchall()
    return [(n, reason, json.loads(record)) for n, reason, record in rows]


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def assert_one_error(stderr: str, *fragments: str) -> str:
    """The failure was told as one line starting with 'error:' (no traceback); return it."""
    assert "Traceback" not in stderr, stderr
    lines = error_lines(stderr)
    assert len(lines) == 1, stderr
    line = lines[0]
    assert len(line) > len("error: ") + 10, line
    for fragment in fragments:
        assert fragment in line, f"{fragment!r} not in {line!r}"
    return line


# --- the README's commands, as printed ------------------------------------------------------------


def blocks(language: str) -> list[str]:
    """The code blocks of the README in `language`."""
    return re.findall(rf"```{language}\n(.*?)```", README, flags=re.DOTALL)


def command(prefix: str) -> str:
    """The one command line of the README that starts with `prefix` (without its comment)."""
    [line] = [
        line for block in blocks("sh") for line in block.splitlines() if line.startswith(prefix)
    ]
    return line.split("  #")[0].strip()


def block_of(prefix: str) -> list[str]:
    """The command lines of the one shell block of the README whose first line starts with
    `prefix`."""
    [block] = [b for b in blocks("sh") if b.startswith(prefix)]
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


# --- what the fixtures of conftest.py hand to tests ---------------------------------------------


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@dataclass
class FileServer:
    """Serves `files` (URL path -> bytes) on 127.0.0.1 and counts what it sent."""

    port: int = 0
    files: dict[str, bytes] = field(default_factory=dict)
    etags: bool = True
    content_length: bool = True
    short_by: int = 0  # send this many bytes fewer than Content-Length says
    cut_after: int | None = None  # close the connection after this many bytes of the body
    chunked: bool = False  # send the body in chunked transfer encoding
    status: int = 200  # answer every request for a known path with this status
    statuses: dict[str, int] = field(default_factory=dict)  # ... or this one, for these paths
    cuts: dict[str, int] = field(default_factory=dict)  # cut_after, for these paths only
    head: bool = True  # answer HEAD requests (with 405 when not)
    content_type: str = "application/octet-stream"
    types: dict[str, str] = field(default_factory=dict)  # content types of these paths
    bodies_served: Counter[str] = field(default_factory=Counter)
    requests: list[dict[str, str | None]] = field(default_factory=list)

    def gets(self, path: str) -> int:
        """How many GET requests asked for `path`."""
        return sum(1 for r in self.requests if r["path"] == path and r.get("method") != "HEAD")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def etag(self, path: str) -> str:
        return '"' + hashlib.sha256(self.files[path]).hexdigest()[:16] + '"'


@dataclass
class FakeDbt:
    log: Path
    monkeypatch: pytest.MonkeyPatch

    def fail(self, fail: bool = True) -> None:
        self.monkeypatch.setenv("FAKE_DBT_EXIT", "1" if fail else "0")

    def calls(self) -> list[dict]:
        if not self.log.exists():
            return []
        return [json.loads(line) for line in self.log.read_text().splitlines()]

"""Publishing the marts (unga.publish): serving.duckdb and the Parquet set, swapped in atomically.

The first tests use the fake dbt of conftest. The real-data tests read what the session build
of the real data published (conftest's `published`; skipped when the file is not there): what
was published, a reader that holds the serving copy open while another build runs and
publishes, and SQLAlchemy (duckdb_engine) reading it read-only as Superset does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pytest
from conftest import REAL_FILE, Published
from testkit import (
    UNGA_BIN,
    FakeDbt,
    assert_one_error,
    frame,
    release,
    sha256_file,
    write_votes,
)
from unga import publish as publishing


def query(path: Path, sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def manifest_of(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "parquet" / "manifest.json").read_text())


def serving_tables(serving: Path) -> dict[str, list[str]]:
    rows = query(
        serving,
        "select table_schema, table_name from information_schema.tables order by 1, 2",
    )
    tables: dict[str, list[str]] = {}
    for schema, name in rows:
        tables.setdefault(schema, []).append(name)
    return tables


# --- with the fake dbt ------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "unga.duckdb"


@pytest.fixture
def fake_built(tmp_path: Path, db: Path, run_cli, fake_dbt: FakeDbt) -> Path:
    """A warehouse built with the fake dbt (which writes marts.fake_build) and published."""
    source = write_votes(tmp_path / "release1.csv.gz", release(1))
    result = run_cli("build", "--source", source, "--db", db)
    assert result.code == 0, result.err
    return db


def test_build_publishes_the_marts(tmp_path: Path, db: Path, fake_built: Path, run_cli) -> None:
    folder = db.parent
    assert serving_tables(folder / "serving.duckdb") == {"marts": ["fake_build"]}
    assert query(folder / "serving.duckdb", "select n from marts.fake_build") == [(6,)]
    link = folder / "parquet"
    assert link.is_symlink()
    assert os.readlink(link).startswith("parquet.versions/")  # relative: the folder can move
    assert sorted(p.name for p in link.iterdir()) == ["fake_build.parquet", "manifest.json"]
    parquet = link / "fake_build.parquet"
    assert query(folder / "serving.duckdb", f"select n from read_parquet('{parquet}')") == [(6,)]
    codecs = query(
        folder / "serving.duckdb", f"select distinct compression from parquet_metadata('{parquet}')"
    )
    assert codecs == [("ZSTD",)]

    manifest = manifest_of(folder)
    assert manifest["marts"]["fake_build"]["rows"] == 1
    assert manifest["source_file"] == "release1.csv.gz"
    assert manifest["source_sha256"] == sha256_file(tmp_path / "release1.csv.gz")
    assert set(manifest["versions"]) == {"unga-votes", "dbt-core", "dbt-duckdb", "duckdb"}
    assert manifest["versions"]["duckdb"] == duckdb.__version__
    built_at = datetime.fromisoformat(manifest["built_at"])
    assert built_at <= datetime.fromisoformat(manifest["published_at"])
    assert not (folder / ".serving.duckdb.publish").exists()
    assert not (folder / "serving.duckdb.wal").exists()


def test_build_says_what_it_published(tmp_path: Path, db: Path, run_cli, fake_dbt) -> None:
    source = write_votes(tmp_path / "v.csv", release(1))
    result = run_cli("build", "--source", source, "--db", db)
    assert result.code == 0, result.err
    assert f"published 1 mart (1 row) to {db.parent / 'serving.duckdb'}" in result.err


def test_a_failed_build_publishes_nothing(
    tmp_path: Path, db: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    fake_dbt.fail()
    source = write_votes(tmp_path / "v.csv", release(1))
    assert run_cli("build", "--source", source, "--db", db).code == 1
    assert not (db.parent / "serving.duckdb").exists()
    assert not (db.parent / "parquet").exists()


def test_a_failed_build_keeps_what_was_published(
    tmp_path: Path, fake_built: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    folder = fake_built.parent
    before = (
        sha256_file(folder / "serving.duckdb"),
        os.readlink(folder / "parquet"),
        manifest_of(folder),
    )
    fake_dbt.fail()
    source = write_votes(tmp_path / "release2.csv", release(2))
    result = run_cli("build", "--source", source, "--db", fake_built)
    assert result.code == 1
    after = (
        sha256_file(folder / "serving.duckdb"),
        os.readlink(folder / "parquet"),
        manifest_of(folder),
    )
    assert after == before


def test_publish_command_keeps_the_current_and_previous_parquet_sets(
    fake_built: Path, run_cli
) -> None:
    folder = fake_built.parent
    first = os.readlink(folder / "parquet")
    links = [first]
    for _ in range(3):
        result = run_cli("publish", "--db", fake_built)
        assert result.code == 0, result.err
        assert "published 1 mart " in result.err
        links.append(os.readlink(folder / "parquet"))
    assert len(set(links)) == 4
    kept = sorted(p.name for p in (folder / "parquet.versions").iterdir())
    assert kept == sorted(Path(link).name for link in links[-2:])


def test_a_reader_keeps_the_copy_it_opened(fake_built: Path) -> None:
    serving = fake_built.parent / "serving.duckdb"
    reader = duckdb.connect(str(serving), read_only=True)
    try:
        with duckdb.connect(str(fake_built)) as writer:
            writer.execute("create table marts.added as select 42 as answer")
        publishing.publish(fake_built)
        assert reader.execute("select n from marts.fake_build").fetchall() == [(6,)]
        assert reader.execute(
            "select count(*) from information_schema.tables where table_name = 'added'"
        ).fetchall() == [(0,)]
    finally:
        reader.close()
    assert query(serving, "select answer from marts.added") == [(42,)]
    assert manifest_of(fake_built.parent)["marts"]["added"]["rows"] == 1


def test_publish_without_a_warehouse_says_to_build(tmp_path: Path, run_cli) -> None:
    result = run_cli("publish", "--db", tmp_path / "none" / "unga.duckdb")
    assert result.code == 2
    assert_one_error(result.err, "no warehouse", "make build")


def test_publish_without_marts_writes_nothing(tmp_path: Path, db: Path, run_cli) -> None:
    db.parent.mkdir(parents=True)
    with duckdb.connect(str(db)) as con:
        con.execute("create schema raw; create table raw.t as select 1 as x")
    result = run_cli("publish", "--db", db)
    assert result.code == 1
    assert_one_error(result.err, "no marts", "make build")
    assert sorted(p.name for p in db.parent.iterdir()) == [
        ".serving.duckdb.publish.lock",
        "unga.duckdb",
    ]


def test_build_that_cannot_publish_says_so(
    tmp_path: Path, fake_built: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    folder = fake_built.parent
    serving_before = sha256_file(folder / "serving.duckdb")
    (folder / "parquet").unlink()
    (folder / "parquet").mkdir()  # a folder where the link should be
    source = write_votes(tmp_path / "release2.csv", release(2))
    result = run_cli("build", "--source", source, "--db", fake_built)
    assert result.code == 1
    assert_one_error(result.err, str(folder / "parquet"), "move it away")
    assert "run `unga publish`" in result.err
    assert query(fake_built, "select n from marts.fake_build") == [
        (9,)
    ]  # the build itself succeeded
    assert sha256_file(folder / "serving.duckdb") == serving_before


# --- on the real data ---------------------------------------------------------------------------


@pytest.mark.real_data
def test_real_build_publishes_every_mart(published: Published) -> None:
    assert "published " in published.stderr
    warehouse_marts = [
        name
        for (name,) in query(
            published.db,
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' order by 1",
        )
    ]
    assert {"fct_votes", "dim_roll_calls", "fct_dyad_year_agreement"} <= set(warehouse_marts)
    assert serving_tables(published.serving) == {"marts": warehouse_marts}
    manifest = json.loads((published.parquet / "manifest.json").read_text())
    assert sorted(manifest["marts"]) == warehouse_marts
    assert manifest["source_file"] == REAL_FILE.name
    assert manifest["source_sha256"] == sha256_file(REAL_FILE)
    assert manifest["marts"]["fct_votes"]["rows"] == 917_380
    for mart, entry in manifest["marts"].items():
        parquet = published.parquet / entry["file"]
        counted = query(
            published.serving,
            f"select (select count(*) from marts.{mart}), "
            f"(select count(*) from read_parquet('{parquet}'))",
        )
        assert counted == [(entry["rows"], entry["rows"])], mart
    # the analyses come along and answer as in the warehouse; nothing outside the marts does
    assert set(manifest["analyses"]) == {
        "focal_cohesion", "split_votes", "split_vote_summary", "dyad_roll_calls",
        "conflict_resolution_votes", "group_cohesion", "country_group_agreement",
        "group_members_agreement",
    }  # fmt: skip
    assert manifest["analyses"]["group_cohesion"]["parameters"] == [
        "country_codes VARCHAR[]", "from_year INTEGER", "to_year INTEGER",
    ]  # fmt: skip
    assert manifest["analyses"]["focal_cohesion"]["parameters"] == [
        "focal VARCHAR", "reference_codes VARCHAR[]", "from_year INTEGER", "to_year INTEGER",
    ]  # fmt: skip
    call = "select * from marts.focal_cohesion('TUR', ['RUS', 'USA'], 2000, 2024) order by all"
    # the same rows; doubles summed by several threads may differ in the last bits
    pd.testing.assert_frame_equal(
        frame(published.serving, call), frame(published.db, call), check_dtype=False, rtol=1e-12
    )
    schemas = query(
        published.serving,
        "select distinct schema_name from duckdb_schemas() where not internal order by 1",
    )
    assert schemas == [("marts",)]
    # the checks of the audit schema: as Parquet apart, not in the serving copy
    checks = [
        name
        for (name,) in query(
            published.db,
            "select table_name from information_schema.tables "
            "where table_schema = 'audit' order by 1",
        )
    ]
    assert "vote_count_mismatches" in checks and sorted(manifest["audit"]) == checks
    for check, entry in manifest["audit"].items():
        assert entry["file"] == f"audit/{check}.parquet"
        rows = query(
            published.db,
            f"select (select count(*) from audit.{check}), "
            f"(select count(*) from read_parquet('{published.parquet / entry['file']}'))",
        )
        assert rows == [(entry["rows"], entry["rows"])], check
    # every source file loaded, with its sha256
    kinds = {source["source_kind"]: source for source in manifest["sources"]}
    assert kinds["undl"]["sha256"] == sha256_file(REAL_FILE)
    # and where it came from: a file given by path, so no record and no URL
    undl = kinds["undl"]
    assert (undl["record"], undl["release_file"], undl["url"]) == (None, REAL_FILE.name, None)
    assert undl["found_at"] <= undl["loaded_at"]
    # the descriptions dbt wrote (persist_docs) come along
    comments = query(
        published.serving,
        "select comment from duckdb_columns() "
        "where table_name = 'fct_votes' and column_name = 'vote'",
    )
    assert comments and comments[0][0]


READER = """
import json, sys
import duckdb

path = sys.argv[1]

def state(con):
    return [
        con.execute(f"select list(distinct focal_country order by focal_country) from {t}")
        .fetchone()[0]
        for t in ("marts.fct_focal_cohesion", "marts.fct_split_votes",
                  "marts.fct_split_vote_summary")
    ] + [con.execute("select count(*) from marts.fct_votes").fetchone()[0]]

con = duckdb.connect(path, read_only=True)
print(json.dumps(state(con)), flush=True)
for line in sys.stdin:
    if line.strip() == "reconnect":
        con.close()
        con = duckdb.connect(path, read_only=True)
    print(json.dumps(state(con)), flush=True)
"""


def _fresh_state(serving: Path) -> list[Any]:
    """What a reader opening the serving copy now sees (all three marts, one connection)."""
    con = duckdb.connect(str(serving), read_only=True)
    try:
        return [
            con.execute(
                f"select list(distinct focal_country order by focal_country) from {t}"
            ).fetchone()[0]
            for t in (
                "marts.fct_focal_cohesion",
                "marts.fct_split_votes",
                "marts.fct_split_vote_summary",
            )
        ] + [con.execute("select count(*) from marts.fct_votes").fetchone()[0]]
    finally:
        con.close()


def _parquet_state(folder: Path) -> list[Any]:
    """What a reader of the Parquet set sees: it resolves the link once, then reads the files."""
    current = (folder / "parquet").resolve()
    manifest = json.loads((current / "manifest.json").read_text())
    con = duckdb.connect()
    try:
        state = []
        for mart in ("fct_focal_cohesion", "fct_split_votes", "fct_split_vote_summary"):
            file = current / f"{mart}.parquet"
            rows, focal = con.execute(
                f"select count(*), list(distinct focal_country order by focal_country) "
                f"from read_parquet('{file}')"
            ).fetchone()
            assert rows == manifest["marts"][mart]["rows"]
            state.append(focal)
        return state
    finally:
        con.close()


@pytest.mark.real_data
def test_reader_holds_the_serving_copy_while_a_build_publishes(
    published: Published, tmp_path: Path
) -> None:
    # A warehouse and what was published from it, as the session build left them: the build
    # below never writes them in place (it copies, then renames new files over them), so the
    # published files can be hard links.
    db = tmp_path / "warehouse" / "unga.duckdb"
    db.parent.mkdir()
    shutil.copy2(published.db, db)
    os.link(published.serving, db.parent / "serving.duckdb")
    version = published.parquet.resolve()
    shutil.copytree(version, db.parent / "parquet.versions" / version.name, copy_function=os.link)
    (db.parent / "parquet").symlink_to(Path("parquet.versions") / version.name)
    serving = db.parent / "serving.duckdb"
    old = [["KAZ"], ["KAZ"], ["KAZ"], 917_380]
    new = [["UKR"], ["UKR"], ["UKR"], 917_380]
    assert _fresh_state(serving) == old

    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(serving)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdin and reader.stdout

    def ask(command: str = "read") -> list[Any]:
        reader.stdin.write(command + "\n")
        reader.stdin.flush()
        return json.loads(reader.stdout.readline())

    try:
        assert json.loads(reader.stdout.readline()) == old
        build = subprocess.Popen(
            [
                str(UNGA_BIN),
                "build",
                "--db",
                db,
                "--",
                "--select",
                "fct_focal_cohesion fct_split_votes fct_split_vote_summary",
                "--vars",
                "{focal_country: UKR}",
            ],
            env=published.env
            | {"DBT_TARGET_PATH": str(tmp_path / "target"), "DBT_LOG_PATH": str(tmp_path / "logs")},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        held, fresh, parquet = [], [], []
        while build.poll() is None:
            held.append(ask())
            fresh.append(_fresh_state(serving))
            parquet.append(_parquet_state(db.parent))
            time.sleep(0.05)
        out, err = build.communicate()
        assert build.returncode == 0, out[-3000:] + err
        assert "published " in err

        assert held and all(state == old for state in held)
        assert all(state in (old, new) for state in fresh), fresh
        assert all(state in (old[:3], new[:3]) for state in parquet), parquet
        assert ask() == old  # the held connection still reads the copy it opened
        assert ask("reconnect") == new
        assert _fresh_state(serving) == new
        assert _parquet_state(db.parent) == new[:3]
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)


@pytest.mark.real_data
def test_sqlalchemy_reads_the_serving_copy_read_only(published: Published) -> None:
    sqlalchemy = pytest.importorskip("sqlalchemy")
    manifest = json.loads((published.parquet / "manifest.json").read_text())
    # the two ways to say read-only: in the URI (Superset's SQLAlchemy URI field) or as
    # connect_args (Superset's engine parameters)
    engines = [
        sqlalchemy.create_engine(f"duckdb:///{published.serving}?access_mode=read_only"),
        sqlalchemy.create_engine(
            f"duckdb:///{published.serving}", connect_args={"read_only": True}
        ),
    ]
    for engine in engines:
        try:
            with engine.connect() as con:
                names = sqlalchemy.inspect(con).get_table_names(schema="marts")
                assert sorted(names) == sorted(manifest["marts"])
                votes = con.execute(sqlalchemy.text("select count(*) from marts.fct_votes"))
                assert votes.scalar() == manifest["marts"]["fct_votes"]["rows"]
                with pytest.raises(sqlalchemy.exc.DBAPIError, match="read-only"):
                    con.execute(sqlalchemy.text("create table marts.written (x integer)"))
        finally:
            engine.dispose()

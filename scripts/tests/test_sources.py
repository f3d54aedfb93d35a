"""What the extra sources share: the raw tables every load creates, load_log.source_kind and
where each release came from, the `--kind` option of `unga load`, and `unga build` loading the
sources the environment names."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest
from extra_sources_kit import (
    SHARED_DATA,
    UNVOTES_ROWS,
    dataverse_sample,
    dataverse_text,
    dgacm_record,
    write_dgacm,
    write_text,
    write_unvotes,
)
from testkit import (
    FakeDbt,
    FileServer,
    assert_one_error,
    csv_bytes,
    query,
    release,
    scalar,
    write_votes,
)
from unga.loading import undl
from unga.loading.registry import load, load_configured, optional_kinds

EXTRA_TABLES = {
    "unvotes_votes",
    "unvotes_roll_calls",
    "unvotes_issues",
    "unvotes_rejected_rows",
    "voeten_votes",
    "voeten_rejected_rows",
    "dgacm_resolutions",
    "dgacm_rejected_rows",
}


@pytest.fixture(autouse=True)
def _no_extra_sources(monkeypatch: pytest.MonkeyPatch) -> None:
    for kind in optional_kinds():
        monkeypatch.delenv(kind.env_var, raising=False)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "unga.duckdb"


def raw_tables(db: Path) -> set[str]:
    rows = query(db, "select table_name from information_schema.tables where table_schema = 'raw'")
    return {r[0] for r in rows}


def test_the_undl_load_creates_the_extra_tables_empty(tmp_path: Path, db: Path, run_cli) -> None:
    source = write_votes(tmp_path / "v.csv", release(1))
    assert run_cli("load", "--source", source, "--db", db).code == 0
    assert raw_tables(db) >= EXTRA_TABLES
    for table in EXTRA_TABLES:
        assert scalar(db, f"select count(*) from raw.{table}") == 0
    assert query(db, "select source_kind from raw.load_log") == [("undl",)]


def write_old_load_log(db: Path, *, source_kind: bool) -> None:
    """A warehouse whose raw.load_log was written by an earlier loader (with or without
    source_kind, and without the columns that say where a release came from), with one row."""
    db.parent.mkdir(parents=True)
    con = duckdb.connect(str(db))
    con.execute(
        f"""
        create schema raw;
        create table raw.load_log (
            load_id integer primary key, source varchar not null, file_name varchar not null,
            file_size_bytes bigint not null, sha256 varchar not null, header_layout varchar,
            status varchar not null, rows_read bigint not null, rows_loaded bigint not null,
            rows_rejected bigint not null, started_at timestamptz not null,
            finished_at timestamptz not null, loader_version varchar not null
            {", source_kind varchar default 'undl'" if source_kind else ""}
        );
        insert into raw.load_log values (1, 'old', 'old.csv', 1, 'abc', 'x', 'loaded', 1, 1, 0,
            now(), now(), '0.0.1'{", 'undl'" if source_kind else ""});
        """
    )
    con.close()


def test_an_older_warehouse_gets_source_kind(tmp_path: Path, db: Path) -> None:
    """A load_log written before source_kind existed: its rows are UN Digital Library loads."""
    write_old_load_log(db, source_kind=False)
    load_configured(
        db, tmp_path / "cache", {"UNGA_UNVOTES_DIR": str(write_unvotes(tmp_path / "u"))}
    )
    assert query(db, "select load_id, source_kind from raw.load_log order by 1") == [
        (1, "undl"),
        (2, "unvotes"),
    ]
    assert raw_tables(db) >= EXTRA_TABLES


def test_load_kind_needs_a_source(db: Path, run_cli) -> None:
    result = run_cli("load", "--kind", "dgacm", "--db", db)
    assert result.code == 2
    assert_one_error(result.err, "no dgacm source given", "UNGA_DGACM_DIR", "--source")


def test_load_kind_takes_the_environment(
    tmp_path: Path, db: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNGA_UNVOTES_DIR", str(write_unvotes(tmp_path / "u")))
    result = run_cli("load", "--kind", "unvotes", "--db", db)
    assert result.code == 0, result.err
    assert scalar(db, "select count(*) from raw.unvotes_votes") == len(UNVOTES_ROWS)


def test_load_help_names_the_kinds(run_cli) -> None:
    result = run_cli("load", "--help")
    assert result.code == 0
    for text in ("--kind", "unvotes", "voeten", "dgacm", "UNGA_UNVOTES_DIR"):
        assert text in result.out


def test_build_loads_the_sources_the_environment_names(
    tmp_path: Path, db: Path, run_cli, fake_dbt: FakeDbt, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNGA_UNVOTES_DIR", str(write_unvotes(tmp_path / "u")))
    monkeypatch.setenv(
        "UNGA_VOETEN_CSV",
        str(write_text(tmp_path / "UNVotes.csv", dataverse_text(dataverse_sample()))),
    )
    monkeypatch.setenv(
        "UNGA_DGACM_DIR", str(write_dgacm(tmp_path / "dg" / "76.json", [dgacm_record()]).parent)
    )
    source = write_votes(tmp_path / "v.csv", release(1))
    result = run_cli("build", "--source", source, "--db", db)
    assert result.code == 0, result.err
    assert "unvotes (Voeten, TidyTuesday layout): loaded 11 of 11 rows" in result.err
    assert scalar(db, "select count(*) from raw.voeten_votes") == 8
    assert scalar(db, "select count(*) from raw.dgacm_resolutions") == 1
    kinds = query(db, "select source_kind from raw.load_log order by load_id")
    assert kinds == [("undl",), ("unvotes",), ("voeten",), ("dgacm",)]
    # a second build with the same files loads nothing new
    again = run_cli("build", "--db", db)
    assert again.code == 0, again.err
    assert again.err.count("unchanged since the last load") == 3


def test_a_bad_extra_source_leaves_the_warehouse_as_it_was(
    tmp_path: Path, db: Path, run_cli, fake_dbt: FakeDbt, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_votes(tmp_path / "v.csv", release(1))
    assert run_cli("build", "--source", source, "--db", db).code == 0
    before = query(db, "select * from raw.load_log order by load_id")
    monkeypatch.setenv("UNGA_UNVOTES_DIR", str(tmp_path / "nowhere"))
    result = run_cli("build", "--db", db)
    assert result.code == 2
    assert_one_error(result.err, "does not exist")
    assert "was left as it was" in result.err
    assert query(db, "select * from raw.load_log order by load_id") == before
    assert len(fake_dbt.calls()) == 1


def test_build_adds_the_extra_tables_to_an_older_warehouse(
    tmp_path: Path, db: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    source = write_votes(tmp_path / "v.csv", release(1))
    assert run_cli("build", "--source", source, "--db", db).code == 0
    con = duckdb.connect(str(db))
    for table in EXTRA_TABLES:
        con.execute(f"drop table raw.{table}")
    con.close()
    result = run_cli("build", "--db", db)
    assert result.code == 0, result.err
    assert raw_tables(db) >= EXTRA_TABLES


@pytest.mark.real_data
@pytest.mark.skipif(
    not (SHARED_DATA / "unvotes" / "unvotes.csv.gz").is_file(), reason="no real data"
)
def test_real_sources_load_through_the_environment(tmp_path: Path, db: Path) -> None:
    env = {
        "UNGA_UNVOTES_DIR": str(SHARED_DATA / "unvotes"),
        "UNGA_DGACM_DIR": str(SHARED_DATA / "dgacm"),
    }
    reports = load_configured(db, tmp_path / "cache", env)
    assert [r.status for r in reports] == ["loaded", "loaded"]
    assert [r.rows_read for r in reports] == [882_057, 2_232]


def test_a_kind_read_from_a_folder_cannot_be_downloaded(db: Path, run_cli) -> None:
    url = "http://127.0.0.1:9/data_extract"
    result = run_cli("load", "--kind", "dgacm", "--source", url, "--db", db)
    assert result.code == 2
    assert_one_error(result.err, "cannot be downloaded", url)
    assert not db.exists()


# --- where each release came from ---------------------------------------------------------------

PROVENANCE = (
    "record, release_file, url, release_date, found_at, release_version, etag, last_modified"
)


def provenance(db: Path) -> list[tuple]:
    return query(db, f"select source_kind, {PROVENANCE} from raw.load_log order by load_id")


def test_a_file_given_by_path_records_its_name_and_date(tmp_path: Path, db: Path, run_cli) -> None:
    source = write_votes(tmp_path / "2026_02_06_ga_voting.csv.gz", release(1))
    before = datetime.now(UTC)
    assert run_cli("load", "--source", source, "--db", db).code == 0
    [(kind, record, name, url, dated, found_at, version, etag, modified)] = provenance(db)
    assert (kind, record, name, url, dated) == ("undl", None, source.name, None, date(2026, 2, 6))
    assert (version, etag, modified) == (None, None, None)
    assert before - timedelta(seconds=1) <= found_at <= datetime.now(UTC)


def test_a_file_given_by_url_records_its_address_and_validators(
    tmp_path: Path, db: Path, run_cli, http_server: FileServer
) -> None:
    http_server.files["/files/ga_voting.csv"] = csv_bytes(release(1))
    url = http_server.url("/files/ga_voting.csv?ln=en")
    assert run_cli("load", "--source", url, "--db", db).code == 0
    [(kind, record, name, got_url, dated, _, version, etag, _)] = provenance(db)
    assert (kind, record, name, got_url, dated, version) == (
        "undl", None, "ga_voting.csv", url, None, None,
    )  # fmt: skip
    assert etag == http_server.etag("/files/ga_voting.csv")


def test_every_kind_records_where_it_came_from(tmp_path: Path, db: Path) -> None:
    """The extra sources given as folders and files: their names, no record, no address."""
    env = {
        "UNGA_UNVOTES_DIR": str(write_unvotes(tmp_path / "unvotes")),
        "UNGA_DGACM_DIR": str(write_dgacm(tmp_path / "dgacm" / "76.json", [dgacm_record()]).parent),
    }
    load_configured(db, tmp_path / "cache", env)
    rows = query(db, "select source_kind, record, release_file, url from raw.load_log order by 1")
    assert rows == [("dgacm", None, "dgacm", None), ("unvotes", None, "unvotes", None)]


def test_an_older_warehouse_gets_the_provenance_columns(tmp_path: Path, db: Path) -> None:
    """A load_log written before these columns existed gets them, empty for its rows."""
    source = write_votes(tmp_path / "v.csv", release(1))
    write_old_load_log(db, source_kind=True)
    load(undl.KIND, str(source), db, tmp_path / "cache")
    rows = query(db, "select load_id, release_file, url from raw.load_log order by 1")
    assert rows == [(1, None, None), (2, "v.csv", None)]

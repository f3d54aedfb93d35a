"""The newest release found on the UN Digital Library's record, fetched and refreshed, and the
optional sources with a stable address (`unga update --with voeten,dgacm`).

The record is played by the local server (release_kit.DigitalLibrary): its MARCXML export lists
two dated CSV files, the newer one served from a small release written here; then a third
release appears; then the server answers 500; then it cuts a download halfway. `unga build` on
an empty warehouse and `unga update` are run as the command line runs them, dbt by the fake of
conftest; every failure must leave the warehouse as it was and say why in one sentence.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from extra_sources_kit import dataverse_sample
from release_kit import EXPORT_PATH, VOETEN, Dataverse, DigitalLibrary, GitHubFolder, extract
from testkit import (
    FakeDbt,
    FileServer,
    assert_one_error,
    csv_bytes,
    query,
    release,
    scalar,
    sha256_file,
    vote_row,
    warehouse_state,
)

RELEASE_1 = gzip.compress(csv_bytes(release(1)), mtime=0)
RELEASE_2 = csv_bytes(release(2))
OLDER, NEWER, THIRD = (
    "2025_9_19_ga_voting.csv",
    "2026_02_06_ga_voting.csv.gz",
    "2026_06_30_ga_voting.csv",
)
PROVENANCE = "record, release_file, url, sha256, release_date, found_at is not null, etag"


@pytest.fixture
def library(http_server: FileServer, monkeypatch: pytest.MonkeyPatch) -> DigitalLibrary:
    """The record lists two dated voting-data files and a data dictionary; only the newer
    voting-data file is served."""
    stand_in = DigitalLibrary(http_server)
    stand_in.publish("ga_voting_data_dictionary.pdf", None, size=52_113)
    stand_in.publish(OLDER, None, size=381_000_000)
    stand_in.publish(NEWER, RELEASE_1)
    monkeypatch.setenv("UNGA_UNDL_RECORD", stand_in.record)
    return stand_in


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "unga.duckdb"


def log(db: Path) -> list[tuple]:
    return query(
        db,
        f"select {PROVENANCE} from raw.load_log where source_kind = 'undl' order by load_id",
    )


@pytest.fixture
def built(library: DigitalLibrary, db: Path, run_cli, fake_dbt: FakeDbt) -> Path:
    """`unga build` with no source on an empty warehouse: the newest release of the record."""
    result = run_cli("build", "--db", db)
    assert result.code == 0, result.err
    return db


def test_build_on_an_empty_warehouse_takes_the_newest_release(
    library: DigitalLibrary, built: Path, fake_dbt: FakeDbt, run_cli
) -> None:
    server = library.server
    assert len(fake_dbt.calls()) == 1
    assert scalar(built, "select count(*) from raw.ga_votes") == 6
    assert scalar(built, "select n from marts.fake_build") == 6
    # the older file and the dictionary were never asked for
    assert server.gets(library.file_path(OLDER)) == 0
    assert server.gets(library.file_path("ga_voting_data_dictionary.pdf")) == 0
    assert server.gets(library.file_path(NEWER)) == 1
    url = f"{library.url(NEWER)}?ln=en"
    newer_sha = hashlib.sha256(RELEASE_1).hexdigest()
    assert log(built) == [
        (
            library.record, NEWER, url, newer_sha, date(2026, 2, 6), True,
            server.etag(library.file_path(NEWER)),
        )
    ]  # fmt: skip
    assert query(built, "select source from raw.load_log") == [(url,)]
    # the manifest of what was published says where the release came from
    manifest = json.loads((built.parent / "parquet" / "manifest.json").read_text())
    [source] = manifest["sources"]
    assert {k: source[k] for k in ("record", "release_file", "url", "sha256", "release_date")} == {
        "record": library.record,
        "release_file": NEWER,
        "url": url,
        "sha256": newer_sha,
        "release_date": "2026-02-06",
    }
    assert source["found_at"].endswith("Z")


def test_the_line_that_says_what_was_found(
    library: DigitalLibrary, db: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    result = run_cli("build", "--db", db)
    assert result.code == 0, result.err
    size = f"{len(RELEASE_1):,} bytes"
    assert (
        f"UN Digital Library voting data: the warehouse holds no votes yet; the newest release "
        f"on {library.record} is {NEWER} ({size}, dated 2026-02-06): downloading it"
    ) in result.err


def test_update_with_nothing_newer_does_nothing(
    library: DigitalLibrary, built: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    before = sha256_file(built)
    served = library.server.gets(library.file_path(NEWER))
    result = run_cli("update", "--db", built)
    assert result.code == 0, result.err
    assert (
        f"UN Digital Library voting data: {NEWER} ({len(RELEASE_1):,} bytes, dated 2026-02-06) on "
        f"{library.record}: it is the release the warehouse holds; nothing to do"
    ) in result.err
    assert "the warehouse is up to date: nothing was downloaded, loaded or built" in result.err
    assert "error" not in result.err
    assert library.server.gets(library.file_path(NEWER)) == served
    assert len(fake_dbt.calls()) == 1
    assert sha256_file(built) == before


def test_update_picks_up_a_third_release(
    library: DigitalLibrary, built: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    library.publish(THIRD, RELEASE_2)
    result = run_cli("update", "--db", built)
    assert result.code == 0, result.err
    assert (
        f"{THIRD} ({len(RELEASE_2):,} bytes, dated 2026-06-30) on {library.record}: it is newer "
        f"than the release the warehouse holds, {NEWER}; downloading it"
    ) in result.err
    assert "loaded 9 of 9 rows (0 rejected)" in result.err
    assert f"warehouse built: {built}" in result.err
    assert len(fake_dbt.calls()) == 2
    assert scalar(built, "select n from marts.fake_build") == 9
    assert [row[1] for row in log(built)] == [NEWER, THIRD]
    # the cache keeps the new release only
    cached = built.parent / "cache" / "releases" / "undl"
    assert sorted(p.name for p in cached.iterdir()) == [".meta", THIRD]
    assert sorted(p.name for p in (cached / ".meta").iterdir()) == [f"{THIRD}.json"]
    # and then there is nothing newer
    again = run_cli("update", "--db", built)
    assert again.code == 0, again.err
    assert "it is the release the warehouse holds; nothing to do" in again.err
    assert len(fake_dbt.calls()) == 2


def assert_failed_update(run_cli, db: Path, fake_dbt: FakeDbt, *fragments: str) -> str:
    """`unga update` fails with one sentence and leaves the warehouse and its serving copy."""
    before = warehouse_state(db), sha256_file(db), sha256_file(db.parent / "serving.duckdb")
    calls = len(fake_dbt.calls())
    result = run_cli("update", "--db", db)
    assert result.code == 2, result.err
    line = assert_one_error(result.err, *fragments)
    assert f"the warehouse {db} was left as it was" in result.err
    assert (
        warehouse_state(db),
        sha256_file(db),
        sha256_file(db.parent / "serving.duckdb"),
    ) == before
    assert len(fake_dbt.calls()) == calls
    assert not db.with_name(f".{db.stem}.build").exists()
    return line


def test_server_error(library: DigitalLibrary, built: Path, run_cli, fake_dbt: FakeDbt) -> None:
    library.publish(THIRD, RELEASE_2)
    library.server.status = 500
    assert_failed_update(
        run_cli, built, fake_dbt,
        f"the UN Digital Library's record export at {library.server.url(EXPORT_PATH)} answered "
        "HTTP 500",
        f"download the newest voting-data file from {library.record} another way and pass it as "
        "UNGA_SOURCE=/path/to/file",
    )  # fmt: skip


def test_server_error_on_the_file(
    library: DigitalLibrary, built: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    path = library.publish(THIRD, RELEASE_2)
    library.server.statuses[path] = 503
    assert_failed_update(
        run_cli, built, fake_dbt, f"downloading {library.url(THIRD)}?ln=en failed: HTTP 503",
        "pass it as UNGA_SOURCE=/path/to/file",
    )  # fmt: skip


def test_download_cut_halfway(
    library: DigitalLibrary, built: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    big = gzip.compress(csv_bytes([vote_row(1000 + i, f"STATE {i}") for i in range(3000)]), mtime=0)
    path = library.publish(THIRD, big)
    library.server.cuts[path] = len(big) // 2
    assert_failed_update(
        run_cli, built, fake_dbt, f"downloading {library.url(THIRD)}?ln=en stopped early",
        "pass it as UNGA_SOURCE=/path/to/file",
    )  # fmt: skip
    cache = built.parent / "cache"
    assert [p.name for p in cache.rglob("*.part")] == []
    assert not (cache / "releases" / "undl" / THIRD).exists()
    # the whole file, sent again, goes through
    del library.server.cuts[path]
    result = run_cli("update", "--db", built)
    assert result.code == 0, result.err
    assert "loaded 3,000 of 3,000 rows" in result.err


def test_no_network(
    library: DigitalLibrary, built: Path, run_cli, fake_dbt: FakeDbt, monkeypatch, unreachable_url
) -> None:
    record = unreachable_url.rsplit("/", 1)[0] + "/record/4060887"
    monkeypatch.setenv("UNGA_UNDL_RECORD", record)
    line = assert_failed_update(
        run_cli, built, fake_dbt,
        f"could not reach the UN Digital Library's record export at {record}/export/xm",
        f"download the newest voting-data file from {record} another way and pass it as "
        "UNGA_SOURCE=/path/to/file",
    )  # fmt: skip
    assert line.count(";") == 1


def test_no_network_on_an_empty_warehouse(
    db: Path, run_cli, fake_dbt: FakeDbt, monkeypatch, unreachable_url
) -> None:
    record = unreachable_url.rsplit("/", 1)[0] + "/record/4060887"
    monkeypatch.setenv("UNGA_UNDL_RECORD", record)
    for command in ("build", "update"):
        result = run_cli(command, "--db", db)
        assert result.code == 2
        assert_one_error(result.err, "could not reach", "UNGA_SOURCE=/path/to/file")
        assert not db.exists()
        assert sorted(p.name for p in db.parent.iterdir() if not p.name.startswith(".")) == []
    assert fake_dbt.calls() == []


def test_cut_download_on_an_empty_warehouse_creates_nothing(
    library: DigitalLibrary, db: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    library.server.cuts[library.file_path(NEWER)] = len(RELEASE_1) // 2
    result = run_cli("build", "--db", db)
    assert result.code == 2
    assert_one_error(result.err, "stopped early", "UNGA_SOURCE=/path/to/file")
    assert not db.exists()
    assert fake_dbt.calls() == []


def test_a_web_page_instead_of_the_export(
    library: DigitalLibrary, built: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    """What a bot check answers: a page of HTML, with status 200."""
    library.server.files[EXPORT_PATH] = b"<!DOCTYPE html><html><body>Please wait</body></html>"
    library.server.types[EXPORT_PATH] = "text/html"
    assert_failed_update(
        run_cli, built, fake_dbt, "answered", "with a web page, not the MARCXML of record",
        "UNGA_SOURCE=/path/to/file",
    )  # fmt: skip


def test_a_record_without_voting_data(
    library: DigitalLibrary, built: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    library.listed = [("ga_voting_data_dictionary.pdf", 52_113)]
    library.write_export()
    assert_failed_update(
        run_cli, built, fake_dbt,
        f"the record {library.record} lists no voting-data CSV file (it lists "
        "ga_voting_data_dictionary.pdf)",
    )  # fmt: skip


def test_the_same_name_published_again_with_other_contents(
    library: DigitalLibrary, built: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    """The file of the release held is replaced under its name: another size and ETag."""
    corrected = gzip.compress(csv_bytes(release(2)), mtime=0)
    library.server.files[library.file_path(NEWER)] = corrected
    library.listed = [
        (name, len(corrected) if name == NEWER else size) for name, size in library.listed
    ]
    library.write_export()
    result = run_cli("update", "--db", built)
    assert result.code == 0, result.err
    assert "it has the name of the release held but another size; downloading it" in result.err
    assert scalar(built, "select count(*) from raw.ga_votes") == 9


def test_a_record_older_than_the_release_held(
    library: DigitalLibrary, db: Path, tmp_path: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    """A newer file loaded by hand (its dated name kept) is not replaced by the record's."""
    newest = tmp_path / "2026_09_01_ga_voting.csv"
    newest.write_bytes(RELEASE_2)
    assert run_cli("build", "--source", newest, "--db", db).code == 0
    result = run_cli("update", "--db", db)
    assert result.code == 0, result.err
    assert (
        "it is older than the release the warehouse holds, 2026_09_01_ga_voting.csv; nothing to do"
    ) in result.err
    assert len(fake_dbt.calls()) == 1
    assert scalar(db, "select count(*) from raw.ga_votes") == 9


def test_a_release_the_same_bytes_as_the_one_held(
    library: DigitalLibrary, built: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    """Published again under a newer name: loaded as unchanged, and named from then on."""
    library.publish("2026_07_01_ga_voting.csv.gz", RELEASE_1)
    result = run_cli("update", "--db", built)
    assert result.code == 0, result.err
    assert "source unchanged since the last load" in result.err
    again = run_cli("update", "--db", built)
    assert "2026_07_01_ga_voting.csv.gz" in again.err and "nothing to do" in again.err
    manifest = json.loads((built.parent / "parquet" / "manifest.json").read_text())
    assert manifest["sources"][0]["release_file"] == "2026_07_01_ga_voting.csv.gz"


def test_unga_source_overrides_the_record(
    library: DigitalLibrary, built: Path, tmp_path: Path, run_cli, fake_dbt: FakeDbt, monkeypatch
) -> None:
    given = tmp_path / "votes.csv"
    given.write_bytes(RELEASE_2)
    monkeypatch.setenv("UNGA_SOURCE", str(given))
    exports = library.server.gets(EXPORT_PATH)
    result = run_cli("update", "--db", built)
    assert result.code == 0, result.err
    assert (
        f"UNGA_SOURCE is set: loading {given} instead of looking for a newer release" in result.err
    )
    assert library.server.gets(EXPORT_PATH) == exports
    assert scalar(built, "select count(*) from raw.ga_votes") == 9
    last = "select record, release_file, url from raw.load_log order by load_id desc limit 1"
    assert query(built, last) == [(None, "votes.csv", None)]


def test_a_warehouse_that_holds_votes_is_rebuilt_without_asking(
    library: DigitalLibrary, built: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    library.publish(THIRD, RELEASE_2)
    exports = library.server.gets(EXPORT_PATH)
    result = run_cli("build", "--db", built)
    assert result.code == 0, result.err
    assert library.server.gets(EXPORT_PATH) == exports
    assert scalar(built, "select count(*) from raw.ga_votes") == 6


def test_without_head_requests(
    library: DigitalLibrary, built: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    """A server that answers no HEAD request: the record's name and size decide."""
    library.server.head = False
    result = run_cli("update", "--db", built)
    assert result.code == 0, result.err
    assert "nothing to do" in result.err
    library.publish(THIRD, RELEASE_2)
    assert run_cli("update", "--db", built).code == 0
    assert scalar(built, "select count(*) from raw.ga_votes") == 9


# --- `unga update --with voeten,dgacm` ----------------------------------------------------------


@pytest.fixture
def stand_ins(http_server: FileServer, monkeypatch: pytest.MonkeyPatch):
    library, voeten, dgacm = (
        DigitalLibrary(http_server),
        Dataverse(http_server),
        GitHubFolder(http_server),
    )
    library.publish("2026_02_06_ga_voting.csv.gz", gzip.compress(csv_bytes(release(1)), mtime=0))
    voeten.publish(10, "UNVotes.csv", VOETEN)
    dgacm.publish({"76.json": extract("A/RES/76/1")})
    monkeypatch.setenv("UNGA_UNDL_RECORD", library.record)
    monkeypatch.setenv("UNGA_VOETEN_DATASET", voeten.dataset)
    monkeypatch.setenv("UNGA_DGACM_LISTING", dgacm.listing)
    return library, voeten, dgacm


def test_update_with_the_optional_sources(
    stand_ins, tmp_path: Path, run_cli, fake_dbt: FakeDbt
) -> None:
    _, voeten, dgacm = stand_ins
    db = tmp_path / "w" / "unga.duckdb"
    first = run_cli("update", "--db", db, "--with", "voeten,dgacm")
    assert first.code == 0, first.err
    for label in (
        "UN Digital Library voting data",
        "Voeten (Dataverse layout)",
        "DGACM resolution extracts",
    ):
        assert (
            f"{label}: " in first.err
            and "the warehouse holds none yet; downloading it" in first.err
        )
    assert len(fake_dbt.calls()) == 1
    kinds = query(
        db, "select source_kind, release_file, record from raw.load_log order by source_kind"
    )
    assert kinds == [
        ("dgacm", "data_extract", dgacm.listing),
        ("undl", "2026_02_06_ga_voting.csv.gz", stand_ins[0].record),
        ("voeten", "UNVotes.csv", voeten.dataset),
    ]
    assert scalar(db, "select count(*) from raw.voeten_votes") == len(dataverse_sample())
    assert scalar(db, "select count(*) from raw.dgacm_resolutions") == 1
    assert query(db, "select distinct source_file from raw.dgacm_resolutions") == [("76.json",)]
    # nothing newer anywhere: nothing done
    second = run_cli("update", "--db", db, "--with", "voeten,dgacm")
    assert second.code == 0, second.err
    assert second.err.count("nothing to do") == 3
    assert len(fake_dbt.calls()) == 1
    # a new extract: only the DGACM folder is downloaded and loaded again
    dgacm.publish({"76.json": extract("A/RES/76/1"), "77.json": extract("A/RES/77/1")})
    third = run_cli("update", "--db", db, "--with", "dgacm")
    assert third.code == 0, third.err
    assert "DGACM resolution extracts: data_extract (2 files, " in third.err
    assert "DGACM resolution extracts: data_extract (1 file, " in first.err
    assert "loaded 2 of 2 rows" in third.err
    assert scalar(db, "select count(*) from raw.dgacm_resolutions") == 2
    assert scalar(db, "select count(*) from raw.voeten_votes") == len(dataverse_sample())
    assert len(fake_dbt.calls()) == 2


def test_update_with_a_source_named_twice(stand_ins, tmp_path: Path, run_cli, monkeypatch) -> None:
    monkeypatch.setenv("UNGA_VOETEN_CSV", str(tmp_path / "UNVotes.csv"))
    result = run_cli("update", "--db", tmp_path / "unga.duckdb", "--with", "voeten")
    assert result.code == 2
    assert_one_error(result.err, "UNGA_VOETEN_CSV names a file", "unset one of them")


def test_update_with_an_unknown_source(tmp_path: Path, run_cli) -> None:
    result = run_cli("update", "--db", tmp_path / "unga.duckdb", "--with", "unvotes")
    assert result.code == 2
    assert_one_error(result.err, "--with takes voeten and dgacm, not unvotes")


def test_an_optional_source_out_of_reach_stops_the_update(
    stand_ins, tmp_path: Path, run_cli, fake_dbt: FakeDbt, monkeypatch, unreachable_url: str
) -> None:
    db = tmp_path / "w" / "unga.duckdb"
    monkeypatch.setenv("UNGA_DGACM_LISTING", unreachable_url)
    result = run_cli("update", "--db", db, "--with", "dgacm")
    assert result.code == 2
    assert_one_error(
        result.err, "could not reach the GitHub listing of the DGACM extracts",
        "pass their folder as UNGA_DGACM_DIR=/path/to/folder",
    )  # fmt: skip
    assert not db.exists() and fake_dbt.calls() == []

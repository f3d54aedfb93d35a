"""Loading from an http(s) URL: progress, the download cache, reuse of an unchanged file."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from testkit import (
    FileServer,
    assert_one_error,
    csv_bytes,
    query,
    release,
    scalar,
    vote_row,
    warehouse_state,
)
from unga import fetch
from unga.errors import UserError

RELEASE_1 = gzip.compress(csv_bytes(release(1)), mtime=0)
RELEASE_2 = gzip.compress(csv_bytes(release(2)), mtime=0)


def cached_files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.iterdir() if p.is_file())


def meta_of(cached: Path) -> dict:
    """What the cache keeps of a download: its URL and validators."""
    return json.loads((cached.parent / ".meta" / f"{cached.name}.json").read_text())


def test_is_url() -> None:
    assert fetch.is_url("http://example.org/a.csv")
    assert fetch.is_url("https://example.org/a.csv.gz")
    assert not fetch.is_url("/data/a.csv")
    assert not fetch.is_url("a.csv")
    assert not fetch.is_url("ftp://example.org/a.csv")


def test_local_path_is_used_in_place(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"x")
    local = fetch.resolve(str(path), tmp_path / "cache")
    assert local.path == path
    assert local.origin == str(path)
    assert not (tmp_path / "cache").exists()


def test_missing_local_path(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="does not exist or is not a file"):
        fetch.resolve(str(tmp_path / "nope.csv"), tmp_path / "cache")
    with pytest.raises(UserError, match="does not exist or is not a file"):
        fetch.resolve(str(tmp_path), tmp_path / "cache")  # a folder


def test_download_shows_progress_and_lands_in_cache(
    tmp_path: Path, http_server: FileServer, run_cli
) -> None:
    http_server.files["/undl/ga_voting.csv.gz"] = RELEASE_1
    url = http_server.url("/undl/ga_voting.csv.gz")
    cache, db = tmp_path / "cache", tmp_path / "db" / "unga.duckdb"
    result = run_cli("load", "--source", url, "--db", db, "--cache", cache)
    assert result.code == 0, result.err
    assert f"downloading {url}: " in result.err
    assert "(100%)" in result.err
    assert "downloaded 0.0 MB in" in result.err
    assert "loaded 6 of 6 rows (0 rejected)" in result.err
    [cached] = cached_files(cache)
    assert cached.name.endswith("-ga_voting.csv.gz")
    assert cached.read_bytes() == RELEASE_1
    meta = meta_of(cached)
    assert meta["url"] == url
    assert meta["etag"] == http_server.etag("/undl/ga_voting.csv.gz")
    assert http_server.bodies_served["/undl/ga_voting.csv.gz"] == 1
    log = query(db, "select source, file_name, status, rows_loaded from raw.load_log")
    assert log == [(url, cached.name, "loaded", 6)]


def test_unchanged_download_is_reused(tmp_path: Path, http_server: FileServer, run_cli) -> None:
    path = "/ga_voting.csv.gz"
    http_server.files[path] = RELEASE_1
    url = http_server.url(path)
    args = ("load", "--source", url, "--db", tmp_path / "unga.duckdb", "--cache", tmp_path / "c")
    assert run_cli(*args).code == 0
    second = run_cli(*args)
    assert second.code == 0, second.err
    assert http_server.bodies_served[path] == 1
    assert [r["if_none_match"] for r in http_server.requests] == [None, http_server.etag(path)]
    assert f"using the cached copy of {url}" in second.err
    assert "downloading" not in second.err
    assert "source unchanged since the last load" in second.err
    statuses = query(tmp_path / "unga.duckdb", "select status from raw.load_log order by 1")
    assert sorted(s for (s,) in statuses) == ["loaded", "unchanged"]
    assert len(cached_files(tmp_path / "c")) == 1


def test_changed_download_is_fetched_and_loaded(
    tmp_path: Path, http_server: FileServer, run_cli
) -> None:
    path = "/ga_voting.csv.gz"
    http_server.files[path] = RELEASE_1
    db = tmp_path / "unga.duckdb"
    args = ("load", "--source", http_server.url(path), "--db", db, "--cache", tmp_path / "c")
    assert run_cli(*args).code == 0
    http_server.files[path] = RELEASE_2
    result = run_cli(*args)
    assert result.code == 0, result.err
    assert http_server.bodies_served[path] == 2
    assert "loaded 9 of 9 rows" in result.err
    assert scalar(db, "select count(*) from raw.ga_votes") == 9
    [cached] = cached_files(tmp_path / "c")
    assert cached.read_bytes() == RELEASE_2


@pytest.mark.parametrize("content_length", [True, False], ids=["length", "no-length"])
def test_server_without_etag(
    tmp_path: Path, http_server: FileServer, run_cli, content_length: bool
) -> None:
    http_server.etags = False
    http_server.content_length = content_length
    http_server.files["/votes.csv"] = csv_bytes(release(1))
    db = tmp_path / "unga.duckdb"
    args = ("load", "--source", http_server.url("/votes.csv"), "--db", db)
    first = run_cli(*args)
    assert first.code == 0, first.err
    assert "downloaded" in first.err
    second = run_cli(*args)
    assert second.code == 0, second.err
    # nothing tells the loader the file is unchanged, so it is fetched again, then found unchanged
    assert http_server.bodies_served["/votes.csv"] == 2
    assert [r["if_none_match"] for r in http_server.requests] == [None, None]
    assert "source unchanged since the last load" in second.err
    assert scalar(db, "select count(*) from raw.ga_votes") == 6
    # the default cache folder is beside the warehouse
    [cached] = cached_files(tmp_path / "cache")
    assert cached.read_bytes() == http_server.files["/votes.csv"]


def test_http_error(tmp_path: Path, http_server: FileServer, run_cli) -> None:
    url = http_server.url("/missing.csv.gz")
    result = run_cli("load", "--source", url, "--db", tmp_path / "unga.duckdb")
    assert result.code == 2
    assert_one_error(result.err, f"downloading {url} failed: HTTP 404")
    assert list((tmp_path / "cache").iterdir()) == []


def test_failed_download_keeps_the_warehouse(
    tmp_path: Path, http_server: FileServer, run_cli, unreachable_url: str
) -> None:
    http_server.files["/v.csv.gz"] = RELEASE_1
    db = tmp_path / "unga.duckdb"
    assert run_cli("load", "--source", http_server.url("/v.csv.gz"), "--db", db).code == 0
    before = warehouse_state(db)
    result = run_cli("load", "--source", unreachable_url, "--db", db)
    assert result.code == 2
    assert_one_error(result.err, f"downloading {unreachable_url} failed")
    assert warehouse_state(db) == before


def test_bad_file_from_url_keeps_the_warehouse(
    tmp_path: Path, http_server: FileServer, run_cli
) -> None:
    http_server.files["/v.csv.gz"] = RELEASE_1
    db = tmp_path / "unga.duckdb"
    args = ("load", "--source", http_server.url("/v.csv.gz"), "--db", db)
    assert run_cli(*args).code == 0
    before = warehouse_state(db)
    http_server.files["/v.csv.gz"] = RELEASE_2[:-10]
    result = run_cli(*args)
    assert result.code == 2
    assert_one_error(result.err, "is truncated or not a valid gzip file")
    assert warehouse_state(db) == before


def test_download_cut_short(tmp_path: Path, http_server: FileServer, run_cli) -> None:
    """The server sends fewer bytes than it announced: an error, and nothing left in the cache."""
    http_server.files["/v.csv.gz"] = RELEASE_1
    http_server.short_by = 10
    url = http_server.url("/v.csv.gz")
    cache = tmp_path / "cache"
    with pytest.raises(UserError, match="stopped early: got") as err:
        fetch.download(url, cache)
    assert f"got {len(RELEASE_1) - 10} of {len(RELEASE_1)} bytes" in str(err.value)
    assert list(cache.iterdir()) == []
    result = run_cli("load", "--source", url, "--db", tmp_path / "unga.duckdb")
    assert result.code == 2
    assert_one_error(result.err, "stopped early")


def test_interrupted_download_does_not_replace_the_cached_copy(
    tmp_path: Path, http_server: FileServer
) -> None:
    http_server.files["/v.csv.gz"] = RELEASE_1
    url = http_server.url("/v.csv.gz")
    cache = tmp_path / "cache"
    target = fetch.download(url, cache)
    http_server.files["/v.csv.gz"] = RELEASE_2
    http_server.short_by = 10
    with pytest.raises(UserError, match="stopped early"):
        fetch.download(url, cache)
    assert target.read_bytes() == RELEASE_1
    assert cached_files(cache) == [target]
    http_server.short_by = 0
    assert fetch.download(url, cache).read_bytes() == RELEASE_2


# --- downloads that go wrong: one sentence each, and nothing half-written in the cache ---------

HTML_PAGE = b"<!DOCTYPE html>\n<html><body><h1>Service unavailable</h1></body></html>\n"


def assert_cache_holds(cache: Path, *expected: bytes) -> None:
    """Only whole downloads are in the cache: no .part file, no metadata without its file."""
    files = sorted(cache.iterdir()) if cache.exists() else []
    assert [p.name for p in files if p.name.endswith(".part")] == []
    downloads = [p for p in files if p.is_file()]
    assert sorted(p.read_bytes() for p in downloads) == sorted(expected)
    metas = sorted((cache / ".meta").iterdir()) if (cache / ".meta").exists() else []
    assert [m.name for m in metas] == [f"{p.name}.json" for p in downloads]


def failed_load(run_cli, url: str, db: Path, cache: Path, *fragments: str) -> None:
    before = warehouse_state(db)
    result = run_cli("load", "--source", url, "--db", db, "--cache", cache)
    assert result.code == 2
    assert_one_error(result.err, *fragments)
    assert warehouse_state(db) == before


@pytest.fixture
def loaded_from_url(tmp_path: Path, http_server: FileServer, run_cli) -> tuple[str, Path, Path]:
    """A warehouse loaded from a URL whose good download is in the cache."""
    http_server.files["/ga_voting.csv.gz"] = RELEASE_1
    url = http_server.url("/ga_voting.csv.gz")
    db, cache = tmp_path / "unga.duckdb", tmp_path / "cache"
    assert run_cli("load", "--source", url, "--db", db, "--cache", cache).code == 0
    http_server.etags = False  # every later request downloads the file again
    return url, db, cache


@pytest.mark.parametrize("status", [500, 503])
def test_server_error(
    http_server: FileServer, run_cli, loaded_from_url: tuple[str, Path, Path], status: int
) -> None:
    url, db, cache = loaded_from_url
    http_server.status = status
    failed_load(run_cli, url, db, cache, f"downloading {url} failed: HTTP {status}")
    assert_cache_holds(cache, RELEASE_1)


@pytest.mark.parametrize(
    ("content_type", "fragment"),
    [("text/html", "(Content-Type text/html)"), ("text/csv", "(it begins '<!DOCTYPE html>')")],
    ids=["said", "sniffed"],
)
def test_an_html_page_is_not_a_csv_file(
    http_server: FileServer,
    run_cli,
    loaded_from_url: tuple[str, Path, Path],
    content_type: str,
    fragment: str,
) -> None:
    url, db, cache = loaded_from_url
    http_server.files["/ga_voting.csv.gz"] = HTML_PAGE
    http_server.content_type = content_type
    failed_load(run_cli, url, db, cache, f"downloading {url} gave an HTML page, not a CSV file")
    result = run_cli("load", "--source", url, "--db", db, "--cache", cache)
    assert fragment in result.err
    assert_cache_holds(cache, RELEASE_1)


def test_binary_data_is_not_a_csv_file(
    http_server: FileServer, run_cli, loaded_from_url: tuple[str, Path, Path]
) -> None:
    url, db, cache = loaded_from_url
    http_server.files["/ga_voting.csv.gz"] = b"PK\x03\x04\x00\x00" + bytes(range(256)) * 4
    failed_load(run_cli, url, db, cache, "gave binary data, not a CSV file")
    assert_cache_holds(cache, RELEASE_1)


def test_a_gzip_of_an_html_page_is_not_a_csv_file(
    http_server: FileServer, run_cli, loaded_from_url: tuple[str, Path, Path]
) -> None:
    url, db, cache = loaded_from_url
    http_server.files["/ga_voting.csv.gz"] = gzip.compress(HTML_PAGE)
    failed_load(run_cli, url, db, cache, "gave an HTML page, not a CSV file")
    assert_cache_holds(cache, RELEASE_1)


@pytest.mark.parametrize("chunked", [False, True], ids=["no-length", "chunked"])
def test_download_cut_off_in_the_middle(
    http_server: FileServer, run_cli, loaded_from_url: tuple[str, Path, Path], chunked: bool
) -> None:
    """The connection closes half-way and no Content-Length says how much was due."""
    url, db, cache = loaded_from_url
    big = gzip.compress(csv_bytes([vote_row(1000 + i, f"STATE {i}") for i in range(3000)]), mtime=0)
    http_server.files["/ga_voting.csv.gz"] = big
    http_server.content_length = False
    http_server.chunked = chunked
    http_server.cut_after = len(big) // 2
    message = "the server closed the connection" if chunked else "is truncated or not a valid gzip"
    failed_load(run_cli, url, db, cache, url, message)
    assert_cache_holds(cache, RELEASE_1)
    # the same file sent whole loads
    http_server.cut_after = None
    result = run_cli("load", "--source", url, "--db", db, "--cache", cache)
    assert result.code == 0, result.err
    assert "loaded 3,000 of 3,000 rows" in result.err
    assert_cache_holds(cache, big)


def test_plain_csv_cut_off_with_its_length_announced(
    tmp_path: Path, http_server: FileServer, run_cli
) -> None:
    http_server.files["/votes.csv"] = csv_bytes(release(2))
    http_server.cut_after = 100
    cache = tmp_path / "cache"
    result = run_cli("load", "--source", http_server.url("/votes.csv"), "--db", tmp_path / "u.db")
    assert result.code == 2
    assert_one_error(result.err, "stopped early: got 100 of")
    assert_cache_holds(cache)

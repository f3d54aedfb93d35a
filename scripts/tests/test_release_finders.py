"""Finding the newest release: reading the record's MARCXML, Dataverse's and GitHub's listings,
choosing among the files, and telling whether a release is newer than the one held."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from release_kit import VOETEN, Dataverse, DigitalLibrary, GitHubFolder, extract, marcxml
from testkit import FileServer, csv_bytes, release
from unga import fetch
from unga.errors import UserError
from unga.releases import dataverse, digital_library, github
from unga.releases.model import Release, ReleaseFile, compare, date_in_name

NOW = datetime(2026, 7, 1, tzinfo=UTC)
BASE = "https://digitallibrary.un.org/record/4060887/export/xm"
RECORD = "https://digitallibrary.un.org/record/4060887"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("2026_02_06_ga_voting.csv", date(2026, 2, 6)),
        ("2025_9_19_ga_voting.csv", date(2025, 9, 19)),
        ("2024-09-12-ga_resolutions_voting.csv.gz", date(2024, 9, 12)),
        ("ga_voting_2023_1_5.csv", date(2023, 1, 5)),
        ("2025_13_40_ga_voting.csv", None),  # not a date
        ("ga_voting.csv", None),
        ("12025_01_01_ga_voting.csv", None),  # part of a longer number
    ],
)
def test_date_in_name(name: str, expected: date | None) -> None:
    assert date_in_name(name) == expected


def test_export_url() -> None:
    assert digital_library.export_url(RECORD) == BASE
    assert digital_library.export_url(RECORD + "/?ln=en") == BASE


@pytest.mark.parametrize("namespace", [True, False], ids=["marc-namespace", "no-namespace"])
def test_the_files_of_field_856(namespace: bool) -> None:
    files = f"{RECORD}/files"
    xml = marcxml(
        "4060887",
        [
            (f"{files}/2026_02_06_ga_voting.csv?ln=en", 381_234_567),
            ("/record/4060887/files/ga_voting_dictionary.pdf", None),  # relative
            (f"{files}/2026_02_06_ga_voting.csv?ln=en", 381_234_567),  # twice
            (f"{files}/a%20b.csv", None),
        ],
        namespace=namespace,
    )
    files = digital_library.listed_files(xml, BASE, RECORD)
    assert files == [
        ReleaseFile(
            "2026_02_06_ga_voting.csv",
            "https://digitallibrary.un.org/record/4060887/files/2026_02_06_ga_voting.csv?ln=en",
            381_234_567,
        ),
        ReleaseFile(
            "ga_voting_dictionary.pdf",
            "https://digitallibrary.un.org/record/4060887/files/ga_voting_dictionary.pdf",
        ),
        ReleaseFile("a b.csv", "https://digitallibrary.un.org/record/4060887/files/a%20b.csv"),
    ]


def test_a_size_not_in_bytes_is_left_out() -> None:
    xml = b"""<record><datafield tag="856" ind1="4" ind2=" ">
    <subfield code="u">x/2026_1_1_ga_voting.csv</subfield><subfield code="s">364 MB</subfield>
    </datafield>
    <datafield tag="500" ind1=" " ind2=" "><subfield code="a">a note</subfield></datafield>
    <datafield tag="856" ind1="4" ind2="2"><subfield code="y">a link without an address</subfield>
    </datafield></record>"""
    [file] = digital_library.listed_files(xml, BASE, RECORD)
    assert (file.name, file.size) == ("2026_1_1_ga_voting.csv", None)


@pytest.mark.parametrize(
    "body", [b"<!DOCTYPE html><html></html>", b"not xml at all", b"<record><unclosed></record>"]
)
def test_what_is_not_marcxml(body: bytes) -> None:
    with pytest.raises(UserError, match=r"web page|cannot be read"):
        digital_library.listed_files(body, BASE, RECORD)


def files(*names: str) -> list[ReleaseFile]:
    return [ReleaseFile(n, f"https://x/{n}", 10) for n in names]


@pytest.mark.parametrize(
    ("names", "chosen"),
    [
        (["2025_9_19_ga_voting.csv", "2026_02_06_ga_voting.csv", "dictionary.pdf"],
         "2026_02_06_ga_voting.csv"),
        (["2026_02_06_ga_voting.csv", "2026_02_06_ga_voting.csv.gz"],
         "2026_02_06_ga_voting.csv.gz"),
        (["ga_voting.csv", "2024_09_12_ga_resolutions_voting.csv"],
         "2024_09_12_ga_resolutions_voting.csv"),
        (["ga_voting.csv", "readme.txt"], "ga_voting.csv"),
        (["2026_02_06_GA_VOTING.CSV", "2026_02_06_sc_voting.pdf"], "2026_02_06_GA_VOTING.CSV"),
    ],
)  # fmt: skip
def test_the_newest_voting_data_file(names: list[str], chosen: str) -> None:
    assert digital_library.newest(files(*names), RECORD).name == chosen


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ([], "lists no voting-data CSV file (it lists no files at all)"),
        (["dictionary.pdf", "2026_01_01_ga_voting.xlsx"],
         "lists no voting-data CSV file (it lists dictionary.pdf, 2026_01_01_ga_voting.xlsx)"),
        (["ga_voting.csv", "ga_voting_2.csv"], "no date in their names tells which is the newest"),
        (["2026_02_06_ga_voting.csv", "2026_02_06_ga_resolutions_voting.csv"],
         "lists several voting-data files of 2026-02-06"),
    ],
)  # fmt: skip
def test_no_newest_file(names: list[str], message: str) -> None:
    with pytest.raises(UserError, match=message.replace("(", r"\(").replace(")", r"\)")):
        digital_library.newest(files(*names), RECORD)


def a_release(**fields: object) -> Release:
    values: dict = {
        "kind": "undl",
        "record": RECORD,
        "name": "2026_02_06_ga_voting.csv",
        "files": (ReleaseFile("2026_02_06_ga_voting.csv", "https://x/f.csv", 100),),
        "found_at": NOW,
        "date": date(2026, 2, 6),
        "etag": '"a"',
    }
    return Release(**(values | fields))


HELD = {
    "release_file": "2026_02_06_ga_voting.csv",
    "file_name": "abc-2026_02_06_ga_voting.csv",
    "file_size_bytes": 100,
    "release_date": date(2026, 2, 6),
    "etag": '"a"',
    "last_modified": None,
    "release_version": None,
}


@pytest.mark.parametrize(
    ("found", "held", "newer", "reason"),
    [
        ({}, None, True, "the warehouse holds none yet"),
        ({}, {}, False, "it is the release the warehouse holds"),
        ({"name": "2026_06_30_ga_voting.csv", "date": date(2026, 6, 30)}, {}, True,
         "it is newer than the release the warehouse holds, 2026_02_06_ga_voting.csv"),
        ({"name": "2025_9_19_ga_voting.csv", "date": date(2025, 9, 19)}, {}, False,
         "it is older than the release the warehouse holds, 2026_02_06_ga_voting.csv"),
        ({"name": "ga_voting.csv", "date": None}, {}, True,
         "the warehouse holds another release, 2026_02_06_ga_voting.csv"),
        ({}, {"release_file": None, "release_date": None}, True,
         "the warehouse holds another release, abc-2026_02_06_ga_voting.csv"),
        ({"files": (ReleaseFile("f", "u", 101),)}, {}, True,
         "it has the name of the release held but another size"),
        ({"files": (ReleaseFile("f", "u", None),), "etag": '"b"'}, {}, True,
         "it has the name of the release held but another ETag"),
        ({"etag": None}, {}, False, "it is the release the warehouse holds"),
        ({"version": "file 2"}, {"release_version": "file 1"}, True,
         "it has the name of the release held but another version"),
        ({"last_modified": "Tue, 01 Jul 2026"}, {"last_modified": "Mon, 30 Jun 2026"}, True,
         "it has the name of the release held but another Last-Modified"),
    ],
)  # fmt: skip
def test_compare(found: dict, held: dict | None, newer: bool, reason: str) -> None:
    verdict = compare(a_release(**found), None if held is None else HELD | held)
    assert (verdict.newer, verdict.reason) == (newer, reason)


# --- the Digital Library stand-in, through the finder -------------------------------------------


def test_find_on_the_record(http_server: FileServer) -> None:
    library = DigitalLibrary(http_server, namespace=False)
    library.publish("2025_9_19_ga_voting.csv", None, size=999)
    library.publish("2026_02_06_ga_voting.csv", b"undl_id,ms_code\n", size=999)
    found = digital_library.find(library.record, "undl", NOW)
    path = library.file_path("2026_02_06_ga_voting.csv")
    assert found == Release(
        kind="undl",
        record=library.record,
        name="2026_02_06_ga_voting.csv",
        # the size the file's server gives wins over the record's
        files=(ReleaseFile(found.name, f"{library.url(found.name)}?ln=en", 16),),
        found_at=NOW,
        date=date(2026, 2, 6),
        etag=http_server.etag(path),
    )
    assert [r.get("method") for r in http_server.requests if r["path"] == path] == ["HEAD"]


# --- fetch: documents and HEAD ------------------------------------------------------------------


def test_document_and_probe(http_server: FileServer, unreachable_url: str) -> None:
    http_server.files["/a.json"] = b"[]"
    http_server.types["/a.json"] = "application/json"
    got = fetch.document(http_server.url("/a.json"), "a listing")
    assert (got.body, got.content_type) == (b"[]", "application/json")
    assert fetch.probe(http_server.url("/a.json")) == {
        "size": 2,
        "etag": http_server.etag("/a.json"),
    }
    with pytest.raises(UserError, match=r"a listing at .*/missing answered HTTP 404"):
        fetch.document(http_server.url("/missing"), "a listing")
    with pytest.raises(UserError, match=r"could not reach a listing at .* \(\[Errno 111\]"):
        fetch.document(unreachable_url, "a listing")
    assert fetch.probe(http_server.url("/missing")) == {}
    assert fetch.probe(unreachable_url) == {}


def test_download_to_a_target_keeps_its_validators(http_server: FileServer, tmp_path: Path) -> None:
    http_server.files["/f"] = csv_bytes(release(1))
    target = tmp_path / "cache" / "releases" / "undl" / "votes.csv"
    assert fetch.download(http_server.url("/f?x=1"), tmp_path / "cache", target=target) == target
    assert fetch.validators(target) == {"etag": http_server.etag("/f")}
    # the same target for another address: downloaded again, not taken for unchanged
    http_server.files["/g"] = csv_bytes(release(2))
    fetch.download(http_server.url("/g"), tmp_path / "cache", target=target)
    assert target.read_bytes() == csv_bytes(release(2))
    assert [r.get("if_none_match") for r in http_server.requests] == [None, None]


# --- Dataverse ----------------------------------------------------------------------------------


def test_dataverse_listing_url() -> None:
    assert dataverse.listing_url(dataverse.DEFAULT_DATASET) == (
        "https://dataverse.harvard.edu/api/datasets/:persistentId/versions/:latest-published/"
        "files?persistentId=hdl:1902.1/12379"
    )
    for wrong in ("hdl:1902.1/12379", "https://dataverse.harvard.edu/dataset.xhtml"):
        with pytest.raises(UserError, match="is not the address of a Dataverse dataset"):
            dataverse.listing_url(wrong)


@pytest.mark.parametrize("ingested", [True, False])
def test_find_on_dataverse(http_server: FileServer, ingested: bool) -> None:
    stand_in = Dataverse(http_server)
    path = stand_in.publish(4_624_867, "UNVotes.csv", VOETEN, ingested=ingested)
    found = dataverse.find(stand_in.dataset, "voeten", NOW)
    assert found.name == "UNVotes.csv"
    assert found.files == (
        ReleaseFile(
            "UNVotes.csv",
            http_server.url(path) + ("?format=original" if ingested else ""),
            len(VOETEN),
        ),
    )
    assert found.version is not None and found.version.startswith("file 4624867 checksum ")
    assert found.record == stand_in.dataset


def test_dataverse_without_the_file(http_server: FileServer) -> None:
    stand_in = Dataverse(http_server)
    stand_in.publish(1, "Idealpoints.csv", b"a,b\n")
    with pytest.raises(UserError, match=r"lists no UNVotes CSV file \(it lists Idealpoints.csv"):
        dataverse.find(stand_in.dataset, "voeten", NOW)
    http_server.files["/api/datasets/:persistentId/versions/:latest-published/files"] = b"<html>"
    with pytest.raises(UserError, match="is not the JSON list of files it should be"):
        dataverse.find(stand_in.dataset, "voeten", NOW)


# --- GitHub -------------------------------------------------------------------------------------


def test_find_on_github(http_server: FileServer) -> None:
    folder = GitHubFolder(http_server)
    folder.publish({"80.json": extract("A/RES/80/1"), "79.json": extract("A/RES/79/1")})
    found = github.find(folder.listing, "dgacm", NOW)
    assert (found.name, found.folder) == ("data_extract", True)
    assert [(f.name, f.size) for f in found.files] == [
        ("79.json", len(extract("A/RES/79/1"))),
        ("80.json", len(extract("A/RES/80/1"))),
    ]
    # a file that changes changes the release's version; the same files keep it
    assert github.find(folder.listing, "dgacm", NOW).version == found.version
    folder.publish(
        {"80.json": extract("A/RES/80/1", "A/RES/80/2"), "79.json": extract("A/RES/79/1")}
    )
    assert github.find(folder.listing, "dgacm", NOW).version != found.version


def test_github_without_extracts(http_server: FileServer) -> None:
    folder = GitHubFolder(http_server)
    folder.publish({})
    with pytest.raises(UserError, match=r"holds no \.json files of DGACM extracts"):
        github.find(folder.listing, "dgacm", NOW)

"""The newest voting-data file of the UN Digital Library's record 4060887, from its MARCXML.

The Digital Library runs Invenio, which exports every record in MARCXML at
`<record>/export/xm` (the `xm` output format). A record lists the files attached to it in MARC
field 856 (Electronic Location and Access): `$u` the file's address, `$s` its size in bytes,
`$y` and `$z` the link text and a note. The record of the "General Assembly Voting Data" keeps
the file of each release under a dated name (`2025_9_19_ga_voting.csv`,
`2026_02_06_ga_voting.csv`) and may list several, beside other files (a data dictionary): the
newest is the CSV file (plain or .gz) with "voting" in its name and the latest date in it.

The file's server is then asked (a HEAD request) what it would send: its size, ETag and
Last-Modified, where it gives them; the size of field 856 stands in when it gives none.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from urllib.parse import urljoin, urlparse, urlunparse

from unga import fetch
from unga.errors import UserError
from unga.releases.model import Release, ReleaseFile, date_in_name

DEFAULT_RECORD = "https://digitallibrary.un.org/record/4060887"
EXPORT = "export/xm"


def export_url(record: str) -> str:
    """The MARCXML export of a record given by its page's address."""
    parts = urlparse(record)
    path = parts.path.rstrip("/") + "/" + EXPORT
    return urlunparse(parts._replace(path=path, query="", fragment=""))


def _local(tag: str) -> str:
    """An element's name without its namespace (MARCXML is written with and without one)."""
    return tag.rsplit("}", 1)[-1]


def _fields_856(root: ET.Element) -> Iterator[dict[str, str]]:
    for field in root.iter():
        if _local(field.tag) == "datafield" and field.get("tag") == "856":
            subfields: dict[str, str] = {}
            for sub in field:
                code = sub.get("code")
                if _local(sub.tag) == "subfield" and code and code not in subfields:
                    subfields[code] = (sub.text or "").strip()
            yield subfields


def listed_files(
    xml: bytes, base_url: str, record: str, content_type: str = "application/xml"
) -> list[ReleaseFile]:
    """Every file the record's MARCXML lists in field 856, each address once."""
    start = xml.lstrip()[:200].lower()
    if content_type == "text/html" or start.startswith((b"<!doctype html", b"<html")):
        raise UserError(
            f"the UN Digital Library answered {base_url} with a web page, not the MARCXML of "
            f"record {record} (it may be asking for a browser check)"
        )
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as err:
        raise UserError(f"the MARCXML export {base_url} cannot be read ({err})") from None
    files: dict[str, ReleaseFile] = {}
    for subfields in _fields_856(root):
        if not subfields.get("u"):
            continue
        url = urljoin(base_url, subfields["u"])
        size = subfields.get("s", "")
        if url not in files:
            files[url] = ReleaseFile(
                fetch.url_file_name(url), url, int(size) if size.isdigit() else None
            )
    return list(files.values())


def is_voting_data(name: str) -> bool:
    lower = name.lower()
    return "voting" in lower and lower.endswith((".csv", ".csv.gz"))


def newest(files: list[ReleaseFile], record: str) -> ReleaseFile:
    """The voting-data file with the latest date in its name (the .gz one when a release is
    listed both plain and compressed); an undated file only when it is the only one."""
    candidates = [f for f in files if is_voting_data(f.name)]
    if not candidates:
        listed = ", ".join(f.name for f in files) or "no files at all"
        raise UserError(f"the record {record} lists no voting-data CSV file (it lists {listed})")
    dated = [f for f in candidates if date_in_name(f.name)]
    if not dated:
        if len(candidates) > 1:
            names = ", ".join(f.name for f in candidates)
            raise UserError(
                f"the record {record} lists several voting-data files and no date in their "
                f"names tells which is the newest ({names})"
            )
        return candidates[0]
    latest = max(date_in_name(f.name) for f in dated)  # type: ignore[type-var]
    same_day = [f for f in dated if date_in_name(f.name) == latest]
    stems = {f.name.lower().removesuffix(".gz") for f in same_day}
    if len(stems) > 1:
        names = ", ".join(f.name for f in same_day)
        raise UserError(
            f"the record {record} lists several voting-data files of {latest:%Y-%m-%d} ({names})"
        )
    return max(same_day, key=lambda f: f.name.lower().endswith(".gz"))


def find(record: str, kind: str, now: datetime) -> Release:
    """The newest voting-data release of `record` (the address of its page)."""
    url = export_url(record)
    exported = fetch.document(
        url, "the UN Digital Library's record export", accept="application/xml, text/xml"
    )
    chosen = newest(listed_files(exported.body, url, record, exported.content_type), record)
    said = fetch.probe(chosen.url)
    # what the file's server says it would send, else what the record says
    size = said.get("size", chosen.size)
    return Release(
        kind=kind,
        record=record,
        name=chosen.name,
        files=(ReleaseFile(chosen.name, chosen.url, int(size) if size is not None else None),),
        found_at=now,
        date=date_in_name(chosen.name),
        etag=str(said["etag"]) if "etag" in said else None,
        last_modified=str(said["last_modified"]) if "last_modified" in said else None,
    )

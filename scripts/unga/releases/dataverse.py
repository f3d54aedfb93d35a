"""Voeten's `UNVotes.csv` on Harvard Dataverse, found by the dataset's persistent identifier.

Dataverse's native API lists the files of a dataset's latest published version at
`/api/datasets/:persistentId/versions/:latest-published/files?persistentId=<pid>`: a JSON
object whose `data` is a list of file entries, each with a `label` and a `dataFile` (`id`,
`filename`, `filesize`, and for tabular files it ingested, `originalFileName`,
`originalFileSize` and `originalFileFormat`; a checksum in `checksum` or `md5`). A file is
downloaded at `/api/access/datafile/<id>`, with `?format=original` for the file as it was
deposited (a CSV that Dataverse ingested into a .tab file).

The dataset is named by its landing page (`https://dataverse.harvard.edu/dataset.xhtml?
persistentId=hdl:1902.1/12379`); the API is on the same server.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, quote, urlparse

from unga import fetch
from unga.errors import UserError
from unga.releases.model import Release, ReleaseFile, date_in_name

DEFAULT_DATASET = "https://dataverse.harvard.edu/dataset.xhtml?persistentId=hdl:1902.1/12379"
FILE_STEM = "unvotes"


def listing_url(dataset: str) -> str:
    """The API address that lists the files of the dataset's latest published version."""
    parts = urlparse(dataset)
    pid = parse_qs(parts.query).get("persistentId", [""])[0]
    if not (parts.scheme in {"http", "https"} and parts.netloc and pid):
        raise UserError(
            f"{dataset} is not the address of a Dataverse dataset (expected e.g. {DEFAULT_DATASET})"
        )
    return (
        f"{parts.scheme}://{parts.netloc}/api/datasets/:persistentId/versions/"
        f":latest-published/files?persistentId={quote(pid, safe=':/')}"
    )


def _entry(item: Any) -> dict[str, Any] | None:
    """One file of the listing: name, id, size, whether to ask for the original, checksum."""
    if not isinstance(item, dict) or not isinstance(item.get("dataFile"), dict):
        return None
    data_file = item["dataFile"]
    ingested = bool(data_file.get("originalFileFormat") or data_file.get("tabularData"))
    name = (ingested and data_file.get("originalFileName")) or data_file.get("filename")
    name = name or item.get("label")
    if not isinstance(name, str) or not isinstance(data_file.get("id"), int):
        return None
    size = data_file.get("originalFileSize") if ingested else data_file.get("filesize")
    checksum = data_file.get("checksum")
    value = checksum.get("value") if isinstance(checksum, dict) else data_file.get("md5")
    return {
        "name": name,
        "id": data_file["id"],
        "size": size if isinstance(size, int) else None,
        "original": ingested,
        "checksum": value if isinstance(value, str) else None,
    }


def newest(entries: list[dict[str, Any]], dataset: str) -> dict[str, Any]:
    """The UNVotes CSV of the listing: `UNVotes.csv` itself, else the one CSV named UNVotes."""
    csvs = [
        e
        for e in entries
        if e["name"].lower().startswith(FILE_STEM) and e["name"].lower().endswith(".csv")
    ]
    exact = [e for e in csvs if e["name"].lower() == f"{FILE_STEM}.csv"]
    if len(exact) == 1:
        return exact[0]
    if len(csvs) == 1:
        return csvs[0]
    listed = ", ".join(e["name"] for e in (csvs or entries)) or "no files at all"
    if csvs:
        raise UserError(f"the dataset {dataset} lists several UNVotes CSV files ({listed})")
    raise UserError(f"the dataset {dataset} lists no UNVotes CSV file (it lists {listed})")


def find(dataset: str, kind: str, now: datetime) -> Release:
    """The UNVotes CSV of the dataset's latest published version."""
    url = listing_url(dataset)
    listing = fetch.document(url, "the Dataverse file listing", accept="application/json")
    try:
        data = json.loads(listing.body).get("data")
    except (ValueError, AttributeError):
        data = None
    if not isinstance(data, list):
        raise UserError(f"the Dataverse listing {url} is not the JSON list of files it should be")
    entries = [e for e in (_entry(item) for item in data) if e is not None]
    chosen = newest(entries, dataset)
    base = url.split("/api/", 1)[0]
    download = f"{base}/api/access/datafile/{chosen['id']}"
    if chosen["original"]:
        download += "?format=original"
    version = f"file {chosen['id']}" + (
        f" checksum {chosen['checksum']}" if chosen["checksum"] else ""
    )
    return Release(
        kind=kind,
        record=dataset,
        name=chosen["name"],
        files=(ReleaseFile(chosen["name"], download, chosen["size"]),),
        found_at=now,
        date=date_in_name(chosen["name"]),
        version=version,
    )

"""The DGACM resolution extracts: the JSON-lines files of a folder of a GitHub repository.

GitHub's REST API lists a folder at `/repos/<owner>/<repo>/contents/<path>`: a JSON list with one
object per entry, each with `type` (`file`, `dir`, ...), `name`, `size`, `sha` (the git blob id,
which changes whenever the file does) and `download_url`. The release is the folder's `.json`
and `.jsonl` files; the blob ids of them all tell one release from the next.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from unga import fetch
from unga.errors import UserError
from unga.releases.model import Release, ReleaseFile

DEFAULT_LISTING = "https://api.github.com/repos/UNxml/GAresolutions/contents/data_extract"
SUFFIXES = (".json", ".jsonl")


def _file(item: Any) -> tuple[ReleaseFile, str] | None:
    if not isinstance(item, dict) or item.get("type") != "file":
        return None
    name, url, sha = item.get("name"), item.get("download_url"), item.get("sha")
    if not (isinstance(name, str) and isinstance(url, str) and isinstance(sha, str)):
        return None
    if not name.lower().endswith(SUFFIXES):
        return None
    size = item.get("size")
    return ReleaseFile(name, url, size if isinstance(size, int) else None), sha


def find(listing: str, kind: str, now: datetime) -> Release:
    """The extracts the folder holds now."""
    answer = fetch.document(
        listing, "the GitHub listing of the DGACM extracts", accept="application/vnd.github+json"
    )
    try:
        items = json.loads(answer.body)
    except ValueError:
        items = None
    if not isinstance(items, list):
        raise UserError(f"the GitHub listing {listing} is not the JSON list of a folder")
    found = sorted((f for f in map(_file, items) if f is not None), key=lambda f: f[0].name)
    if not found:
        raise UserError(f"the folder listed at {listing} holds no .json files of DGACM extracts")
    blobs = "\n".join(f"{file.name} {sha}" for file, sha in found)
    return Release(
        kind=kind,
        record=listing,
        name=listing.rstrip("/").rsplit("/", 1)[-1],
        files=tuple(file for file, _ in found),
        found_at=now,
        version="blobs " + hashlib.sha256(blobs.encode()).hexdigest()[:16],
        folder=True,
    )

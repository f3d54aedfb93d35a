"""What a source publishes and what the warehouse holds: releases, and whether one is newer.

A `Release` is what a finder saw on a source's record before anything was downloaded: the file
(or the files of a folder), their names, sizes and addresses, the date a name carries, and what
else tells one release from another (a checksum, the blob ids of a folder, the server's ETag and
Last-Modified). `compare` sets it against the release the warehouse holds (its row of
raw.load_log) and tells, in words, whether it is newer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

# A date in a file name: 2026_02_06_ga_voting.csv, 2025_9_19_ga_voting.csv, 2024-09-12-....
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})[_-](\d{1,2})[_-](\d{1,2})(?!\d)")


def date_in_name(name: str) -> date | None:
    """The first valid year-month-day date written in a file name, if any."""
    for match in _DATE_IN_NAME.finditer(name):
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            continue
    return None


def size_text(size: int | None) -> str:
    if size is None:
        return "size not given"
    if size >= 1_000_000:
        return f"{size / 1e6:.1f} MB"
    return f"{size:,} bytes"


@dataclass(frozen=True)
class ReleaseFile:
    """One file of a release: its name as published, its address, its size if given."""

    name: str
    url: str
    size: int | None = None


@dataclass(frozen=True)
class Release:
    """The newest release a source lists, as found on its record (nothing downloaded yet).

    `record` is where it was found (the record's page, or the address of the listing); `name`
    is the file's name as published, or the folder's when the release is several files
    (`folder`), which are then downloaded into one folder and loaded together.
    """

    kind: str
    record: str
    name: str
    files: tuple[ReleaseFile, ...]
    found_at: datetime
    date: date | None = None
    version: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    folder: bool = False

    @property
    def size(self) -> int | None:
        sizes = [f.size for f in self.files]
        return None if any(s is None for s in sizes) else sum(s for s in sizes if s is not None)

    @property
    def url(self) -> str:
        """The address of the file, or of the listing when the release is a folder."""
        return self.record if self.folder else self.files[0].url

    def provenance(self) -> dict[str, object]:
        """The columns of raw.load_log that say where the release came from."""
        return {
            "record": self.record,
            "release_file": self.name,
            "url": self.url,
            "release_date": self.date,
            "found_at": self.found_at,
            "release_version": self.version,
            "etag": self.etag,
            "last_modified": self.last_modified,
        }

    def summary(self) -> str:
        """The release in a few words: name, size and date."""
        dated = f", dated {self.date:%Y-%m-%d}" if self.date else ""
        count = len(self.files)
        files = f"{count} file{'s' * (count != 1)}, " if self.folder else ""
        return f"{self.name} ({files}{size_text(self.size)}{dated})"


@dataclass(frozen=True)
class Verdict:
    """Whether a release found is newer than the one held, and why, in words."""

    newer: bool
    reason: str


def _held_name(held: Mapping[str, Any]) -> str:
    return str(held.get("release_file") or held.get("file_name") or "an unnamed file")


def _differs(found: object, held: object) -> bool:
    return found is not None and held is not None and found != held


def compare(release: Release, held: Mapping[str, Any] | None) -> Verdict:
    """Is `release` newer than `held` (the raw.load_log row of the release the warehouse
    holds, or None when it holds none of this kind)? A release dated before the one held is
    never taken for newer; otherwise any difference the source lets one see makes it new."""
    if held is None:
        return Verdict(True, "the warehouse holds none yet")
    name = _held_name(held)
    held_date = held.get("release_date")
    if release.date and held_date:
        if release.date < held_date:
            return Verdict(False, f"it is older than the release the warehouse holds, {name}")
        if release.date > held_date:
            return Verdict(True, f"it is newer than the release the warehouse holds, {name}")
    if release.name != held.get("release_file"):
        return Verdict(True, f"the warehouse holds another release, {name}")
    checks = (
        ("size", release.size, held.get("file_size_bytes")),
        ("version", release.version, held.get("release_version")),
        ("ETag", release.etag, held.get("etag")),
        ("Last-Modified", release.last_modified, held.get("last_modified")),
    )
    for what, found, had in checks:
        if _differs(found, had):
            return Verdict(True, f"it has the name of the release held but another {what}")
    return Verdict(False, "it is the release the warehouse holds")

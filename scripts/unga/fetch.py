"""Resolve a source (local path or http(s) URL) to a local file, downloading into a cache.

A download shows progress on standard error, lands in the cache folder under a name derived
from the URL, and is reused when the server says it has not changed (ETag / Last-Modified).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from unga.errors import UserError

CHUNK = 1 << 20


@dataclass(frozen=True)
class LocalSource:
    """A source file on local disk, with where it came from."""

    path: Path
    origin: str


def is_url(source: str) -> bool:
    return urlparse(source).scheme in {"http", "https"}


def resolve(source: str, cache_dir: Path) -> LocalSource:
    """Return a local file for `source`, downloading it first if it is a URL."""
    if is_url(source):
        return LocalSource(download(source, cache_dir), source)
    path = Path(source).expanduser()
    if not path.is_file():
        raise UserError(f"the source file {source} does not exist or is not a file")
    return LocalSource(path, source)


def _cache_paths(url: str, cache_dir: Path) -> tuple[Path, Path]:
    name = Path(urlparse(url).path).name or "download"
    key = hashlib.sha256(url.encode()).hexdigest()[:12]
    target = cache_dir / f"{key}-{name}"
    return target, target.with_name(target.name + ".meta.json")


class _Progress:
    """Prints download progress: a live line on a terminal, every 10% otherwise."""

    def __init__(self, url: str, total: int | None) -> None:
        self.url = url
        self.total = total
        self.done = 0
        self.tty = sys.stderr.isatty()
        self.next_mark = 10
        self.started = time.monotonic()

    def update(self, n: int) -> None:
        self.done += n
        if self.total:
            pct = 100 * self.done // self.total
            line = (
                f"downloading {self.url}: {self.done / 1e6:.1f} of "
                f"{self.total / 1e6:.1f} MB ({pct}%)"
            )
            if self.tty:
                print("\r" + line, end="", file=sys.stderr, flush=True)
            elif pct >= self.next_mark:
                print(line, file=sys.stderr, flush=True)
                self.next_mark = (pct // 10 + 1) * 10
        elif self.tty:
            print(f"\rdownloading {self.url}: {self.done / 1e6:.1f} MB", end="", file=sys.stderr)

    def close(self) -> None:
        secs = time.monotonic() - self.started
        if self.tty:
            print(file=sys.stderr)
        print(f"downloaded {self.done / 1e6:.1f} MB in {secs:.1f} s", file=sys.stderr)


def download(url: str, cache_dir: Path) -> Path:
    """Download `url` into `cache_dir`, or reuse the cached copy if the server has nothing newer."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    target, meta_path = _cache_paths(url, cache_dir)
    meta: dict[str, str] = {}
    if target.is_file() and meta_path.is_file():
        meta = json.loads(meta_path.read_text())
    request = urllib.request.Request(url, headers={"User-Agent": "unga-votes-loader"})
    if meta.get("etag"):
        request.add_header("If-None-Match", meta["etag"])
    if meta.get("last_modified"):
        request.add_header("If-Modified-Since", meta["last_modified"])
    try:
        response = urllib.request.urlopen(request, timeout=60)
    except urllib.error.HTTPError as err:
        if err.code == 304 and target.is_file():
            print(f"using the cached copy of {url} (unchanged on the server)", file=sys.stderr)
            return target
        raise UserError(f"downloading {url} failed: HTTP {err.code} {err.reason}") from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise UserError(f"downloading {url} failed: {reason}") from None

    length = response.headers.get("Content-Length")
    total = int(length) if length and length.isdigit() else None
    progress = _Progress(url, total)
    partial = target.with_name(target.name + ".part")
    try:
        with response, partial.open("wb") as out:
            while chunk := response.read(CHUNK):
                out.write(chunk)
                progress.update(len(chunk))
    except OSError as err:
        partial.unlink(missing_ok=True)
        raise UserError(f"downloading {url} failed after {progress.done} bytes: {err}") from None
    progress.close()
    if total is not None and progress.done != total:
        partial.unlink(missing_ok=True)
        raise UserError(f"downloading {url} stopped early: got {progress.done} of {total} bytes")
    os.replace(partial, target)
    meta = {
        "url": url,
        "etag": response.headers.get("ETag", ""),
        "last_modified": response.headers.get("Last-Modified", ""),
    }
    meta_path.write_text(json.dumps(meta, indent=2))
    return target

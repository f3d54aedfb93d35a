"""Resolve a source (local path or http(s) URL) to a local file, downloading into a cache.

A download shows progress on standard error, lands in the cache folder under a name derived
from the URL (or where the caller says), and is reused when the server says it has not changed
(ETag / Last-Modified, kept with the URL in `.meta/` beside the file). What is downloaded is a
data file (CSV or JSON lines), plain or gzip-compressed. It is written to a `.part` file and
takes its place in the cache only when it is whole: a server error, a download that stops
before its announced length or before the end of its gzip stream, and a page that is not data
(an HTML error page, binary data) are each told in one sentence, and leave the cache as it was.

`document` fetches a small metadata document (a record's MARCXML export, an API's JSON listing)
and `probe` asks a server what it would send for a file (HEAD), for the release checks of
unga.releases.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import shutil
import sys
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from unga.errors import UserError

CHUNK = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"
SNIFF_BYTES = 1024  # how much of the text is looked at to tell CSV from an HTML page


# How long to wait for a server to answer before giving up (seconds).
TIMEOUT = 60
USER_AGENT = "unga-votes-loader"
META_DIR = ".meta"
# The largest metadata document `document` reads (a record export or an API listing).
MAX_DOCUMENT_BYTES = 20 << 20


@dataclass(frozen=True)
class LocalSource:
    """A source file on local disk, with where it came from.

    `url`, `etag` and `last_modified` are set when it was downloaded: the address and what the
    server said of the file (its validators), as kept in the cache.
    """

    path: Path
    origin: str
    url: str | None = None
    etag: str | None = None
    last_modified: str | None = None


def is_url(source: str) -> bool:
    return urlparse(source).scheme in {"http", "https"}


def resolve(source: str, cache_dir: Path) -> LocalSource:
    """Return a local file for `source`, downloading it first if it is a URL."""
    if is_url(source):
        path = download(source, cache_dir)
        said = validators(path)
        return LocalSource(path, source, source, said.get("etag"), said.get("last_modified"))
    path = Path(source).expanduser()
    if not path.is_file():
        raise UserError(f"the source file {source} does not exist or is not a file")
    return LocalSource(path, source)


def url_file_name(url: str) -> str:
    """The name of the file a URL points to: the last part of its path, decoded."""
    return unquote(Path(urlparse(url).path).name)


def _cache_target(url: str, cache_dir: Path) -> Path:
    key = hashlib.sha256(url.encode()).hexdigest()[:12]
    return cache_dir / f"{key}-{url_file_name(url) or 'download'}"


def _meta_path(target: Path) -> Path:
    """Where the URL and validators of a downloaded file are kept: in `.meta/` beside it, so
    that a folder of downloads holds the downloaded files only."""
    return target.parent / META_DIR / f"{target.name}.json"


def forget(path: Path) -> None:
    """Remove a downloaded file (or a folder of them) from the cache, with what it kept of it."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)
    _meta_path(path).unlink(missing_ok=True)


def validators(target: Path) -> dict[str, str]:
    """What the server said of a downloaded file (etag, last_modified; empty ones left out)."""
    meta_path = _meta_path(target)
    if not meta_path.is_file():
        return {}
    meta = json.loads(meta_path.read_text())
    return {k: meta[k] for k in ("etag", "last_modified") if meta.get(k)}


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


class _CsvCheck:
    """Follows a download as it arrives: is it data text, or a gzip stream of it, and whole?

    `feed` raises UserError as soon as the bytes show an HTML page or binary data; `finish`
    tells whether a gzip stream ended where it should (a download cut off without a length
    would otherwise look complete). Gzip streams are inflated to check them, and not kept.
    """

    def __init__(self, url: str, what: str) -> None:
        self.url = url
        self.what = what
        self.head = b""
        self.gzip: bool | None = None
        self.inflater: Any = None  # the zlib decompressor of the current gzip member
        self.text_head = b""
        self.compressed = 0

    def feed(self, chunk: bytes) -> None:
        if self.gzip is None:
            self.head += chunk
            if len(self.head) < len(GZIP_MAGIC):
                return
            self.gzip = self.head.startswith(GZIP_MAGIC)
            chunk, self.head = self.head, b""
        if self.gzip:
            self._inflate(chunk)
        else:
            self._sniff(chunk)

    def _inflate(self, data: bytes) -> None:
        self.compressed += len(data)
        try:
            while data:
                if self.inflater is None or self.inflater.eof:
                    if self.inflater is not None and not data.startswith(GZIP_MAGIC):
                        raise UserError(
                            f"the download of {self.url} is truncated or not a valid gzip file: "
                            "other data follows its gzip stream"
                        )
                    self.inflater = zlib.decompressobj(wbits=31)
                self._sniff(self.inflater.decompress(data, CHUNK))
                data = self.inflater.unconsumed_tail or self.inflater.unused_data
        except zlib.error as err:
            raise UserError(
                f"the download of {self.url} is truncated or not a valid gzip file ({err})"
            ) from None

    def _sniff(self, text: bytes) -> None:
        if len(self.text_head) >= SNIFF_BYTES or not text:
            return
        self.text_head += text[: SNIFF_BYTES - len(self.text_head)]
        start = self.text_head.removeprefix(b"\xef\xbb\xbf").lstrip()
        if start.startswith(b"<"):
            first = start[:40].decode("utf-8", "replace").splitlines()[0]
            raise UserError(
                f"downloading {self.url} gave an HTML page, not {self.what} (it begins {first!r})"
            )
        if b"\0" in self.text_head:
            raise UserError(f"downloading {self.url} gave binary data, not {self.what}")

    def finish(self) -> None:
        if self.gzip is None:
            self.gzip = self.head.startswith(GZIP_MAGIC)
            self._sniff(self.head)
        if self.gzip and (self.inflater is None or not self.inflater.eof):
            raise UserError(
                f"the download of {self.url} is truncated or not a valid gzip file: its gzip "
                f"stream stops after {self.compressed:,} bytes"
            )


def download(
    url: str, cache_dir: Path, *, target: Path | None = None, what: str = "a CSV file"
) -> Path:
    """Download `url` into `cache_dir` (as `target` when given), or reuse the cached copy if the
    server has nothing newer; `what` names the kind of file expected, in messages."""
    target = target or _cache_target(url, cache_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    meta_path = _meta_path(target)
    meta: dict[str, str] = {}
    if target.is_file() and meta_path.is_file():
        meta = json.loads(meta_path.read_text())
        if meta.get("url") != url:
            meta = {}
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if meta.get("etag"):
        request.add_header("If-None-Match", meta["etag"])
    if meta.get("last_modified"):
        request.add_header("If-Modified-Since", meta["last_modified"])
    try:
        response = urllib.request.urlopen(request, timeout=TIMEOUT)
    except urllib.error.HTTPError as err:
        if err.code == 304 and target.is_file():
            print(f"using the cached copy of {url} (unchanged on the server)", file=sys.stderr)
            return target
        raise UserError(f"downloading {url} failed: HTTP {err.code} {err.reason}") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
        reason = getattr(err, "reason", err)
        raise UserError(f"downloading {url} failed: {reason}") from None

    with response:
        if response.headers.get_content_type() == "text/html":
            raise UserError(
                f"downloading {url} gave an HTML page, not {what} (Content-Type text/html)"
            )
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        partial = target.with_name(target.name + ".part")
        try:
            _receive(url, response, partial, total, what)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    os.replace(partial, target)
    meta = {
        "url": url,
        "etag": response.headers.get("ETag", ""),
        "last_modified": response.headers.get("Last-Modified", ""),
    }
    meta_path.parent.mkdir(exist_ok=True)
    meta_path.write_text(json.dumps(meta, indent=2))
    return target


def _receive(
    url: str, response: http.client.HTTPResponse, partial: Path, total: int | None, what: str
) -> None:
    """Write the body to `partial`, checking as it comes that it is a whole data file."""
    progress = _Progress(url, total)
    check = _CsvCheck(url, what)
    try:
        with partial.open("wb") as out:
            while chunk := response.read(CHUNK):
                check.feed(chunk)
                out.write(chunk)
                progress.update(len(chunk))
    except http.client.IncompleteRead as err:
        raise UserError(
            f"downloading {url} stopped early: the server closed the connection after "
            f"{progress.done + len(err.partial):,} bytes"
        ) from None
    except (OSError, http.client.HTTPException) as err:
        raise UserError(f"downloading {url} failed after {progress.done} bytes: {err}") from None
    if total is not None and progress.done != total:
        raise UserError(f"downloading {url} stopped early: got {progress.done} of {total} bytes")
    check.finish()
    progress.close()


@dataclass(frozen=True)
class Document:
    """A small document a server sent: its bytes and its content type."""

    body: bytes
    content_type: str


def document(url: str, what: str, accept: str = "*/*") -> Document:
    """Fetch a metadata document (`what` names it in messages: "the record's MARCXML export")."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            body = response.read(MAX_DOCUMENT_BYTES + 1)
            content_type = response.headers.get_content_type()
    except urllib.error.HTTPError as err:
        raise UserError(f"{what} at {url} answered HTTP {err.code} {err.reason}") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as err:
        reason = getattr(err, "reason", err)
        raise UserError(f"could not reach {what} at {url} ({reason})") from None
    if len(body) > MAX_DOCUMENT_BYTES:
        raise UserError(f"{what} at {url} is larger than {MAX_DOCUMENT_BYTES >> 20} MB")
    return Document(body, content_type)


def probe(url: str) -> dict[str, str | int]:
    """What the server says of a file without sending it (HEAD): its size, ETag and
    Last-Modified, where it gives them; nothing when it does not answer HEAD requests."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT}, method="HEAD")
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            headers = response.headers
    except (urllib.error.URLError, OSError, http.client.HTTPException):
        return {}
    said: dict[str, str | int] = {}
    length = headers.get("Content-Length")
    if length and length.isdigit():
        said["size"] = int(length)
    if headers.get("ETag"):
        said["etag"] = headers["ETag"]
    if headers.get("Last-Modified"):
        said["last_modified"] = headers["Last-Modified"]
    return said

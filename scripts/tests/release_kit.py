"""Stand-ins for the places releases are published, played by the local test server.

`DigitalLibrary` is the UN Digital Library's record 4060887: its MARCXML export (`/record/
4060887/export/xm`) lists in field 856 the files published on it, which the server serves under
`/record/4060887/files/`. `Dataverse` is Voeten's dataset (the native API's file listing and
the access API), `GitHubFolder` the DGACM extracts' folder (the REST API's contents listing).
Their answers follow the formats the finders of unga.releases were written against, and are
written out here independently of that code.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from extra_sources_kit import dataverse_sample, dataverse_text, dgacm_record
from testkit import FileServer

MARC = "http://www.loc.gov/MARC21/slim"
RECORD_PATH = "/record/4060887"
EXPORT_PATH = f"{RECORD_PATH}/export/xm"


def marcxml(
    record_id: str, files: list[tuple[str, int | None]], *, namespace: bool = True
) -> bytes:
    """A record as Invenio exports it in MARCXML: each (address, size) in a field 856 4_."""
    fields = []
    for url, size in files:
        name = url.split("?")[0].rsplit("/", 1)[-1]
        subfields = [f'<subfield code="u">{escape(url)}</subfield>']
        if size is not None:
            subfields.append(f'<subfield code="s">{size}</subfield>')
        subfields.append(f'<subfield code="y">{escape(name)}</subfield>')
        fields.append(f'<datafield tag="856" ind1="4" ind2=" ">{"".join(subfields)}</datafield>')
    xmlns = f' xmlns="{MARC}"' if namespace else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<collection{xmlns}><record>"
        f'<controlfield tag="001">{record_id}</controlfield>'
        '<datafield tag="245" ind1=" " ind2=" ">'
        '<subfield code="a">General Assembly voting data</subfield></datafield>'
        f"{''.join(fields)}</record></collection>\n"
    ).encode()


@dataclass
class DigitalLibrary:
    """Record 4060887 on the test server: `publish` lists a file on it (and serves it)."""

    server: FileServer
    namespace: bool = True
    listed: list[tuple[str, int | None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.server.types[EXPORT_PATH] = "application/xml"
        self.write_export()

    @property
    def record(self) -> str:
        return self.server.url(RECORD_PATH)

    @staticmethod
    def file_path(name: str) -> str:
        return f"{RECORD_PATH}/files/{name}"

    def url(self, name: str) -> str:
        return self.server.url(self.file_path(name))

    def publish(self, name: str, body: bytes | None, size: int | None = None) -> str:
        """List `name` on the record (with `size`, else the body's) and serve `body` (unless
        None: listed, not served); return the file's path on the server."""
        path = self.file_path(name)
        if body is not None:
            self.server.files[path] = body
        self.listed.append((name, size if size is not None or body is None else len(body)))
        self.write_export()
        return path

    def write_export(self) -> None:
        files = [(f"{self.url(name)}?ln=en", size) for name, size in self.listed]
        self.server.files[EXPORT_PATH] = marcxml("4060887", files, namespace=self.namespace)


DATAVERSE_PID = "hdl:1902.1/12379"
DATAVERSE_LISTING = "/api/datasets/:persistentId/versions/:latest-published/files"


@dataclass
class Dataverse:
    """Voeten's dataset on the test server: `publish` makes a file its latest version."""

    server: FileServer

    @property
    def dataset(self) -> str:
        return self.server.url(f"/dataset.xhtml?persistentId={DATAVERSE_PID}")

    def publish(self, file_id: int, name: str, body: bytes, *, ingested: bool = True) -> str:
        """The latest version holds `name` (ingested into a .tab file, or as deposited) and a
        codebook; return the path the file is downloaded from."""
        path = f"/api/access/datafile/{file_id}"
        self.server.files[path] = body
        data_file: dict[str, object] = {
            "id": file_id,
            "persistentId": "",
            "filename": name.replace(".csv", ".tab") if ingested else name,
            "contentType": "text/tab-separated-values" if ingested else "text/csv",
            "filesize": len(body) + 1234 if ingested else len(body),
            "checksum": {"type": "MD5", "value": hashlib.md5(body).hexdigest()},
        }
        if ingested:
            data_file |= {
                "originalFileFormat": "text/csv",
                "originalFileName": name,
                "originalFileSize": len(body),
                "tabularData": True,
            }
        codebook = {
            "id": file_id + 1,
            "filename": "Codebook.pdf",
            "contentType": "application/pdf",
            "filesize": 5000,
        }
        data = [
            {"label": data_file["filename"], "restricted": False, "dataFile": data_file},
            {"label": "Codebook.pdf", "restricted": False, "dataFile": codebook},
        ]
        self.server.files[DATAVERSE_LISTING] = json.dumps({"status": "OK", "data": data}).encode()
        return path


GITHUB_LISTING = "/repos/UNxml/GAresolutions/contents/data_extract"


def git_blob_sha(body: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(body) + body).hexdigest()


@dataclass
class GitHubFolder:
    """The DGACM extracts' folder on the test server: `publish` sets the files it holds."""

    server: FileServer

    @property
    def listing(self) -> str:
        return self.server.url(GITHUB_LISTING)

    def publish(self, files: dict[str, bytes]) -> None:
        entries: list[dict[str, object]] = [
            {"type": "dir", "name": "old", "path": "data_extract/old", "sha": "0" * 40,
             "size": 0, "download_url": None},
            {"type": "file", "name": "README.md", "path": "data_extract/README.md",
             "sha": git_blob_sha(b"notes"), "size": 5,
             "download_url": self.server.url("/raw/data_extract/README.md")},
        ]  # fmt: skip
        for name, body in files.items():
            path = f"/raw/data_extract/{name}"
            self.server.files[path] = body
            entries.append(
                {
                    "type": "file",
                    "name": name,
                    "path": f"data_extract/{name}",
                    "sha": git_blob_sha(body),
                    "size": len(body),
                    "download_url": self.server.url(path),
                }
            )
        self.server.files[GITHUB_LISTING] = json.dumps(entries).encode()


# --- what the stand-ins serve -------------------------------------------------------------------

VOETEN = dataverse_text(dataverse_sample()).encode()  # a small UNVotes.csv


def extract(*symbols: str) -> bytes:
    """A DGACM extract file with one resolution per symbol."""
    return "".join(json.dumps(dgacm_record(s)) + "\n" for s in symbols).encode()

"""`unga docs`: dbt's documentation site for the real build, complete, served locally and read
in headless Chromium (a mart's page and its lineage)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser import chromium, free_port, needs_browser, wait_for_url
from conftest import Published
from testkit import UNGA_BIN
from unga import docs

MANIFEST = {
    "metadata": {"project_name": "unga"},
    "nodes": {
        "model.unga.described": {
            "unique_id": "model.unga.described",
            "resource_type": "model",
            "name": "described",
            "package_name": "unga",
            "description": "Has one.",
            "columns": {"a": {"description": "A."}, "b": {"description": " "}},
        },
        "test.unga.unique_described_a": {
            "unique_id": "test.unga.unique_described_a",
            "resource_type": "test",
            "name": "unique_described_a",
            "package_name": "unga",
            "description": "",
            "test_metadata": {"name": "unique"},
        },
        "test.unga.assert_something": {
            "unique_id": "test.unga.assert_something",
            "resource_type": "test",
            "name": "assert_something",
            "package_name": "unga",
            "description": "",
        },
    },
    "macros": {
        "macro.unga._helper": {
            "unique_id": "macro.unga._helper",
            "resource_type": "macro",
            "name": "_helper",
            "package_name": "unga",
            "description": "",
        },
        "macro.unga.measure": {
            "unique_id": "macro.unga.measure",
            "resource_type": "macro",
            "name": "measure",
            "package_name": "unga",
            "description": "",
        },
        "macro.dbt.other": {
            "unique_id": "macro.dbt.other",
            "resource_type": "macro",
            "name": "other",
            "package_name": "dbt",
            "description": "",
        },
    },
    "sources": {},
    "exposures": {},
}
CATALOG = {"nodes": {"model.unga.described": {"columns": {"a": {}, "b": {}, "c": {}}}}}


def test_undescribed_names_what_lacks_a_description() -> None:
    assert docs.undescribed(MANIFEST, CATALOG) == [
        "macro.unga.measure",
        "model.unga.described.b",
        "model.unga.described.c",
        "test.unga.assert_something",
    ]


@dataclass(frozen=True)
class Site:
    url: str
    target: Path


@pytest.fixture(scope="module")
def site(published: Published, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """`unga docs --serve` on the session's warehouse, as `make docs` runs it."""
    base = tmp_path_factory.mktemp("docs")
    port = free_port()
    env = published.env | {"DBT_TARGET_PATH": str(base / "target"), "DBT_LOG_PATH": str(base)}
    log = base / "unga-docs.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(UNGA_BIN), "docs", "--db", str(published.db), "--serve", "--port", str(port)],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        wait_for_url(f"http://127.0.0.1:{port}/", lambda: process.poll() is None, log, 600)
        yield Site(f"http://127.0.0.1:{port}/", base / "target" / docs.DOCS_DIR)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.mark.real_data
def test_every_part_of_the_project_is_described(site: Site, published: Published) -> None:
    manifest = json.loads((site.target / "manifest.json").read_text())
    catalog = json.loads((site.target / "catalog.json").read_text())
    assert docs.undescribed(manifest, catalog) == []
    kinds = {n["resource_type"] for n in manifest["nodes"].values()}
    assert {"model", "seed", "test"} <= kinds
    assert len(manifest["exposures"]) >= 3 and len(manifest["sources"]) >= 10
    assert "model.unga.dim_years" in catalog["nodes"]


@pytest.mark.real_data
@needs_browser
def test_a_mart_page_and_its_lineage(site: Site, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    for browser in chromium(tmp_path):
        wait = WebDriverWait(browser, 60)
        browser.get(site.url + "#!/model/model.unga.fct_focal_cohesion")
        wait.until(lambda d: "fct_focal_cohesion" in d.find_element(By.TAG_NAME, "body").text)
        text = browser.find_element(By.TAG_NAME, "body").text
        assert "marts.focal_cohesion for the selection of the dbt vars" in text
        assert "reference_participation" in text and "Enforced" in text
        browser.find_element(By.CSS_SELECTOR, 'a[title="View Lineage Graph"]').click()
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#cy canvas, .app-graph canvas"))
        selector = wait.until(
            lambda d: [
                e.get_attribute("value")
                for e in d.find_elements(By.CSS_SELECTOR, "input")
                if "fct_focal_cohesion" in (e.get_attribute("value") or "")
            ]
        )
        assert selector == ["+fct_focal_cohesion+"]

"""The dashboard end to end: `streamlit run` on the real serving copy, loaded in headless Chromium.

Needs the Debian packages chromium and chromium-driver (`make browser`); selenium is given the
driver explicitly, so nothing is downloaded. Skipped, saying so, when Chromium is not installed.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser import chromium, free_port, needs_browser, wait_for_url
from conftest import Published
from testkit import REPO

pytestmark = [pytest.mark.real_data, needs_browser]


@dataclass(frozen=True)
class Server:
    url: str
    port: int
    log: Path


@pytest.fixture(scope="module")
def server(published: Published, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port = free_port()
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNGA_")}
    # `make dashboard` as printed in the README; the port and file watcher through Streamlit's
    # environment variables, the address left to the Makefile's default
    env |= {
        "UNGA_SERVING": str(published.serving),
        "STREAMLIT_SERVER_PORT": str(port),
        "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    }
    with log.open("w") as out:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "dashboard"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for_url(url + "_stcore/health", lambda: process.poll() is None, log, 60)
        yield Server(url, port, log)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator:
    yield from chromium(tmp_path)


def test_dashboard_listens_on_this_machine_only(server: Server) -> None:
    listening = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True, check=False)
    addresses = [line.split()[3] for line in listening.stdout.splitlines() if line.split()]
    assert [a for a in addresses if a.endswith(f":{server.port}")] == [f"127.0.0.1:{server.port}"]


def test_dashboard_renders_chart_and_tables(server: Server, browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server.url)
    wait = WebDriverWait(browser, 60)
    chart = '[data-testid="stVegaLiteChart"]'
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, f"{chart} svg, {chart} canvas"))
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, '[data-testid="stDataFrame"]')) == 4)

    headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "h1, h2, h3")]
    assert "UN General Assembly voting cohesion" in headings
    assert any(h.startswith("Kazakhstan (KAZ):") for h in headings), headings
    assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
    # one line per reference: the legend names the four references of the build
    legend = browser.find_element(By.CSS_SELECTOR, chart).text
    for name in ("Russian Federation", "China", "United States of America", "Germany"):
        assert name in legend, legend
    marks = browser.find_elements(By.CSS_SELECTOR, f"{chart} svg path, {chart} canvas")
    assert marks
    # the second chart: the focal country and the references on the ideal-point scale
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, chart)) == 2)
    ideal = browser.find_elements(By.CSS_SELECTOR, chart)[1].text
    for name in ("Kazakhstan", "Russian Federation", "United States of America"):
        assert name in ideal, ideal

    # the CSV of the ranking, as a reader downloads it
    buttons = browser.find_elements(By.CSS_SELECTOR, '[data-testid="stDownloadButton"] button')
    assert len(buttons) == 6
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", buttons[1])
    buttons[1].click()
    downloaded = tmp_path / "downloads" / "ranking.csv"
    WebDriverWait(browser, 30).until(lambda _: downloaded.is_file())
    rows = list(csv.DictReader(io.StringIO(downloaded.read_text())))
    assert [r["rank"] for r in rows] == ["1", "2", "3", "4"]
    assert {r["reference_country"] for r in rows} == {"RUS", "CHN", "USA", "DEU"}
    assert "Traceback" not in server.log.read_text()


def test_groups_page_from_the_sidebar(server: Server, browser) -> None:
    """The Groups page is a page of the same app: listed in the sidebar, it renders its charts
    and tables for the build's focal country and its groups."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server.url)
    wait = WebDriverWait(browser, 60)
    links = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, '[data-testid="stSidebarNav"] a'))
    assert [a.text.strip() for a in links] == ["Cohesion", "Groups"]
    links[1].click()
    chart = '[data-testid="stVegaLiteChart"]'
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, f"{chart} svg, {chart} canvas")) == 2)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, '[data-testid="stDataFrame"]')) == 3)
    headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "h1, h2, h3")]
    assert "Groups of states in the UN General Assembly" in headings
    assert "Kazakhstan (KAZ) against the groups' majorities" in headings
    assert not browser.find_elements(By.CSS_SELECTOR, '[data-testid="stException"]')
    assert browser.current_url.rstrip("/").endswith("/Groups")
    assert "Traceback" not in server.log.read_text()

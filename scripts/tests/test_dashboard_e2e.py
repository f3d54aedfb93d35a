"""The dashboard end to end: `streamlit run` on the real serving copy, loaded in headless Chromium.

Needs the Debian packages chromium and chromium-driver (`make browser`); selenium is given the
driver explicitly, so nothing is downloaded. Skipped, saying so, when Chromium is not installed.
"""

from __future__ import annotations

import csv
import io
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import Published
from testkit import REPO
from unga.dashboard import data

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1500,2100",
)
APP = Path(data.__file__).with_name("app.py")
STREAMLIT = REPO / ".venv" / "bin" / "streamlit"

HAVE_BROWSER = CHROMIUM.exists() and CHROMEDRIVER.exists()
# CI sets UNGA_REQUIRE_BROWSER=1: there a missing browser is a failure, not a skip.
if not HAVE_BROWSER and os.environ.get("UNGA_REQUIRE_BROWSER") == "1":
    raise RuntimeError(f"Chromium is required but not installed ({CHROMIUM}, {CHROMEDRIVER})")

pytestmark = [
    pytest.mark.real_data,
    pytest.mark.skipif(
        not HAVE_BROWSER,
        reason=f"Chromium not installed ({CHROMIUM}, {CHROMEDRIVER}): run `make browser`",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Server:
    url: str
    log: Path


@pytest.fixture(scope="module")
def server(published: Published, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port = free_port()
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNGA_")}
    env |= {"UNGA_SERVING": str(published.serving), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "0"}
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                str(STREAMLIT),
                "run",
                str(APP),
                "--server.headless=true",
                "--server.address=127.0.0.1",
                f"--server.port={port}",
                "--server.fileWatcherType=none",
                "--browser.gatherUsageStats=false",
                "--client.toolbarMode=viewer",
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, "streamlit did not start:\n" + log.read_text()
            time.sleep(0.2)
        yield Server(url, log)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


@pytest.fixture
def browser(tmp_path: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior",
        {"behavior": "allow", "downloadPath": str(tmp_path / "downloads")},
    )
    try:
        yield driver
    finally:
        driver.quit()


def test_dashboard_renders_chart_and_tables(server: Server, browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server.url)
    wait = WebDriverWait(browser, 60)
    chart = '[data-testid="stVegaLiteChart"]'
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, f"{chart} svg, {chart} canvas"))
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, '[data-testid="stDataFrame"]')) == 3)

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

    # the CSV of the ranking, as a reader downloads it
    buttons = browser.find_elements(By.CSS_SELECTOR, '[data-testid="stDownloadButton"] button')
    assert len(buttons) == 4
    browser.execute_script("arguments[0].scrollIntoView();", buttons[1])
    buttons[1].click()
    downloaded = tmp_path / "downloads" / "ranking.csv"
    WebDriverWait(browser, 30).until(lambda _: downloaded.is_file())
    rows = list(csv.DictReader(io.StringIO(downloaded.read_text())))
    assert [r["rank"] for r in rows] == ["1", "2", "3", "4"]
    assert {r["reference_country"] for r in rows} == {"RUS", "CHN", "USA", "DEU"}
    assert "Traceback" not in server.log.read_text()

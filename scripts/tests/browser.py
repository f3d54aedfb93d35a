"""Headless Chromium for the browser tests: Debian's chromium and chromedriver (`make browser`),
driven by selenium with the driver given explicitly, so nothing is downloaded."""

from __future__ import annotations

import json
import os
import socket
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

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
HAVE_BROWSER = CHROMIUM.exists() and CHROMEDRIVER.exists()
# CI sets UNGA_REQUIRE_BROWSER=1: there a missing browser is a failure, not a skip.
if not HAVE_BROWSER and os.environ.get("UNGA_REQUIRE_BROWSER") == "1":
    raise RuntimeError(f"Chromium is required but not installed ({CHROMIUM}, {CHROMEDRIVER})")

needs_browser = pytest.mark.skipif(
    not HAVE_BROWSER,
    reason=f"Chromium not installed ({CHROMIUM}, {CHROMEDRIVER}): run `make browser`",
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_url(url: str, alive: Callable[[], bool], log: Path, seconds: float) -> None:
    """Wait until `url` answers 200, failing with the server's log if it dies or takes longer."""
    deadline = time.monotonic() + seconds
    while True:
        assert alive(), log.read_text()
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        assert time.monotonic() < deadline, f"{url} did not answer:\n" + log.read_text()[-5000:]
        time.sleep(0.5)


def chromium(tmp_path: Path, network_log: bool = False) -> Iterator:
    """A headless Chromium driven by selenium; downloads go to tmp_path/downloads. With
    `network_log`, its performance log records the network traffic (see responses())."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    if network_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior",
        {"behavior": "allow", "downloadPath": str(tmp_path / "downloads")},
    )
    try:
        yield driver
    finally:
        driver.quit()


def responses(driver, url_part: str) -> list[Any]:
    """The JSON bodies of the responses received so far whose URL contains `url_part` (needs
    chromium(..., network_log=True))."""
    bodies = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") != "Network.responseReceived":
            continue
        if url_part not in message["params"]["response"]["url"]:
            continue
        try:
            body = driver.execute_cdp_cmd(
                "Network.getResponseBody", {"requestId": message["params"]["requestId"]}
            )
        except Exception:  # the body is gone (a redirect, or evicted from the buffer)
            continue
        bodies.append(json.loads(body["body"]))
    return bodies

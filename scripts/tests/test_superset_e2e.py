"""Superset end to end: `unga superset` on the real serving copy, the dashboard in headless
Chromium, its charts showing the numbers of the marts.

Needs Superset in .venv-superset (`make superset-install`) and Chromium (`make browser`); run it
with `make test-superset`, which installs both. Without them it is skipped, and says so, unless
UNGA_REQUIRE_SUPERSET=1 (set by `make test-superset`), where a missing install is a failure.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from browser import chromium, free_port, needs_browser, responses, wait_for_url
from conftest import Published
from testkit import UNGA_BIN
from unga import superset

INSTALLED = superset.Superset(superset.VENV, Path()).command.exists()
if not INSTALLED and os.environ.get("UNGA_REQUIRE_SUPERSET") == "1":
    raise RuntimeError(f"Superset is required but not installed in {superset.VENV}")

pytestmark = [
    pytest.mark.real_data,
    needs_browser,
    pytest.mark.skipif(
        not INSTALLED, reason=f"Superset not installed in {superset.VENV}: make test-superset"
    ),
]


@dataclass(frozen=True)
class Running:
    url: str
    password: str
    log: Path
    start_seconds: float


@pytest.fixture(scope="module")
def running(published: Published, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    """`unga superset` as a user starts it, without a password: it prints the one it made."""
    home = tmp_path_factory.mktemp("superset")
    log = home / "unga-superset.log"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNGA_")}
    started = time.monotonic()
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(UNGA_BIN), "superset", "--serving", str(published.serving), "--home",
             str(home / "state"), "--port", str(port)],
            env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_url(url + "/health", lambda: process.poll() is None, log, 900)
        seconds = time.monotonic() - started
        found = re.search(r"admin account 'admin', password (\S+) \(shown once", log.read_text())
        assert found, log.read_text()
        yield Running(url, found.group(1), log, seconds)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


def test_listens_on_this_machine_only(running: Running) -> None:
    port = running.url.rsplit(":", 1)[1]
    listening = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True, check=False)
    addresses = [line.split()[3] for line in listening.stdout.splitlines() if line.split()]
    mine = [a for a in addresses if a.endswith(f":{port}")]
    assert mine == [f"127.0.0.1:{port}"], mine


@pytest.fixture
def browser(tmp_path: Path) -> Iterator:
    yield from chromium(tmp_path, network_log=True)


def _rows_with(bodies: list, key: str) -> list[dict]:
    """The data rows, in the chart-data responses, that have the column `key`."""
    return [
        row
        for body in bodies
        for result in body.get("result", [])
        for row in result.get("data", [])
        if key in row
    ]


def test_dashboard_shows_the_marts(running: Running, browser, published: Published) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    print(f"superset answered {running.start_seconds:.0f} s after `unga superset` started")
    wait = WebDriverWait(browser, 180)
    browser.get(running.url + "/login/")
    wait.until(lambda d: d.find_elements(By.ID, "username"))
    browser.find_element(By.ID, "username").send_keys(superset.ADMIN)
    browser.find_element(By.ID, "password").send_keys(running.password, Keys.ENTER)
    wait.until(lambda d: "/login" not in d.current_url)
    browser.get(f"{running.url}/superset/dashboard/{superset.DASHBOARD_SLUG}/")

    def table_rows(d) -> list[str]:
        return [
            " ".join(r.text.split()) for r in d.find_elements(By.CSS_SELECTOR, "table tbody tr")
        ]

    # the ranking of the build's selection, from marts.fct_focal_cohesion, as shown
    wait.until(lambda d: any(r.startswith("1 China 0.818") for r in table_rows(d)))
    wait.until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".dashboard-component-chart-holder canvas")
    )
    rows = table_rows(browser)
    ranking = [r for r in rows if re.match(r"^[1-4] \D+ 0\.\d{3} ", r)]
    assert [r.split(" 0.")[0] for r in ranking] == [
        "1 China", "2 Russian Federation", "3 Germany", "4 United States of America",
    ]  # fmt: skip
    assert "1 China 0.818 0.887" in ranking[0] and "1319" in ranking[0]
    assert "98.2%" in ranking[0]  # Kazakhstan's participation, beside the ranking
    # split votes: Russia and China split fully 61 times in 2007-2022
    assert any(r.startswith("RUS CHN full 61 ") for r in rows), rows
    text = browser.find_element(By.TAG_NAME, "body").text
    # the dashboard's title is an editable field, not text: the page carries it as its title
    assert "UN General Assembly voting cohesion" in browser.title
    for heading in (
        "Share of identical votes by year",
        "Ranking of the references, window of the build",
        "Split votes of the references, window of the build",
    ):
        assert heading in text

    # what the charts were given: the ranking's figure and the yearly series, against the marts
    bodies = responses(browser, "/api/v1/chart/data")
    con = duckdb.connect(str(published.serving), read_only=True)
    try:
        window = con.execute(
            "select identical_share from marts.fct_focal_cohesion where period_type = 'window' "
            "and topic_code = 'all' and reference_country = 'CHN'"
        ).fetchone()[0]
        yearly = dict(
            con.execute(
                "select year, identical_share from marts.fct_dyad_year_agreement "
                "where country_a = 'KAZ' and country_b = 'CHN' and year between 2007 and 2022"
            ).fetchall()
        )
    finally:
        con.close()
    assert round(window, 3) == 0.818
    [china] = [
        r
        for r in _rows_with(bodies, "reference_country_name")
        if r["reference_country_name"] == "China"
    ]
    assert china["identical_share"] == pytest.approx(window, abs=1e-12)
    series = _rows_with(bodies, "CHN")
    assert {int(r["year"]) for r in series} == set(yearly)
    for row in series:
        assert row["CHN"] == pytest.approx(yearly[int(row["year"])], abs=1e-12)
    assert "Traceback" not in running.log.read_text()

"""Superset end to end: `unga superset` on the real serving copy, the dashboard in headless
Chromium, its charts showing the numbers of the analyses for the selection made in its filters.

The filters are driven as a reader drives them (the select boxes, the range's input, "Apply
filters", "Clear all"), and what the charts show is compared with marts.focal_cohesion and
marts.split_vote_summary called on the serving copy with the same selection.

Needs Superset in .venv-superset (`make superset-install`) and Chromium (`make browser`); run it
with `make test-superset`, which installs both. Without them it is skipped, and says so, unless
UNGA_REQUIRE_SUPERSET=1 (set by `make test-superset`), where a missing install is a failure.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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

RANKING = "Ranking of the references"
SPLITS = "Split votes of the references"
LINE = "Share of identical votes by year"
# The one error the tests provoke on purpose (test_focal_country_among_the_references); Superset
# logs a traceback for every failed query, and any other one fails the tests.
FOCAL_AMONG_REFERENCES = "is both the focal country and a reference country"


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


# The mart whose columns and descriptions each dataset of superset/assets/ lists: the tables
# themselves, and the marts of the build's selection for the virtual datasets calling the analyses
# (the analyses return the same columns).
DATASET_MARTS = {
    "fct_focal_cohesion": "fct_focal_cohesion",
    "fct_split_vote_summary": "fct_split_vote_summary",
    "fct_dyad_year_agreement": "fct_dyad_year_agreement",
    "dim_years": "dim_years",
    "dashboard_focal_cohesion": "fct_focal_cohesion",
    "dashboard_split_vote_summary": "fct_split_vote_summary",
}


def superset_api(running: Running, path: str) -> Any:
    """GET `path` of Superset's REST API as the admin."""
    login = urllib.request.Request(
        running.url + "/api/v1/security/login",
        data=json.dumps(
            {"username": superset.ADMIN, "password": running.password, "provider": "db"}
        ).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(login, timeout=60) as response:
        token = json.load(response)["access_token"]
    request = urllib.request.Request(
        running.url + path, headers={"Authorization": f"Bearer {token}"}
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def test_datasets_list_the_columns_of_the_serving_copy(
    running: Running, published: Published
) -> None:
    """Each imported dataset lists every column of its mart with the description the serving
    copy carries (from dbt's docs), so that a column a mart gains shows in Superset too."""
    found = superset_api(running, "/api/v1/dataset/?q=(columns:!(id,table_name),page_size:100)")
    ids = {d["table_name"]: d["id"] for d in found["result"]}
    assert set(DATASET_MARTS) <= set(ids), sorted(ids)
    con = duckdb.connect(str(published.serving), read_only=True)
    try:
        for name, mart in DATASET_MARTS.items():
            columns = con.execute(
                "select column_name, coalesce(comment, '') from duckdb_columns() "
                "where schema_name = 'marts' and table_name = ?",
                [mart],
            ).fetchall()
            dataset = superset_api(running, f"/api/v1/dataset/{ids[name]}")["result"]
            listed = {
                c["column_name"]: (c["description"] or "").strip() for c in dataset["columns"]
            }
            assert listed == {c: d.strip() for c, d in columns}, name
    finally:
        con.close()


# --- what the serving copy says ---------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """The arguments of the analyses; None: the selection of the last build."""

    focal: str | None = None
    references: tuple[str, ...] | None = None
    from_year: int | None = None
    to_year: int | None = None


def expected(published: Published, selection: Selection) -> dict[str, list[dict[str, Any]]]:
    """The window rows (topic all) of marts.focal_cohesion and marts.split_vote_summary, and the
    year rows of focal_cohesion, for `selection`; the last build's marts when it chooses nothing."""
    con = duckdb.connect(str(published.serving), read_only=True)

    def rows(sql: str, params: list[Any]) -> list[dict[str, Any]]:
        cursor = con.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    try:
        if selection == Selection():
            cohesion, splits, params = (
                "marts.fct_focal_cohesion",
                "marts.fct_split_vote_summary",
                [],
            )
        else:
            arguments = "(?, ?, ?, ?)"
            cohesion = f"marts.focal_cohesion{arguments}"
            splits = f"marts.split_vote_summary{arguments}"
            params = [selection.focal, list(selection.references or ()), selection.from_year,
                      selection.to_year]  # fmt: skip
        return {
            "ranking": rows(
                f"select * from {cohesion} where period_type = 'window' and topic_code = 'all' "
                "order by rank_identical_share",
                params,
            ),
            "years": rows(
                f"select * from {cohesion} where period_type = 'year' and topic_code = 'all'",
                params,
            ),
            "splits": rows(f"select * from {splits} where period_type = 'window'", params),
        }
    finally:
        con.close()


# --- what the dashboard shows -----------------------------------------------------------------


def open_dashboard(browser, running: Running):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 180)
    browser.get(running.url + "/login/")
    wait.until(lambda d: d.find_elements(By.ID, "username"))
    browser.find_element(By.ID, "username").send_keys(superset.ADMIN)
    browser.find_element(By.ID, "password").send_keys(running.password, Keys.ENTER)
    wait.until(lambda d: "/login" not in d.current_url)
    browser.get(f"{running.url}/superset/dashboard/{superset.DASHBOARD_SLUG}/")
    return wait


def table(browser, title: str) -> list[list[str]]:
    """The cells of the table chart titled `title`, row by row, as shown."""
    from selenium.webdriver.common.by import By

    for holder in browser.find_elements(By.CSS_SELECTOR, ".dashboard-component-chart-holder"):
        if holder.text.startswith(title + "\n"):
            return [
                [
                    c.text.replace("\u2212", "-").strip()
                    for c in row.find_elements(By.TAG_NAME, "td")
                ]
                for row in holder.find_elements(By.CSS_SELECTOR, "table tbody tr")
            ]
    return []


def shown(value: str, number: float, decimals: int) -> bool:
    """Whether `value`, as a chart shows it rounded to `decimals`, is `number`."""
    return abs(float(value.rstrip("%")) - number) <= 0.5 * 10**-decimals + 1e-9


def ranking_shows(browser, want: list[dict[str, Any]]) -> bool:
    """The ranking shows the window rows `want`, in their order: rank, names, measures rounded
    to three decimals, roll calls, each side's participation in %, the years, the focal country."""
    rows = table(browser, RANKING)
    if len(rows) != len(want):
        return False
    for cells, row in zip(rows, want, strict=True):
        if len(cells) != 10 or cells[0] != str(row["rank_identical_share"]):
            return False
        if cells[1] != row["reference_country_name"] or cells[9] != row["focal_country_name"]:
            return False
        measures = [row["identical_share"], row["agreement_index"], row["cohen_kappa"]]
        if not all(shown(c, m, 3) for c, m in zip(cells[2:5], measures, strict=True)):
            return False
        if cells[5] != str(row["n_roll_calls"]) or cells[8] != row["period"]:
            return False
        shares = [100 * row["focal_participation"], 100 * row["reference_participation"]]
        if not all(shown(c, s, 1) for c, s in zip(cells[6:8], shares, strict=True)):
            return False
    return True


SPLIT_COUNTS = ("n_splits", "n_with_first", "n_with_second", "n_abstained", "n_with_neither",
                "n_absent")  # fmt: skip


def splits_show(browser, want: list[dict[str, Any]]) -> bool:
    """The split-vote table shows the window rows `want` (in any order), every count as is."""
    rows = table(browser, SPLITS)
    expected_rows = sorted(
        [r["first_country"], r["second_country"], r["split_type"],
         *(str(r[c]) for c in SPLIT_COUNTS), r["period"], r["focal_country"]]
        for r in want
    )  # fmt: skip
    return sorted(rows) == expected_rows


def chart_data(browser, wait) -> dict[str, list[dict[str, Any]]]:
    """The rows the charts were given since the last call, by chart, once all three have had
    theirs: the ranking's and the split votes' (the window rows), and the line chart's (one row
    per year, a column per reference)."""
    given: dict[str, list[dict[str, Any]]] = {"ranking": [], "splits": [], "years": []}

    def arrived(driver) -> bool:
        bodies = responses(driver, "/api/v1/chart/data")
        data = [row for b in bodies for r in b.get("result", []) for row in r.get("data", [])]
        given["ranking"] += [r for r in data if "rank_identical_share" in r]
        given["splits"] += [r for r in data if "split_type" in r]
        given["years"] += [r for r in data if "year" in r and "period_type" not in r]
        return all(given.values())

    wait.until(arrived)
    return given


def check_chart_data(given: dict[str, list[dict[str, Any]]], want: dict[str, list]) -> None:
    """What the charts were given is what the analyses say, to the last digits."""
    shares = {r["reference_country_name"]: r["identical_share"] for r in want["ranking"]}
    assert {r["reference_country_name"]: r["identical_share"] for r in given["ranking"]} == (
        pytest.approx(shares, abs=1e-12)
    )
    assert sorted((r["first_country"], r["second_country"], r["split_type"], r["n_splits"])
                  for r in given["splits"]) == sorted(
        (r["first_country"], r["second_country"], r["split_type"], r["n_splits"])
        for r in want["splits"]
    )  # fmt: skip
    yearly = {(r["year"], r["reference_country_name"]): r["identical_share"] for r in want["years"]}
    series = {
        (int(row["year"]), name): value
        for row in given["years"]
        for name, value in row.items()
        if name != "year"
    }
    assert series == pytest.approx(yearly, abs=1e-12)


def log_errors_other_than_expected(log: Path) -> list[str]:
    """The exception of each traceback in Superset's log (its first line that is not indented)
    that is not the expected error."""
    errors = []
    for block in log.read_text().split("Traceback (most recent call last):")[1:]:
        lines = block.splitlines()[1:]
        error = next((line for line in lines if line and not line.startswith(" ")), "")
        if FOCAL_AMONG_REFERENCES not in error:
            errors.append(error)
    return errors


def choose(browser, wait, filter_id: str, name: str) -> None:
    """Pick `name` in the select box of the native filter `filter_id`, as a reader does: open
    it, type, click the option."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    browser.find_element(By.CSS_SELECTOR, f'[data-test="{filter_id}"]').click()
    box = browser.find_element(By.ID, filter_id)
    box.send_keys(name)
    options = f'.ant-select-item-option[title="{name}"]'
    wait.until(lambda d: [o for o in d.find_elements(By.CSS_SELECTOR, options) if o.is_displayed()])
    next(o for o in browser.find_elements(By.CSS_SELECTOR, options) if o.is_displayed()).click()
    box.send_keys(Keys.ESCAPE)


def apply_filters(browser) -> None:
    from selenium.webdriver.common.by import By

    browser.find_element(By.CSS_SELECTOR, '[data-test="filter-bar__apply-button"]').click()


# --- the tests --------------------------------------------------------------------------------


def test_dashboard_opens_on_the_default_selection(
    running: Running, browser, published: Published
) -> None:
    from selenium.webdriver.common.by import By

    print(f"superset answered {running.start_seconds:.0f} s after `unga superset` started")
    wait = open_dashboard(browser, running)
    # the filters' defaults: Kazakhstan against Russia, China, the United States, Germany
    kaz = Selection("KAZ", ("RUS", "CHN", "USA", "DEU"), 2007, 2022)
    want = expected(published, kaz)
    wait.until(lambda d: ranking_shows(d, want["ranking"]))
    rows = table(browser, RANKING)
    assert [r[:3] for r in rows] == [
        ["1", "China", "0.818"], ["2", "Russian Federation", "0.694"],
        ["3", "Germany", "0.577"], ["4", "United States of America", "0.173"],
    ]  # fmt: skip
    assert rows[0][3:] == ["0.887", "0.299", "1319", "98.2%", "98.7%", "2007-2022", "Kazakhstan"]
    wait.until(lambda d: splits_show(d, want["splits"]))
    # Russia and China split fully 61 times in 2007-2022; Kazakhstan sided 48 times with China
    assert ["RUS", "CHN", "full", "61", "9", "48", "4", "0", "0", "2007-2022", "KAZ"] in table(
        browser, SPLITS
    )
    wait.until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".dashboard-component-chart-holder canvas")
    )
    # the dashboard's title is an editable field, not text: the page carries it as its title
    assert "UN General Assembly voting cohesion" in browser.title
    text = browser.find_element(By.TAG_NAME, "body").text
    for heading in (LINE, RANKING, SPLITS):
        assert heading in text

    given = chart_data(browser, wait)
    check_chart_data(given, want)
    assert {int(r["year"]) for r in given["years"]} == set(range(2007, 2023))
    # the line chart's yearly shares are those of the year mart of every pair of states
    con = duckdb.connect(str(published.serving), read_only=True)
    try:
        dyad = dict(
            con.execute(
                "select year, identical_share from marts.fct_dyad_year_agreement "
                "where country_a = 'KAZ' and country_b = 'CHN' and year between 2007 and 2022"
            ).fetchall()
        )
    finally:
        con.close()
    china = {int(r["year"]): r["China"] for r in given["years"]}
    assert china == pytest.approx(dyad, abs=1e-12)
    assert log_errors_other_than_expected(running.log) == []


def test_every_chart_follows_the_filters(running: Running, browser, published: Published) -> None:
    """Choose Türkiye, swap Germany for France, narrow the years to 2014-2022: the ranking, the
    split votes and the line chart show that selection; "Clear all" goes back to the build's."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    wait = open_dashboard(browser, running)
    kaz = expected(published, Selection("KAZ", ("RUS", "CHN", "USA", "DEU"), 2007, 2022))
    wait.until(lambda d: ranking_shows(d, kaz["ranking"]) and splits_show(d, kaz["splits"]))
    chart_data(browser, wait)  # what the defaults were given: checked by the test above

    choose(browser, wait, "NATIVE_FILTER-focal", "Türkiye")
    references = browser.find_element(By.CSS_SELECTOR, '[data-test="NATIVE_FILTER-references"]')
    [germany] = [
        tag
        for tag in references.find_elements(By.CSS_SELECTOR, ".ant-select-selection-item")
        if tag.text.strip() == "Germany"
    ]
    germany.find_element(By.CSS_SELECTOR, ".ant-select-selection-item-remove").click()
    choose(browser, wait, "NATIVE_FILTER-references", "France")
    start = browser.find_element(By.CSS_SELECTOR, '[data-test="range-filter-from-input"]')
    start.send_keys(Keys.CONTROL, "a")
    start.send_keys("2014", Keys.TAB)
    apply_filters(browser)

    tur = expected(published, Selection("TUR", ("RUS", "CHN", "USA", "FRA"), 2014, 2022))
    assert [r["reference_country"] for r in tur["ranking"]] == ["FRA", "CHN", "RUS", "USA"]
    wait.until(lambda d: ranking_shows(d, tur["ranking"]))
    wait.until(lambda d: splits_show(d, tur["splits"]))
    assert table(browser, RANKING)[0][:3] == ["1", "France", "0.723"]
    given = chart_data(browser, wait)
    check_chart_data(given, tur)
    assert {int(r["year"]) for r in given["years"]} == set(range(2014, 2023))

    # nothing chosen: the selection of the last build (marts.fct_focal_cohesion)
    browser.find_element(By.CSS_SELECTOR, '[data-test="filter-bar__clear-button"]').click()
    apply_filters(browser)
    for filter_id in ("NATIVE_FILTER-focal", "NATIVE_FILTER-references"):
        box = browser.find_element(By.CSS_SELECTOR, f'[data-test="{filter_id}"]')
        assert box.find_elements(By.CSS_SELECTOR, ".ant-select-selection-item") == [], filter_id
    for side in ("from", "to"):
        bound = browser.find_element(By.CSS_SELECTOR, f'[data-test="range-filter-{side}-input"]')
        assert bound.get_attribute("value") == "", side
    built = expected(published, Selection())
    assert [r["rank_identical_share"] for r in built["ranking"]] == [1, 2, 3, 4]
    wait.until(lambda d: ranking_shows(d, built["ranking"]))
    wait.until(lambda d: splits_show(d, built["splits"]))
    check_chart_data(chart_data(browser, wait), built)
    assert log_errors_other_than_expected(running.log) == []


def test_focal_country_among_the_references(running: Running, browser) -> None:
    """China as the focal country while it is one of the references: each chart says so in one
    sentence, naming it."""
    from selenium.webdriver.common.by import By

    wait = open_dashboard(browser, running)
    wait.until(lambda d: table(d, RANKING))
    choose(browser, wait, "NATIVE_FILTER-focal", "China")
    apply_filters(browser)
    message = f"CHN {FOCAL_AMONG_REFERENCES}: compare it with other countries"
    wait.until(lambda d: d.find_element(By.TAG_NAME, "body").text.count(message) == 3)
    assert log_errors_other_than_expected(running.log) == []

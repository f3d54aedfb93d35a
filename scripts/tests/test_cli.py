"""The `unga` command line: help, settings from options and environment, exit codes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import unga
from conftest import Built
from testkit import (
    REPO,
    UNGA_BIN,
    FakeDbt,
    assert_one_error,
    query,
    release,
    scalar,
    write_votes,
)
from unga import pipeline


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ["--help"],
            ["usage: unga", "load", "build", "report", "UNGA_SOURCE", "UNGA_DB", "UNGA_CACHE"],
        ),
        (["load", "--help"], ["usage: unga load", "--source", "--db", "--cache", "--force"]),
        (
            ["build", "--help"],
            ["usage: unga build", "--source", "--db", "--force", "dbt build", "--project-dir"],
        ),
        (
            ["update", "--help"],
            ["usage: unga update", "--with SOURCES", "--db", "UNGA_UNDL_RECORD", "voeten, dgacm"],
        ),
    ],
    ids=["unga", "load", "build", "update"],
)
def test_help_in_process(run_cli, argv: list[str], expected: list[str]) -> None:
    result = run_cli(*argv)
    assert result.code == 0
    for text in expected:
        assert text in result.out
    assert result.err == ""


@pytest.mark.parametrize(
    "argv", [["--help"], ["load", "--help"], ["build", "--help"], ["update", "--help"]]
)
def test_help_as_a_subprocess(argv: list[str]) -> None:
    completed = subprocess.run(
        [str(UNGA_BIN), *argv], capture_output=True, text=True, timeout=60, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("usage: unga")
    assert "Traceback" not in completed.stderr


def test_version(run_cli) -> None:
    result = run_cli("--version")
    assert result.code == 0
    assert result.out.strip() == f"unga {unga.__version__}"


@pytest.mark.parametrize("argv", [[], ["fetch"], ["load", "--no-such-option"]])
def test_usage_errors(run_cli, argv: list[str]) -> None:
    result = run_cli(*argv)
    assert result.code == 2
    assert "usage: unga" in result.err
    assert "Traceback" not in result.err


def test_load_without_a_source(tmp_path: Path, run_cli) -> None:
    result = run_cli("load", "--db", tmp_path / "unga.duckdb")
    assert result.code == 2
    assert_one_error(result.err, "no source given: set UNGA_SOURCE or pass --source")
    assert not (tmp_path / "unga.duckdb").exists()


def test_settings_from_the_environment(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_votes(tmp_path / "v.csv", release(1))
    db = tmp_path / "elsewhere" / "w.duckdb"
    monkeypatch.setenv("UNGA_SOURCE", str(source))
    monkeypatch.setenv("UNGA_DB", str(db))
    result = run_cli("load")
    assert result.code == 0, result.err
    assert scalar(db, "select count(*) from raw.ga_votes") == 6
    assert query(db, "select source from raw.load_log") == [(str(source),)]


def test_options_win_over_the_environment(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNGA_SOURCE", str(tmp_path / "missing.csv"))
    monkeypatch.setenv("UNGA_DB", str(tmp_path / "env.duckdb"))
    source = write_votes(tmp_path / "v.csv", release(1))
    db = tmp_path / "opt.duckdb"
    assert run_cli("load", "--source", source, "--db", db).code == 0
    assert db.exists()
    assert not (tmp_path / "env.duckdb").exists()


def test_default_warehouse_path(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    source = write_votes(tmp_path / "v.csv", release(1))
    assert run_cli("load", "--source", source).code == 0
    assert scalar(tmp_path / "warehouse" / "unga.duckdb", "select count(*) from raw.ga_votes") == 6


def test_load_as_a_subprocess(tmp_path: Path) -> None:
    source = write_votes(tmp_path / "v.csv.gz", release(2))
    db = tmp_path / "unga.duckdb"
    env = os.environ | {"UNGA_SOURCE": str(source), "UNGA_DB": str(db)}
    completed = subprocess.run(
        [str(UNGA_BIN), "load"], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert "loaded 9 of 9 rows (0 rejected)" in completed.stderr
    assert error_free(completed.stderr)
    assert scalar(db, "select count(*) from raw.ga_votes") == 9


def test_missing_source_as_a_subprocess(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv.gz"
    completed = subprocess.run(
        [str(UNGA_BIN), "load", "--source", str(missing), "--db", str(tmp_path / "u.duckdb")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    line = assert_one_error(completed.stderr, f"the source file {missing} does not exist")
    assert completed.stderr.strip() == line


def error_free(stderr: str) -> bool:
    return "error" not in stderr.lower() and "Traceback" not in stderr


def test_make_help_lists_every_target() -> None:
    makefile = (REPO / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.MULTILINE))
    assert {"build", "test", "dashboard", "publish", "superset", "docs", "export"} <= targets
    shown = subprocess.run(
        ["make", "--no-print-directory", "help"], cwd=REPO, capture_output=True, text=True,
        check=True,
    ).stdout  # fmt: skip
    listed = re.findall(r"^make (\S+) +\S", shown, flags=re.MULTILINE)
    assert sorted(listed) == sorted(targets)


def test_dbt_colours_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DBT_USE_COLORS", raising=False)
    monkeypatch.delenv("DBT_USE_COLORS_FILE", raising=False)
    piped = pipeline.dbt_environment(Path("w.duckdb"), on_terminal=False)
    assert piped["DBT_USE_COLORS"] == "false" and piped["DBT_USE_COLORS_FILE"] == "false"
    assert piped["UNGA_DB"] == "w.duckdb"
    terminal = pipeline.dbt_environment(Path("w.duckdb"), on_terminal=True)
    assert "DBT_USE_COLORS" not in terminal and terminal["DBT_USE_COLORS_FILE"] == "false"
    monkeypatch.setenv("DBT_USE_COLORS", "true")  # the user's choice wins
    assert pipeline.dbt_environment(Path("w.duckdb"), on_terminal=False)["DBT_USE_COLORS"] == "true"


@pytest.mark.real_data
def test_build_output_and_log_have_no_colour_codes(built: Built) -> None:
    dbt_log = Path(built.env["DBT_LOG_PATH"]) / "dbt.log"
    assert dbt_log.is_file()
    assert "Done. PASS=" in built.stdout  # dbt's summary, as printed to a pipe
    assert "\x1b[" not in built.stdout and "\x1b[" not in built.stderr
    assert "\x1b[" not in dbt_log.read_text()


# --- finding the dbt project ------------------------------------------------------------------


def test_build_finds_the_project_from_a_subfolder(
    tmp_path: Path, run_cli, fake_dbt: FakeDbt, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO / "models" / "staging")
    source = write_votes(tmp_path / "v.csv", release(1))
    result = run_cli("build", "--source", source, "--db", tmp_path / "w" / "unga.duckdb")
    assert result.code == 0, result.err
    [call] = fake_dbt.calls()
    assert call["argv"][1:5] == ["--project-dir", str(REPO), "--profiles-dir", str(REPO)]
    assert call["cwd"] == str(REPO)


@pytest.mark.parametrize("how", ["option", "environment"])
def test_build_takes_the_project_it_is_given(
    tmp_path: Path, run_cli, fake_dbt: FakeDbt, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    monkeypatch.chdir(tmp_path)
    source = write_votes(tmp_path / "v.csv", release(1))
    args = ["build", "--source", source, "--db", tmp_path / "w" / "unga.duckdb"]
    if how == "option":
        args[1:1] = ["--project-dir", REPO]
    else:
        monkeypatch.setenv("UNGA_PROJECT_DIR", str(REPO))
    result = run_cli(*args)
    assert result.code == 0, result.err
    assert fake_dbt.calls()[0]["argv"][2] == str(REPO)


def test_build_outside_a_project_is_one_sentence(
    tmp_path: Path, run_cli, fake_dbt: FakeDbt, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "w" / "unga.duckdb"
    result = run_cli("build", "--source", write_votes(tmp_path / "v.csv", release(1)), "--db", db)
    assert result.code == 2
    assert_one_error(result.err, "no dbt project here", "--project-dir", "UNGA_PROJECT_DIR")
    assert fake_dbt.calls() == []
    assert not db.exists()


def test_docs_outside_a_project_is_one_sentence(
    tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("docs", "--db", tmp_path / "unga.duckdb")
    assert result.code == 2
    assert_one_error(result.err, "no dbt project here", "--project-dir", "UNGA_PROJECT_DIR")


@pytest.mark.parametrize(
    ("project_file", "message"),
    [
        (None, "is not the warehouse's project: it has no dbt_project.yml"),
        ("name: other\nversion: '1.0'\n", "is the dbt project 'other', not this warehouse's"),
    ],
    ids=["no-project", "another-project"],
)
def test_a_wrong_project_dir_is_one_sentence(
    tmp_path: Path, run_cli, fake_dbt: FakeDbt, project_file: str | None, message: str
) -> None:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    if project_file:
        (folder / "dbt_project.yml").write_text(project_file)
    db = tmp_path / "w" / "unga.duckdb"
    result = run_cli("build", "--project-dir", folder, "--db", db)
    assert result.code == 2
    assert_one_error(result.err, message)
    assert fake_dbt.calls() == []


INSTALLED = """
import sys
import unga.pipeline
unga.pipeline.dbt_executable = lambda: sys.argv[1]
from unga import cli
print(cli.__file__)
sys.exit(cli.main(sys.argv[2:]))
"""


def test_a_copy_installed_elsewhere_finds_the_project_it_runs_in(
    tmp_path: Path, fake_dbt: FakeDbt
) -> None:
    """The package outside the checkout (as a wheel installs it): the project is where it runs."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "scripts" / "unga", site / "unga")
    source = write_votes(tmp_path / "v.csv", release(1))
    fake = tmp_path / "fake-bin" / "dbt"
    env = os.environ | {"PYTHONPATH": str(site)}

    def build(cwd: Path, db: Path) -> subprocess.CompletedProcess[str]:
        argv = ["build", "--source", str(source), "--db", str(db)]
        return subprocess.run(
            [str(UNGA_BIN.with_name("python")), "-c", INSTALLED, str(fake), *argv],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    inside = build(REPO / "models", tmp_path / "a" / "unga.duckdb")
    assert inside.returncode == 0, inside.stderr
    assert inside.stdout.strip() == str(site / "unga" / "cli.py")
    assert fake_dbt.calls()[0]["argv"][2] == str(REPO)
    outside = build(tmp_path, tmp_path / "b" / "unga.duckdb")
    assert outside.returncode == 2
    assert_one_error(outside.stderr, "no dbt project here")

"""Loading Voeten's data in his own Dataverse layout (UNVotes.csv; `unga load --kind voeten`).

There is no real copy of that file beside the project: the tests write a small one the way R's
write.csv writes the original (quoted strings, NA for missing values, extra columns), and one
test runs dbt on it to check the vote codes and the Correlates of War country numbers.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from extra_sources_kit import dataverse_row, dataverse_sample, dataverse_text, write_text
from testkit import REPO, assert_one_error, fingerprint, query, scalar


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "wh" / "unga.duckdb"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return write_text(tmp_path / "UNVotes.csv", dataverse_text(dataverse_sample()))


def test_loads_the_sample(db: Path, sample: Path, run_cli) -> None:
    result = run_cli("load", "--kind", "voeten", "--source", sample, "--db", db)
    assert result.code == 0, result.err
    assert "loaded 8 of 8 rows (0 rejected)" in result.err
    # columns the loader does not keep are named
    assert "column(s) not loaded: year, abstain, yes, no, ident, resid" in result.err
    [log] = query(
        db,
        "select source_kind, header_layout, rows_read, rows_loaded, rows_rejected "
        "from raw.load_log",
    )
    assert log == ("voeten", "voeten-dataverse", 8, 8, 0)
    rows = query(
        db,
        "select rcid, ccode, member, vote, date, unres, importantvote, amend, me, hr, ec, "
        "country, countryname from raw.voeten_votes order by source_row",
    )
    assert rows[0][:7] == (5001, 2, "1", "1", rows[0][4], "R/68/262", "1")
    assert str(rows[0][4]) == "2014-03-27"
    assert rows[0][8:11] == ("0", "0", "1")
    # R's NA is read as missing
    assert rows[5][6:8] == (None, None)
    assert rows[5][11:] == ("RUS", "Russia")


def test_gzip_and_columns_in_another_order(tmp_path: Path, db: Path, run_cli) -> None:
    text = dataverse_text(dataverse_sample())
    header, *lines = text.splitlines()
    # move the first column (rcid) to the end
    reordered = [",".join([*line.split(",")[1:], line.split(",")[0]]) for line in [header]]
    body = []
    for line in lines:
        # the descr field has no comma in the sample, so a plain split is safe here
        fields = line.split(",")
        body.append(",".join([*fields[1:], fields[0]]))
    path = write_text(tmp_path / "UNVotes.csv.gz", "\n".join(reordered + body) + "\n")
    result = run_cli("load", "--kind", "voeten", "--source", path, "--db", db)
    assert result.code == 0, result.err
    assert scalar(db, "select count(distinct rcid) from raw.voeten_votes") == 2


def test_bad_rows_are_rejected(tmp_path: Path, db: Path, run_cli) -> None:
    rows = [
        *dataverse_sample(),
        dataverse_row(5001, 2, 1),  # duplicate of the first row
        dataverse_row(5001, 20, 4, country="CAN", name="Canada"),
        dataverse_row(5001, "NA", 1, country="XXX", name="Nowhere"),
        dataverse_row(5002, 20, 1, date="27/03/2014", country="CAN", name="Canada"),
        dataverse_row(5002, 200, 1, member=2, country="UKG", name="United Kingdom"),
        dataverse_row("5002a", 200, 1, country="UKG", name="United Kingdom"),
    ]
    path = write_text(tmp_path / "UNVotes.csv", dataverse_text(rows))
    result = run_cli("load", "--kind", "voeten", "--source", path, "--db", db)
    assert result.code == 0, result.err
    reasons = dict(
        query(db, "select source_row, reason from raw.voeten_rejected_rows order by source_row")
    )
    assert reasons == {
        9: "duplicate of row 1 (same rcid and ccode)",
        10: "bad vote 4 (expected 1 yes, 2 abstain, 3 no, 8 absent or 9 not a member)",
        11: "missing ccode",
        12: "bad date 27/03/2014 (expected YYYY-MM-DD)",
        13: "bad member, importantvote, amend, para or issue flag (expected 0, 1 or blank)",
        14: "rcid is not a whole number: 5002a",
    }
    [(read, loaded, rejected)] = query(
        db, "select rows_read, rows_loaded, rows_rejected from raw.load_log"
    )
    assert (read, loaded, rejected) == (14, 8, 6)


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ('"rcid","country","vote"\n1,"USA",1\n', ("missing column(s) ccode, date",)),
        ("", ("is empty",)),
        (dataverse_text([]), ("header but no vote rows",)),
    ],
    ids=["not-dataverse", "empty", "header-only"],
)
def test_user_mistakes_are_one_sentence(
    tmp_path: Path, db: Path, run_cli, text: str, fragments: tuple[str, ...]
) -> None:
    path = write_text(tmp_path / "UNVotes.csv", text)
    result = run_cli("load", "--kind", "voeten", "--source", path, "--db", db)
    assert result.code == 2
    assert_one_error(result.err, *fragments)


def test_a_folder_is_not_the_file(tmp_path: Path, db: Path, run_cli) -> None:
    result = run_cli("load", "--kind", "voeten", "--source", tmp_path, "--db", db)
    assert result.code == 2
    assert_one_error(result.err, "is not a file")


def test_same_file_again_is_unchanged(db: Path, sample: Path, run_cli) -> None:
    assert run_cli("load", "--kind", "voeten", "--source", sample, "--db", db).code == 0
    before = fingerprint(db, "raw.voeten_votes", "source_row")
    again = run_cli("load", "--kind", "voeten", "--source", sample, "--db", db)
    assert "unchanged since the last load" in again.err
    assert fingerprint(db, "raw.voeten_votes", "source_row") == before


def test_source_from_the_environment(db: Path, sample: Path, run_cli, monkeypatch) -> None:
    monkeypatch.setenv("UNGA_VOETEN_CSV", str(sample))
    result = run_cli("load", "--kind", "voeten", "--db", db)
    assert result.code == 0, result.err
    assert scalar(db, "select count(*) from raw.voeten_votes") == 8


def test_dbt_maps_codes_and_countries(tmp_path: Path, db: Path, sample: Path, run_cli) -> None:
    """Vote codes 1/2/3/8/9, and COW numbers by date: 365 is the USSR in 1990 and Russia in
    2014, 345 Serbia in 2014, 260 (West Germany) Germany; Taiwan's non-member row drops out."""
    assert run_cli("load", "--kind", "voeten", "--source", sample, "--db", db).code == 0
    env = os.environ | {
        "UNGA_DB": str(db),
        "DBT_TARGET_PATH": str(tmp_path / "target"),
        "DBT_LOG_PATH": str(tmp_path / "logs"),
    }
    completed = subprocess.run(
        [
            str(REPO / ".venv" / "bin" / "dbt"),
            "build",
            "--project-dir",
            str(REPO),
            "--profiles-dir",
            str(REPO),
            "--select",
            "+int_voeten_votes_mapped",
            "+int_voeten_roll_calls",
            "--indirect-selection",
            "cautious",
        ],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stdout[-3000:]
    mapped = query(
        db,
        "select rcid, country_code, vote from intermediate.int_voeten_votes_mapped "
        "where source = 'voeten' order by rcid, country_code",
    )
    assert mapped == [
        (3001, "DEU", "Y"),
        (3001, "SUN", "Y"),
        (5001, "CHN", "A"),
        (5001, "RUS", "N"),
        (5001, "SRB", "X"),
        (5001, "USA", "Y"),
    ]
    roll_calls = query(
        db,
        "select rcid, symbol_key, issue_codes, is_resolution_vote "
        "from intermediate.int_voeten_roll_calls order by rcid",
    )
    assert roll_calls == [(3001, "45/11", ["hr"], True), (5001, "68/262", ["ec"], True)]

"""Loading the DGACM resolution extracts (JSON lines; `unga load --kind dgacm`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from extra_sources_kit import SHARED_DATA, dgacm_record, write_dgacm
from testkit import assert_one_error, fingerprint, load_file, query, scalar
from unga.loading import dgacm


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "wh" / "unga.duckdb"


def test_parse_date_reads_the_forms_of_the_files() -> None:
    assert str(dgacm.parse_date("22 September 2021")) == "2021-09-22"
    assert str(dgacm.parse_date("15\xa0December 2025")) == "2025-12-15"
    assert str(dgacm.parse_date("2019-12-18 00:00:00")) == "2019-12-18"
    assert dgacm.parse_date("") is None
    assert dgacm.parse_date(20191218) is None


def test_loads_a_folder_of_files(tmp_path: Path, db: Path, run_cli) -> None:
    folder = tmp_path / "data_extract"
    write_dgacm(
        folder / "76.json",
        [
            dgacm_record("A/RES/76/1"),
            dgacm_record(
                "A/RES/76/2",
                adoption_type="Without a vote",
                adoption_date="2019-12-18 00:00:00",
                MS_in_favour_count="N.A.",
                MS_against_count="N.A.",
                MS_in_favour=[],
                MS_against=[],
            ),
        ],
    )
    write_dgacm(
        folder / "ES-11.json", [dgacm_record("A/RES/ES-11/1", adoption_date="2\xa0March 2022")]
    )
    (folder / "README.md").write_text("not an extract")
    result = run_cli("load", "--kind", "dgacm", "--source", folder, "--db", db)
    assert result.code == 0, result.err
    assert "loaded 3 of 3 rows (0 rejected)" in result.err
    rows = query(
        db,
        "select source_file, source_row, symbol, adoption_date, ms_in_favour, ms_against, "
        "subjects, ms_abstaining_count from raw.dgacm_resolutions order by source_file, source_row",
    )
    assert [r[:3] for r in rows] == [
        ("76.json", 1, "A/RES/76/1"),
        ("76.json", 2, "A/RES/76/2"),
        ("ES-11.json", 1, "A/RES/ES-11/1"),
    ]
    assert [str(r[3]) for r in rows] == ["2021-09-22", "2019-12-18", "2022-03-02"]
    assert rows[0][4] == ["FRANCE", "CÔTE D'IVOIRE"]
    assert rows[0][6] == ["UKRAINE--POLITICAL CONDITIONS"]
    assert rows[0][7] == "N.A."
    assert rows[1][4] == []
    # the whole line is kept
    record = json.loads(
        scalar(
            db,
            "select record from raw.dgacm_resolutions "
            "where source_row = 1 and source_file = '76.json'",
        )
    )
    assert record["sponsors"] == ["UKRAINE"]
    [log] = query(db, "select source_kind, file_name, rows_read, rows_loaded from raw.load_log")
    assert log == ("dgacm", "data_extract", 3, 3)


def test_a_single_file_is_a_source_too(tmp_path: Path, db: Path, run_cli) -> None:
    path = write_dgacm(tmp_path / "75.json", [dgacm_record("A/RES/75/1")])
    result = run_cli("load", "--kind", "dgacm", "--source", path, "--db", db)
    assert result.code == 0, result.err
    assert scalar(db, "select symbol from raw.dgacm_resolutions") == "A/RES/75/1"


def test_bad_lines_are_rejected_with_the_reason(tmp_path: Path, db: Path, run_cli) -> None:
    good = dgacm_record("A/RES/79/266")
    path = write_dgacm(
        tmp_path / "79.json",
        [
            good,
            good,  # identical: rejected as a duplicate
            dgacm_record("A/RES/79/266", additional_sponsors=["CUBA"]),  # differs: kept
            "{not json",
            "",
            '["a", "list"]',
            dgacm_record(""),
            dgacm_record("A/RES/79/3", adoption_date="sometime"),
            dgacm_record("A/RES/79/4", MS_against_count="two"),
            dgacm_record("A/RES/79/5", MS_in_favour="FRANCE"),
            dgacm_record("A/RES/79/6", subjects="PEACE"),
        ],
    )
    result = run_cli("load", "--kind", "dgacm", "--source", path, "--db", db)
    assert result.code == 0, result.err
    reasons = dict(
        query(db, "select source_row, reason from raw.dgacm_rejected_rows order by source_row")
    )
    assert reasons == {
        2: "duplicate of 79.json line 1 (identical record)",
        4: "not valid JSON: Expecting property name enclosed in double quotes",
        5: "empty line",
        6: "not a JSON object",
        7: "missing symbol",
        8: "bad adoption_date 'sometime' (expected e.g. 22 September 2021)",
        9: "bad MS_against_count 'two' (expected a whole number or N.A.)",
        10: "MS_in_favour is not a list of names",
        11: "subjects is not a list of [term, thesaurus] pairs",
    }
    assert query(db, "select source_row from raw.dgacm_resolutions order by 1") == [(1,), (3,)]
    [(read, loaded, rejected)] = query(
        db, "select rows_read, rows_loaded, rows_rejected from raw.load_log"
    )
    assert (read, loaded, rejected) == (11, 2, 9)
    # the line that is not JSON is kept as text
    assert scalar(db, "select record from raw.dgacm_rejected_rows where source_row = 4") == (
        '"{not json"'
    )


def test_same_files_again_are_unchanged(tmp_path: Path, db: Path, run_cli) -> None:
    folder = tmp_path / "x"
    write_dgacm(folder / "76.json", [dgacm_record()])
    assert run_cli("load", "--kind", "dgacm", "--source", folder, "--db", db).code == 0
    before = fingerprint(db, "raw.dgacm_resolutions", "source_file, source_row")
    again = run_cli("load", "--kind", "dgacm", "--source", folder, "--db", db)
    assert again.code == 0
    assert "unchanged since the last load" in again.err
    assert fingerprint(db, "raw.dgacm_resolutions", "source_file, source_row") == before
    # a new file in the folder is a new release
    write_dgacm(folder / "77.json", [dgacm_record("A/RES/77/1")])
    assert run_cli("load", "--kind", "dgacm", "--source", folder, "--db", db).code == 0
    assert scalar(db, "select count(*) from raw.dgacm_resolutions") == 2


def _latin1_file(folder: Path) -> Path:
    path = folder / "latin1.json"
    path.write_bytes('{"symbol": "caf\xe9"}\n'.encode("latin-1"))
    return path


@pytest.mark.parametrize(
    ("setup", "fragments"),
    [
        (lambda p: (p / "e").mkdir() or p / "e", ("holds no .json files",)),
        (lambda p: p / "nope", ("does not exist",)),
        (lambda p: write_dgacm(p / "x.json", ["{bad", "[1]"]), ("none of the 2 rows", "x.json")),
        (_latin1_file, ("latin1.json is not UTF-8",)),
    ],
    ids=["empty-folder", "missing", "nothing-loadable", "not-utf8"],
)
def test_user_mistakes_are_one_sentence(
    tmp_path: Path, db: Path, run_cli, setup, fragments: tuple[str, ...]
) -> None:
    result = run_cli("load", "--kind", "dgacm", "--source", setup(tmp_path), "--db", db)
    assert result.code == 2
    assert_one_error(result.err, *fragments)


REAL = SHARED_DATA / "dgacm"


@pytest.mark.real_data
@pytest.mark.skipif(not (REAL / "75.json").is_file(), reason=f"no real data at {REAL}")
def test_real_extracts_load(db: Path) -> None:
    report = load_file(dgacm.KIND, REAL, db)
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2_232, 2_226, 6)
    reasons = query(db, "select reason from raw.dgacm_rejected_rows")
    assert all(r[0].endswith("(identical record)") for r in reasons)
    # every date was read, the no-break spaces and the ISO timestamps of 74.json included
    assert scalar(db, "select count(*) from raw.dgacm_resolutions where adoption_date is null") == 0
    assert (
        scalar(
            db,
            "select count(*) from raw.dgacm_resolutions "
            "where adoption_type = 'By a recorded vote' and len(ms_in_favour) > 0",
        )
        >= 700
    )

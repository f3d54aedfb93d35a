"""`unga export`: marts as CSV and Stata .dta with variable labels, on the real serving copy."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from conftest import Published
from testkit import assert_one_error
from unga import export


def test_labels_fit_stata() -> None:
    assert export._label("  Share of\n identical   votes ") == "Share of identical votes"
    long = export._label("word " * 40)
    assert len(long) == 80 and long.endswith("...")
    assert export._label(None) == ""


def test_stata_frame_holds_what_stata_can() -> None:
    frame = pd.DataFrame(
        {
            "flag": [True, False],
            "count": pd.array([1, None], dtype="Int64"),
            "day": pd.to_datetime(["2014-03-27", "2022-03-02"]),
            "codes": [["RUS", "CHN"], []],
            "name": ["Türkiye", None],
        }
    )
    out, dates, long_strings = export.stata_frame(frame)
    assert out["flag"].tolist() == [1, 0]
    assert out["count"].iloc[0] == 1 and pd.isna(out["count"].iloc[1])
    assert dates == {"day": "td"} and long_strings == []
    assert out["codes"].tolist() == ["RUS; CHN", ""]
    assert out["name"].tolist() == ["Türkiye", ""]


@pytest.mark.real_data
def test_export_writes_csv_and_labelled_dta(published: Published, run_cli, tmp_path: Path) -> None:
    marts = ["fct_focal_cohesion", "dim_roll_calls", "dim_years"]
    result = run_cli(
        "export", "--serving", published.serving, "--out-dir", tmp_path, "--marts", ",".join(marts)
    )
    assert result.code == 0, result.err
    con = duckdb.connect(str(published.serving), read_only=True)
    try:
        for mart in marts:
            rows = con.execute(f"select count(*) from marts.{mart}").fetchone()[0]
            assert f"exported {mart}: {rows:,} rows" in result.err
            assert len(pd.read_csv(tmp_path / f"{mart}.csv")) == rows
            assert len(pd.read_stata(tmp_path / f"{mart}.dta")) == rows
            comments = dict(
                con.execute(
                    "select column_name, comment from duckdb_columns() "
                    "where schema_name = 'marts' and table_name = ?",
                    [mart],
                ).fetchall()
            )
            with pd.io.stata.StataReader(tmp_path / f"{mart}.dta") as reader:
                labels = reader.variable_labels()
                assert reader.data_label
            assert set(labels) == set(comments)
            for column, comment in comments.items():
                assert labels[column] == export._label(comment)
                assert labels[column], column  # every column is described
    finally:
        con.close()
    cohesion = pd.read_stata(tmp_path / "fct_focal_cohesion.dta")
    [china] = cohesion[
        (cohesion.period_type == "window")
        & (cohesion.topic_code == "all")
        & (cohesion.reference_country == "CHN")
    ].itertuples()
    assert round(china.identical_share, 3) == 0.818 and china.n_roll_calls == 1319
    years = pd.read_stata(tmp_path / "dim_years.dta").set_index("year")
    assert years.loc[2025, "is_partial"] == 1 and years.loc[2024, "is_partial"] == 0
    assert str(years.loc[2025, "last_vote_date"])[:10] == "2025-10-29"
    roll_calls = pd.read_csv(tmp_path / "dim_roll_calls.csv")
    # titles come without the catalogue's tail (a title may still speak of decisions "adopted by
    # the General Assembly at its 10th special session")
    assert not roll_calls.title.str.contains(r":\s*resolution\s*/", regex=True, na=False).any()
    assert roll_calls.title.str.contains("adopted by the General Assembly at its", na=False).any()


@pytest.mark.real_data
def test_export_default_goes_beside_the_parquet_files(published: Published, tmp_path: Path) -> None:
    assert export.export_dir_for(published.serving) == published.serving.parent / "export"
    assert set(export.DEFAULT_MARTS) <= set(published.manifest["marts"])


@pytest.mark.real_data
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--marts", "nope"), "no mart nope in the serving copy"),
        (("--formats", "xlsx"), "unknown format xlsx"),
    ],
)
def test_export_errors(
    published: Published, run_cli, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    result = run_cli("export", "--serving", published.serving, "--out-dir", tmp_path, *args)
    assert result.code == 2
    assert_one_error(result.err, message)
    assert not list(tmp_path.iterdir())

"""`unga ideal-points compare`: the comparison SQL on a small warehouse and a small file of
Voeten's layout, with the matching worked out by hand, and its one-sentence errors."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pytest

# (country_code, year, ours) and Voeten's (ccode, session, NVotes, IdealPoint)
OURS = [
    ("USA", 1970, 2.0, 40),
    ("CHN", 1970, 1.0, 30),  # the Republic of China's seat: Voeten's 713 (raw.voeten_country_codes)
    ("SUN", 1970, -2.0, 40),
    ("FRA", 1970, 1.5, 40),
    ("USA", 1971, 2.0, 50),
    ("CHN", 1971, -1.0, 45),  # Voeten has 713 (8 votes) and 710 (48): 710 is taken
    ("SUN", 1971, -2.0, 50),
    ("FRA", 1971, 1.0, 50),
    ("USA", 1992, 2.5, 60),
    ("RUS", 1992, 0.5, 60),  # 365 is the USSR and Russia: Russia is the member in 1992
    ("FRA", 1992, 1.5, 60),
    ("ITA", 1992, 1.2, 60),  # no row in Voeten's file
]
VOETEN = [
    (2, 25, 40, 1.8),
    (713, 25, 30, 0.9),
    (365, 25, 40, -2.2),
    (220, 25, 40, 1.4),
    (2, 26, 50, 1.9),
    (713, 26, 8, 0.9),
    (710, 26, 48, -0.9),
    (365, 26, 50, -2.0),
    (220, 26, 50, 1.2),
    (2, 47, 60, 2.4),
    (365, 47, 60, 0.7),
    (220, 47, 60, 1.3),
    (999, 47, 3, 0.1),  # a code the warehouse does not know
]
# The pairs the SQL must form, by hand.
MATCHED = {
    1970: [(2.0, 1.8), (1.0, 0.9), (-2.0, -2.2), (1.5, 1.4)],
    1971: [(2.0, 1.9), (-1.0, -0.9), (-2.0, -2.0), (1.0, 1.2)],
    1992: [(2.5, 2.4), (0.5, 0.7), (1.5, 1.3)],
}


def _corr(pairs: list[tuple[float, float]]) -> float:
    x, y = zip(*pairs, strict=True)
    return float(np.corrcoef(x, y)[0, 1])


@pytest.fixture
def small(tmp_path: Path) -> tuple[Path, Path]:
    db = tmp_path / "unga.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema marts")
    con.execute("create schema raw")
    con.execute("create table marts.dim_countries (country_code varchar, cow_code integer)")
    con.execute(
        "insert into marts.dim_countries values ('USA', 2), ('CHN', 710), ('SUN', 365), "
        "('RUS', 365), ('FRA', 220), ('ITA', 325)"
    )
    con.execute(
        "create table raw.voeten_country_codes "
        "(source varchar, code_type varchar, source_code varchar, country_code varchar)"
    )
    con.execute("insert into raw.voeten_country_codes values ('voeten', 'cow_code', '713', 'CHN')")
    con.execute(
        "create table marts.fct_ideal_points "
        "(country_code varchar, year integer, ideal_point double, n_votes integer)"
    )
    con.executemany("insert into marts.fct_ideal_points values (?, ?, ?, ?)", OURS)
    con.close()
    csv = tmp_path / "IdealpointestimatesAll_Apr2020.csv"
    lines = ["Row,ccode,session,NVotes,IdealPoint,QO%,iso3c,Countryname"]
    lines += [f"{i},{c},{s},{n},{v},0,XXX,Somewhere" for i, (c, s, n, v) in enumerate(VOETEN)]
    csv.write_text("\n".join(lines) + "\n")
    return db, csv


def test_comparison_matches_by_cow_code_and_session_and_correlates(small, run_cli):
    db, csv = small
    from unga.ideal_points.compare import compare

    result = compare(db, csv, top=3)
    a = result.agreement
    counts = (a.n_voeten_rows, a.n_matched, a.n_voeten_unmatched, a.n_ours_unmatched)
    assert counts == (13, 11, 2, 1)  # unmatched: 713 in 1971 and 999; ITA in 1992
    by_year = {year: (n, r) for year, n, r in result.by_year}
    for year, pairs in MATCHED.items():
        assert by_year[year][0] == len(pairs)
        assert by_year[year][1] == pytest.approx(_corr(pairs), abs=1e-12)
    pooled = [p for pairs in MATCHED.values() for p in pairs]
    assert a.pooled_correlation == pytest.approx(_corr(pooled), abs=1e-12)
    yearly = [_corr(pairs) for pairs in MATCHED.values()]
    assert a.median_year_correlation == pytest.approx(float(np.median(yearly)), abs=1e-12)
    assert a.lowest_year_correlation_from_1950 == pytest.approx(min(yearly), abs=1e-12)
    assert a.lowest_year_from_1950 == list(MATCHED)[int(np.argmin(yearly))]
    # the largest disagreement: distance from the pooled least-squares line of ours on Voeten's
    x, y = (np.array(v) for v in zip(*[(v, o) for o, v in pooled], strict=True))
    slope, intercept = np.polyfit(x, y, 1)
    residuals = y - (intercept + slope * x)
    assert abs(result.disagreements[0][5]) == pytest.approx(np.abs(residuals).max(), abs=1e-9)

    shown = run_cli("ideal-points", "compare", "--voeten", csv, "--db", db, "--by-year")
    assert shown.code == 0, shown.err
    assert f"pooled correlation, all country-years: {a.pooled_correlation:.4f}" in shown.out
    assert "1971       4" in shown.out


def test_a_latin1_file_is_read(small):
    db, csv = small
    from unga.ideal_points.compare import compare

    latin = csv.with_name("latin1.csv")
    latin.write_bytes(csv.read_text().replace("Somewhere", "Côte d'Ivoire").encode("latin-1"))
    assert compare(db, latin).agreement.n_matched == 11


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("ccode,session,Score\n2,1,0.5\n", "is not Voeten's ideal-point file: it has no column"),
        ("ccode,session,NVotes,IdealPoint\n2,1,40,abc\n", "cannot compare with"),
        ("ccode,session,NVotes,IdealPoint\n999,1,40,0.5\n", "no country-session of"),
    ],
)
def test_a_file_that_does_not_fit_gets_one_sentence(small, run_cli, tmp_path, content, message):
    db, _ = small
    bad = tmp_path / "bad.csv"
    bad.write_text(content)
    shown = run_cli("ideal-points", "compare", "--voeten", bad, "--db", db)
    assert shown.code == 2
    assert message in shown.err
    assert "Traceback" not in shown.err and len(shown.err.strip().splitlines()) == 1


def test_missing_file_or_warehouse(small, run_cli, tmp_path):
    db, csv = small
    shown = run_cli("ideal-points", "compare", "--voeten", tmp_path / "nope.csv", "--db", db)
    assert shown.code == 2 and "does not exist" in shown.err
    shown = run_cli("ideal-points", "compare", "--voeten", csv, "--db", tmp_path / "none.duckdb")
    assert shown.code == 2 and "make build" in shown.err

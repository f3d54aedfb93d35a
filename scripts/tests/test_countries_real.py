"""Country identities on the real data (docs/COUNTRIES.md): the China seat split between the
Republic of China (TWN) and the People's Republic (CHN) on 25 October 1971, the Federal Republic
of Yugoslavia under SCG, and no code voting once its seat has passed on."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import Built
from testkit import query

pytestmark = pytest.mark.real_data

RES_2758 = "A/RES/2758(XXVI)"


def _rows(built: Built, sql: str) -> list[tuple]:
    return query(built.db, sql)


def test_the_china_seat_is_two_states(built: Built) -> None:
    spans = dict(
        (code, (first, last))
        for code, first, last in _rows(
            built,
            "select country_code, min(vote_date), max(vote_date) from marts.fct_votes "
            "where country_code in ('TWN', 'CHN') group by 1",
        )
    )
    assert spans["TWN"][0] == dt.date(1946, 1, 26)
    assert spans["TWN"][1] == dt.date(1971, 10, 25)
    assert spans["CHN"][0] > dt.date(1971, 10, 25)
    # the vote on resolution 2758 (XXVI) is the Republic of China's, listed non-voting
    [(code, vote)] = _rows(
        built,
        "select votes.country_code, votes.vote from marts.fct_votes as votes "
        "inner join marts.dim_roll_calls as roll_calls using (roll_call_id) "
        f"where roll_calls.resolution_symbol = '{RES_2758}' "
        "and votes.member_state_name = 'CHINA'",
    )
    assert (code, vote) == ("TWN", "X")
    countries = {
        code: rest
        for code, *rest in _rows(
            built,
            "select country_code, cow_code, series_code, is_historical, member_to "
            "from marts.dim_countries where country_code in ('TWN', 'CHN')",
        )
    }
    assert countries["TWN"] == [713, "CHN", True, dt.date(1971, 10, 25)]
    assert countries["CHN"] == [710, "CHN", False, None]


def test_voeten_codes_follow_the_same_split(built: Built) -> None:
    mapped = _rows(
        built,
        "select source_code, country_code, count(*) from intermediate.int_voeten_votes_mapped "
        "where source_code in ('TW', 'CN') group by 1, 2 order by 1, 2",
    )
    assert [(code, country) for code, country, _ in mapped] == [("CN", "CHN"), ("TW", "TWN")]
    # the UN Digital Library and Voeten agree on the votes of both codes where both hold them
    for code, both, differ in _rows(
        built,
        "select country_code, count(*), count(*) filter (where vote_undl <> vote_unvotes) "
        "from intermediate.int_reconciliation_votes where country_code in ('TWN', 'CHN') "
        "and vote_undl is not null and vote_unvotes is not null group by 1",
    ):
        assert both > 50 and differ <= 0.02 * both, code


def test_the_federal_republic_of_yugoslavia_is_serbia_and_montenegro(built: Built) -> None:
    spans = {
        (code, name, member): (first, last)
        for code, name, member, first, last in _rows(
            built,
            "select country_code, member_state_name, is_member, min(vote_date), "
            "max(vote_date) from marts.fct_votes where country_code in ('YUG', 'SCG') "
            "group by 1, 2, 3",
        )
    }
    assert spans[("YUG", "YUGOSLAVIA", True)][1] <= dt.date(1992, 9, 22)
    # the vacant seat of 1992-2000 stays with the SFRY, listed non-voting and not a member
    assert spans[("YUG", "YUGOSLAVIA", False)][1] < dt.date(2000, 11, 1)
    assert spans[("SCG", "YUGOSLAVIA", True)][0] >= dt.date(2000, 11, 1)
    assert spans[("SCG", "YUGOSLAVIA", True)][1] < dt.date(2003, 2, 4)
    assert spans[("SCG", "SERBIA AND MONTENEGRO", True)][1] <= dt.date(2006, 6, 3)


def test_no_code_votes_after_its_seat_passed_on(built: Built) -> None:
    late = _rows(
        built,
        "select countries.country_code, max(votes.vote_date), any_value(countries.member_to) "
        "from marts.fct_votes as votes inner join marts.dim_countries as countries "
        "using (country_code) where countries.member_to is not null and votes.vote <> 'X' "
        "group by 1 having max(votes.vote_date) > any_value(countries.member_to)",
    )
    assert late == []
    historical = {
        code
        for (code,) in _rows(
            built, "select country_code from marts.dim_countries where is_historical"
        )
    }
    assert historical == {"SUN", "YUG", "CSK", "DDR", "YMD", "SCG", "XZN", "TWN"}

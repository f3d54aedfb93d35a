"""Topics and reconciliation on the real data (Voeten's unvotes and the DGACM extracts loaded)."""

from __future__ import annotations

import pytest
from conftest import SHARED_DATA, Built
from testkit import query

pytestmark = [
    pytest.mark.real_data,
    pytest.mark.skipif(
        not (SHARED_DATA / "unvotes").is_dir() or not (SHARED_DATA / "dgacm").is_dir(),
        reason="Voeten's unvotes files or the DGACM extracts are not in the shared data",
    ),
]

VOETEN_TOPICS = ("me", "nu", "di", "hr", "co", "ec")


def test_classification_meets_the_target_on_both_periods(built: Built) -> None:
    rows = query(
        built.db,
        "select period, topic_code, f1 from audit.topic_classification_quality "
        "where topic_code in ('me', 'nu', 'di', 'hr', 'co', 'ec')",
    )
    by_period: dict[str, dict[str, float]] = {}
    for period, topic, f1 in rows:
        by_period.setdefault(period, {})[topic] = f1
    assert len(by_period) >= 2  # the years the rules were fitted on, and the later years
    for period, scores in by_period.items():
        assert set(scores) == set(VOETEN_TOPICS), period
        assert min(scores.values()) >= 0.7, (period, scores)
        assert sum(scores.values()) / len(scores) >= 0.8, (period, scores)


def test_foreign_policy_keeps_more_than_a_thousand_roll_calls_2007_2022(built: Built) -> None:
    (n,) = query(
        built.db,
        "select count(distinct topics.roll_call_id) from marts.dim_roll_call_topics as topics "
        "inner join marts.dim_roll_calls as roll_calls using (roll_call_id) "
        "where topics.topic_code = 'foreign_policy' and roll_calls.year between 2007 and 2022",
    )[0]
    assert 1_000 < n < 1_319


def test_sources_agree_on_at_least_99_percent_of_country_votes(built: Built) -> None:
    rows = query(
        built.db,
        "select source_a, source_b, sum(n_votes_compared), sum(n_votes_agree) "
        "from audit.source_reconciliation_pairs group by 1, 2",
    )
    pairs = {(a, b): (compared, agree) for a, b, compared, agree in rows}
    assert len(pairs) >= 2
    for pair, (compared, agree) in pairs.items():
        if compared:
            assert agree / compared >= 0.99, pair
    undl_unvotes = [v for k, v in pairs.items() if set(k) == {"undl", "unvotes"}]
    assert undl_unvotes and undl_unvotes[0][0] > 600_000

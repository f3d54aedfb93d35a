-- Where two sources hold the same roll call (matched by symbol, both with a per-country list),
-- they record the same vote for at least 99% of the countries compared, over all roll calls the
-- pair shares. Fails with the pair and its agreement when a pair falls below. The per-year and
-- per-roll-call figures are in source_reconciliation_by_year and source_reconciliation_pairs.
with

pairs as (

    select * from {{ ref('source_reconciliation_pairs') }}

),

per_pair as (

    select
        pairs.source_a,
        pairs.source_b,
        sum(pairs.n_votes_compared) as n_votes_compared,
        sum(pairs.n_votes_agree) as n_votes_agree
    from pairs
    group by pairs.source_a, pairs.source_b

)

select
    per_pair.source_a,
    per_pair.source_b,
    per_pair.n_votes_compared,
    per_pair.n_votes_agree,
    round(100.0 * per_pair.n_votes_agree / per_pair.n_votes_compared, 3) as agreement_pct
from per_pair
where
    per_pair.n_votes_compared > 0
    and per_pair.n_votes_agree < 0.99 * per_pair.n_votes_compared

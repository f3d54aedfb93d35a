{#- Per calendar year and pair of sources: how many roll calls each holds, how many both hold,
    how many per-country votes were compared and agree, and on how many roll calls the totals
    disagree. -#}
{%- set pairs = reconciliation_source_pairs() %}
with

roll_calls as (

    select * from {{ ref('source_reconciliation') }}

),

pairs as (

    select * from {{ ref('source_reconciliation_pairs') }}

),

held as (

    {% for a, b in pairs %}
    select
        roll_calls.year,
        '{{ a }}' as source_a,
        '{{ b }}' as source_b,
        count(*) filter (where roll_calls.in_{{ a }}) as n_roll_calls_a,
        count(*) filter (where roll_calls.in_{{ b }}) as n_roll_calls_b
    from roll_calls
    group by roll_calls.year
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

compared as (

    select
        pairs.year,
        pairs.source_a,
        pairs.source_b,
        count(*) as n_roll_calls_both,
        sum(pairs.n_votes_compared) as n_votes_compared,
        sum(pairs.n_votes_agree) as n_votes_agree,
        count(*) filter (where pairs.n_vote_disagreements > 0)
            as n_roll_calls_with_vote_disagreements,
        count(*) filter (where not pairs.totals_agree) as n_roll_calls_with_total_disagreements
    from pairs
    group by pairs.year, pairs.source_a, pairs.source_b

),

final as (

    select
        held.year,
        held.source_a,
        held.source_b,
        cast(held.n_roll_calls_a as integer) as n_roll_calls_a,
        cast(held.n_roll_calls_b as integer) as n_roll_calls_b,
        cast(coalesce(compared.n_roll_calls_both, 0) as integer) as n_roll_calls_both,
        cast(coalesce(compared.n_votes_compared, 0) as integer) as n_votes_compared,
        cast(coalesce(compared.n_votes_agree, 0) as integer) as n_votes_agree,
        case
            when compared.n_votes_compared > 0
                then
                    cast(round(
                        100.0 * compared.n_votes_agree / compared.n_votes_compared, 2
                    ) as double)
        end as vote_agreement_pct,
        cast(coalesce(compared.n_roll_calls_with_vote_disagreements, 0) as integer)
            as n_roll_calls_with_vote_disagreements,
        cast(coalesce(compared.n_roll_calls_with_total_disagreements, 0) as integer)
            as n_roll_calls_with_total_disagreements
    from held
    left join compared
        on
            held.year = compared.year
            and held.source_a = compared.source_a
            and held.source_b = compared.source_b
    where held.n_roll_calls_a > 0 or held.n_roll_calls_b > 0

)

select * from final

{#- One row per reconciled roll call and pair of sources that both hold it: the per-country
    votes compared (where both sources have a per-country list) and the two sources' totals. -#}
{%- set sources = reconciliation_sources() -%}
{%- set pairs = reconciliation_source_pairs() %}
with

roll_calls as (

    select * from {{ ref('int_reconciliation_roll_calls') }}

),

votes as (

    select * from {{ ref('int_reconciliation_votes') }}

),

keys as (

    select
        roll_calls.reconciled_key,
        coalesce(
            min(roll_calls.vote_date) filter (where roll_calls.source = 'undl'),
            min(roll_calls.vote_date) filter (where roll_calls.source = 'dgacm'),
            min(roll_calls.vote_date)
        ) as vote_date,
        coalesce(
            min(roll_calls.symbol) filter (where roll_calls.source = 'undl'),
            min(roll_calls.symbol) filter (where roll_calls.source = 'dgacm'),
            min(roll_calls.symbol)
        ) as resolution_symbol,
        {% for source in sources %}
        bool_or(roll_calls.source = '{{ source }}') as in_{{ source }},
        coalesce(
            bool_or(roll_calls.has_vote_list) filter (where roll_calls.source = '{{ source }}'),
            false
        ) as list_{{ source }},
        min(roll_calls.source_roll_call_id) filter (
            where roll_calls.source = '{{ source }}'
        ) as id_{{ source }},
        min(roll_calls.total_yes) filter (where roll_calls.source = '{{ source }}')
            as yes_{{ source }},
        min(roll_calls.total_no) filter (where roll_calls.source = '{{ source }}')
            as no_{{ source }},
        min(roll_calls.total_abstain) filter (where roll_calls.source = '{{ source }}')
            as abstain_{{ source }},
        {% endfor %}
        count(*) as n_source_roll_calls
    from roll_calls
    group by roll_calls.reconciled_key

),

comparisons as (

    select
        votes.reconciled_key,
        {% for a, b in pairs %}
        count(*) filter (
            where {{ vote_is_compared('votes.vote_' ~ a, 'votes.vote_' ~ b) }}
        ) as compared_{{ a }}_{{ b }},
        count(*) filter (
            where {{ vote_is_compared('votes.vote_' ~ a, 'votes.vote_' ~ b) }}
            and {{ votes_agree('votes.vote_' ~ a, 'votes.vote_' ~ b) }}
        ) as agree_{{ a }}_{{ b }},
        {% endfor %}
        count(*) as n_countries
    from votes
    group by votes.reconciled_key

),

pairs as (

    {% for a, b in pairs %}
    select
        keys.reconciled_key,
        keys.resolution_symbol,
        keys.vote_date,
        '{{ a }}' as source_a,
        '{{ b }}' as source_b,
        keys.id_{{ a }} as source_a_roll_call_id,
        keys.id_{{ b }} as source_b_roll_call_id,
        keys.list_{{ a }} and keys.list_{{ b }} as has_vote_lists,
        case
            when keys.list_{{ a }} and keys.list_{{ b }}
                then coalesce(comparisons.compared_{{ a }}_{{ b }}, 0)
            else 0
        end as n_votes_compared,
        case
            when keys.list_{{ a }} and keys.list_{{ b }}
                then coalesce(comparisons.agree_{{ a }}_{{ b }}, 0)
            else 0
        end as n_votes_agree,
        keys.yes_{{ a }} as yes_a,
        keys.no_{{ a }} as no_a,
        keys.abstain_{{ a }} as abstain_a,
        keys.yes_{{ b }} as yes_b,
        keys.no_{{ b }} as no_b,
        keys.abstain_{{ b }} as abstain_b
    from keys
    left join comparisons
        on keys.reconciled_key = comparisons.reconciled_key
    where keys.in_{{ a }} and keys.in_{{ b }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        pairs.reconciled_key,
        pairs.resolution_symbol,
        pairs.vote_date,
        cast(year(pairs.vote_date) as integer) as year,
        pairs.source_a,
        pairs.source_b,
        pairs.source_a_roll_call_id,
        pairs.source_b_roll_call_id,
        pairs.has_vote_lists,
        cast(pairs.n_votes_compared as integer) as n_votes_compared,
        cast(pairs.n_votes_agree as integer) as n_votes_agree,
        cast(pairs.n_votes_compared - pairs.n_votes_agree as integer) as n_vote_disagreements,
        case
            when pairs.n_votes_compared > 0
                then cast(round(100.0 * pairs.n_votes_agree / pairs.n_votes_compared, 2) as double)
        end as vote_agreement_pct,
        pairs.yes_a,
        pairs.no_a,
        pairs.abstain_a,
        pairs.yes_b,
        pairs.no_b,
        pairs.abstain_b,
        (
            pairs.yes_a = pairs.yes_b
            and pairs.no_a = pairs.no_b
            and pairs.abstain_a = pairs.abstain_b
        ) as totals_agree
    from pairs

)

select * from final

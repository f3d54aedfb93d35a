{#- One row per roll call across the sources (UN Digital Library, Voeten's data in the unvotes
    and Dataverse layouts, DGACM extracts): which sources hold it, under which ids, and how many
    per-country votes and totals disagree between them. -#}
{%- set sources = reconciliation_sources() %}
with

roll_calls as (

    select * from {{ ref('int_reconciliation_roll_calls') }}

),

pairs as (

    select * from {{ ref('source_reconciliation_pairs') }}

),

per_key as (

    select
        roll_calls.reconciled_key,
        coalesce(
            min(roll_calls.symbol) filter (where roll_calls.source = 'undl'),
            min(roll_calls.symbol) filter (where roll_calls.source = 'dgacm'),
            min(roll_calls.symbol)
        ) as resolution_symbol,
        coalesce(
            min(roll_calls.vote_date) filter (where roll_calls.source = 'undl'),
            min(roll_calls.vote_date) filter (where roll_calls.source = 'dgacm'),
            min(roll_calls.vote_date)
        ) as vote_date,
        {% for source in sources %}
        bool_or(roll_calls.source = '{{ source }}') as in_{{ source }},
        {% endfor %}
        string_agg(
            roll_calls.source, ', '
            order by case roll_calls.source
                {% for source in sources %}
                when '{{ source }}' then {{ loop.index }}
                {% endfor %}
            end
        ) as sources,
        cast(count(*) as integer) as n_sources,
        min(roll_calls.source_roll_call_id) filter (where roll_calls.source = 'undl')
            as undl_id,
        min(roll_calls.source_roll_call_id) filter (where roll_calls.source = 'unvotes')
            as unvotes_id,
        min(roll_calls.source_roll_call_id) filter (where roll_calls.source = 'voeten')
            as voeten_id,
        min(roll_calls.source_roll_call_id) filter (where roll_calls.source = 'dgacm')
            as dgacm_symbol,
        min(roll_calls.match_basis) as match_basis
    from roll_calls
    group by roll_calls.reconciled_key

),

pair_summary as (

    select
        pairs.reconciled_key,
        cast(count(*) as integer) as n_source_pairs,
        cast(sum(pairs.n_votes_compared) as integer) as n_votes_compared,
        cast(sum(pairs.n_vote_disagreements) as integer) as n_vote_disagreements,
        cast(count(*) filter (where not pairs.totals_agree) as integer) as n_total_disagreements
    from pairs
    group by pairs.reconciled_key

),

final as (

    select
        per_key.reconciled_key,
        per_key.resolution_symbol,
        per_key.vote_date,
        cast(year(per_key.vote_date) as integer) as year,
        {% for source in sources %}
        per_key.in_{{ source }},
        {% endfor %}
        per_key.sources,
        per_key.n_sources,
        cast(per_key.undl_id as bigint) as undl_roll_call_id,
        cast(per_key.unvotes_id as bigint) as unvotes_rcid,
        cast(per_key.voeten_id as bigint) as voeten_rcid,
        per_key.dgacm_symbol,
        per_key.match_basis,
        coalesce(pair_summary.n_source_pairs, 0) as n_source_pairs,
        coalesce(pair_summary.n_votes_compared, 0) as n_votes_compared,
        coalesce(pair_summary.n_vote_disagreements, 0) as n_vote_disagreements,
        coalesce(pair_summary.n_total_disagreements, 0) as n_total_disagreements
    from per_key
    left join pair_summary
        on per_key.reconciled_key = pair_summary.reconciled_key

)

select * from final

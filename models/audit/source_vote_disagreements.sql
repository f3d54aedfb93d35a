{#- Every per-country vote on which two sources that both hold a roll call (and both have a
    per-country list for it) disagree, for review. A null vote means the source does not list
    the country; X is the UN's non-voting or Voeten's absent. -#}
{%- set pairs = reconciliation_source_pairs() %}
with

votes as (

    select * from {{ ref('int_reconciliation_votes') }}

),

pairs as (

    select * from {{ ref('source_reconciliation_pairs') }}

),

disagreements as (

    {% for a, b in pairs %}
    select
        votes.reconciled_key,
        '{{ a }}' as source_a,
        '{{ b }}' as source_b,
        votes.country_code,
        votes.vote_{{ a }} as vote_a,
        votes.vote_{{ b }} as vote_b
    from votes
    where
        {{ vote_is_compared('votes.vote_' ~ a, 'votes.vote_' ~ b) }}
        and not {{ votes_agree('votes.vote_' ~ a, 'votes.vote_' ~ b) }}
    {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        disagreements.reconciled_key,
        pairs.resolution_symbol,
        pairs.vote_date,
        pairs.year,
        disagreements.source_a,
        disagreements.source_b,
        pairs.source_a_roll_call_id,
        pairs.source_b_roll_call_id,
        disagreements.country_code,
        disagreements.vote_a,
        disagreements.vote_b
    from disagreements
    inner join pairs
        on
            disagreements.reconciled_key = pairs.reconciled_key
            and disagreements.source_a = pairs.source_a
            and disagreements.source_b = pairs.source_b
    where pairs.has_vote_lists

)

select * from final

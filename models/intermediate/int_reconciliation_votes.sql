{#- Per reconciled roll call held by two or more sources, and per country: the vote each source
    records (Y, N, A; X for the UN's non-voting and Voeten's absent; null when the source does
    not list the country). Sources without a per-country list for the roll call are left out. -#}
with

roll_calls as (

    select * from {{ ref('int_reconciliation_roll_calls') }}

),

undl_votes as (

    select * from {{ ref('int_votes_mapped') }}

),

voeten_votes as (

    select * from {{ ref('int_voeten_votes_mapped') }}

),

dgacm_votes as (

    select * from {{ ref('int_dgacm_votes_mapped') }}

),

shared as (

    select roll_calls.reconciled_key
    from roll_calls
    where roll_calls.has_vote_list
    group by roll_calls.reconciled_key
    having count(distinct roll_calls.source) >= 2

),

source_votes as (

    select
        'undl' as source,
        cast(undl_votes.roll_call_id as varchar) as source_roll_call_id,
        undl_votes.country_code,
        undl_votes.vote
    from undl_votes
    union all
    select
        voeten_votes.source,
        cast(voeten_votes.rcid as varchar) as source_roll_call_id,
        voeten_votes.country_code,
        voeten_votes.vote
    from voeten_votes
    union all
    select
        'dgacm' as source,
        dgacm_votes.resolution_symbol as source_roll_call_id,
        dgacm_votes.country_code,
        dgacm_votes.vote
    from dgacm_votes

),

keyed as (

    select
        roll_calls.reconciled_key,
        source_votes.source,
        source_votes.country_code,
        source_votes.vote
    from source_votes
    inner join roll_calls
        on
            source_votes.source = roll_calls.source
            and source_votes.source_roll_call_id = roll_calls.source_roll_call_id
    inner join shared
        on roll_calls.reconciled_key = shared.reconciled_key

),

final as (

    select
        keyed.reconciled_key,
        keyed.country_code,
        {% for source in reconciliation_sources() %}
        min(keyed.vote) filter (where keyed.source = '{{ source }}') as vote_{{ source }},
        {% endfor %}
        cast(count(*) as integer) as n_source_rows
    from keyed
    group by keyed.reconciled_key, keyed.country_code

)

select * from final

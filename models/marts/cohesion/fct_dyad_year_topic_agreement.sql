{#- fct_dyad_year_agreement by topic: the same counts and measures over the roll calls of each
    topic (marts.dim_roll_call_topics, multi-label: a roll call counts in each of its topics,
    and in the grouping foreign_policy). A view: about 20 million rows in all, but a query that
    filters on the countries is pushed down into the pairing and answers in well under a
    second. -#}
{{ config(materialized='view') }}

with

votes as (

    select * from {{ ref('fct_votes') }}

),

roll_call_topics as (

    select * from {{ ref('dim_roll_call_topics') }}

),

member_votes as (

    select
        votes.roll_call_id,
        votes.country_code,
        votes.vote,
        votes.year,
        roll_call_topics.topic_code
    from votes
    inner join roll_call_topics
        on votes.roll_call_id = roll_call_topics.roll_call_id
    where votes.is_member

),

pairs as (

    {{ dyad_pair_counts('member_votes', ['year', 'topic_code']) }}

),

mirrored as (

    {{ mirror_dyad_counts('pairs', ['year', 'topic_code']) }}

),

final as (

    select
        mirrored.*,
        {{ dyad_derived_counts('mirrored') }},
        {{ cohesion_measures('mirrored', 'mirrored.year') }}
    from mirrored

)

select * from final

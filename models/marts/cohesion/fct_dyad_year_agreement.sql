with

votes as (

    select * from {{ ref('fct_votes') }}

),

-- Only votes cast while the state was a member: the source also lists some non-members as
-- non-voting.
member_votes as (

    select
        votes.roll_call_id,
        votes.country_code,
        votes.vote,
        votes.year
    from votes
    where votes.is_member

),

pairs as (

    {{ dyad_pair_counts('member_votes', ['year']) }}

),

mirrored as (

    {{ mirror_dyad_counts('pairs', ['year']) }}

),

final as (

    select
        mirrored.*,
        {{ dyad_derived_counts('mirrored') }},
        {{ cohesion_measures('mirrored', 'mirrored.year') }}
    from mirrored

)

select * from final

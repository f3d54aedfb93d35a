with

votes as (

    select * from {{ ref('fct_votes') }}

),

ideal_points as (

    select * from {{ ref('fct_ideal_points') }}

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
        {{ cohesion_measures('mirrored', 'mirrored.year') }},
        abs(ideal_a.ideal_point - ideal_b.ideal_point) as ideal_point_distance
    from mirrored
    left join ideal_points as ideal_a
        on mirrored.country_a = ideal_a.country_code and mirrored.year = ideal_a.year
    left join ideal_points as ideal_b
        on mirrored.country_b = ideal_b.country_code and mirrored.year = ideal_b.year

)

select * from final

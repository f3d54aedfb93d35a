with

votes as (

    select * from {{ ref('fct_votes') }}

),

roll_calls as (

    select * from {{ ref('dim_roll_calls') }}

),

-- Only votes cast while the state was a member.
member_votes as (

    select
        votes.roll_call_id,
        votes.country_code,
        votes.vote,
        roll_calls.session
    from votes
    inner join roll_calls
        on votes.roll_call_id = roll_calls.roll_call_id
    where votes.is_member

),

sessions as (

    select
        roll_calls.session,
        any_value(roll_calls.session_type) as session_type,
        any_value(roll_calls.session_number) as session_number,
        min(roll_calls.year) as first_year,
        max(roll_calls.year) as last_year
    from roll_calls
    group by roll_calls.session

),

pairs as (

    {{ dyad_pair_counts('member_votes', ['session']) }}

),

mirrored as (

    {{ mirror_dyad_counts('pairs', ['session']) }}

),

final as (

    select
        mirrored.session,
        sessions.session_type,
        sessions.session_number,
        sessions.first_year,
        sessions.last_year,
        mirrored.country_a,
        mirrored.country_b,
        {% for column in dyad_count_columns() %}
        mirrored.{{ column }},
        {% endfor %}
        {{ dyad_derived_counts('mirrored') }},
        -- the State Department rule of the year the session's votes began
        {{ cohesion_measures('mirrored', 'sessions.first_year') }}
    from mirrored
    inner join sessions
        on mirrored.session = sessions.session

)

select * from final

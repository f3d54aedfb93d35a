{#- Every member of every group of seeds/group_memberships.csv on every roll call held while it
    was both a UN member and a member of the group, with its vote (null when the state was not
    listed): the input of the group marts (macros/groups.sql). -#}
with

roll_calls as (

    select * from {{ ref('int_roll_calls_counted') }}

),

un_memberships as (

    select * from {{ ref('country_memberships') }}

),

group_memberships as (

    select * from {{ ref('group_memberships') }}

),

votes as (

    select * from {{ ref('int_votes_mapped') }}

),

member_votes as (

    {{ group_member_votes('roll_calls', 'un_memberships', 'group_memberships', 'votes') }}

),

final as (

    select
        member_votes.group_code,
        member_votes.roll_call_id,
        member_votes.vote_date,
        cast(member_votes.year as integer) as year,
        member_votes.country_code,
        member_votes.vote
    from member_votes

)

select * from final

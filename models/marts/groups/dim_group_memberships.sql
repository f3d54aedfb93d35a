{#- The membership periods of the groups of states (seeds/group_memberships.csv, sources in
    docs/GROUPS.md), for the group analyses (models/marts/analysis). -#}
with

memberships as (

    select * from {{ ref('group_memberships') }}

),

final as (

    select
        memberships.group_code,
        memberships.group_name,
        memberships.country_code,
        memberships.member_from,
        memberships.member_to,
        memberships.date_precision,
        memberships.note
    from memberships

)

select * from final

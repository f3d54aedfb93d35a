{#- One row per group of states (seeds/group_memberships.csv): its name, how many states it has
    had and has now, and how many of its dates are approximate (docs/GROUPS.md). -#}
with

memberships as (

    select * from {{ ref('group_memberships') }}

),

final as (

    select
        memberships.group_code,
        any_value(memberships.group_name) as group_name,
        cast(count(distinct memberships.country_code) as integer) as n_member_states,
        cast(
            count(distinct memberships.country_code) filter (
                where memberships.member_to is null
            ) as integer
        ) as n_current_members,
        min(memberships.member_from) as first_member_from,
        cast(count(*) filter (where memberships.date_precision <> 'day') as integer)
            as n_approximate_periods
    from memberships
    group by memberships.group_code

)

select * from final

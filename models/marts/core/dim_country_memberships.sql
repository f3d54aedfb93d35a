{#- UN membership periods (seeds/country_memberships.csv), for the analyses that need who was a
    member on a date (participation). -#}
with

memberships as (

    select * from {{ ref('country_memberships') }}

),

final as (

    select
        memberships.country_code,
        memberships.member_from,
        memberships.member_to,
        memberships.note
    from memberships

)

select * from final

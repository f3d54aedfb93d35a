with

countries as (

    select * from {{ ref('countries') }}

),

memberships as (

    select * from {{ ref('country_memberships') }}

),

country_names as (

    select * from {{ ref('country_names') }}

),

membership_summary as (

    select
        memberships.country_code,
        min(memberships.member_from) as member_from,
        case
            when bool_or(memberships.member_to is null) then null
            else max(memberships.member_to)
        end as member_to,
        count(*) as n_membership_periods
    from memberships
    group by memberships.country_code

),

name_summary as (

    select
        country_names.country_code,
        string_agg(country_names.ms_name, ' | ' order by country_names.ms_name) as source_names
    from country_names
    group by country_names.country_code

),

final as (

    select
        countries.country_code,
        countries.country_name,
        countries.iso_alpha2,
        countries.cow_code,
        countries.is_historical,
        countries.series_code,
        membership_summary.member_from,
        membership_summary.member_to,
        cast(membership_summary.n_membership_periods as integer) as n_membership_periods,
        name_summary.source_names
    from countries
    left join membership_summary
        on countries.country_code = membership_summary.country_code
    left join name_summary
        on countries.country_code = name_summary.country_code

)

select * from final

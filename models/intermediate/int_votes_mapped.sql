{#- Every vote with the country it belongs to. The name crosswalk (seed country_names,
    macros/country_names.sql) is tried first because it knows which state a name stood for on
    the date of the vote (CHINA is the Republic of China, TWN, until 1971-10-25); the file's own
    ms_code is used only for a name the crosswalk does not know. A vote that neither maps stops
    the build with the name in the message. -#}
with

votes as (

    select * from {{ ref('stg_undl__votes') }}

),

country_names as (

    {{ country_name_crosswalk() }}

),

countries as (

    select * from {{ ref('countries') }}

),

memberships as (

    select * from {{ ref('country_memberships') }}

),

mapped as (

    select
        votes.roll_call_id,
        votes.member_state_name,
        votes.member_state_code,
        votes.vote,
        votes.vote_date,
        votes.year,
        coalesce(country_names.country_code, countries.country_code) as country_code,
        case
            when country_names.country_code is not null then 'name'
            when countries.country_code is not null then 'ms_code'
        end as mapped_by
    from votes
    left join country_names
        on {{ country_name_matches('country_names', 'votes.member_state_name', 'votes.vote_date') }}
    left join countries
        on votes.member_state_code = countries.country_code

),

final as (

    select
        mapped.roll_call_id,
        mapped.member_state_name,
        mapped.member_state_code,
        coalesce(
            mapped.country_code,
            error(
                'unmapped member-state name: ' || mapped.member_state_name
                || coalesce(' (ms_code ' || mapped.member_state_code || ')', '')
                || '; add it to seeds/country_names.csv'
            )
        ) as country_code,
        mapped.mapped_by,
        mapped.vote,
        mapped.vote_date,
        mapped.year,
        -- membership periods of a country do not overlap (tested), so at most one matches
        memberships.country_code is not null as is_member
    from mapped
    left join memberships
        on
            mapped.country_code = memberships.country_code
            and {{ date_in_period(
                'mapped.vote_date', 'memberships.member_from', 'memberships.member_to'
            ) }}

)

select * from final

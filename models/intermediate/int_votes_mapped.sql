{#- Every vote with the country it belongs to. The name crosswalk (seed country_names) is tried
    first because it knows which state a historical name stood for; the file's own ms_code is
    used only for a name the crosswalk does not know. A vote that neither maps stops the build
    with the name in the message. -#}
with

votes as (

    select * from {{ ref('stg_undl__votes') }}

),

country_names as (

    select distinct
        upper(trim(country_names.ms_name)) as name_key,
        country_names.country_code
    from {{ ref('country_names') }} as country_names

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
        on votes.member_state_name = country_names.name_key
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
            and mapped.vote_date >= memberships.member_from
            and (memberships.member_to is null or mapped.vote_date <= memberships.member_to)

)

select * from final

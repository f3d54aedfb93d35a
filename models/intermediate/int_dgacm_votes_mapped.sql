{#- The DGACM per-country votes with the country they belong to, through the name crosswalk
    (seeds/country_names.csv, names matched upper case and trimmed, on the date of the vote:
    macros/country_names.sql). A name the crosswalk does not know stops the build with the
    name in the message. -#}
with

votes as (

    select * from {{ ref('stg_dgacm__votes') }}

),

country_names as (

    {{ country_name_crosswalk() }}

),

final as (

    select
        votes.resolution_symbol,
        votes.symbol_key,
        votes.member_state_name,
        coalesce(
            country_names.country_code,
            error(
                'unmapped DGACM member-state name: ' || votes.member_state_name
                || '; add it to seeds/country_names.csv'
            )
        ) as country_code,
        votes.vote,
        votes.vote_date,
        votes.year
    from votes
    left join country_names
        on {{ country_name_matches('country_names', 'votes.member_state_name', 'votes.vote_date') }}

)

select * from final

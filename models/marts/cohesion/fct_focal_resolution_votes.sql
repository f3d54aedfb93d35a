{#- The focal country's vote beside each reference country's on the resolutions listed in
    seeds/conflict_resolutions.csv: one row per listed resolution and country (the focal country
    first, then the references in var order). A listed symbol that is not in the data gets one
    row with is_in_data false, so that gaps in the source stay visible. -#}
with

listed as (

    select * from {{ ref('conflict_resolutions') }}

),

roll_calls as (

    select * from {{ ref('dim_roll_calls') }}

),

votes as (

    select * from {{ ref('fct_votes') }}

),

countries as (

    select * from {{ ref('dim_countries') }}

),

refs as (

    {{ reference_countries_relation('countries') }}

),

compared as (

    select
        '{{ focal_country() }}' as country_code,
        'focal' as country_role,
        0 as position
    union all
    select
        refs.country_code,
        'reference' as country_role,
        refs.reference_position as position
    from refs

),

found as (

    select
        listed.resolution_symbol,
        listed.conflict,
        listed.note,
        roll_calls.roll_call_id,
        roll_calls.vote_date,
        roll_calls.year,
        roll_calls.title,
        roll_calls.undl_link
    from listed
    left join roll_calls
        on listed.resolution_symbol = roll_calls.resolution_symbol

),

final as (

    select
        found.resolution_symbol,
        found.conflict,
        found.note,
        found.roll_call_id is not null as is_in_data,
        found.roll_call_id,
        found.vote_date,
        found.year,
        found.title,
        compared.country_code,
        compared.country_role,
        cast(compared.position as integer) as country_position,
        votes.vote,
        found.undl_link
    from found
    cross join compared
    left join votes
        on
            found.roll_call_id = votes.roll_call_id
            and compared.country_code = votes.country_code

)

select * from final

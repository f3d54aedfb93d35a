{#- marts.conflict_resolution_votes(focal, reference_codes): the focal state's vote beside each
    reference state's on the armed-conflict and territorial-integrity resolutions of
    marts.dim_conflict_resolutions: one row per listed resolution and country, the focal state
    first (country_position 0), then the references in the order given. A listed symbol that
    the data does not hold keeps its rows, with is_in_data false and no vote. -#}
{{ config(
    materialized='table_macro',
    parameters=['focal varchar', 'reference_codes varchar[]'],
) }}

with

listed as (

    select * from {{ analysis_ref('dim_conflict_resolutions') }}

),

votes as (

    select * from {{ analysis_ref('fct_votes') }}

),

countries as (

    select * from {{ analysis_ref('dim_countries') }}

),

focal_country as (

    {{ selected_focal('countries', 'focal') }}

),

reference_countries as (

    {{ selected_references('countries', 'reference_codes', 'focal') }}

),

compared as (

    select
        focal_country.country_code,
        'focal' as country_role,
        0 as country_position
    from focal_country
    union all
    select
        reference_countries.country_code,
        'reference' as country_role,
        reference_countries.reference_position as country_position
    from reference_countries

),

final as (

    select
        listed.resolution_symbol,
        listed.conflict,
        listed.note,
        listed.is_in_data,
        listed.roll_call_id,
        listed.vote_date,
        listed.year,
        listed.title,
        compared.country_code,
        compared.country_role,
        cast(compared.country_position as integer) as country_position,
        votes.vote,
        listed.undl_link
    from listed
    cross join compared
    left join votes
        on
            listed.roll_call_id = votes.roll_call_id
            and compared.country_code = votes.country_code
    order by listed.conflict, listed.vote_date, listed.resolution_symbol, compared.country_position

)

select * from final

{#- The armed-conflict and territorial-integrity resolutions of seeds/conflict_resolutions.csv,
    found in the roll calls (or not: is_in_data false keeps gaps in the source visible). -#}
with

listed as (

    select * from {{ ref('conflict_resolutions') }}

),

roll_calls as (

    select * from {{ ref('dim_roll_calls') }}

),

final as (

    select
        listed.resolution_symbol,
        listed.conflict,
        listed.note,
        roll_calls.roll_call_id is not null as is_in_data,
        roll_calls.roll_call_id,
        roll_calls.vote_date,
        roll_calls.year,
        roll_calls.title,
        roll_calls.undl_link
    from listed
    left join roll_calls
        on listed.resolution_symbol = roll_calls.resolution_symbol

)

select * from final

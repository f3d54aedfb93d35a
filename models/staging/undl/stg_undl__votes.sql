with

source as (

    select * from {{ source('undl', 'ga_votes') }}

),

renamed as (

    select
        source.undl_id as roll_call_id,
        upper(trim(source.ms_name)) as member_state_name,
        nullif(upper(trim(source.ms_code)), '') as member_state_code,
        upper(trim(source.ms_vote)) as vote,
        source.date as vote_date,
        cast(year(source.date) as integer) as year,
        source.source_row,
        source.load_id
    from source

)

select * from renamed

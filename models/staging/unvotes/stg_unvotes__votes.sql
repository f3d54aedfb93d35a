with

source as (

    select * from {{ source('unvotes', 'unvotes_votes') }}

),

renamed as (

    select
        source.rcid,
        trim(source.country) as country_name,
        nullif(upper(trim(source.country_code)), '') as iso_alpha2,
        case lower(trim(source.vote))
            when 'yes' then 'Y'
            when 'no' then 'N'
            when 'abstain' then 'A'
        end as vote,
        source.source_row,
        source.load_id
    from source

)

select * from renamed

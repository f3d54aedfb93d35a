with

source as (

    select * from {{ source('voeten', 'voeten_votes') }}

),

renamed as (

    select
        source.rcid,
        source.ccode as cow_code,
        nullif(upper(trim(source.country)), '') as cow_abbreviation,
        nullif(trim(source.countryname), '') as country_name,
        cast(trim(source.vote) as integer) as vote_code,
        -- 8 absent is recorded like the UN's non-voting; 9 (not a member) casts no vote
        case cast(trim(source.vote) as integer)
            when 1 then 'Y'
            when 2 then 'A'
            when 3 then 'N'
            when 8 then 'X'
        end as vote,
        cast(trim(source.vote) as integer) <> 9 and coalesce(trim(source.member), '1') <> '0'
            as is_member,
        source.date as vote_date,
        cast(year(source.date) as integer) as year,
        source.source_row,
        source.load_id
    from source

)

select * from renamed

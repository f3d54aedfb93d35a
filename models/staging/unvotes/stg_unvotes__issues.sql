with

source as (

    select * from {{ source('unvotes', 'unvotes_issues') }}

),

renamed as (

    select
        source.rcid,
        lower(trim(source.short_name)) as issue_code,
        nullif(trim(source.issue), '') as issue_name,
        source.load_id
    from source

)

select * from renamed

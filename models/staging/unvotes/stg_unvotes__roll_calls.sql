with

source as (

    select * from {{ source('unvotes', 'unvotes_roll_calls') }}

),

renamed as (

    select
        source.rcid,
        cast(try_cast(trim(source.session) as double) as integer) as session_number,
        source.date as vote_date,
        cast(year(source.date) as integer) as year,
        nullif(trim(source.unres), '') as unres,
        {{ voeten_symbol_match_key('source.unres') }} as symbol_key,
        coalesce(trim(source.importantvote) = '1', false) as is_important_vote,
        coalesce(trim(source.amend) = '1', false) as is_amendment,
        coalesce(trim(source.para) = '1', false) as is_paragraph_vote,
        -- the roll calls added later to the series carry the President's words: "I shall now
        -- put to the vote the motion ... that no action be taken"
        coalesce(regexp_matches(source.descr, '\bmotion\b', 'i'), false) as is_motion,
        nullif(trim(source.short), '') as short_description,
        nullif(trim(source.descr), '') as description,
        source.load_id
    from source

)

select * from renamed

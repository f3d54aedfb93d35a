with

source as (

    select * from {{ source('voeten', 'voeten_votes') }}

),

-- One row per roll call: the roll-call columns repeat on every country row of the file. A roll
-- call whose rows disagree on any of them gives two rows here and fails the unique test.
roll_calls as (

    select distinct
        source.rcid,
        source.session,
        source.date,
        source.unres,
        source.importantvote,
        source.amend,
        source.para,
        source.short,
        source.descr,
        source.load_id
    from source

),

renamed as (

    select
        roll_calls.rcid,
        cast(try_cast(trim(roll_calls.session) as double) as integer) as session_number,
        roll_calls.date as vote_date,
        cast(year(roll_calls.date) as integer) as year,
        nullif(trim(roll_calls.unres), '') as unres,
        {{ voeten_symbol_match_key('roll_calls.unres') }} as symbol_key,
        coalesce(trim(roll_calls.importantvote) = '1', false) as is_important_vote,
        coalesce(trim(roll_calls.amend) = '1', false) as is_amendment,
        coalesce(trim(roll_calls.para) = '1', false) as is_paragraph_vote,
        coalesce(regexp_matches(roll_calls.descr, '\bmotion\b', 'i'), false) as is_motion,
        nullif(trim(roll_calls.short), '') as short_description,
        nullif(trim(roll_calls.descr), '') as description,
        roll_calls.load_id
    from roll_calls

)

select * from renamed

with

source as (

    select * from {{ source('undl', 'ga_votes') }}

),

-- One row per roll call: the roll-call columns repeat on every member-state row of the file.
-- A roll call whose rows disagree on any of them gives two rows here and fails the unique test.
roll_calls as (

    select distinct
        source.undl_id,
        source.date,
        source.session,
        source.resolution,
        source.draft,
        source.committee_report,
        source.meeting,
        source.title,
        source.agenda_title,
        source.subjects,
        source.vote_note,
        source.total_yes,
        source.total_no,
        source.total_abstentions,
        source.total_non_voting,
        source.total_ms,
        source.undl_link
    from source

),

symbols as (

    select
        roll_calls.*,
        {{ clean_resolution_symbol('roll_calls.resolution') }} as resolution_symbol
    from roll_calls

),

renamed as (

    select
        symbols.undl_id as roll_call_id,
        symbols.resolution_symbol,
        nullif(trim(symbols.resolution), '') as resolution_symbol_raw,
        coalesce(
            {{ normalize_session('symbols.session') }},
            {{ session_from_symbol('symbols.resolution_symbol') }}
        ) as session,
        {{ normalize_session('symbols.session') }} is null as is_session_from_symbol,
        symbols.date as vote_date,
        cast(year(symbols.date) as integer) as year,
        nullif(trim(symbols.draft), '') as draft_symbol,
        nullif(trim(symbols.committee_report), '') as committee_report_symbol,
        nullif(trim(symbols.meeting), '') as meeting_symbol,
        {{ clean_title('symbols.title') }} as title,
        nullif(trim(symbols.agenda_title), '') as agenda_title,
        nullif(trim(symbols.subjects), '') as subjects,
        nullif(trim(symbols.vote_note), '') as vote_note,
        {{ parse_total('symbols.total_yes') }} as published_yes,
        {{ parse_total('symbols.total_no') }} as published_no,
        {{ parse_total('symbols.total_abstentions') }} as published_abstain,
        {{ parse_total('symbols.total_non_voting') }} as published_non_voting,
        {{ parse_total('symbols.total_ms') }} as published_members,
        nullif(trim(symbols.undl_link), '') as undl_link
    from symbols

),

final as (

    select
        renamed.*,
        case
            when renamed.session like 'ES-%' then 'emergency special'
            when renamed.session like 'S-%' then 'special'
            when regexp_matches(renamed.session, '^[0-9]+$') then 'regular'
        end as session_type,
        cast(
            nullif(regexp_extract(renamed.session, '([0-9]+)$', 1), '') as integer
        ) as session_number
    from renamed

)

select * from final

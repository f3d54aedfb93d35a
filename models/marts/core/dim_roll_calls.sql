with

roll_calls as (

    select * from {{ ref('int_roll_calls_counted') }}

),

final as (

    select
        roll_calls.roll_call_id,
        roll_calls.resolution_symbol,
        roll_calls.resolution_symbol_raw,
        roll_calls.vote_date,
        roll_calls.year,
        roll_calls.session,
        roll_calls.session_type,
        roll_calls.session_number,
        roll_calls.is_session_from_symbol,
        roll_calls.title,
        roll_calls.agenda_title,
        roll_calls.subjects,
        roll_calls.draft_symbol,
        roll_calls.committee_report_symbol,
        roll_calls.meeting_symbol,
        roll_calls.vote_note,
        roll_calls.published_yes,
        roll_calls.published_no,
        roll_calls.published_abstain,
        roll_calls.published_non_voting,
        roll_calls.published_members,
        roll_calls.counted_yes,
        roll_calls.counted_no,
        roll_calls.counted_abstain,
        roll_calls.counted_non_voting,
        roll_calls.counted_members,
        roll_calls.has_published_totals,
        roll_calls.totals_match,
        roll_calls.undl_link
    from roll_calls

)

select * from final

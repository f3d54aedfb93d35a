-- Each roll call's date lies inside its session's span: regular sessions by the rule in
-- macros/session_span.sql, special and emergency special sessions by their own dates (seed
-- ga_sessions; a session still open to resumption has no closing date). Reviewed source
-- anomalies (seed reviewed_date_anomalies) are exempt.
with

roll_calls as (

    select * from {{ ref('dim_roll_calls') }}

),

sessions as (

    select * from {{ ref('ga_sessions') }}

),

reviewed as (

    select * from {{ ref('reviewed_date_anomalies') }}

),

spans as (

    select
        roll_calls.roll_call_id,
        roll_calls.resolution_symbol,
        roll_calls.session,
        roll_calls.vote_date,
        case
            when roll_calls.session_type = 'regular'
                then {{ regular_session_start('roll_calls.session_number') }}
            else sessions.opened_on
        end as span_start,
        case
            when roll_calls.session_type = 'regular'
                then {{ regular_session_end('roll_calls.session_number') }}
            else coalesce(sessions.closed_on, current_date)
        end as span_end
    from roll_calls
    left join sessions
        on roll_calls.session = sessions.session

)

select spans.*
from spans
left join reviewed
    on spans.roll_call_id = reviewed.roll_call_id
where
    reviewed.roll_call_id is null
    and (
        spans.span_start is null
        or spans.vote_date not between spans.span_start and spans.span_end
    )

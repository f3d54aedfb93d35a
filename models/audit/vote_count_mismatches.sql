{#- Roll calls whose per-country list disagrees with the published vote summary, or that have
    no published summary, with both figures side by side and the review, if any. -#}
with

roll_calls as (

    select * from {{ ref('int_roll_calls_counted') }}

),

reviewed as (

    select * from {{ ref('reviewed_vote_count_discrepancies') }}

),

final as (

    select
        roll_calls.roll_call_id,
        roll_calls.resolution_symbol,
        roll_calls.vote_date,
        roll_calls.year,
        case
            when roll_calls.has_published_totals then 'totals disagree'
            else 'no published totals'
        end as issue,
        roll_calls.published_yes,
        roll_calls.counted_yes,
        roll_calls.published_no,
        roll_calls.counted_no,
        roll_calls.published_abstain,
        roll_calls.counted_abstain,
        roll_calls.published_non_voting,
        roll_calls.counted_non_voting,
        roll_calls.published_members,
        roll_calls.counted_members,
        reviewed.roll_call_id is not null as is_reviewed,
        reviewed.reason as review_reason,
        roll_calls.undl_link
    from roll_calls
    left join reviewed
        on roll_calls.roll_call_id = reviewed.roll_call_id
    where roll_calls.totals_match is distinct from true

)

select * from final

{#- Voeten's roll calls from either layout (unvotes / TidyTuesday, and his Dataverse file), with
    the issue codes of each and whether it is a vote on a resolution as a whole (not on an
    amendment, a paragraph or a procedural motion). -#}
with

unvotes_roll_calls as (

    select * from {{ ref('stg_unvotes__roll_calls') }}

),

unvotes_issues as (

    select * from {{ ref('stg_unvotes__issues') }}

),

voeten_roll_calls as (

    select * from {{ ref('stg_voeten__roll_calls') }}

),

voeten_issues as (

    select * from {{ ref('stg_voeten__issues') }}

),

roll_calls as (

    select
        'unvotes' as source,
        unvotes_roll_calls.*
    from unvotes_roll_calls
    union all by name
    select
        'voeten' as source,
        voeten_roll_calls.*
    from voeten_roll_calls

),

issues as (

    select
        'unvotes' as source,
        unvotes_issues.rcid,
        unvotes_issues.issue_code
    from unvotes_issues
    union all
    select
        'voeten' as source,
        voeten_issues.rcid,
        voeten_issues.issue_code
    from voeten_issues

),

issue_lists as (

    select
        issues.source,
        issues.rcid,
        list_sort(list(distinct issues.issue_code)) as issue_codes
    from issues
    group by issues.source, issues.rcid

),

final as (

    select
        roll_calls.source,
        roll_calls.rcid,
        roll_calls.session_number,
        roll_calls.vote_date,
        roll_calls.year,
        roll_calls.unres,
        roll_calls.symbol_key,
        roll_calls.is_important_vote,
        roll_calls.is_amendment,
        roll_calls.is_paragraph_vote,
        roll_calls.is_motion,
        not(
            roll_calls.is_amendment or roll_calls.is_paragraph_vote or roll_calls.is_motion
        ) as is_resolution_vote,
        roll_calls.short_description,
        roll_calls.description,
        coalesce(issue_lists.issue_codes, []) as issue_codes
    from roll_calls
    left join issue_lists
        on
            roll_calls.source = issue_lists.source
            and roll_calls.rcid = issue_lists.rcid

)

select * from final

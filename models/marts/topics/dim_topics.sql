{#- The topics (seeds/topics.csv) and the groupings (seeds/topic_groupings.csv), with how many
    roll calls each has in all and in the analysis window (vars start_year, end_year). -#}
with

topics as (

    select * from {{ ref('topics') }}

),

groupings as (

    select * from {{ ref('topic_groupings') }}

),

roll_call_topics as (

    select * from {{ ref('dim_roll_call_topics') }}

),

roll_calls as (

    select * from {{ ref('stg_undl__roll_calls') }}

),

all_topics as (

    select
        topics.topic_code,
        topics.topic_name,
        topics.origin,
        false as is_grouping,
        topics.in_foreign_policy,
        topics.description
    from topics
    union all
    select
        groupings.topic_code,
        groupings.topic_name,
        groupings.origin,
        true as is_grouping,
        groupings.topic_code = 'foreign_policy' as in_foreign_policy,
        groupings.description
    from groupings

),

counts as (

    select
        roll_call_topics.topic_code,
        count(*) as n_roll_calls,
        count(*) filter (
            where roll_calls.year between {{ var('start_year') }} and {{ var('end_year') }}
        ) as n_roll_calls_in_window
    from roll_call_topics
    inner join roll_calls
        on roll_call_topics.roll_call_id = roll_calls.roll_call_id
    group by roll_call_topics.topic_code

),

final as (

    select
        all_topics.topic_code,
        all_topics.topic_name,
        all_topics.origin,
        all_topics.is_grouping,
        all_topics.in_foreign_policy,
        all_topics.description,
        cast(coalesce(counts.n_roll_calls, 0) as integer) as n_roll_calls,
        cast(coalesce(counts.n_roll_calls_in_window, 0) as integer) as n_roll_calls_in_window
    from all_topics
    left join counts
        on all_topics.topic_code = counts.topic_code

)

select * from final

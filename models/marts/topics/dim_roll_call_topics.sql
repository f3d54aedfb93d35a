{#- The topics of each roll call (multi-label): a topic applies when one of its include rules
    (seeds/topic_rules.csv) matches and none of its exclude rules does. rule_id is the first
    include rule that fired (by id), rules_fired all of them. Then the groupings of
    seeds/topic_groupings.csv (docs/TOPICS.md), each defined here: foreign_policy - roll calls
    with at least one topic that seeds/topics.csv puts in it; not_me - roll calls not under the
    topic me; important_votes - roll calls matched by symbol (int_reconciliation_roll_calls) to
    a roll call Voeten's data flags as an important vote. -#}
with

hits as (

    select * from {{ ref('int_roll_call_topic_rule_hits') }}

),

rules as (

    select * from {{ ref('topic_rules') }}

),

topics as (

    select * from {{ ref('topics') }}

),

groupings as (

    select * from {{ ref('topic_groupings') }}

),

roll_calls as (

    select * from {{ ref('int_roll_calls_counted') }}

),

reconciled as (

    select * from {{ ref('int_reconciliation_roll_calls') }}

),

voeten_roll_calls as (

    select * from {{ ref('int_voeten_roll_calls') }}

),

included as (

    select
        hits.roll_call_id,
        hits.topic_code,
        min(hits.rule_id) as rule_id,
        string_agg(hits.rule_id, ', ' order by hits.rule_id) as rules_fired
    from hits
    where hits.effect = 'include'
    group by hits.roll_call_id, hits.topic_code

),

excluded as (

    select distinct
        hits.roll_call_id,
        hits.topic_code
    from hits
    where hits.effect = 'exclude'

),

classified as (

    select
        included.roll_call_id,
        included.topic_code,
        topics.topic_name,
        false as is_grouping,
        included.rule_id,
        rules.field as rule_field,
        rules.pattern as rule_pattern,
        included.rules_fired,
        topics.in_foreign_policy
    from included
    inner join topics
        on included.topic_code = topics.topic_code
    inner join rules
        on included.rule_id = rules.rule_id
    left join excluded
        on
            included.roll_call_id = excluded.roll_call_id
            and included.topic_code = excluded.topic_code
    where excluded.roll_call_id is null

),

-- the roll calls of each grouping, and what put them there (rules_fired)
grouped as (

    select
        classified.roll_call_id,
        'foreign_policy' as topic_code,
        string_agg(classified.topic_code, ', ' order by classified.topic_code) as rules_fired
    from classified
    where classified.in_foreign_policy
    group by classified.roll_call_id
    union all
    select
        roll_calls.roll_call_id,
        'not_me' as topic_code,
        coalesce(
            string_agg(classified.topic_code, ', ' order by classified.topic_code),
            'no topic'
        ) as rules_fired
    from roll_calls
    left join classified
        on roll_calls.roll_call_id = classified.roll_call_id
    group by roll_calls.roll_call_id
    having not coalesce(bool_or(classified.topic_code = 'me'), false)
    union all
    select
        matches.roll_call_id,
        'important_votes' as topic_code,
        string_agg(distinct matches.voeten_source || ' rcid ' || matches.rcid, ', ')
            as rules_fired
    from ({{ voeten_matches_of_undl_roll_calls('reconciled', 'voeten_roll_calls') }}) as matches
    where matches.is_important_vote
    group by matches.roll_call_id

),

final as (

    select
        classified.roll_call_id,
        classified.topic_code,
        classified.topic_name,
        classified.is_grouping,
        classified.rule_id,
        classified.rule_field,
        classified.rule_pattern,
        classified.rules_fired
    from classified
    union all
    select
        grouped.roll_call_id,
        grouped.topic_code,
        groupings.topic_name,
        true as is_grouping,
        grouped.topic_code as rule_id,
        cast(null as varchar) as rule_field,
        cast(null as varchar) as rule_pattern,
        grouped.rules_fired
    from grouped
    inner join groupings
        on grouped.topic_code = groupings.topic_code

)

select * from final

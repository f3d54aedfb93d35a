{#- The topics of each roll call (multi-label): a topic applies when one of its include rules
    (seeds/topic_rules.csv) matches and none of its exclude rules does. rule_id is the first
    include rule that fired (by id), rules_fired all of them. The grouping foreign_policy is
    added for roll calls with at least one topic that seeds/topics.csv puts in it (docs/TOPICS.md). -#}
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

foreign_policy as (

    select
        classified.roll_call_id,
        'foreign_policy' as topic_code,
        'Foreign policy and international relations' as topic_name,
        true as is_grouping,
        'foreign_policy' as rule_id,
        cast(null as varchar) as rule_field,
        cast(null as varchar) as rule_pattern,
        string_agg(classified.topic_code, ', ' order by classified.topic_code) as rules_fired
    from classified
    where classified.in_foreign_policy
    group by classified.roll_call_id

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
        foreign_policy.roll_call_id,
        foreign_policy.topic_code,
        foreign_policy.topic_name,
        foreign_policy.is_grouping,
        foreign_policy.rule_id,
        foreign_policy.rule_field,
        foreign_policy.rule_pattern,
        foreign_policy.rules_fired
    from foreign_policy

)

select * from final

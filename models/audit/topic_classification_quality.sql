{#- How well the rules reproduce Voeten's issue codes on the roll calls both datasets hold
    (UN Digital Library roll calls matched by symbol to a Voeten roll call, int_reconciliation_
    roll_calls): per topic and period, true and false positives, false negatives, precision,
    recall and F1, and their average over the six topics (macro_average). The rules were
    fitted on the years up to var topic_fit_last_year (default 1999): period fit; later shows
    them on years they were not fitted on; all is both. -#}
{%- set fit_last_year = var('topic_fit_last_year', 1999) %}
with

reconciled as (

    select * from {{ ref('int_reconciliation_roll_calls') }}

),

voeten_roll_calls as (

    select * from {{ ref('int_voeten_roll_calls') }}

),

roll_call_topics as (

    select * from {{ ref('dim_roll_call_topics') }}

),

topics as (

    select * from {{ ref('topics') }}

),

labelled as (

    select
        matches.roll_call_id,
        matches.year,
        list_distinct(flatten(list(matches.issue_codes))) as issue_codes
    from ({{ voeten_matches_of_undl_roll_calls('reconciled', 'voeten_roll_calls') }}) as matches
    group by matches.roll_call_id, matches.year

),

periods as (

    select
        'fit' as period,
        1 as period_order,
        -1 as first_year_bound,
        {{ fit_last_year }} as last_year_bound
    union all
    select
        'later' as period,
        2 as period_order,
        {{ fit_last_year }} + 1 as first_year_bound,
        9999 as last_year_bound
    union all
    select
        'all' as period,
        3 as period_order,
        -1 as first_year_bound,
        9999 as last_year_bound

),

judged as (

    select
        periods.period,
        periods.period_order,
        labelled.roll_call_id,
        labelled.year,
        topics.topic_code,
        topics.topic_name,
        list_contains(labelled.issue_codes, topics.topic_code) as is_voeten,
        roll_call_topics.roll_call_id is not null as is_predicted
    from labelled
    inner join periods
        on labelled.year between periods.first_year_bound and periods.last_year_bound
    cross join topics
    left join roll_call_topics
        on
            labelled.roll_call_id = roll_call_topics.roll_call_id
            and topics.topic_code = roll_call_topics.topic_code
    where topics.origin = 'voeten'

),

per_topic as (

    select
        judged.period,
        judged.period_order,
        judged.topic_code,
        judged.topic_name,
        min(judged.year) as first_year,
        max(judged.year) as last_year,
        count(*) as n_roll_calls,
        count(*) filter (where judged.is_voeten) as n_voeten_positive,
        count(*) filter (where judged.is_predicted) as n_predicted_positive,
        count(*) filter (where judged.is_voeten and judged.is_predicted) as true_positives,
        count(*) filter (where not judged.is_voeten and judged.is_predicted) as false_positives,
        count(*) filter (where judged.is_voeten and not judged.is_predicted) as false_negatives
    from judged
    group by judged.period, judged.period_order, judged.topic_code, judged.topic_name

),

scored as (

    select
        per_topic.*,
        case
            when per_topic.n_predicted_positive > 0
                then per_topic.true_positives / per_topic.n_predicted_positive
        end as precision_,
        case
            when per_topic.n_voeten_positive > 0
                then per_topic.true_positives / per_topic.n_voeten_positive
        end as recall_
    from per_topic

),

with_f1 as (

    select
        scored.*,
        case
            when scored.precision_ + scored.recall_ > 0
                then 2 * scored.precision_ * scored.recall_ / (scored.precision_ + scored.recall_)
            else 0
        end as f1_
    from scored

),

macro as (

    select
        with_f1.period,
        with_f1.period_order,
        'macro_average' as topic_code,
        'Average over the six topics' as topic_name,
        min(with_f1.first_year) as first_year,
        max(with_f1.last_year) as last_year,
        max(with_f1.n_roll_calls) as n_roll_calls,
        sum(with_f1.n_voeten_positive) as n_voeten_positive,
        sum(with_f1.n_predicted_positive) as n_predicted_positive,
        sum(with_f1.true_positives) as true_positives,
        sum(with_f1.false_positives) as false_positives,
        sum(with_f1.false_negatives) as false_negatives,
        avg(with_f1.precision_) as precision_,
        avg(with_f1.recall_) as recall_,
        avg(with_f1.f1_) as f1_
    from with_f1
    group by with_f1.period, with_f1.period_order

),

final as (

    select
        combined.period,
        cast(combined.first_year as integer) as first_year,
        cast(combined.last_year as integer) as last_year,
        combined.topic_code,
        combined.topic_name,
        cast(combined.n_roll_calls as integer) as n_roll_calls,
        cast(combined.n_voeten_positive as integer) as n_voeten_positive,
        cast(combined.n_predicted_positive as integer) as n_predicted_positive,
        cast(combined.true_positives as integer) as true_positives,
        cast(combined.false_positives as integer) as false_positives,
        cast(combined.false_negatives as integer) as false_negatives,
        cast(round(combined.precision_, 3) as double) as precision,
        cast(round(combined.recall_, 3) as double) as recall,
        cast(round(combined.f1_, 3) as double) as f1
    from (
        select
            with_f1.period,
            with_f1.period_order,
            with_f1.topic_code,
            with_f1.topic_name,
            with_f1.first_year,
            with_f1.last_year,
            with_f1.n_roll_calls,
            with_f1.n_voeten_positive,
            with_f1.n_predicted_positive,
            with_f1.true_positives,
            with_f1.false_positives,
            with_f1.false_negatives,
            with_f1.precision_,
            with_f1.recall_,
            with_f1.f1_
        from with_f1
        union all
        select
            macro.period,
            macro.period_order,
            macro.topic_code,
            macro.topic_name,
            macro.first_year,
            macro.last_year,
            macro.n_roll_calls,
            macro.n_voeten_positive,
            macro.n_predicted_positive,
            macro.true_positives,
            macro.false_positives,
            macro.false_negatives,
            macro.precision_,
            macro.recall_,
            macro.f1_
        from macro
    ) as combined
    order by combined.period_order, combined.topic_code = 'macro_average', combined.topic_code

)

select * from final

{#- marts.split_vote_summary(focal, reference_codes, from_year, to_year, topic := null):
    marts.split_votes counted per pair of references and split type, for each year and for the
    whole window: how often the pair split, and how often the focal state sided with each. -#}
{{ config(
    materialized='table_macro',
    parameters=[
        'focal varchar',
        'reference_codes varchar[]',
        'from_year integer',
        'to_year integer',
        'topic varchar := null',
    ],
) }}

with

split_votes as (

    select *
    from {{ analysis_ref('split_votes') }}(
        focal, reference_codes, from_year, to_year, topic := topic
    )

),

roll_calls as (

    select * from {{ analysis_ref('dim_roll_calls') }}

),

countries as (

    select * from {{ analysis_ref('dim_countries') }}

),

reference_countries as (

    {{ selected_references('countries', 'reference_codes', 'focal') }}

),

selected_window as (

    {{ selected_window('roll_calls', 'from_year', 'to_year') }}

),

periods as (

    select
        'year' as period_type,
        cast(split_votes.year as varchar) as period,
        split_votes.year,
        split_votes.focal_country,
        split_votes.first_country,
        split_votes.second_country,
        split_votes.split_type,
        split_votes.focal_alignment
    from split_votes
    union all
    select
        'window' as period_type,
        selected_window.start_year || '-' || selected_window.end_year as period,
        cast(null as integer) as year,
        split_votes.focal_country,
        split_votes.first_country,
        split_votes.second_country,
        split_votes.split_type,
        split_votes.focal_alignment
    from split_votes
    cross join selected_window

),

counted as (

    select
        periods.period_type,
        periods.period,
        periods.year,
        periods.focal_country,
        periods.first_country,
        periods.second_country,
        periods.split_type,
        count(*) as n_splits,
        count(*) filter (where periods.focal_alignment = 'with_first') as n_with_first,
        count(*) filter (where periods.focal_alignment = 'with_second') as n_with_second,
        count(*) filter (where periods.focal_alignment = 'abstained') as n_abstained,
        count(*) filter (where periods.focal_alignment = 'with_neither') as n_with_neither,
        count(*) filter (where periods.focal_alignment = 'absent') as n_absent
    from periods
    group by
        periods.period_type,
        periods.period,
        periods.year,
        periods.focal_country,
        periods.first_country,
        periods.second_country,
        periods.split_type

),

final as (

    select
        counted.period_type,
        counted.period,
        counted.year,
        counted.focal_country,
        counted.first_country,
        counted.second_country,
        counted.split_type,
        counted.n_splits,
        counted.n_with_first,
        counted.n_with_second,
        counted.n_abstained,
        counted.n_with_neither,
        counted.n_absent,
        counted.n_with_first / counted.n_splits as share_with_first,
        counted.n_with_second / counted.n_splits as share_with_second,
        counted.n_abstained / counted.n_splits as share_abstained,
        counted.n_with_neither / counted.n_splits as share_with_neither,
        counted.n_absent / counted.n_splits as share_absent
    from counted
    inner join reference_countries as first_reference
        on counted.first_country = first_reference.country_code
    inner join reference_countries as second_reference
        on counted.second_country = second_reference.country_code
    order by
        counted.period_type desc,
        counted.year asc,
        first_reference.reference_position asc,
        second_reference.reference_position asc,
        counted.split_type asc

)

select * from final

{#- fct_split_votes counted per pair of references, split type and year, and for the window. -#}
with

split_votes as (

    select * from {{ ref('fct_split_votes') }}

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
        '{{ var("start_year") }}-{{ var("end_year") }}' as period,
        cast(null as integer) as year,
        split_votes.focal_country,
        split_votes.first_country,
        split_votes.second_country,
        split_votes.split_type,
        split_votes.focal_alignment
    from split_votes

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
    group by all

),

final as (

    select
        counted.*,
        counted.n_with_first / counted.n_splits as share_with_first,
        counted.n_with_second / counted.n_splits as share_with_second,
        counted.n_abstained / counted.n_splits as share_abstained,
        counted.n_with_neither / counted.n_splits as share_with_neither,
        counted.n_absent / counted.n_splits as share_absent
    from counted

)

select * from final

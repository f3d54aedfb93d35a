{#- How the focal country voted when two reference countries split, on the roll calls of the
    window. One row per roll call and pair of references (first, second in the order of var
    reference_countries) that split:
      full split     one voted yes, the other no; the focal country voted with the first,
                     with the second, abstained, or was absent;
      partial split  one abstained, the other voted yes or no; the focal country voted with
                     the first or the second (abstaining sides with the abstainer), voted the
                     opposite of the one that voted (with_neither), or was absent.
    Absent: non-voting, not listed, or not a member on that date. -#}
with

votes as (

    select * from {{ ref('fct_votes') }}

),

roll_calls as (

    select * from {{ ref('dim_roll_calls') }}

),

countries as (

    select * from {{ ref('dim_countries') }}

),

refs as (

    {{ reference_countries_relation('countries') }}

),

window_roll_calls as (

    select * from roll_calls
    where year between {{ var('start_year') }} and {{ var('end_year') }}

),

member_votes as (

    select * from votes
    where is_member

),

reference_votes as (

    select
        member_votes.roll_call_id,
        refs.country_code,
        refs.reference_position,
        member_votes.vote
    from refs
    inner join member_votes
        on refs.country_code = member_votes.country_code

),

all_reference_votes as (

    select
        reference_votes.roll_call_id,
        string_agg(
            reference_votes.country_code || '=' || reference_votes.vote, ' '
            order by reference_votes.reference_position
        ) as reference_votes
    from reference_votes
    group by reference_votes.roll_call_id

),

splits as (

    select
        first_ref.roll_call_id,
        first_ref.country_code as first_country,
        second_ref.country_code as second_country,
        first_ref.vote as first_vote,
        second_ref.vote as second_vote,
        case
            when first_ref.vote in ('Y', 'N') and second_ref.vote in ('Y', 'N') then 'full'
            else 'partial'
        end as split_type
    from reference_votes as first_ref
    inner join reference_votes as second_ref
        on
            first_ref.roll_call_id = second_ref.roll_call_id
            and first_ref.reference_position < second_ref.reference_position
    where
        (first_ref.vote = 'Y' and second_ref.vote = 'N')
        or (first_ref.vote = 'N' and second_ref.vote = 'Y')
        or (first_ref.vote = 'A' and second_ref.vote in ('Y', 'N'))
        or (first_ref.vote in ('Y', 'N') and second_ref.vote = 'A')

),

focal_votes as (

    select
        member_votes.roll_call_id,
        member_votes.vote
    from member_votes
    where member_votes.country_code = '{{ focal_country() }}'

),

classified as (

    select
        splits.*,
        focal_votes.vote as focal_vote,
        case
            when focal_votes.vote is null or focal_votes.vote = 'X' then 'absent'
            when focal_votes.vote = splits.first_vote then 'with_first'
            when focal_votes.vote = splits.second_vote then 'with_second'
            when splits.split_type = 'full' then 'abstained'
            else 'with_neither'
        end as focal_alignment
    from splits
    left join focal_votes
        on splits.roll_call_id = focal_votes.roll_call_id

),

final as (

    select
        window_roll_calls.roll_call_id,
        window_roll_calls.resolution_symbol,
        window_roll_calls.vote_date,
        window_roll_calls.year,
        window_roll_calls.title,
        classified.split_type,
        classified.first_country,
        classified.second_country,
        classified.first_vote,
        classified.second_vote,
        '{{ focal_country() }}' as focal_country,
        classified.focal_vote,
        classified.focal_alignment,
        all_reference_votes.reference_votes,
        window_roll_calls.undl_link
    from classified
    inner join window_roll_calls
        on classified.roll_call_id = window_roll_calls.roll_call_id
    inner join all_reference_votes
        on classified.roll_call_id = all_reference_votes.roll_call_id

)

select * from final

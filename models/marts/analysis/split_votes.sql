{#- marts.split_votes(focal, reference_codes, from_year, to_year, topic := null): how the focal
    state voted when two of the reference states split, on the roll calls of the window (and
    topic). One row per roll call and pair of references (first and second in the order given)
    that split:
      full split     one voted yes, the other no; the focal state voted with the first, with
                     the second, abstained, or was absent;
      partial split  one abstained, the other voted yes or no; the focal state voted with the
                     first or the second (abstaining sides with the abstainer), voted the
                     opposite of the one that voted (with_neither), or was absent.
    Absent: non-voting, not listed, or not a member on that date. -#}
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

votes as (

    select * from {{ analysis_ref('fct_votes') }}

),

roll_calls as (

    select * from {{ analysis_ref('dim_roll_calls') }}

),

roll_call_topics as (

    select * from {{ analysis_ref('dim_roll_call_topics') }}

),

topics as (

    select * from {{ analysis_ref('dim_topics') }}

),

countries as (

    select * from {{ analysis_ref('dim_countries') }}

),

focal_country as (

    {{ selected_focal('countries', 'focal') }}

),

reference_countries as (

    {{ selected_references('countries', 'reference_codes', 'focal') }}

),

selected_window as (

    {{ selected_window('roll_calls', 'from_year', 'to_year') }}

),

selected_topic as (

    {{ selected_topic('topics', 'topic') }}

),

window_roll_calls as (

    {{ selected_roll_calls('roll_calls', 'roll_call_topics', 'selected_window', 'selected_topic') }}

),

-- the votes of the focal state and the references on those roll calls, while members
member_votes as (

    {{ selected_votes(
        'votes', ['focal_country', 'reference_countries'], roll_calls='window_roll_calls'
    ) }}

),

reference_votes as (

    select
        member_votes.roll_call_id,
        reference_countries.country_code,
        reference_countries.reference_position,
        member_votes.vote
    from reference_countries
    inner join member_votes
        on reference_countries.country_code = member_votes.country_code

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
        first_ref.reference_position as first_position,
        second_ref.reference_position as second_position,
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
    inner join focal_country
        on member_votes.country_code = focal_country.country_code

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
        focal_country.country_code as focal_country,
        classified.focal_vote,
        classified.focal_alignment,
        all_reference_votes.reference_votes,
        window_roll_calls.undl_link
    from classified
    cross join focal_country
    inner join window_roll_calls
        on classified.roll_call_id = window_roll_calls.roll_call_id
    inner join all_reference_votes
        on classified.roll_call_id = all_reference_votes.roll_call_id
    order by
        classified.first_position,
        classified.second_position,
        window_roll_calls.vote_date,
        window_roll_calls.roll_call_id

)

select * from final

{#- marts.dyad_roll_calls(code_a, code_b, from_year, to_year, topic := null): the roll calls
    behind every count of the pair (a, b) in the cohesion marts and analyses: one row per roll
    call of the window (and topic) on which both states were members and listed, with both
    votes, the count it falls in (dyad_count, a column name of marts.fct_dyad_year_agreement)
    and the kind of agreement (identical, opposite, one_abstains, a_absent, b_absent,
    both_absent), and the link to the UN Digital Library record. Counting its rows by
    dyad_count and year gives the counts of fct_dyad_year_agreement for the pair. -#}
{{ config(
    materialized='table_macro',
    parameters=[
        'code_a varchar',
        'code_b varchar',
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

country_a as (

    {{ selected_focal('countries', 'code_a', role='country a') }}

),

country_b as (

    {{ selected_references(
        'countries', '[code_b]', 'code_a', role='country b', role_of_focal='country a'
    ) }}

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

-- the votes of a and b on those roll calls, while members
member_votes as (

    {{ selected_votes('votes', ['country_a', 'country_b'], roll_calls='window_roll_calls') }}

),

vote_pairs as (

    select
        a_votes.roll_call_id,
        a_votes.country_code as country_a,
        b_votes.country_code as country_b,
        a_votes.vote as vote_a,
        b_votes.vote as vote_b
    from member_votes as a_votes
    inner join country_a
        on a_votes.country_code = country_a.country_code
    inner join member_votes as b_votes
        on a_votes.roll_call_id = b_votes.roll_call_id
    inner join country_b
        on b_votes.country_code = country_b.country_code

),

final as (

    select
        window_roll_calls.roll_call_id,
        window_roll_calls.resolution_symbol,
        window_roll_calls.vote_date,
        window_roll_calls.year,
        window_roll_calls.title,
        vote_pairs.country_a,
        vote_pairs.country_b,
        vote_pairs.vote_a,
        vote_pairs.vote_b,
        {{ dyad_count_column('vote_pairs.vote_a', 'vote_pairs.vote_b') }} as dyad_count,
        {{ dyad_agreement_kind('vote_pairs.vote_a', 'vote_pairs.vote_b') }} as agreement,
        window_roll_calls.undl_link
    from vote_pairs
    inner join window_roll_calls
        on vote_pairs.roll_call_id = window_roll_calls.roll_call_id
    order by window_roll_calls.vote_date, window_roll_calls.roll_call_id

)

select * from final

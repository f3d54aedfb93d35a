{#- Participation: the share of the roll calls held while a state was a UN member on which it
    cast a vote (yes, no or abstain). Non-voting (X) and not being listed at all both count as
    not taking part. Defined once here; marts.fct_country_participation (every state, by year)
    and the analysis marts.focal_cohesion (the selected states, by year, window and topic) use
    it, and a dbt test keeps the two equal.

    member_roll_calls: one row (roll_call_id, vote_date, year, country_code) per roll call and
    state that was a member on its date, from a relation of roll calls (roll_call_id, vote_date,
    year) and the membership periods (marts.dim_country_memberships). -#}

{% macro member_roll_calls(roll_calls, memberships) -%}
    select
        {{ roll_calls }}.roll_call_id,
        {{ roll_calls }}.vote_date,
        {{ roll_calls }}.year,
        {{ memberships }}.country_code
    from {{ roll_calls }}
    inner join {{ memberships }}
        on
            {{ roll_calls }}.vote_date >= {{ memberships }}.member_from
            and (
                {{ memberships }}.member_to is null
                or {{ roll_calls }}.vote_date <= {{ memberships }}.member_to
            )
{%- endmacro %}

{#- Aggregates over member roll calls left-joined with the state's vote (`vote` null when it
    was not listed): n_member_roll_calls, n_votes_cast. -#}
{% macro participation_counts(vote) -%}
    count(*) as n_member_roll_calls,
    count(*) filter (where {{ vote }} in ('Y', 'N', 'A')) as n_votes_cast
{%- endmacro %}

{#- The participation rate from those two counts (null when there was no roll call). -#}
{% macro participation_rate(n_votes_cast, n_member_roll_calls) -%}
    cast({{ n_votes_cast }} as double) / nullif({{ n_member_roll_calls }}, 0)
{%- endmacro %}

{#- How groups of states vote (docs/GROUPS.md), defined once here for the group marts
    (models/marts/groups) and the analyses for any group or any set of states
    (models/marts/analysis). Membership counts on the date of each roll call: a state belongs to
    a group on a roll call when the date falls in one of its membership periods of the group
    (seeds/group_memberships.csv) and in one of its UN membership periods.

    group_member_votes: one row (group_code, roll_call_id, vote_date, year, country_code, vote)
    per group, roll call and member state, `vote` null when the state was not listed. From a
    relation of roll calls (roll_call_id, vote_date, year), the UN membership periods, the
    group membership periods (group_code, country_code, member_from, member_to) and the votes
    (fct_votes). -#}

{% macro group_member_votes(roll_calls, un_memberships, group_memberships, votes) -%}
    select
        {{ group_memberships }}.group_code,
        un_members.roll_call_id,
        un_members.vote_date,
        un_members.year,
        un_members.country_code,
        {{ votes }}.vote
    from ({{ member_roll_calls(roll_calls, un_memberships) }}) as un_members
    inner join {{ group_memberships }}
        on
            un_members.country_code = {{ group_memberships }}.country_code
            and {{ date_in_period(
                'un_members.vote_date',
                group_memberships ~ '.member_from',
                group_memberships ~ '.member_to',
            ) }}
    left join {{ votes }}
        on
            un_members.roll_call_id = {{ votes }}.roll_call_id
            and un_members.country_code = {{ votes }}.country_code
{%- endmacro %}

{#- group_roll_call_counts: from group_member_votes, one row per group and roll call (with its
    date and year) with the members (n_members), their yes, no and abstain votes, and the members
    absent (non-voting or not listed). -#}
{% macro group_roll_call_counts(member_votes) -%}
    select
        {{ member_votes }}.group_code,
        {{ member_votes }}.roll_call_id,
        {{ member_votes }}.vote_date,
        {{ member_votes }}.year,
        count(*) as n_members,
        count(*) filter (where {{ member_votes }}.vote = 'Y') as n_yes,
        count(*) filter (where {{ member_votes }}.vote = 'N') as n_no,
        count(*) filter (where {{ member_votes }}.vote = 'A') as n_abstain,
        count(*) filter (
            where {{ member_votes }}.vote is null or {{ member_votes }}.vote = 'X'
        ) as n_absent
    from {{ member_votes }}
    group by
        {{ member_votes }}.group_code,
        {{ member_votes }}.roll_call_id,
        {{ member_votes }}.vote_date,
        {{ member_votes }}.year
{%- endmacro %}

{#- Hix, Noury and Roland (2005) agreement index of a group on one roll call, over the members
    who voted yes (y), no (n) or abstained (a): (max - (y + n + a - max) / 2) / (y + n + a),
    max = max(y, n, a); 1 when all voted alike, 0 when the votes split evenly three ways. Null
    where fewer than two members voted. -#}
{% macro hix_agreement_index(y, n, a) -%}
    case
        when {{ y }} + {{ n }} + {{ a }} >= 2
            then (
                greatest({{ y }}, {{ n }}, {{ a }})
                - 0.5 * ({{ y }} + {{ n }} + {{ a }} - greatest({{ y }}, {{ n }}, {{ a }}))
            ) / ({{ y }} + {{ n }} + {{ a }})
    end
{%- endmacro %}

{#- The plurality position of y yes, n no and a abstain votes: Y, N or A when it has more votes
    than each of the other two, 'tie' when two or three share the most, X when nobody voted. -#}
{% macro plurality_position(y, n, a) -%}
    case
        when {{ y }} + {{ n }} + {{ a }} = 0 then 'X'
        when {{ y }} > {{ n }} and {{ y }} > {{ a }} then 'Y'
        when {{ n }} > {{ y }} and {{ n }} > {{ a }} then 'N'
        when {{ a }} > {{ y }} and {{ a }} > {{ n }} then 'A'
        else 'tie'
    end
{%- endmacro %}

{#- Pairs of members on one roll call: of the pairs who both voted (v (v - 1) / 2, v = y + n +
    a), those who voted alike (y (y - 1) / 2 + n (n - 1) / 2 + a (a - 1) / 2). Summed over roll
    calls they give the share of identical votes over every pair of members and roll call. -#}
{% macro _voting_pairs(y, n, a) -%}
    ({{ y }} + {{ n }} + {{ a }}) * ({{ y }} + {{ n }} + {{ a }} - 1) / 2
{%- endmacro %}

{% macro _identical_pairs(y, n, a) -%}
    ({{ y }} * ({{ y }} - 1) + {{ n }} * ({{ n }} - 1) + {{ a }} * ({{ a }} - 1)) / 2
{%- endmacro %}

{#- group_cohesion_aggregates: select-list items over rows of group_roll_call_counts (relation
    `t`) for a period: the roll calls, the mean Hix index over those where it is defined, the
    pairwise share of identical votes, and the members' participation (macros/participation.sql):
    the votes they cast over the roll calls held while they were members. -#}
{% macro group_cohesion_aggregates(t) -%}
    count(*) as n_roll_calls,
    count({{ hix_agreement_index(t ~ '.n_yes', t ~ '.n_no', t ~ '.n_abstain') }})
        as n_roll_calls_with_index,
    avg({{ hix_agreement_index(t ~ '.n_yes', t ~ '.n_no', t ~ '.n_abstain') }})
        as hix_agreement_index,
    cast(sum({{ _identical_pairs(t ~ '.n_yes', t ~ '.n_no', t ~ '.n_abstain') }}) as double)
    / nullif(sum({{ _voting_pairs(t ~ '.n_yes', t ~ '.n_no', t ~ '.n_abstain') }}), 0)
        as pairwise_identical_share,
    sum({{ t }}.n_members) as n_member_roll_calls,
    sum({{ t }}.n_yes + {{ t }}.n_no + {{ t }}.n_abstain) as n_votes_cast,
    {{ participation_rate(
        'sum(' ~ t ~ '.n_yes + ' ~ t ~ '.n_no + ' ~ t ~ '.n_abstain)',
        'sum(' ~ t ~ '.n_members)',
    ) }} as participation_rate
{%- endmacro %}

{#- group_plurality_comparisons: a state's vote beside its group's plurality position on each
    roll call, one row (group_code, roll_call_id, year, country_code, is_group_member,
    state_vote, group_vote) per group, roll call and state listed as a UN member (`state_votes`,
    rows of fct_votes) for every group that had at least one other member on that roll call.
    `counts` are group_roll_call_counts (with vote_date); `group_memberships` the groups'
    membership periods, which tell whether the state was a member on the date (it is then a UN
    member too, being listed as one). The plurality (plurality_position) is taken over the other
    members - the state's own vote is left out when it is a member - so that a member is never
    compared with itself: group_vote is Y, N or A, 'tie', or X when none of the other members
    voted. -#}
{% macro group_plurality_comparisons(state_votes, group_memberships, counts) -%}
    select
        compared.group_code,
        compared.roll_call_id,
        compared.year,
        compared.country_code,
        compared.is_group_member,
        compared.state_vote,
        {{ plurality_position(
            'compared.others_yes', 'compared.others_no', 'compared.others_abstain'
        ) }} as group_vote
    from (
        select
            {{ counts }}.group_code,
            {{ counts }}.roll_call_id,
            {{ counts }}.year,
            {{ state_votes }}.country_code,
            {{ group_memberships }}.country_code is not null as is_group_member,
            {{ state_votes }}.vote as state_vote,
            {{ counts }}.n_yes - (
                case
                    when {{ group_memberships }}.country_code is not null
                        and {{ state_votes }}.vote = 'Y' then 1
                    else 0
                end
            ) as others_yes,
            {{ counts }}.n_no - (
                case
                    when {{ group_memberships }}.country_code is not null
                        and {{ state_votes }}.vote = 'N' then 1
                    else 0
                end
            ) as others_no,
            {{ counts }}.n_abstain - (
                case
                    when {{ group_memberships }}.country_code is not null
                        and {{ state_votes }}.vote = 'A' then 1
                    else 0
                end
            ) as others_abstain,
            {{ counts }}.n_members
            - (case when {{ group_memberships }}.country_code is not null then 1 else 0 end)
                as n_others
        from {{ counts }}
        inner join {{ state_votes }}
            on {{ counts }}.roll_call_id = {{ state_votes }}.roll_call_id
        left join {{ group_memberships }}
            on
                {{ counts }}.group_code = {{ group_memberships }}.group_code
                and {{ state_votes }}.country_code = {{ group_memberships }}.country_code
                and {{ date_in_period(
                    counts ~ '.vote_date',
                    group_memberships ~ '.member_from',
                    group_memberships ~ '.member_to',
                ) }}
    ) as compared
    where compared.n_others > 0
{%- endmacro %}

{#- group_agreement_counts: from group_plurality_comparisons (relation `t`), aggregates for a
    period: the roll calls on which the state was a member of the group, the roll calls on which
    the other members tied (left out of the counts), and the counts of a dyad
    (macros/dyads.sql) with the state as a and the group's plurality as b, over the other roll
    calls. The measures of macros/cohesion_measures.sql then apply to those counts. -#}
{% macro group_agreement_counts(t) -%}
    count(*) filter (where {{ t }}.is_group_member) as n_group_member_roll_calls,
    count(*) filter (where {{ t }}.group_vote = 'tie') as n_plurality_ties,
    {{ dyad_count_aggregates(
        t ~ '.state_vote', t ~ '.group_vote', t ~ ".group_vote <> 'tie'"
    ) }}
{%- endmacro %}

{#- group_agreement_by_period: two CTEs for the analyses, from group_plurality_comparisons
    (`comparisons`) and the selected window (`window`, one row start_year, end_year):
    agreement_yearly - per `key_columns` and year, group_agreement_counts and the State
    Department numerator and denominator under that year's rule; agreement_periods - those rows
    (period_type year) and the same summed over the window (period_type window), ready for
    pooled_cohesion_measures. Used inside a `with` list: `{{ group_agreement_by_period(...) }},`.
-#}
{% macro group_agreement_by_period(comparisons, key_columns, window) -%}
agreement_yearly as (

    select
        counted.*,
        {{ state_dept_numerator('counted', 'counted.year') }} as state_dept_numerator,
        {{ state_dept_denominator('counted', 'counted.year') }} as state_dept_denominator
    from (
        select
            {%- for column in key_columns %}
            {{ comparisons }}.{{ column }},
            {%- endfor %}
            {{ comparisons }}.year,
            {{ group_agreement_counts(comparisons) }}
        from {{ comparisons }}
        group by
            {%- for column in key_columns %}
            {{ comparisons }}.{{ column }},
            {%- endfor %}
            {{ comparisons }}.year
    ) as counted

),

agreement_periods as (

    select
        {%- for column in key_columns %}
        agreement_yearly.{{ column }},
        {%- endfor %}
        'year' as period_type,
        cast(agreement_yearly.year as varchar) as period,
        agreement_yearly.year,
        agreement_yearly.n_group_member_roll_calls,
        agreement_yearly.n_plurality_ties,
        {%- for column in dyad_count_columns() %}
        agreement_yearly.{{ column }},
        {%- endfor %}
        agreement_yearly.state_dept_numerator,
        agreement_yearly.state_dept_denominator
    from agreement_yearly
    union all
    select
        {%- for column in key_columns %}
        agreement_yearly.{{ column }},
        {%- endfor %}
        'window' as period_type,
        {{ window }}.start_year || '-' || {{ window }}.end_year as period,
        cast(null as integer) as year,
        sum(agreement_yearly.n_group_member_roll_calls) as n_group_member_roll_calls,
        sum(agreement_yearly.n_plurality_ties) as n_plurality_ties,
        {%- for column in dyad_count_columns() %}
        sum(agreement_yearly.{{ column }}) as {{ column }},
        {%- endfor %}
        sum(agreement_yearly.state_dept_numerator) as state_dept_numerator,
        sum(agreement_yearly.state_dept_denominator) as state_dept_denominator
    from agreement_yearly
    cross join {{ window }}
    group by
        {%- for column in key_columns %}
        agreement_yearly.{{ column }},
        {%- endfor %}
        {{ window }}.start_year,
        {{ window }}.end_year

)
{%- endmacro %}

{#- selected_group_votes: four CTEs for the analyses of named groups, used inside a `with`
    list: selected_groups (the codes given, checked; macros/analysis_selection.sql),
    group_memberships (their periods, from `all_memberships`, marts.dim_group_memberships),
    member_votes (group_member_votes on `roll_calls`) and counts (group_roll_call_counts). -#}
{% macro selected_group_votes(group_codes, groups, all_memberships, un_memberships, votes, roll_calls) -%}
selected_groups as (

    {{ selected_groups(groups, group_codes) }}

),

group_memberships as (

    select {{ all_memberships }}.*
    from {{ all_memberships }}
    inner join selected_groups
        on {{ all_memberships }}.group_code = selected_groups.group_code

),

member_votes as (

    {{ group_member_votes(roll_calls, un_memberships, 'group_memberships', votes) }}

),

counts as (

    {{ group_roll_call_counts('member_votes') }}

)
{%- endmacro %}

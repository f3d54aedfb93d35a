-- The group analyses, computed for the selection from the votes of the groups chosen, give the
-- figures of the group marts, computed for every state and group: Kazakhstan against the
-- Eurasian groups year by year (country_group_agreement), the members of the EU and the CIS
-- against the rest of their group in the years they were members throughout
-- (group_members_agreement), and the EU's members of 2014 as an ad-hoc group (group_cohesion).
-- Returns the rows that differ.
with

country_analysis as (

    select *
    from {{ ref('country_group_agreement') }}('KAZ', ['EAEU', 'SCO', 'CIS', 'CSTO'], 1992, 2025)
    where period_type = 'year'

),

members_analysis as (

    select *
    from {{ ref('group_members_agreement') }}(['EU', 'CIS'], 1992, 2025)
    where period_type = 'year'

),

agreement as (

    select * from {{ ref('fct_country_group_agreement') }}

),

eu_2014_list as (

    select list(memberships.country_code) as codes
    from {{ ref('dim_group_memberships') }} as memberships
    where
        memberships.group_code = 'EU'
        and memberships.member_from <= date '2014-01-01'
        and coalesce(memberships.member_to, date '9999-12-31') >= date '2014-12-31'

),

eu_2014 as (

    select *
    from {{ ref('group_cohesion') }}((select eu_2014_list.codes from eu_2014_list), 2014, 2014)
    where period_type = 'year'

),

group_cohesion as (

    select * from {{ ref('fct_group_cohesion') }}
    where group_code = 'EU' and year = 2014

),

kazakhstan as (

    select * from agreement
    where
        country_code = 'KAZ'
        and group_code in ('EAEU', 'SCO', 'CIS', 'CSTO')
        and year between 1992 and 2025

),

-- members of the EU and the CIS on every roll call compared in the year
full_year_members as (

    select * from agreement
    where
        group_code in ('EU', 'CIS')
        and year between 1992 and 2025
        and n_group_member_roll_calls = n_roll_calls + n_plurality_ties
        and n_group_member_roll_calls > 0

),

country_differences as (

    select
        'country_group_agreement' as analysis,
        coalesce(kazakhstan.group_code, country_analysis.group_code) as group_code,
        coalesce(kazakhstan.year, country_analysis.year) as year
    from kazakhstan
    full outer join country_analysis
        on
            kazakhstan.group_code = country_analysis.group_code
            and kazakhstan.year = country_analysis.year
    where
        kazakhstan.group_code is null
        or country_analysis.group_code is null
        or kazakhstan.n_group_member_roll_calls <> country_analysis.n_group_member_roll_calls
        or kazakhstan.n_plurality_ties <> country_analysis.n_plurality_ties
        {%- for column in dyad_count_columns() %}
        or kazakhstan.{{ column }} <> country_analysis.{{ column }}
        {%- endfor %}

),

member_differences as (

    select
        'group_members_agreement' as analysis,
        full_year_members.group_code,
        full_year_members.year
    from full_year_members
    left join members_analysis
        on
            full_year_members.group_code = members_analysis.group_code
            and full_year_members.country_code = members_analysis.country_code
            and full_year_members.year = members_analysis.year
    where
        members_analysis.group_code is null
        or full_year_members.n_plurality_ties <> members_analysis.n_plurality_ties
        {%- for column in dyad_count_columns() %}
        or full_year_members.{{ column }} <> members_analysis.{{ column }}
        {%- endfor %}

),

cohesion_differences as (

    select
        'group_cohesion' as analysis,
        group_cohesion.group_code,
        group_cohesion.year
    from group_cohesion
    left join eu_2014
        on group_cohesion.year = eu_2014.year
    where
        eu_2014.year is null
        or group_cohesion.n_member_states <> eu_2014.n_member_states
        or group_cohesion.n_roll_calls <> eu_2014.n_roll_calls
        or group_cohesion.n_member_roll_calls <> eu_2014.n_member_roll_calls
        or group_cohesion.n_votes_cast <> eu_2014.n_votes_cast
        or abs(group_cohesion.hix_agreement_index - eu_2014.hix_agreement_index) > 1e-12
        or abs(group_cohesion.pairwise_identical_share - eu_2014.pairwise_identical_share)
        > 1e-12

)

select * from country_differences
union all
select * from member_differences
union all
select * from cohesion_differences

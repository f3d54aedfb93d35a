{#- One row per resolution and member state named in its lists of states in favour, against
    or abstaining (the chosen record of each symbol, names kept once per list). -#}
with

resolutions as (

    select * from {{ ref('stg_dgacm__resolutions') }}

),

{% for list_column, vote in [('names_yes', 'Y'), ('names_no', 'N'), ('names_abstain', 'A')] %}
listed_{{ vote | lower }} as (

    select
        resolutions.resolution_symbol,
        resolutions.symbol_key,
        resolutions.vote_date,
        resolutions.year,
        unnest(resolutions.{{ list_column }}) as listed_name,
        '{{ vote }}' as vote
    from resolutions

),

{% endfor %}
final as (

    select
        listed.resolution_symbol,
        listed.symbol_key,
        upper(trim(listed.listed_name)) as member_state_name,
        listed.vote,
        listed.vote_date,
        listed.year
    from (
        select * from listed_y
        union all
        select * from listed_n
        union all
        select * from listed_a
    ) as listed

)

select * from final

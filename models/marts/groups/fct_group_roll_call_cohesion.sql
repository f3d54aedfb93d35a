{#- How each group of states voted on each roll call (macros/groups.sql): its members on the
    date of the vote, their yes, no and abstain votes, the members absent, the plurality
    position and Hix, Noury and Roland's agreement index. -#}
with

member_votes as (

    select * from {{ ref('int_group_member_votes') }}

),

counts as (

    {{ group_roll_call_counts('member_votes') }}

),

final as (

    select
        counts.group_code,
        counts.roll_call_id,
        counts.vote_date,
        cast(counts.year as integer) as year,
        counts.n_members,
        counts.n_yes,
        counts.n_no,
        counts.n_abstain,
        counts.n_absent,
        {{ plurality_position('counts.n_yes', 'counts.n_no', 'counts.n_abstain') }}
            as plurality_position,
        {{ hix_agreement_index('counts.n_yes', 'counts.n_no', 'counts.n_abstain') }}
            as hix_agreement_index
    from counts

)

select * from final

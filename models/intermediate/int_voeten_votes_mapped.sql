{#- Voeten's per-country votes (both layouts) with the country they belong to. unvotes codes
    countries by ISO alpha-2 (by name where it has no code), the Dataverse file by Correlates
    of War number. A code can stand for several states over time (RU for the USSR and Russia,
    COW 345 for Yugoslavia, Serbia and Montenegro and Serbia, CS for Czechoslovakia and Serbia and
    Montenegro): the candidates are the states of seeds/countries.csv with that code plus the
    extra codes of seeds/voeten_country_codes.csv, and the one that was a UN member on the vote
    date is taken (else a direct code before an extra one). A code with no candidate stops the
    build with the code in the message. Dataverse rows with vote 9 (not a member) are left out;
    8 (absent) is kept as X, like the UN's non-voting. -#}
with

unvotes_votes as (

    select * from {{ ref('stg_unvotes__votes') }}

),

unvotes_roll_calls as (

    select * from {{ ref('stg_unvotes__roll_calls') }}

),

voeten_votes as (

    select * from {{ ref('stg_voeten__votes') }}

),

countries as (

    select * from {{ ref('countries') }}

),

extra_codes as (

    select * from {{ ref('voeten_country_codes') }}

),

memberships as (

    select * from {{ ref('country_memberships') }}

),

votes as (

    select
        'unvotes' as source,
        unvotes_votes.rcid,
        case when unvotes_votes.iso_alpha2 is null then 'name' else 'iso_alpha2' end
            as code_type,
        coalesce(unvotes_votes.iso_alpha2, unvotes_votes.country_name) as source_code,
        unvotes_votes.country_name as source_country_name,
        unvotes_votes.vote,
        unvotes_roll_calls.vote_date
    from unvotes_votes
    inner join unvotes_roll_calls
        on unvotes_votes.rcid = unvotes_roll_calls.rcid
    union all
    select
        'voeten' as source,
        voeten_votes.rcid,
        'cow_code' as code_type,
        cast(voeten_votes.cow_code as varchar) as source_code,
        voeten_votes.country_name as source_country_name,
        voeten_votes.vote,
        voeten_votes.vote_date
    from voeten_votes
    where voeten_votes.vote is not null

),

candidates as (

    select
        'unvotes' as source,
        'iso_alpha2' as code_type,
        countries.iso_alpha2 as source_code,
        countries.country_code,
        false as is_extra_code
    from countries
    where countries.iso_alpha2 is not null
    union all
    select
        'voeten' as source,
        'cow_code' as code_type,
        cast(countries.cow_code as varchar) as source_code,
        countries.country_code,
        false as is_extra_code
    from countries
    union all
    select
        extra_codes.source,
        extra_codes.code_type,
        extra_codes.source_code,
        extra_codes.country_code,
        true as is_extra_code
    from extra_codes

),

matched as (

    select
        votes.source,
        votes.rcid,
        votes.code_type,
        votes.source_code,
        votes.source_country_name,
        votes.vote,
        votes.vote_date,
        candidates.country_code,
        memberships.country_code is not null as is_member,
        row_number() over (
            partition by votes.source, votes.rcid, votes.code_type, votes.source_code
            order by
                memberships.country_code is not null desc,
                candidates.is_extra_code asc,
                candidates.country_code asc
        ) as candidate_rank
    from votes
    left join candidates
        on
            votes.source = candidates.source
            and votes.code_type = candidates.code_type
            and votes.source_code = candidates.source_code
    left join memberships
        on
            candidates.country_code = memberships.country_code
            and votes.vote_date >= memberships.member_from
            and (memberships.member_to is null or votes.vote_date <= memberships.member_to)

),

final as (

    select
        matched.source,
        matched.rcid,
        coalesce(
            matched.country_code,
            error(
                'unmapped ' || matched.source || ' country code ' || matched.source_code
                || coalesce(' (' || matched.source_country_name || ')', '')
                || '; add it to seeds/voeten_country_codes.csv'
            )
        ) as country_code,
        matched.code_type,
        matched.source_code,
        matched.source_country_name,
        matched.vote,
        matched.vote_date,
        cast(year(matched.vote_date) as integer) as year,
        matched.is_member
    from matched
    where matched.candidate_rank = 1

)

select * from final

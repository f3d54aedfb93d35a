{#- One row per resolution symbol of the DGACM extracts. Some symbols occur on two or three
    lines that differ only in sponsors or SDGs; the line with the longest vote lists, then the
    most additional sponsors, then the first one is kept. Names repeated within a list
    (A/RES/75/290 A lists every state twice) are kept once. -#}
with

source as (

    select * from {{ source('dgacm', 'dgacm_resolutions') }}

),

symbols as (

    select
        source.*,
        {{ clean_resolution_symbol('source.symbol') }} as resolution_symbol,
        len(source.ms_in_favour) + len(source.ms_against) + len(source.ms_abstaining)
            as n_listed_raw
    from source

),

ranked as (

    select
        symbols.*,
        row_number() over (
            partition by symbols.resolution_symbol
            order by
                symbols.n_listed_raw desc,
                len(symbols.additional_sponsors) desc,
                symbols.source_file asc,
                symbols.source_row asc
        ) as record_rank,
        count(*) over (partition by symbols.resolution_symbol) as n_records
    from symbols

),

chosen as (

    select
        ranked.*,
        list_distinct(ranked.ms_in_favour) as names_yes,
        list_distinct(ranked.ms_against) as names_no,
        list_distinct(ranked.ms_abstaining) as names_abstain,
        (
            coalesce(lower(trim(ranked.adoption_type)) = 'by a recorded vote', false)
            or coalesce(ranked.voting_type = 'adoptedRecordedVote', false)
            or ranked.n_listed_raw > 0
        ) as is_recorded_vote
    from ranked
    where ranked.record_rank = 1

),

final as (

    select
        chosen.resolution_symbol,
        chosen.symbol as resolution_symbol_raw,
        {{ un_symbol_match_key('chosen.resolution_symbol') }} as symbol_key,
        {{ session_from_symbol('chosen.resolution_symbol') }} as session,
        chosen.adoption_date as vote_date,
        cast(year(chosen.adoption_date) as integer) as year,
        nullif(trim(chosen.title), '') as title,
        nullif(trim(chosen.agenda_item), '') as agenda_item,
        nullif(trim(chosen.agenda_item_name), '') as agenda_item_name,
        nullif(trim(chosen.committee), '') as committee,
        nullif(trim(chosen.adoption_type), '') as adoption_type,
        chosen.is_recorded_vote,
        -- N.A. on a recorded vote stands for none (the list is empty)
        {% for count_column, list_column, name in [
            ('ms_in_favour_count', 'names_yes', 'official_yes'),
            ('ms_against_count', 'names_no', 'official_no'),
            ('ms_abstaining_count', 'names_abstain', 'official_abstain')
        ] %}
        case
            when regexp_full_match(trim(chosen.{{ count_column }}), '[0-9]+')
                then cast(trim(chosen.{{ count_column }}) as integer)
            when chosen.is_recorded_vote and len(chosen.{{ list_column }}) = 0 then 0
        end as {{ name }},
        {% endfor %}
        cast(len(chosen.names_yes) as integer) as listed_yes,
        cast(len(chosen.names_no) as integer) as listed_no,
        cast(len(chosen.names_abstain) as integer) as listed_abstain,
        chosen.n_listed_raw > 0 as has_vote_lists,
        chosen.n_listed_raw
        > len(chosen.names_yes) + len(chosen.names_no) + len(chosen.names_abstain)
            as has_repeated_names,
        chosen.names_yes,
        chosen.names_no,
        chosen.names_abstain,
        nullif(array_to_string(chosen.subjects, '|'), '') as subjects,
        cast(chosen.n_records as integer) as n_records,
        chosen.source_file,
        chosen.source_row,
        chosen.load_id
    from chosen

)

select * from final

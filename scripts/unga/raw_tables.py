"""Raw tables of the extra sources (Voeten's data in two layouts, the DGACM extracts).

They are created, empty, by every load (the UN Digital Library load included), so that dbt
builds whether or not an extra source was ever loaded. Each source has its own rejected-rows
table, so that loading one source never touches the rows of another. `raw.load_log` gains a
`source_kind` column (undl, unvotes, voeten, dgacm); rows logged before it existed are UNDL loads.
"""

from __future__ import annotations

# Older warehouses have a load_log without source_kind: the column is added with the default
# 'undl', which is what every earlier load was.
LOAD_LOG_KIND = """
alter table raw.load_log add column if not exists source_kind varchar default 'undl';
"""

EXTRA_DDL = (
    LOAD_LOG_KIND
    + """
create table if not exists raw.unvotes_votes (
    load_id integer not null,
    source_row bigint not null,
    rcid bigint not null,
    country varchar not null,
    country_code varchar,
    vote varchar not null
);
create table if not exists raw.unvotes_roll_calls (
    load_id integer not null,
    source_row bigint not null,
    rcid bigint not null,
    session varchar,
    importantvote varchar,
    date date not null,
    unres varchar,
    amend varchar,
    para varchar,
    short varchar,
    descr varchar
);
create table if not exists raw.unvotes_issues (
    load_id integer not null,
    source_row bigint not null,
    rcid bigint not null,
    short_name varchar not null,
    issue varchar
);
create table if not exists raw.unvotes_rejected_rows (
    load_id integer not null,
    source_file varchar not null,
    source_row bigint not null,
    reason varchar not null,
    record json not null
);
create table if not exists raw.voeten_votes (
    load_id integer not null,
    source_row bigint not null,
    rcid bigint not null,
    ccode integer not null,
    member varchar,
    vote varchar not null,
    session varchar,
    date date not null,
    unres varchar,
    importantvote varchar,
    amend varchar,
    para varchar,
    short varchar,
    descr varchar,
    me varchar,
    nu varchar,
    di varchar,
    hr varchar,
    co varchar,
    ec varchar,
    country varchar,
    countryname varchar
);
create table if not exists raw.voeten_rejected_rows (
    load_id integer not null,
    source_file varchar not null,
    source_row bigint not null,
    reason varchar not null,
    record json not null
);
create table if not exists raw.dgacm_resolutions (
    load_id integer not null,
    source_file varchar not null,
    source_row bigint not null,
    symbol varchar not null,
    resolution_number varchar,
    title varchar,
    session varchar,
    adoption_meeting varchar,
    adoption_date date not null,
    adoption_date_text varchar not null,
    adoption_type varchar,
    voting_type varchar,
    originating_document varchar,
    committee varchar,
    agenda_item varchar,
    agenda_item_name varchar,
    ms_in_favour_count varchar,
    ms_against_count varchar,
    ms_abstaining_count varchar,
    pv varchar,
    ms_in_favour varchar[] not null,
    ms_against varchar[] not null,
    ms_abstaining varchar[] not null,
    sponsors varchar[],
    additional_sponsors varchar[],
    sdgs varchar[],
    subjects varchar[],
    record json not null
);
create table if not exists raw.dgacm_rejected_rows (
    load_id integer not null,
    source_file varchar not null,
    source_row bigint not null,
    reason varchar not null,
    record json not null
);
"""
)

{#- Parameterised analyses as DuckDB table macros.

    A model with materialized='table_macro' becomes `create or replace macro
    <schema>.<name>(<parameters>) as table <the model's select>`: a function any DuckDB client
    calls like a table, `select * from marts.focal_cohesion('KAZ', ['RUS', 'CHN'], 2007, 2022)`.
    Its parameters come from the model's config `parameters`, a list of 'name type' (and
    optionally ' := default'), e.g. ['focal varchar', 'reference_codes varchar[]'].

    The body refers to the marts through analysis_ref(), which records the dependency like
    ref() but leaves the database (catalog) name out: a macro resolves its tables when it is
    called, in the database it is called from, so the same macro works in the warehouse and in
    the published serving copy (whatever the file is called). -#}

{% macro analysis_ref(model_name) -%}
    {{ return(ref(model_name).include(database=False)) }}
{%- endmacro %}

{% materialization table_macro, adapter='duckdb' %}
    {%- set parameters = config.get('parameters', []) -%}
    {%- if parameters is string -%}
        {%- set parameters = [parameters] -%}
    {%- endif -%}
    {%- set target = this.include(database=False) -%}

    {% do adapter.create_schema(this) %}
    {{ run_hooks(pre_hooks) }}

    {% call statement('main') -%}
        create or replace macro {{ target }}({{ parameters | join(', ') }}) as table
        {{ sql }}
    {%- endcall %}

    {{ run_hooks(post_hooks) }}
    {% do adapter.commit() %}

    {{ return({'relations': []}) }}
{% endmaterialization %}

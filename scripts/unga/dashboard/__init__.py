"""The cohesion dashboard: a Streamlit app reading the published serving copy.

`data` holds the queries (no Streamlit); `Cohesion.py` is the main page and `pages/Groups.py`
the groups page, named in the sidebar after their files. Run it with
`make dashboard`, or `streamlit run scripts/unga/dashboard/Cohesion.py`.
"""

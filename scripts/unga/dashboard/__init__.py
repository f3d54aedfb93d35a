"""The cohesion dashboard: a Streamlit app (app.py) reading the published serving copy.

`data` holds the queries and computations (no Streamlit), `app` the page. Run it with
`make dashboard`, or `streamlit run scripts/unga/dashboard/app.py`.
"""

"""Streamlit widgets both pages of the dashboard use: the CSV download of a table and the years
slider of the sidebar."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from unga.dashboard import data


def download(table: pd.DataFrame, name: str) -> None:
    """A button that downloads `table` as `<name>.csv`, without running the page again."""
    st.download_button(
        "Download CSV",
        table.to_csv(index=False).encode(),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"download_{name}",
        on_click="ignore",
    )


def years(side: DeltaGenerator, choices: data.Choices, key: str) -> tuple[int, int]:
    """The first and last year chosen, from the build's window by default."""
    start_year, end_year = side.slider(
        "Years",
        min_value=choices.first_year,
        max_value=choices.last_year,
        value=(choices.default.start_year, choices.default.end_year),
        key=key,
    )
    return int(start_year), int(end_year)

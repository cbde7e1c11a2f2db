"""Tests of the Streamlit chat UI and staff view."""

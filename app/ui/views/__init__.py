"""Streamlit page scripts (each one calls a page module's main)."""

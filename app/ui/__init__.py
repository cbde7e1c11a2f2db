"""Streamlit UI: the applicant chat, the sources list and the staff view."""

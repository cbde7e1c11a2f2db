"""Deployment helpers: the local many-user setup (PostgreSQL, replicas, nginx) and a load test."""

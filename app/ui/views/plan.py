"""Page: plan a resource request from a described workload."""

from app.ui.plan_page import main

main()

"""Where two readers of the run count or of a rate both find their phrasing, the earlier one in
the readers' order wins (app/plan/runs.py RUN_READERS, app/plan/rates.py _RATE_READERS). Each
case is written here, not copied from an eval file.
"""

from __future__ import annotations

import pytest

from app.plan.parse import parse_workload


@pytest.mark.parametrize(
    ("text", "runs", "hours"),
    [
        # Runs for each of N items (12) beat "once per item" (4).
        ("We adapt the model once per dialect. For each of the 4 dialects we need 3 runs with "
         "different seeds, 5 hours per run on 1 GPU.", 12, 5.0),
        # A run count said outright (9) beats "for each of N items" (3).
        ("Sweep: 5 hours on 1 GPU for each of 3 learning rates, 9 runs in all (3 seeds each).",
         9, 5.0),
        # A time per M items (2 min per 100 pages) beats a time per item (2 min per page).
        ("OCR of 50000 scanned pages on one GPU: it reads them at 2 minutes per 100 pages.",
         1, 50000 / 100 * 2 / 60),
    ],
)  # fmt: skip
def test_the_earlier_reader_wins_when_two_phrasings_meet(
    text: str, runs: int, hours: float
) -> None:
    """The readers' order is the priority: the reading the order puts first is the one kept."""
    w = parse_workload(text)
    assert w.runs == runs
    assert w.hours_per_run == pytest.approx(hours)

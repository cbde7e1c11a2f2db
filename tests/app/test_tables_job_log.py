"""The planner on a job accounting log as a scheduler exports it: a numeric JobID, a User
login, run times written "06:42:18" and "1-02:30:00", counts headed NGPUS, a charge whose unit
sits in a ChargeUnit column, and job states including "CANCELLED by 4120" and TIMEOUT. The file
is written here and loaded into a real DuckDB file; sums and rows are checked exactly. Every
name and number is made up for this test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.types import SourceMeta
from tests.helpers import table_answer as ask
from tests.helpers import table_index

LOG = (
    "JobID,User,Account,Partition,NGPUS,Elapsed,State,Charged,ChargeUnit\n"
    "700101,mlee,geo101,finch-gpu,4,06:30:00,COMPLETED,26.00,GPU-hours\n"
    "700102,mlee,geo101,finch-gpu,8,1-02:00:00,TIMEOUT,208.00,GPU-hours\n"
    "700103,rkaur,bio202,finch-gpu,2,03:15:00,FAILED,6.50,GPU-hours\n"
    "700104,rkaur,bio202,robin-cpu,0,10:00:00,COMPLETED,1280.00,SUs\n"
    "700105,tosei,bio202,robin-cpu,0,00:00:00,CANCELLED by 4120,0.00,SUs\n"
    "700106,tosei,phy303,robin-cpu,0,2-00:00:10,TIMEOUT,6144.00,SUs\n"
    "700107,mlee,geo101,robin-cpu,0,00:00:00,CANCELLED,0.00,SUs\n"
)


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The log as a typed table in a real DuckDB file."""
    meta = SourceMeta("jobs.csv", title="Finch Center Job Accounting", as_of="2025-11-01")
    return table_index(tmp_path_factory.mktemp("jobs"), LOG, meta, clean=False)


def test_the_charge_is_the_amount_and_the_job_id_a_label(log: Path) -> None:
    a = ask(log, "What's the total SU charge on robin-cpu?")
    assert "7,424 SUs" in a.text  # 1280 + 0 + 6144 + 0: never the job ids added up
    gpu = ask(log, "How many GPU-hours did mlee use?")
    assert "234 GPU-hours" in gpu.text  # 26 + 208


def test_a_job_is_found_by_its_number_and_run_times_are_hours(log: Path) -> None:
    a = ask(log, "What state did job 700106 end in?")
    assert a.text.startswith("1 ") and "TIMEOUT" in a.text
    assert "48 hours" in a.text  # "2-00:00:10" read as days-hours:minutes:seconds


def test_job_states_in_everyday_words(log: Path) -> None:
    cancelled = ask(log, "How many jobs got cancelled?")
    assert cancelled.text.startswith("2 ")  # "CANCELLED by 4120" is cancelled too
    limit = ask(log, "Which robin-cpu jobs hit their time limit?")
    assert limit.text.startswith("1 ") and "700106" in limit.text


def test_who_ran_the_most_jobs_and_jobs_longer_than_a_day(log: Path) -> None:
    most = ask(log, "Who ran the most jobs?")
    assert "mlee: 3" in most.text  # counted per User, not the largest charge
    long = ask(log, "Which jobs ran for more than a day?")
    assert long.text.startswith("2 ") and "700102" in long.text and "700106" in long.text

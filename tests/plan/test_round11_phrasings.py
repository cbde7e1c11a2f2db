"""Phrasing families found by heldout27 (measured once, then fixed): students who are the
research team, a course said through its coursework or attendees, meetings on N Saturdays,
"Students: up to N", teams sharing GPUs, N offerings with words between, work "per site" with
the sites counted elsewhere, a bare "x2 (…)", "then double it", "N tasks and each task gets M
seeds", a throughput in tokens per second, "single pass", an interview's "how many cores per
…? 64", and past "preliminary runs" that make no startup. Each case is written here, not
copied from an eval file.
"""

from __future__ import annotations

from app.plan.parse import parse_workload


def test_students_in_the_team_make_no_course() -> None:
    w = parse_workload(
        "We will tag 2 million patents by topic with a 7B model on one GPU, about 50 patents "
        "per second. Our group: 2 professors and 5 students."
    )
    assert w.task == "inference"
    # a course said by what its learners get, not by the word "course"
    c = parse_workload(
        "Hands-on evenings: every registered attendee gets a GPU for the session. We meet on "
        "10 Thursdays, 3 hours each time. Enrolment is capped at 20."
    )
    assert c.task == "classroom"
    assert (c.students, c.hours_per_week, c.weeks) == (20, 3, 10)


def test_a_form_line_of_students_and_teams_sharing_gpus() -> None:
    c = parse_workload(
        "Course request. Students: up to 30 per term. One 2-hour lab per week over 12 weeks, "
        "each student on one GPU."
    )
    assert c.task == "classroom" and c.students == 30
    t = parse_workload(
        "Capstone course: 10 teams of 3 students each. Each team gets 3 GPUs for 5 hours a "
        "week over 8 weeks."
    )
    assert t.students == 30 and t.students_per_gpu is None  # a GPU each: nothing shared
    pairs = parse_workload(
        "Capstone course: 6 teams of 4 students. Each team gets 2 GPUs, 4 hours a week for 10 "
        "weeks."
    )
    assert (pairs.students, pairs.students_per_gpu) == (24, 2)


def test_offerings_with_words_between() -> None:
    c = parse_workload(
        "Summer workshop: we run four two-day offerings, each with 15 participants, 6 hours "
        "of lab per day, one GPU per participant."
    )
    assert c.runs == 4


def test_work_per_site_with_the_sites_counted_elsewhere() -> None:
    w = parse_workload(
        "Retrain the detector for all 3 partner hospitals. Per hospital: 4 seeds, 1 GPU, "
        "about 5 h per seed."
    )
    assert w.runs == 12
    # a size per item is output, not work
    s = parse_workload(
        "Each scenario run uses 32 cores for 4 hours. We need 20 scenario runs. Output is 2 GB "
        "per scenario."
    )
    assert s.runs == 20


def test_a_bare_times_sign_doubling_and_each_item_with_its_seeds() -> None:
    w = parse_workload(
        "Per basin, 2 GPUs for about 10 hours, x2 (warm-up stage, then main stage). We cover "
        "5 basins."
    )
    assert w.runs == 10
    d = parse_workload("One adapter per accent, 6 accents, 3 h each on one GPU. Then double it.")
    assert d.runs == 12
    e = parse_workload("Each job: 1 GPU for 4 hours. We have 5 tasks and each task gets 3 seeds.")
    assert e.runs == 15


def test_a_token_throughput_and_a_single_pass() -> None:
    w = parse_workload(
        "Pretraining a 1B model: measured 100k tokens/s on 8 GPUs. We need 36B tokens, a "
        "single pass. The eval suite has 9 benchmarks."
    )
    assert w.tokens_b == 36 and w.runs == 1
    assert w.hours_per_run is not None and abs(w.hours_per_run - 100.0) < 1e-6


def test_interview_cores_and_past_preliminary_runs() -> None:
    c = parse_workload(
        "> How many cores per simulation?\n32, CPU only.\n> Runtime?\n3 h per run.\n"
        "> Runs?\n50 runs."
    )
    assert c.cpu_cores == 32 and c.runs == 50
    p = parse_workload(
        "I will fully fine-tune a 7B model. Preliminary runs peak at 70 GB per GPU, so 80 GB "
        "cards are needed: 4 GPUs for 30 hours per run, 6 runs."
    )
    assert not p.exploratory

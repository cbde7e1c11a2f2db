"""How much to ask for: the base estimate, a contingency, and each resource's own unit.

Every line of `steps` is one equation whose left side recomputes to its right side
(`check_step` does exactly that); explanations go to assumptions and reasons instead.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from app.plan.catalogue import CitationBook
from app.plan.schema import Estimate, PerResource, ResourceFit, Workload
from ingest.catalogue import Resource

CONTINGENCY = 0.15  # a stated margin for failed runs, restarts and debugging
FLOPS_PER_PARAM_TOKEN = 6  # training ≈ 6 × N × D FLOPs (8 with activation recomputation)
THROUGHPUT_TFLOPS = (
    50.0,
    100.0,
    200.0,
)  # assumed achieved per GPU: pessimistic, central, optimistic
TOKENS_PER_GB = 0.25  # billions of tokens per GB of raw text (≈ 4 bytes per token)
COURSE_CORES = 4  # CPU cores per student session when a course needs no GPU


def fmt(x: float) -> str:
    """A number as printed in steps (plain up to 1e6, then scientific)."""
    if x != 0 and (abs(x) >= 1e7 or abs(x) < 1e-3):
        return re.sub(r"e\+?(-?)0*(\d)", r"e\1\2", f"{x:.4g}")
    if abs(x) < 10:
        # Four significant digits: "0.4167 h × 72 runs" must recompute to its 30, "0.42 h" did not.
        return f"{x:.4g}"
    return f"{round(x, 2):g}" if abs(x) < 1e6 else f"{round(x):d}"


@dataclass
class Base:
    """The base estimate before conversion into resource units."""

    unit: str = "GPU-hours"
    amount: float | None = None
    low: float | None = None
    high: float | None = None
    steps: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def base_estimate(w: Workload) -> Base:
    """GPUs × hours × runs when given; a course's student-hours; else 6·N·D over a throughput."""
    b = Base()
    if w.task == "classroom":
        _course(w, b)
    elif w.phases:
        _phases(w, b)
    elif w.hours_per_run is not None and (w.gpus or w.nodes or w.cpu_cores or w.cpu_only):
        _given(w, b)
    elif w.total_amount is not None and w.total_unit is not None:
        _total(w, b)
    elif (
        w.params_b is not None
        and (w.tokens_b or w.dataset_gb)
        and w.task
        in (
            "training",
            "fine-tuning",
        )
    ):
        _compute(w, b)
    elif w.hours_per_run is not None:
        b.missing.append("How many GPUs does one run use?")
    else:
        b.missing.append(
            "How long does one run take, on how many GPUs, and how many runs do you plan? "
            "(or, for training: how many tokens, or how large is the dataset?)"
        )
    if b.amount is not None:
        total = b.amount * (1 + CONTINGENCY)
        b.steps.append(
            f"{fmt(b.amount)} {b.unit} × {fmt(1 + CONTINGENCY)} contingency = {fmt(total)} {b.unit}"
        )
        b.assumptions.append(
            f"A {CONTINGENCY:.0%} contingency for failed runs, restarts and debugging is added."
        )
        b.high = (b.high or b.amount) * (1 + CONTINGENCY)
        b.low = b.low if b.low is not None else b.amount
        b.amount = total
    return b


def _course(w: Workload, b: Base) -> None:
    """Students × hours per week × weeks, then GPUs (or cores) per student."""
    names = {"students": "How many students?", "hours_per_week": "How many hours per student "
             "per week?", "weeks": "How many weeks will the course use the resource?"}  # fmt: skip
    absent = [q for k, q in names.items() if getattr(w, k) is None]
    if absent:
        b.missing += absent
        return
    assert w.students and w.hours_per_week and w.weeks
    sh = w.students * w.hours_per_week * w.weeks
    b.steps.append(
        f"{w.students} students × {fmt(w.hours_per_week)} h per week × {fmt(w.weeks)} weeks = "
        f"{fmt(sh)} student-hours"
    )
    if w.runs and w.runs > 1:  # the same course taught again (another term)
        one = sh
        sh = one * w.runs
        b.steps.append(f"{fmt(one)} student-hours × {w.runs} offerings = {fmt(sh)} student-hours")
    if w.cpu_only:
        cores = w.cpu_cores or COURSE_CORES
        b.unit = "core-hours"
        b.amount = sh * cores
        b.steps.append(f"{fmt(sh)} student-hours × {cores} cores = {fmt(b.amount)} core-hours")
        if not w.cpu_cores:
            b.assumptions.append(f"Each student session uses {COURSE_CORES} CPU cores.")
    elif w.gpus_per_student:
        b.amount = sh * w.gpus_per_student
        b.steps.append(
            f"{fmt(sh)} student-hours × {w.gpus_per_student} GPUs each = {fmt(b.amount)} GPU-hours"
        )
    elif w.students_per_gpu:
        b.amount = sh / w.students_per_gpu
        b.steps.append(
            f"{fmt(sh)} student-hours ÷ {w.students_per_gpu} students per GPU = "
            f"{fmt(b.amount)} GPU-hours"
        )
    else:
        b.amount = sh * 1
        b.steps.append(f"{fmt(sh)} student-hours × 1 GPU = {fmt(b.amount)} GPU-hours")
        b.assumptions.append("Each student session uses one GPU (a shared fraction costs less).")


def _given(w: Workload, b: Base) -> None:
    """The user's own numbers: GPUs (or nodes, cores) × hours per run × runs."""
    assert w.hours_per_run is not None
    runs = w.runs
    if runs is None:
        runs = 1
        # Ask only when the text speaks of repeating the work; a single job is one run.
        if re.search(
            r"\b(?:runs|per run|each run|every run|experiments|seeds|sweeps?|configurations|"
            r"trials|several|multiple|repeat\w*|ablations|folds|many|various|numerous|"
            r"iterat\w*|until)\b",
            w.text,
            re.IGNORECASE,
        ):
            b.missing.append("How many runs (experiments, seeds, sweeps) do you plan?")
        else:
            b.assumptions.append("One run is assumed: no number of runs was given.")
        b.assumptions.append("One run is assumed until you say how many.")
    if w.gpus and not w.cpu_only:
        what, n, b.unit = "GPUs", w.gpus, "GPU-hours"
    elif w.nodes:
        what, n, b.unit = "nodes", w.nodes, "node-hours"
    elif w.cpu_cores:
        what, n, b.unit = "cores", w.cpu_cores, "core-hours"
    else:
        b.missing.append("How many nodes or cores does one run use?")
        return
    b.amount = n * w.hours_per_run * runs
    what = what[:-1] if n == 1 else what
    b.steps.append(
        f"{n} {what} × {fmt(w.hours_per_run)} h × {runs} run{'s' * (runs != 1)} = "
        f"{fmt(b.amount)} {b.unit}"
    )


def _phases(w: Workload, b: Base) -> None:
    """Listed phases, each sized on its own, summed."""
    b.steps += [p.step for p in w.phases if p.step]
    b.amount = sum(p.gpu_hours for p in w.phases)
    listed = " + ".join(fmt(p.gpu_hours) for p in w.phases)
    b.steps.append(f"{listed} = {fmt(b.amount)} GPU-hours")
    b.assumptions.append(
        "The phases are summed: " + "; ".join(f"{p.label} {fmt(p.gpu_hours)}" for p in w.phases)
    )


def _total(w: Workload, b: Base) -> None:
    """A total the user already gave in resource units; days become hours."""
    assert w.total_amount is not None and w.total_unit is not None
    kind, _, per = w.total_unit.partition("-")
    b.unit = f"{kind}-hours"
    b.amount = w.total_amount * (24 if per == "days" else 1)
    if per == "days":
        b.steps.append(
            f"{fmt(w.total_amount)} {w.total_unit} × 24 h per day = {fmt(b.amount)} {b.unit}"
        )
    if w.total_per_run and w.runs:
        one = b.amount
        b.amount = one * w.runs
        b.steps.append(
            f"{fmt(one)} {b.unit} per run × {w.runs} run{'s' * (w.runs != 1)} = "
            f"{fmt(b.amount)} {b.unit}"
        )
    elif w.total_per_run:
        b.missing.append("How many runs (experiments, seeds, sweeps) do you plan?")
    b.assumptions.append(
        f"The total you gave ({fmt(w.total_amount)} {w.total_unit}) is the base; split it into "
        "GPUs (or nodes) × hours × runs in the request to show the work."
    )


def _compute(w: Workload, b: Base) -> None:
    """6 × parameters × tokens FLOPs, divided by an assumed (printed) achieved throughput."""
    assert w.params_b is not None
    tokens_b = w.tokens_b
    if tokens_b is None:
        assert w.dataset_gb is not None
        tokens_b = w.dataset_gb * TOKENS_PER_GB
        b.steps.append(
            f"{fmt(w.dataset_gb)} GB × {TOKENS_PER_GB} billion tokens per GB = "
            f"{fmt(tokens_b)} billion tokens"
        )
        b.assumptions.append(
            f"Text holds about {TOKENS_PER_GB:g} billion tokens per GB (≈ 4 bytes per token)."
        )
    epochs = w.epochs or 1
    if w.epochs is None:
        b.assumptions.append("One pass over the data (1 epoch) is assumed.")
    n, d = w.params_b * 1e9, tokens_b * 1e9 * epochs
    flops = FLOPS_PER_PARAM_TOKEN * n * d
    b.steps.append(
        f"{FLOPS_PER_PARAM_TOKEN} × {fmt(n)} parameters × {fmt(d)} tokens = {fmt(flops)} FLOPs"
    )
    lo_t, mid_t, hi_t = THROUGHPUT_TFLOPS
    hours = {}
    for tput in (hi_t, mid_t, lo_t):
        hours[tput] = flops / (tput * 1e12 * 3600)
        b.steps.append(
            f"{fmt(flops)} FLOPs ÷ ({fmt(tput)}e12 FLOP/s × 3600 s) = {fmt(hours[tput])} GPU-hours"
        )
    b.amount, b.low, b.high = hours[mid_t], hours[hi_t], hours[lo_t]
    b.assumptions.append(
        f"Training compute ≈ {FLOPS_PER_PARAM_TOKEN} × parameters × tokens FLOPs (8× with "
        "activation recomputation); a rule of thumb, not a program fact."
    )
    b.assumptions.append(
        f"Achieved throughput is assumed at {mid_t:g} TFLOP/s per GPU (range {lo_t:g}–{hi_t:g}), "
        "well below any GPU's peak; measure your own and replace it."
    )


def convert(
    r: Resource, fit: ResourceFit, w: Workload, b: Base, book: CitationBook
) -> tuple[PerResource, list[str]]:
    """The base estimate in one resource's unit, by its charging rule; plus warnings."""
    warnings: list[str] = []
    steps: list[str] = []
    amount: float | None = None
    u = r.unit
    unit_fact = r.fact("accelerator").model_copy(
        update={"source": u.source or r.source, "locator": u.locator or r.locator}
    )
    key = book.cite(unit_fact)
    rate, older = r.rate()
    if rate is not None and older:
        old = ", ".join(f"{o.value:g} ({o.note or o.as_of})" for o in older)
        basis = _BASIS.get(u.rule, "unit")
        warnings.append(
            f"{r.name}: the catalogue holds two dated values for one rate — {rate.value:g} "
            f"{u.name} per {basis} as of {rate.as_of} and {old}; the newer, {rate.value:g}, "
            f"is used{key}."
        )
    if b.amount is None:
        return PerResource(resource=r.name, amount=None, unit=u.name, steps=[]), warnings
    if u.rule == "gpu_share" and b.unit == "GPU-hours" and rate:
        amount = b.amount * rate.value
        steps.append(f"{fmt(b.amount)} GPU-hours × {fmt(rate.value)} {u.name} per GPU-hour = "
                     f"{fmt(amount)} {u.name}")  # fmt: skip
        fit.reasons.append(
            f"Charged per GPU-hour by the largest of GPUs, cores ÷ {u.cores_per_gpu:g} or memory "
            f"÷ {u.memory_gb_per_gpu:g} GB, at least {u.minimum:g} {u.name} a job{key}; ask for no "
            "more cores or memory per GPU than that, or the charge grows."
        )
    elif u.rule == "node_hour" and rate:
        amount = _node_hours(r, w, b, steps, fit, key)
    elif u.rule == "vcpu_hour" and rate:
        if b.unit == "core-hours":
            amount = b.amount * rate.value
            steps.append(f"{fmt(b.amount)} core-hours × {fmt(rate.value)} {u.name} per vCPU-hour"
                         f" = {fmt(amount)} {u.name}")  # fmt: skip
        else:
            fit.reasons.append(
                f"Charged {rate.value:g} {u.name} per vCPU-hour for this instance type{key}; the "
                "vCPUs of an instance are not in the catalogue, so convert with the size you pick."
            )
    elif u.rule == "device_hour" and w.hours_per_run and rate:
        runs = w.runs or 1
        amount = w.hours_per_run * runs * rate.value * (1 + CONTINGENCY)
        steps.append(f"{fmt(w.hours_per_run)} h × {runs} runs × {fmt(rate.value)} device × "
                     f"{fmt(1 + CONTINGENCY)} contingency = {fmt(amount)} {u.name}")  # fmt: skip
        fit.reasons.append(
            f"Charged in {u.name}s: {u.buys}{key}. One device per job is assumed for as long "
            "as the GPU run; benchmark on the device before you request."
        )
    elif u.rule == "unknown":
        fit.reasons.append(
            f"Its charging unit is not in the sources{key}; the figure is in {b.unit}."
        )
        return PerResource(resource=r.name, amount=b.amount, unit=b.unit, steps=[]), warnings
    return PerResource(resource=r.name, amount=amount, unit=u.name, steps=steps), warnings


def _node_hours(
    r: Resource, w: Workload, b: Base, steps: list[str], fit: ResourceFit, key: str
) -> float | None:
    """Whole-node charging: every job pays for whole nodes."""
    if b.unit == "node-hours":
        steps.append(f"{fmt(b.amount or 0)} node-hours × 1 = {fmt(b.amount or 0)} node-hours")
        return b.amount
    gpn = r.fact("gpus_per_node").number()
    cores = r.fact("cpu_cores_per_node").number()
    if b.unit == "GPU-hours" and gpn and w.gpus and w.hours_per_run:
        nodes = math.ceil(w.gpus / gpn)
        runs = w.runs or 1
        amount = nodes * w.hours_per_run * runs * (1 + CONTINGENCY)
        steps.append(f"{nodes} nodes × {fmt(w.hours_per_run)} h × {runs} runs × "
                     f"{fmt(1 + CONTINGENCY)} contingency = {fmt(amount)} node-hours")  # fmt: skip
        fit.reasons.append(f"Charged for whole nodes{key}: {w.gpus} GPUs need {nodes} node(s).")
        return amount
    if b.unit == "core-hours" and cores:
        amount = (b.amount or 0) / cores
        steps.append(f"{fmt(b.amount or 0)} core-hours ÷ {fmt(cores)} cores per node = "
                     f"{fmt(amount)} node-hours")  # fmt: skip
        return amount
    fit.reasons.append(f"Charged per whole node-hour{key}; node size is not in the catalogue.")
    return None


_BASIS = {"gpu_share": "GPU-hour", "node_hour": "node-hour", "vcpu_hour": "vCPU-hour",
          "device_hour": "device-hour"}  # fmt: skip
_OPS = {"×": "*", "÷": "/", "+": "+", "−": "-"}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


def check_step(line: str) -> bool:
    """Recompute one step line: the left side's numbers and operators must give the right side."""
    if "=" not in line:
        return False
    left, right = line.rsplit("=", 1)
    rhs = _NUMBER.search(right)
    if rhs is None:
        return False
    expr: list[str] = []
    for token in re.split(r"\s([×÷+−])\s", left.replace("(", " ( ").replace(")", " ) ")):
        if token in _OPS:
            expr.append(_OPS[token])
            continue
        opened = token.count("(") - token.count(")")
        m = _NUMBER.search(token)
        if m is None:
            return False
        expr.append("(" * max(opened, 0) + m.group(0) + ")" * max(-opened, 0))
    try:
        value = eval("".join(expr), {"__builtins__": {}})  # digits and operators only, built above
    except (SyntaxError, ZeroDivisionError):
        return False
    want = float(rhs.group(0))
    return math.isclose(float(value), want, rel_tol=2e-3, abs_tol=0.011)


def assemble(b: Base, per: list[PerResource], headline: str | None) -> Estimate:
    """The Estimate the plan returns."""
    return Estimate(
        amount=None if b.amount is None else round(b.amount, 2),
        unit=b.unit,
        resource=headline,
        low=None if b.low is None else round(b.low, 2),
        high=None if b.high is None else round(b.high, 2),
        steps=b.steps,
        per_resource=per,
    )

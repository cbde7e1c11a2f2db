"""Page "Plan a request": workload in words → editable fields, fits, arithmetic, cited draft."""

from __future__ import annotations

from typing import Any, get_args

import streamlit as st

from app.plan.planner import make_plan
from app.plan.schema import Method, Plan, Precision, Task
from app.plan.unused import UNUSED_NOTE
from app.types import Answer
from app.ui import shared
from app.ui.markdown_safe import draft_reply, escape_md

PLAN = "plan-result"
VERSION = "plan-version"
STAFF_PLAN = "staff-plan-result"
EXAMPLE = (
    "Full fine-tune of a 13B model in bf16; we need 80 GB GPUs. 8 GPUs for 48 hours per run, "
    "5 runs."
)
_NUMBERS: dict[str, tuple[str, bool]] = {  # field → (label, whole number)
    "params_b": ("Model size (billions of parameters)", False),
    "tokens_b": ("Training tokens (billions)", False),
    "epochs": ("Epochs", False),
    "gpus": ("GPUs per run", True),
    "gpu_memory_gb": ("GPU memory needed per GPU (GB)", False),
    "hours_per_run": ("Hours per run", False),
    "runs": ("Runs", True),
    "students": ("Students", True),
    "hours_per_week": ("Hours per student per week", False),
    "weeks": ("Weeks", False),
}
_REGULATED = ["HIPAA", "FERPA", "CUI", "patient records"]


def main() -> None:
    """Render the page."""
    st.title("Plan a request")
    st.caption(
        "Describe what you want to run. The planner finds resources that fit, estimates the "
        "allocation in each resource's own unit with the arithmetic shown, and drafts a cited "
        "justification. Rules of thumb are listed as assumptions; check them."
    )
    with st.form("plan-form"):
        text = st.text_area("Your workload", key="plan-text", max_chars=4000, placeholder=EXAMPLE)
        go = st.form_submit_button("Plan", icon=":material/calculate:")
    if go and text.strip():
        _run(text.strip(), {})
    plan: Plan | None = st.session_state.get(PLAN)
    if plan is None:
        return
    _fields(plan)
    show_plan(plan)


def _run(text: str, overrides: dict[str, Any]) -> None:
    """Make the plan and keep it for reruns; errors become a notice."""
    try:
        st.session_state[PLAN] = make_plan(text, shared.settings(), overrides=overrides)
        # New widget keys per plan: the fields show this plan's values, not the last edits.
        st.session_state[VERSION] = st.session_state.get(VERSION, 0) + 1
    except Exception as exc:
        shared.notice(exc)


def _fields(plan: Plan) -> None:
    """The parsed fields, editable; re-planning keeps the text and applies the edits."""
    w = plan.workload
    v = st.session_state.get(VERSION, 0)
    box = st.expander("Parsed fields (edit and re-plan)", expanded=bool(plan.missing))
    with box, st.form("plan-fields"):
        left, right = st.columns(2)
        values: dict[str, Any] = {}
        tasks: list[str | None] = [None, *get_args(Task)]
        values["task"] = left.selectbox(
            "Task", tasks, index=tasks.index(w.task), key=f"pf-task-{v}"
        )
        methods: list[str | None] = [None, *get_args(Method)]
        values["method"] = right.selectbox(
            "Fine-tuning method", methods, index=methods.index(w.method), key=f"pf-method-{v}"
        )
        precisions: list[str | None] = [None, *get_args(Precision)]
        values["precision"] = left.selectbox(
            "Precision", precisions, index=precisions.index(w.precision), key=f"pf-precision-{v}"
        )
        values["accelerator"] = (
            right.text_input("Accelerator wanted", w.accelerator or "", key=f"pf-acc-{v}") or None
        )
        for i, (name, (label, whole)) in enumerate(_NUMBERS.items()):
            col = left if i % 2 == 0 else right
            current = getattr(w, name)
            values[name] = col.number_input(
                label,
                min_value=1 if whole else 0.001,
                value=None if current is None else (int(current) if whole else float(current)),
                step=1 if whole else None,
                key=f"pf-{name}-{v}",
            )
        values["regulated"] = st.multiselect(
            "Regulated data", _REGULATED, default=[r for r in w.regulated if r in _REGULATED],
            key=f"pf-regulated-{v}",
        )  # fmt: skip
        values["cpu_only"] = st.checkbox("CPU only", value=w.cpu_only, key=f"pf-cpu-{v}")
        again = st.form_submit_button("Re-plan with these fields", icon=":material/refresh:")
    if again:
        _run(w.text, values)
        st.rerun()


def show_plan(plan: Plan) -> None:
    """Request type, questions, the resources table, the arithmetic and the draft."""
    st.subheader(f"Request type: {plan.request_type}")
    if plan.missing:
        st.warning(
            "To finish the plan, please tell us:  \n"
            + "  \n".join(f"- {escape_md(q)}" for q in plan.missing),
            icon=":material/help:",
        )
    rows = [
        {
            "Resource": r.name,
            "Fit": r.fit + ("" if r.verified else " (unverified)"),
            "Unit": r.unit,
            "GPU memory (GB)": r.gpu_memory_gb,
            "Reasons": " ".join(r.reasons),
        }
        for r in sorted(plan.resources, key=lambda r: ("good", "possible", "no").index(r.fit))
    ]
    st.dataframe(rows, hide_index=True, use_container_width=True)
    e = plan.estimate
    st.subheader("Estimate")
    if e.amount is None:
        st.info("Not enough information for an amount yet (see the questions above).")
    else:
        st.markdown(
            f"**{e.amount:g} {escape_md(e.unit)}** (range {e.low:g}–{e.high:g})"
            + (f" for {escape_md(e.resource)}" if e.resource else "")
        )
    lines = [*e.steps]
    for p in e.per_resource:
        if p.amount is not None:
            lines += [f"# {p.resource}: {p.amount:g} {p.unit}", *p.steps]
    if lines:
        st.code("\n".join(lines), language=None, wrap_lines=True)
    if plan.unused:
        listed = ", ".join(escape_md(u) for u in plan.unused)
        st.warning(f"{UNUSED_NOTE} {listed}", icon=":material/calculate:")
    if plan.assumptions:
        listed = "  \n".join(f"- {escape_md(a)}" for a in plan.assumptions)
        st.markdown("**Assumptions**  \n" + listed)
    for w in plan.warnings:
        st.caption(f"Note: {escape_md(w)}")
    st.subheader("Draft justification")
    st.caption("Copy with the button at the top right of the box.")
    st.code(plan_markdown(plan), language="markdown", wrap_lines=True)


def plan_markdown(plan: Plan) -> str:
    """The draft paragraph and its numbered sources, ready to paste into a request or email."""
    out = [plan.draft, "", "Sources:"]
    for c in plan.citations:
        out.append(f"[{c.key}] {c.title}, {c.locator} (as of {c.as_of}): {c.url}")
    return "\n".join(out)


def attach_to_draft() -> None:
    """Staff: plan a workload and attach the plan to the reply draft."""
    st.divider()
    st.markdown("**Attach a resource plan**")
    with st.form("staff-plan"):
        text = st.text_area("Applicant's workload", key="staff-plan-text", max_chars=4000)
        go = st.form_submit_button("Attach plan", icon=":material/attach_file:")
    if go and text.strip():
        try:
            st.session_state[STAFF_PLAN] = make_plan(text.strip(), shared.settings())
        except Exception as exc:
            shared.notice(exc)
            return
    plan: Plan | None = st.session_state.get(STAFF_PLAN)
    if plan is None:
        return
    answer: Answer | None = st.session_state.get("draft-answer")
    reply = draft_reply(answer) + "\n\n" if answer is not None else ""
    st.code(reply + "Resource plan:\n" + plan_markdown(plan), language="markdown", wrap_lines=True)

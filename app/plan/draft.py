"""The draft "resource justification" paragraph: every catalogue fact carries its [S#] key."""

from __future__ import annotations

from app.plan.catalogue import CitationBook
from app.plan.estimate import CONTINGENCY, Base, fmt
from app.plan.fit import MemoryNeed
from app.plan.schema import PerResource, RequestType, ResourceFit, Workload
from ingest.catalogue import Resource

_TYPE_WORDS = {
    "startup": "startup project",
    "research": "research allocation request",
    "classroom": "classroom (education) request",
    "secure": "NAIRR Secure request",
}


def describe(w: Workload) -> str:
    """One clause that says what will be run."""
    bits: list[str] = []
    if w.task == "classroom":
        bits.append("a course")
        if w.students:
            bits.append(f"for {w.students} students")
    else:
        what: str = w.task or "the described workload"
        if w.method and w.task == "fine-tuning":
            what = {"full": "full fine-tuning", "lora": "LoRA fine-tuning",
                    "qlora": "QLoRA fine-tuning"}[w.method]  # fmt: skip
        bits.append(what)
        if w.params_b:
            bits.append(f"of a {fmt(w.params_b)}-billion-parameter model")
        if w.precision:
            bits.append(f"in {w.precision}")
        if w.tokens_b:
            bits.append(f"on {fmt(w.tokens_b)} billion tokens")
    if w.regulated:
        bits.append(f"with regulated data ({', '.join(w.regulated)})")
    return " ".join(bits)


def write_draft(
    w: Workload,
    rtype: RequestType,
    fits: list[ResourceFit],
    resources: dict[str, Resource],
    base: Base,
    per: list[PerResource],
    need: MemoryNeed,
    warnings: list[str],
    book: CitationBook,
    type_key: str = "",
) -> str:
    """A paragraph the applicant can edit: what, where, how much, and why."""
    good = [f for f in fits if f.fit == "good"]
    possible = [f for f in fits if f.fit == "possible"]
    lead = good[0] if good else (possible[0] if possible else None)
    parts = [f"This {_TYPE_WORDS[rtype]}{type_key} covers {describe(w)}."]
    if lead is None:
        parts.append(
            "No catalogued resource fits this workload as described; we will discuss the "
            "requirements with the program at office hours."
        )
        return " ".join(parts)
    r = resources[lead.id]
    mem, gpn, acc = r.fact("gpu_memory_gb"), r.fact("gpus_per_node"), r.fact("accelerator")
    hw = f"{r.name} ({r.provider})"
    if gpn.known and mem.known and r.gpu:
        hw += (
            f", whose nodes carry {gpn.number():g} {acc.value} GPUs{book.cite(acc)} with "
            f"{mem.number():g} GB of memory each{book.cite(mem)}"
        )
    elif r.gpu:
        hw += f", with {acc.value}{book.cite(acc)} (memory per GPU not published in our sources)"
    if lead.fit == "good":
        parts.append(f"The best fit in the catalogue is {hw}.")
    else:
        parts.append(
            f"No catalogued resource is a verified fit yet; the closest candidate is {hw}, "
            "to be confirmed with the provider."
        )
    if need.total_gb is not None or need.per_gpu_gb is not None:
        size = need.per_gpu_gb if need.per_gpu_gb is not None else need.total_gb
        scope = "per GPU" if need.per_gpu_gb is not None else "in all"
        parts.append(f"We need about {size:.1f} GB of GPU memory {scope} ({need.rule}).")
    if base.amount is not None:
        parts.append(
            f"Our estimate is {fmt(base.amount)} {base.unit} (range {fmt(base.low or 0)}–"
            f"{fmt(base.high or 0)}), worked out as: " + "; ".join(base.steps) + f", including "
            f"a {CONTINGENCY:.0%} contingency."
        )
        conv = next((p for p in per if p.resource == r.name and p.amount is not None), None)
        if conv is not None and conv.steps:
            unit_fact = acc.model_copy(
                update={"source": r.unit.source or r.source,
                        "locator": r.unit.locator or r.locator}
            )  # fmt: skip
            parts.append(
                f"On {r.name} one {r.unit.name} buys {r.unit.buys}{book.cite(unit_fact)}, so we "
                f"request {fmt(conv.amount or 0)} {conv.unit}."
            )
    else:
        parts.append("The amount will follow once the open questions are answered.")
    if w.deadline:
        parts.append(f"The work has to be finished {_when(w.deadline)}.")
    others = [f.name for f in good[1:4]]
    if others:
        parts.append(f"Other systems that fit: {', '.join(others)}.")
    for note in warnings:
        if "two dated values" in note:
            parts.append(note)
    return " ".join(parts)


def _when(deadline: str) -> str:
    """'by June 2026' or 'within 3 months', as the applicant wrote it."""
    return deadline if deadline.startswith("within") else f"by {deadline}"

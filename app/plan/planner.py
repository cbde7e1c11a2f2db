"""Workload in words → Plan: parse, ask what is missing, fit, estimate, draft, cite."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from app.config import Settings
from app.errors import PilotdeskError
from app.plan.catalogue import CitationBook, index_chunks, load_resources
from app.plan.draft import write_draft
from app.plan.estimate import assemble, base_estimate, convert
from app.plan.fit import MemoryNeed, judge, memory_need, request_type
from app.plan.parse import parse_with_backend, parse_workload
from app.plan.schema import Estimate, PerResource, Plan, Workload
from app.plan.unused import unused_counts

REQUEST_TYPES_SOURCE = ("specs/resource-specs.md", "§ Request types and regulated data")


def parse(
    text: str, settings: Settings, backend: str | None = None
) -> tuple[Workload, str, list[str]]:
    """Parse with the named model backend when it is one, else (or on failure) with the rules."""
    name = backend or settings.backend.default
    profile = settings.profile(name)
    if profile.offline:
        return parse_workload(text), "rules", []
    from app.backends.openai_compatible import ChatBackend

    try:
        chat = ChatBackend(name, profile, settings.api_key(profile))
        workload = parse_with_backend(text, chat)
    except (ValueError, PilotdeskError) as exc:
        note = f"the {name} backend could not parse the workload ({exc}); the rules parser was used"
        return parse_workload(text), "rules", [note]
    return workload, name, []


def apply_overrides(w: Workload, overrides: dict[str, Any]) -> Workload:
    """Set parsed fields by hand (UI and API); a bad field is an error that names it."""
    if not overrides:
        return w
    unknown = sorted(set(overrides) - set(Workload.model_fields))
    if unknown:
        raise PilotdeskError(f"unknown workload field(s): {', '.join(unknown)}")
    try:
        return Workload.model_validate({**w.model_dump(), **overrides})
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"])
        raise PilotdeskError(f"workload field '{field}': {err['msg']}") from exc


def questions(
    w: Workload, need: MemoryNeed, estimated: bool, smallest_gb: float | None = None
) -> list[str]:
    """What the plan needs but the text did not say (only what would change the plan)."""
    out: list[str] = []
    # With the user's own figures (GPUs or nodes × hours × runs) and a size to check memory
    # against, the kind of work changes neither the estimate nor the fit: no need to ask.
    checkable = w.cpu_only or w.params_b is not None or w.gpu_memory_gb is not None
    if w.task is None and not (estimated and checkable):
        out.append(
            "What will you run: training, fine-tuning, inference, a course or data processing?"
        )
    sized = w.params_b is not None or w.gpu_memory_gb is not None
    if w.task in ("training", "fine-tuning", "inference") and not sized and not w.cpu_only:
        out.append("How large is the model (number of parameters)?")
    # Full fine-tuning is assumed; when even that fits the smallest GPU listed, the method
    # changes nothing in the plan and is not asked.
    fits_anywhere = bool(
        smallest_gb and (need.per_gpu_gb or need.total_gb or float("inf")) <= smallest_gb
    )
    if w.task == "fine-tuning" and w.method is None and not fits_anywhere:
        out.append("Full fine-tuning, or LoRA/QLoRA? (full fine-tuning is assumed: it needs most)")
    return out


def make_plan(
    text: str,
    settings: Settings,
    backend: str | None = None,
    overrides: dict[str, Any] | None = None,
) -> Plan:
    """The whole plan for one described workload (never raises for missing information)."""
    workload, parser, warnings = parse(text, settings, backend)
    workload = apply_overrides(workload, overrides or {})
    resources = load_resources(settings.paths.data_dir)
    book = CitationBook()
    rtype = request_type(workload)
    type_key = f" [{book.key(*REQUEST_TYPES_SOURCE)}]"
    need = memory_need(workload)
    fits = [judge(r, workload, rtype, book) for r in resources]
    base = base_estimate(workload)
    by_id = {r.id: r for r in resources}
    per: list[PerResource] = []
    for fit in fits:
        if fit.fit == "no":
            continue
        conv, notes = convert(by_id[fit.id], fit, workload, base, book)
        per.append(conv)
        warnings += [n for n in notes if n not in warnings]
    headline = next((f.name for f in fits if f.fit == "good"), None)
    read = [f"Read from your text: {note}." for note in workload.assumed]
    assumptions = [*read, *([need.rule] if need.rule else []), *base.assumptions]
    if workload.task == "fine-tuning" and workload.method is None:
        assumptions.append("Full fine-tuning is assumed (the method was not given).")
    if rtype == "secure":
        warnings.append(
            "Regulated data: request under NAIRR Secure and confirm which systems may hold it"
            f"{type_key}."
        )
    if not any(f.fit == "good" for f in fits):
        warnings.append("No resource is a verified good fit; see each one's reasons.")
    draft = write_draft(workload, rtype, fits, by_id, base, per, need, warnings, book, type_key)
    citations, missing_sources = book.resolve(index_chunks(settings.paths.index_dir),
                                              settings.paths.data_dir)  # fmt: skip
    known = [f.gpu_memory_gb for f in fits if f.gpu_memory_gb]
    missing = [
        *questions(workload, need, base.amount is not None, min(known, default=None)),
        *base.missing,
    ]
    too_big = bool(need.per_gpu_gb and known and need.per_gpu_gb > max(known))
    # Only "possible" fits (the hardware asked for is too small, memory unknown elsewhere) is
    # a dead end too: the user should say what could change.
    if rtype != "secure" and (not any(f.fit == "good" for f in fits) or too_big):
        # Nothing fits as described: ask what could change rather than leave a dead end.
        missing.append(
            "No listed resource fits this work as described. Could a run use more GPUs, a "
            "smaller model, LoRA or quantisation, or a different accelerator?"
        )
    estimate = assemble(base, per, headline)
    return Plan(
        workload=workload,
        missing=missing,
        assumptions=assumptions,
        request_type=rtype,
        resources=fits,
        estimate=estimate,
        draft=draft,
        citations=citations,
        warnings=[*warnings, *missing_sources],
        unused=_unused(workload, estimate, assumptions) if estimate.amount is not None else [],
        parser=parser,
    )


def _unused(w: Workload, e: Estimate, assumptions: list[str]) -> list[str]:
    """Counts the text gives that the estimate's arithmetic never uses."""
    lines = [*e.steps, *assumptions, *(s for p in e.per_resource for s in p.steps)]
    values = [v for v in w.model_dump().values() if isinstance(v, int | float)]
    values += [p.gpu_hours for p in w.phases]
    return unused_counts(w.text, lines, values)

"""Judge each catalogue entry against a workload: request type, data, kind, accelerator, memory."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.plan.catalogue import CitationBook
from app.plan.schema import FitLevel, RequestType, ResourceFit, Workload
from ingest.catalogue import UNKNOWN, Resource

# Rules of thumb, printed as assumptions whenever they are used (they are not program facts).
TRAIN_BYTES = 18.0  # mixed-precision Adam: ZeRO counts 16, HF and Megatron 18, some 20
FP32_TRAIN_BYTES = 16.0  # fp32 weights 4 + gradients 4 + Adam moments 8
WEIGHT_BYTES = {"fp32": 4.0, "bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int8": 1.0, "int4": 0.5}
TRAIN_OVERHEAD = 0.30  # activations and framework buffers on top of weights + optimizer state
INFER_OVERHEAD = 0.20  # runtime overhead and a modest KV cache on top of the weights
# The low end of the same conventions (ZeRO's 16 bytes, activations kept small by
# checkpointing): memory between the low and the high figure is a tight, unverified fit.
LOW_TRAIN_BYTES = 16.0
LOW_OVERHEAD = 0.10
_ORDER: dict[FitLevel, int] = {"no": 0, "possible": 1, "good": 2}


def request_type(w: Workload) -> RequestType:
    """Regulated data → secure; a course → classroom; a first look → startup; else research."""
    if w.regulated:
        return "secure"
    if w.task == "classroom":
        return "classroom"
    if w.exploratory:
        return "startup"
    return "research"


@dataclass(frozen=True)
class MemoryNeed:
    """GPU memory the workload needs, and how it was worked out."""

    total_gb: float | None  # whole model state incl. overhead
    per_gpu_gb: float | None  # when the GPU count is fixed or memory per GPU was stated
    fixed: bool  # the per-GPU figure is a hard requirement (stated, or GPU count given)
    rule: str  # the bytes-per-parameter convention, printed in assumptions
    low_ratio: float = 1.0  # the low end of the need as a share of per_gpu_gb / total_gb


def memory_need(w: Workload) -> MemoryNeed:
    """Bytes per parameter × parameters, plus activations/overhead; split over the GPUs given."""
    if w.gpu_memory_gb is not None:
        return MemoryNeed(None, w.gpu_memory_gb, True, f"stated: {w.gpu_memory_gb:g} GB per GPU")
    # Data processing with a stated model size runs that model: sized like inference below.
    if w.params_b is None or w.task == "classroom":
        return MemoryNeed(None, None, False, "")
    # Work of an unnamed kind is checked as full training, the most demanding case: a model
    # that fits that way fits however it is used.
    if w.task is None or (w.task in ("training", "fine-tuning") and w.method in (None, "full")):
        bpp = FP32_TRAIN_BYTES if w.precision == "fp32" else TRAIN_BYTES
        low_bpp = FP32_TRAIN_BYTES if w.precision == "fp32" else LOW_TRAIN_BYTES
        extra = TRAIN_OVERHEAD
        what = "fp32 Adam training" if w.precision == "fp32" else "mixed-precision Adam training"
        if w.task is None:
            what = (
                f"the kind of work is not stated, so memory is checked for {what}, the most "
                "demanding case"
            )
        rule = (
            f"{what}: {bpp:g} bytes per parameter for weights, gradients and optimizer state "
            f"(published figures are 16, 18 or 20; we use {bpp:g}), plus "
            f"{TRAIN_OVERHEAD:.0%} for activations and overhead"
        )
    elif w.task in ("training", "fine-tuning"):
        bpp = low_bpp = 0.5 if w.method == "qlora" else WEIGHT_BYTES[w.precision or "bf16"]
        extra = TRAIN_OVERHEAD
        name = "QLoRA" if w.method == "qlora" else "LoRA"
        rule = (
            f"{name} fine-tuning: frozen base weights at {bpp:g} bytes per parameter; adapter "
            f"and optimizer state are small; plus {TRAIN_OVERHEAD:.0%} for activations"
        )
    else:
        bpp = low_bpp = WEIGHT_BYTES[w.precision or "bf16"]
        extra = INFER_OVERHEAD
        rule = (
            f"inference: {bpp:g} bytes per parameter for the weights "
            f"({w.precision or 'bf16'}), plus {INFER_OVERHEAD:.0%} for runtime and KV cache"
        )
    total = w.params_b * bpp * (1 + extra)
    gpus = 1 if w.single_gpu else w.gpus
    per_gpu = total / gpus if gpus else None
    low = (low_bpp * (1 + LOW_OVERHEAD)) / (bpp * (1 + extra))
    return MemoryNeed(total, per_gpu, gpus is not None, rule, low)


def _lower(level: FitLevel, to: FitLevel) -> FitLevel:
    """The worse of two fit levels."""
    return to if _ORDER[to] < _ORDER[level] else level


def hosted_models(accelerator: str) -> list[str]:
    """Model names listed after "hosted models:" in a model API's catalogue entry."""
    _, _, names = accelerator.partition("hosted models:")
    return [n.strip(" )") for n in names.split(",") if n.strip(" )")]


def needs_gpu(w: Workload) -> bool:
    """Whether the work needs GPUs or accelerators."""
    if w.cpu_only:
        return False
    if w.gpus or w.accelerator or w.gpu_memory_gb or re.search(r"\bgpus?\b", w.text, re.I):
        return True
    return w.task in ("training", "fine-tuning", "inference", "classroom")


def judge(r: Resource, w: Workload, rtype: RequestType, book: CitationBook) -> ResourceFit:
    """Fit one resource, with a reason per check and [S#] keys on every catalogue fact."""
    level: FitLevel = "good"
    verified = True
    reasons: list[str] = []
    keys: set[str] = set()

    def cite(name: str) -> str:
        fact = r.fact(name)
        k = book.cite(fact)
        keys.add(k.strip(" []"))
        return k

    types = r.fact("request_types").value
    if rtype == "secure":
        approval = r.fact("regulated_data").value
        if approval == "no":
            level = "no"
            reasons.append(
                f"Not set up for regulated data ({', '.join(w.regulated)}){cite('regulated_data')}."
            )
        elif approval == UNKNOWN:
            level, verified = _lower(level, "possible"), False
            reasons.append(
                "No approval for regulated data is stated in the sources"
                f"{cite('regulated_data')}; confirm with the provider under NAIRR Secure."
            )
        else:
            reasons.append(f"Approved for regulated data{cite('regulated_data')}.")
    elif isinstance(types, list) and rtype not in types:
        level = "no"
        reasons.append(f"Does not serve {rtype} requests{cite('request_types')}.")

    gpu_needed = needs_gpu(w)
    if w.task is None and not w.cpu_only and w.params_b is None and w.gpu_memory_gb is None:
        level = _lower(level, "possible")
        reasons.append("What will run is not stated, so the fit cannot be checked.")
    if r.kind == "model API":
        hosted = str(r.fact("accelerator").value)
        named = [m for m in hosted_models(hosted) if m.lower() in w.text.lower()]
        if w.task == "inference" and named:
            reasons.append(f"Serves {', '.join(named)} through an API{cite('accelerator')}.")
        elif w.task == "inference" and re.search(r"\bapi\b", w.text, re.IGNORECASE):
            level = _lower(level, "possible")
            reasons.append(f"An API for its hosted models only ({hosted}){cite('accelerator')}.")
        else:
            level = "no"
            reasons.append(f"Serves only its hosted models through an API{cite('accelerator')}.")
    elif gpu_needed and not r.gpu:
        level = "no"
        reasons.append(f"CPU-only system (no GPUs){cite('accelerator')}; this work needs GPUs.")
    elif not gpu_needed and r.gpu:
        level = _lower(level, "possible")
        reasons.append("Has accelerators this work does not need; a CPU system fits better.")
    elif not gpu_needed:
        cores = r.fact("cpu_cores_per_node")
        if cores.known:
            reasons.append(
                f"CPU nodes with {cores.number():g} cores each{cite('cpu_cores_per_node')}."
            )
        else:
            reasons.append(
                f"CPU system{cite('accelerator')}; cores per node are not in the sources."
            )

    accel = str(r.fact("accelerator").value)
    if w.accelerator and r.gpu:
        wanted = [a for a in w.accelerator.split(" or ") if a.lower() in accel.lower()]
        if wanted:  # "A100 or H100": either will do
            reasons.append(f"Has the {wanted[0]} you asked for ({accel}){cite('accelerator')}.")
        else:
            level = _lower(level, "no" if w.accelerator_required else "possible")
            reasons.append(f"Has {accel}{cite('accelerator')}, not the {w.accelerator} asked for.")
    elif r.kind == "AI accelerator" and gpu_needed:
        level = _lower(level, "possible")
        reasons.append(f"{accel}{cite('accelerator')}: code must be ported to this accelerator.")

    if r.gpu and gpu_needed and r.kind != "model API":
        level, verified = _memory_check(r, w, level, verified, reasons, cite)
    return ResourceFit(
        id=r.id,
        name=r.name,
        provider=r.provider,
        kind=r.kind,
        fit=level,
        verified=verified or level == "no",
        reasons=reasons,
        gpu_memory_gb=r.fact("gpu_memory_gb").number(),
        unit=r.unit.name,
        citations=sorted(keys, key=lambda k: int(k[1:])),
    )


def _memory_check(
    r: Resource, w: Workload, level: FitLevel, verified: bool, reasons: list[str], cite: object
) -> tuple[FitLevel, bool]:
    """Compare the memory need with the resource's memory per GPU."""
    assert callable(cite)
    mem = r.fact("gpu_memory_gb")
    need = memory_need(w)
    if not mem.known:
        note = f" ({mem.note})" if mem.note else ""
        reasons.append(
            f"Memory per GPU is not in the sources{note}{cite('gpu_memory_gb')}; fit unverified."
        )
        return _lower(level, "possible"), False
    have = mem.number() or 0.0
    gpn = r.fact("gpus_per_node").number()
    if need.per_gpu_gb is not None:
        if need.per_gpu_gb <= have:
            reasons.append(
                f"{have:g} GB per GPU{cite('gpu_memory_gb')} covers the {need.per_gpu_gb:.1f} GB "
                "needed per GPU."
            )
            return level, verified
        low = need.per_gpu_gb * need.low_ratio
        if low <= have:
            reasons.append(
                f"{have:g} GB per GPU{cite('gpu_memory_gb')} is within the "
                f"{low:.1f}–{need.per_gpu_gb:.1f} GB per GPU this may need: a tight fit; "
                "profile a run before you request."
            )
            return _lower(level, "possible"), False
        reasons.append(
            f"Only {have:g} GB per GPU{cite('gpu_memory_gb')}; {need.per_gpu_gb:.1f} GB per GPU "
            "is needed."
        )
        return ("no" if need.fixed else _lower(level, "possible")), verified
    if need.total_gb is not None and gpn:
        per = need.total_gb / gpn
        if need.total_gb <= have:
            reasons.append(
                f"{have:g} GB per GPU{cite('gpu_memory_gb')} holds the whole "
                f"{need.total_gb:.1f} GB on one GPU."
            )
            return level, verified
        if per <= have:
            reasons.append(
                f"{need.total_gb:.1f} GB sharded over one node's {gpn:g} GPUs"
                f"{cite('gpus_per_node')} "
                f"is {per:.1f} GB each, within {have:g} GB{cite('gpu_memory_gb')}."
            )
            return level, verified
        reasons.append(
            f"{need.total_gb:.1f} GB exceeds one node ({gpn:g} × {have:g} GB)"
            f"{cite('gpu_memory_gb')}; needs multi-node sharding."
        )
        return _lower(level, "possible"), verified
    if w.task == "classroom":
        reasons.append(
            f"{have:g} GB per GPU{cite('gpu_memory_gb')}; course work is assumed to use models "
            "that fit one GPU."
        )
        return level, verified
    reasons.append(
        f"{have:g} GB per GPU{cite('gpu_memory_gb')}; the model size is not given, so the fit "
        "could not be checked."
    )
    return _lower(level, "possible"), verified

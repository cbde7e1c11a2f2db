"""Workload text → Workload: a deterministic parser, and a model backend that fills the same schema.

The rules cover common phrasings ("fine-tune a 7B model with LoRA on 4 A100s for 24 hours,
10 runs"); anything they do not find stays None and becomes a question in `missing`.
"""

from __future__ import annotations

import itertools
import json
import re
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from app.plan.numbers import normalize
from app.plan.schema import Method, Precision, Task, Workload

if TYPE_CHECKING:
    from app.backends.openai_compatible import ChatBackend

# A number standing alone (numbers.normalize has turned words into digits): not the "100" of
# "V100", and never the start of a longer number (the "8" of "80 GB").
_N = r"(?<![\w.])(\d+(?:\.\d+)?)(?![\d.]*\d)"
_ACCELERATORS = {
    "h100": "H100", "gh200": "GH200", "grace hopper": "GH200", "a100": "A100", "a40": "A40",
    "v100": "V100", "gaudi": "Gaudi", "cerebras": "Cerebras", "cs-2": "Cerebras", "mi100": "MI100",
    "l40s": "L40S", "tpu": "TPU",
}  # fmt: skip
_GPU_WORD = (
    r"(?:nvidia\s+)?(?:h100|gh200|a100|a40|v100|l40s|mi100|gaudi|gaudi2|tpu(?:\s*v\d)?)?s?"
    r"\s*(?:-|\s)?(?:gpus?|cards?|devices|accelerators|superchips|processors|chips)\b"
    r"(?![- ]?(?:hours?|hrs?|h|days?)\b)"  # "20 GPU-days" is a total, not 20 GPUs
)
_REGULATED = (
    ("HIPAA", r"\bhipaa\b|\bphi\b|protected health"),
    ("FERPA", r"\bferpa\b|student (?:education )?records"),
    ("CUI", r"\bcui\b|controlled unclassified"),
    ("export-controlled", r"\bitar\b|export[- ]control|export administration regulations"),
    ("patient records", r"patient|clinical notes|medical records|health records|\behrs?\b"),
)
# "No PHI", "not HIPAA data", "without identifiers": a regime named to rule it out.
_NOT_REGULATED = re.compile(
    r"\b(?:no|non|not|without|free of|contains no|containing no)[- ](?:any\s+)?"
    r"(?:phi|hipaa(?:[- ]covered)?|pii|identifiable|identifiers|personal)\b"
)
# Data made safe to share: patient-derived words alone do not make it regulated.
_RELEASED = re.compile(
    r"de-?identified|anonymi[sz]ed|synthetic|publicly (?:available|released)|"
    r"openly (?:available|downloadable|released)|\bpublic(?:ly)?\b.{0,40}\bdataset"
)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"


def _num(s: str) -> float:
    """A number written with digits (normalize has removed thousands separators)."""
    return float(s)


def _scale(unit: str) -> float:
    """Multiplier to billions for t/b/m suffixes."""
    u = unit.lower()
    return 1000.0 if u.startswith("t") else 0.001 if u.startswith("m") else 1.0


def _first(pattern: str, text: str) -> re.Match[str] | None:
    """First match, case-insensitive."""
    return re.search(pattern, text, re.IGNORECASE)


def _task(t: str) -> Task | None:
    """What kind of work the text describes (course first: it may mention fine-tuning too)."""
    # "H100-class GPUs" is a kind of hardware, not a class of students.
    hardware = r"(?![- ]?(?:gpus?|cards?|accelerators?|hardware|machines?|nodes?|devices?)\b)"
    if re.search(r"\bclass(?:es)?\b" + hardware, t) or re.search(
        r"(?<!\bof )\b(course(?![- ](?:completion|grades?|enrollments?|outcomes?|records?|data|"
        r"evaluations?|catalog))|classroom|semester|students|teach\w*|lab sessions|workshop|"
        r"bootcamp|"
        r"summer school|learners|trainees|homework|hackathon|tutorial series|"
        r"lectures?(?![- ](?:audio|recordings?|videos?|transcripts?|notes|slides)))\b",
        t,
    ):
        return "classroom"
    if re.search(
        r"fine[- ]?tun|\blora\b|\bqlora\b|instruction[- ]tun|\bsft\b|\bft\b|adapt(?:er)?s?\b", t
    ):
        return "fine-tuning"
    if re.search(r"pre-?train|train(?:ing)? (?:a |an |our |the )?.*from scratch|\btrain", t):
        return "training"
    if re.search(
        r"inference|serv(?:e|ing)|generat|embed(?:ding)?s? |evaluat|batch predict|transcrib", t
    ):
        return "inference"
    if re.search(
        r"pre-?process|post-?process|data processing|\betl\b|tokeni[sz]|simulat|clean(?:ing)? "
        r"|feature extraction|de-?dup|annotat|\bpars(?:e|ing)\b|convert(?:ing)? ",
        t,
    ):
        return "data processing"
    return None


_NEGATED = r"\b(?:not|no|without|rather than|instead of)\s+(?:a\s+|an\s+|with\s+)?"


def _method(t: str) -> Method | None:
    """Fine-tuning method; a method named only to rule it out ("not LoRA") does not count."""
    t = re.sub(_NEGATED + r"(?:q?lora|adapters?|peft|full(?:[- ]\w+)? fine[- ]?tun\w*)", " ", t)
    if "qlora" in t:
        return "qlora"
    if re.search(r"\blora\b|adapter|peft", t):
        return "lora"
    if re.search(
        r"(?:full(?:y|[- ](?:parameter|weight|model))?|complete|entire) fine[- ]?tun|full fine"
        r"|\bfull[- ]ft\b|fine[- ]?tun\w*\s*\(\s*full"
        r"|fully (?:re)?train|fine[- ]?tun\w*\s+(?:[\w.-]+\s+){0,4}fully\b"
        r"|(?:all|every) (?:the |of the )?(?:weights?|parameters?)"
        r"|fine[- ]?tun\w* (?:the )?(?:full|whole|entire) model",
        t,
    ):
        return "full"
    return None


def _precision(t: str) -> Precision | None:
    """Numeric precision named in the text."""
    for pattern, value in (
        (r"\bbf16\b|bfloat16|mixed precision", "bf16"),
        (r"\bfp16\b|float16|half precision", "fp16"),
        (r"\bfp32\b|float32|full precision|single precision", "fp32"),
        (r"\bfp8\b", "fp8"),
        (r"\bint8\b|8-bit", "int8"),
        (r"\bint4\b|4-bit", "int4"),
    ):
        if re.search(pattern, t):
            return value  # type: ignore[return-value]
    return None


_LABEL = (
    r"(students|learners|participants|gpus?|nodes|runs|weeks|epochs|"
    r"(?:hours?|h) per (?:run|week|student per week))"
)


def _relabel(t: str) -> str:
    """Figures after their label ("Students: 25", "GPUs x 8", "8 of them") → "25 students"."""

    def swap(m: re.Match[str]) -> str:
        # "8 GPUs x 24 h" is a product, and in "GPUs: 24 students" 24 counts students.
        if m.group(2) in ("x", "×") and re.search(r"\d\s*$", t[: m.start()]):
            return m.group(0)
        return f"{m.group(3)} {m.group(1)}"

    t = re.sub(
        rf"\b{_LABEL}\s*(:|=|x|×)\s*(\d+(?:\.\d+)?)(?!\.?\d)(?=\s*(?:[.,;()]|$|and\b))",
        swap,
        t,
    )

    def them(m: re.Match[str]) -> str:
        nouns = re.findall(r"\b(gpus|nodes|runs|students)\b", t[max(0, m.start() - 60) : m.start()])
        return f"{m.group(1)} {nouns[-1]}" if nouns else m.group(0)

    return re.sub(r"\b(\d+) of them\b", them, t)


# The words the rules key on; a misspelling of one ("studnets", "modle") is read as the word.
_KEYWORDS = (
    "students", "learners", "participants", "trainees", "parameters", "parameter", "model",
    "models", "hours", "weeks", "days", "runs", "epochs", "tokens", "semester", "course",
    "training", "inference", "fine-tune", "fine-tuning", "precision", "memory", "nodes",
    "experiments", "workshop", "sections", "batches", "passes", "teaching", "prototype",
)  # fmt: skip


def _fix_typos(t: str) -> str:
    """Replace a word no English list knows by the keyword it misspells, if one is close."""
    from rapidfuzz.distance import DamerauLevenshtein
    from wordfreq import zipf_frequency

    def fix(m: re.Match[str]) -> str:
        w = m.group(0)
        if len(w) < 5 or w in _KEYWORDS or zipf_frequency(w, "en") > 0:
            return w
        best = max(_KEYWORDS, key=lambda k: DamerauLevenshtein.normalized_similarity(w, k))
        return best if DamerauLevenshtein.normalized_similarity(w, best) >= 0.75 else w

    return re.sub(r"(?<![\w-])[a-z]+(?![\w-])", fix, t)


def parse_workload(text: str) -> Workload:
    """Parse a described workload with rules; fields not found stay None."""
    t, notes = normalize(text)
    t = _relabel(_fix_typos(t))
    f: dict[str, Any] = {"text": text.strip(), "assumed": notes}
    f["task"] = _task(t)
    f["method"] = _method(t)
    if f["method"] is not None and f["task"] in (None, "training"):
        f["task"] = "fine-tuning"
    f["precision"] = _precision(t)
    if f["method"] == "qlora" and f["precision"] is None:
        f["precision"] = "int4"
    if m := _first(_N + r"\s*(t|b|bn|billion|trillion|m|million)?\s*(?:training\s+)?tokens", t):
        scale = _scale(m.group(2)) if m.group(2) else 1e-9
        f["tokens_b"] = _num(m.group(1)) * scale
    rest = re.sub(_N + r"\s*(t|b|bn|billion|trillion|m|million)?\s*(?:training\s+)?tokens", " ", t)
    size = r"(?<![\w.])(\d+(?:\.\d+)?)[\s-]*(b|bn|billion|m|million)(?![a-z])"
    counted = r"(?!\s*(?:documents|images|rows|records|samples|examples|files|users|queries|pages))"
    if m := _first(size + r"[- ]?(?:param|parameter|model)", rest) or _first(size + counted, rest):
        f["params_b"] = _num(m.group(1)) * _scale(m.group(2))
    if m := _first(
        r"(\d+(?:\.\d+)?)\s*(gb|tb)\s+(?:of\s+)?(?:\w+\s+)?(?:data|dataset|text|images|corpus|records)",
        t,
    ):
        f["dataset_gb"] = _num(m.group(1)) * (1000 if m.group(2) == "tb" else 1)
    if m := _first(_N + r"\s*epochs?", t):
        f["epochs"] = _num(m.group(1))
    _memory(t, f)
    _gpus(t, f)
    _time(t, f)
    _total(t, f)
    _course(t, f)
    if m := _first(_N + r"\s*(?:cpu\s+)?nodes", t):
        f["nodes"] = int(_num(m.group(1)))
    if m := _first(_N + r"\s*(?:cpu\s+)?cores", t):
        f["cpu_cores"] = int(_num(m.group(1)))
    f["regulated"] = _regulated(t)
    _accelerator(t, f)
    f["cpu_only"] = bool(re.search(r"cpu[- ]only|no gpus?|without (?:a )?gpus?|only cpus?", t))
    f["exploratory"] = bool(
        re.search(
            r"try out|trying out|explor(?:e|atory)|get familiar|familiari[sz]e|first look|"
            r"small test|preliminary|feasib(?:ility|le)|test whether|pilot (?:run|study|test)|"
            r"(?:pilot|small)[- ]scale|"
            # The names people give a small first request, besides "startup".
            r"start-?up (?:project|allocation|award|request)|starter|seed allocation|"
            r"(?:initial|small|modest) (?:allocation|award|request)|proof[- ]of[- ]concept|"
            r"trial (?:run|allocation)|get(?:ting)? started|scaling tests?|prototyp|"
            r"first (?:allocation|request|award|project)|small (?:trial|amount|test|project)|"
            r"try (?:things|it|this|them|stuff) out|"
            # Checking code before a real request: porting, benchmarking, seeing whether it runs.
            r"(?:port|benchmark|profil)(?:e|ing)? (?:our|the|my) (?:code|model|pipeline|"
            r"software|workflow)|(?:check|see|find out|test)(?:ing)? (?:that|if|whether) "
            r".{0,40}?\b(?:runs|works|scales|fits|compiles)\b",
            t,
        )
    )
    when = rf"(?:the end of )?(?:{_MONTHS})(?:\s+\d{{4}})?|\d{{4}}-\d{{2}}(?:-\d{{2}})?"
    if m := _first(rf"(?:by|before|due|deadline(?: is)?)\s+({when})", t):
        f["deadline"] = re.sub(_MONTHS, lambda mm: mm.group(0).title(), m.group(1))
    elif m := _first(r"within\s+(\d+\s+(?:weeks?|months?))", t):
        f["deadline"] = "within " + m.group(1)
    # A zero ("0 GPUs") says nothing usable: leave the field empty so the plan asks for it.
    zero = [k for k, v in f.items() if type(v) in (int, float) and v <= 0]
    return Workload(**{k: v for k, v in f.items() if k not in zero})


def _regulated(t: str) -> list[str]:
    """Regulated-data regimes the text names, leaving out ones it rules out or has released."""
    t = _NOT_REGULATED.sub(" ", t)
    found = [label for label, pattern in _REGULATED if re.search(pattern, t)]
    released = _RELEASED.search(t) and not re.search(r"\bidentifiable\b|\bidentified\b", t)
    if released and found == ["patient records"]:  # a named regime (HIPAA…) still counts
        return []
    return found


def _memory(t: str, f: dict[str, Any]) -> None:
    """GPU memory needed per GPU: '80 GB GPUs', '40 GB of GPU memory', 'GPUs with 80 GB'."""
    gb = r"(\d+)\s*-?\s*gb"
    for pattern in (
        gb + r"\s+(?:of\s+)?(?:gpu\s+)?(?:memory|vram|hbm)",
        gb + r"[\s-]+(?:\w+[\s-]+)?(?:gpus?|cards?|devices|accelerators)\b",
        r"(?:gpus?|cards?|devices|accelerators)\s+(?:with|that have|having|of)\s+"
        r"(?:at least\s+|over\s+)?" + gb,
        gb + r"\s+(?:h100|a100|gh200|v100|a40)",
        r"(?:h100|a100|gh200|v100|a40)s?\s*\(?" + gb,
        r"(?:gpus?|cards?|devices)(?:\s+each)?\s*\(\s*" + gb,  # "4 GPUs (80 GB)"
        gb + r"\s+(?:each|apiece|per (?:gpu|device|card|accelerator))\b",
        # "180 GB of weights and cache per GPU"
        gb + r"\s+(?:of\s+)?(?:[a-z-]+\s+){1,5}per (?:gpu|device|card|accelerator)\b",
    ):
        if m := _first(pattern, t):
            f["gpu_memory_gb"] = float(m.group(1))
            return


def _gpus(t: str, f: dict[str, Any]) -> None:
    """GPUs per run: '4 GPUs', '8x A100', 'eight 80 GB GPUs', 'a single GPU'."""
    if re.search(r"single[- ]gpu|fit on 1 gpu|\bon 1 gpu\b", t):
        f["gpus"], f["single_gpu"] = 1, True
        return
    count = _N + r"\s*(?:x\s*)?(?:\d+\s*-?\s*gb\s+)?"  # "8 80 gb gpus": 8 GPUs of 80 GB
    count += r"(?:such\s+|identical\s+|more\s+)?"
    m = _first(count + _GPU_WORD, t) or _first(
        count + r"(?:nvidia\s+|cerebras\s+)?(h100|gh200|a100|a40|v100|l40s|cs-2|cerebras)s?\b", t
    )
    if m and not re.match(r"\d+\s*-?\s*gb", m.group(0)):
        f["gpus"] = int(_num(m.group(1)))
        f["single_gpu"] = f["gpus"] == 1 and not re.search(r"\b1 (?:\w+ )?nodes?\b", t)
    # "2 nodes with 4 GPUs each", "4 GPUs per node, 2 nodes": GPUs per run is the product.
    gpn = r"(\d+)\s*(?:x\s*)?(?:\w+\s+)?gpus?"
    nodes = r"(\d+)\s*(?:gpu\s+|compute\s+)?nodes?"
    with_gpus = nodes + r"\s*(?:with|of|each with|x|,)\s*" + gpn + r"(?:\s*(?:each|per node))?"
    # "two 4-GPU nodes", "2 nodes with 4 GPUs each"
    if m := _first(r"(\d+)\s+(\d+)[- ]gpu nodes?", t) or _first(with_gpus, t):
        n, per = int(m.group(1)), int(m.group(2))
    elif m := _first(gpn + r"\s*(?:per|each|on each|a)\s+node\W+(?:\w+\W+){0,3}?" + nodes, t):
        per, n = int(m.group(1)), int(m.group(2))
    else:
        return
    if n > 1:
        f["gpus"], f["single_gpu"] = n * per, False
        f["assumed"].append(f"{n} nodes × {per} GPUs per node is read as {n * per} GPUs")


_HOURS_IN = {"m": 1 / 60, "h": 1.0, "d": 24.0, "w": 168.0}  # minutes, hours, days, weeks


def _hours(value: str, unit: str) -> float:
    """A duration in hours (a week is 168 h: running around the clock)."""
    return _num(value) * _HOURS_IN["m" if unit.startswith("min") else unit[0]]


# A duration that is a rate ("3 hours a week"), a deadline ("within 2 weeks") or an amount of
# data ("500 hours of audio") is not the length of a run.
_NOT_RUN_BEFORE = re.compile(r"\b(?:within|in|by|before|after|every|next|last|per|over)\s+$")
_RATE = re.compile(
    r"\s*(?:per|a|an|each|every)\s+(?:\d|(?:\w+\s+)?(?:week|day|month|student|document|sample|"
    r"item|image|query|querie|prompt|file|example|record|page|token|learner|participant|"
    r"trainee|attendee|person)s?\b)"
)  # "3 hours a week", "2 hours per 1000 documents": rates, not run lengths
_NOT_RUN_AFTER = re.compile(_RATE.pattern + r"|\s*of\b")


# What people call one repetition of the work: a run, a job, a pass over the data, a batch…
_RUN_NOUN = (
    r"(?:training\s+)?(?:run|job|experiment|trial|pass|batch|attempt|benchmark|round|iteration|"
    r"sweep|replicate|repetition)"
)


def _time(t: str, f: dict[str, Any]) -> None:
    """Hours per run and the number of runs."""
    dur = _N + r"\s*-?\s*(hours?|hrs?|h|days?|weeks?|minutes?|mins?)\b"
    explicit = (
        dur + r"\s*(?:per|each|a|for each|for every)\s+" + _RUN_NOUN + r"\b",
        r"(?:each|every|1|a)\s+" + _RUN_NOUN + r"\s+(?:takes|lasts|needs|of|runs for|is)\s+"
        r"(?:about\s+|roughly\s+|~)?" + dur,
        _RUN_NOUN + r"(?:e?s)?\s+(?:of|would last|will last|last|lasting|take|would take)\s+"
        r"(?:about\s+|roughly\s+|~)?" + dur,
        r"(?:for|takes|lasting|about|roughly)\s+(?:about\s+|roughly\s+|~)?" + dur,
    )
    # "10 hours a day for 30 days": one service period, not thirty runs.
    daily = _N + r"\s*(?:hours?|hrs?|h)\s+(?:a|per|each)\s+day\s+(?:for|over)\s+" + _N
    if f.get("task") != "classroom" and (m := _first(daily + r"\s*(days?|weeks?|months?)\b", t)):
        per_day, span = _num(m.group(1)), _num(m.group(2))
        days = span * {"d": 1, "w": 7, "m": 30}[m.group(3)[0]]
        f["hours_per_run"], f["runs"] = per_day * days, 1
        f["assumed"].append(
            f"{per_day:g} h a day for {span:g} {m.group(3)} is read as one period of "
            f"{per_day * days:g} h"
        )
        return
    # "a week of 8 GPUs", "3 days of 4 GPUs"
    span_of = (
        r"\b(?:a|an|(\d+(?:\.\d+)?))\s+(days?|weeks?)\s+of\s+\d+\s+(?:\w+\s+)?(?:gpus?|cards?)"
    )
    explicit = (*explicit, span_of)
    found = [m for p in explicit for m in re.finditer(p, t) if not _RATE.match(t, m.end())]
    found = [m for m in found if m.re.pattern != span_of] or found  # a stated run length first
    if found and found[0].re.pattern == span_of:
        m = found[0]
        f["hours_per_run"] = _hours(m.group(1) or "1", m.group(2))
        found = []
    if (
        not found and "hours_per_run" not in f
    ):  # a bare figure in a list: "1 GPU, 30 hours" or "4 nodes; 8 hours; 25 runs"
        found = [
            m
            for m in re.finditer(dur, t)
            if not _NOT_RUN_BEFORE.search(t[: m.start()]) and not _NOT_RUN_AFTER.match(t, m.end())
        ]
    if found:
        f["hours_per_run"] = _hours(found[0].group(1), found[0].group(2))
        # "about 200 hours on one GPU in total": the whole job, so one run.
        if re.match(r"[^.;]{0,40}?\b(?:in total|in all|altogether)\b", t[found[0].end() :]):
            f["runs"] = 1
    _runs(t, f)


def _runs(t: str, f: dict[str, Any]) -> None:
    """The number of runs: '5 runs', '3 passes', 'twice', 'repeat it 3x', 'we plan two'."""
    runs = r"\s*(?:separate\s+|training\s+|independent\s+|such\s+|more\s+)?"
    runs += r"(?:runs|experiments|trials|seeds|jobs|configurations|passes|batches|attempts|"
    runs += r"benchmarks|rounds|iterations|sweeps|replicates|repetitions)\b"
    # "we plan two." after the runs were described: the bare count is the number of runs.
    planned = (
        r"\b(?:runs?|jobs?)\b.{0,60}?\bwe (?:plan|expect|need|want)\s+" + _N + r"\s*(?:[.;]|$)"
    )
    times = _N + r"\s*(?:times\b|x(?=\s*(?:[.,;()]|$)))"  # "3 times", "repeat it 3x."
    if m := _first(_N + runs, t) or _first(times, t) or _first(planned, t):
        f["runs"] = int(_num(m.group(1)))
    elif re.search(r"\b1 " + _RUN_NOUN + r"\b|\bonce\b", t):
        f["runs"] = 1


_TOTAL_KIND = {"gpu": "GPU", "device": "GPU", "accelerator": "GPU", "node": "node",
               "core": "core", "cpu": "core"}  # fmt: skip


def _total(t: str, f: dict[str, Any]) -> None:
    """A total already in resource units: '20 GPU-days in all', 'about 300 node-hours'."""
    total = _N + r"\s*(gpu|device|accelerator|node|core|cpu)s?[- ]?(hours?|hrs?|h|days?)\b"
    for m in re.finditer(total, t):
        if _RATE.match(t, m.end()):
            continue  # "4 GPU-hours per week" is a course figure, not a total
        f["total_amount"] = _num(m.group(1))
        # "each run costs 10 GPU-days", "240 GPU-hours per run": a total for one run.
        before = t[max(0, m.start() - 40) : m.start()]
        f["total_per_run"] = bool(
            re.search(r"\b(?:each|every|per|one|a|1)\s+" + _RUN_NOUN + r"\b", before)
            or re.match(r"\s*(?:per|each|a|for each)\s+" + _RUN_NOUN + r"\b", t[m.end() :])
        )
        days = m.group(3).startswith("d")
        f["total_unit"] = f"{_TOTAL_KIND[m.group(2)]}-{'days' if days else 'hours'}"
        # "100 node-hours on 8-GPU nodes": GPU work counted in nodes becomes GPU time.
        if f["total_unit"].startswith("node") and (g := _first(r"(\d+)[- ]gpu nodes?", t)):
            per = int(g.group(1))
            f["assumed"].append(
                f"{f['total_amount']:g} {f['total_unit']} on {per}-GPU nodes is read as "
                f"{f['total_amount'] * per:g} GPU-{'days' if days else 'hours'}"
            )
            f["total_amount"] *= per
            f["total_unit"] = f"GPU-{'days' if days else 'hours'}"
        return


def _course(t: str, f: dict[str, Any]) -> None:
    """Students × hours per week × weeks."""
    people = r"(?:students|learners|participants|trainees|attendees)"
    if m := _first(
        _N + r"\s*(?:sections?|classes|cohorts|groups)\s+of\s+" + _N + r"\s*" + people, t
    ):
        f["students"] = int(_num(m.group(1)) * _num(m.group(2)))  # "two sections of 30"
    elif m := _first(_N + r"\s*(?:\w+\s+)?" + people, t):
        f["students"] = int(_num(m.group(1)))
    every = r"(?:per|a|each|every)\s+"
    hw = _N + r"\s*(?:gpu[- ]?)?(?:hours?|hrs?|h)\s*(?:(?:of\s+(?:\w+\s+){1,3})?" + every
    hw += r"(?:(?:student|learner|participant|trainee|attendee|person)\s+(?:" + every
    hw += r"|in\s+(?:a|each)\s+))?week|weekly|/\s*(?:week|wk)\b"
    hw += r"|(?=\s*x\s*\d+(?:\.\d+)?[- ]?weeks?\b))"  # "30 students x 2 hours x 16 weeks"
    session = r"(?:sessions?|labs?|classes|class|meetings?|lectures?|workshops?)"
    weekly = _first(_N + r"\s+weekly\s+" + session, t)  # "eight weekly sessions"
    length = _first(
        r"(?:each|every|per|one)\s+" + session + r"\s+(?:is|lasts|runs|of|takes)?\s*"
        r"(?:about\s+|roughly\s+|~)?" + _N + r"\s*(hours?|hrs?|h|minutes?|mins?)\b",
        t,
    ) or _first(_N + r"\s*[- ]?(hours?|hrs?|h|minutes?|mins?)\s+(?:per|a|each)\s+" + session, t)
    per_week = _first(_N + r"\s+" + session + r"\s+(?:a|per|each)\s+week", t)
    if m := _first(hw, t):
        f["hours_per_week"] = _num(m.group(1))
        f.pop("hours_per_run", None) if f.get("task") == "classroom" else None
    elif f.get("task") != "classroom":
        pass  # session lengths and hours a day below describe courses only
    elif length and (weekly or per_week or "weekly" in t):
        # "90 minutes per lab, one lab a week": a session's length × sessions a week.
        hours = _hours(length.group(1), length.group(2))
        f["hours_per_week"] = hours * (_num(per_week.group(1)) if per_week else 1)
    elif m := _first(_N + r"\s*(?:hours?|hrs?|h)\s+(?:of\s+\w+\s+)?(?:per|a|each)\s+day", t):
        # "6 hours of lab per day" in a week of classes: the days are weekdays unless stated.
        days = _first(_N + r"[- ]days?\b", t)
        n = _num(days.group(1)) if days else 5.0
        f["hours_per_week"] = _num(m.group(1)) * n
        if not days:
            f["assumed"].append(f"{_num(m.group(1)):g} h a day is read as 5 days a week")
    if f.get("task") == "classroom" and "hours_per_week" in f:
        f.pop("hours_per_run", None)
    if m := _first(_N + r"[- ]?(?:weeks?|wks?)\b(?!\s*(?:of|per))", t):
        f["weeks"] = _num(m.group(1))
    elif weekly:
        f["weeks"] = _num(weekly.group(1))


# Hardware named as what fails today ("it OOMs on our 40GB A100s") is not what is asked for.
_FAILS = re.compile(
    r"\booms?\b|out of memory|too small|not enough|(?:does ?n[o']t|won't|can't|cannot) fit|"
    r"\bfails?\b|crash|runs? out"
)


def _clause(t: str, at: int) -> str:
    """The clause around a position: between sentence or clause breaks."""
    start = max(t.rfind(c, 0, at) for c in ".;,:!?") + 1
    ends = [i for c in ".;,:!?" if (i := t.find(c, at)) != -1]
    return t[start : min(ends, default=len(t))]


def _accelerator(t: str, f: dict[str, Any]) -> None:
    """Accelerator asked for ("A100 or H100" keeps both), and whether it is a must."""
    names = "|".join(re.escape(k) for k in _ACCELERATORS)
    found = [
        m
        for m in re.finditer(rf"(?<![a-z0-9])({names})s?(?![a-z0-9])", t)  # not "outpu-t-pu-t"
        if not _FAILS.search(_clause(t, m.start()))
    ]
    if not found:
        return
    first = found[0]
    chosen = [_ACCELERATORS[first.group(1)]]
    for prev, m in itertools.pairwise(found):
        if not re.search(r"\bor\b|/", t[prev.end() : m.start()]) or m.start() - prev.end() > 40:
            break
        if (name := _ACCELERATORS[m.group(1)]) not in chosen:
            chosen.append(name)
    f["accelerator"] = " or ".join(chosen)
    window = t[max(0, first.start() - 60) : first.start()]
    f["accelerator_required"] = bool(
        re.search(r"need|require|must|only|has to|have to", window)
    ) and not re.search(r"prefer|ideally|would like|nice", window)


_SYSTEM = (
    "You turn a described compute workload into JSON for a resource-request planner. Reply "
    "with one JSON object only, using exactly these keys when the text states them (omit what "
    "it does not state; never guess numbers): {fields}. task is one of training, fine-tuning, "
    "inference, classroom, data processing. method is full, lora or qlora. params_b and "
    "tokens_b are in billions. regulated lists HIPAA, FERPA, CUI, export-controlled or "
    "'patient records'. total_amount with total_unit (GPU-hours, GPU-days, node-hours, "
    "node-days, core-hours or core-days) is a total the text states in those units; "
    "total_per_run is true when that total is for one run."
)


def parse_with_backend(text: str, chat: ChatBackend) -> Workload:
    """Ask a model to fill the Workload schema as JSON; ValueError when it does not validate."""
    fields = ", ".join(k for k in Workload.model_fields if k not in ("text", "assumed"))
    messages = [
        {"role": "system", "content": _SYSTEM.format(fields=fields)},
        {"role": "user", "content": text},
    ]
    raw = chat.complete(messages, max_tokens=400)
    m = re.search(r"\{.*\}", raw, re.DOTALL)
    if m is None:
        raise ValueError("the model's reply held no JSON object")
    try:
        data = json.loads(m.group(0))
        if not isinstance(data, dict):
            raise ValueError("the model's JSON is not an object")
        data = {k: v for k, v in data.items() if v is not None}
        return Workload.model_validate({**data, "text": text.strip()})
    except (json.JSONDecodeError, ValidationError) as exc:
        raise ValueError(f"the model's JSON does not fit the schema: {str(exc)[:200]}") from exc

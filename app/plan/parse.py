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

from app.plan.amounts import read_gpus, read_memory, read_time, read_total
from app.plan.courses import read_course
from app.plan.figures import N, first, num
from app.plan.kinds import read_method, read_precision, read_task
from app.plan.labels import relabel
from app.plan.numbers import normalize, table_rows_as_items
from app.plan.phases import read_phases
from app.plan.schedules import read_schedule
from app.plan.schema import Workload

if TYPE_CHECKING:
    from app.backends.openai_compatible import ChatBackend

_ACCELERATORS = {
    "h100": "H100", "gh200": "GH200", "grace hopper": "GH200", "a100": "A100", "a40": "A40",
    "v100": "V100", "gaudi": "Gaudi", "cerebras": "Cerebras", "cs-2": "Cerebras", "mi100": "MI100",
    "l40s": "L40S", "tpu": "TPU",
}  # fmt: skip
_REGULATED = (
    ("HIPAA", r"\bhipaa\b|\bphi\b|protected health"),
    ("FERPA", r"\bferpa\b|student (?:education )?records"),
    ("CUI", r"\bcui\b|controlled unclassified"),
    ("export-controlled", r"\bitar\b|export[- ]control|export administration regulations"),
    # ("1 patient archivist": a patient person, not patients' data)
    (
        "patient records",
        r"patient(?!\s+(?:archivists?|people|persons?|staff|volunteers?|"
        r"statisticians?|colleagues?|teachers?|reviewers?)\b)|clinical notes|medical records|"
        r"health records|\behrs?\b",
    ),
    # Data released only to approved researchers, to be kept in approved places (a data use
    # agreement alone is not enough: de-identified data often comes with one).
    (
        "controlled-access",
        r"controlled[- ]access|\bdbgap\b|approved secure (?:environment|enclave)",
    ),
)
# "No PHI", "not HIPAA data", "without identifiers": a regime named to rule it out.
_NOT_REGULATED = re.compile(
    r"\b(?:no|non|not|without|free of|contains no|containing no|never (?:see|sees|touch|access|"
    r"handle|receive)s?)[- ](?:any\s+)?(?:private\s+|personal\s+|real\s+)?"
    r"(?:phi|hipaa(?:[- ]covered)?|pii|identifiable|identifiers|personal|cui|itar|ferpa|"
    r"export[- ]controlled|(?:student|patient|health|medical) (?:education )?(?:records|data))\b"
    # "our IRB determined HIPAA does not apply"
    r"|\b(?:hipaa|ferpa|itar|cui)\b(?=\s+(?:does|do|did)\s*(?:not|n't)\s+apply)"
    # "nothing HIPAA or FERPA", "neither HIPAA nor FERPA": every regime of the list ruled out
    r"|\b(?:nothing|neither|none of it|no)\s+(?:hipaa|ferpa|phi|pii|cui|itar)"
    r"(?:\s*(?:,|or|nor|and|/)\s*(?:hipaa|ferpa|phi|pii|cui|itar))*\b"
)
# Data made safe to share: patient-derived words alone do not make it regulated.
_RELEASED = re.compile(
    r"de-?identified|anonymi[sz]ed|synthetic|publicly (?:available|released)|"
    r"openly (?:available|downloadable|released)|\bpublic(?:ly)?\b.{0,40}\bdataset"
)
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"


def _scale(unit: str) -> float:
    """Multiplier to billions for t/b/m suffixes."""
    u = unit.lower()
    return 1000.0 if u.startswith("t") else 0.001 if u.startswith("m") else 1.0


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
    t = relabel(_fix_typos(t))
    # "two wall-clock days" is two days; an HPU is a Gaudi card.
    clock = r"(\d)\s+(?:of\s+)?(?:wall[- ]?clock|elapsed|real)[- ]"
    t = re.sub(clock + r"(?=(?:hours?|hrs?|days?|weeks?)\b)", r"\1 ", t)
    # "2.5 days of wall-clock time" is 2.5 days
    t = re.sub(
        r"\b(hours?|hrs?|days?|weeks?)\s+of\s+(?:wall[- ]?clock|elapsed|real)(?:[- ]time)?\b",
        r"\1",
        t,
    )
    t = re.sub(r"\bhpus?\b", "gaudi gpus", t)
    t = re.sub(_WORKDAY, _workday_hours, t)  # "weekdays 9am-5pm" is 8 hours a day
    f: dict[str, Any] = {"text": text.strip(), "assumed": notes}
    f["task"] = read_task(t)
    f["method"] = read_method(t)
    if f["method"] is not None and f["task"] in (None, "training"):
        f["task"] = "fine-tuning"
    f["precision"] = read_precision(t)
    if f["method"] == "qlora" and f["precision"] is None:
        f["precision"] = "int4"
    # "180k tokens/s" is a speed, not the amount of data
    speed = r"(?!\s*(?:/|per|a|an|each|every)\s*(?:s|sec|second|hour|hr|h|min|minute)\b)"
    if m := first(
        N + r"\s*(t|b|bn|billion|trillion|m|million)?\s*(?:training\s+)?tokens" + speed, t
    ):
        scale = _scale(m.group(2)) if m.group(2) else 1e-9
        f["tokens_b"] = num(m.group(1)) * scale
    rest = re.sub(N + r"\s*(t|b|bn|billion|trillion|m|million)?\s*(?:training\s+)?tokens", " ", t)
    size = r"(?<![\w.])(\d+(?:\.\d+)?)[\s-]*(b|bn|billion|m|million)(?![a-z])"
    # "2.3 million captures": a bare size before a plural noun counts things, not parameters.
    counted = r"(?!\s*(?:[a-z-]+\s+)?(?!params|parameters|models|llms|weights)[a-z]{3,}s\b)"
    if m := first(size + r"[- ]?(?:param|parameter|model)", rest) or first(size + counted, rest):
        f["params_b"] = num(m.group(1)) * _scale(m.group(2))
    if m := first(
        r"(\d+(?:\.\d+)?)\s*(gb|tb)\s+(?:of\s+)?(?:\w+\s+)?(?:data|dataset|text|images|corpus|records)",
        t,
    ):
        f["dataset_gb"] = num(m.group(1)) * (1000 if m.group(2) == "tb" else 1)
    if m := first(N + r"\s*epochs?", t):
        f["epochs"] = num(m.group(1))
    read_memory(t, f)
    # "nothing needs a GPU": a GPU named to rule it out
    t = re.sub(
        r"\b(?:nothing|none of (?:it|this)|no (?:step|part)(?: of it)?|never)\s+"
        r"(?:needs|uses|requires|touches)\s+(?:an?|any|1)\s+gpus?\b",
        "no gpus",
        t,
    )
    read_gpus(t, f)
    read_time(t, f)
    read_total(t, f)
    read_course(t, f)
    if f["task"] == "classroom":
        read_schedule(text, f)
    if m := first(N + r"\s*(?:cpu\s+)?nodes", t):
        f["nodes"] = int(num(m.group(1)))
    if (
        m := first(N + r"(?:\s*|-)(?:cpu\s+)?cores?\b", t)
        or first(
            # an interview's "> how many cores per simulation? 64, and no gpu"
            r"\bhow many (?:cpu\s+)?cores\b[^?]{0,40}\?\s*(?:about\s+|~)?" + N,
            t,
        )
        or first(r"\bcores\s*[:=]?\s*" + N + r"(?!\s*(?:gb|tb|%))", t)
    ):  # a form's "cores 64"
        f["cpu_cores"] = int(num(m.group(1)))
    elif re.search(r"\bsingle[- ]core\b|\bserial (?:job|code|program)", t):
        f["cpu_cores"] = 1
    _cores_per_node(t, f)
    if phases := read_phases(table_rows_as_items(text), lambda raw: relabel(normalize(raw)[0])):
        # Each phase sized on its own: their sum is the base, not one phase's figures.
        f["phases"] = phases
        for key in ("hours_per_run", "runs", "total_amount", "total_unit", "total_per_run"):
            f.pop(key, None)
    f.pop("total_from", None)  # a reader's working note, not a field
    f["regulated"] = _regulated(t)
    _accelerator(t, f)
    # "CPU only" said of one step ("tokenising is CPU work; training runs on 8 GPUs") does not
    # make the whole request CPU work: a GPU count read from the text says GPUs are used.
    # "weeks 1-2 are reading only, no GPU … then 5 GPU-hours per week": GPUs are used
    gpu_time = re.search(N + r"\s*gpu[- ]?(?:hours?|hrs?|days?)\b", t) or re.search(
        r"\b(?:own|one|1|a|single) gpu\b|\bgpu (?:each|per (?:student|learner|participant))\b", t
    )  # ("talks need no GPU; each participant on their own GPU during labs")
    f["cpu_only"] = (
        not f.get("gpus")
        and not gpu_time
        and bool(
            re.search(
                r"cpus?[- ]only|no gpus?|without (?:a )?gpus?|only cpus?|cpu (?:work|jobs?)\b", t
            )
        )
    )
    if f["task"] is None and f.get("cpu_only"):
        f["task"] = "data processing"  # CPU-only work that is neither training nor serving
    f["exploratory"] = bool(
        re.search(
            r"try out|trying out|explor(?:e|atory)|get familiar|familiari[sz]e|first look|"
            r"small test|feasib(?:ility|le)|test whether|"
            # "preliminary runs peak at 71 GB": what earlier runs measured, not the plan
            r"preliminary(?! (?:curves?|findings|figures|plots?|analys[ie]s) )"
            r"(?! (?:runs?|tests?|results?|experiments?|benchmarks?|measurements?|"
            r"profiling|data) (?:peak|peaked|show|showed|shows|use|used|uses|need|needed|took|"
            r"take|takes|indicate|indicated|reach|reached|suggest|suggested|hit|fit|fits|were|"
            r"was|are))|"
            r"(?<!our )(?<!the )pilot (?:run|study|test)|"
            r"(?:pilot|small)[- ]scale|"
            # The names people give a small first request, besides "startup".
            r"start-?up (?:project|allocation|award|request)|starter|seed allocation|"
            r"(?:initial|small|modest) (?:allocation|award|request)|proof[- ]of[- ]concept|"
            r"trial (?:run|allocation)(?!s? (?:showed|show|shows|revealed|found|indicated))|"
            r"get(?:ting)? started|scaling tests?|prototyp|"
            r"first (?:allocation|request|award|project)|small (?:trial|amount|test|project)|"
            r"try (?:[\w-]+ ){1,2}?out\b|small pilot|"
            r"first time (?:on|using|applying|with|at)|"
            r"try (?:the|your) (?:platform|system|service)|"
            # Checking code before a real request: porting, benchmarking, seeing whether it runs.
            r"before (?:we |i )?(?:writ|submit|send|prepar)\w* (?:our|a|the) "
            r"(?:full|real|main|larger) (?:proposal|request|application)|"
            r"(?:port|benchmark|profil)(?:e|ing)? (?:our|the|my) (?:[\w-]+ )?"
            r"(?:code|model|pipeline|software|workflow)|"
            r"(?:check|see|find out|test)(?:ing)? (?:that|if|whether) "
            r".{0,40}?\b(?:runs|works|scales|fits|compiles|trains|converges)\b|"
            r"before (?:we |i )?(?:apply|ask)(?:ing)? for (?:a|the|our) (?:full|real|main|larger|"
            r"bigger) (?:[\w-]+ )?(?:allocation|award|request|proposal)",
            t,
        )
    )
    when = rf"(?:the end of )?(?:{_MONTHS})(?:\s+\d{{4}})?|\d{{4}}-\d{{2}}(?:-\d{{2}})?"
    if m := first(rf"(?:by|before|due|deadline(?: is)?)\s+({when})", t):
        f["deadline"] = re.sub(_MONTHS, lambda mm: mm.group(0).title(), m.group(1))
    elif m := first(r"within\s+(\d+\s+(?:weeks?|months?))", t):
        f["deadline"] = "within " + m.group(1)
    # A zero ("0 GPUs") says nothing usable: leave the field empty so the plan asks for it.
    zero = [k for k, v in f.items() if type(v) in (int, float) and v <= 0]
    return Workload(**{k: v for k, v in f.items() if k not in zero})


_WORKDAY = re.compile(
    r"\b(?:weekdays|every weekday|monday (?:to|through|-) friday|mon-fri),?\s+"
    r"(\d{1,2})(?::\d\d)?\s*(am|pm)\s*(?:-|–|to)\s*(\d{1,2})(?::\d\d)?\s*(am|pm)\b"
)


def _workday_hours(m: re.Match[str]) -> str:
    """'weekdays 9am-5pm' → '8 hours a day, monday to friday'."""
    start = int(m.group(1)) % 12 + (12 if m.group(2) == "pm" else 0)
    end = int(m.group(3)) % 12 + (12 if m.group(4) == "pm" else 0)
    hours = end - start if end > start else m.group(0)
    return f"{hours} hours a day, monday to friday" if isinstance(hours, int) else m.group(0)


def _cores_per_node(t: str, f: dict[str, Any]) -> None:
    """'2 nodes (128 cores per node)': CPU work on whole nodes counted in cores, as people
    who name the cores count it."""
    nodes, cores = f.get("nodes"), f.get("cpu_cores")
    if not (nodes and cores and nodes > 1) or f.get("gpus"):
        return
    per = r"(?:per|each|a|on each)\s+node|each\)|each\b"
    if not first(rf"\b{cores}\s*(?:cpu\s+)?cores?\s*(?:{per})", t) and not first(
        rf"\b{cores}[- ]core\s+nodes?\b", t
    ):
        return
    f["cpu_cores"] = nodes * cores
    f.pop("nodes")
    f["assumed"].append(f"{nodes} nodes × {cores} cores per node is read as {nodes * cores} cores")


def _regulated(t: str) -> list[str]:
    """Regulated-data regimes the text names, leaving out ones it rules out or has released."""
    t = _NOT_REGULATED.sub(" ", t)
    found = [label for label, pattern in _REGULATED if re.search(pattern, t)]
    released = _RELEASED.search(t) and not re.search(r"\bidentifiable\b|\bidentified\b", t)
    if released and found == ["patient records"]:  # a named regime (HIPAA…) still counts
        return []
    return found


# Hardware named as what fails today ("it OOMs on our 40GB A100s") is not what is asked for.
_FAILS = re.compile(
    r"\booms?\b|out[- ]of[- ]memory|too small|not enough|(?:does ?n[o']t|won't|can't|cannot) fit|"
    r"\bfails?\b|crash|runs? out|\bdied\b|(?:could ?n[o']t|can't|cannot) hold|overflow"
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

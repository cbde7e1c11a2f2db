"""The one plan schema: the parsed workload and the plan every interface returns."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Task = Literal["training", "fine-tuning", "inference", "classroom", "data processing"]
Method = Literal["full", "lora", "qlora"]
Precision = Literal["fp32", "bf16", "fp16", "fp8", "int8", "int4"]
RequestType = Literal["startup", "research", "classroom", "secure"]
FitLevel = Literal["good", "possible", "no"]
TotalUnit = Literal["GPU-hours", "GPU-days", "node-hours", "node-days", "core-hours", "core-days"]


class Phase(BaseModel):
    """One listed phase (or table row) of the work, sized on its own in GPU-hours."""

    model_config = ConfigDict(extra="forbid")

    label: str = Field(description="The phase as the applicant named it.")
    gpu_hours: float = Field(gt=0, description="The phase's GPU-hours.")
    step: str | None = Field(
        None, description="Its arithmetic ('4 GPUs × 6 h × 5 runs = 120 GPU-hours'), if any."
    )


class Workload(BaseModel):
    """What the applicant wants to run; None means "not said" (never a silent default)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field("", description="The workload as the applicant wrote it.")
    task: Task | None = Field(None, description="What will be run.")
    method: Method | None = Field(None, description="Fine-tuning method: full, LoRA or QLoRA.")
    params_b: float | None = Field(None, gt=0, description="Model size in billions of parameters.")
    precision: Precision | None = Field(None, description="Numeric precision of the weights.")
    tokens_b: float | None = Field(None, gt=0, description="Training tokens, in billions.")
    dataset_gb: float | None = Field(None, gt=0, description="Dataset size in GB.")
    epochs: float | None = Field(None, gt=0, description="Passes over the data.")
    gpus: int | None = Field(None, gt=0, description="GPUs per run.")
    nodes: int | None = Field(None, gt=0, description="CPU nodes per run.")
    cpu_cores: int | None = Field(None, gt=0, description="CPU cores per run.")
    single_gpu: bool = Field(False, description="The model must fit on one GPU.")
    gpu_memory_gb: float | None = Field(None, gt=0, description="GPU memory needed per GPU, GB.")
    hours_per_run: float | None = Field(None, gt=0, description="Wall-clock hours of one run.")
    runs: int | None = Field(None, gt=0, description="Number of runs.")
    total_amount: float | None = Field(
        None, gt=0, description="A total stated in resource units, e.g. the 20 of '20 GPU-days'."
    )
    total_unit: TotalUnit | None = Field(None, description="Unit of total_amount.")
    total_per_run: bool = Field(
        False, description="total_amount is for one run ('each run costs 10 GPU-days')."
    )
    students: int | None = Field(None, gt=0, description="Course: number of students.")
    hours_per_week: float | None = Field(None, gt=0, description="Course: hours per student/week.")
    weeks: float | None = Field(None, gt=0, description="Course: weeks of use.")
    phases: list[Phase] = Field(
        default_factory=list, description="Listed phases sized one by one; summed when given."
    )
    students_per_gpu: int | None = Field(
        None, gt=1, description="Course: students sharing one GPU (pairs: 2); unset is one each."
    )
    gpus_per_student: int | None = Field(
        None, gt=1, description="Course: GPUs each student uses at once (data-parallel labs)."
    )
    regulated: list[str] = Field(
        default_factory=list, description="Regulated data named: HIPAA, FERPA, CUI, patient."
    )
    accelerator: str | None = Field(None, description="Accelerator asked for, e.g. 'H100'.")
    accelerator_required: bool = Field(False, description="The accelerator is a must, not a wish.")
    cpu_only: bool = Field(False, description="The work needs no GPU.")
    exploratory: bool = Field(False, description="Small first look: a startup-sized request.")
    deadline: str | None = Field(None, description="When the work must finish, as written.")
    assumed: list[str] = Field(
        default_factory=list,
        description="Readings that were a choice, e.g. the upper end of a range; shown as "
        "assumptions.",
    )


class ResourceFit(BaseModel):
    """One catalogue entry judged against the workload."""

    id: str = Field(description="Catalogue id.")
    name: str = Field(description="Resource name.")
    provider: str = Field(description="Who runs it.")
    kind: str = Field(description="HPC GPU, HPC CPU, AI accelerator, cloud or model API.")
    fit: FitLevel = Field(description="good, possible or no.")
    verified: bool = Field(True, description="False when the fit rests on unknown facts.")
    reasons: list[str] = Field(description="Why, one sentence each, with [S#] keys.")
    gpu_memory_gb: float | None = Field(None, description="Memory per GPU, GB, if known.")
    unit: str = Field(description="The resource's own allocation unit.")
    citations: list[str] = Field(default_factory=list, description="[S#] keys used above.")


class PerResource(BaseModel):
    """The estimate converted into one resource's unit."""

    resource: str = Field(description="Resource name.")
    amount: float | None = Field(description="Amount in the resource's unit; None if unknown.")
    unit: str = Field(description="The resource's unit.")
    steps: list[str] = Field(description="Conversion arithmetic, one equation per line.")


class Estimate(BaseModel):
    """How much to ask for, with the arithmetic shown."""

    amount: float | None = Field(description="Recommended request, contingency included.")
    unit: str = Field(description="Unit of amount, low and high (GPU-hours usually).")
    resource: str | None = Field(description="Resource the headline figure is for, if one.")
    low: float | None = Field(description="Low end of the range.")
    high: float | None = Field(description="High end of the range.")
    steps: list[str] = Field(description="The arithmetic, one equation per line.")
    per_resource: list[PerResource] = Field(description="The estimate in each fitting unit.")


class PlanCitation(BaseModel):
    """A source behind an [S#] key."""

    key: str = Field(description="S1, S2, …")
    chunk_id: str = Field(description="Index chunk that holds the fact.")
    title: str = Field(description="Document title.")
    source: str = Field(description="Document path relative to the data folder.")
    url: str = Field(description="Public source URL.")
    locator: str = Field(description="Section of the document.")
    as_of: str = Field(description="Date of the source.")
    snippet: str = Field(description="Short excerpt of the passage.")


class Plan(BaseModel):
    """A request plan: fitting resources, an estimate and a draft justification."""

    workload: Workload = Field(description="The parsed workload.")
    missing: list[str] = Field(description="Questions to answer for a complete plan.")
    assumptions: list[str] = Field(description="Rules of thumb and defaults used.")
    request_type: RequestType = Field(description="startup, research, classroom or secure.")
    resources: list[ResourceFit] = Field(description="Every catalogue entry with its fit.")
    estimate: Estimate = Field(description="How much to ask for.")
    draft: str = Field(description="Draft resource-justification paragraph with [S#] keys.")
    citations: list[PlanCitation] = Field(description="The sources behind every [S#] key.")
    warnings: list[str] = Field(description="Things to double-check.")
    unused: list[str] = Field(
        default_factory=list,
        description="Counts of things in the text that the estimate does not use (check them).",
    )
    parser: str = Field("rules", description="What parsed the workload: rules or a backend.")


class PlanRequest(BaseModel):
    """POST /v1/plan body."""

    model_config = ConfigDict(extra="forbid")

    workload: str = Field(min_length=3, max_length=4000, description="The workload in words.")
    overrides: dict[str, object] = Field(
        default_factory=dict, description="Parsed fields to set by hand (Workload field names)."
    )

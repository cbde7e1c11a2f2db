"""The structured resource catalogue (data/resources.toml): schema and a validating loader.

Every number in the catalogue is a `Fact`: a value plus the document and locator it comes
from, so the planner can cite it. A value the sources do not give is the string "unknown".
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

UNKNOWN = "unknown"
KINDS = ("HPC GPU", "HPC CPU", "AI accelerator", "cloud", "model API")
REQUEST_TYPES = ("startup", "research", "classroom", "secure")
_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


class CatalogueError(ValueError):
    """The catalogue file is unreadable or an entry breaks the schema; the message names both."""


def _check_date(value: str) -> str:
    """Dates are YYYY-MM or YYYY-MM-DD, or `unknown` when the source gives none."""
    if value != UNKNOWN and not _DATE.match(value):
        raise ValueError(f"date {value!r} must look like 2025-11, 2025-11-01 or be 'unknown'")
    return value


class Fact(BaseModel):
    """One cited value; source and locator default to the entry's own."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float | str | list[str] = Field(description="The value, or 'unknown'.")
    source: str = Field("", description="Document path relative to the data folder.")
    locator: str = Field("", description="Where in the document, e.g. '§ NCSA DeltaAI'.")
    as_of: str = Field("", description="Date of the source for this value.")
    note: str = Field("", description="A caveat shown with the value.")

    @property
    def known(self) -> bool:
        """False when the sources do not give this value."""
        return self.value != UNKNOWN

    def number(self) -> float | None:
        """The value as a number, or None when unknown."""
        return float(self.value) if isinstance(self.value, int | float) else None


class Rate(BaseModel):
    """One dated value of a charging rate (units charged per basis unit)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float = Field(gt=0, description="Units charged per basis unit, e.g. 4 SUs per vCPU-h.")
    as_of: str = Field(description="Date of the page that gives this value, or 'unknown'.")
    note: str = Field("", description="Where this value was read.")
    source: str = Field("", description="Document path relative to the data folder.")
    locator: str = Field("", description="Where in the document.")

    _date = field_validator("as_of")(classmethod(lambda cls, v: _check_date(v)))


class Unit(BaseModel):
    """The allocation unit and the charging rule that turns use into units."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="The unit as the provider names it: 'SU', 'node-hour', ….")
    rule: Literal["gpu_share", "node_hour", "vcpu_hour", "device_hour", "unknown"] = Field(
        description="gpu_share: per GPU-hour, charged by the largest of GPUs, cores or memory "
        "share; node_hour: whole nodes; vcpu_hour: per vCPU-hour times a rate; device_hour: "
        "hours of one device; unknown: the sources give no charging rule."
    )
    buys: str = Field(description="What one unit buys, in words.")
    rates: list[Rate] = Field(default_factory=list, description="Dated charging rates.")
    cores_per_gpu: float | None = Field(None, description="gpu_share: cores included per GPU.")
    memory_gb_per_gpu: float | None = Field(None, description="gpu_share: host GB per GPU.")
    minimum: float | None = Field(None, description="Least charge per job, in units.")
    source: str = Field("", description="Document path relative to the data folder.")
    locator: str = Field("", description="Where in the document.")


class Resource(BaseModel):
    """One catalogue entry."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(description="Short stable id (the TOML table name).")
    name: str = Field(description="Display name.")
    provider: str = Field(description="Who runs it.")
    kind: Literal["HPC GPU", "HPC CPU", "AI accelerator", "cloud", "model API"] = Field(
        description="What sort of resource it is."
    )
    gpu: bool = Field(description="Whether it offers GPUs or AI accelerators to jobs.")
    source: str = Field(description="Default document for this entry's facts.")
    locator: str = Field(description="Default locator for this entry's facts.")
    as_of: str = Field(description="Date of the facts.")
    accelerator: Fact = Field(description="Accelerator type.")
    gpus_per_node: Fact = Field(description="GPUs or accelerators per node.")
    gpu_memory_gb: Fact = Field(description="Memory per GPU or accelerator, GB.")
    cpu_cores_per_node: Fact = Field(description="CPU cores per node.")
    memory_per_node_gb: Fact = Field(description="Host memory per node, GB.")
    unit: Unit = Field(description="Allocation unit and charging rule.")
    request_types: Fact = Field(description="Request types it serves.")
    regulated_data: Fact = Field(description="'yes', 'no' or 'unknown': approved for it?")
    data_restrictions: str = Field("", description="Data rules in words.")
    software: str = Field("", description="Containers, notebooks, endpoints.")

    _date = field_validator("as_of")(classmethod(lambda cls, v: _check_date(v)))

    @field_validator("request_types")
    @classmethod
    def _types(cls, v: Fact) -> Fact:
        """Request types come from the fixed list."""
        values = v.value if isinstance(v.value, list) else [v.value]
        bad = [t for t in values if t not in REQUEST_TYPES]
        if bad:
            raise ValueError(f"unknown request type(s) {bad}; use {list(REQUEST_TYPES)}")
        return v

    @field_validator("regulated_data")
    @classmethod
    def _regulated(cls, v: Fact) -> Fact:
        """Regulated-data approval is yes, no or unknown."""
        if v.value not in ("yes", "no", UNKNOWN):
            raise ValueError("regulated_data must be 'yes', 'no' or 'unknown'")
        return v

    def fact(self, name: str) -> Fact:
        """A fact with the entry's defaults filled in (source, locator, date)."""
        f: Fact = getattr(self, name)
        return f.model_copy(
            update={
                "source": f.source or self.source,
                "locator": f.locator or self.locator,
                "as_of": f.as_of or self.as_of,
            }
        )

    def rate(self) -> tuple[Rate | None, list[Rate]]:
        """The newest dated rate and the older ones (undated values count as oldest)."""
        if not self.unit.rates:
            return None, []
        ordered = sorted(self.unit.rates, key=lambda r: "" if r.as_of == UNKNOWN else r.as_of)
        return ordered[-1], ordered[:-1]


_FACT_FIELDS = (
    "accelerator",
    "gpus_per_node",
    "gpu_memory_gb",
    "cpu_cores_per_node",
    "memory_per_node_gb",
    "request_types",
    "regulated_data",
)


def _as_fact(raw: Any) -> Any:
    """A bare value is shorthand for a fact with the entry's source and locator."""
    return raw if isinstance(raw, dict) else {"value": raw}


def parse_catalogue(data: dict[str, Any], where: str = "resources.toml") -> list[Resource]:
    """Validate parsed TOML into resources; the first bad entry raises CatalogueError."""
    entries = data.get("resource")
    if not isinstance(entries, dict) or not entries:
        raise CatalogueError(f"{where}: no [resource.<id>] tables found")
    out: list[Resource] = []
    for rid, raw in entries.items():
        if not isinstance(raw, dict):
            raise CatalogueError(f"{where}: resource '{rid}' must be a table")
        body = {**raw, "id": rid}
        for name in _FACT_FIELDS:
            if name in body:
                body[name] = _as_fact(body[name])
        try:
            out.append(Resource.model_validate(body))
        except ValidationError as exc:
            err = exc.errors()[0]
            field = ".".join(str(p) for p in err["loc"]) or "(entry)"
            raise CatalogueError(
                f"{where}: resource '{rid}', field '{field}': {err['msg']} "
                f"({len(exc.errors())} problem(s) in this entry); fix the entry and re-run"
            ) from exc
    return out


def load_catalogue(path: Path) -> list[Resource]:
    """Read and validate a catalogue file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CatalogueError(f"cannot read catalogue {path}: {exc.strerror}") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CatalogueError(f"{path}: invalid TOML ({exc}); fix the file") from exc
    return parse_catalogue(data, str(path))

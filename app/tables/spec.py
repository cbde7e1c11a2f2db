"""The validated query spec: the only thing a table query is built from (never SQL from text)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from index.tables import TableInfo

Operation = Literal["list", "count", "sum", "average", "rank", "distinct"]
Value = str | int | float


class SpecError(ValueError):
    """A spec that does not fit the table it names (unknown column, wrong type)."""


# The earliest date: `not_between` it and a day keeps rows on or after the next day, or blank.
OPEN_START = "0001-01-01"


class Filter(BaseModel):
    """One condition: `in` (or `not_in`) the values, a `between` range, a bound, or `contains`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    column: str = Field(min_length=1, max_length=200, description="Column name as in the table.")
    op: Literal[
        "in", "not_in", "between", "not_between", "gt", "gte", "lt", "lte", "contains", "empty",
        "filled",
    ] = Field(
        "in",
        description="in: equals one of values; not_in: none of them; between: [low, high]; "
        "not_between: outside it; gt/gte/lt/lte: a bound; empty: the cell is blank; filled: "
        "it is not (these two take no values).",
    )  # fmt: skip
    values: tuple[Value, ...] = Field((), max_length=20, description="Values; dates as YYYY-MM-DD.")
    of: str | None = Field(
        None,
        max_length=200,
        description="Bound the column as a percentage of this one ('used over 90% of what was "
        "awarded': column Used, of Awarded); numeric columns and bounds only.",
    )
    less: str | None = Field(
        None,
        max_length=200,
        description="Bound the column less this one ('under 20,000 SUs left': column "
        "Allocated, less Used; a blank counts as 0); numeric columns and bounds only.",
    )

    @model_validator(mode="after")
    def _arity(self) -> Filter:
        """between takes two values; bounds and contains one; empty and filled none; in some."""
        want = {"between": 2, "not_between": 2, "contains": 1, "empty": 0, "filled": 0}.get(self.op)
        want = 1 if self.op in ("gt", "gte", "lt", "lte") else want
        if want is not None and len(self.values) != want:
            raise ValueError(f"{self.op} takes {want} value(s), got {len(self.values)}")
        if want is None and not self.values:
            raise ValueError(f"{self.op} takes at least one value")
        for said, other in (("of", self.of), ("less", self.less)):
            if other is not None and self.op not in ("between", "gt", "gte", "lt", "lte"):
                raise ValueError(f"'{said}' takes a bound or between, not {self.op}")
        return self


class QuerySpec(BaseModel):
    """What to compute over one table, in terms of its columns."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    table: str = Field(min_length=1, max_length=200, description="Table title or document id.")
    operation: Operation = Field(
        "list",
        description="list rows, count them, sum or average a measure, rank by it, or count "
        "the distinct values of the group_by column.",
    )
    filters: tuple[Filter, ...] = Field((), max_length=10, description="All must hold (AND).")
    measure: str | None = Field(
        None, description="Numeric column for sum, average and rank (rank also takes a date)."
    )
    group_by: tuple[str, ...] = Field((), max_length=2, description="Columns to group by.")
    order: Literal["desc", "asc"] = Field("desc", description="desc: largest first.")
    position: int = Field(1, ge=1, le=1000, description="rank: 1 = largest, 3 = third largest.")
    top: int | None = Field(None, ge=1, le=100, description="How many rows or groups to keep.")
    columns: tuple[str, ...] = Field((), max_length=12, description="Columns the question asks.")
    period: Literal["year", "quarter", "month"] | None = Field(
        None, description="Group a date column in group_by by year, quarter or month."
    )
    min_count: int | None = Field(
        None, ge=1, le=1000, description="count/distinct: keep groups with at least this many rows."
    )
    less: str | None = Field(
        None,
        max_length=200,
        description="sum/average/rank: the measure minus this column on each row (what is left "
        "of an award: Awarded less Used; a blank counts as 0).",
    )
    count_of: str | None = Field(
        None,
        max_length=200,
        description="count: count the different values of this column in each group, not rows "
        "('allocations per resource' when an allocation has several rows).",
    )


def parse_spec(data: object) -> QuerySpec:
    """Validate a JSON-like object as a spec; raise SpecError with pydantic's reasons."""
    try:
        return QuerySpec.model_validate(data)
    except ValidationError as exc:
        raise SpecError(f"invalid query spec: {exc.error_count()} problem(s): {exc}") from exc


def check_spec(spec: QuerySpec, table: TableInfo) -> None:
    """Raise SpecError unless every column exists and fits the role the spec gives it."""
    names = [f.column for f in spec.filters] + list(spec.group_by) + list(spec.columns)
    names += [n for f in spec.filters for n in (f.of, f.less) if n]
    names += [n for n in (spec.count_of, spec.less) if n]
    if spec.measure:
        names.append(spec.measure)
    for name in names:
        if table.column(name) is None:
            raise SpecError(f"no column {name!r} in table {table.title!r}")
    if spec.period and not any(
        (c := table.column(g)) is not None and (c.type == "date" or c.type == "integer")
        for g in spec.group_by
    ):
        raise SpecError("period groups a date (or year) column; put one in group_by")
    if spec.operation == "distinct" and len(spec.group_by) != 1:
        raise SpecError("distinct counts the values of exactly one group_by column")
    if spec.operation in ("sum", "average", "rank"):
        m = table.column(spec.measure or "")
        dated = spec.operation == "rank" and m is not None and m.type == "date"  # "the latest"
        if m is None or not (m.numeric or dated):
            raise SpecError(f"{spec.operation} needs a numeric measure column")
        less = table.column(spec.less) if spec.less else None
        if spec.less and (less is None or not less.numeric):
            raise SpecError(f"{spec.less!r} is subtracted from the measure, so it must be numeric")
    for f in spec.filters:
        col = table.column(f.column)
        assert col is not None
        if f.of and not (col.numeric and (base := table.column(f.of)) and base.numeric):
            raise SpecError(f"a share compares two numeric columns: {f.column} of {f.of}")
        if f.less and not (col.numeric and (sub := table.column(f.less)) and sub.numeric):
            raise SpecError(f"what is left subtracts numeric columns: {f.column} less {f.less}")
        if f.op in ("between", "not_between", "gt", "gte", "lt", "lte"):
            for v in f.values:
                if col.type == "date":
                    try:
                        date.fromisoformat(str(v))
                    except ValueError as exc:
                        raise SpecError(f"{f.column}: {v!r} is not a YYYY-MM-DD date") from exc
                elif col.numeric and not isinstance(v, int | float):
                    raise SpecError(f"{f.column}: {v!r} is not a number")
                elif not col.numeric and col.type != "date":
                    raise SpecError(f"{f.column} is text; use in or contains")

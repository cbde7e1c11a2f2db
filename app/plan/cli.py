"""`pilotdesk plan`: the plan as text for people or JSON for programs."""

from __future__ import annotations

import argparse
import json
from typing import Any

from app.plan.schema import Plan
from app.plan.unused import UNUSED_NOTE

PLAN_HELP = "turn a described workload into fitting resources, an estimate and a draft"
PLAN_EPILOG = """examples:
  pilotdesk plan "full fine-tune of a 13B model in bf16 on 8 GPUs, 48 h per run, 5 runs"
  pilotdesk plan "a course: 40 students, 3 hours per week for 15 weeks" --json

Reads the catalogue at <paths.data_dir>/resources.toml and cites the passages of the index
(or, without one, of the documents in the data folder). Exit status 0 even when information
is missing: the plan's `missing` list says what to add."""


def add_plan_parser(sub: Any) -> argparse.ArgumentParser:
    """Add the `plan` subcommand."""
    p: argparse.ArgumentParser = sub.add_parser(
        "plan",
        help=PLAN_HELP,
        description="Plan a NAIRR Pilot resource request from a workload described in words.",
        epilog=PLAN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("workload", help="the workload in words (quote it)")
    p.add_argument("--json", action="store_true", help="print the plan as JSON")
    p.add_argument("--index", help="index directory for citations (default: var/index)")
    p.add_argument(
        "--backend",
        default=None,
        help="backend profile that parses the workload (default: backend.default; "
        "extractive means the rules parser)",
    )
    return p


def format_plan(plan: Plan) -> str:
    """Human-readable plan."""
    out = [f"Request type: {plan.request_type}", ""]
    if plan.missing:
        out += ["Missing (please tell us):", *[f"  - {q}" for q in plan.missing], ""]
    out.append("Resources:")
    for r in plan.resources:
        mark = "" if r.verified else " (unverified)"
        out.append(f"  [{r.fit}{mark}] {r.name} — {r.provider} — unit: {r.unit}")
        out += [f"      {reason}" for reason in r.reasons]
    e = plan.estimate
    out += ["", "Estimate:"]
    if e.amount is None:
        out.append("  not enough information yet (see Missing)")
    else:
        out.append(f"  {e.amount:g} {e.unit} (range {e.low:g}–{e.high:g})")
    out += [f"  {s}" for s in e.steps]
    for p in e.per_resource:
        if p.amount is not None:
            out.append(f"  {p.resource}: {p.amount:g} {p.unit}")
            out += [f"      {s}" for s in p.steps]
    if plan.unused:
        out += ["", UNUSED_NOTE, *[f"  - {u}" for u in plan.unused]]
    if plan.assumptions:
        out += ["", "Assumptions:", *[f"  - {a}" for a in plan.assumptions]]
    out += ["", "Draft justification:", plan.draft, ""]
    if plan.citations:
        out.append("Sources:")
        for c in plan.citations:
            out.append(f"  [{c.key}] {c.title} — {c.locator}, as of {c.as_of} — {c.url}")
    out += [f"note: {w}" for w in plan.warnings]
    return "\n".join(out).rstrip()


def print_plan(plan: Plan, as_json: bool) -> None:
    """Print the plan in the chosen form."""
    if as_json:
        print(json.dumps(plan.model_dump(mode="json"), ensure_ascii=False, indent=2))
    else:
        print(format_plan(plan))

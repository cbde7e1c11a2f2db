"""Write the benchmark's results as JSON and as a Markdown report with a goals table."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from eval.bench.common import Section


def _cell(value: Any) -> str:
    """One table cell: dashes for missing values, pipes escaped."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    return str(value).replace("|", "\\|").replace("\n", " ")


def table(rows: list[dict[str, Any]]) -> list[str]:
    """A Markdown table over the union of the rows' keys, in first-seen order."""
    cols: list[str] = []
    for r in rows:
        cols += [k for k in r if k not in cols]
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    out += ["| " + " | ".join(_cell(r.get(c)) for c in cols) + " |" for r in rows]
    return out


def _mark(met: bool | None) -> str:
    """Goal status as a word (renders everywhere, unlike emoji)."""
    return {True: "met", False: "**not met**", None: "not measured"}[met]


def markdown(meta: dict[str, Any], sections: list[Section]) -> str:
    """The whole report: machine, command, goals, then one table per figure."""
    m = meta["machine"]
    lines = [
        "# pilotdesk bench",
        "",
        f"- command: `{meta['command']}`",
        f"- started {meta['started']}, took {meta['seconds']:.0f} s",
        f"- machine: {m['nproc']} cores, {m['cpu']}, {m['ram_gib']} GiB RAM; "
        f"load average {meta['load_before']} at start, {m['load_avg_1m']} at end",
        f"- Python {m['python']}; OPENBLAS_CORETYPE={m['OPENBLAS_CORETYPE'] or '(unset)'}; "
        f"BLAS: {'; '.join(m['blas']) or 'n/a'}",
        "",
        "## Goals",
        "",
    ]
    goals = [
        {
            "figure": s.title.split(" ", 1)[0],
            "goal": g.name,
            "target": g.target,
            "measured": g.value,
            "status": _mark(g.met),
        }
        for s in sections
        for g in s.goals
    ]
    lines += table(goals) if goals else ["(no goals measured)"]
    for s in sections:
        lines += ["", f"## {s.title}", ""]
        if s.status != "ok":
            lines.append(f"**{s.status}**: {s.reason}")
        if s.rows:
            lines += table(s.rows)
        if s.notes:
            lines.append("")
            lines += [f"- {n}" for n in s.notes]
        lines.append(f"\n_{s.seconds:.0f} s_")
    return "\n".join(lines) + "\n"


def write(
    out: Path, meta: dict[str, Any], sections: list[Section], latest: Path | None
) -> tuple[Path, Path]:
    """results.json and results.md in `out`; a copy of the Markdown at `latest` if given."""
    out.mkdir(parents=True, exist_ok=True)
    js = out / "results.json"
    md = out / "results.md"
    data = {**meta, "sections": [s.to_dict() for s in sections]}
    js.write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")
    md.write_text(markdown(meta, sections), encoding="utf-8")
    if latest is not None:
        shutil.copyfile(md, latest)
    return js, md

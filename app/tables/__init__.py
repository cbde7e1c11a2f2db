"""Table questions answered from the table: plan (no model needed) → DuckDB query → cited passage.

The answer layer calls `answer_from_tables`; a result comes back as the first hit, a
synthesised passage whose locator is the query in words and whose text cites its rows.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from app.tables.executor import QueryFailed, Result, run
from app.tables.planner import Plan, plan_question
from app.tables.render import make_hit, render
from app.tables.spec import QuerySpec, SpecError
from index.store import VERSIONS, LoadedIndex, current_version
from index.tables import DB_FILE, TableInfo, read_catalog
from index.types import Hit

if TYPE_CHECKING:
    from app.config import TablesSettings
    from app.tables.model import Completer

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TableAnswer:
    """A computed answer: the synthetic first hit, the cited text, and the query in words."""

    hit: Hit
    text: str  # cites the hit as [S1]: it is meant to be inserted first
    description: str
    spec: QuerySpec
    rows: tuple[int, ...]  # `row N` numbers the answer rests on
    planner: str  # "rules" or "model"
    partial: bool = False  # the question also asks something else: `text` answers only part
    notes: tuple[str, ...] = ()


@lru_cache(maxsize=8)
def _catalog(version_dir: Path) -> tuple[TableInfo, ...]:
    """The tables of one (immutable) index version, read once."""
    return tuple(read_catalog(version_dir))


def _version_dir(index: LoadedIndex | Path) -> Path | None:
    """The version directory of a loaded index, or of an index root's current version."""
    if isinstance(index, LoadedIndex):
        return index.root / VERSIONS / index.version
    name = current_version(index)
    return index / VERSIONS / name if name else None


def answer_from_tables(
    question: str,
    index: LoadedIndex | Path,
    settings: TablesSettings | None = None,
    chat: Completer | None = None,
) -> TableAnswer | None:
    """Answer a table question from the table, or None to leave it to the passages."""
    from app.config import TablesSettings

    cfg = settings or TablesSettings()
    vdir = _version_dir(index)
    if not cfg.enabled or vdir is None:
        return None
    tables = list(_catalog(vdir))
    if not tables:
        return None
    plan = plan_question(question, tables)
    if plan is None:
        return None  # the gate: without strong evidence a model is not even asked
    notes: list[str] = []
    partial = plan.partial
    chosen: Plan | tuple[QuerySpec, TableInfo] = plan
    source = "rules"
    if chat is not None and cfg.model_specs:
        from app.errors import BackendError
        from app.tables.model import model_spec

        try:
            proposed = model_spec(chat, question, tables)
        except (SpecError, BackendError) as exc:
            notes.append(f"the model's table query was not usable ({exc}); used the planner")
        else:
            if proposed is None:
                return None
            chosen, source = proposed, "model"
    spec, table = (chosen.spec, chosen.table) if isinstance(chosen, Plan) else chosen
    also = chosen.also if isinstance(chosen, Plan) else ()
    try:
        db = vdir / DB_FILE
        results = [run(s, table, db, cfg.row_limit, cfg.timeout_s) for s in (spec, *also)]
    except (QueryFailed, SpecError) as exc:
        log.warning("table query not answered: %s", exc)
        return None
    return _answer(results, source, partial, tuple(notes))


def _answer(
    results: list[Result], planner: str, partial: bool, notes: tuple[str, ...]
) -> TableAnswer:
    """Package results as the first hit and its cited answer text; a total asked in no unit
    comes from one result per amount column, those with nothing in them left out."""
    kept = [r for r in results if r.rows if r.spec.operation == "rank" or r.groups]
    kept = kept or results[:1]
    result = kept[0]
    texts = [render(r) for r in kept]
    text = "\n".join(t for t, _ in texts)
    locator = "; ".join(loc for _, loc in texts)
    first, _, rest = text.partition("\n")
    cited = f"{first.rstrip('.:')} [S1]{first[-1] if first[-1] in '.:' else '.'}"
    answer = cited + ("\n" + rest if rest else "")
    rows = tuple(dict.fromkeys(r.number for res in kept for r in res.rows))
    return TableAnswer(
        make_hit(result, text, locator),
        answer,
        locator,
        result.spec,
        rows,
        planner,
        partial,
        notes,
    )


__all__ = ["TableAnswer", "answer_from_tables"]

"""Conversations, answers and feedback on SQLite or PostgreSQL: all SQL lives here (Core)."""

from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.db import dialect_for, driver_url
from app.errors import ConfigError, PilotdeskError
from app.migrations import migrate
from app.schema import citation_out
from app.types import Answer, Turn

metadata = sa.MetaData()

conversations = sa.Table(
    "conversations",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("channel", sa.String(32), nullable=False, server_default="api"),
)

answers = sa.Table(
    "answers",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("conversation_id", sa.String(64), sa.ForeignKey("conversations.id"), index=True),
    sa.Column("created_at", sa.Float, nullable=False, index=True),
    sa.Column("question", sa.Text, nullable=False),
    sa.Column("standalone_question", sa.Text, nullable=False, server_default=""),
    sa.Column("answer", sa.Text, nullable=False),
    sa.Column("backend", sa.String(64), nullable=False),
    sa.Column("abstained", sa.Boolean, nullable=False),
    sa.Column("latency_ms", sa.Float, nullable=False),
    sa.Column("citations", sa.Text, nullable=False, server_default="[]"),
    sa.Column("warnings", sa.Text, nullable=False, server_default="[]"),
    sa.Column("channel", sa.String(32), nullable=False, server_default="api"),
)

feedback = sa.Table(
    "feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("answer_id", sa.String(64), sa.ForeignKey("answers.id"), index=True),
    sa.Column("created_at", sa.Float, nullable=False),
    sa.Column("score", sa.Integer, nullable=False),  # +1 thumbs up, -1 thumbs down
    sa.Column("comment", sa.Text, nullable=False, server_default=""),
)


sign_in_failures = sa.Table(
    "sign_in_failures",
    metadata,
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last_at", sa.Float, nullable=False),
)


class UnknownAnswer(PilotdeskError):
    """Feedback names an answer id that was never stored."""


@dataclass(frozen=True)
class LoggedAnswer:
    """One row of the question log, with its latest feedback."""

    id: str
    conversation_id: str
    created_at: float
    question: str
    answer: str
    backend: str
    abstained: bool
    latency_ms: float
    citations: list[dict[str, Any]]
    channel: str
    feedback_score: int | None
    feedback_comment: str
    warnings: tuple[Any, ...] = ()  # strings, or {code, message} objects in newer rows


def database_url(db_path: Path, url: str = "") -> str:
    """The SQLAlchemy URL: the configured server database, else the SQLite file."""
    if url:
        return driver_url(url)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{db_path}"


class Store:
    """The conversation and feedback store (SQLite or PostgreSQL); one per process is enough."""

    def __init__(self, url: str) -> None:
        """Connect and bring the schema up to date (migrations run on every start)."""
        self.url = driver_url(url)
        self.dialect = dialect_for(self.url)
        self.is_sqlite = self.dialect.name == "sqlite"
        self.engine = self.dialect.engine(self.url)
        try:
            self.applied_migrations = migrate(self.engine)
        except sa.exc.OperationalError as exc:
            self.engine.dispose()
            raise ConfigError(
                f"cannot open the database {self.public_url}: {_first_line(exc.orig)}; check "
                "PILOTDESK_DATABASE_URL (or paths.db_path) and that the server is running"
            ) from exc

    @property
    def public_url(self) -> str:
        """The URL with any password masked, for messages and logs."""
        return sa.make_url(self.url).render_as_string(hide_password=True)

    def _write(self) -> sa.Connection:
        """A connection for one write transaction (SQLite: BEGIN IMMEDIATE, lock taken first)."""
        # A deferred SQLite transaction that reads and then writes fails with "database is
        # locked" at once when another writer got in between; IMMEDIATE waits for the lock.
        return self.engine.connect().execution_options(pilotdesk_begin="IMMEDIATE")

    def write_connection(self) -> sa.Connection:
        """A write-transaction connection for modules that own a table (app.ratelimit)."""
        return self._write()

    def close(self) -> None:
        """Close pooled connections."""
        self.engine.dispose()

    def ping(self) -> bool:
        """True when the database answers (readiness checks)."""
        try:
            with self.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            return True
        except sa.exc.SQLAlchemyError:
            return False

    def ensure_conversation(self, conversation_id: str | None, channel: str = "api") -> str:
        """Return an existing conversation id or create a new conversation."""
        cid = conversation_id or uuid.uuid4().hex
        # One statement: two replicas continuing the same new conversation can't both insert.
        stmt = (
            self.dialect.insert(conversations)
            .values(id=cid, created_at=time.time(), channel=channel)
            .on_conflict_do_nothing(index_elements=["id"])
        )
        with self._write() as conn, conn.begin():
            conn.execute(stmt)
        return cid

    def history(self, conversation_id: str, limit: int = 10) -> list[Turn]:
        """The last `limit` question/answer pairs of a conversation, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(answers.c.question, answers.c.answer, answers.c.abstained)
                .where(answers.c.conversation_id == conversation_id)
                .order_by(answers.c.created_at.desc())
                .limit(limit)
            ).all()
        turns: list[Turn] = []
        for q, a, refused in reversed(rows):
            turns += [Turn("user", q), Turn("assistant", a, abstained=bool(refused))]
        return turns

    def record_answer(
        self, conversation_id: str, answer: Answer, latency_ms: float, channel: str = "api"
    ) -> None:
        """Store one answer (the answer's id is its primary key)."""
        with self._write() as conn, conn.begin():
            conn.execute(
                answers.insert().values(
                    id=answer.id,
                    conversation_id=conversation_id,
                    created_at=time.time(),
                    question=answer.question,
                    standalone_question=answer.standalone_question,
                    answer=answer.text,
                    backend=answer.backend,
                    abstained=answer.abstained,
                    latency_ms=latency_ms,
                    citations=json.dumps(
                        [citation_out(c).model_dump(mode="json") for c in answer.citations]
                    ),
                    warnings=json.dumps(stored_notes(answer)),
                    channel=channel,
                )
            )

    def add_feedback(self, answer_id: str, score: int, comment: str = "") -> int:
        """Store thumbs up (+1) or down (-1) with an optional comment; returns the row id."""
        if score not in (1, -1):
            raise ValueError("score must be 1 (thumbs up) or -1 (thumbs down)")
        unknown = UnknownAnswer(f"no answer with id {answer_id!r}; send the id /v1/ask returned")
        try:
            with self._write() as conn, conn.begin():
                if not conn.execute(
                    sa.select(answers.c.id).where(answers.c.id == answer_id)
                ).first():
                    raise unknown
                result = conn.execute(
                    feedback.insert()
                    .values(
                        answer_id=answer_id,
                        created_at=time.time(),
                        score=score,
                        comment=comment[:2000],
                    )
                    .returning(feedback.c.id)
                )
                return int(result.scalar_one())
        except sa.exc.IntegrityError as exc:
            # The answer was purged between the check and the insert (another replica).
            raise unknown from exc

    def log(
        self,
        since: float | None = None,
        until: float | None = None,
        abstained: bool | None = None,
        feedback_score: int | None = None,
        text: str = "",
        limit: int = 1000,
    ) -> list[LoggedAnswer]:
        """The question log, newest first, with each answer's latest feedback."""
        latest = (
            sa.select(
                feedback.c.answer_id,
                sa.func.max(feedback.c.id).label("fid"),
            )
            .group_by(feedback.c.answer_id)
            .subquery()
        )
        fb = feedback.alias("fb")
        q = (
            sa.select(answers, fb.c.score, fb.c.comment)
            .select_from(
                answers.outerjoin(latest, latest.c.answer_id == answers.c.id).outerjoin(
                    fb, fb.c.id == latest.c.fid
                )
            )
            .order_by(answers.c.created_at.desc())
            .limit(limit)
        )
        if since is not None:
            q = q.where(answers.c.created_at >= since)
        if until is not None:
            q = q.where(answers.c.created_at < until)
        if abstained is not None:
            q = q.where(answers.c.abstained == abstained)
        if feedback_score is not None:
            q = q.where(fb.c.score == feedback_score)
        if text:
            q = q.where(answers.c.question.icontains(text, autoescape=True))
        with self.engine.connect() as conn:
            rows = conn.execute(q).all()
        return [
            LoggedAnswer(
                id=r.id,
                conversation_id=r.conversation_id,
                created_at=r.created_at,
                question=r.question,
                answer=r.answer,
                backend=r.backend,
                abstained=bool(r.abstained),
                latency_ms=r.latency_ms,
                citations=json.loads(r.citations or "[]"),
                channel=r.channel,
                feedback_score=r.score,
                feedback_comment=r.comment or "",
                warnings=tuple(json.loads(r.warnings or "[]")),
            )
            for r in rows
        ]

    def feedback_rows(self, answer_id: str) -> list[tuple[int, str]]:
        """All (score, comment) rows stored for one answer, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(feedback.c.score, feedback.c.comment)
                .where(feedback.c.answer_id == answer_id)
                .order_by(feedback.c.id)
            ).all()
        return [(int(s), str(c)) for s, c in rows]

    def counts(self) -> dict[str, int]:
        """Row counts per table (health checks and tests)."""
        with self.engine.connect() as conn:
            return {
                t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one())
                for t in (conversations, answers, feedback)
            }

    def purge_before(self, cutoff: float) -> int:
        """Delete answers (and their feedback) older than `cutoff` (data retention)."""
        with self._write() as conn, conn.begin():
            old = sa.select(answers.c.id).where(answers.c.created_at < cutoff)
            conn.execute(feedback.delete().where(feedback.c.answer_id.in_(old)))
            return int(conn.execute(answers.delete().where(answers.c.created_at < cutoff)).rowcount)

    def sign_in_failures(self, key: str) -> tuple[int, float]:
        """Wrong staff passwords counted for a client: (how many, when the last one was)."""
        t = sign_in_failures
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(t.c.failures, t.c.last_at).where(t.c.key == key)).first()
        return (int(row[0]), float(row[1])) if row else (0, 0.0)

    def add_sign_in_failure(self, key: str, now: float, forget_after_s: float) -> int:
        """Count one wrong password (a count older than `forget_after_s` starts again)."""
        t = sign_in_failures
        ins = self.dialect.insert(t).values(key=key, failures=1, last_at=now)
        stale = t.c.last_at < now - forget_after_s
        # One atomic upsert: two workers counting the same client never lose a guess.
        stmt = ins.on_conflict_do_update(
            index_elements=["key"],
            set_={
                "failures": sa.case((stale, 1), else_=t.c.failures + 1),
                "last_at": now,
            },
        ).returning(t.c.failures)
        with self._write() as conn, conn.begin():
            return int(conn.execute(stmt).scalar_one())

    def clear_sign_in_failures(self, key: str) -> None:
        """Forget a client's wrong passwords (after a right one)."""
        with self._write() as conn, conn.begin():
            conn.execute(sign_in_failures.delete().where(sign_in_failures.c.key == key))


def _first_line(exc: BaseException | None) -> str:
    """The first line of a driver error (the rest repeats connection details)."""
    return str(exc).strip().splitlines()[0] if exc and str(exc).strip() else "no answer"


def open_store(db_path: Path, url: str = "") -> Store:
    """Open the configured store."""
    return Store(database_url(db_path, url))


def stored_notes(answer: Answer) -> list[dict[str, str]]:
    """Warnings as stored for staff: why it was refused and what it left uncovered come first."""
    notes = []
    if answer.abstain_reason:
        notes.append({"code": "abstained", "message": answer.abstain_reason})
    if answer.uncovered:
        notes.append({"code": "uncovered", "message": "; ".join(answer.uncovered)})
    return notes + [{"code": w.code, "message": w.message} for w in answer.warnings]

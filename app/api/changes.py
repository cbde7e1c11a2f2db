"""GET /v1/changes: what the last refreshes found, with diffs; bearer token only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from app.api.errors import ApiError
from app.api.limits import bearer_ok
from app.api.routes import Svc, json_response
from app.api.schemas import ERRORS
from app.changes import recent_changes

router = APIRouter()


class PageChangeOut(BaseModel):
    """One page whose text changed."""

    url: str
    title: str
    old_as_of: str = Field(description="As-of date before the refresh ('' when unknown).")
    new_as_of: str = Field(description="As-of date after the refresh.")
    diff: str = Field(description="Unified diff of the page's cleaned text, trimmed.")


class FailedOut(BaseModel):
    """A page that could not be checked; it keeps its old text until the next refresh."""

    url: str
    reason: str


class RefreshOut(BaseModel):
    """One `pilotdesk refresh` run."""

    at: str = Field(description="When it ran (UTC, ISO 8601).")
    version: str | None = Field(description="Index version it published; null if none.")
    checked: int
    changed: list[PageChangeOut]
    added: list[str]
    removed: list[str]
    unchanged: int
    failed: list[FailedOut]


class ChangesOut(BaseModel):
    """The newest refreshes first."""

    refreshes: list[RefreshOut]


@router.get(
    "/v1/changes",
    response_model=ChangesOut,
    responses={401: ERRORS[401]},
    summary="What changed in the last refreshes (staff; bearer token)",
)
async def changes(
    request: Request, svc: Svc, limit: Annotated[int, Query(ge=1, le=100)] = 10
) -> Response:
    """The last refreshes with a diff of each changed page; needs the API bearer token."""
    if not bearer_ok(request, svc.settings.api.bearer_token):
        raise ApiError(
            401,
            "this endpoint needs the bearer token",
            "set api.bearer_token on the server and send Authorization: Bearer <token>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    records = await run_in_threadpool(recent_changes, svc.settings.paths.index_dir, limit)
    body = ChangesOut(refreshes=[RefreshOut(**r.to_dict()) for r in records])
    return json_response(svc, body.model_dump())

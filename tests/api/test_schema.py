"""The published OpenAPI schema is the one public answer schema, and replies validate against it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.api.schemas import AnswerReply
from app.schema import AnswerOut
from tests.api.conftest import QUESTION


def test_openapi_answer_schema_is_the_public_model(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    published = schemas["AnswerReply"]
    expected = AnswerReply.model_json_schema(ref_template="#/components/schemas/{model}")
    assert set(published["properties"]) == set(expected["properties"])
    assert set(published["required"]) == set(expected["required"])
    assert set(AnswerOut.model_fields) < set(published["properties"])
    for path in ("/v1/ask", "/v1/chat"):
        ok = spec["paths"][path]["post"]["responses"]["200"]["content"]["application/json"]
        assert ok["schema"]["$ref"].endswith("/AnswerReply")


def test_a_reply_validates_against_the_published_model(client: TestClient) -> None:
    body = client.post("/v1/ask", json={"question": QUESTION}).json()
    reply = AnswerReply.model_validate(body)
    assert reply.citations and reply.citations[0].key == "S1"
    assert [c.key for c in reply.citations] == [f"S{i + 1}" for i in range(len(reply.citations))]
    assert all(reply.hits[c.rank - 1].chunk_id == c.chunk_id for c in reply.citations)
    assert all(isinstance(w.code, str) for w in reply.warnings)

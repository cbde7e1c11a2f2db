"""ragas 0.4.3 scores: string-based metrics always, LLM-judged ones through a backend profile."""

from __future__ import annotations

import asyncio
import importlib.util
import math
import os
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from app.errors import ConfigError

if TYPE_CHECKING:
    from app.config import Settings
    from index.embedder import Embedder

# Record score keys: ragas metric name → our name.
NON_LLM = {
    "non_llm_context_recall": "ragas_context_recall",
    "non_llm_context_precision_with_reference": "ragas_context_precision",
    "non_llm_string_similarity": "ragas_string_similarity",
    "rouge_score": "ragas_rouge_l",
}
JUDGED = ("judge_faithfulness", "judge_response_relevancy", "judge_context_precision")
JUDGE_SYSTEM = "You are a careful evaluator. Reply only with the JSON object requested."


def prepare_environment() -> None:
    """Keep ragas offline: no analytics, tiktoken files from llama-index's bundled cache."""
    os.environ.setdefault("RAGAS_DO_NOT_TRACK", "true")  # the value 1 does not work
    spec = importlib.util.find_spec("llama_index.core")
    if spec and spec.submodule_search_locations:
        base = next(iter(spec.submodule_search_locations))
        os.environ.setdefault("TIKTOKEN_CACHE_DIR", os.path.join(base, "_static", "tiktoken_cache"))


def _clamp(value: Any) -> float | None:
    """A score in [0, 1] rounded to 4 places, or None for NaN/missing."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    if math.isnan(v):
        return None
    return round(min(1.0, max(0.0, v)), 4)


def _non_llm_metrics() -> list[Any]:
    """The four string-based ragas metrics (imported lazily: ragas takes seconds to import)."""
    prepare_environment()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the classic metric names are deprecated aliases
        from ragas.metrics import (
            NonLLMContextPrecisionWithReference,
            NonLLMContextRecall,
            NonLLMStringSimilarity,
            RougeScore,
        )
    return [
        NonLLMContextRecall(),
        NonLLMContextPrecisionWithReference(),
        NonLLMStringSimilarity(),
        RougeScore(rouge_type="rougeL", mode="fmeasure"),
    ]


async def _score_non_llm(
    metrics: Sequence[Any],
    question: str,
    answer: str,
    reference: str,
    retrieved: Sequence[str],
    reference_contexts: Sequence[str],
    relevant_contexts: Sequence[str] = (),
) -> dict[str, float]:
    """Score one sample with the string-based metrics.

    Context recall asks whether the fewest gold passages holding the must-include terms were
    retrieved; context precision whether each retrieved passage is one of the (wider) set of
    gold-source passages holding any term. Both match passages by string similarity.
    """
    from ragas import SingleTurnSample

    def sample(contexts: Sequence[str]) -> Any:
        return SingleTurnSample(
            user_input=question,
            response=answer,
            reference=reference,
            retrieved_contexts=list(retrieved),
            reference_contexts=list(contexts),
        )

    samples = {
        "non_llm_context_recall": sample(reference_contexts),
        "non_llm_context_precision_with_reference": sample(relevant_contexts or reference_contexts),
    }
    plain = sample(reference_contexts)
    out: dict[str, float] = {}
    for metric in metrics:
        one = samples.get(metric.name, plain)
        if metric.name in samples and not (retrieved and one.reference_contexts):
            continue
        value = _clamp(await metric.single_turn_ascore(one))
        if value is not None:
            out[NON_LLM[metric.name]] = value
    return out


def non_llm_scores(
    question: str,
    answer: str,
    reference: str,
    retrieved: Sequence[str],
    reference_contexts: Sequence[str],
    relevant_contexts: Sequence[str] = (),
) -> dict[str, float]:
    """Context recall/precision against gold passages, answer string similarity and ROUGE-L."""
    metrics = _non_llm_metrics()
    return asyncio.run(
        _score_non_llm(
            metrics, question, answer, reference, retrieved, reference_contexts, relevant_contexts
        )
    )


def add_non_llm_scores(records: Sequence[dict[str, Any]]) -> None:
    """Add the string-based ragas scores to every answerable record's scores."""
    metrics = _non_llm_metrics()
    todo = [r for r in records if r["kind"] != "unanswerable"]

    async def run_all() -> None:
        for r in todo:
            r["scores"].update(
                await _score_non_llm(
                    metrics,
                    r["question"],
                    r["answer"],
                    r["reference_answer"],
                    [h["text"] for h in r["hits"]],
                    r["reference_contexts"],
                    r.get("relevant_contexts", []),
                )
            )

    asyncio.run(run_all())


def make_ragas_embeddings(embedder: Embedder) -> Any:
    """Our packaged MiniLM embedder behind ragas' modern embedding interface."""
    prepare_environment()
    from ragas.embeddings.base import BaseRagasEmbedding

    class PilotdeskEmbeddings(BaseRagasEmbedding):
        """Wraps index.embedder.Embedder; nothing is downloaded."""

        def embed_text(self, text: str, **kwargs: Any) -> list[float]:
            """Embed one text."""
            return [float(x) for x in embedder.encode([text])[0]]

        async def aembed_text(self, text: str, **kwargs: Any) -> list[float]:
            """Embed one text (runs in a thread: the model is CPU-bound)."""
            return await asyncio.to_thread(self.embed_text, text)

        def embed_texts(self, texts: list[str], **kwargs: Any) -> list[list[float]]:
            """Embed many texts in one batch."""
            return [[float(x) for x in row] for row in embedder.encode(list(texts))]

    return PilotdeskEmbeddings()


def judge_llm(settings: Settings, name: str) -> Any:
    """A ragas LLM on the named OpenAI-compatible backend profile."""
    profile = settings.profile(name)
    if profile.offline or not profile.base_url:
        raise ConfigError(
            f"--judge {name}: the judge needs an OpenAI-compatible profile with a base_url "
            "(e.g. local, vllm, openai), not the extractive backend"
        )
    prepare_environment()
    from openai import AsyncOpenAI
    from ragas.llms import llm_factory

    key = settings.api_key(profile)
    if profile.api_key_env and key is None:
        raise ConfigError(f"--judge {name}: export {profile.api_key_env} with the API key")
    client = AsyncOpenAI(
        base_url=profile.base_url,
        api_key=key.get_secret_value() if key else "not-needed",
        timeout=profile.timeout_s,
        max_retries=profile.max_retries,
    )
    return llm_factory(
        profile.model or name,
        client=client,
        system_prompt=JUDGE_SYSTEM,
        max_tokens=max(profile.max_tokens, 512),
    )


def judge_metrics(llm: Any, embeddings: Any) -> dict[str, Any]:
    """Faithfulness, response relevancy and context precision (ragas collections API)."""
    from ragas.metrics.collections import AnswerRelevancy, ContextPrecision, Faithfulness

    return {
        "judge_faithfulness": Faithfulness(llm=llm),
        "judge_response_relevancy": AnswerRelevancy(llm=llm, embeddings=embeddings, strictness=1),
        "judge_context_precision": ContextPrecision(llm=llm),
    }


def _unreachable(exc: BaseException) -> bool:
    """True when a judge call failed on the way to the server (connection, HTTP status)."""
    from openai import APIError

    seen: BaseException | None = exc
    while seen is not None:  # instructor wraps the client's error; look down the chain
        if isinstance(seen, APIError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


async def _judge_one(
    metrics: dict[str, Any], r: dict[str, Any]
) -> tuple[dict[str, float], int, int]:
    """Judge one record: its scores, failed metric calls, and how many never got a reply."""
    contexts = [h["text"] for h in r["hits"]]
    args = {
        "judge_faithfulness": {
            "user_input": r["question"],
            "response": r["answer"],
            "retrieved_contexts": contexts,
        },
        "judge_response_relevancy": {"user_input": r["question"], "response": r["answer"]},
        "judge_context_precision": {
            "user_input": r["question"],
            "reference": r["reference_answer"],
            "retrieved_contexts": contexts,
        },
    }
    out: dict[str, float] = {}
    failed = unreachable = 0
    for name, metric in metrics.items():
        try:
            result = await metric.ascore(**args[name])
        except Exception as exc:  # a small judge often returns unparsable JSON; count it, go on
            failed += 1
            unreachable += _unreachable(exc)
            continue
        value = _clamp(getattr(result, "value", result))
        if value is None:
            failed += 1
        else:
            out[name] = value
    return out, failed, unreachable


def add_judge_scores(
    records: Sequence[dict[str, Any]], settings: Settings, judge: str, embedder: Embedder
) -> dict[str, int]:
    """LLM-judged scores for answered, answerable records; returns judged and failed counts.

    `failed_calls` counts every metric call without a score; `unreachable_calls` the part of
    them that never got an answer from the server (the rest were unparsable replies).
    """
    import logging

    llm = judge_llm(settings, judge)
    metrics = judge_metrics(llm, make_ragas_embeddings(embedder))
    # instructor logs every unparsable reply at ERROR; failures are counted in the report.
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    todo = [r for r in records if r["kind"] != "unanswerable" and not r["abstained"] and r["hits"]]

    async def run_all() -> dict[str, int]:
        judged = failed = unreachable = 0
        for r in todo:
            scores, bad, lost = await _judge_one(metrics, r)
            r["scores"].update(scores)
            r["judge_failures"] = bad
            judged += 1
            failed += bad
            unreachable += lost
        return {"judged": judged, "failed_calls": failed, "unreachable_calls": unreachable}

    return asyncio.run(run_all())

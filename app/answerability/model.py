"""The stored answerability model: logistic regression coefficients scored with numpy."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from app.answerability.features import FEATURES
from app.errors import ConfigError

MODEL_PATH = Path(__file__).with_name("model.json")


@dataclass(frozen=True)
class AnswerabilityModel:
    """Standardise, weight, add, squash: p(the documents answer the question)."""

    version: str
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float
    # Parts of a multi-part question use their own cut: naming a part as uncovered while the
    # rest is answered costs less than refusing a whole question, so it may be stricter.
    part_threshold: float | None = None
    # The learned reader's file beside this one, when "reader" is a feature (reader.py).
    reader: str | None = None

    @property
    def part_cut(self) -> float:
        """The threshold for one part of a multi-part question."""
        return self.threshold if self.part_threshold is None else self.part_threshold

    def contributions(self, x: dict[str, float]) -> dict[str, float]:
        """Each feature's additive share of the log-odds."""
        return {
            f: c * ((x[f] - m) / s)
            for f, m, s, c in zip(self.features, self.mean, self.scale, self.coef, strict=True)
        }

    def probability(self, x: dict[str, float]) -> float:
        """The calibrated probability that the question is answerable."""
        z = self.intercept + sum(self.contributions(x).values())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def reasons(self, x: dict[str, float], n: int = 2) -> list[str]:
        """Plain-words reasons: the features that pulled the score down most."""
        low = sorted(self.contributions(x).items(), key=lambda kv: kv[1])
        return [FEATURES[f] for f, v in low[:n] if v < 0]

    def to_json(self) -> dict[str, object]:
        """The stored form."""
        return {
            "version": self.version,
            "features": list(self.features),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": list(self.coef),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "part_threshold": self.part_cut,
            "reader": self.reader,
        }


def parse_model(data: dict[str, object], where: str) -> AnswerabilityModel:
    """Validate a stored model against the features this code computes."""
    try:
        feats = tuple(str(f) for f in data["features"])  # type: ignore[attr-defined]
        m = AnswerabilityModel(
            version=str(data["version"]),
            features=feats,
            mean=tuple(float(v) for v in data["mean"]),  # type: ignore[attr-defined]
            scale=tuple(float(v) for v in data["scale"]),  # type: ignore[attr-defined]
            coef=tuple(float(v) for v in data["coef"]),  # type: ignore[attr-defined]
            intercept=float(data["intercept"]),  # type: ignore[arg-type]
            threshold=float(data["threshold"]),  # type: ignore[arg-type]
            part_threshold=(
                float(data["part_threshold"])  # type: ignore[arg-type]
                if data.get("part_threshold") is not None
                else None
            ),
            reader=str(data["reader"]) if data.get("reader") else None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(
            f"answerability model {where} is malformed ({exc}); run: pilotdesk eval calibrate"
        ) from exc
    unknown = set(feats) - set(FEATURES)
    if unknown or not (len(feats) == len(m.mean) == len(m.scale) == len(m.coef)):
        raise ConfigError(
            f"answerability model {where} does not match this version's features "
            f"({', '.join(sorted(unknown)) or 'lengths differ'}); run: pilotdesk eval calibrate"
        )
    if "reader" in feats and m.reader is None:
        raise ConfigError(
            f"answerability model {where} uses the reader but names no reader file; "
            "run: pilotdesk eval calibrate"
        )
    return m


@lru_cache(maxsize=4)
def load_model(path: Path = MODEL_PATH) -> AnswerabilityModel:
    """Read the stored model once per process."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"cannot read the answerability model {path} ({exc}); run: pilotdesk eval calibrate"
        ) from exc
    return parse_model(data, str(path))

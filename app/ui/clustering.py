"""Greedy grouping of similar questions for the staff view's Gaps."""

from __future__ import annotations

from typing import Any


def group_similar(vectors: Any, threshold: float) -> list[list[int]]:
    """Group unit vectors: each joins the most similar group centroid at or above `threshold`.

    Returns lists of row indices, largest group first (ties keep first-seen order).
    """
    import numpy as np

    vecs = np.asarray(vectors, dtype="float32")
    groups: list[list[int]] = []
    sums: list[Any] = []
    for i, v in enumerate(vecs):
        if sums:
            centroids = np.vstack(sums)
            norms = np.linalg.norm(centroids, axis=1)
            norms[norms == 0] = 1.0
            sims = (centroids @ v) / norms
            best = int(np.argmax(sims))
            if float(sims[best]) >= threshold:
                groups[best].append(i)
                sums[best] = sums[best] + v
                continue
        groups.append([i])
        sums.append(v.copy())
    return sorted(groups, key=len, reverse=True)

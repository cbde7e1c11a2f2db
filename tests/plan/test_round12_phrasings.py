"""Phrasing families left open by round 11's held-out splits, written here in our own words:
a throughput over a dataset for N epochs, and frames per second over hours of video."""

from __future__ import annotations

from app.plan.parse import parse_workload


def _hours(text: str) -> float:
    w = parse_workload(text)
    assert w.hours_per_run is not None, w
    return w.hours_per_run * (w.runs or 1)


def test_a_throughput_over_a_dataset_for_several_epochs() -> None:
    # 1.3M images × 90 epochs ÷ 1,100 images/s = 29.55 h; one epoch alone would be 0.33 h
    w = parse_workload(
        "Train a ResNet-50 on 1.3M images for 90 epochs; one GPU does roughly 1,100 images/s."
    )
    assert w.epochs == 90
    assert abs(_hours("Train a ResNet-50 on 1.3M images for 90 epochs; one GPU does roughly "
                      "1,100 images/s.") - 1.3e6 * 90 / 1100 / 3600) < 1e-3  # fmt: skip
    # a time per epoch is still read as before: the epochs multiply that time, once
    assert (
        abs(_hours("One epoch takes 2 hours on a single GPU and we train 10 epochs.") - 20) < 1e-6
    )
    # no epochs: the throughput covers the data once
    once = _hours("Embed 3.6 million abstracts at about 2,000 abstracts per second on one GPU.")
    assert abs(once - 3.6e6 / 2000 / 3600) < 1e-6


def test_frames_per_second_over_hours_of_video() -> None:
    # 1,200 h × 3,600 s × 30 frames = 129.6M frames at 240 frames/s = 150 h
    assert (
        abs(
            _hours(
                "We need to run our detector over 1,200 hours of drone video recorded at 30 fps. "
                "On one A100 the model processes about 240 frames per second."
            )
            - 150
        )
        < 1e-6
    )
    # the footage said another way, and a count of model variants that repeats the whole pass
    three = _hours(
        "Pose estimation over 300 hours of lab recordings (25 fps); the model does 150 frames/s "
        "on a single GPU, 3 model variants."
    )
    assert abs(three - 150) < 1e-6  # 50 h a variant

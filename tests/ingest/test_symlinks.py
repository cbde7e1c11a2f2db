"""Ingest never follows a symlink out of the folder it was given (issue 17, high)."""

from __future__ import annotations

from pathlib import Path

from ingest.pipeline import plan_ingest
from tests.helpers import ingest_config


def test_symlink_to_a_file_outside_the_root_is_skipped(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "passwd"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\nsecretuser:x:1000:1000::/home/s:/bin/sh\n")
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / "notes.txt").write_text("Office hours are on Tuesdays for applicants.\n")
    (docs / "passwd.txt").symlink_to(secret)
    (docs / "sub" / "linked").symlink_to(secret.parent, target_is_directory=True)
    (docs / "inside.txt").symlink_to(docs / "notes.txt")  # a link that stays inside is fine

    plan = plan_ingest([str(docs)], {}, ingest_config())

    reasons = {Path(s.source).name: s.reason for s in plan.skipped}
    assert reasons["passwd.txt"] == "symlink outside the ingest root"
    texts = " ".join(c.text for d in plan.loaded for c in d.chunks)
    assert "secretuser" not in texts and "root:x" not in texts
    assert "Tuesdays" in texts
    assert {Path(d.doc.source).name for d in plan.loaded} <= {"notes.txt", "inside.txt"}

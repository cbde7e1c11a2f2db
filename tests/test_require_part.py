"""require_part: a missing real part skips locally and fails (with its log) under CI."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import require_part


def test_a_missing_part_skips_or_fails_with_its_log(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    log.write_text("starting\nerror: model file not found\n")
    with pytest.raises(pytest.skip.Exception, match=r"llama\.cpp server: exited with 1"):
        require_part("llama.cpp server", "exited with 1", log, require_all=False)
    with pytest.raises(pytest.fail.Exception) as failed:
        require_part("llama.cpp server", "exited with 1", log, require_all=True)
    assert "error: model file not found" in str(failed.value)
    assert "PILOTDESK_REQUIRE_ALL=1" in str(failed.value)

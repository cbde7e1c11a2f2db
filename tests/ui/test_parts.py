"""The UI's parts on their own: escaping, uploads, sign-in throttling, gap grouping, ingest."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from app.config import Settings
from app.ingest_service import ingest, remove_documents
from app.store import open_store
from app.types import Answer, Citation
from app.ui.clustering import group_similar
from app.ui.markdown_safe import csv_cell, draft_reply, escape_md, link, safe_url
from app.ui.staff_auth import (
    Attempt,
    Throttle,
    attempts_left_text,
    issue_token,
    password_matches,
    token_expiry,
)
from app.ui.uploads import UploadRefused, check_name, is_upload, save_upload
from index.embedder import Embedder
from index.store import read_manifest


@pytest.mark.parametrize(
    "text",
    [
        "<img src=x onerror=alert(1)>",
        ":red[alert] $x^2$ **bold** [link](javascript:alert(1)) `code` # heading",
        "&lt;script&gt; \\[S1\\] 1. item",
    ],
)
def test_escape_md_leaves_no_markup(text: str) -> None:
    out = escape_md(text)
    unescaped = out.replace("\\\\", "")
    for ch in "<>[]()*`#:$&":
        # every markup character is preceded by a backslash
        assert all(unescaped[i - 1] == "\\" for i, c in enumerate(unescaped) if c == ch), out
    assert escape_md("line one\nline two") == "line one  \nline two"


def test_links_only_for_http_urls() -> None:
    assert safe_url("javascript:alert(1)") is None
    assert safe_url("data:text/html,<b>x</b>") is None
    assert safe_url("https://ex.org/a b(c)") == "https://ex.org/a%20b%28c%29"
    assert link("Title [x]", "javascript:alert(1)") == "Title \\[x\\]"
    assert link("T", "https://nairrpilot.org/x") == "[T](https://nairrpilot.org/x)"
    assert csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and csv_cell("plain") == "plain"


def test_draft_reply_is_markdown_with_sources() -> None:
    c = Citation("S1", "c1", "Eligibility FAQ", "data/faq.md", "https://x.org/faq", "§ Who", "…")
    a = Answer("q", "Yes. [S1]", (c,), (), False, "extractive")
    assert draft_reply(a) == (
        "Yes. [S1]\n\nSources:\n- [S1] [Eligibility FAQ](https://x.org/faq) (§ Who)\n"
    )


@pytest.mark.parametrize(
    "name",
    ["../x.md", "a/b.md", "a\\b.md", "..", ".env.md", "x..md", "", "nul\x00.md", "x.exe", "x"],
)
def test_unsafe_or_unsupported_names_are_refused(name: str) -> None:
    with pytest.raises(UploadRefused):
        check_name(name)


def test_upload_names_are_sanitised_and_limits_apply(tmp_path: Path) -> None:
    assert check_name("Résumé notes (v2).PDF") == "R_sum_notes_v2.pdf"
    folder = tmp_path / "uploads"
    saved = save_upload(folder, "notes.md", b"# Notes\n", max_bytes=100)
    assert saved == folder / "notes.md" and saved.read_bytes() == b"# Notes\n"
    assert is_upload(str(saved), folder) and not is_upload("data/faq.md", folder)
    with pytest.raises(UploadRefused, match="limit"):
        save_upload(folder, "big.md", b"x" * 101, max_bytes=100)
    with pytest.raises(UploadRefused, match="empty"):
        save_upload(folder, "empty.md", b"", max_bytes=100)
    assert sorted(p.name for p in folder.iterdir()) == ["notes.md"]  # no partial files left


def test_sign_in_waits_grow_and_are_counted_in_the_store(tmp_path: Path) -> None:
    secret = SecretStr("s3cret-long-enough")
    assert password_matches("s3cret-long-enough", secret) and not password_matches("s3", secret)
    throttle = Throttle(max_attempts=3, lockout_s=10)
    db = tmp_path / "shared.db"
    one, other = open_store(db), open_store(db)  # two workers sharing one database
    t = 1000.0
    assert [throttle.attempt(one, "10.0.0.1", "x", secret, t) for _ in range(2)] == [
        Attempt.WRONG
    ] * 2
    assert throttle.state(other, "10.0.0.1", t) == (1, 0.0)
    assert throttle.attempt(other, "10.0.0.1", "x", secret, t) is Attempt.WRONG
    assert throttle.state(one, "10.0.0.1", t) == (0, 10.0)
    # Even the right password waits, on any worker; another address is not held up.
    assert throttle.attempt(one, "10.0.0.1", "s3cret-long-enough", secret, t + 5) is Attempt.LOCKED
    assert throttle.attempt(one, "10.0.0.2", "s3cret-long-enough", secret, t + 5) is Attempt.OK
    assert throttle.attempt(other, "10.0.0.1", "x", secret, t + 10) is Attempt.WRONG
    assert throttle.state(one, "10.0.0.1", t + 10)[1] == 20.0  # doubled
    assert throttle.attempt(one, "10.0.0.1", "s3cret-long-enough", secret, t + 30) is Attempt.OK
    assert throttle.state(other, "10.0.0.1", t + 30) == (3, 0.0)  # a right one starts afresh
    assert attempts_left_text(1) == "1 attempt left" and attempts_left_text(2) == "2 attempts left"


def test_session_tokens_are_signed_and_expire() -> None:
    secret = SecretStr("the-staff-password")
    token = issue_token(secret, now=1000.0, lifetime_s=60)
    assert token_expiry(token, secret, 1059.0) == 1060.0
    assert token_expiry(token, secret, 1060.0) is None  # expired
    assert token_expiry(token, SecretStr("another-password"), 1000.0) is None  # new password
    version, expires, nonce, sig = token.split(".")
    forged = ".".join((version, str(int(expires) + 3600), nonce, sig))
    assert token_expiry(forged, secret, 1000.0) is None
    assert token_expiry("", secret, 1000.0) is None and token_expiry("a.b", secret, 1) is None
    assert issue_token(secret, 1000.0, 60) != token  # each sign-in gets its own token


def test_similar_questions_are_grouped(embedder: Embedder) -> None:
    questions = [
        "Can I get GPUs for my startup?",
        "What is the capital of France?",
        "Are GPUs available to startup companies?",
        "Which city is the capital of France?",
        "How do I bake sourdough bread?",
    ]
    groups = group_similar(embedder.encode(questions), threshold=0.75)
    assert sorted(map(sorted, groups)) == [[0, 2], [1, 3], [4]]


def test_add_keeps_documents_and_remove_drops_one(
    sample_settings: Settings, tmp_path: Path, embedder: Embedder
) -> None:
    root = sample_settings.paths.index_dir
    before = read_manifest(root)
    assert before is not None
    note = tmp_path / "note.md"
    note.write_text("# Office hours\n\nOffice hours run every Tuesday at 2 pm Eastern.\n")
    out = ingest(sample_settings, [str(note)], add=True, embedder=embedder)
    assert (out.new, out.changed, len(out.plan.removed)) == (1, 0, 0)
    after = read_manifest(root)
    assert after is not None and set(before.documents) < set(after.documents)
    assert after.inputs == [*before.inputs, str(note)]  # the rebuild hint names both
    (added,) = set(after.documents) - set(before.documents)
    remove_documents(sample_settings, [added], embedder=embedder)
    final = read_manifest(root)
    assert final is not None and set(final.documents) == set(before.documents)
    with pytest.raises(Exception, match="not in the index"):
        remove_documents(sample_settings, ["nope"], embedder=embedder)


def test_upload_metadata_is_kept_in_sources_toml_and_forgotten_with_the_file(
    tmp_path: Path,
) -> None:
    import tomllib

    from app.ui.uploads import MANIFEST, UploadMeta, forget_meta, record_meta

    folder = tmp_path / "uploads"
    record_meta(folder, "a.md", UploadMeta())
    assert not (folder / MANIFEST).exists()  # nothing said, nothing written
    meta = UploadMeta(' Notes "Q1" \\ ', "https://example.org/a", "2025-01-31").checked()
    record_meta(folder, "a.md", meta)
    record_meta(folder, "b.md", UploadMeta(url="https://example.org/b"))
    docs = tomllib.loads((folder / MANIFEST).read_text(encoding="utf-8"))["document"]
    assert docs == [
        {
            "path": "a.md",
            "title": 'Notes "Q1" \\',
            "url": "https://example.org/a",
            "as_of": "2025-01-31",
        },
        {"path": "b.md", "url": "https://example.org/b"},
    ]
    forget_meta(folder, "a.md")
    docs = tomllib.loads((folder / MANIFEST).read_text(encoding="utf-8"))["document"]
    assert [d["path"] for d in docs] == ["b.md"]
    for bad in (UploadMeta(url="ftp://x"), UploadMeta(as_of="31/01/2025")):
        with pytest.raises(UploadRefused):
            bad.checked()

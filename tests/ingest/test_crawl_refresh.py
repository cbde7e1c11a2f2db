"""Crawl a real loopback site, change it, refresh: only the changed page is re-embedded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.answer import Assistant
from app.changes import recent_changes
from app.config import Settings, load_settings
from app.ingest_service import ingest
from app.web_service import crawl_ingest, refresh
from index.embedder import Embedder
from index.store import read_manifest
from ingest.crawl import normalise
from pilotdesk.cli import EXIT_OK, run
from tests.ingest.site import Site, page, serve_site

ABOUT_V1 = page("Heron proposals", "Heron allocation proposals are due on June 3 this year.")
ABOUT_V2 = page("Heron proposals", "Heron allocation proposals are now due on July 9 this year.")


def build_site(site: Site, crawl_delay: bool) -> None:
    """The first version of the site."""
    b = site.base
    robots = f"User-agent: *\nDisallow: /site/private/\nSitemap: {b}/site/extra-sitemap.xml\n"
    site.text("/robots.txt", robots + ("Crawl-delay: 2\n" if crawl_delay else ""))
    site.text(
        "/sitemap.xml",
        f"<urlset><url><loc>{b}/site/only-in-sitemap.html</loc></url>"
        f"<url><loc>{b}/elsewhere/out.html</loc></url></urlset>",
        "application/xml",
    )
    site.text(
        "/site/extra-sitemap.xml", f"<urlset><url><loc>{b}/site/about.html</loc></url></urlset>"
    )
    links = (
        "about.html#team",
        "copy.html",
        "old.html",
        "missing.html",
        "private/secret.html",
        "../elsewhere/out.html",
        "index.html",
    )
    site.html("/site/", page("Pilot site", "Welcome to the program pages for applicants.", links))
    site.html("/site/about.html", ABOUT_V1, "Wed, 01 Oct 2025 10:00:00 GMT")
    site.html("/site/copy.html", ABOUT_V1)
    site.redirect("/site/old.html", "/site/news.html")
    news_head = '<meta name="date" content="2025-09-15">'
    site.html(
        "/site/news.html", page("News", "Office hours move to Thursday mornings.", (), news_head)
    )
    site.html("/site/private/secret.html", page("Secret", "Internal staff rota, not public."))
    osprey = page("Osprey", "The Osprey cluster has 96 GPUs.")
    site.html("/site/only-in-sitemap.html", osprey, etag='"o1"')
    site.html("/elsewhere/out.html", page("Out", "Another program's page."))
    site.html("/single.html", page("Single", "Tutorial office hours are on Fridays."), etag='"s1"')


def settings_for(tmp_path: Path) -> Settings:
    """Settings that may fetch from loopback, without a politeness delay, via pilotdesk.toml."""
    (tmp_path / "pilotdesk.toml").write_text(
        '[ingest]\nallow_private_hosts = ["127.0.0.1"]\ncrawl_delay_s = 0\n'
    )
    settings = load_settings()
    settings.paths.index_dir = tmp_path / "index"
    return settings


def test_crawl_then_refresh_finds_exactly_the_changed_page(
    tmp_path: Path, embedder: Embedder, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = settings_for(tmp_path)
    root = settings.paths.index_dir
    with serve_site(Site()) as site:
        b = site.base
        build_site(site, crawl_delay=True)
        slept: list[float] = []
        out = crawl_ingest(settings, f"{b}/site/index.html", embedder=embedder, sleep=slept.append)

        urls = {p.url for p in out.crawl.pages}
        assert urls == {
            f"{b}/site/",
            f"{b}/site/about.html",
            f"{b}/site/news.html",  # through the redirect
            f"{b}/site/only-in-sitemap.html",  # listed only in the sitemap
        }
        assert out.crawl.disallowed == [f"{b}/site/private/secret.html"]
        asked = [path for path, _ in site.requests]
        assert not any(p.startswith(("/site/private/", "/elsewhere/")) for p in asked)
        reasons = {s.source: s.reason for s in out.plan.skipped}
        assert reasons[f"{b}/site/missing.html"].startswith("HTTP 404")
        assert reasons[f"{b}/site/copy.html"].startswith("duplicate of")
        assert slept and set(slept) == {2.0}  # robots.txt Crawl-delay beats the setting (0)
        assert all(h["User-Agent"].startswith("pilotdesk/") for _, h in site.requests)
        manifest = read_manifest(root)
        assert manifest is not None
        dates = {d.url: d.as_of for d in manifest.documents.values()}
        assert dates[f"{b}/site/about.html"] == "2025-10-01"  # Last-Modified
        assert dates[f"{b}/site/news.html"] == "2025-09-15"  # the page's date metadata

        ingest(settings, [f"{b}/single.html"], add=True, embedder=embedder)
        build_site(site, crawl_delay=False)
        site.html("/site/about.html", ABOUT_V2, "Thu, 20 Nov 2025 09:00:00 GMT")
        site.html("/site/copy.html", ABOUT_V2)  # the mirror follows, and stays a duplicate
        site.requests.clear()
        assert run(["refresh", "--json"]) == EXIT_OK
        report = json.loads(capsys.readouterr().out)
        assert report["changed"] == [
            {
                "url": f"{b}/site/about.html",
                "title": "Heron proposals",
                "old_as_of": "2025-10-01",
                "new_as_of": "2025-11-20",
            }
        ]
        assert report["added"] == [] and report["removed"] == [] and report["failed"] == []
        assert report["checked"] == 5 and report["unchanged"] == 4
        osprey_asked = [h for p, h in site.requests if p == "/site/only-in-sitemap.html"]
        assert osprey_asked[0].get("If-None-Match") == '"o1"'  # answered 304: kept as it was
        single = [h for p, h in site.requests if p == "/single.html"]
        assert single[0].get("If-None-Match") == '"s1"'  # recorded by the plain ingest

        answer = Assistant(settings, embedder).ask("When are Heron allocation proposals due?")
        assert "July 9" in answer.text and "June 3" not in answer.text
        (last,) = recent_changes(root, limit=1)
        assert "-Heron allocation proposals are due on June 3" in last.changed[0].diff
        assert "+Heron allocation proposals are now due on July 9" in last.changed[0].diff

        # A page appears, one disappears; the single URL is asked conditionally (304).
        site.routes.pop("/site/only-in-sitemap.html")
        site.text("/sitemap.xml", "<urlset></urlset>", "application/xml")
        links = ("about.html", "old.html", "fresh.html")
        site.html("/site/", page("Pilot site", "Welcome to the program pages.", links))
        site.html("/site/fresh.html", page("Fresh", "Kestrel proposals open in spring."))
        site.requests.clear()
        record = refresh(settings, embedder=embedder)
        assert record.added == [f"{b}/site/fresh.html"]
        assert record.removed == [f"{b}/site/only-in-sitemap.html"]
        assert [c.url for c in record.changed] == [f"{b}/site/"]
        single = [h for p, h in site.requests if p == "/single.html"]
        assert single and single[0].get("If-None-Match") == '"s1"'
        assert record.failed == []

    # Mirroring a folder drops URLs not named again, but not the crawled site.
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "hours.md").write_text("# Hours\n\nThe help desk answers within two days.\n")
    mirrored = ingest(settings, [str(docs)], embedder=embedder)
    assert mirrored.plan.removed and f"{b}/single.html" not in _urls(root)
    assert f"{b}/site/about.html" in _urls(root)


def _urls(root: Path) -> set[str]:
    """URLs of the documents in the current index version."""
    manifest = read_manifest(root)
    assert manifest is not None
    return {d.url for d in manifest.documents.values()}


def test_refresh_keeps_a_page_that_fails(tmp_path: Path, embedder: Embedder) -> None:
    settings = settings_for(tmp_path)
    with serve_site(Site()) as site:
        site.html("/p.html", page("Hours", "Office hours are on Mondays for applicants."))
        ingest(settings, [f"{site.base}/p.html"], embedder=embedder)
        site.routes["/p.html"] = (500, {}, b"oops")
        record = refresh(settings, embedder=embedder)
        assert record.failed == [
            {"url": f"{site.base}/p.html", "reason": f"HTTP 500 from {site.base}/p.html"}
        ]
        assert record.version is None and record.changed == [] and record.unchanged == 0
        site.html("/p.html", page("Hours", "Office hours are on Wednesdays for applicants."))
        again = refresh(settings, embedder=embedder)  # tried again, and now it lands
        assert [c.url for c in again.changed] == [f"{site.base}/p.html"]


def test_normalise_gives_one_spelling_per_page() -> None:
    assert normalise("HTTP://Example.org:80/a//b/index.html#x") == "http://example.org/a/b/"
    assert normalise("https://example.org:443/?b=2&a=1") == "https://example.org/?a=1&b=2"
    assert normalise("http://[::1]:80/x") == "http://[::1]/x"
    assert normalise("https://[::1]:80/x") == "https://[::1]:80/x"


def test_an_unreachable_robots_txt_means_nothing_is_crawled() -> None:
    from ingest.crawl import CrawlLimits, crawl
    from ingest.loaders.url import FetchPolicy

    with serve_site(Site()) as site:
        site.routes["/robots.txt"] = (503, {}, b"down")
        site.html("/", page("Home", "A page that must wait for robots.txt."))
        policy = FetchPolicy(timeout_s=2, allow_private=("127.0.0.1",))
        result = crawl(f"{site.base}/", CrawlLimits(delay_s=0), policy)
        assert result.pages == [] and [p for p, _ in site.requests] == ["/robots.txt"]
        assert "robots.txt unavailable" in result.skipped[0].reason


def test_crawl_command_stops_at_the_page_limit_and_summarises(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings_for(tmp_path)
    with serve_site(Site()) as site:
        links = tuple(f"p{i}.html" for i in range(5))
        site.html("/docs/", page("Docs", "Start here to learn about allocations.", links))
        for i in range(5):
            site.html(f"/docs/p{i}.html", page(f"Part {i}", f"Part {i} covers topic number {i}."))
        code = run(["ingest", "--crawl", f"{site.base}/docs/", "--max-pages", "3", "--quiet"])
        out = capsys.readouterr().out
        assert code == EXIT_OK
        assert "3 pages fetched" in out and "stopped at the page limit (3)" in out
        assert "3 new" in out
        assert len([p for p, _ in site.requests if p.startswith("/docs/p")]) == 2

        assert run(["ingest", "--crawl", site.base, "notes.md"]) == 2  # one thing at a time
        assert run(["ingest"]) == 2


def test_crawl_obeys_the_ssrf_rules() -> None:
    from ingest.crawl import CrawlLimits, crawl
    from ingest.loaders.url import FetchPolicy

    with serve_site(Site()) as site:
        site.html("/", page("Home", "A page on a loopback address."))
        result = crawl(f"{site.base}/", CrawlLimits(delay_s=0), FetchPolicy(timeout_s=2))
        assert result.pages == [] and site.requests == []
        assert "refused to fetch 127.0.0.1" in result.skipped[0].reason


def test_canonical_urls_and_the_byte_and_time_limits() -> None:
    from ingest.crawl import CrawlLimits, crawl
    from ingest.loaders.url import FetchPolicy

    policy = FetchPolicy(timeout_s=2, allow_private=("127.0.0.1",))
    with serve_site(Site()) as site:
        b = site.base
        site.html("/", page("Home", "Links to the guide.", ("guide.html?utm=mail", "print.html")))
        canon = f'<link rel="canonical" href="{b}/guide.html">'
        site.html("/guide.html?utm=mail", page("Guide", "How to apply, step by step.", (), canon))
        site.html("/print.html", page("Guide (print)", "How to apply, printable.", (), canon))

        result = crawl(f"{b}/", CrawlLimits(delay_s=0), policy)
        assert [p.url for p in result.pages] == [f"{b}/", f"{b}/guide.html"]
        reasons = {s.source: s.reason for s in result.skipped}
        assert reasons[f"{b}/print.html"] == f"duplicate of {b}/guide.html (canonical URL)"

        tiny = crawl(f"{b}/", CrawlLimits(delay_s=0, max_bytes=10), policy)
        assert len(tiny.pages) == 1 and tiny.stopped == "byte limit (10)"
        none = crawl(f"{b}/", CrawlLimits(delay_s=0, max_seconds=0), policy)
        assert none.pages == [] and none.stopped == "time limit (0 s)"


def test_a_site_that_cannot_be_crawled_is_reported_and_kept(
    tmp_path: Path, embedder: Embedder
) -> None:
    settings = settings_for(tmp_path)
    with serve_site(Site()) as site:
        site.html("/", page("Home", "Allocations are announced each quarter.", ("a.html",)))
        site.html("/a.html", page("A", "Award letters arrive by email."))
        crawl_ingest(settings, f"{site.base}/", embedder=embedder, sleep=lambda _s: None)
        site.routes["/robots.txt"] = (503, {}, b"down")
        record = refresh(settings, embedder=embedder, sleep=lambda _s: None)
        assert [f["url"] for f in record.failed] == [f"{site.base}/"]
        assert "robots.txt unavailable" in record.failed[0]["reason"]
        assert record.removed == [] and record.version is None
        assert f"{site.base}/a.html" in _urls(settings.paths.index_dir)

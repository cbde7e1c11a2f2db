"""Browser fixtures: a host site on one loopback port, `pilotdesk serve` on another, Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.api.server import LiveSite, live_site
from tests.conftest import require_chromium
from tests.helpers import CHROMIUM, CHROMIUM_ARGS, reply

# A host page that tries hard to restyle everything, including the widget.
HOSTILE_CSS = """
* { color: red !important; font-size: 40px !important; font-family: serif !important; }
button { display: none !important; }
div, p, ol, li { padding: 0 !important; margin: 0 !important; }
"""

HOSTILE_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Host</title>
<style>{css}</style></head><body>
<h1>Program site</h1>
<p class="pd-text" id="probe-text">Host paragraph using a widget class name.</p>
<div class="pd-msg pd-user" id="probe-msg">Host div using widget class names.</div>
<script src="{api}/widget.js" data-pilotdesk-url="{api}" defer></script>
</body></html>"""

DEMO_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>NAIRR Pilot program site</title>
<style>body {{ font: 17px/1.6 Georgia, serif; margin: 0; color: #222; }}
header {{ background: #13294b; color: #fff; padding: 24px 32px; }}
main {{ padding: 24px 32px; max-width: 46rem; }}</style>
</head><body><header><h1>NAIRR Pilot</h1><p>Resources for AI research and education</p></header>
<main><h2>Apply for resources</h2><p>Researchers and educators at US institutions can request
compute, data and software resources. Questions? Use the assistant in the corner.</p></main>
<script src="{api}/widget.js" data-pilotdesk-url="{api}" defer></script>
</body></html>"""

# The same site with its own office-hours page, set on the script tag.
OFFICE_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Office</title></head>
<body><h1>Help</h1>
<script src="{api}/widget.js" data-pilotdesk-url="{api}"
 data-office-hours="https://example.org/office-hours" defer></script>
</body></html>"""

INLINE_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Inline</title></head><body>
<h1>Help</h1><div id="chat-here" style="max-width: 480px"></div>
<script src="{api}/widget.js" data-pilotdesk-url="{api}" data-mode="inline" data-target="#chat-here"
 data-title="Ask NAIRR" data-accent="#7a1f5c" data-position="left" defer></script>
</body></html>"""


@pytest.fixture(scope="session")
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sample_index: Path
) -> LiveSite:
    """Host pages on one loopback port, the widget and API on another (a real cross-origin)."""
    require_chromium()
    live = live_site(request, tmp_path_factory, sample_index)
    for path, page in (
        ("/", HOSTILE_PAGE),
        ("/demo", DEMO_PAGE),
        ("/inline", INLINE_PAGE),
        ("/office", OFFICE_PAGE),
    ):
        html = page.format(api=live.api.url, css=HOSTILE_CSS).encode()
        live.routes[path] = reply(html, "text/html; charset=utf-8")
    # Browsers ask for it; a 404 would show up as a console error the tests look for.
    live.routes["/favicon.ico"] = reply(b"", "image/x-icon")
    return live


@pytest.fixture(scope="module")
def browser(site: LiveSite) -> Iterator[Any]:
    """Debian's Chromium, headless, driven by Playwright (its own browser download fails here)."""
    from playwright import sync_api

    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()

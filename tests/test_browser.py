"""The site in a real headless browser (Debian's chromium over the DevTools protocol, with no
network but loopback): the UK-Japan implementing arrangement's page shows its signatories and a
quote, from the file system and from a local HTTP server, on a desktop and a phone, and loads
nothing from outside the site. Screenshots go to tests/artifacts/ (gitignored).

When chromium is missing the tests are skipped, except under CI (``CI`` set), where it is
installed with apt-get first.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

from browser import Browser, executable
from kg.site.pages import write_site

ARTIFACTS = Path(__file__).parent / "artifacts"
PAGE = "entity/uk-japan-science-and-technology-implementing-arrangement-2023.html"
QUOTE = "The new Implementing Arrangement was signed"
SIGNATORIES = ("George Freeman", "Nakatani Shinichi")


def _chromium() -> str | None:
    if executable() is None and os.environ.get("CI"):
        # under CI a missing browser is installed, and a failed install fails the run
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update"], check=True, capture_output=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "chromium"], check=True, capture_output=True,
                       env=env)
        assert executable(), "apt-get installed chromium but it is not on PATH"
    return executable()


pytestmark = pytest.mark.skipif(
    _chromium() is None,
    reason="chromium is not installed (apt-get install -y chromium; CI installs it itself)")


@pytest.fixture(scope="module")
def site(tmp_path_factory, built: Path) -> Path:
    root = tmp_path_factory.mktemp("browser")
    write_site(built, root / "site")
    return root / "site"


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


VISIBLE = """(() => {
  const seen = (el) => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
      && parseFloat(s.opacity) > 0; };
  const cells = [...document.querySelectorAll('td, mark, svg text')];
  const find = (text) => cells.filter((el) => el.textContent.includes(text) && seen(el)).length;
  return {
    text: document.body.innerText,
    names: %s.map(find),
    quote: [...document.querySelectorAll('mark')].filter(
      (m) => m.textContent === %s && seen(m)).length,
    diagram: [...document.querySelectorAll('svg[role=img]')].filter(seen).length,
    h1: document.querySelector('h1').innerText,
    header: getComputedStyle(document.querySelector('header.site')).backgroundColor,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
  };
})()"""


def check_page(browser: Browser, url: str) -> dict:
    browser.goto(url)
    state = browser.evaluate(VISIBLE % (json.dumps(SIGNATORIES), json.dumps(QUOTE)))
    for name in SIGNATORIES:
        assert name in state["text"]
    assert all(n >= 2 for n in state["names"]), state["names"]  # in the table and the diagram
    assert state["quote"] == 1
    assert state["diagram"] == 1
    assert state["h1"].startswith("UK–Japan Science and Technology Implementing Arrangement")
    assert state["header"] == "rgb(30, 41, 59)", "style.css did not load"
    return state


def test_entity_page_from_the_file_system(site):
    with Browser(width=1280, height=900) as browser:
        check_page(browser, (site / PAGE).as_uri())
        browser.screenshot(ARTIFACTS / "entity-page.png")
        outside = [u for u in browser.requested() if not u.startswith(site.as_uri())]
        assert outside == []
        browser.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Tab", "code": "Tab",
                                                "windowsVirtualKeyCode": 9}, session=True)
        assert browser.evaluate("document.activeElement.className") == "skip"
        assert browser.evaluate(
            "getComputedStyle(document.activeElement).outlineStyle") == "solid"
    assert (ARTIFACTS / "entity-page.png").stat().st_size > 10_000


def test_entity_page_from_a_local_server_on_a_phone(site, server):
    with Browser(width=390, height=844, mobile=True) as browser:
        state = check_page(browser, server + PAGE)
        assert state["overflow"] <= 0, "the page scrolls sideways on a phone"
        browser.screenshot(ARTIFACTS / "entity-page-phone.png", full_page=False)
        assert all(u.startswith(server) for u in browser.requested()), browser.requested()

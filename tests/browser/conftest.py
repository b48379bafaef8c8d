"""Browser tests: the real app on a free local port, driven by Playwright in Debian's Chromium.

The app is the session's `_app` (migrated test database, test Redis); each test still
asks for `app`, which wipes both, so every test starts from an empty workspace. The
browser app must be built (`make frontend`) and Chromium installed (`make browser`);
`make test` does both. Screenshots land in artifacts/screenshots/.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright
from werkzeug.serving import make_server

from tests.factories import PASSWORD, Factory, Person

ROOT = Path(__file__).resolve().parents[2]
BUILT_APP = ROOT / "frontend_static" / "dist" / "index.html"
CHROMIUM = Path(os.environ.get("CUEFLOW_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "artifacts" / "screenshots"

expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def live_server(_app) -> Iterator[str]:
    """The Cueflow app, browser app included, on http://127.0.0.1:<free port>."""
    if not BUILT_APP.is_file():
        pytest.fail("The browser app is not built: run `make frontend` first.", pytrace=False)
    server = make_server("127.0.0.1", 0, _app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: run `make browser` first.", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser: Browser, live_server: str, app) -> Iterator[BrowserContext]:
    """A fresh browser profile (no cookies, no local storage) on the app of this test."""
    ctx = browser.new_context(
        base_url=live_server,
        viewport={"width": 1440, "height": 900},
        locale="zh-CN",
        timezone_id="Asia/Shanghai",
        accept_downloads=True,
    )
    ctx.set_default_timeout(10_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        shoot(tab, f"{request.node.name}-failure")
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def shoot(tab: Page, name: str) -> Path:
    """Save a screenshot of the page as artifacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    tab.screenshot(path=str(path), full_page=False)
    return path


@pytest.fixture
def planner(factory: Factory) -> Person:
    workspace = factory.workspace("示范直播间")
    return factory.person(workspace, "planner", email="planner@cueflow.test")


def log_in(tab: Page, person: Person) -> None:
    """Log in through the login page and land on the workspace's runbooks."""
    tab.goto("/login")
    tab.get_by_label("邮箱").fill(person.email)
    tab.get_by_label("密码").fill(PASSWORD)
    tab.get_by_role("button", name="登录").click()
    expect(tab).to_have_url(re.compile(rf"/w/{person.workspace_id}/runbooks$"))

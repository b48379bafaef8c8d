"""Browser tests: the real app on a free local port, driven by Playwright in Debian's Chromium.

The app is the session's `_app` (migrated test database, test Redis); each test still
asks for `app`, which wipes both, so every test starts from an empty workspace. Runs
advance in real RQ worker processes on the same database and Redis (`workers`, the
executor tests' `Workers`). The browser app must be built (`make frontend`) and Chromium
installed (`make browser`); `make test` does both. Screenshots land in
artifacts/screenshots/.
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

from tests.executor.conftest import Workers
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
def workers(app, redis_url, database_url, tmp_path) -> Iterator[Workers]:
    """RQ workers for this test's runs (started by the test: `workers.start()`)."""
    pool = Workers(redis_url, database_url, tmp_path)
    yield pool
    pool.stop()
    assert pool.failed() == [], "jobs failed in the workers"


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


PHONE = {
    "viewport": {"width": 375, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
TALL_PHONE = {"width": 375, "height": 812}


def device(
    browser: Browser, live_server: str, request: pytest.FixtureRequest, name: str, **options
) -> Iterator[Page]:
    """A page in a browser of its own (another person's device), in Chinese in Shanghai:
    shot when the test fails, and the test fails on any JavaScript error in it."""
    ctx = browser.new_context(
        base_url=live_server, locale="zh-CN", timezone_id="Asia/Shanghai", **options
    )
    ctx.set_default_timeout(10_000)
    tab = ctx.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        shoot(tab, f"{request.node.name}-{name}-failure")
    ctx.close()
    assert not errors, f"JavaScript errors on the {name}: {errors}"


@pytest.fixture
def phone(
    browser: Browser, live_server: str, app, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A second browser, a phone 375 px wide: another person's device."""
    yield from device(browser, live_server, request, "phone", **PHONE)


@pytest.fixture
def tall_phone(
    browser: Browser, live_server: str, app, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A phone 375 × 812, touch: a member of staff's own device."""
    yield from device(browser, live_server, request, "phone", **{**PHONE, "viewport": TALL_PHONE})


@pytest.fixture
def laptop(
    browser: Browser, live_server: str, app, request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A second laptop, 1440 × 900: another person's browser beside `page`."""
    yield from device(
        browser, live_server, request, "laptop", viewport={"width": 1440, "height": 900}
    )


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
    """Log in through the login page and land on the workspace's start page: the runbooks,
    or for staff their tasks."""
    tab.goto("/login")
    tab.get_by_label("邮箱").fill(person.email)
    tab.get_by_label("密码").fill(PASSWORD)
    tab.get_by_role("button", name="登录").click()
    start = "tasks" if person.role == "staff" else "runbooks"
    expect(tab).to_have_url(re.compile(rf"/w/{person.workspace_id}/{start}$"))

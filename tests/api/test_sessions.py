"""Browser sessions end on the server: a cookie copied before logout is worthless after it;
"log out everywhere" and a password change end the other browsers; an idle or old session
ends by itself."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from engine import sessions
from engine.store.accounts import User
from tests.factories import PASSWORD

NEW_PASSWORD = "a brand new long password"


def _browser(app, email: str, password: str = PASSWORD):
    """A browser that logged in; it sends its CSRF token on every request."""
    browser = app.test_client()
    answer = browser.post("/api/auth/login", json={"email": email, "password": password})
    assert answer.status_code == 200, answer.json
    browser.environ_base["HTTP_X_CSRFTOKEN"] = answer.json["csrf_token"]
    return browser


def _copy(app, browser):
    """Another client holding a copy of the browser's session cookie."""
    thief = app.test_client()
    cookie = browser.get_cookie("session")
    thief.set_cookie(cookie.key, cookie.value)
    return thief


def test_a_cookie_copied_before_logout_is_worthless_after_it(app, factory):
    person = factory.person(factory.workspace(), "planner")
    browser = _browser(app, person.email)
    thief = _copy(app, browser)
    assert thief.get("/api/auth/me").status_code == 200
    assert browser.post("/api/auth/logout").status_code == 204
    after = thief.get("/api/auth/me")
    assert (after.status_code, after.json["code"]) == (401, "auth.unauthenticated")


def test_logging_out_everywhere_ends_every_browser(app, factory):
    person = factory.person(factory.workspace(), "staff")
    phone, laptop = _browser(app, person.email), _browser(app, person.email)
    ended = phone.post("/api/auth/logout-everywhere")
    assert (ended.status_code, ended.json["sessions_ended"]) == (200, 2)
    assert laptop.get("/api/auth/me").status_code == 401
    assert phone.get("/api/auth/me").status_code == 401
    assert person.client().get("/api/auth/me").status_code == 200  # tokens are not sessions


def test_a_password_change_ends_the_other_browsers_but_not_this_one(app, factory, database):
    person = factory.person(factory.workspace(), "staff")
    phone, laptop = _browser(app, person.email), _browser(app, person.email)
    wrong = phone.post(
        "/api/auth/password", json={"current_password": "nope", "new_password": NEW_PASSWORD}
    )
    assert (wrong.status_code, wrong.json["code"]) == (401, "auth.invalid_credentials")
    assert laptop.get("/api/auth/me").status_code == 200  # a wrong guess ends nothing
    short = phone.post(
        "/api/auth/password", json={"current_password": PASSWORD, "new_password": "short"}
    )
    assert (short.status_code, short.json["errors"][0]["field"]) == (422, "new_password")
    changed = phone.post(
        "/api/auth/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )
    assert (changed.status_code, changed.json["sessions_ended"]) == (200, 1)
    assert phone.get("/api/auth/me").status_code == 200
    assert laptop.get("/api/auth/me").status_code == 401
    old = app.test_client().post(
        "/api/auth/login", json={"email": person.email, "password": PASSWORD}
    )
    assert old.status_code == 401
    _browser(app, person.email, NEW_PASSWORD)


def test_an_idle_or_old_session_ends_by_itself(factory, database):
    person = factory.person(factory.workspace(), "staff")
    limits = sessions.Limits(idle=timedelta(hours=1), lifetime=timedelta(days=2))
    start = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)
    with database.session() as session:
        user = session.scalar(select(User).where(User.id == person.user_id))
        busy, idle = (sessions.start(session, user, start) for _ in range(2))
    # The busy one is used every 50 minutes and lives until its lifetime is up.
    for minutes in range(50, 48 * 60, 50):
        with database.session() as session:
            assert sessions.user_of(session, busy, start + timedelta(minutes=minutes), limits)
    with database.session() as session:
        assert sessions.user_of(session, idle, start + timedelta(minutes=61), limits) is None
        assert sessions.user_of(session, busy, start + timedelta(days=2, minutes=1), limits) is None
    with database.session() as session:  # and once ended, ended for good
        assert sessions.user_of(session, idle, start + timedelta(minutes=62), limits) is None

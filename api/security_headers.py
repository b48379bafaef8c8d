"""Security headers on every answer. Pages get a Content-Security-Policy that the browser
app satisfies as built (its scripts, styles and fonts come from this origin; React sets
inline styles, which `style-src 'unsafe-inline'` allows); no page may be framed; no answer
is sniffed into another type; other sites see only our origin as the referrer. The API's
docs page (Swagger UI) starts itself with an inline script, so it alone may run one."""

from __future__ import annotations

from flask import Flask, Response, request

DOCS_PATH = "/api/docs"


def _policy(script_src: str) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script_src}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


APP_POLICY = _policy("'self'")
DOCS_POLICY = _policy("'self' 'unsafe-inline'")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)


def add_security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if response.mimetype == "text/html":
        docs = request.path.rstrip("/") == DOCS_PATH
        response.headers.setdefault("Content-Security-Policy", DOCS_POLICY if docs else APP_POLICY)
    return response

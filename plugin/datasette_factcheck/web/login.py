"""The desk's login page and password tool, in place of datasette-auth-passwords' own.

datasette-auth-passwords keeps the accounts (``NAME_password_hash`` and ``actors`` in its
settings) and its hashing; this module answers ``/-/login`` and ``/-/password-tool``
(``asgi_wrapper`` sends those paths to the plugin's routes) so that:
- failed logins are limited per account and per address (``login_limits``), then 429
  with Retry-After;
- an unknown account costs the same hashing as a wrong password and gets the same answer;
- hashing runs on threads of its own, never on the event loop or the executor Datasette
  serves pages from;
- a stranger sent to log in comes back to the page asked for (``next``, same-site paths only);
- the page says what the desk is and who gives accounts (setting ``login_help``);
- the password tool is root's only.
"""

from __future__ import annotations

import asyncio
import secrets
import weakref
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

from datasette import Forbidden, Response
from datasette.app import Datasette
from datasette.utils.asgi import Request
from datasette_auth_passwords import utils as passwords

from ..login_limits import DEFAULT_LIMIT, DEFAULT_WINDOW, FailureLimiter
from .team import password_accounts
from .toolkit import SECURITY_HEADERS, render

LOGIN_PLUGIN = "datasette-auth-passwords"
PLUGIN_NAME = "datasette-factcheck"
LOGIN_ROUTE = "/-/factcheck-login"
TOOL_ROUTE = "/-/factcheck-password-tool"
TAKEN_OVER = {"/-/login": LOGIN_ROUTE, "/-/password-tool": TOOL_ROUTE}
REFUSED = "Invalid username or password"
DEFAULT_HELP = "Ask the desk's editor in charge for an account."
ROOT_ONLY = "the password tool is for root only: run `datasette hash-password` on the server instead"

_hashing = ThreadPoolExecutor(max_workers=2, thread_name_prefix="factcheck-login")
_limiters: weakref.WeakKeyDictionary[Datasette, FailureLimiter] = weakref.WeakKeyDictionary()
_dummy_hash: list[str] = []  # made once: what an unknown account's password is checked against


def safe_next(value: str | None) -> str | None:
    """A same-site path to return to after logging in, or None: never another site
    (``//host``, ``/\\host``, ``https:``), never a line break or control character."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return None
    if any(ord(char) < 32 or char == "\\" for char in value) or len(value) > 2000:
        return None
    return value


def login_url(datasette: Datasette, next_path: str | None) -> str:
    path = datasette.urls.path("/-/login")
    return f"{path}?next={quote(next_path, safe='/')}" if safe_next(next_path) else path


def _settings(datasette: Datasette) -> dict:
    return datasette.plugin_config(PLUGIN_NAME) or {}


def _limiter(datasette: Datasette) -> FailureLimiter:
    if datasette not in _limiters:
        limits = _settings(datasette).get("login_limit") or {}
        _limiters[datasette] = FailureLimiter(
            int(limits.get("attempts", DEFAULT_LIMIT)), float(limits.get("seconds", DEFAULT_WINDOW))
        )
    return _limiters[datasette]


def _accounts(datasette: Datasette) -> tuple[dict[str, str], dict]:
    config = datasette.plugin_config(LOGIN_PLUGIN) or {}
    return password_accounts(config), config.get("actors") or {}


def _verify(password: str, password_hash: str | None) -> bool:
    """The same hashing whether or not the account exists (an unknown one against a dummy)."""
    if not _dummy_hash:
        _dummy_hash.append(passwords.hash_password(secrets.token_hex(16)))
    try:
        matched = passwords.verify_password(password, password_hash or _dummy_hash[0])
    except (AssertionError, ValueError):  # a malformed hash in the settings: no login with it
        matched = False
    return matched and password_hash is not None


async def login_view(request: Request, datasette: Datasette) -> Response:
    form = await request.post_vars() if request.method == "POST" else {}
    next_path = safe_next(form.get("next") or request.args.get("next"))
    if request.method != "POST":
        return await _page(datasette, request, next_path)
    username, password = form.get("username") or "", form.get("password") or ""
    limiter = _limiter(datasette)
    keys = (f"account:{username.lower()}", f"address:{_address(request)}")
    wait = limiter.retry_after(*keys)
    if wait is not None:
        error = f"Too many failed logins; try again in {wait} seconds"
        response = await _page(datasette, request, next_path, error, status=429)
        response.headers["Retry-After"] = str(wait)
        return response
    hashes, actors = _accounts(datasette)
    loop = asyncio.get_running_loop()
    if not await loop.run_in_executor(_hashing, _verify, password, hashes.get(username)):
        limiter.failed(*keys)
        return await _page(datasette, request, next_path, REFUSED)
    actor = actors.get(username) or {"id": username}
    response = Response.redirect(next_path or datasette.urls.path("/"))
    response.set_cookie("ds_actor", datasette.sign({"a": actor}, "actor"))
    return response


def _address(request: Request) -> str:
    client = request.scope.get("client")
    return str(client[0]) if client else "unknown"


async def _page(datasette: Datasette, request: Request, next_path: str | None, error: str | None = None,
                status: int = 200) -> Response:  # fmt: skip
    settings = _settings(datasette)
    context = {
        "error": error, "next": next_path, "organisation": settings.get("organisation"),
        "login_help": settings.get("login_help") or DEFAULT_HELP,
        "has_accounts": bool(_accounts(datasette)[0]),
    }  # fmt: skip
    return await render(datasette, request, "factcheck_login.html", context, status=status)


async def password_tool_view(request: Request, datasette: Datasette) -> Response:
    """datasette-auth-passwords' tool, for root only: a hash made on the server is root's business."""
    if not request.actor or request.actor.get("id") != "root":
        raise Forbidden(ROOT_ONLY)
    password = (await request.post_vars()).get("password") if request.method == "POST" else None
    hashed = (
        await asyncio.get_running_loop().run_in_executor(_hashing, passwords.hash_password, password)
        if password
        else None
    )
    html = await datasette.render_template("password_tool.html", {"hashed_password": hashed}, request=request)
    return Response.html(html)


# --- the ASGI layer: the paths taken over, and the security headers --------------------------


def _plugin_path(path: str) -> bool:
    return "/-/factcheck" in path or path in TAKEN_OVER or path in ("/", "/-/logout")


def asgi_wrapper(datasette: Datasette):
    """Send /-/login and /-/password-tool to this module's routes, and give every answer of
    the plugin's paths (403 and 404 too, which Datasette renders) the security headers."""
    extra = [(name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]

    def wrap(app):
        async def guarded(scope, receive, send):
            if scope.get("type") != "http":
                return await app(scope, receive, send)
            path = scope.get("path", "")
            ours = _plugin_path(path)
            if path in TAKEN_OVER:
                scope = {**scope, "path": TAKEN_OVER[path], "raw_path": TAKEN_OVER[path].encode()}

            async def send_with_headers(message):
                if ours and message.get("type") == "http.response.start":
                    present = {name.lower() for name, _ in message.get("headers", [])}
                    added = [(name, value) for name, value in extra if name not in present]
                    message = {**message, "headers": [*message.get("headers", []), *added]}
                await send(message)

            await app(scope, receive, send_with_headers)

        return guarded

    return wrap

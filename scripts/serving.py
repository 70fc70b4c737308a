"""Serving the portal for scripts and tests: gunicorn on 127.0.0.1 and a small HTTP client.

Shared by ``scripts/two_instances.py``, ``scripts/bench_sqlite_writers.py`` and
``tests/test_workers.py``. Standard library only (urllib), so it runs on a fresh checkout.
"""

from __future__ import annotations

import contextlib
import copy
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def portal_env(**settings) -> dict[str, str]:
    """This process's environment plus ``PORTAL_<KEY>=value`` for every setting given."""
    return {**os.environ, **{f"PORTAL_{key}": str(value) for key, value in settings.items()}}


def flask_cli(*args: str, env: dict[str, str], log: Path | None = None) -> str:
    """Run ``flask --app portal <args>``; returns its output, raises with it when it fails."""
    done = subprocess.run(  # noqa: S603  (the venv's own flask, arguments from our scripts)
        [str(BIN / "flask"), "--app", "portal", *args], env=env, cwd=ROOT,
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if log is not None:
        with open(log, "a", encoding="utf-8") as out:
            out.write(done.stdout + done.stderr)
    if done.returncode:
        raise RuntimeError(f"flask {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


class Gunicorn:
    """``gunicorn -w N wsgi:app`` on a free 127.0.0.1 port; a context manager that stops it.

    Its output (gunicorn's own log and the portal's JSON log) goes to ``log`` when given.
    """

    def __init__(self, env: dict[str, str], *, workers: int = 2, log: Path | None = None,
                 port: int | None = None):  # fmt: skip
        self.env, self.workers, self.log = env, workers, log
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> Gunicorn:
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        try:
            self.proc = subprocess.Popen(  # noqa: S603  (the venv's own gunicorn)
                [str(BIN / "gunicorn"), "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}",
                 "--no-control-socket", "--graceful-timeout", "5", "wsgi:app"],
                env=self.env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        finally:
            if self.log:
                out.close()
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float) -> None:
        """Wait until every worker has booted and ``/login`` answers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.proc.returncode}){self._tail()}")
            with contextlib.suppress(OSError):  # not listening yet: try again
                urllib.request.urlopen(self.base + "/login", timeout=2).close()  # noqa: S310
                if self._booted() >= self.workers:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn on {self.base} did not answer in {timeout} s{self._tail()}")

    def _booted(self) -> int:
        if not self.log:
            return self.workers
        return self.log.read_text(errors="replace").count("Booting worker")

    def _tail(self) -> str:
        if not self.log or not self.log.exists():
            return ""
        return "\n" + "\n".join(self.log.read_text(errors="replace").splitlines()[-20:])

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@dataclass
class Reply:
    status: int
    content: bytes
    headers: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class Browser:
    """A cookie-keeping client that does not follow redirects.

    ``base`` is where paths go; ``at=`` sends one request elsewhere with the same cookies, the
    way a browser behind a load balancer reaches another instance.
    """

    def __init__(self, base: str, *, timeout: float = 30):
        self.base, self.timeout = base, timeout
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect
        )

    def clone(self) -> Browser:
        """Another client holding a copy of this one's cookies (a captured session)."""
        other = Browser(self.base, timeout=self.timeout)
        for cookie in self.jar:
            other.jar.set_cookie(copy.copy(cookie))
        return other

    def get(self, path: str, *, at: str | None = None) -> Reply:
        return self._open(urllib.request.Request((at or self.base) + path))  # noqa: S310

    def post(self, path: str, data: dict, *, files: dict | None = None,
             at: str | None = None) -> Reply:  # fmt: skip
        """POST a form; ``files`` maps a field to ``(filename, bytes, mimetype)`` (multipart)."""
        url = (at or self.base) + path  # always http:// (built by Gunicorn.base)
        if files:
            body, ctype = _multipart(data, files)
            request = urllib.request.Request(  # noqa: S310
                url, data=body, method="POST", headers={"Content-Type": ctype}
            )
        else:
            body = urllib.parse.urlencode(data).encode()
            request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310
        return self._open(request)

    def token(self, page: str = "/login", *, at: str | None = None) -> str:
        """The CSRF token of the first form on ``page``."""
        reply = self.get(page, at=at)
        match = CSRF_RE.search(reply.text)
        if not match:
            raise AssertionError(f"no CSRF token on {page} (HTTP {reply.status})")
        return match.group(1)

    def sign_in(self, email: str, password: str, *, at: str | None = None) -> Reply:
        data = {"email": email, "password": password, "csrf_token": self.token(at=at)}
        return self.post("/login", data, at=at)

    def _open(self, request) -> Reply:
        try:
            with self.opener.open(request, timeout=self.timeout) as r:
                return Reply(r.status, r.read(), dict(r.headers))
        except urllib.error.HTTPError as e:
            return Reply(e.code, e.read(), dict(e.headers))
        except OSError as e:  # no answer at all (refused, reset, timed out): status 0
            return Reply(0, f"{type(e).__name__}: {e}".encode())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _multipart(data: dict, files: dict) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in data.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())  # fmt: skip
    for name, (filename, content, mimetype) in files.items():
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {mimetype}\r\n\r\n')  # fmt: skip
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def small_pdf(text: str = "Sinergi") -> bytes:
    """A tiny valid PDF (its first bytes are what the upload check looks at)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R>>endobj\n"
            b"4 0 obj<</Length " + str(len(stream)).encode() + b">>stream\n" + stream
            + b"\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")  # fmt: skip

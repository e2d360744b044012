"""A real server to measure: ``make serve`` (its ``db upgrade``, then gunicorn with 4 workers) on a
database, started in a process group of its own and stopped gracefully; and a small HTTP
client holding a browser's cookies, for the benchmark's requests over HTTP.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

from tracker.settings import ROOT

WORKERS = 4


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_environment(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "WERKZEUG_"))}
    return (
        env
        | {
            "DATABASE_URL": database_url,
            "SECRET_KEY": "bench",
            "TRACKER_DEMO": "0",
            "PYTHONUNBUFFERED": "1",
        }
        | extra
    )


class ServerFailed(Exception):
    pass


class Served:
    """``make serve`` on ``database_url``, on a free port: a context manager."""

    def __init__(
        self, database_url: str, log: Path, workers: int = WORKERS, port: int | None = None
    ) -> None:
        self.database_url, self.log, self.workers = database_url, log, workers
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Served:
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(
            ["make", "-s", "serve", f"PORT={self.port}", f"WORKERS={self.workers}"],
            cwd=ROOT,
            env=server_environment(self.database_url),
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # make and gunicorn: one group, stopped together
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")

    def _wait_until_ready(self, timeout: float = 180) -> None:
        """Listening, and every worker answering (a worker's first request warms it up)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(f"make serve stopped:\n{self.log_text()[-3000:]}")
            if "Listening at" in self.log_text():
                try:
                    statuses = [Client(self.port).get("/registry")[0] for _ in range(self.workers)]
                except OSError:
                    statuses = []
                if statuses and all(s == 200 for s in statuses):
                    return
            time.sleep(0.3)
        raise ServerFailed(f"make serve is not ready:\n{self.log_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)  # gunicorn: finish the requests, stop
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if not self._log_file.closed:
            self._log_file.close()

    def errors(self) -> list[str]:
        """Tracebacks and 5xx answers in the server's log."""
        lines = self.log_text().splitlines()
        return [
            line
            for line in lines
            if "Traceback" in line
            or "Exception on" in line
            or re.search(r'" 5\d\d ', line)  # the access log's status
        ]


class Client:
    """One keep-alive connection with a cookie jar. gunicorn's sync workers close the
    connection after each answer: the next request opens a new one, as a browser's would."""

    def __init__(self, port: int, timeout: float = 120) -> None:
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()  # the server closed it between two requests: once more
                if attempt == 2:
                    raise
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return response.status, dict(response.getheaders()), data

    def get(self, path: str, headers: dict | None = None) -> tuple[int, bytes]:
        status, _, data = self.request("GET", path, headers=headers)
        return status, data

    def post_json(self, path: str, body: bytes, headers: dict | None = None):
        headers = {"Content-Type": "application/json", **(headers or {})}
        status, _, data = self.request("POST", path, body=body, headers=headers)
        return status, data

    def login(self, email: str, password: str) -> None:
        """Through the login form, CSRF token and all."""
        status, page = self.get("/login")
        found = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', page)
        if status != 200 or not found:
            raise ServerFailed(f"no login form: {status}")
        form = {"email": email, "password": password, "csrf_token": found.group(1).decode()}
        status, _, _ = self.request(
            "POST",
            "/login",
            body=urllib.parse.urlencode(form).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        if status != 302:
            raise ServerFailed(f"login of {email} answered {status}")

    def close(self) -> None:
        self.conn.close()
